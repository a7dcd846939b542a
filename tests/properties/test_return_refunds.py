"""Refunds of returns add up: never more than was paid, and exactly the total when all comes back.

Each example takes an order paid in full (with one to three tenders) and delivered, splits
the units of every line over a few returns (RMAs), and runs them through ``apply_return``
with their steps interleaved at random: open and decide, receive (in one or two parts),
refund, to the order's payments or as store credit (which the order records as credited).
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import event, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ecomkit import Money
from ecomkit.money import Currency
from ecomkit.orders import Order, RequestReturn, apply, replay
from ecomkit.returns import (
    ExchangeItems,
    OriginalShippingRefund,
    ReceivedItem,
    ReceiveItems,
    RefundMethod,
    RefundReturn,
    RestockingFee,
    ReturnCommand,
    ReturnKind,
    ReturnLine,
    ReturnPolicy,
    ReturnRequest,
    ReturnShippingFee,
    ReturnWindow,
    ReviewReturn,
    Rma,
    RmaStatus,
    ShippingRefund,
    apply_return,
    eu_policy,
    open_return,
    replay_return,
)
from ecomkit.serialization import from_json, to_json
from ecomkit.testing import strategies as ek


#: Where the money of a return may go (an exchange pays nothing back).
REFUND_METHODS = (RefundMethod.ORIGINAL_PAYMENT, RefundMethod.STORE_CREDIT)

# ---------------------------------------------------------------------- policies


def no_fee_policies(currency: Currency) -> list[tuple[ReturnKind, ReturnPolicy]]:
    """Policies that give everything back, delivery with the last item."""
    del currency
    voluntary = ReturnPolicy(
        name="full refund",
        version="1",
        rules=[
            ReturnWindow(rule_id="window", days=30),
            OriginalShippingRefund(rule_id="delivery", mode=ShippingRefund.WHEN_ALL_RETURNED),
        ],
    )
    return [(ReturnKind.VOLUNTARY, voluntary), (ReturnKind.WITHDRAWAL, eu_policy())]


@st.composite
def fee_policies(draw: st.DrawFn, currency: Currency) -> tuple[ReturnKind, ReturnPolicy]:
    """A voluntary policy with fees, or a withdrawal with the cost of return and a cap."""
    fee = draw(ek.money(currency=currency, min_units=0, max_units=2_000))
    if draw(st.booleans()):
        return ReturnKind.WITHDRAWAL, eu_policy(
            return_costs=[fee],
            standard_delivery=[draw(ek.money(currency=currency, min_units=0, max_units=3_000))],
        )
    rules = [
        ReturnWindow(rule_id="window", days=30),
        OriginalShippingRefund(rule_id="delivery", mode=draw(st.sampled_from(ShippingRefund))),
    ]
    if draw(st.booleans()):
        rate = Decimal(draw(st.sampled_from(("0.05", "0.1", "0.15", "0.25", "1"))))
        rules.append(RestockingFee(rule_id="restocking", rate=rate))
    else:
        rules.append(RestockingFee(rule_id="restocking", amounts=[fee]))
    if draw(st.booleans()):
        rules.append(ReturnShippingFee(rule_id="label", amounts=[fee]))
    return ReturnKind.VOLUNTARY, ReturnPolicy(name="fees", version="1", rules=rules)


# ---------------------------------------------------------------------- splitting and running


@st.composite
def splits(draw: st.DrawFn, order: Order, max_returns: int = 4) -> list[dict[str, int]]:
    """Every unit of every line, spread over one to *max_returns* returns (none empty)."""
    count = draw(st.integers(1, max_returns))
    returns: list[dict[str, int]] = [{} for _ in range(count)]
    for line in order.lines:
        for _unit in range(line.quantity):
            chosen = returns[draw(st.integers(0, count - 1))]
            chosen[line.line_id] = chosen.get(line.line_id, 0) + 1
    return [units for units in returns if units]


@st.composite
def receipts(draw: st.DrawFn, units: dict[str, int]) -> list[dict[str, int]]:
    """The units of one return coming back in one or two parcels."""
    if sum(units.values()) == 1 or draw(st.booleans()):
        return [units]
    first = {line_id: draw(st.integers(0, quantity)) for line_id, quantity in units.items()}
    second = {line_id: units[line_id] - quantity for line_id, quantity in first.items()}
    parcels = [{k: v for k, v in parcel.items() if v} for parcel in (first, second)]
    return [parcel for parcel in parcels if parcel]


@attrs.define
class Run:
    """One return of the run: its units, policy, receipts, and where it is."""

    return_id: str
    kind: ReturnKind
    policy: ReturnPolicy
    units: dict[str, int]
    receipts: list[dict[str, int]]
    method: RefundMethod = RefundMethod.ORIGINAL_PAYMENT
    rma: Rma | None = None
    step: int = 0

    @property
    def steps(self) -> int:
        return 1 + len(self.receipts) + 1  # open and decide, the receipts, the refund


class Runner:
    """Applies the steps of several returns to one order, a minute apart."""

    def __init__(self, order: Order) -> None:
        self.order = order
        self.at = pendulum.instance(order.events[-1].at).add(days=1)

    def tick(self) -> pendulum.DateTime:
        self.at = self.at.add(minutes=1)
        return self.at

    def advance(self, run: Run) -> None:
        at = self.tick()
        key = f"{run.return_id}/{run.step}"
        if run.step == 0:
            request = ReturnRequest(
                return_id=run.return_id,
                kind=run.kind,
                requested_at=at,
                lines=[ReturnLine(line_id=k, quantity=v) for k, v in run.units.items()],
                refund_method=run.method,
            )
            run.rma, self.order, _ = open_return(
                run.policy, request, order=self.order, at=at, key=key
            )
            assert run.rma.status is RmaStatus.APPROVED, run.rma.decision.explain()
        elif run.step <= len(run.receipts):
            parcel = run.receipts[run.step - 1]
            items = [ReceivedItem(line_id=k, quantity=v) for k, v in parcel.items()]
            run.rma, self.order, _ = apply_return(
                run.rma, ReceiveItems(key=key, items=items), order=self.order, at=at
            )
        else:
            assert run.rma.status is RmaStatus.RECEIVED
            run.rma, self.order, _ = apply_return(
                run.rma, RefundReturn(key=key), order=self.order, at=at
            )
            credited = run.method is RefundMethod.STORE_CREDIT
            assert run.rma.status is (RmaStatus.CREDITED if credited else RmaStatus.REFUNDED)
        run.step += 1


@st.composite
def interleavings(draw: st.DrawFn, runs: list[Run]) -> list[Run]:
    """The steps of every return, each return's in its order, interleaved at random."""
    tokens = [index for index, run in enumerate(runs) for _ in range(run.steps)]
    return [runs[index] for index in draw(st.permutations(tokens))]


def total(currency: Currency, amounts: list[Money]) -> Money:
    return sum(amounts, Money.zero(currency))


def paid_for_items(order: Order) -> Money:
    return total(order.currency, [line.total.gross for line in order.lines])


def run_returns(
    data: st.DataObject, order: Order, policies: st.SearchStrategy
) -> tuple[Order, list[Rma]]:
    """Split the order's units over returns and run them all; return the order and them."""
    runner = Runner(order)
    runs = []
    for index, units in enumerate(data.draw(splits(order), label="split"), start=1):
        kind, policy = data.draw(policies, label="policy")
        runs.append(
            Run(
                return_id=f"r-{index}",
                kind=kind,
                policy=policy,
                units=units,
                receipts=data.draw(receipts(units), label="receipts"),
                method=data.draw(st.sampled_from(REFUND_METHODS), label="method"),
            )
        )
    for run in data.draw(interleavings(runs), label="order of steps"):
        runner.advance(run)
    event(f"{len(runs)} return(s)")
    return runner.order, [run.rma for run in runs]


# ---------------------------------------------------------------------- properties


class TestReturnRefunds:
    @settings(deadline=None)
    @given(data=st.data(), order=ek.delivered_orders(max_payments=3))
    def test_refunds_never_pay_back_more_than_was_paid_whatever_the_split_and_fees(
        self, data, order
    ):
        currency = order.currency
        policies = fee_policies(currency) | st.sampled_from(no_fee_policies(currency))
        after, rmas = run_returns(data, order, policies)
        refunds = [refund for rma in rmas for refund in rma.refunds]
        to_payments = [
            refund for refund in refunds if refund.method is RefundMethod.ORIGINAL_PAYMENT
        ]
        as_credit = [refund for refund in refunds if refund.method is RefundMethod.STORE_CREDIT]
        assert total(currency, [refund.total for refund in to_payments]) == after.refunded
        assert total(currency, [refund.store_credit for refund in as_credit]) == after.credited
        assert after.refunded + after.credited <= after.captured == order.captured
        for payment in after.payments:
            assert not payment.refunded.is_negative()
            assert payment.refunded <= payment.captured
        for refund in refunds:
            assert not refund.total.is_negative()
            assert refund.unallocated.is_zero()
            paid = total(currency, [part.amount for part in refund.tenders])
            assert paid + refund.store_credit == refund.total
        assert after.shipping_refunded <= after.shipping_price
        back = total(currency, [refund.total for refund in refunds])
        assert back <= paid_for_items(after) + after.shipping_price
        for line in after.lines:
            assert line.returned == line.quantity
            assert line.refunded == line.quantity

    @settings(deadline=None)
    @given(data=st.data(), order=ek.delivered_orders(max_payments=3))
    def test_everything_back_without_fees_refunds_exactly_the_order_total(self, data, order):
        policies = st.sampled_from(no_fee_policies(order.currency))
        after, rmas = run_returns(data, order, policies)
        assert total(order.currency, [rma.refunded for rma in rmas]) == order.total.gross
        assert after.refunded + after.credited == order.total.gross == order.captured
        assert after.shipping_refunded == order.shipping_price
        for payment in after.payments:
            assert payment.refunded <= payment.captured
        if all(rma.status is RmaStatus.REFUNDED for rma in rmas):
            assert all(payment.refunded == payment.captured for payment in after.payments)
        assert all(line.refunded == line.quantity for line in after.lines)

    @settings(deadline=None)
    @given(data=st.data(), order=ek.delivered_orders(max_payments=2))
    def test_consecutive_refunds_of_a_lines_units_add_up_to_the_lines_total(self, data, order):
        line = data.draw(st.sampled_from(order.lines), label="line")
        parts = data.draw(_compositions(line.quantity), label="parts")
        policy = ReturnPolicy(
            name="items only", version="1", rules=[ReturnWindow(rule_id="window", days=30)]
        )
        runner = Runner(order)
        items = []
        for index, quantity in enumerate(parts, start=1):
            run = Run(
                return_id=f"r-{index}",
                kind=ReturnKind.VOLUNTARY,
                policy=policy,
                units={line.line_id: quantity},
                receipts=[{line.line_id: quantity}],
                method=data.draw(st.sampled_from(REFUND_METHODS), label="method"),
            )
            for _step in range(run.steps):
                runner.advance(run)
            (refund,) = run.rma.refunds
            assert refund.shipping.is_zero()
            assert refund.deductions == ()
            assert refund.total == refund.items.gross
            items.append(refund.items)
        assert total(order.currency, [item.gross for item in items]) == line.total.gross
        assert total(order.currency, [item.net for item in items]) == line.total.net
        assert runner.order.line(line.line_id).refunded == line.quantity


def _compositions(quantity: int) -> st.SearchStrategy[list[int]]:
    """The ways of writing *quantity* as an ordered sum of positive parts."""

    @st.composite
    def build(draw: st.DrawFn) -> list[int]:
        cuts = draw(st.sets(st.integers(1, quantity - 1))) if quantity > 1 else set()
        bounds = [0, *sorted(cuts), quantity]
        return [high - low for low, high in itertools.pairwise(bounds)]

    return build()


# ---------------------------------------------------------------------- the strategies


class TestReturnStrategies:
    @given(ek.delivered_orders(max_payments=3, max_shipments=3))
    def test_delivered_orders_are_paid_and_delivered_in_full(self, order):
        assert replay(order.events) == order
        assert order.captured == order.total.gross
        assert order.outstanding.is_zero()
        assert len(order.payments) <= 3
        assert all(payment.open.is_zero() for payment in order.payments)
        assert 1 <= len(order.shipments) <= 3
        assert all(shipment.delivered_at is not None for shipment in order.shipments)
        for line in order.lines:
            assert line.delivered == line.quantity
            assert line.return_requested == 0

    @given(data=st.data(), order=ek.delivered_orders())
    def test_return_requests_name_only_units_that_can_still_be_returned(self, data, order):
        kind = data.draw(st.sampled_from(ReturnKind), label="kind")
        request = data.draw(ek.return_requests(order, kind=kind, return_id="r-7"), label="request")
        assert request.kind is kind
        assert request.return_id == "r-7"
        assert request.requested_at >= order.events[-1].at
        for line in request.lines:
            order_line = order.line(line.line_id)
            assert 1 <= line.quantity <= order_line.delivered - order_line.return_requested
            assert line.remedy is None or kind is ReturnKind.COMPLAINT

    def test_return_requests_refuse_an_order_with_nothing_left_to_return(self):
        order = find(ek.delivered_orders(), lambda _order: True)
        lines = {line.line_id: line.quantity for line in order.lines}
        taken, _ = apply(order, RequestReturn(key="all", lines=lines), at=order.events[-1].at)
        with pytest.raises(InvalidArgument):
            ek.return_requests(taken)

    def test_the_strategies_refuse_sizes_that_make_no_sense(self):
        with pytest.raises(InvalidArgument):
            ek.delivered_orders(max_payments=0)
        with pytest.raises(InvalidArgument):
            ek.delivered_orders(max_shipments=0)
        with pytest.raises(InvalidArgument):
            ek.return_policies(max_rules=-1)

    @given(ek.return_policies(currency="JPY", max_rules=0))
    def test_a_policy_may_have_no_rules(self, policy):
        assert policy.rules == ()

    @given(st.from_type(ReturnPolicy))
    def test_policies_are_registered_for_from_type_and_round_trip_through_json(self, policy):
        assert isinstance(policy, ReturnPolicy)
        assert len({rule.rule_id for rule in policy.rules}) == len(policy.rules)
        assert from_json(to_json(policy), ReturnPolicy) == policy

    @settings(deadline=None)
    @given(data=st.data(), order=ek.delivered_orders())
    def test_any_decision_of_any_policy_can_be_carried_out_without_overpaying(self, data, order):
        policy = data.draw(ek.return_policies(currency=order.currency), label="policy")
        request = data.draw(ek.return_requests(order), label="request")
        at = request.requested_at
        rma, order_after, _ = open_return(policy, request, order=order, at=at, key="r")
        decision = rma.decision
        event(f"outcome: {decision.outcome.value}")
        for line in decision.lines:
            assert line.approved + line.in_review + line.declined == line.requested
            assert counters_reserved(order_after, line.line_id) == line.approved + line.in_review
        if rma.status is RmaStatus.NEEDS_REVIEW:
            approve = {line.line_id: line.in_review for line in rma.lines}
            rma, order_after, _ = apply_return(
                rma, ReviewReturn(key="r/review", approve=approve), order=order_after, at=at
            )
        if rma.status not in {RmaStatus.APPROVED, RmaStatus.PARTIALLY_APPROVED}:
            return
        items = [
            ReceivedItem(line_id=item.line_id, quantity=item.quantity)
            for item in rma.units("awaiting")
        ]
        rma, order_after, _ = apply_return(
            rma, ReceiveItems(key="r/receive", items=items), order=order_after, at=at
        )
        assert rma.status is RmaStatus.RECEIVED
        if decision.refund_method is RefundMethod.EXCHANGE:
            command: ReturnCommand = ExchangeItems(key="r/exchange")
        else:
            command = RefundReturn(key="r/refund")
        rma, order_after, _ = apply_return(rma, command, order=order_after, at=at)
        assert rma.status in {RmaStatus.REFUNDED, RmaStatus.CREDITED, RmaStatus.EXCHANGED}
        assert order_after.refunded <= order_after.captured
        assert rma.refunded <= order.total.gross
        assert replay_return(rma.events) == rma


def counters_reserved(order: Order, line_id: str) -> int:
    return order.line(line_id).return_requested
