"""The audit log's evidence is append-only in PostgreSQL itself, like the events: the app
role can add leaves, checkpoints, verification outcomes and month-end snapshots, but
never change or remove one; the log's own writes (the head row) still work."""

from datetime import date

import psycopg
import pytest
from psycopg import sql

from services.audit import snapshots
from services.audit.trail import AuditLog
from services.kernel import context
from services.kernel.store import postgres_params, schema_for

APPEND_ONLY = ("audit_leaves", "audit_checkpoints", "audit_verifications",
               "audit_evidence_snapshots")


def _as_app(settings):
    params = postgres_params(settings.database_url)
    return psycopg.connect(host=params["host"], port=params["port"], dbname=params["dbname"],
                           user=settings.app_db_role, password=settings.app_db_password,
                           autocommit=True)


def test_app_role_cannot_update_or_delete_a_leaf(pg_platform, pg_orgs):
    org = pg_orgs.create()
    coach = pg_orgs.member(org, "jobcoach")
    app = pg_platform.trajectories(org.id)
    with context.acting(org.id, f"user:{coach.id}"):
        for _ in range(3):
            app.start_trajectory(app.register_client({"name": "Cliënt"}).id, "UWV", coach.id)
    log = AuditLog(pg_platform, org.id)
    log.checkpoint()  # leaves, head and a checkpoint: the projection's writes work under RLS
    assert log.verify().ok  # ... and so does recording a verification
    snapshots.store(pg_platform, org.id, date(2026, 1, 31),
                    snapshots.evaluate(pg_platform, org.id, date(2026, 1, 31), live=False),
                    snapshots.RECOMPUTED)
    size, _ = log.view.head()
    assert size >= 3

    schema = schema_for(org.id)
    with _as_app(pg_platform.settings) as conn:
        for table in APPEND_ONLY:
            t = sql.Identifier(schema, table)
            before = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(t)).fetchone()[0]
            assert before > 0, table
            column = "status" if table == "audit_evidence_snapshots" else (
                "problems" if table == "audit_verifications" else "leaf_hash"
                if table == "audit_leaves" else "note")
            updated = conn.execute(sql.SQL("UPDATE {} SET {} = 'x'").format(
                t, sql.Identifier(column)))
            assert updated.rowcount == 0, table  # RLS: no row is visible to UPDATE
            for statement in ("DELETE FROM {}", "TRUNCATE {}"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(sql.SQL(statement).format(t))
            after = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(t)).fetchone()[0]
            assert after == before, table
        # the head is the log's one mutable row: it may move (the projection needs it)
        head = sql.Identifier(schema, "audit_head")
        assert conn.execute(sql.SQL("UPDATE {} SET tree_size = tree_size").format(head)).rowcount

    # nothing was changed: the log still verifies and keeps growing
    with context.acting(org.id, f"user:{coach.id}"):
        app.start_trajectory(app.register_client({"name": "Cliënt"}).id, "UWV", coach.id)
    assert log.checkpoint()["tree_size"] > size
    assert log.verify().ok
