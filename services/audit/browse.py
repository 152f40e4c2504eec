"""The auditor's trail browser: pages of audit-log leaves, filtered and labelled.

Application, event type and period filter in SQL on the leaf table; the actor kind comes
from the actors read model (projections/audit_actors.py) and filters while scanning, at
most SCAN_LIMIT leaves per page. Subjects are shown as pseudonyms: the client NUMBER of a
trajectory or client (projections/renewal_facts.py), never a name; other aggregates by
kind and a short id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from projections.audit_actors import ACTOR_KINDS
from services.audit.trail import AuditLog
from services.kernel.views import catch_up

PAGE_SIZE = 50
SCAN_LIMIT = 5000
APP_LABELS = {
    "trajectories": "Trajecten",
    "complaints": "Klachten",
    "satisfaction": "Tevredenheid",
    "development": "Scholing en intervisie",
    "privacy": "Privacy",
    "audit_journal": "Auditjournaal",
}
SUBJECTS = {"Trajectory": "Traject van cliënt", "Client": "Cliënt"}


@dataclass
class TrailFilter:
    app: str = ""
    event_type: str = ""
    since: date | None = None
    until: date | None = None
    actor_kind: str = ""
    start: int = 0
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Any, apps: list[str]) -> TrailFilter:
        found = cls()
        app = args.get("applicatie", "")
        found.app = app if app in apps else ""
        found.event_type = args.get("soort", "")[:120]
        kind = args.get("actor", "")
        found.actor_kind = kind if kind in ACTOR_KINDS else ""
        for name, attr in (("van", "since"), ("tot", "until")):
            raw = args.get(name, "")
            if raw:
                try:
                    setattr(found, attr, date.fromisoformat(raw))
                except ValueError:
                    found.problems.append(f"'{raw}' is geen datum (jjjj-mm-dd)")
        if found.since and found.until and found.since > found.until:
            found.problems.append("De periode begint na het einde")
        try:
            found.start = max(0, int(args.get("vanaf", 0)))
        except ValueError:
            found.start = 0
        return found

    def query(self) -> dict[str, str]:
        """The filter as URL parameters (for the next page)."""
        values = {
            "applicatie": self.app,
            "soort": self.event_type,
            "van": self.since.isoformat() if self.since else "",
            "tot": self.until.isoformat() if self.until else "",
            "actor": self.actor_kind,
        }
        return {key: value for key, value in values.items() if value}


def short_topic(topic: str) -> str:
    """'services.trajectories.domainmodel:Trajectory.Created' → 'Trajectory.Created'."""
    return topic.rsplit(":", 1)[-1]


def event_types(log: AuditLog) -> list[str]:
    return sorted(
        {short_topic(str(_first(row))) for row in log.view.query(
            "SELECT DISTINCT topic FROM {t}audit_leaves")}
    )


def browse(platform: Any, org_id: Any, wanted: TrailFilter, limit: int = PAGE_SIZE) -> dict:
    """One page of leaves matching the filter, labelled; `next_start` continues the scan."""
    log = AuditLog(platform, org_id)
    log.catch_up()
    actors = platform.audit_actors(org_id)
    for view in actors:  # the browser is never behind the log it shows
        catch_up(view)
    since = wanted.since.isoformat() if wanted.since else None
    until = (wanted.until + timedelta(days=1)).isoformat() if wanted.until else None
    rows: list[dict[str, Any]] = []
    cursor, scanned, exhausted = wanted.start, 0, False
    while len(rows) < limit and scanned < SCAN_LIMIT:
        chunk = log.view.leaves(
            start=cursor, limit=500, app=wanted.app or None,
            topic=wanted.event_type or None, since=since, until=until,
        )
        if not chunk:
            exhausted = True
            break
        who = actors[0].of((leaf["app"], leaf["notification_id"]) for leaf in chunk)
        for leaf in chunk:
            cursor = int(leaf["leaf_index"]) + 1
            scanned += 1
            actor = who.get((leaf["app"], int(leaf["notification_id"])), {})
            if wanted.actor_kind and actor.get("actor_kind") != wanted.actor_kind:
                continue
            rows.append({**leaf, **actor})
            if len(rows) == limit:
                break
    _label(platform, org_id, rows)
    size, _ = log.view.head()
    checkpoint = log.view.checkpoint()
    covered = int(checkpoint["tree_size"]) if checkpoint else 0
    for row in rows:
        row["in_checkpoint"] = int(row["leaf_index"]) < covered
    return {
        "rows": rows,
        "next_start": None if exhausted or cursor >= size else cursor,
        "tree_size": size,
        "checkpoint_size": covered,
        "scanned": scanned,
    }


def _label(platform: Any, org_id: Any, rows: list[dict[str, Any]]) -> None:
    from projections.renewal_facts import TrajectoryFactsView

    numbers = platform.view(TrajectoryFactsView, org_id).pseudonyms(
        sorted({row["originator_id"] for row in rows})
    )
    for row in rows:
        topic = short_topic(row["topic"])
        aggregate = topic.split(".", 1)[0]
        row["event_type"] = topic
        row["app_label"] = APP_LABELS.get(row["app"], row["app"])
        number = numbers.get(row["originator_id"])
        if number and aggregate in SUBJECTS:
            row["subject"] = f"{SUBJECTS[aggregate]} {number}"
        else:
            row["subject"] = f"{aggregate} {row['originator_id'][:8]}"
        kind = row.get("actor_kind") or ""
        row["actor_label"] = ACTOR_KINDS.get(kind, "onbekend")
        actor = row.get("actor") or ""
        row["actor_ref"] = actor.split(":", 1)[1][:8] if ":" in actor else ""


def _first(row: Any) -> Any:
    return next(iter(row.values())) if isinstance(row, dict) else row[0]
