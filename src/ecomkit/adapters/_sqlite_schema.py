"""The SQLite adapter's storage layout: tables, statements, connection settings, migrations.

The schema version lives in ``PRAGMA user_version`` and ecomkit's mark in
``PRAGMA application_id``. ``MIGRATIONS[n]`` upgrades a file from version ``n`` to ``n + 1``;
to add version 2, append a step (never edit a shipped one) and raise ``SCHEMA_VERSION`` in
``ecomkit.adapters.sqlite``.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import sqlite3
from collections.abc import Callable
from typing import Final, Generic, TypeVar

import attrs

from ecomkit.adapters._log import EventStream
from ecomkit.catalog import Product
from ecomkit.errors import (
    EntityNotFoundError,
    OrderNotFoundError,
    ProductNotFoundError,
    ReturnNotFoundError,
    StorageError,
)
from ecomkit.orders import Order
from ecomkit.returns import Rma


__all__ = [
    "APPLICATION_ID",
    "INSERT_EVENT",
    "MIGRATIONS",
    "ORDERS",
    "PRODUCTS",
    "RETURNS",
    "RETURNS_OF_ORDER",
    "SELECT_EVENTS",
    "Kind",
    "connect",
    "storage_error",
    "upgrade",
    "utc_text",
]

_A = TypeVar("_A")

APPLICATION_ID: Final = 0x65636B74
"""ecomkit's mark in the file header (``PRAGMA application_id``), the bytes ``"eckt"``."""

_VERSION_1: Final = (
    """
    CREATE TABLE orders (
        order_id    TEXT PRIMARY KEY NOT NULL,
        version     INTEGER NOT NULL CHECK (version > 0),
        status      TEXT NOT NULL,
        placed_at   TEXT,
        customer_id TEXT,
        document    TEXT NOT NULL
    )
    """,
    "CREATE INDEX orders_by_status ON orders (status, placed_at)",
    "CREATE INDEX orders_by_customer ON orders (customer_id, placed_at)",
    """
    CREATE TABLE returns (
        return_id TEXT PRIMARY KEY NOT NULL,
        order_id  TEXT NOT NULL,
        version   INTEGER NOT NULL CHECK (version > 0),
        status    TEXT NOT NULL,
        document  TEXT NOT NULL
    )
    """,
    "CREATE INDEX returns_by_order ON returns (order_id, return_id)",
    """
    CREATE TABLE products (
        sku          TEXT PRIMARY KEY NOT NULL,
        version      INTEGER NOT NULL CHECK (version > 0),
        product_type TEXT NOT NULL,
        document     TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE events (
        position  INTEGER PRIMARY KEY AUTOINCREMENT,
        stream    TEXT NOT NULL CHECK (stream IN ('order', 'return', 'product')),
        entity_id TEXT NOT NULL,
        version   INTEGER NOT NULL CHECK (version > 0),
        type      TEXT NOT NULL,
        at        TEXT NOT NULL,
        document  TEXT NOT NULL,
        UNIQUE (stream, entity_id, version)
    )
    """,
    """
    CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
    BEGIN
        SELECT RAISE(ABORT, 'the event log is append-only: events are never updated');
    END
    """,
    """
    CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
    BEGIN
        SELECT RAISE(ABORT, 'the event log is append-only: events are never deleted');
    END
    """,
    f"PRAGMA application_id = {APPLICATION_ID}",
)

MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (_VERSION_1,)
"""The upgrade steps in order: ``MIGRATIONS[n]`` takes a file from version ``n`` to ``n + 1``."""


def utc_text(value: object) -> str | None:
    """Return a datetime as sortable UTC ISO 8601 text (``None`` stays ``None``)."""
    if not isinstance(value, dt.datetime):
        return None
    return value.astimezone(dt.UTC).isoformat()


def storage_error(error: sqlite3.Error, *, location: str, timeout: float) -> StorageError:
    """Translate a ``sqlite3`` error into a ``StorageError`` that says what to do."""
    name = str(getattr(error, "sqlite_errorname", ""))
    text = str(error)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        reason = (
            f"the database stayed locked by another writer for more than {timeout:g} s "
            f"({text}); retry, keep transactions short, or give the unit a longer timeout"
        )
    elif name == "SQLITE_NOTADB" or "not a database" in text:
        reason = f"the file is not a SQLite database ({text}); point ecomkit at another file"
    else:
        reason = f"{text} ({name or type(error).__name__})"
    return StorageError(location=location, reason=reason)


def connect(path: pathlib.Path, *, timeout: float) -> sqlite3.Connection:
    """Open a connection in autocommit mode with the adapter's settings."""
    connection = sqlite3.connect(
        path, timeout=timeout, isolation_level=None, check_same_thread=False
    )
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        connection.execute("PRAGMA synchronous = FULL")
    except BaseException:
        connection.close()
        raise
    return connection


@attrs.frozen(kw_only=True, weakref_slot=False)
class Kind(Generic[_A]):
    """How one aggregate kind is stored: its class, table, statements and errors."""

    stream: EventStream
    cls: type[_A]
    field: str
    id_field: str
    table: str
    not_found: type[EntityNotFoundError]
    identify: Callable[[_A], str]
    columns: Callable[[_A], tuple[object, ...]]
    select: str
    version: str
    insert: str
    update: str


ORDERS: Final = Kind(
    stream=EventStream.ORDER,
    cls=Order,
    field="order",
    id_field="order_id",
    table="orders",
    not_found=OrderNotFoundError,
    identify=lambda order: order.order_id,
    columns=lambda order: (order.status.value, utc_text(order.placed_at), order.customer_id),
    select="SELECT version, document FROM orders WHERE order_id = ?",
    version="SELECT version FROM orders WHERE order_id = ?",
    insert=(
        "INSERT INTO orders (order_id, version, status, placed_at, customer_id, document) "
        "VALUES (?, ?, ?, ?, ?, ?)"
    ),
    update=(
        "UPDATE orders SET version = ?, status = ?, placed_at = ?, customer_id = ?, "
        "document = ? WHERE order_id = ? AND version = ?"
    ),
)
"""How orders are stored: table ``orders``, keyed by ``order_id``."""

RETURNS: Final = Kind(
    stream=EventStream.RETURN,
    cls=Rma,
    field="rma",
    id_field="return_id",
    table="returns",
    not_found=ReturnNotFoundError,
    identify=lambda rma: rma.return_id,
    columns=lambda rma: (rma.order_id, rma.status.value),
    select="SELECT version, document FROM returns WHERE return_id = ?",
    version="SELECT version FROM returns WHERE return_id = ?",
    insert=(
        "INSERT INTO returns (return_id, version, order_id, status, document) "
        "VALUES (?, ?, ?, ?, ?)"
    ),
    update=(
        "UPDATE returns SET version = ?, order_id = ?, status = ?, document = ? "
        "WHERE return_id = ? AND version = ?"
    ),
)
"""How returns are stored: table ``returns``, keyed by ``return_id``."""

PRODUCTS: Final = Kind(
    stream=EventStream.PRODUCT,
    cls=Product,
    field="product",
    id_field="sku",
    table="products",
    not_found=ProductNotFoundError,
    identify=lambda product: product.sku,
    columns=lambda product: (product.product_type,),
    select="SELECT version, document FROM products WHERE sku = ?",
    version="SELECT version FROM products WHERE sku = ?",
    insert="INSERT INTO products (sku, version, product_type, document) VALUES (?, ?, ?, ?)",
    update=(
        "UPDATE products SET version = ?, product_type = ?, document = ? "
        "WHERE sku = ? AND version = ?"
    ),
)
"""How products are stored: table ``products``, keyed by ``sku``."""

RETURNS_OF_ORDER: Final = (
    "SELECT return_id, version, document FROM returns WHERE order_id = ? ORDER BY return_id"
)
"""The committed returns of one order, by return id."""

INSERT_EVENT: Final = (
    "INSERT INTO events (stream, entity_id, version, type, at, document) VALUES (?, ?, ?, ?, ?, ?)"
)
"""Appends one event to the log; ``position`` is assigned by SQLite."""

SELECT_EVENTS: Final = (
    "SELECT position, stream, entity_id, version, document FROM events "
    "WHERE position > ? ORDER BY position LIMIT ?"
)
"""Reads the log after a position, oldest first, at most ``LIMIT`` rows (-1: all)."""


def _header(connection: sqlite3.Connection) -> tuple[int, int]:
    """Return the file's ``(user_version, application_id)``."""
    (version,) = connection.execute("PRAGMA user_version").fetchone()
    (application,) = connection.execute("PRAGMA application_id").fetchone()
    return int(version), int(application)


def _check(version: int, application: int, *, location: str, supported: int) -> None:
    """Refuse a file that another application owns or a newer ecomkit wrote."""
    if application not in {0, APPLICATION_ID} or (application == 0 and version != 0):
        raise StorageError(
            location=location,
            reason="this SQLite file belongs to another application; point ecomkit at a new file",
        )
    if version > supported:
        raise StorageError(
            location=location,
            reason=(
                f"the file's schema version {version} is newer than the supported {supported}; "
                "upgrade ecomkit"
            ),
        )


def upgrade(connection: sqlite3.Connection, *, location: str, supported: int) -> int:
    """Bring the schema of the open *connection* up to version *supported*.

    The connection must be in autocommit mode (``isolation_level=None``). A file that is
    already current is only read; otherwise the missing steps run in one ``BEGIN IMMEDIATE``
    transaction, so two processes upgrading at once do it once, and a crash leaves the old
    version.

    Args:
        connection: An open connection to the file.
        location: The file's path, for error messages.
        supported: The version to reach (``len(MIGRATIONS)`` at most).

    Returns:
        The file's schema version afterwards.

    Raises:
        StorageError: The file belongs to another application or has a newer schema.
        sqlite3.Error: The database failed; the caller maps it.
    """
    version, application = _header(connection)
    _check(version, application, location=location, supported=supported)
    if version == supported:
        return version
    connection.execute("BEGIN IMMEDIATE")
    try:
        version, application = _header(connection)  # another process may have been first
        _check(version, application, location=location, supported=supported)
        for step in MIGRATIONS[version:supported]:
            for statement in step:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {int(supported)}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return supported
