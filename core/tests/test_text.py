from core.text import mask_digits, mask_numbers


def test_mask_digits_keeps_the_first_six_and_the_last_four():
    assert mask_digits("620422197005170013") == "620422********0013"
    assert mask_digits("62042219700517001342") == "620422********1342"
    assert mask_digits(" 62042219700517001X ") == "620422********001X"
    assert mask_digits("123456") == "********"  # too short to show any of it
    assert mask_digits(None) == "" and mask_digits("") == ""


def test_mask_numbers_masks_every_id_like_number_in_a_text():
    text = "证号（62042219700517001342）与身份证号（620422197005170021）不一致；电话13909431234"
    assert mask_numbers(text) == (
        "证号（620422********1342）与身份证号（620422********0021）不一致；电话13909431234")
    assert mask_numbers("旧证620422700517001") == "旧证620422********7001"  # 15 digits
    assert mask_numbers("A620422197005170013") == "A620422197005170013"  # part of a code
    assert mask_numbers(None) == "" and mask_numbers(7) == "7"
