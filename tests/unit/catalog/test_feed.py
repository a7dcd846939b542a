"""The Merchant Center TSV feed: columns, value forms, variants and bad input."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from ecomkit import Money
from ecomkit.catalog import (
    DEFAULT_FIELD_MAP,
    GOOGLE_MERCHANT_FIELDS,
    AttributeDef,
    CatalogSchema,
    Category,
    CategoryTree,
    Channel,
    FieldSource,
    Image,
    Option,
    Price,
    Product,
    ProductGroup,
    ProductType,
    ValueKey,
    Values,
    VariantLevel,
    google_merchant_feed,
    google_merchant_rows,
)
from ecomkit.errors import (
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
    UnknownCodeError,
)


SCHEMA = CatalogSchema(
    [
        AttributeDef("title", "text", localizable=True),
        AttributeDef("description", "long_text", localizable=True),
        AttributeDef("link", "media"),
        AttributeDef("color", "single_select", options=[Option("navy", {"en": "Navy blue"})]),
        AttributeDef("size", "single_select", options=["S", "M"]),
        AttributeDef("identifier_exists", "boolean"),
    ],
    [
        ProductType("mug", ["title", "description", "link", "identifier_exists"]),
        ProductType(
            "tee",
            ["title", "description", "link", "color", "size"],
            variant_levels=[VariantLevel(["size"])],
        ),
    ],
    [
        Channel("google_us", ["en_US"], ["USD"], country="US"),
        Channel("google_jp", ["ja"], ["JPY"], country="JP"),
    ],
)
TREE = CategoryTree(
    [
        Category("home", {"en": "Home"}),
        Category("kitchen", {"en": "Kitchen"}, parent="home"),
        Category("mugs", {"en": "Mugs"}, parent="kitchen"),
        Category("clothing", {"en": "Clothing"}, parent="home"),
    ]
)
NEW_YORK = "America/New_York"
MUG = Product(
    "M-1",
    "mug",
    values=Values(
        {
            ValueKey("title", locale="en"): "Mug",
            ValueKey("description", locale="en"): "Stoneware mug.\tDishwasher safe.\nHolds 350 ml.",
            ValueKey("link"): "https://shop.test/mug",
        }
    ),
    brand="Acme",
    gtin="4006381333931",
    categories=["mugs"],
    media=[Image(f"https://img.test/mug-{number}.jpg") for number in (1, 2, 3)],
    prices=[
        Price(
            Money("8", "USD"),
            sale=Money("6", "USD"),
            sale_from=pendulum.datetime(2026, 3, 1, tz=NEW_YORK),
            sale_until=pendulum.datetime(2026, 3, 8, tz=NEW_YORK),
        ),
        Price(Money("1200", "JPY")),
    ],
    availability="in_stock",
)
GROUP = ProductGroup(
    "TEE",
    "tee",
    values=Values(
        {
            ValueKey("title", locale="en"): "Tee",
            ValueKey("description", locale="en"): "Organic cotton.",
            ValueKey("link"): "https://shop.test/tee",
            ValueKey("color"): "navy",
        }
    ),
    categories=["clothing"],
    media=[Image("https://img.test/tee.jpg")],
)
TEE_M = Product(
    "TEE-M",
    "tee",
    group="TEE",
    values=Values({ValueKey("size"): "M"}),
    gtin="036000291452",
    prices=[Price(Money("15.5", "USD"))],
    availability="preorder",
    availability_date=pendulum.datetime(2026, 4, 1, 9, tz="Europe/Berlin"),
)
HIDDEN = Product("OLD-1", "mug", enabled=False, prices=[Price(Money("1", "USD"))])


def test_the_feed_has_a_header_and_one_line_per_enabled_product():
    feed = google_merchant_feed(
        [MUG, TEE_M, HIDDEN],
        SCHEMA,
        channel="google_us",
        locale="en_US",
        groups=[GROUP],
        categories=TREE,
    )
    expected = [
        [
            "id",
            "title",
            "description",
            "link",
            "image_link",
            "additional_image_link",
            "availability",
            "availability_date",
            "price",
            "sale_price",
            "sale_price_effective_date",
            "brand",
            "gtin",
            "condition",
            "product_type",
            "item_group_id",
            "color",
            "size",
        ],
        [
            "M-1",
            "Mug",
            "Stoneware mug. Dishwasher safe. Holds 350 ml.",
            "https://shop.test/mug",
            "https://img.test/mug-1.jpg",
            "https://img.test/mug-2.jpg,https://img.test/mug-3.jpg",
            "in_stock",
            "",
            "8.00 USD",
            "6.00 USD",
            "2026-03-01T00:00:00-05:00/2026-03-08T00:00:00-05:00",
            "Acme",
            "4006381333931",
            "new",
            "Home > Kitchen > Mugs",
            "",
            "",
            "",
        ],
        [
            "TEE-M",
            "Tee",
            "Organic cotton.",
            "https://shop.test/tee",
            "https://img.test/tee.jpg",
            "",
            "preorder",
            "2026-04-01T09:00:00+02:00",
            "15.50 USD",
            "",
            "",
            "",
            "036000291452",
            "new",
            "Home > Clothing",
            "TEE",
            "navy",
            "M",
        ],
    ]
    assert feed == "".join("\t".join(line) + "\n" for line in expected)


def test_prices_use_the_currencys_minor_units_and_never_lose_digits():
    rows = google_merchant_rows([MUG], SCHEMA, channel="google_jp", locale="ja", fields=["price"])
    assert rows == [{"price": "1200 JPY"}]
    precise = Product("P-1", "mug", prices=[Price(Money("15.005", "USD"))])
    rows = google_merchant_rows([precise], SCHEMA, channel="google_us", locale="en_US")
    assert rows[0]["price"] == "15.005 USD"


def test_given_fields_are_exactly_the_columns_even_when_empty():
    feed = google_merchant_feed(
        [TEE_M], SCHEMA, channel="google_us", locale="en_US", fields=["id", "mpn", "gtin"]
    )
    assert feed == "id\tmpn\tgtin\nTEE-M\t\t036000291452\n"


def test_without_groups_a_variant_has_only_its_own_values():
    row = google_merchant_rows([TEE_M], SCHEMA, channel="google_us", locale="en_US")[0]
    assert "title" not in row
    assert "image_link" not in row
    assert row["size"] == "M"
    assert row["item_group_id"] == "TEE"


def test_a_field_map_decides_where_a_column_comes_from():
    labels = DEFAULT_FIELD_MAP.with_sources(
        FieldSource("color", attribute="color", labels=True),
        FieldSource("id", builtin="gtin"),
    )
    rows = google_merchant_rows(
        [TEE_M],
        SCHEMA,
        channel="google_us",
        locale="en_US",
        groups=[GROUP],
        field_map=labels,
        fields=["id", "color"],
    )
    assert rows == [{"id": "036000291452", "color": "Navy blue"}]


def test_a_yes_or_no_attribute_is_written_yes_or_no():
    handmade = Product("H-1", "mug", values=Values({ValueKey("identifier_exists"): False}))
    rows = google_merchant_rows(
        [handmade], SCHEMA, channel="google_us", locale="en_US", fields=["identifier_exists"]
    )
    assert rows == [{"identifier_exists": "no"}]


def test_times_reach_the_feed_only_with_their_offset():
    with pytest.raises(NaiveDateTimeError):
        Product("P-1", "mug", availability_date=dt.datetime(2026, 4, 1, 9))  # noqa: DTZ001
    utc = Product(
        "P-1",
        "mug",
        availability="backorder",
        availability_date=dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC),
    )
    row = google_merchant_rows([utc], SCHEMA, channel="google_us", locale="en_US")[0]
    assert row["availability_date"] == "2026-04-01T09:00:00+00:00"


def test_a_feed_without_products_is_a_header_only():
    feed = google_merchant_feed([], SCHEMA, channel="google_us", locale="en_US", fields=["id"])
    assert feed == "id\n"
    header = google_merchant_feed([HIDDEN], SCHEMA, channel="google_us", locale="en_US")
    assert header == "\t".join(GOOGLE_MERCHANT_FIELDS) + "\n"


def test_an_unknown_channel_or_a_foreign_locale_is_refused():
    with pytest.raises(UnknownCodeError):
        google_merchant_feed([MUG], SCHEMA, channel="amazon", locale="en_US")
    with pytest.raises(InvalidValueError, match="not a locale of channel 'google_jp'"):
        google_merchant_feed([MUG], SCHEMA, channel="google_jp", locale="en_US")


def test_a_product_of_an_unknown_type_is_refused():
    with pytest.raises(UnknownCodeError, match="unknown product type 'lamp'"):
        google_merchant_rows([Product("L-1", "lamp")], SCHEMA, channel="google_us", locale="en_US")


@pytest.mark.parametrize(
    ("arguments", "error", "field"),
    [
        ({"products": MUG}, InvalidTypeError, "products"),
        ({"products": ["M-1"]}, InvalidTypeError, "products"),
        ({"groups": [Values({})]}, InvalidTypeError, "groups"),
        ({"groups": "TEE"}, InvalidTypeError, "groups"),
        ({"fields": ["id", "id"]}, InvalidValueError, "fields"),
        ({"fields": "id"}, InvalidTypeError, "fields"),
        ({"fields": ["bad field"]}, InvalidValueError, "fields"),
        ({"field_map": {"id": "sku"}}, InvalidTypeError, "field_map"),
    ],
)
def test_bad_arguments_are_refused_naming_them(arguments, error, field):
    call = {"products": [MUG], "channel": "google_us", "locale": "en_US"}
    call.update(arguments)
    products = call.pop("products")
    with pytest.raises(error) as raised:
        google_merchant_rows(products, SCHEMA, **call)
    assert raised.value.field == field
