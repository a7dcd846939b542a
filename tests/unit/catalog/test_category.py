"""Category trees: building, queries, changes, breadcrumbs, product selection, JSON."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomkit.catalog import (
    AttributeDef,
    CatalogSchema,
    Category,
    CategoryTree,
    Channel,
    Product,
    ProductType,
    SetCategories,
    create_product,
    edit_product,
)
from ecomkit.errors import (
    CategoryCycleError,
    DataValidationError,
    InvalidLocaleError,
    InvalidTypeError,
    InvalidValueError,
    UnknownCodeError,
)
from ecomkit.i18n import LocalizedText
from ecomkit.serialization import from_json, to_json


AT = pendulum.datetime(2026, 3, 1, 9, tz="Europe/Berlin")


def shop_tree():
    """Two taxonomies: a clothing tree and a seasonal one, given children first."""
    return CategoryTree(
        [
            Category("trail", {"en": "Trail running"}, parent="running"),
            Category("running", {"en": "Running shoes", "de": "Laufschuhe"}, parent="shoes"),
            Category("clothing", {"en": "Clothing", "de": "Bekleidung"}),
            Category("shoes", {"en": "Shoes", "de": "Schuhe"}, parent="clothing"),
            Category("boots", {"en": "Boots"}, parent="shoes"),
            Category("shirts", {"en": "Shirts"}, parent="clothing"),
            Category("seasonal", {"en": "Seasonal"}),
            Category("summer", {"en": "Summer"}, parent="seasonal"),
        ]
    )


# ---------------------------------------------------------------- building


def test_categories_given_in_any_order_are_kept_depth_first():
    tree = shop_tree()
    assert list(tree) == [
        "clothing",
        "shoes",
        "running",
        "trail",
        "boots",
        "shirts",
        "seasonal",
        "summer",
    ]
    assert [category.code for category in tree.categories] == list(tree)
    assert len(tree) == 8


def test_siblings_keep_the_order_they_were_given_in():
    tree = CategoryTree([Category("b", parent="r"), Category("r"), Category("a", parent="r")])
    assert tree.children("r") == ("b", "a")


def test_an_empty_tree_holds_nothing():
    tree = CategoryTree()
    assert len(tree) == 0
    assert list(tree) == []
    assert tree.roots == ()
    assert "clothing" not in tree


def test_a_tree_may_hold_several_roots():
    assert shop_tree().roots == ("clothing", "seasonal")


def test_a_code_declared_twice_is_refused():
    with pytest.raises(InvalidValueError) as caught:
        CategoryTree([Category("a"), Category("b"), Category("a", parent="b")])
    assert caught.value.field == "categories"
    assert caught.value.value == "a"


def test_a_parent_outside_the_tree_is_refused():
    with pytest.raises(UnknownCodeError) as caught:
        CategoryTree([Category("a"), Category("b", parent="missing")])
    assert (caught.value.kind, caught.value.code, caught.value.field) == (
        "category",
        "missing",
        "parent",
    )


def test_categories_that_are_each_others_parents_are_refused():
    with pytest.raises(CategoryCycleError) as caught:
        CategoryTree(
            [
                Category("root"),
                Category("x", parent="z"),
                Category("y", parent="x"),
                Category("z", parent="y"),
                Category("hanging", parent="x"),
            ]
        )
    assert caught.value.category in {"x", "y", "z"}
    assert caught.value.field == "parent"


def test_a_category_cannot_be_its_own_parent():
    with pytest.raises(CategoryCycleError):
        Category("a", parent="a")


def test_a_tree_refuses_things_that_are_not_categories():
    with pytest.raises(InvalidTypeError) as caught:
        CategoryTree([Category("a"), "b"])
    assert caught.value.field == "categories"
    with pytest.raises(InvalidTypeError):
        CategoryTree("abc")


def test_a_category_checks_its_code_parent_and_label():
    with pytest.raises(InvalidValueError) as caught:
        Category("has space")
    assert caught.value.field == "code"
    with pytest.raises(InvalidTypeError) as caught_type:
        Category("a", parent=3)
    assert caught_type.value.field == "parent"
    with pytest.raises(InvalidTypeError) as caught_label:
        Category("a", "Shoes")
    assert caught_label.value.field == "label"


def test_a_label_given_as_a_mapping_becomes_localized_text():
    category = Category("shoes", {"de-AT": "Schuhe"})
    assert category.label == LocalizedText({"de_AT": "Schuhe"})


# ---------------------------------------------------------------- queries


def test_a_tree_knows_which_codes_it_holds():
    tree = shop_tree()
    assert "trail" in tree
    assert "sandals" not in tree
    assert 3 not in tree
    assert None not in tree


def test_category_returns_the_category_object():
    category = shop_tree().category("running")
    assert category.parent == "shoes"
    assert category.label.get("de") == "Laufschuhe"


def test_children_parent_and_leaves():
    tree = shop_tree()
    assert tree.children("clothing") == ("shoes", "shirts")
    assert tree.children("shoes") == ("running", "boots")
    assert tree.children("trail") == ()
    assert tree.parent("shoes") == "clothing"
    assert tree.parent("clothing") is None


def test_path_ancestors_and_depth_follow_the_parents():
    tree = shop_tree()
    assert tree.path("trail") == ("clothing", "shoes", "running", "trail")
    assert tree.path("seasonal") == ("seasonal",)
    assert tree.ancestors("trail") == ("running", "shoes", "clothing")
    assert tree.ancestors("clothing") == ()
    assert tree.depth("clothing") == 0
    assert tree.depth("trail") == 3


def test_descendants_are_every_category_below_depth_first():
    tree = shop_tree()
    assert tree.descendants("clothing") == ("shoes", "running", "trail", "boots", "shirts")
    assert tree.descendants("shoes") == ("running", "trail", "boots")
    assert tree.descendants("boots") == ()
    assert tree.descendants("seasonal") == ("summer",)


def test_is_ancestor_is_strict_and_stays_inside_one_tree():
    tree = shop_tree()
    assert tree.is_ancestor("clothing", "trail")
    assert tree.is_ancestor("running", "trail")
    assert not tree.is_ancestor("trail", "running")
    assert not tree.is_ancestor("trail", "trail")
    assert not tree.is_ancestor("boots", "trail")
    assert not tree.is_ancestor("seasonal", "trail")


@pytest.mark.parametrize(
    "query",
    [
        lambda tree: tree.category("sandals"),
        lambda tree: tree.children("sandals"),
        lambda tree: tree.ancestors("sandals"),
        lambda tree: tree.descendants("sandals"),
        lambda tree: tree.path("sandals"),
        lambda tree: tree.depth("sandals"),
        lambda tree: tree.is_ancestor("clothing", "sandals"),
        lambda tree: tree.breadcrumb("sandals", locale="en"),
        lambda tree: tree.in_subtree(["trail"], "sandals"),
        lambda tree: tree.products_in("sandals", []),
        lambda tree: tree.remove("sandals"),
        lambda tree: tree.move("sandals", parent=None),
        lambda tree: tree.relabel("sandals", {"en": "Sandals"}),
    ],
)
def test_every_lookup_of_an_unknown_code_raises_unknown_category(query):
    with pytest.raises(UnknownCodeError) as caught:
        query(shop_tree())
    assert caught.value.kind == "category"
    assert caught.value.code == "sandals"
    assert caught.value.field == "code"
    assert "clothing" in caught.value.known


def test_the_field_of_an_unknown_ancestor_is_named():
    with pytest.raises(UnknownCodeError) as caught:
        shop_tree().is_ancestor("sandals", "trail")
    assert caught.value.field == "ancestor"


@pytest.mark.parametrize("code", [3, None, b"shoes", ("shoes",)])
def test_a_code_that_is_not_a_string_is_a_type_error(code):
    with pytest.raises(InvalidTypeError) as caught:
        shop_tree().depth(code)
    assert caught.value.field == "code"


# ---------------------------------------------------------------- breadcrumbs


def test_a_breadcrumb_names_the_path_from_the_root():
    tree = shop_tree()
    assert tree.breadcrumb("running", locale="en") == "Clothing > Shoes > Running shoes"


def test_a_breadcrumb_follows_the_locale_fallback_and_then_the_code():
    tree = shop_tree()
    # de_CH falls back to de; "trail" has no German label, so its code stands in.
    assert tree.breadcrumb("trail", locale="de_CH") == "Bekleidung > Schuhe > Laufschuhe > trail"
    assert tree.breadcrumb("trail", locale="fr") == "clothing > shoes > running > trail"


def test_a_breadcrumb_uses_a_default_locale_of_the_label():
    tree = CategoryTree([Category("home", LocalizedText({"en": "Home"}, default_locale="en"))])
    assert tree.breadcrumb("home", locale="ja") == "Home"


def test_a_breadcrumb_takes_another_separator():
    assert shop_tree().breadcrumb("summer", locale="en", separator=" / ") == "Seasonal / Summer"


def test_a_breadcrumb_refuses_a_bad_separator_or_locale():
    tree = shop_tree()
    with pytest.raises(InvalidValueError) as caught:
        tree.breadcrumb("summer", locale="en", separator="")
    assert caught.value.field == "separator"
    with pytest.raises(InvalidTypeError):
        tree.breadcrumb("summer", locale="en", separator=1)
    with pytest.raises(InvalidLocaleError):
        tree.breadcrumb("summer", locale="not a locale")


# ---------------------------------------------------------------- changes


def test_add_puts_a_new_category_last_under_its_parent_and_leaves_the_old_tree():
    tree = shop_tree()
    grown = tree.add("sandals", parent="shoes", label={"en": "Sandals"})
    assert grown.children("shoes") == ("running", "boots", "sandals")
    assert grown.category("sandals").label.get("en") == "Sandals"
    assert "sandals" not in tree
    assert len(grown) == len(tree) + 1


def test_add_without_a_parent_adds_a_root_without_a_label():
    grown = shop_tree().add("outlet")
    assert grown.roots == ("clothing", "seasonal", "outlet")
    assert grown.category("outlet").label == LocalizedText({})
    assert grown.breadcrumb("outlet", locale="en") == "outlet"


def test_add_refuses_a_code_already_in_the_tree_and_an_unknown_parent():
    tree = shop_tree()
    with pytest.raises(InvalidValueError) as caught:
        tree.add("boots", parent="clothing")
    assert (caught.value.field, caught.value.value) == ("code", "boots")
    with pytest.raises(UnknownCodeError) as caught_parent:
        tree.add("sandals", parent="footwear")
    assert (caught_parent.value.field, caught_parent.value.code) == ("parent", "footwear")
    with pytest.raises(InvalidValueError):
        tree.add("not a code")
    with pytest.raises(InvalidTypeError):
        tree.add("sandals", label="Sandals")


def test_move_takes_the_whole_subtree_under_the_new_parent():
    tree = shop_tree()
    moved = tree.move("running", parent="seasonal")
    assert moved.path("trail") == ("seasonal", "running", "trail")
    assert moved.children("seasonal") == ("summer", "running")
    assert moved.children("shoes") == ("boots",)
    assert moved.depth("trail") == 2
    assert not moved.is_ancestor("clothing", "trail")
    assert tree.path("trail") == ("clothing", "shoes", "running", "trail")


def test_a_move_to_the_root_makes_the_category_the_last_root():
    moved = shop_tree().move("shoes", parent=None)
    assert moved.roots == ("clothing", "seasonal", "shoes")
    assert moved.parent("shoes") is None
    assert moved.path("trail") == ("shoes", "running", "trail")
    assert moved.descendants("clothing") == ("shirts",)


def test_moving_under_the_current_parent_changes_nothing():
    tree = shop_tree()
    assert tree.move("running", parent="shoes") is tree
    assert tree.move("clothing", parent=None) is tree


def test_moving_a_category_under_itself_is_refused():
    tree = shop_tree()
    with pytest.raises(CategoryCycleError) as caught:
        tree.move("shoes", parent="shoes")
    assert (caught.value.category, caught.value.value) == ("shoes", "shoes")


def test_moving_a_category_under_its_child_is_refused_and_the_tree_is_unchanged():
    tree = shop_tree()
    before = list(tree)
    with pytest.raises(CategoryCycleError) as caught:
        tree.move("clothing", parent="trail")
    assert caught.value.category == "clothing"
    assert caught.value.value == "trail"
    assert caught.value.field == "parent"
    assert list(tree) == before
    assert tree == shop_tree()


def test_move_refuses_an_unknown_parent_and_a_parent_that_is_not_a_code():
    tree = shop_tree()
    with pytest.raises(UnknownCodeError) as caught:
        tree.move("boots", parent="footwear")
    assert caught.value.field == "parent"
    with pytest.raises(InvalidTypeError) as caught_type:
        tree.move("boots", parent=7)
    assert caught_type.value.field == "parent"


def test_a_leaf_is_removed_without_cascade():
    smaller = shop_tree().remove("boots")
    assert "boots" not in smaller
    assert smaller.children("shoes") == ("running",)


def test_removing_a_category_with_children_is_refused_without_cascade():
    tree = shop_tree()
    with pytest.raises(InvalidValueError) as caught:
        tree.remove("shoes")
    assert (caught.value.field, caught.value.value) == ("code", "shoes")
    assert "3 categories below" in caught.value.reason
    assert "shoes" in tree


def test_removing_with_cascade_takes_every_category_below():
    smaller = shop_tree().remove("shoes", cascade=True)
    assert list(smaller) == ["clothing", "shirts", "seasonal", "summer"]
    with pytest.raises(InvalidTypeError):
        shop_tree().remove("shoes", cascade="yes")


def test_relabel_changes_the_name_and_keeps_the_place():
    tree = shop_tree()
    renamed = tree.relabel("boots", LocalizedText({"en": "Winter boots"}))
    assert renamed.breadcrumb("boots", locale="en") == "Clothing > Shoes > Winter boots"
    assert list(renamed) == list(tree)
    assert renamed != tree
    assert tree.relabel("boots", {"en": "Boots"}) == tree
    with pytest.raises(InvalidTypeError):
        tree.relabel("boots", "Boots")


def test_trees_with_the_same_shape_are_equal_and_hash_alike():
    given_in_another_order = CategoryTree(reversed(shop_tree().categories))
    assert given_in_another_order != shop_tree()  # siblings now come in reverse
    rebuilt = CategoryTree(shop_tree().categories)
    assert rebuilt == shop_tree()
    assert hash(rebuilt) == hash(shop_tree())


# ---------------------------------------------------------------- products


def product(sku, *categories):
    return Product(sku, "shoe", categories=categories)


def test_products_in_a_category_include_its_subtree_by_default():
    tree = shop_tree()
    items = [
        product("TRAIL-1", "trail"),
        product("SHIRT-1", "shirts"),
        product("BOOT-1", "summer", "boots"),
        product("NONE-1"),
        product("OLD-1", "retired"),
    ]
    found = tree.products_in("shoes", items)
    assert [item.sku for item in found] == ["TRAIL-1", "BOOT-1"]
    assert [item.sku for item in tree.products_in("clothing", items)] == [
        "TRAIL-1",
        "SHIRT-1",
        "BOOT-1",
    ]


def test_products_in_a_category_alone_leave_out_its_subtree():
    tree = shop_tree()
    items = [product("RUN-1", "running"), product("TRAIL-1", "trail")]
    found = tree.products_in("running", items, descendants=False)
    assert [item.sku for item in found] == ["RUN-1"]


def test_products_in_refuses_things_that_are_not_products():
    tree = shop_tree()
    with pytest.raises(InvalidTypeError) as caught:
        tree.products_in("shoes", [product("A-1", "boots"), "B-1"])
    assert caught.value.field == "products"
    with pytest.raises(InvalidTypeError):
        tree.products_in("shoes", [], descendants=1)


def test_in_subtree_reads_a_list_of_codes():
    tree = shop_tree()
    assert tree.in_subtree(("summer", "trail"), "shoes")
    assert tree.in_subtree(["shoes"], "shoes")
    assert not tree.in_subtree(["shoes"], "running")
    assert not tree.in_subtree(["retired"], "shoes")
    assert not tree.in_subtree([], "shoes")
    with pytest.raises(InvalidTypeError):
        tree.in_subtree("trail", "shoes")
    with pytest.raises(InvalidTypeError):
        tree.in_subtree([3], "shoes")


def schema():
    return CatalogSchema(
        [AttributeDef("title", "text")],
        [ProductType("shoe", ["title"], description_attribute=None)],
        [Channel("web", ["en"], ["EUR"])],
    )


def test_a_tree_checks_the_categories_of_a_new_product():
    tree = shop_tree()
    made = create_product(
        schema(),
        sku="RUN-1",
        product_type="shoe",
        changes=[SetCategories(["running", "summer"])],
        at=AT,
        categories=tree,
    )
    assert made.product.categories == ("running", "summer")
    with pytest.raises(UnknownCodeError) as caught:
        create_product(
            schema(),
            sku="RUN-2",
            product_type="shoe",
            changes=[SetCategories(["running", "sandals"])],
            at=AT,
            categories=tree,
        )
    assert (caught.value.kind, caught.value.code) == ("category", "sandals")


def test_an_edit_to_a_category_removed_from_the_tree_is_refused():
    tree = shop_tree()
    shoe = create_product(schema(), sku="BOOT-1", product_type="shoe", at=AT).product
    smaller = tree.remove("boots")
    with pytest.raises(UnknownCodeError):
        edit_product(schema(), shoe, [SetCategories(["boots"])], at=AT, categories=smaller)
    edited = edit_product(schema(), shoe, [SetCategories(["boots"])], at=AT, categories=tree)
    assert edited.product.categories == ("boots",)


# ---------------------------------------------------------------- JSON


def test_a_tree_round_trips_through_json():
    tree = shop_tree().add("sale", label=LocalizedText({"en": "Sale"}, default_locale="en"))
    text = to_json(tree)
    back = from_json(text, CategoryTree)
    assert back == tree
    assert list(back) == list(tree)
    assert back.breadcrumb("trail", locale="de") == tree.breadcrumb("trail", locale="de")
    assert back.category("sale").label.default_locale == "en"


def test_a_category_round_trips_through_json():
    category = Category("shoes", {"en": "Shoes"}, parent="clothing")
    assert from_json(to_json(category), Category) == category


def test_json_with_a_cycle_is_refused():
    text = (
        '{"categories": [{"code": "a", "label": {"values": {}, "default_locale": null},'
        ' "parent": "b"}, {"code": "b", "label": {"values": {}, "default_locale": null},'
        ' "parent": "a"}]}'
    )
    with pytest.raises(DataValidationError) as caught:
        from_json(text, CategoryTree)
    (problem,) = caught.value.problems
    assert "below itself" in problem.message


# ---------------------------------------------------------------- laws


@st.composite
def trees(draw):
    """A random forest of up to 12 categories, each under an earlier one or a root."""
    size = draw(st.integers(min_value=1, max_value=12))
    categories = []
    for number in range(size):
        parent = (
            draw(st.none() | st.integers(min_value=0, max_value=number - 1)) if number else None
        )
        categories.append(Category(f"c{number}", parent=None if parent is None else f"c{parent}"))
    order = draw(st.permutations(categories))
    return CategoryTree(order)


@settings(max_examples=60)
@given(trees(), st.data())
def test_a_move_either_keeps_every_path_consistent_or_is_refused(tree, data):
    codes = list(tree)
    code = data.draw(st.sampled_from(codes))
    parent = data.draw(st.none() | st.sampled_from(codes))
    if parent is not None and (parent == code or tree.is_ancestor(code, parent)):
        with pytest.raises(CategoryCycleError):
            tree.move(code, parent=parent)
        return
    moved = tree.move(code, parent=parent)
    assert sorted(moved) == sorted(tree)
    expected_head = () if parent is None else moved.path(parent)
    assert moved.path(code) == (*expected_head, code)
    for other in moved:
        path = moved.path(other)
        assert moved.depth(other) == len(path) - 1
        assert set(moved.descendants(other)) == {
            below for below in moved if other in moved.path(below)[:-1]
        }
    # The subtree travelled along.
    assert set(moved.descendants(code)) == set(tree.descendants(code))
