"""The small vocabularies of returns: kinds, conditions, traits, verdicts, outcomes."""

from __future__ import annotations

import enum


__all__ = [
    "ItemCondition",
    "ItemTrait",
    "LineOutcome",
    "RefundMethod",
    "Remedy",
    "ReturnKind",
    "ShippingRefund",
    "Verdict",
    "WindowStart",
]


class ReturnKind(enum.StrEnum):
    """The three kinds of request one engine decides."""

    WITHDRAWAL = "withdrawal"
    """A statutory withdrawal from a distance contract (EU: 14 days, no reason needed)."""
    VOLUNTARY = "voluntary"
    """A return the store's own policy allows (windows, conditions, fees)."""
    COMPLAINT = "complaint"
    """A complaint about goods that do not conform to the contract (warranty, liability)."""


class ItemCondition(enum.StrEnum):
    """The condition of a returned item, as declared by the customer or found on receipt.

    Anything but ``UNOPENED`` means the packaging or seal was opened.
    """

    UNOPENED = "unopened"
    """In its sealed or original, unopened packaging."""
    OPENED = "opened"
    """Packaging opened, item as new."""
    USED = "used"
    """Used beyond what is needed to try it."""
    DAMAGED = "damaged"
    """Damaged or incomplete."""

    @property
    def is_sealed(self) -> bool:
        """Whether the seal or original packaging is still closed."""
        return self is ItemCondition.UNOPENED


class ItemTrait(enum.StrEnum):
    """Facts about the goods that the statutory exceptions and final-sale rules read."""

    PERSONALISED = "personalised"
    """Made to the customer's specifications or clearly personalised."""
    PERISHABLE = "perishable"
    """Liable to deteriorate or expire rapidly."""
    SEALED_HYGIENE = "sealed_hygiene"
    """Sealed for health protection or hygiene reasons (excepted once unsealed)."""
    SEALED_MEDIA = "sealed_media"
    """Sealed audio or video recordings or software (excepted once unsealed)."""
    FINAL_SALE = "final_sale"
    """Sold as final sale: the store's policy takes no voluntary returns of it."""


class Verdict(enum.StrEnum):
    """What one rule says about one line, from the mildest to the strictest."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    """The rule is satisfied."""
    NOTE = "note"
    """Information that changes no outcome (a fee, an extended deadline)."""
    REVIEW = "review"
    """A person must decide."""
    DECLINE = "decline"
    """The rule refuses the units it names."""


class LineOutcome(enum.StrEnum):
    """The outcome for one requested line, or for a whole request."""

    APPROVED = "approved"
    """Every requested unit is approved."""
    PARTIALLY_APPROVED = "partially_approved"
    """Some units are approved and the others declined."""
    NEEDS_REVIEW = "needs_review"
    """Some units wait for a person's decision; none is approved yet."""
    DECLINED = "declined"
    """No unit is approved."""


class RefundMethod(enum.StrEnum):
    """Where the money of a return goes."""

    ORIGINAL_PAYMENT = "original_payment"
    """Back to the tenders the order was paid with."""
    STORE_CREDIT = "store_credit"
    """As store credit (a gift card or customer balance the host issues)."""
    EXCHANGE = "exchange"
    """No money: the items are exchanged for another variant."""


class Remedy(enum.StrEnum):
    """What a customer asks for in a complaint about non-conforming goods."""

    REPAIR = "repair"
    """Bring the goods into conformity."""
    REPLACEMENT = "replacement"
    """Replace the goods with conforming ones."""
    PRICE_REDUCTION = "price_reduction"
    """Keep the goods at a lower price."""
    WITHDRAWAL = "withdrawal"
    """Give the goods back and get the price back."""

    @property
    def is_secondary(self) -> bool:
        """Whether the remedy is available only when repair or replacement is not."""
        return self in {Remedy.PRICE_REDUCTION, Remedy.WITHDRAWAL}


class WindowStart(enum.StrEnum):
    """Which delivery a return window counts from."""

    ITEM_DELIVERY = "item_delivery"
    """The delivery of the returned item itself (the last parcel that carried its line)."""
    FIRST_ITEM_DELIVERY = "first_item_delivery"
    """The first delivery of the order."""
    LAST_ITEM_DELIVERY = "last_item_delivery"
    """The delivery of the order's last item (the EU withdrawal period's start)."""


class ShippingRefund(enum.StrEnum):
    """How much of the original delivery price a return gives back."""

    NONE = "none"
    """Nothing."""
    WHEN_ALL_RETURNED = "when_all_returned"
    """All of it (up to the cap) with the return that brings back the order's last unit."""
    PRO_RATA = "pro_rata"
    """A share by units returned, taken so that all shares add up to the price exactly."""
