"""Duplicate detection: shared GTINs, near-identical titles, blocking, and the title index."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomkit.catalog import (
    DEFAULT_SIMILARITY,
    AttributeDef,
    CatalogSchema,
    Channel,
    DuplicatePair,
    DuplicateReason,
    Gtin,
    Product,
    ProductGroup,
    ProductType,
    ValueKey,
    Values,
    VariantLevel,
    find_duplicates,
    normalize_title,
    title_similarity,
)
from ecomkit.errors import (
    FloatNotAllowedError,
    InvalidLocaleError,
    InvalidTypeError,
    InvalidValueError,
    UnknownCodeError,
)
from ecomkit.serialization import from_json, to_json


SCHEMA = CatalogSchema(
    [
        AttributeDef("title", "text", localizable=True, scopable=True),
        AttributeDef("size", "single_select", options=["S", "M", "L"]),
        AttributeDef("weight", "metric", unit_family="weight", default_unit="kg"),
    ],
    [
        ProductType(
            "shoe",
            ["title", "size"],
            variant_levels=[VariantLevel(["size"])],
            description_attribute=None,
        ),
        ProductType(
            "bag", ["title", "weight"], variant_levels=[VariantLevel(["weight"])],
            description_attribute=None,
        ),
        ProductType("book", ["title"], description_attribute=None),
    ],
    [Channel("web", ["en", "de"], ["EUR"]), Channel("amazon", ["en"], ["EUR"])],
)  # fmt: skip

PEGASUS = "Nike Air Zoom Pegasus 40 Men's Running Shoe"
PEGASUS_AGAIN = "NIKE Air Zoom Pegasus 40 - men's running shoe"
UPC = "036000291452"  # a published UPC-A
OTHER_GTIN = "4006381333931"


def product(
    sku: str,
    title: str | None = None,
    *,
    brand: str | None = "Nike",
    product_type: str = "shoe",
    size: str | None = None,
    weight: str | None = None,
    gtin: str | None = None,
    group: str | None = None,
    categories: tuple[str, ...] = (),
    condition: str = "new",
    locale: str = "en",
) -> Product:
    values: dict[ValueKey, object] = {}
    if title is not None:
        values[ValueKey("title", locale=locale)] = title
    if size is not None:
        values[ValueKey("size")] = size
    if weight is not None:
        values[ValueKey("weight")] = SCHEMA.attributes["weight"].check(weight)
    return Product(
        sku,
        product_type,
        values=Values(values),
        brand=brand,
        gtin=gtin,
        group=group,
        categories=categories,
        condition=condition,
    )


def found(products, **options) -> list[tuple[str, str, str]]:
    options.setdefault("locale", "en")
    return [
        (pair.first, pair.second, pair.reason.value)
        for pair in find_duplicates(products, SCHEMA, **options)
    ]


# ------------------------------------------------------------------------------- GTINs


def test_the_same_gtin_on_products_of_different_sizes_is_not_a_duplicate():
    products = [
        product("S-1", "Runner", size="S", gtin=UPC),
        product("S-2", "Walker", size="M", gtin=UPC),
    ]

    assert found(products) == []


def test_the_same_gtin_with_the_same_attributes_is_a_duplicate():
    products = [
        product("S-2", "Runner", size="M", gtin=UPC),
        product("S-1", "Walker", size="M", gtin="00" + UPC),  # the same GTIN as a GTIN-14
    ]

    (pair,) = find_duplicates(products, SCHEMA, locale="en")

    assert (pair.first, pair.second) == ("S-1", "S-2")
    assert pair.reason is DuplicateReason.SAME_GTIN
    assert pair.similarity == 1
    assert pair.block == f"gtin:{Gtin.parse(UPC).gtin14}"
    assert (pair.first_title, pair.second_title) == ("Walker", "Runner")
    assert pair.threshold is None
    assert "share the GTIN 00036000291452" in pair.message


def test_the_same_gtin_in_another_condition_is_not_a_duplicate():
    products = [
        product("S-1", "Runner", gtin=UPC),
        product("S-2", "Runner used", gtin=UPC, condition="used"),
    ]

    assert found(products) == []


def test_equal_measurements_in_other_units_are_the_same_variant_attribute():
    products = [
        product("B-1", "Bag", product_type="bag", weight="1 kg", gtin=UPC),
        product("B-2", "Sack", product_type="bag", weight="1000 g", gtin=UPC),
        product("B-3", "Tote", product_type="bag", weight="2 kg", gtin=UPC),
    ]

    assert found(products) == [("B-1", "B-2", "same_gtin")]


def test_different_gtins_are_not_paired_by_the_gtin_rule():
    products = [product("S-1", "Runner", gtin=UPC), product("S-2", "Walker", gtin=OTHER_GTIN)]

    assert found(products) == []


def test_a_pair_found_by_gtin_and_by_title_is_reported_once_as_same_gtin():
    products = [product("S-1", PEGASUS, gtin=UPC), product("S-2", PEGASUS_AGAIN, gtin=UPC)]

    assert found(products) == [("S-1", "S-2", "same_gtin")]


# ------------------------------------------------------------------------------ titles


def test_near_identical_titles_within_a_brand_are_found():
    products = [
        product("S-1", PEGASUS, brand="Nike"),
        product("S-2", PEGASUS_AGAIN, brand="NIKE"),
    ]

    (pair,) = find_duplicates(products, SCHEMA, locale="en")

    assert pair.reason is DuplicateReason.SIMILAR_TITLE
    assert pair.similarity == Decimal("1.000")
    assert pair.block == "brand:nike"
    assert pair.threshold == DEFAULT_SIMILARITY
    assert (pair.first_title, pair.second_title) == (PEGASUS, PEGASUS_AGAIN)
    assert "near-identical titles in brand 'nike'" in pair.message
    assert "similarity 1.000 (at least 0.8)" in pair.message


def test_the_same_words_in_another_brand_are_not_paired():
    products = [
        product("S-1", "Air Zoom Pegasus 40 Running Shoe", brand="Nike"),
        product("S-2", "Air Zoom Pegasus 40 Running Shoe", brand="Acme"),
    ]

    assert found(products) == []


def test_products_without_a_brand_are_compared_within_their_main_category():
    products = [
        product("S-1", "Trail shoe 40", brand=None, categories=("shoes", "sale")),
        product("S-2", "Trail Shoe 40", brand=None, categories=("shoes",)),
        product("S-3", "Trail shoe 40", brand=None, categories=("boots", "shoes")),
    ]

    (pair,) = find_duplicates(products, SCHEMA, locale="en")

    assert (pair.first, pair.second, pair.block) == ("S-1", "S-2", "category:shoes")


def test_products_with_neither_brand_nor_category_are_not_compared_by_title():
    products = [product("S-1", "Trail shoe", brand=None), product("S-2", "Trail shoe", brand=None)]

    assert found(products) == []


def test_products_without_a_title_are_not_compared_by_title():
    products = [product("S-1"), product("S-2"), product("S-3", "!!!"), product("S-4", "???")]

    assert found(products) == []


def test_variants_of_one_group_are_not_paired_by_their_shared_title():
    group = ProductGroup(
        "pegasus", "shoe", values=Values({ValueKey("title", locale="en"): PEGASUS})
    )
    variants = [product(f"P-{size}", size=size, group="pegasus") for size in "SML"]

    assert found(variants, groups=[group]) == []


def test_variants_of_two_groups_with_one_title_pair_up_size_by_size():
    groups = [
        ProductGroup(code, "shoe", values=Values({ValueKey("title", locale="en"): title}))
        for code, title in (("g1", PEGASUS), ("g2", PEGASUS_AGAIN))
    ]
    variants = [
        product(f"{code}-{size}", size=size, group=code)
        for code in ("g1", "g2")
        for size in ("S", "M")
    ]

    assert found(variants, groups=groups) == [
        ("g1-M", "g2-M", "similar_title"),
        ("g1-S", "g2-S", "similar_title"),
    ]


def test_a_variant_without_categories_is_blocked_by_its_group_category():
    group = ProductGroup(
        "g1",
        "shoe",
        values=Values({ValueKey("title", locale="en"): "Trail shoe"}),
        categories=("shoes",),
    )
    products = [
        product("V-1", size="S", brand=None, group="g1"),
        product("X-1", "Trail shoe", size="S", brand=None, categories=("shoes",)),
    ]

    (pair,) = find_duplicates(products, SCHEMA, locale="en", groups=[group])

    assert (pair.first, pair.second, pair.block) == ("V-1", "X-1", "category:shoes")


def test_titles_of_products_that_differ_in_a_variant_axis_are_not_paired():
    products = [product("S-1", PEGASUS, size="S"), product("S-2", PEGASUS, size="M")]

    assert found(products) == []


def test_another_colour_or_another_noun_is_not_a_near_duplicate_at_the_default():
    products = [
        product("T-1", "Acme Cotton T-Shirt Black"),
        product("T-2", "Acme Cotton T-Shirt White"),
        product("S-1", PEGASUS),
        product("S-2", PEGASUS.replace("Running", "Trail")),
    ]

    assert found(products) == []


def test_titles_whose_numbers_differ_are_paired_only_when_numbers_need_not_match():
    products = [product("S-1", PEGASUS), product("S-2", PEGASUS.replace("40", "41"))]

    assert found(products) == []
    assert found(products, numbers_must_match=False) == [("S-1", "S-2", "similar_title")]


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [("0.85", True), (Decimal("0.888"), True), ("0.889", False), (1, False)],
)
def test_the_threshold_decides_which_titles_match(threshold, expected):
    products = [
        product("S-1", PEGASUS),
        product("S-2", "Nike Air Zoom Pegasus 40 Mens Running Shoes"),
    ]

    pairs = find_duplicates(products, SCHEMA, locale="en", threshold=threshold)

    assert bool(pairs) is expected
    assert all(pair.similarity == Decimal("0.888") for pair in pairs)


@pytest.mark.parametrize(
    ("title", "longer"),
    [
        ("Pegasus 40 running shoe", "Pegasus 40 running shoe XL"),
        ("Air Zoom Pegasus", "Air Zoom Pegasus Trail"),
        ("Canvas low top sneaker white", "Canvas low top sneaker white unisex"),
        ("Max", "Max Q"),
    ],
)
def test_a_pair_exactly_at_the_threshold_is_found(title, longer):
    # The extra word's features are the rarest in the block, so the first feature the two
    # titles share is the last one the longer title's prefix can hold.
    similarity = title_similarity(title, longer)
    products = [product("S-1", title), product("S-2", longer)]

    (pair,) = find_duplicates(products, SCHEMA, locale="en", threshold=similarity)

    assert pair.similarity == similarity
    assert (
        find_duplicates(products, SCHEMA, locale="en", threshold=similarity + 1 / Decimal(1000))
        == ()
    )


def test_titles_are_read_for_the_channel_and_locale():
    german = Values(
        {
            ValueKey("title", locale="en"): "Red running shoe",
            ValueKey("title", locale="de"): "Roter Laufschuh",
            ValueKey("title", "amazon", "en"): "Blue trail boot",
        }
    )
    products = [
        product("S-1", "Green walking sandal"),
        attrs.evolve(product("S-2"), values=german),
        product("S-3", "Roter Laufschuh", locale="de"),
        product("S-4", "Blue trail boot"),
    ]

    assert found(products, locale="de") == [("S-2", "S-3", "similar_title")]
    assert found(products, locale="en", channel="amazon") == [("S-2", "S-4", "similar_title")]
    assert found(products, locale="en", channel="web") == []


def test_pairs_come_out_sorted_and_the_same_whatever_the_input_order():
    titles = [PEGASUS, PEGASUS_AGAIN, "Nike Air Zoom Pegasus 40 Mens Running Shoes", "Acme bag"]
    products = [product(f"S-{index}", title) for index, title in enumerate(titles * 2)]
    expected = find_duplicates(products, SCHEMA, locale="en")
    shuffled = products[:]
    random.Random(3).shuffle(shuffled)  # noqa: S311 - a reproducible shuffle, not a secret

    assert find_duplicates(shuffled, SCHEMA, locale="en") == expected
    assert [(pair.first, pair.second) for pair in expected] == sorted(
        (pair.first, pair.second) for pair in expected
    )
    pegasus_pairs = len(list(itertools.combinations(range(6), 2)))
    assert len(expected) == pegasus_pairs + 1  # and the two "Acme bag"


def test_a_feature_shared_by_more_titles_than_max_postings_finds_no_candidates():
    products = [product(f"S-{index}", "Red shoe") for index in range(3)]

    assert found(products, max_postings=2) == []  # every feature is in 3 titles: stop features
    assert len(found(products, max_postings=3)) == 3
    assert len(found(products, max_postings=None)) == 3


# ------------------------------------------------------------------ normalizing titles


def test_normalizing_a_title_folds_width_case_and_apostrophes_and_splits_numbers():
    assert normalize_title("\uff2e\uff29\uff2b\uff25 Stra\u00dfe Men\u2019s 128GB, 4K-TV!") == (
        "nike",
        "strasse",
        "mens",
        "128",
        "gb",
        "4",
        "k",
        "tv",
    )


def test_similarity_is_symmetric_and_ignores_word_order_and_punctuation():
    first, second = "Galaxy S23 Ultra, 256 GB - Phantom Black", "Samsung Galaxy S23 Ultra 256GB"

    assert title_similarity(first, second) == title_similarity(second, first)
    assert title_similarity("black phantom", "Phantom, Black!") == Decimal("1.000")
    assert title_similarity("!!!", "???") == Decimal("0.000")
    assert Decimal(0) < title_similarity(first, second) < 1


def test_normalizing_something_that_is_not_text_is_refused():
    with pytest.raises(InvalidTypeError, match="title"):
        normalize_title(42)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="title"):
        title_similarity("shoe", None)  # type: ignore[arg-type]


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"channel": "ebay"}, UnknownCodeError, "channel"),
        ({"locale": "xx_YY"}, InvalidLocaleError, "locale"),
        ({"locale": 7}, InvalidLocaleError, "locale"),
        ({"locale": "de", "channel": "amazon"}, InvalidValueError, "not a locale of channel"),
        ({"locale": "fr"}, InvalidValueError, "not a locale of any channel"),
        ({"threshold": 0.9}, FloatNotAllowedError, "threshold"),
        ({"threshold": "0"}, InvalidValueError, "threshold"),
        ({"threshold": "1.5"}, InvalidValueError, "threshold"),
        ({"threshold": "0.8555"}, InvalidValueError, "three decimal places"),
        ({"threshold": "high"}, InvalidValueError, "threshold"),
        ({"max_postings": 0}, InvalidValueError, "max_postings"),
        ({"max_postings": "10"}, InvalidTypeError, "max_postings"),
        ({"numbers_must_match": "yes"}, InvalidTypeError, "numbers_must_match"),
        ({"groups": "g1"}, InvalidTypeError, "groups"),
        ({"groups": [object()]}, InvalidTypeError, "groups"),
    ],
)
def test_bad_options_are_refused_with_the_field_named(options, error, match):
    options.setdefault("locale", "en")

    with pytest.raises(error, match=match):
        find_duplicates([product("S-1", PEGASUS)], SCHEMA, **options)


def test_a_group_listed_twice_is_refused():
    group = ProductGroup("g1", "shoe")

    with pytest.raises(InvalidValueError, match="groups: listed twice"):
        find_duplicates([], SCHEMA, locale="en", groups=[group, group])


@pytest.mark.parametrize(
    ("products", "error", "match"),
    [
        (product("S-1", PEGASUS), InvalidTypeError, "products"),
        ("S-1", InvalidTypeError, "products"),
        ([product("S-1", PEGASUS), {"sku": "S-2"}], InvalidTypeError, "products"),
        ([product("S-1", PEGASUS), product("S-1", "Other")], InvalidValueError, "listed twice"),
        ([product("S-1", PEGASUS, product_type="sock")], UnknownCodeError, "product type"),
    ],
)
def test_bad_products_are_refused(products, error, match):
    with pytest.raises(error, match=match):
        find_duplicates(products, SCHEMA, locale="en")


def test_a_schema_that_is_not_a_schema_is_refused():
    with pytest.raises(InvalidTypeError, match="schema"):
        find_duplicates([], {"title": "text"}, locale="en")  # type: ignore[arg-type]


# ------------------------------------------------------------------------- the result


def test_a_pair_is_checked_when_it_is_built():
    with pytest.raises(InvalidValueError, match="must sort after first"):
        DuplicatePair("S-2", "S-1", "similar_title", "0.9", "brand:nike")
    with pytest.raises(InvalidValueError, match="similarity"):
        DuplicatePair("S-1", "S-2", "similar_title", "1.5", "brand:nike")
    with pytest.raises(InvalidValueError, match="reason"):
        DuplicatePair("S-1", "S-2", "lookalike", "0.9", "brand:nike")
    with pytest.raises(InvalidTypeError, match="block"):
        DuplicatePair("S-1", "S-2", "same_gtin", "1", "")


def test_pairs_round_trip_through_json():
    products = [
        product("S-1", PEGASUS),
        product("S-2", PEGASUS_AGAIN),
        product("S-3", "Runner", gtin=UPC),
        product("S-4", "Walker", gtin=UPC),
    ]
    pairs = find_duplicates(products, SCHEMA, locale="en")

    text = to_json(pairs)

    assert from_json(text, tuple[DuplicatePair, ...]) == pairs
    assert '"similarity": "1.000"' in text or '"similarity":"1.000"' in text


# ------------------------------------------------------- the index against all pairs


VOCABULARY = [
    *("air", "zoom", "pegasus", "runner", "shoe", "shoes", "trail", "mens", "womens", "red"),
    *("blue", "leather", "boot", "sandal", "canvas", "low", "high", "top", "ultra", "max"),
    *("40", "41", "2", "xl"),
]
GTINS = [UPC, OTHER_GTIN]


@st.composite
def titles(draw: st.DrawFn, earlier: list[list[str]]) -> list[str]:
    """A new title, or an earlier one with a word dropped, added or replaced."""
    if not earlier or draw(st.booleans()):
        return draw(st.lists(st.sampled_from(VOCABULARY), min_size=0, max_size=8))
    words = list(draw(st.sampled_from(earlier)))
    edit = draw(st.sampled_from(["drop", "add", "replace", "same"]))
    position = draw(st.integers(min_value=0, max_value=len(words)))
    if edit == "drop" and words:
        del words[min(position, len(words) - 1)]
    elif edit == "add":
        words.insert(position, draw(st.sampled_from(VOCABULARY)))
    elif edit == "replace" and words:
        words[min(position, len(words) - 1)] = draw(st.sampled_from(VOCABULARY))
    return words


@st.composite
def catalogs(draw: st.DrawFn) -> list[Product]:
    count = draw(st.integers(min_value=0, max_value=14))
    products: list[Product] = []
    earlier: list[list[str]] = []
    for index in range(count):
        words = draw(titles(earlier))
        earlier.append(words)
        punctuation = draw(st.sampled_from([" ", " - ", ", ", "  "]))
        products.append(
            product(
                f"P-{index:02d}",
                punctuation.join(word.upper() if index % 3 else word for word in words) or None,
                brand=draw(st.sampled_from(["Nike", "NIKE", "Acme", None])),
                size=draw(st.sampled_from([None, None, "S", "M"])),
                gtin=draw(st.sampled_from([None, None, *GTINS])),
                group=draw(st.sampled_from([None, None, "g1", "g2"])),
                categories=draw(st.sampled_from([(), ("shoes",), ("boots",)])),
                condition=draw(st.sampled_from(["new", "new", "used"])),
            )
        )
    return products


def block_of(item):
    words = normalize_title(item.brand) if item.brand else ()
    if words:
        return "brand:" + " ".join(words)
    return f"category:{item.categories[0]}" if item.categories else None


def numbers_of(title):
    return {word for word in normalize_title(title) if word.isdigit()}


def titles_match(one, two, threshold, numbers_must_match):
    """The title rule for one pair, read straight from its description."""
    first, second = one.value("title", locale="en"), two.value("title", locale="en")
    if first is None or second is None or block_of(one) is None:
        return False
    if block_of(one) != block_of(two) or (one.group is not None and one.group == two.group):
        return False
    if numbers_must_match and numbers_of(first) != numbers_of(second):
        return False
    return title_similarity(first, second) >= threshold


def all_pairs(products, threshold, numbers_must_match):
    """Every pair either rule finds, compared one pair at a time."""
    expected = {}
    for one, two in itertools.combinations(products, 2):
        key = tuple(sorted((one.sku, two.sku)))
        if (one.condition, one.value("size")) != (two.condition, two.value("size")):
            continue
        if one.gtin is not None and one.gtin == two.gtin:
            expected[key] = "same_gtin"
        elif titles_match(one, two, threshold, numbers_must_match):
            expected[key] = "similar_title"
    return expected


@settings(max_examples=150, deadline=None)
@given(
    catalogs(),
    st.sampled_from(["0.3", "0.5", "0.6", "0.7", "0.75", "0.8", "0.85", "0.9", "1"]),
    st.booleans(),
    st.sampled_from([None, 1_000]),
)
def test_the_indexed_search_finds_exactly_the_pairs_all_pairs_finds(
    products, threshold, numbers_must_match, max_postings
):
    pairs = find_duplicates(
        products,
        SCHEMA,
        locale="en",
        threshold=threshold,
        numbers_must_match=numbers_must_match,
        max_postings=max_postings,
    )

    got = {(pair.first, pair.second): pair.reason.value for pair in pairs}
    assert got == all_pairs(products, Decimal(threshold), numbers_must_match)
    for pair in pairs:
        if pair.reason is DuplicateReason.SIMILAR_TITLE:
            assert pair.similarity == title_similarity(pair.first_title, pair.second_title)
            assert pair.similarity >= Decimal(threshold)
