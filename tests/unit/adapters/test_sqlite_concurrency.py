"""Concurrency tests for ``ecomkit.adapters.sqlite``: threads and processes on one file.

Outcomes are deterministic: barriers start the writers together or force an interleaving,
and the assertions are about what ends up stored, never about timings.
"""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from ecomkit.adapters.sqlite import SqliteUnitOfWork
from ecomkit.errors import VersionConflictError
from sqlite_workers import placed_order, toggle_once, toggle_steps, toggled


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "shop.db"
    uow = SqliteUnitOfWork(target)
    with uow:
        uow.orders.add(placed_order("o-1"))
        uow.commit()
    uow.close()
    return target


def stored_log(path):
    uow = SqliteUnitOfWork(path)
    try:
        with uow:
            order = uow.orders.get("o-1")
        return order, uow.events()
    finally:
        uow.close()


def assert_every_step_stored_once(path, keys):
    order, log = stored_log(path)
    assert order.version == 1 + len(keys)
    assert [stored.position for stored in log] == list(range(1, len(keys) + 2))
    assert [stored.version for stored in log] == list(range(1, len(keys) + 2))
    assert {stored.entity_id for stored in log} == {"o-1"}
    logged = [stored.event.key for stored in log[1:]]
    assert sorted(logged) == sorted(keys)
    assert [event.key for event in order.events[1:]] == logged


def test_threads_racing_on_one_order_store_every_step_exactly_once(path):
    workers, steps = 4, 10
    start = threading.Barrier(workers)
    failures = []

    def run(worker):
        try:
            start.wait()
            for step in range(steps):
                uow = SqliteUnitOfWork(path)  # a new unit per step, as a web request would
                try:
                    toggle_once(uow, "o-1", f"w{worker}-s{step}")
                finally:
                    uow.close()
        except Exception as error:  # noqa: BLE001 - reported to the test thread below
            failures.append(error)

    threads = [threading.Thread(target=run, args=(worker,)) for worker in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert_every_step_stored_once(
        path, [f"w{worker}-s{step}" for worker in range(workers) for step in range(steps)]
    )


def test_processes_racing_on_one_order_store_every_step_exactly_once(path):
    context = multiprocessing.get_context("spawn")
    workers, steps = 3, 8
    start = context.Barrier(workers)
    processes = [
        context.Process(target=toggle_steps, args=(str(path), "o-1", worker, steps, start))
        for worker in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [process.exitcode for process in processes] == [0] * workers
    assert_every_step_stored_once(
        path, [f"w{worker}-s{step}" for worker in range(workers) for step in range(steps)]
    )


def test_a_commit_based_on_a_stale_read_is_refused_and_stores_nothing(path):
    first, second = SqliteUnitOfWork(path), SqliteUnitOfWork(path)
    try:
        with first:
            seen = first.orders.get("o-1")
            first.orders.update(toggled(seen, "k-first"), expected_version=1)
            with second:
                order = second.orders.get("o-1")
                second.orders.update(toggled(order, "k-second"), expected_version=1)
                second.commit()
            with pytest.raises(VersionConflictError) as caught:
                first.commit()
            assert (caught.value.entity_id, caught.value.expected, caught.value.actual) == (
                "o-1",
                1,
                2,
            )
            assert [stored.event.key for stored in first.events()] == ["o-1/place", "k-second"]

            fresh = first.orders.get("o-1")  # the failed commit emptied the buffer
            assert fresh.version == 2
            first.orders.update(toggled(fresh, "k-first"), expected_version=2)
            first.commit()
        order, log = stored_log(path)
        assert order.version == 3
        assert [stored.event.key for stored in log] == ["o-1/place", "k-second", "k-first"]
    finally:
        first.close()
        second.close()


def test_of_two_threads_that_read_the_same_version_exactly_one_commits(path):
    staged = threading.Barrier(2)
    outcomes = {}

    def run(name):
        uow = SqliteUnitOfWork(path)
        try:
            with uow:
                order = uow.orders.get("o-1")
                uow.orders.update(toggled(order, name), expected_version=order.version)
                staged.wait()  # both have staged a change based on version 1
                try:
                    uow.commit()
                except VersionConflictError as error:
                    outcomes[name] = (error.expected, error.actual)
                else:
                    outcomes[name] = "stored"
        finally:
            uow.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values(), key=str) == [(1, 2), "stored"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "stored")
    order, log = stored_log(path)
    assert order.version == 2
    assert [stored.event.key for stored in log] == ["o-1/place", winner]
