"""Bulk import: reading CSV, the column convention, every problem at once, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

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
    ImportResult,
    Metric,
    Option,
    Price,
    ProductCreated,
    ProductEdited,
    ProductType,
    SetGtin,
    SetPrice,
    SetValue,
    StockLevel,
    ValueKey,
    VariantLevel,
    create_product,
    import_products,
    read_csv,
)
from ecomkit.errors import (
    DataValidationError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
)
from ecomkit.serialization import from_json, to_json


AT = pendulum.datetime(2026, 3, 1, 9, tz="Europe/Berlin")
LATER = AT.add(days=1)


def make_schema() -> CatalogSchema:
    return CatalogSchema(
        [
            AttributeDef("title", "text", localizable=True),
            AttributeDef("description", "long_text", localizable=True),
            AttributeDef("marketing_title", "text", localizable=True, scopable=True),
            AttributeDef("supplier_ref", "identifier", unique=True),
            AttributeDef("weight", "metric", unit_family="weight", default_unit="kg", minimum="0"),
            AttributeDef("pieces", "number", decimals_allowed=False, minimum="1"),
            AttributeDef("color", "single_select", options=[Option("red"), Option("blue")]),
            AttributeDef("size", "single_select", options=["S", "M", "L"]),
            AttributeDef("materials", "multi_select", options=["cotton", "polyester", "clay"]),
            AttributeDef("dishwasher_safe", "boolean"),
            AttributeDef("release", "date"),
            AttributeDef("msrp", "prices"),
            AttributeDef("manual", "media"),
        ],
        [
            ProductType(
                "mug",
                [
                    "title",
                    "description",
                    "marketing_title",
                    "supplier_ref",
                    "weight",
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
                ["title", "description", "color", "size", "materials"],
                variant_levels=[VariantLevel(["color", "size"])],
            ),
        ],
        [
            Channel("web", ["en", "de_DE"], ["EUR", "PLN"]),
            Channel("amazon", ["en"], ["EUR"]),
        ],
    )


SCHEMA = make_schema()


def csv_rows(*lines: str) -> list[dict[str, str]]:
    return read_csv("\n".join(lines) + "\n")


def where(
    error_or_result: DataValidationError | ImportResult,
) -> set[tuple[int | None, str | None]]:
    return {(problem.row, problem.field) for problem in error_or_result.problems}


def existing_mug(**values: object) -> object:
    changes = [SetValue("title", "Old mug", locale="en"), SetGtin("4006381333931")]
    changes += [SetValue(code, value) for code, value in values.items()]
    changes.append(SetPrice(Price(Money("10.00", "EUR"))))
    return create_product(SCHEMA, sku="M-1", product_type="mug", changes=changes, at=AT).product


# ---------------------------------------------------------------------------- all problems


def test_a_csv_with_bad_cells_in_several_rows_reports_them_all_and_imports_nothing():
    rows = csv_rows(
        "sku,product_type,title-en,weight,pieces,color,price,stock-main",
        "M-1,mug,Blue mug,heavy,2,red,12.00 EUR,3",
        "M-2,mug,Red mug,0.3 kg,1,red,9.99 EUR,1",
        "M-3,mug,Green mug,0.3 kg,1.5,green,9.99,-2",
    )
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT)
    error = caught.value
    assert error.target == "product import"
    assert where(error) == {
        (1, "weight"),
        (3, "pieces"),
        (3, "color"),
        (3, "price"),
        (3, "stock-main"),
    }
    assert [problem.path for problem in error.problems] == [
        "$[0].weight",
        "$[2].pieces",
        "$[2].color",
        "$[2].price",
        "$[2].stock-main",
    ]
    by_field = {problem.field: problem for problem in error.problems}
    assert by_field["color"].value == "green"
    assert "not one of the options red, blue" in by_field["color"].message
    assert "decimals are not allowed" in by_field["pieces"].message
    assert by_field["stock-main"].value == "-2"


def test_keep_valid_imports_the_good_rows_and_returns_the_problems_of_the_others():
    rows = csv_rows(
        "sku,product_type,title-en,weight",
        "M-1,mug,Blue mug,heavy",
        "M-2,mug,Red mug,0.3 kg",
        "M-3,bowl,Bowl,",
    )
    result = import_products(rows, SCHEMA, at=AT, keep_valid=True)
    assert [product.sku for product in result.products] == ["M-2"]
    assert result.products[0].value("weight") == Metric("0.3", "kg")
    assert [type(event) for event in result.events] == [ProductCreated]
    assert result.rejected_rows == (1, 3)
    assert where(result) == {(1, "weight"), (3, "product_type")}
    assert "unknown product type 'bowl'" in result.problems[1].message


def test_a_price_set_before_the_last_price_change_is_refused_on_its_cell():
    product = create_product(
        SCHEMA,
        sku="M-1",
        product_type="mug",
        changes=[SetPrice(Price(Money("10.00", "EUR")))],
        at=LATER,
    ).product
    rows = csv_rows("sku,title-en,price", "M-1,Mug,12.00 EUR")
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT, existing=[product])
    assert where(caught.value) == {(1, "price")}
    assert "before the last price change" in caught.value.problems[0].message


# ---------------------------------------------------------------------------- batch checks


def test_a_sku_in_two_rows_is_reported_on_both_rows_naming_the_other():
    rows = csv_rows("sku,product_type", "M-1,mug", "M-2,mug", "M-1,mug")
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT)
    assert where(caught.value) == {(1, "sku"), (3, "sku")}
    messages = [problem.message for problem in caught.value.problems]
    assert messages == ["sku: 'M-1' is also in row 3", "sku: 'M-1' is also in row 1"]


def test_two_rows_with_the_same_gtin_written_differently_clash():
    rows = csv_rows("sku,product_type,gtin", "M-1,mug,4006381333931", "M-2,mug,04006381333931")
    result = import_products(rows, SCHEMA, at=AT, keep_valid=True)
    assert result.products == ()
    assert where(result) == {(1, "gtin"), (2, "gtin")}
    assert result.problems[0].message == "gtin: 4006381333931 is unique but also held by row 2"


def test_a_gtin_held_by_an_existing_product_is_refused_for_a_new_row():
    rows = csv_rows("sku,product_type,gtin", "M-9,mug,4006381333931")
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT, existing=[existing_mug()])
    assert caught.value.problems[0].message == (
        "gtin: 4006381333931 is unique but also held by existing product 'M-1'"
    )


def test_an_updated_product_keeps_its_gtin_so_a_new_row_may_not_take_it():
    rows = [{"sku": "M-1", "title-en": "Renamed"}, {"sku": "M-2", "product_type": "mug"}]
    rows[1]["gtin"] = "4006381333931"
    result = import_products(rows, SCHEMA, at=AT, existing=[existing_mug()], keep_valid=True)
    assert where(result) == {(1, "gtin"), (2, "gtin")}
    assert result.problems[0].message == "gtin: 4006381333931 is unique but also held by row 2"
    assert result.problems[0].value is None  # row 1 has no gtin cell: its product keeps one


def test_a_unique_attribute_value_held_by_an_existing_product_is_refused():
    rows = csv_rows("sku,product_type,supplier_ref", "M-2,mug,ACME-77")
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT, existing=[existing_mug(supplier_ref="ACME-77")])
    problem = caught.value.problems[0]
    assert (problem.row, problem.field, problem.value) == (1, "supplier_ref", "ACME-77")
    assert "held by existing product 'M-1'" in problem.message


def test_a_unique_value_given_up_by_an_updated_product_can_be_taken_by_another_row():
    rows = csv_rows(
        "sku,product_type,supplier_ref,gtin", "M-1,,ACME-78,", "M-2,mug,ACME-77,4006381333931"
    )
    old = existing_mug(supplier_ref="ACME-77")
    rows[0]["gtin"] = "96385074"
    result = import_products(rows, SCHEMA, at=AT, existing=[old])
    assert [product.value("supplier_ref") for product in result.products] == [
        "ACME-78",
        "ACME-77",
    ]


def test_two_new_rows_sharing_a_unique_value_are_both_refused():
    rows = csv_rows("sku,product_type,supplier_ref", "M-1,mug,X-1", "M-2,mug,X-2", "M-3,mug,X-1")
    result = import_products(rows, SCHEMA, at=AT, keep_valid=True)
    assert [product.sku for product in result.products] == ["M-2"]
    assert where(result) == {(1, "supplier_ref"), (3, "supplier_ref")}


def test_an_unknown_column_is_reported_once_and_rows_with_a_value_in_it_are_refused():
    rows = csv_rows("sku,product_type,titel-en", "M-1,mug,", "M-2,mug,Mug", "M-3,mug,Mug")
    result = import_products(rows, SCHEMA, at=AT, keep_valid=True)
    assert where(result) == {(1, "titel-en")}
    assert "unknown column" in result.problems[0].message
    assert result.rejected_rows == (2, 3)
    assert [product.sku for product in result.products] == ["M-1"]


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ("price-shop", "unknown channel 'shop'"),
        ("weight-en", "weight is not localizable"),
        ("title-amazon", "title is not scopable"),
        ("title-fr", "not a locale of any channel"),
        ("marketing_title-de_DE-amazon", "not a locale of channel 'amazon'"),
        ("title-xx-YY-ZZ", "title-xx-YY-ZZ"),
        ("stock", "write stock columns as 'stock-<location>'"),
        ("stock-", "not a code"),
    ],
)
def test_column_names_that_fit_no_column_are_refused_with_the_reason(column, message):
    rows = [{"sku": "M-1", "product_type": "mug", column: "1"}]
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT)
    (problem,) = caught.value.problems
    assert (problem.row, problem.field) == (1, column)
    assert message in problem.message


def test_a_missing_sku_and_a_missing_product_type_are_reported():
    rows = csv_rows(
        "sku,product_type,title-en", ",mug,Mug", "M-2,,Mug", "M-3,mug,Mug", "M-4,bad type,Mug"
    )
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT)
    assert where(caught.value) == {(1, "sku"), (2, "product_type"), (4, "product_type")}
    assert "not a code" in caught.value.problems[-1].message


def test_rows_without_an_sku_column_are_each_reported():
    with pytest.raises(DataValidationError) as caught:
        import_products([{"title-en": "Mug"}, {"title-en": "Cup"}], SCHEMA, at=AT)
    assert where(caught.value) == {(1, "sku"), (2, "sku")}


def test_a_row_that_is_not_a_mapping_is_reported_and_the_others_still_import():
    result = import_products(
        [["M-1", "mug"], {"sku": "M-2", "product_type": "mug"}], SCHEMA, at=AT, keep_valid=True
    )
    assert where(result) == {(1, None)}
    assert result.problems[0].path == "$[0]"
    assert [product.sku for product in result.products] == ["M-2"]


# ---------------------------------------------------------------------------- updates


def test_rows_with_an_existing_sku_update_it_and_empty_cells_leave_fields_as_they_are():
    old = existing_mug(weight="0.3 kg")
    rows = csv_rows("sku,product_type,title-en,weight,gtin,price", "M-1,mug,New mug,,,")
    result = import_products(rows, SCHEMA, at=AT, existing=[old])
    (product,) = result.products
    (event,) = result.events
    assert isinstance(event, ProductEdited)
    assert (event.sku, event.version) == ("M-1", 2)
    assert event.changes == (SetValue("title", "New mug", locale="en"),)
    assert product.value("title", locale="en") == "New mug"
    assert product.value("weight") == Metric("0.3", "kg")
    assert product.gtin == Gtin.parse("4006381333931")
    assert product.prices == old.prices


def test_an_unchanged_row_produces_no_event():
    old = existing_mug()
    result = import_products([{"sku": "M-1", "title-en": "Old mug"}], SCHEMA, at=AT, existing=[old])
    assert result.products == (old,)
    assert result.events == ()


def test_an_import_does_not_change_the_type_or_group_of_an_existing_product():
    rows = [{"sku": "M-1", "product_type": "tshirt", "group": "shirt-1"}]
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT, existing=[existing_mug()])
    assert where(caught.value) == {(1, "product_type"), (1, "group")}
    assert "(it is 'mug')" in caught.value.problems[0].message


def test_a_new_price_keeps_the_running_sale_of_an_existing_price():
    start, end = AT.subtract(days=1), AT.add(days=7)
    old = create_product(
        SCHEMA,
        sku="M-1",
        product_type="mug",
        changes=[
            SetPrice(
                Price(Money("10", "EUR"), sale=Money("8", "EUR"), sale_from=start, sale_until=end)
            )
        ],
        at=AT,
    ).product
    result = import_products([{"sku": "M-1", "price": "11 EUR"}], SCHEMA, at=LATER, existing=[old])
    price = result.products[0].price("EUR")
    assert price == Price(
        Money("11", "EUR"), sale=Money("8", "EUR"), sale_from=start, sale_until=end
    )


def test_a_sale_price_alone_needs_a_price_in_its_currency():
    rows = [{"sku": "M-1", "product_type": "mug", "sale_price": "8 EUR"}]
    with pytest.raises(DataValidationError, match="a sale price needs a price in EUR"):
        import_products(rows, SCHEMA, at=AT)


def test_a_channel_sale_price_alone_does_not_reach_for_the_all_channels_price():
    rows = [{"sku": "M-1", "sale_price-web": "8 EUR"}]
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT, existing=[existing_mug()])
    assert where(caught.value) == {(1, "sale_price-web")}
    assert "a sale price needs a price in EUR" in caught.value.problems[0].message


def test_a_sale_price_alone_changes_the_sale_of_an_existing_price():
    rows = [
        {
            "sku": "M-1",
            "sale_price": "7.50 EUR",
            "sale_price_effective_date": "2026-03-01T00:00:00+01:00/2026-04-01T00:00:00+02:00",
        }
    ]
    result = import_products(rows, SCHEMA, at=AT, existing=[existing_mug()])
    price = result.products[0].price("EUR")
    assert price is not None
    assert (price.regular, price.sale) == (Money("10.00", "EUR"), Money("7.50", "EUR"))
    assert price.sale_until == dt.datetime.fromisoformat("2026-04-01T00:00:00+02:00")


# ---------------------------------------------------------------------------- columns and cells


def test_localized_and_scoped_columns_set_the_value_for_their_locale_and_channel():
    rows = csv_rows(
        "sku,product_type,title-en,title-de_DE,marketing_title-web,marketing_title-en-amazon,"
        "marketing_title-de_DE-web",
        "M-1,mug,Mug,Tasse,Mug for home,Mug (Amazon),Tasse (Web)",
    )
    (product,) = import_products(rows, SCHEMA, at=AT).products
    assert dict(product.values) == {
        ValueKey("marketing_title", "amazon", "en"): "Mug (Amazon)",
        ValueKey("marketing_title", "web", None): "Mug for home",
        ValueKey("marketing_title", "web", "de_DE"): "Tasse (Web)",
        ValueKey("title", None, "de_DE"): "Tasse",
        ValueKey("title", None, "en"): "Mug",
    }


def test_a_locale_in_a_column_may_be_written_with_a_hyphen():
    rows = [{"sku": "M-1", "product_type": "mug", "title-de-DE": "Tasse"}]
    (product,) = import_products(rows, SCHEMA, at=AT).products
    assert dict(product.values) == {ValueKey("title", locale="de_DE"): "Tasse"}


def test_every_attribute_type_and_product_field_is_read_from_text():
    rows = csv_rows(
        "sku,product_type,title-en,description-en,supplier_ref,weight,pieces,color,materials,"
        "dishwasher_safe,release,msrp,manual,gtin,mpn,brand,categories,images,availability,"
        "availability_date,condition,enabled,price,price-amazon,sale_price,"
        "sale_price_effective_date,stock-berlin,stock-warsaw",
        'M-1,mug,Mug,"Big mug.\nHolds tea.",ACME-7,1500 g,4,blue,"clay, polyester",Yes,'
        "2026-05-01,10.00 EUR;45.00 PLN,https://cdn.example/m.pdf,4006381333931,MUG-7,Acme,"
        '"kitchen,mugs",https://cdn.example/1.jpg|https://cdn.example/2.jpg,preorder,'
        "2026-05-01T00:00:00+02:00,refurbished,no,19.99 EUR;89.00 PLN,21.00 EUR,15.00 EUR,"
        "2026-03-01T00:00:00+01:00/2026-03-15T00:00:00+01:00,12,0",
    )
    (product,) = import_products(rows, SCHEMA, at=AT).products
    assert product.value("title", locale="en") == "Mug"
    assert product.value("description", locale="en") == "Big mug.\nHolds tea."
    assert product.value("supplier_ref") == "ACME-7"
    assert product.value("weight") == Metric("1500", "g")
    assert product.value("pieces") == Decimal(4)
    assert product.value("color") == "blue"
    assert product.value("materials") == ("clay", "polyester")
    assert product.value("dishwasher_safe") is True
    assert product.value("release") == dt.date(2026, 5, 1)
    assert product.value("msrp") == (Money("10.00", "EUR"), Money("45.00", "PLN"))
    assert product.value("manual") == "https://cdn.example/m.pdf"
    assert (product.gtin, product.mpn, product.brand) == (
        Gtin.parse("4006381333931"),
        "MUG-7",
        "Acme",
    )
    assert product.categories == ("kitchen", "mugs")
    assert product.media == (Image("https://cdn.example/1.jpg"), Image("https://cdn.example/2.jpg"))
    assert product.availability is Availability.PREORDER
    assert product.availability_date == dt.datetime.fromisoformat("2026-05-01T00:00:00+02:00")
    assert product.condition is Condition.REFURBISHED
    assert product.enabled is False
    assert product.stock == (StockLevel("berlin", 12), StockLevel("warsaw", 0))
    sale_from = dt.datetime.fromisoformat("2026-03-01T00:00:00+01:00")
    sale_until = dt.datetime.fromisoformat("2026-03-15T00:00:00+01:00")
    assert product.prices == (
        Price(
            Money("19.99", "EUR"),
            sale=Money("15.00", "EUR"),
            sale_from=sale_from,
            sale_until=sale_until,
        ),
        Price(Money("89.00", "PLN")),
        Price(Money("21.00", "EUR"), channel="amazon"),
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1", True), ("0", False), ("TRUE", True), ("false", False), (" yes ", True), ("No", False)],
)
def test_booleans_are_read_from_the_usual_spellings(cell, expected):
    rows = [{"sku": "M-1", "product_type": "mug", "dishwasher_safe": cell, "enabled": cell}]
    (product,) = import_products(rows, SCHEMA, at=AT).products
    assert product.value("dishwasher_safe") is expected
    assert product.enabled is expected


def test_other_spellings_of_a_boolean_are_refused():
    rows = [{"sku": "M-1", "product_type": "mug", "dishwasher_safe": "y", "enabled": "on"}]
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT)
    assert where(caught.value) == {(1, "dishwasher_safe"), (1, "enabled")}
    assert "not a boolean (1, 0, true, false, yes or no)" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("price", "12.00 XYZ", "not an ISO 4217 currency code"),
        ("price", "12.00 EUR;13.00 EUR", "two prices in EUR"),
        ("price-amazon", "12.00 PLN", "channel 'amazon' sells in EUR"),
        ("msrp", "lots", "write a price as '<amount> <currency>'"),
        ("availability", "soon", "not a Availability"),
        ("availability_date", "2026-05-01T00:00:00", "naive datetime"),
        ("availability_date", "May 1st", "not an ISO 8601 date and time"),
        ("sale_price_effective_date", "2026-03-01", "write a sale window as '<start>/<end>'"),
        ("condition", "mint", "not a Condition"),
        ("gtin", "4006381333932", "wrong check digit"),
        ("categories", "kitchen,bad code", "not a code"),
        ("release", "01.05.2026", "not an ISO date"),
        ("materials", "clay,clay", "an option twice"),
        ("stock-main", "1.5", "not a whole number of units"),
        ("title-en", "two\nlines", "a text attribute holds one line"),
    ],
)
def test_bad_cells_are_refused_with_a_message_naming_the_problem(column, cell, message):
    row = {"sku": "M-1", "product_type": "mug", column: cell}
    if column == "sale_price_effective_date":
        row |= {"price": "10 EUR", "sale_price": "8 EUR"}
    with pytest.raises(DataValidationError) as caught:
        import_products([row], SCHEMA, at=AT)
    (problem,) = caught.value.problems
    assert (problem.row, problem.field, problem.value) == (1, column, cell)
    assert message in problem.message


def test_a_sale_window_without_a_sale_price_is_refused():
    rows = [
        {
            "sku": "M-1",
            "product_type": "mug",
            "price": "10 EUR",
            "sale_price_effective_date": "2026-03-01T00:00:00+01:00/",
        }
    ]
    with pytest.raises(DataValidationError, match="a sale window needs a sale_price"):
        import_products(rows, SCHEMA, at=AT)


def test_categories_are_checked_against_the_known_ones_when_given():
    rows = [{"sku": "M-1", "product_type": "mug", "categories": "kitchen,garden"}]
    with pytest.raises(DataValidationError, match="unknown category 'garden'"):
        import_products(rows, SCHEMA, at=AT, categories={"kitchen"})
    assert import_products(rows, SCHEMA, at=AT).products[0].categories == ("kitchen", "garden")


def test_an_attribute_outside_the_product_type_is_refused():
    rows = [
        {"sku": "T-1", "product_type": "tshirt", "group": "shirt-1", "size": "M", "weight": "1 kg"}
    ]
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT)
    assert where(caught.value) == {(1, "weight")}
    assert "unknown attribute of product type 'tshirt'" in caught.value.problems[0].message


def test_a_group_for_a_type_without_variants_is_refused_on_the_group_column():
    rows = [{"sku": "M-1", "product_type": "mug", "group": "mugs", "title-en": "Mug"}]
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT)
    (problem,) = caught.value.problems
    assert (problem.row, problem.field, problem.value) == (1, "group", "mugs")
    assert "has no variant levels" in problem.message


def test_a_variant_row_may_not_set_the_values_of_its_group():
    rows = [
        {"sku": "T-1", "product_type": "tshirt", "group": "shirt-1", "size": "M", "title-en": "Tee"}
    ]
    with pytest.raises(DataValidationError) as caught:
        import_products(rows, SCHEMA, at=AT)
    assert where(caught.value) == {(1, "title-en")}
    assert "is set on the product group 'shirt-1'" in caught.value.problems[0].message


# ---------------------------------------------------------------------------- JSON rows


def test_json_rows_may_carry_typed_values():
    rows = [
        {
            "sku": "M-1",
            "product_type": "mug",
            "weight": {"amount": "0.35", "unit": "kg"},
            "pieces": 2,
            "materials": ["clay"],
            "dishwasher_safe": False,
            "release": dt.date(2026, 5, 1),
            "msrp": [{"amount": "10.00", "currency": "EUR"}, Money("45", "PLN")],
            "categories": ["kitchen"],
            "images": ["https://cdn.example/1.jpg", Image("https://cdn.example/2.jpg")],
            "enabled": True,
            "price": Money("12.00", "EUR"),
            "stock-main": 4,
            "availability_date": pendulum.datetime(2026, 5, 1, tz="UTC"),
            "title-en": None,
        }
    ]
    (product,) = import_products(rows, SCHEMA, at=AT).products
    assert product.value("weight") == Metric("0.35", "kg")
    assert product.value("pieces") == Decimal(2)
    assert product.value("materials") == ("clay",)
    assert product.value("dishwasher_safe") is False
    assert product.value("release") == dt.date(2026, 5, 1)
    assert product.value("msrp") == (Money("10.00", "EUR"), Money("45", "PLN"))
    assert product.media[1] == Image("https://cdn.example/2.jpg")
    assert product.price("EUR") == Price(Money("12.00", "EUR"))
    assert product.stock == (StockLevel("main", 4),)
    assert product.availability_date == pendulum.datetime(2026, 5, 1, tz="UTC")
    assert product.value("title", locale="en") is None


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("pieces", 2.0),
        ("weight", {"amount": 0.35, "unit": "kg"}),
        ("price", {"amount": 12.5, "currency": "EUR"}),
        ("msrp", [{"amount": 9.99, "currency": "EUR"}]),
    ],
)
def test_floats_in_json_rows_are_refused_with_the_float_message(column, cell):
    with pytest.raises(DataValidationError) as caught:
        import_products([{"sku": "M-1", "product_type": "mug", column: cell}], SCHEMA, at=AT)
    (problem,) = caught.value.problems
    assert problem.field == column
    assert "floats are not exact, pass the amount as a string" in problem.message


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("stock-main", 1.0),
        ("enabled", 1),
        ("sku", 17),
        ("title-en", 3),
        ("weight", {"kg": "1"}),
        ("images", 5),
        ("sale_price_effective_date", 5),
        ("price", 12),
    ],
)
def test_json_cells_of_the_wrong_type_are_refused(column, cell):
    row = {"sku": "M-1", "product_type": "mug", column: cell}
    if column == "sale_price_effective_date":
        row |= {"price": "10 EUR", "sale_price": "8 EUR"}
    with pytest.raises(DataValidationError) as caught:
        import_products([row], SCHEMA, at=AT)
    assert {problem.field for problem in caught.value.problems} == {column}
    assert "expected" in caught.value.problems[0].message


def test_a_key_that_is_not_a_column_name_is_reported():
    with pytest.raises(DataValidationError, match="a column without a name"):
        import_products([{"sku": "M-1", "product_type": "mug", None: ["x"]}], SCHEMA, at=AT)


# ---------------------------------------------------------------------------- arguments and results


def test_bad_arguments_raise_typed_errors():
    with pytest.raises(InvalidTypeError, match="schema"):
        import_products([], object(), at=AT)  # type: ignore[arg-type]
    with pytest.raises(NaiveDateTimeError):
        import_products([], SCHEMA, at=dt.datetime(2026, 3, 1))  # noqa: DTZ001
    with pytest.raises(InvalidTypeError, match="rows"):
        import_products("sku\nM-1", SCHEMA, at=AT)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="existing"):
        import_products([], SCHEMA, at=AT, existing=["M-1"])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="a SKU twice"):
        import_products([], SCHEMA, at=AT, existing=[existing_mug(), existing_mug()])


def test_an_empty_import_imports_nothing():
    assert import_products([], SCHEMA, at=AT) == ImportResult((), ())


def test_the_import_result_round_trips_through_json():
    rows = csv_rows(
        "sku,product_type,title-en,weight,price,gtin",
        "M-1,mug,Mug,0.3 kg,12.00 EUR,4006381333931",
        "M-2,mug,Cup,heavy,,",
    )
    result = import_products(rows, SCHEMA, at=AT, existing=[existing_mug()], keep_valid=True)
    assert result.events
    assert result.problems
    assert from_json(to_json(result), ImportResult) == result


def test_a_thousand_rows_are_imported_in_row_order():
    rows = [
        {"sku": f"M-{n}", "product_type": "mug", "title-en": f"Mug {n}", "price": "9.99 EUR"}
        for n in range(1000)
    ]
    result = import_products(rows, SCHEMA, at=AT)
    assert [product.sku for product in result.products] == [f"M-{n}" for n in range(1000)]
    assert len(result.events) == 1000


# ---------------------------------------------------------------------------- read_csv


def test_read_csv_reads_other_delimiters_a_byte_order_mark_and_quoted_line_breaks():
    text = '\ufeffsku;description-en\r\nM-1;"one\r\ntwo"\r\n\r\nM-2\r\n'
    assert read_csv(text, delimiter=";") == [
        {"sku": "M-1", "description-en": "one\r\ntwo"},
        {"sku": "M-2", "description-en": ""},
    ]


def test_read_csv_reads_an_open_text_file():
    source = io.StringIO("sku\tproduct_type\nM-1\tmug\n", newline="")
    assert read_csv(source, delimiter="\t") == [{"sku": "M-1", "product_type": "mug"}]


def test_read_csv_reports_every_row_with_more_cells_than_columns():
    with pytest.raises(DataValidationError) as caught:
        read_csv("sku,product_type\nM-1,mug,x\nM-2,mug\nM-3,mug,y,z\n")
    assert [(problem.row, problem.value) for problem in caught.value.problems] == [
        (1, ["x"]),
        (3, ["y", "z"]),
    ]


def test_read_csv_refuses_a_bad_header_and_bad_arguments():
    with pytest.raises(InvalidValueError, match="a column twice"):
        read_csv("sku,sku\n")
    with pytest.raises(InvalidValueError, match="a column has no name"):
        read_csv("sku,,title\n")
    with pytest.raises(InvalidValueError, match="no header"):
        read_csv("")
    with pytest.raises(InvalidValueError, match="one character"):
        read_csv("sku\n", delimiter=";;")
    with pytest.raises(InvalidTypeError, match="delimiter"):
        read_csv("sku\n", delimiter=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="CSV text or a text file object"):
        read_csv(42)  # type: ignore[arg-type]


def test_read_csv_reports_text_the_csv_reader_cannot_parse():
    with pytest.raises(DataValidationError, match="not valid CSV") as caught:
        read_csv('sku,title-en\nM-1,"Mug\nM-2,"Cup" of tea\n')
    assert caught.value.problems[0].row == 1
