"""Events: the facts an accepted command adds to an order's log (one event per command)."""

from __future__ import annotations

import datetime as dt

import attrs

from ecomkit.money import Money
from ecomkit.orders._spec import OrderSpec
from ecomkit.orders._status import OrderStatus
from ecomkit.orders._values import (
    CancellationReason,
    IdempotencyKey,
    InvoiceNumber,
    LineQuantity,
    OrderId,
    PaymentId,
    ReturnId,
    ShipmentId,
)


__all__ = [
    "DraftCreated",
    "DraftUpdated",
    "InvoiceIssued",
    "LinesCancelled",
    "LinesCredited",
    "LinesWrittenOff",
    "OrderCancelled",
    "OrderClosed",
    "OrderCompleted",
    "OrderConfirmed",
    "OrderEvent",
    "OrderHeld",
    "OrderPlaced",
    "OrderReleased",
    "PaymentAuthorized",
    "PaymentCaptured",
    "PaymentRefunded",
    "PaymentVoided",
    "ReturnReceived",
    "ReturnRequestCancelled",
    "ReturnRequested",
    "ShipmentCreated",
    "ShipmentDelivered",
    "ShipmentShipped",
]


@attrs.frozen(kw_only=True, weakref_slot=False)
class OrderEvent:
    """Base of every order event.

    Attributes:
        order_id: The order.
        version: The order's version after this event (the first event is version 1).
        at: When the command was accepted.
        key: The idempotency key of the command that produced it.
        status: The order's status after this event.
    """

    order_id: OrderId
    version: int
    at: dt.datetime
    key: IdempotencyKey
    status: OrderStatus


@attrs.frozen(kw_only=True, weakref_slot=False)
class DraftCreated(OrderEvent):
    """A draft order was started.

    Attributes:
        spec: Its contents.
    """

    spec: OrderSpec


@attrs.frozen(kw_only=True, weakref_slot=False)
class DraftUpdated(OrderEvent):
    """A draft's contents were replaced.

    Attributes:
        spec: The new contents.
    """

    spec: OrderSpec


@attrs.frozen(kw_only=True, weakref_slot=False)
class OrderPlaced(OrderEvent):
    """The order was placed.

    Attributes:
        spec: Its contents, or ``None`` when a draft was placed as it was.
    """

    spec: OrderSpec | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class OrderConfirmed(OrderEvent):
    """The store confirmed the order."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class OrderHeld(OrderEvent):
    """The order was put on hold.

    Attributes:
        reason: Why.
        held_from: The status it was held in (and returns to on release).
    """

    reason: str
    held_from: OrderStatus


@attrs.frozen(kw_only=True, weakref_slot=False)
class OrderReleased(OrderEvent):
    """The order was released from hold."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class OrderCancelled(OrderEvent):
    """The order was cancelled; its remaining units were cancelled with it.

    Attributes:
        reason: Why.
        note: Free text for staff.
    """

    reason: CancellationReason
    note: str = ""


@attrs.frozen(kw_only=True, weakref_slot=False)
class OrderCompleted(OrderEvent):
    """The order was completed."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class OrderClosed(OrderEvent):
    """The order was closed."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class LinesCancelled(OrderEvent):
    """Units were cancelled.

    Attributes:
        lines: The units.
    """

    lines: tuple[LineQuantity, ...]


@attrs.frozen(kw_only=True, weakref_slot=False)
class PaymentAuthorized(OrderEvent):
    """A payment was authorized.

    Attributes:
        payment_id: The new payment.
        tender: Its kind of tender.
        amount: The amount authorized.
        reference: The payment provider's reference, if there is one.
    """

    payment_id: PaymentId
    tender: str
    amount: Money
    reference: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class PaymentCaptured(OrderEvent):
    """Money was captured on a payment.

    Attributes:
        payment_id: The payment.
        amount: The amount of this capture.
    """

    payment_id: PaymentId
    amount: Money


@attrs.frozen(kw_only=True, weakref_slot=False)
class PaymentVoided(OrderEvent):
    """What was open on a payment was released.

    Attributes:
        payment_id: The payment.
        amount: The amount released.
    """

    payment_id: PaymentId
    amount: Money


@attrs.frozen(kw_only=True, weakref_slot=False)
class PaymentRefunded(OrderEvent):
    """Money was refunded on a payment.

    Attributes:
        payment_id: The payment.
        amount: The amount of this refund.
        lines: The units it paid for (empty for shipping or goodwill refunds).
        reason: Free text.
        shipping: The part of the amount that paid back delivery, if any.
    """

    payment_id: PaymentId
    amount: Money
    lines: tuple[LineQuantity, ...] = ()
    reason: str = ""
    shipping: Money | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class ShipmentCreated(OrderEvent):
    """Units were packed into a new shipment.

    Attributes:
        shipment_id: The new shipment.
        lines: The units it carries.
        carrier: The carrier, if known.
        tracking_number: The tracking number, if known.
        promised_delivery_on: The promised delivery date, if any.
    """

    shipment_id: ShipmentId
    lines: tuple[LineQuantity, ...]
    carrier: str | None = None
    tracking_number: str | None = None
    promised_delivery_on: dt.date | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class ShipmentShipped(OrderEvent):
    """A shipment was handed to the carrier.

    Attributes:
        shipment_id: The shipment.
        carrier: The carrier, if given with this command.
        tracking_number: The tracking number, if given with this command.
    """

    shipment_id: ShipmentId
    carrier: str | None = None
    tracking_number: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class ShipmentDelivered(OrderEvent):
    """A shipment was delivered.

    Attributes:
        shipment_id: The shipment.
    """

    shipment_id: ShipmentId


@attrs.frozen(kw_only=True, weakref_slot=False)
class InvoiceIssued(OrderEvent):
    """An invoice was issued.

    Attributes:
        invoice_number: Its number.
    """

    invoice_number: InvoiceNumber


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnRequested(OrderEvent):
    """The customer asked to return units.

    Attributes:
        lines: The units.
        return_id: The return (RMA), if the host tracks one.
    """

    lines: tuple[LineQuantity, ...]
    return_id: ReturnId | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnRequestCancelled(OrderEvent):
    """Requested units were withdrawn from return.

    Attributes:
        lines: The units.
        return_id: The return (RMA), if the host tracks one.
    """

    lines: tuple[LineQuantity, ...]
    return_id: ReturnId | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnReceived(OrderEvent):
    """Requested units came back.

    Attributes:
        lines: The units.
        return_id: The return (RMA), if the host tracks one.
    """

    lines: tuple[LineQuantity, ...]
    return_id: ReturnId | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class LinesWrittenOff(OrderEvent):
    """Requested units were closed without coming back.

    Attributes:
        lines: The units.
        return_id: The return (RMA), if the host tracks one.
        reason: Free text.
    """

    lines: tuple[LineQuantity, ...]
    return_id: ReturnId | None = None
    reason: str = ""


@attrs.frozen(kw_only=True, weakref_slot=False)
class LinesCredited(OrderEvent):
    """Units were settled outside the payments (store credit, an exchange, fees).

    Attributes:
        lines: The units.
        amount: What the customer was credited.
        shipping: The part of the amount that paid back delivery, if any.
        reason: Free text.
    """

    lines: tuple[LineQuantity, ...]
    amount: Money
    shipping: Money | None = None
    reason: str = ""
