"""Training and peer-review read model: records, coverage per jobcoach per year."""

from __future__ import annotations

import json
from typing import Any

from services.kernel.views import Rows, View, handles
from services.quality.training.domainmodel import TrainingRecord
from services.quality.training.peerreview import PeerReviewSession

RECORD_COLUMNS = ("record_id", "jobcoach_id", "course", "provider", "category", "completed_on",
                  "hours", "ects", "pe_points", "certificate_sha256", "withdrawn")
SESSION_COLUMNS = ("session_id", "held_on", "topic", "hours", "participants", "cases",
                   "actions", "cancelled")


class TrainingView(View):
    name = "training"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}training_records ("
        " record_id TEXT PRIMARY KEY, jobcoach_id TEXT NOT NULL, course TEXT NOT NULL,"
        " provider TEXT NOT NULL, category TEXT NOT NULL, completed_on TEXT NOT NULL,"
        " hours REAL NOT NULL, ects REAL NOT NULL, pe_points TEXT NOT NULL,"
        " certificate_sha256 TEXT, withdrawn INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}peer_review_sessions ("
        " session_id TEXT PRIMARY KEY, held_on TEXT NOT NULL, topic TEXT NOT NULL,"
        " hours REAL NOT NULL, participants INTEGER NOT NULL, cases INTEGER NOT NULL,"
        " actions INTEGER NOT NULL, cancelled INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}peer_review_participants ("
        " session_id TEXT NOT NULL, jobcoach_id TEXT NOT NULL, held_on TEXT NOT NULL,"
        " PRIMARY KEY (session_id, jobcoach_id))",
    )

    @handles(TrainingRecord.Created)
    def _recorded(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}training_records VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, NULL, 0)"
            " ON CONFLICT (record_id) DO NOTHING",
            (str(e.originator_id), str(e.jobcoach_id), e.course, e.provider, e.category,
             e.completed_on.isoformat(), e.hours, e.ects, json.dumps(e.pe_points)),
        )

    @handles(TrainingRecord.CertificateAttached)
    def _certificate(self, rows: Rows, e: Any) -> None:
        rows.execute("UPDATE {t}training_records SET certificate_sha256 = %s WHERE record_id = %s",
                     (e.sha256, str(e.originator_id)))

    @handles(TrainingRecord.Withdrawn)
    def _withdrawn(self, rows: Rows, e: Any) -> None:
        rows.execute("UPDATE {t}training_records SET withdrawn = 1 WHERE record_id = %s",
                     (str(e.originator_id),))

    @handles(PeerReviewSession.Created)
    def _session(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}peer_review_sessions VALUES (%s, %s, %s, %s, %s, %s, %s, 0)"
            " ON CONFLICT (session_id) DO NOTHING",
            (str(e.originator_id), e.held_on.isoformat(), e.topic, e.hours,
             len(e.participants), len(e.cases), len(e.actions)),
        )
        for participant in e.participants:
            rows.execute(
                "INSERT INTO {t}peer_review_participants VALUES (%s, %s, %s)"
                " ON CONFLICT (session_id, jobcoach_id) DO NOTHING",
                (str(e.originator_id), participant, e.held_on.isoformat()),
            )

    @handles(PeerReviewSession.Cancelled)
    def _cancelled(self, rows: Rows, e: Any) -> None:
        rows.execute("UPDATE {t}peer_review_sessions SET cancelled = 1 WHERE session_id = %s",
                     (str(e.originator_id),))
        rows.execute("DELETE FROM {t}peer_review_participants WHERE session_id = %s",
                     (str(e.originator_id),))

    # Queries ---------------------------------------------------------------------------
    def training_records(
        self, jobcoach_id: str | None = None, *, include_withdrawn: bool = False
    ) -> list[dict[str, Any]]:
        where, params = [], []
        if jobcoach_id:
            where.append("jobcoach_id = %s")
            params.append(str(jobcoach_id))
        if not include_withdrawn:
            where.append("withdrawn = 0")
        statement = f"SELECT {', '.join(RECORD_COLUMNS)} FROM {{t}}training_records"
        if where:
            statement += " WHERE " + " AND ".join(where)
        rows = self.records(RECORD_COLUMNS, statement + " ORDER BY completed_on", params)
        for row in rows:
            row["pe_points"] = json.loads(row["pe_points"])
            row["withdrawn"] = bool(row["withdrawn"])
        return rows

    def sessions(self, year: int | None = None) -> list[dict[str, Any]]:
        statement = (f"SELECT {', '.join(SESSION_COLUMNS)} FROM {{t}}peer_review_sessions"
                     " WHERE cancelled = 0")
        params: tuple[Any, ...] = ()
        if year is not None:
            statement += " AND held_on >= %s AND held_on <= %s"
            params = (f"{year}-01-01", f"{year}-12-31")
        return self.records(SESSION_COLUMNS, statement + " ORDER BY held_on", params)

    def coverage(self, year: int) -> dict[str, int]:
        """Peer-review sessions attended per jobcoach in one year."""
        return {
            row["jobcoach_id"]: int(row["sessions"])
            for row in self.records(
                ("jobcoach_id", "sessions"),
                "SELECT jobcoach_id, COUNT(*) FROM {t}peer_review_participants"
                " WHERE held_on >= %s AND held_on <= %s GROUP BY jobcoach_id",
                (f"{year}-01-01", f"{year}-12-31"),
            )
        }
