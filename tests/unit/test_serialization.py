"""Tests for ecomkit.serialization: the wire format and strict reading."""

from __future__ import annotations

import datetime as dt
import enum
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import cattrs
import pendulum
import pytest

from ecomkit import Money, MoneyRange, TaxedMoney
from ecomkit.errors import DataValidationError, EcomkitError
from ecomkit.i18n import LocalizedText
from ecomkit.money import Currency, Rounding
from ecomkit.serialization import (
    EcomkitConverter,
    configure_converter,
    from_json,
    make_converter,
    to_json,
)


class Channel(enum.StrEnum):
    WEB = "web"
    MARKETPLACE = "marketplace"


@attrs.frozen
class Line:
    sku: str
    quantity: int
    unit_price: Money
    gift: bool = False


@attrs.frozen
class Order:
    id: str
    channel: Channel
    placed_at: pendulum.DateTime
    lines: list[Line]
    ship_by: pendulum.Date | None = None
    note: LocalizedText | None = None


def an_order() -> Order:
    return Order(
        id="A-1",
        channel=Channel.WEB,
        placed_at=pendulum.datetime(2026, 3, 29, 1, 30, tz="Europe/Warsaw"),
        lines=[
            Line("SKU-1", 2, Money("19.99", "EUR")),
            Line("SKU-2", 1, Money("5.00", "EUR"), gift=True),
        ],
        ship_by=pendulum.Date(2026, 3, 31),
        note=LocalizedText(
            {"en": "Leave at door", "pl": "Zostawić pod drzwiami"}, default_locale="en"
        ),
    )


def problems_of(document: object, cls: type) -> list[str]:
    with pytest.raises(DataValidationError) as caught:
        make_converter().structure(document, cls)
    return caught.value.messages()


class TestWireFormat:
    def test_money_is_an_object_with_a_string_amount_and_a_code(self):
        assert make_converter().unstructure(Money("12.30", "EUR")) == {
            "amount": "12.30",
            "currency": "EUR",
        }

    def test_decimals_keep_their_trailing_zeros(self):
        assert to_json(Money("1.50", "EUR")) == '{"amount":"1.50","currency":"EUR"}'

    def test_datetimes_are_iso_8601_with_their_offset(self):
        data = make_converter().unstructure(an_order())
        assert data["placed_at"] == "2026-03-29T01:30:00+01:00"
        assert data["ship_by"] == "2026-03-31"

    def test_enums_are_written_by_value(self):
        assert make_converter().unstructure(an_order())["channel"] == "web"

    def test_localized_text_keeps_its_locales_and_default(self):
        data = make_converter().unstructure(an_order().note)
        assert data == {
            "values": {"en": "Leave at door", "pl": "Zostawić pod drzwiami"},
            "default_locale": "en",
        }

    def test_non_ascii_text_is_written_as_is(self):
        assert "Zostawić" in to_json(an_order())

    def test_an_order_round_trips_through_json(self):
        order = an_order()
        assert from_json(to_json(order), Order) == order

    def test_taxed_money_and_ranges_round_trip(self):
        taxed = TaxedMoney.from_gross(Money(1000, "EUR"), rate="0.2", rounding=Rounding.HALF_UP)
        prices = MoneyRange(Money("1", "PLN"), Money("3.50", "PLN"))
        assert from_json(to_json(taxed), TaxedMoney) == taxed
        assert from_json(to_json(prices), MoneyRange) == prices

    def test_json_bytes_are_accepted(self):
        assert from_json(b'{"amount": "1", "currency": "JPY"}', Money) == Money(1, "JPY")


class TestExactNumbers:
    def test_a_json_number_amount_is_read_exactly_from_its_text(self):
        money = from_json('{"amount": 12.34, "currency": "EUR"}', Money)
        assert money.amount == Decimal("12.34")
        assert str(money.amount) == "12.34"

    def test_a_long_json_number_is_not_rounded_through_a_float(self):
        money = from_json(
            '{"amount": 0.1000000000000000055511151231257827, "currency": "EUR"}', Money
        )
        assert money.amount == Decimal("0.1000000000000000055511151231257827")

    def test_a_python_float_amount_is_refused_with_advice(self):
        messages = problems_of({"amount": 12.34, "currency": "EUR"}, Money)
        assert messages == [
            (
                "expected str, int or decimal.Decimal, got the number 12.34; floats are not "
                "exact, pass the amount as a string such as '12.34' @ $.amount"
            )
        ]

    def test_a_fractional_quantity_is_refused_not_truncated(self):
        document = json.loads(to_json(an_order()))
        document["lines"][0]["quantity"] = 2.5
        with pytest.raises(DataValidationError) as caught:
            from_json(json.dumps(document), Order)
        assert caught.value.messages() == [
            "expected an integer, got the number 2.5 @ $.lines[0].quantity"
        ]

    @pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
    def test_json_nan_and_infinity_are_refused(self, constant):
        with pytest.raises(DataValidationError) as caught:
            from_json(f'{{"amount": {constant}, "currency": "EUR"}}', Money)
        assert caught.value.problems[0].path == "$"
        assert constant in caught.value.problems[0].message

    def test_a_nan_string_amount_is_refused(self):
        assert problems_of({"amount": "NaN", "currency": "EUR"}, Money) == [
            "not a decimal number @ $.amount"
        ]


class TestStrictReading:
    def test_a_string_is_not_an_integer(self):
        assert problems_of(
            {"sku": "A", "quantity": "2", "unit_price": {"amount": "1", "currency": "EUR"}}, Line
        ) == ["expected an integer, got the string '2' @ $.quantity"]

    def test_the_string_false_is_not_a_boolean(self):
        line = {
            "sku": "A",
            "quantity": 1,
            "unit_price": {"amount": "1", "currency": "EUR"},
            "gift": "false",
        }
        assert problems_of(line, Line) == [
            "expected true or false, got the string 'false' @ $.gift"
        ]

    def test_a_number_is_not_a_string(self):
        line = {"sku": 12, "quantity": 1, "unit_price": {"amount": "1", "currency": "EUR"}}
        assert problems_of(line, Line) == ["expected a string, got the number 12 @ $.sku"]

    def test_a_boolean_is_not_an_integer(self):
        line = {"sku": "A", "quantity": True, "unit_price": {"amount": "1", "currency": "EUR"}}
        assert problems_of(line, Line) == ["expected an integer, got true @ $.quantity"]

    def test_a_naive_datetime_is_refused(self):
        document = make_converter().unstructure(an_order())
        document["placed_at"] = "2026-03-29T01:30:00"
        messages = problems_of(document, Order)
        assert len(messages) == 1
        assert messages[0].startswith("naive datetime")
        assert messages[0].endswith("@ $.placed_at")

    def test_a_malformed_datetime_and_date_are_refused(self):
        document = make_converter().unstructure(an_order())
        document["placed_at"] = "yesterday"
        document["ship_by"] = "2026-02-30"
        assert problems_of(document, Order) == [
            "not an ISO 8601 datetime @ $.placed_at",
            "not an ISO 8601 date @ $.ship_by",
        ]

    def test_a_zulu_datetime_is_read_as_utc(self):
        document = make_converter().unstructure(an_order())
        document["placed_at"] = "2026-03-29T00:30:00Z"
        order = make_converter().structure(document, Order)
        assert order.placed_at == an_order().placed_at
        assert order.placed_at.utcoffset() == dt.timedelta(0)

    def test_an_unknown_enum_value_is_refused_with_the_choices(self):
        document = make_converter().unstructure(an_order())
        document["channel"] = "shop"
        assert problems_of(document, Order) == [
            "not a Channel (one of 'web', 'marketplace') @ $.channel"
        ]

    def test_unknown_keys_are_refused_at_every_level(self):
        document = make_converter().unstructure(an_order())
        document["colour"] = "red"
        document["lines"][1]["discount"] = "1"
        document["lines"][0]["unit_price"]["tax"] = "0"
        assert problems_of(document, Order) == [
            "unknown key 'tax' @ $.lines[0].unit_price",
            "unknown key 'discount' @ $.lines[1]",
            "unknown key 'colour' @ $",
        ]

    def test_a_missing_key_is_reported_with_its_path(self):
        document = make_converter().unstructure(an_order())
        del document["lines"][1]["sku"]
        del document["lines"][0]["unit_price"]["currency"]
        assert problems_of(document, Order) == [
            "missing key 'currency' @ $.lines[0].unit_price",
            "required key missing @ $.lines[1].sku",
        ]

    def test_an_unknown_currency_is_refused(self):
        messages = problems_of({"amount": "1", "currency": "XYZ"}, Money)
        assert len(messages) == 1
        assert "'XYZ' is not an ISO 4217 currency code" in messages[0]
        assert messages[0].endswith("@ $.currency")

    def test_money_that_is_not_an_object_is_refused(self):
        assert problems_of("12.30 EUR", Money) == [
            'expected an object {"amount": ..., "currency": ...}, got the string \'12.30 EUR\' @ $'
        ]

    def test_inconsistent_values_are_refused_by_the_model(self):
        document = {
            "net": {"amount": "1", "currency": "EUR"},
            "gross": {"amount": "1", "currency": "USD"},
        }
        messages = problems_of(document, TaxedMoney)
        assert len(messages) == 1
        assert messages[0].startswith("cannot build TaxedMoney from USD and EUR")


class TestEveryProblemAtOnce:
    def test_all_problems_of_a_document_are_reported_with_paths(self):
        document = make_converter().unstructure(an_order())
        document["lines"][0]["unit_price"] = {"amount": "12,30", "currency": "ZZZ"}
        document["lines"][1]["quantity"] = 1.5
        document["channel"] = "fax"
        with pytest.raises(DataValidationError) as caught:
            make_converter().structure(document, Order)
        error = caught.value
        assert error.target == "Order"
        assert [problem.path for problem in error.problems] == [
            "$.channel",
            "$.lines[0].unit_price.amount",
            "$.lines[0].unit_price.currency",
            "$.lines[1].quantity",
        ]
        assert error.problems[1].message == "not a decimal number"
        assert error.problems[1].value == "12,30"
        assert str(error).startswith("Order: 4 problems\n")

    def test_the_error_is_an_ecomkit_error_and_a_value_error(self):
        with pytest.raises(DataValidationError) as caught:
            from_json("{", Money)
        assert isinstance(caught.value, EcomkitError)
        assert isinstance(caught.value, ValueError)
        assert caught.value.problems[0].message.startswith("not valid JSON")

    def test_localized_text_problems_are_reported(self):
        assert problems_of({"values": {"en": "x"}, "lang": "en"}, LocalizedText) == [
            "unknown key 'lang' @ $"
        ]
        assert problems_of({"values": ["x"]}, LocalizedText) == [
            "values: expected an object of locale: text, got list @ $"
        ]
        assert problems_of({"values": {"en": "x"}, "default_locale": 1}, LocalizedText) == [
            "default_locale: expected a locale code, got the number 1 @ $"
        ]
        assert problems_of("Shoe", LocalizedText) == [
            (
                'expected an object {"values": {...}, "default_locale": ...}, '
                "got the string 'Shoe' @ $"
            )
        ]


class TestConverters:
    def test_make_converter_returns_an_ecomkit_converter(self):
        assert isinstance(make_converter(), EcomkitConverter)

    def test_a_hook_registered_late_is_used_for_error_reports_too(self):
        converter = make_converter()
        with pytest.raises(DataValidationError):
            converter.structure({"amount": "x", "currency": "EUR"}, Money)

        def money_from_text(value, _kind):
            amount, code = value.split()
            return Money(amount, code)

        converter.register_structure_hook(Money, money_from_text)
        assert converter.structure("1.50 EUR", Money) == Money("1.50", "EUR")
        with pytest.raises(DataValidationError) as caught:
            converter.structure("1,50 EUR", Money)
        assert caught.value.messages() == ["amount: not a decimal number @ $"]

    def test_configure_converter_adds_ecomkit_types_to_a_host_converter(self):
        converter = cattrs.Converter()
        configure_converter(converter)
        assert converter.structure({"amount": "2", "currency": "pln"}, Money) == Money(2, "PLN")
        assert converter.unstructure(Currency("eur")) == "EUR"

    def test_an_explicit_converter_is_used_by_the_json_helpers(self):
        converter = make_converter()
        converter.register_unstructure_hook(Money, lambda money: f"{money.amount} {money.currency}")
        assert to_json(Money("1.00", "EUR"), converter=converter) == '"1.00 EUR"'


class Size(enum.IntEnum):
    SMALL = 1
    LARGE = 2


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@attrs.frozen
class Shapes:
    size: Size
    colour: Colour
    weight: Decimal
    made_on: dt.date
    seen_at: dt.datetime
    prices: dict[str, Money]


def shapes_document(**changes):
    document = {
        "size": 2,
        "colour": "blue",
        "weight": "0.250",
        "made_on": "2026-01-31",
        "seen_at": "2026-01-31T12:00:00+05:30",
        "prices": {"EUR": {"amount": "1.00", "currency": "EUR"}},
    }
    document.update(changes)
    return document


class TestMoreShapes:
    def test_int_and_plain_enums_decimals_dates_and_dicts_are_read(self):
        shapes = make_converter().structure(shapes_document(), Shapes)
        assert shapes.size is Size.LARGE
        assert shapes.colour is Colour.BLUE
        assert str(shapes.weight) == "0.250"
        assert shapes.made_on == dt.date(2026, 1, 31)
        assert shapes.seen_at.utcoffset() == dt.timedelta(hours=5, minutes=30)
        assert shapes.prices == {"EUR": Money("1.00", "EUR")}

    def test_bad_values_in_every_shape_are_reported_with_their_paths(self):
        document = shapes_document(
            size=3,
            colour="green",
            weight=None,
            made_on=20260131,
            prices={"price list": {"amount": "x", "currency": "EUR"}},
        )
        assert problems_of(document, Shapes) == [
            "not a Size (one of 1, 2) @ $.size",
            "not a Colour (one of 'red', 'blue') @ $.colour",
            "expected str, int or decimal.Decimal, got null @ $.weight",
            "expected an ISO 8601 date string, got the number 20260131 @ $.made_on",
            'not a decimal number @ $.prices["price list"].amount',
        ]

    def test_python_datetimes_and_dates_are_accepted_when_structuring_objects(self):
        warsaw = pendulum.datetime(2026, 7, 1, 12, tz="Europe/Warsaw")
        document = shapes_document(seen_at=warsaw, made_on=dt.date(2026, 7, 1))
        shapes = make_converter().structure(document, Shapes)
        assert shapes.seen_at == warsaw
        assert shapes.made_on == pendulum.Date(2026, 7, 1)

    def test_a_naive_python_datetime_and_a_datetime_for_a_date_are_refused(self):
        document = shapes_document(
            seen_at=dt.datetime(2026, 7, 1, 12),  # noqa: DTZ001 - naive on purpose
            made_on=dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
        )
        messages = problems_of(document, Shapes)
        assert messages[0] == ("expected an ISO 8601 date string, got datetime @ $.made_on")
        assert messages[1].startswith("naive datetime")
        assert messages[1].endswith("@ $.seen_at")

    def test_a_hook_that_raises_a_foreign_error_is_reported_by_its_type(self):
        converter = make_converter()

        def refuse(_value, _kind):
            raise LookupError("no such colour card")

        converter.register_structure_hook_func(lambda kind: kind is Colour, refuse)
        with pytest.raises(DataValidationError) as caught:
            converter.structure(shapes_document(), Shapes)
        assert caught.value.messages() == ["LookupError: no such colour card @ $.colour"]

    def test_currency_fields_negative_zero_and_repeated_failures(self):
        @attrs.frozen
        class Ledger:
            currency: Currency
            balance: Money
            closed_at: dt.datetime

        converter = make_converter()
        ledger = converter.structure(
            {
                "currency": "pln",
                "balance": {"amount": "-0.00", "currency": "PLN"},
                "closed_at": "2026-01-01T00:00:00Z",
            },
            Ledger,
        )
        assert ledger.currency is Currency("PLN")
        assert str(ledger.balance.amount) == "0.00"
        bad = {"currency": "PLN", "balance": {"amount": "0", "currency": "PLN"}, "closed_at": 0}
        for _ in range(2):  # the second report reuses the detailed twin converter
            with pytest.raises(DataValidationError) as caught:
                converter.structure(bad, Ledger)
            assert caught.value.messages() == [
                "expected an ISO 8601 datetime string, got the number 0 @ $.closed_at"
            ]

    def test_a_python_datetime_in_a_dst_gap_keeps_its_instant(self):
        # 02:30 does not exist in Warsaw on 2024-03-31; fold=0 reads it with the winter
        # offset (+01:00), so the instant is 01:30 UTC.
        gap = dt.datetime(2024, 3, 31, 2, 30, tzinfo=ZoneInfo("Europe/Warsaw"))
        shapes = make_converter().structure(shapes_document(seen_at=gap), Shapes)
        assert shapes.seen_at.timestamp() == gap.timestamp()
        assert shapes.seen_at.in_timezone("UTC").hour == 1
