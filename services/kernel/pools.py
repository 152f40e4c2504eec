"""One PostgreSQL connection pool per (server, role, schema), shared by an organisation's
applications.

The library gives every Application its own pool; with one application per context
per organisation that multiplies connections by the number of contexts (six today),
which exhausts `max_connections` long before the number of organisations that one
server can hold. All contexts of an organisation live in one schema, so they can
share one pool. The pool closes when the last application using it closes.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from psycopg_pool import ConnectionPool

_lock = threading.Lock()
_shared: dict[tuple[Any, ...], tuple[PostgresDatastore, int]] = {}
# Pre-ping only a connection that may have gone stale: one not checked out for this long.
# A ping on every checkout was two of a command's ~8 round trips (bench/trajectories.py);
# a connection that dies within this window fails its statement, which the library's
# retry (and onetrip's fallback) answer with a fresh connection.
PING_IF_IDLE_SECONDS = 2.0


def _check_if_idle(conn: Any) -> None:
    now = time.monotonic()
    last = getattr(conn, "_jobtrail_checked_out_at", None)
    conn._jobtrail_checked_out_at = now  # noqa: SLF001 - our own mark on the connection
    if last is None or now - last > PING_IF_IDLE_SECONDS:
        ConnectionPool.check_connection(conn)


class SharedPostgresFactory(PostgresFactory):
    def __init__(self, env: Any) -> None:
        super().__init__(env)  # builds a datastore whose pool opens lazily: cheap to discard
        own = self.datastore
        kwargs = own.pool.kwargs or {}
        self._key = (
            kwargs.get("host"),
            kwargs.get("port"),
            kwargs.get("dbname"),
            kwargs.get("user"),
            own.schema,
        )
        with _lock:
            shared, users = _shared.get(self._key, (own, 0))
            _shared[self._key] = (shared, users + 1)
        if shared is not own:
            own.close()
        elif own.pre_ping:  # psycopg_pool has no public setter; the pool is not open yet
            own.pool._check = _check_if_idle  # noqa: SLF001
        self.datastore = shared

    def close(self) -> None:
        # The library closes again from Application.__del__: count each factory once.
        if self.__dict__.get("_released"):
            return
        self._released = True
        with _lock:
            shared, users = _shared.get(self._key, (self.datastore, 1))
            if users <= 1:
                _shared.pop(self._key, None)
                shared.close()
            else:
                _shared[self._key] = (shared, users - 1)
