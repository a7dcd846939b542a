"""``RecordingNotifier`` and ``RecordingPublisher``: ports that keep what they were given."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, TypeVar

from ecomkit.catalog import ProductEvent
from ecomkit.errors import InvalidTypeError
from ecomkit.orders import OrderEvent
from ecomkit.ports import DomainEvent, Notification
from ecomkit.returns import ReturnEvent


__all__ = ["RecordingNotifier", "RecordingPublisher"]

_EVENT_TYPES: Final = (OrderEvent, ReturnEvent, ProductEvent)

_T = TypeVar("_T")


class RecordingNotifier:
    """A [`Notifier`][ecomkit.ports.Notifier] that keeps the notifications instead of sending.

    Like a real notifier it sends each key once: a notification whose key was already sent
    (a retried service) is kept in [`received`][ecomkit.testing.RecordingNotifier.received]
    but not sent again, even when its contents differ. Thread-safe.

    Examples:
        >>> notifier = RecordingNotifier()
        >>> placed = Notification(kind="order_placed", key="o-1:placed", order_id="o-1")
        >>> notifier.notify(placed)
        >>> notifier.notify(placed)  # a retried service
        >>> notifier.kinds()
        ('order_placed',)
        >>> len(notifier.received)
        2
        >>> notifier
        RecordingNotifier(sent=1, received=2)
    """

    __slots__ = ("_keys", "_lock", "_received", "_sent")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: list[Notification] = []
        self._received: list[Notification] = []
        self._keys: set[str] = set()

    def notify(self, notification: Notification) -> None:
        """Keep *notification*; send it unless its key was already sent.

        Args:
            notification: The message to send.

        Raises:
            InvalidTypeError: *notification* is not a ``Notification``.
        """
        if not isinstance(notification, Notification):
            raise InvalidTypeError(
                field="notification", value=notification, expected="Notification"
            )
        with self._lock:
            self._received.append(notification)
            if notification.key not in self._keys:
                self._keys.add(notification.key)
                self._sent.append(notification)

    @property
    def sent(self) -> tuple[Notification, ...]:
        """The notifications sent: one per key, in the order they first arrived."""
        with self._lock:
            return tuple(self._sent)

    @property
    def received(self) -> tuple[Notification, ...]:
        """Every call's notification, repeats included, in order."""
        with self._lock:
            return tuple(self._received)

    def kinds(self) -> tuple[str, ...]:
        """Return the kind of every notification sent, in order."""
        return tuple(notification.kind for notification in self.sent)

    def for_order(self, order_id: str) -> tuple[Notification, ...]:
        """Return the notifications sent about one order, in order.

        Args:
            order_id: The order.

        Returns:
            The notifications whose ``order_id`` is *order_id*.
        """
        return tuple(
            notification for notification in self.sent if notification.order_id == order_id
        )

    def clear(self) -> None:
        """Forget everything received, sent keys included."""
        with self._lock:
            self._sent.clear()
            self._received.clear()
            self._keys.clear()

    def __repr__(self) -> str:
        with self._lock:
            return f"RecordingNotifier(sent={len(self._sent)}, received={len(self._received)})"


class RecordingPublisher:
    """An [`EventPublisher`][ecomkit.ports.EventPublisher] that keeps every batch it is given.

    Thread-safe.

    Examples:
        >>> import pendulum
        >>> from ecomkit.orders import OrderConfirmed, OrderStatus
        >>> publisher = RecordingPublisher()
        >>> confirmed = OrderConfirmed(
        ...     order_id="o-1", version=2, at=pendulum.datetime(2024, 5, 1, tz="UTC"),
        ...     key="o-1:confirm", status=OrderStatus.PROCESSING,
        ... )
        >>> publisher.publish([confirmed])
        >>> publisher.publish([])
        >>> publisher
        RecordingPublisher(batches=2, events=1)
        >>> publisher.of_type(OrderConfirmed) == (confirmed,)
        True
    """

    __slots__ = ("_batches", "_lock")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._batches: list[tuple[DomainEvent, ...]] = []

    def publish(self, events: Sequence[DomainEvent]) -> None:
        """Keep *events* as one batch (an empty one too).

        Args:
            events: The events of one committed unit of work, oldest first.

        Raises:
            InvalidTypeError: *events* is not a sequence of domain events (nothing is kept).
        """
        given: object = events
        if not isinstance(given, Sequence) or isinstance(given, str | bytes):
            raise InvalidTypeError(
                field="events", value=given, expected="a sequence of domain events"
            )
        batch = tuple(given)
        for event in batch:
            if not isinstance(event, _EVENT_TYPES):
                raise InvalidTypeError(
                    field="events",
                    value=event,
                    expected="an OrderEvent, ReturnEvent or ProductEvent",
                )
        with self._lock:
            self._batches.append(batch)

    @property
    def batches(self) -> tuple[tuple[DomainEvent, ...], ...]:
        """Each ``publish`` call's events, in call order."""
        with self._lock:
            return tuple(self._batches)

    @property
    def events(self) -> tuple[DomainEvent, ...]:
        """Every event published, in order, across batches."""
        with self._lock:
            return tuple(event for batch in self._batches for event in batch)

    def of_type(self, cls: type[_T]) -> tuple[_T, ...]:
        """Return the published events that are instances of *cls*, in order.

        Args:
            cls: An event class, such as ``OrderPlaced`` or the base ``OrderEvent``.

        Returns:
            The matching events.
        """
        return tuple(event for event in self.events if isinstance(event, cls))

    def clear(self) -> None:
        """Forget every batch."""
        with self._lock:
            self._batches.clear()

    def __repr__(self) -> str:
        with self._lock:
            count = sum(len(batch) for batch in self._batches)
            return f"RecordingPublisher(batches={len(self._batches)}, events={count})"


if TYPE_CHECKING:
    from ecomkit.ports import EventPublisher, Notifier

    _notifier: type[Notifier] = RecordingNotifier
    _publisher: type[EventPublisher] = RecordingPublisher
