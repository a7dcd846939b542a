"""Order specs: validation of every part, and exact pricing of lines, discounts and shipping."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomkit.errors import (
    CurrencyMismatchError,
    FloatNotAllowedError,
    InvalidRateError,
    InvalidTimezoneError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
    UnknownCurrencyError,
)
from ecomkit.money import AllocationStrategy, Money, Rounding, TaxedMoney
from ecomkit.orders import Address, DiscountSpec, LineSpec, OrderSpec, ShippingSpec


def eur(amount):
    return Money(amount, "EUR")


def taxed(net, gross):
    return TaxedMoney(eur(net), eur(gross))


def line(line_id="l1", quantity=2, price="10.00", **extra):
    return LineSpec(
        line_id=line_id, sku=f"SKU-{line_id}", quantity=quantity, unit_price=eur(price), **extra
    )


def spec(**overrides):
    arguments = {
        "order_id": "o-1",
        "channel": "web",
        "currency": "EUR",
        "timezone": "Europe/Berlin",
        "lines": [line()],
    }
    arguments.update(overrides)
    return OrderSpec(**arguments)


def address(**overrides):
    arguments = {
        "name": "Anna Nowak",
        "line1": "Marszalkowska 1",
        "city": "Warszawa",
        "postal_code": "00-001",
        "country_code": "PL",
    }
    arguments.update(overrides)
    return Address(**arguments)


def priced_lines(order_spec):
    return {item.line_id: item for item in order_spec.priced().lines}


# ------------------------------------------------------------------ addresses


def test_an_address_keeps_its_parts_and_defaults_the_optional_ones_to_empty():
    home = address(region="mazowieckie")
    assert (home.country_code, home.region, home.line2, home.phone) == ("PL", "mazowieckie", "", "")


@pytest.mark.parametrize("code", ["pl", "POL", "P", "", "P1", 48, None])
def test_an_address_refuses_a_country_code_that_is_not_two_capital_letters(code):
    with pytest.raises(InvalidValueError) as caught:
        address(country_code=code)
    assert caught.value.field == "country_code"
    assert caught.value.value == code


@pytest.mark.parametrize("field", ["name", "line1", "city"])
def test_an_address_refuses_blank_required_text(field):
    with pytest.raises(InvalidValueError) as caught:
        address(**{field: "  "})
    assert caught.value.field == field
    assert caught.value.value == "  "


def test_an_address_refuses_a_name_that_is_not_valid_unicode():
    with pytest.raises(InvalidValueError) as caught:
        address(name="Kowalsk\udcc4")
    assert caught.value.field == "name"
    assert "lone surrogate" in caught.value.reason
    assert address(name="Łucja Kowalska").name == "Łucja Kowalska"


@pytest.mark.parametrize("field", ["postal_code", "line2", "region", "phone"])
def test_an_address_refuses_text_fields_that_are_not_strings(field):
    with pytest.raises(InvalidTypeError) as caught:
        address(**{field: 1234})
    assert caught.value.field == field
    assert caught.value.value == 1234


# ------------------------------------------------------------------ lines and shipping


def test_a_float_quantity_is_refused_as_a_type_error():
    with pytest.raises(InvalidTypeError) as caught:
        line(quantity=2.0)
    assert (caught.value.field, caught.value.value) == ("quantity", 2.0)


@pytest.mark.parametrize("quantity", [True, "2", Decimal(2)])
def test_a_quantity_that_is_not_an_int_is_refused(quantity):
    with pytest.raises(InvalidTypeError) as caught:
        line(quantity=quantity)
    assert caught.value.field == "quantity"


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_quantity_below_one_is_refused(quantity):
    with pytest.raises(InvalidValueError) as caught:
        line(quantity=quantity)
    assert (caught.value.field, caught.value.value) == ("quantity", quantity)
    assert caught.value.reason == "must be at least 1"


def test_a_negative_unit_price_is_refused():
    with pytest.raises(InvalidValueError) as caught:
        line(price="-0.01")
    assert (caught.value.field, caught.value.value) == ("unit_price", eur("-0.01"))
    assert caught.value.reason == "must not be negative"


def test_a_free_line_is_allowed():
    assert line(price="0").unit_price.is_zero()


def test_a_unit_price_that_is_not_money_is_refused():
    with pytest.raises(InvalidTypeError) as caught:
        LineSpec(line_id="l1", sku="A", quantity=1, unit_price="10.00")
    assert (caught.value.field, caught.value.value) == ("unit_price", "10.00")


def test_a_float_tax_rate_is_refused():
    with pytest.raises(FloatNotAllowedError) as caught:
        line(tax_rate=0.19)
    assert (caught.value.field, caught.value.value) == ("tax_rate", 0.19)


@pytest.mark.parametrize("rate", ["-0.19", "nineteen", "NaN"])
def test_a_negative_or_unreadable_tax_rate_is_refused(rate):
    with pytest.raises(InvalidRateError) as caught:
        line(tax_rate=rate)
    assert (caught.value.field, caught.value.value) == ("tax_rate", rate)


def test_a_tax_rate_given_as_text_or_int_becomes_a_decimal():
    assert line(tax_rate="0.19").tax_rate == Decimal("0.19")
    assert line(tax_rate=0).tax_rate == Decimal(0)


@pytest.mark.parametrize("field", ["line_id", "sku"])
def test_a_line_needs_its_id_and_sku(field):
    with pytest.raises(InvalidValueError) as caught:
        LineSpec(**{"line_id": "l1", "sku": "A", field: ""}, quantity=1, unit_price=eur(1))
    assert (caught.value.field, caught.value.value) == (field, "")


def test_shipping_refuses_a_negative_price_and_a_bad_tax_rate():
    with pytest.raises(InvalidValueError) as caught:
        ShippingSpec(shipping_id="s", method="courier", price=eur("-5"))
    assert (caught.value.field, caught.value.value) == ("price", eur("-5"))
    with pytest.raises(InvalidRateError) as caught_rate:
        ShippingSpec(shipping_id="s", method="courier", price=eur("5"), tax_rate="-1")
    assert caught_rate.value.field == "tax_rate"


# ------------------------------------------------------------------ discounts


def test_a_discount_needs_an_amount_or_a_rate():
    with pytest.raises(InvalidValueError) as caught:
        DiscountSpec(code="NONE")
    assert caught.value.field == "rate"
    assert caught.value.reason == "give exactly one of amount and rate"


def test_a_discount_refuses_both_an_amount_and_a_rate():
    with pytest.raises(InvalidValueError) as caught:
        DiscountSpec(code="BOTH", amount=eur("5"), rate=Decimal("0.1"))
    assert (caught.value.field, caught.value.value) == ("rate", Decimal("0.1"))
    assert caught.value.reason == "give exactly one of amount and rate"


@pytest.mark.parametrize("rate", [Decimal(0), Decimal("1.01"), Decimal("-0.1"), "0.1"])
def test_a_discount_rate_must_be_a_decimal_fraction_above_zero_and_at_most_one(rate):
    with pytest.raises(InvalidValueError) as caught:
        DiscountSpec(code="R", rate=rate)
    assert (caught.value.field, caught.value.value) == ("rate", rate)


def test_a_float_discount_rate_is_refused():
    with pytest.raises(FloatNotAllowedError) as caught:
        DiscountSpec(code="R", rate=0.1)
    assert caught.value.field == "rate"


@pytest.mark.parametrize("amount", ["0", "-1.00"])
def test_a_discount_amount_must_be_positive(amount):
    with pytest.raises(InvalidValueError) as caught:
        DiscountSpec(code="A", amount=eur(amount))
    assert (caught.value.field, caught.value.value) == ("amount", eur(amount))


def test_a_discount_code_must_not_be_blank():
    with pytest.raises(InvalidValueError) as caught:
        DiscountSpec(code=" ", amount=eur(1))
    assert caught.value.field == "code"


# ------------------------------------------------------------------ the order spec


def test_an_order_needs_at_least_one_line():
    with pytest.raises(InvalidValueError) as caught:
        spec(lines=[])
    assert (caught.value.field, caught.value.value) == ("lines", ())


def test_items_of_the_wrong_kind_are_refused_with_their_position():
    with pytest.raises(InvalidTypeError) as caught:
        spec(lines=[line(), "l2"])
    assert (caught.value.field, caught.value.value) == ("lines[1]", "l2")
    with pytest.raises(InvalidTypeError) as caught:
        spec(shipping=[line()])
    assert caught.value.field == "shipping[0]"
    with pytest.raises(InvalidTypeError) as caught:
        spec(discounts=[{"code": "X"}])
    assert caught.value.field == "discounts[0]"


def test_addresses_must_be_addresses():
    with pytest.raises(InvalidTypeError) as caught:
        spec(shipping_address="Marszalkowska 1")
    assert (caught.value.field, caught.value.value) == ("shipping_address", "Marszalkowska 1")
    with pytest.raises(InvalidTypeError) as caught:
        spec(billing_address={"city": "Warszawa"})
    assert caught.value.field == "billing_address"


def test_prices_include_tax_must_be_a_bool():
    with pytest.raises(InvalidTypeError) as caught:
        spec(prices_include_tax="yes")
    assert (caught.value.field, caught.value.value) == ("prices_include_tax", "yes")


def test_two_lines_with_one_id_are_refused():
    with pytest.raises(InvalidValueError) as caught:
        spec(lines=[line("l1"), line("l2"), line("l1")])
    assert (caught.value.field, caught.value.value) == ("lines[2].line_id", "l1")


def test_two_shipping_lines_with_one_id_are_refused():
    courier = ShippingSpec(shipping_id="s1", method="courier", price=eur("5"))
    with pytest.raises(InvalidValueError) as caught:
        spec(shipping=[courier, courier])
    assert (caught.value.field, caught.value.value) == ("shipping[1].shipping_id", "s1")


@pytest.mark.parametrize(
    ("overrides", "operation"),
    [
        (
            {
                "lines": [
                    line(),
                    LineSpec(line_id="l2", sku="B", quantity=1, unit_price=Money("1", "USD")),
                ]
            },
            "use lines[1].unit_price in",
        ),
        (
            {"shipping": [ShippingSpec(shipping_id="s1", method="post", price=Money("5", "USD"))]},
            "use shipping[0].price in",
        ),
        (
            {"discounts": [DiscountSpec(code="X", amount=Money("1", "USD"))]},
            "use discounts[0].amount in",
        ),
    ],
)
def test_an_amount_in_another_currency_is_refused(overrides, operation):
    with pytest.raises(CurrencyMismatchError) as caught:
        spec(**overrides)
    error = caught.value
    assert (error.expected, error.actual, error.operation) == ("EUR", "USD", operation)


def test_an_unknown_currency_is_refused():
    with pytest.raises(UnknownCurrencyError):
        spec(currency="EUX")


def test_a_discount_on_an_unknown_line_is_refused():
    with pytest.raises(InvalidValueError) as caught:
        spec(discounts=[DiscountSpec(code="X", amount=eur(1), line_id="l9")])
    assert (caught.value.field, caught.value.value) == ("discounts[0].line_id", "l9")


def test_a_line_discount_bigger_than_the_line_is_refused():
    # l1 is 2 x 10.00 = 20.00; the first discount leaves 15.00, the second asks 15.01.
    with pytest.raises(InvalidValueError) as caught:
        spec(
            discounts=[
                DiscountSpec(code="FIVE", amount=eur("5.00"), line_id="l1"),
                DiscountSpec(code="GREEDY", amount=eur("15.01"), line_id="l1"),
            ]
        )
    assert (caught.value.field, caught.value.value) == ("discounts[1]", "GREEDY")
    assert caught.value.reason == "takes 15.01 EUR off line 'l1', which is only 15.00 EUR"


def test_an_order_discount_bigger_than_the_lines_is_refused():
    with pytest.raises(InvalidValueError) as caught:
        spec(discounts=[DiscountSpec(code="BIG", amount=eur("20.01"))])
    assert (caught.value.field, caught.value.value) == ("discounts[0]", "BIG")
    assert caught.value.reason == "takes 20.01 EUR off an order whose lines come to 20.00 EUR"


def test_a_discount_as_big_as_its_base_is_allowed():
    whole = spec(discounts=[DiscountSpec(code="ALL", amount=eur("20.00"), line_id="l1")])
    assert whole.priced().total == taxed("0.00", "0.00")


@pytest.mark.parametrize("scope", [None, "l1"])
def test_a_discount_amount_finer_than_the_currency_is_refused_naming_the_discount(scope):
    # Half a cent cannot be taken off a line, and cannot be shared out over lines.
    with pytest.raises(InvalidValueError) as caught:
        spec(discounts=[DiscountSpec(code="ODD", amount=eur("1.005"), line_id=scope)])
    assert (caught.value.field, caught.value.value) == ("amount", eur("1.005"))
    assert "minor units" in caught.value.reason


def test_a_naive_estimated_delivery_is_refused():
    naive = dt.datetime(2026, 3, 5, 12, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(NaiveDateTimeError) as caught:
        spec(estimated_delivery_at=naive)
    assert (caught.value.field, caught.value.value) == ("estimated_delivery_at", naive)


def test_an_estimated_delivery_that_is_not_a_datetime_is_refused():
    with pytest.raises(InvalidTypeError) as caught:
        spec(estimated_delivery_at=dt.date(2026, 3, 5))
    assert caught.value.field == "estimated_delivery_at"


def test_an_unknown_timezone_is_refused():
    with pytest.raises(InvalidTimezoneError) as caught:
        spec(timezone="Europe/Atlantis")
    assert (caught.value.field, caught.value.value) == ("timezone", "Europe/Atlantis")


def test_an_unknown_rounding_name_is_refused():
    with pytest.raises(InvalidValueError) as caught:
        spec(rounding="nearest")
    assert (caught.value.field, caught.value.value) == ("rounding", "nearest")


def test_an_unknown_allocation_name_is_refused():
    with pytest.raises(InvalidValueError) as caught:
        spec(discount_allocation="fair")
    assert (caught.value.field, caught.value.value) == ("discount_allocation", "fair")


def test_rounding_and_allocation_are_accepted_by_value():
    named = spec(rounding="ROUND_HALF_EVEN", discount_allocation="last")
    assert named.rounding is Rounding.HALF_EVEN
    assert named.discount_allocation is AllocationStrategy.LAST


@pytest.mark.parametrize("field", ["order_id", "channel"])
def test_the_order_id_and_channel_must_not_be_blank(field):
    with pytest.raises(InvalidValueError) as caught:
        spec(**{field: ""})
    assert (caught.value.field, caught.value.value) == (field, "")


def test_ids_must_be_text_of_at_most_255_characters():
    with pytest.raises(InvalidTypeError) as caught:
        spec(order_id=1001)
    assert (caught.value.field, caught.value.value) == ("order_id", 1001)
    assert len(spec(channel="c" * 255).channel) == 255
    with pytest.raises(InvalidValueError) as caught_long:
        spec(channel="c" * 256)
    assert caught_long.value.field == "channel"
    assert caught_long.value.reason == "longer than 255 characters"


@pytest.mark.parametrize(
    ("field", "single"),
    [
        ("lines", line()),
        ("shipping", ShippingSpec(shipping_id="s1", method="courier", price=eur("5"))),
        ("discounts", DiscountSpec(code="X", amount=eur("1"))),
        ("lines", None),
    ],
)
def test_parts_given_as_a_single_item_instead_of_a_list_are_refused_naming_the_field(field, single):
    with pytest.raises(InvalidTypeError) as caught:
        spec(**{field: single})
    assert caught.value.field == field


def test_a_valid_spec_keeps_its_parts():
    estimate = pendulum.datetime(2026, 3, 5, 18, tz="Europe/Berlin")
    full = spec(
        customer_id="c-1",
        shipping_address=address(),
        billing_address=address(name="Firma"),
        estimated_delivery_at=estimate,
    )
    assert full.customer_id == "c-1"
    assert full.shipping_address == address()
    assert full.estimated_delivery_at == estimate
    assert full.currency.code == "EUR"
    assert full.lines == (line(),)


# ------------------------------------------------------------------ pricing


def test_net_prices_add_tax_per_line():
    # l1: 2 x 10.00 net at 19 % = 20.00 net, 23.80 gross
    # l2: 1 x 9.99 net at 7 %   =  9.99 net, 10.6893 -> 10.69 gross
    order_spec = spec(
        lines=[
            line("l1", 2, "10.00", tax_rate=Decimal("0.19")),
            line("l2", 1, "9.99", tax_rate=Decimal("0.07")),
        ]
    )
    lines = priced_lines(order_spec)
    assert lines["l1"].total == taxed("20.00", "23.80")
    assert lines["l2"].total == taxed("9.99", "10.69")
    assert order_spec.priced().total == taxed("29.99", "34.49")


def test_gross_prices_extract_tax_per_line():
    # l1: 2 x 11.90 gross at 19 % = 23.80 gross, 20.00 net
    # l2: 1 x 10.00 gross at 23 % = 10.00 gross, 8.1300... -> 8.13 net
    order_spec = spec(
        prices_include_tax=True,
        lines=[
            line("l1", 2, "11.90", tax_rate=Decimal("0.19")),
            line("l2", 1, "10.00", tax_rate=Decimal("0.23")),
        ],
    )
    lines = priced_lines(order_spec)
    assert lines["l1"].total == taxed("20.00", "23.80")
    assert lines["l2"].total == taxed("8.13", "10.00")
    assert order_spec.priced().total == taxed("28.13", "33.80")
    assert all(item.prices_include_tax for item in lines.values())


def test_the_subtotal_is_the_unit_price_times_the_quantity_rounded_once():
    # 3 x 0.335 = 1.005 -> 1.01 with half-up, 1.00 with half-even
    assert priced_lines(spec(lines=[line("l1", 3, "0.335")]))["l1"].subtotal == eur("1.01")
    half_even = spec(lines=[line("l1", 3, "0.335")], rounding=Rounding.HALF_EVEN)
    assert priced_lines(half_even)["l1"].subtotal == eur("1.00")


def test_line_discounts_apply_in_order_each_on_what_the_last_left():
    # 100.00 - 10.00 = 90.00; 10 % of 90.00 = 9.00; the line comes to 81.00.
    order_spec = spec(
        lines=[line("l1", 1, "100.00")],
        discounts=[
            DiscountSpec(code="TEN", amount=eur("10.00"), line_id="l1"),
            DiscountSpec(code="PCT", rate=Decimal("0.1"), line_id="l1"),
        ],
    )
    priced = priced_lines(order_spec)["l1"]
    assert priced.subtotal == eur("100.00")
    assert priced.discount == eur("19.00")
    assert priced.order_discount == eur("0")
    assert priced.amount == eur("81.00")


def test_a_line_discount_stays_on_its_line():
    order_spec = spec(
        lines=[line("l1", 2, "10.00"), line("l2", 1, "30.00")],
        discounts=[DiscountSpec(code="L2", amount=eur("5.00"), line_id="l2")],
    )
    lines = priced_lines(order_spec)
    assert lines["l1"].amount == eur("20.00")
    assert lines["l2"].amount == eur("25.00")
    assert order_spec.priced().total == taxed("45.00", "45.00")


def test_a_rate_discount_is_rounded_with_the_order_rounding():
    # 15 % of 3 x 3.33 = 9.99 is 1.4985: 1.50 half-up, 1.49 down.
    ordered = [line("l1", 3, "3.33")]
    rate = [DiscountSpec(code="P", rate=Decimal("0.15"), line_id="l1")]
    assert priced_lines(spec(lines=ordered, discounts=rate))["l1"].discount == eur("1.50")
    down = spec(lines=ordered, discounts=rate, rounding=Rounding.DOWN)
    assert priced_lines(down)["l1"].discount == eur("1.49")


def test_an_order_discount_is_shared_over_lines_after_their_own_discounts():
    # After line discounts the lines are 20.00 and 10.00 (30.00 - 20.00);
    # 3.00 off the order is shared 2:1, so 2.00 and 1.00.
    order_spec = spec(
        lines=[line("l1", 2, "10.00"), line("l2", 1, "30.00")],
        discounts=[
            DiscountSpec(code="ORDER", amount=eur("3.00")),
            DiscountSpec(code="L2", amount=eur("20.00"), line_id="l2"),
        ],
    )
    lines = priced_lines(order_spec)
    assert (lines["l1"].order_discount, lines["l2"].order_discount) == (eur("2.00"), eur("1.00"))
    assert (lines["l1"].amount, lines["l2"].amount) == (eur("18.00"), eur("9.00"))


def test_order_rate_discounts_apply_one_after_another():
    # 10 % of 50.00 is 5.00; then 10 % of the remaining 45.00 is 4.50; 9.50 in all.
    order_spec = spec(
        lines=[line("l1", 1, "50.00")],
        discounts=[
            DiscountSpec(code="A", rate=Decimal("0.1")),
            DiscountSpec(code="B", rate=Decimal("0.1")),
        ],
    )
    assert priced_lines(order_spec)["l1"].order_discount == eur("9.50")


ONE_TWO_ONE = [line("a", 1, "10.00"), line("b", 1, "20.00"), line("c", 1, "10.00")]


@pytest.mark.parametrize(
    ("strategy", "shares"),
    [
        # 0.10 over 10:20:10 is 0.025, 0.05, 0.025 exactly; the floors 0.02, 0.05, 0.02 leave
        # one cent, and the strategy says who gets it.
        (AllocationStrategy.LARGEST_REMAINDER, ["0.03", "0.05", "0.02"]),  # tie: earlier
        (AllocationStrategy.FIRST, ["0.03", "0.05", "0.02"]),
        (AllocationStrategy.LAST, ["0.02", "0.05", "0.03"]),
        (AllocationStrategy.LARGEST_RATIO, ["0.02", "0.06", "0.02"]),
    ],
)
def test_an_order_discount_is_allocated_with_the_named_strategy(strategy, shares):
    order_spec = spec(
        lines=ONE_TWO_ONE,
        discounts=[DiscountSpec(code="DIME", amount=eur("0.10"))],
        discount_allocation=strategy,
    )
    allocated = [item.order_discount for item in order_spec.priced().lines]
    assert allocated == [eur(share) for share in shares]
    total = eur(0)
    for share in allocated:
        total += share
    assert total == eur("0.10")
    assert order_spec.priced().total == taxed("39.90", "39.90")


def test_an_order_discount_skips_a_free_line():
    order_spec = spec(
        lines=[line("a", 1, "10.00"), line("free", 1, "0.00")],
        discounts=[DiscountSpec(code="ONE", amount=eur("1.00"))],
    )
    assert [item.order_discount for item in order_spec.priced().lines] == [eur("1.00"), eur(0)]


def test_shipping_is_taxed_and_added_to_the_total():
    # Net: 5.00 shipping at 19 % is 5.95 gross; lines 20.00 net / 23.80 gross.
    order_spec = spec(
        lines=[line("l1", 2, "10.00", tax_rate=Decimal("0.19"))],
        shipping=[
            ShippingSpec(shipping_id="s1", method="courier", price=eur("5.00"), tax_rate="0.19")
        ],
    )
    (courier,) = order_spec.priced().shipping
    assert courier.price == taxed("5.00", "5.95")
    assert not courier.cancelled
    assert order_spec.priced().total == taxed("25.00", "29.75")


def test_gross_shipping_has_its_tax_extracted():
    # 4.99 gross at 23 % is 4.0569... -> 4.06 net.
    order_spec = spec(
        prices_include_tax=True,
        lines=[line("l1", 1, "12.30", tax_rate=Decimal("0.23"))],
        shipping=[
            ShippingSpec(
                shipping_id="s1", method="parcel locker", price=eur("4.99"), tax_rate="0.23"
            )
        ],
    )
    assert order_spec.priced().shipping[0].price == taxed("4.06", "4.99")
    assert order_spec.priced().total == taxed("14.06", "17.29")


def test_the_priced_lines_carry_what_the_spec_said():
    order_spec = spec(lines=[line("l1", 2, "10.00", tax_rate="0.19", name="Mug")])
    priced = priced_lines(order_spec)["l1"]
    assert (priced.sku, priced.name, priced.quantity, priced.unit_price) == (
        "SKU-l1",
        "Mug",
        2,
        eur("10.00"),
    )
    assert priced.tax_rate == Decimal("0.19")
    assert priced.rounding is Rounding.HALF_UP
    assert priced.counters() == {
        "quantity": 2,
        "cancelled": 0,
        "fulfilled": 0,
        "shipped": 0,
        "delivered": 0,
        "return_requested": 0,
        "returned": 0,
        "written_off": 0,
        "refunded": 0,
    }


# ------------------------------------------------------------------ shares of units


def three_mugs(**extra):
    """3 x 10.00 with 1.00 off the line: the line comes to 29.00."""
    return spec(
        lines=[line("l1", 3, "10.00", **extra)],
        discounts=[DiscountSpec(code="ONE", amount=eur("1.00"), line_id="l1")],
    )


def test_unit_shares_add_up_to_the_line_amount():
    mugs = priced_lines(three_mugs())["l1"]
    # 29.00 / 3 = 9.666..., 2 x 9.666... = 19.333...
    assert [mugs.total_for(units).net for units in range(4)] == [
        eur("0.00"),
        eur("9.67"),
        eur("19.33"),
        eur("29.00"),
    ]
    shares = [mugs.total_for(k).net - mugs.total_for(k - 1).net for k in range(1, 4)]
    assert shares == [eur("9.67"), eur("9.66"), eur("9.67")]
    assert shares[0] + shares[1] + shares[2] == mugs.amount


def test_unit_shares_carry_their_own_tax():
    mugs = priced_lines(three_mugs(tax_rate=Decimal("0.19")))["l1"]
    # 9.67 x 1.19 = 11.5073 -> 11.51; 19.33 x 1.19 = 23.0027 -> 23.00; 29.00 x 1.19 = 34.51
    assert [mugs.total_for(units) for units in range(4)] == [
        taxed("0.00", "0.00"),
        taxed("9.67", "11.51"),
        taxed("19.33", "23.00"),
        taxed("29.00", "34.51"),
    ]
    assert mugs.total == taxed("29.00", "34.51")


def test_cancelling_units_takes_away_exactly_their_share():
    mugs = priced_lines(three_mugs(tax_rate=Decimal("0.19")))["l1"]
    # Cancelling one of three leaves the share of two: 34.51 - 23.00 = 11.51 gross taken away.
    after = attrs.evolve(mugs, cancelled=1)
    assert after.total == taxed("19.33", "23.00")
    assert mugs.total.gross - after.total.gross == eur("11.51")
    everything = attrs.evolve(mugs, cancelled=3)
    assert everything.total == taxed("0.00", "0.00")


def test_unit_shares_of_gross_prices_extract_tax_from_each_share():
    # 3 x 3.33 gross at 23 %: shares 3.33, 6.66, 9.99 gross;
    # nets 2.7073 -> 2.71, 5.4146 -> 5.41, 8.1219 -> 8.12.
    dice = priced_lines(
        spec(prices_include_tax=True, lines=[line("l1", 3, "3.33", tax_rate=Decimal("0.23"))])
    )["l1"]
    assert [dice.total_for(units) for units in (1, 2, 3)] == [
        taxed("2.71", "3.33"),
        taxed("5.41", "6.66"),
        taxed("8.12", "9.99"),
    ]


def test_unit_shares_include_the_order_discount_share():
    # 1.00 off the order over 30.00 and 5.00: 0.857... and 0.142...; floors 0.85 and 0.14,
    # the leftover cent goes to the larger remainder (0.714 cent on line a): 0.86 and 0.14.
    # Line a comes to 29.14: 9.7133 -> 9.71, 19.4266 -> 19.43, 29.14.
    order_spec = spec(
        lines=[line("a", 3, "10.00"), line("b", 1, "5.00")],
        discounts=[DiscountSpec(code="ONE", amount=eur("1.00"))],
    )
    lines = priced_lines(order_spec)
    assert (lines["a"].order_discount, lines["b"].order_discount) == (eur("0.86"), eur("0.14"))
    assert [lines["a"].total_for(units).net for units in (1, 2, 3)] == [
        eur("9.71"),
        eur("19.43"),
        eur("29.14"),
    ]


@pytest.mark.parametrize("units", [-1, 4])
def test_a_share_of_units_outside_the_line_is_refused(units):
    mugs = priced_lines(three_mugs())["l1"]
    with pytest.raises(InvalidValueError) as caught:
        mugs.total_for(units)
    assert (caught.value.field, caught.value.value) == ("units", units)


ROUNDINGS = list(Rounding)


@given(
    quantity=st.integers(min_value=1, max_value=40),
    unit_cents=st.integers(min_value=0, max_value=100_000),
    discount_permille=st.integers(min_value=0, max_value=1000),
    order_discount=st.booleans(),
    rate=st.sampled_from(["0", "0.05", "0.07", "0.19", "0.23"]),
    gross=st.booleans(),
    rounding=st.sampled_from(ROUNDINGS),
)
def test_unit_shares_are_monotone_and_all_units_cost_the_line_total(
    *, quantity, unit_cents, discount_permille, order_discount, rate, gross, rounding
):
    subtotal_cents = quantity * unit_cents
    discount_cents = subtotal_cents * discount_permille // 1000
    discounts = []
    if discount_cents:
        discounts.append(
            DiscountSpec(
                code="D",
                amount=Money.from_minor_units(discount_cents, "EUR"),
                line_id=None if order_discount else "l1",
            )
        )
    order_spec = spec(
        lines=[
            line(
                "l1", quantity, str(Money.from_minor_units(unit_cents, "EUR").amount), tax_rate=rate
            )
        ],
        discounts=discounts,
        prices_include_tax=gross,
        rounding=rounding,
    )
    (priced,) = order_spec.priced().lines
    amount = priced.amount
    assert amount == Money.from_minor_units(subtotal_cents - discount_cents, "EUR")

    totals = [priced.total_for(units) for units in range(quantity + 1)]
    assert totals[0] == taxed("0", "0")
    entered = [total.gross if gross else total.net for total in totals]
    assert entered[-1] == amount
    assert totals[-1] == priced.total == order_spec.priced().total
    for before, after in itertools.pairwise(totals):
        assert before.net <= after.net
        assert before.gross <= after.gross
    if rounding is not Rounding.HALF_EVEN:
        # Every unit's share is the line amount divided by the quantity, give or take a cent.
        low, high = divmod(amount.to_minor_units(), quantity)
        high = low + (1 if high else 0)
        for before, after in itertools.pairwise(entered):
            assert low <= (after - before).to_minor_units() <= high


@given(
    quantity=st.integers(min_value=1, max_value=12),
    unit_cents=st.integers(min_value=1, max_value=50_000),
    rate=st.sampled_from(["0", "0.07", "0.19", "0.23"]),
    gross=st.booleans(),
    batches=st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=12),
)
def test_consecutive_refunds_take_back_exactly_what_each_cancellation_removed(
    *, quantity, unit_cents, rate, gross, batches
):
    # Cancel units in batches and refund each batch right after: each refund equals the drop
    # in the order total to the cent, and all of them together never pass the line's total.
    price = str(Money.from_minor_units(unit_cents, "EUR").amount)
    order_spec = spec(
        lines=[line("l1", quantity, price, tax_rate=rate)],
        shipping=[],
        discounts=[],
        prices_include_tax=gross,
    )
    (current,) = order_spec.priced().lines
    refunded = taxed("0", "0")
    for batch in batches:
        units = min(batch, current.active)
        if not units:
            break
        before = current.total
        refund = current.refund_total(units)
        current = attrs.evolve(
            current, cancelled=current.cancelled + units, refunded=current.refunded + units
        )
        assert refund == before - current.total
        refunded += refund
    assert refunded.gross <= current.total_for(current.quantity).gross
    if current.refunded == current.quantity:
        assert refunded == current.total_for(current.quantity)


def test_refunding_more_units_than_are_left_is_refused():
    (mugs,) = spec(lines=[line("l1", 3, "10.00")], shipping=[], discounts=[]).priced().lines
    with pytest.raises(InvalidValueError) as caught:
        mugs.refund_total(4)
    assert (caught.value.field, caught.value.value) == ("units", 4)
