import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from people.identity import (
    birth_date_of,
    certificate_problems,
    check_character,
    gender_of,
    mask_id,
    normalise_id,
    validate_id,
)

from .factories import make_id

GOOD = "11010519491231002X"


def test_known_good_id_and_its_parts():
    assert validate_id(GOOD) == GOOD
    assert birth_date_of(GOOD) == dt.date(1949, 12, 31)
    assert gender_of(GOOD) == "F"
    assert gender_of(make_id(male=True)) == "M"


@pytest.mark.parametrize("typed", [
    "11010519491231002x", " 110105 19491231 002X ", "１１０１０５１９４９１２３１００２Ｘ",
    "110105-19491231-002x",
])
def test_lowercase_full_width_spaces_and_dashes_are_normalised(typed):
    assert normalise_id(typed) == GOOD
    assert validate_id(typed) == GOOD


@pytest.mark.parametrize(("number", "code"), [
    ("", "required"),
    ("1101051949123100", "length"),
    ("1101051949123100AX", "format"),
    ("110105194912310021", "checksum"),  # last character changed
    ("110105194913310025", "birth_date"),  # month 13
    ("990105194912310025", "region"),
])
def test_each_fault_has_its_own_reason(number, code):
    if code in ("birth_date", "region"):
        from people.tests.factories import check_char

        number = number[:17] + check_char(number[:17])
    with pytest.raises(ValidationError) as exc:
        validate_id(number)
    assert exc.value.code == code


def test_mask_keeps_region_and_last_four():
    assert mask_id("620422197005170013") == "620422********0013"
    assert mask_id(None) == ""


def test_certificate_must_agree_with_id_category_and_grade():
    id_number = make_id()
    assert certificate_problems(f"{id_number}42", id_number=id_number, category=4, grade=2) == {}
    other = make_id(birth=dt.date(1980, 1, 1))
    assert set(certificate_problems(f"{other}42", id_number=id_number, category=4,
                                    grade=2)) == {"certificate_number"}
    assert set(certificate_problems(f"{id_number}52", id_number=id_number, category=4,
                                    grade=2)) == {"category"}
    assert set(certificate_problems(f"{id_number}43", id_number=id_number, category=4,
                                    grade=2)) == {"grade"}
    assert set(certificate_problems(f"{id_number}85", id_number=id_number, category=4,
                                    grade=2)) == {"category", "grade"}
    assert set(certificate_problems(f"{id_number}4", id_number=id_number, category=4,
                                    grade=2)) == {"certificate_number"}


@given(st.text("0123456789", min_size=17, max_size=17))
def test_the_fast_check_character_is_stdnum_s(first17):
    from stdnum.cn import ric

    assert check_character(first17) == ric.calc_check_digit(first17 + "0")


@given(st.text("0123456789", min_size=8, max_size=8))
def test_the_birth_date_is_read_as_stdnum_reads_it(digits):
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError as StdnumError

    from people.identity import _birth_date

    try:
        expected = ric.get_birth_date(f"000000{digits}0000")
    except StdnumError:
        expected = None
    assert _birth_date(digits) == expected
