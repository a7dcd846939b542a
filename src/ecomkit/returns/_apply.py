"""apply_return: decide a return command, update the order's ledgers, evolve the return."""

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
    ReturnCommandRejectedError,
    VersionConflictError,
)
from ecomkit.money import Currency, Money
from ecomkit.orders import (
    CancelReturnRequest,
    CreditLines,
    IdempotencyKey,
    LineQuantity,
    Order,
    OrderCommand,
    ReceiveReturn,
    RefundPayment,
    RequestReturn,
    WriteOffLines,
    apply,
)
from ecomkit.returns._commands import (
    AwaitItems,
    CancelReturn,
    CloseReturn,
    DecideReturn,
    ExchangeItems,
    OpenReturn,
    ReceiveItems,
    RefundReturn,
    ReturnCommand,
    ReviewReturn,
    WriteOffItems,
)
from ecomkit.returns._evaluate import evaluate_return
from ecomkit.returns._events import (
    ItemsReceived,
    ItemsWrittenOff,
    ReturnCancelled,
    ReturnClosed,
    ReturnDecided,
    ReturnEvent,
    ReturnExchanged,
    ReturnLabelIssued,
    ReturnOpened,
    ReturnRefunded,
    ReturnReviewed,
)
from ecomkit.returns._policy import ReturnPolicy
from ecomkit.returns._refund import Deduction, calculate_refund
from ecomkit.returns._request import ReturnRequest
from ecomkit.returns._rma import RETURN_LIFECYCLE, Rma, RmaLine, RmaStatus
from ecomkit.returns._rules import DeductionKind
from ecomkit.returns._values import RefundMethod
from ecomkit.time import ensure_aware


__all__ = ["apply_return", "open_return", "replay_return"]

_NEW: Final = "new"

_EVENT_OF: Final[dict[type[ReturnCommand], type[ReturnEvent]]] = {
    OpenReturn: ReturnOpened,
    DecideReturn: ReturnDecided,
    ReviewReturn: ReturnReviewed,
    AwaitItems: ReturnLabelIssued,
    ReceiveItems: ItemsReceived,
    WriteOffItems: ItemsWrittenOff,
    RefundReturn: ReturnRefunded,
    ExchangeItems: ReturnExchanged,
    CloseReturn: ReturnClosed,
    CancelReturn: ReturnCancelled,
}
_COMMAND_OF: Final = {event: command for command, event in _EVENT_OF.items()}


class _Rejected(Exception):  # noqa: N818 - internal signal, never escapes this module
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def apply_return(
    rma: Rma | None, command: ReturnCommand, *, order: Order, at: dt.datetime
) -> tuple[Rma, Order, tuple[ReturnEvent, ...]]:
    """Apply *command* to the return *rma* and its *order*; return both and the event.

    The return's lifecycle ([`RETURN_LIFECYCLE`][ecomkit.returns.RETURN_LIFECYCLE])
    decides whether the command is allowed. An accepted command records one event and
    brings the order's ledgers along through the order commands: a decision reserves the
    approved and reviewed units (``RequestReturn``), a review or a cancellation releases
    units (``CancelReturnRequest``), receipts and write-offs count them
    (``ReceiveReturn``, ``WriteOffLines``), a refund pays them back per payment
    (``RefundPayment``), and store credit, an exchange or a refund the fees took entirely
    settles them without a payment (``CreditLines``). Either everything is applied or
    nothing is.

    Order commands get keys derived from the return command's key, so sending a command
    again with the same key changes nothing on either side, and a host that saved the
    return but not the order can send it again to bring the order up to date.

    Args:
        rma: The return, or ``None`` with [`OpenReturn`][ecomkit.returns.OpenReturn].
        command: What to do.
        order: The return's order, as it is now.
        at: When (timezone-aware, not before the return's last event).

    Returns:
        The new return, the new order and a one-element tuple with the event.

    Raises:
        ReturnCommandRejectedError: The lifecycle, a counter or the order refuses the
            command; nothing changes.
        VersionConflictError: ``expected_version`` is not the return's version.
        IdempotencyConflictError: The key was used for another kind of command.
        InvalidValueError: *order* is not the return's order, or *at* is too early.
        InvalidTypeError: An argument has the wrong type.
        NaiveDateTimeError: *at* has no timezone.
    """
    if not isinstance(command, ReturnCommand):
        raise InvalidTypeError(field="command", value=command, expected="a return command")
    if not isinstance(order, Order):
        raise InvalidTypeError(field="order", value=order, expected="Order")
    moment = ensure_aware(at, field="at")
    if rma is None:
        return _open(command, order, moment)
    if not isinstance(rma, Rma):
        raise InvalidTypeError(field="rma", value=rma, expected="Rma or None")
    if rma.order_id != order.order_id:
        raise InvalidValueError(
            field="order",
            value=order.order_id,
            reason=f"return {rma.return_id!r} belongs to order {rma.order_id!r}",
        )
    seen = _seen(rma, command)
    if seen is not None:
        return rma, _apply_to_order(rma, order, seen), (seen,)
    _check_version_and_time(rma, command, moment)
    if isinstance(command, OpenReturn):
        raise _reject(rma, command, "the return is already open")
    chosen = RETURN_LIFECYCLE.select(rma, rma.status, command)
    if isinstance(chosen, str):
        raise _reject(rma, command, chosen)
    header = {
        "return_id": rma.return_id,
        "order_id": rma.order_id,
        "version": rma.version + 1,
        "at": moment,
        "key": command.key,
        "status": chosen.target.value,
    }
    try:
        event = _DECIDERS[type(command)](rma, command, order, header)
    except _Rejected as rejected:
        raise _reject(rma, command, rejected.reason) from None
    new_order = _apply_to_order(rma, order, event)
    return _evolve(rma, event), new_order, (event,)


def open_return(
    policy: ReturnPolicy,
    request: ReturnRequest,
    *,
    order: Order,
    at: dt.datetime,
    key: str,
) -> tuple[Rma, Order, tuple[ReturnEvent, ...]]:
    """Open a return for *request* and record *policy*'s decision on it, in one step.

    The same as [`OpenReturn`][ecomkit.returns.OpenReturn] with key ``key + "/open"``
    followed by [`DecideReturn`][ecomkit.returns.DecideReturn] with the decision of
    [`evaluate_return`][ecomkit.returns.evaluate_return] and key ``key + "/decide"``.

    Opening is not a retry-safe step by itself: the host has no return to hand back yet.
    If it is unsure whether a first call went through, it should load the return it saved
    (by its id) and send the two commands with [`apply_return`][ecomkit.returns.apply_return],
    which recognises their keys.

    Returns:
        The return, the order and the two events.
    """
    rma, order, opened = apply_return(
        None, OpenReturn(key=IdempotencyKey(f"{key}/open"), request=request), order=order, at=at
    )
    decision = evaluate_return(policy, request, order=order, at=at)
    rma, order, decided = apply_return(
        rma,
        DecideReturn(key=IdempotencyKey(f"{key}/decide"), decision=decision),
        order=order,
        at=at,
    )
    return rma, order, (*opened, *decided)


def replay_return(events: Iterable[ReturnEvent]) -> Rma:
    """Rebuild a return from its log, oldest event first.

    Raises:
        InvalidValueError: The log is empty, does not start with ``ReturnOpened``, skips a
            version or mixes returns.
        InvalidTypeError: An item is not a return event.
    """
    rma: Rma | None = None
    for index, event in enumerate(events):
        if type(event) not in _EVOLVERS:
            raise InvalidTypeError(field=f"events[{index}]", value=event, expected="a return event")
        if event.version != index + 1:
            raise InvalidValueError(
                field=f"events[{index}].version",
                value=event.version,
                reason=f"expected {index + 1}",
            )
        if rma is None:
            if not isinstance(event, ReturnOpened):
                raise InvalidValueError(
                    field="events[0]", value=type(event).__name__, reason="must be ReturnOpened"
                )
        elif event.return_id != rma.return_id:
            raise InvalidValueError(
                field=f"events[{index}].return_id",
                value=event.return_id,
                reason=f"the log is of return {rma.return_id!r}",
            )
        rma = _evolve(rma, event)
    if rma is None:
        raise InvalidValueError(field="events", value=(), reason="the log is empty")
    return rma


# ---------------------------------------------------------------------- helpers


def _reject(rma: Rma | None, command: ReturnCommand, reason: str) -> ReturnCommandRejectedError:
    return ReturnCommandRejectedError(
        return_id="" if rma is None else rma.return_id,
        order_id="" if rma is None else rma.order_id,
        status=_NEW if rma is None else rma.status.value,
        command=type(command).__name__,
        reason=reason,
    )


def _check_version_and_time(rma: Rma, command: ReturnCommand, at: dt.datetime) -> None:
    if command.expected_version is not None and command.expected_version != rma.version:
        raise VersionConflictError(
            entity_id=rma.return_id, expected=command.expected_version, actual=rma.version
        )
    if rma.events and at < rma.events[-1].at:
        raise InvalidValueError(
            field="at",
            value=at,
            reason=f"is earlier than the return's last event ({rma.events[-1].at.isoformat()})",
        )


def _seen(rma: Rma, command: ReturnCommand) -> ReturnEvent | None:
    for event in rma.events:
        if event.key == command.key:
            if type(event) is not _EVENT_OF[type(command)]:
                raise IdempotencyConflictError(
                    key=command.key,
                    first=_COMMAND_OF[type(event)].__name__,
                    second=type(command).__name__,
                )
            return event
    return None


def _open(
    command: ReturnCommand, order: Order, at: dt.datetime
) -> tuple[Rma, Order, tuple[ReturnEvent, ...]]:
    if not isinstance(command, OpenReturn):
        raise _reject(None, command, "there is no return yet; open one with OpenReturn")
    if command.expected_version not in (None, 0):
        raise VersionConflictError(
            entity_id=command.request.return_id, expected=command.expected_version, actual=0
        )
    request = command.request
    known = {line.line_id for line in order.lines}
    for index, line in enumerate(request.lines):
        if line.line_id not in known:
            raise InvalidValueError(
                field=f"request.lines[{index}].line_id",
                value=line.line_id,
                reason=f"order {order.order_id!r} has no such line",
            )
    event = ReturnOpened(
        return_id=request.return_id,
        order_id=order.order_id,
        version=1,
        at=at,
        key=command.key,
        status=RmaStatus.REQUESTED.value,
        request=request,
        currency=order.currency,
    )
    return _created(event), order, (event,)


def _created(event: ReturnOpened) -> Rma:
    return Rma(
        return_id=event.return_id,
        order_id=event.order_id,
        currency=event.currency,
        version=1,
        status=RmaStatus.REQUESTED,
        request=event.request,
        lines=tuple(
            RmaLine(line_id=line.line_id, requested=line.quantity) for line in event.request.lines
        ),
        events=(event,),
    )


def _quantities(items: Iterable[LineQuantity]) -> dict[str, int]:
    return {item.line_id: item.quantity for item in items}


def _within(rma: Rma, wanted: dict[str, int], counter: str, verb: str) -> None:
    for line_id, quantity in wanted.items():
        line = next((line for line in rma.lines if line.line_id == line_id), None)
        if line is None:
            raise _Rejected(f"line {line_id!r} is not part of this return")
        allowed = getattr(line, counter)
        if quantity > allowed:
            raise _Rejected(
                f"cannot {verb} {quantity} unit(s) of line {line_id!r}: {allowed} can be"
            )


# ---------------------------------------------------------------------- deciders


def _decide(rma: Rma, command: DecideReturn, _order: Order, header: dict[str, Any]) -> ReturnEvent:
    decision = command.decision
    if decision.return_id != rma.return_id or decision.order_id != rma.order_id:
        raise _Rejected(
            f"the decision is for return {decision.return_id!r} of order {decision.order_id!r}"
        )
    asked = {line.line_id: line.requested for line in rma.lines}
    decided = {line.line_id: line.requested for line in decision.lines}
    if asked != decided:
        raise _Rejected("the decision is for other lines or quantities than the request")
    return ReturnDecided(**header, decision=decision)


def _review(rma: Rma, command: ReviewReturn, _order: Order, header: dict[str, Any]) -> ReturnEvent:
    approve = _quantities(command.approve)
    _within(rma, approve, "in_review", "approve")
    declined = tuple(
        LineQuantity(line_id=line.line_id, quantity=line.in_review - approve.get(line.line_id, 0))
        for line in rma.lines
        if line.in_review - approve.get(line.line_id, 0)
    )
    return ReturnReviewed(**header, approved=command.approve, declined=declined, note=command.note)


def _await(_rma: Rma, command: AwaitItems, _order: Order, header: dict[str, Any]) -> ReturnEvent:
    return ReturnLabelIssued(
        **header, carrier=command.carrier, tracking_number=command.tracking_number
    )


def _receive(rma: Rma, command: ReceiveItems, order: Order, header: dict[str, Any]) -> ReturnEvent:
    _within(rma, {item.line_id: item.quantity for item in command.items}, "awaiting", "receive")
    for item in command.items:
        if (
            item.diminished_value is not None
            and item.diminished_value.currency is not order.currency
        ):
            raise _Rejected(
                f"diminished value {item.diminished_value} is not in {order.currency.code}"
            )
    return ItemsReceived(**header, items=command.items)


def _write_off(
    rma: Rma, command: WriteOffItems, _order: Order, header: dict[str, Any]
) -> ReturnEvent:
    _within(rma, _quantities(command.lines), "awaiting", "write off")
    return ItemsWrittenOff(**header, lines=command.lines, reason=command.reason)


def _refund(rma: Rma, command: RefundReturn, order: Order, header: dict[str, Any]) -> ReturnEvent:
    decision = rma.decision
    units = rma.units("unsettled")
    if decision is None or not units:
        raise _Rejected("no unit came back or was written off that is not settled yet")
    method = command.method or decision.refund_method
    if method is RefundMethod.EXCHANGE:
        raise _Rejected("an exchange moves no money; use ExchangeItems")
    if method not in decision.allowed_methods:
        allowed = ", ".join(item.value for item in decision.allowed_methods)
        raise _Rejected(f"the policy allows only {allowed} for this return")
    deductions = [
        Deduction(
            kind=DeductionKind.DIMINISHED_VALUE, amount=line.diminished_value, line_id=line.line_id
        )
        for line in rma.lines
        if line.diminished_value is not None and line.diminished_value.is_positive()
    ]
    refund = calculate_refund(
        order,
        units,
        method=method,
        shipping=decision.shipping,
        shipping_cap=decision.shipping_cap,
        fees=decision.fees,
        deductions=deductions,
        tender_order=decision.tender_order,
        tender_caps=dict(command.tender_caps),
    )
    if refund.unallocated.is_positive():
        raise _Rejected(
            f"only {refund.total - refund.unallocated} of {refund.total} can go back to the "
            "order's payments; refund it as store credit instead"
        )
    return ReturnRefunded(**header, refund=refund)


def _exchange(
    rma: Rma, command: ExchangeItems, _order: Order, header: dict[str, Any]
) -> ReturnEvent:
    units = rma.units("unsettled")
    if not units:
        raise _Rejected("no unit came back or was written off that is not settled yet")
    return ReturnExchanged(
        **header,
        lines=units,
        replacement_order_id=command.replacement_order_id,
        note=command.note,
    )


def _close(_rma: Rma, _command: CloseReturn, _order: Order, header: dict[str, Any]) -> ReturnEvent:
    return ReturnClosed(**header)


def _cancel(rma: Rma, command: CancelReturn, _order: Order, header: dict[str, Any]) -> ReturnEvent:
    released = rma.units("reserved") if rma.decision is not None else ()
    return ReturnCancelled(**header, released=released, reason=command.reason)


_DECIDERS: Final[dict[type[Any], Callable[[Rma, Any, Order, dict[str, Any]], ReturnEvent]]] = {
    DecideReturn: _decide,
    ReviewReturn: _review,
    AwaitItems: _await,
    ReceiveItems: _receive,
    WriteOffItems: _write_off,
    RefundReturn: _refund,
    ExchangeItems: _exchange,
    CloseReturn: _close,
    CancelReturn: _cancel,
}


# ---------------------------------------------------------------------- the order's side


def order_commands(event: ReturnEvent, currency: Currency) -> tuple[OrderCommand, ...]:
    """Return the order commands that bring the order's ledgers in line with *event*.

    Their keys derive from the return's id and the command's key, so the same command sent
    again changes nothing on the order, and two returns of one order never collide.
    """
    build = _ORDER_COMMANDS.get(type(event))
    if build is None:
        return ()
    return build(event, f"{event.return_id}/{event.key}", currency)


def _reserve(event: ReturnDecided, key: str, _currency: Currency) -> tuple[OrderCommand, ...]:
    reserved = tuple(
        LineQuantity(line_id=line.line_id, quantity=line.approved + line.in_review)
        for line in event.decision.lines
        if line.approved + line.in_review
    )
    if not reserved:
        return ()
    return (
        RequestReturn(
            key=IdempotencyKey(f"{key}/request"), lines=reserved, return_id=event.return_id
        ),
    )


def _release(
    event: ReturnReviewed | ReturnCancelled, key: str, _currency: Currency
) -> tuple[OrderCommand, ...]:
    released = event.declined if isinstance(event, ReturnReviewed) else event.released
    if not released:
        return ()
    return (
        CancelReturnRequest(
            key=IdempotencyKey(f"{key}/release"), lines=released, return_id=event.return_id
        ),
    )


def _received(event: ItemsReceived, key: str, _currency: Currency) -> tuple[OrderCommand, ...]:
    lines = tuple(LineQuantity(line_id=i.line_id, quantity=i.quantity) for i in event.items)
    return (
        ReceiveReturn(key=IdempotencyKey(f"{key}/receive"), lines=lines, return_id=event.return_id),
    )


def _written_off(event: ItemsWrittenOff, key: str, _currency: Currency) -> tuple[OrderCommand, ...]:
    return (
        WriteOffLines(
            key=IdempotencyKey(f"{key}/write-off"),
            lines=event.lines,
            return_id=event.return_id,
            reason=event.reason,
        ),
    )


def _exchanged(event: ReturnExchanged, key: str, currency: Currency) -> tuple[OrderCommand, ...]:
    return (
        CreditLines(
            key=IdempotencyKey(f"{key}/exchange"),
            lines=event.lines,
            amount=Money.zero(currency),
            reason=f"return {event.return_id}: exchanged",
        ),
    )


def _refund_commands(
    event: ReturnRefunded, key: str, _currency: Currency
) -> tuple[OrderCommand, ...]:
    refund = event.refund
    shipping_left = refund.shipping
    commands: list[OrderCommand] = []
    for index, part in enumerate(refund.tenders):
        shipping = min(shipping_left, part.amount)
        shipping_left -= shipping
        commands.append(
            RefundPayment(
                key=IdempotencyKey(f"{key}/refund/{part.payment_id}"),
                payment_id=part.payment_id,
                amount=part.amount,
                lines=refund.units if index == 0 else (),
                reason=f"return {event.return_id}",
                shipping=shipping if shipping.is_positive() else None,
            )
        )
    if not commands and refund.units:
        # Store credit, or nothing left after fees: the units still count as refunded.
        shipping = min(refund.shipping, refund.store_credit)
        commands.append(
            CreditLines(
                key=IdempotencyKey(f"{key}/credit"),
                lines=refund.units,
                amount=refund.store_credit,
                shipping=shipping if shipping.is_positive() else None,
                reason=f"return {event.return_id}: {refund.method.value}",
            )
        )
    return tuple(commands)


_ORDER_COMMANDS: Final[
    dict[type[ReturnEvent], Callable[[Any, str, Currency], tuple[OrderCommand, ...]]]
] = {
    ReturnDecided: _reserve,
    ReturnReviewed: _release,
    ReturnCancelled: _release,
    ItemsReceived: _received,
    ItemsWrittenOff: _written_off,
    ReturnRefunded: _refund_commands,
    ReturnExchanged: _exchanged,
}


def _apply_to_order(rma: Rma, order: Order, event: ReturnEvent) -> Order:
    for command in order_commands(event, rma.currency):
        try:
            order, _events = apply(order, command, at=max(event.at, _last(order)))
        except CommandRejectedError as refused:
            raise ReturnCommandRejectedError(
                return_id=rma.return_id,
                order_id=rma.order_id,
                status=rma.status.value,
                command=_COMMAND_OF[type(event)].__name__,
                reason=f"the order refuses {type(command).__name__}: {refused.reason}",
            ) from None
    return order


def _last(order: Order) -> dt.datetime:
    return order.events[-1].at if order.events else dt.datetime.min.replace(tzinfo=dt.UTC)


# ---------------------------------------------------------------------- evolvers


def _line_counts(rma: Rma, change: Callable[[RmaLine], RmaLine]) -> tuple[RmaLine, ...]:
    return tuple(change(line) for line in rma.lines)


def _add(counter: str, amounts: dict[str, int]) -> Callable[[RmaLine], RmaLine]:
    def change(line: RmaLine) -> RmaLine:
        extra = amounts.get(line.line_id, 0)
        if not extra:
            return line
        return attrs.evolve(line, **{counter: getattr(line, counter) + extra})

    return change


def _evolve(rma: Rma | None, event: ReturnEvent) -> Rma:
    if rma is None:
        if not isinstance(event, ReturnOpened):
            raise InvalidValueError(field="event", value=event, reason="must be ReturnOpened")
        return _created(event)
    changes = _EVOLVERS[type(event)](rma, event)
    return attrs.evolve(
        rma,
        version=event.version,
        status=RmaStatus(event.status),
        events=(*rma.events, event),
        **changes,
    )


def _evolve_decided(rma: Rma, event: ReturnDecided) -> dict[str, Any]:
    by_line = {line.line_id: line for line in event.decision.lines}
    lines = tuple(
        attrs.evolve(
            line,
            approved=by_line[line.line_id].approved,
            in_review=by_line[line.line_id].in_review,
            declined=by_line[line.line_id].declined,
        )
        for line in rma.lines
    )
    return {"decision": event.decision, "lines": lines}


def _evolve_reviewed(rma: Rma, event: ReturnReviewed) -> dict[str, Any]:
    approved = _quantities(event.approved)
    declined = _quantities(event.declined)
    lines = tuple(
        attrs.evolve(
            line,
            approved=line.approved + approved.get(line.line_id, 0),
            declined=line.declined + declined.get(line.line_id, 0),
            in_review=0,
        )
        for line in rma.lines
    )
    return {"lines": lines}


def _evolve_label(_rma: Rma, event: ReturnLabelIssued) -> dict[str, Any]:
    return {"carrier": event.carrier, "tracking_number": event.tracking_number}


def _evolve_received(rma: Rma, event: ItemsReceived) -> dict[str, Any]:
    items = {item.line_id: item for item in event.items}

    def change(line: RmaLine) -> RmaLine:
        item = items.get(line.line_id)
        if item is None:
            return line
        value = line.diminished_value
        if item.diminished_value is not None:
            value = item.diminished_value if value is None else value + item.diminished_value
        return attrs.evolve(
            line,
            received=line.received + item.quantity,
            resellable=line.resellable + (item.quantity if item.resellable else 0),
            diminished_value=value,
        )

    return {"lines": _line_counts(rma, change)}


def _evolve_written_off(rma: Rma, event: ItemsWrittenOff) -> dict[str, Any]:
    return {"lines": _line_counts(rma, _add("written_off", _quantities(event.lines)))}


def _evolve_refunded(rma: Rma, event: ReturnRefunded) -> dict[str, Any]:
    return {
        "lines": _line_counts(rma, _add("settled", _quantities(event.refund.units))),
        "refunds": (*rma.refunds, event.refund),
    }


def _evolve_exchanged(rma: Rma, event: ReturnExchanged) -> dict[str, Any]:
    return {
        "lines": _line_counts(rma, _add("settled", _quantities(event.lines))),
        "replacement_order_id": event.replacement_order_id,
    }


def _evolve_nothing(_rma: Rma, _event: ReturnEvent) -> dict[str, Any]:
    return {}


_EVOLVERS: Final[dict[type[ReturnEvent], Callable[[Any, Any], dict[str, Any]]]] = {
    ReturnOpened: _evolve_nothing,
    ReturnDecided: _evolve_decided,
    ReturnReviewed: _evolve_reviewed,
    ReturnLabelIssued: _evolve_label,
    ItemsReceived: _evolve_received,
    ItemsWrittenOff: _evolve_written_off,
    ReturnRefunded: _evolve_refunded,
    ReturnExchanged: _evolve_exchanged,
    ReturnClosed: _evolve_nothing,
    ReturnCancelled: _evolve_nothing,
}
