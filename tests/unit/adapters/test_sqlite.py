"""Tests for ``ecomkit.adapters.sqlite``: schema, documents, the unit of work's rules."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import closing

import pytest

from ecomkit import Money
from ecomkit.adapters import EventStream
from ecomkit.adapters._sqlite_schema import MIGRATIONS
from ecomkit.adapters.sqlite import SCHEMA_VERSION, SqliteUnitOfWork, migrate
from ecomkit.catalog import (
    AttributeDef,
    CatalogSchema,
    Channel,
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
    StorageError,
    UnitOfWorkError,
    VersionConflictError,
)
from ecomkit.orders import (
    AuthorizePayment,
    CapturePayment,
    ConfirmDelivery,
    FulfilLines,
    Order,
    ShipShipment,
    apply,
)
from ecomkit.returns import CancelReturn, ReturnLine, ReturnRequest, Rma, apply_return, eu_policy
from ecomkit.returns import open_return as open_rma
from sqlite_workers import AT, placed_order, toggled


# ---------------------------------------------------------------------- builders


def delivered_order(order_id: str) -> Order:
    order = placed_order(order_id)
    for command in (
        AuthorizePayment(key="a", payment_id="p1", amount=Money("60", "PLN")),
        CapturePayment(key="c", payment_id="p1"),
        FulfilLines(key="f", shipment_id="s1", lines={"l1": 3}),
        ShipShipment(key="s", shipment_id="s1"),
        ConfirmDelivery(key="d", shipment_id="s1"),
    ):
        order, _ = apply(order, command, at=AT)
    return order


def opened_return(return_id: str, order: Order) -> tuple[Rma, Order]:
    request = ReturnRequest(
        return_id=return_id,
        kind="withdrawal",
        requested_at=AT.add(days=3),
        lines=[ReturnLine(line_id="l1", quantity=1)],
    )
    rma, order, _ = open_rma(
        eu_policy(country="PL"), request, order=order, at=AT.add(days=3), key=return_id
    )
    return rma, order


SCHEMA = CatalogSchema(
    [AttributeDef("title", "text", localizable=True)],
    [ProductType("book", ["title"], description_attribute=None)],
    [Channel("web", ["en"], ["EUR"])],
)


def raw(path):
    return closing(sqlite3.connect(path, isolation_level=None))


@pytest.fixture
def path(tmp_path):
    return tmp_path / "shop.db"


@pytest.fixture
def uow(path):
    unit = SqliteUnitOfWork(path)
    yield unit
    unit.close()


@pytest.fixture
def other(path):
    unit = SqliteUnitOfWork(path)
    yield unit
    unit.close()


def store(uow, *orders):
    with uow:
        for order in orders:
            uow.orders.add(order)
        uow.commit()


# ---------------------------------------------------------------------- schema


class TestSchema:
    def test_a_new_file_gets_the_current_schema_version_and_every_table(self, path):
        assert migrate(path) == SCHEMA_VERSION == 1
        with raw(path) as connection:
            assert connection.execute("PRAGMA user_version").fetchone() == (1,)
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            }
        assert {"orders", "returns", "products", "events"} <= tables

    def test_migrating_again_changes_nothing(self, path, uow):
        store(uow, placed_order("o-1"))
        assert migrate(path) == 1
        assert migrate(str(path)) == 1
        with uow:
            assert uow.orders.get("o-1").version == 1
        assert len(uow.events()) == 1

    def test_there_is_one_migration_step_per_schema_version(self):
        assert len(MIGRATIONS) == SCHEMA_VERSION

    def test_a_file_with_a_newer_schema_is_refused_with_advice(self, path):
        migrate(path)
        with raw(path) as connection:
            connection.execute("PRAGMA user_version = 2")
        with pytest.raises(StorageError) as caught:
            SqliteUnitOfWork(path)
        assert caught.value.location == str(path)
        assert (
            "schema version 2 is newer than the supported 1; upgrade ecomkit" in caught.value.reason
        )
        with pytest.raises(StorageError, match="upgrade ecomkit"):
            migrate(path)

    def test_a_file_that_is_not_a_sqlite_database_is_refused(self, path):
        path.write_bytes(b"order_id,total\n" * 200)
        with pytest.raises(StorageError, match="not a SQLite database") as caught:
            SqliteUnitOfWork(path)
        assert caught.value.location == str(path)

    def test_a_sqlite_file_of_another_application_is_refused(self, path):
        with raw(path) as connection:
            connection.execute("CREATE TABLE notes (text TEXT)")
            connection.execute("PRAGMA user_version = 3")
        with pytest.raises(StorageError, match="another application"):
            migrate(path)

    def test_a_folder_that_does_not_exist_is_a_storage_error(self, tmp_path):
        with pytest.raises(StorageError, match="unable to open"):
            SqliteUnitOfWork(tmp_path / "missing" / "shop.db")

    def test_the_file_uses_write_ahead_logging_and_full_sync(self, path, uow):
        with raw(path) as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        connection = uow._session.connection()
        assert connection.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        assert connection.execute("PRAGMA busy_timeout").fetchone() == (30_000,)
        assert connection.isolation_level is None

    def test_the_event_log_refuses_updates_and_deletes(self, path, uow):
        store(uow, placed_order("o-1"))
        with raw(path) as connection:
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                connection.execute("UPDATE events SET type = 'Forged'")
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                connection.execute("DELETE FROM events")
        assert [stored.version for stored in uow.events()] == [1]

    @pytest.mark.parametrize("bad", [":memory:", "", "   ", "file::memory:?cache=shared"])
    def test_in_memory_and_empty_paths_are_refused(self, bad):
        with pytest.raises(InvalidValueError, match="InMemoryUnitOfWork") as caught:
            SqliteUnitOfWork(bad)
        assert caught.value.field == "path"
        with pytest.raises(InvalidValueError):
            migrate(bad)

    @pytest.mark.parametrize("bad", [None, 42, b"shop.db"])
    def test_a_path_of_another_type_is_refused(self, bad):
        with pytest.raises(InvalidTypeError) as caught:
            SqliteUnitOfWork(bad)
        assert caught.value.field == "path"

    def test_a_path_like_that_gives_bytes_is_refused(self):
        class BytesPath:
            def __fspath__(self):
                return b"shop.db"

        with pytest.raises(InvalidTypeError, match="path"):
            SqliteUnitOfWork(BytesPath())

    @pytest.mark.parametrize(
        ("bad", "error"),
        [
            (-1, InvalidValueError),
            (float("nan"), InvalidValueError),
            ("3", InvalidTypeError),
            (True, InvalidTypeError),
        ],
    )
    def test_a_bad_timeout_is_refused(self, path, bad, error):
        with pytest.raises(error) as caught:
            SqliteUnitOfWork(path, timeout=bad)
        assert caught.value.field == "timeout"


# ---------------------------------------------------------------------- documents


class TestDocuments:
    def test_orders_are_stored_as_json_documents_with_query_columns(self, path, uow):
        order = placed_order("o-1", customer_id="c-7")
        store(uow, order)
        with raw(path) as connection:
            row = connection.execute(
                "SELECT version, status, placed_at, customer_id, document FROM orders"
            ).fetchone()
        version, status, placed_at, customer_id, document = row
        assert (version, status, customer_id) == (1, "placed", "c-7")
        assert placed_at == "2026-03-02T09:00:00+00:00"  # UTC, so that it sorts
        assert json.loads(document)["order_id"] == "o-1"

    def test_events_are_stored_as_json_with_their_type_and_utc_time(self, path, uow):
        store(uow, placed_order("o-1"))
        with raw(path) as connection:
            row = connection.execute(
                "SELECT position, stream, entity_id, version, type, at, document FROM events"
            ).fetchone()
        assert row[:6] == (1, "order", "o-1", 1, "OrderPlaced", "2026-03-02T09:00:00+00:00")
        assert json.loads(row[6])["type"] == "OrderPlaced"

    def test_every_kind_reads_back_equal_to_what_was_stored(self, uow):
        order = delivered_order("o-1")
        rma, _ = opened_return("r-1", order)
        product = create_product(SCHEMA, sku="B-1", product_type="book", at=AT).product
        with uow:
            uow.orders.add(order)
            uow.returns.add(rma)
            uow.products.add(product)
            uow.commit()
        with uow:
            assert uow.orders.get("o-1") == order
            assert uow.returns.get("r-1") == rma
            assert uow.products.get("B-1") == product

    def test_a_damaged_document_is_a_storage_error_naming_the_table_and_id(self, path, uow):
        store(uow, placed_order("o-1"))
        with raw(path) as connection:
            connection.execute("UPDATE orders SET document = '{\"order_id\": 12'")
        with uow, pytest.raises(StorageError) as caught:
            uow.orders.get("o-1")
        assert caught.value.location == f"table orders in {path}"
        assert "'o-1'" in caught.value.reason

    def test_a_document_that_disagrees_with_its_row_is_a_storage_error(self, path, uow):
        store(uow, placed_order("o-1"))
        with raw(path) as connection:
            connection.execute("UPDATE orders SET version = 5")
        with uow, pytest.raises(StorageError, match="holds the document of 'o-1' at version 1"):
            uow.orders.get("o-1")

    def test_a_damaged_event_is_a_storage_error_naming_its_position(self, path, uow):
        store(uow, placed_order("o-1"))
        with raw(path) as connection:
            connection.execute(
                "INSERT INTO events (stream, entity_id, version, type, at, document) "
                "VALUES ('order', 'o-1', 2, 'OrderHeld', 'x', '{\"type\": \"OrderHeld\"}')"
            )
        assert len(uow.events(limit=1)) == 1
        with pytest.raises(StorageError, match="position 2") as caught:
            uow.events()
        assert caught.value.location == f"table events in {path}"

    def test_a_broken_table_is_a_storage_error_not_a_sqlite_error(self, path, uow):
        with raw(path) as connection:
            connection.execute("DROP TABLE returns")
        with uow, pytest.raises(StorageError, match="no such table"):
            uow.returns.get("r-1")

    def test_a_log_that_disagrees_with_the_documents_is_a_storage_error(self, path, uow):
        store(uow, placed_order("o-1"))
        with raw(path) as connection:
            connection.execute(
                "INSERT INTO events (stream, entity_id, version, type, at, document) "
                "VALUES ('order', 'o-1', 2, 'OrderHeld', 'x', '{}')"
            )
        with uow:
            order = uow.orders.get("o-1")
            uow.orders.update(toggled(order, "k2"), expected_version=1)
            with pytest.raises(StorageError, match="disagree") as caught:
                uow.commit()
            assert caught.value.location == f"table events in {path}"
            assert uow.orders.get("o-1").version == 1  # the document change was rolled back


# ---------------------------------------------------------------------- the unit's life


class TestLifecycle:
    def test_data_survives_reopening_the_file_in_a_new_unit(self, path):
        first = SqliteUnitOfWork(path)
        store(first, placed_order("o-1"))
        first.close()
        second = SqliteUnitOfWork(str(path))
        try:
            with second:
                assert second.orders.get("o-1") == placed_order("o-1")
            assert [stored.entity_id for stored in second.events()] == ["o-1"]
        finally:
            second.close()

    def test_a_closed_unit_opens_a_new_connection_when_used_again(self, uow):
        store(uow, placed_order("o-1"))
        uow.close()
        uow.close()  # closing twice is harmless
        with uow:
            assert uow.orders.get("o-1").version == 1
        store(uow, placed_order("o-2"))
        assert len(uow.events()) == 2

    def test_closing_inside_a_block_is_refused(self, uow):
        with uow:
            with pytest.raises(UnitOfWorkError, match="after the block"):
                uow.close()
            uow.orders.add(placed_order("o-1"))
            uow.commit()

    def test_repr_and_path_name_the_absolute_file(self, path, uow, monkeypatch):
        assert repr(uow) == f"SqliteUnitOfWork({str(path)!r}, timeout=30.0)"
        assert uow.path == path
        monkeypatch.chdir(path.parent)
        relative = SqliteUnitOfWork("shop.db", timeout=2)
        try:
            assert relative.path == path
            assert relative.path.is_absolute()
        finally:
            relative.close()

    def test_repositories_commit_and_rollback_are_refused_outside_a_block(self, uow):
        for name in ("orders", "returns", "products"):
            with pytest.raises(UnitOfWorkError, match="inside a `with` block"):
                getattr(uow, name)
        with pytest.raises(UnitOfWorkError):
            uow.commit()
        with pytest.raises(UnitOfWorkError):
            uow.rollback()
        with uow:
            kept = uow.orders
        with pytest.raises(UnitOfWorkError):
            kept.get("o-1")
        with pytest.raises(UnitOfWorkError):
            kept.add(placed_order("o-1"))

    def test_entering_an_entered_unit_is_refused(self, uow):
        with uow:
            with pytest.raises(UnitOfWorkError, match="already entered"), uow:
                pass
            uow.orders.add(placed_order("o-1"))
            uow.commit()
        with uow:  # reusable once the block ended
            assert uow.orders.get("o-1").version == 1

    def test_another_thread_cannot_use_or_enter_an_entered_unit(self, uow):
        errors = []

        def intrude():
            for attempt in (lambda: uow.orders, uow.commit, uow.rollback, uow.__enter__):
                try:
                    attempt()
                except UnitOfWorkError as error:
                    errors.append(error)

        with uow:
            thread = threading.Thread(target=intrude)
            thread.start()
            thread.join()
            uow.orders.add(placed_order("o-1"))
            uow.commit()
        assert len(errors) == 4
        assert "another thread" in str(errors[0])

    def test_a_unit_entered_in_one_thread_can_be_entered_by_another_later(self, uow):
        store(uow, placed_order("o-1"))
        seen = []

        def read():
            with uow:
                seen.append(uow.orders.get("o-1").version)

        thread = threading.Thread(target=read)
        thread.start()
        thread.join()
        assert seen == [1]


# ---------------------------------------------------------------------- visibility and versions


class TestVisibility:
    def test_a_unit_sees_its_own_writes_and_others_see_them_only_after_commit(self, uow, other):
        with uow:
            uow.orders.add(placed_order("o-1"))
            assert uow.orders.get("o-1").version == 1
            with other, pytest.raises(OrderNotFoundError):
                other.orders.get("o-1")
            assert uow.events() == ()
            uow.commit()
        with other:
            assert other.orders.get("o-1").version == 1

    def test_rollback_and_leaving_without_commit_drop_the_changes(self, uow):
        with uow:
            uow.orders.add(placed_order("o-1"))
            uow.rollback()
            with pytest.raises(OrderNotFoundError):
                uow.orders.get("o-1")
            uow.orders.add(placed_order("o-2"))

        def fail_inside_a_block():
            with uow:
                uow.orders.add(placed_order("o-3"))
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            fail_inside_a_block()
        with uow:
            for order_id in ("o-1", "o-2", "o-3"):
                with pytest.raises(OrderNotFoundError):
                    uow.orders.get(order_id)
        assert uow.events() == ()

    def test_the_block_goes_on_after_a_commit(self, uow):
        with uow:
            uow.orders.add(placed_order("o-1"))
            uow.commit()
            order = uow.orders.get("o-1")
            uow.orders.update(toggled(order, "k2"), expected_version=1)
            uow.commit()
            uow.commit()  # nothing left to store
        assert [stored.version for stored in uow.events()] == [1, 2]

    def test_reads_are_not_blocked_by_a_writer_in_another_connection(self, path, uow):
        store(uow, placed_order("o-1"))
        with raw(path) as connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE orders SET status = 'busy'")
            with uow:
                assert uow.orders.get("o-1").version == 1
            assert len(uow.events()) == 1
            connection.execute("ROLLBACK")


class TestVersions:
    def test_adding_a_stored_id_conflicts_at_once(self, uow):
        store(uow, placed_order("o-1"))
        with uow, pytest.raises(VersionConflictError) as caught:
            uow.orders.add(placed_order("o-1"))
        assert (caught.value.entity_id, caught.value.expected, caught.value.actual) == ("o-1", 0, 1)

    def test_adding_an_id_twice_in_one_unit_conflicts(self, uow):
        with uow:
            uow.orders.add(placed_order("o-1"))
            with pytest.raises(VersionConflictError):
                uow.orders.add(placed_order("o-1"))

    def test_two_units_adding_one_id_store_it_once(self, uow, other):
        with uow, other:
            uow.orders.add(placed_order("o-1"))
            other.orders.add(placed_order("o-1"))
            uow.commit()
            with pytest.raises(VersionConflictError) as caught:
                other.commit()
        assert (caught.value.expected, caught.value.actual) == (0, 1)
        assert len(uow.events()) == 1

    def test_a_stale_update_is_refused_at_once(self, uow, other):
        store(uow, placed_order("o-1"))
        with uow:
            order = uow.orders.get("o-1")
            uow.orders.update(toggled(order, "k2"), expected_version=1)
            uow.commit()
        with other, pytest.raises(VersionConflictError) as caught:
            other.orders.update(toggled(order, "k3"), expected_version=1)
        assert (caught.value.expected, caught.value.actual) == (1, 2)

    def test_a_failed_commit_stores_nothing_of_the_unit(self, uow, other):
        store(uow, placed_order("o-1"))
        with uow, other:
            first = uow.orders.get("o-1")
            uow.orders.add(placed_order("o-2"))
            uow.orders.update(toggled(first, "k-uow"), expected_version=1)
            other.orders.update(toggled(first, "k-other"), expected_version=1)
            other.commit()
            with pytest.raises(VersionConflictError) as caught:
                uow.commit()
            assert (caught.value.expected, caught.value.actual) == (1, 2)
            with pytest.raises(OrderNotFoundError):
                uow.orders.get("o-2")
            assert uow.orders.get("o-1").events[-1].key == "k-other"
        assert [(stored.entity_id, stored.version) for stored in uow.events()] == [
            ("o-1", 1),
            ("o-1", 2),
        ]

    def test_an_order_removed_before_the_commit_is_not_found_and_nothing_is_stored(self, path, uow):
        store(uow, placed_order("o-1"), placed_order("o-2"))
        with uow:
            order = uow.orders.get("o-1")
            uow.orders.update(toggled(order, "k2"), expected_version=1)
            uow.orders.add(placed_order("o-3"))
            with raw(path) as connection:
                connection.execute("DELETE FROM orders WHERE order_id = 'o-1'")
            with pytest.raises(OrderNotFoundError):
                uow.commit()
            with pytest.raises(OrderNotFoundError):
                uow.orders.get("o-3")
        assert len(uow.events()) == 2

    def test_updating_an_unknown_id_is_not_found(self, uow):
        with uow, pytest.raises(OrderNotFoundError) as caught:
            uow.orders.update(toggled(placed_order("o-9"), "k"), expected_version=1)
        assert caught.value.order_id == "o-9"

    def test_getting_an_unknown_id_is_not_found_for_every_kind(self, uow):
        with uow:
            with pytest.raises(OrderNotFoundError):
                uow.orders.get("o-9")
            with pytest.raises(ReturnNotFoundError):
                uow.returns.get("r-9")
            with pytest.raises(ProductNotFoundError):
                uow.products.get("B-9")

    def test_a_version_that_is_not_above_the_expected_one_is_refused(self, uow):
        store(uow, placed_order("o-1"))
        with uow:
            order = uow.orders.get("o-1")
            with pytest.raises(InvalidValueError) as caught:
                uow.orders.update(order, expected_version=1)
            assert caught.value.field == "version"
            with pytest.raises(InvalidValueError, match="expected_version"):
                uow.orders.update(toggled(order, "k"), expected_version=-1)

    @pytest.mark.parametrize("bad", ["o-1", None, 3])
    def test_adding_something_that_is_not_an_order_is_refused(self, uow, bad):
        with uow, pytest.raises(InvalidTypeError) as caught:
            uow.orders.add(bad)
        assert caught.value.field == "order"

    def test_bad_ids_and_versions_have_typed_errors(self, uow):
        rma, _ = opened_return("r-1", delivered_order("o-1"))
        with uow:
            with pytest.raises(InvalidTypeError, match="rma"):
                uow.returns.add(placed_order("o-1"))
            with pytest.raises(InvalidTypeError, match="order_id"):
                uow.orders.get(7)
            with pytest.raises(InvalidTypeError, match="return_id"):
                uow.returns.get(None)
            with pytest.raises(InvalidTypeError, match="sku"):
                uow.products.get(1.5)
            with pytest.raises(InvalidTypeError, match="expected_version"):
                uow.returns.update(rma, expected_version="1")
            with pytest.raises(InvalidTypeError, match="expected_version"):
                uow.returns.update(rma, expected_version=True)

    def test_several_updates_in_one_unit_are_one_change_from_the_first_version(self, uow, other):
        store(uow, placed_order("o-1"))
        with uow:
            order = uow.orders.get("o-1")
            for step in range(3):
                changed = toggled(order, f"k{step}")
                uow.orders.update(changed, expected_version=order.version)
                order = changed
            with other:  # meanwhile the stored order moves on
                stored = other.orders.get("o-1")
                other.orders.update(toggled(stored, "k-other"), expected_version=1)
                other.commit()
            with pytest.raises(VersionConflictError) as caught:
                uow.commit()
        assert (caught.value.expected, caught.value.actual) == (1, 2)
        with uow:
            order = uow.orders.get("o-1")
            for step in range(3):
                changed = toggled(order, f"k{step}")
                uow.orders.update(changed, expected_version=order.version)
                order = changed
            uow.commit()
        assert [stored.version for stored in uow.events()] == [1, 2, 3, 4, 5]


# ---------------------------------------------------------------------- RMAs and the catalog


class TestReturns:
    def test_for_order_lists_committed_and_own_returns_sorted_by_id(self, uow, other):
        order = delivered_order("o-1")
        with uow:
            uow.returns.add(opened_return("r-2", order)[0])
            uow.commit()
            uow.returns.add(opened_return("r-1", order)[0])
            uow.returns.add(opened_return("r-3", delivered_order("o-2"))[0])
            assert [rma.return_id for rma in uow.returns.for_order("o-1")] == ["r-1", "r-2"]
            with other:
                assert [rma.return_id for rma in other.returns.for_order("o-1")] == ["r-2"]
                assert other.returns.for_order("o-9") == ()
            uow.commit()
        with other:
            assert [rma.return_id for rma in other.returns.for_order("o-1")] == ["r-1", "r-2"]
            with pytest.raises(InvalidTypeError, match="order_id"):
                other.returns.for_order(1)

    def test_a_return_update_appends_its_new_events(self, uow):
        order = delivered_order("o-1")
        rma, order = opened_return("r-1", order)
        with uow:
            uow.returns.add(rma)
            uow.commit()
            cancelled, _, _ = apply_return(
                rma, CancelReturn(key="x"), order=order, at=AT.add(days=4)
            )
            uow.returns.update(cancelled, expected_version=2)
            assert uow.returns.for_order("o-1") == (cancelled,)
            uow.commit()
        log = uow.events()
        assert [(s.stream, s.version, type(s.event).__name__) for s in log][-1] == (
            EventStream.RETURN,
            3,
            "ReturnCancelled",
        )
        assert [s.version for s in log] == [1, 2, 3]


class TestProducts:
    def test_product_events_given_to_add_and_update_are_logged(self, uow):
        created = create_product(SCHEMA, sku="B-1", product_type="book", at=AT)
        edited = edit_product(
            SCHEMA, created.product, [SetValue("title", "Dune", locale="en")], at=AT
        )
        with uow:
            uow.products.add(created.product, event=created.event)
            uow.commit()
            uow.products.update(edited.product, expected_version=1, event=edited.event)
            uow.commit()
            assert uow.products.get("B-1") == edited.product
        log = uow.events()
        assert [(s.stream, s.entity_id, s.version) for s in log] == [
            (EventStream.PRODUCT, "B-1", 1),
            (EventStream.PRODUCT, "B-1", 2),
        ]
        assert [s.event for s in log] == [created.event, edited.event]

    def test_a_product_without_an_event_logs_nothing(self, uow):
        with uow:
            uow.products.add(create_product(SCHEMA, sku="B-1", product_type="book", at=AT).product)
            uow.commit()
        assert uow.events() == ()

    def test_an_event_that_does_not_record_this_change_is_refused(self, uow):
        created = create_product(SCHEMA, sku="B-1", product_type="book", at=AT)
        other = create_product(SCHEMA, sku="B-2", product_type="book", at=AT)
        with uow:
            with pytest.raises(InvalidTypeError, match="event"):
                uow.products.add(created.product, event="ProductCreated")
            with pytest.raises(InvalidValueError, match="'B-1'"):
                uow.products.add(created.product, event=other.event)
            uow.products.add(created.product, event=created.event)
            uow.commit()
            edited = edit_product(
                SCHEMA, created.product, [SetValue("title", "Dune", locale="en")], at=AT
            )
            with pytest.raises(InvalidValueError, match="version"):
                uow.products.update(edited.product, expected_version=1, event=created.event)
            with pytest.raises(InvalidTypeError, match="product"):
                uow.products.update(created.event, expected_version=1)


# ---------------------------------------------------------------------- the event log and locks


class TestEventLog:
    def test_positions_follow_commit_order_and_can_be_paged(self, uow, other):
        store(uow, placed_order("o-1"))
        store(other, placed_order("o-2"), placed_order("o-3"))
        log = uow.events()
        assert [(s.position, s.entity_id) for s in log] == [(1, "o-1"), (2, "o-2"), (3, "o-3")]
        assert uow.events(after=1) == log[1:]
        assert uow.events(after=1, limit=1) == log[1:2]
        assert uow.events(after=3) == ()
        assert uow.events(limit=0) == ()

    def test_the_log_can_be_read_inside_a_block_and_from_another_thread(self, uow):
        store(uow, placed_order("o-1"))
        seen = []
        with uow:
            thread = threading.Thread(target=lambda: seen.append(len(uow.events())))
            thread.start()
            thread.join()
            assert len(uow.events()) == 1
        assert seen == [1]

    @pytest.mark.parametrize(
        ("arguments", "error", "field"),
        [
            ({"after": -1}, InvalidValueError, "after"),
            ({"after": "0"}, InvalidTypeError, "after"),
            ({"limit": -2}, InvalidValueError, "limit"),
            ({"limit": 1.0}, InvalidTypeError, "limit"),
            ({"limit": True}, InvalidTypeError, "limit"),
        ],
    )
    def test_bad_positions_and_limits_are_refused(self, uow, arguments, error, field):
        with pytest.raises(error) as caught:
            uow.events(**arguments)
        assert caught.value.field == field

    def test_a_database_locked_past_the_timeout_is_a_storage_error_and_stores_nothing(self, path):
        impatient = SqliteUnitOfWork(path, timeout=0.05)
        try:
            with raw(path) as connection, impatient:
                connection.execute("BEGIN IMMEDIATE")
                impatient.orders.add(placed_order("o-1"))
                with pytest.raises(StorageError, match="locked by another writer") as caught:
                    impatient.commit()
                assert caught.value.location == str(path)
                connection.execute("ROLLBACK")
                with pytest.raises(OrderNotFoundError):
                    impatient.orders.get("o-1")  # the failed commit emptied the buffer
                impatient.orders.add(placed_order("o-1"))
                impatient.commit()
            assert len(impatient.events()) == 1
        finally:
            impatient.close()
