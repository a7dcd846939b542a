"""Crash tests for ``ecomkit.adapters.sqlite``: a unit dying at any point stores nothing.

A spawned child process stages a change and exits abruptly (``os._exit``) inside its
``with`` block or in the middle of ``commit()``; the file must be exactly as before,
intact, and writable by the next unit.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from contextlib import closing

import pytest

from ecomkit.adapters.sqlite import SqliteUnitOfWork
from sqlite_workers import (
    CRASH_EXIT,
    crash_inside_block,
    crash_inside_commit,
    placed_order,
    toggled,
)


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "shop.db"
    uow = SqliteUnitOfWork(target)
    with uow:
        uow.orders.add(placed_order("o-1"))
        uow.orders.add(placed_order("o-2"))
        uow.commit()
        order = uow.orders.get("o-1")
        uow.orders.update(toggled(order, "k-hold"), expected_version=1)
        uow.commit()
    uow.close()
    return target


def snapshot(path):
    """Everything stored in the file, row by row."""
    with closing(sqlite3.connect(path)) as connection:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # noqa: S608
            for table in ("orders", "returns", "products", "events")
        }


def assert_intact_and_writable(path, before):
    assert snapshot(path) == before
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    uow = SqliteUnitOfWork(path, timeout=5)
    try:
        with uow:
            order = uow.orders.get("o-1")
            assert order.version == 2
            uow.orders.update(toggled(order, "k-after"), expected_version=2)
            uow.commit()
        assert [stored.version for stored in uow.events() if stored.entity_id == "o-1"] == [
            1,
            2,
            3,
        ]
    finally:
        uow.close()


def run_child(target, *args):
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=target, args=args)
    process.start()
    process.join(timeout=60)
    return process.exitcode


def test_a_process_dying_inside_its_block_leaves_the_file_as_it_was(path):
    before = snapshot(path)
    assert run_child(crash_inside_block, str(path), "o-1") == CRASH_EXIT
    assert_intact_and_writable(path, before)


@pytest.mark.parametrize("step", ["events", "commit"])
def test_a_process_dying_in_the_middle_of_commit_leaves_the_file_as_it_was(path, step):
    before = snapshot(path)
    assert run_child(crash_inside_commit, str(path), "o-1", step) == CRASH_EXIT
    assert_intact_and_writable(path, before)


@pytest.mark.parametrize("step", ["documents", "events", "commit"])
def test_an_error_in_the_middle_of_commit_stores_nothing_and_the_unit_goes_on(
    path, monkeypatch, step
):
    def fail(_uow, reached):
        if reached == step:
            raise OSError(f"disk unplugged at {reached}")

    before = snapshot(path)
    uow = SqliteUnitOfWork(path)
    try:
        with uow:
            order = uow.orders.get("o-1")
            uow.orders.add(placed_order("o-3"))
            uow.orders.update(toggled(order, "k-lost"), expected_version=2)
            monkeypatch.setattr(SqliteUnitOfWork, "_before_commit_step", fail)
            with pytest.raises(OSError, match="disk unplugged"):
                uow.commit()
            monkeypatch.undo()
            assert snapshot(path) == before
            assert uow.orders.get("o-1").version == 2  # the buffer was emptied
            uow.commit()  # and nothing is left to store
        assert snapshot(path) == before
    finally:
        uow.close()
    assert_intact_and_writable(path, before)
