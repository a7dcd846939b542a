"""The voluntary rule types, fees and refund terms, scopes, and host rule types."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pendulum
import pytest

from ecomkit.errors import (
    FloatNotAllowedError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
)
from ecomkit.money import Money
from ecomkit.returns import (
    AcceptedConditions,
    DeductionKind,
    ExchangeNotOffered,
    FinalSale,
    Finding,
    LineOutcome,
    Message,
    MessageTemplate,
    NotReturnable,
    OriginalShippingRefund,
    ReasonRequired,
    RefundMethod,
    RefundMethods,
    RestockingFee,
    ReturnLine,
    ReturnPolicy,
    ReturnRule,
    ReturnShippingFee,
    ReturnWindow,
    ReviewAbove,
    Scope,
    ShippingRefund,
    StoreCreditAfter,
    Verdict,
    WindowStart,
    WithdrawalExceptions,
    eu_policy,
    evaluate_return,
    register_message,
    register_rule_type,
    rule_types,
    window,
)


ZONE = "Europe/Warsaw"


def local(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=ZONE)


def pln(amount: str) -> Money:
    return Money(amount, "PLN")


def policy(*rules: ReturnRule, tender_order=()) -> ReturnPolicy:
    return ReturnPolicy(name="store", version="1", rules=rules, tender_order=tender_order)


def codes(line) -> list[str]:
    return [reason.message.code for reason in line.reasons]


def decide(rules, request, order, at=None):
    chosen = rules if isinstance(rules, ReturnPolicy) else policy(*rules)
    return evaluate_return(
        chosen, request, order=order, at=request.requested_at if at is None else at
    )


@pytest.fixture
def ask(make_request, placed):
    """Decide a request of *kind* made when the default order was delivered."""

    def run(rules, order, lines, kind="voluntary", **fields):
        return decide(rules, make_request(kind, lines, at=placed, **fields), order)

    return run


# ---------------------------------------------------------------------- windows


class TestReturnWindow:
    @pytest.fixture
    def order(self, make_order):
        # l1 delivered Monday 2 March, l2 delivered Friday 20 March.
        return make_order(
            {"l1": (1, "10.00"), "l2": (1, "10.00")},
            deliveries={
                "s1": ({"l1": 1}, local(2026, 3, 2, 10)),
                "s2": ({"l2": 1}, local(2026, 3, 20, 10)),
            },
        )

    @pytest.mark.parametrize(
        ("start", "line_id", "outcome"),
        [
            # 14 days from 2 March end on 16 March; from 20 March on 3 April.
            (WindowStart.ITEM_DELIVERY, "l1", LineOutcome.DECLINED),
            (WindowStart.ITEM_DELIVERY, "l2", LineOutcome.APPROVED),
            (WindowStart.FIRST_ITEM_DELIVERY, "l2", LineOutcome.DECLINED),
            (WindowStart.LAST_ITEM_DELIVERY, "l1", LineOutcome.APPROVED),
        ],
    )
    def test_the_window_counts_from_the_delivery_it_names(
        self, order, make_request, start, line_id, outcome
    ):
        rule = ReturnWindow(rule_id="window", days=14, start=start)
        request = make_request("voluntary", {line_id: 1}, at=local(2026, 3, 25, 12))
        assert decide([rule], request, order).outcome is outcome

    def test_the_start_is_item_delivery_by_default_and_accepts_its_string_value(self):
        assert ReturnWindow(rule_id="w", days=30).start is WindowStart.ITEM_DELIVERY
        assert ReturnWindow(rule_id="w", days=30, start="last_item_delivery").start is (
            WindowStart.LAST_ITEM_DELIVERY
        )

    def test_a_line_split_over_two_parcels_counts_from_the_later_one(
        self, make_order, make_request
    ):
        # Parcel s1 arrives on 20 March, parcel s2 (packed later) already on 2 March.
        order = make_order(
            {"l1": (2, "10.00")},
            deliveries={
                "s1": ({"l1": 1}, local(2026, 3, 20, 10)),
                "s2": ({"l1": 1}, local(2026, 3, 2, 10)),
            },
        )
        rule = ReturnWindow(rule_id="window", days=14)
        request = make_request("voluntary", {"l1": 2}, at=local(2026, 3, 25, 12))
        decision = decide([rule], request, order)
        assert decision.outcome is LineOutcome.APPROVED
        assert decision.line("l1").reasons[0].message.args["deadline"] == local(2026, 4, 3).date()

    def test_a_window_counted_from_a_delivery_still_to_come_has_not_started(
        self, make_order, make_request
    ):
        order = make_order(
            {"l1": (1, "10.00"), "l2": (1, "10.00")},
            deliveries={"s1": ({"l1": 1}, local(2026, 3, 2, 10)), "s2": ({"l2": 1}, None)},
        )
        rule = ReturnWindow(rule_id="window", days=14, start="last_item_delivery")
        request = make_request("voluntary", {"l1": 1}, at=local(2026, 6, 1, 12))
        decision = decide([rule], request, order)
        assert decision.outcome is LineOutcome.APPROVED
        assert codes(decision.line("l1")) == ["window.not_started"]

    def test_the_reason_says_how_long_the_window_is_and_when_it_ends(self, order, make_request):
        rule = ReturnWindow(rule_id="window", days=30)
        decision = decide([rule], make_request("voluntary", {"l1": 1}, at=local(2026, 3, 5)), order)
        (found,) = decision.line("l1").reasons
        assert found.rule_id == "window"
        assert found.render() == "Within the return period of 30 days; it ends on April 1, 2026."

    @pytest.mark.parametrize("days", [0, -3])
    def test_a_window_of_no_days_is_refused(self, days):
        with pytest.raises(InvalidValueError) as caught:
            ReturnWindow(rule_id="window", days=days)
        assert caught.value.field == "days"

    def test_a_calendar_that_is_not_a_business_calendar_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            ReturnWindow(rule_id="window", days=30, calendar=["2026-05-01"])
        assert caught.value.field == "calendar"

    def test_the_window_does_not_apply_to_statutory_withdrawals(self, order, make_request):
        rule = ReturnWindow(rule_id="window", days=1)
        request = make_request("withdrawal", {"l1": 1}, at=local(2026, 3, 10, 12))
        decision = decide([rule], request, order)
        assert decision.outcome is LineOutcome.APPROVED
        assert decision.line("l1").reasons == ()


# ---------------------------------------------------------------------- what can come back


class TestWhatCanComeBack:
    @pytest.fixture
    def order(self, make_order):
        return make_order({"l1": (1, "10.00"), "l2": (1, "20.00")})

    def test_final_sale_items_are_declined_on_a_voluntary_return(self, order, make_request, placed):
        request = make_request(
            "voluntary",
            [
                ReturnLine(line_id="l1", quantity=1, traits=["final_sale"]),
                ReturnLine(line_id="l2", quantity=1),
            ],
            at=placed,
        )
        decision = decide([FinalSale(rule_id="final")], request, order)
        assert decision.line("l1").outcome is LineOutcome.DECLINED
        assert codes(decision.line("l1")) == ["final_sale"]
        assert decision.line("l2").outcome is LineOutcome.APPROVED
        assert decision.outcome is LineOutcome.PARTIALLY_APPROVED

    def test_final_sale_does_not_take_away_the_statutory_withdrawal(
        self, order, make_request, placed
    ):
        line = ReturnLine(line_id="l1", quantity=1, traits=["final_sale"])
        decision = decide(
            [FinalSale(rule_id="final")], make_request("withdrawal", [line], at=placed), order
        )
        assert decision.outcome is LineOutcome.APPROVED

    def test_not_returnable_declines_only_the_categories_in_its_scope(
        self, order, make_request, placed
    ):
        rule = NotReturnable(rule_id="gift-cards", scope=Scope(categories=["gift-cards"]))
        request = make_request(
            "voluntary",
            [
                ReturnLine(line_id="l1", quantity=1, categories=["gift-cards", "digital"]),
                ReturnLine(line_id="l2", quantity=1, categories=["shoes"]),
            ],
            at=placed,
        )
        decision = decide([rule], request, order)
        (found,) = decision.line("l1").reasons
        assert (found.rule_id, found.message.code, found.observed) == (
            "gift-cards",
            "not_returnable",
            "SKU-l1",
        )
        assert decision.line("l2").outcome is LineOutcome.APPROVED

    @pytest.mark.parametrize(
        ("condition", "outcome", "code"),
        [
            ("unopened", LineOutcome.APPROVED, None),
            ("opened", LineOutcome.APPROVED, None),
            ("used", LineOutcome.DECLINED, "condition.used.declined"),
            ("damaged", LineOutcome.DECLINED, "condition.damaged.declined"),
        ],
    )
    def test_by_default_unopened_and_opened_goods_are_accepted_and_others_declined(
        self, order, ask, condition, outcome, code
    ):
        line = ReturnLine(line_id="l1", quantity=1, condition=condition)
        decision = ask([AcceptedConditions(rule_id="conditions")], order, [line])
        assert decision.outcome is outcome
        assert codes(decision.line("l1")) == ([] if code is None else [code])

    def test_conditions_listed_for_review_go_to_a_person(self, order, make_request, placed):
        rule = AcceptedConditions(rule_id="conditions", accept=["unopened"], review=["opened"])
        line = ReturnLine(line_id="l1", quantity=1, condition="opened")
        decision = decide([rule], make_request("voluntary", [line], at=placed), order)
        assert decision.outcome is LineOutcome.NEEDS_REVIEW
        (found,) = decision.line("l1").reasons
        assert (found.message.code, found.observed, found.threshold) == (
            "condition.opened.review",
            "opened",
            "unopened",
        )

    def test_accepted_conditions_must_include_unopened(self):
        with pytest.raises(InvalidValueError) as caught:
            AcceptedConditions(rule_id="conditions", accept=["opened"])
        assert caught.value.field == "accept"

    def test_a_condition_cannot_be_both_accepted_and_reviewed(self):
        with pytest.raises(InvalidValueError) as caught:
            AcceptedConditions(rule_id="c", accept=["unopened", "opened"], review=["opened"])
        assert caught.value.field == "review"

    @pytest.mark.parametrize(
        ("reasons", "given", "outcome"),
        [
            ((), None, LineOutcome.DECLINED),
            ((), "changed_mind", LineOutcome.APPROVED),
            (("too_small", "too_big"), "changed_mind", LineOutcome.DECLINED),
            (("too_small", "too_big"), "too_big", LineOutcome.APPROVED),
        ],
    )
    def test_a_reason_is_required_and_must_be_an_accepted_one_when_a_list_is_given(
        self, order, ask, reasons, given, outcome
    ):
        rule = ReasonRequired(rule_id="reason", reasons=reasons)
        decision = ask([rule], order, [ReturnLine(line_id="l1", quantity=1, reason=given)])
        assert decision.outcome is outcome

    def test_the_declined_reason_shows_the_accepted_codes(self, order, make_request, placed):
        rule = ReasonRequired(rule_id="reason", reasons=["too_small", "too_big"])
        line = ReturnLine(line_id="l1", quantity=1, reason="changed_mind")
        (found,) = (
            decide([rule], make_request("voluntary", [line], at=placed), order).line("l1").reasons
        )
        assert (found.observed, found.threshold) == ("changed_mind", "too_big,too_small")

    @pytest.mark.parametrize(
        ("exchange_for", "method", "outcome"),
        [
            ("SHOE-43", "original_payment", LineOutcome.DECLINED),
            (None, "exchange", LineOutcome.DECLINED),
            (None, "original_payment", LineOutcome.APPROVED),
        ],
    )
    def test_items_without_exchange_can_still_be_refunded(
        self, order, ask, exchange_for, method, outcome
    ):
        line = ReturnLine(line_id="l1", quantity=1, exchange_for=exchange_for)
        rule = ExchangeNotOffered(rule_id="no-exchange")
        decision = ask([rule], order, [line], refund_method=method)
        assert decision.outcome is outcome


# ---------------------------------------------------------------------- fees


class TestRestockingFee:
    @pytest.fixture
    def order(self, make_order):
        return make_order({"l1": (2, "19.99"), "l2": (1, "50.00")})

    def test_a_rate_is_charged_on_the_value_of_the_returned_units(
        self, order, make_request, placed
    ):
        # 2 x 19.99 = 39.98; 10 % = 3.998 -> 4.00; refund 39.98 - 4.00 = 35.98.
        rule = RestockingFee(rule_id="restock", rate=Decimal("0.1"))
        decision = decide([rule], make_request("voluntary", {"l1": 2}, at=placed), order)
        (deduction,) = decision.refund.deductions
        assert (deduction.kind, deduction.amount, deduction.rule_id, deduction.line_id) == (
            DeductionKind.RESTOCKING_FEE,
            pln("4.00"),
            "restock",
            "l1",
        )
        assert decision.refund.total == pln("35.98")
        (note,) = decision.line("l1").reasons
        assert note.verdict is Verdict.NOTE
        assert note.render() == "A restocking fee of 10% applies: PLN4.00."

    def test_a_fixed_fee_is_charged_per_unit_in_the_orders_currency(
        self, order, make_request, placed
    ):
        # 2 units x 2.50 = 5.00; 39.98 - 5.00 = 34.98.
        rule = RestockingFee(rule_id="restock", amounts=[Money("1", "EUR"), pln("2.50")])
        decision = decide([rule], make_request("voluntary", {"l1": 2}, at=placed), order)
        assert [d.amount for d in decision.refund.deductions] == [pln("5.00")]
        assert decision.refund.total == pln("34.98")

    def test_a_fixed_fee_missing_for_the_orders_currency_sends_the_line_to_review(
        self, order, make_request, placed
    ):
        rule = RestockingFee(rule_id="restock", amounts=[Money("1", "EUR")])
        decision = decide([rule], make_request("voluntary", {"l1": 1}, at=placed), order)
        assert decision.outcome is LineOutcome.NEEDS_REVIEW
        assert codes(decision.line("l1")) == ["fee.no_amount"]
        assert decision.line("l1").reasons[0].observed == "PLN"

    def test_no_restocking_fee_is_charged_on_a_statutory_withdrawal(
        self, order, make_request, placed
    ):
        rule = RestockingFee(rule_id="restock", rate=Decimal("0.2"))
        decision = decide([rule], make_request("withdrawal", {"l1": 2}, at=placed), order)
        assert codes(decision.line("l1")) == ["fee.waived_withdrawal"]
        assert decision.fees == ()
        assert decision.refund.deductions == ()
        assert decision.refund.total == pln("39.98")

    def test_fees_of_declined_lines_are_not_charged(self, order, make_request, placed):
        rules = [
            FinalSale(rule_id="final"),
            RestockingFee(rule_id="restock", amounts=[pln("3.00")]),
        ]
        request = make_request(
            "voluntary",
            [
                ReturnLine(line_id="l1", quantity=2, traits=["final_sale"]),
                ReturnLine(line_id="l2", quantity=1),
            ],
            at=placed,
        )
        decision = decide(rules, request, order)
        assert [(fee.line_id, fee.fee.amount) for fee in decision.fees] == [("l2", pln("3.00"))]
        assert [(d.line_id, d.amount) for d in decision.refund.deductions] == [("l2", pln("3.00"))]

    def test_a_fee_is_given_as_either_a_rate_or_amounts(self):
        with pytest.raises(InvalidValueError):
            RestockingFee(rule_id="restock")
        with pytest.raises(InvalidValueError):
            RestockingFee(rule_id="restock", rate=Decimal("0.1"), amounts=[pln("1")])

    def test_a_float_rate_is_refused(self):
        with pytest.raises(FloatNotAllowedError):
            RestockingFee(rule_id="restock", rate=0.1)

    @pytest.mark.parametrize("rate", [Decimal(0), Decimal("1.5"), 2])
    def test_a_rate_outside_zero_to_one_is_refused(self, rate):
        with pytest.raises(InvalidValueError) as caught:
            RestockingFee(rule_id="restock", rate=rate)
        assert caught.value.field == "rate"

    def test_amounts_must_be_non_negative_and_one_per_currency(self):
        with pytest.raises(InvalidValueError):
            RestockingFee(rule_id="restock", amounts=[pln("-1.00")])
        with pytest.raises(InvalidValueError):
            RestockingFee(rule_id="restock", amounts=[pln("1.00"), pln("2.00")])
        with pytest.raises(InvalidTypeError):
            RestockingFee(rule_id="restock", amounts=["1.00 PLN"])

    @pytest.mark.parametrize(
        ("rule_type", "fields", "field"),
        [
            (RestockingFee, {"amounts": 5}, "amounts"),
            (RestockingFee, {"rate": "0.1"}, "rate"),
            (AcceptedConditions, {"accept": "unopened"}, "conditions"),
            (ReviewAbove, {"amounts": "100 PLN"}, "amounts"),
        ],
    )
    def test_rule_parameters_of_the_wrong_type_are_refused(self, rule_type, fields, field):
        with pytest.raises(InvalidTypeError) as caught:
            rule_type(rule_id="r", **fields)
        assert caught.value.field == field


class TestReturnShippingFee:
    @pytest.fixture
    def order(self, make_order):
        return make_order({"l1": (1, "30.00"), "l2": (1, "20.00")})

    def test_the_fee_is_charged_once_per_return_not_per_line(self, order, make_request, placed):
        rule = ReturnShippingFee(rule_id="label", amounts=pln("9.99"))
        decision = decide([rule], make_request("voluntary", {"l1": 1, "l2": 1}, at=placed), order)
        (deduction,) = decision.refund.deductions
        assert (deduction.kind, deduction.amount, deduction.line_id) == (
            DeductionKind.RETURN_SHIPPING,
            pln("9.99"),
            None,
        )
        assert decision.refund.total == pln("40.01")  # 50.00 - 9.99

    def test_the_fee_is_not_charged_on_a_withdrawal_unless_the_customer_was_told(
        self, order, make_request, placed
    ):
        request = make_request("withdrawal", {"l1": 1}, at=placed)
        free = decide([ReturnShippingFee(rule_id="label", amounts=[pln("9.99")])], request, order)
        charged = decide(
            [ReturnShippingFee(rule_id="label", amounts=[pln("9.99")], charge_on_withdrawal=True)],
            request,
            order,
        )
        assert free.refund.total == pln("30.00")
        assert charged.refund.total == pln("20.01")

    def test_the_eu_preset_charges_the_return_costs_it_is_given_on_withdrawal(
        self, order, make_request, placed
    ):
        rules = eu_policy(return_costs=[pln("12.00")])
        decision = decide(rules, make_request("withdrawal", {"l1": 1}, at=placed), order)
        assert [(d.rule_id, d.amount) for d in decision.refund.deductions] == [
            ("eu.return_costs", pln("12.00"))
        ]

    def test_the_fee_never_takes_the_refund_below_zero(self, make_order, make_request, placed):
        order = make_order({"l1": (1, "5.00")})
        rule = ReturnShippingFee(rule_id="label", amounts=[pln("9.99")])
        decision = decide([rule], make_request("voluntary", {"l1": 1}, at=placed), order)
        assert decision.refund.deductions[0].amount == pln("5.00")
        assert decision.refund.total == pln("0.00")

    def test_a_fee_missing_for_the_orders_currency_sends_the_return_to_review(
        self, order, make_request, placed
    ):
        rule = ReturnShippingFee(rule_id="label", amounts=[Money("4.99", "EUR")])
        decision = decide([rule], make_request("voluntary", {"l1": 1}, at=placed), order)
        assert decision.outcome is LineOutcome.NEEDS_REVIEW
        assert codes(decision.line("l1")) == ["fee.no_amount"]
        assert "PLN" in decision.explain()[0]


class TestRefundTerms:
    @pytest.fixture
    def order(self, make_order):
        # 4 units at 25.00 + 10.00 delivery = 110.00, paid by card.
        return make_order({"l1": (4, "25.00")}, shipping="10.00")

    def test_after_the_days_given_refunds_become_store_credit(self, order, make_request):
        rule = StoreCreditAfter(rule_id="credit", days=14)
        request = make_request("voluntary", {"l1": 1}, at=local(2026, 3, 17, 9))
        decision = decide([rule], request, order)
        assert decision.refund_method is RefundMethod.STORE_CREDIT
        assert decision.allowed_methods == (RefundMethod.STORE_CREDIT, RefundMethod.EXCHANGE)
        assert codes(decision.line("l1")) == ["refund.store_credit_only"]
        assert decision.refund.store_credit == pln("25.00")
        assert decision.refund.tenders == ()

    def test_within_the_days_given_the_original_payment_is_refunded(self, order, make_request):
        rule = StoreCreditAfter(rule_id="credit", days=14)
        request = make_request("voluntary", {"l1": 1}, at=local(2026, 3, 16, 23))
        decision = decide([rule], request, order)
        assert decision.refund_method is RefundMethod.ORIGINAL_PAYMENT
        assert decision.allowed_methods == tuple(RefundMethod)
        assert decision.line("l1").reasons == ()
        assert [(t.payment_id, t.amount) for t in decision.refund.tenders] == [("p1", pln("25.00"))]

    def test_a_customer_who_asks_for_an_exchange_keeps_it_when_only_store_credit_is_left(
        self, order, make_request
    ):
        rule = StoreCreditAfter(rule_id="credit", days=14)
        request = make_request(
            "voluntary", {"l1": 1}, at=local(2026, 4, 1, 9), refund_method="exchange"
        )
        decision = decide([rule], request, order)
        assert decision.refund_method is RefundMethod.EXCHANGE
        assert decision.refund.total == pln("25.00")
        assert (decision.refund.tenders, decision.refund.store_credit) == ((), pln("0"))

    @pytest.mark.parametrize(
        ("value", "outcome"),
        [("150.00", LineOutcome.APPROVED), ("150.01", LineOutcome.NEEDS_REVIEW)],
    )
    def test_lines_worth_more_than_the_threshold_are_reviewed(
        self, make_order, make_request, placed, value, outcome
    ):
        order = make_order({"l1": (1, value)})
        rule = ReviewAbove(rule_id="big", amounts=[pln("150.00"), Money("10", "EUR")])
        decision = decide([rule], make_request("voluntary", {"l1": 1}, at=placed), order)
        assert decision.outcome is outcome

    def test_a_review_threshold_in_another_currency_reviews_nothing(
        self, make_order, make_request, placed
    ):
        order = make_order({"l1": (1, "9999.00")})
        rule = ReviewAbove(rule_id="big", amounts=[Money("10", "EUR")])
        decision = decide([rule], make_request("voluntary", {"l1": 1}, at=placed), order)
        assert decision.outcome is LineOutcome.APPROVED

    @pytest.mark.parametrize(
        ("mode", "units", "shipping"),
        [
            (ShippingRefund.NONE, 4, "0.00"),
            (ShippingRefund.WHEN_ALL_RETURNED, 3, "0.00"),
            (ShippingRefund.WHEN_ALL_RETURNED, 4, "10.00"),
            (ShippingRefund.PRO_RATA, 1, "2.50"),  # 10.00 x 1/4
            (ShippingRefund.PRO_RATA, 3, "7.50"),
        ],
    )
    def test_the_original_delivery_price_comes_back_as_the_mode_says(
        self, order, ask, mode, units, shipping
    ):
        rule = OriginalShippingRefund(rule_id="delivery", mode=mode)
        decision = ask([rule], order, {"l1": units})
        assert decision.shipping is mode
        assert decision.refund.shipping == pln(shipping)
        assert decision.refund.total == pln("25.00") * units + pln(shipping)

    def test_a_cap_limits_the_delivery_refund_to_the_cheapest_standard_option(
        self, make_order, make_request, placed
    ):
        # Express delivery cost 30.00; the cheapest standard delivery is 12.00.
        order = make_order({"l1": (1, "100.00")}, shipping="30.00")
        decision = decide(
            eu_policy(standard_delivery=[pln("12.00")]),
            make_request("withdrawal", {"l1": 1}, at=placed),
            order,
        )
        assert decision.shipping is ShippingRefund.WHEN_ALL_RETURNED
        assert decision.shipping_cap == pln("12.00")
        assert decision.refund.shipping == pln("12.00")
        assert decision.refund.total == pln("112.00")

    def test_a_pro_rata_share_is_taken_of_the_cap(self, order, make_request, placed):
        rule = OriginalShippingRefund(rule_id="delivery", mode="pro_rata", caps=[pln("6.00")])
        decision = decide([rule], make_request("voluntary", {"l1": 1}, at=placed), order)
        assert decision.refund.shipping == pln("1.50")  # 6.00 x 1/4

    def test_without_a_shipping_rule_delivery_is_not_refunded(self, order, make_request, placed):
        decision = decide(
            [ReturnWindow(rule_id="w", days=30)],
            make_request("voluntary", {"l1": 4}, at=placed),
            order,
        )
        assert decision.shipping is ShippingRefund.NONE
        assert decision.refund.shipping == pln("0")


# ---------------------------------------------------------------------- scopes


class TestScope:
    @pytest.fixture
    def order(self, make_order):
        return make_order({"l1": (1, "10.00")}, channel="web", country="PL")

    def blocked(self, order, make_request, placed, scope, **request_fields):
        line = ReturnLine(line_id="l1", quantity=1, categories=["swimwear"], product_id="SWIM-1")
        rule = NotReturnable(rule_id="blocked", scope=scope)
        request = make_request("voluntary", [line], at=placed, **request_fields)
        return decide([rule], request, order).outcome is LineOutcome.DECLINED

    @pytest.mark.parametrize(
        ("scope", "applies"),
        [
            (Scope(), True),
            (Scope(categories=["swimwear", "lingerie"]), True),
            (Scope(categories=["shoes"]), False),
            (Scope(products=["SWIM-1"]), True),
            (Scope(products=["SKU-l1"]), True),  # the order line's SKU matches as well
            (Scope(products=["SWIM-2"]), False),
            (Scope(channels=["web"]), True),
            (Scope(channels=["marketplace"]), False),
            (Scope(countries=["pl"]), True),  # codes are upper-cased
            (Scope(countries=["DE"]), False),
            (Scope(kinds=["voluntary"]), True),
            (Scope(categories=["swimwear"], channels=["marketplace"]), False),
        ],
    )
    def test_a_rule_applies_only_when_every_dimension_given_matches(
        self, order, make_request, placed, scope, applies
    ):
        assert self.blocked(order, make_request, placed, scope) is applies

    def test_the_requests_country_wins_over_the_shipping_address(self, order, make_request, placed):
        scope = Scope(countries=["DE"])
        assert self.blocked(order, make_request, placed, scope, country="de")
        assert not self.blocked(order, make_request, placed, scope, country="PL")

    def test_customer_groups_match_the_requests_group(self, order, make_request, placed):
        scope = Scope(customer_groups=["outlet"])
        assert self.blocked(order, make_request, placed, scope, customer_group="outlet")
        assert not self.blocked(order, make_request, placed, scope, customer_group="vip")
        assert not self.blocked(order, make_request, placed, scope)

    def test_a_rule_scoped_to_complaints_leaves_other_kinds_alone(
        self, order, make_request, placed
    ):
        rule = ReviewAbove(rule_id="big", amounts=[pln("1.00")], scope=Scope(kinds=["complaint"]))
        voluntary = decide([rule], make_request("voluntary", {"l1": 1}, at=placed), order)
        complaint = decide([rule], make_request("complaint", {"l1": 1}, at=placed), order)
        assert voluntary.outcome is LineOutcome.APPROVED
        assert complaint.outcome is LineOutcome.NEEDS_REVIEW

    def test_is_universal_ignores_kinds(self):
        assert Scope(kinds=["voluntary"]).is_universal
        assert not Scope(customer_groups=["vip"]).is_universal

    @pytest.mark.parametrize(
        ("rule_type", "fields", "kind"),
        [
            (ReturnWindow, {"days": 30}, "withdrawal"),
            (FinalSale, {}, "complaint"),
            (WithdrawalExceptions, {}, "voluntary"),
        ],
    )
    def test_a_scope_naming_kinds_the_rule_type_cannot_handle_is_refused(
        self, rule_type, fields, kind
    ):
        with pytest.raises(InvalidValueError) as caught:
            rule_type(rule_id="r", scope=Scope(kinds=[kind]), **fields)
        assert caught.value.field == "scope.kinds"
        assert rule_type.__name__ in caught.value.reason

    def test_a_scope_that_is_not_a_scope_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            FinalSale(rule_id="final", scope={"categories": ["x"]})
        assert caught.value.field == "scope"

    def test_scope_values_are_validated(self):
        with pytest.raises(InvalidValueError):
            Scope(kinds=["exchange"])
        with pytest.raises(InvalidTypeError):
            Scope(channels="web")
        with pytest.raises(InvalidTypeError):
            Scope(kinds="voluntary")
        with pytest.raises(InvalidValueError):
            Scope(categories=[""])

    def test_a_rule_id_must_be_short_non_blank_text(self):
        with pytest.raises(InvalidValueError):
            FinalSale(rule_id=" ")
        with pytest.raises(InvalidValueError):
            FinalSale(rule_id="x" * 101)


# ---------------------------------------------------------------------- host rule types


@pytest.fixture
def no_returns_on_sundays(request) -> type:
    """A host rule type and its message, both unregistered again after the test."""
    request.getfixturevalue("clean_rule_registry")
    request.getfixturevalue("clean_message_registry")
    register_message(MessageTemplate(code="test.sunday", text="No returns on Sundays."))

    @attrs.frozen(kw_only=True)
    class HostTestNoSundayReturns(ReturnRule):
        def check(self, context):
            at = pendulum.instance(context.at).in_timezone(context.facts.zone)
            if at.day_of_week == pendulum.SUNDAY:
                yield Finding(
                    verdict=Verdict.DECLINE,
                    message=Message("test.sunday"),
                    observed=at.date().isoformat(),
                )

    return register_rule_type(HostTestNoSundayReturns)


@attrs.frozen(kw_only=True)
class OnlyTheseMethods(ReturnRule):
    """A host rule that narrows the refund methods (not registered: policies need not be)."""

    methods: frozenset[RefundMethod]

    def check(self, _context):
        yield Finding(
            verdict=Verdict.NOTE, message=None, effect=RefundMethods(allowed=self.methods)
        )


class TestRefundMethodChoice:
    def test_when_the_rules_allow_only_an_exchange_the_decision_offers_it(
        self, make_order, make_request, placed
    ):
        rule = OnlyTheseMethods(rule_id="only", methods=frozenset({RefundMethod.EXCHANGE}))
        decision = decide([rule], make_request("voluntary", {"l1": 1}, at=placed), make_order())
        assert decision.allowed_methods == (RefundMethod.EXCHANGE,)
        assert decision.refund_method is RefundMethod.EXCHANGE
        assert decision.line("l1").reasons == ()  # an effect without a message is no reason

    def test_rules_that_leave_no_method_at_all_fall_back_to_store_credit(
        self, make_order, make_request
    ):
        rules = [
            OnlyTheseMethods(rule_id="only", methods=frozenset({RefundMethod.ORIGINAL_PAYMENT})),
            StoreCreditAfter(rule_id="credit", days=14),
        ]
        request = make_request("voluntary", {"l1": 1}, at=local(2026, 4, 1, 12))
        decision = decide(rules, request, make_order())
        assert decision.allowed_methods == ()
        assert decision.refund_method is RefundMethod.STORE_CREDIT

    def test_store_credit_after_waits_for_the_delivery_it_counts_from(
        self, make_order, make_request
    ):
        order = make_order(
            {"l1": (1, "10.00"), "l2": (1, "10.00")},
            deliveries={"s1": ({"l1": 1}, local(2026, 3, 2, 10)), "s2": ({"l2": 1}, None)},
        )
        rule = StoreCreditAfter(rule_id="credit", days=14, start="last_item_delivery")
        request = make_request("voluntary", {"l1": 1}, at=local(2026, 6, 1, 12))
        assert decide([rule], request, order).refund_method is RefundMethod.ORIGINAL_PAYMENT


class TestHostRuleTypes:
    def test_a_registered_host_rule_takes_part_in_decisions(
        self, no_returns_on_sundays, make_order, make_request
    ):
        rule = no_returns_on_sundays(rule_id="sunday")
        order = make_order()
        sunday = decide([rule], make_request("voluntary", {"l1": 1}, at=local(2026, 3, 8)), order)
        monday = decide([rule], make_request("voluntary", {"l1": 1}, at=local(2026, 3, 9)), order)
        assert sunday.outcome is LineOutcome.DECLINED
        assert sunday.explain() == ("No returns on Sundays.",)
        assert sunday.line("l1").reasons[0].observed == "2026-03-08"
        assert monday.outcome is LineOutcome.APPROVED

    def test_a_registered_rule_type_is_listed_by_its_class_name(self, no_returns_on_sundays):
        assert rule_types()["HostTestNoSundayReturns"] is no_returns_on_sundays
        assert rule_types()["ReturnWindow"] is ReturnWindow

    def test_registering_the_same_class_again_is_harmless(self, no_returns_on_sundays):
        assert register_rule_type(no_returns_on_sundays) is no_returns_on_sundays

    @pytest.mark.usefixtures("clean_rule_registry")
    def test_another_class_under_a_registered_name_is_refused(self):
        @attrs.frozen(kw_only=True)
        class ReturnWindow(ReturnRule):  # the built-in type's name, on purpose
            def check(self, _context):
                return iter(())

        with pytest.raises(InvalidValueError) as caught:
            register_rule_type(ReturnWindow)
        assert caught.value.value == "ReturnWindow"

    def test_something_that_is_not_a_rule_type_cannot_be_registered(self):
        with pytest.raises(InvalidTypeError):
            register_rule_type(dict)

    @pytest.mark.usefixtures("clean_rule_registry")
    def test_the_rule_type_listing_is_a_copy(self):
        listing = rule_types()
        listing.clear()
        assert "ReturnWindow" in rule_types()


def test_a_window_refuses_a_start_without_a_timezone():
    zone = pendulum.timezone("Europe/Warsaw")
    with pytest.raises(NaiveDateTimeError) as caught:
        window(dt.datetime(2026, 3, 2, 12, 0), zone, days=14)  # noqa: DTZ001 - naive on purpose
    assert caught.value.field == "start"
