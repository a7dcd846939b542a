"""Every public ecomkit value survives a trip through the converter and through JSON."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pendulum
from hypothesis import given
from hypothesis import strategies as st

from ecomkit import AllocationStrategy, Currency, Money, MoneyRange, Rounding, TaxedMoney
from ecomkit.i18n import LocalizedText
from ecomkit.orders import (
    Address,
    DiscountSpec,
    LineSpec,
    Order,
    OrderEvent,
    OrderSpec,
    ShippingSpec,
    replay,
)
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


# ---------------------------------------------------------------------------- orders

_TEXT = st.text(max_size=12)
_NAMES = st.text(min_size=1, max_size=12).filter(str.strip)
_RATES = st.sampled_from(["0", "0.05", "0.08", "0.2", "0.23", "0.0725"]).map(Decimal)


@st.composite
def _line_specs(draw, currency: str, line_id: str) -> LineSpec:
    return LineSpec(
        line_id=line_id,
        sku=draw(_NAMES),
        quantity=draw(st.integers(1, 5)),
        unit_price=Money.from_minor_units(draw(st.integers(0, 10**6)), currency),
        tax_rate=draw(_RATES),
        name=draw(_TEXT),
    )


@st.composite
def order_specs(draw) -> OrderSpec:
    """Valid order specs; discounts never take more than what they apply to."""
    currency = draw(st.sampled_from(["EUR", "PLN", "JPY", "KWD"]))
    lines = [draw(_line_specs(currency, f"l{n}")) for n in range(1, draw(st.integers(1, 3)) + 1)]
    discounts = []
    for line in lines:
        subtotal = line.unit_price.to_minor_units() * line.quantity  # whole minor units: exact
        if subtotal and draw(st.booleans()):
            off = Money.from_minor_units(draw(st.integers(1, subtotal)), currency)
            discounts.append(
                DiscountSpec(code=f"L-{line.line_id}", amount=off, line_id=line.line_id)
            )
    if draw(st.booleans()):  # a rate of at most 1 never takes more than what is left
        rate = draw(st.sampled_from(["0.05", "0.1", "0.333", "1"]).map(Decimal))
        discounts.append(DiscountSpec(code="ORDER", rate=rate))
    shipping = [
        ShippingSpec(
            shipping_id=f"s{n}",
            method=draw(_NAMES),
            price=Money.from_minor_units(draw(st.integers(0, 5000)), currency),
            tax_rate=draw(_RATES),
        )
        for n in range(draw(st.integers(0, 2)))
    ]
    address = st.builds(
        Address,
        name=_NAMES,
        line1=_NAMES,
        city=_NAMES,
        postal_code=_TEXT,
        country_code=st.sampled_from(["PL", "DE", "US"]),
        line2=_TEXT,
        region=_TEXT,
        phone=_TEXT,
    )
    return OrderSpec(
        order_id=draw(_NAMES),
        channel=draw(st.sampled_from(["web", "pos", "marketplace"])),
        currency=currency,
        timezone=draw(st.sampled_from(["UTC", "Europe/Warsaw", "America/New_York"])),
        lines=lines,
        customer_id=draw(st.none() | _NAMES),
        shipping=shipping,
        discounts=discounts,
        billing_address=draw(st.none() | address),
        shipping_address=draw(st.none() | address),
        prices_include_tax=draw(st.booleans()),
        rounding=draw(st.sampled_from(Rounding)),
        discount_allocation=draw(st.sampled_from(AllocationStrategy)),
        # Zones without DST: a time in a fold is unequal to the same instant elsewhere.
        estimated_delivery_at=draw(
            st.none() | ek.aware_datetimes(timezones=("UTC", "Asia/Kolkata"))
        ),
    )


class TestOrdersRoundTrip:
    @given(order_specs())
    def test_an_order_spec_round_trips_and_prices_the_same(self, spec):
        back = from_json(to_json(spec), OrderSpec)
        assert back == spec
        assert back.priced() == spec.priced()

    @given(ek.orders(max_steps=8))
    def test_an_order_and_its_event_log_round_trip(self, order):
        assert from_json(to_json(order), Order) == order
        assert replay(from_json(to_json(order.events), list[OrderEvent])) == order
