"""Hypothesis strategies for the records the ports carry (re-exported by ``strategies``)."""

from __future__ import annotations

from hypothesis import strategies as st

from ecomkit.money import Money
from ecomkit.ports import (
    Notification,
    PaymentOperation,
    PaymentTransaction,
    ShipmentLabel,
    TrackingStatus,
    TrackingUpdate,
)


__all__ = ["notifications", "payment_transactions", "shipment_labels", "tracking_updates"]

_ID = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-/", min_size=1, max_size=24).filter(
    str.strip
)
_WORDS = st.text(alphabet="abcdefghij klmnop", max_size=30)


def payment_transactions(
    amounts: st.SearchStrategy[Money] | None = None,
) -> st.SearchStrategy[PaymentTransaction]:
    """Answers of a payment gateway, for any operation.

    Args:
        amounts: Positive amounts to use; by default 0.01 to 10,000.00 EUR.
    """
    from ecomkit.testing.strategies import money  # noqa: PLC0415 - the two modules meet here

    chosen = amounts if amounts is not None else money(currency="EUR", min_units=1)
    return st.builds(
        PaymentTransaction,
        operation=st.sampled_from(PaymentOperation),
        payment_id=_ID,
        amount=chosen,
        reference=_ID,
        idempotency_key=_ID,
    )


def shipment_labels() -> st.SearchStrategy[ShipmentLabel]:
    """Labels a carrier answers with, with and without a URL and a promised date."""
    return st.builds(
        ShipmentLabel,
        carrier=_ID,
        tracking_number=_ID,
        label_url=st.none() | _ID.map(lambda name: f"https://labels.example/{name}.pdf"),
        promised_delivery_on=st.none() | st.dates(),
    )


def tracking_updates() -> st.SearchStrategy[TrackingUpdate]:
    """Tracking updates of a parcel, at timezone-aware times."""
    from ecomkit.testing.strategies import aware_datetimes  # noqa: PLC0415

    return st.builds(
        TrackingUpdate,
        tracking_number=_ID,
        status=st.sampled_from(TrackingStatus),
        at=aware_datetimes(),
        location=st.none() | _ID,
        description=_WORDS,
    )


def notifications() -> st.SearchStrategy[Notification]:
    """Notifications a service could ask to send, with a few details."""
    return st.builds(
        Notification,
        kind=st.sampled_from(
            [
                "order_placed",
                "order_shipped",
                "order_delivered",
                "order_cancelled",
                "return_decided",
                "return_refunded",
            ]
        ),
        key=_ID,
        order_id=_ID,
        recipient=st.none() | _ID,
        return_id=st.none() | _ID,
        details=st.dictionaries(_ID, _WORDS, max_size=3),
    )
