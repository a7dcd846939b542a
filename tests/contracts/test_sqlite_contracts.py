"""The shipped storage contract suites, run against the SQLite reference adapter."""

from __future__ import annotations

import pytest

from ecomkit.adapters.sqlite import SqliteUnitOfWork
from ecomkit.testing.contracts import AdapterContract, EventLogContract


class TestSqliteAdapter(AdapterContract, EventLogContract):
    @pytest.fixture
    def make_uow(self, tmp_path):
        units = []

        def make():
            uow = SqliteUnitOfWork(tmp_path / "shop.db")
            units.append(uow)
            return uow

        yield make
        for uow in units:
            uow.close()
