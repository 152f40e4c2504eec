"""The organisation's complaint regulation: versioned configuration, and its terms.

A complaint keeps a copy of the regulation version in force when it was received,
so adopting a new version never moves the deadlines of complaints already running.
Public holidays (the `holidays` package's Dutch calendar) do not count as working days
when the version says so; versions without that setting count Monday to Friday.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import holidays as holiday_calendars
from eventsourcing.domain import event

from services.kernel.domain import N_, DomainError, StampedAggregate

UNITS = ("werkdagen", "kalenderdagen", "weken")
REGULATION_NAMESPACE = uuid5(NAMESPACE_URL, "https://jobtrail.nl/quality/complaint-regulation")
COUNTRIES = ("NL",)
# Each term's refusals as whole sentences (shape, amount, unit): one msgid each, so a
# translation never mixes the Dutch name of the term into another language.
TERM_REFUSALS = {
    "Ontvangstbevestiging": (
        N_("Ontvangstbevestiging: geef een termijn als aantal en eenheid"),
        N_("Ontvangstbevestiging: het aantal moet een geheel getal van 1 tot 365 zijn"),
        N_("Ontvangstbevestiging: de eenheid moet een van %(choices)s zijn"),
    ),
    "Beslistermijn": (
        N_("Beslistermijn: geef een termijn als aantal en eenheid"),
        N_("Beslistermijn: het aantal moet een geheel getal van 1 tot 365 zijn"),
        N_("Beslistermijn: de eenheid moet een van %(choices)s zijn"),
    ),
    "Verlenging": (
        N_("Verlenging: geef een termijn als aantal en eenheid"),
        N_("Verlenging: het aantal moet een geheel getal van 1 tot 365 zijn"),
        N_("Verlenging: de eenheid moet een van %(choices)s zijn"),
    ),
    "Termijn externe klacht": (
        N_("Termijn externe klacht: geef een termijn als aantal en eenheid"),
        N_("Termijn externe klacht: het aantal moet een geheel getal van 1 tot 365 zijn"),
        N_("Termijn externe klacht: de eenheid moet een van %(choices)s zijn"),
    ),
}


@functools.lru_cache(maxsize=64)
def _holidays_of(country: str, optional: bool, year: int) -> dict[date, str]:
    """{day: Dutch name} of one year (a plain copy: the package's objects grow lazily)."""
    categories = ("public", "optional") if optional else ("public",)
    found = holiday_calendars.country_holidays(country, years=year, categories=categories,
                                               language="nl")
    return dict(found.items())


@dataclass(frozen=True)
class PublicHolidays:
    """Which public holidays are not working days: the package's calendar of `country`,
    with its optional days (Bevrijdingsdag in most years) if `optional`, minus the days
    named in `ignore` (e.g. "Goede vrijdag", not a holiday in the Algemene termijnenwet)."""

    country: str
    optional: bool
    ignore: tuple[str, ...] = ()

    @classmethod
    def parse(cls, data: Any) -> PublicHolidays | None:
        if data is None or data is False:
            return None
        if not isinstance(data, dict) or data.get("country") not in COUNTRIES:
            raise DomainError("Feestdagen: geef het land (NL), of false om ze als werkdag te"
                              " tellen")
        ignore = data.get("ignore") or []
        if not isinstance(ignore, list) or not all(isinstance(n, str) for n in ignore):
            raise DomainError("Feestdagen: 'ignore' is een lijst met namen van feestdagen")
        return cls(data["country"], bool(data.get("optional", False)),
                   tuple(n.strip() for n in ignore))

    def name(self, day: date) -> str | None:
        """The holiday's name if `day` is a holiday that does not count, else None."""
        found = _holidays_of(self.country, self.optional, day.year).get(day)
        if found is None:
            return None
        names = [n.strip() for n in found.split(";")]  # two holidays on one day
        return found if any(n not in self.ignore for n in names) else None

    def as_dict(self) -> dict[str, Any]:
        return {"country": self.country, "optional": self.optional, "ignore": list(self.ignore)}


@dataclass(frozen=True)
class Term:
    amount: int
    unit: str  # werkdagen (Mon-Fri, minus public holidays if set), kalenderdagen or weken
    holidays: PublicHolidays | None = field(default=None, compare=False)

    @classmethod
    def parse(cls, data: Any, what: str, holidays: PublicHolidays | None = None) -> Term:
        shape, whole_number, one_of = TERM_REFUSALS[what]
        if not isinstance(data, dict):
            raise DomainError(shape)
        amount, unit = data.get("amount"), data.get("unit")
        if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= 365:
            raise DomainError(whole_number)
        if unit not in UNITS:
            raise DomainError(one_of, choices=", ".join(UNITS))
        return cls(amount, unit, holidays)

    def after(self, start: date) -> date:
        """The last day of the term that starts the day after `start`."""
        if self.unit == "kalenderdagen":
            return start + timedelta(days=self.amount)
        if self.unit == "weken":
            return start + timedelta(weeks=self.amount)
        day, left = start, self.amount
        while left:  # working days: Saturdays, Sundays and (if set) public holidays do not count
            day += timedelta(days=1)
            if day.weekday() < 5 and not (self.holidays and self.holidays.name(day)):
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
    public_holidays: PublicHolidays | None = None  # None: only weekends are not working days

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
        off = PublicHolidays.parse(data.get("public_holidays"))
        regulation = cls(
            version=version,
            title=title,
            acknowledgement=Term.parse(data.get("acknowledgement"), "Ontvangstbevestiging", off),
            decision=Term.parse(data.get("decision"), "Beslistermijn", off),
            extension=Term.parse(extension, "Verlenging", off),
            max_extensions=max_extensions,
            external_body=str(external["name"]).strip(),
            external_body_contact=str(external.get("contact") or "").strip(),
            escalation_term=Term.parse(external.get("term"), "Termijn externe klacht", off),
            public_holidays=off,
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
            "public_holidays": self.public_holidays.as_dict() if self.public_holidays else None,
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
                "Op %(on)s gold nog geen klachtreglement; stel er eerst een vast",
                on=f"{on:%d-%m-%Y}",
            )
        return Regulation.from_dict(candidates[-1])
