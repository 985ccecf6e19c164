"""Bulgarian identifiers of persons and legal entities.

A thin layer over python-stdnum (which Odoo 18 already requires):

* ЕГН (unified civil number, :mod:`stdnum.bg.egn`): ten digits, birth date and check
  digit;
* ЛНЧ (personal number of a foreigner, :mod:`stdnum.bg.pnf`): ten digits and check
  digit;
* ЕИК/БУЛСТАТ (unified identification code of an entity): nine digits
  (:mod:`stdnum.bg.vat` checks them the same way for a legal entity's VAT number), or
  thirteen digits for a branch or sub-unit, whose last four digits carry a second check
  digit (Наредба за БУЛСТАТ, Annex 1) that python-stdnum does not cover.

Every function returns the identifier compacted to digits, or raises
:class:`~bg_egov.errors.IdentifierError` with a ``reason`` the caller can show. Services
such as e-Delivery treat ``%`` and ``_`` as wildcards, so anything but digits, spaces
and dashes is refused here rather than silently dropped.
"""

import re

from stdnum import exceptions as stdnum_exceptions
from stdnum.bg import egn as stdnum_egn
from stdnum.bg import pnf as stdnum_pnf
from stdnum.bg import vat as stdnum_vat

from .errors import IdentifierError

EGN = "egn"
LNCH = "lnch"
EIK = "eik"

KIND_LABELS = {EGN: "ЕГН", LNCH: "ЛНЧ", EIK: "ЕИК/БУЛСТАТ"}

_ALLOWED = re.compile(r"^[0-9\s-]*$")


def compact(value, kind=None):
    """Return ``value`` without spaces and dashes.

    :raises IdentifierError: (reason ``format``) when anything else than digits, spaces
        and dashes is present, wildcards included.
    """
    value = "" if value is None else str(value)
    if not _ALLOWED.match(value):
        raise _error("format", kind, value)
    return re.sub(r"[\s-]", "", value)


def validate_egn(value):
    """Validate an ЕГН and return it as ten digits.

    :raises IdentifierError: reason ``length``, ``format``, ``date`` (no such birth
        date) or ``checksum``.
    """
    return _stdnum_validate(stdnum_egn, EGN, value, length=10)


def validate_lnch(value):
    """Validate an ЛНЧ and return it as ten digits.

    :raises IdentifierError: reason ``length``, ``format`` or ``checksum``.
    """
    return _stdnum_validate(stdnum_pnf, LNCH, value, length=10)


def validate_eik(value):
    """Validate an ЕИК/БУЛСТАТ of nine or thirteen digits and return its digits.

    :raises IdentifierError: reason ``length``, ``format`` or ``checksum``.
    """
    number = compact(value, EIK)
    if len(number) not in (9, 13):
        raise _error("length", EIK, value)
    if not number.isdigit():
        raise _error("format", EIK, value)
    if stdnum_vat.calc_check_digit_legal(number[:8]) != number[8]:
        raise _error("checksum", EIK, value)
    if len(number) == 13 and _eik13_check_digit(number[:12]) != number[12]:
        raise _error("checksum", EIK, value)
    return number


def validate_person(value):
    """Validate the identifier of a natural person: an ЕГН, else an ЛНЧ.

    :returns: ``(kind, digits)`` with ``kind`` ``"egn"`` or ``"lnch"``.
    :raises IdentifierError: when it is neither; the error of the ЕГН check is raised
        (kind ``egn``) because ЕГН is by far the common case.
    """
    try:
        return EGN, validate_egn(value)
    except IdentifierError as egn_error:
        try:
            return LNCH, validate_lnch(value)
        except IdentifierError:
            raise egn_error from None


def validate(kind, value):
    """Validate ``value`` as an identifier of ``kind``: ``egn``, ``lnch`` or ``eik``."""
    validators = {EGN: validate_egn, LNCH: validate_lnch, EIK: validate_eik}
    if kind not in validators:
        raise ValueError(f"unknown identifier kind {kind!r}")
    return validators[kind](value)


def egn_birth_date(value):
    """Return the birth date in a valid ЕГН (month +20 for the 1800s, +40 for 2000s)."""
    return stdnum_egn.get_birth_date(validate_egn(value))


def _eik13_check_digit(first12):
    """Second check digit of a 13-digit БУЛСТАТ: weights 2,7,3,5 on digits 9-12, then
    4,9,5,7.
    """
    digits = [int(d) for d in first12[8:12]]
    for weights in ((2, 7, 3, 5), (4, 9, 5, 7)):
        remainder = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        if remainder != 10:
            return str(remainder)
    return "0"


def _stdnum_validate(module, kind, value, length):
    number = compact(value, kind)
    if len(number) != length:
        raise _error("length", kind, value)
    try:
        return module.validate(number)
    except stdnum_exceptions.InvalidChecksum:
        raise _error("checksum", kind, value) from None
    except stdnum_exceptions.InvalidComponent:
        raise _error("date", kind, value) from None
    except stdnum_exceptions.ValidationError:
        raise _error("format", kind, value) from None


_MESSAGES = {
    "length": "{label} {value!r} has {count} digits; {expected} expected",
    "format": "{label} {value!r} may contain only digits",
    "checksum": "{label} {value!r} has a wrong check digit",
    "date": "{label} {value!r} does not encode a valid birth date",
}
_EXPECTED = {EGN: "10", LNCH: "10", EIK: "9 or 13"}


def _error(reason, kind, value):
    label = KIND_LABELS.get(kind, "Identifier")
    digits = re.sub(r"\D", "", str(value or ""))
    message = _MESSAGES[reason].format(
        label=label, value=value, count=len(digits), expected=_EXPECTED.get(kind, "")
    )
    error = IdentifierError(message, kind=kind, value=value)
    error.reason = reason
    return error
