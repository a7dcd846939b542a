"""Hypothesis strategies for ecomkit's public values (install the ``testing`` extra).

ecomkit's own property tests use these same strategies. They are also registered for
``hypothesis.strategies.from_type`` through Hypothesis's plugin entry point, so
``st.from_type(Money)`` works in your tests as soon as ecomkit is installed.

Examples:
    >>> from hypothesis import given
    >>> from ecomkit.testing import strategies as ek
    >>> @given(ek.money(currency="EUR"))
    ... def test_money_round_trips_through_minor_units(price):
    ...     assert type(price).from_minor_units(price.to_minor_units(), "EUR") == price
    >>> test_money_round_trips_through_minor_units()
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final


try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised only without the extra
    msg = "ecomkit.testing.strategies needs Hypothesis: pip install 'ecomkit[testing]'"
    raise ImportError(msg) from error

import pendulum

from ecomkit import i18n
from ecomkit.money import Currency, Money, MoneyRange, Rounding, TaxedMoney
from ecomkit.time import ensure_aware


__all__ = [
    "aware_datetimes",
    "currencies",
    "locales",
    "localized_texts",
    "money",
    "money_ranges",
    "taxed_money",
]

#: Locales used by default: the ones ecomkit is tested in, plus fallback-chain cases.
LOCALES: Final = (
    "ar",
    "ar_SA",
    "de",
    "de_AT",
    "en",
    "en_GB",
    "en_US",
    "es_MX",
    "it_IT",
    "pl",
    "pl_PL",
    "zh_Hans_CN",
    "zh_Hant_TW",
)
#: Timezones used by default: both hemispheres, half-hour offsets and DST changes.
TIMEZONES: Final = (
    "UTC",
    "Europe/Warsaw",
    "America/Sao_Paulo",
    "America/New_York",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Australia/Adelaide",
    "Pacific/Chatham",
)
_MAX_UNITS: Final = 10**15


def currencies(*, with_minor_units: bool = True) -> st.SearchStrategy[Currency]:
    """Currencies from the ISO 4217 table.

    Args:
        with_minor_units: Leave out codes without ISO minor units (gold, testing codes),
            which most money operations refuse.
    """
    pool = [c for c in Currency.all() if c.minor_units is not None or not with_minor_units]
    return st.sampled_from(pool)


@st.composite
def _money(
    draw: st.DrawFn,
    currency: Currency | str | None,
    min_units: int,
    max_units: int,
    extra_digits: int,
) -> Money:
    chosen = Currency(currency) if currency is not None else draw(currencies())
    digits = (chosen.minor_units or 0) + draw(st.integers(0, extra_digits))
    units = draw(st.integers(min_units, max_units))
    return Money(Decimal(units).scaleb(-digits), chosen)


def money(
    *,
    currency: Currency | str | None = None,
    min_units: int = -_MAX_UNITS,
    max_units: int = _MAX_UNITS,
    extra_digits: int = 0,
) -> st.SearchStrategy[Money]:
    """Amounts of money.

    Args:
        currency: Fix the currency; by default any currency with ISO minor units.
        min_units: The smallest amount, counted in units of the generated precision.
        max_units: The largest amount, counted likewise.
        extra_digits: Up to this many digits beyond the ISO minor units (use it to
            exercise rounding); 0 gives whole minor units.
    """
    return _money(currency, min_units, max_units, extra_digits)


@st.composite
def _taxed(draw: st.DrawFn, currency: Currency | str | None) -> TaxedMoney:
    net = draw(money(currency=currency, min_units=0, max_units=10**12))
    rate = draw(st.sampled_from(("0", "0.05", "0.07", "0.08", "0.1", "0.19", "0.2", "0.23")))
    return TaxedMoney.from_net(net, rate=Decimal(rate), rounding=Rounding.HALF_UP)


def taxed_money(*, currency: Currency | str | None = None) -> st.SearchStrategy[TaxedMoney]:
    """Taxed amounts built from a net amount and a common VAT rate."""
    return _taxed(currency)


@st.composite
def _ranges(draw: st.DrawFn, currency: Currency | str | None) -> MoneyRange:
    start = draw(money(currency=currency))
    width = draw(money(currency=start.currency, min_units=0))
    return MoneyRange(start, start + width)


def money_ranges(*, currency: Currency | str | None = None) -> st.SearchStrategy[MoneyRange]:
    """Closed ranges of money in one currency."""
    return _ranges(currency)


def aware_datetimes(
    *, timezones: tuple[str, ...] = TIMEZONES
) -> st.SearchStrategy[pendulum.DateTime]:
    """Timezone-aware pendulum datetimes that exist in their zone (no DST gaps)."""
    zones = st.sampled_from([pendulum.timezone(name) for name in timezones])
    return st.datetimes(
        min_value=dt.datetime(1970, 1, 2),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=dt.datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=zones,
        allow_imaginary=False,
    ).map(ensure_aware)


def locales(*, pool: tuple[str, ...] = LOCALES) -> st.SearchStrategy[str]:
    """Locale codes in babel's canonical form."""
    return st.sampled_from(pool)


@st.composite
def _localized(draw: st.DrawFn, pool: tuple[str, ...]) -> i18n.LocalizedText:
    keys = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=5, unique=True))
    texts = st.text(min_size=1, max_size=30).filter(str.strip)
    values = {key: draw(texts) for key in keys}
    default = draw(st.none() | st.sampled_from(keys))
    return i18n.LocalizedText(values, default_locale=default)


def localized_texts(*, pool: tuple[str, ...] = LOCALES) -> st.SearchStrategy[i18n.LocalizedText]:
    """Localized texts with one to five locales and, sometimes, a default locale."""
    return _localized(pool)
