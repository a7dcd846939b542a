"""The product and its parts: prices with sales, images, stock levels, identifiers."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from ecomkit import Money
from ecomkit.catalog import (
    Availability,
    Condition,
    Gtin,
    Image,
    Price,
    PriceChange,
    Product,
    StockLevel,
    ValueKey,
    Values,
)
from ecomkit.errors import (
    CurrencyMismatchError,
    InvalidGtinError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
)
from ecomkit.i18n import LocalizedText


START = pendulum.datetime(2026, 3, 1, tz="Europe/Warsaw")
END = START.add(days=7)


def eur(amount):
    return Money(amount, "EUR")


# ------------------------------------------------------------------ prices


def test_a_price_without_a_sale_is_always_the_regular_price():
    price = Price(eur("19.99"))
    assert price.currency == "EUR"
    assert not price.on_sale(START)
    assert price.effective(START) == eur("19.99")


def test_a_sale_applies_from_its_start_inclusive_to_its_end_exclusive():
    price = Price(eur("20"), sale=eur("15"), sale_from=START, sale_until=END)
    assert not price.on_sale(START.subtract(microseconds=1))
    assert price.on_sale(START)
    assert price.effective(START) == eur("15")
    assert price.on_sale(END.subtract(microseconds=1))
    assert not price.on_sale(END)
    assert price.effective(END) == eur("20")


def test_an_open_ended_sale_has_already_started_and_never_ends():
    price = Price(eur("20"), sale=eur("15"))
    assert price.on_sale(START.subtract(years=10))
    assert price.on_sale(START.add(years=10))


def test_a_sale_window_is_compared_by_instant_across_timezones():
    price = Price(eur("20"), sale=eur("15"), sale_from=START)
    assert price.on_sale(START.in_timezone("America/New_York"))
    assert not price.on_sale(START.in_timezone("UTC").subtract(seconds=1))


def test_on_sale_refuses_a_naive_moment():
    with pytest.raises(NaiveDateTimeError):
        Price(eur("20"), sale=eur("15")).on_sale(dt.datetime(2026, 3, 1))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sale": eur("20")}, "sale"),
        ({"sale": eur("25")}, "sale"),
        ({"sale": eur("-1")}, "sale"),
        ({"sale": eur("10"), "sale_from": END, "sale_until": START}, "sale_until"),
        ({"sale": eur("10"), "sale_from": START, "sale_until": START}, "sale_until"),
        ({"sale_from": START}, "sale_from"),
    ],
)
def test_a_price_refuses_a_sale_that_is_not_a_reduction_or_has_a_bad_window(kwargs, field):
    with pytest.raises(InvalidValueError) as caught:
        Price(eur("20"), **kwargs)
    assert caught.value.field == field


def test_a_negative_regular_price_is_refused():
    with pytest.raises(InvalidValueError, match="negative") as caught:
        Price(eur("-0.01"))
    assert caught.value.field == "regular"


def test_a_sale_in_another_currency_is_refused():
    with pytest.raises(CurrencyMismatchError):
        Price(eur("20"), sale=Money("10", "USD"))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"regular": "19.99"}, "regular"),
        ({"sale": "10"}, "sale"),
        ({"sale": eur("10"), "sale_from": "2026-03-01"}, "sale_from"),
        ({"channel": "web shop"}, "channel"),
    ],
)
def test_a_price_refuses_wrong_types_naming_the_field(kwargs, field):
    arguments = {"regular": eur("20")} | kwargs
    with pytest.raises((InvalidTypeError, InvalidValueError)) as caught:
        Price(arguments.pop("regular"), **arguments)
    assert caught.value.field == field


def test_a_sale_window_needs_aware_datetimes():
    with pytest.raises(NaiveDateTimeError) as caught:
        Price(eur("20"), sale=eur("10"), sale_until=dt.datetime(2026, 3, 1))  # noqa: DTZ001
    assert caught.value.field == "sale_until"


def test_a_window_end_without_a_sale_names_sale_until():
    with pytest.raises(InvalidValueError) as caught:
        Price(eur("20"), sale_until=END)
    assert caught.value.field == "sale_until"


def test_a_price_change_needs_an_aware_moment():
    with pytest.raises(NaiveDateTimeError):
        PriceChange(dt.datetime(2026, 3, 1), "EUR", None, None)  # noqa: DTZ001


# ------------------------------------------------------------------ images and stock


def test_an_image_keeps_its_url_and_alternative_text():
    image = Image("https://img.example/a.jpg", {"en": "A red mug"})
    assert image.alt == LocalizedText({"en": "A red mug"})


@pytest.mark.parametrize(
    ("url", "alt", "error"),
    [
        ("", {}, InvalidValueError),
        ("x" * 2001, {}, InvalidValueError),
        (42, {}, InvalidTypeError),
        ("a.jpg", "A red mug", InvalidTypeError),
    ],
)
def test_an_image_refuses_a_bad_url_or_alt_text(url, alt, error):
    with pytest.raises(error):
        Image(url, alt)


def test_a_stock_level_counts_units_at_a_location():
    assert StockLevel("berlin", 0).on_hand == 0
    with pytest.raises(InvalidValueError) as caught:
        StockLevel("berlin", -1)
    assert caught.value.field == "on_hand"
    with pytest.raises(InvalidTypeError):
        StockLevel("berlin", 2.0)
    with pytest.raises(InvalidValueError, match="not a code"):
        StockLevel("main store", 1)


# ------------------------------------------------------------------ products


def test_a_new_product_has_sensible_defaults():
    product = Product("MUG-1", "mug")
    assert product.values == Values()
    assert product.group is None
    assert product.availability is Availability.OUT_OF_STOCK
    assert product.condition is Condition.NEW
    assert product.enabled
    assert product.version == 0
    assert product.main_image is None
    assert product.on_hand == 0


def test_a_product_reads_its_identifiers_and_enums_from_text():
    product = Product(
        "MUG-1",
        "mug",
        gtin="4006381333931",
        brand="Acme",
        mpn="M-100",
        availability="in_stock",
        condition="refurbished",
    )
    assert product.gtin == Gtin.parse("04006381333931")
    assert product.availability is Availability.IN_STOCK
    assert product.condition is Condition.REFURBISHED


def test_a_product_sums_its_stock_and_shows_its_first_image():
    product = Product(
        "MUG-1",
        "mug",
        stock=[StockLevel("berlin", 3), StockLevel("warsaw", 4)],
        media=[Image("a.jpg"), Image("b.jpg")],
    )
    assert product.on_hand == 7
    assert product.main_image == Image("a.jpg")


def test_a_product_finds_the_channel_price_and_falls_back_to_all_channels():
    product = Product(
        "MUG-1",
        "mug",
        prices=[Price(eur("10")), Price(eur("8"), channel="outlet"), Price(Money("40", "PLN"))],
    )
    assert product.price("EUR") == Price(eur("10"))
    assert product.price("eur", channel="outlet") == Price(eur("8"), channel="outlet")
    assert product.price("EUR", channel="web") == Price(eur("10"))
    assert product.price("PLN", channel="outlet") == Price(Money("40", "PLN"))
    assert product.price("USD") is None


def test_a_channel_only_price_is_not_an_all_channels_price():
    product = Product("MUG-1", "mug", prices=[Price(eur("8"), channel="outlet")])
    assert product.price("EUR") is None


def test_a_price_lookup_with_a_currency_that_is_not_text_is_a_typed_error():
    with pytest.raises(InvalidTypeError):
        Product("MUG-1", "mug").price(978)  # type: ignore[arg-type]


def test_a_product_reads_values_with_fallback():
    values = Values({ValueKey("title", locale="de"): "Tasse", ValueKey("color"): "red"})
    product = Product("MUG-1", "mug", values=values)
    assert product.value("title", locale="de_CH") == "Tasse"
    assert product.value("color", channel="web") == "red"
    assert product.value("title", locale="fr") is None


def test_categories_keep_their_first_order_without_repeats():
    product = Product("MUG-1", "mug", categories=["kitchen", "mugs", "kitchen"])
    assert product.categories == ("kitchen", "mugs")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"prices": [Price(eur("1")), Price(eur("2"))]}, "two prices in EUR for all channels"),
        (
            {"prices": [Price(eur("1"), channel="web"), Price(eur("2"), channel="web")]},
            "two prices in EUR for web",
        ),
        ({"media": [Image("a.jpg"), Image("a.jpg", {"en": "again"})]}, "an image twice"),
        ({"stock": [StockLevel("berlin", 1), StockLevel("berlin", 2)]}, "a location twice"),
    ],
)
def test_a_product_refuses_duplicates(kwargs, match):
    with pytest.raises(InvalidValueError, match=match):
        Product("MUG-1", "mug", **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sku": "MUG 1"}, "sku"),
        ({"product_type": ""}, "product_type"),
        ({"group": "a group"}, "group"),
        ({"values": {"title": "x"}}, "values"),
        ({"gtin": 4006381333931}, "gtin"),
        ({"mpn": ""}, "mpn"),
        ({"brand": "x" * 71}, "brand"),
        ({"categories": "kitchen"}, "categories"),
        ({"media": ["a.jpg"]}, "media"),
        ({"prices": [eur("1")]}, "prices"),
        ({"price_history": [Price(eur("1"))]}, "price_history"),
        ({"stock": {"berlin": 1}}, "stock"),
        ({"availability": "in stock"}, "availability"),
        ({"availability_date": dt.datetime(2026, 3, 1)}, "availability_date"),  # noqa: DTZ001
        ({"condition": "mint"}, "condition"),
        ({"enabled": 1}, "enabled"),
        ({"version": -1}, "version"),
    ],
)
def test_a_product_refuses_a_bad_field_and_names_it(kwargs, field):
    arguments = {"sku": "MUG-1", "product_type": "mug"} | kwargs
    with pytest.raises((InvalidTypeError, InvalidValueError)) as caught:
        Product(arguments.pop("sku"), arguments.pop("product_type"), **arguments)
    assert caught.value.field == field


def test_a_product_refuses_a_gtin_with_a_wrong_check_digit():
    with pytest.raises(InvalidGtinError, match="wrong check digit"):
        Product("MUG-1", "mug", gtin="4006381333932")
