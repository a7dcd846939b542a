"""The repository contract suites: ``uow.orders``, ``uow.returns`` and ``uow.products``."""

# ruff: noqa: S101, PLR2004
# A contract suite is a set of pytest tests shipped in the package: ``assert`` is how pytest
# reports, and the literal versions and counts are the expected results.

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomkit.catalog import Product
from ecomkit.errors import (
    InvalidTypeError,
    InvalidValueError,
    OrderNotFoundError,
    ProductNotFoundError,
    ReturnNotFoundError,
    VersionConflictError,
)
from ecomkit.orders import Order, OrderId, ReturnId
from ecomkit.returns import ReturnRequest, eu_policy, open_return
from ecomkit.testing.contracts._storage import (
    _PROPERTY_SETTINGS,
    MakeUnit,
    _conflict,
    _edit,
    _fresh,
    _has_order,
    _next,
    _order,
    _product,
    _read_order,
    _returns,
    _StorageContract,
    _stored_order,
    _write_and_commit,
)
from ecomkit.testing.strategies import (
    catalog_products,
    delivered_orders,
    order_specs,
    orders,
    return_requests,
)


__all__ = [
    "OrderRepositoryContract",
    "ProductRepositoryContract",
    "ReturnRepositoryContract",
]


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
