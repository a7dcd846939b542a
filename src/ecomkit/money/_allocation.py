"""Allocation: splitting money into parts that add up to the total, to the minor unit."""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from decimal import Decimal

from ecomkit.errors import InvalidAmountError, InvalidRatioError, InvalidTypeError, NoMinorUnitError
from ecomkit.money._amount import Number, exact, to_decimal, to_int, to_member
from ecomkit.money._money import Money


__all__ = ["AllocationStrategy", "allocate", "split"]


class AllocationStrategy(enum.StrEnum):
    """Who receives the minor units left over after every part is rounded down.

    Every part first gets the floor of its exact share; the ``k`` leftover units (always
    fewer than the number of non-zero ratios) then go one each to ``k`` parts chosen by the
    strategy. Parts with a zero ratio never receive one.
    """

    LARGEST_REMAINDER = "largest_remainder"
    """To the parts whose exact share lost the most in rounding (Hamilton's method); ties
    go to the earlier part. The fairest choice, and the default of
    [`allocate`][ecomkit.money.allocate]."""
    FIRST = "first"
    """To the first parts, in order (Fowler's method)."""
    LAST = "last"
    """To the last parts (the "last line takes the remainder" habit of many shops)."""
    LARGEST_RATIO = "largest_ratio"
    """To the parts with the largest ratios; ties go to the earlier part."""


def _ratio(value: object, index: int) -> tuple[int, int]:
    """Return a ratio as an exact ``(numerator, denominator)`` pair of integers."""
    if type(value) is int:  # the common case, without a Decimal round trip
        if value < 0:
            raise InvalidRatioError(
                field=f"ratios[{index}]", value=value, reason="must not be negative"
            )
        return value, 1
    number = to_decimal(value, field=f"ratios[{index}]", error=InvalidRatioError)
    if number < 0:
        raise InvalidRatioError(
            field=f"ratios[{index}]", value=value, reason="must not be negative"
        )
    return number.as_integer_ratio()


def _minor_units(money: Money) -> tuple[int, int]:
    """Return *money* as ``(count of minor units, minor unit digits)``."""
    if not isinstance(money, Money):
        raise InvalidTypeError(field="money", value=money, expected="Money")
    if money.currency.minor_units is None:
        raise NoMinorUnitError(currency=money.currency.code, operation="allocate")
    digits = money.currency.minor_units
    scaled = money.amount.scaleb(digits, exact)
    if scaled != scaled.to_integral_value():
        raise InvalidAmountError(
            field="money",
            value=money,
            reason=f"finer than the {digits} minor units of "
            f"{money.currency.code}; quantize it first",
        )
    return int(scaled), digits


def allocate(
    money: Money,
    ratios: Sequence[Number],
    *,
    strategy: AllocationStrategy = AllocationStrategy.LARGEST_REMAINDER,
) -> tuple[Money, ...]:
    """Split *money* in proportion to *ratios*, losing no minor unit.

    The parts always add up to *money* exactly, each part has the sign of *money* (or is
    zero), a zero ratio always gets zero, and the leftover minor units are handed out by
    *strategy*.

    Args:
        money: The amount to split; it must be a whole number of minor units.
        ratios: Non-negative ``int`` or ``Decimal`` weights, not all zero.
        strategy: Who gets the leftover minor units; defaults to
            [`LARGEST_REMAINDER`][ecomkit.AllocationStrategy.LARGEST_REMAINDER].

    Returns:
        One part per ratio, in the order of *ratios*.

    Raises:
        InvalidRatioError: *ratios* is empty, has a negative or non-finite entry, or sums to
            zero.
        FloatNotAllowedError: A ratio is a float.
        InvalidAmountError: *money* has more decimals than its currency's minor units.
        NoMinorUnitError: The currency has no ISO minor unit.

    Examples:
        >>> [str(part) for part in allocate(Money("0.05", "EUR"), [3, 7])]
        ['0.02 EUR', '0.03 EUR']
        >>> parts = allocate(Money("0.05", "EUR"), [3, 7], strategy="largest_ratio")
        >>> [str(part) for part in parts]
        ['0.01 EUR', '0.04 EUR']
        >>> [str(part) for part in allocate(Money("10.03", "EUR"), [0, 1, 1])]
        ['0.00 EUR', '5.02 EUR', '5.01 EUR']
    """
    strategy = to_member(AllocationStrategy, strategy, field="strategy")
    total, digits = _minor_units(money)
    if isinstance(ratios, (str, bytes)) or not isinstance(ratios, Sequence):
        raise InvalidTypeError(field="ratios", value=ratios, expected="a sequence of numbers")
    fractions = [_ratio(value, index) for index, value in enumerate(ratios)]
    if not fractions:
        raise InvalidRatioError(field="ratios", value=ratios, reason="must not be empty")
    # Bring every ratio to one denominator so that all the arithmetic is on integers.
    common = math.lcm(*(denominator for _, denominator in fractions))
    weights = [numerator * (common // denominator) for numerator, denominator in fractions]
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise InvalidRatioError(field="ratios", value=ratios, reason="must not all be zero")

    magnitude = abs(total)
    units = []
    remainders = []
    for weight in weights:
        share, remainder = divmod(magnitude * weight, weight_sum)
        units.append(share)
        remainders.append(remainder)
    leftover = magnitude - sum(units)
    if leftover:
        for index in _receivers(strategy, weights, remainders)[:leftover]:
            units[index] += 1

    sign = -1 if total < 0 else 1
    currency = money.currency
    return tuple(
        Money._trusted(Decimal(sign * count).scaleb(-digits, exact), currency)  # noqa: SLF001
        for count in units
    )


def _receivers(
    strategy: AllocationStrategy, weights: list[int], remainders: list[int]
) -> list[int]:
    """Return the indexes of non-zero ratios in the order they receive leftover units."""
    eligible = [index for index, weight in enumerate(weights) if weight]
    if strategy is AllocationStrategy.FIRST:
        return eligible
    if strategy is AllocationStrategy.LAST:
        return eligible[::-1]
    if strategy is AllocationStrategy.LARGEST_RATIO:
        return sorted(eligible, key=lambda index: (-weights[index], index))
    # Largest remainder: every remainder is over the same denominator, so compare them as is.
    return sorted(eligible, key=lambda index: (-remainders[index], index))


def split(
    money: Money, parts: int, *, strategy: AllocationStrategy = AllocationStrategy.FIRST
) -> tuple[Money, ...]:
    """Split *money* into *parts* equal shares that add up to it exactly.

    Shares differ by at most one minor unit; by default the first shares get the extra
    units.

    Args:
        money: The amount to split; it must be a whole number of minor units.
        parts: How many shares, at least 1.
        strategy: Who gets the leftover minor units (only ``LAST`` differs from the default
            here, because all ratios are equal).

    Raises:
        InvalidRatioError: *parts* is below 1.
        InvalidTypeError: *parts* is not an ``int``.

    Examples:
        >>> [str(part) for part in split(Money("100.00", "EUR"), 3)]
        ['33.34 EUR', '33.33 EUR', '33.33 EUR']
    """
    parts = to_int(parts, field="parts")
    if parts < 1:
        raise InvalidRatioError(field="parts", value=parts, reason="must be at least 1")
    return allocate(money, [1] * parts, strategy=strategy)
