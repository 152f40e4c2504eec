"""Audit applications: grants on the platform, the journal per organisation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from eventsourcing.persistence import JSONTranscoder

from services.audit.domainmodel import (
    MARKS,
    AuditEntry,
    AuditorGrant,
    MarkCertificate,
    certificate_id_for,
    grant_id_for,
)
from services.kernel import context
from services.kernel.domain import NotFoundError
from services.kernel.store import TenantApplication
from services.kernel.transcodings import DateAsISO  # one date transcoding, shared


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
    """Per organisation: auditor actions, grants and integrity alerts, as events; and the
    organisation's quality-mark certificates (dates for renewal reporting)."""

    name = "audit_journal"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())  # certificate dates

    def record(self, kind: str, **details: object) -> AuditEntry:
        # Without the request's idempotency key: two reads are two actions, both recorded.
        with context.idempotency(None):
            return self.create(AuditEntry(kind, {k: str(v) for k, v in details.items()}))

    def set_certificate(
        self, mark: str, certified_on: date, expires_on: date, reference: str = ""
    ) -> MarkCertificate:
        """Record (or renew) the certificate of one quality mark."""
        assert self.org_id is not None
        certificate_id = certificate_id_for(self.org_id, mark)
        try:
            self.load(certificate_id, MarkCertificate)
        except NotFoundError:
            return self.create(
                MarkCertificate(self.org_id, mark, certified_on, expires_on, reference.strip())
            )
        return self.update(
            certificate_id,
            MarkCertificate,
            lambda c: c.renew(certified_on, expires_on, reference.strip()),
        )

    def certificates(self) -> dict[str, MarkCertificate | None]:
        """Every quality mark with its certificate, or None when none is recorded."""
        assert self.org_id is not None
        found: dict[str, MarkCertificate | None] = {}
        for mark in MARKS:
            try:
                found[mark] = self.load(certificate_id_for(self.org_id, mark), MarkCertificate)
            except NotFoundError:
                found[mark] = None
        return found
