"""The complaint aggregate: received -> acknowledged -> heard/investigated -> decided -> closed.

Deadlines come from the regulation version in force at receipt (copied into the
complaint). Every command gets its dates from the caller (the application's clock):
the domain never asks the time. Personal data (complainant, description, notes,
reasons) arrives sealed with the complainant's subject key and stays sealed here.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from services.kernel.domain import N_, DomainError, StampedAggregate
from services.kernel.personal_data import Sealed
from services.quality.complaints.regulation import Regulation

RECEIVED, ACKNOWLEDGED, INVESTIGATED, DECIDED, CLOSED = (
    "received", "acknowledged", "investigated", "decided", "closed",
)
STATUS_NL = {
    RECEIVED: "ontvangen",
    ACKNOWLEDGED: "ontvangst bevestigd",
    INVESTIGATED: "gehoord / onderzocht",
    DECIDED: "beslist",
    CLOSED: "afgesloten",
}
OUTCOMES_NL = {
    "upheld": "gegrond",
    "partly_upheld": "deels gegrond",
    "not_upheld": "ongegrond",
}
HEARING_KINDS = ("hoorgesprek", "onderzoek")
COMPLAINANT_KINDS = ("client", "werkgever", "opdrachtgever", "netwerk", "anders")


def _not_after_today(on: date, today: date, refusal: str) -> None:
    """`refusal`: the whole sentence (one msgid per step), with the day as `%(on)s`."""
    if on > today:
        raise DomainError(refusal, on=f"{on:%d-%m-%Y}")


class Complaint(StampedAggregate):
    def __init__(
        self,
        regulation: dict[str, Any],
        received_on: date,
        complainant_kind: str,
        subject_id: UUID,
        complainant: Sealed,
        summary: Sealed,
        trajectory_id: UUID | None,
        jobcoach_id: UUID | None,
    ) -> None:
        self.regulation = regulation
        self.received_on = received_on
        self.complainant_kind = complainant_kind
        self.subject_id = subject_id
        self.complainant = complainant
        self.summary = summary
        self.trajectory_id = trajectory_id
        self.jobcoach_id = jobcoach_id
        self.status = RECEIVED
        self.acknowledged_on: date | None = None
        self.hearings: list[dict[str, Any]] = []
        self.extensions: list[dict[str, Any]] = []
        self.decision: dict[str, Any] | None = None
        self.closed_on: date | None = None
        self.escalation: dict[str, Any] | None = None
        self.actions: dict[str, dict[str, Any]] = {}

    @classmethod
    def receive(
        cls,
        regulation: Regulation,
        received_on: date,
        today: date,
        complainant_kind: str,
        subject_id: UUID,
        complainant: Sealed,
        summary: Sealed,
        trajectory_id: UUID | None = None,
        jobcoach_id: UUID | None = None,
    ) -> Complaint:
        _not_after_today(received_on, today,
                         N_("De ontvangstdatum kan niet in de toekomst liggen (%(on)s)"))
        if complainant_kind not in COMPLAINANT_KINDS:
            raise DomainError("Soort klager moet een van %(choices)s zijn",
                              choices=", ".join(COMPLAINANT_KINDS))
        return cls(
            regulation.as_dict(), received_on, complainant_kind, subject_id,
            complainant, summary, trajectory_id, jobcoach_id,
        )

    # Terms ---------------------------------------------------------------------------
    @property
    def terms(self) -> Regulation:
        return Regulation.from_dict(self.regulation)

    @property
    def acknowledgement_due(self) -> date:
        return self.terms.acknowledgement.after(self.received_on)

    @property
    def decision_due(self) -> date:
        if self.extensions:
            return date.fromisoformat(self.extensions[-1]["until"])
        return self.terms.decision.after(self.received_on)

    @property
    def escalation_due(self) -> date | None:
        if self.decision is None:
            return None
        return self.terms.escalation_term.after(date.fromisoformat(self.decision["on"]))

    def overdue(self, today: date) -> list[str]:
        """What is late on `today`, in Dutch, for the quality officer's register."""
        late = []
        if self.acknowledged_on is None and today > self.acknowledgement_due:
            late.append(f"ontvangstbevestiging (uiterlijk {self.acknowledgement_due:%d-%m-%Y})")
        if self.decision is None and today > self.decision_due:
            late.append(f"beslissing (uiterlijk {self.decision_due:%d-%m-%Y})")
        for action in self.actions.values():
            if action["done_on"] is None and today > date.fromisoformat(action["due_on"]):
                late.append(f"verbeteractie '{action['description']}' (uiterlijk "
                            f"{date.fromisoformat(action['due_on']):%d-%m-%Y})")
        return late

    # Commands ------------------------------------------------------------------------
    def acknowledge(self, on: date, today: date) -> None:
        if self.status != RECEIVED:
            raise DomainError("De ontvangst van deze klacht is al bevestigd")
        _not_after_today(
            on, today, N_("De ontvangstbevestiging kan niet in de toekomst liggen (%(on)s)"))
        if on < self.received_on:
            raise DomainError("De ontvangst kan niet bevestigd zijn vóór de klacht binnenkwam")
        self._acknowledged(on=on, late=on > self.acknowledgement_due)

    @event("Acknowledged")
    def _acknowledged(self, on: date, late: bool) -> None:
        self.acknowledged_on = on
        self.status = ACKNOWLEDGED

    def record_hearing(self, on: date, today: date, kind: str, notes: Sealed) -> None:
        if self.status == RECEIVED:
            raise DomainError("Bevestig eerst de ontvangst van de klacht")
        if self.status in (DECIDED, CLOSED):
            raise DomainError("Over deze klacht is al beslist")
        if kind not in HEARING_KINDS:
            raise DomainError("Soort moet een van %(choices)s zijn",
                              choices=", ".join(HEARING_KINDS))
        _not_after_today(on, today, N_(
            "Het hoorgesprek of onderzoek kan niet in de toekomst liggen (%(on)s)"))
        assert self.acknowledged_on is not None
        if on < self.acknowledged_on:
            raise DomainError("Horen of onderzoeken gebeurt na de ontvangstbevestiging")
        self._heard(on=on, kind=kind, notes=notes)

    @event("Heard")
    def _heard(self, on: date, kind: str, notes: Sealed) -> None:
        self.hearings.append({"on": on.isoformat(), "kind": kind, "notes": notes})
        self.status = INVESTIGATED

    def extend(self, on: date, today: date, reason: Sealed) -> date:
        if self.status == RECEIVED:
            raise DomainError("Bevestig eerst de ontvangst van de klacht")
        if self.status in (DECIDED, CLOSED):
            raise DomainError("Over deze klacht is al beslist; verlengen kan niet meer")
        terms = self.terms
        if len(self.extensions) >= terms.max_extensions:
            raise DomainError(
                "Het klachtreglement staat %(n)s verlenging(en) toe; die zijn al gebruikt",
                n=terms.max_extensions,
            )
        _not_after_today(on, today, N_("De verlenging kan niet in de toekomst liggen (%(on)s)"))
        if on > self.decision_due:
            raise DomainError(
                "Verlengen moet vóór het einde van de beslistermijn (%(due)s) aan de klager"
                " worden gemeld", due=f"{self.decision_due:%d-%m-%Y}",
            )
        until = terms.extension.after(self.decision_due)
        self._extended(on=on, until=until.isoformat(), reason=reason)
        return until

    @event("Extended")
    def _extended(self, on: date, until: str, reason: Sealed) -> None:
        self.extensions.append({"on": on.isoformat(), "until": until, "reason": reason})

    def decide(self, on: date, today: date, outcome: str, reasons: Sealed) -> None:
        if self.status == RECEIVED:
            raise DomainError("Een klacht kan pas worden beslist na de ontvangstbevestiging")
        if self.status == ACKNOWLEDGED:
            raise DomainError("Hoor de klager of onderzoek de klacht voordat u beslist")
        if self.status in (DECIDED, CLOSED):
            raise DomainError("Over deze klacht is al beslist")
        if outcome not in OUTCOMES_NL:
            raise DomainError("De uitkomst moet gegrond, deels gegrond of ongegrond zijn")
        _not_after_today(on, today, N_("De beslissing kan niet in de toekomst liggen (%(on)s)"))
        if on < date.fromisoformat(self.hearings[-1]["on"]):
            raise DomainError("De beslissing kan niet vóór het horen of onderzoek liggen")
        self._decided(on=on, outcome=outcome, reasons=reasons, late=on > self.decision_due)

    @event("Decided")
    def _decided(self, on: date, outcome: str, reasons: Sealed, late: bool) -> None:
        self.decision = {"on": on.isoformat(), "outcome": outcome, "reasons": reasons, "late": late}
        self.status = DECIDED

    def close(self, on: date, today: date) -> None:
        if self.status == CLOSED:
            raise DomainError("Deze klacht is al afgesloten")
        if self.status != DECIDED:
            raise DomainError("Alleen een besliste klacht kan worden afgesloten")
        _not_after_today(on, today, N_("De afsluiting kan niet in de toekomst liggen (%(on)s)"))
        assert self.decision is not None
        if on < date.fromisoformat(self.decision["on"]):
            raise DomainError("Afsluiten kan niet vóór de beslissing")
        self._closed(on=on)

    @event("Closed")
    def _closed(self, on: date) -> None:
        self.closed_on = on
        self.status = CLOSED

    def escalate(self, on: date, today: date, reason: Sealed) -> None:
        """The complainant takes the complaint to the external body: after the decision
        (within the escalation term) or when the decision term has passed unanswered."""
        if self.escalation is not None:
            raise DomainError("Deze klacht is al voorgelegd aan de externe klachteninstantie")
        _not_after_today(on, today, N_("De externe klacht kan niet in de toekomst liggen (%(on)s)"))
        if on < self.received_on:
            raise DomainError("Een externe klacht kan niet vóór de klacht zelf liggen")
        if self.decision is None and on <= self.decision_due:
            raise DomainError(
                "Voorleggen aan de externe instantie kan na de beslissing, of als de"
                " beslistermijn (%(due)s) is verstreken", due=f"{self.decision_due:%d-%m-%Y}",
            )
        due = self.escalation_due
        if due is not None and on > due:
            raise DomainError("De termijn voor een externe klacht liep af op %(due)s",
                              due=f"{due:%d-%m-%Y}")
        self._escalated(on=on, body=self.terms.external_body, reason=reason)

    @event("Escalated")
    def _escalated(self, on: date, body: str, reason: Sealed) -> None:
        self.escalation = {"on": on.isoformat(), "body": body, "reason": reason, "ruling": None}

    def record_external_ruling(self, on: date, today: date, outcome: str, summary: Sealed) -> None:
        if self.escalation is None:
            raise DomainError("Deze klacht is niet voorgelegd aan de externe klachteninstantie")
        if self.escalation["ruling"] is not None:
            raise DomainError("De uitspraak van de externe instantie is al vastgelegd")
        if outcome not in OUTCOMES_NL:
            raise DomainError("De uitkomst moet gegrond, deels gegrond of ongegrond zijn")
        _not_after_today(on, today, N_("De uitspraak kan niet in de toekomst liggen (%(on)s)"))
        if on < date.fromisoformat(self.escalation["on"]):
            raise DomainError("De uitspraak kan niet vóór het voorleggen liggen")
        self._ruled(on=on, outcome=outcome, summary=summary)

    @event("ExternalRulingRecorded")
    def _ruled(self, on: date, outcome: str, summary: Sealed) -> None:
        assert self.escalation is not None
        self.escalation = {**self.escalation, "ruling": {
            "on": on.isoformat(), "outcome": outcome, "summary": summary}}

    def add_action(
        self, action_id: str, description: str, owner_id: UUID, due_on: date, today: date
    ) -> None:
        if self.status == RECEIVED:
            raise DomainError("Bevestig eerst de ontvangst van de klacht")
        if action_id in self.actions:
            raise DomainError("Deze verbeteractie bestaat al")
        if len(description.strip()) < 5:
            raise DomainError("Beschrijf de verbeteractie (min. 5 tekens)")
        if due_on < today:
            raise DomainError("De streefdatum van een verbeteractie ligt niet in het verleden")
        self._action_added(
            action_id=action_id, description=description.strip(), owner_id=owner_id,
            due_on=due_on.isoformat(),
        )

    @event("ImprovementActionAdded")
    def _action_added(self, action_id: str, description: str, owner_id: UUID, due_on: str) -> None:
        self.actions[action_id] = {
            "id": action_id, "description": description, "owner_id": str(owner_id),
            "due_on": due_on, "done_on": None, "result": None,
        }

    def complete_action(self, action_id: str, on: date, today: date, result: str) -> None:
        action = self.actions.get(action_id)
        if action is None:
            raise DomainError("Onbekende verbeteractie")
        if action["done_on"] is not None:
            raise DomainError("Deze verbeteractie is al afgerond")
        _not_after_today(on, today, N_("De afronding kan niet in de toekomst liggen (%(on)s)"))
        if len(result.strip()) < 5:
            raise DomainError("Beschrijf het resultaat van de verbeteractie (min. 5 tekens)")
        self._action_completed(action_id=action_id, on=on, result=result.strip())

    @event("ImprovementActionCompleted")
    def _action_completed(self, action_id: str, on: date, result: str) -> None:
        self.actions[action_id] = {
            **self.actions[action_id], "done_on": on.isoformat(), "result": result
        }
