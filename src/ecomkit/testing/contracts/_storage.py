"""What the storage contract suites share: their base class, sample aggregates and helpers."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Final, Protocol, TypeAlias, runtime_checkable

import pendulum
import pytest
from hypothesis import HealthCheck, settings

from ecomkit.adapters._log import StoredEvent
from ecomkit.catalog import (
    AttributeDef,
    CatalogSchema,
    Channel,
    Product,
    ProductEdit,
    ProductType,
    SetValue,
    create_product,
    edit_product,
)
from ecomkit.errors import OrderNotFoundError, VersionConflictError
from ecomkit.money import Money
from ecomkit.orders import (
    AuthorizePayment,
    CapturePayment,
    ChannelId,
    ConfirmDelivery,
    FulfilLines,
    HoldOrder,
    IdempotencyKey,
    LineId,
    LineSpec,
    Order,
    OrderId,
    OrderSpec,
    OrderStatus,
    PaymentId,
    PlaceOrder,
    ReleaseOrder,
    ReturnId,
    ShipmentId,
    ShipShipment,
    Sku,
    apply,
)
from ecomkit.ports import UnitOfWork
from ecomkit.returns import (
    AwaitItems,
    ReturnLine,
    ReturnRequest,
    Rma,
    apply_return,
    eu_policy,
    open_return,
)


MakeUnit: TypeAlias = Callable[[], UnitOfWork]
"""What ``make_uow`` returns: each call makes a new unit of work on the test's storage."""

_AT: Final = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Berlin")
_SCHEMA: Final = CatalogSchema(
    [AttributeDef("title", "text", localizable=True)],
    [ProductType("book", ["title"], description_attribute=None)],
    [Channel("web", ["en"], ["EUR"])],
)
#: Property tests run few examples: they check storage, not the domain.
_PROPERTY_SETTINGS: Final = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one storage serves every example of a test
        HealthCheck.differing_executors,  # each host subclass runs the inherited test
        HealthCheck.too_slow,
    ],
)
#: Threads and writes per thread in the concurrency tests.
_THREADS: Final = 4
_WRITES: Final = 5
#: How long a thread may wait for the others before the test fails instead of hanging.
_WAIT: Final = 20.0


# ---------------------------------------------------------------------- sample aggregates


def _fresh(prefix: str) -> str:
    """Return an id no other example uses: property tests share one storage per test."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _order(order_id: str = "order-1") -> Order:
    """Return a just-placed order (version 1)."""
    spec = OrderSpec(
        order_id=OrderId(order_id),
        channel=ChannelId("web"),
        currency="EUR",
        timezone="Europe/Berlin",
        lines=[
            LineSpec(
                line_id=LineId("l1"), sku=Sku("TEA"), quantity=2, unit_price=Money("9.50", "EUR")
            )
        ],
    )
    order, _ = apply(None, PlaceOrder(key=IdempotencyKey("place"), spec=spec), at=_AT)
    return order


def _next(order: Order, tag: str = "a") -> Order:
    """Return *order* one version on: put on hold, or released; *tag* makes rivals differ."""
    key = IdempotencyKey(f"{tag}-{order.version + 1}")
    command = (
        ReleaseOrder(key=key)
        if order.status is OrderStatus.ON_HOLD
        else HoldOrder(key=key, reason=f"review {tag}")
    )
    new, _ = apply(order, command, at=_AT.add(minutes=order.version))
    return new


def _delivered(order_id: str) -> Order:
    """Return an order paid and delivered in full, ready for a return."""
    order = _order(order_id)
    for command in (
        AuthorizePayment(
            key=IdempotencyKey("pay"), payment_id=PaymentId("p1"), amount=Money("19.00", "EUR")
        ),
        CapturePayment(key=IdempotencyKey("capture"), payment_id=PaymentId("p1")),
        FulfilLines(key=IdempotencyKey("pack"), shipment_id=ShipmentId("s1"), lines={"l1": 2}),
        ShipShipment(key=IdempotencyKey("ship"), shipment_id=ShipmentId("s1")),
        ConfirmDelivery(key=IdempotencyKey("deliver"), shipment_id=ShipmentId("s1")),
    ):
        order, _ = apply(order, command, at=_AT)
    return order


def _returns(
    return_id: str = "rma-1", *, order_id: str = "order-r", tag: str = "a"
) -> tuple[Rma, Rma]:
    """Return a return as opened and decided (version 2) and as awaiting items (version 3)."""
    order = _delivered(order_id)
    at = _AT.add(days=2)
    request = ReturnRequest(
        return_id=ReturnId(return_id),
        kind="withdrawal",
        requested_at=at,
        lines=[ReturnLine(line_id=LineId("l1"), quantity=1)],
    )
    opened, order, _ = open_return(eu_policy(country="DE"), request, order=order, at=at, key="rk")
    waiting, _, _ = apply_return(
        opened,
        AwaitItems(key=IdempotencyKey(f"await-{tag}"), tracking_number=f"T-{tag}"),
        order=order,
        at=at,
    )
    return opened, waiting


def _product(sku: str = "BOOK-1") -> ProductEdit:
    """Return a new product (version 1) and its creation event."""
    return create_product(_SCHEMA, sku=sku, product_type="book", at=_AT)


def _edit(product: Product, title: str) -> ProductEdit:
    """Return *product* with a new title (one version on) and the edit's event."""
    return edit_product(_SCHEMA, product, [SetValue("title", title, locale="en")], at=_AT)


def _stored_order(make_uow: MakeUnit, order: Order) -> None:
    with make_uow() as uow:
        uow.orders.add(order)
        uow.commit()


def _read_order(make_uow: MakeUnit, order_id: str) -> Order:
    with make_uow() as uow:
        return uow.orders.get(order_id)


def _has_order(make_uow: MakeUnit, order_id: str) -> bool:
    with make_uow() as uow:
        try:
            uow.orders.get(order_id)
        except OrderNotFoundError:
            return False
        return True


def _conflict(write: Callable[[], None], uow: UnitOfWork) -> VersionConflictError:
    """Run *write* and commit; the conflict may be found in the call or at commit."""
    with pytest.raises(VersionConflictError) as caught:
        _write_and_commit(write, uow)
    return caught.value


def _write_and_commit(write: Callable[[], None], uow: UnitOfWork) -> None:
    write()
    uow.commit()  # pragma: no cover - reached by adapters that check versions at commit


class _BoomError(Exception):
    """An error a host's code raises inside a unit of work."""


@runtime_checkable
class _EventLog(Protocol):
    def events(self, *, after: int = 0, limit: int | None = None) -> tuple[StoredEvent, ...]: ...


def _log(
    make_uow: MakeUnit, *, after: int = 0, limit: int | None = None
) -> tuple[StoredEvent, ...]:
    uow = make_uow()
    if not isinstance(uow, _EventLog):  # pragma: no cover - a host adapter without a log
        pytest.fail(
            f"{type(uow).__name__} has no events(after=, limit=) method; a unit of work "
            "without an event log should not run EventLogContract"
        )
    return uow.events(after=after, limit=limit)


# ---------------------------------------------------------------------- the base suite


class _StorageContract:
    """Holds the fixture every storage suite needs; hosts override it."""

    @pytest.fixture
    def make_uow(self) -> MakeUnit:  # pragma: no cover - always overridden
        """Return a factory of units of work on one fresh, empty storage.

        Override it in your subclass: every test gets a new storage, and every call of
        the factory a new unit on it.
        """
        msg = (
            "override the make_uow fixture in your subclass: return a callable that makes "
            "a new unit of work on storage that is fresh and empty for each test, e.g.\n"
            "    @pytest.fixture\n"
            "    def make_uow(self, tmp_path):\n"
            "        db = MyDatabase(tmp_path)\n"
            "        return lambda: MyUnitOfWork(db)"
        )
        raise NotImplementedError(msg)
