"""The ports' storage half on a SQLite file, with the standard library's ``sqlite3`` only.

[`SqliteUnitOfWork`][ecomkit.adapters.sqlite.SqliteUnitOfWork] implements the
[`UnitOfWork`][ecomkit.ports.UnitOfWork] protocol and its three repositories on one SQLite
file. It is meant for prototypes, notebooks, the demo and small single-machine
deployments: several threads and several processes on one machine may share the file,
each with its own unit. It is not a network database; do not put the file on a network
share.

**Schema.** One table per aggregate kind holds each aggregate as a JSON document written by
[`to_json`][ecomkit.serialization.to_json] next to its version and a few query columns:
``orders(order_id, version, status, placed_at, customer_id, document)``,
``returns(return_id, order_id, version, status, document)`` (indexed by ``order_id``) and
``products(sku, version, product_type, document)``. Times in query columns are UTC ISO 8601
text, so they sort. ``events(position, stream, entity_id, version, type, at, document)`` is
the append-only log of every committed domain event; triggers abort any ``UPDATE`` or
``DELETE`` on it, and ``(stream, entity_id, version)`` is unique. The schema version is kept
in ``PRAGMA user_version`` (see [`SCHEMA_VERSION`][ecomkit.adapters.sqlite.SCHEMA_VERSION]);
[`migrate`][ecomkit.adapters.sqlite.migrate] creates or upgrades a file step by step and
refuses a file written by a newer ecomkit.

**Concurrency.** Optimistic: every aggregate carries a version, and a change names the
version it was based on. Writes are buffered in the unit; reads see committed rows overlaid
with the unit's own buffer. ``commit()`` is one short ``BEGIN IMMEDIATE`` transaction that
re-checks every version (``UPDATE ... WHERE version = ?``), writes the documents, appends the
events and commits, so no write lock is held while a service talks to a payment gateway.
Writers queue for at most the unit's ``timeout``; thanks to write-ahead logging (WAL),
readers never wait for writers. A unit belongs to the thread that entered it.

**Crash safety.** Each commit is a single SQLite transaction with ``synchronous=FULL``:
after a crash, power loss included, the file holds every committed unit completely and
nothing of the others. A process dying inside a ``with`` block never wrote anything, since
writes wait in memory until ``commit()``.

Examples:
    >>> import pathlib, tempfile
    >>> import pendulum
    >>> from ecomkit import Money
    >>> from ecomkit.orders import HoldOrder, LineSpec, OrderSpec, PlaceOrder, apply
    >>> folder = tempfile.TemporaryDirectory()
    >>> uow = SqliteUnitOfWork(pathlib.Path(folder.name) / "shop.db")
    >>> spec = OrderSpec(order_id="o-1", channel="web", currency="EUR",
    ...     timezone="Europe/Berlin",
    ...     lines=[LineSpec(line_id="l1", sku="TEA", quantity=1, unit_price=Money("4.50", "EUR"))])
    >>> at = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Berlin")
    >>> order, _ = apply(None, PlaceOrder(key="k1", spec=spec), at=at)
    >>> with uow:
    ...     uow.orders.add(order)
    ...     uow.commit()
    >>> with uow:
    ...     order = uow.orders.get("o-1")
    ...     held, _ = apply(order, HoldOrder(key="k2", reason="address check"), at=at)
    ...     uow.orders.update(held, expected_version=order.version)
    ...     uow.commit()
    >>> [(e.position, e.entity_id, e.version, type(e.event).__name__) for e in uow.events()]
    [(1, 'o-1', 1, 'OrderPlaced'), (2, 'o-1', 2, 'OrderHeld')]
    >>> uow.close()
    >>> folder.cleanup()
"""

from __future__ import annotations

import math
import os
import pathlib
import sqlite3
import threading
import weakref
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self, TypeVar

from ecomkit.adapters._log import EventStream, StoredEvent
from ecomkit.adapters._sqlite_schema import (
    INSERT_EVENT,
    ORDERS,
    PRODUCTS,
    RETURNS,
    RETURNS_OF_ORDER,
    SELECT_EVENTS,
    Kind,
    connect,
    storage_error,
    upgrade,
    utc_text,
)
from ecomkit.catalog import Product, ProductEvent
from ecomkit.errors import (
    DataValidationError,
    InvalidTypeError,
    InvalidValueError,
    StorageError,
    UnitOfWorkError,
    VersionConflictError,
)
from ecomkit.orders import Order, OrderEvent
from ecomkit.ports import DomainEvent
from ecomkit.returns import ReturnEvent, Rma
from ecomkit.serialization import from_json, to_json


__all__ = [
    "SCHEMA_VERSION",
    "SqliteOrderRepository",
    "SqliteProductRepository",
    "SqliteReturnRepository",
    "SqliteUnitOfWork",
    "migrate",
]

SCHEMA_VERSION: Final = 1
"""The schema version this ecomkit writes and reads (kept in ``PRAGMA user_version``)."""

_A = TypeVar("_A")
_DEFAULT_TIMEOUT: Final = 30.0
_MEMORY_PATHS: Final = frozenset({"", ":memory:"})
_EVENT_BASES: Final[dict[EventStream, type[Any]]] = {
    EventStream.ORDER: OrderEvent,
    EventStream.RETURN: ReturnEvent,
    EventStream.PRODUCT: ProductEvent,
}


# ---------------------------------------------------------------------- checks and helpers


def _check_path(path: object) -> pathlib.Path:
    """Return *path* as an absolute path, refusing what cannot be a shared database file."""
    if not isinstance(path, str | os.PathLike):
        raise InvalidTypeError(field="path", value=path, expected="str or os.PathLike[str]")
    text = os.fspath(path)
    if not isinstance(text, str):
        raise InvalidTypeError(field="path", value=path, expected="str or os.PathLike[str]")
    if text.strip() in _MEMORY_PATHS or text.startswith("file::memory:"):
        raise InvalidValueError(
            field="path",
            value=path,
            reason=(
                "must name a file: every SQLite connection to an in-memory or empty path sees "
                "a database of its own; use ecomkit.adapters.memory.InMemoryUnitOfWork instead"
            ),
        )
    return pathlib.Path(text).absolute()


def _check_timeout(timeout: object) -> float:
    """Return *timeout* as seconds, refusing anything but a finite number >= 0."""
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise InvalidTypeError(field="timeout", value=timeout, expected="a number of seconds")
    if not math.isfinite(timeout) or timeout < 0:
        raise InvalidValueError(
            field="timeout", value=timeout, reason="must be a finite number of seconds >= 0"
        )
    return float(timeout)


def _check_count(value: object, *, field: str) -> int:
    """Return *value* if it is an ``int`` >= 0 (not a ``bool``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field=field, value=value, expected="int")
    if value < 0:
        raise InvalidValueError(field=field, value=value, reason="must be >= 0")
    return value


def _check_id(value: object, *, field: str) -> str:
    """Return *value* if it is a ``str``."""
    if not isinstance(value, str):
        raise InvalidTypeError(field=field, value=value, expected="str")
    return value


def migrate(path: str | os.PathLike[str], *, timeout: float = _DEFAULT_TIMEOUT) -> int:
    """Create the schema in the SQLite file at *path*, or upgrade it, and switch on WAL.

    The file is created when it does not exist. A file that is already current is only
    read; missing steps run in one transaction, so concurrent callers upgrade it once.
    [`SqliteUnitOfWork`][ecomkit.adapters.sqlite.SqliteUnitOfWork] calls it when built.

    Args:
        path: The database file.
        timeout: How long to wait, in seconds, for another process that holds the file.

    Returns:
        The file's schema version, [`SCHEMA_VERSION`][ecomkit.adapters.sqlite.SCHEMA_VERSION].

    Raises:
        InvalidValueError: *path* is empty or ``":memory:"``, or *timeout* is negative.
        InvalidTypeError: *path* is not a path, or *timeout* not a number.
        StorageError: The file is not a SQLite database, belongs to another application,
            was written by a newer ecomkit, or cannot be opened.
    """
    target = _check_path(path)
    seconds = _check_timeout(timeout)
    location = str(target)
    try:
        connection = connect(target, timeout=seconds)
    except sqlite3.Error as error:
        raise storage_error(error, location=location, timeout=seconds) from error
    try:
        version = upgrade(connection, location=location, supported=SCHEMA_VERSION)
        connection.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:
        raise storage_error(error, location=location, timeout=seconds) from error
    finally:
        connection.close()
    return version


class _Change:
    """One aggregate's buffered change: the latest state and what it was based on."""

    __slots__ = ("aggregate", "base", "is_new", "kind", "product_events")

    def __init__(self, kind: Kind[Any], aggregate: Any, *, base: int, is_new: bool) -> None:
        self.kind = kind
        self.aggregate = aggregate
        self.base = base
        self.is_new = is_new
        self.product_events: list[DomainEvent] = []

    def entity_id(self) -> str:
        """Return the aggregate's id."""
        return self.kind.identify(self.aggregate)

    def new_events(self) -> tuple[DomainEvent, ...]:
        """Return the events this change appends to the log."""
        if self.kind.stream is EventStream.PRODUCT:
            return tuple(self.product_events)
        events: tuple[DomainEvent, ...] = self.aggregate.events[self.base :]
        return events


def _close_quietly(box: list[sqlite3.Connection]) -> None:
    """Close the connection in *box*, if any (also run when a unit is garbage-collected)."""
    while box:
        box.pop().close()


# ---------------------------------------------------------------------- the session


class _Session:
    """The state a unit shares with its repositories: connection, owner thread, buffer."""

    def __init__(self, path: pathlib.Path, *, timeout: float, owner_of: object) -> None:
        self.path = path
        self.timeout = timeout
        self.lock = threading.RLock()
        self.owner: int | None = None
        self.buffer: dict[tuple[EventStream, str], _Change] = {}
        self.box: list[sqlite3.Connection] = []
        weakref.finalize(owner_of, _close_quietly, self.box)

    # ------------------------------------------------------------ guards

    def require_block(self) -> None:
        """Refuse use outside a ``with`` block or from a thread that did not enter it."""
        owner = self.owner
        if owner is None:
            raise UnitOfWorkError(
                "its repositories, commit() and rollback() are used inside a `with` block"
            )
        if owner != threading.get_ident():
            raise UnitOfWorkError(
                "it was entered in another thread; give each thread a unit of its own"
            )

    # ------------------------------------------------------------ the connection

    def error(self, error: sqlite3.Error, *, table: str | None = None) -> StorageError:
        """Translate *error*, naming the file (and *table*, if given)."""
        location = f"table {table} in {self.path}" if table else str(self.path)
        return storage_error(error, location=location, timeout=self.timeout)

    def connection(self) -> sqlite3.Connection:
        """Return the unit's connection, opening it on first use."""
        if not self.box:
            try:
                self.box.append(connect(self.path, timeout=self.timeout))
            except sqlite3.Error as error:
                raise self.error(error) from error
        return self.box[0]

    def query(self, sql: str, parameters: tuple[object, ...]) -> list[Any]:
        """Run one autocommit ``SELECT`` and return its rows."""
        with self.lock:
            try:
                return self.connection().execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                raise self.error(error) from error

    def close(self) -> None:
        """Close the connection; the next use opens a new one."""
        with self.lock:
            _close_quietly(self.box)

    # ------------------------------------------------------------ reading

    def decode(self, kind: Kind[_A], entity_id: str, version: int, document: str) -> _A:
        """Build an aggregate from its stored row, or raise ``StorageError``."""
        location = f"table {kind.table} in {self.path}"
        try:
            aggregate = from_json(document, kind.cls)
        except DataValidationError as error:
            problems = "; ".join(error.messages())
            raise StorageError(
                location=location,
                reason=(
                    f"the document of {entity_id!r} cannot be read ({problems}); "
                    "restore the row from a backup"
                ),
            ) from error
        found = kind.identify(aggregate)
        stored = getattr(aggregate, "version", None)
        if found != entity_id or stored != version:
            raise StorageError(
                location=location,
                reason=(
                    f"the row {entity_id!r} at version {version} holds the document of "
                    f"{found!r} at version {stored}; restore the row from a backup"
                ),
            )
        return aggregate

    def committed_version(self, kind: Kind[Any], entity_id: str) -> int | None:
        """Return the committed version of an aggregate, or ``None`` when it is unknown."""
        rows = self.query(kind.version, (entity_id,))
        return int(rows[0][0]) if rows else None

    def get(self, kind: Kind[_A], entity_id: object) -> _A:
        """Return an aggregate as the unit sees it (its buffer, else committed storage)."""
        self.require_block()
        key = _check_id(entity_id, field=kind.id_field)
        change = self.buffer.get((kind.stream, key))
        if change is not None:
            aggregate: _A = change.aggregate
            return aggregate
        rows = self.query(kind.select, (key,))
        if not rows:
            raise kind.not_found(key)
        version, document = rows[0]
        return self.decode(kind, key, int(version), document)

    def returns_of(self, order_id: object) -> tuple[Rma, ...]:
        """Return an order's returns as the unit sees them, sorted by return id."""
        self.require_block()
        key = _check_id(order_id, field="order_id")
        found = {
            return_id: self.decode(RETURNS, return_id, int(version), document)
            for return_id, version, document in self.query(RETURNS_OF_ORDER, (key,))
        }
        for (stream, entity_id), change in self.buffer.items():
            if stream is EventStream.RETURN and change.aggregate.order_id == key:
                found[entity_id] = change.aggregate
        return tuple(found[return_id] for return_id in sorted(found))

    # ------------------------------------------------------------ writing

    def stage(
        self,
        kind: Kind[Any],
        aggregate: object,
        *,
        expected: object | None,
        event: object | None = None,
    ) -> None:
        """Check a change against what the unit sees and buffer it (``expected=None``: add)."""
        self.require_block()
        if not isinstance(aggregate, kind.cls):
            raise InvalidTypeError(field=kind.field, value=aggregate, expected=kind.cls.__name__)
        base = 0 if expected is None else _check_count(expected, field="expected_version")
        version = getattr(aggregate, "version", None)
        if not isinstance(version, int) or version <= base:
            raise InvalidValueError(
                field="version",
                value=version,
                reason=f"must be above the expected version {base}",
            )
        checked = None if event is None else _check_product_event(event, aggregate, base=base)
        entity_id = kind.identify(aggregate)
        key = (kind.stream, entity_id)
        with self.lock:
            change = self.buffer.get(key)
            if change is not None:
                current: int | None = change.aggregate.version
            else:
                current = self.committed_version(kind, entity_id)
            if expected is None:
                if current is not None:
                    raise VersionConflictError(entity_id=entity_id, expected=0, actual=current)
            elif current is None:
                raise kind.not_found(entity_id)
            elif current != base:
                raise VersionConflictError(entity_id=entity_id, expected=base, actual=current)
            if change is None:
                change = _Change(kind, aggregate, base=base, is_new=expected is None)
                self.buffer[key] = change
            change.aggregate = aggregate
            if checked is not None:
                change.product_events.append(checked)

    def commit(self, step: Callable[[str], None]) -> None:
        """Store the buffer in one transaction; *step* is called before each stage."""
        self.require_block()
        with self.lock:
            changes = list(self.buffer.values())
            self.buffer.clear()
            if not changes:
                return
            connection = self.connection()
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise self.error(error) from error
            try:
                step("documents")
                for change in changes:
                    self._write_document(connection, change)
                step("events")
                for change in changes:
                    self._append_events(connection, change)
                step("commit")
                connection.execute("COMMIT")
            except sqlite3.Error as error:
                _roll_back(connection)
                raise self.error(error) from error
            except BaseException:
                _roll_back(connection)
                raise

    def _write_document(self, connection: sqlite3.Connection, change: _Change) -> None:
        """Insert or update one document, checking its version in the statement."""
        kind = change.kind
        aggregate = change.aggregate
        entity_id = change.entity_id()
        document = to_json(aggregate)
        columns = kind.columns(aggregate)
        if change.is_new:
            try:
                connection.execute(kind.insert, (entity_id, aggregate.version, *columns, document))
            except sqlite3.IntegrityError as error:
                row = connection.execute(kind.version, (entity_id,)).fetchone()
                if row is None:
                    raise self.error(error, table=kind.table) from error
                raise VersionConflictError(
                    entity_id=entity_id, expected=0, actual=int(row[0])
                ) from None
            return
        cursor = connection.execute(
            kind.update, (aggregate.version, *columns, document, entity_id, change.base)
        )
        if cursor.rowcount == 1:
            return
        row = connection.execute(kind.version, (entity_id,)).fetchone()
        if row is None:
            raise kind.not_found(entity_id)
        raise VersionConflictError(entity_id=entity_id, expected=change.base, actual=int(row[0]))

    def _append_events(self, connection: sqlite3.Connection, change: _Change) -> None:
        """Append a change's new events to the log."""
        entity_id = change.entity_id()
        stream = change.kind.stream
        for event in change.new_events():
            version = getattr(event, "version", None)
            row = (
                stream.value,
                entity_id,
                version,
                type(event).__name__,
                utc_text(getattr(event, "at", None)),
                to_json(event),
            )
            try:
                connection.execute(INSERT_EVENT, row)
            except sqlite3.IntegrityError as error:
                raise StorageError(
                    location=f"table events in {self.path}",
                    reason=(
                        f"the log already holds version {version} of {stream.value} "
                        f"{entity_id!r}, or the event has no version or time ({error}); "
                        "the documents and the event log disagree"
                    ),
                ) from error

    def events(self, *, after: object, limit: object) -> tuple[StoredEvent, ...]:
        """Read the committed event log (any thread, inside a block or not)."""
        start = _check_count(after, field="after")
        count = -1 if limit is None else _check_count(limit, field="limit")
        stored: list[StoredEvent] = []
        for position, stream, entity_id, version, document in self.query(
            SELECT_EVENTS, (start, count)
        ):
            kind = EventStream(stream)
            try:
                event = from_json(document, _EVENT_BASES[kind])
            except DataValidationError as error:
                raise StorageError(
                    location=f"table events in {self.path}",
                    reason=(
                        f"the event at position {position} cannot be read "
                        f"({'; '.join(error.messages())}); restore it from a backup"
                    ),
                ) from error
            stored.append(
                StoredEvent(
                    position=int(position),
                    stream=kind,
                    entity_id=entity_id,
                    version=int(version),
                    event=event,
                )
            )
        return tuple(stored)


def _check_product_event(event: object, product: object, *, base: int) -> ProductEvent:
    """Refuse an event that is not the record of this product's change."""
    if not isinstance(event, ProductEvent):
        raise InvalidTypeError(
            field="event", value=event, expected="a ProductEvent (ProductCreated, ProductEdited)"
        )
    sku = getattr(product, "sku", None)
    version = getattr(product, "version", 0)
    if getattr(event, "sku", None) != sku:
        raise InvalidValueError(field="event", value=event, reason=f"must be an event of {sku!r}")
    event_version = getattr(event, "version", None)
    if not isinstance(event_version, int) or not base < event_version <= version:
        raise InvalidValueError(
            field="event",
            value=event,
            reason=f"its version must be above {base} and at most the product's {version}",
        )
    return event


def _roll_back(connection: sqlite3.Connection) -> None:
    """Roll back the open transaction, if SQLite has not done so already."""
    if connection.in_transaction:
        try:
            connection.execute("ROLLBACK")
        except sqlite3.Error:  # pragma: no cover - the connection is beyond repair
            connection.close()


# ---------------------------------------------------------------------- public classes


class SqliteOrderRepository:
    """The orders of a [`SqliteUnitOfWork`][ecomkit.adapters.sqlite.SqliteUnitOfWork].

    Reach it as ``uow.orders`` inside the unit's ``with`` block; the unit builds it. It
    follows the [`OrderRepository`][ecomkit.ports.OrderRepository] contract: reads see
    committed orders overlaid with the unit's own changes, writes wait for ``commit()``.
    """

    __slots__ = ("_session",)

    def __init__(self, session: _Session) -> None:
        self._session = session

    def get(self, order_id: str) -> Order:
        """Return the order stored under *order_id*, as this unit sees it.

        Raises:
            OrderNotFoundError: No order has this id.
            StorageError: The stored document cannot be read.
            UnitOfWorkError: Used outside the unit's block or from another thread.
        """
        return self._session.get(ORDERS, order_id)

    def add(self, order: Order) -> None:
        """Store a new order when the unit commits.

        Raises:
            VersionConflictError: An order with this id is already stored (``expected=0``).
            InvalidTypeError: *order* is not an ``Order``.
            UnitOfWorkError: Used outside the unit's block or from another thread.
        """
        self._session.stage(ORDERS, order, expected=None)

    def update(self, order: Order, *, expected_version: int) -> None:
        """Replace the stored order, which must still be at *expected_version*, on commit.

        The version is checked now against what the unit sees and again in ``commit()``.

        Raises:
            OrderNotFoundError: No order has this id.
            VersionConflictError: The order is at another version.
            InvalidValueError: ``order.version`` is not above *expected_version*.
            InvalidTypeError: *order* is not an ``Order``.
            UnitOfWorkError: Used outside the unit's block or from another thread.
        """
        self._session.stage(ORDERS, order, expected=expected_version)


class SqliteReturnRepository:
    """The returns (RMAs) of a [`SqliteUnitOfWork`][ecomkit.adapters.sqlite.SqliteUnitOfWork].

    Reach it as ``uow.returns``; it follows the
    [`ReturnRepository`][ecomkit.ports.ReturnRepository] contract.
    """

    __slots__ = ("_session",)

    def __init__(self, session: _Session) -> None:
        self._session = session

    def get(self, return_id: str) -> Rma:
        """Return the return stored under *return_id*, as this unit sees it.

        Raises:
            ReturnNotFoundError: No return has this id.
            StorageError: The stored document cannot be read.
            UnitOfWorkError: Used outside the unit's block or from another thread.
        """
        return self._session.get(RETURNS, return_id)

    def add(self, rma: Rma) -> None:
        """Store a new return when the unit commits.

        Raises:
            VersionConflictError: A return with this id is already stored (``expected=0``).
            InvalidTypeError: *rma* is not an ``Rma``.
            UnitOfWorkError: Used outside the unit's block or from another thread.
        """
        self._session.stage(RETURNS, rma, expected=None)

    def update(self, rma: Rma, *, expected_version: int) -> None:
        """Replace the stored return, which must still be at *expected_version*, on commit.

        Raises:
            ReturnNotFoundError: No return has this id.
            VersionConflictError: The return is at another version.
            InvalidValueError: ``rma.version`` is not above *expected_version*.
            InvalidTypeError: *rma* is not an ``Rma``.
            UnitOfWorkError: Used outside the unit's block or from another thread.
        """
        self._session.stage(RETURNS, rma, expected=expected_version)

    def for_order(self, order_id: str) -> tuple[Rma, ...]:
        """Return the returns of an order, sorted by return id (empty when there are none).

        Raises:
            StorageError: A stored document cannot be read.
            UnitOfWorkError: Used outside the unit's block or from another thread.
        """
        return self._session.returns_of(order_id)


class SqliteProductRepository:
    """The products of a [`SqliteUnitOfWork`][ecomkit.adapters.sqlite.SqliteUnitOfWork].

    Reach it as ``uow.products``; it follows the
    [`ProductRepository`][ecomkit.ports.ProductRepository] contract and appends the given
    event to the log.
    """

    __slots__ = ("_session",)

    def __init__(self, session: _Session) -> None:
        self._session = session

    def get(self, sku: str) -> Product:
        """Return the product stored under *sku*, as this unit sees it.

        Raises:
            ProductNotFoundError: No product has this SKU.
            StorageError: The stored document cannot be read.
            UnitOfWorkError: Used outside the unit's block or from another thread.
        """
        return self._session.get(PRODUCTS, sku)

    def add(self, product: Product, *, event: ProductEvent | None = None) -> None:
        """Store a new product, and *event* in the log, when the unit commits.

        Raises:
            VersionConflictError: A product with this SKU is already stored (``expected=0``).
            InvalidTypeError: *product* is not a ``Product`` or *event* not a product event.
            InvalidValueError: *event* is another product's, or of another version.
            UnitOfWorkError: Used outside the unit's block or from another thread.
        """
        self._session.stage(PRODUCTS, product, expected=None, event=event)

    def update(
        self, product: Product, *, expected_version: int, event: ProductEvent | None = None
    ) -> None:
        """Replace the stored product, which must still be at *expected_version*, on commit.

        Raises:
            ProductNotFoundError: No product has this SKU.
            VersionConflictError: The product is at another version.
            InvalidValueError: ``product.version`` is not above *expected_version*, or
                *event* is another product's or of a version outside the change.
            InvalidTypeError: *product* is not a ``Product`` or *event* not a product event.
            UnitOfWorkError: Used outside the unit's block or from another thread.
        """
        self._session.stage(PRODUCTS, product, expected=expected_version, event=event)


class SqliteUnitOfWork:
    """A [`UnitOfWork`][ecomkit.ports.UnitOfWork] on a SQLite file (see the module notes).

    Building a unit creates or upgrades the file's schema
    ([`migrate`][ecomkit.adapters.sqlite.migrate]); the connection opens on first use and
    stays open across blocks until [`close`][ecomkit.adapters.sqlite.SqliteUnitOfWork.close].
    The unit is entered by one thread at a time, and used only by that thread while
    entered. Give each thread and each process its own unit on the same path.

    Args:
        path: The database file; created when missing. Not ``":memory:"``: each connection
            to an in-memory database sees its own, so units could not share it (use
            ``ecomkit.adapters.memory.InMemoryUnitOfWork`` for that).
        timeout: How long ``commit()`` waits, in seconds, while another unit or process
            is committing, before it gives up with a ``StorageError``.

    Raises:
        InvalidValueError: *path* is empty or in memory, or *timeout* is negative.
        InvalidTypeError: *path* is not a path, or *timeout* not a number.
        StorageError: The file cannot be opened, is not a SQLite database, or was written
            by a newer ecomkit.
    """

    __slots__ = ("__weakref__", "_orders", "_products", "_returns", "_session")

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = _DEFAULT_TIMEOUT) -> None:
        target = _check_path(path)
        seconds = _check_timeout(timeout)
        migrate(target, timeout=seconds)
        self._session = _Session(target, timeout=seconds, owner_of=self)
        self._orders = SqliteOrderRepository(self._session)
        self._returns = SqliteReturnRepository(self._session)
        self._products = SqliteProductRepository(self._session)

    def __repr__(self) -> str:
        return f"SqliteUnitOfWork({str(self._session.path)!r}, timeout={self._session.timeout!r})"

    @property
    def path(self) -> pathlib.Path:
        """The database file, as an absolute path."""
        return self._session.path

    @property
    def orders(self) -> SqliteOrderRepository:
        """The orders, as this unit sees them (inside its ``with`` block only).

        Raises:
            UnitOfWorkError: Outside the unit's block or from another thread.
        """
        self._session.require_block()
        return self._orders

    @property
    def returns(self) -> SqliteReturnRepository:
        """The returns, as this unit sees them (inside its ``with`` block only).

        Raises:
            UnitOfWorkError: Outside the unit's block or from another thread.
        """
        self._session.require_block()
        return self._returns

    @property
    def products(self) -> SqliteProductRepository:
        """The products, as this unit sees them (inside its ``with`` block only).

        Raises:
            UnitOfWorkError: Outside the unit's block or from another thread.
        """
        self._session.require_block()
        return self._products

    def __enter__(self) -> Self:
        """Start a block: from now on this thread may read and stage changes.

        Raises:
            UnitOfWorkError: The unit is already entered (by this or another thread).
        """
        session = self._session
        with session.lock:
            if session.owner is not None:
                raise UnitOfWorkError(
                    "it is already entered; finish that block first or use another unit"
                )
            session.buffer.clear()
            session.owner = threading.get_ident()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Drop what was not committed and end the block; never swallows exceptions."""
        session = self._session
        session.require_block()
        with session.lock:
            session.buffer.clear()
            session.owner = None

    def commit(self) -> None:
        """Store every change staged since the block started or since the last commit.

        One ``BEGIN IMMEDIATE`` transaction re-checks each version, writes the documents,
        appends the events and commits. Whatever happens, the unit's buffer is empty
        afterwards and the block can go on.

        Raises:
            VersionConflictError: Another unit stored another version first; nothing of
                this unit is stored.
            OrderNotFoundError: An updated aggregate was removed meanwhile (likewise
                ``ReturnNotFoundError``, ``ProductNotFoundError``); nothing is stored.
            StorageError: The database stayed locked longer than the timeout or failed;
                nothing is stored.
            UnitOfWorkError: Outside the unit's block or from another thread.
        """
        self._session.commit(self._before_commit_step)

    def rollback(self) -> None:
        """Drop every change staged since the block started or since the last commit.

        Raises:
            UnitOfWorkError: Outside the unit's block or from another thread.
        """
        self._session.require_block()
        self._session.buffer.clear()

    def events(self, *, after: int = 0, limit: int | None = None) -> tuple[StoredEvent, ...]:
        """Read the committed event log, oldest first, from any thread, in a block or not.

        Uncommitted changes are never in it; the call waits while the unit is committing.

        Args:
            after: Return only events after this position (0: from the start).
            limit: Return at most this many events (``None``: all).

        Returns:
            The events with their positions, in commit order.

        Raises:
            InvalidTypeError: *after* or *limit* is not an ``int``.
            InvalidValueError: *after* or *limit* is negative.
            StorageError: A stored event cannot be read.
        """
        return self._session.events(after=after, limit=limit)

    def close(self) -> None:
        """Close the unit's connection. Using the unit afterwards opens a new one.

        A unit that is garbage-collected closes its connection too.

        Raises:
            UnitOfWorkError: The unit is inside a ``with`` block.
        """
        if self._session.owner is not None:
            raise UnitOfWorkError("it is inside a `with` block; close it after the block")
        self._session.close()

    def _before_commit_step(self, step: str) -> None:
        """Do nothing; a private seam that tests replace to fail or crash inside ``commit()``.

        ``commit()`` calls it inside its transaction with ``"documents"`` (before the
        documents are written), ``"events"`` (documents written, events not yet appended)
        and ``"commit"`` (just before ``COMMIT``). Not part of the public API.
        """


if TYPE_CHECKING:
    from ecomkit.ports import OrderRepository, ProductRepository, ReturnRepository, UnitOfWork

    _uow: type[UnitOfWork] = SqliteUnitOfWork
    _orders: type[OrderRepository] = SqliteOrderRepository
    _returns: type[ReturnRepository] = SqliteReturnRepository
    _products: type[ProductRepository] = SqliteProductRepository
