"""``FixedClock``: a [`Clock`][ecomkit.time.Clock] that only moves when a test moves it."""

from __future__ import annotations

import datetime as dt
import threading
from types import TracebackType
from typing import Self

import pendulum

from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.time import ensure_aware


__all__ = ["FixedClock"]


class FixedClock:
    """A clock stopped at a given instant, for tests.

    It satisfies the [`Clock`][ecomkit.time.Clock] protocol: ``now()`` returns the time it
    was set to, in the zone it was given, until the test moves it with
    [`set`][ecomkit.testing.FixedClock.set] or
    [`advance`][ecomkit.testing.FixedClock.advance].

    Used as a context manager, it restores on exit the time it had on entry, so a block can
    travel in time without affecting the rest of the test. Blocks nest. Reading and moving
    the clock are thread-safe.

    Args:
        at: The instant to stop at; a timezone-aware ``datetime`` or pendulum ``DateTime``.

    Raises:
        NaiveDateTimeError: *at* has no timezone.
        InvalidTypeError: *at* is not a ``datetime``.

    Examples:
        >>> import pendulum
        >>> clock = FixedClock(pendulum.datetime(2024, 3, 30, 12, 0, tz="Europe/Warsaw"))
        >>> clock.advance(days=1)
        >>> clock
        FixedClock('2024-03-31T12:00:00+02:00[Europe/Warsaw]')
        >>> with clock:
        ...     clock.advance(weeks=2)
        ...     clock.now().to_date_string()
        '2024-04-14'
        >>> clock.now().to_date_string()
        '2024-03-31'
    """

    __slots__ = ("_at", "_lock", "_saved")

    def __init__(self, at: dt.datetime) -> None:
        self._at = ensure_aware(at, field="at")
        self._lock = threading.Lock()
        self._saved: list[pendulum.DateTime] = []

    def now(self) -> pendulum.DateTime:
        """Return the time the clock is set to.

        Returns:
            The set instant, as an aware pendulum ``DateTime`` in the zone it was given.
        """
        with self._lock:
            return self._at

    def set(self, at: dt.datetime) -> None:
        """Set the clock to *at*, earlier or later than now.

        Args:
            at: The new instant; a timezone-aware ``datetime`` or pendulum ``DateTime``.

        Raises:
            NaiveDateTimeError: *at* has no timezone.
            InvalidTypeError: *at* is not a ``datetime``.
        """
        checked = ensure_aware(at, field="at")
        with self._lock:
            self._at = checked

    def advance(
        self,
        duration: dt.timedelta | None = None,
        *,
        years: int = 0,
        months: int = 0,
        weeks: int = 0,
        days: int = 0,
        hours: int = 0,
        minutes: int = 0,
        seconds: int = 0,
        microseconds: int = 0,
    ) -> None:
        """Move the clock forward by *duration* or by calendar units.

        Units follow pendulum's ``DateTime.add``: years, months, weeks and days are calendar
        units in the clock's zone (one day after 12:00 on the eve of a DST change is 12:00
        the next day, 23 hours later), while hours and smaller units are elapsed time. A
        pendulum ``Duration`` is added the same way; a plain ``timedelta`` is elapsed time
        (``timedelta(days=1)`` is always 24 hours).

        The clock never moves backwards here: to go back, call
        [`set`][ecomkit.testing.FixedClock.set]. Advancing by zero (or by nothing) leaves
        the clock where it is.

        Args:
            duration: How far to move, as a ``timedelta`` or pendulum ``Duration``.
            years: Calendar years to add.
            months: Calendar months to add (the day is clamped to the month's end).
            weeks: Calendar weeks to add.
            days: Calendar days to add.
            hours: Hours to add.
            minutes: Minutes to add.
            seconds: Seconds to add.
            microseconds: Microseconds to add.

        Raises:
            InvalidTypeError: *duration* is not a ``timedelta``, or a unit is not an ``int``.
            InvalidValueError: Both *duration* and units were given, or the result would be
                earlier than the current time or after the year 9999.

        Examples:
            >>> import pendulum
            >>> clock = FixedClock(pendulum.datetime(2024, 1, 31, tz="UTC"))
            >>> clock.advance(months=1)
            >>> clock.now().to_date_string()
            '2024-02-29'
            >>> clock.advance(pendulum.duration(hours=36))
            >>> clock.now().to_datetime_string()
            '2024-03-01 12:00:00'
        """
        units = {
            "years": years,
            "months": months,
            "weeks": weeks,
            "days": days,
            "hours": hours,
            "minutes": minutes,
            "seconds": seconds,
            "microseconds": microseconds,
        }
        for name, count in units.items():
            if isinstance(count, bool) or not isinstance(count, int):
                raise InvalidTypeError(field=name, value=count, expected="int")
        if duration is not None:
            if not isinstance(duration, dt.timedelta):
                raise InvalidTypeError(
                    field="duration",
                    value=duration,
                    expected="datetime.timedelta or pendulum.Duration",
                )
            if any(units.values()):
                raise InvalidValueError(
                    field="duration", value=duration, reason="pass a duration or units, not both"
                )
        given = duration if duration is not None else units
        with self._lock:
            current = self._at
            try:
                moved = current + duration if duration is not None else current.add(**units)
            except (OverflowError, ValueError):  # pendulum's "year is out of range" is a ValueError
                raise InvalidValueError(
                    field="duration",
                    value=given,
                    reason="would move the clock past the year 9999",
                ) from None
            if moved < current:
                raise InvalidValueError(
                    field="duration",
                    value=given,
                    reason="would move the clock back; use set() to go back in time",
                )
            self._at = moved

    def __enter__(self) -> Self:
        """Remember the current time, to be restored when the block exits."""
        with self._lock:
            self._saved.append(self._at)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Restore the time the clock had when the block was entered."""
        with self._lock:
            self._at = self._saved.pop()

    def __repr__(self) -> str:
        at = self.now()
        stamp = at.isoformat()
        zone = at.timezone_name
        suffix = f"[{zone}]" if zone is not None and not stamp.endswith(zone) else ""
        return f"FixedClock({stamp + suffix!r})"
