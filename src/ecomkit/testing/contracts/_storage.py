"""The storage contract suites: pytest classes a host subclasses to check its adapter."""

# ruff: noqa: S101, PLR2004
# A contract suite is a set of pytest tests shipped in the package: ``assert`` is how pytest
# reports, and the literal versions and counts are the expected results.

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Final, Protocol, TypeAlias, runtime_checkable

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomkit.adapters._log import EventStream, StoredEvent
from ecomkit.catalog import (
    AttributeDef,
    CatalogSchema,
    Channel,
    Product,
    ProductEdit,
    ProductType,
    SetValue,
    create_product,
    edit_product,
)
from ecomkit.errors import (
    InvalidTypeError,
    InvalidValueError,
    OrderNotFoundError,
    ProductNotFoundError,
    ReturnNotFoundError,
    UnitOfWorkError,
    VersionConflictError,
)
from ecomkit.money import Money
from ecomkit.orders import (
    AuthorizePayment,
    CapturePayment,
    ChannelId,
    ConfirmDelivery,
    FulfilLines,
    HoldOrder,
    IdempotencyKey,
    LineId,
    LineSpec,
    Order,
    OrderId,
    OrderSpec,
    OrderStatus,
    PaymentId,
    PlaceOrder,
    ReleaseOrder,
    ReturnId,
    ShipmentId,
    ShipShipment,
    Sku,
    apply,
)
from ecomkit.ports import UnitOfWork
from ecomkit.returns import (
    AwaitItems,
    ReturnLine,
    ReturnRequest,
    Rma,
    apply_return,
    eu_policy,
    open_return,
)
from ecomkit.testing.strategies import (
    catalog_products,
    delivered_orders,
    order_specs,
    orders,
    return_requests,
)


__all__ = [
    "AdapterContract",
    "EventLogContract",
    "OrderRepositoryContract",
    "ProductRepositoryContract",
    "ReturnRepositoryContract",
    "UnitOfWorkContract",
]

MakeUnit: TypeAlias = Callable[[], UnitOfWork]
"""What ``make_uow`` returns: each call makes a new unit of work on the test's storage."""

_AT: Final = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Berlin")
_SCHEMA: Final = CatalogSchema(
    [AttributeDef("title", "text", localizable=True)],
    [ProductType("book", ["title"], description_attribute=None)],
    [Channel("web", ["en"], ["EUR"])],
)
#: Property tests run few examples: they check storage, not the domain.
_PROPERTY_SETTINGS: Final = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one storage serves every example of a test
        HealthCheck.differing_executors,  # each host subclass runs the inherited test
        HealthCheck.too_slow,
    ],
)
#: Threads and writes per thread in the concurrency tests.
_THREADS: Final = 4
_WRITES: Final = 5
#: How long a thread may wait for the others before the test fails instead of hanging.
_WAIT: Final = 20.0


# ---------------------------------------------------------------------- sample aggregates


def _fresh(prefix: str) -> str:
    """Return an id no other example uses: property tests share one storage per test."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _order(order_id: str = "order-1") -> Order:
    """Return a just-placed order (version 1)."""
    spec = OrderSpec(
        order_id=OrderId(order_id),
        channel=ChannelId("web"),
        currency="EUR",
        timezone="Europe/Berlin",
        lines=[
            LineSpec(
                line_id=LineId("l1"), sku=Sku("TEA"), quantity=2, unit_price=Money("9.50", "EUR")
            )
        ],
    )
    order, _ = apply(None, PlaceOrder(key=IdempotencyKey("place"), spec=spec), at=_AT)
    return order


def _next(order: Order, tag: str = "a") -> Order:
    """Return *order* one version on: put on hold, or released; *tag* makes rivals differ."""
    key = IdempotencyKey(f"{tag}-{order.version + 1}")
    command = (
        ReleaseOrder(key=key)
        if order.status is OrderStatus.ON_HOLD
        else HoldOrder(key=key, reason=f"review {tag}")
    )
    new, _ = apply(order, command, at=_AT.add(minutes=order.version))
    return new


def _delivered(order_id: str) -> Order:
    """Return an order paid and delivered in full, ready for a return."""
    order = _order(order_id)
    for command in (
        AuthorizePayment(
            key=IdempotencyKey("pay"), payment_id=PaymentId("p1"), amount=Money("19.00", "EUR")
        ),
        CapturePayment(key=IdempotencyKey("capture"), payment_id=PaymentId("p1")),
        FulfilLines(key=IdempotencyKey("pack"), shipment_id=ShipmentId("s1"), lines={"l1": 2}),
        ShipShipment(key=IdempotencyKey("ship"), shipment_id=ShipmentId("s1")),
        ConfirmDelivery(key=IdempotencyKey("deliver"), shipment_id=ShipmentId("s1")),
    ):
        order, _ = apply(order, command, at=_AT)
    return order


def _returns(
    return_id: str = "rma-1", *, order_id: str = "order-r", tag: str = "a"
) -> tuple[Rma, Rma]:
    """Return a return as opened and decided (version 2) and as awaiting items (version 3)."""
    order = _delivered(order_id)
    at = _AT.add(days=2)
    request = ReturnRequest(
        return_id=ReturnId(return_id),
        kind="withdrawal",
        requested_at=at,
        lines=[ReturnLine(line_id=LineId("l1"), quantity=1)],
    )
    opened, order, _ = open_return(eu_policy(country="DE"), request, order=order, at=at, key="rk")
    waiting, _, _ = apply_return(
        opened,
        AwaitItems(key=IdempotencyKey(f"await-{tag}"), tracking_number=f"T-{tag}"),
        order=order,
        at=at,
    )
    return opened, waiting


def _product(sku: str = "BOOK-1") -> ProductEdit:
    """Return a new product (version 1) and its creation event."""
    return create_product(_SCHEMA, sku=sku, product_type="book", at=_AT)


def _edit(product: Product, title: str) -> ProductEdit:
    """Return *product* with a new title (one version on) and the edit's event."""
    return edit_product(_SCHEMA, product, [SetValue("title", title, locale="en")], at=_AT)


def _stored_order(make_uow: MakeUnit, order: Order) -> None:
    with make_uow() as uow:
        uow.orders.add(order)
        uow.commit()


def _read_order(make_uow: MakeUnit, order_id: str) -> Order:
    with make_uow() as uow:
        return uow.orders.get(order_id)


def _has_order(make_uow: MakeUnit, order_id: str) -> bool:
    with make_uow() as uow:
        try:
            uow.orders.get(order_id)
        except OrderNotFoundError:
            return False
        return True


def _conflict(write: Callable[[], None], uow: UnitOfWork) -> VersionConflictError:
    """Run *write* and commit; the conflict may be found in the call or at commit."""
    with pytest.raises(VersionConflictError) as caught:
        _write_and_commit(write, uow)
    return caught.value


def _write_and_commit(write: Callable[[], None], uow: UnitOfWork) -> None:
    write()
    uow.commit()  # pragma: no cover - reached by adapters that check versions at commit


class _BoomError(Exception):
    """An error a host's code raises inside a unit of work."""


@runtime_checkable
class _EventLog(Protocol):
    def events(self, *, after: int = 0, limit: int | None = None) -> tuple[StoredEvent, ...]: ...


def _log(
    make_uow: MakeUnit, *, after: int = 0, limit: int | None = None
) -> tuple[StoredEvent, ...]:
    uow = make_uow()
    if not isinstance(uow, _EventLog):  # pragma: no cover - a host adapter without a log
        pytest.fail(
            f"{type(uow).__name__} has no events(after=, limit=) method; a unit of work "
            "without an event log should not run EventLogContract"
        )
    return uow.events(after=after, limit=limit)


# ---------------------------------------------------------------------- the suites


class _StorageContract:
    """Holds the fixture every storage suite needs; hosts override it."""

    @pytest.fixture
    def make_uow(self) -> MakeUnit:  # pragma: no cover - always overridden
        """Return a factory of units of work on one fresh, empty storage.

        Override it in your subclass: every test gets a new storage, and every call of
        the factory a new unit on it.
        """
        msg = (
            "override the make_uow fixture in your subclass: return a callable that makes "
            "a new unit of work on storage that is fresh and empty for each test, e.g.\n"
            "    @pytest.fixture\n"
            "    def make_uow(self, tmp_path):\n"
            "        db = MyDatabase(tmp_path)\n"
            "        return lambda: MyUnitOfWork(db)"
        )
        raise NotImplementedError(msg)


class OrderRepositoryContract(_StorageContract):
    """``uow.orders``: round trips, not-found, versions, visibility and bad input."""

    def test_an_added_order_reads_back_equal_in_a_new_unit(self, make_uow: MakeUnit) -> None:
        """A committed order reads back ``==`` the one added, events and all."""
        order = _next(_order())
        _stored_order(make_uow, order)
        assert _read_order(make_uow, order.order_id) == order

    @_PROPERTY_SETTINGS
    @given(
        order=st.one_of(
            orders(
                specs=order_specs().map(lambda s: attrs.evolve(s, order_id=OrderId(_fresh("o"))))
            ),
            delivered_orders(
                specs=order_specs().map(lambda s: attrs.evolve(s, order_id=OrderId(_fresh("d"))))
            ),
        )
    )
    def test_any_order_reads_back_equal(self, make_uow: MakeUnit, order: Order) -> None:
        """Orders anywhere along their lifecycle read back ``==`` what was stored."""
        _stored_order(make_uow, order)
        assert _read_order(make_uow, order.order_id) == order

    def test_an_updated_order_reads_back_at_its_new_version(self, make_uow: MakeUnit) -> None:
        """An update stores the new order in place of the old one."""
        order = _order()
        _stored_order(make_uow, order)
        newer = _next(_next(order))
        with make_uow() as uow:
            uow.orders.update(newer, expected_version=1)
            uow.commit()
        stored = _read_order(make_uow, order.order_id)
        assert stored == newer
        assert stored.version == 3

    def test_getting_an_unknown_order_raises_order_not_found(self, make_uow: MakeUnit) -> None:
        """``get`` of an id never stored raises ``OrderNotFoundError`` naming the id."""
        with make_uow() as uow, pytest.raises(OrderNotFoundError) as caught:
            uow.orders.get("no-such-order")
        assert caught.value.entity_id == "no-such-order"

    def test_updating_an_unknown_order_raises_order_not_found(self, make_uow: MakeUnit) -> None:
        """``update`` of an id never stored raises ``OrderNotFoundError`` and stores nothing."""
        ghost = _next(_order("ghost"))
        with make_uow() as uow:
            with pytest.raises(OrderNotFoundError) as caught:
                _write_and_commit(lambda: uow.orders.update(ghost, expected_version=1), uow)
            assert caught.value.entity_id == "ghost"
        assert not _has_order(make_uow, "ghost")

    def test_adding_a_stored_order_again_is_a_conflict_from_version_zero(
        self, make_uow: MakeUnit
    ) -> None:
        """``add`` of a stored id raises ``VersionConflictError(expected=0)``; nothing changes."""
        order = _next(_order())
        _stored_order(make_uow, order)
        with make_uow() as uow:
            error = _conflict(lambda: uow.orders.add(_order()), uow)
        assert (error.entity_id, error.expected, error.actual) == (order.order_id, 0, 2)
        assert _read_order(make_uow, order.order_id) == order

    def test_a_stale_update_is_refused_and_stores_nothing(self, make_uow: MakeUnit) -> None:
        """An update based on an old version raises ``VersionConflictError``; nothing changes."""
        order = _order()
        _stored_order(make_uow, order)
        current = _next(order, "a")
        with make_uow() as uow:
            uow.orders.update(current, expected_version=1)
            uow.commit()
        stale = _next(order, "b")
        with make_uow() as uow:
            error = _conflict(lambda: uow.orders.update(stale, expected_version=1), uow)
        assert (error.entity_id, error.expected, error.actual) == (order.order_id, 1, 2)
        assert _read_order(make_uow, order.order_id) == current

    def test_resending_a_committed_update_is_refused(self, make_uow: MakeUnit) -> None:
        """The same update sent twice is stored once; the second is a version conflict."""
        order = _order()
        _stored_order(make_uow, order)
        newer = _next(order)
        for attempt in range(2):
            with make_uow() as uow:
                if attempt == 0:
                    uow.orders.update(newer, expected_version=1)
                    uow.commit()
                else:
                    error = _conflict(lambda: uow.orders.update(newer, expected_version=1), uow)
                    assert (error.expected, error.actual) == (1, 2)
        assert _read_order(make_uow, order.order_id) == newer

    def test_of_two_units_based_on_one_version_only_the_first_to_commit_wins(
        self, make_uow: MakeUnit
    ) -> None:
        """Two units update the same version; the later commit fails and stores nothing."""
        order = _order()
        _stored_order(make_uow, order)
        first, second = make_uow(), make_uow()
        with first, second:
            mine = _next(first.orders.get(order.order_id), "first")
            theirs = _next(second.orders.get(order.order_id), "second")
            first.orders.update(mine, expected_version=1)
            second.orders.update(theirs, expected_version=1)
            second.orders.add(_order("order-2"))
            first.commit()
            with pytest.raises(VersionConflictError) as caught:
                second.commit()
        assert (caught.value.expected, caught.value.actual) == (1, 2)
        assert _read_order(make_uow, order.order_id) == mine
        assert not _has_order(make_uow, "order-2")

    def test_updates_within_one_unit_are_stored_as_one_change(self, make_uow: MakeUnit) -> None:
        """Two updates in one unit (1 to 2, 2 to 3) store version 3."""
        order = _order()
        _stored_order(make_uow, order)
        second = _next(order)
        third = _next(second)
        with make_uow() as uow:
            uow.orders.update(second, expected_version=1)
            uow.orders.update(third, expected_version=2)
            uow.commit()
        assert _read_order(make_uow, order.order_id) == third

    def test_a_unit_reads_its_own_uncommitted_orders(self, make_uow: MakeUnit) -> None:
        """Inside a unit, ``get`` returns what the unit added or updated, before commit."""
        order = _order()
        _stored_order(make_uow, order)
        newer = _next(order)
        other = _order("order-2")
        with make_uow() as uow:
            uow.orders.update(newer, expected_version=1)
            uow.orders.add(other)
            assert uow.orders.get(order.order_id) == newer
            assert uow.orders.get("order-2") == other

    def test_uncommitted_orders_are_invisible_to_other_units(self, make_uow: MakeUnit) -> None:
        """Another unit sees the stored order, not a change that is not committed yet."""
        order = _order()
        _stored_order(make_uow, order)
        writer, reader = make_uow(), make_uow()
        with writer, reader:
            writer.orders.update(_next(order), expected_version=1)
            writer.orders.add(_order("order-2"))
            assert reader.orders.get(order.order_id) == order
            with pytest.raises(OrderNotFoundError):
                reader.orders.get("order-2")
            writer.commit()
        assert _has_order(make_uow, "order-2")

    def test_an_order_not_above_the_expected_version_is_refused(self, make_uow: MakeUnit) -> None:
        """``update`` with ``order.version <= expected_version`` raises ``InvalidValueError``."""
        order = _next(_order())
        _stored_order(make_uow, order)
        with make_uow() as uow:
            for expected in (2, 3):
                with pytest.raises(InvalidValueError) as caught:
                    uow.orders.update(order, expected_version=expected)
                assert caught.value.field == "version"
        assert _read_order(make_uow, order.order_id) == order

    def test_something_that_is_not_an_order_is_refused(self, make_uow: MakeUnit) -> None:
        """``add`` and ``update`` of anything but an ``Order`` raise ``InvalidTypeError``."""
        product = _product().product
        with make_uow() as uow:
            for wrong in (product, "order-1", None):
                with pytest.raises(InvalidTypeError):
                    uow.orders.add(wrong)  # type: ignore[arg-type]
                with pytest.raises(InvalidTypeError):
                    uow.orders.update(wrong, expected_version=0)  # type: ignore[arg-type]


class ReturnRepositoryContract(_StorageContract):
    """``uow.returns``: round trips, not-found, versions, ``for_order`` and bad input."""

    def test_an_added_return_reads_back_equal_in_a_new_unit(self, make_uow: MakeUnit) -> None:
        """A committed return reads back ``==`` the one added."""
        opened, _ = _returns()
        with make_uow() as uow:
            uow.returns.add(opened)
            uow.commit()
        with make_uow() as uow:
            assert uow.returns.get(opened.return_id) == opened

    @_PROPERTY_SETTINGS
    @given(
        case=delivered_orders(
            specs=order_specs().map(lambda s: attrs.evolve(s, order_id=OrderId(_fresh("d"))))
        ).flatmap(lambda order: st.tuples(st.just(order), return_requests(order)))
    )
    def test_any_return_reads_back_equal(
        self, make_uow: MakeUnit, case: tuple[Order, ReturnRequest]
    ) -> None:
        """Returns opened on any delivered order read back ``==`` what was stored."""
        order, request = case
        request = attrs.evolve(request, return_id=ReturnId(_fresh("rma")))
        rma, _, _ = open_return(
            eu_policy(country="DE"), request, order=order, at=request.requested_at, key="rk"
        )
        with make_uow() as uow:
            uow.returns.add(rma)
            uow.commit()
        with make_uow() as uow:
            assert uow.returns.get(rma.return_id) == rma

    def test_an_updated_return_reads_back_at_its_new_version(self, make_uow: MakeUnit) -> None:
        """An update stores the new return in place of the old one."""
        opened, waiting = _returns()
        with make_uow() as uow:
            uow.returns.add(opened)
            uow.commit()
        with make_uow() as uow:
            uow.returns.update(waiting, expected_version=2)
            uow.commit()
        with make_uow() as uow:
            assert uow.returns.get(opened.return_id) == waiting

    def test_unknown_returns_raise_return_not_found(self, make_uow: MakeUnit) -> None:
        """``get`` and ``update`` of an unknown id raise ``ReturnNotFoundError`` naming it."""
        _, waiting = _returns("rma-ghost")
        with make_uow() as uow:
            with pytest.raises(ReturnNotFoundError) as caught:
                uow.returns.get("rma-ghost")
            assert caught.value.entity_id == "rma-ghost"
            with pytest.raises(ReturnNotFoundError) as caught:
                _write_and_commit(lambda: uow.returns.update(waiting, expected_version=2), uow)
            assert caught.value.entity_id == "rma-ghost"

    def test_adding_a_stored_return_again_is_a_conflict_from_version_zero(
        self, make_uow: MakeUnit
    ) -> None:
        """``add`` of a stored id raises ``VersionConflictError(expected=0)``."""
        opened, _ = _returns()
        with make_uow() as uow:
            uow.returns.add(opened)
            uow.commit()
        with make_uow() as uow:
            error = _conflict(lambda: uow.returns.add(opened), uow)
        assert (error.entity_id, error.expected, error.actual) == (opened.return_id, 0, 2)

    def test_a_stale_return_update_is_refused_and_stores_nothing(self, make_uow: MakeUnit) -> None:
        """An update based on an old version raises ``VersionConflictError``; nothing changes."""
        opened, waiting = _returns(tag="a")
        _, rival = _returns(tag="b")
        with make_uow() as uow:
            uow.returns.add(opened)
            uow.commit()
        with make_uow() as uow:
            uow.returns.update(waiting, expected_version=2)
            uow.commit()
        with make_uow() as uow:
            error = _conflict(lambda: uow.returns.update(rival, expected_version=2), uow)
        assert (error.expected, error.actual) == (2, 3)
        with make_uow() as uow:
            assert uow.returns.get(opened.return_id) == waiting

    def test_for_order_lists_an_orders_returns_sorted_by_id(self, make_uow: MakeUnit) -> None:
        """``for_order`` returns the order's returns only, sorted by return id."""
        second, _ = _returns("rma-2")
        first, _ = _returns("rma-1")
        elsewhere, _ = _returns("rma-0", order_id="order-x")
        with make_uow() as uow:
            for rma in (second, elsewhere, first):
                uow.returns.add(rma)
            uow.commit()
        with make_uow() as uow:
            assert uow.returns.for_order("order-r") == (first, second)
            assert uow.returns.for_order("order-x") == (elsewhere,)
            assert uow.returns.for_order("order-none") == ()

    def test_for_order_sees_the_units_own_changes_only(self, make_uow: MakeUnit) -> None:
        """``for_order`` includes the unit's uncommitted returns; other units do not see them."""
        first, first_waiting = _returns("rma-1")
        second, _ = _returns("rma-2")
        with make_uow() as uow:
            uow.returns.add(first)
            uow.commit()
        writer, reader = make_uow(), make_uow()
        with writer, reader:
            writer.returns.add(second)
            writer.returns.update(first_waiting, expected_version=2)
            assert writer.returns.for_order("order-r") == (first_waiting, second)
            assert reader.returns.for_order("order-r") == (first,)

    def test_something_that_is_not_a_return_is_refused(self, make_uow: MakeUnit) -> None:
        """``add`` and ``update`` of anything but an ``Rma`` raise ``InvalidTypeError``."""
        with make_uow() as uow:
            for wrong in (_order(), "rma-1"):
                with pytest.raises(InvalidTypeError):
                    uow.returns.add(wrong)  # type: ignore[arg-type]
                with pytest.raises(InvalidTypeError):
                    uow.returns.update(wrong, expected_version=0)  # type: ignore[arg-type]


class ProductRepositoryContract(_StorageContract):
    """``uow.products``: round trips, not-found, versions and bad input."""

    def test_an_added_product_reads_back_equal_in_a_new_unit(self, make_uow: MakeUnit) -> None:
        """A committed product reads back ``==`` the one added."""
        created = _product()
        with make_uow() as uow:
            uow.products.add(created.product, event=created.event)
            uow.commit()
        with make_uow() as uow:
            assert uow.products.get("BOOK-1") == created.product

    @_PROPERTY_SETTINGS
    @given(product=catalog_products().map(lambda p: attrs.evolve(p, sku=_fresh("SKU"))))
    def test_any_product_reads_back_equal(self, make_uow: MakeUnit, product: Product) -> None:
        """Products with any values, prices and history read back ``==`` what was stored."""
        with make_uow() as uow:
            uow.products.add(product)
            uow.commit()
        with make_uow() as uow:
            assert uow.products.get(product.sku) == product

    def test_an_updated_product_reads_back_at_its_new_version(self, make_uow: MakeUnit) -> None:
        """An update stores the new product in place of the old one."""
        created = _product()
        edited = _edit(created.product, "Dune")
        with make_uow() as uow:
            uow.products.add(created.product, event=created.event)
            uow.commit()
        with make_uow() as uow:
            uow.products.update(edited.product, expected_version=1, event=edited.event)
            uow.commit()
        with make_uow() as uow:
            assert uow.products.get("BOOK-1") == edited.product

    def test_unknown_products_raise_product_not_found(self, make_uow: MakeUnit) -> None:
        """``get`` and ``update`` of an unknown SKU raise ``ProductNotFoundError`` naming it."""
        edited = _edit(_product("GHOST-1").product, "Dune")
        with make_uow() as uow:
            with pytest.raises(ProductNotFoundError) as caught:
                uow.products.get("GHOST-1")
            assert caught.value.entity_id == "GHOST-1"
            with pytest.raises(ProductNotFoundError) as caught:
                _write_and_commit(
                    lambda: uow.products.update(edited.product, expected_version=1), uow
                )
            assert caught.value.entity_id == "GHOST-1"

    def test_adding_a_stored_product_again_is_a_conflict_from_version_zero(
        self, make_uow: MakeUnit
    ) -> None:
        """``add`` of a stored SKU raises ``VersionConflictError(expected=0)``."""
        created = _product()
        with make_uow() as uow:
            uow.products.add(created.product)
            uow.commit()
        with make_uow() as uow:
            error = _conflict(lambda: uow.products.add(created.product), uow)
        assert (error.entity_id, error.expected, error.actual) == ("BOOK-1", 0, 1)

    def test_a_stale_product_update_is_refused_and_stores_nothing(self, make_uow: MakeUnit) -> None:
        """An update based on an old version raises ``VersionConflictError``; nothing changes."""
        created = _product()
        mine = _edit(created.product, "Dune")
        theirs = _edit(created.product, "Emma")
        with make_uow() as uow:
            uow.products.add(created.product)
            uow.commit()
        with make_uow() as uow:
            uow.products.update(mine.product, expected_version=1)
            uow.commit()
        with make_uow() as uow:
            error = _conflict(lambda: uow.products.update(theirs.product, expected_version=1), uow)
        assert (error.expected, error.actual) == (1, 2)
        with make_uow() as uow:
            assert uow.products.get("BOOK-1") == mine.product

    def test_a_product_not_above_the_expected_version_is_refused(self, make_uow: MakeUnit) -> None:
        """``update`` with ``product.version <= expected_version`` raises ``InvalidValueError``."""
        created = _product()
        with make_uow() as uow:
            uow.products.add(created.product)
            uow.commit()
        with make_uow() as uow, pytest.raises(InvalidValueError) as caught:
            uow.products.update(created.product, expected_version=1)
        assert caught.value.field == "version"

    def test_something_that_is_not_a_product_is_refused(self, make_uow: MakeUnit) -> None:
        """``add`` and ``update`` of anything but a ``Product`` raise ``InvalidTypeError``."""
        with make_uow() as uow:
            for wrong in (_order(), "BOOK-1"):
                with pytest.raises(InvalidTypeError):
                    uow.products.add(wrong)  # type: ignore[arg-type]
                with pytest.raises(InvalidTypeError):
                    uow.products.update(wrong, expected_version=0)  # type: ignore[arg-type]


class UnitOfWorkContract(_StorageContract):
    """The unit itself: atomic commits, rollback by default, reuse, misuse and threads."""

    def test_a_commit_stores_changes_of_every_kind_together(self, make_uow: MakeUnit) -> None:
        """An order, a return and a product committed in one unit are all stored."""
        opened, _ = _returns()
        created = _product()
        with make_uow() as uow:
            uow.orders.add(_order())
            uow.returns.add(opened)
            uow.products.add(created.product, event=created.event)
            uow.commit()
        with make_uow() as uow:
            assert uow.orders.get("order-1") == _order()
            assert uow.returns.get(opened.return_id) == opened
            assert uow.products.get("BOOK-1") == created.product

    def test_a_failed_commit_stores_nothing_of_the_unit(self, make_uow: MakeUnit) -> None:
        """A conflict on one product at commit leaves the unit's order and return unstored."""
        created = _product()
        opened, _ = _returns()
        with make_uow() as uow:
            uow.products.add(created.product)
            uow.commit()
        winner, loser = make_uow(), make_uow()
        with winner, loser:
            loser.orders.add(_order())
            loser.returns.add(opened)
            loser.products.update(_edit(created.product, "Emma").product, expected_version=1)
            winner.products.update(_edit(created.product, "Dune").product, expected_version=1)
            winner.commit()
            with pytest.raises(VersionConflictError):
                loser.commit()
        with make_uow() as uow:
            with pytest.raises(OrderNotFoundError):
                uow.orders.get("order-1")
            with pytest.raises(ReturnNotFoundError):
                uow.returns.get(opened.return_id)
            assert uow.products.get("BOOK-1").version == 2

    def test_after_a_failed_commit_the_unit_goes_on_with_nothing_pending(
        self, make_uow: MakeUnit
    ) -> None:
        """A failed commit drops the buffer; a later commit in the block stores only new work."""
        _stored_order(make_uow, _order())
        rival = make_uow()
        with make_uow() as uow:
            uow.orders.add(_order("order-2"))
            uow.orders.update(_next(_order(), "mine"), expected_version=1)
            with rival:
                rival.orders.update(_next(_order(), "theirs"), expected_version=1)
                rival.commit()
            with pytest.raises(VersionConflictError):
                uow.commit()
            uow.orders.add(_order("order-3"))
            uow.commit()
        assert not _has_order(make_uow, "order-2")
        assert _has_order(make_uow, "order-3")

    def test_a_unit_goes_on_after_a_successful_commit(self, make_uow: MakeUnit) -> None:
        """Commits in one block store each batch once."""
        order = _order()
        with make_uow() as uow:
            uow.orders.add(order)
            uow.commit()
            uow.orders.update(_next(order), expected_version=1)
            uow.commit()
        assert _read_order(make_uow, order.order_id).version == 2

    def test_rollback_drops_the_changes_made_since_the_last_commit(
        self, make_uow: MakeUnit
    ) -> None:
        """``rollback()`` discards pending work; the block can go on and commit new work."""
        with make_uow() as uow:
            uow.orders.add(_order("order-1"))
            uow.commit()
            uow.orders.add(_order("order-2"))
            uow.rollback()
            with pytest.raises(OrderNotFoundError):
                uow.orders.get("order-2")
            uow.orders.add(_order("order-3"))
            uow.commit()
        assert [_has_order(make_uow, f"order-{n}") for n in (1, 2, 3)] == [True, False, True]

    def test_leaving_the_block_without_commit_drops_the_changes(self, make_uow: MakeUnit) -> None:
        """Changes not committed when the block ends are not stored."""
        with make_uow() as uow:
            uow.orders.add(_order())
        assert not _has_order(make_uow, "order-1")

    def test_an_exception_in_the_block_drops_the_changes_and_propagates(
        self, make_uow: MakeUnit
    ) -> None:
        """An error inside the block rolls back and reaches the caller unchanged."""

        def fail_inside(uow: UnitOfWork) -> None:
            with uow:
                uow.orders.add(_order())
                raise _BoomError

        with pytest.raises(_BoomError):
            fail_inside(make_uow())
        assert not _has_order(make_uow, "order-1")

    def test_a_unit_can_be_entered_again_after_its_block(self, make_uow: MakeUnit) -> None:
        """The same unit serves one block after another."""
        uow = make_uow()
        with uow:
            uow.orders.add(_order())
            uow.commit()
        with uow:
            assert uow.orders.get("order-1") == _order()

    def test_entering_a_unit_that_is_entered_raises(self, make_uow: MakeUnit) -> None:
        """Entering a unit inside its own block raises ``UnitOfWorkError``."""
        uow = make_uow()
        with uow:
            with pytest.raises(UnitOfWorkError), uow:
                pass  # pragma: no cover - entering must fail
            uow.orders.add(_order())
            uow.commit()
        assert _has_order(make_uow, "order-1")

    def test_repositories_outside_a_block_raise(self, make_uow: MakeUnit) -> None:
        """Using ``orders``, ``returns`` or ``products`` outside a block raises."""
        uow = make_uow()
        with pytest.raises(UnitOfWorkError):
            uow.orders.get("order-1")
        with pytest.raises(UnitOfWorkError):
            uow.returns.get("rma-1")
        with pytest.raises(UnitOfWorkError):
            uow.products.get("BOOK-1")
        with uow:
            pass
        with pytest.raises(UnitOfWorkError):
            uow.orders.add(_order())

    def test_a_unit_used_from_another_thread_raises(self, make_uow: MakeUnit) -> None:
        """A unit entered in one thread refuses to work for another thread."""
        _stored_order(make_uow, _order())
        errors: list[BaseException] = []

        def intrude(uow: UnitOfWork) -> None:
            try:
                uow.orders.get("order-1")
            except BaseException as error:  # noqa: BLE001 - handed to the test thread
                errors.append(error)

        with make_uow() as uow:
            thread = threading.Thread(target=intrude, args=(uow,))
            thread.start()
            thread.join(_WAIT)
            assert uow.orders.get("order-1") == _order()
        assert len(errors) == 1
        assert isinstance(errors[0], UnitOfWorkError)

    def test_racing_units_lose_no_update(self, make_uow: MakeUnit) -> None:
        """Threads doing read-modify-write with retries: every write lands exactly once."""
        order = _order()
        _stored_order(make_uow, order)
        start = threading.Barrier(_THREADS, timeout=_WAIT)
        failures: list[BaseException] = []

        def work(index: int) -> None:
            try:
                uow = make_uow()
                start.wait()
                written = 0
                while written < _WRITES:
                    try:
                        with uow:
                            current = uow.orders.get(order.order_id)
                            uow.orders.update(
                                _next(current, f"t{index}"), expected_version=current.version
                            )
                            uow.commit()
                    except VersionConflictError:  # pragma: no cover - depends on scheduling
                        continue  # another thread wrote first: read again and retry
                    written += 1
            except BaseException as error:  # noqa: BLE001  # pragma: no cover - a failing adapter
                failures.append(error)

        threads = [threading.Thread(target=work, args=(index,)) for index in range(_THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(_WAIT * 3)
        assert failures == []
        assert _read_order(make_uow, order.order_id).version == 1 + _THREADS * _WRITES

    def test_of_two_racing_threads_exactly_one_commits(self, make_uow: MakeUnit) -> None:
        """Two threads update the same version at once: one commits, one gets a conflict."""
        _stored_order(make_uow, _order())
        both_read = threading.Barrier(2, timeout=_WAIT)
        outcomes: list[str] = []
        lock = threading.Lock()

        def race(tag: str) -> None:
            uow = make_uow()
            try:
                with uow:
                    current = uow.orders.get("order-1")
                    both_read.wait()
                    uow.orders.update(_next(current, tag), expected_version=current.version)
                    uow.commit()
                outcome = "committed"
            except VersionConflictError:
                outcome = "conflict"
            except BaseException as error:  # noqa: BLE001  # pragma: no cover - a failing adapter
                outcome = repr(error)
            with lock:
                outcomes.append(outcome)

        threads = [threading.Thread(target=race, args=(tag,)) for tag in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(_WAIT * 3)
        assert sorted(outcomes) == ["committed", "conflict"]
        assert _read_order(make_uow, "order-1").version == 2


class AdapterContract(
    OrderRepositoryContract,
    ReturnRepositoryContract,
    ProductRepositoryContract,
    UnitOfWorkContract,
):
    """Every storage suite but the event log's: subclass this one class for a whole adapter.

    Add [`EventLogContract`][ecomkit.testing.contracts.EventLogContract] as a second base
    when the adapter keeps an event log.
    """


class EventLogContract(_StorageContract):
    """``uow.events(after=, limit=)``: the append-only log of committed events.

    Not part of the [`UnitOfWork`][ecomkit.ports.UnitOfWork] port: run it when your
    adapter keeps an event log with the reference adapters' ``events`` method.
    """

    def test_the_log_of_empty_storage_is_empty(self, make_uow: MakeUnit) -> None:
        """A fresh storage has no events."""
        assert _log(make_uow) == ()

    def test_committed_changes_append_their_new_events_in_commit_order(
        self, make_uow: MakeUnit
    ) -> None:
        """Positions count 1, 2, 3 ... in commit order; each change adds only its new events."""
        order = _order()
        third = _next(_next(order))
        created = _product()
        opened, _ = _returns()
        with make_uow() as uow:
            uow.orders.add(order)
            uow.commit()
        with make_uow() as uow:
            uow.orders.update(third, expected_version=1)
            uow.returns.add(opened)
            uow.commit()
        with make_uow() as uow:
            uow.products.add(created.product, event=created.event)
            uow.commit()
        log = _log(make_uow)
        assert [stored.position for stored in log] == [1, 2, 3, 4, 5, 6]
        assert [(stored.stream, stored.entity_id, stored.version) for stored in log] == [
            (EventStream.ORDER, "order-1", 1),
            (EventStream.ORDER, "order-1", 2),
            (EventStream.ORDER, "order-1", 3),
            (EventStream.RETURN, opened.return_id, 1),
            (EventStream.RETURN, opened.return_id, 2),
            (EventStream.PRODUCT, "BOOK-1", 1),
        ]
        assert [stored.event for stored in log] == [
            *third.events,
            *opened.events,
            created.event,
        ]

    def test_a_product_change_logs_the_event_it_was_given(self, make_uow: MakeUnit) -> None:
        """Products log the ``event`` argument, and nothing when it is ``None``."""
        created = _product()
        edited = _edit(created.product, "Dune")
        again = _edit(edited.product, "Emma")
        with make_uow() as uow:
            uow.products.add(created.product)
            uow.commit()
            uow.products.update(edited.product, expected_version=1, event=edited.event)
            uow.commit()
            uow.products.update(again.product, expected_version=2)
            uow.commit()
        assert [(stored.event, stored.version) for stored in _log(make_uow)] == [(edited.event, 2)]

    def test_after_and_limit_page_through_the_log(self, make_uow: MakeUnit) -> None:
        """``after`` skips positions up to it; ``limit`` caps how many come back."""
        order = _next(_next(_next(_order())))
        _stored_order(make_uow, order)
        assert [stored.position for stored in _log(make_uow, after=1)] == [2, 3, 4]
        assert [stored.position for stored in _log(make_uow, after=1, limit=2)] == [2, 3]
        assert [stored.position for stored in _log(make_uow, limit=1)] == [1]
        assert _log(make_uow, after=4) == ()
        assert [stored.event for stored in _log(make_uow)] == list(order.events)

    def test_uncommitted_and_failed_changes_log_nothing(self, make_uow: MakeUnit) -> None:
        """Rolled-back, abandoned and conflicting changes leave the log as it was."""
        order = _order()
        _stored_order(make_uow, order)
        with make_uow() as uow:
            uow.orders.add(_order("order-2"))
            uow.rollback()
            uow.orders.add(_order("order-3"))
        with make_uow() as winner:
            winner.orders.update(_next(order, "a"), expected_version=1)
            winner.commit()
        with make_uow() as loser:
            _conflict(lambda: loser.orders.update(_next(order, "b"), expected_version=1), loser)
        assert [(stored.entity_id, stored.version) for stored in _log(make_uow)] == [
            ("order-1", 1),
            ("order-1", 2),
        ]

    def test_a_resent_update_does_not_double_the_log(self, make_uow: MakeUnit) -> None:
        """Sending a committed update again adds no event."""
        order = _order()
        _stored_order(make_uow, order)
        newer = _next(order)
        with make_uow() as uow:
            uow.orders.update(newer, expected_version=1)
            uow.commit()
        with make_uow() as uow:
            _conflict(lambda: uow.orders.update(newer, expected_version=1), uow)
        assert len(_log(make_uow)) == 2

    def test_updates_within_one_unit_log_each_new_event_once(self, make_uow: MakeUnit) -> None:
        """Two updates of one order in one unit log versions 2 and 3, once each."""
        order = _order()
        _stored_order(make_uow, order)
        second = _next(order)
        third = _next(second)
        with make_uow() as uow:
            uow.orders.update(second, expected_version=1)
            uow.orders.update(third, expected_version=2)
            uow.commit()
        assert [stored.version for stored in _log(make_uow)] == [1, 2, 3]

    def test_racing_writers_leave_a_gapless_log(self, make_uow: MakeUnit) -> None:
        """Under concurrent commits, positions and each order's versions have no gaps."""
        start = threading.Barrier(_THREADS, timeout=_WAIT)
        failures: list[BaseException] = []

        def work(index: int) -> None:
            try:
                uow = make_uow()
                start.wait()
                order = _order(f"order-{index}")
                with uow:
                    uow.orders.add(order)
                    uow.commit()
                for _ in range(_WRITES):
                    with uow:
                        newer = _next(order)
                        uow.orders.update(newer, expected_version=order.version)
                        uow.commit()
                    order = newer
            except BaseException as error:  # noqa: BLE001  # pragma: no cover - a failing adapter
                failures.append(error)

        threads = [threading.Thread(target=work, args=(index,)) for index in range(_THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(_WAIT * 3)
        assert failures == []
        log = _log(make_uow)
        assert [stored.position for stored in log] == list(range(1, len(log) + 1))
        assert len(log) == _THREADS * (1 + _WRITES)
        for index in range(_THREADS):
            versions = [stored.version for stored in log if stored.entity_id == f"order-{index}"]
            assert versions == list(range(1, _WRITES + 2))

    def test_the_log_is_readable_outside_a_block(self, make_uow: MakeUnit) -> None:
        """``events`` needs no ``with`` block and sees what other units committed."""
        _stored_order(make_uow, _order())
        uow = make_uow()
        assert [stored.entity_id for stored in _log(lambda: uow)] == ["order-1"]
