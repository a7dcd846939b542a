"""Duplicate products: a shared GTIN, or near-identical titles within a brand or category.

Two rules find duplicates:

- **Same GTIN.** Products whose GTINs are equal in their 14-digit form are duplicates when
  nothing else tells them apart: the same condition and the same values for the variant
  axes of their product types. Google Merchant Center treats a GTIN shared by products that
  differ in those attributes as legitimate (one trade item sold in several sizes, or new
  and used), so such shares are not reported.
- **Similar titles.** Titles (the product type's ``title_attribute``, resolved for the
  channel and locale) are compared within a *block*: the products of one brand, or, for a
  product without a brand, the products of its main category. Products with neither are
  not compared by title. Variants of one product group share their group's title and are
  never paired with each other by this rule.

The title search never compares all pairs. Within a block (and, when numbers must match,
within the titles of a block that have the same numbers), each title becomes a set of
features (its words and the character trigrams of its words); the features are ordered
from the rarest there to the most common, and only the first few of each title (its
*prefix*) go into an inverted index. Two titles whose feature sets have a Jaccard
similarity of at least ``t`` must share a feature in their prefixes of length
``n - ceil(t * n) + 1``, so looking candidates up through the prefixes finds every such
pair; each candidate is then checked with the exact similarity. The cost grows with the
number of products times the length of the rare features' posting lists; a feature found
in very many titles of a block is a stop feature and is never looked up (see
`find_duplicates` for what that may miss).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Final, Protocol

import attrs

from ecomkit.catalog._gtin import Gtin
from ecomkit.catalog._product import Product
from ecomkit.catalog._schema import CatalogSchema
from ecomkit.catalog._units import UNITS, Metric
from ecomkit.catalog._values import Values
from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.i18n import normalize_locale
from ecomkit.money._amount import to_decimal, to_int, to_member
from ecomkit.orders._values import Sku


__all__ = [
    "DEFAULT_SIMILARITY",
    "DuplicatePair",
    "DuplicateReason",
    "find_duplicates",
    "normalize_title",
    "title_similarity",
]

DEFAULT_SIMILARITY: Final = Decimal("0.8")
"""The title similarity (Jaccard over words and word trigrams) from which titles match.

Between titles of about eight words, a plural, a typo, words in another order or one
word left out mostly stay above it, and another colour or another product noun falls
below it. ``Men's`` against ``women's`` stays above it too: a gender is better modelled as
a variant axis, which tells products apart (see `find_duplicates`).
"""

DEFAULT_MAX_POSTINGS: Final = 1_000
"""Above this many titles of a block sharing a feature, the feature finds no candidates."""

_PLACES: Final = 3
_SCALE: Final = 10**_PLACES
_APOSTROPHES: Final = re.compile("['\u2019\u02bc`\u00b4]")
_TOKEN: Final = re.compile(r"\d+|[^\W\d_]+")


class _GroupLike(Protocol):
    """What `find_duplicates` reads from a product group: its code and its values."""

    @property
    def code(self) -> str: ...  # pragma: no cover - a protocol

    @property
    def values(self) -> Values: ...  # pragma: no cover - a protocol


class DuplicateReason(enum.StrEnum):
    """Why two products were paired."""

    SAME_GTIN = "same_gtin"
    """The same GTIN, the same condition and the same variant-axis values."""
    SIMILAR_TITLE = "similar_title"
    """Near-identical titles within one brand (or one category, without a brand)."""


def _sku(value: object) -> Sku:
    if not isinstance(value, str):
        raise InvalidTypeError(field="sku", value=value, expected="str")
    return Sku(value)


def _reason(value: object) -> DuplicateReason:
    return to_member(DuplicateReason, value, field="reason")


def _similarity(value: object) -> Decimal:
    number = to_decimal(value, field="similarity")
    if not 0 <= number <= 1:
        raise InvalidValueError(field="similarity", value=value, reason="must be from 0 to 1")
    return number


def _optional_threshold(value: object) -> Decimal | None:
    return None if value is None else _threshold(value)


def _optional_title(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidTypeError(field="title", value=value, expected="str or None")


def _block(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidTypeError(field="block", value=value, expected="a non-empty str")
    return value


@attrs.frozen(weakref_slot=False)
class DuplicatePair:
    """Two products that look like the same item, and why.

    Attributes:
        first: The smaller of the two SKUs.
        second: The larger SKU.
        reason: The rule that paired them.
        similarity: The title similarity rounded down to three places (``1`` for a shared
            GTIN).
        block: Where they were compared: ``"gtin:<14 digits>"``, ``"brand:<brand>"`` (the
            brand as normalized for comparison) or ``"category:<code>"``.
        first_title: The first product's title as resolved, or ``None``.
        second_title: The second product's title as resolved, or ``None``.
        threshold: The similarity the titles had to reach (``None`` for a shared GTIN).

    Raises:
        InvalidValueError: The SKUs are equal or not in order, or the similarity is not
            from 0 to 1.
    """

    first: Sku = attrs.field(converter=_sku)
    second: Sku = attrs.field(converter=_sku)
    reason: DuplicateReason = attrs.field(converter=_reason)
    similarity: Decimal = attrs.field(converter=_similarity)
    block: str = attrs.field(converter=_block)
    first_title: str | None = attrs.field(default=None, kw_only=True, converter=_optional_title)
    second_title: str | None = attrs.field(default=None, kw_only=True, converter=_optional_title)
    threshold: Decimal | None = attrs.field(
        default=None, kw_only=True, converter=_optional_threshold
    )

    def __attrs_post_init__(self) -> None:
        if not self.first < self.second:
            raise InvalidValueError(
                field="second", value=self.second, reason=f"must sort after first {self.first!r}"
            )

    @property
    def message(self) -> str:
        """Why the two products were paired, in one sentence."""
        kind, _, name = self.block.partition(":")
        if self.reason is DuplicateReason.SAME_GTIN:
            return (
                f"{self.first} and {self.second} share the GTIN {name} with the same condition "
                "and variant attributes; a feed keeps only one of them"
            )
        where = f"{kind} {name!r}"
        bound = f" (at least {self.threshold})" if self.threshold is not None else ""
        return (
            f"{self.first} and {self.second} have near-identical titles in {where}: "
            f"similarity {self.similarity}{bound}, {self.first_title!r} and "
            f"{self.second_title!r}"
        )


def normalize_title(title: str) -> tuple[str, ...]:
    """Return the words a title is compared by.

    The text is NFKC-normalized and case-folded; apostrophes are dropped (``men's`` is
    ``mens``); every other character that is neither a letter nor a digit separates words,
    and so does a change between letters and digits (``128GB`` is ``128 gb``).

    Raises:
        InvalidTypeError: *title* is not a string.

    Examples:
        >>> normalize_title("NIKE Air Zoom Pegasus40 - men's running shoe")
        ('nike', 'air', 'zoom', 'pegasus', '40', 'mens', 'running', 'shoe')
    """
    if not isinstance(title, str):
        raise InvalidTypeError(field="title", value=title, expected="str")
    folded = unicodedata.normalize("NFKC", title).casefold()
    return tuple(_TOKEN.findall(_APOSTROPHES.sub("", folded)))


def _word_features(word: str) -> tuple[str, ...]:
    """Return a word and the trigrams of the word padded by spaces."""
    padded = f" {word} "
    return (word, *(padded[index : index + 3] for index in range(len(padded) - 2)))


def _features(
    words: Iterable[str], cache: dict[str, tuple[str, ...]] | None = None
) -> frozenset[str]:
    """Return a title's features: each word, and the trigrams of each word padded by spaces.

    *cache* keeps each word's features for the next title that has the word.
    """
    found: set[str] = set()
    for word in words:
        features = cache.get(word) if cache is not None else None
        if features is None:
            features = _word_features(word)
            if cache is not None:
                cache[word] = features
        found.update(features)
    return frozenset(found)


def _floor_ratio(shared: int, total: int) -> Decimal:
    """Return ``shared / total`` rounded down to three places, exactly."""
    return Decimal(shared * _SCALE // total).scaleb(-_PLACES)


def title_similarity(first: str, second: str) -> Decimal:
    """Return how alike two titles are, from 0 to 1, rounded down to three places.

    The similarity is the Jaccard index of the titles' features: their words (see
    [`normalize_title`][ecomkit.catalog.normalize_title]) and the character trigrams of
    those words, so word order does not count and a plural or a typo costs little. Two
    titles without any letter or digit have a similarity of 0.

    Raises:
        InvalidTypeError: A title is not a string.

    Examples:
        >>> title_similarity("Nike Air Zoom Pegasus 40 Men's Running Shoe",
        ...                  "NIKE Air Zoom Pegasus 40 - men's running shoe")
        Decimal('1.000')
        >>> title_similarity("Nike Air Zoom Pegasus 40 Men's Running Shoe",
        ...                  "Nike Air Zoom Pegasus 40 Mens Running Shoes")
        Decimal('0.888')
        >>> title_similarity("Acme Cotton T-Shirt Black", "Acme Cotton T-Shirt White")
        Decimal('0.625')
    """
    features = _features(normalize_title(first))
    other = _features(normalize_title(second))
    union = len(features | other)
    return _floor_ratio(len(features & other), union) if union else Decimal("0.000")


# ------------------------------------------------------------------------------- checks


def _threshold(value: object) -> Decimal:
    number = to_decimal(value, field="threshold")
    if not 0 < number <= 1 or number != number.quantize(Decimal(1).scaleb(-_PLACES)):
        raise InvalidValueError(
            field="threshold",
            value=value,
            reason="must be from 0.001 to 1, with at most three decimal places",
        )
    return number


def _max_postings(value: object) -> int | None:
    if value is None:
        return None
    number = to_int(value, field="max_postings")
    if number < 1:
        raise InvalidValueError(field="max_postings", value=value, reason="must be at least 1")
    return number


def _group_values(groups: object) -> dict[str, tuple[Values, tuple[str, ...]]]:
    """Return each group's values and categories (none when it has no ``categories``)."""
    if isinstance(groups, str | bytes | Mapping) or not isinstance(groups, Iterable):
        raise InvalidTypeError(field="groups", value=groups, expected="a list of product groups")
    found: dict[str, tuple[Values, tuple[str, ...]]] = {}
    for group in groups:
        code = getattr(group, "code", None)
        values = getattr(group, "values", None)
        categories = getattr(group, "categories", ())
        if (
            not isinstance(code, str)
            or not isinstance(values, Values)
            or not isinstance(categories, tuple)
        ):
            raise InvalidTypeError(
                field="groups", value=group, expected="a product group (with code and values)"
            )
        if code in found:
            raise InvalidValueError(field="groups", value=code, reason="listed twice")
        found[code] = (values, categories)
    return found


def _locale(schema: CatalogSchema, channel: str | None, locale: object) -> str:
    code = normalize_locale(locale, field="locale")  # type: ignore[arg-type]  # checks the type
    if channel is not None:
        offered = schema.channel(channel).locales
        where = f"channel {channel!r}"
    else:
        offered = schema.locales
        where = "any channel"
    if code not in offered:
        raise InvalidValueError(field="locale", value=code, reason=f"not a locale of {where}")
    return code


# ------------------------------------------------------------------------- the products


def _canonical(value: object) -> object:
    """Return an axis value in a form equal for equal quantities (``1 kg`` and ``1000 g``)."""
    if isinstance(value, Metric):
        return (value.family, Fraction(value.amount) * Fraction(UNITS[value.unit].factor))
    return value


@attrs.frozen(weakref_slot=False)
class _Item:
    """What the rules read from one product."""

    sku: str
    group: str | None
    title: str | None
    signature: tuple[object, ...]
    gtin: Gtin | None
    block: str | None


_MISSING: Final[str] = "\x00"  # never a brand key: normalized brands are letters and digits


def _brand_key(brand: str | None) -> str | None:
    if brand is None:
        return None
    words = normalize_title(brand)
    return " ".join(words) if words else None


def _items(
    products: object,
    schema: CatalogSchema,
    groups: dict[str, tuple[Values, tuple[str, ...]]],
    channel: str | None,
    locale: str,
) -> list[_Item]:
    if isinstance(products, str | bytes | Mapping) or not isinstance(products, Iterable):
        raise InvalidTypeError(field="products", value=products, expected="a list of Product")
    items: list[_Item] = []
    seen: set[str] = set()
    brands: dict[str | None, str | None] = {}
    for product in products:
        if not isinstance(product, Product):
            raise InvalidTypeError(field="products", value=product, expected="Product")
        if product.sku in seen:
            raise InvalidValueError(field="products", value=product.sku, reason="listed twice")
        seen.add(product.sku)
        kind = schema.product_type(product.product_type, field=f"{product.sku}.product_type")
        values, categories = product.values, product.categories
        group = groups.get(product.group) if product.group is not None else None
        if group is not None:
            values = values.merged_over(group[0])
            categories = categories or group[1]
        title = values.get_value(kind.title_attribute, channel=channel, locale=locale)
        axes = tuple(
            (axis, _canonical(value))
            for axis in sorted(kind.axes)
            if (value := values.get_value(axis)) is not None
        )
        brand = brands.get(product.brand, _MISSING)
        if brand is _MISSING:
            brand = brands[product.brand] = _brand_key(product.brand)
        if brand is not None:
            block: str | None = f"brand:{brand}"
        elif categories:
            block = f"category:{categories[0]}"
        else:
            block = None
        items.append(
            _Item(
                sku=product.sku,
                group=product.group,
                title=title if isinstance(title, str) else None,
                signature=(product.condition, axes),
                gtin=product.gtin,
                block=block,
            )
        )
    return items


def _pair(
    one: _Item,
    two: _Item,
    *,
    reason: DuplicateReason,
    similarity: Decimal,
    block: str,
    threshold: Decimal | None,
) -> DuplicatePair:
    first, second = (one, two) if one.sku < two.sku else (two, one)
    return DuplicatePair(
        first.sku,
        second.sku,
        reason,
        similarity,
        block,
        first_title=first.title,
        second_title=second.title,
        threshold=threshold,
    )


def _gtin_pairs(items: Sequence[_Item]) -> dict[tuple[str, str], DuplicatePair]:
    """Pair the products that share a GTIN, a condition and their variant-axis values."""
    buckets: dict[tuple[str, tuple[object, ...]], list[_Item]] = defaultdict(list)
    for item in items:
        if item.gtin is not None:
            buckets[item.gtin.gtin14, item.signature].append(item)
    pairs: dict[tuple[str, str], DuplicatePair] = {}
    one = Decimal("1.000")
    for (gtin14, _signature), members in buckets.items():
        for index, first in enumerate(members):
            for second in members[index + 1 :]:
                pair = _pair(
                    first,
                    second,
                    reason=DuplicateReason.SAME_GTIN,
                    similarity=one,
                    block=f"gtin:{gtin14}",
                    threshold=None,
                )
                pairs[pair.first, pair.second] = pair
    return pairs


# ---------------------------------------------------------------------- the title index


@attrs.define(weakref_slot=False)
class _Entry:
    """One title of a block, shared by the variants of a group that have it."""

    group: str | None
    numbers: frozenset[str]
    names: frozenset[str]
    members: dict[tuple[object, ...], list[_Item]]
    ranks: list[int] = attrs.field(factory=list)
    features: frozenset[int] = frozenset()


def _entries(members: Sequence[_Item], cache: dict[str, tuple[str, ...]]) -> list[_Entry]:
    """Collapse a block's products into entries: one per title, per group or product."""
    entries: dict[tuple[str, frozenset[str]], _Entry] = {}
    for item in sorted(members, key=lambda item: item.sku):
        words = normalize_title(item.title or "")
        features = _features(words, cache)
        if not features:
            continue
        key = (f"g:{item.group}" if item.group is not None else f"p:{item.sku}", features)
        entry = entries.get(key)
        if entry is None:
            numbers = frozenset(word for word in words if word.isdigit())
            entry = entries[key] = _Entry(item.group, numbers, features, {})
        entry.members.setdefault(item.signature, []).append(item)
    return list(entries.values())


def _rank(entries: Sequence[_Entry], limit: int | None) -> int:
    """Give each feature a rank, rarest in the block first, and sort each entry's ranks.

    Features equally frequent keep the order they were first seen in (the entries come
    sorted by SKU, so the ranks do not depend on the order the products came in). Returns
    the first rank of a stop feature: one that more than *limit* entries have.
    """
    frequency: Counter[str] = Counter()
    for entry in entries:
        frequency.update(entry.names)
    order = sorted(frequency, key=frequency.__getitem__)
    rank = {feature: number for number, feature in enumerate(order)}
    for entry in entries:
        ranks = sorted(map(rank.__getitem__, entry.names))
        entry.ranks = ranks
        entry.features = frozenset(ranks)
    if limit is None:
        return len(order)
    return next(
        (number for number, name in enumerate(order) if frequency[name] > limit), len(order)
    )


def _candidates(
    entries: list[_Entry], threshold: tuple[int, int], stop: int
) -> Iterable[tuple[_Entry, _Entry, int]]:
    """Yield the entry pairs whose feature sets reach *threshold*, with their overlap.

    Entries are visited from the fewest features to the most; each looks candidates up in
    the postings of its prefix features among the entries visited before it, and then adds
    itself to those postings. A posting list holds entries in visiting order, so its entries
    too small to match (fewer than ``threshold * size`` features) are at its front and are
    skipped for good.
    """
    numerator, denominator = threshold
    entries.sort(key=lambda entry: len(entry.ranks))
    postings: dict[int, list[int]] = {}
    starts: dict[int, int] = {}
    sizes = [len(entry.ranks) for entry in entries]
    for index, entry in enumerate(entries):
        size = sizes[index]
        needed = -(-numerator * size // denominator)  # ceil(threshold * size), exactly
        prefix = [rank for rank in entry.ranks[: size - needed + 1] if rank < stop]
        seen: set[int] = set()
        for rank in prefix:
            posting = postings.get(rank)
            if posting is None:
                postings[rank] = [index]
                starts[rank] = 0
                continue
            start = starts[rank]
            while start < len(posting) and sizes[posting[start]] < needed:
                start += 1
            starts[rank] = start
            seen.update(posting[start:])
            posting.append(index)
        for other in sorted(seen):
            candidate = entries[other]
            shared = len(entry.features & candidate.features)
            union = size + sizes[other] - shared
            if shared * denominator >= numerator * union:
                yield candidate, entry, shared


def _member_pairs(one: _Entry, two: _Entry) -> Iterable[tuple[_Item, _Item]]:
    """Yield the products of two matching entries that have the same signature."""
    for signature, firsts in one.members.items():
        for second in two.members.get(signature, ()):
            for first in firsts:
                yield first, second


def _title_pairs(
    items: Sequence[_Item],
    threshold: Decimal,
    *,
    numbers_must_match: bool,
    max_postings: int | None,
) -> dict[tuple[str, str], DuplicatePair]:
    blocks: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        if item.block is not None and item.title is not None:
            blocks[item.block].append(item)
    exact = threshold.as_integer_ratio()
    cache: dict[str, tuple[str, ...]] = {}
    pairs: dict[tuple[str, str], DuplicatePair] = {}
    for block, members in blocks.items():
        for entries in _partitions(_entries(members, cache), by_numbers=numbers_must_match):
            stop = _rank(entries, max_postings)
            for one, two, shared in _candidates(entries, exact, stop):
                if one.group is None or one.group != two.group:
                    _add_pairs(pairs, one, two, shared=shared, block=block, threshold=threshold)
    return pairs


def _partitions(entries: list[_Entry], *, by_numbers: bool) -> Iterable[list[_Entry]]:
    """Split a block's entries by the numbers of their titles, when numbers must match.

    Titles with other numbers are never paired then, so comparing them is wasted work.
    """
    if not by_numbers:
        yield entries
        return
    parts: dict[frozenset[str], list[_Entry]] = defaultdict(list)
    for entry in entries:
        parts[entry.numbers].append(entry)
    yield from parts.values()


def _add_pairs(
    pairs: dict[tuple[str, str], DuplicatePair],
    one: _Entry,
    two: _Entry,
    *,
    shared: int,
    block: str,
    threshold: Decimal,
) -> None:
    """Add the pairs of products of two matching titles (with the same signatures)."""
    similarity = _floor_ratio(shared, len(one.ranks) + len(two.ranks) - shared)
    for first, second in _member_pairs(one, two):
        pair = _pair(
            first,
            second,
            reason=DuplicateReason.SIMILAR_TITLE,
            similarity=similarity,
            block=block,
            threshold=threshold,
        )
        pairs[pair.first, pair.second] = pair


def find_duplicates(
    products: Iterable[Product],
    schema: CatalogSchema,
    *,
    locale: str,
    channel: str | None = None,
    groups: Iterable[_GroupLike] = (),
    threshold: Decimal | str | int = DEFAULT_SIMILARITY,
    numbers_must_match: bool = True,
    max_postings: int | None = DEFAULT_MAX_POSTINGS,
) -> tuple[DuplicatePair, ...]:
    """Find the products that look like the same item, without comparing all pairs.

    Two rules pair products (see the module's description):

    - ``same_gtin``: equal GTINs (in their 14-digit form), the same condition and the same
      values for the variant axes of their types (similarity 1). A GTIN shared by products
      that differ in condition or variant-axis values is legitimate and not reported.
    - ``similar_title``: titles with a similarity (see
      [`title_similarity`][ecomkit.catalog.title_similarity]) of at least *threshold*,
      within the same brand (compared after [`normalize_title`][ecomkit.catalog.normalize_title],
      so ``NIKE`` is ``Nike``), or within the same main category for products without a
      brand. Products of the same group are never paired by title; products that differ
      in condition or variant-axis values are not either (they are variants, not
      duplicates); and, with *numbers_must_match*, neither are titles whose numbers
      differ (``Pegasus 40`` and ``Pegasus 41`` are two models).

    A pair found by both rules is reported once, as ``same_gtin``.

    What the title search may miss, and only with *max_postings* set: a feature (a word or
    trigram) that more than *max_postings* titles of a block have (of the block's titles
    with the same numbers, when numbers must match) is a stop feature there; it still
    counts in the similarity but candidates are not looked up through it. A pair
    is therefore missed only when every feature the two titles share within both their
    prefixes (their rarest features, as many as the threshold requires) is a stop
    feature: in practice, two short titles made only of the block's most common words.
    With ``max_postings=None`` every pair reaching the threshold is found.

    Args:
        products: The products to check; each SKU once.
        schema: The catalog schema (for each type's title attribute and variant axes).
        locale: The locale whose titles are compared (with the usual fallback).
        channel: The channel whose titles are compared, or ``None`` for the all-channels
            values.
        groups: The product groups of the variants among *products*
            ([`ProductGroup`][ecomkit.catalog.ProductGroup] or any object with ``code``,
            ``values`` and optionally ``categories``); a variant's title and axes are read
            from its values over its group's, and a variant without categories is blocked by
            its group's main category. A variant whose group is not given is read from its
            own values only.
        threshold: The similarity from which titles match: from 0.001 to 1, with at most
            three decimal places (so the reported, rounded-down similarity of a pair is
            never below it).
        numbers_must_match: Whether titles must contain the same numbers to match.
        max_postings: The largest posting list looked up per feature and block, or
            ``None`` for no limit.

    Returns:
        The pairs, sorted by their SKUs.

    Raises:
        InvalidTypeError: *products* is not a list of `Product`, a group has no code or
            values, or an option has the wrong type.
        InvalidValueError: A SKU or group is listed twice, the locale is not one of the
            channel's (or of any channel), or *threshold* or *max_postings* is out of range.
        InvalidLocaleError: *locale* is not a locale code.
        UnknownCodeError: A product's type or the channel is unknown.

    Examples:
        >>> from ecomkit.catalog import (AttributeDef, CatalogSchema, Channel, Product,
        ...                              ProductType, ValueKey, Values)
        >>> schema = CatalogSchema(
        ...     [AttributeDef("title", "text", localizable=True)],
        ...     [ProductType("shoe", ["title"], description_attribute=None)],
        ...     [Channel("web", ["en"], ["EUR"])],
        ... )
        >>> def shoe(sku, title, brand):
        ...     values = Values({ValueKey("title", locale="en"): title})
        ...     return Product(sku, "shoe", values=values, brand=brand)
        >>> pairs = find_duplicates(
        ...     [shoe("S-1", "Nike Air Zoom Pegasus 40 Men's Running Shoe", "Nike"),
        ...      shoe("S-2", "NIKE Air Zoom Pegasus 40 - men's running shoe", "NIKE"),
        ...      shoe("S-3", "Nike Air Zoom Pegasus 41 Men's Running Shoe", "Nike"),
        ...      shoe("S-4", "Air Zoom Pegasus 40 Men's Running Shoe", "Acme")],
        ...     schema, locale="en")
        >>> [(pair.first, pair.second, pair.reason.value, pair.similarity) for pair in pairs]
        [('S-1', 'S-2', 'similar_title', Decimal('1.000'))]
        >>> pairs[0].block
        'brand:nike'
    """
    if not isinstance(schema, CatalogSchema):
        raise InvalidTypeError(field="schema", value=schema, expected="CatalogSchema")
    if channel is not None:
        schema.channel(channel)
    code = _locale(schema, channel, locale)
    limit = _max_postings(max_postings)
    bound = _threshold(threshold)
    if not isinstance(numbers_must_match, bool):
        raise InvalidTypeError(
            field="numbers_must_match", value=numbers_must_match, expected="bool"
        )
    items = _items(products, schema, _group_values(groups), channel, code)
    pairs = _title_pairs(items, bound, numbers_must_match=numbers_must_match, max_postings=limit)
    pairs.update(_gtin_pairs(items))
    return tuple(pairs[key] for key in sorted(pairs))
