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

For the catalog there are attribute definitions
([`attribute_defs`][ecomkit.testing.strategies.attribute_defs]), values each definition
accepts or refuses ([`attribute_values`][ecomkit.testing.strategies.attribute_values],
[`invalid_attribute_values`][ecomkit.testing.strategies.invalid_attribute_values]), whole
schemas ([`catalog_schemas`][ecomkit.testing.strategies.catalog_schemas]), lists of valid
product changes ([`product_changes`][ecomkit.testing.strategies.product_changes]), products
built by ``create_product`` and ``edit_product``
([`catalog_products`][ecomkit.testing.strategies.catalog_products]), GTINs with correct
check digits ([`gtins`][ecomkit.testing.strategies.gtins]) and category trees
([`category_trees`][ecomkit.testing.strategies.category_trees]).

For the records the ports carry there are gateway answers
([`payment_transactions`][ecomkit.testing.strategies.payment_transactions]), carrier labels
([`shipment_labels`][ecomkit.testing.strategies.shipment_labels]), tracking updates
([`tracking_updates`][ecomkit.testing.strategies.tracking_updates]) and notifications
([`notifications`][ecomkit.testing.strategies.notifications]).

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
import math
import operator
import string
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, Literal, TypeVar


try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as error:  # pragma: no cover - exercised only without the extra
    msg = "ecomkit.testing.strategies needs Hypothesis: pip install 'ecomkit[testing]'"
    raise ImportError(msg) from error

import pendulum

from ecomkit import i18n
from ecomkit.catalog import (
    GTIN_LENGTHS,
    UNITS,
    AttributeDef,
    AttributeType,
    Availability,
    CatalogSchema,
    Category,
    CategoryTree,
    Channel,
    Condition,
    Gtin,
    Image,
    Metric,
    Option,
    Price,
    Product,
    ProductChange,
    ProductType,
    RemovePrice,
    RemoveValue,
    Requirement,
    SetAvailability,
    SetBrand,
    SetCategories,
    SetCondition,
    SetEnabled,
    SetGtin,
    SetMedia,
    SetMpn,
    SetPrice,
    SetStock,
    SetValue,
    UnitFamily,
    Value,
    ValueKey,
    VariantLevel,
    create_product,
    edit_product,
    gs1_check_digit,
)
from ecomkit.catalog._attributes import AXIS_TYPES
from ecomkit.catalog._schema import MAX_VARIANT_LEVELS
from ecomkit.errors import CommandRejectedError, InvalidTypeError, InvalidValueError
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
from ecomkit.testing._port_strategies import (
    notifications,
    payment_transactions,
    shipment_labels,
    tracking_updates,
)
from ecomkit.time import BusinessCalendar, ensure_aware


__all__ = [
    "attribute_defs",
    "attribute_values",
    "aware_datetimes",
    "catalog_products",
    "catalog_schemas",
    "category_trees",
    "currencies",
    "delivered_orders",
    "gtins",
    "invalid_attribute_values",
    "line_specs",
    "locales",
    "localized_texts",
    "money",
    "money_ranges",
    "notifications",
    "order_specs",
    "orders",
    "payment_transactions",
    "product_changes",
    "return_policies",
    "return_requests",
    "shipment_labels",
    "taxed_money",
    "tracking_updates",
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
_T = TypeVar("_T")
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


#: The texts of localized texts (built once: a strategy is costly to build on every draw).
_TEXTS: Final = st.text(min_size=1, max_size=30).filter(str.strip)


@st.composite
def _localized(draw: st.DrawFn, pool: tuple[str, ...]) -> i18n.LocalizedText:
    keys = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=5, unique=True))
    values = {key: draw(_TEXTS) for key in keys}
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


# ---------------------------------------------------------------------- catalog

#: Codes the catalog strategies give attributes, types, options, categories and products.
_LOWER: Final = string.ascii_lowercase
_UPPER_DIGITS: Final = string.ascii_uppercase + string.digits


def _codes(first: str, rest: str, *, most: int) -> st.SearchStrategy[str]:
    """Codes of a first character from *first* and up to *most* more from *rest*."""
    return st.builds(operator.add, st.sampled_from(first), st.text(rest, max_size=most))


_ATTRIBUTE_CODES: Final = _codes(_LOWER, _LOWER + string.digits + "_", most=11)
_OPTION_CODES: Final = _codes(_UPPER_DIGITS + _LOWER + "_", _UPPER_DIGITS + _LOWER + "_.-", most=7)
#: The locales catalog labels are written in unless a pool is given, and labels in them.
_LABEL_LOCALES: Final = ("en", "de", "pl")
_LABELS: Final = localized_texts(pool=_LABEL_LOCALES)
_CATEGORY_CODES: Final = _codes(_LOWER, _LOWER + string.digits + "_-", most=9)
_PRODUCT_SKUS: Final = st.builds(
    "{}-{}".format, st.text(string.ascii_uppercase, min_size=2, max_size=4), st.integers(0, 99_999)
)
_MPNS: Final = st.text(_UPPER_DIGITS, min_size=3, max_size=12)
_MEDIA_KEYS: Final = st.builds(
    "{}{}{}".format,
    st.sampled_from(("", "https://cdn.example.com/")),
    st.text(_LOWER + string.digits, min_size=1, max_size=12),
    st.sampled_from(("", ".jpg", ".png")),
)
#: Channel codes, currencies and stock locations the catalog strategies draw from.
_CATALOG_CHANNELS: Final = ("web", "app", "pos", "google_de", "amazon_fr")
_CATALOG_CURRENCIES: Final = ("EUR", "PLN", "USD", "GBP", "JPY", "CHF")
_LOCATIONS: Final = ("main", "store-1", "dc_east")
_BRANDS: Final = ("Acme", "Nordlicht", "Żubr & Co", "Kōbō", "O'Neill")
#: Regular expressions a text attribute may be limited to, with their longest match.
_PATTERNS: Final = ((r"[A-Z]{2}-[0-9]{3,6}", 9), (r"[a-z][a-z0-9\-]{0,15}", 16), (r"[0-9]{4,8}", 8))
#: How far from zero (or from the one bound given) unbounded numbers go.
_SPAN: Final = 10**6
_FIRST_DAY: Final = dt.date(1990, 1, 1)
_LAST_DAY: Final = dt.date(2060, 12, 31)
#: When catalog products are created by default (Europe/Berlin); edits follow days apart.
_CREATED_ON: Final = (2026, 3, 2, 9)
_TEXTUAL_TYPES: Final = frozenset(
    {AttributeType.TEXT, AttributeType.LONG_TEXT, AttributeType.IDENTIFIER, AttributeType.MEDIA}
)
#: The Unicode categories an identifier's characters are never drawn from (spaces, controls).
_SPACES: Final[tuple[Literal["Cs", "Cc", "Zs", "Zl", "Zp"], ...]] = ("Cs", "Cc", "Zs", "Zl", "Zp")
#: Lone surrogates are not Unicode text; ecomkit refuses them.
_SURROGATES: Final[tuple[Literal["Cs"]]] = ("Cs",)
_ALL_TYPES: Final = tuple(AttributeType)
_AXIS_TYPES: Final = tuple(kind for kind in AttributeType if kind in AXIS_TYPES)


def _decimal_places(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _draw_decimal(
    draw: st.DrawFn,
    low: Decimal | None,
    high: Decimal | None,
    *,
    integral: bool,
    max_places: int = 3,
) -> Decimal:
    """Draw a decimal in [*low*, *high*] (either may be open), whole when *integral*."""
    if low is None:
        low = (Decimal(0) if high is None else high) - _SPAN
    if high is None:
        high = low + 2 * _SPAN
    places = 0 if integral else draw(st.integers(0, max_places))
    first = math.ceil(Fraction(low) * 10**places)
    last = math.floor(Fraction(high) * 10**places)
    if first > last:  # too few places to land between the bounds: use theirs
        places = max(_decimal_places(low), _decimal_places(high))
        first = math.ceil(Fraction(low) * 10**places)
        last = math.floor(Fraction(high) * 10**places)
    return Decimal(draw(st.integers(first, last))).scaleb(-places)


def _bounds(draw: st.DrawFn, *, integral: bool) -> dict[str, object]:
    """Draw ``minimum``/``maximum``/``decimals_allowed`` that some number satisfies."""
    found: dict[str, object] = {"decimals_allowed": not integral}
    places = 0 if integral else draw(st.integers(0, 2))
    low = draw(st.integers(-10_000, 10_000))
    high = low + draw(st.integers(0, 10_000))
    if draw(st.booleans()):
        found["minimum"] = Decimal(low).scaleb(-places)
    if draw(st.booleans()):
        found["maximum"] = Decimal(high).scaleb(-places)
    return found


def _text_constraints(draw: st.DrawFn, kind: AttributeType) -> dict[str, object]:
    found: dict[str, object] = {}
    if kind is AttributeType.MEDIA:
        if draw(st.booleans()):
            found["max_characters"] = draw(st.integers(40, 2_000))
        return found
    if kind is not AttributeType.LONG_TEXT and draw(st.booleans()):
        pattern, longest = draw(st.sampled_from(_PATTERNS))
        found["pattern"] = pattern
        if draw(st.booleans()):
            found["max_characters"] = draw(st.integers(longest, longest + 50))
    elif draw(st.booleans()):
        found["max_characters"] = draw(st.integers(1, 500))
    return found


def _constraints(  # noqa: PLR0911 - one branch per attribute type
    draw: st.DrawFn, kind: AttributeType
) -> dict[str, object]:
    """Draw the constraints of a *kind* attribute; they never rule out every value."""
    if kind in _TEXTUAL_TYPES:
        return _text_constraints(draw, kind)
    if kind is AttributeType.METRIC:
        family = draw(st.sampled_from(UnitFamily))
        units = sorted(code for code, known in UNITS.items() if known.family is family)
        found = _bounds(draw, integral=draw(st.booleans()))
        return {"unit_family": family, "default_unit": draw(st.sampled_from(units)), **found}
    if kind is AttributeType.NUMBER:
        return _bounds(draw, integral=draw(st.booleans()))
    if kind is AttributeType.PRICES:  # whole bounds, so a price in any currency fits
        found = _bounds(draw, integral=True)
        found["decimals_allowed"] = draw(st.booleans())
        return found
    if kind in (AttributeType.SINGLE_SELECT, AttributeType.MULTI_SELECT):
        codes = draw(st.lists(_OPTION_CODES, min_size=1, max_size=6, unique=True))
        labelled = draw(st.sampled_from((False, False, False, True)))
        return {"options": [Option(code, draw(_LABELS)) if labelled else code for code in codes]}
    if kind is AttributeType.DATE:
        first = draw(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)))
        last = first + dt.timedelta(days=draw(st.integers(0, 3_650)))
        found = {}
        if draw(st.booleans()):
            found["date_min"] = first
        if draw(st.booleans()):
            found["date_max"] = last
        return found
    return {}


def _attribute_types(types: object, *, axis: bool) -> tuple[AttributeType, ...]:
    if types is None:
        chosen = tuple(AttributeType)
    elif isinstance(types, str) or not isinstance(types, Iterable):
        msg = f"types={types!r} must be a list of AttributeType"
        raise InvalidArgument(msg)
    else:
        try:
            chosen = tuple(AttributeType(kind) for kind in types)
        except ValueError:
            msg = f"types={types!r} names a type that is not an AttributeType"
            raise InvalidArgument(msg) from None
    if axis:
        chosen = tuple(kind for kind in chosen if kind in AXIS_TYPES)
    if not chosen:
        msg = f"types={types!r} leaves no type to draw" + (" that can be an axis" if axis else "")
        raise InvalidArgument(msg)
    return chosen


@st.composite
def _attribute_defs(
    draw: st.DrawFn,
    types: tuple[AttributeType, ...],
    code: str | None,
    axis: bool,
    labels: st.SearchStrategy[i18n.LocalizedText],
) -> AttributeDef:
    kind = draw(st.sampled_from(types))
    options: dict[str, Any] = _constraints(draw, kind)
    if draw(st.booleans()):
        options["label"] = draw(labels)
    if not axis:
        options["localizable"] = draw(st.booleans())
        options["scopable"] = draw(st.booleans())
        options["unique"] = draw(st.sampled_from((False, False, False, True)))
    return AttributeDef(code if code is not None else draw(_ATTRIBUTE_CODES), kind, **options)


def attribute_defs(
    *,
    types: Iterable[AttributeType | str] | None = None,
    code: str | None = None,
    axis: bool = False,
    pool: tuple[str, ...] = LOCALES,
) -> st.SearchStrategy[AttributeDef]:
    """Valid attribute definitions, with constraints and flags that never contradict.

    Each definition gets the constraints its type takes, each drawn or left out: a length
    limit and sometimes a pattern for text (a limit never shorter than the pattern's
    longest match), bounds with or without decimals for numbers, measurements and prices,
    a unit family and default unit for measurements, one to six options (sometimes
    labelled) for selects, a date range for dates; bounds never exclude every value. The
    flags (localizable, scopable, unique) and the label are random.

    Args:
        types: Draw only these types; by default every
            [`AttributeType`][ecomkit.catalog.AttributeType].
        code: Fix the attribute's code; by default a random code.
        axis: Draw only definitions that can be a variant axis (single select, boolean or
            metric, neither localizable, scopable nor unique).
        pool: The locales labels are written in.

    Raises:
        InvalidArgument: *types* is not a list of attribute types, or leaves none to draw.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=20)
        ... @given(attribute_defs(types=["metric"]))
        ... def test_a_metric_states_its_bounds_in_a_unit_of_its_family(definition):
        ...     assert UNITS[definition.default_unit].family is definition.unit_family
        >>> test_a_metric_states_its_bounds_in_a_unit_of_its_family()
    """
    return _attribute_defs(_attribute_types(types, axis=axis), code, axis, _labels(pool))


def _labels(pool: tuple[str, ...]) -> st.SearchStrategy[i18n.LocalizedText]:
    return _LABELS if tuple(pool) == _LABEL_LOCALES else localized_texts(pool=tuple(pool))


def _text_values(definition: AttributeDef) -> st.SearchStrategy[str]:
    kind = definition.type
    limit = definition.max_length or 1
    if definition.pattern is not None:
        matches = st.from_regex(definition.pattern, fullmatch=True)
    elif kind is AttributeType.MEDIA:
        matches = _MEDIA_KEYS
    elif kind is AttributeType.IDENTIFIER:
        alphabet = st.characters(exclude_categories=_SPACES)
        matches = st.text(alphabet, min_size=1, max_size=min(limit, 30))
    elif kind is AttributeType.LONG_TEXT:
        matches = st.text(min_size=1, max_size=min(limit, 200))
    else:
        alphabet = st.characters(exclude_characters="\n\r", exclude_categories=_SURROGATES)
        matches = st.text(alphabet, min_size=1, max_size=min(limit, 40))

    return matches.filter(lambda text: not _refuses(definition, text))


@st.composite
def _number_values(draw: st.DrawFn, definition: AttributeDef) -> Decimal:
    integral = not definition.decimals_allowed
    return _draw_decimal(draw, definition.minimum, definition.maximum, integral=integral)


@st.composite
def _metric_values(draw: st.DrawFn, definition: AttributeDef) -> Metric:
    integral = not definition.decimals_allowed
    amount = _draw_decimal(draw, definition.minimum, definition.maximum, integral=integral)
    default = definition.default_unit
    assert default is not None  # noqa: S101 - a metric definition always has one
    metric = Metric(amount, default)
    family = [code for code, known in UNITS.items() if known.family is metric.family]
    target = draw(st.sampled_from(family))
    try:
        moved = metric.to(target)
    except InvalidValueError:  # no exact value in that unit
        return metric
    if integral and moved.amount != moved.amount.to_integral_value():
        return metric
    return moved


@st.composite
def _price_values(
    draw: st.DrawFn, definition: AttributeDef, pool: tuple[str, ...]
) -> tuple[Money, ...]:
    codes = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
    integral = not definition.decimals_allowed
    prices = []
    for code in sorted(codes):
        places = Currency(code).minor_units or 0
        amount = _draw_decimal(
            draw, definition.minimum, definition.maximum, integral=integral, max_places=places
        )
        prices.append(Money(amount, code))
    return tuple(prices)


def _day_range(definition: AttributeDef) -> tuple[dt.date, dt.date]:
    first = definition.date_min
    last = definition.date_max
    if first is None:
        first = _FIRST_DAY if last is None else min(_FIRST_DAY, last)
    if last is None:
        last = max(_LAST_DAY, first)
    return first, last


def _check_definition(definition: object) -> AttributeDef:
    if not isinstance(definition, AttributeDef):
        msg = f"definition={definition!r} must be an AttributeDef"
        raise InvalidArgument(msg)
    return definition


def _currency_pool(currencies: Iterable[str]) -> tuple[str, ...]:
    pool = tuple(dict.fromkeys(Currency(code).code for code in currencies))
    if not pool:
        msg = "currencies must name at least one currency"
        raise InvalidArgument(msg)
    return pool


def attribute_values(  # noqa: PLR0911 - one branch per attribute type
    definition: AttributeDef, *, currencies: Iterable[str] = _CATALOG_CURRENCIES
) -> st.SearchStrategy[Value]:
    """Values *definition* accepts, in the canonical form its ``check`` returns.

    ``definition.check(value) == value`` holds for every value drawn: text within the
    limit and pattern (one line for text, no spaces for identifiers, a URL or asset key
    for media), a ``Decimal`` or a [`Metric`][ecomkit.catalog.Metric] within the bounds
    (a measurement sometimes in another unit of its family, when it converts exactly), a
    tuple of `Money` in one to three of *currencies* sorted by currency, a ``bool``, a
    ``datetime.date`` within the range, an option code, or a tuple of distinct option
    codes.

    Args:
        definition: The attribute the values are for.
        currencies: The currencies a price collection is drawn in.

    Raises:
        InvalidArgument: *definition* is not an `AttributeDef`, *currencies* is empty, or
            the definition's bounds leave no whole number while decimals are not allowed.

    Examples:
        >>> from hypothesis import given, settings
        >>> weight = AttributeDef("weight", "metric", unit_family="weight", default_unit="kg",
        ...                       minimum="0", maximum="30")
        >>> @settings(max_examples=20)
        ... @given(attribute_values(weight))
        ... def test_every_weight_is_accepted_as_it_is(value):
        ...     assert weight.check(value) == value
        >>> test_every_weight_is_accepted_as_it_is()
    """
    chosen = _check_definition(definition)
    pool = _currency_pool(currencies)
    low, high = chosen.minimum, chosen.maximum
    if (
        not chosen.decimals_allowed
        and low is not None
        and high is not None
        and math.ceil(low) > math.floor(high)
    ):
        msg = f"{chosen.code}: no whole number lies between {low} and {high}"
        raise InvalidArgument(msg)
    kind = chosen.type
    if kind in _TEXTUAL_TYPES:
        return _text_values(chosen)
    if kind is AttributeType.NUMBER:
        return _number_values(chosen)
    if kind is AttributeType.METRIC:
        return _metric_values(chosen)
    if kind is AttributeType.PRICES:
        return _price_values(chosen, pool)
    if kind is AttributeType.BOOLEAN:
        return st.booleans()
    if kind is AttributeType.DATE:
        first, last = _day_range(chosen)
        return st.dates(first, last)
    codes = [option.code for option in chosen.options]
    if kind is AttributeType.SINGLE_SELECT:
        return st.sampled_from(codes)
    return st.lists(st.sampled_from(codes), min_size=1, unique=True).map(tuple)


def _outside(definition: AttributeDef) -> list[Decimal]:
    """Return numbers *definition* refuses: past a bound, or a fraction where none is allowed."""
    found = []
    if definition.minimum is not None:
        found.append(definition.minimum - 1)
    if definition.maximum is not None:
        found.append(definition.maximum + 1)
    if not definition.decimals_allowed:
        found.append((definition.minimum or Decimal(0)) + Decimal("0.5"))
    return found


def _invalid_text(definition: AttributeDef) -> list[object]:
    limit = definition.max_length or 1
    found: list[object] = [42, "   ", "x" * (limit + 1)]
    if definition.pattern is not None:
        found.append("!")
    if definition.type is AttributeType.TEXT:
        found.append("two\nlines")
    if definition.type is AttributeType.IDENTIFIER:
        found.append("has space")
    return found


def _invalid_values(definition: AttributeDef) -> list[object]:  # noqa: PLR0911 - one per type
    kind, family = definition.type, definition.unit_family
    if kind in _TEXTUAL_TYPES:
        return _invalid_text(definition)
    if kind is AttributeType.NUMBER:
        return [1.5, True, "abc", None, *_outside(definition)]
    if kind is AttributeType.METRIC:
        other = next(code for code, known in UNITS.items() if known.family is not family)
        far = [Metric(number, definition.default_unit) for number in _outside(definition)]
        return [5, "5", "5 parsec", f"1 {other}", *far]
    if kind is AttributeType.PRICES:
        euro = Money("1.00", "EUR")
        outside = [(Money(number, "EUR"),) for number in _outside(definition)]
        return [(), "5 EUR", (euro, euro), (5,), *outside]
    if kind is AttributeType.BOOLEAN:
        return ["yes", 1, None]
    if kind is AttributeType.DATE:
        found: list[object] = [dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "2026-13-01", 20260101]
        if definition.date_min is not None:
            found.append(definition.date_min - dt.timedelta(days=1))
        if definition.date_max is not None:
            found.append(definition.date_max + dt.timedelta(days=1))
        return found
    first = definition.options[0].code
    if kind is AttributeType.SINGLE_SELECT:
        return ["not an option", 3, (first,)]
    return [first, (), (first, first), ("not an option",), (3,)]


def invalid_attribute_values(definition: AttributeDef) -> st.SearchStrategy[object]:
    """Values *definition* refuses, each for one reason its ``check`` names.

    Wrong types (a number for text, a float for a number, a string for a boolean, a
    datetime for a date), and per constraint a value that breaks it: blank or too long
    text, a line break in one-line text, a space in an identifier, a text that does not
    match the pattern, a number just past a bound or with decimals where none are allowed,
    a measurement without or with a foreign unit, an empty or doubled price collection,
    an undeclared or repeated option.

    Args:
        definition: The attribute the values are for.

    Raises:
        InvalidArgument: *definition* is not an `AttributeDef`.

    Examples:
        >>> import pytest
        >>> from hypothesis import given, settings
        >>> from ecomkit.errors import InvalidTypeError, InvalidValueError
        >>> size = AttributeDef("size", "single_select", options=["S", "M", "L"])
        >>> @settings(max_examples=10)
        ... @given(invalid_attribute_values(size))
        ... def test_no_invalid_size_is_accepted(value):
        ...     with pytest.raises((InvalidTypeError, InvalidValueError)):
        ...         size.check(value)
        >>> test_no_invalid_size_is_accepted()
    """
    chosen = _check_definition(definition)
    return st.sampled_from([value for value in _invalid_values(chosen) if _refuses(chosen, value)])


def _refuses(definition: AttributeDef, value: object) -> bool:
    try:
        definition.check(value)
    except (InvalidTypeError, InvalidValueError):
        return True
    return False


@st.composite
def _gtins(draw: st.DrawFn, lengths: tuple[int, ...]) -> Gtin:
    length = draw(st.sampled_from(lengths))
    body = draw(
        st.text("0123456789", min_size=length - 1, max_size=length - 1).filter(
            lambda digits: digits.strip("0")
        )
    )
    return Gtin.parse(body + str(gs1_check_digit(body)))


def gtins(*, lengths: Iterable[int] = GTIN_LENGTHS) -> st.SearchStrategy[Gtin]:
    """Valid GTINs: random digits (never all zeros) and their GS1 check digit.

    Args:
        lengths: The lengths to draw, among 8, 12, 13 and 14.

    Raises:
        InvalidArgument: *lengths* is empty or holds a length a GTIN cannot have.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=20)
        ... @given(gtins(lengths=[13]))
        ... def test_an_ean_13_reads_back_from_its_digits(gtin):
        ...     assert Gtin.parse(gtin.digits) == gtin and gtin.length == 13
        >>> test_an_ean_13_reads_back_from_its_digits()
    """
    chosen = tuple(lengths)
    if not chosen or any(length not in GTIN_LENGTHS for length in chosen):
        msg = f"lengths={chosen!r} must be some of {GTIN_LENGTHS}"
        raise InvalidArgument(msg)
    return _gtins(chosen)


def _some(draw: st.DrawFn, pool: Sequence[_T], *, most: int, least: int = 0) -> list[_T]:
    """Draw *least* to *most* distinct items of *pool* (none from an empty pool)."""
    left = list(pool)
    count = draw(st.integers(min(least, len(left)), min(most, len(left))))
    return [left.pop(draw(st.integers(0, len(left) - 1))) for _ in range(count)]


@st.composite
def _channels(
    draw: st.DrawFn, most: int, pool: tuple[str, ...], money: tuple[str, ...]
) -> list[Channel]:
    codes = _some(draw, _CATALOG_CHANNELS, most=most, least=1)
    return [
        Channel(
            code,
            _some(draw, pool, most=3, least=1),
            _some(draw, money, most=2, least=1),
            country=draw(st.none() | st.sampled_from(_COUNTRIES)),
        )
        for code in codes
    ]


def _requirements(
    draw: st.DrawFn,
    attributes: list[str],
    definitions: dict[str, AttributeDef],
    channels: dict[str, Channel],
) -> list[Requirement]:
    found = []
    for code in _some(draw, attributes, most=4):
        where = _some(draw, list(channels), most=2)
        locales: list[str] = []
        if definitions[code].localizable and draw(st.booleans()):
            offered = {locale for name in where or channels for locale in channels[name].locales}
            locales = _some(draw, sorted(offered), most=2, least=1)
        found.append(Requirement(code, where, locales=locales))
    return found


def _levels(draw: st.DrawFn, axes: list[str], others: list[str]) -> list[VariantLevel]:
    count = draw(st.integers(1, min(MAX_VARIANT_LEVELS, len(axes))))
    cut = draw(st.integers(1, len(axes) - 1)) if count > 1 else len(axes)
    split = [axes[:cut], axes[cut:]][:count]
    placed: list[list[str]] = [[] for _ in split]
    for code in others:
        level = draw(st.integers(0, count))  # 0: set on the group
        if level:
            placed[level - 1].append(code)
    return [
        VariantLevel(level_axes, extra) for level_axes, extra in zip(split, placed, strict=True)
    ]


@st.composite
def _product_type(
    draw: st.DrawFn,
    code: str,
    *,
    definitions: dict[str, AttributeDef],
    plain: list[str],
    axes: list[str],
    channels: dict[str, Channel],
    variants: bool | None,
) -> ProductType:
    own = _some(draw, plain, most=len(plain))
    wants_levels = bool(axes) and (draw(st.booleans()) if variants is None else variants)
    own_axes = _some(draw, axes, most=len(axes), least=1) if wants_levels else []
    attributes = ["title", *own, *own_axes]
    texts = [
        name
        for name in own
        if definitions[name].type in (AttributeType.TEXT, AttributeType.LONG_TEXT)
    ]
    description = draw(st.none() | st.sampled_from(texts)) if texts else None
    return ProductType(
        code,
        attributes,
        requirements=_requirements(draw, attributes, definitions, channels),
        variant_levels=_levels(draw, own_axes, own) if own_axes else (),
        label=draw(st.none() | _LABELS) or {},
        description_attribute=description,
    )


@st.composite
def _catalog_schemas(
    draw: st.DrawFn,
    *,
    max_attributes: int,
    max_types: int,
    max_channels: int,
    variants: bool | None,
    pool: tuple[str, ...],
    money: tuple[str, ...],
) -> CatalogSchema:
    channels = {channel.code: channel for channel in draw(_channels(max_channels, pool, money))}
    plain_count = draw(st.integers(0, max_attributes))
    axis_count = 0 if variants is False else draw(st.integers(1 if variants else 0, 2))
    codes = draw(
        st.lists(
            _ATTRIBUTE_CODES.filter(lambda code: code != "title"),
            min_size=plain_count + axis_count,
            max_size=plain_count + axis_count,
            unique=True,
        )
    )
    labels = _labels(pool)
    definitions = {"title": draw(_attribute_defs((AttributeType.TEXT,), "title", False, labels))}
    for index, code in enumerate(codes):
        axis = index >= plain_count
        kinds = _AXIS_TYPES if axis else _ALL_TYPES
        definitions[code] = draw(_attribute_defs(kinds, code, axis, labels))
    plain, axes = codes[:plain_count], codes[plain_count:]
    type_codes = draw(st.lists(_ATTRIBUTE_CODES, min_size=1, max_size=max_types, unique=True))
    types = [
        draw(
            _product_type(
                code,
                definitions=definitions,
                plain=plain,
                axes=axes,
                channels=channels,
                variants=variants,
            )
        )
        for code in type_codes
    ]
    return CatalogSchema(list(definitions.values()), types, list(channels.values()))


def catalog_schemas(
    *,
    max_attributes: int = 6,
    max_types: int = 2,
    max_channels: int = 3,
    variants: bool | None = None,
    pool: tuple[str, ...] = LOCALES,
    currencies: Iterable[str] = _CATALOG_CURRENCIES,
) -> st.SearchStrategy[CatalogSchema]:
    """Valid catalog schemas: attributes, product types and channels that fit together.

    Each schema has a one-line ``title`` attribute, up to *max_attributes* more from
    [`attribute_defs`][ecomkit.testing.strategies.attribute_defs], and, when variants are
    drawn, one or two axis attributes. Each of its one to *max_types* product types has
    the title and a random subset of the attributes, sometimes a description attribute,
    requirements in some or all channels (and, for localizable attributes, in some of
    those channels' locales) and, with variants, one or two variant levels with distinct
    axes and some attributes set per level. There are one to *max_channels* channels,
    each with one to three locales from *pool* and one or two of *currencies*.

    Args:
        max_attributes: The most attributes besides the title and the axes.
        max_types: The most product types (at least 1).
        max_channels: The most channels (1 to 5).
        variants: ``True``: every type has variant levels; ``False``: none has; ``None``
            (the default): some have.
        pool: The locales channels and labels use.
        currencies: The currencies channels sell in.

    Raises:
        InvalidArgument: A limit is out of range, or *pool* or *currencies* is empty.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(catalog_schemas(variants=True))
        ... def test_every_type_has_variant_axes(schema):
        ...     assert all(kind.axes for kind in schema.product_types.values())
        >>> test_every_type_has_variant_axes()
    """
    if max_attributes < 0 or max_types < 1 or not 1 <= max_channels <= len(_CATALOG_CHANNELS):
        msg = (
            f"max_attributes={max_attributes} must be >= 0, max_types={max_types} >= 1 and "
            f"max_channels={max_channels} from 1 to {len(_CATALOG_CHANNELS)}"
        )
        raise InvalidArgument(msg)
    if not pool:
        msg = "pool must name at least one locale"
        raise InvalidArgument(msg)
    return _catalog_schemas(
        max_attributes=max_attributes,
        max_types=max_types,
        max_channels=max_channels,
        variants=variants,
        pool=tuple(pool),
        money=_currency_pool(currencies),
    )


def _settable(schema: CatalogSchema, kind: ProductType, *, grouped: bool) -> list[ValueKey]:
    """Every key a product of *kind* may hold a value under (a variant: its levels' only)."""
    all_locales = tuple(
        dict.fromkeys(locale for channel in schema.channels.values() for locale in channel.locales)
    )
    keys: list[ValueKey] = []
    for code in kind.attributes:
        if grouped and kind.variant_levels and kind.level_of(code) == 0:
            continue
        definition = schema.attributes[code]
        channels: list[str | None] = [None]
        if definition.scopable:
            channels.extend(schema.channels)
        for channel in channels:
            locales: list[str | None] = [None]
            if definition.localizable:
                locales.extend(all_locales if channel is None else schema.channels[channel].locales)
            keys.extend(ValueKey(code, channel, locale) for locale in locales)
    return keys


@st.composite
def _prices(draw: st.DrawFn, schema: CatalogSchema, at: pendulum.DateTime) -> list[ProductChange]:
    everywhere = sorted(
        {code for channel in schema.channels.values() for code in channel.currencies}
    )
    targets = [(None, code) for code in everywhere] + [
        (channel.code, code) for channel in schema.channels.values() for code in channel.currencies
    ]
    chosen = draw(st.lists(st.sampled_from(targets), max_size=3, unique=True))
    changes: list[ProductChange] = []
    for channel, code in chosen:
        if draw(st.sampled_from((False, False, True))):  # a price removed rather than set
            changes.append(RemovePrice(code, channel))
            continue
        regular_units = draw(st.integers(1, _MAX_PRICE_UNITS))
        regular = Money.from_minor_units(regular_units, code)
        if not draw(st.booleans()):
            changes.append(SetPrice(Price(regular, channel=channel)))
            continue
        sale = Money.from_minor_units(draw(st.integers(0, regular_units - 1)), code)
        starts = draw(st.none() | st.integers(-10, 10))
        ends = draw(st.none() | st.integers(1, 30))
        changes.append(
            SetPrice(
                Price(
                    regular,
                    sale=sale,
                    sale_from=None if starts is None else at.add(days=starts),
                    sale_until=None if ends is None else at.add(days=(starts or 0) + ends),
                    channel=channel,
                )
            )
        )
    return changes


def _media(draw: st.DrawFn, labels: st.SearchStrategy[i18n.LocalizedText]) -> SetMedia:
    names = draw(st.lists(st.integers(1, 99), max_size=3, unique=True))
    return SetMedia(
        [
            Image(
                f"https://cdn.example.com/products/{name}.jpg",
                draw(st.none() | labels) or {},
            )
            for name in names
        ]
    )


@st.composite
def _product_changes(
    draw: st.DrawFn,
    schema: CatalogSchema,
    *,
    kind: ProductType,
    grouped: bool,
    categories: tuple[str, ...],
    at: pendulum.DateTime,
    max_values: int,
) -> list[ProductChange]:
    keys = _settable(schema, kind, grouped=grouped)
    pool = tuple(
        dict.fromkeys(locale for channel in schema.channels.values() for locale in channel.locales)
    )
    money = tuple(
        dict.fromkeys(code for channel in schema.channels.values() for code in channel.currencies)
    )
    chosen = draw(st.lists(st.sampled_from(keys), max_size=max_values, unique=True)) if keys else []
    changes: list[ProductChange] = [
        SetValue(
            key.attribute,
            draw(attribute_values(schema.attributes[key.attribute], currencies=money)),
            key.channel,
            key.locale,
        )
        for key in chosen
    ]
    unused = [key for key in keys if key not in chosen]
    changes.extend(
        RemoveValue(key.attribute, key.channel, key.locale) for key in _some(draw, unused, most=1)
    )
    changes.extend(draw(_prices(schema, at)))
    if draw(st.booleans()):
        changes.append(SetGtin(draw(st.none() | gtins())))
    if draw(st.booleans()):
        changes.append(SetBrand(draw(st.none() | st.sampled_from(_BRANDS))))
    if draw(st.booleans()):
        changes.append(SetMpn(draw(st.none() | _MPNS)))
    if draw(st.booleans()) and len(categories) > 0:
        changes.append(SetCategories(_some(draw, categories, most=3)))
    if draw(st.booleans()):
        changes.append(_media(draw, _labels(pool)))
    if draw(st.booleans()):
        availability = draw(st.sampled_from(Availability))
        later = availability in (Availability.PREORDER, Availability.BACKORDER)
        days = draw(st.none() | st.integers(1, 60)) if later else None
        changes.append(SetAvailability(availability, None if days is None else at.add(days=days)))
    changes.extend(
        SetStock(location, draw(st.integers(0, 500)))
        for location in _some(draw, _LOCATIONS, most=2)
    )
    if draw(st.booleans()):
        changes.append(SetCondition(draw(st.sampled_from(Condition))))
    if draw(st.booleans()):
        changes.append(SetEnabled(draw(st.booleans())))
    return list(draw(st.permutations(changes)))


def _default_at(at: dt.datetime | None) -> pendulum.DateTime:
    if at is None:
        return pendulum.datetime(*_CREATED_ON, tz="Europe/Berlin")
    return ensure_aware(at, field="at")


def _product_kind(schema: object, product_type: str | None) -> list[str]:
    if not isinstance(schema, CatalogSchema):
        msg = f"schema={schema!r} must be a CatalogSchema"
        raise InvalidArgument(msg)
    if product_type is not None:
        return [schema.product_type(product_type).code]
    return list(schema.product_types)


def product_changes(
    schema: CatalogSchema,
    *,
    product_type: str,
    group: bool = False,
    categories: Iterable[str] | None = None,
    at: dt.datetime | None = None,
    max_values: int = 6,
) -> st.SearchStrategy[list[ProductChange]]:
    """Lists of changes [`edit_product`][ecomkit.catalog.edit_product] accepts for a type.

    Each list sets up to *max_values* values under keys the attribute's flags allow
    (a channel only for a scopable attribute, a locale of that channel, or of any channel,
    only for a localizable one), sometimes removes a value, sets or removes up to three
    prices (in a channel's currencies, or in any of them for every channel; some on sale,
    with or without a window around *at*), and sometimes sets the GTIN (with a correct
    check digit), brand, MPN, categories, images, availability, stock, condition or the
    enabled flag. Every change in a list touches its own target, so applying a list a
    second time changes nothing.

    Args:
        schema: The schema the changes are checked against.
        product_type: The code of the product's type.
        group: The changes are for a variant of a product group: only the attributes of the
            type's variant levels get values.
        categories: The category codes `SetCategories` picks from (a
            [`CategoryTree`][ecomkit.catalog.CategoryTree] will do); by default a few
            fixed codes.
        at: When the changes are applied (timezone-aware): sale windows and availability
            dates are drawn around it; by default 2 March 2026, 09:00 in Berlin.
        max_values: The most values set in one list.

    Raises:
        InvalidArgument: *schema* is not a `CatalogSchema`.
        UnknownCodeError: *product_type* is not a type of the schema.

    Examples:
        >>> import pendulum
        >>> from hypothesis import given, settings
        >>> from ecomkit.catalog import create_product
        >>> from ecomkit.testing.strategies import catalog_schemas
        >>> at = pendulum.datetime(2026, 3, 2, tz="UTC")
        >>> @settings(max_examples=10)
        ... @given(catalog_schemas(max_types=1).flatmap(lambda schema: st.tuples(
        ...     st.just(schema), product_changes(schema, product_type=next(iter(
        ...         schema.product_types)), at=at))))
        ... def test_a_list_is_accepted_at_creation(case):
        ...     schema, changes = case
        ...     kind = next(iter(schema.product_types))
        ...     create_product(schema, sku="P-1", product_type=kind, changes=changes, at=at)
        >>> test_a_list_is_accepted_at_creation()
    """
    (kind,) = _product_kind(schema, product_type)
    pool = tuple(_CATEGORIES if categories is None else categories)
    return _product_changes(
        schema,
        kind=schema.product_types[kind],
        grouped=group,
        categories=pool,
        at=_default_at(at),
        max_values=max_values,
    )


@st.composite
def _catalog_products(
    draw: st.DrawFn,
    schemas: st.SearchStrategy[CatalogSchema],
    *,
    product_type: str | None,
    sku: str | None,
    group: str | None,
    categories: tuple[str, ...] | None,
    at: pendulum.DateTime,
    max_values: int,
    max_edits: int,
) -> Product:
    schema = draw(schemas)
    kind = schema.product_types[draw(st.sampled_from(_product_kind(schema, product_type)))]
    pool = _CATEGORIES if categories is None else categories
    known = None if categories is None else frozenset(categories)
    grouped = group is not None
    changes = draw(
        _product_changes(
            schema, kind=kind, grouped=grouped, categories=pool, at=at, max_values=max_values
        )
    )
    product = create_product(
        schema,
        sku=sku if sku is not None else draw(_PRODUCT_SKUS),
        product_type=kind.code,
        changes=changes,
        group=group,
        at=at,
        categories=known,
    ).product
    for day in range(1, draw(st.integers(0, max_edits)) + 1):
        later = at.add(days=day)
        changes = draw(
            _product_changes(
                schema, kind=kind, grouped=grouped, categories=pool, at=later, max_values=max_values
            )
        )
        product = edit_product(schema, product, changes, at=later, categories=known).product
    return product


def catalog_products(
    schema: CatalogSchema | None = None,
    *,
    product_type: str | None = None,
    sku: str | None = None,
    group: str | None = None,
    categories: Iterable[str] | None = None,
    at: dt.datetime | None = None,
    max_values: int = 6,
    max_edits: int = 2,
) -> st.SearchStrategy[Product]:
    """Products as [`create_product`][ecomkit.catalog.create_product] and `edit_product` made them.

    Each product is created with a random list of valid changes from
    [`product_changes`][ecomkit.testing.strategies.product_changes] (values, prices,
    identifiers, images, stock ...), then edited up to *max_edits* times, a day apart,
    with more such lists; so its values, prices, price history and version are what the
    catalog's own entry points produce.

    Args:
        schema: The schema; by default one drawn from
            [`catalog_schemas()`][ecomkit.testing.strategies.catalog_schemas].
        product_type: Fix the product type; by default any type of the schema.
        sku: Fix the SKU; by default a random ``ABC-123``.
        group: Make the products variants of this group: only the attributes of the
            type's variant levels get values.
        categories: The known category codes (a
            [`CategoryTree`][ecomkit.catalog.CategoryTree] will do): products are
            classified only in these, and they are passed on as ``categories=``.
        at: When the product is created (timezone-aware); by default 2 March 2026, 09:00
            in Berlin.
        max_values: The most values set by one list of changes.
        max_edits: The most edits after creation (0 gives just-created products).

    Raises:
        InvalidArgument: *schema* is not a `CatalogSchema`, or a limit is negative.
        UnknownCodeError: *product_type* is not a type of the schema.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(catalog_products())
        ... def test_created_products_have_a_version(product):
        ...     assert product.version >= 1
        >>> test_created_products_have_a_version()
    """
    if max_values < 0 or max_edits < 0:
        msg = f"max_values={max_values} and max_edits={max_edits} must be >= 0"
        raise InvalidArgument(msg)
    if schema is not None:
        _product_kind(schema, product_type)
    elif product_type is not None:
        msg = f"product_type={product_type!r} needs the schema it is a type of"
        raise InvalidArgument(msg)
    schemas = catalog_schemas() if schema is None else st.just(schema)
    return _catalog_products(
        schemas,
        product_type=product_type,
        sku=sku,
        group=group,
        categories=None if categories is None else tuple(categories),
        at=_default_at(at),
        max_values=max_values,
        max_edits=max_edits,
    )


@st.composite
def _category_trees(
    draw: st.DrawFn,
    min_size: int,
    max_size: int,
    labels: st.SearchStrategy[i18n.LocalizedText],
) -> CategoryTree:
    codes = draw(st.lists(_CATEGORY_CODES, min_size=min_size, max_size=max_size, unique=True))
    categories = []
    for index, code in enumerate(codes):
        parent = draw(st.none() | st.sampled_from(codes[:index])) if index else None
        label: i18n.LocalizedText | dict[str, str] = draw(st.none() | labels) or {}
        categories.append(Category(code, label, parent=parent))
    return CategoryTree(draw(st.permutations(categories)))


def category_trees(
    *, min_size: int = 0, max_size: int = 12, pool: tuple[str, ...] = _LABEL_LOCALES
) -> st.SearchStrategy[CategoryTree]:
    """Valid category trees: *min_size* to *max_size* categories in one or more roots.

    Each category hangs under a random earlier one or is a root, with a label in some of
    *pool*'s locales or none; the categories are handed to the tree in a random order, so
    siblings come in any order.

    Args:
        min_size: The fewest categories.
        max_size: The most categories.
        pool: The locales labels are written in.

    Raises:
        InvalidArgument: The sizes are negative or in the wrong order.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=20)
        ... @given(category_trees(min_size=1))
        ... def test_every_path_starts_at_a_root(tree):
        ...     assert all(tree.path(code)[0] in tree.roots for code in tree)
        >>> test_every_path_starts_at_a_root()
    """
    if not 0 <= min_size <= max_size:
        msg = f"min_size={min_size} and max_size={max_size} must satisfy 0 <= min <= max"
        raise InvalidArgument(msg)
    return _category_trees(min_size, max_size, _labels(pool))
