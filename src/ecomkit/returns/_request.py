"""What the customer asks for: a return request and its lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.money._amount import to_member
from ecomkit.orders import LineId, ReturnId, Sku
from ecomkit.orders._values import (
    check_aware,
    check_optional_aware,
    check_quantity,
    check_text,
    optional_text_field,
    text_field,
)
from ecomkit.returns._values import ItemCondition, ItemTrait, RefundMethod, Remedy, ReturnKind


__all__ = ["ReturnLine", "ReturnRequest"]


def texts(value: object, *, field: str) -> tuple[str, ...]:
    """Return the distinct, sorted non-blank strings of the iterable *value*.

    Raises:
        InvalidTypeError: *value* is a string or not iterable, or an item is not a string.
        InvalidValueError: An item is blank.
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field=field, value=value, expected="a list of strings")
    return tuple(sorted({check_text(item, field=field) for item in value}))


def _traits(value: object) -> tuple[ItemTrait, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="traits", value=value, expected="a list of ItemTrait")
    return tuple(sorted({to_member(ItemTrait, item, field="traits") for item in value}))


def _categories(value: object) -> tuple[str, ...]:
    return texts(value, field="categories")


def _condition(value: object) -> ItemCondition:
    return to_member(ItemCondition, value, field="condition")


def _optional_remedy(value: object) -> Remedy | None:
    return None if value is None else to_member(Remedy, value, field="remedy")


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnLine:
    """Units of one order line the customer wants to return, with the facts rules read.

    The order knows prices and quantities; the facts about the goods (their categories,
    whether they are personalised or perishable) and about this return (the condition, the
    reason) come with the request, because they live in the host's catalog and forms.

    Attributes:
        line_id: The order line.
        quantity: How many of its units (at least 1).
        condition: The condition the customer declares (unopened by default).
        reason: The customer's reason code (``"size_too_small"``), if any.
        traits: Facts about the goods that exceptions and final-sale rules read.
        categories: The product's category codes, for rules scoped by category.
        product_id: The product's code, for rules scoped by product (defaults to the SKU).
        remedy: For a complaint, what the customer asks for.
        exchange_for: For an exchange, the SKU the customer wants instead.
    """

    line_id: LineId = attrs.field(validator=text_field)
    quantity: int = attrs.field()
    condition: ItemCondition = attrs.field(default=ItemCondition.UNOPENED, converter=_condition)
    reason: str | None = attrs.field(default=None, validator=optional_text_field)
    traits: tuple[ItemTrait, ...] = attrs.field(default=(), converter=_traits)
    categories: tuple[str, ...] = attrs.field(default=(), converter=_categories)
    product_id: str | None = attrs.field(default=None, validator=optional_text_field)
    remedy: Remedy | None = attrs.field(default=None, converter=_optional_remedy)
    exchange_for: Sku | None = attrs.field(default=None, validator=optional_text_field)

    @quantity.validator
    def _check_quantity(self, _attribute: object, value: object) -> None:
        check_quantity(value, field="quantity")

    def has(self, trait: ItemTrait) -> bool:
        """Return whether the goods have *trait*."""
        return trait in self.traits


def _lines(value: object) -> tuple[ReturnLine, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="lines", value=value, expected="a list of ReturnLine")
    lines = tuple(value)
    if not lines:
        raise InvalidValueError(field="lines", value=value, reason="must name at least one line")
    seen: set[str] = set()
    for index, line in enumerate(lines):
        if not isinstance(line, ReturnLine):
            raise InvalidTypeError(field=f"lines[{index}]", value=line, expected="ReturnLine")
        if line.line_id in seen:
            raise InvalidValueError(
                field=f"lines[{index}].line_id",
                value=line.line_id,
                reason="names a line twice; give its total quantity once",
            )
        seen.add(line.line_id)
    return lines


def _kind(value: object) -> ReturnKind:
    return to_member(ReturnKind, value, field="kind")


def _method(value: object) -> RefundMethod:
    return to_member(RefundMethod, value, field="refund_method")


def _aware(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_aware(value, field=attribute.name)


def _optional_aware(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_optional_aware(value, field=attribute.name)


def optional_country(value: object) -> str | None:
    """Return an ISO 3166 alpha-2 code in capitals, or ``None``; refuse anything else."""
    if value is None:
        return None
    text = check_text(value, field="country")
    if len(text) != 2 or not text.isascii() or not text.isalpha():  # noqa: PLR2004
        raise InvalidValueError(
            field="country", value=value, reason="must be an ISO 3166 alpha-2 code such as 'PL'"
        )
    return text.upper()


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnRequest:
    """A customer's request to return units of one order.

    Attributes:
        return_id: The return's id (the RMA number).
        kind: Statutory withdrawal, voluntary return or complaint.
        lines: The units and their facts, at most one entry per order line.
        requested_at: When the request (the withdrawal notice, the complaint) was made.
        refund_method: Where the customer wants the money (original payment by default).
        customer_group: The customer's group, for rules scoped by group.
        country: The customer's country (ISO 3166 alpha-2); defaults to the order's
            shipping address.
        withdrawal_informed: Whether the customer was told of the right of withdrawal
            when the contract was made. If not, the withdrawal period is extended.
        withdrawal_informed_at: When the customer was told afterwards, if they were
            (the period then ends 14 days after that day).
        note: Free text from the customer.

    Raises:
        InvalidValueError: No lines, a line named twice, a bad country code, or
            ``withdrawal_informed_at`` given although ``withdrawal_informed`` is true.
        NaiveDateTimeError: A time has no timezone.
    """

    return_id: ReturnId = attrs.field(validator=text_field)
    kind: ReturnKind = attrs.field(converter=_kind)
    lines: tuple[ReturnLine, ...] = attrs.field(converter=_lines)
    requested_at: dt.datetime = attrs.field(validator=_aware)
    refund_method: RefundMethod = attrs.field(
        default=RefundMethod.ORIGINAL_PAYMENT, converter=_method
    )
    customer_group: str | None = attrs.field(default=None, validator=optional_text_field)
    country: str | None = attrs.field(default=None, converter=optional_country)
    withdrawal_informed: bool = attrs.field(default=True)
    withdrawal_informed_at: dt.datetime | None = attrs.field(
        default=None, validator=_optional_aware
    )
    note: str = attrs.field(default="")

    @withdrawal_informed.validator
    def _check_informed(self, _attribute: object, value: object) -> None:
        if not isinstance(value, bool):
            raise InvalidTypeError(field="withdrawal_informed", value=value, expected="bool")

    @note.validator
    def _check_note(self, _attribute: object, value: object) -> None:
        if not isinstance(value, str):
            raise InvalidTypeError(field="note", value=value, expected="str")

    def __attrs_post_init__(self) -> None:
        """Refuse a late-information time for a customer who was informed on time."""
        if self.withdrawal_informed and self.withdrawal_informed_at is not None:
            raise InvalidValueError(
                field="withdrawal_informed_at",
                value=self.withdrawal_informed_at,
                reason="is only for a customer informed late; set withdrawal_informed=False",
            )

    def line(self, line_id: str) -> ReturnLine:
        """Return the request line for *line_id*.

        Raises:
            InvalidValueError: The request has no such line.
        """
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise InvalidValueError(
            field="line_id", value=line_id, reason=f"return {self.return_id!r} has no such line"
        )
