"""The order lifecycle table: which command may move an order from which status, and when."""

from __future__ import annotations

from collections.abc import Callable

from ecomkit.lifecycle import Lifecycle, Transition
from ecomkit.orders._commands import (
    AuthorizePayment,
    CancelLines,
    CancelOrder,
    CancelReturnRequest,
    CapturePayment,
    CloseOrder,
    CompleteOrder,
    ConfirmDelivery,
    ConfirmOrder,
    CreditLines,
    FulfilLines,
    HoldOrder,
    IssueInvoice,
    OrderCommand,
    PlaceOrder,
    ReceiveReturn,
    RefundPayment,
    ReleaseOrder,
    RequestReturn,
    ShipShipment,
    UpdateDraft,
    VoidPayment,
    WriteOffLines,
)
from ecomkit.orders._order import Order
from ecomkit.orders._status import OrderStatus
from ecomkit.orders._values import units


__all__ = ["ORDER_LIFECYCLE", "OrderTransition", "lifecycle_mermaid"]

OrderTransition = Transition[OrderStatus, Order, OrderCommand]
"""A row of the order lifecycle table."""


def payment_secured(order: Order, command: OrderCommand) -> str | None:
    """Guard: captures and open authorizations cover the total, or the command waives it.

    Refunds do not count against this: money captured in full and partly refunded
    afterwards (a goodwill gesture) was still secured.
    """
    if isinstance(command, ConfirmOrder) and command.unpaid_ok:
        return None
    outstanding = order.outstanding
    if not outstanding.is_positive():
        return None
    return (
        f"payment covers {order.total.gross - outstanding} of {order.total.gross}; "
        f"authorize or capture {outstanding} more first, or confirm with unpaid_ok=True"
    )


def nothing_packed_or_paid(order: Order, _command: OrderCommand) -> str | None:
    """Guard for cancelling an order: nothing packed or shipped, no money left in limbo."""
    shipped = sum(line.shipped for line in order.lines)
    if shipped:
        return f"{units(shipped)} already shipped"
    packed = sum(line.fulfilled for line in order.lines)
    if packed:
        return f"{units(packed)} already packed in a shipment"
    kept = order.captured - order.refunded
    if kept.is_positive():
        return f"{kept} captured and not refunded; refund it first"
    still_open = order.open_authorizations
    if still_open.is_positive():
        return f"{still_open} still authorized; void it first"
    return None


def shipped_and_settled(order: Order, _command: OrderCommand) -> str | None:
    """Guard for completing: a unit is active, every active unit shipped, the total captured.

    The captured amount is compared with the total as it is now (after cancellations);
    later refunds of returned units do not undo a completed payment.
    """
    active = sum(line.active for line in order.lines)
    if not active:
        return "every unit is cancelled; cancel the order instead"
    unshipped = active - sum(line.shipped for line in order.lines)
    if unshipped:
        return f"{units(unshipped)} not shipped yet"
    missing = order.total.gross - order.captured
    if missing.is_positive():
        return f"{order.captured} of {order.total.gross} captured; capture {missing} more first"
    return None


def no_open_returns(order: Order, _command: OrderCommand) -> str | None:
    """Guard for closing: no unit is waiting to come back."""
    waiting = sum(line.open_return_requests for line in order.lines)
    if waiting:
        return f"{units(waiting)} still requested for return; receive or write them off first"
    return None


def keeps_a_unit(order: Order, command: OrderCommand) -> str | None:
    """Guard for cancelling lines: at least one unit stays (else cancel the order)."""
    if not isinstance(command, CancelLines):  # pragma: no cover - the table pairs them
        return None
    remaining = sum(line.active for line in order.lines)
    asked = sum(item.quantity for item in command.lines)
    if asked >= remaining:
        return "it would cancel every remaining unit; cancel the order instead"
    return None


def held_in(status: OrderStatus) -> Callable[[Order, OrderCommand], str | None]:
    """Return a guard that passes when the order was put on hold in *status*."""

    def guard(order: Order, _command: OrderCommand) -> str | None:
        if order.held_from is status:
            return None
        held = order.held_from.value if order.held_from else "unknown"
        return f"it was held while {held}, not {status.value}"

    guard.__name__ = guard.__qualname__ = f"held_in_{status.value}"
    return guard


_PAYMENTS: tuple[type[OrderCommand], ...] = (
    AuthorizePayment,
    CapturePayment,
    VoidPayment,
    RefundPayment,
)
_RETURNS: tuple[type[OrderCommand], ...] = (
    RequestReturn,
    CancelReturnRequest,
    ReceiveReturn,
    WriteOffLines,
    CreditLines,
)


def _internal(status: OrderStatus, *commands: type[OrderCommand]) -> list[OrderTransition]:
    return [Transition(source=status, command=command, target=status) for command in commands]


def _table() -> list[OrderTransition]:
    draft, placed, processing, on_hold, completed, cancelled, closed = (
        OrderStatus.DRAFT,
        OrderStatus.PLACED,
        OrderStatus.PROCESSING,
        OrderStatus.ON_HOLD,
        OrderStatus.COMPLETED,
        OrderStatus.CANCELLED,
        OrderStatus.CLOSED,
    )
    cancel_lines: list[OrderTransition] = [
        Transition(source=status, command=CancelLines, target=status, guard=keeps_a_unit)
        for status in (placed, processing, on_hold)
    ]
    return [
        Transition(source=draft, command=PlaceOrder, target=placed),
        *_internal(draft, UpdateDraft),
        Transition(source=draft, command=CancelOrder, target=cancelled),
        Transition(source=placed, command=ConfirmOrder, target=processing, guard=payment_secured),
        Transition(source=placed, command=FulfilLines, target=processing),
        Transition(source=placed, command=HoldOrder, target=on_hold),
        Transition(
            source=placed, command=CancelOrder, target=cancelled, guard=nothing_packed_or_paid
        ),
        *_internal(placed, *_PAYMENTS, IssueInvoice),
        *_internal(processing, FulfilLines, ShipShipment, ConfirmDelivery),
        *_internal(processing, *_PAYMENTS, IssueInvoice, *_RETURNS),
        Transition(source=processing, command=HoldOrder, target=on_hold),
        Transition(
            source=processing, command=CancelOrder, target=cancelled, guard=nothing_packed_or_paid
        ),
        Transition(
            source=processing, command=CompleteOrder, target=completed, guard=shipped_and_settled
        ),
        Transition(source=on_hold, command=ReleaseOrder, target=placed, guard=held_in(placed)),
        Transition(
            source=on_hold, command=ReleaseOrder, target=processing, guard=held_in(processing)
        ),
        Transition(
            source=on_hold, command=CancelOrder, target=cancelled, guard=nothing_packed_or_paid
        ),
        *_internal(on_hold, *_PAYMENTS, IssueInvoice, ConfirmDelivery, *_RETURNS),
        *cancel_lines,
        Transition(source=completed, command=CloseOrder, target=closed, guard=no_open_returns),
        *_internal(completed, RefundPayment, VoidPayment, IssueInvoice, ConfirmDelivery),
        *_internal(completed, *_RETURNS),
    ]


ORDER_LIFECYCLE: Lifecycle[OrderStatus, Order, OrderCommand] = Lifecycle(
    name="order",
    states=OrderStatus,
    initial=OrderStatus.DRAFT,
    terminal=(OrderStatus.CANCELLED, OrderStatus.CLOSED),
    transitions=_table(),
)
"""The order lifecycle. Checked when this module is imported (see `ecomkit.lifecycle`)."""


def lifecycle_mermaid(*, internal: bool = False) -> str:
    """Return the order lifecycle as a Mermaid state diagram.

    Args:
        internal: Also draw the commands that keep the status (payments, shipments,
            returns), as loops.

    Examples:
        >>> print(lifecycle_mermaid().splitlines()[1])
            [*] --> draft
    """
    return ORDER_LIFECYCLE.to_mermaid(internal=internal)
