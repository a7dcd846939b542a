"""The shipped provider contract suites, run against the testing kit's fakes."""

from __future__ import annotations

import os
import subprocess
import sys

import pendulum
import pytest

from ecomkit.money import Money
from ecomkit.orders import Address
from ecomkit.testing import FakeCarrier, FakePaymentGateway, FixedClock
from ecomkit.testing.contracts import CarrierContract, PaymentGatewayContract


class TestFakePaymentGateway(PaymentGatewayContract):
    @pytest.fixture
    def gateway(self):
        return FakePaymentGateway()


class TestFakePaymentGatewayInYen(PaymentGatewayContract):
    @pytest.fixture
    def gateway(self):
        return FakePaymentGateway(provider="yen-gateway")

    @pytest.fixture
    def amount(self):
        return Money(1500, "JPY")

    @pytest.fixture
    def tender(self):
        return "konbini"


class TestFakeCarrier(CarrierContract):
    @pytest.fixture
    def carrier(self):
        return FakeCarrier()


class TestFakeCarrierWithAddressAndTracking(CarrierContract):
    @pytest.fixture
    def carrier(self):
        # With a clock, every label starts with a LABEL_CREATED update.
        return FakeCarrier(clock=FixedClock(pendulum.datetime(2024, 5, 2, 9, tz="UTC")))

    @pytest.fixture
    def address(self):
        return Address(
            name="Ada Lovelace",
            line1="Marszałkowska 1",
            city="Warszawa",
            postal_code="00-001",
            country_code="PL",
        )


SUITE_WITHOUT_FIXTURES = """
from ecomkit.testing.contracts import CarrierContract, PaymentGatewayContract

class TestNoGateway(PaymentGatewayContract):
    pass

class TestNoCarrier(CarrierContract):
    pass
"""


def test_a_suite_without_its_fixture_says_to_override_it(tmp_path):
    (tmp_path / "test_host.py").write_text(SUITE_WITHOUT_FIXTURES, encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - this interpreter on a file the test wrote
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "--rootdir", str(tmp_path), "-c", os.devnull,
            "-k", "answers_the_asked_amount or answers_a_label",
            str(tmp_path),
        ],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert "2 errors" in result.stdout, result.stdout
    assert "override the gateway fixture in your subclass" in result.stdout
    assert "override the carrier fixture in your subclass" in result.stdout
