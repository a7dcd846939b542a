"""ecomkit: typed e-commerce domain models and services.

The most used names are re-exported here (``ecomkit.Money``, ``ecomkit.Currency`` ...); every
subpackage documents its own. Importing ``ecomkit`` loads no locale data and no timezone
database: babel and pendulum are imported by the functions that need them.
"""

from __future__ import annotations

from typing import Any

from ecomkit import errors
from ecomkit.money import (
    AllocationStrategy,
    Currency,
    Money,
    MoneyRange,
    Rounding,
    TaxedMoney,
)


__all__ = [
    "AllocationStrategy",
    "Currency",
    "Money",
    "MoneyRange",
    "Rounding",
    "TaxedMoney",
    "__version__",
    "errors",
]


def __getattr__(name: str) -> Any:
    """Serve ``__version__`` from the installed package metadata, on first use."""
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - keeps import ecomkit light

        return version("ecomkit")
    msg = f"module 'ecomkit' has no attribute {name!r}"
    raise AttributeError(msg)
