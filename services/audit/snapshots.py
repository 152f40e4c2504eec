"""Requirement status per month-end: the "status over time" of renewal reporting.

A snapshot holds, for one month-end, the status and figures of every requirement of
services/audit/norms.yaml, measured over the 12 months up to that day. It is taken two
ways, and says which:

- "momentopname": `jobtrail audit snapshot --all` run just after a month ends (cron on the
  1st); every figure is measured, including those only the current state can answer.
- "herberekend": a month-end without a snapshot, recomputed later from the dated facts in
  the read models; figures that need the state of that day say "geen gegevens".

Snapshots are stored once and never changed (table audit_evidence_snapshots, append-only
like the log). The current month is always computed live and never stored.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.audit.evidence import Sources, figure, norms, requirement_status
from services.audit.trail import AuditLog

TAKEN, RECOMPUTED, LIVE, BEFORE = "momentopname", "herberekend", "actueel", "voor de start"
MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def month_label(day: date) -> str:
    return f"{MONTHS_NL[day.month - 1]} {day.year % 100:02d}"


def month_ends(today: date, months: int = 12) -> list[date]:
    """The last day of each of the `months` months before today's month, oldest first."""
    ends, day = [], today.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return ends[::-1]


def evaluate(platform: Any, org_id: Any, day: date, *, live: bool) -> dict[str, dict[str, Any]]:
    """Status and figures of every requirement over the 12 months up to `day`."""
    src = Sources(platform, org_id, day - timedelta(days=365), day, day, live=live)
    result = {}
    for requirement in norms()["requirements"]:
        figures = [figure(key, src) for key in requirement["figures"]]
        result[requirement["id"]] = {
            "status": requirement_status(figures),
            "figures": [f.as_dict() for f in figures],
        }
    return result


def stored(platform: Any, org_id: Any) -> dict[str, dict[str, Any]]:
    """Every stored snapshot: month-end → {"source", "statuses": {req: {...}}}."""
    keys = ("month_end", "requirement", "status", "figures", "source")
    found: dict[str, dict[str, Any]] = {}
    for row in AuditLog(platform, org_id).view.records(
        keys, f"SELECT {', '.join(keys)} FROM {{t}}audit_evidence_snapshots"
    ):
        entry = found.setdefault(row["month_end"], {"source": row["source"], "statuses": {}})
        entry["statuses"][row["requirement"]] = {
            "status": row["status"], "figures": json.loads(row["figures"]),
        }
    return found


def store(platform: Any, org_id: Any, day: date, statuses: dict[str, Any], source: str) -> None:
    """Keep a snapshot; the first one of a month-end wins (never overwritten)."""
    now = datetime.now(UTC).isoformat()
    with AuditLog(platform, org_id).view.rows() as rows:
        for requirement, entry in statuses.items():
            rows.execute(
                "INSERT INTO {t}audit_evidence_snapshots VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (month_end, requirement) DO NOTHING",
                (day.isoformat(), requirement, entry["status"],
                 json.dumps(entry["figures"], ensure_ascii=False, default=str), source, now),
            )


def take(platform: Any, org_id: Any, today: date) -> date:
    """The cron job: snapshot the month-end just passed, measured now. Returns that day."""
    day = today.replace(day=1) - timedelta(days=1)
    if day.isoformat() not in stored(platform, org_id):
        store(platform, org_id, day, evaluate(platform, org_id, day, live=True), TAKEN)
    return day


def history(platform: Any, org: Any, today: date, months: int = 12) -> list[dict[str, Any]]:
    """The last `months` month-ends (stored, or recomputed and then stored) and today.

    Month-ends before the organisation joined Jobtrail have no data and are not stored."""
    org_id = org.id
    joined = org.created_on.date() if getattr(org, "created_on", None) else date.min
    known = stored(platform, org_id)
    columns = []
    for day in month_ends(today, months):
        entry = known.get(day.isoformat())
        if entry is None and day < joined:
            columns.append({"day": day, "label": month_label(day), "source": BEFORE,
                            "statuses": {}})
            continue
        if entry is None:
            statuses = evaluate(platform, org_id, day, live=False)
            store(platform, org_id, day, statuses, RECOMPUTED)
            entry = {"source": RECOMPUTED, "statuses": statuses}
        columns.append({"day": day, "label": month_label(day), **entry})
    columns.append({"day": today, "label": "nu", "source": LIVE,
                    "statuses": evaluate(platform, org_id, today, live=True)})
    return columns
