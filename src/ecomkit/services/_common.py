"""What every service does around the domain: time, keys, publishing and notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

import pendulum

from ecomkit.errors import IdempotencyConflictError
from ecomkit.orders import Order, OrderEvent
from ecomkit.orders._apply import _COMMAND_OF as _ORDER_COMMAND_OF
from ecomkit.orders._values import check_text
from ecomkit.ports import DomainEvent, EventPublisher, Notification, Notifier
from ecomkit.returns import ReturnEvent, Rma
from ecomkit.returns._apply import _COMMAND_OF as _RETURN_COMMAND_OF
from ecomkit.time import Clock, ensure_aware


__all__ = [
    "announce",
    "moment",
    "new_order_events",
    "new_return_events",
    "not_before",
    "provider_key",
    "publish",
    "recorded",
    "text",
]

_E = TypeVar("_E", bound=OrderEvent | ReturnEvent)


def text(value: object, *, field: str) -> str:
    """Return *value* if it is a non-blank string, else raise a typed error naming *field*.

    Raises:
        InvalidTypeError: *value* is not a string.
        InvalidValueError: *value* is blank or too long.
    """
    return check_text(value, field=field)


def moment(clock: Clock, *logs: Sequence[OrderEvent] | Sequence[ReturnEvent]) -> pendulum.DateTime:
    """Return the time a change happens: now, but never before the last event of *logs*.

    The domain refuses a time earlier than an aggregate's last event, and the clocks of two
    machines never quite agree, so a service takes the later of the two.

    Raises:
        NaiveDateTimeError: The clock returned a naive datetime.
        InvalidTypeError: The clock returned something that is not a datetime.
    """
    return not_before(ensure_aware(clock.now(), field="clock.now()"), *logs)


def not_before(
    at: dt.datetime, *logs: Sequence[OrderEvent] | Sequence[ReturnEvent]
) -> pendulum.DateTime:
    """Return *at*, or the last event's time of *logs* when that is later."""
    checked = ensure_aware(at, field="at")
    for log in logs:
        if log and log[-1].at > checked:
            checked = ensure_aware(log[-1].at, field="at")
    return checked


def recorded(
    events: Iterable[OrderEvent | ReturnEvent], key: str, kind: type[_E], *, command: str
) -> _E | None:
    """Return the event recorded under *key* if there is one, checking it is of *kind*.

    Args:
        events: An aggregate's log.
        key: The command key to look for.
        kind: The event the service's command records.
        command: The service's command, to name it in an error.

    Returns:
        The event, or ``None`` when the key was never used.

    Raises:
        IdempotencyConflictError: The key recorded another kind of event.
    """
    for event in events:
        if event.key == key:
            if not isinstance(event, kind):
                raise IdempotencyConflictError(key=key, first=_command_of(event), second=command)
            return event
    return None


def provider_key(order_id: str, command_key: str) -> str:
    """Return the idempotency key for a provider call: unique across orders."""
    return f"{order_id}/{command_key}"


def new_order_events(before: Order | None, after: Order) -> tuple[OrderEvent, ...]:
    """Return the events *after* recorded since *before* (all of them for a new order)."""
    return after.events[before.version if before is not None else 0 :]


def new_return_events(before: Rma | None, after: Rma) -> tuple[ReturnEvent, ...]:
    """Return the events *after* recorded since *before* (all of them for a new return)."""
    return after.events[before.version if before is not None else 0 :]


def publish(publisher: EventPublisher | None, events: Sequence[DomainEvent]) -> None:
    """Hand the events of one committed unit to *publisher*, if there is one and any event."""
    if publisher is not None and events:
        publisher.publish(tuple(events))


def announce(
    notifier: Notifier | None,
    *,
    kind: str,
    key: str,
    order: Order,
    return_id: str | None = None,
    details: Mapping[str, str] | None = None,
) -> None:
    """Ask *notifier* (if any) to tell the order's customer about *kind*.

    The notification's key is ``"<order or return id>/<key>/<kind>"``, so a retried
    service sends a message the notifier recognises.
    """
    if notifier is None:
        return
    subject = return_id if return_id is not None else order.order_id
    notifier.notify(
        Notification(
            kind=kind,
            key=f"{subject}/{key}/{kind}",
            order_id=order.order_id,
            recipient=order.customer_id,
            return_id=return_id,
            details=dict(details or {}),
        )
    )


def _command_of(event: OrderEvent | ReturnEvent) -> str:
    """Return the name of the command that records *event* (its class name if none does)."""
    command: type[object] | None
    if isinstance(event, OrderEvent):
        command = _ORDER_COMMAND_OF.get(type(event))
    else:
        command = _RETURN_COMMAND_OF.get(type(event))
    return command.__name__ if command is not None else type(event).__name__
