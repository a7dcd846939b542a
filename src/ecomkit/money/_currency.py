"""ISO 4217 currencies, from the table shipped with ecomkit (``ecomkit/data/iso4217.csv``)."""

from __future__ import annotations

import csv
import functools
import io
from decimal import Decimal
from typing import Any, Final, NoReturn, final

import attrs

from ecomkit.errors import InvalidTypeError, NoMinorUnitError, UnknownCurrencyError


__all__ = ["Currency", "lookup"]

_TABLE: Final = "data/iso4217.csv"


@final
class Currency:
    """An ISO 4217 currency: ``Currency("eur")`` returns the shared ``EUR`` instance.

    Minor units come from the ISO 4217 table shipped with ecomkit, not from CLDR, so
    ``Currency("IQD").minor_units == 3`` even though CLDR displays the dinar with no
    decimals. What a locale *displays* and how *cash* is rounded are separate properties
    ([`display_digits`][ecomkit.Currency.display_digits],
    [`cash_increment`][ecomkit.Currency.cash_increment]), read from babel on first use.

    Instances are immutable, hashable and interned: there is one object per code, so
    equality is identity (``Currency("eur") is Currency("EUR")``), also after pickling.

    Args:
        code: A three-letter alphabetic code in any case (``"eur"``, ``"EUR"``), or a
            ``Currency``, which is returned as it is.

    Raises:
        UnknownCurrencyError: *code* is not in the ISO 4217 table.
        InvalidTypeError: *code* is not a string.

    Attributes:
        code: The alphabetic code (``"EUR"``).
        numeric: The numeric code as a three-character string (``"978"``).
        minor_units: Digits after the decimal point in ISO 4217, or ``None`` where ISO says
            N.A. (gold, testing codes ...).
        name: The English name in the ISO table.

    Examples:
        >>> Currency("iqd").minor_units, Currency("JPY").minor_units, Currency("CLF").minor_units
        (3, 0, 4)
        >>> Currency("eur") is Currency("EUR")
        True
    """

    __slots__ = ("code", "minor_units", "name", "numeric")

    code: str
    numeric: str
    minor_units: int | None
    name: str

    def __new__(cls, code: str | Currency) -> Currency:
        found = _table().get(code) if type(code) is str else None
        if found is not None:  # the common case: an exact upper-case code
            return found
        if isinstance(code, Currency):
            return code
        if not isinstance(code, str):
            raise InvalidTypeError(
                field="currency", value=code, expected="a three-letter ISO 4217 code"
            )
        found = _table().get(code.strip().upper())
        if found is None:
            raise UnknownCurrencyError(code)
        return found

    @classmethod
    def _make(cls, code: str, numeric: str, minor_units: int | None, name: str) -> Currency:
        self = object.__new__(cls)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "numeric", numeric)
        object.__setattr__(self, "minor_units", minor_units)
        object.__setattr__(self, "name", name)
        return self

    @classmethod
    def all(cls) -> tuple[Currency, ...]:
        """Return every currency in the shipped ISO 4217 table, sorted by code."""
        return tuple(_table().values())

    @property
    def exponent(self) -> Decimal:
        """The smallest ISO amount as a ``Decimal`` exponent (``Decimal("0.01")`` for EUR).

        Raises:
            NoMinorUnitError: ISO 4217 defines no minor unit for this currency.
        """
        if self.minor_units is None:
            raise NoMinorUnitError(currency=self.code, operation="find the minor unit")
        return Decimal(1).scaleb(-self.minor_units)

    @property
    def display_digits(self) -> int:
        """Digits a shop usually displays, per CLDR (babel); may differ from ISO.

        For example CLDR displays the Iraqi dinar with 0 digits while ISO 4217 gives it 3.
        """
        return _cldr_fractions(self.code)[0]

    @property
    def cash_increment(self) -> Decimal:
        """The smallest amount payable in cash, per CLDR (``Decimal("0.05")`` for CHF)."""
        _digits, _rounding, cash_digits, cash_rounding = _cldr_fractions(self.code)
        return Decimal(cash_rounding or 1).scaleb(-cash_digits)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise attrs.exceptions.FrozenInstanceError

    def __delattr__(self, name: str) -> NoReturn:
        raise attrs.exceptions.FrozenInstanceError

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (Currency, (self.code,))

    def __repr__(self) -> str:
        return f"Currency({self.code!r})"

    def __str__(self) -> str:
        return self.code


def lookup(code: str) -> Currency | None:
    """Return the currency whose code is exactly *code* (upper case), else ``None``."""
    return _table().get(code)


@functools.cache
def _table() -> dict[str, Currency]:
    """Load the shipped ISO 4217 table once, on first use."""
    from importlib import resources  # noqa: PLC0415 - keeps import ecomkit light

    text = resources.files("ecomkit").joinpath(_TABLE).read_text(encoding="utf-8")
    lines = (line for line in io.StringIO(text) if not line.startswith("#"))
    table: dict[str, Currency] = {}
    for row in csv.DictReader(lines):
        minor = row["minor_units"]
        table[row["code"]] = Currency._make(
            row["code"], row["numeric"], int(minor) if minor else None, row["name"]
        )
    return table


@functools.cache
def _cldr_fractions(code: str) -> tuple[int, int, int, int]:
    """Return CLDR's ``(digits, rounding, cash_digits, cash_rounding)`` for *code*."""
    from babel.core import get_global  # noqa: PLC0415 - locale data loads on first use

    fractions = get_global("currency_fractions")
    found: tuple[int, int, int, int] = fractions.get(code, fractions["DEFAULT"])
    return found
