"""The ledgers of an order: priced lines with quantity counters, payments, shipments."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import attrs

from ecomkit.errors import InvalidValueError
from ecomkit.money import Money, Rounding, TaxedMoney
from ecomkit.money._amount import exact
from ecomkit.orders._values import (
    InvoiceNumber,
    LineId,
    LineQuantity,
    PaymentId,
    ShipmentId,
    ShippingLineId,
    Sku,
)


__all__ = [
    "Invoice",
    "OrderLine",
    "Payment",
    "Shipment",
    "ShipmentStatus",
    "ShippingLine",
    "portion",
]


def portion(amount: Money, part: int, whole: int, rounding: Rounding) -> Money:
    """Return the share of *amount* that *part* of *whole* units carry.

    The share of all units is *amount* itself and the share of none is zero, so counting
    units up or down never loses or invents a minor unit: the share always comes from the
    current count, never from adding up earlier rounded shares.
    """
    if part == whole:
        return amount
    if part == 0:
        return Money.zero(amount.currency)
    return (amount * part / whole).quantize(rounding=rounding)


def taxed(amount: Money, rate: Decimal, *, gross: bool, rounding: Rounding) -> TaxedMoney:
    """Return *amount* with its tax at *rate*; *gross* says whether it includes the tax."""
    if gross:
        return TaxedMoney.from_gross(amount, rate=rate, rounding=rounding)
    return TaxedMoney.from_net(amount, rate=rate, rounding=rounding)


@attrs.frozen(kw_only=True, weakref_slot=False)
class OrderLine:
    """One priced line of an order with its quantity counters.

    The amounts cover every ordered unit; the counters say what happened to the units.
    The counters form a chain and no counter can pass what the one before it allows:

    - ``cancelled + fulfilled <= quantity`` (a unit is cancelled or packed, not both)
    - ``shipped <= fulfilled``, ``delivered <= shipped``
    - ``return_requested <= delivered``
    - ``returned + written_off <= return_requested`` (a requested unit comes back or is
      written off: kept by the customer or lost on the way back)
    - ``refunded <= cancelled + returned + written_off``

    Attributes:
        line_id: The line's id within the order.
        sku: The stock keeping unit.
        name: The product name shown to the customer.
        quantity: Units ordered.
        unit_price: Price of one unit, net or gross as the order's prices are.
        tax_rate: Tax rate as a fraction (``Decimal("0.23")``).
        prices_include_tax: Whether the amounts include tax.
        rounding: How the line's shares and taxes are rounded.
        subtotal: ``unit_price * quantity``, rounded to the currency's minor units.
        discount: The line's own discounts, for all its units.
        order_discount: The line's share of the order-level discounts, for all its units.
        cancelled: Units cancelled before fulfilment.
        fulfilled: Units packed into a shipment.
        shipped: Units handed to a carrier.
        delivered: Units delivered.
        return_requested: Units the customer asked to return (open or closed requests).
        returned: Units received back.
        written_off: Requested units closed without coming back.
        refunded: Units whose price was refunded.
    """

    line_id: LineId
    sku: Sku
    name: str
    quantity: int
    unit_price: Money
    tax_rate: Decimal
    prices_include_tax: bool
    rounding: Rounding
    subtotal: Money
    discount: Money
    order_discount: Money
    cancelled: int = 0
    fulfilled: int = 0
    shipped: int = 0
    delivered: int = 0
    return_requested: int = 0
    returned: int = 0
    written_off: int = 0
    refunded: int = 0

    def __attrs_post_init__(self) -> None:
        """Refuse counters that break the chain (see the class documentation)."""
        if not (
            0 <= self.shipped <= self.fulfilled
            and self.cancelled >= 0
            and self.cancelled + self.fulfilled <= self.quantity
            and 0 <= self.delivered <= self.shipped
            and 0 <= self.return_requested <= self.delivered
            and self.returned >= 0
            and self.written_off >= 0
            and self.returned + self.written_off <= self.return_requested
            and 0 <= self.refunded <= self.cancelled + self.returned + self.written_off
        ):
            raise InvalidValueError(
                field=f"lines[{self.line_id!r}]",
                value=self.counters(),
                reason="quantity counters break the chain "
                "ordered >= cancelled + fulfilled >= shipped >= delivered >= return requested",
            )

    def counters(self) -> dict[str, int]:
        """Return every counter by name, ordered quantity first."""
        return {
            "quantity": self.quantity,
            "cancelled": self.cancelled,
            "fulfilled": self.fulfilled,
            "shipped": self.shipped,
            "delivered": self.delivered,
            "return_requested": self.return_requested,
            "returned": self.returned,
            "written_off": self.written_off,
            "refunded": self.refunded,
        }

    @property
    def active(self) -> int:
        """Units still part of the order: ``quantity - cancelled``."""
        return self.quantity - self.cancelled

    @property
    def unfulfilled(self) -> int:
        """Active units not yet in a shipment: they can still be cancelled."""
        return self.quantity - self.cancelled - self.fulfilled

    @property
    def amount(self) -> Money:
        """Price of all ordered units after every discount (net or gross as entered)."""
        return self.subtotal - self.discount - self.order_discount

    @property
    def open_return_requests(self) -> int:
        """Units requested for return that have neither come back nor been written off."""
        return self.return_requested - self.returned - self.written_off

    @property
    def refundable(self) -> int:
        """Units that may still be refunded: cancelled, returned or written off, unrefunded."""
        return self.cancelled + self.returned + self.written_off - self.refunded

    def total_for(self, units: int) -> TaxedMoney:
        """Return what *units* of this line cost after discounts, with tax.

        Discounts are shared by units, so cancelling or refunding some units takes back
        exactly their share and the shares of all units add up to the line's amount.

        Raises:
            InvalidValueError: *units* is negative or more than the line's quantity.
        """
        if not 0 <= units <= self.quantity:
            raise InvalidValueError(
                field="units",
                value=units,
                reason=f"must be between 0 and the line's quantity {self.quantity}",
            )
        amount = portion(self.amount, units, self.quantity, self.rounding)
        return taxed(amount, self.tax_rate, gross=self.prices_include_tax, rounding=self.rounding)

    @property
    def total(self) -> TaxedMoney:
        """What the active units cost after discounts, with tax."""
        return self.total_for(self.active)

    def refund_total(self, units: int) -> TaxedMoney:
        """Return what refunding the next *units* units of this line gives back, with tax.

        Refunds take shares from the top: after ``refunded`` units were refunded, the next
        *units* are worth ``total_for(quantity - refunded) - total_for(quantity - refunded -
        units)``. So consecutive partial refunds add up to exactly the line's total, and
        refunding cancelled units takes back exactly what their cancellation removed from
        the order total, rounding included.

        Raises:
            InvalidValueError: *units* is negative or more than the units not yet refunded.
        """
        left = self.quantity - self.refunded
        if not 0 <= units <= left:
            raise InvalidValueError(
                field="units",
                value=units,
                reason=f"must be between 0 and the {left} units not yet refunded",
            )
        return self.total_for(left) - self.total_for(left - units)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ShippingLine:
    """A delivery method the customer chose, with its price.

    Attributes:
        shipping_id: The shipping line's id within the order.
        method: The delivery method's name or code.
        price: The price with its tax.
        cancelled: True once the order was cancelled (the price is then no longer due).
    """

    shipping_id: ShippingLineId
    method: str
    price: TaxedMoney
    cancelled: bool = False


@attrs.frozen(kw_only=True, weakref_slot=False)
class Payment:
    """The ledger of one tender (a card, a gift card, a bank transfer) of an order.

    The amounts only grow and never pass what the step before allows:
    ``captured + voided <= authorized`` and ``refunded <= captured``.

    Attributes:
        payment_id: The payment's id within the order.
        tender: The kind of tender (``"card"``, ``"gift_card"`` ...), for refund ordering.
        authorized: Amount authorized.
        captured: Amount captured, over one or more captures.
        voided: Authorized amount released without capture.
        refunded: Captured amount paid back, over one or more refunds.
        reference: The payment provider's reference for the authorization, if known.
    """

    payment_id: PaymentId
    tender: str
    authorized: Money
    captured: Money
    voided: Money
    refunded: Money
    reference: str | None = None

    def __attrs_post_init__(self) -> None:
        """Refuse amounts that break the payment chain (see the class documentation)."""
        currency = self.authorized.currency
        captured = self.captured.amount
        voided = self.voided.amount
        refunded = self.refunded.amount
        if (
            self.captured.currency is not currency
            or self.voided.currency is not currency
            or self.refunded.currency is not currency
            or captured < 0
            or voided < 0
            or refunded < 0
            or exact.add(captured, voided) > self.authorized.amount
            or refunded > captured
        ):
            raise InvalidValueError(
                field=f"payments[{self.payment_id!r}]",
                value=(self.authorized, self.captured, self.voided, self.refunded),
                reason="amounts must share one currency and keep "
                "captured + voided <= authorized and refunded <= captured",
            )

    @property
    def open(self) -> Money:
        """Authorized amount neither captured nor voided."""
        return self.authorized - self.captured - self.voided

    @property
    def refundable(self) -> Money:
        """Captured amount not yet refunded."""
        return self.captured - self.refunded


class ShipmentStatus(enum.StrEnum):
    """Where a shipment is."""

    PENDING = "pending"
    """Packed, not yet handed to the carrier."""
    SHIPPED = "shipped"
    """Handed to the carrier."""
    DELIVERED = "delivered"
    """Delivered to the customer."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class Shipment:
    """A parcel: which units of which lines it carries, and where it is.

    Attributes:
        shipment_id: The shipment's id within the order.
        lines: The units it carries.
        carrier: The carrier's name or code, once known.
        tracking_number: The carrier's tracking number, once known.
        promised_delivery_on: The delivery date promised to the customer.
        created_at: When it was packed.
        shipped_at: When it was handed to the carrier.
        delivered_at: When it was delivered.
    """

    shipment_id: ShipmentId
    lines: tuple[LineQuantity, ...]
    carrier: str | None
    tracking_number: str | None
    promised_delivery_on: dt.date | None
    created_at: dt.datetime
    shipped_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None

    @property
    def status(self) -> ShipmentStatus:
        """Pending, shipped or delivered."""
        if self.delivered_at is not None:
            return ShipmentStatus.DELIVERED
        if self.shipped_at is not None:
            return ShipmentStatus.SHIPPED
        return ShipmentStatus.PENDING

    @property
    def units(self) -> int:
        """How many units it carries in all."""
        return sum(item.quantity for item in self.lines)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Invoice:
    """An invoice issued for the order by the host's invoicing system.

    Attributes:
        invoice_number: The number the invoicing system gave it.
        issued_at: When it was issued.
    """

    invoice_number: InvoiceNumber
    issued_at: dt.datetime
