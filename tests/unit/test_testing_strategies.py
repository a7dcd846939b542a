"""The Hypothesis strategies shipped in ecomkit.testing.strategies keep their promises."""

from __future__ import annotations

from hypothesis import given

from ecomkit import Currency, Money
from ecomkit.i18n import normalize_locale
from ecomkit.testing import strategies as ek


class TestStrategies:
    @given(ek.currencies())
    def test_currencies_have_minor_units_by_default(self, currency):
        assert currency.minor_units is not None

    @given(ek.money(currency="KWD", min_units=-5, max_units=5))
    def test_money_respects_currency_and_bounds_in_whole_minor_units(self, money):
        assert money.currency is Currency("KWD")
        assert -5 <= money.to_minor_units() <= 5

    @given(ek.money(currency="EUR", extra_digits=2))
    def test_extra_digits_go_at_most_that_far_below_the_minor_unit(self, money):
        exponent = money.amount.as_tuple().exponent
        assert -4 <= exponent <= -2

    @given(ek.locales())
    def test_locales_are_in_canonical_form(self, locale):
        assert normalize_locale(locale) == locale

    @given(ek.aware_datetimes())
    def test_datetimes_are_aware(self, moment):
        assert moment.utcoffset() is not None

    @given(ek.money_ranges(currency="JPY"))
    def test_ranges_are_ordered(self, prices):
        assert prices.start <= prices.stop
        assert isinstance(prices.start, Money)

    @given(ek.taxed_money(currency="PLN"))
    def test_taxed_money_has_non_negative_tax(self, taxed):
        assert taxed.tax.amount >= 0
