"""``FakeCarrier``: an in-memory parcel carrier with scripted tracking and faults."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, Literal

import attrs

from ecomkit.errors import (
    CarrierUnavailableError,
    IdempotencyConflictError,
    InvalidTypeError,
    InvalidValueError,
    ShipmentRejectedError,
)
from ecomkit.orders import Address, LineQuantity
from ecomkit.orders._values import check_text
from ecomkit.ports import ShipmentLabel, TrackingStatus, TrackingUpdate
from ecomkit.testing._fakes import CallOutcome, FaultScript, check_times
from ecomkit.time import Clock


__all__ = ["BookedShipment", "CarrierCall", "FakeCarrier"]

CarrierOperation = Literal["create_shipment", "track"]
_OPERATIONS: Final[tuple[CarrierOperation, ...]] = ("create_shipment", "track")
_CREATE: Final = "create_shipment"
_TRACK: Final = "track"
_REJECT, _DOWN, _LOST = "refuse", "down", "lost"


@attrs.frozen(kw_only=True, weakref_slot=False)
class CarrierCall:
    """One call a [`FakeCarrier`][ecomkit.testing.FakeCarrier] received.

    Attributes:
        operation: ``"create_shipment"`` or ``"track"``.
        outcome: How the carrier answered.
        order_id: The order (``create_shipment`` only).
        shipment_id: The shipment (``create_shipment`` only).
        idempotency_key: The key the call came with (``create_shipment`` only).
        tracking_number: The parcel tracked (``track``), or the one booked when the call
            got a label (``create_shipment``).
    """

    operation: CarrierOperation
    outcome: CallOutcome
    order_id: str | None = None
    shipment_id: str | None = None
    idempotency_key: str | None = None
    tracking_number: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class BookedShipment:
    """A parcel a [`FakeCarrier`][ecomkit.testing.FakeCarrier] booked.

    Attributes:
        order_id: The order.
        shipment_id: The shipment.
        lines: The units in the parcel, as asked.
        address: Where it goes, if the caller said.
        idempotency_key: The key it was booked with.
        label: The label the carrier answered with.
    """

    order_id: str
    shipment_id: str
    lines: tuple[LineQuantity, ...]
    address: Address | None
    idempotency_key: str
    label: ShipmentLabel


@attrs.frozen(weakref_slot=False)
class _Request:
    """What identifies a booking for idempotency."""

    order_id: str
    shipment_id: str
    lines: tuple[LineQuantity, ...]
    address: Address | None

    def describe(self) -> str:
        return f"create_shipment of {self.shipment_id!r} for order {self.order_id!r}"


@attrs.frozen(weakref_slot=False)
class _Answer:
    """The first answer given for a key: a label, or a rejection's reason."""

    request: _Request
    label: ShipmentLabel | None
    reason: str = ""


def _lines(value: object) -> tuple[LineQuantity, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        raise InvalidTypeError(field="lines", value=value, expected="a sequence of LineQuantity")
    if not value:
        raise InvalidValueError(field="lines", value=value, reason="must not be empty")
    for line in value:
        if not isinstance(line, LineQuantity):
            raise InvalidTypeError(field="lines", value=line, expected="LineQuantity")
    return tuple(sorted(value, key=lambda line: (line.line_id, line.quantity)))


def _operations(value: object) -> tuple[CarrierOperation, ...]:
    if value is None:
        return _OPERATIONS
    for operation in _OPERATIONS:
        if value == operation:
            return (operation,)
    raise InvalidValueError(
        field="operation", value=value, reason="must be 'create_shipment', 'track' or None"
    )


class FakeCarrier:
    """A [`Carrier`][ecomkit.ports.Carrier] in memory, with tracking scripted by the test.

    ``create_shipment`` books a parcel and answers a label with tracking numbers
    ``"TRACK0001"``, ``"TRACK0002"`` ... in booking order. Like a real carrier it keeps
    every answer under its key, rejections included: the same key with the same request
    (order, shipment, lines in any order, address) gets the first answer again and books
    nothing; the same key with another request raises
    [`IdempotencyConflictError`][ecomkit.errors.IdempotencyConflictError]. A new key
    always books a new parcel, even for a shipment booked before (a real carrier does not
    know the shop's shipment ids).

    ``track`` answers the updates scripted with
    [`add_update`][ecomkit.testing.FakeCarrier.add_update] (or the shortcuts
    [`in_transit`][ecomkit.testing.FakeCarrier.in_transit] and
    [`deliver`][ecomkit.testing.FakeCarrier.deliver]), oldest first, and ``()`` for a
    tracking number it has no updates for, as the port documents. Given a *clock*, each
    booking also adds a ``LABEL_CREATED`` update at the clock's time.

    **Scripted faults:** [`reject`][ecomkit.testing.FakeCarrier.reject] (new bookings raise
    [`ShipmentRejectedError`][ecomkit.errors.ShipmentRejectedError]),
    [`go_down`][ecomkit.testing.FakeCarrier.go_down] (calls raise
    [`CarrierUnavailableError`][ecomkit.errors.CarrierUnavailableError] before doing
    anything) and [`lose_answers`][ecomkit.testing.FakeCarrier.lose_answers] (a booking is
    made, then ``CarrierUnavailableError`` is raised; the same key returns the label). Each
    takes ``times``: the next *n* calls, or ``None`` for every call until
    [`clear_faults`][ecomkit.testing.FakeCarrier.clear_faults].

    **For assertions:** [`calls`][ecomkit.testing.FakeCarrier.calls] (every call, repeats
    and failures included; calls with invalid arguments raise before being recorded),
    [`shipments`][ecomkit.testing.FakeCarrier.shipments] and
    [`labels`][ecomkit.testing.FakeCarrier.labels]. Every method is thread-safe.

    Args:
        carrier: The carrier name the labels carry.
        promised_delivery_on: The delivery date every label promises, if any.
        clock: Where the time of the automatic ``LABEL_CREATED`` update comes from; without
            one, a booking adds no update.

    Raises:
        InvalidValueError: *carrier* is blank.
        InvalidTypeError: *promised_delivery_on* is not a date (a ``datetime`` neither).

    Examples:
        >>> import pendulum
        >>> from ecomkit.orders import LineQuantity
        >>> carrier = FakeCarrier()
        >>> label = carrier.create_shipment(
        ...     order_id="o-1", shipment_id="s-1",
        ...     lines=[LineQuantity(line_id="l1", quantity=2)], address=None,
        ...     idempotency_key="o-1:ship:s-1",
        ... )
        >>> label.tracking_number
        'TRACK0001'
        >>> _ = carrier.deliver("TRACK0001", at=pendulum.datetime(2024, 5, 3, 14, tz="UTC"))
        >>> [update.status.value for update in carrier.track("TRACK0001")]
        ['delivered']
        >>> carrier.track("TRACK9999")
        ()
    """

    __slots__ = (
        "_answers",
        "_calls",
        "_carrier",
        "_clock",
        "_counter",
        "_faults",
        "_lock",
        "_promised",
        "_shipments",
        "_updates",
    )

    def __init__(
        self,
        *,
        carrier: str = "fake-carrier",
        promised_delivery_on: dt.date | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._carrier = check_text(carrier, field="carrier")
        promised: object = promised_delivery_on
        if promised is not None and (
            not isinstance(promised, dt.date) or isinstance(promised, dt.datetime)
        ):
            raise InvalidTypeError(
                field="promised_delivery_on", value=promised_delivery_on, expected="a date or None"
            )
        self._promised = promised_delivery_on
        self._clock = clock
        self._lock = threading.Lock()
        self._calls: list[CarrierCall] = []
        self._shipments: list[BookedShipment] = []
        self._answers: dict[str, _Answer] = {}
        self._updates: dict[str, list[TrackingUpdate]] = {}
        self._counter = 0
        self._faults = FaultScript()

    # ---------------------------------------------------------------- the port

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

        Args:
            order_id: The order.
            shipment_id: The shipment.
            lines: The units in the parcel (at least one line).
            address: Where it goes, or ``None``.
            idempotency_key: The key that makes a retry safe.

        Returns:
            The label, with the next tracking number.

        Raises:
            ShipmentRejectedError: A scripted rejection (also for a retry of a rejected key).
            CarrierUnavailableError: A scripted outage.
            IdempotencyConflictError: The key was used for another request.
            InvalidTypeError: An argument has the wrong type (nothing is recorded).
            InvalidValueError: A text is blank or *lines* is empty.
        """
        if address is not None and not isinstance(address, Address):
            raise InvalidTypeError(field="address", value=address, expected="Address or None")
        request = _Request(
            check_text(order_id, field="order_id"),
            check_text(shipment_id, field="shipment_id"),
            _lines(lines),
            address,
        )
        key = check_text(idempotency_key, field="idempotency_key")
        with self._lock:
            return self._book(request, key)

    def track(self, tracking_number: str) -> tuple[TrackingUpdate, ...]:
        """Return the parcel's tracking updates, oldest first (``()`` when there are none).

        Args:
            tracking_number: The parcel.

        Returns:
            The scripted updates, sorted by time (updates at the same time in the order
            they were added).

        Raises:
            CarrierUnavailableError: A scripted outage.
            InvalidValueError: *tracking_number* is blank.
            InvalidTypeError: *tracking_number* is not a string.
        """
        number = check_text(tracking_number, field="tracking_number")
        with self._lock:
            down = self._faults.take(_DOWN, _TRACK)
            outcome = CallOutcome.OK if down is None else CallOutcome.UNAVAILABLE
            self._calls.append(
                CarrierCall(operation=_TRACK, outcome=outcome, tracking_number=number)
            )
            if down is not None:
                raise CarrierUnavailableError(
                    provider=self._carrier, operation=_TRACK, reason=down.reason
                )
            return tuple(sorted(self._updates.get(number, ()), key=lambda update: update.at))

    # ---------------------------------------------------------------- tracking script

    def add_update(
        self,
        tracking_number: str,
        status: TrackingStatus | str,
        *,
        at: dt.datetime,
        location: str | None = None,
        description: str = "",
    ) -> TrackingUpdate:
        """Script a tracking update that ``track`` will answer from now on.

        Any tracking number is accepted, booked here or not.

        Args:
            tracking_number: The parcel.
            status: Where it is.
            at: When the carrier recorded it (timezone-aware).
            location: Where, if the carrier says.
            description: The carrier's own words.

        Returns:
            The update.

        Raises:
            NaiveDateTimeError: *at* has no timezone.
            InvalidValueError: A blank text or an unknown status.
            InvalidTypeError: An argument has the wrong type.
        """
        if not isinstance(description, str):
            raise InvalidTypeError(field="description", value=description, expected="str")
        update = TrackingUpdate(
            tracking_number=tracking_number,
            status=status,
            at=at,
            location=location,
            description=description,
        )
        with self._lock:
            self._updates.setdefault(update.tracking_number, []).append(update)
        return update

    def in_transit(
        self, tracking_number: str, *, at: dt.datetime, location: str | None = None
    ) -> TrackingUpdate:
        """Script an ``IN_TRANSIT`` update (a shortcut for ``add_update``).

        Args:
            tracking_number: The parcel.
            at: When (timezone-aware).
            location: Where, if the carrier says.

        Returns:
            The update.

        Raises:
            NaiveDateTimeError: *at* has no timezone.
            InvalidValueError: A blank text.
            InvalidTypeError: An argument has the wrong type.
        """
        return self.add_update(tracking_number, TrackingStatus.IN_TRANSIT, at=at, location=location)

    def deliver(
        self, tracking_number: str, *, at: dt.datetime, location: str | None = None
    ) -> TrackingUpdate:
        """Script a ``DELIVERED`` update (a shortcut for ``add_update``).

        Args:
            tracking_number: The parcel.
            at: When (timezone-aware).
            location: Where, if the carrier says.

        Returns:
            The update.

        Raises:
            NaiveDateTimeError: *at* has no timezone.
            InvalidValueError: A blank text.
            InvalidTypeError: An argument has the wrong type.
        """
        return self.add_update(tracking_number, TrackingStatus.DELIVERED, at=at, location=location)

    # ---------------------------------------------------------------- faults

    def reject(
        self, *, times: int | None = None, reason: str = "the address cannot be served"
    ) -> None:
        """Reject new bookings with ``ShipmentRejectedError``; replays are not affected.

        Args:
            times: How many new bookings, or ``None`` for every one until
                [`clear_faults`][ecomkit.testing.FakeCarrier.clear_faults].
            reason: The rejection's reason.

        Raises:
            InvalidValueError: *times* is below 1 or *reason* is blank.
            InvalidTypeError: An argument has the wrong type.
        """
        self._script(_REJECT, (_CREATE,), times=times, reason=reason)

    def go_down(
        self,
        operation: CarrierOperation | None = None,
        *,
        times: int | None = 1,
        reason: str = "connection timed out",
    ) -> None:
        """Make calls raise ``CarrierUnavailableError`` before doing anything.

        Args:
            operation: ``"create_shipment"``, ``"track"`` or ``None`` for both.
            times: How many calls (per operation), or ``None`` for every one until
                [`clear_faults`][ecomkit.testing.FakeCarrier.clear_faults].
            reason: The error's reason.

        Raises:
            InvalidValueError: An unknown operation, *times* below 1, or a blank reason.
            InvalidTypeError: An argument has the wrong type.
        """
        self._script(_DOWN, _operations(operation), times=times, reason=reason)

    def lose_answers(
        self, *, times: int | None = 1, reason: str = "read timed out after the request was sent"
    ) -> None:
        """Make successful bookings happen, then raise ``CarrierUnavailableError``.

        The carrier booked the parcel but the answer never arrived; a retry with the same
        key returns the label. Rejections and conflicts are answered normally and do not
        use the fault up.

        Args:
            times: How many successful bookings, or ``None`` for every one until
                [`clear_faults`][ecomkit.testing.FakeCarrier.clear_faults].
            reason: The error's reason.

        Raises:
            InvalidValueError: *times* is below 1 or *reason* is blank.
            InvalidTypeError: An argument has the wrong type.
        """
        self._script(_LOST, (_CREATE,), times=times, reason=reason)

    def clear_faults(self) -> None:
        """Forget every scripted rejection and outage."""
        with self._lock:
            self._faults.clear()

    # ---------------------------------------------------------------- assertions

    @property
    def calls(self) -> tuple[CarrierCall, ...]:
        """Every call received, in order, repeats and failures included."""
        with self._lock:
            return tuple(self._calls)

    @property
    def shipments(self) -> tuple[BookedShipment, ...]:
        """Every parcel booked, in order (a replayed key books nothing)."""
        with self._lock:
            return tuple(self._shipments)

    @property
    def labels(self) -> tuple[ShipmentLabel, ...]:
        """The label of every parcel booked, in order."""
        with self._lock:
            return tuple(shipment.label for shipment in self._shipments)

    def __repr__(self) -> str:
        with self._lock:
            faults = self._faults.active()
            shown = f", faults={list(faults)!r}" if faults else ""
            return (
                f"FakeCarrier(carrier={self._carrier!r}, calls={len(self._calls)}, "
                f"shipments={len(self._shipments)}{shown})"
            )

    # ---------------------------------------------------------------- internals

    def _script(
        self, kind: str, operations: tuple[str, ...], *, times: int | None, reason: str
    ) -> None:
        checked_times = check_times(times)
        checked_reason = check_text(reason, field="reason")
        with self._lock:
            self._faults.set(kind, operations, times=checked_times, reason=checked_reason)

    def _record(
        self, request: _Request, key: str, outcome: CallOutcome, number: str | None = None
    ) -> None:
        self._calls.append(
            CarrierCall(
                operation=_CREATE,
                outcome=outcome,
                order_id=request.order_id,
                shipment_id=request.shipment_id,
                idempotency_key=key,
                tracking_number=number,
            )
        )

    def _book(self, request: _Request, key: str) -> ShipmentLabel:
        """Answer one booking; the caller holds the lock."""
        down = self._faults.take(_DOWN, _CREATE)
        if down is not None:
            self._record(request, key, CallOutcome.UNAVAILABLE)
            raise CarrierUnavailableError(
                provider=self._carrier, operation=_CREATE, reason=down.reason
            )
        known = self._answers.get(key)
        replay = known is not None
        if known is not None:
            if known.request != request:
                self._record(request, key, CallOutcome.CONFLICT)
                raise IdempotencyConflictError(
                    key=key, first=known.request.describe(), second=request.describe()
                )
            label = known.label
        else:
            rejected = self._faults.take(_REJECT, _CREATE)
            label = None if rejected is not None else self._new_label(request, key)
            self._answers[key] = _Answer(
                request, label, "" if rejected is None else rejected.reason
            )
        if label is None:
            self._record(request, key, CallOutcome.REJECTED)
            raise ShipmentRejectedError(
                shipment_id=request.shipment_id, reason=self._answers[key].reason
            )
        lost = self._faults.take(_LOST, _CREATE)
        if lost is not None:
            self._record(request, key, CallOutcome.ANSWER_LOST, label.tracking_number)
            raise CarrierUnavailableError(
                provider=self._carrier, operation=_CREATE, reason=lost.reason
            )
        outcome = CallOutcome.REPLAYED if replay else CallOutcome.OK
        self._record(request, key, outcome, label.tracking_number)
        return label

    def _new_label(self, request: _Request, key: str) -> ShipmentLabel:
        self._counter += 1
        label = ShipmentLabel(
            carrier=self._carrier,
            tracking_number=f"TRACK{self._counter:04d}",
            promised_delivery_on=self._promised,
        )
        self._shipments.append(
            BookedShipment(
                order_id=request.order_id,
                shipment_id=request.shipment_id,
                lines=request.lines,
                address=request.address,
                idempotency_key=key,
                label=label,
            )
        )
        if self._clock is not None:
            created = TrackingUpdate(
                tracking_number=label.tracking_number,
                status=TrackingStatus.LABEL_CREATED,
                at=self._clock.now(),
                description="label created",
            )
            self._updates.setdefault(label.tracking_number, []).append(created)
        return label


if TYPE_CHECKING:
    from ecomkit.ports import Carrier

    _carrier: type[Carrier] = FakeCarrier
