"""Locales and localized text.

Locale codes are validated against CLDR through babel and normalized to babel's form
(``pl-PL`` becomes ``pl_PL``). babel loads its locale data only when a function here is first
called, never at ``import ecomkit``.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from ecomkit.errors import InvalidLocaleError


if TYPE_CHECKING:
    from babel import Locale


__all__ = ["normalize_locale"]


def normalize_locale(code: str) -> str:
    """Validate a locale code and return it in babel's canonical form.

    Accepts ``_`` or ``-`` as the separator (``"pt-BR"``, ``"zh_Hant_TW"``).

    Raises:
        InvalidLocaleError: *code* is malformed or unknown to CLDR.

    Examples:
        >>> normalize_locale("pl-pl")
        'pl_PL'
    """
    return str(babel_locale(code))


def babel_locale(code: object) -> Locale:
    """Return the babel ``Locale`` for *code*, validated (cached per code).

    Raises:
        InvalidLocaleError: *code* is malformed or unknown to CLDR.
    """
    if not isinstance(code, str) or not code.strip():
        raise InvalidLocaleError(field="locale", value=code, reason="not a locale code")
    return _parse(code)


@functools.lru_cache(maxsize=256)
def _parse(code: str) -> Locale:
    from babel import Locale, UnknownLocaleError  # noqa: PLC0415 - locale data loads on first use

    try:
        return Locale.parse(code.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise InvalidLocaleError(
            field="locale", value=code, reason="not a locale known to CLDR (such as 'pl_PL')"
        ) from None
