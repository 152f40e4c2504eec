"""Training policy: function profiles, onboarding, training plans and training records.

Registers (per jobcoach) and peer review live in registers.py and peerreview.py.
Commands check and then call a private `@event` method that only mutates, so replaying
old events never re-runs rules that may have changed since.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from services.kernel.domain import N_, DomainError, StampedAggregate

NAMESPACE = uuid5(NAMESPACE_URL, "https://jobtrail.nl/quality/training")
CATEGORIES = {
    "opleiding": "Opleiding",
    "cursus": "Cursus / training",
    "congres": "Congres / symposium",
    "intervisie": "Intervisie / intercollegiale toetsing",
    "literatuur": "Vakliteratuur",
    "overig": "Overig",
}
REGISTER_KEYS = ("noloc", "nvs", "bvjn")


def _text(value: str, refusal: str, minimum: int = 2, maximum: int = 300,
          **params: object) -> str:
    """The text stripped; else refused with `refusal`, a whole sentence (one msgid) with
    `%(minimum)s` and `%(maximum)s`."""
    value = (value or "").strip()
    if not minimum <= len(value) <= maximum:
        raise DomainError(refusal, minimum=minimum, maximum=maximum, **params)
    return value


def _texts(values: list[str], refusal: str) -> list[str]:
    return [_text(v, refusal) for v in values]


class FunctionProfile(StampedAggregate):
    """What a role requires: education and trainings. Every revision is kept."""

    def __init__(self, title: str, role: str, description: str,
                 required_education: list[str], required_trainings: list[str]) -> None:
        self.title = title
        self.role = role
        self.description = description
        self.required_education = required_education
        self.required_trainings = required_trainings
        self.revision = 1

    @classmethod
    def define(cls, title: str, role: str, description: str, required_education: list[str],
               required_trainings: list[str]) -> FunctionProfile:
        return cls(_text(title, N_("Functienaam: %(minimum)s tot %(maximum)s tekens")),
                   _text(role, N_("Rol: %(minimum)s tot %(maximum)s tekens")),
                   _text(description, N_("Omschrijving: %(minimum)s tot %(maximum)s tekens"),
                         0, 5000),
                   _texts(required_education,
                          N_("Vereiste opleiding: %(minimum)s tot %(maximum)s tekens")),
                   _texts(required_trainings,
                          N_("Vereiste training: %(minimum)s tot %(maximum)s tekens")))

    def revise(self, description: str, required_education: list[str],
               required_trainings: list[str]) -> None:
        self._revised(description=_text(
                          description, N_("Omschrijving: %(minimum)s tot %(maximum)s tekens"),
                          0, 5000),
                      required_education=_texts(
                          required_education,
                          N_("Vereiste opleiding: %(minimum)s tot %(maximum)s tekens")),
                      required_trainings=_texts(
                          required_trainings,
                          N_("Vereiste training: %(minimum)s tot %(maximum)s tekens")))

    @event("Revised")
    def _revised(self, description: str, required_education: list[str],
                 required_trainings: list[str]) -> None:
        self.description = description
        self.required_education = required_education
        self.required_trainings = required_trainings
        self.revision += 1


class OnboardingProgramme(StampedAggregate):
    """The onboarding programme for new staff: steps, each due some days after starting."""

    def __init__(self, name: str, steps: list[dict[str, Any]]) -> None:
        self.name = name
        self.steps = steps
        self.revision = 1

    @staticmethod
    def checked_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not steps:
            raise DomainError("Een inwerkprogramma heeft minstens één onderdeel")
        checked = []
        for number, step in enumerate(steps, 1):
            days = step.get("due_after_days", 30)
            if not isinstance(days, int) or not 0 <= days <= 365:
                raise DomainError("Onderdeel %(number)s: termijn 0 tot 365 dagen",
                                  number=number)
            checked.append({"id": str(step.get("id") or f"stap-{number}"),
                            "text": _text(
                                step.get("text", ""),
                                N_("Onderdeel %(number)s: %(minimum)s tot %(maximum)s tekens"),
                                number=number),
                            "due_after_days": days})
        if len({s["id"] for s in checked}) != len(checked):
            raise DomainError("De onderdelen van een inwerkprogramma hebben elk een eigen id")
        return checked

    @classmethod
    def define(cls, name: str, steps: list[dict[str, Any]]) -> OnboardingProgramme:
        return cls(_text(name, N_("Naam: %(minimum)s tot %(maximum)s tekens")),
                   cls.checked_steps(steps))

    def revise(self, steps: list[dict[str, Any]]) -> None:
        self._revised(steps=self.checked_steps(steps))

    @event("Revised")
    def _revised(self, steps: list[dict[str, Any]]) -> None:
        self.steps = steps
        self.revision += 1


class Onboarding(StampedAggregate):
    """One new employee's checklist, a copy of the programme revision they started on."""

    def __init__(self, employee_id: UUID, programme_id: UUID, programme_revision: int,
                 started_on: date, steps: list[dict[str, Any]]) -> None:
        self.employee_id = employee_id
        self.programme_id = programme_id
        self.programme_revision = programme_revision
        self.started_on = started_on
        self.steps = {s["id"]: {**s, "done_on": None, "signed_by": None} for s in steps}

    @classmethod
    def create_id(cls, employee_id: UUID, **_: Any) -> UUID:  # type: ignore[override]
        return uuid5(NAMESPACE, f"onboarding:{employee_id}")  # one checklist per employee

    def complete(self, step_id: str, on: date, today: date, signed_by: str) -> None:
        step = self.steps.get(step_id)
        if step is None:
            raise DomainError("Onbekend onderdeel van het inwerkprogramma")
        if step["done_on"] is not None:
            raise DomainError("Dit onderdeel is al afgevinkt")
        if on > today or on < self.started_on:
            raise DomainError("De datum ligt vóór de start of in de toekomst")
        self._completed(step_id=step_id, on=on, signed_by=signed_by)

    @event("StepCompleted")
    def _completed(self, step_id: str, on: date, signed_by: str) -> None:
        self.steps[step_id] = {**self.steps[step_id], "done_on": on.isoformat(),
                               "signed_by": signed_by}

    def progress(self, today: date) -> dict[str, Any]:
        from datetime import timedelta

        rows = []
        for step in self.steps.values():
            due = self.started_on + timedelta(days=step["due_after_days"])
            rows.append({**step, "due_on": due.isoformat(),
                         "overdue": step["done_on"] is None and today > due})
        done = sum(1 for r in rows if r["done_on"])
        return {"done": done, "total": len(rows), "complete": done == len(rows), "steps": rows}


class TrainingPlan(StampedAggregate):
    """The organisation's training plan for one year."""

    def __init__(self, organisation_id: UUID, year: int) -> None:
        self.organisation_id = organisation_id
        self.year = year
        self.items: dict[str, dict[str, Any]] = {}

    @classmethod
    def create_id(cls, organisation_id: UUID, year: int) -> UUID:  # type: ignore[override]
        return uuid5(NAMESPACE, f"plan:{organisation_id}:{year}")

    def plan(self, item_id: str, course: str, provider: str, audience: list[str],
             quarter: int, hours: float, budget_eur: float | None) -> None:
        if not 1 <= quarter <= 4:
            raise DomainError("Kwartaal moet 1, 2, 3 of 4 zijn")
        if hours < 0:
            raise DomainError("Het aantal uren kan niet negatief zijn")
        if budget_eur is not None and budget_eur < 0:
            raise DomainError("Het budget kan niet negatief zijn")
        if not audience:
            raise DomainError("Voor wie is deze scholing? (jobcoaches of een functie)")
        self._planned(item_id=item_id,
                      course=_text(course, N_("Opleiding: %(minimum)s tot %(maximum)s tekens")),
                      provider=_text(
                          provider, N_("Aanbieder: %(minimum)s tot %(maximum)s tekens")),
                      audience=[str(a) for a in audience],
                      quarter=quarter, hours=float(hours), budget_eur=budget_eur)

    @event("Planned")
    def _planned(self, item_id: str, course: str, provider: str, audience: list[str],
                 quarter: int, hours: float, budget_eur: float | None) -> None:
        self.items[item_id] = {"id": item_id, "course": course, "provider": provider,
                               "audience": audience, "quarter": quarter, "hours": hours,
                               "budget_eur": budget_eur}


class TrainingRecord(StampedAggregate):
    """One completed training of one jobcoach, with its hours, ECTS and PE points."""

    def __init__(self, jobcoach_id: UUID, course: str, provider: str, category: str,
                 completed_on: date, hours: float, ects: float,
                 pe_points: dict[str, float]) -> None:
        self.jobcoach_id = jobcoach_id
        self.course = course
        self.provider = provider
        self.category = category
        self.completed_on = completed_on
        self.hours = hours
        self.ects = ects
        self.pe_points = pe_points
        self.certificate: dict[str, Any] | None = None
        self.withdrawn: str | None = None

    @classmethod
    def record(cls, jobcoach_id: UUID, course: str, provider: str, category: str,
               completed_on: date, today: date, hours: float, ects: float = 0.0,
               pe_points: dict[str, float] | None = None) -> TrainingRecord:
        if category not in CATEGORIES:
            raise DomainError("Soort moet een van %(choices)s zijn",
                              choices=", ".join(CATEGORIES))
        if hours < 0:
            raise DomainError("Het aantal uren kan niet negatief zijn")
        if hours > 2000:
            raise DomainError("Meer dan 2000 uur voor één scholing is niet aannemelijk")
        if ects < 0 or ects > 240:
            raise DomainError("ECTS moet tussen 0 en 240 liggen")
        if completed_on > today:
            raise DomainError("Een scholing die nog niet is afgerond kan niet worden vastgelegd")
        points = {}
        for register, value in (pe_points or {}).items():
            if register not in REGISTER_KEYS:
                raise DomainError("Onbekend register: %(register)s", register=register)
            if value < 0:
                raise DomainError("PE-punten kunnen niet negatief zijn")
            points[register] = float(value)
        return cls(jobcoach_id,
                   _text(course, N_("Opleiding: %(minimum)s tot %(maximum)s tekens")),
                   _text(provider, N_("Aanbieder: %(minimum)s tot %(maximum)s tekens")),
                   category, completed_on, float(hours), float(ects), points)

    def attach_certificate(self, filename: str, sha256: str, size: int, media_type: str) -> None:
        if self.withdrawn:
            raise DomainError("Deze scholing is ingetrokken")
        self._certificate_attached(filename=filename, sha256=sha256, size=size,
                                   media_type=media_type)

    @event("CertificateAttached")
    def _certificate_attached(self, filename: str, sha256: str, size: int,
                              media_type: str) -> None:
        self.certificate = {"filename": filename, "sha256": sha256, "size": size,
                            "media_type": media_type}

    def withdraw(self, reason: str) -> None:
        if self.withdrawn:
            raise DomainError("Deze scholing is al ingetrokken")
        self._withdrawn(reason=_text(
            reason, N_("Reden: %(minimum)s tot %(maximum)s tekens"), 5, 1000))

    @event("Withdrawn")
    def _withdrawn(self, reason: str) -> None:
        self.withdrawn = reason
