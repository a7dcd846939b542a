"""Catalog: the product data model, its identifiers, and the quality of its data.

The model follows the product information managers shops use (Akeneo, Saleor, Sylius):

- [`AttributeDef`][ecomkit.catalog.AttributeDef]s with types and constraints, values keyed
  by attribute, channel and locale ([`Values`][ecomkit.catalog.Values]) with defaults and
  locale fallback;
- [`ProductType`][ecomkit.catalog.ProductType]s (families) that say which attributes a
  product has, which are required per channel and locale, and its variant levels;
- [`Product`][ecomkit.catalog.Product]s with identifiers (SKU, [`Gtin`][ecomkit.catalog.Gtin],
  MPN, brand), categories, images, prices and availability, changed only through
  [`create_product`][ecomkit.catalog.create_product] and
  [`edit_product`][ecomkit.catalog.edit_product], which check every change against the
  [`CatalogSchema`][ecomkit.catalog.CatalogSchema] and return an event.

Examples:
    >>> Gtin.parse("0012345678905").gtin14
    '00012345678905'
    >>> Gtin.parse("012345678905") == Gtin.parse("00012345678905")
    True
"""

from ecomkit.catalog import _json
from ecomkit.catalog._attributes import (
    AnyValue,
    AttributeDef,
    AttributeType,
    Option,
    PriceCollection,
    Value,
)
from ecomkit.catalog._category import Category, CategoryTree
from ecomkit.catalog._edit import (
    ProductChange,
    ProductCreated,
    ProductEdit,
    ProductEdited,
    ProductEvent,
    RemovePrice,
    RemoveValue,
    SetAvailability,
    SetBrand,
    SetCategories,
    SetCondition,
    SetEnabled,
    SetGtin,
    SetMedia,
    SetMpn,
    SetPrice,
    SetStock,
    SetValue,
    check_value,
    create_product,
    edit_product,
)
from ecomkit.catalog._gtin import GTIN_LENGTHS, Gtin, gs1_check_digit
from ecomkit.catalog._import import ImportResult, import_products, read_csv
from ecomkit.catalog._jsonld import UNECE_UNIT_CODES, group_jsonld, product_jsonld
from ecomkit.catalog._pricing import lowest_price, price_on
from ecomkit.catalog._product import (
    Availability,
    Condition,
    Image,
    Price,
    PriceChange,
    Product,
    StockLevel,
)
from ecomkit.catalog._schema import CatalogSchema, Channel, ProductType, Requirement, VariantLevel
from ecomkit.catalog._units import UNITS, Metric, Unit, UnitFamily, unit
from ecomkit.catalog._values import ResolvedValue, ValueKey, Values
from ecomkit.catalog._variants import (
    GroupChange,
    GroupCreated,
    GroupEdit,
    GroupEdited,
    ProductGroup,
    SkuTemplate,
    VariantProblem,
    check_variants,
    create_group,
    edit_group,
    generate_variants,
    raise_for_variants,
    variant_values,
)


_ = _json  # imported so the converter finds the catalog's JSON forms

__all__ = [
    "GTIN_LENGTHS",
    "UNECE_UNIT_CODES",
    "UNITS",
    "AnyValue",
    "AttributeDef",
    "AttributeType",
    "Availability",
    "CatalogSchema",
    "Category",
    "CategoryTree",
    "Channel",
    "Condition",
    "GroupChange",
    "GroupCreated",
    "GroupEdit",
    "GroupEdited",
    "Gtin",
    "Image",
    "ImportResult",
    "Metric",
    "Option",
    "Price",
    "PriceChange",
    "PriceCollection",
    "Product",
    "ProductChange",
    "ProductCreated",
    "ProductEdit",
    "ProductEdited",
    "ProductEvent",
    "ProductGroup",
    "ProductType",
    "RemovePrice",
    "RemoveValue",
    "Requirement",
    "ResolvedValue",
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
    "SkuTemplate",
    "StockLevel",
    "Unit",
    "UnitFamily",
    "Value",
    "ValueKey",
    "Values",
    "VariantLevel",
    "VariantProblem",
    "check_value",
    "check_variants",
    "create_group",
    "create_product",
    "edit_group",
    "edit_product",
    "generate_variants",
    "group_jsonld",
    "gs1_check_digit",
    "import_products",
    "lowest_price",
    "price_on",
    "product_jsonld",
    "raise_for_variants",
    "read_csv",
    "unit",
    "variant_values",
]
