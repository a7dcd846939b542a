"""Time: the ``Clock`` port, timezone-aware instants and the store's calendar.

ecomkit works with instants that know their offset from UTC. A naive ``datetime`` (one
without ``tzinfo``) is refused with [`NaiveDateTimeError`][ecomkit.errors.NaiveDateTimeError]
instead of being guessed: a store in Warsaw and a server in UTC would disagree about the day
an order was placed.

- [`Clock`][ecomkit.time.Clock] is the port services read the current time from;
  [`SystemClock`][ecomkit.time.SystemClock] is the real one and
  [`FixedClock`][ecomkit.testing.FixedClock] the one for tests.
- [`ensure_aware`][ecomkit.time.ensure_aware] turns any aware ``datetime`` into a pendulum
  ``DateTime`` and refuses naive ones.
- [`timezone`][ecomkit.time.timezone] validates an IANA zone name such as ``Europe/Warsaw``.
- [`to_utc`][ecomkit.time.to_utc], [`to_store_time`][ecomkit.time.to_store_time] and
  [`store_date`][ecomkit.time.store_date] move an instant to UTC (for storage) or to the
  store's zone (for display and for the calendar day a report counts it on).
- [`BusinessCalendar`][ecomkit.time.BusinessCalendar] says which days are working days
  (weekend and public holidays), for deadlines that move to the next working day.

Examples:
    >>> import pendulum
    >>> placed = pendulum.datetime(2024, 3, 31, 22, 30, tz="UTC")
    >>> store_date(placed, "Europe/Warsaw")
    Date(2024, 4, 1)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final, Protocol
from zoneinfo import ZoneInfo

import attrs
import pendulum

from ecomkit.errors import (
    InvalidTimezoneError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
)


__all__ = [
    "BusinessCalendar",
    "Clock",
    "SystemClock",
    "ensure_aware",
    "store_date",
    "timezone",
    "to_store_time",
    "to_utc",
]

#: Names in the zone database that are not a place: the machine's own zone and tzdata's
#: placeholder for "unknown". A store's zone must be a real one.
_NOT_A_PLACE: Final = frozenset({"Factory", "localtime", "posixrules"})

_ZONE_EXAMPLE: Final = "an IANA zone name such as 'Europe/Warsaw' or 'UTC'"


class Clock(Protocol):
    """The source of the current time: the port services read "now" from.

    Domain code never reads the system clock; services take a ``Clock`` so tests can pin
    time with [`FixedClock`][ecomkit.testing.FixedClock] and hosts can supply their own
    (a clock synchronized with the database server, for example).

    Contract for implementations:

    - ``now()`` returns a timezone-aware pendulum ``DateTime``, never a naive one. Its zone
      is the implementation's choice (UTC for [`SystemClock`][ecomkit.time.SystemClock]);
      callers convert with [`to_store_time`][ecomkit.time.to_store_time] when the zone
      matters.
    - Successive calls are not promised to be non-decreasing: a system clock can be set
      back (NTP corrections, manual changes). Do not derive ordering or durations from two
      readings where that would hurt; use sequence numbers or versions for ordering.
    - ``now()`` has no side effects and may be called from several threads.
    """

    def now(self) -> pendulum.DateTime:
        """Return the current instant, timezone-aware."""
        ...


@attrs.frozen
class SystemClock:
    """The real clock: the operating system's current time, in UTC.

    Examples:
        >>> SystemClock().now().timezone_name
        'UTC'
    """

    def now(self) -> pendulum.DateTime:
        """Return the current instant in UTC.

        Returns:
            The current time as an aware pendulum ``DateTime`` in UTC.
        """
        return pendulum.now(pendulum.UTC)


def ensure_aware(value: object, *, field: str = "at") -> pendulum.DateTime:
    """Return *value* as a pendulum ``DateTime``, refusing naive datetimes.

    Accepts a pendulum ``DateTime`` (returned as it is) or a standard-library ``datetime``
    with a timezone, whose instant and zone are kept: a ``zoneinfo.ZoneInfo`` zone becomes
    the pendulum zone of the same name, any other ``tzinfo`` a fixed UTC offset.

    Args:
        value: The datetime to check.
        field: The name of the field or parameter, used in error messages.

    Returns:
        The same instant as an aware pendulum ``DateTime``.

    Raises:
        NaiveDateTimeError: *value* has no timezone (``tzinfo`` is ``None`` or gives no
            UTC offset).
        InvalidTypeError: *value* is not a ``datetime``; a ``date`` or an ISO string is
            refused too (parse strings with ``pendulum.parse`` first).

    Examples:
        >>> from datetime import datetime, timezone
        >>> ensure_aware(datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc))
        DateTime(2024, 5, 1, 12, 0, 0, tzinfo=Timezone('UTC'))
        >>> ensure_aware(datetime(2024, 5, 1, 12, 0), field="placed_at")
        Traceback (most recent call last):
        ...
        ecomkit.errors.NaiveDateTimeError: placed_at: naive datetime; ...
    """
    if not isinstance(value, dt.datetime):
        raise InvalidTypeError(
            field=field, value=value, expected="a timezone-aware datetime or pendulum.DateTime"
        )
    offset = value.utcoffset()
    if offset is None:
        raise NaiveDateTimeError(field=field, value=value)
    zone = value.tzinfo
    if isinstance(value, pendulum.DateTime) and isinstance(
        zone, pendulum.Timezone | pendulum.FixedTimezone
    ):
        return value
    # Go through the UTC instant: pendulum.instance() re-reads the wall clock in the zone,
    # which moves a stdlib time that falls in a DST gap to another instant. combine() gives
    # a plain datetime even for a pendulum one, which instance() would return unconverted.
    try:
        utc = dt.datetime.combine(value.date(), value.time()) - offset
    except OverflowError:
        raise _out_of_range(value, "UTC", field=field) from None
    return pendulum.instance(utc, tz=pendulum.UTC).in_timezone(_pendulum_zone(zone, offset))


def _in_zone(value: pendulum.DateTime, zone: pendulum.Timezone, *, field: str) -> pendulum.DateTime:
    """Return *value* in *zone*, refusing instants the zone cannot show (year 1 or 9999)."""
    try:
        return value.in_timezone(zone)
    except OverflowError:
        raise _out_of_range(value, zone.name, field=field) from None


def _out_of_range(value: dt.datetime, zone: str, *, field: str) -> InvalidValueError:
    return InvalidValueError(
        field=field,
        value=value,
        reason=f"out of the supported date range (years 1 to 9999) in {zone}",
    )


def _pendulum_zone(
    zone: dt.tzinfo | None, offset: dt.timedelta
) -> pendulum.Timezone | pendulum.FixedTimezone:
    """Return the pendulum zone equivalent to a stdlib *zone* whose offset is *offset*."""
    if isinstance(zone, pendulum.Timezone | pendulum.FixedTimezone):
        return zone
    if isinstance(zone, ZoneInfo) and zone.key is not None:
        return pendulum.timezone(zone.key)
    if zone is dt.UTC:
        return pendulum.UTC
    return pendulum.FixedTimezone(int(offset.total_seconds()))


def timezone(name: str | dt.tzinfo, *, field: str = "timezone") -> pendulum.Timezone:
    """Return the IANA timezone *name* (``"Europe/Warsaw"``) as a pendulum ``Timezone``.

    Names are case-sensitive, as in the IANA database. A named ``zoneinfo.ZoneInfo``
    (pendulum's ``Timezone`` is one) is accepted and returned as a pendulum ``Timezone``.
    Fixed offsets (``datetime.timezone(timedelta(hours=2))``, pendulum's ``FixedTimezone``)
    are refused: they have no daylight saving rules, so a store using one would count its
    summer orders on the wrong day. Names of no place (``localtime``, which is whatever zone
    the machine is set to, and ``Factory``) are refused too.

    Args:
        name: An IANA zone name, or a ``ZoneInfo`` built from one.
        field: The name of the field or parameter, used in error messages.

    Returns:
        The pendulum ``Timezone``.

    Raises:
        InvalidTimezoneError: *name* is not an IANA zone name, or is a ``tzinfo`` that is
            not a named zone.
        InvalidTypeError: *name* is neither a string nor a ``tzinfo``.

    Examples:
        >>> timezone("Europe/Warsaw")
        Timezone('Europe/Warsaw')
        >>> timezone("Mars/Base")
        Traceback (most recent call last):
        ...
        ecomkit.errors.InvalidTimezoneError: timezone: not an IANA timezone name ...
    """
    if isinstance(name, ZoneInfo) and name.key is not None:
        return timezone(name.key, field=field)
    if isinstance(name, dt.tzinfo):
        raise InvalidTimezoneError(
            field=field,
            value=name,
            reason="not a named IANA zone (a fixed UTC offset has no daylight saving rules); "
            f"pass {_ZONE_EXAMPLE}",
        )
    if not isinstance(name, str):
        raise InvalidTypeError(field=field, value=name, expected="an IANA timezone name")
    if name in _NOT_A_PLACE:
        raise InvalidTimezoneError(
            field=field, value=name, reason=f"names no place; pass {_ZONE_EXAMPLE}"
        )
    found = _ZONES.get(name)
    if found is not None:
        return found
    try:
        found = pendulum.timezone(name)
    except ValueError:  # pendulum's InvalidTimezone, and zoneinfo's malformed-key error
        raise InvalidTimezoneError(
            field=field,
            value=name,
            reason="not an IANA timezone name (such as 'Europe/Warsaw'; names are case-sensitive)",
        ) from None
    _ZONES[name] = found
    return found


#: Zones already looked up: pendulum reads the zone file again on every call otherwise.
_ZONES: dict[str, pendulum.Timezone] = {}


def to_utc(value: dt.datetime, *, field: str = "at") -> pendulum.DateTime:
    """Return the aware *value* in UTC, the form to store and compare instants in.

    Raises:
        NaiveDateTimeError: *value* has no timezone.
        InvalidTypeError: *value* is not a ``datetime``.

    Examples:
        >>> import pendulum
        >>> to_utc(pendulum.datetime(2024, 7, 1, 9, 0, tz="Europe/Warsaw"))
        DateTime(2024, 7, 1, 7, 0, 0, tzinfo=Timezone('UTC'))
    """
    return _in_zone(ensure_aware(value, field=field), pendulum.UTC, field=field)


def to_store_time(
    value: dt.datetime, tz: str | dt.tzinfo, *, field: str = "at"
) -> pendulum.DateTime:
    """Return the aware *value* as wall-clock time in the store's zone *tz*.

    The instant does not change, only the zone it is shown in; pendulum applies the
    zone's daylight saving rules.

    Args:
        value: An aware datetime.
        tz: The store's IANA zone name or ``ZoneInfo``.
        field: The name of the field holding *value*, used in error messages.

    Raises:
        NaiveDateTimeError: *value* has no timezone.
        InvalidTypeError: *value* is not a ``datetime``, or *tz* is not a zone.
        InvalidTimezoneError: *tz* is not an IANA zone name.

    Examples:
        >>> import pendulum
        >>> to_store_time(pendulum.datetime(2024, 3, 31, 1, 30, tz="UTC"), "Europe/Warsaw")
        DateTime(2024, 3, 31, 3, 30, 0, tzinfo=Timezone('Europe/Warsaw'))
    """
    zone = timezone(tz, field="tz")
    return _in_zone(ensure_aware(value, field=field), zone, field=field)


def store_date(value: dt.datetime, tz: str | dt.tzinfo, *, field: str = "at") -> pendulum.Date:
    """Return the calendar date of the aware *value* in the store's zone *tz*.

    This is the day an order counts for in daily reports: an order placed at 23:30 UTC on
    31 March is an order of 1 April for a store in Warsaw.

    Args:
        value: An aware datetime.
        tz: The store's IANA zone name or ``ZoneInfo``.
        field: The name of the field holding *value*, used in error messages.

    Raises:
        NaiveDateTimeError: *value* has no timezone.
        InvalidTypeError: *value* is not a ``datetime``, or *tz* is not a zone.
        InvalidTimezoneError: *tz* is not an IANA zone name.

    Examples:
        >>> import pendulum
        >>> store_date(pendulum.datetime(2024, 3, 31, 23, 30, tz="UTC"), "America/New_York")
        Date(2024, 3, 31)
    """
    return to_store_time(value, tz, field=field).date()


# ---------------------------------------------------------------- working days

_DAYS_IN_WEEK: Final = 7


def _weekend(value: object) -> tuple[int, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidTypeError(
            field="weekend", value=value, expected="weekday numbers, Monday = 0 to Sunday = 6"
        )
    days: set[int] = set()
    for day in value:
        if type(day) is not int:
            raise InvalidTypeError(field="weekend", value=day, expected="a weekday number (int)")
        if not 0 <= day < _DAYS_IN_WEEK:
            raise InvalidValueError(
                field="weekend", value=day, reason="must be 0 (Monday) to 6 (Sunday)"
            )
        days.add(day)
    if len(days) == _DAYS_IN_WEEK:
        raise InvalidValueError(
            field="weekend", value=value, reason="leaves no working day in the week"
        )
    return tuple(sorted(days))


def _holidays(value: object) -> tuple[pendulum.Date, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="holidays", value=value, expected="an iterable of dates")
    days: set[pendulum.Date] = set()
    for day in value:
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise InvalidTypeError(
                field="holidays", value=day, expected="a date (not a datetime or a string)"
            )
        days.add(pendulum.Date(day.year, day.month, day.day))
    return tuple(sorted(days))


@attrs.frozen(weakref_slot=False, cache_hash=True)
class BusinessCalendar:
    """Which calendar days are working days: not a weekend day and not a public holiday.

    Deadlines that end on a day off move to the next working day (EU law counts periods
    this way, and so do many store policies). The calendar holds dates only; it is the
    store's timezone that says which date an instant falls on.

    Args:
        weekend: The weekdays off, Monday = 0 to Sunday = 6 (default Saturday and Sunday).
        holidays: Public holidays and other days off, as dates.
        name: A label, such as ``"PL"`` for a country's public holidays.

    Attributes:
        weekend: The weekdays off, sorted.
        holidays: The holidays, sorted and without repeats.
        name: The label.

    Raises:
        InvalidTypeError: A weekday is not an int, or a holiday is not a date.
        InvalidValueError: A weekday is outside 0-6, or every weekday is off.

    Examples:
        >>> import datetime as dt
        >>> calendar = BusinessCalendar(holidays=[dt.date(2026, 11, 11)], name="PL")
        >>> calendar.is_business_day(dt.date(2026, 11, 11))
        False
        >>> calendar.roll_forward(dt.date(2026, 11, 7))  # a Saturday
        Date(2026, 11, 9)
    """

    weekend: tuple[int, ...] = attrs.field(default=(5, 6), converter=_weekend)
    holidays: tuple[dt.date, ...] = attrs.field(default=(), converter=_holidays)
    name: str = attrs.field(default="", kw_only=True)
    _holiday_set: frozenset[dt.date] = attrs.field(init=False, eq=False, repr=False)

    @name.validator
    def _check_name(self, _attribute: object, value: object) -> None:
        if not isinstance(value, str):
            raise InvalidTypeError(field="name", value=value, expected="str")

    def __attrs_post_init__(self) -> None:
        """Index the holidays for lookups."""
        object.__setattr__(self, "_holiday_set", frozenset(self.holidays))

    def is_business_day(self, day: dt.date) -> bool:
        """Return whether *day* is a working day.

        Raises:
            InvalidTypeError: *day* is not a date.
        """
        if not isinstance(day, dt.date):
            raise InvalidTypeError(field="day", value=day, expected="a date")
        plain = dt.date(day.year, day.month, day.day)
        return day.weekday() not in self.weekend and plain not in self._holiday_set

    def roll_forward(self, day: dt.date) -> pendulum.Date:
        """Return *day* if it is a working day, else the next working day after it.

        Raises:
            InvalidTypeError: *day* is not a date.
        """
        if not isinstance(day, dt.date):
            raise InvalidTypeError(field="day", value=day, expected="a date")
        current = pendulum.Date(day.year, day.month, day.day)
        while not self.is_business_day(current):
            current = current.add(days=1)
        return current

    def add_business_days(self, day: dt.date, days: int) -> pendulum.Date:
        """Return the working day *days* working days after *day* (``0`` rolls forward).

        Raises:
            InvalidTypeError: *day* is not a date or *days* is not an int.
            InvalidValueError: *days* is negative.

        Examples:
            >>> import datetime as dt
            >>> BusinessCalendar().add_business_days(dt.date(2026, 11, 6), 1)  # Friday
            Date(2026, 11, 9)
        """
        if type(days) is not int:
            raise InvalidTypeError(field="days", value=days, expected="int")
        if days < 0:
            raise InvalidValueError(field="days", value=days, reason="must not be negative")
        current = self.roll_forward(day)
        for _ in range(days):
            current = self.roll_forward(current.add(days=1))
        return current
