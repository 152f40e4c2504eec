"""Event-store configuration: one eventsourcing Application per (context, organisation).

PostgreSQL: each organisation has its own schema `org_<uuid hex>`, platform-wide
aggregates live in schema `platform`; the app connects as a non-owner role and
never creates tables (ARCHITECTURE.md decision 9). SQLite (the embedded default):
one file per (organisation, context), because the library's SQLite table names
do not carry the application name.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError
from psycopg.conninfo import conninfo_to_dict

from services.kernel import context
from services.kernel.domain import ConflictError, NotFoundError, StampedAggregate
from services.kernel.settings import Settings

PLATFORM_SCHEMA = "platform"


class PreconditionFailedError(ConflictError):
    """The caller's If-Match version is not the aggregate's current version."""


def schema_for(org_id: UUID | None, platform_schema: str = PLATFORM_SCHEMA) -> str:
    return platform_schema if org_id is None else f"org_{org_id.hex}"


def postgres_params(url: str) -> dict[str, str]:
    info = conninfo_to_dict(url)
    return {
        "host": str(info.get("host") or "127.0.0.1"),
        "port": str(info.get("port") or "5432"),
        "dbname": str(info.get("dbname") or "postgres"),
        "user": str(info.get("user") or "postgres"),
        "password": str(info.get("password") or ""),
    }


def event_store_env(
    settings: Settings, app_name: str, org_id: UUID | None, *, provisioning: bool = False
) -> dict[str, str]:
    """The eventsourcing environment for one application of one organisation.

    `provisioning` connects as the database owner and creates tables; everything
    else connects as the app role with CREATE_TABLE=n.
    """
    env = {
        # AES-GCM through `cryptography`: same stored format as the pycryptodome cipher,
        # ~25x faster to decrypt (bench/event_store.py, other_cipher figures).
        "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
        "CIPHER_KEY": settings.cipher_key,
        "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
        "CREATE_TABLE": "y" if provisioning else "n",
    }
    if settings.is_postgres:
        params = postgres_params(settings.database_url)
        if not provisioning:
            params["user"] = settings.app_db_role
            params["password"] = settings.app_db_password
        env.update(
            PERSISTENCE_MODULE="services.kernel.pools:SharedPostgresFactory",
            POSTGRES_HOST=params["host"],
            POSTGRES_PORT=params["port"],
            POSTGRES_DBNAME=params["dbname"],
            POSTGRES_USER=params["user"],
            POSTGRES_PASSWORD=params["password"],
            POSTGRES_SCHEMA=schema_for(org_id, settings.platform_schema),
            POSTGRES_POOL_SIZE=str(settings.pool_size),
            POSTGRES_MAX_OVERFLOW="4",
            POSTGRES_PRE_PING="y",
            POSTGRES_LOCK_TIMEOUT="5",
        )
    else:
        directory = settings.sqlite_dir / schema_for(org_id)
        directory.mkdir(parents=True, exist_ok=True)
        env.update(
            PERSISTENCE_MODULE="eventsourcing.sqlite",
            SQLITE_DBNAME=str(directory / f"{app_name.lower()}.sqlite"),
            SQLITE_LOCK_TIMEOUT="10",
            # SQLite has no concurrent CREATE race; the embedded store creates on demand.
            CREATE_TABLE="y",
        )
    return env


A = TypeVar("A", bound=StampedAggregate)


class TenantApplication(Application[UUID]):
    """An Application bound to one organisation (or to the platform when org_id is None)."""

    # Subclasses whose aggregates grow long set the library's `snapshotting_intervals`.

    def __init__(
        self, settings: Settings, org_id: UUID | None, *, provisioning: bool = False
    ) -> None:
        self.settings = settings
        self.org_id = org_id
        super().__init__(
            env=event_store_env(settings, self.name, org_id, provisioning=provisioning)
        )

    on_recorded: Callable[[TenantApplication], None] | None = None

    def notify(self, new_events: Any) -> None:
        """Called by the library after every successful save."""
        super().notify(new_events)
        if self.on_recorded is not None and new_events:
            self.on_recorded(self)

    def load(self, aggregate_id: UUID, kind: type[A]) -> A:
        """Get an aggregate of this organisation; anything else is simply not found."""
        try:
            aggregate = self.repository.get(aggregate_id)
        except Exception as error:  # AggregateNotFoundError, or a malformed id
            if type(error).__name__ == "AggregateNotFoundError":
                raise NotFoundError("%(kind)s niet gevonden", kind=kind.__name__) from None
            raise
        if not isinstance(aggregate, kind):
            raise NotFoundError("%(kind)s niet gevonden", kind=kind.__name__)
        return aggregate

    def create(self, aggregate: A) -> A:
        """Save a new aggregate; a retried creation with the same key answers the original."""
        try:
            self.save(aggregate)
        except IntegrityError:
            existing = self.repository.get(aggregate.id)
            if existing.has_seen(context.current().idempotency_key):
                return existing
            raise ConflictError("Dit bestaat al") from None
        return aggregate

    def update(
        self,
        aggregate_id: UUID,
        kind: type[A],
        command: Any,
        *,
        expected_version: int | None = None,
    ) -> A:
        """Load, run `command(aggregate)`, save; idempotent per key, optimistic per version.

        The library retries a write whose connection died after COMMIT and then
        raises IntegrityError although the write landed (ARCHITECTURE.md decision 4),
        so IntegrityError is answered by reloading and looking for our key.
        """
        key = context.current().idempotency_key
        aggregate = self.load(aggregate_id, kind)
        if aggregate.has_seen(key):
            return aggregate
        if expected_version is not None and aggregate.version != expected_version:
            raise PreconditionFailedError(
                "Dit is intussen gewijzigd: de huidige versie is %(current)s, niet %(expected)s."
                " Laad opnieuw en probeer het nog eens.",
                current=aggregate.version, expected=expected_version,
            )
        command(aggregate)
        try:
            self.save(aggregate)
        except IntegrityError:
            fresh = self.load(aggregate_id, kind)
            if fresh.has_seen(key):
                return fresh
            raise ConflictError(
                "Iemand anders heeft dit tegelijk gewijzigd. Laad opnieuw en probeer het nog eens."
            ) from None
        return aggregate


T = TypeVar("T", bound=TenantApplication)


class Applications:
    """Caches one application instance per (class, organisation), closing the least used.

    Each instance holds a small connection pool, so the cache is bounded.
    """

    def __init__(
        self,
        settings: Settings,
        max_size: int = 512,
        on_recorded: Callable[[TenantApplication], None] | None = None,
    ) -> None:
        self.settings = settings
        self.max_size = max_size
        self.on_recorded = on_recorded
        self._apps: OrderedDict[tuple[type, UUID | None], TenantApplication] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, app_class: type[T], org_id: UUID | None = None) -> T:
        key = (app_class, org_id)
        with self._lock:
            app = self._apps.get(key)
            if app is None:
                app = app_class(self.settings, org_id)
                app.on_recorded = self.on_recorded
                self._apps[key] = app
                while len(self._apps) > self.max_size:
                    _, oldest = self._apps.popitem(last=False)
                    oldest.close()
            self._apps.move_to_end(key)
            return app  # type: ignore[return-value]

    def close(self) -> None:
        with self._lock:
            for app in self._apps.values():
                app.close()
            self._apps.clear()
