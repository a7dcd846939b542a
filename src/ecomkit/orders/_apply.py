"""``apply``: decide whether a command is allowed, record its event, evolve the order.

Every change goes through two steps. *Deciding* checks the lifecycle table, the guards and
the ledgers and produces exactly one event, or raises
[`CommandRejectedError`][ecomkit.errors.CommandRejectedError] and changes nothing.
*Evolving* folds an event into the order without checking anything. ``apply`` runs both;
``replay`` runs only the second, over a stored log, which is why a replayed order always
equals the order that produced the log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, Final

import attrs

from ecomkit.errors import (
    CommandRejectedError,
    IdempotencyConflictError,
    InvalidTypeError,
    InvalidValueError,
    NotFoundError,
    VersionConflictError,
)
from ecomkit.money import Money, TaxedMoney
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
    CreateDraft,
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
from ecomkit.orders._events import (
    DraftCreated,
    DraftUpdated,
    InvoiceIssued,
    LinesCancelled,
    LinesCredited,
    LinesWrittenOff,
    OrderCancelled,
    OrderClosed,
    OrderCompleted,
    OrderConfirmed,
    OrderEvent,
    OrderHeld,
    OrderPlaced,
    OrderReleased,
    PaymentAuthorized,
    PaymentCaptured,
    PaymentRefunded,
    PaymentVoided,
    ReturnReceived,
    ReturnRequestCancelled,
    ReturnRequested,
    ShipmentCreated,
    ShipmentDelivered,
    ShipmentShipped,
)
from ecomkit.orders._ledger import (
    Invoice,
    OrderLine,
    Payment,
    Shipment,
    ShipmentStatus,
    ShippingLine,
)
from ecomkit.orders._lifecycle import ORDER_LIFECYCLE
from ecomkit.orders._order import Order
from ecomkit.orders._spec import OrderSpec, order_total
from ecomkit.orders._status import OrderStatus
from ecomkit.orders._values import LineQuantity, check_aware, units


__all__ = ["apply", "replay"]

_NEW: Final = "new"

#: Which event each command records, to recognise a reused idempotency key.
_EVENT_OF: Final[dict[type[OrderCommand], type[OrderEvent]]] = {
    CreateDraft: DraftCreated,
    UpdateDraft: DraftUpdated,
    PlaceOrder: OrderPlaced,
    ConfirmOrder: OrderConfirmed,
    HoldOrder: OrderHeld,
    ReleaseOrder: OrderReleased,
    CancelOrder: OrderCancelled,
    CompleteOrder: OrderCompleted,
    CloseOrder: OrderClosed,
    CancelLines: LinesCancelled,
    AuthorizePayment: PaymentAuthorized,
    CapturePayment: PaymentCaptured,
    VoidPayment: PaymentVoided,
    RefundPayment: PaymentRefunded,
    FulfilLines: ShipmentCreated,
    ShipShipment: ShipmentShipped,
    ConfirmDelivery: ShipmentDelivered,
    IssueInvoice: InvoiceIssued,
    RequestReturn: ReturnRequested,
    CancelReturnRequest: ReturnRequestCancelled,
    ReceiveReturn: ReturnReceived,
    WriteOffLines: LinesWrittenOff,
    CreditLines: LinesCredited,
}


#: The command behind each event, to name it in an idempotency conflict.
_COMMAND_OF: Final = {event: command for command, event in _EVENT_OF.items()}


class _Rejected(Exception):  # noqa: N818 - internal signal, turned into CommandRejectedError
    """Raised by deciders; ``apply`` adds the order, status and command to it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def apply(
    order: Order | None, command: OrderCommand, *, at: dt.datetime
) -> tuple[Order, tuple[OrderEvent, ...]]:
    """Apply *command* to *order* and return the new order and the events it recorded.

    Pass ``None`` as *order* with [`CreateDraft`][ecomkit.orders.CreateDraft] or
    [`PlaceOrder`][ecomkit.orders.PlaceOrder] (with a spec) to create an order. The old
    order is never modified.

    - A command whose idempotency key the order has already seen returns the order as it
      is and the event that key recorded the first time; nothing changes.
    - An accepted command records exactly one event and bumps the version by one.

    Args:
        order: The current order, or ``None`` to create one.
        command: What to do.
        at: When it happens: a timezone-aware datetime, not earlier than the order's last
            event.

    Returns:
        The new order and a one-element tuple with the event (or the first outcome's event
        for a repeated key).

    Raises:
        CommandRejectedError: The lifecycle table, a guard or a ledger refuses the command;
            the error names the order, its status, the command and the reason.
        VersionConflictError: The command has an ``expected_version`` that is not the
            order's.
        IdempotencyConflictError: The key was already used for another kind of command.
        NaiveDateTimeError: *at* has no timezone.
        InvalidValueError: *at* is earlier than the order's last event.
        InvalidTypeError: *command* is not an order command or *order* not an order.

    Examples:
        >>> from decimal import Decimal
        >>> import pendulum
        >>> from ecomkit import Money
        >>> from ecomkit.orders import LineSpec, OrderSpec, PlaceOrder, CancelOrder
        >>> spec = OrderSpec(
        ...     order_id="o-1", channel="web", currency="EUR", timezone="Europe/Berlin",
        ...     lines=[LineSpec(line_id="l1", sku="MUG", quantity=2,
        ...                     unit_price=Money("10.00", "EUR"), tax_rate=Decimal("0.19"))],
        ... )
        >>> at = pendulum.datetime(2026, 3, 1, 9, tz="Europe/Berlin")
        >>> order, events = apply(None, PlaceOrder(key="k1", spec=spec), at=at)
        >>> order
        <Order 'o-1' v1 placed 23.80 EUR payment=not_paid fulfilment=unfulfilled>
        >>> order, events = apply(order, CancelOrder(key="k2", reason="customer"), at=at)
        >>> order.status.value, order.total.gross, type(events[0]).__name__
        ('cancelled', Money('0.00', 'EUR'), 'OrderCancelled')
    """
    if not isinstance(command, OrderCommand):
        raise InvalidTypeError(field="command", value=command, expected="an order command")
    moment = check_aware(at, field="at")
    if order is None:
        return _create(command, moment)
    if not isinstance(order, Order):
        raise InvalidTypeError(field="order", value=order, expected="Order or None")
    seen = _first_outcome(order, command)
    if seen is not None:
        return order, (seen,)
    expected = command.expected_version
    if expected is not None and expected != order.version:
        raise VersionConflictError(
            entity_id=order.order_id, expected=expected, actual=order.version
        )
    if order.events and moment < order.events[-1].at:
        raise InvalidValueError(
            field="at",
            value=at,
            reason=f"is earlier than the order's last event ({order.events[-1].at.isoformat()})",
        )
    chosen = ORDER_LIFECYCLE.select(order, order.status, command)
    if isinstance(chosen, str):
        raise _reject(order.order_id, order.status.value, command, chosen)
    header = {
        "order_id": order.order_id,
        "version": order.version + 1,
        "at": moment,
        "key": command.key,
        "status": chosen.target,
    }
    try:
        event = _DECIDERS[type(command)](order, command, header)
    except _Rejected as rejected:
        raise _reject(order.order_id, order.status.value, command, rejected.reason) from None
    return _evolve(order, event), (event,)


def _first_outcome(order: Order, command: OrderCommand) -> OrderEvent | None:
    """Return the event *command*'s key recorded before, if the order has seen it."""
    key = command.key
    for event in order.events:
        if event.key == key:
            if type(event) is not _EVENT_OF.get(type(command)):
                first = _COMMAND_OF.get(type(event))
                raise IdempotencyConflictError(
                    key=key,
                    first=first.__name__ if first else type(event).__name__,
                    second=type(command).__name__,
                )
            return event
    return None


def _reject(order_id: str, status: str, command: OrderCommand, reason: str) -> CommandRejectedError:
    return CommandRejectedError(
        order_id=order_id, status=status, command=type(command).__name__, reason=reason
    )


def _create(command: OrderCommand, at: dt.datetime) -> tuple[Order, tuple[OrderEvent, ...]]:
    event: OrderEvent
    if isinstance(command, CreateDraft):
        spec = command.spec
        event = DraftCreated(
            order_id=spec.order_id,
            version=1,
            at=at,
            key=command.key,
            status=OrderStatus.DRAFT,
            spec=spec,
        )
    elif isinstance(command, PlaceOrder) and command.spec is not None:
        spec = command.spec
        event = OrderPlaced(
            order_id=spec.order_id,
            version=1,
            at=at,
            key=command.key,
            status=OrderStatus.PLACED,
            spec=spec,
        )
    else:
        reason = (
            "give the spec to place a new order"
            if isinstance(command, PlaceOrder)
            else "there is no order yet; create it with CreateDraft or PlaceOrder"
        )
        raise _reject("", _NEW, command, reason)
    if command.expected_version not in (None, 0):
        raise VersionConflictError(
            entity_id=spec.order_id, expected=command.expected_version, actual=0
        )
    return _evolve(None, event), (event,)


# ---------------------------------------------------------------------- deciders


def _line(order: Order, line_id: str) -> OrderLine:
    try:
        return order.line(line_id)
    except NotFoundError:
        raise _Rejected(f"the order has no line {line_id!r}") from None


def _payment(order: Order, payment_id: str) -> Payment:
    try:
        return order.payment(payment_id)
    except NotFoundError:
        raise _Rejected(f"the order has no payment {payment_id!r}") from None


def _shipment(order: Order, shipment_id: str) -> Shipment:
    try:
        return order.shipment(shipment_id)
    except NotFoundError:
        raise _Rejected(f"the order has no shipment {shipment_id!r}") from None


def _same_currency(order: Order, amount: Money) -> None:
    if amount.currency is not order.currency:
        raise _Rejected(f"{amount} is not in the order's currency {order.currency.code}")


def _within(
    order: Order,
    items: Iterable[LineQuantity],
    limit: Callable[[OrderLine], int],
    verb: str,
    explain: Callable[[OrderLine, int], str],
) -> None:
    for item in items:
        line = _line(order, item.line_id)
        allowed = limit(line)
        if item.quantity > allowed:
            raise _Rejected(
                f"cannot {verb} {item.quantity} of line {item.line_id!r}: {explain(line, allowed)}"
            )


def _decide_update_draft(order: Order, command: UpdateDraft, header: dict[str, Any]) -> OrderEvent:
    _same_order(order, command.spec)
    return DraftUpdated(**header, spec=command.spec)


def _decide_place(order: Order, command: PlaceOrder, header: dict[str, Any]) -> OrderEvent:
    if command.spec is not None:
        _same_order(order, command.spec)
    return OrderPlaced(**header, spec=command.spec)


def _same_order(order: Order, spec: OrderSpec) -> None:
    if spec.order_id != order.order_id:
        raise _Rejected(f"the spec is for order {spec.order_id!r}")


def _decide_confirm(_order: Order, _command: ConfirmOrder, header: dict[str, Any]) -> OrderEvent:
    return OrderConfirmed(**header)


def _decide_hold(order: Order, command: HoldOrder, header: dict[str, Any]) -> OrderEvent:
    return OrderHeld(**header, reason=command.reason, held_from=order.status)


def _decide_release(_order: Order, _command: ReleaseOrder, header: dict[str, Any]) -> OrderEvent:
    return OrderReleased(**header)


def _decide_cancel(_order: Order, command: CancelOrder, header: dict[str, Any]) -> OrderEvent:
    return OrderCancelled(**header, reason=command.reason, note=command.note)


def _decide_complete(_order: Order, _command: CompleteOrder, header: dict[str, Any]) -> OrderEvent:
    return OrderCompleted(**header)


def _decide_close(_order: Order, _command: CloseOrder, header: dict[str, Any]) -> OrderEvent:
    return OrderClosed(**header)


def _decide_cancel_lines(order: Order, command: CancelLines, header: dict[str, Any]) -> OrderEvent:
    def explain(line: OrderLine, allowed: int) -> str:
        busy = []
        if line.shipped:
            busy.append(f"{units(line.shipped)} already shipped")
        if line.fulfilled - line.shipped:
            busy.append(f"{units(line.fulfilled - line.shipped)} packed")
        if line.cancelled:
            busy.append(f"{units(line.cancelled)} already cancelled")
        detail = f" ({', '.join(busy)})" if busy else f" of the {line.quantity} ordered"
        return f"only {units(allowed)} can be cancelled{detail}"

    _within(order, command.lines, lambda line: line.unfulfilled, "cancel", explain)
    return LinesCancelled(**header, lines=command.lines)


def _decide_authorize(
    order: Order, command: AuthorizePayment, header: dict[str, Any]
) -> OrderEvent:
    _same_currency(order, command.amount)
    if any(payment.payment_id == command.payment_id for payment in order.payments):
        raise _Rejected(f"payment {command.payment_id!r} already exists; use a new id")
    outstanding = order.outstanding
    if command.amount > outstanding:
        raise _Rejected(f"cannot authorize {command.amount}: only {outstanding} is outstanding")
    return PaymentAuthorized(
        **header,
        payment_id=command.payment_id,
        tender=command.tender,
        amount=command.amount,
        reference=command.reference,
    )


def _decide_capture(order: Order, command: CapturePayment, header: dict[str, Any]) -> OrderEvent:
    payment = _payment(order, command.payment_id)
    still_open = payment.open
    amount = still_open if command.amount is None else command.amount
    _same_currency(order, amount)
    if not still_open.is_positive():
        raise _Rejected(f"nothing is open on payment {payment.payment_id!r}")
    if amount > still_open:
        raise _Rejected(
            f"cannot capture {amount}: only {still_open} is authorized and open "
            f"on payment {payment.payment_id!r}"
        )
    return PaymentCaptured(**header, payment_id=payment.payment_id, amount=amount)


def _decide_void(order: Order, command: VoidPayment, header: dict[str, Any]) -> OrderEvent:
    payment = _payment(order, command.payment_id)
    if not payment.open.is_positive():
        raise _Rejected(f"nothing is open on payment {payment.payment_id!r}")
    return PaymentVoided(**header, payment_id=payment.payment_id, amount=payment.open)


def _decide_refund(order: Order, command: RefundPayment, header: dict[str, Any]) -> OrderEvent:
    payment = _payment(order, command.payment_id)
    _same_currency(order, command.amount)
    if command.amount > payment.refundable:
        raise _Rejected(
            f"cannot refund {command.amount}: only {payment.refundable} was captured "
            f"and not refunded on payment {payment.payment_id!r}"
        )
    _within(
        order,
        command.lines,
        lambda line: line.refundable,
        "refund",
        lambda _line, allowed: (
            f"only {units(allowed)} cancelled, returned or written off and not refunded yet"
        ),
    )
    _check_shipping_left(order, command.shipping)
    return PaymentRefunded(
        **header,
        payment_id=payment.payment_id,
        amount=command.amount,
        lines=command.lines,
        reason=command.reason,
        shipping=command.shipping,
    )


def _check_shipping_left(order: Order, shipping: Money | None) -> None:
    if shipping is not None:
        left = order.shipping_price - order.shipping_refunded
        if shipping > left:
            raise _Rejected(
                f"cannot refund {shipping} of delivery: only {left} of the delivery "
                "price is left to refund"
            )


def _decide_credit(order: Order, command: CreditLines, header: dict[str, Any]) -> OrderEvent:
    _same_currency(order, command.amount)
    _check_shipping_left(order, command.shipping)
    _within(
        order,
        command.lines,
        lambda line: line.refundable,
        "credit",
        lambda _line, allowed: (
            f"only {units(allowed)} cancelled, returned or written off and not refunded yet"
        ),
    )
    return LinesCredited(
        **header,
        lines=command.lines,
        amount=command.amount,
        shipping=command.shipping,
        reason=command.reason,
    )


def _decide_fulfil(order: Order, command: FulfilLines, header: dict[str, Any]) -> OrderEvent:
    if any(shipment.shipment_id == command.shipment_id for shipment in order.shipments):
        raise _Rejected(f"shipment {command.shipment_id!r} already exists; use a new id")
    _within(
        order,
        command.lines,
        lambda line: line.unfulfilled,
        "pack",
        lambda _line, allowed: f"only {units(allowed)} are neither cancelled nor packed",
    )
    return ShipmentCreated(
        **header,
        shipment_id=command.shipment_id,
        lines=command.lines,
        carrier=command.carrier,
        tracking_number=command.tracking_number,
        promised_delivery_on=command.promised_delivery_on,
    )


def _decide_ship(order: Order, command: ShipShipment, header: dict[str, Any]) -> OrderEvent:
    shipment = _shipment(order, command.shipment_id)
    if shipment.status is not ShipmentStatus.PENDING:
        raise _Rejected(f"shipment {shipment.shipment_id!r} is already {shipment.status.value}")
    return ShipmentShipped(
        **header,
        shipment_id=shipment.shipment_id,
        carrier=command.carrier,
        tracking_number=command.tracking_number,
    )


def _decide_deliver(order: Order, command: ConfirmDelivery, header: dict[str, Any]) -> OrderEvent:
    shipment = _shipment(order, command.shipment_id)
    if shipment.status is ShipmentStatus.PENDING:
        raise _Rejected(f"shipment {shipment.shipment_id!r} has not shipped yet")
    if shipment.status is ShipmentStatus.DELIVERED:
        raise _Rejected(f"shipment {shipment.shipment_id!r} is already delivered")
    return ShipmentDelivered(**header, shipment_id=shipment.shipment_id)


def _decide_invoice(order: Order, command: IssueInvoice, header: dict[str, Any]) -> OrderEvent:
    if any(invoice.invoice_number == command.invoice_number for invoice in order.invoices):
        raise _Rejected(f"invoice {command.invoice_number!r} is already recorded")
    return InvoiceIssued(**header, invoice_number=command.invoice_number)


def _decide_request_return(
    order: Order, command: RequestReturn, header: dict[str, Any]
) -> OrderEvent:
    _within(
        order,
        command.lines,
        lambda line: line.delivered - line.return_requested,
        "request the return of",
        lambda line, allowed: (
            f"{units(line.delivered)} delivered, "
            f"{units(line.return_requested)} already requested, so {allowed} can be"
        ),
    )
    return ReturnRequested(**header, lines=command.lines, return_id=command.return_id)


def _open_requests(_line: OrderLine, allowed: int) -> str:
    return f"only {units(allowed)} requested and still open"


def _within_open_requests(order: Order, items: Iterable[LineQuantity], verb: str) -> None:
    _within(order, items, lambda line: line.open_return_requests, verb, _open_requests)


def _decide_cancel_return(
    order: Order, command: CancelReturnRequest, header: dict[str, Any]
) -> OrderEvent:
    _within_open_requests(order, command.lines, "withdraw")
    return ReturnRequestCancelled(**header, lines=command.lines, return_id=command.return_id)


def _decide_receive(order: Order, command: ReceiveReturn, header: dict[str, Any]) -> OrderEvent:
    _within_open_requests(order, command.lines, "receive")
    return ReturnReceived(**header, lines=command.lines, return_id=command.return_id)


def _decide_write_off(order: Order, command: WriteOffLines, header: dict[str, Any]) -> OrderEvent:
    _within_open_requests(order, command.lines, "write off")
    return LinesWrittenOff(
        **header, lines=command.lines, return_id=command.return_id, reason=command.reason
    )


_DECIDERS: Final[dict[type[Any], Callable[[Order, Any, dict[str, Any]], OrderEvent]]] = {
    UpdateDraft: _decide_update_draft,
    PlaceOrder: _decide_place,
    ConfirmOrder: _decide_confirm,
    HoldOrder: _decide_hold,
    ReleaseOrder: _decide_release,
    CancelOrder: _decide_cancel,
    CompleteOrder: _decide_complete,
    CloseOrder: _decide_close,
    CancelLines: _decide_cancel_lines,
    AuthorizePayment: _decide_authorize,
    CapturePayment: _decide_capture,
    VoidPayment: _decide_void,
    RefundPayment: _decide_refund,
    FulfilLines: _decide_fulfil,
    ShipShipment: _decide_ship,
    ConfirmDelivery: _decide_deliver,
    IssueInvoice: _decide_invoice,
    RequestReturn: _decide_request_return,
    CancelReturnRequest: _decide_cancel_return,
    ReceiveReturn: _decide_receive,
    WriteOffLines: _decide_write_off,
    CreditLines: _decide_credit,
}


# ---------------------------------------------------------------------- evolvers


class _Keep:
    """Marks an optional field of ``_next`` that keeps its current value."""


_KEEP: Final = _Keep()


def _next(
    order: Order,
    event: OrderEvent,
    *,
    lines: tuple[OrderLine, ...] | None = None,
    shipping: tuple[ShippingLine, ...] | None = None,
    total: TaxedMoney | None = None,
    payments: tuple[Payment, ...] | None = None,
    shipments: tuple[Shipment, ...] | None = None,
    invoices: tuple[Invoice, ...] | None = None,
    held_from: OrderStatus | _Keep | None = _KEEP,
    placed_at: dt.datetime | _Keep | None = _KEEP,
) -> Order:
    """Return *order* after *event*: the event appended, version and status from it.

    Spelled out field by field rather than through ``attrs.evolve``: this runs once per
    accepted command and is the hottest path of ``apply``.
    """
    return Order(
        order_id=order.order_id,
        version=event.version,
        status=event.status,
        spec=order.spec,
        lines=order.lines if lines is None else lines,
        shipping=order.shipping if shipping is None else shipping,
        total=order.total if total is None else total,
        payments=order.payments if payments is None else payments,
        shipments=order.shipments if shipments is None else shipments,
        invoices=order.invoices if invoices is None else invoices,
        held_from=order.held_from if isinstance(held_from, _Keep) else held_from,
        placed_at=order.placed_at if isinstance(placed_at, _Keep) else placed_at,
        events=(*order.events, event),
    )


_LINE_FIELDS: Final = tuple(field.name for field in attrs.fields(OrderLine))


def _line_with(line: OrderLine, **counters: int) -> OrderLine:
    """Return *line* with some counters replaced; the counter chain is checked again."""
    values = {name: getattr(line, name) for name in _LINE_FIELDS}
    values.update(counters)
    return OrderLine(**values)


def _from_spec(event: OrderEvent, spec: OrderSpec, previous: tuple[OrderEvent, ...]) -> Order:
    priced = spec.priced()
    return Order(
        order_id=spec.order_id,
        version=event.version,
        status=event.status,
        spec=spec,
        lines=priced.lines,
        shipping=priced.shipping,
        total=priced.total,
        placed_at=event.at if isinstance(event, OrderPlaced) else None,
        events=(*previous, event),
    )


def _counted(
    order: Order, items: tuple[LineQuantity, ...], counter: str, *also: str
) -> tuple[OrderLine, ...]:
    wanted = {item.line_id: item.quantity for item in items}
    lines = []
    for line in order.lines:
        quantity = wanted.get(line.line_id)
        if quantity is None:
            lines.append(line)
            continue
        changes = {name: getattr(line, name) + quantity for name in (counter, *also)}
        lines.append(_line_with(line, **changes))
    return tuple(lines)


def _with_payment(order: Order, payment_id: str, **deltas: Money) -> tuple[Payment, ...]:
    return tuple(
        attrs.evolve(
            payment, **{name: getattr(payment, name) + delta for name, delta in deltas.items()}
        )
        if payment.payment_id == payment_id
        else payment
        for payment in order.payments
    )


def _with_shipment(order: Order, shipment_id: str, **changes: Any) -> tuple[Shipment, ...]:
    return tuple(
        attrs.evolve(shipment, **changes) if shipment.shipment_id == shipment_id else shipment
        for shipment in order.shipments
    )


def _evolve_created(_order: Order | None, event: DraftCreated) -> Order:
    return _from_spec(event, event.spec, ())


def _evolve_draft_updated(order: Order, event: DraftUpdated) -> Order:
    return _from_spec(event, event.spec, order.events)


def _evolve_placed(order: Order | None, event: OrderPlaced) -> Order:
    if order is None:
        if event.spec is None:
            raise InvalidValueError(
                field="events[0].spec", value=None, reason="a new order needs its spec"
            )
        return _from_spec(event, event.spec, ())
    if event.spec is not None:
        return _from_spec(event, event.spec, order.events)
    return _next(order, event, placed_at=event.at)


def _evolve_status(order: Order, event: OrderEvent) -> Order:
    return _next(order, event)


def _evolve_held(order: Order, event: OrderHeld) -> Order:
    return _next(order, event, held_from=event.held_from)


def _evolve_released(order: Order, event: OrderReleased) -> Order:
    return _next(order, event, held_from=None)


def _evolve_cancelled(order: Order, event: OrderCancelled) -> Order:
    lines = tuple(
        _line_with(line, cancelled=line.cancelled + line.unfulfilled) if line.unfulfilled else line
        for line in order.lines
    )
    shipping = tuple(attrs.evolve(item, cancelled=True) for item in order.shipping)
    total = order_total(lines, shipping, order.currency)
    return _next(order, event, lines=lines, shipping=shipping, total=total, held_from=None)


def _evolve_lines_cancelled(order: Order, event: LinesCancelled) -> Order:
    lines = _counted(order, event.lines, "cancelled")
    return _next(
        order, event, lines=lines, total=order_total(lines, order.shipping, order.currency)
    )


def _evolve_authorized(order: Order, event: PaymentAuthorized) -> Order:
    zero = Money.zero(order.currency)
    payment = Payment(
        payment_id=event.payment_id,
        tender=event.tender,
        authorized=event.amount,
        captured=zero,
        voided=zero,
        refunded=zero,
        reference=event.reference,
    )
    return _next(order, event, payments=(*order.payments, payment))


def _evolve_captured(order: Order, event: PaymentCaptured) -> Order:
    return _next(
        order, event, payments=_with_payment(order, event.payment_id, captured=event.amount)
    )


def _evolve_voided(order: Order, event: PaymentVoided) -> Order:
    return _next(order, event, payments=_with_payment(order, event.payment_id, voided=event.amount))


def _evolve_refunded(order: Order, event: PaymentRefunded) -> Order:
    payments = _with_payment(order, event.payment_id, refunded=event.amount)
    lines = _counted(order, event.lines, "refunded") if event.lines else order.lines
    return _next(order, event, payments=payments, lines=lines)


def _evolve_shipment_created(order: Order, event: ShipmentCreated) -> Order:
    shipment = Shipment(
        shipment_id=event.shipment_id,
        lines=event.lines,
        carrier=event.carrier,
        tracking_number=event.tracking_number,
        promised_delivery_on=event.promised_delivery_on,
        created_at=event.at,
    )
    return _next(
        order,
        event,
        lines=_counted(order, event.lines, "fulfilled"),
        shipments=(*order.shipments, shipment),
    )


def _evolve_shipped(order: Order, event: ShipmentShipped) -> Order:
    shipment = order.shipment(event.shipment_id)
    changes: dict[str, Any] = {"shipped_at": event.at}
    if event.carrier is not None:
        changes["carrier"] = event.carrier
    if event.tracking_number is not None:
        changes["tracking_number"] = event.tracking_number
    return _next(
        order,
        event,
        lines=_counted(order, shipment.lines, "shipped"),
        shipments=_with_shipment(order, event.shipment_id, **changes),
    )


def _evolve_delivered(order: Order, event: ShipmentDelivered) -> Order:
    shipment = order.shipment(event.shipment_id)
    return _next(
        order,
        event,
        lines=_counted(order, shipment.lines, "delivered"),
        shipments=_with_shipment(order, event.shipment_id, delivered_at=event.at),
    )


def _evolve_invoiced(order: Order, event: InvoiceIssued) -> Order:
    invoice = Invoice(invoice_number=event.invoice_number, issued_at=event.at)
    return _next(order, event, invoices=(*order.invoices, invoice))


def _evolve_return_requested(order: Order, event: ReturnRequested) -> Order:
    return _next(order, event, lines=_counted(order, event.lines, "return_requested"))


def _evolve_return_cancelled(order: Order, event: ReturnRequestCancelled) -> Order:
    wanted = {item.line_id: item.quantity for item in event.lines}
    lines = tuple(
        _line_with(line, return_requested=line.return_requested - wanted[line.line_id])
        if line.line_id in wanted
        else line
        for line in order.lines
    )
    return _next(order, event, lines=lines)


def _evolve_received(order: Order, event: ReturnReceived) -> Order:
    return _next(order, event, lines=_counted(order, event.lines, "returned"))


def _evolve_credited(order: Order, event: LinesCredited) -> Order:
    return _next(order, event, lines=_counted(order, event.lines, "refunded"))


def _evolve_written_off(order: Order, event: LinesWrittenOff) -> Order:
    return _next(order, event, lines=_counted(order, event.lines, "written_off"))


_EVOLVERS: Final[dict[type[OrderEvent], Callable[[Any, Any], Order]]] = {
    DraftCreated: _evolve_created,
    DraftUpdated: _evolve_draft_updated,
    OrderPlaced: _evolve_placed,
    OrderConfirmed: _evolve_status,
    OrderHeld: _evolve_held,
    OrderReleased: _evolve_released,
    OrderCancelled: _evolve_cancelled,
    OrderCompleted: _evolve_status,
    OrderClosed: _evolve_status,
    LinesCancelled: _evolve_lines_cancelled,
    PaymentAuthorized: _evolve_authorized,
    PaymentCaptured: _evolve_captured,
    PaymentVoided: _evolve_voided,
    PaymentRefunded: _evolve_refunded,
    LinesCredited: _evolve_credited,
    ShipmentCreated: _evolve_shipment_created,
    ShipmentShipped: _evolve_shipped,
    ShipmentDelivered: _evolve_delivered,
    InvoiceIssued: _evolve_invoiced,
    ReturnRequested: _evolve_return_requested,
    ReturnRequestCancelled: _evolve_return_cancelled,
    ReturnReceived: _evolve_received,
    LinesWrittenOff: _evolve_written_off,
}

_CREATING: Final = (DraftCreated, OrderPlaced)


def _evolve(order: Order | None, event: OrderEvent) -> Order:
    return _EVOLVERS[type(event)](order, event)


def replay(events: Iterable[OrderEvent]) -> Order:
    """Rebuild an order from its event log, oldest event first.

    The result equals the order that recorded the log, so a host may store only the
    events, or the order and its events, and check one against the other.

    Args:
        events: The log: it starts with ``DraftCreated`` or ``OrderPlaced`` (with a spec),
            versions run 1, 2, 3 ... and every event is for the same order.

    Returns:
        The order after the last event.

    Raises:
        InvalidValueError: The log is empty, does not start with a creating event, skips
            or repeats a version, or mixes orders.
        InvalidTypeError: An item is not an order event.
    """
    order: Order | None = None
    for index, event in enumerate(events):
        if type(event) not in _EVOLVERS:
            raise InvalidTypeError(field=f"events[{index}]", value=event, expected="an order event")
        if event.version != index + 1:
            raise InvalidValueError(
                field=f"events[{index}].version",
                value=event.version,
                reason=f"expected version {index + 1}",
            )
        if order is None and not isinstance(event, _CREATING):
            raise InvalidValueError(
                field="events[0]",
                value=type(event).__name__,
                reason="a log starts with DraftCreated or OrderPlaced",
            )
        if order is not None and event.order_id != order.order_id:
            raise InvalidValueError(
                field=f"events[{index}].order_id",
                value=event.order_id,
                reason=f"the log is for order {order.order_id!r}",
            )
        order = _evolve(order, event)
    if order is None:
        raise InvalidValueError(field="events", value=(), reason="an empty log has no order")
    return order
