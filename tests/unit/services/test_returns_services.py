"""The return services on the in-memory adapter: opening, receiving and refunding returns."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from ecomkit import Money
from ecomkit.adapters.memory import InMemoryUnitOfWork
from ecomkit.errors import (
    GatewayUnavailableError,
    IdempotencyConflictError,
    InvalidTypeError,
    InvalidValueError,
    OrderNotFoundError,
    PaymentDeclinedError,
    ReturnCommandRejectedError,
    ReturnNotFoundError,
)
from ecomkit.orders import LinesCredited, LineSpec, OrderSpec, PaymentRefunded
from ecomkit.ports import PaymentOperation
from ecomkit.returns import (
    ItemsReceived,
    ReceivedItem,
    ReturnDecided,
    ReturnLine,
    ReturnOpened,
    ReturnRefunded,
    ReturnRequest,
    RmaStatus,
    eu_policy,
)
from ecomkit.services import (
    authorize_payment,
    capture_payment,
    confirm_delivery,
    place_order,
    receive_return,
    refund_return,
    request_return,
    ship_order,
)
from ecomkit.testing import (
    FakeCarrier,
    FakePaymentGateway,
    FixedClock,
    RecordingNotifier,
    RecordingPublisher,
)


START = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Warsaw")
POLICY = eu_policy(country="PL")


def pln(amount: str) -> Money:
    return Money(amount, "PLN")


@attrs.define
class Shop:
    uow: InMemoryUnitOfWork = attrs.field(factory=InMemoryUnitOfWork)
    gateway: FakePaymentGateway = attrs.field(factory=FakePaymentGateway)
    clock: FixedClock = attrs.field(factory=lambda: FixedClock(START))
    publisher: RecordingPublisher = attrs.field(factory=RecordingPublisher)
    notifier: RecordingNotifier = attrs.field(factory=RecordingNotifier)

    def deliver_an_order(self) -> None:
        """Two shoes at 199.99 PLN, paid 150 by gift card and the rest by card, delivered."""
        spec = OrderSpec(
            order_id="o-1",
            channel="web",
            currency="PLN",
            timezone="Europe/Warsaw",
            customer_id="c-1",
            prices_include_tax=True,
            lines=[LineSpec(line_id="l1", sku="SHOE", quantity=2, unit_price=pln("199.99"))],
        )
        pay = {"uow": self.uow, "gateway": self.gateway, "clock": self.clock}
        place_order(spec, key="place", uow=self.uow, clock=self.clock)
        authorize_payment(
            "o-1", payment_id="p1", key="a1", amount=pln("150"), tender="gift_card", **pay
        )
        authorize_payment("o-1", payment_id="p2", key="a2", **pay)
        capture_payment("o-1", payment_id="p1", key="c1", **pay)
        capture_payment("o-1", payment_id="p2", key="c2", **pay)
        ship_order(
            "o-1",
            shipment_id="s1",
            key="ship",
            uow=self.uow,
            carrier=FakeCarrier(),
            clock=self.clock,
        )
        confirm_delivery("o-1", shipment_id="s1", key="deliver", uow=self.uow, clock=self.clock)
        self.clock.advance(days=3)

    def request(self, quantity: int = 1, *, return_id: str = "r-1", key: str = "request-1"):
        request = ReturnRequest(
            return_id=return_id,
            kind="withdrawal",
            requested_at=self.clock.now(),
            lines=[ReturnLine(line_id="l1", quantity=quantity)],
        )
        return request_return(
            "o-1",
            request,
            policy=POLICY,
            key=key,
            uow=self.uow,
            clock=self.clock,
            publisher=self.publisher,
            notifier=self.notifier,
        )

    def receive(self, quantity: int = 1, *, key: str = "receive-1"):
        return receive_return(
            "r-1",
            items=[ReceivedItem(line_id="l1", quantity=quantity)],
            key=key,
            uow=self.uow,
            clock=self.clock,
            publisher=self.publisher,
        )

    def refund(self, *, key: str = "refund-1", **options):
        return refund_return(
            "r-1",
            key=key,
            uow=self.uow,
            gateway=self.gateway,
            clock=self.clock,
            publisher=self.publisher,
            notifier=self.notifier,
            **options,
        )

    def order(self):
        with self.uow:
            return self.uow.orders.get("o-1")

    def rma(self, return_id: str = "r-1"):
        with self.uow:
            return self.uow.returns.get(return_id)

    def refunds(self):
        return [c for c in self.gateway.calls if c.operation is PaymentOperation.REFUND]


@pytest.fixture
def shop() -> Shop:
    shop = Shop()
    shop.deliver_an_order()
    return shop


@pytest.fixture
def received(shop: Shop) -> Shop:
    shop.request()
    shop.receive()
    shop.publisher.clear()
    shop.notifier.clear()
    return shop


# ---------------------------------------------------------------------- opening a return


class TestRequestReturn:
    def test_a_withdrawal_is_opened_approved_and_reserved_on_the_order(self, shop):
        rma = shop.request()

        assert rma.status is RmaStatus.APPROVED
        assert rma == shop.rma()
        assert shop.order().line("l1").return_requested == 1
        (batch,) = shop.publisher.batches
        assert [type(e).__name__ for e in batch] == [
            "ReturnOpened",
            "ReturnDecided",
            "ReturnRequested",
        ]
        (sent,) = shop.notifier.sent
        assert (sent.kind, sent.return_id, sent.detail("outcome"), sent.key) == (
            "return_decided",
            "r-1",
            "approved",
            "r-1/request-1/return_decided",
        )

    def test_requesting_again_with_the_same_key_repeats_nothing(self, shop):
        first = shop.request()
        shop.clock.advance(hours=1)

        again = shop.request()

        assert again == first
        assert len(shop.publisher.batches) == 1
        assert shop.order().line("l1").return_requested == 1
        assert len(shop.notifier.received) == 1

    def test_a_declined_request_is_stored_and_the_order_is_left_alone(self, shop):
        before = shop.order()
        shop.clock.advance(days=40)

        rma = shop.request()

        assert rma.status is RmaStatus.DECLINED
        assert shop.order() == before
        assert [type(e) for e in shop.publisher.events] == [ReturnOpened, ReturnDecided]
        assert shop.notifier.sent[-1].detail("outcome") == "declined"

    def test_a_return_id_already_used_by_another_request_is_refused(self, shop):
        shop.request()

        with pytest.raises(InvalidValueError) as raised:
            shop.request(key="request-2")

        assert raised.value.field == "request.return_id"
        assert shop.order().line("l1").return_requested == 1

    def test_an_unknown_order_is_not_found(self, shop):
        request = ReturnRequest(
            return_id="r-1",
            kind="withdrawal",
            requested_at=START,
            lines=[ReturnLine(line_id="l1", quantity=1)],
        )
        with pytest.raises(OrderNotFoundError):
            request_return("o-9", request, policy=POLICY, key="k", uow=shop.uow, clock=shop.clock)

    def test_a_request_that_is_not_a_return_request_is_refused(self, shop):
        with pytest.raises(InvalidTypeError):
            request_return("o-1", {"l1": 1}, policy=POLICY, key="k", uow=shop.uow, clock=shop.clock)

        with shop.uow:
            assert shop.uow.returns.for_order("o-1") == ()


# ---------------------------------------------------------------------- receiving


class TestReceiveReturn:
    def test_received_units_are_counted_on_the_return_and_the_order(self, shop):
        shop.request()

        rma = shop.receive()

        assert rma.status is RmaStatus.RECEIVED
        assert rma.line("l1").received == 1
        assert shop.order().line("l1").returned == 1
        assert [type(e).__name__ for e in shop.publisher.batches[-1]] == [
            "ItemsReceived",
            "ReturnReceived",
        ]

    def test_receiving_again_with_the_same_key_repeats_nothing(self, shop):
        shop.request()
        first = shop.receive()

        assert shop.receive() == first
        assert shop.order().line("l1").returned == 1
        assert len([e for e in shop.publisher.events if isinstance(e, ItemsReceived)]) == 1

    def test_more_units_than_approved_are_refused(self, shop):
        shop.request()

        with pytest.raises(ReturnCommandRejectedError):
            shop.receive(quantity=2)

        assert shop.order().line("l1").returned == 0

    def test_an_unknown_return_is_not_found(self, shop):
        with pytest.raises(ReturnNotFoundError):
            shop.receive()

    @pytest.mark.parametrize(
        ("items", "error"),
        [([], InvalidValueError), ("l1", InvalidTypeError), ([1], InvalidTypeError)],
    )
    def test_bad_items_are_refused(self, shop, items, error):
        shop.request()

        with pytest.raises(error):
            receive_return("r-1", items=items, key="k", uow=shop.uow, clock=shop.clock)

        assert shop.rma().status is RmaStatus.APPROVED


# ---------------------------------------------------------------------- refunding


class TestRefundReturn:
    def test_a_refund_over_two_tenders_is_paid_and_stored_part_by_part(self, received):
        rma = received.refund()

        assert rma.status is RmaStatus.REFUNDED
        assert rma == received.rma()
        assert rma.refunded == pln("199.99")
        order = received.order()
        assert order.payment("p1").refunded == pln("150")
        assert order.payment("p2").refunded == pln("49.99")
        assert received.gateway.charged("o-1") == pln("199.99")
        assert [c.idempotency_key for c in received.refunds()] == [
            "o-1/r-1/refund-1/refund/p1",
            "o-1/r-1/refund-1/refund/p2",
        ]
        assert [[type(e) for e in batch] for batch in received.publisher.batches] == [
            [PaymentRefunded],
            [PaymentRefunded],
            [ReturnRefunded],
        ]
        (sent,) = received.notifier.sent
        assert (sent.kind, sent.detail("amount")) == ("return_refunded", "199.99 PLN")

    def test_refunding_again_with_the_same_key_moves_no_money(self, received):
        first = received.refund()

        again = received.refund()

        assert again == first
        assert len(received.refunds()) == 2
        assert len(received.publisher.batches) == 3
        assert len(received.notifier.received) == 1

    def test_a_refund_declined_at_the_first_part_stores_nothing(self, received):
        received.gateway.decline("refund", times=1)
        before = received.order()

        with pytest.raises(PaymentDeclinedError):
            received.refund()

        assert received.order() == before
        assert received.rma().status is RmaStatus.RECEIVED
        assert received.publisher.events == ()

    def test_an_unreachable_gateway_stores_nothing_and_a_rerun_refunds_once(self, received):
        received.gateway.go_down("refund", times=1)

        with pytest.raises(GatewayUnavailableError):
            received.refund()
        assert received.order().refunded.is_zero()

        assert received.refund().status is RmaStatus.REFUNDED
        assert received.gateway.charged("o-1") == pln("199.99")

    def test_store_credit_moves_no_money_and_is_recorded_with_the_return(self, received):
        rma = received.refund(method="store_credit")

        assert rma.status is RmaStatus.CREDITED
        assert received.refunds() == []
        assert received.gateway.charged("o-1") == pln("399.98")
        (batch,) = received.publisher.batches
        assert [type(e) for e in batch] == [ReturnRefunded, LinesCredited]
        assert received.order().line("l1").refunded == 1

    def test_nothing_received_is_refused_before_the_gateway(self, shop):
        shop.request()

        with pytest.raises(ReturnCommandRejectedError):
            shop.refund()

        assert shop.refunds() == []

    def test_a_key_used_for_another_command_of_the_return_is_a_conflict(self, received):
        with pytest.raises(IdempotencyConflictError) as caught:
            received.refund(key="receive-1")

        assert (caught.value.first, caught.value.second) == ("ReceiveItems", "RefundReturn")

        assert received.refunds() == []

    def test_an_unknown_method_is_refused_before_anything_is_read(self, received):
        with pytest.raises(InvalidValueError):
            received.refund(method="cash")

    def test_an_unknown_return_is_not_found(self, shop):
        with pytest.raises(ReturnNotFoundError):
            shop.refund()
