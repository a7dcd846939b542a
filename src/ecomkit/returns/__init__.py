"""Returns: a declarative policy engine with explained decisions, exact refunds and RMAs.

One engine decides the three kinds of request a store gets:

- **statutory withdrawals** (EU distance selling: 14 days from delivery of the last item,
  no reason needed, statutory exceptions per item and condition);
- **voluntary returns** under the store's own policy (windows, final sale, conditions,
  restocking and return shipping fees, store credit, exchanges);
- **complaints** about non-conforming goods (the liability period, remedies, a response
  deadline after which a complaint counts as accepted).

A [`ReturnPolicy`][ecomkit.returns.ReturnPolicy] is data: typed rules with parameters and
a scope, named and versioned, written to JSON like any other model. Hosts add rule types
of their own ([`register_rule_type`][ecomkit.returns.register_rule_type]).
[`evaluate_return`][ecomkit.returns.evaluate_return] decides a request per line and
quantity and explains every reason in the customer's language (English, Polish, Italian,
Chinese and Arabic catalogs ship with ecomkit); it returns a decision even for a "no".
[`calculate_refund`][ecomkit.returns.calculate_refund] works refunds out to the minor unit,
and the return aggregate [`Rma`][ecomkit.returns.Rma] moves through its lifecycle with
[`apply_return`][ecomkit.returns.apply_return], keeping the order's ledgers in step.

Examples:
    >>> import pendulum
    >>> from ecomkit import Money
    >>> from ecomkit.orders import (AuthorizePayment, CapturePayment, ConfirmDelivery,
    ...     FulfilLines, LineSpec, OrderSpec, PlaceOrder, ShipShipment, apply)
    >>> at = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Warsaw")
    >>> spec = OrderSpec(order_id="o-1", channel="web", currency="PLN",
    ...     timezone="Europe/Warsaw", prices_include_tax=True,
    ...     lines=[LineSpec(line_id="l1", sku="SHOE", quantity=2,
    ...                     unit_price=Money("199.99", "PLN"))])
    >>> order, _ = apply(None, PlaceOrder(key="k1", spec=spec), at=at)
    >>> for command in [AuthorizePayment(key="k2", payment_id="p1",
    ...                                  amount=Money("399.98", "PLN")),
    ...                 CapturePayment(key="k3", payment_id="p1"),
    ...                 FulfilLines(key="k4", shipment_id="s1", lines={"l1": 2}),
    ...                 ShipShipment(key="k5", shipment_id="s1"),
    ...                 ConfirmDelivery(key="k6", shipment_id="s1")]:
    ...     order, _ = apply(order, command, at=at)
    >>> request = ReturnRequest(return_id="r-1", kind="withdrawal",
    ...     requested_at=at.add(days=10), lines=[ReturnLine(line_id="l1", quantity=1)])
    >>> decision = evaluate_return(eu_policy(country="PL"), request, order=order,
    ...                            at=at.add(days=10))
    >>> decision.outcome.value, str(decision.refund.total)
    ('approved', '199.99 PLN')
    >>> for text in decision.explain("pl"):
    ...     print(text)  # doctest: +NORMALIZE_WHITESPACE
    Zgłoszenie mieści się w ustawowym terminie odstąpienia od umowy wynoszącym 14 dni
    od dostarczenia ostatniego produktu; termin ten upływa 16 marca 2026.
    Zwrot należności powinien nastąpić do 26 marca 2026; może zostać wstrzymany do czasu
    otrzymania towaru lub dowodu jego odesłania.
"""

from ecomkit.orders import ReturnId
from ecomkit.returns._apply import apply_return, open_return, replay_return
from ecomkit.returns._builtin import (
    AcceptedConditions,
    ComplaintPeriod,
    ComplaintResponse,
    ExchangeNotOffered,
    FinalSale,
    NotReturnable,
    OriginalShippingRefund,
    ReasonRequired,
    RemedyOrder,
    RestockingFee,
    ReturnShippingFee,
    ReturnWindow,
    ReviewAbove,
    StoreCreditAfter,
    WithdrawalExceptions,
    WithdrawalPeriod,
)
from ecomkit.returns._commands import (
    AwaitItems,
    CancelReturn,
    CloseReturn,
    DecideReturn,
    ExchangeItems,
    OpenReturn,
    ReceivedItem,
    ReceiveItems,
    RefundReturn,
    ReturnCommand,
    ReviewReturn,
    WriteOffItems,
)
from ecomkit.returns._evaluate import LineDecision, Reason, ReturnDecision, evaluate_return
from ecomkit.returns._events import (
    ItemsReceived,
    ItemsWrittenOff,
    ReturnCancelled,
    ReturnClosed,
    ReturnDecided,
    ReturnEvent,
    ReturnExchanged,
    ReturnLabelIssued,
    ReturnOpened,
    ReturnRefunded,
    ReturnReviewed,
)
from ecomkit.returns._messages import (
    CATALOG_LOCALES,
    Message,
    MessageArg,
    MessageTemplate,
    Percent,
    message_template,
    message_templates,
    register_message,
)
from ecomkit.returns._policy import (
    COUNTRY_RULES,
    QUANTITY_RULE_ID,
    CountryRules,
    ReturnPolicy,
    complaint_rules,
    eu_policy,
    eu_withdrawal_rules,
)
from ecomkit.returns._refund import (
    Deduction,
    FeeTerm,
    Refund,
    RefundLine,
    TenderRefund,
    allocate_refund,
    calculate_refund,
    fee_deductions,
)
from ecomkit.returns._request import ReturnLine, ReturnRequest
from ecomkit.returns._rma import (
    RETURN_LIFECYCLE,
    Rma,
    RmaLine,
    RmaStatus,
    return_lifecycle_mermaid,
)
from ecomkit.returns._rules import (
    DeductionKind,
    Fee,
    Finding,
    LineContext,
    OrderFacts,
    RefundDeadline,
    RefundMethods,
    ReturnRule,
    Scope,
    ShippingTerms,
    Window,
    register_rule_type,
    rule_types,
    window,
)
from ecomkit.returns._values import (
    ItemCondition,
    ItemTrait,
    LineOutcome,
    RefundMethod,
    Remedy,
    ReturnKind,
    ShippingRefund,
    Verdict,
    WindowStart,
)


__all__ = [
    "CATALOG_LOCALES",
    "COUNTRY_RULES",
    "QUANTITY_RULE_ID",
    "RETURN_LIFECYCLE",
    "AcceptedConditions",
    "AwaitItems",
    "CancelReturn",
    "CloseReturn",
    "ComplaintPeriod",
    "ComplaintResponse",
    "CountryRules",
    "DecideReturn",
    "Deduction",
    "DeductionKind",
    "ExchangeItems",
    "ExchangeNotOffered",
    "Fee",
    "FeeTerm",
    "FinalSale",
    "Finding",
    "ItemCondition",
    "ItemTrait",
    "ItemsReceived",
    "ItemsWrittenOff",
    "LineContext",
    "LineDecision",
    "LineOutcome",
    "Message",
    "MessageArg",
    "MessageTemplate",
    "NotReturnable",
    "OpenReturn",
    "OrderFacts",
    "OriginalShippingRefund",
    "Percent",
    "Reason",
    "ReasonRequired",
    "ReceiveItems",
    "ReceivedItem",
    "Refund",
    "RefundDeadline",
    "RefundLine",
    "RefundMethod",
    "RefundMethods",
    "RefundReturn",
    "Remedy",
    "RemedyOrder",
    "RestockingFee",
    "ReturnCancelled",
    "ReturnClosed",
    "ReturnCommand",
    "ReturnDecided",
    "ReturnDecision",
    "ReturnEvent",
    "ReturnExchanged",
    "ReturnId",
    "ReturnKind",
    "ReturnLabelIssued",
    "ReturnLine",
    "ReturnOpened",
    "ReturnPolicy",
    "ReturnRefunded",
    "ReturnRequest",
    "ReturnReviewed",
    "ReturnRule",
    "ReturnShippingFee",
    "ReturnWindow",
    "ReviewAbove",
    "ReviewReturn",
    "Rma",
    "RmaLine",
    "RmaStatus",
    "Scope",
    "ShippingRefund",
    "ShippingTerms",
    "StoreCreditAfter",
    "TenderRefund",
    "Verdict",
    "Window",
    "WindowStart",
    "WithdrawalExceptions",
    "WithdrawalPeriod",
    "WriteOffItems",
    "allocate_refund",
    "apply_return",
    "calculate_refund",
    "complaint_rules",
    "eu_policy",
    "eu_withdrawal_rules",
    "evaluate_return",
    "fee_deductions",
    "message_template",
    "message_templates",
    "open_return",
    "register_message",
    "register_rule_type",
    "replay_return",
    "return_lifecycle_mermaid",
    "rule_types",
    "window",
]
