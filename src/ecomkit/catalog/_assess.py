"""Assessing a product's data quality with a list of criteria."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ecomkit.catalog._criteria import DEFAULT_CRITERIA
from ecomkit.catalog._product import Product
from ecomkit.catalog._quality import (
    CriterionResult,
    QualityCriterion,
    QualityReport,
    QualitySubject,
    SkippedCriterion,
    grade_for,
)
from ecomkit.catalog._schema import CatalogSchema
from ecomkit.catalog._values import Values
from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.i18n import normalize_locale


__all__ = ["assess_quality"]


# ---------------------------------------------------------------------------- assessing


def _text(values: Values, attribute: str | None, channel: str, locale: str) -> str | None:
    if attribute is None:
        return None
    value = values.get_value(attribute, channel=channel, locale=locale)
    if value is None or isinstance(value, str):
        return value
    raise InvalidTypeError(field=attribute, value=value, expected="a text value")


def _criteria(value: object) -> tuple[QualityCriterion, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="criteria", value=value, expected="a list of QualityCriterion")
    items = tuple(value)
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, QualityCriterion):
            raise InvalidTypeError(field="criteria", value=item, expected="QualityCriterion")
        if item.id in seen:
            raise InvalidValueError(
                field="criteria", value=item.id, reason="two criteria have this id"
            )
        seen.add(item.id)
    return items


def assess_quality(
    product: Product,
    schema: CatalogSchema,
    *,
    channel: str,
    locale: str,
    criteria: Iterable[QualityCriterion] = DEFAULT_CRITERIA,
    group: Any = None,
) -> QualityReport:
    """Rate a product's data quality in a channel and locale.

    Texts are the values of the product type's ``title_attribute`` and
    ``description_attribute`` for the channel and locale (with locale fallback); a variant
    passes its *group* (anything with a ``values`` attribute holding
    [`Values`][ecomkit.catalog.Values]) and its own values are read over the group's.
    Each criterion rates the product 0-100 or says why it does not apply; the overall
    rate is the weighted mean of the applicable rates, rounded down (see
    [`QualityReport`][ecomkit.catalog.QualityReport]).

    Args:
        product: The product (or variant) to rate.
        schema: The catalog schema holding its type and attributes.
        channel: The channel's code.
        locale: One of the channel's locales.
        criteria: The criteria to apply; ids must differ.
        group: The product group a variant inherits values from, or ``None``.

    Returns:
        The [`QualityReport`][ecomkit.catalog.QualityReport].

    Raises:
        InvalidTypeError: *product*, *schema*, *criteria* or *group* has the wrong type, or
            a title or description value is not text.
        UnknownCodeError: The channel or the product's type is not in the schema.
        InvalidValueError: *locale* is not a locale of the channel, or two criteria share
            an id.
        InvalidLocaleError: *locale* is not a locale code.

    Examples:
        >>> from ecomkit.catalog import (AttributeDef, CatalogSchema, Channel, Image,
        ...                              Product, ProductType, ValueKey, Values)
        >>> schema = CatalogSchema(
        ...     [AttributeDef("title", "text", localizable=True)],
        ...     [ProductType("mug", ["title"], description_attribute=None)],
        ...     [Channel("web", ["en"], ["EUR"])])
        >>> mug = Product("MUG-1", "mug", values=Values(
        ...     {ValueKey("title", locale="en"): "BEST PRICE!!! Stoneware mug"}),
        ...     media=[Image("mug.jpg", {"en": "A white mug"})])
        >>> report = assess_quality(mug, schema, channel="web", locale="en")
        >>> report.rate, report.grade
        (63, <Grade.D: 'D'>)
        >>> [finding.code for finding in report.findings]  # doctest: +NORMALIZE_WHITESPACE
        ['title_promotional', 'title_repeated_punctuation', 'title_in_capitals',
         'images_few']
        >>> [skipped.criterion for skipped in report.skipped]
        ['description_length', 'brand_name', 'attribute_consistency']
    """
    if not isinstance(product, Product):
        raise InvalidTypeError(field="product", value=product, expected="Product")
    if not isinstance(schema, CatalogSchema):
        raise InvalidTypeError(field="schema", value=schema, expected="CatalogSchema")
    checked = criteria if criteria is DEFAULT_CRITERIA else _criteria(criteria)
    found_channel = schema.channel(channel)
    code = normalize_locale(locale)
    if code not in found_channel.locales:
        raise InvalidValueError(
            field="locale",
            value=locale,
            reason=f"not a locale of the channel {channel!r} ({', '.join(found_channel.locales)})",
        )
    product_type = schema.product_type(product.product_type, field="product.product_type")
    values = product.values
    if group is not None:
        base = getattr(group, "values", None)
        if not isinstance(base, Values):
            raise InvalidTypeError(
                field="group", value=group, expected="an object with values: Values"
            )
        values = values.merged_over(base)
    subject = QualitySubject(
        product,
        product_type,
        schema,
        channel,
        code,
        values,
        _text(values, product_type.title_attribute, channel, code),
        _text(values, product_type.description_attribute, channel, code),
    )
    results: list[CriterionResult] = []
    skipped: list[SkippedCriterion] = []
    for criterion in checked:
        outcome = criterion.assess(subject)
        if isinstance(outcome, CriterionResult):
            results.append(outcome)
        elif isinstance(outcome, SkippedCriterion):
            skipped.append(outcome)
        else:
            raise InvalidTypeError(
                field=f"criteria[{criterion.id!r}]",
                value=outcome,
                expected="CriterionResult or SkippedCriterion from assess",
            )
    weights = sum(result.weight for result in results)
    rate = sum(result.rate * result.weight for result in results) // weights if weights else None
    return QualityReport(
        product.sku,
        channel,
        code,
        rate,
        None if rate is None else grade_for(rate),
        tuple(results),
        tuple(skipped),
    )
