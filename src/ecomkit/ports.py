"""The ports: every ``typing.Protocol`` a host application implements to plug ecomkit in.

ecomkit never does I/O of its own. Storage, payments, parcels, messages and exchange rates
reach it through the small protocols below, and the [services][ecomkit.services] run the
domain through them. A host implements a protocol with a plain class (no base class to
inherit) and checks it with the contract suites in
[`ecomkit.testing.contracts`][ecomkit.testing.contracts]; ecomkit's own adapters
([`ecomkit.adapters.memory`][ecomkit.adapters.memory] and
[`ecomkit.adapters.sqlite`][ecomkit.adapters.sqlite]) pass the same suites.

Each protocol's docstring is its contract: what a call must do when it is repeated
(idempotency), what it must do when two callers race (concurrency), and which ecomkit
errors it must raise so that services can tell "try again" from "give up".

The small records the providers return ([`PaymentTransaction`][ecomkit.ports.PaymentTransaction],
[`ShipmentLabel`][ecomkit.ports.ShipmentLabel],
[`TrackingUpdate`][ecomkit.ports.TrackingUpdate],
[`Notification`][ecomkit.ports.Notification]) live here too.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from types import TracebackType
from typing import Any, Protocol, Self, TypeAlias

import attrs

from ecomkit.catalog import Product, ProductEvent
from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.money import Currency, Money
from ecomkit.orders import Address, LineQuantity, Order, OrderEvent
from ecomkit.orders._values import (
    optional_date_field,
    optional_text_field,
    positive_money_field,
    text_field,
)
from ecomkit.returns import ReturnEvent, Rma
from ecomkit.time import Clock, ensure_aware


__all__ = [
    "Carrier",
    "Clock",
    "DomainEvent",
    "EventPublisher",
    "ExchangeRates",
    "Notification",
    "Notifier",
    "OrderRepository",
    "PaymentGateway",
    "PaymentOperation",
    "PaymentTransaction",
    "ProductRepository",
    "ReturnRepository",
    "ShipmentLabel",
    "TrackingStatus",
    "TrackingUpdate",
    "UnitOfWork",
]

DomainEvent: TypeAlias = OrderEvent | ReturnEvent | ProductEvent
"""Any event the domain records: an order's, a return's or a product's."""


# ---------------------------------------------------------------------- records


class PaymentOperation(enum.StrEnum):
    """What a payment gateway was asked to do."""

    AUTHORIZE = "authorize"
    """Reserve an amount on the customer's means of payment."""
    CAPTURE = "capture"
    """Take (part of) an authorized amount."""
    VOID = "void"
    """Release an authorized amount that was not captured."""
    REFUND = "refund"
    """Pay back (part of) a captured amount."""


def _operation(value: object) -> PaymentOperation:
    try:
        return PaymentOperation(value)  # type: ignore[arg-type]
    except ValueError:
        raise InvalidValueError(
            field="operation",
            value=value,
            reason=f"must be one of {', '.join(op.value for op in PaymentOperation)}",
        ) from None


@attrs.frozen(kw_only=True, weakref_slot=False)
class PaymentTransaction:
    """What a payment gateway answered when it did what it was asked.

    Attributes:
        operation: What was done.
        payment_id: The payment (within its order) it concerns.
        amount: The amount authorized, captured, voided or refunded.
        reference: The provider's reference for this transaction (for an authorization,
            the handle that later captures, voids and refunds pass back).
        idempotency_key: The key the call was made with.
    """

    operation: PaymentOperation = attrs.field(converter=_operation)
    payment_id: str = attrs.field(validator=text_field)
    amount: Money = attrs.field(validator=positive_money_field)
    reference: str = attrs.field(validator=text_field)
    idempotency_key: str = attrs.field(validator=text_field)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ShipmentLabel:
    """What a carrier answered when it accepted a shipment.

    Attributes:
        carrier: The carrier's name, as it should appear on the order.
        tracking_number: The parcel's tracking number.
        label_url: Where the shipping label can be downloaded, if the carrier gives one.
        promised_delivery_on: The delivery date the carrier promises, if it gives one.
    """

    carrier: str = attrs.field(validator=text_field)
    tracking_number: str = attrs.field(validator=text_field)
    label_url: str | None = attrs.field(default=None, validator=optional_text_field)
    promised_delivery_on: dt.date | None = attrs.field(default=None, validator=optional_date_field)


class TrackingStatus(enum.StrEnum):
    """Where a parcel is, in the words most carriers' tracking feeds map onto."""

    LABEL_CREATED = "label_created"
    """The label exists; the carrier does not have the parcel yet."""
    IN_TRANSIT = "in_transit"
    """The carrier has the parcel and it is moving."""
    OUT_FOR_DELIVERY = "out_for_delivery"
    """The parcel is on the vehicle that delivers it."""
    FAILED_ATTEMPT = "failed_attempt"
    """Delivery was tried and failed; the carrier will try again or hold it."""
    DELIVERED = "delivered"
    """The parcel reached the recipient."""
    EXCEPTION = "exception"
    """Something went wrong (damaged, lost, held by customs)."""
    RETURNED_TO_SENDER = "returned_to_sender"
    """The parcel is on its way back."""


def _tracking_status(value: object) -> TrackingStatus:
    try:
        return TrackingStatus(value)  # type: ignore[arg-type]
    except ValueError:
        raise InvalidValueError(
            field="status",
            value=value,
            reason=f"must be one of {', '.join(status.value for status in TrackingStatus)}",
        ) from None


def _aware(value: object) -> dt.datetime:
    return ensure_aware(value, field="at")


@attrs.frozen(kw_only=True, weakref_slot=False)
class TrackingUpdate:
    """One scan or status change of a parcel, as the carrier reports it.

    Attributes:
        tracking_number: The parcel.
        status: Where it is.
        at: When the carrier recorded it (timezone-aware).
        location: Where, if the carrier says.
        description: The carrier's own words.
    """

    tracking_number: str = attrs.field(validator=text_field)
    status: TrackingStatus = attrs.field(converter=_tracking_status)
    at: dt.datetime = attrs.field(converter=_aware)
    location: str | None = attrs.field(default=None, validator=optional_text_field)
    description: str = ""


def _details(value: object) -> tuple[tuple[str, str], ...]:
    items: Iterable[Any]
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, Iterable) and not isinstance(value, str):
        items = value
    else:
        raise InvalidTypeError(field="details", value=value, expected="a mapping of str to str")
    pairs: dict[str, str] = {}
    for item in items:
        if (
            not isinstance(item, tuple)
            or len(item) != 2  # noqa: PLR2004 - a pair
            or not isinstance(item[0], str)
            or not isinstance(item[1], str)
        ):
            raise InvalidTypeError(field="details", value=value, expected="a mapping of str to str")
        pairs[item[0]] = item[1]
    return tuple(sorted(pairs.items()))


@attrs.frozen(kw_only=True, weakref_slot=False)
class Notification:
    """A message a service asks the host to send (an email, a push, a webhook).

    ecomkit decides *that* something should be said and with which facts; the host decides
    how it looks and which channel carries it.

    Attributes:
        kind: What happened, such as ``"order_placed"``, ``"order_shipped"``,
            ``"order_delivered"``, ``"order_cancelled"``, ``"return_decided"`` or
            ``"return_refunded"``.
        key: Unique per message; the same key arriving twice is the same message (a
            retried service) and should be sent once.
        order_id: The order it is about.
        recipient: The customer, if the order names one.
        return_id: The return it is about, if any.
        details: Facts for the template (``{"tracking_number": "..."}``), sorted by name.
    """

    kind: str = attrs.field(validator=text_field)
    key: str = attrs.field(validator=text_field)
    order_id: str = attrs.field(validator=text_field)
    recipient: str | None = attrs.field(default=None, validator=optional_text_field)
    return_id: str | None = attrs.field(default=None, validator=optional_text_field)
    details: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_details)

    def detail(self, name: str) -> str | None:
        """Return the detail called *name*, or ``None`` when there is none."""
        return dict(self.details).get(name)


# ---------------------------------------------------------------------- storage


class OrderRepository(Protocol):
    """**Protocol:** where orders are kept. Reached through a unit of work (``uow.orders``).

    Contract for implementations:

    - **Round trip.** ``get`` returns an order equal (``==``) to the one stored, events and
      all. Storing through the [serialization converter][ecomkit.serialization.make_converter]
      guarantees it.
    - **Optimistic concurrency.** ``update(order, expected_version=n)`` stores *order* only
      if the stored order is still at version *n*; otherwise it raises
      [`VersionConflictError`][ecomkit.errors.VersionConflictError] naming the expected and
      the actual version. ``add`` is an update from version 0: an id that is already stored
      raises ``VersionConflictError`` with ``expected=0``. The check may happen in the call
      or at the latest in ``commit()``; either way, nothing of the unit is stored when it
      fails.
    - **Visibility.** Within a unit, ``get`` sees the unit's own adds and updates; other
      units see them only after ``commit()``.
    - **Not found.** ``get`` and ``update`` of an unknown id raise
      [`OrderNotFoundError`][ecomkit.errors.OrderNotFoundError].
    - **Events.** An order carries its event log. Adapters that keep an event table append
      the new events (``order.events[expected_version:]``) in the same transaction.
    - An order whose version is not above *expected_version* is refused with
      [`InvalidValueError`][ecomkit.errors.InvalidValueError]; so is anything that is not
      an ``Order`` ([`InvalidTypeError`][ecomkit.errors.InvalidTypeError]).
    """

    def get(self, order_id: str) -> Order:
        """Return the order stored under *order_id*.

        Raises:
            OrderNotFoundError: No order has this id.
        """
        ...

    def add(self, order: Order) -> None:
        """Store a new order.

        Raises:
            VersionConflictError: An order with this id is already stored (``expected=0``).
        """
        ...

    def update(self, order: Order, *, expected_version: int) -> None:
        """Replace the stored order, which must still be at *expected_version*.

        Raises:
            OrderNotFoundError: No order has this id.
            VersionConflictError: The stored order is at another version.
            InvalidValueError: ``order.version`` is not above *expected_version*.
        """
        ...


class ReturnRepository(Protocol):
    """**Protocol:** where returns (RMAs) are kept. Reached as ``uow.returns``.

    The contract is the [order repository's][ecomkit.ports.OrderRepository], with
    [`ReturnNotFoundError`][ecomkit.errors.ReturnNotFoundError] for unknown ids, plus a
    lookup of an order's returns.
    """

    def get(self, return_id: str) -> Rma:
        """Return the return stored under *return_id*.

        Raises:
            ReturnNotFoundError: No return has this id.
        """
        ...

    def add(self, rma: Rma) -> None:
        """Store a new return.

        Raises:
            VersionConflictError: A return with this id is already stored (``expected=0``).
        """
        ...

    def update(self, rma: Rma, *, expected_version: int) -> None:
        """Replace the stored return, which must still be at *expected_version*.

        Raises:
            ReturnNotFoundError: No return has this id.
            VersionConflictError: The stored return is at another version.
            InvalidValueError: ``rma.version`` is not above *expected_version*.
        """
        ...

    def for_order(self, order_id: str) -> tuple[Rma, ...]:
        """Return the returns of an order, sorted by return id (empty when there are none)."""
        ...


class ProductRepository(Protocol):
    """**Protocol:** where products are kept, by SKU. Reached as ``uow.products``.

    The contract is the [order repository's][ecomkit.ports.OrderRepository], with
    [`ProductNotFoundError`][ecomkit.errors.ProductNotFoundError] for unknown SKUs. A
    product does not carry its event log, so ``add`` and ``update`` take the event that
    [`create_product`][ecomkit.catalog.create_product] or
    [`edit_product`][ecomkit.catalog.edit_product] returned; adapters that keep an event
    table append it.
    """

    def get(self, sku: str) -> Product:
        """Return the product stored under *sku*.

        Raises:
            ProductNotFoundError: No product has this SKU.
        """
        ...

    def add(self, product: Product, *, event: ProductEvent | None = None) -> None:
        """Store a new product.

        Raises:
            VersionConflictError: A product with this SKU is already stored (``expected=0``).
        """
        ...

    def update(
        self, product: Product, *, expected_version: int, event: ProductEvent | None = None
    ) -> None:
        """Replace the stored product, which must still be at *expected_version*.

        Raises:
            ProductNotFoundError: No product has this SKU.
            VersionConflictError: The stored product is at another version.
            InvalidValueError: ``product.version`` is not above *expected_version*.
        """
        ...


class UnitOfWork(Protocol):
    """**Protocol:** one transaction over the repositories: all of its changes or none.

    Used as a context manager; services open one per step::

        with uow:
            order = uow.orders.get(order_id)
            ...
            uow.orders.update(new_order, expected_version=order.version)
            uow.commit()

    Contract for implementations:

    - **Atomic.** ``commit()`` stores every change made through the unit's repositories
      since it was entered (or since the last commit), or none of them. A crash at any
      point before ``commit()`` returns leaves storage as it was before.
    - **Rollback by default.** Leaving the ``with`` block without ``commit()``, normally or
      by an exception, discards the changes, exactly as ``rollback()`` does. A failed
      ``commit()`` (a [`VersionConflictError`][ecomkit.errors.VersionConflictError], a
      storage error) also discards them.
    - **Isolated.** Uncommitted changes are invisible to every other unit.
    - **Reusable, one block at a time.** The same unit object may be entered again after
      its block ended (services do this). Entering it while it is already entered, using
      its repositories outside a ``with`` block, or using one unit from two threads at
      once raises [`UnitOfWorkError`][ecomkit.errors.UnitOfWorkError]. Each thread or
      process uses its own unit; units on the same storage may run concurrently.
    """

    @property
    def orders(self) -> OrderRepository:
        """The orders, as this unit sees them."""
        ...

    @property
    def returns(self) -> ReturnRepository:
        """The returns, as this unit sees them."""
        ...

    @property
    def products(self) -> ProductRepository:
        """The products, as this unit sees them."""
        ...

    def __enter__(self) -> Self:
        """Start the unit's transaction."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back what was not committed and end the block; never swallows exceptions."""
        ...

    def commit(self) -> None:
        """Store every change made since the block started or since the last commit.

        Raises:
            VersionConflictError: Another unit stored a newer version first; nothing of
                this unit is stored.
        """
        ...

    def rollback(self) -> None:
        """Discard every change made since the block started or since the last commit."""
        ...


class EventPublisher(Protocol):
    """**Protocol:** hands domain events to the rest of the host after they are stored.

    Services call ``publish`` once per committed unit of work, after ``commit()``, with the
    events that unit recorded in the order they happened. An event that is published has
    always been stored; an event that is stored may not be published when the process dies
    between the two, so hosts that need every event read the stored log (the SQLite
    adapter's [`SqliteUnitOfWork.events`][ecomkit.adapters.sqlite.SqliteUnitOfWork.events])
    and use publishing as the fast path.

    ``publish`` should not raise for delivery problems (queue and retry instead): the
    change is already committed, and an error reaches the caller of the service.
    """

    def publish(self, events: Sequence[DomainEvent]) -> None:
        """Hand *events* on, oldest first."""
        ...


class Notifier(Protocol):
    """**Protocol:** sends messages to customers (email, SMS, push), as the host likes.

    Services call ``notify`` after the change it reports is committed. A retried service
    may send a notification with the same ``key`` again; implementations send each key
    once. Like the publisher, a notifier should queue rather than raise.
    """

    def notify(self, notification: Notification) -> None:
        """Send *notification* (once per key)."""
        ...


# ---------------------------------------------------------------------- providers


class PaymentGateway(Protocol):
    """**Protocol:** a payment provider: authorize, capture, void and refund.

    Contract for implementations:

    - **Idempotent by key.** Every call carries an ``idempotency_key``. A call with a key
      the provider has seen returns the first call's
      [`PaymentTransaction`][ecomkit.ports.PaymentTransaction] and moves no money again.
      The same key with a different request (another amount, another payment) raises
      [`IdempotencyConflictError`][ecomkit.errors.IdempotencyConflictError]. Services
      derive keys from the command's key, so a service re-run after a crash reaches the
      provider with the same keys.
    - **Two kinds of failure.** The provider answered "no":
      [`PaymentDeclinedError`][ecomkit.errors.PaymentDeclinedError], not worth retrying.
      The provider could not be reached or timed out:
      [`GatewayUnavailableError`][ecomkit.errors.GatewayUnavailableError]; the call may or
      may not have taken effect, and retrying with the same key is safe.
    - ``reference`` is what ``authorize`` returned for the payment (``None`` when the
      authorization was recorded without the gateway); ``order_id`` and ``payment_id``
      identify it either way.
    - May be called from several threads at once.
    """

    def authorize(
        self, *, order_id: str, payment_id: str, amount: Money, tender: str, idempotency_key: str
    ) -> PaymentTransaction:
        """Reserve *amount* for a new payment of an order.

        Raises:
            PaymentDeclinedError: The provider refused.
            GatewayUnavailableError: The provider could not be reached; retry with the key.
            IdempotencyConflictError: The key was used for another request.
        """
        ...

    def capture(
        self,
        *,
        order_id: str,
        payment_id: str,
        reference: str | None,
        amount: Money,
        idempotency_key: str,
    ) -> PaymentTransaction:
        """Take *amount* of an authorized payment.

        Raises:
            PaymentDeclinedError: The provider refused (an expired authorization ...).
            GatewayUnavailableError: The provider could not be reached; retry with the key.
            IdempotencyConflictError: The key was used for another request.
        """
        ...

    def void(
        self,
        *,
        order_id: str,
        payment_id: str,
        reference: str | None,
        amount: Money,
        idempotency_key: str,
    ) -> PaymentTransaction:
        """Release *amount* of an authorization without taking it.

        Raises:
            PaymentDeclinedError: The provider refused.
            GatewayUnavailableError: The provider could not be reached; retry with the key.
            IdempotencyConflictError: The key was used for another request.
        """
        ...

    def refund(
        self,
        *,
        order_id: str,
        payment_id: str,
        reference: str | None,
        amount: Money,
        idempotency_key: str,
    ) -> PaymentTransaction:
        """Pay back *amount* of a captured payment.

        Raises:
            PaymentDeclinedError: The provider refused.
            GatewayUnavailableError: The provider could not be reached; retry with the key.
            IdempotencyConflictError: The key was used for another request.
        """
        ...


class Carrier(Protocol):
    """**Protocol:** a parcel carrier: book shipments and read their tracking.

    ``create_shipment`` is idempotent by key like the
    [payment gateway][ecomkit.ports.PaymentGateway]: the same key returns the first
    [`ShipmentLabel`][ecomkit.ports.ShipmentLabel] and books nothing new, and the same key
    with another request raises
    [`IdempotencyConflictError`][ecomkit.errors.IdempotencyConflictError]. A refusal is
    [`ShipmentRejectedError`][ecomkit.errors.ShipmentRejectedError]; an outage is
    [`CarrierUnavailableError`][ecomkit.errors.CarrierUnavailableError], safe to retry
    with the same key.
    """

    def create_shipment(
        self,
        *,
        order_id: str,
        shipment_id: str,
        lines: Sequence[LineQuantity],
        address: Address | None,
        idempotency_key: str,
    ) -> ShipmentLabel:
        """Book a parcel for the units of *lines* and return its label.

        Raises:
            ShipmentRejectedError: The carrier refused.
            CarrierUnavailableError: The carrier could not be reached; retry with the key.
            IdempotencyConflictError: The key was used for another request.
        """
        ...

    def track(self, tracking_number: str) -> Sequence[TrackingUpdate]:
        """Return the parcel's tracking updates, oldest first (empty when there are none).

        Raises:
            CarrierUnavailableError: The carrier could not be reached.
        """
        ...


class ExchangeRates(Protocol):
    """**Protocol:** exchange rates by date, for reports in one currency.

    ``rate(base, quote, on=day)`` is how many units of *quote* one unit of *base* was worth
    on *day*: the rate published for that day or, when none was (a weekend, a holiday),
    the latest one before it, as central-bank reference rates work. The same currency
    gives exactly 1. Rates are exact ``Decimal`` values.
    """

    def rate(self, base: Currency | str, quote: Currency | str, *, on: dt.date) -> Decimal:
        """Return the rate from *base* to *quote* in force on *on*.

        Raises:
            ExchangeRateNotFoundError: No rate is known on or before *on*.
            UnknownCurrencyError: A code is not an ISO 4217 currency.
        """
        ...
