"""GS1 Global Trade Item Numbers: parsing, check digits, the 14-digit form, prefixes."""

from __future__ import annotations

from typing import Final

import attrs

from ecomkit.errors import InvalidGtinError, InvalidTypeError


__all__ = ["GTIN_LENGTHS", "Gtin", "gs1_check_digit"]

GTIN_LENGTHS: Final = (8, 12, 13, 14)
"""The lengths a GTIN may have: GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) and GTIN-14."""

_SEPARATORS: Final = frozenset(" -")
_FULL: Final = 14


def gs1_check_digit(digits: str) -> int:
    """Return the GS1 check digit for *digits* (the number without its check digit).

    From the right, the digits are weighted 3, 1, 3, 1 ...; the check digit brings the
    weighted sum up to the next multiple of ten.

    Raises:
        InvalidGtinError: *digits* is empty or holds something other than ASCII digits.

    Examples:
        >>> gs1_check_digit("590123412345")
        7
    """
    if not digits or not (digits.isascii() and digits.isdigit()):
        raise InvalidGtinError(value=digits, reason="needs ASCII digits to compute a check digit")
    total = sum(
        int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(digits))
    )
    return (10 - total % 10) % 10


def _prefix_kind(gtin14: str, length: int) -> str | None:
    """Return ``"restricted"``, ``"coupon"`` or ``None`` for a GTIN's GS1 prefix."""
    if length == 8:  # noqa: PLR2004 - GTIN-8: prefixes 0 and 2 are restricted circulation numbers
        return "restricted" if gtin14[6] in "02" else None
    prefix = gtin14[1:3]  # the GS1 prefix of the 13-digit form, after the indicator digit
    if prefix in {"02", "04"} or prefix[0] == "2":
        return "restricted"
    if prefix in {"98", "99"}:
        return "coupon"
    return None


@attrs.frozen(weakref_slot=False)
class Gtin:
    """A valid GTIN, kept in its 14-digit form with the length it was written in.

    Build one with [`parse`][ecomkit.catalog.Gtin.parse]. Two GTINs are equal when their
    14-digit forms are: ``"4006381333931"`` (EAN-13) and ``"04006381333931"`` (GTIN-14)
    name the same item.

    Attributes:
        gtin14: The number padded to 14 digits with leading zeros, as GS1 compares them.
        length: The length it was written in: 8, 12, 13 or 14.

    Examples:
        >>> gtin = Gtin.parse("4006381333931")
        >>> gtin.gtin14, gtin.length, gtin.restricted
        ('04006381333931', 13, False)
        >>> Gtin.parse("2012345678903").restricted  # in-store number (prefix 20-29)
        True
        >>> Gtin.parse("4006381333932")
        Traceback (most recent call last):
        ...
        ecomkit.errors.InvalidGtinError: gtin: wrong check digit 2 (expected 1); ...
    """

    gtin14: str = attrs.field()
    length: int = attrs.field(eq=False)

    @gtin14.validator
    def _check_gtin14(self, _attribute: object, value: object) -> None:
        if not isinstance(value, str):
            raise InvalidTypeError(field="gtin14", value=value, expected="str")
        if len(value) != _FULL or not (value.isascii() and value.isdigit()):
            raise InvalidGtinError(value=value, reason="gtin14 must be 14 ASCII digits")
        _check(value, value)

    @length.validator
    def _check_length(self, _attribute: object, value: object) -> None:
        if value not in GTIN_LENGTHS or isinstance(value, bool):
            raise InvalidGtinError(value=value, reason="length must be 8, 12, 13 or 14")
        if self.gtin14[: _FULL - value].strip("0"):
            raise InvalidGtinError(
                value=self.gtin14, reason=f"has significant digits before the last {value}"
            )

    @classmethod
    def parse(cls, text: str) -> Gtin:
        """Read a GTIN-8, -12, -13 or -14 from *text* and check its check digit.

        Spaces and hyphens between digits are allowed (``"5 901234 123457"``), as printed
        under bar codes; nothing else is.

        Raises:
            InvalidGtinError: Wrong length, a character that is not a digit, a wrong check
                digit, or all zeros. The message says which.
            InvalidTypeError: *text* is not a string.

        Examples:
            >>> Gtin.parse("5 901234 123457").gtin14
            '05901234123457'
            >>> Gtin.parse("96385074").length
            8
        """
        if not isinstance(text, str):
            raise InvalidTypeError(field="gtin", value=text, expected="a string of digits")
        digits = "".join(char for char in text.strip() if char not in _SEPARATORS)
        bad = sorted({char for char in digits if not (char.isascii() and char.isdigit())})
        if bad:
            shown = ", ".join(repr(char) for char in bad)
            raise InvalidGtinError(value=text, reason=f"contains {shown}; only digits are allowed")
        if len(digits) not in GTIN_LENGTHS:
            raise InvalidGtinError(
                value=text, reason=f"has {len(digits)} digits; a GTIN has 8, 12, 13 or 14"
            )
        _check(digits, text)
        return cls(digits.rjust(_FULL, "0"), len(digits))

    @property
    def digits(self) -> str:
        """The number in the length it was written in."""
        return self.gtin14[_FULL - self.length :]

    @property
    def check_digit(self) -> int:
        """The last digit."""
        return int(self.gtin14[-1])

    @property
    def restricted(self) -> bool:
        """Whether the prefix is for restricted circulation (02, 04, 2x) or coupons (98, 99).

        Such numbers are only unique within a company or a country (in-store and
        variable-measure items, coupons), so marketplaces and feeds refuse them as product
        identifiers. For a GTIN-8, prefixes 0 and 2 are restricted circulation numbers.
        """
        return _prefix_kind(self.gtin14, self.length) is not None

    @property
    def is_coupon(self) -> bool:
        """Whether the prefix is a coupon prefix (98 or 99)."""
        return _prefix_kind(self.gtin14, self.length) == "coupon"

    def __str__(self) -> str:
        """Return the number in the length it was written in."""
        return self.digits


def _check(digits: str, given: object) -> None:
    if not digits.strip("0"):
        raise InvalidGtinError(value=given, reason="is all zeros")
    expected = gs1_check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        raise InvalidGtinError(
            value=given,
            reason=f"wrong check digit {digits[-1]} (expected {expected}); "
            "a digit was probably mistyped",
        )
