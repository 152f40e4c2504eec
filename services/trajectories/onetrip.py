"""PostgreSQL read paths of a command with fewer round trips than the generic ones.

The library's aggregate get is two statements (the latest snapshot, then the newer
events) and SubjectKeys' key read a transaction (BEGIN, SELECT, COMMIT). Round trips are
most of a contact moment's time (bench/trajectories.py), so here: the aggregate in ONE
statement on one checkout and, when the command seals, the client's key in that same
statement, found through the caseload read model's trajectory -> client row (a
trajectory's client never changes). When that row is not there yet (a trajectory
started a moment ago, a lagging read model) or names another subject, the key is read
with one SELECT on the same checkout, as before. Same tables, same role, same row-level
security; anything unusual falls back to the generic path.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import project_aggregate
from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier

from services.kernel.personal_data import SubjectKeys


def latest(app: Any, aggregate_id: UUID, keys: SubjectKeys | None = None) -> tuple[Any, Any]:
    """(the aggregate from its latest snapshot and the events after it, or None; the key
    of its client when `keys` are given and it has one): one checkout, one or two
    statements. A command seals with that key moments later, as it would fetch it."""
    with_key = keys is not None and keys.postgres and (
        keys.datastore.schema == app.recorder.datastore.schema)
    name = "_onetrip_with_key" if with_key else "_onetrip_statement"
    statement = app.__dict__.get(name)
    if statement is None:
        statement = app.__dict__[name] = _statement(app, with_key=with_key)
    key = None
    with app.recorder.datastore.get_connection() as conn:
        rows = conn.execute(
            statement, {"id": aggregate_id, "trajectory": str(aggregate_id)}, prepare=True
        ).fetchall()
        domain_events, wrapped = [], None
        for row in rows:
            if row["kind"] == 2:  # the key row: subject id in `topic`, wrapped key in `state`
                wrapped = (row["topic"], bytes(row["state"]).decode())
                continue
            mapper = app.snapshots.mapper if row["kind"] == 0 else app.mapper
            domain_events.append(mapper.to_domain_event(StoredEvent(
                originator_id=aggregate_id, originator_version=row["originator_version"],
                topic=row["topic"], state=bytes(row["state"]),
            )))
        aggregate = project_aggregate(None, domain_events)
        subject_id = getattr(aggregate, "client_id", None)
        if keys is not None and keys.postgres and isinstance(subject_id, UUID):
            if wrapped is not None and wrapped[0] == str(subject_id):
                key = keys._unwrap_key(subject_id, wrapped[1])  # noqa: SLF001
            else:
                row = conn.execute(
                    _key_statement(keys), (str(subject_id),), prepare=True).fetchone()
                if row is not None:
                    key = keys._unwrap_key(subject_id, row["wrapped"])  # noqa: SLF001
    return aggregate, key


def _statement(app: Any, *, with_key: bool = False) -> Any:
    schema = Identifier(app.recorder.datastore.schema)
    key = (
        " UNION ALL"
        " SELECT 2 AS kind, 0, k.subject_id, convert_to(k.wrapped, 'UTF8')"
        " FROM {schema}.subject_keys k WHERE k.subject_id = (SELECT c.client_id"
        " FROM {schema}.trajectory_caseload c WHERE c.trajectory_id = %(trajectory)s)"
    ) if with_key else ""
    return SQL(
        "WITH s AS (SELECT originator_version, topic, state FROM {schema}.{snapshots}"
        " WHERE originator_id = %(id)s ORDER BY originator_version DESC LIMIT 1)"
        " SELECT 0 AS kind, originator_version, topic, state FROM s"
        " UNION ALL"
        " SELECT 1 AS kind, originator_version, topic, state FROM {schema}.{events}"
        " WHERE originator_id = %(id)s"
        " AND originator_version > COALESCE((SELECT originator_version FROM s), 0)"
        + key +
        " ORDER BY kind, originator_version"
    ).format(
        schema=schema,
        snapshots=Identifier(app.snapshots.recorder.events_table_name),
        events=Identifier(app.recorder.events_table_name),
    )


def subject_key(keys: SubjectKeys, subject_id: UUID, *, create: bool) -> bytes | None:
    """The subject's key: one SELECT on PostgreSQL; creating a missing key (and SQLite)
    goes through SubjectKeys itself."""
    if keys.postgres:
        with keys.datastore.get_connection() as conn:
            row = conn.execute(_key_statement(keys), (str(subject_id),), prepare=True).fetchone()
        if row is not None:
            return keys._unwrap_key(subject_id, row["wrapped"])  # noqa: SLF001
        if not create:
            return None
    return keys._key(subject_id, create=create)  # noqa: SLF001


def _key_statement(keys: SubjectKeys) -> Any:
    return SQL("SELECT wrapped FROM {schema}.subject_keys WHERE subject_id = %s").format(
        schema=Identifier(keys.datastore.schema)
    )
