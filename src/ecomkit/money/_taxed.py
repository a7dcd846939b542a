"""Amounts with tax (net, gross and the tax between them) and price ranges."""

from __future__ import annotations

from decimal import Decimal
from typing import Self

import attrs

from ecomkit.errors import (
    CurrencyMismatchError,
    InvalidRateError,
    InvalidTypeError,
    InvalidValueError,
)
from ecomkit.money._amount import Number, Rounding, divide, exact, to_decimal, to_rounding
from ecomkit.money._currency import Currency
from ecomkit.money._money import Money


__all__ = ["MoneyRange", "TaxedMoney", "to_rate"]


def to_rate(value: object, *, field: str = "rate") -> Decimal:
    """Return a non-negative rate as a ``Decimal`` fraction (``0.2`` for 20 %).

    Raises:
        InvalidRateError: *value* is negative, NaN, infinite or not a decimal string.
        FloatNotAllowedError: *value* is a float.
    """
    rate = to_decimal(value, field=field, error=InvalidRateError)
    if rate < 0:
        raise InvalidRateError(field=field, value=value, reason="must not be negative")
    return rate


def _money(value: object, field: str) -> Money:
    if not isinstance(value, Money):
        raise InvalidTypeError(field=field, value=value, expected="Money")
    return value


def _same_currency(first: Money, second: Money, operation: str) -> None:
    if first.currency != second.currency:
        raise CurrencyMismatchError(
            expected=first.currency.code, actual=second.currency.code, operation=operation
        )


@attrs.frozen(weakref_slot=False)
class TaxedMoney:
    """An amount with its tax: ``net + tax == gross``, all in one currency.

    Build one from what you know with [`from_net`][ecomkit.TaxedMoney.from_net] or
    [`from_gross`][ecomkit.TaxedMoney.from_gross]; the tax is always the difference, so the
    three amounts can never disagree.

    Attributes:
        net: The amount before tax.
        gross: The amount including tax.

    Raises:
        CurrencyMismatchError: *net* and *gross* are in different currencies.

    Examples:
        >>> price = TaxedMoney.from_gross(
        ...     Money(1000, "EUR"), rate=Decimal("0.20"), rounding=Rounding.HALF_UP
        ... )
        >>> price.net, price.tax
        (Money('833.33', 'EUR'), Money('166.67', 'EUR'))
    """

    net: Money = attrs.field()
    gross: Money = attrs.field()

    @net.validator
    def _check_net(self, _attribute: attrs.Attribute[Money], value: object) -> None:
        _money(value, "net")

    @gross.validator
    def _check_gross(self, _attribute: attrs.Attribute[Money], value: object) -> None:
        _same_currency(self.net, _money(value, "gross"), "build TaxedMoney from")

    @classmethod
    def from_net(cls, net: Money, *, rate: Number | str, rounding: Rounding | str) -> Self:
        """Add tax at *rate* to a net amount; the gross is rounded to ISO minor units.

        Args:
            net: The amount before tax.
            rate: The tax rate as a fraction: ``Decimal("0.23")`` for 23 %.
            rounding: How to round the gross amount.

        Examples:
            >>> TaxedMoney.from_net(Money("9.99", "PLN"), rate="0.23", rounding="ROUND_HALF_UP")
            TaxedMoney(net=Money('9.99', 'PLN'), gross=Money('12.29', 'PLN'))
        """
        net = _money(net, "net")
        factor = exact.add(Decimal(1), to_rate(rate))
        gross = (net * factor).quantize(rounding=rounding)
        return cls(net.quantize(rounding=rounding), gross)

    @classmethod
    def from_gross(cls, gross: Money, *, rate: Number | str, rounding: Rounding | str) -> Self:
        """Extract tax at *rate* from a tax-inclusive amount; the net is rounded.

        The tax is ``gross - net``, so extracting 20 % from 1000 gives 166.67, not 200.

        Args:
            gross: The amount including tax.
            rate: The tax rate as a fraction: ``Decimal("0.20")`` for 20 %.
            rounding: How to round the net amount.
        """
        gross = _money(gross, "gross")
        factor = exact.add(Decimal(1), to_rate(rate))
        net = Money(divide.divide(gross.amount, factor), gross.currency).quantize(rounding=rounding)
        return cls(net, gross.quantize(rounding=rounding))

    @classmethod
    def zero(cls, currency: Currency | str) -> Self:
        """Return a zero net and gross in *currency*."""
        return cls(Money.zero(currency), Money.zero(currency))

    @property
    def tax(self) -> Money:
        """The tax: ``gross - net``."""
        return self.gross - self.net

    @property
    def currency(self) -> Currency:
        """The currency of all three amounts."""
        return self.net.currency

    def quantize(self, *, rounding: Rounding | str, digits: int | None = None) -> Self:
        """Round net and gross (the tax follows) with an explicit rounding mode."""
        to_rounding(rounding)
        return type(self)(
            self.net.quantize(rounding=rounding, digits=digits),
            self.gross.quantize(rounding=rounding, digits=digits),
        )

    def __add__(self, other: TaxedMoney) -> Self:
        if not isinstance(other, TaxedMoney):
            raise InvalidTypeError(field="other", value=other, expected="TaxedMoney to add")
        return type(self)(self.net + other.net, self.gross + other.gross)

    def __sub__(self, other: TaxedMoney) -> Self:
        if not isinstance(other, TaxedMoney):
            raise InvalidTypeError(field="other", value=other, expected="TaxedMoney to subtract")
        return type(self)(self.net - other.net, self.gross - other.gross)

    def __mul__(self, factor: Number) -> Self:
        return type(self)(self.net * factor, self.gross * factor)

    __rmul__ = __mul__

    def __neg__(self) -> Self:
        return type(self)(-self.net, -self.gross)


@attrs.frozen(weakref_slot=False)
class MoneyRange:
    """A closed range of amounts in one currency, such as the prices of a product's variants.

    Attributes:
        start: The lowest amount.
        stop: The highest amount (inclusive).

    Raises:
        CurrencyMismatchError: *start* and *stop* are in different currencies.
        InvalidValueError: *start* is above *stop*.

    Examples:
        >>> prices = MoneyRange(Money("9.99", "EUR"), Money("24.99", "EUR"))
        >>> Money("12", "EUR") in prices
        True
    """

    start: Money = attrs.field()
    stop: Money = attrs.field()

    @start.validator
    def _check_start(self, _attribute: attrs.Attribute[Money], value: object) -> None:
        _money(value, "start")

    @stop.validator
    def _check_stop(self, _attribute: attrs.Attribute[Money], value: object) -> None:
        stop = _money(value, "stop")
        _same_currency(self.start, stop, "build MoneyRange from")
        if self.start > stop:
            raise InvalidValueError(
                field="stop", value=stop, reason=f"must not be below start {self.start}"
            )

    @classmethod
    def covering(cls, amounts: list[Money] | tuple[Money, ...]) -> Self:
        """Return the smallest range containing every amount.

        Raises:
            InvalidValueError: *amounts* is empty.
            CurrencyMismatchError: The amounts are in different currencies.
        """
        if not amounts:
            raise InvalidValueError(field="amounts", value=amounts, reason="must not be empty")
        return cls(min(amounts), max(amounts))

    @property
    def currency(self) -> Currency:
        """The currency of both ends."""
        return self.start.currency

    def quantize(self, *, rounding: Rounding | str, digits: int | None = None) -> Self:
        """Round both ends with the same explicit rounding mode."""
        return type(self)(
            self.start.quantize(rounding=rounding, digits=digits),
            self.stop.quantize(rounding=rounding, digits=digits),
        )

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, Money):
            return False
        return self.start <= item <= self.stop

    def __add__(self, other: Money) -> Self:
        """Shift both ends by an amount."""
        return type(self)(self.start + other, self.stop + other)
