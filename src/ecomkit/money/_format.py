"""Formatting money for people, in any CLDR locale, through babel."""

from __future__ import annotations

import copy
import decimal
from typing import Literal

from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.i18n import babel_locale
from ecomkit.money._amount import Rounding
from ecomkit.money._amount import rounded as rounding_context
from ecomkit.money._money import Money


__all__ = ["format_money"]


def format_money(
    money: Money,
    *,
    locale: str,
    digits: int | None = None,
    rounding: Rounding | str = Rounding.HALF_UP,
    format_type: Literal["standard", "accounting"] = "standard",
    numbering_system: str = "latn",
) -> str:
    r"""Format *money* for display in *locale* (symbol, separators and digit placement).

    The amount is rounded by ecomkit first, half up unless told otherwise, so babel's own
    banker's rounding never applies (babel alone formats 1.005 USD as "$1.00"). The number
    of decimals is the currency's ISO minor units unless *digits* says otherwise; pass
    ``money.currency.display_digits`` for CLDR's customary display.

    Args:
        money: The amount to format.
        locale: A CLDR locale code such as ``"pl_PL"`` or ``"ar-SA"``.
        digits: Decimals to show; defaults to the ISO minor units of the currency.
        rounding: How to round to *digits*; half up by default.
        format_type: ``"standard"`` or ``"accounting"`` (negative amounts in brackets
            where the locale does so).
        numbering_system: ``"latn"`` for Latin separators, ``"default"`` for the locale's
            own (Arabic separators for ``ar_SA``), or a CLDR numbering system name. babel
            changes the separators only: the digits stay 0-9.

    Raises:
        InvalidLocaleError: *locale* is unknown.
        InvalidValueError: *format_type* or *numbering_system* is unknown for the locale.

    Examples:
        >>> format_money(Money("1234.5", "USD"), locale="en_US")
        '$1,234.50'
        >>> format_money(Money("1.005", "USD"), locale="en_US")
        '$1.01'
        >>> format_money(Money("1234.5", "PLN"), locale="pl_PL")
        '1\xa0234,50\xa0zł'
    """
    if not isinstance(money, Money):
        raise InvalidTypeError(field="money", value=money, expected="Money")
    place = babel_locale(locale)
    rounded = money.quantize(rounding=rounding, digits=digits)
    exponent = rounded.amount.as_tuple().exponent
    shown = -exponent if isinstance(exponent, int) else 0
    try:
        pattern = copy.copy(place.currency_formats[format_type])
    except KeyError:
        raise InvalidValueError(
            field="format_type", value=format_type, reason="not a currency format of the locale"
        ) from None
    pattern.frac_prec = (shown, shown)
    from babel.numbers import UnsupportedNumberingSystemError  # noqa: PLC0415 - lazy babel

    try:
        with decimal.localcontext(rounding_context):  # babel computes in the thread's context
            text: str = pattern.apply(
                rounded.amount,
                place,
                currency=money.currency.code,
                currency_digits=False,
                decimal_quantization=False,
                numbering_system=numbering_system,
            )
    except UnsupportedNumberingSystemError:
        raise InvalidValueError(
            field="numbering_system",
            value=numbering_system,
            reason=f"not a numbering system of locale {place}",
        ) from None
    return text
