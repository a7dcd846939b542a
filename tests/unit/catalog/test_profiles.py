"""Channel profiles as data: rules, conditions, field maps, and scoring a product by them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecomkit import Money
from ecomkit.catalog import (
    DEFAULT_FIELD_MAP,
    AllOf,
    AnyOf,
    AttributeDef,
    BuiltinSource,
    CatalogSchema,
    Category,
    CategoryTree,
    Channel,
    ChannelProfile,
    CountryIn,
    FieldFilled,
    FieldIn,
    FieldLevel,
    FieldMap,
    FieldRule,
    FieldSource,
    HasGroup,
    Image,
    InCategory,
    Missing,
    MissingReason,
    Not,
    Option,
    Price,
    Product,
    ProductType,
    ValueKey,
    Values,
    completeness,
)
from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.serialization import from_json, to_json


SCHEMA = CatalogSchema(
    [
        AttributeDef("name", "text", localizable=True),
        AttributeDef("blurb", "long_text", localizable=True),
        AttributeDef("url", "media"),
        AttributeDef(
            "color",
            "single_select",
            options=[Option("navy", {"en": "Navy blue", "de": "Marineblau"}), "red"],
        ),
        AttributeDef("fabric", "multi_select", options=["cotton", "linen", "silk"]),
        AttributeDef("headline", "text", scopable=True),
        AttributeDef("list_price", "prices"),
    ],
    [
        ProductType(
            "shirt",
            ["name", "blurb", "url", "color", "fabric", "headline", "list_price"],
            title_attribute="name",
            description_attribute="blurb",
        )
    ],
    [
        Channel("market_de", ["de", "en"], ["EUR", "USD"], country="DE"),
        Channel("market_ca", ["en"], ["CAD"], country="CA"),
        Channel("market_uk", ["en"], ["GBP"], country="UK"),
    ],
)


def shirt(**fields):
    values = fields.pop("values", {ValueKey("name", locale="en"): "Oxford shirt"})
    return Product("SH-1", "shirt", values=Values(values), **fields)


def score(product, profile, *, channel="market_de", locale="en", **options):
    return completeness(product, SCHEMA, channel=channel, locale=locale, profile=profile, **options)


def profile_of(*rules):
    return ChannelProfile("market", rules)


# ---------------------------------------------------------------------------- the data


def test_a_conditional_rule_needs_a_condition_and_only_it_has_one():
    with pytest.raises(InvalidValueError, match="conditional rule needs a condition"):
        FieldRule("brand", level="conditional")
    with pytest.raises(InvalidValueError, match="conditional rule needs a condition"):
        FieldRule("brand", level="required", when=HasGroup())


def test_alternatives_belong_to_requirements_and_never_name_the_field_itself():
    with pytest.raises(InvalidValueError, match="only a required or conditional rule"):
        FieldRule("gtin", alternatives=["mpn"])
    with pytest.raises(InvalidValueError, match="not its own alternative"):
        FieldRule("gtin", level="required", alternatives=["gtin"])


@pytest.mark.parametrize(
    ("options", "error", "field"),
    [
        ({"level": "sometimes"}, InvalidValueError, "level"),
        ({"max_length": 0}, InvalidValueError, "max_length"),
        ({"max_items": "3"}, InvalidTypeError, "max_items"),
        ({"allowed": "yes"}, InvalidTypeError, "allowed"),
        ({"allowed": ["yes", ""]}, InvalidValueError, "allowed"),
        ({"checks": ["spelling"]}, InvalidValueError, "checks"),
        ({"minimum": 1.5}, InvalidTypeError, "minimum/maximum"),
        ({"minimum": "5", "maximum": "1"}, InvalidValueError, "maximum"),
        ({"when": "always"}, InvalidTypeError, "condition"),
        ({"hint": "   "}, InvalidValueError, "hint"),
    ],
)
def test_a_broken_rule_is_refused_naming_the_field(options, error, field):
    with pytest.raises(error) as raised:
        FieldRule("title", **options)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: FieldIn("availability", []), InvalidValueError),
        (lambda: FieldIn("availability", "preorder"), InvalidTypeError),
        (lambda: FieldFilled("no spaces allowed"), InvalidValueError),
        (lambda: CountryIn(["USA"]), InvalidValueError),
        (lambda: CountryIn([49]), InvalidTypeError),
        (lambda: InCategory([]), InvalidValueError),
        (lambda: AllOf([]), InvalidValueError),
        (lambda: AnyOf(["x"]), InvalidTypeError),
        (lambda: Not(None), InvalidTypeError),
    ],
)
def test_a_broken_condition_is_refused(build, error):
    with pytest.raises(error):
        build()


def test_uk_is_read_as_gb_and_country_codes_are_upper_cased():
    assert CountryIn(["uk", "us", "GB"]).countries == ("GB", "US")


def test_a_profile_extends_with_rules_and_profiles_and_drops_fields():
    base = profile_of(FieldRule("title", level="required", max_length=80))
    more = ChannelProfile("extra", [FieldRule("brand", level="required")])
    extended = base.extended(more, FieldRule("mpn"), name="market_plus")
    assert extended.name == "market_plus"
    assert extended.field_names == ("title", "brand", "mpn")
    assert extended.without("title", "mpn").field_names == ("brand",)
    assert base.field_names == ("title",)
    with pytest.raises(InvalidTypeError):
        base.extended("brand")


def test_a_profile_is_refused_with_a_bad_name_or_rules():
    with pytest.raises(InvalidValueError):
        ChannelProfile("my market", [])
    with pytest.raises(InvalidTypeError):
        ChannelProfile("market", ["title"])
    with pytest.raises(InvalidTypeError):
        ChannelProfile("market", [], description=None)


def test_a_field_source_is_a_builtin_or_an_attribute_never_both():
    with pytest.raises(InvalidValueError, match="not both"):
        FieldSource("title", builtin="title", attribute="name")
    with pytest.raises(InvalidValueError, match="not both"):
        FieldSource("title")
    with pytest.raises(InvalidValueError, match="labels are for attribute sources"):
        FieldSource("title", builtin="title", labels=True)
    with pytest.raises(InvalidValueError, match="not a BuiltinSource"):
        FieldSource("title", builtin="headline")


def test_a_field_map_maps_each_field_once_and_replaces_by_field():
    with pytest.raises(InvalidValueError, match="mapped twice"):
        FieldMap([FieldSource("id", builtin="sku"), FieldSource("id", attribute="url")])
    custom = DEFAULT_FIELD_MAP.with_sources(FieldSource("id", attribute="url"))
    assert custom.source_for("id") == FieldSource("id", attribute="url")
    assert DEFAULT_FIELD_MAP.source_for("id").builtin is BuiltinSource.SKU
    assert custom.source_for("color") is None


# ---------------------------------------------------------------------------- scoring


def test_required_fields_count_and_a_value_over_the_limit_is_missing():
    profile = profile_of(
        FieldRule("title", level="required", max_length=10),
        FieldRule("image_link", level="required"),
        FieldRule("price", level="required"),
    )
    result = score(shirt(prices=[Price(Money("30", "EUR"))]), profile)
    assert (result.required, result.filled, result.percent, result.profile) == (3, 1, 33, "market")
    assert result.missing == (
        Missing("title", MissingReason.TOO_LONG, "12 characters, at most 10", "Oxford shirt"),
        Missing("image_link", MissingReason.MISSING),
    )


def test_an_optional_value_that_breaks_a_check_is_invalid_without_changing_the_ratio():
    profile = profile_of(FieldRule("title", level="required"), FieldRule("mpn", max_length=4))
    result = score(shirt(mpn="ABCDEFG"), profile)
    assert (result.percent, result.complete, result.missing) == (100, False, ())
    assert result.invalid == (
        Missing("mpn", MissingReason.TOO_LONG, "7 characters, at most 4", "ABCDEFG"),
    )


def test_every_rule_of_a_field_is_checked_before_it_counts_as_filled():
    profile = profile_of(
        FieldRule("brand", level="required"),
        FieldRule("brand", checks=["not_placeholder"]),
    )
    assert score(shirt(brand="Acme"), profile).complete
    result = score(shirt(brand="Generic"), profile)
    assert [item.reason for item in result.missing] == [MissingReason.PLACEHOLDER]
    assert result.invalid == ()


def test_a_conditional_rule_counts_only_when_its_condition_holds():
    profile = profile_of(
        FieldRule(
            "availability_date",
            level="conditional",
            when=FieldIn("availability", ["preorder", "backorder"]),
        )
    )
    assert score(shirt(availability="in_stock"), profile).required == 0
    result = score(shirt(availability="preorder"), profile)
    assert (result.required, result.filled) == (1, 0)


def test_an_alternative_field_fills_the_requirement():
    rule = FieldRule("gtin", level="required", alternatives=["mpn"], hint="give a GTIN or MPN")
    profile = profile_of(rule)
    assert score(shirt(mpn="OX-1"), profile).complete
    assert score(shirt(), profile).missing == (
        Missing("gtin", MissingReason.MISSING, "give a GTIN or MPN"),
    )
    bare = profile_of(FieldRule("gtin", level="required", alternatives=["mpn", "brand"]))
    assert score(shirt(), bare).missing[0].detail == "or give one of mpn, brand"


@pytest.mark.parametrize(
    ("condition", "channel", "holds"),
    [
        (CountryIn(["DE", "FR"]), "market_de", True),
        (CountryIn(["DE", "FR"]), "market_ca", False),
        (CountryIn(["GB"]), "market_uk", True),
        (FieldFilled("mpn"), "market_de", True),
        (FieldFilled("gtin"), "market_de", False),
        (Not(FieldFilled("gtin")), "market_de", True),
        (AllOf([FieldFilled("mpn"), CountryIn(["CA"])]), "market_de", False),
        (AnyOf([FieldFilled("gtin"), CountryIn(["DE"])]), "market_de", True),
        (FieldIn("condition", ["new"]), "market_de", True),
        (HasGroup(), "market_de", False),
    ],
)
def test_conditions_read_the_products_fields_and_the_channels_country(condition, channel, holds):
    profile = profile_of(FieldRule("brand", level="conditional", when=condition))
    result = score(shirt(mpn="OX-1"), profile, channel=channel)
    assert result.required == (1 if holds else 0)


def test_a_category_condition_looks_below_the_category_given_a_tree():
    profile = profile_of(
        FieldRule("brand", level="conditional", when=InCategory(["apparel", "shoes"]))
    )
    tree = CategoryTree([Category("apparel"), Category("shirts", parent="apparel")])
    assert score(shirt(categories=["apparel"]), profile).required == 1
    assert score(shirt(categories=["shirts"]), profile).required == 0
    assert score(shirt(categories=["shirts"]), profile, categories=tree).required == 1
    assert score(shirt(categories=["mugs"]), profile, categories=tree).required == 0


def test_a_variant_is_a_product_with_a_group_or_one_scored_with_its_group():
    profile = profile_of(FieldRule("item_group_id", level="conditional", when=HasGroup()))
    assert score(Product("SH-1-M", "shirt", group="SH-1"), profile).complete
    lone = score(shirt(), profile, group=Values({}))
    assert lone.missing == (Missing("item_group_id", MissingReason.MISSING),)


def test_a_list_field_is_checked_item_by_item_and_by_count():
    images = [Image(f"https://img.test/{number}.jpg") for number in range(5)]
    profile = profile_of(FieldRule("additional_image_link", max_items=3, checks=["url"]))
    result = score(shirt(media=images), profile)
    assert result.invalid[0].reason is MissingReason.TOO_MANY
    assert result.invalid[0].detail == "4 items, at most 3"
    profile = profile_of(FieldRule("additional_image_link", checks=["url"]))
    bad = [images[0], Image("img.test/1.jpg")]
    assert score(shirt(media=bad), profile).invalid == (
        Missing(
            "additional_image_link",
            MissingReason.NOT_URL,
            "needs an http or https URL",
            "img.test/1.jpg",
        ),
    )


def test_numbers_are_checked_against_the_bounds_and_zero():
    profile = profile_of(FieldRule("price", level="required", minimum="1", checks=["not_zero"]))
    low = score(shirt(prices=[Price(Money("0.50", "EUR"))]), profile)
    assert low.missing[0].reason is MissingReason.BELOW_MINIMUM
    zero = profile_of(FieldRule("price", level="required", checks=["not_zero"]))
    assert score(shirt(prices=[Price(Money("0", "EUR"))]), zero).missing[0].reason == "zero"
    high = profile_of(FieldRule("price", level="required", maximum="10"))
    assert score(shirt(prices=[Price(Money("30", "EUR"))]), high).missing[0].detail == "at most 10"
    words = profile_of(FieldRule("title", level="required", minimum="1"))
    assert score(shirt(), words).missing[0].reason is MissingReason.NOT_A_NUMBER


def test_allowed_values_are_compared_as_the_channel_reads_them():
    profile = profile_of(FieldRule("condition", allowed=["new", "used"]))
    assert score(shirt(condition="refurbished"), profile).invalid[0].detail == "one of new, used"
    assert score(shirt(condition="used"), profile).complete


# ---------------------------------------------------------------------------- field maps


def test_unmapped_fields_come_from_the_same_named_attribute():
    profile = profile_of(FieldRule("color", level="required", allowed=["navy"]))
    product = shirt(values={ValueKey("color"): "navy"})
    assert score(product, profile).complete
    assert not score(shirt(), profile).complete


def test_a_mapped_attribute_can_give_option_labels_in_the_locale():
    profile = profile_of(FieldRule("color", level="required", allowed=["Marineblau"]))
    labels = DEFAULT_FIELD_MAP.with_sources(FieldSource("color", attribute="color", labels=True))
    product = shirt(values={ValueKey("color"): "navy"})
    assert score(product, profile, locale="de", field_map=labels).complete
    assert score(product, profile, locale="en", field_map=labels).invalid == ()
    assert score(product, profile, locale="en", field_map=labels).missing[0].value == "Navy blue"


def test_a_multi_select_is_read_as_options_joined_by_slashes():
    profile = profile_of(FieldRule("material", level="required", allowed=["cotton/linen"]))
    fabric = DEFAULT_FIELD_MAP.with_sources(FieldSource("material", attribute="fabric"))
    product = shirt(values={ValueKey("fabric"): ("cotton", "linen")})
    assert score(product, profile, field_map=fabric).complete


def test_title_and_description_come_from_the_types_attributes_in_the_locale():
    profile = profile_of(
        FieldRule("title", level="required"), FieldRule("description", level="required")
    )
    product = shirt(
        values={ValueKey("name", locale="de"): "Hemd", ValueKey("blurb", locale="de"): "Baumwolle"}
    )
    assert score(product, profile, locale="de").complete
    assert score(product, profile, locale="en").percent == 0


def test_a_scopable_attribute_and_a_price_are_read_for_the_channel():
    profile = profile_of(
        FieldRule("headline", level="required"), FieldRule("price", level="required", minimum=20)
    )
    product = shirt(
        values={ValueKey("headline", "market_de"): "Crisp"},
        prices=[Price(Money("15", "EUR")), Price(Money("25", "EUR"), channel="market_de")],
    )
    assert score(product, profile, channel="market_de").complete
    assert score(product, profile, channel="market_ca").percent == 0


def test_a_price_collection_attribute_is_read_in_the_channels_first_currency():
    profile = profile_of(FieldRule("list", level="required", minimum="10"))
    prices = DEFAULT_FIELD_MAP.with_sources(FieldSource("list", attribute="list_price"))
    product = shirt(values={ValueKey("list_price"): (Money("9", "EUR"), Money("12", "USD"))})
    result = score(product, profile, field_map=prices)
    assert result.missing == (
        Missing("list", MissingReason.BELOW_MINIMUM, "at least 10", "9.00 EUR"),
    )
    assert score(product, profile, channel="market_ca", field_map=prices).missing[0].reason == (
        "missing"
    )


def test_a_field_mapped_to_an_attribute_the_type_lacks_is_empty():
    profile = profile_of(FieldRule("link", level="required"))
    elsewhere = DEFAULT_FIELD_MAP.with_sources(FieldSource("link", attribute="landing_page"))
    assert score(shirt(), profile, field_map=elsewhere).missing[0].field == "link"


# ---------------------------------------------------------------------------- serialization


def test_a_profile_without_conditions_round_trips_through_json():
    profile = profile_of(
        FieldRule("title", level="required", max_length=80, hint="name the product"),
        FieldRule("price", level=FieldLevel.REQUIRED, minimum=Decimal("0.01")),
        FieldRule("gtin", level="required", alternatives=["mpn"], checks=["gtin"]),
        FieldRule("gender", allowed=["male", "female", "unisex"]),
    )
    assert from_json(to_json(profile), ChannelProfile) == profile


def test_a_field_map_round_trips_through_json():
    custom = DEFAULT_FIELD_MAP.with_sources(FieldSource("color", attribute="color", labels=True))
    assert from_json(to_json(custom), FieldMap) == custom


def test_a_profile_with_conditions_round_trips_through_json():
    profile = profile_of(
        FieldRule(
            "gtin",
            level="conditional",
            when=AllOf(
                [
                    FieldIn("condition", ["new"]),
                    Not(FieldIn("identifier_exists", ["no"])),
                    AnyOf([CountryIn(["US"]), InCategory(["apparel"]), HasGroup()]),
                    FieldFilled("brand"),
                ]
            ),
        )
    )
    assert from_json(to_json(profile), ChannelProfile) == profile
