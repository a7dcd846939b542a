"""Channel profiles as data: field rules, their conditions, and where each field comes from."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

import attrs

from ecomkit.catalog._attributes import check_code
from ecomkit.catalog._product import tuple_of
from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.money._amount import to_decimal, to_int, to_member
from ecomkit.orders._values import check_text


__all__ = [
    "CHECKS",
    "DEFAULT_FIELD_MAP",
    "AllOf",
    "AnyOf",
    "BuiltinSource",
    "ChannelProfile",
    "CountryIn",
    "FieldFilled",
    "FieldIn",
    "FieldLevel",
    "FieldMap",
    "FieldRule",
    "FieldSource",
    "HasGroup",
    "InCategory",
    "Not",
    "RuleCondition",
]

CHECKS: Final = frozenset({"color", "gtin", "not_placeholder", "not_zero", "url"})
"""The named checks a [`FieldRule`][ecomkit.catalog.FieldRule] may ask for.

- ``"gtin"``: a valid GS1 check digit, and no restricted-circulation or coupon prefix;
- ``"not_placeholder"``: not a stand-in such as ``N/A``, ``Generic`` or ``No brand``;
- ``"not_zero"``: a number or price other than zero;
- ``"url"``: an ``http`` or ``https`` URL with a host and no spaces;
- ``"color"``: colours separated by ``/``, each at most 40 characters and none of them a
  number, a hex code, a single letter, ``multicolor`` or ``N/A``.
"""


def _field_name(value: object) -> str:
    return check_code(value, field="field")


def _text_tuple(value: object, *, field: str) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field=field, value=value, expected="a list of strings")
    items = tuple(value)
    for item in items:
        check_text(item, field=field)
    return items


# ---------------------------------------------------------------------------- conditions


class RuleCondition:
    """Base of the conditions that make a [`FieldRule`][ecomkit.catalog.FieldRule] apply.

    Conditions are plain data, a small closed set combined with
    [`AllOf`][ecomkit.catalog.AllOf], [`AnyOf`][ecomkit.catalog.AnyOf] and
    [`Not`][ecomkit.catalog.Not]; they are serialized as a union tagged on ``"type"``.
    """

    __slots__ = ()


def _any_of(value: object) -> tuple[str, ...]:
    items = _text_tuple(value, field="any_of")
    if not items:
        raise InvalidValueError(field="any_of", value=items, reason="needs at least one value")
    return items


@attrs.frozen(weakref_slot=False, cache_hash=True)
class FieldIn(RuleCondition):
    """Holds when a channel field's value (as the feed writes it) is one of *any_of*.

    Examples:
        >>> FieldIn("availability", ["preorder", "backorder"]).any_of
        ('preorder', 'backorder')
    """

    field: str = attrs.field(converter=_field_name)
    any_of: tuple[str, ...] = attrs.field(converter=_any_of)


@attrs.frozen(weakref_slot=False, cache_hash=True)
class FieldFilled(RuleCondition):
    """Holds when a channel field has a value."""

    field: str = attrs.field(converter=_field_name)


def _country(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidTypeError(field="countries", value=value, expected="a country code")
    code = value.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():  # noqa: PLR2004
        raise InvalidValueError(
            field="countries", value=value, reason="not an ISO 3166 alpha-2 country code"
        )
    return "GB" if code == "UK" else code


def _countries(value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="countries", value=value, expected="a list of countries")
    codes = tuple(dict.fromkeys(_country(item) for item in value))
    if not codes:
        raise InvalidValueError(field="countries", value=codes, reason="needs a country")
    return codes


@attrs.frozen(weakref_slot=False, cache_hash=True)
class CountryIn(RuleCondition):
    """Holds when the channel targets one of *countries* (``UK`` is read as ``GB``).

    A channel without a country is in none.
    """

    countries: tuple[str, ...] = attrs.field(converter=_countries)


def _category_codes(value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="categories", value=value, expected="a list of codes")
    codes = tuple(check_code(item, field="categories") for item in value)
    if not codes:
        raise InvalidValueError(field="categories", value=codes, reason="needs a category")
    return codes


@attrs.frozen(weakref_slot=False, cache_hash=True)
class InCategory(RuleCondition):
    """Holds when the product is classified in one of *categories*.

    With a category tree given to the scoring, a category below one of them counts too.
    """

    categories: tuple[str, ...] = attrs.field(converter=_category_codes)


@attrs.frozen(weakref_slot=False, cache_hash=True)
class HasGroup(RuleCondition):
    """Holds for a variant: a product with a group, or scored with its group's values."""


def _conditions(value: object) -> tuple[RuleCondition, ...]:
    items: tuple[RuleCondition, ...] = tuple_of(value, RuleCondition, field="conditions")
    if not items:
        raise InvalidValueError(field="conditions", value=items, reason="needs a condition")
    return items


@attrs.frozen(weakref_slot=False, cache_hash=True)
class AllOf(RuleCondition):
    """Holds when every one of *conditions* holds."""

    conditions: tuple[RuleCondition, ...] = attrs.field(converter=_conditions)


@attrs.frozen(weakref_slot=False, cache_hash=True)
class AnyOf(RuleCondition):
    """Holds when at least one of *conditions* holds."""

    conditions: tuple[RuleCondition, ...] = attrs.field(converter=_conditions)


def _condition(value: object) -> RuleCondition:
    if not isinstance(value, RuleCondition):
        raise InvalidTypeError(field="condition", value=value, expected="a RuleCondition")
    return value


@attrs.frozen(weakref_slot=False, cache_hash=True)
class Not(RuleCondition):
    """Holds when *condition* does not."""

    condition: RuleCondition = attrs.field(converter=_condition)


# ---------------------------------------------------------------------------- rules


class FieldLevel(enum.StrEnum):
    """When a channel field must have a value."""

    REQUIRED = "required"
    """Always."""
    CONDITIONAL = "conditional"
    """When the rule's condition holds."""
    OPTIONAL = "optional"
    """Never; a value given must still pass the rule's checks."""


def _level(value: object) -> FieldLevel:
    return to_member(FieldLevel, value, field="level")


def _optional_condition(value: object) -> RuleCondition | None:
    return None if value is None else _condition(value)


def _alternatives(value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="alternatives", value=value, expected="a list of fields")
    return tuple(check_code(item, field="alternatives") for item in value)


def _optional_count(value: object, *, field: str) -> int | None:
    if value is None:
        return None
    number = to_int(value, field=field)
    if number < 1:
        raise InvalidValueError(field=field, value=value, reason="must be at least 1")
    return number


def _max_length(value: object) -> int | None:
    return _optional_count(value, field="max_length")


def _max_items(value: object) -> int | None:
    return _optional_count(value, field="max_items")


def _allowed(value: object) -> tuple[str, ...]:
    return _text_tuple(value, field="allowed")


def _bound(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, field="minimum/maximum")


def _checks(value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="checks", value=value, expected="a list of check names")
    names = tuple(value)
    for name in names:
        if name not in CHECKS:
            raise InvalidValueError(
                field="checks", value=name, reason=f"not one of {', '.join(sorted(CHECKS))}"
            )
    return names


def _optional_hint(value: object) -> str | None:
    return None if value is None else check_text(value, field="hint")


@attrs.frozen(weakref_slot=False, cache_hash=True)
class FieldRule:
    """What a channel expects of one of its fields: whether it is needed, and its checks.

    Args:
        field: The channel's name for the field (``"title"``, ``"gtin"``).
        level: [`FieldLevel`][ecomkit.catalog.FieldLevel]: required, conditional or optional.
        when: For a conditional rule, the [`RuleCondition`][ecomkit.catalog.RuleCondition]
            under which the field is required.
        alternatives: Other fields that satisfy the requirement instead (an MPN in place
            of a GTIN); only for required and conditional rules.
        max_length: The most characters a value may have (each item, for a list).
        max_items: The most items a list field may hold (additional images).
        allowed: The values allowed, as the feed writes them.
        minimum: The smallest number allowed (a price's amount).
        maximum: The largest number allowed.
        checks: Named checks from [`CHECKS`][ecomkit.catalog.CHECKS].
        hint: What to do when the field is missing, shown with the problem.

    Raises:
        InvalidValueError: A conditional rule without a condition, a condition or
            alternatives on a rule that does not need them, an unknown check, or a minimum
            above the maximum.

    Examples:
        >>> rule = FieldRule("availability_date", level="conditional",
        ...                  when=FieldIn("availability", ["preorder"]), max_length=25)
        >>> rule.level
        <FieldLevel.CONDITIONAL: 'conditional'>
        >>> FieldRule("title", checks=["spelling"])
        Traceback (most recent call last):
        ...
        ecomkit.errors.InvalidValueError: checks: not one of color, gtin, ... (got 'spelling')
    """

    field: str = attrs.field(converter=_field_name)
    level: FieldLevel = attrs.field(default=FieldLevel.OPTIONAL, kw_only=True, converter=_level)
    when: RuleCondition | None = attrs.field(
        default=None, kw_only=True, converter=_optional_condition
    )
    alternatives: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_alternatives)
    max_length: int | None = attrs.field(default=None, kw_only=True, converter=_max_length)
    max_items: int | None = attrs.field(default=None, kw_only=True, converter=_max_items)
    allowed: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_allowed)
    minimum: Decimal | None = attrs.field(default=None, kw_only=True, converter=_bound)
    maximum: Decimal | None = attrs.field(default=None, kw_only=True, converter=_bound)
    checks: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_checks)
    hint: str | None = attrs.field(default=None, kw_only=True, converter=_optional_hint)

    def __attrs_post_init__(self) -> None:
        if (self.level is FieldLevel.CONDITIONAL) != (self.when is not None):
            raise InvalidValueError(
                field="when",
                value=self.when,
                reason="a conditional rule needs a condition, and only it has one",
            )
        if self.alternatives and self.level is FieldLevel.OPTIONAL:
            raise InvalidValueError(
                field="alternatives",
                value=self.alternatives,
                reason="only a required or conditional rule has alternatives",
            )
        if self.field in self.alternatives:
            raise InvalidValueError(
                field="alternatives", value=self.field, reason="a field is not its own alternative"
            )
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise InvalidValueError(field="maximum", value=self.maximum, reason="less than minimum")

    @property
    def is_requirement(self) -> bool:
        """Whether the rule can make the field required (it is not optional)."""
        return self.level is not FieldLevel.OPTIONAL


def _profile_name(value: object) -> str:
    return check_code(value, field="name")


def _description(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidTypeError(field="description", value=value, expected="str")
    return value


def _rules(value: object) -> tuple[FieldRule, ...]:
    rules: tuple[FieldRule, ...] = tuple_of(value, FieldRule, field="fields")
    return rules


@attrs.frozen(weakref_slot=False, cache_hash=True)
class ChannelProfile:
    """What a sales channel (a marketplace, a feed) expects of products, as data.

    Score a product against a profile with
    [`completeness`][ecomkit.catalog.completeness]: the required fields that apply are the
    denominator, the ones filled with a value that passes every check of the field are
    the numerator. A field may have several rules (limits in one, a requirement in
    another); a value must pass the checks of all of them.

    Args:
        name: The profile's code (``"google_merchant.base"``).
        fields: Its [`FieldRule`][ecomkit.catalog.FieldRule]s.
        description: What the profile is for.

    Examples:
        >>> marketplace = ChannelProfile("marketplace", [
        ...     FieldRule("title", level="required", max_length=80),
        ...     FieldRule("brand", checks=["not_placeholder"]),
        ... ])
        >>> marketplace.field_names
        ('title', 'brand')
        >>> marketplace.without("brand").extended(FieldRule("brand", level="required")).fields[1]
        FieldRule(field='brand', level=<FieldLevel.REQUIRED: 'required'>, ...)
    """

    name: str = attrs.field(converter=_profile_name)
    fields: tuple[FieldRule, ...] = attrs.field(converter=_rules)
    description: str = attrs.field(default="", kw_only=True, converter=_description)

    @property
    def field_names(self) -> tuple[str, ...]:
        """Every field a rule names, in the order of first mention."""
        return tuple(dict.fromkeys(rule.field for rule in self.fields))

    def rules_for(self, field: str) -> tuple[FieldRule, ...]:
        """Return the rules of *field*, in order."""
        return tuple(rule for rule in self.fields if rule.field == field)

    def extended(
        self,
        *more: FieldRule | ChannelProfile,
        name: str | None = None,
        description: str | None = None,
    ) -> ChannelProfile:
        """Return a profile with the rules of *more* (rules or whole profiles) added after.

        Raises:
            InvalidTypeError: An item is neither a `FieldRule` nor a `ChannelProfile`.
        """
        rules = list(self.fields)
        for item in more:
            if isinstance(item, ChannelProfile):
                rules.extend(item.fields)
            elif isinstance(item, FieldRule):
                rules.append(item)
            else:
                raise InvalidTypeError(
                    field="more", value=item, expected="FieldRule or ChannelProfile"
                )
        return ChannelProfile(
            self.name if name is None else name,
            rules,
            description=self.description if description is None else description,
        )

    def without(self, *fields: str) -> ChannelProfile:
        """Return a profile without any rule for *fields* (to replace them with your own)."""
        for field in fields:
            _field_name(field)
        return attrs.evolve(self, fields=tuple(r for r in self.fields if r.field not in fields))


# ---------------------------------------------------------------------------- field map


class BuiltinSource(enum.StrEnum):
    """Where a channel field comes from on a product, other than an attribute."""

    SKU = "sku"
    """The product's SKU (Merchant Center's ``id``)."""
    GTIN = "gtin"
    """The GTIN, in the length it was written in."""
    MPN = "mpn"
    """The manufacturer part number."""
    BRAND = "brand"
    """The brand."""
    CONDITION = "condition"
    """``new``, ``refurbished`` or ``used``."""
    AVAILABILITY = "availability"
    """``in_stock``, ``out_of_stock``, ``preorder`` or ``backorder``."""
    AVAILABILITY_DATE = "availability_date"
    """When a preorder or backorder ships."""
    PRICE = "price"
    """The regular price in the channel's first currency, for the channel."""
    SALE_PRICE = "sale_price"
    """The sale price of that price, when it has one."""
    SALE_PRICE_EFFECTIVE_DATE = "sale_price_effective_date"
    """The sale's window, when it has a start and an end."""
    IMAGE_LINK = "image_link"
    """The URL of the main (first) image."""
    ADDITIONAL_IMAGE_LINK = "additional_image_link"
    """The URLs of the other images, in order."""
    ITEM_GROUP_ID = "item_group_id"
    """The code of the product group the product is a variant of."""
    PRODUCT_TYPE = "product_type"
    """The main category's breadcrumb (``Home > Women > Dresses``), given a category tree."""
    TITLE = "title"
    """The value of the product type's ``title_attribute``."""
    DESCRIPTION = "description"
    """The value of the product type's ``description_attribute``."""


def _optional_builtin(value: object) -> BuiltinSource | None:
    return None if value is None else to_member(BuiltinSource, value, field="builtin")


def _optional_attribute(value: object) -> str | None:
    return None if value is None else check_code(value, field="attribute")


def _labels(value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError(field="labels", value=value, expected="bool")
    return value


@attrs.frozen(weakref_slot=False, cache_hash=True)
class FieldSource:
    """Where one channel field's value comes from: a built-in source or an attribute.

    Args:
        field: The channel field.
        builtin: A [`BuiltinSource`][ecomkit.catalog.BuiltinSource].
        attribute: An attribute code; the value is resolved for the channel and locale.
        labels: For a select attribute, write the options' labels in the locale instead
            of their codes.

    Raises:
        InvalidValueError: Neither or both of *builtin* and *attribute*, or *labels*
            without an attribute.
    """

    field: str = attrs.field(converter=_field_name)
    builtin: BuiltinSource | None = attrs.field(
        default=None, kw_only=True, converter=_optional_builtin
    )
    attribute: str | None = attrs.field(default=None, kw_only=True, converter=_optional_attribute)
    labels: bool = attrs.field(default=False, kw_only=True, converter=_labels)

    def __attrs_post_init__(self) -> None:
        if (self.builtin is None) == (self.attribute is None):
            raise InvalidValueError(
                field="builtin",
                value=(self.builtin, self.attribute),
                reason=f"{self.field}: give a builtin source or an attribute, not both",
            )
        if self.labels and self.attribute is None:
            raise InvalidValueError(
                field="labels", value=True, reason="labels are for attribute sources"
            )


def _sources(value: object) -> tuple[FieldSource, ...]:
    sources: tuple[FieldSource, ...] = tuple_of(value, FieldSource, field="sources")
    seen: set[str] = set()
    for source in sources:
        if source.field in seen:
            raise InvalidValueError(field="sources", value=source.field, reason="mapped twice")
        seen.add(source.field)
    return sources


@attrs.frozen(weakref_slot=False, cache_hash=True)
class FieldMap:
    """Where each channel field comes from on a product.

    A field the map does not name comes from the attribute of the same code, when the
    product's type has one (``color``, ``size``, ``link``, ``google_product_category`` ...),
    and is otherwise empty.

    Examples:
        >>> custom = DEFAULT_FIELD_MAP.with_sources(FieldSource("link", attribute="url"))
        >>> custom.source_for("link")
        FieldSource(field='link', builtin=None, attribute='url', labels=False)
        >>> custom.source_for("id").builtin
        <BuiltinSource.SKU: 'sku'>
    """

    sources: tuple[FieldSource, ...] = attrs.field(converter=_sources)

    def source_for(self, field: str) -> FieldSource | None:
        """Return how the map fills *field*, or ``None`` when it does not name it."""
        return next((source for source in self.sources if source.field == field), None)

    def with_sources(self, *sources: FieldSource) -> FieldMap:
        """Return a map with *sources* replacing the ones for the same fields."""
        given = _sources(sources)
        replaced = {source.field for source in given}
        kept = tuple(source for source in self.sources if source.field not in replaced)
        return FieldMap((*kept, *given))


DEFAULT_FIELD_MAP: Final = FieldMap(
    (
        FieldSource("id", builtin=BuiltinSource.SKU),
        FieldSource("title", builtin=BuiltinSource.TITLE),
        FieldSource("description", builtin=BuiltinSource.DESCRIPTION),
        FieldSource("gtin", builtin=BuiltinSource.GTIN),
        FieldSource("mpn", builtin=BuiltinSource.MPN),
        FieldSource("brand", builtin=BuiltinSource.BRAND),
        FieldSource("condition", builtin=BuiltinSource.CONDITION),
        FieldSource("availability", builtin=BuiltinSource.AVAILABILITY),
        FieldSource("availability_date", builtin=BuiltinSource.AVAILABILITY_DATE),
        FieldSource("price", builtin=BuiltinSource.PRICE),
        FieldSource("sale_price", builtin=BuiltinSource.SALE_PRICE),
        FieldSource("sale_price_effective_date", builtin=BuiltinSource.SALE_PRICE_EFFECTIVE_DATE),
        FieldSource("image_link", builtin=BuiltinSource.IMAGE_LINK),
        FieldSource("additional_image_link", builtin=BuiltinSource.ADDITIONAL_IMAGE_LINK),
        FieldSource("item_group_id", builtin=BuiltinSource.ITEM_GROUP_ID),
        FieldSource("product_type", builtin=BuiltinSource.PRODUCT_TYPE),
    )
)
"""The Merchant Center mapping: identifiers, prices and media from the product's own fields,
``title`` and ``description`` from the type's title and description attributes, anything
else from the same-named attribute."""
