"""The product: identifiers, values, categories, media, prices, availability and stock."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any, Final

import attrs

from ecomkit.catalog._attributes import _label, check_code
from ecomkit.catalog._gtin import Gtin
from ecomkit.catalog._values import Values, optional_channel
from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.i18n import LocalizedText
from ecomkit.money import Currency, Money
from ecomkit.money._amount import to_member
from ecomkit.orders._values import Sku, check_aware, check_quantity, check_text


__all__ = [
    "Availability",
    "Condition",
    "Image",
    "Price",
    "PriceChange",
    "Product",
    "StockLevel",
]

_EMPTY: Final = LocalizedText({})
_URL_LIMIT: Final = 2_000
_NAME_LIMIT: Final = 70  # Google's limit for brand; MPN allows 70 as well


class Availability(enum.StrEnum):
    """Whether a product can be bought now (Google Merchant Center's values)."""

    IN_STOCK = "in_stock"
    """Ships now."""
    OUT_OF_STOCK = "out_of_stock"
    """Cannot be bought."""
    PREORDER = "preorder"
    """Not released yet; say when with an availability date."""
    BACKORDER = "backorder"
    """Can be ordered now and ships when restocked; say when with an availability date."""


class Condition(enum.StrEnum):
    """The state of the goods."""

    NEW = "new"
    """Brand new, in its original packaging."""
    REFURBISHED = "refurbished"
    """Restored to working order by a professional."""
    USED = "used"
    """Used before; the packaging may be opened or missing."""


def _url(value: object) -> str:
    return check_text(value, field="url", limit=_URL_LIMIT)


@attrs.frozen(weakref_slot=False)
class Image:
    """One product image: where it is and its alternative text per locale.

    Attributes:
        url: The image's URL or asset key (at most 2,000 characters).
        alt: Its alternative text per locale, read aloud by screen readers.
    """

    url: str = attrs.field(converter=_url)
    alt: LocalizedText = attrs.field(default=_EMPTY, converter=_label)


def _regular(value: object) -> Money:
    if not isinstance(value, Money):
        raise InvalidTypeError(field="regular", value=value, expected="Money")
    return value


def _optional_money(value: object) -> Money | None:
    if value is None or isinstance(value, Money):
        return value
    raise InvalidTypeError(field="sale", value=value, expected="Money or None")


def _sale_from(value: object) -> dt.datetime | None:
    return None if value is None else check_aware(value, field="sale_from")


def _sale_until(value: object) -> dt.datetime | None:
    return None if value is None else check_aware(value, field="sale_until")


def _at(value: object) -> dt.datetime:
    return check_aware(value, field="at")


@attrs.frozen(weakref_slot=False)
class Price:
    """A product's price in one currency (and optionally one channel), with a sale.

    Args:
        regular: The regular price.
        sale: The reduced price, or ``None``.
        sale_from: When the sale starts (inclusive); ``None`` means it already has.
        sale_until: When the sale ends (exclusive); ``None`` means open-ended.
        channel: The channel the price is for, or ``None`` for every channel.

    Raises:
        CurrencyMismatchError: The sale is in another currency than the regular price.
        InvalidValueError: The sale is not lower than the regular price, the window ends
            before it starts, or a price is negative.
    """

    regular: Money = attrs.field(converter=_regular)
    sale: Money | None = attrs.field(default=None, kw_only=True, converter=_optional_money)
    sale_from: dt.datetime | None = attrs.field(default=None, kw_only=True, converter=_sale_from)
    sale_until: dt.datetime | None = attrs.field(default=None, kw_only=True, converter=_sale_until)
    channel: str | None = attrs.field(default=None, kw_only=True, converter=optional_channel)

    def __attrs_post_init__(self) -> None:
        if self.regular.amount < 0:
            raise InvalidValueError(field="regular", value=self.regular, reason="is negative")
        if self.sale is None:
            for name in ("sale_from", "sale_until"):
                if getattr(self, name) is not None:
                    raise InvalidValueError(
                        field=name, value=getattr(self, name), reason="a sale window needs a sale"
                    )
            return
        if not self.sale < self.regular:  # compares currencies too
            raise InvalidValueError(
                field="sale", value=self.sale, reason=f"not lower than the regular {self.regular}"
            )
        if self.sale.amount < 0:
            raise InvalidValueError(field="sale", value=self.sale, reason="is negative")
        if (
            self.sale_from is not None
            and self.sale_until is not None
            and self.sale_until <= self.sale_from
        ):
            raise InvalidValueError(
                field="sale_until", value=self.sale_until, reason="not after sale_from"
            )

    @property
    def currency(self) -> str:
        """The price's currency code."""
        return self.regular.currency.code

    def on_sale(self, at: dt.datetime) -> bool:
        """Whether the sale price applies at *at* (an aware datetime)."""
        moment = check_aware(at, field="at")
        return (
            self.sale is not None
            and (self.sale_from is None or self.sale_from <= moment)
            and (self.sale_until is None or moment < self.sale_until)
        )

    def effective(self, at: dt.datetime) -> Money:
        """Return the price a customer pays at *at*: the sale price during its window."""
        if self.on_sale(at):
            assert self.sale is not None  # noqa: S101 - on_sale checked it
            return self.sale
        return self.regular


@attrs.frozen(weakref_slot=False)
class PriceChange:
    """A price as it was set at a moment; the history behind the 30-day lowest price.

    Attributes:
        at: When the price was set.
        price: The price set (``None`` when the price was removed).
        currency: The currency.
        channel: The channel, or ``None`` for every channel.
    """

    at: dt.datetime = attrs.field(converter=_at)
    currency: str
    channel: str | None
    price: Price | None


def _availability(value: object) -> Availability:
    return to_member(Availability, value, field="availability")


def _condition(value: object) -> Condition:
    return to_member(Condition, value, field="condition")


def _location(value: object) -> str:
    return check_code(value, field="location")


def _on_hand(value: object) -> int:
    return check_quantity(value, field="on_hand", minimum=0)


@attrs.frozen(weakref_slot=False)
class StockLevel:
    """Units on hand at one stock location.

    Attributes:
        location: The location's code (a warehouse, a store).
        on_hand: Units physically there (0 or more).
    """

    location: str = attrs.field(converter=_location)
    on_hand: int = attrs.field(converter=_on_hand)


def _sku(value: object) -> Sku:
    return Sku(check_code(value, field="sku"))


def _product_type(value: object) -> str:
    return check_code(value, field="product_type")


def _optional_group(value: object) -> str | None:
    return None if value is None else check_code(value, field="group")


def _optional_gtin(value: object) -> Gtin | None:
    if value is None or isinstance(value, Gtin):
        return value
    if isinstance(value, str):
        return Gtin.parse(value)
    raise InvalidTypeError(field="gtin", value=value, expected="Gtin or a GTIN string")


def optional_name(value: object, *, field: str) -> str | None:
    """Return ``None`` or a non-blank text of at most 70 characters (brand, MPN)."""
    return None if value is None else check_text(value, field=field, limit=_NAME_LIMIT)


def _mpn(value: object) -> str | None:
    return optional_name(value, field="mpn")


def _brand(value: object) -> str | None:
    return optional_name(value, field="brand")


def tuple_of(value: object, kind: type[Any], *, field: str) -> tuple[Any, ...]:
    """Return *value* as a tuple whose items are all *kind* instances."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field=field, value=value, expected=f"a list of {kind.__name__}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, kind):
            raise InvalidTypeError(field=field, value=item, expected=kind.__name__)
    return items


def _media(value: object) -> tuple[Image, ...]:
    return tuple_of(value, Image, field="media")


def _prices(value: object) -> tuple[Price, ...]:
    return tuple_of(value, Price, field="prices")


def _history(value: object) -> tuple[PriceChange, ...]:
    return tuple_of(value, PriceChange, field="price_history")


def _stock(value: object) -> tuple[StockLevel, ...]:
    return tuple_of(value, StockLevel, field="stock")


def _categories(value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="categories", value=value, expected="a list of codes")
    codes = tuple(check_code(item, field="categories") for item in value)
    return tuple(dict.fromkeys(codes))


def _values(value: object) -> Values:
    if not isinstance(value, Values):
        raise InvalidTypeError(field="values", value=value, expected="Values")
    return value


def _optional_availability_date(value: object) -> dt.datetime | None:
    return None if value is None else check_aware(value, field="availability_date")


def _version(value: object) -> int:
    return check_quantity(value, field="version", minimum=0)


def _enabled(value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError(field="enabled", value=value, expected="bool")
    return value


@attrs.frozen(weakref_slot=False)
class Product:
    """A product (or a variant of a product group) as the catalog keeps it.

    A `Product` holds what it is given and checks each field's type and form; whether its
    values fit the schema (known attributes, constraints, locales, channels) is checked by
    [`create_product`][ecomkit.catalog.create_product] and
    [`edit_product`][ecomkit.catalog.edit_product], the only way the catalog changes a
    product. Each returns the new product and the event that records the change.

    Attributes:
        sku: The product's stock keeping unit, unique in the catalog.
        product_type: The code of its [`ProductType`][ecomkit.catalog.ProductType].
        values: Its attribute values.
        group: The product group it is a variant of, or ``None``.
        gtin: Its GS1 trade item number, or ``None``.
        mpn: The manufacturer part number, or ``None``.
        brand: The brand, or ``None``.
        categories: The codes of the categories it is classified in, first is main.
        media: Its images in display order; the first is the main image.
        prices: Its current prices, one per currency and channel.
        price_history: Every price change, oldest first (for the 30-day lowest price).
        availability: Whether it can be bought now.
        availability_date: When a preorder or backorder product ships.
        condition: New, refurbished or used.
        stock: Units on hand per location.
        enabled: Whether it may be published at all.
        version: Incremented by each accepted edit (for optimistic concurrency).
    """

    sku: Sku = attrs.field(converter=_sku)
    product_type: str = attrs.field(converter=_product_type)
    values: Values = attrs.field(factory=Values, kw_only=True, converter=_values)
    group: str | None = attrs.field(default=None, kw_only=True, converter=_optional_group)
    gtin: Gtin | None = attrs.field(default=None, kw_only=True, converter=_optional_gtin)
    mpn: str | None = attrs.field(default=None, kw_only=True, converter=_mpn)
    brand: str | None = attrs.field(default=None, kw_only=True, converter=_brand)
    categories: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_categories)
    media: tuple[Image, ...] = attrs.field(default=(), kw_only=True, converter=_media)
    prices: tuple[Price, ...] = attrs.field(default=(), kw_only=True, converter=_prices)
    price_history: tuple[PriceChange, ...] = attrs.field(
        default=(), kw_only=True, converter=_history
    )
    availability: Availability = attrs.field(
        default=Availability.OUT_OF_STOCK, kw_only=True, converter=_availability
    )
    availability_date: dt.datetime | None = attrs.field(
        default=None, kw_only=True, converter=_optional_availability_date
    )
    condition: Condition = attrs.field(default=Condition.NEW, kw_only=True, converter=_condition)
    stock: tuple[StockLevel, ...] = attrs.field(default=(), kw_only=True, converter=_stock)
    enabled: bool = attrs.field(default=True, kw_only=True, converter=_enabled)
    version: int = attrs.field(default=0, kw_only=True, converter=_version)

    def __attrs_post_init__(self) -> None:
        seen: set[tuple[str | None, str]] = set()
        for price in self.prices:
            key = (price.channel, price.currency)
            if key in seen:
                raise InvalidValueError(
                    field="prices",
                    value=price,
                    reason=f"two prices in {price.currency} for {price.channel or 'all channels'}",
                )
            seen.add(key)
        urls = [image.url for image in self.media]
        if len(set(urls)) != len(urls):
            raise InvalidValueError(field="media", value=urls, reason="an image twice")
        locations = [level.location for level in self.stock]
        if len(set(locations)) != len(locations):
            raise InvalidValueError(field="stock", value=locations, reason="a location twice")

    @property
    def main_image(self) -> Image | None:
        """The first image, or ``None`` without images."""
        return self.media[0] if self.media else None

    @property
    def on_hand(self) -> int:
        """Units on hand over every location."""
        return sum(level.on_hand for level in self.stock)

    def price(self, currency: str, *, channel: str | None = None) -> Price | None:
        """Return the price in *currency* for *channel*, falling back to all channels."""
        code = Currency(currency).code
        fallback = None
        for price in self.prices:
            if price.currency == code:
                if price.channel == channel and channel is not None:
                    return price
                if price.channel is None:
                    fallback = price
        return fallback

    def value(
        self, attribute: str, *, channel: str | None = None, locale: str | None = None
    ) -> Any:
        """Return the value of *attribute* for *channel* and *locale*, with fallback.

        See [`Values.resolve`][ecomkit.catalog.Values.resolve]. Returns ``None`` when
        the product has no value there.
        """
        return self.values.get_value(attribute, channel=channel, locale=locale)
