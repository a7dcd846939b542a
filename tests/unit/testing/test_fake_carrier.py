"""ecomkit.testing.FakeCarrier: an in-memory carrier with scripted tracking and faults."""

from __future__ import annotations

import datetime as dt
import threading

import pendulum
import pytest

from ecomkit.errors import (
    CarrierUnavailableError,
    IdempotencyConflictError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
    ShipmentRejectedError,
)
from ecomkit.orders import Address, LineQuantity
from ecomkit.ports import Carrier, ShipmentLabel, TrackingStatus, TrackingUpdate
from ecomkit.testing import BookedShipment, CallOutcome, CarrierCall, FakeCarrier, FixedClock


AT = pendulum.datetime(2024, 5, 2, 9, tz="UTC")
HOME = Address(
    name="Ada Lovelace", line1="Marszałkowska 1", city="Warszawa", postal_code="00-001",
    country_code="PL",
)  # fmt: skip
LINES = (LineQuantity(line_id="l1", quantity=2), LineQuantity(line_id="l2", quantity=1))


def ship(carrier, *, key="k-1", shipment_id="s-1", lines=LINES, address=None, order_id="o-1"):
    return carrier.create_shipment(
        order_id=order_id,
        shipment_id=shipment_id,
        lines=lines,
        address=address,
        idempotency_key=key,
    )


def outcomes(carrier):
    return [call.outcome for call in carrier.calls]


@pytest.fixture
def carrier():
    return FakeCarrier()


class TestBooking:
    def test_it_satisfies_the_carrier_protocol(self, carrier):
        port: Carrier = carrier
        assert port is carrier

    def test_bookings_get_numbered_tracking_numbers_and_the_carriers_name(self, carrier):
        first = ship(carrier, key="a")
        second = ship(carrier, key="b", shipment_id="s-2")
        assert first == ShipmentLabel(carrier="fake-carrier", tracking_number="TRACK0001")
        assert second.tracking_number == "TRACK0002"
        assert carrier.labels == (first, second)

    def test_the_name_and_the_promised_date_come_from_the_constructor(self):
        carrier = FakeCarrier(carrier="dpd", promised_delivery_on=dt.date(2024, 5, 6))
        label = ship(carrier)
        assert (label.carrier, label.promised_delivery_on) == ("dpd", dt.date(2024, 5, 6))

    def test_each_booking_is_kept_with_what_it_asked(self, carrier):
        label = ship(carrier, address=HOME)
        assert carrier.shipments == (
            BookedShipment(
                order_id="o-1",
                shipment_id="s-1",
                lines=LINES,
                address=HOME,
                idempotency_key="k-1",
                label=label,
            ),
        )
        assert carrier.calls == (
            CarrierCall(
                operation="create_shipment",
                outcome=CallOutcome.OK,
                order_id="o-1",
                shipment_id="s-1",
                idempotency_key="k-1",
                tracking_number="TRACK0001",
            ),
        )

    def test_a_new_key_books_a_new_parcel_even_for_the_same_shipment(self, carrier):
        ship(carrier, key="a")
        ship(carrier, key="b")
        assert [label.tracking_number for label in carrier.labels] == ["TRACK0001", "TRACK0002"]

    def test_the_repr_shows_the_counts_and_the_scripted_faults(self, carrier):
        ship(carrier)
        carrier.reject()
        assert repr(carrier) == (
            "FakeCarrier(carrier='fake-carrier', calls=1, shipments=1, "
            "faults=['refuse:create_shipment'])"
        )


class TestIdempotency:
    def test_the_same_key_and_request_returns_the_first_label_and_books_nothing(self, carrier):
        first = ship(carrier)
        assert ship(carrier) == first
        assert len(carrier.shipments) == 1
        assert outcomes(carrier) == [CallOutcome.OK, CallOutcome.REPLAYED]

    def test_the_order_of_the_lines_does_not_make_another_request(self, carrier):
        first = ship(carrier)
        assert ship(carrier, lines=list(reversed(LINES))) == first

    @pytest.mark.parametrize(
        "change",
        [
            {"shipment_id": "s-2"},
            {"order_id": "o-2"},
            {"lines": [LineQuantity(line_id="l1", quantity=1)]},
            {"address": HOME},
        ],
    )
    def test_the_same_key_with_another_request_is_a_conflict(self, carrier, change):
        ship(carrier)
        with pytest.raises(IdempotencyConflictError) as caught:
            ship(carrier, **change)
        assert caught.value.key == "k-1"
        assert caught.value.first == "create_shipment of 's-1' for order 'o-1'"
        assert len(carrier.shipments) == 1
        assert outcomes(carrier)[-1] is CallOutcome.CONFLICT


class TestTracking:
    def test_a_parcel_without_updates_tracks_as_empty(self, carrier):
        label = ship(carrier)
        assert carrier.track(label.tracking_number) == ()
        assert carrier.track("NOPE") == ()

    def test_updates_come_back_oldest_first_whatever_order_they_were_added_in(self, carrier):
        label = ship(carrier)
        number = label.tracking_number
        delivered = carrier.deliver(number, at=AT.add(days=1), location="Warszawa")
        picked = carrier.in_transit(number, at=AT, location="Łódź")
        attempt = carrier.add_update(
            number, "failed_attempt", at=AT.add(hours=20), description="nobody home"
        )
        assert carrier.track(number) == (picked, attempt, delivered)
        assert delivered == TrackingUpdate(
            tracking_number=number,
            status=TrackingStatus.DELIVERED,
            at=AT.add(days=1),
            location="Warszawa",
        )

    def test_updates_at_the_same_time_keep_the_order_they_were_added_in(self, carrier):
        first = carrier.in_transit("TRACK0001", at=AT)
        second = carrier.add_update("TRACK0001", TrackingStatus.EXCEPTION, at=AT)
        assert carrier.track("TRACK0001") == (first, second)

    def test_with_a_clock_each_booking_adds_a_label_created_update(self):
        clock = FixedClock(AT)
        carrier = FakeCarrier(clock=clock)
        label = ship(carrier)
        clock.advance(hours=3)
        carrier.in_transit(label.tracking_number, at=clock.now())
        assert [update.status for update in carrier.track(label.tracking_number)] == [
            TrackingStatus.LABEL_CREATED,
            TrackingStatus.IN_TRANSIT,
        ]
        assert carrier.track(label.tracking_number)[0].at == AT

    def test_tracking_calls_are_recorded(self, carrier):
        carrier.track("TRACK0001")
        assert carrier.calls == (
            CarrierCall(operation="track", outcome=CallOutcome.OK, tracking_number="TRACK0001"),
        )

    def test_a_naive_time_is_refused(self, carrier):
        with pytest.raises(NaiveDateTimeError):
            carrier.deliver("TRACK0001", at=dt.datetime(2024, 5, 2, 9))  # noqa: DTZ001
        assert carrier.track("TRACK0001") == ()

    @pytest.mark.parametrize(
        ("arguments", "error", "field"),
        [
            ({"tracking_number": " "}, InvalidValueError, "tracking_number"),
            ({"status": "lost_in_space"}, InvalidValueError, "status"),
            ({"location": ""}, InvalidValueError, "location"),
            ({"description": None}, InvalidTypeError, "description"),
            ({"at": "2024-05-02T09:00:00Z"}, InvalidTypeError, "at"),
        ],
    )
    def test_a_bad_update_is_refused_naming_the_field(self, carrier, arguments, error, field):
        given = {"tracking_number": "TRACK0001", "status": "delivered", "at": AT, **arguments}
        with pytest.raises(error) as caught:
            carrier.add_update(
                given.pop("tracking_number"), given.pop("status"), at=given.pop("at"), **given
            )
        assert caught.value.field == field
        assert carrier.track("TRACK0001") == ()


class TestFaults:
    def test_a_rejection_raises_and_books_nothing(self, carrier):
        carrier.reject(times=1, reason="no service to this island")
        with pytest.raises(ShipmentRejectedError) as caught:
            ship(carrier)
        assert (caught.value.shipment_id, caught.value.reason) == (
            "s-1",
            "no service to this island",
        )
        assert carrier.shipments == ()
        assert ship(carrier, key="k-2").tracking_number == "TRACK0001"

    def test_a_rejected_key_is_rejected_again_even_after_the_faults_are_cleared(self, carrier):
        carrier.reject()
        with pytest.raises(ShipmentRejectedError):
            ship(carrier)
        carrier.clear_faults()
        with pytest.raises(ShipmentRejectedError):
            ship(carrier)
        assert outcomes(carrier) == [CallOutcome.REJECTED, CallOutcome.REJECTED]

    def test_an_outage_before_the_work_raises_and_books_nothing(self, carrier):
        carrier.go_down("create_shipment", times=1, reason="502")
        with pytest.raises(CarrierUnavailableError) as caught:
            ship(carrier)
        assert (caught.value.provider, caught.value.operation) == (
            "fake-carrier",
            "create_shipment",
        )
        assert carrier.shipments == ()
        assert ship(carrier).tracking_number == "TRACK0001"

    def test_an_outage_of_tracking_raises_and_is_recorded(self, carrier):
        carrier.go_down("track", times=None)
        with pytest.raises(CarrierUnavailableError):
            carrier.track("TRACK0001")
        ship(carrier)
        assert outcomes(carrier) == [CallOutcome.UNAVAILABLE, CallOutcome.OK]

    def test_a_lost_answer_books_the_parcel_and_the_retry_returns_its_label(self, carrier):
        carrier.lose_answers()
        with pytest.raises(CarrierUnavailableError):
            ship(carrier)
        assert len(carrier.shipments) == 1
        label = ship(carrier)
        assert label == carrier.labels[0]
        assert len(carrier.shipments) == 1
        assert outcomes(carrier) == [CallOutcome.ANSWER_LOST, CallOutcome.REPLAYED]
        assert carrier.calls[0].tracking_number == "TRACK0001"

    def test_a_lost_answer_fault_is_not_used_up_by_a_rejection(self, carrier):
        carrier.reject(times=1)
        carrier.lose_answers(times=1)
        with pytest.raises(ShipmentRejectedError):
            ship(carrier, key="a")
        with pytest.raises(CarrierUnavailableError):
            ship(carrier, key="b")
        assert ship(carrier, key="c").tracking_number == "TRACK0002"

    @pytest.mark.parametrize(
        ("call", "error", "field"),
        [
            (lambda carrier: carrier.go_down("cancel"), InvalidValueError, "operation"),
            (lambda carrier: carrier.reject(times=0), InvalidValueError, "times"),
            (lambda carrier: carrier.lose_answers(times=1.5), InvalidTypeError, "times"),
            (lambda carrier: carrier.reject(reason=" "), InvalidValueError, "reason"),
        ],
    )
    def test_a_bad_fault_script_is_refused(self, carrier, call, error, field):
        with pytest.raises(error) as caught:
            call(carrier)
        assert caught.value.field == field
        assert "faults" not in repr(carrier)


class TestBadInput:
    @pytest.mark.parametrize(
        ("change", "error", "field"),
        [
            ({"lines": []}, InvalidValueError, "lines"),
            ({"lines": "l1"}, InvalidTypeError, "lines"),
            ({"lines": [("l1", 1)]}, InvalidTypeError, "lines"),
            ({"address": "Warszawa"}, InvalidTypeError, "address"),
            ({"key": ""}, InvalidValueError, "idempotency_key"),
            ({"shipment_id": None}, InvalidTypeError, "shipment_id"),
        ],
    )
    def test_a_bad_booking_is_refused_naming_the_field_and_not_recorded(
        self, carrier, change, error, field
    ):
        with pytest.raises(error) as caught:
            ship(carrier, **change)
        assert caught.value.field == field
        assert carrier.calls == ()

    @pytest.mark.parametrize(
        ("arguments", "error"),
        [
            ({"carrier": ""}, InvalidValueError),
            ({"promised_delivery_on": AT}, InvalidTypeError),
            ({"promised_delivery_on": "2024-05-06"}, InvalidTypeError),
        ],
    )
    def test_a_bad_constructor_argument_is_refused(self, arguments, error):
        with pytest.raises(error):
            FakeCarrier(**arguments)

    def test_a_blank_tracking_number_is_refused(self, carrier):
        with pytest.raises(InvalidValueError) as caught:
            carrier.track("")
        assert caught.value.field == "tracking_number"


class TestThreads:
    def test_a_booking_retried_from_many_threads_at_once_books_one_parcel(self, carrier):
        barrier = threading.Barrier(8)
        labels: list[ShipmentLabel] = []

        def book():
            barrier.wait()
            labels.append(ship(carrier))

        threads = [threading.Thread(target=book) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(labels) == 8
        assert set(labels) == {carrier.labels[0]}
        assert len(carrier.shipments) == 1

    def test_bookings_from_many_threads_get_distinct_tracking_numbers(self, carrier):
        barrier = threading.Barrier(8)

        def book(index):
            barrier.wait()
            ship(carrier, key=f"k-{index}", shipment_id=f"s-{index}")

        threads = [threading.Thread(target=book, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(label.tracking_number for label in carrier.labels) == [
            f"TRACK{n:04d}" for n in range(1, 9)
        ]
