"""The organisation's registers: data breaches (art. 33/34), processing activities
(art. 30) and its privacy policy (retention, backups, BSN)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from services.kernel.domain import DomainError, StampedAggregate
from services.privacy.deadlines import breach_report_due
from services.privacy.subjects import NAMESPACE
from services.privacy.vocabulary import BREACH_RISKS, RECORD_TYPES

DEFAULT_BACKUP_RETENTION_DAYS = 35


class Breach(StampedAggregate):
    """detected → assessed → reported to the AP (≤72 h, when required) → informed → closed."""

    def __init__(self, detected_at: datetime, title: str, description: str) -> None:
        if detected_at.tzinfo is None:
            raise DomainError("Tijdstip van ontdekking zonder tijdzone")
        if not title.strip():
            raise DomainError("Geef het datalek een korte titel")
        self.detected_at = detected_at
        self.title = title
        self.description = description
        self.status = "detected"
        self.risk: str | None = None
        self.report_required = False
        self.inform_required = False
        self.assessment = ""
        self.affected_count = 0
        self.affected_clients: list[str] = []
        self.reported_at: datetime | None = None
        self.ap_reference: str | None = None
        self.late_reason: str | None = None
        self.informed_at: datetime | None = None
        self.closed_at: datetime | None = None
        self.measures = ""

    @property
    def report_due(self) -> datetime:
        return breach_report_due(self.detected_at)

    def report_overdue(self, now: datetime) -> bool:
        awaiting = self.status == "detected" or (self.report_required and self.reported_at is None)
        return awaiting and self.status != "closed" and now > self.report_due

    @event("Assessed")
    def assess(
        self, risk: str, assessment: str, affected_count: int, affected_clients: list[str]
    ) -> None:
        if self.status not in ("detected", "assessed"):
            raise DomainError("Beoordelen kan alleen vóór de melding")
        if risk not in BREACH_RISKS:
            raise DomainError("Onbekend risico: %(risk)s", risk=risk)
        if affected_count < 0:
            raise DomainError("Aantal betrokkenen kan niet negatief zijn")
        self.status = "assessed"
        self.risk = risk
        self.report_required = risk in ("risk", "high")
        self.inform_required = risk == "high"
        self.assessment = assessment
        self.affected_count = affected_count
        self.affected_clients = [str(UUID(c)) for c in affected_clients]

    @event("ReportedToAp")
    def report_to_ap(self, reported_at: datetime, reference: str, late_reason: str | None) -> None:
        if self.status != "assessed" or not self.report_required:
            raise DomainError("Melden bij de AP volgt op een beoordeling met risico")
        if reported_at < self.detected_at:
            raise DomainError("Melding ligt vóór de ontdekking")
        if reported_at > self.report_due and not (late_reason or "").strip():
            raise DomainError("Later dan 72 uur gemeld: geef de reden van de vertraging (art. 33)")
        self.status = "reported"
        self.reported_at = reported_at
        self.ap_reference = reference
        self.late_reason = late_reason

    @event("SubjectsInformed")
    def inform_subjects(self, informed_at: datetime, how: str) -> None:
        if not self.inform_required:
            raise DomainError("Informeren van betrokkenen is bij dit risico niet vereist")
        if self.status != "reported":
            raise DomainError("Meld het datalek eerst bij de AP")
        self.status = "informed"
        self.informed_at = informed_at

    @event("Closed")
    def close(self, closed_at: datetime, measures: str) -> None:
        if self.status == "closed":
            raise DomainError("Het datalek is al gesloten")
        if self.status == "detected":
            raise DomainError("Beoordeel het datalek voordat u het sluit")
        if self.report_required and self.reported_at is None:
            raise DomainError("Dit datalek moet eerst bij de AP worden gemeld")
        if self.inform_required and self.informed_at is None:
            raise DomainError("Informeer eerst de betrokkenen")
        if not measures.strip():
            raise DomainError("Beschrijf de genomen maatregelen")
        self.status = "closed"
        self.closed_at = closed_at
        self.measures = measures


ACTIVITY_FIELDS = (
    "name",
    "purposes",
    "legal_basis",
    "data_subjects",
    "data_categories",
    "special_categories",
    "recipients",
    "transfers",
    "retention",
    "security_measures",
    "processors",
)


class ProcessingActivity(StampedAggregate):
    """One entry of the register of processing activities (art. 30 lid 1)."""

    def __init__(self, entry: dict[str, Any]) -> None:
        self.entry = check_activity(entry)
        self.retired_on: str | None = None

    @event("Revised")
    def revise(self, entry: dict[str, Any]) -> None:
        if self.retired_on:
            raise DomainError("Deze verwerking is beëindigd")
        self.entry = check_activity(entry)

    @event("Retired")
    def retire(self, on: str) -> None:
        if self.retired_on:
            raise DomainError("Deze verwerking is al beëindigd")
        self.retired_on = on


def check_activity(entry: dict[str, Any]) -> dict[str, Any]:
    unknown = set(entry) - set(ACTIVITY_FIELDS)
    if unknown:
        raise DomainError("Onbekende velden: %(fields)s", fields=", ".join(sorted(unknown)))
    for name in ("name", "purposes", "legal_basis", "data_subjects", "data_categories"):
        if not str(entry.get(name) or "").strip():
            raise DomainError("Verplicht in het verwerkingsregister: %(name)s", name=name)
    return {name: entry.get(name) for name in ACTIVITY_FIELDS}


class PrivacyPolicy(StampedAggregate):
    """The organisation's choices: retention per record type, backup retention, BSN."""

    def __init__(self) -> None:
        self.backup_retention_days = DEFAULT_BACKUP_RETENTION_DAYS
        self.retention: dict[str, int] = {}  # record type -> months
        self.bsn_enabled = False
        self.bsn_legal_basis: str | None = None

    @staticmethod
    def create_id() -> UUID:
        return PrivacyPolicy.ID

    ID = uuid5(NAMESPACE, "privacy-policy")  # one per organisation's store

    @event("BackupRetentionSet")
    def set_backup_retention(self, days: int) -> None:
        if not 1 <= days <= 3660:
            raise DomainError("Bewaartermijn van back-ups: 1 tot 3660 dagen")
        self.backup_retention_days = days

    @event("RetentionRuleSet")
    def set_retention(self, record_type: str, months: int) -> None:
        if record_type not in RECORD_TYPES:
            raise DomainError("Onbekend soort gegevens: %(record_type)s", record_type=record_type)
        if not 1 <= months <= 1200:
            raise DomainError("Bewaartermijn: 1 tot 1200 maanden")
        self.retention[record_type] = months

    @event("RetentionRuleRemoved")
    def remove_retention(self, record_type: str) -> None:
        if record_type not in self.retention:
            raise DomainError("Voor dit soort gegevens is geen bewaartermijn ingesteld")
        del self.retention[record_type]

    @event("BsnEnabled")
    def enable_bsn(self, legal_basis: str) -> None:
        if len(legal_basis.strip()) < 10:
            raise DomainError(
                "Het BSN mag alleen worden vastgelegd met een wettelijke grondslag: noem die"
            )
        self.bsn_enabled = True
        self.bsn_legal_basis = legal_basis

    @event("BsnDisabled")
    def disable_bsn(self) -> None:
        if not self.bsn_enabled:
            raise DomainError("BSN-registratie staat al uit")
        self.bsn_enabled = False
