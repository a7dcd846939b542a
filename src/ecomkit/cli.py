"""The ``python -m ecomkit`` command line: the demo and small utilities.

```text
python -m ecomkit demo                 walk through what ecomkit does today
python -m ecomkit currency IQD JPY     show ISO 4217 facts for currency codes
```
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from ecomkit.errors import EcomkitError
from ecomkit.money import Money


if TYPE_CHECKING:
    import random

    from ecomkit.orders import Order, OrderCommand, OrderSpec
    from ecomkit.returns import ReturnDecision, ReturnLine, ReturnPolicy


__all__ = ["main"]

_LOCALES = ("en_US", "pl_PL", "it_IT", "zh_CN", "ar_SA")


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``).

    Returns:
        The process exit status: 0 on success, 2 for a refused input.
    """
    stream = out if out is not None else sys.stdout
    parser = argparse.ArgumentParser(prog="python -m ecomkit", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="walk through what ecomkit does today")
    demo.add_argument(
        "--db",
        type=pathlib.Path,
        metavar="PATH",
        help="keep the demo shop's SQLite database at PATH (default: a temporary file)",
    )
    currency = commands.add_parser("currency", help="show ISO 4217 facts for currency codes")
    currency.add_argument("codes", nargs="+", metavar="CODE")
    args = parser.parse_args(argv)
    runners: dict[str, Callable[[argparse.Namespace, TextIO], None]] = {
        "demo": _demo,
        "currency": _currency,
    }
    try:
        runners[args.command](args, stream)
    except EcomkitError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _currency(args: argparse.Namespace, out: TextIO) -> None:
    from ecomkit.money import Currency  # noqa: PLC0415 - keep --help fast

    for code in args.codes:
        found = Currency(code)
        minor = "none (ISO N.A.)" if found.minor_units is None else str(found.minor_units)
        print(
            f"{found.code} {found.numeric} {found.name}: ISO minor units {minor}, "
            f"CLDR display digits {found.display_digits}, cash increment {found.cash_increment}",
            file=out,
        )


def _demo(args: argparse.Namespace, out: TextIO) -> None:
    from ecomkit.money import (  # noqa: PLC0415 - keep --help fast
        AllocationStrategy,
        Currency,
        Money,
        Rounding,
        TaxedMoney,
        allocate,
        format_money,
        split,
    )

    def say(text: str = "") -> None:
        print(text, file=out)

    say(
        "ecomkit demo: money, allocation, tax, formatting, time, locales, JSON, orders, "
        "returns, catalog, a shop on SQLite"
    )
    say()
    say("1. Currencies come from ISO 4217, not from CLDR display data")
    for code in ("EUR", "JPY", "IQD", "KWD", "CLF", "CHF"):
        found = Currency(code)
        say(
            f"   {found.code}: {found.name:<18} ISO minor units {found.minor_units}, "
            f"CLDR display digits {found.display_digits}, cash step {found.cash_increment}"
        )
    say()
    say("2. One price, formatted for five locales (rounded half up before babel sees it)")
    price = Money("1234.565", "EUR")
    say(f"   {price!r}")
    for locale in _LOCALES:
        say(f"   {locale}: {format_money(price, locale=locale)}")
    say()
    say("3. A 10.00 EUR order discount spread over lines worth 19.99, 5.49, 12.50 and a free")
    say("   gift (0.00): every strategy keeps the total; they differ in who gets the odd cent")
    discount = Money("10.00", "EUR")
    line_totals = [Decimal("19.99"), Decimal("5.49"), Decimal("12.50"), Decimal(0)]
    for strategy in AllocationStrategy:
        parts = allocate(discount, line_totals, strategy=strategy)
        say(f"   {strategy.value:<18} -> {', '.join(str(part.amount) for part in parts)}")
    say(f"   split(100.00 EUR, 3)  -> {', '.join(map(str, split(Money('100.00', 'EUR'), 3)))}")
    say()
    say("4. VAT extracted from a tax-inclusive 1000.00 EUR at 20 %")
    taxed = TaxedMoney.from_gross(
        Money(1000, "EUR"), rate=Decimal("0.20"), rounding=Rounding.HALF_UP
    )
    say(f"   net {taxed.net}, tax {taxed.tax}, gross {taxed.gross}")
    _demo_time_and_text(say)
    _demo_json(say)
    say()
    say("8. Bad input is refused with a typed error that names the field and the value")
    attempts: list[tuple[str, Callable[[], object]]] = [
        ("Money(0.1, 'EUR')", lambda: Money(0.1, "EUR")),  # type: ignore[arg-type]
        ("Money('12.30', 'XYZ')", lambda: Money("12.30", "XYZ")),
        ("Money(1, 'EUR') + Money(1, 'USD')", lambda: Money(1, "EUR") + Money(1, "USD")),
    ]
    for attempt, build in attempts:
        try:
            build()
        except EcomkitError as error:
            say(f"   {attempt}\n      {type(error).__name__}: {error}")
    _demo_orders(say)
    _demo_returns(say)
    from ecomkit._demo_catalog import demo_catalog  # noqa: PLC0415 - keep --help fast

    demo_catalog(say)
    from ecomkit._demo_store import demo_store  # noqa: PLC0415 - keep --help fast

    demo_store(say, db=args.db)


def _demo_time_and_text(say: Callable[[str], None]) -> None:
    import pendulum  # noqa: PLC0415 - keep --help fast

    from ecomkit.i18n import LocalizedText  # noqa: PLC0415
    from ecomkit.time import store_date, to_store_time  # noqa: PLC0415

    say("")
    say("5. One order placed at 23:30 UTC on 28 March 2026 counts for different days per store")
    placed = pendulum.datetime(2026, 3, 28, 23, 30, tz="UTC")
    for zone in ("Europe/Warsaw", "America/Sao_Paulo", "Asia/Shanghai"):
        local = to_store_time(placed, zone)
        say(f"   {zone:<18} {local.to_datetime_string()}  -> sales day {store_date(placed, zone)}")
    say("")
    say("6. Product text falls back along CLDR's locale chain, then to the default locale")
    title = LocalizedText(
        {"en": "Running shoe", "de": "Laufschuh", "es_419": "Zapatilla", "zh_Hans": "跑鞋"},
        default_locale="en",
    )
    for locale in ("de_AT", "es_MX", "zh_CN", "zh_TW", "pl_PL"):
        found = title.resolve(locale)
        if found is not None:
            say(f"   {locale:<6} -> {found.text} (from {found.locale})")


@attrs.frozen
class _Line:
    """An order line of the demo, as a host application would define it."""

    sku: str
    quantity: int
    unit_price: Money


def _demo_json(say: Callable[[str], None]) -> None:
    from ecomkit.errors import DataValidationError  # noqa: PLC0415 - keep --help fast
    from ecomkit.serialization import from_json, to_json  # noqa: PLC0415

    say("")
    say("7. JSON in and out, strictly: exact amounts, and every problem reported with its path")
    line = _Line("SKU-1", 2, Money("19.99", "EUR"))
    text = to_json(line)
    say(f"   {text}")
    say(f"   reads back equal: {from_json(text, _Line) == line}")
    bad = '{"sku": 7, "quantity": 2.5, "unit_price": {"amount": 19.99, "currency": "EURO"}}'
    say(f"   {bad}")
    say("   (the amount 19.99 as a JSON number is accepted: it is read exactly from its text)")
    try:
        from_json(bad, _Line)
    except DataValidationError as error:
        for message in error.messages():
            say(f"      {message}")


#: The demo shop's catalogue: SKU, name, gross unit price in PLN and VAT rate.
_CATALOGUE = (
    ("MUG-01", "Mug", "39.00", "0.23"),
    ("TEA-01", "Green tea", "24.50", "0.05"),
    ("BOOK-7", "Cookbook", "59.90", "0.05"),
    ("LAMP-2", "Desk lamp", "149.00", "0.23"),
    ("SOCK-3", "Wool socks", "29.99", "0.23"),
)

#: The paths the demo orders take, and how often each is picked.
_PATHS = {
    "delivered": 60,
    "not confirmed yet": 20,
    "partially shipped": 25,
    "part cancelled": 15,
    "on hold": 20,
    "cancelled": 20,
    "unavailable": 10,
    "returned": 30,
}

_BATCH = 200
_ZONE = "Europe/Warsaw"


def _demo_orders(say: Callable[[str], None]) -> None:
    import random  # noqa: PLC0415 - keep --help fast

    import pendulum  # noqa: PLC0415

    from ecomkit.errors import CommandRejectedError  # noqa: PLC0415
    from ecomkit.orders import (  # noqa: PLC0415
        CancelOrder,
        IdempotencyKey,
        ShipShipment,
        apply,
        replay,
    )

    say("")
    say(f"9. {_BATCH} orders placed and moved along different paths with fixed timestamps,")
    say("   then counted by their status and by the statuses derived from their ledgers")
    rng = random.Random(2026)  # noqa: S311 - reproducible demo data, not cryptography
    start = pendulum.datetime(2026, 3, 2, 8, tz=_ZONE)
    orders: list[tuple[str, Order]] = []
    for number in range(1, _BATCH + 1):
        path = rng.choices(list(_PATHS), list(_PATHS.values()))[0]
        run = _OrderRun.place(
            _demo_spec(f"o-{number:04d}", rng), start + dt.timedelta(minutes=17 * number), rng
        )
        _drive(run, path)
        orders.append((path, run.order))
    for label, counts in _status_counts([order for _, order in orders]):
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        say(f"   {label + ':':<20}" + ", ".join(f"{name} {count}" for name, count in ranked))
    rebuilt = sum(replay(order.events) == order for _, order in orders)
    say(f"   rebuilt from their event logs, {rebuilt} of {_BATCH} orders equal the originals")

    shown = next(o for path, o in orders if path == "returned" and o.status.value == "closed")
    say(f"   the event log of {shown.order_id}, returned after delivery (times in {_ZONE}):")
    for event in shown.events:
        local = pendulum.instance(event.at).in_timezone(_ZONE).format("ddd D MMM HH:mm")
        name, status = type(event).__name__, event.status.value
        say(f"      v{event.version:<2} {local}  {name:<17} {status:<10} {_detail(event)}".rstrip())

    shipped = next(order for path, order in orders if path == "partially shipped")
    last = shipped.events[-1]
    resent = ShipShipment(key=last.key, shipment_id=shipped.shipments[-1].shipment_id)
    again, events = apply(shipped, resent, at=last.at)
    say(
        f"   ShipShipment sent again with key {last.key!r}: its first event (v{events[0].version})"
        f" comes back, the order stays at v{again.version}"
    )
    try:
        apply(shipped, CancelOrder(key=IdempotencyKey(f"{shipped.order_id}/cancel")), at=last.at)
    except CommandRejectedError as error:
        say(f"   cancelling {shipped.order_id} ({shipped.fulfilment_status.value}) is refused:")
        say(f"      {type(error).__name__}: {error}")


def _detail(event: object) -> str:
    """Return what an event of the demo carries besides its header: an amount or units."""
    amount = getattr(event, "amount", None)
    units = getattr(event, "lines", None) or ()
    parts = [str(amount)] if amount is not None else []
    parts.extend(f"{item.line_id} x{item.quantity}" for item in units)
    return ", ".join(parts)


def _status_counts(orders: list[Order]) -> list[tuple[str, Counter[str]]]:
    from ecomkit.orders import marketplace_status  # noqa: PLC0415 - keep --help fast

    return [
        ("order status", Counter(order.status.value for order in orders)),
        ("payment status", Counter(order.payment_status.value for order in orders)),
        ("fulfilment status", Counter(order.fulfilment_status.value for order in orders)),
        ("return status", Counter(order.return_status.value for order in orders)),
        ("marketplace status", Counter(marketplace_status(order).value for order in orders)),
    ]


def _demo_spec(order_id: str, rng: random.Random) -> OrderSpec:
    from ecomkit.orders import (  # noqa: PLC0415 - keep --help fast
        ChannelId,
        DiscountSpec,
        LineId,
        LineSpec,
        OrderId,
        OrderSpec,
        ShippingLineId,
        ShippingSpec,
        Sku,
    )

    picked = Counter(rng.choices(range(len(_CATALOGUE)), k=rng.randint(2, 5)))
    lines = []
    for number, (item, quantity) in enumerate(sorted(picked.items()), start=1):
        sku, name, price, rate = _CATALOGUE[item]
        lines.append(
            LineSpec(
                line_id=LineId(f"l{number}"),
                sku=Sku(sku),
                name=name,
                quantity=quantity,
                unit_price=Money(price, "PLN"),
                tax_rate=Decimal(rate),
            )
        )
    parcel = ShippingSpec(
        shipping_id=ShippingLineId("parcel"),
        method="parcel locker",
        price=Money("12.99", "PLN"),
        tax_rate=Decimal("0.23"),
    )
    voucher = rng.random() < 0.25  # noqa: PLR2004 - a quarter of the orders use a voucher
    # OrderSpec converts these with ``tuple``, whose argument attrs' mypy plugin cannot
    # type, so they go in through an untyped mapping.
    items: dict[str, Any] = {
        "lines": lines,
        "shipping": [parcel],
        "discounts": [DiscountSpec(code="SPRING10", rate=Decimal("0.1"))] if voucher else [],
    }
    return OrderSpec(
        order_id=OrderId(order_id),
        channel=ChannelId(rng.choice(("web", "marketplace"))),
        currency="PLN",
        timezone=_ZONE,
        prices_include_tax=True,
        **items,
    )


class _OrderRun:
    """One demo order on its way: it numbers the keys and moves a fixed clock forward."""

    def __init__(self, order: Order, rng: random.Random) -> None:
        self.order = order
        self.rng = rng

    @classmethod
    def place(cls, spec: OrderSpec, at: dt.datetime, rng: random.Random) -> _OrderRun:
        from ecomkit.orders import IdempotencyKey, PlaceOrder, apply  # noqa: PLC0415

        key = IdempotencyKey(f"{spec.order_id}/1")
        order, _ = apply(None, PlaceOrder(key=key, spec=spec), at=at)
        return cls(order, rng)

    def do(self, command: type[OrderCommand], /, **fields: Any) -> Order:
        """Apply *command* built from *fields* a few minutes to a few hours later."""
        from ecomkit.orders import IdempotencyKey, apply  # noqa: PLC0415 - keep --help fast

        order = self.order
        at = order.events[-1].at + dt.timedelta(minutes=self.rng.randint(5, 600))
        key = IdempotencyKey(f"{order.order_id}/{order.version + 1}")
        self.order, _ = apply(order, command(key=key, **fields), at=at)
        return self.order

    def chance(self, probability: float) -> bool:
        """Return True with *probability*."""
        return self.rng.random() < probability


def _drive(run: _OrderRun, path: str) -> None:  # noqa: C901, PLR0911, PLR0912 - a branch per path
    from ecomkit.orders import (  # noqa: PLC0415 - keep --help fast
        AuthorizePayment,
        CancelLines,
        CancelOrder,
        CapturePayment,
        CloseOrder,
        CompleteOrder,
        ConfirmDelivery,
        ConfirmOrder,
        FulfilLines,
        HoldOrder,
        IssueInvoice,
        ReceiveReturn,
        RefundPayment,
        RequestReturn,
        ShipShipment,
        VoidPayment,
        WriteOffLines,
    )

    total = run.order.total.gross
    every_unit = {line.line_id: line.quantity for line in run.order.lines}
    last = run.order.lines[-1]
    all_but_one = {**every_unit, last.line_id: last.quantity - 1}
    all_but_one = {line: quantity for line, quantity in all_but_one.items() if quantity}
    if path == "cancelled" and run.chance(0.5):
        run.do(CancelOrder, reason="customer")
        return
    if path == "not confirmed yet":
        if run.chance(0.5):
            run.do(AuthorizePayment, payment_id="card", amount=total)
        return
    run.do(AuthorizePayment, payment_id="card", amount=total)
    if path == "cancelled":
        run.do(VoidPayment, payment_id="card")
        run.do(CancelOrder, reason="customer")
        return
    run.do(CapturePayment, payment_id="card")
    if path == "unavailable":
        run.do(RefundPayment, payment_id="card", amount=total, reason="out of stock")
        run.do(CancelOrder, reason="unavailable")
        return
    if path == "on hold":
        if run.chance(0.5):
            run.do(ConfirmOrder)
        run.do(HoldOrder, reason="address check")
        return
    run.do(IssueInvoice, invoice_number=f"FV/{run.order.order_id}")
    run.do(ConfirmOrder)
    if path in {"partially shipped", "part cancelled"}:
        run.do(FulfilLines, shipment_id="s1", lines=all_but_one)
        run.do(ShipShipment, shipment_id="s1", carrier="InPost")
        if path == "partially shipped":
            return
        run.do(CancelLines, lines={last.line_id: 1})
        share = run.order.line(last.line_id).total_for(1).gross
        run.do(RefundPayment, payment_id="card", amount=share, lines={last.line_id: 1})
    else:
        run.do(FulfilLines, shipment_id="s1", lines=every_unit)
        run.do(ShipShipment, shipment_id="s1", carrier="InPost")
    run.do(ConfirmDelivery, shipment_id="s1")
    if path == "delivered" and run.chance(0.2):
        return
    run.do(CompleteOrder)
    if path == "returned":
        back = {last.line_id: last.quantity}
        run.do(RequestReturn, lines=back)
        if run.chance(0.25):
            return
        run.do(WriteOffLines if run.chance(0.2) else ReceiveReturn, lines=back)
        share = run.order.line(last.line_id).total_for(last.quantity).gross
        run.do(RefundPayment, payment_id="card", amount=share, lines=back)
    if run.chance(0.5):
        run.do(CloseOrder)


#: The returns demo's catalogue, as the host keeps it: line id, SKU, name, gross price in PLN,
#: categories and traits (the facts the return rules read from the request lines).
_RETURNS_CATALOGUE: dict[str, tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = {
    "jacket": ("JKT-01", "rain jacket", "349.00", ("clothing",), ()),
    "scarf": ("SCF-02", "silk scarf", "79.00", ("clothing",), ("final_sale",)),
    "lamp": ("LAMP-2", "desk lamp", "149.00", ("electronics",), ()),
    "mug": ("MUG-NAME", "mug with a name", "45.00", ("kitchen",), ("personalised",)),
    "brush": ("BRUSH-9", "electric toothbrush", "229.00", ("electronics",), ("sealed_hygiene",)),
}

#: The returns demo's requests: what is asked, its kind, the line and the facts the customer
#: declares, and the days (March or April 2026) it is asked and decided.
_RETURN_CASES: tuple[
    tuple[str, str, str, dict[str, str], tuple[int, int], tuple[int, int]], ...
] = (
    (
        "withdrawal of the jacket 16 days after it arrived",
        "withdrawal",
        "jacket",
        {},
        (3, 19),
        (3, 19),
    ),
    ("voluntary return of the jacket on 8 April", "voluntary", "jacket", {}, (4, 8), (4, 8)),
    ("voluntary return of the final-sale scarf", "voluntary", "scarf", {}, (3, 10), (3, 10)),
    (
        "withdrawal of the toothbrush, unsealed",
        "withdrawal",
        "brush",
        {"condition": "opened"},
        (3, 12),
        (3, 12),
    ),
    (
        "complaint about the lamp asking for a repair, answered on day 15",
        "complaint",
        "lamp",
        {"remedy": "repair"},
        (4, 1),
        (4, 16),
    ),
    (
        "voluntary return of the opened lamp",
        "voluntary",
        "lamp",
        {"condition": "opened"},
        (3, 20),
        (3, 20),
    ),
)


def _on(month: int, day: int, hour: int = 12) -> dt.datetime:
    """Return an instant of 2026 in the demo store's timezone."""
    import pendulum  # noqa: PLC0415 - keep --help fast

    return pendulum.datetime(2026, month, day, hour, tz=_ZONE)


def _demo_returns(say: Callable[[str], None]) -> None:
    from ecomkit.orders import ReturnId  # noqa: PLC0415 - keep --help fast
    from ecomkit.returns import ReturnRequest, evaluate_return  # noqa: PLC0415

    say("")
    say("10. Returns: one policy decides withdrawals, voluntary returns and complaints, with")
    say("    every reason in English and Polish; then one return (RMA) from request to refund")
    policy = _returns_policy()
    order = _returns_order()
    say(f"    policy {policy.name!r}, version {policy.version}, its rules in order:")
    for text in textwrap.wrap(", ".join(rule.rule_id for rule in policy.rules), width=88):
        say(f"       {text}")
    goods = ", ".join(
        f"{_RETURNS_CATALOGUE[line.line_id][1]} {line.total_for(line.quantity).gross}"
        for line in order.lines
    )
    story = (
        f"order {order.order_id}: {goods}, courier {order.shipping_price}; paid 150.00 PLN by "
        "gift card and the rest by card; parcel 1 (jacket, scarf, lamp) delivered Tue 3 Mar "
        "2026, parcel 2 (mug, toothbrush) Mon 9 Mar 2026"
    )
    for text in textwrap.wrap(story, width=92):
        say(f"    {text}")
    for number, (title, kind, line_id, facts, asked, decided) in enumerate(_RETURN_CASES):
        request = ReturnRequest(
            return_id=ReturnId(f"r-D{number + 1:03d}"),
            kind=kind,
            requested_at=_on(*asked),
            lines=[_return_line(line_id, **facts)],
        )
        decision = evaluate_return(policy, request, order=order, at=_on(*decided))
        _say_decision(say, f"{'abcdef'[number]}) {title}", decision)
    _demo_rma(say, policy, order)


def _returns_policy() -> ReturnPolicy:
    from ecomkit.returns import (  # noqa: PLC0415 - keep --help fast
        AcceptedConditions,
        FinalSale,
        RestockingFee,
        ReturnShippingFee,
        ReturnWindow,
        Scope,
        eu_policy,
    )
    from ecomkit.time import BusinessCalendar  # noqa: PLC0415

    # The Polish public holidays of spring 2026 that fall on weekdays.
    poland = BusinessCalendar(
        holidays=[dt.date(2026, 4, 6), dt.date(2026, 5, 1), dt.date(2026, 6, 4)], name="PL"
    )
    return eu_policy(
        name="Demo shop returns",
        version="2026-03",
        country="PL",
        calendar=poland,
        standard_delivery=[Money("12.99", "PLN")],
        tender_order=["gift_card"],
        voluntary=[
            ReturnWindow(rule_id="shop.window", days=30, calendar=poland),
            FinalSale(rule_id="shop.final_sale"),
            AcceptedConditions(rule_id="shop.conditions", review=["used"]),
            RestockingFee(
                rule_id="shop.restocking",
                rate=Decimal("0.10"),
                scope=Scope(kinds=["voluntary"], categories=["electronics"]),
            ),
            ReturnShippingFee(rule_id="shop.return_label", amounts=[Money("12.99", "PLN")]),
        ],
    )


def _returns_order() -> Order:
    from ecomkit.orders import (  # noqa: PLC0415 - keep --help fast
        AuthorizePayment,
        CapturePayment,
        ChannelId,
        ConfirmDelivery,
        FulfilLines,
        LineId,
        LineSpec,
        OrderId,
        OrderSpec,
        PlaceOrder,
        ShippingLineId,
        ShippingSpec,
        ShipShipment,
        Sku,
    )

    # OrderSpec converts these with ``tuple``, whose argument attrs' mypy plugin cannot
    # type, so they go in through an untyped mapping (as in _demo_spec).
    items: dict[str, Any] = {
        "lines": [
            LineSpec(
                line_id=LineId(line_id),
                sku=Sku(sku),
                name=name,
                quantity=1,
                unit_price=Money(price, "PLN"),
                tax_rate=Decimal("0.23"),
            )
            for line_id, (sku, name, price, _categories, _traits) in _RETURNS_CATALOGUE.items()
        ],
        "shipping": [
            ShippingSpec(
                shipping_id=ShippingLineId("courier"),
                method="courier",
                price=Money("14.99", "PLN"),
                tax_rate=Decimal("0.23"),
            )
        ],
    }
    spec = OrderSpec(
        order_id=OrderId("o-R001"),
        channel=ChannelId("web"),
        currency="PLN",
        timezone=_ZONE,
        prices_include_tax=True,
        **items,
    )
    order = _apply_all(None, [(PlaceOrder, {"spec": spec}, _on(3, 2, 9))])
    gift = Money("150.00", "PLN")
    steps: list[tuple[type[OrderCommand], dict[str, Any], dt.datetime]] = [
        (
            AuthorizePayment,
            {"payment_id": "gift", "tender": "gift_card", "amount": gift},
            _on(3, 2),
        ),
        (CapturePayment, {"payment_id": "gift"}, _on(3, 2)),
        (AuthorizePayment, {"payment_id": "card", "amount": order.total.gross - gift}, _on(3, 2)),
        (CapturePayment, {"payment_id": "card"}, _on(3, 2)),
    ]
    parcels = (("p1", ("jacket", "scarf", "lamp"), _on(3, 3)), ("p2", ("mug", "brush"), _on(3, 9)))
    for parcel, lines, delivered in parcels:
        sent = delivered - dt.timedelta(days=1)
        steps += [
            (FulfilLines, {"shipment_id": parcel, "lines": dict.fromkeys(lines, 1)}, sent),
            (ShipShipment, {"shipment_id": parcel}, sent),
            (ConfirmDelivery, {"shipment_id": parcel}, delivered),
        ]
    return _apply_all(order, steps)


def _apply_all(
    order: Order | None, steps: list[tuple[type[OrderCommand], dict[str, Any], dt.datetime]]
) -> Order:
    """Apply each command, built from its fields, with a key numbered after the order's version."""
    from ecomkit.orders import IdempotencyKey, apply  # noqa: PLC0415 - keep --help fast

    for command, fields, at in steps:
        version = 0 if order is None else order.version
        key = IdempotencyKey(f"o-R001/{version + 1}")
        order, _ = apply(order, command(key=key, **fields), at=at)
    assert order is not None  # noqa: S101 - steps is never empty
    return order


def _return_line(line_id: str, **facts: Any) -> ReturnLine:
    """Return a request for one unit of a line, with the catalogue's facts about the product."""
    from ecomkit.orders import LineId  # noqa: PLC0415 - keep --help fast
    from ecomkit.returns import ReturnLine  # noqa: PLC0415

    _sku, _name, _price, categories, traits = _RETURNS_CATALOGUE[line_id]
    return ReturnLine(
        line_id=LineId(line_id), quantity=1, categories=categories, traits=traits, **facts
    )


def _say_decision(say: Callable[[str], None], title: str, decision: ReturnDecision) -> None:
    # A complaint asks for a remedy (here a repair), so no refund estimate is shown for it.
    refund = None if decision.kind.value == "complaint" else decision.refund
    money = "" if refund is None else f", refund {refund.total} to {refund.method.value}"
    say(f"    {title}: {decision.outcome.value}{money}")
    if refund is not None and refund.deductions:
        taken = ", ".join(f"{item.kind} {item.amount}" for item in refund.deductions)
        say(f"       {refund.items.gross} less {taken}")
    reasons = [reason for line in decision.lines for reason in line.reasons]
    for reason in (*reasons, *decision.reasons):
        say(f"       [{reason.rule_id}, {reason.verdict.value}]")
        say(f"          en {reason.render('en')}")
        say(f"          pl {reason.render('pl_PL')}")


def _demo_rma(say: Callable[[str], None], policy: ReturnPolicy, order: Order) -> None:
    from ecomkit.orders import IdempotencyKey, LineId, ReturnId  # noqa: PLC0415 - keep --help fast
    from ecomkit.returns import (  # noqa: PLC0415
        AwaitItems,
        CloseReturn,
        ReceivedItem,
        ReceiveItems,
        RefundReturn,
        ReturnRequest,
        apply_return,
        open_return,
    )

    say("    one return (RMA) from request to refund: the customer withdraws from the jacket and")
    say("    the lamp on 19 March; the gift card is refunded first, then the card")
    request = ReturnRequest(
        return_id=ReturnId("r-D100"),
        kind="withdrawal",
        requested_at=_on(3, 19, 18),
        lines=[_return_line("jacket"), _return_line("lamp")],
    )
    rma, order, _ = open_return(policy, request, order=order, at=request.requested_at, key="open")
    reserved = ", ".join(
        f"{line.line_id} x{line.return_requested}" for line in order.lines if line.return_requested
    )
    say(f"       open_return   -> {rma.status.value:<14} the order reserves {reserved}")
    label = AwaitItems(key=IdempotencyKey("label"), carrier="InPost", tracking_number="RT-0001")
    rma, order, _ = apply_return(rma, label, order=order, at=_on(3, 20))
    say(f"       AwaitItems    -> {rma.status.value:<14} label {rma.carrier} {rma.tracking_number}")
    back = ReceiveItems(
        key=IdempotencyKey("receive"),
        items=[ReceivedItem(line_id=LineId(line_id), quantity=1) for line_id in ("jacket", "lamp")],
    )
    rma, order, _ = apply_return(rma, back, order=order, at=_on(3, 24))
    say(f"       ReceiveItems  -> {rma.status.value:<14} the order: {order.return_status.value}")
    refund = RefundReturn(key=IdempotencyKey("refund"))
    rma, order, _ = apply_return(rma, refund, order=order, at=_on(3, 25))
    paid = rma.refunds[-1]
    parts = " + ".join(f"{part.tender} {part.amount}" for part in paid.tenders)
    say(f"       RefundReturn  -> {rma.status.value:<14} {paid.total} = {parts}")
    close = CloseReturn(key=IdempotencyKey("close"))
    rma, order, _ = apply_return(rma, close, order=order, at=_on(3, 25, 13))
    say(f"       CloseReturn   -> {rma.status.value}")
    say("    the order's ledgers followed every step:")
    for line in order.lines:
        if line.return_requested:
            say(
                f"       {line.line_id:<7} requested {line.return_requested}, returned "
                f"{line.returned}, refunded {line.refunded}"
            )
    for payment in order.payments:
        say(
            f"       {payment.payment_id:<7} {payment.tender:<9} captured {payment.captured}, "
            f"refunded {payment.refunded}"
        )
    say(
        f"       payment status {order.payment_status.value}, "
        f"return status {order.return_status.value}"
    )
