"""Helpers for testing code that uses ecomkit: fakes for the ports, stable and explicit.

- [`FixedClock`][ecomkit.testing.FixedClock] is a [`Clock`][ecomkit.time.Clock] that stays
  at the instant a test sets and moves only when told to.

Importing this package does not import Hypothesis; the strategies live in
``ecomkit.testing.strategies`` and need the ``testing`` extra.
"""

from ecomkit.testing._clock import FixedClock


__all__ = ["FixedClock"]
