"""Hypothesis strategies for ecomkit's public values (install the ``testing`` extra).

ecomkit's own property tests use these same strategies. They are also registered for
``hypothesis.strategies.from_type`` through Hypothesis's plugin entry point, so
``st.from_type(Money)`` or ``st.from_type(OrderSpec)`` works in your tests as soon as
ecomkit is installed.

Besides money and text there are always valid order specs
([`order_specs`][ecomkit.testing.strategies.order_specs]) and orders somewhere along
their lifecycle ([`orders`][ecomkit.testing.strategies.orders]), built by ``apply`` from
a random run of commands. For returns there are orders paid in full and delivered
([`delivered_orders`][ecomkit.testing.strategies.delivered_orders]), return requests for
such an order ([`return_requests`][ecomkit.testing.strategies.return_requests]) and
returns policies made of the built-in rule types
([`return_policies`][ecomkit.testing.strategies.return_policies]).

Examples:
    >>> from hypothesis import given
    >>> from ecomkit.testing import strategies as ek
    >>> @given(ek.money(currency="EUR"))
    ... def test_money_round_trips_through_minor_units(price):
    ...     assert type(price).from_minor_units(price.to_minor_units(), "EUR") == price
    >>> test_money_round_trips_through_minor_units()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Final


try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as error:  # pragma: no cover - exercised only without the extra
    msg = "ecomkit.testing.strategies needs Hypothesis: pip install 'ecomkit[testing]'"
    raise ImportError(msg) from error

import pendulum

from ecomkit import i18n
from ecomkit.errors import CommandRejectedError
from ecomkit.money import AllocationStrategy, Currency, Money, MoneyRange, Rounding, TaxedMoney
from ecomkit.orders import (
    ORDER_LIFECYCLE,
    Address,
    AuthorizePayment,
    CancellationReason,
    CancelLines,
    CancelOrder,
    CancelReturnRequest,
    CapturePayment,
    ChannelId,
    CloseOrder,
    CompleteOrder,
    ConfirmDelivery,
    ConfirmOrder,
    CustomerId,
    DiscountSpec,
    FulfilLines,
    HoldOrder,
    IdempotencyKey,
    InvoiceNumber,
    IssueInvoice,
    LineId,
    LineSpec,
    Order,
    OrderCommand,
    OrderId,
    OrderLine,
    OrderSpec,
    PaymentId,
    PlaceOrder,
    ReceiveReturn,
    RefundPayment,
    ReleaseOrder,
    RequestReturn,
    ReturnId,
    ShipmentId,
    ShipmentStatus,
    ShippingLineId,
    ShippingSpec,
    ShipShipment,
    Sku,
    VoidPayment,
    WriteOffLines,
    apply,
)
from ecomkit.returns import (
    AcceptedConditions,
    ComplaintPeriod,
    ComplaintResponse,
    ExchangeNotOffered,
    FinalSale,
    ItemCondition,
    ItemTrait,
    NotReturnable,
    OriginalShippingRefund,
    ReasonRequired,
    RefundMethod,
    Remedy,
    RemedyOrder,
    RestockingFee,
    ReturnKind,
    ReturnLine,
    ReturnPolicy,
    ReturnRequest,
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
    WithdrawalPeriod,
)
from ecomkit.time import BusinessCalendar, ensure_aware


__all__ = [
    "aware_datetimes",
    "currencies",
    "delivered_orders",
    "line_specs",
    "locales",
    "localized_texts",
    "money",
    "money_ranges",
    "order_specs",
    "orders",
    "return_policies",
    "return_requests",
    "taxed_money",
]

#: Locales used by default: the ones ecomkit is tested in, plus fallback-chain cases.
LOCALES: Final = (
    "ar",
    "ar_SA",
    "de",
    "de_AT",
    "en",
    "en_GB",
    "en_US",
    "es_MX",
    "it_IT",
    "pl",
    "pl_PL",
    "zh_Hans_CN",
    "zh_Hant_TW",
)
#: Timezones used by default: both hemispheres, half-hour offsets and DST changes.
TIMEZONES: Final = (
    "UTC",
    "Europe/Warsaw",
    "America/Sao_Paulo",
    "America/New_York",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Australia/Adelaide",
    "Pacific/Chatham",
)
_MAX_UNITS: Final = 10**15
#: Tax rates the strategies draw from: zero and common VAT and sales tax rates.
_TAX_RATES: Final = ("0", "0.05", "0.07", "0.08", "0.1", "0.19", "0.2", "0.23")


def currencies(*, with_minor_units: bool = True) -> st.SearchStrategy[Currency]:
    """Currencies from the ISO 4217 table.

    Args:
        with_minor_units: Leave out codes without ISO minor units (gold, testing codes),
            which most money operations refuse.
    """
    pool = [c for c in Currency.all() if c.minor_units is not None or not with_minor_units]
    return st.sampled_from(pool)


@st.composite
def _money(
    draw: st.DrawFn,
    currency: Currency | str | None,
    min_units: int,
    max_units: int,
    extra_digits: int,
) -> Money:
    chosen = Currency(currency) if currency is not None else draw(currencies())
    digits = (chosen.minor_units or 0) + draw(st.integers(0, extra_digits))
    units = draw(st.integers(min_units, max_units))
    return Money(Decimal(units).scaleb(-digits), chosen)


def money(
    *,
    currency: Currency | str | None = None,
    min_units: int = -_MAX_UNITS,
    max_units: int = _MAX_UNITS,
    extra_digits: int = 0,
) -> st.SearchStrategy[Money]:
    """Amounts of money.

    Args:
        currency: Fix the currency; by default any currency with ISO minor units.
        min_units: The smallest amount, counted in units of the generated precision.
        max_units: The largest amount, counted likewise.
        extra_digits: Up to this many digits beyond the ISO minor units (use it to
            exercise rounding); 0 gives whole minor units.
    """
    return _money(currency, min_units, max_units, extra_digits)


@st.composite
def _taxed(draw: st.DrawFn, currency: Currency | str | None) -> TaxedMoney:
    net = draw(money(currency=currency, min_units=0, max_units=10**12))
    rate = draw(st.sampled_from(_TAX_RATES))
    return TaxedMoney.from_net(net, rate=Decimal(rate), rounding=Rounding.HALF_UP)


def taxed_money(*, currency: Currency | str | None = None) -> st.SearchStrategy[TaxedMoney]:
    """Taxed amounts built from a net amount and a common VAT rate."""
    return _taxed(currency)


@st.composite
def _ranges(draw: st.DrawFn, currency: Currency | str | None) -> MoneyRange:
    start = draw(money(currency=currency))
    width = draw(money(currency=start.currency, min_units=0))
    return MoneyRange(start, start + width)


def money_ranges(*, currency: Currency | str | None = None) -> st.SearchStrategy[MoneyRange]:
    """Closed ranges of money in one currency."""
    return _ranges(currency)


def aware_datetimes(
    *, timezones: tuple[str, ...] = TIMEZONES
) -> st.SearchStrategy[pendulum.DateTime]:
    """Timezone-aware pendulum datetimes that exist in their zone (no DST gaps)."""
    zones = st.sampled_from([pendulum.timezone(name) for name in timezones])
    return st.datetimes(
        min_value=dt.datetime(1970, 1, 2),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=dt.datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=zones,
        allow_imaginary=False,
    ).map(ensure_aware)


def locales(*, pool: tuple[str, ...] = LOCALES) -> st.SearchStrategy[str]:
    """Locale codes in babel's canonical form."""
    return st.sampled_from(pool)


@st.composite
def _localized(draw: st.DrawFn, pool: tuple[str, ...]) -> i18n.LocalizedText:
    keys = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=5, unique=True))
    texts = st.text(min_size=1, max_size=30).filter(str.strip)
    values = {key: draw(texts) for key in keys}
    default = draw(st.none() | st.sampled_from(keys))
    return i18n.LocalizedText(values, default_locale=default)


def localized_texts(*, pool: tuple[str, ...] = LOCALES) -> st.SearchStrategy[i18n.LocalizedText]:
    """Localized texts with one to five locales and, sometimes, a default locale."""
    return _localized(pool)


# ---------------------------------------------------------------------- orders

#: The most units a generated line orders.
_MAX_QUANTITY: Final = 5
#: The dearest generated unit price and shipping price, in minor units.
_MAX_PRICE_UNITS: Final = 100_000
_MAX_SHIPPING_UNITS: Final = 5_000
_DISCOUNT_RATES: Final = ("0.05", "0.1", "0.15", "0.25", "0.5", "1")
_SKUS: Final = ("TEA-250G", "MUG-WHITE", "KETTLE-1L", "SCARF-WOOL", "BOOK-HB", "CANDLE-S")
_CHANNELS: Final = ("web", "mobile_app", "marketplace", "pos")
_METHODS: Final = ("courier", "parcel_locker", "post", "pickup")
_CARRIERS: Final = ("dhl", "dpd", "inpost", "ups")
_TENDERS: Final = ("card", "gift_card", "bank_transfer", "wallet")
_HOLD_REASONS: Final = ("fraud review", "address check", "out of stock")
_ADDRESSES: Final = (
    Address(
        name="Anna Nowak",
        line1="ul. Prosta 1",
        city="Warszawa",
        postal_code="00-001",
        country_code="PL",
    ),
    Address(
        name="Jan Schmidt",
        line1="Hauptstr. 5",
        line2="3. OG",
        city="Berlin",
        postal_code="10115",
        country_code="DE",
        phone="+49 30 123456",
    ),
)
#: When the orders drawn by `orders` are placed, in the spec's timezone.
_PLACED_ON: Final = (2026, 3, 2, 9)


@st.composite
def _line_specs(draw: st.DrawFn, currency: Currency | str | None, line_id: str | None) -> LineSpec:
    chosen = Currency(currency) if currency is not None else draw(currencies())
    ident = line_id if line_id is not None else f"line-{draw(st.integers(1, 999))}"
    sku = draw(st.sampled_from(_SKUS))
    return LineSpec(
        line_id=LineId(ident),
        sku=Sku(sku),
        quantity=draw(st.integers(1, _MAX_QUANTITY)),
        unit_price=draw(money(currency=chosen, min_units=0, max_units=_MAX_PRICE_UNITS)),
        tax_rate=Decimal(draw(st.sampled_from(_TAX_RATES))),
        name=sku.replace("-", " ").title(),
    )


def line_specs(
    *, currency: Currency | str | None = None, line_id: str | None = None
) -> st.SearchStrategy[LineSpec]:
    """Order lines as a customer orders them.

    Each line orders 1 to 5 units at a unit price in whole minor units, from zero (a free
    gift) to 100,000 minor units, with a tax rate that is zero or a common VAT or sales tax
    rate.

    Args:
        currency: Fix the currency; by default any currency with ISO minor units.
        line_id: Fix the line id; by default ``line-<n>``.
    """
    return _line_specs(currency, line_id)


@st.composite
def _discount(
    draw: st.DrawFn, base: Money, rounding: Rounding, code: str, line_id: LineId | None
) -> tuple[DiscountSpec, Money]:
    """Draw a discount that takes at most *base* off, and what it takes off."""
    units = base.to_minor_units()
    if units > 0 and draw(st.booleans()):
        off = Money.from_minor_units(draw(st.integers(1, units)), base.currency)
        return DiscountSpec(code=code, amount=off, line_id=line_id), off
    # A rate of at most 1 never takes more than the (whole minor unit) base, however rounded.
    rate = Decimal(draw(st.sampled_from(_DISCOUNT_RATES)))
    off = (base * rate).quantize(rounding=rounding)
    return DiscountSpec(code=code, rate=rate, line_id=line_id), off


@st.composite
def _order_specs(
    draw: st.DrawFn, currency: Currency | str | None, order_id: str | None, max_lines: int
) -> OrderSpec:
    chosen = Currency(currency) if currency is not None else draw(currencies())
    rounding = draw(st.sampled_from(Rounding))
    count = draw(st.integers(1, max_lines))
    lines = [draw(_line_specs(chosen, f"l{index}")) for index in range(1, count + 1)]
    # Discounts are drawn against the amounts OrderSpec prices them on: line discounts
    # against the rounded line subtotal, order discounts against what the lines come to
    # after line discounts and earlier order discounts. So none can take more than its base.
    discounts: list[DiscountSpec] = []
    remaining = Money.zero(chosen)
    for line in lines:
        base = (line.unit_price * line.quantity).quantize(rounding=rounding)
        if draw(st.booleans()):
            code = f"LINE-{line.line_id.upper()}"
            discount, off = draw(_discount(base, rounding, code, line.line_id))
            discounts.append(discount)
            base -= off
        remaining += base
    for index in range(1, draw(st.integers(0, 2)) + 1):
        discount, off = draw(_discount(remaining, rounding, f"ORDER-{index}", None))
        discounts.append(discount)
        remaining -= off
    shipping = [
        ShippingSpec(
            shipping_id=ShippingLineId(f"ship-{index}"),
            method=draw(st.sampled_from(_METHODS)),
            price=draw(money(currency=chosen, min_units=0, max_units=_MAX_SHIPPING_UNITS)),
            tax_rate=Decimal(draw(st.sampled_from(_TAX_RATES))),
        )
        for index in range(1, draw(st.integers(0, 2)) + 1)
    ]
    customer = draw(st.none() | st.integers(1, 10**6))
    address = draw(st.none() | st.sampled_from(_ADDRESSES))
    return OrderSpec(
        order_id=OrderId(
            order_id if order_id is not None else f"order-{draw(st.integers(1, 10**6))}"
        ),
        channel=ChannelId(draw(st.sampled_from(_CHANNELS))),
        currency=chosen,
        timezone=draw(st.sampled_from(TIMEZONES)),
        lines=lines,
        shipping=shipping,
        discounts=discounts,
        customer_id=None if customer is None else CustomerId(f"customer-{customer}"),
        billing_address=address,
        shipping_address=address,
        prices_include_tax=draw(st.booleans()),
        rounding=rounding,
        discount_allocation=draw(st.sampled_from(AllocationStrategy)),
    )


def order_specs(
    *, currency: Currency | str | None = None, order_id: str | None = None, max_lines: int = 4
) -> st.SearchStrategy[OrderSpec]:
    """Valid order specs, priced without error.

    Each spec has 1 to *max_lines* lines (ids ``l1``, ``l2`` ...; see
    [`line_specs`][ecomkit.testing.strategies.line_specs]), up to two shipping lines, and
    sometimes a discount on a line and up to two order discounts, fixed amounts or rates,
    drawn so that none takes more than what it applies to. Prices are net or gross, and
    the rounding mode and the discount allocation strategy are any of their enums' members.

    Args:
        currency: Fix the currency; by default any currency with ISO minor units.
        order_id: Fix the order id; by default ``order-<n>``.
        max_lines: The most lines a spec has (at least 1).

    Examples:
        >>> from hypothesis import given
        >>> @given(order_specs(currency="PLN"))
        ... def test_a_spec_never_prices_below_zero(spec):
        ...     assert not spec.priced().total.gross.is_negative()
        >>> test_a_spec_never_prices_below_zero()
    """
    return _order_specs(currency, order_id, max_lines)


# A builder draws the arguments of one kind of command from the order's ledgers, so that
# most drawn commands are accepted, or returns None when the order gives it nothing to do.
_Builder = Callable[[st.DrawFn, Order, IdempotencyKey], OrderCommand | None]


def _units_of(
    draw: st.DrawFn, order: Order, limit: Callable[[OrderLine], int]
) -> dict[LineId, int] | None:
    """Draw some lines and, for each, 1 up to *limit* units; None if no line has any."""
    room = {line.line_id: limit(line) for line in order.lines if limit(line) > 0}
    if not room:
        return None
    chosen = draw(st.lists(st.sampled_from(sorted(room)), min_size=1, unique=True))
    return {line_id: draw(st.integers(1, room[line_id])) for line_id in chosen}


def _amount(draw: st.DrawFn, most: Money) -> Money:
    """Draw all of *most* (a positive amount) or a part of it in whole minor units."""
    if draw(st.booleans()):
        return most
    return Money.from_minor_units(draw(st.integers(1, most.to_minor_units())), most.currency)


def _confirm(draw: st.DrawFn, _order: Order, key: IdempotencyKey) -> OrderCommand:
    return ConfirmOrder(key=key, unpaid_ok=draw(st.booleans()))


def _hold(draw: st.DrawFn, _order: Order, key: IdempotencyKey) -> OrderCommand:
    return HoldOrder(key=key, reason=draw(st.sampled_from(_HOLD_REASONS)))


def _release(_draw: st.DrawFn, _order: Order, key: IdempotencyKey) -> OrderCommand:
    return ReleaseOrder(key=key)


def _cancel(draw: st.DrawFn, _order: Order, key: IdempotencyKey) -> OrderCommand:
    return CancelOrder(key=key, reason=draw(st.sampled_from(CancellationReason)))


def _complete(_draw: st.DrawFn, _order: Order, key: IdempotencyKey) -> OrderCommand:
    return CompleteOrder(key=key)


def _close(_draw: st.DrawFn, _order: Order, key: IdempotencyKey) -> OrderCommand:
    return CloseOrder(key=key)


def _cancel_lines(draw: st.DrawFn, order: Order, key: IdempotencyKey) -> OrderCommand | None:
    lines = _units_of(draw, order, lambda line: line.unfulfilled)
    return None if lines is None else CancelLines(key=key, lines=lines)


def _authorize(draw: st.DrawFn, order: Order, key: IdempotencyKey) -> OrderCommand | None:
    outstanding = order.outstanding
    if not outstanding.is_positive():
        return None
    return AuthorizePayment(
        key=key,
        payment_id=PaymentId(f"payment-{len(order.payments) + 1}"),
        amount=_amount(draw, outstanding),
        tender=draw(st.sampled_from(_TENDERS)),
    )


def _capture(draw: st.DrawFn, order: Order, key: IdempotencyKey) -> OrderCommand | None:
    payments = [payment for payment in order.payments if payment.open.is_positive()]
    if not payments:
        return None
    payment = draw(st.sampled_from(payments))
    amount = None if draw(st.booleans()) else _amount(draw, payment.open)
    return CapturePayment(key=key, payment_id=payment.payment_id, amount=amount)


def _void(draw: st.DrawFn, order: Order, key: IdempotencyKey) -> OrderCommand | None:
    payments = [payment for payment in order.payments if payment.open.is_positive()]
    if not payments:
        return None
    return VoidPayment(key=key, payment_id=draw(st.sampled_from(payments)).payment_id)


def _refund(draw: st.DrawFn, order: Order, key: IdempotencyKey) -> OrderCommand | None:
    payments = [payment for payment in order.payments if payment.refundable.is_positive()]
    if not payments:
        return None
    payment = draw(st.sampled_from(payments))
    lines = _units_of(draw, order, lambda line: line.refundable) if draw(st.booleans()) else None
    return RefundPayment(
        key=key,
        payment_id=payment.payment_id,
        amount=_amount(draw, payment.refundable),
        lines=lines or {},
    )


def _fulfil(draw: st.DrawFn, order: Order, key: IdempotencyKey) -> OrderCommand | None:
    if draw(st.booleans()):  # pack everything still packable, the common case
        lines = {line.line_id: line.unfulfilled for line in order.lines if line.unfulfilled}
    else:
        lines = _units_of(draw, order, lambda line: line.unfulfilled) or {}
    if not lines:
        return None
    return FulfilLines(
        key=key,
        shipment_id=ShipmentId(f"shipment-{len(order.shipments) + 1}"),
        lines=lines,
        carrier=draw(st.none() | st.sampled_from(_CARRIERS)),
    )


def _shipment_in(draw: st.DrawFn, order: Order, status: ShipmentStatus) -> ShipmentId | None:
    found = [item.shipment_id for item in order.shipments if item.status is status]
    return draw(st.sampled_from(found)) if found else None


def _ship(draw: st.DrawFn, order: Order, key: IdempotencyKey) -> OrderCommand | None:
    shipment_id = _shipment_in(draw, order, ShipmentStatus.PENDING)
    return None if shipment_id is None else ShipShipment(key=key, shipment_id=shipment_id)


def _deliver(draw: st.DrawFn, order: Order, key: IdempotencyKey) -> OrderCommand | None:
    shipment_id = _shipment_in(draw, order, ShipmentStatus.SHIPPED)
    return None if shipment_id is None else ConfirmDelivery(key=key, shipment_id=shipment_id)


def _invoice(_draw: st.DrawFn, order: Order, key: IdempotencyKey) -> OrderCommand:
    return IssueInvoice(key=key, invoice_number=InvoiceNumber(f"INV-{len(order.invoices) + 1}"))


def _request_return(draw: st.DrawFn, order: Order, key: IdempotencyKey) -> OrderCommand | None:
    lines = _units_of(draw, order, lambda line: line.delivered - line.return_requested)
    return None if lines is None else RequestReturn(key=key, lines=lines)


def _open_returns(
    kind: type[CancelReturnRequest | ReceiveReturn | WriteOffLines],
) -> _Builder:
    def build(draw: st.DrawFn, order: Order, key: IdempotencyKey) -> OrderCommand | None:
        lines = _units_of(draw, order, lambda line: line.open_return_requests)
        return None if lines is None else kind(key=key, lines=lines)

    return build


_BUILDERS: Final[dict[type[OrderCommand], _Builder]] = {
    ConfirmOrder: _confirm,
    HoldOrder: _hold,
    ReleaseOrder: _release,
    CancelOrder: _cancel,
    CompleteOrder: _complete,
    CloseOrder: _close,
    CancelLines: _cancel_lines,
    AuthorizePayment: _authorize,
    CapturePayment: _capture,
    VoidPayment: _void,
    RefundPayment: _refund,
    FulfilLines: _fulfil,
    ShipShipment: _ship,
    ConfirmDelivery: _deliver,
    IssueInvoice: _invoice,
    RequestReturn: _request_return,
    CancelReturnRequest: _open_returns(CancelReturnRequest),
    ReceiveReturn: _open_returns(ReceiveReturn),
    WriteOffLines: _open_returns(WriteOffLines),
}


_TRIES_PER_STEP: Final = 3
#: How many times more often than the rest the commands that move an order forward are
#: drawn, so that orders get past payment and shipping before a hold or a cancellation.
_WEIGHTS: Final[dict[type[OrderCommand], int]] = {
    AuthorizePayment: 3,
    CapturePayment: 3,
    FulfilLines: 3,
    ShipShipment: 3,
    ConfirmDelivery: 2,
    CompleteOrder: 3,
    ReleaseOrder: 3,
}


@st.composite
def _orders(draw: st.DrawFn, specs: st.SearchStrategy[OrderSpec], max_steps: int) -> Order:
    spec = draw(specs)
    start = pendulum.datetime(*_PLACED_ON, tz=spec.timezone)
    order, _ = apply(None, PlaceOrder(key=IdempotencyKey("place"), spec=spec), at=start)
    wanted = draw(st.integers(0, max_steps))
    accepted = 0
    # A drawn command may find nothing to do or be refused; a few spare tries make up for it.
    for attempt in range(1, _TRIES_PER_STEP * wanted + 1):
        if accepted == wanted:
            break
        kinds = [
            kind
            for kind in ORDER_LIFECYCLE.allowed(order.status)
            if kind in _BUILDERS
            for _ in range(_WEIGHTS.get(kind, 1))
        ]
        if not kinds:  # a terminal status: nothing more can happen
            break
        kind = draw(st.sampled_from(kinds))
        command = _BUILDERS[kind](draw, order, IdempotencyKey(f"step-{attempt}"))
        if command is None:
            continue
        try:
            order, _ = apply(order, command, at=start.add(minutes=attempt))
        except CommandRejectedError:  # a guard refused it; the order stays as it was
            continue
        accepted += 1
    return order


def orders(
    *, specs: st.SearchStrategy[OrderSpec] | None = None, max_steps: int = 12
) -> st.SearchStrategy[Order]:
    """Orders somewhere along their lifecycle, as ``apply`` built them.

    Each order is placed from a spec, then up to *max_steps* commands are applied to it,
    each drawn from what its status allows with arguments read from its ledgers (authorize
    what is outstanding, capture what is open, pack units not packed yet ...); commands
    that move the order forward are drawn more often than holds and cancellations. A
    command the order refuses is dropped, so replaying an order's events gives it back.
    Commands happen a minute apart from a fixed instant, so the orders are reproducible.

    Args:
        specs: What the orders are placed from; by default
            [`order_specs()`][ecomkit.testing.strategies.order_specs].
        max_steps: The most commands applied after placing (0 gives just-placed orders).

    Examples:
        >>> from hypothesis import given, settings
        >>> from ecomkit.orders import replay
        >>> @settings(max_examples=20)
        ... @given(orders(specs=order_specs(currency="EUR"), max_steps=4))
        ... def test_an_order_is_what_its_events_replay_to(order):
        ...     assert replay(order.events) == order
        >>> test_an_order_is_what_its_events_replay_to()
    """
    return _orders(order_specs() if specs is None else specs, max_steps)


# ---------------------------------------------------------------------- return requests, policies

#: Category codes, reason codes, countries and customer groups requests and scopes use.
_CATEGORIES: Final = ("shoes", "swimwear", "books", "gift-cards", "food")
_REASONS: Final = ("size_too_small", "size_too_large", "changed_mind", "defective")
_COUNTRIES: Final = ("PL", "DE", "IT")
_GROUPS: Final = ("vip", "staff", "wholesale")
_FEE_RATES: Final = ("0.05", "0.1", "0.15", "0.2", "0.25", "0.5", "1")
#: The dearest generated fee or threshold, in minor units.
_MAX_FEE_UNITS: Final = 5_000
#: Days off a generated calendar may list besides weekends.
_HOLIDAYS: Final = (
    dt.date(2026, 1, 1),
    dt.date(2026, 4, 6),
    dt.date(2026, 5, 1),
    dt.date(2026, 11, 11),
    dt.date(2026, 12, 25),
)


@st.composite
def _delivered_orders(
    draw: st.DrawFn, specs: st.SearchStrategy[OrderSpec], max_payments: int, max_shipments: int
) -> Order:
    spec = draw(specs)
    start = pendulum.datetime(*_PLACED_ON, tz=spec.timezone)
    order, _ = apply(None, PlaceOrder(key=IdempotencyKey("place"), spec=spec), at=start)
    commands: list[tuple[OrderCommand, pendulum.DateTime]] = []
    owed = order.outstanding.to_minor_units()
    count = draw(st.integers(1, max(1, min(max_payments, owed))))
    cuts = (
        draw(
            st.lists(st.integers(1, owed - 1), min_size=count - 1, max_size=count - 1, unique=True)
        )
        if count > 1
        else []
    )
    bounds = [0, *sorted(cuts), owed]
    for index in range(1, count + 1 if owed else 1):
        payment_id = PaymentId(f"payment-{index}")
        amount = Money.from_minor_units(bounds[index] - bounds[index - 1], order.currency)
        tender = draw(st.sampled_from(_TENDERS))
        commands.append(
            (
                AuthorizePayment(
                    key=IdempotencyKey(f"authorize-{index}"),
                    payment_id=payment_id,
                    amount=amount,
                    tender=tender,
                ),
                start,
            )
        )
        commands.append(
            (CapturePayment(key=IdempotencyKey(f"capture-{index}"), payment_id=payment_id), start)
        )
    # Every unit goes into one of up to *max_shipments* parcels, delivered a day apart.
    parcels = draw(st.integers(1, max_shipments))
    packed: list[dict[LineId, int]] = [{} for _ in range(parcels)]
    for line in order.lines:
        for _unit in range(line.quantity):
            parcel = packed[draw(st.integers(0, parcels - 1))]
            parcel[line.line_id] = parcel.get(line.line_id, 0) + 1
    for index, lines in enumerate((lines for lines in packed if lines), start=1):
        shipment_id = ShipmentId(f"shipment-{index}")
        packed_at = start.add(hours=index)
        commands.extend(
            [
                (
                    FulfilLines(
                        key=IdempotencyKey(f"fulfil-{index}"),
                        shipment_id=shipment_id,
                        lines=lines,
                        carrier=draw(st.sampled_from(_CARRIERS)),
                    ),
                    packed_at,
                ),
                (
                    ShipShipment(key=IdempotencyKey(f"ship-{index}"), shipment_id=shipment_id),
                    packed_at,
                ),
                (
                    ConfirmDelivery(
                        key=IdempotencyKey(f"deliver-{index}"), shipment_id=shipment_id
                    ),
                    packed_at.add(days=index),
                ),
            ]
        )
    for command, at in sorted(commands, key=lambda pair: pair[1]):
        order, _ = apply(order, command, at=at)
    return order


def delivered_orders(
    *,
    specs: st.SearchStrategy[OrderSpec] | None = None,
    max_payments: int = 2,
    max_shipments: int = 2,
) -> st.SearchStrategy[Order]:
    """Orders paid in full and delivered in full: what a customer can send back.

    Each order is placed from a spec, paid with 1 to *max_payments* payments (random
    tenders, amounts adding up to the total, each captured in full), and every unit is
    packed into one of up to *max_shipments* parcels, each shipped and delivered, a day
    apart. An order whose total is zero has no payment.

    Args:
        specs: What the orders are placed from; by default
            [`order_specs()`][ecomkit.testing.strategies.order_specs].
        max_payments: The most payments (tenders) an order is paid with (at least 1).
        max_shipments: The most parcels an order is delivered in (at least 1).

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=20)
        ... @given(delivered_orders(specs=order_specs(currency="PLN")))
        ... def test_every_unit_is_delivered_and_paid(order):
        ...     assert all(line.delivered == line.quantity for line in order.lines)
        ...     assert order.captured == order.total.gross
        >>> test_every_unit_is_delivered_and_paid()
    """
    if max_payments < 1 or max_shipments < 1:
        msg = f"max_payments={max_payments} and max_shipments={max_shipments} must be >= 1"
        raise InvalidArgument(msg)
    return _delivered_orders(order_specs() if specs is None else specs, max_payments, max_shipments)


def _returnable(order: Order) -> dict[LineId, int]:
    return {
        line.line_id: line.delivered - line.return_requested
        for line in order.lines
        if line.delivered > line.return_requested
    }


@st.composite
def _return_line(draw: st.DrawFn, line: OrderLine, most: int, kind: ReturnKind) -> ReturnLine:
    traits = draw(st.sampled_from(((),) * 4 + tuple((trait,) for trait in ItemTrait)))
    return ReturnLine(
        line_id=line.line_id,
        quantity=draw(st.integers(1, most)),
        condition=draw(st.sampled_from((ItemCondition.UNOPENED, *ItemCondition))),
        reason=draw(st.none() | st.sampled_from(_REASONS)),
        traits=traits,
        categories=draw(st.lists(st.sampled_from(_CATEGORIES), max_size=2, unique=True)),
        product_id=draw(st.none() | st.just(line.sku)),
        remedy=draw(st.none() | st.sampled_from(Remedy)) if kind is ReturnKind.COMPLAINT else None,
        exchange_for=draw(st.none() | st.sampled_from(_SKUS).map(Sku)),
    )


@st.composite
def _return_requests(
    draw: st.DrawFn,
    order: Order,
    kind: ReturnKind | None,
    return_id: str | None,
    requested_at: dt.datetime | None,
) -> ReturnRequest:
    chosen = kind if kind is not None else draw(st.sampled_from(ReturnKind))
    room = _returnable(order)
    line_ids = draw(st.lists(st.sampled_from(sorted(room)), min_size=1, unique=True))
    lines = [draw(_return_line(order.line(line_id), room[line_id], chosen)) for line_id in line_ids]
    if requested_at is None:
        last = order.events[-1].at
        requested_at = pendulum.instance(last).add(hours=draw(st.integers(0, 13 * 24)))
    informed = draw(st.sampled_from((True, True, True, False)))
    return ReturnRequest(
        return_id=ReturnId(
            return_id if return_id is not None else f"rma-{draw(st.integers(1, 10**6))}"
        ),
        kind=chosen,
        lines=lines,
        requested_at=requested_at,
        refund_method=draw(st.sampled_from((RefundMethod.ORIGINAL_PAYMENT, *RefundMethod))),
        customer_group=draw(st.none() | st.sampled_from(_GROUPS)),
        country=draw(st.none() | st.sampled_from(_COUNTRIES)),
        withdrawal_informed=informed,
        note=draw(st.sampled_from(("", "please hurry", "gift"))),
    )


def return_requests(
    order: Order,
    *,
    kind: ReturnKind | str | None = None,
    return_id: str | None = None,
    requested_at: dt.datetime | None = None,
) -> st.SearchStrategy[ReturnRequest]:
    """Valid return requests for *order*: delivered units not already asked back.

    Each request names one or more of the order's lines with 1 up to the units still
    returnable (delivered and not already requested), with random facts a policy reads:
    the declared condition, a reason, sometimes a trait (personalised, final sale ...),
    categories, a remedy for a complaint, an exchange wish, the refund method, a customer
    group and a country. Whether a policy approves it is up to the policy.

    Args:
        order: The order the requests are about.
        kind: Fix the kind of request; by default any kind.
        return_id: Fix the return id; by default ``rma-<n>``.
        requested_at: Fix when the request is made; by default up to 13 days after the
            order's last event (its last delivery for a
            [`delivered_orders`][ecomkit.testing.strategies.delivered_orders] order).

    Raises:
        InvalidArgument: No unit of *order* can be returned.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=20)
        ... @given(delivered_orders().flatmap(
        ...     lambda order: st.tuples(st.just(order), return_requests(order))))
        ... def test_a_request_names_only_returnable_units(case):
        ...     order, request = case
        ...     for line in request.lines:
        ...         assert line.quantity <= order.line(line.line_id).delivered
        >>> test_a_request_names_only_returnable_units()
    """
    if not _returnable(order):
        msg = f"order {order.order_id!r} has no delivered unit that can still be returned"
        raise InvalidArgument(msg)
    chosen = None if kind is None else ReturnKind(kind)
    if requested_at is not None:
        requested_at = ensure_aware(requested_at, field="requested_at")
    return _return_requests(order, chosen, return_id, requested_at)


@st.composite
def _amounts(draw: st.DrawFn, currency: Currency, minimum: int = 0) -> tuple[Money, ...]:
    """One amount in *currency*, sometimes with one in another currency."""
    found = [draw(money(currency=currency, min_units=minimum, max_units=_MAX_FEE_UNITS))]
    others = [
        code for code in Currency.all() if code.minor_units is not None and code is not currency
    ]
    other = draw(st.none() | st.sampled_from(others))
    if other is not None:
        found.append(draw(money(currency=other, min_units=minimum, max_units=_MAX_FEE_UNITS)))
    return tuple(found)


@st.composite
def _scopes(draw: st.DrawFn, kinds: frozenset[ReturnKind]) -> Scope:
    """A scope within *kinds*; mostly universal, since a narrow scope seldom matches."""
    if draw(st.sampled_from((True, True, False))):
        return Scope(kinds=draw(st.lists(st.sampled_from(sorted(kinds)), unique=True)))

    def some(pool: tuple[str, ...]) -> list[str]:
        return draw(st.lists(st.sampled_from(pool), max_size=2, unique=True))

    return Scope(
        kinds=draw(st.lists(st.sampled_from(sorted(kinds)), unique=True)),
        categories=some(_CATEGORIES),
        products=some(_SKUS),
        channels=some(_CHANNELS),
        countries=some(_COUNTRIES),
        customer_groups=some(_GROUPS),
    )


def _calendars(*, optional: bool) -> st.SearchStrategy[BusinessCalendar | None]:
    calendars = st.builds(
        BusinessCalendar,
        holidays=st.lists(st.sampled_from(_HOLIDAYS), max_size=3, unique=True),
        name=st.sampled_from(("", "PL", "DE")),
    )
    return (st.none() | calendars) if optional else calendars


_Rule = Callable[[st.DrawFn, str, Currency], ReturnRule]


def _rule_window(draw: st.DrawFn, rule_id: str, _currency: Currency) -> ReturnRule:
    return ReturnWindow(
        rule_id=rule_id,
        scope=draw(_scopes(ReturnWindow.kinds)),
        days=draw(st.integers(1, 60)),
        start=draw(st.sampled_from(WindowStart)),
        calendar=draw(_calendars(optional=True)),
    )


def _rule_withdrawal(draw: st.DrawFn, rule_id: str, _currency: Currency) -> ReturnRule:
    return WithdrawalPeriod(
        rule_id=rule_id,
        scope=draw(_scopes(WithdrawalPeriod.kinds)),
        days=draw(st.integers(1, 30)),
        extension_months=draw(st.integers(0, 12)),
        calendar=draw(_calendars(optional=True)),
        refund_days=draw(st.integers(1, 30)),
    )


def _rule_exceptions(draw: st.DrawFn, rule_id: str, _currency: Currency) -> ReturnRule:
    return WithdrawalExceptions(
        rule_id=rule_id,
        scope=draw(_scopes(WithdrawalExceptions.kinds)),
        hygiene=draw(st.sampled_from((Verdict.REVIEW, Verdict.DECLINE))),
    )


def _rule_plain(kind: type[ReturnRule]) -> _Rule:
    def build(draw: st.DrawFn, rule_id: str, _currency: Currency) -> ReturnRule:
        return kind(rule_id=rule_id, scope=draw(_scopes(kind.kinds)))

    return build


def _rule_conditions(draw: st.DrawFn, rule_id: str, _currency: Currency) -> ReturnRule:
    # Each condition but unopened is accepted, reviewed or declined.
    roles = {
        condition: draw(st.sampled_from(("accept", "review", "decline")))
        for condition in ItemCondition
        if condition is not ItemCondition.UNOPENED
    }
    accept = [condition for condition, role in roles.items() if role == "accept"]
    review = [condition for condition, role in roles.items() if role == "review"]
    return AcceptedConditions(
        rule_id=rule_id,
        scope=draw(_scopes(AcceptedConditions.kinds)),
        accept=[ItemCondition.UNOPENED, *accept],
        review=review,
    )


def _rule_reasons(draw: st.DrawFn, rule_id: str, _currency: Currency) -> ReturnRule:
    return ReasonRequired(
        rule_id=rule_id,
        scope=draw(_scopes(ReasonRequired.kinds)),
        reasons=draw(st.lists(st.sampled_from(_REASONS), max_size=3, unique=True)),
    )


def _rule_restocking(draw: st.DrawFn, rule_id: str, currency: Currency) -> ReturnRule:
    scope = draw(_scopes(RestockingFee.kinds))
    if draw(st.booleans()):
        rate = Decimal(draw(st.sampled_from(_FEE_RATES)))
        return RestockingFee(rule_id=rule_id, scope=scope, rate=rate)
    return RestockingFee(rule_id=rule_id, scope=scope, amounts=draw(_amounts(currency)))


def _rule_return_shipping(draw: st.DrawFn, rule_id: str, currency: Currency) -> ReturnRule:
    return ReturnShippingFee(
        rule_id=rule_id,
        scope=draw(_scopes(ReturnShippingFee.kinds)),
        amounts=draw(_amounts(currency)),
        charge_on_withdrawal=draw(st.booleans()),
    )


def _rule_shipping_refund(draw: st.DrawFn, rule_id: str, currency: Currency) -> ReturnRule:
    return OriginalShippingRefund(
        rule_id=rule_id,
        scope=draw(_scopes(OriginalShippingRefund.kinds)),
        mode=draw(st.sampled_from(ShippingRefund)),
        caps=draw(st.just(()) | _amounts(currency)),
    )


def _rule_store_credit(draw: st.DrawFn, rule_id: str, _currency: Currency) -> ReturnRule:
    return StoreCreditAfter(
        rule_id=rule_id,
        scope=draw(_scopes(StoreCreditAfter.kinds)),
        days=draw(st.integers(1, 60)),
        start=draw(st.sampled_from(WindowStart)),
    )


def _rule_review(draw: st.DrawFn, rule_id: str, currency: Currency) -> ReturnRule:
    return ReviewAbove(
        rule_id=rule_id,
        scope=draw(_scopes(ReviewAbove.kinds)),
        amounts=draw(_amounts(currency)),
    )


def _rule_complaint_period(draw: st.DrawFn, rule_id: str, _currency: Currency) -> ReturnRule:
    return ComplaintPeriod(
        rule_id=rule_id, scope=draw(_scopes(ComplaintPeriod.kinds)), years=draw(st.integers(1, 5))
    )


def _rule_complaint_response(draw: st.DrawFn, rule_id: str, _currency: Currency) -> ReturnRule:
    return ComplaintResponse(
        rule_id=rule_id,
        scope=draw(_scopes(ComplaintResponse.kinds)),
        days=draw(st.integers(1, 30)),
    )


_RULES: Final[dict[str, _Rule]] = {
    "window": _rule_window,
    "withdrawal": _rule_withdrawal,
    "exceptions": _rule_exceptions,
    "final-sale": _rule_plain(FinalSale),
    "not-returnable": _rule_plain(NotReturnable),
    "conditions": _rule_conditions,
    "reason": _rule_reasons,
    "no-exchange": _rule_plain(ExchangeNotOffered),
    "restocking": _rule_restocking,
    "return-shipping": _rule_return_shipping,
    "shipping-refund": _rule_shipping_refund,
    "store-credit": _rule_store_credit,
    "review": _rule_review,
    "complaint-period": _rule_complaint_period,
    "complaint-response": _rule_complaint_response,
    "remedy-order": _rule_plain(RemedyOrder),
}


@st.composite
def _return_policies(
    draw: st.DrawFn, currency: Currency | str | None, max_rules: int
) -> ReturnPolicy:
    chosen = Currency(currency) if currency is not None else draw(currencies())
    names = draw(st.lists(st.sampled_from(sorted(_RULES)), max_size=max_rules))
    rules = [_RULES[name](draw, f"{name}-{index}", chosen) for index, name in enumerate(names, 1)]
    return ReturnPolicy(
        name=draw(st.sampled_from(("Store returns", "Outlet", "Marketplace"))),
        version=str(draw(st.integers(1, 20))),
        rules=rules,
        tender_order=draw(st.lists(st.sampled_from(_TENDERS), max_size=3, unique=True)),
        description=draw(st.sampled_from(("", "Generated policy"))),
    )


def return_policies(
    *, currency: Currency | str | None = None, max_rules: int = 6
) -> st.SearchStrategy[ReturnPolicy]:
    """Returns policies made of ecomkit's built-in rule types.

    Each policy has up to *max_rules* rules (a type may come more than once, with distinct
    ids ``<type>-<n>``) with random valid parameters: windows and periods of various
    lengths counted from various deliveries, with or without a calendar of holidays,
    accepted conditions, reasons, fees as rates or amounts, shipping refund modes and
    caps, review thresholds. Scopes are mostly universal, sometimes limited to kinds,
    categories, products, channels, countries or customer groups. Amounts are in
    *currency*, sometimes with one in another currency too.

    Args:
        currency: The currency of the amounts; by default any currency with ISO minor
            units.
        max_rules: The most rules a policy has (0 gives policies without rules).

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=20)
        ... @given(return_policies(currency="EUR"))
        ... def test_rule_ids_are_unique(policy):
        ...     assert len({rule.rule_id for rule in policy.rules}) == len(policy.rules)
        >>> test_rule_ids_are_unique()
    """
    if max_rules < 0:
        msg = f"max_rules={max_rules} must be >= 0"
        raise InvalidArgument(msg)
    return _return_policies(currency, max_rules)
