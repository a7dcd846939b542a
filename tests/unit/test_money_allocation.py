"""Allocation and splitting: known cases, strategies and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecomkit.errors import (
    FloatNotAllowedError,
    InvalidAmountError,
    InvalidRatioError,
    InvalidTypeError,
    InvalidValueError,
    NoMinorUnitError,
)
from ecomkit.money import AllocationStrategy, Currency, Money, allocate, split


def texts(parts):
    return [str(part) for part in parts]


def cents(parts):
    return [part.to_minor_units() for part in parts]


FIRST = AllocationStrategy.FIRST
LAST = AllocationStrategy.LAST
LARGEST_RATIO = AllocationStrategy.LARGEST_RATIO
LARGEST_REMAINDER = AllocationStrategy.LARGEST_REMAINDER


class TestKnownCases:
    @pytest.mark.parametrize(
        ("strategy", "expected"),
        [(FIRST, [2, 3]), (LARGEST_RATIO, [1, 4]), (LAST, [1, 4]), (LARGEST_REMAINDER, [2, 3])],
    )
    def test_five_cents_split_three_to_seven(self, strategy, expected):
        parts = allocate(Money("0.05", "EUR"), [3, 7], strategy=strategy)
        assert cents(parts) == expected

    @pytest.mark.parametrize("strategy", list(AllocationStrategy))
    @pytest.mark.parametrize("ratios", [[0, 1, 1], [0, 50, 50]])
    def test_a_zero_ratio_never_receives_the_leftover_cent(self, strategy, ratios):
        parts = allocate(Money("10.03", "EUR"), ratios, strategy=strategy)
        assert parts[0] == Money(0, "EUR")
        assert sorted(cents(parts[1:])) == [501, 502]
        assert sum(cents(parts)) == 1003

    @pytest.mark.parametrize(
        ("strategy", "expected"),
        [
            (FIRST, ["0.00 EUR", "5.02 EUR", "5.01 EUR"]),
            (LAST, ["0.00 EUR", "5.01 EUR", "5.02 EUR"]),
            (LARGEST_RATIO, ["0.00 EUR", "5.02 EUR", "5.01 EUR"]),
            (LARGEST_REMAINDER, ["0.00 EUR", "5.02 EUR", "5.01 EUR"]),
        ],
    )
    def test_ten_euros_three_split_over_a_zero_ratio_and_two_equal_ones(self, strategy, expected):
        assert texts(allocate(Money("10.03", "EUR"), [0, 1, 1], strategy=strategy)) == expected

    @pytest.mark.parametrize(
        ("strategy", "expected"),
        [(LARGEST_REMAINDER, [3, 7]), (FIRST, [3, 7]), (LARGEST_RATIO, [2, 8]), (LAST, [2, 8])],
    )
    def test_largest_remainder_follows_the_fraction_lost_not_the_ratio(self, strategy, expected):
        # 10 cents in 2:5 -> exact shares 2.857 and 7.143.
        assert cents(allocate(Money("0.10", "EUR"), [2, 5], strategy=strategy)) == expected

    @pytest.mark.parametrize(
        ("strategy", "expected"),
        [
            (LARGEST_REMAINDER, [1, 5, 4]),
            (FIRST, [2, 4, 4]),
            (LARGEST_RATIO, [1, 5, 4]),
            (LAST, [1, 4, 5]),
        ],
    )
    def test_first_gives_the_leftover_to_the_first_part_even_when_it_lost_least(
        self, strategy, expected
    ):
        # 10 cents in 1:4:4 -> exact shares 1.111, 4.444 and 4.444.
        assert cents(allocate(Money("0.10", "EUR"), [1, 4, 4], strategy=strategy)) == expected

    def test_largest_remainder_is_the_default(self):
        money = Money("0.10", "EUR")
        assert allocate(money, [1, 4, 4]) == allocate(money, [1, 4, 4], strategy=LARGEST_REMAINDER)
        assert allocate(money, [1, 4, 4]) != allocate(money, [1, 4, 4], strategy=FIRST)

    def test_the_strategy_can_be_named_by_its_value(self):
        parts = allocate(Money("0.05", "EUR"), [3, 7], strategy="largest_ratio")
        assert cents(parts) == [1, 4]

    def test_an_unknown_strategy_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            allocate(Money("0.05", "EUR"), [3, 7], strategy="fairest")
        assert caught.value.field == "strategy"
        assert caught.value.value == "fairest"
        assert "'largest_remainder'" in caught.value.reason

    @pytest.mark.parametrize(
        ("money", "ratios", "expected"),
        [
            (Money(100, "JPY"), [1, 1, 1], ["34 JPY", "33 JPY", "33 JPY"]),
            (Money("1.000", "KWD"), [1, 1, 1], ["0.334 KWD", "0.333 KWD", "0.333 KWD"]),
            (Money("1", "CLF"), [1, 1, 1], ["0.3334 CLF", "0.3333 CLF", "0.3333 CLF"]),
            (Money("0.010", "IQD"), [1, 2], ["0.003 IQD", "0.007 IQD"]),
        ],
    )
    def test_parts_are_whole_minor_units_of_the_currency(self, money, ratios, expected):
        assert texts(allocate(money, ratios)) == expected

    def test_an_amount_given_without_decimals_is_split_into_cents(self):
        assert texts(allocate(Money(10, "EUR"), [1, 1])) == ["5.00 EUR", "5.00 EUR"]
        assert texts(allocate(Money("1E+1", "EUR"), [1, 3])) == ["2.50 EUR", "7.50 EUR"]

    @pytest.mark.parametrize("strategy", list(AllocationStrategy))
    def test_negative_money_gives_negative_parts_mirroring_the_positive_split(self, strategy):
        positive = allocate(Money("0.05", "EUR"), [3, 7], strategy=strategy)
        negative = allocate(Money("-0.05", "EUR"), [3, 7], strategy=strategy)
        assert negative == tuple(-part for part in positive)
        assert all(part.is_negative() for part in negative)

    def test_zero_money_gives_zero_parts(self):
        parts = allocate(Money("0.00", "EUR"), [1, 2, 0])
        assert texts(parts) == ["0.00 EUR", "0.00 EUR", "0.00 EUR"]
        assert not any(part.amount.is_signed() for part in parts)

    def test_a_single_ratio_takes_everything(self):
        assert allocate(Money("10.03", "EUR"), [7]) == (Money("10.03", "EUR"),)

    def test_decimal_and_string_ratios_weigh_like_their_integer_equivalents(self):
        money = Money("0.05", "EUR")
        assert allocate(money, [Decimal("0.3"), Decimal("0.7")]) == allocate(money, [3, 7])
        assert allocate(money, ["0.3", "0.7"]) == allocate(money, [3, 7])

    def test_a_tuple_of_ratios_is_accepted(self):
        assert cents(allocate(Money("1.00", "EUR"), (1, 3))) == [25, 75]

    def test_parts_are_in_the_currency_of_the_money(self):
        parts = allocate(Money("1.00", "PLN"), [1, 2])
        assert all(part.currency is Currency("PLN") for part in parts)

    def test_a_discount_spread_over_three_lines_keeps_its_total(self):
        discount = Money("-10.00", "EUR")
        parts = allocate(discount, [Decimal("19.99"), Decimal("5.01"), Decimal("75.00")])
        assert texts(parts) == ["-2.00 EUR", "-0.50 EUR", "-7.50 EUR"]
        assert sum(cents(parts)) == -1000


class TestRefusedInput:
    def test_empty_ratios_are_refused(self):
        with pytest.raises(InvalidRatioError) as caught:
            allocate(Money("1.00", "EUR"), [])
        assert caught.value.field == "ratios"
        assert caught.value.value == []
        assert caught.value.reason == "must not be empty"

    @pytest.mark.parametrize("negative", [-1, Decimal("-0.5")])
    def test_a_negative_ratio_is_refused_with_its_index(self, negative):
        with pytest.raises(InvalidRatioError) as caught:
            allocate(Money("1.00", "EUR"), [1, negative, 2])
        assert caught.value.field == "ratios[1]"
        assert caught.value.value == negative
        assert caught.value.reason == "must not be negative"

    @pytest.mark.parametrize("ratios", [[0], [0, 0, 0], [Decimal("0.00"), 0]])
    def test_ratios_that_are_all_zero_are_refused(self, ratios):
        with pytest.raises(InvalidRatioError) as caught:
            allocate(Money("1.00", "EUR"), ratios)
        assert caught.value.field == "ratios"
        assert caught.value.value == ratios
        assert caught.value.reason == "must not all be zero"

    def test_a_float_ratio_raises_float_not_allowed_error(self):
        with pytest.raises(FloatNotAllowedError) as caught:
            allocate(Money("1.00", "EUR"), [1, 0.5])
        assert caught.value.field == "ratios[1]"
        assert caught.value.value == 0.5

    def test_a_bool_ratio_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            allocate(Money("1.00", "EUR"), [True, 1])
        assert caught.value.field == "ratios[0]"

    @pytest.mark.parametrize("ratio", [Decimal("NaN"), Decimal("Infinity"), "half", ""])
    def test_a_ratio_that_is_not_a_finite_number_is_refused(self, ratio):
        with pytest.raises(InvalidRatioError) as caught:
            allocate(Money("1.00", "EUR"), [1, ratio])
        assert caught.value.field == "ratios[1]"
        assert caught.value.value is ratio

    @pytest.mark.parametrize("ratios", ["12", b"12", {1, 2}, (r for r in [1, 2]), 3, None])
    def test_ratios_that_are_not_a_sequence_are_refused(self, ratios):
        with pytest.raises(InvalidTypeError) as caught:
            allocate(Money("1.00", "EUR"), ratios)
        assert caught.value.field == "ratios"
        assert caught.value.value is ratios

    def test_money_finer_than_the_minor_unit_is_refused(self):
        with pytest.raises(InvalidAmountError) as caught:
            allocate(Money("10.005", "EUR"), [1, 1])
        assert caught.value.field == "money"
        assert caught.value.value == Money("10.005", "EUR")
        assert "quantize" in caught.value.reason

    def test_a_currency_without_minor_units_cannot_be_allocated(self):
        with pytest.raises(NoMinorUnitError) as caught:
            allocate(Money("1", "XAU"), [1, 1])
        assert (caught.value.currency, caught.value.operation) == ("XAU", "allocate")

    @pytest.mark.parametrize("money", [Decimal("1.00"), "1.00 EUR", 100])
    def test_something_that_is_not_money_is_refused(self, money):
        with pytest.raises(InvalidTypeError) as caught:
            allocate(money, [1, 1])
        assert caught.value.field == "money"
        assert caught.value.value is money


class TestSplit:
    def test_splits_into_equal_parts_the_first_taking_the_leftovers(self):
        parts = split(Money("100.00", "EUR"), 3)
        assert texts(parts) == ["33.34 EUR", "33.33 EUR", "33.33 EUR"]

    def test_the_last_parts_can_take_the_leftovers_instead(self):
        parts = split(Money("100.00", "EUR"), 3, strategy=LAST)
        assert texts(parts) == ["33.33 EUR", "33.33 EUR", "33.34 EUR"]

    def test_every_leftover_unit_goes_to_a_different_part(self):
        parts = split(Money("0.05", "EUR"), 3)
        assert cents(parts) == [2, 2, 1]

    def test_more_parts_than_minor_units_gives_some_zero_parts(self):
        assert cents(split(Money("0.02", "EUR"), 5)) == [1, 1, 0, 0, 0]

    def test_one_part_is_the_whole_amount(self):
        assert split(Money("7.77", "EUR"), 1) == (Money("7.77", "EUR"),)

    def test_negative_money_splits_into_negative_parts(self):
        assert texts(split(Money("-1.00", "EUR"), 3)) == ["-0.34 EUR", "-0.33 EUR", "-0.33 EUR"]

    def test_yen_split_into_whole_yen(self):
        assert texts(split(Money(1000, "JPY"), 3)) == ["334 JPY", "333 JPY", "333 JPY"]

    @pytest.mark.parametrize("parts", [0, -2])
    def test_fewer_than_one_part_is_refused(self, parts):
        with pytest.raises(InvalidRatioError) as caught:
            split(Money("1.00", "EUR"), parts)
        assert caught.value.field == "parts"
        assert caught.value.value == parts
        assert caught.value.reason == "must be at least 1"

    @pytest.mark.parametrize("parts", [2.0, True, "2", Decimal(2)])
    def test_a_part_count_that_is_not_an_int_is_refused(self, parts):
        with pytest.raises(InvalidTypeError) as caught:
            split(Money("1.00", "EUR"), parts)
        assert caught.value.field == "parts"
        assert caught.value.value is parts

    def test_money_finer_than_the_minor_unit_is_refused(self):
        with pytest.raises(InvalidAmountError) as caught:
            split(Money("1.001", "EUR"), 2)
        assert caught.value.field == "money"
