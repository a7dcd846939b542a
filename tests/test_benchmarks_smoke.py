"""The benchmark scripts run to completion and print their ratio tables.

Only that they run: no timing is asserted here (speed is measured in ``benchmarks/``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest


BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

#: Peer packages each benchmark needs beyond the dev extra (installed by the bench extra).
PEERS: dict[str, tuple[str, ...]] = {
    "bench_money": ("prices", "moneyed"),
    "bench_import": (),
    "bench_serialization": ("pydantic", "msgspec"),
    "bench_orders": ("statemachine", "transitions"),
    "bench_returns": (),  # ecomkit against its own hand-written floor: no peer package
    "bench_catalog_duplicates": (),  # ecomkit against all pairs within blocks: no peer package
    "bench_catalog_quality": (),  # pandas is optional: without it only ecomkit's side runs
    "bench_adapters": (),  # ecomkit's adapters against hand-written sqlite3: no peer package
}


def _load(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import ``benchmarks/<name>.py`` the way running it as a script would."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # for ``import _harness``
    spec = importlib.util.spec_from_file_location(f"_smoke_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look the module up
    spec.loader.exec_module(module)
    return module


def _bench_names() -> list[str]:
    return sorted(path.stem for path in BENCHMARKS.glob("bench_*.py"))


def test_run_all_discovers_every_benchmark(monkeypatch):
    run_all = _load("run_all", monkeypatch)
    found = [path.stem for path in run_all.discover()]
    assert found == _bench_names()
    assert {"bench_money", "bench_import"} <= set(found)


@pytest.mark.parametrize("name", _bench_names())
def test_benchmark_quick_run_prints_a_ratio_table(name, monkeypatch, capsys):
    for peer in PEERS.get(name, ()):
        pytest.importorskip(peer)
    try:
        module = _load(name, monkeypatch)
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] in {"ecomkit", "_harness"}:
            raise
        pytest.skip(f"{name} needs {error.name}, from the bench extra")
    argv = ["--quick"]
    if name == "bench_money":
        argv += ["--size", "5", "--repeat", "1"]

    assert module.main(argv) == 0

    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("|--") for line in lines), "no table printed"
    header = next(line for line in lines if line.startswith("| "))
    assert "ratio" in header.lower()
