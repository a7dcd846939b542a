"""Value keys and value mappings: resolution order, queries, copies, equality and bad keys."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecomkit.catalog import ResolvedValue, ValueKey, Values
from ecomkit.errors import InvalidLocaleError, InvalidTypeError, InvalidValueError
from ecomkit.serialization import from_json, to_json


def title_values():
    return Values(
        {
            ValueKey("title"): "Shoe",
            ValueKey("title", locale="de"): "Laufschuh",
            ValueKey("title", locale="en"): "Running shoe",
            ValueKey("title", "amazon"): "Shoe (Amazon)",
            ValueKey("title", "amazon", "en"): "Running shoe, men",
            ValueKey("weight"): Decimal("0.8"),
        }
    )


# ---------------------------------------------------------------- ValueKey


def test_a_value_key_defaults_to_all_channels_and_all_locales():
    key = ValueKey("title")
    assert (key.attribute, key.channel, key.locale) == ("title", None, None)
    assert str(key) == "title[*/*]"
    assert str(ValueKey("title", "web", "de")) == "title[web/de]"


def test_a_value_key_normalizes_its_locale():
    assert ValueKey("title", locale="pt-br").locale == "pt_BR"
    assert ValueKey("title", locale="en-GB") == ValueKey("title", locale="en_GB")
    assert hash(ValueKey("title", locale="en-GB")) == hash(ValueKey("title", locale="en_GB"))
    assert ValueKey("title", locale="en") != ValueKey("title", locale="en_US")


@pytest.mark.parametrize(
    ("arguments", "error", "field"),
    [
        (("has space",), InvalidValueError, "attribute"),
        ((3,), InvalidTypeError, "attribute"),
        (("title", "two words"), InvalidValueError, "channel"),
        (("title", 3), InvalidTypeError, "channel"),
        (("title", None, "not a locale"), InvalidLocaleError, "locale"),
        (("title", None, 3), InvalidLocaleError, "locale"),
    ],
)
def test_a_bad_value_key_is_refused_with_the_field_named(arguments, error, field):
    with pytest.raises(error) as caught:
        ValueKey(*arguments)
    assert caught.value.field == field


def test_the_sort_key_puts_all_before_any_code():
    keys = [
        ValueKey("title", "web", "en"),
        ValueKey("title", locale="de"),
        ValueKey("title"),
        ValueKey("brand"),
    ]
    assert sorted(keys, key=ValueKey.sort_key) == [
        ValueKey("brand"),
        ValueKey("title"),
        ValueKey("title", locale="de"),
        ValueKey("title", "web", "en"),
    ]


# ---------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    ("channel", "locale", "expected", "found_under"),
    [
        # The exact key.
        ("amazon", "en", "Running shoe, men", ValueKey("title", "amazon", "en")),
        # The locale's chain: en_GB -> en_001 -> en, still on the channel's own value.
        ("amazon", "en_GB", "Running shoe, men", ValueKey("title", "amazon", "en")),
        # No value for the channel in this locale: the all-channels value in the locale wins
        # over the channel's all-locales value (locale beats channel).
        ("amazon", "de_AT", "Laufschuh", ValueKey("title", locale="de")),
        # Nothing in the locale's chain: the channel's all-locales value.
        ("amazon", "fr", "Shoe (Amazon)", ValueKey("title", "amazon")),
        # Neither: the all-channels, all-locales value.
        ("web", "fr", "Shoe", ValueKey("title")),
        # A channel without values of its own falls back to all channels.
        ("web", "en_AU", "Running shoe", ValueKey("title", locale="en")),
        # No locale asked: only all-locales values count.
        ("amazon", None, "Shoe (Amazon)", ValueKey("title", "amazon")),
        (None, None, "Shoe", ValueKey("title")),
        # No channel asked: only all-channels values count.
        (None, "en", "Running shoe", ValueKey("title", locale="en")),
    ],
)
def test_resolution_tries_the_locale_chain_then_all_locales_and_channel_then_all(
    channel, locale, expected, found_under
):
    values = title_values()
    assert values.get_value("title", channel=channel, locale=locale) == expected
    assert values.resolve("title", channel=channel, locale=locale) == ResolvedValue(
        found_under, expected
    )


def test_resolution_finds_nothing_without_a_matching_default():
    values = Values({ValueKey("title", locale="de"): "Laufschuh"})
    assert values.resolve("title", channel="web", locale="fr") is None
    assert values.get_value("title", locale="en") is None
    assert values.get_value("title") is None
    assert values.get_value("color", locale="de") is None


def test_a_parent_locale_is_found_but_not_a_sibling_or_child():
    values = Values({ValueKey("title", locale="de_AT"): "Laufschuh"})
    assert values.get_value("title", locale="de_AT") == "Laufschuh"
    assert values.get_value("title", locale="de") is None
    assert values.get_value("title", locale="de_CH") is None


def test_a_non_localizable_value_is_found_for_every_locale_and_channel():
    values = title_values()
    assert values.get_value("weight", channel="amazon", locale="ja") == Decimal("0.8")


def test_resolution_refuses_a_bad_locale():
    with pytest.raises(InvalidLocaleError):
        title_values().resolve("title", locale="not a locale")


# ---------------------------------------------------------------- mapping and queries


def test_values_are_a_mapping_sorted_by_key():
    values = title_values()
    assert len(values) == 6
    assert values[ValueKey("title", locale="de")] == "Laufschuh"
    assert ValueKey("title", "amazon") in values
    assert ValueKey("title", "web") not in values
    assert list(values) == sorted(values, key=ValueKey.sort_key)
    assert values.get(ValueKey("color")) is None


def test_attributes_are_the_sorted_codes_with_a_value():
    assert title_values().attributes == ("title", "weight")
    assert Values().attributes == ()


def test_keys_of_lists_every_key_of_one_attribute():
    values = title_values()
    assert set(values.keys_of("title")) == {
        ValueKey("title"),
        ValueKey("title", locale="de"),
        ValueKey("title", locale="en"),
        ValueKey("title", "amazon"),
        ValueKey("title", "amazon", "en"),
    }
    assert values.keys_of("weight") == (ValueKey("weight"),)
    assert values.keys_of("color") == ()


def test_keys_of_follows_the_mapping_order():
    one = Values({ValueKey("title", "web"): "a", ValueKey("title"): "b"})
    other = Values({ValueKey("title"): "b", ValueKey("title", "web"): "a"})
    assert one == other
    assert one.keys_of("title") == other.keys_of("title")


def test_the_repr_shows_each_key_and_value():
    values = Values({ValueKey("title", "web", "en"): "Shoe"})
    assert repr(values) == "Values({title[web/en]: 'Shoe'})"


# ---------------------------------------------------------------- copies


def test_with_value_adds_or_replaces_and_leaves_the_original():
    values = title_values()
    heavier = values.with_value(ValueKey("weight"), Decimal("1.2"))
    assert heavier[ValueKey("weight")] == Decimal("1.2")
    assert values[ValueKey("weight")] == Decimal("0.8")
    added = values.with_value(ValueKey("color"), "navy")
    assert added.attributes == ("color", "title", "weight")
    assert len(added) == len(values) + 1


def test_without_removes_one_key_exactly():
    values = title_values()
    fewer = values.without(ValueKey("title", locale="de"))
    assert ValueKey("title", locale="de") not in fewer
    assert len(fewer) == len(values) - 1
    assert fewer.get_value("title", locale="de") == "Shoe"
    assert values.without(ValueKey("color")) is values


def test_merged_over_puts_own_values_on_top_of_the_base():
    group = Values({ValueKey("title"): "Tee", ValueKey("material"): "cotton"})
    variant = Values({ValueKey("title"): "Tee, navy", ValueKey("color"): "navy"})
    merged = variant.merged_over(group)
    assert dict(merged) == {
        ValueKey("title"): "Tee, navy",
        ValueKey("material"): "cotton",
        ValueKey("color"): "navy",
    }
    assert variant.merged_over(Values()) is variant
    assert Values().merged_over(group) == group


def test_merged_over_refuses_a_base_that_is_not_values():
    with pytest.raises(InvalidTypeError):
        Values({ValueKey("title"): "Tee"}).merged_over({ValueKey("color"): "navy"})


# ---------------------------------------------------------------- equality and bad input


def test_values_are_equal_and_hash_alike_whatever_the_order_given():
    values = title_values()
    reordered = Values(dict(reversed(list(values.items()))))
    assert reordered == values
    assert hash(reordered) == hash(values)
    assert {values: "seen"}[reordered] == "seen"
    assert values != Values({ValueKey("title"): "Shoe"})
    assert values != dict(values)  # a Values is not equal to a plain dict


def test_values_refuse_keys_that_are_not_value_keys():
    with pytest.raises(InvalidTypeError) as caught:
        Values({"title": "Shoe"})
    assert caught.value.field == "values"
    with pytest.raises(InvalidTypeError):
        Values({ValueKey("title"): "Shoe"}).with_value("title", "Boot")


@pytest.mark.parametrize("data", [[(ValueKey("title"), "Shoe")], "title", 3])
def test_values_refuse_what_is_not_a_mapping(data):
    with pytest.raises(InvalidTypeError) as caught:
        Values(data)
    assert caught.value.field == "values"


# ---------------------------------------------------------------- JSON


def test_values_round_trip_through_json():
    values = title_values()
    back = from_json(to_json(values), Values)
    assert back == values
    assert type(back[ValueKey("weight")]) is Decimal
