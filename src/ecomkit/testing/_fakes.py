"""What the provider fakes share: call outcomes and scripted faults."""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.orders._values import check_text


__all__ = ["CallOutcome"]


class CallOutcome(enum.StrEnum):
    """How a fake provider answered one call, as its ``calls`` records it."""

    OK = "ok"
    """The call did its work and the caller got the answer."""
    REPLAYED = "replayed"
    """The key was known: the first answer came back and nothing was done again."""
    DECLINED = "declined"
    """The payment gateway said no (``PaymentDeclinedError``)."""
    REJECTED = "rejected"
    """The carrier refused the shipment (``ShipmentRejectedError``)."""
    CONFLICT = "conflict"
    """The key was known for another request (``IdempotencyConflictError``)."""
    UNAVAILABLE = "unavailable"
    """A scripted outage: nothing was done and the caller got an ``...UnavailableError``."""
    ANSWER_LOST = "answer_lost"
    """A scripted outage after the work: it was done, but the caller got an error."""


@attrs.define(kw_only=True, weakref_slot=False)
class _Fault:
    """One scripted fault: how many more calls it hits (``None``: until cleared) and why."""

    remaining: int | None
    reason: str
    code: str | None = None


class FaultScript:
    """The scripted faults of a fake, by kind (``"refuse"``, ``"down"``, ``"lost"``) and call.

    Not thread-safe on its own: the fakes call it under their lock.
    """

    __slots__ = ("_faults",)

    def __init__(self) -> None:
        self._faults: dict[tuple[str, str], _Fault] = {}

    def set(
        self,
        kind: str,
        operations: Iterable[str],
        *,
        times: int | None,
        reason: str,
        code: str | None = None,
    ) -> None:
        """Script *kind* for the next *times* calls of each of *operations*."""
        for operation in operations:
            self._faults[kind, operation] = _Fault(remaining=times, reason=reason, code=code)

    def take(self, kind: str, operation: str) -> _Fault | None:
        """Return the fault of *kind* scripted for *operation*, using up one of its calls."""
        fault = self._faults.get((kind, operation))
        if fault is None:
            return None
        if fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining == 0:
                del self._faults[kind, operation]
        return fault

    def clear(self) -> None:
        """Forget every scripted fault."""
        self._faults.clear()

    def active(self) -> tuple[str, ...]:
        """Return ``"kind:operation"`` for every scripted fault, sorted (for ``repr``)."""
        return tuple(sorted(f"{kind}:{operation}" for kind, operation in self._faults))


def check_times(value: object) -> int | None:
    """Return *value* if it is ``None`` (every call) or an ``int`` of at least 1.

    Raises:
        InvalidTypeError: *value* is neither ``None`` nor an ``int``.
        InvalidValueError: *value* is below 1.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field="times", value=value, expected="int or None")
    if value < 1:
        raise InvalidValueError(field="times", value=value, reason="must be at least 1")
    return value


def check_optional_code(value: object) -> str | None:
    """Return *value* if it is ``None`` or a non-blank string (a decline code)."""
    return None if value is None else check_text(value, field="code")
