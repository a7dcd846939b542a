"""The rule protocol: scopes, the context a rule reads, findings and their effects."""

from __future__ import annotations

import abc
import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, ClassVar, Final, TypeVar

import attrs
import pendulum

from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.money import Money, TaxedMoney
from ecomkit.money._amount import to_member
from ecomkit.orders import Order, OrderLine
from ecomkit.orders._values import check_text
from ecomkit.returns._messages import Message
from ecomkit.returns._request import ReturnLine, ReturnRequest, texts
from ecomkit.returns._values import (
    RefundMethod,
    ReturnKind,
    ShippingRefund,
    Verdict,
    WindowStart,
)
from ecomkit.time import BusinessCalendar, ensure_aware, timezone


__all__ = [
    "ALL_KINDS",
    "DeductionKind",
    "Fee",
    "Finding",
    "LineContext",
    "OrderFacts",
    "RefundDeadline",
    "RefundMethods",
    "ReturnRule",
    "Scope",
    "ShippingTerms",
    "Window",
    "register_rule_type",
    "rule_types",
    "window",
]

ALL_KINDS: Final = frozenset(ReturnKind)


# ---------------------------------------------------------------------- scope


def _kinds(value: object) -> tuple[ReturnKind, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="kinds", value=value, expected="a list of ReturnKind")
    return tuple(sorted({to_member(ReturnKind, item, field="kinds") for item in value}))


def _categories(value: object) -> tuple[str, ...]:
    return texts(value, field="categories")


def _products(value: object) -> tuple[str, ...]:
    return texts(value, field="products")


def _channels(value: object) -> tuple[str, ...]:
    return texts(value, field="channels")


def _countries(value: object) -> tuple[str, ...]:
    return tuple(code.upper() for code in texts(value, field="countries"))


def _groups(value: object) -> tuple[str, ...]:
    return texts(value, field="customer_groups")


@attrs.frozen(kw_only=True, weakref_slot=False)
class Scope:
    """Which requests and lines a rule applies to.

    Every dimension left empty matches everything; a dimension with values matches when
    the request or line has one of them. All dimensions given must match.

    Attributes:
        kinds: Request kinds (within those the rule type supports).
        categories: Category codes; a line matches when one of its categories is listed.
        products: Product codes or SKUs.
        channels: Sales channels of the order.
        countries: Customer countries (ISO 3166 alpha-2).
        customer_groups: Customer groups.

    Examples:
        >>> Scope(categories=["swimwear"]).is_universal
        False
        >>> Scope().is_universal
        True
    """

    kinds: tuple[ReturnKind, ...] = attrs.field(default=(), converter=_kinds)
    categories: tuple[str, ...] = attrs.field(default=(), converter=_categories)
    products: tuple[str, ...] = attrs.field(default=(), converter=_products)
    channels: tuple[str, ...] = attrs.field(default=(), converter=_channels)
    countries: tuple[str, ...] = attrs.field(default=(), converter=_countries)
    customer_groups: tuple[str, ...] = attrs.field(default=(), converter=_groups)

    @property
    def is_universal(self) -> bool:
        """Whether the scope matches every request and line of the kinds it allows."""
        return not (
            self.categories
            or self.products
            or self.channels
            or self.countries
            or self.customer_groups
        )

    def matches(self, context: LineContext) -> bool:
        """Return whether the line in *context* is within this scope (kinds aside)."""
        line = context.line
        return (
            (not self.categories or any(code in self.categories for code in line.categories))
            and (
                not self.products
                or line.product_id in self.products
                or context.order_line.sku in self.products
            )
            and (not self.channels or context.order.channel in self.channels)
            and (not self.countries or context.country in self.countries)
            and (not self.customer_groups or context.request.customer_group in self.customer_groups)
        )


# ---------------------------------------------------------------------- effects


class DeductionKind:
    """Names of the deductions a refund may carry (plain strings, so hosts may add more)."""

    RESTOCKING_FEE: Final = "restocking_fee"
    """A fee for taking the goods back into stock (voluntary returns only)."""
    RETURN_SHIPPING: Final = "return_shipping"
    """What sending the goods back costs the store, charged to the customer."""
    DIMINISHED_VALUE: Final = "diminished_value"
    """Loss of value from handling beyond what was needed to try the goods."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class Fee:
    """A deduction a rule puts on the refund: a rate of the items' value or an amount.

    Attributes:
        kind: What the fee is for (see [`DeductionKind`][ecomkit.returns.DeductionKind]).
        rate: A fraction of the refunded items' value, or ``None``.
        amount: A fixed amount (per unit, or per return), or ``None``.
        per_return: Whether a fixed amount is charged once per return rather than per unit.
    """

    kind: str
    rate: Decimal | None = None
    amount: Money | None = None
    per_return: bool = False


@attrs.frozen(kw_only=True, weakref_slot=False)
class RefundMethods:
    """Restricts where the money may go (for example store credit only after N days).

    Attributes:
        allowed: The methods still allowed.
    """

    allowed: frozenset[RefundMethod]


@attrs.frozen(kw_only=True, weakref_slot=False)
class ShippingTerms:
    """How much of the original delivery price the refund includes.

    Attributes:
        mode: When and how much delivery is paid back.
        cap: The most that is paid back for delivery (the cheapest standard option), or
            ``None`` for the full price.
    """

    mode: ShippingRefund
    cap: Money | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class RefundDeadline:
    """The refund is due within *days* of the request.

    Attributes:
        days: Calendar days from the request.
        withhold_until_received: Whether the store may wait for the goods (or proof
            that they were sent back) before paying.
    """

    days: int
    withhold_until_received: bool = True


Effect = Fee | RefundMethods | ShippingTerms | RefundDeadline


@attrs.frozen(kw_only=True, weakref_slot=False)
class Finding:
    """What a rule says about one line: a verdict, its explanation and its effect.

    Attributes:
        verdict: Pass, note, review or decline.
        message: The explanation, rendered in the customer's language on demand; ``None``
            for a finding that only carries an effect (it is then not listed as a reason).
        observed: The value the rule looked at, in machine-readable form (ISO dates,
            amounts as ``"12.30 EUR"``, counts).
        threshold: The limit it compared it with, in the same form.
        allowed_units: For a decline: how many of the requested units the rule still
            allows (``None`` declines them all).
        accepts: Whether the finding accepts the units whatever other rules say (a
            complaint nobody answered in time). Only the quantity limit still holds.
        effect: What the finding changes in the refund, if anything.
    """

    verdict: Verdict
    message: Message | None
    observed: str | None = None
    threshold: str | None = None
    allowed_units: int | None = None
    accepts: bool = False
    effect: Effect | None = None


# ---------------------------------------------------------------------- context


@attrs.frozen(kw_only=True, weakref_slot=False)
class OrderFacts:
    """Facts about an order that every line's evaluation reads, computed once.

    Attributes:
        order: The order.
        zone: The store's timezone (the order's).
        delivered_at: The last delivery of each line, by line id.
        first_delivered_at: The first delivery of the order, if any.
        last_delivered_at: The delivery of the order's last item, or ``None`` while some
            active unit is not delivered.
    """

    order: Order
    zone: pendulum.Timezone
    delivered_at: Mapping[str, dt.datetime]
    first_delivered_at: dt.datetime | None
    last_delivered_at: dt.datetime | None

    @classmethod
    def of(cls, order: Order) -> OrderFacts:
        """Compute the facts of *order*."""
        delivered: dict[str, dt.datetime] = {}
        times: list[dt.datetime] = []
        for shipment in order.shipments:
            at = shipment.delivered_at
            if at is None:
                continue
            times.append(at)
            for item in shipment.lines:
                known = delivered.get(item.line_id)
                if known is None or at > known:
                    delivered[item.line_id] = at
        all_delivered = all(line.delivered >= line.active for line in order.lines)
        return cls(
            order=order,
            zone=timezone(order.timezone),
            delivered_at=delivered,
            first_delivered_at=min(times) if times else None,
            last_delivered_at=max(times) if times and all_delivered else None,
        )


@attrs.frozen(kw_only=True, weakref_slot=False)
class LineContext:
    """Everything a rule may read about one requested line.

    Attributes:
        request: The whole request.
        line: The requested line.
        order_line: The order's line it names.
        facts: Facts about the order (deliveries, timezone).
        at: When the decision is made.
        returnable: Units of the line that can still be returned: delivered and not
            already requested.
        country: The customer's country (the request's, else the shipping address's).
        priced: The requested units that can be returned: at most *returnable* and the
            units not refunded yet.
        amount: What those units are worth, with tax: the next units of the line's
            [`refund_total`][ecomkit.orders.OrderLine.refund_total].
    """

    request: ReturnRequest
    line: ReturnLine
    order_line: OrderLine
    facts: OrderFacts
    at: dt.datetime
    returnable: int
    country: str | None
    priced: int
    amount: TaxedMoney

    @classmethod
    def of(
        cls,
        request: ReturnRequest,
        line: ReturnLine,
        order_line: OrderLine,
        *,
        facts: OrderFacts,
        at: dt.datetime,
        country: str | None,
    ) -> LineContext:
        """Build the context of *line*, working out what its units are worth once."""
        returnable = max(order_line.delivered - order_line.return_requested, 0)
        priced = min(line.quantity, returnable, order_line.quantity - order_line.refunded)
        return cls(
            request=request,
            line=line,
            order_line=order_line,
            facts=facts,
            at=at,
            returnable=returnable,
            country=country,
            priced=priced,
            amount=order_line.refund_total(priced),
        )

    @property
    def order(self) -> Order:
        """The order."""
        return self.facts.order

    @property
    def kind(self) -> ReturnKind:
        """The request's kind."""
        return self.request.kind

    @property
    def units(self) -> int:
        """Units requested on this line."""
        return self.line.quantity

    def delivered_at(self, start: WindowStart) -> dt.datetime | None:
        """Return the delivery a window counts from, or ``None`` if it has not happened."""
        if start is WindowStart.ITEM_DELIVERY:
            return self.facts.delivered_at.get(self.line.line_id)
        if start is WindowStart.FIRST_ITEM_DELIVERY:
            return self.facts.first_delivered_at
        return self.facts.last_delivered_at

    @property
    def value(self) -> Money:
        """What the returnable requested units cost the customer (gross, after discounts)."""
        return self.amount.gross


# ---------------------------------------------------------------------- windows


@attrs.frozen(kw_only=True, weakref_slot=False)
class Window:
    """A period counted in calendar days (or months, years) from an instant.

    The day of the instant is not counted: a 14-day window from a delivery on 3 March
    runs to the end of 17 March, in the store's timezone. When the last day is a day off
    in *calendar*, the window runs to the end of the next working day.

    Attributes:
        last_day: The last day of the window, after any move to a working day.
        closes_at: The instant the window closes (the start of the day after *last_day*).
        moved: Whether the last day was moved to the next working day.
    """

    last_day: pendulum.Date
    closes_at: pendulum.DateTime
    moved: bool

    def is_open(self, at: dt.datetime) -> bool:
        """Return whether *at* is before the window closes."""
        return at < self.closes_at


def window(
    start: dt.datetime,
    zone: pendulum.Timezone,
    *,
    days: int = 0,
    months: int = 0,
    years: int = 0,
    calendar: BusinessCalendar | None = None,
) -> Window:
    """Return the window of the given length starting at *start*, in the store's *zone*.

    Args:
        start: The event the window counts from (a delivery, a request).
        zone: The store's timezone, which decides the calendar day of each instant.
        days: Length in days.
        months: Length in months (added before days).
        years: Length in years (added before months).
        calendar: Working days; a last day that is a day off moves to the next working day.

    Raises:
        NaiveDateTimeError: *start* has no timezone.

    Examples:
        >>> import pendulum
        >>> zone = pendulum.timezone("Europe/Warsaw")
        >>> delivered = pendulum.datetime(2026, 3, 20, 12, tz=zone)
        >>> found = window(delivered, zone, days=14)
        >>> found.last_day, found.closes_at
        (Date(2026, 4, 3), DateTime(2026, 4, 4, 0, 0, 0, tzinfo=Timezone('Europe/Warsaw')))
    """
    local = ensure_aware(start, field="start").astimezone(zone).date()
    return _window(local, zone, years, months, days, calendar)


@functools.lru_cache(maxsize=4096)
def _window(  # noqa: PLR0917 - positional, as the cache key
    local: dt.date,
    zone: pendulum.Timezone,
    years: int,
    months: int,
    days: int,
    calendar: BusinessCalendar | None,
) -> Window:
    """Compute a window from its first local day; cached, since many events share a day."""
    first = pendulum.Date(local.year, local.month, local.day)
    last = first.add(years=years, months=months, days=days)
    moved = False
    if calendar is not None:
        rolled = calendar.roll_forward(last)
        moved = rolled != last
        last = rolled
    after = last.add(days=1)
    closes_at = pendulum.datetime(after.year, after.month, after.day, tz=zone)
    return Window(last_day=last, closes_at=closes_at, moved=moved)


# ---------------------------------------------------------------------- rules

_R = TypeVar("_R", bound="type[ReturnRule]")

_RULE_TYPES: Final[dict[str, type[ReturnRule]]] = {}


def _rule_id(_instance: object, _attribute: object, value: Any) -> None:
    check_text(value, field="rule_id", limit=100)


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnRule(abc.ABC):
    """Base of every rule: an id, a scope, and a check that yields findings for a line.

    A rule type is a frozen attrs class deriving from this one, with its parameters as
    fields and a [`check`][ecomkit.returns.ReturnRule.check] method. Register it with
    [`register_rule_type`][ecomkit.returns.register_rule_type] so policies holding it can
    be written to and read from JSON (its class name is its ``"type"``).

    Attributes:
        rule_id: The rule's id within its policy; every reason names it.
        scope: Which requests and lines the rule applies to.
        kinds: Class attribute: the request kinds this type of rule can apply to.
    """

    kinds: ClassVar[frozenset[ReturnKind]] = ALL_KINDS

    rule_id: str = attrs.field(validator=_rule_id)
    scope: Scope = attrs.field(factory=Scope)

    @scope.validator
    def _check_scope(self, _attribute: object, value: object) -> None:
        if not isinstance(value, Scope):
            raise InvalidTypeError(field="scope", value=value, expected="Scope")
        extra = set(value.kinds) - self.kinds
        if extra:
            names = ", ".join(sorted(kind.value for kind in extra))
            allowed = ", ".join(sorted(kind.value for kind in self.kinds))
            raise InvalidValueError(
                field="scope.kinds",
                value=names,
                reason=f"{type(self).__name__} applies only to {allowed} requests",
            )

    def applies_to(self, context: LineContext) -> bool:
        """Return whether the rule applies to the line in *context* (kind and scope)."""
        kind = context.request.kind
        scope = self.scope
        if kind not in self.kinds or (scope.kinds and kind not in scope.kinds):
            return False
        return scope.is_universal or scope.matches(context)

    @abc.abstractmethod
    def check(self, context: LineContext) -> Iterator[Finding]:
        """Yield the rule's findings for the line in *context* (none when it has nothing to say)."""


def register_rule_type(cls: _R) -> _R:
    """Register a rule type so that policies holding it round-trip through JSON.

    Use it as a class decorator. The class's name is the ``"type"`` written to JSON;
    registering another class under a name already taken is refused.

    Raises:
        InvalidTypeError: *cls* is not a subclass of ``ReturnRule``.
        InvalidValueError: Another class is registered under the same name.

    Examples:
        >>> import attrs
        >>> @register_rule_type
        ... @attrs.frozen(kw_only=True)
        ... class NoReturnsOnSundays(ReturnRule):
        ...     def check(self, context):
        ...         return iter(())
        >>> rule_types()["NoReturnsOnSundays"] is NoReturnsOnSundays
        True
    """
    if not (isinstance(cls, type) and issubclass(cls, ReturnRule)):  # type: ignore[redundant-expr]
        raise InvalidTypeError(field="cls", value=cls, expected="a subclass of ReturnRule")
    known = _RULE_TYPES.get(cls.__name__)
    if known is not None and (known.__module__, known.__qualname__) != (
        cls.__module__,
        cls.__qualname__,
    ):
        raise InvalidValueError(
            field="cls", value=cls.__name__, reason="another rule type is registered by that name"
        )
    _RULE_TYPES[cls.__name__] = cls
    return cls


def rule_types() -> Mapping[str, type[ReturnRule]]:
    """Return every registered rule type by its name (its JSON ``"type"``)."""
    return dict(_RULE_TYPES)
