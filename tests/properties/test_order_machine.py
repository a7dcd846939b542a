"""Random command sequences against one order keep its ledgers, its log and its lifecycle sound.

The machine places an order from a generated spec, sometimes takes it straight along the
path of a smooth order (paid, packed, shipped, delivered, completed, all of it asked
back), and then sends it commands of every kind. Arguments are read from the order's
current ledgers so that many commands are accepted, and now and then they are wrong on
purpose (an unknown line, one unit too many, an amount one minor unit above what is open)
and must be refused. Rules are steered to the statuses where their command can be
accepted; one rule sends any command whatever the status, so refusals and terminal
statuses are exercised too.

After every accepted command the event, the version and what changed are checked; after
every step the documented invariants are: the counter chains, the payment chains, the
event log, replay, the total, and terminal statuses absorbing everything that follows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pendulum
import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from ecomkit.errors import (
    CommandRejectedError,
    IdempotencyConflictError,
    InvalidValueError,
    VersionConflictError,
)
from ecomkit.money import Currency, Money
from ecomkit.orders import (
    AuthorizePayment,
    CancellationReason,
    CancelLines,
    CancelOrder,
    CancelReturnRequest,
    CapturePayment,
    CloseOrder,
    CompleteOrder,
    ConfirmDelivery,
    ConfirmOrder,
    FulfilLines,
    FulfilmentStatus,
    HoldOrder,
    InvoiceIssued,
    IssueInvoice,
    LinesCancelled,
    LinesWrittenOff,
    MarketplaceStatus,
    Order,
    OrderCancelled,
    OrderClosed,
    OrderCommand,
    OrderCompleted,
    OrderConfirmed,
    OrderEvent,
    OrderHeld,
    OrderLine,
    OrderPlaced,
    OrderReleased,
    OrderStatus,
    PaymentAuthorized,
    PaymentCaptured,
    PaymentRefunded,
    PaymentStatus,
    PaymentVoided,
    PlaceOrder,
    ReceiveReturn,
    RefundPayment,
    ReleaseOrder,
    RequestReturn,
    ReturnReceived,
    ReturnRequestCancelled,
    ReturnRequested,
    ReturnStatus,
    ShipmentCreated,
    ShipmentDelivered,
    ShipmentShipped,
    ShipmentStatus,
    ShipShipment,
    VoidPayment,
    WriteOffLines,
    apply,
    marketplace_status,
    replay,
)
from ecomkit.testing import strategies as ek


START = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Warsaw")
TERMINAL = frozenset({OrderStatus.CANCELLED, OrderStatus.CLOSED})
UNKNOWN = "unknown"
COUNTERS = (
    "cancelled",
    "fulfilled",
    "shipped",
    "delivered",
    "return_requested",
    "returned",
    "written_off",
    "refunded",
)

EVENT_OF: dict[type[OrderCommand], type[OrderEvent]] = {
    PlaceOrder: OrderPlaced,
    ConfirmOrder: OrderConfirmed,
    HoldOrder: OrderHeld,
    ReleaseOrder: OrderReleased,
    CancelOrder: OrderCancelled,
    CompleteOrder: OrderCompleted,
    CloseOrder: OrderClosed,
    CancelLines: LinesCancelled,
    AuthorizePayment: PaymentAuthorized,
    CapturePayment: PaymentCaptured,
    VoidPayment: PaymentVoided,
    RefundPayment: PaymentRefunded,
    FulfilLines: ShipmentCreated,
    ShipShipment: ShipmentShipped,
    ConfirmDelivery: ShipmentDelivered,
    IssueInvoice: InvoiceIssued,
    RequestReturn: ReturnRequested,
    CancelReturnRequest: ReturnRequestCancelled,
    ReceiveReturn: ReturnReceived,
    WriteOffLines: LinesWrittenOff,
}

#: Mostly pick arguments the ledgers allow; now and then pick wrong ones on purpose.
well_formed = st.sampled_from((True, True, True, False))

#: How far the order is taken along the path of a paid, shipped order before the rules start.
HEAD_START = (
    "placed",
    "authorized",
    "paid",
    "packed",
    "shipped",
    "delivered",
    "completed",
    "return requested",
)

PLACED, PROCESSING, ON_HOLD, COMPLETED = (
    OrderStatus.PLACED,
    OrderStatus.PROCESSING,
    OrderStatus.ON_HOLD,
    OrderStatus.COMPLETED,
)
OPEN = (PLACED, PROCESSING, ON_HOLD)


def when(*statuses: OrderStatus, also: Callable[[Order], object] = lambda _order: True):
    """Steer a rule to the statuses (and ledgers) in which its command has a chance.

    This only spends the steps where they lead somewhere: the rule ``out_of_turn`` sends
    every kind of command whatever the status, so refusals are still exercised.
    """
    return precondition(lambda self: self.order.status in statuses and also(self.order))


def units_by_line(order: Order) -> dict[str, dict[str, int]]:
    return {line.line_id: {name: getattr(line, name) for name in COUNTERS} for line in order.lines}


def added(
    before: Order, after: Order, counter: str, quantities: dict[str, int], *, sign: int = 1
) -> None:
    """Assert that only *counter* changed, by *quantities* per line (times *sign*)."""
    expected = units_by_line(before)
    for line_id, quantity in quantities.items():
        expected[line_id][counter] += sign * quantity
    assert units_by_line(after) == expected


def nothing_taken_back(before: Order, after: Order) -> None:
    """Assert what no command undoes: counters other than open return requests, payment
    amounts, shipments and invoices only grow, and the total only shrinks."""
    old_units, new_units = units_by_line(before), units_by_line(after)
    for line_id, counters in old_units.items():
        for name, count in counters.items():
            if name != "return_requested":  # withdrawing a return request lowers it
                assert new_units[line_id][name] >= count, (line_id, name)
    for old in before.payments:
        new = after.payment(old.payment_id)
        assert new.authorized == old.authorized
        assert new.captured >= old.captured
        assert new.voided >= old.voided
        assert new.refunded >= old.refunded
    assert after.payments[: len(before.payments)] == tuple(
        after.payment(old.payment_id) for old in before.payments
    )
    assert [item.shipment_id for item in after.shipments[: len(before.shipments)]] == [
        item.shipment_id for item in before.shipments
    ]
    assert after.invoices[: len(before.invoices)] == before.invoices
    assert after.total.net <= before.total.net
    assert after.total.gross <= before.total.gross


def wanted(command: OrderCommand) -> dict[str, int]:
    return {item.line_id: item.quantity for item in command.lines}


class OrderMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.order: Order
        self.minutes = 0
        self.keys = 0
        self.history: list[tuple[OrderCommand, OrderEvent]] = []
        self.terminal: OrderStatus | None = None

    # ------------------------------------------------------------------ helpers

    def tick(self) -> pendulum.DateTime:
        self.minutes += 1
        return START.add(minutes=self.minutes)

    def new_key(self) -> str:
        self.keys += 1
        return f"key-{self.keys}"

    def expected_version(self, data: st.DataObject) -> int | None:
        """Sometimes send the order's current version along, which must not change a thing."""
        return self.order.version if data.draw(st.booleans(), label="with version") else None

    def money(self, units: int) -> Money:
        return Money.from_minor_units(units, self.order.currency)

    def run(self, command: OrderCommand, *, valid: bool = True) -> Order | None:
        """Apply *command*; return the order before it if it was accepted, else ``None``.

        A command built with wrong arguments on purpose (*valid* false) must be refused.
        """
        before = self.order
        seen = (before.version, before.status, before.events)
        at = self.tick()
        name = type(command).__name__
        try:
            after, events = apply(before, command, at=at)
        except CommandRejectedError as error:
            refusal: CommandRejectedError | None = error
        else:
            refusal = None
        if refusal is not None:
            event(f"{name}: rejected")
            assert self.order is before
            assert (before.version, before.status, before.events) == seen
            assert refusal.order_id == before.order_id
            assert refusal.status == before.status.value
            assert refusal.command == name
            return None
        event(f"{name}: accepted")
        assert valid, f"{name} with wrong arguments was accepted: {command!r}"
        assert before.status not in TERMINAL, f"{name} was accepted while {before.status.value}"
        assert (before.version, before.status, before.events) == seen
        assert len(events) == 1
        (recorded,) = events
        assert type(recorded) is EVENT_OF[type(command)]
        assert after.version == before.version + 1
        assert after.events[-1] == recorded
        assert after.events[:-1] == before.events
        assert recorded.version == after.version
        assert recorded.key == command.key
        assert recorded.at == at
        assert recorded.status is after.status
        assert recorded.order_id == before.order_id
        nothing_taken_back(before, after)
        self.order = after
        self.history.append((command, recorded))
        if after.status in TERMINAL:
            self.terminal = after.status
        return before

    def units(self, data: st.DataObject, limit: Callable[[OrderLine], int]) -> tuple[dict, bool]:
        """Draw ``{line_id: quantity}`` within *limit*, or beyond it on purpose.

        Returns the mapping and whether it is within the limit.
        """
        room = {line.line_id: limit(line) for line in self.order.lines if limit(line) > 0}
        if room and data.draw(well_formed, label="well formed"):
            chosen = data.draw(st.lists(st.sampled_from(sorted(room)), min_size=1, unique=True))
            return {line_id: data.draw(st.integers(1, room[line_id])) for line_id in chosen}, True
        if data.draw(st.booleans(), label="unknown line"):
            return {UNKNOWN: 1}, False
        line = data.draw(st.sampled_from(self.order.lines))
        return {line.line_id: limit(line) + 1}, False

    # ------------------------------------------------------------------ start

    @initialize(spec=ek.order_specs(), head_start=st.sampled_from(HEAD_START))
    def place(self, spec, head_start):
        """Place the order, then maybe take it some way along the path of a smooth order:
        pay in full, pack and ship everything, deliver, complete, ask for it all back.
        Random commands seldom get that far in one run, and the returns and refunds that
        follow are where the ledgers are most intricate. Every step must be accepted."""
        command = PlaceOrder(key=self.new_key(), spec=spec)
        at = self.tick()
        order, events = apply(None, command, at=at)
        assert order.status is OrderStatus.PLACED
        assert order.version == 1
        assert order.events == events
        assert order.placed_at == at
        self.order = order
        self.history.append((command, events[0]))
        for step in HEAD_START[1 : HEAD_START.index(head_start) + 1]:
            self.go_ahead(step)

    def go_ahead(self, step: str) -> None:
        order = self.order
        key = self.new_key()
        if step == "authorized":
            if order.outstanding.is_zero():  # a free order: nothing to pay
                return
            command: OrderCommand = AuthorizePayment(
                key=key, payment_id="payment-1", amount=order.outstanding
            )
        elif step == "paid":
            if not order.payments:
                return
            command = CapturePayment(key=key, payment_id="payment-1")
        elif step == "packed":
            lines = {line.line_id: line.unfulfilled for line in order.lines}
            command = FulfilLines(key=key, shipment_id="shipment-1", lines=lines)
        elif step == "shipped":
            command = ShipShipment(key=key, shipment_id="shipment-1")
        elif step == "delivered":
            command = ConfirmDelivery(key=key, shipment_id="shipment-1")
        elif step == "completed":
            command = CompleteOrder(key=key)
        else:
            lines = {line.line_id: line.delivered for line in order.lines if line.delivered}
            command = RequestReturn(key=key, lines=lines, return_id="rma-1")
        assert self.run(command) is not None, f"{command!r} was refused on the way to {step}"

    # ------------------------------------------------------------------ lifecycle

    @when(PLACED)
    @rule(data=st.data())
    def confirm(self, data):
        unpaid_ok = data.draw(st.booleans(), label="unpaid_ok")
        before = self.run(ConfirmOrder(key=self.new_key(), unpaid_ok=unpaid_ok))
        if before is not None:
            assert before.status is OrderStatus.PLACED
            # Captures and open authorizations must cover the total; refunds do not count.
            assert unpaid_ok or before.outstanding.is_zero()
            assert self.order.status is OrderStatus.PROCESSING

    @when(PLACED, PROCESSING)
    @rule(data=st.data())
    def hold(self, data):
        reason = data.draw(st.sampled_from(("fraud review", "address check", "out of stock")))
        before = self.run(HoldOrder(key=self.new_key(), reason=reason))
        if before is not None:
            assert before.status in {OrderStatus.PLACED, OrderStatus.PROCESSING}
            assert self.order.status is OrderStatus.ON_HOLD
            assert self.order.held_from is before.status

    @when(ON_HOLD)
    @rule(data=st.data())
    def release(self, data):
        before = self.run(
            ReleaseOrder(key=self.new_key(), expected_version=self.expected_version(data))
        )
        if before is not None:
            assert before.status is OrderStatus.ON_HOLD
            assert self.order.status is before.held_from
            assert self.order.held_from is None

    @when(*OPEN)
    @rule(data=st.data())
    def cancel_order(self, data):
        reason = data.draw(st.sampled_from(CancellationReason))
        before = self.run(CancelOrder(key=self.new_key(), reason=reason))
        if before is not None:
            assert not any(line.fulfilled for line in before.lines)
            assert (before.captured - before.refunded).is_zero()
            assert before.open_authorizations.is_zero()
            order = self.order
            assert order.status is OrderStatus.CANCELLED
            assert order.cancellation_reason is reason
            assert all(line.active == 0 for line in order.lines)
            assert all(item.cancelled for item in order.shipping)
            assert order.total.gross.is_zero()
            assert order.total.net.is_zero()

    @when(PROCESSING)
    @rule(data=st.data())
    def complete(self, data):
        before = self.run(
            CompleteOrder(key=self.new_key(), expected_version=self.expected_version(data))
        )
        if before is not None:
            active = sum(line.active for line in before.lines)
            assert active > 0
            assert sum(line.shipped for line in before.lines) == active
            assert before.captured >= before.total.gross
            assert self.order.status is OrderStatus.COMPLETED

    @when(COMPLETED)
    @rule(data=st.data())
    def close(self, data):
        before = self.run(
            CloseOrder(key=self.new_key(), expected_version=self.expected_version(data))
        )
        if before is not None:
            assert before.status is OrderStatus.COMPLETED
            assert not any(line.open_return_requests for line in before.lines)
            assert self.order.status is OrderStatus.CLOSED

    @when(*OPEN)
    @rule(data=st.data())
    def cancel_lines(self, data):
        lines, valid = self.units(data, lambda line: line.unfulfilled)
        command = CancelLines(key=self.new_key(), lines=lines)
        before = self.run(command, valid=valid)
        if before is not None:
            added(before, self.order, "cancelled", wanted(command))
            assert sum(line.active for line in self.order.lines) > 0

    # ------------------------------------------------------------------ payments

    @when(*OPEN)
    @rule(data=st.data())
    def authorize(self, data):
        order = self.order
        outstanding = order.outstanding.to_minor_units()
        existing = [payment.payment_id for payment in order.payments]
        payment_id = f"payment-{len(existing) + 1}"
        valid = outstanding > 0 and data.draw(well_formed, label="well formed")
        if valid:
            full = data.draw(st.booleans(), label="all that is outstanding")
            amount = self.money(outstanding if full else data.draw(st.integers(1, outstanding)))
        else:
            amount = self.money(outstanding + 1)
            mistake = data.draw(st.sampled_from(("too much", "taken id", "currency")))
            if mistake == "taken id" and existing:
                payment_id = data.draw(st.sampled_from(existing))
                amount = self.money(max(outstanding, 1))
            elif mistake == "currency":
                other = "JPY" if order.currency.code != "JPY" else "EUR"
                amount = Money.from_minor_units(max(outstanding, 1), Currency(other))
        command = AuthorizePayment(key=self.new_key(), payment_id=payment_id, amount=amount)
        before = self.run(command, valid=valid)
        if before is not None:
            payment = self.order.payment(payment_id)
            assert payment.authorized == amount
            assert payment.captured.is_zero()
            assert amount <= before.outstanding
            assert self.order.payments[:-1] == before.payments

    def pick_payment(self, data: st.DataObject) -> tuple[str, bool]:
        existing = [payment.payment_id for payment in self.order.payments]
        if existing and data.draw(well_formed, label="known payment"):
            return data.draw(st.sampled_from(existing)), True
        return UNKNOWN, False

    @when(*OPEN, also=lambda order: order.payments)
    @rule(data=st.data())
    def capture(self, data):
        payment_id, valid = self.pick_payment(data)
        amount = None
        if valid:
            still_open = self.order.payment(payment_id).open.to_minor_units()
            valid = still_open > 0
            choice = data.draw(st.sampled_from(("full", "partial", "too much")))
            if choice == "partial" and still_open > 0:
                amount = self.money(data.draw(st.integers(1, still_open)))
            elif choice == "too much":
                amount, valid = self.money(still_open + 1), False
        command = CapturePayment(key=self.new_key(), payment_id=payment_id, amount=amount)
        before = self.run(command, valid=valid)
        if before is not None:
            old, new = before.payment(payment_id), self.order.payment(payment_id)
            taken = old.open if amount is None else amount
            assert new.captured == old.captured + taken
            assert (new.authorized, new.voided, new.refunded) == (
                old.authorized,
                old.voided,
                old.refunded,
            )
            if amount is None:
                assert new.open.is_zero()

    @when(*OPEN, COMPLETED, also=lambda order: order.payments)
    @rule(data=st.data())
    def void(self, data):
        payment_id, valid = self.pick_payment(data)
        if valid:
            valid = self.order.payment(payment_id).open.is_positive()
        before = self.run(VoidPayment(key=self.new_key(), payment_id=payment_id), valid=valid)
        if before is not None:
            old, new = before.payment(payment_id), self.order.payment(payment_id)
            assert new.voided == old.voided + old.open
            assert new.open.is_zero()
            assert new.captured == old.captured

    @when(*OPEN, COMPLETED, also=lambda order: order.payments)
    @rule(data=st.data())
    def refund(self, data):
        payment_id, valid = self.pick_payment(data)
        refundable = self.order.payment(payment_id).refundable.to_minor_units() if valid else 0
        if refundable > 0 and data.draw(well_formed, label="well formed amount"):
            amount = self.money(data.draw(st.integers(1, refundable)))
        else:
            amount, valid = self.money(refundable + 1), False
        lines: dict = {}
        if data.draw(st.booleans(), label="for units"):
            lines, lines_valid = self.units(data, lambda line: line.refundable)
            valid = valid and lines_valid
        command = RefundPayment(
            key=self.new_key(), payment_id=payment_id, amount=amount, lines=lines
        )
        before = self.run(command, valid=valid)
        if before is not None:
            old, new = before.payment(payment_id), self.order.payment(payment_id)
            assert new.refunded == old.refunded + amount
            assert new.captured == old.captured
            added(before, self.order, "refunded", lines)

    # ------------------------------------------------------------------ shipping

    @when(PLACED, PROCESSING)
    @rule(data=st.data())
    def fulfil(self, data):
        existing = [shipment.shipment_id for shipment in self.order.shipments]
        shipment_id = f"shipment-{len(existing) + 1}"
        if data.draw(st.booleans(), label="everything"):
            lines = {
                line.line_id: line.unfulfilled for line in self.order.lines if line.unfulfilled
            }
            valid = bool(lines)
            lines = lines or {self.order.lines[0].line_id: 1}
        else:
            lines, valid = self.units(data, lambda line: line.unfulfilled)
        if existing and not data.draw(well_formed, label="new shipment id"):
            shipment_id, valid = data.draw(st.sampled_from(existing)), False
        command = FulfilLines(key=self.new_key(), shipment_id=shipment_id, lines=lines)
        before = self.run(command, valid=valid)
        if before is not None:
            assert before.status is not OrderStatus.ON_HOLD  # a hold stops fulfilment
            shipment = self.order.shipment(shipment_id)
            assert shipment.status is ShipmentStatus.PENDING
            assert {item.line_id: item.quantity for item in shipment.lines} == lines
            added(before, self.order, "fulfilled", lines)
            if before.status is OrderStatus.PLACED:
                assert self.order.status is OrderStatus.PROCESSING

    def pick_shipment(self, data: st.DataObject, status: ShipmentStatus) -> tuple[str, bool]:
        existing = self.order.shipments
        if existing and data.draw(well_formed, label="known shipment"):
            shipment = data.draw(st.sampled_from(existing))
            return shipment.shipment_id, shipment.status is status
        return UNKNOWN, False

    @when(PROCESSING, also=lambda order: order.shipments)
    @rule(data=st.data())
    def ship(self, data):
        shipment_id, valid = self.pick_shipment(data, ShipmentStatus.PENDING)
        command = ShipShipment(key=self.new_key(), shipment_id=shipment_id, carrier="dpd")
        before = self.run(command, valid=valid)
        if before is not None:
            assert before.status is not OrderStatus.ON_HOLD  # a hold stops fulfilment
            shipment = self.order.shipment(shipment_id)
            assert shipment.status is ShipmentStatus.SHIPPED
            assert shipment.carrier == "dpd"
            added(before, self.order, "shipped", {i.line_id: i.quantity for i in shipment.lines})

    @when(PROCESSING, ON_HOLD, COMPLETED, also=lambda order: order.shipments)
    @rule(data=st.data())
    def confirm_delivery(self, data):
        shipment_id, valid = self.pick_shipment(data, ShipmentStatus.SHIPPED)
        before = self.run(ConfirmDelivery(key=self.new_key(), shipment_id=shipment_id), valid=valid)
        if before is not None:
            shipment = self.order.shipment(shipment_id)
            assert shipment.status is ShipmentStatus.DELIVERED
            added(before, self.order, "delivered", {i.line_id: i.quantity for i in shipment.lines})

    @when(*OPEN, COMPLETED)
    @rule(data=st.data())
    def issue_invoice(self, data):
        numbers = [invoice.invoice_number for invoice in self.order.invoices]
        number, valid = f"INV-{len(numbers) + 1}", True
        if numbers and not data.draw(well_formed, label="new number"):
            number, valid = data.draw(st.sampled_from(numbers)), False
        command = IssueInvoice(
            key=self.new_key(), invoice_number=number, expected_version=self.expected_version(data)
        )
        before = self.run(command, valid=valid)
        if before is not None:
            assert self.order.invoices[:-1] == before.invoices
            assert self.order.invoices[-1].invoice_number == number

    # ------------------------------------------------------------------ return requests

    @when(PROCESSING, ON_HOLD, COMPLETED, also=lambda order: any(x.delivered for x in order.lines))
    @rule(data=st.data())
    def request_return(self, data):
        lines, valid = self.units(data, lambda line: line.delivered - line.return_requested)
        command = RequestReturn(key=self.new_key(), lines=lines, return_id="rma-1")
        before = self.run(command, valid=valid)
        if before is not None:
            added(before, self.order, "return_requested", lines)

    @when(
        PROCESSING,
        ON_HOLD,
        COMPLETED,
        also=lambda order: any(x.return_requested for x in order.lines),
    )
    @rule(data=st.data())
    def cancel_return_request(self, data):
        lines, valid = self.units(data, lambda line: line.open_return_requests)
        before = self.run(CancelReturnRequest(key=self.new_key(), lines=lines), valid=valid)
        if before is not None:
            added(before, self.order, "return_requested", lines, sign=-1)

    @when(
        PROCESSING,
        ON_HOLD,
        COMPLETED,
        also=lambda order: any(x.return_requested for x in order.lines),
    )
    @rule(data=st.data())
    def receive_return(self, data):
        lines, valid = self.units(data, lambda line: line.open_return_requests)
        before = self.run(ReceiveReturn(key=self.new_key(), lines=lines), valid=valid)
        if before is not None:
            added(before, self.order, "returned", lines)

    @when(
        PROCESSING,
        ON_HOLD,
        COMPLETED,
        also=lambda order: any(x.return_requested for x in order.lines),
    )
    @rule(data=st.data())
    def write_off(self, data):
        lines, valid = self.units(data, lambda line: line.open_return_requests)
        command = WriteOffLines(key=self.new_key(), lines=lines, reason="lost in transit")
        before = self.run(command, valid=valid)
        if before is not None:
            added(before, self.order, "written_off", lines)

    @rule(data=st.data())
    def out_of_turn(self, data):
        """Send any kind of command whatever the status, the steering above notwithstanding."""
        name = data.draw(st.sampled_from(COMMAND_RULES), label="command")
        getattr(self, name)(data)

    # ------------------------------------------------------------------ the request itself

    @rule(data=st.data())
    def send_again(self, data):
        command, first = data.draw(st.sampled_from(self.history), label="earlier request")
        before = self.order
        after, events = apply(before, command, at=self.tick())
        assert after is before
        assert events == (first,)

    @rule(data=st.data())
    def reuse_a_key_for_another_request(self, data):
        command, first = data.draw(st.sampled_from(self.history), label="earlier request")
        if isinstance(command, IssueInvoice):
            other: OrderCommand = HoldOrder(key=command.key, reason="reused key")
        else:
            other = IssueInvoice(key=command.key, invoice_number="INV-REUSED")
        before = self.order
        with pytest.raises(IdempotencyConflictError) as caught:
            apply(before, other, at=self.tick())
        assert self.order is before
        assert first in before.events
        assert caught.value.key == command.key
        assert caught.value.first == type(command).__name__
        assert caught.value.second == type(other).__name__

    @rule(offset=st.integers(1, 3), ahead=st.booleans())
    def stale_version(self, offset, ahead):
        version = self.order.version
        expected = version + offset if ahead or version - offset < 0 else version - offset
        command = IssueInvoice(
            key=self.new_key(), invoice_number="INV-STALE", expected_version=expected
        )
        before = self.order
        with pytest.raises(VersionConflictError):
            apply(before, command, at=self.tick())
        assert self.order is before
        assert before.version == version

    @rule()
    def time_going_backwards(self):
        before = self.order
        earlier = before.events[-1].at.subtract(seconds=1)
        with pytest.raises(InvalidValueError):
            apply(before, IssueInvoice(key=self.new_key(), invoice_number="INV-PAST"), at=earlier)
        assert self.order is before

    # ------------------------------------------------------------------ invariants

    @invariant()
    def line_counters_form_the_chain(self):
        for line in self.order.lines:
            assert 0 <= line.shipped <= line.fulfilled
            assert line.cancelled >= 0
            assert line.cancelled + line.fulfilled <= line.quantity
            assert 0 <= line.delivered <= line.shipped
            assert 0 <= line.return_requested <= line.delivered
            assert line.returned >= 0
            assert line.written_off >= 0
            assert line.returned + line.written_off <= line.return_requested
            assert 0 <= line.refunded <= line.cancelled + line.returned + line.written_off

    @invariant()
    def payments_never_pass_what_came_before(self):
        for payment in self.order.payments:
            assert not payment.captured.is_negative()
            assert not payment.voided.is_negative()
            assert not payment.refunded.is_negative()
            assert payment.captured + payment.voided <= payment.authorized
            assert payment.refunded <= payment.captured

    @invariant()
    def shipments_account_for_the_packed_shipped_and_delivered_units(self):
        packed: Counter[str] = Counter()
        shipped: Counter[str] = Counter()
        delivered: Counter[str] = Counter()
        for shipment in self.order.shipments:
            for item in shipment.lines:
                packed[item.line_id] += item.quantity
                if shipment.status is not ShipmentStatus.PENDING:
                    shipped[item.line_id] += item.quantity
                if shipment.status is ShipmentStatus.DELIVERED:
                    delivered[item.line_id] += item.quantity
        for line in self.order.lines:
            assert line.fulfilled == packed[line.line_id]
            assert line.shipped == shipped[line.line_id]
            assert line.delivered == delivered[line.line_id]

    @invariant()
    def the_version_counts_the_events(self):
        order = self.order
        assert order.version == len(order.events)
        assert [item.version for item in order.events] == list(range(1, order.version + 1))
        assert len({item.key for item in order.events}) == len(order.events)
        assert all(item.order_id == order.order_id for item in order.events)
        moments = [item.at for item in order.events]
        assert moments == sorted(moments)
        assert order.events[-1].status is order.status

    @invariant()
    def replaying_the_events_gives_the_order_back(self):
        assert replay(self.order.events) == self.order

    @invariant()
    def the_total_is_the_lines_plus_the_shipping_still_due(self):
        order = self.order
        net = gross = Money.zero(order.currency)
        for line in order.lines:
            net += line.total.net
            gross += line.total.gross
        for item in order.shipping:
            if not item.cancelled:
                net += item.price.net
                gross += item.price.gross
        assert order.total.net == net
        assert order.total.gross == gross
        assert not gross.is_negative()

    @invariant()
    def the_derived_views_can_always_be_read(self):
        order = self.order
        assert not order.outstanding.is_negative()
        assert order.payment_status in set(PaymentStatus)
        assert order.fulfilment_status in set(FulfilmentStatus)
        assert order.return_status in set(ReturnStatus)
        assert marketplace_status(order) in set(MarketplaceStatus)
        milestones = order.milestones
        assert milestones.purchased_at == order.placed_at
        assert (milestones.cancelled_at is not None) == (order.status is OrderStatus.CANCELLED)
        assert order.order_id in repr(order)

    @invariant()
    def a_hold_remembers_where_it_came_from(self):
        on_hold = self.order.status is OrderStatus.ON_HOLD
        assert (self.order.held_from is not None) == on_hold

    @invariant()
    def a_terminal_status_never_changes(self):
        if self.terminal is not None:
            assert self.order.status is self.terminal


COMMAND_RULES = (
    "confirm",
    "hold",
    "release",
    "cancel_order",
    "complete",
    "close",
    "cancel_lines",
    "authorize",
    "capture",
    "void",
    "refund",
    "fulfil",
    "ship",
    "confirm_delivery",
    "issue_invoice",
    "request_return",
    "cancel_return_request",
    "receive_return",
    "write_off",
)

OrderMachine.TestCase.settings = settings(deadline=None)
TestOrderMachine = OrderMachine.TestCase
