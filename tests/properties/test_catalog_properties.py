"""Laws of the catalog model: round-trips, all-or-nothing edits, value fallback, units, GTINs
and category moves, over schemas, products and trees drawn by ecomkit's own strategies."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomkit.catalog import (
    GTIN_LENGTHS,
    UNITS,
    AttributeDef,
    AttributeType,
    CatalogSchema,
    CategoryTree,
    Gtin,
    Metric,
    Price,
    Product,
    ProductType,
    SetCategories,
    SetPrice,
    SetValue,
    UnitFamily,
    ValueKey,
    Values,
    create_product,
    edit_product,
    gs1_check_digit,
)
from ecomkit.errors import (
    CategoryCycleError,
    EcomkitError,
    InvalidGtinError,
    InvalidTypeError,
    InvalidValueError,
    UnknownCodeError,
)
from ecomkit.i18n import fallback_chain
from ecomkit.money import Money
from ecomkit.serialization import from_json, to_json
from ecomkit.testing import strategies as ek


CREATED = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Berlin")
#: Edits come after every change the product strategy made (it edits up to two days on).
LATER = CREATED.add(days=10)
#: Composite cases (a schema, a product, changes) are slow to draw on a busy machine.
slow = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------- round trips


class TestRoundTrips:
    @given(ek.attribute_defs())
    def test_every_attribute_definition_round_trips_through_json(self, definition):
        assert from_json(to_json(definition), AttributeDef) == definition

    @slow
    @given(ek.catalog_schemas())
    def test_every_schema_round_trips_through_json(self, schema):
        back = from_json(to_json(schema), CatalogSchema)
        assert back == schema
        assert list(back.product_types) == list(schema.product_types)

    @slow
    @given(ek.catalog_products())
    def test_every_product_round_trips_through_json(self, product):
        back = from_json(to_json(product), Product)
        assert back == product
        assert to_json(back) == to_json(product)

    @given(ek.category_trees())
    def test_every_category_tree_round_trips_through_json(self, tree):
        back = from_json(to_json(tree), CategoryTree)
        assert back == tree
        assert list(back) == list(tree)


# ---------------------------------------------------------------------------- edit_product


@st.composite
def invalid_changes(draw, schema: CatalogSchema, kind: ProductType):
    """One change the schema refuses, whatever the product looks like."""
    channel = next(iter(schema.channels.values()))
    definitions = [schema.attributes[code] for code in kind.attributes]
    foreign_locale = draw(st.sampled_from(["sw", "fi", "ko_KR"]))
    foreign_currency = draw(st.sampled_from(["SEK", "NOK", "CZK", "HUF"]))
    choices = [
        SetValue("no_such_attribute", "x"),
        SetValue("title", "x" * (schema.attributes["title"].max_length + 1)),
        SetCategories(["no-such-category"]),
    ]
    outsiders = [code for code in schema.attributes if code not in kind.attributes]
    choices.extend(SetValue(code, "x") for code in outsiders)
    for definition in definitions:
        bad = draw(ek.invalid_attribute_values(definition))
        choices.append(SetValue(definition.code, bad))
        if definition.type is AttributeType.SINGLE_SELECT:
            choices.append(SetValue(definition.code, "not an option"))
        if not definition.scopable:
            choices.append(SetValue(definition.code, "x", channel=channel.code))
        if definition.localizable:
            choices.append(SetValue(definition.code, "x", locale=foreign_locale))
        else:
            choices.append(SetValue(definition.code, "x", locale=channel.locales[0]))
    if foreign_currency not in channel.currencies:
        price = Price(Money("1.00", foreign_currency), channel=channel.code)
        choices.append(SetPrice(price))
    return draw(st.sampled_from(choices))


@st.composite
def edit_cases(draw):
    """A schema, a product of it, valid changes for the product, and one refused change."""
    schema = draw(ek.catalog_schemas(max_attributes=4))
    product = draw(ek.catalog_products(schema, categories=CATEGORIES, max_edits=1))
    kind = schema.product_types[product.product_type]
    changes = draw(
        ek.product_changes(
            schema, product_type=kind.code, categories=CATEGORIES, at=LATER, max_values=4
        )
    )
    return schema, product, changes, draw(invalid_changes(schema, kind))


CATEGORIES = ("shoes", "running", "sale")


def state(product: Product) -> str:
    """Everything a product holds, as its JSON document."""
    return to_json(product)


class TestEditProduct:
    @slow
    @given(edit_cases(), st.data())
    def test_one_refused_change_leaves_the_product_as_it_was(self, case, data):
        schema, product, changes, invalid = case
        before = state(product)
        position = data.draw(st.integers(0, len(changes)), label="position")
        with pytest.raises(EcomkitError) as caught:
            edit_product(
                schema,
                product,
                [*changes[:position], invalid, *changes[position:]],
                at=LATER,
                categories=CATEGORIES,
            )
        assert isinstance(caught.value, InvalidValueError | InvalidTypeError | UnknownCodeError)
        assert state(product) == before
        # The valid changes alone are accepted: the refusal came from the one change.
        edit_product(schema, product, changes, at=LATER, categories=CATEGORIES)

    @slow
    @given(edit_cases())
    def test_applying_the_same_changes_twice_changes_nothing_the_second_time(self, case):
        schema, product, changes, _ = case
        first = edit_product(schema, product, changes, at=LATER, categories=CATEGORIES)
        again = edit_product(schema, first.product, changes, at=LATER, categories=CATEGORIES)
        assert again.event is None
        assert again.product is first.product
        if first.event is not None:
            assert first.product.version == product.version + 1
            assert len(first.event.changes) <= len(changes)

    @slow
    @given(edit_cases())
    def test_a_refused_creation_creates_nothing_and_a_valid_one_records_every_change(self, case):
        schema, product, changes, invalid = case
        kind = product.product_type
        with pytest.raises(EcomkitError):
            create_product(
                schema,
                sku="NEW-1",
                product_type=kind,
                changes=[*changes, invalid],
                at=LATER,
                categories=CATEGORIES,
            )
        created = create_product(
            schema, sku="NEW-1", product_type=kind, changes=changes, at=LATER, categories=CATEGORIES
        )
        assert created.product.version == 1
        assert created.event is not None
        assert len(created.event.changes) <= len(changes)


# ---------------------------------------------------------------------------- Values


CHANNELS = (None, "web", "app")
STORED_LOCALES = (None, "en", "en_001", "en_GB", "de", "de_AT", "es", "es_419", "zh_Hant", "pl")
ASKED_LOCALES = (None, "en_AU", "en_GB", "en", "de_CH", "de_AT", "es_AR", "zh_Hant_HK", "pl_PL")


@st.composite
def value_maps(draw):
    """Values of two attributes under random (channel, locale) keys."""
    keys = draw(
        st.lists(
            st.builds(
                ValueKey,
                st.sampled_from(["title", "color"]),
                st.sampled_from(CHANNELS),
                st.sampled_from(STORED_LOCALES),
            ),
            max_size=14,
            unique=True,
        )
    )
    return Values({key: f"{key.channel}/{key.locale}" for key in keys})


def search_order(channel, locale):
    """The places resolution looks, most specific first: the documented fallback."""
    locales = (*fallback_chain(locale), None) if locale is not None else (None,)
    order = []
    for candidate in locales:
        order.append((channel, candidate))
        if channel is not None:
            order.append((None, candidate))
    return order


class TestValuesResolution:
    @given(value_maps())
    def test_the_exact_key_wins(self, values):
        for key in values:
            found = values.resolve(key.attribute, channel=key.channel, locale=key.locale)
            assert found is not None
            assert found.key == key
            assert found.value == values[key]

    @given(
        value_maps(),
        st.sampled_from(["title", "color"]),
        st.sampled_from(CHANNELS),
        st.sampled_from(ASKED_LOCALES),
    )
    def test_resolution_finds_the_most_specific_key_and_falls_back_when_it_is_removed(
        self, values, attribute, channel, locale
    ):
        present = [
            place
            for place in search_order(channel, locale)
            if ValueKey(attribute, *place) in values
        ]
        current = values
        for place in present:  # remove the winner each time: the next one takes over
            found = current.resolve(attribute, channel=channel, locale=locale)
            assert found is not None
            assert (found.key.channel, found.key.locale) == place
            current = current.without(found.key)
        assert current.resolve(attribute, channel=channel, locale=locale) is None

    @given(value_maps(), st.sampled_from(CHANNELS), st.sampled_from(ASKED_LOCALES))
    def test_resolution_never_leaves_the_locale_chain_or_the_channel(self, values, channel, locale):
        found = values.resolve("title", channel=channel, locale=locale)
        allowed = {None} if locale is None else {*fallback_chain(locale), None}
        if found is None:  # then nothing in the chain or the defaults holds a value
            assert not any(
                ValueKey("title", where, language) in values
                for where in {channel, None}
                for language in allowed
            )
            return
        assert found.key.locale in allowed
        assert found.key.channel in {channel, None}
        assert found.key.attribute == "title"


# ---------------------------------------------------------------------------- units


@st.composite
def exact_pairs(draw):
    """A measurement and a unit of its family it converts to exactly."""
    family = draw(st.sampled_from(UnitFamily))
    units = sorted(code for code, known in UNITS.items() if known.family is family)
    source, target = draw(st.sampled_from(units)), draw(st.sampled_from(units))
    # A multiple of target/source (in lowest terms, numerator p) converts to k * q: exact.
    ratio = Fraction(UNITS[target].factor) / Fraction(UNITS[source].factor)
    units_ = draw(st.integers(-(10**6), 10**6)) * ratio.numerator
    amount = Decimal(units_).scaleb(-draw(st.integers(0, 4)))
    return Metric(amount, source), target


def has_finite_decimal(number: Fraction) -> bool:
    """Whether *number* is a finite decimal: its denominator has no prime but 2 and 5."""
    denominator = number.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


metrics = st.builds(
    Metric,
    st.integers(-(10**6), 10**6).map(lambda n: Decimal(n).scaleb(-3)),
    st.sampled_from(sorted(UNITS)),
)


class TestUnits:
    @given(exact_pairs())
    def test_converting_exactly_and_back_gives_the_same_amount(self, pair):
        metric, target = pair
        there = metric.to(target)
        back = there.to(metric.unit)
        assert back == metric
        assert there.same_quantity(metric)

    @given(metrics, st.sampled_from(sorted(UNITS)))
    def test_an_exact_conversion_when_there_is_one_round_trips(self, metric, target):
        exact = (
            Fraction(metric.amount)
            * Fraction(UNITS[metric.unit].factor)
            / Fraction(UNITS[target].factor)
        )
        try:
            there = metric.to(target)
        except InvalidValueError:  # another family, or no finite decimal in that unit
            assert UNITS[target].family is not metric.family or not has_finite_decimal(exact)
            return
        assert UNITS[target].family is metric.family
        assert Fraction(there.amount) == exact
        assert there.to(metric.unit) == metric

    @given(metrics, metrics)
    def test_same_quantity_is_symmetric(self, first, second):
        assert first.same_quantity(second) == second.same_quantity(first)

    @given(exact_pairs())
    def test_a_measurement_is_the_same_quantity_as_its_conversion(self, pair):
        metric, target = pair
        converted = metric.to(target)
        assert metric.same_quantity(converted)
        assert converted.same_quantity(metric)


# ---------------------------------------------------------------------------- GTIN


bodies = st.sampled_from([length - 1 for length in GTIN_LENGTHS]).flatmap(
    lambda size: st.text("0123456789", min_size=size, max_size=size)
)


class TestGtin:
    @given(bodies.filter(lambda digits: digits.strip("0")))
    def test_any_digits_with_their_check_digit_parse(self, body):
        gtin = Gtin.parse(body + str(gs1_check_digit(body)))
        assert gtin.digits == body + str(gtin.check_digit)
        assert gtin.length == len(body) + 1

    @given(ek.gtins(), st.data())
    def test_changing_any_one_digit_makes_it_fail(self, gtin, data):
        digits = gtin.digits
        index = data.draw(st.integers(0, len(digits) - 1), label="index")
        other = data.draw(
            st.sampled_from([d for d in "0123456789" if d != digits[index]]), label="digit"
        )
        with pytest.raises(InvalidGtinError):
            Gtin.parse(digits[:index] + other + digits[index + 1 :])


# ---------------------------------------------------------------------------- category moves


def moves(tree: CategoryTree, data, steps: int) -> CategoryTree:
    """Apply *steps* random valid moves: under a category outside the subtree, or to the top."""
    for _ in range(steps):
        code = data.draw(st.sampled_from(list(tree)), label="code")
        below = {code, *tree.descendants(code)}
        targets = [None, *(other for other in tree if other not in below)]
        tree = tree.move(code, parent=data.draw(st.sampled_from(targets), label="parent"))
    return tree


class TestCategoryMoves:
    @given(ek.category_trees(min_size=1), st.data())
    def test_valid_moves_keep_every_code_and_every_path_starts_at_a_root(self, tree, data):
        moved = moves(tree, data, data.draw(st.integers(1, 6), label="steps"))
        assert sorted(moved) == sorted(tree)
        assert len(moved) == len(tree)
        for code in moved:
            path = moved.path(code)
            assert path[0] in moved.roots
            assert moved.parent(path[0]) is None
            assert path[-1] == code
            assert len(path) == moved.depth(code) + 1

    @given(ek.category_trees(min_size=1), st.data())
    def test_a_move_under_itself_or_a_descendant_is_refused_and_changes_nothing(self, tree, data):
        tree = moves(tree, data, data.draw(st.integers(0, 3), label="steps"))
        code = data.draw(st.sampled_from(list(tree)), label="code")
        target = data.draw(st.sampled_from([code, *tree.descendants(code)]), label="target")
        before = list(tree.categories)
        with pytest.raises(CategoryCycleError):
            tree.move(code, parent=target)
        assert list(tree.categories) == before
        assert from_json(to_json(tree), CategoryTree) == tree
