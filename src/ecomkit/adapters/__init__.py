"""Reference adapters: the ports implemented in memory and on SQLite.

- [`ecomkit.adapters.memory`][ecomkit.adapters.memory] keeps everything in process memory,
  behind a lock. It is correct, not a toy: it raises the errors a real adapter must raise,
  which makes it the adapter of choice for unit tests and notebooks.
- [`ecomkit.adapters.sqlite`][ecomkit.adapters.sqlite] keeps aggregates as JSON documents
  in a SQLite file with an append-only event log, using only the standard library. It is
  the embedded default for prototypes, notebooks and the demo, and safe for several
  threads and processes on one machine.

Both pass the contract suites in
[`ecomkit.testing.contracts`][ecomkit.testing.contracts], which a host runs against its
own adapters as well. Both also keep a log of every committed domain event, read back as
[`StoredEvent`][ecomkit.adapters.StoredEvent] records.
"""

from ecomkit.adapters._log import EventStream, StoredEvent


__all__ = ["EventStream", "StoredEvent"]
