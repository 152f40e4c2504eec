"""Create schemas, tables and the app role (PostgreSQL), with events append-only.

Run by `jobtrail orgs create` / `jobtrail db init`, as the database owner, never by
the web, worker or projection processes (ARCHITECTURE.md decision 9).

Append-only (decision 2): the library's `LOCK TABLE … IN EXCLUSIVE MODE` needs the
UPDATE privilege, so grants alone cannot forbid UPDATE. Event and snapshot tables (and
the audit log's evidence tables: APPEND_ONLY_SUFFIXES) therefore FORCE row-level security
with only SELECT and INSERT policies: an UPDATE by the app role matches no row, and
DELETE/TRUNCATE are not granted at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from uuid import UUID

import psycopg
from psycopg import sql

from services.kernel.settings import Settings
from services.kernel.store import TenantApplication, schema_for

# Also the audit log's evidence (projections/audit_log.py): its leaves, signed checkpoints,
# verification outcomes and month-end evidence snapshots are only ever inserted. The log's
# mutable head row lives in a table of its own (audit_head) and stays writable.
APPEND_ONLY_SUFFIXES = ("_events", "_snapshots", "_leaves", "_checkpoints", "_verifications")


def connect_owner(settings: Settings) -> psycopg.Connection:
    return psycopg.connect(settings.database_url, autocommit=True)


def ensure_app_role(settings: Settings) -> None:
    role = settings.app_db_role
    with connect_owner(settings) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if not exists:
            conn.execute(
                sql.SQL(
                    "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
                ).format(sql.Identifier(role))
            )
        if settings.app_db_password:
            conn.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(settings.app_db_password)
                )
            )


def provision(
    settings: Settings,
    org_id: UUID | None,
    app_classes: Iterable[type[TenantApplication]],
    pre_grant: Callable[[TenantApplication], None] = lambda app: None,
) -> None:
    """Create (idempotently) the schema of one organisation (or the platform).

    `pre_grant` runs with each application opened as owner, to create its views'
    tables before the grants are computed.
    """
    schema = schema_for(org_id, settings.platform_schema)
    if settings.is_postgres:
        ensure_app_role(settings)
        with connect_owner(settings) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    for app_class in app_classes:
        app = app_class(settings, org_id, provisioning=True)
        try:
            pre_grant(app)
        finally:
            app.close()
    if settings.is_postgres:
        with connect_owner(settings) as conn, conn.transaction():
            _grant(conn, schema, settings.app_db_role)


def _grant(conn: psycopg.Connection, schema: str, role: str) -> None:
    s, r = sql.Identifier(schema), sql.Identifier(role)
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, r))
    conn.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, r))
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)
        ).fetchall()
    ]
    for table in tables:
        t = sql.Identifier(schema, table)
        if table.endswith(APPEND_ONLY_SUFFIXES):
            conn.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(t, r))
            conn.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE ON {} TO {}").format(t, r))
            conn.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(t))
            conn.execute(sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(t))
            for name, command, clause in (
                ("append_only_select", "SELECT", "USING (true)"),
                ("append_only_insert", "INSERT", "WITH CHECK (true)"),
            ):
                conn.execute(
                    sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(sql.Identifier(name), t)
                )
                conn.execute(
                    sql.SQL("CREATE POLICY {} ON {} FOR " + command + " TO {} " + clause).format(
                        sql.Identifier(name), t, r
                    )
                )
        else:  # read models and tracking: rebuildable, so the app may rewrite them
            conn.execute(
                sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON {} TO {}").format(t, r)
            )


def drop_schema(settings: Settings, org_id: UUID | None) -> None:
    """Tests and contract-end deletion: the whole organisation is one schema."""
    with connect_owner(settings) as conn:
        conn.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                sql.Identifier(schema_for(org_id, settings.platform_schema))
            )
        )
