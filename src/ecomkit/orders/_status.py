"""The order's own status and the statuses derived from its ledgers."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from ecomkit.errors import InvalidTypeError
from ecomkit.money import Money
from ecomkit.orders._ledger import OrderLine, Payment


__all__ = [
    "FulfilmentStatus",
    "OrderStatus",
    "PaymentStatus",
    "ReturnStatus",
    "fulfilment_status",
    "payment_status",
    "return_status",
]


class OrderStatus(enum.StrEnum):
    """Where an order is in its lifecycle; changed only by commands, through the table."""

    DRAFT = "draft"
    """Being put together (by staff, or an unpaid checkout); nothing is owed yet."""
    PLACED = "placed"
    """Placed by the customer; awaiting confirmation or payment."""
    PROCESSING = "processing"
    """Confirmed by the store, or fulfilment has started."""
    ON_HOLD = "on_hold"
    """Paused (fraud review, address check, out of stock); fulfilment is blocked."""
    COMPLETED = "completed"
    """Everything active has shipped and is paid; returns and refunds can still happen."""
    CANCELLED = "cancelled"
    """Cancelled before anything shipped. Terminal."""
    CLOSED = "closed"
    """Archived; nothing can change any more. Terminal."""


class PaymentStatus(enum.StrEnum):
    """What the payment ledger says, compared with the order total.

    Derived by [`payment_status`][ecomkit.orders.payment_status]; the rules are checked in
    this order, the first that holds wins:

    1. nothing captured, nothing authorized, no payments, and the total is zero: ``PAID``;
    2. something refunded: ``REFUNDED`` if everything captured was refunded, else
       ``PARTIALLY_REFUNDED``;
    3. something captured: ``OVERPAID``, ``PAID`` or ``PARTIALLY_PAID`` as the captured
       amount is above, equal to or below the total;
    4. something authorized and still open: ``AUTHORIZED`` if it covers the total, else
       ``PARTIALLY_AUTHORIZED``;
    5. payments exist and were all voided: ``VOIDED``;
    6. otherwise ``NOT_PAID``.

    Refunds are compared with captures, not with the total: a total already lowered by
    cancelled units is not lowered a second time by their refund.
    """

    NOT_PAID = "not_paid"
    PARTIALLY_AUTHORIZED = "partially_authorized"
    AUTHORIZED = "authorized"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERPAID = "overpaid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"


class FulfilmentStatus(enum.StrEnum):
    """How far the active units (ordered minus cancelled) have got.

    Derived by [`fulfilment_status`][ecomkit.orders.fulfilment_status] from the line
    counters summed over the order; the furthest stage any unit reached decides, and
    "partially" means not every active unit reached it. An order whose every unit was
    cancelled is ``UNFULFILLED``.
    """

    UNFULFILLED = "unfulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    PARTIALLY_DELIVERED = "partially_delivered"
    DELIVERED = "delivered"


class ReturnStatus(enum.StrEnum):
    """Where the order's returns are.

    ``RETURN_REQUESTED`` while some requested unit has neither come back nor been written
    off; then ``RETURNED`` if every active unit came back or was written off, else
    ``PARTIALLY_RETURNED``; ``NONE`` when nothing was ever requested.
    """

    NONE = "none"
    RETURN_REQUESTED = "return_requested"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"


def _check_item(item: object, kind: type, field: str, index: int) -> None:
    if not isinstance(item, kind):
        raise InvalidTypeError(field=f"{field}[{index}]", value=item, expected=kind.__name__)


def payment_status(  # noqa: PLR0911 - the rules read best as early returns
    total: Money, payments: Iterable[Payment]
) -> PaymentStatus:
    """Derive the payment status from the payment ledgers and the order total.

    Args:
        total: The order total (gross) after cancellations.
        payments: The order's payments.

    Returns:
        The status; see [`PaymentStatus`][ecomkit.orders.PaymentStatus] for the rules.

    Raises:
        InvalidTypeError: *total* is not ``Money`` or a payment is not a ``Payment``.

    Examples:
        >>> payment_status(Money("10.00", "EUR"), [])
        <PaymentStatus.NOT_PAID: 'not_paid'>
    """
    if not isinstance(total, Money):
        raise InvalidTypeError(field="total", value=total, expected="Money")
    zero = Money.zero(total.currency)
    captured = refunded = open_amount = zero
    count = 0
    for payment in payments:
        _check_item(payment, Payment, "payments", count)
        count += 1
        captured += payment.captured
        refunded += payment.refunded
        open_amount += payment.open
    if not count:
        return PaymentStatus.PAID if total.is_zero() else PaymentStatus.NOT_PAID
    if refunded.is_positive():
        return PaymentStatus.REFUNDED if refunded == captured else PaymentStatus.PARTIALLY_REFUNDED
    if captured.is_positive():
        if captured > total:
            return PaymentStatus.OVERPAID
        return PaymentStatus.PAID if captured == total else PaymentStatus.PARTIALLY_PAID
    if open_amount.is_positive():
        if open_amount >= total:
            return PaymentStatus.AUTHORIZED
        return PaymentStatus.PARTIALLY_AUTHORIZED
    return PaymentStatus.VOIDED


def fulfilment_status(lines: Iterable[OrderLine]) -> FulfilmentStatus:
    """Derive the fulfilment status from the line counters.

    Returns:
        The status; see [`FulfilmentStatus`][ecomkit.orders.FulfilmentStatus].

    Raises:
        InvalidTypeError: An item of *lines* is not an ``OrderLine``.
    """
    active = fulfilled = shipped = delivered = 0
    for index, line in enumerate(lines):
        _check_item(line, OrderLine, "lines", index)
        active += line.quantity - line.cancelled
        fulfilled += line.fulfilled
        shipped += line.shipped
        delivered += line.delivered
    if delivered:
        return (
            FulfilmentStatus.DELIVERED
            if delivered == active
            else FulfilmentStatus.PARTIALLY_DELIVERED
        )
    if shipped:
        return FulfilmentStatus.SHIPPED if shipped == active else FulfilmentStatus.PARTIALLY_SHIPPED
    if fulfilled:
        return (
            FulfilmentStatus.FULFILLED
            if fulfilled == active
            else FulfilmentStatus.PARTIALLY_FULFILLED
        )
    return FulfilmentStatus.UNFULFILLED


def return_status(lines: Iterable[OrderLine]) -> ReturnStatus:
    """Derive the return status from the line counters.

    Returns:
        The status; see [`ReturnStatus`][ecomkit.orders.ReturnStatus].

    Raises:
        InvalidTypeError: An item of *lines* is not an ``OrderLine``.
    """
    active = requested = closed = 0
    for index, line in enumerate(lines):
        _check_item(line, OrderLine, "lines", index)
        active += line.quantity - line.cancelled
        requested += line.return_requested
        closed += line.returned + line.written_off
    if not requested:
        return ReturnStatus.NONE
    if closed < requested:
        return ReturnStatus.RETURN_REQUESTED
    return ReturnStatus.RETURNED if closed >= active else ReturnStatus.PARTIALLY_RETURNED
