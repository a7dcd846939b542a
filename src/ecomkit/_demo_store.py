"""The store section of ``python -m ecomkit demo``: a small shop run through the services.

Everything goes through [`ecomkit.services`][ecomkit.services] on the SQLite adapter, with
the testing kit's fake payment gateway and carrier standing in for real providers, so the
section shows what a host's code would do: declines, a lost answer recovered without
charging twice, a version conflict retried, a crash inside a unit of work, a return
refunded, and the event log that all of it left behind.
"""

from __future__ import annotations

import pathlib
import tempfile
import textwrap
from collections import Counter
from collections.abc import Callable

import pendulum

from ecomkit.adapters.sqlite import SqliteUnitOfWork
from ecomkit.errors import (
    EcomkitError,
    GatewayUnavailableError,
    OrderNotFoundError,
    PaymentDeclinedError,
    VersionConflictError,
)
from ecomkit.money import Money
from ecomkit.orders import (
    ChannelId,
    CustomerId,
    HoldOrder,
    IdempotencyKey,
    LineId,
    LineSpec,
    Order,
    OrderId,
    OrderSpec,
    ReleaseOrder,
    ReturnId,
    Sku,
    apply,
)
from ecomkit.returns import ReceivedItem, ReturnLine, ReturnRequest, eu_policy
from ecomkit.services import (
    authorize_payment,
    cancel_order,
    capture_payment,
    place_order,
    receive_return,
    refund_return,
    request_return,
    retry_on_conflict,
    ship_order,
    track_shipment,
)
from ecomkit.services._common import moment
from ecomkit.testing import (
    FakeCarrier,
    FakePaymentGateway,
    FixedClock,
    RecordingNotifier,
    RecordingPublisher,
)


__all__ = ["demo_store"]

_ZONE = "Europe/Warsaw"
_START = pendulum.datetime(2026, 3, 2, 9, tz=_ZONE)
_Lines = tuple[tuple[str, str, int, str], ...]
# order id, customer, lines of (line id, sku, quantity, unit price in PLN)
_ORDERS: tuple[tuple[str, str, _Lines], ...] = (
    ("o-101", "c-ania", (("l1", "TEA-SENCHA", 2, "34.90"), ("l2", "KETTLE-STEEL", 1, "189.00"))),
    ("o-102", "c-bartek", (("l1", "MUG-BLUE", 4, "24.50"),)),
    ("o-103", "c-celina", (("l1", "TEA-OOLONG", 3, "41.00"),)),
)


class _Shop:
    """The ports of the demo shop, wired once."""

    def __init__(self, path: pathlib.Path) -> None:
        self.uow = SqliteUnitOfWork(path)
        self.clock = FixedClock(_START)
        self.gateway = FakePaymentGateway()
        self.carrier = FakeCarrier(carrier="InPost")
        self.notifier = RecordingNotifier()
        self.publisher = RecordingPublisher()

    def order(self, order_id: str) -> Order:
        with self.uow:
            return self.uow.orders.get(order_id)

    def place(self, order_id: str, customer: str, lines: _Lines) -> Order:
        return place_order(
            _spec(order_id, customer, lines),
            key=f"checkout-{order_id}",
            uow=self.uow,
            clock=self.clock,
            publisher=self.publisher,
            notifier=self.notifier,
        )

    def authorize(self, order_id: str, payment_id: str, key: str) -> Order:
        return authorize_payment(
            order_id,
            payment_id=payment_id,
            key=key,
            uow=self.uow,
            gateway=self.gateway,
            clock=self.clock,
            publisher=self.publisher,
        )

    def capture(self, order_id: str, payment_id: str, key: str) -> Order:
        return capture_payment(
            order_id,
            payment_id=payment_id,
            key=key,
            uow=self.uow,
            gateway=self.gateway,
            clock=self.clock,
            publisher=self.publisher,
        )


def demo_store(print_line: Callable[[str], None], *, db: pathlib.Path | None) -> None:
    """Print section 12 of the demo, on the SQLite file *db* or on a temporary one."""

    def say(text: str) -> None:
        indent = " " * (len(text) - len(text.lstrip(" ")))
        for line in textwrap.wrap(
            text,
            width=92,
            subsequent_indent=indent + "   ",
            break_long_words=False,
            break_on_hyphens=False,
        ) or [""]:
            print_line(line if line.startswith(" ") else indent + line)

    say("")
    say("12. A small shop on SQLite, run through the services with a fake payment gateway")
    say("    and carrier standing in for real ones")
    if db is not None:
        _run(say, db, kept=True)
        return
    with tempfile.TemporaryDirectory(prefix="ecomkit-demo-") as folder:
        _run(say, pathlib.Path(folder) / "shop.db", kept=False)


def _run(say: Callable[[str], None], path: pathlib.Path, *, kept: bool) -> None:
    shop = _Shop(path)
    try:
        say(f"    database: {path if kept else 'shop.db in a temporary folder'}")
        if _already_there(shop):
            _replay(say, shop)
        else:
            _story(say, shop)
        _log(say, shop)
    finally:
        shop.uow.close()
    if kept:
        say(f"    the database stays at {path}; run the demo again with --db to replay it")
    else:
        say("    the temporary database was removed; pass --db PATH to keep it")


def _already_there(shop: _Shop) -> bool:
    try:
        shop.order(_ORDERS[0][0])
    except OrderNotFoundError:
        return False
    return True


def _spec(order_id: str, customer: str, lines: _Lines) -> OrderSpec:
    return OrderSpec(
        order_id=OrderId(order_id),
        channel=ChannelId("web"),
        currency="PLN",
        timezone=_ZONE,
        customer_id=CustomerId(customer),
        prices_include_tax=True,
        lines=[
            LineSpec(
                line_id=LineId(line),
                sku=Sku(sku),
                quantity=quantity,
                unit_price=Money(price, "PLN"),
            )
            for line, sku, quantity, price in lines
        ],
    )


def _happy_path(shop: _Shop) -> None:
    """The steps the replay runs again with the same keys."""
    for order_id, customer, lines in _ORDERS:
        shop.place(order_id, customer, lines)
    shop.authorize("o-101", "p1", "o-101-auth")
    shop.capture("o-101", "p1", "o-101-capture")


def _story(say: Callable[[str], None], shop: _Shop) -> None:
    for order_id, customer, lines in _ORDERS:
        order = shop.place(order_id, customer, lines)
        say(f"    placed {order_id} for {customer}: {order.total.gross}")
    shop.clock.advance(minutes=5)
    _payments(say, shop)
    _conflict(say, shop)
    _crash(say, shop)
    shop.clock.advance(hours=3)
    _delivery(say, shop)
    shop.clock.advance(days=6)
    _return(say, shop)
    order = cancel_order(
        "o-102",
        key="o-102-cancel",
        reason="customer",
        uow=shop.uow,
        gateway=shop.gateway,
        clock=shop.clock,
        publisher=shop.publisher,
        notifier=shop.notifier,
    )
    ledger = shop.gateway.ledger("o-102", "p2")
    voided = ledger.voided if ledger is not None else None
    say(f"    o-102 is {order.status.value}; its authorization of {voided} was voided first")


def _payments(say: Callable[[str], None], shop: _Shop) -> None:
    shop.authorize("o-101", "p1", "o-101-auth")
    shop.gateway.lose_answers("capture", reason="read timeout after 10 s")
    try:
        shop.capture("o-101", "p1", "o-101-capture")
    except GatewayUnavailableError as error:
        say(f"    capturing o-101: {type(error).__name__}: {error}")
    order = shop.capture("o-101", "p1", "o-101-capture")
    answers = [call.outcome.value for call in shop.gateway.calls if call.operation == "capture"]
    say(
        f"    the same service run again with the same key: the gateway answers "
        f"{' then '.join(answers)}; {shop.gateway.charged('o-101')} charged once, "
        f"o-101 is {order.payment_status.value}"
    )
    shop.gateway.decline("authorize", times=1, reason="insufficient funds", code="insufficient")
    try:
        shop.authorize("o-102", "p1", "o-102-auth-1")
    except PaymentDeclinedError as error:
        say(f"    authorizing o-102: {type(error).__name__}: {error}")
    order = shop.authorize("o-102", "p2", "o-102-auth-2")
    say(
        f"    a second card for o-102 is authorized ({order.authorized}); nothing was stored for p1"
    )


def _delivery(say: Callable[[str], None], shop: _Shop) -> None:
    order = ship_order(
        "o-101",
        shipment_id="s1",
        key="o-101-ship",
        uow=shop.uow,
        carrier=shop.carrier,
        clock=shop.clock,
        publisher=shop.publisher,
        notifier=shop.notifier,
    )
    shipment = order.shipment("s1")
    tracking = shipment.tracking_number or ""
    say(f"    o-101 shipped with {shipment.carrier}, tracking number {tracking}")
    shop.clock.advance(days=1)
    shop.carrier.deliver(tracking, at=shop.clock.now())
    track_shipment(
        "o-101",
        shipment_id="s1",
        key="o-101-delivered",
        uow=shop.uow,
        carrier=shop.carrier,
        clock=shop.clock,
        publisher=shop.publisher,
        notifier=shop.notifier,
    )
    order = shop.order("o-101")
    say(f"    the carrier reports the parcel delivered; o-101 is {order.fulfilment_status.value}")


def _return(say: Callable[[str], None], shop: _Shop) -> None:
    request = ReturnRequest(
        return_id=ReturnId("r-101"),
        kind="withdrawal",
        requested_at=shop.clock.now(),
        lines=[ReturnLine(line_id=LineId("l2"), quantity=1)],
    )
    rma = request_return(
        "o-101",
        request,
        policy=eu_policy(country="PL"),
        key="r-101-request",
        uow=shop.uow,
        clock=shop.clock,
        publisher=shop.publisher,
        notifier=shop.notifier,
    )
    say(f"    return r-101 of the kettle, a withdrawal within 14 days: {rma.status.value}")
    shop.clock.advance(days=3)
    receive_return(
        "r-101",
        items=[ReceivedItem(line_id=LineId("l2"), quantity=1)],
        key="r-101-receive",
        uow=shop.uow,
        clock=shop.clock,
        publisher=shop.publisher,
    )
    rma = refund_return(
        "r-101",
        key="r-101-refund",
        uow=shop.uow,
        gateway=shop.gateway,
        clock=shop.clock,
        publisher=shop.publisher,
        notifier=shop.notifier,
    )
    say(
        f"    received and refunded {rma.refunds[-1].total}; the gateway now holds "
        f"{shop.gateway.charged('o-101')} for o-101"
    )


def _conflict(say: Callable[[str], None], shop: _Shop) -> None:
    """Two units change o-103 at once; the stale one loses and a retry wins."""
    other = SqliteUnitOfWork(shop.uow.path)
    try:
        with shop.uow:
            seen = shop.uow.orders.get("o-103")
            with other:
                fresh = other.orders.get("o-103")
                held, _ = apply(
                    fresh,
                    HoldOrder(key=IdempotencyKey("o-103-hold"), reason="fraud check"),
                    at=_now(shop, fresh),
                )
                other.orders.update(held, expected_version=fresh.version)
                other.commit()
            released, _ = apply(
                seen,
                HoldOrder(key=IdempotencyKey("o-103-hold-2"), reason="address"),
                at=_now(shop, seen),
            )
            try:
                shop.uow.orders.update(released, expected_version=seen.version)
                shop.uow.commit()
            except VersionConflictError as error:
                say(f"    two clerks change o-103 at once: {type(error).__name__}: {error}")
    finally:
        other.close()
    attempts: list[int] = []

    def release() -> Order:
        attempts.append(len(attempts) + 1)
        with shop.uow:
            order = shop.uow.orders.get("o-103")
            new, _ = apply(
                order, ReleaseOrder(key=IdempotencyKey("o-103-release")), at=_now(shop, order)
            )
            if new.version != order.version:
                shop.uow.orders.update(new, expected_version=order.version)
                shop.uow.commit()
            return new

    order = retry_on_conflict(release)
    say(f"    the release, reloaded and applied again, succeeds: o-103 is {order.status.value}")


def _crash(say: Callable[[str], None], shop: _Shop) -> None:
    """A failure inside a unit of work leaves the database as it was."""
    before = shop.order("o-103")
    try:
        with shop.uow:
            order = shop.uow.orders.get("o-103")
            held, _ = apply(
                order,
                HoldOrder(key=IdempotencyKey("o-103-crash"), reason="x"),
                at=_now(shop, order),
            )
            shop.uow.orders.update(held, expected_version=order.version)
            _interrupt()
    except _InterruptedError:
        pass
    after = shop.order("o-103")
    say(
        f"    a unit that fails before commit stores nothing: o-103 still v{after.version} "
        f"({'unchanged' if after == before else 'CHANGED'})"
    )


class _InterruptedError(EcomkitError):
    """Stands for anything that goes wrong between loading and committing."""


def _interrupt() -> None:
    raise _InterruptedError


def _now(shop: _Shop, order: Order) -> pendulum.DateTime:
    return moment(shop.clock, order.events)


def _replay(say: Callable[[str], None], shop: _Shop) -> None:
    before = shop.uow.events()
    _happy_path(shop)
    after = shop.uow.events()
    say(
        "    this database already holds the demo's orders: placing, authorizing and capturing "
        "them again with the same keys"
    )
    say(
        f"    stored {len(after) - len(before)} new events; the gateway was called "
        f"{len(shop.gateway.calls)} times, so nothing was charged twice"
    )


def _log(say: Callable[[str], None], shop: _Shop) -> None:
    events = shop.uow.events()
    streams = Counter(stored.stream.value for stored in events)
    say(
        f"    the event log holds {len(events)} events ("
        + ", ".join(f"{name} {count}" for name, count in sorted(streams.items()))
        + f"); the services published {len(shop.publisher.events)} of them, each after its "
        "commit"
    )
    for stored in events[-3:]:
        say(
            f"       #{stored.position:<3} {stored.stream.value:<6} {stored.entity_id:<6} "
            f"v{stored.version:<2} {type(stored.event).__name__}"
        )
    if shop.notifier.sent:
        kinds = Counter(note.kind for note in shop.notifier.sent)
        say(
            "    notifications: "
            + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        )
