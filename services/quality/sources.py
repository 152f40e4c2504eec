"""What quality reads from the trajectories context, in ONE place.

Two interfaces, so the rest of quality does not depend on how trajectories store things:
- `population(platform, org_id, first, last)`: the trajectories of a measurement period
  (ended in it: completed AND broken off; optionally still running), for survey campaigns;
- `practice_hours(platform, org_id)`: registered trajectory hours and the first day of
  practice per jobcoach, for register readiness (the WorkdayView adds every registered
  activity up per jobcoach across all clients; withdrawn activities have 0 minutes).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic


def population(
    platform: Any, org_id: UUID, first: date, last: date, *, include_running: bool = False
) -> list[dict[str, Any]]:
    from services.trajectories.domainmodel import Trajectory

    app = platform.trajectories(org_id)
    topics = [get_topic(c) for c in (Trajectory.Created, Trajectory.Reassigned, Trajectory.Closed)]
    found: dict[UUID, dict[str, Any]] = {}
    start = 1
    while True:
        batch = app.recorder.select_notifications(start=start, limit=500, topics=topics)
        if not batch:
            break
        for notification in batch:
            e = app.mapper.to_domain_event(notification)
            if isinstance(e, Trajectory.Created):
                found[e.originator_id] = {
                    "trajectory_id": e.originator_id, "client_id": e.client_id,
                    "jobcoach_id": e.responsible_jobcoach, "status": "lopend", "ended_on": None,
                }
            elif e.originator_id in found and isinstance(e, Trajectory.Reassigned):
                found[e.originator_id]["jobcoach_id"] = e.jobcoach
            elif e.originator_id in found and isinstance(e, Trajectory.Closed):
                found[e.originator_id].update(
                    status="afgebroken" if e.reason == "broken_off" else "afgerond",
                    ended_on=e.on,
                )
        start = batch[-1].id + 1
    return [
        entry for entry in found.values()
        if (entry["ended_on"] is not None and first <= entry["ended_on"] <= last)
        or (include_running and entry["ended_on"] is None)
    ]


def practice_hours(platform: Any, org_id: UUID) -> dict[str, dict[str, Any]]:
    """{jobcoach id: {"hours": float, "first_day": date | None}} from registered activities."""
    from services.trajectories.workday import WorkdayView

    view = platform.view(WorkdayView, org_id)
    rows = view.records(
        ("jobcoach_id", "minutes", "first_day"),
        "SELECT jobcoach_id, SUM(minutes), MIN(on_day) FROM {t}trajectory_workday"
        " WHERE minutes > 0 GROUP BY jobcoach_id",
    )
    return {
        row["jobcoach_id"]: {
            "hours": round(int(row["minutes"]) / 60, 2),
            "first_day": date.fromisoformat(row["first_day"]) if row["first_day"] else None,
        }
        for row in rows
    }
