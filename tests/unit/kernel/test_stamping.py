"""Every event says who acted, for which organisation, under which idempotency key."""

from uuid import uuid4

import pytest

from services.kernel import context
from services.kernel.domain import DomainError
from services.trajectories.domainmodel import Trajectory


def test_events_are_stamped_from_the_acting_context():
    org, coach, other = uuid4(), uuid4(), uuid4()
    with context.acting(org, "user:anna", "key-1"):
        trajectory = Trajectory(uuid4(), "UWV", coach)
        with context.idempotency("key-2"):
            trajectory.reassign(other, {"kid": str(other), "n": "bm9uY2U=", "c": "sealed note"})
    created, reassigned = trajectory.collect_events()
    assert (created.org_id, created.actor, created.idempotency_key) == (org, "user:anna", "key-1")
    assert (reassigned.org_id, reassigned.idempotency_key) == (org, "key-2")
    assert trajectory.has_seen("key-1") and trajectory.has_seen("key-2")
    assert not trajectory.has_seen("key-3") and not trajectory.has_seen(None)


def test_outside_any_context_the_system_acts():
    trajectory = Trajectory(uuid4(), "UWV", uuid4())
    (created,) = trajectory.collect_events()
    assert created.actor == "system" and created.org_id is None


def test_reassignment_needs_a_warm_handover_note():
    trajectory = Trajectory(uuid4(), "UWV", uuid4())
    with pytest.raises(DomainError, match="overdrachtsnotitie"):
        trajectory.reassign(uuid4(), "kort")
    with pytest.raises(DomainError, match="al verantwoordelijk"):
        trajectory.reassign(trajectory.responsible_jobcoach, "Een notitie van voldoende lengte")
