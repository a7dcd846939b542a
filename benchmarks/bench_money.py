"""Money: ecomkit.money against prices (mirumee) and py-moneyed, side by side in one process.

Every operation is run with the same inputs in every library that has it. Throughput is in
operations per second, "best / median" over the repeats; ratios are ecomkit throughput
divided by peer throughput, so above 1 means ecomkit is faster and below 1 means slower.

Run ``python benchmarks/bench_money.py`` (about 30 s) or add ``--quick`` for a smoke run.
"""

from __future__ import annotations

import contextlib
import decimal
import random
import sys
import textwrap
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from decimal import Decimal

import moneyed
import prices
from moneyed.l10n import format_money as moneyed_format_money

from _harness import (
    DEFAULT_TARGET,
    Timing,
    format_ops,
    format_ratio,
    machine_summary,
    measure,
    print_table,
    quick_parser,
    ratio,
)
from ecomkit.money import Money, Rounding, TaxedMoney, allocate, format_money, sum_money


LIBRARIES = ("ecomkit", "prices", "py-moneyed")

Operation = Callable[[], object]


@dataclass(frozen=True)
class Case:
    """One operation, implemented in each library that offers it (``None`` where not)."""

    name: str
    ecomkit: Operation
    prices: Operation | None
    moneyed: Operation | None
    note: str = ""
    #: Context entered around the py-moneyed timing (its rounding comes from the context).
    moneyed_context: Callable[[], AbstractContextManager[object]] = field(
        default=contextlib.nullcontext
    )

    def implementations(self) -> dict[str, Operation | None]:
        """Return the implementations keyed by library name."""
        return {"ecomkit": self.ecomkit, "prices": self.prices, "py-moneyed": self.moneyed}

    def context_for(self, library: str) -> AbstractContextManager[object]:
        """Return the context to enter around *library*'s operation."""
        return self.moneyed_context() if library == "py-moneyed" else contextlib.nullcontext()


def _half_up() -> AbstractContextManager[object]:
    return decimal.localcontext(rounding=decimal.ROUND_HALF_UP)


def _amounts(size: int) -> list[str]:
    """Return *size* reproducible amounts between 0.01 and 999.99, as strings."""
    generator = random.Random(20240601)
    return [f"{generator.randrange(1, 100_000) / 100:.2f}" for _ in range(size)]


def build_cases(size: int) -> list[Case]:
    """Build the operations to time; *size* is the length of the list that is summed."""
    e_a, e_b = Money("19.99", "EUR"), Money("5.01", "EUR")
    p_a, p_b = prices.Money(Decimal("19.99"), "EUR"), prices.Money(Decimal("5.01"), "EUR")
    m_a, m_b = moneyed.Money("19.99", "EUR"), moneyed.Money("5.01", "EUR")

    fine = "19.98765"
    e_fine, p_fine = Money(fine, "EUR"), prices.Money(Decimal(fine), "EUR")
    m_fine = moneyed.Money(fine, "EUR")

    texts = _amounts(size)
    e_items = [Money(text, "EUR") for text in texts]
    p_items = [prices.Money(Decimal(text), "EUR") for text in texts]
    m_items = [moneyed.Money(text, "EUR") for text in texts]
    e_zero, p_zero, m_zero = Money(0, "EUR"), prices.Money(0, "EUR"), moneyed.Money(0, "EUR")

    # A half-cent amount, so the rounding policies of the formatters show.
    shown = "1234.565"
    e_usd, m_usd = Money(shown, "USD"), moneyed.Money(shown, "USD")
    e_pln, m_pln = Money(shown, "PLN"), moneyed.Money(shown, "PLN")

    e_total = Money("100.00", "EUR")
    ratios = [1, 2, 3, 4]

    e_gross, p_gross = Money("123.45", "EUR"), prices.Money(Decimal("123.45"), "EUR")
    rate = Decimal("0.23")

    return [
        Case(
            "construct from str",
            lambda: Money("19.99", "EUR"),
            lambda: prices.Money("19.99", "EUR"),  # prices types amount as int | Decimal
            lambda: moneyed.Money("19.99", "EUR"),
            "ecomkit checks the text with a regex and the code against ISO 4217; "
            "prices checks nothing (any currency string); py-moneyed looks the code up "
            "in its registry",
        ),
        Case("add", lambda: e_a + e_b, lambda: p_a + p_b, lambda: m_a + m_b),
        Case("multiply by int", lambda: e_a * 3, lambda: p_a * 3, lambda: m_a * 3),
        Case(
            "quantize HALF_UP",
            lambda: e_fine.quantize(rounding=Rounding.HALF_UP),
            lambda: p_fine.quantize(rounding=decimal.ROUND_HALF_UP),
            lambda: m_fine.round(2),
            "ecomkit: ISO minor units; prices: CLDR digits via babel on every call; "
            "py-moneyed: round(2) takes its mode from the decimal context (timed inside "
            "localcontext(rounding=ROUND_HALF_UP); the default context is banker's)",
            moneyed_context=_half_up,
        ),
        Case("compare (<)", lambda: e_a < e_b, lambda: p_a < p_b, lambda: m_a < m_b),
        Case(
            f"sum of {size} (sum_money vs sum())",
            lambda: sum_money(e_items, currency="EUR"),
            lambda: sum(p_items, p_zero),
            lambda: sum(m_items, m_zero),
            "ecomkit sum_money adds the Decimals directly; peers: built-in sum() with a "
            "zero start value; one op = one whole sum",
        ),
        Case(
            f"sum of {size} (built-in sum())",
            lambda: sum(e_items, e_zero),
            lambda: sum(p_items, p_zero),
            lambda: sum(m_items, m_zero),
            "all three through Money.__add__; one op = one whole sum",
        ),
        Case(
            "format en_US (USD)",
            lambda: format_money(e_usd, locale="en_US"),
            None,
            lambda: moneyed_format_money(m_usd, locale="en_US"),
            "prices has no formatting; ecomkit rounds half up first, py-moneyed (babel) "
            "rounds half to even: 1234.565 USD shows as $1,234.57 vs $1,234.56",
        ),
        Case(
            "format pl_PL (PLN)",
            lambda: format_money(e_pln, locale="pl_PL"),
            None,
            lambda: moneyed_format_money(m_pln, locale="pl_PL"),
            "as for en_US",
        ),
        Case(
            f"allocate over {len(ratios)} ratios",
            lambda: allocate(e_total, ratios),
            None,
            None,
            "no peer operation: neither prices nor py-moneyed can allocate",
        ),
        Case(
            "tax from gross (23 %)",
            lambda: TaxedMoney.from_gross(e_gross, rate=rate, rounding=Rounding.HALF_UP),
            lambda: prices.flat_tax(p_gross, rate, keep_gross=True),
            None,
            "prices: flat_tax(..., keep_gross=True), net rounded half up to CLDR digits; "
            "py-moneyed has no taxed money",
        ),
    ]


def _canonical(result: object) -> object:
    """Reduce a result of any of the libraries to plain comparable values."""
    if isinstance(result, str | bool):
        return result
    if isinstance(result, tuple):
        return tuple(_canonical(part) for part in result)
    if hasattr(result, "net") and hasattr(result, "gross"):
        return ("taxed", _canonical(result.net), _canonical(result.gross))
    if hasattr(result, "amount") and hasattr(result, "currency"):
        return (str(result.amount), str(result.currency))
    return repr(result)


def _agreement(case: Case) -> str:
    """Say whether the libraries give the same result for *case*."""
    results: dict[str, object] = {}
    for library, operation in case.implementations().items():
        if operation is not None:
            with case.context_for(library):
                results[library] = _canonical(operation())
    expected = results["ecomkit"]
    differing = [
        f"{library} {value!r} vs ecomkit {expected!r}"
        for library, value in results.items()
        if value != expected
    ]
    return "; ".join(differing)


def run(cases: Sequence[Case], *, repeat: int, number: int | None, target: float) -> None:
    """Time every case and print the table and the notes."""
    rows: list[list[str]] = []
    notes: list[str] = []
    for case in cases:
        timings: dict[str, Timing | None] = {}
        for library, operation in case.implementations().items():
            if operation is None:
                timings[library] = None
                continue
            with case.context_for(library):
                timings[library] = measure(operation, repeat=repeat, number=number, target=target)
        ours = timings["ecomkit"]
        rows.append(
            [
                case.name,
                *(format_ops(timings[library]) for library in LIBRARIES),
                format_ratio(ratio(ours, timings["prices"])),
                format_ratio(ratio(ours, timings["py-moneyed"])),
            ]
        )
        if case.note:
            notes.append(f"- {case.name}: {case.note}")
        if difference := _agreement(case):
            notes.append(f"- {case.name}: results differ: {difference}")

    print_table(
        [
            "operation",
            "ecomkit ops/s",
            "prices ops/s",
            "py-moneyed ops/s",
            "ratio vs prices",
            "ratio vs moneyed",
        ],
        rows,
    )
    print()
    print("Cells are best / median over the repeats. Ratio = ecomkit ops/s / peer ops/s:")
    print(">1 means ecomkit is faster, <1 means ecomkit is slower.")
    print()
    print("Notes:")
    notes.insert(
        0,
        "- all: ecomkit refuses floats, validates ISO 4217 codes and adds in a context that "
        "traps inexact results; prices only warns on floats, py-moneyed converts them via str()",
    )
    for note in notes:
        print(textwrap.fill(note, width=100, subsequent_indent="  ", break_on_hyphens=False))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the money benchmark; ``--quick`` makes it a smoke run of about a second."""
    parser = quick_parser(__doc__.splitlines()[0] if __doc__ else "money benchmark")
    parser.add_argument("--repeat", type=int, default=None, help="repeats per operation (7)")
    parser.add_argument(
        "--target", type=float, default=DEFAULT_TARGET, help="seconds per repeat (0.1)"
    )
    parser.add_argument("--size", type=int, default=None, help="amounts in the sums (1000)")
    args = parser.parse_args(argv)

    size = args.size or (20 if args.quick else 1000)
    repeat = args.repeat or (2 if args.quick else 7)
    number = 5 if args.quick else None
    print(f"# Money benchmark: {machine_summary()}")
    print(
        f"ecomkit vs prices {_version('prices')} and py-moneyed {_version('py-moneyed')}; "
        f"repeat={repeat}, "
        + (f"number={number}" if number else f"number calibrated to ~{args.target:g} s/repeat")
    )
    print()
    run(build_cases(size), repeat=repeat, number=number, target=args.target)
    return 0


def _version(distribution: str) -> str:
    from importlib.metadata import version  # noqa: PLC0415 - only for the header

    return version(distribution)


if __name__ == "__main__":
    sys.exit(main())
