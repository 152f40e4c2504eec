"""Absence of a jobcoach: registered so that continuity can be shown (DOMAIN.md,
quality requirement 1), and the moment to hand the caseload over in bulk."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import event

from services.kernel.domain import StampedAggregate
from services.trajectories.rules import ABSENCE_KINDS, one_of, require

ABSENCE_NAMESPACE = uuid5(NAMESPACE_URL, "https://jobtrail.nl/jobcoach-absence")


class JobcoachAbsences(StampedAggregate):
    """The absences of one jobcoach in one organisation (no reasons of health: a kind)."""

    def __init__(self, id: UUID, jobcoach: UUID):  # noqa: A002
        self.jobcoach = jobcoach
        self.absences: list[dict[str, Any]] = []

    @staticmethod
    def id_for(org_id: UUID, jobcoach: UUID) -> UUID:
        return uuid5(ABSENCE_NAMESPACE, f"{org_id}:{jobcoach}")

    def register(self, kind: str, first_day: date, last_day: date | None, note: str) -> str:
        one_of(kind, ABSENCE_KINDS, "Soort afwezigheid")
        require(last_day is None or last_day >= first_day, "Laatste dag ligt vóór de eerste")
        for other in self.absences:
            other_end = other["last_day"] or date.max
            require(
                (last_day or date.max) < other["first_day"] or first_day > other_end,
                "Overlapt met een al geregistreerde afwezigheid",
            )
        absence_id = uuid4().hex[:12]
        self._registered(
            absence_id, str(self.jobcoach), kind, first_day, last_day, note.strip()[:500]
        )
        return absence_id

    @event("AbsenceRegistered")
    def _registered(
        self,
        absence_id: str,
        jobcoach: str,
        kind: str,
        first_day: date,
        last_day: date | None,
        note: str,
    ) -> None:
        self.absences.append(
            {
                "absence_id": absence_id,
                "kind": kind,
                "first_day": first_day,
                "last_day": last_day,
                "note": note,
                "reassigned": [],
            }
        )

    @event("CaseloadHandedOver")
    def record_handover(self, absence_id: str, to: UUID, trajectory_ids: list[str]) -> None:
        for absence in self.absences:
            if absence["absence_id"] == absence_id:
                absence["reassigned"] = [*absence["reassigned"], *trajectory_ids]

    def absent_on(self, day: date) -> dict[str, Any] | None:
        return next(
            (
                a for a in self.absences
                if a["first_day"] <= day <= (a["last_day"] or date.max)
            ),
            None,
        )
