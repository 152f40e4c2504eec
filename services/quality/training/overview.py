"""Overviews that combine the training view, register files, the directory and trajectories:
readiness per jobcoach, the training matrix and peer-review coverage."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.kernel.auth.roles import Role
from services.quality import sources
from services.quality.training import readiness as rules
from services.quality.training.application import Development
from services.quality.training.domainmodel import FunctionProfile
from services.quality.training.view import TrainingView


def jobcoaches(platform: Any, org_id: UUID) -> list[dict[str, Any]]:
    return [m for m in platform.directory.members(org_id) if m["role"] == Role.JOBCOACH]


def readiness_for(platform: Any, org_id: UUID, jobcoach_id: UUID,
                  hours: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    app: Development = platform.app(Development, org_id)
    hours = sources.practice_hours(platform, org_id) if hours is None else hours
    records = platform.view(TrainingView, org_id).training_records(str(jobcoach_id))
    file = app.register_file(jobcoach_id).state()
    practice = hours.get(str(jobcoach_id), {"hours": 0.0, "first_day": None})
    return {"jobcoach_id": str(jobcoach_id), "file": file,
            **rules.readiness(file, practice, records, app.today())}


def readiness_all(platform: Any, org_id: UUID) -> list[dict[str, Any]]:
    hours = sources.practice_hours(platform, org_id)
    return [
        {"name": coach["name"], **readiness_for(platform, org_id, UUID(coach["user_id"]), hours)}
        for coach in jobcoaches(platform, org_id)
    ]


def function_profiles(platform: Any, org_id: UUID) -> list[FunctionProfile]:
    app: Development = platform.app(Development, org_id)
    from eventsourcing.utils import get_topic

    topic = get_topic(FunctionProfile.Created)
    ids = [n.originator_id for n in app.recorder.select_notifications(
        start=1, limit=10_000, topics=[topic])]
    return [app.load(i, FunctionProfile) for i in ids]


def training_matrix(platform: Any, org_id: UUID, year: int) -> dict[str, Any]:
    """Rows: jobcoaches. Columns: trainings the jobcoach function profile(s) require.
    A cell holds the last completion date of a record whose course has that name."""
    required = sorted({t for p in function_profiles(platform, org_id) if p.role == Role.JOBCOACH
                       for t in p.required_trainings}, key=str.lower)
    view = platform.view(TrainingView, org_id)
    rows = []
    for coach in jobcoaches(platform, org_id):
        records = view.training_records(coach["user_id"])
        done = {}
        for record in records:
            done[record["course"].strip().lower()] = record["completed_on"]
        in_year = [r for r in records if r["completed_on"].startswith(str(year))]
        rows.append({
            "jobcoach_id": coach["user_id"], "name": coach["name"],
            "cells": {t: done.get(t.lower()) for t in required},
            "hours_in_year": round(sum(r["hours"] for r in in_year), 2),
            "records_in_year": len(in_year),
        })
    return {"year": year, "required": required, "rows": rows}


def peer_review_coverage(platform: Any, org_id: UUID, year: int) -> dict[str, Any]:
    norm = rules.rules().get("peer_review_sessions_per_year", 0)
    counts = platform.view(TrainingView, org_id).coverage(year)
    rows = [
        {"jobcoach_id": c["user_id"], "name": c["name"], "sessions": counts.get(c["user_id"], 0),
         "meets_norm": counts.get(c["user_id"], 0) >= norm}
        for c in jobcoaches(platform, org_id)
    ]
    return {"year": year, "norm": norm, "rows": rows,
            "covered": sum(1 for r in rows if r["sessions"] > 0), "total": len(rows)}
