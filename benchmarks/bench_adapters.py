"""Storage adapters: one order change stored through a unit of work vs by hand with sqlite3.

The operation timed is what every service does once per step: load an order, apply one
command to it, store it over the version it was loaded at, append its new event, commit.
Each side runs the same ``--steps-per-order`` commands (authorize, capture, hold, release)
over the same ``--orders`` orders, placed before the timing starts.

Sides:

- **SqliteUnitOfWork**: ``with uow: uow.orders.get(...)``, ``apply``,
  ``uow.orders.update(..., expected_version=...)``, ``uow.commit()``. The adapter reads
  the committed row, buffers the change, and at commit runs ``BEGIN IMMEDIATE``, an
  ``UPDATE ... WHERE version = ?`` and the event ``INSERT`` in one transaction.
- **hand-written sqlite3** (the floor): the same table layout and the same statements,
  written inline the way a host without ecomkit's adapter would: ``SELECT`` the document,
  ``from_json``, ``apply``, ``to_json``, then ``BEGIN IMMEDIATE``, the conditional
  ``UPDATE``, the event ``INSERT``, ``COMMIT``. No unit-of-work bookkeeping, no thread
  checks, no read-your-writes buffer.
- **InMemoryUnitOfWork**: the same loop as the SQLite side on the in-memory adapter, to show
  what the domain and the unit of work cost without a file.

Both SQLite sides use WAL and ``synchronous=FULL`` (every commit reaches the disk), so most
of their time is the file system's. The ratio column is the side's throughput divided by
the hand-written floor's: 1.00x means the adapter costs nothing on top of the statements
it runs. Before printing, the script checks that all sides end with equal orders and the
same number of stored events.
"""

from __future__ import annotations

import pathlib
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from decimal import Decimal

import pendulum

from _harness import Timing, format_ops, format_ratio, machine_summary, print_table, quick_parser
from ecomkit import Money
from ecomkit.adapters.memory import InMemoryUnitOfWork
from ecomkit.adapters.sqlite import SqliteUnitOfWork
from ecomkit.orders import (
    AuthorizePayment,
    CapturePayment,
    HoldOrder,
    LineSpec,
    Order,
    OrderCommand,
    OrderSpec,
    PlaceOrder,
    ReleaseOrder,
    apply,
)
from ecomkit.ports import UnitOfWork
from ecomkit.serialization import from_json, to_json


_AT = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Warsaw")


def placed_orders(count: int) -> list[Order]:
    """Return *count* placed orders with two lines each."""
    orders = []
    for number in range(count):
        spec = OrderSpec(
            order_id=f"o-{number:05d}",
            channel="web",
            currency="PLN",
            timezone="Europe/Warsaw",
            lines=[
                LineSpec(
                    line_id="l1",
                    sku="TEA",
                    quantity=1 + number % 3,
                    unit_price=Money("34.90", "PLN"),
                    tax_rate=Decimal("0.23"),
                ),
                LineSpec(line_id="l2", sku="MUG", quantity=1, unit_price=Money("24.50", "PLN")),
            ],
        )
        order, _ = apply(None, PlaceOrder(key="place", spec=spec), at=_AT)
        orders.append(order)
    return orders


def command(order: Order, step: int) -> OrderCommand:
    """Return the *step*-th command of the run for *order*."""
    cycle = step % 4
    if cycle == 0:
        return AuthorizePayment(key=f"s{step}", payment_id=f"p{step}", amount=order.outstanding)
    if cycle == 1:
        return CapturePayment(key=f"s{step}", payment_id=f"p{step - 1}")
    if cycle == 2:
        return HoldOrder(key=f"s{step}", reason="address check")
    return ReleaseOrder(key=f"s{step}")


def at(step: int) -> pendulum.DateTime:
    """Return the time of *step*, one minute apart."""
    return _AT.add(minutes=step + 1)


def run_unit(uow: UnitOfWork, ids: Sequence[str], steps: int) -> None:
    """Drive every order through *steps* commands with a unit of work."""
    for step in range(steps):
        for order_id in ids:
            with uow:
                order = uow.orders.get(order_id)
                new, _ = apply(order, command(order, step), at=at(step))
                uow.orders.update(new, expected_version=order.version)
                uow.commit()


_SCHEMA = """
CREATE TABLE orders (order_id TEXT PRIMARY KEY, version INTEGER NOT NULL, status TEXT,
                     document TEXT NOT NULL);
CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT, entity_id TEXT,
                     version INTEGER, type TEXT, at TEXT, document TEXT,
                     UNIQUE (stream, entity_id, version));
"""


def hand_written(path: pathlib.Path) -> sqlite3.Connection:
    """Open the hand-written side's database with the same settings as the adapter."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.executescript(_SCHEMA)
    return connection


def store_by_hand(connection: sqlite3.Connection, order: Order, base: int) -> None:
    """Write *order* over version *base* and append its new events, in one transaction."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        if base == 0:
            connection.execute(
                "INSERT INTO orders VALUES (?, ?, ?, ?)",
                (order.order_id, order.version, order.status.value, to_json(order)),
            )
        else:
            updated = connection.execute(
                "UPDATE orders SET version = ?, status = ?, document = ? "
                "WHERE order_id = ? AND version = ?",
                (order.version, order.status.value, to_json(order), order.order_id, base),
            )
            _check_updated(updated, order.order_id)
        connection.executemany(
            "INSERT INTO events (stream, entity_id, version, type, at, document) "
            "VALUES ('order', ?, ?, ?, ?, ?)",
            [
                (order.order_id, e.version, type(e).__name__, e.at.isoformat(), to_json(e))
                for e in order.events[base:]
            ],
        )
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _check_updated(cursor: sqlite3.Cursor, order_id: str) -> None:
    if cursor.rowcount != 1:
        msg = f"{order_id}: the stored version moved"
        raise RuntimeError(msg)


def run_by_hand(connection: sqlite3.Connection, ids: Sequence[str], steps: int) -> None:
    """Drive every order through *steps* commands with plain sqlite3."""
    for step in range(steps):
        for order_id in ids:
            (document,) = connection.execute(
                "SELECT document FROM orders WHERE order_id = ?", (order_id,)
            ).fetchone()
            order = from_json(document, Order)
            new, _ = apply(order, command(order, step), at=at(step))
            store_by_hand(connection, new, order.version)


def add_all(uow: UnitOfWork, orders: Sequence[Order]) -> None:
    """Store the placed orders in one unit."""
    with uow:
        for order in orders:
            uow.orders.add(order)
        uow.commit()


def time_side(
    prepare: Callable[[pathlib.Path], Callable[[], list[Order]]], *, runs: int
) -> tuple[list[float], list[Order]]:
    """Run a side *runs* times on fresh storage; return the run times and the final orders."""
    times: list[float] = []
    finals: list[Order] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-adapters-") as folder:
            run = prepare(pathlib.Path(folder))
            started = time.perf_counter()
            finals = run()
            times.append(time.perf_counter() - started)
    return times, finals


def main(argv: Sequence[str] | None = None) -> int:
    """Time the three sides, check they agree and print the ratios."""
    parser = quick_parser(__doc__.splitlines()[0] if __doc__ else "adapters benchmark")
    parser.add_argument("--orders", type=int, default=300, help="orders (300)")
    parser.add_argument("--steps-per-order", type=int, default=4, help="commands each (4)")
    parser.add_argument("--runs", type=int, default=3, help="runs per side on fresh files (3)")
    args = parser.parse_args(argv)
    count = 10 if args.quick else args.orders
    steps = args.steps_per_order
    runs = 1 if args.quick else args.runs
    orders = placed_orders(count)
    ids = [order.order_id for order in orders]
    event_counts: dict[str, int] = {}

    def sqlite_side(folder: pathlib.Path) -> Callable[[], list[Order]]:
        uow = SqliteUnitOfWork(folder / "shop.db")
        add_all(uow, orders)

        def run() -> list[Order]:
            run_unit(uow, ids, steps)
            with uow:
                final = [uow.orders.get(order_id) for order_id in ids]
            event_counts["SqliteUnitOfWork"] = len(uow.events())
            uow.close()
            return final

        return run

    def memory_side(_folder: pathlib.Path) -> Callable[[], list[Order]]:
        uow = InMemoryUnitOfWork()
        add_all(uow, orders)

        def run() -> list[Order]:
            run_unit(uow, ids, steps)
            with uow:
                final = [uow.orders.get(order_id) for order_id in ids]
            event_counts["InMemoryUnitOfWork"] = len(uow.events())
            return final

        return run

    def hand_side(folder: pathlib.Path) -> Callable[[], list[Order]]:
        connection = hand_written(folder / "shop.db")
        for order in orders:
            store_by_hand(connection, order, 0)

        def run() -> list[Order]:
            run_by_hand(connection, ids, steps)
            final = [
                from_json(row[0], Order)
                for row in connection.execute("SELECT document FROM orders ORDER BY order_id")
            ]
            (event_counts["hand-written sqlite3"],) = connection.execute(
                "SELECT count(*) FROM events"
            ).fetchone()
            connection.close()
            return final

        return run

    sides = {
        "hand-written sqlite3": hand_side,
        "SqliteUnitOfWork": sqlite_side,
        "InMemoryUnitOfWork": memory_side,
    }
    results = {name: time_side(prepare, runs=runs) for name, prepare in sides.items()}
    finals = [final for _, final in results.values()]
    if any(final != finals[0] for final in finals) or len(set(event_counts.values())) != 1:
        print("the sides disagree on the final orders or the event counts", file=sys.stderr)
        return 1
    operations = count * steps
    timings = {
        name: Timing(
            best=operations / min(times),
            median=operations / sorted(times)[len(times) // 2],
            number=operations,
            repeat=len(times),
        )
        for name, (times, _) in results.items()
    }
    floor = timings["hand-written sqlite3"]
    print(f"# Storage adapters benchmark: {machine_summary()}")
    print(
        f"{count:,} orders x {steps} commands = {operations:,} stored changes per run; "
        f"{runs} run(s) per side on a fresh file; all sides agree on the {count:,} final orders "
        f"and the {next(iter(event_counts.values())):,} stored events"
    )
    rows = [
        [
            name,
            format_ops(timing),
            f"{1e3 / timing.best:.2f} ms",
            format_ratio((timing.best / floor.best, timing.median / floor.median)),
        ]
        for name, timing in timings.items()
    ]
    print_table(
        ["side", "changes/s (best / median)", "per change (best)", "ratio vs hand-written"], rows
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
