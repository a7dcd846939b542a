"""The command line: ``python -m ecomkit demo`` and ``python -m ecomkit currency``."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from ecomkit.cli import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


class TestDemo:
    def test_the_demo_shows_iso_minor_units_next_to_cldr_display_digits(self):
        status, text = run("demo")
        assert status == 0
        assert "IQD: Iraqi Dinar" in text
        iqd = next(line for line in text.splitlines() if "IQD:" in line)
        assert "ISO minor units 3" in iqd
        assert "CLDR display digits 0" in iqd

    def test_the_demo_formats_one_price_for_five_locales_rounding_half_up(self):
        _, text = run("demo")
        assert "en_US: €1,234.57" in text
        assert "it_IT: 1.234,57\xa0€" in text
        for locale in ("pl_PL", "zh_CN", "ar_SA"):
            assert f"   {locale}: " in text

    def test_the_demo_allocations_all_add_up_to_the_discount(self):
        _, text = run("demo")
        rows = [line for line in text.splitlines() if "  -> " in line and "," in line]
        allocations = [
            row
            for row in rows
            if row.strip().split()[0] in {"largest_remainder", "first", "last", "largest_ratio"}
        ]
        assert len(allocations) == 4
        for row in allocations:
            parts = row.split("->")[1].split(",")
            assert sum(float(part) for part in parts) == pytest.approx(10.00)

    def test_the_demo_extracts_vat_and_reports_bad_json_with_paths(self):
        _, text = run("demo")
        assert "net 833.33 EUR, tax 166.67 EUR, gross 1000.00 EUR" in text
        assert "expected an integer, got the number 2.5 @ $.quantity" in text
        assert "reads back equal: True" in text
        assert "FloatNotAllowedError" in text
        assert "CurrencyMismatchError" in text

    def test_the_demo_runs_as_a_module(self):
        result = subprocess.run(
            [sys.executable, "-m", "ecomkit", "demo"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert "sales day 2026-03-29" in result.stdout


class TestCurrencyCommand:
    def test_it_prints_iso_and_cldr_facts(self):
        status, text = run("currency", "chf", "XAU")
        assert status == 0
        assert "CHF 756 Swiss Franc: ISO minor units 2" in text
        assert "cash increment 0.05" in text
        assert "XAU 959 Gold: ISO minor units none (ISO N.A.)" in text

    def test_an_unknown_code_exits_with_status_2_and_a_message(self, capsys):
        status, text = run("currency", "EURO")
        assert status == 2
        assert text == ""
        assert "'EURO' is not an ISO 4217 currency code" in capsys.readouterr().err
