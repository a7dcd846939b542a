"""The in-memory adapter beyond the contract suites: exchange rates, threads, repr, stores."""

from __future__ import annotations

import datetime as dt
import inspect
import threading
from decimal import Decimal

import pendulum
import pytest

from ecomkit import Currency, Money
from ecomkit.adapters import EventStream
from ecomkit.adapters.memory import (
    InMemoryExchangeRates,
    InMemoryOrderRepository,
    InMemoryProductRepository,
    InMemoryReturnRepository,
    InMemoryStore,
    InMemoryUnitOfWork,
)
from ecomkit.catalog import (
    AttributeDef,
    CatalogSchema,
    Channel,
    Product,
    ProductType,
    SetValue,
    create_product,
    edit_product,
)
from ecomkit.errors import (
    ExchangeRateNotFoundError,
    FloatNotAllowedError,
    InvalidRateError,
    InvalidTypeError,
    InvalidValueError,
    ProductNotFoundError,
    UnitOfWorkError,
    UnknownCurrencyError,
)
from ecomkit.orders import HoldOrder, LineSpec, OrderSpec, PlaceOrder, apply
from ecomkit.ports import (
    ExchangeRates,
    OrderRepository,
    ProductRepository,
    ReturnRepository,
    UnitOfWork,
)


AT = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Berlin")
FRIDAY = dt.date(2026, 3, 6)
SATURDAY = dt.date(2026, 3, 7)
SUNDAY = dt.date(2026, 3, 8)
MONDAY = dt.date(2026, 3, 9)
WAIT = 10.0
SCHEMA = CatalogSchema(
    [AttributeDef("title", "text", localizable=True)],
    [ProductType("book", ["title"], description_attribute=None)],
    [Channel("web", ["en"], ["EUR"])],
)


def placed(order_id="order-1"):
    spec = OrderSpec(
        order_id=order_id,
        channel="web",
        currency="EUR",
        timezone="Europe/Berlin",
        lines=[LineSpec(line_id="l1", sku="TEA", quantity=1, unit_price=Money("5", "EUR"))],
    )
    order, _ = apply(None, PlaceOrder(key="place", spec=spec), at=AT)
    return order


def in_thread(action):
    """Run *action* in another thread and return what it raised (or None)."""
    raised = []

    def run():
        try:
            action()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            raised.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(WAIT)
    assert not thread.is_alive()
    return raised[0] if raised else None


class TestExchangeRates:
    def test_a_rate_is_found_on_its_own_day(self):
        rates = InMemoryExchangeRates([("EUR", "PLN", FRIDAY, "4.2617")])
        assert rates.rate("EUR", "PLN", on=FRIDAY) == Decimal("4.2617")

    def test_a_weekend_falls_back_to_fridays_rate(self):
        rates = InMemoryExchangeRates(
            [("EUR", "PLN", FRIDAY, "4.2617"), ("EUR", "PLN", MONDAY, "4.3001")]
        )
        assert rates.rate("EUR", "PLN", on=SATURDAY) == Decimal("4.2617")
        assert rates.rate("EUR", "PLN", on=SUNDAY) == Decimal("4.2617")
        assert rates.rate("EUR", "PLN", on=MONDAY) == Decimal("4.3001")
        assert rates.rate("EUR", "PLN", on=MONDAY + dt.timedelta(days=30)) == Decimal("4.3001")

    def test_rates_added_out_of_order_are_looked_up_by_date(self):
        rates = InMemoryExchangeRates()
        rates.add("EUR", "PLN", on=MONDAY, rate="4.30")
        rates.add("EUR", "PLN", on=FRIDAY, rate="4.26")
        rates.add("EUR", "PLN", on=dt.date(2026, 3, 2), rate="4.20")
        assert rates.rate("EUR", "PLN", on=SUNDAY) == Decimal("4.26")
        assert rates.rate("EUR", "PLN", on=dt.date(2026, 3, 4)) == Decimal("4.20")

    def test_a_date_before_the_first_rate_is_not_found(self):
        rates = InMemoryExchangeRates([("EUR", "PLN", FRIDAY, "4.2617")])
        with pytest.raises(ExchangeRateNotFoundError) as caught:
            rates.rate("EUR", "PLN", on=dt.date(2026, 3, 5))
        assert (caught.value.base, caught.value.quote, caught.value.on) == (
            "EUR",
            "PLN",
            dt.date(2026, 3, 5),
        )

    def test_an_unknown_pair_is_not_found_and_is_not_inverted(self):
        rates = InMemoryExchangeRates([("EUR", "PLN", FRIDAY, "4.2617")])
        with pytest.raises(ExchangeRateNotFoundError):
            rates.rate("PLN", "EUR", on=FRIDAY)
        with pytest.raises(ExchangeRateNotFoundError):
            rates.rate("EUR", "USD", on=FRIDAY)

    def test_the_same_currency_is_exactly_one_without_any_rate(self):
        rates = InMemoryExchangeRates()
        one = rates.rate("eur", Currency("EUR"), on=FRIDAY)
        assert one == 1
        assert isinstance(one, Decimal)

    def test_codes_in_any_case_and_currency_objects_name_the_same_pair(self):
        rates = InMemoryExchangeRates()
        rates.add(Currency("EUR"), "pln", on=FRIDAY, rate=Decimal("4.2617"))
        assert rates.rate("eur", Currency("PLN"), on=FRIDAY) == Decimal("4.2617")

    def test_adding_a_rate_for_a_day_again_corrects_it(self):
        rates = InMemoryExchangeRates([("EUR", "PLN", FRIDAY, "4.2617")])
        rates.add("EUR", "PLN", on=FRIDAY, rate="4.2600")
        assert rates.rate("EUR", "PLN", on=SUNDAY) == Decimal("4.2600")
        assert repr(rates) == "InMemoryExchangeRates(pairs=1, rates=1)"

    def test_unknown_currencies_are_refused(self):
        rates = InMemoryExchangeRates()
        with pytest.raises(UnknownCurrencyError):
            rates.rate("EUR", "XYZ", on=FRIDAY)
        with pytest.raises(UnknownCurrencyError):
            rates.add("ABC", "EUR", on=FRIDAY, rate="1.5")

    @pytest.mark.parametrize(
        ("rate", "error"),
        [
            (4.26, FloatNotAllowedError),
            ("-4.26", InvalidRateError),
            ("0", InvalidRateError),
            ("four", InvalidRateError),
            (None, InvalidTypeError),
        ],
    )
    def test_a_rate_that_is_not_a_positive_decimal_is_refused(self, rate, error):
        rates = InMemoryExchangeRates()
        with pytest.raises(error) as caught:
            rates.add("EUR", "PLN", on=FRIDAY, rate=rate)
        assert caught.value.field == "rate"
        with pytest.raises(ExchangeRateNotFoundError):
            rates.rate("EUR", "PLN", on=FRIDAY)

    def test_a_datetime_or_text_is_not_a_day(self):
        rates = InMemoryExchangeRates()
        for day in (dt.datetime(2026, 3, 6, tzinfo=dt.UTC), "2026-03-06", None):
            with pytest.raises(InvalidTypeError) as caught:
                rates.add("EUR", "PLN", on=day, rate="4.26")
            assert caught.value.field == "on"
            with pytest.raises(InvalidTypeError):
                rates.rate("EUR", "PLN", on=day)

    def test_a_currency_that_is_not_text_is_refused(self):
        rates = InMemoryExchangeRates()
        with pytest.raises(InvalidTypeError) as caught:
            rates.rate(978, "PLN", on=FRIDAY)
        assert caught.value.field == "base"

    def test_a_rate_from_a_currency_to_itself_cannot_be_added(self):
        rates = InMemoryExchangeRates()
        with pytest.raises(InvalidValueError) as caught:
            rates.add("EUR", "eur", on=FRIDAY, rate="1")
        assert caught.value.field == "quote"

    @pytest.mark.parametrize(
        "given",
        [
            "EUR",
            42,
            [("EUR", "PLN", FRIDAY)],
            [["EUR", "PLN", FRIDAY, "4.26"]],
        ],
    )
    def test_initial_rates_that_are_not_four_field_tuples_are_refused(self, given):
        with pytest.raises(InvalidTypeError) as caught:
            InMemoryExchangeRates(given)
        assert caught.value.field == "rates"

    def test_rates_added_from_several_threads_are_all_kept(self):
        rates = InMemoryExchangeRates()
        start = threading.Barrier(4, timeout=WAIT)

        def add_month(quote):
            start.wait()
            for day in range(1, 29):
                rates.add("EUR", quote, on=dt.date(2026, 2, day), rate=str(day))

        threads = [
            threading.Thread(target=add_month, args=(quote,))
            for quote in ("PLN", "USD", "GBP", "CHF")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT)
        assert repr(rates) == "InMemoryExchangeRates(pairs=4, rates=112)"
        assert rates.rate("EUR", "CHF", on=dt.date(2026, 3, 1)) == Decimal(28)


class TestStore:
    def test_units_on_one_store_see_each_others_commits(self):
        store = InMemoryStore()
        writer, reader = InMemoryUnitOfWork(store), InMemoryUnitOfWork(store)
        assert writer.store is store
        assert reader.store is store
        with writer:
            writer.orders.add(placed())
            writer.commit()
        with reader:
            assert reader.orders.get("order-1") == placed()
        assert reader.events() == writer.events()

    def test_units_without_a_store_each_get_their_own(self):
        first, second = InMemoryUnitOfWork(), InMemoryUnitOfWork()
        assert first.store is not second.store
        with first:
            first.orders.add(placed())
            first.commit()
        assert second.events() == ()

    def test_a_store_must_be_an_in_memory_store(self):
        with pytest.raises(InvalidTypeError) as caught:
            InMemoryUnitOfWork({})
        assert caught.value.field == "store"

    def test_repr_counts_what_is_stored(self):
        store = InMemoryStore()
        created = create_product(SCHEMA, sku="BOOK-1", product_type="book", at=AT)
        uow = InMemoryUnitOfWork(store)
        assert repr(uow) == (
            "InMemoryUnitOfWork(idle, InMemoryStore(orders=0, returns=0, products=0, events=0))"
        )
        with uow:
            uow.orders.add(placed())
            uow.products.add(created.product, event=created.event)
            uow.commit()
            assert repr(uow).startswith("InMemoryUnitOfWork(entered, ")
        assert repr(store) == "InMemoryStore(orders=1, returns=0, products=1, events=2)"
        assert [stored.stream for stored in uow.events()] == [
            EventStream.ORDER,
            EventStream.PRODUCT,
        ]


class TestUnitMisuse:
    def test_another_thread_cannot_use_enter_or_commit_an_entered_unit(self):
        uow = InMemoryUnitOfWork()
        with uow:
            uow.orders.add(placed())
            for action in (
                lambda: uow.orders,
                uow.commit,
                uow.rollback,
                uow.__enter__,
            ):
                assert isinstance(in_thread(action), UnitOfWorkError)
            uow.commit()  # the owner's pending add survived the intruders
        with uow:
            assert uow.orders.get("order-1") == placed()

    def test_another_thread_may_use_the_unit_once_its_block_has_ended(self):
        uow = InMemoryUnitOfWork()
        with uow:
            uow.orders.add(placed())
            uow.commit()

        def read():
            with uow:
                assert uow.orders.get("order-1").version == 1

        assert in_thread(read) is None

    def test_a_repository_kept_after_the_block_refuses_work(self):
        uow = InMemoryUnitOfWork()
        with uow:
            orders = uow.orders
        with pytest.raises(UnitOfWorkError):
            orders.get("order-1")
        with pytest.raises(UnitOfWorkError):
            orders.add(placed())

    def test_commit_and_rollback_outside_a_block_raise(self):
        uow = InMemoryUnitOfWork()
        with pytest.raises(UnitOfWorkError):
            uow.commit()
        with pytest.raises(UnitOfWorkError):
            uow.rollback()

    def test_an_id_that_is_not_text_is_refused(self):
        with InMemoryUnitOfWork() as uow:
            with pytest.raises(InvalidTypeError) as caught:
                uow.orders.get(1)
            assert caught.value.field == "order_id"
            with pytest.raises(InvalidTypeError) as caught:
                uow.returns.for_order(None)
            assert caught.value.field == "order_id"
            with pytest.raises(InvalidTypeError) as caught:
                uow.products.get(b"BOOK-1")
            assert caught.value.field == "sku"

    @pytest.mark.parametrize(
        ("expected", "error"),
        [("1", InvalidTypeError), (True, InvalidTypeError), (-1, InvalidValueError)],
    )
    def test_an_expected_version_that_is_not_a_count_is_refused(self, expected, error):
        order = placed()
        held, _ = apply(order, HoldOrder(key="hold", reason="check"), at=AT)
        with InMemoryUnitOfWork() as uow:
            uow.orders.add(order)
            with pytest.raises(error) as caught:
                uow.orders.update(held, expected_version=expected)
            assert caught.value.field == "expected_version"
            assert uow.orders.get("order-1") == order

    def test_a_product_event_that_is_not_one_is_refused(self):
        created = create_product(SCHEMA, sku="BOOK-1", product_type="book", at=AT)
        uow = InMemoryUnitOfWork()
        with uow:
            with pytest.raises(InvalidTypeError) as caught:
                uow.products.add(created.product, event=placed().events[0])
            assert caught.value.field == "event"
            uow.commit()
        assert uow.events() == ()

    def test_a_product_event_of_another_product_or_version_is_refused(self):
        created = create_product(SCHEMA, sku="BOOK-1", product_type="book", at=AT)
        other = create_product(SCHEMA, sku="BOOK-2", product_type="book", at=AT)
        edited = edit_product(
            SCHEMA, created.product, [SetValue("title", "Dune", locale="en")], at=AT
        )
        uow = InMemoryUnitOfWork()
        with uow:
            with pytest.raises(InvalidValueError) as caught:
                uow.products.add(created.product, event=other.event)
            assert caught.value.field == "event"
            uow.products.add(created.product, event=created.event)
            with pytest.raises(InvalidValueError) as caught:
                uow.products.update(edited.product, expected_version=1, event=created.event)
            assert caught.value.field == "event"
            assert uow.products.get("BOOK-1") == created.product
            uow.commit()
        assert [stored.event for stored in uow.events()] == [created.event]

    def test_adding_an_aggregate_at_version_zero_is_refused(self):
        with InMemoryUnitOfWork() as uow:
            with pytest.raises(InvalidValueError) as caught:
                uow.products.add(Product("BOOK-1", "book", version=0))
            assert caught.value.field == "version"
            with pytest.raises(ProductNotFoundError):
                uow.products.get("BOOK-1")

    @pytest.mark.parametrize(
        ("arguments", "error"),
        [
            ({"after": -1}, InvalidValueError),
            ({"after": "0"}, InvalidTypeError),
            ({"limit": -1}, InvalidValueError),
            ({"limit": 1.0}, InvalidTypeError),
        ],
    )
    def test_a_log_window_that_is_not_a_count_is_refused(self, arguments, error):
        with pytest.raises(error):
            InMemoryUnitOfWork().events(**arguments)

    def test_a_log_window_of_zero_events_is_empty(self):
        uow = InMemoryUnitOfWork()
        with uow:
            uow.orders.add(placed())
            uow.commit()
        assert uow.events(limit=0) == ()


class TestPortConformance:
    """mypy --strict checks the ports structurally; these check the signatures at run time."""

    @pytest.mark.parametrize(
        ("port", "adapter"),
        [
            (UnitOfWork, InMemoryUnitOfWork),
            (OrderRepository, InMemoryOrderRepository),
            (ReturnRepository, InMemoryReturnRepository),
            (ProductRepository, InMemoryProductRepository),
            (ExchangeRates, InMemoryExchangeRates),
        ],
    )
    def test_every_port_member_exists_with_the_same_parameters(self, port, adapter):
        members = [
            name
            for name in vars(port)
            if not name.startswith("_") or name in {"__enter__", "__exit__"}
        ]
        assert members
        for name in members:
            wanted, actual = vars(port)[name], getattr(adapter, name)
            if isinstance(wanted, property):
                assert isinstance(actual, property), name
                continue
            assert list(inspect.signature(actual).parameters) == list(
                inspect.signature(wanted).parameters
            ), name
