"""Changing products: typed changes, checked against the schema, applied all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable
from typing import Any, ClassVar

import attrs

from ecomkit.catalog._attributes import AnyValue, Value
from ecomkit.catalog._gtin import Gtin
from ecomkit.catalog._product import (
    Availability,
    Condition,
    Image,
    Price,
    PriceChange,
    Product,
    StockLevel,
    _availability,
    _brand,
    _categories,
    _condition,
    _location,
    _media,
    _mpn,
    _on_hand,
    _optional_gtin,
)
from ecomkit.catalog._schema import CatalogSchema, ProductType
from ecomkit.catalog._values import ValueKey, Values, optional_channel, optional_locale
from ecomkit.errors import InvalidTypeError, InvalidValueError, UnknownCodeError
from ecomkit.i18n import normalize_locale
from ecomkit.money import Currency
from ecomkit.orders._values import Sku, check_aware


__all__ = [
    "ProductChange",
    "ProductCreated",
    "ProductEdit",
    "ProductEdited",
    "ProductEvent",
    "RemovePrice",
    "RemoveValue",
    "SetAvailability",
    "SetBrand",
    "SetCategories",
    "SetCondition",
    "SetEnabled",
    "SetGtin",
    "SetMedia",
    "SetMpn",
    "SetPrice",
    "SetStock",
    "SetValue",
    "check_value",
    "create_product",
    "edit_product",
]


class ProductChange:
    """Base of the changes [`edit_product`][ecomkit.catalog.edit_product] applies.

    Serialized as a tagged union on ``"type"`` (the class name).
    """

    __slots__ = ()
    field: ClassVar[str] = "change"


@attrs.frozen(weakref_slot=False)
class SetValue(ProductChange):
    """Set an attribute's value for a channel and locale (``None``: all of them).

    Attributes:
        attribute: The attribute's code.
        value: The value; it is checked and put in canonical form by the attribute's
            definition (see [`AttributeDef.check`][ecomkit.catalog.AttributeDef.check]).
        channel: A channel code for a scopable attribute, or ``None``.
        locale: A locale for a localizable attribute, or ``None``.
    """

    attribute: str
    value: AnyValue
    channel: str | None = attrs.field(default=None, converter=optional_channel)
    locale: str | None = attrs.field(default=None, converter=optional_locale)


@attrs.frozen(weakref_slot=False)
class RemoveValue(ProductChange):
    """Remove an attribute's value for a channel and locale (exactly that key)."""

    attribute: str
    channel: str | None = attrs.field(default=None, converter=optional_channel)
    locale: str | None = attrs.field(default=None, converter=optional_locale)


@attrs.frozen(weakref_slot=False)
class SetGtin(ProductChange):
    """Set the GTIN (any GTIN-8/12/13/14 text, checked) or clear it with ``None``."""

    gtin: Gtin | None = attrs.field(converter=_optional_gtin)


@attrs.frozen(weakref_slot=False)
class SetMpn(ProductChange):
    """Set the manufacturer part number (at most 70 characters) or clear it."""

    mpn: str | None = attrs.field(converter=_mpn)


@attrs.frozen(weakref_slot=False)
class SetBrand(ProductChange):
    """Set the brand (at most 70 characters) or clear it."""

    brand: str | None = attrs.field(converter=_brand)


@attrs.frozen(weakref_slot=False)
class SetCategories(ProductChange):
    """Classify the product in these categories (replacing the old ones; first is main)."""

    categories: tuple[str, ...] = attrs.field(converter=_categories)


@attrs.frozen(weakref_slot=False)
class SetMedia(ProductChange):
    """Replace the product's images; the first becomes the main image."""

    media: tuple[Image, ...] = attrs.field(converter=_media)


@attrs.frozen(weakref_slot=False)
class SetPrice(ProductChange):
    """Set the price for its currency and channel, replacing the one there."""

    price: Price = attrs.field()

    @price.validator
    def _check(self, _attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, Price):
            raise InvalidTypeError(field="price", value=value, expected="Price")


def _currency(value: object) -> str:
    return Currency(value).code  # type: ignore[arg-type]  # Currency checks the type


@attrs.frozen(weakref_slot=False)
class RemovePrice(ProductChange):
    """Remove the price in a currency for a channel (``None``: the all-channels price)."""

    currency: str = attrs.field(converter=_currency)
    channel: str | None = attrs.field(default=None, converter=optional_channel)


def _optional_date(value: object) -> dt.datetime | None:
    return None if value is None else check_aware(value, field="availability_date")


@attrs.frozen(weakref_slot=False)
class SetAvailability(ProductChange):
    """Set whether the product can be bought, and when a preorder or backorder ships."""

    availability: Availability = attrs.field(converter=_availability)
    availability_date: dt.datetime | None = attrs.field(default=None, converter=_optional_date)


@attrs.frozen(weakref_slot=False)
class SetStock(ProductChange):
    """Set the units on hand at a location (0 keeps the location with nothing there)."""

    location: str = attrs.field(converter=_location)
    on_hand: int = attrs.field(converter=_on_hand)


@attrs.frozen(weakref_slot=False)
class SetCondition(ProductChange):
    """Set the condition (new, refurbished, used)."""

    condition: Condition = attrs.field(converter=_condition)


@attrs.frozen(weakref_slot=False)
class SetEnabled(ProductChange):
    """Enable or disable the product (a disabled product is never published)."""

    enabled: bool = attrs.field()

    @enabled.validator
    def _check(self, _attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, bool):
            raise InvalidTypeError(field="enabled", value=value, expected="bool")


class ProductEvent:
    """Base of the events that record catalog changes (a tagged union on ``"type"``)."""

    __slots__ = ()


@attrs.frozen(weakref_slot=False)
class ProductCreated(ProductEvent):
    """A product was created.

    Attributes:
        sku: The product's SKU.
        product_type: Its type.
        group: The group it is a variant of, or ``None``.
        at: When.
        version: Its version after the event (1).
        changes: The changes it was created with.
    """

    sku: Sku
    product_type: str
    group: str | None
    at: dt.datetime
    version: int
    changes: tuple[ProductChange, ...]


@attrs.frozen(weakref_slot=False)
class ProductEdited(ProductEvent):
    """A product was changed.

    Attributes:
        sku: The product's SKU.
        at: When.
        version: Its version after the event.
        changes: The changes that changed something (no-ops are left out).
    """

    sku: Sku
    at: dt.datetime
    version: int
    changes: tuple[ProductChange, ...]


@attrs.frozen(weakref_slot=False)
class ProductEdit:
    """The result of [`create_product`][ecomkit.catalog.create_product] or `edit_product`.

    Attributes:
        product: The product after the change.
        event: The event to record, or ``None`` when nothing changed.
    """

    product: Product
    event: ProductCreated | ProductEdited | None


def check_value(
    schema: CatalogSchema,
    product_type: ProductType | str,
    attribute: str,
    value: object,
    *,
    channel: str | None = None,
    locale: str | None = None,
) -> tuple[ValueKey, Value]:
    """Check a value for a product type and return its key and canonical form.

    The attribute must belong to the type; a channel is given only for a scopable attribute
    and must be a channel of the schema; a locale only for a localizable attribute, and it
    must be a locale of that channel (or of some channel when *channel* is ``None``).

    Raises:
        UnknownCodeError: The attribute or channel is unknown, or the attribute is not one of
            the type's.
        InvalidValueError: The channel or locale does not fit the attribute, or the value
            breaks a constraint.
        InvalidTypeError: The value has the wrong type.

    Examples:
        >>> from ecomkit.catalog import AttributeDef, CatalogSchema, Channel, ProductType
        >>> schema = CatalogSchema(
        ...     [AttributeDef("title", "text", localizable=True)],
        ...     [ProductType("book", ["title"], description_attribute=None)],
        ...     [Channel("web", ["en", "de"], ["EUR"])],
        ... )
        >>> check_value(schema, "book", "title", "Dune", locale="en")
        (ValueKey(attribute='title', channel=None, locale='en'), 'Dune')
        >>> check_value(schema, "book", "title", "Dune", locale="fr")
        Traceback (most recent call last):
        ...
        ecomkit.errors.InvalidValueError: locale: not a locale of any channel (got 'fr')
    """
    kind = (
        product_type if isinstance(product_type, ProductType) else schema.product_type(product_type)
    )
    definition = schema.attribute(attribute)
    if definition.code not in kind.attributes:
        raise UnknownCodeError(
            kind=f"attribute of product type {kind.code!r}",
            code=attribute,
            field="attribute",
            known=kind.attributes,
        )
    if channel is not None:
        if not definition.scopable:
            raise InvalidValueError(
                field="channel", value=channel, reason=f"{attribute} is not scopable"
            )
        locales: tuple[str, ...] = schema.channel(channel).locales
    else:
        locales = schema.locales
    if locale is not None:
        locale = normalize_locale(locale)
        if not definition.localizable:
            raise InvalidValueError(
                field="locale", value=locale, reason=f"{attribute} is not localizable"
            )
        if locale not in locales:
            where = f"channel {channel!r}" if channel is not None else "any channel"
            raise InvalidValueError(field="locale", value=locale, reason=f"not a locale of {where}")
    return ValueKey(attribute, channel, locale), definition.check(value)


def create_product(
    schema: CatalogSchema,
    *,
    sku: str,
    product_type: str,
    changes: Iterable[ProductChange] = (),
    group: str | None = None,
    at: dt.datetime,
    categories: Container[str] | None = None,
) -> ProductEdit:
    """Create a product of *product_type* with *changes* applied, all checked.

    Args:
        schema: The catalog schema.
        sku: The new product's SKU.
        product_type: Its type's code.
        changes: The values, identifiers, prices ... to start with.
        group: The product group it is a variant of, if any.
        at: When (timezone-aware); recorded in the event and the price history.
        categories: The known category codes (a [`CategoryTree`][ecomkit.catalog.CategoryTree]
            or any container); when given, `SetCategories` may only name these.

    Returns:
        The product (version 1) and a [`ProductCreated`][ecomkit.catalog.ProductCreated].

    Raises:
        UnknownCodeError: The type, an attribute, a channel or a category is unknown.
        InvalidValueError: A change breaks a rule; nothing is created.
        InvalidTypeError: A change has the wrong type.
    """
    moment = check_aware(at, field="at")
    kind = schema.product_type(product_type)
    if group is not None and not kind.variant_levels:
        raise InvalidValueError(
            field="group", value=group, reason=f"product type {kind.code!r} has no variant levels"
        )
    blank = Product(sku, product_type, group=group, version=1)
    applied, product = _apply_all(schema, blank, changes, moment, categories, version=1)
    event = ProductCreated(product.sku, product_type, group, moment, 1, applied)
    return ProductEdit(product, event)


def edit_product(
    schema: CatalogSchema,
    product: Product,
    changes: Iterable[ProductChange],
    *,
    at: dt.datetime,
    categories: Container[str] | None = None,
) -> ProductEdit:
    """Apply *changes* to *product*, all or nothing.

    Every change is checked against the schema first; if one is refused, the error is
    raised and nothing is applied. Changes that change nothing are left out of the event;
    when nothing changes at all, the same product comes back with no event.

    Args:
        schema: The catalog schema.
        product: The product as it is now.
        changes: The changes, applied in order.
        at: When (timezone-aware).
        categories: The known category codes, as for `create_product`.

    Returns:
        The new product (version + 1) and a [`ProductEdited`][ecomkit.catalog.ProductEdited],
        or the same product and ``None``.

    Raises:
        UnknownCodeError: An attribute, a channel or a category is unknown.
        InvalidValueError: A change breaks a rule.
        InvalidTypeError: A change or the product has the wrong type.

    Examples:
        >>> import pendulum
        >>> from ecomkit.catalog import AttributeDef, CatalogSchema, Channel, ProductType
        >>> schema = CatalogSchema(
        ...     [AttributeDef("title", "text", localizable=True)],
        ...     [ProductType("book", ["title"], description_attribute=None)],
        ...     [Channel("web", ["en"], ["EUR"])],
        ... )
        >>> at = pendulum.datetime(2026, 3, 1, tz="Europe/Berlin")
        >>> book = create_product(schema, sku="B-1", product_type="book", at=at).product
        >>> edit = edit_product(schema, book, [SetValue("title", "Dune", locale="en"),
        ...                                    SetBrand("Ace")], at=at)
        >>> edit.product.value("title", locale="en_GB"), edit.product.brand, edit.event.version
        ('Dune', 'Ace', 2)
    """
    if not isinstance(product, Product):
        raise InvalidTypeError(field="product", value=product, expected="Product")
    moment = check_aware(at, field="at")
    version = product.version + 1
    applied, changed = _apply_all(schema, product, changes, moment, categories, version=version)
    if not applied:
        return ProductEdit(product, None)
    return ProductEdit(changed, ProductEdited(product.sku, moment, version, applied))


def _apply_all(
    schema: CatalogSchema,
    product: Product,
    changes: Iterable[ProductChange],
    at: dt.datetime,
    categories: Container[str] | None,
    *,
    version: int,
) -> tuple[tuple[ProductChange, ...], Product]:
    if isinstance(changes, ProductChange) or not isinstance(changes, Iterable):
        raise InvalidTypeError(field="changes", value=changes, expected="a list of changes")
    kind = schema.product_type(product.product_type)
    if categories is not None and (
        isinstance(categories, str | bytes) or not isinstance(categories, Container)
    ):
        raise InvalidTypeError(
            field="categories", value=categories, expected="a CategoryTree or a set of codes"
        )
    applied: list[ProductChange] = []
    # Changes are applied to a draft of plain fields; the product is built once at the end,
    # so its converters and the sorting of its values run once per edit, not per change.
    draft: dict[str, Any] = attrs.asdict(product, recurse=False)
    values: dict[ValueKey, Value] = dict(product.values)
    for change in changes:
        if not isinstance(change, ProductChange):
            raise InvalidTypeError(field="changes", value=change, expected="a ProductChange")
        if isinstance(change, SetValue | RemoveValue):
            recorded = _value_change(schema, kind, product, values, change)
            if recorded is not None:
                applied.append(recorded)
        elif _apply(schema, draft, change, at, categories):
            applied.append(change)
    if not applied:
        return (), product
    draft["values"] = Values(values)
    draft["version"] = version
    return tuple(applied), Product(**draft)


def _value_change(
    schema: CatalogSchema,
    kind: ProductType,
    product: Product,
    values: dict[ValueKey, Value],
    change: SetValue | RemoveValue,
) -> ProductChange | None:
    """Apply a value change to *values*; return it as recorded, or ``None`` for a no-op.

    A `SetValue` is recorded with its value in canonical form.
    """
    if isinstance(change, RemoveValue):
        schema.attribute(change.attribute)
        key = ValueKey(change.attribute, change.channel, change.locale)
        return None if values.pop(key, _MISSING) is _MISSING else change
    _check_level(kind, product, change.attribute)
    key, value = check_value(
        schema, kind, change.attribute, change.value, channel=change.channel, locale=change.locale
    )
    if values.get(key, _MISSING) == value:
        return None
    values[key] = value
    return attrs.evolve(change, value=value)


def _apply(  # noqa: C901, PLR0912 - one branch per change type
    schema: CatalogSchema,
    draft: dict[str, Any],
    change: ProductChange,
    at: dt.datetime,
    categories: Container[str] | None,
) -> bool:
    """Apply *change* to *draft* (the product's fields); return whether anything changed."""
    updates: dict[str, Any]
    if isinstance(change, SetGtin):
        updates = {"gtin": change.gtin}
    elif isinstance(change, SetMpn):
        updates = {"mpn": change.mpn}
    elif isinstance(change, SetBrand):
        updates = {"brand": change.brand}
    elif isinstance(change, SetCategories):
        if categories is not None:
            for code in change.categories:
                if code not in categories:
                    raise UnknownCodeError(kind="category", code=code, field="categories")
        updates = {"categories": change.categories}
    elif isinstance(change, SetMedia):
        urls = [image.url for image in change.media]
        if len(set(urls)) != len(urls):
            raise InvalidValueError(field="media", value=urls, reason="an image twice")
        updates = {"media": change.media}
    elif isinstance(change, SetPrice | RemovePrice):
        return _set_price(schema, draft, change, at)
    elif isinstance(change, SetAvailability):
        updates = {
            "availability": change.availability,
            "availability_date": change.availability_date,
        }
    elif isinstance(change, SetStock):
        levels = [level for level in draft["stock"] if level.location != change.location]
        levels.append(StockLevel(change.location, change.on_hand))
        updates = {"stock": tuple(sorted(levels, key=lambda level: level.location))}
    elif isinstance(change, SetCondition):
        updates = {"condition": change.condition}
    elif isinstance(change, SetEnabled):
        updates = {"enabled": change.enabled}
    else:  # pragma: no cover - every ProductChange subclass is handled above
        raise InvalidTypeError(field="changes", value=change, expected="a change ecomkit knows")
    if all(draft[name] == value for name, value in updates.items()):
        return False
    draft.update(updates)
    return True


_MISSING: Any = object()


def _check_level(kind: ProductType, product: Product, attribute: str) -> None:
    """A variant holds only the attributes of its variant levels; the rest is the group's."""
    if product.group is None or not kind.variant_levels:
        return
    if attribute in kind.attributes and kind.level_of(attribute) == 0:
        raise InvalidValueError(
            field="attribute",
            value=attribute,
            reason=f"is set on the product group {product.group!r}, not on its variants",
        )


def _set_price(
    schema: CatalogSchema, draft: dict[str, Any], change: SetPrice | RemovePrice, at: dt.datetime
) -> bool:
    if isinstance(change, SetPrice):
        channel, currency, new = change.price.channel, change.price.currency, change.price
    else:
        channel, currency, new = change.channel, change.currency, None
    if channel is not None:
        offered: tuple[str, ...] = schema.channel(channel).currencies
        where = f"channel {channel!r} sells"
    else:
        offered = schema.currencies
        where = "the channels sell"
    if currency not in offered and (new is not None or channel is not None):
        raise InvalidValueError(
            field="price", value=currency, reason=f"{where} in {', '.join(offered)}"
        )
    prices: tuple[Price, ...] = draft["prices"]
    history: tuple[PriceChange, ...] = draft["price_history"]
    kept = [p for p in prices if (p.channel, p.currency) != (channel, currency)]
    old = next((p for p in prices if (p.channel, p.currency) == (channel, currency)), None)
    if old == new:
        return False
    if history and at < history[-1].at:
        raise InvalidValueError(
            field="at", value=at, reason=f"before the last price change ({history[-1].at})"
        )
    if new is not None:
        kept.append(new)
    draft["prices"] = tuple(sorted(kept, key=lambda p: (p.channel or "", p.currency)))
    draft["price_history"] = (*history, PriceChange(at, currency, channel, new))
    return True
