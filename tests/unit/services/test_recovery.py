"""Recovery: a lost answer or a crash between the provider and the commit, then a re-run.

Every case runs on the in-memory adapter (a unit whose commit dies before storing) and on
SQLite (a unit that dies inside its commit transaction, after writing, before ``COMMIT``).
The re-run uses the same key and must end where an uninterrupted run ends, with the money
moved exactly once.
"""

from __future__ import annotations

import pendulum
import pytest

from ecomkit import Money
from ecomkit.adapters.memory import InMemoryUnitOfWork
from ecomkit.adapters.sqlite import SqliteUnitOfWork
from ecomkit.errors import GatewayUnavailableError
from ecomkit.orders import LineSpec, OrderSpec, OrderStatus, PaymentVoided
from ecomkit.ports import PaymentOperation
from ecomkit.returns import ReceivedItem, ReturnLine, ReturnRequest, RmaStatus, eu_policy
from ecomkit.services import (
    authorize_payment,
    cancel_order,
    capture_payment,
    confirm_delivery,
    place_order,
    receive_return,
    refund_return,
    request_return,
    ship_order,
)
from ecomkit.testing import CallOutcome, FakeCarrier, FakePaymentGateway, FixedClock


START = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Warsaw")


def pln(amount: str) -> Money:
    return Money(amount, "PLN")


class Crash(Exception):  # noqa: N818 - it stands for the process dying
    """The process died here."""


class CrashingUnitOfWork:
    """Wraps a unit of work; once armed, its n-th commit dies before anything is stored."""

    def __init__(self, inner: InMemoryUnitOfWork) -> None:
        self.inner = inner
        self.countdown: int | None = None

    def crash_on_commit(self, n: int = 1) -> None:
        self.countdown = n

    @property
    def orders(self):
        return self.inner.orders

    @property
    def returns(self):
        return self.inner.returns

    @property
    def products(self):
        return self.inner.products

    def __enter__(self):
        self.inner.__enter__()
        return self

    def __exit__(self, *exc_info):
        return self.inner.__exit__(*exc_info)

    def commit(self) -> None:
        if self.countdown is not None:
            self.countdown -= 1
            if self.countdown == 0:
                self.countdown = None
                raise Crash
        self.inner.commit()

    def rollback(self) -> None:
        self.inner.rollback()

    def events(self, **window):
        return self.inner.events(**window)

    def close(self) -> None:
        """Nothing to close in memory."""


class CrashingSqliteUnitOfWork(SqliteUnitOfWork):
    """Once armed, its n-th commit dies inside the transaction, just before ``COMMIT``."""

    def __init__(self, path) -> None:
        super().__init__(path)
        self.countdown: int | None = None

    def crash_on_commit(self, n: int = 1) -> None:
        self.countdown = n

    def _before_commit_step(self, step: str) -> None:
        if step == "commit" and self.countdown is not None:
            self.countdown -= 1
            if self.countdown == 0:
                self.countdown = None
                raise Crash


@pytest.fixture(params=["memory", "sqlite"])
def uow(request, tmp_path):
    unit = (
        CrashingUnitOfWork(InMemoryUnitOfWork())
        if request.param == "memory"
        else CrashingSqliteUnitOfWork(tmp_path / "shop.db")
    )
    yield unit
    unit.close()


@pytest.fixture
def clock():
    return FixedClock(START)


@pytest.fixture
def gateway():
    return FakePaymentGateway()


def spec() -> OrderSpec:
    return OrderSpec(
        order_id="o-1",
        channel="web",
        currency="PLN",
        timezone="Europe/Warsaw",
        prices_include_tax=True,
        lines=[LineSpec(line_id="l1", sku="SHOE", quantity=2, unit_price=pln("199.99"))],
    )


def stored(uow):
    with uow:
        return uow.orders.get("o-1")


def outcomes(gateway, operation):
    return [call.outcome for call in gateway.calls if call.operation is operation]


def authorized(uow, gateway, clock):
    place_order(spec(), key="place", uow=uow, clock=clock)
    return authorize_payment(
        "o-1", payment_id="p1", key="auth", uow=uow, gateway=gateway, clock=clock
    )


def capture(uow, gateway, clock):
    return capture_payment(
        "o-1", payment_id="p1", key="capture", uow=uow, gateway=gateway, clock=clock
    )


def clean_run_of_capture():
    uow, gateway, clock = InMemoryUnitOfWork(), FakePaymentGateway(), FixedClock(START)
    authorized(uow, gateway, clock)
    return capture(uow, gateway, clock)


# ---------------------------------------------------------------------- single payments


def test_a_capture_whose_answer_was_lost_is_captured_once_on_rerun(uow, gateway, clock):
    authorized(uow, gateway, clock)
    gateway.lose_answers("capture")

    with pytest.raises(GatewayUnavailableError):
        capture(uow, gateway, clock)
    assert stored(uow).captured.is_zero()
    assert gateway.charged("o-1") == pln("399.98")  # the provider did it

    order = capture(uow, gateway, clock)

    assert order == stored(uow) == clean_run_of_capture()
    assert gateway.charged("o-1") == pln("399.98")
    assert outcomes(gateway, PaymentOperation.CAPTURE) == [
        CallOutcome.ANSWER_LOST,
        CallOutcome.REPLAYED,
    ]


def test_an_authorization_whose_answer_was_lost_is_made_once_on_rerun(uow, gateway, clock):
    place_order(spec(), key="place", uow=uow, clock=clock)
    gateway.lose_answers("authorize")

    with pytest.raises(GatewayUnavailableError):
        authorize_payment("o-1", payment_id="p1", key="auth", uow=uow, gateway=gateway, clock=clock)
    assert stored(uow).payments == ()

    order = authorize_payment(
        "o-1", payment_id="p1", key="auth", uow=uow, gateway=gateway, clock=clock
    )

    assert order.payment("p1").reference == gateway.ledger("o-1", "p1").reference
    assert len(gateway.transactions) == 1


def test_a_crash_after_the_gateway_said_yes_captures_once_on_rerun(uow, gateway, clock):
    authorized(uow, gateway, clock)
    uow.crash_on_commit()

    with pytest.raises(Crash):
        capture(uow, gateway, clock)
    assert stored(uow).captured.is_zero()

    order = capture(uow, gateway, clock)

    assert order == stored(uow) == clean_run_of_capture()
    assert gateway.charged("o-1") == pln("399.98")
    assert outcomes(gateway, PaymentOperation.CAPTURE) == [CallOutcome.OK, CallOutcome.REPLAYED]
    assert [stored.event.version for stored in uow.events()] == [1, 2, 3]


def test_a_crash_after_the_carrier_booked_a_parcel_books_one_on_rerun(uow, gateway, clock):
    authorized(uow, gateway, clock)
    carrier = FakeCarrier()
    uow.crash_on_commit()

    with pytest.raises(Crash):
        ship_order("o-1", shipment_id="s1", key="ship", uow=uow, carrier=carrier, clock=clock)
    assert stored(uow).shipments == ()

    order = ship_order("o-1", shipment_id="s1", key="ship", uow=uow, carrier=carrier, clock=clock)

    assert order.shipment("s1").tracking_number == "TRACK0001"
    assert len(carrier.shipments) == 1


# ---------------------------------------------------------------------- refunds over two tenders


class LosesTheSecondTendersAnswer(FakePaymentGateway):
    """Refunds the second tender (``p2``), then loses the answer, once."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = False

    def refund(self, **request):
        if self.armed and request["payment_id"] == "p2":
            self.armed = False
            self.lose_answers("refund", times=1)
        return super().refund(**request)


@pytest.fixture
def received(uow, clock):
    """A delivered order paid 150 by gift card and the rest by card, one shoe back."""
    gateway = LosesTheSecondTendersAnswer()
    pay = {"uow": uow, "gateway": gateway, "clock": clock}
    place_order(spec(), key="place", uow=uow, clock=clock)
    authorize_payment(
        "o-1", payment_id="p1", key="a1", amount=pln("150"), tender="gift_card", **pay
    )
    authorize_payment("o-1", payment_id="p2", key="a2", **pay)
    capture_payment("o-1", payment_id="p1", key="c1", **pay)
    capture_payment("o-1", payment_id="p2", key="c2", **pay)
    ship_order("o-1", shipment_id="s1", key="ship", uow=uow, carrier=FakeCarrier(), clock=clock)
    confirm_delivery("o-1", shipment_id="s1", key="deliver", uow=uow, clock=clock)
    clock.advance(days=3)
    request = ReturnRequest(
        return_id="r-1",
        kind="withdrawal",
        requested_at=clock.now(),
        lines=[ReturnLine(line_id="l1", quantity=1)],
    )
    request_return("o-1", request, policy=eu_policy(country="PL"), key="rq", uow=uow, clock=clock)
    receive_return(
        "r-1", items=[ReceivedItem(line_id="l1", quantity=1)], key="rc", uow=uow, clock=clock
    )
    return gateway


def refund(uow, gateway, clock):
    return refund_return("r-1", key="refund", uow=uow, gateway=gateway, clock=clock)


def rma_of(uow):
    with uow:
        return uow.returns.get("r-1")


def assert_refunded_once(uow, gateway):
    order = stored(uow)
    assert (order.payment("p1").refunded, order.payment("p2").refunded) == (
        pln("150"),
        pln("49.99"),
    )
    assert gateway.charged("o-1") == pln("199.99")
    refunds = [t for t in gateway.transactions if t.operation is PaymentOperation.REFUND]
    assert [t.amount for t in refunds] == [pln("150"), pln("49.99")]
    rma = rma_of(uow)
    assert rma.status is RmaStatus.REFUNDED
    assert [part.amount for part in rma.refunds[-1].tenders] == [pln("150"), pln("49.99")]


def test_a_refund_whose_second_part_lost_its_answer_finishes_on_rerun(uow, received, clock):
    received.armed = True

    with pytest.raises(GatewayUnavailableError):
        refund(uow, received, clock)
    order = stored(uow)
    assert order.payment("p1").refunded == pln("150")  # the first part is stored
    assert order.payment("p2").refunded.is_zero()
    assert rma_of(uow).status is RmaStatus.RECEIVED

    refund(uow, received, clock)

    assert_refunded_once(uow, received)
    assert outcomes(received, PaymentOperation.REFUND) == [
        CallOutcome.OK,
        CallOutcome.ANSWER_LOST,
        CallOutcome.REPLAYED,
    ]


@pytest.mark.parametrize("dies_at", [1, 2, 3], ids=["first-part", "second-part", "the-return"])
def test_a_refund_that_crashed_at_any_commit_finishes_on_rerun(uow, received, clock, dies_at):
    uow.crash_on_commit(dies_at)

    with pytest.raises(Crash):
        refund(uow, received, clock)
    assert rma_of(uow).status is RmaStatus.RECEIVED

    rma = refund(uow, received, clock)

    assert rma == rma_of(uow)
    assert_refunded_once(uow, received)
    assert refund(uow, received, clock) == rma  # and a third run changes nothing


# ---------------------------------------------------------------------- cancelling


def test_a_cancel_interrupted_between_the_void_and_the_cancel_finishes_on_rerun(
    uow, gateway, clock
):
    authorized(uow, gateway, clock)
    uow.crash_on_commit(2)  # the void is stored; the cancellation dies

    with pytest.raises(Crash):
        cancel_order("o-1", key="cancel", uow=uow, gateway=gateway, clock=clock)
    order = stored(uow)
    assert order.status is OrderStatus.PLACED
    assert isinstance(order.events[-1], PaymentVoided)

    order = cancel_order("o-1", key="cancel", uow=uow, gateway=gateway, clock=clock)

    assert order.status is OrderStatus.CANCELLED
    assert outcomes(gateway, PaymentOperation.VOID) == [CallOutcome.OK]
    assert gateway.ledger("o-1", "p1").voided == pln("399.98")


def test_a_cancel_whose_void_was_not_stored_voids_once_on_rerun(uow, gateway, clock):
    authorized(uow, gateway, clock)
    uow.crash_on_commit(1)

    with pytest.raises(Crash):
        cancel_order("o-1", key="cancel", uow=uow, gateway=gateway, clock=clock)
    assert stored(uow).payment("p1").voided.is_zero()

    order = cancel_order("o-1", key="cancel", uow=uow, gateway=gateway, clock=clock)

    assert order.status is OrderStatus.CANCELLED
    assert outcomes(gateway, PaymentOperation.VOID) == [CallOutcome.OK, CallOutcome.REPLAYED]
    assert gateway.ledger("o-1", "p1").voided == pln("399.98")


def test_a_cancel_whose_refund_failed_keeps_the_void_and_finishes_on_rerun(uow, gateway, clock):
    authorized(uow, gateway, clock)
    capture_payment(
        "o-1",
        payment_id="p1",
        key="capture",
        amount=pln("100"),
        uow=uow,
        gateway=gateway,
        clock=clock,
    )
    gateway.go_down("refund", times=1)

    with pytest.raises(GatewayUnavailableError):
        cancel_order("o-1", key="cancel", uow=uow, gateway=gateway, clock=clock)
    order = stored(uow)
    assert order.payment("p1").voided == pln("299.98")
    assert order.status is OrderStatus.PLACED

    order = cancel_order("o-1", key="cancel", uow=uow, gateway=gateway, clock=clock)

    assert order.status is OrderStatus.CANCELLED
    assert gateway.charged("o-1").is_zero()
    assert outcomes(gateway, PaymentOperation.VOID) == [CallOutcome.OK]
