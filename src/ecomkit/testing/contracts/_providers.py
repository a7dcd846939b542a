"""The provider contract suites: pytest classes a host subclasses to check its gateway or carrier.

A host that wraps a payment provider or a parcel carrier for ecomkit checks its adapter
against what the [`PaymentGateway`][ecomkit.ports.PaymentGateway] and
[`Carrier`][ecomkit.ports.Carrier] ports promise by subclassing a suite and overriding
one fixture, typically pointed at the provider's sandbox::

    import pytest
    from ecomkit.money import Money
    from ecomkit.testing.contracts import CarrierContract, PaymentGatewayContract

    class TestMyGateway(PaymentGatewayContract):
        @pytest.fixture
        def gateway(self):
            return MyGateway(api_key=os.environ["PSP_SANDBOX_KEY"])

        @pytest.fixture
        def amount(self):  # optional: the sandbox only takes PLN
            return Money("25.00", "PLN")

    class TestMyCarrier(CarrierContract):
        @pytest.fixture
        def carrier(self):
            return MyCarrier(sandbox=True)

        @pytest.fixture
        def address(self):  # optional: the carrier needs somewhere to send the parcel
            return Address(name="Test", line1="Marszałkowska 1", city="Warszawa",
                           postal_code="00-001", country_code="PL")

Every test makes its own order, payment and shipment ids and idempotency keys from
``uuid4``, so a suite can run again and again against the same sandbox account. The
suites only ask what any honest adapter can do against a sandbox: answer with the asked
amount, return the first answer for a repeated key, refuse a key reused for another
request, and decline a capture of more than was authorized. They do not look into the
provider's books (an adapter exposes no ledger), so "the money moved once" is checked as
"the repeated call answered the same transaction".

Each suite's name ends in ``Contract``, so pytest collects only your ``Test...`` subclass.
"""

# ruff: noqa: S101
# A contract suite is a set of pytest tests shipped in the package: ``assert`` is how
# pytest reports.

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest

from ecomkit.errors import IdempotencyConflictError, PaymentDeclinedError
from ecomkit.money import Money
from ecomkit.orders import Address, LineId, LineQuantity
from ecomkit.ports import (
    Carrier,
    PaymentGateway,
    PaymentOperation,
    PaymentTransaction,
    ShipmentLabel,
    TrackingUpdate,
)


__all__ = ["CarrierContract", "PaymentGatewayContract"]


def _fresh(prefix: str) -> str:
    """Return an id or key no earlier run has used: *prefix* and a random hex string."""
    return f"{prefix}-{uuid.uuid4().hex}"


class _Payment:
    """One payment of a fresh order: its ids, and shortcuts to call the gateway with them."""

    def __init__(self, gateway: PaymentGateway, amount: Money, tender: str) -> None:
        self.gateway = gateway
        self.amount = amount
        self.tender = tender
        self.order_id = _fresh("order")
        self.payment_id = _fresh("payment")
        self.reference: str | None = None

    def authorize(self, *, key: str, amount: Money | None = None) -> PaymentTransaction:
        transaction = self.gateway.authorize(
            order_id=self.order_id,
            payment_id=self.payment_id,
            amount=self.amount if amount is None else amount,
            tender=self.tender,
            idempotency_key=key,
        )
        self.reference = transaction.reference
        return transaction

    def capture(self, *, key: str, amount: Money | None = None) -> PaymentTransaction:
        return self.gateway.capture(
            order_id=self.order_id,
            payment_id=self.payment_id,
            reference=self.reference,
            amount=self.amount if amount is None else amount,
            idempotency_key=key,
        )

    def void(self, *, key: str, amount: Money | None = None) -> PaymentTransaction:
        return self.gateway.void(
            order_id=self.order_id,
            payment_id=self.payment_id,
            reference=self.reference,
            amount=self.amount if amount is None else amount,
            idempotency_key=key,
        )

    def refund(self, *, key: str, amount: Money | None = None) -> PaymentTransaction:
        return self.gateway.refund(
            order_id=self.order_id,
            payment_id=self.payment_id,
            reference=self.reference,
            amount=self.amount if amount is None else amount,
            idempotency_key=key,
        )


def _check_transaction(
    transaction: object,
    *,
    operation: PaymentOperation,
    payment: _Payment,
    key: str,
) -> None:
    assert isinstance(transaction, PaymentTransaction), transaction
    assert transaction.operation is operation
    assert transaction.payment_id == payment.payment_id
    assert transaction.amount == payment.amount
    assert transaction.idempotency_key == key
    assert transaction.reference.strip()


class PaymentGatewayContract:
    """``PaymentGateway``: answers, idempotency by key, conflicts and an over-capture.

    Override [`gateway`][ecomkit.testing.contracts.PaymentGatewayContract.gateway]; override
    [`amount`][ecomkit.testing.contracts.PaymentGatewayContract.amount] and
    [`tender`][ecomkit.testing.contracts.PaymentGatewayContract.tender] when the sandbox
    needs other values.
    """

    @pytest.fixture
    def gateway(self) -> PaymentGateway:
        """Return the gateway under test. Override it in your subclass."""
        msg = (
            "override the gateway fixture in your subclass: return your PaymentGateway "
            "adapter (for instance on the provider's sandbox), e.g.\n"
            "    @pytest.fixture\n"
            "    def gateway(self):\n"
            "        return MyGateway(api_key=SANDBOX_KEY)"
        )
        raise NotImplementedError(msg)

    @pytest.fixture
    def amount(self) -> Money:
        """Return the amount every payment of the suite is for (10.00 EUR unless overridden).

        The suite also uses twice this amount, as "another amount" and as "more than
        was authorized".
        """
        return Money("10.00", "EUR")

    @pytest.fixture
    def tender(self) -> str:
        """Return the means of payment the authorizations use (``"card"`` unless overridden)."""
        return "card"

    @pytest.fixture
    def payment(self, gateway: PaymentGateway, amount: Money, tender: str) -> _Payment:
        """Return a payment of a fresh order, not authorized yet."""
        return _Payment(gateway, amount, tender)

    # ---------------------------------------------------------------- authorize

    def test_an_authorization_answers_the_asked_amount_and_a_reference(
        self, payment: _Payment
    ) -> None:
        """``authorize`` answers an authorization of the amount, with a reference."""
        key = _fresh("authorize")
        transaction = payment.authorize(key=key)
        _check_transaction(
            transaction, operation=PaymentOperation.AUTHORIZE, payment=payment, key=key
        )

    def test_an_authorization_repeated_with_its_key_answers_the_same_transaction(
        self, payment: _Payment
    ) -> None:
        """The same key and request answer an equal transaction (nothing is reserved twice)."""
        key = _fresh("authorize")
        first = payment.authorize(key=key)
        assert payment.authorize(key=key) == first

    def test_an_authorization_key_reused_with_another_amount_is_a_conflict(
        self, payment: _Payment
    ) -> None:
        """The same key with another amount raises ``IdempotencyConflictError``."""
        key = _fresh("authorize")
        payment.authorize(key=key)
        with pytest.raises(IdempotencyConflictError):
            payment.authorize(key=key, amount=payment.amount * 2)

    def test_an_authorization_key_reused_for_another_payment_is_a_conflict(
        self, payment: _Payment, gateway: PaymentGateway
    ) -> None:
        """The same key for another payment raises ``IdempotencyConflictError``."""
        key = _fresh("authorize")
        payment.authorize(key=key)
        other = _Payment(gateway, payment.amount, payment.tender)
        with pytest.raises(IdempotencyConflictError):
            other.authorize(key=key)

    # ---------------------------------------------------------------- capture

    def test_a_capture_of_the_authorized_amount_answers_a_capture(self, payment: _Payment) -> None:
        """``capture`` of the whole authorization answers a capture of that amount."""
        payment.authorize(key=_fresh("authorize"))
        key = _fresh("capture")
        transaction = payment.capture(key=key)
        _check_transaction(
            transaction, operation=PaymentOperation.CAPTURE, payment=payment, key=key
        )

    def test_a_capture_repeated_with_its_key_answers_the_same_transaction(
        self, payment: _Payment
    ) -> None:
        """A repeated capture answers an equal transaction instead of being declined."""
        payment.authorize(key=_fresh("authorize"))
        key = _fresh("capture")
        first = payment.capture(key=key)
        assert payment.capture(key=key) == first

    def test_a_capture_key_reused_with_another_amount_is_a_conflict(
        self, payment: _Payment
    ) -> None:
        """The same capture key with another amount raises ``IdempotencyConflictError``."""
        payment.authorize(key=_fresh("authorize"))
        key = _fresh("capture")
        payment.capture(key=key)
        with pytest.raises(IdempotencyConflictError):
            payment.capture(key=key, amount=payment.amount * 2)

    def test_capturing_more_than_was_authorized_is_declined(self, payment: _Payment) -> None:
        """A capture of more than the authorization raises ``PaymentDeclinedError``."""
        payment.authorize(key=_fresh("authorize"))
        with pytest.raises(PaymentDeclinedError) as caught:
            payment.capture(key=_fresh("capture"), amount=payment.amount * 2)
        assert caught.value.payment_id == payment.payment_id

    # ---------------------------------------------------------------- void

    def test_a_void_of_the_authorization_answers_a_void(self, payment: _Payment) -> None:
        """``void`` of the whole authorization answers a void of that amount."""
        payment.authorize(key=_fresh("authorize"))
        key = _fresh("void")
        transaction = payment.void(key=key)
        _check_transaction(transaction, operation=PaymentOperation.VOID, payment=payment, key=key)

    def test_a_void_repeated_with_its_key_answers_the_same_transaction(
        self, payment: _Payment
    ) -> None:
        """A repeated void answers an equal transaction."""
        payment.authorize(key=_fresh("authorize"))
        key = _fresh("void")
        first = payment.void(key=key)
        assert payment.void(key=key) == first

    def test_a_void_key_reused_with_another_amount_is_a_conflict(self, payment: _Payment) -> None:
        """The same void key with another amount raises ``IdempotencyConflictError``."""
        payment.authorize(key=_fresh("authorize"))
        key = _fresh("void")
        payment.void(key=key)
        with pytest.raises(IdempotencyConflictError):
            payment.void(key=key, amount=payment.amount * 2)

    # ---------------------------------------------------------------- refund

    def test_a_refund_of_the_capture_answers_a_refund(self, payment: _Payment) -> None:
        """``refund`` of the whole capture answers a refund of that amount."""
        payment.authorize(key=_fresh("authorize"))
        payment.capture(key=_fresh("capture"))
        key = _fresh("refund")
        transaction = payment.refund(key=key)
        _check_transaction(transaction, operation=PaymentOperation.REFUND, payment=payment, key=key)

    def test_a_refund_repeated_with_its_key_answers_the_same_transaction(
        self, payment: _Payment
    ) -> None:
        """A repeated refund answers an equal transaction instead of paying back twice."""
        payment.authorize(key=_fresh("authorize"))
        payment.capture(key=_fresh("capture"))
        key = _fresh("refund")
        first = payment.refund(key=key)
        assert payment.refund(key=key) == first

    def test_a_refund_key_reused_with_another_amount_is_a_conflict(self, payment: _Payment) -> None:
        """The same refund key with another amount raises ``IdempotencyConflictError``."""
        payment.authorize(key=_fresh("authorize"))
        payment.capture(key=_fresh("capture"))
        key = _fresh("refund")
        payment.refund(key=key)
        with pytest.raises(IdempotencyConflictError):
            payment.refund(key=key, amount=payment.amount * 2)


class CarrierContract:
    """``Carrier``: labels, idempotency by key, conflicts and tracking of a fresh label.

    Override [`carrier`][ecomkit.testing.contracts.CarrierContract.carrier]; override
    [`address`][ecomkit.testing.contracts.CarrierContract.address] and
    [`lines`][ecomkit.testing.contracts.CarrierContract.lines] when the carrier needs them.
    """

    @pytest.fixture
    def carrier(self) -> Carrier:
        """Return the carrier under test. Override it in your subclass."""
        msg = (
            "override the carrier fixture in your subclass: return your Carrier adapter "
            "(for instance on the carrier's sandbox), e.g.\n"
            "    @pytest.fixture\n"
            "    def carrier(self):\n"
            "        return MyCarrier(sandbox=True)"
        )
        raise NotImplementedError(msg)

    @pytest.fixture
    def address(self) -> Address | None:
        """Return where the suite's parcels go (``None`` unless overridden)."""
        return None

    @pytest.fixture
    def lines(self) -> Sequence[LineQuantity]:
        """Return the units of the suite's parcels (one unit of line ``l1`` unless overridden).

        The suite also books one more unit of the first line, as "other lines".
        """
        return (LineQuantity(line_id=LineId("l1"), quantity=1),)

    def _book(
        self,
        carrier: Carrier,
        *,
        key: str,
        order_id: str,
        shipment_id: str,
        lines: Sequence[LineQuantity],
        address: Address | None,
    ) -> ShipmentLabel:
        return carrier.create_shipment(
            order_id=order_id,
            shipment_id=shipment_id,
            lines=lines,
            address=address,
            idempotency_key=key,
        )

    def test_a_booking_answers_a_label_with_a_carrier_and_a_tracking_number(
        self, carrier: Carrier, lines: Sequence[LineQuantity], address: Address | None
    ) -> None:
        """``create_shipment`` answers a label naming the carrier and the tracking number."""
        label = self._book(
            carrier,
            key=_fresh("ship"),
            order_id=_fresh("order"),
            shipment_id=_fresh("shipment"),
            lines=lines,
            address=address,
        )
        assert isinstance(label, ShipmentLabel), label
        assert label.carrier.strip()
        assert label.tracking_number.strip()

    def test_a_booking_repeated_with_its_key_answers_the_same_label(
        self, carrier: Carrier, lines: Sequence[LineQuantity], address: Address | None
    ) -> None:
        """The same key and request answer an equal label (no second parcel)."""
        request = {
            "key": _fresh("ship"),
            "order_id": _fresh("order"),
            "shipment_id": _fresh("shipment"),
        }
        first = self._book(carrier, **request, lines=lines, address=address)
        assert self._book(carrier, **request, lines=lines, address=address) == first

    def test_a_booking_key_reused_for_another_shipment_is_a_conflict(
        self, carrier: Carrier, lines: Sequence[LineQuantity], address: Address | None
    ) -> None:
        """The same key for another shipment raises ``IdempotencyConflictError``."""
        key, order_id = _fresh("ship"), _fresh("order")
        self._book(
            carrier,
            key=key,
            order_id=order_id,
            shipment_id=_fresh("shipment"),
            lines=lines,
            address=address,
        )
        with pytest.raises(IdempotencyConflictError):
            self._book(
                carrier,
                key=key,
                order_id=order_id,
                shipment_id=_fresh("shipment"),
                lines=lines,
                address=address,
            )

    def test_a_booking_key_reused_with_other_lines_is_a_conflict(
        self, carrier: Carrier, lines: Sequence[LineQuantity], address: Address | None
    ) -> None:
        """The same key with other units raises ``IdempotencyConflictError``."""
        request = {
            "key": _fresh("ship"),
            "order_id": _fresh("order"),
            "shipment_id": _fresh("shipment"),
        }
        self._book(carrier, **request, lines=lines, address=address)
        first, *rest = lines
        more = LineQuantity(line_id=first.line_id, quantity=first.quantity + 1)
        with pytest.raises(IdempotencyConflictError):
            self._book(carrier, **request, lines=(more, *rest), address=address)

    def test_bookings_with_their_own_keys_get_their_own_tracking_numbers(
        self, carrier: Carrier, lines: Sequence[LineQuantity], address: Address | None
    ) -> None:
        """Two shipments booked with two keys are two parcels."""
        order_id = _fresh("order")

        def book() -> str:
            return self._book(
                carrier,
                key=_fresh("ship"),
                order_id=order_id,
                shipment_id=_fresh("shipment"),
                lines=lines,
                address=address,
            ).tracking_number

        first, second = book(), book()
        assert first != second

    def test_tracking_a_fresh_label_answers_its_updates_oldest_first(
        self, carrier: Carrier, lines: Sequence[LineQuantity], address: Address | None
    ) -> None:
        """``track`` of a new parcel answers a sequence (maybe empty) of its updates in order."""
        label = self._book(
            carrier,
            key=_fresh("ship"),
            order_id=_fresh("order"),
            shipment_id=_fresh("shipment"),
            lines=lines,
            address=address,
        )
        updates = carrier.track(label.tracking_number)
        assert isinstance(updates, Sequence), updates
        assert all(isinstance(update, TrackingUpdate) for update in updates), updates
        assert {update.tracking_number for update in updates} <= {label.tracking_number}
        times = [update.at for update in updates]
        assert times == sorted(times)
