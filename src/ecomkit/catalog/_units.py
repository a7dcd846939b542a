"""Measurements: units in families (weight, length, ...) and exact conversion between them."""

from __future__ import annotations

import decimal
import enum
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from ecomkit.errors import InvalidTypeError, InvalidValueError, UnknownCodeError
from ecomkit.money import Rounding
from ecomkit.money._amount import to_decimal, to_int, to_rounding


__all__ = ["UNITS", "Metric", "Unit", "UnitFamily", "unit"]

_MAX_PLACES: Final = 18


class UnitFamily(enum.StrEnum):
    """A kind of quantity; units convert into each other only within their family."""

    WEIGHT = "weight"
    """Mass: ``mg``, ``g``, ``kg``, ``t``, ``oz``, ``lb``."""
    LENGTH = "length"
    """Length: ``mm``, ``cm``, ``m``, ``km``, ``in``, ``ft``, ``yd``."""
    VOLUME = "volume"
    """Volume: ``ml``, ``cl``, ``dl``, ``l``, ``cbm``, ``floz``, ``pt``, ``qt``, ``gal`` (US)."""
    AREA = "area"
    """Area: ``mm2``, ``cm2``, ``sqm``, ``sqin``, ``sqft``."""
    COUNT = "count"
    """Pieces: ``ct``."""


@attrs.frozen(weakref_slot=False)
class Unit:
    """A unit of measurement and its exact size in its family's standard unit.

    Attributes:
        code: The unit's code, as Google Merchant Center spells it where it has one.
        family: The family the unit belongs to.
        factor: How many standard units one of this unit is (exact): a pound is
            ``453.59237`` grams by definition.
    """

    code: str
    family: UnitFamily
    factor: Decimal


def _units(family: UnitFamily, factors: dict[str, str]) -> dict[str, Unit]:
    return {code: Unit(code, family, Decimal(factor)) for code, factor in factors.items()}


UNITS: Final[dict[str, Unit]] = {
    # Mass in grams; the pound is 0.45359237 kg exactly (1959 international agreement).
    **_units(
        UnitFamily.WEIGHT,
        {"mg": "0.001", "g": "1", "kg": "1000", "t": "1000000", "oz": "28.349523125"}
        | {"lb": "453.59237"},
    ),
    # Length in metres; the inch is 25.4 mm exactly.
    **_units(
        UnitFamily.LENGTH,
        {"mm": "0.001", "cm": "0.01", "m": "1", "km": "1000", "in": "0.0254", "ft": "0.3048"}
        | {"yd": "0.9144"},
    ),
    # Volume in litres; US liquid gallon = 231 cubic inches = 3.785411784 l exactly.
    **_units(
        UnitFamily.VOLUME,
        {"ml": "0.001", "cl": "0.01", "dl": "0.1", "l": "1", "cbm": "1000"}
        | {"floz": "0.0295735295625", "pt": "0.473176473", "qt": "0.946352946"}
        | {"gal": "3.785411784"},
    ),
    # Area in square metres.
    **_units(
        UnitFamily.AREA,
        {"mm2": "0.000001", "cm2": "0.0001", "sqm": "1", "sqin": "0.00064516"}
        | {"sqft": "0.09290304"},
    ),
    **_units(UnitFamily.COUNT, {"ct": "1"}),
}
"""Every unit ecomkit knows, by code. Factors are exact decimals, never floats."""


def unit(code: object, *, field: str = "unit") -> Unit:
    """Return the [`Unit`][ecomkit.catalog.Unit] for *code*.

    Raises:
        InvalidTypeError: *code* is not a string.
        UnknownCodeError: No unit has that code.

    Examples:
        >>> unit("lb").factor
        Decimal('453.59237')
    """
    if isinstance(code, Unit):
        return code
    if not isinstance(code, str):
        raise InvalidTypeError(field=field, value=code, expected="a unit code such as 'kg'")
    found = UNITS.get(code)
    if found is None:
        raise UnknownCodeError(kind="unit", code=code, field=field, known=tuple(UNITS))
    return found


def _unit_code(value: object) -> str:
    return unit(value).code


def _amount(value: object) -> Decimal:
    return to_decimal(value, field="amount")


@attrs.frozen(weakref_slot=False, order=False)
class Metric:
    """A measured value: a decimal amount and a unit, such as ``1.5 kg``.

    Conversion is exact: the factors are decimal definitions and the arithmetic is done on
    fractions, so ``Metric("1", "lb").to("g")`` is exactly ``453.59237 g``. When a result
    has no finite decimal form (a gram in ounces), pass *places* and *rounding*.

    Two metrics are equal when amount and unit are; use
    [`same_quantity`][ecomkit.catalog.Metric.same_quantity] to compare across units.

    Args:
        amount: A decimal, an int or a numeric string (floats are refused).
        unit: A unit code from [`UNITS`][ecomkit.catalog.UNITS].

    Raises:
        FloatNotAllowedError: *amount* is a float.
        InvalidAmountError: *amount* is not a finite number.
        UnknownCodeError: *unit* is not a known unit.

    Examples:
        >>> from ecomkit.money import Rounding
        >>> Metric("2", "lb").to("kg")
        Metric(amount=Decimal('0.90718474'), unit='kg')
        >>> Metric("1", "g").to("oz", places=4, rounding=Rounding.HALF_UP)
        Metric(amount=Decimal('0.0353'), unit='oz')
        >>> Metric("1000", "ml").same_quantity(Metric("1", "l"))
        True
    """

    amount: Decimal = attrs.field(converter=_amount)
    unit: str = attrs.field(converter=_unit_code)

    @property
    def family(self) -> UnitFamily:
        """The unit's family."""
        return UNITS[self.unit].family

    def _standard(self) -> Fraction:
        return Fraction(self.amount) * Fraction(UNITS[self.unit].factor)

    def to(
        self, target: str, *, places: int | None = None, rounding: Rounding | str | None = None
    ) -> Metric:
        """Return this measurement in the unit *target*.

        Args:
            target: A unit of the same family.
            places: Decimal places to round to; needed (with *rounding*) when the exact
                result has no finite decimal form.
            rounding: The rounding mode, when *places* is given.

        Raises:
            UnknownCodeError: *target* is not a known unit.
            InvalidValueError: *target* is in another family, only one of *places* and
                *rounding* is given, or the result is not exact and no rounding was given.
        """
        to_unit = unit(target, field="target")
        if to_unit.family is not self.family:
            raise InvalidValueError(
                field="target",
                value=target,
                reason=f"{self.unit} measures {self.family}, {to_unit.code} {to_unit.family}",
            )
        value = self._standard() / Fraction(to_unit.factor)
        if (places is None) != (rounding is None):
            raise InvalidValueError(
                field="places", value=places, reason="give places and rounding together"
            )
        if places is not None:
            return Metric(_rounded(value, places, to_rounding(rounding)), to_unit.code)
        exact = _exact(value)
        if exact is None:
            raise InvalidValueError(
                field="target",
                value=target,
                reason=f"{self.amount} {self.unit} has no exact value in {to_unit.code}; "
                "pass places and rounding",
            )
        return Metric(exact, to_unit.code)

    def same_quantity(self, other: Metric) -> bool:
        """Whether *other* is the same quantity, possibly in another unit of the family."""
        if not isinstance(other, Metric):
            raise InvalidTypeError(field="other", value=other, expected="Metric")
        return other.family is self.family and other._standard() == self._standard()

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


def _rounded(value: Fraction, places: int, rounding: Rounding) -> Decimal:
    """Round *value* to *places* decimals exactly (no intermediate rounding)."""
    number = to_int(places, field="places")
    if not 0 <= number <= _MAX_PLACES:
        raise InvalidValueError(
            field="places", value=places, reason=f"must be an int from 0 to {_MAX_PLACES}"
        )
    magnitude = abs(value)
    # Two more digits than needed plus a sticky digit keep "exactly half" apart from "a bit
    # more than half", so the final quantize rounds as if it saw every digit.
    digits, remainder = divmod(magnitude.numerator * 10 ** (places + 2), magnitude.denominator)
    sticky = Decimal(digits * 10 + (1 if remainder else 0)).scaleb(-(places + 3))
    mode = rounding
    context = decimal.Context(prec=len(str(digits)) + places + 5)
    if value < 0:  # rounding the magnitude: towards +inf on a negative is towards 0 on it
        mode = {Rounding.CEILING: Rounding.FLOOR, Rounding.FLOOR: Rounding.CEILING}.get(mode, mode)
    result = sticky.quantize(Decimal(1).scaleb(-places), rounding=mode.value, context=context)
    return -result if value < 0 else result


def _exact(value: Fraction) -> Decimal | None:
    """Return *value* as a finite ``Decimal``, or ``None`` when it has no finite form."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return None
    scale = max(twos, fives)
    digits = value.numerator * (10**scale) // value.denominator
    if not digits:
        return Decimal(0)
    while scale and digits % 10 == 0:  # drop trailing zeros without going to an exponent
        digits //= 10
        scale -= 1
    sign = 1 if digits < 0 else 0
    return Decimal((sign, tuple(map(int, str(abs(digits)))), -scale))  # no context rounding
