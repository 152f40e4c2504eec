"""The Complaints application (one per organisation): regulation and complaints.

Personal data is sealed here, before it reaches an event, with the complainant's own
subject key (the client's id when a client complains, so erasing the client erases it).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import yaml

from services.kernel.domain import N_, DomainError, NotFoundError
from services.kernel.personal_data import SubjectKeys, is_sealed
from services.quality.base import QualityApplication
from services.quality.complaints.domainmodel import Complaint
from services.quality.complaints.regulation import ComplaintRegulation, Regulation

DEFAULT_REGULATION = Path(__file__).with_name("default_regulation.yaml")


def default_regulation() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_REGULATION.read_text(encoding="utf-8"))


def _text(value: str, refusal: str, minimum: int = 1) -> str:
    """The text stripped; else refused with `refusal`, a whole sentence (one msgid)."""
    value = (value or "").strip()
    if len(value) < minimum:
        raise DomainError(refusal, minimum=minimum)
    return value


class Complaints(QualityApplication):
    name = "complaints"

    # Regulation ------------------------------------------------------------------------
    def regulation(self) -> ComplaintRegulation:
        assert self.org_id is not None
        try:
            return self.load(ComplaintRegulation.create_id(self.org_id), ComplaintRegulation)
        except NotFoundError:
            raise NotFoundError("Er is nog geen klachtreglement vastgesteld") from None

    def adopt_regulation(
        self, terms: dict[str, Any], in_force_from: date | None = None
    ) -> Regulation:
        assert self.org_id is not None
        on = in_force_from or self.today()
        try:
            current = self.regulation()
        except NotFoundError:
            current = self.create(ComplaintRegulation(self.org_id))
        adopted: list[Regulation] = []
        self.update(current.id, ComplaintRegulation, lambda r: adopted.append(r.adopt(terms, on)))
        return adopted[0] if adopted else self.regulation().in_force(on)

    # Complaints ------------------------------------------------------------------------
    def receive(
        self,
        keys: SubjectKeys,
        *,
        complainant_name: str,
        complainant_contact: str,
        summary: str,
        complainant_kind: str,
        subject_id: UUID | None = None,
        trajectory_id: UUID | None = None,
        jobcoach_id: UUID | None = None,
        received_on: date | None = None,
    ) -> Complaint:
        on = received_on or self.today()
        regulation = self.regulation().in_force(on)
        subject = subject_id or uuid4()
        person = json.dumps(
            {"name": _text(complainant_name, N_("De naam van de klager is verplicht")),
             "contact": (complainant_contact or "").strip()}
        )
        summary = _text(summary, N_("De klacht is verplicht (min. %(minimum)s tekens)"), 10)
        complaint = Complaint.receive(
            regulation, on, self.today(), complainant_kind, subject,
            keys.seal(subject, person), keys.seal(subject, summary),
            trajectory_id, jobcoach_id,
        )
        return self.create(complaint)

    def complaint(self, complaint_id: UUID) -> Complaint:
        return self.load(complaint_id, Complaint)

    def _do(self, complaint_id: UUID, command: Any, expected_version: int | None) -> Complaint:
        return self.update(complaint_id, Complaint, command, expected_version=expected_version)

    def acknowledge(self, complaint_id: UUID, on: date | None = None, *,
                    expected_version: int | None = None) -> Complaint:
        today = self.today()
        return self._do(complaint_id, lambda c: c.acknowledge(on or today, today), expected_version)

    def record_hearing(self, keys: SubjectKeys, complaint_id: UUID, kind: str, notes: str,
                       on: date | None = None, *, expected_version: int | None = None) -> Complaint:
        today = self.today()
        notes = _text(notes, N_("Het verslag is verplicht (min. %(minimum)s tekens)"), 10)
        return self._do(
            complaint_id,
            lambda c: c.record_hearing(on or today, today, kind, keys.seal(c.subject_id, notes)),
            expected_version,
        )

    def extend(self, keys: SubjectKeys, complaint_id: UUID, reason: str,
               on: date | None = None, *, expected_version: int | None = None) -> Complaint:
        """The reason is told to the complainant and may be about them: sealed."""
        today = self.today()
        reason = _text(
            reason, N_("De reden van de verlenging is verplicht (min. %(minimum)s tekens)"), 10)
        return self._do(
            complaint_id,
            lambda c: c.extend(on or today, today, keys.seal(c.subject_id, reason)),
            expected_version,
        )

    def decide(self, keys: SubjectKeys, complaint_id: UUID, outcome: str, reasons: str,
               on: date | None = None, *, expected_version: int | None = None) -> Complaint:
        today = self.today()
        reasons = _text(
            reasons, N_("De motivering van de beslissing is verplicht (min. %(minimum)s tekens)"),
            10)
        return self._do(
            complaint_id,
            lambda c: c.decide(on or today, today, outcome, keys.seal(c.subject_id, reasons)),
            expected_version,
        )

    def close_complaint(self, complaint_id: UUID, on: date | None = None, *,
              expected_version: int | None = None) -> Complaint:
        today = self.today()
        return self._do(complaint_id, lambda c: c.close(on or today, today), expected_version)

    def escalate(self, keys: SubjectKeys, complaint_id: UUID, reason: str,
                 on: date | None = None, *, expected_version: int | None = None) -> Complaint:
        today = self.today()
        reason = _text(reason, N_("De reden is verplicht (min. %(minimum)s tekens)"), 5)
        return self._do(
            complaint_id,
            lambda c: c.escalate(on or today, today, keys.seal(c.subject_id, reason)),
            expected_version,
        )

    def record_external_ruling(self, keys: SubjectKeys, complaint_id: UUID, outcome: str,
                               summary: str, on: date | None = None, *,
                               expected_version: int | None = None) -> Complaint:
        today = self.today()
        summary = _text(
            summary, N_("De samenvatting van de uitspraak is verplicht (min. %(minimum)s tekens)"),
            10)
        return self._do(
            complaint_id,
            lambda c: c.record_external_ruling(
                on or today, today, outcome, keys.seal(c.subject_id, summary)),
            expected_version,
        )

    def add_action(self, complaint_id: UUID, description: str, owner_id: UUID, due_on: date, *,
                   expected_version: int | None = None) -> tuple[Complaint, str]:
        action_id = uuid4().hex[:12]
        today = self.today()
        complaint = self._do(
            complaint_id,
            lambda c: c.add_action(action_id, description, owner_id, due_on, today),
            expected_version,
        )
        return complaint, action_id

    def complete_action(self, complaint_id: UUID, action_id: str, result: str,
                        on: date | None = None, *,
                        expected_version: int | None = None) -> Complaint:
        today = self.today()
        return self._do(
            complaint_id,
            lambda c: c.complete_action(action_id, on or today, today, result),
            expected_version,
        )


def opened(complaint: Complaint, keys: SubjectKeys) -> dict[str, Any]:
    """The complaint as the quality officer reads it, personal data opened (or [gewist])."""
    person_raw = keys.open(complaint.complainant) or "{}"
    try:
        person = json.loads(person_raw)
    except ValueError:  # erased
        person = {"name": person_raw, "contact": person_raw}
    decision = complaint.decision
    escalation = complaint.escalation
    return {
        "id": complaint.id,
        "version": complaint.version,
        "status": complaint.status,
        "received_on": complaint.received_on,
        "complainant_kind": complaint.complainant_kind,
        "complainant_name": person.get("name"),
        "complainant_contact": person.get("contact"),
        "summary": keys.open(complaint.summary),
        "trajectory_id": complaint.trajectory_id,
        "jobcoach_id": complaint.jobcoach_id,
        "regulation_version": complaint.regulation["version"],
        "acknowledgement_due": complaint.acknowledgement_due,
        "acknowledged_on": complaint.acknowledged_on,
        "decision_due": complaint.decision_due,
        "hearings": [{**h, "notes": keys.open(h["notes"])} for h in complaint.hearings],
        # Extensions recorded before their reason was sealed keep their plain reason.
        "extensions": [{**x, "reason": keys.open(x["reason"]) if is_sealed(x["reason"])
                        else x["reason"]} for x in complaint.extensions],
        "decision": decision and {**decision, "reasons": keys.open(decision["reasons"])},
        "closed_on": complaint.closed_on,
        "escalation": escalation and {
            **escalation,
            "reason": keys.open(escalation["reason"]),
            "ruling": escalation["ruling"] and {
                **escalation["ruling"], "summary": keys.open(escalation["ruling"]["summary"])},
        },
        "escalation_due": complaint.escalation_due,
        "actions": list(complaint.actions.values()),
    }
