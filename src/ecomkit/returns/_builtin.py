"""The rule types ecomkit ships: windows, statutory exceptions, conditions, fees, reviews."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, ClassVar, Final

import attrs
import pendulum

from ecomkit.errors import FloatNotAllowedError, InvalidTypeError, InvalidValueError
from ecomkit.money import Currency, Money
from ecomkit.money._amount import to_member
from ecomkit.orders._values import check_quantity
from ecomkit.returns._messages import Message, MessageArg, Percent
from ecomkit.returns._request import texts
from ecomkit.returns._rules import (
    ALL_KINDS,
    DeductionKind,
    Fee,
    Finding,
    LineContext,
    RefundDeadline,
    RefundMethods,
    ReturnRule,
    ShippingTerms,
    Window,
    register_rule_type,
    window,
)
from ecomkit.returns._values import (
    ItemCondition,
    ItemTrait,
    RefundMethod,
    ReturnKind,
    ShippingRefund,
    Verdict,
    WindowStart,
)
from ecomkit.time import BusinessCalendar


__all__ = [
    "AcceptedConditions",
    "ComplaintPeriod",
    "ComplaintResponse",
    "ExchangeNotOffered",
    "FinalSale",
    "NotReturnable",
    "OriginalShippingRefund",
    "ReasonRequired",
    "RemedyOrder",
    "RestockingFee",
    "ReturnShippingFee",
    "ReturnWindow",
    "ReviewAbove",
    "StoreCreditAfter",
    "WithdrawalExceptions",
    "WithdrawalPeriod",
]

_VOLUNTARY: Final = frozenset({ReturnKind.VOLUNTARY})
_WITHDRAWAL: Final = frozenset({ReturnKind.WITHDRAWAL})
_COMPLAINT: Final = frozenset({ReturnKind.COMPLAINT})
_STORE_CREDIT_OR_EXCHANGE: Final = frozenset({RefundMethod.STORE_CREDIT, RefundMethod.EXCHANGE})


def _message(code: str, **args: MessageArg) -> Message:
    return Message(code, args)


def _positive_int(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_quantity(value, field=attribute.name)


def _non_negative_int(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_quantity(value, field=attribute.name, minimum=0)


def _optional_calendar(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, BusinessCalendar):
        raise InvalidTypeError(field=attribute.name, value=value, expected="BusinessCalendar")


def _window_start(value: object) -> WindowStart:
    return to_member(WindowStart, value, field="start")


def _amounts(value: object) -> tuple[Money, ...]:
    """Return amounts of money, at most one per currency, sorted by currency code."""
    if isinstance(value, Money):
        value = (value,)
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="amounts", value=value, expected="Money, or a list of Money")
    found: dict[str, Money] = {}
    for item in value:
        if not isinstance(item, Money):
            raise InvalidTypeError(field="amounts", value=item, expected="Money")
        if item.is_negative():
            raise InvalidValueError(field="amounts", value=item, reason="must not be negative")
        code = item.currency.code
        if code in found:
            raise InvalidValueError(
                field="amounts", value=item, reason=f"gives a second amount in {code}"
            )
        found[code] = item
    return tuple(found[code] for code in sorted(found))


def _amount_in(amounts: tuple[Money, ...], currency: Currency) -> Money | None:
    for amount in amounts:
        if amount.currency is currency:
            return amount
    return None


def _iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat()


def _window_findings(
    found: Window,
    context: LineContext,
    *,
    open_code: str,
    closed_code: str,
    args: dict[str, MessageArg],
) -> Iterator[Finding]:
    # A request made in time counts, however late it is decided (Directive 2011/83/EU,
    # art. 11(2): the notice is in time when it is sent before the period ends).
    requested_at = context.request.requested_at
    observed = _iso(requested_at)
    threshold = _iso(found.closes_at)
    if found.is_open(requested_at):
        yield Finding(
            verdict=Verdict.PASS,
            message=_message(open_code, deadline=found.last_day, **args),
            observed=observed,
            threshold=threshold,
        )
    else:
        yield Finding(
            verdict=Verdict.DECLINE,
            message=_message(closed_code, deadline=found.last_day, **args),
            observed=observed,
            threshold=threshold,
        )
    if found.moved:
        yield Finding(
            verdict=Verdict.NOTE,
            message=_message("deadline.moved", deadline=found.last_day),
            threshold=found.last_day.isoformat(),
        )


# ---------------------------------------------------------------------- windows


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnWindow(ReturnRule):
    """Voluntary returns are accepted within *days* of delivery.

    Attributes:
        days: Length of the window in calendar days (the delivery day is not counted).
        start: Which delivery the window counts from.
        calendar: Working days; when given, a window ending on a day off runs to the
            next working day.

    Examples:
        >>> ReturnWindow(rule_id="window", days=30).start.value
        'item_delivery'
    """

    kinds: ClassVar[frozenset[ReturnKind]] = _VOLUNTARY

    days: int = attrs.field(validator=_positive_int)
    start: WindowStart = attrs.field(default=WindowStart.ITEM_DELIVERY, converter=_window_start)
    calendar: BusinessCalendar | None = attrs.field(default=None, validator=_optional_calendar)

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Pass while the window is open, decline once it has closed."""
        delivered = context.delivered_at(self.start)
        if delivered is None:
            yield Finding(verdict=Verdict.PASS, message=_message("window.not_started"))
            return
        found = window(delivered, context.facts.zone, days=self.days, calendar=self.calendar)
        yield from _window_findings(
            found,
            context,
            open_code="window.open",
            closed_code="window.closed",
            args={"days": self.days},
        )


def _default_calendar() -> BusinessCalendar:
    return BusinessCalendar()


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class WithdrawalPeriod(ReturnRule):
    """The statutory withdrawal period: *days* from delivery of the order's last item.

    Follows EU Directive 2011/83/EU: the period starts when the customer receives the last
    item of the order (art. 9(2)(b)) and has not started while an item is still on its way;
    a customer not informed of the right gets *extension_months* more (art. 10(1)), or
    *days* from the day they were informed late (art. 10(2)). Periods ending on a day off
    run to the next working day (Regulation 1182/71). The refund is due within
    *refund_days* of the notice (art. 13(1)).

    Attributes:
        days: Length of the period (14 in the EU).
        extension_months: Extension when the customer was not informed (12 in the EU).
        calendar: Working days of the store's country.
        refund_days: Days from the notice within which the refund is due.
    """

    kinds: ClassVar[frozenset[ReturnKind]] = _WITHDRAWAL

    days: int = attrs.field(default=14, validator=_positive_int)
    extension_months: int = attrs.field(default=12, validator=_non_negative_int)
    calendar: BusinessCalendar | None = attrs.field(
        factory=_default_calendar, validator=_optional_calendar
    )
    refund_days: int = attrs.field(default=14, validator=_positive_int)

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Pass within the period (or before it starts), decline after it."""
        deadline = RefundDeadline(days=self.refund_days)
        delivered = context.facts.last_delivered_at
        if delivered is None:
            yield Finding(
                verdict=Verdict.PASS, message=_message("withdrawal.not_started"), effect=deadline
            )
            return
        found, open_code, args = self._period(context, delivered)
        for finding in _window_findings(
            found,
            context,
            open_code=open_code,
            closed_code="withdrawal.closed",
            args=args,
        ):
            passed = finding.verdict is Verdict.PASS
            yield attrs.evolve(finding, effect=deadline) if passed else finding

    def _period(
        self, context: LineContext, delivered: dt.datetime
    ) -> tuple[Window, str, dict[str, MessageArg]]:
        zone = context.facts.zone
        request = context.request
        if request.withdrawal_informed:
            found = window(delivered, zone, days=self.days, calendar=self.calendar)
            return found, "withdrawal.open", {"days": self.days}
        # Art. 10(1): 12 months from the end of the initial period (counted before any move).
        initial = window(delivered, zone, days=self.days)
        extended_end = pendulum.datetime(
            initial.last_day.year, initial.last_day.month, initial.last_day.day, tz=zone
        )
        extended = window(extended_end, zone, months=self.extension_months, calendar=self.calendar)
        informed = request.withdrawal_informed_at
        # Art. 10(2): information given within 12 months of the delivery restarts the period.
        in_time = window(delivered, zone, months=self.extension_months)
        if informed is not None and informed < in_time.closes_at:
            found = window(informed, zone, days=self.days, calendar=self.calendar)
            informed_day = pendulum.instance(informed).in_timezone(zone).date()
            return found, "withdrawal.informed_late", {"informed": informed_day}
        return extended, "withdrawal.not_informed", {}


def _hygiene_verdict(value: object) -> Verdict:
    verdict = to_member(Verdict, value, field="hygiene")
    if verdict not in {Verdict.REVIEW, Verdict.DECLINE}:
        raise InvalidValueError(field="hygiene", value=value, reason="must be review or decline")
    return verdict


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class WithdrawalExceptions(ReturnRule):
    """The statutory exceptions to the right of withdrawal, decided per item and condition.

    Personalised or made-to-order goods and perishable goods are excepted whatever their
    condition; sealed hygiene goods and sealed media only once unsealed after delivery.
    The hygiene exception is narrow (CJEU C-681/17: goods that can be cleaned stay
    returnable), so by default it sends the item to review rather than declining it.

    Attributes:
        hygiene: What an unsealed hygiene item gets: ``review`` (default) or ``decline``.
    """

    kinds: ClassVar[frozenset[ReturnKind]] = _WITHDRAWAL

    hygiene: Verdict = attrs.field(default=Verdict.REVIEW, converter=_hygiene_verdict)

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Decline (or review) the items an exception covers."""
        line = context.line
        condition = line.condition.value
        if line.has(ItemTrait.PERSONALISED):
            yield _declined("exception.personalised", ItemTrait.PERSONALISED.value)
        if line.has(ItemTrait.PERISHABLE):
            yield _declined("exception.perishable", ItemTrait.PERISHABLE.value)
        sealed = line.condition.is_sealed
        if line.has(ItemTrait.SEALED_HYGIENE) and not sealed:
            if self.hygiene is Verdict.DECLINE:
                yield _declined("exception.sealed_hygiene", condition)
            else:
                yield Finding(
                    verdict=Verdict.REVIEW,
                    message=_message("exception.sealed_hygiene_review"),
                    observed=condition,
                    threshold=ItemCondition.UNOPENED.value,
                )
        if line.has(ItemTrait.SEALED_MEDIA) and not sealed:
            yield _declined("exception.sealed_media", condition)


def _declined(code: str, observed: str, threshold: str | None = None) -> Finding:
    return Finding(
        verdict=Verdict.DECLINE, message=_message(code), observed=observed, threshold=threshold
    )


# ---------------------------------------------------------------------- what can come back


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class FinalSale(ReturnRule):
    """Items sold as final sale (the ``final_sale`` trait) take no voluntary return."""

    kinds: ClassVar[frozenset[ReturnKind]] = _VOLUNTARY

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Decline final-sale items."""
        if context.line.has(ItemTrait.FINAL_SALE):
            yield _declined("final_sale", ItemTrait.FINAL_SALE.value)


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class NotReturnable(ReturnRule):
    """Everything in the rule's scope (categories, products ...) takes no voluntary return.

    Examples:
        >>> from ecomkit.returns import Scope
        >>> NotReturnable(rule_id="gift-cards", scope=Scope(categories=["gift-cards"])).rule_id
        'gift-cards'
    """

    kinds: ClassVar[frozenset[ReturnKind]] = _VOLUNTARY

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Decline every line the scope matched."""
        yield _declined("not_returnable", context.order_line.sku)


def _conditions(value: object) -> tuple[ItemCondition, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="conditions", value=value, expected="a list of ItemCondition")
    return tuple(
        sorted(
            {to_member(ItemCondition, item, field="conditions") for item in value},
            key=list(ItemCondition).index,
        )
    )


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class AcceptedConditions(ReturnRule):
    """Which declared conditions a voluntary return accepts, sends to review, or declines.

    Attributes:
        accept: Conditions accepted as they are (unopened is always among them).
        review: Conditions a person decides on; any other condition is declined.
    """

    kinds: ClassVar[frozenset[ReturnKind]] = _VOLUNTARY

    accept: tuple[ItemCondition, ...] = attrs.field(
        default=(ItemCondition.UNOPENED, ItemCondition.OPENED), converter=_conditions
    )
    review: tuple[ItemCondition, ...] = attrs.field(default=(), converter=_conditions)

    def __attrs_post_init__(self) -> None:
        """Refuse lists that leave unopened items out or name a condition twice."""
        if ItemCondition.UNOPENED not in self.accept:
            raise InvalidValueError(
                field="accept", value=self.accept, reason="must include 'unopened'"
            )
        both = set(self.accept) & set(self.review)
        if both:
            raise InvalidValueError(
                field="review",
                value=sorted(condition.value for condition in both),
                reason="are also accepted",
            )

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Review or decline conditions not accepted."""
        condition = context.line.condition
        if condition in self.accept:
            return
        accepted = ",".join(item.value for item in self.accept)
        if condition in self.review:
            yield Finding(
                verdict=Verdict.REVIEW,
                message=_message(f"condition.{condition.value}.review"),
                observed=condition.value,
                threshold=accepted,
            )
        else:
            yield _declined(f"condition.{condition.value}.declined", condition.value, accepted)


def _reasons(value: object) -> tuple[str, ...]:
    return texts(value, field="reasons")


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class ReasonRequired(ReturnRule):
    """A voluntary return needs a reason, one of *reasons* when that list is not empty.

    Attributes:
        reasons: The accepted reason codes (empty: any reason).
    """

    kinds: ClassVar[frozenset[ReturnKind]] = _VOLUNTARY

    reasons: tuple[str, ...] = attrs.field(default=(), converter=_reasons)

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Decline a line without an accepted reason."""
        reason = context.line.reason
        if reason is None or (self.reasons and reason not in self.reasons):
            yield _declined("reason.required", reason or "", ",".join(self.reasons) or None)


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class ExchangeNotOffered(ReturnRule):
    """Items in scope cannot be exchanged for another variant (a refund is still possible)."""

    kinds: ClassVar[frozenset[ReturnKind]] = _VOLUNTARY

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Decline an exchange request for the line."""
        exchange = context.line.exchange_for
        if exchange is not None or context.request.refund_method is RefundMethod.EXCHANGE:
            yield _declined("exchange.not_offered", exchange or RefundMethod.EXCHANGE.value)


# ---------------------------------------------------------------------- money


def _optional_rate(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        raise FloatNotAllowedError(field="rate", value=value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidTypeError(field="rate", value=value, expected="a Decimal fraction")
    if not 0 < value <= 1:
        raise InvalidValueError(
            field="rate", value=value, reason="must be a fraction above 0 and at most 1"
        )
    return value


def _fee_missing(currency: Currency) -> Finding:
    return Finding(
        verdict=Verdict.REVIEW,
        message=_message("fee.no_amount", currency=currency.code),
        observed=currency.code,
    )


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class RestockingFee(ReturnRule):
    """A restocking fee on voluntary returns: a rate of the items' value or an amount per unit.

    Never charged on a statutory withdrawal; there the rule only says so.

    Attributes:
        rate: The fee as a fraction of the refunded items' value (``Decimal("0.1")``).
        amounts: Or a fixed fee per unit, one amount per currency.
    """

    kinds: ClassVar[frozenset[ReturnKind]] = frozenset(
        {ReturnKind.VOLUNTARY, ReturnKind.WITHDRAWAL}
    )

    rate: Decimal | None = attrs.field(default=None, converter=_optional_rate)
    amounts: tuple[Money, ...] = attrs.field(default=(), converter=_amounts)

    def __attrs_post_init__(self) -> None:
        """Require exactly one of *rate* and *amounts*."""
        if (self.rate is None) == (not self.amounts):
            raise InvalidValueError(
                field="rate", value=self.rate, reason="give either a rate or amounts, not both"
            )

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Note the fee (or that a withdrawal carries none)."""
        if context.kind is ReturnKind.WITHDRAWAL:
            yield Finding(verdict=Verdict.NOTE, message=_message("fee.waived_withdrawal"))
            return
        if self.rate is not None:
            amount = (context.value * self.rate).quantize(rounding=context.order.spec.rounding)
            yield Finding(
                verdict=Verdict.NOTE,
                message=_message("fee.restocking_rate", rate=Percent(self.rate), amount=amount),
                observed=str(amount),
                effect=Fee(kind=DeductionKind.RESTOCKING_FEE, rate=self.rate),
            )
            return
        currency = context.order.currency
        per_unit = _amount_in(self.amounts, currency)
        if per_unit is None:
            yield _fee_missing(currency)
            return
        yield Finding(
            verdict=Verdict.NOTE,
            message=_message("fee.restocking_fixed", amount=per_unit * context.units),
            observed=str(per_unit * context.units),
            effect=Fee(kind=DeductionKind.RESTOCKING_FEE, amount=per_unit),
        )


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnShippingFee(ReturnRule):
    """The customer pays for sending the goods back: a fixed amount per return.

    On a statutory withdrawal the customer bears the direct cost of return only when they
    were told so beforehand (art. 14(1)); set *charge_on_withdrawal* accordingly.

    Attributes:
        amounts: The fee, one amount per currency.
        charge_on_withdrawal: Whether the fee also applies to statutory withdrawals.
    """

    kinds: ClassVar[frozenset[ReturnKind]] = frozenset(
        {ReturnKind.VOLUNTARY, ReturnKind.WITHDRAWAL}
    )

    amounts: tuple[Money, ...] = attrs.field(converter=_amounts)
    charge_on_withdrawal: bool = attrs.field(default=False)

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Note the fee, once per return."""
        if context.kind is ReturnKind.WITHDRAWAL and not self.charge_on_withdrawal:
            return
        currency = context.order.currency
        amount = _amount_in(self.amounts, currency)
        if amount is None:
            yield _fee_missing(currency)
            return
        yield Finding(
            verdict=Verdict.NOTE,
            message=_message("fee.return_shipping", amount=amount),
            observed=str(amount),
            effect=Fee(kind=DeductionKind.RETURN_SHIPPING, amount=amount, per_return=True),
        )


def _shipping_mode(value: object) -> ShippingRefund:
    return to_member(ShippingRefund, value, field="mode")


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class OriginalShippingRefund(ReturnRule):
    """How much of the original delivery price comes back with the refund.

    For a statutory withdrawal, delivery is refunded up to the cheapest standard option
    (art. 13(2)): give that price as *caps*.

    Attributes:
        mode: When and how much of delivery is refunded.
        caps: The most refunded for delivery, one amount per currency (none: no cap).
    """

    mode: ShippingRefund = attrs.field(
        default=ShippingRefund.WHEN_ALL_RETURNED, converter=_shipping_mode
    )
    caps: tuple[Money, ...] = attrs.field(default=(), converter=_amounts)

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Carry the shipping terms to the refund (no message of its own)."""
        cap = _amount_in(self.caps, context.order.currency)
        yield Finding(
            verdict=Verdict.NOTE,
            message=None,
            effect=ShippingTerms(mode=self.mode, cap=cap),
        )


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class StoreCreditAfter(ReturnRule):
    """Later than *days* after delivery, voluntary returns are refunded as store credit.

    Attributes:
        days: Days from delivery during which the original payment is refunded.
        start: Which delivery the days count from.
    """

    kinds: ClassVar[frozenset[ReturnKind]] = _VOLUNTARY

    days: int = attrs.field(validator=_positive_int)
    start: WindowStart = attrs.field(default=WindowStart.ITEM_DELIVERY, converter=_window_start)

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Restrict the refund to store credit or exchange once the days have passed."""
        delivered = context.delivered_at(self.start)
        if delivered is None:
            return
        found = window(delivered, context.facts.zone, days=self.days)
        requested_at = context.request.requested_at
        if found.is_open(requested_at):
            return
        yield Finding(
            verdict=Verdict.NOTE,
            message=_message("refund.store_credit_only", days=self.days),
            observed=_iso(requested_at),
            threshold=_iso(found.closes_at),
            effect=RefundMethods(allowed=_STORE_CREDIT_OR_EXCHANGE),
        )


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class ReviewAbove(ReturnRule):
    """Lines worth more than a threshold are checked by a person.

    Attributes:
        amounts: The threshold, one amount per currency.
    """

    kinds: ClassVar[frozenset[ReturnKind]] = ALL_KINDS

    amounts: tuple[Money, ...] = attrs.field(converter=_amounts)

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Send the line to review when its value passes the threshold."""
        threshold = _amount_in(self.amounts, context.order.currency)
        if threshold is None:
            return
        value = context.value
        if value > threshold:
            yield Finding(
                verdict=Verdict.REVIEW,
                message=_message("review.high_value", threshold=threshold, amount=value),
                observed=str(value),
                threshold=str(threshold),
            )


# ---------------------------------------------------------------------- complaints


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class ComplaintPeriod(ReturnRule):
    """The seller's liability for non-conformity lasts *years* from the item's delivery.

    Attributes:
        years: The liability period (2 under Directive (EU) 2019/771).
    """

    kinds: ClassVar[frozenset[ReturnKind]] = _COMPLAINT

    years: int = attrs.field(default=2, validator=_positive_int)

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Pass within the liability period, decline after it."""
        delivered = context.delivered_at(WindowStart.ITEM_DELIVERY)
        if delivered is None:
            return
        found = window(delivered, context.facts.zone, years=self.years)
        yield from _window_findings(
            found,
            context,
            open_code="complaint.open",
            closed_code="complaint.closed",
            args={"years": self.years},
        )


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class ComplaintResponse(ReturnRule):
    """A complaint not answered within *days* of its submission counts as accepted.

    Polish consumer law (art. 7a of the consumer rights act) gives the trader 14 days; a
    decision made later accepts the complaint whatever the other rules say.

    Attributes:
        days: Days from the complaint within which it must be answered.
        calendar: Working days; when given, a deadline ending on a day off moves to the
            next working day.
    """

    kinds: ClassVar[frozenset[ReturnKind]] = _COMPLAINT

    days: int = attrs.field(default=14, validator=_positive_int)
    calendar: BusinessCalendar | None = attrs.field(default=None, validator=_optional_calendar)

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Accept a complaint decided too late; otherwise note the deadline."""
        found = window(
            context.request.requested_at, context.facts.zone, days=self.days, calendar=self.calendar
        )
        if found.is_open(context.at):
            yield Finding(
                verdict=Verdict.NOTE,
                message=_message("complaint.respond_by", deadline=found.last_day),
                observed=_iso(context.at),
                threshold=_iso(found.closes_at),
            )
            return
        yield Finding(
            verdict=Verdict.PASS,
            message=_message("complaint.deemed_accepted", deadline=found.last_day),
            observed=_iso(context.at),
            threshold=_iso(found.closes_at),
            accepts=True,
        )


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class RemedyOrder(ReturnRule):
    """Price reduction and withdrawal come after repair and replacement: a person checks."""

    kinds: ClassVar[frozenset[ReturnKind]] = _COMPLAINT

    def check(self, context: LineContext) -> Iterator[Finding]:
        """Send secondary remedies to review."""
        remedy = context.line.remedy
        if remedy is not None and remedy.is_secondary:
            yield Finding(
                verdict=Verdict.REVIEW,
                message=_message("complaint.remedy_order"),
                observed=remedy.value,
            )
