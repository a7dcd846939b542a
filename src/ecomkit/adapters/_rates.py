"""``InMemoryExchangeRates``: the exchange-rates port over rates a host adds itself.

Re-exported by ``ecomkit.adapters.memory``, where it is documented.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections.abc import Iterable
from decimal import Decimal

from ecomkit.errors import (
    ExchangeRateNotFoundError,
    InvalidRateError,
    InvalidTypeError,
    InvalidValueError,
)
from ecomkit.money import Currency
from ecomkit.money._taxed import to_rate


__all__ = ["InMemoryExchangeRates"]


def _currency(value: object, *, field: str) -> Currency:
    if not isinstance(value, str | Currency):
        raise InvalidTypeError(field=field, value=value, expected="a currency code or Currency")
    return Currency(value)


def _day(value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidTypeError(field="on", value=value, expected="datetime.date (not a datetime)")
    return value


def _positive_rate(value: object) -> Decimal:
    rate = to_rate(value, field="rate")
    if rate.is_zero():
        raise InvalidRateError(field="rate", value=value, reason="must be positive")
    return rate


class InMemoryExchangeRates:
    """Exchange rates you add, looked up like central-bank reference rates.

    Implements [`ExchangeRates`][ecomkit.ports.ExchangeRates]: the rate in force on a day
    is the one added for that day or, when there is none (a weekend, a holiday), the
    latest one before it. Only the pairs added are known: no inverse or cross rates are
    worked out, since those would not be exact. Adding a rate for a pair and day that
    already has one replaces it (a correction). Safe to share between threads.

    Args:
        rates: Rates to start with, as ``(base, quote, day, rate)`` tuples.

    Raises:
        InvalidTypeError: An item of *rates* is not such a tuple, or holds a wrong type.
        InvalidRateError: A rate is not a positive decimal.
        FloatNotAllowedError: A rate is a float.
        UnknownCurrencyError: A code is not an ISO 4217 currency.

    Examples:
        >>> import datetime as dt
        >>> rates = InMemoryExchangeRates([("EUR", "PLN", dt.date(2026, 3, 6), "4.2617")])
        >>> rates.rate("EUR", "PLN", on=dt.date(2026, 3, 8))  # a Sunday: Friday's rate
        Decimal('4.2617')
        >>> rates.rate("PLN", "PLN", on=dt.date(2026, 3, 8))
        Decimal('1')
    """

    __slots__ = ("_lock", "_pairs")

    def __init__(self, rates: Iterable[tuple[str, str, dt.date, Decimal | str]] = ()) -> None:
        self._lock = threading.Lock()
        # Per pair: the days with a rate, sorted, and the rate of each day.
        self._pairs: dict[tuple[Currency, Currency], tuple[list[dt.date], dict[dt.date, Decimal]]]
        self._pairs = {}
        given: object = rates  # checked at run time: hosts may pass anything
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise InvalidTypeError(
                field="rates", value=given, expected="an iterable of (base, quote, day, rate)"
            )
        for item in given:
            if not isinstance(item, tuple) or len(item) != 4:  # noqa: PLR2004 - the four fields
                raise InvalidTypeError(
                    field="rates", value=item, expected="a (base, quote, day, rate) tuple"
                )
            base, quote, on, rate = item
            self.add(base, quote, on=on, rate=rate)

    def add(
        self, base: Currency | str, quote: Currency | str, *, on: dt.date, rate: Decimal | str
    ) -> None:
        """Record that one *base* was worth *rate* *quote* on the day *on*.

        Args:
            base: The currency converted from.
            quote: The currency converted to.
            on: The day the rate was published for.
            rate: Units of *quote* per unit of *base*: a positive ``Decimal`` or decimal
                string (an ``int`` will do).

        Raises:
            InvalidValueError: *quote* is *base* (its rate is always 1).
            InvalidRateError: *rate* is not a positive decimal.
            FloatNotAllowedError: *rate* is a float.
            InvalidTypeError: A currency or *on* has the wrong type.
            UnknownCurrencyError: A code is not an ISO 4217 currency.
        """
        source = _currency(base, field="base")
        target = _currency(quote, field="quote")
        day = _day(on)
        value = _positive_rate(rate)
        if source == target:
            raise InvalidValueError(
                field="quote",
                value=target.code,
                reason="is the base currency; a currency's rate to itself is always 1",
            )
        with self._lock:
            days, by_day = self._pairs.setdefault((source, target), ([], {}))
            if day not in by_day:
                bisect.insort(days, day)
            by_day[day] = value

    def rate(self, base: Currency | str, quote: Currency | str, *, on: dt.date) -> Decimal:
        """Return the rate from *base* to *quote* in force on *on*.

        Args:
            base: The currency converted from.
            quote: The currency converted to.
            on: The day.

        Returns:
            The rate added for *on* or else for the latest day before it; exactly
            ``Decimal(1)`` when *base* and *quote* are the same currency.

        Raises:
            ExchangeRateNotFoundError: No rate for the pair is known on or before *on*.
            UnknownCurrencyError: A code is not an ISO 4217 currency.
            InvalidTypeError: A currency or *on* has the wrong type.
        """
        source = _currency(base, field="base")
        target = _currency(quote, field="quote")
        day = _day(on)
        if source == target:
            return Decimal(1)
        with self._lock:
            found = self._pairs.get((source, target))
            if found is not None:
                days, by_day = found
                index = bisect.bisect_right(days, day)
                if index:
                    return by_day[days[index - 1]]
        raise ExchangeRateNotFoundError(base=source.code, quote=target.code, on=day)

    def __repr__(self) -> str:
        with self._lock:
            count = sum(len(days) for days, _ in self._pairs.values())
            pairs = len(self._pairs)
        return f"InMemoryExchangeRates(pairs={pairs}, rates={count})"
