"""The records the ports carry: what providers answer and what services ask to send."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from ecomkit import Money
from ecomkit.errors import InvalidTypeError, InvalidValueError, NaiveDateTimeError
from ecomkit.ports import (
    Notification,
    PaymentOperation,
    PaymentTransaction,
    ShipmentLabel,
    TrackingStatus,
    TrackingUpdate,
)
from ecomkit.serialization import from_json, to_json


AT = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Warsaw")


def a_transaction(**changes: object) -> PaymentTransaction:
    fields: dict[str, object] = {
        "operation": "capture",
        "payment_id": "p1",
        "amount": Money("10.00", "EUR"),
        "reference": "cap-1",
        "idempotency_key": "o-1/k1",
    }
    fields.update(changes)
    return PaymentTransaction(**fields)  # type: ignore[arg-type]


class TestPaymentTransaction:
    def test_the_operation_is_read_from_its_value(self):
        assert a_transaction().operation is PaymentOperation.CAPTURE

    def test_an_unknown_operation_is_refused_with_the_choices(self):
        with pytest.raises(InvalidValueError) as caught:
            a_transaction(operation="charge")
        assert caught.value.field == "operation"
        assert "authorize, capture, void, refund" in str(caught.value)

    @pytest.mark.parametrize("amount", [Money("0.00", "EUR"), Money("-1.00", "EUR")])
    def test_an_amount_that_is_not_positive_is_refused(self, amount):
        with pytest.raises(InvalidValueError) as caught:
            a_transaction(amount=amount)
        assert (caught.value.field, caught.value.value) == ("amount", amount)

    def test_an_amount_that_is_not_money_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            a_transaction(amount="10.00")
        assert caught.value.field == "amount"

    @pytest.mark.parametrize("field", ["payment_id", "reference", "idempotency_key"])
    def test_blank_texts_are_refused(self, field):
        with pytest.raises(InvalidValueError) as caught:
            a_transaction(**{field: "  "})
        assert caught.value.field == field

    def test_it_round_trips_through_json(self):
        transaction = a_transaction()
        assert from_json(to_json(transaction), PaymentTransaction) == transaction


class TestShipmentLabel:
    def test_a_promised_date_must_be_a_date_not_a_datetime(self):
        with pytest.raises(InvalidTypeError) as caught:
            ShipmentLabel(carrier="InPost", tracking_number="T1", promised_delivery_on=AT)
        assert caught.value.field == "promised_delivery_on"

    def test_it_round_trips_through_json(self):
        label = ShipmentLabel(
            carrier="InPost",
            tracking_number="T1",
            label_url="https://labels.example/T1.pdf",
            promised_delivery_on=dt.date(2026, 3, 4),
        )
        assert from_json(to_json(label), ShipmentLabel) == label

    def test_a_blank_tracking_number_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            ShipmentLabel(carrier="InPost", tracking_number="")
        assert caught.value.field == "tracking_number"


class TestTrackingUpdate:
    def test_a_standard_datetime_becomes_pendulum_and_keeps_its_instant(self):
        at = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
        update = TrackingUpdate(tracking_number="T1", status="delivered", at=at)
        assert update.status is TrackingStatus.DELIVERED
        assert isinstance(update.at, pendulum.DateTime)
        assert update.at == at

    def test_a_naive_time_is_refused(self):
        with pytest.raises(NaiveDateTimeError) as caught:
            TrackingUpdate(tracking_number="T1", status="in_transit", at=dt.datetime(2026, 3, 2))  # noqa: DTZ001 - naive on purpose
        assert caught.value.field == "at"

    def test_an_unknown_status_is_refused_with_the_choices(self):
        with pytest.raises(InvalidValueError) as caught:
            TrackingUpdate(tracking_number="T1", status="lost_in_space", at=AT)
        assert caught.value.field == "status"
        assert "out_for_delivery" in str(caught.value)

    def test_it_round_trips_through_json(self):
        update = TrackingUpdate(
            tracking_number="T1", status="in_transit", at=AT, location="Kraków", description="x"
        )
        assert from_json(to_json(update), TrackingUpdate) == update


class TestNotification:
    def test_details_from_a_mapping_are_sorted_pairs_and_readable_by_name(self):
        note = Notification(
            kind="order_shipped",
            key="o-1/ship/order_shipped",
            order_id="o-1",
            details={"tracking_number": "T1", "carrier": "InPost"},
        )
        assert note.details == (("carrier", "InPost"), ("tracking_number", "T1"))
        assert note.detail("carrier") == "InPost"
        assert note.detail("missing") is None

    def test_details_from_pairs_keep_the_last_value_of_a_repeated_name(self):
        note = Notification(kind="k", key="k1", order_id="o-1", details=[("a", "1"), ("a", "2")])
        assert note.details == (("a", "2"),)

    @pytest.mark.parametrize("details", ["a=1", 7, {"a": 1}, [("a",)], [("a", "1", "x")]])
    def test_details_that_are_not_text_pairs_are_refused(self, details):
        with pytest.raises(InvalidTypeError) as caught:
            Notification(kind="k", key="k1", order_id="o-1", details=details)
        assert caught.value.field == "details"

    @pytest.mark.parametrize("field", ["kind", "key", "order_id"])
    def test_blank_required_texts_are_refused(self, field):
        fields = {"kind": "k", "key": "k1", "order_id": "o-1", field: ""}
        with pytest.raises(InvalidValueError) as caught:
            Notification(**fields)
        assert caught.value.field == field

    def test_it_round_trips_through_json(self):
        note = Notification(
            kind="return_refunded",
            key="r-1/refund/return_refunded",
            order_id="o-1",
            recipient="c-1",
            return_id="r-1",
            details={"amount": "10.00 EUR"},
        )
        assert from_json(to_json(note), Notification) == note
