"""Ending an auditor's membership when their grant's period is over.

An `AuditorGrant` ends at `valid_until`; from then on every request is refused anyway
(access.py re-checks the period). This also ends the auditor's MEMBERSHIP of the
organisation, so the organisation no longer lists them and sign-in no longer offers it,
and journals `grant.expired` in the organisation's trail. It happens twice over: daily
for every grant (the scheduled `auditor-grants` job) and lazily, the moment the auditor
next makes a request with the expired grant. Either way exactly once: a membership that
is already gone (ended before, or revoked) is left alone. A renewed grant makes the
auditor a member again (services/audit/api.py `grant_auditor`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from services.audit.application import AuditJournal, AuditorAccess
from services.audit.domainmodel import AuditorGrant
from services.kernel import context
from services.kernel.auth.roles import Role
from services.kernel.clock import LOCAL
from services.kernel.domain import DomainError, NotFoundError
from services.platform.domainmodel import User


def end_if_expired(platform: Any, grant: AuditorGrant, now: datetime) -> bool:
    """End the auditor's membership if the grant's period is over; True if it did."""
    if grant.revoked or now < grant.valid_until:
        return False
    org_id, auditor_id = grant.organisation_id, grant.auditor_id
    try:
        if platform.registry.user(auditor_id).role_in(org_id) != Role.AUDITOR:
            return False  # already ended (or revoked): nothing to do, nothing to journal
        ended_on = grant.valid_until.astimezone(LOCAL).date()  # the day access ended
        platform.registry.update(
            auditor_id, User, lambda u: u.revoke_membership(org_id, ended_on)
        )
    except (NotFoundError, DomainError):  # gone meanwhile: another run ended it
        return False
    with context.acting(org_id, "system:auditor-expiry"):
        platform.app(AuditJournal, org_id).record(
            "grant.expired",
            grant=grant.id,
            auditor=auditor_id,
            mark=grant.mark,
            valid_until=grant.valid_until.isoformat(),
        )
    return True


def end_expired(platform: Any, now: datetime) -> int:
    """Every grant on the platform whose period is over: end the membership."""
    from services.audit.grants_view import AuditorGrantsView
    from services.kernel.views import catch_up

    view = platform.view(AuditorGrantsView)
    catch_up(view)  # a grant renewed a moment ago counts with its new period
    access = platform.apps.get(AuditorAccess)
    ended = 0
    for row in view.expired(now):
        grant = access.grant_of(UUID(row["auditor_id"]), UUID(row["org_id"]))
        if grant is not None:  # the aggregate decides, not the read model
            ended += end_if_expired(platform, grant, now)
    return ended
