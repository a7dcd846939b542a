"""The order aggregate: its contents, its ledgers, its status and its event log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

import attrs

from ecomkit.errors import InvalidValueError, NotFoundError
from ecomkit.money import Currency, Money, TaxedMoney
from ecomkit.money._amount import exact
from ecomkit.orders._events import (
    LinesCredited,
    OrderCancelled,
    OrderConfirmed,
    OrderEvent,
    PaymentAuthorized,
    PaymentCaptured,
    PaymentRefunded,
)
from ecomkit.orders._ledger import Invoice, OrderLine, Payment, Shipment, ShippingLine
from ecomkit.orders._spec import Address, OrderSpec
from ecomkit.orders._status import (
    FulfilmentStatus,
    OrderStatus,
    PaymentStatus,
    ReturnStatus,
    fulfilment_status,
    payment_status,
    return_status,
)
from ecomkit.orders._values import (
    CancellationReason,
    ChannelId,
    CustomerId,
    OrderId,
)


__all__ = ["Milestones", "Order"]


@attrs.frozen(kw_only=True, weakref_slot=False)
class Milestones:
    """The timestamps order exports carry, read from the event log.

    Attributes:
        purchased_at: When the order was placed.
        approved_at: When the payment was first authorized or captured, or the order
            confirmed, whichever came first.
        invoiced_at: When the first invoice was issued.
        handed_to_carrier_at: When the first shipment was handed to the carrier.
        delivered_at: When the last active unit was delivered (``None`` until all were).
        estimated_delivery_at: The delivery estimate given to the customer.
        cancelled_at: When the order was cancelled.
    """

    purchased_at: dt.datetime | None
    approved_at: dt.datetime | None
    invoiced_at: dt.datetime | None
    handed_to_carrier_at: dt.datetime | None
    delivered_at: dt.datetime | None
    estimated_delivery_at: dt.datetime | None
    cancelled_at: dt.datetime | None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Order:
    """An order: what was bought, the ledgers of what happened to it, and its event log.

    Orders are built and changed only by [`apply`][ecomkit.orders.apply], which returns a
    new order and the events of the change; an order is never modified in place. Rebuilding
    it from its events with [`replay`][ecomkit.orders.replay] gives an equal order.

    Attributes:
        order_id: The order's id.
        version: How many commands were accepted; the version of the last event.
        status: The lifecycle status (see [`OrderStatus`][ecomkit.orders.OrderStatus]).
        spec: What the order was placed with (customer, channel, addresses, pricing).
        lines: The priced lines with their quantity counters.
        shipping: The shipping lines.
        total: What the active units and the due shipping cost, with tax.
        payments: One ledger per tender.
        shipments: The parcels.
        invoices: Invoices issued.
        held_from: The status the order was put on hold in, while it is on hold.
        placed_at: When it was placed (``None`` for a draft).
        events: Every event, oldest first.
    """

    order_id: OrderId
    version: int
    status: OrderStatus
    spec: OrderSpec
    lines: tuple[OrderLine, ...]
    shipping: tuple[ShippingLine, ...]
    total: TaxedMoney
    payments: tuple[Payment, ...] = ()
    shipments: tuple[Shipment, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    held_from: OrderStatus | None = None
    placed_at: dt.datetime | None = None
    events: tuple[OrderEvent, ...] = ()

    def __attrs_post_init__(self) -> None:
        """Refuse an order whose version does not match its event log."""
        if self.version != len(self.events):
            raise InvalidValueError(
                field="version",
                value=self.version,
                reason=f"must equal the number of events ({len(self.events)})",
            )

    # ------------------------------------------------------------------ contents

    @property
    def currency(self) -> Currency:
        """The currency of every amount."""
        return self.spec.currency

    @property
    def customer_id(self) -> CustomerId | None:
        """The customer, or ``None`` for a guest."""
        return self.spec.customer_id

    @property
    def channel(self) -> ChannelId:
        """The sales channel."""
        return self.spec.channel

    @property
    def timezone(self) -> str:
        """The store's IANA timezone."""
        return self.spec.timezone

    @property
    def shipping_address(self) -> Address | None:
        """The delivery address."""
        return self.spec.shipping_address

    @property
    def billing_address(self) -> Address | None:
        """The billing address."""
        return self.spec.billing_address

    def line(self, line_id: str) -> OrderLine:
        """Return the line with *line_id*.

        Raises:
            NotFoundError: The order has no such line.
        """
        return _find(self.lines, "line_id", line_id, self.order_id)

    def payment(self, payment_id: str) -> Payment:
        """Return the payment with *payment_id*.

        Raises:
            NotFoundError: The order has no such payment.
        """
        return _find(self.payments, "payment_id", payment_id, self.order_id)

    def shipment(self, shipment_id: str) -> Shipment:
        """Return the shipment with *shipment_id*.

        Raises:
            NotFoundError: The order has no such shipment.
        """
        return _find(self.shipments, "shipment_id", shipment_id, self.order_id)

    # ------------------------------------------------------------------ payment ledger

    @property
    def authorized(self) -> Money:
        """Total authorized over every payment."""
        return _sum(self.currency, (payment.authorized for payment in self.payments))

    @property
    def captured(self) -> Money:
        """Total captured over every payment."""
        return _sum(self.currency, (payment.captured for payment in self.payments))

    @property
    def refunded(self) -> Money:
        """Total refunded over every payment."""
        return _sum(self.currency, (payment.refunded for payment in self.payments))

    @property
    def shipping_price(self) -> Money:
        """The gross price of the delivery lines not cancelled: what delivery cost."""
        return _sum(
            self.currency, (line.price.gross for line in self.shipping if not line.cancelled)
        )

    @property
    def shipping_refunded(self) -> Money:
        """How much of the delivery price refunds and credits paid back (their ``shipping``)."""
        return _sum(
            self.currency,
            (
                event.shipping
                for event in self.events
                if isinstance(event, PaymentRefunded | LinesCredited) and event.shipping is not None
            ),
        )

    @property
    def credited(self) -> Money:
        """Total credited outside the payments ([`CreditLines`][ecomkit.orders.CreditLines])."""
        return _sum(
            self.currency,
            (event.amount for event in self.events if isinstance(event, LinesCredited)),
        )

    @property
    def open_authorizations(self) -> Money:
        """Authorized money neither captured nor voided, over every payment."""
        return _sum(self.currency, (payment.open for payment in self.payments))

    @property
    def outstanding(self) -> Money:
        """What is neither captured nor covered by an open authorization (never negative)."""
        gap = self.total.gross.amount
        for payment in self.payments:
            gap = exact.subtract(
                gap, exact.subtract(payment.authorized.amount, payment.voided.amount)
            )
        if gap > 0:
            return Money._trusted(gap, self.currency)  # noqa: SLF001 - from checked amounts
        return _zero(self.currency)

    # ------------------------------------------------------------------ derived statuses

    @property
    def payment_status(self) -> PaymentStatus:
        """Derived from payments and total (see [`PaymentStatus`][ecomkit.orders.PaymentStatus])."""
        return payment_status(self.total.gross, self.payments)

    @property
    def fulfilment_status(self) -> FulfilmentStatus:
        """Derived from the counters (see [`FulfilmentStatus`][ecomkit.orders.FulfilmentStatus])."""
        return fulfilment_status(self.lines)

    @property
    def return_status(self) -> ReturnStatus:
        """Derived from the line counters; see [`ReturnStatus`][ecomkit.orders.ReturnStatus]."""
        return return_status(self.lines)

    @property
    def cancellation_reason(self) -> CancellationReason | None:
        """Why the order was cancelled, or ``None`` if it was not."""
        if self.status is not OrderStatus.CANCELLED:
            return None
        for event in reversed(self.events):
            if isinstance(event, OrderCancelled):
                return event.reason
        return None  # pragma: no cover - a cancelled order always has the event

    @property
    def milestones(self) -> Milestones:
        """The timestamps an order export carries, from the event log."""
        approved = invoiced = handed = cancelled = None
        for event in self.events:
            if approved is None and isinstance(
                event, PaymentAuthorized | PaymentCaptured | OrderConfirmed
            ):
                approved = event.at
            elif isinstance(event, OrderCancelled):
                cancelled = event.at
        if self.invoices:
            invoiced = self.invoices[0].issued_at
        shipped = [s.shipped_at for s in self.shipments if s.shipped_at is not None]
        if shipped:
            handed = min(shipped)
        delivered = None
        if self.fulfilment_status is FulfilmentStatus.DELIVERED:
            delivered = max(s.delivered_at for s in self.shipments if s.delivered_at is not None)
        return Milestones(
            purchased_at=self.placed_at,
            approved_at=approved,
            invoiced_at=invoiced,
            handed_to_carrier_at=handed,
            delivered_at=delivered,
            estimated_delivery_at=self.spec.estimated_delivery_at,
            cancelled_at=cancelled,
        )

    def __repr__(self) -> str:
        return (
            f"<Order {self.order_id!r} v{self.version} {self.status.value}"
            f" {self.total.gross} payment={self.payment_status.value}"
            f" fulfilment={self.fulfilment_status.value}>"
        )


def _zero(currency: Currency) -> Money:
    """Zero written with the currency's minor units (``0.00 EUR``), where it has them."""
    if currency.minor_units is None:
        return Money.zero(currency)
    return Money.from_minor_units(0, currency)


def _sum(currency: Currency, amounts: Iterable[Money]) -> Money:
    """Add amounts of *currency* (the payments of one order share its currency)."""
    total = _zero(currency).amount
    for money in amounts:
        total = exact.add(total, money.amount)
    return Money._trusted(total, currency)  # noqa: SLF001 - sum of checked amounts


_T = TypeVar("_T")


def _find(items: tuple[_T, ...], id_field: str, key: str, order_id: str) -> _T:
    """Return the item of *items* whose *id_field* is *key*, or raise ``NotFoundError``."""
    for item in items:
        if getattr(item, id_field) == key:
            return item
    kind = id_field.removesuffix("_id")
    msg = f"order {order_id!r} has no {kind} {key!r}"
    raise NotFoundError(msg)
