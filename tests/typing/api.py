"""Checked by ``mypy --strict``, never run: the public API's types say what the docs say.

Each ``type: ignore[code]`` marks a call the type checker must refuse; with
``warn_unused_ignores`` (part of ``--strict``) the file fails to check if one is accepted.
"""

from decimal import Decimal

import pendulum

from ecomkit import Currency, Money, MoneyRange, Rounding, TaxedMoney
from ecomkit.i18n import LocalizedText
from ecomkit.money import allocate, convert, format_money, split, sum_money
from ecomkit.serialization import from_json, to_json
from ecomkit.testing import FixedClock
from ecomkit.time import Clock, SystemClock


def money_api() -> tuple[object, ...]:
    price: Money = Money("19.99", "EUR") * 3
    ratio: Decimal = price / Money("1", "EUR")
    share: Money = price / 3
    parts: tuple[Money, ...] = allocate(price, [1, Decimal(2)])
    halves: tuple[Money, ...] = split(price, 2)
    total: Money = sum_money(parts, currency="EUR")
    cents: int = total.to_minor_units(rounding=Rounding.HALF_UP)
    taxed: TaxedMoney = TaxedMoney.from_gross(price, rate=Decimal("0.2"), rounding=Rounding.UP)
    span: MoneyRange = MoneyRange(share, price)
    text: str = format_money(price, locale="pl_PL")
    converted: Money = convert(price, Decimal("4.3"), Currency("PLN"), rounding=None)
    return ratio, halves, cents, taxed, span, text, converted


def money_refuses() -> None:
    Money(0.1, "EUR")  # type: ignore[arg-type]
    Money("1", "EUR") * 1.5  # type: ignore[operator]
    Money("1", "EUR").quantize()  # type: ignore[call-arg]
    allocate(Money("1", "EUR"), [0.5, 0.5])  # type: ignore[list-item]


def clocks(clock: Clock) -> pendulum.DateTime:
    fixed: Clock = FixedClock(pendulum.datetime(2026, 1, 1, tz="UTC"))
    system: Clock = SystemClock()
    return max(clock.now(), fixed.now(), system.now())


def documents() -> tuple[str | None, str, Money]:
    title = LocalizedText({"en": "Shoe"}, default_locale="en")
    return (
        title.get("en_GB"),
        to_json(title),
        from_json('{"amount": "1", "currency": "EUR"}', Money),
    )
