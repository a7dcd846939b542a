"""Laws of allocation and splitting, for every strategy, in currencies with 0-4 digits."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomkit.money import AllocationStrategy, Currency, Money, allocate, split, sum_money


# JPY has 0 minor units, EUR 2, KWD 3 and CLF 4.
CURRENCIES = [Currency("JPY"), Currency("EUR"), Currency("KWD"), Currency("CLF")]
STRATEGIES = list(AllocationStrategy)

currencies = st.sampled_from(CURRENCIES)
strategies = st.sampled_from(STRATEGIES)
units = st.integers(min_value=-(10**12), max_value=10**12)
moneys = st.builds(Money.from_minor_units, units, currencies)

# Zero ratios are drawn often on purpose: they are where naive allocations go wrong.
int_ratios = st.lists(
    st.just(0) | st.integers(min_value=0, max_value=1000), min_size=1, max_size=8
).filter(any)
decimal_ratios = st.lists(
    st.just(Decimal(0))
    | st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=8,
).filter(any)
ratio_lists = st.one_of(int_ratios, decimal_ratios)


def counts(parts):
    return [part.to_minor_units() for part in parts]


def exact_shares(money, ratios):
    """Each part's exact share of *money*, in minor units, as a fraction."""
    total = money.to_minor_units()
    weights = [Fraction(ratio) for ratio in ratios]
    return [total * weight / sum(weights) for weight in weights]


class TestAllocationLaws:
    @given(moneys, ratio_lists, strategies)
    def test_the_parts_add_up_to_the_total_exactly(self, money, ratios, strategy):
        parts = allocate(money, ratios, strategy=strategy)
        assert sum_money(parts, currency=money.currency) == money
        assert sum(counts(parts)) == money.to_minor_units()

    @given(moneys, ratio_lists, strategies)
    def test_there_is_one_part_per_ratio_in_whole_minor_units(self, money, ratios, strategy):
        parts = allocate(money, ratios, strategy=strategy)
        assert len(parts) == len(ratios)
        for part in parts:
            assert part.currency is money.currency
            assert part.amount.as_tuple().exponent == -money.currency.minor_units

    @given(moneys, ratio_lists, strategies)
    def test_every_part_has_the_sign_of_the_total_or_is_zero(self, money, ratios, strategy):
        for part in allocate(money, ratios, strategy=strategy):
            assert part.is_zero() or part.is_negative() == money.is_negative()
            assert not part.amount.is_signed() or part.is_negative()

    @pytest.mark.parametrize("strategy", STRATEGIES)
    @given(money=moneys, ratios=ratio_lists)
    def test_a_zero_ratio_always_gets_zero(self, strategy, money, ratios):
        parts = allocate(money, ratios, strategy=strategy)
        for ratio, part in zip(ratios, parts, strict=True):
            if ratio == 0:
                assert part.is_zero()

    @pytest.mark.parametrize("strategy", STRATEGIES)
    @given(money=moneys, ratios=ratio_lists)
    def test_each_part_is_its_exact_share_rounded_down_or_up_by_one_unit(
        self, strategy, money, ratios
    ):
        parts = allocate(money, ratios, strategy=strategy)
        for part, share in zip(counts(parts), exact_shares(money, ratios), strict=True):
            assert math.floor(abs(share)) <= abs(part) <= math.floor(abs(share)) + 1
            assert abs(part - share) <= 1

    @given(moneys, ratio_lists)
    def test_largest_remainder_parts_are_within_one_unit_of_their_exact_share(self, money, ratios):
        parts = allocate(money, ratios, strategy=AllocationStrategy.LARGEST_REMAINDER)
        for part, share in zip(counts(parts), exact_shares(money, ratios), strict=True):
            assert abs(part - share) < 1
            assert part in {math.floor(share), math.ceil(share)}

    @given(moneys, int_ratios, strategies, st.integers(min_value=1, max_value=10**6))
    def test_scaling_every_ratio_changes_nothing(self, money, ratios, strategy, scale):
        expected = allocate(money, ratios, strategy=strategy)
        assert allocate(money, [ratio * scale for ratio in ratios], strategy=strategy) == expected
        as_fractions = [Decimal(ratio) / 1000 for ratio in ratios]
        assert allocate(money, as_fractions, strategy=strategy) == expected

    @given(moneys)
    def test_ratios_one_to_two_give_the_same_parts_as_ten_to_twenty(self, money):
        assert allocate(money, [1, 2]) == allocate(money, [10, 20])

    @given(moneys, ratio_lists, strategies)
    def test_negating_the_total_negates_every_part(self, money, ratios, strategy):
        positive = allocate(money, ratios, strategy=strategy)
        negative = allocate(-money, ratios, strategy=strategy)
        assert negative == tuple(-part for part in positive)

    @pytest.mark.parametrize(
        "strategy", [AllocationStrategy.LARGEST_REMAINDER, AllocationStrategy.LARGEST_RATIO]
    )
    @given(money=moneys, ratios=ratio_lists)
    def test_a_larger_ratio_never_gets_a_smaller_part(self, strategy, money, ratios):
        parts = [abs(count) for count in counts(allocate(money, ratios, strategy=strategy))]
        for i, j in itertools.combinations(range(len(ratios)), 2):
            if ratios[i] > ratios[j]:
                assert parts[i] >= parts[j]
            elif ratios[i] < ratios[j]:
                assert parts[i] <= parts[j]

    @given(moneys, ratio_lists, strategies, st.integers(min_value=0, max_value=7))
    def test_a_single_nonzero_ratio_takes_everything(self, money, ratios, strategy, where):
        index = where % len(ratios)
        lone = [0] * len(ratios)
        lone[index] = ratios[index] or 1
        parts = allocate(money, lone, strategy=strategy)
        assert parts[index] == money
        assert all(part.is_zero() for i, part in enumerate(parts) if i != index)


class TestSplitLaws:
    @given(moneys, st.integers(min_value=1, max_value=50), strategies)
    def test_parts_add_up_and_differ_by_at_most_one_unit(self, money, parts, strategy):
        shares = split(money, parts, strategy=strategy)
        amounts = counts(shares)
        assert len(shares) == parts
        assert sum(amounts) == money.to_minor_units()
        assert max(amounts) - min(amounts) <= 1

    @given(moneys, st.integers(min_value=1, max_value=50))
    def test_by_default_the_first_parts_take_the_leftovers(self, money, parts):
        amounts = [abs(count) for count in counts(split(money, parts))]
        assert amounts == sorted(amounts, reverse=True)

    @given(moneys, st.integers(min_value=1, max_value=50))
    def test_with_last_the_last_parts_take_the_leftovers(self, money, parts):
        amounts = [abs(count) for count in counts(split(money, parts, strategy="last"))]
        assert amounts == sorted(amounts)

    @given(moneys, st.integers(min_value=1, max_value=50))
    def test_split_is_allocation_with_equal_ratios(self, money, parts):
        assert split(money, parts) == allocate(
            money, [7] * parts, strategy=AllocationStrategy.FIRST
        )
