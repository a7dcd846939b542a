"""Locales and localized text.

Locale codes are validated against CLDR through babel and normalized to babel's form
(``pl-PL`` becomes ``pl_PL``). babel loads its locale data only when a function here is first
called, never at ``import ecomkit``.

[`LocalizedText`][ecomkit.i18n.LocalizedText] holds one text per locale (a product name, a
return reason) and finds the best text for a customer's locale by walking a fallback chain:
the locale itself, its CLDR parents, then the text's default locale.
[`fallback_chain`][ecomkit.i18n.fallback_chain] shows the chain for any locale.

Examples:
    >>> name = LocalizedText({"en": "Trainers", "de": "Turnschuhe"}, default_locale="en")
    >>> name.require("de_AT")
    'Turnschuhe'
    >>> name.require("fr_CA")
    'Trainers'
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from ecomkit.errors import (
    InvalidLocaleError,
    InvalidTypeError,
    InvalidValueError,
    MissingTranslationError,
)


if TYPE_CHECKING:
    from babel import Locale


__all__ = ["LocalizedText", "ResolvedText", "babel_locale", "fallback_chain", "normalize_locale"]

_ROOT: Final = "root"
_SCRIPT_LENGTH: Final = 4


def normalize_locale(code: str, *, field: str = "locale") -> str:
    """Validate a locale code and return it in babel's canonical form.

    Accepts ``_`` or ``-`` as the separator (``"pt-BR"``, ``"zh_Hant_TW"``). babel also
    resolves CLDR aliases, so ``"zh_TW"`` becomes ``"zh_Hant_TW"``.

    Args:
        code: The locale code to check.
        field: The field name used in error messages.

    Raises:
        InvalidLocaleError: *code* is malformed or unknown to CLDR.

    Examples:
        >>> normalize_locale("pl-pl")
        'pl_PL'
        >>> normalize_locale("zh-TW")
        'zh_Hant_TW'
    """
    if type(code) is str:
        known = _NORMALIZED.get(code)
        if known is not None:
            return known
    normalized = str(babel_locale(code, field=field))
    if type(code) is str and len(_NORMALIZED) < _NORMALIZED_LIMIT:
        _NORMALIZED[code] = normalized
    return normalized


_NORMALIZED: dict[str, str] = {}
_NORMALIZED_LIMIT: Final = 4096


def babel_locale(code: object, *, field: str = "locale") -> Locale:
    """Return the babel ``Locale`` for *code*, validated (cached per code).

    Args:
        code: The locale code to check.
        field: The field name used in error messages.

    Raises:
        InvalidLocaleError: *code* is malformed or unknown to CLDR.
    """
    if not isinstance(code, str) or not code.strip():
        raise InvalidLocaleError(field=field, value=code, reason="not a locale code")
    try:
        return _parse(code)
    except InvalidLocaleError as error:
        raise InvalidLocaleError(field=field, value=code, reason=error.reason) from None


@functools.lru_cache(maxsize=256)
def _parse(code: str) -> Locale:
    from babel import Locale, UnknownLocaleError  # noqa: PLC0415 - locale data loads on first use

    try:
        return Locale.parse(code.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise InvalidLocaleError(
            field="locale", value=code, reason="not a locale known to CLDR (such as 'pl_PL')"
        ) from None


# ---------------------------------------------------------------- fallback chains


def fallback_chain(locale: str) -> tuple[str, ...]:
    """Return *locale*, normalized, followed by its CLDR parents, nearest first.

    The rules are CLDR's:

    1. Drop subtags from the right: ``de_AT`` falls back to ``de``, ``en_US_POSIX`` to
       ``en_US``, ``zh_Hant_TW`` to ``zh_Hant``.
    2. CLDR's explicit parents win over dropping subtags: ``es_MX`` falls back to Latin
       American Spanish ``es_419`` before ``es``; ``en_AU`` to international English
       ``en_001``; ``pt_AO`` to European Portuguese ``pt_PT``; ``nb`` to ``no``.
    3. A script that is not the language's usual one never falls back to the bare language:
       ``zh`` is Simplified Chinese, so ``zh_Hant`` (Traditional) ends the chain, as do
       ``sr_Latn`` and ``uz_Arab``. ``zh_Hans`` and ``sr_Cyrl`` do fall back to ``zh`` and
       ``sr``.

    The chain never contains CLDR's ``root``; a text's default locale is added by
    [`LocalizedText`][ecomkit.i18n.LocalizedText], not here. Chains are cached.

    Args:
        locale: A locale code such as ``"de-AT"`` or ``"zh_Hant_TW"``.

    Returns:
        The normalized locale, then each parent in order.

    Raises:
        InvalidLocaleError: *locale* is malformed or unknown to CLDR.

    Examples:
        >>> fallback_chain("de-AT")
        ('de_AT', 'de')
        >>> fallback_chain("es_MX")
        ('es_MX', 'es_419', 'es')
        >>> fallback_chain("zh_Hant_TW")
        ('zh_Hant_TW', 'zh_Hant')
    """
    if not isinstance(locale, str):
        raise InvalidLocaleError(field="locale", value=locale, reason="not a locale code")
    return _chain(locale)


@functools.lru_cache(maxsize=1024)
def _chain(code: str) -> tuple[str, ...]:
    """Return the fallback chain of *code* as given (so the cache skips normalizing too)."""
    chain = [normalize_locale(code)]
    parent = _parent(chain[-1])
    while parent is not None:
        chain.append(parent)
        parent = _parent(parent)
    return tuple(chain)


def _parent(code: str) -> str | None:
    """Return the CLDR parent of the normalized *code*, or ``None`` when it is ``root``."""
    from babel.core import get_global  # noqa: PLC0415 - locale data loads on first use

    exceptions: Mapping[str, str] = get_global("parent_exceptions")
    if code in exceptions:
        parent = exceptions[code]
        return None if parent == _ROOT else parent
    base, modifier_sign, _modifier = code.partition("@")
    if modifier_sign:
        return base
    subtags = base.split("_")
    if len(subtags) == 1:
        return None
    if len(subtags) == 2 and _is_script(subtags[1]):  # noqa: PLR2004 - language_Script
        language, script = subtags
        return language if _default_script(language) == script else None
    return "_".join(subtags[:-1])


def _is_script(subtag: str) -> bool:
    """Return whether *subtag* is an ISO 15924 script code such as ``Hant``."""
    return len(subtag) == _SCRIPT_LENGTH and subtag.isalpha()


@functools.cache
def _default_script(language: str) -> str | None:
    """Return the script CLDR's likely subtags give *language* (``zh`` -> ``Hans``)."""
    from babel.core import get_global  # noqa: PLC0415 - locale data loads on first use

    likely: Mapping[str, str] = get_global("likely_subtags")
    subtags = likely.get(language, "").split("_")
    return subtags[1] if len(subtags) > 1 and _is_script(subtags[1]) else None


# ---------------------------------------------------------------- localized text


def _freeze_values(values: Mapping[str, str]) -> Mapping[str, str]:
    return _checked_values(values)


def _checked_values(values: object) -> Mapping[str, str]:
    """Validate and normalize the locale-to-text mapping; return a read-only copy."""
    if not isinstance(values, Mapping):
        raise InvalidTypeError(
            field="values", value=values, expected="a mapping of locale code to text"
        )
    found: dict[str, str] = {}
    given: dict[str, object] = {}
    for key, text in values.items():
        locale = normalize_locale(key, field="values")
        if locale in found:
            raise InvalidValueError(
                field="values",
                value=key,
                reason=f"names the same locale {locale!r} as {given[locale]!r}",
            )
        found[locale] = _checked_text(text, field=f"values[{key!r}]")
        given[locale] = key
    return MappingProxyType(dict(sorted(found.items())))


def _checked_text(text: object, *, field: str) -> str:
    if not isinstance(text, str):
        raise InvalidTypeError(field=field, value=text, expected="str")
    if not text.strip():
        raise InvalidValueError(field=field, value=text, reason="must not be blank")
    return text


def _optional_locale(code: str | None) -> str | None:
    return None if code is None else normalize_locale(code, field="default_locale")


def _values_key(values: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(values.items())


@attrs.frozen
class ResolvedText:
    """The text [`LocalizedText.resolve`][ecomkit.i18n.LocalizedText.resolve] found.

    Attributes:
        requested: The locale that was asked for, normalized.
        locale: The locale whose text was used: *requested* itself, a parent, or the
            default locale.
        text: The text.
    """

    requested: str
    locale: str
    text: str

    @property
    def is_fallback(self) -> bool:
        """Whether the text comes from another locale than the one requested."""
        return self.locale != self.requested


@attrs.frozen(repr=False)
class LocalizedText:
    """Text in several locales, with CLDR fallback (``de_AT`` -> ``de`` -> default).

    An immutable, hashable value for anything a customer reads in their language: product
    names, descriptions, return reasons. Equality is by content, whatever the order the
    locales were given in.

    Looking a locale up walks its [`fallback_chain`][ecomkit.i18n.fallback_chain] and then
    the default locale, and stops at the first locale with text. Use
    [`require`][ecomkit.i18n.LocalizedText.require] where a text must exist,
    [`get`][ecomkit.i18n.LocalizedText.get] where ``None`` is an acceptable answer, and
    [`resolve`][ecomkit.i18n.LocalizedText.resolve] to learn which locale was used.

    Args:
        values: Text per locale code. Codes are validated and normalized (``"pl-PL"`` is
            stored as ``"pl_PL"``); texts must be non-blank strings. May be empty.
        default_locale: The locale used when no locale in the chain has text. When given,
            it must be one of the locales of *values*, so a lookup can never come back
            empty.

    Attributes:
        values: A read-only mapping of normalized locale code to text, sorted by code.
        default_locale: The normalized default locale, or ``None``.

    Raises:
        InvalidTypeError: *values* is not a mapping, or a text is not a string.
        InvalidLocaleError: A key or *default_locale* is not a CLDR locale code.
        InvalidValueError: A text is blank, two keys name the same locale (``"pl-PL"`` and
            ``"pl_PL"``), or *default_locale* has no text.

    Examples:
        >>> name = LocalizedText({"en": "Shoe", "de": "Schuh", "pt-BR": "Sapato"},
        ...                      default_locale="en")
        >>> name.get("de_AT"), name.get("pt_PT"), name.get("pl")
        ('Schuh', 'Shoe', 'Shoe')
        >>> name.get("de_AT", fallback=False) is None
        True
        >>> name.locales
        ('de', 'en', 'pt_BR')
    """

    values: Mapping[str, str] = attrs.field(converter=_freeze_values, eq=_values_key)
    default_locale: str | None = attrs.field(default=None, kw_only=True, converter=_optional_locale)

    @default_locale.validator
    def _check_default_locale(self, _attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and value not in self.values:
            raise InvalidValueError(
                field="default_locale",
                value=value,
                reason=f"has no text; pick one of the locales given ({self._listed()})",
            )

    # ---------------------------------------------------------------- lookup

    @property
    def locales(self) -> tuple[str, ...]:
        """The normalized locale codes that have text, sorted."""
        return tuple(self.values)

    def candidates(self, locale: str) -> tuple[str, ...]:
        """Return the locales a lookup of *locale* tries, in order.

        That is *locale*'s [`fallback_chain`][ecomkit.i18n.fallback_chain] followed by the
        default locale, when it is not already in the chain.

        Raises:
            InvalidLocaleError: *locale* is not a CLDR locale code.

        Examples:
            >>> LocalizedText({"en": "Shoe"}, default_locale="en").candidates("en_AU")
            ('en_AU', 'en_001', 'en')
            >>> LocalizedText({"fr": "Chaussure"}, default_locale="fr").candidates("de_CH")
            ('de_CH', 'de', 'fr')
        """
        chain = fallback_chain(locale)
        if self.default_locale is None or self.default_locale in chain:
            return chain
        return (*chain, self.default_locale)

    def resolve(self, locale: str) -> ResolvedText | None:
        """Return the best text for *locale* with the locale it came from, or ``None``.

        Args:
            locale: The customer's locale, such as ``"de-AT"``.

        Returns:
            The first text found along [`candidates`][ecomkit.i18n.LocalizedText.candidates],
            or ``None`` when no candidate has text (never when a default locale is set).

        Raises:
            InvalidLocaleError: *locale* is not a CLDR locale code.

        Examples:
            >>> name = LocalizedText({"es_419": "Zapatilla", "es": "Zapatilla deportiva"})
            >>> found = name.resolve("es-MX")
            >>> found.locale, found.text, found.is_fallback
            ('es_419', 'Zapatilla', True)
            >>> name.resolve("en") is None
            True
        """
        candidates = self.candidates(locale)
        for candidate in candidates:
            text = self.values.get(candidate)
            if text is not None:
                return ResolvedText(requested=candidates[0], locale=candidate, text=text)
        return None

    def get(self, locale: str, *, fallback: bool = True) -> str | None:
        """Return the text for *locale*, or ``None`` when there is none.

        Args:
            locale: The locale to look up.
            fallback: Walk the fallback chain and the default locale (the default). With
                ``False``, only the exact locale counts.

        Raises:
            InvalidLocaleError: *locale* is not a CLDR locale code.

        Examples:
            >>> name = LocalizedText({"de": "Schuh"})
            >>> name.get("de-CH"), name.get("de-CH", fallback=False)
            ('Schuh', None)
        """
        if not fallback:
            return self.values.get(normalize_locale(locale))
        found = self.resolve(locale)
        return None if found is None else found.text

    def require(self, locale: str) -> str:
        """Return the text for *locale*, following the fallback chain, or raise.

        Args:
            locale: The locale to look up.

        Raises:
            MissingTranslationError: No locale along the chain has text; the error lists
                every locale tried.
            InvalidLocaleError: *locale* is not a CLDR locale code.

        Examples:
            >>> from ecomkit.errors import MissingTranslationError
            >>> try:
            ...     LocalizedText({"zh": "运动鞋"}).require("zh-TW")
            ... except MissingTranslationError as error:
            ...     error.tried
            ('zh_Hant_TW', 'zh_Hant')
        """
        found = self.resolve(locale)
        if found is None:
            tried = self.candidates(locale)
            raise MissingTranslationError(locale=tried[0], tried=tried)
        return found.text

    # ---------------------------------------------------------------- changes

    def with_text(self, locale: str, text: str) -> LocalizedText:
        """Return a copy with *text* for *locale*, added or replacing the current one.

        Raises:
            InvalidLocaleError: *locale* is not a CLDR locale code.
            InvalidTypeError: *text* is not a string.
            InvalidValueError: *text* is blank.

        Examples:
            >>> LocalizedText({"en": "Shoe"}).with_text("de", "Schuh")
            LocalizedText({'de': 'Schuh', 'en': 'Shoe'})
        """
        code = normalize_locale(locale)
        values = dict(self.values)
        values[code] = _checked_text(text, field="text")
        return LocalizedText(values, default_locale=self.default_locale)

    def without(self, locale: str) -> LocalizedText:
        """Return a copy without the text for *locale* (the same text if it has none).

        Raises:
            InvalidLocaleError: *locale* is not a CLDR locale code.
            InvalidValueError: *locale* is the default locale; change the default first
                with [`with_default_locale`][ecomkit.i18n.LocalizedText.with_default_locale].

        Examples:
            >>> LocalizedText({"en": "Shoe", "de": "Schuh"}).without("de-DE")
            LocalizedText({'de': 'Schuh', 'en': 'Shoe'})
            >>> LocalizedText({"en": "Shoe", "de": "Schuh"}).without("de")
            LocalizedText({'en': 'Shoe'})
        """
        code = normalize_locale(locale)
        if code not in self.values:
            return self
        if code == self.default_locale:
            raise InvalidValueError(
                field="locale",
                value=locale,
                reason="is the default locale; change the default first (with_default_locale)",
            )
        values = {key: text for key, text in self.values.items() if key != code}
        return LocalizedText(values, default_locale=self.default_locale)

    def with_default_locale(self, locale: str | None) -> LocalizedText:
        """Return a copy whose default locale is *locale* (``None`` for no default).

        Raises:
            InvalidLocaleError: *locale* is not a CLDR locale code.
            InvalidValueError: *locale* has no text.

        Examples:
            >>> LocalizedText({"en": "Shoe"}).with_default_locale("en")
            LocalizedText({'en': 'Shoe'}, default_locale='en')
        """
        return LocalizedText(self.values, default_locale=locale)

    # ---------------------------------------------------------------- container protocol

    def __len__(self) -> int:
        """Return the number of locales with text."""
        return len(self.values)

    def __contains__(self, locale: object) -> bool:
        """Return whether *locale* itself has text (no fallback; ``False`` for bad codes)."""
        try:
            code = str(babel_locale(locale))
        except InvalidLocaleError:
            return False
        return code in self.values

    def __repr__(self) -> str:
        default = "" if self.default_locale is None else f", default_locale={self.default_locale!r}"
        return f"LocalizedText({dict(self.values)!r}{default})"

    def __reduce__(self) -> tuple[Any, tuple[dict[str, str], str | None]]:
        return (_rebuild, (dict(self.values), self.default_locale))

    def _listed(self) -> str:
        return ", ".join(self.values) or "none"


def _rebuild(values: dict[str, str], default_locale: str | None) -> LocalizedText:
    """Rebuild a pickled [`LocalizedText`][ecomkit.i18n.LocalizedText]."""
    return LocalizedText(values, default_locale=default_locale)
