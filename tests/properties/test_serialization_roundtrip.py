"""Every public ecomkit value survives a trip through the converter and through JSON."""

from __future__ import annotations

import attrs
import pendulum
from hypothesis import given
from hypothesis import strategies as st

from ecomkit import Currency, Money, MoneyRange, TaxedMoney
from ecomkit.i18n import LocalizedText
from ecomkit.serialization import from_json, make_converter, to_json
from ecomkit.testing import strategies as ek


PUBLIC_VALUES = {
    Currency: ek.currencies(with_minor_units=False),
    Money: ek.money(extra_digits=3),
    TaxedMoney: ek.taxed_money(),
    MoneyRange: ek.money_ranges(),
    LocalizedText: ek.localized_texts(),
    pendulum.DateTime: ek.aware_datetimes(),
}


def same(value, back):
    """Compare as the wire format promises: datetimes by instant and offset (JSON keeps the
    offset, not the zone name, and PEP 495 makes a time in a DST fold unequal to any time in
    another zone)."""
    if isinstance(value, pendulum.DateTime):
        return back.timestamp() == value.timestamp() and back.utcoffset() == value.utcoffset()
    return back == value


@attrs.frozen
class Basket:
    prices: list[Money]
    taxed: TaxedMoney
    title: LocalizedText
    created_at: pendulum.DateTime


class TestRoundTrip:
    @given(
        st.sampled_from(sorted(PUBLIC_VALUES, key=lambda kind: kind.__name__)).flatmap(
            lambda kind: st.tuples(st.just(kind), PUBLIC_VALUES[kind])
        )
    )
    def test_every_public_value_round_trips_through_the_converter(self, case):
        kind, value = case
        converter = make_converter()
        assert same(value, converter.structure(converter.unstructure(value), kind))

    @given(
        st.sampled_from(sorted(PUBLIC_VALUES, key=lambda kind: kind.__name__)).flatmap(
            lambda kind: st.tuples(st.just(kind), PUBLIC_VALUES[kind])
        )
    )
    def test_every_public_value_round_trips_through_json(self, case):
        kind, value = case
        assert same(value, from_json(to_json(value), kind))

    @given(ek.money(extra_digits=4))
    def test_money_keeps_its_exact_digits(self, money):
        assert str(from_json(to_json(money), Money).amount) == str(money.amount)

    @given(ek.aware_datetimes())
    def test_datetimes_keep_their_instant_and_offset(self, moment):
        back = from_json(to_json(moment), pendulum.DateTime)
        assert back.timestamp() == moment.timestamp()
        assert back.utcoffset() == moment.utcoffset()
        assert back.isoformat() == moment.isoformat()

    @given(
        st.builds(
            Basket,
            prices=st.lists(ek.money(currency="EUR"), max_size=5),
            taxed=ek.taxed_money(currency="EUR"),
            title=ek.localized_texts(),
            created_at=ek.aware_datetimes(timezones=("UTC", "Asia/Kolkata")),
        )
    )
    def test_host_attrs_classes_holding_ecomkit_values_round_trip(self, basket):
        assert from_json(to_json(basket), Basket) == basket

    @given(st.from_type(Money), st.from_type(LocalizedText))
    def test_strategies_are_registered_for_from_type(self, money, text):
        assert isinstance(money, Money)
        assert isinstance(text, LocalizedText)
