"""Marketplace order statuses, as real order exports carry them, derived from an order."""

from __future__ import annotations

import enum

from ecomkit.errors import InvalidTypeError
from ecomkit.orders._events import OrderConfirmed, PaymentAuthorized, PaymentCaptured
from ecomkit.orders._order import Order
from ecomkit.orders._status import FulfilmentStatus, OrderStatus
from ecomkit.orders._values import CancellationReason


__all__ = ["MarketplaceStatus", "marketplace_status"]


class MarketplaceStatus(enum.StrEnum):
    """The status vocabulary of marketplace order exports (such as the Olist dataset)."""

    CREATED = "created"
    APPROVED = "approved"
    INVOICED = "invoiced"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELED = "canceled"
    UNAVAILABLE = "unavailable"


#: Events after which a marketplace calls an order approved (as ``Milestones.approved_at``).
_APPROVING = (PaymentAuthorized, PaymentCaptured, OrderConfirmed)


def marketplace_status(order: Order) -> MarketplaceStatus:  # noqa: PLR0911 - a rule table
    """Return the marketplace status an export would show for *order*.

    The furthest fact wins: a cancelled order is ``unavailable`` when it was cancelled
    because the goods were unavailable and ``canceled`` otherwise; then ``delivered`` when
    every active unit was delivered, ``shipped`` when any unit was handed to a carrier,
    ``processing`` when any unit was packed, ``invoiced`` when an invoice was issued,
    ``approved`` once a payment was authorized or captured or the order was confirmed (the
    moment [`Milestones.approved_at`][ecomkit.orders.Milestones] records), else ``created``.

    Examples:
        >>> from ecomkit import Money
        >>> import pendulum
        >>> from ecomkit.orders import LineSpec, OrderSpec, PlaceOrder, apply
        >>> spec = OrderSpec(order_id="o-9", channel="marketplace", currency="BRL",
        ...     timezone="America/Sao_Paulo",
        ...     lines=[LineSpec(line_id="1", sku="bed-01", quantity=1,
        ...                     unit_price=Money("129.90", "BRL"))])
        >>> at = pendulum.datetime(2017, 10, 2, 10, 56, tz="America/Sao_Paulo")
        >>> order, _ = apply(None, PlaceOrder(key="p", spec=spec), at=at)
        >>> marketplace_status(order)
        <MarketplaceStatus.CREATED: 'created'>

    Raises:
        InvalidTypeError: *order* is not an ``Order``.
    """
    if not isinstance(order, Order):
        raise InvalidTypeError(field="order", value=order, expected="Order")
    if order.status is OrderStatus.CANCELLED:
        if order.cancellation_reason is CancellationReason.UNAVAILABLE:
            return MarketplaceStatus.UNAVAILABLE
        return MarketplaceStatus.CANCELED
    fulfilment = order.fulfilment_status
    if fulfilment is FulfilmentStatus.DELIVERED:
        return MarketplaceStatus.DELIVERED
    if fulfilment in {
        FulfilmentStatus.SHIPPED,
        FulfilmentStatus.PARTIALLY_SHIPPED,
        FulfilmentStatus.PARTIALLY_DELIVERED,
    }:
        return MarketplaceStatus.SHIPPED
    if fulfilment is not FulfilmentStatus.UNFULFILLED:
        return MarketplaceStatus.PROCESSING
    if order.invoices:
        return MarketplaceStatus.INVOICED
    if any(isinstance(event, _APPROVING) for event in order.events):
        return MarketplaceStatus.APPROVED
    return MarketplaceStatus.CREATED
