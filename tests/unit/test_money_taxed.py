"""TaxedMoney (net, gross and tax) and MoneyRange."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from ecomkit.errors import (
    CurrencyMismatchError,
    FloatNotAllowedError,
    InvalidRateError,
    InvalidTypeError,
    InvalidValueError,
    NoMinorUnitError,
)
from ecomkit.money import Currency, Money, MoneyRange, Rounding, TaxedMoney


def eur(amount):
    return Money(amount, "EUR")


class TestTaxedMoney:
    def test_the_tax_is_the_difference_between_gross_and_net(self):
        price = TaxedMoney(net=eur("10.00"), gross=eur("12.30"))
        assert price.tax == eur("2.30")
        assert price.currency is Currency("EUR")

    def test_net_and_gross_in_different_currencies_are_refused(self):
        with pytest.raises(CurrencyMismatchError) as caught:
            TaxedMoney(net=eur("10.00"), gross=Money("12.30", "USD"))
        error = caught.value
        assert (error.expected, error.actual) == ("EUR", "USD")
        assert error.operation == "build TaxedMoney from"

    @pytest.mark.parametrize(
        ("net", "gross", "field"),
        [
            (Decimal(10), Money(12, "EUR"), "net"),
            (Money(10, "EUR"), "12.00", "gross"),
            (None, None, "net"),
        ],
    )
    def test_amounts_that_are_not_money_are_refused(self, net, gross, field):
        with pytest.raises(InvalidTypeError) as caught:
            TaxedMoney(net=net, gross=gross)
        assert caught.value.field == field
        assert caught.value.expected == "Money"

    def test_taxed_money_is_frozen_and_hashable(self):
        price = TaxedMoney(net=eur("10.00"), gross=eur("12.30"))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            price.net = eur(1)
        same = TaxedMoney(net=eur("10.0"), gross=eur("12.3"))
        assert price == same
        assert hash(price) == hash(same)

    def test_zero_has_zero_net_gross_and_tax(self):
        zero = TaxedMoney.zero("pln")
        assert zero.net == zero.gross == zero.tax == Money(0, "PLN")


class TestFromNet:
    def test_adds_tax_at_the_rate(self):
        price = TaxedMoney.from_net(eur("100.00"), rate=Decimal("0.23"), rounding=Rounding.HALF_UP)
        assert (price.net, price.gross, price.tax) == (eur("100.00"), eur("123.00"), eur("23.00"))

    @pytest.mark.parametrize(
        ("mode", "gross"),
        [(Rounding.HALF_UP, "12.29"), (Rounding.DOWN, "12.28"), (Rounding.UP, "12.29")],
    )
    def test_rounds_the_gross_with_the_mode_given(self, mode, gross):
        # 9.99 * 1.23 = 12.2877
        price = TaxedMoney.from_net(Money("9.99", "PLN"), rate="0.23", rounding=mode)
        assert str(price.gross) == f"{gross} PLN"
        assert price.net + price.tax == price.gross

    def test_rounds_the_net_to_minor_units_too(self):
        price = TaxedMoney.from_net(eur("9.999"), rate=0, rounding=Rounding.HALF_UP)
        assert str(price.net) == "10.00 EUR"
        assert str(price.gross) == "10.00 EUR"
        assert price.tax.is_zero()

    @pytest.mark.parametrize("rate", [Decimal("0.2"), "0.2", "20E-2"])
    def test_the_rate_may_be_a_decimal_or_a_decimal_string(self, rate):
        price = TaxedMoney.from_net(eur("10.00"), rate=rate, rounding=Rounding.HALF_UP)
        assert price.gross == eur("12.00")

    def test_a_rate_above_one_is_allowed(self):
        price = TaxedMoney.from_net(eur("10.00"), rate=2, rounding=Rounding.HALF_UP)
        assert price.gross == eur("30.00")

    def test_yen_gross_is_rounded_to_whole_yen(self):
        price = TaxedMoney.from_net(Money(999, "JPY"), rate="0.10", rounding=Rounding.HALF_UP)
        assert str(price.gross) == "1099 JPY"
        assert str(price.tax) == "100 JPY"

    def test_the_rounding_mode_is_required(self):
        with pytest.raises(TypeError):
            TaxedMoney.from_net(eur("10.00"), rate="0.2")

    def test_a_float_rate_is_refused(self):
        with pytest.raises(FloatNotAllowedError) as caught:
            TaxedMoney.from_net(eur("10.00"), rate=0.2, rounding=Rounding.HALF_UP)
        assert caught.value.field == "rate"
        assert caught.value.value == 0.2

    @pytest.mark.parametrize(
        ("rate", "reason"),
        [
            (Decimal("-0.2"), "must not be negative"),
            (-1, "must not be negative"),
            ("abc", "not a decimal number"),
            (Decimal("NaN"), "not a finite number"),
        ],
    )
    def test_a_negative_or_malformed_rate_is_refused(self, rate, reason):
        with pytest.raises(InvalidRateError) as caught:
            TaxedMoney.from_net(eur("10.00"), rate=rate, rounding=Rounding.HALF_UP)
        assert caught.value.field == "rate"
        assert caught.value.value is rate
        assert caught.value.reason == reason

    def test_the_net_must_be_money(self):
        with pytest.raises(InvalidTypeError) as caught:
            TaxedMoney.from_net(Decimal(10), rate="0.2", rounding=Rounding.HALF_UP)
        assert caught.value.field == "net"

    def test_a_currency_without_minor_units_cannot_be_rounded(self):
        with pytest.raises(NoMinorUnitError) as caught:
            TaxedMoney.from_net(Money(10, "XAU"), rate="0.2", rounding=Rounding.HALF_UP)
        assert caught.value.currency == "XAU"


class TestFromGross:
    def test_extracting_twenty_percent_from_1000_gives_166_67_not_200(self):
        price = TaxedMoney.from_gross(
            Money(1000, "EUR"), rate=Decimal("0.20"), rounding=Rounding.HALF_UP
        )
        assert str(price.net) == "833.33 EUR"
        assert str(price.tax) == "166.67 EUR"
        assert str(price.gross) == "1000.00 EUR"
        assert price.tax != eur(200)

    def test_rounds_the_net_with_the_mode_given(self):
        price = TaxedMoney.from_gross(eur(1000), rate="0.20", rounding=Rounding.UP)
        assert (str(price.net), str(price.tax)) == ("833.34 EUR", "166.66 EUR")

    def test_yen_net_is_whole_yen(self):
        price = TaxedMoney.from_gross(Money(1000, "JPY"), rate="0.10", rounding=Rounding.HALF_UP)
        assert (str(price.net), str(price.tax)) == ("909 JPY", "91 JPY")

    def test_a_zero_rate_leaves_no_tax(self):
        price = TaxedMoney.from_gross(eur("5.00"), rate=0, rounding=Rounding.HALF_UP)
        assert price.net == price.gross == eur(5)
        assert price.tax.is_zero()

    def test_a_float_rate_is_refused(self):
        with pytest.raises(FloatNotAllowedError) as caught:
            TaxedMoney.from_gross(eur(1000), rate=0.2, rounding=Rounding.HALF_UP)
        assert caught.value.field == "rate"

    def test_a_negative_rate_is_refused(self):
        with pytest.raises(InvalidRateError) as caught:
            TaxedMoney.from_gross(eur(1000), rate="-0.2", rounding=Rounding.HALF_UP)
        assert caught.value.field == "rate"
        assert caught.value.value == "-0.2"

    def test_the_gross_must_be_money(self):
        with pytest.raises(InvalidTypeError) as caught:
            TaxedMoney.from_gross(1000, rate="0.2", rounding=Rounding.HALF_UP)
        assert caught.value.field == "gross"

    def test_the_rounding_mode_is_required(self):
        with pytest.raises(TypeError):
            TaxedMoney.from_gross(eur(1000), rate="0.2")


class TestTaxedArithmetic:
    def test_adds_subtracts_and_multiplies_net_and_gross_together(self):
        a = TaxedMoney(net=eur("10.00"), gross=eur("12.30"))
        b = TaxedMoney(net=eur("1.00"), gross=eur("1.23"))
        assert a + b == TaxedMoney(net=eur("11.00"), gross=eur("13.53"))
        assert a - b == TaxedMoney(net=eur("9.00"), gross=eur("11.07"))
        assert a * 2 == 2 * a == TaxedMoney(net=eur("20.00"), gross=eur("24.60"))
        assert -b == TaxedMoney(net=eur("-1.00"), gross=eur("-1.23"))

    def test_adding_another_currency_raises_currency_mismatch_error(self):
        a = TaxedMoney(net=eur(1), gross=eur(1))
        b = TaxedMoney(net=Money(1, "USD"), gross=Money(1, "USD"))
        with pytest.raises(CurrencyMismatchError) as caught:
            a + b
        assert (caught.value.expected, caught.value.actual) == ("EUR", "USD")
        assert caught.value.operation == "add"

    @pytest.mark.parametrize("other", [eur(1), 1])
    def test_adding_or_subtracting_something_else_is_refused(self, other):
        price = TaxedMoney(net=eur(1), gross=eur(1))
        with pytest.raises(InvalidTypeError) as caught:
            price + other
        assert caught.value.field == "other"
        with pytest.raises(InvalidTypeError):
            price - other

    def test_a_float_factor_is_refused(self):
        with pytest.raises(FloatNotAllowedError):
            TaxedMoney(net=eur(1), gross=eur(1)) * 1.5

    def test_quantize_rounds_net_and_gross_with_the_mode_given(self):
        price = TaxedMoney(net=eur("1.005"), gross=eur("1.235"))
        assert price.quantize(rounding=Rounding.HALF_UP) == TaxedMoney(
            net=eur("1.01"), gross=eur("1.24")
        )
        assert price.quantize(rounding=Rounding.HALF_EVEN) == TaxedMoney(
            net=eur("1.00"), gross=eur("1.24")
        )
        assert price.quantize(rounding=Rounding.DOWN, digits=1) == TaxedMoney(
            net=eur("1.0"), gross=eur("1.2")
        )

    def test_quantize_needs_a_known_mode(self):
        price = TaxedMoney(net=eur("1.005"), gross=eur("1.235"))
        with pytest.raises(TypeError):
            price.quantize()
        with pytest.raises(InvalidValueError) as caught:
            price.quantize(rounding="up")
        assert caught.value.field == "rounding"


class TestMoneyRange:
    def test_holds_a_start_and_a_stop_in_one_currency(self):
        prices = MoneyRange(eur("9.99"), eur("24.99"))
        assert (prices.start, prices.stop) == (eur("9.99"), eur("24.99"))
        assert prices.currency is Currency("EUR")

    def test_a_range_of_one_amount_is_allowed(self):
        assert MoneyRange(eur("5"), eur("5.00")).start == eur(5)

    def test_a_start_above_the_stop_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            MoneyRange(eur("25.00"), eur("9.99"))
        assert caught.value.field == "stop"
        assert caught.value.value == eur("9.99")
        assert "25.00 EUR" in caught.value.reason

    def test_ends_in_different_currencies_are_refused(self):
        with pytest.raises(CurrencyMismatchError) as caught:
            MoneyRange(eur(1), Money(2, "USD"))
        assert (caught.value.expected, caught.value.actual) == ("EUR", "USD")
        assert caught.value.operation == "build MoneyRange from"

    @pytest.mark.parametrize(
        ("start", "stop", "field"), [(1, eur(2), "start"), (eur(1), "2", "stop")]
    )
    def test_ends_that_are_not_money_are_refused(self, start, stop, field):
        with pytest.raises(InvalidTypeError) as caught:
            MoneyRange(start, stop)
        assert caught.value.field == field

    @pytest.mark.parametrize(
        ("amount", "inside"),
        [("9.99", True), ("24.99", True), ("12", True), ("9.98", False), ("25", False)],
    )
    def test_contains_amounts_between_its_ends_inclusive(self, amount, inside):
        assert (eur(amount) in MoneyRange(eur("9.99"), eur("24.99"))) is inside

    @pytest.mark.parametrize("item", [Decimal(12), 12, "12.00 EUR", None])
    def test_contains_nothing_that_is_not_money(self, item):
        assert item not in MoneyRange(eur("9.99"), eur("24.99"))

    def test_asking_about_another_currency_raises_currency_mismatch_error(self):
        with pytest.raises(CurrencyMismatchError) as caught:
            _ = Money(12, "USD") in MoneyRange(eur("9.99"), eur("24.99"))
        assert caught.value.actual == "USD"

    @pytest.mark.parametrize(
        ("mode", "start", "stop"),
        [
            (Rounding.HALF_UP, "1.01", "3.04"),
            (Rounding.HALF_EVEN, "1.00", "3.04"),
            (Rounding.HALF_DOWN, "1.00", "3.03"),
            (Rounding.DOWN, "1.00", "3.03"),
            (Rounding.UP, "1.01", "3.04"),
        ],
    )
    def test_quantize_applies_the_rounding_mode_to_both_ends(self, mode, start, stop):
        rounded = MoneyRange(eur("1.005"), eur("3.035")).quantize(rounding=mode)
        assert (str(rounded.start.amount), str(rounded.stop.amount)) == (start, stop)

    def test_quantize_can_keep_other_digits(self):
        rounded = MoneyRange(eur("1.005"), eur("3.035")).quantize(rounding="ROUND_UP", digits=1)
        assert (str(rounded.start), str(rounded.stop)) == ("1.1 EUR", "3.1 EUR")

    def test_quantize_has_no_default_mode(self):
        with pytest.raises(TypeError):
            MoneyRange(eur("1.005"), eur("3.035")).quantize()

    def test_covering_gives_the_smallest_range_holding_every_amount(self):
        amounts = [eur("12"), eur("3.50"), eur("99.99"), eur("40")]
        assert MoneyRange.covering(amounts) == MoneyRange(eur("3.50"), eur("99.99"))
        assert MoneyRange.covering((eur(1),)) == MoneyRange(eur(1), eur(1))

    def test_covering_nothing_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            MoneyRange.covering([])
        assert caught.value.field == "amounts"

    def test_covering_amounts_in_two_currencies_is_refused(self):
        with pytest.raises(CurrencyMismatchError):
            MoneyRange.covering([eur(1), Money(2, "USD")])

    def test_adding_money_shifts_both_ends(self):
        shifted = MoneyRange(eur("9.99"), eur("24.99")) + eur("1.01")
        assert shifted == MoneyRange(eur("11.00"), eur("26.00"))

    def test_shifting_by_another_currency_is_refused(self):
        with pytest.raises(CurrencyMismatchError):
            MoneyRange(eur(1), eur(2)) + Money(1, "USD")

    def test_ranges_are_frozen_and_hashable(self):
        prices = MoneyRange(eur("1.0"), eur("2.0"))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            prices.start = eur(0)
        assert hash(prices) == hash(MoneyRange(eur("1.00"), eur("2.00")))
        assert prices == MoneyRange(eur("1.00"), eur("2.00"))
