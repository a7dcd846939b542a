"""Strict conversion between ecomkit objects, plain data and JSON.

[`make_converter`][ecomkit.serialization.make_converter] returns a cattrs converter that knows
every ecomkit type; [`to_json`][ecomkit.serialization.to_json] and
[`from_json`][ecomkit.serialization.from_json] wrap it for the common case. Your own attrs
classes that hold ecomkit values work with it too.

The wire format:

| Python | JSON |
| --- | --- |
| ``Decimal`` | a string, ``"12.30"`` |
| [`Money`][ecomkit.Money] | ``{"amount": "12.30", "currency": "EUR"}`` |
| [`Currency`][ecomkit.Currency] | its code, ``"EUR"`` |
| timezone-aware ``datetime`` | ISO 8601 with its offset, ``"2026-03-01T10:00:00+01:00"`` |
| ``date`` | ``"2026-03-01"`` |
| enums | their value |
| [`LocalizedText`][ecomkit.i18n.LocalizedText] | ``{"values": {...}, "default_locale": "en"}`` |
| order events and commands | their fields, tagged first: ``{"type": "PaymentCaptured", ...}`` |

An [`OrderEvent`][ecomkit.orders.OrderEvent] or [`OrderCommand`][ecomkit.orders.OrderCommand]
is read by the class its ``"type"`` names; reading a concrete class, the tag may be left
out. The hooks for them are built on first use, so configuring a converter does not import
``ecomkit.orders``.

Reading is strict, because silent coercion loses data: a float for an amount is refused
(JSON numbers are parsed exactly from their text, never through a binary float), ``2.5`` for
an integer is refused rather than truncated, ``"false"`` is not a boolean, naive datetimes,
unknown enum values and unknown keys are refused. Every problem in a document is reported at
once, as one [`DataValidationError`][ecomkit.errors.DataValidationError] with a JSON path per
problem.

Examples:
    >>> from ecomkit import Money
    >>> to_json(Money("12.30", "EUR"))
    '{"amount":"12.30","currency":"EUR"}'
    >>> from_json('{"amount": 12.30, "currency": "eur"}', Money)
    Money('12.30', 'EUR')
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import importlib
import json
import re
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs
import cattrs
import pendulum
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from ecomkit.errors import (
    DataValidationError,
    EcomkitError,
    InvalidTypeError,
    InvalidValueError,
    Problem,
)
from ecomkit.i18n import LocalizedText
from ecomkit.money import Currency, Money
from ecomkit.money._amount import DECIMAL_TEXT, to_decimal, to_member
from ecomkit.money._currency import lookup as lookup_currency
from ecomkit.time import ensure_aware


__all__ = ["EcomkitConverter", "configure_converter", "from_json", "make_converter", "to_json"]

_T = TypeVar("_T")
_IDENTIFIER: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MONEY_KEYS: Final = frozenset({"amount", "currency"})
#: The key naming the class of an order event or command in its JSON object.
_TAG: Final = "type"
#: The bases whose public subclasses travel as tagged unions, by the module defining them.
_TAGGED_BASES: Final = (
    ("ecomkit.catalog", "ProductChange"),
    ("ecomkit.catalog", "ProductEvent"),
    ("ecomkit.catalog", "QualityCriterion"),
    ("ecomkit.catalog", "RuleCondition"),
    ("ecomkit.orders", "OrderEvent"),
    ("ecomkit.orders", "OrderCommand"),
    ("ecomkit.returns", "ReturnEvent"),
    ("ecomkit.returns", "ReturnCommand"),
    ("ecomkit.returns", "ReturnRule"),
)
#: Stands for a missing ``"type"`` key.
_NO_TAG: Final = object()


class EcomkitConverter(cattrs.Converter):
    """A cattrs converter whose ``structure`` raises one ecomkit error for a bad document.

    Build one with [`make_converter`][ecomkit.serialization.make_converter]. It behaves like
    any ``cattrs.Converter`` (register your own hooks as usual), except that
    ``structure`` reports every problem at once as a
    [`DataValidationError`][ecomkit.errors.DataValidationError] instead of a cattrs
    exception group.

    Valid documents, the usual case, are built by cattrs' lean code path. Only when that
    fails is the document structured again by a twin converter with cattrs' detailed
    validation, to collect every problem with its path; so your structure hooks must not
    have side effects (they may run twice for a bad document).
    """

    _reporter: EcomkitConverter | None = None

    def structure(self, obj: Any, cl: Any) -> Any:
        """Build an instance of *cl* from plain data *obj*.

        Raises:
            DataValidationError: *obj* has one or more problems; all are listed.
        """
        try:
            return super().structure(obj, cl)
        except Exception as error:
            if not self.detailed_validation:
                self._detailed().structure(obj, cl)  # raises with every problem listed
            problems = tuple(_problems(error, "$"))
            raise DataValidationError(target=_name(cl), problems=problems) from error

    def _detailed(self) -> EcomkitConverter:
        """Return (and keep) a copy of this converter with detailed validation on."""
        if self._reporter is None:
            self._reporter = self.copy(detailed_validation=True)
        return self._reporter

    def register_structure_hook(self, *args: Any, **kwargs: Any) -> Any:
        """Register a structure hook, as ``cattrs.Converter.register_structure_hook``."""
        self._reporter = None
        return super().register_structure_hook(*args, **kwargs)

    def register_structure_hook_func(self, *args: Any, **kwargs: Any) -> Any:
        """Register a predicate hook, as ``cattrs.Converter.register_structure_hook_func``."""
        self._reporter = None
        return super().register_structure_hook_func(*args, **kwargs)

    def register_structure_hook_factory(self, *args: Any, **kwargs: Any) -> Any:
        """Register a hook factory, as ``cattrs.Converter.register_structure_hook_factory``."""
        self._reporter = None
        return super().register_structure_hook_factory(*args, **kwargs)


def make_converter() -> EcomkitConverter:
    """Return a new converter configured for every ecomkit type.

    Examples:
        >>> from ecomkit import Money
        >>> converter = make_converter()
        >>> converter.unstructure(Money("5", "JPY"))
        {'amount': '5', 'currency': 'JPY'}
    """
    converter = EcomkitConverter(forbid_extra_keys=True, detailed_validation=False)
    configure_converter(converter)
    return converter


def configure_converter(converter: cattrs.Converter) -> None:
    """Register ecomkit's strict hooks on an existing cattrs *converter*.

    Use this to add ecomkit types to a converter your application already has. The hooks
    are listed in the module documentation; ``int``, ``str`` and ``bool`` become strict
    (no ``str(12)``, no ``bool("false")``, no ``int(2.5)``), and order events and commands
    are read and written as unions tagged by ``"type"``.
    """
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Currency, _structure_currency)
    converter.register_unstructure_hook(Currency, lambda currency: currency.code)
    converter.register_structure_hook(Money, _structure_money)
    converter.register_unstructure_hook(Money, _unstructure_money)
    for moment in (pendulum.DateTime, dt.datetime):
        converter.register_structure_hook(moment, _structure_datetime)
        converter.register_unstructure_hook(moment, _unstructure_datetime)
    for day in (pendulum.Date, dt.date):
        converter.register_structure_hook(day, _structure_date)
        converter.register_unstructure_hook(day, _unstructure_date)
    converter.register_structure_hook_factory(
        lambda kind: isinstance(kind, type) and issubclass(kind, enum.Enum), _enum_hook
    )
    converter.register_structure_hook(LocalizedText, _structure_localized_text)
    converter.register_unstructure_hook(LocalizedText, _unstructure_localized_text)
    # Order events and commands: tagged unions, built on first use so that configuring a
    # converter does not import ecomkit.orders.
    converter.register_structure_hook_factory(_is_tagged, _tagged_structure_hook)
    converter.register_unstructure_hook_factory(_is_tagged, _tagged_unstructure_hook)
    # Catalog values, value mappings and GTINs, once ecomkit.catalog is imported.
    for name in ("Values", "Gtin", "AnyValue"):
        converter.register_structure_hook_func(
            functools.partial(_is_catalog_type, name), functools.partial(_catalog_read, name)
        )
        converter.register_unstructure_hook_func(
            functools.partial(_is_catalog_type, name), functools.partial(_catalog_write, name)
        )
    # Messages of return decisions: typed arguments, each tagged with its kind.
    converter.register_structure_hook_factory(_is_message, _message_structure_hook)
    converter.register_unstructure_hook_factory(_is_message, _message_unstructure_hook)


def _refuse_constant(name: str) -> Decimal:
    raise ValueError(f"{name} is not a number ecomkit accepts")


_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_DECODER: Final = json.JSONDecoder(parse_float=Decimal, parse_constant=_refuse_constant)
_default_converter: EcomkitConverter | None = None


def _converter() -> EcomkitConverter:
    global _default_converter  # noqa: PLW0603 - one shared, lazily built default
    if _default_converter is None:
        _default_converter = make_converter()
    return _default_converter


def to_json(obj: object, *, converter: cattrs.Converter | None = None) -> str:
    """Serialize *obj* to compact JSON text.

    Args:
        obj: Any value the converter can unstructure (ecomkit values, your attrs classes,
            lists and dicts of them).
        converter: The converter to use; defaults to a shared
            [`make_converter`][ecomkit.serialization.make_converter] instance.
    """
    return _ENCODER.encode((converter or _converter()).unstructure(obj))


def from_json(data: str | bytes, cls: type[_T], *, converter: cattrs.Converter | None = None) -> _T:
    """Parse JSON text into an instance of *cls*, strictly.

    JSON numbers are read exactly from their text (``12.30`` never becomes
    ``12.2999999``); ``NaN`` and ``Infinity`` are refused.

    Args:
        data: JSON text, as ``str`` or UTF-8 ``bytes``.
        cls: The type to build.
        converter: The converter to use; defaults to a shared
            [`make_converter`][ecomkit.serialization.make_converter] instance.

    Raises:
        DataValidationError: The text is not JSON, or the document has problems; every
            problem is listed with its path.

    Examples:
        >>> from ecomkit import Money
        >>> from_json('{"amount": 1.5, "currency": "EUR", "note": "x"}', Money)
        Traceback (most recent call last):
        ...
        ecomkit.errors.DataValidationError: Money: 1 problem
          unknown key 'note' @ $
    """
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
        document = _DECODER.decode(text)
    except (ValueError, TypeError) as error:
        problem = Problem(path="$", message=f"not valid JSON: {error}")
        raise DataValidationError(target=_name(cls), problems=(problem,)) from error
    result: _T = (converter or _converter()).structure(document, cls)
    return result


# ---------------------------------------------------------------------------- hooks


def _structure_str(value: Any, kind: Any) -> str:
    if kind is not str and issubclass(kind, enum.Enum):  # a StrEnum dispatches here
        member: str = to_member(kind, value, field="")
        return member
    if not isinstance(value, str):
        raise InvalidTypeError(field="", value=value, expected="a string")
    return value


def _structure_int(value: Any, kind: Any) -> int:
    if kind is not int and issubclass(kind, enum.Enum):  # an IntEnum dispatches here
        member: int = to_member(kind, value, field="")
        return member
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field="", value=value, expected="an integer")
    return value


def _structure_bool(value: Any, _kind: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError(field="", value=value, expected="true or false")
    return value


def _structure_decimal(value: Any, _kind: Any) -> Decimal:
    return to_decimal(value, field="")


def _structure_currency(value: Any, _kind: Any) -> Currency:
    return Currency(value)


def _structure_money(value: Any, _kind: Any) -> Money:
    # Fast path for the usual document: {"amount": "12.30", "currency": "EUR"}.
    if type(value) is dict and len(value) == 2:  # noqa: PLR2004 - amount and currency
        amount = value.get("amount")
        code = value.get("currency")
        if type(amount) is str and type(code) is str and DECIMAL_TEXT.fullmatch(amount):
            currency = lookup_currency(code)
            if currency is not None:
                number = Decimal(amount)
                if number.is_zero():
                    number = number.copy_abs()
                return Money._trusted(number, currency)  # noqa: SLF001 - both values checked
    return _structure_money_checked(value)


def _structure_money_checked(value: Any) -> Money:
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            field="", value=value, expected='an object {"amount": ..., "currency": ...}'
        )
    missing = sorted(_MONEY_KEYS - value.keys())
    if missing:
        raise InvalidValueError(
            field="", value=value, reason=f"missing key {', '.join(map(repr, missing))}"
        )
    extra = sorted(str(key) for key in value.keys() - _MONEY_KEYS)
    if extra:
        raise InvalidValueError(
            field="", value=value, reason=f"unknown key {', '.join(map(repr, extra))}"
        )
    amount: Decimal | None = None
    currency: Currency | None = None
    failures: list[Exception] = []
    try:
        amount = to_decimal(value["amount"], field="")
    except EcomkitError as error:
        error.add_note(AttributeValidationNote("amount", "amount", Decimal))
        failures.append(error)
    try:
        currency = Currency(value["currency"])
    except EcomkitError as error:
        error.add_note(AttributeValidationNote("currency", "currency", Currency))
        failures.append(error)
    if amount is None or currency is None:
        raise ClassValidationError("While structuring Money", failures, Money)
    return Money(amount, currency)


def _unstructure_money(money: Money) -> dict[str, str]:
    return {"amount": str(money.amount), "currency": money.currency.code}


def _structure_datetime(value: Any, _kind: Any) -> pendulum.DateTime:
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise InvalidValueError(
                field="", value=value, reason="not an ISO 8601 datetime"
            ) from None
    elif isinstance(value, dt.datetime):
        parsed = value
    else:
        raise InvalidTypeError(field="", value=value, expected="an ISO 8601 datetime string")
    offset = parsed.utcoffset()
    if offset is not None and type(parsed) is dt.datetime and type(parsed.tzinfo) is dt.timezone:
        # What fromisoformat returns for an ISO string with an offset: a fixed offset, so
        # the pendulum value can be built directly (2x faster than the general path).
        return pendulum.DateTime(
            parsed.year,
            parsed.month,
            parsed.day,
            parsed.hour,
            parsed.minute,
            parsed.second,
            parsed.microsecond,
            tzinfo=_fixed_timezone(int(offset.total_seconds())),
        )
    return ensure_aware(parsed, field="")  # refuses naive values; keeps DST-gap instants


@functools.lru_cache(maxsize=64)
def _fixed_timezone(seconds: int) -> pendulum.FixedTimezone:
    return pendulum.FixedTimezone(seconds)


def _unstructure_datetime(value: dt.datetime) -> str:
    return value.isoformat()


def _structure_date(value: Any, _kind: Any) -> pendulum.Date:
    if isinstance(value, dt.datetime) or not isinstance(value, (str, dt.date)):
        raise InvalidTypeError(field="", value=value, expected="an ISO 8601 date string")
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidValueError(field="", value=value, reason="not an ISO 8601 date") from None
    return pendulum.Date(value.year, value.month, value.day)


def _unstructure_date(value: dt.date) -> str:
    return value.isoformat()


def _enum_hook(kind: type[enum.Enum]) -> Callable[[Any, Any], enum.Enum]:
    def structure(value: Any, _kind: Any) -> enum.Enum:
        return to_member(kind, value, field="")

    return structure


def _structure_localized_text(value: Any, _kind: Any) -> LocalizedText:
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            field="", value=value, expected='an object {"values": {...}, "default_locale": ...}'
        )
    extra = sorted(str(key) for key in value.keys() - {"values", "default_locale"})
    if extra or "values" not in value:
        reason = f"unknown key {', '.join(map(repr, extra))}" if extra else "missing key 'values'"
        raise InvalidValueError(field="", value=value, reason=reason)
    texts = value["values"]
    if not isinstance(texts, Mapping):
        raise InvalidTypeError(field="values", value=texts, expected="an object of locale: text")
    default = value.get("default_locale")
    if default is not None and not isinstance(default, str):
        raise InvalidTypeError(field="default_locale", value=default, expected="a locale code")
    return LocalizedText(texts, default_locale=default)


def _unstructure_localized_text(text: LocalizedText) -> dict[str, Any]:
    return {"values": dict(text.values), "default_locale": text.default_locale}


# ---------------------------------------------------------------------------- tagged unions


_CATALOG_CODECS: Final = {
    "Values": ("values_from_json", "values_to_json"),
    "Gtin": ("gtin_from_json", "gtin_to_json"),
    "AnyValue": ("value_from_json", "value_to_json"),
}


def _is_catalog_type(name: str, kind: Any) -> bool:
    """Whether *kind* is the catalog type *name* (never imports ``ecomkit.catalog``)."""
    module = sys.modules.get("ecomkit.catalog._json")
    if module is None:
        return False
    target = getattr(sys.modules["ecomkit.catalog"], name, None)
    return target is not None and (kind is target or kind == target)


def _catalog_read(name: str, value: Any, _kind: Any) -> Any:
    """Structure the catalog type *name* with its reader in ``ecomkit.catalog._json``."""
    return getattr(sys.modules["ecomkit.catalog._json"], _CATALOG_CODECS[name][0])(value)


def _catalog_write(name: str, value: Any) -> Any:
    """Unstructure the catalog type *name* with its writer in ``ecomkit.catalog._json``."""
    return getattr(sys.modules["ecomkit.catalog._json"], _CATALOG_CODECS[name][1])(value)


def _tagged_root(kind: Any) -> type | None:
    """Return the tagged base (``OrderEvent``, ``ReturnRule`` ...) *kind* derives from.

    A class can only derive from one once its package is imported, so this looks the bases
    up in ``sys.modules`` and never imports a package itself.
    """
    if not isinstance(kind, type):
        return None
    for module_name, name in _TAGGED_BASES:
        module = sys.modules.get(module_name)
        base = getattr(module, name, None)  # None while the package is still importing
        if isinstance(base, type) and issubclass(kind, base):
            return base
    return None


def _is_tagged(kind: Any) -> bool:
    return _tagged_root(kind) is not None


def _tagged_members(kind: type, root: type) -> dict[str, type]:
    """Return the classes a document for *kind* may name, by class name.

    They are the public subclasses of *root* in the package that defines it (for return
    rules: every registered rule type) that derive from *kind*, and *kind* itself unless it
    is the abstract base.
    """
    module = importlib.import_module(root.__module__.rsplit("._", 1)[0])
    candidates: dict[str, Any] = {name: getattr(module, name) for name in module.__all__}
    if root.__name__ == "ReturnRule":
        candidates = dict(module.rule_types())
    members: dict[str, type] = {
        name: value
        for name, value in candidates.items()
        if isinstance(value, type) and value is not root and issubclass(value, kind)
    }
    if kind is not root:
        members[kind.__name__] = kind
    return members


def _tagged_structure_hook(kind: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """Build the structure hook of an order event or command class (or of their base).

    The document's ``"type"`` names the class; for a concrete class it may be left out.
    Each class is structured by a function cattrs generates for it, on first use of its
    tag; the extra-key check of that function is replaced by one that also allows the tag.
    """
    root = _tagged_root(kind)
    if root is None:  # pragma: no cover - registered only for types the predicate accepts
        raise InvalidTypeError(field="kind", value=kind, expected="an order event or command")
    members = _tagged_members(kind, root)
    default: object = _NO_TAG if kind is root else kind.__name__
    forbid_extra_keys = bool(getattr(converter, "forbid_extra_keys", False))
    detailed = converter.detailed_validation
    built: dict[Any, tuple[type, Callable[[Any, Any], Any], frozenset[str]]] = {}

    def build(tag: object) -> tuple[type, Callable[[Any, Any], Any], frozenset[str]]:
        cls = members.get(tag) if isinstance(tag, str) else None
        if cls is None and isinstance(tag, str):
            # Host rule types may be registered after the first document was read.
            members.update(_tagged_members(kind, root))
            cls = members.get(tag)
        if cls is None:
            raise _tag_error(kind, root, tag)
        function, keys = _structure_function(cls, converter)
        entry = built[tag] = (cls, function, keys | {_TAG})
        return entry

    def structure(value: Any, _kind: Any) -> Any:
        if type(value) is not dict and not isinstance(value, Mapping):
            raise InvalidTypeError(field="", value=value, expected=f'an object with a "{_TAG}" key')
        tag = value.get(_TAG, default)
        entry = built.get(tag) if type(tag) is str else None
        cls, function, keys = entry if entry is not None else build(tag)
        if forbid_extra_keys and not value.keys() <= keys:
            extra = ForbiddenExtraKeysError("", cls, {str(key) for key in value} - keys)
            if not detailed:
                raise extra
            try:
                function(value, cls)
            except ClassValidationError as error:
                raise ClassValidationError(error.message, [*error.exceptions, extra], cls) from None
            raise ClassValidationError(f"While structuring {cls.__name__}", [extra], cls)
        return function(value, cls)

    return structure


def _structure_function(
    cls: type, converter: cattrs.Converter
) -> tuple[Callable[[Any, Any], Any], frozenset[str]]:
    """Return cattrs' generated structure function for *cls* and the keys it reads.

    The function is generated without its extra-key check: the caller checks the keys.
    """
    attrs.resolve_types(cls)
    overrides: dict[str, Any] = {
        field.name: converter.type_overrides[field.type]
        for field in attrs.fields(cls)
        if field.type in converter.type_overrides
    }
    function: Any = make_dict_structure_fn(
        cls, converter, _cattrs_forbid_extra_keys=False, **overrides
    )
    use_alias = bool(getattr(converter, "use_alias", False))
    keys: set[str] = set()
    for field in attrs.fields(cls):
        override = function.overrides.get(field.name)
        if not field.init or (override is not None and override.omit):
            continue
        if override is not None and override.rename is not None:
            keys.add(override.rename)
        else:
            keys.add(field.alias if use_alias else field.name)
    return function, frozenset(keys)


def _tag_error(kind: type, root: type, tag: object) -> ClassValidationError:
    """Return the error for a document whose ``"type"`` is missing or names no class."""
    error: Exception
    known = _tagged_members(root, root)
    example = next(iter(known), root.__name__)
    if tag is _NO_TAG:
        reason = f"required key missing: the class name, such as {example!r}"
        error = InvalidValueError(field="", value=None, reason=reason)
    elif not isinstance(tag, str):
        error = InvalidTypeError(field="", value=tag, expected=f"an {root.__name__} class name")
    elif tag == root.__name__:
        reason = f"{tag} is the abstract base: name one of its classes, such as {example!r}"
        error = InvalidValueError(field="", value=tag, reason=reason)
    elif tag in known:
        expected = " or ".join(map(repr, _tagged_members(kind, root)))
        error = InvalidValueError(field="", value=tag, reason=f"expected {expected}, got {tag!r}")
    else:
        import difflib  # noqa: PLC0415 - only for a bad document

        reason = f"unknown {root.__name__} type {tag!r}"
        close = difflib.get_close_matches(tag, known, n=1)
        if close:
            reason = f"{reason}; did you mean {close[0]!r}?"
        error = InvalidValueError(field="", value=tag, reason=reason)
    error.add_note(
        AttributeValidationNote(f"Structuring {kind.__name__} @ attribute type", _TAG, str)
    )
    return ClassValidationError(f"While structuring {kind.__name__}", [error], kind)


def _tagged_unstructure_hook(kind: type, converter: cattrs.Converter) -> Callable[[Any], Any]:
    """Build the unstructure hook of an order event or command class (or of their base).

    A concrete class is written by cattrs' generated function with its class name under
    ``"type"``, first. The base dispatches on the value's own class, so a tuple of events
    keeps every event's fields.
    """
    if _tagged_root(kind) is not kind:
        return _tagged_unstructure_function(kind, converter)
    hooks: dict[type, Callable[[Any], Any]] = {}

    def unstructure(value: Any) -> Any:
        cls = value.__class__
        hook = hooks.get(cls)
        if hook is None:
            hook = hooks[cls] = (
                _tagged_unstructure_function(cls, converter)
                if cls is kind
                else converter.get_unstructure_hook(cls)
            )
        return hook(value)

    return unstructure


def _tagged_unstructure_function(
    cls: type, converter: cattrs.Converter
) -> Callable[[Any], dict[str, Any]]:
    function: Callable[[Any], dict[str, Any]] = converter.gen_unstructure_attrs_fromdict(cls)
    name = cls.__name__

    def unstructure(value: Any) -> dict[str, Any]:
        return {_TAG: name, **function(value)}

    return unstructure


# ---------------------------------------------------------------------------- messages


@functools.cache
def _arg_kinds() -> tuple[tuple[str, type, Any], ...]:
    """Each kind of message argument: its JSON tag, its Python class, the type to read.

    In the order an argument is recognised (a ``datetime`` is a ``date`` too).
    """
    from ecomkit.returns._messages import Percent  # noqa: PLC0415 - loaded with Message

    return (
        ("text", str, str),
        ("percent", Percent, Decimal),
        ("money", Money, Money),
        ("datetime", dt.datetime, dt.datetime),
        ("date", dt.date, dt.date),
        ("decimal", Decimal, Decimal),
        ("int", int, int),
    )


_ARG_KINDS: Final = ("text", "int", "decimal", "percent", "money", "datetime", "date")
"""The tags of message arguments, in the order error messages list them."""


def _message_class() -> type | None:
    module = sys.modules.get("ecomkit.returns._messages")
    return getattr(module, "Message", None)


def _is_message(kind: Any) -> bool:
    message = _message_class()
    return message is not None and kind is message


def _arg_kind(value: object) -> str:
    return next(name for name, cls, _read in _arg_kinds() if isinstance(value, cls))


def _message_unstructure_hook(_kind: type, converter: cattrs.Converter) -> Callable[[Any], Any]:
    def unstructure(message: Any) -> dict[str, Any]:
        args = {}
        for name, value in message.args.items():
            kind = _arg_kind(value)
            args[name] = {kind: value.rate if kind == "percent" else value}
        return {"code": message.code, "args": converter.unstructure(args)}

    return unstructure


def _message_structure_hook(kind: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    from ecomkit.returns._messages import Percent  # noqa: PLC0415 - loaded with Message

    types: dict[str, Any] = {name: read for name, _cls, read in _arg_kinds()}

    def structure(value: Any, _kind: Any) -> Any:
        if not isinstance(value, Mapping):
            raise InvalidTypeError(
                field="", value=value, expected='an object with "code" and "args"'
            )
        extra = {str(key) for key in value} - {"code", "args"}
        if extra:
            raise ForbiddenExtraKeysError("", kind, extra)
        code = converter.structure(value.get("code"), str)
        raw = value.get("args", {})
        if not isinstance(raw, Mapping):
            raise _at(["args"], InvalidTypeError(field="", value=raw, expected="an object"), kind)
        args: dict[str, Any] = {}
        for name, tagged in raw.items():
            try:
                args[name] = _structure_arg(tagged, converter, types, Percent)
            except (ClassValidationError, EcomkitError, ValueError, TypeError) as error:
                raise _at(["args", str(name)], error, kind) from None
        return kind(code, args)

    return structure


def _structure_arg(
    tagged: Any, converter: cattrs.Converter, types: dict[str, Any], percent: type
) -> Any:
    """Read one tagged message argument, ``{"money": {...}}``, with the strict hooks."""
    if not isinstance(tagged, Mapping) or len(tagged) != 1:
        raise InvalidTypeError(
            field="", value=tagged, expected=f"an object with one key of {', '.join(_ARG_KINDS)}"
        )
    ((arg_kind, arg),) = tagged.items()
    if arg_kind not in types:
        raise InvalidValueError(
            field="", value=arg_kind, reason=f"must be one of {', '.join(_ARG_KINDS)}"
        )
    try:
        found = converter.get_structure_hook(types[arg_kind])(arg, types[arg_kind])
    except (ClassValidationError, EcomkitError, ValueError, TypeError) as error:
        raise _at([arg_kind], error, dict) from None
    return percent(found) if arg_kind == "percent" else found


def _at(steps: list[str], error: Exception, owner: type) -> ClassValidationError:
    """Wrap *error* in cattrs errors whose notes give it the path *steps* inside *owner*."""
    wrapped = error
    for step in reversed(steps):
        wrapped.add_note(AttributeValidationNote(f"Structuring {step}", step, Any))
        wrapped = ClassValidationError(f"While structuring {step}", [wrapped], owner)
    if not isinstance(wrapped, ClassValidationError):  # pragma: no cover - steps never empty
        wrapped = ClassValidationError("While structuring", [wrapped], owner)
    return wrapped


# ---------------------------------------------------------------------------- error paths


def _name(cls: Any) -> str:
    return getattr(cls, "__name__", None) or repr(cls)


def _join(path: str, step: str | int) -> str:
    if isinstance(step, int):
        return f"{path}[{step}]"
    if _IDENTIFIER.fullmatch(step):
        return f"{path}.{step}"
    return f"{path}[{json.dumps(step, ensure_ascii=False)}]"


def _problems(error: BaseException, path: str) -> list[Problem]:
    """Flatten a (possibly nested) structuring failure into problems with JSON paths."""
    if isinstance(error, (ClassValidationError, IterableValidationError)):
        found: list[Problem] = []
        for inner in error.exceptions:
            step = _step(inner)
            found.extend(_problems(inner, path if step is None else _join(path, step)))
        return found
    if isinstance(error, ForbiddenExtraKeysError):
        return [
            Problem(path=path, message=f"unknown key {key!r}") for key in sorted(error.extra_fields)
        ]
    if isinstance(error, KeyError):
        return [Problem(path=path, message="required key missing")]
    return [Problem(path=path, message=_message(error), value=getattr(error, "value", None))]


def _step(error: BaseException) -> str | int | None:
    for note in getattr(error, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return note.name
        if isinstance(note, IterableValidationNote):
            return note.index
    return None


def _shown(value: object) -> str:
    """Show a refused value as a JSON reader would recognise it."""
    if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return type(value).__name__


def _message(error: BaseException) -> str:
    if isinstance(error, InvalidValueError):
        text = error.reason
    elif isinstance(error, InvalidTypeError):
        text = f"expected {error.expected}, got {_shown(error.value)}"
        if error.hint:
            text = f"{text}; {error.hint}"
    elif isinstance(error, EcomkitError):
        return str(error)
    else:
        return f"{type(error).__name__}: {error}"
    return f"{error.field}: {text}" if error.field else text
