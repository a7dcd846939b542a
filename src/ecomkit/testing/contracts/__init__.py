"""Contract suites: the tests your adapters must pass, shipped as pytest classes.

ecomkit's services rely on what each [port][ecomkit.ports] promises (atomic commits,
optimistic versions, the right errors). These suites check a host's adapter against those
promises, the way ecomkit checks its own reference adapters. They need the ``testing``
extra (pytest and Hypothesis).

To run the storage suites, subclass and override one fixture, ``make_uow``: it returns a
callable that makes a new unit of work on storage that is fresh and empty for each test::

    import pytest
    from ecomkit.testing.contracts import AdapterContract, EventLogContract

    class TestMyStorage(AdapterContract, EventLogContract):
        @pytest.fixture
        def make_uow(self, tmp_path):
            db = MyDatabase(tmp_path / "shop.db")
            yield lambda: MyUnitOfWork(db)
            db.close()

Each suite is a class whose name ends in ``Contract``, so pytest collects only your
``Test...`` subclass:

- [`OrderRepositoryContract`][ecomkit.testing.contracts.OrderRepositoryContract],
  [`ReturnRepositoryContract`][ecomkit.testing.contracts.ReturnRepositoryContract] and
  [`ProductRepositoryContract`][ecomkit.testing.contracts.ProductRepositoryContract]:
  aggregates read back equal (with Hypothesis over ecomkit's own strategies), unknown ids
  raise the right not-found error, stale updates and duplicate adds raise
  ``VersionConflictError`` and store nothing, a unit sees its own changes and no one
  else's, bad input raises typed errors.
- [`UnitOfWorkContract`][ecomkit.testing.contracts.UnitOfWorkContract]: all-or-nothing
  commits across kinds, rollback (explicit, on exception, by leaving the block), reuse
  after a block, misuse raising ``UnitOfWorkError`` (outside a block, entered twice,
  another thread), and racing threads losing no update.
- [`AdapterContract`][ecomkit.testing.contracts.AdapterContract]: all of the above in one
  class.
- [`EventLogContract`][ecomkit.testing.contracts.EventLogContract]: for adapters that keep
  an event log with an ``events(after=, limit=)`` method like ecomkit's
  ([`StoredEvent`][ecomkit.adapters.StoredEvent] records, positions 1, 2, 3 ... in commit
  order). It is not part of the port, so it is not in ``AdapterContract``.
- [`PaymentGatewayContract`][ecomkit.testing.contracts.PaymentGatewayContract] and
  [`CarrierContract`][ecomkit.testing.contracts.CarrierContract]: the provider ports,
  each with its own fixture to override (``gateway``, ``carrier``); see their pages.
"""

import pytest


# Rewrite the suites' asserts so a failing contract reports the values it compared.
pytest.register_assert_rewrite(
    "ecomkit.testing.contracts._providers",
    "ecomkit.testing.contracts._repositories",
    "ecomkit.testing.contracts._storage",
    "ecomkit.testing.contracts._unit",
)

from ecomkit.testing.contracts._providers import (  # noqa: E402 - after the rewrite hook
    CarrierContract,
    PaymentGatewayContract,
)
from ecomkit.testing.contracts._repositories import (  # noqa: E402 - after the rewrite hook
    OrderRepositoryContract,
    ProductRepositoryContract,
    ReturnRepositoryContract,
)
from ecomkit.testing.contracts._unit import (  # noqa: E402 - after the rewrite hook
    AdapterContract,
    EventLogContract,
    UnitOfWorkContract,
)


__all__ = [
    "AdapterContract",
    "CarrierContract",
    "EventLogContract",
    "OrderRepositoryContract",
    "PaymentGatewayContract",
    "ProductRepositoryContract",
    "ReturnRepositoryContract",
    "UnitOfWorkContract",
]
