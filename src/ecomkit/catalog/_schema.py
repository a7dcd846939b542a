"""Channels, product types (families) with requirements and variant levels, and the schema."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from ecomkit.catalog._attributes import AXIS_TYPES, AttributeDef, _label, check_code, code_field
from ecomkit.errors import InvalidTypeError, InvalidValueError, UnknownCodeError
from ecomkit.i18n import LocalizedText, normalize_locale
from ecomkit.money._currency import Currency
from ecomkit.returns._request import optional_country


__all__ = ["CatalogSchema", "Channel", "ProductType", "Requirement", "VariantLevel"]

MAX_VARIANT_LEVELS: Final = 2
"""How many variant levels a product type may have (colour, then size)."""
MAX_AXES: Final = 5
"""How many axes one variant level may have."""

_EMPTY: Final = LocalizedText({})


def _codes(value: object, *, field: str) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field=field, value=value, expected="a list of codes")
    codes = tuple(check_code(item, field=field) for item in value)
    if len(set(codes)) != len(codes):
        twice = next(code for code in codes if codes.count(code) > 1)
        raise InvalidValueError(field=field, value=twice, reason="listed twice")
    return codes


def _locales(value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="locales", value=value, expected="a list of locale codes")
    locales = tuple(normalize_locale(item, field="locales") for item in value)
    if len(set(locales)) != len(locales):
        raise InvalidValueError(field="locales", value=value, reason="a locale twice")
    return locales


def _currencies(value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="currencies", value=value, expected="a list of currencies")
    codes = tuple(Currency(item).code for item in value)
    if len(set(codes)) != len(codes):
        raise InvalidValueError(field="currencies", value=value, reason="a currency twice")
    return codes


@attrs.frozen(weakref_slot=False)
class Channel:
    """A place products are published: a web shop, a marketplace, a feed.

    Args:
        code: The channel's code (``"web"``, ``"google_de"``).
        locales: The locales its content is kept in; the first is its main locale.
        currencies: The currencies it sells in; a price collection is complete for the
            channel only when every one of them has a price.
        label: Its name per locale.
        country: The ISO 3166 country it targets, when it targets one (a Merchant Center
            feed does).

    Raises:
        InvalidValueError: No locale or no currency, or one listed twice.
    """

    code: str = attrs.field(validator=code_field)
    locales: tuple[str, ...] = attrs.field(converter=_locales)
    currencies: tuple[str, ...] = attrs.field(converter=_currencies)
    label: LocalizedText = attrs.field(default=_EMPTY, kw_only=True, converter=_label)
    country: str | None = attrs.field(default=None, kw_only=True, converter=optional_country)

    def __attrs_post_init__(self) -> None:
        if not self.locales:
            raise InvalidValueError(field="locales", value=(), reason="a channel needs a locale")
        if not self.currencies:
            raise InvalidValueError(
                field="currencies", value=(), reason="a channel needs a currency"
            )


def _attribute(value: object) -> str:
    return check_code(value, field="attribute")


def _channel_codes(value: object) -> tuple[str, ...]:
    return _codes(value, field="channels")


@attrs.frozen(weakref_slot=False)
class Requirement:
    """An attribute a product type requires, in some or all channels and locales.

    Args:
        attribute: The attribute's code.
        channels: The channels it is required in; empty means every channel.
        locales: For a localizable attribute, the locales it is required in; empty means
            every locale of each channel.
    """

    attribute: str = attrs.field(converter=_attribute)
    channels: tuple[str, ...] = attrs.field(default=(), converter=_channel_codes)
    locales: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_locales)

    def applies_to(self, channel: str, locale: str) -> bool:
        """Whether the requirement holds in *channel* and *locale*."""
        return (not self.channels or channel in self.channels) and (
            not self.locales or locale in self.locales
        )


def _axes(value: object) -> tuple[str, ...]:
    return _codes(value, field="axes")


def _level_attributes(value: object) -> tuple[str, ...]:
    return _codes(value, field="attributes")


@attrs.frozen(weakref_slot=False)
class VariantLevel:
    """One level of variants: the axes that tell siblings apart and what is set there.

    A T-shirt type with two levels has ``VariantLevel(axes=("color",), attributes=("image",))``
    (one sub-group per colour, with its own pictures) and then
    ``VariantLevel(axes=("size",), attributes=("ean",))`` (one variant per size).

    Args:
        axes: The attributes whose values tell the products of the level apart (1 to 5).
        attributes: Other attributes whose values are set at this level, not above.
    """

    axes: tuple[str, ...] = attrs.field(converter=_axes)
    attributes: tuple[str, ...] = attrs.field(default=(), converter=_level_attributes)

    def __attrs_post_init__(self) -> None:
        if not 1 <= len(self.axes) <= MAX_AXES:
            raise InvalidValueError(
                field="axes", value=self.axes, reason=f"a level has 1 to {MAX_AXES} axes"
            )
        both = set(self.axes) & set(self.attributes)
        if both:
            raise InvalidValueError(
                field="attributes", value=min(both), reason="is already an axis"
            )


def _requirements(value: object) -> tuple[Requirement, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(
            field="requirements", value=value, expected="a list of Requirement or codes"
        )
    items = tuple(Requirement(item) if isinstance(item, str) else item for item in value)
    for item in items:
        if not isinstance(item, Requirement):
            raise InvalidTypeError(
                field="requirements", value=item, expected="Requirement or an attribute code"
            )
    return items


def _levels(value: object) -> tuple[VariantLevel, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="variant_levels", value=value, expected="VariantLevel list")
    levels = tuple(value)
    for level in levels:
        if not isinstance(level, VariantLevel):
            raise InvalidTypeError(field="variant_levels", value=level, expected="VariantLevel")
    if len(levels) > MAX_VARIANT_LEVELS:
        raise InvalidValueError(
            field="variant_levels",
            value=len(levels),
            reason=f"at most {MAX_VARIANT_LEVELS} variant levels",
        )
    return levels


def _attribute_codes(value: object) -> tuple[str, ...]:
    return _codes(value, field="attributes")


@attrs.frozen(weakref_slot=False)
class ProductType:
    """A kind of product (Akeneo's family): its attributes, requirements and variant levels.

    Args:
        code: The type's code (``"tshirt"``).
        attributes: The attributes a product of the type may have values for.
        requirements: What completeness counts as required, per channel and locale. A bare
            code is required everywhere.
        variant_levels: Zero, one or two [`VariantLevel`][ecomkit.catalog.VariantLevel]s.
        label: The type's name per locale.
        title_attribute: The attribute that names a product (exports, quality, duplicates).
        description_attribute: The attribute holding the description, if any.

    The schema checks the cross-references (see
    [`CatalogSchema`][ecomkit.catalog.CatalogSchema]).
    """

    code: str = attrs.field(validator=code_field)
    attributes: tuple[str, ...] = attrs.field(converter=_attribute_codes)
    requirements: tuple[Requirement, ...] = attrs.field(
        default=(), kw_only=True, converter=_requirements
    )
    variant_levels: tuple[VariantLevel, ...] = attrs.field(
        default=(), kw_only=True, converter=_levels
    )
    label: LocalizedText = attrs.field(default=_EMPTY, kw_only=True, converter=_label)
    title_attribute: str = attrs.field(default="title", kw_only=True, converter=_attribute)
    description_attribute: str | None = attrs.field(default="description", kw_only=True)

    @property
    def axes(self) -> tuple[str, ...]:
        """Every variant axis, level by level."""
        return tuple(axis for level in self.variant_levels for axis in level.axes)

    def level_of(self, attribute: str) -> int:
        """Return the level an attribute's values are set at: 0 for the group, 1 or 2.

        Axes and level attributes belong to their level; everything else to the group
        (level 0), or to the product itself when the type has no variants.
        """
        for number, level in enumerate(self.variant_levels, start=1):
            if attribute in level.axes or attribute in level.attributes:
                return number
        return 0

    def required(self, channel: str, locale: str) -> tuple[str, ...]:
        """Return the attributes required in *channel* and *locale*, in declaration order."""
        seen: dict[str, None] = {}
        for requirement in self.requirements:
            if requirement.applies_to(channel, locale):
                seen.setdefault(requirement.attribute, None)
        return tuple(seen)


def _by_code(value: object, kind: type[Any], field: str) -> dict[str, Any]:
    if isinstance(value, Mapping):
        value = tuple(value.values())
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field=field, value=value, expected=f"a list of {kind.__name__}")
    found: dict[str, Any] = {}
    for item in value:
        if not isinstance(item, kind):
            raise InvalidTypeError(field=field, value=item, expected=kind.__name__)
        if item.code in found:
            raise InvalidValueError(field=field, value=item.code, reason="declared twice")
        found[item.code] = item
    return found


def _attribute_defs(value: object) -> dict[str, AttributeDef]:
    return _by_code(value, AttributeDef, "attributes")


def _product_types(value: object) -> dict[str, ProductType]:
    return _by_code(value, ProductType, "product_types")


def _channels(value: object) -> dict[str, Channel]:
    return _by_code(value, Channel, "channels")


@attrs.frozen(weakref_slot=False, eq=False)
class CatalogSchema:
    """Everything a catalog's products are checked against: attributes, types, channels.

    The schema is checked as a whole when it is built: every attribute a type, requirement
    or variant level names exists; a requirement's channels exist and its locales are
    locales of those channels; axes are single-select, boolean or metric attributes that are
    neither localizable, scopable nor unique; an attribute sits on one variant level only.

    Args:
        attributes: The attribute definitions.
        product_types: The product types.
        channels: The channels.

    Raises:
        UnknownCodeError: A reference names an attribute or channel that is not declared.
        InvalidValueError: A rule above is broken, or a code is declared twice.
    """

    attributes: dict[str, AttributeDef] = attrs.field(converter=_attribute_defs)
    product_types: dict[str, ProductType] = attrs.field(converter=_product_types)
    channels: dict[str, Channel] = attrs.field(converter=_channels)
    _locales: tuple[str, ...] = attrs.field(init=False, repr=False)
    _currencies: tuple[str, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        channels = self.channels.values()
        offered = dict.fromkeys(code for channel in channels for code in channel.locales)
        object.__setattr__(self, "_locales", tuple(offered))
        sold = dict.fromkeys(code for channel in channels for code in channel.currencies)
        object.__setattr__(self, "_currencies", tuple(sold))
        for product_type in self.product_types.values():
            self._check_type(product_type)

    @property
    def locales(self) -> tuple[str, ...]:
        """Every locale of some channel, once each, in channel order."""
        return self._locales

    @property
    def currencies(self) -> tuple[str, ...]:
        """Every currency some channel sells in, once each, in channel order."""
        return self._currencies

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CatalogSchema):
            return NotImplemented
        return (self.attributes, self.product_types, self.channels) == (
            other.attributes,
            other.product_types,
            other.channels,
        )

    def __hash__(self) -> int:
        return hash((tuple(self.attributes), tuple(self.product_types), tuple(self.channels)))

    def _check_type(self, product_type: ProductType) -> None:
        for code in product_type.attributes:
            self.attribute(code, field=f"{product_type.code}.attributes")
        own = set(product_type.attributes)
        for role in ("title_attribute", "description_attribute"):
            code = getattr(product_type, role)
            if code is not None and code not in own:
                raise UnknownCodeError(
                    kind="attribute of the type",
                    code=code,
                    field=f"{product_type.code}.{role}",
                    known=product_type.attributes,
                )
        for requirement in product_type.requirements:
            self._check_requirement(product_type, requirement, own)
        placed: set[str] = set()
        for level in product_type.variant_levels:
            for code in (*level.axes, *level.attributes):
                if code not in own:
                    raise UnknownCodeError(
                        kind="attribute of the type",
                        code=code,
                        field=f"{product_type.code}.variant_levels",
                        known=product_type.attributes,
                    )
                if code in placed:
                    raise InvalidValueError(
                        field=f"{product_type.code}.variant_levels",
                        value=code,
                        reason="is set on two variant levels",
                    )
                placed.add(code)
            for axis in level.axes:
                self._check_axis(product_type, self.attributes[axis])

    def _check_requirement(
        self, product_type: ProductType, requirement: Requirement, own: set[str]
    ) -> None:
        field = f"{product_type.code}.requirements"
        if requirement.attribute not in own:
            raise UnknownCodeError(
                kind="attribute of the type",
                code=requirement.attribute,
                field=field,
                known=product_type.attributes,
            )
        for channel in requirement.channels:
            self.channel(channel, field=field)
        if requirement.locales:
            if not self.attributes[requirement.attribute].localizable:
                raise InvalidValueError(
                    field=field,
                    value=requirement.attribute,
                    reason="locales given for an attribute that is not localizable",
                )
            channels = requirement.channels or tuple(self.channels)
            offered = {locale for code in channels for locale in self.channels[code].locales}
            for locale in requirement.locales:
                if locale not in offered:
                    raise InvalidValueError(
                        field=field,
                        value=locale,
                        reason="not a locale of the requirement's channels",
                    )

    def _check_axis(self, product_type: ProductType, definition: AttributeDef) -> None:
        problem = None
        if definition.type not in AXIS_TYPES:
            article = "an" if definition.type.value[0] in "aeiou" else "a"
            problem = f"{article} {definition.type} attribute cannot be an axis"
        elif definition.localizable or definition.scopable or definition.unique:
            problem = "an axis may not be localizable, scopable or unique"
        if problem is not None:
            raise InvalidValueError(
                field=f"{product_type.code}.variant_levels", value=definition.code, reason=problem
            )

    def attribute(self, code: object, *, field: str = "attribute") -> AttributeDef:
        """Return the definition of attribute *code*.

        Raises:
            UnknownCodeError: No attribute has that code.
        """
        found = self.attributes.get(code) if isinstance(code, str) else None
        if found is None:
            raise UnknownCodeError(
                kind="attribute", code=code, field=field, known=tuple(self.attributes)
            )
        return found

    def product_type(self, code: object, *, field: str = "product_type") -> ProductType:
        """Return the product type *code*.

        Raises:
            UnknownCodeError: No product type has that code.
        """
        found = self.product_types.get(code) if isinstance(code, str) else None
        if found is None:
            raise UnknownCodeError(
                kind="product type", code=code, field=field, known=tuple(self.product_types)
            )
        return found

    def channel(self, code: object, *, field: str = "channel") -> Channel:
        """Return the channel *code*.

        Raises:
            UnknownCodeError: No channel has that code.
        """
        found = self.channels.get(code) if isinstance(code, str) else None
        if found is None:
            raise UnknownCodeError(
                kind="channel", code=code, field=field, known=tuple(self.channels)
            )
        return found
