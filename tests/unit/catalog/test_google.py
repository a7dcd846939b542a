"""The built-in Google Merchant Center profiles, scored against realistic products."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from ecomkit import Money
from ecomkit.catalog import (
    APPAREL_COUNTRIES,
    DEFAULT_FIELD_MAP,
    GOOGLE_MERCHANT_APPAREL,
    GOOGLE_MERCHANT_BASE,
    GOOGLE_MERCHANT_PROFILES,
    AttributeDef,
    CatalogSchema,
    Channel,
    ChannelProfile,
    FieldLevel,
    FieldSource,
    Gtin,
    Image,
    Missing,
    MissingReason,
    Price,
    Product,
    ProductGroup,
    ProductType,
    ValueKey,
    Values,
    VariantLevel,
    completeness,
    google_merchant_profile,
)
from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.serialization import from_json, to_json


SCHEMA = CatalogSchema(
    [
        AttributeDef("title", "text", localizable=True),
        AttributeDef("description", "long_text", localizable=True),
        AttributeDef("link", "media"),
        AttributeDef("color", "text"),
        AttributeDef("size", "single_select", options=["S", "M", "L"]),
        AttributeDef("gender", "single_select", options=["male", "female", "unisex"]),
        AttributeDef("age_group", "single_select", options=["adult", "kids"]),
        AttributeDef("identifier_exists", "boolean"),
        AttributeDef("ean", "text"),
    ],
    [
        ProductType(
            "tee",
            [
                *("title", "description", "link", "color", "size", "gender", "age_group"),
                *("identifier_exists", "ean"),
            ],
            variant_levels=[VariantLevel(["size"])],
        )
    ],
    [
        Channel("google_us", ["en_US"], ["USD"], country="US"),
        Channel("google_ca", ["en_CA"], ["CAD"], country="CA"),
        Channel("google_uk", ["en_GB"], ["GBP"], country="UK"),
        Channel("google_any", ["en"], ["USD"]),
    ],
)
FULL = google_merchant_profile()
APPAREL = google_merchant_profile(apparel=True)
CURRENCIES = ("USD", "CAD", "GBP")


def tee(**changes):
    values = {
        ValueKey("title", locale="en"): "Organic cotton tee",
        ValueKey("description", locale="en"): "A soft tee in organic cotton.",
        ValueKey("link"): "https://shop.test/tee",
        ValueKey("color"): "Navy",
        ValueKey("size"): "M",
        ValueKey("gender"): "unisex",
        ValueKey("age_group"): "adult",
    }
    values.update(changes.pop("values", {}))
    fields = {
        "values": Values({key: value for key, value in values.items() if value is not None}),
        "brand": "Acme",
        "gtin": "4006381333931",
        "prices": [Price(Money("15", code)) for code in CURRENCIES],
        "media": [Image("https://shop.test/tee.jpg")],
        "availability": "in_stock",
    }
    fields.update(changes)
    return Product("TEE-1", "tee", **fields)


def score(product, profile=FULL, channel="google_us", **options):
    locale = SCHEMA.channels[channel].locales[0]
    return completeness(product, SCHEMA, channel=channel, locale=locale, profile=profile, **options)


def reasons(result):
    return {item.field: item.reason for item in (*result.missing, *result.invalid)}


def test_a_well_described_product_is_complete_for_every_built_in_profile():
    for profile in (*GOOGLE_MERCHANT_PROFILES.values(), google_merchant_profile(country="US")):
        result = score(tee(), profile)
        assert (result.percent, result.complete, result.missing, result.invalid) == (
            100,
            True,
            (),
            (),
        ), profile.name


def test_the_base_requires_the_seven_basic_fields():
    required = [rule.field for rule in GOOGLE_MERCHANT_BASE.fields if rule.level == "required"]
    assert required == ["id", "title", "description", "link", "image_link", "availability", "price"]
    empty = Product("X-1", "tee")
    result = score(empty, GOOGLE_MERCHANT_BASE)
    assert (result.required, result.filled) == (7, 2)  # the SKU and the availability
    assert [item.field for item in result.missing] == [
        "title",
        "description",
        "link",
        "image_link",
        "price",
    ]


def test_a_title_over_150_characters_is_too_long():
    result = score(tee(values={ValueKey("title", locale="en"): "Tee " * 38}))
    assert result.missing == (
        Missing("title", MissingReason.TOO_LONG, "152 characters, at most 150", "Tee " * 38),
    )
    assert result.percent == 88  # 8 of 9: the base fields, the brand and the GTIN


def test_a_gtin_with_a_wrong_check_digit_is_invalid():
    from_ean = DEFAULT_FIELD_MAP.with_sources(FieldSource("gtin", attribute="ean"))
    product = tee(gtin=None, values={ValueKey("ean"): "4006381333932"})
    result = score(product, field_map=from_ean)
    assert result.missing[0].field == "gtin"
    assert result.missing[0].reason is MissingReason.INVALID_GTIN
    assert "wrong check digit 2 (expected 1)" in result.missing[0].detail


def test_a_restricted_gtin_does_not_identify_a_product():
    result = score(tee(gtin=Gtin.parse("2012345678903")))
    assert result.missing == (
        Missing(
            "gtin",
            MissingReason.RESTRICTED_GTIN,
            "a restricted-circulation prefix",
            "2012345678903",
        ),
    )
    coupon = score(tee(gtin="9912345678909"))
    assert coupon.missing[0].detail == "a coupon prefix"


def test_an_mpn_stands_in_for_the_gtin_but_a_bad_gtin_is_still_reported():
    assert score(tee(gtin=None, mpn="TEE-NAVY-M")).complete
    result = score(tee(gtin="2012345678903", mpn="TEE-NAVY-M"))
    assert (result.percent, result.complete) == (100, False)
    assert reasons(result) == {"gtin": MissingReason.RESTRICTED_GTIN}


def test_new_goods_without_identifiers_need_them_unless_identifier_exists_is_no():
    result = score(tee(gtin=None))
    assert [(item.field, item.detail) for item in result.missing] == [
        ("gtin", "give the GTIN, or the MPN with the brand, or set identifier_exists to no")
    ]
    handmade = tee(gtin=None, values={ValueKey("identifier_exists"): False})
    assert score(handmade).complete


def test_a_placeholder_brand_is_refused_and_used_goods_need_no_brand():
    result = score(tee(brand="N/A"))
    assert reasons(result) == {"brand": MissingReason.PLACEHOLDER}
    assert score(tee(brand=None)).missing[0].detail == "new goods need their brand"
    assert score(tee(brand=None, gtin=None, condition="used")).complete


def test_a_preorder_or_backorder_needs_its_availability_date():
    ships = pendulum.datetime(2026, 9, 1, tz="America/New_York")
    for availability in ("preorder", "backorder"):
        result = score(tee(availability=availability))
        assert result.missing == (
            Missing(
                "availability_date",
                MissingReason.MISSING,
                "say when a preorder or backorder ships",
            ),
        )
        assert score(tee(availability=availability, availability_date=ships)).complete


def test_apparel_needs_its_fields_in_the_six_countries_only():
    bare = tee(
        values={ValueKey(code): None for code in ("color", "size", "gender", "age_group")},
    )
    assert set(APPAREL_COUNTRIES) == {"BR", "DE", "FR", "GB", "JP", "US"}
    us = score(bare, APPAREL, channel="google_us")
    assert [item.field for item in us.missing] == ["age_group", "gender", "color", "size"]
    assert score(bare, APPAREL, channel="google_uk").percent == us.percent
    assert score(bare, APPAREL, channel="google_ca").complete
    assert score(bare, APPAREL, channel="google_any").complete


def test_a_country_given_to_the_profile_decides_the_apparel_rules():
    germany = google_merchant_profile(country="DE", apparel=True)
    canada = google_merchant_profile(country="CA", apparel=True)
    assert [rule.field for rule in germany.fields[-4:]] == ["age_group", "gender", "color", "size"]
    assert {rule.level for rule in germany.fields[-4:]} == {FieldLevel.REQUIRED}
    assert canada.fields == google_merchant_profile(country="CA").fields
    bare = tee(values={ValueKey("gender"): None})
    assert reasons(score(bare, germany, channel="google_any")) == {"gender": "missing"}


def test_apparel_values_outside_the_allowed_ones_are_refused():
    product = tee(values={ValueKey("color"): "multicolor"})
    assert reasons(score(product, APPAREL)) == {"color": MissingReason.INVALID_COLOR}
    for color in ("#fff000", "N/A", "3", "R", "Navy/" + "x" * 41):
        assert reasons(score(tee(values={ValueKey("color"): color}))) == {"color": "invalid_color"}
    assert score(tee(values={ValueKey("color"): "Navy/White"})).complete
    assert reasons(score(tee(values={ValueKey("color"): "Blue" * 26}))) == {"color": "too_long"}


def test_a_variant_without_its_item_group_id_is_incomplete():
    group = ProductGroup("TEE", "tee", values=Values({ValueKey("color"): "Navy"}))
    variant = tee(group="TEE", values={ValueKey("color"): None})
    assert score(variant, group=group).complete
    orphan = attrs.evolve(variant, group=None)
    result = score(orphan, group=group)
    assert result.missing == (
        Missing(
            "item_group_id", MissingReason.MISSING, "a variant names its group (the parent SKU)"
        ),
    )


def test_a_variant_needs_an_attribute_that_tells_it_apart():
    plain = {ValueKey(code): None for code in ("color", "size", "gender", "age_group")}
    variant = tee(group="TEE", values=plain)
    result = score(variant)
    assert [item.field for item in result.missing] == ["color"]
    assert "color, size, pattern, material, age_group or gender" in result.missing[0].detail
    sized = tee(group="TEE", values={**plain, ValueKey("size"): "L"})
    assert score(sized).complete


def test_a_zero_price_or_a_missing_price_in_the_channel_currency_is_refused():
    free = tee(prices=[Price(Money("0", code)) for code in CURRENCIES])
    assert score(free).missing == (
        Missing("price", MissingReason.ZERO, "must not be 0", "0.00 USD"),
    )
    euros_only = tee(prices=[Price(Money("15", "EUR"))])
    assert score(euros_only).missing == (Missing("price", MissingReason.MISSING),)


def test_a_link_must_be_an_http_url():
    for link in ("shop.test/tee", "ftp://shop.test/tee", "https://shop.test/a tee"):
        assert reasons(score(tee(values={ValueKey("link"): link}))) == {"link": "not_url"}


def test_an_optional_field_over_its_limit_is_invalid():
    assert score(tee(mpn="M" * 70)).complete
    pattern = DEFAULT_FIELD_MAP.with_sources(FieldSource("pattern", attribute="description"))
    product = tee(values={ValueKey("description", locale="en"): "Striped " * 13})
    result = score(product, field_map=pattern)
    assert (result.percent, result.complete) == (100, False)
    assert result.invalid == (
        Missing("pattern", MissingReason.TOO_LONG, "104 characters, at most 100", "Striped " * 13),
    )


def test_the_named_profiles_are_listed_by_their_names():
    assert set(GOOGLE_MERCHANT_PROFILES) == {
        "google_merchant",
        "google_merchant_apparel",
        "google_merchant.base",
        "google_merchant.new_goods",
        "google_merchant.apparel",
        "google_merchant.variants",
        "google_merchant.preorder",
    }
    for name, profile in GOOGLE_MERCHANT_PROFILES.items():
        assert isinstance(profile, ChannelProfile)
        assert profile.name == name
    assert GOOGLE_MERCHANT_PROFILES["google_merchant"] == google_merchant_profile()
    with pytest.raises(TypeError):
        GOOGLE_MERCHANT_PROFILES["mine"] = GOOGLE_MERCHANT_BASE  # type: ignore[index]


def test_profile_names_say_the_country_and_apparel():
    assert google_merchant_profile().name == "google_merchant"
    assert google_merchant_profile(country="us").name == "google_merchant.us"
    assert google_merchant_profile(country="UK", apparel=True).name == "google_merchant_apparel.gb"


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"country": "USA"}, InvalidValueError),
        ({"country": 840}, InvalidTypeError),
        ({"apparel": "yes"}, InvalidTypeError),
    ],
)
def test_a_bad_country_or_apparel_flag_is_refused(arguments, error):
    with pytest.raises(error):
        google_merchant_profile(**arguments)


def test_the_base_profile_round_trips_through_json():
    assert from_json(to_json(GOOGLE_MERCHANT_BASE), ChannelProfile) == GOOGLE_MERCHANT_BASE


def test_the_conditional_profiles_round_trip_through_json():
    for profile in (GOOGLE_MERCHANT_APPAREL, APPAREL):
        assert from_json(to_json(profile), ChannelProfile) == profile
