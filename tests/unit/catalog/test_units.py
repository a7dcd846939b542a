"""Units and measurements: the unit table, exact conversion, rounding and comparison."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomkit.catalog import UNITS, Metric, Unit, UnitFamily, unit
from ecomkit.errors import (
    FloatNotAllowedError,
    InvalidAmountError,
    InvalidTypeError,
    InvalidValueError,
    UnknownCodeError,
)
from ecomkit.money import Rounding


# ---------------------------------------------------------------- the unit table


def test_every_family_has_a_standard_unit_of_factor_one():
    standards = {
        family: [code for code, item in UNITS.items() if item.family is family and item.factor == 1]
        for family in UnitFamily
    }
    assert standards == {
        UnitFamily.WEIGHT: ["g"],
        UnitFamily.LENGTH: ["m"],
        UnitFamily.VOLUME: ["l"],
        UnitFamily.AREA: ["sqm"],
        UnitFamily.COUNT: ["ct"],
    }


def test_every_unit_is_keyed_by_its_own_code_with_a_positive_decimal_factor():
    for code, item in UNITS.items():
        assert isinstance(item, Unit)
        assert item.code == code
        assert isinstance(item.factor, Decimal)
        assert item.factor > 0


def test_imperial_factors_are_the_legal_definitions():
    # 1 lb = 0.45359237 kg (1959); 1 oz = 1/16 lb; 1 in = 25.4 mm; 1 gal = 231 cubic inches.
    assert unit("lb").factor == Decimal("453.59237")
    assert unit("oz").factor * 16 == unit("lb").factor
    assert unit("in").factor == Decimal("0.0254")
    assert unit("ft").factor == 12 * unit("in").factor
    assert unit("yd").factor == 3 * unit("ft").factor
    cubic_inch_in_litres = Decimal("0.254") ** 3
    assert unit("gal").factor == 231 * cubic_inch_in_litres
    assert unit("gal").factor == 4 * unit("qt").factor == 8 * unit("pt").factor
    assert unit("gal").factor == 128 * unit("floz").factor
    assert unit("sqft").factor == unit("ft").factor ** 2
    assert unit("sqin").factor == unit("in").factor ** 2


def test_unit_returns_a_unit_given_as_is():
    kilogram = unit("kg")
    assert unit(kilogram) is kilogram
    assert kilogram.family is UnitFamily.WEIGHT


def test_an_unknown_unit_code_is_refused_with_the_known_ones():
    with pytest.raises(UnknownCodeError) as caught:
        unit("stone")
    assert (caught.value.kind, caught.value.code, caught.value.field) == ("unit", "stone", "unit")
    assert "kg" in caught.value.known


def test_unit_codes_are_case_sensitive():
    with pytest.raises(UnknownCodeError):
        unit("KG")


def test_a_unit_that_is_not_a_string_is_a_type_error():
    with pytest.raises(InvalidTypeError) as caught:
        unit(1000, field="default_unit")
    assert caught.value.field == "default_unit"


# ---------------------------------------------------------------- Metric


def test_a_metric_reads_amounts_as_decimals():
    weight = Metric("1.50", "kg")
    assert weight.amount == Decimal("1.50")
    assert weight.unit == "kg"
    assert weight.family is UnitFamily.WEIGHT
    assert str(weight) == "1.50 kg"
    assert Metric(3, "ct").amount == Decimal(3)


def test_a_float_amount_is_refused():
    with pytest.raises(FloatNotAllowedError) as caught:
        Metric(1.5, "kg")
    assert caught.value.field == "amount"


@pytest.mark.parametrize("amount", ["abc", "NaN", "Infinity", ""])
def test_an_amount_that_is_not_a_finite_number_is_refused(amount):
    with pytest.raises(InvalidAmountError):
        Metric(amount, "kg")


def test_a_metric_with_an_unknown_unit_is_refused():
    with pytest.raises(UnknownCodeError):
        Metric("1", "stone")
    with pytest.raises(InvalidTypeError):
        Metric("1", None)


def test_metrics_are_equal_by_amount_and_unit_not_by_quantity():
    assert Metric("1.0", "kg") == Metric("1", "kg")
    assert hash(Metric("1.0", "kg")) == hash(Metric("1", "kg"))
    assert Metric("1000", "g") != Metric("1", "kg")


def test_same_quantity_compares_across_units_of_one_family():
    assert Metric("1000", "ml").same_quantity(Metric("1", "l"))
    assert Metric("16", "oz").same_quantity(Metric("1", "lb"))
    assert not Metric("1", "l").same_quantity(Metric("1001", "ml"))
    assert not Metric("1", "m").same_quantity(Metric("1", "l"))  # another family
    assert not Metric("1", "g").same_quantity(Metric("1", "ct"))


def test_same_quantity_refuses_what_is_not_a_metric():
    with pytest.raises(InvalidTypeError) as caught:
        Metric("1", "kg").same_quantity("1 kg")
    assert caught.value.field == "other"


# ---------------------------------------------------------------- exact conversion


@pytest.mark.parametrize(
    ("amount", "source", "target", "expected"),
    [
        ("1", "lb", "kg", "0.45359237"),
        ("2", "lb", "g", "907.18474"),
        ("1", "kg", "lb", None),  # 1 / 0.45359237 has no finite decimal form
        ("1", "gal", "l", "3.785411784"),
        ("1", "floz", "ml", "29.5735295625"),
        ("128", "floz", "gal", "1"),
        ("1", "qt", "floz", "32"),
        ("12", "in", "ft", "1"),
        ("1", "in", "mm", "25.4"),
        ("1", "sqft", "sqin", "144"),
        ("1500", "g", "kg", "1.5"),
        ("0.5", "t", "kg", "500"),
        ("-3", "cm", "mm", "-30"),
        ("0", "lb", "kg", "0"),
    ],
)
def test_conversion_is_exact(amount, source, target, expected):
    if expected is None:
        with pytest.raises(InvalidValueError) as caught:
            Metric(amount, source).to(target)
        assert caught.value.field == "target"
        assert "places and rounding" in caught.value.reason
        return
    converted = Metric(amount, source).to(target)
    assert converted == Metric(expected, target)
    assert converted.same_quantity(Metric(amount, source))


def test_converting_to_the_same_unit_keeps_the_amount():
    assert Metric("2.25", "kg").to("kg") == Metric("2.25", "kg")


def test_a_whole_result_prints_without_an_exponent():
    assert str(Metric("100000", "g").to("kg")) == "100 kg"


def test_converting_to_another_family_is_refused():
    with pytest.raises(InvalidValueError) as caught:
        Metric("1", "kg").to("m")
    assert caught.value.field == "target"
    assert caught.value.value == "m"
    assert "weight" in caught.value.reason
    assert "length" in caught.value.reason


def test_converting_to_an_unknown_unit_names_the_target():
    with pytest.raises(UnknownCodeError) as caught:
        Metric("1", "kg").to("stone")
    assert caught.value.field == "target"
    with pytest.raises(InvalidTypeError):
        Metric("1", "kg").to(3)


# ---------------------------------------------------------------- rounding


def test_an_inexact_conversion_rounds_when_told_how():
    # 1 g = 0.035273961949580... oz
    gram = Metric("1", "g")
    assert gram.to("oz", places=4, rounding=Rounding.HALF_UP) == Metric("0.0353", "oz")
    assert gram.to("oz", places=4, rounding=Rounding.DOWN) == Metric("0.0352", "oz")
    assert gram.to("oz", places=2, rounding="ROUND_UP") == Metric("0.04", "oz")


def test_rounding_an_exact_result_pads_it_to_the_places():
    result = Metric("1", "lb").to("kg", places=3, rounding=Rounding.HALF_EVEN)
    assert result.amount == Decimal("0.454")
    assert Metric("1", "kg").to("kg", places=2, rounding=Rounding.HALF_UP).amount.as_tuple() == (
        Decimal("1.00").as_tuple()
    )


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [
        (Rounding.CEILING, "-0.03"),  # towards +infinity
        (Rounding.FLOOR, "-0.04"),  # towards -infinity
        (Rounding.UP, "-0.04"),  # away from zero
        (Rounding.DOWN, "-0.03"),  # towards zero
        (Rounding.HALF_UP, "-0.04"),
    ],
)
def test_negative_amounts_round_in_the_right_direction(rounding, expected):
    # -1 g = -0.03527... oz
    assert Metric("-1", "g").to("oz", places=2, rounding=rounding) == Metric(expected, "oz")


@pytest.mark.parametrize(
    ("millimetres", "rounding", "expected"),
    [
        ("5", Rounding.HALF_UP, "1"),
        ("5", Rounding.HALF_DOWN, "0"),
        ("5", Rounding.HALF_EVEN, "0"),
        ("15", Rounding.HALF_EVEN, "2"),
        ("25", Rounding.HALF_EVEN, "2"),
        ("-5", Rounding.HALF_UP, "-1"),
        ("-5", Rounding.HALF_DOWN, "0"),
        ("-15", Rounding.HALF_EVEN, "-2"),
        ("-5", Rounding.CEILING, "0"),
        ("-5", Rounding.FLOOR, "-1"),
        ("5", Rounding.CEILING, "1"),
        ("5", Rounding.FLOOR, "0"),
    ],
)
def test_exact_halves_follow_the_rounding_mode(millimetres, rounding, expected):
    assert Metric(millimetres, "mm").to("cm", places=0, rounding=rounding) == Metric(expected, "cm")


def test_a_hair_above_half_is_not_rounded_as_a_half():
    # 5.0000001 mm is 0.50000001 cm: more than half, so even HALF_DOWN rounds it up.
    assert Metric("5.0000001", "mm").to("cm", places=0, rounding=Rounding.HALF_DOWN) == Metric(
        "1", "cm"
    )
    assert Metric("-5.0000001", "mm").to("cm", places=0, rounding=Rounding.HALF_DOWN) == Metric(
        "-1", "cm"
    )


def test_a_negative_amount_that_rounds_to_zero_is_plain_zero():
    result = Metric("-0.4", "cm").to("cm", places=0, rounding=Rounding.HALF_UP)
    assert result.amount == 0
    assert not result.amount.is_signed()


def test_places_and_rounding_go_together():
    for kwargs in ({"places": 2}, {"rounding": Rounding.HALF_UP}):
        with pytest.raises(InvalidValueError) as caught:
            Metric("1", "g").to("oz", **kwargs)
        assert caught.value.field == "places"


@pytest.mark.parametrize("places", [-1, 19])
def test_places_out_of_range_are_refused(places):
    with pytest.raises(InvalidValueError) as caught:
        Metric("1", "g").to("oz", places=places, rounding=Rounding.HALF_UP)
    assert caught.value.field == "places"


def test_places_and_rounding_of_the_wrong_kind_are_refused():
    with pytest.raises(InvalidTypeError):
        Metric("1", "g").to("oz", places="2", rounding=Rounding.HALF_UP)
    with pytest.raises(InvalidTypeError):
        Metric("1", "g").to("oz", places=True, rounding=Rounding.HALF_UP)
    with pytest.raises(InvalidValueError) as caught:
        Metric("1", "g").to("oz", places=2, rounding="sideways")
    assert caught.value.field == "rounding"


def test_rounding_a_large_amount_raises_a_typed_error_or_succeeds():
    with contextlib.suppress(InvalidValueError):
        Metric("1E+30", "g").to("oz", places=2, rounding=Rounding.HALF_UP)


# ---------------------------------------------------------------- laws

_FAMILY_UNITS = {
    family: sorted(code for code, item in UNITS.items() if item.family is family)
    for family in UnitFamily
}
_SAME_FAMILY_PAIRS = st.sampled_from(list(UnitFamily)).flatmap(
    lambda family: st.tuples(
        st.sampled_from(_FAMILY_UNITS[family]), st.sampled_from(_FAMILY_UNITS[family])
    )
)
_AMOUNTS = st.decimals(
    min_value=Decimal(-1_000_000), max_value=Decimal(1_000_000), places=4, allow_nan=False
)


@settings(max_examples=200)
@given(_AMOUNTS, _SAME_FAMILY_PAIRS)
def test_converting_there_and_back_returns_the_same_quantity(amount, pair):
    source, target = pair
    original = Metric(amount, source)
    exact = Fraction(amount) * Fraction(unit(source).factor) / Fraction(unit(target).factor)
    try:
        there = original.to(target)
    except InvalidValueError:
        # Refused only when the result really has no finite decimal form.
        denominator = exact.denominator
        for prime in (2, 5):
            while denominator % prime == 0:
                denominator //= prime
        assert denominator != 1
        return
    assert Fraction(there.amount) == exact
    back = there.to(source)
    assert back == original
    assert back.same_quantity(there)


@settings(max_examples=100)
@given(_AMOUNTS, _SAME_FAMILY_PAIRS, st.integers(min_value=0, max_value=6))
def test_a_rounded_conversion_is_within_one_step_of_the_exact_value(amount, pair, places):
    source, target = pair
    exact = Fraction(amount) * Fraction(unit(source).factor) / Fraction(unit(target).factor)
    step = Fraction(1, 10**places)
    down = Metric(amount, source).to(target, places=places, rounding=Rounding.FLOOR).amount
    up = Metric(amount, source).to(target, places=places, rounding=Rounding.CEILING).amount
    assert Fraction(down) <= exact <= Fraction(up)
    assert Fraction(up) - Fraction(down) in {0, step}
    assert -down.as_tuple().exponent == places or down == 0
