"""Return services: open, receive and refund returns (RMAs), keeping their orders in step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ecomkit.errors import InvalidTypeError, InvalidValueError, ReturnNotFoundError
from ecomkit.orders import IdempotencyKey, Order, PaymentRefunded, RefundPayment, apply, replay
from ecomkit.ports import DomainEvent, EventPublisher, Notifier, PaymentGateway, UnitOfWork
from ecomkit.returns import (
    ReceivedItem,
    ReceiveItems,
    RefundMethod,
    RefundReturn,
    ReturnOpened,
    ReturnPolicy,
    ReturnRefunded,
    ReturnRequest,
    Rma,
    apply_return,
    open_return,
)
from ecomkit.services._common import (
    announce,
    moment,
    new_order_events,
    new_return_events,
    provider_key,
    publish,
    recorded,
    text,
)
from ecomkit.time import Clock


__all__ = ["receive_return", "refund_return", "request_return"]


def _store(uow: UnitOfWork, before: tuple[Rma | None, Order], after: tuple[Rma, Order]) -> None:
    """Buffer the changed return and order in *uow* and commit them together."""
    old_rma, old_order = before
    rma, order = after
    if old_rma is None:
        uow.returns.add(rma)
    elif rma.version != old_rma.version:
        uow.returns.update(rma, expected_version=old_rma.version)
    if order.version != old_order.version:
        uow.orders.update(order, expected_version=old_order.version)
    uow.commit()


def _events(before: tuple[Rma | None, Order], after: tuple[Rma, Order]) -> list[DomainEvent]:
    """Return the events a unit stored: the return's, then those they caused on the order."""
    return [*new_return_events(before[0], after[0]), *new_order_events(before[1], after[1])]


def request_return(
    order_id: str,
    request: ReturnRequest,
    *,
    policy: ReturnPolicy,
    key: str,
    uow: UnitOfWork,
    clock: Clock,
    publisher: EventPublisher | None = None,
    notifier: Notifier | None = None,
) -> Rma:
    """Open a return for a customer's request, decide it with *policy* and store it.

    Runs [`open_return`][ecomkit.returns.open_return] (``OpenReturn`` with key
    ``"<key>/open"``, then ``DecideReturn`` with key ``"<key>/decide"``) and stores the new
    return and the order (whose approved units are now reserved) in one unit. A declined
    request is stored too: the decision and its reasons are the answer to the customer.

    Args:
        order_id: The order the request is about.
        request: The customer's request; ``request.return_id`` is the new return's id.
        policy: The return policy that decides it.
        key: Identifies this request.
        uow: The unit of work the return and the order are stored through.
        clock: Where "now" comes from; the decision is made as of now.
        publisher: Receives the stored events, if given.
        notifier: Receives a ``return_decided`` notification (detail ``outcome``), if given.

    Returns:
        The decided return.

    Raises:
        OrderNotFoundError: No order has this id.
        InvalidValueError: A return with this id exists for another request or order.
        ReturnCommandRejectedError: The order refuses the reservation.
        VersionConflictError: Another unit changed the order meanwhile; retry the call.
        InvalidTypeError: *request* is not a ``ReturnRequest`` or a text argument is not a
            string.
    """
    text(order_id, field="order_id")
    text(key, field="key")
    if not isinstance(request, ReturnRequest):
        raise InvalidTypeError(field="request", value=request, expected="ReturnRequest")
    with uow:
        order = uow.orders.get(order_id)
        try:
            existing: Rma | None = uow.returns.get(request.return_id)
        except ReturnNotFoundError:
            existing = None
        if existing is not None:
            opened = existing.events[0] if existing.events else None
            if (
                isinstance(opened, ReturnOpened)
                and opened.key == f"{key}/open"
                and existing.order_id == order_id
            ):
                return existing
            raise InvalidValueError(
                field="request.return_id",
                value=request.return_id,
                reason=f"return {request.return_id!r} is already open for another request",
            )
        at = moment(clock, order.events)
        rma, decided, _ = open_return(policy, request, order=order, at=at, key=key)
        _store(uow, (None, order), (rma, decided))
    publish(publisher, _events((None, order), (rma, decided)))
    outcome = rma.decision.outcome.value if rma.decision is not None else rma.status.value
    announce(
        notifier,
        kind="return_decided",
        key=key,
        order=decided,
        return_id=rma.return_id,
        details={"outcome": outcome},
    )
    return rma


def receive_return(
    return_id: str,
    *,
    items: Iterable[ReceivedItem],
    key: str,
    uow: UnitOfWork,
    clock: Clock,
    publisher: EventPublisher | None = None,
) -> Rma:
    """Record units of a return received back; the order's ``returned`` counters follow.

    Args:
        return_id: The return.
        items: What came back, per line, as the warehouse found it.
        key: Identifies this request; the ``ReceiveItems`` command's key.
        uow: The unit of work the return and the order are stored through.
        clock: Where "now" comes from.
        publisher: Receives the stored events, if given.

    Returns:
        The return with the receipt recorded.

    Raises:
        ReturnNotFoundError: No return has this id.
        OrderNotFoundError: The return's order is not stored.
        ReturnCommandRejectedError: The return refuses the receipt (not approved, more
            units than awaited ...).
        IdempotencyConflictError: *key* was used for another command on this return.
        VersionConflictError: Another unit changed the return or order; retry the call.
        InvalidTypeError: *items* or a text argument has the wrong type.
        InvalidValueError: *items* is empty or names a line twice, or *key* is blank.
    """
    text(return_id, field="return_id")
    command = ReceiveItems(key=IdempotencyKey(text(key, field="key")), items=items)
    with uow:
        rma = uow.returns.get(return_id)
        order = uow.orders.get(rma.order_id)
        at = moment(clock, rma.events, order.events)
        after_rma, after_order, _ = apply_return(rma, command, order=order, at=at)
        if after_rma.version == rma.version and after_order.version == order.version:
            return rma
        _store(uow, (rma, order), (after_rma, after_order))
    publish(publisher, _events((rma, order), (after_rma, after_order)))
    return after_rma


def _planned_refund(
    rma: Rma, order: Order, command: RefundReturn, at: dt.datetime
) -> tuple[Rma, Order]:
    """Return the refunded return and the order with every part of the refund recorded.

    The refund is worked out on the order as it was before the first part of it was
    stored, so a run that stopped between two tenders finds the same split again.
    """
    if recorded(rma.events, command.key, ReturnRefunded, command="RefundReturn") is not None:
        refunded = rma
    else:
        prefix = f"{rma.return_id}/{command.key}/"
        first_part = next(
            (index for index, event in enumerate(order.events) if event.key.startswith(prefix)),
            None,
        )
        base = order if first_part is None else replay(order.events[:first_part])
        refunded, _, _ = apply_return(rma, command, order=base, at=at)
    _, settled, _ = apply_return(refunded, command, order=order, at=at)
    return refunded, settled


def _as_command(event: PaymentRefunded) -> RefundPayment:
    return RefundPayment(
        key=event.key,
        payment_id=event.payment_id,
        amount=event.amount,
        lines=event.lines,
        reason=event.reason,
        shipping=event.shipping,
    )


def refund_return(
    return_id: str,
    *,
    key: str,
    uow: UnitOfWork,
    gateway: PaymentGateway,
    clock: Clock,
    method: RefundMethod | str | None = None,
    publisher: EventPublisher | None = None,
    notifier: Notifier | None = None,
) -> Rma:
    """Pay back a return's units that came back, through the gateway, and record it.

    ``RefundReturn`` (key *key*) works out the refund and splits it over the order's
    payments. Each part is refunded at the gateway with the key of the ``PaymentRefunded``
    event it records on the order (``"<order_id>/<return_id>/<key>/refund/<payment_id>"``)
    and stored in its own unit as soon as the gateway said yes; the return is stored as
    refunded after the last part. Calling again with the same *key* after an
    interruption finds the same split, skips the stored parts and repeats the others
    with the same keys, so no money moves twice. Store credit moves no money here: it is
    recorded on the order in the same unit as the return.

    Args:
        return_id: The return.
        key: Identifies this request; the ``RefundReturn`` command's key.
        uow: The unit of work the return and the order are stored through.
        gateway: The payment provider.
        clock: Where "now" comes from.
        method: Where the money goes; the decision's method when ``None``.
        publisher: Receives each stored unit's events, if given.
        notifier: Receives a ``return_refunded`` notification (detail ``amount``), if given.

    Returns:
        The refunded (or credited) return.

    Raises:
        ReturnNotFoundError: No return has this id.
        OrderNotFoundError: The return's order is not stored.
        ReturnCommandRejectedError: The return refuses the refund (nothing came back, a
            method the decision does not allow ...); no money moves.
        PaymentDeclinedError: The gateway refused a part; the parts before it stay stored,
            the return is not refunded yet.
        GatewayUnavailableError: The gateway could not be reached; calling again with the
            same key is safe.
        IdempotencyConflictError: *key* was used for another command or request.
        VersionConflictError: Another unit changed the return or order; retry the call.
        InvalidTypeError: A text argument is not a string.
        InvalidValueError: *method* is not a refund method or *key* is blank.
    """
    text(return_id, field="return_id")
    command = RefundReturn(key=IdempotencyKey(text(key, field="key")), method=method)
    while True:
        with uow:
            rma = uow.returns.get(return_id)
            order = uow.orders.get(rma.order_id)
            at = moment(clock, rma.events, order.events)
            refunded, settled = _planned_refund(rma, order, command, at)
            parts = [e for e in new_order_events(order, settled) if isinstance(e, PaymentRefunded)]
            if parts:
                part = parts[0]
                gateway.refund(
                    order_id=order.order_id,
                    payment_id=part.payment_id,
                    reference=order.payment(part.payment_id).reference,
                    amount=part.amount,
                    idempotency_key=provider_key(order.order_id, part.key),
                )
                paid, _ = apply(order, _as_command(part), at=at)
                _store(uow, (rma, order), (rma, paid))
                after: tuple[Rma, Order] = (rma, paid)
            elif refunded.version == rma.version and settled.version == order.version:
                return rma
            else:
                _store(uow, (rma, order), (refunded, settled))
                after = (refunded, settled)
        publish(publisher, _events((rma, order), after))
        if not parts:
            announce(
                notifier,
                kind="return_refunded",
                key=key,
                order=after[1],
                return_id=return_id,
                details={"amount": str(refunded.refunds[-1].total)},
            )
            return refunded
