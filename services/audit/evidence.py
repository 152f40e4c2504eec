"""Evidence per quality mark and measurement period, from read models (never ad-hoc
queries on events), tied to a signed checkpoint of the audit log.

The requirement → norm mapping is data (services/audit/norms.yaml). Every figure says
where it comes from; a figure whose read model does not exist (yet) is "geen gegevens",
so a pack never shows a number nobody measured.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import yaml

from services.audit.domainmodel import MARKS
from services.audit.trail import AuditLog

NORMS_FILE = Path(__file__).with_name("norms.yaml")

MET, AT_RISK, NOT_MET, NO_DATA, INFO = "voldaan", "risico", "niet voldaan", "geen gegevens", "info"
SEVERITY = {NOT_MET: 3, AT_RISK: 2, MET: 1, INFO: 0, NO_DATA: -1}
MAX_LINKED_EVENTS = 25  # per requirement: enough to sample, small enough for a PDF


@functools.lru_cache(maxsize=4)
def norms(path: Path = NORMS_FILE) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(data["marks"]) - set(MARKS)
    if unknown:
        raise ValueError(f"{path}: unknown marks {sorted(unknown)}")
    ids = {r["id"] for r in data["requirements"]}
    for mark in data["marks"].values():
        for norm in mark["norms"]:
            if set(norm["requirements"]) - ids:
                raise ValueError(f"{path}: norm {norm['id']} names an unknown requirement")
    return data


@dataclass
class Figure:
    key: str
    label: str
    value: Any = None
    status: str = NO_DATA
    target: str = ""
    source: str = ""
    finding: str = ""
    originators: tuple[str, ...] = ()  # aggregates behind the figure (for event links)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "status": self.status,
            "target": self.target,
            "source": self.source,
            "finding": self.finding,
        }


class Sources:
    """The read models a pack draws on, for one organisation and period."""

    def __init__(
        self, platform: Any, org_id: UUID, start: date, end: date, today: date,
        *, live: bool = True,
    ):
        self.platform, self.org_id = platform, org_id
        self.start, self.end, self.today = start, end, today
        # live: `today` is now, so read models of the current state may answer. A past
        # month-end (services/audit/snapshots.py) is not live: only dated facts count.
        self.live = live

    def view(self, dotted: str) -> Any:
        """A read model by "module:Class", or None when that context has not landed."""
        module_name, _, name = dotted.partition(":")
        try:
            module = __import__(module_name, fromlist=[name])
            return self.platform.view(getattr(module, name), self.org_id)
        except (ImportError, AttributeError, StopIteration):
            return None

    def in_period(self, day: str | None) -> bool:
        return bool(day) and self.start.isoformat() <= str(day)[:10] <= self.end.isoformat()


def _ratio_status(good: int, total: int) -> str:
    if total == 0 or good == total:
        return MET
    return AT_RISK if good / total >= 0.8 else NOT_MET


def _complaints(src: Sources) -> list[dict[str, Any]] | None:
    view = src.view("services.quality.complaints.register:ComplaintRegisterView")
    if view is None:
        return None
    return [c for c in view.complaints() if src.in_period(c.get("received_on"))]


def fig_complaints_count(src: Sources) -> Figure:
    f = Figure(
        "klachten_in_periode",
        "Klachten ontvangen in de periode",
        status=INFO,
        source="klachtenregister",
    )
    found = _complaints(src)
    if found is None:
        return Figure(f.key, f.label, finding="Klachtenregister nog niet beschikbaar")
    f.value = len(found)
    f.originators = tuple(c["complaint_id"] for c in found)
    return f


def _within_term(src: Sources, done_key: str, due_key: str, key: str, label: str) -> Figure:
    found = _complaints(src)
    if found is None:
        return Figure(key, label, finding="Klachtenregister nog niet beschikbaar")
    today = src.today.isoformat()
    judged = [c for c in found if c.get(done_key) or (c.get(due_key) and c[due_key] < today)]
    late = [c for c in judged if not c.get(done_key) or c[done_key] > c[due_key]]
    good = len(judged) - len(late)
    figure = Figure(
        key,
        label,
        value=f"{good} van {len(judged)}",
        status=_ratio_status(good, len(judged)),
        target="alle klachten binnen de termijn van de regeling",
        source="klachtenregister",
        originators=tuple(c["complaint_id"] for c in late or judged),
    )
    if not judged:
        figure.finding = "Geen klachten waarvan de termijn in de periode verliep"
    elif late:
        figure.finding = f"{len(late)} klacht(en) buiten de termijn"
    return figure


def fig_ack(src: Sources) -> Figure:
    return _within_term(
        src,
        "acknowledged_on",
        "acknowledgement_due",
        "klachten_ontvangst_binnen_termijn",
        "Ontvangst bevestigd binnen termijn",
    )


def fig_decision(src: Sources) -> Figure:
    return _within_term(
        src,
        "decided_on",
        "decision_due",
        "klachten_besluit_binnen_termijn",
        "Besluit binnen termijn",
    )


def _open_trajectories(src: Sources) -> list[dict[str, Any]] | None:
    view = src.view("services.trajectories.caseload:CaseloadView")
    return None if view is None else view.open_trajectories()


def fig_open(src: Sources) -> Figure:
    if not src.live:  # open at a past month-end: from the dated facts
        facts = src.view("projections.renewal_facts:TrajectoryFactsView")
        if facts is None:
            return Figure("open_trajecten", "Lopende trajecten")
        day = src.today.isoformat()
        count = sum(
            1 for t in facts.trajectories()
            if t["started_on"] <= day and (not t["closed_on"] or t["closed_on"] > day)
        )
        return Figure("open_trajecten", "Lopende trajecten", value=count, status=INFO,
                      source="trajectfeiten")
    found = _open_trajectories(src)
    if found is None:
        return Figure("open_trajecten", "Lopende trajecten")
    return Figure(
        "open_trajecten", "Lopende trajecten", value=len(found), status=INFO, source="caseload"
    )


def fig_dsr_overdue(src: Sources) -> Figure:
    key, label = "verzoeken_over_termijn", "Open verzoeken van betrokkenen over de termijn"
    view = src.view("services.privacy.views:RequestsView")
    if view is None:
        return Figure(key, label)
    if src.live:
        overdue = view.overdue(src.today)
    else:  # open at that day and past the deadline, from the dates the view keeps
        day = src.today.isoformat()
        overdue = [
            r for r in view.requests(src.today)
            if r["received_on"] <= day and r["due_on"] < day
            and (not r["completed_on"] or r["completed_on"] > day)
        ]
    return Figure(
        key,
        label,
        value=len(overdue),
        status=MET if not overdue else NOT_MET,
        target="0",
        source="privacyverzoeken",
        finding=f"{len(overdue)} verzoek(en) te laat" if overdue else "",
    )


LABELS = {
    "warme_overdrachten": "Warme overdrachten met notitie",
    "uitgenodigd_inclusief_afgebroken": (
        "% cliënten uitgenodigd voor tevredenheid (incl. afgebroken)"
    ),
    "gemiddelde_tevredenheid": "Gemiddelde tevredenheid (norm 6,5)",
    "opleidingsplan_voltooid": "Opleidingsplan voltooid",
    "inwerkprogramma_gevolgd": "Nieuwe medewerkers binnen de termijn ingewerkt",
    "intervisie_dekking": "Jobcoaches met intercollegiale toetsing",
    "trajecten_gestart": "Trajecten gestart",
    "trajecten_beeindigd": "Trajecten beëindigd",
    "trajecten_geslaagd": "Trajecten geslaagd beëindigd",
    "trajecten_afgebroken": "Trajecten afgebroken",
}
FIGURES: dict[str, Callable[[Sources], Figure]] = {
    "open_trajecten": fig_open,
    "verzoeken_over_termijn": fig_dsr_overdue,
    "klachten_in_periode": fig_complaints_count,
    "klachten_ontvangst_binnen_termijn": fig_ack,
    "klachten_besluit_binnen_termijn": fig_decision,
}


def figure(key: str, src: Sources) -> Figure:
    compute = FIGURES.get(key)
    if compute is None:  # no read model provides this yet: say so
        return Figure(key, LABELS.get(key, key), finding="Nog geen bron in Jobtrail")
    try:
        return compute(src)
    except Exception as error:  # a context's read model in flux must not sink the pack
        return Figure(
            key, LABELS.get(key, key), finding=f"Bron niet leesbaar ({type(error).__name__})"
        )


def requirement_status(figures: list[Figure]) -> str:
    judged = [f.status for f in figures if f.status not in (INFO, NO_DATA)]
    if not judged:
        return NO_DATA
    return max(judged, key=SEVERITY.__getitem__)


def build_pack(
    platform: Any, org: Any, mark: str, start: date, end: date, *, today: date | None = None
) -> dict[str, Any]:
    """The evidence pack as data: requirements with status, figures, findings and the
    events behind them with inclusion proofs against one signed checkpoint."""
    data = norms()
    if mark not in data["marks"]:
        raise ValueError(f"unknown mark {mark}")
    spec = data["marks"][mark]
    log = AuditLog(platform, org.id)
    checkpoint = log.checkpoint()
    size = int(checkpoint["tree_size"]) if checkpoint else 0
    from services.audit.merkle import MerkleTree

    tree = MerkleTree(log.view.leaf_hashes(size)) if size else None
    src = Sources(platform, org.id, start, end, today or date.today())
    wanted = {r for norm in spec["norms"] for r in norm["requirements"]}
    requirements = []
    for req in data["requirements"]:
        if req["id"] not in wanted:
            continue
        figures = [figure(key, src) for key in req["figures"]]
        events = _linked_events(log, tree, size, figures)
        requirements.append(
            {
                "id": req["id"],
                "title": req["title"],
                "description": req["description"].strip(),
                "norms": [n["id"] for n in spec["norms"] if req["id"] in n["requirements"]],
                "status": requirement_status(figures),
                "figures": [f.as_dict() for f in figures],
                "findings": [f.finding for f in figures if f.finding],
                "events": events,
            }
        )
    return {
        "organisation": {"name": org.name, "slug": org.slug},
        "mark": mark,
        "mark_name": spec["name"],
        "mapping_version": data["version"],
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "norms": [
            {"id": n["id"], "title": n["title"], "requirements": n["requirements"]}
            for n in spec["norms"]
        ],
        "checkpoint": {
            "tree_size": size,
            "root": checkpoint["root"] if checkpoint else None,
            "note": checkpoint["note"] if checkpoint else None,
        },
        "requirements": requirements,
        "no_data": sorted(
            {f["key"] for r in requirements for f in r["figures"] if f["status"] == NO_DATA}
        ),
    }


def _linked_events(log: AuditLog, tree: Any, size: int, figures: list[Figure]) -> list[dict]:
    """The first leaf of every aggregate behind a figure, with its inclusion proof."""
    events: list[dict[str, Any]] = []
    for originator in dict.fromkeys(o for f in figures for o in f.originators):
        if len(events) >= MAX_LINKED_EVENTS or tree is None:
            break
        for leaf in log.view.leaves(originator_id=str(originator), limit=1):
            index = int(leaf["leaf_index"])
            if index >= size:
                continue
            events.append(
                {
                    "leaf_index": index,
                    "app": leaf["app"],
                    "notification_id": int(leaf["notification_id"]),
                    "topic": leaf["topic"],
                    "originator_id": leaf["originator_id"],
                    "leaf_hash": leaf["leaf_hash"],
                    "proof": [node.hex() for node in tree.inclusion_proof(index, size)],
                }
            )
    return events


# The figures of the quality requirements, of staff and of the results count live in
# modules of their own; importing them registers them in FIGURES.
from services.audit import evidence_quality, evidence_results, evidence_staff  # noqa: E402, F401
