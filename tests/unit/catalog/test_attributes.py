"""Attribute definitions: every type's canonical form, each constraint, and what is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ecomkit.catalog import AttributeDef, AttributeType, Metric, Option, UnitFamily
from ecomkit.errors import (
    FloatNotAllowedError,
    InvalidLocaleError,
    InvalidTypeError,
    InvalidValueError,
    UnknownCodeError,
)
from ecomkit.i18n import LocalizedText
from ecomkit.money import Money
from ecomkit.serialization import from_json, to_json


def weight(**constraints):
    return AttributeDef("weight", "metric", unit_family="weight", default_unit="kg", **constraints)


def refused(definition, value, error=InvalidValueError):
    """Check *value* against *definition*, expecting *error*; return the error."""
    with pytest.raises(error) as caught:
        definition.check(value)
    return caught.value


# ---------------------------------------------------------------- canonical forms


@pytest.mark.parametrize(
    ("definition", "given", "canonical"),
    [
        (AttributeDef("title", "text"), "Trail runner", "Trail runner"),
        (AttributeDef("body", "long_text"), "Line one\nLine two", "Line one\nLine two"),
        (AttributeDef("pages", "number"), "320", Decimal(320)),
        (AttributeDef("rating", "number"), 4, Decimal(4)),
        (AttributeDef("ratio", "number"), Decimal("0.50"), Decimal("0.50")),
        (weight(), "1.5 kg", Metric("1.5", "kg")),
        (weight(), Metric("3", "lb"), Metric("3", "lb")),
        (AttributeDef("msrp", "prices"), Money("10", "EUR"), (Money("10", "EUR"),)),
        (
            AttributeDef("msrp", "prices"),
            [Money("12", "USD"), Money("10", "EUR"), Money("900", "JPY")],
            (Money("10", "EUR"), Money("900", "JPY"), Money("12", "USD")),
        ),
        (AttributeDef("organic", "boolean"), False, False),
        (AttributeDef("released", "date"), "2026-03-01", dt.date(2026, 3, 1)),
        (AttributeDef("released", "date"), dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
        (AttributeDef("size", "single_select", options=["S", "M"]), "M", "M"),
        (
            AttributeDef("tags", "multi_select", options=["eco", "new", "sale"]),
            ["sale", "eco"],
            ("sale", "eco"),
        ),
        (AttributeDef("image", "media"), "https://cdn.example/a.jpg", "https://cdn.example/a.jpg"),
        (AttributeDef("ean", "identifier"), "4006381333931", "4006381333931"),
    ],
    ids=lambda item: item.code if isinstance(item, AttributeDef) else None,
)
def test_check_returns_the_canonical_form_of_each_type(definition, given, canonical):
    checked = definition.check(given)
    assert checked == canonical
    assert type(checked) is type(canonical)


def test_every_attribute_type_is_covered_by_a_canonical_form_test():
    covered = {
        "text",
        "long_text",
        "number",
        "metric",
        "prices",
        "boolean",
        "date",
        "single_select",
        "multi_select",
        "media",
        "identifier",
    }
    assert {kind.value for kind in AttributeType} == covered


def test_a_date_subclass_comes_back_as_a_plain_date():
    class Day(dt.date):
        pass

    checked = AttributeDef("released", "date").check(Day(2026, 3, 1))
    assert type(checked) is dt.date


def test_a_multi_select_keeps_the_order_given():
    tags = AttributeDef("tags", "multi_select", options=["a", "b", "c"])
    assert tags.check(("c", "a")) == ("c", "a")
    assert tags.check(iter(["b"])) == ("b",)


# ---------------------------------------------------------------- text constraints


def test_a_text_is_one_line():
    title = AttributeDef("title", "text")
    for text in ("two\nlines", "carriage\rreturn"):
        error = refused(title, text)
        assert error.field == "title"
        assert "long_text" in error.reason


def test_a_text_with_a_lone_surrogate_is_refused_as_not_unicode():
    title = AttributeDef("title", "text")
    error = refused(title, "caf\udce9")
    assert error.field == "title"
    assert "lone surrogate '\\udce9' at position 3" in error.reason
    assert title.check("café") == "café"


def test_text_lengths_default_by_type():
    assert AttributeDef("t", "text").max_length == 255
    assert AttributeDef("t", "identifier").max_length == 255
    assert AttributeDef("t", "long_text").max_length == 65_535
    assert AttributeDef("t", "media").max_length == 2_000
    assert AttributeDef("t", "number").max_length is None
    assert AttributeDef("title", "text").check("x" * 255) == "x" * 255
    refused(AttributeDef("title", "text"), "x" * 256)
    refused(AttributeDef("body", "long_text"), "x" * 65_536)


def test_max_characters_limits_text_in_both_directions():
    short = AttributeDef("title", "text", max_characters=5)
    assert short.check("12345") == "12345"
    error = refused(short, "123456")
    assert (error.field, error.value) == ("title", "123456")
    longer = AttributeDef("title", "text", max_characters=300)
    assert longer.check("x" * 300) == "x" * 300
    assert AttributeDef("image", "media", max_characters=10).max_length == 10


@pytest.mark.parametrize(("limit", "error"), [(0, InvalidValueError), ("5", InvalidTypeError)])
def test_max_characters_must_be_a_positive_int(limit, error):
    with pytest.raises(error) as caught:
        AttributeDef("title", "text", max_characters=limit)
    assert caught.value.field == "max_characters"


def test_a_pattern_must_match_the_whole_text():
    sku = AttributeDef("code", "identifier", pattern=r"[A-Z]{2}-\d{3}")
    assert sku.check("AB-123") == "AB-123"
    for text in ("AB-1234", "xAB-123", "ab-123"):
        error = refused(sku, text)
        assert error.field == "code"
        assert "pattern" in error.reason


def test_a_pattern_must_be_a_regular_expression():
    with pytest.raises(InvalidValueError) as caught:
        AttributeDef("code", "text", pattern="[A-Z")
    assert caught.value.field == "pattern"
    with pytest.raises(InvalidTypeError):
        AttributeDef("code", "text", pattern=3)


def test_an_identifier_has_no_spaces():
    ean = AttributeDef("ean", "identifier")
    for text in ("4006 381333931", "4006381333931\t", "a\nb"):
        assert refused(ean, text).field == "ean"


def test_blank_and_non_text_values_are_refused_by_text_types():
    for kind in ("text", "long_text", "identifier", "media"):
        definition = AttributeDef("field", kind)
        assert refused(definition, "   ").reason == "must not be blank"
        assert refused(definition, 42, InvalidTypeError).field == "field"


# ---------------------------------------------------------------- numbers


def test_number_bounds_are_inclusive():
    rating = AttributeDef("rating", "number", minimum=1, maximum="5")
    assert rating.minimum == Decimal(1)
    assert rating.check("1") == 1
    assert rating.check("5.0") == 5
    assert "minimum" in refused(rating, "0.99").reason
    assert "maximum" in refused(rating, "5.01").reason


def test_decimals_can_be_forbidden():
    pages = AttributeDef("pages", "number", decimals_allowed=False)
    assert pages.check("320") == 320
    assert pages.check("2.0") == 2  # a whole number written with a decimal point
    assert refused(pages, "2.5").reason == "decimals are not allowed"


def test_numbers_refuse_floats_bools_and_words():
    pages = AttributeDef("pages", "number")
    assert refused(pages, 2.5, FloatNotAllowedError).field == "pages"
    assert refused(pages, True, InvalidTypeError).field == "pages"
    assert refused(pages, "many").field == "pages"


def test_bounds_must_be_exact_and_in_order():
    with pytest.raises(FloatNotAllowedError):
        AttributeDef("rating", "number", minimum=1.5)
    with pytest.raises(InvalidValueError) as caught:
        AttributeDef("rating", "number", minimum=5, maximum=1)
    assert caught.value.field == "maximum"


# ---------------------------------------------------------------- metrics


def test_metric_bounds_are_stated_in_the_default_unit():
    parcel = weight(minimum="0.5", maximum="2")
    assert parcel.check("500 g") == Metric("500", "g")
    assert parcel.check("4.4 lb") == Metric("4.4", "lb")  # 1.9958... kg
    assert parcel.check("2 kg") == Metric("2", "kg")
    low = refused(parcel, "499 g")
    assert low.field == "weight"
    assert "0.5 kg" in low.reason
    assert "2 kg" in refused(parcel, "4.5 lb").reason  # 2.041... kg


def test_a_metric_may_forbid_decimals():
    count = AttributeDef("pieces", "metric", unit_family="count", default_unit="ct")
    strict = AttributeDef(
        "pieces", "metric", unit_family="count", default_unit="ct", decimals_allowed=False
    )
    assert count.check("1.5 ct") == Metric("1.5", "ct")
    assert refused(strict, "1.5 ct").reason == "decimals are not allowed"


def test_a_metric_in_another_family_is_refused():
    error = refused(weight(), "1 m")
    assert error.field == "weight"
    assert "not a weight unit" in error.reason
    assert refused(weight(), Metric("1", "l")).field == "weight"


def test_a_metric_with_an_unknown_unit_names_the_attribute():
    error = refused(weight(), "1 stone")
    assert error.field == "weight"
    assert "stone" in error.reason


def test_a_metric_must_be_written_with_its_unit():
    assert refused(weight(), "1kg").field == "weight"
    assert refused(weight(), 1, InvalidTypeError).field == "weight"


def test_a_metric_with_a_bad_amount_names_the_attribute():
    assert refused(weight(), "heavy kg").field == "weight"


def test_a_metric_needs_a_unit_family_and_a_default_unit_of_that_family():
    with pytest.raises(InvalidValueError) as caught:
        AttributeDef("weight", "metric")
    assert caught.value.field == "unit_family"
    with pytest.raises(InvalidValueError):
        AttributeDef("weight", "metric", unit_family="weight")
    with pytest.raises(InvalidValueError) as caught:
        AttributeDef("weight", "metric", unit_family="weight", default_unit="m")
    assert caught.value.field == "default_unit"
    with pytest.raises(UnknownCodeError):
        AttributeDef("weight", "metric", unit_family="weight", default_unit="stone")
    with pytest.raises(InvalidValueError) as caught:
        AttributeDef("weight", "metric", unit_family="mass", default_unit="kg")
    assert caught.value.field == "unit_family"


def test_the_unit_family_is_read_as_the_enum():
    assert weight().unit_family is UnitFamily.WEIGHT
    assert weight().default_unit == "kg"


# ---------------------------------------------------------------- prices


def test_a_price_collection_holds_one_price_per_currency():
    msrp = AttributeDef("msrp", "prices")
    error = refused(msrp, [Money("1", "EUR"), Money("2", "EUR")])
    assert "EUR" in error.reason
    assert refused(msrp, []).reason == "needs at least one price"
    assert refused(msrp, ["1 EUR"], InvalidTypeError).field == "msrp"
    assert refused(msrp, "1 EUR", InvalidTypeError).field == "msrp"


def test_price_bounds_and_decimals_apply_to_each_price():
    msrp = AttributeDef("msrp", "prices", minimum=0, maximum=1000, decimals_allowed=False)
    assert msrp.check([Money("0", "EUR"), Money("1000", "JPY")]) == (
        Money("0", "EUR"),
        Money("1000", "JPY"),
    )
    refused(msrp, [Money("10", "EUR"), Money("-1", "USD")])
    refused(msrp, [Money("1001", "JPY")])
    assert refused(msrp, [Money("9.99", "EUR")]).reason == "decimals are not allowed"


# ---------------------------------------------------------------- booleans and dates


@pytest.mark.parametrize("value", [1, 0, "true", "yes", None])
def test_a_boolean_is_only_true_or_false(value):
    assert refused(AttributeDef("organic", "boolean"), value, InvalidTypeError).field == "organic"


def test_date_bounds_are_inclusive():
    season = AttributeDef("released", "date", date_min="2026-01-01", date_max=dt.date(2026, 12, 31))
    assert season.date_min == dt.date(2026, 1, 1)
    assert season.check("2026-01-01") == dt.date(2026, 1, 1)
    assert season.check("2026-12-31") == dt.date(2026, 12, 31)
    assert "before 2026-01-01" in refused(season, "2025-12-31").reason
    assert "after 2026-12-31" in refused(season, "2027-01-01").reason


def test_a_date_refuses_datetimes_and_other_formats():
    released = AttributeDef("released", "date")
    refused(released, dt.datetime(2026, 3, 1, tzinfo=dt.UTC), InvalidTypeError)
    assert refused(released, "01.03.2026").field == "released"
    refused(released, 20260301, InvalidTypeError)


def test_date_bounds_must_be_dates_in_order():
    with pytest.raises(InvalidValueError) as caught:
        AttributeDef("released", "date", date_min="2026-12-31", date_max="2026-01-01")
    assert caught.value.field == "date_max"
    with pytest.raises(InvalidTypeError):
        AttributeDef("released", "date", date_min=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(InvalidValueError):
        AttributeDef("released", "date", date_max="next year")


# ---------------------------------------------------------------- selects


def test_a_single_select_takes_one_declared_option():
    size = AttributeDef("size", "single_select", options=[Option("S", {"en": "Small"}), "M"])
    assert size.option_codes == frozenset({"S", "M"})
    assert size.options[0].label.get("en") == "Small"
    error = refused(size, "XL")
    assert (error.field, error.value) == ("size", "XL")
    assert "S, M" in error.reason
    refused(size, ["S"], InvalidTypeError)


def test_a_multi_select_takes_distinct_declared_options():
    tags = AttributeDef("tags", "multi_select", options=["eco", "new"])
    assert "twice" in refused(tags, ["eco", "eco"]).reason
    assert refused(tags, []).reason == "needs at least one option"
    assert refused(tags, ["eco", "old"]).value == "old"
    refused(tags, "eco", InvalidTypeError)
    refused(tags, ["eco", 3], InvalidTypeError)


@pytest.mark.parametrize("kind", ["single_select", "multi_select"])
def test_a_select_without_options_is_refused(kind):
    with pytest.raises(InvalidValueError) as caught:
        AttributeDef("size", kind)
    assert caught.value.field == "options"


def test_an_option_declared_twice_is_refused():
    with pytest.raises(InvalidValueError) as caught:
        AttributeDef("size", "single_select", options=["S", Option("M"), Option("S")])
    assert (caught.value.field, caught.value.value) == ("options", "S")


def test_options_must_be_a_list_of_options_or_codes():
    with pytest.raises(InvalidTypeError):
        AttributeDef("size", "single_select", options="SML")
    with pytest.raises(InvalidTypeError):
        AttributeDef("size", "single_select", options=[1, 2])
    with pytest.raises(InvalidValueError):
        AttributeDef("size", "single_select", options=["extra large"])


# ---------------------------------------------------------------- misplaced constraints


@pytest.mark.parametrize(
    ("kind", "constraint"),
    [
        ("number", {"max_characters": 10}),
        ("media", {"pattern": "x"}),
        ("boolean", {"pattern": "x"}),
        ("text", {"minimum": 1}),
        ("date", {"maximum": 1}),
        ("text", {"decimals_allowed": False}),
        ("boolean", {"options": ["a"]}),
        ("text", {"unit_family": "weight"}),
        ("number", {"default_unit": "kg"}),
        ("number", {"date_min": "2026-01-01"}),
        ("text", {"date_max": "2026-01-01"}),
    ],
)
def test_a_constraint_on_a_type_it_does_not_apply_to_is_refused(kind, constraint):
    with pytest.raises(InvalidValueError) as caught:
        AttributeDef("field", kind, **constraint)
    (name,) = constraint
    assert caught.value.field == name
    assert f"a {kind} attribute" in caught.value.reason


# ---------------------------------------------------------------- codes, types, labels


def test_a_definition_checks_its_code_and_type():
    with pytest.raises(InvalidValueError) as caught:
        AttributeDef("has space", "text")
    assert caught.value.field == "code"
    with pytest.raises(InvalidTypeError):
        AttributeDef(3, "text")
    with pytest.raises(InvalidValueError) as caught:
        AttributeDef("title", "colour")
    assert caught.value.field == "type"
    assert AttributeDef("title", AttributeType.TEXT) == AttributeDef("title", "text")


@pytest.mark.parametrize("flag", ["localizable", "scopable", "unique", "decimals_allowed"])
def test_flags_must_be_booleans(flag):
    with pytest.raises(InvalidTypeError) as caught:
        AttributeDef("pages", "number", **{flag: 1})
    assert caught.value.field == flag


def test_labels_are_localized_text_with_fallback_to_the_code():
    title = AttributeDef("title", "text", label={"en": "Title", "de": "Titel"})
    assert title.label == LocalizedText({"en": "Title", "de": "Titel"})
    assert title.label_in("de_AT") == "Titel"
    assert title.label_in("fr") == "title"


def test_bad_labels_are_refused():
    with pytest.raises(InvalidTypeError) as caught:
        AttributeDef("title", "text", label="Title")
    assert caught.value.field == "label"
    with pytest.raises(InvalidTypeError):
        AttributeDef("title", "text", label=["Title"])
    with pytest.raises(InvalidTypeError):
        AttributeDef("title", "text", label={"en": 3})
    with pytest.raises(InvalidLocaleError):
        AttributeDef("title", "text", label={"not a locale": "Title"})
    with pytest.raises(InvalidTypeError) as caught:
        Option("S", "Small")
    assert caught.value.field == "label"


# ---------------------------------------------------------------- JSON


@pytest.mark.parametrize(
    "definition",
    [
        AttributeDef("title", "text", label={"en": "Title"}, localizable=True, max_characters=150),
        weight(minimum="0.1", maximum="30"),
        AttributeDef("size", "single_select", options=[Option("S", {"en": "Small"}), "M"]),
        AttributeDef("released", "date", date_min="2020-01-01"),
        AttributeDef("msrp", "prices", minimum=0, decimals_allowed=False),
        AttributeDef("ean", "identifier", pattern=r"\d{13}", unique=True),
    ],
    ids=lambda definition: definition.code,
)
def test_a_definition_round_trips_through_json(definition):
    back = from_json(to_json(definition), AttributeDef)
    assert back == definition
    assert back.option_codes == definition.option_codes
