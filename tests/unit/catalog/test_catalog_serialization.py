"""JSON round trips of products, schemas and catalog events; malformed documents refused."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pendulum
import pytest

from ecomkit import Money
from ecomkit.catalog import (
    AttributeDef,
    CatalogSchema,
    Channel,
    Image,
    Metric,
    Option,
    Price,
    Product,
    ProductChange,
    ProductCreated,
    ProductEdit,
    ProductEdited,
    ProductEvent,
    ProductType,
    RemovePrice,
    RemoveValue,
    Requirement,
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
    Values,
    VariantLevel,
    create_product,
    edit_product,
)
from ecomkit.errors import DataValidationError
from ecomkit.i18n import LocalizedText
from ecomkit.serialization import from_json, to_json


AT = pendulum.datetime(2026, 3, 2, 9, 30, tz="Europe/Berlin")
LATER = AT.add(days=1)


def schema():
    return CatalogSchema(
        [
            AttributeDef("title", "text", localizable=True, label={"en": "Title", "de": "Titel"}),
            AttributeDef("description", "long_text", localizable=True, scopable=True),
            AttributeDef("pages", "number", minimum="1", maximum="5000", decimals_allowed=False),
            AttributeDef("weight", "metric", unit_family="weight", default_unit="kg"),
            AttributeDef("list_price", "prices", minimum="0"),
            AttributeDef("hardcover", "boolean"),
            AttributeDef("published", "date", date_min="1450-01-01"),
            AttributeDef(
                "color",
                "single_select",
                options=[Option("red", {"en": "Red", "de": "Rot"}), "blue"],
            ),
            AttributeDef("tags", "multi_select", options=["new", "sale"]),
            AttributeDef("cover", "media", max_characters=500),
            AttributeDef("isbn", "identifier", unique=True, pattern=r"97[89]\d{10}"),
            AttributeDef("size", "single_select", options=["S", "M"]),
        ],
        [
            ProductType(
                "book",
                [
                    "title",
                    "description",
                    "pages",
                    "weight",
                    "list_price",
                    "hardcover",
                    "published",
                    "color",
                    "tags",
                    "cover",
                    "isbn",
                ],
                requirements=["title", Requirement("description", ["web"], locales=["de"])],
                label={"en": "Book"},
            ),
            ProductType(
                "tshirt",
                ["title", "color", "size", "cover"],
                description_attribute=None,
                variant_levels=[VariantLevel(["color"], ["cover"]), VariantLevel(["size"])],
            ),
        ],
        [
            Channel("web", ["en", "de"], ["EUR", "CHF"], label={"en": "Web shop"}),
            Channel("google_de", ["de"], ["EUR"], country="DE"),
        ],
    )


SCHEMA = schema()

EVERY_VALUE = [
    SetValue("title", "Dune", locale="en"),
    SetValue("title", "Der Wüstenplanet", locale="de"),
    SetValue("description", "Line one\nline two", channel="web", locale="de"),
    SetValue("pages", "412"),
    SetValue("weight", "0.450 kg"),
    SetValue("list_price", [Money("12.50", "EUR"), Money("14", "CHF")]),
    SetValue("hardcover", False),
    SetValue("published", "1965-08-01"),
    SetValue("color", "red"),
    SetValue("tags", ["sale", "new"]),
    SetValue("cover", "https://img.example/dune.jpg"),
    SetValue("isbn", "9780441013593"),
]


def full_book():
    sale = Price(
        Money("12.00", "EUR"), sale=Money("9.99", "EUR"), sale_from=AT, sale_until=AT.add(days=7)
    )
    return create_product(
        SCHEMA,
        sku="BOOK-1",
        product_type="book",
        at=AT,
        changes=[
            *EVERY_VALUE,
            SetGtin("9780441013593"),
            SetMpn("ACE-1"),
            SetBrand("Ace"),
            SetCategories(["fiction", "scifi"]),
            SetMedia([Image("front.jpg", {"en": "Front cover"}), Image("back.jpg")]),
            SetPrice(sale),
            SetPrice(Price(Money("15", "CHF"), channel="web")),
            SetAvailability("backorder", AT.add(days=14)),
            SetStock("berlin", 3),
            SetCondition("used"),
            SetEnabled(False),
        ],
    )


def test_a_product_with_every_value_type_round_trips():
    product = full_book().product
    back = from_json(to_json(product), Product)
    assert back == product
    assert back.value("pages") == Decimal(412)
    assert back.value("weight") == Metric("0.450", "kg")
    assert back.value("list_price") == (Money("14", "CHF"), Money("12.50", "EUR"))
    assert back.value("hardcover") is False
    assert back.value("published") == dt.date(1965, 8, 1)
    assert back.value("tags") == ("sale", "new")
    assert back.gtin is not None
    assert back.gtin.digits == "9780441013593"


def test_values_are_written_in_forms_that_read_back_as_their_type():
    document = json.loads(to_json(full_book().product))
    by_attribute = {entry["attribute"]: entry["value"] for entry in document["values"]}
    assert by_attribute["pages"] == {"number": "412"}
    assert by_attribute["weight"] == {"amount": "0.450", "unit": "kg"}
    assert by_attribute["published"] == {"date": "1965-08-01"}
    assert by_attribute["hardcover"] is False
    assert by_attribute["tags"] == ["sale", "new"]
    assert by_attribute["list_price"][0] == {"amount": "14", "currency": "CHF"}
    assert document["gtin"] == "9780441013593"
    assert document["price_history"][0]["at"] == "2026-03-02T09:30:00+01:00"


def test_the_schema_round_trips():
    back = from_json(to_json(SCHEMA), CatalogSchema)
    assert back == SCHEMA
    assert back.attribute("color").options[0].label == LocalizedText({"en": "Red", "de": "Rot"})
    assert back.attribute("isbn").pattern == r"97[89]\d{10}"
    assert back.product_type("tshirt").axes == ("color", "size")
    assert back.channel("google_de").country == "DE"


def test_creation_and_edit_events_round_trip_as_tagged_unions():
    created = full_book()
    edited = edit_product(
        SCHEMA,
        created.product,
        [RemoveValue("title", locale="de"), RemovePrice("CHF", channel="web"), SetGtin(None)],
        at=LATER,
    )
    for edit in (created, edited):
        text = to_json(edit.event)
        assert from_json(text, ProductEvent) == edit.event
        assert from_json(to_json(edit), ProductEdit) == edit
    assert json.loads(to_json(created.event))["type"] == "ProductCreated"
    assert from_json(to_json(edited.event), ProductEdited) == edited.event


def test_every_change_round_trips_on_its_own():
    changes = full_book().event.changes
    assert len(changes) == len(EVERY_VALUE) + 11
    for change in changes:
        assert from_json(to_json(change), ProductChange) == change


def test_a_change_document_may_leave_out_the_tag_when_its_class_is_known():
    assert from_json('{"brand": "Ace"}', SetBrand) == SetBrand("Ace")


def test_a_variant_round_trips_with_its_group():
    edit = create_product(
        SCHEMA,
        sku="TEE-RED-S",
        product_type="tshirt",
        group="tee",
        changes=[SetValue("color", "red"), SetValue("size", "S")],
        at=AT,
    )
    assert from_json(to_json(edit.product), Product).group == "tee"
    assert from_json(to_json(edit.event), ProductCreated) == edit.event


def product_document(**changes):
    document = json.loads(to_json(full_book().product))
    document.update(changes)
    return json.dumps(document)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sku": "BOOK 1"}, "sku"),
        ({"gtin": "9780441013594"}, "gtin"),
        ({"values": [{"attribute": "pages", "value": 412}]}, "values"),
        ({"values": [{"attribute": "pages", "value": {"number": "x"}}]}, "number"),
        ({"values": [{"attribute": "pages"}]}, "values"),
        ({"values": {"pages": "1"}}, "values"),
        ({"availability": "sold"}, "availability"),
        ({"version": "2"}, "version"),
        ({"colour": "red"}, "colour"),
        (
            {
                "prices": [
                    {
                        "regular": {"amount": "1", "currency": "EUR"},
                        "sale": {"amount": "2", "currency": "EUR"},
                    }
                ]
            },
            "sale",
        ),
    ],
)
def test_a_malformed_product_document_is_refused_naming_the_field(changes, field):
    with pytest.raises(DataValidationError) as caught:
        from_json(product_document(**changes), Product)
    assert caught.value.target == "Product"
    messages = caught.value.messages()
    assert any(field in message for message in messages), messages


def test_a_naive_datetime_in_a_product_document_is_refused():
    document = json.loads(to_json(full_book().product))
    document["availability_date"] = "2026-03-16T09:30:00"
    with pytest.raises(DataValidationError) as caught:
        from_json(json.dumps(document), Product)
    assert caught.value.problems[0].path == "$.availability_date"


def test_an_event_with_an_unknown_type_is_refused():
    with pytest.raises(DataValidationError) as caught:
        from_json('{"type": "ProductDeleted", "sku": "BOOK-1"}', ProductEvent)
    assert "ProductDeleted" in str(caught.value)


def test_a_schema_document_with_a_broken_cross_reference_is_refused():
    document = json.loads(to_json(SCHEMA))
    document["product_types"]["book"]["attributes"].append("binding")
    with pytest.raises(DataValidationError) as caught:
        from_json(json.dumps(document), CatalogSchema)
    assert "binding" in str(caught.value)


def test_a_schema_document_with_a_bad_attribute_is_refused_with_its_path():
    document = json.loads(to_json(SCHEMA))
    document["attributes"]["pages"]["type"] = "integer"
    with pytest.raises(DataValidationError) as caught:
        from_json(json.dumps(document), CatalogSchema)
    assert any("pages" in problem.path for problem in caught.value.problems)


def test_values_read_from_json_are_a_values_mapping():
    product = from_json(to_json(full_book().product), Product)
    assert isinstance(product.values, Values)
