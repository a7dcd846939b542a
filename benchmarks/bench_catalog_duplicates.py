"""Duplicate detection: ``find_duplicates`` at 25k, 50k and 100k products, and all pairs.

``ecomkit.catalog.find_duplicates`` pairs products that share a GTIN (with the same
condition and variant-axis values) and products whose titles are near-identical within a
brand (or, without a brand, within a main category). Its title search looks candidates up
in an inverted index of each title's rarest features (prefix filtering) instead of
comparing all pairs. This benchmark shows how its time grows with the catalog and what it
saves against comparing every pair of a block with the same similarity.

Workload (built outside the timing, ``random.Random(11 + size)``; the same generator for
every size):

- 200 brands whose sizes follow a Zipf law (the k-th largest brand has weight 1/k, so the
  largest brand holds about 17 % of the branded products at every size); 10 % of the
  products have no brand and are blocked by their main category (30 categories).
- Titles read like real ones: brand, a model name (with a number for 70 % of the model
  lines), then some of a descriptor, a gender, a material, a noun of the category and a
  colour ("Vantor Kelsa 40 Waterproof Men's Leather Trail Boot Black"). Each brand has
  model lines (about three products each, differing in noun, colour or descriptor), so a
  block holds many titles that share most words without being duplicates; the number of
  model lines grows with the catalog, as it does in real catalogs.
- 8 % of the products are variants in groups of 2-5 sizes; the group holds the title, and
  half of the groups give every size the same GTIN (a legitimate share: the sizes differ).
- About 4 % of the products are planted duplicates of an earlier standalone product: the
  same brand, category and attributes, with the title changed by case and punctuation, a
  plural, a typo (two letters of the longest word swapped), a word left out or two words
  swapped; 15 % of them also keep the original's GTIN. Recall is the share of planted
  pairs found, printed per kind of change: what it misses are titles the change took
  below the default similarity of 0.8, not pairs the index lost (see below).

Measurement: the catalogs are built first. Then each size gets up to ``--repeat`` runs of
``find_duplicates`` over the whole catalog, going round the sizes (no new run for a size
once its runs took ``--budget`` seconds), with the garbage collector paused; best and
median are reported. Growth ratios compare the best (and the median) runs of consecutive
sizes: 2.0 is linear in the number of products, 4.0 is what comparing all pairs costs.

The side-by-side comparison, once per size up to ``--all-pairs-up-to``: starting from the
same products, the same titles, blocks, features and similarity
(``ecomkit.catalog._duplicates._features``) and the same rules (same group, numbers,
condition and axes, checked cheapest first), but comparing every pair of products within
each block. The script stops unless both sides find the same title pairs.

Run: ``python benchmarks/bench_catalog_duplicates.py`` (about three minutes on a 2-core
machine, most of it all pairs on 100,000 products) or ``--quick`` (tiny catalogs, one run
each).
"""

from __future__ import annotations

import functools
import gc
import itertools
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from _harness import machine_summary, print_table, quick_parser
from ecomkit.catalog import (
    DEFAULT_SIMILARITY,
    AttributeDef,
    CatalogSchema,
    Channel,
    DuplicatePair,
    DuplicateReason,
    Product,
    ProductGroup,
    ProductType,
    ValueKey,
    Values,
    VariantLevel,
    find_duplicates,
    gs1_check_digit,
    normalize_title,
)
from ecomkit.catalog._duplicates import _features


SIZES: Final = (25_000, 50_000, 100_000)
QUICK_SIZES: Final = (500, 1_000, 2_000)
BRANDS: Final = 200
CATEGORIES: Final = 30
UNBRANDED: Final = 0.10
GROUPED: Final = 0.08
PLANTED: Final = 0.04
SAME_GTIN_PLANTED: Final = 0.15
NUMBERED: Final = 0.7
PERTURBATIONS: Final = ("case", "plural", "typo", "drop", "swap")
LOCALE: Final = "en"

SCHEMA: Final = CatalogSchema(
    [
        AttributeDef("title", "text", localizable=True),
        AttributeDef("size", "single_select", options=["XS", "S", "M", "L", "XL"]),
    ],
    [
        ProductType(
            "apparel",
            ["title", "size"],
            variant_levels=[VariantLevel(["size"])],
            description_attribute=None,
        ),
        ProductType("item", ["title"], description_attribute=None),
    ],
    [Channel("web", [LOCALE], ["EUR"])],
)

ONSETS: Final = (
    *"bcdfghjklmnprstvwz",
    *("br", "cr", "dr", "fl", "gr", "kl", "pr", "st", "tr", "sk", "sp", "ch", "sh", "th"),
)
VOWELS: Final = (*"aeiou", "ai", "ea", "ou", "y")
CODAS: Final = ("", "", "", "n", "r", "s", "l", "x", "k", "nd", "rt", "st", "m")
DESCRIPTORS: Final = (
    *("waterproof", "lightweight", "classic", "premium", "slim", "ultra", "pro", "compact"),
    *("heavy-duty", "breathable", "insulated", "vintage", "essential", "sport", "deluxe"),
)
GENDERS: Final = ("men's", "women's", "kids'", "unisex")
MATERIALS: Final = (
    *("leather", "cotton", "wool", "nylon", "steel", "oak", "bamboo", "silicone", "canvas"),
    *("linen", "ceramic", "aluminium"),
)
COLOURS: Final = (
    *("black", "white", "navy", "red", "olive", "grey", "beige", "teal", "burgundy"),
    *("mustard", "charcoal", "ivory", "coral", "sand", "forest green"),
)
NOUNS: Final = (
    *("trail boot", "running shoe", "sneaker", "sandal", "backpack", "duffel bag", "jacket"),
    *("hoodie", "t-shirt", "chino", "water bottle", "frying pan", "chef knife", "desk lamp"),
    *("office chair", "headphones", "speaker", "phone case", "yoga mat", "tent", "watch"),
    *("wallet", "scarf", "beanie", "dress", "skirt", "blender", "kettle", "mug", "pillow"),
)


class Catalog(NamedTuple):
    """A generated catalog and what was planted in it."""

    products: list[Product]
    groups: list[ProductGroup]
    planted: dict[tuple[str, str], str]
    legit_gtin_shares: int


def pseudo_word(rng: random.Random) -> str:
    """Return a pronounceable made-up word of 2-3 syllables (a brand or a model name)."""
    syllables = rng.choice((2, 2, 3))
    return "".join(
        rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
    ).capitalize()


def gtin_for(number: int) -> str:
    """Return a valid GTIN-13 with prefix 40 (Germany) for *number*."""
    body = f"40{number:010d}"
    return body + str(gs1_check_digit(body))


def make_title(brand: str | None, model: str, rng: random.Random, nouns: Sequence[str]) -> str:
    """Return a title for one product of a model line."""
    words = [brand] if brand else []
    words.append(model)
    if rng.random() < 0.5:
        words.append(rng.choice(DESCRIPTORS))
    if rng.random() < 0.4:
        words.append(rng.choice(GENDERS))
    if rng.random() < 0.6:
        words.append(rng.choice(MATERIALS))
    words.append(rng.choice(nouns))
    words.append(rng.choice(COLOURS))
    return " ".join(word.title() if index < 2 else word for index, word in enumerate(words))


def perturb(title: str, rng: random.Random) -> tuple[str, str]:
    """Return *title* changed the way a second listing of the same item changes it, and how."""
    words = title.split(" ")
    kind = rng.choice(PERTURBATIONS)
    if kind == "drop" and len(words) < 4:
        kind = "swap"
    if kind == "case":
        return " - ".join((words[0].upper(), " ".join(words[1:]).lower())) + "!", kind
    if kind == "plural":
        last = max(range(len(words)), key=lambda index: len(words[index]))
        words[last] += "s"
    elif kind == "typo":
        longest = max(range(len(words)), key=lambda index: len(words[index]))
        word = words[longest]
        cut = rng.randrange(1, len(word) - 1)
        words[longest] = word[: cut - 1] + word[cut] + word[cut - 1] + word[cut + 1 :]
    elif kind == "drop":
        del words[rng.randrange(2, len(words) - 1)]  # keeps the brand, the model and a colour
    else:
        index = rng.randrange(1, len(words) - 1)
        words[index], words[index + 1] = words[index + 1], words[index]
    return " ".join(words), kind


def _title_values(title: str) -> Values:
    return Values({ValueKey("title", locale=LOCALE): title})


def make_catalog(size: int) -> Catalog:
    """Return a catalog of about *size* products as the module docstring describes."""
    rng = random.Random(11 + size)
    brands = [pseudo_word(rng) for _ in range(BRANDS)]
    weights = [1 / rank for rank in range(1, BRANDS + 1)]
    category_nouns = {
        f"cat-{index:02d}": rng.sample(NOUNS, 4) for index in range(CATEGORIES)
    }  # each category has four nouns of its own choosing
    categories = list(category_nouns)
    lines: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    products: list[Product] = []
    groups: list[ProductGroup] = []
    standalone: list[tuple[Product, str]] = []
    planted: dict[tuple[str, str], str] = {}
    legit = 0
    serial = itertools.count(1)
    while len(products) < size:
        number = next(serial)
        sku = f"P{number:07d}"
        roll = rng.random()
        if roll < PLANTED and standalone:
            original, title = rng.choice(standalone)
            gtin = original.gtin if rng.random() < SAME_GTIN_PLANTED else None
            changed, kind = perturb(title, rng)
            products.append(
                Product(
                    sku,
                    "item",
                    values=_title_values(changed),
                    brand=original.brand,
                    categories=original.categories,
                    gtin=gtin,
                )
            )
            planted[original.sku, sku] = "same GTIN" if gtin is not None else kind
            continue
        brand = None if rng.random() < UNBRANDED else rng.choices(brands, weights)[0]
        category = rng.choice(categories)
        models = lines[brand, category]
        if not models or rng.random() < 0.35:
            number_part = f" {rng.randrange(1, 1000)}" if rng.random() < NUMBERED else ""
            models.append(pseudo_word(rng) + number_part)
        title = make_title(brand, rng.choice(models), rng, category_nouns[category])
        if roll < PLANTED + GROUPED:
            code = f"G{number:07d}"
            groups.append(ProductGroup(code, "apparel", values=_title_values(title)))
            shared = gtin_for(number * 10) if rng.random() < 0.5 else None
            sizes = rng.sample(("XS", "S", "M", "L", "XL"), rng.randint(2, 5))
            sizes = sizes[: size - len(products)]
            for index, variant_size in enumerate(sizes):
                products.append(
                    Product(
                        f"{sku}-{variant_size}",
                        "apparel",
                        values=Values({ValueKey("size"): variant_size}),
                        group=code,
                        brand=brand,
                        categories=(category,),
                        gtin=shared or gtin_for(number * 10 + index),
                    )
                )
            legit += len(sizes) * (len(sizes) - 1) // 2 if shared else 0
            continue
        gtin = gtin_for(number * 10) if rng.random() < 0.7 else None
        product = Product(
            sku, "item", values=_title_values(title), brand=brand, categories=(category,), gtin=gtin
        )
        products.append(product)
        standalone.append((product, title))
    return Catalog(products, groups, planted, legit)


# ------------------------------------------------------------------ the two sides


def run_indexed(catalog: Catalog) -> tuple[DuplicatePair, ...]:
    """The ecomkit side: one call over the whole catalog."""
    return find_duplicates(catalog.products, SCHEMA, locale=LOCALE, groups=catalog.groups)


class _Row(NamedTuple):
    sku: str
    group: str | None
    block: str
    features: frozenset[str]
    numbers: frozenset[str]
    signature: tuple[object, ...]


def _rows(catalog: Catalog) -> list[_Row]:
    """Read each product's block, title features and signature, as ``find_duplicates`` does."""
    titles = {group.code: group.values for group in catalog.groups}
    rows = []
    for product in catalog.products:
        values = product.values
        if product.group is not None:
            values = values.merged_over(titles[product.group])
        title = values.get_value("title", locale=LOCALE)
        brand = " ".join(normalize_title(product.brand)) if product.brand else ""
        block = f"brand:{brand}" if brand else f"category:{product.categories[0]}"
        if not isinstance(title, str):
            continue
        words = normalize_title(title)
        rows.append(
            _Row(
                product.sku,
                product.group,
                block,
                _features(words),
                frozenset(word for word in words if word.isdigit()),
                (product.condition, values.get_value("size")),
            )
        )
    return rows


def run_all_pairs(rows: Sequence[_Row]) -> set[tuple[str, str]]:
    """The all-pairs side: every pair of products within each block, the same rules."""
    blocks: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        blocks[row.block].append(row)
    threshold = DEFAULT_SIMILARITY
    found: set[tuple[str, str]] = set()
    for members in blocks.values():
        for one, two in itertools.combinations(members, 2):
            if one.group is not None and one.group == two.group:
                continue
            if one.numbers != two.numbers or one.signature != two.signature:
                continue
            shared = len(one.features & two.features)
            if shared >= threshold * (len(one.features) + len(two.features) - shared):
                found.add((one.sku, two.sku) if one.sku < two.sku else (two.sku, one.sku))
    return found


def _timed(func: Callable[[], object]) -> tuple[float, object]:
    """Return the seconds *func* takes, with the garbage collector paused, and its result."""
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - started
    finally:
        gc.enable()
    return elapsed, result


@dataclass
class SizeResult:
    """The figures of one catalog size."""

    catalog: Catalog
    times: list[float] = field(default_factory=list)
    pairs: tuple[DuplicatePair, ...] = ()
    all_pairs_time: float | None = None
    comparisons: int = 0

    @property
    def size(self) -> int:
        """The number of products."""
        return len(self.catalog.products)

    @property
    def best(self) -> float:
        """The fastest run, in seconds."""
        return min(self.times)

    def count(self, reason: DuplicateReason) -> int:
        """The number of pairs found for *reason*."""
        return sum(1 for pair in self.pairs if pair.reason is reason)

    def recall(self, kind: str | None = None) -> tuple[int, int]:
        """Return how many planted pairs (of *kind*, or all) were found, and how many there are."""
        found = {(pair.first, pair.second) for pair in self.pairs}
        planted = [pair for pair, how in self.catalog.planted.items() if kind in {None, how}]
        return sum(1 for pair in planted if pair in found), len(planted)


def time_sizes(results: Sequence[SizeResult], *, repeat: int, budget: float) -> None:
    """Time up to *repeat* runs of ``find_duplicates`` per size, going round the sizes.

    Going round the sizes, rather than finishing one size before the next, spreads a busy
    spell of the shared machine over every size instead of one.
    """
    for _ in range(repeat):
        for result in results:
            if sum(result.times) < budget:
                elapsed, pairs = _timed(functools.partial(run_indexed, result.catalog))
                assert isinstance(pairs, tuple)  # noqa: S101 - run_indexed returns a tuple
                result.times.append(elapsed)
                result.pairs = pairs


def time_all_pairs(result: SizeResult) -> bool:
    """Time all pairs within blocks once on *result*'s catalog; whether both sides agree."""
    catalog = result.catalog
    elapsed, naive = _timed(lambda: run_all_pairs(_rows(catalog)))
    assert isinstance(naive, set)  # noqa: S101 - run_all_pairs returns a set
    result.all_pairs_time = elapsed
    blocks = Counter(row.block for row in _rows(catalog))
    result.comparisons = sum(count * (count - 1) // 2 for count in blocks.values())
    titles = {
        (pair.first, pair.second)
        for pair in result.pairs
        if pair.reason is DuplicateReason.SIMILAR_TITLE
    }
    by_gtin = {(pair.first, pair.second) for pair in result.pairs} - titles
    if titles != naive - by_gtin:
        print(
            f"The index and all pairs disagree on {len(titles ^ (naive - by_gtin)):,} pairs "
            f"of the {result.size:,}-product catalog",
            file=sys.stderr,
        )
        return False
    return True


def _percent(found: int, total: int) -> str:
    return f"{found / total:.1%}" if total else "-"


def print_sizes(results: Sequence[SizeResult]) -> None:
    """Print time, throughput, pairs, recall and growth per size."""
    rows = []
    previous: SizeResult | None = None
    for result in results:
        found, planted = result.recall()
        rows.append(
            [
                f"{result.size:,}",
                str(len(result.times)),
                f"{result.best:.2f} / {statistics.median(result.times):.2f}",
                f"{result.size / result.best:,.0f}",
                f"{result.count(DuplicateReason.SIMILAR_TITLE):,}",
                f"{result.count(DuplicateReason.SAME_GTIN):,}",
                f"{found:,} of {planted:,} ({_percent(found, planted)})",
                f"{result.catalog.legit_gtin_shares:,}",
                (
                    f"{result.best / previous.best:.2f} / "
                    f"{statistics.median(result.times) / statistics.median(previous.times):.2f}"
                    if previous
                    else "-"
                ),
            ]
        )
        previous = result
    print_table(
        [
            "products",
            "runs",
            "best / median s",
            "products/s",
            "title pairs",
            "GTIN pairs",
            "planted found (recall)",
            "legit GTIN shares",
            "growth ratio best / median",
        ],
        rows,
    )


def print_recall(result: SizeResult) -> None:
    """Print the recall of the planted duplicates by the change made to the title."""
    rows = []
    for kind in (*PERTURBATIONS, "same GTIN"):
        found, planted = result.recall(kind)
        rows.append([kind, f"{planted:,}", f"{found:,}", _percent(found, planted)])
    print(f"Planted duplicates in the {result.size:,}-product catalog, by what was changed:")
    print()
    print_table(["change", "planted", "found", "recall"], rows)


def print_all_pairs(results: Sequence[SizeResult]) -> None:
    """Print the index against all pairs within each block, size by size."""
    rows = []
    for result in results:
        if result.all_pairs_time is None:
            continue
        ours = result.size / result.best
        theirs = result.size / result.all_pairs_time
        rows.append(
            [
                f"{result.size:,}",
                f"{result.comparisons:,}",
                f"{result.count(DuplicateReason.SIMILAR_TITLE):,}",
                f"{result.best:.2f}",
                f"{result.all_pairs_time:.2f}",
                f"{ours / theirs:.2f}x",
            ]
        )
    print(
        "All pairs within each block (the same features, similarity and rules; both sides "
        "start from the products and found the same title pairs):"
    )
    print()
    print_table(
        [
            "products",
            "pairs compared",
            "title pairs",
            "index s (best)",
            "all pairs s",
            "ecomkit ratio",
        ],
        rows,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Time ``find_duplicates`` at three sizes, then all pairs within blocks."""
    parser = quick_parser(__doc__.splitlines()[0] if __doc__ else "duplicates benchmark")
    parser.add_argument("--repeat", type=int, default=5, help="most runs per size (5)")
    parser.add_argument(
        "--budget", type=float, default=40.0, help="no new run once a size took this (40 s)"
    )
    parser.add_argument(
        "--all-pairs-up-to",
        type=int,
        default=SIZES[-1],
        help="run all pairs on the catalogs up to this size (100,000; 0 for none)",
    )
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else SIZES
    repeat = 1 if args.quick else args.repeat

    results = [SizeResult(make_catalog(size)) for size in sizes]
    time_sizes(results, repeat=repeat, budget=args.budget)
    for result in results:
        if (args.quick or result.size <= args.all_pairs_up_to) and not time_all_pairs(result):
            return 1

    print(f"# Duplicate detection benchmark: {machine_summary()}")
    print(
        f"find_duplicates over catalogs of {', '.join(f'{size:,}' for size in sizes)} products "
        f"({BRANDS} Zipf-sized brands, threshold {DEFAULT_SIMILARITY}); up to {repeat} runs "
        f"per size, going round the sizes (no new run after {args.budget:g} s per size), GC "
        "paused. The growth ratio is the time over the previous size's: 2.00 is linear "
        "in the number of products, 4.00 is all pairs."
    )
    print()
    print_sizes(results)
    print()
    print_recall(results[-1])
    print()
    print_all_pairs(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
