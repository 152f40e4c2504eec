"""KPI trends per month for renewal reporting, from read models only.

Each KPI says where its figures come from; where Jobtrail has no source (yet) it says
"geen gegevens" and why, and shows no number. A month without events of that kind is 0
for counts and empty (no value) for averages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import mean, median
from typing import Any
from uuid import UUID

from services.audit.snapshots import month_label

NO_SOURCE = "geen gegevens"


@dataclass
class Kpi:
    key: str
    title: str
    unit: str = ""
    values: list[float | None] = field(default_factory=list)
    source: str = ""
    note: str = ""
    threshold: float | None = None

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.values)

    @property
    def latest(self) -> float | None:
        known = [v for v in self.values if v is not None]
        return known[-1] if known else None

    @property
    def latest_text(self) -> str:
        value = self.latest
        return "geen gegevens" if value is None else f"{value:g}".replace(".", ",") + self.unit


@dataclass(frozen=True)
class Month:
    first: date
    last: date

    @property
    def key(self) -> str:
        return self.first.isoformat()[:7]

    @property
    def label(self) -> str:
        return month_label(self.first)


def months(today: date, count: int = 12) -> list[Month]:
    """The last `count` months, the current (partial) month last."""
    found, first = [], today.replace(day=1)
    for _ in range(count):
        following = (first + timedelta(days=32)).replace(day=1)
        found.append(Month(first, min(following - timedelta(days=1), today)))
        first = (first - timedelta(days=1)).replace(day=1)
    return found[::-1]


def _view(platform: Any, org_id: UUID, dotted: str) -> Any:
    module_name, _, name = dotted.partition(":")
    try:
        module = __import__(module_name, fromlist=[name])
        return platform.view(getattr(module, name), org_id)
    except (ImportError, AttributeError, StopIteration):
        return None


def _empty(key: str, title: str, note: str, count: int, unit: str = "") -> Kpi:
    return Kpi(key, title, unit, [None] * count, note=note)


def kpi_trends(platform: Any, org_id: UUID, today: date, count: int = 12) -> list[Kpi]:
    span = months(today, count)
    builders = (_placements, _durability, _time_to_placement, _hours, _satisfaction,
                _complaint_time, _training, _peer_review)
    result: list[Kpi] = []
    for build in builders:
        try:
            result.extend(build(platform, org_id, span))
        except Exception as error:  # one context's read model in flux must not sink the page
            result.append(_empty(build.__name__.strip("_"), build.__name__.strip("_"),
                                 f"Bron niet leesbaar ({type(error).__name__})", len(span)))
    return result


def _trajectories(platform: Any, org_id: UUID) -> list[dict[str, Any]] | None:
    facts = _view(platform, org_id, "projections.renewal_facts:TrajectoryFactsView")
    return None if facts is None else facts.trajectories()


def _placements(platform: Any, org_id: UUID, span: list[Month]) -> list[Kpi]:
    found = _trajectories(platform, org_id)
    kpi = Kpi("plaatsingen", "Plaatsingen per maand", source="trajecten (plaatsing, startdatum)")
    if not found:
        kpi.values, kpi.note = [None] * len(span), "Nog geen trajecten vastgelegd"
        return [kpi]
    per = defaultdict(int)
    for t in found:
        if t["placed_on"]:
            per[t["placed_on"][:7]] += 1
    kpi.values = [float(per.get(m.key, 0)) for m in span]
    return [kpi]


def _durability(platform: Any, org_id: UUID, span: list[Month]) -> list[Kpi]:
    """Per month: of the placements with a follow-up after 6 (12) months dated in the 12
    months up to that month's end, the % still working (the last follow-up of a term
    counts). No follow-up at all: "geen gegevens", never an estimate."""
    facts = _view(platform, org_id, "projections.renewal_facts:FollowUpFactsView")
    found = []
    for months in (6, 12):
        kpi = Kpi(f"duurzaam_{months}", f"Duurzaamheid plaatsing na {months} maanden", "%",
                  source=f"follow-up {months} maanden na plaatsing (12 maanden tot maandeinde)")
        rows = facts.follow_ups(months) if facts else []
        values: list[float | None] = []
        for m in span:
            window = [r for r in rows
                      if (m.last - timedelta(days=365)).isoformat() < r["on_day"]
                      <= m.last.isoformat()]
            working = sum(1 for r in window if r["still_working"])
            values.append(round(100 * working / len(window), 1) if window else None)
        kpi.values = values
        if not rows:
            kpi.note = (f"Nog geen follow-up na {months} maanden vastgelegd (trajectpagina of "
                        "API: follow-ups)")
        elif not kpi.has_data:
            kpi.note = "Geen follow-ups in de 12 maanden tot deze maandeinden"
        found.append(kpi)
    return found


def _time_to_placement(platform: Any, org_id: UUID, span: list[Month]) -> list[Kpi]:
    found = _trajectories(platform, org_id) or []
    kpi = Kpi("tijd_tot_plaatsing", "Tijd tot plaatsing (mediaan, dagen)", " dagen",
              source="trajecten (start tot startdatum plaatsing)")
    per: dict[str, list[int]] = defaultdict(list)
    for t in found:
        if t["placed_on"]:
            days = (date.fromisoformat(t["placed_on"]) - date.fromisoformat(t["started_on"])).days
            per[t["placed_on"][:7]].append(max(0, days))
    kpi.values = [float(median(per[m.key])) if per.get(m.key) else None for m in span]
    if not kpi.has_data:
        kpi.note = "Geen plaatsingen in deze maanden"
    return [kpi]


def _hours(platform: Any, org_id: UUID, span: list[Month]) -> list[Kpi]:
    facts = _view(platform, org_id, "projections.renewal_facts:TrajectoryFactsView")
    kpi = Kpi("uren_per_traject", "Geregistreerde uren per actief traject", " uur",
              source="urenregistratie (activiteiten, na correcties)")
    per = {row["month"]: row for row in (facts.minutes_per_month() if facts else [])}
    kpi.values = [
        round(per[m.key]["minutes"] / 60 / per[m.key]["trajectories"], 1) if m.key in per
        else None
        for m in span
    ]
    if not kpi.has_data:
        kpi.note = "Geen uren geregistreerd in deze maanden"
    return [kpi]


def _satisfaction(platform: Any, org_id: UUID, span: list[Month]) -> list[Kpi]:
    facts = _view(platform, org_id, "projections.renewal_facts:SatisfactionFactsView")
    kpi = Kpi("tevredenheid", "Gemiddelde tevredenheid (UWV-formulieren, 1-10)",
              source="tevredenheidsonderzoek", threshold=6.5)
    per: dict[str, list[float]] = defaultdict(list)
    for row in facts.scores() if facts else []:
        per[row["responded_on"][:7]].append(float(row["score"]))
    kpi.values = [round(mean(per[m.key]), 2) if per.get(m.key) else None for m in span]
    if not kpi.has_data:
        kpi.note = "Geen beoordelingen met een cijfer in deze maanden"
    return [kpi]


def _complaint_time(platform: Any, org_id: UUID, span: list[Month]) -> list[Kpi]:
    view = _view(platform, org_id, "services.quality.complaints.register:ComplaintRegisterView")
    kpi = Kpi("klachtafhandeltijd", "Afhandeltijd klachten (gemiddeld, dagen tot besluit)",
              " dagen", source="klachtenregister")
    per: dict[str, list[int]] = defaultdict(list)
    for c in view.complaints() if view else []:
        if c.get("decided_on") and c.get("received_on"):
            days = (date.fromisoformat(c["decided_on"][:10])
                    - date.fromisoformat(c["received_on"][:10])).days
            per[c["decided_on"][:7]].append(days)
    kpi.values = [round(mean(per[m.key]), 1) if per.get(m.key) else None for m in span]
    if not kpi.has_data:
        kpi.note = "Geen klachten afgehandeld in deze maanden"
    return [kpi]


def _jobcoaches(platform: Any, org_id: UUID) -> list[str]:
    return [m["user_id"] for m in platform.directory.members(org_id) if m["role"] == "jobcoach"]


def _coverage(coaches: list[str], covered_by_month: list[set[str]]) -> list[float | None]:
    if not coaches:
        return [None] * len(covered_by_month)
    return [round(100 * len(set(coaches) & covered) / len(coaches), 1)
            for covered in covered_by_month]


def _training(platform: Any, org_id: UUID, span: list[Month]) -> list[Kpi]:
    view = _view(platform, org_id, "services.quality.training.view:TrainingView")
    coaches = _jobcoaches(platform, org_id)
    kpi = Kpi("scholingsdekking", "Jobcoaches met scholing in de afgelopen 12 maanden", "%",
              source="scholingsregistratie; huidige jobcoaches")
    records = view.training_records() if view else []
    kpi.values = _coverage(coaches, [
        {r["jobcoach_id"] for r in records
         if (m.last - timedelta(days=365)).isoformat() < r["completed_on"] <= m.last.isoformat()}
        for m in span
    ])
    if not coaches:
        kpi.note = "Geen jobcoaches in de organisatie"
    return [kpi]


def _peer_review(platform: Any, org_id: UUID, span: list[Month]) -> list[Kpi]:
    facts = _view(platform, org_id, "projections.renewal_facts:PeerReviewFactsView")
    coaches = _jobcoaches(platform, org_id)
    kpi = Kpi("intervisiedekking", "Jobcoaches met intercollegiale toetsing (12 maanden)", "%",
              source="intervisieregistratie; huidige jobcoaches")
    kpi.values = _coverage(coaches, [
        facts.participants_between(m.last - timedelta(days=364), m.last) if facts else set()
        for m in span
    ])
    if not coaches:
        kpi.note = "Geen jobcoaches in de organisatie"
    return [kpi]


def hour_findings(platform: Any, org_id: UUID, today: date) -> list[dict[str, Any]]:
    """Implausible days per jobcoach over the last 12 months (all clients added up)."""
    view = _view(platform, org_id, "services.trajectories.workday:WorkdayView")
    if view is None:
        return []
    names = {m["user_id"]: m["name"] for m in platform.directory.members(org_id)}
    per: dict[str, dict[str, Any]] = {}
    for day in view.implausible_days(None, today - timedelta(days=365), today):
        coach = per.setdefault(day["jobcoach_id"], {
            "jobcoach_id": day["jobcoach_id"],
            "name": names.get(day["jobcoach_id"], f"oud-medewerker {day['jobcoach_id'][:8]}"),
            "days": 0, "max_hours": 0.0, "overlaps": 0, "last_day": "", "reasons": set(),
        })
        coach["days"] += 1
        coach["max_hours"] = max(coach["max_hours"], round(day["minutes"] / 60, 1))
        coach["overlaps"] += len(day["overlaps"])
        coach["last_day"] = max(coach["last_day"], day["on_day"])
        coach["reasons"].update(
            "overlappende activiteiten" if "overlappend" in r else r for r in day["reasons"]
        )
    for coach in per.values():
        coach["reasons"] = sorted(coach["reasons"])
    return sorted(per.values(), key=lambda c: (-c["days"], c["name"]))
