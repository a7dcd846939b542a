"""The ``python -m ecomkit`` command line: the demo and small utilities.

```text
python -m ecomkit demo                 walk through what ecomkit does today
python -m ecomkit currency IQD JPY     show ISO 4217 facts for currency codes
```
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TextIO

import attrs

from ecomkit.errors import EcomkitError
from ecomkit.money import Money


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

    say("ecomkit demo: the foundation (money, allocation, tax, formatting, time, locales, JSON)")
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
