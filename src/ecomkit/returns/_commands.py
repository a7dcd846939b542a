"""Commands: what a host asks a return (RMA) to do; each carries an idempotency key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.money import Money
from ecomkit.money._amount import to_member
from ecomkit.orders import IdempotencyKey, LineId, LineQuantity, OrderId
from ecomkit.orders._values import (
    check_money,
    check_quantity,
    check_text,
    optional_text_field,
    text_field,
    to_line_quantities,
)
from ecomkit.returns._evaluate import ReturnDecision
from ecomkit.returns._request import ReturnRequest
from ecomkit.returns._values import ItemCondition, RefundMethod


__all__ = [
    "AwaitItems",
    "CancelReturn",
    "CloseReturn",
    "DecideReturn",
    "ExchangeItems",
    "OpenReturn",
    "ReceiveItems",
    "ReceivedItem",
    "RefundReturn",
    "ReturnCommand",
    "ReviewReturn",
    "WriteOffItems",
]


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnCommand:
    """Base of every return command.

    Attributes:
        key: Identifies this request; the same key again returns the first outcome and
            changes nothing (on the return or on its order).
        expected_version: If given, the return must be at exactly this version.
    """

    key: IdempotencyKey = attrs.field(validator=text_field)
    expected_version: int | None = attrs.field(default=None)

    @expected_version.validator
    def _check_version(self, _attribute: object, value: object) -> None:
        if value is not None:
            check_quantity(value, field="expected_version", minimum=0)


def _request(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, ReturnRequest):
        raise InvalidTypeError(field="request", value=value, expected="ReturnRequest")


def _decision(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, ReturnDecision):
        raise InvalidTypeError(field="decision", value=value, expected="ReturnDecision")


def _lines(value: object) -> tuple[LineQuantity, ...]:
    return to_line_quantities(value)


def _approvals(value: object) -> tuple[LineQuantity, ...]:
    """Like line quantities, but a line may approve zero units."""
    if isinstance(value, Mapping):
        items = []
        for line, quantity in value.items():
            check_quantity(quantity, field=f"approve[{line!r}]", minimum=0)
            if quantity:
                items.append(LineQuantity(line_id=LineId(line), quantity=quantity))
        return tuple(items)
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return to_line_quantities(value) if tuple(value) else ()
    raise InvalidTypeError(
        field="approve", value=value, expected="a mapping of line id to quantity"
    )


@attrs.frozen(kw_only=True, weakref_slot=False)
class OpenReturn(ReturnCommand):
    """Open a return (RMA) for a customer's request; it starts as ``requested``.

    Attributes:
        request: The request.
    """

    request: ReturnRequest = attrs.field(validator=_request)


@attrs.frozen(kw_only=True, weakref_slot=False)
class DecideReturn(ReturnCommand):
    """Record the policy's decision; approved and reviewed units are reserved on the order.

    Attributes:
        decision: A decision from [`evaluate_return`][ecomkit.returns.evaluate_return] on
            this return's request.
    """

    decision: ReturnDecision = attrs.field(validator=_decision)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReviewReturn(ReturnCommand):
    """A person decides the units waiting for review; the ones not approved are declined.

    Attributes:
        approve: Units approved per line (``{line_id: quantity}``); lines left out approve
            none.
        note: The reviewer's note.
    """

    approve: tuple[LineQuantity, ...] = attrs.field(converter=_approvals)
    note: str = ""


@attrs.frozen(kw_only=True, weakref_slot=False)
class AwaitItems(ReturnCommand):
    """The customer was told how to send the items back (a label, an address).

    Attributes:
        carrier: The carrier of the return parcel, if known.
        tracking_number: Its tracking number, if known.
    """

    carrier: str | None = attrs.field(default=None, validator=optional_text_field)
    tracking_number: str | None = attrs.field(default=None, validator=optional_text_field)


def _condition(value: object) -> ItemCondition:
    return to_member(ItemCondition, value, field="condition")


def _optional_money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_money(value, field=attribute.name)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReceivedItem:
    """Units of one line received back, as the warehouse found them.

    Attributes:
        line_id: The order line.
        quantity: Units received.
        condition: Their condition.
        resellable: Whether they can go back into stock.
        diminished_value: A deduction for handling beyond what trying the goods needs
            (statutory withdrawal, art. 14(2)), if any.
    """

    line_id: LineId = attrs.field(validator=text_field)
    quantity: int = attrs.field()
    condition: ItemCondition = attrs.field(default=ItemCondition.UNOPENED, converter=_condition)
    resellable: bool = attrs.field(default=True)
    diminished_value: Money | None = attrs.field(default=None, validator=_optional_money)

    @quantity.validator
    def _check_quantity(self, _attribute: object, value: object) -> None:
        check_quantity(value, field="quantity")


def _received(value: object) -> tuple[ReceivedItem, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="items", value=value, expected="a list of ReceivedItem")
    items = tuple(value)
    if not items:
        raise InvalidValueError(field="items", value=value, reason="must name at least one line")
    seen: set[str] = set()
    for index, item in enumerate(items):
        if not isinstance(item, ReceivedItem):
            raise InvalidTypeError(field=f"items[{index}]", value=item, expected="ReceivedItem")
        if item.line_id in seen:
            raise InvalidValueError(
                field=f"items[{index}].line_id", value=item.line_id, reason="names a line twice"
            )
        seen.add(item.line_id)
    return items


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReceiveItems(ReturnCommand):
    """Units came back; the order's ``returned`` counters follow.

    Attributes:
        items: What came back, per line.
    """

    items: tuple[ReceivedItem, ...] = attrs.field(converter=_received)


@attrs.frozen(kw_only=True, weakref_slot=False)
class WriteOffItems(ReturnCommand):
    """Approved units will not come back (the customer keeps them, the parcel was lost).

    They are refunded like received units; the order's ``written_off`` counters follow.

    Attributes:
        lines: Units per line.
        reason: Why, for the log.
    """

    lines: tuple[LineQuantity, ...] = attrs.field(converter=_lines)
    reason: str = ""


def _optional_method(value: object) -> RefundMethod | None:
    return None if value is None else to_member(RefundMethod, value, field="method")


def _caps(value: object) -> tuple[tuple[str, Money], ...]:
    if isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes):
        pairs = [tuple(pair) for pair in value]
    else:
        raise InvalidTypeError(
            field="tender_caps", value=value, expected="a mapping of tender to Money"
        )
    caps: dict[str, Money] = {}
    for pair in pairs:
        if len(pair) != 2:  # noqa: PLR2004 - a (tender, cap) pair
            raise InvalidTypeError(
                field="tender_caps", value=pair, expected="a (tender, Money) pair"
            )
        tender, cap = pair
        caps[check_text(tender, field="tender_caps")] = check_money(
            cap, field=f"tender_caps[{tender!r}]"
        )
    return tuple(sorted(caps.items()))


@attrs.frozen(kw_only=True, weakref_slot=False)
class RefundReturn(ReturnCommand):
    """Pay back the units that came back (or were written off) and are not settled yet.

    The amount is worked out by [`calculate_refund`][ecomkit.returns.calculate_refund]
    with the decision's shipping terms and fees plus any diminished value found on
    receipt; the money goes to the order's payments (one ``RefundPayment`` per payment),
    or to store credit.

    Attributes:
        method: Where the money goes; the decision's method when left out. It must be
            one the decision allows.
        tender_caps: The most refunded to a tender kind (``{"card": Money(...)}``).
    """

    method: RefundMethod | None = attrs.field(default=None, converter=_optional_method)
    tender_caps: tuple[tuple[str, Money], ...] = attrs.field(factory=tuple, converter=_caps)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ExchangeItems(ReturnCommand):
    """The returned units were exchanged (another variant, a replacement or a repair).

    Attributes:
        replacement_order_id: The order that sends the replacement, if there is one.
        note: Free text.
    """

    replacement_order_id: OrderId | None = attrs.field(default=None, validator=optional_text_field)
    note: str = ""


@attrs.frozen(kw_only=True, weakref_slot=False)
class CloseReturn(ReturnCommand):
    """Close a settled or declined return."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class CancelReturn(ReturnCommand):
    """Cancel a return before anything came back; reserved units are released on the order.

    Attributes:
        reason: Why, for the log.
    """

    reason: str = ""
