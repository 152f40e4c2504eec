"""Audit aggregates: auditor grants (platform-wide) and the organisation's audit journal.

A grant gives one external auditor read-only access to one organisation, for one
quality mark, for a period [valid_from, valid_until). There is at most one grant per
(auditor, organisation): its id derives from both, so access is checked by loading
one aggregate, on every request, without a read model in between.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from services.kernel.domain import DomainError, StampedAggregate

NAMESPACE = uuid5(NAMESPACE_URL, "https://jobtrail.nl/audit")

# Keys of the quality marks; services/audit/norms.yaml maps each to its norms.
MARKS = ("blik-op-werk", "oval", "uwv", "registers")
MAX_GRANT_DAYS = 366


def grant_id_for(auditor_id: UUID, organisation_id: UUID) -> UUID:
    return uuid5(NAMESPACE, f"grant:{organisation_id}:{auditor_id}")


def check_grant(mark: str, valid_from: datetime, valid_until: datetime) -> None:
    if mark not in MARKS:
        raise DomainError("Onbekend keurmerk '%(mark)s' (kies uit: %(choices)s)",
                          mark=mark, choices=", ".join(MARKS))
    if valid_from.tzinfo is None or valid_until.tzinfo is None:
        raise DomainError("Begin en einde van de toegang moeten een tijdzone hebben")
    if valid_until <= valid_from:
        raise DomainError("Het einde van de toegang moet na het begin liggen")
    if (valid_until - valid_from).days > MAX_GRANT_DAYS:
        raise DomainError("Toegang voor een auditor duurt hoogstens %(days)s dagen",
                          days=MAX_GRANT_DAYS)


class AuditorGrant(StampedAggregate):
    def __init__(
        self,
        auditor_id: UUID,
        organisation_id: UUID,
        mark: str,
        valid_from: datetime,
        valid_until: datetime,
    ):
        check_grant(mark, valid_from, valid_until)
        self.auditor_id = auditor_id
        self.organisation_id = organisation_id
        self.mark = mark
        self.valid_from = valid_from
        self.valid_until = valid_until
        self.revoked = False

    @staticmethod
    def create_id(  # type: ignore[override]
        auditor_id: UUID, organisation_id: UUID, mark: str, valid_from: Any, valid_until: Any
    ) -> UUID:
        return grant_id_for(auditor_id, organisation_id)

    @event("Renewed")
    def renew(self, mark: str, valid_from: datetime, valid_until: datetime) -> None:
        check_grant(mark, valid_from, valid_until)
        self.mark = mark
        self.valid_from = valid_from
        self.valid_until = valid_until
        self.revoked = False

    @event("Revoked")
    def revoke(self) -> None:
        if self.revoked:
            raise DomainError("Deze toegang is al ingetrokken")
        self.revoked = True

    def allows(self, now: datetime, mark: str | None = None) -> bool:
        """Valid at `now` (and for `mark`, when asked)."""
        in_period = self.valid_from <= now < self.valid_until
        return not self.revoked and in_period and (mark is None or mark == self.mark)


class AuditEntry(StampedAggregate):
    """One line of the organisation's audit journal: an auditor's action, a grant given
    or withdrawn, an integrity alert. Stamped with actor and organisation like every
    event, and appended to the audit log like every event."""

    @event("Recorded")
    def __init__(self, kind: str, details: dict[str, str]):
        if not kind:
            raise DomainError("Soort journaalregel ontbreekt")
        self.kind = kind
        self.details = dict(details)


def certificate_id_for(organisation_id: UUID, mark: str) -> UUID:
    return uuid5(NAMESPACE, f"certificate:{organisation_id}:{mark}")


def check_certificate(mark: str, certified_on: date, expires_on: date) -> None:
    if mark not in MARKS:
        raise DomainError("Onbekend keurmerk '%(mark)s' (kies uit: %(choices)s)",
                          mark=mark, choices=", ".join(MARKS))
    if expires_on <= certified_on:
        raise DomainError("De vervaldatum moet na de certificeringsdatum liggen")
    if (expires_on - certified_on).days > 6 * 366:
        raise DomainError("Een keurmerk of erkenning loopt hoogstens zes jaar")


class MarkCertificate(StampedAggregate):
    """The organisation's current certificate for one quality mark: when it was granted
    and when it expires (data for renewal reporting; one per organisation and mark)."""

    def __init__(
        self, organisation_id: UUID, mark: str, certified_on: date, expires_on: date,
        reference: str,
    ):
        check_certificate(mark, certified_on, expires_on)
        self.organisation_id = organisation_id
        self.mark = mark
        self.certified_on = certified_on
        self.expires_on = expires_on
        self.reference = reference

    @staticmethod
    def create_id(  # type: ignore[override]
        organisation_id: UUID, mark: str, certified_on: Any, expires_on: Any, reference: Any
    ) -> UUID:
        return certificate_id_for(organisation_id, mark)

    @event("Renewed")
    def renew(self, certified_on: date, expires_on: date, reference: str) -> None:
        check_certificate(self.mark, certified_on, expires_on)
        self.certified_on = certified_on
        self.expires_on = expires_on
        self.reference = reference
