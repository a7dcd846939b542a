"""The return (RMA) aggregate, its status and its lifecycle table."""

from __future__ import annotations

import enum
from collections.abc import Callable

import attrs

from ecomkit.errors import InvalidValueError
from ecomkit.lifecycle import Lifecycle, Transition
from ecomkit.money import Currency, Money
from ecomkit.orders import LineId, LineQuantity, OrderId, ReturnId
from ecomkit.returns._commands import (
    AwaitItems,
    CancelReturn,
    CloseReturn,
    DecideReturn,
    ExchangeItems,
    ReceiveItems,
    RefundReturn,
    ReturnCommand,
    ReviewReturn,
    WriteOffItems,
)
from ecomkit.returns._evaluate import ReturnDecision
from ecomkit.returns._events import ReturnEvent
from ecomkit.returns._refund import Refund
from ecomkit.returns._request import ReturnRequest
from ecomkit.returns._values import LineOutcome, RefundMethod


__all__ = ["RETURN_LIFECYCLE", "Rma", "RmaLine", "RmaStatus", "return_lifecycle_mermaid"]


class RmaStatus(enum.StrEnum):
    """Where a return (RMA) is."""

    REQUESTED = "requested"
    """Opened for the customer's request; not decided yet."""
    APPROVED = "approved"
    """Every requested unit is approved."""
    PARTIALLY_APPROVED = "partially_approved"
    """Some units are approved, the others declined."""
    NEEDS_REVIEW = "needs_review"
    """Some units wait for a person's decision."""
    DECLINED = "declined"
    """No unit is approved."""
    AWAITING_ITEMS = "awaiting_items"
    """The customer was told how to send the items back, or some have come back."""
    RECEIVED = "received"
    """Every approved unit came back or was written off."""
    REFUNDED = "refunded"
    """Paid back to the order's payments."""
    CREDITED = "credited"
    """Paid back as store credit."""
    EXCHANGED = "exchanged"
    """Exchanged, replaced or repaired."""
    CLOSED = "closed"
    """Finished."""
    CANCELLED = "cancelled"
    """Cancelled before anything came back."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class RmaLine:
    """The counters of one line of a return.

    ``approved + in_review + declined == requested`` and
    ``settled <= received + written_off <= approved``.

    Attributes:
        line_id: The order line.
        requested: Units requested.
        approved: Units approved (by the policy or a reviewer).
        in_review: Units waiting for review.
        declined: Units declined.
        received: Units that came back.
        resellable: Received units that can go back into stock.
        written_off: Approved units that will not come back.
        settled: Units refunded, credited or exchanged.
        diminished_value: Deductions for diminished value found on receipt.
    """

    line_id: LineId
    requested: int
    approved: int = 0
    in_review: int = 0
    declined: int = 0
    received: int = 0
    resellable: int = 0
    written_off: int = 0
    settled: int = 0
    diminished_value: Money | None = None

    @property
    def awaiting(self) -> int:
        """Approved units that have neither come back nor been written off."""
        return self.approved - self.received - self.written_off

    @property
    def unsettled(self) -> int:
        """Units back (or written off) and not refunded, credited or exchanged yet."""
        return self.received + self.written_off - self.settled

    @property
    def reserved(self) -> int:
        """Units held on the order for this return and not back yet (approved or in review)."""
        return self.awaiting + self.in_review


@attrs.frozen(kw_only=True, weakref_slot=False)
class Rma:
    """A return (RMA): the request, the decision, the counters per line and the log.

    Change it only with [`apply_return`][ecomkit.returns.apply_return]; rebuild it from
    its log with [`replay_return`][ecomkit.returns.replay_return].

    Attributes:
        return_id: The return's id.
        order_id: The order it belongs to.
        currency: The order's currency.
        version: Bumped by one per accepted command.
        status: Where it is.
        request: The customer's request.
        lines: Counters per requested line.
        decision: The policy's decision, once made.
        refunds: Refunds paid for it, in order.
        carrier: The carrier of the return parcel, if known.
        tracking_number: Its tracking number, if known.
        replacement_order_id: The order that sends a replacement, if any.
        events: The log, oldest first.
    """

    return_id: ReturnId
    order_id: OrderId
    currency: Currency
    version: int
    status: RmaStatus
    request: ReturnRequest
    lines: tuple[RmaLine, ...]
    decision: ReturnDecision | None = None
    refunds: tuple[Refund, ...] = ()
    carrier: str | None = None
    tracking_number: str | None = None
    replacement_order_id: OrderId | None = None
    events: tuple[ReturnEvent, ...] = ()

    def line(self, line_id: str) -> RmaLine:
        """Return the counters of *line_id*.

        Raises:
            InvalidValueError: The return has no such line.
        """
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise InvalidValueError(
            field="line_id", value=line_id, reason=f"return {self.return_id!r} has no such line"
        )

    @property
    def refunded(self) -> Money:
        """Everything paid back for this return, to payments and as store credit."""
        total = Money.zero(self.currency)
        for refund in self.refunds:
            total += refund.total
        return total

    def units(self, counter: str) -> tuple[LineQuantity, ...]:
        """Return one counter (``"approved"``, ``"awaiting"``, ``"unsettled"`` ...) per line."""
        return tuple(
            LineQuantity(line_id=line.line_id, quantity=getattr(line, counter))
            for line in self.lines
            if getattr(line, counter)
        )


# ---------------------------------------------------------------------- lifecycle


def _outcome(wanted: LineOutcome) -> Callable[[Rma, ReturnCommand], str | None]:
    def guard(_rma: Rma, command: ReturnCommand) -> str | None:
        if isinstance(command, DecideReturn) and command.decision.outcome is wanted:
            return None
        return f"the decision is not {wanted.value}"

    guard.__doc__ = f"Guard: the decision's outcome is {wanted.value}."
    return guard


def _review_result(rma: Rma, command: ReturnCommand) -> LineOutcome:
    items = command.approve if isinstance(command, ReviewReturn) else ()
    approve = {item.line_id: item.quantity for item in items}
    approved = sum(line.approved + approve.get(line.line_id, 0) for line in rma.lines)
    requested = sum(line.requested for line in rma.lines)
    if approved == requested:
        return LineOutcome.APPROVED
    return LineOutcome.DECLINED if approved == 0 else LineOutcome.PARTIALLY_APPROVED


def review_approves_all(rma: Rma, command: ReturnCommand) -> str | None:
    """Guard: after the review every requested unit is approved."""
    return None if _review_result(rma, command) is LineOutcome.APPROVED else "not all approved"


def review_approves_none(rma: Rma, command: ReturnCommand) -> str | None:
    """Guard: after the review no unit is approved."""
    return None if _review_result(rma, command) is LineOutcome.DECLINED else "some approved"


def brings_all_back(rma: Rma, command: ReturnCommand) -> str | None:
    """Guard: after this receipt or write-off no approved unit is still awaited."""
    coming: dict[str, int] = {}
    if isinstance(command, ReceiveItems):
        coming = {item.line_id: item.quantity for item in command.items}
    elif isinstance(command, WriteOffItems):
        coming = {item.line_id: item.quantity for item in command.lines}
    left = sum(line.awaiting - coming.get(line.line_id, 0) for line in rma.lines)
    return None if left <= 0 else f"{left} approved unit(s) still awaited"


def to_store_credit(rma: Rma, command: ReturnCommand) -> str | None:
    """Guard: the refund goes to store credit."""
    method = command.method if isinstance(command, RefundReturn) else None
    if method is None and rma.decision is not None:
        method = rma.decision.refund_method
    return None if method is RefundMethod.STORE_CREDIT else "not to store credit"


def nothing_back(rma: Rma, _command: ReturnCommand) -> str | None:
    """Guard: nothing has come back or been written off yet."""
    back = sum(line.received + line.written_off for line in rma.lines)
    return None if back == 0 else f"{back} unit(s) already came back or were written off"


S = RmaStatus
_DECIDED = (S.APPROVED, S.PARTIALLY_APPROVED)
_RECEIVING = (S.APPROVED, S.PARTIALLY_APPROVED, S.AWAITING_ITEMS)
_SETTLED = (S.REFUNDED, S.CREDITED, S.EXCHANGED, S.DECLINED)
_CANCELLABLE = (S.REQUESTED, S.APPROVED, S.PARTIALLY_APPROVED, S.NEEDS_REVIEW, S.AWAITING_ITEMS)

RmaTransition = Transition[RmaStatus, Rma, ReturnCommand]

RETURN_LIFECYCLE: Lifecycle[RmaStatus, Rma, ReturnCommand] = Lifecycle(
    name="return",
    states=RmaStatus,
    initial=S.REQUESTED,
    terminal=[S.CLOSED, S.CANCELLED],
    transitions=[
        RmaTransition(
            source=S.REQUESTED,
            command=DecideReturn,
            target=S.APPROVED,
            guard=_outcome(LineOutcome.APPROVED),
            description="every unit approved",
        ),
        RmaTransition(
            source=S.REQUESTED,
            command=DecideReturn,
            target=S.PARTIALLY_APPROVED,
            guard=_outcome(LineOutcome.PARTIALLY_APPROVED),
            description="some units approved, the others declined",
        ),
        RmaTransition(
            source=S.REQUESTED,
            command=DecideReturn,
            target=S.NEEDS_REVIEW,
            guard=_outcome(LineOutcome.NEEDS_REVIEW),
            description="some units wait for a person",
        ),
        RmaTransition(
            source=S.REQUESTED,
            command=DecideReturn,
            target=S.DECLINED,
            description="no unit approved",
        ),
        RmaTransition(
            source=S.NEEDS_REVIEW,
            command=ReviewReturn,
            target=S.APPROVED,
            guard=review_approves_all,
            description="the reviewer approves every unit",
        ),
        RmaTransition(
            source=S.NEEDS_REVIEW,
            command=ReviewReturn,
            target=S.DECLINED,
            guard=review_approves_none,
            description="the reviewer approves none",
        ),
        RmaTransition(
            source=S.NEEDS_REVIEW,
            command=ReviewReturn,
            target=S.PARTIALLY_APPROVED,
            description="the reviewer approves some units",
        ),
        *(
            RmaTransition(source=state, command=AwaitItems, target=S.AWAITING_ITEMS)
            for state in _DECIDED
        ),
        *(
            row
            for state in _RECEIVING
            for command in (ReceiveItems, WriteOffItems)
            for row in (
                RmaTransition(
                    source=state,
                    command=command,
                    target=S.RECEIVED,
                    guard=brings_all_back,
                    description="the last awaited units",
                ),
                RmaTransition(source=state, command=command, target=S.AWAITING_ITEMS),
            )
        ),
        RmaTransition(
            source=S.RECEIVED,
            command=RefundReturn,
            target=S.CREDITED,
            guard=to_store_credit,
            description="to store credit",
        ),
        RmaTransition(source=S.RECEIVED, command=RefundReturn, target=S.REFUNDED),
        RmaTransition(source=S.RECEIVED, command=ExchangeItems, target=S.EXCHANGED),
        *(RmaTransition(source=state, command=CloseReturn, target=S.CLOSED) for state in _SETTLED),
        *(
            RmaTransition(
                source=state,
                command=CancelReturn,
                target=S.CANCELLED,
                guard=nothing_back,
                description="nothing came back yet",
            )
            for state in _CANCELLABLE
        ),
    ],
)
"""The return lifecycle: which command moves a return from which status, and when.

Checked when this module is imported (see `ecomkit.lifecycle`)."""


def return_lifecycle_mermaid() -> str:
    """Return the return lifecycle as a Mermaid state diagram, for the docs.

    Examples:
        >>> print(return_lifecycle_mermaid().splitlines()[0])
        stateDiagram-v2
    """
    return RETURN_LIFECYCLE.to_mermaid()
