"""Identifiers, small value types and the validators the order model shares."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any, Final, NewType

import attrs

from ecomkit.errors import InvalidTypeError, InvalidValueError, NaiveDateTimeError
from ecomkit.money import Money
from ecomkit.money._amount import to_int


__all__ = [
    "CancellationReason",
    "ChannelId",
    "CustomerId",
    "IdempotencyKey",
    "InvoiceNumber",
    "LineId",
    "LineQuantity",
    "OrderId",
    "PaymentId",
    "ReturnId",
    "ShipmentId",
    "ShippingLineId",
    "Sku",
    "to_line_quantities",
]

OrderId = NewType("OrderId", str)
"""Identifies an order."""
LineId = NewType("LineId", str)
"""Identifies a line within an order."""
ShippingLineId = NewType("ShippingLineId", str)
"""Identifies a shipping line (a delivery method and its price) within an order."""
PaymentId = NewType("PaymentId", str)
"""Identifies one payment (one tender: a card, a gift card ...) of an order."""
ShipmentId = NewType("ShipmentId", str)
"""Identifies a shipment of an order."""
ReturnId = NewType("ReturnId", str)
"""Identifies a return (RMA) of an order."""
CustomerId = NewType("CustomerId", str)
"""Identifies a customer."""
ChannelId = NewType("ChannelId", str)
"""Identifies a sales channel (web shop, marketplace, point of sale)."""
Sku = NewType("Sku", str)
"""A stock keeping unit code."""
InvoiceNumber = NewType("InvoiceNumber", str)
"""An invoice number as the host's invoicing system issued it."""
IdempotencyKey = NewType("IdempotencyKey", str)
"""Identifies one request; the same key twice means the same request sent again."""

_MAX_TEXT: Final = 255


class CancellationReason(enum.StrEnum):
    """Why an order was cancelled."""

    CUSTOMER = "customer"
    """The customer asked for it."""
    FRAUD = "fraud"
    """The order was judged fraudulent."""
    UNAVAILABLE = "unavailable"
    """The goods could not be supplied (a marketplace's "unavailable")."""
    PAYMENT_DECLINED = "payment_declined"
    """The payment never went through."""
    OTHER = "other"
    """Any other reason; say which in the note."""


def check_text(value: object, *, field: str, limit: int = _MAX_TEXT) -> str:
    """Return *value* if it is a non-blank string of at most *limit* characters.

    Raises:
        InvalidTypeError: *value* is not a string.
        InvalidValueError: *value* is blank, too long, or not valid Unicode text (a lone
            surrogate, left by decoding bytes with ``surrogateescape``), which no JSON
            document or database column can hold.
    """
    if not isinstance(value, str):
        raise InvalidTypeError(field=field, value=value, expected="str")
    if not value.strip():
        raise InvalidValueError(field=field, value=value, reason="must not be blank")
    if len(value) > limit:
        raise InvalidValueError(field=field, value=value, reason=f"longer than {limit} characters")
    if not value.isascii():
        _check_unicode(value, field=field)
    return value


def _check_unicode(value: str, *, field: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidValueError(
            field=field,
            value=value,
            reason=(
                f"is not valid Unicode text: a lone surrogate {value[error.start]!r} at "
                f"position {error.start}; decode the source bytes with their real encoding"
            ),
        ) from None


def check_optional_text(value: object, *, field: str) -> str | None:
    """Return *value* if it is ``None`` or a valid string (see `check_text`)."""
    return None if value is None else check_text(value, field=field)


def text_field(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: the field holds a non-blank string (see `check_text`)."""
    check_text(value, field=attribute.name)


def optional_text_field(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: the field holds ``None`` or a non-blank string."""
    check_optional_text(value, field=attribute.name)


def positive_money_field(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: the field holds a positive ``Money`` (see `check_money`)."""
    check_money(value, field=attribute.name, positive=True)


def optional_date_field(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: the field holds ``None`` or a calendar date (not a datetime)."""
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise InvalidTypeError(field=attribute.name, value=value, expected="a date or None")


def units(count: int) -> str:
    """Return ``"1 unit"`` or ``"<count> units"`` for messages."""
    return f"{count} unit" if count == 1 else f"{count} units"


def check_quantity(value: object, *, field: str, minimum: int = 1) -> int:
    """Return *value* if it is an ``int`` of at least *minimum*.

    Raises:
        InvalidTypeError: *value* is not an ``int`` (floats and bools included).
        InvalidValueError: *value* is below *minimum*.
    """
    number = to_int(value, field=field)
    if number < minimum:
        raise InvalidValueError(field=field, value=value, reason=f"must be at least {minimum}")
    return number


def check_money(value: object, *, field: str, positive: bool = False) -> Money:
    """Return *value* if it is a non-negative ``Money`` (strictly positive if asked).

    Raises:
        InvalidTypeError: *value* is not ``Money``.
        InvalidValueError: *value* is negative, or zero when *positive* is true.
    """
    if not isinstance(value, Money):
        raise InvalidTypeError(field=field, value=value, expected="Money")
    if value.is_negative() or (positive and value.is_zero()):
        reason = "must be positive" if positive else "must not be negative"
        raise InvalidValueError(field=field, value=value, reason=reason)
    return value


def check_aware(value: object, *, field: str) -> dt.datetime:
    """Return *value* if it is a timezone-aware ``datetime``.

    Raises:
        InvalidTypeError: *value* is not a ``datetime``.
        NaiveDateTimeError: *value* has no timezone.
    """
    if not isinstance(value, dt.datetime):
        raise InvalidTypeError(field=field, value=value, expected="a timezone-aware datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDateTimeError(field=field, value=value)
    return value


def check_optional_aware(value: object, *, field: str) -> dt.datetime | None:
    """Return *value* if it is ``None`` or a timezone-aware ``datetime``."""
    return None if value is None else check_aware(value, field=field)


@attrs.frozen(kw_only=True, weakref_slot=False)
class LineQuantity:
    """A number of units of one order line, as commands and shipments carry them.

    Attributes:
        line_id: The line.
        quantity: How many of its units (at least 1).

    Examples:
        >>> LineQuantity(line_id=LineId("l1"), quantity=2)
        LineQuantity(line_id='l1', quantity=2)
    """

    line_id: LineId = attrs.field()
    quantity: int = attrs.field()

    @line_id.validator
    def _check_line_id(self, _attribute: object, value: object) -> None:
        check_text(value, field="line_id")

    @quantity.validator
    def _check_quantity(self, _attribute: object, value: object) -> None:
        check_quantity(value, field="quantity")


def to_line_quantities(value: object) -> tuple[LineQuantity, ...]:
    """Return line quantities from a mapping ``{line_id: quantity}`` or an iterable of them.

    Raises:
        InvalidTypeError: *value* is neither, or an item is not a ``LineQuantity``.
        InvalidValueError: *value* is empty, names a line twice or has a bad quantity.
    """
    if isinstance(value, Mapping):
        items = tuple(
            LineQuantity(line_id=LineId(check_text(line, field="lines")), quantity=quantity)
            for line, quantity in value.items()
        )
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes):
        items = tuple(value)
        for index, item in enumerate(items):
            if not isinstance(item, LineQuantity):
                raise InvalidTypeError(field=f"lines[{index}]", value=item, expected="LineQuantity")
    else:
        raise InvalidTypeError(
            field="lines",
            value=value,
            expected="a mapping of line id to quantity, or LineQuantity items",
        )
    if not items:
        raise InvalidValueError(field="lines", value=value, reason="must name at least one line")
    seen: set[str] = set()
    for item in items:
        if item.line_id in seen:
            raise InvalidValueError(
                field="lines", value=value, reason=f"names line {item.line_id!r} twice"
            )
        seen.add(item.line_id)
    return items
