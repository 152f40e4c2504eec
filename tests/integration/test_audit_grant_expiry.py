"""An auditor's membership ends when their grant's period is over: by the daily job (on
a controllable clock here) and lazily on their next request (tests/api/test_audit_access),
exactly once, with a `grant.expired` event in the organisation's trail."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from services.audit import jobs
from services.audit.application import AuditJournal, AuditorAccess
from services.kernel import context
from services.kernel.auth.roles import Role
from services.kernel.clock import FixedClock
from tests.conftest import PASSWORD


def _journal_kinds(platform, org_id):
    journal = platform.app(AuditJournal, org_id)
    return [
        journal.mapper.to_domain_event(n).kind
        for n in journal.recorder.select_notifications(start=1, limit=500)
        if n.topic.endswith("AuditEntry.Recorded")
    ]


def _auditor(platform, org, start, end):
    """What POST …/audit/grants does: the grant, and membership with the auditor role."""
    auditor = platform.registry.register_user(f"a-{uuid4().hex[:6]}@keurmerk.nl", "A", PASSWORD)
    with context.acting(org.id, "user:test"):
        platform.apps.get(AuditorAccess).grant(auditor.id, org.id, "blik-op-werk", start, end)
    platform.registry.grant_membership(auditor.id, org.id, Role.AUDITOR)
    return auditor


def _role(platform, auditor, org):
    return platform.registry.user(auditor.id).role_in(org.id)


def test_the_daily_job_ends_an_expired_membership_once(any_platform, any_orgs):
    platform = any_platform
    org, other = any_orgs.create(), any_orgs.create()
    clock = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    end = clock.now() + timedelta(days=3)
    expiring = _auditor(platform, org, clock.now() - timedelta(days=30), end)
    staying = _auditor(platform, other, clock.now() - timedelta(days=30),
                       end + timedelta(days=60))

    def run():
        return jobs.end_expired_grants(platform, clock.now().isoformat())["ended"]

    clock.set(end - timedelta(seconds=1))  # the last second of the period: nothing ends
    assert run() == 0
    assert _role(platform, expiring, org) == Role.AUDITOR
    clock.set(end)  # valid_until is exclusive: the period is over
    assert run() == 1
    assert _role(platform, expiring, org) is None
    assert _role(platform, staying, other) == Role.AUDITOR  # another grant, still running
    assert _journal_kinds(platform, org.id).count("grant.expired") == 1
    assert "grant.expired" not in _journal_kinds(platform, other.id)
    clock.advance(days=1)  # the next day's run: already ended, no second event
    assert run() == 0
    assert _journal_kinds(platform, org.id).count("grant.expired") == 1


def test_a_renewed_grant_is_not_ended_and_a_revoked_one_is_left_alone(any_platform, any_orgs):
    platform = any_platform
    org = any_orgs.create()
    clock = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    start = clock.now() - timedelta(days=10)
    renewed = _auditor(platform, org, start, clock.now() + timedelta(days=1))
    revoked = _auditor(platform, org, start, clock.now() + timedelta(days=1))
    access = platform.apps.get(AuditorAccess)
    with context.acting(org.id, "user:test"):
        access.grant(renewed.id, org.id, "blik-op-werk", start, clock.now() + timedelta(days=90))
        access.revoke(revoked.id, org.id)  # the API also ends the membership; here it stays
    clock.advance(days=2)  # past the first period of both
    assert jobs.end_expired_grants(platform, clock.now().isoformat())["ended"] == 0
    assert _role(platform, renewed, org) == Role.AUDITOR
    assert _role(platform, revoked, org) == Role.AUDITOR  # revocation is the API's business
    assert "grant.expired" not in _journal_kinds(platform, org.id)
