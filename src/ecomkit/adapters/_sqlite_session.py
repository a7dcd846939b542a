"""What a ``SqliteUnitOfWork`` runs on: its session, with the connection and the buffer.

A session is the state a unit shares with its repositories: the connection (opened on
first use), the thread that entered the unit, and the changes buffered until ``commit()``,
which stores them in one ``BEGIN IMMEDIATE`` transaction. ``ecomkit.adapters.sqlite``
builds its public classes on it.
"""

from __future__ import annotations

import pathlib
import sqlite3
import threading
import weakref
from collections.abc import Callable
from typing import Any, Final, TypeVar

from ecomkit.adapters._checks import check_count, check_id, check_product_event
from ecomkit.adapters._log import EventStream, StoredEvent
from ecomkit.adapters._sqlite_schema import (
    INSERT_EVENT,
    RETURNS,
    RETURNS_OF_ORDER,
    SELECT_EVENTS,
    Kind,
    connect,
    storage_error,
    utc_text,
)
from ecomkit.catalog import ProductEvent
from ecomkit.errors import (
    DataValidationError,
    InvalidTypeError,
    InvalidValueError,
    StorageError,
    UnitOfWorkError,
    VersionConflictError,
)
from ecomkit.orders import OrderEvent
from ecomkit.ports import DomainEvent
from ecomkit.returns import ReturnEvent, Rma
from ecomkit.serialization import from_json, to_json


_A = TypeVar("_A")
_EVENT_BASES: Final[dict[EventStream, type[Any]]] = {
    EventStream.ORDER: OrderEvent,
    EventStream.RETURN: ReturnEvent,
    EventStream.PRODUCT: ProductEvent,
}


# ---------------------------------------------------------------------- checks and helpers


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
        key = check_id(entity_id, field=kind.id_field)
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
        key = check_id(order_id, field="order_id")
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
        base = 0 if expected is None else check_count(expected, field="expected_version")
        version = getattr(aggregate, "version", None)
        if not isinstance(version, int) or version <= base:
            raise InvalidValueError(
                field="version",
                value=version,
                reason=f"must be above the expected version {base}",
            )
        checked = None if event is None else check_product_event(event, aggregate, base=base)
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
        start = check_count(after, field="after")
        count = -1 if limit is None else check_count(limit, field="limit")
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


def _roll_back(connection: sqlite3.Connection) -> None:
    """Roll back the open transaction, if SQLite has not done so already."""
    if connection.in_transaction:
        try:
            connection.execute("ROLLBACK")
        except sqlite3.Error:  # pragma: no cover - the connection is beyond repair
            connection.close()
