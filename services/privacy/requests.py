"""Data-subject requests (art. 12-22 AVG) with their statutory deadline.

Dates are ISO strings in events and are always passed in (`on=`), never read from
a clock here. Anything the requester or officer writes about the client is sealed
with the client's key by the application before it reaches an event.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from services.kernel.domain import DomainError, StampedAggregate
from services.privacy.deadlines import request_due
from services.privacy.vocabulary import (
    OUTCOMES,
    RECTIFIABLE_FIELDS,
    REQUEST_CHANNELS,
    REQUEST_KINDS,
)

Sealed = dict[str, str]
OPEN = ("received", "in_progress")


class DataSubjectRequest(StampedAggregate):
    def __init__(
        self,
        client_id: UUID,
        kind: str,
        received_on: str,
        channel: str,
        requester: Sealed | None = None,
        details: Sealed | None = None,
    ) -> None:
        if kind not in REQUEST_KINDS:
            raise DomainError("Onbekend soort verzoek: %(kind)s", kind=kind)
        if channel not in REQUEST_CHANNELS:
            raise DomainError("Onbekend kanaal: %(channel)s", channel=channel)
        self.client_id = client_id
        self.kind = kind
        self.received_on = date.fromisoformat(received_on).isoformat()
        self.channel = channel
        self.requester = requester
        self.details = details
        self.status = "received"
        self.extended = False
        self.extension_reason: Sealed | None = None
        self.deadline_missed_on: str | None = None
        self.completed_on: str | None = None
        self.outcome: str | None = None
        self.outcome_note: Sealed | None = None
        self.exports: list[dict[str, str]] = []
        self.rectifications: list[dict[str, Any]] = []

    @property
    def due_on(self) -> date:
        return request_due(date.fromisoformat(self.received_on), self.extended)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def is_overdue(self, today: date) -> bool:
        return self.is_open and today > self.due_on

    def _check_open(self) -> None:
        if not self.is_open:
            raise DomainError("Dit verzoek is al afgehandeld")

    @event("Extended")
    def extend(self, reason: Sealed, on: str) -> None:
        """Once, within the first month, with reasons (art. 12 lid 3)."""
        self._check_open()
        if self.extended:
            raise DomainError("De termijn is al verlengd; verlengen kan één keer")
        if date.fromisoformat(on) > request_due(date.fromisoformat(self.received_on)):
            raise DomainError("Verlengen kan alleen binnen de eerste maand na ontvangst")
        self.extended = True
        self.extension_reason = reason

    @event("Started")
    def start(self, on: str) -> None:
        if self.status != "received":
            raise DomainError("Dit verzoek is al in behandeling of afgehandeld")
        self.status = "in_progress"

    @event("ExportDelivered")
    def deliver_export(self, document_id: str, sha256: str, media_type: str) -> None:
        self._check_open()
        if self.kind not in ("access", "portability"):
            raise DomainError("Een export hoort bij een inzage- of overdraagbaarheidsverzoek")
        self.exports.append({"document_id": document_id, "sha256": sha256, "type": media_type})

    @event("Rectified")
    def record_rectification(self, fields: list[str], on: str, by: str) -> None:
        """Which contact fields were corrected, when and by whom (a staff id). Field names
        only: the corrected values live sealed in the client's record (trajectories)."""
        self._check_open()
        if self.kind != "rectification":
            raise DomainError("Rectificeren hoort bij een verzoek om rectificatie")
        if not fields:
            raise DomainError("Er is niets gewijzigd: vul de verbeterde gegevens in")
        unknown = sorted(set(fields) - set(RECTIFIABLE_FIELDS))
        if unknown:
            raise DomainError("Onbekende velden: %(fields)s", fields=", ".join(unknown))
        self.rectifications.append({"fields": list(fields), "on": on, "by": by})

    @event("DeadlinePassed")
    def record_deadline_passed(self, on: str) -> None:
        """Kept in the history for good: a late answer stays visible after completion."""
        self._check_open()
        if self.deadline_missed_on is not None:
            raise DomainError("Het verstrijken van de termijn is al vastgelegd")
        if date.fromisoformat(on) <= self.due_on:
            raise DomainError("De termijn is nog niet verstreken")
        self.deadline_missed_on = on

    @event("Completed")
    def complete(self, outcome: str, on: str, note: Sealed | None = None) -> None:
        self._check_open()
        if outcome not in OUTCOMES:
            raise DomainError("Onbekende uitkomst: %(outcome)s", outcome=outcome)
        if outcome != "done" and note is None:
            raise DomainError("Een (gedeeltelijke) afwijzing vraagt een motivering")
        if self.kind in ("access", "portability") and outcome == "done" and not self.exports:
            raise DomainError("Maak eerst de export voor de betrokkene")
        if date.fromisoformat(on) < date.fromisoformat(self.received_on):
            raise DomainError("Afhandeldatum ligt voor de ontvangstdatum")
        self.status = "refused" if outcome == "refused" else "completed"
        self.outcome = outcome
        self.completed_on = on
        self.outcome_note = note

    def late(self) -> bool:
        return self.completed_on is not None and date.fromisoformat(self.completed_on) > self.due_on

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "client_id": self.client_id,
            "kind": self.kind,
            "channel": self.channel,
            "status": self.status,
            "received_on": self.received_on,
            "due_on": self.due_on.isoformat(),
            "extended": self.extended,
            "completed_on": self.completed_on,
            "outcome": self.outcome,
            "late": self.late(),
            "deadline_missed_on": self.deadline_missed_on,
            "exports": list(self.exports),
            "rectifications": [dict(r) for r in self.__dict__.get("rectifications", [])],
        }
