"""Concurrent writers to one aggregate: exactly one wins per version, nothing is lost."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from services.kernel import context
from services.kernel.domain import ConflictError

WRITERS = 8


def _race(app, org, trajectory_id, coaches, expected_version):
    barrier = Barrier(WRITERS)
    current = app.trajectory(trajectory_id).responsible_jobcoach
    targets = [c for c in coaches if c != current][:WRITERS]

    def write(i):
        with context.acting(org.id, f"user:{i}", f"race-{expected_version}-{i}"):
            barrier.wait()
            try:
                app.reassign(
                    trajectory_id,
                    targets[i],
                    f"Gelijktijdige overdracht {i}",
                    expected_version=expected_version,
                )
                return "ok"
            except ConflictError:  # 409, or 412 for a stale If-Match
                return "conflict"

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(write, range(WRITERS)))


def test_one_success_per_version(any_platform, any_orgs):
    org = any_orgs.create()
    owner = any_orgs.member(org, "jobcoach")
    others = [any_orgs.member(org, "jobcoach").id for _ in range(WRITERS + 1)]
    app = any_platform.trajectories(org.id)
    trajectory = app.start_trajectory(app.register_client({"name": "Cliënt"}).id, "UWV", owner.id)
    for version in (1, 2, 3):
        outcomes = _race(app, org, trajectory.id, others, version)
        assert outcomes.count("ok") == 1, outcomes
        assert outcomes.count("conflict") == WRITERS - 1
    events = list(app.events.get(trajectory.id))
    assert [e.originator_version for e in events] == [1, 2, 3, 4]
