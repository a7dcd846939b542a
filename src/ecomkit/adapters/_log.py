"""``StoredEvent``: one entry of an adapter's append-only event log."""

from __future__ import annotations

import enum
from typing import Final

import attrs

from ecomkit.catalog import ProductEvent
from ecomkit.orders import OrderEvent
from ecomkit.ports import DomainEvent
from ecomkit.returns import ReturnEvent


__all__ = ["EventStream", "StoredEvent", "stream_of"]


class EventStream(enum.StrEnum):
    """Which kind of aggregate an event belongs to."""

    ORDER = "order"
    """An order's event."""
    RETURN = "return"
    """A return's (RMA's) event."""
    PRODUCT = "product"
    """A product's event."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class StoredEvent:
    """A domain event as an adapter's event log keeps it.

    Attributes:
        position: Its place in the log: 1 for the first event ever stored, growing by
            commit order. Read the log from a position to catch up after a restart.
        stream: The kind of aggregate.
        entity_id: The order id, return id or SKU.
        version: The aggregate's version the event produced.
        event: The event itself.
    """

    position: int
    stream: EventStream
    entity_id: str
    version: int
    event: DomainEvent


_STREAMS: Final[tuple[tuple[type[object], EventStream], ...]] = (
    (OrderEvent, EventStream.ORDER),
    (ReturnEvent, EventStream.RETURN),
    (ProductEvent, EventStream.PRODUCT),
)


def stream_of(event: DomainEvent) -> EventStream:
    """Return the stream *event* belongs to."""
    for base, stream in _STREAMS:
        if isinstance(event, base):
            return stream
    msg = f"not a domain event: {type(event).__name__}"  # pragma: no cover - typed callers
    raise TypeError(msg)  # pragma: no cover
