"""Hypothesis plugin hook: registers ecomkit's strategies for ``st.from_type``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each public ecomkit value type (run by Hypothesis).

    Hypothesis runs this while it is itself being imported, so the strategies module (which
    imports Hypothesis) is only imported when a strategy is first asked for.
    """
    from hypothesis import strategies as st  # noqa: PLC0415 - runs inside Hypothesis's import

    from ecomkit.catalog import (  # noqa: PLC0415
        AttributeDef,
        CatalogSchema,
        CategoryTree,
        Gtin,
        Product,
    )
    from ecomkit.i18n import LocalizedText  # noqa: PLC0415
    from ecomkit.money import Currency, Money, MoneyRange, TaxedMoney  # noqa: PLC0415
    from ecomkit.orders import LineSpec, Order, OrderSpec  # noqa: PLC0415
    from ecomkit.ports import (  # noqa: PLC0415
        Notification,
        PaymentTransaction,
        ShipmentLabel,
        TrackingUpdate,
    )
    from ecomkit.returns import ReturnPolicy  # noqa: PLC0415

    kinds: tuple[tuple[type[Any], str], ...] = (
        (Currency, "currencies"),
        (Money, "money"),
        (TaxedMoney, "taxed_money"),
        (MoneyRange, "money_ranges"),
        (LocalizedText, "localized_texts"),
        (LineSpec, "line_specs"),
        (OrderSpec, "order_specs"),
        (Order, "orders"),
        (ReturnPolicy, "return_policies"),
        (AttributeDef, "attribute_defs"),
        (CatalogSchema, "catalog_schemas"),
        (CategoryTree, "category_trees"),
        (Gtin, "gtins"),
        (Product, "catalog_products"),
        (PaymentTransaction, "payment_transactions"),
        (ShipmentLabel, "shipment_labels"),
        (TrackingUpdate, "tracking_updates"),
        (Notification, "notifications"),
    )
    for kind, name in kinds:
        st.register_type_strategy(kind, _deferred(name))


def _deferred(name: str) -> Callable[[type[Any]], SearchStrategy[Any]]:
    def build(_kind: type[Any]) -> SearchStrategy[Any]:
        from ecomkit.testing import strategies  # noqa: PLC0415 - see _hypothesis_setup_hook

        factory: Callable[[], SearchStrategy[Any]] = getattr(strategies, name)
        return factory()

    return build
