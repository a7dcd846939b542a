"""Channels, requirements, variant levels, product types and the schema's cross checks."""

from __future__ import annotations

import pytest

from ecomkit.catalog import (
    AttributeDef,
    CatalogSchema,
    Channel,
    ProductType,
    Requirement,
    VariantLevel,
)
from ecomkit.errors import (
    InvalidLocaleError,
    InvalidTypeError,
    InvalidValueError,
    UnknownCodeError,
    UnknownCurrencyError,
)


def attributes():
    return [
        AttributeDef("title", "text", localizable=True),
        AttributeDef("description", "long_text", localizable=True, scopable=True),
        AttributeDef("color", "single_select", options=["red", "blue"]),
        AttributeDef("size", "single_select", options=["S", "M"]),
        AttributeDef("image", "media"),
        AttributeDef("ean", "identifier", unique=True),
        AttributeDef("weight", "metric", unit_family="weight", default_unit="kg"),
        AttributeDef("organic", "boolean"),
        AttributeDef("tags", "multi_select", options=["new", "sale"]),
        AttributeDef("local_color", "single_select", options=["red"], localizable=True),
        AttributeDef("web_color", "single_select", options=["red"], scopable=True),
        AttributeDef("launch", "date"),
    ]


CHANNELS = [
    Channel("web", ["en", "de"], ["EUR", "CHF"]),
    Channel("amazon_fr", ["fr"], ["EUR"], country="FR"),
]
TSHIRT_ATTRIBUTES = ["title", "description", "color", "size", "image", "ean"]


def build(*types, channels=CHANNELS):
    return CatalogSchema(attributes(), list(types), channels)


def tshirt(**kwargs):
    return ProductType("tshirt", kwargs.pop("attributes", TSHIRT_ATTRIBUTES), **kwargs)


# ------------------------------------------------------------------ channels


def test_a_channel_normalizes_its_locales_and_currencies():
    channel = Channel("web", ["en-gb", "de_AT"], ["eur"])
    assert channel.locales == ("en_GB", "de_AT")
    assert channel.currencies == ("EUR",)
    assert channel.country is None


def test_a_channel_may_target_a_country():
    assert Channel("google_de", ["de"], ["EUR"], country="de").country == "DE"


@pytest.mark.parametrize(
    ("locales", "currencies", "error", "field"),
    [
        ([], ["EUR"], InvalidValueError, "locales"),
        (["en"], [], InvalidValueError, "currencies"),
        (["en", "en"], ["EUR"], InvalidValueError, "locales"),
        (["en"], ["EUR", "eur"], InvalidValueError, "currencies"),
        ("en", ["EUR"], InvalidTypeError, "locales"),
        (["en"], "EUR", InvalidTypeError, "currencies"),
        (["xx_not_a_locale"], ["EUR"], InvalidLocaleError, None),
    ],
)
def test_a_channel_refuses_bad_locales_and_currencies(locales, currencies, error, field):
    with pytest.raises(error) as caught:
        Channel("web", locales, currencies)
    if field is not None:
        assert caught.value.field == field


def test_a_channel_refuses_an_unknown_currency_and_a_bad_code():
    with pytest.raises(UnknownCurrencyError):
        Channel("web", ["en"], ["EUX"])
    with pytest.raises(InvalidValueError, match="not a code"):
        Channel("web shop", ["en"], ["EUR"])


# ------------------------------------------------------------------ requirements and levels


def test_a_requirement_without_channels_or_locales_applies_everywhere():
    requirement = Requirement("title")
    assert requirement.applies_to("web", "en")
    assert requirement.applies_to("amazon_fr", "fr")


def test_a_requirement_applies_only_to_its_channels_and_locales():
    requirement = Requirement("title", ["web"], locales=["de"])
    assert requirement.applies_to("web", "de")
    assert not requirement.applies_to("web", "en")
    assert not requirement.applies_to("amazon_fr", "de")


def test_a_requirement_refuses_a_channel_listed_twice_and_a_bare_string():
    with pytest.raises(InvalidValueError, match="listed twice") as caught:
        Requirement("title", ["web", "web"])
    assert caught.value.value == "web"
    with pytest.raises(InvalidTypeError, match="a list of codes"):
        Requirement("title", "web")


def test_a_variant_level_needs_one_to_five_axes():
    with pytest.raises(InvalidValueError, match="1 to 5 axes"):
        VariantLevel([])
    with pytest.raises(InvalidValueError, match="1 to 5 axes"):
        VariantLevel(["a", "b", "c", "d", "e", "f"])
    assert VariantLevel(["a", "b", "c", "d", "e"]).axes == ("a", "b", "c", "d", "e")


def test_a_variant_level_attribute_cannot_also_be_an_axis():
    with pytest.raises(InvalidValueError, match="already an axis") as caught:
        VariantLevel(["color"], ["image", "color"])
    assert caught.value.value == "color"


# ------------------------------------------------------------------ product types


def test_a_product_type_reads_its_requirements_per_channel_and_locale():
    kind = tshirt(
        requirements=[
            "title",
            Requirement("description", ["web"], locales=["de"]),
            Requirement("image", ["amazon_fr"]),
            Requirement("title", ["web"]),  # listed again: reported once
        ]
    )
    assert kind.required("web", "de") == ("title", "description")
    assert kind.required("web", "en") == ("title",)
    assert kind.required("amazon_fr", "fr") == ("title", "image")


def test_a_product_type_knows_the_level_of_each_attribute():
    kind = tshirt(
        variant_levels=[VariantLevel(["color"], ["image"]), VariantLevel(["size"], ["ean"])]
    )
    assert [kind.level_of(code) for code in ("title", "color", "image", "size", "ean")] == [
        0,
        1,
        1,
        2,
        2,
    ]
    assert kind.axes == ("color", "size")
    assert kind.level_of("not_in_the_type") == 0


def test_a_type_without_levels_has_no_axes_and_everything_on_level_zero():
    kind = tshirt()
    assert kind.axes == ()
    assert kind.level_of("color") == 0


def test_a_product_type_has_at_most_two_variant_levels():
    levels = [VariantLevel(["color"]), VariantLevel(["size"]), VariantLevel(["organic"])]
    with pytest.raises(InvalidValueError, match="at most 2 variant levels"):
        tshirt(variant_levels=levels)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"attributes": "title"}, "a list of codes"),
        ({"attributes": ["title", "title"]}, "listed twice"),
        ({"requirements": [42]}, "Requirement or an attribute code"),
        ({"requirements": "title"}, "Requirement or codes"),
        ({"variant_levels": [["color"]]}, "VariantLevel"),
    ],
)
def test_a_product_type_refuses_malformed_parts(kwargs, match):
    with pytest.raises((InvalidTypeError, InvalidValueError), match=match):
        tshirt(**kwargs)


# ------------------------------------------------------------------ schema cross checks


def test_a_consistent_schema_is_built_and_looked_up_by_code():
    kind = tshirt(
        requirements=["title", Requirement("description", ["web"], locales=["en", "de"])],
        variant_levels=[VariantLevel(["color"], ["image"]), VariantLevel(["size"])],
    )
    schema = build(kind)
    assert schema.product_type("tshirt") is kind
    assert schema.attribute("color").type == "single_select"
    assert schema.channel("amazon_fr").country == "FR"
    assert list(schema.channels) == ["web", "amazon_fr"]


def test_a_schema_accepts_a_mapping_of_definitions():
    by_code = {definition.code: definition for definition in attributes()}
    schema = CatalogSchema(by_code, {"tshirt": tshirt()}, {c.code: c for c in CHANNELS})
    assert schema == build(tshirt())


@pytest.mark.parametrize(
    ("method", "kind"),
    [("attribute", "attribute"), ("product_type", "product type"), ("channel", "channel")],
)
def test_looking_up_an_unknown_code_names_it_and_what_exists(method, kind):
    schema = build(tshirt())
    with pytest.raises(UnknownCodeError) as caught:
        getattr(schema, method)("nope")
    error = caught.value
    assert (error.kind, error.code) == (kind, "nope")
    assert error.known
    assert isinstance(error, LookupError)


def test_looking_up_something_that_is_not_a_string_is_an_unknown_code():
    with pytest.raises(UnknownCodeError):
        build(tshirt()).attribute(42)


def test_a_type_naming_an_unknown_attribute_is_refused():
    with pytest.raises(UnknownCodeError, match="'colour'") as caught:
        build(tshirt(attributes=[*TSHIRT_ATTRIBUTES, "colour"]))
    assert caught.value.field == "tshirt.attributes"


def test_the_title_attribute_must_belong_to_the_type():
    with pytest.raises(UnknownCodeError, match="title_attribute"):
        build(tshirt(attributes=["description", "color"]))
    with pytest.raises(UnknownCodeError, match="description_attribute"):
        build(tshirt(attributes=["title", "color"]))
    kind = tshirt(attributes=["title", "color"], description_attribute=None)
    assert build(kind).product_type("tshirt").description_attribute is None


def test_a_requirement_of_an_attribute_outside_the_type_is_refused():
    with pytest.raises(UnknownCodeError, match="'weight'") as caught:
        build(tshirt(requirements=["weight"]))
    assert caught.value.field == "tshirt.requirements"


def test_a_requirement_naming_an_unknown_channel_is_refused():
    with pytest.raises(UnknownCodeError, match="unknown channel 'ebay'"):
        build(tshirt(requirements=[Requirement("title", ["ebay"])]))


def test_requirement_locales_must_be_offered_by_its_channels():
    with pytest.raises(InvalidValueError, match="not a locale of the requirement's channels"):
        build(tshirt(requirements=[Requirement("title", ["amazon_fr"], locales=["de"])]))
    # Without channels, any channel's locale will do.
    build(tshirt(requirements=[Requirement("title", locales=["fr", "de"])]))


def test_requirement_locales_need_a_localizable_attribute():
    with pytest.raises(InvalidValueError, match="not localizable") as caught:
        build(tshirt(requirements=[Requirement("image", locales=["en"])]))
    assert caught.value.value == "image"


def test_a_level_naming_an_attribute_outside_the_type_is_refused():
    with pytest.raises(UnknownCodeError, match="'weight'") as caught:
        build(tshirt(variant_levels=[VariantLevel(["color"], ["weight"])]))
    assert caught.value.field == "tshirt.variant_levels"


def test_an_attribute_on_two_levels_is_refused():
    levels = [VariantLevel(["color"], ["image"]), VariantLevel(["size"], ["image"])]
    with pytest.raises(InvalidValueError, match="two variant levels") as caught:
        build(tshirt(variant_levels=levels))
    assert caught.value.value == "image"


@pytest.mark.parametrize("axis", ["color", "organic", "weight"])
def test_select_boolean_and_metric_attributes_may_be_axes(axis):
    kind = tshirt(
        attributes=[*TSHIRT_ATTRIBUTES, "organic", "weight"],
        variant_levels=[VariantLevel([axis])],
    )
    assert build(kind).product_type("tshirt").axes == (axis,)


@pytest.mark.parametrize(
    ("axis", "match"),
    [
        ("title", "a text attribute cannot be an axis"),
        ("tags", "a multi_select attribute cannot be an axis"),
        ("launch", "a date attribute cannot be an axis"),
        ("ean", "cannot be an axis"),
        ("local_color", "may not be localizable, scopable or unique"),
        ("web_color", "may not be localizable, scopable or unique"),
    ],
)
def test_axes_follow_the_axis_rules(axis, match):
    kind = tshirt(
        attributes=[*TSHIRT_ATTRIBUTES, "tags", "launch", "local_color", "web_color"],
        variant_levels=[VariantLevel([axis])],
    )
    with pytest.raises(InvalidValueError, match=match) as caught:
        build(kind)
    assert caught.value.value == axis


def test_a_unique_select_attribute_cannot_be_an_axis():
    unique_size = AttributeDef("size", "single_select", options=["S"], unique=True)
    others = [d for d in attributes() if d.code != "size"]
    kind = tshirt(variant_levels=[VariantLevel(["size"])])
    with pytest.raises(InvalidValueError, match="unique"):
        CatalogSchema([*others, unique_size], [kind], CHANNELS)


@pytest.mark.parametrize(
    ("argument", "value", "match"),
    [
        ("attributes", [AttributeDef("a", "text"), AttributeDef("a", "text")], "declared twice"),
        ("attributes", ["title"], "AttributeDef"),
        ("product_types", "tshirt", "a list of ProductType"),
        ("channels", [Channel("web", ["en"], ["EUR"])] * 2, "declared twice"),
    ],
)
def test_a_schema_refuses_malformed_collections(argument, value, match):
    parts = {"attributes": attributes(), "product_types": [], "channels": CHANNELS}
    parts[argument] = value
    with pytest.raises((InvalidTypeError, InvalidValueError), match=match):
        CatalogSchema(**parts)


def test_schemas_compare_by_content():
    assert build(tshirt()) == build(tshirt())
    assert build(tshirt()) != build(tshirt(requirements=["title"]))
    assert hash(build(tshirt())) == hash(build(tshirt()))
