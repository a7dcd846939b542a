"""Order services: place, pay, ship, deliver and cancel orders through the ports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from ecomkit.errors import CommandRejectedError, InvalidTypeError, OrderNotFoundError
from ecomkit.money import Money
from ecomkit.orders import (
    AuthorizePayment,
    CancellationReason,
    CancelOrder,
    CapturePayment,
    ConfirmDelivery,
    FulfilLines,
    IdempotencyKey,
    LineQuantity,
    Order,
    OrderCancelled,
    OrderCommand,
    OrderSpec,
    PaymentAuthorized,
    PaymentCaptured,
    PaymentId,
    PaymentRefunded,
    PaymentVoided,
    PlaceOrder,
    RefundPayment,
    Shipment,
    ShipmentDelivered,
    ShipmentId,
    ShipmentShipped,
    ShipShipment,
    VoidPayment,
    apply,
)
from ecomkit.orders._values import check_money
from ecomkit.ports import (
    Carrier,
    EventPublisher,
    Notifier,
    PaymentGateway,
    TrackingStatus,
    TrackingUpdate,
    UnitOfWork,
)
from ecomkit.services._common import (
    announce,
    moment,
    new_order_events,
    not_before,
    provider_key,
    publish,
    recorded,
    text,
)
from ecomkit.time import Clock


__all__ = [
    "authorize_payment",
    "cancel_order",
    "capture_payment",
    "confirm_delivery",
    "place_order",
    "ship_order",
    "track_shipment",
]


def _key(value: str) -> IdempotencyKey:
    return IdempotencyKey(value)


def _store(uow: UnitOfWork, before: Order, after: Order) -> None:
    """Buffer *after* in *uow* as the successor of *before* and commit."""
    uow.orders.update(after, expected_version=before.version)
    uow.commit()


def _refused(order: Order, command: str, reason: str) -> CommandRejectedError:
    return CommandRejectedError(
        order_id=order.order_id, status=order.status.value, command=command, reason=reason
    )


# ---------------------------------------------------------------------- placing


def place_order(
    spec: OrderSpec,
    *,
    key: str,
    uow: UnitOfWork,
    clock: Clock,
    publisher: EventPublisher | None = None,
    notifier: Notifier | None = None,
) -> Order:
    """Place a new order from *spec* (or place the draft stored under its id) and store it.

    Idempotent in *key*: calling again with the same key returns the stored order and
    records, publishes and sends nothing new.

    Args:
        spec: What the order is made of; ``spec.order_id`` is the new order's id.
        key: Identifies this request; the ``PlaceOrder`` command's key.
        uow: The unit of work the order is stored through.
        clock: Where "now" comes from.
        publisher: Receives the ``OrderPlaced`` event after it is stored, if given.
        notifier: Receives an ``order_placed`` notification, if given.

    Returns:
        The placed order, as stored.

    Raises:
        CommandRejectedError: An order with this id is stored and cannot be placed (it was
            placed with another key, or it is past placing).
        IdempotencyConflictError: *key* was used for another command on this order.
        VersionConflictError: Another unit stored the order first; retry the call.
        InvalidTypeError: *spec* is not an ``OrderSpec`` or *key* is not a string.
        InvalidValueError: *key* is blank.

    Examples:
        >>> import pendulum
        >>> from ecomkit import Money
        >>> from ecomkit.adapters.memory import InMemoryUnitOfWork
        >>> from ecomkit.orders import LineSpec, OrderSpec
        >>> from ecomkit.testing import FixedClock
        >>> spec = OrderSpec(order_id="o-1", channel="web", currency="EUR",
        ...     timezone="Europe/Berlin",
        ...     lines=[LineSpec(line_id="l1", sku="MUG", quantity=2,
        ...                     unit_price=Money("10.00", "EUR"))])
        >>> uow = InMemoryUnitOfWork()
        >>> clock = FixedClock(pendulum.datetime(2026, 3, 1, 9, tz="Europe/Berlin"))
        >>> order = place_order(spec, key="checkout-1", uow=uow, clock=clock)
        >>> order.status.value, str(order.total.gross)
        ('placed', '20.00 EUR')
        >>> place_order(spec, key="checkout-1", uow=uow, clock=clock) == order
        True
        >>> [stored.event.__class__.__name__ for stored in uow.events()]
        ['OrderPlaced']
    """
    if not isinstance(spec, OrderSpec):
        raise InvalidTypeError(field="spec", value=spec, expected="OrderSpec")
    command = PlaceOrder(key=_key(text(key, field="key")), spec=spec)
    with uow:
        try:
            before: Order | None = uow.orders.get(spec.order_id)
        except OrderNotFoundError:
            before = None
        at = moment(clock, before.events if before is not None else ())
        after, _ = apply(before, command, at=at)
        if before is not None and after.version == before.version:
            return before
        if before is None:
            uow.orders.add(after)
            uow.commit()
        else:
            _store(uow, before, after)
    publish(publisher, new_order_events(before, after))
    announce(notifier, kind="order_placed", key=key, order=after)
    return after


# ---------------------------------------------------------------------- payments


def authorize_payment(
    order_id: str,
    *,
    payment_id: str,
    key: str,
    uow: UnitOfWork,
    gateway: PaymentGateway,
    clock: Clock,
    amount: Money | None = None,
    tender: str = "card",
    publisher: EventPublisher | None = None,
) -> Order:
    """Authorize a new payment of an order at the gateway and record it.

    The gateway is called before the order is stored, with the idempotency key
    ``"<order_id>/<key>"``. If the process dies after the gateway said yes, calling again
    with the same *key* gets the same authorization back from the gateway and records it:
    the customer's money is reserved once.

    Args:
        order_id: The order.
        payment_id: A new payment id for this order.
        key: Identifies this request; the ``AuthorizePayment`` command's key.
        uow: The unit of work the order is stored through.
        gateway: The payment provider.
        clock: Where "now" comes from.
        amount: How much; ``None`` authorizes everything outstanding.
        tender: The kind of tender (``"card"``, ``"gift_card"`` ...).
        publisher: Receives the ``PaymentAuthorized`` event after it is stored, if given.

    Returns:
        The order with the authorization recorded.

    Raises:
        OrderNotFoundError: No order has this id.
        CommandRejectedError: The order refuses the authorization (nothing outstanding,
            more than outstanding, an existing payment id, a cancelled order ...); the
            gateway is not called.
        PaymentDeclinedError: The gateway refused; nothing is stored.
        GatewayUnavailableError: The gateway could not be reached; nothing is stored, and
            calling again with the same key is safe.
        IdempotencyConflictError: *key* was used for another command on this order, or at
            the gateway for another request.
        VersionConflictError: Another unit changed the order meanwhile; retry the call.
        InvalidTypeError: *amount* is not ``Money`` or a text argument is not a string.
        InvalidValueError: *amount* is not positive or a text argument is blank.
    """
    text(order_id, field="order_id")
    pid = PaymentId(text(payment_id, field="payment_id"))
    text(key, field="key")
    text(tender, field="tender")
    if amount is not None:
        check_money(amount, field="amount", positive=True)
    with uow:
        before = uow.orders.get(order_id)
        if recorded(before.events, key, PaymentAuthorized, command="AuthorizePayment"):
            return before
        at = moment(clock, before.events)
        wanted = before.outstanding if amount is None else amount
        if not wanted.is_positive():
            raise _refused(before, "AuthorizePayment", "nothing is outstanding")
        command = AuthorizePayment(key=_key(key), payment_id=pid, amount=wanted, tender=tender)
        apply(before, command, at=at)  # refuse before the gateway moves anything
        transaction = gateway.authorize(
            order_id=order_id,
            payment_id=payment_id,
            amount=wanted,
            tender=tender,
            idempotency_key=provider_key(order_id, key),
        )
        after, _ = apply(
            before,
            attrs.evolve(command, amount=transaction.amount, reference=transaction.reference),
            at=at,
        )
        _store(uow, before, after)
    publish(publisher, new_order_events(before, after))
    return after


def capture_payment(
    order_id: str,
    *,
    payment_id: str,
    key: str,
    uow: UnitOfWork,
    gateway: PaymentGateway,
    clock: Clock,
    amount: Money | None = None,
    publisher: EventPublisher | None = None,
) -> Order:
    """Capture authorized money of a payment at the gateway and record it.

    The gateway is called before the order is stored, with the idempotency key
    ``"<order_id>/<key>"``, so calling again with the same *key* after a crash or a lost
    answer captures once.

    Args:
        order_id: The order.
        payment_id: The payment to capture on.
        key: Identifies this request; the ``CapturePayment`` command's key.
        uow: The unit of work the order is stored through.
        gateway: The payment provider.
        clock: Where "now" comes from.
        amount: How much; ``None`` captures everything authorized and neither captured
            nor voided on the payment.
        publisher: Receives the ``PaymentCaptured`` event after it is stored, if given.

    Returns:
        The order with the capture recorded.

    Raises:
        OrderNotFoundError: No order has this id.
        CommandRejectedError: The order refuses the capture (no such payment, nothing
            open, more than is open ...); the gateway is not called.
        PaymentDeclinedError: The gateway refused; nothing is stored.
        GatewayUnavailableError: The gateway could not be reached; nothing is stored, and
            calling again with the same key is safe.
        IdempotencyConflictError: *key* was used for another command or request.
        VersionConflictError: Another unit changed the order meanwhile; retry the call.
        InvalidTypeError: *amount* is not ``Money`` or a text argument is not a string.
        InvalidValueError: *amount* is not positive or a text argument is blank.
    """
    text(order_id, field="order_id")
    pid = PaymentId(text(payment_id, field="payment_id"))
    text(key, field="key")
    if amount is not None:
        check_money(amount, field="amount", positive=True)
    command = CapturePayment(key=_key(key), payment_id=pid, amount=amount)
    with uow:
        before = uow.orders.get(order_id)
        if recorded(before.events, key, PaymentCaptured, command="CapturePayment"):
            return before
        at = moment(clock, before.events)
        _, (decided,) = apply(before, command, at=at)
        if not isinstance(decided, PaymentCaptured):  # pragma: no cover - apply's contract
            raise _refused(before, "CapturePayment", "the order recorded no capture")
        payment = before.payment(payment_id)
        transaction = gateway.capture(
            order_id=order_id,
            payment_id=payment_id,
            reference=payment.reference,
            amount=decided.amount,
            idempotency_key=provider_key(order_id, key),
        )
        after, _ = apply(before, attrs.evolve(command, amount=transaction.amount), at=at)
        _store(uow, before, after)
    publish(publisher, new_order_events(before, after))
    return after


# ---------------------------------------------------------------------- shipping


def _lines_to_ship(
    order: Order, lines: tuple[LineQuantity, ...] | None
) -> tuple[LineQuantity, ...]:
    if lines is not None:
        return lines
    remaining = tuple(
        LineQuantity(line_id=line.line_id, quantity=line.unfulfilled)
        for line in order.lines
        if line.unfulfilled
    )
    if not remaining:
        raise _refused(order, "FulfilLines", "every unit is already packed or cancelled")
    return remaining


def ship_order(
    order_id: str,
    *,
    shipment_id: str,
    key: str,
    uow: UnitOfWork,
    carrier: Carrier,
    clock: Clock,
    lines: Mapping[str, int] | None = None,
    publisher: EventPublisher | None = None,
    notifier: Notifier | None = None,
) -> Order:
    """Pack units into a new shipment, book it with the carrier and record it as shipped.

    Records ``FulfilLines`` (key ``"<key>/fulfil"``) and ``ShipShipment`` (key
    ``"<key>/ship"``, with the carrier's name and tracking number) in one unit. The carrier
    is called before anything is stored, with the idempotency key
    ``"<order_id>/<key>/ship"``, so calling again with the same *key* books one parcel.

    Args:
        order_id: The order.
        shipment_id: A new shipment id for this order.
        key: Identifies this request.
        uow: The unit of work the order is stored through.
        carrier: The parcel carrier.
        clock: Where "now" comes from.
        lines: ``{line_id: quantity}`` to ship; ``None`` ships every unit neither packed
            nor cancelled yet.
        publisher: Receives the two events after they are stored, if given.
        notifier: Receives an ``order_shipped`` notification (details ``carrier`` and
            ``tracking_number``), if given.

    Returns:
        The order with the shipment recorded as shipped.

    Raises:
        OrderNotFoundError: No order has this id.
        CommandRejectedError: The order refuses to pack or ship (nothing left to pack, an
            existing shipment id, more units than are left, an order on hold ...); the
            carrier is not called.
        ShipmentRejectedError: The carrier refused; nothing is stored.
        CarrierUnavailableError: The carrier could not be reached; nothing is stored, and
            calling again with the same key is safe.
        IdempotencyConflictError: *key* was used for another command or request.
        VersionConflictError: Another unit changed the order meanwhile; retry the call.
        InvalidTypeError: *lines* or a text argument has the wrong type.
        InvalidValueError: *lines* has a bad quantity or a text argument is blank.
    """
    text(order_id, field="order_id")
    sid = ShipmentId(text(shipment_id, field="shipment_id"))
    text(key, field="key")
    fulfil_key, ship_key = _key(f"{key}/fulfil"), _key(f"{key}/ship")
    wanted = None
    if lines is not None:
        wanted = FulfilLines(key=fulfil_key, shipment_id=sid, lines=lines).lines
    with uow:
        before = uow.orders.get(order_id)
        if recorded(before.events, ship_key, ShipmentShipped, command="ShipShipment"):
            return before
        at = moment(clock, before.events)
        fulfil = FulfilLines(key=fulfil_key, shipment_id=sid, lines=_lines_to_ship(before, wanted))
        packed, _ = apply(before, fulfil, at=at)  # refuse before the carrier books anything
        apply(packed, ShipShipment(key=ship_key, shipment_id=sid), at=at)
        label = carrier.create_shipment(
            order_id=order_id,
            shipment_id=shipment_id,
            lines=packed.shipment(shipment_id).lines,
            address=before.shipping_address,
            idempotency_key=provider_key(order_id, ship_key),
        )
        packed, _ = apply(
            before,
            attrs.evolve(fulfil, promised_delivery_on=label.promised_delivery_on),
            at=at,
        )
        after, _ = apply(
            packed,
            ShipShipment(
                key=ship_key,
                shipment_id=sid,
                carrier=label.carrier,
                tracking_number=label.tracking_number,
            ),
            at=at,
        )
        _store(uow, before, after)
    publish(publisher, new_order_events(before, after))
    announce(
        notifier,
        kind="order_shipped",
        key=key,
        order=after,
        details={"carrier": label.carrier, "tracking_number": label.tracking_number},
    )
    return after


def _confirm(
    order_id: str,
    *,
    shipment_id: str,
    key: str,
    uow: UnitOfWork,
    clock: Clock,
    at: dt.datetime | None,
    publisher: EventPublisher | None,
    notifier: Notifier | None,
) -> Order:
    command = ConfirmDelivery(key=_key(key), shipment_id=ShipmentId(shipment_id))
    with uow:
        before = uow.orders.get(order_id)
        if recorded(before.events, key, ShipmentDelivered, command="ConfirmDelivery"):
            return before
        when = moment(clock, before.events) if at is None else not_before(at, before.events)
        after, _ = apply(before, command, at=when)
        _store(uow, before, after)
    publish(publisher, new_order_events(before, after))
    announce(
        notifier,
        kind="order_delivered",
        key=key,
        order=after,
        details={"shipment_id": shipment_id},
    )
    return after


def confirm_delivery(
    order_id: str,
    *,
    shipment_id: str,
    key: str,
    uow: UnitOfWork,
    clock: Clock,
    publisher: EventPublisher | None = None,
    notifier: Notifier | None = None,
) -> Order:
    """Record that a shipped shipment was delivered.

    Args:
        order_id: The order.
        shipment_id: The shipment.
        key: Identifies this request; the ``ConfirmDelivery`` command's key.
        uow: The unit of work the order is stored through.
        clock: Where "now" comes from.
        publisher: Receives the ``ShipmentDelivered`` event after it is stored, if given.
        notifier: Receives an ``order_delivered`` notification, if given.

    Returns:
        The order with the delivery recorded.

    Raises:
        OrderNotFoundError: No order has this id.
        CommandRejectedError: No such shipment, or it has not shipped or is delivered.
        IdempotencyConflictError: *key* was used for another command on this order.
        VersionConflictError: Another unit changed the order meanwhile; retry the call.
        InvalidTypeError: A text argument is not a string.
        InvalidValueError: A text argument is blank.
    """
    text(order_id, field="order_id")
    text(shipment_id, field="shipment_id")
    text(key, field="key")
    return _confirm(
        order_id,
        shipment_id=shipment_id,
        key=key,
        uow=uow,
        clock=clock,
        at=None,
        publisher=publisher,
        notifier=notifier,
    )


def _tracking_number(order: Order, shipment_id: str) -> tuple[Shipment, str]:
    """Return the shipment and its tracking number, or refuse when either is missing."""
    shipment = next((s for s in order.shipments if s.shipment_id == shipment_id), None)
    if shipment is None:
        raise _refused(order, "ConfirmDelivery", f"the order has no shipment {shipment_id!r}")
    if shipment.tracking_number is None:
        raise _refused(order, "ConfirmDelivery", f"shipment {shipment_id!r} has no tracking number")
    return shipment, shipment.tracking_number


def track_shipment(
    order_id: str,
    *,
    shipment_id: str,
    key: str,
    uow: UnitOfWork,
    carrier: Carrier,
    clock: Clock,
    publisher: EventPublisher | None = None,
    notifier: Notifier | None = None,
) -> tuple[TrackingUpdate, ...]:
    """Read a shipment's tracking and record its delivery once the carrier reports it.

    When the carrier's updates include a ``DELIVERED`` one and the shipment is not
    recorded as delivered yet, the delivery is confirmed (command key *key*) at the time
    the carrier gives, or at the order's last event when that is later.

    Args:
        order_id: The order.
        shipment_id: The shipment; it must carry a tracking number.
        key: Identifies the delivery confirmation this call may record.
        uow: The unit of work the order is stored through.
        carrier: The parcel carrier.
        clock: Where "now" comes from (used when the order has no later event).
        publisher: Receives the ``ShipmentDelivered`` event, if one is recorded.
        notifier: Receives an ``order_delivered`` notification, if one is recorded.

    Returns:
        The carrier's updates, oldest first.

    Raises:
        OrderNotFoundError: No order has this id.
        CommandRejectedError: The order has no such shipment, or it has no tracking number.
        CarrierUnavailableError: The carrier could not be reached; nothing is stored.
        IdempotencyConflictError: *key* was used for another command on this order.
        VersionConflictError: Another unit changed the order meanwhile; retry the call.
        InvalidTypeError: A text argument is not a string.
        InvalidValueError: A text argument is blank.
    """
    text(order_id, field="order_id")
    text(shipment_id, field="shipment_id")
    text(key, field="key")
    with uow:
        order = uow.orders.get(order_id)
        shipment, tracking_number = _tracking_number(order, shipment_id)
    updates = tuple(carrier.track(tracking_number))
    delivered = next(
        (update for update in updates if update.status is TrackingStatus.DELIVERED), None
    )
    if delivered is not None and shipment.delivered_at is None:
        _confirm(
            order_id,
            shipment_id=shipment_id,
            key=key,
            uow=uow,
            clock=clock,
            at=delivered.at,
            publisher=publisher,
            notifier=notifier,
        )
    return updates


# ---------------------------------------------------------------------- cancelling


def _settlement_steps(order: Order, key: str) -> list[OrderCommand]:
    """Return the voids and refunds that must precede cancelling *order*, payment by payment."""
    steps: list[OrderCommand] = []
    for payment in order.payments:
        if payment.open.is_positive():
            steps.append(
                VoidPayment(
                    key=_key(f"{key}/void/{payment.payment_id}"), payment_id=payment.payment_id
                )
            )
        if payment.refundable.is_positive():
            steps.append(
                RefundPayment(
                    key=_key(f"{key}/refund/{payment.payment_id}"),
                    payment_id=payment.payment_id,
                    amount=payment.refundable,
                    reason="order cancelled",
                )
            )
    return steps


def _settle(order: Order, event: PaymentVoided | PaymentRefunded, gateway: PaymentGateway) -> None:
    """Ask the gateway to do what *event* records: a void or a refund on one payment."""
    call = gateway.void if isinstance(event, PaymentVoided) else gateway.refund
    call(
        order_id=order.order_id,
        payment_id=event.payment_id,
        reference=order.payment(event.payment_id).reference,
        amount=event.amount,
        idempotency_key=provider_key(order.order_id, event.key),
    )


def cancel_order(
    order_id: str,
    *,
    key: str,
    uow: UnitOfWork,
    gateway: PaymentGateway,
    clock: Clock,
    reason: CancellationReason | str = "customer",
    publisher: EventPublisher | None = None,
    notifier: Notifier | None = None,
) -> Order:
    """Cancel an order, giving back every payment through the gateway first.

    The whole plan (voids, refunds, the cancellation) is checked against the order before
    the gateway is called, so an order that cannot be cancelled (units packed or shipped)
    moves no money. Then, payment by payment, open authorizations are voided (key
    ``"<key>/void/<payment_id>"``) and captured money is refunded (key
    ``"<key>/refund/<payment_id>"``); each gateway success is stored in its own unit at
    once. Last, ``CancelOrder`` (key ``"<key>/cancel"``) is recorded. Calling again with
    the same *key* after an interruption skips what was stored and repeats the rest with
    the same gateway keys (``"<order_id>/<command key>"``), so no money moves twice.

    Args:
        order_id: The order.
        key: Identifies this request.
        uow: The unit of work the order is stored through.
        gateway: The payment provider.
        clock: Where "now" comes from.
        reason: Why, as a ``CancellationReason`` or its value.
        publisher: Receives each stored unit's events, if given.
        notifier: Receives an ``order_cancelled`` notification (detail ``reason``), if given.

    Returns:
        The cancelled order.

    Raises:
        OrderNotFoundError: No order has this id.
        CommandRejectedError: The order cannot be cancelled; nothing is stored and no money
            moves.
        PaymentDeclinedError: The gateway refused a void or refund; the steps before it
            stay stored, the order is not cancelled.
        GatewayUnavailableError: The gateway could not be reached; calling again with the
            same key is safe.
        IdempotencyConflictError: *key* was used for another command or request.
        VersionConflictError: Another unit changed the order meanwhile; retry the call.
        InvalidTypeError: A text argument is not a string.
        InvalidValueError: *reason* is not a cancellation reason or *key* is blank.
    """
    text(order_id, field="order_id")
    text(key, field="key")
    cancel = CancelOrder(key=_key(f"{key}/cancel"), reason=reason)
    while True:
        with uow:
            before = uow.orders.get(order_id)
            if recorded(before.events, cancel.key, OrderCancelled, command="CancelOrder"):
                return before
            at = moment(clock, before.events)
            steps = _settlement_steps(before, key)
            planned = before
            for command in (*steps, cancel):
                planned, _ = apply(planned, command, at=at)
            finished = not steps
            if finished:
                after = planned
            else:
                after, (event,) = apply(before, steps[0], at=at)
                if isinstance(event, PaymentVoided | PaymentRefunded):
                    _settle(before, event, gateway)
            _store(uow, before, after)
        publish(publisher, new_order_events(before, after))
        if finished:
            announce(
                notifier,
                kind="order_cancelled",
                key=key,
                order=after,
                details={"reason": cancel.reason.value},
            )
            return after
