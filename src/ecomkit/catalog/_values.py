"""Attribute values keyed by (attribute, channel, locale), with defaults and locale fallback."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ecomkit.catalog._attributes import Value, check_code
from ecomkit.errors import InvalidTypeError
from ecomkit.i18n import fallback_chain, normalize_locale


__all__ = ["ResolvedValue", "ValueKey", "Values"]


def _as_dict(value: object) -> dict[ValueKey, Value]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError(field="values", value=value, expected="a mapping of ValueKey")
    return dict(value)


_ALL: tuple[str | None, ...] = (None,)


@functools.lru_cache(maxsize=512)
def _locales(locale: str) -> tuple[str | None, ...]:
    """Return the locales to try for *locale*: its fallback chain, then all locales."""
    return (*fallback_chain(locale), None)


def optional_channel(value: object) -> str | None:
    """Return ``None`` or a channel code (see `check_code`)."""
    return None if value is None else check_code(value, field="channel")


def optional_locale(value: object) -> str | None:
    """Return ``None`` or a normalized locale code."""
    return None if value is None else normalize_locale(value)  # type: ignore[arg-type]


def _attribute_code(value: object) -> str:
    return check_code(value, field="attribute")


@attrs.frozen(weakref_slot=False, order=False)
class ValueKey:
    """Where a value sits: an attribute, a channel (or all channels), a locale (or all).

    ``channel=None`` is the value for every channel that has no value of its own, and
    ``locale=None`` the value for every locale without one: Akeneo's ``<all_channels>`` and
    ``<all_locales>``.

    Attributes:
        attribute: The attribute's code.
        channel: A channel code, or ``None`` for all channels.
        locale: A normalized locale code, or ``None`` for all locales.
    """

    attribute: str = attrs.field(converter=_attribute_code)
    channel: str | None = attrs.field(default=None, converter=optional_channel)
    locale: str | None = attrs.field(default=None, converter=optional_locale)

    def sort_key(self) -> tuple[str, str, str]:
        """Return a key that sorts ``None`` (all) before any code."""
        return (self.attribute, self.channel or "", self.locale or "")

    def __str__(self) -> str:
        return f"{self.attribute}[{self.channel or '*'}/{self.locale or '*'}]"


@attrs.frozen(weakref_slot=False)
class ResolvedValue:
    """A value found by [`Values.resolve`][ecomkit.catalog.Values.resolve] and where.

    Attributes:
        key: The key the value is stored under (it may be a default or a parent locale).
        value: The value.
    """

    key: ValueKey
    value: Value


@attrs.frozen(weakref_slot=False, repr=False, eq=False, hash=False)
class Values(Mapping[ValueKey, Value]):
    """An immutable mapping of [`ValueKey`][ecomkit.catalog.ValueKey] to checked value.

    `Values` holds what it is given; checking a value against its attribute definition is
    the job of the schema (see [`check_value`][ecomkit.catalog.check_value]). Lookups with
    [`resolve`][ecomkit.catalog.Values.resolve] fall back from a locale to its CLDR
    parents and then to the all-locales value, and from a channel to the all-channels
    value. A more specific locale wins over a more specific channel: a French text for
    every channel beats an English text for the channel.

    Examples:
        >>> values = Values({ValueKey("title", locale="de"): "Laufschuh",
        ...                  ValueKey("title", locale="en"): "Running shoe",
        ...                  ValueKey("title", "amazon", "en"): "Running shoe, men"})
        >>> values.get_value("title", channel="web", locale="de_AT")
        'Laufschuh'
        >>> values.get_value("title", channel="amazon", locale="en_GB")
        'Running shoe, men'
        >>> values.get_value("title", channel="web", locale="fr") is None
        True
    """

    _data: dict[ValueKey, Value] = attrs.field(factory=dict, converter=_as_dict)
    _by_attribute: dict[str, tuple[ValueKey, ...]] = attrs.field(init=False, repr=False, eq=False)
    _index: dict[tuple[str, str | None, str | None], ValueKey] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        for key in self._data:
            if not isinstance(key, ValueKey):
                raise InvalidTypeError(field="values", value=key, expected="ValueKey keys")
        ordered = {key: self._data[key] for key in sorted(self._data, key=ValueKey.sort_key)}
        index: dict[str, list[ValueKey]] = {}
        for key in ordered:
            index.setdefault(key.attribute, []).append(key)
        object.__setattr__(self, "_data", ordered)
        object.__setattr__(
            self, "_by_attribute", {name: tuple(keys) for name, keys in sorted(index.items())}
        )
        object.__setattr__(
            self, "_index", {(key.attribute, key.channel, key.locale): key for key in ordered}
        )

    def __getitem__(self, key: ValueKey) -> Value:
        return self._data[key]

    def __iter__(self) -> Iterator[ValueKey]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Values):
            return self._data == other._data
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{key}: {value!r}" for key, value in self._data.items())
        return f"Values({{{inner}}})"

    @property
    def attributes(self) -> tuple[str, ...]:
        """The codes of the attributes that have at least one value, sorted."""
        return tuple(self._by_attribute)

    def keys_of(self, attribute: str) -> tuple[ValueKey, ...]:
        """Return the keys holding values of *attribute* (all channels and locales)."""
        return self._by_attribute.get(attribute, ())

    def resolve(
        self, attribute: str, *, channel: str | None = None, locale: str | None = None
    ) -> ResolvedValue | None:
        """Find the value of *attribute* for *channel* and *locale*, with fallback.

        Locales are tried along the locale's fallback chain and then ``None`` (all
        locales); for each locale, the channel's own value and then the all-channels
        value. Returns ``None`` when nothing matches.

        Raises:
            InvalidLocaleError: *locale* is not a locale code.
        """
        key = self._find(attribute, channel, locale)
        return None if key is None else ResolvedValue(key, self._data[key])

    def _find(self, attribute: str, channel: str | None, locale: str | None) -> ValueKey | None:
        if type(attribute) is not str:
            raise InvalidTypeError(field="attribute", value=attribute, expected="str")
        if channel is not None and type(channel) is not str:
            raise InvalidTypeError(field="channel", value=channel, expected="str or None")
        if attribute not in self._by_attribute:
            return None
        index = self._index
        locales = _locales(locale) if locale is not None else _ALL
        for candidate_locale in locales:
            found = index.get((attribute, channel, candidate_locale))
            if found is None and channel is not None:
                found = index.get((attribute, None, candidate_locale))
            if found is not None:
                return found
        return None

    def get_value(
        self, attribute: str, *, channel: str | None = None, locale: str | None = None
    ) -> Value | None:
        """Return the value [`resolve`][ecomkit.catalog.Values.resolve] finds, or ``None``."""
        key = self._find(attribute, channel, locale)
        return None if key is None else self._data[key]

    def with_value(self, key: ValueKey, value: Value) -> Values:
        """Return a copy with *value* stored under *key* (unchecked; see `set_value`)."""
        data = dict(self._data)
        data[key] = value
        return Values(data)

    def without(self, key: ValueKey) -> Values:
        """Return a copy without *key* (the same object when *key* is absent)."""
        if not isinstance(key, ValueKey):
            raise InvalidTypeError(field="key", value=key, expected="ValueKey")
        if key not in self._data:
            return self
        data = dict(self._data)
        del data[key]
        return Values(data)

    def merged_over(self, base: Values) -> Values:
        """Return *base* with this mapping's entries on top (a variant over its group)."""
        if not isinstance(base, Values):
            raise InvalidTypeError(field="base", value=base, expected="Values")
        if not base:
            return self
        data: dict[ValueKey, Any] = dict(base._data)
        data.update(self._data)
        return Values(data)
