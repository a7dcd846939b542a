"""The catalog strategies in ecomkit.testing.strategies keep their promises."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pendulum
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ecomkit.catalog import (
    AttributeDef,
    AttributeType,
    CatalogSchema,
    CategoryTree,
    Gtin,
    Metric,
    Product,
    ProductEdited,
    check_value,
    edit_product,
)
from ecomkit.catalog._attributes import AXIS_TYPES
from ecomkit.errors import InvalidTypeError, InvalidValueError, UnknownCodeError
from ecomkit.money import Money
from ecomkit.testing import strategies as ek


CANONICAL_TYPES = {
    AttributeType.TEXT: str,
    AttributeType.LONG_TEXT: str,
    AttributeType.IDENTIFIER: str,
    AttributeType.MEDIA: str,
    AttributeType.NUMBER: Decimal,
    AttributeType.METRIC: Metric,
    AttributeType.PRICES: tuple,
    AttributeType.BOOLEAN: bool,
    AttributeType.DATE: dt.date,
    AttributeType.SINGLE_SELECT: str,
    AttributeType.MULTI_SELECT: tuple,
}

#: For the searches that show a kind of value is drawn at all: a fixed budget whatever the
#: profile, no saved examples, no shrinking, and no health check about how many draws it took.
searching = settings(
    max_examples=1000,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
    deadline=None,
)
#: Whole schemas and products are costly to draw; the property tests draw many more.
slow = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCHEMA = CatalogSchema(
    [
        AttributeDef("title", "text", localizable=True),
        AttributeDef("color", "single_select", options=["red", "navy"]),
        AttributeDef("weight", "metric", unit_family="weight", default_unit="kg", minimum="0"),
    ],
    [],
    [],
)


def refused(definition: AttributeDef, value: object) -> bool:
    try:
        definition.check(value)
    except (InvalidTypeError, InvalidValueError):
        return True
    return False


class TestAttributeDefs:
    @pytest.mark.parametrize("kind", list(AttributeType), ids=str)
    @settings(max_examples=20)
    @given(data=st.data())
    def test_each_type_can_be_asked_for_and_comes_with_the_constraints_it_needs(self, kind, data):
        definition = data.draw(ek.attribute_defs(types=[kind], code="field"))
        assert definition.type is kind
        assert definition.code == "field"
        if kind in (AttributeType.SINGLE_SELECT, AttributeType.MULTI_SELECT):
            assert 1 <= len(definition.options) <= 6
        if kind is AttributeType.METRIC:
            assert definition.unit_family is not None
            assert definition.default_unit is not None

    @given(ek.attribute_defs(axis=True))
    def test_axis_definitions_have_an_axis_type_and_no_flags(self, definition):
        assert definition.type in AXIS_TYPES
        assert not definition.localizable
        assert not definition.scopable
        assert not definition.unique

    @given(ek.attribute_defs())
    def test_bounds_never_rule_out_every_value(self, definition):
        if definition.minimum is not None and definition.maximum is not None:
            assert definition.minimum <= definition.maximum
        if definition.date_min is not None and definition.date_max is not None:
            assert definition.date_min <= definition.date_max

    @pytest.mark.parametrize(
        "condition",
        [
            lambda d: d.pattern is not None and d.max_characters is not None,
            lambda d: d.type is AttributeType.NUMBER and not d.decimals_allowed,
            lambda d: d.type is AttributeType.PRICES and d.minimum is not None,
            lambda d: d.localizable and d.scopable,
            lambda d: d.unique,
            lambda d: d.type is AttributeType.DATE and d.date_min is not None,
        ],
        ids=["pattern-and-limit", "whole-numbers", "price-bounds", "both-flags", "unique", "dates"],
    )
    def test_each_kind_of_constraint_is_drawn(self, condition):
        found = find(ek.attribute_defs(), condition, settings=searching)
        assert condition(found)

    def test_types_that_are_not_attribute_types_are_refused(self):
        with pytest.raises(InvalidArgument, match="not an AttributeType"):
            ek.attribute_defs(types=["colour"])
        with pytest.raises(InvalidArgument, match="must be a list"):
            ek.attribute_defs(types="text")

    def test_asking_for_axes_of_types_that_cannot_be_axes_is_refused(self):
        with pytest.raises(InvalidArgument, match="can be an axis"):
            ek.attribute_defs(types=["text", "date"], axis=True)


class TestAttributeValues:
    @given(ek.attribute_defs().flatmap(lambda d: st.tuples(st.just(d), ek.attribute_values(d))))
    def test_every_value_is_accepted_in_its_canonical_form(self, case):
        definition, value = case
        checked = definition.check(value)
        assert checked == value
        assert isinstance(value, CANONICAL_TYPES[definition.type])

    @given(
        ek.attribute_defs(types=["prices"]).flatmap(
            lambda d: ek.attribute_values(d, currencies=["JPY", "KWD"])
        )
    )
    def test_price_collections_are_in_the_given_currencies_sorted_by_code(self, prices):
        codes = [price.currency.code for price in prices]
        assert set(codes) <= {"JPY", "KWD"}
        assert codes == sorted(set(codes))

    @given(
        ek.attribute_defs().flatmap(lambda d: st.tuples(st.just(d), ek.invalid_attribute_values(d)))
    )
    def test_every_invalid_value_is_refused_with_a_typed_error_naming_the_attribute(self, case):
        definition, value = case
        with pytest.raises((InvalidTypeError, InvalidValueError)) as caught:
            definition.check(value)
        assert caught.value.field == definition.code

    def test_a_whole_number_range_without_whole_numbers_is_refused(self):
        tight = AttributeDef(
            "ratio", "number", minimum="0.2", maximum="0.8", decimals_allowed=False
        )
        with pytest.raises(InvalidArgument, match="no whole number"):
            ek.attribute_values(tight)

    def test_something_that_is_not_a_definition_is_refused(self):
        with pytest.raises(InvalidArgument, match="must be an AttributeDef"):
            ek.attribute_values("title")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgument, match="must be an AttributeDef"):
            ek.invalid_attribute_values(None)  # type: ignore[arg-type]

    def test_an_empty_currency_pool_is_refused(self):
        prices = AttributeDef("msrp", "prices")
        with pytest.raises(InvalidArgument, match="at least one currency"):
            ek.attribute_values(prices, currencies=[])

    def test_a_pattern_that_accepts_everything_still_gets_only_refused_values(self):
        loose = AttributeDef("note", "text", pattern=r".*")
        value = find(ek.invalid_attribute_values(loose), lambda _: True, settings=searching)
        assert refused(loose, value)


class TestGtins:
    @given(ek.gtins(lengths=[8, 14]))
    def test_gtins_have_the_lengths_asked_for_and_parse_back(self, gtin):
        assert isinstance(gtin, Gtin)
        assert gtin.length in {8, 14}
        assert Gtin.parse(gtin.digits) == gtin

    @pytest.mark.parametrize("lengths", [[], [9], [13, 15]])
    def test_lengths_a_gtin_cannot_have_are_refused(self, lengths):
        with pytest.raises(InvalidArgument, match="lengths"):
            ek.gtins(lengths=lengths)


class TestCatalogSchemas:
    @slow
    @given(ek.catalog_schemas(max_attributes=3, max_types=2, max_channels=2))
    def test_a_schema_stays_within_its_limits_and_has_a_titled_type(self, schema):
        assert isinstance(schema, CatalogSchema)
        assert "title" in schema.attributes
        assert len(schema.attributes) <= 1 + 3 + 2  # the title, plain ones, axes
        assert 1 <= len(schema.product_types) <= 2
        assert 1 <= len(schema.channels) <= 2
        for channel in schema.channels.values():
            assert 1 <= len(channel.locales) <= 3
            assert 1 <= len(channel.currencies) <= 2
        for kind in schema.product_types.values():
            assert kind.title_attribute in kind.attributes

    @slow
    @given(ek.catalog_schemas(variants=True))
    def test_with_variants_every_type_has_levels_whose_axes_can_be_axes(self, schema):
        for kind in schema.product_types.values():
            assert 1 <= len(kind.variant_levels) <= 2
            for axis in kind.axes:
                assert schema.attributes[axis].type in AXIS_TYPES

    @slow
    @given(ek.catalog_schemas(variants=False))
    def test_without_variants_no_type_has_levels(self, schema):
        assert all(not kind.variant_levels for kind in schema.product_types.values())

    @pytest.mark.parametrize(
        "arguments",
        [{"max_attributes": -1}, {"max_types": 0}, {"max_channels": 0}, {"max_channels": 6}],
        ids=str,
    )
    def test_limits_out_of_range_are_refused(self, arguments):
        with pytest.raises(InvalidArgument):
            ek.catalog_schemas(**arguments)

    def test_an_empty_locale_pool_is_refused(self):
        with pytest.raises(InvalidArgument, match="locale"):
            ek.catalog_schemas(pool=())


class TestCatalogProducts:
    @slow
    @given(
        ek.catalog_schemas().flatmap(
            lambda schema: st.tuples(
                st.just(schema),
                ek.catalog_products(schema, categories=["shoes", "sale"], max_edits=2),
            )
        )
    )
    def test_every_value_and_price_fits_the_schema(self, case):
        schema, product = case
        kind = schema.product_types[product.product_type]
        for key, value in product.values.items():
            assert check_value(
                schema, kind, key.attribute, value, channel=key.channel, locale=key.locale
            ) == (key, value)
        for price in product.prices:
            if price.channel is not None:
                assert price.currency in schema.channels[price.channel].currencies
        assert set(product.categories) <= {"shoes", "sale"}
        assert 1 <= product.version <= 3
        history = [change.at for change in product.price_history]
        assert history == sorted(history)

    @slow
    @given(st.data())
    def test_fixed_sku_type_and_time_are_kept(self, data):
        schema = data.draw(ek.catalog_schemas(max_types=2))
        kind = max(schema.product_types)
        at = pendulum.datetime(2027, 5, 1, 12, tz="America/New_York")
        product = data.draw(
            ek.catalog_products(schema, product_type=kind, sku="FIX-1", at=at, max_edits=0)
        )
        assert product.sku == "FIX-1"
        assert product.product_type == kind
        assert product.version == 1
        assert all(change.at == at for change in product.price_history)

    @slow
    @given(
        ek.catalog_schemas(variants=True).flatmap(
            lambda schema: st.tuples(st.just(schema), ek.catalog_products(schema, group="G-1"))
        )
    )
    def test_a_variant_holds_only_the_values_of_its_variant_levels(self, case):
        schema, product = case
        kind = schema.product_types[product.product_type]
        assert product.group == "G-1"
        assert all(kind.level_of(key.attribute) > 0 for key in product.values)

    @slow
    @given(st.data())
    def test_a_change_list_edits_a_product_and_names_only_what_changed(self, data):
        schema = data.draw(ek.catalog_schemas(max_types=1))
        kind = next(iter(schema.product_types))
        product = data.draw(ek.catalog_products(schema, max_edits=0))
        at = pendulum.datetime(2026, 4, 1, tz="UTC")
        changes = data.draw(ek.product_changes(schema, product_type=kind, at=at))
        edit = edit_product(schema, product, changes, at=at)
        if edit.event is None:
            assert edit.product is product
        else:
            assert isinstance(edit.event, ProductEdited)
            assert edit.product.version == product.version + 1

    def test_an_unknown_product_type_is_refused_with_a_typed_error(self):
        with pytest.raises(UnknownCodeError, match="product_type"):
            ek.catalog_products(SCHEMA, product_type="sofa")
        with pytest.raises(UnknownCodeError, match="product_type"):
            ek.product_changes(SCHEMA, product_type="sofa")

    def test_bad_arguments_are_refused(self):
        with pytest.raises(InvalidArgument, match="CatalogSchema"):
            ek.catalog_products({"title": "text"})  # type: ignore[arg-type]
        with pytest.raises(InvalidArgument, match="needs the schema"):
            ek.catalog_products(product_type="shoe")
        with pytest.raises(InvalidArgument, match="max_edits"):
            ek.catalog_products(SCHEMA, max_edits=-1)

    def test_a_naive_time_is_refused(self):
        with pytest.raises(InvalidValueError, match="at"):
            ek.catalog_products(SCHEMA, at=dt.datetime(2026, 3, 1))  # noqa: DTZ001


class TestCategoryTrees:
    @given(ek.category_trees(min_size=2, max_size=5))
    def test_a_tree_has_between_min_and_max_categories_with_unique_codes(self, tree):
        assert isinstance(tree, CategoryTree)
        assert 2 <= len(tree) <= 5
        assert len(set(tree)) == len(tree)

    def test_deep_trees_are_drawn(self):
        deep = find(
            ek.category_trees(),
            lambda tree: any(tree.depth(c) >= 3 for c in tree),
            settings=searching,
        )
        assert max(deep.depth(code) for code in deep) >= 3

    @pytest.mark.parametrize(("low", "high"), [(-1, 3), (4, 3)])
    def test_sizes_out_of_order_are_refused(self, low, high):
        with pytest.raises(InvalidArgument, match="min_size"):
            ek.category_trees(min_size=low, max_size=high)


class TestFromType:
    @slow
    @given(
        st.from_type(AttributeDef),
        st.from_type(CatalogSchema),
        st.from_type(CategoryTree),
        st.from_type(Gtin),
        st.from_type(Product),
    )
    def test_catalog_types_are_registered_for_from_type(
        self, definition, schema, tree, gtin, product
    ):
        assert isinstance(definition, AttributeDef)
        assert isinstance(schema, CatalogSchema)
        assert isinstance(tree, CategoryTree)
        assert isinstance(gtin, Gtin)
        assert isinstance(product, Product)
        assert product.version >= 1


def test_money_in_price_values_uses_the_currency_minor_units():
    prices = AttributeDef("msrp", "prices", minimum="0", maximum="10")
    found = find(
        ek.attribute_values(prices, currencies=["JPY"]),
        lambda value: len(value) == 1,
        settings=searching,
    )
    (price,) = found
    assert isinstance(price, Money)
    assert price.amount == price.amount.to_integral_value()
