"""A named, versioned returns policy, and the legal presets it is usually built from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.money import Money
from ecomkit.orders._values import check_text, text_field
from ecomkit.returns._builtin import (
    ComplaintPeriod,
    ComplaintResponse,
    OriginalShippingRefund,
    RemedyOrder,
    ReturnShippingFee,
    WithdrawalExceptions,
    WithdrawalPeriod,
)
from ecomkit.returns._request import optional_country
from ecomkit.returns._rules import ReturnRule, Scope
from ecomkit.returns._values import ReturnKind, ShippingRefund, Verdict
from ecomkit.time import BusinessCalendar


__all__ = [
    "COUNTRY_RULES",
    "QUANTITY_RULE_ID",
    "CountryRules",
    "ReturnPolicy",
    "complaint_rules",
    "eu_policy",
    "eu_withdrawal_rules",
]

QUANTITY_RULE_ID: Final = "quantity"
"""The id of the built-in check that no more units are returned than were delivered and not
already requested. Reasons from it carry this id; policies cannot reuse it."""


def _rules(value: object) -> tuple[ReturnRule, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="rules", value=value, expected="a list of ReturnRule")
    rules = tuple(value)
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        if not isinstance(rule, ReturnRule):
            raise InvalidTypeError(field=f"rules[{index}]", value=rule, expected="a ReturnRule")
        if rule.rule_id == QUANTITY_RULE_ID:
            raise InvalidValueError(
                field=f"rules[{index}].rule_id",
                value=rule.rule_id,
                reason="is reserved for the built-in quantity check",
            )
        if rule.rule_id in seen:
            raise InvalidValueError(
                field=f"rules[{index}].rule_id",
                value=rule.rule_id,
                reason="is used by another rule of the policy",
            )
        seen.add(rule.rule_id)
    return rules


def _tender_order(value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="tender_order", value=value, expected="a list of tenders")
    order = tuple(check_text(item, field="tender_order") for item in value)
    if len(set(order)) != len(order):
        raise InvalidValueError(field="tender_order", value=value, reason="names a tender twice")
    return order


@attrs.frozen(kw_only=True, weakref_slot=False)
class ReturnPolicy:
    """A named, versioned set of rules, evaluated in order for every requested line.

    A policy is data: every rule is a typed value with its parameters and scope, and the
    whole policy writes to and reads from JSON through the serialization converter.
    Every decision records the policy's name and version.

    Attributes:
        name: The policy's name.
        version: Its version (a number or a date: any text).
        rules: The rules, with distinct ids.
        tender_order: The tender kinds refunded first (``["gift_card", "card"]``); the
            others follow in the order they were paid.
        description: Free text.

    Raises:
        InvalidValueError: Two rules share an id, or a rule uses the reserved id
            ``"quantity"``.
        InvalidTypeError: A rule is not a ``ReturnRule``.
    """

    name: str = attrs.field(validator=text_field)
    version: str = attrs.field(validator=text_field)
    rules: tuple[ReturnRule, ...] = attrs.field(converter=_rules)
    tender_order: tuple[str, ...] = attrs.field(default=(), converter=_tender_order)
    description: str = attrs.field(default="")

    @description.validator
    def _check_description(self, _attribute: object, value: object) -> None:
        if not isinstance(value, str):
            raise InvalidTypeError(field="description", value=value, expected="str")

    def rule(self, rule_id: str) -> ReturnRule:
        """Return the rule with *rule_id*.

        Raises:
            InvalidValueError: The policy has no such rule.
        """
        for rule in self.rules:
            if rule.rule_id == rule_id:
                return rule
        raise InvalidValueError(
            field="rule_id", value=rule_id, reason=f"policy {self.name!r} has no such rule"
        )

    def kinds(self) -> frozenset[ReturnKind]:
        """Return the request kinds at least one rule applies to."""
        found: set[ReturnKind] = set()
        for rule in self.rules:
            found |= set(rule.scope.kinds) if rule.scope.kinds else set(rule.kinds)
        return frozenset(found)


# ---------------------------------------------------------------------- presets


@attrs.frozen(kw_only=True, weakref_slot=False)
class CountryRules:
    """What a country adds to the EU defaults.

    Attributes:
        complaint_response_days: Days within which a complaint must be answered before it
            counts as accepted, where the law says so.
        note: Where the rule comes from.
    """

    complaint_response_days: int | None = None
    note: str = ""


COUNTRY_RULES: Final[Mapping[str, CountryRules]] = MappingProxyType(
    {
        "PL": CountryRules(
            complaint_response_days=14,
            note="Art. 7a of the Polish consumer rights act: a complaint not answered within "
            "14 days counts as accepted.",
        ),
    }
)
"""Country specifics of consumer law that the presets apply, by ISO 3166 alpha-2 code."""


def eu_withdrawal_rules(
    *,
    calendar: BusinessCalendar | None = None,
    hygiene: Verdict = Verdict.REVIEW,
    standard_delivery: Iterable[Money] = (),
    return_costs: Iterable[Money] = (),
) -> tuple[ReturnRule, ...]:
    """Return the rules of the EU statutory right of withdrawal (Directive 2011/83/EU).

    - ``eu.withdrawal_period``: 14 days from delivery of the last item; 12 months more when
      the customer was not informed; moved to the next working day of *calendar*; refund
      due within 14 days of the notice.
    - ``eu.withdrawal_exceptions``: personalised, perishable, unsealed hygiene goods (sent
      to review by default) and unsealed media.
    - ``eu.delivery_refund``: the original delivery price is refunded, up to the cheapest
      standard delivery (*standard_delivery*), with the return that brings the last item
      back.
    - ``eu.return_costs`` (only when *return_costs* is given): the customer bears the
      direct cost of sending the goods back, as they were told before the contract.

    Args:
        calendar: The store country's working days (weekends only by default).
        hygiene: What unsealed hygiene goods get: review (default) or decline.
        standard_delivery: The price of the cheapest standard delivery, per currency.
        return_costs: The direct cost of return charged to the customer, per currency.
    """
    withdrawal = Scope(kinds=[ReturnKind.WITHDRAWAL])
    rules: list[ReturnRule] = [
        WithdrawalPeriod(
            rule_id="eu.withdrawal_period",
            calendar=BusinessCalendar() if calendar is None else calendar,
        ),
        WithdrawalExceptions(rule_id="eu.withdrawal_exceptions", hygiene=hygiene),
        OriginalShippingRefund(
            rule_id="eu.delivery_refund",
            scope=withdrawal,
            mode=ShippingRefund.WHEN_ALL_RETURNED,
            caps=tuple(standard_delivery),
        ),
    ]
    costs = tuple(return_costs)
    if costs:
        rules.append(
            ReturnShippingFee(
                rule_id="eu.return_costs",
                scope=withdrawal,
                amounts=costs,
                charge_on_withdrawal=True,
            )
        )
    return tuple(rules)


def complaint_rules(
    *,
    years: int = 2,
    response_days: int | None = None,
    calendar: BusinessCalendar | None = None,
) -> tuple[ReturnRule, ...]:
    """Return the rules of complaints about non-conforming goods (Directive (EU) 2019/771).

    - ``complaint.liability_period``: *years* from the item's delivery.
    - ``complaint.remedy_order``: price reduction and withdrawal are reviewed by a person,
      since they come after repair and replacement.
    - ``complaint.response`` (only when *response_days* is given): a complaint not answered
      in time counts as accepted; a deadline on a day off of *calendar* moves to the next
      working day.
    """
    rules: list[ReturnRule] = [
        ComplaintPeriod(rule_id="complaint.liability_period", years=years),
        RemedyOrder(rule_id="complaint.remedy_order"),
    ]
    if response_days is not None:
        rules.append(
            ComplaintResponse(rule_id="complaint.response", days=response_days, calendar=calendar)
        )
    return tuple(rules)


def eu_policy(
    *,
    name: str = "EU statutory returns",
    version: str = "1",
    country: str | None = None,
    calendar: BusinessCalendar | None = None,
    voluntary: Iterable[ReturnRule] = (),
    standard_delivery: Iterable[Money] = (),
    return_costs: Iterable[Money] = (),
    tender_order: Iterable[str] = (),
    hygiene: Verdict = Verdict.REVIEW,
) -> ReturnPolicy:
    """Return a policy with the EU withdrawal and complaint rules, plus your voluntary rules.

    Args:
        name: The policy's name.
        version: The policy's version.
        country: The store's country (ISO 3166 alpha-2); its entry in
            [`COUNTRY_RULES`][ecomkit.returns.COUNTRY_RULES], if any, is applied.
        calendar: The country's working days, for deadlines that end on a day off (the
            withdrawal period and the complaint response).
        voluntary: The store's own rules for voluntary returns, appended after the legal
            ones.
        standard_delivery: The cheapest standard delivery price, per currency.
        return_costs: The direct cost of return the customer bears on withdrawal.
        tender_order: Tender kinds refunded first.
        hygiene: What unsealed hygiene goods get on withdrawal: review (default) or decline.

    Raises:
        InvalidValueError: *country* is not an ISO 3166 alpha-2 code.
        InvalidTypeError: *country* is not a string.

    Examples:
        >>> policy = eu_policy(country="PL")
        >>> [rule.rule_id for rule in policy.rules]  # doctest: +NORMALIZE_WHITESPACE
        ['eu.withdrawal_period', 'eu.withdrawal_exceptions', 'eu.delivery_refund',
         'complaint.liability_period', 'complaint.remedy_order', 'complaint.response']
    """
    code = optional_country(country)
    specifics = COUNTRY_RULES.get(code, CountryRules()) if code else CountryRules()
    return ReturnPolicy(
        name=name,
        version=version,
        rules=(
            *eu_withdrawal_rules(
                calendar=calendar,
                hygiene=hygiene,
                standard_delivery=standard_delivery,
                return_costs=return_costs,
            ),
            *complaint_rules(response_days=specifics.complaint_response_days, calendar=calendar),
            *voluntary,
        ),
        tender_order=tuple(tender_order),
    )
