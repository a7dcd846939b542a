"""Shared test configuration: Hypothesis profiles.

Profiles, chosen by the ``HYPOTHESIS_PROFILE`` environment variable:

- ``dev`` (the default on a workstation): Hypothesis' usual 100 examples per law.
- ``ci`` (the default when ``CI`` is set): more examples and no per-example deadline, since
  shared CI machines have noisy timings.
- ``fast``: 10 examples per law, for a quick run while editing.
"""

from __future__ import annotations

import os

from hypothesis import settings


settings.register_profile("dev", max_examples=100)
settings.register_profile("ci", max_examples=300, deadline=None)
settings.register_profile("fast", max_examples=10)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
