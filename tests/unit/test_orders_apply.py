"""apply and replay: every command's happy path and refusals, idempotency, versions, history."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest

from ecomkit.errors import (
    CommandRejectedError,
    EcomkitError,
    IdempotencyConflictError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
    NotFoundError,
    VersionConflictError,
)
from ecomkit.lifecycle import Lifecycle
from ecomkit.money import Money, TaxedMoney
from ecomkit.orders import (
    ORDER_LIFECYCLE,
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
    CreateDraft,
    CreditLines,
    DiscountSpec,
    DraftCreated,
    DraftUpdated,
    FulfilLines,
    FulfilmentStatus,
    HoldOrder,
    IssueInvoice,
    LinesCancelled,
    LinesCredited,
    LineSpec,
    LinesWrittenOff,
    MarketplaceStatus,
    OrderCommand,
    OrderConfirmed,
    OrderHeld,
    OrderPlaced,
    OrderSpec,
    OrderStatus,
    PaymentCaptured,
    PaymentRefunded,
    PaymentStatus,
    PaymentVoided,
    PlaceOrder,
    ReceiveReturn,
    RefundPayment,
    ReleaseOrder,
    RequestReturn,
    ReturnRequested,
    ReturnStatus,
    ShipmentStatus,
    ShippingSpec,
    ShipShipment,
    UpdateDraft,
    VoidPayment,
    WriteOffLines,
    apply,
    lifecycle_mermaid,
    marketplace_status,
    replay,
)
from ecomkit.orders._values import LineQuantity


T0 = pendulum.datetime(2026, 3, 1, 9, tz="Europe/Berlin")
ESTIMATE = pendulum.datetime(2026, 3, 5, 18, tz="Europe/Berlin")


def eur(amount):
    return Money(amount, "EUR")


def taxed(net, gross):
    return TaxedMoney(eur(net), eur(gross))


def spec(order_id="o-1", lines=None, **overrides):
    """Two lines and a courier, net prices at 19 %.

    l1: 2 x 10.00 = 20.00 net, 23.80 gross
    l2: 1 x 30.00 = 30.00 net, 35.70 gross
    courier: 5.00 net, 5.95 gross
    total: 55.00 net, 65.45 gross
    """
    if lines is None:
        lines = [
            LineSpec(line_id="l1", sku="MUG", quantity=2, unit_price=eur("10.00"), tax_rate="0.19"),
            LineSpec(line_id="l2", sku="POT", quantity=1, unit_price=eur("30.00"), tax_rate="0.19"),
        ]
    arguments = {
        "order_id": order_id,
        "channel": "web",
        "currency": "EUR",
        "timezone": "Europe/Berlin",
        "lines": lines,
        "shipping": [
            ShippingSpec(shipping_id="courier", method="DHL", price=eur("5.00"), tax_rate="0.19")
        ],
        "customer_id": "c-7",
        "estimated_delivery_at": ESTIMATE,
    }
    arguments.update(overrides)
    return OrderSpec(**arguments)


TOTAL = eur("65.45")
EVERYTHING = {"l1": 2, "l2": 1}


def when(order):
    """One minute after the order's last event (the versions count the minutes)."""
    return T0.add(minutes=0 if order is None else order.version)


def run(order, *commands):
    """Apply every command, a minute apart, checking the order after each one."""
    for command in commands:
        before = 0 if order is None else order.version
        order, events = apply(order, command, at=when(order))
        assert order.version == before + 1
        assert events == (order.events[-1],)
        check(order)
    return order


def check(order):
    """What must hold after any accepted command."""
    assert order.version == len(order.events)
    assert [event.version for event in order.events] == list(range(1, order.version + 1))
    assert {event.order_id for event in order.events} == {order.order_id}
    assert order.events[-1].status is order.status
    for line in order.lines:
        assert line.cancelled + line.fulfilled <= line.quantity
        assert line.delivered <= line.shipped <= line.fulfilled
        assert line.returned + line.written_off <= line.return_requested <= line.delivered
        assert line.refunded <= line.cancelled + line.returned + line.written_off
    for payment in order.payments:
        assert payment.captured + payment.voided <= payment.authorized
        assert payment.refunded <= payment.captured
    assert replay(order.events) == order


def refusal(order, command):
    """Apply a command that must be refused; return the reason after checking the error."""
    version, events = order.version, order.events
    with pytest.raises(CommandRejectedError) as caught:
        apply(order, command, at=when(order))
    error = caught.value
    assert error.order_id == order.order_id
    assert error.status == order.status.value
    assert error.command == type(command).__name__
    assert str(error) == (
        f"order {order.order_id!r} ({order.status.value}): "
        f"cannot {type(command).__name__}: {error.reason}"
    )
    assert (order.version, order.events) == (version, events)
    return error.reason


def placed():
    return run(None, PlaceOrder(key="place", spec=spec()))


def paid():
    return run(
        placed(),
        AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL),
        CapturePayment(key="capture", payment_id="p1"),
    )


def shipped():
    """Paid, everything packed into s1 and handed to the carrier."""
    return run(
        paid(),
        FulfilLines(key="pack", shipment_id="s1", lines=EVERYTHING),
        ShipShipment(key="ship", shipment_id="s1"),
    )


def delivered():
    return run(shipped(), ConfirmDelivery(key="deliver", shipment_id="s1"))


def completed():
    return run(delivered(), CompleteOrder(key="complete"))


def allowed_text(status):
    names = ", ".join(kind.__name__ for kind in ORDER_LIFECYCLE.allowed(status))
    return f"not allowed while {status.value} (allowed: {names})"


# ------------------------------------------------------------------ creation


def test_placing_a_new_order_records_its_first_event():
    order, events = apply(None, PlaceOrder(key="place", spec=spec()), at=T0)
    (event,) = events
    assert isinstance(event, OrderPlaced)
    assert (event.order_id, event.version, event.at, event.key) == ("o-1", 1, T0, "place")
    assert event.status is OrderStatus.PLACED
    assert event.spec == spec()
    assert order.events == events
    assert (order.order_id, order.version, order.status) == ("o-1", 1, OrderStatus.PLACED)
    assert order.placed_at == T0
    assert order.total == taxed("55.00", "65.45")
    assert [line.line_id for line in order.lines] == ["l1", "l2"]
    assert order.shipping[0].price == taxed("5.00", "5.95")
    assert order.payment_status is PaymentStatus.NOT_PAID
    assert order.fulfilment_status is FulfilmentStatus.UNFULFILLED
    assert order.return_status is ReturnStatus.NONE
    assert order.outstanding == TOTAL
    assert (
        repr(order) == "<Order 'o-1' v1 placed 65.45 EUR payment=not_paid fulfilment=unfulfilled>"
    )
    check(order)


def test_an_order_reads_its_contents_from_its_spec():
    order = placed()
    assert order.currency.code == "EUR"
    assert (order.channel, order.customer_id, order.timezone) == ("web", "c-7", "Europe/Berlin")
    assert order.shipping_address is None
    assert order.billing_address is None
    assert order.cancellation_reason is None


def test_creating_a_draft_starts_the_order_unplaced():
    order, (event,) = apply(None, CreateDraft(key="draft", spec=spec()), at=T0)
    assert isinstance(event, DraftCreated)
    assert order.status is OrderStatus.DRAFT
    assert order.placed_at is None
    assert order.total == taxed("55.00", "65.45")
    check(order)


def test_placing_a_new_order_needs_its_spec():
    with pytest.raises(CommandRejectedError) as caught:
        apply(None, PlaceOrder(key="place"), at=T0)
    error = caught.value
    assert (error.order_id, error.status, error.command) == ("", "new", "PlaceOrder")
    assert error.reason == "give the spec to place a new order"


@pytest.mark.parametrize(
    "command",
    [
        ConfirmOrder(key="k"),
        CancelOrder(key="k"),
        UpdateDraft(key="k", spec=spec()),
        CapturePayment(key="k", payment_id="p1"),
    ],
    ids=lambda command: type(command).__name__,
)
def test_only_creating_commands_apply_to_no_order(command):
    with pytest.raises(CommandRejectedError) as caught:
        apply(None, command, at=T0)
    error = caught.value
    assert (error.order_id, error.status, error.command) == ("", "new", type(command).__name__)
    assert error.reason == "there is no order yet; create it with CreateDraft or PlaceOrder"


def test_a_new_order_may_expect_version_zero_and_nothing_else():
    order, _ = apply(None, PlaceOrder(key="place", spec=spec(), expected_version=0), at=T0)
    assert order.version == 1
    with pytest.raises(VersionConflictError) as caught:
        apply(None, CreateDraft(key="draft", spec=spec(), expected_version=1), at=T0)
    assert (caught.value.entity_id, caught.value.expected, caught.value.actual) == ("o-1", 1, 0)


def test_apply_refuses_what_is_not_a_command_or_an_order():
    with pytest.raises(InvalidTypeError) as caught:
        apply(None, "PlaceOrder", at=T0)
    assert caught.value.field == "command"
    with pytest.raises(InvalidTypeError) as caught:
        apply(spec(), ConfirmOrder(key="k"), at=T0)
    assert caught.value.field == "order"


@pytest.mark.parametrize("fresh_key", [True, False], ids=["fresh key", "reused key"])
def test_a_bare_order_command_is_refused_with_an_ecomkit_error(fresh_key):
    order = placed()
    with pytest.raises(EcomkitError):
        apply(order, OrderCommand(key="other" if fresh_key else "place"), at=when(order))


@pytest.mark.parametrize("kind", [CreateDraft, UpdateDraft, PlaceOrder])
def test_a_spec_in_a_command_must_be_an_order_spec(kind):
    with pytest.raises(InvalidTypeError) as caught:
        kind(key="k", spec="o-1")
    assert (caught.value.field, caught.value.value) == ("spec", "o-1")


def test_an_order_whose_version_does_not_match_its_events_cannot_exist():
    with pytest.raises(InvalidValueError) as caught:
        attrs.evolve(placed(), version=2)
    assert (caught.value.field, caught.value.value) == ("version", 2)


# ------------------------------------------------------------------ drafts


def test_updating_a_draft_replaces_its_contents_and_reprices_it():
    draft = run(None, CreateDraft(key="draft", spec=spec()))
    # 1 x 99.00 at 19 % = 117.81 gross, plus the courier's 5.95 = 123.76.
    bigger = spec(
        lines=[
            LineSpec(line_id="l3", sku="VASE", quantity=1, unit_price=eur("99.00"), tax_rate="0.19")
        ]
    )
    order = run(draft, UpdateDraft(key="update", spec=bigger))
    assert order.status is OrderStatus.DRAFT
    assert isinstance(order.events[-1], DraftUpdated)
    assert order.spec == bigger
    assert [line.line_id for line in order.lines] == ["l3"]
    assert order.total == taxed("104.00", "123.76")


def test_a_draft_cannot_be_updated_with_another_orders_spec():
    draft = run(None, CreateDraft(key="draft", spec=spec()))
    reason = refusal(draft, UpdateDraft(key="update", spec=spec(order_id="o-2")))
    assert reason == "the spec is for order 'o-2'"


def test_placing_a_draft_as_it_is_keeps_its_contents():
    draft = run(None, CreateDraft(key="draft", spec=spec()))
    order = run(draft, PlaceOrder(key="place"))
    assert order.status is OrderStatus.PLACED
    assert order.placed_at == when(draft)
    assert order.events[-1].spec is None
    assert order.spec == draft.spec
    assert order.lines == draft.lines


def test_placing_a_draft_with_a_spec_replaces_its_contents():
    draft = run(None, CreateDraft(key="draft", spec=spec()))
    discounted = spec(discounts=[DiscountSpec(code="TEN", amount=eur("10.00"), line_id="l2")])
    order = run(draft, PlaceOrder(key="place", spec=discounted))
    assert order.status is OrderStatus.PLACED
    assert order.placed_at == when(draft)
    # l2 is 20.00 net after the discount: 23.80 gross; 23.80 + 23.80 + 5.95 = 53.55.
    assert order.total == taxed("45.00", "53.55")


def test_a_draft_cannot_be_placed_with_another_orders_spec():
    draft = run(None, CreateDraft(key="draft", spec=spec()))
    assert refusal(draft, PlaceOrder(key="place", spec=spec(order_id="o-2"))) == (
        "the spec is for order 'o-2'"
    )


def test_cancelling_a_draft_cancels_every_unit_and_the_shipping():
    order = run(None, CreateDraft(key="draft", spec=spec()), CancelOrder(key="cancel"))
    assert order.status is OrderStatus.CANCELLED
    assert [line.cancelled for line in order.lines] == [2, 1]
    assert all(item.cancelled for item in order.shipping)
    assert order.total == taxed("0", "0")


def test_a_draft_only_takes_draft_commands():
    draft = run(None, CreateDraft(key="draft", spec=spec()))
    assert refusal(draft, ConfirmOrder(key="confirm")) == (
        "not allowed while draft (allowed: PlaceOrder, UpdateDraft, CancelOrder)"
    )


def test_a_placed_order_can_no_longer_be_updated_as_a_draft():
    reason = refusal(placed(), UpdateDraft(key="update", spec=spec()))
    assert reason == allowed_text(OrderStatus.PLACED)
    assert reason == (
        "not allowed while placed (allowed: ConfirmOrder, FulfilLines, HoldOrder, CancelOrder, "
        "AuthorizePayment, CapturePayment, VoidPayment, RefundPayment, IssueInvoice, CancelLines)"
    )


# ------------------------------------------------------------------ confirmation


def test_confirming_an_unpaid_order_is_refused():
    reason = refusal(placed(), ConfirmOrder(key="confirm"))
    assert reason == (
        "payment covers 0.00 EUR of 65.45 EUR; authorize or capture 65.45 EUR more first, "
        "or confirm with unpaid_ok=True"
    )


def test_confirming_a_partially_authorized_order_names_what_is_missing():
    order = run(placed(), AuthorizePayment(key="auth", payment_id="p1", amount=eur("20.00")))
    assert refusal(order, ConfirmOrder(key="confirm")) == (
        "payment covers 20.00 EUR of 65.45 EUR; authorize or capture 45.45 EUR more first, "
        "or confirm with unpaid_ok=True"
    )


def test_an_unpaid_order_can_be_confirmed_when_the_store_says_so():
    order = run(placed(), ConfirmOrder(key="confirm", unpaid_ok=True))
    assert order.status is OrderStatus.PROCESSING
    assert isinstance(order.events[-1], OrderConfirmed)


def test_an_authorized_order_can_be_confirmed():
    order = run(
        placed(),
        AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL),
        ConfirmOrder(key="confirm"),
    )
    assert order.status is OrderStatus.PROCESSING
    assert order.payment_status is PaymentStatus.AUTHORIZED


def test_a_paid_order_can_be_confirmed():
    assert run(paid(), ConfirmOrder(key="confirm")).status is OrderStatus.PROCESSING


def test_a_total_covered_by_a_capture_and_an_open_authorization_can_be_confirmed():
    # 20.00 captured on a gift card and 45.45 authorized on a card cover 65.45 in full.
    order = run(
        placed(),
        AuthorizePayment(key="gift", payment_id="gift", amount=eur("20.00"), tender="gift_card"),
        CapturePayment(key="gift-capture", payment_id="gift"),
        AuthorizePayment(key="card", payment_id="card", amount=eur("45.45")),
    )
    assert order.outstanding == eur(0)
    order = run(order, ConfirmOrder(key="confirm"))
    assert order.status is OrderStatus.PROCESSING


def test_unpaid_ok_must_be_a_bool():
    with pytest.raises(InvalidTypeError) as caught:
        ConfirmOrder(key="confirm", unpaid_ok="yes")
    assert caught.value.field == "unpaid_ok"


# ------------------------------------------------------------------ hold and release


def test_an_order_held_while_placed_returns_to_placed():
    order = run(placed(), HoldOrder(key="hold", reason="fraud review"))
    assert order.status is OrderStatus.ON_HOLD
    assert order.held_from is OrderStatus.PLACED
    held = order.events[-1]
    assert isinstance(held, OrderHeld)
    assert (held.reason, held.held_from) == ("fraud review", OrderStatus.PLACED)
    order = run(order, ReleaseOrder(key="release"))
    assert order.status is OrderStatus.PLACED
    assert order.held_from is None


def test_an_order_held_while_processing_returns_to_processing():
    order = run(
        placed(),
        ConfirmOrder(key="confirm", unpaid_ok=True),
        HoldOrder(key="hold", reason="address check"),
    )
    assert order.held_from is OrderStatus.PROCESSING
    order = run(order, ReleaseOrder(key="release"))
    assert order.status is OrderStatus.PROCESSING
    assert order.held_from is None


def test_an_order_on_hold_cannot_be_fulfilled_or_held_again():
    order = run(placed(), HoldOrder(key="hold", reason="fraud review"))
    assert refusal(order, FulfilLines(key="pack", shipment_id="s1", lines=EVERYTHING)) == (
        "not allowed while on_hold (allowed: ReleaseOrder, CancelOrder, AuthorizePayment, "
        "CapturePayment, VoidPayment, RefundPayment, IssueInvoice, ConfirmDelivery, "
        "RequestReturn, CancelReturnRequest, ReceiveReturn, WriteOffLines, CreditLines, "
        "CancelLines)"
    )
    assert refusal(order, HoldOrder(key="again", reason="twice")) == allowed_text(
        OrderStatus.ON_HOLD
    )


def test_an_order_on_hold_still_takes_payments_and_cancelled_lines():
    order = run(
        placed(),
        HoldOrder(key="hold", reason="stock check"),
        AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL),
        CancelLines(key="cancel-lines", lines={"l1": 1}),
    )
    assert order.status is OrderStatus.ON_HOLD
    assert order.line("l1").cancelled == 1


def test_an_order_that_is_not_held_cannot_be_released():
    assert refusal(placed(), ReleaseOrder(key="release")) == allowed_text(OrderStatus.PLACED)


def test_release_guards_name_the_status_the_order_was_held_in():
    held = run(placed(), HoldOrder(key="hold", reason="fraud review"))
    lost = attrs.evolve(held, held_from=None)
    reason = ORDER_LIFECYCLE.select(lost, OrderStatus.ON_HOLD, ReleaseOrder(key="release"))
    assert reason == "it was held while unknown, not placed"


# ------------------------------------------------------------------ cancelling the order


def test_cancelling_an_unpaid_order_cancels_every_unit_and_the_shipping():
    order = run(placed(), CancelOrder(key="cancel", note="changed their mind"))
    assert order.status is OrderStatus.CANCELLED
    assert order.cancellation_reason is CancellationReason.CUSTOMER
    assert order.events[-1].note == "changed their mind"
    assert [line.cancelled for line in order.lines] == [2, 1]
    assert [item.cancelled for item in order.shipping] == [True]
    assert order.total == taxed("0", "0")
    # Nothing is owed and nothing was paid: rule 1 of the payment status.
    assert order.payment_status is PaymentStatus.PAID


def test_a_cancellation_reason_is_read_from_its_value():
    order = run(placed(), CancelOrder(key="cancel", reason="fraud"))
    assert order.cancellation_reason is CancellationReason.FRAUD


def test_an_unknown_cancellation_reason_is_refused():
    with pytest.raises(InvalidValueError) as caught:
        CancelOrder(key="cancel", reason="bored")
    assert (caught.value.field, caught.value.value) == ("reason", "bored")


def test_an_order_with_shipped_units_cannot_be_cancelled():
    order = run(
        placed(),
        FulfilLines(key="pack", shipment_id="s1", lines={"l1": 2}),
        ShipShipment(key="ship", shipment_id="s1"),
    )
    assert refusal(order, CancelOrder(key="cancel")) == "2 units already shipped"


def test_an_order_with_packed_units_cannot_be_cancelled():
    order = run(placed(), FulfilLines(key="pack", shipment_id="s1", lines={"l2": 1}))
    assert refusal(order, CancelOrder(key="cancel")) == "1 unit already packed in a shipment"


def test_an_order_with_captured_money_is_cancelled_only_once_it_is_refunded():
    order = paid()
    assert refusal(order, CancelOrder(key="cancel")) == (
        "65.45 EUR captured and not refunded; refund it first"
    )
    order = run(
        order,
        RefundPayment(key="refund", payment_id="p1", amount=TOTAL),
        CancelOrder(key="cancel"),
    )
    assert order.status is OrderStatus.CANCELLED
    assert order.payment_status is PaymentStatus.REFUNDED


def test_an_order_with_an_open_authorization_is_cancelled_only_once_it_is_voided():
    order = run(placed(), AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL))
    assert refusal(order, CancelOrder(key="cancel")) == "65.45 EUR still authorized; void it first"
    order = run(order, VoidPayment(key="void", payment_id="p1"), CancelOrder(key="cancel"))
    assert order.status is OrderStatus.CANCELLED
    assert order.payment_status is PaymentStatus.VOIDED


def test_an_order_on_hold_can_be_cancelled():
    order = run(
        placed(), HoldOrder(key="hold", reason="fraud review"), CancelOrder(key="c", reason="fraud")
    )
    assert order.status is OrderStatus.CANCELLED
    assert order.held_from is None


def test_a_cancelled_order_takes_no_command():
    order = run(placed(), CancelOrder(key="cancel"))
    assert refusal(order, ConfirmOrder(key="confirm", unpaid_ok=True)) == (
        "not allowed while cancelled (no command is)"
    )


# ------------------------------------------------------------------ completing and closing


def test_an_order_completes_once_everything_shipped_and_is_paid():
    order = run(shipped(), CompleteOrder(key="complete"))
    assert order.status is OrderStatus.COMPLETED
    assert order.payment_status is PaymentStatus.PAID
    assert order.fulfilment_status is FulfilmentStatus.SHIPPED


def test_completing_needs_every_active_unit_shipped():
    order = run(paid(), FulfilLines(key="pack", shipment_id="s1", lines={"l1": 2}))
    assert refusal(order, CompleteOrder(key="complete")) == "3 units not shipped yet"
    order = run(order, ShipShipment(key="ship", shipment_id="s1"))
    assert refusal(order, CompleteOrder(key="complete")) == "1 unit not shipped yet"


def test_completing_needs_a_settled_payment():
    order = run(
        placed(),
        FulfilLines(key="pack", shipment_id="s1", lines=EVERYTHING),
        ShipShipment(key="ship", shipment_id="s1"),
    )
    assert refusal(order, CompleteOrder(key="complete")) == (
        "0.00 EUR of 65.45 EUR captured; capture 65.45 EUR more first"
    )
    order = run(order, AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL))
    assert refusal(order, CompleteOrder(key="complete")) == (
        "0.00 EUR of 65.45 EUR captured; capture 65.45 EUR more first"
    )
    order = run(order, CapturePayment(key="capture", payment_id="p1", amount=eur("40.00")))
    assert refusal(order, CompleteOrder(key="complete")) == (
        "40.00 EUR of 65.45 EUR captured; capture 25.45 EUR more first"
    )


def test_completing_is_refused_while_part_of_the_total_was_never_captured():
    # 30.00 of 65.45 captured, 5.00 of it refunded as a goodwill gesture: 35.45 is still only
    # authorized, and a completed order can no longer capture it.
    order = run(
        placed(),
        AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL),
        CapturePayment(key="capture", payment_id="p1", amount=eur("30.00")),
        RefundPayment(key="goodwill", payment_id="p1", amount=eur("5.00")),
        FulfilLines(key="pack", shipment_id="s1", lines=EVERYTHING),
        ShipShipment(key="ship", shipment_id="s1"),
    )
    assert order.open_authorizations == eur("35.45")
    refusal(order, CompleteOrder(key="complete"))


def test_an_order_whose_units_are_refunded_after_cancellation_can_complete():
    # Paid 65.45; l2 (35.70 gross) cancelled and refunded: 29.75 kept for 29.75 due.
    order = run(
        paid(),
        CancelLines(key="cancel-l2", lines={"l2": 1}),
        RefundPayment(key="refund-l2", payment_id="p1", amount=eur("35.70"), lines={"l2": 1}),
        FulfilLines(key="pack", shipment_id="s1", lines={"l1": 2}),
        ShipShipment(key="ship", shipment_id="s1"),
    )
    assert order.total == taxed("25.00", "29.75")
    assert order.payment_status is PaymentStatus.PARTIALLY_REFUNDED
    assert run(order, CompleteOrder(key="complete")).status is OrderStatus.COMPLETED


def test_the_complete_guard_refuses_an_order_without_active_units():
    processing = run(placed(), ConfirmOrder(key="confirm", unpaid_ok=True))
    emptied = attrs.evolve(
        processing,
        lines=tuple(attrs.evolve(line, cancelled=line.quantity) for line in processing.lines),
    )
    reason = ORDER_LIFECYCLE.select(emptied, OrderStatus.PROCESSING, CompleteOrder(key="complete"))
    assert reason == "every unit is cancelled; cancel the order instead"


def test_a_completed_order_closes_and_then_takes_no_command():
    order = run(completed(), CloseOrder(key="close"))
    assert order.status is OrderStatus.CLOSED
    assert refusal(order, IssueInvoice(key="invoice", invoice_number="INV-1")) == (
        "not allowed while closed (no command is)"
    )


def test_closing_waits_for_open_return_requests():
    order = run(completed(), RequestReturn(key="rma", lines={"l1": 1}))
    assert refusal(order, CloseOrder(key="close")) == (
        "1 unit still requested for return; receive or write them off first"
    )
    order = run(order, ReceiveReturn(key="receive", lines={"l1": 1}), CloseOrder(key="close"))
    assert order.status is OrderStatus.CLOSED


def test_only_a_completed_order_can_be_closed():
    assert refusal(shipped(), CloseOrder(key="close")) == allowed_text(OrderStatus.PROCESSING)


def test_a_completed_order_takes_refunds_invoices_and_returns_but_no_captures():
    order = completed()
    reason = refusal(order, CapturePayment(key="capture-more", payment_id="p1"))
    assert reason == (
        "not allowed while completed (allowed: CloseOrder, RefundPayment, VoidPayment, "
        "IssueInvoice, ConfirmDelivery, RequestReturn, CancelReturnRequest, ReceiveReturn, "
        "WriteOffLines, CreditLines)"
    )
    order = run(
        order,
        IssueInvoice(key="invoice", invoice_number="INV-1"),
        RefundPayment(key="goodwill", payment_id="p1", amount=eur("5.00")),
    )
    assert order.status is OrderStatus.COMPLETED


# ------------------------------------------------------------------ cancelling lines


def test_cancelling_units_lowers_the_total_by_their_share():
    order = run(placed(), CancelLines(key="cancel-lines", lines={"l1": 1}))
    event = order.events[-1]
    assert isinstance(event, LinesCancelled)
    assert event.lines == (LineQuantity(line_id="l1", quantity=1),)
    assert order.status is OrderStatus.PLACED
    assert order.line("l1").cancelled == 1
    # One mug: 10.00 net, 11.90 gross; 65.45 - 11.90 = 53.55.
    assert order.total == taxed("45.00", "53.55")


def test_cancelling_every_remaining_unit_is_refused():
    assert refusal(placed(), CancelLines(key="cancel-lines", lines=EVERYTHING)) == (
        "it would cancel every remaining unit; cancel the order instead"
    )
    order = run(placed(), CancelLines(key="first", lines={"l1": 2}))
    assert refusal(order, CancelLines(key="second", lines={"l2": 1})) == (
        "it would cancel every remaining unit; cancel the order instead"
    )


def test_packed_and_shipped_units_cannot_be_cancelled():
    order = run(placed(), FulfilLines(key="pack", shipment_id="s1", lines={"l1": 1}))
    assert refusal(order, CancelLines(key="cancel-lines", lines={"l1": 2})) == (
        "cannot cancel 2 of line 'l1': only 1 unit can be cancelled (1 unit packed)"
    )
    order = run(order, ShipShipment(key="ship", shipment_id="s1"))
    assert refusal(order, CancelLines(key="cancel-lines", lines={"l1": 2})) == (
        "cannot cancel 2 of line 'l1': only 1 unit can be cancelled (1 unit already shipped)"
    )


def test_cancelled_units_cannot_be_cancelled_again():
    order = run(
        placed(),
        CancelLines(key="cancel-one", lines={"l1": 1}),
        FulfilLines(key="pack", shipment_id="s1", lines={"l1": 1}),
    )
    assert refusal(order, CancelLines(key="cancel-again", lines={"l1": 1})) == (
        "cannot cancel 1 of line 'l1': only 0 units can be cancelled "
        "(1 unit packed, 1 unit already cancelled)"
    )


def test_cancelling_more_units_than_a_line_has_is_refused_with_a_clean_reason():
    big = spec(
        lines=[
            LineSpec(line_id="l1", sku="MUG", quantity=2, unit_price=eur("10.00")),
            LineSpec(line_id="l2", sku="POT", quantity=5, unit_price=eur("30.00")),
        ]
    )
    order = run(None, PlaceOrder(key="place", spec=big))
    reason = refusal(order, CancelLines(key="cancel-lines", lines={"l1": 3}))
    assert reason.startswith("cannot cancel 3 of line 'l1': only 2 units can be cancelled")
    assert not reason.endswith("()")


def test_cancelling_units_of_an_unknown_line_is_refused():
    assert refusal(placed(), CancelLines(key="cancel-lines", lines={"l9": 1})) == (
        "the order has no line 'l9'"
    )


def test_lines_can_be_cancelled_while_processing_but_not_in_a_draft_or_once_completed():
    order = run(
        placed(),
        ConfirmOrder(key="confirm", unpaid_ok=True),
        CancelLines(key="cancel-lines", lines={"l2": 1}),
    )
    assert order.line("l2").cancelled == 1
    draft = run(None, CreateDraft(key="draft", spec=spec()))
    assert refusal(draft, CancelLines(key="c", lines={"l1": 1})) == allowed_text(OrderStatus.DRAFT)
    assert refusal(completed(), CancelLines(key="c", lines={"l1": 1})) == allowed_text(
        OrderStatus.COMPLETED
    )


def test_line_quantities_in_commands_are_checked():
    with pytest.raises(InvalidValueError):
        CancelLines(key="c", lines={})
    with pytest.raises(InvalidValueError):
        CancelLines(key="c", lines={"l1": 0})
    with pytest.raises(InvalidValueError):
        CancelLines(
            key="c",
            lines=[LineQuantity(line_id="l1", quantity=1), LineQuantity(line_id="l1", quantity=1)],
        )
    with pytest.raises(InvalidTypeError):
        CancelLines(key="c", lines=[("l1", 1)])
    with pytest.raises(InvalidTypeError):
        CancelLines(key="c", lines="l1")
    items = CancelLines(key="c", lines=[LineQuantity(line_id="l1", quantity=1)]).lines
    assert items == CancelLines(key="c", lines={"l1": 1}).lines


# ------------------------------------------------------------------ payments


def test_an_authorization_may_not_exceed_what_is_outstanding():
    assert refusal(
        placed(), AuthorizePayment(key="auth", payment_id="p1", amount=eur("65.46"))
    ) == ("cannot authorize 65.46 EUR: only 65.45 EUR is outstanding")


def test_an_authorization_in_another_currency_is_refused():
    command = AuthorizePayment(key="auth", payment_id="p1", amount=Money("65.45", "USD"))
    assert refusal(placed(), command) == "65.45 USD is not in the order's currency EUR"


def test_a_payment_id_is_used_once():
    order = run(placed(), AuthorizePayment(key="auth", payment_id="p1", amount=eur("10.00")))
    assert refusal(order, AuthorizePayment(key="again", payment_id="p1", amount=eur("10.00"))) == (
        "payment 'p1' already exists; use a new id"
    )


def test_two_tenders_together_authorize_the_total():
    order = run(
        placed(),
        AuthorizePayment(key="gift", payment_id="gift", amount=eur("20.00"), tender="gift_card"),
        AuthorizePayment(key="card", payment_id="card", amount=eur("45.45")),
    )
    assert [(payment.payment_id, payment.tender) for payment in order.payments] == [
        ("gift", "gift_card"),
        ("card", "card"),
    ]
    assert order.authorized == TOTAL
    assert order.outstanding == eur(0)
    assert order.payment_status is PaymentStatus.AUTHORIZED


def test_money_is_captured_in_parts_until_nothing_is_open():
    order = run(
        placed(),
        AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL),
        CapturePayment(key="c1", payment_id="p1", amount=eur("20.00")),
    )
    assert order.payment_status is PaymentStatus.PARTIALLY_PAID
    order = run(
        order,
        CapturePayment(key="c2", payment_id="p1", amount=eur("40.00")),
        CapturePayment(key="c3", payment_id="p1"),
    )
    captures = [event.amount for event in order.events if isinstance(event, PaymentCaptured)]
    # The last capture takes what is left: 65.45 - 20.00 - 40.00 = 5.45.
    assert captures == [eur("20.00"), eur("40.00"), eur("5.45")]
    assert order.payment("p1").captured == TOTAL
    assert order.payment("p1").open == eur(0)
    assert order.payment_status is PaymentStatus.PAID
    assert refusal(order, CapturePayment(key="c4", payment_id="p1")) == (
        "nothing is open on payment 'p1'"
    )


def test_a_capture_may_not_exceed_what_is_open():
    order = run(placed(), AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL))
    assert refusal(order, CapturePayment(key="c", payment_id="p1", amount=eur("65.46"))) == (
        "cannot capture 65.46 EUR: only 65.45 EUR is authorized and open on payment 'p1'"
    )


def test_a_capture_in_another_currency_or_on_an_unknown_payment_is_refused():
    order = run(placed(), AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL))
    usd = CapturePayment(key="c", payment_id="p1", amount=Money("10.00", "USD"))
    assert refusal(order, usd) == "10.00 USD is not in the order's currency EUR"
    assert refusal(order, CapturePayment(key="c", payment_id="p9")) == (
        "the order has no payment 'p9'"
    )


def test_voiding_releases_what_was_not_captured():
    order = run(
        placed(),
        AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL),
        CapturePayment(key="capture", payment_id="p1", amount=eur("40.00")),
        VoidPayment(key="void", payment_id="p1"),
    )
    event = order.events[-1]
    assert isinstance(event, PaymentVoided)
    assert event.amount == eur("25.45")
    payment = order.payment("p1")
    assert (payment.captured, payment.voided, payment.open) == (eur("40.00"), eur("25.45"), eur(0))
    assert order.payment_status is PaymentStatus.PARTIALLY_PAID
    assert order.outstanding == eur("25.45")
    assert refusal(order, VoidPayment(key="void-again", payment_id="p1")) == (
        "nothing is open on payment 'p1'"
    )


def test_refunds_are_capped_per_tender():
    order = run(
        placed(),
        AuthorizePayment(key="gift", payment_id="gift", amount=eur("20.00"), tender="gift_card"),
        AuthorizePayment(key="card", payment_id="card", amount=eur("45.45")),
        CapturePayment(key="gift-capture", payment_id="gift"),
        CapturePayment(key="card-capture", payment_id="card"),
    )
    assert refusal(order, RefundPayment(key="r", payment_id="gift", amount=eur("20.01"))) == (
        "cannot refund 20.01 EUR: only 20.00 EUR was captured and not refunded on payment 'gift'"
    )
    order = run(
        order,
        RefundPayment(key="r1", payment_id="gift", amount=eur("15.00")),
        RefundPayment(key="r2", payment_id="gift", amount=eur("5.00")),
    )
    assert order.payment("gift").refundable == eur(0)
    assert order.refunded == eur("20.00")
    assert order.payment_status is PaymentStatus.PARTIALLY_REFUNDED
    with pytest.raises(CommandRejectedError):
        apply(order, RefundPayment(key="r3", payment_id="gift", amount=eur("0.01")), at=when(order))
    # The card still has all of its 45.45.
    order = run(order, RefundPayment(key="r4", payment_id="card", amount=eur("45.45")))
    assert order.payment_status is PaymentStatus.REFUNDED


def test_a_refund_in_another_currency_is_refused():
    command = RefundPayment(key="r", payment_id="p1", amount=Money("1.00", "USD"))
    assert refusal(paid(), command) == "1.00 USD is not in the order's currency EUR"


def test_a_refund_for_units_is_bounded_by_refundable_units():
    order = paid()
    assert refusal(
        order, RefundPayment(key="r", payment_id="p1", amount=eur("11.90"), lines={"l1": 1})
    ) == (
        "cannot refund 1 of line 'l1': only 0 units cancelled, returned or written off "
        "and not refunded yet"
    )
    # Cancelling a mug after capture lowers the total to 53.55: 65.45 captured is overpaid.
    order = run(order, CancelLines(key="cancel-lines", lines={"l1": 1}))
    assert order.payment_status is PaymentStatus.OVERPAID
    order = run(
        order, RefundPayment(key="r", payment_id="p1", amount=eur("11.90"), lines={"l1": 1})
    )
    event = order.events[-1]
    assert isinstance(event, PaymentRefunded)
    assert event.lines == (LineQuantity(line_id="l1", quantity=1),)
    assert order.line("l1").refunded == 1
    # The refund is compared with the capture, not with the lowered total.
    assert order.payment_status is PaymentStatus.PARTIALLY_REFUNDED
    assert refusal(
        order, RefundPayment(key="r2", payment_id="p1", amount=eur("1.00"), lines={"l1": 1})
    ) == (
        "cannot refund 1 of line 'l1': only 0 units cancelled, returned or written off "
        "and not refunded yet"
    )
    assert refusal(
        order, RefundPayment(key="r3", payment_id="p1", amount=eur("1.00"), lines={"l9": 1})
    ) == ("the order has no line 'l9'")


# ------------------------------------------------------------------ shipments


def test_packing_starts_processing_and_records_a_pending_shipment():
    promised = dt.date(2026, 3, 4)
    order = run(
        placed(),
        FulfilLines(
            key="pack",
            shipment_id="s1",
            lines={"l1": 2, "l2": 1},
            carrier="DHL",
            promised_delivery_on=promised,
        ),
    )
    assert order.status is OrderStatus.PROCESSING
    shipment = order.shipment("s1")
    assert shipment.status is ShipmentStatus.PENDING
    assert (shipment.carrier, shipment.tracking_number) == ("DHL", None)
    assert shipment.promised_delivery_on == promised
    assert shipment.created_at == when(placed())
    assert shipment.units == 3
    assert [line.fulfilled for line in order.lines] == [2, 1]
    assert order.fulfilment_status is FulfilmentStatus.FULFILLED


def test_a_shipment_id_is_used_once():
    order = run(placed(), FulfilLines(key="pack", shipment_id="s1", lines={"l1": 1}))
    assert refusal(order, FulfilLines(key="pack-2", shipment_id="s1", lines={"l1": 1})) == (
        "shipment 's1' already exists; use a new id"
    )


def test_only_units_neither_cancelled_nor_packed_can_be_packed():
    assert refusal(placed(), FulfilLines(key="pack", shipment_id="s1", lines={"l1": 3})) == (
        "cannot pack 3 of line 'l1': only 2 units are neither cancelled nor packed"
    )
    order = run(placed(), CancelLines(key="cancel-lines", lines={"l1": 1}))
    assert refusal(order, FulfilLines(key="pack", shipment_id="s1", lines={"l1": 2})).startswith(
        "cannot pack 2 of line 'l1': only 1 unit"
    )
    assert refusal(order, FulfilLines(key="pack", shipment_id="s1", lines={"l9": 1})) == (
        "the order has no line 'l9'"
    )


def test_a_promised_delivery_is_a_date():
    with pytest.raises(InvalidTypeError) as caught:
        FulfilLines(key="pack", shipment_id="s1", lines={"l1": 1}, promised_delivery_on=T0)
    assert caught.value.field == "promised_delivery_on"


def test_a_shipment_is_shipped_then_delivered_in_that_order():
    order = run(placed(), FulfilLines(key="pack", shipment_id="s1", lines={"l1": 2}))
    assert refusal(order, ConfirmDelivery(key="deliver", shipment_id="s1")) == (
        "shipment 's1' has not shipped yet"
    )
    order = run(order, ShipShipment(key="ship", shipment_id="s1"))
    shipment = order.shipment("s1")
    assert shipment.status is ShipmentStatus.SHIPPED
    assert shipment.shipped_at == order.events[-1].at
    assert order.line("l1").shipped == 2
    assert order.fulfilment_status is FulfilmentStatus.PARTIALLY_SHIPPED
    assert refusal(order, ShipShipment(key="ship-again", shipment_id="s1")) == (
        "shipment 's1' is already shipped"
    )
    order = run(order, ConfirmDelivery(key="deliver", shipment_id="s1"))
    shipment = order.shipment("s1")
    assert shipment.status is ShipmentStatus.DELIVERED
    assert shipment.delivered_at == order.events[-1].at
    assert order.line("l1").delivered == 2
    assert order.fulfilment_status is FulfilmentStatus.PARTIALLY_DELIVERED
    assert refusal(order, ShipShipment(key="ship-again", shipment_id="s1")) == (
        "shipment 's1' is already delivered"
    )
    assert refusal(order, ConfirmDelivery(key="deliver-again", shipment_id="s1")) == (
        "shipment 's1' is already delivered"
    )


def test_unknown_shipments_are_refused():
    order = run(placed(), FulfilLines(key="pack", shipment_id="s1", lines={"l1": 2}))
    assert refusal(order, ShipShipment(key="ship", shipment_id="s9")) == (
        "the order has no shipment 's9'"
    )
    assert refusal(order, ConfirmDelivery(key="deliver", shipment_id="s9")) == (
        "the order has no shipment 's9'"
    )


def test_shipping_sets_or_corrects_the_carrier_and_tracking_number():
    order = run(
        placed(),
        FulfilLines(key="pack-1", shipment_id="s1", lines={"l1": 1}, carrier="DHL"),
        FulfilLines(key="pack-2", shipment_id="s2", lines={"l1": 1}),
        FulfilLines(
            key="pack-3", shipment_id="s3", lines={"l2": 1}, carrier="DHL", tracking_number="A1"
        ),
        ShipShipment(key="ship-1", shipment_id="s1", tracking_number="JJD01"),
        ShipShipment(key="ship-2", shipment_id="s2", carrier="UPS", tracking_number="1Z9"),
        ShipShipment(key="ship-3", shipment_id="s3", carrier="GLS"),
    )
    assert [(s.carrier, s.tracking_number) for s in order.shipments] == [
        ("DHL", "JJD01"),
        ("UPS", "1Z9"),
        ("GLS", "A1"),
    ]
    assert order.fulfilment_status is FulfilmentStatus.SHIPPED


def test_a_delivery_can_be_confirmed_while_the_order_is_on_hold():
    order = run(shipped(), HoldOrder(key="hold", reason="chargeback"))
    assert refusal(order, ShipShipment(key="ship-held", shipment_id="s1")) == allowed_text(
        OrderStatus.ON_HOLD
    )
    order = run(order, ConfirmDelivery(key="deliver", shipment_id="s1"))
    assert order.fulfilment_status is FulfilmentStatus.DELIVERED
    assert order.status is OrderStatus.ON_HOLD


# ------------------------------------------------------------------ return requests


def test_returns_are_bounded_by_delivered_units():
    order = run(
        paid(),
        FulfilLines(key="pack", shipment_id="s1", lines={"l1": 1}),
        ShipShipment(key="ship", shipment_id="s1"),
    )
    assert refusal(order, RequestReturn(key="rma", lines={"l1": 1})) == (
        "cannot request the return of 1 of line 'l1': 0 units delivered, "
        "0 units already requested, so 0 can be"
    )
    order = run(order, ConfirmDelivery(key="deliver", shipment_id="s1"))
    assert refusal(order, RequestReturn(key="rma", lines={"l1": 2})) == (
        "cannot request the return of 2 of line 'l1': 1 unit delivered, "
        "0 units already requested, so 1 can be"
    )
    order = run(order, RequestReturn(key="rma", lines={"l1": 1}, return_id="rma-1"))
    event = order.events[-1]
    assert isinstance(event, ReturnRequested)
    assert event.return_id == "rma-1"
    assert order.line("l1").return_requested == 1
    assert order.return_status is ReturnStatus.RETURN_REQUESTED
    assert refusal(order, RequestReturn(key="rma-2", lines={"l1": 1})) == (
        "cannot request the return of 1 of line 'l1': 1 unit delivered, "
        "1 unit already requested, so 0 can be"
    )


def test_a_return_request_can_be_withdrawn_while_open():
    order = run(delivered(), RequestReturn(key="rma", lines={"l1": 2}))
    assert refusal(order, CancelReturnRequest(key="withdraw", lines={"l1": 3})) == (
        "cannot withdraw 3 of line 'l1': only 2 units requested and still open"
    )
    order = run(
        order,
        ReceiveReturn(key="receive", lines={"l1": 1}),
        CancelReturnRequest(key="withdraw", lines={"l1": 1}),
    )
    line = order.line("l1")
    assert (line.return_requested, line.returned, line.open_return_requests) == (1, 1, 0)
    assert order.return_status is ReturnStatus.PARTIALLY_RETURNED
    order = run(delivered(), RequestReturn(key="rma", lines={"l2": 1}))
    order = run(order, CancelReturnRequest(key="withdraw", lines={"l2": 1}))
    assert order.return_status is ReturnStatus.NONE


def test_returned_units_are_received_then_refunded():
    order = run(
        delivered(),
        RequestReturn(key="rma", lines={"l1": 2, "l2": 1}),
        ReceiveReturn(key="receive", lines={"l1": 2}),
    )
    assert refusal(order, ReceiveReturn(key="receive-more", lines={"l1": 1})) == (
        "cannot receive 1 of line 'l1': only 0 units requested and still open"
    )
    assert order.return_status is ReturnStatus.RETURN_REQUESTED
    order = run(
        order,
        WriteOffLines(key="lost", lines={"l2": 1}, reason="lost in transit", return_id="rma-1"),
    )
    event = order.events[-1]
    assert isinstance(event, LinesWrittenOff)
    assert (event.reason, event.return_id) == ("lost in transit", "rma-1")
    assert order.return_status is ReturnStatus.RETURNED
    assert refusal(order, WriteOffLines(key="lost-again", lines={"l2": 1})) == (
        "cannot write off 1 of line 'l2': only 0 units requested and still open"
    )
    order = run(
        order,
        RefundPayment(key="refund", payment_id="p1", amount=TOTAL, lines={"l1": 2, "l2": 1}),
    )
    assert [line.refunded for line in order.lines] == [2, 1]
    assert order.payment_status is PaymentStatus.REFUNDED


def test_returns_are_not_taken_before_processing():
    assert refusal(placed(), RequestReturn(key="rma", lines={"l1": 1})) == allowed_text(
        OrderStatus.PLACED
    )


def test_returns_continue_after_completion():
    order = run(
        completed(),
        RequestReturn(key="rma", lines={"l2": 1}),
        WriteOffLines(key="keep", lines={"l2": 1}, reason="customer keeps it"),
        RefundPayment(key="refund", payment_id="p1", amount=eur("35.70"), lines={"l2": 1}),
        CloseOrder(key="close"),
    )
    assert order.status is OrderStatus.CLOSED
    assert order.line("l2").written_off == 1
    assert order.return_status is ReturnStatus.PARTIALLY_RETURNED


# ------------------------------------------------------------------ idempotency


def test_the_same_key_twice_returns_the_first_outcome_and_changes_nothing():
    order = run(placed(), AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL))
    capture = CapturePayment(key="capture", payment_id="p1", amount=eur("10.00"))
    once, (first,) = apply(order, capture, at=when(order))
    again, events = apply(once, capture, at=when(once))
    assert again is once
    assert events == (first,)
    assert events[0] is first
    assert again.version == once.version == 3
    assert again.payment("p1").captured == eur("10.00")


def test_a_retry_with_other_details_still_returns_the_first_outcome():
    order = run(
        placed(),
        AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL),
        CapturePayment(key="capture", payment_id="p1", amount=eur("10.00")),
    )
    again, (event,) = apply(
        order, CapturePayment(key="capture", payment_id="p1", amount=eur("20.00")), at=when(order)
    )
    assert again is order
    assert event.amount == eur("10.00")


def test_a_retry_after_later_changes_returns_the_first_outcome_despite_its_version_and_time():
    order = run(
        placed(),
        AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL, expected_version=1),
        CapturePayment(key="capture", payment_id="p1"),
    )
    retry = AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL, expected_version=1)
    again, (event,) = apply(order, retry, at=T0)
    assert again is order
    assert event is order.events[1]


def test_the_creating_key_is_recognised_on_the_created_order():
    order = placed()
    again, (event,) = apply(order, PlaceOrder(key="place", spec=spec()), at=when(order))
    assert again is order
    assert event is order.events[0]


def test_a_key_reused_for_another_kind_of_command_is_a_conflict():
    order = run(
        placed(),
        AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL),
        CapturePayment(key="k-42", payment_id="p1", amount=eur("10.00")),
    )
    with pytest.raises(IdempotencyConflictError) as caught:
        apply(order, VoidPayment(key="k-42", payment_id="p1"), at=when(order))
    error = caught.value
    assert error.key == "k-42"
    assert error.second == "VoidPayment"
    # Both sides of the conflict are named by their command.
    assert error.first == "CapturePayment"


# ------------------------------------------------------------------ versions and time


def test_a_command_expecting_another_version_is_a_conflict():
    order = paid()
    with pytest.raises(VersionConflictError) as caught:
        apply(order, ConfirmOrder(key="confirm", expected_version=2), at=when(order))
    error = caught.value
    assert (error.entity_id, error.expected, error.actual) == ("o-1", 2, 3)
    assert order.status is OrderStatus.PLACED
    order = run(order, ConfirmOrder(key="confirm", expected_version=3))
    assert order.version == 4


def test_an_expected_version_must_be_a_non_negative_int():
    with pytest.raises(InvalidValueError):
        ConfirmOrder(key="confirm", expected_version=-1)
    with pytest.raises(InvalidTypeError):
        ConfirmOrder(key="confirm", expected_version="3")


def test_every_accepted_command_adds_one_event_and_one_version():
    order = completed()
    assert order.version == len(order.events) == 7
    assert [type(event).__name__ for event in order.events] == [
        "OrderPlaced",
        "PaymentAuthorized",
        "PaymentCaptured",
        "ShipmentCreated",
        "ShipmentShipped",
        "ShipmentDelivered",
        "OrderCompleted",
    ]
    assert [event.version for event in order.events] == list(range(1, 8))
    assert [event.status.value for event in order.events] == [
        "placed",
        "placed",
        "placed",
        "processing",
        "processing",
        "processing",
        "completed",
    ]


def test_a_naive_time_is_refused():
    naive = dt.datetime(2026, 3, 1, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(NaiveDateTimeError) as caught:
        apply(None, PlaceOrder(key="place", spec=spec()), at=naive)
    assert (caught.value.field, caught.value.value) == ("at", naive)
    with pytest.raises(NaiveDateTimeError):
        apply(placed(), ConfirmOrder(key="c", unpaid_ok=True), at=naive)


def test_a_time_that_is_not_a_datetime_is_refused():
    with pytest.raises(InvalidTypeError) as caught:
        apply(placed(), ConfirmOrder(key="c", unpaid_ok=True), at=dt.date(2026, 3, 1))
    assert caught.value.field == "at"


def test_a_time_before_the_last_event_is_refused():
    order = placed()
    earlier = T0.subtract(seconds=1)
    with pytest.raises(InvalidValueError) as caught:
        apply(order, ConfirmOrder(key="c", unpaid_ok=True), at=earlier)
    assert (caught.value.field, caught.value.value) == ("at", earlier)
    assert caught.value.reason == f"is earlier than the order's last event ({T0.isoformat()})"


def test_the_same_instant_in_another_zone_is_not_earlier():
    order = placed()
    later, _ = apply(order, ConfirmOrder(key="c", unpaid_ok=True), at=T0.in_timezone("UTC"))
    assert later.events[-1].at == T0


# ------------------------------------------------------------------ replay


def test_replay_rebuilds_every_kind_of_order():
    draft_placed = run(None, CreateDraft(key="draft", spec=spec()), PlaceOrder(key="place"))
    for order in (draft_placed, completed(), run(placed(), CancelOrder(key="cancel"))):
        assert replay(order.events) == order
        assert replay(iter(order.events)) == order


def test_replay_refuses_an_empty_log():
    with pytest.raises(InvalidValueError) as caught:
        replay([])
    assert caught.value.field == "events"


def test_replay_refuses_a_log_that_does_not_start_with_a_creating_event():
    events = paid().events
    with pytest.raises(InvalidValueError) as caught:
        replay([attrs.evolve(events[1], version=1)])
    assert (caught.value.field, caught.value.value) == ("events[0]", "PaymentAuthorized")


def test_replay_refuses_a_placed_event_without_a_spec_at_the_start():
    events = placed().events
    with pytest.raises(InvalidValueError) as caught:
        replay([attrs.evolve(events[0], spec=None)])
    assert caught.value.field == "events[0].spec"


def test_replay_refuses_a_skipped_version():
    first, _, third = paid().events
    with pytest.raises(InvalidValueError) as caught:
        replay([first, third])
    assert (caught.value.field, caught.value.value) == ("events[1].version", 3)
    with pytest.raises(InvalidValueError) as caught:
        replay([attrs.evolve(first, version=0)])
    assert caught.value.field == "events[0].version"


def test_replay_refuses_events_of_another_order():
    first, second, _ = paid().events
    with pytest.raises(InvalidValueError) as caught:
        replay([first, attrs.evolve(second, order_id="o-2")])
    assert (caught.value.field, caught.value.value) == ("events[1].order_id", "o-2")


def test_replay_refuses_items_that_are_not_events():
    first = placed().events[0]
    with pytest.raises(InvalidTypeError) as caught:
        replay([first, "PaymentAuthorized"])
    assert (caught.value.field, caught.value.value) == ("events[1]", "PaymentAuthorized")


# ------------------------------------------------------------------ milestones and marketplace


def test_a_placed_order_is_created_with_only_its_purchase_time():
    order = placed()
    assert marketplace_status(order) is MarketplaceStatus.CREATED
    milestones = order.milestones
    assert milestones.purchased_at == T0
    assert milestones.estimated_delivery_at == ESTIMATE
    assert (
        milestones.approved_at,
        milestones.invoiced_at,
        milestones.handed_to_carrier_at,
        milestones.delivered_at,
        milestones.cancelled_at,
    ) == (None, None, None, None, None)


def test_a_draft_has_no_purchase_time():
    draft = run(None, CreateDraft(key="draft", spec=spec()))
    assert draft.milestones.purchased_at is None
    assert marketplace_status(draft) is MarketplaceStatus.CREATED


def test_an_authorized_order_is_approved_when_the_payment_was_first_secured():
    order = run(
        placed(),
        AuthorizePayment(key="auth", payment_id="p1", amount=TOTAL),
        CapturePayment(key="capture", payment_id="p1"),
    )
    assert marketplace_status(order) is MarketplaceStatus.APPROVED
    assert order.milestones.approved_at == order.events[1].at


def test_a_placed_order_is_approved_from_its_first_authorization():
    order = run(placed())
    assert marketplace_status(order) is MarketplaceStatus.CREATED
    order = run(order, AuthorizePayment(key="auth", payment_id="p1", amount=eur("10.00")))
    assert marketplace_status(order) is MarketplaceStatus.APPROVED
    assert order.milestones.approved_at == order.events[-1].at


def test_a_confirmed_order_is_approved_when_it_was_confirmed():
    order = run(placed(), ConfirmOrder(key="confirm", unpaid_ok=True))
    assert marketplace_status(order) is MarketplaceStatus.APPROVED
    assert order.milestones.approved_at == order.events[-1].at


def test_a_confirmed_order_put_on_hold_is_still_approved():
    order = run(
        placed(),
        ConfirmOrder(key="confirm", unpaid_ok=True),
        HoldOrder(key="hold", reason="address check"),
    )
    assert order.milestones.approved_at is not None
    assert marketplace_status(order) is MarketplaceStatus.APPROVED


def test_an_invoiced_order_shows_its_first_invoice():
    order = run(
        placed(),
        IssueInvoice(key="invoice-1", invoice_number="INV-1"),
        IssueInvoice(key="invoice-2", invoice_number="INV-2"),
    )
    assert marketplace_status(order) is MarketplaceStatus.INVOICED
    assert order.milestones.invoiced_at == order.events[1].at
    assert [invoice.invoice_number for invoice in order.invoices] == ["INV-1", "INV-2"]
    assert refusal(order, IssueInvoice(key="invoice-3", invoice_number="INV-1")) == (
        "invoice 'INV-1' is already recorded"
    )


def test_a_packed_order_is_processing():
    order = run(paid(), FulfilLines(key="pack", shipment_id="s1", lines={"l1": 1}))
    assert marketplace_status(order) is MarketplaceStatus.PROCESSING
    assert order.milestones.handed_to_carrier_at is None


def test_a_shipped_order_was_handed_to_the_carrier_with_its_first_shipment():
    order = run(
        paid(),
        FulfilLines(key="pack-1", shipment_id="s1", lines={"l1": 2}),
        FulfilLines(key="pack-2", shipment_id="s2", lines={"l2": 1}),
        ShipShipment(key="ship-2", shipment_id="s2"),
    )
    assert marketplace_status(order) is MarketplaceStatus.SHIPPED
    first_handover = order.events[-1].at
    order = run(
        order,
        ShipShipment(key="ship-1", shipment_id="s1"),
        ConfirmDelivery(key="deliver-1", shipment_id="s1"),
    )
    assert order.milestones.handed_to_carrier_at == first_handover
    # Part delivered is still shipped, with no delivery time yet.
    assert order.fulfilment_status is FulfilmentStatus.PARTIALLY_DELIVERED
    assert marketplace_status(order) is MarketplaceStatus.SHIPPED
    assert order.milestones.delivered_at is None
    order = run(order, ConfirmDelivery(key="deliver-2", shipment_id="s2"))
    assert marketplace_status(order) is MarketplaceStatus.DELIVERED
    assert order.milestones.delivered_at == order.events[-1].at


def test_a_completed_order_stays_delivered_for_the_marketplace():
    order = completed()
    assert marketplace_status(order) is MarketplaceStatus.DELIVERED
    assert order.milestones.delivered_at == order.events[5].at


def test_a_cancelled_order_is_canceled_with_its_cancellation_time():
    order = run(placed(), CancelOrder(key="cancel"))
    assert marketplace_status(order) is MarketplaceStatus.CANCELED
    assert order.milestones.cancelled_at == order.events[-1].at


def test_an_order_cancelled_for_unavailable_goods_is_unavailable():
    order = run(placed(), CancelOrder(key="cancel", reason=CancellationReason.UNAVAILABLE))
    assert order.cancellation_reason is CancellationReason.UNAVAILABLE
    assert marketplace_status(order) is MarketplaceStatus.UNAVAILABLE


# ------------------------------------------------------------------ lookups and the table


def test_lookups_find_parts_by_id_and_refuse_unknown_ones():
    order = shipped()
    assert order.line("l2").sku == "POT"
    assert order.payment("p1").tender == "card"
    assert order.shipment("s1").units == 3
    for lookup, kind in (
        (order.line, "line"),
        (order.payment, "payment"),
        (order.shipment, "shipment"),
    ):
        with pytest.raises(NotFoundError) as caught:
            lookup("x9")
        assert str(caught.value) == f"order 'o-1' has no {kind} 'x9'"


def test_the_order_lifecycle_passes_its_own_checks():
    rebuilt = Lifecycle(
        name="order",
        states=OrderStatus,
        initial=ORDER_LIFECYCLE.initial,
        terminal=ORDER_LIFECYCLE.terminal,
        transitions=ORDER_LIFECYCLE.transitions,
    )
    assert rebuilt.initial is OrderStatus.DRAFT
    assert rebuilt.terminal == {OrderStatus.CANCELLED, OrderStatus.CLOSED}
    assert ORDER_LIFECYCLE.allowed(OrderStatus.CLOSED) == ()
    assert ORDER_LIFECYCLE.allowed(OrderStatus.CANCELLED) == ()


def test_the_order_lifecycle_draws_as_a_state_diagram():
    diagram = lifecycle_mermaid()
    assert diagram.startswith("stateDiagram-v2\n    [*] --> draft\n")
    assert "    placed --> processing : ConfirmOrder [guarded], FulfilLines\n" in diagram
    assert "processing --> processing" not in diagram
    assert diagram.endswith("    cancelled --> [*]\n    closed --> [*]\n")
    loops = lifecycle_mermaid(internal=True)
    assert loops.startswith("stateDiagram-v2")
    assert "    draft --> draft : UpdateDraft\n" in loops


def test_every_line_quantity_event_replays_into_the_same_counters():
    # A long history touching every counter; run() checks the chain and the replay each step.
    order = run(
        paid(),
        CancelLines(key="cancel-one", lines={"l1": 1}),
        RefundPayment(key="refund-one", payment_id="p1", amount=eur("11.90"), lines={"l1": 1}),
        FulfilLines(key="pack", shipment_id="s1", lines={"l1": 1, "l2": 1}),
        ShipShipment(key="ship", shipment_id="s1"),
        ConfirmDelivery(key="deliver", shipment_id="s1"),
        RequestReturn(key="rma", lines={"l1": 1, "l2": 1}),
        ReceiveReturn(key="receive", lines={"l1": 1}),
        WriteOffLines(key="keep", lines={"l2": 1}),
    )
    assert order.line("l1").counters() == {
        "quantity": 2,
        "cancelled": 1,
        "fulfilled": 1,
        "shipped": 1,
        "delivered": 1,
        "return_requested": 1,
        "returned": 1,
        "written_off": 0,
        "refunded": 1,
    }
    assert order.line("l2").refundable == 1
    assert order.return_status is ReturnStatus.RETURNED


def test_marketplace_status_of_something_that_is_not_an_order_is_refused():
    with pytest.raises(InvalidTypeError) as caught:
        marketplace_status({"status": "placed"})
    assert (caught.value.field, caught.value.value) == ("order", {"status": "placed"})


# ---------------------------------------------------------------- settling outside the payments


def returned_unit():
    """Delivered, one unit of l1 requested back and received."""
    return run(
        delivered(),
        RequestReturn(key="rma", lines={"l1": 1}),
        ReceiveReturn(key="receive", lines={"l1": 1}),
    )


def test_credited_units_count_as_refunded_without_touching_a_payment():
    order = returned_unit()
    payments = order.payments
    order = run(
        order,
        CreditLines(key="credit", lines={"l1": 1}, amount=eur("12.00"), shipping=eur("2.00")),
    )
    assert order.line("l1").refunded == 1
    assert order.payments == payments
    assert order.credited == eur("12.00")
    assert order.shipping_refunded == eur("2.00")
    assert isinstance(order.events[-1], LinesCredited)


def test_units_not_back_cannot_be_credited():
    reason = refusal(returned_unit(), CreditLines(key="credit", lines={"l1": 2}, amount=eur("1")))
    assert reason.startswith("cannot credit 2 of line 'l1': only 1 unit")


def test_a_credit_in_another_currency_is_refused():
    reason = refusal(
        returned_unit(), CreditLines(key="credit", lines={"l1": 1}, amount=Money("1.00", "PLN"))
    )
    assert "not in the order's currency EUR" in reason


def test_delivery_is_never_credited_beyond_its_price():
    order = returned_unit()
    reason = refusal(
        order,
        CreditLines(key="credit", lines={"l1": 1}, amount=eur("20.00"), shipping=eur("6.00")),
    )
    assert reason == (
        "cannot refund 6.00 EUR of delivery: only 5.95 EUR of the delivery price is left to refund"
    )


def test_a_credit_refuses_a_delivery_part_larger_than_its_amount_or_a_negative_amount():
    with pytest.raises(InvalidValueError) as caught:
        CreditLines(key="credit", lines={"l1": 1}, amount=eur("1.00"), shipping=eur("2.00"))
    assert caught.value.field == "shipping"
    with pytest.raises(InvalidValueError) as caught:
        CreditLines(key="credit", lines={"l1": 1}, amount=eur("-1.00"))
    assert caught.value.field == "amount"
    with pytest.raises(InvalidTypeError):
        CreditLines(key="credit", lines={"l1": 1}, amount="1.00")
