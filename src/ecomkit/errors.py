"""Every exception ecomkit raises.

All of them derive from [`EcomkitError`][ecomkit.errors.EcomkitError], so a host can catch
everything the library raises in one place. Each leaf also subclasses the builtin it
semantically is, so ``except ValueError`` around a parsing step keeps working. Every error
carries its facts as attributes (the field, the value, the currencies involved ...) and builds
its message from them, so a handler never has to parse a message.

```text
EcomkitError
├── InvalidValueError                 (ValueError)   .field .value .reason
│   ├── InvalidAmountError                           not a number, NaN, infinite, inexact
│   ├── InvalidRatioError                            allocation ratios and split counts
│   ├── InvalidRateError                             tax and exchange rates
│   ├── NaiveDateTimeError                           a datetime without a timezone
│   ├── InvalidTimezoneError                         an unknown IANA timezone name
│   ├── InvalidLocaleError                           a locale code babel does not know
│   ├── InvalidGtinError                             length, characters or check digit
│   ├── CategoryCycleError                           a category moved below itself
│   └── VariantLimitError                            more variants than the limit allows
├── InvalidTypeError                  (TypeError)    .field .value .expected
│   └── FloatNotAllowedError                         a float where an exact number is needed
├── CurrencyMismatchError             (ValueError)   .expected .actual .operation
├── NoMinorUnitError                  (ValueError)   .currency .operation
├── NotFoundError                     (LookupError)
│   ├── UnknownCurrencyError          (+ ValueError) .code
│   ├── MissingTranslationError                      .locale .tried
│   ├── UnknownCodeError              (+ ValueError) .kind .code (an attribute, a channel ...)
│   ├── EntityNotFoundError                          .kind .entity_id (in a repository)
│   │   ├── OrderNotFoundError                       .order_id
│   │   ├── ReturnNotFoundError                      .return_id
│   │   └── ProductNotFoundError                     .sku
│   └── ExchangeRateNotFoundError                    .base .quote .on
├── DataValidationError               (ValueError)   .target .problems
├── CommandRejectedError              (ValueError)   .order_id .status .command .reason
│   └── ReturnCommandRejectedError                   .return_id (a return, not an order)
├── ReturnDeclinedError               (ValueError)   .return_id .outcome .reasons
├── IdempotencyConflictError          (ValueError)   .key .first .second
├── VersionConflictError              (RuntimeError) .entity_id .expected .actual
├── PaymentDeclinedError              (ValueError)   .operation .payment_id .reason .code
├── ShipmentRejectedError             (ValueError)   .shipment_id .reason
├── ProviderUnavailableError          (ConnectionError) .provider .operation .reason
│   ├── GatewayUnavailableError                      the payment gateway: retry
│   └── CarrierUnavailableError                      the carrier: retry
├── UnitOfWorkError                   (RuntimeError) .reason
├── StorageError                      (RuntimeError) .location .reason
└── LifecycleDefinitionError          (ValueError)   .problems
```

[`DataValidationError`][ecomkit.errors.DataValidationError] is what the serialization layer
raises for a document with problems: it reports every problem at once, each with its JSON path
(`amount: not a decimal @ $.lines[2].unit_price`).
"""

from __future__ import annotations

from typing import Any, Final

import attrs


__all__ = [
    "CarrierUnavailableError",
    "CategoryCycleError",
    "CommandRejectedError",
    "CurrencyMismatchError",
    "DataValidationError",
    "EcomkitError",
    "EntityNotFoundError",
    "ExchangeRateNotFoundError",
    "FloatNotAllowedError",
    "GatewayUnavailableError",
    "IdempotencyConflictError",
    "InvalidAmountError",
    "InvalidGtinError",
    "InvalidLocaleError",
    "InvalidRateError",
    "InvalidRatioError",
    "InvalidTimezoneError",
    "InvalidTypeError",
    "InvalidValueError",
    "LifecycleDefinitionError",
    "MissingTranslationError",
    "NaiveDateTimeError",
    "NoMinorUnitError",
    "NotFoundError",
    "OrderNotFoundError",
    "PaymentDeclinedError",
    "Problem",
    "ProductNotFoundError",
    "ProviderUnavailableError",
    "ReturnCommandRejectedError",
    "ReturnDeclinedError",
    "ReturnNotFoundError",
    "ShipmentRejectedError",
    "StorageError",
    "UnitOfWorkError",
    "UnknownCodeError",
    "UnknownCurrencyError",
    "VariantLimitError",
    "VersionConflictError",
]

_MAX_VALUE_REPR: Final = 80
_MAX_KNOWN: Final = 10


def _show(value: object) -> str:
    """Return a short ``repr`` of *value* for an error message."""
    text = repr(value)
    if len(text) > _MAX_VALUE_REPR:
        return text[: _MAX_VALUE_REPR - 3] + "..."
    return text


class EcomkitError(Exception):
    """Root of every error ecomkit raises.

    Catch this to handle anything the library refuses. Subclasses add the facts of the case as
    attributes.
    """


class InvalidValueError(EcomkitError, ValueError):
    """A value has the right type but is not acceptable.

    Attributes:
        field: The name of the field or parameter that received the value.
        value: The value that was refused.
        reason: What is wrong with it, in a short lower-case phrase.
    """

    def __init__(self, *, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {_show(value)})")


class InvalidAmountError(InvalidValueError):
    """An amount is not a finite decimal number, or cannot be used as asked.

    Raised for unparsable strings, NaN and infinities, and for amounts that do not fit an
    operation (for example converting 12.345 EUR to minor units without a rounding mode).
    """


class InvalidRatioError(InvalidValueError):
    """Allocation ratios or a split count are unusable (empty, negative, all zero ...)."""


class InvalidRateError(InvalidValueError):
    """A tax rate or exchange rate is unusable (negative, zero where it must be positive)."""


class NaiveDateTimeError(InvalidValueError):
    """A datetime has no timezone.

    ecomkit never guesses the zone of a naive datetime: a store in Warsaw and a server in
    UTC would disagree about which day an order was placed.
    """

    def __init__(self, *, field: str, value: object) -> None:
        super().__init__(
            field=field,
            value=value,
            reason="naive datetime; attach a timezone "
            "(for example pendulum.instance(dt, tz='UTC'))",
        )


class InvalidTimezoneError(InvalidValueError):
    """A timezone name is not a known IANA zone (such as ``Europe/Warsaw``)."""


class InvalidLocaleError(InvalidValueError):
    """A locale code is malformed or unknown to babel (CLDR)."""


class InvalidGtinError(InvalidValueError):
    """A GTIN with the wrong length, a character that is not a digit, or a wrong check digit.

    Attributes:
        field: Always ``"gtin"``.
        value: The text as given.
        reason: What is wrong, such as ``"wrong check digit 2 (expected 1); ..."``.
    """

    def __init__(self, *, value: object, reason: str, field: str = "gtin") -> None:
        super().__init__(field=field, value=value, reason=reason)


class CategoryCycleError(InvalidValueError):
    """A category move would put a category below itself or one of its descendants.

    The tree is left as it was.

    Attributes:
        field: Always ``"parent"``.
        value: The parent the category was to be moved under.
        reason: Which category it is and why the move would make a cycle.
    """

    def __init__(self, *, category: str, parent: str) -> None:
        self.category = category
        super().__init__(
            field="parent",
            value=parent,
            reason=f"moving {category!r} under {parent!r} would put it below itself",
        )


class VariantLimitError(InvalidValueError):
    """Generating variants would produce more of them than the limit allows.

    Nothing is generated. Narrow the option sets, or raise the limit deliberately.

    Attributes:
        field: Always ``"options"``.
        value: The number of variants the options would produce.
        reason: The limit and how the number came about.
    """

    def __init__(self, *, count: int, limit: int, detail: str) -> None:
        self.count = count
        self.limit = limit
        super().__init__(
            field="options",
            value=count,
            reason=f"{detail} make {count} variants, more than the limit of {limit}",
        )


class InvalidTypeError(EcomkitError, TypeError):
    """A value has a type the operation does not accept.

    Attributes:
        field: The name of the field, parameter or operand.
        value: The value that was refused.
        expected: A short description of what is accepted.
        hint: How to pass the value instead, when there is a usual fix, else ``None``.
    """

    def __init__(
        self, *, field: str, value: object, expected: str, hint: str | None = None
    ) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        self.hint = hint
        message = f"{field}: expected {expected}, got {type(value).__name__} {_show(value)}"
        super().__init__(f"{message}; {hint}" if hint else message)


class FloatNotAllowedError(InvalidTypeError):
    """A binary float was passed where an exact decimal is needed.

    ``0.1 + 0.2 != 0.3`` in binary floating point, so money never accepts floats. Pass a
    string (``"19.99"``), an ``int`` or a ``decimal.Decimal`` instead.
    """

    def __init__(self, *, field: str, value: float) -> None:
        super().__init__(
            field=field,
            value=value,
            expected="str, int or decimal.Decimal",
            hint=f"floats are not exact, pass the amount as a string such as {str(value)!r}",
        )


class CurrencyMismatchError(EcomkitError, ValueError):
    """Two amounts in different currencies were combined.

    Attributes:
        expected: The currency code the operation works in.
        actual: The other currency code it was given.
        operation: What was being done (``"add"``, ``"compare"``, ``"sum_money"`` ...).
    """

    def __init__(self, *, expected: str, actual: str, operation: str) -> None:
        self.expected = expected
        self.actual = actual
        self.operation = operation
        super().__init__(
            f"cannot {operation} {actual} and {expected}: convert one amount first "
            f"(ecomkit.money.convert)"
        )


class NoMinorUnitError(EcomkitError, ValueError):
    """The currency has no minor unit in ISO 4217 (gold ``XAU``, test code ``XTS`` ...).

    Attributes:
        currency: The currency code.
        operation: What needed a minor unit (``"quantize"``, ``"to_minor_units"`` ...).
    """

    def __init__(self, *, currency: str, operation: str) -> None:
        self.currency = currency
        self.operation = operation
        super().__init__(
            f"cannot {operation}: ISO 4217 defines no minor unit for {currency}; "
            f"pass digits explicitly"
        )


class NotFoundError(EcomkitError, LookupError):
    """Something looked up by a key does not exist."""


class UnknownCurrencyError(NotFoundError, ValueError):
    """A currency code is not in the shipped ISO 4217 table.

    Attributes:
        code: The code as it was given.
    """

    def __init__(self, code: object) -> None:
        self.code = code
        super().__init__(
            f"currency: {_show(code)} is not an ISO 4217 currency code "
            f"(expected three letters such as 'EUR')"
        )


class MissingTranslationError(NotFoundError):
    """No text exists for a locale nor for any locale in its fallback chain.

    Attributes:
        locale: The locale that was asked for.
        tried: Every locale tried, in order.
    """

    def __init__(self, *, locale: str, tried: tuple[str, ...]) -> None:
        self.locale = locale
        self.tried = tried
        super().__init__(f"no text for locale {locale!r} (tried {', '.join(tried)})")


class UnknownCodeError(NotFoundError, ValueError):
    """A code names nothing the catalog knows: an attribute, a channel, an option ...

    Attributes:
        kind: What was looked up, such as ``"attribute"`` or ``"category"``.
        code: The code as it was given.
        field: The field or parameter that held the code.
        known: Some of the codes that do exist (up to ten), to help spot a typo.
    """

    def __init__(self, *, kind: str, code: object, field: str, known: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.code = code
        self.field = field
        self.known = known[:_MAX_KNOWN]
        more = ", ..." if len(known) > _MAX_KNOWN else ""
        hint = f" (known: {', '.join(self.known)}{more})" if known else ""
        super().__init__(f"{field}: unknown {kind} {_show(code)}{hint}")


class EntityNotFoundError(NotFoundError):
    """No order, return or product is stored under the id asked for.

    Repositories raise one of the three subclasses; catch this class to handle all of them.

    Attributes:
        kind: ``"order"``, ``"return"`` or ``"product"``.
        entity_id: The id that was looked up.
    """

    kind = "entity"

    def __init__(self, entity_id: str) -> None:
        self.entity_id = entity_id
        super().__init__(f"no {self.kind} {entity_id!r} is stored; check the id")


class OrderNotFoundError(EntityNotFoundError):
    """No order is stored under this id.

    Attributes:
        order_id: The id that was looked up (also ``entity_id``).
    """

    kind = "order"

    @property
    def order_id(self) -> str:
        """The id that was looked up."""
        return self.entity_id


class ReturnNotFoundError(EntityNotFoundError):
    """No return (RMA) is stored under this id.

    Attributes:
        return_id: The id that was looked up (also ``entity_id``).
    """

    kind = "return"

    @property
    def return_id(self) -> str:
        """The id that was looked up."""
        return self.entity_id


class ProductNotFoundError(EntityNotFoundError):
    """No product is stored under this SKU.

    Attributes:
        sku: The SKU that was looked up (also ``entity_id``).
    """

    kind = "product"

    @property
    def sku(self) -> str:
        """The SKU that was looked up."""
        return self.entity_id


class ExchangeRateNotFoundError(NotFoundError):
    """No exchange rate is known for a currency pair on or before a date.

    Attributes:
        base: The currency converted from.
        quote: The currency converted to.
        on: The date the rate was wanted for.
    """

    def __init__(self, *, base: str, quote: str, on: object) -> None:
        self.base = base
        self.quote = quote
        self.on = on
        super().__init__(
            f"no {base}/{quote} exchange rate is known on or before {on}; "
            "add the rate or pick another date"
        )


@attrs.frozen
class Problem:
    """One problem found in a document, with where it was found.

    Attributes:
        path: A JSON path such as ``$.lines[2].unit_price``.
        message: What is wrong, in a short lower-case phrase.
        value: The offending value when it is known, else ``None``.
        row: For a bulk import, the row's number (1 for the first data row), else ``None``.
        field: For a bulk import, the column or field, else ``None``.
    """

    path: str
    message: str
    value: Any = None
    row: int | None = attrs.field(default=None, kw_only=True)
    field: str | None = attrs.field(default=None, kw_only=True)

    def __str__(self) -> str:
        return f"{self.message} @ {self.path}"


class DataValidationError(EcomkitError, ValueError):
    """A document or batch has one or more problems; all of them are reported at once.

    Attributes:
        target: The name of the type that was being built.
        problems: Every problem, in document order.
    """

    def __init__(self, *, target: str, problems: tuple[Problem, ...]) -> None:
        self.target = target
        self.problems = problems
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        lines = "".join(f"\n  {problem}" for problem in problems)
        super().__init__(f"{target}: {count} {noun}{lines}")

    def messages(self) -> list[str]:
        """Return each problem as ``"<message> @ <path>"``.

        Returns:
            One string per problem, in document order.
        """
        return [str(problem) for problem in self.problems]


class CommandRejectedError(EcomkitError, ValueError):
    """A command cannot be applied to an order in its current state.

    Raised by [`ecomkit.orders.apply`][ecomkit.orders.apply] when the lifecycle has no
    transition for the command in the order's status, when a guard refuses it, or when the
    ledgers do not allow it (capturing more than is authorized, cancelling units that have
    shipped). The order is left unchanged.

    Attributes:
        order_id: The order the command was for (empty when there is no order yet).
        status: The order's status when the command arrived (``"new"`` before creation).
        command: The command's class name, such as ``"CancelOrder"``.
        reason: Why it was refused, in a short lower-case phrase.
    """

    def __init__(self, *, order_id: str, status: str, command: str, reason: str) -> None:
        self.order_id = order_id
        self.status = status
        self.command = command
        self.reason = reason
        super().__init__(f"order {order_id!r} ({status}): cannot {command}: {reason}")


class ReturnCommandRejectedError(CommandRejectedError):
    """A command cannot be applied to a return (RMA) in its current state.

    Raised by [`ecomkit.returns.apply_return`][ecomkit.returns.apply_return]; the return and
    its order are left unchanged.

    Attributes:
        return_id: The return the command was for (empty when there is none yet).
        order_id: The order the return belongs to.
        status: The return's status when the command arrived (``"new"`` before it opens).
        command: The command's class name, such as ``"ReceiveItems"``.
        reason: Why it was refused, in a short lower-case phrase.
    """

    def __init__(
        self, *, return_id: str, order_id: str, status: str, command: str, reason: str
    ) -> None:
        self.return_id = return_id
        ValueError.__init__(self, f"return {return_id!r} ({status}): cannot {command}: {reason}")
        self.order_id = order_id
        self.status = status
        self.command = command
        self.reason = reason


class ReturnDeclinedError(EcomkitError, ValueError):
    """A return decision declined units, raised only when the caller asks for it.

    [`evaluate_return`][ecomkit.returns.evaluate_return] returns decisions and never raises
    for an ordinary "no";
    [`raise_for_rejection`][ecomkit.returns.ReturnDecision.raise_for_rejection] turns a
    declined decision into this error.

    Attributes:
        return_id: The return.
        outcome: The decision's outcome (``"declined"``, ``"partially_approved"`` ...).
        reasons: The reasons that declined units, rendered in the caller's locale.
    """

    def __init__(self, *, return_id: str, outcome: str, reasons: tuple[str, ...]) -> None:
        self.return_id = return_id
        self.outcome = outcome
        self.reasons = reasons
        lines = "".join(f"\n  {reason}" for reason in reasons)
        super().__init__(f"return {return_id!r} is {outcome.replace('_', ' ')}{lines}")


class IdempotencyConflictError(EcomkitError, ValueError):
    """An idempotency key already used for one kind of command came with another.

    A key identifies one request; sending the same request again is safe and returns its
    first outcome, but reusing the key for a different request is a bug in the caller.

    Attributes:
        key: The idempotency key.
        first: The class name of the command the key was first used for.
        second: The class name of the command that reused it.
    """

    def __init__(self, *, key: str, first: str, second: str) -> None:
        self.key = key
        self.first = first
        self.second = second
        super().__init__(
            f"idempotency key {key!r} was used for {first} and now comes with {second}; "
            "give every distinct request its own key"
        )


class VersionConflictError(EcomkitError, RuntimeError):
    """Something changed since the caller read it (optimistic concurrency).

    Reload, re-apply the change to the fresh state and try again.

    Attributes:
        entity_id: The id of the order (or other aggregate) concerned.
        expected: The version the caller based its change on.
        actual: The version that is current.
    """

    def __init__(self, *, entity_id: str, expected: int, actual: int) -> None:
        self.entity_id = entity_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{entity_id!r}: expected version {expected} but it is at version {actual}; "
            "reload it and try again"
        )


class PaymentDeclinedError(EcomkitError, ValueError):
    """The payment provider answered and said no (card declined, insufficient funds ...).

    Retrying the same call will not help; ask the customer for another way to pay.
    Gateways raise it; compare
    [`GatewayUnavailableError`][ecomkit.errors.GatewayUnavailableError], which is worth
    retrying.

    Attributes:
        operation: ``"authorize"``, ``"capture"``, ``"void"`` or ``"refund"``.
        payment_id: The payment concerned.
        reason: The provider's reason, in words.
        code: The provider's decline code, if it gave one.
    """

    def __init__(
        self, *, operation: str, payment_id: str, reason: str, code: str | None = None
    ) -> None:
        self.operation = operation
        self.payment_id = payment_id
        self.reason = reason
        self.code = code
        shown = f" [{code}]" if code else ""
        super().__init__(f"{operation} of payment {payment_id!r} declined: {reason}{shown}")


class ShipmentRejectedError(EcomkitError, ValueError):
    """The carrier answered and refused the shipment (an address it cannot serve ...).

    Attributes:
        shipment_id: The shipment concerned.
        reason: The carrier's reason, in words.
    """

    def __init__(self, *, shipment_id: str, reason: str) -> None:
        self.shipment_id = shipment_id
        self.reason = reason
        super().__init__(f"the carrier refused shipment {shipment_id!r}: {reason}")


class ProviderUnavailableError(EcomkitError, ConnectionError):
    """A provider (payment gateway, carrier) could not be reached or did not answer in time.

    Nothing is known about whether the call took effect. Retry it with the same idempotency
    key: a provider that honours keys then does the work at most once.

    Attributes:
        provider: Which provider, as the adapter names it.
        operation: The call that failed (``"authorize"``, ``"create_shipment"`` ...).
        reason: What went wrong, in words.
    """

    def __init__(self, *, provider: str, operation: str, reason: str) -> None:
        self.provider = provider
        self.operation = operation
        self.reason = reason
        super().__init__(
            f"{provider} is unavailable for {operation}: {reason}; "
            "retry with the same idempotency key"
        )


class GatewayUnavailableError(ProviderUnavailableError):
    """The payment gateway could not be reached; retry with the same idempotency key."""


class CarrierUnavailableError(ProviderUnavailableError):
    """The carrier could not be reached; retry with the same idempotency key."""


class UnitOfWorkError(EcomkitError, RuntimeError):
    """A unit of work was used the wrong way round.

    For example: a repository used outside the ``with`` block, a unit entered twice, or
    one unit used from two threads at once.

    Attributes:
        reason: What was done wrong.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"unit of work: {reason}")


class StorageError(EcomkitError, RuntimeError):
    """Storage cannot be used as it is: a newer schema, a damaged document, a closed file.

    Attributes:
        location: The database, file or table concerned.
        reason: What is wrong and what to do.
    """

    def __init__(self, *, location: str, reason: str) -> None:
        self.location = location
        self.reason = reason
        super().__init__(f"{location}: {reason}")


class LifecycleDefinitionError(EcomkitError, ValueError):
    """A lifecycle (state machine) definition is inconsistent; every problem is listed.

    Attributes:
        problems: One short sentence per problem found.
    """

    def __init__(self, *, problems: tuple[str, ...]) -> None:
        self.problems = problems
        lines = "".join(f"\n  {problem}" for problem in problems)
        super().__init__(f"invalid lifecycle: {len(problems)} problem(s){lines}")
