"""What a ``FakePaymentGateway`` keeps: its calls, transactions, answers and ledgers.

``GatewayCall`` and ``PaymentLedger`` are the records tests read back (``ecomkit.testing``
re-exports them). The gateway's book holds them, with the first answer given under each
idempotency key, and keeps the ledgers: what a payment can still take, and moving it.
"""

from __future__ import annotations

from typing import Final

import attrs

from ecomkit.errors import PaymentDeclinedError
from ecomkit.money import Money
from ecomkit.ports import PaymentOperation, PaymentTransaction
from ecomkit.testing._fakes import CallOutcome


__all__ = ["GatewayCall", "PaymentLedger"]

_PREFIXES: Final = {
    PaymentOperation.AUTHORIZE: "auth",
    PaymentOperation.CAPTURE: "cap",
    PaymentOperation.VOID: "void",
    PaymentOperation.REFUND: "ref",
}


@attrs.frozen(kw_only=True, weakref_slot=False)
class GatewayCall:
    """One call a [`FakePaymentGateway`][ecomkit.testing.FakePaymentGateway] received.

    Attributes:
        operation: What was asked.
        order_id: The order.
        payment_id: The payment within the order.
        amount: The amount asked for.
        idempotency_key: The key the call came with.
        outcome: How the gateway answered.
        reference: The reference the caller passed (``None`` for an authorization).
        tender: The means of payment (authorizations only).
    """

    operation: PaymentOperation
    order_id: str
    payment_id: str
    amount: Money
    idempotency_key: str
    outcome: CallOutcome
    reference: str | None = None
    tender: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class PaymentLedger:
    """What a [`FakePaymentGateway`][ecomkit.testing.FakePaymentGateway] moved for one payment.

    Attributes:
        order_id: The order.
        payment_id: The payment within the order.
        reference: The authorization's reference (``None`` for an authorization added with
            [`add_authorization`][ecomkit.testing.FakePaymentGateway.add_authorization]
            without one).
        authorized: The amount reserved.
        captured: The amount taken so far.
        voided: The amount released so far.
        refunded: The amount paid back so far.
    """

    order_id: str
    payment_id: str
    reference: str | None
    authorized: Money
    captured: Money
    voided: Money
    refunded: Money

    @property
    def open(self) -> Money:
        """The authorized amount still neither captured nor voided."""
        return self.authorized - self.captured - self.voided

    @property
    def refundable(self) -> Money:
        """The captured amount not refunded yet."""
        return self.captured - self.refunded

    @property
    def charged(self) -> Money:
        """What the customer paid in the end: captured minus refunded."""
        return self.captured - self.refunded


@attrs.frozen(weakref_slot=False)
class _Request:
    """What identifies a request for idempotency: a key may only ever carry one."""

    operation: PaymentOperation
    order_id: str
    payment_id: str
    amount: Money
    tender: str | None

    def describe(self) -> str:
        return f"{self.operation.value} of {self.amount} for {self.order_id}/{self.payment_id}"

    def declined(self, reason: str, code: str | None) -> PaymentDeclinedError:
        """Return the error that declines this request."""
        return PaymentDeclinedError(
            operation=self.operation.value,
            payment_id=self.payment_id,
            reason=reason,
            code=code,
        )


@attrs.frozen(weakref_slot=False)
class _Answer:
    """The first answer given for a key: a transaction, or a decline's reason and code."""

    request: _Request
    transaction: PaymentTransaction | None
    reason: str = ""
    code: str | None = None


class _Book:
    """The gateway's calls, transactions, answers by key and ledgers; used under its lock."""

    __slots__ = ("answers", "calls", "counter", "ledgers", "transactions")

    def __init__(self) -> None:
        self.calls: list[GatewayCall] = []
        self.transactions: list[PaymentTransaction] = []
        self.answers: dict[str, _Answer] = {}
        self.ledgers: dict[tuple[str, str], PaymentLedger] = {}
        self.counter = 0

    def record(
        self, request: _Request, outcome: CallOutcome, *, key: str, reference: str | None
    ) -> None:
        """Add one call to ``calls``."""
        self.calls.append(
            GatewayCall(
                operation=request.operation,
                order_id=request.order_id,
                payment_id=request.payment_id,
                amount=request.amount,
                idempotency_key=key,
                outcome=outcome,
                reference=reference,
                tender=request.tender,
            )
        )

    def refusal(self, request: _Request, reference: str | None) -> tuple[str, str | None] | None:
        """Return why the ledgers refuse a new request (reason, code), or ``None`` to do it."""
        ledger = self.ledgers.get((request.order_id, request.payment_id))
        if request.operation is PaymentOperation.AUTHORIZE:
            return (
                None
                if ledger is None
                else ("the payment is already authorized", "duplicate_payment")
            )
        if ledger is None:
            return "no authorization is known for this payment", "unknown_payment"
        return _ledger_refusal(ledger, request, reference)

    def move(self, request: _Request, *, key: str) -> PaymentTransaction:
        """Do a request the gateway accepted: move the ledger and record the transaction."""
        self.counter += 1
        reference = f"{_PREFIXES[request.operation]}-{self.counter}"
        ids = (request.order_id, request.payment_id)
        if request.operation is PaymentOperation.AUTHORIZE:
            self.ledgers[ids] = _new_ledger(*ids, request.amount, reference)
        else:
            ledger = self.ledgers[ids]
            field = {
                PaymentOperation.CAPTURE: "captured",
                PaymentOperation.VOID: "voided",
                PaymentOperation.REFUND: "refunded",
            }[request.operation]
            moved = getattr(ledger, field) + request.amount
            self.ledgers[ids] = attrs.evolve(ledger, **{field: moved})
        transaction = PaymentTransaction(
            operation=request.operation,
            payment_id=request.payment_id,
            amount=request.amount,
            reference=reference,
            idempotency_key=key,
        )
        self.transactions.append(transaction)
        return transaction


def _ledger_refusal(
    ledger: PaymentLedger, request: _Request, reference: str | None
) -> tuple[str, str | None] | None:
    """Return why *ledger* cannot take a capture, void or refund, or ``None`` when it can."""
    if reference is not None and ledger.reference not in {None, reference}:
        return f"reference {reference!r} is not this payment's", "unknown_payment"
    if request.amount.currency != ledger.authorized.currency:
        return (
            f"the payment is in {ledger.authorized.currency}, not {request.amount.currency}",
            "currency_mismatch",
        )
    if request.operation is PaymentOperation.REFUND:
        available, what = ledger.refundable, "refundable"
    else:
        available, what = ledger.open, "open"
    if request.amount > available:
        return f"only {available} is {what}", "amount_too_large"
    return None


def _new_ledger(
    order_id: str, payment_id: str, amount: Money, reference: str | None
) -> PaymentLedger:
    zero = Money.zero(amount.currency)
    return PaymentLedger(
        order_id=order_id,
        payment_id=payment_id,
        reference=reference,
        authorized=amount,
        captured=zero,
        voided=zero,
        refunded=zero,
    )
