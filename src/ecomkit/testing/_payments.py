"""``FakePaymentGateway``: an in-memory payment provider with a ledger and scripted faults."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ecomkit.errors import (  # noqa: F401 - named in Raises sections, linked in the reference
    GatewayUnavailableError,
    IdempotencyConflictError,
    InvalidTypeError,
    InvalidValueError,
    PaymentDeclinedError,
)
from ecomkit.money import Money
from ecomkit.orders._values import check_optional_text, check_text
from ecomkit.ports import PaymentOperation, PaymentTransaction
from ecomkit.testing._fakes import CallOutcome, FaultScript, check_optional_code, check_times
from ecomkit.testing._payment_records import (
    GatewayCall,
    PaymentLedger,
    _Answer,
    _Book,
    _new_ledger,
    _Request,
)


__all__ = ["FakePaymentGateway", "GatewayCall", "PaymentLedger"]

_DECLINE, _DOWN, _LOST = "refuse", "down", "lost"


def _operations(value: object) -> tuple[PaymentOperation, ...]:
    """Return the operations *value* names: one, several, or every one for ``None``."""
    if value is None:
        return tuple(PaymentOperation)
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, Iterable):
        raise InvalidTypeError(
            field="operation", value=value, expected="a PaymentOperation, several, or None"
        )
    found = []
    for item in items:
        try:
            found.append(PaymentOperation(item))
        except ValueError:
            raise InvalidValueError(
                field="operation",
                value=item,
                reason=f"must be one of {', '.join(op.value for op in PaymentOperation)}",
            ) from None
    return tuple(found)


def _positive_money(value: object) -> Money:
    if not isinstance(value, Money):
        raise InvalidTypeError(field="amount", value=value, expected="Money")
    if not value.is_positive():
        raise InvalidValueError(field="amount", value=value, reason="must be positive")
    return value


class FakePaymentGateway:
    """A [`PaymentGateway`][ecomkit.ports.PaymentGateway] in memory, strict like a real one.

    It keeps a ledger per payment (``order_id``, ``payment_id``) and refuses what a real
    provider refuses, with [`PaymentDeclinedError`][ecomkit.errors.PaymentDeclinedError]
    and a ``code``:

    - ``"unknown_payment"``: capture, void or refund of a payment it never authorized
      (an authorization made elsewhere can be added with
      [`add_authorization`][ecomkit.testing.FakePaymentGateway.add_authorization]), or a
      ``reference`` that is not the payment's;
    - ``"duplicate_payment"``: a second authorization of the same payment under a new key;
    - ``"currency_mismatch"``: an amount in another currency than the authorization;
    - ``"amount_too_large"``: capturing or voiding more than is open (authorized minus
      captured minus voided) or refunding more than is captured and not refunded.

    **Idempotency.** Every answer is kept under its key, declines included, as real
    providers do: the same key with the same request gets the first answer again (the same
    transaction, or the same decline) and moves nothing; the same key with another request
    (another operation, order, payment, amount or tender) raises
    [`IdempotencyConflictError`][ecomkit.errors.IdempotencyConflictError]. The ``reference``
    a caller passes is checked but is not part of the request.

    **Scripted faults**, each for one operation, several, or all of them (``None``):

    - [`decline`][ecomkit.testing.FakePaymentGateway.decline]: new requests are declined
      with a reason and a code (replays of earlier answers are not affected);
    - [`go_down`][ecomkit.testing.FakePaymentGateway.go_down]: calls raise
      [`GatewayUnavailableError`][ecomkit.errors.GatewayUnavailableError] and nothing
      happens;
    - [`lose_answers`][ecomkit.testing.FakePaymentGateway.lose_answers]: calls that
      succeed do their work (the transaction is recorded and the money moves), then raise
      ``GatewayUnavailableError``; calling again with the same key returns the transaction.

    Each takes ``times``: the next *n* calls it applies to, or ``None`` for every call until
    [`clear_faults`][ecomkit.testing.FakePaymentGateway.clear_faults]. When several apply,
    an outage comes first, then idempotency, then a decline.

    **For assertions:** [`calls`][ecomkit.testing.FakePaymentGateway.calls] (every call,
    repeats and failures included; calls with invalid arguments raise before being
    recorded), [`transactions`][ecomkit.testing.FakePaymentGateway.transactions] (the
    distinct successful ones), [`ledger`][ecomkit.testing.FakePaymentGateway.ledger] and
    [`charged`][ecomkit.testing.FakePaymentGateway.charged]. References are ``"auth-1"``,
    ``"cap-2"``, ``"void-3"``, ``"ref-4"`` ... from one counter, in the order transactions
    happen. Every method is thread-safe.

    Args:
        provider: The name used in ``GatewayUnavailableError``.
        decline: Operations to decline on every new request from the start (as
            ``decline(operation)`` would).

    Raises:
        InvalidValueError: *provider* is blank, or *decline* names no operation.

    Examples:
        >>> from ecomkit.money import Money
        >>> gateway = FakePaymentGateway()
        >>> auth = gateway.authorize(
        ...     order_id="o-1", payment_id="p-1", amount=Money("30.00", "EUR"),
        ...     tender="card", idempotency_key="o-1:auth",
        ... )
        >>> auth.reference
        'auth-1'
        >>> for _ in range(2):  # a retried capture moves the money once
        ...     capture = gateway.capture(
        ...         order_id="o-1", payment_id="p-1", reference=auth.reference,
        ...         amount=Money("30.00", "EUR"), idempotency_key="o-1:capture",
        ...     )
        >>> [call.outcome.value for call in gateway.calls]
        ['ok', 'ok', 'replayed']
        >>> gateway.charged("o-1")
        Money('30.00', 'EUR')
        >>> gateway.decline("refund", times=1, code="insufficient_funds")
        >>> gateway.refund(
        ...     order_id="o-1", payment_id="p-1", reference=auth.reference,
        ...     amount=Money("5.00", "EUR"), idempotency_key="o-1:refund",
        ... )
        Traceback (most recent call last):
        ...
        ecomkit.errors.PaymentDeclinedError: refund of payment 'p-1' declined: ...
    """

    __slots__ = ("_book", "_faults", "_lock", "_provider")

    def __init__(
        self,
        *,
        provider: str = "fake-gateway",
        decline: PaymentOperation | str | Iterable[PaymentOperation | str] = (),
    ) -> None:
        self._provider = check_text(provider, field="provider")
        self._lock = threading.Lock()
        self._book = _Book()
        self._faults = FaultScript()
        operations = _operations(decline)
        if operations:
            self.decline(operations)

    # ---------------------------------------------------------------- the port

    def authorize(
        self, *, order_id: str, payment_id: str, amount: Money, tender: str, idempotency_key: str
    ) -> PaymentTransaction:
        """Reserve *amount* for a new payment of an order.

        Args:
            order_id: The order.
            payment_id: The payment within the order; it must be new to the gateway.
            amount: The amount to reserve.
            tender: The means of payment (``"card"`` ...); part of the request.
            idempotency_key: The key that makes a retry safe.

        Returns:
            The authorization, whose ``reference`` later calls pass back.

        Raises:
            PaymentDeclinedError: A scripted decline, or the payment is already authorized.
            GatewayUnavailableError: A scripted outage.
            IdempotencyConflictError: The key was used for another request.
            InvalidTypeError: An argument has the wrong type (nothing is recorded).
            InvalidValueError: A text is blank or *amount* is not positive.
        """
        checked_tender = check_text(tender, field="tender")
        return self._call(
            PaymentOperation.AUTHORIZE,
            order_id=order_id,
            payment_id=payment_id,
            amount=amount,
            idempotency_key=idempotency_key,
            reference=None,
            tender=checked_tender,
        )

    def capture(
        self,
        *,
        order_id: str,
        payment_id: str,
        reference: str | None,
        amount: Money,
        idempotency_key: str,
    ) -> PaymentTransaction:
        """Take *amount* of an authorized payment.

        Args:
            order_id: The order.
            payment_id: The payment within the order.
            reference: The authorization's reference, or ``None``.
            amount: The amount to take; at most what is open.
            idempotency_key: The key that makes a retry safe.

        Returns:
            The capture.

        Raises:
            PaymentDeclinedError: A scripted decline, an unknown payment or reference,
                another currency, or more than is open.
            GatewayUnavailableError: A scripted outage.
            IdempotencyConflictError: The key was used for another request.
            InvalidTypeError: An argument has the wrong type (nothing is recorded).
            InvalidValueError: A text is blank or *amount* is not positive.
        """
        return self._call(
            PaymentOperation.CAPTURE,
            order_id=order_id,
            payment_id=payment_id,
            amount=amount,
            idempotency_key=idempotency_key,
            reference=reference,
            tender=None,
        )

    def void(
        self,
        *,
        order_id: str,
        payment_id: str,
        reference: str | None,
        amount: Money,
        idempotency_key: str,
    ) -> PaymentTransaction:
        """Release *amount* of an authorization without taking it.

        Args:
            order_id: The order.
            payment_id: The payment within the order.
            reference: The authorization's reference, or ``None``.
            amount: The amount to release; at most what is open.
            idempotency_key: The key that makes a retry safe.

        Returns:
            The void.

        Raises:
            PaymentDeclinedError: A scripted decline, an unknown payment or reference,
                another currency, or more than is open.
            GatewayUnavailableError: A scripted outage.
            IdempotencyConflictError: The key was used for another request.
            InvalidTypeError: An argument has the wrong type (nothing is recorded).
            InvalidValueError: A text is blank or *amount* is not positive.
        """
        return self._call(
            PaymentOperation.VOID,
            order_id=order_id,
            payment_id=payment_id,
            amount=amount,
            idempotency_key=idempotency_key,
            reference=reference,
            tender=None,
        )

    def refund(
        self,
        *,
        order_id: str,
        payment_id: str,
        reference: str | None,
        amount: Money,
        idempotency_key: str,
    ) -> PaymentTransaction:
        """Pay back *amount* of a captured payment.

        Args:
            order_id: The order.
            payment_id: The payment within the order.
            reference: The authorization's reference, or ``None``.
            amount: The amount to pay back; at most what is captured and not refunded.
            idempotency_key: The key that makes a retry safe.

        Returns:
            The refund.

        Raises:
            PaymentDeclinedError: A scripted decline, an unknown payment or reference,
                another currency, or more than is refundable.
            GatewayUnavailableError: A scripted outage.
            IdempotencyConflictError: The key was used for another request.
            InvalidTypeError: An argument has the wrong type (nothing is recorded).
            InvalidValueError: A text is blank or *amount* is not positive.
        """
        return self._call(
            PaymentOperation.REFUND,
            order_id=order_id,
            payment_id=payment_id,
            amount=amount,
            idempotency_key=idempotency_key,
            reference=reference,
            tender=None,
        )

    # ---------------------------------------------------------------- scripting

    def decline(
        self,
        operation: PaymentOperation | str | Iterable[PaymentOperation | str] | None = None,
        *,
        times: int | None = None,
        reason: str = "declined by the issuer",
        code: str | None = "card_declined",
    ) -> None:
        """Decline new requests of *operation* (every operation for ``None``).

        Replaces any decline already scripted for those operations.

        Args:
            operation: One operation, several, or ``None`` for all four.
            times: How many new requests to decline (per operation), or ``None`` for every
                one until [`clear_faults`][ecomkit.testing.FakePaymentGateway.clear_faults].
            reason: The decline's reason.
            code: The decline's code, or ``None``.

        Raises:
            InvalidValueError: An unknown operation, *times* below 1, or a blank text.
            InvalidTypeError: An argument has the wrong type.
        """
        self._script(_DECLINE, operation, times=times, reason=reason, code=code)

    def go_down(
        self,
        operation: PaymentOperation | str | Iterable[PaymentOperation | str] | None = None,
        *,
        times: int | None = 1,
        reason: str = "connection timed out",
    ) -> None:
        """Make calls of *operation* raise ``GatewayUnavailableError`` before doing anything.

        Applies to every call of the operation, replays included (the network is down).

        Args:
            operation: One operation, several, or ``None`` for all four.
            times: How many calls (per operation), or ``None`` for every one until
                [`clear_faults`][ecomkit.testing.FakePaymentGateway.clear_faults].
            reason: The error's reason.

        Raises:
            InvalidValueError: An unknown operation, *times* below 1, or a blank reason.
            InvalidTypeError: An argument has the wrong type.
        """
        self._script(_DOWN, operation, times=times, reason=reason, code=None)

    def lose_answers(
        self,
        operation: PaymentOperation | str | Iterable[PaymentOperation | str] | None = None,
        *,
        times: int | None = 1,
        reason: str = "read timed out after the request was sent",
    ) -> None:
        """Make successful calls do their work, then raise ``GatewayUnavailableError``.

        The provider did it, but the answer never arrived: the transaction is recorded and
        the ledger moves, and a retry with the same key returns the transaction. Declines
        and conflicts are answered normally and do not use the fault up.

        Args:
            operation: One operation, several, or ``None`` for all four.
            times: How many successful calls (per operation), or ``None`` for every one
                until [`clear_faults`][ecomkit.testing.FakePaymentGateway.clear_faults].
            reason: The error's reason.

        Raises:
            InvalidValueError: An unknown operation, *times* below 1, or a blank reason.
            InvalidTypeError: An argument has the wrong type.
        """
        self._script(_LOST, operation, times=times, reason=reason, code=None)

    def clear_faults(self) -> None:
        """Forget every scripted decline and outage; the gateway answers normally again."""
        with self._lock:
            self._faults.clear()

    def add_authorization(
        self, *, order_id: str, payment_id: str, amount: Money, reference: str | None = None
    ) -> None:
        """Record an authorization made outside this gateway (at checkout, by a marketplace).

        Later captures, voids and refunds of the payment then work as for one made through
        [`authorize`][ecomkit.testing.FakePaymentGateway.authorize]. Nothing is added to
        ``calls`` or ``transactions``.

        Args:
            order_id: The order.
            payment_id: The payment within the order; it must be new to the gateway.
            amount: The amount authorized.
            reference: The authorization's reference, if it has one.

        Raises:
            InvalidValueError: The payment is already known, a text is blank, or *amount*
                is not positive.
            InvalidTypeError: An argument has the wrong type.
        """
        order_id = check_text(order_id, field="order_id")
        payment_id = check_text(payment_id, field="payment_id")
        amount = _positive_money(amount)
        reference = check_optional_text(reference, field="reference")
        with self._lock:
            if (order_id, payment_id) in self._book.ledgers:
                raise InvalidValueError(
                    field="payment_id", value=payment_id, reason="is already authorized"
                )
            self._book.ledgers[order_id, payment_id] = _new_ledger(
                order_id, payment_id, amount, reference
            )

    # ---------------------------------------------------------------- assertions

    @property
    def calls(self) -> tuple[GatewayCall, ...]:
        """Every call received, in order, repeats and failures included."""
        with self._lock:
            return tuple(self._book.calls)

    @property
    def transactions(self) -> tuple[PaymentTransaction, ...]:
        """Every distinct successful transaction, in order (replays are not repeated)."""
        with self._lock:
            return tuple(self._book.transactions)

    @property
    def ledgers(self) -> tuple[PaymentLedger, ...]:
        """The ledger of every payment the gateway knows, in the order they were authorized."""
        with self._lock:
            return tuple(self._book.ledgers.values())

    def ledger(self, order_id: str, payment_id: str) -> PaymentLedger | None:
        """Return the amounts moved for one payment, or ``None`` when it is unknown.

        Args:
            order_id: The order.
            payment_id: The payment within the order.

        Returns:
            The payment's ledger, or ``None``.
        """
        with self._lock:
            return self._book.ledgers.get((order_id, payment_id))

    def charged(self, order_id: str) -> Money | None:
        """Return what the customer paid for an order: captured minus refunded, all payments.

        Args:
            order_id: The order.

        Returns:
            The amount (zero when everything was refunded or nothing captured), or ``None``
            when the gateway knows no payment of the order.

        Raises:
            CurrencyMismatchError: The order's payments are in several currencies.
        """
        with self._lock:
            ledgers = [
                ledger for ledger in self._book.ledgers.values() if ledger.order_id == order_id
            ]
        if not ledgers:
            return None
        total = ledgers[0].charged
        for ledger in ledgers[1:]:
            total += ledger.charged
        return total

    def __repr__(self) -> str:
        with self._lock:
            faults = self._faults.active()
            shown = f", faults={list(faults)!r}" if faults else ""
            return (
                f"FakePaymentGateway(provider={self._provider!r}, calls={len(self._book.calls)}, "
                f"transactions={len(self._book.transactions)}{shown})"
            )

    # ---------------------------------------------------------------- internals

    def _script(
        self,
        kind: str,
        operation: object,
        *,
        times: int | None,
        reason: str,
        code: str | None,
    ) -> None:
        operations = _operations(operation)
        if not operations:
            raise InvalidValueError(
                field="operation", value=operation, reason="names no operation; pass None for all"
            )
        checked_times = check_times(times)
        checked_reason = check_text(reason, field="reason")
        checked_code = check_optional_code(code)
        with self._lock:
            self._faults.set(
                kind, operations, times=checked_times, reason=checked_reason, code=checked_code
            )

    def _call(
        self,
        operation: PaymentOperation,
        *,
        order_id: str,
        payment_id: str,
        amount: Money,
        idempotency_key: str,
        reference: str | None,
        tender: str | None,
    ) -> PaymentTransaction:
        request = _Request(
            operation,
            check_text(order_id, field="order_id"),
            check_text(payment_id, field="payment_id"),
            _positive_money(amount),
            tender,
        )
        key = check_text(idempotency_key, field="idempotency_key")
        reference = check_optional_text(reference, field="reference")
        with self._lock:
            return self._answer(request, key=key, reference=reference)

    def _answer(self, request: _Request, *, key: str, reference: str | None) -> PaymentTransaction:
        """Answer one call; the caller holds the lock."""
        operation = request.operation
        down = self._faults.take(_DOWN, operation)
        if down is not None:
            self._book.record(request, CallOutcome.UNAVAILABLE, key=key, reference=reference)
            raise GatewayUnavailableError(
                provider=self._provider, operation=operation.value, reason=down.reason
            )
        known = self._book.answers.get(key)
        if known is not None:
            if known.request != request:
                self._book.record(request, CallOutcome.CONFLICT, key=key, reference=reference)
                raise IdempotencyConflictError(
                    key=key, first=known.request.describe(), second=request.describe()
                )
            if known.transaction is None:
                self._book.record(request, CallOutcome.DECLINED, key=key, reference=reference)
                raise request.declined(known.reason, known.code)
            return self._deliver(request, known.transaction, key=key, reference=reference)
        refusal = self._refusal(request, reference)
        if refusal is not None:
            reason, code = refusal
            self._book.answers[key] = _Answer(request, None, reason, code)
            self._book.record(request, CallOutcome.DECLINED, key=key, reference=reference)
            raise request.declined(reason, code)
        transaction = self._book.move(request, key=key)
        self._book.answers[key] = _Answer(request, transaction)
        return self._deliver(request, transaction, key=key, reference=reference, replay=False)

    def _deliver(
        self,
        request: _Request,
        transaction: PaymentTransaction,
        *,
        key: str,
        reference: str | None,
        replay: bool = True,
    ) -> PaymentTransaction:
        lost = self._faults.take(_LOST, request.operation)
        if lost is not None:
            self._book.record(request, CallOutcome.ANSWER_LOST, key=key, reference=reference)
            raise GatewayUnavailableError(
                provider=self._provider, operation=request.operation.value, reason=lost.reason
            )
        outcome = CallOutcome.REPLAYED if replay else CallOutcome.OK
        self._book.record(request, outcome, key=key, reference=reference)
        return transaction

    def _refusal(self, request: _Request, reference: str | None) -> tuple[str, str | None] | None:
        """Return why a new request is declined (reason, code), or ``None`` to do it."""
        scripted = self._faults.take(_DECLINE, request.operation)
        if scripted is not None:
            return scripted.reason, scripted.code
        return self._book.refusal(request, reference)


if TYPE_CHECKING:
    from ecomkit.ports import PaymentGateway

    _gateway: type[PaymentGateway] = FakePaymentGateway
