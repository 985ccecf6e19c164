import datetime

import pytest

from bg_egov import identifiers
from bg_egov.errors import IdentifierError


@pytest.mark.parametrize("value", ["7523169263", "752316 9263", "7523-16-9263"])
def test_valid_egn_is_compacted(value):
    assert identifiers.validate_egn(value) == "7523169263"


def test_egn_birth_date_of_a_citizen_born_after_2000():
    # Month 52 means December of a 2000s year.
    assert identifiers.egn_birth_date("0152030004") == datetime.date(2001, 12, 3)


@pytest.mark.parametrize(
    "value, reason",
    [
        ("7523169264", "checksum"),
        ("752316926", "length"),
        ("8013056031", "date"),  # month 13 does not exist; the check digit is right
        ("75231692%3", "format"),  # a wildcard for the e-Delivery search
        ("75_3169263", "format"),
    ],
)
def test_invalid_egn_names_the_problem(value, reason):
    with pytest.raises(IdentifierError) as info:
        identifiers.validate_egn(value)
    assert info.value.reason == reason
    assert info.value.kind == "egn"
    assert "ЕГН" in str(info.value)


def test_lnch():
    assert identifiers.validate_lnch("7111 042 925") == "7111042925"
    with pytest.raises(IdentifierError) as info:
        identifiers.validate_lnch("7111042922")
    assert info.value.reason == "checksum"


def test_person_identifier_tells_egn_from_lnch():
    assert identifiers.validate_person("7523169263") == ("egn", "7523169263")
    assert identifiers.validate_person("7111042925") == ("lnch", "7111042925")
    with pytest.raises(IdentifierError) as info:
        identifiers.validate_person("1234567890")
    assert info.value.kind == "egn"


def test_eik_nine_digits():
    assert identifiers.validate_eik("175 074 752") == "175074752"
    with pytest.raises(IdentifierError) as info:
        identifiers.validate_eik("175074753")
    assert info.value.reason == "checksum"
    assert "ЕИК/БУЛСТАТ" in str(info.value)


def test_eik_thirteen_digits_checks_both_check_digits():
    # 175074752 is a valid ЕИК, 001 a sub-unit; digits 9-12 (2,0,0,1) weigh 2*2 + 1*5 =
    # 9.
    assert identifiers.validate_eik("1750747520019") == "1750747520019"
    with pytest.raises(IdentifierError):
        identifiers.validate_eik("1750747520018")
    # A wrong first check digit is refused too.
    with pytest.raises(IdentifierError):
        identifiers.validate_eik("1750747530019")


def test_eik_second_round_of_weights():
    # Sub-unit 020: 2*2 + 2*3 = 10 with the first weights, so the second apply:
    # 2*4 + 2*5 = 18 = 7 (mod 11).
    assert identifiers.validate_eik("1750747520207") == "1750747520207"
    with pytest.raises(IdentifierError):
        identifiers.validate_eik("1750747520200")


@pytest.mark.parametrize("value", ["", None, "12345678", "12345678901"])
def test_eik_length(value):
    with pytest.raises(IdentifierError) as info:
        identifiers.validate_eik(value)
    assert info.value.reason == "length"


def test_validate_dispatches_by_kind():
    assert identifiers.validate("eik", "175074752") == "175074752"
    with pytest.raises(ValueError):
        identifiers.validate("passport", "X")
