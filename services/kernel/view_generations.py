"""Blue/green rebuild of a read model: replay into a new generation, swap in one transaction.

Why: emptying the live tables and replaying into them shows users an empty or half-filled
view for as long as the replay runs. Instead the replay fills a fresh generation while the
live tables keep serving (and keep catching up), then ONE transaction
1. locks the live tables and their tracking table against writers (readers go on),
2. puts the new generation in their place, with the generation's tracking position,
3. applies what was committed since the replay's last batch, still in that transaction.
A live catch-up batch read before the swap then finds the position moved from where it
read it (services/kernel/views.py `BatchTracking`) and rolls back whole; the next
catch-up starts from the new generation's position. No event is lost or applied twice.
A crash before the swap leaves the live view untouched; the next rebuild first drops the
stale generation.

PostgreSQL: the generation is a shadow schema `<schema>__next` with tables of the same
names (their indexes and constraints move along and keep their names); the swap drops
the live tables and moves the shadow's in with ALTER TABLE … SET SCHEMA. DDL needs the
database owner (the app role never creates tables, ARCHITECTURE.md decision 9), so a
rebuild connects as the owner and grants the app role its usual rights afterwards.
SQLite: each view has a file of its own; the generation is a second file beside it. A
file cannot be swapped under open connections, so the swap copies the finished
generation into the live file's tables inside one write transaction (WAL: readers see
the old rows until it commits).

Views whose tables are append-only evidence (the Merkle audit log) are refused.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from psycopg import sql
from psycopg.rows import dict_row

from services.kernel.domain import DomainError
from services.kernel.provision import APPEND_ONLY_SUFFIXES
from services.kernel.views import Rows, View, catch_up

SHADOW_SUFFIX = "__next"
MIGRATION_ROW = "__migration__"  # the library's own row in every single-row tracking table
SWAP_LOCK_TIMEOUT = "30s"  # waits for running catch-up batches, which are short
SWAP_ATTEMPTS = 3

Progress = Callable[[int], None] | None


class RebuildRefusedError(DomainError):
    """This view must not be rebuilt (or not on its own)."""


def check_rebuildable(views: Sequence[View]) -> None:
    """Refuse append-only evidence, and a shared view rebuilt without all its feeders."""
    for view in views:
        evidence = [t for t in view.table_names() if t.endswith(APPEND_ONLY_SUFFIXES)]
        if evidence:
            raise RebuildRefusedError(
                "View %(view)s wordt nooit herbouwd: de tabellen %(tables)s zijn"
                " alleen-toevoegen bewijs (de Merkle-auditlog groeit alleen aan)",
                view=view.name,
                tables=", ".join(evidence),
            )
    # Tables shared by several applications (one tracking row each) are swapped whole,
    # so every application that feeds them must be replayed into the new generation.
    fed = {name for name in _tracked_apps(views[0]) if name != MIGRATION_ROW}
    missing = sorted(fed - {view.app.name for view in views})
    if missing:
        raise RebuildRefusedError(
            "View %(view)s wordt ook gevoed door %(apps)s: herbouw ze samen",
            view=views[0].name,
            apps=", ".join(missing),
        )


def rebuild_generation(views: Sequence[View], progress: Progress = None) -> int:
    """Replay every application of `views` (one view name, one store) into a new
    generation and swap it in; returns how many notifications were applied."""
    check_rebuildable(views)
    generation = _PostgresGeneration(views) if views[0].postgres else _SQLiteGeneration(views)
    try:
        generation.create()
        applied = sum(catch_up(shadow, progress=progress) for shadow in generation.shadows)
        applied += generation.swap(progress)
    except BaseException:
        with suppress(Exception):  # the live view is untouched; only tidy up
            generation.drop()
        raise
    finally:
        generation.close()
    return applied


def _tracked_apps(view: View) -> list[str]:
    rows = view.query(f"SELECT application_name FROM {{t}}{view.tracking_table}")
    return [row["application_name"] if isinstance(row, dict) else row[0] for row in rows]


def _catch_up_within(view: View, progress: Progress) -> int:
    """The events committed since the replay's last batch, applied inside the swap's
    transaction (writers are locked out, so positions are tracked here, not re-read)."""
    app = view.app
    head = app.recorder.max_notification_id() or 0
    start = _position_within(view) + 1
    applied = 0
    while start <= head:
        notifications = app.recorder.select_notifications(
            start=start, limit=view.batch_size, stop=head, topics=view.topics
        )
        last = notifications[-1].id if notifications else head
        events = (
            notifications if view.raw else [app.mapper.to_domain_event(n) for n in notifications]
        )
        if not view.apply_batch(events, Tracking(app.name, last)):
            raise RuntimeError(f"{view.name}: position moved during the swap")
        applied += len(notifications)
        if progress:
            progress(last - start + 1)
        start = last + 1
    return applied


def _position_within(view: View) -> int:
    with view.datastore.transaction(commit=False) as cursor:
        rows = Rows(cursor, view.prefix, view.postgres)
        row = rows.execute(
            f"SELECT notification_id FROM {{t}}{view.tracking_table}"
            " WHERE application_name = %s",
            (view.app.name,),
        ).fetchone()
    if row is None:
        return 0
    return int(row["notification_id"] if isinstance(row, dict) else row[0])


class _Joined:
    """A datastore stand-in running every batch on one connection: as a transaction of
    its own (PostgreSQL replay) or as a savepoint inside the swap's transaction."""

    single_row_tracking = True

    def __init__(self, conn: Any, postgres: bool, schema: str = "") -> None:
        self.conn, self.postgres, self.schema = conn, postgres, schema

    @contextmanager
    def transaction(self, *, commit: bool = True) -> Iterator[Any]:
        if self.postgres:
            with self.conn.transaction(), self.conn.cursor() as cursor:
                yield cursor
            return
        cursor = self.conn.cursor()
        cursor.execute("SAVEPOINT batch")
        try:
            yield cursor
        except BaseException:
            cursor.execute("ROLLBACK TO batch")
            cursor.execute("RELEASE batch")
            raise
        cursor.execute("RELEASE batch")

    @contextmanager
    def get_connection(self, **_: Any) -> Iterator[Any]:
        yield self.conn


def _joined(view: View, datastore: _Joined) -> View:
    """The live view, writing through the swap's transaction (a copy: the platform's own
    instance stays on its pool for other threads)."""
    joined = copy.copy(view)
    joined.datastore = datastore  # type: ignore[assignment]
    return joined


class _PostgresGeneration:
    def __init__(self, views: Sequence[View]) -> None:
        self.views = views
        self.app = views[0].app
        self.schema = views[0].datastore.schema  # type: ignore[attr-defined]
        self.shadow_schema = f"{self.schema}{SHADOW_SUFFIX}"
        self.tables = views[0].table_names()
        self.conn = psycopg.connect(
            self.app.settings.database_url, autocommit=True, row_factory=dict_row
        )
        datastore = _Joined(self.conn, True, self.shadow_schema)
        self.shadows: list[View] = []
        for view in views:
            shadow = _joined(view, datastore)
            shadow.prefix = f'"{self.shadow_schema}".'
            shadow.tracking = PostgresTrackingRecorder(
                datastore,  # type: ignore[arg-type]
                tracking_table_name=view.tracking_table,
            )
            self.shadows.append(shadow)

    def create(self) -> None:
        # One rebuild of a schema's view at a time; a second one waits here.
        self.conn.execute(
            "SELECT pg_advisory_lock(hashtext(%s))", (f"{self.shadow_schema}.{self.views[0].name}",)
        )
        shadow = sql.Identifier(self.shadow_schema)
        with self.conn.transaction():
            self.conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(shadow))
            self.conn.execute(sql.SQL("CREATE SCHEMA {}").format(shadow))
            self.conn.execute(
                sql.SQL(
                    "CREATE TABLE {} (application_name text PRIMARY KEY, notification_id bigint)"
                ).format(sql.Identifier(self.shadow_schema, self.views[0].tracking_table))
            )
            with self.conn.cursor() as cursor:
                rows = Rows(cursor, self.shadows[0].prefix, True)
                for statement in self.views[0].tables:
                    rows.execute(statement)

    def swap(self, progress: Progress) -> int:
        """Retried when a live catch-up holding one of the tables deadlocks with the lock
        (PostgreSQL aborts one of the two; the swap's DDL rolls back whole)."""
        for attempt in range(SWAP_ATTEMPTS):
            try:
                return self._swap(progress)
            except (psycopg.errors.DeadlockDetected, psycopg.errors.LockNotAvailable):
                if attempt == SWAP_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _swap(self, progress: Progress) -> int:
        live = lambda table: sql.Identifier(self.schema, table)  # noqa: E731
        tracking = self.views[0].tracking_table
        role = sql.Identifier(self.app.settings.app_db_role)
        applied = 0
        with self.conn.transaction():
            self.conn.execute(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'")
            self.conn.execute(
                sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(
                    # tracking first: a batch locks its tracking row before its tables
                    sql.SQL(", ").join(live(t) for t in [tracking, *self.tables])
                )
            )
            for table in self.tables:
                self.conn.execute(sql.SQL("DROP TABLE {}").format(live(table)))
                self.conn.execute(
                    sql.SQL("ALTER TABLE {} SET SCHEMA {}").format(
                        sql.Identifier(self.shadow_schema, table), sql.Identifier(self.schema)
                    )
                )
                self.conn.execute(
                    sql.SQL(
                        "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON {} TO {}"
                    ).format(live(table), role)
                )
            self.conn.execute(
                sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
                    sql.Identifier(self.schema), role
                )
            )
            self.conn.execute(
                sql.SQL(
                    "INSERT INTO {} (application_name, notification_id)"
                    " SELECT application_name, notification_id FROM {}"
                    " ON CONFLICT (application_name)"
                    " DO UPDATE SET notification_id = EXCLUDED.notification_id"
                ).format(live(tracking), sql.Identifier(self.shadow_schema, tracking))
            )
            self.conn.execute(
                sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(self.shadow_schema))
            )
            datastore = _Joined(self.conn, True, self.schema)
            for view in self.views:
                applied += _catch_up_within(_joined(view, datastore), progress)
        return applied

    def drop(self) -> None:
        self.conn.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(self.shadow_schema))
        )

    def close(self) -> None:
        self.conn.close()  # also releases the advisory lock


class _SQLiteGeneration:
    def __init__(self, views: Sequence[View]) -> None:
        self.views = views
        self.live_file = Path(views[0].datastore.pool.db_name)  # type: ignore[attr-defined]
        self.file = self.live_file.with_name(f"{self.live_file.stem}{SHADOW_SUFFIX}.sqlite")
        self.tables = views[0].table_names()
        self.datastore: SQLiteDatastore | None = None
        self.shadows: list[View] = []

    def create(self) -> None:
        self.drop()
        self.datastore = SQLiteDatastore(str(self.file), lock_timeout=10)
        tracking = SQLiteTrackingRecorder(self.datastore)
        tracking.create_table()
        with self.datastore.transaction(commit=True) as cursor:
            rows = Rows(cursor, "", False)
            for statement in self.views[0].tables:
                rows.execute(statement)
        for view in self.views:
            shadow = copy.copy(view)
            shadow.datastore, shadow.tracking = self.datastore, tracking
            self.shadows.append(shadow)

    def swap(self, progress: Progress) -> int:
        assert self.datastore is not None
        self.datastore.close()  # everything is written; the swap reads the file attached
        conn = sqlite3.connect(str(self.live_file), isolation_level=None, timeout=30)
        conn.row_factory = sqlite3.Row
        applied = 0
        try:
            conn.execute("ATTACH DATABASE ? AS generation", (str(self.file),))
            conn.execute("BEGIN IMMEDIATE")  # the write lock: catch-ups wait, readers go on
            try:
                for table in self.tables:
                    columns = ", ".join(
                        f'"{row["name"]}"'
                        for row in conn.execute(f'PRAGMA generation.table_info("{table}")')
                    )
                    conn.execute(f'DELETE FROM main."{table}"')
                    conn.execute(
                        f'INSERT INTO main."{table}" ({columns})'
                        f' SELECT {columns} FROM generation."{table}"'
                    )
                conn.execute(
                    "INSERT INTO main.tracking (application_name, notification_id)"
                    " SELECT application_name, notification_id FROM generation.tracking"
                    " WHERE application_name <> ? ON CONFLICT (application_name)"
                    " DO UPDATE SET notification_id = excluded.notification_id",
                    (MIGRATION_ROW,),
                )
                datastore = _Joined(conn, False)
                for view in self.views:
                    applied += _catch_up_within(_joined(view, datastore), progress)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE generation")
        finally:
            conn.close()
        self.drop()
        return applied

    def drop(self) -> None:
        if self.datastore is not None:
            self.datastore.close()
        for path in (self.file, *(Path(f"{self.file}{end}") for end in ("-wal", "-shm"))):
            path.unlink(missing_ok=True)

    def close(self) -> None:
        if self.datastore is not None:
            self.datastore.close()
