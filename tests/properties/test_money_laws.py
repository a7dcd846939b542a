"""Laws of money arithmetic, ordering, rounding and minor units, in currencies with 0-4 digits."""

from __future__ import annotations

import operator
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomkit.errors import CurrencyMismatchError, InvalidAmountError
from ecomkit.money import Currency, Money, Rounding, sum_money


# JPY has 0 minor units, EUR 2, KWD 3 and CLF 4.
CURRENCIES = [Currency("JPY"), Currency("EUR"), Currency("KWD"), Currency("CLF")]

currencies = st.sampled_from(CURRENCIES)
modes = st.sampled_from(list(Rounding))


def amounts(limit):
    """Decimals of up to *limit* in magnitude with 0 to 6 places (often finer than a unit)."""
    return st.builds(
        lambda units, places: Decimal(units).scaleb(-places),
        st.integers(min_value=-limit, max_value=limit),
        st.integers(min_value=0, max_value=6),
    )


def money_in(currency, limit=10**30):
    # Up to 31 significant digits by default: wider than the default decimal context (28), so
    # the laws also hold for amounts that context would round.
    return amounts(limit).map(lambda amount: Money(amount, currency))


def same_currency(count):
    return currencies.flatmap(lambda currency: st.tuples(*[money_in(currency)] * count))


def quantized_in(currency):
    return st.integers(min_value=-(10**15), max_value=10**15).map(
        lambda units: Money.from_minor_units(units, currency)
    )


any_money = currencies.flatmap(money_in)
any_quantized = currencies.flatmap(quantized_in)
two_currencies = st.lists(currencies, min_size=2, max_size=2, unique=True).flatmap(
    lambda pair: st.tuples(money_in(pair[0]), money_in(pair[1]))
)


def unit_of(money):
    return Decimal(1).scaleb(-money.currency.minor_units)


class TestAdditionLaws:
    @given(same_currency(2))
    def test_addition_is_commutative(self, pair):
        a, b = pair
        assert a + b == b + a

    @given(same_currency(3))
    def test_addition_is_associative(self, triple):
        a, b, c = triple
        assert (a + b) + c == a + (b + c)

    @given(same_currency(2))
    def test_subtracting_then_adding_back_gives_the_original(self, pair):
        a, b = pair
        assert a - b + b == a

    @given(any_money)
    def test_zero_is_the_identity(self, a):
        assert a + Money.zero(a.currency) == a
        assert a - Money.zero(a.currency) == a

    @given(any_money)
    def test_an_amount_minus_itself_is_plain_zero(self, a):
        difference = a - a
        assert difference.is_zero()
        assert not difference.amount.is_signed()
        assert a + -a == difference

    @given(any_money)
    def test_negation_is_its_own_inverse(self, a):
        negated = -a
        assert -negated == a
        assert abs(negated) == abs(a)

    @given(same_currency(3))
    def test_sum_money_agrees_with_repeated_addition(self, triple):
        a, b, c = triple
        assert sum_money(iter(triple), currency=a.currency) == a + b + c

    @given(any_money, st.integers(min_value=-1000, max_value=1000))
    def test_multiplying_by_an_int_is_repeated_addition(self, a, count):
        expected = sum_money([a] * abs(count), currency=a.currency)
        assert a * count == (expected if count >= 0 else -expected)

    @given(same_currency(2), st.integers(min_value=-1000, max_value=1000))
    def test_multiplication_distributes_over_addition(self, pair, factor):
        a, b = pair
        assert (a + b) * factor == a * factor + b * factor

    @given(
        currencies.flatmap(lambda currency: money_in(currency, limit=10**18)),
        st.integers(min_value=1, max_value=10**6),
    )
    def test_dividing_a_product_by_its_factor_gives_the_original(self, a, factor):
        # Divisions keep 34 significant digits, enough for these 25-digit products.
        assert (a * factor) / factor == a


class TestOrderingLaws:
    @given(same_currency(2))
    def test_exactly_one_of_less_equal_or_greater_holds(self, pair):
        a, b = pair
        assert [a < b, a == b, a > b].count(True) == 1

    @given(same_currency(2))
    def test_less_than_means_the_difference_is_positive(self, pair):
        a, b = pair
        assert (a < b) == (b - a).is_positive()
        assert (a <= b) == (not (b - a).is_negative())

    @given(any_money, st.integers(min_value=1, max_value=6))
    def test_trailing_zeros_change_neither_equality_nor_hash(self, a, zeros):
        sign, digits, exponent = a.amount.as_tuple()
        padded = Money(Decimal((sign, (*digits, *[0] * zeros), exponent - zeros)), a.currency)
        assert padded.amount.as_tuple().exponent == exponent - zeros
        assert padded == a
        assert hash(padded) == hash(a)
        assert not padded < a
        assert not padded > a

    @given(any_money)
    def test_str_and_repr_round_trip(self, a):
        amount, code = str(a).split(" ")
        assert Money(amount, code) == a
        assert "E" not in amount
        assert eval(repr(a), {"Money": Money}) == a  # noqa: S307 - our own repr


class TestCurrencyMixing:
    @pytest.mark.parametrize(
        ("operation", "name"),
        [
            (operator.add, "add"),
            (operator.sub, "subtract"),
            (operator.truediv, "divide"),
            (operator.lt, "compare"),
            (operator.le, "compare"),
            (operator.gt, "compare"),
            (operator.ge, "compare"),
        ],
    )
    @given(pair=two_currencies)
    def test_mixing_currencies_always_raises(self, operation, name, pair):
        a, b = pair
        with pytest.raises(CurrencyMismatchError) as caught:
            operation(a, b)
        error = caught.value
        assert (error.expected, error.actual, error.operation) == (
            a.currency.code,
            b.currency.code,
            name,
        )

    @given(two_currencies)
    def test_amounts_in_two_currencies_are_never_equal(self, pair):
        a, b = pair
        assert a != b

    @given(two_currencies)
    def test_summing_mixed_currencies_names_the_first_stranger(self, pair):
        a, b = pair
        with pytest.raises(CurrencyMismatchError) as caught:
            sum_money([a, a, b], currency=a.currency)
        assert caught.value.operation == "sum items[2]"


class TestQuantizeLaws:
    @given(any_money, modes)
    def test_quantize_is_idempotent(self, a, mode):
        once = a.quantize(rounding=mode)
        assert once.quantize(rounding=mode) == once
        assert str(once.quantize(rounding=mode)) == str(once)

    @given(any_money, modes)
    def test_quantize_keeps_exactly_the_iso_minor_units(self, a, mode):
        rounded = a.quantize(rounding=mode)
        assert rounded.amount.as_tuple().exponent == -a.currency.minor_units
        assert rounded.currency is a.currency

    @given(any_money, modes)
    def test_quantize_moves_an_amount_by_less_than_one_minor_unit(self, a, mode):
        assert abs((a.quantize(rounding=mode) - a).amount) < unit_of(a)

    @given(any_money)
    def test_quantize_rounds_in_the_direction_its_mode_names(self, a):
        assert a.quantize(rounding=Rounding.FLOOR) <= a <= a.quantize(rounding=Rounding.CEILING)
        down, up = a.quantize(rounding=Rounding.DOWN), a.quantize(rounding=Rounding.UP)
        assert abs(down) <= abs(a) <= abs(up)

    @given(any_money, modes)
    def test_rounding_is_symmetric_for_modes_that_ignore_the_sign(self, a, mode):
        if mode in {Rounding.CEILING, Rounding.FLOOR}:
            mirrored = {Rounding.CEILING: Rounding.FLOOR, Rounding.FLOOR: Rounding.CEILING}[mode]
            assert (-a).quantize(rounding=mode) == -(a.quantize(rounding=mirrored))
        else:
            assert (-a).quantize(rounding=mode) == -(a.quantize(rounding=mode))

    @given(any_quantized, modes)
    def test_an_amount_already_in_minor_units_is_unchanged_by_every_mode(self, a, mode):
        assert a.quantize(rounding=mode) == a


class TestMinorUnitLaws:
    @given(st.integers(min_value=-(10**40), max_value=10**40), currencies)
    def test_minor_units_round_trip(self, units, currency):
        assert Money.from_minor_units(units, currency).to_minor_units() == units

    @given(any_quantized)
    def test_quantized_money_round_trips_through_minor_units(self, a):
        assert Money.from_minor_units(a.to_minor_units(), a.currency) == a

    @given(any_money, modes)
    def test_rounding_to_minor_units_agrees_with_quantize(self, a, mode):
        assert a.to_minor_units(rounding=mode) == a.quantize(rounding=mode).to_minor_units()

    @given(any_money)
    def test_only_amounts_finer_than_the_minor_unit_need_rounding(self, a):
        exact = a.quantize(rounding=Rounding.DOWN) == a
        if exact:
            assert a.to_minor_units() == a.to_minor_units(rounding=Rounding.UP)
        else:
            with pytest.raises(InvalidAmountError):
                a.to_minor_units()
