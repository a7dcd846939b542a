"""Returns policy evaluation: ``evaluate_return`` vs a hand-written if-chain of the same rules.

Both sides decide the same return requests, request by request, under the same ten rules,
and produce the same decision for every line: approved, in-review and declined units, the
reasons (rule id, verdict, message code, observed value, threshold), the fees, the refund
method and the refund of the approved units. The hand-written side is the floor: what the
same decisions cost in plain Python with no engine at all. The goal stated for this
benchmark is the engine within 3x of the floor (engine time per line <= 3 x floor time).

The policy, exactly 10 rules, in the order they are checked (after the engine's built-in
quantity check: no more units than were delivered and not already requested):

1. ``withdrawal``: ``WithdrawalPeriod`` (withdrawals): 14 days from delivery of the order's
   last item, 12 months more for a customer not informed of the right (or 14 days from a
   late notice), moved to the next working day of the Polish calendar; refund due within
   14 days of the notice.
2. ``complaint``: ``ComplaintPeriod`` (complaints): 2 years from the item's delivery.
3. ``window``: ``ReturnWindow`` (voluntary): 30 days from the item's delivery, moved to the
   next working day of the same calendar (weekends and Polish public holidays 2026-2027).
4. ``final-sale``: ``FinalSale`` (voluntary): items with the ``final_sale`` trait.
5. ``not-returnable``: ``NotReturnable`` scoped to the categories ``gift-cards`` and
   ``food`` (voluntary).
6. ``condition``: ``AcceptedConditions`` (voluntary): unopened and opened accepted, used
   sent to review, damaged declined.
7. ``reason``: ``ReasonRequired`` (voluntary): one of five reason codes.
8. ``restocking``: ``RestockingFee`` of 10 % scoped to the category ``electronics``
   (voluntary; on a withdrawal it only notes that no fee is charged).
9. ``store-credit``: ``StoreCreditAfter`` 14 days from the item's delivery (voluntary).
10. ``review-high-value``: ``ReviewAbove`` 1,500 PLN / 350 EUR (every kind).

Left out of the rule types the issue suggests, to keep to ten: ``ReturnShippingFee`` (a
per-return fixed fee) and ``WithdrawalExceptions``; every kind of request still meets its
own period rule, and the rules above cover windows with and without a calendar, traits,
scopes, conditions, reasons, money (fees, values, thresholds) and all four effects the
refund reads except shipping.

Workload (built once, outside the timing; ``random.Random(7)``):

- ``--orders`` orders (3,000; 300 with ``--quick``) built through ``ecomkit.orders.apply``:
  place, authorize, capture, fulfil, ship, deliver. 2-5 lines each from a catalog of 240
  products in 9 categories (1-4 units, 0-23 % tax); PLN orders with gross prices, EUR
  orders with net prices; 30 % carry a 10 % line discount and 20 % a 5 % order discount;
  15 % are paid partly with a gift card; 30 % ship in two parcels delivered on different
  days. Every time is in UTC, so deliveries late in the evening fall on the next day in
  the stores' timezone, ``Europe/Warsaw``.
- ``--lines`` return lines (100,000; 10,000 with ``--quick``) in requests of 1-3 lines of
  one order: 78 % voluntary, 14 % withdrawals (6 % of them from customers not informed of
  the right, half of those informed late), 8 % complaints. Conditions, reasons, refund
  methods and the catalog's categories and traits vary; 3 % of lines ask for one unit more
  than was delivered. Requests come 0-40 days (voluntary), 0-22 days (withdrawals) or
  0-800 days (complaints) after the last delivery and are decided 0-36 hours later. The
  periods and windows count the request's time, so some are open and some closed, some
  ending on a weekend or a holiday.

What each side does per request:

- **engine**: ``evaluate_return(policy, request, order=order, at=at)``: it works out the
  order's delivery facts, checks every line against the quantity check and every rule
  whose kind and scope match (each finding a ``Finding`` with a ``Message`` whose
  arguments are checked), decides the line, gathers the effects, and works out the
  refund with ``calculate_refund`` (line values, fee deductions, shipping terms, the
  split over the order's payments).
- **floor** (``floor_evaluate`` below): the same ten rules as one if-chain over the same
  ``ReturnRequest`` and ``Order`` objects. It works out the delivery facts per request as
  the engine does, computes each window with ``datetime`` and ``zoneinfo`` (no caching
  across lines), and builds plain tuples: per line the unit counts and the reasons
  ``(rule_id, verdict, message code, observed, threshold)``; per request the fees, the
  refund method, each approved line's refund (``OrderLine.refund_total``, as the engine),
  the restocking deductions, the total and its split over the payments. It prices a
  line's requested units at most once (when a rule needs it), reuses that as the line's
  refund when all of them are approved, and charges the restocking fee on the line's
  refund. As the engine, it refunds complaint lines only for the withdrawal remedy. It
  has no message arguments (codes only) and checks none of its input.

Before timing, the script runs both sides once over the whole workload and stops unless
they agree on every request: outcome, refund method, per line the unit counts, the
reasons in order (all five fields) and the refund, and per request the fees,
deductions, total, tenders, store credit, refund deadline and its reason.

Measurement: like ``bench_orders.py``. Each side gets up to ``--repeat`` runs over all the
requests (no new run once its runs took ``--budget`` seconds), with the garbage collector
paused; each run keeps its decisions alive until it is over, and they are freed outside
the timing. The runs alternate between the two sides, so that a busy spell on the shared
machine slows both rather than one. The check above is the warm-up. Throughput is return
lines per second, best and median over the runs. ``--profile`` then runs the engine side
once more under ``cProfile`` over ``--profile-lines`` lines and prints the top functions
by self time and by cumulative time, and self time by source file.

Run: ``python benchmarks/bench_returns.py`` (about two minutes on a 2-core machine),
``--quick`` (10,000 lines, one run each) or ``--profile``.
"""

from __future__ import annotations

import calendar
import cProfile
import datetime as dt
import gc
import pstats
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, NamedTuple
from zoneinfo import ZoneInfo

import pendulum

from _harness import Timing, format_ops, format_ratio, machine_summary, print_table, quick_parser
from ecomkit.money import Money
from ecomkit.orders import (
    Address,
    AuthorizePayment,
    CapturePayment,
    ConfirmDelivery,
    DiscountSpec,
    FulfilLines,
    LineSpec,
    Order,
    OrderLine,
    OrderSpec,
    PlaceOrder,
    ShippingSpec,
    ShipShipment,
    apply,
)
from ecomkit.returns import (
    AcceptedConditions,
    ComplaintPeriod,
    FinalSale,
    ItemCondition,
    ItemTrait,
    LineOutcome,
    NotReturnable,
    ReasonRequired,
    RefundMethod,
    Remedy,
    RestockingFee,
    ReturnDecision,
    ReturnKind,
    ReturnLine,
    ReturnPolicy,
    ReturnRequest,
    ReturnWindow,
    ReviewAbove,
    Scope,
    StoreCreditAfter,
    Verdict,
    WithdrawalPeriod,
    evaluate_return,
)
from ecomkit.time import BusinessCalendar


GOAL: Final = 3.0
ZONE_NAME: Final = "Europe/Warsaw"
UTC: Final = pendulum.UTC
START: Final = pendulum.datetime(2026, 1, 5, tz=UTC)

# ------------------------------------------------------------------ the policy's parameters
# Shared by the policy and the floor, so both decide with the same numbers.

HOLIDAYS: Final = frozenset(
    dt.date(year, month, day)
    for year, month, day in (
        (2026, 1, 1), (2026, 1, 6), (2026, 4, 5), (2026, 4, 6), (2026, 5, 1), (2026, 5, 3),
        (2026, 5, 24), (2026, 6, 4), (2026, 8, 15), (2026, 11, 1), (2026, 11, 11),
        (2026, 12, 24), (2026, 12, 25), (2026, 12, 26),
        (2027, 1, 1), (2027, 1, 6), (2027, 3, 28), (2027, 3, 29), (2027, 5, 1), (2027, 5, 3),
        (2027, 5, 16), (2027, 5, 27), (2027, 8, 15), (2027, 11, 1), (2027, 11, 11),
        (2027, 12, 24), (2027, 12, 25), (2027, 12, 26),
    )
)  # fmt: skip
WEEKEND: Final = frozenset({5, 6})
WITHDRAWAL_DAYS: Final = 14
WITHDRAWAL_EXTENSION_MONTHS: Final = 12
REFUND_DAYS: Final = 14
COMPLAINT_YEARS: Final = 2
WINDOW_DAYS: Final = 30
NOT_RETURNABLE: Final = ("food", "gift-cards")
ACCEPTED: Final = (ItemCondition.UNOPENED, ItemCondition.OPENED)
REVIEWED: Final = (ItemCondition.USED,)
REASONS: Final = (
    "arrived_late",
    "changed_mind",
    "not_as_described",
    "size_too_large",
    "size_too_small",
)
RESTOCKING_CATEGORY: Final = "electronics"
RESTOCKING_RATE: Final = Decimal("0.10")
STORE_CREDIT_DAYS: Final = 14
REVIEW_ABOVE: Final = {"PLN": Money("1500", "PLN"), "EUR": Money("350", "EUR")}


def make_policy() -> ReturnPolicy:
    """Return the ten-rule policy the module docstring lists."""
    pl = BusinessCalendar(holidays=sorted(HOLIDAYS), name="PL")
    return ReturnPolicy(
        name="benchmark",
        version="1",
        rules=(
            WithdrawalPeriod(
                rule_id="withdrawal",
                days=WITHDRAWAL_DAYS,
                extension_months=WITHDRAWAL_EXTENSION_MONTHS,
                calendar=pl,
                refund_days=REFUND_DAYS,
            ),
            ComplaintPeriod(rule_id="complaint", years=COMPLAINT_YEARS),
            ReturnWindow(rule_id="window", days=WINDOW_DAYS, calendar=pl),
            FinalSale(rule_id="final-sale"),
            NotReturnable(rule_id="not-returnable", scope=Scope(categories=NOT_RETURNABLE)),
            AcceptedConditions(rule_id="condition", accept=ACCEPTED, review=REVIEWED),
            ReasonRequired(rule_id="reason", reasons=REASONS),
            RestockingFee(
                rule_id="restocking",
                rate=RESTOCKING_RATE,
                scope=Scope(categories=[RESTOCKING_CATEGORY]),
            ),
            StoreCreditAfter(rule_id="store-credit", days=STORE_CREDIT_DAYS),
            ReviewAbove(rule_id="review-high-value", amounts=tuple(REVIEW_ABOVE.values())),
        ),
    )


# ------------------------------------------------------------------ workload: orders


class Product(NamedTuple):
    """A catalog entry: what the host knows about the goods and sends with a request."""

    sku: str
    categories: tuple[str, ...]
    traits: tuple[ItemTrait, ...]
    low: int
    high: int
    tax_rate: Decimal


#: category: (weight, lowest and highest unit price in whole units, tax rate)
CATEGORIES: Final = {
    "apparel": (30, 15, 400, Decimal("0.23")),
    "shoes": (14, 60, 900, Decimal("0.23")),
    "electronics": (14, 40, 3000, Decimal("0.23")),
    "beauty": (10, 10, 300, Decimal("0.23")),
    "home": (10, 20, 1200, Decimal("0.23")),
    "media": (7, 20, 150, Decimal("0.08")),
    "food": (6, 5, 90, Decimal("0.05")),
    "toys": (6, 15, 500, Decimal("0.08")),
    "gift-cards": (3, 50, 500, Decimal(0)),
}


def make_catalog(rng: random.Random, size: int = 240) -> list[Product]:
    """Return *size* products with their categories and traits."""
    names = list(CATEGORIES)
    weights = [CATEGORIES[name][0] for name in names]
    products = []
    for index in range(size):
        category = rng.choices(names, weights)[0]
        _weight, low, high, rate = CATEGORIES[category]
        traits: set[ItemTrait] = set()
        if rng.random() < 0.08:
            traits.add(ItemTrait.FINAL_SALE)
        if category == "food":
            traits.add(ItemTrait.PERISHABLE)
        elif category == "beauty" and rng.random() < 0.5:
            traits.add(ItemTrait.SEALED_HYGIENE)
        elif category == "media":
            traits.add(ItemTrait.SEALED_MEDIA)
        elif category in {"apparel", "home"} and rng.random() < 0.03:
            traits.add(ItemTrait.PERSONALISED)
        categories = (category, "outlet") if rng.random() < 0.1 else (category,)
        products.append(
            Product(
                sku=f"{category[:3].upper()}-{index:04d}",
                categories=categories,
                traits=tuple(sorted(traits)),
                low=low,
                high=high,
                tax_rate=rate,
            )
        )
    return products


def _address(country: str) -> Address:
    return Address(
        name="Customer", line1="Street 1", city="City", postal_code="00-001", country_code=country
    )


def make_order(index: int, catalog: Sequence[Product], rng: random.Random) -> Order:
    """Build one delivered order through ``apply``, from placing it to its deliveries."""
    order_id = f"o-{index}"
    currency, country = ("PLN", "PL") if rng.random() < 0.8 else ("EUR", "DE")
    divisor = 1 if currency == "PLN" else 4
    products = rng.sample(catalog, rng.randint(2, 5))
    lines = []
    for number, product in enumerate(products, start=1):
        units = rng.choice((1, 1, 1, 1, 2, 2, 3, 4))
        cents = rng.randrange(product.low * 100, product.high * 100) // divisor
        lines.append(
            LineSpec(
                line_id=f"l{number}",
                sku=product.sku,
                quantity=units,
                unit_price=Money(Decimal(cents).scaleb(-2), currency),
                tax_rate=product.tax_rate,
            )
        )
    discounts = []
    if rng.random() < 0.3:
        discounts.append(DiscountSpec(code="LINE10", rate=Decimal("0.1"), line_id="l1"))
    if rng.random() < 0.2:
        discounts.append(DiscountSpec(code="ORDER5", rate=Decimal("0.05")))
    spec = OrderSpec(
        order_id=order_id,
        customer_id=f"c-{rng.randrange(10_000)}",
        channel="web",
        currency=currency,
        timezone=ZONE_NAME,
        lines=lines,
        shipping=[
            ShippingSpec(
                shipping_id="ship",
                method="courier",
                price=Money("14.99" if currency == "PLN" else "4.99", currency),
                tax_rate=Decimal("0.23"),
            )
        ],
        discounts=discounts,
        shipping_address=_address(country),
        prices_include_tax=currency == "PLN",
    )
    placed = START.add(minutes=rng.randrange(0, 230 * 24 * 60))
    at = placed
    order, _ = apply(None, PlaceOrder(key=f"{order_id}:place", spec=spec), at=at)
    gross = order.total.gross
    payments = [("p1", "card", gross)]
    if rng.random() < 0.15:
        gift = Money(min(Decimal(50) // divisor, (gross.amount / 2).quantize(Decimal(1))), currency)
        payments = [("g1", "gift_card", gift), ("p1", "card", gross - gift)]
    for payment_id, tender, amount in payments:
        at = at.add(minutes=1)
        order, _ = apply(
            order,
            AuthorizePayment(
                key=f"{order_id}:auth:{payment_id}",
                payment_id=payment_id,
                tender=tender,
                amount=amount,
            ),
            at=at,
        )
        order, _ = apply(
            order, CapturePayment(key=f"{order_id}:cap:{payment_id}", payment_id=payment_id), at=at
        )
    line_ids = [line.line_id for line in lines]
    split = rng.randint(1, len(line_ids) - 1) if rng.random() < 0.3 else len(line_ids)
    parcels = [line_ids[:split], line_ids[split:]] if split < len(line_ids) else [line_ids]
    quantities = {line.line_id: line.quantity for line in lines}
    for number, parcel in enumerate(parcels, start=1):
        at = at.add(hours=1)
        order, _ = apply(
            order,
            FulfilLines(
                key=f"{order_id}:fulfil:{number}",
                shipment_id=f"s{number}",
                lines={line_id: quantities[line_id] for line_id in parcel},
            ),
            at=at,
        )
        order, _ = apply(
            order, ShipShipment(key=f"{order_id}:ship:{number}", shipment_id=f"s{number}"), at=at
        )
    at = at.add(days=rng.randint(1, 3), minutes=rng.randrange(0, 24 * 60))
    for number in range(1, len(parcels) + 1):
        order, _ = apply(
            order,
            ConfirmDelivery(key=f"{order_id}:deliver:{number}", shipment_id=f"s{number}"),
            at=at,
        )
        at = at.add(days=rng.randint(1, 7), minutes=rng.randrange(0, 12 * 60))
    return order


# ------------------------------------------------------------------ workload: requests


class Work(NamedTuple):
    """One request to decide: the request, its order and when it is decided."""

    request: ReturnRequest
    order: Order
    at: pendulum.DateTime


_KINDS: Final = ((ReturnKind.VOLUNTARY, 78), (ReturnKind.WITHDRAWAL, 14), (ReturnKind.COMPLAINT, 8))
_CONDITIONS: Final = (
    (ItemCondition.UNOPENED, 55),
    (ItemCondition.OPENED, 25),
    (ItemCondition.USED, 12),
    (ItemCondition.DAMAGED, 8),
)
_METHODS: Final = (
    (RefundMethod.ORIGINAL_PAYMENT, 80),
    (RefundMethod.STORE_CREDIT, 15),
    (RefundMethod.EXCHANGE, 5),
)
_DAYS_AFTER: Final = {
    ReturnKind.VOLUNTARY: 40,
    ReturnKind.WITHDRAWAL: 22,
    ReturnKind.COMPLAINT: 800,
}


def _pick(rng: random.Random, table: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([item for item, _ in table], [weight for _, weight in table])[0]


def _reason(rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.12:
        return "other"
    return rng.choice(REASONS)


def make_line(
    order_line: OrderLine, product: Product, kind: ReturnKind, rng: random.Random
) -> ReturnLine:
    """Return a request line for *order_line* with the catalog's facts and the customer's."""
    units = rng.randint(1, order_line.quantity)
    if rng.random() < 0.03:
        units = order_line.delivered + 1
    remedy = None
    if kind is ReturnKind.COMPLAINT:
        remedy = rng.choice(list(Remedy))
    return ReturnLine(
        line_id=order_line.line_id,
        quantity=units,
        condition=_pick(rng, _CONDITIONS),
        reason=_reason(rng) if kind is ReturnKind.VOLUNTARY else None,
        traits=product.traits,
        categories=product.categories,
        remedy=remedy,
    )


def make_work(
    orders: Sequence[Order], products: dict[str, Product], total_lines: int, rng: random.Random
) -> list[Work]:
    """Return requests over *orders* with *total_lines* lines in all."""
    work: list[Work] = []
    made = 0
    while made < total_lines:
        order = rng.choice(orders)
        kind = _pick(rng, _KINDS)
        count = min(rng.choice((1, 1, 2, 2, 3)), len(order.lines), total_lines - made)
        chosen = rng.sample(order.lines, count)
        lines = [make_line(line, products[line.sku], kind, rng) for line in chosen]
        last_delivery = max(
            shipment.delivered_at for shipment in order.shipments if shipment.delivered_at
        )
        requested_at = pendulum.instance(last_delivery).add(
            days=rng.randrange(_DAYS_AFTER[kind] + 1), minutes=rng.randrange(24 * 60)
        )
        informed = True
        informed_at = None
        if kind is ReturnKind.WITHDRAWAL and rng.random() < 0.06:
            informed = False
            if rng.random() < 0.5:
                informed_at = pendulum.instance(last_delivery).add(days=rng.randint(5, 40))
        request = ReturnRequest(
            return_id=f"r-{len(work)}",
            kind=kind,
            lines=lines,
            requested_at=requested_at,
            refund_method=_pick(rng, _METHODS),
            withdrawal_informed=informed,
            withdrawal_informed_at=informed_at,
        )
        work.append(Work(request, order, requested_at.add(minutes=rng.randrange(36 * 60))))
        made += count
    return work


def make_workload(order_count: int, total_lines: int, *, seed: int = 7) -> list[Work]:
    """Return the deterministic workload: orders, then requests over them."""
    rng = random.Random(seed)
    catalog = make_catalog(rng)
    orders = [make_order(index, catalog, rng) for index in range(order_count)]
    return make_work(orders, {product.sku: product for product in catalog}, total_lines, rng)


# ------------------------------------------------------------------ the floor

_DAY: Final = dt.timedelta(days=1)
_CREDIT_OR_EXCHANGE: Final = frozenset({RefundMethod.STORE_CREDIT, RefundMethod.EXCHANGE})
_ACCEPTED_TEXT: Final = ",".join(condition.value for condition in ACCEPTED)
_REASONS_TEXT: Final = ",".join(REASONS)
#: Notes that carry an effect (a fee, a refund method): left out on a line none of whose
#: units goes on, as the engine does.
_EFFECT_NOTES: Final = frozenset({"fee.restocking_rate", "refund.store_credit_only"})

FloorReason = tuple[str, Verdict, str, str | None, str | None]


class FloorLine(NamedTuple):
    """The floor's decision on one line."""

    line_id: str
    requested: int
    approved: int
    in_review: int
    declined: int
    outcome: LineOutcome
    reasons: tuple[FloorReason, ...]
    refund: Money | None


class FloorDecision(NamedTuple):
    """The floor's decision on one request."""

    return_id: str
    outcome: LineOutcome
    lines: tuple[FloorLine, ...]
    method: RefundMethod
    fees: tuple[tuple[str, str, Decimal], ...]
    deductions: tuple[tuple[str, Money, str, str], ...]
    total: Money | None
    tenders: tuple[tuple[str, str, Money], ...]
    store_credit: Money | None
    due_by: dt.date | None
    reasons: tuple[FloorReason, ...]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def floor_window(
    start: dt.datetime, zone: ZoneInfo, *, days: int = 0, months: int = 0, roll: bool = False
) -> tuple[dt.date, dt.datetime, bool]:
    """Return (last day, closing instant, moved) of a window from *start*, as the engine."""
    local = start.astimezone(zone)
    last = dt.date(local.year, local.month, local.day)
    if months:
        last = _add_months(last, months)
    last += dt.timedelta(days=days)
    moved = False
    if roll:
        rolled = last
        while rolled.weekday() in WEEKEND or rolled in HOLIDAYS:
            rolled += _DAY
        moved = rolled != last
        last = rolled
    after = last + _DAY
    return last, dt.datetime(after.year, after.month, after.day, tzinfo=zone), moved


def _withdrawal_period(
    request: ReturnRequest, delivered: dt.datetime, zone: ZoneInfo
) -> tuple[dt.date, dt.datetime, bool, str]:
    if request.withdrawal_informed:
        return (*floor_window(delivered, zone, days=WITHDRAWAL_DAYS, roll=True), "withdrawal.open")
    initial, _, _ = floor_window(delivered, zone, days=WITHDRAWAL_DAYS)
    end = dt.datetime(initial.year, initial.month, initial.day, tzinfo=zone)
    extended = floor_window(end, zone, months=WITHDRAWAL_EXTENSION_MONTHS, roll=True)
    informed = request.withdrawal_informed_at
    if informed is not None and informed < extended[1]:
        found = floor_window(informed, zone, days=WITHDRAWAL_DAYS, roll=True)
        return (*found, "withdrawal.informed_late")
    return (*extended, "withdrawal.not_informed")


def floor_evaluate(  # noqa: C901, PLR0912, PLR0915 - the if-chain is the point
    request: ReturnRequest, order: Order
) -> FloorDecision:
    """Decide *request* under the ten rules, written out by hand (see the module docstring).

    None of the ten rules reads the decision time: the periods and windows count the
    request's time (a request made in time counts, however late it is decided).
    """
    zone = ZoneInfo(order.timezone)
    delivered_at: dict[str, dt.datetime] = {}
    times = []
    for shipment in order.shipments:
        when = shipment.delivered_at
        if when is None:
            continue
        times.append(when)
        for item in shipment.lines:
            known = delivered_at.get(item.line_id)
            if known is None or when > known:
                delivered_at[item.line_id] = when
    all_delivered = all(line.delivered >= line.quantity - line.cancelled for line in order.lines)
    last_delivered = max(times) if times and all_delivered else None
    order_lines = {line.line_id: line for line in order.lines}
    kind = request.kind
    voluntary = kind is ReturnKind.VOLUNTARY
    rounding = order.spec.rounding
    review_limit = REVIEW_ABOVE.get(order.currency.code)
    requested_at = request.requested_at
    at_text = requested_at.isoformat()

    lines: list[FloorLine] = []
    fees: list[tuple[str, str, Decimal]] = []
    credit_only = False
    deadline = False
    for line in request.lines:
        line_id = line.line_id
        order_line = order_lines.get(line_id)
        if order_line is None:
            raise ValueError(f"order {order.order_id} has no line {line_id}")
        units = line.quantity
        returnable = max(order_line.delivered - order_line.return_requested, 0)
        priced = min(units, order_line.quantity - order_line.refunded)  # units a value covers
        reasons: list[FloorReason] = []
        cap = min(units, returnable)
        review = False
        fee = credit = line_deadline = False
        value = None
        if returnable <= 0:
            reasons.append(("quantity", Verdict.DECLINE, "quantity.none", str(units), "0"))
        elif units > returnable:
            reasons.append(
                ("quantity", Verdict.DECLINE, "quantity.limited", str(units), str(returnable))
            )
        if kind is ReturnKind.WITHDRAWAL:  # 1. withdrawal period
            if last_delivered is None:
                reasons.append(("withdrawal", Verdict.PASS, "withdrawal.not_started", None, None))
                line_deadline = True
            else:
                last, closes, moved, code = _withdrawal_period(request, last_delivered, zone)
                if requested_at < closes:
                    reasons.append(("withdrawal", Verdict.PASS, code, at_text, closes.isoformat()))
                    line_deadline = True
                else:
                    reasons.append(
                        (
                            "withdrawal",
                            Verdict.DECLINE,
                            "withdrawal.closed",
                            at_text,
                            closes.isoformat(),
                        )
                    )
                    cap = 0
                if moved:
                    reasons.append(
                        ("withdrawal", Verdict.NOTE, "deadline.moved", None, last.isoformat())
                    )
        elif kind is ReturnKind.COMPLAINT:  # 2. complaint period
            delivered = delivered_at.get(line_id)
            if delivered is not None:
                _, closes, _ = floor_window(delivered, zone, months=12 * COMPLAINT_YEARS)
                if requested_at < closes:
                    reasons.append(
                        ("complaint", Verdict.PASS, "complaint.open", at_text, closes.isoformat())
                    )
                else:
                    reasons.append(
                        (
                            "complaint",
                            Verdict.DECLINE,
                            "complaint.closed",
                            at_text,
                            closes.isoformat(),
                        )
                    )
                    cap = 0
        else:
            delivered = delivered_at.get(line_id)
            if delivered is None:  # 3. return window
                reasons.append(("window", Verdict.PASS, "window.not_started", None, None))
            else:
                last, closes, moved = floor_window(delivered, zone, days=WINDOW_DAYS, roll=True)
                if requested_at < closes:
                    reasons.append(
                        ("window", Verdict.PASS, "window.open", at_text, closes.isoformat())
                    )
                else:
                    reasons.append(
                        ("window", Verdict.DECLINE, "window.closed", at_text, closes.isoformat())
                    )
                    cap = 0
                if moved:
                    reasons.append(
                        ("window", Verdict.NOTE, "deadline.moved", None, last.isoformat())
                    )
            if ItemTrait.FINAL_SALE in line.traits:  # 4. final sale
                reasons.append(("final-sale", Verdict.DECLINE, "final_sale", "final_sale", None))
                cap = 0
            if any(code in NOT_RETURNABLE for code in line.categories):  # 5. not returnable
                reasons.append(
                    ("not-returnable", Verdict.DECLINE, "not_returnable", order_line.sku, None)
                )
                cap = 0
            condition = line.condition  # 6. accepted conditions
            if condition in REVIEWED:
                reasons.append(
                    (
                        "condition",
                        Verdict.REVIEW,
                        f"condition.{condition.value}.review",
                        condition.value,
                        _ACCEPTED_TEXT,
                    )
                )
                review = True
            elif condition not in ACCEPTED:
                reasons.append(
                    (
                        "condition",
                        Verdict.DECLINE,
                        f"condition.{condition.value}.declined",
                        condition.value,
                        _ACCEPTED_TEXT,
                    )
                )
                cap = 0
            reason = line.reason  # 7. reason required
            if reason is None or reason not in REASONS:
                reasons.append(
                    ("reason", Verdict.DECLINE, "reason.required", reason or "", _REASONS_TEXT)
                )
                cap = 0
        if kind is not ReturnKind.COMPLAINT and RESTOCKING_CATEGORY in line.categories:
            if voluntary:  # 8. restocking fee
                value = order_line.refund_total(priced).gross
                amount = (value * RESTOCKING_RATE).quantize(rounding=rounding)
                reasons.append(
                    ("restocking", Verdict.NOTE, "fee.restocking_rate", str(amount), None)
                )
                fee = True
            else:
                reasons.append(("restocking", Verdict.NOTE, "fee.waived_withdrawal", None, None))
        if voluntary:  # 9. store credit after
            delivered = delivered_at.get(line_id)
            if delivered is not None:
                _, closes, _ = floor_window(delivered, zone, days=STORE_CREDIT_DAYS)
                if not requested_at < closes:
                    reasons.append(
                        (
                            "store-credit",
                            Verdict.NOTE,
                            "refund.store_credit_only",
                            at_text,
                            closes.isoformat(),
                        )
                    )
                    credit = True
        if review_limit is not None:  # 10. review above
            if value is None:
                value = order_line.refund_total(priced).gross
            if value > review_limit:
                reasons.append(
                    (
                        "review-high-value",
                        Verdict.REVIEW,
                        "review.high_value",
                        str(value),
                        str(review_limit),
                    )
                )
                review = True

        in_review = cap if review else 0
        approved = 0 if review else cap
        if approved == units:
            outcome = LineOutcome.APPROVED
        elif in_review:
            outcome = LineOutcome.NEEDS_REVIEW
        elif approved:
            outcome = LineOutcome.PARTIALLY_APPROVED
        else:
            outcome = LineOutcome.DECLINED
            reasons = [reason for reason in reasons if reason[2] not in _EFFECT_NOTES]
        if not approved or (kind is ReturnKind.COMPLAINT and line.remedy is not Remedy.WITHDRAWAL):
            refund = None  # a complaint pays money back only for the withdrawal remedy
        elif approved == priced and value is not None:
            refund = value  # the units priced above, all approved
        else:
            refund = order_line.refund_total(approved).gross
        lines.append(
            FloorLine(
                line_id,
                units,
                approved,
                in_review,
                units - approved - in_review,
                outcome,
                tuple(reasons),
                refund,
            )
        )
        if approved or in_review:
            if fee:
                fees.append(("restocking", line_id, RESTOCKING_RATE))
            credit_only = credit_only or credit
            deadline = deadline or line_deadline

    outcomes = {line.outcome for line in lines}
    if outcomes == {LineOutcome.APPROVED}:
        overall = LineOutcome.APPROVED
    elif LineOutcome.NEEDS_REVIEW in outcomes:
        overall = LineOutcome.NEEDS_REVIEW
    elif outcomes == {LineOutcome.DECLINED}:
        overall = LineOutcome.DECLINED
    else:
        overall = LineOutcome.PARTIALLY_APPROVED
    method = request.refund_method
    if credit_only and method not in _CREDIT_OR_EXCHANGE:
        method = RefundMethod.STORE_CREDIT

    total = store_credit = None
    deductions: list[tuple[str, Money, str, str]] = []
    tenders: list[tuple[str, str, Money]] = []
    refunds = {line.line_id: line.refund for line in lines if line.refund is not None}
    if refunds:
        total = Money.zero(order.currency)
        for amount in refunds.values():
            total += amount
        for rule_id, line_id, rate in fees:
            refunded = refunds.get(line_id)
            if refunded is not None:
                taken = min((refunded * rate).quantize(rounding=rounding), total)
                total -= taken
                deductions.append(("restocking_fee", taken, rule_id, line_id))
        if method is RefundMethod.ORIGINAL_PAYMENT:
            remaining = total
            for payment in order.payments:
                if not remaining.is_positive():
                    break
                take = min(remaining, payment.refundable)
                if take.is_positive():
                    tenders.append((payment.payment_id, payment.tender, take))
                    remaining -= take
        elif method is RefundMethod.STORE_CREDIT:
            store_credit = total
    due_by = None
    request_reasons: tuple[FloorReason, ...] = ()
    if deadline and overall is not LineOutcome.DECLINED:
        due_by, _, _ = floor_window(request.requested_at, zone, days=REFUND_DAYS)
        request_reasons = (("withdrawal", Verdict.NOTE, "refund.due_by", None, due_by.isoformat()),)
    return FloorDecision(
        request.return_id,
        overall,
        tuple(lines),
        method,
        tuple(fees),
        tuple(deductions),
        total,
        tuple(tenders),
        store_credit,
        due_by,
        request_reasons,
    )


# ------------------------------------------------------------------ the two sides

POLICY: Final = make_policy()


def run_engine(work: Sequence[Work]) -> list[ReturnDecision]:
    """Decide every request with ``evaluate_return``."""
    policy = POLICY
    return [evaluate_return(policy, item.request, order=item.order, at=item.at) for item in work]


def run_floor(work: Sequence[Work]) -> list[FloorDecision]:
    """Decide every request with the hand-written if-chain."""
    return [floor_evaluate(item.request, item.order) for item in work]


# ------------------------------------------------------------------ agreement


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def engine_view(decision: ReturnDecision) -> tuple[Any, ...]:
    """Return the comparable form of an engine decision."""
    refund = decision.refund
    line_refunds = (
        {} if refund is None else {item.line_id: item.amount.gross for item in refund.lines}
    )
    method = decision.refund_method
    return (
        decision.outcome,
        method,
        tuple(
            (
                line.line_id,
                line.requested,
                line.approved,
                line.in_review,
                line.declined,
                line.outcome,
                tuple(
                    (r.rule_id, r.verdict, r.message.code, r.observed, r.threshold)
                    for r in line.reasons
                ),
                _text(line_refunds.get(line.line_id)),
            )
            for line in decision.lines
        ),
        tuple((fee.rule_id, fee.line_id, fee.fee.rate) for fee in decision.fees),
        ()
        if refund is None
        else tuple((d.kind, str(d.amount), d.rule_id, d.line_id) for d in refund.deductions),
        None if refund is None else str(refund.total),
        ()
        if refund is None
        else tuple((t.payment_id, t.tender, str(t.amount)) for t in refund.tenders),
        None
        if refund is None or method is not RefundMethod.STORE_CREDIT
        else str(refund.store_credit),
        decision.refund_due_by,
        tuple(
            (r.rule_id, r.verdict, r.message.code, r.observed, r.threshold)
            for r in decision.reasons
        ),
    )


def floor_view(decision: FloorDecision) -> tuple[Any, ...]:
    """Return the comparable form of a floor decision."""
    return (
        decision.outcome,
        decision.method,
        tuple((*line[:7], _text(line.refund)) for line in decision.lines),
        decision.fees,
        tuple((kind, str(amount), rule, line) for kind, amount, rule, line in decision.deductions),
        _text(decision.total),
        tuple((payment, tender, str(amount)) for payment, tender, amount in decision.tenders),
        _text(decision.store_credit),
        decision.due_by,
        decision.reasons,
    )


class Agreement(NamedTuple):
    """What the check compared, and the workload's mix as both sides decided it."""

    requests: int
    lines: int
    reasons: int
    refunds: int
    outcomes: Counter[str]
    units: Counter[str]
    verdicts: Counter[str]
    refusals: Counter[str]


def check_agreement(
    work: Sequence[Work], engine: Sequence[ReturnDecision], floor: Sequence[FloorDecision]
) -> Agreement:
    """Stop unless the engine and the floor decided every request the same way."""
    lines = reasons = refunds = 0
    outcomes: Counter[str] = Counter()
    units: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    for item, ours, theirs in zip(work, engine, floor, strict=True):
        expected, found = engine_view(ours), floor_view(theirs)
        if expected != found:
            _report_mismatch(item, expected, found)
            msg = f"the floor disagrees with the engine on {item.request.return_id}"
            raise SystemExit(msg)
        for line in ours.lines:
            lines += 1
            outcomes[line.outcome.value] += 1
            units["approved"] += line.approved
            units["in review"] += line.in_review
            units["declined"] += line.declined
            reasons += len(line.reasons)
            verdicts.update(reason.verdict.value for reason in line.reasons)
            refusals.update(
                f"{reason.rule_id} {reason.verdict.value}"
                for reason in line.reasons
                if reason.verdict in {Verdict.DECLINE, Verdict.REVIEW}
            )
        reasons += len(ours.reasons)
        refunds += ours.refund is not None
    return Agreement(len(work), lines, reasons, refunds, outcomes, units, verdicts, refusals)


def _report_mismatch(item: Work, expected: tuple[Any, ...], found: tuple[Any, ...]) -> None:
    print(f"Mismatch on {item.request!r}\n  at {item.at}", file=sys.stderr)
    names = ("outcome", "method", "lines", "fees", "deductions", "total", "tenders", "credit")
    for name, ours, theirs in zip((*names, "due_by", "reasons"), expected, found, strict=True):
        if ours != theirs:
            print(f"  {name}:\n    engine {ours!r}\n    floor  {theirs!r}", file=sys.stderr)


# ------------------------------------------------------------------ measuring


def _one_run(run: Callable[[Sequence[Work]], Sequence[object]], work: Sequence[Work]) -> float:
    """Return the seconds one run of *run* over *work* takes, GC paused, results freed after."""
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        result = run(work)
        elapsed = time.perf_counter() - started
    finally:
        gc.enable()
    del result
    return elapsed


def time_sides(
    sides: Sequence[Callable[[Sequence[Work]], Sequence[object]]],
    work: Sequence[Work],
    lines: int,
    *,
    repeat: int,
    budget: float,
) -> list[Timing]:
    """Time up to *repeat* runs of each side, alternating; return each side's lines/s."""
    times: list[list[float]] = [[] for _ in sides]
    for _ in range(repeat):
        for run, taken in zip(sides, times, strict=True):
            if sum(taken) < budget:
                taken.append(_one_run(run, work))
    gc.collect()
    return [
        Timing(
            best=lines / min(taken),
            median=lines / statistics.median(taken),
            number=1,
            repeat=len(taken),
        )
        for taken in times
    ]


def _add_name(names: dict[tuple[str, int, str], str], item: object) -> None:
    """Record the profiler's key of *item* (a function, method or property) and its name."""
    if isinstance(item, classmethod | staticmethod):
        item = item.__func__
    elif isinstance(item, property):
        item = item.fget
    item = getattr(item, "__wrapped__", item)  # functools.cache and lru_cache
    code = getattr(item, "__code__", None)
    if code is not None:
        key = (code.co_filename, code.co_firstlineno, code.co_name)
        names[key] = getattr(item, "__qualname__", code.co_name)


def _qualified_names() -> dict[tuple[str, int, str], str]:
    """Map the profiler's (file, line, name) of ecomkit's functions to their qualified names."""
    names: dict[tuple[str, int, str], str] = {}
    for module_name, module in list(sys.modules.items()):
        if module is None or not module_name.startswith("ecomkit."):
            continue
        for item in vars(module).values():
            if getattr(item, "__module__", None) != module_name:
                continue
            members = vars(item).values() if isinstance(item, type) else (item,)
            for member in members:
                _add_name(names, member)
    return names


def _where(key: tuple[str, int, str], names: dict[tuple[str, int, str], str]) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    name = names.get(key, name)
    path = Path(filename)
    parts = path.parts
    if "ecomkit" in parts:
        short = "/".join(parts[parts.index("ecomkit") :])
    elif "site-packages" in parts:
        short = "/".join(parts[parts.index("site-packages") + 1 :])
    else:
        short = path.name
    return f"{short}:{line} {name}"


def _group(filename: str) -> str:
    if filename == "~":
        return "built-ins (C functions)"
    parts = Path(filename).parts
    if "ecomkit" in parts:
        return "/".join(parts[parts.index("ecomkit") :])
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1] + " (package)"
    if filename.startswith("<attrs generated"):
        return "attrs-generated __init__/__eq__ ..."
    return Path(filename).name


def profile_engine(work: Sequence[Work], lines: int, top: int) -> None:
    """Profile one engine pass over *work* and print the top functions and files."""
    profiler = cProfile.Profile()
    gc.collect()
    gc.disable()
    try:
        profiler.enable()
        result = run_engine(work)
        profiler.disable()
    finally:
        gc.enable()
    del result
    stats = pstats.Stats(profiler)
    names = _qualified_names()
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    print(
        f"Profile of the engine side: cProfile, {len(work):,} requests / {lines:,} lines, "
        f"{total:.2f} s of self time in all ({total * 1e6 / lines:.1f} µs/line under the "
        "profiler, which inflates small calls)"
    )
    for title, index in (("self time", 2), ("cumulative time", 3)):
        print()
        print(f"Top {top} functions by {title}:")
        print()
        ranked = sorted(raw.items(), key=lambda pair: pair[1][index], reverse=True)[:top]
        print_table(
            ["function", "calls", "calls/line", "self s", "cum s", f"{title} %"],
            [
                [
                    _where(key, names),
                    f"{calls:,}",
                    f"{calls / lines:.2f}",
                    f"{self_time:.3f}",
                    f"{cumulative:.3f}",
                    f"{(self_time if index == 2 else cumulative) * 100 / total:.1f}",
                ]
                for key, (_primitive, calls, self_time, cumulative, _callers) in ranked
            ],
        )
    groups: Counter[str] = Counter()
    for (filename, _line, _name), entry in raw.items():
        groups[_group(filename)] += entry[2]
    print()
    print("Self time by source file:")
    print()
    print_table(
        ["file", "self s", "%"],
        [
            [name, f"{seconds:.3f}", f"{seconds * 100 / total:.1f}"]
            for name, seconds in groups.most_common(top)
        ],
    )


# ------------------------------------------------------------------ report


def print_mix(agreement: Agreement) -> None:
    """Print what the workload's lines came to."""
    print(
        f"Agreement: engine and floor decided all {agreement.requests:,} requests the same "
        f"way: {agreement.lines:,} lines (unit counts and outcomes), {agreement.reasons:,} "
        f"reasons (rule, verdict, code, observed, threshold, in order), "
        f"{agreement.refunds:,} refunds (per-line amounts, deductions, total, tenders)."
    )
    outcomes = ", ".join(f"{name} {count:,}" for name, count in agreement.outcomes.most_common())
    units = ", ".join(f"{name} {count:,}" for name, count in agreement.units.items())
    verdicts = ", ".join(f"{name} {count:,}" for name, count in agreement.verdicts.most_common())
    print(f"Lines by outcome: {outcomes}.")
    refusals = ", ".join(f"{name} {count:,}" for name, count in agreement.refusals.most_common())
    print(f"Units: {units}. Reasons by verdict: {verdicts}.")
    print(f"Declines and reviews by rule: {refusals}.")


def print_throughput(engine: Timing, floor: Timing, requests: int, lines: int) -> None:
    """Print the throughput table and whether the goal is met."""
    rows = []
    for name, timing in (("ecomkit evaluate_return", engine), ("hand-written if-chain", floor)):
        rows.append(
            [
                name,
                str(timing.repeat),
                format_ops(timing),
                f"{1e6 / timing.best:.1f}",
                f"{1e6 * lines / requests / timing.best:.1f}",
                format_ratio((engine.best / timing.best, engine.median / timing.median)),
                f"{timing.best / engine.best:.2f}x / {timing.median / engine.median:.2f}x",
            ]
        )
    print_table(
        [
            "side",
            "runs",
            "lines/s",
            "µs/line",
            "µs/request",
            "ecomkit ratio",
            "ecomkit time / this time",
        ],
        rows,
    )
    print()
    print("lines/s and the ratios are best / median over the runs; µs are from the best run.")
    print("ecomkit ratio = ecomkit lines/s / that row's lines/s (<1: ecomkit is slower);")
    print("the last column is its inverse: how many times the floor's time the engine takes.")
    slowdown = floor.best / engine.best
    met = "met" if slowdown <= GOAL else "NOT met"
    print(
        f"Goal, engine within {GOAL:g}x of the floor: {met} "
        f"({slowdown:.2f}x the floor's time per line, best runs; "
        f"{floor.median / engine.median:.2f}x on the medians)."
    )


# ------------------------------------------------------------------ main


def main(argv: Sequence[str] | None = None) -> int:
    """Build the workload, check both sides agree, time them and print the ratios."""
    parser = quick_parser(__doc__.splitlines()[0] if __doc__ else "returns benchmark")
    parser.add_argument("--lines", type=int, default=100_000, help="return lines (100,000)")
    parser.add_argument("--orders", type=int, default=3_000, help="orders (3,000)")
    parser.add_argument("--repeat", type=int, default=5, help="most runs per side (5)")
    parser.add_argument(
        "--budget", type=float, default=50.0, help="no new run once a side took this (50 s)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="then profile the engine side with cProfile"
    )
    parser.add_argument(
        "--profile-lines", type=int, default=20_000, help="lines to profile (20,000)"
    )
    parser.add_argument("--top", type=int, default=20, help="rows per profile table (20)")
    args = parser.parse_args(argv)
    total_lines = 10_000 if args.quick else args.lines
    order_count = 300 if args.quick else args.orders
    repeat = 1 if args.quick else args.repeat

    started = time.perf_counter()
    work = make_workload(order_count, total_lines)
    built = time.perf_counter() - started
    lines = sum(len(item.request.lines) for item in work)

    started = time.perf_counter()
    agreement = check_agreement(work, run_engine(work), run_floor(work))
    checked = time.perf_counter() - started

    engine, floor = time_sides(
        (run_engine, run_floor), work, lines, repeat=repeat, budget=args.budget
    )

    print(f"# Returns benchmark: {machine_summary()}")
    print(
        f"evaluate_return vs a hand-written if-chain: {len(work):,} requests, {lines:,} lines "
        f"over {order_count:,} orders, a 10-rule policy; up to {repeat} runs each, alternating "
        f"(no new run after {args.budget:g} s), GC paused"
    )
    print(f"(workload built in {built:.1f} s, agreement checked in {checked:.1f} s)")
    print()
    print_mix(agreement)
    print()
    print_throughput(engine, floor, len(work), lines)
    if args.profile:
        subset: list[Work] = []
        profiled = 0
        for item in work:
            if profiled >= args.profile_lines:
                break
            subset.append(item)
            profiled += len(item.request.lines)
        print()
        profile_engine(subset, profiled, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
