"""The audit log: every stored event record of every application of an organisation,
appended as a leaf of ONE RFC 9162 Merkle tree per organisation.

Leaf order (documented for auditors in services/audit/verifier.py): leaves are appended
in the order this projection reads them. Each application of the organisation has its
own `AuditTrailView` subclass (see `for_apps`); a catch-up of one application appends
that application's new notifications in notification-id order, one batch per
transaction. Which application's batch comes first depends on when catch-ups run, so
the order is fixed the moment a leaf is written: `audit_leaves.leaf_index` records it,
and every later read (proofs, export, verification) follows that table, never the
events tables' order. The log is therefore NOT rebuildable: `clear()` keeps it.

One transaction per batch writes the leaves, the new tree head (a CompactRange) and
the application's tracking record, so a leaf is appended exactly once. The head row is
locked first, so concurrent catch-ups of two applications serialise on it and never
claim the same leaf index. The leaf itself is the canonical record of
services/audit/record.py: (application, notification id, originator id, originator
version, topic, state bytes as stored), with the state still encrypted.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Tracking
from psycopg.rows import tuple_row

from services.audit import record
from services.audit.merkle import CompactRange
from services.audit.signing import CheckpointSigner, signer_for
from services.kernel.views import Rows, View

log = logging.getLogger(__name__)

LEAF_COLUMNS = (
    "leaf_index",
    "app",
    "notification_id",
    "originator_id",
    "originator_version",
    "topic",
    "leaf_hash",
    "appended_at",
)
CHECKPOINT_COLUMNS = ("tree_size", "root", "note", "created_at")
EMPTY_STATE = json.dumps(CompactRange().to_state())
# SHA-256(0x00 || record) of services/audit/record.py, computed by PostgreSQL over a row
# `e` of an events table; %(prefix)s is record.leaf_prefix(app) (0x00, magic, the app).
# u16 lengths are the low two bytes of int4send; tests/integration/test_audit_log.py
# checks every leaf against the Python encoding. The originator id column is a UUID on
# PostgreSQL, whose text is always 36 ASCII bytes: a constant length (u16 0x0024) spares
# two of the dozen calls per row (hashing is ~1/3 of the catch-up).
LEAF_HASH_SQL = (
    "sha256(%(prefix)s::bytea || int8send(e.notification_id) || '\\x0024'::bytea"
    " || convert_to(e.originator_id::text, 'UTF8') || int8send(e.originator_version)"
    " || substring(int4send(octet_length(convert_to(e.topic, 'UTF8'))) FROM 3)"
    " || convert_to(e.topic, 'UTF8') || int4send(octet_length(e.state)) || e.state)"
)


class AuditTrailView(View):
    """Appends raw notifications of one application to the organisation's audit tree."""

    name = "audit_log"  # shared by every application's subclass: one tree, one tracking table
    raw = True
    # Larger batches than other views: per batch the head is locked, read and rewritten and
    # a transaction committed, ~10 ms a batch on PostgreSQL (bench/audit.py, 20,000 events:
    # 5,000 a batch ~200 ms, 20,000 ~170 ms). 20,000 records are ~7 MB of states read
    # (PostgreSQL keeps them: only 32-byte hashes reach Python) and ~8 MB of WAL.
    batch_size = 20_000
    # PostgreSQL, per batch transaction: memory for sorting the batch's narrow rows (id,
    # originator, topic, hash) into leaf order; the 4 MB default spills 20,000 to disk.
    sort_memory: ClassVar[str] = "16MB"
    # Sign a checkpoint automatically whenever this many leaves were added since the last
    # one; `jobtrail audit checkpoint` signs the tail on demand (cron it hourly).
    checkpoint_interval: ClassVar[int] = 1000
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}audit_leaves ("
        " leaf_index {index} PRIMARY KEY, app TEXT NOT NULL, notification_id BIGINT NOT NULL,"
        " originator_id TEXT NOT NULL, originator_version BIGINT NOT NULL, topic TEXT NOT NULL,"
        " leaf_hash {bytes} NOT NULL, appended_at TEXT NOT NULL, UNIQUE (app, notification_id))",
        "CREATE TABLE IF NOT EXISTS {t}audit_head ("
        " id INTEGER PRIMARY KEY, tree_size BIGINT NOT NULL, compact TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}audit_checkpoints ("
        " tree_size BIGINT PRIMARY KEY, root TEXT NOT NULL, note TEXT NOT NULL,"
        " created_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}audit_verifications ("
        " id TEXT PRIMARY KEY, checked_at TEXT NOT NULL, ok BOOLEAN NOT NULL,"
        " tree_size BIGINT NOT NULL, problems TEXT NOT NULL)",
        # Requirement status per month-end (services/audit/snapshots.py): kept, never changed.
        "CREATE TABLE IF NOT EXISTS {t}audit_evidence_snapshots ("
        " month_end TEXT NOT NULL, requirement TEXT NOT NULL, status TEXT NOT NULL,"
        " figures TEXT NOT NULL, source TEXT NOT NULL, computed_at TEXT NOT NULL,"
        " PRIMARY KEY (month_end, requirement))",
    )

    def create_tables(self) -> None:
        """Provisioning (as the owner): the tables, the empty head, and the migration of
        hex leaf hashes (TEXT, before 2026-11) to 32 raw bytes."""
        self.tracking.create_table()
        with self.rows() as rows:
            for statement in self.tables:
                # SQLite: INTEGER PRIMARY KEY is the rowid itself, one index fewer to write
                # (BIGINT would add a separate unique index); both hold 64-bit integers.
                rows.execute(
                    statement.replace("{bytes}", "BYTEA" if self.postgres else "BLOB")
                    .replace("{index}", "BIGINT" if self.postgres else "INTEGER")
                )
            rows.execute(
                "INSERT INTO {t}audit_head VALUES (1, 0, %s) ON CONFLICT (id) DO NOTHING",
                (EMPTY_STATE,),
            )
            migrate_hex_leaf_hashes(rows, self.postgres, self.app.recorder.datastore)

    def clear(self) -> None:
        """The audit log is append-only evidence: a rebuild keeps it as it is."""
        log.info("audit log of %s is not rebuilt (append-only)", self.app.org_id)

    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """The fast catch-up (what `projections.runtime.catch_up_view` runs for this view):
        one statement per batch straight on the events table instead of the library's
        Notification objects (see `_append_stored`). Same head/stop rule as
        services.kernel.views.catch_up: the head is read first and selection stops there,
        so no event committed meanwhile is skipped."""
        head = self.app.recorder.max_notification_id() or 0
        start = self.position() + 1
        applied = 0
        while start <= head:
            count, last = self._append_stored(start, head)
            if count >= 0:
                applied += count
                if progress:
                    progress(last - start + 1)
            start = self.position() + 1  # also right when another runner got there first
        return applied

    def apply_batch(self, events: Sequence[Any], tracking: Tracking) -> bool:
        """The generic path (services.kernel.views.catch_up hands over Notifications)."""
        rows = [
            (n.id, str(n.originator_id), n.originator_version, n.topic, n.state) for n in events
        ]
        digests = record.leaf_hashes(self.app.name, rows)
        try:
            with self.datastore.transaction(commit=True) as cursor:
                self._append(cursor, rows, digests, tracking)
        except IntegrityError:
            return False
        return True

    def _append_stored(self, start: int, head: int) -> tuple[int, int]:
        """Append the next batch of stored rows (at most `batch_size`, ids start..head);
        returns (leaves appended, or -1 when another runner won; last id covered)."""
        try:
            if self.postgres:
                return self._append_stored_postgres(start, head)
            return self._append_stored_sqlite(start, head)
        except IntegrityError:
            return -1, head

    def _append_stored_postgres(self, start: int, head: int) -> tuple[int, int]:
        """ONE INSERT … SELECT per batch: PostgreSQL reads the rows, computes each leaf
        hash (LEAF_HASH_SQL, the same bytes as services/audit/record.py) and writes the
        leaves, returning only the 32-byte hashes. The state bytes never leave the
        database; Python only carries the hashes into the tree head."""
        events = f"{self.prefix}{self.app.recorder.events_table_name}"
        stop = min(head, start + self.batch_size - 1)  # ids have gaps: batches may be smaller
        with self.datastore.get_connection() as conn, conn.transaction():
            cursor = conn.cursor(row_factory=tuple_row)
            table = Rows(cursor, self.prefix, True)
            size, compact = lock_head(table)
            cursor.execute("SELECT set_config('work_mem', %s, true)", (self.sort_memory,))
            # A range of ids, not ORDER BY … LIMIT: without statistics on a freshly loaded
            # events table the planner sorted every remaining row (to disk) per batch.
            # OFFSET 0 keeps the hashing below the window, so only narrow rows are sorted.
            # The leaves come back as ONE bytea of 32-byte hashes in leaf order: a row per
            # leaf (RETURNING) cost the client more than the whole frontier update.
            cursor.execute(
                f"WITH added AS (INSERT INTO {self.prefix}audit_leaves (leaf_index, app,"
                " notification_id, originator_id, originator_version, topic, leaf_hash,"
                " appended_at)"
                " SELECT %(size)s + row_number() OVER (ORDER BY e.notification_id) - 1,"
                " %(app)s, e.notification_id, e.o, e.originator_version, e.topic, e.h, %(at)s"
                " FROM (SELECT notification_id, originator_id::text AS o, originator_version,"
                f" topic, {LEAF_HASH_SQL} AS h FROM {events} e"
                " WHERE notification_id >= %(start)s AND notification_id <= %(stop)s"
                " OFFSET 0) e RETURNING leaf_index, leaf_hash)"
                " SELECT count(*), string_agg(leaf_hash, ''::bytea ORDER BY leaf_index)"
                " FROM added",
                {
                    "size": size,
                    "app": self.app.name,
                    "prefix": leaf_prefix(self.app.name),
                    "at": datetime.now(UTC).isoformat(),
                    "start": start,
                    "stop": stop,
                },
                binary=True,  # the hashes come back as bytes, the count as an int
            )
            count, joined = cursor.fetchone()
            if count:
                compact.extend([joined[i : i + 32] for i in range(0, len(joined), 32)])
                self._move_head(table, compact)
            self.tracking._insert_tracking(cursor, Tracking(self.app.name, stop))  # noqa: SLF001
        return count, stop

    def _append_stored_sqlite(self, start: int, head: int) -> tuple[int, int]:
        """SQLite: one plain query on the application's file (the events), hashed here
        with hashlib, then written in one transaction on the view's file."""
        recorder = self.app.recorder
        with recorder.datastore.transaction(commit=False) as events:
            events.sqlite_cursor.row_factory = None  # plain tuples: no sqlite3.Row per row
            events.execute(
                f"SELECT rowid, originator_id, originator_version, topic, state"
                f" FROM {recorder.events_table_name} WHERE rowid >= ? AND rowid <= ?"
                " ORDER BY rowid LIMIT ?",
                (start, head, self.batch_size),
            )
            found = events.fetchall()
        if recorder.datastore.originator_id_type == "uuid":
            # Stored as 32 hex digits (UUID.hex); the record holds str(UUID): hyphenated.
            rows = [
                (i, f"{o[:8]}-{o[8:12]}-{o[12:16]}-{o[16:20]}-{o[20:]}"
                 if len(o) == 32 else str(UUID(o)), v, t, s)
                for i, o, v, t, s in found
            ]
        else:
            rows = [tuple(row) for row in found]
        last = rows[-1][0] if rows else head
        digests = record.leaf_hashes(self.app.name, rows)
        with self.datastore.transaction(commit=True) as cursor:
            self._append(cursor, rows, digests, Tracking(self.app.name, last))
        return len(rows), last

    def _move_head(self, table: Rows, compact: CompactRange) -> None:
        """Store the new head, and sign a checkpoint when the interval has passed."""
        table.execute(
            "UPDATE {t}audit_head SET tree_size = %s, compact = %s WHERE id = 1",
            (compact.size, json.dumps(compact.to_state())),
        )
        if compact.size - last_checkpoint_size(table) >= self.checkpoint_interval:
            insert_checkpoint(table, self.signer(), compact)

    def _append(
        self, cursor: Any, rows: Sequence[Any], digests: list[bytes], tracking: Tracking
    ) -> None:
        """In the caller's transaction: lock the head, add the leaves, move the head and
        the tracking record, and sign a checkpoint when the interval has passed."""
        table = Rows(cursor, self.prefix, self.postgres)
        size, compact = lock_head(table)
        if rows:
            compact.extend(digests)
            self._insert_leaves(cursor, size, rows, digests)
        self.tracking._insert_tracking(cursor, tracking)  # noqa: SLF001
        if rows:
            self._move_head(table, compact)

    def _insert_leaves(
        self, cursor: Any, size: int, rows: Sequence[Any], digests: list[bytes]
    ) -> None:
        """One statement per batch; leaf hashes stored as 32 raw bytes (BYTEA/BLOB).
        PostgreSQL: INSERT … SELECT from the events table over the batch's id range, so
        only the hashes travel, as ONE bytea (no per-element array encoding), cut into
        32-byte pieces in leaf order; COPY would be faster still, but row-level security
        (the leaves are append-only) forbids it. The row count is checked, so a batch the
        events table no longer matches (tampered with meanwhile) is rolled back whole."""
        appended_at = datetime.now(UTC).isoformat()
        if self.postgres:
            cursor.execute(
                f"INSERT INTO {self.prefix}audit_leaves (leaf_index, app, notification_id,"
                " originator_id, originator_version, topic, leaf_hash, appended_at)"
                " SELECT %s + e.ord - 1, %s, e.notification_id, e.originator_id::text,"
                " e.originator_version, e.topic, substring(%b::bytea FROM e.ord::int * 32 - 31"
                " FOR 32), %s FROM (SELECT notification_id, originator_id, originator_version,"
                " topic, row_number() OVER (ORDER BY notification_id) AS ord"
                f" FROM {self.prefix}{self.app.recorder.events_table_name}"
                " WHERE notification_id >= %s AND notification_id <= %s) e ORDER BY e.ord",
                (size, self.app.name, b"".join(digests), appended_at, rows[0][0], rows[-1][0]),
            )
            if cursor.rowcount != len(rows):
                raise IntegrityError("the events table changed while the batch was read")
        else:
            name = self.app.name
            cursor.executemany(
                "INSERT INTO audit_leaves VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (size + i, name, r[0], r[1], r[2], r[3], h, appended_at)
                    for i, (r, h) in enumerate(zip(rows, digests, strict=True))
                ],
            )

    def signer(self) -> CheckpointSigner:
        return signer_for(self.app.settings, self.app.org_id)

    # Queries ---------------------------------------------------------------------------
    def head(self) -> tuple[int, CompactRange]:
        with self.rows() as rows:
            return read_head(rows)

    def leaf_hashes(self, size: int | None = None) -> list[bytes]:
        statement = "SELECT leaf_hash FROM {t}audit_leaves"
        params: tuple[int, ...] = ()
        if size is not None:
            statement += " WHERE leaf_index < %s"
            params = (size,)
        return [
            hash_bytes(_first(row))
            for row in self.query(statement + " ORDER BY leaf_index", params)
        ]

    def leaves(
        self,
        *,
        start: int = 0,
        limit: int = 50,
        app: str | None = None,
        topic: str | None = None,
        originator_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[dict[str, Any]]:
        """A page of leaves (newest last), filtered; all filters are exact or ranges."""
        clauses, params = ["leaf_index >= %s"], [start]
        for column, value in (("app", app), ("originator_id", originator_id)):
            if value:
                clauses.append(f"{column} = %s")
                params.append(value)
        if topic:
            clauses.append("topic LIKE %s")
            params.append(f"%{topic}%")
        if since:
            clauses.append("appended_at >= %s")
            params.append(since)
        if until:
            clauses.append("appended_at < %s")
            params.append(until)
        statement = (
            f"SELECT {', '.join(LEAF_COLUMNS)} FROM {{t}}audit_leaves"
            f" WHERE {' AND '.join(clauses)} ORDER BY leaf_index LIMIT %s"
        )
        return self.leaf_records(LEAF_COLUMNS, statement, (*params, limit))

    def leaf(self, leaf_index: int) -> dict[str, Any] | None:
        found = self.leaf_records(
            LEAF_COLUMNS,
            f"SELECT {', '.join(LEAF_COLUMNS)} FROM {{t}}audit_leaves WHERE leaf_index = %s",
            (leaf_index,),
        )
        return found[0] if found else None

    def leaf_of(self, app: str, notification_id: int) -> dict[str, Any] | None:
        found = self.leaf_records(
            LEAF_COLUMNS,
            f"SELECT {', '.join(LEAF_COLUMNS)} FROM {{t}}audit_leaves"
            " WHERE app = %s AND notification_id = %s",
            (app, notification_id),
        )
        return found[0] if found else None

    def all_leaves(self) -> list[tuple[int, str, int, bytes]]:
        """(leaf_index, app, notification_id, leaf_hash) in leaf order, for verification."""
        found = []
        for row in self.query(
            "SELECT leaf_index, app, notification_id, leaf_hash FROM {t}audit_leaves"
            " ORDER BY leaf_index"
        ):
            index, app, notification_id, digest = row.values() if isinstance(row, dict) else row
            found.append((index, app, notification_id, hash_bytes(digest)))
        return found

    def leaf_records(
        self, keys: Sequence[str], statement: str, params: Sequence[Any] = ()
    ) -> list[dict[str, Any]]:
        """Leaf rows as dicts, the hash as hex (what the API, pages and exports show)."""
        found = self.records(keys, statement, params)
        for item in found:
            item["leaf_hash"] = hash_bytes(item["leaf_hash"]).hex()
        return found

    def checkpoints(self) -> list[dict[str, Any]]:
        return self.records(
            CHECKPOINT_COLUMNS,
            f"SELECT {', '.join(CHECKPOINT_COLUMNS)} FROM {{t}}audit_checkpoints"
            " ORDER BY tree_size",
        )

    def checkpoint(self, tree_size: int | None = None) -> dict[str, Any] | None:
        """The checkpoint of exactly this size, or the latest one."""
        if tree_size is None:
            found = self.checkpoints()
            return found[-1] if found else None
        found = self.records(
            CHECKPOINT_COLUMNS,
            f"SELECT {', '.join(CHECKPOINT_COLUMNS)} FROM {{t}}audit_checkpoints"
            " WHERE tree_size = %s",
            (tree_size,),
        )
        return found[0] if found else None

    def sign_checkpoint(self) -> dict[str, Any] | None:
        """Sign the current head (if it moved since the last checkpoint); the latest one."""
        with self.rows() as rows:
            _, compact = lock_head(rows)
            if compact.size and compact.size != last_checkpoint_size(rows):
                insert_checkpoint(rows, self.signer(), compact)
        return self.checkpoint()

    @contextmanager
    def head_locked(self) -> Iterator[tuple[Rows, CompactRange]]:
        """A transaction holding the head's write lock (checkpoint signing, rotation)."""
        with self.rows() as rows:
            _, compact = lock_head(rows)
            yield rows, compact

    @staticmethod
    def last_checkpoint_size(rows: Rows) -> int:
        return last_checkpoint_size(rows)

    @staticmethod
    def store_checkpoint(rows: Rows, compact: CompactRange, note: str) -> None:
        """A checkpoint signed elsewhere (the rotation's transition checkpoint)."""
        rows.execute(
            "INSERT INTO {t}audit_checkpoints VALUES (%s, %s, %s, %s)",
            (compact.size, compact.root().hex(), note, datetime.now(UTC).isoformat()),
        )

    def record_verification(self, run_id: str, ok: bool, size: int, problems: list[str]) -> None:
        with self.rows() as rows:
            rows.execute(
                "INSERT INTO {t}audit_verifications VALUES (%s, %s, %s, %s, %s)",
                (run_id, datetime.now(UTC).isoformat(), ok, size, json.dumps(problems)),
            )

    def verifications(self, limit: int = 20) -> list[dict[str, Any]]:
        keys = ("id", "checked_at", "ok", "tree_size", "problems")
        found = self.records(
            keys,
            f"SELECT {', '.join(keys)} FROM {{t}}audit_verifications"
            " ORDER BY checked_at DESC LIMIT %s",
            (limit,),
        )
        for item in found:
            item["ok"] = bool(item["ok"])
            item["problems"] = json.loads(item["problems"])
        return found


def leaf_prefix(app: str) -> bytes:
    """What every leaf hash input of one application starts with (record.py): 0x00,
    the magic, the length-prefixed application name."""
    name = app.encode()
    return b"\x00" + record.MAGIC + len(name).to_bytes(2, "big") + name


def hash_bytes(value: Any) -> bytes:
    """A stored leaf hash as bytes: BYTEA/BLOB, or hex text in a log not yet migrated."""
    return bytes.fromhex(value) if isinstance(value, str) else bytes(value)


def migrate_hex_leaf_hashes(rows: Rows, postgres: bool, events_datastore: Any) -> None:
    """Leaf hashes were hex TEXT until 2026-11; now 32 raw bytes. PostgreSQL: the column
    is converted in place by the owner (ALTER … USING decode; no row is updated, so the
    append-only policies stay as they are). SQLite has no column types to convert: rows
    still holding hex are rewritten as bytes, same hash. Readers accept both anyway."""
    if postgres:
        schema = events_datastore.schema
        found = rows.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = %s"
            " AND table_name = 'audit_leaves' AND column_name = 'leaf_hash'",
            (schema,),
        ).fetchone()
        if found is not None and _first(found) == "text":
            rows.execute(
                "ALTER TABLE {t}audit_leaves ALTER COLUMN leaf_hash TYPE BYTEA"
                " USING decode(leaf_hash, 'hex')"
            )
        return
    hexed = rows.execute(
        "SELECT leaf_index, leaf_hash FROM {t}audit_leaves WHERE typeof(leaf_hash) = 'text'"
    ).fetchall()
    for index, digest in hexed:
        rows.execute(
            "UPDATE {t}audit_leaves SET leaf_hash = %s WHERE leaf_index = %s",
            (bytes.fromhex(digest), index),
        )


def lock_head(rows: Rows) -> tuple[int, CompactRange]:
    """Take the head row's write lock first (PostgreSQL row lock, SQLite write lock) and
    read it in the same statement: the value after any earlier holder's commit."""
    row = rows.execute(
        "UPDATE {t}audit_head SET tree_size = tree_size WHERE id = 1 RETURNING tree_size, compact"
    ).fetchone()
    if row is None:
        return 0, CompactRange()
    size, state = row.values() if isinstance(row, dict) else row
    return int(size), CompactRange.from_state(json.loads(state))


def read_head(rows: Rows) -> tuple[int, CompactRange]:
    row = rows.execute("SELECT tree_size, compact FROM {t}audit_head WHERE id = 1").fetchone()
    if row is None:
        return 0, CompactRange()
    size, state = row.values() if isinstance(row, dict) else row
    return int(size), CompactRange.from_state(json.loads(state))


def last_checkpoint_size(rows: Rows) -> int:
    row = rows.execute("SELECT MAX(tree_size) AS m FROM {t}audit_checkpoints").fetchone()
    value = _first(row) if row is not None else None
    return int(value or 0)


def insert_checkpoint(rows: Rows, signer: CheckpointSigner, compact: CompactRange) -> None:
    root = compact.root()
    rows.execute(
        "INSERT INTO {t}audit_checkpoints VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (tree_size) DO NOTHING",
        (compact.size, root.hex(), signer.sign(compact.size, root), datetime.now(UTC).isoformat()),
    )


def for_apps(app_classes: Iterable[type]) -> dict[type, type[AuditTrailView]]:
    """One AuditTrailView subclass per application class (views map to one app each)."""
    return {
        app_class: type(f"AuditTrail{app_class.__name__}", (AuditTrailView,), {})
        for app_class in app_classes
    }


def _first(row: Any) -> Any:
    return next(iter(row.values())) if isinstance(row, dict) else row[0]
