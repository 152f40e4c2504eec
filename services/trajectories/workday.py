"""Per-jobcoach day totals ACROSS ALL CLIENTS, with an implausibility signal.

Courts upheld withdrawals of UWV recognition where one jobcoach's hours, added up
over all clients, made days of 16+ hours (DOMAIN.md). One trajectory cannot see
the others, so this read model adds every activity up per jobcoach and day and
flags days over the limit and contact moments that overlap between clients.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.kernel.views import Rows, View, handles
from services.trajectories.domainmodel import Trajectory

DAY_LIMIT_MINUTES = 10 * 60


class WorkdayView(View):
    name = "trajectory_workday"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}trajectory_workday ("
        " activity_id TEXT PRIMARY KEY, trajectory_id TEXT NOT NULL, jobcoach_id TEXT NOT NULL,"
        " on_day TEXT NOT NULL, start_minute INTEGER NOT NULL, minutes INTEGER NOT NULL,"
        " kind TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS trajectory_workday_day"
        " ON {t}trajectory_workday (jobcoach_id, on_day)",
    )

    @handles(Trajectory.ActivityRecorded)
    def _recorded(self, rows: Rows, e: Any) -> None:
        a = e.data
        rows.execute(
            "INSERT INTO {t}trajectory_workday VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (activity_id) DO NOTHING",
            (
                a["activity_id"], str(e.originator_id), a["jobcoach"], a["on"].isoformat(),
                a["start"], a["minutes"], a["kind"],
            ),
        )

    @handles(Trajectory.ActivityCorrected)
    def _corrected(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}trajectory_workday SET minutes = %s WHERE activity_id = %s",
            (e.minutes, e.activity_id),
        )

    def days(
        self, jobcoach_id: UUID | None, first: date, last: date
    ) -> list[dict[str, Any]]:
        """Per jobcoach and day: total minutes, activities, clients, overlaps, implausible."""
        where = "minutes > 0 AND on_day >= %s AND on_day <= %s"
        params: list[Any] = [first.isoformat(), last.isoformat()]
        if jobcoach_id is not None:
            where += " AND jobcoach_id = %s"
            params.append(str(jobcoach_id))
        totals = self.records(
            ("jobcoach_id", "on_day", "minutes", "activities", "trajectories"),
            "SELECT jobcoach_id, on_day, SUM(minutes) AS total, COUNT(*) AS n,"
            " COUNT(DISTINCT trajectory_id) AS clients"
            f" FROM {{t}}trajectory_workday WHERE {where}"
            " GROUP BY jobcoach_id, on_day ORDER BY on_day, jobcoach_id",
            params,
        )
        overlaps = self.records(
            ("jobcoach_id", "on_day", "a", "b", "a_start", "a_minutes", "b_start", "b_minutes"),
            "SELECT a.jobcoach_id AS coach, a.on_day AS day, a.trajectory_id AS ta,"
            " b.trajectory_id AS tb, a.start_minute AS sa, a.minutes AS ma,"
            " b.start_minute AS sb, b.minutes AS mb"
            " FROM {t}trajectory_workday a JOIN {t}trajectory_workday b"
            " ON a.jobcoach_id = b.jobcoach_id AND a.on_day = b.on_day"
            " AND a.activity_id < b.activity_id"
            " AND a.start_minute < b.start_minute + b.minutes"
            " AND b.start_minute < a.start_minute + a.minutes"
            " WHERE a.minutes > 0 AND b.minutes > 0 AND a.on_day >= %s AND a.on_day <= %s"
            + (" AND a.jobcoach_id = %s" if jobcoach_id is not None else ""),
            params,
        )
        by_day: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for overlap in overlaps:
            by_day.setdefault((overlap["jobcoach_id"], overlap["on_day"]), []).append(overlap)
        for day in totals:
            day["minutes"] = int(day["minutes"])
            day["overlaps"] = by_day.get((day["jobcoach_id"], day["on_day"]), [])
            reasons = []
            if day["minutes"] > DAY_LIMIT_MINUTES:
                reasons.append(f"meer dan {DAY_LIMIT_MINUTES // 60} uur op één dag")
            if day["overlaps"]:
                reasons.append(f"{len(day['overlaps'])} overlappende activiteit(en)")
            day["implausible"] = bool(reasons)
            day["reasons"] = reasons
        return totals

    def implausible_days(
        self, jobcoach_id: UUID | None, first: date, last: date
    ) -> list[dict[str, Any]]:
        return [d for d in self.days(jobcoach_id, first, last) if d["implausible"]]
