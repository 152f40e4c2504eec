"""Blue/green rebuild of read models (services/kernel/view_generations.py), on both stores:
the live view keeps serving during the replay, a crash leaves it untouched, catch-ups
running meanwhile lose nothing, and the append-only audit log is refused."""

from datetime import date
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import OperationalError
from eventsourcing.utils import get_topic

from projections.runtime import rebuild
from services.kernel.view_generations import SHADOW_SUFFIX, RebuildRefusedError
from services.kernel.views import BatchTracking, catch_up, lag
from services.quality.complaints.application import Complaints, default_regulation
from services.trajectories.caseload import CaseloadView
from services.trajectories.domainmodel import Trajectory


def _start(app, count, first=0):
    for n in range(first, first + count):
        app.start_trajectory(app.register_client({"name": f"Cliënt {n}"}).id, "UWV", uuid4())


def _shadow_exists(view) -> bool:
    if view.postgres:
        with psycopg.connect(view.app.settings.database_url) as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_namespace WHERE nspname = %s",
                (f"{view.datastore.schema}{SHADOW_SUFFIX}",),
            ).fetchone()
        return found is not None
    return any(Path(view.datastore.pool.db_name).parent.glob(f"*{SHADOW_SUFFIX}*"))


@pytest.fixture
def caseload(any_platform, any_orgs):
    org = any_orgs.create()
    app = any_platform.trajectories(org.id)
    _start(app, 6)
    view = any_platform.view(CaseloadView, org.id)
    catch_up(view)
    view.batch_size = 2  # several batches, so the replay can be interrupted halfway
    return app, view


def test_live_view_keeps_serving_and_catching_up_during_a_rebuild(caseload):
    app, view = caseload
    seen_during = []

    def meanwhile(step):
        if not seen_during:  # halfway through the replay: users and catch-ups go on
            seen_during.append(len(view.open_trajectories()))
            _start(app, 3, first=6)
            catch_up(view)
            seen_during.append(len(view.open_trajectories()))

    applied = rebuild(view, progress=meanwhile)

    assert seen_during == [6, 9]  # never empty or partial while the replay ran
    assert len(view.open_trajectories()) == 9  # the three added meanwhile were caught up
    assert applied == 9  # six replayed, three applied inside the swap
    assert view.position() == app.recorder.max_notification_id() and lag(view) == 0
    assert not _shadow_exists(view)


def test_a_crash_halfway_leaves_the_live_view_untouched(caseload):
    app, view = caseload
    position = view.position()

    def crash(step):
        raise RuntimeError("process killed halfway")

    with pytest.raises(RuntimeError, match="halfway"):
        rebuild(view, progress=crash)

    assert len(view.open_trajectories()) == 6 and view.position() == position
    assert not _shadow_exists(view)
    assert rebuild(view) == 6 and len(view.open_trajectories()) == 6  # and it can run again


def test_a_catch_up_batch_read_before_the_swap_is_refused_after_it(caseload):
    app, view = caseload
    app.on_recorded = None  # no catch-up job after each command: this test runs them
    _start(app, 1, first=6)
    before = view.position()  # a live runner reads its position, then the swap happens
    assert rebuild(view) == 7
    _start(app, 1, first=7)  # and its batch reaches past the swapped-in position
    head = app.recorder.max_notification_id()
    stale = [
        app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(before + 1, 99)
    ]
    assert before < view.position() < head  # the library's rule alone (never backwards)
    # would accept this batch and apply the seventh trajectory's events a second time

    assert view.apply_batch(stale, BatchTracking(app.name, head, after=before)) is False
    assert before < view.position() < head
    assert catch_up(view) == 1 and len(view.open_trajectories()) == 8


def test_the_audit_log_is_never_rebuilt(any_platform, any_orgs):
    org = any_orgs.create()
    _start(any_platform.trajectories(org.id), 2)
    trail = any_platform.audit_trails(org.id)[0]
    trail.catch_up()
    leaves = trail.query("SELECT COUNT(*) FROM {t}audit_leaves")

    with pytest.raises(RebuildRefusedError, match="alleen-toevoegen"):
        rebuild(trail)

    assert trail.query("SELECT COUNT(*) FROM {t}audit_leaves") == leaves and leaves
    assert not _shadow_exists(trail)


def test_a_shared_view_is_rebuilt_with_all_its_applications(any_platform, any_orgs):
    org = any_orgs.create()
    _start(any_platform.trajectories(org.id), 2)
    any_platform.app(Complaints, org.id).adopt_regulation(default_regulation(), date(2026, 1, 1))
    actors = any_platform.audit_actors(org.id)
    for view in actors:
        catch_up(view)
    count = "SELECT COUNT(*) AS n FROM {t}audit_actors"
    rows = actors[0].records(("n",), count)[0]["n"]
    assert rows > 0

    with pytest.raises(RebuildRefusedError, match="herbouw ze samen"):
        rebuild(actors[0])  # its table also holds the complaints application's rows

    assert rebuild(actors) == rows
    assert actors[0].records(("n",), count)[0]["n"] == rows
    assert all(lag(view) == 0 for view in actors)


def test_catch_ups_racing_the_rebuild_lose_nothing(caseload):
    import threading

    app, view = caseload
    done, failures, written = threading.Event(), [], []

    def writer():  # a user and the catch-up job, all through the rebuild and its swap
        while not done.is_set():
            try:
                _start(app, 1, first=100 + len(written))
                catch_up(view)
            except Exception as error:  # locked out or deadlocked: the sweeper retries
                failures.append(error)
            written.append(1)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        rebuilds = 0
        while rebuilds < 3 or (len(written) < 20 and rebuilds < 500):
            rebuild(view)
            rebuilds += 1
    finally:
        done.set()
        thread.join(timeout=60)
    catch_up(view)  # what the sweeper does next

    started = app.recorder.max_notification_id()
    assert not [f for f in failures if not isinstance(f, OperationalError)], failures
    created = app.recorder.select_notifications(1, started, topics=[get_topic(Trajectory.Created)])
    assert len(view.open_trajectories()) == len(created)
    assert lag(view) == 0
