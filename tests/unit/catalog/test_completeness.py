"""Completeness against a product type's requirements: ratio, fallback, scopes, prices."""

from __future__ import annotations

import pytest

from ecomkit import Money
from ecomkit.catalog import (
    AttributeDef,
    CatalogSchema,
    Channel,
    Completeness,
    Missing,
    MissingReason,
    Product,
    ProductGroup,
    ProductType,
    Requirement,
    ValueKey,
    Values,
    completeness,
    completeness_matrix,
)
from ecomkit.errors import InvalidLocaleError, InvalidTypeError, InvalidValueError, UnknownCodeError
from ecomkit.serialization import from_json, to_json


def make_schema(requirements=("title", "subtitle", "ean")):
    return CatalogSchema(
        [
            AttributeDef("title", "text", localizable=True),
            AttributeDef("subtitle", "text", localizable=True),
            AttributeDef("ean", "identifier"),
            AttributeDef("teaser", "text", scopable=True),
            AttributeDef("msrp", "prices"),
            AttributeDef("notes", "long_text"),
        ],
        [
            ProductType(
                "book",
                ["title", "subtitle", "ean", "teaser", "msrp", "notes"],
                requirements=list(requirements),
                description_attribute=None,
            ),
            ProductType("poster", ["title", "notes"], description_attribute=None),
        ],
        [
            Channel("web", ["de_AT", "en", "fr"], ["EUR"]),
            Channel("swiss", ["de_CH", "fr_CH"], ["CHF", "EUR"]),
        ],
    )


def book(values):
    return Product("B-1", "book", values=Values(values))


def test_two_of_three_required_attributes_filled_is_66_percent():
    score = completeness(
        book({ValueKey("title", locale="en"): "Dune", ValueKey("ean"): "9780441013593"}),
        make_schema(),
        channel="web",
        locale="en",
    )
    assert (score.required, score.filled, score.percent) == (3, 2, 66)
    assert score.missing == (Missing("subtitle", MissingReason.MISSING),)
    assert not score.complete


@pytest.mark.parametrize(
    ("required", "filled", "percent"),
    [(3, 1, 33), (3, 2, 66), (3, 3, 100), (7, 6, 85), (5, 0, 0), (0, 0, 100)],
)
def test_the_percentage_is_floored_and_100_when_nothing_is_required(required, filled, percent):
    assert Completeness("web", "en", required, filled).percent == percent


def test_a_type_without_requirements_is_complete():
    score = completeness(Product("P-1", "poster"), make_schema(), channel="web", locale="fr")
    assert (score.required, score.percent, score.complete, score.missing) == (0, 100, True, ())


def test_a_regional_locale_falls_back_to_its_language():
    product = book({ValueKey("title", locale="de"): "Der Wüstenplanet"})
    schema = make_schema(["title"])
    assert completeness(product, schema, channel="web", locale="de_AT").complete
    assert completeness(product, schema, channel="swiss", locale="de_CH").complete


def test_french_does_not_fall_back_to_english():
    product = book({ValueKey("title", locale="en"): "Dune"})
    score = completeness(product, make_schema(["title"]), channel="web", locale="fr")
    assert score.percent == 0
    assert score.missing[0].field == "title"


def test_an_all_locales_value_fills_every_locale():
    product = book({ValueKey("title"): "Dune"})
    scores = completeness_matrix(product, make_schema(["title"]))
    assert {score.percent for score in scores} == {100}


def test_a_scopable_value_fills_its_channel_and_the_default_fills_the_others():
    schema = make_schema(["teaser"])
    only_web = book({ValueKey("teaser", "web"): "Sand and spice"})
    assert completeness(only_web, schema, channel="web", locale="en").complete
    assert not completeness(only_web, schema, channel="swiss", locale="fr_CH").complete
    default = book({ValueKey("teaser"): "Sand and spice"})
    assert completeness(default, schema, channel="swiss", locale="fr_CH").complete


def test_a_price_collection_needs_a_price_in_every_currency_of_the_channel():
    schema = make_schema(["msrp"])
    euros = book({ValueKey("msrp"): (Money("20", "EUR"),)})
    assert completeness(euros, schema, channel="web", locale="en").complete
    swiss = completeness(euros, schema, channel="swiss", locale="de_CH")
    assert swiss.missing == (Missing("msrp", MissingReason.MISSING_PRICE, "no price in CHF"),)
    both = book({ValueKey("msrp"): (Money("21", "CHF"), Money("20", "EUR"))})
    assert completeness(both, schema, channel="swiss", locale="de_CH").complete


def test_requirements_limited_to_channels_and_locales_count_only_there():
    schema = make_schema([Requirement("ean", ["swiss"]), Requirement("title", locales=["fr"])])
    empty = book({})
    assert completeness(empty, schema, channel="web", locale="en").required == 0
    assert completeness(empty, schema, channel="web", locale="fr").required == 1
    assert completeness(empty, schema, channel="swiss", locale="fr_CH").required == 1


def test_a_variant_is_scored_with_its_groups_values_under_its_own():
    schema = make_schema(["title", "ean"])
    variant = Product("B-1-HC", "book", group="B-1", values=Values({ValueKey("ean"): "97804"}))
    group = ProductGroup("B-1", "book", values=Values({ValueKey("title"): "Dune"}))
    alone = completeness(variant, schema, channel="web", locale="en")
    assert alone.percent == 50
    assert completeness(variant, schema, channel="web", locale="en", group=group).complete
    assert completeness(variant, schema, channel="web", locale="en", group=group.values).complete


def test_the_matrix_has_every_channel_and_locale_in_schema_order():
    scores = completeness_matrix(book({ValueKey("title", locale="fr"): "Dune"}), make_schema())
    assert [(score.channel, score.locale) for score in scores] == [
        ("web", "de_AT"),
        ("web", "en"),
        ("web", "fr"),
        ("swiss", "de_CH"),
        ("swiss", "fr_CH"),
    ]
    assert [score.percent for score in scores] == [0, 0, 33, 0, 33]


def test_a_changed_schema_is_scored_by_its_own_requirements():
    product = book({ValueKey("title", locale="en"): "Dune"})
    assert completeness(product, make_schema(), channel="web", locale="en").required == 3
    assert completeness(product, make_schema(["title"]), channel="web", locale="en").complete


def test_the_locale_is_normalized_before_it_is_checked():
    product = book({ValueKey("title", locale="de"): "Dune"})
    score = completeness(product, make_schema(["title"]), channel="web", locale="de-at")
    assert (score.locale, score.complete) == ("de_AT", True)


def test_an_unknown_channel_is_refused():
    with pytest.raises(UnknownCodeError, match="unknown channel 'shop'"):
        completeness(book({}), make_schema(), channel="shop", locale="en")


def test_a_locale_the_channel_does_not_have_is_refused():
    with pytest.raises(InvalidValueError, match="not a locale of channel 'swiss'") as error:
        completeness(book({}), make_schema(), channel="swiss", locale="en")
    assert error.value.field == "locale"
    with pytest.raises(InvalidLocaleError):
        completeness(book({}), make_schema(), channel="web", locale="xx_!!")
    with pytest.raises(InvalidTypeError):
        completeness(book({}), make_schema(), channel="web", locale=None)


def test_an_unknown_product_type_is_refused():
    with pytest.raises(UnknownCodeError, match="unknown product type 'lamp'"):
        completeness(Product("L-1", "lamp"), make_schema(), channel="web", locale="en")


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"product": "B-1"}, "product"),
        ({"schema": {}}, "schema"),
        ({"group": "B-1"}, "group"),
        ({"profile": "google"}, "profile"),
        ({"field_map": {}}, "field_map"),
        ({"channel": ["web"]}, "channel"),
        ({"locale": ["en"]}, "locale"),
    ],
)
def test_arguments_of_the_wrong_type_are_refused(arguments, field):
    call = {"product": book({}), "schema": make_schema(), "channel": "web", "locale": "en"}
    call.update(arguments)
    product, schema = call.pop("product"), call.pop("schema")
    with pytest.raises(InvalidTypeError) as error:
        completeness(product, schema, **call)
    assert error.value.field == field


def test_the_matrix_refuses_a_schema_of_the_wrong_type():
    with pytest.raises(InvalidTypeError):
        completeness_matrix(book({}), "schema")


def test_a_completeness_round_trips_through_json():
    score = completeness(book({}), make_schema(["msrp", "title"]), channel="swiss", locale="fr_CH")
    assert from_json(to_json(score), Completeness) == score
    assert score.missing[0].reason is MissingReason.MISSING
