"""The order services on the in-memory adapter: happy paths, re-runs, provider faults, bad input."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pendulum
import pytest

from ecomkit import Money
from ecomkit.adapters.memory import InMemoryUnitOfWork
from ecomkit.errors import (
    CarrierUnavailableError,
    CommandRejectedError,
    GatewayUnavailableError,
    IdempotencyConflictError,
    InvalidTypeError,
    InvalidValueError,
    OrderNotFoundError,
    PaymentDeclinedError,
    ShipmentRejectedError,
)
from ecomkit.orders import (
    Address,
    CreateDraft,
    FulfilLines,
    LineSpec,
    OrderCancelled,
    OrderSpec,
    OrderStatus,
    PaymentAuthorized,
    PaymentRefunded,
    PaymentVoided,
    ShipmentCreated,
    ShipmentDelivered,
    ShipmentShipped,
    ShipmentStatus,
    apply,
)
from ecomkit.ports import PaymentOperation
from ecomkit.services import (
    authorize_payment,
    cancel_order,
    capture_payment,
    confirm_delivery,
    place_order,
    ship_order,
    track_shipment,
)
from ecomkit.testing import (
    CallOutcome,
    FakeCarrier,
    FakePaymentGateway,
    FixedClock,
    RecordingNotifier,
    RecordingPublisher,
)


START = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Warsaw")
ADDRESS = Address(
    name="Ala Kowalska", line1="ul. Polna 1", city="Kraków", postal_code="30-001", country_code="PL"
)


def pln(amount: str) -> Money:
    return Money(amount, "PLN")


def make_spec(order_id: str = "o-1") -> OrderSpec:
    return OrderSpec(
        order_id=order_id,
        channel="web",
        currency="PLN",
        timezone="Europe/Warsaw",
        customer_id="c-1",
        shipping_address=ADDRESS,
        lines=[
            LineSpec(line_id="l1", sku="TEA", quantity=3, unit_price=pln("20")),
            LineSpec(line_id="l2", sku="MUG", quantity=1, unit_price=pln("40")),
        ],
    )


@attrs.define
class Shop:
    uow: InMemoryUnitOfWork = attrs.field(factory=InMemoryUnitOfWork)
    gateway: FakePaymentGateway = attrs.field(factory=FakePaymentGateway)
    carrier: FakeCarrier = attrs.field(factory=FakeCarrier)
    clock: FixedClock = attrs.field(factory=lambda: FixedClock(START))
    publisher: RecordingPublisher = attrs.field(factory=RecordingPublisher)
    notifier: RecordingNotifier = attrs.field(factory=RecordingNotifier)

    def stored(self, order_id: str = "o-1"):
        with self.uow:
            return self.uow.orders.get(order_id)

    def place(self, order_id: str = "o-1"):
        return place_order(
            make_spec(order_id),
            key=f"place-{order_id}",
            uow=self.uow,
            clock=self.clock,
            publisher=self.publisher,
            notifier=self.notifier,
        )

    def authorize(self, payment_id: str = "p1", key: str = "auth-1", **options):
        return authorize_payment(
            "o-1",
            payment_id=payment_id,
            key=key,
            uow=self.uow,
            gateway=self.gateway,
            clock=self.clock,
            publisher=self.publisher,
            **options,
        )

    def capture(self, payment_id: str = "p1", key: str = "capture-1", **options):
        return capture_payment(
            "o-1",
            payment_id=payment_id,
            key=key,
            uow=self.uow,
            gateway=self.gateway,
            clock=self.clock,
            publisher=self.publisher,
            **options,
        )

    def ship(self, shipment_id: str = "s1", key: str = "ship-1", **options):
        return ship_order(
            "o-1",
            shipment_id=shipment_id,
            key=key,
            uow=self.uow,
            carrier=self.carrier,
            clock=self.clock,
            publisher=self.publisher,
            notifier=self.notifier,
            **options,
        )

    def confirm(self, shipment_id: str = "s1", key: str = "deliver-1"):
        return confirm_delivery(
            "o-1",
            shipment_id=shipment_id,
            key=key,
            uow=self.uow,
            clock=self.clock,
            publisher=self.publisher,
            notifier=self.notifier,
        )

    def track(self, shipment_id: str = "s1", key: str = "track-1"):
        return track_shipment(
            "o-1",
            shipment_id=shipment_id,
            key=key,
            uow=self.uow,
            carrier=self.carrier,
            clock=self.clock,
            publisher=self.publisher,
            notifier=self.notifier,
        )

    def cancel(self, key: str = "cancel-1", **options):
        return cancel_order(
            "o-1",
            key=key,
            uow=self.uow,
            gateway=self.gateway,
            clock=self.clock,
            publisher=self.publisher,
            notifier=self.notifier,
            **options,
        )

    def published(self) -> list[str]:
        return [type(event).__name__ for event in self.publisher.events]


@pytest.fixture
def shop() -> Shop:
    return Shop()


@pytest.fixture
def paid(shop: Shop) -> Shop:
    shop.place()
    shop.authorize()
    shop.capture()
    shop.clock.advance(hours=1)
    return shop


# ---------------------------------------------------------------------- place_order


class TestPlaceOrder:
    def test_placing_stores_the_order_publishes_it_and_tells_the_customer(self, shop):
        order = shop.place()

        assert order.status is OrderStatus.PLACED
        assert order.total.gross == pln("100.00")
        assert order.events[0].at == START
        assert shop.stored() == order
        assert shop.publisher.batches == ((order.events[0],),)
        (sent,) = shop.notifier.sent
        assert (sent.kind, sent.key, sent.recipient) == (
            "order_placed",
            "o-1/place-o-1/order_placed",
            "c-1",
        )

    def test_placing_again_with_the_same_key_repeats_nothing(self, shop):
        first = shop.place()
        shop.clock.advance(minutes=5)

        again = shop.place()

        assert again == first
        assert len(shop.uow.events()) == 1
        assert len(shop.publisher.events) == 1
        assert len(shop.notifier.received) == 1

    def test_placing_a_stored_order_under_another_key_is_refused(self, shop):
        shop.place()

        with pytest.raises(CommandRejectedError):
            place_order(make_spec(), key="another", uow=shop.uow, clock=shop.clock)

        assert shop.stored().version == 1

    def test_a_stored_draft_is_placed_under_its_id(self, shop):
        draft, _ = apply(None, CreateDraft(key="draft", spec=make_spec()), at=START)
        with shop.uow:
            shop.uow.orders.add(draft)
            shop.uow.commit()
        shop.clock.advance(hours=1)

        order = shop.place()

        assert order.status is OrderStatus.PLACED
        assert order.version == 2
        assert order.placed_at == START.add(hours=1)
        assert shop.published() == ["OrderPlaced"]

    @pytest.mark.parametrize(
        ("spec", "key", "error"),
        [
            ("not a spec", "k", InvalidTypeError),
            (None, "k", InvalidTypeError),
            ("spec", "", InvalidValueError),
            ("spec", 7, InvalidTypeError),
        ],
    )
    def test_bad_input_raises_a_typed_error_and_stores_nothing(self, shop, spec, key, error):
        given = make_spec() if spec == "spec" else spec

        with pytest.raises(error):
            place_order(given, key=key, uow=shop.uow, clock=shop.clock)

        assert shop.uow.events() == ()


# ---------------------------------------------------------------------- authorize_payment


class TestAuthorizePayment:
    def test_authorizing_without_an_amount_reserves_what_is_outstanding(self, shop):
        shop.place()

        order = shop.authorize()

        payment = order.payment("p1")
        assert payment.authorized == pln("100.00")
        assert payment.reference == "auth-1"
        assert order.outstanding.is_zero()
        (call,) = shop.gateway.calls
        assert (call.operation, call.idempotency_key, call.tender) == (
            PaymentOperation.AUTHORIZE,
            "o-1/auth-1",
            "card",
        )
        assert shop.stored() == order
        assert shop.published() == ["OrderPlaced", "PaymentAuthorized"]

    def test_an_amount_and_a_tender_are_passed_on(self, shop):
        shop.place()

        order = shop.authorize(amount=pln("30"), tender="gift_card")

        assert order.payment("p1").authorized == pln("30")
        assert order.payment("p1").tender == "gift_card"
        assert shop.gateway.ledger("o-1", "p1").authorized == pln("30")

    def test_authorizing_again_with_the_same_key_does_not_reach_the_gateway(self, shop):
        shop.place()
        first = shop.authorize()

        again = shop.authorize()

        assert again == first
        assert len(shop.gateway.calls) == 1
        assert shop.published() == ["OrderPlaced", "PaymentAuthorized"]

    def test_a_declined_authorization_stores_nothing(self, shop):
        shop.place()
        shop.gateway.decline("authorize", times=1)

        with pytest.raises(PaymentDeclinedError):
            shop.authorize()

        assert shop.stored().version == 1
        assert shop.published() == ["OrderPlaced"]

    def test_an_unreachable_gateway_stores_nothing_and_a_rerun_succeeds(self, shop):
        shop.place()
        shop.gateway.go_down("authorize", times=1)

        with pytest.raises(GatewayUnavailableError):
            shop.authorize()
        assert shop.stored().payments == ()

        order = shop.authorize()
        assert order.payment("p1").authorized == pln("100.00")
        assert len(shop.gateway.transactions) == 1

    def test_more_than_is_outstanding_is_refused_before_the_gateway(self, shop):
        shop.place()

        with pytest.raises(CommandRejectedError, match="outstanding"):
            shop.authorize(amount=pln("100.01"))

        assert shop.gateway.calls == ()

    def test_nothing_outstanding_is_refused_before_the_gateway(self, shop):
        shop.place()
        shop.authorize()

        with pytest.raises(CommandRejectedError, match="nothing is outstanding"):
            shop.authorize(payment_id="p2", key="auth-2")

        assert len(shop.gateway.calls) == 1

    def test_a_key_used_for_another_command_is_a_conflict(self, shop):
        shop.place()

        with pytest.raises(IdempotencyConflictError) as caught:
            shop.authorize(key="place-o-1")

        assert (caught.value.first, caught.value.second) == ("PlaceOrder", "AuthorizePayment")
        assert shop.gateway.calls == ()

    def test_an_unknown_order_is_not_found_and_the_gateway_is_not_called(self, shop):
        with pytest.raises(OrderNotFoundError):
            shop.authorize()

        assert shop.gateway.calls == ()

    @pytest.mark.parametrize(
        ("amount", "error"),
        [
            (Decimal(10), InvalidTypeError),
            (10.0, InvalidTypeError),
            ("10", InvalidTypeError),
            (Money("0", "PLN"), InvalidValueError),
            (Money("-5", "PLN"), InvalidValueError),
        ],
    )
    def test_an_amount_that_is_not_positive_money_is_refused(self, shop, amount, error):
        shop.place()

        with pytest.raises(error) as raised:
            shop.authorize(amount=amount)

        assert raised.value.field == "amount"
        assert shop.gateway.calls == ()
        assert shop.stored().version == 1

    def test_a_clock_behind_the_order_records_at_the_orders_last_event(self, shop):
        shop.place()
        shop.clock.set(START.subtract(hours=2))

        order = shop.authorize()

        assert order.events[-1].at == START


# ---------------------------------------------------------------------- capture_payment


class TestCapturePayment:
    def test_capturing_without_an_amount_takes_everything_open(self, shop):
        shop.place()
        shop.authorize()

        order = shop.capture()

        assert order.captured == pln("100.00")
        assert order.payment_status.value == "paid"
        assert shop.gateway.charged("o-1") == pln("100.00")
        capture = shop.gateway.calls[-1]
        assert (capture.idempotency_key, capture.reference) == ("o-1/capture-1", "auth-1")
        assert shop.published()[-1] == "PaymentCaptured"

    def test_a_partial_capture_takes_only_the_amount(self, shop):
        shop.place()
        shop.authorize()

        order = shop.capture(amount=pln("40"))

        assert order.payment("p1").captured == pln("40")
        assert order.payment("p1").open == pln("60.00")

    def test_capturing_again_with_the_same_key_captures_once(self, paid):
        before = paid.stored()

        again = paid.capture()

        assert again == before
        assert [c.operation for c in paid.gateway.calls].count(PaymentOperation.CAPTURE) == 1
        assert paid.published().count("PaymentCaptured") == 1

    def test_a_declined_capture_stores_nothing(self, shop):
        shop.place()
        shop.authorize()
        shop.gateway.decline("capture", times=1)

        with pytest.raises(PaymentDeclinedError):
            shop.capture()

        assert shop.stored().captured.is_zero()

    def test_an_unreachable_gateway_stores_nothing_and_a_rerun_captures_once(self, shop):
        shop.place()
        shop.authorize()
        shop.gateway.go_down("capture", times=1)

        with pytest.raises(GatewayUnavailableError):
            shop.capture()
        assert shop.stored().captured.is_zero()

        assert shop.capture().captured == pln("100.00")
        assert shop.gateway.charged("o-1") == pln("100.00")

    def test_an_unknown_payment_is_refused_before_the_gateway(self, shop):
        shop.place()

        with pytest.raises(CommandRejectedError, match="no payment 'p9'"):
            shop.capture(payment_id="p9")

        assert shop.gateway.calls == ()

    def test_an_unknown_order_is_not_found(self, shop):
        with pytest.raises(OrderNotFoundError):
            shop.capture()

    def test_an_amount_that_is_not_money_is_refused(self, shop):
        shop.place()
        shop.authorize()

        with pytest.raises(InvalidTypeError):
            shop.capture(amount="40")

        assert len(shop.gateway.calls) == 1


# ---------------------------------------------------------------------- ship_order


class TestShipOrder:
    def test_shipping_packs_every_unit_books_a_parcel_and_tells_the_customer(self, paid):
        order = paid.ship()

        shipment = order.shipment("s1")
        assert shipment.status is ShipmentStatus.SHIPPED
        assert (shipment.carrier, shipment.tracking_number) == ("fake-carrier", "TRACK0001")
        assert {item.line_id: item.quantity for item in shipment.lines} == {"l1": 3, "l2": 1}
        (booked,) = paid.carrier.shipments
        assert booked.idempotency_key == "o-1/ship-1/ship"
        assert booked.address == ADDRESS
        assert paid.publisher.batches[-1] == tuple(order.events[-2:])
        assert [type(e) for e in order.events[-2:]] == [ShipmentCreated, ShipmentShipped]
        sent = paid.notifier.sent[-1]
        assert sent.kind == "order_shipped"
        assert sent.detail("tracking_number") == "TRACK0001"
        assert sent.detail("carrier") == "fake-carrier"

    def test_the_carriers_promised_date_is_recorded(self, paid):
        paid.carrier = FakeCarrier(promised_delivery_on=START.date().add(days=3))

        order = paid.ship()

        assert order.shipment("s1").promised_delivery_on == START.date().add(days=3)

    def test_shipping_some_lines_leaves_the_rest_to_pack(self, paid):
        order = paid.ship(lines={"l1": 2})

        assert order.line("l1").fulfilled == 2
        assert order.line("l2").fulfilled == 0
        order = paid.ship(shipment_id="s2", key="ship-2")
        assert order.line("l1").fulfilled == 3
        assert order.line("l2").fulfilled == 1

    def test_shipping_again_with_the_same_key_books_one_parcel(self, paid):
        first = paid.ship()

        again = paid.ship()

        assert again == first
        assert len(paid.carrier.shipments) == 1
        assert len(paid.notifier.received) == 2  # placed and shipped, once each

    def test_a_rejected_shipment_stores_nothing(self, paid):
        paid.carrier.reject(times=1)

        with pytest.raises(ShipmentRejectedError):
            paid.ship()

        assert paid.stored().shipments == ()

    def test_an_unreachable_carrier_stores_nothing_and_a_rerun_books_once(self, paid):
        paid.carrier.go_down("create_shipment", times=1)

        with pytest.raises(CarrierUnavailableError):
            paid.ship()
        assert paid.stored().shipments == ()

        order = paid.ship()
        assert order.shipment("s1").status is ShipmentStatus.SHIPPED
        assert len(paid.carrier.shipments) == 1

    def test_nothing_left_to_pack_is_refused_before_the_carrier(self, paid):
        paid.ship()

        with pytest.raises(CommandRejectedError, match="already packed"):
            paid.ship(shipment_id="s2", key="ship-2")

        assert len(paid.carrier.calls) == 1

    def test_more_units_than_are_left_are_refused_before_the_carrier(self, paid):
        with pytest.raises(CommandRejectedError):
            paid.ship(lines={"l1": 4})

        assert paid.carrier.calls == ()

    @pytest.mark.parametrize(
        ("lines", "error"),
        [({"l1": 0}, InvalidValueError), ({"l1": "2"}, InvalidTypeError), ("l1", InvalidTypeError)],
    )
    def test_bad_lines_are_refused_before_anything_is_read(self, paid, lines, error):
        with pytest.raises(error):
            paid.ship(lines=lines)

        assert paid.carrier.calls == ()

    def test_an_unknown_order_is_not_found(self, shop):
        with pytest.raises(OrderNotFoundError):
            shop.ship()


# ---------------------------------------------------------------------- delivery


class TestConfirmDelivery:
    def test_confirming_records_the_delivery_and_tells_the_customer(self, paid):
        paid.ship()
        paid.clock.advance(days=2)

        order = paid.confirm()

        assert order.shipment("s1").delivered_at == START.add(hours=1, days=2)
        assert isinstance(order.events[-1], ShipmentDelivered)
        assert paid.notifier.sent[-1].kind == "order_delivered"
        assert paid.published()[-1] == "ShipmentDelivered"

    def test_confirming_again_with_the_same_key_repeats_nothing(self, paid):
        paid.ship()
        first = paid.confirm()

        assert paid.confirm() == first
        assert paid.published().count("ShipmentDelivered") == 1
        assert paid.notifier.kinds().count("order_delivered") == 1
        assert len(paid.notifier.received) == 3

    def test_a_shipment_that_has_not_shipped_cannot_be_delivered(self, paid):
        with pytest.raises(CommandRejectedError):
            paid.confirm()

    def test_an_unknown_order_is_not_found(self, shop):
        with pytest.raises(OrderNotFoundError):
            shop.confirm()


class TestTrackShipment:
    def test_without_a_delivered_update_nothing_is_recorded(self, paid):
        paid.ship()
        paid.carrier.in_transit("TRACK0001", at=START.add(days=1))
        version = paid.stored().version

        updates = paid.track()

        assert [update.status.value for update in updates] == ["in_transit"]
        assert paid.stored().version == version

    def test_a_delivered_update_confirms_the_delivery_at_the_carriers_time(self, paid):
        paid.ship()
        delivered_at = START.add(days=2, hours=3)
        paid.carrier.deliver("TRACK0001", at=delivered_at)
        paid.clock.advance(days=5)

        updates = paid.track()

        assert updates[-1].at == delivered_at
        order = paid.stored()
        assert order.shipment("s1").delivered_at == delivered_at
        assert paid.notifier.sent[-1].kind == "order_delivered"

    def test_a_delivery_reported_before_the_orders_last_event_is_recorded_at_that_event(self, paid):
        order = paid.ship()
        paid.carrier.deliver("TRACK0001", at=START.subtract(days=1))

        paid.track()

        assert paid.stored().shipment("s1").delivered_at == order.events[-1].at

    def test_tracking_a_delivered_shipment_again_records_nothing(self, paid):
        paid.ship()
        paid.carrier.deliver("TRACK0001", at=START.add(days=1))
        paid.track()

        paid.track(key="track-2")

        assert paid.published().count("ShipmentDelivered") == 1

    def test_an_unknown_shipment_is_refused(self, paid):
        with pytest.raises(CommandRejectedError, match="no shipment 's9'"):
            paid.track(shipment_id="s9")

        assert paid.carrier.calls == ()

    def test_a_shipment_without_a_tracking_number_cannot_be_tracked(self, paid):
        order = paid.stored()
        packed, _ = apply(
            order, FulfilLines(key="pack", shipment_id="s9", lines={"l2": 1}), at=START.add(hours=1)
        )
        with paid.uow:
            paid.uow.orders.update(packed, expected_version=order.version)
            paid.uow.commit()

        with pytest.raises(CommandRejectedError, match="no tracking number"):
            paid.track(shipment_id="s9")

        assert paid.carrier.calls == ()

    def test_an_unreachable_carrier_records_nothing(self, paid):
        paid.ship()
        paid.carrier.deliver("TRACK0001", at=START.add(days=1))
        paid.carrier.go_down("track", times=1)

        with pytest.raises(CarrierUnavailableError):
            paid.track()

        assert paid.stored().shipment("s1").delivered_at is None


# ---------------------------------------------------------------------- cancel_order


class TestCancelOrder:
    def test_an_unpaid_order_is_cancelled_and_the_customer_told(self, shop):
        shop.place()

        order = shop.cancel(reason="unavailable")

        assert order.status is OrderStatus.CANCELLED
        assert isinstance(order.events[-1], OrderCancelled)
        assert shop.gateway.calls == ()
        sent = shop.notifier.sent[-1]
        assert (sent.kind, sent.detail("reason")) == ("order_cancelled", "unavailable")

    def test_an_open_authorization_is_voided_first_in_its_own_unit(self, shop):
        shop.place()
        shop.authorize()

        order = shop.cancel()

        assert order.status is OrderStatus.CANCELLED
        assert order.payment("p1").voided == pln("100.00")
        void = shop.gateway.calls[-1]
        assert (void.operation, void.idempotency_key) == (
            PaymentOperation.VOID,
            "o-1/cancel-1/void/p1",
        )
        assert shop.gateway.ledger("o-1", "p1").voided == pln("100.00")
        assert [type(e) for batch in shop.publisher.batches[-2:] for e in batch] == [
            PaymentVoided,
            OrderCancelled,
        ]

    def test_captured_money_is_refunded_and_the_rest_voided(self, shop):
        shop.place()
        shop.authorize()
        shop.capture(amount=pln("30"))

        order = shop.cancel()

        assert order.status is OrderStatus.CANCELLED
        payment = order.payment("p1")
        assert (payment.voided, payment.refunded) == (pln("70.00"), pln("30"))
        assert shop.gateway.charged("o-1").is_zero()
        assert [type(e) for batch in shop.publisher.batches[-3:] for e in batch] == [
            PaymentVoided,
            PaymentRefunded,
            OrderCancelled,
        ]

    def test_cancelling_again_with_the_same_key_repeats_nothing(self, paid):
        first = paid.cancel()
        calls = len(paid.gateway.calls)

        assert paid.cancel() == first
        assert len(paid.gateway.calls) == calls
        assert paid.notifier.kinds().count("order_cancelled") == 1

    def test_a_shipped_order_is_refused_before_any_money_moves(self, paid):
        paid.ship()
        calls = len(paid.gateway.calls)

        with pytest.raises(CommandRejectedError, match="shipped"):
            paid.cancel()

        assert len(paid.gateway.calls) == calls
        assert paid.stored().captured == pln("100.00")

    def test_a_declined_void_leaves_the_order_open(self, shop):
        shop.place()
        shop.authorize()
        shop.gateway.decline("void", times=1)

        with pytest.raises(PaymentDeclinedError):
            shop.cancel()

        order = shop.stored()
        assert order.status is OrderStatus.PLACED
        assert order.payment("p1").voided.is_zero()

    def test_an_unknown_reason_is_refused_before_anything_is_read(self, shop):
        with pytest.raises(InvalidValueError):
            shop.cancel(reason="bored")

    def test_an_unknown_order_is_not_found(self, shop):
        with pytest.raises(OrderNotFoundError):
            shop.cancel()


def test_every_gateway_key_names_the_order_so_two_orders_never_share_one(shop):
    for order_id in ("o-1", "o-2"):
        place_order(make_spec(order_id), key="place", uow=shop.uow, clock=shop.clock)
        authorize_payment(
            order_id,
            payment_id="p1",
            key="auth",
            uow=shop.uow,
            gateway=shop.gateway,
            clock=shop.clock,
        )

    assert [call.outcome for call in shop.gateway.calls] == [CallOutcome.OK, CallOutcome.OK]
    assert [call.idempotency_key for call in shop.gateway.calls] == ["o-1/auth", "o-2/auth"]
    for order_id in ("o-1", "o-2"):
        assert isinstance(shop.stored(order_id).events[-1], PaymentAuthorized)
