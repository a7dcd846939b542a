"""Messages that explain decisions, rendered in the customer's language.

A [`Message`][ecomkit.returns.Message] is a code and typed arguments; it becomes text only
when rendered for a locale. The English templates live here; their translations are babel
message catalogs (``.po`` files) shipped in ``ecomkit/returns/locale``, one per language,
keyed by the message code as the gettext context. Arguments are formatted for the locale by
babel: dates, amounts of money, percentages and numbers.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import string
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs

from ecomkit.errors import FloatNotAllowedError, InvalidTypeError, InvalidValueError
from ecomkit.i18n import fallback_chain, normalize_locale
from ecomkit.money import Money


if TYPE_CHECKING:
    from babel.support import Translations


__all__ = [
    "CATALOG_LOCALES",
    "Message",
    "MessageArg",
    "MessageTemplate",
    "Percent",
    "message_template",
    "message_templates",
    "register_message",
]


@attrs.frozen(weakref_slot=False)
class Percent:
    """A rate shown as a percentage (``Decimal("0.15")`` renders as ``15%``).

    Attributes:
        rate: The rate as a fraction.
    """

    rate: Decimal = attrs.field()

    @rate.validator
    def _check_rate(self, _attribute: object, value: object) -> None:
        if isinstance(value, float):
            raise FloatNotAllowedError(field="rate", value=value)
        if not isinstance(value, Decimal) or not value.is_finite():
            raise InvalidTypeError(field="rate", value=value, expected="a finite Decimal")


MessageArg: TypeAlias = str | int | Decimal | Percent | Money | dt.date | dt.datetime
"""What a message argument may be; each is formatted for the locale when rendered."""

_ARG_TYPES: Final = (str, int, Decimal, Percent, Money, dt.date)


def _translation_map(value: object) -> Mapping[str, str | Mapping[str, str]]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            field="translations", value=value, expected="a mapping of locale to text"
        )
    found: dict[str, str | Mapping[str, str]] = {}
    for locale, text in value.items():
        key = normalize_locale(locale, field="translations")
        if isinstance(text, str):
            found[key] = text
        elif isinstance(text, Mapping) and "other" in text:
            found[key] = MappingProxyType(dict(text))
        else:
            raise InvalidTypeError(
                field=f"translations[{locale!r}]",
                value=text,
                expected="a text, or texts by CLDR plural category including 'other'",
            )
    return MappingProxyType(found)


def _translations_key(value: Mapping[str, str | Mapping[str, str]]) -> tuple[Any, ...]:
    return tuple(
        sorted(
            (key, text if isinstance(text, str) else tuple(sorted(text.items())))
            for key, text in value.items()
        )
    )


@attrs.frozen(weakref_slot=False)
class MessageTemplate:
    """The English text of a message code, with its translations for host messages.

    Built-in templates are translated by the shipped catalogs. A host that adds rule types
    registers its templates with [`register_message`][ecomkit.returns.register_message]
    and gives their translations here, each either one text or one text per CLDR plural
    category (``{"one": ..., "few": ..., "many": ..., "other": ...}``).

    Attributes:
        code: The message code, such as ``"window.closed"``.
        text: The English text with ``{name}`` placeholders.
        plural: The English plural text, when the message counts something.
        count: The argument whose number picks the plural form.
        translations: Host translations by locale.
    """

    code: str
    text: str
    plural: str | None = None
    count: str | None = None
    translations: Mapping[str, str | Mapping[str, str]] = attrs.field(
        factory=dict, converter=_translation_map, eq=_translations_key
    )

    def __attrs_post_init__(self) -> None:
        """Check the placeholders and the plural settings agree."""
        if (self.plural is None) != (self.count is None):
            raise InvalidValueError(
                field="plural", value=self.plural, reason="give plural and count together"
            )
        names = placeholders(self.text)
        if self.plural is not None and placeholders(self.plural) != names:
            raise InvalidValueError(
                field="plural", value=self.plural, reason="must use the placeholders of text"
            )
        if self.count is not None and self.count not in names:
            raise InvalidValueError(
                field="count", value=self.count, reason="must be one of the text's placeholders"
            )


@functools.lru_cache(maxsize=1024)
def placeholders(text: str) -> frozenset[str]:
    """Return the names of the ``{name}`` placeholders in *text*."""
    return frozenset(
        name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name
    )


_TEMPLATES: Final[dict[str, MessageTemplate]] = {}


def _builtin(code: str, text: str, plural: str | None = None, count: str | None = None) -> None:
    _TEMPLATES[code] = MessageTemplate(code=code, text=text, plural=plural, count=count)


# ---------------------------------------------------------------------- built-in templates
_builtin(
    "quantity.limited",
    "Only {allowed} unit of this line can still be returned.",
    "Only {allowed} units of this line can still be returned.",
    "allowed",
)
_builtin(
    "quantity.none",
    "No unit of this line can be returned: none was delivered, or all were already returned.",
)
_builtin(
    "window.open",
    "Within the return period of {days} day; it ends on {deadline}.",
    "Within the return period of {days} days; it ends on {deadline}.",
    "days",
)
_builtin(
    "window.closed",
    "The return period of {days} day ended on {deadline}.",
    "The return period of {days} days ended on {deadline}.",
    "days",
)
_builtin(
    "window.not_started",
    "The item has not been delivered yet, so the return period has not started.",
)
_builtin(
    "deadline.moved",
    "The period ended on a day off, so it runs until the next working day, {deadline}.",
)
_builtin(
    "withdrawal.open",
    "Within the statutory withdrawal period of {days} day from delivery of the last item; "
    "it ends on {deadline}.",
    "Within the statutory withdrawal period of {days} days from delivery of the last item; "
    "it ends on {deadline}.",
    "days",
)
_builtin("withdrawal.closed", "The statutory withdrawal period ended on {deadline}.")
_builtin(
    "withdrawal.not_started",
    "Not every item of the order has been delivered yet, so the withdrawal period has not "
    "started; withdrawal is possible now.",
)
_builtin(
    "withdrawal.not_informed",
    "The customer was not informed of the right of withdrawal, so the period is extended "
    "until {deadline}.",
)
_builtin(
    "withdrawal.informed_late",
    "The customer was informed of the right of withdrawal on {informed}, so the period ends "
    "on {deadline}.",
)
_builtin(
    "exception.personalised",
    "Goods made to the customer's specifications or personalised are excluded from the "
    "right of withdrawal.",
)
_builtin(
    "exception.perishable",
    "Goods that deteriorate or expire rapidly are excluded from the right of withdrawal.",
)
_builtin(
    "exception.sealed_hygiene",
    "Sealed goods not suitable for return for health or hygiene reasons were unsealed after "
    "delivery.",
)
_builtin(
    "exception.sealed_hygiene_review",
    "Sealed hygiene goods were unsealed after delivery; they stay returnable if they can be "
    "cleaned and resold, which staff will check.",
)
_builtin(
    "exception.sealed_media",
    "Sealed audio or video recordings or software were unsealed after delivery.",
)
_builtin("final_sale", "Final-sale items cannot be returned.")
_builtin("not_returnable", "This item cannot be returned.")
_builtin("condition.opened.declined", "Opened items cannot be returned.")
_builtin("condition.used.declined", "Used items cannot be returned.")
_builtin("condition.damaged.declined", "Damaged items cannot be returned.")
_builtin("condition.opened.review", "Opened items are accepted only after staff review them.")
_builtin("condition.used.review", "Used items are accepted only after staff review them.")
_builtin("condition.damaged.review", "Damaged items are accepted only after staff review them.")
_builtin("fee.restocking_rate", "A restocking fee of {rate} applies: {amount}.")
_builtin("fee.restocking_fixed", "A restocking fee of {amount} applies.")
_builtin("fee.return_shipping", "Return shipping of {amount} is deducted from the refund.")
_builtin("fee.waived_withdrawal", "No restocking fee is charged on a statutory withdrawal.")
_builtin(
    "fee.no_amount",
    "The policy sets no fee in {currency}; staff will set it.",
)
_builtin(
    "refund.store_credit_only",
    "More than {days} day after delivery, refunds are made as store credit.",
    "More than {days} days after delivery, refunds are made as store credit.",
    "days",
)
_builtin("reason.required", "Choose one of the accepted return reasons.")
_builtin(
    "review.high_value",
    "Returns worth more than {threshold} are checked by staff; this one is worth {amount}.",
)
_builtin("exchange.not_offered", "This item cannot be exchanged for another variant.")
_builtin(
    "complaint.open",
    "Within the liability period for non-conformity of {years} year from delivery; it ends "
    "on {deadline}.",
    "Within the liability period for non-conformity of {years} years from delivery; it ends "
    "on {deadline}.",
    "years",
)
_builtin("complaint.closed", "The liability period for non-conformity ended on {deadline}.")
_builtin("complaint.respond_by", "The complaint must be answered by {deadline}.")
_builtin(
    "complaint.deemed_accepted",
    "The complaint was not answered by {deadline}, so it counts as accepted.",
)
_builtin(
    "complaint.remedy_order",
    "A price reduction or termination of the contract is available only when repair or "
    "replacement is impossible or has failed; staff will check.",
)
_builtin(
    "refund.due_by",
    "The refund is due by {deadline}; it may be withheld until the goods, or proof that they "
    "were sent back, arrive.",
)


def message_templates() -> Mapping[str, MessageTemplate]:
    """Return every known template by code: the built-in ones and those hosts registered."""
    return MappingProxyType(_TEMPLATES)


def message_template(code: str) -> MessageTemplate:
    """Return the template of *code*.

    Raises:
        InvalidValueError: No template has that code.
    """
    found = _TEMPLATES.get(code)
    if found is None:
        raise InvalidValueError(
            field="code",
            value=code,
            reason="no message has this code; register it with register_message()",
        )
    return found


def register_message(template: MessageTemplate) -> MessageTemplate:
    """Make *template*'s code renderable (for messages of a host's own rule types).

    Registering the same template again is harmless; a different template under a code
    already taken is refused, so a host cannot silently change a built-in message.

    Raises:
        InvalidTypeError: *template* is not a ``MessageTemplate``.
        InvalidValueError: Another template already has the code.
    """
    if not isinstance(template, MessageTemplate):
        raise InvalidTypeError(field="template", value=template, expected="MessageTemplate")
    known = _TEMPLATES.get(template.code)
    if known is not None and known != template:
        raise InvalidValueError(
            field="template.code", value=template.code, reason="is already registered"
        )
    _TEMPLATES[template.code] = template
    return template


# ---------------------------------------------------------------------- catalogs

CATALOG_LOCALES: Final = ("ar", "en", "it", "pl", "zh")
"""The languages whose catalogs ship with ecomkit (English is the templates themselves)."""


@functools.cache
def _translations(language: str) -> Translations:
    """Load the shipped catalog of *language* (``.po``), compiled in memory once."""
    from babel.messages.mofile import write_mo  # noqa: PLC0415 - loads on first render
    from babel.messages.pofile import read_po  # noqa: PLC0415
    from babel.support import Translations  # noqa: PLC0415

    source = resources.files("ecomkit.returns").joinpath("locale", language, "returns.po")
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


@functools.lru_cache(maxsize=256)
def _catalog_language(locale: str) -> str:
    """Return the shipped language to render *locale* in: the first along its chain."""
    for candidate in fallback_chain(locale):
        if candidate in CATALOG_LOCALES:
            return candidate
    return "en"


def _format_arg(value: MessageArg, locale: str) -> str:
    from babel.dates import format_date, format_datetime  # noqa: PLC0415 - on first render
    from babel.numbers import format_decimal, format_percent  # noqa: PLC0415

    from ecomkit.money import format_money  # noqa: PLC0415 - imports babel

    if isinstance(value, str):
        return value
    if isinstance(value, Money):
        return format_money(value, locale=locale)
    if isinstance(value, Percent):
        return format_percent(value.rate, locale=locale, decimal_quantization=False)
    if isinstance(value, dt.datetime):
        return format_datetime(value, format="medium", tzinfo=value.tzinfo, locale=locale)
    if isinstance(value, dt.date):
        return format_date(value, format="long", locale=locale)
    return format_decimal(value, locale=locale)


def _host_text(template: MessageTemplate, locale: str, count: int | None) -> str | None:
    """Return the host translation of *template* for *locale*, if it has one."""
    if not template.translations:
        return None
    for candidate in fallback_chain(locale):
        found = template.translations.get(candidate)
        if found is None:
            continue
        if isinstance(found, str):
            return found
        from babel import Locale  # noqa: PLC0415 - on first render

        category = "other" if count is None else Locale.parse(candidate).plural_form(count)
        return found.get(category, found.get("other"))
    return None


def _freeze_args(value: object) -> Mapping[str, MessageArg]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError(field="args", value=value, expected="a mapping of name to value")
    args: dict[str, MessageArg] = {}
    for name, arg in value.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise InvalidValueError(field="args", value=name, reason="not an argument name")
        if isinstance(arg, float):
            raise FloatNotAllowedError(field=f"args[{name!r}]", value=arg)
        if isinstance(arg, bool) or not isinstance(arg, _ARG_TYPES):
            raise InvalidTypeError(
                field=f"args[{name!r}]",
                value=arg,
                expected="str, int, Decimal, Percent, Money, date or datetime",
            )
        args[name] = arg
    return MappingProxyType(dict(sorted(args.items())))


def _args_key(args: Mapping[str, MessageArg]) -> tuple[tuple[str, Any], ...]:
    return tuple(args.items())


@attrs.frozen(weakref_slot=False, repr=False)
class Message:
    """A message code with its arguments, rendered in any locale on demand.

    Args:
        code: A registered message code (see
            [`message_templates`][ecomkit.returns.message_templates]).
        args: The values of the template's placeholders.

    Raises:
        InvalidValueError: The code is unknown, or an argument the template needs is
            missing.
        InvalidTypeError: An argument has a type that cannot be rendered.

    Examples:
        >>> import datetime as dt
        >>> message = Message("window.closed", {"days": 30, "deadline": dt.date(2026, 3, 2)})
        >>> message.render("en")
        'The return period of 30 days ended on March 2, 2026.'
        >>> message.render("pl")
        'Okres zwrotu wynoszący 30 dni zakończył się 2 marca 2026.'
    """

    code: str
    args: Mapping[str, MessageArg] = attrs.field(factory=dict, converter=_freeze_args, eq=_args_key)

    def __attrs_post_init__(self) -> None:
        """Check the code is known and every placeholder has a value."""
        template = message_template(self.code)
        missing = placeholders(template.text) - set(self.args)
        if missing:
            raise InvalidValueError(
                field="args",
                value=sorted(self.args),
                reason=f"message {self.code!r} also needs {', '.join(sorted(missing))}",
            )

    def render(self, locale: str = "en") -> str:
        """Return the message as text in *locale* (English where no catalog covers it).

        The locale's fallback chain picks the catalog (``pl_PL`` uses ``pl``); a locale
        none of the shipped catalogs covers gets English. Arguments are formatted with the
        locale's conventions.

        Raises:
            InvalidLocaleError: *locale* is not a CLDR locale code.
        """
        template = message_template(self.code)
        count_arg = self.args.get(template.count) if template.count else None
        count = count_arg if isinstance(count_arg, int) else None
        text = _host_text(template, locale, count)
        if text is None:
            language = _catalog_language(locale)
            if language == "en":
                text = template.text if count == 1 or template.plural is None else template.plural
            elif template.plural is not None:
                text = str(
                    _translations(language).npgettext(
                        template.code,
                        template.text,
                        template.plural,
                        1 if count is None else count,
                    )
                )
            else:
                text = str(_translations(language).pgettext(template.code, template.text))
        language = normalize_locale(locale)
        return text.format_map(
            {name: _format_arg(arg, language) for name, arg in self.args.items()}
        )

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {dict(self.args)!r})"
