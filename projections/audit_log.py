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
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from eventsourcing.persistence import IntegrityError, Tracking

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


class AuditTrailView(View):
    """Appends raw notifications of one application to the organisation's audit tree."""

    name = "audit_log"  # shared by every application's subclass: one tree, one tracking table
    raw = True
    # Larger batches than other views: per batch the head is locked, read and rewritten and
    # a transaction committed; 5,000 records (~2 MB of states) keep that cost small.
    batch_size = 5000
    # Sign a checkpoint automatically whenever this many leaves were added since the last
    # one; `jobtrail audit checkpoint` signs the tail on demand (cron it hourly).
    checkpoint_interval: ClassVar[int] = 1000
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}audit_leaves ("
        " leaf_index BIGINT PRIMARY KEY, app TEXT NOT NULL, notification_id BIGINT NOT NULL,"
        " originator_id TEXT NOT NULL, originator_version BIGINT NOT NULL, topic TEXT NOT NULL,"
        " leaf_hash TEXT NOT NULL, appended_at TEXT NOT NULL, UNIQUE (app, notification_id))",
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
        super().create_tables()
        with self.rows() as rows:
            rows.execute(
                "INSERT INTO {t}audit_head VALUES (1, 0, %s) ON CONFLICT (id) DO NOTHING",
                (EMPTY_STATE,),
            )

    def clear(self) -> None:
        """The audit log is append-only evidence: a rebuild keeps it as it is."""
        log.info("audit log of %s is not rebuilt (append-only)", self.app.org_id)

    def apply_batch(self, events: Sequence[Any], tracking: Tracking) -> bool:
        # Hash before taking the head lock: only the carry into the tree needs the head.
        originators = [str(n.originator_id) for n in events]
        digests = record.leaf_hashes(
            self.app.name,
            (
                (n.id, originator, n.originator_version, n.topic, n.state)
                for n, originator in zip(events, originators, strict=True)
            ),
        )
        try:
            with self.datastore.transaction(commit=True) as cursor:
                rows = Rows(cursor, self.prefix, self.postgres)
                size, compact = lock_head(rows)
                if events:
                    compact.extend(digests)
                    self._insert_leaves(cursor, size, events, originators, digests)
                    rows.execute(
                        "UPDATE {t}audit_head SET tree_size = %s, compact = %s WHERE id = 1",
                        (compact.size, json.dumps(compact.to_state())),
                    )
                self.tracking._insert_tracking(cursor, tracking)  # noqa: SLF001
                if events and compact.size - last_checkpoint_size(rows) >= self.checkpoint_interval:
                    insert_checkpoint(rows, self.signer(), compact)
        except IntegrityError:
            return False
        return True

    def _insert_leaves(
        self,
        cursor: Any,
        size: int,
        events: Sequence[Any],
        originators: list[str],
        digests: list[bytes],
    ) -> None:
        """One statement per batch. PostgreSQL: INSERT … SELECT FROM unnest(arrays), the
        arrays sent in binary (%b: no per-element quoting), about as fast as COPY, which
        row-level security (the leaves are append-only) does not allow."""
        appended_at = datetime.now(UTC).isoformat()
        hexes = [digest.hex() for digest in digests]
        if self.postgres:
            cursor.execute(
                f"INSERT INTO {self.prefix}audit_leaves (leaf_index, app, notification_id,"
                " originator_id, originator_version, topic, leaf_hash, appended_at)"
                " SELECT size + ord - 1, %s, n, o, v, t, h, %s FROM unnest("
                "%b::bigint[], %b::text[], %b::bigint[], %b::text[], %b::text[])"
                " WITH ORDINALITY AS u(n, o, v, t, h, ord), (SELECT %s::bigint AS size) s",
                (
                    self.app.name,
                    appended_at,
                    [n.id for n in events],
                    originators,
                    [n.originator_version for n in events],
                    [n.topic for n in events],
                    hexes,
                    size,
                ),
            )
        else:
            name = self.app.name
            cursor.executemany(
                "INSERT INTO audit_leaves VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (size + i, name, n.id, o, n.originator_version, n.topic, h, appended_at)
                    for i, (n, o, h) in enumerate(zip(events, originators, hexes, strict=True))
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
            bytes.fromhex(_first(row))
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
        return self.records(LEAF_COLUMNS, statement, (*params, limit))

    def leaf(self, leaf_index: int) -> dict[str, Any] | None:
        found = self.records(
            LEAF_COLUMNS,
            f"SELECT {', '.join(LEAF_COLUMNS)} FROM {{t}}audit_leaves WHERE leaf_index = %s",
            (leaf_index,),
        )
        return found[0] if found else None

    def leaf_of(self, app: str, notification_id: int) -> dict[str, Any] | None:
        found = self.records(
            LEAF_COLUMNS,
            f"SELECT {', '.join(LEAF_COLUMNS)} FROM {{t}}audit_leaves"
            " WHERE app = %s AND notification_id = %s",
            (app, notification_id),
        )
        return found[0] if found else None

    def all_leaves(self) -> list[tuple[int, str, int, str]]:
        """(leaf_index, app, notification_id, leaf_hash) in leaf order, for verification."""
        return [
            tuple(row.values()) if isinstance(row, dict) else tuple(row)
            for row in self.query(
                "SELECT leaf_index, app, notification_id, leaf_hash FROM {t}audit_leaves"
                " ORDER BY leaf_index"
            )
        ]

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


def lock_head(rows: Rows) -> tuple[int, CompactRange]:
    """Take the head row's write lock first (PostgreSQL row lock, SQLite write lock)."""
    rows.execute("UPDATE {t}audit_head SET tree_size = tree_size WHERE id = 1")
    return read_head(rows)


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
