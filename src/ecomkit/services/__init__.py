"""Services: the domain run through the ports, one business step per call.

Each service is a plain function: the step's input first, then keyword-only ports (a
[`UnitOfWork`][ecomkit.ports.UnitOfWork], a [`Clock`][ecomkit.time.Clock], a
[`PaymentGateway`][ecomkit.ports.PaymentGateway] or [`Carrier`][ecomkit.ports.Carrier],
and optionally an [`EventPublisher`][ecomkit.ports.EventPublisher] and a
[`Notifier`][ecomkit.ports.Notifier]). Nothing is built at import and nothing is global.

**The rhythm.** A service opens the unit of work, loads the aggregate, decides with the
pure domain ([`apply`][ecomkit.orders.apply],
[`apply_return`][ecomkit.returns.apply_return],
[`open_return`][ecomkit.returns.open_return]), calls the provider when the step needs
one, stores the new state against the version it loaded and commits. After the commit it
publishes the events the unit stored and sends the notification. The time of a change is
the clock's "now", or the aggregate's last event when that is later (clocks of two
machines never quite agree).

**Idempotent in the key.** Every service takes a ``key``; the domain commands it records
derive their keys from it. Calling a service again with the same key, after a crash, a
timeout or a lost answer, reaches the same end state: a step already recorded is not
repeated, the provider is not called again for it, and nothing is published or sent
twice.

**Money moves once.** The gateway is called *before* the change is committed, with an
idempotency key unique across orders (``"<order_id>/<command key>"``). If the commit then
fails, calling the service again reaches the gateway with the same key, gets the recorded
transaction back and commits it. A decline
([`PaymentDeclinedError`][ecomkit.errors.PaymentDeclinedError]) stores nothing; an outage
([`GatewayUnavailableError`][ecomkit.errors.GatewayUnavailableError]) stores nothing and
is safe to retry with the same key. Steps over several payments (cancelling, refunding a
return over two tenders) store each gateway success in its own unit as soon as it
happens, so storage never lags far behind the provider, and a re-run skips what was
stored.

**Concurrency.** Two callers changing one aggregate race on its version; the loser's
commit raises [`VersionConflictError`][ecomkit.errors.VersionConflictError] and stores
nothing. Because services are idempotent, running the whole service again is always
safe: wrap it in [`retry_on_conflict`][ecomkit.services.retry_on_conflict].

Examples:
    >>> import pendulum
    >>> from ecomkit import Money
    >>> from ecomkit.adapters.memory import InMemoryUnitOfWork
    >>> from ecomkit.orders import LineSpec, OrderSpec
    >>> from ecomkit.testing import FakePaymentGateway, FixedClock
    >>> uow, gateway = InMemoryUnitOfWork(), FakePaymentGateway()
    >>> clock = FixedClock(pendulum.datetime(2026, 3, 1, 9, tz="Europe/Warsaw"))
    >>> spec = OrderSpec(order_id="o-7", channel="web", currency="PLN",
    ...     timezone="Europe/Warsaw",
    ...     lines=[LineSpec(line_id="l1", sku="TEA", quantity=3, unit_price=Money("20", "PLN"))])
    >>> _ = place_order(spec, key="checkout-7", uow=uow, clock=clock)
    >>> pay = dict(uow=uow, gateway=gateway, clock=clock)
    >>> _ = authorize_payment("o-7", payment_id="p1", key="auth-1", **pay)
    >>> order = retry_on_conflict(
    ...     lambda: capture_payment("o-7", payment_id="p1", key="capture-1", **pay))
    >>> order.payment_status.value, str(order.captured)
    ('paid', '60.00 PLN')
"""

from ecomkit.services._orders import (
    authorize_payment,
    cancel_order,
    capture_payment,
    confirm_delivery,
    place_order,
    ship_order,
    track_shipment,
)
from ecomkit.services._retry import retry_on_conflict
from ecomkit.services._returns import receive_return, refund_return, request_return


__all__ = [
    "authorize_payment",
    "cancel_order",
    "capture_payment",
    "confirm_delivery",
    "place_order",
    "receive_return",
    "refund_return",
    "request_return",
    "retry_on_conflict",
    "ship_order",
    "track_shipment",
]
