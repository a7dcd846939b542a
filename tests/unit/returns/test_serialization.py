"""Returns values survive ecomkit.serialization: policies, requests, decisions, refunds, RMAs.

Rules, return commands and return events travel as unions tagged by ``"type"``; message
arguments are tagged with their kind. Reading is strict: an unknown ``"type"``, an unknown
key or an unknown argument kind is refused with the path of the problem.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import ClassVar

import attrs
import pendulum
import pytest

from ecomkit import Money
from ecomkit.errors import DataValidationError
from ecomkit.orders import (
    AuthorizePayment,
    CapturePayment,
    ConfirmDelivery,
    FulfilLines,
    LineSpec,
    Order,
    OrderSpec,
    PlaceOrder,
    ShippingSpec,
    ShipShipment,
    apply,
)
from ecomkit.returns import (
    AcceptedConditions,
    AwaitItems,
    CancelReturn,
    CloseReturn,
    ComplaintPeriod,
    ComplaintResponse,
    DecideReturn,
    Deduction,
    ExchangeItems,
    ExchangeNotOffered,
    FinalSale,
    Finding,
    ItemCondition,
    ItemTrait,
    LineContext,
    Message,
    MessageTemplate,
    NotReturnable,
    OpenReturn,
    OriginalShippingRefund,
    Percent,
    ReasonRequired,
    ReceivedItem,
    ReceiveItems,
    Refund,
    RefundMethod,
    RefundReturn,
    Remedy,
    RemedyOrder,
    RestockingFee,
    ReturnCommand,
    ReturnDecision,
    ReturnEvent,
    ReturnKind,
    ReturnLine,
    ReturnPolicy,
    ReturnRequest,
    ReturnRule,
    ReturnShippingFee,
    ReturnWindow,
    ReviewAbove,
    ReviewReturn,
    Rma,
    Scope,
    ShippingRefund,
    StoreCreditAfter,
    Verdict,
    WindowStart,
    WithdrawalExceptions,
    WithdrawalPeriod,
    WriteOffItems,
    apply_return,
    calculate_refund,
    eu_policy,
    evaluate_return,
    open_return,
    register_message,
    register_rule_type,
    replay_return,
)
from ecomkit.returns._builtin import __all__ as BUILTIN_RULE_TYPES  # noqa: N812
from ecomkit.serialization import from_json, make_converter, to_json
from ecomkit.time import BusinessCalendar


ZONE = "Europe/Warsaw"
PLACED = pendulum.datetime(2026, 3, 2, 10, tz=ZONE)
DELIVERED = PLACED.add(days=1)
REQUESTED = DELIVERED.add(days=3)


def pln(amount: str) -> Money:
    return Money(amount, "PLN")


def round_trip(value: object, cls: type) -> object:
    return from_json(to_json(value), cls)


def problems(text: str | dict, cls: type) -> list[str]:
    document = text if isinstance(text, str) else json.dumps(text)
    with pytest.raises(DataValidationError) as caught:
        from_json(document, cls)
    return caught.value.messages()


# ---------------------------------------------------------------------- host extensions

EVERY_KIND = register_message(
    MessageTemplate(
        code="test_serialization.every_kind",
        text="{text} {count} {number} {share} {price} {day} {moment}",
    )
)


@register_rule_type
@attrs.frozen(kw_only=True, weakref_slot=False)
class SerializationTestUnitLimit(ReturnRule):
    """A host's own rule type: at most *most* units per line, and an optional fee."""

    kinds: ClassVar[frozenset[ReturnKind]] = frozenset({ReturnKind.VOLUNTARY})

    most: int = 1
    fee: Money | None = None
    rate: Decimal = Decimal("0.5")
    conditions: tuple[ItemCondition, ...] = ()

    def check(self, context: LineContext) -> Iterator[Finding]:
        if context.units > self.most:
            yield Finding(verdict=Verdict.DECLINE, message=None, allowed_units=self.most)


# ---------------------------------------------------------------------- values to write


CALENDAR = BusinessCalendar(holidays=[dt.date(2026, 4, 6), dt.date(2026, 11, 11)], name="PL")
EVERY_SCOPE = Scope(
    kinds=[ReturnKind.VOLUNTARY],
    categories=["shoes", "swimwear"],
    products=["SHOE"],
    channels=["web"],
    countries=["pl", "DE"],
    customer_groups=["vip"],
)


def every_rule() -> list[ReturnRule]:
    """One rule of every built-in type, with every parameter away from its default."""
    return [
        ReturnWindow(
            rule_id="window",
            scope=EVERY_SCOPE,
            days=30,
            start=WindowStart.LAST_ITEM_DELIVERY,
            calendar=CALENDAR,
        ),
        WithdrawalPeriod(
            rule_id="withdrawal",
            days=21,
            extension_months=6,
            calendar=None,
            refund_days=10,
            scope=Scope(countries=["IT"]),
        ),
        WithdrawalExceptions(rule_id="exceptions", hygiene=Verdict.DECLINE),
        FinalSale(rule_id="final", scope=Scope(categories=["outlet"])),
        NotReturnable(rule_id="gift-cards", scope=Scope(categories=["gift-cards"])),
        AcceptedConditions(
            rule_id="conditions",
            accept=[ItemCondition.UNOPENED],
            review=[ItemCondition.OPENED, ItemCondition.USED],
        ),
        ReasonRequired(rule_id="reason", reasons=["size_too_small", "defective"]),
        ExchangeNotOffered(rule_id="no-exchange", scope=Scope(products=["SOCK"])),
        RestockingFee(rule_id="restocking-rate", rate=Decimal("0.125")),
        RestockingFee(rule_id="restocking-fixed", amounts=[pln("4.99"), Money("1.5", "EUR")]),
        ReturnShippingFee(
            rule_id="label", amounts=[Money("1500", "JPY")], charge_on_withdrawal=True
        ),
        OriginalShippingRefund(
            rule_id="delivery", mode=ShippingRefund.PRO_RATA, caps=[Money("9.990", "KWD")]
        ),
        StoreCreditAfter(rule_id="credit", days=14, start=WindowStart.FIRST_ITEM_DELIVERY),
        ReviewAbove(rule_id="review", amounts=[pln("1000.00")]),
        ComplaintPeriod(rule_id="liability", years=3),
        ComplaintResponse(rule_id="respond", days=21),
        RemedyOrder(rule_id="remedies", scope=Scope(customer_groups=["staff"])),
    ]


def delivered_order() -> Order:
    spec = OrderSpec(
        order_id="o-1",
        channel="web",
        currency="PLN",
        timezone=ZONE,
        prices_include_tax=True,
        lines=[
            LineSpec(
                line_id="l1",
                sku="SHOE",
                quantity=3,
                unit_price=pln("100.00"),
                tax_rate=Decimal("0.23"),
            ),
            LineSpec(line_id="l2", sku="SOCK", quantity=2, unit_price=pln("9.99")),
        ],
        shipping=[ShippingSpec(shipping_id="ship", method="courier", price=pln("15.00"))],
    )
    order, _ = apply(None, PlaceOrder(key="place", spec=spec), at=PLACED)
    for command in (
        AuthorizePayment(key="a1", payment_id="gc", tender="gift_card", amount=pln("50.00")),
        CapturePayment(key="c1", payment_id="gc"),
        AuthorizePayment(key="a2", payment_id="card", amount=order.total.gross - pln("50.00")),
        CapturePayment(key="c2", payment_id="card"),
        FulfilLines(key="pack", shipment_id="s1", lines={"l1": 3, "l2": 2}),
        ShipShipment(key="ship", shipment_id="s1"),
    ):
        order, _ = apply(order, command, at=PLACED)
    order, _ = apply(order, ConfirmDelivery(key="deliver", shipment_id="s1"), at=DELIVERED)
    return order


ORDER = delivered_order()
POLICY = eu_policy(
    country="PL",
    calendar=CALENDAR,
    standard_delivery=[pln("9.99")],
    return_costs=[pln("12.00")],
    tender_order=["gift_card", "card"],
    voluntary=[
        ReturnWindow(rule_id="window", days=30),
        RestockingFee(rule_id="restocking", rate=Decimal("0.1")),
        ReviewAbove(rule_id="review", amounts=[pln("250.00")]),
    ],
)


def full_request(**changes: object) -> ReturnRequest:
    values: dict[str, object] = {
        "return_id": "r-1",
        "kind": ReturnKind.VOLUNTARY,
        "requested_at": REQUESTED,
        "lines": [
            ReturnLine(
                line_id="l1",
                quantity=2,
                condition=ItemCondition.OPENED,
                reason="size_too_small",
                traits=[ItemTrait.SEALED_HYGIENE, ItemTrait.FINAL_SALE],
                categories=["shoes", "sale"],
                product_id="SHOE-42",
                exchange_for="SHOE-43",
            ),
            ReturnLine(line_id="l2", quantity=1, remedy=Remedy.REPAIR),
        ],
        "refund_method": RefundMethod.STORE_CREDIT,
        "customer_group": "vip",
        "country": "pl",
        "note": "Zażółć gęślą jaźń",
    }
    values.update(changes)
    return ReturnRequest(**values)  # type: ignore[arg-type]


def every_kind_message() -> Message:
    return Message(
        EVERY_KIND.code,
        {
            "text": "tekst",
            "count": 3,
            "number": Decimal("1.50"),
            "share": Percent(Decimal("0.125")),
            "price": Money("12.30", "PLN"),
            "day": dt.date(2026, 3, 16),
            "moment": pendulum.datetime(2026, 3, 16, 23, 30, tz="Asia/Kolkata"),
        },
    )


def lifecycle() -> Rma:
    """A return through review, a label, a receipt with diminished value, a write-off,
    a refund and closing."""
    request = ReturnRequest(
        return_id="r-1",
        kind="voluntary",
        requested_at=REQUESTED,
        lines=[ReturnLine(line_id="l1", quantity=3), ReturnLine(line_id="l2", quantity=2)],
    )
    rma, order, _ = open_return(POLICY, request, order=ORDER, at=REQUESTED, key="r-1")
    at = REQUESTED
    for command in (
        ReviewReturn(key="review", approve={"l1": 2}, note="one is worn"),
        AwaitItems(key="label", carrier="inpost", tracking_number="PL-1"),
        ReceiveItems(
            key="receive",
            items=[
                ReceivedItem(
                    line_id="l1",
                    quantity=2,
                    condition="used",
                    resellable=False,
                    diminished_value=pln("20.00"),
                )
            ],
        ),
        WriteOffItems(key="lost", lines={"l2": 2}, reason="lost by the carrier"),
        RefundReturn(key="refund", tender_caps={"card": pln("500.00")}),
        CloseReturn(key="close"),
    ):
        at = at.add(hours=1)
        rma, order, _ = apply_return(rma, command, order=order, at=at)
    return rma


RMA = lifecycle()


def every_command() -> list[ReturnCommand]:
    decision = evaluate_return(POLICY, full_request(), order=ORDER, at=REQUESTED)
    return [
        OpenReturn(key="open", request=full_request(), expected_version=0),
        DecideReturn(key="decide", decision=decision),
        ReviewReturn(key="review", approve={"l1": 1}, note="ok"),
        AwaitItems(key="label", carrier="dhl", tracking_number="123"),
        ReceiveItems(
            key="receive",
            items=[
                ReceivedItem(
                    line_id="l1",
                    quantity=1,
                    condition="damaged",
                    resellable=False,
                    diminished_value=pln("3.10"),
                )
            ],
        ),
        WriteOffItems(key="lost", lines={"l1": 1}, reason="kept"),
        RefundReturn(
            key="refund",
            method="original_payment",
            tender_caps={"card": pln("1"), "gift_card": pln("2")},
            expected_version=7,
        ),
        RefundReturn(key="refund-default"),
        ExchangeItems(key="swap", replacement_order_id="o-2", note="size 43"),
        CloseReturn(key="close"),
        CancelReturn(key="cancel", reason="changed my mind"),
    ]


def every_event() -> list[ReturnEvent]:
    cancelled = ReturnRequest(
        return_id="r-2",
        kind="withdrawal",
        requested_at=REQUESTED,
        lines=[ReturnLine(line_id="l1", quantity=1)],
    )
    other, order, _ = open_return(POLICY, cancelled, order=ORDER, at=REQUESTED, key="r-2")
    other, _, _ = apply_return(other, CancelReturn(key="cancel"), order=order, at=REQUESTED)
    exchanged = ReturnRequest(
        return_id="r-3",
        kind="voluntary",
        requested_at=REQUESTED,
        lines=[ReturnLine(line_id="l2", quantity=1)],
    )
    swap, order, _ = open_return(POLICY, exchanged, order=ORDER, at=REQUESTED, key="r-3")
    swap, order, _ = apply_return(
        swap,
        ReceiveItems(key="receive", items=[ReceivedItem(line_id="l2", quantity=1)]),
        order=order,
        at=REQUESTED,
    )
    swap, order, _ = apply_return(
        swap, ExchangeItems(key="swap", replacement_order_id="o-9"), order=order, at=REQUESTED
    )
    return [*RMA.events, *other.events[1:], *swap.events[-1:]]


# ---------------------------------------------------------------------- round trips


class TestPolicies:
    def test_a_policy_with_every_built_in_rule_type_round_trips(self):
        rules = every_rule()
        assert {type(rule).__name__ for rule in rules} == set(BUILTIN_RULE_TYPES)
        policy = ReturnPolicy(
            name="Every rule",
            version="2026-03",
            rules=rules,
            tender_order=["gift_card"],
            description="all of them",
        )
        back = round_trip(policy, ReturnPolicy)
        assert back == policy
        assert [type(rule) for rule in back.rules] == [type(rule) for rule in rules]

    def test_rules_are_tagged_with_their_type_and_keep_exact_amounts_and_rates(self):
        document = json.loads(to_json(ReturnPolicy(name="p", version="1", rules=every_rule())))
        rules = {rule["rule_id"]: rule for rule in document["rules"]}
        assert next(iter(rules["window"])) == "type"
        assert rules["window"]["type"] == "ReturnWindow"
        assert rules["window"]["calendar"] == {
            "weekend": [5, 6],
            "holidays": ["2026-04-06", "2026-11-11"],
            "name": "PL",
        }
        assert rules["window"]["scope"]["countries"] == ["DE", "PL"]
        assert rules["restocking-rate"]["rate"] == "0.125"
        assert rules["restocking-fixed"]["amounts"] == [
            {"amount": "1.5", "currency": "EUR"},
            {"amount": "4.99", "currency": "PLN"},
        ]
        assert rules["delivery"]["caps"] == [{"amount": "9.990", "currency": "KWD"}]
        assert rules["withdrawal"]["calendar"] is None

    def test_each_rule_round_trips_alone_through_its_base_and_its_own_class(self):
        for rule in every_rule():
            assert round_trip(rule, ReturnRule) == rule
            assert round_trip(rule, type(rule)) == rule

    def test_the_polish_eu_preset_round_trips(self):
        for policy in (eu_policy(country="PL"), POLICY):
            back = round_trip(policy, ReturnPolicy)
            assert back == policy
            assert [rule.rule_id for rule in back.rules] == [rule.rule_id for rule in policy.rules]

    def test_a_host_rule_type_registered_for_json_round_trips(self):
        rule = SerializationTestUnitLimit(
            rule_id="two-at-most",
            scope=Scope(kinds=["voluntary"], channels=["web"]),
            most=2,
            fee=pln("1.99"),
            rate=Decimal("0.333"),
            conditions=(ItemCondition.USED,),
        )
        policy = ReturnPolicy(name="host", version="1", rules=[rule, FinalSale(rule_id="final")])
        text = to_json(policy)
        assert '"type":"SerializationTestUnitLimit"' in text
        assert from_json(text, ReturnPolicy) == policy
        assert round_trip(rule, ReturnRule) == rule

    def test_a_policy_read_back_decides_like_the_original(self):
        back = round_trip(POLICY, ReturnPolicy)
        request = full_request(refund_method=RefundMethod.ORIGINAL_PAYMENT)
        assert evaluate_return(back, request, order=ORDER, at=REQUESTED) == evaluate_return(
            POLICY, request, order=ORDER, at=REQUESTED
        )


class TestRequestsDecisionsRefunds:
    def test_a_request_with_every_field_round_trips(self):
        for request in (
            full_request(),
            full_request(
                kind="withdrawal",
                withdrawal_informed=False,
                withdrawal_informed_at=REQUESTED.subtract(days=1),
                country=None,
                customer_group=None,
            ),
        ):
            assert round_trip(request, ReturnRequest) == request

    def test_a_decision_with_reasons_fees_and_a_refund_round_trips(self):
        decision = evaluate_return(POLICY, full_request(), order=ORDER, at=REQUESTED)
        assert decision.fees
        assert decision.reasons or any(line.reasons for line in decision.lines)
        back = round_trip(decision, ReturnDecision)
        assert back == decision
        assert back.explain("pl") == decision.explain("pl")

    def test_a_message_with_an_argument_of_every_kind_round_trips(self):
        message = every_kind_message()
        document = json.loads(to_json(message))
        assert {name: next(iter(arg)) for name, arg in document["args"].items()} == {
            "text": "text",
            "count": "int",
            "number": "decimal",
            "share": "percent",
            "price": "money",
            "day": "date",
            "moment": "datetime",
        }
        back = round_trip(message, Message)
        assert back == message
        assert type(back.args["moment"]) is not dt.date
        assert back.args["moment"].utcoffset() == dt.timedelta(hours=5, minutes=30)
        assert str(back.args["number"]) == "1.50"
        for locale in ("en", "pl", "ar"):
            assert back.render(locale) == message.render(locale)

    def test_a_decision_holding_messages_of_every_argument_kind_round_trips(self):
        decision = evaluate_return(POLICY, full_request(), order=ORDER, at=REQUESTED)
        line = decision.lines[0]
        extra = attrs.evolve(line.reasons[0], message=every_kind_message())
        decision = attrs.evolve(
            decision,
            lines=(attrs.evolve(line, reasons=(*line.reasons, extra)), *decision.lines[1:]),
        )
        assert round_trip(decision, ReturnDecision) == decision

    def test_a_refund_with_deductions_and_tenders_round_trips(self):
        order = ORDER
        refund = calculate_refund(
            order,
            {"l1": 2, "l2": 1},
            shipping=ShippingRefund.PRO_RATA,
            shipping_cap=pln("10.00"),
            deductions=[
                Deduction(kind="restocking_fee", amount=pln("5.00"), rule_id="r", line_id="l1"),
                Deduction(kind="host_kind", amount=pln("0.01")),
            ],
            tender_order=["card"],
            tender_caps={"card": pln("100.00")},
            units_recorded=False,
        )
        assert len(refund.tenders) == 2
        assert round_trip(refund, Refund) == refund

    def test_a_store_credit_refund_round_trips(self):
        refund = calculate_refund(
            ORDER, {"l2": 2}, method=RefundMethod.STORE_CREDIT, units_recorded=False
        )
        assert round_trip(refund, Refund) == refund


class TestReturns:
    def test_a_return_with_its_whole_log_round_trips(self):
        assert [type(event).__name__ for event in RMA.events] == [
            "ReturnOpened",
            "ReturnDecided",
            "ReturnReviewed",
            "ReturnLabelIssued",
            "ItemsReceived",
            "ItemsWrittenOff",
            "ReturnRefunded",
            "ReturnClosed",
        ]
        back = round_trip(RMA, Rma)
        assert back == RMA
        assert replay_return(back.events) == RMA

    def test_a_return_read_back_can_be_moved_on(self):
        request = ReturnRequest(
            return_id="r-5",
            kind="voluntary",
            requested_at=REQUESTED,
            lines=[ReturnLine(line_id="l2", quantity=1)],
        )
        rma, order, _ = open_return(POLICY, request, order=ORDER, at=REQUESTED, key="r-5")
        back = round_trip(rma, Rma)
        order_back = round_trip(order, Order)
        command = ReceiveItems(key="receive", items=[ReceivedItem(line_id="l2", quantity=1)])
        moved, order_moved, _ = apply_return(back, command, order=order_back, at=REQUESTED)
        expected, order_expected, _ = apply_return(rma, command, order=order, at=REQUESTED)
        assert moved == expected
        assert order_moved == order_expected

    @pytest.mark.parametrize("command", every_command(), ids=lambda command: command.key)
    def test_every_return_command_round_trips_tagged_by_its_type(self, command):
        text = to_json(command)
        document = json.loads(text)
        assert next(iter(document)) == "type"
        assert document["type"] == type(command).__name__
        assert from_json(text, ReturnCommand) == command
        assert from_json(text, type(command)) == command
        del document["type"]
        assert make_converter().structure(document, type(command)) == command

    @pytest.mark.parametrize("event", every_event(), ids=lambda event: type(event).__name__)
    def test_every_return_event_round_trips_tagged_by_its_type(self, event):
        text = to_json(event)
        document = json.loads(text)
        assert next(iter(document)) == "type"
        assert document["type"] == type(event).__name__
        assert from_json(text, ReturnEvent) == event
        assert from_json(text, type(event)) == event

    def test_every_kind_of_event_is_covered(self):
        kinds = {type(event).__name__ for event in every_event()}
        assert kinds == {
            "ReturnOpened",
            "ReturnDecided",
            "ReturnReviewed",
            "ReturnLabelIssued",
            "ItemsReceived",
            "ItemsWrittenOff",
            "ReturnRefunded",
            "ReturnExchanged",
            "ReturnClosed",
            "ReturnCancelled",
        }

    def test_a_list_of_events_keeps_every_events_fields(self):
        events = list(RMA.events)
        back = from_json(to_json(events), list[ReturnEvent])
        assert back == events


# ---------------------------------------------------------------------- strict reading


def policy_document() -> dict:
    return json.loads(to_json(POLICY))


class TestStrictReading:
    def test_an_unknown_rule_type_is_refused_with_its_path(self):
        document = policy_document()
        document["rules"][2]["type"] = "ReturnWindows"
        assert problems(document, ReturnPolicy) == [
            (
                "unknown ReturnRule type 'ReturnWindows'; did you mean 'ReturnWindow'? "
                "@ $.rules[2].type"
            )
        ]

    def test_a_rule_without_its_type_is_refused(self):
        document = policy_document()
        del document["rules"][0]["type"]
        (message,) = problems(document, ReturnPolicy)
        assert message.endswith("@ $.rules[0].type")
        assert "required key missing" in message

    def test_the_abstract_rule_base_is_not_a_type(self):
        document = policy_document()
        document["rules"][0]["type"] = "ReturnRule"
        (message,) = problems(document, ReturnPolicy)
        assert message.startswith("ReturnRule is the abstract base")
        assert message.endswith("@ $.rules[0].type")

    def test_unknown_keys_are_refused_wherever_they_are(self):
        document = policy_document()
        document["owner"] = "me"
        document["rules"][1]["severity"] = "high"
        document["rules"][0]["scope"]["regions"] = ["EU"]
        assert problems(document, ReturnPolicy) == [
            "unknown key 'regions' @ $.rules[0].scope",
            "unknown key 'severity' @ $.rules[1]",
            "unknown key 'owner' @ $",
        ]

    def test_a_bad_rule_parameter_is_refused_with_its_path(self):
        document = policy_document()
        window = next(i for i, rule in enumerate(document["rules"]) if rule["rule_id"] == "window")
        document["rules"][window]["days"] = "30"
        (message,) = problems(document, ReturnPolicy)
        assert message.endswith(f"@ $.rules[{window}].days")

    def test_an_unknown_event_type_in_a_returns_log_is_refused_with_its_path(self):
        document = json.loads(to_json(RMA))
        document["events"][3]["type"] = "LabelPrinted"
        (message,) = problems(document, Rma)
        assert message == "unknown ReturnEvent type 'LabelPrinted' @ $.events[3].type"

    def test_an_unknown_key_in_an_event_is_refused_with_its_path(self):
        document = json.loads(to_json(RMA))
        document["events"][4]["items"][0]["colour"] = "red"
        assert problems(document, Rma) == ["unknown key 'colour' @ $.events[4].items[0]"]

    def test_an_unknown_command_type_is_refused(self):
        (message,) = problems({"type": "RefundEverything", "key": "k"}, ReturnCommand)
        assert message.startswith("unknown ReturnCommand type 'RefundEverything'")
        assert message.endswith("@ $.type")

    def test_a_command_of_another_class_than_asked_for_is_refused(self):
        text = to_json(CloseReturn(key="close"))
        (message,) = problems(text, CancelReturn)
        assert message.endswith("@ $.type")
        assert "expected 'CancelReturn'" in message

    def test_a_message_argument_of_an_unknown_kind_is_refused(self):
        document = json.loads(to_json(every_kind_message()))
        document["args"]["count"] = {"float": "3.0"}
        assert problems(document, Message) == [
            "must be one of text, int, decimal, percent, money, datetime, date @ $.args.count"
        ]

    def test_a_message_argument_with_two_kinds_is_refused(self):
        document = json.loads(to_json(every_kind_message()))
        document["args"]["count"] = {"int": 3, "text": "3"}
        (message,) = problems(document, Message)
        assert message.startswith("expected an object with one key of text, int")
        assert message.endswith("@ $.args.count")

    def test_a_message_argument_of_the_wrong_type_for_its_kind_is_refused(self):
        document = json.loads(to_json(every_kind_message()))
        document["args"]["count"] = {"int": "3"}
        (message,) = problems(document, Message)
        assert "expected an integer, got the string '3'" in message

    def test_a_message_argument_problem_is_reported_once_at_the_arguments_path(self):
        document = json.loads(to_json(every_kind_message()))
        document["args"]["count"] = {"int": "3"}
        with pytest.raises(DataValidationError) as caught:
            from_json(json.dumps(document), Message)
        (problem,) = caught.value.problems
        assert problem.path.startswith("$.args.count")
        assert "\n" not in problem.message

    def test_a_message_with_an_unknown_key_is_refused(self):
        document = json.loads(to_json(every_kind_message()))
        document["locale"] = "pl"
        assert problems(document, Message) == ["unknown key 'locale' @ $"]

    def test_a_message_with_an_unknown_code_is_refused(self):
        assert problems({"code": "no.such.code", "args": {}}, Message) == [
            "code: no message has this code; register it with register_message() @ $"
        ]

    def test_a_message_inside_a_decision_is_refused_with_the_decisions_path(self):
        decision = evaluate_return(POLICY, full_request(), order=ORDER, at=REQUESTED)
        document = json.loads(to_json(decision))
        reason = document["lines"][0]["reasons"][0]
        name = next(iter(reason["message"]["args"]))
        reason["message"]["args"][name] = {"complex": "1+2j"}
        (message,) = problems(document, ReturnDecision)
        assert message == (
            "must be one of text, int, decimal, percent, money, datetime, date"
            f" @ $.lines[0].reasons[0].message.args.{name}"
        )
