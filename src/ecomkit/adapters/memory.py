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

from types import TracebackType
from typing import TYPE_CHECKING, Self

from ecomkit.adapters._log import StoredEvent
from ecomkit.adapters._memory_session import (
    _ORDERS,
    _PRODUCTS,
    _RETURNS,
    _carried_events,
    _check_limit,
    _given_event,
    _Session,
    _Tables,
)
from ecomkit.catalog import Product, ProductEvent
from ecomkit.errors import (  # noqa: F401 - named in Raises sections, linked in the reference
    InvalidTypeError,
    InvalidValueError,
    OrderNotFoundError,
    ProductNotFoundError,
    ReturnNotFoundError,
    UnitOfWorkError,
    VersionConflictError,
)
from ecomkit.orders import Order
from ecomkit.returns import Rma


__all__ = [
    "InMemoryExchangeRates",
    "InMemoryOrderRepository",
    "InMemoryProductRepository",
    "InMemoryReturnRepository",
    "InMemoryStore",
    "InMemoryUnitOfWork",
]


# ---------------------------------------------------------------------- the store


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


# The exchange rates are another port: they live in their own module. Imported last, so the
# reference lists them after the unit of work, as the module notes do.
from ecomkit.adapters._rates import InMemoryExchangeRates  # noqa: E402


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
