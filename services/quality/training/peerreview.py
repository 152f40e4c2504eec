"""Peer review (intercollegiale toetsing): sessions with anonymised cases and agreed actions."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from services.kernel.domain import DomainError, StampedAggregate


class PeerReviewSession(StampedAggregate):
    def __init__(self, held_on: date, topic: str, facilitator_id: UUID, hours: float,
                 participants: list[str], cases: list[dict[str, str]],
                 learning_points: list[str], actions: list[dict[str, Any]]) -> None:
        self.held_on = held_on
        self.topic = topic
        self.facilitator_id = facilitator_id
        self.hours = hours
        self.participants = participants
        self.cases = cases
        self.learning_points = learning_points
        self.actions = actions
        self.cancelled: str | None = None

    @classmethod
    def record(cls, held_on: date, today: date, topic: str, facilitator_id: UUID, hours: float,
               participants: list[UUID], cases: list[dict[str, str]],
               learning_points: list[str], actions: list[dict[str, Any]]) -> PeerReviewSession:
        """A session is recorded after it took place. Cases are described anonymously:
        a label ("casus A") and a summary without names; the summary is the author's
        responsibility, the platform never links a case to a client."""
        if held_on > today:
            raise DomainError("Leg een intervisiebijeenkomst vast nadat zij heeft plaatsgevonden")
        if len(set(participants)) < 2:
            raise DomainError("Intercollegiale toetsing vraagt minstens twee deelnemers")
        if not 0 < hours <= 12:
            raise DomainError("De duur moet tussen 0 en 12 uur liggen")
        if len(topic.strip()) < 3:
            raise DomainError("Geef het onderwerp van de bijeenkomst")
        if not cases:
            raise DomainError("Noem minstens één (geanonimiseerde) casus")
        for case in cases:
            if not str(case.get("label", "")).strip() or len(str(case.get("summary", ""))) < 10:
                raise DomainError("Elke casus heeft een label en een samenvatting (min. 10 tekens)")
        checked_actions = []
        for action in actions:
            if len(str(action.get("description", "")).strip()) < 5:
                raise DomainError("Beschrijf elke afgesproken actie (min. 5 tekens)")
            due = action.get("due_on")
            if due is not None and due < held_on:
                raise DomainError("Een actie kan niet vóór de bijeenkomst af moeten zijn")
            checked_actions.append({
                "description": str(action["description"]).strip(),
                "owner_id": str(action["owner_id"]) if action.get("owner_id") else None,
                "due_on": due.isoformat() if due else None,
            })
        return cls(held_on, topic.strip(), facilitator_id, float(hours),
                   sorted({str(p) for p in participants}),
                   [{"label": str(c["label"]).strip(), "summary": str(c["summary"]).strip()}
                    for c in cases],
                   [p.strip() for p in learning_points if p.strip()], checked_actions)

    def cancel(self, reason: str) -> None:
        if self.cancelled:
            raise DomainError("Deze registratie is al ingetrokken")
        if len(reason.strip()) < 5:
            raise DomainError("Geef de reden van het intrekken")
        self._cancelled(reason=reason.strip())

    @event("Cancelled")
    def _cancelled(self, reason: str) -> None:
        self.cancelled = reason
