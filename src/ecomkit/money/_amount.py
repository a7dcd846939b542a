"""Exact decimal numbers: parsing amounts and rates, rounding modes, the arithmetic context."""

from __future__ import annotations

import decimal
import enum
import re
from decimal import Decimal
from typing import Final, TypeAlias, TypeVar

from ecomkit.errors import (
    FloatNotAllowedError,
    InvalidAmountError,
    InvalidTypeError,
    InvalidValueError,
)


__all__ = [
    "DECIMAL_TEXT",
    "Number",
    "Rounding",
    "divide",
    "exact",
    "rounded",
    "to_decimal",
    "to_int",
    "to_member",
    "to_rounding",
]

_Member = TypeVar("_Member", bound=enum.Enum)

Number: TypeAlias = int | Decimal
"""What ecomkit accepts as an exact number: ``int`` or ``Decimal``, never ``float``."""

#: A plain decimal number: optional sign, digits with an optional point, optional exponent.
DECIMAL_TEXT: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

#: Context for sums, differences and products: wide enough for any commerce amount, and
#: trapping ``Inexact`` so an exact operation can never round silently.
exact: Final = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)

#: Context for divisions, whose results are rounded to 34 significant digits.
divide: Final = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

#: Context for explicit roundings (``quantize``): as wide as ``exact``, without trapping
#: ``Inexact`` since rounding is the point. Passing it (rather than using the thread's
#: context) keeps results independent of the caller's decimal settings.
rounded: Final = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


class Rounding(enum.StrEnum):
    """A rounding mode; the values are the names of the `decimal` module's constants.

    ecomkit never rounds without being told how, so every method that rounds takes one of
    these (or the equivalent ``decimal.ROUND_*`` string).
    """

    HALF_UP = decimal.ROUND_HALF_UP
    """Round half away from zero: 0.125 -> 0.13, -0.125 -> -0.13. What most shops expect."""
    HALF_EVEN = decimal.ROUND_HALF_EVEN
    """Banker's rounding: 0.125 -> 0.12, 0.135 -> 0.14."""
    HALF_DOWN = decimal.ROUND_HALF_DOWN
    """Round half towards zero: 0.125 -> 0.12."""
    UP = decimal.ROUND_UP
    """Away from zero: 0.121 -> 0.13."""
    DOWN = decimal.ROUND_DOWN
    """Towards zero (truncate): 0.129 -> 0.12."""
    CEILING = decimal.ROUND_CEILING
    """Towards positive infinity: -0.129 -> -0.12."""
    FLOOR = decimal.ROUND_FLOOR
    """Towards negative infinity: -0.121 -> -0.13."""


def to_member(kind: type[_Member], value: object, *, field: str) -> _Member:
    """Return *value* as a member of the enum *kind*, by member or by value.

    Raises:
        InvalidValueError: *value* is neither a member nor the value of one.
    """
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(repr(member.value) for member in kind)
        raise InvalidValueError(
            field=field, value=value, reason=f"not a {kind.__name__} (one of {choices})"
        ) from None


def to_rounding(value: object, *, field: str = "rounding") -> Rounding:
    """Return *value* as a [`Rounding`][ecomkit.Rounding], accepting ``decimal.ROUND_*`` names.

    Raises:
        InvalidValueError: *value* names no rounding mode.
    """
    return to_member(Rounding, value, field=field)


def to_decimal(
    value: object, *, field: str, error: type[InvalidValueError] = InvalidAmountError
) -> Decimal:
    """Convert *value* to a finite ``Decimal`` without ever going through a float.

    Accepts ``int`` (not ``bool``), ``Decimal`` and decimal strings such as ``"-12.30"`` or
    ``"1E+3"``. Negative zero becomes zero.

    Args:
        value: The value to convert.
        field: The field name used in error messages.
        error: The error class raised for a bad value.

    Raises:
        FloatNotAllowedError: *value* is a float.
        InvalidTypeError: *value* is of another type.
        InvalidAmountError: *value* is NaN, infinite, or not a decimal string (or the
            *error* class given).
    """
    if type(value) is str and DECIMAL_TEXT.fullmatch(value) is not None:
        number = Decimal(value)  # the common case; the pattern admits finite numbers only
        return number.copy_abs() if number.is_zero() else number
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool):
        raise InvalidTypeError(field=field, value=value, expected="str, int or decimal.Decimal")
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, str):
        if DECIMAL_TEXT.fullmatch(value) is None:
            raise error(field=field, value=value, reason="not a decimal number")
        number = Decimal(value)
    elif isinstance(value, float):
        raise FloatNotAllowedError(field=field, value=value)
    else:
        raise InvalidTypeError(field=field, value=value, expected="str, int or decimal.Decimal")
    if not number.is_finite():
        raise error(field=field, value=value, reason="not a finite number")
    if number.is_zero() and number.is_signed():
        return number.copy_abs()
    return number


def to_int(value: object, *, field: str) -> int:
    """Return *value* if it is an ``int`` (``bool`` is refused), else raise.

    Raises:
        InvalidTypeError: *value* is not an ``int``.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field=field, value=value, expected="int")
    return value
