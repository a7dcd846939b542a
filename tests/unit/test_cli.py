"""The command line: ``python -m ecomkit demo`` and ``python -m ecomkit currency``."""

from __future__ import annotations

import io
import re
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


def demo_section(text: str, number: int) -> list[str]:
    """Return the lines of the demo's section *number*, up to the next numbered section."""
    lines = text.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith(f"{number}. "))
    end = next(
        (
            index
            for index, line in enumerate(lines[start + 1 :], start=start + 1)
            if re.match(r"\d+\. ", line)
        ),
        len(lines),
    )
    while end > start and not lines[end - 1].strip():  # the blank line before the next one
        end -= 1
    return lines[start:end]


def orders_section(text: str) -> list[str]:
    return demo_section(text, 9)


STATUS_GROUPS = (
    "order status",
    "payment status",
    "fulfilment status",
    "return status",
    "marketplace status",
)


@pytest.fixture(scope="module")
def section() -> list[str]:
    status, text = run("demo")
    assert status == 0
    return orders_section(text)


class TestOrdersDemo:
    def test_it_places_a_batch_of_200_orders(self, section):
        assert section[0].startswith("9. 200 orders placed")

    @pytest.mark.parametrize("group", STATUS_GROUPS)
    def test_the_counts_of_each_status_add_up_to_the_batch(self, section, group):
        row = next(line for line in section if line.strip().startswith(f"{group}:"))
        counts = re.findall(r"([a-z_]+) (\d+)", row.split(":", 1)[1])
        assert len(counts) >= 3, row
        assert sum(int(count) for _, count in counts) == 200
        assert len({name for name, _ in counts}) == len(counts)

    def test_the_paths_reach_every_order_status_but_draft(self, section):
        row = next(line for line in section if line.strip().startswith("order status:"))
        names = {name for name, _ in re.findall(r"([a-z_]+) (\d+)", row.split(":", 1)[1])}
        assert names == {"placed", "processing", "on_hold", "completed", "cancelled", "closed"}

    def test_the_marketplace_tells_unavailable_from_canceled(self, section):
        row = next(line for line in section if line.strip().startswith("marketplace status:"))
        assert re.search(r"\bunavailable \d+", row)
        assert re.search(r"\bcanceled \d+", row)

    def test_every_order_replays_to_itself(self, section):
        assert "   rebuilt from their event logs, 200 of 200 orders equal the originals" in section

    def test_the_event_log_runs_from_placing_to_closing_one_version_at_a_time(self, section):
        log = [line.split() for line in section if re.match(r"\s+v\d+ ", line)]
        assert [int(words[0][1:]) for words in log] == list(range(1, len(log) + 1))
        events = [words[5] for words in log]
        assert events[0] == "OrderPlaced"
        assert events[-1] == "OrderClosed"
        assert {"ReturnRequested", "PaymentRefunded"} <= set(events)

    def test_a_resent_command_changes_nothing_and_a_refused_one_says_why(self, section):
        text = "\n".join(section)
        assert re.search(r"its first event \(v(\d+)\) comes back, the order stays at v\1", text)
        assert re.search(
            r"CommandRejectedError: order 'o-\d{4}' \(processing\): "
            r"cannot CancelOrder: \d+ units? already shipped",
            text,
        )

    def test_the_batch_is_the_same_on_every_run(self, section):
        _, again = run("demo")
        assert orders_section(again) == section


@pytest.fixture(scope="module")
def returns_section() -> list[str]:
    status, text = run("demo")
    assert status == 0
    return demo_section(text, 10)


def decision(section: list[str], label: str) -> list[str]:
    """Return the lines of the decision labelled *label* (``"a)"``): its header and reasons."""
    start = next(index for index, line in enumerate(section) if line.startswith(f"    {label} "))
    end = next(
        (
            index
            for index, line in enumerate(section[start + 1 :], start=start + 1)
            if not line.startswith("       ")
        ),
        len(section),
    )
    return section[start:end]


class TestReturnsDemo:
    def test_it_follows_the_orders(self, returns_section):
        assert returns_section[0].startswith("10. Returns: one policy decides withdrawals")

    def test_the_policy_puts_the_eu_rules_before_the_shops(self, returns_section):
        text = " ".join(line.strip() for line in returns_section[3:6])
        assert text.startswith("eu.withdrawal_period, eu.withdrawal_exceptions")
        assert "complaint.response" in text
        assert text.index("complaint.response") < text.index("shop.window")

    def test_the_withdrawal_counts_from_the_last_delivery(self, returns_section):
        lines = decision(returns_section, "a)")
        assert lines[0].endswith(": approved, refund 349.00 PLN to original_payment")
        assert (
            "          en Within the statutory withdrawal period of 14 days from delivery of the "
            "last item; it ends on March 23, 2026." in lines
        )
        assert any(line.startswith("          pl Zgłoszenie mieści się") for line in lines)
        assert any("The refund is due by April 2, 2026" in line for line in lines)

    def test_a_voluntary_return_after_the_window_is_declined(self, returns_section):
        lines = decision(returns_section, "b)")
        assert lines[0].endswith(": declined")
        assert "          en The return period of 30 days ended on April 2, 2026." in lines
        assert "          pl Okres zwrotu wynoszący 30 dni zakończył się 2 kwietnia 2026." in lines

    def test_a_final_sale_item_is_declined(self, returns_section):
        lines = decision(returns_section, "c)")
        assert lines[0].endswith(": declined")
        assert "       [shop.final_sale, decline]" in lines
        assert "          en Final-sale items cannot be returned." in lines

    def test_an_unsealed_hygiene_item_goes_to_review(self, returns_section):
        lines = decision(returns_section, "d)")
        assert lines[0].endswith(": needs_review")
        assert "       [eu.withdrawal_exceptions, review]" in lines

    def test_a_complaint_answered_on_day_15_counts_as_accepted(self, returns_section):
        lines = decision(returns_section, "e)")
        assert lines[0].endswith(": approved")
        assert "       [complaint.response, pass]" in lines
        assert (
            "          en The complaint was not answered by April 15, 2026, so it counts as "
            "accepted." in lines
        )
        assert any(
            line.startswith("          pl Na reklamację nie odpowiedziano") for line in lines
        )

    def test_the_restocking_fee_and_the_return_label_come_off_the_refund(self, returns_section):
        lines = decision(returns_section, "f)")
        assert lines[0].endswith(": approved, refund 121.11 PLN to original_payment")
        assert (
            lines[1] == "       149.00 PLN less restocking_fee 14.90 PLN, return_shipping 12.99 PLN"
        )

    def test_every_reason_is_shown_in_english_and_in_polish(self, returns_section):
        english = [line for line in returns_section if line.startswith("          en ")]
        polish = [line for line in returns_section if line.startswith("          pl ")]
        assert len(english) == len(polish) >= 12
        assert not {line[13:] for line in english} & {line[13:] for line in polish}

    def test_the_rma_refunds_the_gift_card_first_then_the_card(self, returns_section):
        text = "\n".join(returns_section)
        steps = re.findall(r"^ {7}(\w+) +-> (\w+)", text, re.MULTILINE)
        assert steps == [
            ("open_return", "approved"),
            ("AwaitItems", "awaiting_items"),
            ("ReceiveItems", "received"),
            ("RefundReturn", "refunded"),
            ("CloseReturn", "closed"),
        ]
        assert "498.00 PLN = gift_card 150.00 PLN + card 348.00 PLN" in text

    def test_the_order_ledgers_follow_the_rma(self, returns_section):
        assert "       jacket  requested 1, returned 1, refunded 1" in returns_section
        assert "       lamp    requested 1, returned 1, refunded 1" in returns_section
        assert (
            "       gift    gift_card captured 150.00 PLN, refunded 150.00 PLN" in returns_section
        )
        assert (
            "       card    card      captured 715.99 PLN, refunded 348.00 PLN" in returns_section
        )
        assert returns_section[-1] == (
            "       payment status partially_refunded, return status partially_returned"
        )

    def test_the_section_is_the_same_on_every_run(self, returns_section):
        _, again = run("demo")
        assert demo_section(again, 10) == returns_section


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


@pytest.fixture(scope="module")
def catalog_section() -> list[str]:
    status, text = run("demo")
    assert status == 0
    return demo_section(text, 11)


def catalog_row(section: list[str], sku: str, after: str) -> str:
    """Return the row of *sku* in the part of the section that starts with *after*."""
    start = next(index for index, line in enumerate(section) if after in line)
    return next(line for line in section[start:] if line.strip().startswith(f"{sku} "))


class TestCatalogDemo:
    def test_it_comes_before_the_shop(self, catalog_section):
        assert catalog_section[0].startswith("11. Catalog: seven T-shirts")

    def test_a_missing_german_title_lowers_german_completeness_only(self, catalog_section):
        row = catalog_row(catalog_section, "TEE-NVY-M", "completeness (type requirements")
        assert row.split()[1:7] == ["100", "%", "60", "%", "84", "%"]
        assert "title: missing" in row

    def test_a_product_without_images_misses_googles_image_link(self, catalog_section):
        row = catalog_row(catalog_section, "TEE-WHT-L", "completeness (type requirements")
        assert "image_link: missing" in row

    def test_a_shouting_promotional_title_gets_a_low_grade_with_what_to_fix(self, catalog_section):
        row = catalog_row(catalog_section, "TEE-WHT-L", "quality in web/en")
        assert row.split()[1:3] == ["64", "D"]
        assert "FREE SHIPPING" in row
        assert catalog_row(catalog_section, "TEE-BLK-M", "quality in web/en").split()[1:3] == [
            "100",
            "A",
        ]

    def test_the_shared_gtin_is_reported_once_and_the_price_typo_is_an_outlier(
        self, catalog_section
    ):
        text = " ".join(line.strip() for line in catalog_section)
        assert "TEE-BLK-M and TEE-BLK-M-2 share the GTIN 04006381333931" in text
        assert "price 249.90 is 155.07 robust deviations above the median 19.99" in text
        assert "Merchant Center feed for google_de: 7 rows" in text


@pytest.fixture(scope="module")
def store_section() -> str:
    status, text = run("demo")
    assert status == 0
    return " ".join(line.strip() for line in demo_section(text, 12))


class TestStoreDemo:
    def test_it_is_the_last_section_and_runs_on_a_temporary_sqlite_file(self, store_section):
        assert store_section.startswith("12. A small shop on SQLite")
        assert "database: shop.db in a temporary folder" in store_section
        assert "the temporary database was removed" in store_section

    def test_a_lost_gateway_answer_is_recovered_without_charging_twice(self, store_section):
        assert "capturing o-101: GatewayUnavailableError" in store_section
        assert "the gateway answers answer_lost then replayed; 258.80 PLN charged once" in (
            store_section
        )

    def test_a_decline_stores_nothing_and_a_second_card_is_authorized(self, store_section):
        assert "authorizing o-102: PaymentDeclinedError" in store_section
        assert "a second card for o-102 is authorized (98.00 PLN)" in store_section

    def test_a_stale_write_conflicts_and_the_retry_succeeds(self, store_section):
        assert "o-103 at once: VersionConflictError: 'o-103': expected version 1" in (store_section)
        assert "succeeds: o-103 is placed" in store_section
        assert "stores nothing: o-103 still v3 (unchanged)" in store_section

    def test_the_return_is_refunded_through_the_gateway(self, store_section):
        assert "o-101 is delivered" in store_section
        assert "r-101 of the kettle, a withdrawal within 14 days: approved" in store_section
        assert "refunded 189.00 PLN; the gateway now holds 69.80 PLN for o-101" in store_section
        assert "o-102 is cancelled; its authorization of 98.00 PLN was voided first" in (
            store_section
        )

    def test_the_event_log_is_counted_by_stream(self, store_section):
        assert "the event log holds 20 events (order 16, return 4)" in store_section
        assert "#20  order  o-102  v4  OrderCancelled" in store_section

    def test_a_kept_database_is_replayed_without_new_events_or_gateway_calls(self, tmp_path):
        path = tmp_path / "shop.db"
        status, first = run("demo", "--db", str(path))
        assert status == 0
        assert path.exists()
        status, second = run("demo", "--db", str(path))
        assert status == 0
        text = " ".join(line.strip() for line in demo_section(second, 12))
        assert f"database: {path}" in text
        assert "stored 0 new events; the gateway was called 0 times" in text
        assert "the event log holds 20 events" in text
        assert f"the database stays at {path}" in text
        assert "the event log holds 20 events" in " ".join(demo_section(first, 12))
