"""Random runs of several returns (RMAs) against one order keep both sets of ledgers in step.

The machine takes an order paid and delivered in full, then opens returns for it under a
few policies (no fees, fees, review above a threshold, the EU statutory rules) and sends
them commands of every kind: reviews, labels, receipts, write-offs, refunds, exchanges,
closing, cancelling. Arguments are read from the returns' counters so that most commands
are accepted; one rule sends any command to any return, so refusals are exercised too, and
another sends an accepted command again with its key, which must change nothing.

After every step the returns replay from their logs and the order's counters and money
are exactly what the returns account for: units reserved, back, written off and settled
(refunded to the payments, credited, or exchanged), and the money paid back or credited.
"""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from ecomkit import Money
from ecomkit.errors import ReturnCommandRejectedError
from ecomkit.money import Currency
from ecomkit.orders import Order, replay
from ecomkit.returns import (
    RETURN_LIFECYCLE,
    AwaitItems,
    CancelReturn,
    CloseReturn,
    ExchangeItems,
    ReceivedItem,
    ReceiveItems,
    RefundMethod,
    RefundReturn,
    RestockingFee,
    ReturnCommand,
    ReturnPolicy,
    ReturnRequest,
    ReturnShippingFee,
    ReturnWindow,
    ReviewAbove,
    ReviewReturn,
    Rma,
    RmaStatus,
    WriteOffItems,
    apply_return,
    eu_policy,
    open_return,
    replay_return,
)
from ecomkit.serialization import to_json
from ecomkit.testing import strategies as ek


MAX_RETURNS = 4
TERMINAL = frozenset(RETURN_LIFECYCLE.terminal)
DECIDED = frozenset({RmaStatus.APPROVED, RmaStatus.PARTIALLY_APPROVED})
RECEIVING = DECIDED | {RmaStatus.AWAITING_ITEMS}
SETTLED = frozenset(
    {RmaStatus.REFUNDED, RmaStatus.EXCHANGED, RmaStatus.CREDITED, RmaStatus.DECLINED}
)


def policies(currency: Currency) -> list[ReturnPolicy]:
    fee = Money.from_minor_units(150, currency)
    return [
        ReturnPolicy(name="plain", version="1", rules=[ReturnWindow(rule_id="window", days=30)]),
        ReturnPolicy(
            name="fees",
            version="1",
            rules=[
                ReturnWindow(rule_id="window", days=30),
                RestockingFee(rule_id="restocking", amounts=[fee]),
                ReturnShippingFee(rule_id="label", amounts=[fee]),
            ],
        ),
        ReturnPolicy(
            name="reviewed",
            version="1",
            rules=[
                ReturnWindow(rule_id="window", days=30),
                ReviewAbove(rule_id="review", amounts=[Money.from_minor_units(5_000, currency)]),
            ],
        ),
        eu_policy(),
    ]


def reserved(rma: Rma) -> dict[str, int]:
    """Units the order must hold as requested for this return, per line."""
    if rma.status is RmaStatus.CANCELLED:
        return {}
    return {line.line_id: line.approved + line.in_review for line in rma.lines}


class ReturnMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.order: Order
        self.rmas: dict[str, Rma] = {}
        self.sent: list[tuple[str, ReturnCommand]] = []
        self.at = pendulum.datetime(2026, 3, 2, tz="UTC")
        self.keys = 0

    # ------------------------------------------------------------------ helpers

    def tick(self) -> pendulum.DateTime:
        self.at = self.at.add(minutes=1)
        return self.at

    def key(self, return_id: str) -> str:
        # Keys name their return: order keys are derived from them (see the module doc).
        self.keys += 1
        return f"{return_id}/{self.keys}"

    def pick(self, data: st.DataObject, statuses: frozenset[RmaStatus]) -> Rma | None:
        found = sorted(rid for rid, rma in self.rmas.items() if rma.status in statuses)
        if not found:
            return None
        return self.rmas[data.draw(st.sampled_from(found), label="return")]

    def send(self, rma: Rma, command: ReturnCommand, *, expected: bool = True) -> bool:
        """Send *command*; check the outcome; return whether it was accepted."""
        before = (to_json(rma), to_json(self.order))
        name = type(command).__name__
        refusal: ReturnCommandRejectedError | None = None
        try:
            after, order, events = apply_return(rma, command, order=self.order, at=self.tick())
        except ReturnCommandRejectedError as error:
            refusal = error
        if refusal is not None:
            event(f"{name}: rejected")
            assert not expected, f"{name} was refused: {refusal}"
            assert (to_json(rma), to_json(self.order)) == before
            assert refusal.return_id == rma.return_id
            assert refusal.status == rma.status.value
            assert refusal.command == name
            return False
        event(f"{name}: accepted")
        assert rma.status not in TERMINAL
        assert after.events == (*rma.events, *events)
        assert after.version == rma.version + 1
        self.rmas[rma.return_id] = after
        self.order = order
        self.sent.append((rma.return_id, command))
        return True

    # ------------------------------------------------------------------ start

    @initialize(order=ek.delivered_orders(max_payments=2))
    def start(self, order):
        self.order = order
        self.at = pendulum.instance(order.events[-1].at)
        self.policies = policies(order.currency)

    # ------------------------------------------------------------------ rules

    @rule(data=st.data())
    def open(self, data):
        if len(self.rmas) >= MAX_RETURNS or not any(
            line.delivered > line.return_requested for line in self.order.lines
        ):
            return
        return_id = f"r-{len(self.rmas) + 1}"
        policy = data.draw(st.sampled_from(self.policies), label="policy")
        kind = "withdrawal" if policy.name.startswith("EU") else "voluntary"
        request = data.draw(
            ek.return_requests(
                self.order, kind=kind, return_id=return_id, requested_at=self.tick()
            ),
            label="request",
        )
        request = _plain(request)
        before = self.order
        rma, self.order, _ = open_return(
            policy, request, order=before, at=request.requested_at, key=return_id
        )
        self.rmas[return_id] = rma
        event(f"opened: {rma.status.value}")
        for line in rma.decision.lines:
            order_line = before.line(line.line_id)
            assert line.approved + line.in_review <= order_line.delivered - (
                order_line.return_requested
            )

    @rule(data=st.data())
    def review(self, data):
        rma = self.pick(data, frozenset({RmaStatus.NEEDS_REVIEW}))
        if rma is None:
            return
        approve = {
            line.line_id: data.draw(st.integers(0, line.in_review), label="approve")
            for line in rma.lines
            if line.in_review
        }
        self.send(rma, ReviewReturn(key=self.key(rma.return_id), approve=approve))

    @rule(data=st.data())
    def issue_label(self, data):
        rma = self.pick(data, DECIDED)
        if rma is not None:
            self.send(rma, AwaitItems(key=self.key(rma.return_id), carrier="inpost"))

    def some_awaited(self, data: st.DataObject, rma: Rma) -> dict[str, int]:
        awaited = {item.line_id: item.quantity for item in rma.units("awaiting")}
        if data.draw(st.booleans(), label="all of them"):
            return awaited
        chosen = data.draw(st.lists(st.sampled_from(sorted(awaited)), min_size=1, unique=True))
        return {line_id: data.draw(st.integers(1, awaited[line_id])) for line_id in chosen}

    @rule(data=st.data())
    def receive(self, data):
        rma = self.pick(data, RECEIVING)
        if rma is None:
            return
        units = self.some_awaited(data, rma)
        items = [
            ReceivedItem(
                line_id=line_id,
                quantity=quantity,
                resellable=data.draw(st.booleans(), label="resellable"),
            )
            for line_id, quantity in units.items()
        ]
        before_order = self.order
        self.send(rma, ReceiveItems(key=self.key(rma.return_id), items=items))
        for line_id, quantity in units.items():
            assert (
                self.order.line(line_id).returned == before_order.line(line_id).returned + quantity
            )

    @rule(data=st.data())
    def write_off(self, data):
        rma = self.pick(data, RECEIVING)
        if rma is None:
            return
        units = self.some_awaited(data, rma)
        self.send(rma, WriteOffItems(key=self.key(rma.return_id), lines=units, reason="kept"))

    @rule(data=st.data())
    def refund(self, data):
        rma = self.pick(data, frozenset({RmaStatus.RECEIVED}))
        if rma is None:
            return
        before = self.order
        if rma.decision.refund_method is RefundMethod.EXCHANGE:
            self.send(rma, ExchangeItems(key=self.key(rma.return_id)))
            return
        method = data.draw(st.sampled_from(rma.decision.allowed_methods), label="method")
        accepted = self.send(
            rma,
            RefundReturn(key=self.key(rma.return_id), method=method),
            expected=method is not RefundMethod.EXCHANGE,
        )
        if not accepted:
            return
        refund = self.rmas[rma.return_id].refunds[-1]
        assert self.order.refunded + self.order.credited == (
            before.refunded + before.credited + refund.total
        )
        for item in refund.lines:
            assert (
                self.order.line(item.line_id).refunded
                == before.line(item.line_id).refunded + item.quantity
            )

    @rule(data=st.data())
    def exchange(self, data):
        rma = self.pick(data, frozenset({RmaStatus.RECEIVED}))
        if rma is not None:
            before = self.order
            unsettled = {item.line_id: item.quantity for item in rma.units("unsettled")}
            self.send(rma, ExchangeItems(key=self.key(rma.return_id), replacement_order_id="o-x"))
            assert self.order.refunded == before.refunded
            assert self.order.credited == before.credited
            for line_id, quantity in unsettled.items():
                assert self.order.line(line_id).refunded == before.line(line_id).refunded + quantity

    @rule(data=st.data())
    def close(self, data):
        rma = self.pick(data, SETTLED)
        if rma is not None:
            before = self.order
            self.send(rma, CloseReturn(key=self.key(rma.return_id)))
            assert self.order == before

    @rule(data=st.data())
    def cancel(self, data):
        rma = self.pick(data, frozenset(RmaStatus) - TERMINAL)
        if rma is None:
            return
        back = sum(line.received + line.written_off for line in rma.lines)
        allowed = CancelReturn in RETURN_LIFECYCLE.allowed(rma.status) and back == 0
        before = self.order
        if self.send(rma, CancelReturn(key=self.key(rma.return_id)), expected=allowed):
            for line in rma.lines:
                assert self.order.line(line.line_id).return_requested == (
                    before.line(line.line_id).return_requested - line.reserved
                )
        else:
            assert not allowed

    @rule(data=st.data())
    def out_of_turn(self, data):
        """Any kind of command to any return, whatever its status, or to no return at all."""
        rma = None
        if self.rmas and data.draw(st.sampled_from((True, True, True, False)), label="a return"):
            rma = self.rmas[data.draw(st.sampled_from(sorted(self.rmas)), label="return")]
        return_id = "r-none" if rma is None else rma.return_id
        key = self.key(return_id)
        line_id = self.order.lines[0].line_id if rma is None else rma.lines[0].line_id
        command = data.draw(
            st.sampled_from(
                [
                    ReviewReturn(key=key, approve={line_id: 1}),
                    AwaitItems(key=key),
                    ReceiveItems(key=key, items=[ReceivedItem(line_id=line_id, quantity=1)]),
                    WriteOffItems(key=key, lines={line_id: 1}),
                    RefundReturn(key=key),
                    ExchangeItems(key=key),
                    CloseReturn(key=key),
                    CancelReturn(key=key),
                ]
            ),
            label="command",
        )
        if rma is None:
            order = self.order
            with pytest.raises(ReturnCommandRejectedError) as caught:
                apply_return(None, command, order=order, at=self.tick())
            assert (caught.value.status, caught.value.return_id) == ("new", "")
            assert self.order is order
            return
        allowed = type(command) in RETURN_LIFECYCLE.allowed(rma.status)
        accepted = self.send(rma, command, expected=False)
        assert allowed or not accepted

    @rule(data=st.data())
    def send_again(self, data):
        """An accepted command sent again with its key changes nothing on either side."""
        if not self.sent:
            return
        return_id, command = data.draw(st.sampled_from(self.sent), label="sent before")
        rma, order = self.rmas[return_id], self.order
        again, order_again, events = apply_return(rma, command, order=order, at=self.tick())
        assert again is rma
        assert order_again is order
        (recorded,) = events
        assert recorded in rma.events
        assert recorded.key == command.key

    # ------------------------------------------------------------------ invariants

    @invariant()
    def every_return_is_what_its_log_replays_to(self):
        for rma in self.rmas.values():
            assert replay_return(rma.events) == rma
            for line in rma.lines:
                assert line.approved + line.in_review + line.declined in {0, line.requested}
                assert line.settled <= line.received + line.written_off <= line.approved

    @invariant()
    def the_orders_counters_are_what_the_returns_account_for(self):
        if not hasattr(self, "order"):
            return
        assert replay(self.order.events) == self.order
        for line in self.order.lines:
            rmas = self.rmas.values()
            assert line.return_requested == sum(reserved(rma).get(line.line_id, 0) for rma in rmas)
            assert line.returned == sum(_count(rma, line.line_id, "received") for rma in rmas)
            assert line.written_off == sum(_count(rma, line.line_id, "written_off") for rma in rmas)
            settled = sum(_count(rma, line.line_id, "settled") for rma in rmas)
            assert line.refunded == settled

    @invariant()
    def the_payments_paid_back_what_the_returns_refunded_and_never_more(self):
        if not hasattr(self, "order"):
            return
        order = self.order
        refunds = [refund for rma in self.rmas.values() for refund in rma.refunds]
        paid = sum((refund.total for refund in refunds), Money.zero(order.currency))
        assert order.refunded + order.credited == paid
        credited = sum((refund.store_credit for refund in refunds), Money.zero(order.currency))
        assert order.credited == credited
        assert order.refunded + order.credited <= order.captured
        for payment in order.payments:
            assert not payment.refunded.is_negative()
            assert payment.refunded <= payment.captured
        assert order.shipping_refunded <= order.shipping_price


def _count(rma: Rma, line_id: str, counter: str) -> int:
    return sum(getattr(line, counter) for line in rma.lines if line.line_id == line_id)


def _plain(request: ReturnRequest) -> ReturnRequest:
    """Keep the units and the refund method; drop the facts that seldom matter here."""
    return ReturnRequest(
        return_id=request.return_id,
        kind=request.kind,
        lines=request.lines,
        requested_at=request.requested_at,
        refund_method=request.refund_method,
        customer_group=request.customer_group,
        country=request.country,
    )


ReturnMachine.TestCase.settings = settings(deadline=None, stateful_step_count=30)
TestReturnMachine = ReturnMachine.TestCase
