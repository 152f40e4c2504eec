"""The organisation's complaint regulation: versioned configuration, and its terms.

A complaint keeps a copy of the regulation version in force when it was received,
so adopting a new version never moves the deadlines of complaints already running.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from services.kernel.domain import DomainError, StampedAggregate

UNITS = ("werkdagen", "kalenderdagen", "weken")
REGULATION_NAMESPACE = uuid5(NAMESPACE_URL, "https://jobtrail.nl/quality/complaint-regulation")


@dataclass(frozen=True)
class Term:
    amount: int
    unit: str  # werkdagen (Mon-Fri), kalenderdagen or weken

    @classmethod
    def parse(cls, data: Any, what: str) -> Term:
        if not isinstance(data, dict):
            raise DomainError(f"{what}: geef een termijn als aantal en eenheid")
        amount, unit = data.get("amount"), data.get("unit")
        if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= 365:
            raise DomainError(f"{what}: het aantal moet een geheel getal van 1 tot 365 zijn")
        if unit not in UNITS:
            raise DomainError(f"{what}: de eenheid moet een van {', '.join(UNITS)} zijn")
        return cls(amount, unit)

    def after(self, start: date) -> date:
        """The last day of the term that starts the day after `start`."""
        if self.unit == "kalenderdagen":
            return start + timedelta(days=self.amount)
        if self.unit == "weken":
            return start + timedelta(weeks=self.amount)
        day, left = start, self.amount
        while left:  # working days: Saturdays and Sundays do not count
            day += timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day

    def as_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "unit": self.unit}

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


@dataclass(frozen=True)
class Regulation:
    """One version of the terms of a complaint regulation."""

    version: int
    title: str
    acknowledgement: Term  # ontvangstbevestiging
    decision: Term  # beslissing, counted from receipt
    extension: Term  # one extension of the decision term
    max_extensions: int
    external_body: str  # onafhankelijke klachtencommissie / geschilleninstantie
    external_body_contact: str
    escalation_term: Term  # how long after the decision the complainant may escalate

    @classmethod
    def parse(cls, data: dict[str, Any], version: int) -> Regulation:
        title = str(data.get("title") or "").strip()
        if not title:
            raise DomainError("Geef het klachtreglement een titel")
        external = data.get("external_body") or {}
        if not isinstance(external, dict) or not str(external.get("name") or "").strip():
            raise DomainError("Noem de externe klachteninstantie (naam verplicht)")
        extension = data.get("extension") or {}
        max_extensions = extension.get("max_count", 1) if isinstance(extension, dict) else None
        if not isinstance(max_extensions, int) or not 0 <= max_extensions <= 3:
            raise DomainError("Het aantal verlengingen moet 0 tot en met 3 zijn")
        regulation = cls(
            version=version,
            title=title,
            acknowledgement=Term.parse(data.get("acknowledgement"), "Ontvangstbevestiging"),
            decision=Term.parse(data.get("decision"), "Beslistermijn"),
            extension=Term.parse(extension, "Verlenging"),
            max_extensions=max_extensions,
            external_body=str(external["name"]).strip(),
            external_body_contact=str(external.get("contact") or "").strip(),
            escalation_term=Term.parse(external.get("term"), "Termijn externe klacht"),
        )
        if regulation.decision.after(date(2000, 1, 3)) <= regulation.acknowledgement.after(
            date(2000, 1, 3)
        ):
            raise DomainError("De beslistermijn moet langer zijn dan de termijn van ontvangst")
        return regulation

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "title": self.title,
            "acknowledgement": self.acknowledgement.as_dict(),
            "decision": self.decision.as_dict(),
            "extension": {**self.extension.as_dict(), "max_count": self.max_extensions},
            "external_body": {
                "name": self.external_body,
                "contact": self.external_body_contact,
                "term": self.escalation_term.as_dict(),
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Regulation:
        return cls.parse(data, int(data["version"]))


class ComplaintRegulation(StampedAggregate):
    """One per organisation; every adoption is a new version, none is ever lost."""

    def __init__(self, organisation_id: UUID) -> None:
        self.organisation_id = organisation_id
        self.versions: list[dict[str, Any]] = []

    @classmethod
    def create_id(cls, organisation_id: UUID) -> UUID:  # type: ignore[override]
        return uuid5(REGULATION_NAMESPACE, str(organisation_id))

    def adopt(self, terms: dict[str, Any], in_force_from: date) -> Regulation:
        regulation = Regulation.parse(terms, len(self.versions) + 1)
        if self.versions and in_force_from < date.fromisoformat(
            self.versions[-1]["in_force_from"]
        ):
            raise DomainError("Een nieuwe versie kan niet eerder ingaan dan de vorige")
        self._adopted(terms=regulation.as_dict(), in_force_from=in_force_from.isoformat())
        return regulation

    @event("Adopted")
    def _adopted(self, terms: dict[str, Any], in_force_from: str) -> None:
        self.versions.append({**terms, "in_force_from": in_force_from})

    def in_force(self, on: date) -> Regulation:
        candidates = [v for v in self.versions if date.fromisoformat(v["in_force_from"]) <= on]
        if not candidates:
            raise DomainError(
                f"Op {on:%d-%m-%Y} gold nog geen klachtreglement; stel er eerst een vast"
            )
        return Regulation.from_dict(candidates[-1])
