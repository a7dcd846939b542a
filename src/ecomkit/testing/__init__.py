"""Helpers for testing code that uses ecomkit: fakes for the ports, stable and explicit.

- [`FixedClock`][ecomkit.testing.FixedClock] is a [`Clock`][ecomkit.time.Clock] that stays
  at the instant a test sets and moves only when told to.
- [`FakePaymentGateway`][ecomkit.testing.FakePaymentGateway] is a
  [`PaymentGateway`][ecomkit.ports.PaymentGateway] with a ledger per payment, idempotency
  keys honoured like a real provider's, and scripted declines and outages (including "the
  provider did it but the answer was lost"). It records every call as a
  [`GatewayCall`][ecomkit.testing.GatewayCall] and every payment's amounts as a
  [`PaymentLedger`][ecomkit.testing.PaymentLedger].
- [`FakeCarrier`][ecomkit.testing.FakeCarrier] is a [`Carrier`][ecomkit.ports.Carrier]
  with deterministic tracking numbers, tracking updates scripted by the test, and the same
  kinds of scripted faults. It records [`CarrierCall`][ecomkit.testing.CarrierCall]s and
  [`BookedShipment`][ecomkit.testing.BookedShipment]s.
- [`RecordingNotifier`][ecomkit.testing.RecordingNotifier] and
  [`RecordingPublisher`][ecomkit.testing.RecordingPublisher] keep what services hand to
  the [`Notifier`][ecomkit.ports.Notifier] and
  [`EventPublisher`][ecomkit.ports.EventPublisher] ports.
- [`CallOutcome`][ecomkit.testing.CallOutcome] says how a fake provider answered a call.

Every fake is deterministic and thread-safe, and refuses bad input with the same typed
[errors][ecomkit.errors] as the rest of ecomkit.

Importing this package does not import Hypothesis or pytest; the strategies live in
``ecomkit.testing.strategies`` and need the ``testing`` extra, and the contract suites
for host adapters in ``ecomkit.testing.contracts`` need pytest.
"""

from ecomkit.testing._carrier import BookedShipment, CarrierCall, FakeCarrier
from ecomkit.testing._clock import FixedClock
from ecomkit.testing._fakes import CallOutcome
from ecomkit.testing._payments import FakePaymentGateway, GatewayCall, PaymentLedger
from ecomkit.testing._recording import RecordingNotifier, RecordingPublisher


__all__ = [
    "BookedShipment",
    "CallOutcome",
    "CarrierCall",
    "FakeCarrier",
    "FakePaymentGateway",
    "FixedClock",
    "GatewayCall",
    "PaymentLedger",
    "RecordingNotifier",
    "RecordingPublisher",
]
