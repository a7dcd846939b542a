"""Product groups and variants: group edits, variant checks, cartesian generation."""

from __future__ import annotations

import pendulum
import pytest

from ecomkit.catalog import (
    AttributeDef,
    CatalogSchema,
    Channel,
    GroupCreated,
    GroupEdit,
    GroupEdited,
    Image,
    Metric,
    Product,
    ProductEvent,
    ProductGroup,
    ProductType,
    RemoveValue,
    SetBrand,
    SetCategories,
    SetMedia,
    SetValue,
    ValueKey,
    Values,
    VariantLevel,
    VariantProblem,
    check_variants,
    create_group,
    edit_group,
    edit_product,
    generate_variants,
    raise_for_variants,
    variant_values,
)
from ecomkit.errors import (
    DataValidationError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
    UnknownCodeError,
    VariantLimitError,
)
from ecomkit.serialization import from_json, to_json


AT = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Berlin")
LATER = AT.add(hours=1)


def schema():
    return CatalogSchema(
        [
            AttributeDef("title", "text", localizable=True),
            AttributeDef("material", "text"),
            AttributeDef("color", "single_select", options=["red", "blue", "green"]),
            AttributeDef("size", "single_select", options=["S", "M", "L", "XL"]),
            AttributeDef("image", "media"),
            AttributeDef("ean", "identifier"),
            AttributeDef("weight", "metric", unit_family="weight", default_unit="kg"),
            AttributeDef("organic", "boolean"),
        ],
        [
            ProductType(
                "tshirt",
                ["title", "material", "color", "size", "image", "ean"],
                description_attribute=None,
                variant_levels=[
                    VariantLevel(["color"], ["image"]),
                    VariantLevel(["size"], ["ean"]),
                ],
            ),
            ProductType(
                "flour",
                ["title", "weight", "organic"],
                description_attribute=None,
                variant_levels=[VariantLevel(["weight", "organic"])],
            ),
            ProductType("book", ["title"], description_attribute=None),
        ],
        [Channel("web", ["en", "de"], ["EUR"])],
    )


SCHEMA = schema()


def tshirt_group(**kwargs):
    changes = [SetValue("title", "Organic tee", locale="en"), SetValue("material", "cotton")]
    return create_group(SCHEMA, code="tee", product_type="tshirt", changes=changes, at=AT, **kwargs)


def variant(sku, *, group="tee", product_type="tshirt", **values):
    data = {ValueKey(name): value for name, value in values.items()}
    return Product(sku, product_type, group=group, values=Values(data))


# ------------------------------------------------------------------ groups


def test_a_group_is_created_with_its_shared_values_at_version_one():
    edit = tshirt_group()
    assert edit.group.code == "tee"
    assert edit.group.values.get_value("title", locale="en_GB") == "Organic tee"
    assert edit.group.values.get_value("material") == "cotton"
    assert edit.group.version == 1
    assert edit.event == GroupCreated("tee", "tshirt", AT, 1, edit.event.changes)
    assert [change.attribute for change in edit.event.changes] == ["title", "material"]


def test_a_group_event_records_values_in_canonical_form():
    edit = create_group(
        SCHEMA,
        code="flour",
        product_type="flour",
        changes=[SetValue("title", "Flour", locale="en")],
        at=AT,
    )
    assert edit.event.changes == (SetValue("title", "Flour", locale="en"),)


def test_a_group_refuses_a_variant_level_attribute():
    for attribute, value, level in (("color", "red", 1), ("ean", "123", 2), ("image", "a", 1)):
        with pytest.raises(InvalidValueError, match=rf"variants \(level {level}\)") as caught:
            create_group(
                SCHEMA,
                code="tee",
                product_type="tshirt",
                changes=[SetValue(attribute, value)],
                at=AT,
            )
        assert caught.value.value == attribute


def test_a_group_refuses_an_attribute_outside_its_type():
    with pytest.raises(UnknownCodeError, match="weight"):
        create_group(
            SCHEMA, code="tee", product_type="tshirt", changes=[SetValue("weight", "1 kg")], at=AT
        )


def test_a_type_without_variant_levels_has_no_groups():
    with pytest.raises(InvalidValueError, match="no variant levels") as caught:
        create_group(SCHEMA, code="b", product_type="book", at=AT)
    assert caught.value.value == "book"


def test_an_unknown_product_type_is_named():
    with pytest.raises(UnknownCodeError, match="'hat'"):
        create_group(SCHEMA, code="h", product_type="hat", at=AT)


def test_a_group_refuses_changes_that_belong_to_products():
    with pytest.raises(InvalidTypeError, match="SetBrand") as caught:
        create_group(SCHEMA, code="t", product_type="tshirt", changes=[SetBrand("Acme")], at=AT)
    assert caught.value.field == "changes"


def test_a_group_refuses_a_single_change_instead_of_a_list():
    with pytest.raises(InvalidTypeError, match="a list of changes"):
        create_group(SCHEMA, code="t", product_type="tshirt", changes=SetMedia([]), at=AT)  # type: ignore[arg-type]


def test_a_group_needs_an_aware_time():
    with pytest.raises(NaiveDateTimeError):
        create_group(SCHEMA, code="t", product_type="tshirt", at=AT.naive())


def test_a_group_code_must_be_a_code():
    with pytest.raises(InvalidValueError, match="not a code"):
        create_group(SCHEMA, code="tee shirt", product_type="tshirt", at=AT)


def test_editing_a_group_bumps_its_version_and_records_only_real_changes():
    group = tshirt_group().group
    edit = edit_group(
        SCHEMA,
        group,
        [
            SetValue("material", "cotton"),  # no change
            SetValue("title", "Bio-Shirt", locale="de"),
            SetMedia([Image("https://img.example/tee.jpg")]),
            SetCategories(["men", "tops"]),
        ],
        at=LATER,
    )
    assert edit.group.version == 2
    assert isinstance(edit.event, GroupEdited)
    assert edit.event.version == 2
    assert edit.event.at == LATER
    assert [type(change).__name__ for change in edit.event.changes] == [
        "SetValue",
        "SetMedia",
        "SetCategories",
    ]
    assert edit.group.categories == ("men", "tops")
    assert edit.group.media[0].url == "https://img.example/tee.jpg"


def test_an_edit_that_changes_nothing_returns_the_same_group_without_event():
    group = tshirt_group().group
    edit = edit_group(SCHEMA, group, [SetValue("material", "cotton")], at=LATER)
    assert edit.group is group
    assert edit.event is None


def test_a_group_edit_is_all_or_nothing():
    group = tshirt_group().group
    with pytest.raises(InvalidValueError):
        edit_group(
            SCHEMA,
            group,
            [SetValue("material", "linen"), SetValue("size", "M"), SetValue("title", "x")],
            at=LATER,
        )
    assert group.values.get_value("material") == "cotton"
    assert group.version == 1


def test_removing_a_group_value_removes_exactly_that_key():
    group = tshirt_group().group
    edit = edit_group(SCHEMA, group, [RemoveValue("title", locale="en")], at=LATER)
    assert edit.group.values.get_value("title", locale="en") is None
    assert edit.group.values.get_value("material") == "cotton"


def test_removing_a_variant_level_value_from_a_group_is_refused():
    group = tshirt_group().group
    with pytest.raises(InvalidValueError, match="level 2"):
        edit_group(SCHEMA, group, [RemoveValue("ean")], at=LATER)


def test_group_categories_are_checked_against_the_known_ones():
    group = tshirt_group().group
    with pytest.raises(UnknownCodeError, match="'hats'") as caught:
        edit_group(SCHEMA, group, [SetCategories(["hats"])], at=LATER, categories={"men"})
    assert caught.value.kind == "category"
    edit = edit_group(SCHEMA, group, [SetCategories(["men"])], at=LATER, categories={"men"})
    assert edit.group.categories == ("men",)


def test_edit_group_refuses_something_that_is_not_a_group():
    with pytest.raises(InvalidTypeError, match="ProductGroup"):
        edit_group(SCHEMA, variant("T-1"), [], at=LATER)  # type: ignore[arg-type]


def test_a_group_refuses_the_same_image_twice():
    with pytest.raises(InvalidValueError, match="an image twice"):
        ProductGroup("tee", "tshirt", media=[Image("a.jpg"), Image("a.jpg")])


def test_a_group_refuses_values_that_are_not_values():
    with pytest.raises(InvalidTypeError, match="Values"):
        ProductGroup("tee", "tshirt", values={"title": "x"})  # type: ignore[arg-type]


def test_groups_and_their_events_round_trip_through_json():
    created = tshirt_group()
    edited = edit_group(SCHEMA, created.group, [SetCategories(["men"])], at=LATER)
    assert from_json(to_json(created.group), ProductGroup) == created.group
    assert from_json(to_json(created), GroupEdit) == created
    assert from_json(to_json(edited), GroupEdit) == edited
    assert from_json(to_json(created.event), ProductEvent) == created.event
    assert from_json(to_json(edited.event), ProductEvent) == edited.event
    assert '"type":"GroupEdited"' in to_json(edited.event)


def test_a_malformed_group_document_is_refused_with_its_path():
    with pytest.raises(DataValidationError) as caught:
        from_json('{"code": "tee", "product_type": "tshirt", "version": -1}', ProductGroup)
    assert "version" in str(caught.value)


# ------------------------------------------------------------------ variant values


def test_a_variant_shows_its_values_over_the_group_values():
    group = tshirt_group().group
    red = variant("T-RED-S", color="red", size="S", image="red.jpg")
    values = variant_values(group, red)
    assert values.get_value("material") == "cotton"
    assert values.get_value("color") == "red"
    assert values.get_value("title", locale="en") == "Organic tee"


def test_a_variant_value_wins_over_the_group_value_under_the_same_key():
    group = ProductGroup("tee", "tshirt", values=Values({ValueKey("image"): "group.jpg"}))
    red = variant("T-RED-S", image="red.jpg")
    assert variant_values(group, red).get_value("image") == "red.jpg"


def test_variant_values_refuses_a_product_of_another_group():
    group = tshirt_group().group
    with pytest.raises(InvalidValueError, match="not a variant of group 'tee'"):
        variant_values(group, variant("X-1", group="other"))
    with pytest.raises(InvalidTypeError, match="Product"):
        variant_values(group, "X-1")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="ProductGroup"):
        variant_values("tee", variant("X-1"))  # type: ignore[arg-type]


# ------------------------------------------------------------------ variant checks


def good_variants():
    return [
        variant("T-RED-S", color="red", size="S", image="red.jpg", ean="1"),
        variant("T-RED-M", color="red", size="M", image="red.jpg", ean="2"),
        variant("T-BLUE-S", color="blue", size="S", image="blue.jpg", ean="3"),
    ]


def test_well_formed_variants_have_no_problems():
    group = tshirt_group().group
    assert check_variants(SCHEMA, group, good_variants()) == ()
    raise_for_variants(SCHEMA, group, good_variants())  # does not raise


def test_a_variant_missing_an_axis_value_is_reported_per_axis():
    group = tshirt_group().group
    problems = check_variants(SCHEMA, group, [variant("T-1", image="a.jpg")])
    assert problems == (
        VariantProblem("T-1", "color", "has no value for the axis color"),
        VariantProblem("T-1", "size", "has no value for the axis size"),
    )


def test_an_axis_value_kept_per_locale_is_reported():
    group = tshirt_group().group
    odd = Product(
        "T-1",
        "tshirt",
        group="tee",
        values=Values({ValueKey("color", locale="en"): "red", ValueKey("size"): "S"}),
    )
    (problem,) = check_variants(SCHEMA, group, [odd])
    assert problem.attribute == "color"
    assert "color[*/en]" in problem.message


def test_an_axis_with_two_values_is_reported():
    group = tshirt_group().group
    odd = Product(
        "T-1",
        "tshirt",
        group="tee",
        values=Values(
            {ValueKey("color"): "red", ValueKey("color", "web"): "blue", ValueKey("size"): "S"}
        ),
    )
    (problem,) = check_variants(SCHEMA, group, [odd])
    assert problem == VariantProblem("T-1", "color", "has 2 values for the axis color, not one")


def test_two_siblings_with_the_same_axis_values_are_both_named():
    group = tshirt_group().group
    twins = [*good_variants(), variant("T-RED-S-2", color="red", size="S", image="red.jpg")]
    (problem,) = check_variants(SCHEMA, group, twins)
    assert problem.sku == "T-RED-S-2"
    assert "T-RED-S " in problem.message
    assert "color='red', size='S'" in problem.message


def test_the_same_measurement_in_another_unit_is_the_same_combination():
    group = ProductGroup("flour", "flour")
    problems = check_variants(
        SCHEMA,
        group,
        [
            variant("F-1KG", group="flour", product_type="flour", weight=Metric("1", "kg"),
                    organic=True),
            variant("F-1000G", group="flour", product_type="flour", weight=Metric("1000", "g"),
                    organic=True),
            variant("F-1KG-NO", group="flour", product_type="flour", weight=Metric("1", "kg"),
                    organic=False),
        ],
    )  # fmt: skip
    assert [problem.sku for problem in problems] == ["F-1000G"]
    assert "F-1KG" in problems[0].message


def test_level_one_attributes_must_agree_among_variants_of_the_same_colour():
    group = tshirt_group().group
    variants = [*good_variants(), variant("T-RED-L", color="red", size="L", image="other.jpg")]
    (problem,) = check_variants(SCHEMA, group, variants)
    assert problem.sku == "T-RED-L"
    assert problem.attribute == "image"
    assert "T-RED-S" in problem.message
    assert "color='red'" in problem.message


def test_a_missing_level_one_attribute_is_a_disagreement_too():
    group = tshirt_group().group
    variants = [*good_variants(), variant("T-RED-L", color="red", size="L")]
    (problem,) = check_variants(SCHEMA, group, variants)
    assert (problem.sku, problem.attribute) == ("T-RED-L", "image")


def test_level_two_attributes_may_differ_between_siblings():
    group = tshirt_group().group
    variants = good_variants()
    assert variants[0].values.get_value("ean") != variants[1].values.get_value("ean")
    assert check_variants(SCHEMA, group, variants) == ()


def test_a_variant_holding_a_group_attribute_is_reported():
    group = tshirt_group().group
    odd = variant("T-1", color="red", size="S", image="red.jpg", material="wool")
    assert check_variants(SCHEMA, group, [odd]) == (
        VariantProblem("T-1", "material", "is set on the group 'tee', not on variants"),
    )


def test_a_variant_holding_an_attribute_outside_its_type_is_reported():
    group = tshirt_group().group
    odd = variant("T-1", color="red", size="S", image="red.jpg", organic=True)
    (problem,) = check_variants(SCHEMA, group, [odd])
    assert (problem.attribute, problem.message) == (
        "organic",
        "is not an attribute of the type 'tshirt'",
    )


def test_a_product_of_another_group_or_type_is_reported():
    group = tshirt_group().group
    stranger = variant("T-1", group="other", color="red", size="S", image="red.jpg")
    loner = variant("T-2", group=None, color="blue", size="S", image="blue.jpg")
    flour = variant("F-1", product_type="flour", weight=Metric("1", "kg"), organic=True)
    problems = check_variants(SCHEMA, group, [stranger, loner, flour])
    assert [str(problem) for problem in problems] == [
        "T-1: belongs to group 'other', not to 'tee'",
        "T-2: belongs to no group, not to 'tee'",
        "F-1: is a 'flour', the group a 'tshirt'",
    ]


def test_check_variants_refuses_what_is_not_a_product():
    group = tshirt_group().group
    with pytest.raises(InvalidTypeError, match="Product"):
        check_variants(SCHEMA, group, ["T-1"])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="ProductGroup"):
        check_variants(SCHEMA, "tee", [])  # type: ignore[arg-type]


def test_raise_for_variants_lists_every_problem_at_the_variant_position():
    group = tshirt_group().group
    variants = [*good_variants(), variant("T-X", image="x.jpg")]
    with pytest.raises(DataValidationError) as caught:
        raise_for_variants(SCHEMA, group, variants)
    error = caught.value
    assert error.target == "variants of tee"
    assert [(p.path, p.field) for p in error.problems] == [("$[3]", "color"), ("$[3]", "size")]
    assert error.messages()[0] == "T-X.color: has no value for the axis color @ $[3]"


# ------------------------------------------------------------------ generation


def test_variants_are_generated_for_every_combination_in_a_stable_order():
    group = tshirt_group().group
    edits = generate_variants(
        SCHEMA,
        group,
        {"color": ["red", "blue"], "size": ["S", "M", "L"]},
        sku="{group}-{color}-{size}",
        at=AT,
    )
    assert [edit.product.sku for edit in edits] == [
        "tee-red-S",
        "tee-red-M",
        "tee-red-L",
        "tee-blue-S",
        "tee-blue-M",
        "tee-blue-L",
    ]
    first = edits[0]
    assert first.product.group == "tee"
    assert first.product.version == 1
    assert first.event is not None
    assert first.event.group == "tee"
    assert first.event.at == AT
    assert first.event.changes == (SetValue("color", "red"), SetValue("size", "S"))
    assert check_variants(SCHEMA, group, [edit.product for edit in edits]) == ()


def test_existing_combinations_are_skipped():
    group = tshirt_group().group
    existing = [variant("OLD-RED-S", color="red", size="S", image="red.jpg")]
    edits = generate_variants(
        SCHEMA,
        group,
        {"color": ["red"], "size": ["S", "M"]},
        sku="{group}-{color}-{size}",
        at=AT,
        existing=existing,
    )
    assert [edit.product.sku for edit in edits] == ["tee-red-M"]


def test_generating_again_with_the_same_options_creates_nothing():
    group = tshirt_group().group
    options = {"color": ["red", "blue"], "size": ["S"]}
    first = generate_variants(SCHEMA, group, options, sku="{group}-{color}-{size}", at=AT)
    again = generate_variants(
        SCHEMA,
        group,
        options,
        sku="{group}-{color}-{size}",
        at=LATER,
        existing=[edit.product for edit in first],
    )
    assert again == ()


def test_too_many_combinations_raise_before_anything_is_built():
    group = tshirt_group().group
    with pytest.raises(VariantLimitError) as caught:
        generate_variants(
            SCHEMA,
            group,
            {"color": ["red", "blue", "green"], "size": ["S", "M", "L", "XL"]},
            sku="{group}-{color}-{size}",
            at=AT,
            limit=11,
        )
    error = caught.value
    assert (error.count, error.limit) == (12, 11)
    assert "3 color x 4 size options make 12 variants" in str(error)


def test_the_limit_counts_every_combination_even_those_that_exist():
    group = tshirt_group().group
    options = {"color": ["red", "blue"], "size": ["S"]}
    existing = [variant("OLD", color="red", size="S", image="r.jpg")]
    with pytest.raises(VariantLimitError):
        generate_variants(
            SCHEMA, group, options, sku="{group}-{color}-{size}", at=AT, existing=existing, limit=1
        )


def test_an_unknown_axis_in_the_options_is_named():
    group = tshirt_group().group
    with pytest.raises(UnknownCodeError, match="'fit'") as caught:
        generate_variants(
            SCHEMA, group, {"color": ["red"], "size": ["S"], "fit": ["slim"]}, sku="{group}", at=AT
        )
    assert caught.value.known == ("color", "size")


def test_a_missing_axis_in_the_options_is_named():
    group = tshirt_group().group
    with pytest.raises(InvalidValueError, match="no values for the axis size"):
        generate_variants(SCHEMA, group, {"color": ["red"]}, sku="{group}-{color}", at=AT)


def test_option_values_are_checked_by_the_axis_definition():
    group = tshirt_group().group
    with pytest.raises(InvalidValueError, match="not one of the options") as caught:
        generate_variants(
            SCHEMA, group, {"color": ["red", "pink"], "size": ["S"]}, sku="{group}", at=AT
        )
    assert caught.value.value == "pink"


@pytest.mark.parametrize(
    ("sizes", "error", "match"),
    [
        ([], InvalidValueError, "needs a value"),
        (["S", "S"], InvalidValueError, "listed twice"),
        ("S", InvalidTypeError, "a list of values"),
    ],
)
def test_an_axis_needs_a_list_of_distinct_values(sizes, error, match):
    group = tshirt_group().group
    with pytest.raises(error, match=match):
        generate_variants(SCHEMA, group, {"color": ["red"], "size": sizes}, sku="{group}", at=AT)


def test_the_same_measurement_twice_in_other_units_is_listed_twice():
    group = ProductGroup("flour", "flour")
    with pytest.raises(InvalidValueError, match="listed twice"):
        generate_variants(
            SCHEMA, group, {"weight": ["1 kg", "1000 g"], "organic": [True]}, sku="x", at=AT
        )


def test_measurements_and_booleans_read_well_in_a_sku():
    group = ProductGroup("flour", "flour")
    edits = generate_variants(
        SCHEMA,
        group,
        {"weight": ["500 g", "1 kg"], "organic": [True, False]},
        sku="{group}-{weight}-{organic}",
        at=AT,
    )
    assert [edit.product.sku for edit in edits] == [
        "flour-500g-yes",
        "flour-500g-no",
        "flour-1kg-yes",
        "flour-1kg-no",
    ]
    assert edits[0].product.value("weight") == Metric("500", "g")


def test_a_sku_function_gets_the_axis_values():
    group = tshirt_group().group
    seen = []

    def name(values):
        seen.append(dict(values))
        return f"TEE{values['size']}{values['color'][0].upper()}"

    edits = generate_variants(SCHEMA, group, {"color": ["red"], "size": ["S"]}, sku=name, at=AT)
    assert [edit.product.sku for edit in edits] == ["TEESR"]
    assert seen == [{"color": "red", "size": "S"}]


def test_a_sku_template_naming_something_else_is_refused():
    group = tshirt_group().group
    with pytest.raises(UnknownCodeError, match="'colour'"):
        generate_variants(
            SCHEMA, group, {"color": ["red"], "size": ["S"]}, sku="{group}-{colour}", at=AT
        )
    with pytest.raises(UnknownCodeError, match="SKU template field"):
        generate_variants(SCHEMA, group, {"color": ["red"], "size": ["S"]}, sku="{}-x", at=AT)
    with pytest.raises(InvalidValueError, match="not a format string"):
        generate_variants(SCHEMA, group, {"color": ["red"], "size": ["S"]}, sku="{group", at=AT)


def test_a_sku_template_that_makes_the_same_sku_twice_is_refused():
    group = tshirt_group().group
    with pytest.raises(InvalidValueError, match="already taken") as caught:
        generate_variants(
            SCHEMA, group, {"color": ["red"], "size": ["S", "M"]}, sku="{group}-{color}", at=AT
        )
    assert caught.value.value == "tee-red"


def test_a_generated_sku_already_used_by_an_existing_variant_is_refused():
    group = tshirt_group().group
    existing = [variant("tee-red-M", color="blue", size="L", image="b.jpg")]
    with pytest.raises(InvalidValueError, match="already taken"):
        generate_variants(
            SCHEMA,
            group,
            {"color": ["red"], "size": ["M"]},
            sku="{group}-{color}-{size}",
            at=AT,
            existing=existing,
        )


def test_a_generated_sku_must_be_a_code():
    group = tshirt_group().group
    with pytest.raises(InvalidValueError, match="not a code"):
        generate_variants(
            SCHEMA, group, {"color": ["red"], "size": ["S"]}, sku="{group} {color}{size}", at=AT
        )
    with pytest.raises(InvalidTypeError, match="str"):
        generate_variants(
            SCHEMA, group, {"color": ["red"], "size": ["S"]}, sku=lambda _values: 42, at=AT
        )  # type: ignore[arg-type, return-value]


def test_existing_products_of_another_group_are_refused():
    group = tshirt_group().group
    with pytest.raises(InvalidValueError, match="not a variant of group 'tee'"):
        generate_variants(
            SCHEMA,
            group,
            {"color": ["red"], "size": ["S"]},
            sku="{group}-{color}-{size}",
            at=AT,
            existing=[variant("X", group="other")],
        )


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"limit": 0}, InvalidValueError),
        ({"limit": 2.5}, InvalidTypeError),
        ({"at": AT.naive()}, NaiveDateTimeError),
        ({"sku": 7}, InvalidTypeError),
    ],
)
def test_generation_arguments_are_checked(kwargs, error):
    group = tshirt_group().group
    arguments = {"sku": "{group}-{color}-{size}", "at": AT} | kwargs
    with pytest.raises(error):
        generate_variants(SCHEMA, group, {"color": ["red"], "size": ["S"]}, **arguments)


def test_generation_refuses_options_that_are_not_a_mapping():
    group = tshirt_group().group
    with pytest.raises(InvalidTypeError, match="mapping"):
        generate_variants(SCHEMA, group, [("color", ["red"])], sku="x", at=AT)  # type: ignore[arg-type]


def test_generated_variants_take_variant_values_through_edit_product():
    group = tshirt_group().group
    (edit,) = generate_variants(
        SCHEMA, group, {"color": ["red"], "size": ["S"]}, sku="{group}-{color}-{size}", at=AT
    )
    changed = edit_product(SCHEMA, edit.product, [SetValue("image", "red.jpg")], at=LATER)
    assert changed.product.value("image") == "red.jpg"
    with pytest.raises(InvalidValueError, match="product group 'tee'"):
        edit_product(SCHEMA, edit.product, [SetValue("material", "wool")], at=LATER)


def test_variant_problems_round_trip_through_json():
    group = tshirt_group().group
    problems = check_variants(SCHEMA, group, [variant("T-1", image="a.jpg", material="wool")])
    assert len(problems) == 3
    assert from_json(to_json(problems), tuple[VariantProblem, ...]) == problems
