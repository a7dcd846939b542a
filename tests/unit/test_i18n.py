"""ecomkit.i18n: locale codes, CLDR fallback chains and LocalizedText."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from types import MappingProxyType

import attrs
import pytest

from ecomkit.errors import (
    InvalidLocaleError,
    InvalidTypeError,
    InvalidValueError,
    MissingTranslationError,
    NotFoundError,
)
from ecomkit.i18n import (
    LocalizedText,
    ResolvedText,
    babel_locale,
    fallback_chain,
    normalize_locale,
)


SHOE = LocalizedText({"en": "Shoe", "de": "Schuh", "pl": "But"}, default_locale="en")


class TestImport:
    def test_importing_the_module_does_not_load_babel(self):
        code = "import sys, ecomkit.i18n; print('babel' in sys.modules)"
        result = subprocess.run(  # noqa: S603 - this interpreter and a literal snippet
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "False"


class TestNormalizeLocale:
    @pytest.mark.parametrize(
        ("code", "expected"),
        [
            ("pl-PL", "pl_PL"),
            ("pl_pl", "pl_PL"),
            ("de", "de"),
            ("zh-Hant-TW", "zh_Hant_TW"),
            ("zh_TW", "zh_Hant_TW"),
            (" en_US ", "en_US"),
        ],
    )
    def test_codes_come_back_in_babel_form(self, code, expected):
        assert normalize_locale(code) == expected

    @pytest.mark.parametrize("code", ["xx", "", "  ", "en_XX_YY_ZZ", 42, None])
    def test_bad_codes_are_refused_naming_the_locale_field(self, code):
        with pytest.raises(InvalidLocaleError) as caught:
            normalize_locale(code)
        assert caught.value.field == "locale"
        assert caught.value.value == code

    def test_the_field_can_be_named_by_the_caller(self):
        with pytest.raises(InvalidLocaleError) as caught:
            normalize_locale("xx", field="customer.locale")
        assert caught.value.field == "customer.locale"
        assert caught.value.value == "xx"
        assert "CLDR" in caught.value.reason


class TestBabelLocale:
    def test_a_babel_locale_is_returned(self):
        assert str(babel_locale("pt-BR")) == "pt_BR"

    def test_the_field_is_named_for_a_non_string(self):
        with pytest.raises(InvalidLocaleError) as caught:
            babel_locale(["de"], field="locales[0]")
        assert caught.value.field == "locales[0]"
        assert caught.value.value == ["de"]


class TestFallbackChain:
    @pytest.mark.parametrize(
        ("locale", "chain"),
        [
            # Dropping subtags from the right.
            ("de", ("de",)),
            ("de-AT", ("de_AT", "de")),
            ("en_US_POSIX", ("en_US_POSIX", "en_US", "en")),
            ("ca_ES_VALENCIA", ("ca_ES_VALENCIA", "ca_ES", "ca")),
            ("de_DE@euro", ("de_DE@euro", "de_DE", "de")),
            # CLDR's explicit parents.
            ("es_MX", ("es_MX", "es_419", "es")),
            ("en_AU", ("en_AU", "en_001", "en")),
            ("en_GB", ("en_GB", "en_001", "en")),
            ("en_DE", ("en_DE", "en_150", "en_001", "en")),
            ("pt_AO", ("pt_AO", "pt_PT", "pt")),
            ("nb", ("nb", "no")),
            ("zh_Hant_MO", ("zh_Hant_MO", "zh_Hant_HK", "zh_Hant")),
            # A language's usual script falls back to the bare language ...
            ("zh_Hans_CN", ("zh_Hans_CN", "zh_Hans", "zh")),
            ("zh_CN", ("zh_Hans_CN", "zh_Hans", "zh")),
            ("sr_Cyrl_RS", ("sr_Cyrl_RS", "sr_Cyrl", "sr")),
            # ... any other script stops before it.
            ("zh_Hant_TW", ("zh_Hant_TW", "zh_Hant")),
            ("zh-TW", ("zh_Hant_TW", "zh_Hant")),
            ("sr_Latn_RS", ("sr_Latn_RS", "sr_Latn")),
            ("uz_Arab_AF", ("uz_Arab_AF", "uz_Arab")),
        ],
    )
    def test_chains_follow_cldr(self, locale, chain):
        assert fallback_chain(locale) == chain

    def test_traditional_chinese_never_falls_back_to_simplified(self):
        assert "zh" not in fallback_chain("zh_Hant_TW")

    def test_chains_are_cached(self):
        assert fallback_chain("de_CH") is fallback_chain("de_CH")

    @pytest.mark.parametrize("locale", ["xx", "", ["de"], None, 7])
    def test_bad_locales_are_refused(self, locale):
        with pytest.raises(InvalidLocaleError) as caught:
            fallback_chain(locale)
        assert caught.value.field == "locale"
        assert caught.value.value == locale


class TestLocalizedTextConstruction:
    def test_locale_keys_are_normalized_and_sorted(self):
        text = LocalizedText({"pl-PL": "But", "de": "Schuh", "en_us": "Shoe"})
        assert dict(text.values) == {"de": "Schuh", "en_US": "Shoe", "pl_PL": "But"}
        assert text.locales == ("de", "en_US", "pl_PL")

    def test_the_default_locale_is_normalized(self):
        text = LocalizedText({"pt_BR": "Sapato"}, default_locale="pt-br")
        assert text.default_locale == "pt_BR"

    def test_the_default_locale_is_optional(self):
        assert LocalizedText({"en": "Shoe"}).default_locale is None

    def test_an_empty_text_is_allowed(self):
        empty = LocalizedText({})
        assert len(empty) == 0
        assert empty.locales == ()
        assert empty.get("en") is None

    def test_values_are_read_only(self):
        with pytest.raises(TypeError):
            SHOE.values["fr"] = "Chaussure"
        assert isinstance(SHOE.values, MappingProxyType)

    def test_changing_the_source_mapping_later_changes_nothing(self):
        source = {"en": "Shoe"}
        text = LocalizedText(source)
        source["en"] = "Boot"
        assert text.get("en") == "Shoe"

    def test_attributes_cannot_be_reassigned(self):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            SHOE.default_locale = "de"

    def test_texts_are_kept_exactly_as_given(self):
        assert LocalizedText({"en": "  Shoe "}).get("en") == "  Shoe "

    def test_a_non_mapping_is_refused(self):
        pairs = [("en", "Shoe")]
        with pytest.raises(InvalidTypeError) as caught:
            LocalizedText(pairs)
        assert caught.value.field == "values"
        assert caught.value.value is pairs

    @pytest.mark.parametrize("key", ["xx", "", 42, None])
    def test_a_key_that_is_not_a_locale_is_refused(self, key):
        with pytest.raises(InvalidLocaleError) as caught:
            LocalizedText({"en": "Shoe", key: "?"})
        assert caught.value.field == "values"
        assert caught.value.value == key

    @pytest.mark.parametrize("value", [None, 42, b"Shoe", ["Shoe"]])
    def test_a_text_that_is_not_a_string_is_refused(self, value):
        with pytest.raises(InvalidTypeError) as caught:
            LocalizedText({"en": value})
        assert caught.value.field == "values['en']"
        assert caught.value.value == value
        assert caught.value.expected == "str"

    @pytest.mark.parametrize("value", ["", "   ", "\n\t"])
    def test_a_blank_text_is_refused(self, value):
        with pytest.raises(InvalidValueError) as caught:
            LocalizedText({"de-AT": value})
        assert caught.value.field == "values['de-AT']"
        assert caught.value.value == value
        assert caught.value.reason == "must not be blank"

    def test_two_keys_for_the_same_locale_are_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            LocalizedText({"pl-PL": "But", "pl_pl": "Obuwie"})
        assert caught.value.field == "values"
        assert caught.value.value == "pl_pl"
        assert "'pl_PL'" in caught.value.reason
        assert "'pl-PL'" in caught.value.reason

    def test_an_invalid_default_locale_is_refused(self):
        with pytest.raises(InvalidLocaleError) as caught:
            LocalizedText({"en": "Shoe"}, default_locale="xx")
        assert caught.value.field == "default_locale"
        assert caught.value.value == "xx"

    def test_a_default_locale_without_text_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            LocalizedText({"en": "Shoe", "de": "Schuh"}, default_locale="fr")
        assert caught.value.field == "default_locale"
        assert caught.value.value == "fr"
        assert "de, en" in caught.value.reason

    def test_a_default_locale_for_an_empty_text_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            LocalizedText({}, default_locale="en")
        assert caught.value.field == "default_locale"
        assert "none" in caught.value.reason


class TestLocalizedTextValueSemantics:
    def test_equality_ignores_the_order_and_spelling_of_keys(self):
        one = LocalizedText({"en": "Shoe", "pl-PL": "But"}, default_locale="en")
        other = LocalizedText({"pl_PL": "But", "en": "Shoe"}, default_locale="en")
        assert one == other
        assert hash(one) == hash(other)

    def test_the_default_locale_is_part_of_equality(self):
        assert LocalizedText({"en": "Shoe"}) != LocalizedText({"en": "Shoe"}, default_locale="en")

    def test_different_texts_are_not_equal(self):
        assert LocalizedText({"en": "Shoe"}) != LocalizedText({"en": "Boot"})

    def test_texts_work_as_set_members(self):
        assert len({SHOE, LocalizedText(dict(SHOE.values), default_locale="en")}) == 1

    def test_repr_evaluates_to_an_equal_text(self):
        assert repr(SHOE) == (
            "LocalizedText({'de': 'Schuh', 'en': 'Shoe', 'pl': 'But'}, default_locale='en')"
        )
        assert eval(repr(SHOE)) == SHOE  # noqa: S307 - the repr under test, built above

    def test_repr_omits_a_missing_default_locale(self):
        assert repr(LocalizedText({"en": "Shoe"})) == "LocalizedText({'en': 'Shoe'})"

    @pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
    def test_pickling_round_trips(self, protocol):
        assert pickle.loads(pickle.dumps(SHOE, protocol=protocol)) == SHOE  # noqa: S301

    def test_copies_are_equal(self):
        assert copy.copy(SHOE) == SHOE
        assert copy.deepcopy(SHOE) == SHOE

    def test_evolve_revalidates(self):
        assert attrs.evolve(SHOE, default_locale="de").default_locale == "de"
        with pytest.raises(InvalidValueError) as caught:
            attrs.evolve(SHOE, default_locale="fr")
        assert caught.value.field == "default_locale"
        assert caught.value.value == "fr"


class TestLocalizedTextLookup:
    def test_the_exact_locale_wins(self):
        assert SHOE.get("de") == "Schuh"

    def test_a_regional_locale_falls_back_to_its_language(self):
        assert SHOE.get("de-AT") == "Schuh"

    def test_an_unrelated_locale_falls_back_to_the_default(self):
        assert SHOE.get("fr_CA") == "Shoe"

    def test_exact_lookup_skips_the_chain(self):
        assert SHOE.get("de_AT", fallback=False) is None
        assert SHOE.get("de-de", fallback=False) is None
        assert SHOE.get("pl", fallback=False) == "But"

    def test_without_a_default_an_unknown_locale_finds_nothing(self):
        assert LocalizedText({"de": "Schuh"}).get("fr") is None

    def test_resolve_reports_the_locale_used(self):
        found = SHOE.resolve("de_CH")
        assert found == ResolvedText(requested="de_CH", locale="de", text="Schuh")
        assert found.is_fallback

    def test_resolve_of_an_exact_match_is_not_a_fallback(self):
        found = SHOE.resolve("pl")
        assert found == ResolvedText(requested="pl", locale="pl", text="But")
        assert not found.is_fallback

    def test_resolve_normalizes_the_requested_locale(self):
        assert SHOE.resolve("zh-TW").requested == "zh_Hant_TW"

    def test_resolve_returns_none_when_no_candidate_has_text(self):
        assert LocalizedText({"de": "Schuh"}).resolve("en_GB") is None

    def test_latin_american_spanish_is_preferred_over_spanish_for_mexico(self):
        text = LocalizedText({"es": "Ordenador", "es_419": "Computadora"})
        assert text.get("es_MX") == "Computadora"
        assert text.get("es_ES") == "Ordenador"

    def test_international_english_is_preferred_for_australia(self):
        text = LocalizedText({"en": "Color", "en_001": "Colour"})
        assert text.get("en_AU") == "Colour"
        assert text.get("en_US") == "Color"

    def test_traditional_chinese_does_not_get_simplified_text(self):
        text = LocalizedText({"zh": "运动鞋", "en": "Trainers"}, default_locale="en")
        assert text.get("zh_Hant_TW") == "Trainers"
        assert text.get("zh_Hans_CN") == "运动鞋"

    def test_candidates_end_with_the_default_locale(self):
        assert SHOE.candidates("fr_CA") == ("fr_CA", "fr", "en")

    def test_candidates_do_not_repeat_a_default_already_in_the_chain(self):
        assert SHOE.candidates("en_AU") == ("en_AU", "en_001", "en")

    def test_candidates_without_a_default_are_the_chain(self):
        assert LocalizedText({"de": "Schuh"}).candidates("de_AT") == ("de_AT", "de")

    def test_require_returns_the_text_found(self):
        assert SHOE.require("pl_PL") == "But"

    def test_require_raises_listing_every_locale_tried(self):
        text = LocalizedText({"de": "Schuh"})
        with pytest.raises(MissingTranslationError) as caught:
            text.require("fr-CA")
        assert caught.value.locale == "fr_CA"
        assert caught.value.tried == ("fr_CA", "fr")
        assert isinstance(caught.value, NotFoundError)
        assert "tried fr_CA, fr" in str(caught.value)

    @pytest.mark.parametrize("method", ["get", "resolve", "require", "candidates"])
    def test_lookups_refuse_a_bad_locale(self, method):
        with pytest.raises(InvalidLocaleError) as caught:
            getattr(SHOE, method)("xx-YY")
        assert caught.value.field == "locale"
        assert caught.value.value == "xx-YY"

    def test_exact_lookup_refuses_a_bad_locale(self):
        with pytest.raises(InvalidLocaleError) as caught:
            SHOE.get("xx", fallback=False)
        assert caught.value.value == "xx"


class TestLocalizedTextContainer:
    def test_len_counts_locales_with_text(self):
        assert len(SHOE) == 3

    def test_membership_is_exact_after_normalizing(self):
        assert "de" in SHOE
        assert "PL" in SHOE
        assert "de_AT" not in SHOE

    @pytest.mark.parametrize("locale", ["xx", "", 42, None])
    def test_membership_of_a_bad_locale_is_false(self, locale):
        assert locale not in SHOE


class TestLocalizedTextChanges:
    def test_with_text_adds_a_locale(self):
        changed = SHOE.with_text("fr-FR", "Chaussure")
        assert changed.get("fr_FR", fallback=False) == "Chaussure"
        assert changed.default_locale == "en"
        assert "fr_FR" not in SHOE

    def test_with_text_replaces_a_locale(self):
        assert SHOE.with_text("de", "Halbschuh").get("de") == "Halbschuh"
        assert SHOE.get("de") == "Schuh"

    def test_with_text_refuses_a_bad_locale(self):
        with pytest.raises(InvalidLocaleError) as caught:
            SHOE.with_text("xx", "?")
        assert caught.value.field == "locale"
        assert caught.value.value == "xx"

    def test_with_text_refuses_a_blank_text(self):
        with pytest.raises(InvalidValueError) as caught:
            SHOE.with_text("fr", " ")
        assert caught.value.field == "text"
        assert caught.value.value == " "

    def test_with_text_refuses_a_non_string(self):
        with pytest.raises(InvalidTypeError) as caught:
            SHOE.with_text("fr", None)
        assert caught.value.field == "text"
        assert caught.value.value is None

    def test_without_removes_a_locale(self):
        changed = SHOE.without("pl")
        assert changed.locales == ("de", "en")
        assert changed.default_locale == "en"
        assert SHOE.locales == ("de", "en", "pl")

    def test_without_a_locale_that_has_no_text_returns_the_same_text(self):
        assert SHOE.without("fr") is SHOE

    def test_without_refuses_to_remove_the_default_locale(self):
        with pytest.raises(InvalidValueError) as caught:
            SHOE.without("en")
        assert caught.value.field == "locale"
        assert caught.value.value == "en"
        assert "with_default_locale" in caught.value.reason

    def test_without_refuses_a_bad_locale(self):
        with pytest.raises(InvalidLocaleError) as caught:
            SHOE.without("xx")
        assert caught.value.value == "xx"

    def test_with_default_locale_changes_the_default(self):
        assert SHOE.with_default_locale("de").default_locale == "de"

    def test_with_default_locale_none_removes_the_default(self):
        assert SHOE.with_default_locale(None).get("fr") is None

    def test_the_default_can_be_removed_after_changing_the_default(self):
        changed = SHOE.with_default_locale("de").without("en")
        assert changed == LocalizedText({"de": "Schuh", "pl": "But"}, default_locale="de")

    def test_with_default_locale_refuses_a_locale_without_text(self):
        with pytest.raises(InvalidValueError) as caught:
            SHOE.with_default_locale("fr")
        assert caught.value.field == "default_locale"
        assert caught.value.value == "fr"
