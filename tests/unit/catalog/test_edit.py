"""Creating and editing products: every change type, events, versions, all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pendulum
import pytest

from ecomkit import Money
from ecomkit.catalog import (
    AttributeDef,
    Availability,
    CatalogSchema,
    Channel,
    Condition,
    Gtin,
    Image,
    Metric,
    Price,
    PriceChange,
    ProductCreated,
    ProductEdited,
    ProductType,
    RemovePrice,
    RemoveValue,
    SetAvailability,
    SetBrand,
    SetCategories,
    SetCondition,
    SetEnabled,
    SetGtin,
    SetMedia,
    SetMpn,
    SetPrice,
    SetStock,
    SetValue,
    StockLevel,
    ValueKey,
    VariantLevel,
    check_value,
    create_product,
    edit_product,
)
from ecomkit.errors import (
    InvalidGtinError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
    UnknownCodeError,
    UnknownCurrencyError,
)


AT = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Berlin")
LATER = AT.add(hours=2)

SCHEMA = CatalogSchema(
    [
        AttributeDef("title", "text", localizable=True),
        AttributeDef("teaser", "text", localizable=True, scopable=True),
        AttributeDef("weight", "metric", unit_family="weight", default_unit="kg", minimum="0"),
        AttributeDef("pages", "number", decimals_allowed=False, minimum="1"),
        AttributeDef("tags", "multi_select", options=["new", "sale", "gift"]),
        AttributeDef("launch", "date"),
        AttributeDef("color", "single_select", options=["red", "blue"]),
        AttributeDef("size", "single_select", options=["S", "M"]),
        AttributeDef("image", "media"),
    ],
    [
        ProductType(
            "book",
            ["title", "teaser", "weight", "pages", "tags", "launch"],
            description_attribute=None,
        ),
        ProductType(
            "tshirt",
            ["title", "color", "size", "image"],
            description_attribute=None,
            variant_levels=[VariantLevel(["color"], ["image"]), VariantLevel(["size"])],
        ),
    ],
    [Channel("web", ["en", "de"], ["EUR"]), Channel("pl_shop", ["pl"], ["PLN"])],
)


def eur(amount):
    return Money(amount, "EUR")


def new_book(*changes, at=AT):
    return create_product(SCHEMA, sku="BOOK-1", product_type="book", changes=changes, at=at)


def book(*changes):
    return new_book(*changes).product


# ------------------------------------------------------------------ creating


def test_creating_a_product_applies_its_changes_and_records_them():
    edit = new_book(SetValue("title", "Dune", locale="en"), SetBrand("Ace"))
    product = edit.product
    assert (product.sku, product.product_type, product.version) == ("BOOK-1", "book", 1)
    assert product.value("title", locale="en") == "Dune"
    assert product.brand == "Ace"
    assert edit.event == ProductCreated(
        "BOOK-1", "book", None, AT, 1, (SetValue("title", "Dune", locale="en"), SetBrand("Ace"))
    )


def test_creating_a_product_with_nothing_still_records_its_creation():
    edit = new_book()
    assert edit.product.version == 1
    assert edit.event is not None
    assert edit.event.changes == ()


def test_creating_a_product_leaves_changes_to_the_defaults_out_of_the_event():
    edit = new_book(SetEnabled(True), SetCondition("new"), SetBrand("Ace"))
    assert edit.event is not None
    assert edit.event.changes == (SetBrand("Ace"),)


def test_creating_a_product_of_an_unknown_type_is_refused():
    with pytest.raises(UnknownCodeError, match="'comic'"):
        create_product(SCHEMA, sku="C-1", product_type="comic", at=AT)


def test_creating_a_product_with_a_bad_sku_is_refused():
    with pytest.raises(InvalidValueError, match="not a code") as caught:
        create_product(SCHEMA, sku="BOOK 1", product_type="book", at=AT)
    assert caught.value.field == "sku"


def test_creating_and_editing_need_an_aware_time():
    with pytest.raises(NaiveDateTimeError):
        new_book(at=dt.datetime(2026, 3, 2, 9))  # noqa: DTZ001
    with pytest.raises(InvalidTypeError):
        edit_product(SCHEMA, book(), [], at="2026-03-02")  # type: ignore[arg-type]


# ------------------------------------------------------------------ values


def test_set_value_events_record_the_canonical_value():
    edit = edit_product(
        SCHEMA,
        book(),
        [
            SetValue("weight", "0.5 kg"),
            SetValue("pages", 412),
            SetValue("tags", ["gift", "new"]),
            SetValue("launch", "2026-04-01"),
        ],
        at=LATER,
    )
    assert edit.event is not None
    assert [change.value for change in edit.event.changes] == [
        Metric("0.5", "kg"),
        Decimal(412),
        ("gift", "new"),
        dt.date(2026, 4, 1),
    ]
    assert edit.product.value("launch") == dt.date(2026, 4, 1)


def test_setting_the_value_a_product_already_has_is_left_out_of_the_event():
    product = book(SetValue("weight", "500 g"))
    edit = edit_product(
        SCHEMA,
        product,
        [SetValue("weight", Metric("500", "g")), SetValue("pages", "300")],
        at=LATER,
    )
    assert edit.event is not None
    assert edit.event.changes == (SetValue("pages", Decimal(300)),)


def test_values_are_kept_per_channel_and_locale():
    product = book(
        SetValue("teaser", "A desert planet", locale="en"),
        SetValue("teaser", "Read it now", channel="web", locale="en"),
    )
    assert product.value("teaser", channel="web", locale="en") == "Read it now"
    assert product.value("teaser", channel="pl_shop", locale="en") == "A desert planet"


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        (SetValue("color", "red"), UnknownCodeError, "attribute of product type 'book'"),
        (SetValue("nope", "x"), UnknownCodeError, "unknown attribute 'nope'"),
        (SetValue("title", "Dune"), None, None),
        (SetValue("title", "Dune", locale="fr"), InvalidValueError, "not a locale of any channel"),
        (SetValue("title", "Dune", channel="web"), InvalidValueError, "title is not scopable"),
        (SetValue("pages", "12", locale="en"), InvalidValueError, "pages is not localizable"),
        (
            SetValue("teaser", "x", channel="web", locale="pl"),
            InvalidValueError,
            "not a locale of channel 'web'",
        ),
        (SetValue("teaser", "x", channel="ebay"), UnknownCodeError, "unknown channel 'ebay'"),
        (SetValue("pages", "12.5"), InvalidValueError, "decimals are not allowed"),
        (SetValue("pages", 12.0), InvalidTypeError, "float"),
        (SetValue("weight", "-1 kg"), InvalidValueError, "less than the minimum"),
        (SetValue("weight", "1 l"), InvalidValueError, "not a weight unit"),
        (SetValue("tags", ["new", "new"]), InvalidValueError, "an option twice"),
        (SetValue("launch", dt.datetime(2026, 4, 1, tzinfo=dt.UTC)), InvalidTypeError, "date"),
    ],
)
def test_values_are_checked_against_the_schema(change, error, match):
    if error is None:
        assert book(change).value("title") == "Dune"
        return
    with pytest.raises(error, match=match):
        book(change)


def test_check_value_returns_the_key_and_canonical_value():
    key, value = check_value(SCHEMA, "book", "weight", "1.25 kg")
    assert key == ValueKey("weight")
    assert value == Metric("1.25", "kg")
    key, value = check_value(SCHEMA, SCHEMA.product_type("book"), "title", "Dune", locale="DE")
    assert (key, value) == (ValueKey("title", locale="de"), "Dune")


def test_check_value_takes_only_the_locales_the_channels_offer():
    with pytest.raises(InvalidValueError, match="not a locale of any channel") as caught:
        check_value(SCHEMA, "book", "title", "Dune", locale="en-gb")
    assert caught.value.value == "en_GB"


def test_removing_a_value_removes_exactly_its_key():
    product = book(
        SetValue("title", "Dune", locale="en"),
        SetValue("title", "Der Wüstenplanet", locale="de"),
    )
    edit = edit_product(SCHEMA, product, [RemoveValue("title", locale="de")], at=LATER)
    assert edit.product.value("title", locale="de") is None  # German does not fall back to English
    assert ValueKey("title", locale="de") not in edit.product.values
    assert edit.product.values[ValueKey("title", locale="en")] == "Dune"


def test_removing_a_value_the_product_does_not_have_changes_nothing():
    product = book()
    edit = edit_product(SCHEMA, product, [RemoveValue("pages")], at=LATER)
    assert edit.product is product
    assert edit.event is None


def test_removing_a_value_of_an_unknown_attribute_is_refused():
    with pytest.raises(UnknownCodeError, match="'nope'"):
        edit_product(SCHEMA, book(), [RemoveValue("nope")], at=LATER)


# ------------------------------------------------------------------ identifiers and the rest


def test_identifier_and_status_changes_are_applied():
    product = book()
    edit = edit_product(
        SCHEMA,
        product,
        [
            SetGtin("978-0-306-40615-7"),
            SetMpn("ACE-0441"),
            SetBrand("Ace"),
            SetCategories(["fiction", "scifi", "fiction"]),
            SetMedia([Image("front.jpg"), Image("back.jpg")]),
            SetAvailability("preorder", AT.add(days=30)),
            SetCondition("used"),
            SetEnabled(False),
        ],
        at=LATER,
    )
    changed = edit.product
    assert changed.gtin == Gtin.parse("9780306406157")
    assert (changed.mpn, changed.brand) == ("ACE-0441", "Ace")
    assert changed.categories == ("fiction", "scifi")
    assert changed.main_image == Image("front.jpg")
    assert changed.availability is Availability.PREORDER
    assert changed.availability_date == AT.add(days=30)
    assert changed.condition is Condition.USED
    assert not changed.enabled
    assert edit.event is not None
    assert len(edit.event.changes) == 8


def test_identifiers_can_be_cleared():
    product = book(SetGtin("9780306406157"), SetMpn("X-1"), SetBrand("Ace"))
    edit = edit_product(SCHEMA, product, [SetGtin(None), SetMpn(None), SetBrand(None)], at=LATER)
    assert (edit.product.gtin, edit.product.mpn, edit.product.brand) == (None, None, None)


def test_stock_is_set_per_location_and_kept_sorted():
    product = book(SetStock("warsaw", 2), SetStock("berlin", 5))
    assert product.stock == (StockLevel("berlin", 5), StockLevel("warsaw", 2))
    edit = edit_product(SCHEMA, product, [SetStock("warsaw", 0), SetStock("berlin", 5)], at=LATER)
    assert edit.product.stock == (StockLevel("berlin", 5), StockLevel("warsaw", 0))
    assert edit.event is not None
    assert edit.event.changes == (SetStock("warsaw", 0),)


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: SetGtin("9780306406158"), InvalidGtinError),
        (lambda: SetMpn("x" * 71), InvalidValueError),
        (lambda: SetBrand(""), InvalidValueError),
        (lambda: SetCategories("fiction"), InvalidTypeError),
        (lambda: SetMedia([Image("a.jpg"), "b.jpg"]), InvalidTypeError),
        (lambda: SetPrice(eur("10")), InvalidTypeError),
        (lambda: RemovePrice("EURO"), UnknownCurrencyError),
        (lambda: SetAvailability("sold"), InvalidValueError),
        (lambda: SetAvailability("preorder", dt.datetime(2026, 4, 1)), NaiveDateTimeError),  # noqa: DTZ001
        (lambda: SetStock("berlin", -1), InvalidValueError),
        (lambda: SetCondition("mint"), InvalidValueError),
        (lambda: SetEnabled("yes"), InvalidTypeError),
    ],
)
def test_changes_check_their_own_fields(build, error):
    with pytest.raises(error):
        build()


# ------------------------------------------------------------------ prices


def test_setting_a_price_appends_to_the_price_history():
    product = book(SetPrice(Price(eur("10"))))
    assert product.prices == (Price(eur("10")),)
    assert product.price_history == (PriceChange(AT, "EUR", None, Price(eur("10"))),)
    edit = edit_product(SCHEMA, product, [SetPrice(Price(eur("9")))], at=LATER)
    assert edit.product.prices == (Price(eur("9")),)
    assert edit.product.price_history[-1] == PriceChange(LATER, "EUR", None, Price(eur("9")))
    assert len(edit.product.price_history) == 2


def test_removing_a_price_is_recorded_in_the_history():
    product = book(SetPrice(Price(eur("10"))))
    edit = edit_product(SCHEMA, product, [RemovePrice("eur")], at=LATER)
    assert edit.product.prices == ()
    assert edit.product.price_history[-1] == PriceChange(LATER, "EUR", None, None)


def test_setting_the_same_price_again_changes_nothing():
    product = book(SetPrice(Price(eur("10"))))
    edit = edit_product(SCHEMA, product, [SetPrice(Price(eur("10.00")))], at=LATER)
    assert edit.product is product
    assert edit.event is None


def test_a_price_change_before_the_last_one_is_refused():
    product = book(SetPrice(Price(eur("10"))))
    with pytest.raises(InvalidValueError, match="before the last price change") as caught:
        edit_product(SCHEMA, product, [SetPrice(Price(eur("9")))], at=AT.subtract(seconds=1))
    assert caught.value.field == "at"
    same_moment = edit_product(SCHEMA, product, [SetPrice(Price(eur("9")))], at=AT)
    assert len(same_moment.product.price_history) == 2


def test_prices_per_channel_and_currency_live_side_by_side_and_sorted():
    product = book(
        SetPrice(Price(Money("45", "PLN"), channel="pl_shop")),
        SetPrice(Price(eur("10"))),
        SetPrice(Price(eur("9"), channel="web")),
    )
    assert [(p.channel, p.currency) for p in product.prices] == [
        (None, "EUR"),
        ("pl_shop", "PLN"),
        ("web", "EUR"),
    ]
    assert product.price("EUR", channel="web") == Price(eur("9"), channel="web")


def test_a_channel_price_must_be_in_a_currency_the_channel_sells_in():
    with pytest.raises(InvalidValueError, match="channel 'pl_shop' sells in PLN") as caught:
        book(SetPrice(Price(eur("10"), channel="pl_shop")))
    assert caught.value.value == "EUR"
    with pytest.raises(UnknownCodeError, match="unknown channel 'ebay'"):
        book(SetPrice(Price(eur("10"), channel="ebay")))
    with pytest.raises(InvalidValueError, match="sells in EUR"):
        edit_product(SCHEMA, book(), [RemovePrice("PLN", channel="web")], at=LATER)


# ------------------------------------------------------------------ versions and atomicity


def test_each_accepted_edit_bumps_the_version_once():
    product = book()
    first = edit_product(SCHEMA, product, [SetBrand("Ace"), SetMpn("M-1")], at=LATER)
    second = edit_product(SCHEMA, first.product, [SetBrand("Tor")], at=LATER)
    assert (first.product.version, second.product.version) == (2, 3)
    assert isinstance(second.event, ProductEdited)
    assert (second.event.sku, second.event.version, second.event.at) == ("BOOK-1", 3, LATER)


def test_an_edit_that_changes_nothing_returns_the_same_product_without_event():
    product = book(SetBrand("Ace"))
    edit = edit_product(SCHEMA, product, [SetBrand("Ace"), SetCategories([])], at=LATER)
    assert edit.product is product
    assert edit.event is None


def test_a_bad_change_in_the_middle_leaves_the_product_untouched():
    product = book(SetPrice(Price(eur("10"))), SetBrand("Ace"))
    before = attrs.evolve(product)
    with pytest.raises(InvalidValueError):
        edit_product(
            SCHEMA,
            product,
            [
                SetBrand("Tor"),
                SetPrice(Price(eur("8"))),
                SetValue("pages", "0"),  # below the minimum
                SetMpn("M-9"),
            ],
            at=LATER,
        )
    assert product == before
    assert product.brand == "Ace"
    assert len(product.price_history) == 1


def test_later_changes_see_the_earlier_ones_in_the_same_edit():
    product = book()
    edit = edit_product(
        SCHEMA, product, [SetBrand("Ace"), SetBrand("Tor"), SetBrand("Ace")], at=LATER
    )
    assert edit.product.brand == "Ace"
    assert edit.event is not None
    assert edit.event.changes == (SetBrand("Ace"), SetBrand("Tor"), SetBrand("Ace"))


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        (SetBrand("Ace"), "a list of changes"),
        (42, "a list of changes"),
        (["brand"], "a ProductChange"),
    ],
)
def test_changes_must_be_a_list_of_changes(changes, match):
    with pytest.raises(InvalidTypeError, match=match):
        edit_product(SCHEMA, book(), changes, at=LATER)


def test_edit_product_refuses_something_that_is_not_a_product():
    with pytest.raises(InvalidTypeError, match="Product"):
        edit_product(SCHEMA, "BOOK-1", [], at=LATER)  # type: ignore[arg-type]


# ------------------------------------------------------------------ categories and variants


def test_categories_are_checked_against_the_known_ones_when_given():
    known = {"fiction", "scifi"}
    with pytest.raises(UnknownCodeError, match="'poetry'") as caught:
        create_product(
            SCHEMA,
            sku="B-2",
            product_type="book",
            changes=[SetCategories(["fiction", "poetry"])],
            at=AT,
            categories=known,
        )
    assert caught.value.kind == "category"
    edit = edit_product(SCHEMA, book(), [SetCategories(["scifi"])], at=LATER, categories=known)
    assert edit.product.categories == ("scifi",)
    unchecked = edit_product(SCHEMA, book(), [SetCategories(["poetry"])], at=LATER)
    assert unchecked.product.categories == ("poetry",)


def test_a_categories_argument_that_is_not_a_container_is_a_typed_error():
    with pytest.raises(InvalidTypeError):
        edit_product(SCHEMA, book(), [SetCategories(["scifi"])], at=LATER, categories=5)  # type: ignore[arg-type]


def test_a_string_of_category_codes_is_not_taken_for_a_set_of_codes():
    with pytest.raises((InvalidTypeError, UnknownCodeError)):
        edit_product(SCHEMA, book(), [SetCategories(["sci"])], at=LATER, categories="scifi")


def test_a_variant_holds_its_level_attributes_but_not_the_group_ones():
    edit = create_product(
        SCHEMA,
        sku="TEE-RED-S",
        product_type="tshirt",
        group="tee",
        changes=[SetValue("color", "red"), SetValue("size", "S"), SetValue("image", "red.jpg")],
        at=AT,
    )
    assert edit.product.group == "tee"
    assert edit.event is not None
    assert edit.event.group == "tee"
    with pytest.raises(InvalidValueError, match="product group 'tee'") as caught:
        edit_product(SCHEMA, edit.product, [SetValue("title", "Tee", locale="en")], at=LATER)
    assert caught.value.value == "title"


def test_a_product_of_a_grouped_type_without_a_group_holds_every_attribute():
    edit = create_product(
        SCHEMA,
        sku="TEE-SOLO",
        product_type="tshirt",
        changes=[SetValue("title", "Tee", locale="en"), SetValue("color", "red")],
        at=AT,
    )
    assert edit.product.value("title", locale="en") == "Tee"


def test_a_group_for_a_type_without_variant_levels_is_refused():
    with pytest.raises(InvalidValueError) as caught:
        create_product(SCHEMA, sku="B-9", product_type="book", group="books", at=LATER)
    assert caught.value.field == "group"
