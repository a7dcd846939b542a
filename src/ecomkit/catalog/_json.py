"""JSON forms of attribute values, value mappings and GTINs (used by the converter)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ecomkit.catalog._attributes import Value
from ecomkit.catalog._gtin import Gtin
from ecomkit.catalog._units import Metric
from ecomkit.catalog._values import ValueKey, Values
from ecomkit.errors import InvalidTypeError
from ecomkit.money import Money
from ecomkit.money._amount import to_decimal


__all__ = [
    "gtin_from_json",
    "gtin_to_json",
    "value_from_json",
    "value_to_json",
    "values_from_json",
    "values_to_json",
]

_EXPECTED = (
    'a string, a boolean, {"number": ...}, {"date": ...}, {"amount": ..., "unit": ...}, '
    'a list of option codes or a list of {"amount": ..., "currency": ...}'
)


def value_to_json(value: Value | int) -> Any:
    """Return the JSON form of a checked attribute value.

    Text and option codes are strings, booleans booleans, numbers ``{"number": "1.5"}``,
    dates ``{"date": "2026-03-01"}``, measurements ``{"amount": "1.5", "unit": "kg"}``,
    multi-selects lists of codes and price collections lists of money objects, so every
    value reads back as the type it was written as.
    """
    if isinstance(value, str | bool):
        return value
    if isinstance(value, Decimal | int):
        return {"number": str(value)}
    if isinstance(value, Metric):
        return {"amount": str(value.amount), "unit": value.unit}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    return [
        item
        if isinstance(item, str)
        else {"amount": str(item.amount), "currency": item.currency.code}
        for item in value
    ]


def value_from_json(data: Any) -> Value:
    """Read a value written by [`value_to_json`][ecomkit.catalog._json.value_to_json].

    Raises:
        InvalidTypeError: *data* is none of the forms.
        InvalidValueError: A number, date, unit or currency inside it is not valid.
    """
    if isinstance(data, str | bool):
        return data
    if isinstance(data, Mapping):
        keys = set(data)
        if keys == {"number"}:
            return to_decimal(data["number"], field="number")
        if keys == {"date"} and isinstance(data["date"], str):
            try:
                return dt.date.fromisoformat(data["date"])
            except ValueError:
                raise InvalidTypeError(
                    field="date", value=data["date"], expected="YYYY-MM-DD"
                ) from None
        if keys == {"amount", "unit"}:
            return Metric(data["amount"], data["unit"])
    if isinstance(data, list) and data:
        if all(isinstance(item, str) for item in data):
            return tuple(data)
        if all(isinstance(item, Mapping) and set(item) == {"amount", "currency"} for item in data):
            return tuple(Money(item["amount"], item["currency"]) for item in data)
    raise InvalidTypeError(field="value", value=data, expected=_EXPECTED)


def values_to_json(values: Values) -> list[dict[str, Any]]:
    """Return a product's values as a list of ``{"attribute", "channel"?, "locale"?, "value"}``."""
    entries: list[dict[str, Any]] = []
    for key, value in values.items():
        entry: dict[str, Any] = {"attribute": key.attribute}
        if key.channel is not None:
            entry["channel"] = key.channel
        if key.locale is not None:
            entry["locale"] = key.locale
        entry["value"] = value_to_json(value)
        entries.append(entry)
    return entries


_ENTRY_KEYS = frozenset({"attribute", "channel", "locale", "value"})


def values_from_json(data: Any) -> Values:
    """Read values written by [`values_to_json`][ecomkit.catalog._json.values_to_json].

    Raises:
        InvalidTypeError: *data* is not a list of entries, or an entry is malformed.
    """
    if not isinstance(data, list):
        raise InvalidTypeError(field="values", value=data, expected="a list of value entries")
    found: dict[ValueKey, Value] = {}
    for entry in data:
        if (
            not isinstance(entry, Mapping)
            or not {"attribute", "value"} <= set(entry) <= _ENTRY_KEYS
        ):
            raise InvalidTypeError(
                field="values",
                value=entry,
                expected='{"attribute": ..., "channel"?: ..., "locale"?: ..., "value": ...}',
            )
        key = ValueKey(entry["attribute"], entry.get("channel"), entry.get("locale"))
        found[key] = value_from_json(entry["value"])
    return Values(found)


def gtin_to_json(gtin: Gtin) -> str:
    """Return a GTIN as the digits it was written with (13 for an EAN-13)."""
    return gtin.digits


def gtin_from_json(data: Any) -> Gtin:
    """Read a GTIN string, checking it (see [`Gtin.parse`][ecomkit.catalog.Gtin.parse])."""
    return Gtin.parse(data)
