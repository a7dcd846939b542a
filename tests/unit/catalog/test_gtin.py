"""GTIN parsing: lengths, characters, check digits, the 14-digit form and prefixes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomkit.catalog import GTIN_LENGTHS, Gtin, gs1_check_digit
from ecomkit.errors import InvalidGtinError, InvalidTypeError, InvalidValueError


def check_digit_from_the_left(body: str) -> int:
    """An independent check-digit computation: weights counted from the left of the GTIN-14."""
    padded = body.rjust(13, "0")
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(padded))
    return -total % 10


def with_check_digit(body: str) -> str:
    return body + str(check_digit_from_the_left(body))


# Published examples: EAN-13 of a Stabilo pen, a UPC-A, an EAN-8, an ISBN-13 (Bookland EAN).
KNOWN_VALID = ["4006381333931", "036000291452", "96385074", "9780306406157"]


@pytest.mark.parametrize("text", KNOWN_VALID)
def test_published_gtins_parse_and_keep_their_digits(text):
    gtin = Gtin.parse(text)
    assert gtin.digits == str(gtin) == text
    assert gtin.length == len(text)
    assert gtin.gtin14 == text.rjust(14, "0")
    assert gtin.check_digit == int(text[-1])


def test_the_check_digit_of_a_published_number_is_computed_from_the_other_digits():
    assert gs1_check_digit("400638133393") == 1
    assert gs1_check_digit("03600029145") == 2


@given(st.text(alphabet="0123456789", min_size=7, max_size=13))
def test_the_check_digit_agrees_with_an_independent_computation(body):
    assert gs1_check_digit(body) == check_digit_from_the_left(body)


@given(
    st.sampled_from(GTIN_LENGTHS).flatmap(
        lambda length: st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1)
    )
)
def test_every_valid_number_parses_and_every_other_last_digit_is_refused(body):
    valid = with_check_digit(body)
    if not valid.strip("0"):
        return
    assert Gtin.parse(valid).gtin14 == valid.rjust(14, "0")
    for wrong in "0123456789":
        if wrong != valid[-1]:
            with pytest.raises(InvalidGtinError, match="wrong check digit"):
                Gtin.parse(body + wrong)


def test_the_same_item_written_in_several_lengths_is_one_gtin():
    assert Gtin.parse("036000291452") == Gtin.parse("0036000291452") == Gtin.parse("00036000291452")
    assert len({Gtin.parse("036000291452"), Gtin.parse("00036000291452")}) == 1


def test_spaces_and_hyphens_printed_under_bar_codes_are_allowed():
    assert Gtin.parse(" 4 006381-333931 ").gtin14 == "04006381333931"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("40063813339", "has 11 digits"),
        ("400638133393100", "has 15 digits"),
        ("", "has 0 digits"),
        ("4006381333931x", "contains 'x'"),
        ("\uff14\uff10\uff10\uff16", "only digits"),  # full-width digits are not ASCII
        ("4006381333932", "wrong check digit 2 (expected 1)"),
        ("00000000", "all zeros"),
    ],
)
def test_bad_numbers_say_what_is_wrong(text, words):
    with pytest.raises(InvalidGtinError) as caught:
        Gtin.parse(text)
    error = caught.value
    assert words in str(error)
    assert isinstance(error, ValueError)
    assert isinstance(error, InvalidValueError)
    assert error.field == "gtin"
    assert error.value == text


@pytest.mark.parametrize("value", [4006381333931, None, b"4006381333931"])
def test_something_that_is_not_text_is_refused_with_a_type_error(value):
    with pytest.raises(InvalidTypeError):
        Gtin.parse(value)


@pytest.mark.parametrize(
    ("body", "restricted", "coupon"),
    [
        ("200000000001", True, False),  # 2x: in-store numbers
        ("291234567890", True, False),
        ("021234567890", True, False),  # 02: restricted distribution
        ("041234567890", True, False),  # 04: restricted within a company
        ("981234567890", True, True),  # 98: coupons
        ("991234567890", True, True),  # 99: coupons
        ("590123412345", False, False),  # an ordinary member company prefix (Poland)
        ("978030640615", False, False),  # Bookland (ISBN) is not restricted
        ("301234567890", False, False),
    ],
)
def test_restricted_and_coupon_prefixes_are_flagged(body, restricted, coupon):
    gtin = Gtin.parse(with_check_digit(body))
    assert (gtin.restricted, gtin.is_coupon) == (restricted, coupon)


def test_a_gtin_14_reads_the_prefix_after_its_indicator_digit():
    assert Gtin.parse(with_check_digit("1200000000001")).restricted
    assert not Gtin.parse(with_check_digit("1590123412345")).restricted


def test_upc_a_number_systems_2_and_4_are_restricted():
    assert Gtin.parse(with_check_digit("21234567890")).restricted
    assert Gtin.parse(with_check_digit("41234567890")).restricted
    assert not Gtin.parse(with_check_digit("31234567890")).restricted


def test_gtin_8_prefixes_0_and_2_are_restricted_circulation_numbers():
    assert Gtin.parse(with_check_digit("0123456")).restricted
    assert Gtin.parse(with_check_digit("2123456")).restricted
    assert not Gtin.parse(with_check_digit("9638507")).restricted


def test_a_gtin_built_directly_is_checked_like_a_parsed_one():
    assert Gtin("04006381333931", 13) == Gtin.parse("4006381333931")
    with pytest.raises(InvalidGtinError, match="wrong check digit"):
        Gtin("04006381333932", 13)
    with pytest.raises(InvalidGtinError, match="14 ASCII digits"):
        Gtin("4006381333931", 13)
    with pytest.raises(InvalidGtinError, match="significant digits before the last 8"):
        Gtin("04006381333931", 8)
    with pytest.raises(InvalidGtinError, match="length must be"):
        Gtin("04006381333931", 11)
    with pytest.raises(InvalidTypeError):
        Gtin(4006381333931, 13)


def test_the_check_digit_needs_digits():
    with pytest.raises(InvalidGtinError):
        gs1_check_digit("12a")
    with pytest.raises(InvalidGtinError):
        gs1_check_digit("")
