"""Currency: the shipped ISO 4217 table, lookups, CLDR display data and value semantics."""

from __future__ import annotations

import copy
import operator
import pickle
from decimal import Decimal

import attrs
import pytest

from ecomkit.errors import (
    EcomkitError,
    InvalidTypeError,
    NoMinorUnitError,
    NotFoundError,
    UnknownCurrencyError,
)
from ecomkit.money import Currency
from ecomkit.money._currency import lookup


# Codes whose CLDR display digits (0) differ from their ISO 4217 minor units.
CLDR_SHOWS_NO_DECIMALS = ["AFN", "ALL", "IRR", "KPW", "LAK", "LBP", "MMK", "RSD", "SOS", "SYP"]


class TestIsoTable:
    @pytest.mark.parametrize(
        ("code", "minor_units"),
        [
            ("IQD", 3),
            ("JPY", 0),
            ("KWD", 3),
            ("BHD", 3),
            ("TND", 3),
            ("CLF", 4),
            ("UYW", 4),
            ("EUR", 2),
            ("USD", 2),
            ("KRW", 0),
            ("CLP", 0),
            ("COP", 2),
        ],
    )
    def test_minor_units_come_from_iso_4217(self, code, minor_units):
        assert Currency(code).minor_units == minor_units

    @pytest.mark.parametrize("code", [*CLDR_SHOWS_NO_DECIMALS, "YER", "MGA"])
    def test_minor_units_are_iso_even_where_cldr_displays_no_decimals(self, code):
        currency = Currency(code)
        assert currency.display_digits == 0
        assert currency.minor_units == 2

    def test_iraqi_dinar_has_three_iso_digits_but_displays_none(self):
        dinar = Currency("IQD")
        assert (dinar.minor_units, dinar.display_digits) == (3, 0)

    @pytest.mark.parametrize(
        ("code", "numeric", "name"),
        [
            ("EUR", "978", "Euro"),
            ("IQD", "368", "Iraqi Dinar"),
            ("JPY", "392", "Yen"),
            ("USD", "840", "US Dollar"),
            ("ALL", "008", "Lek"),
            ("XAU", "959", "Gold"),
        ],
    )
    def test_each_currency_carries_its_numeric_code_and_name(self, code, numeric, name):
        currency = Currency(code)
        assert (currency.code, currency.numeric, currency.name) == (code, numeric, name)

    def test_the_table_lists_every_currency_once_sorted_by_code(self):
        codes = [currency.code for currency in Currency.all()]
        assert codes == sorted(codes)
        assert len(codes) == len(set(codes))
        assert len(codes) > 150

    def test_every_row_is_well_formed(self):
        for currency in Currency.all():
            assert len(currency.code) == 3
            assert currency.code.isascii()
            assert currency.code.isupper()
            assert len(currency.numeric) == 3
            assert currency.numeric.isdigit()
            assert currency.minor_units in {None, 0, 2, 3, 4}
            assert currency.name

    def test_numeric_codes_are_unique(self):
        numerics = [currency.numeric for currency in Currency.all()]
        assert len(numerics) == len(set(numerics))

    def test_every_listed_currency_is_the_one_looked_up_by_code(self):
        for currency in Currency.all():
            assert Currency(currency.code) is currency

    @pytest.mark.parametrize("code", ["XAU", "XAG", "XDR", "XTS", "XXX"])
    def test_units_of_account_and_metals_have_no_minor_units(self, code):
        assert Currency(code).minor_units is None


class TestLookup:
    @pytest.mark.parametrize("spelling", ["eur", "EUR", "Eur", "eUr", " EUR ", "eur\n"])
    def test_codes_in_any_case_give_the_one_shared_instance(self, spelling):
        assert Currency(spelling) is Currency("EUR")

    def test_a_currency_passed_in_is_returned_as_it_is(self):
        euro = Currency("EUR")
        assert Currency(euro) is euro

    @pytest.mark.parametrize("code", ["XYZ", "EURO", "EU", "", "   ", "DEM", "€", "978"])
    def test_an_unknown_code_raises_unknown_currency_error_with_the_code(self, code):
        with pytest.raises(UnknownCurrencyError) as caught:
            Currency(code)
        assert caught.value.code == code
        assert repr(code) in str(caught.value)

    def test_unknown_currency_error_is_a_lookup_error_and_a_value_error(self):
        with pytest.raises(UnknownCurrencyError) as caught:
            Currency("ABC")
        error = caught.value
        assert isinstance(error, LookupError)
        assert isinstance(error, ValueError)
        assert isinstance(error, NotFoundError)
        assert isinstance(error, EcomkitError)

    @pytest.mark.parametrize("value", [978, None, b"EUR", 1.0, ["EUR"], True])
    def test_a_code_that_is_not_a_string_raises_invalid_type_error(self, value):
        with pytest.raises(InvalidTypeError) as caught:
            Currency(value)
        assert isinstance(caught.value, TypeError)
        assert caught.value.field == "currency"
        assert caught.value.value is value
        assert "ISO 4217" in caught.value.expected


class TestExactLookup:
    def test_finds_a_code_spelled_exactly_as_in_the_table(self):
        assert lookup("EUR") is Currency("EUR")

    @pytest.mark.parametrize("code", ["eur", " EUR", "XYZ", ""])
    def test_finds_nothing_for_any_other_spelling(self, code):
        assert lookup(code) is None


class TestExponent:
    @pytest.mark.parametrize(
        ("code", "exponent"),
        [
            ("EUR", Decimal("0.01")),
            ("JPY", Decimal(1)),
            ("KWD", Decimal("0.001")),
            ("CLF", Decimal("0.0001")),
        ],
    )
    def test_the_exponent_is_the_smallest_iso_amount(self, code, exponent):
        found = Currency(code).exponent
        assert found == exponent
        assert found.as_tuple().exponent == exponent.as_tuple().exponent

    def test_a_currency_without_minor_units_has_no_exponent(self):
        with pytest.raises(NoMinorUnitError) as caught:
            _ = Currency("XAU").exponent
        assert caught.value.currency == "XAU"
        assert caught.value.operation == "find the minor unit"
        assert isinstance(caught.value, ValueError)


class TestCldrData:
    @pytest.mark.parametrize(
        ("code", "digits"), [("EUR", 2), ("JPY", 0), ("KWD", 3), ("CLF", 4), ("IQD", 0)]
    )
    def test_display_digits_come_from_cldr(self, code, digits):
        assert Currency(code).display_digits == digits

    @pytest.mark.parametrize(
        ("code", "increment"),
        [
            ("CHF", Decimal("0.05")),
            ("CAD", Decimal("0.05")),
            ("EUR", Decimal("0.01")),
            ("USD", Decimal("0.01")),
            ("JPY", Decimal(1)),
            ("HUF", Decimal(1)),
            ("KWD", Decimal("0.001")),
        ],
    )
    def test_the_cash_increment_comes_from_cldr(self, code, increment):
        assert Currency(code).cash_increment == increment

    def test_the_swiss_cash_increment_is_separate_from_its_minor_units(self):
        franc = Currency("CHF")
        assert franc.minor_units == 2
        assert franc.exponent == Decimal("0.01")
        assert franc.cash_increment == Decimal("0.05")


class TestValueSemantics:
    def test_attributes_cannot_be_changed(self):
        euro = Currency("EUR")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            euro.minor_units = 3
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            euro.code = "USD"
        assert euro.minor_units == 2
        assert euro.code == "EUR"

    def test_attributes_cannot_be_deleted(self):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            del Currency("EUR").name
        assert Currency("EUR").name == "Euro"

    def test_no_new_attributes_can_be_added(self):
        with pytest.raises(AttributeError):
            Currency("EUR").symbol = "€"
        assert not hasattr(Currency("EUR"), "__dict__")

    def test_currencies_are_equal_by_code_and_hash_alike(self):
        assert Currency("eur") == Currency("EUR")
        assert hash(Currency("eur")) == hash(Currency("EUR"))
        assert Currency("EUR") != Currency("USD")
        assert len({Currency("EUR"), Currency("eur"), Currency("USD")}) == 2

    def test_a_currency_is_not_equal_to_its_code_as_a_string(self):
        assert Currency("EUR") != "EUR"
        assert not operator.eq("EUR", Currency("EUR"))

    def test_currencies_work_as_dictionary_keys(self):
        rates = {Currency("EUR"): 1, Currency("PLN"): 4}
        assert rates[Currency("pln")] == 4

    @pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
    def test_pickling_gives_back_the_shared_instance(self, protocol):
        pickled = pickle.dumps(Currency("KWD"), protocol=protocol)
        restored = pickle.loads(pickled)  # noqa: S301 - pickled just above
        assert restored is Currency("KWD")

    def test_copies_are_the_shared_instance(self):
        dinar = Currency("IQD")
        assert copy.copy(dinar) is dinar
        assert copy.deepcopy(dinar) is dinar
        assert copy.deepcopy({"currency": dinar})["currency"] is dinar

    def test_repr_and_str_name_the_code(self):
        assert repr(Currency("usd")) == "Currency('USD')"
        assert str(Currency("usd")) == "USD"
