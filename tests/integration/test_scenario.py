"""One application scenario, run on the embedded SQLite store and on PostgreSQL."""

from uuid import uuid4

import pytest

from services.kernel import context
from services.kernel.domain import ConflictError, DomainError, NotFoundError
from services.kernel.store import PreconditionFailedError
from services.kernel.views import lag
from services.trajectories.caseload import CaseloadView
from services.trajectories.domainmodel import Trajectory


def test_trajectory_lifecycle_and_read_models(any_platform, any_orgs):
    platform = any_platform
    org = any_orgs.create("De Brug")
    anna = any_orgs.member(org, "jobcoach", "Anna")
    bram = any_orgs.member(org, "jobcoach", "Bram")

    members = {m["name"]: m["role"] for m in platform.directory.members(org.id)}
    assert members == {"Anna": "jobcoach", "Bram": "jobcoach"}

    app = platform.trajectories(org.id)
    client = app.register_client({"name": "Cliënt"})
    with context.acting(org.id, f"user:{anna.id}", "start-1"):
        trajectory = app.start_trajectory(client.id, "UWV", anna.id)
    with context.acting(org.id, f"user:{anna.id}", "handover-1"):
        app.reassign(
            trajectory.id, bram.id, "Anna met verlof; Bram kent de werkgever", expected_version=1
        )

    stored = list(app.events.get(trajectory.id))
    assert [type(e).__name__ for e in stored] == ["Created", "Reassigned"]
    assert {e.org_id for e in stored} == {org.id}
    assert [e.idempotency_key for e in stored] == ["start-1", "handover-1"]

    caseload = platform.view(CaseloadView, org.id)
    assert lag(caseload) == 0  # kicked inline after each command
    assert [row["jobcoach_id"] for row in caseload.open_trajectories()] == [str(bram.id)]
    assert caseload.open_trajectories(anna.id) == []

    with pytest.raises(PreconditionFailedError):
        app.reassign(trajectory.id, anna.id, "Terug naar Anna na haar verlof", expected_version=1)
    with pytest.raises(NotFoundError):
        app.trajectory(uuid4())
    with pytest.raises(NotFoundError):  # an id of another kind of aggregate is not found
        app.load(trajectory.id, type("Other", (Trajectory,), {}))


def _lose_answer_after_commit(app):
    """What the library does when a connection dies after COMMIT: it retries the insert,
    which then hits its own committed rows (ARCHITECTURE.md decision 4, measured)."""
    original = app.recorder.insert_events

    def commit_then_retry(stored_events, **kwargs):
        original(stored_events, **kwargs)
        app.recorder.insert_events = original  # only once
        return original(stored_events, **kwargs)

    app.recorder.insert_events = commit_then_retry


def test_command_retried_after_a_dropped_connection_succeeds_once(any_platform, any_orgs):
    org = any_orgs.create()
    a, b = any_orgs.member(org, "jobcoach"), any_orgs.member(org, "jobcoach")
    app = any_platform.trajectories(org.id)
    client_id = app.register_client({"name": "Cliënt"}).id
    with context.acting(org.id, "user:x", "create-1"):
        _lose_answer_after_commit(app)
        trajectory = app.start_trajectory(client_id, "UWV", a.id)
        again = app.start_trajectory(client_id, "UWV", a.id)  # the client re-sends it
    assert again.id == trajectory.id
    with context.acting(org.id, "user:x", "handover-1"):
        _lose_answer_after_commit(app)
        app.reassign(trajectory.id, b.id, "Overdracht met een verloren antwoord")
        app.reassign(trajectory.id, b.id, "Overdracht met een verloren antwoord")
    assert [e.idempotency_key for e in app.events.get(trajectory.id)] == ["create-1", "handover-1"]


def test_without_a_key_a_lost_answer_is_a_conflict_not_a_duplicate(any_platform, any_orgs):
    org = any_orgs.create()
    a, b = any_orgs.member(org, "jobcoach"), any_orgs.member(org, "jobcoach")
    app = any_platform.trajectories(org.id)
    trajectory = app.start_trajectory(app.register_client({"name": "Cliënt"}).id, "UWV", a.id)
    _lose_answer_after_commit(app)
    with pytest.raises(ConflictError):
        app.reassign(trajectory.id, b.id, "Overdracht zonder sleutel")
    assert app.trajectory(trajectory.id).version == 2  # landed exactly once


def test_snapshots_keep_long_histories_fast(any_platform, any_orgs):
    org = any_orgs.create()
    a, b = any_orgs.member(org, "jobcoach"), any_orgs.member(org, "jobcoach")
    app = any_platform.trajectories(org.id)
    trajectory = app.start_trajectory(app.register_client({"name": "Cliënt"}).id, "UWV", a.id)
    for i in range(60):
        app.reassign(trajectory.id, b.id if i % 2 == 0 else a.id, f"Overdracht nummer {i:03d}")
    snapshots = list(app.snapshots.get(trajectory.id))
    assert [s.originator_version for s in snapshots] == [20, 40, 60]
    assert app.trajectory(trajectory.id).version == 61


def test_domain_refusals_lose_nothing(any_platform, any_orgs):
    org = any_orgs.create()
    coach = any_orgs.member(org, "jobcoach")
    app = any_platform.trajectories(org.id)
    trajectory = app.start_trajectory(app.register_client({"name": "Cliënt"}).id, "UWV", coach.id)
    with pytest.raises(DomainError):
        app.reassign(trajectory.id, coach.id, "Zelfde jobcoach, dus geweigerd")
    assert app.trajectory(trajectory.id).version == 1
