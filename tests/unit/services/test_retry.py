"""retry_on_conflict: bounded retries, and a real race between two threads on one order."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pendulum
import pytest

from ecomkit import Money
from ecomkit.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from ecomkit.adapters.sqlite import SqliteUnitOfWork
from ecomkit.errors import (
    CommandRejectedError,
    InvalidTypeError,
    InvalidValueError,
    StorageError,
    VersionConflictError,
)
from ecomkit.orders import LineSpec, OrderSpec, ShipmentStatus
from ecomkit.ports import PaymentOperation
from ecomkit.services import (
    authorize_payment,
    capture_payment,
    place_order,
    retry_on_conflict,
    ship_order,
)
from ecomkit.testing import CallOutcome, FakeCarrier, FakePaymentGateway, FixedClock


def conflict(actual: int) -> VersionConflictError:
    return VersionConflictError(entity_id="o-1", expected=1, actual=actual)


def scripted(*outcomes: object) -> tuple[Callable[[], object], list[int]]:
    """Return a call that raises or returns *outcomes* in turn, and its call counter."""
    pending = list(outcomes)
    count = [0]

    def call() -> object:
        count[0] += 1
        outcome = pending.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return call, count


class TestRetryOnConflict:
    def test_a_call_that_succeeds_is_made_once(self):
        call, count = scripted("done")

        assert retry_on_conflict(call) == "done"
        assert count == [1]

    def test_a_conflict_is_retried_until_the_call_succeeds(self):
        call, count = scripted(conflict(2), conflict(3), "done")

        assert retry_on_conflict(call) == "done"
        assert count == [3]

    def test_attempts_are_bounded_and_the_last_conflict_is_raised(self):
        errors = [conflict(2), conflict(3), conflict(4)]
        call, count = scripted(*errors, "never reached")

        with pytest.raises(VersionConflictError) as raised:
            retry_on_conflict(call, attempts=3)

        assert raised.value is errors[-1]
        assert count == [3]

    def test_one_attempt_means_no_retry(self):
        call, count = scripted(conflict(2), "never reached")

        with pytest.raises(VersionConflictError):
            retry_on_conflict(call, attempts=1)

        assert count == [1]

    def test_before_retry_hears_the_number_and_error_of_each_failed_attempt(self):
        errors = [conflict(2), conflict(3)]
        call, _ = scripted(*errors, "done")
        heard: list[tuple[int, BaseException]] = []

        retry_on_conflict(call, before_retry=lambda n, error: heard.append((n, error)))

        assert heard == [(1, errors[0]), (2, errors[1])]

    def test_before_retry_is_not_called_after_the_last_attempt(self):
        call, _ = scripted(conflict(2), conflict(3))
        heard: list[int] = []

        with pytest.raises(VersionConflictError):
            retry_on_conflict(call, attempts=2, before_retry=lambda n, _error: heard.append(n))

        assert heard == [1]

    def test_errors_that_are_not_listed_propagate_at_once(self):
        refused = CommandRejectedError(order_id="o-1", status="placed", command="X", reason="no")
        call, count = scripted(refused, "never reached")

        with pytest.raises(CommandRejectedError):
            retry_on_conflict(call)

        assert count == [1]

    def test_other_errors_can_be_listed(self):
        call, count = scripted(StorageError(location="shop.db", reason="locked"), "done")

        assert retry_on_conflict(call, retry_on=(StorageError, VersionConflictError)) == "done"
        assert count == [2]

    @pytest.mark.parametrize(
        ("options", "error", "field"),
        [
            ({"attempts": 0}, InvalidValueError, "attempts"),
            ({"attempts": -2}, InvalidValueError, "attempts"),
            ({"attempts": "3"}, InvalidTypeError, "attempts"),
            ({"attempts": True}, InvalidTypeError, "attempts"),
            ({"retry_on": ()}, InvalidTypeError, "retry_on"),
            ({"retry_on": VersionConflictError}, InvalidTypeError, "retry_on"),
            ({"retry_on": (int,)}, InvalidTypeError, "retry_on[0]"),
            ({"before_retry": "log"}, InvalidTypeError, "before_retry"),
        ],
    )
    def test_bad_options_are_refused_before_the_call_is_made(self, options, error, field):
        call, count = scripted("done")

        with pytest.raises(error) as raised:
            retry_on_conflict(call, **options)

        assert raised.value.field == field
        assert count == [0]

    def test_a_call_that_is_not_callable_is_refused(self):
        with pytest.raises(InvalidTypeError):
            retry_on_conflict("capture")


# ---------------------------------------------------------------------- a real race


class MeetingGateway(FakePaymentGateway):
    """Its first capture waits at *meeting* until the carrier's first booking arrives too."""

    def __init__(self, meeting: threading.Barrier) -> None:
        super().__init__()
        self.meeting = meeting
        self.met = False

    def capture(self, **request):
        if not self.met:
            self.met = True
            self.meeting.wait()
        return super().capture(**request)


class MeetingCarrier(FakeCarrier):
    """Its first booking waits at *meeting* until the gateway's first capture arrives too."""

    def __init__(self, meeting: threading.Barrier) -> None:
        super().__init__()
        self.meeting = meeting
        self.met = False

    def create_shipment(self, **request):
        if not self.met:
            self.met = True
            self.meeting.wait()
        return super().create_shipment(**request)


@pytest.fixture(params=["memory", "sqlite"])
def new_unit(request, tmp_path):
    """Return a factory of units on one shared storage; the caller closes what it opens."""
    if request.param == "memory":
        store = InMemoryStore()
        return lambda: InMemoryUnitOfWork(store)
    path = tmp_path / "shop.db"
    return lambda: SqliteUnitOfWork(path)


def close(uow) -> None:
    if isinstance(uow, SqliteUnitOfWork):
        uow.close()


def test_two_threads_changing_one_order_both_win_through_retries(new_unit):
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="UTC"))
    meeting = threading.Barrier(2, timeout=5)
    gateway, carrier = MeetingGateway(meeting), MeetingCarrier(meeting)
    spec = OrderSpec(
        order_id="o-1",
        channel="web",
        currency="EUR",
        timezone="UTC",
        lines=[LineSpec(line_id="l1", sku="TEA", quantity=2, unit_price=Money("5", "EUR"))],
    )
    setup = new_unit()
    place_order(spec, key="place", uow=setup, clock=clock)
    authorize_payment("o-1", payment_id="p1", key="auth", uow=setup, gateway=gateway, clock=clock)
    close(setup)
    conflicts: list[int] = []
    failures: list[BaseException] = []

    def run(step: Callable[[object], object]) -> None:
        uow = new_unit()
        try:
            retry_on_conflict(lambda: step(uow), before_retry=lambda n, _e: conflicts.append(n))
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            close(uow)

    def capture(uow):
        return capture_payment(
            "o-1", payment_id="p1", key="capture", uow=uow, gateway=gateway, clock=clock
        )

    def ship(uow):
        return ship_order(
            "o-1", shipment_id="s1", key="ship", uow=uow, carrier=carrier, clock=clock
        )

    threads = [threading.Thread(target=run, args=(step,)) for step in (capture, ship)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert failures == []
    assert conflicts == [1]  # both read version 2; exactly one lost the first commit
    check = new_unit()
    with check:
        order = check.orders.get("o-1")
    close(check)
    assert order.version == 5  # placed, authorized, captured, packed, shipped: nothing lost
    assert order.captured == Money("10.00", "EUR")
    assert order.shipment("s1").status is ShipmentStatus.SHIPPED
    captures = [c for c in gateway.calls if c.operation is PaymentOperation.CAPTURE]
    assert len(gateway.transactions) == 2  # one authorization, one capture
    assert len(carrier.shipments) == 1
    outcomes = [[call.outcome for call in calls] for calls in (captures, carrier.calls)]
    # the loser called its provider again with the same key and got the first answer back
    assert sorted(outcomes, key=len) == [[CallOutcome.OK], [CallOutcome.OK, CallOutcome.REPLAYED]]
