"""ecomkit.time: the Clock port, aware datetimes, store timezones and store dates."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from importlib import resources
from zoneinfo import ZoneInfo

import pendulum
import pytest

from ecomkit.errors import (
    InvalidTimezoneError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
)
from ecomkit.time import (
    Clock,
    SystemClock,
    ensure_aware,
    store_date,
    timezone,
    to_store_time,
    to_utc,
)


WARSAW = "Europe/Warsaw"


class _NoOffset(dt.tzinfo):
    """A tzinfo that does not know its offset, which makes a datetime naive."""

    def utcoffset(self, _value):
        return None

    def dst(self, _value):
        return None

    def tzname(self, _value):
        return None


class _PlusNinety(dt.tzinfo):
    """A hand-written fixed-offset tzinfo, as found in older code bases."""

    def utcoffset(self, _value):
        return dt.timedelta(minutes=90)

    def dst(self, _value):
        return dt.timedelta(0)

    def tzname(self, _value):
        return "+0130"


class TestImport:
    def test_importing_ecomkit_does_not_load_the_time_module_or_pendulum(self):
        code = (
            "import sys, ecomkit; print('ecomkit.time' in sys.modules, 'pendulum' in sys.modules)"
        )
        result = subprocess.run(  # noqa: S603 - this interpreter and a literal snippet
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.split() == ["False", "False"]


class TestSystemClock:
    def test_now_is_an_aware_pendulum_datetime_in_utc(self):
        now = SystemClock().now()
        assert isinstance(now, pendulum.DateTime)
        assert now.timezone_name == "UTC"
        assert now.utcoffset() == dt.timedelta(0)

    def test_it_satisfies_the_clock_protocol(self):
        clock: Clock = SystemClock()
        assert clock.now().tzinfo is not None

    def test_system_clocks_are_interchangeable_values(self):
        assert SystemClock() == SystemClock()
        assert repr(SystemClock()) == "SystemClock()"


class TestEnsureAware:
    def test_a_pendulum_datetime_is_returned_as_it_is(self):
        value = pendulum.datetime(2024, 5, 1, 12, tz=WARSAW)
        assert ensure_aware(value) is value

    def test_a_stdlib_utc_datetime_becomes_pendulum_utc(self):
        result = ensure_aware(dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC))
        assert isinstance(result, pendulum.DateTime)
        assert result == pendulum.datetime(2024, 5, 1, 12, tz="UTC")
        assert result.timezone_name == "UTC"

    def test_a_stdlib_fixed_offset_is_kept_as_a_fixed_offset(self):
        value = dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
        result = ensure_aware(value)
        assert result == value
        assert result.utcoffset() == dt.timedelta(hours=-3)
        assert isinstance(result.tzinfo, pendulum.FixedTimezone)

    def test_any_other_tzinfo_becomes_its_fixed_offset(self):
        value = dt.datetime(2024, 5, 1, 12, tzinfo=_PlusNinety())
        result = ensure_aware(value)
        assert result == value
        assert result.utcoffset() == dt.timedelta(minutes=90)

    def test_a_zoneinfo_zone_becomes_the_pendulum_zone_of_the_same_name(self):
        value = dt.datetime(2024, 7, 1, 9, tzinfo=ZoneInfo(WARSAW))
        result = ensure_aware(value)
        assert result == value
        assert isinstance(result.tzinfo, pendulum.Timezone)
        assert result.timezone_name == WARSAW
        assert result.hour == 9

    def test_a_stdlib_datetime_with_a_pendulum_zone_keeps_that_zone(self):
        zone = pendulum.timezone(WARSAW)
        value = dt.datetime(2024, 7, 1, 9, tzinfo=zone)
        result = ensure_aware(value)
        assert result == value
        assert result.tzinfo is zone

    def test_a_zoneinfo_without_a_name_becomes_its_fixed_offset(self):
        with resources.files("tzdata").joinpath("zoneinfo/Europe/Warsaw").open("rb") as file:
            zone = ZoneInfo.from_file(file)
        value = dt.datetime(2024, 7, 1, 9, tzinfo=zone)
        result = ensure_aware(value)
        assert result == value
        assert result.utcoffset() == dt.timedelta(hours=2)

    def test_a_pendulum_datetime_with_a_stdlib_zone_gets_the_pendulum_zone(self):
        value = pendulum.DateTime(2024, 7, 1, 9, tzinfo=ZoneInfo(WARSAW))
        result = ensure_aware(value)
        assert result == value
        assert isinstance(result.tzinfo, pendulum.Timezone)

    def test_the_second_of_two_ambiguous_wall_times_keeps_its_instant(self):
        # 02:30 happens twice in Warsaw on 2024-10-27; fold=1 is the second one, in CET.
        value = dt.datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=ZoneInfo(WARSAW))
        result = ensure_aware(value)
        assert result.in_timezone("UTC") == pendulum.datetime(2024, 10, 27, 1, 30, tz="UTC")
        assert result.utcoffset() == dt.timedelta(hours=1)

    def test_a_stdlib_wall_time_in_a_dst_gap_keeps_the_instant_python_gives_it(self):
        # 02:30 does not exist in Warsaw on 2024-03-31; Python reads it with the CET offset.
        value = dt.datetime(2024, 3, 31, 2, 30, tzinfo=ZoneInfo(WARSAW))
        result = ensure_aware(value)
        assert result.in_timezone("UTC") == pendulum.datetime(2024, 3, 31, 1, 30, tz="UTC")
        assert (result.hour, result.minute) == (3, 30)

    def test_a_naive_stdlib_datetime_is_refused_naming_the_field(self):
        value = dt.datetime(2024, 5, 1, 12)  # noqa: DTZ001 - the naive value under test
        with pytest.raises(NaiveDateTimeError) as caught:
            ensure_aware(value, field="placed_at")
        assert caught.value.field == "placed_at"
        assert caught.value.value is value
        assert "attach a timezone" in str(caught.value)

    def test_a_naive_pendulum_datetime_is_refused(self):
        value = pendulum.naive(2024, 5, 1, 12)
        with pytest.raises(NaiveDateTimeError) as caught:
            ensure_aware(value)
        assert caught.value.field == "at"
        assert caught.value.value is value

    def test_a_tzinfo_without_an_offset_counts_as_naive(self):
        value = dt.datetime(2024, 5, 1, 12, tzinfo=_NoOffset())
        with pytest.raises(NaiveDateTimeError) as caught:
            ensure_aware(value)
        assert caught.value.value is value

    @pytest.mark.parametrize(
        "value",
        [
            dt.date(2024, 5, 1),
            pendulum.date(2024, 5, 1),
            "2024-05-01T12:00:00+00:00",
            1714564800,
            None,
        ],
        ids=["date", "pendulum-date", "iso-string", "timestamp", "none"],
    )
    def test_anything_but_a_datetime_is_refused_with_a_type_error(self, value):
        with pytest.raises(InvalidTypeError) as caught:
            ensure_aware(value, field="shipped_at")
        assert caught.value.field == "shipped_at"
        assert caught.value.value == value
        assert "timezone-aware datetime" in caught.value.expected

    def test_a_datetime_that_leaves_the_supported_range_in_utc_is_refused(self):
        value = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        with pytest.raises(InvalidValueError) as caught:
            ensure_aware(value, field="at")
        assert caught.value.field == "at"
        assert caught.value.value is value
        assert "UTC" in caught.value.reason


class TestTimezone:
    @pytest.mark.parametrize("name", [WARSAW, "UTC", "America/New_York", "Asia/Kolkata"])
    def test_iana_names_give_the_pendulum_zone(self, name):
        zone = timezone(name)
        assert isinstance(zone, pendulum.Timezone)
        assert zone.name == name

    def test_a_named_zoneinfo_becomes_a_pendulum_zone(self):
        zone = timezone(ZoneInfo(WARSAW))
        assert isinstance(zone, pendulum.Timezone)
        assert zone.name == WARSAW

    def test_a_pendulum_zone_is_accepted(self):
        assert timezone(pendulum.timezone(WARSAW)).name == WARSAW

    @pytest.mark.parametrize(
        "name",
        ["Mars/Base", "europe/warsaw", "", " Europe/Warsaw", "../etc/passwd", "+02:00", "CEST"],
    )
    def test_names_outside_the_iana_database_are_refused(self, name):
        with pytest.raises(InvalidTimezoneError) as caught:
            timezone(name)
        assert caught.value.field == "timezone"
        assert caught.value.value == name
        assert "not an IANA timezone name" in caught.value.reason

    @pytest.mark.parametrize("name", ["localtime", "Factory", "posixrules"])
    def test_names_of_no_place_are_refused(self, name):
        with pytest.raises(InvalidTimezoneError) as caught:
            timezone(name, field="store.timezone")
        assert caught.value.field == "store.timezone"
        assert caught.value.value == name
        assert "names no place" in caught.value.reason

    @pytest.mark.parametrize(
        "zone",
        [dt.UTC, dt.timezone(dt.timedelta(hours=2)), pendulum.FixedTimezone(7200)],
        ids=["stdlib-utc", "stdlib-offset", "pendulum-offset"],
    )
    def test_fixed_offsets_are_refused_because_they_have_no_dst_rules(self, zone):
        with pytest.raises(InvalidTimezoneError) as caught:
            timezone(zone)
        assert caught.value.field == "timezone"
        assert caught.value.value is zone
        assert "daylight saving" in caught.value.reason

    def test_a_zoneinfo_read_from_a_file_without_a_name_is_refused(self):
        with resources.files("tzdata").joinpath("zoneinfo/Europe/Warsaw").open("rb") as file:
            zone = ZoneInfo.from_file(file)
        with pytest.raises(InvalidTimezoneError) as caught:
            timezone(zone)
        assert caught.value.value is zone

    @pytest.mark.parametrize("name", [7200, None, b"UTC"])
    def test_values_that_are_no_zone_at_all_are_refused_with_a_type_error(self, name):
        with pytest.raises(InvalidTypeError) as caught:
            timezone(name)
        assert caught.value.field == "timezone"
        assert caught.value.value == name


class TestToStoreTime:
    @pytest.mark.parametrize(
        ("utc", "local", "offset_hours"),
        [
            # Spring forward: 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
            ((2024, 3, 31, 0, 30), (2024, 3, 31, 1, 30), 1),
            ((2024, 3, 31, 1, 30), (2024, 3, 31, 3, 30), 2),
            # Fall back: 03:00 CEST returns to 02:00 CET at 01:00 UTC, so 02:30 happens twice.
            ((2024, 10, 27, 0, 30), (2024, 10, 27, 2, 30), 2),
            ((2024, 10, 27, 1, 30), (2024, 10, 27, 2, 30), 1),
        ],
    )
    def test_warsaw_wall_clock_follows_daylight_saving_changes(self, utc, local, offset_hours):
        result = to_store_time(pendulum.datetime(*utc, tz="UTC"), WARSAW)
        assert (result.year, result.month, result.day, result.hour, result.minute) == local
        assert result.utcoffset() == dt.timedelta(hours=offset_hours)
        assert result.timezone_name == WARSAW

    def test_the_instant_does_not_change(self):
        value = pendulum.datetime(2024, 6, 1, 22, 15, tz="UTC")
        assert to_store_time(value, "Asia/Kolkata") == value

    def test_a_zoneinfo_store_zone_is_accepted(self):
        result = to_store_time(pendulum.datetime(2024, 1, 1, tz="UTC"), ZoneInfo("Asia/Tokyo"))
        assert result.hour == 9

    def test_a_naive_datetime_is_refused_naming_the_field(self):
        value = dt.datetime(2024, 3, 31, 1, 30)  # noqa: DTZ001 - the naive value under test
        with pytest.raises(NaiveDateTimeError) as caught:
            to_store_time(value, WARSAW, field="placed_at")
        assert caught.value.field == "placed_at"
        assert caught.value.value is value

    def test_an_unknown_store_zone_is_refused_naming_tz(self):
        with pytest.raises(InvalidTimezoneError) as caught:
            to_store_time(pendulum.datetime(2024, 1, 1, tz="UTC"), "Mars/Base")
        assert caught.value.field == "tz"
        assert caught.value.value == "Mars/Base"

    def test_an_instant_the_store_zone_cannot_show_is_refused(self):
        value = pendulum.datetime(9999, 12, 31, 23, tz="UTC")
        with pytest.raises(InvalidValueError) as caught:
            to_store_time(value, "Asia/Tokyo", field="due_at")
        assert caught.value.field == "due_at"
        assert caught.value.value == value
        assert "Asia/Tokyo" in caught.value.reason


class TestToUtc:
    def test_a_local_time_becomes_the_same_instant_in_utc(self):
        result = to_utc(pendulum.datetime(2024, 7, 1, 9, tz=WARSAW))
        assert result == pendulum.datetime(2024, 7, 1, 7, tz="UTC")
        assert result.timezone_name == "UTC"

    def test_a_stdlib_datetime_is_accepted(self):
        value = dt.datetime(2024, 1, 15, 8, tzinfo=ZoneInfo("America/New_York"))
        assert to_utc(value) == pendulum.datetime(2024, 1, 15, 13, tz="UTC")

    def test_a_naive_datetime_is_refused(self):
        value = dt.datetime(2024, 7, 1, 9)  # noqa: DTZ001 - the naive value under test
        with pytest.raises(NaiveDateTimeError) as caught:
            to_utc(value, field="created_at")
        assert caught.value.field == "created_at"
        assert caught.value.value is value

    def test_an_instant_utc_cannot_show_is_refused(self):
        value = pendulum.datetime(1, 1, 1, tz=pendulum.FixedTimezone(3600))
        with pytest.raises(InvalidValueError) as caught:
            to_utc(value)
        assert caught.value.field == "at"
        assert caught.value.value == value


class TestStoreDate:
    def test_a_late_utc_order_counts_for_the_next_day_in_warsaw(self):
        placed = pendulum.datetime(2024, 3, 31, 22, 30, tz="UTC")
        assert store_date(placed, WARSAW) == pendulum.date(2024, 4, 1)

    def test_the_same_order_counts_for_the_previous_day_in_new_york(self):
        placed = pendulum.datetime(2024, 4, 1, 2, 30, tz="UTC")
        assert store_date(placed, "America/New_York") == pendulum.date(2024, 3, 31)

    def test_the_result_is_a_pendulum_date(self):
        result = store_date(pendulum.datetime(2024, 1, 1, tz="UTC"), "UTC")
        assert type(result) is pendulum.Date

    @pytest.mark.parametrize(
        ("utc", "expected"),
        [
            # Warsaw is UTC+1 in winter and UTC+2 in summer: midnight moves in UTC terms.
            ((2024, 1, 15, 22, 59), (2024, 1, 15)),
            ((2024, 1, 15, 23, 0), (2024, 1, 16)),
            ((2024, 7, 15, 21, 59), (2024, 7, 15)),
            ((2024, 7, 15, 22, 0), (2024, 7, 16)),
        ],
    )
    def test_the_day_boundary_follows_the_store_offset(self, utc, expected):
        assert store_date(pendulum.datetime(*utc, tz="UTC"), WARSAW) == pendulum.date(*expected)

    def test_bad_input_is_refused_with_the_field_named(self):
        with pytest.raises(InvalidTypeError) as caught:
            store_date("2024-01-01", WARSAW, field="placed_at")
        assert caught.value.field == "placed_at"
        assert caught.value.value == "2024-01-01"
