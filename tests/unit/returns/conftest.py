"""Shared fixtures for the returns tests: orders built through the public orders API.

Orders are placed, paid, packed, shipped and delivered with ``ecomkit.orders.apply``, so the
tests see exactly what a host would. Every order lives in Europe/Warsaw and, unless a test
says otherwise, is placed and delivered on Monday 2 March 2026 at 10:00 local time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pendulum
import pytest

from ecomkit.money import Money
from ecomkit.orders import (
    Address,
    AuthorizePayment,
    CapturePayment,
    ConfirmDelivery,
    DiscountSpec,
    FulfilLines,
    LineSpec,
    Order,
    OrderCommand,
    OrderSpec,
    PlaceOrder,
    ShippingSpec,
    ShipShipment,
    apply,
)
from ecomkit.returns import ReturnLine, ReturnRequest
from ecomkit.returns import _messages as messages_module
from ecomkit.returns import _rules as rules_module


ZONE = "Europe/Warsaw"
PLACED = pendulum.datetime(2026, 3, 2, 10, tz=ZONE)  # a Monday

LineItems = Mapping[str, tuple[int, str]] | Sequence[LineSpec]
Deliveries = Mapping[str, tuple[Mapping[str, int], dt.datetime | None]]


def _line_specs(lines: LineItems, currency: str, tax_rate: str) -> list[LineSpec]:
    if isinstance(lines, Mapping):
        return [
            LineSpec(
                line_id=line_id,
                sku=f"SKU-{line_id}",
                quantity=quantity,
                unit_price=Money(price, currency),
                tax_rate=Decimal(tax_rate),
            )
            for line_id, (quantity, price) in lines.items()
        ]
    return list(lines)


def build_order(
    lines: LineItems = {"l1": (2, "100.00")},  # noqa: B006 - read only
    *,
    deliveries: Deliveries | None = None,
    payments: Sequence[tuple[str, str, str]] | None = None,
    shipping: str | None = None,
    discounts: Sequence[DiscountSpec] = (),
    tax_rate: str = "0",
    prices_include_tax: bool = True,
    currency: str = "PLN",
    channel: str = "web",
    country: str | None = None,
    placed_at: dt.datetime = PLACED,
    order_id: str = "o-1",
) -> Order:
    """Return an order placed, paid, shipped and delivered as described.

    Args:
        lines: ``{line_id: (quantity, unit price)}`` or ``LineSpec`` items.
        deliveries: ``{shipment_id: ({line_id: units}, delivered_at or None)}``; a shipment
            with ``None`` is shipped but not delivered, units in no shipment are not
            packed. Default: every unit in shipment ``s1``, delivered when placed.
        payments: ``(payment_id, tender, amount)`` captured in this order. Default: one
            card payment of the order's gross total.
        shipping: The delivery price, if the order has one.
        discounts: Line and order discounts.
        tax_rate: Every line's tax rate (for lines given as a mapping).
        prices_include_tax: Whether prices are gross.
        currency: The order's currency.
        channel: The sales channel.
        country: The shipping address's country, if the order has one.
        placed_at: When the order is placed, paid and shipped.
        order_id: The order's id.
    """
    specs = _line_specs(lines, currency, tax_rate)
    spec = OrderSpec(
        order_id=order_id,
        channel=channel,
        currency=currency,
        timezone=ZONE,
        lines=specs,
        shipping=[]
        if shipping is None
        else [ShippingSpec(shipping_id="ship", method="courier", price=Money(shipping, currency))],
        discounts=discounts,
        prices_include_tax=prices_include_tax,
        shipping_address=None
        if country is None
        else Address(
            name="Ann Customer",
            line1="Main St 1",
            city="Town",
            postal_code="00-001",
            country_code=country,
        ),
    )
    order, _ = apply(None, PlaceOrder(key="place", spec=spec), at=placed_at)
    if payments is None:
        payments = [("p1", "card", str(order.total.gross.amount))]
    for payment_id, tender, amount in payments:
        order = run(
            order,
            AuthorizePayment,
            placed_at,
            payment_id=payment_id,
            tender=tender,
            amount=Money(amount, currency),
        )
        order = run(order, CapturePayment, placed_at, payment_id=payment_id)
    if deliveries is None:
        deliveries = {"s1": ({spec.line_id: spec.quantity for spec in specs}, placed_at)}
    for shipment_id, (units, _delivered_at) in deliveries.items():
        order = run(order, FulfilLines, placed_at, shipment_id=shipment_id, lines=dict(units))
        order = run(order, ShipShipment, placed_at, shipment_id=shipment_id)
    delivered = sorted(
        (at, shipment_id) for shipment_id, (_units, at) in deliveries.items() if at is not None
    )
    for at, shipment_id in delivered:
        order = run(order, ConfirmDelivery, at, shipment_id=shipment_id)
    return order


def run(order: Order, command: type[OrderCommand], at: dt.datetime, **fields: Any) -> Order:
    """Apply *command* built from *fields* (with a fresh idempotency key) at *at*."""
    key = f"{command.__name__}-{len(order.events)}"
    new_order, _events = apply(order, command(key=key, **fields), at=at)
    return new_order


def build_request(
    kind: str,
    lines: Mapping[str, int] | Sequence[ReturnLine],
    *,
    at: dt.datetime,
    return_id: str = "r-1",
    **fields: Any,
) -> ReturnRequest:
    """Return a request of *kind* made at *at*; *lines* is ``{line_id: units}`` or lines."""
    if isinstance(lines, Mapping):
        lines = [ReturnLine(line_id=line_id, quantity=units) for line_id, units in lines.items()]
    return ReturnRequest(return_id=return_id, kind=kind, lines=lines, requested_at=at, **fields)


@pytest.fixture
def make_order() -> Callable[..., Order]:
    """Build orders placed, paid and delivered through ``ecomkit.orders.apply``."""
    return build_order


@pytest.fixture
def advance() -> Callable[..., Order]:
    """Apply one more order command: ``advance(order, RequestReturn, at, lines=...)``."""
    return run


@pytest.fixture
def make_request() -> Callable[..., ReturnRequest]:
    """Build a return request: ``make_request("withdrawal", {"l1": 1}, at=...)``."""
    return build_request


@pytest.fixture
def placed() -> pendulum.DateTime:
    """When the default order is placed and delivered: Monday 2 March 2026, 10:00 Warsaw."""
    return PLACED


@pytest.fixture
def clean_message_registry() -> Iterator[None]:
    """Undo any ``register_message`` a test makes."""
    saved = dict(messages_module._TEMPLATES)
    yield
    messages_module._TEMPLATES.clear()
    messages_module._TEMPLATES.update(saved)


@pytest.fixture
def clean_rule_registry() -> Iterator[None]:
    """Undo any ``register_rule_type`` a test makes."""
    saved = dict(rules_module._RULE_TYPES)
    yield
    rules_module._RULE_TYPES.clear()
    rules_module._RULE_TYPES.update(saved)
