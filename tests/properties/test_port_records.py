"""The records the ports carry read back equal from JSON, whatever Hypothesis draws."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomkit.ports import Notification, PaymentTransaction, ShipmentLabel, TrackingUpdate
from ecomkit.serialization import from_json, to_json


@pytest.mark.parametrize(
    "kind", [PaymentTransaction, ShipmentLabel, TrackingUpdate, Notification], ids=str
)
def test_every_port_record_round_trips_through_json(kind):
    @given(st.from_type(kind))
    def round_trip(record):
        assert from_json(to_json(record), kind) == record

    round_trip()


@given(st.from_type(Notification))
def test_notification_details_are_sorted_and_unique_by_name(note):
    names = [name for name, _ in note.details]
    assert names == sorted(set(names))
