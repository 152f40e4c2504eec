"""Caseload read model: open trajectories per responsible jobcoach."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.kernel.views import Rows, View, handles
from services.trajectories.domainmodel import Trajectory

COLUMNS = ("trajectory_id", "client_id", "commissioner", "jobcoach_id", "started_at", "version")


class CaseloadView(View):
    name = "caseload"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}caseload ("
        " trajectory_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, commissioner TEXT NOT NULL,"
        " jobcoach_id TEXT NOT NULL, started_at TEXT NOT NULL, version INTEGER NOT NULL)",
    )

    @handles(Trajectory.Created)
    def _started(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}caseload VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (trajectory_id) DO NOTHING",
            (
                str(e.originator_id),
                str(e.client_id),
                e.commissioner,
                str(e.responsible_jobcoach),
                e.timestamp.isoformat(),
                e.originator_version,
            ),
        )

    @handles(Trajectory.Reassigned)
    def _reassigned(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}caseload SET jobcoach_id = %s, version = %s WHERE trajectory_id = %s",
            (str(e.jobcoach), e.originator_version, str(e.originator_id)),
        )

    def open_trajectories(self, jobcoach_id: UUID | None = None) -> list[dict[str, Any]]:
        statement = f"SELECT {', '.join(COLUMNS)} FROM {{t}}caseload"
        params: tuple[str, ...] = ()
        if jobcoach_id is not None:
            statement += " WHERE jobcoach_id = %s"
            params = (str(jobcoach_id),)
        return self.records(COLUMNS, statement + " ORDER BY started_at", params)
