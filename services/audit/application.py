"""Audit applications: grants on the platform, the journal per organisation."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from services.audit.domainmodel import AuditEntry, AuditorGrant, grant_id_for
from services.kernel import context
from services.kernel.domain import NotFoundError
from services.kernel.store import TenantApplication


class AuditorAccess(TenantApplication):
    """Platform-wide (schema `platform`): who may audit which organisation, until when."""

    name = "auditor_access"

    def grant(
        self,
        auditor_id: UUID,
        organisation_id: UUID,
        mark: str,
        valid_from: datetime,
        valid_until: datetime,
    ) -> AuditorGrant:
        """A new grant, or a renewal of the auditor's earlier grant for this organisation."""
        grant_id = grant_id_for(auditor_id, organisation_id)
        try:
            self.load(grant_id, AuditorGrant)
        except NotFoundError:
            return self.create(
                AuditorGrant(auditor_id, organisation_id, mark, valid_from, valid_until)
            )
        return self.update(grant_id, AuditorGrant, lambda g: g.renew(mark, valid_from, valid_until))

    def revoke(self, auditor_id: UUID, organisation_id: UUID) -> AuditorGrant:
        return self.update(
            grant_id_for(auditor_id, organisation_id), AuditorGrant, lambda g: g.revoke()
        )

    def grant_of(self, auditor_id: UUID, organisation_id: UUID) -> AuditorGrant | None:
        try:
            return self.load(grant_id_for(auditor_id, organisation_id), AuditorGrant)
        except NotFoundError:
            return None

    def current_grant(
        self, auditor_id: UUID, organisation_id: UUID, now: datetime | None = None
    ) -> AuditorGrant | None:
        """The grant if it allows access right now, else None (read fresh every time)."""
        grant = self.grant_of(auditor_id, organisation_id)
        if grant is None or not grant.allows(now or datetime.now(UTC)):
            return None
        return grant


class AuditJournal(TenantApplication):
    """Per organisation: auditor actions, grants and integrity alerts, as events."""

    name = "audit_journal"

    def record(self, kind: str, **details: object) -> AuditEntry:
        # Without the request's idempotency key: two reads are two actions, both recorded.
        with context.idempotency(None):
            return self.create(AuditEntry(kind, {k: str(v) for k, v in details.items()}))
