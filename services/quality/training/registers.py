"""A jobcoach's register file: education evidence, practice, registrations, supervision."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from services.kernel.domain import DomainError, StampedAggregate
from services.quality.training.domainmodel import NAMESPACE, REGISTER_KEYS

EDUCATION_LEVELS = {
    "mbo": "mbo", "hbo": "hbo (NLQF 6)", "wo": "wo (NLQF 7)",
    "evc-hbo": "hbo-niveau via EVC of assessment",
}
DIPLOMA_KINDS = {
    "accredited": "Door Noloc erkend jobcoachdiploma (Capabel, Combo, Elan, Saxion)",
    "before_2013": "Jobcoachdiploma van vóór 2013",
    "other": "Ander jobcoachdiploma",
}


class RegisterFile(StampedAggregate):
    def __init__(self, jobcoach_id: UUID) -> None:
        self.jobcoach_id = jobcoach_id
        self.education: list[dict[str, Any]] = []
        self.diplomas: list[dict[str, Any]] = []
        self.practice_started_on: date | None = None
        self.prior_hours: list[dict[str, Any]] = []
        self.registrations: dict[str, dict[str, Any]] = {}
        self.supervisor_id: str | None = None

    @classmethod
    def create_id(cls, jobcoach_id: UUID) -> UUID:  # type: ignore[override]
        return uuid5(NAMESPACE, f"register-file:{jobcoach_id}")

    def record_education(self, level: str, name: str, completed_on: date, today: date,
                         evidence_sha256: str | None = None) -> None:
        if level not in EDUCATION_LEVELS:
            raise DomainError("Niveau moet een van %(choices)s zijn",
                              choices=", ".join(EDUCATION_LEVELS))
        if completed_on > today:
            raise DomainError("Een opleiding die nog niet is afgerond telt nog niet")
        if not name.strip():
            raise DomainError("Noem de opleiding")
        self._education(level=level, name=name.strip(), completed_on=completed_on.isoformat(),
                        evidence_sha256=evidence_sha256)

    @event("EducationRecorded")
    def _education(self, level: str, name: str, completed_on: str,
                   evidence_sha256: str | None) -> None:
        self.education.append({"level": level, "name": name, "completed_on": completed_on,
                               "evidence_sha256": evidence_sha256})

    def record_diploma(self, kind: str, name: str, year: int, today: date) -> None:
        if kind not in DIPLOMA_KINDS:
            raise DomainError("Soort diploma moet een van %(choices)s zijn",
                              choices=", ".join(DIPLOMA_KINDS))
        if not 1990 <= year <= today.year:
            raise DomainError("Het jaar van het diploma klopt niet")
        if kind == "before_2013" and year >= 2013:
            raise DomainError("Een diploma 'van vóór 2013' is behaald vóór 2013")
        self._diploma(kind=kind, name=name.strip(), year=year)

    @event("JobcoachDiplomaRecorded")
    def _diploma(self, kind: str, name: str, year: int) -> None:
        self.diplomas.append({"kind": kind, "name": name, "year": year})

    def start_practice(self, on: date, today: date) -> None:
        if on > today:
            raise DomainError("De startdatum als praktiserend jobcoach ligt in de toekomst")
        self._practice_started(on=on)

    @event("PracticeStarted")
    def _practice_started(self, on: date) -> None:
        self.practice_started_on = on

    def record_prior_hours(self, hours: float, until: date, description: str,
                           today: date) -> None:
        """Practice hours from before the platform (or elsewhere), with their evidence."""
        if hours <= 0 or hours > 20000:
            raise DomainError("Het aantal uren moet positief zijn (en aannemelijk)")
        if until > today:
            raise DomainError("Eerdere uren liggen niet in de toekomst")
        if len(description.strip()) < 5:
            raise DomainError("Beschrijf waar de uren zijn gemaakt en het bewijs")
        self._prior_hours(hours=float(hours), until=until.isoformat(),
                          description=description.strip())

    @event("PriorHoursRecorded")
    def _prior_hours(self, hours: float, until: str, description: str) -> None:
        self.prior_hours.append({"hours": hours, "until": until, "description": description})

    def register(self, register: str, registered_on: date, expires_on: date, number: str,
                 today: date) -> None:
        if register not in REGISTER_KEYS:
            raise DomainError("Register moet een van %(choices)s zijn",
                              choices=", ".join(REGISTER_KEYS))
        if registered_on > today:
            raise DomainError("De registratiedatum ligt in de toekomst")
        if expires_on <= registered_on:
            raise DomainError("De registratie verloopt na de registratiedatum")
        self._registered(register=register, registered_on=registered_on.isoformat(),
                         expires_on=expires_on.isoformat(), number=number.strip())

    @event("Registered")
    def _registered(self, register: str, registered_on: str, expires_on: str,
                    number: str) -> None:
        self.registrations[register] = {"registered_on": registered_on,
                                        "expires_on": expires_on, "number": number}

    def assign_supervisor(self, supervisor_id: UUID) -> None:
        if supervisor_id == self.jobcoach_id:
            raise DomainError("Een aspirant-jobcoach kan niet zijn eigen begeleider zijn")
        self._supervised(supervisor_id=str(supervisor_id))

    @event("SupervisorAssigned")
    def _supervised(self, supervisor_id: str) -> None:
        self.supervisor_id = supervisor_id

    def state(self) -> dict[str, Any]:
        return {
            "jobcoach_id": str(self.jobcoach_id), "education": self.education,
            "diplomas": self.diplomas,
            "practice_started_on": self.practice_started_on.isoformat()
            if self.practice_started_on else None,
            "prior_hours": self.prior_hours, "registrations": self.registrations,
            "supervisor_id": self.supervisor_id, "version": self.version,
        }
