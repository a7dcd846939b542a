"""The ports implemented in process memory: a correct reference adapter, not a toy.

[`InMemoryUnitOfWork`][ecomkit.adapters.memory.InMemoryUnitOfWork] keeps orders, returns
and products in an [`InMemoryStore`][ecomkit.adapters.memory.InMemoryStore] shared by as
many units as you like, behind one lock. It follows the
[`UnitOfWork`][ecomkit.ports.UnitOfWork] contract to the letter: changes are buffered in
the unit and stored all at once by ``commit()``; versions are checked when a change is made
and again at commit, so of two units that change the same order only the first to commit
wins; every committed change appends its new events to an append-only log, read back
with [`events`][ecomkit.adapters.memory.InMemoryUnitOfWork.events]. It raises the same
errors a database-backed adapter must raise, which makes it the adapter of choice for unit
tests, notebooks and prototypes, and a model to compare your own adapter with.

What it does not do: keep anything once the process ends, or share storage between
processes. Aggregates are immutable, so they are kept as they are, not serialized.

[`InMemoryExchangeRates`][ecomkit.adapters.memory.InMemoryExchangeRates] is the
[`ExchangeRates`][ecomkit.ports.ExchangeRates] port over rates you add yourself.

Examples:
    >>> import pendulum
    >>> from ecomkit import Money
    >>> from ecomkit.orders import HoldOrder, LineSpec, OrderSpec, PlaceOrder, apply
    >>> spec = OrderSpec(order_id="o-1", channel="web", currency="EUR",
    ...     timezone="Europe/Berlin",
    ...     lines=[LineSpec(line_id="l1", sku="TEA", quantity=1, unit_price=Money("9", "EUR"))])
    >>> at = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Berlin")
    >>> order, _ = apply(None, PlaceOrder(key="k1", spec=spec), at=at)
    >>> store = InMemoryStore()
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     uow.orders.add(order)
    ...     uow.commit()
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     held, _ = apply(uow.orders.get("o-1"), HoldOrder(key="k2", reason="fraud check"),
    ...                     at=at)
    ...     uow.orders.update(held, expected_version=1)
    ...     uow.commit()
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     uow.orders.get("o-1").status.value
    'on_hold'
    >>> [(stored.position, type(stored.event).__name__) for stored in uow.events()]
    [(1, 'OrderPlaced'), (2, 'OrderHeld')]
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections.abc import Callable, Iterable
from decimal import Decimal
from types import TracebackType
from typing import TYPE_CHECKING, Final, Generic, Self, TypeAlias, TypeVar

import attrs

from ecomkit.adapters._log import EventStream, StoredEvent
from ecomkit.catalog import Product, ProductCreated, ProductEdited, ProductEvent
from ecomkit.errors import (
    EntityNotFoundError,
    ExchangeRateNotFoundError,
    InvalidRateError,
    InvalidTypeError,
    InvalidValueError,
    OrderNotFoundError,
    ProductNotFoundError,
    ReturnNotFoundError,
    UnitOfWorkError,
    VersionConflictError,
)
from ecomkit.money import Currency
from ecomkit.money._taxed import to_rate
from ecomkit.orders import Order
from ecomkit.ports import DomainEvent
from ecomkit.returns import Rma


__all__ = [
    "InMemoryExchangeRates",
    "InMemoryOrderRepository",
    "InMemoryProductRepository",
    "InMemoryReturnRepository",
    "InMemoryStore",
    "InMemoryUnitOfWork",
]

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


def _check_id(value: object, *, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidTypeError(field=field, value=value, expected="str")
    return value


def _check_version(value: object, *, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field=field, value=value, expected="int")
    if value < 0:
        raise InvalidValueError(field=field, value=value, reason="must not be negative")
    return value


def _check_limit(after: object, limit: object) -> tuple[int, int | None]:
    start = _check_version(after, field="after")
    if limit is None:
        return start, None
    return start, _check_version(limit, field="limit")


# The events a change appends to the log, as (version, event), given the new aggregate and
# the version it is based on; raises, before anything is buffered, when they do not fit.
_NewEvents: TypeAlias = Callable[[_A, int], list[tuple[int, DomainEvent]]]


def _carried_events(aggregate: Order | Rma, base: int) -> list[tuple[int, DomainEvent]]:
    """Orders and returns carry their log: the new events are those after *base*."""
    return [(event.version, event) for event in aggregate.events[base:]]


def _given_event(event: object) -> _NewEvents[Product]:
    """Products log the event they were stored with, if it is this change's record."""
    if event is not None and not isinstance(event, ProductCreated | ProductEdited):
        raise InvalidTypeError(
            field="event", value=event, expected="a ProductEvent (ProductCreated, ProductEdited)"
        )

    def events(product: Product, base: int) -> list[tuple[int, DomainEvent]]:
        if event is None:
            return []
        if event.sku != product.sku:
            raise InvalidValueError(
                field="event", value=event, reason=f"must be an event of {product.sku!r}"
            )
        if not base < event.version <= product.version:
            raise InvalidValueError(
                field="event",
                value=event,
                reason=f"its version must be above {base} and at most {product.version}",
            )
        return [(event.version, event)]

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


class InMemoryStore:
    """Committed orders, returns and products, and the event log, shared by units.

    A store is what a database is to a database-backed adapter: every
    [`InMemoryUnitOfWork`][ecomkit.adapters.memory.InMemoryUnitOfWork] made on the same
    store sees what the others committed. It is safe to share between threads; each thread
    uses its own unit. It lives as long as the process, no longer.

    Examples:
        >>> store = InMemoryStore()
        >>> store
        InMemoryStore(orders=0, returns=0, products=0, events=0)
    """

    __slots__ = ("_tables",)

    def __init__(self) -> None:
        self._tables = _Tables()

    def __repr__(self) -> str:
        orders, returns, products, events = self._tables.counts()
        return (
            f"InMemoryStore(orders={orders}, returns={returns}, "
            f"products={products}, events={events})"
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
        key = _check_id(entity_id, field=kind.id_field)
        found = self.current(kind, key)
        if found is None:
            raise kind.not_found(key)
        return found

    def returns_of(self, order_id: object) -> tuple[Rma, ...]:
        self.check("returns for_order()")
        wanted = _check_id(order_id, field="order_id")
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
        expected = _check_version(expected_version, field="expected_version")
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


# ---------------------------------------------------------------------- repositories


class InMemoryOrderRepository:
    """The orders as one unit of work sees them.

    Implements [`OrderRepository`][ecomkit.ports.OrderRepository]. An
    [`InMemoryUnitOfWork`][ecomkit.adapters.memory.InMemoryUnitOfWork] makes it; reach it
    as ``uow.orders`` inside the unit's ``with`` block.
    """

    __slots__ = ("_session",)

    def __init__(self, session: _Session) -> None:
        self._session = session

    def get(self, order_id: str) -> Order:
        """Return the order stored under *order_id*, or as this unit changed it.

        Raises:
            OrderNotFoundError: No order has this id.
            InvalidTypeError: *order_id* is not a string.
            UnitOfWorkError: Called outside the unit's block or from another thread.
        """
        return self._session.get(_ORDERS, order_id)

    def add(self, order: Order) -> None:
        """Store a new order when the unit commits.

        Raises:
            VersionConflictError: An order with this id is already stored (``expected=0``).
            InvalidTypeError: *order* is not an ``Order``.
            UnitOfWorkError: Called outside the unit's block or from another thread.
        """
        self._session.add(_ORDERS, order, _carried_events)

    def update(self, order: Order, *, expected_version: int) -> None:
        """Replace the order when the unit commits, if it is still at *expected_version*.

        Raises:
            OrderNotFoundError: No order has this id.
            VersionConflictError: The order is at another version.
            InvalidValueError: ``order.version`` is not above *expected_version*.
            InvalidTypeError: *order* is not an ``Order``, or the version not an ``int``.
            UnitOfWorkError: Called outside the unit's block or from another thread.
        """
        self._session.update(_ORDERS, order, expected_version, _carried_events)


class InMemoryReturnRepository:
    """The returns as one unit of work sees them.

    Implements [`ReturnRepository`][ecomkit.ports.ReturnRepository]. An
    [`InMemoryUnitOfWork`][ecomkit.adapters.memory.InMemoryUnitOfWork] makes it; reach it
    as ``uow.returns`` inside the unit's ``with`` block.
    """

    __slots__ = ("_session",)

    def __init__(self, session: _Session) -> None:
        self._session = session

    def get(self, return_id: str) -> Rma:
        """Return the return stored under *return_id*, or as this unit changed it.

        Raises:
            ReturnNotFoundError: No return has this id.
            InvalidTypeError: *return_id* is not a string.
            UnitOfWorkError: Called outside the unit's block or from another thread.
        """
        return self._session.get(_RETURNS, return_id)

    def add(self, rma: Rma) -> None:
        """Store a new return when the unit commits.

        Raises:
            VersionConflictError: A return with this id is already stored (``expected=0``).
            InvalidTypeError: *rma* is not an ``Rma``.
            UnitOfWorkError: Called outside the unit's block or from another thread.
        """
        self._session.add(_RETURNS, rma, _carried_events)

    def update(self, rma: Rma, *, expected_version: int) -> None:
        """Replace the return when the unit commits, if it is still at *expected_version*.

        Raises:
            ReturnNotFoundError: No return has this id.
            VersionConflictError: The return is at another version.
            InvalidValueError: ``rma.version`` is not above *expected_version*.
            InvalidTypeError: *rma* is not an ``Rma``, or the version not an ``int``.
            UnitOfWorkError: Called outside the unit's block or from another thread.
        """
        self._session.update(_RETURNS, rma, expected_version, _carried_events)

    def for_order(self, order_id: str) -> tuple[Rma, ...]:
        """Return the returns of an order, sorted by return id, this unit's changes included.

        Raises:
            InvalidTypeError: *order_id* is not a string.
            UnitOfWorkError: Called outside the unit's block or from another thread.
        """
        return self._session.returns_of(order_id)


class InMemoryProductRepository:
    """The products as one unit of work sees them.

    Implements [`ProductRepository`][ecomkit.ports.ProductRepository]. An
    [`InMemoryUnitOfWork`][ecomkit.adapters.memory.InMemoryUnitOfWork] makes it; reach it
    as ``uow.products`` inside the unit's ``with`` block.
    """

    __slots__ = ("_session",)

    def __init__(self, session: _Session) -> None:
        self._session = session

    def get(self, sku: str) -> Product:
        """Return the product stored under *sku*, or as this unit changed it.

        Raises:
            ProductNotFoundError: No product has this SKU.
            InvalidTypeError: *sku* is not a string.
            UnitOfWorkError: Called outside the unit's block or from another thread.
        """
        return self._session.get(_PRODUCTS, sku)

    def add(self, product: Product, *, event: ProductEvent | None = None) -> None:
        """Store a new product, and *event* in the log, when the unit commits.

        Raises:
            VersionConflictError: A product with this SKU is already stored (``expected=0``).
            InvalidValueError: *event* is not this product's creation (another SKU or
                version).
            InvalidTypeError: *product* is not a ``Product``, or *event* not a product event.
            UnitOfWorkError: Called outside the unit's block or from another thread.
        """
        self._session.add(_PRODUCTS, product, _given_event(event))

    def update(
        self, product: Product, *, expected_version: int, event: ProductEvent | None = None
    ) -> None:
        """Replace the product, and log *event*, if it is still at *expected_version*.

        Raises:
            ProductNotFoundError: No product has this SKU.
            VersionConflictError: The product is at another version.
            InvalidValueError: ``product.version`` is not above *expected_version*, or
                *event* is not this change's record (another SKU, a version outside it).
            InvalidTypeError: *product* is not a ``Product``, *event* not a product event,
                or the version not an ``int``.
            UnitOfWorkError: Called outside the unit's block or from another thread.
        """
        self._session.update(_PRODUCTS, product, expected_version, _given_event(event))


# ---------------------------------------------------------------------- the unit of work


class InMemoryUnitOfWork:
    """A unit of work over an [`InMemoryStore`][ecomkit.adapters.memory.InMemoryStore].

    Implements [`UnitOfWork`][ecomkit.ports.UnitOfWork]: changes made through
    ``uow.orders``, ``uow.returns`` and ``uow.products`` are buffered in the unit, visible
    to its own reads, and stored together by ``commit()``, after every version was checked
    again under the store's lock; a conflict stores nothing of the unit. Leaving the block
    without committing, or ``rollback()``, drops them. After a commit the unit goes on
    inside the same block with an empty buffer.

    A unit may be entered again once its block has ended, but only by one block at a time
    and only from the thread that entered it; each thread uses its own unit on the shared
    store.

    Args:
        store: The storage to work on; by default a new, empty store of the unit's own.

    Raises:
        InvalidTypeError: *store* is not an ``InMemoryStore``.
    """

    __slots__ = ("_orders", "_products", "_returns", "_session", "_store")

    def __init__(self, store: InMemoryStore | None = None) -> None:
        if store is None:
            store = InMemoryStore()
        elif not isinstance(store, InMemoryStore):
            raise InvalidTypeError(field="store", value=store, expected="InMemoryStore or None")
        self._store = store
        self._session = _Session(store._tables)  # noqa: SLF001 - the store's own module
        self._orders = InMemoryOrderRepository(self._session)
        self._returns = InMemoryReturnRepository(self._session)
        self._products = InMemoryProductRepository(self._session)

    @property
    def store(self) -> InMemoryStore:
        """The storage this unit works on."""
        return self._store

    @property
    def orders(self) -> InMemoryOrderRepository:
        """The orders, as this unit sees them.

        Raises:
            UnitOfWorkError: Outside the unit's block or from another thread.
        """
        self._session.check("uow.orders")
        return self._orders

    @property
    def returns(self) -> InMemoryReturnRepository:
        """The returns, as this unit sees them.

        Raises:
            UnitOfWorkError: Outside the unit's block or from another thread.
        """
        self._session.check("uow.returns")
        return self._returns

    @property
    def products(self) -> InMemoryProductRepository:
        """The products, as this unit sees them.

        Raises:
            UnitOfWorkError: Outside the unit's block or from another thread.
        """
        self._session.check("uow.products")
        return self._products

    def __enter__(self) -> Self:
        """Start the unit's block, in the calling thread.

        Raises:
            UnitOfWorkError: The unit is already entered.
        """
        self._session.enter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Drop what was not committed and end the block; never swallows exceptions."""
        self._session.leave()

    def commit(self) -> None:
        """Store every change made since the block started or since the last commit.

        The buffer is empty afterwards, whether the commit succeeded or not.

        Raises:
            VersionConflictError: Another unit stored a newer version first; nothing of
                this unit is stored.
            UnitOfWorkError: Outside the unit's block or from another thread.
        """
        self._session.commit()

    def rollback(self) -> None:
        """Discard every change made since the block started or since the last commit.

        Raises:
            UnitOfWorkError: Outside the unit's block or from another thread.
        """
        self._session.check("rollback()")
        self._session.drop()

    def events(self, *, after: int = 0, limit: int | None = None) -> tuple[StoredEvent, ...]:
        """Return committed events from the store's log, oldest first.

        Works inside and outside a block, from any thread; uncommitted changes are never
        in it.

        Args:
            after: Skip the events up to this position (0 reads from the start).
            limit: Return at most this many events; ``None`` for all.

        Returns:
            The events at positions ``after + 1``, ``after + 2`` ...

        Raises:
            InvalidTypeError: *after* or *limit* is not an ``int``.
            InvalidValueError: *after* or *limit* is negative.
        """
        start, most = _check_limit(after, limit)
        return self._session.tables.events(start, most)

    def __repr__(self) -> str:
        state = "entered" if self._session.entered else "idle"
        return f"InMemoryUnitOfWork({state}, {self._store!r})"


# ---------------------------------------------------------------------- exchange rates


def _currency(value: object, *, field: str) -> Currency:
    if not isinstance(value, str | Currency):
        raise InvalidTypeError(field=field, value=value, expected="a currency code or Currency")
    return Currency(value)


def _day(value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidTypeError(field="on", value=value, expected="datetime.date (not a datetime)")
    return value


def _positive_rate(value: object) -> Decimal:
    rate = to_rate(value, field="rate")
    if rate.is_zero():
        raise InvalidRateError(field="rate", value=value, reason="must be positive")
    return rate


class InMemoryExchangeRates:
    """Exchange rates you add, looked up like central-bank reference rates.

    Implements [`ExchangeRates`][ecomkit.ports.ExchangeRates]: the rate in force on a day
    is the one added for that day or, when there is none (a weekend, a holiday), the
    latest one before it. Only the pairs added are known: no inverse or cross rates are
    worked out, since those would not be exact. Adding a rate for a pair and day that
    already has one replaces it (a correction). Safe to share between threads.

    Args:
        rates: Rates to start with, as ``(base, quote, day, rate)`` tuples.

    Raises:
        InvalidTypeError: An item of *rates* is not such a tuple, or holds a wrong type.
        InvalidRateError: A rate is not a positive decimal.
        FloatNotAllowedError: A rate is a float.
        UnknownCurrencyError: A code is not an ISO 4217 currency.

    Examples:
        >>> import datetime as dt
        >>> rates = InMemoryExchangeRates([("EUR", "PLN", dt.date(2026, 3, 6), "4.2617")])
        >>> rates.rate("EUR", "PLN", on=dt.date(2026, 3, 8))  # a Sunday: Friday's rate
        Decimal('4.2617')
        >>> rates.rate("PLN", "PLN", on=dt.date(2026, 3, 8))
        Decimal('1')
    """

    __slots__ = ("_lock", "_pairs")

    def __init__(self, rates: Iterable[tuple[str, str, dt.date, Decimal | str]] = ()) -> None:
        self._lock = threading.Lock()
        # Per pair: the days with a rate, sorted, and the rate of each day.
        self._pairs: dict[tuple[Currency, Currency], tuple[list[dt.date], dict[dt.date, Decimal]]]
        self._pairs = {}
        given: object = rates  # checked at run time: hosts may pass anything
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise InvalidTypeError(
                field="rates", value=given, expected="an iterable of (base, quote, day, rate)"
            )
        for item in given:
            if not isinstance(item, tuple) or len(item) != 4:  # noqa: PLR2004 - the four fields
                raise InvalidTypeError(
                    field="rates", value=item, expected="a (base, quote, day, rate) tuple"
                )
            base, quote, on, rate = item
            self.add(base, quote, on=on, rate=rate)

    def add(
        self, base: Currency | str, quote: Currency | str, *, on: dt.date, rate: Decimal | str
    ) -> None:
        """Record that one *base* was worth *rate* *quote* on the day *on*.

        Args:
            base: The currency converted from.
            quote: The currency converted to.
            on: The day the rate was published for.
            rate: Units of *quote* per unit of *base*: a positive ``Decimal`` or decimal
                string (an ``int`` will do).

        Raises:
            InvalidValueError: *quote* is *base* (its rate is always 1).
            InvalidRateError: *rate* is not a positive decimal.
            FloatNotAllowedError: *rate* is a float.
            InvalidTypeError: A currency or *on* has the wrong type.
            UnknownCurrencyError: A code is not an ISO 4217 currency.
        """
        source = _currency(base, field="base")
        target = _currency(quote, field="quote")
        day = _day(on)
        value = _positive_rate(rate)
        if source == target:
            raise InvalidValueError(
                field="quote",
                value=target.code,
                reason="is the base currency; a currency's rate to itself is always 1",
            )
        with self._lock:
            days, by_day = self._pairs.setdefault((source, target), ([], {}))
            if day not in by_day:
                bisect.insort(days, day)
            by_day[day] = value

    def rate(self, base: Currency | str, quote: Currency | str, *, on: dt.date) -> Decimal:
        """Return the rate from *base* to *quote* in force on *on*.

        Args:
            base: The currency converted from.
            quote: The currency converted to.
            on: The day.

        Returns:
            The rate added for *on* or else for the latest day before it; exactly
            ``Decimal(1)`` when *base* and *quote* are the same currency.

        Raises:
            ExchangeRateNotFoundError: No rate for the pair is known on or before *on*.
            UnknownCurrencyError: A code is not an ISO 4217 currency.
            InvalidTypeError: A currency or *on* has the wrong type.
        """
        source = _currency(base, field="base")
        target = _currency(quote, field="quote")
        day = _day(on)
        if source == target:
            return Decimal(1)
        with self._lock:
            found = self._pairs.get((source, target))
            if found is not None:
                days, by_day = found
                index = bisect.bisect_right(days, day)
                if index:
                    return by_day[days[index - 1]]
        raise ExchangeRateNotFoundError(base=source.code, quote=target.code, on=day)

    def __repr__(self) -> str:
        with self._lock:
            count = sum(len(days) for days, _ in self._pairs.values())
            pairs = len(self._pairs)
        return f"InMemoryExchangeRates(pairs={pairs}, rates={count})"


if TYPE_CHECKING:  # mypy --strict checks that the classes implement the ports structurally
    from ecomkit.ports import (
        ExchangeRates,
        OrderRepository,
        ProductRepository,
        ReturnRepository,
        UnitOfWork,
    )

    def _conforms(
        uow: InMemoryUnitOfWork, rates: InMemoryExchangeRates
    ) -> tuple[UnitOfWork, OrderRepository, ReturnRepository, ProductRepository, ExchangeRates]:
        return uow, uow.orders, uow.returns, uow.products, rates
