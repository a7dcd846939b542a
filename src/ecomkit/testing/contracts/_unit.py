"""The unit-of-work contract suites: the unit itself, the whole adapter and the event log."""

# ruff: noqa: S101, PLR2004
# A contract suite is a set of pytest tests shipped in the package: ``assert`` is how pytest
# reports, and the literal versions and counts are the expected results.

from __future__ import annotations

import threading

import pytest

from ecomkit.adapters._log import EventStream
from ecomkit.errors import (
    OrderNotFoundError,
    ReturnNotFoundError,
    UnitOfWorkError,
    VersionConflictError,
)
from ecomkit.ports import UnitOfWork
from ecomkit.testing.contracts._repositories import (
    OrderRepositoryContract,
    ProductRepositoryContract,
    ReturnRepositoryContract,
)
from ecomkit.testing.contracts._storage import (
    _THREADS,
    _WAIT,
    _WRITES,
    MakeUnit,
    _BoomError,
    _conflict,
    _edit,
    _has_order,
    _log,
    _next,
    _order,
    _product,
    _read_order,
    _returns,
    _StorageContract,
    _stored_order,
)


__all__ = [
    "AdapterContract",
    "EventLogContract",
    "UnitOfWorkContract",
]


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
