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
│   └── UnknownCodeError              (+ ValueError) .kind .code (an attribute, a channel ...)
├── DataValidationError               (ValueError)   .target .problems
├── CommandRejectedError              (ValueError)   .order_id .status .command .reason
│   └── ReturnCommandRejectedError                   .return_id (a return, not an order)
├── ReturnDeclinedError               (ValueError)   .return_id .outcome .reasons
├── IdempotencyConflictError          (ValueError)   .key .first .second
├── VersionConflictError              (RuntimeError) .entity_id .expected .actual
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
    "CategoryCycleError",
    "CommandRejectedError",
    "CurrencyMismatchError",
    "DataValidationError",
    "EcomkitError",
    "FloatNotAllowedError",
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
    "Problem",
    "ReturnCommandRejectedError",
    "ReturnDeclinedError",
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


class LifecycleDefinitionError(EcomkitError, ValueError):
    """A lifecycle (state machine) definition is inconsistent; every problem is listed.

    Attributes:
        problems: One short sentence per problem found.
    """

    def __init__(self, *, problems: tuple[str, ...]) -> None:
        self.problems = problems
        lines = "".join(f"\n  {problem}" for problem in problems)
        super().__init__(f"invalid lifecycle: {len(problems)} problem(s){lines}")
