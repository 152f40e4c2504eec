"""Dated facts for renewal reporting and for the auditor's pseudonyms, from events.

The other contexts' read models answer "what is the state now"; renewal reporting asks
"what was it at the end of each month": when a trajectory started, was placed and ended
(and why), how many minutes were registered per trajectory and month, which jobcoach took
part in peer review when, and every satisfaction score with its date. Nothing here is
personal data: ids, dates, numbers and the client NUMBER ("C-0001"), which is the
pseudonym auditors see instead of a name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.kernel.views import Rows, View, handles
from services.quality.satisfaction.domainmodel import SurveyResponse
from services.quality.training.peerreview import PeerReviewSession
from services.trajectories.clients import Client
from services.trajectories.domainmodel import Trajectory

TRAJECTORY_COLUMNS = (
    "trajectory_id", "client_id", "client_number", "jobcoach_id", "started_on", "placed_on",
    "closed_on", "end_reason", "handovers",
)


def _day(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]


class TrajectoryFactsView(View):
    name = "renewal_trajectories"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}renewal_trajectories ("
        " trajectory_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, client_number TEXT NOT NULL,"
        " jobcoach_id TEXT NOT NULL, started_on TEXT NOT NULL, placed_on TEXT,"
        " closed_on TEXT, end_reason TEXT, handovers INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}renewal_clients ("
        " client_id TEXT PRIMARY KEY, number TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}renewal_activities ("
        " activity_id TEXT PRIMARY KEY, trajectory_id TEXT NOT NULL, month TEXT NOT NULL,"
        " minutes INTEGER NOT NULL)",
    )

    @handles(Trajectory.Created)
    def _started(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}renewal_trajectories VALUES (%s, %s, %s, %s, %s, NULL, NULL, NULL, 0)"
            " ON CONFLICT (trajectory_id) DO NOTHING",
            (
                str(e.originator_id), str(e.client_id), getattr(e, "client_number", "") or "",
                str(e.responsible_jobcoach), _day(e.timestamp),
            ),
        )

    @handles(Trajectory.Reassigned)
    def _reassigned(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}renewal_trajectories SET jobcoach_id = %s, handovers = handovers + 1"
            " WHERE trajectory_id = %s",
            (str(e.jobcoach), str(e.originator_id)),
        )

    @handles(Trajectory.IntakeRecorded)
    def _intake(self, rows: Rows, e: Any) -> None:
        # A trajectory starts at its intake when that was held before it was registered.
        held_on = _day(e.data.get("held_on"))
        if held_on:
            rows.execute(
                "UPDATE {t}renewal_trajectories SET started_on = %s"
                " WHERE trajectory_id = %s AND started_on > %s",
                (held_on, str(e.originator_id), held_on),
            )

    @handles(Trajectory.PlacementRecorded)
    def _placed(self, rows: Rows, e: Any) -> None:
        # The first placement counts; a revision of the step keeps the original date.
        rows.execute(
            "UPDATE {t}renewal_trajectories SET placed_on = %s"
            " WHERE trajectory_id = %s AND placed_on IS NULL",
            (_day(e.data.get("start_date")) or _day(e.timestamp), str(e.originator_id)),
        )

    @handles(Trajectory.Closed)
    def _closed(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}renewal_trajectories SET closed_on = %s, end_reason = %s"
            " WHERE trajectory_id = %s",
            (_day(e.on), e.reason, str(e.originator_id)),
        )

    @handles(Trajectory.ActivityRecorded)
    def _activity(self, rows: Rows, e: Any) -> None:
        a = e.data
        rows.execute(
            "INSERT INTO {t}renewal_activities VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (activity_id) DO NOTHING",
            (a["activity_id"], str(e.originator_id), _day(a["on"])[:7], int(a["minutes"])),
        )

    @handles(Trajectory.ActivityCorrected)
    def _corrected(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}renewal_activities SET minutes = %s WHERE activity_id = %s",
            (int(e.minutes), e.activity_id),
        )

    @handles(Client.Created)
    def _client(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}renewal_clients VALUES (%s, %s) ON CONFLICT (client_id) DO NOTHING",
            (str(e.originator_id), e.number),
        )

    # Queries ---------------------------------------------------------------------------
    def trajectories(self) -> list[dict[str, Any]]:
        return self.records(
            TRAJECTORY_COLUMNS,
            f"SELECT {', '.join(TRAJECTORY_COLUMNS)} FROM {{t}}renewal_trajectories"
            " ORDER BY started_on, trajectory_id",
        )

    def minutes_per_month(self) -> list[dict[str, Any]]:
        """Per month: minutes registered and the number of trajectories they were for."""
        found = self.records(
            ("month", "minutes", "trajectories"),
            "SELECT month, SUM(minutes), COUNT(DISTINCT trajectory_id)"
            " FROM {t}renewal_activities WHERE minutes > 0 GROUP BY month ORDER BY month",
        )
        for row in found:
            row["minutes"], row["trajectories"] = int(row["minutes"]), int(row["trajectories"])
        return found

    def pseudonyms(self, ids: list[str]) -> dict[str, str]:
        """Client number per trajectory id or client id (the auditor's pseudonyms)."""
        result: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            for key, number in (
                (r["trajectory_id"], r["client_number"])
                for r in self.records(
                    ("trajectory_id", "client_number"),
                    "SELECT trajectory_id, client_number FROM {t}renewal_trajectories"
                    f" WHERE trajectory_id IN ({marks})",
                    chunk,
                )
            ):
                result[key] = number
            for row in self.records(
                ("client_id", "number"),
                f"SELECT client_id, number FROM {{t}}renewal_clients WHERE client_id IN ({marks})",
                chunk,
            ):
                result[row["client_id"]] = row["number"]
        return result


class SatisfactionFactsView(View):
    name = "renewal_satisfaction"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}renewal_satisfaction ("
        " response_id TEXT PRIMARY KEY, responded_on TEXT NOT NULL, form_key TEXT NOT NULL,"
        " score REAL)",
    )

    @handles(SurveyResponse.Created)
    def _responded(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}renewal_satisfaction VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (response_id) DO NOTHING",
            (str(e.originator_id), _day(e.responded_on), e.form_key, e.score),
        )

    def scores(self) -> list[dict[str, Any]]:
        """Every scored response (forms with a 1-10 score: the UWV rating forms)."""
        return self.records(
            ("responded_on", "score"),
            "SELECT responded_on, score FROM {t}renewal_satisfaction WHERE score IS NOT NULL"
            " ORDER BY responded_on",
        )


class PeerReviewFactsView(View):
    name = "renewal_peer_review"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}renewal_peer_review ("
        " session_id TEXT NOT NULL, jobcoach_id TEXT NOT NULL, held_on TEXT NOT NULL,"
        " PRIMARY KEY (session_id, jobcoach_id))",
    )

    @handles(PeerReviewSession.Created)
    def _held(self, rows: Rows, e: Any) -> None:
        for participant in e.participants:
            rows.execute(
                "INSERT INTO {t}renewal_peer_review VALUES (%s, %s, %s)"
                " ON CONFLICT (session_id, jobcoach_id) DO NOTHING",
                (str(e.originator_id), str(participant), _day(e.held_on)),
            )

    @handles(PeerReviewSession.Cancelled)
    def _cancelled(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "DELETE FROM {t}renewal_peer_review WHERE session_id = %s", (str(e.originator_id),)
        )

    def participants_between(self, first: date, last: date) -> set[str]:
        return {
            row["jobcoach_id"]
            for row in self.records(
                ("jobcoach_id",),
                "SELECT DISTINCT jobcoach_id FROM {t}renewal_peer_review"
                " WHERE held_on >= %s AND held_on <= %s",
                (first.isoformat(), last.isoformat()),
            )
        }
