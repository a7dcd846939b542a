"""The engine: evaluate a request against a policy, line by line, and explain the decision."""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from ecomkit.errors import InvalidTypeError, InvalidValueError, ReturnDeclinedError
from ecomkit.money import Money
from ecomkit.orders import LineId, LineQuantity, Order, OrderId, ReturnId
from ecomkit.returns._messages import Message
from ecomkit.returns._policy import QUANTITY_RULE_ID, ReturnPolicy
from ecomkit.returns._refund import FeeTerm, Refund, refund_with
from ecomkit.returns._refund import order_line as find_line
from ecomkit.returns._request import ReturnRequest
from ecomkit.returns._rules import (
    Fee,
    Finding,
    LineContext,
    OrderFacts,
    RefundDeadline,
    RefundMethods,
    ShippingTerms,
    window,
)
from ecomkit.returns._values import (
    LineOutcome,
    RefundMethod,
    Remedy,
    ReturnKind,
    ShippingRefund,
    Verdict,
)
from ecomkit.time import ensure_aware


__all__ = ["LineDecision", "Reason", "ReturnDecision", "evaluate_return"]

_ALL_METHODS: Final = frozenset(RefundMethod)
_METHOD_PREFERENCE: Final = (
    RefundMethod.ORIGINAL_PAYMENT,
    RefundMethod.STORE_CREDIT,
    RefundMethod.EXCHANGE,
)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Reason:
    """One reason behind a decision: which rule, what it found, and why, in words.

    Attributes:
        rule_id: The rule (``"quantity"`` for the built-in quantity check).
        verdict: Pass, note, review or decline.
        message: The explanation; [`render`][ecomkit.returns.Reason.render] it.
        observed: The value the rule looked at (ISO dates, ``"12.30 EUR"``, counts).
        threshold: The limit it compared it with.
    """

    rule_id: str
    verdict: Verdict
    message: Message
    observed: str | None = None
    threshold: str | None = None

    def render(self, locale: str = "en") -> str:
        """Return the explanation in *locale*."""
        return self.message.render(locale)


@attrs.frozen(kw_only=True, weakref_slot=False)
class LineDecision:
    """The decision on one requested line: how many units are approved, and why.

    ``approved + in_review + declined == requested``.

    Attributes:
        line_id: The order line.
        requested: Units requested.
        approved: Units approved.
        in_review: Units waiting for a person's decision.
        declined: Units declined.
        outcome: Approved, partially approved, needs review or declined.
        reasons: Every reason, in the order the rules were checked.
    """

    line_id: LineId
    requested: int
    approved: int
    in_review: int
    declined: int
    outcome: LineOutcome
    reasons: tuple[Reason, ...]

    def explain(self, locale: str = "en") -> tuple[str, ...]:
        """Return every reason rendered in *locale*."""
        return tuple(reason.render(locale) for reason in self.reasons)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnDecision:
    """What the policy decided about a request, line by line, with every reason.

    A decision is a value: an ordinary "no" is a decision with outcome ``declined``, not an
    exception. Call [`raise_for_rejection`][ecomkit.returns.ReturnDecision.raise_for_rejection]
    where an exception suits the caller better.

    Attributes:
        return_id: The request's id.
        order_id: The order.
        kind: The kind of request.
        policy_name: The policy that decided.
        policy_version: Its version.
        decided_at: When.
        outcome: Over all lines: approved, partially approved, needs review or declined.
        lines: The decision per line, in the request's order.
        refund_method: Where the money goes (the customer's choice when the policy allows
            it, else store credit).
        allowed_methods: The refund methods the policy allows for this request.
        shipping: How much of the original delivery price the refund includes.
        shipping_cap: The cap on that, if any.
        fees: The fees rules set, kept for the refund of the units that come back.
        refund: The refund the approved units would give now (an estimate until they come
            back), or ``None`` when no unit is approved.
        refund_due_by: The last day to pay the refund, when a rule sets one.
        withhold_until_received: Whether the refund may wait for the goods (or proof they
            were sent back).
        reasons: Reasons about the whole request (the refund deadline).
        tender_order: The policy's order of tenders for refunds.
    """

    return_id: ReturnId
    order_id: OrderId
    kind: ReturnKind
    policy_name: str
    policy_version: str
    decided_at: dt.datetime
    outcome: LineOutcome
    lines: tuple[LineDecision, ...]
    refund_method: RefundMethod
    allowed_methods: tuple[RefundMethod, ...]
    shipping: ShippingRefund
    shipping_cap: Money | None
    fees: tuple[FeeTerm, ...]
    refund: Refund | None
    refund_due_by: dt.date | None = None
    withhold_until_received: bool = False
    reasons: tuple[Reason, ...] = ()
    tender_order: tuple[str, ...] = ()

    @property
    def approved_units(self) -> tuple[LineQuantity, ...]:
        """Approved units per line (lines with none left out)."""
        return tuple(
            LineQuantity(line_id=line.line_id, quantity=line.approved)
            for line in self.lines
            if line.approved
        )

    @property
    def review_units(self) -> tuple[LineQuantity, ...]:
        """Units waiting for review per line (lines with none left out)."""
        return tuple(
            LineQuantity(line_id=line.line_id, quantity=line.in_review)
            for line in self.lines
            if line.in_review
        )

    @property
    def is_declined(self) -> bool:
        """Whether no unit was approved or sent to review."""
        return self.outcome is LineOutcome.DECLINED

    def line(self, line_id: str) -> LineDecision:
        """Return the decision on *line_id*.

        Raises:
            InvalidValueError: The request had no such line.
        """
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise InvalidValueError(
            field="line_id", value=line_id, reason=f"return {self.return_id!r} has no such line"
        )

    def explain(self, locale: str = "en") -> tuple[str, ...]:
        """Return every reason, line by line and then for the whole request, in *locale*."""
        texts = [text for line in self.lines for text in line.explain(locale)]
        texts.extend(reason.render(locale) for reason in self.reasons)
        return tuple(texts)

    def raise_for_rejection(self, *, review: bool = False, locale: str = "en") -> None:
        """Raise when any units were declined (or, with *review*, still wait for a person).

        Raises:
            ReturnDeclinedError: Some requested units were declined; the error lists the
                reasons that declined them, rendered in *locale*.
        """
        refused = any(line.declined for line in self.lines)
        waiting = review and any(line.in_review for line in self.lines)
        if refused or waiting:
            raise ReturnDeclinedError(
                return_id=self.return_id,
                outcome=self.outcome.value,
                reasons=tuple(
                    reason.render(locale)
                    for line in self.lines
                    for reason in line.reasons
                    if reason.verdict is Verdict.DECLINE
                    or (review and reason.verdict is Verdict.REVIEW)
                ),
            )


# ---------------------------------------------------------------------- the engine


def evaluate_return(
    policy: ReturnPolicy, request: ReturnRequest, *, order: Order, at: dt.datetime
) -> ReturnDecision:
    """Decide *request* for *order* under *policy*, at the instant *at*.

    Periods (return windows, the withdrawal period, the liability period) are judged at the
    time of the request: a notice sent in time counts however late it is decided. The
    complaint response deadline is judged at *at*, the time of the decision.

    For every requested line, the built-in quantity check (no more units than were
    delivered and not already requested) and then every rule of the policy whose kind and
    scope match are checked, in order. A line's units are approved unless a rule declines
    them or sends them to review; a finding that accepts (a complaint nobody answered in
    time) approves them whatever other rules say, within the quantity check. Fees, refund
    methods, shipping terms and the refund deadline that rules set are gathered, and the
    refund of the approved units is worked out.

    It never raises for an ordinary "no": that is a decision with the outcome
    ``declined`` and its reasons.

    Args:
        policy: The policy.
        request: The customer's request.
        order: The order the request is about, as it is now.
        at: When the decision is made (timezone-aware).

    Returns:
        The decision, with every reason.

    Raises:
        InvalidValueError: The request names a line the order does not have, or *at* is
            earlier than the request.
        InvalidTypeError: An argument has the wrong type.
        NaiveDateTimeError: *at* has no timezone.
    """
    if not isinstance(policy, ReturnPolicy):
        raise InvalidTypeError(field="policy", value=policy, expected="ReturnPolicy")
    if not isinstance(request, ReturnRequest):
        raise InvalidTypeError(field="request", value=request, expected="ReturnRequest")
    if not isinstance(order, Order):
        raise InvalidTypeError(field="order", value=order, expected="Order")
    at = ensure_aware(at, field="at")
    if at < request.requested_at:
        raise InvalidValueError(
            field="at",
            value=at,
            reason=f"is earlier than the request ({request.requested_at.isoformat()})",
        )
    facts = OrderFacts.of(order)
    country = request.country
    if country is None and order.shipping_address is not None:
        country = order.shipping_address.country_code
    lines: list[LineDecision] = []
    contexts: list[LineContext] = []
    effects = _Effects()
    for index, line in enumerate(request.lines):
        order_line = find_line(order, line.line_id, field=f"request.lines[{index}].line_id")
        context = LineContext.of(request, line, order_line, facts=facts, at=at, country=country)
        contexts.append(context)
        found = _findings(policy, context)
        decision = _decide_line(context, found)
        lines.append(decision)
        if decision.approved or decision.in_review:
            effects.gather(line.line_id, found)
    allowed = effects.allowed
    shipping = effects.shipping
    deadline = effects.deadline
    fees = effects.fees
    method = _method(request.refund_method, allowed)
    # A complaint pays money back only for the withdrawal remedy; repair, replacement and
    # a price reduction the host sets are not refunds of units.
    approved = tuple(
        LineQuantity(line_id=line.line_id, quantity=line.approved)
        for line, asked in zip(lines, request.lines, strict=True)
        if line.approved
        and (request.kind is not ReturnKind.COMPLAINT or asked.remedy is Remedy.WITHDRAWAL)
    )
    terms = shipping or ShippingTerms(mode=ShippingRefund.NONE)
    refund = None
    if approved:
        # The contexts already priced the requested units; reuse that where all are approved.
        known = {
            context.line.line_id: context.amount
            for context, line in zip(contexts, lines, strict=True)
            if line.approved == context.priced
        }
        refund = refund_with(
            order,
            approved,
            known=known,
            method=method,
            shipping=terms.mode,
            shipping_cap=terms.cap,
            fees=fees,
            tender_order=policy.tender_order,
            units_recorded=False,
        )
    due_by = None
    reasons: tuple[Reason, ...] = ()
    outcome = _overall(lines)
    if deadline is not None and outcome is not LineOutcome.DECLINED:
        rule_id, effect = deadline
        due_by = window(request.requested_at, facts.zone, days=effect.days).last_day
        reasons = (
            Reason(
                rule_id=rule_id,
                verdict=Verdict.NOTE,
                message=Message("refund.due_by", {"deadline": due_by}),
                threshold=due_by.isoformat(),
            ),
        )
    return ReturnDecision(
        return_id=request.return_id,
        order_id=order.order_id,
        kind=request.kind,
        policy_name=policy.name,
        policy_version=policy.version,
        decided_at=at,
        outcome=outcome,
        lines=tuple(lines),
        refund_method=method,
        allowed_methods=tuple(sorted(allowed, key=_METHOD_PREFERENCE.index)),
        shipping=terms.mode,
        shipping_cap=terms.cap,
        fees=tuple(fees),
        refund=refund,
        refund_due_by=due_by,
        withhold_until_received=deadline is not None and deadline[1].withhold_until_received,
        reasons=reasons,
        tender_order=policy.tender_order,
    )


@attrs.define
class _Effects:
    """What the findings of the lines with approved or reviewed units change."""

    fees: list[FeeTerm] = attrs.field(factory=list)
    allowed: frozenset[RefundMethod] = _ALL_METHODS
    shipping: ShippingTerms | None = None
    deadline: tuple[str, RefundDeadline] | None = None

    def gather(self, line_id: LineId, found: list[tuple[str, Finding]]) -> None:
        for rule_id, finding in found:
            effect = finding.effect
            if isinstance(effect, Fee):
                self.fees.append(FeeTerm(rule_id=rule_id, line_id=line_id, fee=effect))
            elif isinstance(effect, RefundMethods):
                self.allowed &= effect.allowed
            elif isinstance(effect, ShippingTerms):
                self.shipping = self.shipping or effect
            elif isinstance(effect, RefundDeadline) and (
                self.deadline is None or effect.days < self.deadline[1].days
            ):
                self.deadline = (rule_id, effect)


def _findings(policy: ReturnPolicy, context: LineContext) -> list[tuple[str, Finding]]:
    found: list[tuple[str, Finding]] = []
    returnable = context.returnable
    if returnable <= 0:
        found.append(
            (
                QUANTITY_RULE_ID,
                Finding(
                    verdict=Verdict.DECLINE,
                    message=Message("quantity.none"),
                    observed=str(context.units),
                    threshold="0",
                    allowed_units=0,
                ),
            )
        )
    elif context.units > returnable:
        found.append(
            (
                QUANTITY_RULE_ID,
                Finding(
                    verdict=Verdict.DECLINE,
                    message=Message("quantity.limited", {"allowed": returnable}),
                    observed=str(context.units),
                    threshold=str(returnable),
                    allowed_units=returnable,
                ),
            )
        )
    for rule in policy.rules:
        if rule.applies_to(context):
            found.extend((rule.rule_id, finding) for finding in rule.check(context))
    return found


def _decide_line(context: LineContext, found: list[tuple[str, Finding]]) -> LineDecision:
    requested = context.units
    limit = min(requested, context.returnable)
    accepted = any(finding.accepts for _rule_id, finding in found)
    cap = limit
    review = False
    if not accepted:
        for _rule_id, finding in found:
            if finding.verdict is Verdict.DECLINE:
                cap = min(cap, finding.allowed_units or 0)
            elif finding.verdict is Verdict.REVIEW:
                review = True
    in_review = cap if review else 0
    approved = 0 if review else cap
    if approved == requested:
        outcome = LineOutcome.APPROVED
    elif in_review:
        outcome = LineOutcome.NEEDS_REVIEW
    elif approved:
        outcome = LineOutcome.PARTIALLY_APPROVED
    else:
        outcome = LineOutcome.DECLINED
    # Fees and refund notes say nothing about a line none of whose units goes on.
    declined = not (approved or in_review)
    reasons = tuple(
        Reason(
            rule_id=rule_id,
            verdict=finding.verdict,
            message=finding.message,
            observed=finding.observed,
            threshold=finding.threshold,
        )
        for rule_id, finding in found
        if finding.message is not None
        and not (declined and finding.verdict is Verdict.NOTE and finding.effect is not None)
    )
    return LineDecision(
        line_id=context.line.line_id,
        requested=requested,
        approved=approved,
        in_review=in_review,
        declined=requested - approved - in_review,
        outcome=outcome,
        reasons=reasons,
    )


def _overall(lines: list[LineDecision]) -> LineOutcome:
    outcomes = {line.outcome for line in lines}
    if outcomes == {LineOutcome.APPROVED}:
        return LineOutcome.APPROVED
    if LineOutcome.NEEDS_REVIEW in outcomes:
        return LineOutcome.NEEDS_REVIEW
    if outcomes == {LineOutcome.DECLINED}:
        return LineOutcome.DECLINED
    return LineOutcome.PARTIALLY_APPROVED


def _method(wanted: RefundMethod, allowed: frozenset[RefundMethod]) -> RefundMethod:
    if wanted in allowed:
        return wanted
    for method in (RefundMethod.STORE_CREDIT, *_METHOD_PREFERENCE):
        if method in allowed:
            return method
    return RefundMethod.STORE_CREDIT
