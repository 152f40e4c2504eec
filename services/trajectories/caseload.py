"""Caseload read model: open trajectories per jobcoach, their phase and deadlines,
and the jobcoaches' absences (continuity, DOMAIN.md quality requirement 1)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from services.kernel.views import Rows, View, handles
from services.trajectories.absence import JobcoachAbsences
from services.trajectories.domainmodel import Trajectory
from services.trajectories.rules import PHASES

COLUMNS = (
    "trajectory_id", "client_id", "client_number", "commissioner", "jobcoach_id",
    "started_at", "version", "phase_rank", "closed",
)
RANK = {phase: n for n, phase in enumerate(PHASES)}
EVALUATION_GRACE = timedelta(days=14)  # an evaluation counts for moments up to 2 weeks ahead
T = Trajectory

STEP_PHASE = {
    T.IntakeRecorded: "intake",
    T.EmployeeProfileRecorded: "employee_profile",
    T.JobFindingRecorded: "job_finding",
    T.WorkplaceProfileRecorded: "workplace_profile",
    T.MatchingRecorded: "matching",
    T.PlacementRecorded: "placement",
    T.CoachingPlanRecorded: "coaching_plan",
    T.ProgressEvaluated: "coaching",
    T.FinalReportRecorded: "closing",
}


class CaseloadView(View):
    name = "trajectory_caseload"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}trajectory_caseload ("
        " trajectory_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, client_number TEXT NOT NULL,"
        " commissioner TEXT NOT NULL, jobcoach_id TEXT NOT NULL, started_at TEXT NOT NULL,"
        " version INTEGER NOT NULL, phase_rank INTEGER NOT NULL, closed INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS trajectory_caseload_coach"
        " ON {t}trajectory_caseload (jobcoach_id, closed)",
        "CREATE TABLE IF NOT EXISTS {t}trajectory_deadlines ("
        " trajectory_id TEXT NOT NULL, item TEXT NOT NULL, kind TEXT NOT NULL,"
        " due TEXT NOT NULL, done INTEGER NOT NULL, PRIMARY KEY (trajectory_id, item))",
        "CREATE TABLE IF NOT EXISTS {t}jobcoach_absences ("
        " absence_id TEXT PRIMARY KEY, jobcoach_id TEXT NOT NULL, kind TEXT NOT NULL,"
        " first_day TEXT NOT NULL, last_day TEXT)",
    )

    @handles(Trajectory.Created)
    def _started(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}trajectory_caseload VALUES (%s, %s, %s, %s, %s, %s, %s, 0, 0)"
            " ON CONFLICT (trajectory_id) DO NOTHING",
            (
                str(e.originator_id), str(e.client_id), getattr(e, "client_number", "") or "",
                e.commissioner, str(e.responsible_jobcoach), e.timestamp.isoformat(),
                e.originator_version,
            ),
        )

    def _touch(self, rows: Rows, e: Any, phase: str | None = None) -> None:
        rank = RANK[phase] if phase else -1
        rows.execute(
            "UPDATE {t}trajectory_caseload SET version = %s,"
            " phase_rank = CASE WHEN phase_rank < %s THEN %s ELSE phase_rank END"
            " WHERE trajectory_id = %s",
            (e.originator_version, rank, rank, str(e.originator_id)),
        )

    @handles(Trajectory.Reassigned)
    def _reassigned(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}trajectory_caseload SET jobcoach_id = %s, version = %s"
            " WHERE trajectory_id = %s",
            (str(e.jobcoach), e.originator_version, str(e.originator_id)),
        )

    @handles(*STEP_PHASE)
    def _step(self, rows: Rows, e: Any) -> None:
        self._touch(rows, e, STEP_PHASE[type(e)])
        if isinstance(e, T.MatchingRecorded):
            self._replace(rows, e, "carving", [
                (f"carving:{n}", a["due"]) for n, a in enumerate(e.data["job_carving"])
            ])
        elif isinstance(e, T.CoachingPlanRecorded):
            for goal in e.data["goals"]:
                rows.execute(
                    "INSERT INTO {t}trajectory_deadlines VALUES (%s, %s, 'goal', %s, 0)"
                    " ON CONFLICT (trajectory_id, item) DO UPDATE SET due = excluded.due",
                    (str(e.originator_id), f"goal:{goal['goal_id']}",
                     goal["target_date"].isoformat()),
                )
            rows.execute(
                "DELETE FROM {t}trajectory_deadlines WHERE trajectory_id = %s"
                " AND kind = 'evaluation' AND done = 0",
                (str(e.originator_id),),
            )
            for moment in e.data["evaluation_moments"]:
                rows.execute(
                    "INSERT INTO {t}trajectory_deadlines VALUES (%s, %s, 'evaluation', %s, 0)"
                    " ON CONFLICT (trajectory_id, item) DO NOTHING",
                    (str(e.originator_id), f"evaluation:{moment.isoformat()}", moment.isoformat()),
                )
        elif isinstance(e, T.ProgressEvaluated):
            rows.execute(
                "UPDATE {t}trajectory_deadlines SET done = 1 WHERE trajectory_id = %s"
                " AND kind = 'evaluation' AND due <= %s",
                (str(e.originator_id), (e.on + EVALUATION_GRACE).isoformat()),
            )
            for result in e.results:
                item = f"goal:{result['goal_id']}"
                if result["status"] == "adjusted":
                    rows.execute(
                        "UPDATE {t}trajectory_deadlines SET due = %s, done = 0"
                        " WHERE trajectory_id = %s AND item = %s",
                        (result["new_target_date"].isoformat(), str(e.originator_id), item),
                    )
                else:
                    rows.execute(
                        "UPDATE {t}trajectory_deadlines SET done = 1"
                        " WHERE trajectory_id = %s AND item = %s",
                        (str(e.originator_id), item),
                    )

    def _replace(self, rows: Rows, e: Any, kind: str, items: list[tuple[str, date]]) -> None:
        rows.execute(
            "DELETE FROM {t}trajectory_deadlines WHERE trajectory_id = %s AND kind = %s",
            (str(e.originator_id), kind),
        )
        for item, due in items:
            rows.execute(
                "INSERT INTO {t}trajectory_deadlines VALUES (%s, %s, %s, %s, 0)",
                (str(e.originator_id), item, kind, due.isoformat()),
            )

    @handles(Trajectory.GrantAdded)
    def _grant(self, rows: Rows, e: Any) -> None:
        self._touch(rows, e)
        rows.execute(
            "INSERT INTO {t}trajectory_deadlines VALUES (%s, %s, 'accountability', %s, 0)"
            " ON CONFLICT (trajectory_id, item) DO NOTHING",
            (str(e.originator_id), f"grant:{e.data['grant_id']}",
             e.data["period_end"].isoformat()),
        )

    @handles(
        Trajectory.ActivityRecorded, Trajectory.ActivityCorrected,
        Trajectory.ClosingEvaluationRecorded,
    )
    def _activity(self, rows: Rows, e: Any) -> None:
        self._touch(rows, e)
        if isinstance(e, Trajectory.ActivityRecorded):  # coaching once a plan exists
            rows.execute(
                "UPDATE {t}trajectory_caseload SET phase_rank = %s"
                " WHERE trajectory_id = %s AND phase_rank = %s",
                (RANK["coaching"], str(e.originator_id), RANK["coaching_plan"]),
            )

    @handles(Trajectory.Closed)
    def _closed(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}trajectory_caseload SET closed = 1, version = %s, phase_rank = %s"
            " WHERE trajectory_id = %s",
            (e.originator_version, RANK["closed"], str(e.originator_id)),
        )
        rows.execute(
            "UPDATE {t}trajectory_deadlines SET done = 1 WHERE trajectory_id = %s",
            (str(e.originator_id),),
        )

    @handles(JobcoachAbsences.AbsenceRegistered)
    def _absent(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}jobcoach_absences VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (absence_id) DO NOTHING",
            (
                e.absence_id, e.jobcoach, e.kind, e.first_day.isoformat(),
                e.last_day.isoformat() if e.last_day else None,
            ),
        )

    # Queries -------------------------------------------------------------------------------
    def open_trajectories(self, jobcoach_id: UUID | None = None) -> list[dict[str, Any]]:
        statement = f"SELECT {', '.join(COLUMNS)} FROM {{t}}trajectory_caseload WHERE closed = 0"
        params: tuple[str, ...] = ()
        if jobcoach_id is not None:
            statement += " AND jobcoach_id = %s"
            params = (str(jobcoach_id),)
        rows = self.records(COLUMNS, statement + " ORDER BY started_at", params)
        for row in rows:
            row["phase"] = list(PHASES)[row["phase_rank"]]
            row["phase_label"] = PHASES[row["phase"]]
        return rows

    def caseload(self, jobcoach_id: UUID | None, today: date) -> list[dict[str, Any]]:
        """Open trajectories with the next deadline and the number of overdue evaluations."""
        rows = self.open_trajectories(jobcoach_id)
        if not rows:
            return rows
        deadlines = self.records(
            ("trajectory_id", "item", "kind", "due"),
            "SELECT d.trajectory_id, d.item, d.kind, d.due FROM {t}trajectory_deadlines d"
            " JOIN {t}trajectory_caseload c ON c.trajectory_id = d.trajectory_id"
            " WHERE d.done = 0 AND c.closed = 0"
            + (" AND c.jobcoach_id = %s" if jobcoach_id else ""),
            (str(jobcoach_id),) if jobcoach_id else (),
        )
        today_iso = today.isoformat()
        by_trajectory: dict[str, list[dict[str, Any]]] = {}
        for deadline in deadlines:
            by_trajectory.setdefault(deadline["trajectory_id"], []).append(deadline)
        for row in rows:
            mine = by_trajectory.get(row["trajectory_id"], [])
            upcoming = sorted((d for d in mine if d["due"] >= today_iso), key=lambda d: d["due"])
            row["next_deadline"] = upcoming[0]["due"] if upcoming else None
            row["next_deadline_kind"] = upcoming[0]["kind"] if upcoming else None
            row["overdue_evaluations"] = sum(
                1 for d in mine if d["kind"] == "evaluation" and d["due"] < today_iso
            )
            row["overdue_goals"] = sum(
                1 for d in mine if d["kind"] == "goal" and d["due"] < today_iso
            )
        return sorted(rows, key=lambda r: (r["next_deadline"] or "9999", r["client_number"]))

    def absences(self, jobcoach_id: UUID | None = None) -> list[dict[str, Any]]:
        keys = ("absence_id", "jobcoach_id", "kind", "first_day", "last_day")
        statement = f"SELECT {', '.join(keys)} FROM {{t}}jobcoach_absences"
        params: tuple[str, ...] = ()
        if jobcoach_id is not None:
            statement += " WHERE jobcoach_id = %s"
            params = (str(jobcoach_id),)
        return self.records(keys, statement + " ORDER BY first_day", params)

    def absent_on(self, day: date) -> set[str]:
        iso = day.isoformat()
        return {
            a["jobcoach_id"] for a in self.absences()
            if a["first_day"] <= iso and (a["last_day"] is None or iso <= a["last_day"])
        }
