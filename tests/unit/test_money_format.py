"""format_money: CLDR patterns through babel, explicit rounding, digits and numbering systems.

Expected strings follow the CLDR patterns of each locale as babel applies them:

- en_US ``¤#,##0.00``, accounting ``¤#,##0.00;(¤#,##0.00)``; "," groups, "." decimals.
- pl_PL ``#,##0.00 ¤`` with U+00A0 before the symbol; U+00A0 groups, "," decimals. babel
  groups from four digits on (it does not apply CLDR's minimum grouping digits of 2).
- it_IT ``#,##0.00 ¤`` with U+00A0; "." groups, "," decimals.
- zh_CN ``¤#,##0.00``; CNY is "¥", USD "US$", JPY "JP¥".
- ar_SA ``U+200F #,##0.00 U+00A0 ¤`` (a right-to-left mark first); the riyal symbol "ر.س."
  itself ends in U+200F. The Latin numbering system uses "," and "."; the locale's default
  (arab) uses U+066C and U+066B as separators. babel swaps the separators only, so the digits
  stay 0-9.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency

from ecomkit.errors import (
    InvalidLocaleError,
    InvalidTypeError,
    InvalidValueError,
    NoMinorUnitError,
)
from ecomkit.money import Currency, Money, Rounding, format_money


NBSP = "\u00a0"
RLM = "\u200f"
ALM = "\u061c"
ARABIC_GROUP = "\u066c"
ARABIC_DECIMAL = "\u066b"
RIYAL = "ر.س." + RLM
DINAR = "د.ع." + RLM


class TestLocales:
    @pytest.mark.parametrize(
        ("money", "locale", "expected"),
        [
            (Money("1234.5", "USD"), "en_US", "$1,234.50"),
            (Money("1234567.891", "EUR"), "en_US", "€1,234,567.89"),
            (Money("5", "EUR"), "en_US", "€5.00"),
            (Money("1234.5", "PLN"), "pl_PL", f"1{NBSP}234,50{NBSP}zł"),
            (Money("12345.5", "PLN"), "pl_PL", f"12{NBSP}345,50{NBSP}zł"),
            (Money("0.5", "PLN"), "pl_PL", f"0,50{NBSP}zł"),
            (Money("1234.5", "EUR"), "it_IT", f"1.234,50{NBSP}€"),
            (Money("1234567.891", "EUR"), "it_IT", f"1.234.567,89{NBSP}€"),
            (Money("12.5", "CNY"), "zh_CN", "¥12.50"),
            (Money("1234.5", "USD"), "zh_CN", "US$1,234.50"),
            (Money("1234", "JPY"), "zh_CN", "JP¥1,234"),
            (Money("1234.5", "SAR"), "ar_SA", f"{RLM}1,234.50{NBSP}{RIYAL}"),
            (Money("5", "EUR"), "ar_SA", f"{RLM}5.00{NBSP}€"),
        ],
    )
    def test_formats_with_the_locale_pattern_symbol_and_separators(self, money, locale, expected):
        assert format_money(money, locale=locale) == expected

    @pytest.mark.parametrize(
        ("money", "locale", "expected"),
        [
            (Money("-1234.5", "USD"), "en_US", "-$1,234.50"),
            (Money("-1234.5", "PLN"), "pl_PL", f"-1{NBSP}234,50{NBSP}zł"),
            (Money("-1234.5", "EUR"), "it_IT", f"-1.234,50{NBSP}€"),
            (Money("-12.5", "CNY"), "zh_CN", "-¥12.50"),
            (Money("-1234.5", "SAR"), "ar_SA", f"{RLM}-1,234.50{NBSP}{RIYAL}"),
        ],
    )
    def test_negative_amounts_carry_the_minus_sign_of_the_pattern(self, money, locale, expected):
        assert format_money(money, locale=locale) == expected

    @pytest.mark.parametrize(
        ("money", "locale", "expected"),
        [
            (Money("-1234.5", "USD"), "en_US", "($1,234.50)"),
            (Money("1234.5", "USD"), "en_US", "$1,234.50"),
            (Money("-1234.5", "PLN"), "pl_PL", f"(1{NBSP}234,50{NBSP}zł)"),
            (Money("-1234.5", "EUR"), "it_IT", f"-1.234,50{NBSP}€"),
            (Money("-12.5", "CNY"), "zh_CN", "(¥12.50)"),
            (Money("-1234.5", "SAR"), "ar_SA", f"({ALM}1,234.50{RIYAL})"),
        ],
    )
    def test_the_accounting_format_brackets_negatives_where_the_locale_does(
        self, money, locale, expected
    ):
        assert format_money(money, locale=locale, format_type="accounting") == expected

    def test_a_hyphenated_locale_code_is_accepted(self):
        assert format_money(Money("1234.5", "PLN"), locale="pl-PL") == f"1{NBSP}234,50{NBSP}zł"


class TestRounding:
    def test_babel_alone_rounds_half_to_even(self):
        assert format_currency(Decimal("1.005"), "USD", locale="en_US") == "$1.00"

    def test_half_a_cent_rounds_up_by_default(self):
        assert format_money(Money("1.005", "USD"), locale="en_US") == "$1.01"
        assert format_money(Money("1.015", "USD"), locale="en_US") == "$1.02"
        assert format_money(Money("-1.005", "USD"), locale="en_US") == "-$1.01"

    @pytest.mark.parametrize(
        ("mode", "expected"),
        [
            (Rounding.HALF_EVEN, "$1.00"),
            (Rounding.DOWN, "$1.00"),
            (Rounding.UP, "$1.01"),
            ("ROUND_CEILING", "$1.01"),
        ],
    )
    def test_another_rounding_mode_can_be_chosen(self, mode, expected):
        assert format_money(Money("1.005", "USD"), locale="en_US", rounding=mode) == expected

    def test_an_unknown_rounding_mode_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            format_money(Money("1.005", "USD"), locale="en_US", rounding="nearest")
        assert caught.value.field == "rounding"

    def test_a_negative_amount_that_rounds_to_zero_shows_no_minus_sign(self):
        assert format_money(Money("-0.001", "USD"), locale="en_US") == "$0.00"
        assert format_money(Money("-0.001", "PLN"), locale="pl_PL") == f"0,00{NBSP}zł"


class TestDigits:
    def test_yen_are_shown_without_decimals(self):
        assert format_money(Money("1234", "JPY"), locale="en_US") == "¥1,234"
        assert format_money(Money("1234.5", "JPY"), locale="en_US") == "¥1,235"
        assert format_money(Money("1234.5", "JPY"), locale="pl_PL") == f"1{NBSP}235{NBSP}JPY"

    def test_dinars_show_the_three_iso_digits_by_default(self):
        assert format_money(Money("1234.5678", "IQD"), locale="en_US") == "IQD1,234.568"
        in_arabic = format_money(Money("1234.5", "IQD"), locale="ar_SA")
        assert in_arabic == f"{RLM}1,234.500{NBSP}{DINAR}"

    def test_dinars_show_no_decimals_with_the_cldr_display_digits(self):
        dinar = Currency("IQD")
        money = Money("1234.5678", "IQD")
        assert format_money(money, locale="en_US", digits=dinar.display_digits) == "IQD1,235"

    def test_kuwaiti_dinars_and_unidades_de_fomento_keep_their_iso_digits(self):
        assert format_money(Money("1.5", "KWD"), locale="en_US") == "KWD1.500"
        assert format_money(Money("1.23456", "CLF"), locale="en_US") == "CLF1.2346"

    @pytest.mark.parametrize(
        ("digits", "expected"),
        [(0, "$1,235"), (1, "$1,234.6"), (2, "$1,234.57"), (4, "$1,234.5670")],
    )
    def test_digits_can_be_chosen(self, digits, expected):
        assert format_money(Money("1234.567", "USD"), locale="en_US", digits=digits) == expected

    def test_negative_digits_are_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            format_money(Money("1", "USD"), locale="en_US", digits=-1)
        assert caught.value.field == "digits"

    def test_gold_needs_explicit_digits(self):
        with pytest.raises(NoMinorUnitError) as caught:
            format_money(Money("1.5", "XAU"), locale="en_US")
        assert caught.value.currency == "XAU"
        assert format_money(Money("1.5", "XAU"), locale="en_US", digits=2) == "XAU1.50"


class TestNumberingSystems:
    def test_the_default_is_latin_digits_even_for_arabic_locales(self):
        text = format_money(Money("1234.5", "SAR"), locale="ar_SA")
        assert text == f"{RLM}1,234.50{NBSP}{RIYAL}"

    def test_the_locale_default_numbering_system_uses_its_separators(self):
        text = format_money(Money("1234.5", "SAR"), locale="ar_SA", numbering_system="default")
        assert text == f"{RLM}1{ARABIC_GROUP}234{ARABIC_DECIMAL}50{NBSP}{RIYAL}"

    def test_negative_amounts_in_the_default_numbering_system(self):
        text = format_money(Money("-1234.5", "SAR"), locale="ar_SA", numbering_system="default")
        assert text == f"{RLM}-1{ARABIC_GROUP}234{ARABIC_DECIMAL}50{NBSP}{RIYAL}"

    def test_an_unknown_numbering_system_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            format_money(Money("1", "SAR"), locale="ar_SA", numbering_system="klingon")
        assert caught.value.field == "numbering_system"
        assert caught.value.value == "klingon"
        assert "ar_SA" in caught.value.reason


class TestRefusedInput:
    @pytest.mark.parametrize("locale", ["xx_YY", "pl_XX", "not a locale", "", "  ", None, 42])
    def test_an_unknown_locale_raises_invalid_locale_error(self, locale):
        with pytest.raises(InvalidLocaleError) as caught:
            format_money(Money("1", "USD"), locale=locale)
        error = caught.value
        assert isinstance(error, ValueError)
        assert error.field == "locale"
        assert error.value == locale

    def test_the_locale_is_required(self):
        with pytest.raises(TypeError):
            format_money(Money("1", "USD"))

    @pytest.mark.parametrize("format_type", ["name", "short", ""])
    def test_an_unknown_format_type_is_refused(self, format_type):
        with pytest.raises(InvalidValueError) as caught:
            format_money(Money("1", "USD"), locale="en_US", format_type=format_type)
        assert caught.value.field == "format_type"
        assert caught.value.value == format_type

    @pytest.mark.parametrize("value", [Decimal("1.00"), "1.00 USD", 1])
    def test_something_that_is_not_money_is_refused(self, value):
        with pytest.raises(InvalidTypeError) as caught:
            format_money(value, locale="en_US")
        assert caught.value.field == "money"
        assert caught.value.value is value
