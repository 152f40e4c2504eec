"""The pool pings only connections idle for a while (services/kernel/pools.py), so the
command path of a busy trajectory store has no ping; a connection that died anyway is
answered by a fresh one. Only the backends of this test's own pool are terminated."""

import time
from datetime import date

import pytest
from eventsourcing.persistence import OperationalError

from services.kernel import context, provision
from services.kernel.pools import PING_IF_IDLE_SECONDS


def _terminate(settings, pid):
    with provision.connect_owner(settings) as owner:
        owner.execute("SELECT pg_terminate_backend(%s)", (pid,))
    time.sleep(0.2)  # the backend is gone before the next statement


def test_idle_connections_are_pinged_recent_ones_are_not_and_commands_recover(
    pg_platform, pg_orgs
):
    org = pg_orgs.create()
    coach = pg_orgs.member(org, "jobcoach")
    app = pg_platform.trajectories(org.id)
    with context.acting(org.id, f"user:{coach.id}"):
        client = app.register_client({"name": "Jan"})
        trajectory = app.start_trajectory(client.id, "UWV", coach.id)
    datastore = app.recorder.datastore

    # A connection idle for longer than the threshold is pinged: a dead one is replaced.
    with datastore.get_connection() as conn:
        pid = conn.info.backend_pid
    conn._jobtrail_checked_out_at = time.monotonic() - PING_IF_IDLE_SECONDS - 1
    _terminate(pg_platform.settings, pid)
    for _ in range(datastore.pool.max_size):  # whichever connection the pool hands out
        with datastore.get_connection() as conn:
            assert conn.execute("SELECT 1 AS one").fetchone()["one"] == 1
            assert conn.info.backend_pid != pid

    # Connections used a moment ago are not pinged (no round trip on the command path):
    # killed now, the next statement fails...
    pool = datastore.pool
    held = [pool.getconn() for _ in range(max(1, pool.get_stats()["pool_available"]))]
    pids = [conn.info.backend_pid for conn in held]
    for conn in held:
        pool.putconn(conn)
    for pid in pids:
        _terminate(pg_platform.settings, pid)
    with pytest.raises(OperationalError), datastore.get_connection() as conn:
        conn.execute("SELECT 1")
    # ...and a command on a dead connection is retried on a fresh one.
    held = [pool.getconn() for _ in range(max(1, pool.get_stats()["pool_available"]))]
    for conn in held:
        pool.putconn(conn)
        _terminate(pg_platform.settings, conn.info.backend_pid)
    with context.acting(org.id, f"user:{coach.id}"):
        app.record_step(trajectory.id, "final_report", {
            "written_on": date.today(), "placement_process": "p", "coaching_report": "c",
            "results": "r", "support_handover": "s"})
    assert app.trajectory(trajectory.id).current("final_report") is not None
