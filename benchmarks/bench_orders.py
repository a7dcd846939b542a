"""Orders: ecomkit.orders vs python-statemachine and transitions, 5 commands per order.

Every library takes the same orders (one line each: an id, a SKU, a quantity of 1 to 3, a
unit price and a tax rate as ``Decimal``) through the same happy path of five commands:
place, authorize the gross total, capture it, fulfil every unit into a shipment, ship it.
The peers move a model along new -> placed -> authorized -> captured -> fulfilled -> shipped.

What each side does per order:

- **ecomkit**: builds ``Money`` unit prices, ``LineSpec`` and ``OrderSpec`` (which validates
  the input and prices the order: line subtotals, tax, totals), then five frozen command
  objects and five ``apply`` calls. Each ``apply`` checks the idempotency key against the
  event log, runs the lifecycle table and its guard, decides the event and builds a new
  frozen ``Order`` with its ledgers (line counters, a ``Payment``, a ``Shipment``) and the
  event appended to its log.
- **python-statemachine** (``StateMachine`` subclass defined once at module level, as its
  documentation shows): builds a model (an object with ``__slots__``) and one machine per
  order with ``model=``; the events are called on the machine with keyword arguments, which
  the library injects into the model's ``on_<event>`` callbacks.
- **transitions**: builds a model (an ordinary class: transitions binds its trigger methods
  on the instance) and registers it with ONE ``Machine`` shared by every order, made with
  ``model=None`` and ``auto_transitions=False``; the events are the model's bound triggers.
  Each model is unregistered with ``remove_model`` once it has shipped: ``add_model`` checks
  membership with a linear scan of the machine's model list, so keeping 100,000 orders
  registered would make the run quadratic. A service would likewise register an order
  while it handles a command. The model keeps its bound methods and its state.

The peers' callbacks, shared by both peers, do what ecomkit's ledgers do: ``place`` works
out each line's net, tax (rounded half up to the cent) and gross and the order totals;
``authorize`` checks the amount against what is outstanding and adds it up; ``capture``
checks the payment id and captures what is open; ``fulfil`` checks each quantity against
what is left and counts it; ``ship`` checks the shipment id and counts the units shipped.
They keep no event log, no idempotency keys and no per-payment or per-shipment records, and
do not check the types and values of their input (ids, currency, prices), all of which
ecomkit does; their work and memory are the smaller for it. Before it prints, the script
checks that every order of every library ended shipped and fully paid and that all
libraries agree on the sum of the order totals.

Measurement:

- **Throughput**: commands per second = 5 x orders / wall time to build and drive every
  order from the raw input, creating each order's objects (and, for python-statemachine,
  its machine; for transitions, the shared machine once) inside the timed run. The raw
  input (ids, keys, quantities, ``Decimal`` prices and rates) is prepared before timing;
  every library-specific object (specs, commands, models, machines) is built inside it,
  and each command's arguments are built in the loop for every library. A second ecomkit
  row times the commands alone, with every ``OrderSpec`` built before timing (the spec
  validates and prices the order, so that row leaves pricing out while the peers still
  price in their ``place`` callback). The timing works like ``_harness.measure`` (garbage
  collector paused, best and median over the runs) but times whole batches by hand,
  because ``measure`` would free each batch inside the timed loop and run a whole extra
  batch to warm up: here a short warm-up batch runs first, each run keeps its orders
  alive until it is checked, and they are freed outside the timing. Each library gets up
  to ``--repeat`` runs, and no new run once its runs so far took ``--budget`` seconds (so
  the slowest peer may get a single run; the table says how many each got).
- **Memory per order**: ``tracemalloc`` current traced memory after building and driving
  ``--memory-orders`` orders and keeping them alive in a list (garbage collected first),
  minus the figure before, divided by the number of orders. The raw input is allocated
  before, so it is not counted; everything built from it is. ecomkit: the final ``Order``
  (with its spec, priced lines, ledgers and event log; intermediate orders are freed).
  python-statemachine: model plus machine. transitions: the model with its bound methods;
  the shared machine is counted once. Tracing slows allocation several times over, so
  memory is measured on fewer orders than throughput (5,000 by default); the figure is per
  order either way. What caches allocate while tracing is spread over the orders too.
- **Baseline "plain slotted object of the same data"**: for every attrs class in an ecomkit
  order's object graph (order, spec, priced lines, line, money, taxed money, payment,
  shipment, line quantities, each event), a plain class with ``__slots__`` of the same
  field names, filled with the same values copied from driven ecomkit orders, tuples for
  tuples. Objects shared within or across orders in ecomkit are shared the same way in the
  copy; strings, ``Decimal`` and datetimes that are not raw input are copied fresh, raw
  input values (ids, prices, rates, the timestamp), enum members, currencies, ints and
  ``None`` are referenced. It is measured the same way. It is what the data costs with no
  library at all; above it, ecomkit spends memory on something beyond the data.

Ratios: throughput ratio = ecomkit commands/s / peer commands/s (above 1 = ecomkit faster);
memory ratio = other bytes per order / ecomkit bytes per order (above 1 = ecomkit smaller).
The goal stated for this benchmark is ecomkit at 5x the throughput of both peers or more,
and no more memory per order than the plain slotted baseline.

Run: ``python benchmarks/bench_orders.py`` (100,000 orders; about four minutes on a 2-core
machine, over half of it python-statemachine: its one run, then freeing its machines, which
the garbage collector has to do as they hold reference cycles) or ``--quick`` (200 orders).
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import gc
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final, NamedTuple

import attrs
import pendulum
from statemachine import State, StateMachine
from transitions import Machine

from _harness import (
    Timing,
    format_ops,
    format_ratio,
    machine_summary,
    print_table,
    quick_parser,
    ratio,
)
from ecomkit.money import Currency, Money
from ecomkit.orders import (
    AuthorizePayment,
    CapturePayment,
    FulfilLines,
    FulfilmentStatus,
    LineSpec,
    Order,
    OrderSpec,
    OrderStatus,
    PaymentStatus,
    PlaceOrder,
    ShipShipment,
    apply,
)


COMMANDS: Final = 5
CURRENCY: Final = "EUR"
CHANNEL: Final = "web"
TIMEZONE: Final = "Europe/Warsaw"
PAYMENT_ID: Final = "p1"
SHIPMENT_ID: Final = "s1"
AT: Final = pendulum.datetime(2026, 11, 2, 12, tz="UTC")
CENT: Final = Decimal("0.01")
ZERO: Final = Decimal(0)
TAX_RATES: Final = (Decimal("0.23"), Decimal("0.08"), Decimal("0.05"), Decimal(0))


# ------------------------------------------------------------------ raw input


class LineInput(NamedTuple):
    """One order line as raw values."""

    line_id: str
    sku: str
    quantity: int
    unit_price: Decimal
    tax_rate: Decimal


class OrderInput(NamedTuple):
    """One order as raw values, with the per-command values the commands need."""

    order_id: str
    customer_id: str
    lines: tuple[LineInput, ...]
    place_key: str
    authorize_key: str
    capture_key: str
    fulfil_key: str
    ship_key: str
    tracking_number: str


def make_inputs(count: int, *, seed: int = 11) -> list[OrderInput]:
    """Return *count* orders of one line each, reproducibly."""
    rng = random.Random(seed)
    inputs = []
    for index in range(count):
        order_id = f"o-{index}"
        line = LineInput(
            line_id="l1",
            sku=f"SKU-{rng.randrange(1000)}",
            quantity=rng.randint(1, 3),
            unit_price=Decimal(rng.randrange(100, 50_000)).scaleb(-2),
            tax_rate=rng.choice(TAX_RATES),
        )
        inputs.append(
            OrderInput(
                order_id=order_id,
                customer_id=f"c-{rng.randrange(count)}",
                lines=(line,),
                place_key=f"{order_id}:place",
                authorize_key=f"{order_id}:authorize",
                capture_key=f"{order_id}:capture",
                fulfil_key=f"{order_id}:fulfil",
                ship_key=f"{order_id}:ship",
                tracking_number=f"TRK{index:08d}",
            )
        )
    return inputs


def _raw_objects(inputs: Sequence[OrderInput]) -> set[int]:
    """Return the ids of every raw input value (they are shared, never copied)."""
    found: set[int] = {id(AT), id(CHANNEL), id(TIMEZONE), id(PAYMENT_ID), id(SHIPMENT_ID)}
    for item in inputs:
        found.update(id(value) for value in item if not isinstance(value, tuple))
        for line in item.lines:
            found.update(id(value) for value in line)
    return found


# ------------------------------------------------------------------ ecomkit


def ecomkit_spec(item: OrderInput, currency: Currency) -> OrderSpec:
    """Build the ``OrderSpec`` of one order (validated and priced on construction)."""
    return OrderSpec(
        order_id=item.order_id,
        customer_id=item.customer_id,
        channel=CHANNEL,
        currency=currency,
        timezone=TIMEZONE,
        lines=tuple(
            LineSpec(
                line_id=line.line_id,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=Money(line.unit_price, currency),
                tax_rate=line.tax_rate,
            )
            for line in item.lines
        ),
    )


def _ecomkit_commands(item: OrderInput, spec: OrderSpec, at: dt.datetime) -> Order:
    """Drive one order through the five commands and return it."""
    order, _ = apply(None, PlaceOrder(key=item.place_key, spec=spec), at=at)
    order, _ = apply(
        order,
        AuthorizePayment(key=item.authorize_key, payment_id=PAYMENT_ID, amount=order.total.gross),
        at=at,
    )
    order, _ = apply(order, CapturePayment(key=item.capture_key, payment_id=PAYMENT_ID), at=at)
    order, _ = apply(
        order,
        FulfilLines(
            key=item.fulfil_key,
            shipment_id=SHIPMENT_ID,
            lines={line.line_id: line.quantity for line in item.lines},
        ),
        at=at,
    )
    order, _ = apply(
        order,
        ShipShipment(
            key=item.ship_key, shipment_id=SHIPMENT_ID, tracking_number=item.tracking_number
        ),
        at=at,
    )
    return order


def drive_ecomkit(inputs: Sequence[OrderInput]) -> list[Order]:
    """Build every order's spec and drive the order through the five commands."""
    currency = Currency(CURRENCY)
    return [_ecomkit_commands(item, ecomkit_spec(item, currency), AT) for item in inputs]


def drive_ecomkit_prebuilt(inputs: Sequence[OrderInput], specs: Sequence[OrderSpec]) -> list[Order]:
    """Drive every order through the five commands from a spec built beforehand."""
    return [_ecomkit_commands(item, spec, AT) for item, spec in zip(inputs, specs, strict=True)]


def check_ecomkit(orders: Sequence[Order]) -> Decimal:
    """Stop unless every order shipped and is paid; return the sum of the gross totals."""
    total = ZERO
    for order in orders:
        if (
            order.status is not OrderStatus.PROCESSING
            or order.fulfilment_status is not FulfilmentStatus.SHIPPED
            or order.payment_status is not PaymentStatus.PAID
            or order.version != COMMANDS
        ):
            msg = f"ecomkit: order {order.order_id} ended as {order!r}"
            raise SystemExit(msg)
        total += order.total.gross.amount
    return total


# ------------------------------------------------------------------ peers: the model


class PeerLine:
    """A line of a peer model: the input values, the priced amounts and two counters."""

    __slots__ = (
        "fulfilled",
        "gross",
        "line_id",
        "net",
        "quantity",
        "shipped",
        "sku",
        "tax",
        "tax_rate",
        "unit_price",
    )

    def __init__(self, line: LineInput) -> None:
        self.line_id = line.line_id
        self.sku = line.sku
        self.quantity = line.quantity
        self.unit_price = line.unit_price
        self.tax_rate = line.tax_rate
        self.net = self.tax = self.gross = ZERO
        self.fulfilled = 0
        self.shipped = 0


class PeerOrder:
    """The peers' order model; the ``on_<event>`` methods are the transition callbacks."""

    __slots__ = (
        "authorized",
        "captured",
        "channel",
        "currency",
        "customer_id",
        "gross",
        "lines",
        "net",
        "order_id",
        "payment_id",
        "placed_at",
        "shipment_id",
        "state",
        "tax",
        "timezone",
        "tracking_number",
    )

    def __init__(self, item: OrderInput) -> None:
        self.order_id = item.order_id
        self.customer_id = item.customer_id
        self.channel = CHANNEL
        self.currency = CURRENCY
        self.timezone = TIMEZONE
        self.lines = tuple(PeerLine(line) for line in item.lines)
        self.net = self.tax = self.gross = ZERO
        self.authorized = self.captured = ZERO
        self.payment_id: str | None = None
        self.shipment_id: str | None = None
        self.tracking_number: str | None = None
        self.placed_at: dt.datetime | None = None
        self.state: str | None = None

    def on_place(self, at: dt.datetime) -> None:
        """Price the lines and the order."""
        net = tax = ZERO
        for line in self.lines:
            line.net = (line.unit_price * line.quantity).quantize(CENT, ROUND_HALF_UP)
            line.tax = (line.net * line.tax_rate).quantize(CENT, ROUND_HALF_UP)
            line.gross = line.net + line.tax
            net += line.net
            tax += line.tax
        self.net, self.tax, self.gross = net, tax, net + tax
        self.placed_at = at

    def on_authorize(self, payment_id: str, amount: Decimal) -> None:
        """Record an authorization of at most what is outstanding."""
        if not ZERO < amount <= self.gross - self.authorized:
            msg = f"cannot authorize {amount} on {self.order_id}"
            raise ValueError(msg)
        self.payment_id = payment_id
        self.authorized += amount

    def on_capture(self, payment_id: str) -> None:
        """Capture what is open on the payment."""
        if payment_id != self.payment_id:
            msg = f"no payment {payment_id} on {self.order_id}"
            raise ValueError(msg)
        self.captured += self.authorized - self.captured

    def on_fulfil(self, shipment_id: str, lines: dict[str, int]) -> None:
        """Count the units packed into the shipment."""
        for line in self.lines:
            quantity = lines.get(line.line_id, 0)
            if quantity > line.quantity - line.fulfilled:
                msg = f"line {line.line_id} of {self.order_id} has fewer units left"
                raise ValueError(msg)
            line.fulfilled += quantity
        self.shipment_id = shipment_id

    def on_ship(self, shipment_id: str, tracking_number: str) -> None:
        """Count the packed units as shipped."""
        if shipment_id != self.shipment_id:
            msg = f"no shipment {shipment_id} on {self.order_id}"
            raise ValueError(msg)
        for line in self.lines:
            line.shipped = line.fulfilled
        self.tracking_number = tracking_number


class DictPeerOrder(PeerOrder):
    """The same model with an instance ``__dict__``, where transitions binds its triggers."""


def check_peer(name: str, models: Sequence[PeerOrder]) -> Decimal:
    """Stop unless every model shipped and is paid; return the sum of the gross totals."""
    total = ZERO
    for model in models:
        if (
            model.state != "shipped"
            or model.captured != model.gross
            or any(line.shipped != line.quantity for line in model.lines)
        ):
            msg = f"{name}: order {model.order_id} ended in state {model.state!r}"
            raise SystemExit(msg)
        total += model.gross
    return total


# ------------------------------------------------------------------ python-statemachine


class OrderMachine(StateMachine):
    """The order lifecycle for python-statemachine; callbacks live on the model."""

    new = State(initial=True)
    placed = State()
    authorized = State()
    captured = State()
    fulfilled = State()
    shipped = State(final=True)

    place = new.to(placed)
    authorize = placed.to(authorized)
    capture = authorized.to(captured)
    fulfil = captured.to(fulfilled)
    ship = fulfilled.to(shipped)


def drive_statemachine(inputs: Sequence[OrderInput]) -> list[OrderMachine]:
    """Build a model and a machine per order and send the five events."""
    machines = []
    for item in inputs:
        model = PeerOrder(item)
        machine = OrderMachine(model=model)
        machine.place(at=AT)
        machine.authorize(payment_id=PAYMENT_ID, amount=model.gross)
        machine.capture(payment_id=PAYMENT_ID)
        machine.fulfil(
            shipment_id=SHIPMENT_ID, lines={line.line_id: line.quantity for line in item.lines}
        )
        machine.ship(shipment_id=SHIPMENT_ID, tracking_number=item.tracking_number)
        machines.append(machine)
    return machines


def check_statemachine(machines: Sequence[OrderMachine]) -> Decimal:
    """Check the machines' models (see `check_peer`)."""
    return check_peer("python-statemachine", [machine.model for machine in machines])


# ------------------------------------------------------------------ transitions

STATES: Final = ("new", "placed", "authorized", "captured", "fulfilled", "shipped")
EVENTS: Final = ("place", "authorize", "capture", "fulfil", "ship")
TRANSITIONS: Final = [
    {"trigger": event, "source": source, "dest": dest, "before": f"on_{event}"}
    for event, source, dest in zip(EVENTS, STATES, STATES[1:], strict=False)
]


def shared_machine() -> Machine:
    """Return the one machine every order model is registered with."""
    return Machine(
        model=None,
        states=list(STATES),
        transitions=TRANSITIONS,
        initial="new",
        auto_transitions=False,
    )


def drive_transitions(inputs: Sequence[OrderInput]) -> list[DictPeerOrder]:
    """Register a model per order with one shared machine and fire the five triggers."""
    machine = shared_machine()
    models = []
    for item in inputs:
        model = DictPeerOrder(item)
        machine.add_model(model)
        trigger: Any = model  # the triggers are bound on the instance by add_model
        trigger.place(at=AT)
        trigger.authorize(payment_id=PAYMENT_ID, amount=model.gross)
        trigger.capture(payment_id=PAYMENT_ID)
        trigger.fulfil(
            shipment_id=SHIPMENT_ID, lines={line.line_id: line.quantity for line in item.lines}
        )
        trigger.ship(shipment_id=SHIPMENT_ID, tracking_number=item.tracking_number)
        machine.remove_model(model)
        models.append(model)
    return models


def check_transitions(models: Sequence[DictPeerOrder]) -> Decimal:
    """Check the models (see `check_peer`)."""
    return check_peer("transitions", models)


# ------------------------------------------------------------------ plain slotted baseline

_PLAIN_CLASSES: dict[type, type] = {}


def _plain_class(cls: type) -> type:
    """Return a plain class with ``__slots__`` named as *cls*'s attrs fields."""
    plain = _PLAIN_CLASSES.get(cls)
    if plain is None:
        names = tuple(field.name for field in attrs.fields(cls))
        plain = type(f"Plain{cls.__name__}", (), {"__slots__": names})
        _PLAIN_CLASSES[cls] = plain
    return plain


class Copier:
    """Copies ecomkit object graphs into plain slotted objects (see the module docstring)."""

    def __init__(self, raw: set[int]) -> None:
        self.raw = raw
        self.memo: dict[int, object] = {}
        self.referenced: set[str] = set()

    def copy(self, value: object) -> object:
        """Return the plain copy of *value*, the same copy each time *value* comes back."""
        found = self.memo.get(id(value))
        return self._copy_new(value) if found is None else found

    def _copy_new(self, value: Any) -> object:
        kind = type(value)
        result: object
        if attrs.has(kind):
            plain = _plain_class(kind)
            result = object.__new__(plain)
            self.memo[id(value)] = result  # before the fields, so shared parts stay shared
            for name in plain.__slots__:
                setattr(result, name, self.copy(getattr(value, name)))
            return result
        if kind in {tuple, list, frozenset}:
            result = kind(self.copy(item) for item in value)
        elif kind is dict:
            result = {self.copy(name): self.copy(item) for name, item in value.items()}
        elif id(value) in self.raw or isinstance(value, enum.Enum):
            return value
        elif kind is str:
            result = (value + " ")[:-1]
        elif kind is Decimal:
            result = Decimal(str(value))
        elif isinstance(value, dt.date):
            result = copy.copy(value)
        else:  # currencies, ints, bools and None
            self.referenced.add(kind.__name__)
            return value
        self.memo[id(value)] = result
        return result


# ------------------------------------------------------------------ measuring


@attrs.frozen
class Library:
    """One contender: how to drive a batch of orders and how to check the batch."""

    name: str
    drive: Callable[[Sequence[OrderInput]], Sequence[object]]
    check: Callable[[Any], Decimal]


LIBRARIES: Final = (
    Library("ecomkit", drive_ecomkit, check_ecomkit),
    Library("python-statemachine", drive_statemachine, check_statemachine),
    Library("transitions", drive_transitions, check_transitions),
)
PREBUILT: Final = "ecomkit, specs prebuilt"
BASELINE: Final = "plain slotted baseline"


def time_runs(
    library: Library, inputs: Sequence[OrderInput], *, repeat: int, budget: float
) -> tuple[Timing, Decimal]:
    """Time up to *repeat* runs over all *inputs*; return commands/s and the checked total."""
    times: list[float] = []
    total = ZERO
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            result = library.drive(inputs)
            elapsed = time.perf_counter() - started
        finally:
            gc.enable()
        total = library.check(result)
        del result
        times.append(elapsed)
        if sum(times) >= budget:
            break
    gc.collect()
    commands = COMMANDS * len(inputs)
    timing = Timing(
        best=commands / min(times),
        median=commands / statistics.median(times),
        number=1,
        repeat=len(times),
    )
    return timing, total


def measure_throughput(
    inputs: Sequence[OrderInput], *, repeat: int, budget: float
) -> dict[str, Timing]:
    """Time every library, then ecomkit from prebuilt specs; check they agree on the totals."""
    warm_up = inputs[:200]
    for library in LIBRARIES:
        library.check(library.drive(warm_up))
    timings: dict[str, Timing] = {}
    totals: dict[str, Decimal] = {}
    for library in LIBRARIES:
        timings[library.name], totals[library.name] = time_runs(
            library, inputs, repeat=repeat, budget=budget
        )
    currency = Currency(CURRENCY)
    specs = [ecomkit_spec(item, currency) for item in inputs]
    prebuilt = Library(PREBUILT, lambda batch: drive_ecomkit_prebuilt(batch, specs), check_ecomkit)
    timings[PREBUILT], totals[PREBUILT] = time_runs(prebuilt, inputs, repeat=repeat, budget=budget)
    if len(set(totals.values())) != 1:
        msg = f"the libraries disagree on the sum of the order totals: {totals}"
        raise SystemExit(msg)
    return timings


def traced_bytes(build: Callable[[], object]) -> int:
    """Return the memory still traced after *build* ran, its result kept alive."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = build()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    gc.collect()
    return after - before


def baseline_bytes(inputs: Sequence[OrderInput]) -> tuple[int, set[str]]:
    """Return the traced bytes of plain slotted copies of driven ecomkit orders."""
    orders = drive_ecomkit(inputs)
    check_ecomkit(orders)
    copier = Copier(_raw_objects(inputs))
    Copier(copier.raw).copy(drive_ecomkit(inputs[:1]))  # makes the plain classes first

    def build() -> object:
        copies = copier.copy(orders)
        copier.memo.clear()
        return copies

    return traced_bytes(build), copier.referenced


def measure_memory(inputs: Sequence[OrderInput]) -> tuple[dict[str, float], set[str]]:
    """Return bytes per order for every library and the baseline, and what it references."""
    count = len(inputs)
    memory = {
        library.name: traced_bytes(lambda library=library: library.drive(inputs)) / count
        for library in LIBRARIES
    }
    used, referenced = baseline_bytes(inputs)
    memory[BASELINE] = used / count
    return memory, referenced


# ------------------------------------------------------------------ report

_MEMORY_LABELS: Final = {
    "ecomkit": "ecomkit (final Order)",
    "python-statemachine": "python-statemachine (model + machine)",
    "transitions": "transitions (model; shared machine once)",
    BASELINE: "plain slotted baseline (same data as ecomkit)",
}


def print_throughput(timings: dict[str, Timing]) -> None:
    """Print the throughput table."""
    ours, ours_prebuilt = timings["ecomkit"], timings[PREBUILT]
    print_table(
        ["library", "runs", "commands/s", "µs/order", "ecomkit ratio", "ecomkit prebuilt ratio"],
        [
            [
                name,
                str(timing.repeat),
                format_ops(timing),
                f"{COMMANDS * 1e6 / timing.best:.1f}",
                format_ratio(ratio(ours, timing)),
                format_ratio(ratio(ours_prebuilt, timing)),
            ]
            for name, timing in timings.items()
        ],
    )
    print()
    print("commands/s and the ratios are best / median over the runs; µs/order is the best run.")
    print("Ratio = ecomkit commands/s / that row's commands/s: >1 means ecomkit is faster.")
    print(f"'ecomkit prebuilt' is the row '{PREBUILT}' (OrderSpec built before timing).")


def print_memory(memory: dict[str, float], referenced: set[str], count: int) -> None:
    """Print the memory table."""
    print(f"Memory per order: tracemalloc, {count:,} orders kept alive")
    print()
    print_table(
        ["kept per order", "bytes/order", "ratio to ecomkit"],
        [
            [_MEMORY_LABELS[name], f"{size:,.0f}", f"{size / memory['ecomkit']:.2f}x"]
            for name, size in memory.items()
        ],
    )
    print()
    print("Ratio = that row's bytes / ecomkit's bytes: >1 means ecomkit uses less memory.")
    if referenced:
        print(f"The baseline references, as ecomkit does: {', '.join(sorted(referenced))}.")


def print_goals(timings: dict[str, Timing], memory: dict[str, float]) -> None:
    """Say whether the goals stated for this benchmark are met."""
    peers = ("python-statemachine", "transitions")
    for name in ("ecomkit", PREBUILT):
        speed = ", ".join(
            f"{timings[name].best / timings[peer].best:.2f}x {peer}" for peer in peers
        )
        met = min(timings[name].best / timings[peer].best for peer in peers) >= 5
        print(
            f"Goal, {name} at >= 5x both peers' throughput: "
            f"{'met' if met else 'NOT met'} ({speed}; best runs)."
        )
    ours, baseline = memory["ecomkit"], memory[BASELINE]
    print(
        "Goal, ecomkit memory per order <= plain slotted baseline: "
        f"{'met' if ours <= baseline else 'NOT met'} ({ours:,.0f} vs {baseline:,.0f} bytes)."
    )


# ------------------------------------------------------------------ main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print throughput, memory and the ratios."""
    parser = quick_parser(__doc__.splitlines()[0] if __doc__ else "orders benchmark")
    parser.add_argument("--orders", type=int, default=100_000, help="orders per run (100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="most runs per library (3)")
    parser.add_argument(
        "--budget", type=float, default=25.0, help="no new run once a library took this (25 s)"
    )
    parser.add_argument(
        "--memory-orders", type=int, default=5_000, help="orders traced for memory (5,000)"
    )
    args = parser.parse_args(argv)
    count = 200 if args.quick else args.orders
    repeat = 1 if args.quick else args.repeat
    memory_count = 200 if args.quick else min(args.memory_orders, count)

    inputs = make_inputs(count)
    timings = measure_throughput(inputs, repeat=repeat, budget=args.budget)
    memory, referenced = measure_memory(inputs[:memory_count])

    print(f"# Orders benchmark: {machine_summary()}")
    print(
        f"ecomkit vs python-statemachine {_version('python-statemachine')} and transitions "
        f"{_version('transitions')}: {count:,} orders x {COMMANDS} commands per run, "
        f"up to {repeat} runs each (no new run after {args.budget:g} s), GC paused"
    )
    print()
    print_throughput(timings)
    print()
    print_memory(memory, referenced, memory_count)
    print()
    print_goals(timings, memory)
    return 0


def _version(distribution: str) -> str:
    from importlib.metadata import version  # noqa: PLC0415 - only for the header

    return version(distribution)


if __name__ == "__main__":
    sys.exit(main())
