"""The price at a moment and the 30-day lowest (prior) price, read from the price history."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from ecomkit import Money
from ecomkit.catalog import (
    AttributeDef,
    CatalogSchema,
    Channel,
    Price,
    PriceChange,
    Product,
    ProductType,
    RemovePrice,
    SetPrice,
    create_product,
    edit_product,
    lowest_price,
    price_on,
)
from ecomkit.errors import (
    InvalidTypeError,
    InvalidValueError,
    NaiveDateTimeError,
    UnknownCurrencyError,
)


TZ = "Europe/Berlin"
SCHEMA = CatalogSchema(
    [AttributeDef("title", "text")],
    [ProductType("mug", ["title"], description_attribute=None)],
    [Channel("web", ["en"], ["EUR"]), Channel("outlet", ["en"], ["EUR", "PLN"])],
)


def day(number, hour=12):
    """A moment in March 2026 (April for 32 and up), in the shop's timezone."""
    return pendulum.datetime(2026, 3, 1, hour, tz=TZ).add(days=number - 1)


def eur(amount):
    return Money(amount, "EUR")


def with_history(*steps):
    """A mug whose prices were set by *steps*: (moment, change) pairs in time order."""
    first_at, first = steps[0]
    product = create_product(SCHEMA, sku="MUG", product_type="mug", changes=[first], at=first_at)
    mug = product.product
    for at, change in steps[1:]:
        mug = edit_product(SCHEMA, mug, [change], at=at).product
    return mug


def test_the_lowest_price_of_a_steady_price_is_that_price():
    mug = with_history((day(1), SetPrice(Price(eur("12.00")))))
    assert lowest_price(mug, "EUR", at=day(40)) == eur("12.00")


def test_the_lowest_price_is_the_lowest_regular_price_in_the_window():
    mug = with_history(
        (day(1), SetPrice(Price(eur("12")))),
        (day(5), SetPrice(Price(eur("9")))),
        (day(8), SetPrice(Price(eur("15")))),
    )
    assert lowest_price(mug, "EUR", at=day(20)) == eur("9")
    # 9 EUR was in force from day 5 to day 8 12:00; a window starting after that misses it.
    assert lowest_price(mug, "EUR", at=day(38, hour=13)) == eur("15")
    assert lowest_price(mug, "EUR", at=day(38, hour=11)) == eur("9")


def test_the_reduced_price_starting_at_the_end_of_the_window_is_not_counted():
    mug = with_history(
        (day(1), SetPrice(Price(eur("20")))),
        (day(10), SetPrice(Price(eur("14")))),  # the reduction being announced
    )
    assert lowest_price(mug, "EUR", at=day(10)) == eur("20")
    assert price_on(mug, "EUR", at=day(10)) == eur("14")


def test_a_sale_inside_the_window_counts_while_it_ran():
    sale = Price(eur("20"), sale=eur("15"), sale_from=day(12), sale_until=day(14))
    mug = with_history((day(1), SetPrice(Price(eur("20")))), (day(3), SetPrice(sale)))
    assert lowest_price(mug, "EUR", at=day(20)) == eur("15")
    assert price_on(mug, "EUR", at=day(12)) == eur("15")  # sale_from is inclusive
    assert price_on(mug, "EUR", at=day(14)) == eur("20")  # sale_until is exclusive
    # A window that starts when the sale has ended only saw the regular price.
    assert lowest_price(mug, "EUR", at=day(14).add(days=30)) == eur("20")


def test_a_sale_that_ended_before_the_window_does_not_count():
    sale = Price(eur("20"), sale=eur("10"), sale_from=day(1), sale_until=day(3))
    mug = with_history((day(1), SetPrice(sale)))
    assert lowest_price(mug, "EUR", at=day(3).add(days=30)) == eur("20")
    assert lowest_price(mug, "EUR", at=day(3).add(days=30).subtract(seconds=1)) == eur("10")


def test_a_sale_starting_after_the_window_does_not_count():
    sale = Price(eur("20"), sale=eur("10"), sale_from=day(25))
    mug = with_history((day(1), SetPrice(sale)))
    assert lowest_price(mug, "EUR", at=day(25)) == eur("20")
    assert lowest_price(mug, "EUR", at=day(26)) == eur("10")


def test_a_sale_running_when_the_window_starts_counts():
    sale = Price(eur("20"), sale=eur("16"), sale_until=day(5))
    mug = with_history((day(1), SetPrice(sale)))
    assert lowest_price(mug, "EUR", at=day(34)) == eur("16")


def test_a_removed_price_counts_only_while_it_was_in_force():
    mug = with_history(
        (day(1), SetPrice(Price(eur("8")))),
        (day(3), RemovePrice("EUR")),
        (day(10), SetPrice(Price(eur("11")))),
    )
    assert price_on(mug, "EUR", at=day(5)) is None
    assert lowest_price(mug, "EUR", at=day(20)) == eur("8")
    assert lowest_price(mug, "EUR", at=day(34)) == eur("11")  # the window starts on day 4


def test_no_price_in_the_window_gives_none():
    mug = with_history((day(1), SetPrice(Price(eur("8")))), (day(2), RemovePrice("EUR")))
    assert lowest_price(mug, "EUR", at=day(40)) is None
    assert lowest_price(mug, "PLN", at=day(10)) is None
    assert lowest_price(Product("MUG", "mug"), "EUR", at=day(10)) is None


def test_a_price_set_after_the_moment_is_not_seen():
    mug = with_history((day(10), SetPrice(Price(eur("8")))))
    assert price_on(mug, "EUR", at=day(9)) is None
    assert lowest_price(mug, "EUR", at=day(10)) is None
    assert lowest_price(mug, "EUR", at=day(11)) == eur("8")


def test_a_free_product_has_a_lowest_price_of_zero():
    mug = with_history((day(1), SetPrice(Price(eur("0")))), (day(2), SetPrice(Price(eur("5")))))
    assert lowest_price(mug, "EUR", at=day(10)) == eur("0")


def test_a_channel_falls_back_to_the_all_channels_price():
    mug = with_history(
        (day(1), SetPrice(Price(eur("12")))),
        (day(2), SetPrice(Price(eur("10"), channel="outlet"))),
        (day(6), RemovePrice("EUR", channel="outlet")),
        (day(8), SetPrice(Price(eur("13")))),
    )
    assert price_on(mug, "EUR", at=day(1, hour=13), channel="outlet") == eur("12")
    assert price_on(mug, "EUR", at=day(3), channel="outlet") == eur("10")
    assert price_on(mug, "EUR", at=day(7), channel="outlet") == eur("12")
    assert lowest_price(mug, "EUR", at=day(20), channel="outlet") == eur("10")
    assert lowest_price(mug, "EUR", at=day(20), channel="web") == eur("12")
    assert lowest_price(mug, "EUR", at=day(20)) == eur("12")
    # The outlet's own price was gone before this window; it saw 12 and then 13 EUR.
    assert lowest_price(mug, "EUR", at=day(36), channel="outlet") == eur("12")


def test_a_channel_price_does_not_change_the_all_channels_price():
    mug = with_history(
        (day(1), SetPrice(Price(eur("12")))),
        (day(2), SetPrice(Price(eur("3"), channel="outlet"))),
    )
    assert lowest_price(mug, "EUR", at=day(20)) == eur("12")
    assert lowest_price(mug, "EUR", at=day(20), channel="outlet") == eur("3")


def test_currencies_are_kept_apart_and_read_in_any_case():
    mug = with_history(
        (day(1), SetPrice(Price(eur("12"), channel="outlet"))),
        (day(2), SetPrice(Price(Money("50", "PLN"), channel="outlet"))),
    )
    assert lowest_price(mug, "pln", at=day(20), channel="outlet") == Money("50", "PLN")
    assert lowest_price(mug, "EUR", at=day(20), channel="outlet") == eur("12")


def test_a_thirty_day_window_across_the_switch_to_summer_time_is_thirty_calendar_days():
    # Summer time starts in Berlin on 2026-03-29; 30 days before 2026-04-10 12:00 CEST is
    # 2026-03-11 12:00 CET, which is 719 hours earlier, not 720.
    at = pendulum.datetime(2026, 4, 10, 12, tz=TZ)
    sale = Price(
        eur("20"),
        sale=eur("10"),
        sale_from=pendulum.datetime(2026, 3, 1, tz=TZ),
        sale_until=pendulum.datetime(2026, 3, 11, 11, 30, tz=TZ),
    )
    mug = with_history((pendulum.datetime(2026, 3, 1, tz=TZ), SetPrice(sale)))
    assert lowest_price(mug, "EUR", at=at) == eur("20")
    # The same moment written in UTC counts 30 days of 24 hours: the sale's last half hour
    # (10:00-10:30 UTC on 11 March) is inside that window.
    assert lowest_price(mug, "EUR", at=at.in_timezone("UTC")) == eur("10")


def test_a_window_across_the_end_of_summer_time_is_thirty_calendar_days():
    at = pendulum.datetime(2026, 11, 10, 12, tz=TZ)  # summer time ended on 25 October
    sale = Price(
        eur("20"),
        sale=eur("10"),
        sale_from=pendulum.datetime(2026, 10, 1, tz=TZ),
        sale_until=pendulum.datetime(2026, 10, 11, 11, 30, tz=TZ),
    )
    mug = with_history((pendulum.datetime(2026, 10, 1, tz=TZ), SetPrice(sale)))
    # The window starts on 11 October 12:00 CEST; the sale ended half an hour earlier.
    assert lowest_price(mug, "EUR", at=at) == eur("20")
    assert lowest_price(mug, "EUR", at=at, days=31) == eur("10")


def test_the_window_length_can_be_chosen():
    mug = with_history((day(1), SetPrice(Price(eur("9")))), (day(10), SetPrice(Price(eur("12")))))
    assert lowest_price(mug, "EUR", at=day(20), days=7) == eur("12")
    assert lowest_price(mug, "EUR", at=day(20), days=19) == eur("9")


def test_changes_at_the_same_moment_end_with_the_last_one():
    at = day(3)
    mug = Product(
        "MUG",
        "mug",
        price_history=[
            PriceChange(day(1), "EUR", None, Price(eur("10"))),
            PriceChange(at, "EUR", None, Price(eur("2"))),
            PriceChange(at, "EUR", None, Price(eur("11"))),
        ],
    )
    assert price_on(mug, "EUR", at=at) == eur("11")
    assert lowest_price(mug, "EUR", at=day(20)) == eur("10")


def test_a_history_in_other_timezones_is_compared_by_instant():
    change_at = dt.datetime(2026, 3, 5, 11, tzinfo=dt.UTC)  # 12:00 in Berlin
    mug = Product(
        "MUG", "mug", price_history=[PriceChange(change_at, "EUR", None, Price(eur("7")))]
    )
    assert price_on(mug, "EUR", at=pendulum.datetime(2026, 3, 5, 11, 59, tz=TZ)) is None
    assert price_on(mug, "EUR", at=pendulum.datetime(2026, 3, 5, 12, tz=TZ)) == eur("7")


@pytest.mark.parametrize("function", [lowest_price, price_on])
def test_a_naive_moment_is_refused(function):
    mug = with_history((day(1), SetPrice(Price(eur("9")))))
    with pytest.raises(NaiveDateTimeError) as caught:
        function(mug, "EUR", at=dt.datetime(2026, 3, 20, 12))  # noqa: DTZ001 - the point of the test
    assert caught.value.field == "at"


@pytest.mark.parametrize(
    ("arguments", "error", "field"),
    [
        ({"product": "MUG"}, InvalidTypeError, "product"),
        ({"currency": "EURO"}, UnknownCurrencyError, None),
        ({"currency": 978}, InvalidTypeError, "currency"),
        ({"days": 0}, InvalidValueError, "days"),
        ({"days": "30"}, InvalidTypeError, "days"),
        ({"channel": "no channel"}, InvalidValueError, "channel"),
        ({"at": "2026-03-20"}, InvalidTypeError, "at"),
    ],
)
def test_bad_arguments_are_refused_with_their_field(arguments, error, field):
    mug = with_history((day(1), SetPrice(Price(eur("9")))))
    call = {"product": mug, "currency": "EUR", "at": day(20)} | arguments
    with pytest.raises(error) as caught:
        lowest_price(call.pop("product"), call.pop("currency"), **call)
    if field is not None:
        assert caught.value.field == field
