"""Exact refunds: what returned units are worth, shipping, deductions and tenders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from ecomkit.errors import CurrencyMismatchError, InvalidTypeError, InvalidValueError
from ecomkit.money import Currency, Money, TaxedMoney
from ecomkit.money._amount import to_member
from ecomkit.orders import LineId, LineQuantity, Order, OrderLine, PaymentId
from ecomkit.orders._ledger import portion
from ecomkit.orders._values import check_money, check_text, to_line_quantities
from ecomkit.returns._rules import Fee
from ecomkit.returns._values import RefundMethod, ShippingRefund


__all__ = [
    "Deduction",
    "FeeTerm",
    "Refund",
    "RefundLine",
    "TenderRefund",
    "allocate_refund",
    "calculate_refund",
    "fee_deductions",
    "order_line",
    "refund_with",
]

_NO_CAPS: Final[Mapping[str, Money]] = {}


@attrs.frozen(kw_only=True, weakref_slot=False)
class Deduction:
    """An amount taken off a refund.

    Attributes:
        kind: What it is for (``"restocking_fee"``, ``"return_shipping"``,
            ``"diminished_value"`` or a host's own kind).
        amount: How much (gross).
        rule_id: The policy rule that set it, if any.
        line_id: The line it concerns, or ``None`` for the whole return.
    """

    kind: str = attrs.field()
    amount: Money = attrs.field()
    rule_id: str | None = None
    line_id: LineId | None = None

    @kind.validator
    def _check_kind(self, _attribute: object, value: object) -> None:
        check_text(value, field="kind")

    @amount.validator
    def _check_amount(self, _attribute: object, value: object) -> None:
        check_money(value, field="amount")


@attrs.frozen(kw_only=True, weakref_slot=False)
class RefundLine:
    """What the refunded units of one line are worth.

    Attributes:
        line_id: The order line.
        quantity: Units refunded.
        amount: Their price after the line's own discounts and its share of the order's
            discounts, with tax.
    """

    line_id: LineId
    quantity: int
    amount: TaxedMoney


@attrs.frozen(kw_only=True, weakref_slot=False)
class TenderRefund:
    """The part of a refund paid back to one payment of the order.

    Attributes:
        payment_id: The payment.
        tender: Its kind (``"card"``, ``"gift_card"`` ...).
        amount: How much goes back to it.
    """

    payment_id: PaymentId
    tender: str
    amount: Money


@attrs.frozen(kw_only=True, weakref_slot=False)
class Refund:
    """A refund worked out to the minor unit, with where every part comes from and goes.

    ``total = items.gross + shipping - sum(deductions)``, never below zero (deductions are
    capped so the breakdown always adds up). For the original payment,
    ``sum(tenders) + unallocated = total``; for store credit, ``store_credit = total``; for
    an exchange no money moves and *total* is the value exchanged.

    Attributes:
        currency: The order's currency.
        method: Where the money goes.
        lines: What each line's units are worth.
        items: The sum of the lines, with tax.
        shipping: The part of the original delivery price refunded (gross).
        deductions: Fees and deductions, each capped to what was left.
        total: What the customer gets.
        tenders: The split over the order's payments (original payment only).
        store_credit: What is issued as store credit.
        unallocated: What no payment could take back (their captured money ran out); the
            host settles it another way.
    """

    currency: Currency
    method: RefundMethod
    lines: tuple[RefundLine, ...]
    items: TaxedMoney
    shipping: Money
    deductions: tuple[Deduction, ...]
    total: Money
    tenders: tuple[TenderRefund, ...]
    store_credit: Money
    unallocated: Money

    @property
    def units(self) -> tuple[LineQuantity, ...]:
        """The refunded units per line."""
        return tuple(
            LineQuantity(line_id=line.line_id, quantity=line.quantity)
            for line in self.lines
            if line.quantity
        )


@attrs.frozen(kw_only=True, weakref_slot=False)
class FeeTerm:
    """A fee a rule set on a line (or on the whole return), kept for the refund.

    Attributes:
        rule_id: The rule that set it.
        line_id: The line it was found on.
        fee: The fee.
    """

    rule_id: str
    line_id: LineId
    fee: Fee


def _method(value: object) -> RefundMethod:
    return to_member(RefundMethod, value, field="method")


def _same_currency(order: Order, amount: Money, operation: str) -> None:
    if amount.currency is not order.currency:
        raise CurrencyMismatchError(
            expected=order.currency.code, actual=amount.currency.code, operation=operation
        )


def calculate_refund(
    order: Order,
    units: Mapping[str, int] | Iterable[LineQuantity],
    *,
    method: RefundMethod = RefundMethod.ORIGINAL_PAYMENT,
    shipping: ShippingRefund = ShippingRefund.NONE,
    shipping_cap: Money | None = None,
    fees: Iterable[FeeTerm] = (),
    deductions: Iterable[Deduction] = (),
    tender_order: Iterable[str] = (),
    tender_caps: Mapping[str, Money] = _NO_CAPS,
    units_recorded: bool = True,
) -> Refund:
    """Work out the refund of *units* of *order*, exactly.

    Each line's units are worth their price after the line's own discounts and their
    share of the order-level discounts, with tax: the next units of the line's
    [`refund_total`][ecomkit.orders.OrderLine.refund_total], which takes unit shares from
    the top so that consecutive partial refunds of a line add up to exactly what was paid
    for it. Shipping follows *shipping* and never refunds more than the delivery price
    (or *shipping_cap*) minus what earlier refunds already paid back for delivery.

    Args:
        order: The order, as it is now (its ``refunded`` counters matter).
        units: Units to refund per line: ``{line_id: quantity}`` or ``LineQuantity`` items.
        method: Where the money goes.
        shipping: How much of the original delivery price comes back.
        shipping_cap: The most refunded for delivery in all (the cheapest standard
            delivery option for a statutory withdrawal).
        fees: Fee terms (from a decision) to charge on these units, taken off first.
        deductions: Further fees and deductions to take off, in order.
        tender_order: Tenders to refund first, in order (``["gift_card", "card"]``); the
            others follow in the order they were paid.
        tender_caps: The most refunded to a tender kind in this refund.
        units_recorded: Whether *units* are already recorded as back (received or written
            off) on the order: true when refunding them, false for an estimate before they
            come back.

    Returns:
        The refund with its breakdown and its split over tenders.

    Raises:
        InvalidValueError: A line is unknown, or more units are asked than are left to
            refund on it.
        CurrencyMismatchError: An amount is not in the order's currency.
        InvalidTypeError: An argument has the wrong type.
    """
    return refund_with(
        order,
        to_line_quantities(units),
        method=method,
        shipping=shipping,
        shipping_cap=shipping_cap,
        fees=fees,
        deductions=deductions,
        tender_order=tender_order,
        tender_caps=tender_caps,
        units_recorded=units_recorded,
    )


def refund_with(
    order: Order,
    wanted: tuple[LineQuantity, ...],
    *,
    known: Mapping[LineId, TaxedMoney] | None = None,
    method: RefundMethod = RefundMethod.ORIGINAL_PAYMENT,
    shipping: ShippingRefund = ShippingRefund.NONE,
    shipping_cap: Money | None = None,
    fees: Iterable[FeeTerm] = (),
    deductions: Iterable[Deduction] = (),
    tender_order: Iterable[str] = (),
    tender_caps: Mapping[str, Money] = _NO_CAPS,
    units_recorded: bool = True,
) -> Refund:
    """Work out a refund like [`calculate_refund`][ecomkit.returns.calculate_refund].

    *known* gives what the units of some lines are worth when the caller already worked it
    out (the same ``refund_total`` of the same units), so it is not computed twice.
    """
    method = _method(method)
    shipping = to_member(ShippingRefund, shipping, field="shipping")
    currency = order.currency
    lines: list[RefundLine] = []
    items = TaxedMoney.zero(currency)
    for item in wanted:
        amount = None if known is None else known.get(item.line_id)
        if amount is None:
            amount = order_line(order, item.line_id).refund_total(item.quantity)
        lines.append(RefundLine(line_id=item.line_id, quantity=item.quantity, amount=amount))
        items += amount
    refunded_shipping = _shipping(order, wanted, shipping, shipping_cap, recorded=units_recorded)
    gross = items.gross + refunded_shipping
    values = {line.line_id: line.amount.gross for line in lines}
    capped: list[Deduction] = []
    for deduction in (*fee_deductions(order, wanted, fees, values=values), *deductions):
        if not isinstance(deduction, Deduction):
            raise InvalidTypeError(field="deductions", value=deduction, expected="Deduction")
        _same_currency(order, deduction.amount, "deduct from a refund")
        taken = min(deduction.amount, gross)
        gross -= taken
        capped.append(attrs.evolve(deduction, amount=taken))
    zero = Money.from_minor_units(0, currency)
    tenders: tuple[TenderRefund, ...] = ()
    store_credit = unallocated = zero
    if method is RefundMethod.ORIGINAL_PAYMENT:
        tenders, unallocated = allocate_refund(
            order, gross, tender_order=tender_order, tender_caps=tender_caps
        )
    elif method is RefundMethod.STORE_CREDIT:
        store_credit = gross
    return Refund(
        currency=currency,
        method=method,
        lines=tuple(lines),
        items=items,
        shipping=refunded_shipping,
        deductions=tuple(capped),
        total=gross,
        tenders=tenders,
        store_credit=store_credit,
        unallocated=unallocated,
    )


def order_line(order: Order, line_id: str, *, field: str = "units") -> OrderLine:
    """Return *order*'s line *line_id*, or refuse it naming *field* and the order's lines.

    Raises:
        InvalidValueError: The order has no such line.
    """
    for line in order.lines:
        if line.line_id == line_id:
            return line
    raise InvalidValueError(
        field=field,
        value=line_id,
        reason=f"order {order.order_id!r} has no such line "
        f"(it has {', '.join(line.line_id for line in order.lines)})",
    )


def _shipping(
    order: Order,
    wanted: tuple[LineQuantity, ...],
    mode: ShippingRefund,
    cap: Money | None,
    *,
    recorded: bool,
) -> Money:
    """Return the part of the delivery price this refund pays back."""
    zero = Money.from_minor_units(0, order.currency)
    if mode is ShippingRefund.NONE:
        return zero
    price = order.shipping_price
    if cap is not None:
        if not isinstance(cap, Money):
            raise InvalidTypeError(field="shipping_cap", value=cap, expected="Money")
        _same_currency(order, cap, "cap a shipping refund")
        price = min(price, cap)
    # Count the units back (received or written off), not the ones merely requested: a
    # return still open elsewhere may yet be cancelled.
    extra = {} if recorded else {item.line_id: item.quantity for item in wanted}
    active = sum(line.active for line in order.lines)
    returned = sum(
        min(line.active, line.returned + line.written_off + extra.get(line.line_id, 0))
        for line in order.lines
    )
    if not active:
        return zero
    if mode is ShippingRefund.WHEN_ALL_RETURNED:
        target = price if returned >= active else zero
    else:
        target = portion(price, returned, active, order.spec.rounding)
    left = target - order.shipping_refunded
    return left if left.is_positive() else zero


def allocate_refund(
    order: Order,
    amount: Money,
    *,
    tender_order: Iterable[str] = (),
    tender_caps: Mapping[str, Money] = _NO_CAPS,
) -> tuple[tuple[TenderRefund, ...], Money]:
    """Split *amount* over the order's payments; return the parts and what is left over.

    Payments whose tender is listed in *tender_order* come first, in that order; the
    others follow in the order they were made. Each payment takes at most what it
    captured and has not refunded, and each tender kind at most its cap in *tender_caps*.

    Args:
        order: The order.
        amount: What to pay back.
        tender_order: Tender kinds to refund first.
        tender_caps: The most refunded to a tender kind.

    Returns:
        The refund per payment (payments taking nothing are left out) and the amount no
        payment could take.

    Raises:
        CurrencyMismatchError: *amount* or a cap is not in the order's currency.
        InvalidTypeError: A tender is not a string or a cap is not ``Money``.

    Examples:
        >>> import pendulum
        >>> from ecomkit import Money
        >>> from ecomkit.orders import (AuthorizePayment, CapturePayment, LineSpec,
        ...     OrderSpec, PlaceOrder, apply)
        >>> at = pendulum.datetime(2026, 5, 4, tz="Europe/Rome")
        >>> spec = OrderSpec(order_id="o-7", channel="web", currency="EUR",
        ...     timezone="Europe/Rome", lines=[LineSpec(line_id="l1", sku="BAG", quantity=1,
        ...     unit_price=Money("100", "EUR"))])
        >>> order, _ = apply(None, PlaceOrder(key="k1", spec=spec), at=at)
        >>> for key, payment, tender, amount in [("k2", "p1", "gift_card", "30.00"),
        ...                                      ("k3", "p2", "card", "70.00")]:
        ...     order, _ = apply(order, AuthorizePayment(key=key, payment_id=payment,
        ...         tender=tender, amount=Money(amount, "EUR")), at=at)
        ...     order, _ = apply(order, CapturePayment(key=key + "c", payment_id=payment),
        ...         at=at)
        >>> parts, left = allocate_refund(order, Money("80.00", "EUR"), tender_order=["card"])
        >>> [(part.tender, str(part.amount)) for part in parts], str(left)
        ([('card', '70.00 EUR'), ('gift_card', '10.00 EUR')], '0.00 EUR')
    """
    if not isinstance(amount, Money):
        raise InvalidTypeError(field="amount", value=amount, expected="Money")
    _same_currency(order, amount, "allocate a refund")
    if isinstance(tender_order, str):
        raise InvalidTypeError(
            field="tender_order", value=tender_order, expected="a list of tenders"
        )
    ranks = {
        check_text(tender, field="tender_order"): rank for rank, tender in enumerate(tender_order)
    }
    left_per_tender: dict[str, Money] = {}
    for tender, cap in tender_caps.items():
        if not isinstance(cap, Money):
            raise InvalidTypeError(field=f"tender_caps[{tender!r}]", value=cap, expected="Money")
        _same_currency(order, cap, "cap a tender's refund")
        left_per_tender[tender] = cap
    payments = sorted(
        enumerate(order.payments), key=lambda pair: (ranks.get(pair[1].tender, len(ranks)), pair[0])
    )
    remaining = amount
    parts: list[TenderRefund] = []
    for _index, payment in payments:
        if not remaining.is_positive():
            break
        take = min(remaining, payment.refundable)
        tender_cap = left_per_tender.get(payment.tender)
        if tender_cap is not None:
            take = min(take, tender_cap)
            left_per_tender[payment.tender] = tender_cap - take
        if take.is_positive():
            parts.append(
                TenderRefund(payment_id=payment.payment_id, tender=payment.tender, amount=take)
            )
            remaining -= take
    return tuple(parts), remaining


def fee_deductions(
    order: Order,
    units: Iterable[LineQuantity],
    fees: Iterable[FeeTerm],
    *,
    values: Mapping[LineId, Money] | None = None,
) -> tuple[Deduction, ...]:
    """Return the deductions *fees* make on a refund of *units* of *order*.

    A rate is charged on the refunded units' value (rounded as the order rounds), a fixed
    amount per refunded unit, and a per-return amount once per rule. Fees of lines with no
    refunded units are not charged.

    Args:
        order: The order, as it is now.
        units: The units being refunded.
        fees: The fee terms a decision gathered.
        values: What the refunded units of each line are worth (gross), when already
            known; worked out from the order otherwise.
    """
    quantities = {item.line_id: item.quantity for item in units}
    rounding = order.spec.rounding
    charged: list[Deduction] = []
    once: set[str] = set()
    for term in fees:
        quantity = quantities.get(term.line_id, 0)
        if not quantity:
            continue
        fee = term.fee
        if fee.per_return:
            if term.rule_id in once or fee.amount is None:
                continue
            once.add(term.rule_id)
            amount = fee.amount
            line_id = None
        elif fee.rate is not None:
            value = None if values is None else values.get(term.line_id)
            if value is None:
                line = order.line(term.line_id)
                value = line.refund_total(min(quantity, line.quantity - line.refunded)).gross
            amount = (value * fee.rate).quantize(rounding=rounding)
            line_id = term.line_id
        elif fee.amount is not None:
            amount = fee.amount * quantity
            line_id = term.line_id
        else:
            continue
        charged.append(
            Deduction(kind=fee.kind, amount=amount, rule_id=term.rule_id, line_id=line_id)
        )
    return tuple(charged)
