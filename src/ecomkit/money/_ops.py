"""Sums and currency conversion."""

from __future__ import annotations

from collections.abc import Iterable

from ecomkit.errors import CurrencyMismatchError, InvalidRateError, InvalidTypeError
from ecomkit.money._amount import Number, Rounding, exact, to_rounding
from ecomkit.money._currency import Currency
from ecomkit.money._money import Money
from ecomkit.money._taxed import to_rate


__all__ = ["convert", "sum_money"]


def sum_money(items: Iterable[Money], *, currency: Currency | str) -> Money:
    """Add up amounts in one currency; an empty iterable gives zero.

    Args:
        items: The amounts, consumed once (a generator is fine).
        currency: The currency every amount must be in, and of the result.

    Raises:
        CurrencyMismatchError: An item is in another currency.
        InvalidTypeError: An item is not ``Money``.

    Examples:
        >>> sum_money([], currency="EUR")
        Money('0', 'EUR')
        >>> sum_money((Money("1.10", "EUR"), Money("2.20", "EUR")), currency="EUR")
        Money('3.30', 'EUR')
    """
    target = Currency(currency)
    total = Money.zero(target).amount
    for index, item in enumerate(items):
        if not isinstance(item, Money):
            raise InvalidTypeError(field=f"items[{index}]", value=item, expected="Money")
        if item.currency != target:
            raise CurrencyMismatchError(
                expected=target.code, actual=item.currency.code, operation=f"sum items[{index}]"
            )
        total = exact.add(total, item.amount)
    return Money(total, target)


def convert(
    money: Money, rate: Number | str, to: Currency | str, *, rounding: Rounding | str | None
) -> Money:
    """Convert *money* into currency *to* at an explicit exchange *rate*.

    Args:
        money: The amount to convert.
        rate: Units of *to* per one unit of ``money.currency``, as an exact number.
        to: The target currency.
        rounding: How to round the result to the target's minor units; pass ``None`` to
            keep the exact product (there is no default, so the choice is visible).

    Raises:
        InvalidRateError: *rate* is not positive, or is not 1 for a same-currency conversion.
        FloatNotAllowedError: *rate* is a float.

    Examples:
        >>> convert(Money("10.00", "EUR"), "4.2617", "PLN", rounding=Rounding.HALF_UP)
        Money('42.62', 'PLN')
        >>> convert(Money("10.00", "EUR"), "4.2617", "PLN", rounding=None)
        Money('42.617000', 'PLN')
    """
    if not isinstance(money, Money):
        raise InvalidTypeError(field="money", value=money, expected="Money")
    factor = to_rate(rate)
    if factor.is_zero():
        raise InvalidRateError(field="rate", value=rate, reason="must be positive")
    target = Currency(to)
    if target == money.currency and factor != 1:
        raise InvalidRateError(
            field="rate", value=rate, reason=f"must be 1 to convert {target.code} to itself"
        )
    converted = Money(exact.multiply(money.amount, factor), target)
    if rounding is None:
        return converted
    return converted.quantize(rounding=to_rounding(rounding))
