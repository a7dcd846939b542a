"""Shared timing helpers for the benchmark scripts: repeated runs, best and median, tables.

The machine the benchmarks run on is small and shared, so a single timing means little.
``measure`` runs a callable ``number`` times per repeat, over ``repeat`` repeats (as
``timeit`` does, with the garbage collector paused), and keeps the best repeat (the least
disturbed one) and the median repeat. Ratios are always "ecomkit throughput divided by peer
throughput": above 1 means ecomkit is faster, below 1 means it is slower.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass


__all__ = [
    "Timing",
    "format_ops",
    "format_ratio",
    "machine_summary",
    "measure",
    "print_table",
    "quick_parser",
    "ratio",
]

#: Seconds each repeat should last when ``number`` is calibrated automatically.
DEFAULT_TARGET = 0.1


@dataclass(frozen=True, slots=True)
class Timing:
    """Throughput of one operation: best and median over the repeats, in operations/s."""

    best: float
    median: float
    number: int
    repeat: int


def _calibrate(timer: timeit.Timer, target: float) -> int:
    """Return a loop count for which one repeat lasts at least *target* seconds."""
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= target:
            return number
        if elapsed <= 0:
            number *= 10
            continue
        # Aim a little above the target so the next try usually succeeds.
        number = max(number * 2, math.ceil(number * target * 1.2 / elapsed))


def measure(
    func: Callable[[], object],
    *,
    repeat: int = 7,
    number: int | None = None,
    target: float = DEFAULT_TARGET,
) -> Timing:
    """Time *func* and return its throughput.

    Args:
        func: A callable taking no arguments; one call is one operation.
        repeat: How many repeats to run; the best and the median are kept.
        number: Calls per repeat; calibrated so that a repeat lasts *target* seconds when
            ``None``. The calibration runs also warm caches up.
        target: Seconds per repeat when calibrating.
    """
    timer = timeit.Timer(func)
    if number is None:
        number = _calibrate(timer, target)
    else:
        timer.timeit(1)  # warm-up: first-use caches, lazy imports
    times = timer.repeat(repeat=repeat, number=number)
    return Timing(
        best=number / min(times),
        median=number / statistics.median(times),
        number=number,
        repeat=repeat,
    )


def ratio(ours: Timing | None, peer: Timing | None) -> tuple[float, float] | None:
    """Return (best, median) of ecomkit throughput divided by peer throughput."""
    if ours is None or peer is None:
        return None
    return ours.best / peer.best, ours.median / peer.median


def format_ops(timing: Timing | None) -> str:
    """Format a throughput as ``"best / median"`` with k and M suffixes."""
    if timing is None:
        return "n/a"
    return f"{_si(timing.best)} / {_si(timing.median)}"


def format_ratio(value: tuple[float, float] | None) -> str:
    """Format a ``(best, median)`` ratio pair, or ``n/a``."""
    if value is None:
        return "n/a"
    best, median = value
    return f"{best:.2f}x / {median:.2f}x"


def _si(value: float) -> str:
    for limit, suffix in ((1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print a Markdown table whose columns are padded to line up."""
    widths = [len(header) for header in headers]
    for row in rows:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    print(line(headers))
    print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    for row in rows:
        print(line(row))


def machine_summary() -> str:
    """Describe the interpreter and machine the figures come from."""
    return (
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    )


def quick_parser(description: str) -> argparse.ArgumentParser:
    """Return an argument parser with the ``--quick`` flag every benchmark accepts."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a fast smoke run at a tiny size; the figures are not meaningful",
    )
    return parser


if __name__ == "__main__":  # pragma: no cover - a helper, not a benchmark
    sys.exit("run a bench_*.py script or run_all.py instead")
