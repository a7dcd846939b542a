"""``retry_on_conflict``: run a service again when another unit of work got there first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ecomkit.errors import InvalidTypeError, InvalidValueError, VersionConflictError


__all__ = ["retry_on_conflict"]

_T = TypeVar("_T")


def _check_retry_on(retry_on: object) -> tuple[type[BaseException], ...]:
    if not isinstance(retry_on, tuple) or not retry_on:
        raise InvalidTypeError(
            field="retry_on", value=retry_on, expected="a non-empty tuple of exception classes"
        )
    for index, kind in enumerate(retry_on):
        if not isinstance(kind, type) or not issubclass(kind, BaseException):
            raise InvalidTypeError(
                field=f"retry_on[{index}]", value=kind, expected="an exception class"
            )
    return retry_on


def retry_on_conflict(
    call: Callable[[], _T],
    *,
    attempts: int = 3,
    retry_on: tuple[type[BaseException], ...] = (VersionConflictError,),
    before_retry: Callable[[int, BaseException], None] | None = None,
) -> _T:
    """Call *call* until it returns, retrying (a bounded number of times) on a conflict.

    Services load, decide and commit with an expected version; when another unit commits
    first, the commit raises [`VersionConflictError`][ecomkit.errors.VersionConflictError]
    and nothing of the unit is stored. Every service is idempotent in its key, so calling
    it again reloads the fresh state and decides again: wrap it in a ``lambda``.

    There is no sleeping here; pass *before_retry* to wait (with jitter), log or count.

    Args:
        call: What to run, without arguments.
        attempts: How many calls at most, the first included (at least 1).
        retry_on: The errors that are worth another call; any other error propagates at
            once.
        before_retry: Called before each new attempt with the number of the attempt that
            failed (1 for the first call) and its error.

    Returns:
        What *call* returned.

    Raises:
        VersionConflictError: Every attempt conflicted (the last error is re-raised); more
            generally, the last error of a kind in *retry_on*.
        InvalidValueError: *attempts* is less than 1.
        InvalidTypeError: *attempts* is not an ``int``, *call* or *before_retry* is not
            callable, or *retry_on* is not a non-empty tuple of exception classes.

    Examples:
        >>> from ecomkit.errors import VersionConflictError
        >>> outcomes = [VersionConflictError(entity_id="o-1", expected=3, actual=4), "stored"]
        >>> def capture():
        ...     outcome = outcomes.pop(0)
        ...     if isinstance(outcome, Exception):
        ...         raise outcome
        ...     return outcome
        >>> retries = []
        >>> retry_on_conflict(capture, before_retry=lambda n, error: retries.append(n))
        'stored'
        >>> retries
        [1]

        Wrapping a service: a re-run reloads the order and decides again, and the gateway
        key it derives from ``key`` makes sure the money moves once.

        >>> import pendulum
        >>> from ecomkit import Money
        >>> from ecomkit.adapters.memory import InMemoryUnitOfWork
        >>> from ecomkit.orders import LineSpec, OrderSpec
        >>> from ecomkit.services import authorize_payment, capture_payment, place_order
        >>> from ecomkit.testing import FakePaymentGateway, FixedClock
        >>> uow, gateway = InMemoryUnitOfWork(), FakePaymentGateway()
        >>> clock = FixedClock(pendulum.datetime(2026, 3, 1, 9, tz="UTC"))
        >>> spec = OrderSpec(order_id="o-1", channel="web", currency="EUR", timezone="UTC",
        ...     lines=[LineSpec(line_id="l1", sku="MUG", quantity=1,
        ...                     unit_price=Money("12.00", "EUR"))])
        >>> _ = place_order(spec, key="checkout", uow=uow, clock=clock)
        >>> _ = authorize_payment("o-1", payment_id="p1", key="auth", uow=uow,
        ...                       gateway=gateway, clock=clock)
        >>> order = retry_on_conflict(lambda: capture_payment(
        ...     "o-1", payment_id="p1", key="capture", uow=uow, gateway=gateway, clock=clock))
        >>> str(order.captured), str(gateway.charged("o-1"))
        ('12.00 EUR', '12.00 EUR')
    """
    if isinstance(attempts, bool) or not isinstance(attempts, int):
        raise InvalidTypeError(field="attempts", value=attempts, expected="int")
    if attempts < 1:
        raise InvalidValueError(field="attempts", value=attempts, reason="must be at least 1")
    kinds = _check_retry_on(retry_on)
    if not callable(call):
        raise InvalidTypeError(field="call", value=call, expected="a callable without arguments")
    if before_retry is not None and not callable(before_retry):
        raise InvalidTypeError(field="before_retry", value=before_retry, expected="a callable")
    attempt = 1
    while True:
        try:
            return call()
        except kinds as error:
            if attempt >= attempts:
                raise
            if before_retry is not None:
                before_retry(attempt, error)
            attempt += 1
