"""ecomkit.testing.FakePaymentGateway: a strict in-memory payment provider for tests."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from decimal import Decimal

import pytest

import ecomkit.testing
from ecomkit.errors import (
    GatewayUnavailableError,
    IdempotencyConflictError,
    InvalidTypeError,
    InvalidValueError,
    PaymentDeclinedError,
)
from ecomkit.money import Money
from ecomkit.ports import PaymentGateway, PaymentOperation, PaymentTransaction
from ecomkit.testing import CallOutcome, FakePaymentGateway, GatewayCall, PaymentLedger


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def authorize(gateway, *, amount="30.00", payment_id="p-1", key="k-auth", order_id="o-1"):
    return gateway.authorize(
        order_id=order_id,
        payment_id=payment_id,
        amount=eur(amount) if isinstance(amount, str) else amount,
        tender="card",
        idempotency_key=key,
    )


def move(gateway, operation, *, amount, key, payment_id="p-1", reference=None, order_id="o-1"):
    method = getattr(gateway, operation)
    return method(
        order_id=order_id,
        payment_id=payment_id,
        reference=reference,
        amount=eur(amount) if isinstance(amount, str) else amount,
        idempotency_key=key,
    )


def outcomes(gateway):
    return [call.outcome for call in gateway.calls]


@pytest.fixture
def gateway():
    return FakePaymentGateway()


@pytest.fixture
def authorized(gateway):
    """A gateway holding an authorization of 30.00 EUR for o-1/p-1 (reference auth-1)."""
    authorize(gateway)
    return gateway


class TestPackage:
    def test_the_fakes_and_their_records_are_exported(self):
        assert {
            "BookedShipment",
            "CallOutcome",
            "CarrierCall",
            "FakeCarrier",
            "FakePaymentGateway",
            "GatewayCall",
            "PaymentLedger",
            "RecordingNotifier",
            "RecordingPublisher",
        } <= set(ecomkit.testing.__all__)

    def test_importing_the_kit_imports_neither_pytest_nor_hypothesis(self):
        code = (
            "import json, sys, ecomkit.testing\n"
            "print(json.dumps([m for m in ('pytest', 'hypothesis') if m in sys.modules]))"
        )
        result = subprocess.run(  # noqa: S603 - this interpreter and a literal snippet
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert json.loads(result.stdout) == []


class TestTheHappyPath:
    def test_it_satisfies_the_payment_gateway_protocol(self, gateway):
        port: PaymentGateway = gateway
        assert port is gateway

    def test_authorize_answers_the_asked_amount_with_the_first_reference(self, gateway):
        transaction = authorize(gateway)
        assert transaction == PaymentTransaction(
            operation=PaymentOperation.AUTHORIZE,
            payment_id="p-1",
            amount=eur("30.00"),
            reference="auth-1",
            idempotency_key="k-auth",
        )
        assert gateway.transactions == (transaction,)

    def test_references_count_across_operations_in_the_order_transactions_happen(self, authorized):
        captured = move(authorized, "capture", amount="20.00", key="k-cap", reference="auth-1")
        voided = move(authorized, "void", amount="10.00", key="k-void")
        refunded = move(authorized, "refund", amount="5.00", key="k-ref")
        assert [captured.reference, voided.reference, refunded.reference] == [
            "cap-2",
            "void-3",
            "ref-4",
        ]

    def test_the_ledger_follows_every_move(self, authorized):
        move(authorized, "capture", amount="20.00", key="k-cap")
        move(authorized, "void", amount="10.00", key="k-void")
        move(authorized, "refund", amount="5.00", key="k-ref")
        assert authorized.ledger("o-1", "p-1") == PaymentLedger(
            order_id="o-1",
            payment_id="p-1",
            reference="auth-1",
            authorized=eur("30.00"),
            captured=eur("20.00"),
            voided=eur("10.00"),
            refunded=eur("5.00"),
        )
        ledger = authorized.ledger("o-1", "p-1")
        assert ledger is not None
        assert (ledger.open, ledger.refundable, ledger.charged) == (
            eur("0.00"),
            eur("15.00"),
            eur("15.00"),
        )

    def test_an_unknown_payment_has_no_ledger_and_an_unknown_order_no_charge(self, gateway):
        assert gateway.ledger("o-1", "p-1") is None
        assert gateway.charged("o-1") is None

    def test_charged_sums_captured_minus_refunded_over_the_orders_payments(self, gateway):
        authorize(gateway, payment_id="p-1", key="a1")
        authorize(gateway, payment_id="p-2", key="a2", amount="12.00")
        authorize(gateway, order_id="o-2", payment_id="p-1", key="a3")
        move(gateway, "capture", amount="30.00", key="c1")
        move(gateway, "capture", payment_id="p-2", amount="12.00", key="c2")
        move(gateway, "refund", amount="2.50", key="r1")
        assert gateway.charged("o-1") == eur("39.50")
        assert gateway.charged("o-2") == eur("0.00")

    def test_every_call_is_recorded_with_what_it_asked(self, authorized):
        move(authorized, "capture", amount="30.00", key="k-cap", reference="auth-1")
        assert authorized.calls == (
            GatewayCall(
                operation=PaymentOperation.AUTHORIZE,
                order_id="o-1",
                payment_id="p-1",
                amount=eur("30.00"),
                idempotency_key="k-auth",
                outcome=CallOutcome.OK,
                tender="card",
            ),
            GatewayCall(
                operation=PaymentOperation.CAPTURE,
                order_id="o-1",
                payment_id="p-1",
                amount=eur("30.00"),
                idempotency_key="k-cap",
                outcome=CallOutcome.OK,
                reference="auth-1",
            ),
        )

    def test_an_authorization_made_elsewhere_can_be_captured(self, gateway):
        gateway.add_authorization(order_id="o-1", payment_id="p-1", amount=eur("9.99"))
        captured = move(gateway, "capture", amount="9.99", key="k-cap")
        assert captured.reference == "cap-1"
        assert gateway.charged("o-1") == eur("9.99")
        assert [call.operation for call in gateway.calls] == [PaymentOperation.CAPTURE]

    def test_the_repr_shows_the_counts_and_the_scripted_faults(self, authorized):
        assert repr(authorized) == (
            "FakePaymentGateway(provider='fake-gateway', calls=1, transactions=1)"
        )
        authorized.go_down("capture")
        assert repr(authorized) == (
            "FakePaymentGateway(provider='fake-gateway', calls=1, transactions=1, "
            "faults=['down:capture'])"
        )


class TestIdempotency:
    def test_the_same_key_and_request_returns_the_first_transaction_and_moves_nothing(
        self, authorized
    ):
        first = move(authorized, "capture", amount="30.00", key="k-cap")
        again = move(authorized, "capture", amount="30.00", key="k-cap")
        assert again == first
        assert len(authorized.transactions) == 2
        assert authorized.charged("o-1") == eur("30.00")
        assert outcomes(authorized) == [CallOutcome.OK, CallOutcome.OK, CallOutcome.REPLAYED]

    def test_a_retried_authorization_returns_the_first_one(self, gateway):
        assert authorize(gateway) == authorize(gateway)
        assert len(gateway.transactions) == 1

    def test_an_equal_amount_written_differently_is_the_same_request(self, authorized):
        first = move(authorized, "capture", amount="30.00", key="k-cap")
        assert move(authorized, "capture", amount=Money(Decimal("30.0"), "EUR"), key="k-cap") == (
            first
        )

    def test_the_reference_passed_is_not_part_of_the_request(self, authorized):
        first = move(authorized, "capture", amount="30.00", key="k-cap", reference="auth-1")
        assert move(authorized, "capture", amount="30.00", key="k-cap") == first

    @pytest.mark.parametrize(
        ("field", "value"),
        [("amount", "20.00"), ("payment_id", "p-2"), ("order_id", "o-2")],
    )
    def test_the_same_key_with_another_request_is_a_conflict_and_moves_nothing(
        self, authorized, field, value
    ):
        move(authorized, "capture", amount="10.00", key="k-cap")
        arguments = {"amount": "10.00", "key": "k-cap", field: value}
        with pytest.raises(IdempotencyConflictError) as caught:
            move(authorized, "capture", **arguments)
        assert caught.value.key == "k-cap"
        assert caught.value.first == "capture of 10.00 EUR for o-1/p-1"
        assert authorized.charged("o-1") == eur("10.00")
        assert outcomes(authorized)[-1] is CallOutcome.CONFLICT

    def test_a_key_used_for_an_authorization_cannot_capture(self, authorized):
        with pytest.raises(IdempotencyConflictError, match=r"authorize of 30\.00 EUR"):
            move(authorized, "capture", amount="30.00", key="k-auth")
        assert authorized.charged("o-1") == eur("0")

    def test_an_authorization_with_another_tender_is_a_conflict(self, authorized):
        with pytest.raises(IdempotencyConflictError):
            authorized.authorize(
                order_id="o-1",
                payment_id="p-1",
                amount=eur("30.00"),
                tender="paypal",
                idempotency_key="k-auth",
            )


class TestRefusals:
    def test_capturing_more_than_authorized_is_declined_and_moves_nothing(self, authorized):
        with pytest.raises(PaymentDeclinedError) as caught:
            move(authorized, "capture", amount="30.01", key="k-cap")
        assert (caught.value.operation, caught.value.payment_id, caught.value.code) == (
            "capture",
            "p-1",
            "amount_too_large",
        )
        assert caught.value.reason == "only 30.00 EUR is open"
        assert authorized.charged("o-1") == eur("0")
        assert len(authorized.transactions) == 1
        assert outcomes(authorized)[-1] is CallOutcome.DECLINED

    def test_captures_add_up_against_the_authorization(self, authorized):
        move(authorized, "capture", amount="20.00", key="c1")
        with pytest.raises(PaymentDeclinedError, match=r"only 10\.00 EUR is open"):
            move(authorized, "capture", amount="10.01", key="c2")
        move(authorized, "capture", amount="10.00", key="c3")
        assert authorized.charged("o-1") == eur("30.00")

    def test_a_voided_amount_cannot_be_captured_any_more(self, authorized):
        move(authorized, "void", amount="25.00", key="v1")
        with pytest.raises(PaymentDeclinedError, match="amount_too_large"):
            move(authorized, "capture", amount="5.01", key="c1")
        with pytest.raises(PaymentDeclinedError, match="amount_too_large"):
            move(authorized, "void", amount="5.01", key="v2")

    def test_refunding_more_than_captured_is_declined(self, authorized):
        move(authorized, "capture", amount="10.00", key="c1")
        move(authorized, "refund", amount="4.00", key="r1")
        with pytest.raises(PaymentDeclinedError, match=r"only 6\.00 EUR is refundable"):
            move(authorized, "refund", amount="6.01", key="r2")

    def test_refunding_before_any_capture_is_declined(self, authorized):
        with pytest.raises(PaymentDeclinedError) as caught:
            move(authorized, "refund", amount="1.00", key="r1")
        assert caught.value.code == "amount_too_large"

    @pytest.mark.parametrize("operation", ["capture", "void", "refund"])
    def test_moving_money_of_an_unknown_payment_is_declined(self, gateway, operation):
        with pytest.raises(PaymentDeclinedError) as caught:
            move(gateway, operation, amount="1.00", key="k")
        assert caught.value.code == "unknown_payment"
        assert gateway.ledger("o-1", "p-1") is None

    def test_a_reference_that_is_not_the_payments_is_declined(self, authorized):
        with pytest.raises(PaymentDeclinedError) as caught:
            move(authorized, "capture", amount="1.00", key="k", reference="auth-99")
        assert caught.value.code == "unknown_payment"

    def test_an_amount_in_another_currency_is_declined(self, authorized):
        with pytest.raises(PaymentDeclinedError) as caught:
            move(authorized, "capture", amount=Money("1.00", "USD"), key="k")
        assert caught.value.code == "currency_mismatch"

    def test_authorizing_a_payment_twice_under_new_keys_is_declined(self, authorized):
        with pytest.raises(PaymentDeclinedError) as caught:
            authorize(authorized, key="k-auth-2")
        assert caught.value.code == "duplicate_payment"
        assert len(authorized.transactions) == 1


class TestScriptedDeclines:
    def test_the_next_n_calls_of_an_operation_are_declined_with_the_reason_and_code(self, gateway):
        gateway.decline("authorize", times=2, reason="insufficient funds", code="nsf")
        for key in ("a1", "a2"):
            with pytest.raises(PaymentDeclinedError) as caught:
                authorize(gateway, key=key)
            assert (caught.value.reason, caught.value.code) == ("insufficient funds", "nsf")
        assert authorize(gateway, key="a3").reference == "auth-1"
        assert outcomes(gateway) == [CallOutcome.DECLINED, CallOutcome.DECLINED, CallOutcome.OK]

    def test_a_decline_without_times_lasts_until_the_faults_are_cleared(self, gateway):
        gateway.decline()
        for key in ("a1", "a2", "a3"):
            with pytest.raises(PaymentDeclinedError, match="card_declined"):
                authorize(gateway, key=key)
        gateway.clear_faults()
        assert authorize(gateway, key="a4").operation is PaymentOperation.AUTHORIZE

    def test_the_constructor_can_decline_an_operation_from_the_start(self):
        gateway = FakePaymentGateway(decline="capture")
        authorize(gateway)
        with pytest.raises(PaymentDeclinedError):
            move(gateway, "capture", amount="1.00", key="c1")

    def test_a_decline_hits_only_the_operations_it_names(self, authorized):
        authorized.decline(["refund", PaymentOperation.VOID])
        move(authorized, "capture", amount="1.00", key="c1")
        with pytest.raises(PaymentDeclinedError):
            move(authorized, "void", amount="1.00", key="v1")

    def test_a_declined_key_is_declined_again_even_after_the_faults_are_cleared(self, gateway):
        gateway.decline("authorize", times=1, code="do_not_honor")
        with pytest.raises(PaymentDeclinedError):
            authorize(gateway)
        gateway.clear_faults()
        with pytest.raises(PaymentDeclinedError) as caught:
            authorize(gateway)
        assert caught.value.code == "do_not_honor"
        assert gateway.transactions == ()
        assert authorize(gateway, key="a-new").reference == "auth-1"

    def test_a_decline_does_not_touch_replays_of_earlier_successes(self, authorized):
        authorized.decline("authorize")
        assert authorize(authorized).reference == "auth-1"


class TestOutages:
    def test_an_outage_before_the_work_raises_and_does_nothing(self, authorized):
        authorized.go_down("capture", reason="503 from the gateway")
        with pytest.raises(GatewayUnavailableError) as caught:
            move(authorized, "capture", amount="30.00", key="k-cap")
        assert (caught.value.provider, caught.value.operation, caught.value.reason) == (
            "fake-gateway",
            "capture",
            "503 from the gateway",
        )
        assert authorized.charged("o-1") == eur("0")
        assert len(authorized.transactions) == 1
        assert outcomes(authorized)[-1] is CallOutcome.UNAVAILABLE

    def test_a_retry_after_an_outage_does_the_work_once(self, authorized):
        authorized.go_down("capture", times=2)
        for _ in range(2):
            with pytest.raises(GatewayUnavailableError):
                move(authorized, "capture", amount="30.00", key="k-cap")
        assert move(authorized, "capture", amount="30.00", key="k-cap").reference == "cap-2"
        assert authorized.charged("o-1") == eur("30.00")

    def test_an_outage_hits_replays_too(self, authorized):
        authorized.go_down(None, times=1)
        with pytest.raises(GatewayUnavailableError):
            authorize(authorized)
        assert authorize(authorized).reference == "auth-1"

    def test_a_lost_answer_means_the_work_was_done_and_the_retry_returns_it(self, authorized):
        authorized.lose_answers("capture")
        with pytest.raises(GatewayUnavailableError):
            move(authorized, "capture", amount="30.00", key="k-cap")
        assert authorized.charged("o-1") == eur("30.00")
        captured = move(authorized, "capture", amount="30.00", key="k-cap")
        assert captured.reference == "cap-2"
        assert authorized.transactions[-1] == captured
        assert authorized.charged("o-1") == eur("30.00")
        assert outcomes(authorized)[1:] == [CallOutcome.ANSWER_LOST, CallOutcome.REPLAYED]

    def test_a_lost_answer_fault_is_not_used_up_by_a_decline(self, authorized):
        authorized.lose_answers("capture", times=1)
        with pytest.raises(PaymentDeclinedError):
            move(authorized, "capture", amount="99.00", key="c1")
        with pytest.raises(GatewayUnavailableError):
            move(authorized, "capture", amount="1.00", key="c2")
        assert move(authorized, "capture", amount="1.00", key="c3").reference == "cap-3"

    def test_answers_lost_for_good_until_the_faults_are_cleared(self, gateway):
        gateway.lose_answers(times=None)
        for _ in range(3):
            with pytest.raises(GatewayUnavailableError):
                authorize(gateway)
        gateway.clear_faults()
        assert authorize(gateway).reference == "auth-1"
        assert len(gateway.transactions) == 1


class TestBadInput:
    @pytest.mark.parametrize("amount", ["30.00", 30, Decimal(30), None])
    def test_an_amount_that_is_not_money_is_refused_and_not_recorded(self, gateway, amount):
        with pytest.raises(InvalidTypeError) as caught:
            gateway.authorize(
                order_id="o-1", payment_id="p-1", amount=amount, tender="card", idempotency_key="k"
            )
        assert caught.value.field == "amount"
        assert gateway.calls == ()

    @pytest.mark.parametrize("amount", ["0.00", "-1.00"])
    def test_an_amount_that_is_not_positive_is_refused(self, authorized, amount):
        with pytest.raises(InvalidValueError) as caught:
            move(authorized, "capture", amount=amount, key="k")
        assert caught.value.field == "amount"

    @pytest.mark.parametrize(
        ("field", "value", "error"),
        [
            ("idempotency_key", "  ", InvalidValueError),
            ("idempotency_key", None, InvalidTypeError),
            ("order_id", "", InvalidValueError),
            ("payment_id", 7, InvalidTypeError),
            ("tender", "", InvalidValueError),
        ],
    )
    def test_blank_or_mistyped_texts_are_refused_naming_the_field(
        self, gateway, field, value, error
    ):
        arguments = {
            "order_id": "o-1",
            "payment_id": "p-1",
            "amount": eur("1.00"),
            "tender": "card",
            "idempotency_key": "k",
            field: value,
        }
        with pytest.raises(error) as caught:
            gateway.authorize(**arguments)
        assert caught.value.field == field
        assert gateway.calls == ()

    def test_a_blank_reference_is_refused(self, authorized):
        with pytest.raises(InvalidValueError) as caught:
            move(authorized, "capture", amount="1.00", key="k", reference=" ")
        assert caught.value.field == "reference"

    @pytest.mark.parametrize(
        ("arguments", "error", "field"),
        [
            ({"operation": "settle"}, InvalidValueError, "operation"),
            ({"operation": []}, InvalidValueError, "operation"),
            ({"operation": 3}, InvalidTypeError, "operation"),
            ({"times": 0}, InvalidValueError, "times"),
            ({"times": True}, InvalidTypeError, "times"),
            ({"reason": ""}, InvalidValueError, "reason"),
            ({"code": ""}, InvalidValueError, "code"),
        ],
    )
    def test_a_bad_decline_script_is_refused(self, gateway, arguments, error, field):
        with pytest.raises(error) as caught:
            gateway.decline(**arguments)
        assert caught.value.field == field
        assert "faults" not in repr(gateway)

    def test_a_blank_provider_name_is_refused(self):
        with pytest.raises(InvalidValueError, match="provider"):
            FakePaymentGateway(provider="")

    def test_an_authorization_added_twice_is_refused(self, authorized):
        with pytest.raises(InvalidValueError) as caught:
            authorized.add_authorization(order_id="o-1", payment_id="p-1", amount=eur("1.00"))
        assert caught.value.field == "payment_id"


class TestThreads:
    THREADS = 8

    def run_together(self, work):
        barrier = threading.Barrier(self.THREADS)
        results: list[object] = []
        lock = threading.Lock()

        def worker(index):
            barrier.wait()
            try:
                result: object = work(index)
            except Exception as error:  # noqa: BLE001 - collected for the assertions
                result = error
            with lock:
                results.append(result)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(self.THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def test_a_capture_retried_from_many_threads_at_once_moves_the_money_once(self, authorized):
        results = self.run_together(
            lambda _: move(authorized, "capture", amount="30.00", key="k-cap")
        )
        assert len(set(results)) == 1
        assert authorized.charged("o-1") == eur("30.00")
        assert sorted(outcomes(authorized)[1:]) == sorted(
            [CallOutcome.OK] + [CallOutcome.REPLAYED] * (self.THREADS - 1)
        )

    def test_concurrent_captures_never_take_more_than_was_authorized(self, authorized):
        # Eight captures of 5.00 against 30.00: exactly six can succeed, whoever comes first.
        results = self.run_together(
            lambda index: move(authorized, "capture", amount="5.00", key=f"c{index}")
        )
        taken = [result for result in results if isinstance(result, PaymentTransaction)]
        declined = [result for result in results if isinstance(result, PaymentDeclinedError)]
        assert (len(taken), len(declined)) == (6, 2)
        assert authorized.charged("o-1") == eur("30.00")
        assert {transaction.reference for transaction in taken} == {f"cap-{n}" for n in range(2, 8)}
