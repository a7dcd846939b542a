"""ecomkit.testing.RecordingNotifier and RecordingPublisher: ports that keep what they get."""

from __future__ import annotations

import threading

import pendulum
import pytest

from ecomkit.errors import InvalidTypeError
from ecomkit.orders import OrderConfirmed, OrderEvent, OrderPlaced, OrderStatus
from ecomkit.ports import EventPublisher, Notification, Notifier
from ecomkit.testing import RecordingNotifier, RecordingPublisher


AT = pendulum.datetime(2024, 5, 1, 12, tz="UTC")


def note(kind, key, order_id="o-1", **details):
    return Notification(kind=kind, key=key, order_id=order_id, details=details)


def placed(order_id="o-1"):
    return OrderPlaced(
        order_id=order_id, version=1, at=AT, key=f"{order_id}:place", status=OrderStatus.PLACED
    )


def confirmed(order_id="o-1"):
    return OrderConfirmed(
        order_id=order_id,
        version=2,
        at=AT,
        key=f"{order_id}:confirm",
        status=OrderStatus.PROCESSING,
    )


class TestRecordingNotifier:
    def test_it_satisfies_the_notifier_protocol(self):
        notifier = RecordingNotifier()
        port: Notifier = notifier
        assert port is notifier

    def test_each_key_is_sent_once_and_every_call_is_received(self):
        notifier = RecordingNotifier()
        first = note("order_placed", "o-1:placed")
        notifier.notify(first)
        notifier.notify(first)
        notifier.notify(note("order_shipped", "o-1:shipped", tracking_number="TRACK0001"))
        assert notifier.kinds() == ("order_placed", "order_shipped")
        assert notifier.received[:2] == (first, first)
        assert len(notifier.received) == 3

    def test_a_repeated_key_with_other_contents_keeps_the_first_message(self):
        notifier = RecordingNotifier()
        notifier.notify(note("order_shipped", "k", tracking_number="A"))
        notifier.notify(note("order_shipped", "k", tracking_number="B"))
        assert [sent.detail("tracking_number") for sent in notifier.sent] == ["A"]

    def test_for_order_picks_the_messages_about_one_order(self):
        notifier = RecordingNotifier()
        notifier.notify(note("order_placed", "a", order_id="o-1"))
        notifier.notify(note("order_placed", "b", order_id="o-2"))
        notifier.notify(note("order_shipped", "c", order_id="o-1"))
        assert [sent.key for sent in notifier.for_order("o-1")] == ["a", "c"]
        assert notifier.for_order("o-3") == ()

    def test_clear_forgets_everything_including_the_sent_keys(self):
        notifier = RecordingNotifier()
        notifier.notify(note("order_placed", "a"))
        notifier.clear()
        assert (notifier.sent, notifier.received) == ((), ())
        notifier.notify(note("order_placed", "a"))
        assert notifier.kinds() == ("order_placed",)

    def test_the_repr_counts_sent_and_received(self):
        notifier = RecordingNotifier()
        notifier.notify(note("order_placed", "a"))
        notifier.notify(note("order_placed", "a"))
        assert repr(notifier) == "RecordingNotifier(sent=1, received=2)"

    @pytest.mark.parametrize("value", [None, "order_placed", {"kind": "order_placed"}])
    def test_anything_but_a_notification_is_refused(self, value):
        notifier = RecordingNotifier()
        with pytest.raises(InvalidTypeError) as caught:
            notifier.notify(value)
        assert caught.value.field == "notification"
        assert notifier.received == ()

    def test_threads_sending_the_same_key_send_it_once(self):
        notifier = RecordingNotifier()
        barrier = threading.Barrier(8)

        def send():
            barrier.wait()
            notifier.notify(note("order_placed", "same"))

        threads = [threading.Thread(target=send) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(notifier.sent) == 1
        assert len(notifier.received) == 8


class TestRecordingPublisher:
    def test_it_satisfies_the_event_publisher_protocol(self):
        publisher = RecordingPublisher()
        port: EventPublisher = publisher
        assert port is publisher

    def test_batches_are_kept_as_published_and_events_flattened(self):
        publisher = RecordingPublisher()
        publisher.publish([placed(), confirmed()])
        publisher.publish(())
        publisher.publish((placed("o-2"),))
        assert publisher.batches == ((placed(), confirmed()), (), (placed("o-2"),))
        assert publisher.events == (placed(), confirmed(), placed("o-2"))

    def test_of_type_filters_by_class_including_base_classes(self):
        publisher = RecordingPublisher()
        publisher.publish([placed(), confirmed(), placed("o-2")])
        assert publisher.of_type(OrderPlaced) == (placed(), placed("o-2"))
        assert len(publisher.of_type(OrderEvent)) == 3

    def test_clear_forgets_every_batch(self):
        publisher = RecordingPublisher()
        publisher.publish([placed()])
        publisher.clear()
        assert publisher.batches == ()
        assert repr(publisher) == "RecordingPublisher(batches=0, events=0)"

    @pytest.mark.parametrize("events", [None, "events", placed()])
    def test_anything_but_a_sequence_is_refused(self, events):
        publisher = RecordingPublisher()
        with pytest.raises(InvalidTypeError) as caught:
            publisher.publish(events)
        assert caught.value.field == "events"

    def test_a_batch_with_something_that_is_not_an_event_is_refused_whole(self):
        publisher = RecordingPublisher()
        with pytest.raises(InvalidTypeError) as caught:
            publisher.publish([placed(), "confirmed"])
        assert caught.value.value == "confirmed"
        assert publisher.batches == ()
