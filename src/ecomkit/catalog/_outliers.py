"""Outliers: products whose figures stray far from their group's, by a robust score.

Each group (a category, by default) is judged on its own with the modified z-score of
Iglewicz and Hoaglin, ``0.6745 * (x - median) / MAD``, where MAD is the median absolute
deviation from the median. Median and MAD ignore the extreme values they are meant to
find, where a mean and a standard deviation would be dragged towards them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Final

import attrs

from ecomkit.catalog._attributes import check_code
from ecomkit.catalog._product import Product
from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.money import Currency
from ecomkit.money._amount import to_decimal
from ecomkit.orders._values import Sku, check_aware, check_quantity, check_text


__all__ = [
    "Direction",
    "NotJudged",
    "Outlier",
    "OutlierReport",
    "SkippedGroup",
    "Spread",
    "find_outliers",
    "price_outliers",
]

_CONTEXT: Final = Context(prec=28, rounding=ROUND_HALF_EVEN)
_CONSISTENCY: Final = Decimal("0.6745")  # the 0.75 quantile of the standard normal
_MEAN_AD_SCALE: Final = Decimal("1.253314")  # sqrt(pi / 2): sigma per mean absolute deviation
_CENT: Final = Decimal("0.01")
_TWO: Final = Decimal(2)
_SMALLEST_GROUP: Final = 3

GroupKey = Callable[[Product], str | None]
"""A function giving the group a product is judged in, or ``None`` to leave it out."""


class Direction(enum.StrEnum):
    """Which side of the median an outlier lies on."""

    HIGH = "high"
    """Above the median."""
    LOW = "low"
    """Below the median."""


class Spread(enum.StrEnum):
    """The measure of spread a group's scores were computed with."""

    MAD = "mad"
    """The median absolute deviation: ``0.6745 * (x - median) / MAD``."""
    MEAN_AD = "mean_ad"
    """The mean absolute deviation around the median, used when the MAD is 0:
    ``(x - median) / (1.253314 * meanAD)``."""


@attrs.frozen(weakref_slot=False)
class Outlier:
    """A product whose figure lies far from its group's median.

    Attributes:
        sku: The product's SKU.
        group: The group it was judged in (its main category by default).
        figure: What was measured (``"price"``, ``"return rate"``).
        value: The product's figure.
        median: The group's median.
        mad: The group's median absolute deviation (0 when `spread` is the mean one).
        score: The modified z-score, rounded half-even to 2 places; negative below the
            median.
        direction: Above or below the median.
        spread: The measure of spread used.
        group_size: How many products the group has.
        reason: The finding in a sentence.
    """

    sku: Sku
    group: str
    figure: str
    value: Decimal
    median: Decimal
    mad: Decimal
    score: Decimal
    direction: Direction
    spread: Spread
    group_size: int
    reason: str


@attrs.frozen(weakref_slot=False)
class SkippedGroup:
    """A group that was not judged, and why (too small, by default fewer than 5).

    Attributes:
        group: The group.
        size: How many products it has.
        reason: Why it was not judged.
    """

    group: str
    size: int
    reason: str


@attrs.frozen(weakref_slot=False)
class NotJudged:
    """A product (or a SKU) that is in no group, and why.

    Attributes:
        sku: The SKU.
        reason: Why it was left out (no category, no price, no product with the SKU).
    """

    sku: Sku
    reason: str


@attrs.frozen(weakref_slot=False)
class OutlierReport:
    """The outliers of one figure over a set of products, and what was not judged.

    Attributes:
        figure: What was measured.
        threshold: The score beyond which a product is an outlier.
        groups: How many groups were judged.
        outliers: The outliers, strongest first (largest absolute score, then SKU).
        skipped: The groups too small to judge, by group.
        not_judged: The products or SKUs left out, by SKU.
    """

    figure: str
    threshold: Decimal
    groups: int
    outliers: tuple[Outlier, ...]
    skipped: tuple[SkippedGroup, ...] = ()
    not_judged: tuple[NotJudged, ...] = ()


def _main_category(product: Product) -> str | None:
    return product.categories[0] if product.categories else None


def _products(value: object) -> tuple[Product, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="products", value=value, expected="a list of Product")
    items = tuple(value)
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, Product):
            raise InvalidTypeError(field="products", value=item, expected="Product")
        if item.sku in seen:
            raise InvalidValueError(field="products", value=item.sku, reason="two products")
        seen.add(item.sku)
    return items


def _settings(threshold: object, min_group_size: object, key: object) -> tuple[Decimal, int]:
    limit = to_decimal(threshold, field="threshold", error=InvalidValueError)
    if limit <= 0:
        raise InvalidValueError(field="threshold", value=threshold, reason="must be positive")
    size = check_quantity(min_group_size, field="min_group_size", minimum=_SMALLEST_GROUP)
    if key is not None and not callable(key):
        raise InvalidTypeError(
            field="key", value=key, expected="a function of a Product returning a group or None"
        )
    return limit, size


def _median(ordered: list[Decimal]) -> Decimal:
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return _CONTEXT.divide(_CONTEXT.add(ordered[middle - 1], ordered[middle]), _TWO)


def _judge(
    members: list[tuple[Sku, Decimal]],
    *,
    group: str,
    figure: str,
    label: str,
    threshold: Decimal,
) -> list[Outlier]:
    """Return the outliers of one group (sorting twice: O(k log k))."""
    size = len(members)
    median = _median(sorted(value for _sku, value in members))
    deviations = sorted(abs(value - median) for _sku, value in members)
    mad = _median(deviations)
    if mad:
        spread, scale = Spread.MAD, _CONTEXT.divide(_CONSISTENCY, mad)
    else:
        mean = _CONTEXT.divide(sum(deviations, Decimal(0)), Decimal(size))
        if not mean:  # every value is the median: nothing stands out
            return []
        spread, scale = Spread.MEAN_AD, _CONTEXT.divide(1, _CONTEXT.multiply(_MEAN_AD_SCALE, mean))
    note = (
        "" if spread is Spread.MAD else "; most equal the median, so scaled by the mean deviation"
    )
    found: list[Outlier] = []
    for sku, value in members:
        exact = _CONTEXT.multiply(value - median, scale)
        if abs(exact) <= threshold:
            continue
        score = exact.quantize(_CENT, rounding=ROUND_HALF_EVEN)
        direction = Direction.HIGH if exact > 0 else Direction.LOW
        side = "above" if direction is Direction.HIGH else "below"
        reason = (
            f"{figure} {value} is {abs(score)} robust deviations {side} the median {median} "
            f"of {label} {group!r} ({size} products{note})"
        )
        found.append(
            Outlier(sku, group, figure, value, median, mad, score, direction, spread, size, reason)
        )
    return found


def _report(
    figures: dict[Sku, Decimal],
    products: tuple[Product, ...],
    not_judged: list[NotJudged],
    *,
    figure: str,
    threshold: Decimal,
    min_group_size: int,
    key: GroupKey | None,
) -> OutlierReport:
    label = "category" if key is None else "group"
    group_of = key or _main_category
    groups: dict[str, list[tuple[Sku, Decimal]]] = {}
    for product in products:
        value = figures.get(product.sku)
        if value is None:
            continue
        group = group_of(product)
        if group is None:
            reason = "no category" if key is None else "the key gave no group"
            not_judged.append(NotJudged(product.sku, reason))
            continue
        if not isinstance(group, str):
            raise InvalidTypeError(field="key", value=group, expected="a group name (str) or None")
        groups.setdefault(group, []).append((product.sku, value))
    outliers: list[Outlier] = []
    skipped: list[SkippedGroup] = []
    for group, members in groups.items():
        if len(members) < min_group_size:
            reason = f"{len(members)} products, fewer than the {min_group_size} needed to judge"
            skipped.append(SkippedGroup(group, len(members), reason))
            continue
        outliers.extend(
            _judge(members, group=group, figure=figure, label=label, threshold=threshold)
        )
    outliers.sort(key=lambda item: (-abs(item.score), item.sku))
    return OutlierReport(
        figure,
        threshold,
        len(groups) - len(skipped),
        tuple(outliers),
        tuple(sorted(skipped, key=lambda item: item.group)),
        tuple(sorted(not_judged, key=lambda item: item.sku)),
    )


def find_outliers(
    figures: Mapping[str, Decimal],
    products: Iterable[Product],
    *,
    figure: str,
    threshold: Decimal | int | str = Decimal("3.5"),
    min_group_size: int = 5,
    key: GroupKey | None = None,
) -> OutlierReport:
    """Find the products whose *figure* strays from their group's (conversion rate ...).

    Products are grouped by their main category (the first of ``categories``) or by
    *key*. In each group of at least *min_group_size* products, a product is an outlier
    when the absolute value of its modified z-score ``0.6745 * (x - median) / MAD``
    exceeds *threshold* (3.5, as Iglewicz and Hoaglin recommend). When more than half a
    group's values are equal the MAD is 0; the score then uses the mean absolute
    deviation around the median, ``(x - median) / (1.253314 * meanAD)``, and when every
    value is equal nothing stands out. The arithmetic is decimal throughout, and the
    whole is O(n log n).

    Left out and listed in the report's ``not_judged``: SKUs of *figures* that no product
    has (a figure for a deleted product should not stop the others being judged),
    products without a figure, and products without a group.

    Args:
        figures: The figure per SKU, as ``Decimal``, ``int`` or decimal strings.
        products: The products, for their groups.
        figure: What the figures measure, for the report (``"return rate"``).
        threshold: The score beyond which a product is an outlier.
        min_group_size: The fewest products a group needs to be judged (3 or more).
        key: A function giving a product's group, or ``None`` to leave it out; the main
            category when not given.

    Returns:
        The [`OutlierReport`][ecomkit.catalog.OutlierReport].

    Raises:
        FloatNotAllowedError: A figure is a float.
        InvalidTypeError: An argument, a SKU or a group has the wrong type.
        InvalidValueError: Two products share a SKU, *threshold* is not positive or
            *min_group_size* is below 3.

    Examples:
        >>> from decimal import Decimal
        >>> from ecomkit.catalog import Product
        >>> products = [Product(f"P{n}", "tee", categories=["tees"]) for n in range(6)]
        >>> rates = {"P0": Decimal("0.05"), "P1": Decimal("0.06"), "P2": Decimal("0.04"),
        ...          "P3": Decimal("0.05"), "P4": Decimal("0.06"), "P5": Decimal("0.31")}
        >>> report = find_outliers(rates, products, figure="return rate")
        >>> [(item.sku, item.score, item.direction.value) for item in report.outliers]
        [('P5', Decimal('34.40'), 'high')]
        >>> report.outliers[0].reason
        "return rate 0.31 is 34.40 robust deviations above the median 0.055 of category 'tees' (6 products)"
    """  # noqa: E501 - the reason is one line
    limit, size = _settings(threshold, min_group_size, key)
    name = check_text(figure, field="figure", limit=100)
    items = _products(products)
    if not isinstance(figures, Mapping):
        raise InvalidTypeError(
            field="figures", value=figures, expected="a mapping of SKU to number"
        )
    known = {product.sku for product in items}
    values: dict[Sku, Decimal] = {}
    not_judged: list[NotJudged] = []
    for sku, raw in figures.items():
        code = Sku(check_code(sku, field="figures"))
        values[code] = to_decimal(raw, field=f"figures[{sku!r}]")
        if code not in known:
            not_judged.append(NotJudged(code, "no product with this SKU"))
    not_judged.extend(
        NotJudged(product.sku, f"no {name} given") for product in items if product.sku not in values
    )
    return _report(
        values, items, not_judged, figure=name, threshold=limit, min_group_size=size, key=key
    )


def price_outliers(
    products: Iterable[Product],
    *,
    currency: str,
    at: dt.datetime,
    channel: str | None = None,
    threshold: Decimal | int | str = Decimal("3.5"),
    min_group_size: int = 5,
    key: GroupKey | None = None,
) -> OutlierReport:
    """Find the products whose price strays from their category's (a typo, a wrong unit).

    The figure is each product's effective price at *at* in *currency*: the sale price
    during its window, else the regular one (see
    [`Price.effective`][ecomkit.catalog.Price.effective]); the channel's own price wins
    over the all-channels one. Products without a price in *currency* are listed in
    ``not_judged``. Judging is as in [`find_outliers`][ecomkit.catalog.find_outliers].

    Args:
        products: The products.
        currency: The ISO 4217 currency whose prices are compared.
        at: The moment whose prices count (timezone-aware).
        channel: The channel whose prices count, or ``None`` for the all-channels prices.
        threshold: The score beyond which a product is an outlier.
        min_group_size: The fewest products a group needs to be judged (3 or more).
        key: A function giving a product's group; the main category when not given.

    Returns:
        The [`OutlierReport`][ecomkit.catalog.OutlierReport], with the figure ``"price"``.

    Raises:
        UnknownCurrencyError: *currency* is not an ISO 4217 code.
        NaiveDateTimeError: *at* has no timezone.
        InvalidTypeError: An argument has the wrong type.
        InvalidValueError: Two products share a SKU, *threshold* is not positive or
            *min_group_size* is below 3.
    """
    limit, size = _settings(threshold, min_group_size, key)
    code = Currency(currency).code
    moment = check_aware(at, field="at")
    wanted = None if channel is None else check_code(channel, field="channel")
    items = _products(products)
    values: dict[Sku, Decimal] = {}
    not_judged: list[NotJudged] = []
    for product in items:
        price = product.price(code, channel=wanted)
        if price is None:
            not_judged.append(NotJudged(product.sku, f"no price in {code}"))
        else:
            values[product.sku] = price.effective(moment).amount
    return _report(
        values, items, not_judged, figure="price", threshold=limit, min_group_size=size, key=key
    )
