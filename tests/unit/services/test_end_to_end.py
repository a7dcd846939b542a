"""The whole story through the services, on both reference adapters.

An order is placed, paid with two tenders, shipped, tracked to delivery, partly returned
under the EU withdrawal rules and refunded; another order is paid and then cancelled. At
the end the stored state, the gateway's ledger, the published events and the stored
event log must all tell the same story, and storage read afresh must give the same
aggregates.
"""

from __future__ import annotations

import pendulum
import pytest

from ecomkit import Money
from ecomkit.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from ecomkit.adapters.sqlite import SqliteUnitOfWork
from ecomkit.orders import (
    FulfilmentStatus,
    LineSpec,
    OrderSpec,
    OrderStatus,
    PaymentStatus,
    ReturnStatus,
    ShippingSpec,
)
from ecomkit.returns import ReceivedItem, ReturnLine, ReturnRequest, RmaStatus, eu_policy
from ecomkit.services import (
    authorize_payment,
    cancel_order,
    capture_payment,
    place_order,
    receive_return,
    refund_return,
    request_return,
    retry_on_conflict,
    ship_order,
    track_shipment,
)
from ecomkit.testing import (
    FakeCarrier,
    FakePaymentGateway,
    FixedClock,
    RecordingNotifier,
    RecordingPublisher,
)


START = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Warsaw")


def pln(amount: str) -> Money:
    return Money(amount, "PLN")


@pytest.fixture(params=["memory", "sqlite"])
def units(request, tmp_path):
    """Return a factory of units on one storage; every unit it made is closed at teardown."""
    made = []
    store = InMemoryStore()

    def new_unit():
        unit = (
            InMemoryUnitOfWork(store)
            if request.param == "memory"
            else SqliteUnitOfWork(tmp_path / "shop.db")
        )
        made.append(unit)
        return unit

    yield new_unit
    for unit in made:
        if isinstance(unit, SqliteUnitOfWork):
            unit.close()


@pytest.fixture
def ports():
    return {
        "gateway": FakePaymentGateway(),
        "carrier": FakeCarrier(),
        "clock": FixedClock(START),
        "publisher": RecordingPublisher(),
        "notifier": RecordingNotifier(),
    }


def spec(order_id: str) -> OrderSpec:
    return OrderSpec(
        order_id=order_id,
        channel="web",
        currency="PLN",
        timezone="Europe/Warsaw",
        customer_id="c-42",
        prices_include_tax=True,
        lines=[
            LineSpec(line_id="l1", sku="SHOE", quantity=2, unit_price=pln("199.99")),
            LineSpec(line_id="l2", sku="SOCKS", quantity=1, unit_price=pln("20.00")),
        ],
        shipping=[ShippingSpec(shipping_id="d1", method="courier", price=pln("15.00"))],
    )


def sell_ship_and_deliver(uow, ports):
    """Place o-1, pay it by gift card and card, ship it and track it to delivery."""
    gateway, carrier, clock = ports["gateway"], ports["carrier"], ports["clock"]
    publisher, notifier = ports["publisher"], ports["notifier"]
    pay = {"uow": uow, "gateway": gateway, "clock": clock, "publisher": publisher}
    order = place_order(
        spec("o-1"), key="checkout", uow=uow, clock=clock, publisher=publisher, notifier=notifier
    )
    assert order.total.gross == pln("434.98")
    authorize_payment(
        "o-1", payment_id="gift", key="pay-gift", amount=pln("100"), tender="gift_card", **pay
    )
    authorize_payment("o-1", payment_id="card", key="pay-card", **pay)
    clock.advance(hours=1)
    for payment_id in ("gift", "card"):
        retry_on_conflict(
            lambda payment_id=payment_id: capture_payment(
                "o-1", payment_id=payment_id, key=f"capture-{payment_id}", **pay
            )
        )
    clock.advance(hours=20)
    shipped = {"uow": uow, "carrier": carrier, "clock": clock}
    order = ship_order(
        "o-1", shipment_id="s1", key="dispatch", publisher=publisher, notifier=notifier, **shipped
    )
    tracking = order.shipment("s1").tracking_number
    carrier.in_transit(tracking, at=clock.now().add(hours=4))
    delivered = carrier.deliver(tracking, at=clock.now().add(days=1, hours=2))
    clock.advance(days=2)
    updates = track_shipment(
        "o-1", shipment_id="s1", key="tracking", publisher=publisher, notifier=notifier, **shipped
    )
    assert [update.status.value for update in updates] == ["in_transit", "delivered"]
    return delivered


def return_one_shoe(uow, ports):
    """Withdraw from one shoe of o-1, send it back and refund it."""
    gateway, clock = ports["gateway"], ports["clock"]
    publisher, notifier = ports["publisher"], ports["notifier"]
    clock.advance(days=5)
    request = ReturnRequest(
        return_id="r-1",
        kind="withdrawal",
        requested_at=clock.now(),
        lines=[ReturnLine(line_id="l1", quantity=1)],
    )
    rma = request_return(
        "o-1",
        request,
        policy=eu_policy(country="PL"),
        key="return",
        uow=uow,
        clock=clock,
        publisher=publisher,
        notifier=notifier,
    )
    assert rma.status is RmaStatus.APPROVED
    clock.advance(days=4)
    receive_return(
        "r-1",
        items=[ReceivedItem(line_id="l1", quantity=1)],
        key="parcel-back",
        uow=uow,
        clock=clock,
        publisher=publisher,
    )
    clock.advance(days=1)
    return refund_return(
        "r-1",
        key="refund",
        uow=uow,
        gateway=gateway,
        clock=clock,
        publisher=publisher,
        notifier=notifier,
    )


def test_an_order_is_paid_shipped_delivered_returned_and_refunded(units, ports):
    uow = units()
    gateway, publisher, notifier = ports["gateway"], ports["publisher"], ports["notifier"]

    delivered = sell_ship_and_deliver(uow, ports)
    rma = return_one_shoe(uow, ports)

    with uow:
        order = uow.orders.get("o-1")
        stored_rma = uow.returns.get("r-1")
    assert stored_rma == rma
    assert rma.status is RmaStatus.REFUNDED
    assert order.status is OrderStatus.PROCESSING
    assert order.fulfilment_status is FulfilmentStatus.DELIVERED
    assert order.return_status is ReturnStatus.PARTIALLY_RETURNED
    assert order.payment_status is PaymentStatus.PARTIALLY_REFUNDED
    assert order.captured == pln("434.98")
    assert order.refunded == rma.refunded == pln("199.99")
    assert order.shipment("s1").delivered_at == delivered.at
    for payment in order.payments:
        ledger = gateway.ledger("o-1", payment.payment_id)
        assert (ledger.captured, ledger.refunded) == (payment.captured, payment.refunded)
    assert gateway.charged("o-1") == pln("234.99")

    log = uow.events()
    assert [stored.position for stored in log] == list(range(1, len(log) + 1))
    assert list(publisher.events) == [stored.event for stored in log]
    assert notifier.kinds() == (
        "order_placed",
        "order_shipped",
        "order_delivered",
        "return_decided",
        "return_refunded",
    )
    assert {sent.recipient for sent in notifier.sent} == {"c-42"}

    fresh = units()
    with fresh:
        assert fresh.orders.get("o-1") == order
        assert fresh.returns.get("r-1") == rma
        assert fresh.returns.for_order("o-1") == (rma,)


def test_an_order_paid_and_then_cancelled_gives_all_the_money_back(units, ports):
    uow = units()
    gateway, clock, publisher = ports["gateway"], ports["clock"], ports["publisher"]
    pay = {"uow": uow, "gateway": gateway, "clock": clock, "publisher": publisher}
    place_order(spec("o-2"), key="checkout", uow=uow, clock=clock, publisher=publisher)
    authorize_payment(
        "o-2", payment_id="gift", key="pay-gift", amount=pln("50"), tender="gift_card", **pay
    )
    authorize_payment("o-2", payment_id="card", key="pay-card", **pay)
    capture_payment("o-2", payment_id="gift", key="capture-gift", **pay)
    capture_payment("o-2", payment_id="card", key="capture-card", amount=pln("100"), **pay)
    clock.advance(hours=2)

    order = cancel_order(
        "o-2", key="customer-changed-mind", reason="customer", notifier=ports["notifier"], **pay
    )

    assert order.status is OrderStatus.CANCELLED
    assert order.total.gross.is_zero()
    assert order.captured == order.refunded == pln("150")
    assert order.payment("card").voided == pln("284.98")
    assert gateway.charged("o-2").is_zero()
    assert gateway.ledger("o-2", "card").voided == pln("284.98")
    assert list(publisher.events) == [stored.event for stored in uow.events()]
    assert ports["notifier"].kinds() == ("order_cancelled",)
    fresh = units()
    with fresh:
        assert fresh.orders.get("o-2") == order
