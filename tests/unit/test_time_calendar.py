"""ecomkit.time.BusinessCalendar: working days, holidays, rolling and adding working days."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.time import BusinessCalendar


# 2026: 1 May is a Friday, 3 May a Sunday, 11 November a Wednesday.
LABOUR_DAY = dt.date(2026, 5, 1)
CONSTITUTION_DAY = dt.date(2026, 5, 3)
INDEPENDENCE_DAY = dt.date(2026, 11, 11)


class TestConstruction:
    def test_the_default_weekend_is_saturday_and_sunday_with_no_holidays(self):
        calendar = BusinessCalendar()
        assert calendar.weekend == (5, 6)
        assert calendar.holidays == ()
        assert calendar.name == ""

    def test_weekend_days_are_sorted_and_repeats_dropped(self):
        assert BusinessCalendar(weekend=[6, 4, 6]).weekend == (4, 6)

    def test_holidays_are_sorted_without_repeats_and_stored_as_pendulum_dates(self):
        calendar = BusinessCalendar(
            holidays=[INDEPENDENCE_DAY, LABOUR_DAY, pendulum.date(2026, 5, 1)]
        )
        assert calendar.holidays == (LABOUR_DAY, INDEPENDENCE_DAY)
        assert all(isinstance(day, pendulum.Date) for day in calendar.holidays)

    def test_calendars_with_the_same_days_are_equal_whatever_the_input_order(self):
        first = BusinessCalendar(holidays=[LABOUR_DAY, INDEPENDENCE_DAY], name="PL")
        second = BusinessCalendar(holidays=[INDEPENDENCE_DAY, LABOUR_DAY], name="PL")
        assert first == second
        assert hash(first) == hash(second)

    @pytest.mark.parametrize("day", [7, -1])
    def test_a_weekday_outside_monday_to_sunday_is_refused(self, day):
        with pytest.raises(InvalidValueError) as caught:
            BusinessCalendar(weekend=[day])
        assert caught.value.field == "weekend"

    @pytest.mark.parametrize("day", ["5", 5.0, True])
    def test_a_weekday_that_is_not_an_int_is_refused(self, day):
        with pytest.raises(InvalidTypeError) as caught:
            BusinessCalendar(weekend=[day])
        assert caught.value.field == "weekend"

    def test_a_weekend_given_as_a_string_is_refused(self):
        with pytest.raises(InvalidTypeError):
            BusinessCalendar(weekend="56")

    def test_a_week_with_every_day_off_is_refused(self):
        with pytest.raises(InvalidValueError, match="no working day"):
            BusinessCalendar(weekend=range(7))

    @pytest.mark.parametrize(
        "holiday", ["2026-05-01", dt.datetime(2026, 5, 1, tzinfo=dt.UTC), 20260501]
    )
    def test_a_holiday_that_is_not_a_plain_date_is_refused(self, holiday):
        with pytest.raises(InvalidTypeError) as caught:
            BusinessCalendar(holidays=[holiday])
        assert caught.value.field == "holidays"

    @pytest.mark.parametrize(("field", "value"), [("holidays", "2026-05-01"), ("name", None)])
    def test_holidays_and_a_name_of_the_wrong_type_are_refused(self, field, value):
        with pytest.raises(InvalidTypeError) as caught:
            BusinessCalendar(**{field: value})
        assert caught.value.field == field


class TestIsBusinessDay:
    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (dt.date(2026, 5, 4), True),  # Monday
            (dt.date(2026, 5, 8), True),  # Friday
            (dt.date(2026, 5, 9), False),  # Saturday
            (dt.date(2026, 5, 10), False),  # Sunday
            (LABOUR_DAY, False),  # a holiday on a Friday
        ],
    )
    def test_weekend_days_and_holidays_are_days_off(self, day, expected):
        calendar = BusinessCalendar(holidays=[LABOUR_DAY])
        assert calendar.is_business_day(day) is expected

    def test_a_pendulum_date_is_checked_like_a_stdlib_date(self):
        calendar = BusinessCalendar(holidays=[LABOUR_DAY])
        assert calendar.is_business_day(pendulum.date(2026, 5, 1)) is False
        assert calendar.is_business_day(pendulum.date(2026, 5, 4)) is True

    def test_a_holiday_given_as_a_pendulum_date_matches_a_stdlib_date(self):
        calendar = BusinessCalendar(holidays=[pendulum.date(2026, 11, 11)])
        assert calendar.is_business_day(INDEPENDENCE_DAY) is False

    def test_a_custom_weekend_makes_friday_a_day_off_and_sunday_a_working_day(self):
        calendar = BusinessCalendar(weekend=[4, 5])
        assert calendar.is_business_day(dt.date(2026, 5, 8)) is False  # Friday
        assert calendar.is_business_day(dt.date(2026, 5, 10)) is True  # Sunday

    def test_a_datetime_counts_as_its_calendar_day(self):
        calendar = BusinessCalendar(holidays=[LABOUR_DAY])
        assert calendar.is_business_day(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)) is False

    def test_something_that_is_not_a_date_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            BusinessCalendar().is_business_day("2026-05-04")
        assert caught.value.field == "day"


class TestRollForward:
    def test_a_working_day_stays_where_it_is(self):
        assert BusinessCalendar().roll_forward(dt.date(2026, 5, 6)) == pendulum.date(2026, 5, 6)

    def test_a_saturday_rolls_to_monday(self):
        assert BusinessCalendar().roll_forward(dt.date(2026, 5, 9)) == pendulum.date(2026, 5, 11)

    def test_a_holiday_before_a_weekend_and_another_holiday_rolls_past_all_of_them(self):
        # Fri 1 May (holiday), Sat 2, Sun 3 May (holiday) -> Monday 4 May.
        calendar = BusinessCalendar(holidays=[LABOUR_DAY, CONSTITUTION_DAY])
        assert calendar.roll_forward(LABOUR_DAY) == pendulum.date(2026, 5, 4)

    def test_something_that_is_not_a_date_is_refused(self):
        with pytest.raises(InvalidTypeError):
            BusinessCalendar().roll_forward("2026-05-09")


class TestAddBusinessDays:
    def test_zero_days_from_a_working_day_is_that_day(self):
        assert BusinessCalendar().add_business_days(dt.date(2026, 5, 6), 0) == pendulum.date(
            2026, 5, 6
        )

    def test_zero_days_from_a_day_off_rolls_forward(self):
        assert BusinessCalendar().add_business_days(dt.date(2026, 5, 9), 0) == pendulum.date(
            2026, 5, 11
        )

    def test_adding_skips_weekends(self):
        # Thursday 7 May + 3 working days: Fri 8, Mon 11, Tue 12.
        assert BusinessCalendar().add_business_days(dt.date(2026, 5, 7), 3) == pendulum.date(
            2026, 5, 12
        )

    def test_adding_skips_holidays(self):
        # Tuesday 10 Nov + 2 working days with 11 Nov off: Thu 12, Fri 13.
        calendar = BusinessCalendar(holidays=[INDEPENDENCE_DAY])
        assert calendar.add_business_days(dt.date(2026, 11, 10), 2) == pendulum.date(2026, 11, 13)

    def test_adding_from_a_day_off_counts_from_the_next_working_day(self):
        # Saturday 9 May rolls to Monday 11 May; one more working day is Tuesday 12 May.
        assert BusinessCalendar().add_business_days(pendulum.date(2026, 5, 9), 1) == pendulum.date(
            2026, 5, 12
        )

    def test_negative_days_are_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            BusinessCalendar().add_business_days(dt.date(2026, 5, 6), -1)
        assert caught.value.field == "days"

    @pytest.mark.parametrize("days", [1.0, "1", True])
    def test_days_that_are_not_an_int_are_refused(self, days):
        with pytest.raises(InvalidTypeError) as caught:
            BusinessCalendar().add_business_days(dt.date(2026, 5, 6), days)
        assert caught.value.field == "days"
