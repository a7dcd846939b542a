"""Completeness: how much of what a channel needs a product has, per channel and locale."""

from __future__ import annotations

import enum
import operator
import re
from decimal import Decimal, InvalidOperation
from typing import Final
from urllib.parse import urlsplit

import attrs

from ecomkit.catalog._attributes import AttributeType
from ecomkit.catalog._feed import (
    CategoryLookup,
    FieldValue,
    Reader,
    Subject,
    channel_and_locale,
    field_reader,
    group_values,
    nothing,
    subject_of,
    text_of,
)
from ecomkit.catalog._gtin import Gtin
from ecomkit.catalog._product import Product
from ecomkit.catalog._profiles import (
    DEFAULT_FIELD_MAP,
    AllOf,
    AnyOf,
    ChannelProfile,
    CountryIn,
    FieldFilled,
    FieldIn,
    FieldMap,
    FieldRule,
    HasGroup,
    InCategory,
    Not,
    RuleCondition,
)
from ecomkit.catalog._schema import CatalogSchema
from ecomkit.catalog._units import Metric
from ecomkit.catalog._values import Values
from ecomkit.errors import InvalidGtinError, InvalidTypeError
from ecomkit.money import Money
from ecomkit.money._amount import to_member


__all__ = ["Completeness", "Missing", "MissingReason", "completeness", "completeness_matrix"]

_PLACEHOLDERS: Final = frozenset(
    {"n/a", "na", "none", "generic", "no brand", "no-brand", "does not exist", "unknown", "-"}
)
_NOT_COLORS: Final = frozenset({"multicolor", "multicolour", "multi-color", "n/a", "na"})
_COLOR_PART: Final = 40
_SPACE: Final = re.compile(r"\s")
_CACHE_LIMIT: Final = 4096


class MissingReason(enum.StrEnum):
    """Why a field or attribute does not count as filled."""

    MISSING = "missing"
    """It has no value."""
    MISSING_PRICE = "missing_price"
    """A price collection lacks a price in one of the channel's currencies."""
    TOO_LONG = "too_long"
    """The text is longer than allowed."""
    TOO_MANY = "too_many"
    """A list holds more items than allowed."""
    NOT_ALLOWED = "not_allowed"
    """The value is not one of the allowed values."""
    BELOW_MINIMUM = "below_minimum"
    """The number is below the minimum."""
    ABOVE_MAXIMUM = "above_maximum"
    """The number is above the maximum."""
    NOT_A_NUMBER = "not_a_number"
    """A number was expected."""
    ZERO = "zero"
    """The number or price is zero."""
    INVALID_GTIN = "invalid_gtin"
    """The GTIN's length, characters or check digit are wrong."""
    RESTRICTED_GTIN = "restricted_gtin"
    """The GTIN has a restricted-circulation or coupon prefix."""
    PLACEHOLDER = "placeholder"
    """The value is a stand-in such as ``N/A`` or ``Generic``."""
    NOT_URL = "not_url"
    """The value is not an ``http`` or ``https`` URL."""
    INVALID_COLOR = "invalid_color"
    """A colour is a number, a code, a single letter, ``multicolor`` or too long."""


def _reason(value: object) -> MissingReason:
    return to_member(MissingReason, value, field="reason")


@attrs.frozen(weakref_slot=False)
class Missing:
    """One field or attribute that keeps a product from being complete, and why.

    Attributes:
        field: The attribute's code, or the channel field's name when scored by a profile.
        reason: The [`MissingReason`][ecomkit.catalog.MissingReason].
        detail: A short explanation (the limit, the currencies lacking, what to do).
        value: The value as the channel would read it, when there is one.
    """

    field: str
    reason: MissingReason = attrs.field(converter=_reason)
    detail: str = ""
    value: str | None = None

    def __str__(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.field}: {self.reason}{detail}"


@attrs.frozen(weakref_slot=False)
class Completeness:
    """How complete a product is for one channel and locale (Akeneo's ratio).

    Attributes:
        channel: The channel's code.
        locale: The locale.
        required: How many requirements apply.
        filled: How many of them are met.
        missing: The requirements not met, each with its reason.
        invalid: Optional values that are given but break a check of the profile (they
            do not change the ratio, but the channel would refuse them).
        profile: The name of the channel profile scored against, or ``None`` for the
            product type's requirements.
    """

    channel: str
    locale: str
    required: int
    filled: int
    missing: tuple[Missing, ...] = ()
    invalid: tuple[Missing, ...] = ()
    profile: str | None = None

    @property
    def percent(self) -> int:
        """``floor(100 * filled / required)``, and 100 when nothing is required.

        Examples:
            >>> Completeness("web", "en", required=3, filled=2).percent
            66
            >>> Completeness("web", "en", required=0, filled=0).percent
            100
        """
        return 100 if self.required == 0 else 100 * self.filled // self.required

    @property
    def complete(self) -> bool:
        """Whether every requirement is met and no value given is refused."""
        return self.filled == self.required and not self.invalid


# ---------------------------------------------------------------------------- checks


def _number(value: FieldValue) -> Decimal | None:
    if isinstance(value, Money | Metric):
        return value.amount
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(text_of(value))
    except InvalidOperation:
        return None


def _check_gtin(value: FieldValue, text: str) -> tuple[MissingReason, str] | None:
    try:
        gtin = value if isinstance(value, Gtin) else Gtin.parse(text)
    except InvalidGtinError as error:
        return MissingReason.INVALID_GTIN, error.reason
    if gtin.restricted:
        kind = "a coupon" if gtin.is_coupon else "a restricted-circulation"
        return MissingReason.RESTRICTED_GTIN, f"{kind} prefix"
    return None


def _check_color(text: str) -> tuple[MissingReason, str] | None:
    for part in (piece.strip() for piece in text.split("/")):
        bad = (
            len(part) > _COLOR_PART
            or len(part) < 2  # noqa: PLR2004 - a single letter is not a colour
            or part.startswith("#")
            or part.casefold() in _NOT_COLORS
            or part.replace(".", "", 1).isdigit()
        )
        if bad:
            return MissingReason.INVALID_COLOR, f"{part!r} is not a colour name of 2-40 characters"
    return None


def _check_placeholder(_value: FieldValue, text: str) -> tuple[MissingReason, str] | None:
    if text.strip().casefold() in _PLACEHOLDERS:
        return MissingReason.PLACEHOLDER, "give the real value or leave the field out"
    return None


def _check_not_zero(value: FieldValue, _text: str) -> tuple[MissingReason, str] | None:
    number = _number(value)
    return (MissingReason.ZERO, "must not be 0") if number is not None and not number else None


def _check_url(_value: FieldValue, text: str) -> tuple[MissingReason, str] | None:
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.netloc or _SPACE.search(text):
        return MissingReason.NOT_URL, "needs an http or https URL"
    return None


_NAMED: Final = {
    "color": lambda _value, text: _check_color(text),
    "gtin": _check_gtin,
    "not_placeholder": _check_placeholder,
    "not_zero": _check_not_zero,
    "url": _check_url,
}


def _check_item(  # noqa: PLR0911 - one return per check
    rule: FieldRule, value: FieldValue, text: str
) -> tuple[MissingReason, str] | None:
    if rule.max_length is not None and len(text) > rule.max_length:
        return MissingReason.TOO_LONG, f"{len(text)} characters, at most {rule.max_length}"
    if rule.allowed and text not in rule.allowed:
        return MissingReason.NOT_ALLOWED, f"one of {', '.join(rule.allowed)}"
    if rule.minimum is not None or rule.maximum is not None:
        number = _number(value)
        if number is None:
            return MissingReason.NOT_A_NUMBER, "needs a number"
        if rule.minimum is not None and number < rule.minimum:
            return MissingReason.BELOW_MINIMUM, f"at least {rule.minimum}"
        if rule.maximum is not None and number > rule.maximum:
            return MissingReason.ABOVE_MAXIMUM, f"at most {rule.maximum}"
    for name in rule.checks:
        found = _NAMED[name](value, text)
        if found is not None:
            return found
    return None


def _problem(field: str, rules: tuple[FieldRule, ...], value: FieldValue) -> Missing | None:
    items: tuple[FieldValue, ...] = value if isinstance(value, tuple) else (value,)
    for rule in rules:
        if rule.max_items is not None and len(items) > rule.max_items:
            detail = f"{len(items)} items, at most {rule.max_items}"
            return Missing(field, MissingReason.TOO_MANY, detail, text_of(value))
    for item in items:
        text = text_of(item)
        for rule in rules:
            found = _check_item(rule, item, text)
            if found is not None:
                return Missing(field, found[0], found[1], text)
    return None


def _checks_something(rule: FieldRule) -> bool:
    return bool(
        rule.max_length is not None
        or rule.max_items is not None
        or rule.allowed
        or rule.minimum is not None
        or rule.maximum is not None
        or rule.checks
    )


# ---------------------------------------------------------------------------- plans


class _Cache:
    """Plans by the identity of the objects they were built from (which it keeps alive)."""

    def __init__(self) -> None:
        self._plans: dict[tuple[object, ...], tuple[tuple[object, ...], object]] = {}

    def get(self, owners: tuple[object, ...], key: tuple[object, ...]) -> object | None:
        entry = self._plans.get((*map(id, owners), *key))
        if entry is None or not all(map(operator.is_, entry[0], owners)):
            return None
        return entry[1]

    def put(self, owners: tuple[object, ...], key: tuple[object, ...], plan: object) -> None:
        if len(self._plans) >= _CACHE_LIMIT:
            self._plans.clear()
        self._plans[(*map(id, owners), *key)] = (owners, plan)


_CACHE: Final = _Cache()


@attrs.frozen(weakref_slot=False)
class _AttributePlan:
    channel: str
    locale: str
    # (code, channel to look in, locale to look in, currencies a price collection needs)
    items: tuple[tuple[str, str | None, str | None, tuple[str, ...]], ...]


def _attribute_plan(
    schema: CatalogSchema, type_code: str, channel: str, locale: str
) -> _AttributePlan:
    owners = (schema,)
    key = ("attributes", type_code, channel, locale)
    cached = _CACHE.get(owners, key)
    if isinstance(cached, _AttributePlan):
        return cached
    found, language = channel_and_locale(schema, channel, locale)
    kind = schema.product_type(type_code)
    items = []
    for code in kind.required(found.code, language):
        definition = schema.attributes[code]
        prices = found.currencies if definition.type is AttributeType.PRICES else ()
        items.append(
            (
                code,
                found.code if definition.scopable else None,
                language if definition.localizable else None,
                prices,
            )
        )
    plan = _AttributePlan(found.code, language, tuple(items))
    _CACHE.put(owners, key, plan)
    return plan


def _score_attributes(plan: _AttributePlan, values: Values) -> Completeness:
    missing: list[Missing] = []
    for code, scope, language, currencies in plan.items:
        value = values.get_value(code, channel=scope, locale=language)
        if value is None:
            missing.append(Missing(code, MissingReason.MISSING))
        elif currencies:
            have = {item.currency.code for item in value if isinstance(item, Money)}  # type: ignore[union-attr]
            lacking = [currency for currency in currencies if currency not in have]
            if lacking:
                missing.append(
                    Missing(code, MissingReason.MISSING_PRICE, f"no price in {', '.join(lacking)}")
                )
    required = len(plan.items)
    return Completeness(
        plan.channel, plan.locale, required, required - len(missing), tuple(missing)
    )


@attrs.frozen(weakref_slot=False)
class _ProfilePlan:
    channel: str
    locale: str
    country: str | None
    readers: dict[str, Reader]
    rules: dict[str, tuple[FieldRule, ...]]
    requirements: tuple[FieldRule, ...]


def _condition_fields(condition: RuleCondition | None) -> list[str]:
    if isinstance(condition, FieldIn | FieldFilled):
        return [condition.field]
    if isinstance(condition, AllOf | AnyOf):
        return [name for inner in condition.conditions for name in _condition_fields(inner)]
    if isinstance(condition, Not):
        return _condition_fields(condition.condition)
    return []


def _profile_plan(
    schema: CatalogSchema,
    type_code: str,
    *,
    channel: str,
    locale: str,
    profile: ChannelProfile,
    field_map: FieldMap,
    categories: CategoryLookup | None,
) -> _ProfilePlan:
    owners = (schema, profile, field_map, categories)
    key = ("profile", type_code, channel, locale)
    cached = _CACHE.get(owners, key)
    if isinstance(cached, _ProfilePlan):
        return cached
    found, language = channel_and_locale(schema, channel, locale)
    kind = schema.product_type(type_code)
    names: dict[str, None] = {}
    for rule in profile.fields:
        names.update(dict.fromkeys((rule.field, *rule.alternatives)))
        names.update(dict.fromkeys(_condition_fields(rule.when)))
    readers = {
        name: field_reader(
            name,
            field_map=field_map,
            schema=schema,
            product_type=kind,
            channel=found,
            locale=language,
            categories=categories,
        )
        for name in names
    }
    readers = {name: read for name, read in readers.items() if read is not nothing}
    rules = {
        name: checking
        for name in names
        if (checking := tuple(rule for rule in profile.rules_for(name) if _checks_something(rule)))
    }
    country = found.country.upper() if found.country is not None else None
    plan = _ProfilePlan(
        found.code,
        language,
        "GB" if country == "UK" else country,
        readers,
        rules,
        tuple(rule for rule in profile.fields if rule.is_requirement),
    )
    _CACHE.put(owners, key, plan)
    return plan


class _Facts:
    """The fields of one product, all read at once, and the problems of those given."""

    __slots__ = ("categories", "plan", "problems", "subject", "values")

    def __init__(
        self, plan: _ProfilePlan, subject: Subject, categories: CategoryLookup | None
    ) -> None:
        self.plan = plan
        self.subject = subject
        self.categories = categories
        values: dict[str, FieldValue] = {}
        for field, read in plan.readers.items():
            found = read(subject)
            if found is not None and found not in ("", ()):
                values[field] = found
        rules = plan.rules
        self.values = values
        self.problems = {
            field: problem
            for field, value in values.items()
            if field in rules and (problem := _problem(field, rules[field], value)) is not None
        }

    def value(self, field: str) -> FieldValue | None:
        return self.values.get(field)

    def problem(self, field: str) -> Missing | None:
        return self.problems.get(field)

    def usable(self, field: str) -> bool:
        return field in self.values and field not in self.problems

    def holds(self, condition: RuleCondition) -> bool:  # noqa: PLR0911 - one case per class
        if isinstance(condition, FieldIn):
            value = self.value(condition.field)
            return value is not None and text_of(value) in condition.any_of
        if isinstance(condition, FieldFilled):
            return self.value(condition.field) is not None
        if isinstance(condition, CountryIn):
            return self.plan.country in condition.countries
        if isinstance(condition, HasGroup):
            return self.subject.has_group
        if isinstance(condition, InCategory):
            return self._in_category(condition)
        if isinstance(condition, AllOf):
            return all(self.holds(inner) for inner in condition.conditions)
        if isinstance(condition, AnyOf):
            return any(self.holds(inner) for inner in condition.conditions)
        if isinstance(condition, Not):
            return not self.holds(condition.condition)
        raise InvalidTypeError(
            field="when", value=condition, expected="a condition ecomkit knows"
        )  # pragma: no cover - the condition classes are a closed set

    def _in_category(self, condition: InCategory) -> bool:
        codes = self.subject.categories
        if any(code in condition.categories for code in codes):
            return True
        tree = self.categories
        return tree is not None and any(
            code in tree and tree.in_subtree(codes, code) for code in condition.categories
        )


def _score_profile(plan: _ProfilePlan, facts: _Facts, name: str) -> Completeness:
    required = filled = 0
    missing: list[Missing] = []
    reported: set[str] = set()
    for rule in plan.requirements:
        if rule.when is not None and not facts.holds(rule.when):
            continue
        required += 1
        if facts.usable(rule.field) or any(facts.usable(other) for other in rule.alternatives):
            filled += 1
            continue
        problem = facts.problem(rule.field)
        if problem is None:
            others = ", ".join(rule.alternatives)
            detail = rule.hint or (f"or give one of {others}" if others else "")
            problem = Missing(rule.field, MissingReason.MISSING, detail)
        missing.append(problem)
        reported.add(rule.field)
    invalid = tuple(problem for field, problem in facts.problems.items() if field not in reported)
    return Completeness(
        plan.channel, plan.locale, required, filled, tuple(missing), invalid, profile=name
    )


# ---------------------------------------------------------------------------- entry points


def _inputs(
    product: object, schema: object, profile: object, field_map: object
) -> tuple[Product, CatalogSchema, ChannelProfile | None, FieldMap]:
    if not isinstance(product, Product):
        raise InvalidTypeError(field="product", value=product, expected="Product")
    if not isinstance(schema, CatalogSchema):
        raise InvalidTypeError(field="schema", value=schema, expected="CatalogSchema")
    if profile is not None and not isinstance(profile, ChannelProfile):
        raise InvalidTypeError(field="profile", value=profile, expected="ChannelProfile or None")
    mapping = DEFAULT_FIELD_MAP if field_map is None else field_map
    if not isinstance(mapping, FieldMap):
        raise InvalidTypeError(field="field_map", value=field_map, expected="FieldMap or None")
    return product, schema, profile, mapping


def completeness(
    product: Product,
    schema: CatalogSchema,
    *,
    channel: str,
    locale: str,
    group: object = None,
    profile: ChannelProfile | None = None,
    field_map: FieldMap | None = None,
    categories: CategoryLookup | None = None,
) -> Completeness:
    """Score *product* for *channel* and *locale*: its type's requirements, or a profile's.

    Without a profile, the requirements are the product type's
    ([`ProductType.required`][ecomkit.catalog.ProductType.required]); an attribute is
    filled when a value resolves for the channel and locale (along the locale's fallback
    chain and the all-channels and all-locales values, never another language), and a
    price collection only when it has a price in every currency of the channel. With a
    [`ChannelProfile`][ecomkit.catalog.ChannelProfile], the requirements are its rules
    that apply to the product, read through *field_map*, and a field counts only when
    its value passes every check.

    The percentage is ``floor(100 * filled / required)``, 100 when nothing is required.
    What is needed per product type, channel and locale is worked out once and reused.

    Args:
        product: The product (or variant).
        schema: The catalog schema.
        channel: The channel's code.
        locale: One of the channel's locales.
        group: For a variant, its [`ProductGroup`][ecomkit.catalog.ProductGroup] (or
            anything with a ``values`` attribute) or the group's `Values`; the variant's
            values are read over the group's, and a profile reads the group's images and
            categories when the variant has none.
        profile: A channel profile to score against instead of the type's requirements.
        field_map: Where the profile's fields come from (default:
            [`DEFAULT_FIELD_MAP`][ecomkit.catalog.DEFAULT_FIELD_MAP]).
        categories: A category tree, for ``product_type`` and category conditions.

    Returns:
        A [`Completeness`][ecomkit.catalog.Completeness].

    Raises:
        UnknownCodeError: The channel or the product's type is unknown.
        InvalidValueError: *locale* is not a locale of the channel.
        InvalidTypeError: An argument has the wrong type.

    Examples:
        >>> from ecomkit.catalog import (AttributeDef, CatalogSchema, Channel, Product,
        ...                              ProductType, ValueKey, Values)
        >>> schema = CatalogSchema(
        ...     [AttributeDef(code, "text", localizable=True) for code in ("title", "notes")]
        ...     + [AttributeDef("ean", "identifier")],
        ...     [ProductType("book", ["title", "notes", "ean"],
        ...                  requirements=["title", "notes", "ean"], description_attribute=None)],
        ...     [Channel("web", ["de_AT", "fr"], ["EUR"])],
        ... )
        >>> book = Product("B-1", "book", values=Values({
        ...     ValueKey("title", locale="de"): "Dune", ValueKey("ean", None, None): "978"}))
        >>> score = completeness(book, schema, channel="web", locale="de_AT")
        >>> score.percent, [str(item) for item in score.missing]
        (66, ['notes: missing'])
        >>> completeness(book, schema, channel="web", locale="fr").percent
        33
    """
    product, schema, profile, mapping = _inputs(product, schema, profile, field_map)
    if not isinstance(channel, str):
        raise InvalidTypeError(field="channel", value=channel, expected="a channel code")
    if not isinstance(locale, str):
        raise InvalidTypeError(field="locale", value=locale, expected="a locale code")
    if profile is None:
        base = group_values(group)
        values = product.values if base is None else product.values.merged_over(base)
        plan = _attribute_plan(schema, product.product_type, channel, locale)
        return _score_attributes(plan, values)
    profile_plan = _profile_plan(
        schema,
        product.product_type,
        channel=channel,
        locale=locale,
        profile=profile,
        field_map=mapping,
        categories=categories,
    )
    subject = subject_of(product, group)
    return _score_profile(profile_plan, _Facts(profile_plan, subject, categories), profile.name)


def completeness_matrix(
    product: Product,
    schema: CatalogSchema,
    *,
    group: object = None,
    profile: ChannelProfile | None = None,
    field_map: FieldMap | None = None,
    categories: CategoryLookup | None = None,
) -> tuple[Completeness, ...]:
    """Score *product* for every channel of *schema* and each of the channel's locales.

    The arguments are those of [`completeness`][ecomkit.catalog.completeness].

    Returns:
        One [`Completeness`][ecomkit.catalog.Completeness] per channel and locale, channels
        in schema order and locales in channel order.

    Raises:
        UnknownCodeError: The product's type is unknown.
        InvalidTypeError: An argument has the wrong type.

    Examples:
        >>> from ecomkit.catalog import (AttributeDef, CatalogSchema, Channel, Product,
        ...                              ProductType, ValueKey, Values)
        >>> schema = CatalogSchema(
        ...     [AttributeDef("title", "text", localizable=True)],
        ...     [ProductType("book", ["title"], requirements=["title"],
        ...                  description_attribute=None)],
        ...     [Channel("web", ["en", "de"], ["EUR"]), Channel("shop_ch", ["de_CH"], ["CHF"])],
        ... )
        >>> book = Product("B-1", "book", values=Values({ValueKey("title", locale="de"): "Dune"}))
        >>> [(s.channel, s.locale, s.percent) for s in completeness_matrix(book, schema)]
        [('web', 'en', 0), ('web', 'de', 100), ('shop_ch', 'de_CH', 100)]
    """
    if not isinstance(schema, CatalogSchema):
        raise InvalidTypeError(field="schema", value=schema, expected="CatalogSchema")
    return tuple(
        completeness(
            product,
            schema,
            channel=channel.code,
            locale=locale,
            group=group,
            profile=profile,
            field_map=field_map,
            categories=categories,
        )
        for channel in schema.channels.values()
        for locale in channel.locales
    )
