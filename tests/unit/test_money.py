"""Money: construction, refusals, arithmetic, ordering, rounding, minor units, sums, exchange."""

from __future__ import annotations

import decimal
import pickle
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

from ecomkit.errors import (
    CurrencyMismatchError,
    EcomkitError,
    FloatNotAllowedError,
    InvalidAmountError,
    InvalidRateError,
    InvalidTypeError,
    InvalidValueError,
    NoMinorUnitError,
    UnknownCurrencyError,
)
from ecomkit.money import Currency, Money, Rounding, allocate, convert, format_money, sum_money


def eur(amount):
    return Money(amount, "EUR")


def usd(amount):
    return Money(amount, "USD")


def digits_after_point(money):
    return -money.amount.as_tuple().exponent


class TestConstruction:
    @pytest.mark.parametrize(
        ("amount", "expected"),
        [
            (12, Decimal(12)),
            (-3, Decimal(-3)),
            ("19.99", Decimal("19.99")),
            ("-12.30", Decimal("-12.30")),
            ("+5", Decimal(5)),
            (".5", Decimal("0.5")),
            ("1.", Decimal(1)),
            ("1E+3", Decimal(1000)),
            ("2.5e-2", Decimal("0.025")),
            (Decimal("7.125"), Decimal("7.125")),
        ],
    )
    def test_accepts_int_decimal_string_and_decimal(self, amount, expected):
        money = eur(amount)
        assert money.amount == expected
        assert type(money.amount) is Decimal

    def test_keeps_the_precision_it_was_given(self):
        assert str(eur("1.5").amount) == "1.5"
        assert str(eur("1.500").amount) == "1.500"
        assert str(eur("0.001").amount) == "0.001"

    def test_normalizes_the_currency_code(self):
        money = Money("1", "eur")
        assert money.currency is Currency("EUR")
        assert Money("1", Currency("EUR")).currency is Currency("EUR")

    def test_an_unknown_currency_is_refused(self):
        with pytest.raises(UnknownCurrencyError) as caught:
            Money("1", "ABC")
        assert caught.value.code == "ABC"

    def test_a_currency_that_is_not_a_string_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            Money("1", 978)
        assert caught.value.field == "currency"
        assert caught.value.value == 978

    def test_zero_is_zero_in_the_currency(self):
        zero = Money.zero("jpy")
        assert zero == Money(0, "JPY")
        assert zero.is_zero()


class TestRefusedAmounts:
    @pytest.mark.parametrize("value", [0.1, 19.99, 1.0, -2.5, float("nan"), float("inf")])
    def test_a_float_raises_float_not_allowed_error(self, value):
        with pytest.raises(FloatNotAllowedError) as caught:
            eur(value)
        error = caught.value
        assert isinstance(error, TypeError)
        assert isinstance(error, InvalidTypeError)
        assert error.field == "amount"
        assert error.value is value

    def test_the_float_error_says_to_pass_a_string(self):
        with pytest.raises(FloatNotAllowedError) as caught:
            eur(19.99)
        message = str(caught.value)
        assert "'19.99'" in message
        assert "string" in message
        assert "decimal.Decimal" in message

    @pytest.mark.parametrize("value", [True, False])
    def test_a_bool_is_refused_as_a_type(self, value):
        with pytest.raises(InvalidTypeError) as caught:
            eur(value)
        assert not isinstance(caught.value, FloatNotAllowedError)
        assert caught.value.field == "amount"
        assert caught.value.value is value

    @pytest.mark.parametrize("value", [None, b"1", Fraction(1, 2), [1], complex(1, 0)])
    def test_other_types_are_refused(self, value):
        with pytest.raises(InvalidTypeError) as caught:
            eur(value)
        assert caught.value.field == "amount"
        assert caught.value.value is value
        assert "str, int or decimal.Decimal" in caught.value.expected

    @pytest.mark.parametrize(
        "value",
        [
            Decimal("NaN"),
            Decimal("-NaN"),
            Decimal("sNaN"),
            Decimal("Infinity"),
            Decimal("-Infinity"),
        ],
    )
    def test_non_finite_decimals_raise_invalid_amount_error(self, value):
        with pytest.raises(InvalidAmountError) as caught:
            eur(value)
        assert caught.value.field == "amount"
        assert caught.value.value is value
        assert caught.value.reason == "not a finite number"

    @pytest.mark.parametrize(
        "value",
        [
            "NaN",
            "nan",
            "sNaN",
            "Infinity",
            "-Infinity",
            "inf",
            "",
            " ",
            " 1",
            "1 ",
            "abc",
            "1,00",
            "1_000",
            "0x10",
            "1.2.3",
            "--1",
            "1e",
            ".",
            "12 EUR",
            "€12",
        ],
    )
    def test_strings_that_are_not_decimal_numbers_raise_invalid_amount_error(self, value):
        with pytest.raises(InvalidAmountError) as caught:
            eur(value)
        error = caught.value
        assert isinstance(error, ValueError)
        assert isinstance(error, EcomkitError)
        assert error.field == "amount"
        assert error.value == value
        assert error.reason == "not a decimal number"


class TestValueSemantics:
    def test_money_is_frozen(self):
        money = eur("1.00")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            money.amount = Decimal(2)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            money.currency = Currency("USD")
        assert money == eur("1.00")

    def test_equality_ignores_trailing_zeros_and_hashes_agree(self):
        assert eur("1.0") == eur("1.00")
        assert hash(eur("1.0")) == hash(eur("1.00"))
        assert eur(1) == eur("1.000")
        assert hash(eur(1)) == hash(eur("1.000"))
        assert len({eur("1.0"), eur("1.00"), eur(1)}) == 1

    def test_the_same_amount_in_two_currencies_is_not_equal(self):
        assert eur(1) != usd(1)

    def test_money_is_not_equal_to_a_bare_number(self):
        assert eur(1) != Decimal(1)
        assert eur(1) != 1

    def test_money_works_as_a_dictionary_key(self):
        totals = {eur("10.00"): "ten"}
        assert totals[eur(10)] == "ten"

    @pytest.mark.parametrize(
        "money",
        [
            Money("-0", "EUR"),
            Money("-0.00", "EUR"),
            Money(Decimal("-0.000"), "EUR"),
            -Money("0.00", "EUR"),
            Money("0.00", "EUR") * -1,
            Money("-1.00", "EUR") + Money("1.00", "EUR"),
            Money("-0.001", "EUR").quantize(rounding=Rounding.HALF_UP),
            Money("-0.004", "EUR").quantize(rounding=Rounding.CEILING),
            Money("-0.00", "EUR") / 3,
        ],
    )
    def test_negative_zero_becomes_plain_zero(self, money):
        assert money.is_zero()
        assert not money.amount.is_signed()
        assert not str(money).startswith("-")

    def test_trusted_construction_equals_the_validated_one(self):
        trusted = Money._trusted(Decimal("1.50"), Currency("EUR"))
        assert trusted == eur("1.5")
        assert hash(trusted) == hash(eur("1.5"))
        assert str(trusted) == "1.50 EUR"

    def test_pickling_round_trips(self):
        money = Money("12.345", "KWD")
        restored = pickle.loads(pickle.dumps(money))  # noqa: S301 - pickled just above
        assert restored == money
        assert restored.currency is Currency("KWD")
        assert str(restored.amount) == "12.345"


class TestArithmetic:
    def test_adds_and_subtracts_exactly(self):
        assert eur("0.1") + eur("0.2") == eur("0.3")
        assert eur("10.00") - eur("0.01") == eur("9.99")
        assert str((eur("1.10") + eur("2.2")).amount) == "3.30"

    def test_multiplies_by_int_and_decimal_on_either_side(self):
        assert eur("19.99") * 3 == eur("59.97")
        assert 3 * eur("19.99") == eur("59.97")
        assert eur("19.99") * Decimal("0.5") == eur("9.995")
        assert Decimal("0.5") * eur("19.99") == eur("9.995")

    def test_divides_by_a_number(self):
        assert eur("10.00") / 4 == eur("2.5")
        assert eur("10.00") / Decimal("0.5") == eur(20)

    def test_division_is_exact_to_34_significant_digits(self):
        third = eur(1) / 3
        assert third.amount == Decimal("0." + "3" * 34)
        assert (third * 3).quantize(rounding=Rounding.HALF_UP) == eur("1.00")

    def test_dividing_money_by_money_gives_a_decimal_ratio(self):
        ratio = eur("30.00") / eur("12.00")
        assert type(ratio) is Decimal
        assert ratio == Decimal("2.5")

    def test_negation_absolute_value_and_plus(self):
        assert -eur("1.50") == eur("-1.50")
        assert abs(eur("-1.50")) == eur("1.50")
        assert +eur("1.50") == eur("1.50")
        assert (-eur("1.50")).currency is Currency("EUR")

    @pytest.mark.parametrize(
        ("operation", "name"),
        [
            (lambda a, b: a + b, "add"),
            (lambda a, b: a - b, "subtract"),
            (lambda a, b: a / b, "divide"),
        ],
    )
    def test_mixing_currencies_raises_currency_mismatch_error(self, operation, name):
        with pytest.raises(CurrencyMismatchError) as caught:
            operation(eur(1), usd(1))
        error = caught.value
        assert isinstance(error, ValueError)
        assert (error.expected, error.actual, error.operation) == ("EUR", "USD", name)
        assert "convert" in str(error)

    @pytest.mark.parametrize("other", [1, Decimal(1), "1", None])
    def test_adding_something_that_is_not_money_raises_invalid_type_error(self, other):
        with pytest.raises(InvalidTypeError) as caught:
            eur(1) + other
        assert caught.value.field == "other"
        assert caught.value.value is other
        with pytest.raises(InvalidTypeError):
            eur(1) - other

    def test_the_builtin_sum_is_refused_rather_than_starting_from_int_zero(self):
        with pytest.raises(TypeError):
            sum([eur(1), eur(2)])

    @pytest.mark.parametrize(
        ("operation", "field"),
        [
            (lambda m: m * 1.5, "factor"),
            (lambda m: 1.5 * m, "factor"),
            (lambda m: m / 2.0, "divisor"),
        ],
    )
    def test_a_float_factor_or_divisor_raises_float_not_allowed_error(self, operation, field):
        with pytest.raises(FloatNotAllowedError) as caught:
            operation(eur(10))
        assert caught.value.field == field

    @pytest.mark.parametrize("factor", [True, None, Fraction(1, 2)])
    def test_other_factor_types_are_refused(self, factor):
        with pytest.raises(InvalidTypeError) as caught:
            eur(10) * factor
        assert caught.value.field == "factor"
        assert caught.value.value is factor

    def test_money_times_money_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            eur(10) * eur(2)
        assert caught.value.field == "factor"
        assert "money by money" in caught.value.expected

    @pytest.mark.parametrize("divisor", [0, Decimal(0), Decimal("0.00"), Decimal("-0")])
    def test_dividing_by_zero_raises_invalid_amount_error(self, divisor):
        with pytest.raises(InvalidAmountError) as caught:
            eur(10) / divisor
        assert caught.value.field == "divisor"
        assert caught.value.value == divisor
        assert caught.value.reason == "division by zero"

    def test_dividing_by_zero_money_raises_invalid_amount_error(self):
        with pytest.raises(InvalidAmountError) as caught:
            eur(10) / eur("0.00")
        assert caught.value.field == "divisor"
        assert caught.value.value == eur(0)

    @pytest.mark.parametrize("divisor", [Decimal("NaN"), Decimal("Infinity")])
    def test_dividing_by_a_non_finite_number_is_refused(self, divisor):
        with pytest.raises(InvalidAmountError) as caught:
            eur(10) / divisor
        assert caught.value.field == "divisor"

    def test_arithmetic_returns_the_subclass(self):
        class Price(Money):
            pass

        price = Price("2.00", "EUR")
        assert type(price + price) is Price
        assert type(price * 2) is Price
        assert type(-price) is Price
        assert type(price.quantize(rounding=Rounding.HALF_UP)) is Price


class TestPredicates:
    @pytest.mark.parametrize(
        ("amount", "zero", "negative", "positive"),
        [("0.00", True, False, False), ("-0.01", False, True, False), ("0.01", False, False, True)],
    )
    def test_sign_predicates(self, amount, zero, negative, positive):
        money = eur(amount)
        assert (money.is_zero(), money.is_negative(), money.is_positive()) == (
            zero,
            negative,
            positive,
        )


class TestOrdering:
    def test_orders_amounts_in_one_currency(self):
        assert eur("1.00") < eur("1.01")
        assert eur("1.01") > eur("1.00")
        assert eur("1.0") <= eur("1.00")
        assert eur("1.00") >= eur("1.0")
        assert not eur("1.00") < eur("1.0")
        assert eur("-5") < eur(0)

    def test_sorting_min_and_max_work(self):
        prices = [eur("3"), eur("-1"), eur("2.5")]
        assert sorted(prices) == [eur("-1"), eur("2.5"), eur("3")]
        assert min(prices) == eur("-1")
        assert max(prices) == eur("3")

    @pytest.mark.parametrize(
        "compare",
        [
            lambda a, b: a < b,
            lambda a, b: a <= b,
            lambda a, b: a > b,
            lambda a, b: a >= b,
        ],
    )
    def test_comparing_currencies_raises_currency_mismatch_error(self, compare):
        with pytest.raises(CurrencyMismatchError) as caught:
            compare(usd(1), eur(2))
        assert (caught.value.expected, caught.value.actual) == ("USD", "EUR")
        assert caught.value.operation == "compare"

    def test_comparing_with_a_number_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            eur(1) < 2  # noqa: B015 - the comparison is what is under test
        assert caught.value.field == "other"


# Inputs at three decimals, rounded to the two of EUR by each mode.
HALF_CASES = ["0.125", "-0.125", "0.135", "-0.135", "0.121", "-0.121", "0.129", "-0.129"]
ROUNDED = {
    Rounding.HALF_UP: ["0.13", "-0.13", "0.14", "-0.14", "0.12", "-0.12", "0.13", "-0.13"],
    Rounding.HALF_EVEN: ["0.12", "-0.12", "0.14", "-0.14", "0.12", "-0.12", "0.13", "-0.13"],
    Rounding.HALF_DOWN: ["0.12", "-0.12", "0.13", "-0.13", "0.12", "-0.12", "0.13", "-0.13"],
    Rounding.UP: ["0.13", "-0.13", "0.14", "-0.14", "0.13", "-0.13", "0.13", "-0.13"],
    Rounding.DOWN: ["0.12", "-0.12", "0.13", "-0.13", "0.12", "-0.12", "0.12", "-0.12"],
    Rounding.CEILING: ["0.13", "-0.12", "0.14", "-0.13", "0.13", "-0.12", "0.13", "-0.12"],
    Rounding.FLOOR: ["0.12", "-0.13", "0.13", "-0.14", "0.12", "-0.13", "0.12", "-0.13"],
}
# Yen halves, rounded to whole yen.
YEN_HALVES = ["2.5", "-2.5", "3.5", "-3.5"]
YEN_ROUNDED = {
    Rounding.HALF_UP: ["3", "-3", "4", "-4"],
    Rounding.HALF_EVEN: ["2", "-2", "4", "-4"],
    Rounding.HALF_DOWN: ["2", "-2", "3", "-3"],
    Rounding.UP: ["3", "-3", "4", "-4"],
    Rounding.DOWN: ["2", "-2", "3", "-3"],
    Rounding.CEILING: ["3", "-2", "4", "-3"],
    Rounding.FLOOR: ["2", "-3", "3", "-4"],
}


class TestRounding:
    def test_every_mode_is_a_decimal_module_rounding(self):
        assert {mode.value for mode in Rounding} == {
            decimal.ROUND_HALF_UP,
            decimal.ROUND_HALF_EVEN,
            decimal.ROUND_HALF_DOWN,
            decimal.ROUND_UP,
            decimal.ROUND_DOWN,
            decimal.ROUND_CEILING,
            decimal.ROUND_FLOOR,
        }

    def test_the_tables_cover_every_mode(self):
        assert set(ROUNDED) == set(Rounding)
        assert set(YEN_ROUNDED) == set(Rounding)


class TestQuantize:
    @pytest.mark.parametrize("mode", list(Rounding))
    @pytest.mark.parametrize("index", range(len(HALF_CASES)))
    def test_every_mode_rounds_positive_and_negative_cases(self, mode, index):
        rounded = eur(HALF_CASES[index]).quantize(rounding=mode)
        assert str(rounded.amount) == ROUNDED[mode][index]

    @pytest.mark.parametrize("mode", list(Rounding))
    @pytest.mark.parametrize("index", range(len(YEN_HALVES)))
    def test_every_mode_rounds_yen_halves_to_whole_yen(self, mode, index):
        rounded = Money(YEN_HALVES[index], "JPY").quantize(rounding=mode)
        assert str(rounded.amount) == YEN_ROUNDED[mode][index]

    def test_the_rounding_mode_has_no_default(self):
        with pytest.raises(TypeError):
            eur("1.005").quantize()

    def test_the_rounding_mode_is_keyword_only(self):
        with pytest.raises(TypeError):
            eur("1.005").quantize(Rounding.HALF_UP)

    def test_decimal_module_constants_are_accepted(self):
        assert eur("1.005").quantize(rounding=decimal.ROUND_HALF_UP) == eur("1.01")
        assert eur("1.005").quantize(rounding="ROUND_HALF_EVEN") == eur("1.00")

    @pytest.mark.parametrize("mode", [None, "half_up", "HALF_UP", decimal.ROUND_05UP, 1])
    def test_an_unknown_mode_raises_invalid_value_error(self, mode):
        with pytest.raises(InvalidValueError) as caught:
            eur("1.005").quantize(rounding=mode)
        assert caught.value.field == "rounding"
        assert caught.value.value == mode
        assert "ROUND_HALF_UP" in caught.value.reason

    @pytest.mark.parametrize(
        ("code", "amount", "expected"),
        [
            ("EUR", "1.5", "1.50"),
            ("EUR", "2", "2.00"),
            ("JPY", "1234.5", "1235"),
            ("KWD", "1.2345", "1.235"),
            ("IQD", "1.2345", "1.235"),
            ("CLF", "1.23456", "1.2346"),
            ("JPY", "1E+3", "1000"),
        ],
    )
    def test_rounds_to_the_iso_minor_units_by_default(self, code, amount, expected):
        rounded = Money(amount, code).quantize(rounding=Rounding.HALF_UP)
        assert str(rounded.amount) == expected
        assert rounded.currency is Currency(code)

    def test_digits_overrides_the_minor_units(self):
        assert str(eur("1.23456").quantize(rounding=Rounding.HALF_UP, digits=4).amount) == "1.2346"
        assert str(eur("1.5").quantize(rounding=Rounding.HALF_UP, digits=0).amount) == "2"
        assert str(Money("1234.5678", "IQD").quantize(rounding="ROUND_HALF_UP", digits=0)) == (
            "1235 IQD"
        )

    def test_negative_digits_are_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            eur("1").quantize(rounding=Rounding.HALF_UP, digits=-1)
        assert caught.value.field == "digits"
        assert caught.value.value == -1

    @pytest.mark.parametrize("digits", [True, 2.0, "2"])
    def test_digits_of_another_type_are_refused(self, digits):
        with pytest.raises(InvalidTypeError) as caught:
            eur("1").quantize(rounding=Rounding.HALF_UP, digits=digits)
        assert caught.value.field == "digits"

    def test_a_currency_without_minor_units_needs_digits(self):
        gold = Money("1.23456", "XAU")
        with pytest.raises(NoMinorUnitError) as caught:
            gold.quantize(rounding=Rounding.HALF_UP)
        assert (caught.value.currency, caught.value.operation) == ("XAU", "quantize")
        assert gold.quantize(rounding=Rounding.HALF_UP, digits=3) == Money("1.235", "XAU")


class TestRoundToCash:
    @pytest.mark.parametrize(
        ("amount", "mode", "expected"),
        [
            ("10.03", Rounding.HALF_UP, "10.05"),
            ("10.02", Rounding.HALF_UP, "10.00"),
            ("10.025", Rounding.HALF_UP, "10.05"),
            ("10.025", Rounding.HALF_EVEN, "10.00"),
            ("10.075", Rounding.HALF_EVEN, "10.10"),
            ("10.01", Rounding.UP, "10.05"),
            ("10.04", Rounding.DOWN, "10.00"),
            ("-10.03", Rounding.HALF_UP, "-10.05"),
            ("-10.01", Rounding.FLOOR, "-10.05"),
            ("-10.04", Rounding.CEILING, "-10.00"),
            ("10.05", Rounding.DOWN, "10.05"),
        ],
    )
    def test_swiss_francs_round_to_five_centimes(self, amount, mode, expected):
        rounded = Money(amount, "CHF").round_to_cash(rounding=mode)
        assert str(rounded.amount) == expected
        assert rounded.currency is Currency("CHF")

    def test_euros_round_to_the_cent(self):
        assert Money("10.005", "EUR").round_to_cash(rounding=Rounding.HALF_UP) == eur("10.01")

    def test_forints_round_to_whole_forints_in_cash(self):
        forints = Money("10.50", "HUF")
        assert forints.round_to_cash(rounding=Rounding.HALF_UP) == Money(11, "HUF")
        assert forints.round_to_cash(rounding=Rounding.HALF_EVEN) == Money(10, "HUF")

    def test_cash_rounding_needs_an_explicit_mode(self):
        with pytest.raises(TypeError):
            Money("10.03", "CHF").round_to_cash()
        with pytest.raises(InvalidValueError) as caught:
            Money("10.03", "CHF").round_to_cash(rounding="nearest")
        assert caught.value.field == "rounding"


class TestMinorUnits:
    @pytest.mark.parametrize(
        ("amount", "code", "units"),
        [
            ("12.30", "EUR", 1230),
            ("12.3", "EUR", 1230),
            ("-0.05", "EUR", -5),
            ("0", "EUR", 0),
            ("1234", "JPY", 1234),
            ("1E+3", "JPY", 1000),
            ("1.234", "KWD", 1234),
            ("1.234", "IQD", 1234),
            ("1.2345", "CLF", 12345),
        ],
    )
    def test_converts_to_an_integer_count_of_minor_units(self, amount, code, units):
        found = Money(amount, code).to_minor_units()
        assert found == units
        assert type(found) is int

    def test_an_amount_finer_than_the_minor_unit_is_refused_without_rounding(self):
        with pytest.raises(InvalidAmountError) as caught:
            eur("12.305").to_minor_units()
        error = caught.value
        assert error.field == "amount"
        assert error.value == Decimal("12.305")
        assert "rounding=" in error.reason
        assert "EUR" in error.reason

    @pytest.mark.parametrize(
        ("amount", "mode", "units"),
        [
            ("12.305", Rounding.HALF_UP, 1231),
            ("12.305", Rounding.HALF_EVEN, 1230),
            ("12.305", Rounding.DOWN, 1230),
            ("-12.305", Rounding.HALF_UP, -1231),
            ("-12.301", Rounding.FLOOR, -1231),
            ("-12.309", Rounding.CEILING, -1230),
            ("12.301", Rounding.UP, 1231),
        ],
    )
    def test_rounds_when_told_how(self, amount, mode, units):
        assert eur(amount).to_minor_units(rounding=mode) == units

    def test_rounding_is_only_used_when_needed(self):
        assert eur("12.30").to_minor_units(rounding=Rounding.UP) == 1230

    def test_an_unknown_rounding_mode_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            eur("12.305").to_minor_units(rounding="round")
        assert caught.value.field == "rounding"

    def test_a_currency_without_minor_units_cannot_count_them(self):
        with pytest.raises(NoMinorUnitError) as caught:
            Money("1", "XAU").to_minor_units()
        assert caught.value.currency == "XAU"
        assert caught.value.operation == "convert to minor units"

    @pytest.mark.parametrize(
        ("units", "code", "text"),
        [
            (1234, "EUR", "12.34 EUR"),
            (-5, "EUR", "-0.05 EUR"),
            (0, "EUR", "0.00 EUR"),
            (1234, "JPY", "1234 JPY"),
            (1234, "KWD", "1.234 KWD"),
            (1234, "IQD", "1.234 IQD"),
            (12345, "CLF", "1.2345 CLF"),
        ],
    )
    def test_builds_money_from_minor_units(self, units, code, text):
        money = Money.from_minor_units(units, code)
        assert str(money) == text
        assert money.to_minor_units() == units

    @pytest.mark.parametrize("units", [12.0, "1234", Decimal(1234), True])
    def test_minor_units_must_be_an_int(self, units):
        with pytest.raises(InvalidTypeError) as caught:
            Money.from_minor_units(units, "EUR")
        assert caught.value.field == "units"
        assert caught.value.value is units

    def test_cannot_build_from_minor_units_of_a_currency_without_them(self):
        with pytest.raises(NoMinorUnitError) as caught:
            Money.from_minor_units(5, "XAU")
        assert caught.value.currency == "XAU"
        assert caught.value.operation == "build from minor units"


class TestText:
    @pytest.mark.parametrize(
        ("money", "text"),
        [
            (Money("1.50", "EUR"), "Money('1.50', 'EUR')"),
            (Money("-3", "jpy"), "Money('-3', 'JPY')"),
            (Money("1.234", "KWD"), "Money('1.234', 'KWD')"),
        ],
    )
    def test_repr_shows_the_exact_amount_and_code(self, money, text):
        assert repr(money) == text
        assert eval(repr(money), {"Money": Money}) == money  # noqa: S307 - our own repr

    @pytest.mark.parametrize(
        ("money", "text"),
        [
            (Money("1.50", "EUR"), "1.50 EUR"),
            (Money("-3", "jpy"), "-3 JPY"),
            (Money("0.001", "KWD"), "0.001 KWD"),
        ],
    )
    def test_str_is_amount_then_code(self, money, text):
        assert str(money) == text

    @pytest.mark.parametrize(
        ("money", "text"),
        [
            (Money("1E+3", "EUR"), "1000 EUR"),
            (Money(10, "EUR") / Decimal("0.5"), "20 EUR"),
            (Money("1000", "EUR") / Decimal("0.1"), "10000 EUR"),
            (Money("1E-7", "EUR"), "0.0000001 EUR"),
        ],
    )
    def test_str_never_uses_scientific_notation(self, money, text):
        assert str(money) == text


class TestSumMoney:
    def test_an_empty_iterable_sums_to_zero_in_the_currency(self):
        total = sum_money([], currency="eur")
        assert total == eur(0)
        assert total.currency is Currency("EUR")

    def test_an_empty_generator_sums_to_zero(self):
        assert sum_money((money for money in []), currency="JPY") == Money(0, "JPY")

    def test_sums_a_generator_exactly(self):
        total = sum_money((eur("0.1") for _ in range(10)), currency=Currency("EUR"))
        assert total == eur(1)
        assert str(total.amount) == "1.0"

    def test_the_currency_is_required(self):
        with pytest.raises(TypeError):
            sum_money([eur(1)])

    def test_an_item_in_another_currency_is_named_by_its_index(self):
        items = [eur(1), eur(2), usd(3)]
        with pytest.raises(CurrencyMismatchError) as caught:
            sum_money(items, currency="EUR")
        error = caught.value
        assert (error.expected, error.actual) == ("EUR", "USD")
        assert error.operation == "sum items[2]"
        assert "items[2]" in str(error)

    def test_every_item_must_match_the_given_currency(self):
        with pytest.raises(CurrencyMismatchError) as caught:
            sum_money([usd(1)], currency="EUR")
        assert caught.value.operation == "sum items[0]"

    def test_an_item_that_is_not_money_is_named_by_its_index(self):
        with pytest.raises(InvalidTypeError) as caught:
            sum_money([eur(1), Decimal(2)], currency="EUR")
        assert caught.value.field == "items[1]"
        assert caught.value.value == Decimal(2)


class TestConvert:
    def test_converts_at_an_explicit_rate_and_rounds_as_told(self):
        converted = convert(eur("10.00"), "4.2617", "PLN", rounding=Rounding.HALF_UP)
        assert converted == Money("42.62", "PLN")
        assert str(converted.amount) == "42.62"
        assert convert(eur("10.00"), "4.2617", "PLN", rounding=Rounding.DOWN) == Money(
            "42.61", "PLN"
        )

    def test_without_rounding_the_exact_product_is_kept(self):
        converted = convert(eur("10.00"), Decimal("4.2617"), "pln", rounding=None)
        assert str(converted) == "42.617000 PLN"

    def test_rounds_to_the_minor_units_of_the_target(self):
        assert convert(usd("10.00"), Decimal("151.235"), "JPY", rounding="ROUND_HALF_UP") == Money(
            1512, "JPY"
        )
        assert str(convert(usd("100"), "0.307455", "KWD", rounding=Rounding.HALF_UP)) == (
            "30.746 KWD"
        )

    def test_the_rounding_argument_is_required(self):
        with pytest.raises(TypeError):
            convert(eur(1), Decimal(4), "PLN")

    def test_a_float_rate_is_refused(self):
        with pytest.raises(FloatNotAllowedError) as caught:
            convert(eur(1), 4.26, "PLN", rounding=None)
        assert caught.value.field == "rate"
        assert caught.value.value == 4.26

    @pytest.mark.parametrize(
        ("rate", "reason"),
        [
            (0, "must be positive"),
            (Decimal("0.000"), "must be positive"),
            (Decimal(-1), "must not be negative"),
            ("-4.2", "must not be negative"),
            ("abc", "not a decimal number"),
            (Decimal("NaN"), "not a finite number"),
        ],
    )
    def test_a_rate_that_is_not_positive_raises_invalid_rate_error(self, rate, reason):
        with pytest.raises(InvalidRateError) as caught:
            convert(eur(1), rate, "PLN", rounding=Rounding.HALF_UP)
        assert caught.value.field == "rate"
        assert caught.value.value == rate or caught.value.value is rate
        assert caught.value.reason == reason

    def test_converting_to_the_same_currency_needs_a_rate_of_one(self):
        with pytest.raises(InvalidRateError) as caught:
            convert(eur("1.00"), Decimal("1.1"), "EUR", rounding=Rounding.HALF_UP)
        assert caught.value.field == "rate"
        assert caught.value.value == Decimal("1.1")
        assert "EUR" in caught.value.reason
        assert convert(eur("1.005"), Decimal("1.000"), "eur", rounding=None) == eur("1.005")
        assert convert(eur("1.005"), 1, "EUR", rounding=Rounding.HALF_UP) == eur("1.01")

    def test_an_unknown_target_currency_is_refused(self):
        with pytest.raises(UnknownCurrencyError) as caught:
            convert(eur(1), 2, "ZZZ", rounding=None)
        assert caught.value.code == "ZZZ"

    def test_converting_something_that_is_not_money_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            convert(Decimal(1), 2, "PLN", rounding=None)
        assert caught.value.field == "money"

    def test_an_unknown_rounding_mode_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            convert(eur(1), 2, "PLN", rounding="bankers")
        assert caught.value.field == "rounding"

    def test_rounding_into_a_currency_without_minor_units_is_refused(self):
        with pytest.raises(NoMinorUnitError) as caught:
            convert(usd(100), "0.0005", "XAU", rounding=Rounding.HALF_UP)
        assert caught.value.currency == "XAU"
        assert convert(usd(100), "0.0005", "XAU", rounding=None) == Money("0.05", "XAU")


WIDE = "1234567890123456789012345678.91"


class TestIndependenceFromTheDecimalContext:
    """Results must not depend on the precision, rounding or traps of the caller's context."""

    @pytest.fixture
    def narrow_context(self):
        with decimal.localcontext() as context:
            context.prec = 6
            context.rounding = decimal.ROUND_DOWN
            yield context

    @pytest.mark.usefixtures("narrow_context")
    def test_negation_and_absolute_value_stay_exact_in_a_narrow_context(self):
        assert str(-eur("1234567.89")) == "-1234567.89 EUR"
        assert str(abs(eur("-1234567.89"))) == "1234567.89 EUR"

    @pytest.mark.usefixtures("narrow_context")
    def test_quantize_works_in_a_narrow_context(self):
        assert str(eur("1234567.895").quantize(rounding=Rounding.HALF_UP)) == "1234567.90 EUR"

    @pytest.mark.usefixtures("narrow_context")
    def test_minor_units_are_exact_in_a_narrow_context(self):
        assert eur("1234567.89").to_minor_units() == 123456789
        assert eur("1234567.895").to_minor_units(rounding=Rounding.HALF_UP) == 123456790
        assert str(Money.from_minor_units(123456789, "EUR")) == "1234567.89 EUR"

    @pytest.mark.usefixtures("narrow_context")
    def test_cash_rounding_rounds_once_in_a_narrow_context(self):
        francs = Money("12345.675", "CHF")
        assert str(francs.round_to_cash(rounding=Rounding.UP)) == "12345.70 CHF"
        assert str(francs.round_to_cash(rounding=Rounding.DOWN)) == "12345.65 CHF"

    @pytest.mark.usefixtures("narrow_context")
    def test_allocation_is_exact_in_a_narrow_context(self):
        parts = allocate(eur("1234567.89"), [1, 1])
        assert [str(part) for part in parts] == ["617283.95 EUR", "617283.94 EUR"]

    @pytest.mark.usefixtures("narrow_context")
    def test_formatting_is_exact_in_a_narrow_context(self):
        assert format_money(usd("1234567.895"), locale="en_US") == "$1,234,567.90"

    def test_rounding_works_when_the_caller_traps_inexact_results(self):
        with decimal.localcontext() as context:
            context.traps[decimal.Inexact] = True
            assert eur("1.005").quantize(rounding=Rounding.HALF_UP) == eur("1.01")
            assert eur("1.005").to_minor_units(rounding=Rounding.HALF_UP) == 101
            assert Money("10.03", "CHF").round_to_cash(rounding=Rounding.HALF_UP) == Money(
                "10.05", "CHF"
            )
            assert format_money(usd("1.005"), locale="en_US") == "$1.01"

    def test_amounts_wider_than_the_default_context_stay_exact(self):
        wide = eur(WIDE)
        assert str(-wide) == f"-{WIDE} EUR"
        assert str(abs(-wide)) == f"{WIDE} EUR"
        assert wide.to_minor_units() == int(WIDE.replace(".", ""))
        assert Money.from_minor_units(int(WIDE.replace(".", "")), "EUR") == wide
        assert wide.quantize(rounding=Rounding.HALF_UP) == wide
        assert sum(part.to_minor_units() for part in allocate(wide, [1, 2])) == int(
            WIDE.replace(".", "")
        )


class TestLimits:
    def test_a_product_needing_more_than_sixty_digits_is_a_typed_error_not_a_rounding(self):
        third = eur(1) / 3
        with pytest.raises(InvalidAmountError) as caught:
            _ = third * Decimal("1.23456789012345678901234567890")
        assert caught.value.field == "amount"
        assert "60 significant digits" in caught.value.reason

    def test_a_sum_needing_more_than_sixty_digits_is_a_typed_error(self):
        with pytest.raises(InvalidAmountError):
            _ = eur("1E+70") + eur("0.01")

    def test_gold_has_no_cash_rounding(self):
        with pytest.raises(NoMinorUnitError) as caught:
            Money("10.03", "XAU").round_to_cash(rounding=Rounding.HALF_UP)
        assert (caught.value.currency, caught.value.operation) == ("XAU", "round to cash")

    @pytest.mark.parametrize("text", ["\u0661\u0662\u0663", "\uff11\uff12", "1\u066b5"])
    def test_digits_outside_ascii_are_refused(self, text):
        with pytest.raises(InvalidAmountError) as caught:
            eur(text)
        assert caught.value.value == text

    def test_arithmetic_results_never_carry_a_negative_zero(self):
        assert str((eur("0.00") * -1).amount) == "0.00"
        assert str((-eur("0.00")).amount) == "0.00"
        assert str((eur("1.00") - eur("1.00")).amount) == "0.00"
