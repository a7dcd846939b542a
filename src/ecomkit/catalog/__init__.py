"""Catalog: the product data model and its identifiers.

[`Gtin`][ecomkit.catalog.Gtin] reads GS1 Global Trade Item Numbers (GTIN-8, -12, -13 and
-14), checks the check digit, keeps the 14-digit form GS1 compares them in, and flags
restricted-circulation and coupon prefixes that marketplaces refuse as product identifiers.

Examples:
    >>> Gtin.parse("0012345678905").gtin14
    '00012345678905'
    >>> Gtin.parse("012345678905") == Gtin.parse("00012345678905")
    True
"""

from ecomkit.catalog._gtin import GTIN_LENGTHS, Gtin, gs1_check_digit


__all__ = ["GTIN_LENGTHS", "Gtin", "gs1_check_digit"]
