"""Commands: what a caller asks an order to do. Each is a frozen value with an idempotency key."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.money import Money
from ecomkit.orders._spec import OrderSpec
from ecomkit.orders._values import (
    CancellationReason,
    IdempotencyKey,
    InvoiceNumber,
    LineQuantity,
    PaymentId,
    ReturnId,
    ShipmentId,
    check_money,
    check_quantity,
    optional_date_field,
    optional_text_field,
    positive_money_field,
    text_field,
    to_line_quantities,
)


__all__ = [
    "AuthorizePayment",
    "CancelLines",
    "CancelOrder",
    "CancelReturnRequest",
    "CapturePayment",
    "CloseOrder",
    "CompleteOrder",
    "ConfirmDelivery",
    "ConfirmOrder",
    "CreateDraft",
    "CreditLines",
    "FulfilLines",
    "HoldOrder",
    "IssueInvoice",
    "OrderCommand",
    "PlaceOrder",
    "ReceiveReturn",
    "RefundPayment",
    "ReleaseOrder",
    "RequestReturn",
    "ShipShipment",
    "UpdateDraft",
    "VoidPayment",
    "WriteOffLines",
]


def _optional_positive_money(
    _instance: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None:
        check_money(value, field=attribute.name, positive=True)


def _spec(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, OrderSpec):
        raise InvalidTypeError(field=attribute.name, value=value, expected="OrderSpec")


def _reason(value: object) -> CancellationReason:
    if isinstance(value, CancellationReason):
        return value
    from ecomkit.money._amount import to_member  # noqa: PLC0415 - cold path

    return to_member(CancellationReason, value, field="reason")


def _lines(value: object) -> tuple[LineQuantity, ...]:
    return to_line_quantities(value)


def _optional_lines(value: object) -> tuple[LineQuantity, ...]:
    return to_line_quantities(value) if value else ()


@attrs.frozen(kw_only=True, weakref_slot=False)
class OrderCommand:
    """Base of every order command.

    Attributes:
        key: Identifies this request. Sending a command again with the same key returns the
            first outcome and changes nothing, so callers can retry safely.
        expected_version: If given, the order must be at exactly this version (optimistic
            concurrency); otherwise [`VersionConflictError`][ecomkit.errors.VersionConflictError].
    """

    key: IdempotencyKey = attrs.field(validator=text_field)
    expected_version: int | None = attrs.field(default=None)

    @expected_version.validator
    def _check_version(self, _attribute: object, value: object) -> None:
        if value is not None:
            check_quantity(value, field="expected_version", minimum=0)


@attrs.frozen(kw_only=True, weakref_slot=False)
class CreateDraft(OrderCommand):
    """Start a draft order (staff-built order, unpaid checkout); applied to ``None``.

    Attributes:
        spec: What the order is made of.
    """

    spec: OrderSpec = attrs.field(validator=_spec)


@attrs.frozen(kw_only=True, weakref_slot=False)
class UpdateDraft(OrderCommand):
    """Replace a draft's contents (lines, shipping, discounts, addresses).

    Attributes:
        spec: The new contents; its ``order_id`` must be the draft's.
    """

    spec: OrderSpec = attrs.field(validator=_spec)


@attrs.frozen(kw_only=True, weakref_slot=False)
class PlaceOrder(OrderCommand):
    """Place an order: a new one from *spec* (applied to ``None``), or a draft (no *spec*).

    Attributes:
        spec: What the order is made of; ``None`` when placing an existing draft.
    """

    spec: OrderSpec | None = attrs.field(default=None)

    @spec.validator
    def _check_spec(self, attribute: attrs.Attribute[OrderSpec | None], value: object) -> None:
        if value is not None:
            _spec(self, attribute, value)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ConfirmOrder(OrderCommand):
    """Confirm a placed order (the store accepts it); it moves to processing.

    Attributes:
        unpaid_ok: Confirm although the payment does not cover the total yet (cash on
            delivery, invoice payment). Without it, the payment must be authorized or paid.
    """

    unpaid_ok: bool = attrs.field(default=False)

    @unpaid_ok.validator
    def _check_unpaid_ok(self, _attribute: object, value: object) -> None:
        if not isinstance(value, bool):
            raise InvalidTypeError(field="unpaid_ok", value=value, expected="bool")


@attrs.frozen(kw_only=True, weakref_slot=False)
class HoldOrder(OrderCommand):
    """Put an order on hold: fulfilment stops until it is released.

    Attributes:
        reason: Why (fraud review, address check ...), for the event log.
    """

    reason: str = attrs.field(validator=text_field)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReleaseOrder(OrderCommand):
    """Release an order from hold; it returns to the status it was held in."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class CancelOrder(OrderCommand):
    """Cancel a whole order before anything was packed; every remaining unit is cancelled.

    Captured money must have been refunded and open authorizations voided first, so that
    cancelling never leaves money in limbo.

    Attributes:
        reason: Why, as a [`CancellationReason`][ecomkit.orders.CancellationReason].
        note: Free text for staff.
    """

    reason: CancellationReason = attrs.field(default=CancellationReason.CUSTOMER, converter=_reason)
    note: str = ""


@attrs.frozen(kw_only=True, weakref_slot=False)
class CompleteOrder(OrderCommand):
    """Complete an order: every active unit has shipped and the payment is settled."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class CloseOrder(OrderCommand):
    """Close (archive) a completed order; nothing can change after this."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class CancelLines(OrderCommand):
    """Cancel some units of some lines that have not been packed yet.

    Attributes:
        lines: ``{line_id: quantity}`` or ``LineQuantity`` items.
    """

    lines: tuple[LineQuantity, ...] = attrs.field(converter=_lines)


@attrs.frozen(kw_only=True, weakref_slot=False)
class AuthorizePayment(OrderCommand):
    """Record an authorization on a new payment (one tender).

    Attributes:
        payment_id: A new payment id for this order.
        amount: The amount authorized; it may not exceed what is still outstanding.
        tender: The kind of tender (``"card"``, ``"gift_card"``, ``"bank_transfer"`` ...).
        reference: The payment provider's reference for the authorization, if there is one;
            services pass it back to the gateway to capture, void or refund.
    """

    payment_id: PaymentId = attrs.field(validator=text_field)
    amount: Money = attrs.field(validator=positive_money_field)
    tender: str = attrs.field(default="card", validator=text_field)
    reference: str | None = attrs.field(default=None, validator=optional_text_field)


@attrs.frozen(kw_only=True, weakref_slot=False)
class CapturePayment(OrderCommand):
    """Capture authorized money, all at once or in parts.

    Attributes:
        payment_id: The payment to capture on.
        amount: How much; ``None`` captures everything still open on the payment.
    """

    payment_id: PaymentId = attrs.field(validator=text_field)
    amount: Money | None = attrs.field(default=None, validator=_optional_positive_money)


@attrs.frozen(kw_only=True, weakref_slot=False)
class VoidPayment(OrderCommand):
    """Release everything still open (authorized, not captured) on a payment.

    Attributes:
        payment_id: The payment to void.
    """

    payment_id: PaymentId = attrs.field(validator=text_field)


def _part_of_amount(shipping: Money | None, amount: Money) -> None:
    """Refuse a delivery part that is larger than the amount or in another currency."""
    if shipping is not None and (shipping.currency is not amount.currency or shipping > amount):
        raise InvalidValueError(
            field="shipping",
            value=shipping,
            reason=f"must be part of the amount {amount}, in its currency",
        )


@attrs.frozen(kw_only=True, weakref_slot=False)
class RefundPayment(OrderCommand):
    """Pay captured money back, in one or more refunds, per payment.

    Attributes:
        payment_id: The payment to refund on.
        amount: How much; at most what was captured and not yet refunded on this payment.
        lines: The units this refund pays for, if it is for units (cancelled, returned or
            written off); empty for a refund of shipping or a goodwill gesture.
        reason: Free text for the event log.
        shipping: The part of *amount* that pays back delivery, if any. The order keeps
            count ([`Order.shipping_refunded`][ecomkit.orders.Order.shipping_refunded]), so
            delivery is never refunded beyond its price.
    """

    payment_id: PaymentId = attrs.field(validator=text_field)
    amount: Money = attrs.field(validator=positive_money_field)
    lines: tuple[LineQuantity, ...] = attrs.field(default=(), converter=_optional_lines)
    reason: str = ""
    shipping: Money | None = attrs.field(default=None, validator=_optional_positive_money)

    @shipping.validator
    def _check_shipping(self, _attribute: object, value: Money | None) -> None:
        _part_of_amount(value, self.amount)


@attrs.frozen(kw_only=True, weakref_slot=False)
class FulfilLines(OrderCommand):
    """Pack units into a new shipment (a parcel); they can no longer be cancelled.

    Attributes:
        shipment_id: A new shipment id for this order.
        lines: The units it carries: ``{line_id: quantity}`` or ``LineQuantity`` items.
        carrier: The carrier, if already known.
        tracking_number: The tracking number, if already known.
        promised_delivery_on: The delivery date promised to the customer.
    """

    shipment_id: ShipmentId = attrs.field(validator=text_field)
    lines: tuple[LineQuantity, ...] = attrs.field(converter=_lines)
    carrier: str | None = attrs.field(default=None, validator=optional_text_field)
    tracking_number: str | None = attrs.field(default=None, validator=optional_text_field)
    promised_delivery_on: dt.date | None = attrs.field(default=None, validator=optional_date_field)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ShipShipment(OrderCommand):
    """Hand a packed shipment to the carrier.

    Attributes:
        shipment_id: The shipment.
        carrier: The carrier, if not given when packing (or to correct it).
        tracking_number: The tracking number, if not given when packing.
    """

    shipment_id: ShipmentId = attrs.field(validator=text_field)
    carrier: str | None = attrs.field(default=None, validator=optional_text_field)
    tracking_number: str | None = attrs.field(default=None, validator=optional_text_field)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ConfirmDelivery(OrderCommand):
    """Record that a shipped shipment was delivered.

    Attributes:
        shipment_id: The shipment.
    """

    shipment_id: ShipmentId = attrs.field(validator=text_field)


@attrs.frozen(kw_only=True, weakref_slot=False)
class IssueInvoice(OrderCommand):
    """Record that an invoice was issued for the order.

    Attributes:
        invoice_number: The number the invoicing system gave it.
    """

    invoice_number: InvoiceNumber = attrs.field(validator=text_field)


@attrs.frozen(kw_only=True, weakref_slot=False)
class RequestReturn(OrderCommand):
    """Record a customer's request to return delivered units.

    Attributes:
        lines: The units: ``{line_id: quantity}`` or ``LineQuantity`` items.
        return_id: The return (RMA) it belongs to, if the host tracks one.
    """

    lines: tuple[LineQuantity, ...] = attrs.field(converter=_lines)
    return_id: ReturnId | None = attrs.field(default=None, validator=optional_text_field)


@attrs.frozen(kw_only=True, weakref_slot=False)
class CancelReturnRequest(OrderCommand):
    """Withdraw requested units that have not come back yet.

    Attributes:
        lines: The units: ``{line_id: quantity}`` or ``LineQuantity`` items.
        return_id: The return (RMA) it belongs to, if the host tracks one.
    """

    lines: tuple[LineQuantity, ...] = attrs.field(converter=_lines)
    return_id: ReturnId | None = attrs.field(default=None, validator=optional_text_field)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReceiveReturn(OrderCommand):
    """Record requested units received back at the warehouse.

    Attributes:
        lines: The units: ``{line_id: quantity}`` or ``LineQuantity`` items.
        return_id: The return (RMA) it belongs to, if the host tracks one.
    """

    lines: tuple[LineQuantity, ...] = attrs.field(converter=_lines)
    return_id: ReturnId | None = attrs.field(default=None, validator=optional_text_field)


@attrs.frozen(kw_only=True, weakref_slot=False)
class WriteOffLines(OrderCommand):
    """Close requested units without getting them back (kept by the customer, lost).

    Attributes:
        lines: The units: ``{line_id: quantity}`` or ``LineQuantity`` items.
        return_id: The return (RMA) it belongs to, if the host tracks one.
        reason: Free text for the event log.
    """

    lines: tuple[LineQuantity, ...] = attrs.field(converter=_lines)
    return_id: ReturnId | None = attrs.field(default=None, validator=optional_text_field)
    reason: str = ""


def _non_negative_money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_money(value, field=attribute.name)


@attrs.frozen(kw_only=True, weakref_slot=False)
class CreditLines(OrderCommand):
    """Record units settled outside the order's payments.

    For units paid back as store credit, exchanged for another item, or whose refund the
    fees took entirely: they count as refunded on their lines, so no later refund can pay
    for them again, but no payment changes.

    Attributes:
        lines: The units: ``{line_id: quantity}`` or ``LineQuantity`` items.
        amount: What the customer was credited (zero for an exchange).
        shipping: The part of *amount* that pays back delivery, if any.
        reason: Free text for the event log.
    """

    lines: tuple[LineQuantity, ...] = attrs.field(converter=_lines)
    amount: Money = attrs.field(validator=_non_negative_money)
    shipping: Money | None = attrs.field(default=None, validator=_optional_positive_money)
    reason: str = ""

    @shipping.validator
    def _check_shipping(self, _attribute: object, value: Money | None) -> None:
        _part_of_amount(value, self.amount)
