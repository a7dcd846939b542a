"""Builders and child-process workers for the SQLite adapter's tests.

The workers run in processes started with ``multiprocessing.get_context("spawn")``; they
are module-level functions so that a spawned child can import them by name (``tests/`` is
on the path). A worker reports failure through its exit code.
"""

from __future__ import annotations

import os
from typing import Final

import pendulum

from ecomkit import Money
from ecomkit.adapters.sqlite import SqliteUnitOfWork
from ecomkit.errors import VersionConflictError
from ecomkit.orders import (
    HoldOrder,
    LineSpec,
    Order,
    OrderSpec,
    OrderStatus,
    PlaceOrder,
    ReleaseOrder,
    apply,
)


AT: Final = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Warsaw")
"""When every test order was placed and changed."""

MAX_ATTEMPTS: Final = 1000
"""How many times a worker retries one step after version conflicts before it gives up."""

CRASH_EXIT: Final = 17
"""The exit code of a child that crashed on purpose."""


def placed_order(order_id: str = "o-1", *, customer_id: str | None = None) -> Order:
    """Return a freshly placed order (version 1)."""
    spec = OrderSpec(
        order_id=order_id,
        channel="web",
        currency="PLN",
        timezone="Europe/Warsaw",
        customer_id=customer_id,
        lines=[LineSpec(line_id="l1", sku="TEA", quantity=3, unit_price=Money("20", "PLN"))],
    )
    order, _ = apply(None, PlaceOrder(key=f"{order_id}/place", spec=spec), at=AT)
    return order


def toggled(order: Order, key: str) -> Order:
    """Return *order* put on hold, or released when it is on hold (one new version)."""
    command = (
        ReleaseOrder(key=key)
        if order.status is OrderStatus.ON_HOLD
        else HoldOrder(key=key, reason="review")
    )
    changed, _ = apply(order, command, at=AT)
    return changed


def toggle_once(uow: SqliteUnitOfWork, order_id: str, key: str) -> int:
    """Read, toggle and commit one order in *uow*, retrying on conflicts; return the attempts.

    Raises:
        RuntimeError: The step did not succeed within ``MAX_ATTEMPTS`` attempts.
    """
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with uow:
            order = uow.orders.get(order_id)
            try:
                # Either call may find that another unit committed since the read.
                uow.orders.update(toggled(order, key), expected_version=order.version)
                uow.commit()
            except VersionConflictError:
                continue
            return attempt
    msg = f"step {key!r} did not commit in {MAX_ATTEMPTS} attempts"
    raise RuntimeError(msg)


def toggle_steps(path: str, order_id: str, worker: int, steps: int, start: object) -> None:
    """Run *steps* read-modify-write steps on one order, after waiting on the *start* barrier.

    The key of step ``s`` is ``"w{worker}-s{s}"``. Exits non-zero when a step fails.
    """
    uow = SqliteUnitOfWork(path)
    try:
        start.wait()  # type: ignore[attr-defined]
        for step in range(steps):
            toggle_once(uow, order_id, f"w{worker}-s{step}")
    finally:
        uow.close()


def crash_inside_block(path: str, order_id: str) -> None:
    """Stage a change to an order, then die before ``commit()``."""
    uow = SqliteUnitOfWork(path)
    with uow:
        order = uow.orders.get(order_id)
        uow.orders.update(toggled(order, "crash"), expected_version=order.version)
        os._exit(CRASH_EXIT)


def crash_inside_commit(path: str, order_id: str, step: str) -> None:
    """Stage a change to an order and die inside ``commit()`` when it reaches *step*."""

    def die(_uow: SqliteUnitOfWork, reached: str) -> None:
        if reached == step:
            os._exit(CRASH_EXIT)

    SqliteUnitOfWork._before_commit_step = die  # type: ignore[method-assign]
    uow = SqliteUnitOfWork(path)
    with uow:
        order = uow.orders.get(order_id)
        uow.orders.update(toggled(order, "crash"), expected_version=order.version)
        uow.commit()
