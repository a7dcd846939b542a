"""Run every ``bench_*.py`` in this folder, each in its own interpreter, one after another.

Each benchmark runs in a fresh process so that one benchmark's imports, caches and garbage
cannot disturb the next one's timings. New ``bench_*.py`` files are picked up automatically;
each must expose ``main(argv=None) -> int`` and accept ``--quick``.

Usage: ``python benchmarks/run_all.py [--quick] [name ...]`` where a name such as ``money``
selects ``bench_money.py``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path


HERE = Path(__file__).resolve().parent


def discover(folder: Path = HERE) -> list[Path]:
    """Return the benchmark scripts in *folder*, sorted by name."""
    return sorted(folder.glob("bench_*.py"))


def _short_name(script: Path) -> str:
    return script.stem.removeprefix("bench_")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected benchmarks (all by default); return 1 if any of them failed."""
    parser = argparse.ArgumentParser(description="Run every benchmark in this folder.")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run of each")
    parser.add_argument("names", nargs="*", help="benchmarks to run, such as 'money'")
    args = parser.parse_args(argv)

    scripts = discover()
    if args.names:
        unknown = sorted(set(args.names) - {_short_name(script) for script in scripts})
        if unknown:
            parser.error(f"no such benchmark: {', '.join(unknown)}")
        scripts = [script for script in scripts if _short_name(script) in args.names]

    failed: list[str] = []
    for script in scripts:
        print(f"\n===== {script.name} =====", flush=True)
        started = time.perf_counter()
        command = [sys.executable, str(script), *(["--quick"] if args.quick else [])]
        result = subprocess.run(command, check=False)  # noqa: S603 - our own scripts
        elapsed = time.perf_counter() - started
        status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
        print(f"----- {script.name}: {status} in {elapsed:.1f} s", flush=True)
        if result.returncode != 0:
            failed.append(script.name)

    if failed:
        print(f"\nFailed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
