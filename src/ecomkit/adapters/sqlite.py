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
from types import TracebackType
from typing import TYPE_CHECKING, Final, Self

from ecomkit.adapters._log import StoredEvent
from ecomkit.adapters._sqlite_schema import (
    ORDERS,
    PRODUCTS,
    RETURNS,
    connect,
    storage_error,
    upgrade,
)
from ecomkit.adapters._sqlite_session import _Session
from ecomkit.catalog import Product, ProductEvent
from ecomkit.errors import (  # noqa: F401 - named in Raises sections, linked in the reference
    InvalidTypeError,
    InvalidValueError,
    StorageError,
    UnitOfWorkError,
    VersionConflictError,
)
from ecomkit.orders import Order
from ecomkit.returns import Rma


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

_DEFAULT_TIMEOUT: Final = 30.0
_MEMORY_PATHS: Final = frozenset({"", ":memory:"})


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
