"""Dated memberships: the directory knows who worked here on which day, in which role,
since and until when; memberships granted before dates were kept are "since before
records"; an expired auditor grant ends the membership on the grant's last day; and a past
month-end finds trajectories whose jobcoach had left by then."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4

import pytest

from projections.runtime import sweep
from services.audit import snapshots
from services.audit.application import AuditorAccess
from services.audit.evidence import MET, NOT_MET
from services.audit.expiry import end_if_expired
from services.kernel import context
from services.kernel.auth.roles import Role
from services.kernel.clock import LOCAL, SystemClock, today
from services.kernel.domain import DomainError
from services.kernel.views import catch_up
from tests.conftest import PASSWORD


def _user(platform, name):
    return platform.registry.register_user(f"u-{uuid4().hex[:8]}@example.nl", name, PASSWORD)


def _undated_grant(platform, user, org, role):
    """A MembershipGranted stored the way it was before memberships were dated: no `on`."""
    registry = platform.registry
    aggregate = registry.user(user.id)
    aggregate.grant_membership(org.id, Role(role))
    object.__delattr__(aggregate.pending_events[-1], "on")
    registry.save(aggregate)


def _rows(found, *keys):
    return sorted(tuple(m[k] for k in keys) for m in found)


def test_the_directory_answers_who_worked_here_on_a_day(any_platform, any_orgs):
    platform, org = any_platform, any_orgs.create()
    old, anna, bert = (_user(platform, n) for n in ("Oud", "Anna", "Bert"))
    _undated_grant(platform, old, org, "manager")
    registry = platform.registry
    registry.grant_membership(anna.id, org.id, "jobcoach", date(2025, 3, 1))
    registry.grant_membership(anna.id, org.id, "manager", date(2026, 2, 1))  # new role
    registry.grant_membership(anna.id, org.id, "manager", date(2026, 3, 1))  # same: no change
    registry.grant_membership(bert.id, org.id, "jobcoach", date(2025, 6, 1))
    registry.end_membership(bert.id, org.id, date(2025, 9, 1))  # first day gone
    registry.grant_membership(bert.id, org.id, "jobcoach", date(2026, 1, 5))  # back again
    with pytest.raises(DomainError):  # a membership cannot end before it began
        registry.end_membership(bert.id, org.id, date(2026, 1, 4))
    directory = platform.directory
    catch_up(directory)

    assert registry.user(old.id).role_in(org.id) == Role.MANAGER  # replays without `on`
    # Now: everybody, with the start of the current membership (Oud: before records).
    assert _rows(directory.members(org.id), "name", "role", "joined_on") == [
        ("Anna", "manager", "2025-03-01"), ("Bert", "jobcoach", "2026-01-05"),
        ("Oud", "manager", None)]
    # On a day: the role of that day; Bert was gone from 2025-09-01 to 2026-01-04.
    assert _rows(directory.members(org.id, on=date(2025, 8, 31)), "name", "role") == [
        ("Anna", "jobcoach"), ("Bert", "jobcoach"), ("Oud", "manager")]
    assert _rows(directory.members(org.id, on=date(2025, 9, 1)), "name", "role") == [
        ("Anna", "jobcoach"), ("Oud", "manager")]
    assert _rows(directory.members(org.id, on=date(2026, 2, 1)), "name", "role", "joined_on") \
        == [("Anna", "manager", "2025-03-01"), ("Bert", "jobcoach", "2026-01-05"),
            ("Oud", "manager", None)]
    assert _rows(directory.members(org.id, on=date(2025, 2, 28)), "name") == [("Oud",)]

    # Leaving today: not a member today any more, listed among former staff.
    registry.end_membership(anna.id, org.id)
    catch_up(directory)
    now = today(SystemClock())
    assert _rows(directory.members(org.id), "name") == [("Bert",), ("Oud",)]
    assert _rows(directory.members(org.id, on=now), "name") == [("Bert",), ("Oud",)]
    assert _rows(directory.former_members(org.id), "name", "role", "joined_on", "left_on") \
        == [("Anna", "manager", "2025-03-01", now.isoformat())]


def test_an_expired_auditor_grant_ends_the_membership_on_its_last_day(any_platform, any_orgs):
    platform, org = any_platform, any_orgs.create()
    auditor = _user(platform, "Auditor")
    start = datetime.now(LOCAL) - timedelta(days=30)
    end = datetime.now(LOCAL) + timedelta(days=3)
    with context.acting(org.id, "user:test"):
        grant = platform.apps.get(AuditorAccess).grant(auditor.id, org.id, "blik-op-werk",
                                                       start, end)
    platform.registry.grant_membership(auditor.id, org.id, Role.AUDITOR)
    assert end_if_expired(platform, grant, end)
    catch_up(platform.directory)
    (former,) = platform.directory.former_members(org.id)
    assert (former["role"], former["left_on"]) == ("auditor", end.date().isoformat())


def test_a_past_month_end_knows_whose_jobcoach_had_left(any_platform, any_orgs):
    """Lotte is responsible for T until it is handed over to Bert today; she left 40 days
    ago. Ten days ago T had no jobcoach who worked here; fifty days ago it had; now it has."""
    platform, org = any_platform, any_orgs.create()
    now = today(SystemClock())
    lotte, bert = _user(platform, "Lotte"), _user(platform, "Bert")
    platform.registry.grant_membership(lotte.id, org.id, "jobcoach", now - timedelta(days=400))
    platform.registry.grant_membership(bert.id, org.id, "jobcoach", now - timedelta(days=400))
    with context.acting(org.id, "user:test"):
        app = platform.trajectories(org.id)
        client = app.register_client({"name": "Cliënt Canary-5d"})
        t = app.start_trajectory(client.id, "UWV", lotte.id)
        app.record_step(t.id, "intake", {
            "reason": "Werk", "question": "Werk", "motivation": "Werk", "life_world": "Thuis",
            "network": "Zus", "phases_agreed": "Alle", "expectations": "Wekelijks",
            "follow_up": "Profiel", "agreed_in_writing": True,
            "code_of_conduct_discussed": True, "held_on": now - timedelta(days=100)})
    platform.registry.end_membership(lotte.id, org.id, now - timedelta(days=40))
    sweep(platform)

    def unassigned(day):
        figures = snapshots.evaluate(platform, org.id, day, live=False)["continuiteit"]
        found = {f["key"]: f for f in figures["figures"]}["trajecten_zonder_jobcoach"]
        return found["value"], found["status"]

    assert unassigned(now - timedelta(days=50)) == (0, MET)
    assert unassigned(now - timedelta(days=10)) == (1, NOT_MET)
    with context.acting(org.id, "user:test"):
        app.reassign(t.id, bert.id, "Cliënt werkt graag 's ochtends; belt op maandag")
    sweep(platform)
    # The handover of today does not change who was responsible ten days ago.
    assert unassigned(now - timedelta(days=10)) == (1, NOT_MET)
    live = snapshots.evaluate(platform, org.id, now, live=True)["continuiteit"]
    assert {f["key"]: f for f in live["figures"]}["trajecten_zonder_jobcoach"]["value"] == 0


def test_a_rebuild_fills_the_dates_of_an_undated_directory(any_platform, any_orgs):
    """Upgrading: the directory was caught up before it had tenures; a rebuild of the
    view (`jobtrail projections rebuild --org platform --view directory`) replays them."""
    from projections.runtime import rebuild

    platform, org = any_platform, any_orgs.create()
    anna = _user(platform, "Anna")
    platform.registry.grant_membership(anna.id, org.id, "jobcoach", date(2025, 3, 1))
    directory = platform.directory
    catch_up(directory)
    with directory.rows() as rows:
        rows.execute("DELETE FROM {t}directory_tenures")  # as before the upgrade
    assert directory.members(org.id, on=date(2025, 3, 1)) == []
    rebuild(directory)
    directory = platform.directory
    assert _rows(directory.members(org.id, on=date(2025, 3, 1)), "name", "joined_on") == [
        ("Anna", "2025-03-01")]
