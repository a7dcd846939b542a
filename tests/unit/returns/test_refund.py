"""calculate_refund, allocate_refund and fee_deductions: refunds exact to the minor unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecomkit.errors import CurrencyMismatchError, InvalidTypeError, InvalidValueError
from ecomkit.money import Money, TaxedMoney
from ecomkit.orders import (
    CancelOrder,
    DiscountSpec,
    LineQuantity,
    ReceiveReturn,
    RefundPayment,
    RequestReturn,
)
from ecomkit.returns import (
    Deduction,
    DeductionKind,
    Fee,
    FeeTerm,
    RefundMethod,
    RestockingFee,
    ReturnPolicy,
    ReturnShippingFee,
    ShippingRefund,
    allocate_refund,
    calculate_refund,
    eu_policy,
    evaluate_return,
    fee_deductions,
)


def pln(amount: str) -> Money:
    return Money(amount, "PLN")


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def taxed(net: str, gross: str) -> TaxedMoney:
    return TaxedMoney(pln(net), pln(gross))


def return_and_refund(order, advance, at, units, amount, *, shipping=None, payment_id="p1"):
    """Record *units* of l1 requested, received and refunded with *amount* on the order."""
    order = advance(order, RequestReturn, at, lines={"l1": units})
    order = advance(order, ReceiveReturn, at, lines={"l1": units})
    return advance(
        order,
        RefundPayment,
        at,
        payment_id=payment_id,
        amount=amount,
        lines={"l1": units},
        shipping=shipping,
    )


class TestItemValues:
    @pytest.fixture
    def net_order(self, make_order):
        # Net prices, 23 % VAT, 10 % off the order.
        # l1: 3 x 19.99 = 59.97; l2: 40.00; lines 99.97; 10 % = 9.997 -> 10.00 off,
        # shared 59.97 : 40.00 -> 6.00 and 4.00. l1 is 53.97 net, 53.97 x 1.23 = 66.3831 ->
        # 66.38 gross.
        return make_order(
            {"l1": (3, "19.99"), "l2": (1, "40.00")},
            discounts=[DiscountSpec(code="TEN", rate=Decimal("0.1"))],
            tax_rate="0.23",
            prices_include_tax=False,
        )

    def test_a_unit_is_worth_its_price_after_its_discount_share_with_tax(self, net_order):
        # Refunds take from the top: 3 units are 66.38 gross; 2 units are 35.98 net,
        # 44.2554 -> 44.26 gross; so the first unit back is 17.99 net, 22.12 gross.
        refund = calculate_refund(net_order, {"l1": 1})
        (line,) = refund.lines
        assert (line.line_id, line.quantity, line.amount) == ("l1", 1, taxed("17.99", "22.12"))
        assert refund.items == taxed("17.99", "22.12")
        assert refund.total == pln("22.12")

    def test_the_whole_line_comes_back_at_exactly_what_was_paid_for_it(self, net_order):
        refund = calculate_refund(net_order, [LineQuantity(line_id="l1", quantity=3)])
        assert refund.items == taxed("53.97", "66.38")
        assert refund.items == net_order.line("l1").total

    def test_consecutive_partial_refunds_add_up_to_the_line_total_exactly(
        self, net_order, advance, placed
    ):
        order = net_order
        paid_back = []
        for day in (1, 2, 3):
            refund = calculate_refund(order, {"l1": 1})
            paid_back.append(refund.items.gross)
            order = return_and_refund(order, advance, placed.add(days=day), 1, refund.total)
        # 66.38 - 44.26 = 22.12, then 44.26 - 22.13 = 22.13, then 22.13.
        assert paid_back == [pln("22.12"), pln("22.13"), pln("22.13")]
        assert sum(paid_back, pln("0")) == pln("66.38")
        assert order.line("l1").refunded == 3

    def test_gross_prices_take_their_share_of_a_fixed_order_discount(self, make_order):
        # Gross prices with 23 % VAT and 5.00 off the order. Lines 59.97 + 40.00 = 99.97;
        # 5.00 shared 59.97 : 40.00 -> 3.00 and 2.00. One unit of l1 is 19.99 - 1.00 = 18.99
        # gross; the line is 56.97 gross = 46.32 net, two units 37.98 = 30.88 net, so the
        # unit is 46.32 - 30.88 = 15.44 net.
        order = make_order(
            {"l1": (3, "19.99"), "l2": (1, "40.00")},
            discounts=[DiscountSpec(code="FIVE", amount=pln("5.00"))],
            tax_rate="0.23",
            prices_include_tax=True,
        )
        assert calculate_refund(order, {"l1": 1}).items == taxed("15.44", "18.99")
        assert calculate_refund(order, {"l1": 3}).items == taxed("46.32", "56.97")

    def test_refund_lines_list_the_units_refunded(self, net_order):
        refund = calculate_refund(net_order, {"l1": 2, "l2": 1})
        assert [(item.line_id, item.quantity) for item in refund.units] == [("l1", 2), ("l2", 1)]

    def test_an_unknown_line_is_refused(self, net_order):
        with pytest.raises(InvalidValueError) as caught:
            calculate_refund(net_order, {"l9": 1})
        assert caught.value.field == "units"
        assert "l1" in caught.value.reason

    def test_more_units_than_are_left_to_refund_are_refused(self, net_order):
        with pytest.raises(InvalidValueError):
            calculate_refund(net_order, {"l1": 4})

    def test_a_refund_method_given_by_its_value_is_accepted_and_an_unknown_one_refused(
        self, net_order
    ):
        assert calculate_refund(net_order, {"l1": 1}, method="store_credit").method is (
            RefundMethod.STORE_CREDIT
        )
        with pytest.raises(InvalidValueError) as caught:
            calculate_refund(net_order, {"l1": 1}, method="cash")
        assert caught.value.field == "method"


class TestShipping:
    @pytest.fixture
    def order(self, make_order):
        return make_order({"l1": (3, "10.00")}, shipping="10.00")

    def test_pro_rata_shares_of_delivery_add_up_to_its_price_exactly(self, order, advance, placed):
        # 10.00 over 3 units: 1/3 -> 3.33, 2/3 -> 6.67, 3/3 -> 10.00; each refund pays the
        # difference: 3.33, 3.34, 3.33.
        shares = []
        for day in (1, 2, 3):
            order = advance(order, RequestReturn, placed.add(days=day), lines={"l1": 1})
            order = advance(order, ReceiveReturn, placed.add(days=day), lines={"l1": 1})
            refund = calculate_refund(order, {"l1": 1}, shipping=ShippingRefund.PRO_RATA)
            shares.append(refund.shipping)
            order = advance(
                order,
                RefundPayment,
                placed.add(days=day),
                payment_id="p1",
                amount=refund.total,
                lines={"l1": 1},
                shipping=refund.shipping,
            )
        assert shares == [pln("3.33"), pln("3.34"), pln("3.33")]
        assert order.shipping_refunded == pln("10.00")

    def test_delivery_already_refunded_is_never_refunded_again(self, order, advance, placed):
        # A goodwill refund of the whole delivery price first.
        order = advance(
            order,
            RefundPayment,
            placed,
            payment_id="p1",
            amount=pln("10.00"),
            shipping=pln("10.00"),
        )
        refund = calculate_refund(
            order, {"l1": 3}, shipping=ShippingRefund.WHEN_ALL_RETURNED, units_recorded=False
        )
        assert order.shipping_refunded == pln("10.00")
        assert refund.shipping == pln("0")
        assert refund.total == pln("30.00")

    def test_only_what_is_left_under_the_cap_is_refunded(self, order, advance, placed):
        order = advance(
            order, RefundPayment, placed, payment_id="p1", amount=pln("4.00"), shipping=pln("4.00")
        )
        refund = calculate_refund(
            order,
            {"l1": 3},
            shipping=ShippingRefund.WHEN_ALL_RETURNED,
            shipping_cap=pln("6.00"),
            units_recorded=False,
        )
        assert refund.shipping == pln("2.00")  # cap 6.00 - 4.00 already paid back

    def test_delivery_comes_back_with_the_return_that_brings_back_the_last_unit(
        self, order, advance, placed
    ):
        order = return_and_refund(order, advance, placed, 2, pln("20.00"))
        last = calculate_refund(
            order, {"l1": 1}, shipping=ShippingRefund.WHEN_ALL_RETURNED, units_recorded=False
        )
        assert last.shipping == pln("10.00")
        assert last.total == pln("20.00")

    def test_units_recorded_says_whether_the_order_already_counts_the_units_back(
        self, order, advance, placed
    ):
        estimate = calculate_refund(
            order, {"l1": 3}, shipping=ShippingRefund.WHEN_ALL_RETURNED, units_recorded=False
        )
        not_yet_back = calculate_refund(order, {"l1": 3}, shipping=ShippingRefund.WHEN_ALL_RETURNED)
        order = advance(order, RequestReturn, placed, lines={"l1": 3})
        requested_only = calculate_refund(
            order, {"l1": 3}, shipping=ShippingRefund.WHEN_ALL_RETURNED
        )
        order = advance(order, ReceiveReturn, placed, lines={"l1": 3})
        back = calculate_refund(order, {"l1": 3}, shipping=ShippingRefund.WHEN_ALL_RETURNED)
        assert (
            estimate.shipping,
            not_yet_back.shipping,
            requested_only.shipping,
            back.shipping,
        ) == (pln("10.00"), pln("0"), pln("0"), pln("10.00"))

    def test_a_shipping_cap_must_be_money_in_the_orders_currency(self, order):
        with pytest.raises(CurrencyMismatchError):
            calculate_refund(order, {"l1": 3}, shipping="when_all_returned", shipping_cap=eur("5"))
        with pytest.raises(InvalidTypeError):
            calculate_refund(order, {"l1": 3}, shipping="when_all_returned", shipping_cap="5.00")

    def test_units_of_a_cancelled_order_come_back_without_any_delivery_share(
        self, make_order, advance, placed
    ):
        order = make_order({"l1": (2, "10.00")}, shipping="10.00", payments=[], deliveries={})
        order = advance(order, CancelOrder, placed)
        refund = calculate_refund(order, {"l1": 2}, shipping=ShippingRefund.PRO_RATA)
        assert (refund.items.gross, refund.shipping) == (pln("20.00"), pln("0"))

    def test_an_unknown_shipping_mode_is_refused(self, order):
        with pytest.raises(InvalidValueError) as caught:
            calculate_refund(order, {"l1": 1}, shipping="half")
        assert caught.value.field == "shipping"


class TestDeductions:
    @pytest.fixture
    def order(self, make_order):
        return make_order({"l1": (1, "50.00")})

    def test_deductions_are_capped_so_the_refund_never_goes_below_zero(self, order):
        refund = calculate_refund(
            order,
            {"l1": 1},
            deductions=[
                Deduction(kind=DeductionKind.RESTOCKING_FEE, amount=pln("30.00")),
                Deduction(kind=DeductionKind.RETURN_SHIPPING, amount=pln("30.00")),
                Deduction(kind="diminished_value", amount=pln("5.00")),
            ],
        )
        assert [item.amount for item in refund.deductions] == [
            pln("30.00"),
            pln("20.00"),
            pln("0.00"),
        ]
        assert refund.total == pln("0.00")
        assert refund.tenders == ()
        assert refund.unallocated == pln("0.00")
        # The breakdown still adds up: items - deductions = total.
        taken = sum((item.amount for item in refund.deductions), pln("0"))
        assert refund.items.gross - taken == refund.total

    def test_a_deduction_in_another_currency_is_refused(self, order):
        with pytest.raises(CurrencyMismatchError):
            calculate_refund(order, {"l1": 1}, deductions=[Deduction(kind="x", amount=eur("1"))])

    def test_something_that_is_not_a_deduction_is_refused(self, order):
        with pytest.raises(InvalidTypeError) as caught:
            calculate_refund(order, {"l1": 1}, deductions=[pln("1.00")])
        assert caught.value.field == "deductions"

    def test_a_deduction_needs_a_kind_and_a_non_negative_amount(self):
        with pytest.raises(InvalidValueError):
            Deduction(kind=" ", amount=pln("1.00"))
        with pytest.raises(InvalidValueError):
            Deduction(kind="fee", amount=pln("-1.00"))
        with pytest.raises(InvalidTypeError):
            Deduction(kind="fee", amount="1.00")


class TestTenders:
    @pytest.fixture
    def order(self, make_order):
        # 100.00 paid with a 30.00 gift card first, then 70.00 by card.
        return make_order(
            {"l1": (4, "25.00")}, payments=[("p1", "gift_card", "30.00"), ("p2", "card", "70.00")]
        )

    def split(self, refund):
        return [(part.payment_id, part.tender, part.amount) for part in refund.tenders]

    def test_payments_are_refunded_in_the_order_they_were_made_by_default(self, order):
        refund = calculate_refund(order, {"l1": 2})
        assert self.split(refund) == [
            ("p1", "gift_card", pln("30.00")),
            ("p2", "card", pln("20.00")),
        ]

    def test_the_tender_order_puts_the_named_tenders_first(self, order):
        refund = calculate_refund(order, {"l1": 2}, tender_order=["card"])
        assert self.split(refund) == [("p2", "card", pln("50.00"))]

    def test_a_tender_cap_limits_a_tender_and_the_rest_moves_on(self, order):
        refund = calculate_refund(order, {"l1": 2}, tender_caps={"gift_card": pln("5.00")})
        assert self.split(refund) == [
            ("p1", "gift_card", pln("5.00")),
            ("p2", "card", pln("45.00")),
        ]
        assert refund.unallocated == pln("0.00")

    def test_what_no_payment_can_take_back_is_left_unallocated(self, order, advance, placed):
        # Goodwill refunds of the whole gift card and 30.00 of the card leave 40.00 on the
        # card: a refund of 50.00 skips the gift card and leaves 10.00 unallocated.
        order = advance(order, RefundPayment, placed, payment_id="p1", amount=pln("30.00"))
        order = advance(order, RefundPayment, placed, payment_id="p2", amount=pln("30.00"))
        refund = calculate_refund(order, {"l1": 2})
        assert self.split(refund) == [("p2", "card", pln("40.00"))]
        assert refund.unallocated == pln("10.00")
        parts = sum((part.amount for part in refund.tenders), pln("0"))
        assert parts + refund.unallocated == refund.total

    def test_the_policys_tender_order_reaches_the_decisions_refund(
        self, order, make_request, placed
    ):
        policy = eu_policy(tender_order=["card", "gift_card"])
        decision = evaluate_return(
            policy, make_request("withdrawal", {"l1": 4}, at=placed), order=order, at=placed
        )
        assert decision.tender_order == ("card", "gift_card")
        assert self.split(decision.refund) == [
            ("p2", "card", pln("70.00")),
            ("p1", "gift_card", pln("30.00")),
        ]

    def test_store_credit_moves_no_money_back_to_the_payments(self, order):
        refund = calculate_refund(order, {"l1": 1}, method=RefundMethod.STORE_CREDIT)
        assert refund.store_credit == refund.total == pln("25.00")
        assert (refund.tenders, refund.unallocated) == ((), pln("0"))

    def test_an_exchange_moves_no_money_at_all(self, order):
        refund = calculate_refund(order, {"l1": 1}, method=RefundMethod.EXCHANGE)
        assert refund.total == pln("25.00")  # the value exchanged
        assert (refund.tenders, refund.store_credit, refund.unallocated) == (
            (),
            pln("0"),
            pln("0"),
        )

    def test_allocating_nothing_gives_no_parts(self, order):
        assert allocate_refund(order, pln("0")) == ((), pln("0"))

    def test_allocating_in_another_currency_is_refused(self, order):
        with pytest.raises(CurrencyMismatchError):
            allocate_refund(order, eur("10"))
        with pytest.raises(CurrencyMismatchError):
            allocate_refund(order, pln("10"), tender_caps={"card": eur("5")})

    def test_allocation_arguments_of_the_wrong_type_are_refused(self, order):
        with pytest.raises(InvalidTypeError):
            allocate_refund(order, "10.00")
        with pytest.raises(InvalidTypeError):
            allocate_refund(order, pln("10"), tender_order="card")
        with pytest.raises(InvalidTypeError) as caught:
            allocate_refund(order, pln("10"), tender_caps={"card": "5.00"})
        assert caught.value.field == "tender_caps['card']"


class TestFeeDeductions:
    @pytest.fixture
    def order(self, make_order):
        return make_order({"l1": (3, "19.99"), "l2": (1, "40.00")})

    def test_a_rate_is_taken_of_the_refunded_units_rounded_as_the_order_rounds(self, order):
        # 2 x 19.99 = 39.98; 15 % = 5.997 -> 6.00 (half up).
        fees = [
            FeeTerm(rule_id="r", line_id="l1", fee=Fee(kind="restocking_fee", rate=Decimal("0.15")))
        ]
        (deduction,) = fee_deductions(order, [LineQuantity(line_id="l1", quantity=2)], fees)
        assert (deduction.amount, deduction.line_id, deduction.rule_id) == (
            pln("6.00"),
            "l1",
            "r",
        )

    def test_a_fixed_fee_is_charged_per_refunded_unit(self, order):
        fees = [FeeTerm(rule_id="r", line_id="l1", fee=Fee(kind="x", amount=pln("1.25")))]
        (deduction,) = fee_deductions(order, [LineQuantity(line_id="l1", quantity=3)], fees)
        assert deduction.amount == pln("3.75")

    def test_a_per_return_fee_is_charged_once_per_rule_however_many_lines_carry_it(self, order):
        fee = Fee(kind="return_shipping", amount=pln("9.99"), per_return=True)
        other = Fee(kind="return_shipping", amount=pln("1.00"), per_return=True)
        fees = [
            FeeTerm(rule_id="label", line_id="l1", fee=fee),
            FeeTerm(rule_id="label", line_id="l2", fee=fee),
            FeeTerm(rule_id="insurance", line_id="l2", fee=other),
        ]
        units = [LineQuantity(line_id="l1", quantity=1), LineQuantity(line_id="l2", quantity=1)]
        charged = fee_deductions(order, units, fees)
        assert [(item.rule_id, item.amount, item.line_id) for item in charged] == [
            ("label", pln("9.99"), None),
            ("insurance", pln("1.00"), None),
        ]

    def test_fees_of_lines_with_no_refunded_units_are_not_charged(self, order):
        fees = [
            FeeTerm(rule_id="r", line_id="l2", fee=Fee(kind="x", amount=pln("1.00"))),
            FeeTerm(rule_id="s", line_id="l2", fee=Fee(kind="y", amount=pln("2"), per_return=True)),
        ]
        assert fee_deductions(order, [LineQuantity(line_id="l1", quantity=1)], fees) == ()

    def test_a_fee_with_neither_rate_nor_amount_charges_nothing(self, order):
        fees = [FeeTerm(rule_id="r", line_id="l1", fee=Fee(kind="x"))]
        assert fee_deductions(order, [LineQuantity(line_id="l1", quantity=1)], fees) == ()

    def test_a_decisions_fees_charge_only_the_units_that_actually_come_back(
        self, order, make_request, placed
    ):
        policy = ReturnPolicy(
            name="store",
            version="1",
            rules=[
                RestockingFee(rule_id="restock", rate=Decimal("0.1")),
                ReturnShippingFee(rule_id="label", amounts=[pln("5.00")]),
            ],
        )
        decision = evaluate_return(
            policy, make_request("voluntary", {"l1": 3}, at=placed), order=order, at=placed
        )
        # Estimate: 59.97 x 10 % = 5.997 -> 6.00, plus 5.00 once.
        assert [d.amount for d in decision.refund.deductions] == [pln("6.00"), pln("5.00")]
        # Only one unit comes back: 19.99 x 10 % = 1.999 -> 2.00, and the label still 5.00.
        back = [LineQuantity(line_id="l1", quantity=1)]
        assert [d.amount for d in fee_deductions(order, back, decision.fees)] == [
            pln("2.00"),
            pln("5.00"),
        ]
