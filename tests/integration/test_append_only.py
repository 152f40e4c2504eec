"""Events are append-only at the database level; the app is neither superuser nor owner."""

import psycopg
import pytest
from psycopg import sql

from services.kernel.store import postgres_params, schema_for


def _as_app(settings):
    params = postgres_params(settings.database_url)
    return psycopg.connect(
        host=params["host"],
        port=params["port"],
        dbname=params["dbname"],
        user=settings.app_db_role,
        password=settings.app_db_password,
        autocommit=True,
    )


def test_app_role_cannot_rewrite_history(pg_platform, pg_orgs):
    org = pg_orgs.create()
    coach = pg_orgs.member(org, "jobcoach")
    app = pg_platform.trajectories(org.id)
    app.start_trajectory(app.register_client({"name": "Cliënt"}).id, "UWV", coach.id)
    schema = schema_for(org.id)
    with _as_app(pg_platform.settings) as conn:
        role = conn.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert role == (False, False)
        for table in ("trajectories_events", "trajectories_snapshots", "registry_events"):
            table_schema = (
                pg_platform.settings.platform_schema if table.startswith("registry") else schema
            )
            t = sql.Identifier(table_schema, table)
            owner = conn.execute(
                "SELECT tableowner FROM pg_tables WHERE schemaname = %s AND tablename = %s",
                (table_schema, table),
            ).fetchone()[0]
            assert owner != pg_platform.settings.app_db_role
            before = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(t)).fetchone()[0]
            updated = conn.execute(sql.SQL("UPDATE {} SET originator_version = 99").format(t))
            assert updated.rowcount == 0
            for statement in ("DELETE FROM {}", "TRUNCATE {}"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(sql.SQL(statement).format(t))
            after = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(t)).fetchone()[0]
            assert after == before
