"""ReturnRequest and ReturnLine: what a customer asks for, and what is refused up front."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from ecomkit.errors import (
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
)
from ecomkit.returns import (
    ItemCondition,
    ItemTrait,
    RefundMethod,
    Remedy,
    ReturnKind,
    ReturnLine,
    ReturnRequest,
)


AT = pendulum.datetime(2026, 3, 5, 12, tz="Europe/Warsaw")


def request(**fields):
    values = {
        "return_id": "r-1",
        "kind": "withdrawal",
        "lines": [ReturnLine(line_id="l1", quantity=1)],
        "requested_at": AT,
    }
    values.update(fields)
    return ReturnRequest(**values)


class TestReturnLine:
    def test_a_line_defaults_to_unopened_goods_with_no_facts(self):
        line = ReturnLine(line_id="l1", quantity=2)
        assert line.condition is ItemCondition.UNOPENED
        assert line.condition.is_sealed
        assert (line.reason, line.traits, line.categories, line.remedy) == (None, (), (), None)

    def test_enum_fields_accept_their_string_values(self):
        line = ReturnLine(
            line_id="l1",
            quantity=1,
            condition="used",
            traits=["perishable", ItemTrait.PERSONALISED],
            remedy="price_reduction",
        )
        assert line.condition is ItemCondition.USED
        assert not line.condition.is_sealed
        assert set(line.traits) == {ItemTrait.PERISHABLE, ItemTrait.PERSONALISED}
        assert line.remedy is Remedy.PRICE_REDUCTION
        assert line.remedy.is_secondary

    def test_traits_and_categories_are_deduplicated_and_sorted(self):
        line = ReturnLine(
            line_id="l1",
            quantity=1,
            traits=["perishable", "final_sale", "perishable"],
            categories=["swimwear", "apparel", "swimwear"],
        )
        assert line.traits == (ItemTrait.FINAL_SALE, ItemTrait.PERISHABLE)
        assert line.categories == ("apparel", "swimwear")

    def test_has_tells_whether_the_goods_carry_a_trait(self):
        line = ReturnLine(line_id="l1", quantity=1, traits=["sealed_media"])
        assert line.has(ItemTrait.SEALED_MEDIA)
        assert not line.has(ItemTrait.SEALED_HYGIENE)

    def test_an_unknown_condition_is_refused_with_the_choices(self):
        with pytest.raises(InvalidValueError) as caught:
            ReturnLine(line_id="l1", quantity=1, condition="broken")
        assert caught.value.field == "condition"
        assert "'damaged'" in caught.value.reason

    def test_an_unknown_trait_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            ReturnLine(line_id="l1", quantity=1, traits=["fragile"])
        assert caught.value.field == "traits"

    def test_traits_given_as_one_string_are_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            ReturnLine(line_id="l1", quantity=1, traits="perishable")
        assert caught.value.field == "traits"

    def test_a_blank_category_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            ReturnLine(line_id="l1", quantity=1, categories=[" "])
        assert caught.value.field == "categories"

    @pytest.mark.parametrize("quantity", [0, -1])
    def test_a_quantity_below_one_is_refused(self, quantity):
        with pytest.raises(InvalidValueError) as caught:
            ReturnLine(line_id="l1", quantity=quantity)
        assert caught.value.field == "quantity"

    def test_a_float_quantity_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            ReturnLine(line_id="l1", quantity=1.0)
        assert caught.value.field == "quantity"


class TestReturnRequest:
    def test_kind_and_refund_method_accept_their_string_values(self):
        made = request(kind="complaint", refund_method="store_credit")
        assert made.kind is ReturnKind.COMPLAINT
        assert made.refund_method is RefundMethod.STORE_CREDIT

    def test_the_refund_method_defaults_to_the_original_payment(self):
        assert request().refund_method is RefundMethod.ORIGINAL_PAYMENT
        assert request().withdrawal_informed is True

    def test_an_unknown_kind_is_refused_with_the_choices(self):
        with pytest.raises(InvalidValueError) as caught:
            request(kind="exchange")
        assert caught.value.field == "kind"
        assert "'voluntary'" in caught.value.reason

    def test_a_line_named_twice_is_refused_with_its_position(self):
        lines = [ReturnLine(line_id="l1", quantity=1), ReturnLine(line_id="l1", quantity=2)]
        with pytest.raises(InvalidValueError) as caught:
            request(lines=lines)
        assert caught.value.field == "lines[1].line_id"

    def test_a_request_without_lines_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            request(lines=[])
        assert caught.value.field == "lines"

    def test_a_line_that_is_not_a_return_line_is_refused(self):
        with pytest.raises(InvalidTypeError) as caught:
            request(lines=[{"line_id": "l1", "quantity": 1}])
        assert caught.value.field == "lines[0]"

    def test_the_country_is_upper_cased(self):
        assert request(country="pl").country == "PL"

    @pytest.mark.parametrize("country", ["POL", "P1", "Ł1", "P"])
    def test_a_country_that_is_not_two_ascii_letters_is_refused(self, country):
        with pytest.raises(InvalidValueError) as caught:
            request(country=country)
        assert caught.value.field == "country"

    @pytest.mark.parametrize(
        ("field", "value"),
        [("lines", "l1"), ("note", None), ("requested_at", dt.date(2026, 3, 5))],
    )
    def test_fields_of_the_wrong_type_are_refused(self, field, value):
        with pytest.raises(InvalidTypeError) as caught:
            request(**{field: value})
        assert caught.value.field == field

    def test_a_naive_request_time_is_refused(self):
        with pytest.raises(NaiveDateTimeError) as caught:
            request(requested_at=dt.datetime(2026, 3, 5, 12))  # noqa: DTZ001 - naive on purpose
        assert caught.value.field == "requested_at"

    def test_a_naive_late_information_time_is_refused(self):
        with pytest.raises(NaiveDateTimeError) as caught:
            request(
                withdrawal_informed=False,
                withdrawal_informed_at=dt.datetime(2026, 3, 10),  # noqa: DTZ001
            )
        assert caught.value.field == "withdrawal_informed_at"

    def test_a_late_information_time_for_a_customer_informed_on_time_is_refused(self):
        with pytest.raises(InvalidValueError) as caught:
            request(withdrawal_informed=True, withdrawal_informed_at=AT.add(days=3))
        assert caught.value.field == "withdrawal_informed_at"

    def test_a_customer_informed_late_keeps_the_time_they_were_informed(self):
        made = request(withdrawal_informed=False, withdrawal_informed_at=AT.add(days=3))
        assert made.withdrawal_informed_at == AT.add(days=3)

    def test_withdrawal_informed_must_be_a_bool(self):
        with pytest.raises(InvalidTypeError) as caught:
            request(withdrawal_informed="yes")
        assert caught.value.field == "withdrawal_informed"

    def test_line_returns_the_named_line_and_refuses_an_unknown_one(self):
        made = request(
            lines=[ReturnLine(line_id="l1", quantity=1), ReturnLine(line_id="l2", quantity=3)]
        )
        assert made.line("l2").quantity == 3
        with pytest.raises(InvalidValueError) as caught:
            made.line("l9")
        assert caught.value.field == "line_id"
