"""What an ``InMemoryUnitOfWork`` runs on: a store's committed tables and a unit's session.

The tables hold the committed aggregates and the event log behind one lock; a session is
one unit's state (who entered it, its buffered changes and their events) and does the
checks the repositories promise. ``ecomkit.adapters.memory`` builds its public classes on
them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Final, Generic, TypeAlias, TypeVar

import attrs

from ecomkit.adapters._checks import check_count, check_id, check_product_event
from ecomkit.adapters._log import EventStream, StoredEvent
from ecomkit.catalog import Product, ProductEvent
from ecomkit.errors import (
    EntityNotFoundError,
    InvalidTypeError,
    InvalidValueError,
    OrderNotFoundError,
    ProductNotFoundError,
    ReturnNotFoundError,
    UnitOfWorkError,
    VersionConflictError,
)
from ecomkit.orders import Order
from ecomkit.ports import DomainEvent
from ecomkit.returns import Rma


_Aggregate: TypeAlias = Order | Rma | Product
_A = TypeVar("_A", Order, Rma, Product)


# ---------------------------------------------------------------------- kinds


@attrs.frozen(kw_only=True, weakref_slot=False)
class _Kind(Generic[_A]):
    """What the adapter needs to know about one kind of aggregate."""

    stream: EventStream
    cls: type[_A]
    field: str  # the parameter name used in errors: "order", "rma", "product"
    id_field: str  # the id parameter's name: "order_id", "return_id", "sku"
    identify: Callable[[_A], str]
    not_found: type[EntityNotFoundError]


_ORDERS: Final = _Kind(
    stream=EventStream.ORDER,
    cls=Order,
    field="order",
    id_field="order_id",
    identify=lambda order: order.order_id,
    not_found=OrderNotFoundError,
)
_RETURNS: Final = _Kind(
    stream=EventStream.RETURN,
    cls=Rma,
    field="rma",
    id_field="return_id",
    identify=lambda rma: rma.return_id,
    not_found=ReturnNotFoundError,
)
_PRODUCTS: Final = _Kind(
    stream=EventStream.PRODUCT,
    cls=Product,
    field="product",
    id_field="sku",
    identify=lambda product: product.sku,
    not_found=ProductNotFoundError,
)


def _check_limit(after: object, limit: object) -> tuple[int, int | None]:
    start = check_count(after, field="after")
    if limit is None:
        return start, None
    return start, check_count(limit, field="limit")


# The events a change appends to the log, as (version, event), given the new aggregate and
# the version it is based on; raises, before anything is buffered, when they do not fit.
_NewEvents: TypeAlias = Callable[[_A, int], list[tuple[int, DomainEvent]]]


def _carried_events(aggregate: Order | Rma, base: int) -> list[tuple[int, DomainEvent]]:
    """Orders and returns carry their log: the new events are those after *base*."""
    return [(event.version, event) for event in aggregate.events[base:]]


def _given_event(event: object) -> _NewEvents[Product]:
    """Products log the event they were stored with, if it is this change's record."""
    if event is not None and not isinstance(event, ProductEvent):
        check_product_event(event, None, base=0)  # raises the type error

    def events(product: Product, base: int) -> list[tuple[int, DomainEvent]]:
        if event is None:
            return []
        checked = check_product_event(event, product, base=base)
        version: int = getattr(checked, "version")  # noqa: B009 - checked to be an int above
        return [(version, checked)]

    return events


# ---------------------------------------------------------------------- committed storage


@attrs.define(kw_only=True, weakref_slot=False)
class _Change:
    """One aggregate's pending change in a unit: stored only if storage is still at *base*."""

    kind: _Kind[Order] | _Kind[Rma] | _Kind[Product]
    entity_id: str
    base: int
    value: _Aggregate


class _Tables:
    """The committed state of one store; every method takes the lock."""

    __slots__ = ("lock", "log", "rows")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: dict[EventStream, dict[str, _Aggregate]] = {stream: {} for stream in EventStream}
        self.log: list[StoredEvent] = []

    def read(self, stream: EventStream, entity_id: str) -> _Aggregate | None:
        with self.lock:
            return self.rows[stream].get(entity_id)

    def matching(self, stream: EventStream) -> list[_Aggregate]:
        with self.lock:
            return list(self.rows[stream].values())

    def commit(
        self,
        changes: Iterable[_Change],
        events: Iterable[tuple[EventStream, str, int, DomainEvent]],
    ) -> None:
        """Check every change's base version, then store all of them, or raise and store none."""
        pending = list(changes)
        with self.lock:
            for change in pending:
                stored = self.rows[change.kind.stream].get(change.entity_id)
                actual = 0 if stored is None else stored.version
                if actual != change.base:
                    raise VersionConflictError(
                        entity_id=change.entity_id, expected=change.base, actual=actual
                    )
            for change in pending:
                self.rows[change.kind.stream][change.entity_id] = change.value
            position = len(self.log)
            for stream, entity_id, version, event in events:
                position += 1
                self.log.append(
                    StoredEvent(
                        position=position,
                        stream=stream,
                        entity_id=entity_id,
                        version=version,
                        event=event,
                    )
                )

    def events(self, after: int, limit: int | None) -> tuple[StoredEvent, ...]:
        with self.lock:
            # Positions are 1, 2, 3 ...: the event at position p is at index p - 1.
            end = len(self.log) if limit is None else min(len(self.log), after + limit)
            return tuple(self.log[after:end])

    def counts(self) -> tuple[int, int, int, int]:
        with self.lock:
            return (
                len(self.rows[EventStream.ORDER]),
                len(self.rows[EventStream.RETURN]),
                len(self.rows[EventStream.PRODUCT]),
                len(self.log),
            )


# ---------------------------------------------------------------------- a unit's session


class _Session:
    """A unit's state: who entered it, its buffered changes and the events they bring."""

    __slots__ = ("changes", "entered", "events", "guard", "owner", "tables")

    def __init__(self, tables: _Tables) -> None:
        self.tables = tables
        self.guard = threading.Lock()
        self.entered = False
        self.owner: int | None = None
        # Keyed by (stream, id), in the order the unit first changed each aggregate.
        self.changes: dict[tuple[EventStream, str], _Change] = {}
        self.events: list[tuple[EventStream, str, int, DomainEvent]] = []

    # -- entering and leaving

    def enter(self) -> None:
        with self.guard:
            if self.entered:
                raise UnitOfWorkError(
                    "the unit is already entered; finish its with block first, or give "
                    "each thread its own unit"
                )
            self.entered = True
            self.owner = threading.get_ident()
            self.drop()

    def leave(self) -> None:
        with self.guard:
            self.drop()
            self.entered = False
            self.owner = None

    def check(self, action: str) -> None:
        """Refuse *action* outside a ``with`` block or from a thread that did not enter."""
        if not self.entered:
            raise UnitOfWorkError(f"{action} outside a with block; use `with uow:` first")
        if self.owner != threading.get_ident():
            raise UnitOfWorkError(
                f"{action} from another thread than the one that entered the unit; "
                "give each thread its own unit"
            )

    def drop(self) -> None:
        self.changes.clear()
        self.events.clear()

    # -- reading

    def current(self, kind: _Kind[_A], entity_id: str) -> _A | None:
        change = self.changes.get((kind.stream, entity_id))
        found = change.value if change is not None else self.tables.read(kind.stream, entity_id)
        if found is None:
            return None
        if not isinstance(found, kind.cls):  # pragma: no cover - rows are keyed by kind
            raise InvalidTypeError(field=kind.field, value=found, expected=kind.cls.__name__)
        return found

    def get(self, kind: _Kind[_A], entity_id: object) -> _A:
        self.check(f"{kind.field} get()")
        key = check_id(entity_id, field=kind.id_field)
        found = self.current(kind, key)
        if found is None:
            raise kind.not_found(key)
        return found

    def returns_of(self, order_id: object) -> tuple[Rma, ...]:
        self.check("returns for_order()")
        wanted = check_id(order_id, field="order_id")
        committed = self.tables.matching(EventStream.RETURN)
        pending = [change.value for change in self.changes.values()]
        found = {  # the unit's own changes come last, so they win
            rma.return_id: rma
            for rma in (*committed, *pending)
            if isinstance(rma, Rma) and rma.order_id == wanted
        }
        return tuple(found[return_id] for return_id in sorted(found))

    # -- writing

    def _typed(self, kind: _Kind[_A], value: object) -> _A:
        if not isinstance(value, kind.cls):
            raise InvalidTypeError(field=kind.field, value=value, expected=kind.cls.__name__)
        return value

    def add(self, kind: _Kind[_A], value: object, new_events: _NewEvents[_A]) -> None:
        self.check(f"{kind.field} add()")
        aggregate = self._typed(kind, value)
        if aggregate.version < 1:
            raise InvalidValueError(
                field="version", value=aggregate.version, reason="must be above 0 for add()"
            )
        entity_id = kind.identify(aggregate)
        existing = self.current(kind, entity_id)
        if existing is not None:
            raise VersionConflictError(entity_id=entity_id, expected=0, actual=existing.version)
        events = new_events(aggregate, 0)
        self.changes[kind.stream, entity_id] = _Change(
            kind=kind, entity_id=entity_id, base=0, value=aggregate
        )
        self.events.extend((kind.stream, entity_id, version, event) for version, event in events)

    def update(
        self,
        kind: _Kind[_A],
        value: object,
        expected_version: object,
        new_events: _NewEvents[_A],
    ) -> None:
        self.check(f"{kind.field} update()")
        aggregate = self._typed(kind, value)
        expected = check_count(expected_version, field="expected_version")
        if aggregate.version <= expected:
            raise InvalidValueError(
                field="version",
                value=aggregate.version,
                reason=f"must be above expected_version ({expected})",
            )
        entity_id = kind.identify(aggregate)
        existing = self.current(kind, entity_id)
        if existing is None:
            raise kind.not_found(entity_id)
        if existing.version != expected:
            raise VersionConflictError(
                entity_id=entity_id, expected=expected, actual=existing.version
            )
        events = new_events(aggregate, expected)
        change = self.changes.get((kind.stream, entity_id))
        if change is None:
            self.changes[kind.stream, entity_id] = _Change(
                kind=kind, entity_id=entity_id, base=expected, value=aggregate
            )
        else:  # several updates in one unit are one change, based on the first version
            change.value = aggregate
        self.events.extend((kind.stream, entity_id, version, event) for version, event in events)

    def commit(self) -> None:
        self.check("commit()")
        try:
            self.tables.commit(self.changes.values(), self.events)
        finally:
            self.drop()
