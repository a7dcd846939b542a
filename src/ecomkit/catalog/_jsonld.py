"""schema.org JSON-LD for product pages: `Product`, `Offer` and `ProductGroup` nodes.

The output follows schema.org and Google's merchant listing guidelines: identifiers by
GTIN length, one `Offer` per currency of the channel with the price a customer pays at the
moment given (a running sale shows the regular price as a strikethrough price), and the
other attributes as `PropertyValue`s with UN/CEFACT unit codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final, Protocol

import attrs

from ecomkit.catalog._attributes import AttributeDef, AttributeType
from ecomkit.catalog._product import Availability, Condition, Image, Product, tuple_of
from ecomkit.catalog._schema import CatalogSchema, ProductType
from ecomkit.catalog._units import UNITS, Metric
from ecomkit.catalog._values import Values
from ecomkit.errors import EcomkitError, InvalidTypeError, InvalidValueError
from ecomkit.i18n import normalize_locale
from ecomkit.money import Money, Rounding
from ecomkit.orders._values import check_aware


__all__ = ["UNECE_UNIT_CODES", "group_jsonld", "product_jsonld"]

_SCHEMA: Final = "https://schema.org"

UNECE_UNIT_CODES: Final[Mapping[str, str]] = {
    "mg": "MGM",
    "g": "GRM",
    "kg": "KGM",
    "t": "TNE",
    "oz": "ONZ",
    "lb": "LBR",
    "mm": "MMT",
    "cm": "CMT",
    "m": "MTR",
    "km": "KMT",
    "in": "INH",
    "ft": "FOT",
    "yd": "YRD",
    "ml": "MLT",
    "cl": "CLT",
    "dl": "DLT",
    "l": "LTR",
    "cbm": "MTQ",
    "floz": "OZA",
    "pt": "PTL",
    "qt": "QTL",
    "gal": "GLL",
    "mm2": "MMK",
    "cm2": "CMK",
    "sqm": "MTK",
    "sqin": "INK",
    "sqft": "FTK",
    "ct": "C62",
}
"""The UN/CEFACT Recommendation 20 code of every unit in [`UNITS`][ecomkit.catalog.UNITS].

schema.org's ``unitCode`` takes these. The US liquid pint and quart are ``PTL`` and
``QTL``: Recommendation 20 marks ``PT`` and ``QT`` as "use liquid pint / quart".
"""

_CONDITIONS: Final = {
    Condition.NEW: f"{_SCHEMA}/NewCondition",
    Condition.REFURBISHED: f"{_SCHEMA}/RefurbishedCondition",
    Condition.USED: f"{_SCHEMA}/UsedCondition",
}
_AVAILABILITY: Final = {
    Availability.IN_STOCK: f"{_SCHEMA}/InStock",
    Availability.OUT_OF_STOCK: f"{_SCHEMA}/OutOfStock",
    Availability.PREORDER: f"{_SCHEMA}/PreOrder",
    Availability.BACKORDER: f"{_SCHEMA}/BackOrder",
}
#: Attributes written as the Product property of the same name rather than a PropertyValue.
_OWN_PROPERTIES: Final = ("color", "size", "material", "pattern")
#: Axis codes schema.org has a property for (``variesBy`` names the property).
_VARIES_BY: Final = {
    "color": "color",
    "size": "size",
    "material": "material",
    "pattern": "pattern",
    "suggestedAge": "suggestedAge",
    "suggested_age": "suggestedAge",
    "suggestedGender": "suggestedGender",
    "suggested_gender": "suggestedGender",
}
_ONE_MICROSECOND: Final = dt.timedelta(microseconds=1)
_ABSENT: Final = object()


class _Group(Protocol):
    """What the JSON-LD needs of a product group (a `ProductGroup`, or anything like it)."""

    @property
    def code(self) -> str: ...

    @property
    def values(self) -> Values: ...


def product_jsonld(
    product: Product,
    schema: CatalogSchema,
    *,
    channel: str,
    locale: str,
    at: dt.datetime,
    url: str | None = None,
    group: object = None,
    categories: object = None,
) -> dict[str, Any]:
    """Return a product's schema.org ``Product`` node as JSON-LD, for *channel* and *locale*.

    | Property | From |
    | --- | --- |
    | `name`, `description` | the type's title and description attributes |
    | `sku`, `mpn` | the product's identifiers |
    | `gtin8` / `gtin12` / `gtin13` / `gtin14` | the GTIN, by the length it was written in |
    | `brand` | a ``Brand`` with the brand's name |
    | `image` | the image URLs, main image first (the group's when the product has none) |
    | `url` | *url* |
    | `category` | the main category's breadcrumb (``Home > Mugs``) with a tree, else its code |
    | `color`, `size`, `material`, `pattern` | the attributes with those codes, as text |
    | `itemCondition` | ``https://schema.org/NewCondition``, ``UsedCondition`` ... |
    | `offers` | one ``Offer`` per currency of the channel that has a price |
    | `additionalProperty` | a ``PropertyValue`` per other attribute with a value |
    | `isVariantOf`, `inProductGroupWithID` | the product group of a variant |

    An ``Offer`` carries the price a customer pays at *at* as a string with the currency's
    ISO minor units (rounded half up when the price is finer), ``priceCurrency``,
    ``availability`` (``https://schema.org/InStock``, ``OutOfStock``, ``PreOrder``,
    ``BackOrder``), ``availabilityStarts`` for a preorder with a date, and *url*. During a
    sale the price is the sale price, the regular price follows as a ``UnitPriceSpecification``
    with ``priceType`` ``https://schema.org/StrikethroughPrice``, and ``priceValidUntil`` is
    the last day of the sale (the day before its end when the sale ends at midnight).

    Values are read for the channel and locale with fallback. Numbers are strings, dates ISO
    dates, booleans booleans, select options their labels in *locale*; a metric is given in
    its attribute's ``default_unit`` when the conversion is exact, with its ``unitCode``
    (see [`UNECE_UNIT_CODES`][ecomkit.catalog.UNECE_UNIT_CODES]). Keys come in a fixed order
    and properties without a value are left out, so the same product gives the same text.

    Args:
        product: The product (or variant).
        schema: The catalog schema.
        channel: The channel the page belongs to; its currencies make the offers.
        locale: One of the channel's locales.
        at: When the page is rendered (timezone-aware); decides whether a sale runs.
        url: The product page's URL.
        group: For a variant, its product group (any object with ``code`` and ``values``,
            such as a [`ProductGroup`][ecomkit.catalog.ProductGroup]); the variant's values
            are read over the group's, and the group's ``media`` and ``categories`` stand in
            when the variant has none.
        categories: A category tree (anything with ``breadcrumb(code, *, locale)``, such as
            a [`CategoryTree`][ecomkit.catalog.CategoryTree]) to name the main category.

    Returns:
        A JSON-serializable dict (``json.dumps`` works as is).

    Raises:
        InvalidTypeError: *product*, *schema*, *group* or *categories* has the wrong type,
            or *at* is not a datetime.
        InvalidValueError: *locale* is not a locale of *channel*, or *group* is not the
            product's group.
        UnknownCodeError: *channel* or the product's type is unknown, or the tree does not
            hold the main category.

    Examples:
        >>> import pendulum
        >>> from ecomkit import Money
        >>> from ecomkit.catalog import (AttributeDef, CatalogSchema, Channel, Price,
        ...                              ProductType, SetBrand, SetPrice, SetValue,
        ...                              create_product)
        >>> schema = CatalogSchema(
        ...     [AttributeDef("title", "text", localizable=True)],
        ...     [ProductType("mug", ["title"], description_attribute=None)],
        ...     [Channel("web", ["en"], ["EUR"])],
        ... )
        >>> at = pendulum.datetime(2026, 3, 1, tz="Europe/Berlin")
        >>> mug = create_product(schema, sku="M-1", product_type="mug", at=at, changes=[
        ...     SetValue("title", "Blue mug", locale="en"), SetBrand("Acme"),
        ...     SetPrice(Price(Money("12.5", "EUR")))]).product
        >>> node = product_jsonld(mug, schema, channel="web", locale="en", at=at)
        >>> node["name"], node["brand"], node["offers"][0]["price"]
        ('Blue mug', {'@type': 'Brand', 'name': 'Acme'}, '12.50')
    """
    return {"@context": _SCHEMA} | _product_node(
        product,
        schema,
        channel=channel,
        locale=locale,
        at=at,
        url=url,
        group=_optional_group(group),
        categories=categories,
        nested=False,
    )


def group_jsonld(
    group: object,
    variants: Iterable[Product],
    schema: CatalogSchema,
    *,
    channel: str,
    locale: str,
    at: dt.datetime,
    url: str | None = None,
    categories: object = None,
) -> dict[str, Any]:
    """Return a product group and its variants as a schema.org ``ProductGroup`` node.

    The node has the group's ``name`` and ``description`` (from its values), its
    ``productGroupID`` (the group's code), *url*, the ``brand`` when every variant has the
    same one, the group's images and main category, ``variesBy`` and ``hasVariant``: the
    variants' ``Product`` nodes as [`product_jsonld`][ecomkit.catalog.product_jsonld]
    makes them, each read over the group's values, without ``isVariantOf`` (they sit in
    the group).

    ``variesBy`` lists the type's axes: the schema.org property for an axis named
    ``color``, ``size``, ``material``, ``pattern``, ``suggestedAge`` or ``suggestedGender``
    (also in snake case), such as ``https://schema.org/color``, else the axis code.

    Args:
        group: The product group: a [`ProductGroup`][ecomkit.catalog.ProductGroup] or any
            object with ``code`` and ``values`` (and optionally ``product_type``,
            ``media`` and ``categories``).
        variants: Its variants, in the order to list them.
        schema: The catalog schema.
        channel: The channel the page belongs to.
        locale: One of the channel's locales.
        at: When the page is rendered (timezone-aware).
        url: The group's page URL.
        categories: A category tree, as for `product_jsonld`.

    Returns:
        A JSON-serializable dict.

    Raises:
        InvalidTypeError: *group* has no ``code`` or ``values``, or a variant is not a
            `Product`.
        InvalidValueError: A variant belongs to another group or type, or the type is
            neither given by the group nor by a variant.
        UnknownCodeError: *channel* or the type is unknown.
    """
    found = _optional_group(group)
    if found is None:
        raise InvalidTypeError(field="group", value=group, expected="a product group")
    items: tuple[Product, ...] = tuple_of(variants, Product, field="variants")
    type_code = getattr(found, "product_type", None) or (items[0].product_type if items else None)
    if type_code is None:
        raise InvalidValueError(
            field="group", value=found.code, reason="has no product_type and no variants"
        )
    for variant in items:
        if variant.group != found.code:
            raise InvalidValueError(
                field="variants", value=variant.sku, reason=f"not a variant of {found.code!r}"
            )
        if variant.product_type != type_code:
            raise InvalidValueError(
                field="variants", value=variant.sku, reason=f"not of product type {type_code!r}"
            )
    kind = schema.product_type(type_code)
    scope = _scope(schema, channel, locale, at)
    node: dict[str, Any] = {"@context": _SCHEMA, "@type": "ProductGroup"}
    node |= _names(kind, found.values, scope)
    node["productGroupID"] = found.code
    if url is not None:
        node["url"] = url
    brands = {variant.brand for variant in items}
    if len(brands) == 1 and None not in brands:
        node["brand"] = {"@type": "Brand", "name": brands.pop()}
    node |= _media_and_category(found, (), (), scope, categories)
    node["variesBy"] = [
        f"{_SCHEMA}/{_VARIES_BY[axis]}" if axis in _VARIES_BY else axis for axis in kind.axes
    ]
    node["hasVariant"] = [
        _product_node(
            variant,
            schema,
            channel=channel,
            locale=locale,
            at=at,
            url=None,
            group=found,
            categories=categories,
            nested=True,
        )
        for variant in items
    ]
    return node


# ---------------------------------------------------------------------------- products


@attrs.frozen(weakref_slot=False)
class _Scope:
    """The channel, locale and moment a node is written for, checked once."""

    channel: str
    currencies: tuple[str, ...]
    locale: str
    at: dt.datetime


def _scope(schema: CatalogSchema, channel: str, locale: str, at: dt.datetime) -> _Scope:
    if not isinstance(schema, CatalogSchema):
        raise InvalidTypeError(field="schema", value=schema, expected="CatalogSchema")
    known = schema.channel(channel)
    code = normalize_locale(locale)
    if code not in known.locales:
        raise InvalidValueError(
            field="locale", value=locale, reason=f"not a locale of channel {known.code!r}"
        )
    return _Scope(known.code, known.currencies, code, check_aware(at, field="at"))


def _optional_group(group: object) -> _Group | None:
    if group is None:
        return None
    code, values = getattr(group, "code", _ABSENT), getattr(group, "values", _ABSENT)
    if not isinstance(code, str) or not isinstance(values, Values):
        raise InvalidTypeError(
            field="group", value=group, expected="a product group (with code and values)"
        )
    return group  # type: ignore[return-value]  # checked above: it has what _Group needs


def _product_node(
    product: Product,
    schema: CatalogSchema,
    *,
    channel: str,
    locale: str,
    at: dt.datetime,
    url: str | None,
    group: _Group | None,
    categories: object,
    nested: bool,
) -> dict[str, Any]:
    if not isinstance(product, Product):
        raise InvalidTypeError(field="product", value=product, expected="Product")
    scope = _scope(schema, channel, locale, at)
    kind = schema.product_type(product.product_type)
    values = product.values
    if group is not None:
        if group.code != product.group:
            raise InvalidValueError(
                field="group",
                value=group.code,
                reason=f"not the group of {product.sku!r} ({product.group!r})",
            )
        values = values.merged_over(group.values)
    node: dict[str, Any] = {"@type": "Product"}
    node |= _names(kind, values, scope)
    node |= _identifiers(product)
    node |= _media_and_category(group, product.media, product.categories, scope, categories)
    if url is not None:
        node["url"] = url
    own, others = _properties(schema, kind, values, scope)
    node |= own
    node["itemCondition"] = _CONDITIONS[product.condition]
    offers = _offers(product, scope, url)
    if offers:
        node["offers"] = offers
    if others:
        node["additionalProperty"] = others
    if product.group is not None and not nested:
        node["isVariantOf"] = {"@type": "ProductGroup", "productGroupID": product.group}
        node["inProductGroupWithID"] = product.group
    return node


def _names(kind: ProductType, values: Values, scope: _Scope) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for key, code in (("name", kind.title_attribute), ("description", kind.description_attribute)):
        if code is None:
            continue
        text = values.get_value(code, channel=scope.channel, locale=scope.locale)
        if isinstance(text, str):
            node[key] = text
    return node


def _identifiers(product: Product) -> dict[str, Any]:
    node: dict[str, Any] = {"sku": str(product.sku)}
    if product.gtin is not None:
        node[f"gtin{product.gtin.length}"] = product.gtin.digits
    if product.mpn is not None:
        node["mpn"] = product.mpn
    if product.brand is not None:
        node["brand"] = {"@type": "Brand", "name": product.brand}
    return node


def _media_and_category(
    group: object,
    media: tuple[Image, ...],
    codes: tuple[str, ...],
    scope: _Scope,
    categories: object,
) -> dict[str, Any]:
    node: dict[str, Any] = {}
    images = media or tuple(getattr(group, "media", ()))
    if images:
        node["image"] = [image.url for image in images]
    main = (codes or tuple(getattr(group, "categories", ())) or (None,))[0]
    if main is not None:
        node["category"] = _category(main, scope, categories)
    return node


def _category(code: str, scope: _Scope, categories: object) -> str:
    if categories is None:
        return code
    breadcrumb = getattr(categories, "breadcrumb", None)
    if not callable(breadcrumb):
        raise InvalidTypeError(
            field="categories", value=categories, expected="a category tree with breadcrumb()"
        )
    text = breadcrumb(code, locale=scope.locale)
    if not isinstance(text, str):
        raise InvalidTypeError(field="categories", value=text, expected="a breadcrumb string")
    return text


# ---------------------------------------------------------------------------- properties


def _properties(
    schema: CatalogSchema, kind: ProductType, values: Values, scope: _Scope
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Split the other attributes' values into own properties and `PropertyValue`s."""
    skipped = {kind.title_attribute, kind.description_attribute}
    own: dict[str, Any] = {}
    others: list[dict[str, Any]] = []
    for code in kind.attributes:
        if code in skipped:
            continue
        definition = schema.attributes[code]
        if definition.type is AttributeType.MEDIA:
            continue  # a file, not a property
        value = values.get_value(code, channel=scope.channel, locale=scope.locale)
        if value is None:
            continue
        if code in _OWN_PROPERTIES:
            own[code] = _text(definition, value, scope.locale)
            continue
        entry: dict[str, Any] = {
            "@type": "PropertyValue",
            "propertyID": code,
            "name": definition.label_in(scope.locale),
        }
        if isinstance(value, Metric):
            shown = _in_default_unit(definition, value)
            entry["value"] = str(shown.amount)
            entry["unitCode"] = UNECE_UNIT_CODES[shown.unit]
        elif isinstance(value, bool):
            entry["value"] = value
        else:
            entry["value"] = _text(definition, value, scope.locale)
        others.append(entry)
    return {key: own[key] for key in _OWN_PROPERTIES if key in own}, others


def _in_default_unit(definition: AttributeDef, metric: Metric) -> Metric:
    target = definition.default_unit
    if target is None or target == metric.unit or target not in UNITS:
        return metric
    try:
        return metric.to(target)
    except EcomkitError:  # no exact value in the default unit (1 g in ounces): keep it
        return metric


def _text(definition: AttributeDef, value: object, locale: str) -> str:
    """A value as text: option labels in *locale*, dates in ISO form, prices with currency."""
    if isinstance(value, str):
        return definition.option_label(value, locale) if definition.option_codes else value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(
            f"{_amount(item)} {item.currency.code}"
            if isinstance(item, Money)
            else definition.option_label(str(item), locale)
            for item in value
        )
    return str(value)


# ---------------------------------------------------------------------------- offers


def _amount(money: Money) -> str:
    if money.currency.minor_units is None:
        return str(money.amount)
    return str(money.quantize(rounding=Rounding.HALF_UP).amount)


def _offers(product: Product, scope: _Scope, url: str | None) -> list[dict[str, Any]]:
    offers: list[dict[str, Any]] = []
    for currency in scope.currencies:
        price = product.price(currency, channel=scope.channel)
        if price is None:
            continue
        offer: dict[str, Any] = {
            "@type": "Offer",
            "price": _amount(price.effective(scope.at)),
            "priceCurrency": currency,
        }
        if price.on_sale(scope.at):
            if price.sale_until is not None:
                offer["priceValidUntil"] = _last_day(price.sale_until)
            offer["priceSpecification"] = {
                "@type": "UnitPriceSpecification",
                "priceType": f"{_SCHEMA}/StrikethroughPrice",
                "price": _amount(price.regular),
                "priceCurrency": currency,
            }
        offer["availability"] = _AVAILABILITY[product.availability]
        if product.availability is Availability.PREORDER and product.availability_date:
            offer["availabilityStarts"] = product.availability_date.isoformat()
        if url is not None:
            offer["url"] = url
        offers.append(offer)
    return offers


def _last_day(until: dt.datetime) -> str:
    """The last day a price holds when it holds until *until* (exclusive), in its zone."""
    return (until - _ONE_MICROSECOND).date().isoformat()
