"""A trajectory as plain, opened data for the API, the pages and the documents.

Sealed values are opened with one Opener (one key look-up per client); the result
is never stored or cached, so an erasure shows at once as ERASED.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from services.kernel.personal_data import ERASED, is_sealed
from services.trajectories import funding
from services.trajectories import rules as r
from services.trajectories.history import TrajectoryHistory
from services.trajectories.sealing import Opener

ACTIVITY_TEXTS = ("justification", "notes", "next_step")
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
    "FollowUpRecorded": "Follow-up na plaatsing",
    "LogSigned": "Logboek ondertekend",
}


def present(h: TrajectoryHistory, opener: Opener) -> dict[str, Any]:
    """Everything of the trajectory, opened; the activities newest first."""
    o = opener.open_tree
    steps = {
        step: {"current": o(revisions[-1]), "revisions": len(revisions)}
        for step, revisions in h.steps.items()
    }
    open_text = opener.open
    activities = []
    for a in h.activities.values():
        item = dict(a)
        for key in ACTIVITY_TEXTS:
            item[key] = open_text(a.get(key))
        item["start_clock"] = r.clock(a["start"])
        item["kind_label"] = r.ALL_ACTIVITY_KINDS[a["kind"]]
        item["mode_label"] = r.MODES[a["mode"]]
        activities.append(item)
    activities.sort(key=lambda a: (a["on"], a["start"]), reverse=True)
    goals = [o(g) for g in h.goals.values()]
    for g in goals:
        g["status_label"] = {"open": "Lopend", **r.GOAL_RESULTS}.get(g["status"], g["status"])
    return {
        "id": h.id,
        "version": h.version,
        "client_id": h.client_id,
        "client_number": h.client_number,
        "commissioner": h.commissioner,
        "responsible_jobcoach": h.responsible_jobcoach,
        "closed": h.closed,
        "phase": h.phase,
        "phase_label": r.PHASES[h.phase],
        "started_on": h.created_on.date(),
        "steps": steps,
        "job_finding": [o(j) for j in h.job_finding],
        "goals": goals,
        "evaluation_moments": list(h.evaluation_moments),
        "evaluations": [o(e) for e in h.evaluations],
        "activities": activities,
        "grants": funding.usage(h),
        "closing_evaluations": o(h.closing_evaluations),
        "ending": o(h.ending) if h.ending else None,
        "handovers": [{**x, "note": _handover_note(x["note"], h, opener)} for x in h.handovers],
        "minutes_total": sum(a["minutes"] for a in h.live_activities()),
        "follow_ups": follow_ups(h, opener),
        "log_signatures": log_signatures(h, opener),
    }


def log_signatures(h: TrajectoryHistory, opener: Opener) -> list[dict[str, Any]]:
    """Every signature of a grant period's log; `current`: the log of that period is
    still what was signed (no activity added, corrected or withdrawn since)."""
    extent: dict[str, tuple[int, int]] = {}
    for a in h.live_activities():
        count, minutes = extent.get(a["grant_id"], (0, 0))
        extent[a["grant_id"]] = (count + 1, minutes + a["minutes"])
    return [{
        **x,
        "signer_name": opener.open(x["signer_name"]),
        "role_label": r.LOG_SIGNERS[x["role"]],
        "method_label": r.SIGNING_METHODS[x["method"]],
        "current": extent.get(x["grant_id"], (0, 0)) == (x["activities"], x["minutes"]),
    } for x in h.log_signatures]

def follow_ups(h: TrajectoryHistory, opener: Opener) -> list[dict[str, Any]]:
    """The latest follow-up per moment (6, then 12 months), with its revision count."""
    latest: dict[int, dict[str, Any]] = {}
    for item in h.follow_ups:
        revisions = latest.get(item["months"], {}).get("revisions", 0) + 1
        latest[item["months"]] = {**item, "note": opener.open(item["note"]),
                                  "revisions": revisions}
    return [latest[m] for m in sorted(latest)]


def _handover_note(note: Any, h: TrajectoryHistory, opener: Opener) -> str | None:
    """Sealed since 2026-11; a note stored earlier in plain text is not shown once the
    client's data is erased (the event itself cannot change)."""
    if note is None or is_sealed(note):
        return opener.open(note)
    return ERASED if opener.erased(h.client_id) else str(note)


def _dutch(text: str, **values: Any) -> str:
    return text % values if values else text


def timeline(
    entries: list[Any], names: dict[str, str] | None = None,
    translate: Callable[..., str] = _dutch,
) -> list[dict[str, Any]]:
    """Every event of the trajectory: what, who, when (newest first). No free text:
    the timeline is an index into the history, the step pages show the content.
    `translate`: gettext for the pages' language (the API answers in Dutch)."""
    names = names or {}
    _ = translate  # the name `pybabel extract` looks for
    items = []
    for entry in reversed(entries):
        kind, actor = entry["event"], entry["actor"]
        label = EVENT_LABELS.get(kind, kind)
        actor_name = names.get(actor.partition(":")[2], actor)
        items.append({
            "version": entry["version"],
            "event": kind,
            "label": _(label),
            "at": entry["at"],
            "actor": actor,
            "actor_name": actor_name,
            "summary": _summary(kind, entry["facts"], _),
            "by": _("%(actor)s, versie %(version)s", actor=actor_name, version=entry["version"]),
        })
    return items


def _summary(kind: str, f: dict[str, Any], _: Callable[..., str]) -> str:
    # Labels are looked up first, then translated: `pybabel extract` takes the first
    # string literal inside _( ), which must be the text, never a key.
    if kind == "ActivityRecorded":
        activity, mode = r.ALL_ACTIVITY_KINDS[f["kind"]], r.MODES[f["mode"]]
        return _(
            "%(kind)s op %(on)s %(start)s, %(minutes)s min (%(mode)s)",
            kind=_(activity), on=r.nl_date(f["on"]), start=r.clock(f["start"]),
            minutes=f["minutes"], mode=_(mode).lower(),
        )
    if kind == "ActivityCorrected":
        return _("Naar %(minutes)s min: %(reason)s", minutes=f["minutes"], reason=f["reason"])
    if kind == "MatchingRecorded":
        decision = r.MATCH_DECISIONS[f["decision"]]
        return _(decision)
    if kind == "ProgressEvaluated":
        results = [r.GOAL_RESULTS[x] for x in f["statuses"]]
        return ", ".join(_(result).lower() for result in results)
    if kind == "GrantAdded":
        grant = f["grant"]
        return _(
            "%(grant)s: %(hours)s uur", grant=funding.grant_label(grant),
            hours=f"{grant['granted_hours']:g}",
        )
    if kind == "Closed":
        reason = r.END_REASONS[f["reason"]]
        return _(reason)
    if kind == "ClosingEvaluationRecorded":
        party = r.CLOSING_PARTIES[f["party"]]
        return _("met %(party)s", party=_(party).lower())
    if kind == "JobFindingRecorded":
        finding = r.JOB_FINDING_KINDS[f["kind"]]
        return f"{_(finding)}: {f['employer']}"
    if kind in ("PlacementRecorded", "WorkplaceProfileRecorded"):
        return str(f.get("employer", ""))
    if kind == "LogSigned":
        role, method = r.LOG_SIGNERS[f["role"]], r.SIGNING_METHODS[f["method"]]
        return _("door %(role)s (%(method)s)", role=_(role).lower(), method=_(method).lower())
    if kind == "FollowUpRecorded":
        moment = r.FOLLOW_UP_MONTHS.get(f["months"], str(f["months"]))
        if not f["still_working"]:
            return _("%(moment)s: werkt niet meer", moment=_(moment).lower())
        if f["hours_per_week"]:
            return _("%(moment)s: werkt nog, %(hours)s uur per week",
                     moment=_(moment).lower(), hours=f"{f['hours_per_week']:g}")
        return _("%(moment)s: werkt nog", moment=_(moment).lower())
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
