"""What an order is made of when it is placed: lines, shipping, discounts, addresses, pricing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

import attrs

from ecomkit.errors import CurrencyMismatchError, InvalidTypeError, InvalidValueError
from ecomkit.money import AllocationStrategy, Currency, Money, Rounding, TaxedMoney, allocate
from ecomkit.money._amount import to_member
from ecomkit.money._taxed import to_rate
from ecomkit.orders._ledger import OrderLine, ShippingLine, taxed
from ecomkit.orders._values import (
    ChannelId,
    CustomerId,
    LineId,
    OrderId,
    ShippingLineId,
    Sku,
    check_money,
    check_optional_aware,
    check_quantity,
    check_text,
    optional_text_field,
    text_field,
)


__all__ = ["Address", "DiscountSpec", "LineSpec", "OrderSpec", "Priced", "ShippingSpec"]

_COUNTRY: Final = re.compile(r"[A-Z]{2}")
_ZERO: Final = Decimal(0)


def _plain_text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise InvalidTypeError(field=attribute.name, value=value, expected="str")


def _items(value: object, field: str) -> tuple[Any, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field=field, value=value, expected="a list or tuple")
    return tuple(value)


def _line_specs(value: Iterable[LineSpec]) -> tuple[LineSpec, ...]:
    return _items(value, "lines")


def _shipping_specs(value: Iterable[ShippingSpec]) -> tuple[ShippingSpec, ...]:
    return _items(value, "shipping")


def _discount_specs(value: Iterable[DiscountSpec]) -> tuple[DiscountSpec, ...]:
    return _items(value, "discounts")


def _rounding(value: object) -> Rounding:
    return to_member(Rounding, value, field="rounding")


def _strategy(value: object) -> AllocationStrategy:
    return to_member(AllocationStrategy, value, field="discount_allocation")


def _rate(value: object) -> Decimal:
    return to_rate(value, field="tax_rate")


@attrs.frozen(kw_only=True, weakref_slot=False)
class Address:
    """A postal address.

    Attributes:
        name: The recipient.
        line1: Street and number.
        line2: Anything else (flat, floor, company); may be empty.
        city: The city.
        postal_code: The postal code as written in the country.
        country_code: ISO 3166-1 alpha-2 code in capitals (``"PL"``).
        region: State, province or voivodeship where the country uses one.
        phone: A contact phone number.
    """

    name: str = attrs.field(validator=text_field)
    line1: str = attrs.field(validator=text_field)
    city: str = attrs.field(validator=text_field)
    postal_code: str = attrs.field(validator=_plain_text)
    country_code: str = attrs.field()
    line2: str = attrs.field(default="", validator=_plain_text)
    region: str = attrs.field(default="", validator=_plain_text)
    phone: str = attrs.field(default="", validator=_plain_text)

    @country_code.validator
    def _check_country(self, _attribute: object, value: object) -> None:
        if not isinstance(value, str) or not _COUNTRY.fullmatch(value):
            raise InvalidValueError(
                field="country_code",
                value=value,
                reason="must be an ISO 3166-1 alpha-2 code in capitals such as 'PL'",
            )


@attrs.frozen(kw_only=True, weakref_slot=False)
class LineSpec:
    """A line as the customer ordered it.

    Attributes:
        line_id: The line's id, unique within the order.
        sku: The stock keeping unit.
        quantity: Units ordered (at least 1).
        unit_price: Price of one unit (net or gross, as the order's ``prices_include_tax``).
        tax_rate: Tax rate as a fraction, ``Decimal("0.23")`` for 23 %; zero by default.
        name: The product name shown to the customer.
    """

    line_id: LineId = attrs.field(validator=text_field)
    sku: Sku = attrs.field(validator=text_field)
    quantity: int = attrs.field()
    unit_price: Money = attrs.field()
    tax_rate: Decimal = attrs.field(default=_ZERO, converter=_rate)
    name: str = attrs.field(default="", validator=_plain_text)

    @quantity.validator
    def _check_quantity(self, _attribute: object, value: object) -> None:
        check_quantity(value, field="quantity")

    @unit_price.validator
    def _check_unit_price(self, _attribute: object, value: object) -> None:
        check_money(value, field="unit_price")


@attrs.frozen(kw_only=True, weakref_slot=False)
class ShippingSpec:
    """A delivery method and its price.

    Attributes:
        shipping_id: The shipping line's id, unique within the order.
        method: The delivery method's name or code.
        price: The price (net or gross, as the order's ``prices_include_tax``).
        tax_rate: Tax rate as a fraction; zero by default.
    """

    shipping_id: ShippingLineId = attrs.field(validator=text_field)
    method: str = attrs.field(validator=text_field)
    price: Money = attrs.field()
    tax_rate: Decimal = attrs.field(default=_ZERO, converter=_rate)

    @price.validator
    def _check_price(self, _attribute: object, value: object) -> None:
        check_money(value, field="price")


@attrs.frozen(kw_only=True, weakref_slot=False)
class DiscountSpec:
    """A discount: a fixed amount or a rate, on one line or on the whole order.

    An order-level discount (no ``line_id``) is shared out over the lines in proportion to
    their amounts after line discounts, with the order's ``discount_allocation`` strategy,
    so every line knows its share and a refund takes back exactly that share.

    Attributes:
        code: The promotion or voucher code, for reporting.
        amount: A fixed amount off; give this or ``rate``.
        rate: A fraction off, ``Decimal("0.1")`` for 10 %; give this or ``amount``.
        line_id: The line it applies to; ``None`` for the whole order.
    """

    code: str = attrs.field(validator=text_field)
    amount: Money | None = attrs.field(default=None)
    rate: Decimal | None = attrs.field(default=None)
    line_id: LineId | None = attrs.field(default=None, validator=optional_text_field)

    @amount.validator
    def _check_amount(self, _attribute: object, value: object) -> None:
        if value is not None:
            money = check_money(value, field="amount", positive=True)
            digits = money.currency.minor_units
            if digits is not None and money.quantize(rounding=Rounding.DOWN) != money:
                raise InvalidValueError(
                    field="amount",
                    value=value,
                    reason=f"finer than the {digits} minor units of {money.currency.code}",
                )

    @rate.validator
    def _check_rate(self, _attribute: object, value: object) -> None:
        if (value is None) == (self.amount is None):
            raise InvalidValueError(
                field="rate", value=value, reason="give exactly one of amount and rate"
            )
        if value is not None:
            rate = to_rate(value, field="rate")
            if not _ZERO < rate <= 1 or rate != value:
                raise InvalidValueError(
                    field="rate",
                    value=value,
                    reason="must be a Decimal fraction above 0 and at most 1",
                )


@attrs.frozen(weakref_slot=False)
class Priced:
    """The lines, shipping lines and total an order spec prices to."""

    lines: tuple[OrderLine, ...]
    shipping: tuple[ShippingLine, ...]
    total: TaxedMoney


def _problem(field: str, value: object, reason: str) -> InvalidValueError:
    return InvalidValueError(field=field, value=value, reason=reason)


@attrs.frozen(kw_only=True, weakref_slot=False)
class OrderSpec:
    """Everything an order is placed with; pricing is checked and worked out on creation.

    Attributes:
        order_id: The order's id.
        channel: The sales channel.
        currency: The currency of every amount.
        timezone: The store's IANA timezone, for local dates in reports.
        lines: At least one line; line ids must be unique.
        customer_id: The customer, or ``None`` for a guest.
        shipping: Delivery methods and their prices.
        discounts: Line and order discounts.
        billing_address: The billing address, if known.
        shipping_address: The delivery address, if known.
        prices_include_tax: Whether prices are gross (tax included) or net.
        rounding: How discount shares and taxes are rounded.
        discount_allocation: How order discounts share their leftover minor units.
        estimated_delivery_at: The delivery estimate given to the customer, if any.

    Raises:
        InvalidValueError: A line id repeats, a discount names an unknown line or takes more
            than the amount it applies to.
        CurrencyMismatchError: An amount is not in *currency*.
        InvalidTimezoneError: *timezone* is not an IANA zone.
    """

    order_id: OrderId = attrs.field(validator=text_field)
    channel: ChannelId = attrs.field(validator=text_field)
    currency: Currency = attrs.field(converter=Currency)
    timezone: str = attrs.field()
    lines: tuple[LineSpec, ...] = attrs.field(converter=_line_specs)
    customer_id: CustomerId | None = attrs.field(default=None, validator=optional_text_field)
    shipping: tuple[ShippingSpec, ...] = attrs.field(default=(), converter=_shipping_specs)
    discounts: tuple[DiscountSpec, ...] = attrs.field(default=(), converter=_discount_specs)
    billing_address: Address | None = attrs.field(default=None)
    shipping_address: Address | None = attrs.field(default=None)
    prices_include_tax: bool = attrs.field(default=False)
    rounding: Rounding = attrs.field(default=Rounding.HALF_UP, converter=_rounding)
    discount_allocation: AllocationStrategy = attrs.field(
        default=AllocationStrategy.LARGEST_REMAINDER, converter=_strategy
    )
    estimated_delivery_at: dt.datetime | None = attrs.field(default=None)
    _priced: Priced = attrs.field(init=False, eq=False, repr=False)

    @timezone.validator
    def _check_timezone(self, _attribute: object, value: object) -> None:
        from ecomkit.time import timezone  # noqa: PLC0415 - pendulum loads on first order

        timezone(check_text(value, field="timezone"))

    @estimated_delivery_at.validator
    def _check_estimate(self, _attribute: object, value: object) -> None:
        check_optional_aware(value, field="estimated_delivery_at")

    def __attrs_post_init__(self) -> None:
        """Check the parts against each other and price the order."""
        _check_items(self)
        object.__setattr__(self, "_priced", _price(self))

    def priced(self) -> Priced:
        """Return the priced lines, shipping lines and total (worked out on creation)."""
        return self._priced


def _check_items(spec: OrderSpec) -> None:
    _check_types(spec)
    _check_references(spec)


def _check_types(spec: OrderSpec) -> None:
    if not spec.lines:
        raise _problem("lines", spec.lines, "an order needs at least one line")
    for field, items, kind in (
        ("lines", spec.lines, LineSpec),
        ("shipping", spec.shipping, ShippingSpec),
        ("discounts", spec.discounts, DiscountSpec),
    ):
        for index, item in enumerate(items):
            if not isinstance(item, kind):
                raise InvalidTypeError(
                    field=f"{field}[{index}]", value=item, expected=kind.__name__
                )
    for field, value in (
        ("billing_address", spec.billing_address),
        ("shipping_address", spec.shipping_address),
    ):
        if value is not None and not isinstance(value, Address):
            raise InvalidTypeError(field=field, value=value, expected="Address or None")
    if not isinstance(spec.prices_include_tax, bool):
        raise InvalidTypeError(
            field="prices_include_tax", value=spec.prices_include_tax, expected="bool"
        )


def _check_references(spec: OrderSpec) -> None:
    currency = spec.currency
    line_ids: set[str] = set()
    for index, line in enumerate(spec.lines):
        if line.line_id in line_ids:
            raise _problem(f"lines[{index}].line_id", line.line_id, "is used by two lines")
        line_ids.add(line.line_id)
        _same(currency, line.unit_price, f"lines[{index}].unit_price")
    shipping_ids: set[str] = set()
    for index, shipping in enumerate(spec.shipping):
        if shipping.shipping_id in shipping_ids:
            raise _problem(f"shipping[{index}].shipping_id", shipping.shipping_id, "is used twice")
        shipping_ids.add(shipping.shipping_id)
        _same(currency, shipping.price, f"shipping[{index}].price")
    for index, discount in enumerate(spec.discounts):
        if discount.line_id is not None and discount.line_id not in line_ids:
            raise _problem(
                f"discounts[{index}].line_id", discount.line_id, "names no line of the order"
            )
        if discount.amount is not None:
            _same(currency, discount.amount, f"discounts[{index}].amount")


def _same(currency: Currency, money: Money, field: str) -> None:
    if money.currency is not currency:
        raise CurrencyMismatchError(
            expected=currency.code, actual=money.currency.code, operation=f"use {field} in"
        )


def _price(spec: OrderSpec) -> Priced:
    rounding = spec.rounding
    currency = spec.currency
    zero = Money.zero(currency)
    subtotals = [
        (line.unit_price * line.quantity).quantize(rounding=rounding) for line in spec.lines
    ]
    line_discounts = [zero] * len(spec.lines)
    index_of = {line.line_id: index for index, line in enumerate(spec.lines)}
    order_discount = zero
    for position, discount in enumerate(spec.discounts):
        if discount.line_id is not None:
            index = index_of[discount.line_id]
            base = subtotals[index] - line_discounts[index]
            off = _discount_amount(discount, base, rounding)
            if off > base:
                raise _problem(
                    f"discounts[{position}]",
                    discount.code,
                    f"takes {off} off line {discount.line_id!r}, which is only {base}",
                )
            line_discounts[index] += off
    after_lines = [subtotal - off for subtotal, off in zip(subtotals, line_discounts, strict=True)]
    remaining = zero
    for amount in after_lines:
        remaining += amount
    for position, discount in enumerate(spec.discounts):
        if discount.line_id is None:
            base = remaining - order_discount
            off = _discount_amount(discount, base, rounding)
            if off > base:
                raise _problem(
                    f"discounts[{position}]",
                    discount.code,
                    f"takes {off} off an order whose lines come to {base}",
                )
            order_discount += off
    if order_discount.is_zero():
        shares: tuple[Money, ...] = (zero,) * len(spec.lines)
    else:
        shares = allocate(
            order_discount,
            [amount.amount for amount in after_lines],
            strategy=spec.discount_allocation,
        )
    gross = spec.prices_include_tax
    lines = tuple(
        OrderLine(
            line_id=line.line_id,
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit_price=line.unit_price,
            tax_rate=line.tax_rate,
            prices_include_tax=gross,
            rounding=rounding,
            subtotal=subtotal,
            discount=off,
            order_discount=share,
        )
        for line, subtotal, off, share in zip(
            spec.lines, subtotals, line_discounts, shares, strict=True
        )
    )
    shipping = tuple(
        ShippingLine(
            shipping_id=item.shipping_id,
            method=item.method,
            price=taxed(
                item.price.quantize(rounding=rounding),
                item.tax_rate,
                gross=gross,
                rounding=rounding,
            ),
        )
        for item in spec.shipping
    )
    return Priced(lines, shipping, order_total(lines, shipping, currency))


def _discount_amount(discount: DiscountSpec, base: Money, rounding: Rounding) -> Money:
    if discount.amount is not None:
        return discount.amount
    rate = discount.rate if discount.rate is not None else _ZERO  # the validator sets one
    return (base * rate).quantize(rounding=rounding)


def order_total(
    lines: tuple[OrderLine, ...], shipping: tuple[ShippingLine, ...], currency: Currency
) -> TaxedMoney:
    """Return what the active units and the due shipping cost, with tax."""
    net = gross = Money.zero(currency)
    for line in lines:
        total = line.total
        net += total.net
        gross += total.gross
    for item in shipping:
        if not item.cancelled:
            net += item.price.net
            gross += item.price.gross
    return TaxedMoney(net, gross)
