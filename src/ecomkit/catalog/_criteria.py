"""The built-in data quality criteria: titles, capitals, descriptions, images, brand, consistency.

Each criterion is a frozen, serializable class with its parameters, weight and penalties; see
[`QualityCriterion`][ecomkit.catalog.QualityCriterion] for the contract.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar, Final

import attrs

from ecomkit.catalog._attributes import AttributeDef, AttributeType
from ecomkit.catalog._quality import (
    _FULL,
    CriterionResult,
    Finding,
    QualityCriterion,
    QualitySubject,
    SkippedCriterion,
    _penalty,
    _weight,
)
from ecomkit.catalog._units import UnitFamily
from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.money._amount import to_decimal
from ecomkit.orders._values import check_quantity, check_text


__all__ = [
    "DEFAULT_ACRONYMS",
    "DEFAULT_BRAND_PLACEHOLDERS",
    "DEFAULT_CRITERIA",
    "DEFAULT_PROMOTIONAL_WORDS",
    "AltTexts",
    "AttributeConsistency",
    "BrandName",
    "CapitalWords",
    "DescriptionLength",
    "ImageCount",
    "TitleFormatting",
    "TitleLength",
]


def _at_least(minimum: int) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check_quantity(value, field=attribute.name, minimum=minimum)

    return check


def _flag(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidTypeError(field=attribute.name, value=value, expected="bool")


def _fault(
    code: str,
    message: str,
    field: str,
    penalty: int,
    *,
    observed: object = None,
    threshold: object = None,
) -> Finding:
    """Build a finding; *observed* and *threshold* are shown as text."""
    return Finding(
        code,
        message,
        field,
        observed=None if observed is None else str(observed),
        threshold=None if threshold is None else str(threshold),
        penalty=penalty,
    )


def _many(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _missing(subject: QualitySubject, what: str, attribute: str | None) -> str:
    return f"no {what} ({attribute}) in {subject.locale} for the channel {subject.channel}"


@attrs.frozen(kw_only=True, weakref_slot=False)
class TitleLength(QualityCriterion):
    """The title exists and its length fits Google's limits and the recommended range.

    Google accepts 1 to 150 characters; titles under about 25 characters rarely say
    enough (brand, product, the distinguishing colour or size).

    | Finding | Penalty |
    | --- | --- |
    | no title | 100 |
    | shorter than `minimum` or longer than `maximum` | 100 |
    | outside `recommended_minimum`-`recommended_maximum` | 30 |

    Args:
        minimum: The fewest characters allowed.
        maximum: The most characters allowed.
        recommended_minimum: The fewest characters recommended.
        recommended_maximum: The most characters recommended.
        id: The criterion's id (``"title_length"``).
        weight: Its weight (2).

    Raises:
        InvalidValueError: The limits are not in order
            (``minimum <= recommended_minimum <= recommended_maximum <= maximum``).
    """

    default_id: ClassVar[str] = "title_length"
    weight: int = attrs.field(default=2, converter=_weight)
    minimum: int = attrs.field(default=1, validator=_at_least(1))
    maximum: int = attrs.field(default=150, validator=_at_least(1))
    recommended_minimum: int = attrs.field(default=25, validator=_at_least(1))
    recommended_maximum: int = attrs.field(default=150, validator=_at_least(1))

    def __attrs_post_init__(self) -> None:
        limits = (self.minimum, self.recommended_minimum, self.recommended_maximum, self.maximum)
        if list(limits) != sorted(limits):
            raise InvalidValueError(
                field="recommended_minimum",
                value=limits,
                reason="limits must read minimum <= recommended_minimum <= "
                "recommended_maximum <= maximum",
            )

    def assess(self, subject: QualitySubject) -> CriterionResult:
        """Rate the title's length (see the class for the penalties)."""
        title = subject.title
        field = subject.product_type.title_attribute
        if title is None:
            message = f"{_missing(subject, 'title', field)}; write {self.minimum}-{self.maximum}"
            return self.rated(
                [
                    _fault(
                        "title_missing", f"{message} characters", field, 100, threshold=self.minimum
                    )
                ]
            )
        size = len(title)
        short = size < self.recommended_minimum
        if size < self.minimum or size > self.maximum:
            limit = self.minimum if short else self.maximum
            message = (
                f"the title has {_many(size, 'character')}, {'fewer' if short else 'more'} "
                f"than the {limit} allowed; {'lengthen' if short else 'shorten'} it"
            )
            code = "title_too_short" if short else "title_too_long"
            return self.rated([_fault(code, message, field, 100, observed=size, threshold=limit)])
        if short or size > self.recommended_maximum:
            limit = self.recommended_minimum if short else self.recommended_maximum
            advice = (
                "add the brand, the kind of product and what sets it apart (colour, size ...)"
                if short
                else "keep the important words first and drop the rest"
            )
            message = (
                f"the title has {_many(size, 'character')}, {'fewer' if short else 'more'} "
                f"than the recommended {limit}; {advice}"
            )
            code = "title_short" if short else "title_long"
            return self.rated([_fault(code, message, field, 30, observed=size, threshold=limit)])
        return self.rated(())


DEFAULT_PROMOTIONAL_WORDS: Final[Mapping[str, tuple[str, ...]]] = {
    "de": (
        "angebot",
        "ausverkauf",
        "bestpreis",
        "gratis versand",
        "jetzt kaufen",
        "kostenloser versand",
        "rabatt",
        "schnäppchen",
        "sonderangebot",
        "versandkostenfrei",
    ),
    "en": (
        "best deal",
        "best price",
        "best seller",
        "bestseller",
        "buy now",
        "cheapest",
        "clearance",
        "discount",
        "free delivery",
        "free shipping",
        "hot deal",
        "limited offer",
        "limited time",
        "lowest price",
        "on sale",
        "order now",
        "sale",
    ),
    "fr": (
        "achetez maintenant",
        "bon plan",
        "livraison gratuite",
        "meilleur prix",
        "prix cassé",
        "promo",
        "promotion",
        "soldes",
    ),
}
"""Promotional phrases refused in titles, by language (Google: no promotional text)."""

_DISCOUNT: Final = re.compile(r"-\s?\d{1,3}\s?%|\b\d{1,3}\s?%\s?off\b", re.IGNORECASE)
# Arrows, technical symbols, geometric shapes, miscellaneous symbols, dingbats, symbols and
# arrows, and the emoji planes; trade marks (U+00AE, U+2122) are not among them.
_GIMMICK_RANGES: Final = (
    "\u2190-\u21ff\u2300-\u23ff\u25a0-\u25ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f"
)
_REPEATED: Final = re.compile(r"[!?]{2,}|([*~$#+=_,;:])\1+")
_LANGUAGE: Final = re.compile(r"[a-z]{2,3}")


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted({phrase.casefold() for phrase in phrases}, key=lambda item: (-len(item), item))
    if not ordered:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _phrases(value: object, *, field: str) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field=field, value=value, expected="a list of phrases")
    return tuple(check_text(item, field=field, limit=100).strip() for item in value)


def _promotional(value: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            field="promotional_words", value=value, expected="a mapping of language to phrases"
        )
    found: dict[str, tuple[str, ...]] = {}
    for language, phrases in value.items():
        if not isinstance(language, str) or _LANGUAGE.fullmatch(language) is None:
            raise InvalidValueError(
                field="promotional_words",
                value=language,
                reason="not a lower-case language code such as 'en'",
            )
        found[language] = _phrases(phrases, field=f"promotional_words[{language!r}]")
    return dict(sorted(found.items()))


def _symbols(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidTypeError(field="extra_symbols", value=value, expected="str")
    return "".join(sorted(set(value)))


@attrs.frozen(kw_only=True, weakref_slot=False)
class TitleFormatting(QualityCriterion):
    """The title reads as a name, not an advert: Google's editorial rules for titles.

    Promotional phrases are matched as whole words, ignoring case, in the list for the
    locale's language (none for other languages); ``-30%`` and ``30% off`` count in every
    language. Gimmicky characters are emoji, arrows, stars, check marks and other
    pictographs, plus `extra_symbols`; trade mark signs are allowed.

    | Finding | Penalty |
    | --- | --- |
    | a promotional phrase or discount | 40 |
    | gimmicky characters | 25 |
    | repeated punctuation (``!!``, ``??``, ``$$``) | 25 |
    | leading or trailing spaces | 10 |
    | two spaces in a row | 10 |

    A product without title is rated by [`TitleLength`][ecomkit.catalog.TitleLength]; this
    criterion skips it.

    Args:
        promotional_words: Phrases refused, by language code.
        extra_symbols: More characters to treat as gimmicky.
        id: The criterion's id (``"title_formatting"``).
        weight: Its weight (2).
    """

    default_id: ClassVar[str] = "title_formatting"
    weight: int = attrs.field(default=2, converter=_weight)
    promotional_words: Mapping[str, tuple[str, ...]] = attrs.field(
        default=DEFAULT_PROMOTIONAL_WORDS, converter=_promotional
    )
    extra_symbols: str = attrs.field(default="", converter=_symbols)
    _promo: dict[str, re.Pattern[str] | None] = attrs.field(init=False, eq=False, repr=False)
    _gimmick: re.Pattern[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        patterns = {key: _phrase_pattern(words) for key, words in self.promotional_words.items()}
        object.__setattr__(self, "_promo", patterns)
        extra = re.escape(self.extra_symbols)
        object.__setattr__(self, "_gimmick", re.compile(f"[{_GIMMICK_RANGES}{extra}]"))

    def assess(self, subject: QualitySubject) -> CriterionResult | SkippedCriterion:
        """Look for promotional text, gimmicks and sloppy spacing in the title."""
        title = subject.title
        if title is None:
            return self.skip("the product has no title")
        field = subject.product_type.title_attribute
        found: list[Finding] = []
        promo = self._promo.get(subject.language)
        words = sorted({match.group(0) for match in promo.finditer(title)}) if promo else []
        words += [match.group(0) for match in _DISCOUNT.finditer(title)]
        if words:
            shown = ", ".join(words)
            message = f"the title advertises ({shown}); name the product only, without offers"
            found.append(_fault("title_promotional", message, field, 40, observed=shown))
        symbols = "".join(dict.fromkeys(self._gimmick.findall(title)))
        if symbols:
            message = f"the title contains {symbols!r}; remove symbols and emoji"
            found.append(_fault("title_gimmicky_characters", message, field, 25, observed=symbols))
        repeated = _REPEATED.search(title)
        if repeated is not None:
            marks = repeated.group(0)
            message = f"the title repeats punctuation ({marks!r}); use one mark"
            found.append(_fault("title_repeated_punctuation", message, field, 25, observed=marks))
        if title != title.strip():
            message = "the title starts or ends with spaces; trim them"
            found.append(_fault("title_untrimmed", message, field, 10, observed=repr(title)))
        if "  " in title:
            message = "the title has two spaces in a row; use one"
            found.append(_fault("title_double_space", message, field, 10, observed=repr(title)))
        return self.rated(found)


DEFAULT_ACRONYMS: Final = (
    "AMOLED",
    "DSLR",
    "HDMI",
    "HDR",
    "NVME",
    "OLED",
    "QLED",
    "SATA",
    "SSD",
    "USB",
    "WLAN",
    "XXL",
    "XXXL",
)
"""Words longer than the acronym length that are still not shouting (technical terms)."""

_WORD: Final = re.compile(r"\w+")


def _words(value: object) -> tuple[str, ...]:
    return tuple(sorted(set(_phrases(value, field="allowed"))))


def _share(value: object) -> Decimal:
    share = to_decimal(value, field="maximum_share", error=InvalidValueError)
    if not Decimal(0) < share <= Decimal(1):
        raise InvalidValueError(
            field="maximum_share", value=value, reason="must be more than 0 and at most 1"
        )
    return share


@attrs.frozen(kw_only=True, weakref_slot=False)
class CapitalWords(QualityCriterion):
    """Title and description do not shout: few words written in capitals.

    A word is in capitals when it has only letters, all upper case, and is longer than
    `acronym_length`: ``USB``, ``XL`` and ``LED`` are acronyms and sizes, ``4K`` and
    ``H2O`` hold digits, and none of them count. Words in `allowed` (exact spelling) and
    words of the product's brand (``ASICS``) do not count either.

    Each text is judged on its own: each word in capitals costs `penalty_per_word` (at
    most 100); when the share of such words reaches `maximum_share`, the text is shouting
    and costs 100.

    Args:
        maximum_share: The share of words in capitals (0-1) at which a text is shouting.
        acronym_length: Words of at most this many letters are never counted.
        penalty_per_word: The points each word in capitals costs.
        allowed: Words that may be written in capitals.
        id: The criterion's id (``"capital_words"``).
        weight: Its weight (1).
    """

    default_id: ClassVar[str] = "capital_words"
    maximum_share: Decimal = attrs.field(default=Decimal("0.5"), converter=_share)
    acronym_length: int = attrs.field(default=3, validator=_at_least(0))
    penalty_per_word: int = attrs.field(default=15, converter=_penalty)
    allowed: tuple[str, ...] = attrs.field(default=DEFAULT_ACRONYMS, converter=_words)
    _allowed: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_allowed", frozenset(self.allowed))

    def assess(self, subject: QualitySubject) -> CriterionResult | SkippedCriterion:
        """Count the words in capitals of the title and of the description."""
        if subject.title is None and subject.description is None:
            return self.skip("the product has neither title nor description")
        brand = subject.product.brand
        ignored = (self._allowed | frozenset(_WORD.findall(brand))) if brand else self._allowed
        found: list[Finding] = []
        product_type = subject.product_type
        for what, field, text in (
            ("title", product_type.title_attribute, subject.title),
            ("description", product_type.description_attribute, subject.description),
        ):
            if text is not None and field is not None:
                finding = self._judge(what, field, text, ignored)
                if finding is not None:
                    found.append(finding)
        return self.rated(found)

    def _judge(self, what: str, field: str, text: str, ignored: frozenset[str]) -> Finding | None:
        tokens = _WORD.findall(text)
        shortest = self.acronym_length
        loud = [
            word
            for word in tokens
            if word.isupper() and len(word) > shortest and word.isalpha() and word not in ignored
        ]
        if not loud:
            return None
        words = sum(1 for word in tokens if not word.isdigit())
        share = Decimal(len(loud)) / Decimal(words)
        if share >= self.maximum_share:
            message = (
                f"{len(loud)} of {words} words of the {what} are in capitals; write it in "
                "sentence or title case"
            )
            return _fault(
                f"{what}_in_capitals",
                message,
                field,
                100,
                observed=f"{share:.2f}",
                threshold=self.maximum_share,
            )
        message = (
            f"the {what} has words in capitals ({', '.join(dict.fromkeys(loud))}); write them "
            "in lower case unless they are acronyms"
        )
        penalty = min(_FULL, self.penalty_per_word * len(loud))
        return _fault(
            f"{what}_capital_words", message, field, penalty, observed=len(loud), threshold=0
        )


@attrs.frozen(kw_only=True, weakref_slot=False)
class DescriptionLength(QualityCriterion):
    """The description exists and says enough: a minimum of characters and of words.

    Length is counted on the text as stored (markup included); words are runs of
    characters between spaces. Products whose type has no description attribute are
    skipped.

    | Finding | Penalty |
    | --- | --- |
    | no description | 100 |
    | longer than `maximum_characters` (Google: 5,000) | 100 |
    | fewer than `minimum_characters` | 40 |
    | fewer than `minimum_words` | 30 |

    Args:
        minimum_characters: The fewest characters expected.
        minimum_words: The fewest words expected.
        maximum_characters: The most characters allowed.
        id: The criterion's id (``"description_length"``).
        weight: Its weight (2).

    Raises:
        InvalidValueError: `maximum_characters` is less than `minimum_characters`.
    """

    default_id: ClassVar[str] = "description_length"
    weight: int = attrs.field(default=2, converter=_weight)
    minimum_characters: int = attrs.field(default=100, validator=_at_least(0))
    minimum_words: int = attrs.field(default=15, validator=_at_least(0))
    maximum_characters: int = attrs.field(default=5000, validator=_at_least(1))

    def __attrs_post_init__(self) -> None:
        if self.maximum_characters < self.minimum_characters:
            raise InvalidValueError(
                field="maximum_characters",
                value=self.maximum_characters,
                reason=f"less than minimum_characters ({self.minimum_characters})",
            )

    def assess(self, subject: QualitySubject) -> CriterionResult | SkippedCriterion:
        """Rate the description's length (see the class for the penalties)."""
        field = subject.product_type.description_attribute
        if field is None:
            return self.skip(
                f"the product type {subject.product_type.code!r} has no description attribute"
            )
        text = subject.description
        if text is None:
            message = (
                f"{_missing(subject, 'description', field)}; describe the product in at least "
                f"{self.minimum_words} words"
            )
            return self.rated(
                [
                    _fault(
                        "description_missing",
                        message,
                        field,
                        100,
                        threshold=self.minimum_characters,
                    )
                ]
            )
        size = len(text)
        found: list[Finding] = []
        if size > self.maximum_characters:
            limit = self.maximum_characters
            message = (
                f"the description has {_many(size, 'character')}, more than the {limit} allowed"
            )
            found.append(
                _fault("description_too_long", message, field, 100, observed=size, threshold=limit)
            )
        if size < self.minimum_characters:
            limit = self.minimum_characters
            message = (
                f"the description has {_many(size, 'character')}, fewer than the {limit} "
                "expected; say what the product is, what it is made of and what it is for"
            )
            found.append(
                _fault("description_short", message, field, 40, observed=size, threshold=limit)
            )
        words = len(text.split())
        if words < self.minimum_words:
            limit = self.minimum_words
            message = f"the description has {_many(words, 'word')}, fewer than the {limit} expected"
            found.append(
                _fault("description_few_words", message, field, 30, observed=words, threshold=limit)
            )
        return self.rated(found)


@attrs.frozen(kw_only=True, weakref_slot=False)
class AltTexts(QualityCriterion):
    """Every image has an alternative text in the locale (with locale fallback).

    The rate is the share of images described, rounded down: with 1 of 3 images lacking a
    text the rate is 67. Each image without text is a finding; their penalties add up to
    ``100 - rate``. Products without images are skipped (see
    [`ImageCount`][ecomkit.catalog.ImageCount]).

    Args:
        id: The criterion's id (``"alt_texts"``).
        weight: Its weight (1).
    """

    default_id: ClassVar[str] = "alt_texts"

    def assess(self, subject: QualitySubject) -> CriterionResult | SkippedCriterion:
        """Find the images without alternative text in the subject's locale."""
        media = subject.product.media
        if not media:
            return self.skip("the product has no images")
        total = len(media)
        locale = subject.locale
        found: list[Finding] = []
        for index, image in enumerate(media):
            if image.alt.get(locale) is None:
                done = len(found)
                # The k-th missing text costs floor(100k/n) - floor(100(k-1)/n): the
                # penalties add up to 100 - floor(100 * described / n) exactly.
                penalty = (_FULL * (done + 1)) // total - (_FULL * done) // total
                message = (
                    f"image {index + 1} of {total} ({image.url}) has no alternative text in "
                    f"{locale}; describe what it shows"
                )
                found.append(
                    _fault(
                        "alt_text_missing",
                        message,
                        f"media[{index}].alt",
                        penalty,
                        observed=image.url,
                    )
                )
        return self.rated(found)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ImageCount(QualityCriterion):
    """The product has images, ideally several (front, back, in use).

    | Finding | Penalty |
    | --- | --- |
    | fewer than `minimum` images (no image, by default) | 100 |
    | fewer than `recommended` | 30 |

    Args:
        minimum: The fewest images acceptable.
        recommended: The fewest images recommended.
        id: The criterion's id (``"image_count"``).
        weight: Its weight (2).

    Raises:
        InvalidValueError: `recommended` is less than `minimum`.
    """

    default_id: ClassVar[str] = "image_count"
    weight: int = attrs.field(default=2, converter=_weight)
    minimum: int = attrs.field(default=1, validator=_at_least(1))
    recommended: int = attrs.field(default=3, validator=_at_least(1))

    def __attrs_post_init__(self) -> None:
        if self.recommended < self.minimum:
            raise InvalidValueError(
                field="recommended",
                value=self.recommended,
                reason=f"less than minimum ({self.minimum})",
            )

    def assess(self, subject: QualitySubject) -> CriterionResult:
        """Count the product's images."""
        count = len(subject.product.media)
        if count < self.minimum:
            code = "images_missing" if count == 0 else "images_too_few"
            message = (
                f"the product has {_many(count, 'image')}, fewer than the {self.minimum} "
                "needed; add product photos"
            )
            return self.rated(
                [_fault(code, message, "media", 100, observed=count, threshold=self.minimum)]
            )
        if count < self.recommended:
            message = (
                f"the product has {_many(count, 'image')}, fewer than the {self.recommended} "
                "recommended; add views from other sides or in use"
            )
            return self.rated(
                [
                    _fault(
                        "images_few",
                        message,
                        "media",
                        30,
                        observed=count,
                        threshold=self.recommended,
                    )
                ]
            )
        return self.rated(())


DEFAULT_BRAND_PLACEHOLDERS: Final = (
    "does not exist",
    "generic",
    "n/a",
    "na",
    "no brand",
    "none",
    "unbranded",
    "unknown",
)
"""Brand values that are not brands (Google refuses "N/A", "Generic", "No brand" ...)."""


def _placeholders(value: object) -> tuple[str, ...]:
    return tuple(sorted({item.casefold() for item in _phrases(value, field="placeholders")}))


@attrs.frozen(kw_only=True, weakref_slot=False)
class BrandName(QualityCriterion):
    """The brand is a real brand, not a placeholder such as ``N/A`` or ``Generic``.

    Compared ignoring case and surrounding spaces. Products without brand are skipped
    (whether a brand is required is a matter of completeness). A placeholder costs 100.

    Args:
        placeholders: The values that are not brands.
        id: The criterion's id (``"brand_name"``).
        weight: Its weight (1).
    """

    default_id: ClassVar[str] = "brand_name"
    placeholders: tuple[str, ...] = attrs.field(
        default=DEFAULT_BRAND_PLACEHOLDERS, converter=_placeholders
    )
    _lookup: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_lookup", frozenset(self.placeholders))

    def assess(self, subject: QualitySubject) -> CriterionResult | SkippedCriterion:
        """Check the brand against the placeholders."""
        brand = subject.product.brand
        if brand is None:
            return self.skip("the product has no brand")
        if brand.strip().casefold() not in self._lookup:
            return self.rated(())
        message = (
            f"the brand {brand!r} is a placeholder; give the manufacturer's brand, or none for "
            "products without one"
        )
        return self.rated([_fault("brand_placeholder", message, "brand", 100, observed=brand)])


_NUMBER_ONLY: Final = re.compile(r"\s*[-+]?\d+(?:[.,]\d+)?\s*")
_SHORTEST_NAME: Final = 2


@functools.lru_cache(maxsize=4096)
def _option_matcher(
    definition: AttributeDef, locale: str
) -> tuple[re.Pattern[str] | None, dict[str, frozenset[str]]]:
    """Return a pattern finding any option's label or code in a text, and what each names.

    Labels and codes shorter than two characters or without a letter (``S``, ``38``) are
    left out: they occur in titles for other reasons.
    """
    names: dict[str, set[str]] = {}
    for option in definition.options:
        for name in (option.label.get(locale), option.code.replace("_", " ")):
            if name and len(name) >= _SHORTEST_NAME and any(char.isalpha() for char in name):
                names.setdefault(name.casefold(), set()).add(option.code)
    return _phrase_pattern(names), {name: frozenset(codes) for name, codes in names.items()}


@attrs.frozen(kw_only=True, weakref_slot=False)
class AttributeConsistency(QualityCriterion):
    """The product's values agree with each other and with its title.

    Three checks, each of which can be turned off:

    - `title_options`: the title names an option of a select attribute (by its label in
      the locale, or its code) while the product's value is another option: "Shirt, red"
      with colour navy. A multi-select counts when the title names none of its values.
      Penalty 40 per attribute.
    - `numeric_text`: a one-line text attribute (not the title) whose value is only a
      number, such as a colour of ``"42"``: Google refuses numbers as colours, and a
      number belongs in a number or metric attribute. Penalty 20 per attribute.
    - `mixed_units`: metric values of one family in several units (width in cm, height in
      in); Google asks for one unit for all dimensions. Penalty 20 per family.

    Products with none of these kinds of value are skipped.

    Args:
        title_options: Compare the title with select values.
        numeric_text: Look for text values that are only a number.
        mixed_units: Look for one family in several units.
        id: The criterion's id (``"attribute_consistency"``).
        weight: Its weight (2).
    """

    default_id: ClassVar[str] = "attribute_consistency"
    weight: int = attrs.field(default=2, converter=_weight)
    title_options: bool = attrs.field(default=True, validator=_flag)
    numeric_text: bool = attrs.field(default=True, validator=_flag)
    mixed_units: bool = attrs.field(default=True, validator=_flag)

    def assess(self, subject: QualitySubject) -> CriterionResult | SkippedCriterion:
        """Run the enabled checks over the subject's values."""
        definitions = subject.schema.attributes
        product_type = subject.product_type
        texts_to_skip = {product_type.title_attribute, product_type.description_attribute}
        found: list[Finding] = []
        units: dict[UnitFamily, dict[str, list[str]]] = {}
        checked = False
        for code in subject.values.attributes:
            definition = definitions.get(code)
            kind = None if definition is None else definition.type
            finding = None
            if kind in _SELECTS and self.title_options:
                finding = self._title_option(subject, definitions[code])
            elif kind is AttributeType.TEXT and self.numeric_text and code not in texts_to_skip:
                finding = self._numeric_text(subject, definitions[code])
            elif kind is AttributeType.METRIC and self.mixed_units:
                value = subject.get(code)
                if value is not None:
                    units.setdefault(value.family, {}).setdefault(value.unit, []).append(code)
            else:
                continue
            checked = True
            if finding is not None:
                found.append(finding)
        if not checked:
            return self.skip("the product has no select, text or metric values to compare")
        found.extend(_mixed_units(units))
        return self.rated(found)

    @staticmethod
    def _numeric_text(subject: QualitySubject, definition: AttributeDef) -> Finding | None:
        value = subject.get(definition.code)
        if not isinstance(value, str) or _NUMBER_ONLY.fullmatch(value) is None:
            return None
        message = (
            f"{definition.label_in(subject.locale)} is only a number ({value!r}); write it "
            "out, or keep the number in a number attribute"
        )
        return _fault("text_is_a_number", message, definition.code, 20, observed=value)

    @staticmethod
    def _title_option(subject: QualitySubject, definition: AttributeDef) -> Finding | None:
        title = subject.title
        value = subject.get(definition.code)
        if title is None or value is None:
            return None
        pattern, names = _option_matcher(definition, subject.locale)
        if pattern is None:
            return None
        mentioned: dict[str, str] = {}
        for match in pattern.finditer(title):
            for code in names[match.group(0).casefold()]:
                mentioned.setdefault(code, match.group(0))
        selected = {value} if isinstance(value, str) else set(value)
        if not mentioned or selected & mentioned.keys():
            return None
        named = next(iter(mentioned.values()))
        locale = subject.locale
        actual = ", ".join(definition.option_label(code, locale) for code in sorted(selected))
        message = (
            f"the title names {named!r} but {definition.label_in(locale)} is {actual!r}; make "
            "them agree"
        )
        return _fault(
            "title_contradicts_value",
            message,
            definition.code,
            40,
            observed=named,
            threshold=actual,
        )


_SELECTS: Final = frozenset({AttributeType.SINGLE_SELECT, AttributeType.MULTI_SELECT})


def _mixed_units(units: dict[UnitFamily, dict[str, list[str]]]) -> list[Finding]:
    found: list[Finding] = []
    for family, by_unit in units.items():
        if len(by_unit) > 1:
            codes = ", ".join(sorted(code for names in by_unit.values() for code in names))
            shown = ", ".join(sorted(by_unit))
            message = (
                f"the {family} values ({codes}) use several units ({shown}); state them all in "
                "one unit"
            )
            found.append(_fault("mixed_units", message, codes, 20, observed=shown, threshold=1))
    return found


DEFAULT_CRITERIA: Final[tuple[QualityCriterion, ...]] = (
    TitleLength(),
    TitleFormatting(),
    CapitalWords(),
    DescriptionLength(),
    ImageCount(),
    AltTexts(),
    BrandName(),
    AttributeConsistency(),
)
"""The built-in criteria with their default parameters and weights."""
