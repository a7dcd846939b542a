"""Events: the facts an accepted return command adds to the return's log."""

from __future__ import annotations

import datetime as dt

import attrs

from ecomkit.money import Currency
from ecomkit.orders import IdempotencyKey, LineQuantity, OrderId, ReturnId
from ecomkit.returns._commands import ReceivedItem
from ecomkit.returns._evaluate import ReturnDecision
from ecomkit.returns._refund import Refund
from ecomkit.returns._request import ReturnRequest


__all__ = [
    "ItemsReceived",
    "ItemsWrittenOff",
    "ReturnCancelled",
    "ReturnClosed",
    "ReturnDecided",
    "ReturnEvent",
    "ReturnExchanged",
    "ReturnLabelIssued",
    "ReturnOpened",
    "ReturnRefunded",
    "ReturnReviewed",
]


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnEvent:
    """Base of every return event.

    Attributes:
        return_id: The return.
        order_id: Its order.
        version: The return's version after this event (the first event is version 1).
        at: When the command was accepted.
        key: The idempotency key of the command that produced it.
        status: The return's status after the event (a ``RmaStatus`` value).
    """

    return_id: ReturnId
    order_id: OrderId
    version: int
    at: dt.datetime
    key: IdempotencyKey
    status: str


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnOpened(ReturnEvent):
    """A return was opened for a request.

    Attributes:
        request: The request.
        currency: The order's currency.
    """

    request: ReturnRequest
    currency: Currency


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnDecided(ReturnEvent):
    """The policy decided the request; approved and reviewed units were reserved.

    Attributes:
        decision: The decision.
    """

    decision: ReturnDecision


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnReviewed(ReturnEvent):
    """A person decided the units in review.

    Attributes:
        approved: Units approved per line.
        declined: Units declined per line (released on the order).
        note: The reviewer's note.
    """

    approved: tuple[LineQuantity, ...]
    declined: tuple[LineQuantity, ...]
    note: str = ""


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnLabelIssued(ReturnEvent):
    """The customer was told how to send the items back.

    Attributes:
        carrier: The carrier, if known.
        tracking_number: The tracking number, if known.
    """

    carrier: str | None = None
    tracking_number: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class ItemsReceived(ReturnEvent):
    """Units came back.

    Attributes:
        items: What came back, per line, with its condition.
    """

    items: tuple[ReceivedItem, ...]


@attrs.frozen(kw_only=True, weakref_slot=False)
class ItemsWrittenOff(ReturnEvent):
    """Approved units will not come back.

    Attributes:
        lines: Units per line.
        reason: Why.
    """

    lines: tuple[LineQuantity, ...]
    reason: str = ""


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnRefunded(ReturnEvent):
    """Units were paid back, to the order's payments or as store credit.

    Attributes:
        refund: The refund with its breakdown and its split over payments.
    """

    refund: Refund


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnExchanged(ReturnEvent):
    """The returned units were exchanged, replaced or repaired.

    Attributes:
        lines: Units per line.
        replacement_order_id: The order sending the replacement, if any.
        note: Free text.
    """

    lines: tuple[LineQuantity, ...]
    replacement_order_id: OrderId | None = None
    note: str = ""


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnClosed(ReturnEvent):
    """The return was closed."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnCancelled(ReturnEvent):
    """The return was cancelled; its reserved units were released.

    Attributes:
        released: Units released per line.
        reason: Why.
    """

    released: tuple[LineQuantity, ...]
    reason: str = ""
