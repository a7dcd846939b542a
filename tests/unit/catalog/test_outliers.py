"""Outliers: robust scores per group, the MAD-of-zero fallback, skipped groups and inputs."""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import Decimal

import pytest

from ecomkit.catalog import (
    Direction,
    NotJudged,
    OutlierReport,
    Price,
    Product,
    SkippedGroup,
    Spread,
    find_outliers,
    price_outliers,
)
from ecomkit.errors import (
    FloatNotAllowedError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
    UnknownCurrencyError,
)
from ecomkit.money import Money
from ecomkit.serialization import from_json, to_json


NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
SHOE_PRICES = ["49.90", "52.00", "47.50", "49.90", "55.00", "45.00", "51.00", "48.00"]


def product(sku: str, category: str | None = "shoes", *prices: Price) -> Product:
    return Product(sku, "shoe", categories=[category] if category else [], prices=prices)


def priced(sku: str, amount: str, category: str | None = "shoes", **sale: object) -> Product:
    return product(sku, category, Price(Money(amount, "EUR"), **sale))


def shoes(*extra: Product) -> list[Product]:
    return [priced(f"S{n}", amount) for n, amount in enumerate(SHOE_PRICES)] + list(extra)


def test_a_planted_price_outlier_is_found_with_its_reason():
    report = price_outliers(shoes(priced("TYPO", "499.00")), currency="EUR", at=NOW)
    (outlier,) = report.outliers
    assert outlier.sku == "TYPO"
    assert outlier.direction is Direction.HIGH
    assert outlier.spread is Spread.MAD
    assert (outlier.median, outlier.mad, outlier.group_size) == (
        Decimal("49.90"),
        Decimal("2.10"),
        9,
    )
    expected = Decimal("0.6745") * (Decimal("499.00") - Decimal("49.90")) / Decimal("2.10")
    assert outlier.score == expected.quantize(Decimal("0.01")) == Decimal("144.25")
    assert outlier.reason == (
        "price 499.00 is 144.25 robust deviations above the median 49.90 of category 'shoes' "
        "(9 products)"
    )
    assert report.groups == 1


def test_median_and_mad_agree_with_the_statistics_module():
    values = [Decimal(amount) for amount in [*SHOE_PRICES, "499.00"]]
    median = statistics.median(values)
    mad = statistics.median(abs(value - median) for value in values)
    (outlier,) = price_outliers(shoes(priced("TYPO", "499.00")), currency="EUR", at=NOW).outliers
    assert (outlier.median, outlier.mad) == (median, mad)


def test_a_price_far_below_the_norm_is_a_low_outlier_with_a_negative_score():
    (outlier,) = price_outliers(shoes(priced("CHEAP", "4.99")), currency="EUR", at=NOW).outliers
    assert outlier.direction is Direction.LOW
    assert outlier.score < 0
    assert "below the median" in outlier.reason


def test_ordinary_spread_is_not_flagged_and_the_threshold_is_a_parameter():
    report = price_outliers(shoes(priced("DEAR", "57.00")), currency="EUR", at=NOW)
    assert report.outliers == ()  # 0.6745 * 7.10 / 2.10 = 2.28
    strict = price_outliers(shoes(priced("DEAR", "57.00")), currency="EUR", at=NOW, threshold=2)
    assert [outlier.sku for outlier in strict.outliers] == ["DEAR"]


def test_the_effective_sale_price_is_judged_at_the_moment_given():
    sale = priced(
        "DEAL",
        "50.00",
        sale=Money("5.00", "EUR"),
        sale_from=NOW - dt.timedelta(days=1),
        sale_until=NOW + dt.timedelta(days=1),
    )
    assert [o.sku for o in price_outliers(shoes(sale), currency="EUR", at=NOW).outliers] == ["DEAL"]
    later = NOW + dt.timedelta(days=2)
    assert price_outliers(shoes(sale), currency="EUR", at=later).outliers == ()


def test_a_channel_price_wins_over_the_all_channels_price():
    special = product(
        "APP",
        "shoes",
        Price(Money("49.00", "EUR")),
        Price(Money("490.00", "EUR"), channel="app"),
    )
    assert price_outliers(shoes(special), currency="EUR", at=NOW).outliers == ()
    in_app = price_outliers(shoes(special), currency="EUR", at=NOW, channel="app")
    assert [outlier.sku for outlier in in_app.outliers] == ["APP"]


def test_each_category_is_judged_against_its_own_median():
    bags = [priced(f"B{n}", str(400 + n), "bags") for n in range(5)]
    report = price_outliers(shoes(*bags), currency="EUR", at=NOW)
    assert report.outliers == ()
    assert report.groups == 2


def test_a_group_with_more_than_half_equal_values_falls_back_to_the_mean_deviation():
    figures = {f"P{n}": Decimal("0.02") for n in range(6)} | {"P6": Decimal("0.03")}
    figures["P7"] = Decimal("0.40")
    products = [product(sku, "tees") for sku in figures]
    report = find_outliers(figures, products, figure="return rate")
    (outlier,) = report.outliers
    deviations = [abs(value - Decimal("0.02")) for value in figures.values()]
    mean = sum(deviations) / len(deviations)
    expected = (Decimal("0.40") - Decimal("0.02")) / (Decimal("1.253314") * mean)
    assert (outlier.sku, outlier.mad, outlier.spread) == ("P7", Decimal(0), Spread.MEAN_AD)
    assert outlier.score == expected.quantize(Decimal("0.01"))
    assert "scaled by the mean deviation" in outlier.reason


def test_a_group_of_identical_values_has_no_outliers():
    figures = {f"P{n}": Decimal("0.10") for n in range(6)}
    report = find_outliers(figures, [product(sku) for sku in figures], figure="return rate")
    assert report.outliers == ()
    assert report.groups == 1


def test_groups_smaller_than_the_minimum_are_skipped_and_reported():
    small = [priced("B1", "40.00", "bags"), priced("B2", "4000.00", "bags")]
    report = price_outliers(shoes(*small), currency="EUR", at=NOW)
    assert report.outliers == ()
    assert report.skipped == (
        SkippedGroup("bags", 2, "2 products, fewer than the 5 needed to judge"),
    )
    assert report.groups == 1
    with pytest.raises(InvalidValueError, match="min_group_size"):
        price_outliers(shoes(), currency="EUR", at=NOW, min_group_size=2)


def test_products_without_price_or_category_are_not_judged_and_say_why():
    report = price_outliers(
        shoes(
            product("NOPRICE"),
            priced("NOCAT", "999.00", None),
            product("USD", "shoes", Price(Money("10.00", "USD"))),
        ),
        currency="EUR",
        at=NOW,
    )
    assert report.not_judged == (
        NotJudged("NOCAT", "no category"),
        NotJudged("NOPRICE", "no price in EUR"),
        NotJudged("USD", "no price in EUR"),
    )
    assert report.outliers == ()


def test_host_figures_are_grouped_by_the_products_main_category():
    products = [product(f"T{n}", "tees") for n in range(5)] + [product("X", "extra")]
    products.append(Product("MIXED", "shoe", categories=["tees", "sale"]))
    figures = {f"T{n}": Decimal("0.030") + Decimal(n) / 1000 for n in range(5)}
    figures["MIXED"] = Decimal("0.300")
    report = find_outliers(figures, products, figure="conversion rate")
    assert [(o.sku, o.group, o.figure) for o in report.outliers] == [
        ("MIXED", "tees", "conversion rate")
    ]
    assert report.not_judged == (NotJudged("X", "no conversion rate given"),)


def test_a_host_key_chooses_the_groups():
    products = [Product(f"P{n}", "shoe", brand="Acme" if n < 6 else "Other") for n in range(12)]
    figures = {p.sku: Decimal(10) + n % 3 for n, p in enumerate(products)}
    figures["P0"] = Decimal(90)
    report = find_outliers(figures, products, figure="returns", key=lambda p: p.brand)
    (outlier,) = report.outliers
    assert (outlier.sku, outlier.group) == ("P0", "Acme")
    assert "of group 'Acme'" in outlier.reason
    with pytest.raises(InvalidTypeError, match="key"):
        find_outliers(figures, products, figure="returns", key=lambda _p: 1)
    with pytest.raises(InvalidTypeError, match="key"):
        find_outliers(figures, products, figure="returns", key="brand")


def test_figures_for_unknown_skus_are_reported_not_refused():
    products = [product(f"P{n}") for n in range(5)]
    figures = {f"P{n}": Decimal(n) for n in range(5)} | {"GONE": Decimal(1)}
    report = find_outliers(figures, products, figure="returns")
    assert report.not_judged == (NotJudged("GONE", "no product with this SKU"),)


def test_outliers_are_listed_strongest_first():
    products = [product(f"P{n}") for n in range(10)]
    figures = {f"P{n}": Decimal(100 + n) for n in range(8)}
    figures |= {"P8": Decimal(200), "P9": Decimal(1000)}
    report = find_outliers(figures, products, figure="views")
    assert [outlier.sku for outlier in report.outliers] == ["P9", "P8"]


def test_floats_are_refused():
    with pytest.raises(FloatNotAllowedError, match="P1"):
        find_outliers({"P1": 0.1}, [product("P1")], figure="returns")
    with pytest.raises(FloatNotAllowedError, match="threshold"):
        find_outliers({}, [], figure="returns", threshold=3.5)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: find_outliers([("P1", 1)], [], figure="x"), InvalidTypeError, "figures"),
        (lambda: find_outliers({1: 1}, [], figure="x"), InvalidTypeError, "figures"),
        (lambda: find_outliers({}, ["P1"], figure="x"), InvalidTypeError, "products"),
        (
            lambda: find_outliers({}, [product("A"), product("A")], figure="x"),
            InvalidValueError,
            "products",
        ),
        (lambda: find_outliers({}, [], figure=""), InvalidValueError, "figure"),
        (lambda: find_outliers({}, [], figure="x", threshold=0), InvalidValueError, "threshold"),
        (lambda: price_outliers([], currency="EUX", at=NOW), UnknownCurrencyError, "EUX"),
        (
            lambda: price_outliers([], currency="EUR", at=NOW.replace(tzinfo=None)),
            NaiveDateTimeError,
            "at",
        ),
    ],
)
def test_bad_input_is_refused_with_a_typed_error(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_the_report_round_trips_through_json():
    report = price_outliers(
        shoes(priced("TYPO", "499.00"), priced("B1", "40.00", "bags"), product("NOPRICE")),
        currency="EUR",
        at=NOW,
    )
    assert report.outliers
    assert report.skipped
    assert report.not_judged
    assert from_json(to_json(report), OutlierReport) == report


def test_many_products_are_judged_quickly():
    products = [product(f"P{n}", f"c{n % 50}") for n in range(20_000)]
    figures = {p.sku: Decimal(n % 97) for n, p in enumerate(products)}
    report = find_outliers(figures, products, figure="views")
    assert report.groups == 50
    assert report.outliers == ()
