"""Attribute definitions: types, constraints, flags, and the check every value goes through."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Final

import attrs

from ecomkit.catalog._units import UNITS, Metric, UnitFamily, unit
from ecomkit.errors import InvalidTypeError, InvalidValueError, UnknownCodeError
from ecomkit.i18n import LocalizedText
from ecomkit.money import Money
from ecomkit.money._amount import to_decimal, to_int, to_member
from ecomkit.orders._values import check_text


__all__ = [
    "AnyValue",
    "AttributeDef",
    "AttributeType",
    "Option",
    "PriceCollection",
    "Value",
    "check_code",
    "code_field",
]

CODE: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,99}")
"""What a code (attribute, option, channel, category, product type) may look like."""

PriceCollection = tuple[Money, ...]
"""A price attribute's value: one `Money` per currency, sorted by currency code."""

AnyValue = Annotated[Any, "an attribute value, checked by its definition"]
"""What a change may carry as a value before it is checked: anything `AttributeDef.check` reads."""

Value = str | Decimal | Metric | bool | dt.date | tuple[str, ...] | tuple[Money, ...]
"""Any value an attribute can hold, once checked (see `AttributeType` for which is which)."""

_TEXT_LIMIT: Final = 255
_LONG_TEXT_LIMIT: Final = 65_535
_MEDIA_LIMIT: Final = 2_000
_EMPTY: Final = LocalizedText({})


def check_code(value: object, *, field: str) -> str:
    """Return *value* if it is a code: 1-100 letters, digits, ``_``, ``.`` or ``-``.

    Raises:
        InvalidTypeError: *value* is not a string.
        InvalidValueError: *value* is not a valid code.
    """
    if not isinstance(value, str):
        raise InvalidTypeError(field=field, value=value, expected="str")
    if CODE.fullmatch(value) is None:
        raise InvalidValueError(
            field=field,
            value=value,
            reason="not a code (1-100 letters, digits, '_', '.' or '-', not starting with . or -)",
        )
    return value


def code_field(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: the field holds a code (see `check_code`)."""
    check_code(value, field=attribute.name)


def _label(value: object) -> LocalizedText:
    if isinstance(value, LocalizedText):
        return value
    if isinstance(value, str):
        raise InvalidTypeError(
            field="label",
            value=value,
            expected="LocalizedText or a mapping of locale to text",
            hint="write LocalizedText({'en': ...})",
        )
    return LocalizedText(value)  # type: ignore[arg-type]  # LocalizedText checks the mapping


class AttributeType(enum.StrEnum):
    """What kind of value an attribute holds, and the Python type of its checked value."""

    TEXT = "text"
    """One line of text (``str``, no line breaks, 255 characters unless limited)."""
    LONG_TEXT = "long_text"
    """Text with line breaks (``str``, 65,535 characters unless limited)."""
    NUMBER = "number"
    """A number (``Decimal``; floats are refused)."""
    METRIC = "metric"
    """A measurement ([`Metric`][ecomkit.catalog.Metric]) in one unit family."""
    PRICES = "prices"
    """A price collection: a tuple of `Money`, one per currency, sorted by currency."""
    BOOLEAN = "boolean"
    """Yes or no (``bool``)."""
    DATE = "date"
    """A calendar date (``datetime.date``)."""
    SINGLE_SELECT = "single_select"
    """One of the declared options (its code, a ``str``)."""
    MULTI_SELECT = "multi_select"
    """Several of the declared options (a tuple of codes, in the order given)."""
    MEDIA = "media"
    """A reference to a media file: a URL or an asset key (``str``)."""
    IDENTIFIER = "identifier"
    """An identifier without spaces (``str``)."""


_TEXTUAL: Final = frozenset({AttributeType.TEXT, AttributeType.LONG_TEXT, AttributeType.IDENTIFIER})
_NUMERIC: Final = frozenset({AttributeType.NUMBER, AttributeType.METRIC, AttributeType.PRICES})
_SELECT: Final = frozenset({AttributeType.SINGLE_SELECT, AttributeType.MULTI_SELECT})
AXIS_TYPES: Final = frozenset(
    {AttributeType.SINGLE_SELECT, AttributeType.BOOLEAN, AttributeType.METRIC}
)
"""The attribute types a variant axis may have."""


@attrs.frozen(weakref_slot=False)
class Option:
    """One declared choice of a select attribute.

    Attributes:
        code: The option's stable code, stored in values (``"navy"``).
        label: Its name per locale (``{"en": "Navy blue"}``).
    """

    code: str = attrs.field(validator=code_field)
    label: LocalizedText = attrs.field(default=_EMPTY, converter=_label)


def _type(value: object) -> AttributeType:
    return to_member(AttributeType, value, field="type")


def _minimum(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, field="minimum")


def _maximum(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, field="maximum")


def _optional_limit(value: object) -> int | None:
    if value is None:
        return None
    number = to_int(value, field="max_characters")
    if number < 1:
        raise InvalidValueError(field="max_characters", value=value, reason="must be at least 1")
    return number


def _options(value: object) -> tuple[Option, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="options", value=value, expected="a list of Option")
    options = tuple(Option(item) if isinstance(item, str) else item for item in value)
    seen: set[str] = set()
    for option in options:
        if not isinstance(option, Option):
            raise InvalidTypeError(field="options", value=option, expected="Option or a code")
        if option.code in seen:
            raise InvalidValueError(field="options", value=option.code, reason="declared twice")
        seen.add(option.code)
    return options


def _optional_family(value: object) -> UnitFamily | None:
    return None if value is None else to_member(UnitFamily, value, field="unit_family")


def _optional_unit(value: object) -> str | None:
    return None if value is None else unit(value, field="default_unit").code


def _optional_pattern(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidTypeError(field="pattern", value=value, expected="a regular expression")
    try:
        re.compile(value)
    except re.error as error:
        raise InvalidValueError(
            field="pattern", value=value, reason=f"not a regular expression ({error})"
        ) from None
    return value


def _date_min(value: object) -> dt.date | None:
    return None if value is None else _date(value, field="date_min")


def _date_max(value: object) -> dt.date | None:
    return None if value is None else _date(value, field="date_max")


@attrs.frozen(weakref_slot=False, cache_hash=True)
class AttributeDef:
    """The definition of one product attribute: its type, constraints and flags.

    Constraints apply to the types they make sense for, and giving one to another type is
    refused, so a definition never carries a rule that silently does nothing:

    | Constraint | Types |
    | --- | --- |
    | `max_characters`, `pattern` | text, long text, identifier (and media for the limit) |
    | `minimum`, `maximum`, `decimals_allowed` | number, metric (in `default_unit`), prices |
    | `options` | single select, multi select (required) |
    | `unit_family`, `default_unit` | metric (required) |
    | `date_min`, `date_max` | date |

    Args:
        code: The attribute's stable code (``"color"``).
        type: Its [`AttributeType`][ecomkit.catalog.AttributeType].
        label: Its name per locale.
        localizable: Values are kept per locale (a title, a description).
        scopable: Values are kept per channel (a channel-specific title).
        unique: No two products may share a value (identifiers); checked by bulk import.
        max_characters: The longest text allowed.
        pattern: A regular expression the whole text must match.
        minimum: The smallest number allowed (inclusive).
        maximum: The largest number allowed (inclusive).
        decimals_allowed: Whether numbers may have a fractional part.
        options: The declared choices of a select attribute.
        unit_family: The unit family of a metric.
        default_unit: The unit a metric's bounds are stated in, and the unit exports use.
        date_min: The earliest date allowed.
        date_max: The latest date allowed.

    Raises:
        InvalidValueError: A constraint does not fit the type, or a required one is missing.

    Examples:
        >>> weight = AttributeDef("weight", "metric", unit_family="weight", default_unit="kg",
        ...                       minimum="0")
        >>> weight.check("1.5 kg")
        Metric(amount=Decimal('1.5'), unit='kg')
        >>> AttributeDef("size", "single_select", options=["S", "M", "L"]).check("XL")
        Traceback (most recent call last):
        ...
        ecomkit.errors.InvalidValueError: size: not one of the options S, M, L (got 'XL')
    """

    code: str = attrs.field(validator=code_field)
    type: AttributeType = attrs.field(converter=_type)
    label: LocalizedText = attrs.field(default=_EMPTY, kw_only=True, converter=_label)
    localizable: bool = attrs.field(default=False, kw_only=True)
    scopable: bool = attrs.field(default=False, kw_only=True)
    unique: bool = attrs.field(default=False, kw_only=True)
    max_characters: int | None = attrs.field(default=None, kw_only=True, converter=_optional_limit)
    pattern: str | None = attrs.field(default=None, kw_only=True, converter=_optional_pattern)
    minimum: Decimal | None = attrs.field(default=None, kw_only=True, converter=_minimum)
    maximum: Decimal | None = attrs.field(default=None, kw_only=True, converter=_maximum)
    decimals_allowed: bool = attrs.field(default=True, kw_only=True)
    options: tuple[Option, ...] = attrs.field(default=(), kw_only=True, converter=_options)
    unit_family: UnitFamily | None = attrs.field(
        default=None, kw_only=True, converter=_optional_family
    )
    default_unit: str | None = attrs.field(default=None, kw_only=True, converter=_optional_unit)
    date_min: dt.date | None = attrs.field(default=None, kw_only=True, converter=_date_min)
    date_max: dt.date | None = attrs.field(default=None, kw_only=True, converter=_date_max)
    _option_codes: frozenset[str] = attrs.field(init=False, eq=False, repr=False)
    _options_by_code: dict[str, Option] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        for flag in ("localizable", "scopable", "unique", "decimals_allowed"):
            if not isinstance(getattr(self, flag), bool):
                raise InvalidTypeError(field=flag, value=getattr(self, flag), expected="bool")
        self._check_constraints()
        object.__setattr__(self, "_option_codes", frozenset(o.code for o in self.options))
        object.__setattr__(self, "_options_by_code", {o.code: o for o in self.options})

    def _check_constraints(self) -> None:
        kind = self.type
        misplaced = [
            name
            for name, applies in (
                ("max_characters", kind in _TEXTUAL or kind is AttributeType.MEDIA),
                ("pattern", kind in _TEXTUAL),
                ("minimum", kind in _NUMERIC),
                ("maximum", kind in _NUMERIC),
                ("options", kind in _SELECT),
                ("unit_family", kind is AttributeType.METRIC),
                ("default_unit", kind is AttributeType.METRIC),
                ("date_min", kind is AttributeType.DATE),
                ("date_max", kind is AttributeType.DATE),
            )
            if not applies and getattr(self, name) not in (None, ())
        ]
        if not self.decimals_allowed and kind not in _NUMERIC:
            misplaced.append("decimals_allowed")
        if misplaced:
            raise InvalidValueError(
                field=misplaced[0],
                value=getattr(self, misplaced[0]),
                reason=f"does not apply to a {kind} attribute ({self.code!r})",
            )
        if kind in _SELECT and not self.options:
            raise InvalidValueError(
                field="options", value=(), reason=f"a {kind} attribute needs options"
            )
        if kind is AttributeType.METRIC:
            if self.unit_family is None or self.default_unit is None:
                raise InvalidValueError(
                    field="unit_family",
                    value=self.unit_family,
                    reason="a metric attribute needs unit_family and default_unit",
                )
            if unit(self.default_unit).family is not self.unit_family:
                raise InvalidValueError(
                    field="default_unit",
                    value=self.default_unit,
                    reason=f"not a {self.unit_family} unit",
                )
        for low, high in (("minimum", "maximum"), ("date_min", "date_max")):
            first, last = getattr(self, low), getattr(self, high)
            if first is not None and last is not None and first > last:
                raise InvalidValueError(field=high, value=last, reason=f"less than {low}")

    @property
    def option_codes(self) -> frozenset[str]:
        """The codes of the declared options (empty unless a select)."""
        return self._option_codes

    @property
    def max_length(self) -> int | None:
        """The effective length limit of a text value: `max_characters` or the type's own."""
        if self.max_characters is not None:
            return self.max_characters
        return {
            AttributeType.TEXT: _TEXT_LIMIT,
            AttributeType.IDENTIFIER: _TEXT_LIMIT,
            AttributeType.LONG_TEXT: _LONG_TEXT_LIMIT,
            AttributeType.MEDIA: _MEDIA_LIMIT,
        }.get(self.type)

    def check(self, value: object) -> Value:
        """Return *value* checked against this definition and in its canonical form.

        Text stays as given; numbers become ``Decimal``; ``"1.5 kg"`` becomes a
        [`Metric`][ecomkit.catalog.Metric]; a multi-select becomes a tuple of option codes;
        a price collection becomes a tuple of `Money` sorted by currency.

        Raises:
            InvalidTypeError: *value* has the wrong type for the attribute.
            InvalidValueError: *value* breaks a constraint. The error's ``field`` is the
                attribute's code.
        """
        checker: Any = _CHECKERS[self.type]
        checked: Value = checker(self, value)
        return checked

    def option_label(self, code: str, locale: str) -> str:
        """Return the label of option *code* in *locale* (with fallback), or the code itself.

        Examples:
            >>> color = AttributeDef("color", "single_select",
            ...                      options=[Option("navy", {"en": "Navy blue"}), "teal"])
            >>> color.option_label("navy", "en_GB"), color.option_label("teal", "en")
            ('Navy blue', 'teal')
        """
        option = self._options_by_code.get(code)
        return (option.label.get(locale) if option is not None else None) or code

    def label_in(self, locale: str) -> str:
        """Return the attribute's label in *locale* (with fallback), or its code."""
        return self.label.get(locale) or self.code


def _check_text(definition: AttributeDef, value: object) -> str:
    field = definition.code
    limit = definition.max_length or _LONG_TEXT_LIMIT
    text = check_text(value, field=field, limit=limit)
    if definition.type is AttributeType.TEXT and ("\n" in text or "\r" in text):
        raise InvalidValueError(
            field=field, value=value, reason="a text attribute holds one line; use long_text"
        )
    if definition.type is AttributeType.IDENTIFIER and any(char.isspace() for char in text):
        raise InvalidValueError(field=field, value=value, reason="an identifier has no spaces")
    if definition.pattern is not None and re.fullmatch(definition.pattern, text) is None:
        raise InvalidValueError(
            field=field, value=value, reason=f"does not match the pattern {definition.pattern!r}"
        )
    return text


def _check_bounds(definition: AttributeDef, number: Decimal, value: object, unit_: str) -> None:
    field = definition.code
    suffix = f" {unit_}" if unit_ else ""
    if not definition.decimals_allowed and number != number.to_integral_value():
        raise InvalidValueError(field=field, value=value, reason="decimals are not allowed")
    if definition.minimum is not None and number < definition.minimum:
        raise InvalidValueError(
            field=field, value=value, reason=f"less than the minimum {definition.minimum}{suffix}"
        )
    if definition.maximum is not None and number > definition.maximum:
        raise InvalidValueError(
            field=field, value=value, reason=f"more than the maximum {definition.maximum}{suffix}"
        )


def _check_number(definition: AttributeDef, value: object) -> Decimal:
    number = to_decimal(value, field=definition.code, error=InvalidValueError)
    _check_bounds(definition, number, value, "")
    return number


def _metric(value: object, *, field: str) -> Metric:
    if isinstance(value, Metric):
        return value
    if isinstance(value, str):
        amount, _, code = value.strip().partition(" ")
        if not code:
            raise InvalidValueError(
                field=field, value=value, reason="write a measurement as '<amount> <unit>'"
            )
        return Metric(amount, code.strip())
    raise InvalidTypeError(field=field, value=value, expected="Metric or '<amount> <unit>'")


def _check_metric(definition: AttributeDef, value: object) -> Metric:
    field = definition.code
    try:
        metric = _metric(value, field=field)
    except UnknownCodeError as error:
        raise InvalidValueError(field=field, value=value, reason=str(error)) from None
    except InvalidValueError as error:
        if error.field == field:
            raise
        raise InvalidValueError(field=field, value=value, reason=error.reason) from None
    if metric.family is not definition.unit_family:
        raise InvalidValueError(
            field=field,
            value=value,
            reason=f"{metric.unit} is not a {definition.unit_family} unit",
        )
    bound_unit = definition.default_unit or metric.unit
    size = Fraction(metric.amount) * Fraction(UNITS[metric.unit].factor)
    for bound, too_far, word in (
        (definition.minimum, size.__lt__, "less than the minimum"),
        (definition.maximum, size.__gt__, "more than the maximum"),
    ):
        if bound is not None and too_far(Fraction(bound) * Fraction(UNITS[bound_unit].factor)):
            raise InvalidValueError(field=field, value=value, reason=f"{word} {bound} {bound_unit}")
    if not definition.decimals_allowed and metric.amount != metric.amount.to_integral_value():
        raise InvalidValueError(field=field, value=value, reason="decimals are not allowed")
    return metric


def _check_prices(definition: AttributeDef, value: object) -> tuple[Money, ...]:
    field = definition.code
    items = (value,) if isinstance(value, Money) else value
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise InvalidTypeError(field=field, value=value, expected="Money or a list of Money")
    prices: dict[str, Money] = {}
    for item in items:
        if not isinstance(item, Money):
            raise InvalidTypeError(field=field, value=item, expected="Money")
        code = item.currency.code
        if code in prices:
            raise InvalidValueError(field=field, value=value, reason=f"two prices in {code}")
        _check_bounds(definition, item.amount, item, "")
        prices[code] = item
    if not prices:
        raise InvalidValueError(field=field, value=value, reason="needs at least one price")
    return tuple(prices[code] for code in sorted(prices))


def _check_boolean(definition: AttributeDef, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError(field=definition.code, value=value, expected="bool")
    return value


def _date(value: object, *, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InvalidTypeError(field=field, value=value, expected="a date, not a datetime")
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidValueError(
                field=field, value=value, reason="not an ISO date (YYYY-MM-DD)"
            ) from None
    raise InvalidTypeError(field=field, value=value, expected="datetime.date or 'YYYY-MM-DD'")


def _check_date(definition: AttributeDef, value: object) -> dt.date:
    day = _date(value, field=definition.code)
    if definition.date_min is not None and day < definition.date_min:
        raise InvalidValueError(
            field=definition.code, value=value, reason=f"before {definition.date_min}"
        )
    if definition.date_max is not None and day > definition.date_max:
        raise InvalidValueError(
            field=definition.code, value=value, reason=f"after {definition.date_max}"
        )
    return day


def _option(definition: AttributeDef, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidTypeError(field=definition.code, value=value, expected="an option code")
    if value not in definition.option_codes:
        choices = ", ".join(option.code for option in definition.options[:20])
        raise InvalidValueError(
            field=definition.code, value=value, reason=f"not one of the options {choices}"
        )
    return value


def _check_single(definition: AttributeDef, value: object) -> str:
    return _option(definition, value)


def _check_multi(definition: AttributeDef, value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(
            field=definition.code, value=value, expected="a list of option codes"
        )
    codes = tuple(_option(definition, item) for item in value)
    if len(set(codes)) != len(codes):
        raise InvalidValueError(field=definition.code, value=value, reason="an option twice")
    if not codes:
        raise InvalidValueError(
            field=definition.code, value=value, reason="needs at least one option"
        )
    return codes


_CHECKERS: Final[dict[AttributeType, Any]] = {
    AttributeType.TEXT: _check_text,
    AttributeType.LONG_TEXT: _check_text,
    AttributeType.IDENTIFIER: _check_text,
    AttributeType.MEDIA: _check_text,
    AttributeType.NUMBER: _check_number,
    AttributeType.METRIC: _check_metric,
    AttributeType.PRICES: _check_prices,
    AttributeType.BOOLEAN: _check_boolean,
    AttributeType.DATE: _check_date,
    AttributeType.SINGLE_SELECT: _check_single,
    AttributeType.MULTI_SELECT: _check_multi,
}
