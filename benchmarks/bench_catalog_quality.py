"""Catalog completeness and data quality over 100,000 products, next to pandas.

ecomkit scores every product's completeness in two locales of a channel (the product type's
requirements, Akeneo's floored ratio with the list of what is missing) and assesses its data
quality with the eight default criteria (a rate, an A-E grade and findings that say what to
fix). pandas, the tool analysts reach for, computes the same completeness percentages
vectorized over a wide table (one column per attribute and locale) plus the three simplest
quality signals (title length, words in capitals, image count), without any explanation.

Before timing, the script checks that both sides agree on every completeness percentage and
on which titles are outside the length limits.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from _harness import machine_summary, print_table, quick_parser
from ecomkit.catalog import (
    AttributeDef,
    CatalogSchema,
    Channel,
    Image,
    Metric,
    Product,
    ProductType,
    Requirement,
    ValueKey,
    Values,
    assess_quality,
    completeness,
)


LOCALES = ("en", "de")
REQUIRED = ("title", "description", "color", "size", "weight", "link")
COLORS = ("black", "navy", "white", "red", "green", "grey")
SIZES = ("XS", "S", "M", "L", "XL")
WORDS = (
    "cotton",
    "organic",
    "tee",
    "shirt",
    "slim",
    "fit",
    "crew",
    "neck",
    "classic",
    "soft",
    "jersey",
    "everyday",
    "basic",
    "long",
    "sleeve",
    "relaxed",
    "heavyweight",
    "garment",
    "dyed",
    "pocket",
    "ribbed",
    "collar",
    "breathable",
    "light",
    "summer",
)


def make_schema() -> CatalogSchema:
    """Return the schema: one apparel type, one web channel in English and German."""
    return CatalogSchema(
        [
            AttributeDef("title", "text", localizable=True, max_characters=150),
            AttributeDef("description", "long_text", localizable=True),
            AttributeDef("color", "single_select", options=COLORS),
            AttributeDef("size", "single_select", options=SIZES),
            AttributeDef("weight", "metric", unit_family="weight", default_unit="kg"),
            AttributeDef("link", "text", scopable=True),
            AttributeDef("material", "text"),
        ],
        [
            ProductType(
                "apparel",
                ["title", "description", "color", "size", "weight", "link", "material"],
                requirements=[*REQUIRED[:5], Requirement("link", ["web"])],
            )
        ],
        [Channel("web", LOCALES, ["EUR"])],
    )


def _title(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(2, 14))
    if rng.random() < 0.1:
        words[0] = words[0].upper()
    if rng.random() < 0.03:
        words = words * 4  # far too long
    return " ".join(words).capitalize()


def make_products(count: int, seed: int = 7) -> list[Product]:
    """Return *count* products with a realistic share of gaps in each attribute."""
    rng = random.Random(seed)
    products = []
    for number in range(count):
        values: dict[ValueKey, Any] = {}
        for locale in LOCALES:
            if rng.random() < 0.9:
                values[ValueKey("title", locale=locale)] = _title(rng)
            if rng.random() < 0.7:
                text = " ".join(rng.choices(WORDS, k=rng.randint(5, 60)))
                values[ValueKey("description", locale=locale)] = text.capitalize() + "."
        if rng.random() < 0.85:
            values[ValueKey("color")] = rng.choice(COLORS)
        if rng.random() < 0.85:
            values[ValueKey("size")] = rng.choice(SIZES)
        if rng.random() < 0.6:
            values[ValueKey("weight")] = Metric(Decimal(rng.randint(80, 900)), "g")
        if rng.random() < 0.8:
            values[ValueKey("link", "web")] = f"https://shop.example/p/{number}"
        images = [
            Image(
                f"https://cdn.example/{number}/{index}.jpg",
                {"en": "Front view"} if rng.random() < 0.6 else {},
            )
            for index in range(rng.choice((0, 1, 1, 2, 3, 4)))
        ]
        products.append(
            Product(
                f"SKU-{number:06d}",
                "apparel",
                values=Values(values),
                brand="Northwind" if rng.random() < 0.95 else "N/A",
                media=images,
            )
        )
    return products


def run_ecomkit(products: Sequence[Product], schema: CatalogSchema) -> list[tuple[Any, ...]]:
    """Score completeness in both locales and assess quality in English for every product."""
    results = []
    for product in products:
        en = completeness(product, schema, channel="web", locale="en")
        de = completeness(product, schema, channel="web", locale="de")
        report = assess_quality(product, schema, channel="web", locale="en")
        results.append((en, de, report))
    return results


def make_frame(products: Sequence[Product]) -> Any:
    """Return the wide table an analyst would export: one column per attribute and locale."""
    import pandas as pd  # noqa: PLC0415 - the peer is optional

    rows = []
    for product in products:
        row: dict[str, Any] = {"sku": product.sku, "images": len(product.media)}
        for key, value in product.values.items():  # noqa: PD011 - Values, not a DataFrame
            suffix = key.locale or key.channel
            row[f"{key.attribute}-{suffix}" if suffix else key.attribute] = value
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in ("title-en", "title-de", "description-en", "description-de", "color", "size"):
        if column not in frame:
            frame[column] = None
    return frame


def run_pandas(frame: Any) -> Any:
    """Completeness per locale (floored percent) and three quality signals, vectorized."""
    import pandas as pd  # noqa: PLC0415 - the peer is optional

    shared = frame[["color", "size", "weight", "link-web"]].notna().sum(axis=1)
    out = pd.DataFrame({"sku": frame["sku"]})
    for locale in LOCALES:
        filled = (
            shared
            + frame[f"title-{locale}"].notna().astype(int)
            + frame[f"description-{locale}"].notna().astype(int)
        )
        out[f"percent-{locale}"] = (filled * 100) // len(REQUIRED)
    title = frame["title-en"].fillna("")
    length = title.str.len()
    out["title_out_of_range"] = (length > 150) | ((length < 25) & (length > 0))
    out["capital_words"] = title.str.count(r"\b[A-Z]{4,}\b")
    out["few_images"] = frame["images"] < 3
    return out


def check_agreement(ours: list[tuple[Any, ...]], theirs: Any) -> int:
    """Raise if the two sides disagree on any completeness percentage or title-length flag."""
    checked = 0
    percents_en = theirs["percent-en"].tolist()
    percents_de = theirs["percent-de"].tolist()
    title_flags = theirs["title_out_of_range"].tolist()
    for index, (en, de, report) in enumerate(ours):
        if (en.percent, de.percent) != (percents_en[index], percents_de[index]):
            message = f"row {index}: ecomkit {en.percent}/{de.percent}, pandas differs"
            raise SystemExit(message)
        ours_flag = any(
            finding.code in {"title_too_long", "title_too_short", "title_long", "title_short"}
            for finding in report.findings
        )
        if ours_flag != title_flags[index]:
            raise SystemExit(f"row {index}: title length flag differs ({report.findings})")
        checked += 3
    return checked


def _best(func: Any, *args: Any, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - started)
    return min(times), times


def main(argv: Sequence[str] | None = None) -> int:
    """Build the catalog, check both sides agree, time them and print the ratio."""
    parser = quick_parser(__doc__.splitlines()[0] if __doc__ else "catalog quality")
    parser.add_argument("--products", type=int, default=100_000, help="products (100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side (3)")
    args = parser.parse_args(argv)
    count = 500 if args.quick else args.products
    repeat = 1 if args.quick else args.repeat

    schema = make_schema()
    started = time.perf_counter()
    products = make_products(count)
    built = time.perf_counter() - started

    ours = run_ecomkit(products, schema)
    grades: dict[str, int] = {}
    for _, _, report in ours:
        grades[str(report.grade)] = grades.get(str(report.grade), 0) + 1
    complete = sum(en.percent == 100 for en, _, _ in ours)
    try:
        frame = make_frame(products)
    except ImportError:
        frame = None

    print(f"# Catalog completeness and quality: {machine_summary()}")
    print(
        f"{count:,} products (built in {built:.1f} s); per product: completeness in 2 locales "
        f"and quality with the 8 default criteria; best of {repeat} run(s)"
    )
    print(f"complete in English: {complete:,}; grades: {dict(sorted(grades.items()))}")
    ecomkit_best, ecomkit_runs = _best(run_ecomkit, products, schema, repeat=repeat)
    pandas_best = None
    if frame is not None:
        checked = check_agreement(ours, run_pandas(frame))
        print(f"agreement: {checked:,} figures equal on both sides")
        pandas_best, _ = _best(run_pandas, frame, repeat=repeat)
    else:
        print("pandas is not installed (pip install -e '.[bench]'): ecomkit side only")
    rows = []
    for side, best in (
        ("ecomkit: completeness x2 + 8 quality criteria", ecomkit_best),
        ("pandas: completeness x2 + 3 quality signals", pandas_best),
    ):
        if best is None:
            continue
        share = "1.000x" if best is ecomkit_best else "-"
        if best is ecomkit_best and pandas_best is not None:
            share = f"{pandas_best / ecomkit_best:.3f}x"
        rows.append(
            [side, f"{best:.2f} s", f"{best / count * 1e6:.1f} µs", f"{count / best:,.0f}", share]
        )
    print_table(
        ["side", "best run", "per product", "products/s", "ratio (ecomkit / pandas throughput)"],
        rows,
    )
    print(f"ecomkit runs: {', '.join(f'{run:.2f} s' for run in ecomkit_runs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
