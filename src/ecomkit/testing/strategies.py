"""Hypothesis strategies for ecomkit's public values (install the ``testing`` extra).

ecomkit's own property tests use these same strategies. They are also registered for
``hypothesis.strategies.from_type`` through Hypothesis's plugin entry point, so
``st.from_type(Money)`` or ``st.from_type(OrderSpec)`` works in your tests as soon as
ecomkit is installed.

Besides money and text there are always valid order specs
([`order_specs`][ecomkit.testing.strategies.order_specs]) and orders somewhere along
their lifecycle ([`orders`][ecomkit.testing.strategies.orders]), built by ``apply`` from
a random run of commands.

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
from ecomkit.time import ensure_aware


__all__ = [
    "aware_datetimes",
    "currencies",
    "line_specs",
    "locales",
    "localized_texts",
    "money",
    "money_ranges",
    "order_specs",
    "orders",
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
