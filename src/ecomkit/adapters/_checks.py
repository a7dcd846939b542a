"""Input checks both reference adapters share, so both raise the same errors."""

from __future__ import annotations

from ecomkit.catalog import ProductEvent
from ecomkit.errors import InvalidTypeError, InvalidValueError


__all__ = ["check_count", "check_id", "check_product_event"]


def check_id(value: object, *, field: str) -> str:
    """Return *value* if it is a ``str`` (an order id, a return id, a SKU)."""
    if not isinstance(value, str):
        raise InvalidTypeError(field=field, value=value, expected="str")
    return value


def check_count(value: object, *, field: str) -> int:
    """Return *value* if it is an ``int`` >= 0 (not a ``bool``): a version, a position."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field=field, value=value, expected="int")
    if value < 0:
        raise InvalidValueError(field=field, value=value, reason="must not be negative")
    return value


def check_product_event(event: object, product: object, *, base: int) -> ProductEvent:
    """Return *event* if it records this change of *product* (above version *base*).

    Raises:
        InvalidTypeError: *event* is not a product event.
        InvalidValueError: It is another product's, or its version is not above *base* and
            at most the product's.
    """
    if not isinstance(event, ProductEvent):
        raise InvalidTypeError(
            field="event", value=event, expected="a ProductEvent (ProductCreated, ProductEdited)"
        )
    sku = getattr(product, "sku", None)
    version = getattr(product, "version", 0)
    if getattr(event, "sku", None) != sku:
        raise InvalidValueError(field="event", value=event, reason=f"must be an event of {sku!r}")
    event_version = getattr(event, "version", None)
    if not isinstance(event_version, int) or not base < event_version <= version:
        raise InvalidValueError(
            field="event",
            value=event,
            reason=f"its version must be above {base} and at most the product's {version}",
        )
    return event
