"""A trajectory as plain, opened data for the API, the pages and the documents.

Sealed values are opened with one Opener (one key look-up per client); the result
is never stored or cached, so an erasure shows at once as ERASED.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.trajectories import funding
from services.trajectories import rules as r
from services.trajectories.domainmodel import Trajectory
from services.trajectories.sealing import Opener

EVENT_LABELS = {
    "Created": "Traject gestart",
    "Reassigned": "Warme overdracht naar andere jobcoach",
    "IntakeRecorded": "Intake vastgelegd",
    "EmployeeProfileRecorded": "Werknemersprofiel vastgelegd",
    "JobFindingRecorded": "Jobfinding-activiteit",
    "WorkplaceProfileRecorded": "Werkplekprofiel en taakanalyse vastgelegd",
    "MatchingRecorded": "Matching vastgelegd",
    "PlacementRecorded": "Plaatsing vastgelegd",
    "CoachingPlanRecorded": "Coachingsplan vastgelegd",
    "ProgressEvaluated": "Voortgangsevaluatie",
    "ActivityRecorded": "Activiteit geregistreerd",
    "ActivityCorrected": "Activiteit gecorrigeerd",
    "GrantAdded": "Toekenning vastgelegd",
    "FinalReportRecorded": "Eindverslag vastgelegd",
    "ClosingEvaluationRecorded": "Eindevaluatie",
    "Closed": "Traject afgesloten",
}


def present(t: Trajectory, opener: Opener) -> dict[str, Any]:
    o = opener.open_tree
    steps = {
        step: {"current": o(revisions[-1]), "revisions": len(revisions)}
        for step, revisions in t.steps.items()
    }
    activities = sorted(
        (o(a) for a in t.activities.values()), key=lambda a: (a["on"], a["start"]), reverse=True
    )
    for a in activities:
        a["start_clock"] = r.clock(a["start"])
        a["kind_label"] = r.ACTIVITY_KINDS[a["kind"]]
        a["mode_label"] = r.MODES[a["mode"]]
    goals = [o(g) for g in t.goals.values()]
    for g in goals:
        g["status_label"] = {"open": "Lopend", **r.GOAL_RESULTS}.get(g["status"], g["status"])
    return {
        "id": t.id,
        "version": t.version,
        "client_id": t.client_id,
        "client_number": t.client_number,
        "commissioner": t.commissioner,
        "responsible_jobcoach": t.responsible_jobcoach,
        "closed": t.closed,
        "phase": t.phase,
        "phase_label": r.PHASES[t.phase],
        "started_on": t.created_on.date(),
        "steps": steps,
        "job_finding": [o(j) for j in t.job_finding],
        "goals": goals,
        "evaluation_moments": list(t.evaluation_moments),
        "evaluations": [o(e) for e in t.evaluations],
        "activities": activities,
        "grants": funding.usage(t),
        "closing_evaluations": o(t.closing_evaluations),
        "ending": o(t.ending) if t.ending else None,
        "handovers": list(t.handovers),
        "minutes_total": sum(a["minutes"] for a in t.live_activities()),
    }


def timeline(events: list[Any], names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every event of the trajectory: what, who, when (newest first). No free text:
    the timeline is an index into the history, the step pages show the content."""
    names = names or {}
    items = []
    for e in events:
        kind = type(e).__name__
        actor = getattr(e, "actor", "")
        items.append(
            {
                "version": e.originator_version,
                "event": kind,
                "label": EVENT_LABELS.get(kind, kind),
                "at": e.timestamp,
                "actor": actor,
                "actor_name": names.get(actor.partition(":")[2], actor),
                "summary": _summary(kind, e),
            }
        )
    return list(reversed(items))


def _summary(kind: str, e: Any) -> str:
    if kind == "ActivityRecorded":
        a = e.data
        return (
            f"{r.ACTIVITY_KINDS[a['kind']]} op {r.nl_date(a['on'])} {r.clock(a['start'])},"
            f" {a['minutes']} min ({r.MODES[a['mode']].lower()})"
        )
    if kind == "ActivityCorrected":
        return f"Naar {e.minutes} min: {e.reason}"
    if kind == "MatchingRecorded":
        return r.MATCH_DECISIONS[e.data["decision"]]
    if kind == "ProgressEvaluated":
        return ", ".join(r.GOAL_RESULTS[x["status"]].lower() for x in e.results)
    if kind == "GrantAdded":
        return f"{funding.grant_label(e.data)}: {e.data['granted_hours']:g} uur"
    if kind == "Closed":
        return r.END_REASONS[e.reason]
    if kind == "ClosingEvaluationRecorded":
        return f"met {r.CLOSING_PARTIES[e.party].lower()}"
    if kind == "JobFindingRecorded":
        return f"{r.JOB_FINDING_KINDS[e.kind]}: {e.employer}"
    if kind in ("PlacementRecorded", "WorkplaceProfileRecorded"):
        return e.data.get("employer", "")
    return ""


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, UUIDs as strings: for JSON answers."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
