"""evaluate_return: the statutory edge cases, quantities, outcomes and how decisions explain.

The default order (see conftest) has line ``l1``: 2 units at 100.00 PLN, delivered on
Monday 2 March 2026 at 10:00 in Warsaw. Dates below are worked out by hand from that.
"""

from __future__ import annotations

import datetime as dt
import re

import pendulum
import pytest

from ecomkit.errors import (
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
    ReturnDeclinedError,
)
from ecomkit.money import Money
from ecomkit.orders import CancelReturnRequest, RequestReturn
from ecomkit.returns import (
    QUANTITY_RULE_ID,
    LineOutcome,
    ReturnKind,
    ReturnLine,
    ReturnPolicy,
    ReturnWindow,
    Verdict,
    eu_policy,
    eu_withdrawal_rules,
    evaluate_return,
)
from ecomkit.time import BusinessCalendar


ZONE = "Europe/Warsaw"
PL_POLICY = eu_policy(country="PL")
EU_POLICY = eu_policy()


def local(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=ZONE)


def utc(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz="UTC")


def codes(line) -> list[str]:
    return [reason.message.code for reason in line.reasons]


def reason(line, code: str):
    (found,) = [item for item in line.reasons if item.message.code == code]
    return found


def decide(policy, request, order, at=None):
    return evaluate_return(
        policy, request, order=order, at=request.requested_at if at is None else at
    )


# ---------------------------------------------------------------------- the EU withdrawal period


class TestWithdrawalStartsWithTheLastDelivery:
    @pytest.fixture
    def two_parcels(self, make_order):
        # l1 arrives on Tuesday 3 March, l2 on Monday 9 March.
        return make_order(
            {"l1": (1, "100.00"), "l2": (1, "50.00")},
            deliveries={
                "s1": ({"l1": 1}, local(2026, 3, 3, 10)),
                "s2": ({"l2": 1}, local(2026, 3, 9, 10)),
            },
        )

    def test_a_request_16_days_after_the_first_but_10_after_the_last_delivery_is_approved(
        self, two_parcels, make_request
    ):
        at = local(2026, 3, 19, 12)  # 3 March + 16 days = 9 March + 10 days
        decision = decide(PL_POLICY, make_request("withdrawal", {"l1": 1}, at=at), two_parcels)
        assert decision.outcome is LineOutcome.APPROVED
        found = reason(decision.line("l1"), "withdrawal.open")
        # 9 March + 14 days = Monday 23 March; the window closes at the start of 24 March.
        assert found.message.args["deadline"] == dt.date(2026, 3, 23)
        assert found.threshold == "2026-03-24T00:00:00+01:00"

    def test_the_same_day_counted_from_a_single_early_delivery_would_be_too_late(
        self, make_order, make_request
    ):
        order = make_order(
            {"l1": (1, "100.00"), "l2": (1, "50.00")},
            deliveries={"s1": ({"l1": 1, "l2": 1}, local(2026, 3, 3, 10))},
        )
        at = local(2026, 3, 19, 12)
        decision = decide(PL_POLICY, make_request("withdrawal", {"l1": 1}, at=at), order)
        assert decision.outcome is LineOutcome.DECLINED
        assert codes(decision.line("l1")) == ["withdrawal.closed"]

    def test_while_a_parcel_is_on_its_way_the_period_has_not_started_and_withdrawal_is_allowed(
        self, make_order, make_request
    ):
        order = make_order(
            {"l1": (1, "100.00"), "l2": (1, "50.00")},
            deliveries={
                "s1": ({"l1": 1}, local(2026, 3, 3, 10)),
                "s2": ({"l2": 1}, None),
            },
        )
        at = local(2026, 5, 4, 12)  # two months after the first delivery
        decision = decide(PL_POLICY, make_request("withdrawal", {"l1": 1}, at=at), order)
        assert decision.outcome is LineOutcome.APPROVED
        assert reason(decision.line("l1"), "withdrawal.not_started").verdict is Verdict.PASS

    def test_units_never_packed_also_keep_the_period_from_starting(self, make_order, make_request):
        order = make_order(
            {"l1": (1, "100.00"), "l2": (1, "50.00")},
            deliveries={"s1": ({"l1": 1}, local(2026, 3, 3, 10))},
        )
        decision = decide(
            PL_POLICY, make_request("withdrawal", {"l1": 1}, at=local(2026, 5, 4, 12)), order
        )
        assert codes(decision.line("l1"))[0] == "withdrawal.not_started"
        assert decision.outcome is LineOutcome.APPROVED

    def test_the_day_of_delivery_is_the_store_day_not_the_utc_day(self, make_order, make_request):
        # 16 March 23:30 UTC is 17 March 00:30 in Warsaw: the period ends on Tuesday 31 March,
        # not on Monday 30 March as a UTC date would give.
        order = make_order(deliveries={"s1": ({"l1": 2}, utc(2026, 3, 16, 23, 30))})
        decision = decide(
            PL_POLICY, make_request("withdrawal", {"l1": 1}, at=local(2026, 3, 31, 12)), order
        )
        assert decision.outcome is LineOutcome.APPROVED
        assert reason(decision.line("l1"), "withdrawal.open").message.args["deadline"] == (
            dt.date(2026, 3, 31)
        )

    def test_a_notice_sent_on_the_last_day_but_decided_the_next_day_is_still_in_time(
        self, make_order, make_request
    ):
        order = make_order()  # delivered 2 March: the last day is Monday 16 March
        request = make_request("withdrawal", {"l1": 1}, at=local(2026, 3, 16, 20))
        decision = decide(PL_POLICY, request, order, at=local(2026, 3, 17, 9))
        assert decision.outcome is LineOutcome.APPROVED


class TestDeadlinesOnADayOff:
    def test_a_period_ending_on_a_holiday_runs_to_the_next_working_day(
        self, make_order, make_request
    ):
        # Delivered Wednesday 28 October; + 14 days = Wednesday 11 November, a holiday.
        order = make_order(deliveries={"s1": ({"l1": 2}, local(2026, 10, 28, 10))})
        policy = eu_policy(calendar=BusinessCalendar(holidays=[dt.date(2026, 11, 11)]))
        decision = decide(
            policy, make_request("withdrawal", {"l1": 1}, at=local(2026, 11, 12, 23)), order
        )
        assert decision.outcome is LineOutcome.APPROVED
        moved = reason(decision.line("l1"), "deadline.moved")
        assert moved.verdict is Verdict.NOTE
        assert moved.threshold == "2026-11-12"

    def test_the_day_after_the_moved_last_day_is_too_late(self, make_order, make_request):
        order = make_order(deliveries={"s1": ({"l1": 2}, local(2026, 10, 28, 10))})
        policy = eu_policy(calendar=BusinessCalendar(holidays=[dt.date(2026, 11, 11)]))
        decision = decide(
            policy, make_request("withdrawal", {"l1": 1}, at=local(2026, 11, 13, 0, 30)), order
        )
        assert decision.outcome is LineOutcome.DECLINED
        assert codes(decision.line("l1")) == ["withdrawal.closed", "deadline.moved"]

    def test_without_the_holiday_in_the_calendar_the_period_ends_on_the_holiday(
        self, make_order, make_request
    ):
        order = make_order(deliveries={"s1": ({"l1": 2}, local(2026, 10, 28, 10))})
        decision = decide(
            EU_POLICY, make_request("withdrawal", {"l1": 1}, at=local(2026, 11, 12, 9)), order
        )
        assert decision.outcome is LineOutcome.DECLINED
        assert "deadline.moved" not in codes(decision.line("l1"))

    def test_a_period_ending_on_a_saturday_runs_to_monday_by_default(
        self, make_order, make_request
    ):
        # Delivered Saturday 7 March; + 14 days = Saturday 21 March -> Monday 23 March.
        order = make_order(deliveries={"s1": ({"l1": 2}, local(2026, 3, 7, 10))})
        monday = decide(
            EU_POLICY, make_request("withdrawal", {"l1": 1}, at=local(2026, 3, 23, 18)), order
        )
        tuesday = decide(
            EU_POLICY, make_request("withdrawal", {"l1": 1}, at=local(2026, 3, 24, 9)), order
        )
        assert monday.outcome is LineOutcome.APPROVED
        assert reason(monday.line("l1"), "deadline.moved").threshold == "2026-03-23"
        assert tuesday.outcome is LineOutcome.DECLINED

    def test_a_voluntary_window_with_a_calendar_also_moves_past_holidays_and_a_weekend(
        self, make_order, make_request
    ):
        # Delivered Wednesday 1 April; + 30 days = Friday 1 May (holiday), then Saturday,
        # Sunday 3 May (holiday): the window runs to Monday 4 May.
        calendar = BusinessCalendar(holidays=[dt.date(2026, 5, 1), dt.date(2026, 5, 3)])
        policy = ReturnPolicy(
            name="store",
            version="1",
            rules=[ReturnWindow(rule_id="window", days=30, calendar=calendar)],
        )
        order = make_order(deliveries={"s1": ({"l1": 2}, local(2026, 4, 1, 10))})
        on_monday = decide(
            policy, make_request("voluntary", {"l1": 1}, at=local(2026, 5, 4, 20)), order
        )
        on_tuesday = decide(
            policy, make_request("voluntary", {"l1": 1}, at=local(2026, 5, 5, 8)), order
        )
        assert on_monday.outcome is LineOutcome.APPROVED
        assert codes(on_monday.line("l1")) == ["window.open", "deadline.moved"]
        assert on_tuesday.outcome is LineOutcome.DECLINED
        assert codes(on_tuesday.line("l1")) == ["window.closed", "deadline.moved"]

    def test_a_voluntary_window_without_a_calendar_ends_on_the_holiday(
        self, make_order, make_request
    ):
        policy = ReturnPolicy(
            name="store", version="1", rules=[ReturnWindow(rule_id="window", days=30)]
        )
        order = make_order(deliveries={"s1": ({"l1": 2}, local(2026, 4, 1, 10))})
        decision = decide(
            policy, make_request("voluntary", {"l1": 1}, at=local(2026, 5, 2, 9)), order
        )
        assert decision.outcome is LineOutcome.DECLINED
        assert codes(decision.line("l1")) == ["window.closed"]


class TestWindowsAcrossADaylightSavingChange:
    # Spring: delivered Monday 16 March; the last day is Monday 30 March, after clocks went
    # forward on 29 March, so the window closes at 31 March 00:00 CEST = 30 March 22:00 UTC.
    # Autumn: delivered Monday 12 October; the last day is Monday 26 October, after clocks
    # went back on 25 October, so it closes at 27 October 00:00 CET = 26 October 23:00 UTC.
    CASES = (
        pytest.param(local(2026, 3, 16, 10), utc(2026, 3, 30, 21, 30), True, id="spring-23:30"),
        pytest.param(local(2026, 3, 16, 10), utc(2026, 3, 30, 22, 30), False, id="spring-00:30"),
        pytest.param(local(2026, 10, 12, 10), utc(2026, 10, 26, 22, 30), True, id="autumn-23:30"),
        pytest.param(local(2026, 10, 12, 10), utc(2026, 10, 26, 23, 30), False, id="autumn-00:30"),
    )

    @pytest.mark.parametrize(("delivered", "at", "in_time"), CASES)
    def test_the_window_closes_at_local_midnight_whatever_the_utc_date(
        self, make_order, make_request, delivered, at, in_time
    ):
        last_day = delivered.date().add(days=14)
        assert at.date() == last_day  # in UTC every request is still on the last day
        order = make_order(deliveries={"s1": ({"l1": 2}, delivered)})
        decision = decide(EU_POLICY, make_request("withdrawal", {"l1": 1}, at=at), order)
        expected = LineOutcome.APPROVED if in_time else LineOutcome.DECLINED
        assert decision.outcome is expected
        assert pendulum.instance(at).in_timezone(ZONE).date() == (
            last_day if in_time else last_day.add(days=1)
        )

    @pytest.mark.parametrize(
        ("delivered", "closes"),
        [
            (local(2026, 3, 16, 10), utc(2026, 3, 30, 22)),
            (local(2026, 10, 12, 10), utc(2026, 10, 26, 23)),
        ],
    )
    def test_the_closing_instant_uses_the_offset_in_force_on_the_last_day(
        self, make_order, make_request, delivered, closes
    ):
        order = make_order(deliveries={"s1": ({"l1": 2}, delivered)})
        request = make_request("withdrawal", {"l1": 1}, at=delivered.add(days=1))
        found = reason(decide(EU_POLICY, request, order).line("l1"), "withdrawal.open")
        assert pendulum.parse(found.threshold) == closes


class TestCustomerNotInformedOfTheRight:
    def test_the_period_is_extended_by_twelve_months(self, make_order, make_request):
        # Delivered 2 March 2026: the initial period ends on 16 March 2026, and 12 months
        # later is Tuesday 16 March 2027.
        order = make_order()
        request = make_request(
            "withdrawal", {"l1": 1}, at=local(2026, 12, 1, 12), withdrawal_informed=False
        )
        decision = decide(PL_POLICY, request, order)
        assert decision.outcome is LineOutcome.APPROVED
        found = reason(decision.line("l1"), "withdrawal.not_informed")
        assert found.message.args["deadline"] == dt.date(2027, 3, 16)

    def test_the_extended_period_ends_too(self, make_order, make_request):
        request = make_request(
            "withdrawal", {"l1": 1}, at=local(2027, 3, 17, 9), withdrawal_informed=False
        )
        decision = decide(PL_POLICY, request, make_order())
        assert decision.outcome is LineOutcome.DECLINED
        assert codes(decision.line("l1")) == ["withdrawal.closed"]

    def test_a_customer_informed_late_gets_fourteen_days_from_that_day(
        self, make_order, make_request
    ):
        # Informed on Wednesday 10 June: the period ends on Wednesday 24 June.
        informed = local(2026, 6, 10, 12)
        on_last_day = make_request(
            "withdrawal",
            {"l1": 1},
            at=local(2026, 6, 24, 18),
            withdrawal_informed=False,
            withdrawal_informed_at=informed,
        )
        decision = decide(PL_POLICY, on_last_day, make_order())
        assert decision.outcome is LineOutcome.APPROVED
        found = reason(decision.line("l1"), "withdrawal.informed_late")
        assert dict(found.message.args) == {
            "deadline": dt.date(2026, 6, 24),
            "informed": dt.date(2026, 6, 10),
        }

    def test_a_customer_informed_late_is_declined_after_those_fourteen_days(
        self, make_order, make_request
    ):
        request = make_request(
            "withdrawal",
            {"l1": 1},
            at=local(2026, 6, 25, 9),
            withdrawal_informed=False,
            withdrawal_informed_at=local(2026, 6, 10, 12),
        )
        decision = decide(PL_POLICY, request, make_order())
        assert decision.outcome is LineOutcome.DECLINED

    def test_information_given_after_the_extended_period_ended_does_not_reopen_it(
        self, make_order, make_request
    ):
        request = make_request(
            "withdrawal",
            {"l1": 1},
            at=local(2027, 4, 5, 9),
            withdrawal_informed=False,
            withdrawal_informed_at=local(2027, 4, 1, 9),
        )
        decision = decide(PL_POLICY, request, make_order())
        assert decision.outcome is LineOutcome.DECLINED
        assert reason(decision.line("l1"), "withdrawal.closed").message.args["deadline"] == (
            dt.date(2027, 3, 16)
        )


class TestStatutoryExceptions:
    @pytest.fixture
    def order(self, make_order):
        return make_order({"l1": (1, "80.00"), "l2": (1, "20.00")})

    def test_a_personalised_item_is_declined_while_another_line_is_approved(
        self, order, make_request, placed
    ):
        request = make_request(
            "withdrawal",
            [
                ReturnLine(line_id="l1", quantity=1, traits=["personalised"]),
                ReturnLine(line_id="l2", quantity=1),
            ],
            at=placed.add(days=3),
        )
        decision = decide(PL_POLICY, request, order)
        assert decision.outcome is LineOutcome.PARTIALLY_APPROVED
        assert decision.line("l1").outcome is LineOutcome.DECLINED
        assert "exception.personalised" in codes(decision.line("l1"))
        assert decision.line("l2").outcome is LineOutcome.APPROVED
        assert decision.refund.total == Money("20.00", "PLN")  # only l2 comes back

    def test_a_perishable_item_is_declined_even_unopened(self, order, make_request, placed):
        line = ReturnLine(line_id="l1", quantity=1, traits=["perishable"], condition="unopened")
        decision = decide(PL_POLICY, make_request("withdrawal", [line], at=placed), order)
        assert decision.outcome is LineOutcome.DECLINED
        assert reason(decision.line("l1"), "exception.perishable").verdict is Verdict.DECLINE

    def test_unsealed_hygiene_goods_go_to_review_by_default(self, order, make_request, placed):
        line = ReturnLine(line_id="l1", quantity=1, traits=["sealed_hygiene"], condition="opened")
        decision = decide(PL_POLICY, make_request("withdrawal", [line], at=placed), order)
        assert decision.outcome is LineOutcome.NEEDS_REVIEW
        assert decision.line("l1").in_review == 1
        found = reason(decision.line("l1"), "exception.sealed_hygiene_review")
        assert (found.observed, found.threshold) == ("opened", "unopened")

    def test_unsealed_hygiene_goods_are_declined_when_the_policy_says_so(
        self, order, make_request, placed
    ):
        policy = ReturnPolicy(
            name="strict", version="1", rules=eu_withdrawal_rules(hygiene="decline")
        )
        line = ReturnLine(line_id="l1", quantity=1, traits=["sealed_hygiene"], condition="used")
        decision = decide(policy, make_request("withdrawal", [line], at=placed), order)
        assert decision.outcome is LineOutcome.DECLINED
        assert "exception.sealed_hygiene" in codes(decision.line("l1"))

    @pytest.mark.parametrize("trait", ["sealed_hygiene", "sealed_media"])
    def test_sealed_goods_still_sealed_are_approved(self, order, make_request, placed, trait):
        line = ReturnLine(line_id="l1", quantity=1, traits=[trait], condition="unopened")
        decision = decide(PL_POLICY, make_request("withdrawal", [line], at=placed), order)
        assert decision.outcome is LineOutcome.APPROVED

    def test_opened_sealed_media_are_declined(self, order, make_request, placed):
        line = ReturnLine(line_id="l1", quantity=1, traits=["sealed_media"], condition="opened")
        decision = decide(PL_POLICY, make_request("withdrawal", [line], at=placed), order)
        assert decision.outcome is LineOutcome.DECLINED
        assert reason(decision.line("l1"), "exception.sealed_media").observed == "opened"

    def test_the_exceptions_do_not_limit_complaints(self, order, make_request, placed):
        line = ReturnLine(line_id="l1", quantity=1, traits=["personalised", "perishable"])
        decision = decide(
            PL_POLICY, make_request("complaint", [line], at=placed.add(days=3)), order
        )
        assert decision.outcome is LineOutcome.APPROVED
        assert not any(code.startswith("exception.") for code in codes(decision.line("l1")))


# ---------------------------------------------------------------------- complaints


class TestComplaints:
    # The default order was delivered on 2 March 2026: liability ends on 2 March 2028.
    def test_a_complaint_within_two_years_asking_for_repair_is_approved(
        self, make_order, make_request
    ):
        line = ReturnLine(line_id="l1", quantity=1, remedy="repair")
        request = make_request("complaint", [line], at=local(2027, 6, 1, 10))
        decision = decide(EU_POLICY, request, make_order())
        assert decision.outcome is LineOutcome.APPROVED
        found = reason(decision.line("l1"), "complaint.open")
        assert found.message.args == {"deadline": dt.date(2028, 3, 2), "years": 2}

    def test_a_complaint_after_two_years_is_declined(self, make_order, make_request):
        request = make_request("complaint", {"l1": 1}, at=local(2028, 3, 3, 10))
        decision = decide(EU_POLICY, request, make_order())
        assert decision.outcome is LineOutcome.DECLINED
        assert codes(decision.line("l1")) == ["complaint.closed"]

    def test_a_price_reduction_goes_to_review_because_repair_comes_first(
        self, make_order, make_request
    ):
        line = ReturnLine(line_id="l1", quantity=1, remedy="price_reduction")
        decision = decide(
            EU_POLICY, make_request("complaint", [line], at=local(2026, 6, 1, 10)), make_order()
        )
        assert decision.outcome is LineOutcome.NEEDS_REVIEW
        assert reason(decision.line("l1"), "complaint.remedy_order").observed == "price_reduction"

    def test_answered_on_day_14_the_deadline_is_noted_and_the_other_rules_decide(
        self, make_order, make_request
    ):
        # Complaint on 3 March 2028 (liability ended 2 March); answered on 17 March, day 14.
        request = make_request("complaint", {"l1": 1}, at=local(2028, 3, 3, 10))
        decision = decide(PL_POLICY, request, make_order(), at=local(2028, 3, 17, 23))
        assert decision.outcome is LineOutcome.DECLINED
        note = reason(decision.line("l1"), "complaint.respond_by")
        assert note.verdict is Verdict.NOTE
        assert note.message.args["deadline"] == dt.date(2028, 3, 17)

    def test_answered_on_day_15_a_complaint_counts_as_accepted_despite_the_liability_period(
        self, make_order, make_request
    ):
        request = make_request("complaint", {"l1": 1}, at=local(2028, 3, 3, 10))
        decision = decide(PL_POLICY, request, make_order(), at=local(2028, 3, 18, 0, 30))
        assert decision.outcome is LineOutcome.APPROVED
        assert decision.line("l1").approved == 1
        accepted = reason(decision.line("l1"), "complaint.deemed_accepted")
        assert accepted.verdict is Verdict.PASS
        assert accepted.message.args["deadline"] == dt.date(2028, 3, 17)

    def test_answered_on_day_15_a_complaint_skips_the_remedy_review(self, make_order, make_request):
        line = ReturnLine(line_id="l1", quantity=1, remedy="withdrawal")
        request = make_request("complaint", [line], at=local(2026, 6, 1, 10))
        on_time = decide(PL_POLICY, request, make_order(), at=local(2026, 6, 15, 12))
        late = decide(PL_POLICY, request, make_order(), at=local(2026, 6, 16, 12))
        assert on_time.outcome is LineOutcome.NEEDS_REVIEW
        assert late.outcome is LineOutcome.APPROVED
        assert "complaint.deemed_accepted" in codes(late.line("l1"))

    def test_a_complaint_deemed_accepted_still_cannot_return_more_than_was_delivered(
        self, make_order, make_request
    ):
        request = make_request("complaint", {"l1": 3}, at=local(2026, 6, 1, 10))
        decision = decide(PL_POLICY, request, make_order(), at=local(2026, 7, 1, 10))
        line = decision.line("l1")
        assert (line.approved, line.declined) == (2, 1)
        assert decision.outcome is LineOutcome.PARTIALLY_APPROVED
        assert reason(line, "quantity.limited").rule_id == QUANTITY_RULE_ID

    def test_a_complaint_about_units_never_delivered_is_declined_by_the_quantity_check(
        self, make_order, make_request, placed
    ):
        order = make_order(
            {"l1": (1, "10.00"), "l2": (1, "10.00")}, deliveries={"s1": ({"l1": 1}, placed)}
        )
        decision = decide(EU_POLICY, make_request("complaint", {"l2": 1}, at=placed), order)
        assert decision.outcome is LineOutcome.DECLINED
        assert codes(decision.line("l2")) == ["quantity.none"]

    def test_without_a_response_deadline_a_late_answer_changes_nothing(
        self, make_order, make_request
    ):
        request = make_request("complaint", {"l1": 1}, at=local(2028, 3, 3, 10))
        decision = decide(EU_POLICY, request, make_order(), at=local(2028, 6, 1, 10))
        assert decision.outcome is LineOutcome.DECLINED

    def test_a_complaint_made_within_two_years_is_in_time_when_decided_later(
        self, make_order, make_request
    ):
        request = make_request("complaint", {"l1": 1}, at=local(2028, 3, 1, 10))
        decision = decide(EU_POLICY, request, make_order(), at=local(2028, 3, 6, 10))
        assert decision.outcome is LineOutcome.APPROVED


# ---------------------------------------------------------------------- quantities


class TestQuantities:
    def test_units_already_requested_cannot_be_requested_again(
        self, make_order, make_request, advance, placed
    ):
        order = make_order({"l1": (3, "10.00")})
        order = advance(order, RequestReturn, placed.add(days=1), lines={"l1": 2})
        decision = decide(
            PL_POLICY, make_request("withdrawal", {"l1": 2}, at=placed.add(days=2)), order
        )
        line = decision.line("l1")
        assert (line.approved, line.in_review, line.declined) == (1, 0, 1)
        assert line.outcome is LineOutcome.PARTIALLY_APPROVED
        limited = reason(line, "quantity.limited")
        assert (limited.rule_id, limited.observed, limited.threshold) == ("quantity", "2", "1")
        assert limited.message.args["allowed"] == 1

    def test_a_line_with_every_unit_requested_already_has_none_left(
        self, make_order, make_request, advance, placed
    ):
        order = make_order({"l1": (2, "10.00")})
        order = advance(order, RequestReturn, placed.add(days=1), lines={"l1": 2})
        decision = decide(
            PL_POLICY, make_request("withdrawal", {"l1": 1}, at=placed.add(days=2)), order
        )
        assert decision.outcome is LineOutcome.DECLINED
        assert reason(decision.line("l1"), "quantity.none").threshold == "0"
        assert decision.refund is None

    def test_units_whose_return_request_was_cancelled_can_be_requested_again(
        self, make_order, make_request, advance, placed
    ):
        order = make_order({"l1": (2, "10.00")})
        order = advance(order, RequestReturn, placed.add(days=1), lines={"l1": 2})
        order = advance(order, CancelReturnRequest, placed.add(days=1), lines={"l1": 2})
        decision = decide(
            PL_POLICY, make_request("withdrawal", {"l1": 2}, at=placed.add(days=2)), order
        )
        assert decision.outcome is LineOutcome.APPROVED

    def test_undelivered_units_cannot_be_returned(self, make_order, make_request, placed):
        # 3 ordered, 1 delivered, 2 still on their way.
        order = make_order(
            {"l1": (3, "10.00")},
            deliveries={"s1": ({"l1": 1}, placed), "s2": ({"l1": 2}, None)},
        )
        decision = decide(
            PL_POLICY, make_request("withdrawal", {"l1": 3}, at=placed.add(days=1)), order
        )
        line = decision.line("l1")
        assert (line.approved, line.declined) == (1, 2)
        assert reason(line, "quantity.limited").message.args["allowed"] == 1

    def test_a_line_never_shipped_has_nothing_to_return(self, make_order, make_request, placed):
        order = make_order(
            {"l1": (1, "10.00"), "l2": (1, "10.00")}, deliveries={"s1": ({"l1": 1}, placed)}
        )
        decision = decide(
            PL_POLICY, make_request("withdrawal", {"l2": 1}, at=placed.add(days=1)), order
        )
        assert decision.outcome is LineOutcome.DECLINED
        assert codes(decision.line("l2"))[0] == "quantity.none"


# ---------------------------------------------------------------------- decisions


class TestOutcomes:
    @pytest.fixture
    def order(self, make_order):
        return make_order({"l1": (2, "10.00"), "l2": (2, "20.00"), "l3": (2, "30.00")})

    def mixed(self, make_request, placed):
        return make_request(
            "withdrawal",
            [
                ReturnLine(line_id="l1", quantity=2),
                ReturnLine(line_id="l2", quantity=1, traits=["sealed_hygiene"], condition="used"),
                ReturnLine(line_id="l3", quantity=2, traits=["perishable"]),
            ],
            at=placed.add(days=1),
        )

    def test_every_line_accounts_for_each_requested_unit_exactly_once(
        self, order, make_request, placed
    ):
        decision = decide(PL_POLICY, self.mixed(make_request, placed), order)
        counts = [(line.approved, line.in_review, line.declined) for line in decision.lines]
        assert counts == [(2, 0, 0), (0, 1, 0), (0, 0, 2)]
        for line in decision.lines:
            assert line.approved + line.in_review + line.declined == line.requested

    def test_a_line_in_review_makes_the_whole_request_need_review(
        self, order, make_request, placed
    ):
        decision = decide(PL_POLICY, self.mixed(make_request, placed), order)
        assert [line.outcome for line in decision.lines] == [
            LineOutcome.APPROVED,
            LineOutcome.NEEDS_REVIEW,
            LineOutcome.DECLINED,
        ]
        assert decision.outcome is LineOutcome.NEEDS_REVIEW
        assert not decision.is_declined

    def test_approved_and_review_units_are_listed_per_line(self, order, make_request, placed):
        decision = decide(PL_POLICY, self.mixed(make_request, placed), order)
        assert [(item.line_id, item.quantity) for item in decision.approved_units] == [("l1", 2)]
        assert [(item.line_id, item.quantity) for item in decision.review_units] == [("l2", 1)]

    def test_the_refund_estimate_covers_only_the_approved_units(self, order, make_request, placed):
        decision = decide(PL_POLICY, self.mixed(make_request, placed), order)
        assert [(line.line_id, line.quantity) for line in decision.refund.lines] == [("l1", 2)]
        assert decision.refund.total == Money("20.00", "PLN")

    @pytest.mark.parametrize(
        ("traits", "expected"),
        [
            ([[], []], LineOutcome.APPROVED),
            ([["perishable"], []], LineOutcome.PARTIALLY_APPROVED),
            ([["perishable"], ["personalised"]], LineOutcome.DECLINED),
        ],
    )
    def test_the_overall_outcome_follows_the_lines(
        self, order, make_request, placed, traits, expected
    ):
        lines = [
            ReturnLine(line_id=line_id, quantity=1, traits=found)
            for line_id, found in zip(["l1", "l2"], traits, strict=True)
        ]
        decision = decide(PL_POLICY, make_request("withdrawal", lines, at=placed), order)
        assert decision.outcome is expected
        assert decision.is_declined is (expected is LineOutcome.DECLINED)

    def test_a_decision_records_the_request_order_and_policy(
        self, make_order, make_request, placed
    ):
        policy = eu_policy(name="Shop returns", version="2026-03")
        at = placed.add(days=2)
        decision = decide(policy, make_request("withdrawal", {"l1": 1}, at=at), make_order())
        assert (decision.policy_name, decision.policy_version) == ("Shop returns", "2026-03")
        assert (decision.return_id, decision.order_id) == ("r-1", "o-1")
        assert decision.kind is ReturnKind.WITHDRAWAL
        assert decision.decided_at == at

    def test_a_withdrawal_refund_is_due_fourteen_days_after_the_notice(
        self, make_order, make_request
    ):
        # Notice on Thursday 5 March: the refund is due by Thursday 19 March.
        request = make_request("withdrawal", {"l1": 1}, at=local(2026, 3, 5, 12))
        decision = decide(PL_POLICY, request, make_order())
        assert decision.refund_due_by == dt.date(2026, 3, 19)
        assert decision.withhold_until_received is True
        (due,) = decision.reasons
        assert (due.rule_id, due.message.code) == ("eu.withdrawal_period", "refund.due_by")

    def test_a_declined_request_has_no_refund_deadline(self, make_order, make_request):
        request = make_request("withdrawal", {"l1": 1}, at=local(2026, 4, 1, 12))
        decision = decide(PL_POLICY, request, make_order())
        assert decision.outcome is LineOutcome.DECLINED
        assert (decision.refund_due_by, decision.reasons, decision.refund) == (None, (), None)
        assert decision.withhold_until_received is False

    def test_a_voluntary_return_has_no_statutory_refund_deadline(
        self, make_order, make_request, placed
    ):
        decision = decide(PL_POLICY, make_request("voluntary", {"l1": 1}, at=placed), make_order())
        assert decision.outcome is LineOutcome.APPROVED
        assert decision.refund_due_by is None

    def test_asking_a_decision_for_a_line_it_does_not_have_is_refused(
        self, make_order, make_request, placed
    ):
        decision = decide(PL_POLICY, make_request("withdrawal", {"l1": 1}, at=placed), make_order())
        with pytest.raises(InvalidValueError) as caught:
            decision.line("l2")
        assert caught.value.field == "line_id"


class TestRaiseForRejection:
    @pytest.fixture
    def order(self, make_order):
        return make_order({"l1": (1, "10.00"), "l2": (1, "20.00")})

    def request(self, make_request, placed, l1=(), l2=(), condition="unopened"):
        return make_request(
            "withdrawal",
            [
                ReturnLine(line_id="l1", quantity=1, traits=l1, condition=condition),
                ReturnLine(line_id="l2", quantity=1, traits=l2, condition=condition),
            ],
            at=placed,
        )

    def test_an_approved_decision_does_not_raise_even_when_review_counts(
        self, order, make_request, placed
    ):
        decision = decide(PL_POLICY, self.request(make_request, placed), order)
        decision.raise_for_rejection()
        decision.raise_for_rejection(review=True)
        assert decision.outcome is LineOutcome.APPROVED

    def test_a_declined_decision_raises_a_value_error_listing_the_declining_reasons(
        self, order, make_request, placed
    ):
        decision = decide(
            PL_POLICY, self.request(make_request, placed, ["perishable"], ["personalised"]), order
        )
        with pytest.raises(ReturnDeclinedError) as caught:
            decision.raise_for_rejection()
        error = caught.value
        assert isinstance(error, ValueError)
        assert (error.return_id, error.outcome) == ("r-1", "declined")
        assert len(error.reasons) == 2
        assert "deteriorate" in error.reasons[0]
        assert "personalised" in error.reasons[1]
        assert "is declined" in str(error)

    def test_a_partial_approval_raises_with_only_the_declining_reasons(
        self, order, make_request, placed
    ):
        decision = decide(PL_POLICY, self.request(make_request, placed, ["perishable"]), order)
        with pytest.raises(ReturnDeclinedError) as caught:
            decision.raise_for_rejection()
        assert caught.value.outcome == "partially_approved"
        (only,) = caught.value.reasons
        assert "deteriorate" in only
        assert not any("withdrawal period" in text for text in caught.value.reasons)

    def test_a_decision_in_review_raises_only_when_review_is_asked_for(
        self, order, make_request, placed
    ):
        decision = decide(
            PL_POLICY,
            self.request(make_request, placed, ["sealed_hygiene"], ["sealed_hygiene"], "opened"),
            order,
        )
        assert decision.outcome is LineOutcome.NEEDS_REVIEW
        decision.raise_for_rejection()
        with pytest.raises(ReturnDeclinedError) as caught:
            decision.raise_for_rejection(review=True)
        assert caught.value.outcome == "needs_review"
        assert len(caught.value.reasons) == 2
        assert all("staff will check" in text for text in caught.value.reasons)

    def test_the_reasons_are_rendered_in_the_locale_asked_for(self, order, make_request, placed):
        decision = decide(PL_POLICY, self.request(make_request, placed, ["perishable"]), order)
        with pytest.raises(ReturnDeclinedError) as caught:
            decision.raise_for_rejection(locale="pl")
        assert caught.value.reasons == decision.line("l1").explain("pl")[-1:]
        assert "odstąpienia" in caught.value.reasons[0]

    def test_declined_units_raise_even_while_another_line_waits_for_review(
        self, order, make_request, placed
    ):
        decision = decide(
            PL_POLICY,
            make_request(
                "withdrawal",
                [
                    ReturnLine(line_id="l1", quantity=1, traits=["personalised"]),
                    ReturnLine(
                        line_id="l2", quantity=1, traits=["sealed_hygiene"], condition="opened"
                    ),
                ],
                at=placed,
            ),
            order,
        )
        assert decision.line("l1").declined == 1
        with pytest.raises(ReturnDeclinedError):
            decision.raise_for_rejection()


class TestExplain:
    @pytest.fixture
    def decision(self, make_order, make_request):
        order = make_order({"l1": (1, "10.00"), "l2": (1, "20.00")})
        request = make_request(
            "withdrawal",
            [
                ReturnLine(line_id="l1", quantity=1),
                ReturnLine(line_id="l2", quantity=1, traits=["perishable"]),
            ],
            at=local(2026, 3, 5, 12),
        )
        return decide(PL_POLICY, request, order)

    def test_english_lists_every_line_reason_then_the_request_reasons(self, decision):
        in_time = (
            "Within the statutory withdrawal period of 14 days from delivery of the last item; "
            "it ends on March 16, 2026."
        )
        due = (
            "The refund is due by March 19, 2026; it may be withheld until the goods, or proof "
            "that they were sent back, arrive."
        )
        perishable = (
            "Goods that deteriorate or expire rapidly are excluded from the right of withdrawal."
        )
        assert decision.explain() == (in_time, in_time, perishable, due)

    def test_a_line_explains_only_its_own_reasons(self, decision):
        assert decision.line("l2").explain() == decision.explain()[1:3]

    def test_polish_counts_days_in_polish_and_writes_dates_the_polish_way(self, decision):
        texts = decision.explain("pl")
        assert "14 dni" in texts[0]
        assert "16 marca 2026" in texts[0]

    @pytest.mark.parametrize(
        ("locale", "script"),
        [
            ("pl", r"[ąćęłńóśźż]"),
            ("it", r"\b(il|di|del|della|entro)\b"),
            ("zh", r"[\u4e00-\u9fff]"),
            ("ar", r"[\u0600-\u06ff]"),
        ],
    )
    def test_every_shipped_language_explains_in_its_own_words(self, decision, locale, script):
        english = decision.explain("en")
        texts = decision.explain(locale)
        assert len(texts) == len(english)
        for text, original in zip(texts, english, strict=True):
            assert text
            assert text != original
            assert re.search(script, text)

    def test_a_regional_locale_uses_its_language_catalog(self, decision):
        assert decision.explain("pl_PL") == decision.explain("pl")

    def test_a_language_without_a_catalog_falls_back_to_english_text(self, decision):
        german = decision.explain("de")
        english = decision.explain("en")
        assert german[2] == english[2]  # no placeholders: the very same text
        assert german[0].startswith("Within the statutory withdrawal period of 14 days")
        assert "16. März 2026" in german[0]  # the arguments still follow the locale


class TestRefusedInput:
    def test_a_line_the_order_does_not_have_is_refused_naming_the_field(
        self, make_order, make_request, placed
    ):
        request = make_request("withdrawal", {"l1": 1, "l9": 1}, at=placed)
        with pytest.raises(InvalidValueError) as caught:
            decide(PL_POLICY, request, make_order())
        assert caught.value.field == "request.lines[1].line_id"
        assert caught.value.value == "l9"
        assert "l1" in caught.value.reason

    @pytest.mark.parametrize("field", ["policy", "request", "order"])
    def test_arguments_of_the_wrong_type_are_refused(self, make_order, make_request, placed, field):
        arguments = {
            "policy": PL_POLICY,
            "request": make_request("withdrawal", {"l1": 1}, at=placed),
            "order": make_order(),
        }
        arguments[field] = None
        with pytest.raises(InvalidTypeError) as caught:
            evaluate_return(
                arguments["policy"], arguments["request"], order=arguments["order"], at=placed
            )
        assert caught.value.field == field

    def test_a_naive_decision_time_is_refused(self, make_order, make_request, placed):
        with pytest.raises(NaiveDateTimeError) as caught:
            evaluate_return(
                PL_POLICY,
                make_request("withdrawal", {"l1": 1}, at=placed),
                order=make_order(),
                at=dt.datetime(2026, 3, 5, 12),  # noqa: DTZ001 - naive on purpose
            )
        assert caught.value.field == "at"
