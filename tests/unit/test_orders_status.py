"""Payment, fulfilment and return statuses derived from the ledgers, rule by rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.money import Money, Rounding
from ecomkit.orders import (
    FulfilmentStatus,
    OrderLine,
    Payment,
    PaymentStatus,
    ReturnStatus,
    fulfilment_status,
    payment_status,
    return_status,
)


def eur(amount):
    return Money(amount, "EUR")


def payment(authorized, captured="0", voided="0", refunded="0", payment_id="p1"):
    return Payment(
        payment_id=payment_id,
        tender="card",
        authorized=eur(authorized),
        captured=eur(captured),
        voided=eur(voided),
        refunded=eur(refunded),
    )


def order_line(quantity=4, line_id="l1", **counters):
    subtotal = eur("10.00") * quantity
    return OrderLine(
        line_id=line_id,
        sku="SKU",
        name="",
        quantity=quantity,
        unit_price=eur("10.00"),
        tax_rate=Decimal(0),
        prices_include_tax=False,
        rounding=Rounding.HALF_UP,
        subtotal=subtotal,
        discount=eur(0),
        order_discount=eur(0),
        **counters,
    )


# ------------------------------------------------------------------ payment status


@pytest.mark.parametrize(
    ("total", "payments", "expected"),
    [
        # 1. nothing at all and nothing owed
        ("0.00", [], PaymentStatus.PAID),
        # no payment yet
        ("30.00", [], PaymentStatus.NOT_PAID),
        # 2. refunds are compared with captures
        ("30.00", [payment("30.00", "30.00", refunded="30.00")], PaymentStatus.REFUNDED),
        ("30.00", [payment("30.00", "30.00", refunded="5.00")], PaymentStatus.PARTIALLY_REFUNDED),
        # a unit of 10.00 was cancelled after capture (total now 20.00) and refunded:
        # the total is not lowered a second time, so 20.00 kept of 30.00 captured is partial.
        ("20.00", [payment("30.00", "30.00", refunded="10.00")], PaymentStatus.PARTIALLY_REFUNDED),
        # a whole order cancelled after capture and refunded in full
        ("0.00", [payment("30.00", "30.00", refunded="30.00")], PaymentStatus.REFUNDED),
        # refunds win over what is still open
        ("30.00", [payment("30.00", "10.00", refunded="10.00")], PaymentStatus.REFUNDED),
        # 3. captures compared with the total
        ("30.00", [payment("30.00", "30.00")], PaymentStatus.PAID),
        ("30.00", [payment("30.00", "12.00")], PaymentStatus.PARTIALLY_PAID),
        ("20.00", [payment("30.00", "30.00")], PaymentStatus.OVERPAID),
        ("0.00", [payment("30.00", "30.00")], PaymentStatus.OVERPAID),
        # a capture with the rest still authorized is partially paid (captures win)
        ("30.00", [payment("30.00", "10.00")], PaymentStatus.PARTIALLY_PAID),
        # a partial capture with the rest voided
        ("30.00", [payment("30.00", "10.00", voided="20.00")], PaymentStatus.PARTIALLY_PAID),
        # 4. open authorizations compared with the total
        ("30.00", [payment("30.00")], PaymentStatus.AUTHORIZED),
        ("20.00", [payment("30.00")], PaymentStatus.AUTHORIZED),
        ("30.00", [payment("29.99")], PaymentStatus.PARTIALLY_AUTHORIZED),
        ("30.00", [payment("30.00", voided="10.00")], PaymentStatus.PARTIALLY_AUTHORIZED),
        ("0.00", [payment("30.00")], PaymentStatus.AUTHORIZED),
        # 5. everything authorized was voided
        ("30.00", [payment("30.00", voided="30.00")], PaymentStatus.VOIDED),
        ("0.00", [payment("30.00", voided="30.00")], PaymentStatus.VOIDED),
    ],
    ids=lambda value: str(value) if isinstance(value, str) else None,
)
def test_payment_status_follows_its_rules_in_order(total, payments, expected):
    assert payment_status(eur(total), payments) is expected


@pytest.mark.parametrize(
    ("payments", "expected"),
    [
        # 10.00 on a gift card and 20.00 on a card, both captured
        (
            [payment("10.00", "10.00", payment_id="gift"), payment("20.00", "20.00")],
            PaymentStatus.PAID,
        ),
        # one tender captured, the other only authorized
        (
            [payment("10.00", "10.00", payment_id="gift"), payment("20.00")],
            PaymentStatus.PARTIALLY_PAID,
        ),
        # two authorizations that together cover the total
        ([payment("10.00", payment_id="gift"), payment("20.00")], PaymentStatus.AUTHORIZED),
        # one voided, one open for part of the total
        (
            [payment("10.00", voided="10.00", payment_id="gift"), payment("20.00")],
            PaymentStatus.PARTIALLY_AUTHORIZED,
        ),
        # a refund on one tender only
        (
            [
                payment("10.00", "10.00", refunded="10.00", payment_id="gift"),
                payment("20.00", "20.00"),
            ],
            PaymentStatus.PARTIALLY_REFUNDED,
        ),
        # both voided
        (
            [payment("10.00", voided="10.00", payment_id="gift"), payment("20.00", voided="20.00")],
            PaymentStatus.VOIDED,
        ),
    ],
)
def test_payment_status_adds_up_every_tender(payments, expected):
    assert payment_status(eur("30.00"), payments) is expected


def test_payment_status_reads_any_iterable_of_payments_once():
    assert payment_status(eur("30.00"), iter([payment("30.00", "30.00")])) is PaymentStatus.PAID


@pytest.mark.parametrize(
    ("amounts", "problem"),
    [
        (("10.00", "10.01", "0", "0"), "captured above authorized"),
        (("10.00", "6.00", "5.00", "0"), "captured plus voided above authorized"),
        (("10.00", "5.00", "0", "5.01"), "refunded above captured"),
        (("10.00", "-1.00", "0", "0"), "negative capture"),
        (("10.00", "0", "-1.00", "0"), "negative void"),
        (("10.00", "5.00", "0", "-1.00"), "negative refund"),
    ],
)
def test_a_payment_refuses_amounts_that_break_its_chain(amounts, problem):
    with pytest.raises(InvalidValueError) as caught:
        payment(*amounts)
    assert caught.value.field == "payments['p1']", problem


def test_a_payment_knows_what_is_open_and_what_is_refundable():
    split = payment("30.00", "12.00", voided="8.00", refunded="2.00")
    assert split.open == eur("10.00")
    assert split.refundable == eur("10.00")


# ------------------------------------------------------------------ fulfilment status


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([order_line()], FulfilmentStatus.UNFULFILLED),
        ([order_line(fulfilled=1)], FulfilmentStatus.PARTIALLY_FULFILLED),
        ([order_line(fulfilled=4)], FulfilmentStatus.FULFILLED),
        ([order_line(fulfilled=4, shipped=3)], FulfilmentStatus.PARTIALLY_SHIPPED),
        ([order_line(fulfilled=4, shipped=4)], FulfilmentStatus.SHIPPED),
        ([order_line(fulfilled=4, shipped=4, delivered=2)], FulfilmentStatus.PARTIALLY_DELIVERED),
        ([order_line(fulfilled=4, shipped=4, delivered=4)], FulfilmentStatus.DELIVERED),
        # the furthest stage any unit reached decides
        ([order_line(fulfilled=2, shipped=1)], FulfilmentStatus.PARTIALLY_SHIPPED),
        ([order_line(fulfilled=3, shipped=3, delivered=1)], FulfilmentStatus.PARTIALLY_DELIVERED),
        # cancelled units do not count: 1 cancelled, the other 3 reached the stage
        ([order_line(cancelled=1, fulfilled=3)], FulfilmentStatus.FULFILLED),
        ([order_line(cancelled=1, fulfilled=3, shipped=3)], FulfilmentStatus.SHIPPED),
        (
            [order_line(cancelled=1, fulfilled=3, shipped=3, delivered=3)],
            FulfilmentStatus.DELIVERED,
        ),
        ([order_line(cancelled=2, fulfilled=1)], FulfilmentStatus.PARTIALLY_FULFILLED),
        # every unit cancelled
        ([order_line(cancelled=4)], FulfilmentStatus.UNFULFILLED),
        # no lines at all
        ([], FulfilmentStatus.UNFULFILLED),
        # counters are summed over the lines
        (
            [order_line(fulfilled=4, shipped=4), order_line(line_id="l2", quantity=2)],
            FulfilmentStatus.PARTIALLY_SHIPPED,
        ),
        (
            [
                order_line(fulfilled=4, shipped=4, delivered=4),
                order_line(line_id="l2", quantity=2, cancelled=2),
            ],
            FulfilmentStatus.DELIVERED,
        ),
        (
            [
                order_line(fulfilled=4, shipped=4, delivered=4),
                order_line(line_id="l2", quantity=2, fulfilled=2, shipped=2),
            ],
            FulfilmentStatus.PARTIALLY_DELIVERED,
        ),
    ],
)
def test_fulfilment_status_follows_the_furthest_stage(lines, expected):
    assert fulfilment_status(lines) is expected


# ------------------------------------------------------------------ return status

DELIVERED = {"fulfilled": 4, "shipped": 4, "delivered": 4}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([order_line()], ReturnStatus.NONE),
        ([order_line(**DELIVERED)], ReturnStatus.NONE),
        ([order_line(**DELIVERED, return_requested=1)], ReturnStatus.RETURN_REQUESTED),
        # one of two requested units came back, the other is still on its way
        ([order_line(**DELIVERED, return_requested=2, returned=1)], ReturnStatus.RETURN_REQUESTED),
        (
            [order_line(**DELIVERED, return_requested=2, returned=2)],
            ReturnStatus.PARTIALLY_RETURNED,
        ),
        ([order_line(**DELIVERED, return_requested=4, returned=4)], ReturnStatus.RETURNED),
        # written off units close a request like returned ones
        (
            [order_line(**DELIVERED, return_requested=4, returned=3, written_off=1)],
            ReturnStatus.RETURNED,
        ),
        (
            [order_line(**DELIVERED, return_requested=1, written_off=1)],
            ReturnStatus.PARTIALLY_RETURNED,
        ),
        # every active unit back: 1 of 4 was cancelled before fulfilment
        (
            [
                order_line(
                    cancelled=1,
                    fulfilled=3,
                    shipped=3,
                    delivered=3,
                    return_requested=3,
                    returned=3,
                )
            ],
            ReturnStatus.RETURNED,
        ),
        # summed over lines: a second line was never requested
        (
            [
                order_line(**DELIVERED, return_requested=4, returned=4),
                order_line(line_id="l2", quantity=1, fulfilled=1, shipped=1, delivered=1),
            ],
            ReturnStatus.PARTIALLY_RETURNED,
        ),
        # summed over lines: one line done, the other still open
        (
            [
                order_line(**DELIVERED, return_requested=4, returned=4),
                order_line(
                    line_id="l2",
                    quantity=1,
                    fulfilled=1,
                    shipped=1,
                    delivered=1,
                    return_requested=1,
                ),
            ],
            ReturnStatus.RETURN_REQUESTED,
        ),
    ],
)
def test_return_status_follows_the_requests(lines, expected):
    assert return_status(lines) is expected


# ------------------------------------------------------------------ the counter chain


@pytest.mark.parametrize(
    "counters",
    [
        {"cancelled": 2, "fulfilled": 3},  # more than ordered
        {"fulfilled": 1, "shipped": 2},
        {"fulfilled": 2, "shipped": 2, "delivered": 3},
        {"fulfilled": 2, "shipped": 2, "delivered": 1, "return_requested": 2},
        {**DELIVERED, "return_requested": 1, "returned": 1, "written_off": 1},
        {**DELIVERED, "return_requested": 2, "returned": 1, "refunded": 2},
        {"cancelled": 1, "refunded": 2},
        {"cancelled": -1},
        {"returned": -1},
        {"written_off": -1},
        {"shipped": -1},
    ],
)
def test_a_line_refuses_counters_that_break_the_chain(counters):
    with pytest.raises(InvalidValueError) as caught:
        order_line(**counters)
    assert caught.value.field == "lines['l1']"
    assert caught.value.value == {**order_line().counters(), **counters}


def test_a_line_counts_its_units():
    line = order_line(
        cancelled=1, fulfilled=2, shipped=2, delivered=2, return_requested=2, returned=1, refunded=1
    )
    assert line.active == 3
    assert line.unfulfilled == 1
    assert line.open_return_requests == 1
    # 1 cancelled + 1 returned, 1 of them refunded
    assert line.refundable == 1


# ------------------------------------------------------------------ bad input


def test_a_total_that_is_not_money_is_refused_naming_the_field():
    with pytest.raises(InvalidTypeError) as caught:
        payment_status(Decimal("10.00"), [])
    assert (caught.value.field, caught.value.value) == ("total", Decimal("10.00"))


def test_a_payment_that_is_not_a_payment_is_refused_naming_its_position():
    with pytest.raises(InvalidTypeError) as caught:
        payment_status(Money("10.00", "EUR"), ["p1"])
    assert (caught.value.field, caught.value.value) == ("payments[0]", "p1")


@pytest.mark.parametrize("derive", [fulfilment_status, return_status])
def test_a_line_that_is_not_an_order_line_is_refused_naming_its_position(derive):
    with pytest.raises(InvalidTypeError) as caught:
        derive([{"quantity": 2}])
    assert (caught.value.field, caught.value.value) == ("lines[0]", {"quantity": 2})
