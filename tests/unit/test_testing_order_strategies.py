"""The order strategies in ecomkit.testing.strategies give valid specs and real orders."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from ecomkit import Currency, Money
from ecomkit.orders import (
    DiscountSpec,
    LineSpec,
    Order,
    OrderPlaced,
    OrderSpec,
    OrderStatus,
    replay,
)
from ecomkit.testing import strategies as ek


TAX_RATES = {Decimal(rate) for rate in ("0", "0.05", "0.07", "0.08", "0.1", "0.19", "0.2", "0.23")}

#: For the searches that show a kind of value is drawn at all: a fixed budget whatever the
#: profile, no saved examples, no shrinking of what was found, and no health check about
#: how many draws the search needed.
searching = settings(
    max_examples=2000,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
    deadline=None,
)


def in_whole_minor_units(money: Money) -> bool:
    return money.amount.as_tuple().exponent == -(money.currency.minor_units or 0)


class TestLineSpecs:
    @given(ek.line_specs(currency="KWD", line_id="l7"))
    def test_a_line_orders_one_to_five_units_at_a_price_in_whole_minor_units(self, line):
        assert isinstance(line, LineSpec)
        assert line.line_id == "l7"
        assert 1 <= line.quantity <= 5
        assert line.unit_price.currency is Currency("KWD")
        assert not line.unit_price.is_negative()
        assert in_whole_minor_units(line.unit_price)
        assert line.tax_rate in TAX_RATES

    @given(ek.line_specs())
    def test_without_a_currency_any_currency_with_minor_units_is_used(self, line):
        assert line.unit_price.currency.minor_units is not None
        assert line.line_id.startswith("line-")


class TestOrderSpecs:
    @given(ek.order_specs(currency="EUR", order_id="o-1"))
    def test_a_spec_has_one_to_four_uniquely_named_lines_in_its_currency(self, spec):
        assert isinstance(spec, OrderSpec)
        assert spec.order_id == "o-1"
        assert spec.currency is Currency("EUR")
        assert 1 <= len(spec.lines) <= 4
        assert len({line.line_id for line in spec.lines}) == len(spec.lines)
        assert all(line.unit_price.currency is spec.currency for line in spec.lines)
        assert all(in_whole_minor_units(item.price) for item in spec.shipping)

    @given(ek.order_specs())
    def test_no_discount_takes_more_than_what_it_applies_to(self, spec):
        priced = spec.priced()
        for line in priced.lines:
            assert not line.amount.is_negative()
            assert line.discount <= line.subtotal
        assert not priced.total.net.is_negative()
        assert not priced.total.gross.is_negative()
        line_ids = {line.line_id for line in spec.lines}
        assert all(d.line_id is None or d.line_id in line_ids for d in spec.discounts)

    @given(ek.order_specs())
    def test_the_spec_survives_being_built_again_from_its_fields(self, spec):
        # Building a spec checks and prices it; doing it again from the same fields must
        # give an equal spec, so nothing the strategy drew is only valid by accident.
        again = OrderSpec(
            order_id=spec.order_id,
            channel=spec.channel,
            currency=spec.currency,
            timezone=spec.timezone,
            lines=spec.lines,
            customer_id=spec.customer_id,
            shipping=spec.shipping,
            discounts=spec.discounts,
            billing_address=spec.billing_address,
            shipping_address=spec.shipping_address,
            prices_include_tax=spec.prices_include_tax,
            rounding=spec.rounding,
            discount_allocation=spec.discount_allocation,
        )
        assert again == spec
        assert again.priced() == spec.priced()

    @given(ek.order_specs(max_lines=1))
    def test_max_lines_caps_the_number_of_lines(self, spec):
        assert len(spec.lines) == 1

    def test_the_documented_variety_is_drawn(self):
        # Each kind of spec the documentation promises turns up in a short search.
        specs = ek.order_specs(currency="PLN")

        def order_discount(spec: OrderSpec) -> DiscountSpec | None:
            return next((d for d in spec.discounts if d.line_id is None), None)

        found = find(specs, lambda spec: order_discount(spec) is not None, settings=searching)
        assert order_discount(found) is not None
        assert find(specs, lambda spec: spec.prices_include_tax, settings=searching)
        assert find(specs, lambda spec: len(spec.shipping) == 2, settings=searching)
        assert find(specs, lambda spec: len(spec.lines) == 4, settings=searching)
        assert find(
            specs, lambda spec: any(d.rate is not None for d in spec.discounts), settings=searching
        )


class TestOrders:
    @given(ek.orders())
    def test_an_order_is_what_its_events_replay_to(self, order):
        assert isinstance(order, Order)
        assert isinstance(order.events[0], OrderPlaced)
        assert order.version == len(order.events)
        assert replay(order.events) == order

    @given(ek.orders(max_steps=0))
    def test_no_steps_gives_a_just_placed_order(self, order):
        assert order.status is OrderStatus.PLACED
        assert order.version == 1

    @given(st.data())
    def test_orders_are_placed_from_the_given_specs(self, data):
        spec = data.draw(ek.order_specs(currency="JPY", order_id="o-42"))
        order = data.draw(ek.orders(specs=st.just(spec), max_steps=3))
        assert order.spec == spec
        assert len(order.events) <= 4

    def test_orders_get_past_payment_and_shipping(self):
        completed = find(
            ek.orders(), lambda order: order.status is OrderStatus.COMPLETED, settings=searching
        )
        assert completed.status is OrderStatus.COMPLETED
        assert replay(completed.events) == completed


class TestFromType:
    @given(st.from_type(OrderSpec))
    def test_order_specs_are_registered(self, spec):
        assert isinstance(spec, OrderSpec)

    @given(st.from_type(Order))
    def test_orders_are_registered(self, order):
        assert isinstance(order, Order)
        assert replay(order.events) == order

    @given(st.from_type(LineSpec))
    def test_line_specs_are_registered(self, line):
        assert isinstance(line, LineSpec)
