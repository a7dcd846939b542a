"""ecomkit.testing.FixedClock: a Clock that moves only when a test moves it."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading

import pendulum
import pytest

import ecomkit.testing
from ecomkit.errors import InvalidTypeError, InvalidValueError, NaiveDateTimeError
from ecomkit.testing import FixedClock
from ecomkit.time import Clock


WARSAW = "Europe/Warsaw"
NOON = pendulum.datetime(2024, 5, 1, 12, tz="UTC")
ZERO = dict.fromkeys(
    ("years", "months", "weeks", "days", "hours", "minutes", "seconds", "microseconds"), 0
)


class TestPackage:
    def test_fixed_clock_is_exported(self):
        assert "FixedClock" in ecomkit.testing.__all__
        assert ecomkit.testing.FixedClock is FixedClock

    def test_importing_the_package_does_not_import_hypothesis(self):
        code = "import sys, ecomkit.testing; print('hypothesis' in sys.modules)"
        result = subprocess.run(  # noqa: S603 - this interpreter and a literal snippet
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "False"


class TestConstruction:
    def test_now_returns_the_instant_it_was_given(self):
        clock = FixedClock(NOON)
        assert clock.now() is NOON
        assert clock.now() is NOON

    def test_it_satisfies_the_clock_protocol(self):
        clock: Clock = FixedClock(NOON)
        assert clock.now() == NOON

    def test_an_aware_stdlib_datetime_is_accepted_as_a_pendulum_datetime(self):
        clock = FixedClock(dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC))
        assert isinstance(clock.now(), pendulum.DateTime)
        assert clock.now() == NOON

    def test_the_zone_it_was_given_is_kept(self):
        clock = FixedClock(pendulum.datetime(2024, 5, 1, 14, tz=WARSAW))
        assert clock.now().timezone_name == WARSAW
        assert clock.now() == NOON

    def test_a_naive_datetime_is_refused(self):
        value = dt.datetime(2024, 5, 1, 12)  # noqa: DTZ001 - the naive value under test
        with pytest.raises(NaiveDateTimeError) as caught:
            FixedClock(value)
        assert caught.value.field == "at"
        assert caught.value.value is value

    def test_a_date_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            FixedClock(dt.date(2024, 5, 1))
        assert caught.value.field == "at"
        assert caught.value.value == dt.date(2024, 5, 1)


class TestSet:
    def test_set_moves_the_clock_forwards(self):
        clock = FixedClock(NOON)
        later = NOON.add(days=3)
        clock.set(later)
        assert clock.now() == later

    def test_set_moves_the_clock_backwards_too(self):
        clock = FixedClock(NOON)
        earlier = NOON.subtract(years=1)
        clock.set(earlier)
        assert clock.now() == earlier

    def test_set_refuses_a_naive_datetime_and_keeps_the_time(self):
        clock = FixedClock(NOON)
        value = dt.datetime(2025, 1, 1)  # noqa: DTZ001 - the naive value under test
        with pytest.raises(NaiveDateTimeError) as caught:
            clock.set(value)
        assert caught.value.field == "at"
        assert caught.value.value is value
        assert clock.now() == NOON

    def test_set_refuses_a_string(self):
        clock = FixedClock(NOON)
        with pytest.raises(InvalidTypeError) as caught:
            clock.set("2025-01-01T00:00:00Z")
        assert caught.value.field == "at"
        assert caught.value.value == "2025-01-01T00:00:00Z"


class TestAdvance:
    def test_units_are_added_together(self):
        clock = FixedClock(NOON)
        clock.advance(days=2, hours=3)
        assert clock.now() == pendulum.datetime(2024, 5, 3, 15, tz="UTC")

    @pytest.mark.parametrize(
        ("units", "expected"),
        [
            ({"years": 1}, (2025, 5, 1, 12, 0, 0, 0)),
            ({"months": 2}, (2024, 7, 1, 12, 0, 0, 0)),
            ({"weeks": 1}, (2024, 5, 8, 12, 0, 0, 0)),
            ({"minutes": 90}, (2024, 5, 1, 13, 30, 0, 0)),
            ({"seconds": 61}, (2024, 5, 1, 12, 1, 1, 0)),
            ({"microseconds": 5}, (2024, 5, 1, 12, 0, 0, 5)),
        ],
    )
    def test_each_unit_moves_the_clock(self, units, expected):
        clock = FixedClock(NOON)
        clock.advance(**units)
        assert clock.now() == pendulum.datetime(*expected, tz="UTC")

    def test_months_clamp_to_the_end_of_a_shorter_month(self):
        clock = FixedClock(pendulum.datetime(2023, 1, 31, tz="UTC"))
        clock.advance(months=1)
        assert clock.now().to_date_string() == "2023-02-28"

    def test_a_day_is_a_calendar_day_in_the_clock_zone_across_a_dst_change(self):
        start = pendulum.datetime(2024, 3, 30, 12, tz=WARSAW)
        clock = FixedClock(start)
        clock.advance(days=1)
        assert clock.now().to_datetime_string() == "2024-03-31 12:00:00"
        assert (clock.now() - start).in_hours() == 23

    def test_a_plain_timedelta_is_elapsed_time_across_a_dst_change(self):
        start = pendulum.datetime(2024, 3, 30, 12, tz=WARSAW)
        clock = FixedClock(start)
        clock.advance(dt.timedelta(days=1))
        assert clock.now().to_datetime_string() == "2024-03-31 13:00:00"
        assert (clock.now() - start).in_hours() == 24

    def test_a_pendulum_duration_is_accepted(self):
        clock = FixedClock(NOON)
        clock.advance(pendulum.duration(hours=36))
        assert clock.now() == pendulum.datetime(2024, 5, 3, 0, tz="UTC")

    def test_the_duration_can_be_passed_by_keyword(self):
        clock = FixedClock(NOON)
        clock.advance(duration=dt.timedelta(minutes=5))
        assert clock.now() == NOON.add(minutes=5)

    def test_advancing_by_zero_or_by_nothing_leaves_the_clock_where_it_is(self):
        clock = FixedClock(NOON)
        clock.advance()
        clock.advance(days=0)
        clock.advance(dt.timedelta(0))
        assert clock.now() == NOON

    def test_a_net_forward_mix_of_signs_is_allowed(self):
        clock = FixedClock(NOON)
        clock.advance(days=1, hours=-3)
        assert clock.now() == pendulum.datetime(2024, 5, 2, 9, tz="UTC")

    def test_negative_units_are_refused_and_the_clock_stays(self):
        clock = FixedClock(NOON)
        with pytest.raises(InvalidValueError) as caught:
            clock.advance(days=-1)
        assert caught.value.field == "duration"
        assert caught.value.value["days"] == -1
        assert "set()" in caught.value.reason
        assert clock.now() == NOON

    def test_a_negative_duration_is_refused(self):
        clock = FixedClock(NOON)
        with pytest.raises(InvalidValueError) as caught:
            clock.advance(dt.timedelta(seconds=-1))
        assert caught.value.field == "duration"
        assert caught.value.value == dt.timedelta(seconds=-1)
        assert clock.now() == NOON

    @pytest.mark.parametrize(
        ("duration", "units"),
        [(None, {"years": 9000}), (dt.timedelta(days=10**7), {})],
        ids=["units", "duration"],
    )
    def test_moving_past_the_year_9999_is_refused_and_the_clock_stays(self, duration, units):
        clock = FixedClock(NOON)
        with pytest.raises(InvalidValueError) as caught:
            clock.advance(duration, **units)
        assert caught.value.field == "duration"
        assert caught.value.value == (duration if duration is not None else {**ZERO, **units})
        assert "9999" in caught.value.reason
        assert clock.now() == NOON

    def test_a_duration_and_units_together_are_refused(self):
        clock = FixedClock(NOON)
        with pytest.raises(InvalidValueError) as caught:
            clock.advance(dt.timedelta(hours=1), days=1)
        assert caught.value.field == "duration"
        assert caught.value.value == dt.timedelta(hours=1)
        assert "not both" in caught.value.reason
        assert clock.now() == NOON

    @pytest.mark.parametrize("duration", [3600, "PT1H", 1.5])
    def test_a_duration_that_is_not_a_timedelta_is_refused(self, duration):
        clock = FixedClock(NOON)
        with pytest.raises(InvalidTypeError) as caught:
            clock.advance(duration)
        assert caught.value.field == "duration"
        assert caught.value.value == duration

    @pytest.mark.parametrize("count", [1.5, True, "1", None])
    def test_a_unit_that_is_not_an_int_is_refused(self, count):
        clock = FixedClock(NOON)
        with pytest.raises(InvalidTypeError) as caught:
            clock.advance(hours=count)
        assert caught.value.field == "hours"
        assert caught.value.value == count
        assert clock.now() == NOON

    def test_concurrent_advances_are_all_applied(self):
        clock = FixedClock(NOON)

        def tick():
            for _ in range(200):
                clock.advance(seconds=1)

        threads = [threading.Thread(target=tick) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert clock.now() == NOON.add(seconds=1600)


class TestContextManager:
    def test_the_block_gets_the_clock_itself(self):
        clock = FixedClock(NOON)
        with clock as entered:
            assert entered is clock

    def test_leaving_the_block_restores_the_time_of_entry(self):
        clock = FixedClock(NOON)
        with clock:
            clock.advance(days=30)
            clock.set(NOON.subtract(years=5))
        assert clock.now() == NOON

    def test_blocks_nest_and_each_restores_its_own_entry_time(self):
        clock = FixedClock(NOON)
        with clock:
            clock.advance(days=1)
            with clock:
                clock.advance(days=1)
                assert clock.now() == NOON.add(days=2)
            assert clock.now() == NOON.add(days=1)
        assert clock.now() == NOON

    def test_the_time_is_restored_when_the_block_raises(self):
        clock = FixedClock(NOON)

        def travel_and_fail():
            with clock:
                clock.advance(hours=5)
                raise LookupError

        with pytest.raises(LookupError):
            travel_and_fail()
        assert clock.now() == NOON

    def test_moves_before_entering_are_kept(self):
        clock = FixedClock(NOON)
        clock.advance(hours=1)
        with clock:
            clock.advance(hours=1)
        assert clock.now() == NOON.add(hours=1)


class TestRepr:
    def test_a_named_zone_is_shown_after_the_offset(self):
        clock = FixedClock(pendulum.datetime(2024, 3, 31, 3, 30, tz=WARSAW))
        assert repr(clock) == "FixedClock('2024-03-31T03:30:00+02:00[Europe/Warsaw]')"

    def test_utc_is_shown_by_name(self):
        assert repr(FixedClock(NOON)) == "FixedClock('2024-05-01T12:00:00+00:00[UTC]')"

    def test_a_fixed_offset_is_shown_once(self):
        value = dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
        assert repr(FixedClock(value)) == "FixedClock('2024-05-01T12:00:00-03:00')"
