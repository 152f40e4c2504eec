"""Event state is encrypted at rest with the library's cipher (key from settings)."""

from uuid import uuid4

import psycopg
from psycopg import sql

from services.kernel.store import schema_for
from services.trajectories.caseload import CaseloadView


def test_stored_event_state_is_ciphertext(pg_platform, pg_orgs):
    org = pg_orgs.create()
    coach = pg_orgs.member(org, "jobcoach")
    canary = f"Opdrachtgever-canary-{uuid4().hex[:8]}"
    app = pg_platform.trajectories(org.id)
    app.start_trajectory(app.register_client({"name": "Cliënt"}).id, canary, coach.id)
    with psycopg.connect(pg_platform.settings.database_url) as conn:
        states = conn.execute(
            sql.SQL("SELECT state FROM {}").format(
                sql.Identifier(schema_for(org.id), "trajectories_events")
            )
        ).fetchall()
    assert states
    assert all(canary.encode() not in bytes(state) for (state,) in states)
    assert all(b"commissioner" not in bytes(state) for (state,) in states)
    # and the application reads it back through the same cipher
    (row,) = pg_platform.view(CaseloadView, org.id).open_trajectories()
    assert row["commissioner"] == canary
