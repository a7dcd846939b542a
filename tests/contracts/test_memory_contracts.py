"""The shipped storage contract suites, run against the in-memory reference adapter."""

from __future__ import annotations

import pytest

from ecomkit.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from ecomkit.testing.contracts import AdapterContract, EventLogContract


class TestInMemoryAdapter(AdapterContract, EventLogContract):
    @pytest.fixture
    def make_uow(self):
        store = InMemoryStore()
        return lambda: InMemoryUnitOfWork(store)
