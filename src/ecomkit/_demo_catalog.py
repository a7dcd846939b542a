"""The catalog section of ``python -m ecomkit demo``: a small catalog and what it shows."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pendulum

from ecomkit.catalog import (
    AttributeDef,
    CatalogSchema,
    CategoryTree,
    Channel,
    Image,
    Option,
    Price,
    Product,
    ProductChange,
    ProductType,
    Requirement,
    SetAvailability,
    SetBrand,
    SetCategories,
    SetGtin,
    SetMedia,
    SetMpn,
    SetPrice,
    SetValue,
    assess_quality,
    completeness,
    create_product,
    find_duplicates,
    google_merchant_feed,
    google_merchant_profile,
    price_outliers,
)
from ecomkit.money import Money


__all__ = ["demo_catalog"]

_AT = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Berlin")
_COLORS = {
    "black": ("Black", "Schwarz"),
    "navy": ("Navy", "Marineblau"),
    "white": ("White", "Weiß"),
}

_ABOUT_EN = "Soft, breathable organic cotton jersey that keeps its shape wash after wash."
_ABOUT_DE = (
    "Weicher, atmungsaktiver Bio-Baumwolljersey, der auch nach vielen Wäschen in Form bleibt."
)

# sku, colour, size, English title, German title (None: missing), price, GTIN, images
_TEES: tuple[tuple[str, str, str, str, str | None, str, str | None, int], ...] = (
    ("TEE-BLK-M", "black", "M", "Organic cotton crew neck tee, black",
     "Bio-Baumwoll-T-Shirt, schwarz", "19.99", "4006381333931", 3),
    ("TEE-NVY-M", "navy", "M", "Organic cotton crew neck tee, navy",
     None, "19.99", "4006381333948", 2),
    ("TEE-WHT-L", "white", "L", "ORGANIC COTTON TEE!!! FREE SHIPPING",
     "Bio-T-Shirt weiß", "18.99", None, 0),
    ("TEE-BLK-M-2", "black", "M", "Organic Cotton Crew-Neck Tee - Black",
     "Bio-Baumwoll-T-Shirt schwarz", "19.99", "4006381333931", 1),
    ("TEE-BLK-L", "black", "L", "Long sleeve organic cotton tee, black",
     "Langarm-Bio-T-Shirt, schwarz", "21.99", "4006381333955", 3),
    ("TEE-NVY-S", "navy", "S", "Relaxed heavyweight pocket tee, navy",
     "Schweres Taschen-T-Shirt, marineblau", "24.99", "4006381333962", 2),
    ("TEE-WHT-S", "white", "S", "Relaxed heavyweight pocket tee, white",
     "Schweres Taschen-T-Shirt, weiß", "249.90", "4006381333979", 2),
)  # fmt: skip


def _schema() -> CatalogSchema:
    colors = [Option(code, {"en": en, "de": de}) for code, (en, de) in _COLORS.items()]
    return CatalogSchema(
        [
            AttributeDef("title", "text", localizable=True, max_characters=150),
            AttributeDef("description", "long_text", localizable=True),
            AttributeDef("link", "text", scopable=True),
            AttributeDef("color", "single_select", options=colors),
            AttributeDef("size", "single_select", options=["S", "M", "L"]),
            AttributeDef("gender", "single_select", options=["male", "female", "unisex"]),
            AttributeDef("age_group", "single_select", options=["adult", "kids"]),
        ],
        [
            ProductType(
                "tshirt",
                ["title", "description", "link", "color", "size", "gender", "age_group"],
                requirements=["title", "description", "color", "size", Requirement("link")],
            )
        ],
        [
            Channel("web", ["en", "de"], ["EUR"]),
            Channel("google_de", ["de"], ["EUR"], country="DE"),
        ],
    )


def _products(schema: CatalogSchema) -> list[Product]:
    products = []
    for sku, color, size, title_en, title_de, price, gtin, images in _TEES:
        changes: list[ProductChange] = [
            SetValue("title", title_en, locale="en"),
            SetValue("description", f"{title_en}. {_ABOUT_EN}", locale="en"),
            SetValue("color", color),
            SetValue("size", size),
            SetValue("gender", "unisex"),
            SetValue("age_group", "adult"),
            SetValue("link", f"https://shop.example/p/{sku.lower()}"),
            SetBrand("Northwind"),
            SetCategories(["tshirts"]),
            SetPrice(Price(Money(price, "EUR"))),
            SetAvailability("in_stock"),
            SetMedia(
                Image(f"https://cdn.example/{sku}/{n}.jpg", {"en": f"{title_en}, view {n}"})
                for n in range(1, images + 1)
            ),
        ]
        if title_de is not None:
            changes.append(SetValue("title", title_de, locale="de"))
            changes.append(SetValue("description", f"{title_de}. {_ABOUT_DE}", locale="de"))
        changes.append(SetGtin(gtin) if gtin else SetMpn(f"NW-{sku}"))
        products.append(
            create_product(schema, sku=sku, product_type="tshirt", changes=changes, at=_AT).product
        )
    return products


def demo_catalog(say: Callable[[str], None]) -> None:
    """Print the catalog section of the demo."""
    schema = _schema()
    tree = CategoryTree().add("apparel", label={"en": "Apparel", "de": "Bekleidung"})
    tree = tree.add("tshirts", parent="apparel", label={"en": "T-shirts", "de": "T-Shirts"})
    products = _products(schema)
    google = google_merchant_profile(country="DE", apparel=True)
    say("")
    say("11. Catalog: seven T-shirts, their completeness per channel and locale, quality")
    say("    grades, duplicates and a price outlier, and the Merchant Center feed")
    say("    completeness (type requirements in web/en and web/de; Google's DE apparel profile):")
    for product in products:
        scores = [
            completeness(product, schema, channel="web", locale="en"),
            completeness(product, schema, channel="web", locale="de"),
            completeness(
                product, schema, channel="google_de", locale="de", profile=google, categories=tree
            ),
        ]
        cells = "  ".join(f"{score.percent:>3} %" for score in scores)
        missing = "; ".join(dict.fromkeys(str(item) for score in scores for item in score.missing))
        say(f"      {product.sku:<12} {cells}  {missing or 'complete'}")
    say("    quality in web/en (rate, grade, the first thing to fix):")
    for product in products:
        report = assess_quality(product, schema, channel="web", locale="en")
        first = report.findings[0].message if report.findings else "nothing to fix"
        say(f"      {product.sku:<12} {report.rate:>3} {report.grade}  {_short(first)}")
    say("    duplicates (same GTIN and variant attributes, or near-identical titles):")
    for pair in find_duplicates(products, schema, locale="en", channel="web"):
        for text in textwrap.wrap(pair.message, width=84):
            say(f"      {text}")
    outliers = price_outliers(products, currency="EUR", at=_AT)
    say("    price outliers per category (median and MAD, modified z-score above 3.5):")
    for outlier in outliers.outliers:
        for text in textwrap.wrap(outlier.reason, width=84):
            say(f"      {text}")
    feed = google_merchant_feed(
        products, schema, channel="google_de", locale="de", categories=tree
    ).splitlines()
    say(f"    Merchant Center feed for google_de: {len(feed) - 1} rows; columns:")
    for text in textwrap.wrap(feed[0].replace("\t", ", "), width=84):
        say(f"      {text}")


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
