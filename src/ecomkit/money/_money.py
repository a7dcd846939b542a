"""The ``Money`` value: an exact decimal amount in one ISO 4217 currency."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal
from typing import Self, overload

import attrs

from ecomkit.errors import (
    CurrencyMismatchError,
    InvalidAmountError,
    InvalidTypeError,
    InvalidValueError,
    NoMinorUnitError,
)
from ecomkit.money._amount import (
    Number,
    Rounding,
    divide,
    exact,
    rounded,
    to_decimal,
    to_int,
    to_rounding,
)
from ecomkit.money._currency import Currency


__all__ = ["Money"]


def _amount(value: Decimal | int | str) -> Decimal:
    return to_decimal(value, field="amount")


def _exactly(
    operation: Callable[[Decimal, Decimal], Decimal], left: Decimal, right: Decimal
) -> Decimal:
    """Run an exact-context operation, turning "would have to round" into a typed error."""
    try:
        return operation(left, right)
    except (decimal.Inexact, decimal.Overflow):
        raise InvalidAmountError(
            field="amount",
            value=left,
            reason="the exact result needs more than 60 significant digits; "
            "quantize the operands first",
        ) from None


def _factor(value: object, field: str) -> Decimal:
    """Return a multiplier or divisor, refusing money and floats with a clear message."""
    if isinstance(value, Money):
        raise InvalidTypeError(
            field=field, value=value, expected="a number (multiplying money by money has no unit)"
        )
    return to_decimal(value, field=field)


@attrs.frozen(repr=False, weakref_slot=False)
class Money:
    """An exact amount of money in one currency.

    The amount is a ``Decimal`` kept at the precision it was given (``Money("1.5", "EUR")``
    stays ``1.5``; call [`quantize`][ecomkit.Money.quantize] to round to cents). Floats are
    refused because they cannot hold most decimal amounts exactly.

    Arithmetic works within one currency: adding or comparing amounts in two currencies
    raises [`CurrencyMismatchError`][ecomkit.errors.CurrencyMismatchError]. Sums, differences
    and products are exact; divisions are exact to 34 significant digits.

    Args:
        amount: An ``int``, a ``Decimal`` or a decimal string such as ``"19.99"``.
        currency: A [`Currency`][ecomkit.Currency] or its code in any case.

    Raises:
        FloatNotAllowedError: *amount* is a float.
        InvalidAmountError: *amount* is NaN, infinite or not a decimal string.
        UnknownCurrencyError: *currency* is not an ISO 4217 code.

    Examples:
        >>> price = Money("19.99", "eur")
        >>> price * 3
        Money('59.97', 'EUR')
        >>> (price / 3).quantize(rounding=Rounding.HALF_UP)
        Money('6.66', 'EUR')
        >>> str(Money(5, "JPY"))
        '5 JPY'
    """

    amount: Decimal = attrs.field(converter=_amount)
    currency: Currency = attrs.field(converter=Currency)

    # ---------------------------------------------------------------- construction

    @classmethod
    def zero(cls, currency: Currency | str) -> Self:
        """Return zero in *currency*."""
        return cls(0, currency)

    @classmethod
    def from_minor_units(cls, units: int, currency: Currency | str) -> Self:
        """Build money from an integer count of minor units (cents, fils ...).

        Args:
            units: The count of minor units, for example ``1234`` for 12.34 EUR.
            currency: The currency; it must have ISO minor units.

        Raises:
            InvalidTypeError: *units* is not an ``int``.
            NoMinorUnitError: ISO 4217 defines no minor unit for *currency*.

        Examples:
            >>> Money.from_minor_units(1234, "KWD")
            Money('1.234', 'KWD')
        """
        units = to_int(units, field="units")
        found = Currency(currency)
        if found.minor_units is None:
            raise NoMinorUnitError(currency=found.code, operation="build from minor units")
        return cls(Decimal(units).scaleb(-found.minor_units, exact), found)

    @classmethod
    def _trusted(cls, amount: Decimal, currency: Currency) -> Self:
        """Build without re-validating: *amount* must already be a finite ``Decimal``.

        For hot paths inside ecomkit (deserialization) that have checked both values.
        """
        money = object.__new__(cls)
        object.__setattr__(money, "amount", amount)
        object.__setattr__(money, "currency", currency)
        return money

    # ---------------------------------------------------------------- rounding

    def quantize(self, *, rounding: Rounding | str, digits: int | None = None) -> Self:
        """Round to the currency's ISO minor units, or to *digits* decimals.

        Args:
            rounding: The rounding mode; there is deliberately no default.
            digits: Decimal places to keep; defaults to the currency's ISO minor units.

        Raises:
            InvalidValueError: *rounding* names no mode, or *digits* is negative.
            NoMinorUnitError: *digits* is omitted and the currency has no minor unit.

        Examples:
            >>> Money("1.005", "USD").quantize(rounding=Rounding.HALF_UP)
            Money('1.01', 'USD')
            >>> Money("1.005", "USD").quantize(rounding=Rounding.HALF_EVEN)
            Money('1.00', 'USD')
        """
        mode = to_rounding(rounding)
        places = self._places(digits, operation="quantize")
        quantum = Decimal(1).scaleb(-places)
        amount = self.amount.quantize(quantum, rounding=mode.value, context=rounded)
        return type(self)(amount, self.currency)

    def round_to_cash(self, *, rounding: Rounding | str) -> Self:
        """Round to the smallest amount payable in cash (5 centimes for CHF, per CLDR).

        Examples:
            >>> Money("10.03", "CHF").round_to_cash(rounding=Rounding.HALF_UP)
            Money('10.05', 'CHF')
        """
        mode = to_rounding(rounding)
        if self.currency.minor_units is None:
            raise NoMinorUnitError(currency=self.currency.code, operation="round to cash")
        step = self.currency.cash_increment
        count = exact.divide(self.amount, step).quantize(
            Decimal(1), rounding=mode.value, context=rounded
        )
        return type(self)(exact.multiply(count, step), self.currency)

    def to_minor_units(self, *, rounding: Rounding | str | None = None) -> int:
        """Return the amount as an integer count of ISO minor units.

        Args:
            rounding: How to round an amount finer than the minor unit. Without it, such an
                amount raises instead of being truncated.

        Raises:
            InvalidAmountError: The amount is finer than the minor unit and no *rounding*
                was given.
            NoMinorUnitError: ISO 4217 defines no minor unit for the currency.

        Examples:
            >>> Money("12.30", "EUR").to_minor_units()
            1230
            >>> Money("12.305", "EUR").to_minor_units(rounding=Rounding.HALF_UP)
            1231
        """
        places = self._places(None, operation="convert to minor units")
        scaled = self.amount.scaleb(places, exact)
        if scaled != scaled.to_integral_value():
            if rounding is None:
                raise InvalidAmountError(
                    field="amount",
                    value=self.amount,
                    reason=f"finer than the {places} minor units of {self.currency.code}; "
                    "pass rounding= to round it",
                )
            scaled = scaled.quantize(
                Decimal(1), rounding=to_rounding(rounding).value, context=rounded
            )
        return int(scaled)

    def _places(self, digits: int | None, *, operation: str) -> int:
        if digits is None:
            if self.currency.minor_units is None:
                raise NoMinorUnitError(currency=self.currency.code, operation=operation)
            return self.currency.minor_units
        digits = to_int(digits, field="digits")
        if digits < 0:
            raise InvalidValueError(field="digits", value=digits, reason="must not be negative")
        return digits

    # ---------------------------------------------------------------- predicates

    def is_zero(self) -> bool:
        """Return whether the amount is zero."""
        return self.amount.is_zero()

    def is_negative(self) -> bool:
        """Return whether the amount is below zero."""
        return self.amount < 0

    def is_positive(self) -> bool:
        """Return whether the amount is above zero."""
        return self.amount > 0

    # ---------------------------------------------------------------- arithmetic

    def _same_currency(self, other: object, operation: str) -> Money:
        if not isinstance(other, Money):
            raise InvalidTypeError(field="other", value=other, expected=f"Money to {operation}")
        if other.currency is not self.currency:  # currencies are interned
            raise CurrencyMismatchError(
                expected=self.currency.code, actual=other.currency.code, operation=operation
            )
        return other

    def _with(self, amount: Decimal) -> Self:
        """Return *amount* (a finite result of exact arithmetic) in this currency."""
        if amount.is_zero():
            amount = amount.copy_abs()  # no negative zero
        return self._trusted(amount, self.currency)

    def __add__(self, other: Money) -> Self:
        other = self._same_currency(other, "add")
        return self._with(_exactly(exact.add, self.amount, other.amount))

    def __sub__(self, other: Money) -> Self:
        other = self._same_currency(other, "subtract")
        return self._with(_exactly(exact.subtract, self.amount, other.amount))

    def __mul__(self, factor: Number) -> Self:
        return self._with(_exactly(exact.multiply, self.amount, _factor(factor, "factor")))

    __rmul__ = __mul__

    @overload
    def __truediv__(self, divisor: Money) -> Decimal: ...
    @overload
    def __truediv__(self, divisor: Number) -> Self: ...
    def __truediv__(self, divisor: Money | Number) -> Self | Decimal:
        """Divide by a number (giving money) or by money in the same currency (a ratio)."""
        if isinstance(divisor, Money):
            other = self._same_currency(divisor, "divide")
            if other.is_zero():
                raise InvalidAmountError(field="divisor", value=other, reason="division by zero")
            return divide.divide(self.amount, other.amount)
        number = _factor(divisor, "divisor")
        if number.is_zero():
            raise InvalidAmountError(field="divisor", value=divisor, reason="division by zero")
        return self._with(divide.divide(self.amount, number))

    def __neg__(self) -> Self:
        return self._with(self.amount.copy_negate())

    def __pos__(self) -> Self:
        return self

    def __abs__(self) -> Self:
        return self._with(self.amount.copy_abs())

    # ---------------------------------------------------------------- ordering

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same_currency(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same_currency(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same_currency(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same_currency(other, "compare").amount

    # ---------------------------------------------------------------- text

    def __repr__(self) -> str:
        return f"Money({str(self.amount)!r}, {self.currency.code!r})"

    def __str__(self) -> str:
        """Return ``"<amount> <code>"``, the syntax of Google Merchant Center feeds."""
        return f"{self.amount:f} {self.currency.code}"
