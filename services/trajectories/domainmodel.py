"""The trajectory aggregate (first slice: start, responsible jobcoach, warm handover).

Clients are referred to by their id in the organisation; their personal data is
not part of these events.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from services.kernel.domain import DomainError, StampedAggregate


class Trajectory(StampedAggregate):
    def __init__(self, client_id: UUID, commissioner: str, responsible_jobcoach: UUID):
        if not commissioner.strip():
            raise DomainError("Opdrachtgever is verplicht")
        self.client_id = client_id
        self.commissioner = commissioner
        self.responsible_jobcoach = responsible_jobcoach
        self.handovers: list[dict[str, str]] = []
        self.closed = False

    @event("Reassigned")
    def reassign(self, jobcoach: UUID, handover_note: str) -> None:
        """A change of jobcoach is a warm handover: never without a note."""
        if self.closed:
            raise DomainError("Een afgesloten traject kan niet worden overgedragen")
        if jobcoach == self.responsible_jobcoach:
            raise DomainError("Deze jobcoach is al verantwoordelijk voor het traject")
        if len(handover_note.strip()) < 10:
            raise DomainError("Een warme overdracht vraagt een overdrachtsnotitie (min. 10 tekens)")
        self.handovers.append(
            {"from": str(self.responsible_jobcoach), "to": str(jobcoach), "note": handover_note}
        )
        self.responsible_jobcoach = jobcoach
