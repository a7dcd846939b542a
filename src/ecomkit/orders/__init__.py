"""Orders: an aggregate of ledgers with an explicit, checked lifecycle.

An [`Order`][ecomkit.orders.Order] is what was bought ([`OrderSpec`][ecomkit.orders.OrderSpec],
priced exactly in [`Money`][ecomkit.Money]) plus ledgers of what happened to it: quantity
counters per line, one payment ledger per tender, shipments, invoices. Payment, fulfilment
and return statuses are derived from the ledgers. The order's own status
([`OrderStatus`][ecomkit.orders.OrderStatus]) changes only through the transition table
[`ORDER_LIFECYCLE`][ecomkit.orders.ORDER_LIFECYCLE], whose guards read the ledgers.

Everything goes through one pure function, [`apply`][ecomkit.orders.apply]: it takes an
order, a command (one class per command, each with an idempotency key) and the time, and
returns the new order and the event it recorded. [`replay`][ecomkit.orders.replay] rebuilds
an order from its events.

Examples:
    >>> import pendulum
    >>> from ecomkit import Money
    >>> from ecomkit.orders import (
    ...     AuthorizePayment, CapturePayment, FulfilLines, LineSpec, OrderSpec, PlaceOrder,
    ...     ShipShipment, apply, replay)
    >>> spec = OrderSpec(order_id="o-1", channel="web", currency="PLN",
    ...     timezone="Europe/Warsaw",
    ...     lines=[LineSpec(line_id="l1", sku="TEA", quantity=3, unit_price=Money("20", "PLN"))])
    >>> at = pendulum.datetime(2026, 11, 2, 12, tz="Europe/Warsaw")
    >>> order, _ = apply(None, PlaceOrder(key="k1", spec=spec), at=at)
    >>> order, _ = apply(order, AuthorizePayment(key="k2", payment_id="p1",
    ...                                          amount=Money("60", "PLN")), at=at)
    >>> order, _ = apply(order, CapturePayment(key="k3", payment_id="p1"), at=at)
    >>> order, _ = apply(order, FulfilLines(key="k4", shipment_id="s1", lines={"l1": 2}), at=at)
    >>> order, events = apply(order, ShipShipment(key="k5", shipment_id="s1"), at=at)
    >>> order.status.value, order.payment_status.value, order.fulfilment_status.value
    ('processing', 'paid', 'partially_shipped')
    >>> replay(order.events) == order
    True
"""

from ecomkit.orders._apply import apply, replay
from ecomkit.orders._commands import (
    AuthorizePayment,
    CancelLines,
    CancelOrder,
    CancelReturnRequest,
    CapturePayment,
    CloseOrder,
    CompleteOrder,
    ConfirmDelivery,
    ConfirmOrder,
    CreateDraft,
    CreditLines,
    FulfilLines,
    HoldOrder,
    IssueInvoice,
    OrderCommand,
    PlaceOrder,
    ReceiveReturn,
    RefundPayment,
    ReleaseOrder,
    RequestReturn,
    ShipShipment,
    UpdateDraft,
    VoidPayment,
    WriteOffLines,
)
from ecomkit.orders._events import (
    DraftCreated,
    DraftUpdated,
    InvoiceIssued,
    LinesCancelled,
    LinesCredited,
    LinesWrittenOff,
    OrderCancelled,
    OrderClosed,
    OrderCompleted,
    OrderConfirmed,
    OrderEvent,
    OrderHeld,
    OrderPlaced,
    OrderReleased,
    PaymentAuthorized,
    PaymentCaptured,
    PaymentRefunded,
    PaymentVoided,
    ReturnReceived,
    ReturnRequestCancelled,
    ReturnRequested,
    ShipmentCreated,
    ShipmentDelivered,
    ShipmentShipped,
)
from ecomkit.orders._ledger import (
    Invoice,
    OrderLine,
    Payment,
    Shipment,
    ShipmentStatus,
    ShippingLine,
)
from ecomkit.orders._lifecycle import ORDER_LIFECYCLE, OrderTransition, lifecycle_mermaid
from ecomkit.orders._marketplace import MarketplaceStatus, marketplace_status
from ecomkit.orders._order import Milestones, Order
from ecomkit.orders._spec import Address, DiscountSpec, LineSpec, OrderSpec, ShippingSpec
from ecomkit.orders._status import (
    FulfilmentStatus,
    OrderStatus,
    PaymentStatus,
    ReturnStatus,
    fulfilment_status,
    payment_status,
    return_status,
)
from ecomkit.orders._values import (
    CancellationReason,
    ChannelId,
    CustomerId,
    IdempotencyKey,
    InvoiceNumber,
    LineId,
    LineQuantity,
    OrderId,
    PaymentId,
    ReturnId,
    ShipmentId,
    ShippingLineId,
    Sku,
)


__all__ = [
    "ORDER_LIFECYCLE",
    "Address",
    "AuthorizePayment",
    "CancelLines",
    "CancelOrder",
    "CancelReturnRequest",
    "CancellationReason",
    "CapturePayment",
    "ChannelId",
    "CloseOrder",
    "CompleteOrder",
    "ConfirmDelivery",
    "ConfirmOrder",
    "CreateDraft",
    "CreditLines",
    "CustomerId",
    "DiscountSpec",
    "DraftCreated",
    "DraftUpdated",
    "FulfilLines",
    "FulfilmentStatus",
    "HoldOrder",
    "IdempotencyKey",
    "Invoice",
    "InvoiceIssued",
    "InvoiceNumber",
    "IssueInvoice",
    "LineId",
    "LineQuantity",
    "LineSpec",
    "LinesCancelled",
    "LinesCredited",
    "LinesWrittenOff",
    "MarketplaceStatus",
    "Milestones",
    "Order",
    "OrderCancelled",
    "OrderClosed",
    "OrderCommand",
    "OrderCompleted",
    "OrderConfirmed",
    "OrderEvent",
    "OrderHeld",
    "OrderId",
    "OrderLine",
    "OrderPlaced",
    "OrderReleased",
    "OrderSpec",
    "OrderStatus",
    "OrderTransition",
    "Payment",
    "PaymentAuthorized",
    "PaymentCaptured",
    "PaymentId",
    "PaymentRefunded",
    "PaymentStatus",
    "PaymentVoided",
    "PlaceOrder",
    "ReceiveReturn",
    "RefundPayment",
    "ReleaseOrder",
    "RequestReturn",
    "ReturnId",
    "ReturnReceived",
    "ReturnRequestCancelled",
    "ReturnRequested",
    "ReturnStatus",
    "ShipShipment",
    "Shipment",
    "ShipmentCreated",
    "ShipmentDelivered",
    "ShipmentId",
    "ShipmentShipped",
    "ShipmentStatus",
    "ShippingLine",
    "ShippingLineId",
    "ShippingSpec",
    "Sku",
    "UpdateDraft",
    "VoidPayment",
    "WriteOffLines",
    "apply",
    "fulfilment_status",
    "lifecycle_mermaid",
    "marketplace_status",
    "payment_status",
    "replay",
    "return_status",
]
