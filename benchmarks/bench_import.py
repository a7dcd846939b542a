"""Import time: what ``import ecomkit`` costs, next to its heavy dependencies and peers.

Each statement runs in a fresh interpreter under ``python -X importtime`` several times
(after one discarded warm-up run, which may compile bytecode). The cost of a statement is
the cumulative time of the top-level imports it triggers, in milliseconds, best and median.
Ratios are "peer import time divided by ecomkit import time", i.e. ecomkit speed divided by
peer speed: above 1 means ``import ecomkit`` is faster.

A second check lists which heavy modules (babel, pendulum, cattrs, hypothesis) are in
``sys.modules`` after ``import ecomkit``; the design keeps them out until first use.

Run ``python benchmarks/bench_import.py`` (about 15 s) or add ``--quick`` for a smoke run.
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from _harness import machine_summary, print_table, quick_parser


#: (label, statement, module that must be importable for the row to be measured)
STATEMENTS: tuple[tuple[str, str, str], ...] = (
    ("ecomkit", "import ecomkit", "ecomkit"),
    ("babel.numbers", "import babel.numbers", "babel"),
    ("pendulum", "import pendulum", "pendulum"),
    ("cattrs", "import cattrs", "cattrs"),
    ("attrs (ecomkit dependency)", "import attrs", "attrs"),
    ("prices (peer)", "import prices", "prices"),
    ("moneyed (peer)", "import moneyed", "moneyed"),
)

HEAVY: tuple[str, ...] = ("babel", "pendulum", "cattrs", "hypothesis")

#: Statements after which no heavy module should be loaded.
LIGHT_SCENARIOS: tuple[str, ...] = (
    "import ecomkit",
    "import ecomkit; ecomkit.Money('19.99', 'EUR') * 3",
    "import ecomkit.money",
)

_PREFIX = "import time:"


@dataclass(frozen=True, slots=True)
class ImportLine:
    """One line of ``-X importtime`` output."""

    name: str
    level: int
    self_us: int
    cumulative_us: int


def parse_importtime(stderr: str) -> list[ImportLine]:
    """Parse the ``-X importtime`` lines of *stderr* (other lines are ignored)."""
    lines: list[ImportLine] = []
    for raw in stderr.splitlines():
        if not raw.startswith(_PREFIX):
            continue
        fields = raw[len(_PREFIX) :].split("|")
        if len(fields) != 3 or not fields[0].strip().isdigit():
            continue  # the header line
        name_field = fields[2]
        indent = len(name_field) - len(name_field.lstrip(" "))
        lines.append(
            ImportLine(
                name=name_field.strip(),
                level=(indent - 1) // 2,
                self_us=int(fields[0]),
                cumulative_us=int(fields[1]),
            )
        )
    return lines


def _run(code: str, *, importtime: bool) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), "-c", code]
    return subprocess.run(  # noqa: S603 - runs this interpreter on fixed statements
        command, capture_output=True, text=True, check=True
    )


def startup_modules() -> frozenset[str]:
    """Return the modules the bare interpreter imports before running any code."""
    return frozenset(line.name for line in parse_importtime(_run("pass", importtime=True).stderr))


def statement_cost_us(statement: str, baseline: frozenset[str]) -> tuple[int, list[ImportLine]]:
    """Return the cumulative microseconds of the top-level imports *statement* triggers.

    For ``import ecomkit`` that is the cumulative time of the ``ecomkit`` line. The parsed
    lines are returned too.
    """
    lines = parse_importtime(_run(statement, importtime=True).stderr)
    cost = sum(
        line.cumulative_us for line in lines if line.level == 0 and line.name not in baseline
    )
    return cost, lines


@dataclass(frozen=True, slots=True)
class ImportTiming:
    """Best and median import cost of one statement, in microseconds."""

    label: str
    best_us: int
    median_us: float
    #: The ``-X importtime`` lines of the run with the median cost.
    median_lines: list[ImportLine]


def measure_statement(
    label: str, statement: str, *, runs: int, baseline: frozenset[str]
) -> ImportTiming:
    """Run *statement* ``runs`` times (after a warm-up) and keep the best and the median."""
    statement_cost_us(statement, baseline)  # warm-up: bytecode, file system caches
    results = sorted(
        (statement_cost_us(statement, baseline) for _ in range(runs)), key=lambda run: run[0]
    )
    costs = [cost for cost, _lines in results]
    return ImportTiming(
        label, costs[0], statistics.median(costs), results[(len(results) - 1) // 2][1]
    )


def breakdown(lines: list[ImportLine], package: str = "ecomkit") -> list[tuple[str, int]]:
    """Split the cost of importing *package* into its own modules and what they pull in.

    Returns ``(name, microseconds)`` pairs, largest first: one pair per outside module
    imported directly by a module of *package* (with everything it imported in turn), and
    one pair for the self time of all *package* modules together.
    """
    own = f"{package} (own modules, self time)"
    totals: dict[str, int] = {own: 0}
    parents: list[str] = []
    # -X importtime prints a module after its children; reversed, parents come first.
    for line in reversed(lines):
        del parents[line.level :]
        parent = parents[-1] if parents else ""
        parents.append(line.name)
        inside = line.name == package or line.name.startswith(f"{package}.")
        if inside:
            totals[own] += line.self_us
        elif parent == package or parent.startswith(f"{package}."):
            totals[line.name] = totals.get(line.name, 0) + line.cumulative_us
    return sorted(totals.items(), key=lambda item: -item[1])


def heavy_modules_after(statement: str) -> list[str]:
    """Return the heavy top-level packages present in ``sys.modules`` after *statement*."""
    probe = (
        f"{statement}\nimport sys\n"
        f"print(' '.join(sorted({{name.partition('.')[0] for name in sys.modules}})))"
    )
    loaded = set(_run(probe, importtime=False).stdout.split())
    return [name for name in HEAVY if name in loaded]


def _ms(microseconds: float) -> str:
    return f"{microseconds / 1000:.1f}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the import-time benchmark; ``--quick`` runs every statement once."""
    parser = quick_parser(__doc__.splitlines()[0] if __doc__ else "import benchmark")
    parser.add_argument("--runs", type=int, default=None, help="runs per statement (15)")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 15)

    print(f"# Import time: {machine_summary()}")
    print(f"python -X importtime, {runs} runs per statement after one warm-up run")
    print()
    baseline = startup_modules()
    timings = [
        measure_statement(label, statement, runs=runs, baseline=baseline)
        for label, statement, module in STATEMENTS
        if importlib.util.find_spec(module) is not None
    ]
    ours = timings[0]
    rows = [
        [
            timing.label,
            _ms(timing.best_us),
            _ms(timing.median_us),
            f"{timing.best_us / ours.best_us:.2f}x / {timing.median_us / ours.median_us:.2f}x"
            if timing is not ours
            else "-",
        ]
        for timing in timings
    ]
    print_table(["import", "best ms", "median ms", "ratio vs ecomkit"], rows)
    print()
    print("Cumulative -X importtime figures of the top-level imports each statement triggers")
    print("(modules the bare interpreter already loaded at startup are not counted).")
    print("Ratio = that import's time / ecomkit's (best / median): >1 means `import ecomkit`")
    print("is faster.")
    print()

    print("Where `import ecomkit` spends its time (the median run):")
    parts = breakdown(ours.median_lines)
    shown, rest = parts[:8], parts[8:]
    if rest:
        shown.append((f"{len(rest)} other imports", sum(us for _name, us in rest)))
    print_table(["module", "ms"], [[name, _ms(us)] for name, us in shown])
    print()

    print("Heavy modules in sys.modules after:")
    for statement in LIGHT_SCENARIOS:
        found = heavy_modules_after(statement)
        if found:
            verdict = "LOADED (unexpected): " + ", ".join(found)
        else:
            verdict = "none of " + ", ".join(HEAVY)
        print(f"- `{statement}`: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
