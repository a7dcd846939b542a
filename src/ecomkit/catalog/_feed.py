"""Reading channel fields from products, and the Google Merchant Center TSV feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, Final, Protocol

import attrs

from ecomkit.catalog._attributes import check_code
from ecomkit.catalog._gtin import Gtin
from ecomkit.catalog._product import Image, Product
from ecomkit.catalog._profiles import DEFAULT_FIELD_MAP, BuiltinSource, FieldMap
from ecomkit.catalog._schema import CatalogSchema, Channel, ProductType
from ecomkit.catalog._units import Metric
from ecomkit.catalog._values import Values
from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.i18n import normalize_locale
from ecomkit.money import Money


__all__ = ["GOOGLE_MERCHANT_FIELDS", "google_merchant_feed", "google_merchant_rows"]

GOOGLE_MERCHANT_FIELDS: Final = (
    "id",
    "title",
    "description",
    "link",
    "image_link",
    "additional_image_link",
    "availability",
    "availability_date",
    "price",
    "sale_price",
    "sale_price_effective_date",
    "brand",
    "gtin",
    "mpn",
    "identifier_exists",
    "condition",
    "adult",
    "google_product_category",
    "product_type",
    "item_group_id",
    "color",
    "size",
    "gender",
    "age_group",
    "material",
    "pattern",
)
"""The columns of a Merchant Center feed, in the order the feed writes them."""

_MAX_ADDITIONAL: Final = 10
_BLANKS: Final = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


# ---------------------------------------------------------------------------- reading fields


@attrs.frozen(weakref_slot=False)
class SaleWindow:
    """A sale's start and end; a feed writes it ``start/end`` in ISO 8601."""

    start: dt.datetime
    end: dt.datetime


FieldValue = (
    str
    | bool
    | Decimal
    | Money
    | Gtin
    | Metric
    | dt.datetime
    | dt.date
    | SaleWindow
    | tuple[str, ...]
)
"""A channel field's value as read from a product; a tuple is a list of URLs."""


class CategoryLookup(Protocol):
    """What scoring and feeds use of a [`CategoryTree`][ecomkit.catalog.CategoryTree]."""

    def __contains__(self, code: object, /) -> bool:
        """Whether the tree holds the category *code*."""
        ...

    def breadcrumb(self, code: str, *, locale: str, separator: str = " > ") -> str:
        """Return the names from the root down to *code*."""
        ...

    def in_subtree(self, categories: Iterable[str], code: str) -> bool:
        """Whether any of *categories* is *code* or below it."""
        ...


@attrs.frozen(weakref_slot=False)
class Subject:
    """A product as a channel reads it: with what it takes from its group, if it is a variant.

    Attributes:
        product: The product.
        values: Its values over its group's.
        has_group: Whether it is a variant (it has a group, or was given one).
        media: Its images, or its group's when it has none.
        categories: Its categories, or its group's when it has none.
    """

    product: Product
    values: Values
    has_group: bool
    media: tuple[Image, ...]
    categories: tuple[str, ...]


def subject_of(product: Product, group: object) -> Subject:
    """Return *product* as a channel reads it, over *group* (see `group_values`).

    Raises:
        InvalidTypeError: *group* is not a group, its `Values` or ``None``.
    """
    base = group_values(group)
    values = product.values if base is None else product.values.merged_over(base)
    media = product.media
    categories = product.categories
    if not media:
        shared = getattr(group, "media", ())
        media = shared if isinstance(shared, tuple) else ()
    if not categories:
        shared = getattr(group, "categories", ())
        categories = shared if isinstance(shared, tuple) else ()
    return Subject(
        product, values, product.group is not None or base is not None, media, categories
    )


Reader = Callable[[Subject], "FieldValue | None"]
"""Reads one channel field of a product."""


def text_of(value: FieldValue) -> str:  # noqa: PLR0911 - one return per kind of value
    """Return a field value as a feed writes it (prices ``"15.00 USD"``, dates ISO 8601)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Money):
        return f"{_minor_units(value)} {value.currency.code}"
    if isinstance(value, Gtin):
        return value.digits
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, SaleWindow):
        return f"{text_of(value.start)}/{text_of(value.end)}"
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)  # text, Decimal, Metric, date


def _minor_units(money: Money) -> str:
    """The amount padded to the currency's minor units, never cut (no silent rounding)."""
    digits = money.currency.minor_units
    amount = money.amount
    if digits is None:
        return str(amount)
    padded = amount.quantize(Decimal(1).scaleb(-digits))
    return str(padded) if padded == amount else str(amount)


def group_values(group: object) -> Values | None:
    """Return the values of *group*: ``None``, a `Values`, or anything with a ``values``.

    Raises:
        InvalidTypeError: *group* is none of these.
    """
    if group is None or isinstance(group, Values):
        return group
    values: Any = getattr(group, "values", None)
    if not isinstance(values, Values):
        raise InvalidTypeError(
            field="group", value=group, expected="a product group or the group's Values"
        )
    return values


def field_reader(
    field: str,
    *,
    field_map: FieldMap,
    schema: CatalogSchema,
    product_type: ProductType,
    channel: Channel,
    locale: str,
    categories: CategoryLookup | None,
) -> Reader:
    """Return a function that reads *field* of a product of *product_type* for a channel."""
    source = field_map.source_for(field)
    code: str | None
    if source is None:
        code = field
    elif source.attribute is not None:
        code = source.attribute
    elif source.builtin is BuiltinSource.TITLE:
        code = product_type.title_attribute
    elif source.builtin is BuiltinSource.DESCRIPTION:
        code = product_type.description_attribute
    else:
        return _builtin_reader(source.builtin, channel, locale, categories)
    if code is None or code not in product_type.attributes:
        return nothing
    labels = source is not None and source.labels
    return _attribute_reader(code, schema, channel, locale, labels=labels)


def nothing(_subject: Subject) -> FieldValue | None:
    """Read a field the product's type cannot have: always ``None``."""
    return None


def _attribute_reader(
    code: str, schema: CatalogSchema, channel: Channel, locale: str, *, labels: bool
) -> Reader:
    definition = schema.attribute(code)
    scope = channel.code if definition.scopable else None
    language = locale if definition.localizable else None
    currency = channel.currencies[0]
    names = {option.code: option.label.get(locale) or option.code for option in definition.options}

    def read(subject: Subject) -> FieldValue | None:
        value = subject.values.get_value(code, channel=scope, locale=language)
        if isinstance(value, tuple):
            items: tuple[Any, ...] = value
            if items and isinstance(items[0], Money):
                return next((money for money in items if money.currency.code == currency), None)
            return "/".join(names.get(item, item) if labels else item for item in items)
        if labels and isinstance(value, str):
            return names.get(value, value)
        return value

    return read


def _builtin_reader(
    builtin: BuiltinSource | None,
    channel: Channel,
    locale: str,
    categories: CategoryLookup | None,
) -> Reader:
    if builtin is BuiltinSource.PRODUCT_TYPE:
        return nothing if categories is None else _breadcrumb_reader(categories, locale)
    if builtin in {
        BuiltinSource.PRICE,
        BuiltinSource.SALE_PRICE,
        BuiltinSource.SALE_PRICE_EFFECTIVE_DATE,
    }:
        return _price_reader(builtin, channel)
    return _SIMPLE[builtin] if builtin is not None else nothing


def _breadcrumb_reader(categories: CategoryLookup, locale: str) -> Reader:
    def read(subject: Subject) -> FieldValue | None:
        codes = subject.categories
        if not codes or codes[0] not in categories:
            return None
        return categories.breadcrumb(codes[0], locale=locale)

    return read


def _price_reader(builtin: BuiltinSource | None, channel: Channel) -> Reader:
    currency, code = channel.currencies[0], channel.code

    def read(subject: Subject) -> FieldValue | None:
        price = subject.product.price(currency, channel=code)
        if price is None:
            return None
        if builtin is BuiltinSource.PRICE:
            return price.regular
        if builtin is BuiltinSource.SALE_PRICE:
            return price.sale
        if price.sale_from is None or price.sale_until is None:
            return None
        return SaleWindow(price.sale_from, price.sale_until)

    return read


def _images(subject: Subject) -> FieldValue | None:
    more = tuple(image.url for image in subject.media[1 : 1 + _MAX_ADDITIONAL])
    return more or None


def _image(subject: Subject) -> FieldValue | None:
    return subject.media[0].url if subject.media else None


_SIMPLE: Final[Mapping[BuiltinSource, Reader]] = {
    BuiltinSource.SKU: lambda subject: str(subject.product.sku),
    BuiltinSource.GTIN: lambda subject: subject.product.gtin,
    BuiltinSource.MPN: lambda subject: subject.product.mpn,
    BuiltinSource.BRAND: lambda subject: subject.product.brand,
    BuiltinSource.CONDITION: lambda subject: str(subject.product.condition),
    BuiltinSource.AVAILABILITY: lambda subject: str(subject.product.availability),
    BuiltinSource.AVAILABILITY_DATE: lambda subject: subject.product.availability_date,
    BuiltinSource.IMAGE_LINK: _image,
    BuiltinSource.ADDITIONAL_IMAGE_LINK: _images,
    BuiltinSource.ITEM_GROUP_ID: lambda subject: subject.product.group,
}


def channel_and_locale(
    schema: CatalogSchema, channel: object, locale: object
) -> tuple[Channel, str]:
    """Return the channel *channel* of *schema* and *locale*, checked to be one of its locales.

    Raises:
        UnknownCodeError: The schema has no such channel.
        InvalidLocaleError: *locale* is not a locale code.
        InvalidValueError: *locale* is not one of the channel's locales.
    """
    found = schema.channel(channel)
    if not isinstance(locale, str):
        raise InvalidTypeError(field="locale", value=locale, expected="a locale code")
    code = normalize_locale(locale)
    if code not in found.locales:
        raise InvalidValueError(
            field="locale",
            value=locale,
            reason=f"not a locale of channel {found.code!r} ({', '.join(found.locales)})",
        )
    return found, code


# ---------------------------------------------------------------------------- the feed


def _fields(value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="fields", value=value, expected="a list of field names")
    fields = tuple(check_code(item, field="fields") for item in value)
    if len(set(fields)) != len(fields) or not fields:
        raise InvalidValueError(field="fields", value=fields, reason="needs distinct fields")
    return fields


def _groups(value: object) -> dict[str, object]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="groups", value=value, expected="a list of product groups")
    found: dict[str, object] = {}
    for group in value:
        code = getattr(group, "code", None)
        if not isinstance(code, str) or isinstance(group, Values) or group_values(group) is None:
            raise InvalidTypeError(
                field="groups", value=group, expected="a product group (with code and values)"
            )
        found[code] = group
    return found


def google_merchant_rows(
    products: Iterable[Product],
    schema: CatalogSchema,
    *,
    channel: str,
    locale: str,
    groups: Iterable[object] = (),
    categories: CategoryLookup | None = None,
    field_map: FieldMap | None = None,
    fields: Iterable[str] | None = None,
) -> list[dict[str, str]]:
    """Return the Merchant Center rows of the enabled products: field name to text.

    Each row holds the fields that have a value (see
    [`google_merchant_feed`][ecomkit.catalog.google_merchant_feed] for the forms).

    Args:
        products: The products; disabled ones are left out.
        schema: The catalog schema.
        channel: The channel the feed is for; prices are in its first currency.
        locale: The feed's language, one of the channel's locales.
        groups: The product groups of the variants (objects with ``code`` and ``values``,
            such as [`ProductGroup`][ecomkit.catalog.ProductGroup]); a variant's values are
            read over its group's, and it takes the group's images and categories when it
            has none of its own.
        categories: A category tree, for ``product_type`` (the main category's breadcrumb).
        field_map: Where each field comes from; by default
            [`DEFAULT_FIELD_MAP`][ecomkit.catalog.DEFAULT_FIELD_MAP].
        fields: The fields to read; by default
            [`GOOGLE_MERCHANT_FIELDS`][ecomkit.catalog.GOOGLE_MERCHANT_FIELDS].

    Raises:
        UnknownCodeError: The channel or a product's type is unknown.
        InvalidValueError: The locale is not one of the channel's.
        InvalidTypeError: A product, group, map or field list has the wrong type.

    Examples:
        >>> from ecomkit import Money
        >>> from ecomkit.catalog import (AttributeDef, CatalogSchema, Channel, Price, Product,
        ...                              ProductType)
        >>> schema = CatalogSchema(
        ...     [AttributeDef("title", "text")],
        ...     [ProductType("mug", ["title"], description_attribute=None)],
        ...     [Channel("google_jp", ["ja"], ["JPY"], country="JP")],
        ... )
        >>> mug = Product("MUG-1", "mug", prices=[Price(Money("1200", "JPY"))],
        ...               gtin="4006381333931")
        >>> google_merchant_rows([mug], schema, channel="google_jp", locale="ja",
        ...                      fields=["id", "price", "gtin", "title"])
        [{'id': 'MUG-1', 'price': '1200 JPY', 'gtin': '4006381333931'}]
    """
    found, language = channel_and_locale(schema, channel, locale)
    mapping = DEFAULT_FIELD_MAP if field_map is None else field_map
    if not isinstance(mapping, FieldMap):
        raise InvalidTypeError(field="field_map", value=field_map, expected="FieldMap")
    names = GOOGLE_MERCHANT_FIELDS if fields is None else _fields(fields)
    by_group = _groups(groups)
    readers: dict[str, tuple[tuple[str, Reader], ...]] = {}
    rows: list[dict[str, str]] = []
    if isinstance(products, Product) or not isinstance(products, Iterable):
        raise InvalidTypeError(field="products", value=products, expected="a list of Product")
    for product in products:
        if not isinstance(product, Product):
            raise InvalidTypeError(field="products", value=product, expected="Product")
        if not product.enabled:
            continue
        plan = readers.get(product.product_type)
        if plan is None:
            kind = schema.product_type(product.product_type)
            plan = readers[kind.code] = tuple(
                (
                    name,
                    field_reader(
                        name,
                        field_map=mapping,
                        schema=schema,
                        product_type=kind,
                        channel=found,
                        locale=language,
                        categories=categories,
                    ),
                )
                for name in names
            )
        group = by_group.get(product.group) if product.group is not None else None
        subject = subject_of(product, group)
        row: dict[str, str] = {}
        for name, read in plan:
            value = read(subject)
            if value is not None:
                row[name] = text_of(value).translate(_BLANKS)
        rows.append(row)
    return rows


def google_merchant_feed(
    products: Iterable[Product],
    schema: CatalogSchema,
    *,
    channel: str,
    locale: str,
    groups: Iterable[object] = (),
    categories: CategoryLookup | None = None,
    field_map: FieldMap | None = None,
    fields: Iterable[str] | None = None,
) -> str:
    """Return a Google Merchant Center feed of the enabled products, as tab-separated text.

    The first line names the columns; each further line is one product. Prices are written
    ``"15.00 USD"`` with the currency's minor units, dates and times in ISO 8601 with their
    offset, ``sale_price_effective_date`` as ``start/end``, a GTIN in the length it was
    written in, additional images separated by commas, yes-or-no attributes as ``yes`` and
    ``no``. Tabs and line breaks inside values become spaces. With *fields* given, the
    columns are exactly those; otherwise they are the
    [`GOOGLE_MERCHANT_FIELDS`][ecomkit.catalog.GOOGLE_MERCHANT_FIELDS] at least one product
    has a value for (all of them when there is no product).

    Args:
        products: The products; disabled ones are left out.
        schema: The catalog schema.
        channel: The channel the feed is for; prices are in its first currency.
        locale: The feed's language, one of the channel's locales.
        groups: The product groups of the variants (objects with ``code`` and ``values``).
        categories: A category tree, for ``product_type``.
        field_map: Where each field comes from.
        fields: The columns.

    Raises:
        UnknownCodeError: The channel or a product's type is unknown.
        InvalidValueError: The locale is not one of the channel's.
        InvalidTypeError: A product, group, map or field list has the wrong type.

    Examples:
        >>> from ecomkit import Money
        >>> from ecomkit.catalog import (AttributeDef, CatalogSchema, Channel, Image, Price,
        ...                              Product, ProductType, ValueKey, Values)
        >>> schema = CatalogSchema(
        ...     [AttributeDef("title", "text", localizable=True)],
        ...     [ProductType("mug", ["title"], description_attribute=None)],
        ...     [Channel("google_us", ["en_US"], ["USD"], country="US")],
        ... )
        >>> mug = Product("MUG-1", "mug", values=Values({ValueKey("title", locale="en"): "Mug"}),
        ...               prices=[Price(Money("8", "USD"))], media=[Image("https://x.test/m.jpg")],
        ...               availability="in_stock")
        >>> print(google_merchant_feed([mug], schema, channel="google_us", locale="en_US"))
        id	title	image_link	availability	price	condition
        MUG-1	Mug	https://x.test/m.jpg	in_stock	8.00 USD	new
        <BLANKLINE>
    """
    names = GOOGLE_MERCHANT_FIELDS if fields is None else _fields(fields)
    rows = google_merchant_rows(
        products,
        schema,
        channel=channel,
        locale=locale,
        groups=groups,
        categories=categories,
        field_map=field_map,
        fields=names,
    )
    if fields is None and rows:
        present = {name for row in rows for name in row}
        names = tuple(name for name in names if name in present)
    lines = ["\t".join(names)]
    lines.extend("\t".join(row.get(name, "") for name in names) for row in rows)
    return "\n".join(lines) + "\n"
