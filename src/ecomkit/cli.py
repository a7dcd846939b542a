"""The ``python -m ecomkit`` command line: the demo and small utilities.

```text
python -m ecomkit demo                 walk through what ecomkit does today
python -m ecomkit currency IQD JPY     show ISO 4217 facts for currency codes
```
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
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
    commands.add_parser("demo", help="walk through what ecomkit does today")
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


def _demo(_args: argparse.Namespace, out: TextIO) -> None:
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

    say("ecomkit demo: money, allocation, tax, formatting, time, locales, JSON and orders")
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
