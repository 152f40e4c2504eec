"""A trajectory's full record, folded from its events: the read side of the aggregate.

The aggregate keeps only what its rules need. Everything people read (each step's
data with its texts, goals, evaluations, activities with their justification,
handovers, the closing) is folded here from the trajectory's events, in ONE read of
its stream, which the timeline uses as well. Always current (no read model to lag
behind the command just done). Sealed values stay sealed: the presenter opens them.
Its attributes are those the aggregate had before it was slimmed down (v1), so readers
in other contexts (privacy, quality) read it as they read the aggregate.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.kernel.domain import NotFoundError
from services.trajectories.domainmodel import Trajectory
from services.trajectories.phases import phase_of

Data = dict[str, Any]
T = Trajectory


@dataclass
class TrajectoryHistory:
    """Never changed once built: `extend` folds newer events into a copy, so a cached
    history can be shared by concurrent requests (Trajectories.trajectory)."""

    id: UUID
    client_id: UUID
    client_number: str
    commissioner: str
    responsible_jobcoach: UUID
    created_on: datetime
    modified_on: datetime | None = None
    version: int = 0
    closed: bool = False
    steps: dict[str, list[Data]] = field(default_factory=dict)  # step -> revisions
    job_finding: list[Data] = field(default_factory=list)
    goals: dict[str, Data] = field(default_factory=dict)
    evaluations: list[Data] = field(default_factory=list)
    evaluation_moments: list[date] = field(default_factory=list)
    activities: dict[str, Data] = field(default_factory=dict)
    grants: dict[str, Data] = field(default_factory=dict)
    closing_evaluations: dict[str, Data] = field(default_factory=dict)
    ending: Data | None = None
    handovers: list[Data] = field(default_factory=list)
    follow_ups: list[Data] = field(default_factory=list)  # every revision, oldest first
    log_signatures: list[Data] = field(default_factory=list)  # oldest first
    coaching_started: bool = False
    # One entry per event, oldest first: what, who, when and the facts a summary needs
    # (no free text): the timeline.
    entries: list[Data] = field(default_factory=list)

    def current(self, step: str) -> Data | None:
        revisions = self.steps.get(step)
        return revisions[-1] if revisions else None

    @property
    def phase(self) -> str:
        return phase_of(
            self.closed, self.steps, bool(self.job_finding),
            bool(self.evaluations or self.coaching_started),
        )

    @property
    def matched(self) -> bool:
        matching = self.current("matching")
        return bool(matching and matching["decision"] == "match")

    @property
    def hours_per_week(self) -> float | None:
        placement = self.current("placement")
        return placement["hours_per_week"] if placement else None

    def live_activities(self) -> list[Data]:
        return [a for a in self.activities.values() if a["minutes"] > 0]


def fold(events: Iterable[Any]) -> TrajectoryHistory:
    """The history of one trajectory from all its events (oldest first)."""
    iterator = iter(events)
    created = next(iterator, None)
    if not isinstance(created, Trajectory.Created):
        raise NotFoundError("Traject niet gevonden")
    h = TrajectoryHistory(
        id=created.originator_id,
        client_id=created.client_id,
        client_number=getattr(created, "client_number", "") or "",
        commissioner=created.commissioner,
        responsible_jobcoach=created.responsible_jobcoach,
        created_on=created.timestamp,
        modified_on=created.timestamp,
        version=created.originator_version,
        entries=[_entry(created)],
    )
    return _apply(h, iterator)


def extend(h: TrajectoryHistory, events: Iterable[Any]) -> TrajectoryHistory:
    """A new history: `h` with newer events folded in (`h` itself stays as it was)."""
    copy = replace(
        h,
        steps=dict(h.steps), job_finding=list(h.job_finding), goals=dict(h.goals),
        evaluations=list(h.evaluations), evaluation_moments=list(h.evaluation_moments),
        activities=dict(h.activities), grants=dict(h.grants),
        closing_evaluations=dict(h.closing_evaluations), handovers=list(h.handovers),
        follow_ups=list(h.follow_ups), log_signatures=list(h.log_signatures),
        entries=list(h.entries),
    )
    return _apply(copy, events)


def _apply(h: TrajectoryHistory, events: Iterable[Any]) -> TrajectoryHistory:
    for e in events:
        if e.originator_version != h.version + 1:
            raise ValueError(f"event {e.originator_version} does not follow {h.version}")
        h.entries.append(_entry(e))
        h.version = e.originator_version
        h.modified_on = e.timestamp
        apply = _FOLDS.get(type(e))
        if apply is not None:
            apply(h, e)
    return h


# Every fold replaces what it changes (a new list or dict), never changes it in place:
# the shallow copy made by `extend` then leaves the earlier history untouched.
def _step(name: str) -> Callable[[TrajectoryHistory, Any], None]:
    def apply(h: TrajectoryHistory, e: Any) -> None:
        h.steps[name] = [*h.steps.get(name, []), e.data]

    return apply


def _reassigned(h: TrajectoryHistory, e: Any) -> None:
    # handover_note: sealed since the privacy fix, plain text in earlier events
    h.handovers.append({
        "from": str(h.responsible_jobcoach), "to": str(e.jobcoach), "note": e.handover_note,
        "at": e.timestamp,
    })
    h.responsible_jobcoach = e.jobcoach


def _job_finding(h: TrajectoryHistory, e: Any) -> None:
    h.job_finding.append({"kind": e.kind, "employer": e.employer, "on": e.on, "note": e.note})


def _coaching_plan(h: TrajectoryHistory, e: Any) -> None:
    h.steps["coaching_plan"] = [*h.steps.get("coaching_plan", []), e.data]
    for goal in e.data["goals"]:
        previous = h.goals.get(goal["goal_id"], {})
        h.goals[goal["goal_id"]] = {
            **goal,
            "status": previous.get("status", "open"),
            "history": previous.get("history", []),
        }
    h.evaluation_moments = list(e.data["evaluation_moments"])


def _evaluated(h: TrajectoryHistory, e: Any) -> None:
    h.evaluations.append({"on": e.on, "results": e.results, "summary": e.summary})
    for result in e.results:
        goal = h.goals[result["goal_id"]]
        h.goals[result["goal_id"]] = {
            **goal,
            "status": "open" if result["status"] == "adjusted" else result["status"],
            "history": [*goal.get("history", []), {"on": e.on, "status": result["status"]}],
            "target_date": result["new_target_date"] or goal["target_date"],
        }


def _activity(h: TrajectoryHistory, e: Any) -> None:
    h.activities[e.data["activity_id"]] = {**e.data, "corrections": []}
    if "coaching_plan" in h.steps:
        h.coaching_started = True


def _corrected(h: TrajectoryHistory, e: Any) -> None:
    activity = h.activities[e.activity_id]
    h.activities[e.activity_id] = {
        **activity,
        "minutes": e.minutes,
        "corrections": [
            *activity["corrections"],
            {"from": activity["minutes"], "to": e.minutes, "reason": e.reason},
        ],
        "override_reason": e.override_reason or activity["override_reason"],
    }


def _granted(h: TrajectoryHistory, e: Any) -> None:
    h.grants[e.data["grant_id"]] = e.data


def _closing_evaluation(h: TrajectoryHistory, e: Any) -> None:
    h.closing_evaluations[e.party] = {"party": e.party, "on": e.on, "summary": e.summary}


def _closed(h: TrajectoryHistory, e: Any) -> None:
    h.closed = True
    h.ending = {"reason": e.reason, "aftercare_offered": e.aftercare_offered,
                "aftercare": e.aftercare, "on": e.on}


def _follow_up(h: TrajectoryHistory, e: Any) -> None:
    h.follow_ups.append({
        "months": e.months, "on": e.on, "still_working": e.still_working,
        "hours_per_week": e.hours_per_week, "note": e.note, "at": e.timestamp,
    })


def _log_signed(h: TrajectoryHistory, e: Any) -> None:
    h.log_signatures.append({
        "grant_id": e.grant_id, "role": e.role, "signer_name": e.signer_name, "on": e.on,
        "method": e.method, "activities": e.activities, "minutes": e.minutes,
    })


def _entry(e: Any) -> Data:
    """A timeline entry: the event's kind, version, time, actor and a few facts."""
    kind = type(e).__name__
    facts: Data = {}
    if kind == "ActivityRecorded":
        facts = {k: e.data[k] for k in ("kind", "on", "start", "minutes", "mode")}
    elif kind == "ActivityCorrected":
        facts = {"minutes": e.minutes, "reason": e.reason}
    elif kind == "MatchingRecorded":
        facts = {"decision": e.data["decision"]}
    elif kind == "ProgressEvaluated":
        facts = {"statuses": [x["status"] for x in e.results]}
    elif kind == "GrantAdded":
        facts = {"grant": e.data}
    elif kind == "Closed":
        facts = {"reason": e.reason}
    elif kind == "ClosingEvaluationRecorded":
        facts = {"party": e.party}
    elif kind == "JobFindingRecorded":
        facts = {"kind": e.kind, "employer": e.employer}
    elif kind in ("PlacementRecorded", "WorkplaceProfileRecorded"):
        facts = {"employer": e.data.get("employer", "")}
    elif kind == "LogSigned":
        facts = {"role": e.role, "method": e.method, "grant_id": e.grant_id}
    elif kind == "FollowUpRecorded":
        facts = {"months": e.months, "still_working": e.still_working,
                 "hours_per_week": e.hours_per_week}
    return {"version": e.originator_version, "event": kind, "at": e.timestamp,
            "actor": getattr(e, "actor", ""), "facts": facts}


class Histories:
    """The latest histories of trajectories, kept in memory for the whole process and
    bounded by the number of events they were folded from (~1.5 KB and ~10 objects
    each: 20,000 is ~30 MB, and what a full garbage collection walks through on top).
    A hit reads only the events after the cached version (one query), so the
    page of a long trajectory does not decode its whole stream on every visit, and is
    still never stale: another process's commands are read as newer events. Only
    sealed values are kept (never opened text), so an erasure shows at once."""

    def __init__(self, max_events: int = 20_000) -> None:
        self.max_events = max_events
        self._items: OrderedDict[tuple[Any, UUID], TrajectoryHistory] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, scope: Any, event_store: Any, trajectory_id: UUID) -> TrajectoryHistory:
        """`scope`: the organisation (ids are unique anyway; this keeps stores apart)."""
        key = (scope, trajectory_id)
        with self._lock:
            cached = self._items.get(key)
        if cached is None:
            found = fold(event_store.get(trajectory_id))
        else:
            newer = list(event_store.get(trajectory_id, gt=cached.version))
            found = extend(cached, newer) if newer else cached
        if found is not cached:
            self._keep(key, found)
        return found

    def forget(self, scope: Any) -> None:
        with self._lock:
            for key in [k for k in self._items if k[0] == scope]:
                self._held -= self._items.pop(key).version

    def _keep(self, key: tuple[Any, UUID], h: TrajectoryHistory) -> None:
        with self._lock:
            previous = self._items.pop(key, None)
            if previous is not None and previous.version > h.version:
                h = previous  # a concurrent request got further: keep that one
            self._held += h.version - (previous.version if previous else 0)
            self._items[key] = h
            while self._held > self.max_events and len(self._items) > 1:
                _, oldest = self._items.popitem(last=False)
                self._held -= oldest.version


HISTORIES = Histories()  # one per process, shared by every organisation's application


_FOLDS: dict[type, Callable[[TrajectoryHistory, Any], None]] = {
    T.Reassigned: _reassigned,
    T.IntakeRecorded: _step("intake"),
    T.EmployeeProfileRecorded: _step("employee_profile"),
    T.WorkplaceProfileRecorded: _step("workplace_profile"),
    T.MatchingRecorded: _step("matching"),
    T.PlacementRecorded: _step("placement"),
    T.FinalReportRecorded: _step("final_report"),
    T.JobFindingRecorded: _job_finding,
    T.CoachingPlanRecorded: _coaching_plan,
    T.ProgressEvaluated: _evaluated,
    T.ActivityRecorded: _activity,
    T.ActivityCorrected: _corrected,
    T.GrantAdded: _granted,
    T.ClosingEvaluationRecorded: _closing_evaluation,
    T.Closed: _closed,
    T.FollowUpRecorded: _follow_up,
    T.LogSigned: _log_signed,
}
