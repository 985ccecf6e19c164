"""The clerk's words for the codes of the attachment checks.

``bg_egov`` reports stable codes (``SignatureCheck.error_code`` and
``warning_codes``, ``ScanError.code``) beside English text meant for logs. This is the
one place where the codes become translated sentences: the records store the codes,
and the messages are computed in the reader's language.
"""

from odoo.tools.misc import format_datetime
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

#: ``bg_egov.signatures.ERROR_CODES`` and ``WARNING_CODES``.
SIGNATURE_MESSAGES = {
    "corrupt": _lt(
        "The signature cannot be read: the file is damaged or is not an electronic "
        "signature."
    ),
    "signature_field_empty": _lt(
        "The signature field of the PDF is empty: the file was not signed."
    ),
    "content_missing": _lt(
        "The signed file is missing: a detached signature needs the file it signs "
        "beside it."
    ),
    "content_mismatch": _lt("The signature carries content different from the file."),
    "certificate_missing": _lt(
        "The signature does not carry the signer's certificate."
    ),
    "digest_mismatch": _lt("The file was changed after it was signed."),
    "bad_signature": _lt(
        "The signature does not verify with the signer's certificate."
    ),
    "unsupported": _lt("The signature uses an algorithm that cannot be checked."),
    "expired": _lt("The signer's certificate had expired when the file was signed."),
    "not_yet_valid": _lt(
        "The signer's certificate was not yet valid when the file was signed."
    ),
    "revoked": _lt(
        "The signer's certificate was revoked on %(date)s, before the file was signed."
    ),
    "changed_after_signing": _lt(
        "The PDF was changed after this signature: the signature covers only a part "
        "of the file."
    ),
    "invalid_egn": _lt("The ЕГН in the certificate is not valid."),
    "invalid_eik": _lt("The ЕИК in the certificate is not valid."),
    "revoked_after_signing": _lt(
        "The signer's certificate was revoked on %(date)s, after the file was signed."
    ),
    "crl_not_signed": _lt(
        "A revocation list of the certificate's issuer is not signed by a trusted CA "
        "and was ignored."
    ),
}

#: ``bg_egov.malware.ScanError.code``, and ``infected`` for a virus found.
SCAN_MESSAGES = {
    "scan_unreachable": _lt(
        "The malware scanner cannot be reached; the file will be scanned again."
    ),
    "scan_timeout": _lt(
        "The malware scanner did not answer in time; the file will be scanned again."
    ),
    "scan_failed": _lt("The malware scanner could not scan the file."),
    "scan_too_large": _lt(
        "The file is larger than the malware scanner accepts; it was not scanned."
    ),
    "infected": _lt("Malware found: %(name)s"),
}


def _message(env, messages, code, detail, params):
    template = messages.get(code)
    if template is None:
        # A code of a newer library: its own words are better than nothing.
        return detail or ""
    return env._(template) % params


def signature_message(env, code, *, revoked_on=None, detail=None):
    """The sentence for a signature's error or warning ``code``, in ``env``'s
    language; ``revoked_on`` (naive UTC) is shown in the user's time zone."""
    date = format_datetime(env, revoked_on) if revoked_on else ""
    return _message(env, SIGNATURE_MESSAGES, code, detail, {"date": date})


def scan_message(env, code, *, detail=None):
    """The sentence for a malware scan's ``code``; for ``infected``, ``detail`` is
    the name of the malware."""
    return _message(env, SCAN_MESSAGES, code, detail, {"name": detail or ""})
