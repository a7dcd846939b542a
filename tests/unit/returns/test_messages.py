"""Messages: templates, the shipped catalogs, locale formatting and host messages."""

from __future__ import annotations

import datetime as dt
import importlib.util
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ecomkit.errors import (
    FloatNotAllowedError,
    InvalidLocaleError,
    InvalidTypeError,
    InvalidValueError,
)
from ecomkit.money import Money
from ecomkit.returns import (
    CATALOG_LOCALES,
    Message,
    MessageTemplate,
    Percent,
    message_template,
    message_templates,
    register_message,
)
from ecomkit.returns import _messages as messages_module
from ecomkit.returns._messages import placeholders


ROOT = Path(__file__).resolve().parents[3]
LOCALE_DIR = resources.files("ecomkit.returns").joinpath("locale")
TRANSLATED = [language for language in CATALOG_LOCALES if language != "en"]


def read_catalog(*parts: str, locale: str | None = None):
    with LOCALE_DIR.joinpath(*parts).open("rb") as handle:
        return read_po(handle, locale=locale)


def entries(catalog) -> set[tuple[str | None, object]]:
    """(context, msgid) of every message but the header."""
    return {(message.context, message.id) for message in catalog if message.id}


def spaces(text: str) -> str:
    """Return *text* with CLDR's no-break spaces as plain spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh_messages():
    """A fresh copy of the messages module: its registry holds the built-in templates only.

    Other tests (and hosts) register templates of their own in the shared registry; the
    catalogs must match exactly the built-in ones.
    """
    return load("fresh_returns_messages", Path(messages_module.__file__))


@pytest.fixture(scope="module")
def builtin_templates(fresh_messages):
    return dict(fresh_messages.message_templates())


# ---------------------------------------------------------------------- shipped catalogs


class TestShippedCatalogs:
    def test_english_and_four_translations_ship(self):
        assert CATALOG_LOCALES == ("ar", "en", "it", "pl", "zh")
        for language in TRANSLATED:
            assert LOCALE_DIR.joinpath(language, "returns.po").is_file()

    @pytest.mark.parametrize("language", TRANSLATED)
    def test_every_template_is_translated_with_the_same_placeholders(
        self, language, builtin_templates
    ):
        catalog = read_catalog(language, "returns.po", locale=language)
        problems = []
        for code, template in sorted(builtin_templates.items()):
            msgid = template.text if template.plural is None else (template.text, template.plural)
            found = catalog.get(msgid, context=code)
            if found is None:
                problems.append(f"{code}: missing")
                continue
            if found.fuzzy:
                problems.append(f"{code}: fuzzy")
            texts = [found.string] if template.plural is None else list(found.string)
            if template.plural is not None and len(texts) != catalog.num_plurals:
                problems.append(f"{code}: {len(texts)} plural forms, not {catalog.num_plurals}")
            for index, text in enumerate(texts):
                if not text.strip():
                    problems.append(f"{code}[{index}]: empty")
                elif placeholders(text) != placeholders(template.text):
                    problems.append(f"{code}[{index}]: placeholders {sorted(placeholders(text))}")
        assert problems == []

    @pytest.mark.parametrize("language", TRANSLATED)
    def test_a_catalog_holds_nothing_the_templates_do_not(self, language):
        catalog = read_catalog(language, "returns.po", locale=language)
        template = read_catalog("returns.pot")
        assert entries(catalog) == entries(template)

    def test_the_committed_template_file_matches_the_templates(
        self, fresh_messages, builtin_templates, monkeypatch
    ):
        tool = load("returns_catalogs", ROOT / "tools" / "returns_catalogs.py")
        monkeypatch.setattr(tool, "message_templates", fresh_messages.message_templates)
        regenerated = tool.template_catalog()
        committed = read_catalog("returns.pot")
        assert entries(committed) == entries(regenerated)
        assert {context for context, _msgid in entries(committed)} == set(builtin_templates)

    @pytest.mark.parametrize("language", TRANSLATED)
    def test_every_builtin_message_renders_differently_from_english(
        self, language, builtin_templates
    ):
        samples = {
            "allowed": 3,
            "days": 14,
            "years": 2,
            "deadline": dt.date(2026, 3, 16),
            "informed": dt.date(2026, 3, 2),
            "amount": Money("12.30", "EUR"),
            "threshold": Money("500", "EUR"),
            "rate": Percent(Decimal("0.1")),
            "currency": "EUR",
        }
        same = []
        for code, template in builtin_templates.items():
            args = {name: samples[name] for name in placeholders(template.text)}
            message = Message(code, args)
            if message.render(language) == message.render("en"):
                same.append(code)
        assert same == []


# ---------------------------------------------------------------------- Message


class TestMessage:
    def test_an_unknown_code_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            Message("window.forever")
        assert caught.value.field == "code"

    def test_a_missing_argument_is_refused_naming_it(self):
        with pytest.raises(InvalidValueError) as caught:
            Message("window.closed", {"days": 30})
        assert caught.value.field == "args"
        assert "deadline" in caught.value.reason

    def test_a_float_argument_is_refused(self):
        with pytest.raises(FloatNotAllowedError) as caught:
            Message("fee.restocking_rate", {"rate": 0.1, "amount": Money("1", "EUR")})
        assert caught.value.field == "args['rate']"

    @pytest.mark.parametrize("value", [True, None, [1], 1j])
    def test_an_argument_that_cannot_be_rendered_is_refused(self, value):
        with pytest.raises(InvalidTypeError):
            Message("quantity.limited", {"allowed": value})

    def test_an_argument_name_that_is_not_an_identifier_is_refused(self):
        with pytest.raises(InvalidValueError):
            Message("final_sale", {"not a name": "x"})

    def test_arguments_must_be_a_mapping(self):
        with pytest.raises(InvalidTypeError):
            Message("final_sale", [("a", 1)])

    def test_a_percent_must_be_a_finite_decimal(self):
        with pytest.raises(FloatNotAllowedError):
            Percent(0.1)
        with pytest.raises(InvalidTypeError):
            Percent(Decimal("Infinity"))

    def test_messages_with_the_same_code_and_arguments_are_equal_values(self):
        first = Message("window.closed", {"days": 30, "deadline": dt.date(2026, 3, 2)})
        second = Message("window.closed", {"deadline": dt.date(2026, 3, 2), "days": 30})
        assert first == second
        assert hash(first) == hash(second)
        assert repr(Message("final_sale")) == "Message('final_sale', {})"

    def test_the_arguments_cannot_be_changed_afterwards(self):
        message = Message("quantity.limited", {"allowed": 1})
        with pytest.raises(TypeError):
            message.args["allowed"] = 2  # type: ignore[index]

    def test_an_unknown_locale_is_refused_when_rendering(self):
        with pytest.raises(InvalidLocaleError):
            Message("final_sale").render("xx_YY_ZZ")

    def test_message_template_returns_the_english_template(self):
        template = message_template("quantity.limited")
        assert (template.count, template.text) == (
            "allowed",
            "Only {allowed} unit of this line can still be returned.",
        )
        with pytest.raises(InvalidValueError):
            message_template("nope")

    def test_the_template_registry_cannot_be_changed_through_its_listing(self):
        with pytest.raises(TypeError):
            message_templates()["final_sale"] = message_template("not_returnable")  # type: ignore[index]


class TestLocaleFormatting:
    def test_dates_are_written_the_way_each_language_writes_them(self):
        message = Message("complaint.respond_by", {"deadline": dt.date(2026, 3, 2)})
        assert message.render("en") == "The complaint must be answered by March 2, 2026."
        assert "2 marca 2026" in message.render("pl")
        assert "2 marzo 2026" in message.render("it")
        assert "2026年3月2日" in message.render("zh")

    def test_money_is_written_with_the_languages_separators_and_symbol(self):
        message = Message("fee.return_shipping", {"amount": Money("1234.50", "PLN")})
        assert "PLN1,234.50" in message.render("en")
        assert "1 234,50 zł" in spaces(message.render("pl"))

    def test_rates_are_written_as_percentages(self):
        message = Message(
            "fee.restocking_rate",
            {"rate": Percent(Decimal("0.125")), "amount": Money("2.50", "EUR")},
        )
        assert "12.5%" in message.render("en")
        assert "12,5%" in message.render("pl")

    def test_counts_are_grouped_as_numbers_in_the_locale(self):
        message = Message("quantity.limited", {"allowed": 1000})
        assert message.render("en") == "Only 1,000 units of this line can still be returned."
        assert "1 000" in spaces(message.render("pl"))

    @pytest.mark.parametrize(
        ("count", "english", "polish"),
        [
            (1, "unit", "sztukę"),
            (3, "units", "sztuki"),
            (5, "units", "sztuk"),
            (22, "units", "sztuki"),
        ],
    )
    def test_plural_forms_follow_each_languages_rules(self, count, english, polish):
        message = Message("quantity.limited", {"allowed": count})
        assert message.render("en") == (
            f"Only {count} {english} of this line can still be returned."
        )
        assert message.render("pl").endswith(f" {count} {polish}.")

    def test_a_datetime_argument_is_shown_in_its_own_timezone(self):
        message = Message(
            "withdrawal.informed_late",
            {
                "informed": dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC),
                "deadline": dt.date(2026, 3, 16),
            },
        )
        assert "11:30:00" in spaces(message.render("en"))
        assert "Mar 2, 2026" in message.render("en")

    def test_a_regional_locale_uses_its_languages_catalog_and_a_missing_language_english(self):
        message = Message("final_sale")
        assert message.render("pl_PL") == message.render("pl") != message.render("en")
        assert (
            message.render("de") == message.render("en") == "Final-sale items cannot be returned."
        )


# ---------------------------------------------------------------------- host messages


@pytest.mark.usefixtures("clean_message_registry")
class TestRegisterMessage:
    def test_a_host_message_renders_its_own_translations(self):
        register_message(
            MessageTemplate(
                code="test.outlet",
                text="Outlet items go back to {store}.",
                translations={
                    "pl": "Produkty z outletu wracają do {store}.",
                    "it-IT": "Al {store}.",
                },
            )
        )
        message = Message("test.outlet", {"store": "Kraków"})
        assert message.render() == "Outlet items go back to Kraków."
        assert message.render("pl") == "Produkty z outletu wracają do Kraków."
        assert message.render("pl_PL") == "Produkty z outletu wracają do Kraków."
        assert message.render("it_IT") == "Al Kraków."
        # No host text for Italian in general, nor a shipped one: English.
        assert message.render("it") == "Outlet items go back to Kraków."

    @pytest.mark.parametrize(
        ("count", "expected"),
        [(1, "1 paczka"), (3, "3 paczki"), (5, "5 paczek"), (22, "22 paczki")],
    )
    def test_host_translations_may_give_a_text_per_cldr_plural_category(self, count, expected):
        register_message(
            MessageTemplate(
                code="test.parcels",
                text="{count} parcel",
                plural="{count} parcels",
                count="count",
                translations={
                    "pl": {
                        "one": "{count} paczka",
                        "few": "{count} paczki",
                        "many": "{count} paczek",
                        "other": "{count} paczki",
                    }
                },
            )
        )
        assert Message("test.parcels", {"count": count}).render("pl") == expected
        assert Message("test.parcels", {"count": count}).render("en") == (
            f"{count} parcel" if count == 1 else f"{count} parcels"
        )

    def test_a_missing_plural_category_falls_back_to_other(self):
        register_message(
            MessageTemplate(
                code="test.boxes",
                text="{n} box",
                plural="{n} boxes",
                count="n",
                translations={"pl": {"one": "{n} pudełko", "other": "{n} pudełek"}},
            )
        )
        assert Message("test.boxes", {"n": 3}).render("pl") == "3 pudełek"

    def test_registering_the_same_template_again_is_harmless(self):
        template = MessageTemplate(code="test.same", text="Same.", translations={"pl": "To samo."})
        register_message(template)
        again = MessageTemplate(code="test.same", text="Same.", translations={"pl": "To samo."})
        assert register_message(again) is again

    def test_a_different_template_under_a_registered_code_is_refused(self):
        register_message(MessageTemplate(code="test.once", text="First."))
        with pytest.raises(InvalidValueError) as caught:
            register_message(MessageTemplate(code="test.once", text="Second."))
        assert caught.value.field == "template.code"
        assert Message("test.once").render() == "First."

    def test_a_builtin_message_cannot_be_replaced(self):
        with pytest.raises(InvalidValueError):
            register_message(MessageTemplate(code="final_sale", text="Everything comes back."))
        assert message_template("final_sale").text == "Final-sale items cannot be returned."

    def test_only_templates_can_be_registered(self):
        with pytest.raises(InvalidTypeError):
            register_message({"code": "test.dict", "text": "No."})


class TestMessageTemplate:
    def test_plural_and_count_come_together(self):
        with pytest.raises(InvalidValueError):
            MessageTemplate(code="test.x", text="{n} item", plural="{n} items")
        with pytest.raises(InvalidValueError):
            MessageTemplate(code="test.x", text="{n} item", count="n")

    def test_the_plural_uses_the_placeholders_of_the_text(self):
        with pytest.raises(InvalidValueError) as caught:
            MessageTemplate(code="test.x", text="{n} item", plural="{m} items", count="n")
        assert caught.value.field == "plural"

    def test_the_count_is_one_of_the_placeholders(self):
        with pytest.raises(InvalidValueError) as caught:
            MessageTemplate(code="test.x", text="{n} item", plural="{n} items", count="m")
        assert caught.value.field == "count"

    def test_translations_are_texts_or_plural_texts_with_other(self):
        with pytest.raises(InvalidTypeError):
            MessageTemplate(code="test.x", text="x", translations=["pl"])
        with pytest.raises(InvalidTypeError):
            MessageTemplate(code="test.x", text="x", translations={"pl": {"one": "x"}})
        with pytest.raises(InvalidTypeError):
            MessageTemplate(code="test.x", text="x", translations={"pl": 1})

    def test_translation_locales_are_checked_and_normalized(self):
        template = MessageTemplate(code="test.x", text="x", translations={"pl-pl": "y"})
        assert set(template.translations) == {"pl_PL"}
        with pytest.raises(InvalidLocaleError):
            MessageTemplate(code="test.x", text="x", translations={"??": "y"})
