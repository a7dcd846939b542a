"""Prices read from a product's price history: the price at a moment, the 30-day lowest price.

The EU price-indication rules (Directive 98/6/EC as amended by the Omnibus Directive
2019/2161, article 6a) require a shop announcing a price reduction to show the prior price:
the lowest price it charged during a period of at least 30 days before the reduction.
[`lowest_price`][ecomkit.catalog.lowest_price] works it out from the
[`PriceChange`][ecomkit.catalog.PriceChange]s that
[`edit_product`][ecomkit.catalog.edit_product] records.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence

import pendulum

from ecomkit.catalog._attributes import check_code
from ecomkit.catalog._product import Price, PriceChange, Product
from ecomkit.errors import InvalidTypeError
from ecomkit.money import Currency, Money
from ecomkit.orders._values import check_aware, check_quantity


__all__ = ["lowest_price", "price_on"]

_Timeline = tuple[list[dt.datetime], list[Price | None]]


def _timelines(
    product: object, currency: object, channel: object
) -> tuple[tuple[_Timeline, ...], list[PriceChange]]:
    """Return the timelines to read, the channel's own first, and the changes in them."""
    if not isinstance(product, Product):
        raise InvalidTypeError(field="product", value=product, expected="Product")
    code = Currency(currency).code  # type: ignore[arg-type]  # Currency checks the type
    keys: tuple[str | None, ...] = (None,)
    if channel is not None:
        keys = (check_code(channel, field="channel"), None)
    # A stable sort keeps the order of changes made at the same moment: the last one counts.
    changes = sorted(
        (c for c in product.price_history if c.currency == code and c.channel in keys),
        key=lambda change: change.at,
    )
    timelines = tuple(
        (
            [c.at for c in changes if c.channel == key],
            [c.price for c in changes if c.channel == key],
        )
        for key in keys
    )
    return timelines, changes


def _effective(timelines: Sequence[_Timeline], moment: dt.datetime) -> Money | None:
    """Return what a customer paid at *moment*: the channel's price, else all channels'."""
    for times, prices in timelines:
        index = bisect.bisect_right(times, moment) - 1
        if index >= 0 and prices[index] is not None:
            price = prices[index]
            assert price is not None  # noqa: S101 - checked on the line above, for mypy
            return price.effective(moment)
    return None


def price_on(
    product: Product, currency: str, *, at: dt.datetime, channel: str | None = None
) -> Money | None:
    """Return the price a customer paid for *product* at *at*, from its price history.

    The price in force is the one set by the last change at or before *at* for the
    currency and channel; a channel without a price of its own falls back to the
    all-channels price, as [`Product.price`][ecomkit.catalog.Product.price] does. During the
    sale window of the price in force, the sale price is what was paid.

    Args:
        product: The product.
        currency: A currency code.
        at: The moment (timezone-aware).
        channel: A channel code, or ``None`` for the all-channels price.

    Returns:
        The effective price, or ``None`` when no price was in force.

    Raises:
        InvalidTypeError: *product* is not a `Product`, or *at* is not a datetime.
        NaiveDateTimeError: *at* has no timezone.
        UnknownCurrencyError: *currency* is not an ISO 4217 code.
    """
    moment = check_aware(at, field="at")
    timelines, _ = _timelines(product, currency, channel)
    return _effective(timelines, moment)


def lowest_price(
    product: Product,
    currency: str,
    *,
    at: dt.datetime,
    days: int = 30,
    channel: str | None = None,
) -> Money | None:
    """Return the lowest price a customer paid in the *days* before *at*: the prior price.

    This is the price the EU rules on price reductions (the Omnibus Directive) call the
    prior price. Pass the moment the reduction starts as *at*: the window is ``[at - days,
    at)``, so the reduced price itself is not counted. The window starts at the same
    wall-clock time *days* calendar days earlier in *at*'s timezone, so pass *at* in the
    shop's timezone: a 30-day window across the switch to summer time is 719 hours long.

    The price paid is read from the price history as [`price_on`][ecomkit.catalog.price_on]
    reads it: a sale price during its window, else the regular price; a channel falls back
    to the all-channels price. It changes only at a price change or a sale window's edge,
    so it is read at the start of the window and at each of those moments inside it.

    Args:
        product: The product.
        currency: A currency code.
        at: The end of the window (timezone-aware), usually when the reduction starts.
        days: The length of the window in days (at least 1).
        channel: A channel code, or ``None`` for the all-channels price.

    Returns:
        The lowest price paid, or ``None`` when no price was in force in the window.

    Raises:
        InvalidTypeError: An argument has the wrong type.
        InvalidValueError: *days* is less than 1.
        NaiveDateTimeError: *at* has no timezone.
        UnknownCurrencyError: *currency* is not an ISO 4217 code.

    Examples:
        >>> import pendulum
        >>> from ecomkit import Money
        >>> from ecomkit.catalog import (AttributeDef, CatalogSchema, Channel, Price,
        ...                              ProductType, SetPrice, create_product, edit_product)
        >>> schema = CatalogSchema([AttributeDef("title", "text")],
        ...                        [ProductType("mug", ["title"], description_attribute=None)],
        ...                        [Channel("web", ["en"], ["EUR"])])
        >>> march = pendulum.datetime(2026, 3, 1, tz="Europe/Berlin")
        >>> mug = create_product(schema, sku="MUG", product_type="mug", at=march,
        ...                      changes=[SetPrice(Price(Money("12", "EUR")))]).product
        >>> for day, amount in ((5, "10"), (9, "14"), (20, "11")):
        ...     mug = edit_product(schema, mug, [SetPrice(Price(Money(amount, "EUR")))],
        ...                        at=march.add(days=day)).product
        >>> lowest_price(mug, "EUR", at=march.add(days=20))  # 11 EUR from the 21st on
        Money('10', 'EUR')
        >>> lowest_price(mug, "EUR", at=march.add(days=40))  # the 10 EUR ended on the 10th
        Money('11', 'EUR')
    """
    moment = check_aware(at, field="at")
    length = check_quantity(days, field="days", minimum=1)
    timelines, changes = _timelines(product, currency, channel)
    start = pendulum.instance(moment).subtract(days=length)
    moments: set[dt.datetime] = {start}
    for change in changes:
        edges: tuple[dt.datetime | None, ...] = (change.at,)
        if change.price is not None:
            edges = (change.at, change.price.sale_from, change.price.sale_until)
        moments.update(edge for edge in edges if edge is not None and start < edge < moment)
    found = (_effective(timelines, when) for when in moments)
    paid = [price for price in found if price is not None]
    return min(paid, key=lambda money: money.amount) if paid else None
