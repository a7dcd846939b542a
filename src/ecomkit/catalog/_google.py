"""The Google Merchant Center product data specification as channel profiles."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Final

from ecomkit.catalog._profiles import (
    AllOf,
    ChannelProfile,
    CountryIn,
    FieldIn,
    FieldRule,
    HasGroup,
    Not,
    _country,
)
from ecomkit.errors import InvalidTypeError


__all__ = [
    "APPAREL_COUNTRIES",
    "GOOGLE_MERCHANT_APPAREL",
    "GOOGLE_MERCHANT_BASE",
    "GOOGLE_MERCHANT_NEW_GOODS",
    "GOOGLE_MERCHANT_PREORDER",
    "GOOGLE_MERCHANT_PROFILES",
    "GOOGLE_MERCHANT_VARIANTS",
    "google_merchant_profile",
]

APPAREL_COUNTRIES: Final = ("BR", "DE", "FR", "GB", "JP", "US")
"""The countries where Merchant Center requires age group, gender, colour and size for
apparel, and an item group for variants (Brazil, Germany, France, the UK, Japan, the US)."""

_REQUIRED: Final = "required"
_CONDITIONAL: Final = "conditional"
_URL_LENGTH: Final = 2000
_VARIANT_ATTRIBUTES: Final = ("size", "pattern", "material", "age_group", "gender")

GOOGLE_MERCHANT_BASE: Final = ChannelProfile(
    "google_merchant.base",
    (
        # The fields every product needs.
        FieldRule("id", level=_REQUIRED, max_length=50),
        FieldRule("title", level=_REQUIRED, max_length=150),
        FieldRule("description", level=_REQUIRED, max_length=5000),
        FieldRule("link", level=_REQUIRED, max_length=_URL_LENGTH, checks=["url"]),
        FieldRule("image_link", level=_REQUIRED, max_length=_URL_LENGTH, checks=["url"]),
        FieldRule(
            "availability",
            level=_REQUIRED,
            allowed=["in_stock", "out_of_stock", "preorder", "backorder"],
        ),
        FieldRule("price", level=_REQUIRED, minimum=0, checks=["not_zero"]),
        # The limits of the optional fields, checked whenever they are given.
        FieldRule("additional_image_link", max_items=10, max_length=_URL_LENGTH, checks=["url"]),
        FieldRule("availability_date", max_length=25),
        FieldRule("sale_price", minimum=0),
        FieldRule("sale_price_effective_date", max_length=51),
        FieldRule("brand", max_length=70, checks=["not_placeholder"]),
        FieldRule("gtin", checks=["gtin"]),
        FieldRule("mpn", max_length=70),
        FieldRule("identifier_exists", allowed=["yes", "no"]),
        FieldRule("condition", allowed=["new", "refurbished", "used"]),
        FieldRule("adult", allowed=["yes", "no"]),
        FieldRule("product_type", max_length=750),
        FieldRule("item_group_id", max_length=50),
        FieldRule("color", max_length=100, checks=["color"]),
        FieldRule("size", max_length=100),
        FieldRule("material", max_length=200),
        FieldRule("pattern", max_length=100),
        FieldRule("gender", allowed=["male", "female", "unisex"]),
        FieldRule("age_group", allowed=["newborn", "infant", "toddler", "kids", "adult"]),
    ),
    description="The fields every Merchant Center product needs, and the limits of the others.",
)
"""Merchant Center's required fields (id, title, description, link, image_link, availability,
price) with their limits and allowed values, and the limits of the optional fields."""

_NEW: Final = FieldIn("condition", ["new"])

GOOGLE_MERCHANT_NEW_GOODS: Final = ChannelProfile(
    "google_merchant.new_goods",
    (
        FieldRule("brand", level=_CONDITIONAL, when=_NEW, hint="new goods need their brand"),
        FieldRule(
            "gtin",
            level=_CONDITIONAL,
            when=AllOf([_NEW, Not(FieldIn("identifier_exists", ["no"]))]),
            alternatives=["mpn"],
            hint="give the GTIN, or the MPN with the brand, or set identifier_exists to no",
        ),
    ),
    description="The identifiers of new goods: the brand, and a GTIN or an MPN.",
)
"""New goods need a brand, and a valid unrestricted GTIN or an MPN (with the brand), unless
``identifier_exists`` is ``no``."""

_IN_APPAREL_COUNTRY: Final = CountryIn(APPAREL_COUNTRIES)


def _apparel(when: CountryIn | None) -> ChannelProfile:
    level = _REQUIRED if when is None else _CONDITIONAL
    return ChannelProfile(
        "google_merchant.apparel",
        tuple(
            FieldRule(field, level=level, when=when)
            for field in ("age_group", "gender", "color", "size")
        ),
        description="Apparel: age group, gender, colour and size.",
    )


GOOGLE_MERCHANT_APPAREL: Final = _apparel(_IN_APPAREL_COUNTRY)
"""Apparel sold in [`APPAREL_COUNTRIES`][ecomkit.catalog.APPAREL_COUNTRIES] needs its age
group, gender, colour and size (required when the channel targets one of those countries)."""

GOOGLE_MERCHANT_VARIANTS: Final = ChannelProfile(
    "google_merchant.variants",
    (
        FieldRule(
            "item_group_id",
            level=_CONDITIONAL,
            when=HasGroup(),
            hint="a variant names its group (the parent SKU)",
        ),
        FieldRule(
            "color",
            level=_CONDITIONAL,
            when=HasGroup(),
            alternatives=_VARIANT_ATTRIBUTES,
            hint="a variant needs an attribute that tells it apart: "
            "color, size, pattern, material, age_group or gender",
        ),
    ),
    description="Variants: the item group and at least one variant attribute.",
)
"""A variant needs ``item_group_id`` and at least one variant attribute (colour, size, pattern,
material, age group or gender)."""

GOOGLE_MERCHANT_PREORDER: Final = ChannelProfile(
    "google_merchant.preorder",
    (
        FieldRule(
            "availability_date",
            level=_CONDITIONAL,
            when=FieldIn("availability", ["preorder", "backorder"]),
            hint="say when a preorder or backorder ships",
        ),
    ),
    description="Preorders and backorders: the availability date.",
)
"""A preorder or backorder needs its ``availability_date``."""


def google_merchant_profile(*, country: str | None = None, apparel: bool = False) -> ChannelProfile:
    """Return the Merchant Center profile for a feed: every rule that applies to it.

    The profile holds the base fields and limits, the identifiers of new goods, the
    variant rules and the preorder rule. With *apparel*, it also holds the apparel fields:
    required when *country* is one of [`APPAREL_COUNTRIES`][ecomkit.catalog.APPAREL_COUNTRIES],
    left out for another country, and required when the channel targets one of them when
    *country* is not given.

    Args:
        country: The ISO 3166 country the feed targets (``UK`` is read as ``GB``).
        apparel: Whether the products are clothing or shoes.

    Raises:
        InvalidTypeError: *country* is not a string, or *apparel* not a bool.
        InvalidValueError: *country* is not a two-letter code.

    Examples:
        >>> google_merchant_profile(country="uk", apparel=True).name
        'google_merchant_apparel.gb'
        >>> [rule.field for rule in google_merchant_profile(country="CA", apparel=True).fields
        ...  if rule.level == "required"]
        ['id', 'title', 'description', 'link', 'image_link', 'availability', 'price']
    """
    if not isinstance(apparel, bool):
        raise InvalidTypeError(field="apparel", value=apparel, expected="bool")
    code = None if country is None else _country(country)
    name = "google_merchant_apparel" if apparel else "google_merchant"
    if code is not None:
        name = f"{name}.{code.lower()}"
    parts = [GOOGLE_MERCHANT_NEW_GOODS, GOOGLE_MERCHANT_VARIANTS, GOOGLE_MERCHANT_PREORDER]
    if apparel:
        if code is None:
            parts.append(GOOGLE_MERCHANT_APPAREL)
        elif code in APPAREL_COUNTRIES:
            parts.append(_apparel(None))
    return GOOGLE_MERCHANT_BASE.extended(
        *parts, name=name, description="Google Merchant Center product data."
    )


GOOGLE_MERCHANT_PROFILES: Final[Mapping[str, ChannelProfile]] = types.MappingProxyType(
    {
        "google_merchant": google_merchant_profile(),
        "google_merchant_apparel": google_merchant_profile(apparel=True),
        GOOGLE_MERCHANT_APPAREL.name: GOOGLE_MERCHANT_APPAREL,
        GOOGLE_MERCHANT_BASE.name: GOOGLE_MERCHANT_BASE,
        GOOGLE_MERCHANT_NEW_GOODS.name: GOOGLE_MERCHANT_NEW_GOODS,
        GOOGLE_MERCHANT_VARIANTS.name: GOOGLE_MERCHANT_VARIANTS,
        GOOGLE_MERCHANT_PREORDER.name: GOOGLE_MERCHANT_PREORDER,
    }
)
"""The built-in Merchant Center profiles by name: ``google_merchant`` (everything but apparel),
``google_merchant_apparel`` (everything, apparel by the channel's country), and the parts
they are made of (``google_merchant.base``, ``.new_goods``, ``.apparel``, ``.variants`` and
``.preorder``)."""
