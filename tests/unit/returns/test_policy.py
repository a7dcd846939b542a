"""ReturnPolicy and the legal presets: what a policy holds, and what it refuses."""

from __future__ import annotations

import datetime as dt

import pytest

from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.money import Money
from ecomkit.returns import (
    COUNTRY_RULES,
    QUANTITY_RULE_ID,
    ComplaintPeriod,
    ComplaintResponse,
    CountryRules,
    FinalSale,
    OriginalShippingRefund,
    ReturnKind,
    ReturnPolicy,
    ReturnShippingFee,
    ReturnWindow,
    ReviewAbove,
    Scope,
    ShippingRefund,
    Verdict,
    WithdrawalExceptions,
    WithdrawalPeriod,
    complaint_rules,
    eu_policy,
    eu_withdrawal_rules,
)
from ecomkit.time import BusinessCalendar


def ids(rules) -> list[str]:
    return [rule.rule_id for rule in rules]


class TestReturnPolicy:
    def test_a_policy_keeps_its_rules_in_order(self):
        rules = [ReturnWindow(rule_id="window", days=30), FinalSale(rule_id="final")]
        policy = ReturnPolicy(name="Shop", version="3", rules=rules, description="Our terms")
        assert ids(policy.rules) == ["window", "final"]
        assert policy.rule("final") is rules[1]
        assert (policy.name, policy.version, policy.description) == ("Shop", "3", "Our terms")

    def test_asking_for_a_rule_the_policy_lacks_is_refused(self):
        policy = ReturnPolicy(name="Shop", version="1", rules=[])
        with pytest.raises(InvalidValueError) as caught:
            policy.rule("window")
        assert caught.value.field == "rule_id"

    def test_two_rules_with_one_id_are_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            ReturnPolicy(
                name="Shop",
                version="1",
                rules=[FinalSale(rule_id="r"), ReturnWindow(rule_id="r", days=30)],
            )
        assert caught.value.field == "rules[1].rule_id"

    def test_the_quantity_checks_id_is_reserved(self):
        with pytest.raises(InvalidValueError) as caught:
            ReturnPolicy(name="Shop", version="1", rules=[FinalSale(rule_id=QUANTITY_RULE_ID)])
        assert caught.value.field == "rules[0].rule_id"

    def test_something_that_is_not_a_rule_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            ReturnPolicy(name="Shop", version="1", rules=[{"type": "FinalSale"}])
        assert caught.value.field == "rules[0]"

    def test_a_tender_named_twice_in_the_refund_order_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            ReturnPolicy(name="Shop", version="1", rules=[], tender_order=["card", "card"])
        assert caught.value.field == "tender_order"

    @pytest.mark.parametrize(("field", "value"), [("name", ""), ("version", " ")])
    def test_a_blank_name_or_version_is_refused(self, field, value):
        fields = {"name": "Shop", "version": "1", "rules": []} | {field: value}
        with pytest.raises(InvalidValueError) as caught:
            ReturnPolicy(**fields)
        assert caught.value.field == field

    @pytest.mark.parametrize(
        ("field", "value"),
        [("rules", FinalSale(rule_id="final")), ("tender_order", "card"), ("description", None)],
    )
    def test_fields_of_the_wrong_type_are_refused(self, field, value):
        fields = {"name": "Shop", "version": "1", "rules": []} | {field: value}
        with pytest.raises(InvalidTypeError) as caught:
            ReturnPolicy(**fields)
        assert caught.value.field == field

    def test_kinds_lists_the_request_kinds_some_rule_applies_to(self):
        policy = ReturnPolicy(
            name="Shop",
            version="1",
            rules=[
                ReturnWindow(rule_id="window", days=30),
                ReviewAbove(
                    rule_id="big",
                    amounts=[Money("500", "PLN")],
                    scope=Scope(kinds=["complaint"]),
                ),
            ],
        )
        assert policy.kinds() == {ReturnKind.VOLUNTARY, ReturnKind.COMPLAINT}

    def test_policies_with_the_same_rules_are_equal(self):
        assert eu_policy(country="PL") == eu_policy(country="pl")
        assert eu_policy(country="PL") != eu_policy()


class TestEuPresets:
    def test_the_eu_policy_holds_the_withdrawal_and_complaint_rules(self):
        assert ids(eu_policy().rules) == [
            "eu.withdrawal_period",
            "eu.withdrawal_exceptions",
            "eu.delivery_refund",
            "complaint.liability_period",
            "complaint.remedy_order",
        ]
        # No voluntary rule: a host can tell the policy does not cover voluntary returns.
        assert eu_policy().kinds() == {ReturnKind.WITHDRAWAL, ReturnKind.COMPLAINT}

    def test_poland_adds_the_fourteen_day_complaint_response_deadline(self):
        policy = eu_policy(country="pl")
        rule = policy.rule("complaint.response")
        assert isinstance(rule, ComplaintResponse)
        assert rule.days == COUNTRY_RULES["PL"].complaint_response_days == 14

    def test_a_country_without_specifics_gets_the_plain_eu_rules(self):
        assert ids(eu_policy(country="DE").rules) == ids(eu_policy().rules)

    @pytest.mark.parametrize("country", ["Poland", "P1", ""])
    def test_a_country_that_is_not_an_iso_code_is_refused(self, country):
        with pytest.raises(InvalidValueError) as caught:
            eu_policy(country=country)
        assert caught.value.field == "country"

    def test_a_country_that_is_not_text_is_refused_with_a_type_error(self):
        with pytest.raises(InvalidTypeError):
            eu_policy(country=48)

    def test_the_stores_own_rules_come_after_the_legal_ones(self):
        policy = eu_policy(voluntary=[ReturnWindow(rule_id="window", days=30)])
        assert ids(policy.rules)[-1] == "window"
        assert ReturnKind.VOLUNTARY in policy.kinds()

    def test_name_version_and_tender_order_are_passed_on(self):
        policy = eu_policy(name="Shop", version="2026-03", tender_order=["gift_card", "card"])
        assert (policy.name, policy.version, policy.tender_order) == (
            "Shop",
            "2026-03",
            ("gift_card", "card"),
        )

    def test_the_withdrawal_period_uses_the_calendar_given(self):
        calendar = BusinessCalendar(holidays=[dt.date(2026, 11, 11)], name="PL")
        period = eu_policy(calendar=calendar).rule("eu.withdrawal_period")
        assert isinstance(period, WithdrawalPeriod)
        assert period.calendar == calendar
        assert (period.days, period.extension_months, period.refund_days) == (14, 12, 14)

    def test_without_a_calendar_only_weekends_are_days_off(self):
        period = eu_policy().rule("eu.withdrawal_period")
        assert period.calendar == BusinessCalendar()

    def test_delivery_is_refunded_with_the_last_item_up_to_the_standard_price(self):
        rule = eu_policy(standard_delivery=[Money("12.00", "PLN")]).rule("eu.delivery_refund")
        assert isinstance(rule, OriginalShippingRefund)
        assert rule.mode is ShippingRefund.WHEN_ALL_RETURNED
        assert rule.caps == (Money("12.00", "PLN"),)
        assert rule.scope.kinds == (ReturnKind.WITHDRAWAL,)

    def test_return_costs_are_a_withdrawal_fee_only_when_given(self):
        assert "eu.return_costs" not in ids(eu_policy().rules)
        rule = eu_policy(return_costs=[Money("9.00", "PLN")]).rule("eu.return_costs")
        assert isinstance(rule, ReturnShippingFee)
        assert rule.charge_on_withdrawal is True
        assert rule.scope.kinds == (ReturnKind.WITHDRAWAL,)

    def test_hygiene_goods_are_reviewed_unless_the_rules_are_asked_to_decline_them(self):
        default = eu_withdrawal_rules()[1]
        strict = eu_withdrawal_rules(hygiene=Verdict.DECLINE)[1]
        assert isinstance(default, WithdrawalExceptions)
        assert (default.hygiene, strict.hygiene) == (Verdict.REVIEW, Verdict.DECLINE)

    @pytest.mark.parametrize("hygiene", ["pass", "note", "allow"])
    def test_hygiene_can_only_be_review_or_decline(self, hygiene):
        with pytest.raises(InvalidValueError) as caught:
            WithdrawalExceptions(rule_id="x", hygiene=hygiene)
        assert caught.value.field == "hygiene"

    def test_complaint_rules_take_the_liability_years_and_response_days(self):
        rules = complaint_rules(years=3, response_days=21)
        assert ids(rules) == [
            "complaint.liability_period",
            "complaint.remedy_order",
            "complaint.response",
        ]
        assert isinstance(rules[0], ComplaintPeriod)
        assert rules[0].years == 3
        assert rules[2].days == 21

    def test_country_rules_are_read_only(self):
        with pytest.raises(TypeError):
            COUNTRY_RULES["DE"] = CountryRules(complaint_response_days=30)  # type: ignore[index]
        assert "DE" not in COUNTRY_RULES

    @pytest.mark.parametrize(
        ("field", "value"),
        [("days", 0), ("extension_months", -1), ("refund_days", 0)],
    )
    def test_withdrawal_period_lengths_are_checked(self, field, value):
        with pytest.raises(InvalidValueError) as caught:
            WithdrawalPeriod(rule_id="period", **{field: value})
        assert caught.value.field == field
