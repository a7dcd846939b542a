"""schema.org JSON-LD: Product, Offer and ProductGroup nodes, exactly as pages embed them."""

from __future__ import annotations

import json

import attrs
import pendulum
import pytest

from ecomkit import Money
from ecomkit.catalog import (
    UNECE_UNIT_CODES,
    UNITS,
    AttributeDef,
    CatalogSchema,
    Category,
    CategoryTree,
    Channel,
    Image,
    Option,
    Price,
    Product,
    ProductGroup,
    ProductType,
    SetAvailability,
    SetBrand,
    SetCategories,
    SetCondition,
    SetGtin,
    SetMedia,
    SetMpn,
    SetPrice,
    SetValue,
    ValueKey,
    Values,
    VariantLevel,
    create_product,
    group_jsonld,
    product_jsonld,
)
from ecomkit.errors import InvalidTypeError, InvalidValueError, UnknownCodeError


AT = pendulum.datetime(2026, 3, 10, 12, tz="Europe/Berlin")


def make_schema() -> CatalogSchema:
    return CatalogSchema(
        [
            AttributeDef("title", "text", localizable=True, label={"en": "Title"}),
            AttributeDef("description", "long_text", localizable=True),
            AttributeDef(
                "weight",
                "metric",
                unit_family="weight",
                default_unit="kg",
                label={"en": "Weight", "de": "Gewicht"},
            ),
            AttributeDef("volume", "metric", unit_family="volume", default_unit="l"),
            AttributeDef("capacity", "metric", unit_family="weight", default_unit="oz"),
            AttributeDef("pieces", "number"),
            AttributeDef(
                "color",
                "single_select",
                options=[Option("red", {"en": "Red", "de": "Rot"}), Option("blue", {"en": "Blue"})],
            ),
            AttributeDef("size", "single_select", options=["S", "M", "L"]),
            AttributeDef(
                "materials", "multi_select", options=[Option("clay", {"en": "Clay"}), "glaze"]
            ),
            AttributeDef("dishwasher_safe", "boolean", label={"en": "Dishwasher safe"}),
            AttributeDef("release", "date"),
            AttributeDef("msrp", "prices"),
            AttributeDef("manual", "media"),
            AttributeDef("fit", "single_select", options=["slim", "regular"]),
        ],
        [
            ProductType(
                "mug",
                [
                    "title",
                    "description",
                    "weight",
                    "volume",
                    "capacity",
                    "pieces",
                    "color",
                    "materials",
                    "dishwasher_safe",
                    "release",
                    "msrp",
                    "manual",
                ],
            ),
            ProductType(
                "tshirt",
                ["title", "description", "color", "size", "fit", "materials"],
                variant_levels=[VariantLevel(["color", "size", "fit"])],
            ),
        ],
        [
            Channel("web", ["en", "de"], ["EUR", "PLN"]),
            Channel("jp", ["en"], ["JPY"]),
            Channel("bullion", ["en"], ["XAU"]),
        ],
    )


SCHEMA = make_schema()


def mug(*changes, sku="M-1", at=AT):
    base = [
        SetValue("title", "Blue mug", locale="en"),
        SetValue("title", "Blaue Tasse", locale="de"),
    ]
    return create_product(
        SCHEMA, sku=sku, product_type="mug", changes=[*base, *changes], at=at
    ).product


@attrs.frozen
class StandInGroup:
    code: str
    values: Values
    media: tuple[Image, ...] = ()
    categories: tuple[str, ...] = ()


@attrs.frozen
class StandInTree:
    names: dict[str, str]

    def breadcrumb(self, code, *, locale, separator=" > "):
        if not self.names:
            return None  # a broken tree
        return separator.join([self.names["root"], self.names[code]]) + f" ({locale})"


# ---------------------------------------------------------------------------- products


def test_a_simple_product_gives_the_exact_product_node():
    product = mug(
        SetValue("description", "Holds tea.", locale="en"),
        SetGtin("4006381333931"),
        SetMpn("MUG-7"),
        SetBrand("Acme"),
        SetMedia([Image("https://cdn.example/1.jpg"), Image("https://cdn.example/2.jpg")]),
        SetCategories(["mugs"]),
        SetAvailability("in_stock"),
        SetPrice(Price(Money("12.5", "EUR"))),
        SetPrice(Price(Money("50", "PLN"))),
        SetValue("weight", "350 g"),
        SetValue("color", "red"),
        SetValue("materials", ["clay", "glaze"]),
        SetValue("dishwasher_safe", True),
        SetValue("pieces", "2"),
        SetValue("release", "2026-05-01"),
        SetValue("msrp", [Money("15", "EUR")]),
        SetValue("manual", "https://cdn.example/manual.pdf"),
    )
    node = product_jsonld(
        product, SCHEMA, channel="web", locale="en", at=AT, url="https://shop.example/m-1"
    )
    assert node == {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Blue mug",
        "description": "Holds tea.",
        "sku": "M-1",
        "gtin13": "4006381333931",
        "mpn": "MUG-7",
        "brand": {"@type": "Brand", "name": "Acme"},
        "image": ["https://cdn.example/1.jpg", "https://cdn.example/2.jpg"],
        "category": "mugs",
        "url": "https://shop.example/m-1",
        "color": "Red",
        "itemCondition": "https://schema.org/NewCondition",
        "offers": [
            {
                "@type": "Offer",
                "price": "12.50",
                "priceCurrency": "EUR",
                "availability": "https://schema.org/InStock",
                "url": "https://shop.example/m-1",
            },
            {
                "@type": "Offer",
                "price": "50.00",
                "priceCurrency": "PLN",
                "availability": "https://schema.org/InStock",
                "url": "https://shop.example/m-1",
            },
        ],
        "additionalProperty": [
            {
                "@type": "PropertyValue",
                "propertyID": "weight",
                "name": "Weight",
                "value": "0.35",
                "unitCode": "KGM",
            },
            {"@type": "PropertyValue", "propertyID": "pieces", "name": "pieces", "value": "2"},
            {
                "@type": "PropertyValue",
                "propertyID": "materials",
                "name": "materials",
                "value": "Clay, glaze",
            },
            {
                "@type": "PropertyValue",
                "propertyID": "dishwasher_safe",
                "name": "Dishwasher safe",
                "value": True,
            },
            {
                "@type": "PropertyValue",
                "propertyID": "release",
                "name": "release",
                "value": "2026-05-01",
            },
            {"@type": "PropertyValue", "propertyID": "msrp", "name": "msrp", "value": "15.00 EUR"},
        ],
    }
    assert json.loads(json.dumps(node)) == node


def test_values_and_labels_are_read_in_the_locale_asked_for():
    product = mug(SetValue("color", "red"), SetValue("weight", "2 kg"))
    node = product_jsonld(product, SCHEMA, channel="web", locale="de", at=AT)
    assert (node["name"], node["color"]) == ("Blaue Tasse", "Rot")
    assert node["additionalProperty"][0]["name"] == "Gewicht"


def test_the_same_product_gives_the_same_text_every_time():
    product = mug(SetBrand("Acme"), SetValue("weight", "1 kg"), SetPrice(Price(Money(5, "EUR"))))
    first = json.dumps(product_jsonld(product, SCHEMA, channel="web", locale="en", at=AT))
    again = json.dumps(product_jsonld(product, SCHEMA, channel="web", locale="en", at=AT))
    assert first == again
    assert first.index('"name"') < first.index('"sku"') < first.index('"offers"')


def test_a_product_on_sale_offers_the_sale_price_with_the_regular_price_struck_through():
    sale = Price(
        Money("20.00", "EUR"),
        sale=Money("15.00", "EUR"),
        sale_from=pendulum.datetime(2026, 3, 1, tz="Europe/Berlin"),
        sale_until=pendulum.datetime(2026, 4, 1, tz="Europe/Berlin"),
    )
    product = mug(SetAvailability("in_stock"), SetPrice(sale))
    node = product_jsonld(product, SCHEMA, channel="web", locale="en", at=AT)
    assert node["offers"] == [
        {
            "@type": "Offer",
            "price": "15.00",
            "priceCurrency": "EUR",
            "priceValidUntil": "2026-03-31",
            "priceSpecification": {
                "@type": "UnitPriceSpecification",
                "priceType": "https://schema.org/StrikethroughPrice",
                "price": "20.00",
                "priceCurrency": "EUR",
            },
            "availability": "https://schema.org/InStock",
        }
    ]


def test_a_sale_ending_during_a_day_is_valid_until_that_day():
    sale = Price(
        Money("20", "EUR"),
        sale=Money("15", "EUR"),
        sale_until=pendulum.datetime(2026, 4, 1, 12, tz="Europe/Berlin"),
    )
    node = product_jsonld(mug(SetPrice(sale)), SCHEMA, channel="web", locale="en", at=AT)
    assert node["offers"][0]["priceValidUntil"] == "2026-04-01"


def test_a_sale_that_has_not_started_offers_the_regular_price():
    sale = Price(
        Money("20", "EUR"), sale=Money("15", "EUR"), sale_from=AT.add(days=1), sale_until=None
    )
    node = product_jsonld(mug(SetPrice(sale)), SCHEMA, channel="web", locale="en", at=AT)
    assert node["offers"] == [
        {
            "@type": "Offer",
            "price": "20.00",
            "priceCurrency": "EUR",
            "availability": "https://schema.org/OutOfStock",
        }
    ]


def test_an_open_ended_sale_has_no_valid_until_date():
    sale = Price(Money("20", "EUR"), sale=Money("15", "EUR"))
    node = product_jsonld(mug(SetPrice(sale)), SCHEMA, channel="web", locale="en", at=AT)
    assert "priceValidUntil" not in node["offers"][0]
    assert node["offers"][0]["price"] == "15.00"


def test_a_preorder_says_when_it_becomes_available():
    release = pendulum.datetime(2026, 5, 1, tz="Europe/Berlin")
    product = mug(
        SetAvailability("preorder", release),
        SetCondition("refurbished"),
        SetPrice(Price(Money("30", "EUR"))),
    )
    node = product_jsonld(product, SCHEMA, channel="web", locale="en", at=AT)
    assert node["itemCondition"] == "https://schema.org/RefurbishedCondition"
    assert node["offers"] == [
        {
            "@type": "Offer",
            "price": "30.00",
            "priceCurrency": "EUR",
            "availability": "https://schema.org/PreOrder",
            "availabilityStarts": "2026-05-01T00:00:00+02:00",
        }
    ]


def test_a_backorder_has_no_availability_start():
    product = mug(SetAvailability("backorder", AT.add(days=3)), SetPrice(Price(Money("30", "EUR"))))
    (offer,) = product_jsonld(product, SCHEMA, channel="web", locale="en", at=AT)["offers"]
    assert offer["availability"] == "https://schema.org/BackOrder"
    assert "availabilityStarts" not in offer


def test_offers_use_the_channel_price_before_the_all_channels_price_and_its_currencies():
    product = mug(
        SetPrice(Price(Money("12", "EUR"))),
        SetPrice(Price(Money("10", "EUR"), channel="web")),
        SetPrice(Price(Money("1500", "JPY"))),
    )
    web = product_jsonld(product, SCHEMA, channel="web", locale="en", at=AT)["offers"]
    japan = product_jsonld(product, SCHEMA, channel="jp", locale="en", at=AT)["offers"]
    assert [(offer["price"], offer["priceCurrency"]) for offer in web] == [("10.00", "EUR")]
    assert [(offer["price"], offer["priceCurrency"]) for offer in japan] == [("1500", "JPY")]


def test_a_price_in_a_currency_without_minor_units_is_given_as_it_is():
    product = mug(SetPrice(Price(Money("1.5", "XAU"))))
    (offer,) = product_jsonld(product, SCHEMA, channel="bullion", locale="en", at=AT)["offers"]
    assert (offer["price"], offer["priceCurrency"]) == ("1.5", "XAU")


def test_an_option_the_attribute_does_not_declare_is_shown_by_its_code():
    product = Product("M-9", "mug", values=Values({ValueKey("color"): "green"}))
    assert product_jsonld(product, SCHEMA, channel="web", locale="en", at=AT)["color"] == "green"


def test_a_price_finer_than_the_minor_unit_is_rounded_half_up():
    product = mug(SetPrice(Price(Money("9.995", "EUR"))), SetPrice(Price(Money("0.125", "PLN"))))
    offers = product_jsonld(product, SCHEMA, channel="web", locale="en", at=AT)["offers"]
    assert [offer["price"] for offer in offers] == ["10.00", "0.13"]


def test_a_product_without_offers_or_other_attributes_leaves_them_out():
    node = product_jsonld(mug(), SCHEMA, channel="web", locale="en", at=AT)
    assert node == {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Blue mug",
        "sku": "M-1",
        "itemCondition": "https://schema.org/NewCondition",
    }


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("weight", "2 lb", ("0.90718474", "KGM")),
        ("volume", "330 ml", ("0.33", "LTR")),
        ("volume", "1 floz", ("0.0295735295625", "LTR")),
        ("capacity", "1 g", ("1", "GRM")),
    ],
)
def test_metrics_are_given_in_the_default_unit_when_exact_with_their_unit_code(
    code, value, expected
):
    node = product_jsonld(mug(SetValue(code, value)), SCHEMA, channel="web", locale="en", at=AT)
    (entry,) = node["additionalProperty"]
    assert (entry["value"], entry["unitCode"]) == expected


def test_every_unit_has_a_un_cefact_code():
    assert set(UNECE_UNIT_CODES) == set(UNITS)
    assert UNECE_UNIT_CODES["pt"] == "PTL"
    assert UNECE_UNIT_CODES["ct"] == "C62"


def test_a_category_tree_names_the_main_category_by_its_breadcrumb():
    tree = CategoryTree(
        [
            Category("kitchen", {"en": "Kitchen", "de": "Küche"}),
            Category("mugs", {"en": "Mugs", "de": "Tassen"}, parent="kitchen"),
        ]
    )
    product = mug(SetCategories(["mugs", "kitchen"]))
    node = product_jsonld(product, SCHEMA, channel="web", locale="de", at=AT, categories=tree)
    assert node["category"] == "Küche > Tassen"
    stand_in = StandInTree({"root": "All", "mugs": "Mugs"})
    node = product_jsonld(product, SCHEMA, channel="web", locale="en", at=AT, categories=stand_in)
    assert node["category"] == "All > Mugs (en)"


# ---------------------------------------------------------------------------- variants and groups


def shirt_group():
    values = Values(
        {
            ValueKey("title", locale="en"): "Cotton tee",
            ValueKey("description", locale="en"): "Soft.",
            ValueKey("materials"): ("clay",),
        }
    )
    return ProductGroup(
        "tee",
        "tshirt",
        values=values,
        categories=("shirts",),
        media=(Image("https://cdn.example/tee.jpg"),),
    )


def shirt(sku, color, size, *changes):
    return create_product(
        SCHEMA,
        sku=sku,
        product_type="tshirt",
        group="tee",
        changes=[
            SetValue("color", color),
            SetValue("size", size),
            SetValue("fit", "slim"),
            SetBrand("Acme"),
            SetPrice(Price(Money("20", "EUR"))),
            *changes,
        ],
        at=AT,
    ).product


def test_a_variant_is_read_over_its_group_and_points_to_it():
    variant = shirt("TEE-RED-S", "red", "S")
    node = product_jsonld(variant, SCHEMA, channel="web", locale="en", at=AT, group=shirt_group())
    assert node == {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Cotton tee",
        "description": "Soft.",
        "sku": "TEE-RED-S",
        "brand": {"@type": "Brand", "name": "Acme"},
        "image": ["https://cdn.example/tee.jpg"],
        "category": "shirts",
        "color": "Red",
        "size": "S",
        "itemCondition": "https://schema.org/NewCondition",
        "offers": [
            {
                "@type": "Offer",
                "price": "20.00",
                "priceCurrency": "EUR",
                "availability": "https://schema.org/OutOfStock",
            }
        ],
        "additionalProperty": [
            {"@type": "PropertyValue", "propertyID": "fit", "name": "fit", "value": "slim"},
            {
                "@type": "PropertyValue",
                "propertyID": "materials",
                "name": "materials",
                "value": "Clay",
            },
        ],
        "isVariantOf": {"@type": "ProductGroup", "productGroupID": "tee"},
        "inProductGroupWithID": "tee",
    }


def test_a_variant_without_its_group_object_still_names_the_group():
    node = product_jsonld(shirt("TEE-RED-S", "red", "S"), SCHEMA, channel="web", locale="en", at=AT)
    assert node["inProductGroupWithID"] == "tee"
    assert "name" not in node


def test_a_group_gives_the_exact_product_group_node_with_its_variants():
    variants = [
        shirt("TEE-RED-S", "red", "S"),
        shirt("TEE-BLUE-M", "blue", "M", SetMedia([Image("https://cdn.example/blue.jpg")])),
    ]
    node = group_jsonld(
        shirt_group(),
        variants,
        SCHEMA,
        channel="web",
        locale="en",
        at=AT,
        url="https://shop.example/tee",
    )
    variant_nodes = [
        {
            "@type": "Product",
            "name": "Cotton tee",
            "description": "Soft.",
            "sku": sku,
            "brand": {"@type": "Brand", "name": "Acme"},
            "image": [image],
            "category": "shirts",
            "color": color,
            "size": size,
            "itemCondition": "https://schema.org/NewCondition",
            "offers": [
                {
                    "@type": "Offer",
                    "price": "20.00",
                    "priceCurrency": "EUR",
                    "availability": "https://schema.org/OutOfStock",
                }
            ],
            "additionalProperty": [
                {"@type": "PropertyValue", "propertyID": "fit", "name": "fit", "value": "slim"},
                {
                    "@type": "PropertyValue",
                    "propertyID": "materials",
                    "name": "materials",
                    "value": "Clay",
                },
            ],
        }
        for sku, image, color, size in [
            ("TEE-RED-S", "https://cdn.example/tee.jpg", "Red", "S"),
            ("TEE-BLUE-M", "https://cdn.example/blue.jpg", "Blue", "M"),
        ]
    ]
    assert node == {
        "@context": "https://schema.org",
        "@type": "ProductGroup",
        "name": "Cotton tee",
        "description": "Soft.",
        "productGroupID": "tee",
        "url": "https://shop.example/tee",
        "brand": {"@type": "Brand", "name": "Acme"},
        "image": ["https://cdn.example/tee.jpg"],
        "category": "shirts",
        "variesBy": ["https://schema.org/color", "https://schema.org/size", "fit"],
        "hasVariant": variant_nodes,
    }
    assert json.loads(json.dumps(node)) == node


def test_a_group_names_no_brand_when_its_variants_disagree_and_accepts_a_stand_in():
    variants = [shirt("TEE-RED-S", "red", "S"), shirt("TEE-RED-M", "red", "M", SetBrand("Other"))]
    group = StandInGroup("tee", Values({ValueKey("title", locale="en"): "Tee"}))
    node = group_jsonld(group, variants, SCHEMA, channel="web", locale="en", at=AT)
    assert "brand" not in node
    assert node["name"] == "Tee"
    assert [variant["sku"] for variant in node["hasVariant"]] == ["TEE-RED-S", "TEE-RED-M"]


# ---------------------------------------------------------------------------- bad input


def test_a_locale_outside_the_channel_is_refused():
    with pytest.raises(InvalidValueError, match="not a locale of channel 'jp'"):
        product_jsonld(mug(), SCHEMA, channel="jp", locale="de", at=AT)


def test_an_unknown_channel_is_refused():
    with pytest.raises(UnknownCodeError, match="unknown channel 'shop'"):
        product_jsonld(mug(), SCHEMA, channel="shop", locale="en", at=AT)


def test_a_group_that_is_not_the_products_group_is_refused():
    other = StandInGroup("polo", Values())
    with pytest.raises(InvalidValueError, match="not the group of 'TEE-RED-S'"):
        product_jsonld(
            shirt("TEE-RED-S", "red", "S"), SCHEMA, channel="web", locale="en", at=AT, group=other
        )


def test_a_variant_of_another_group_or_type_is_refused():
    with pytest.raises(InvalidValueError, match="not a variant of 'tee'"):
        group_jsonld(shirt_group(), [mug()], SCHEMA, channel="web", locale="en", at=AT)
    polo = Product("P-1", "mug", group="tee")  # built directly: edits refuse it
    with pytest.raises(InvalidValueError, match="not of product type 'tshirt'"):
        group_jsonld(shirt_group(), [polo], SCHEMA, channel="web", locale="en", at=AT)


def test_objects_that_are_not_groups_products_or_trees_are_refused():
    with pytest.raises(InvalidTypeError, match="a product group"):
        group_jsonld(object(), [], SCHEMA, channel="web", locale="en", at=AT)
    with pytest.raises(InvalidTypeError, match="a product group"):
        group_jsonld(None, [], SCHEMA, channel="web", locale="en", at=AT)
    with pytest.raises(InvalidTypeError, match="a breadcrumb string"):
        product_jsonld(
            mug(SetCategories(["mugs"])),
            SCHEMA,
            channel="web",
            locale="en",
            at=AT,
            categories=StandInTree({}),
        )
    with pytest.raises(InvalidTypeError, match="a product group"):
        product_jsonld(mug(), SCHEMA, channel="web", locale="en", at=AT, group="tee")
    with pytest.raises(InvalidTypeError, match="Product"):
        product_jsonld("M-1", SCHEMA, channel="web", locale="en", at=AT)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="breadcrumb"):
        product_jsonld(
            mug(SetCategories(["mugs"])),
            SCHEMA,
            channel="web",
            locale="en",
            at=AT,
            categories={"mugs"},
        )
    with pytest.raises(InvalidTypeError, match="schema"):
        product_jsonld(mug(), object(), channel="web", locale="en", at=AT)  # type: ignore[arg-type]


def test_a_group_without_a_type_or_variants_is_refused():
    group = StandInGroup("tee", Values())
    with pytest.raises(InvalidValueError, match="has no product_type and no variants"):
        group_jsonld(group, [], SCHEMA, channel="web", locale="en", at=AT)
