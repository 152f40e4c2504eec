"""Dated facts for renewal reporting and for the auditor's pseudonyms, from events.

The other contexts' read models answer "what is the state now"; renewal reporting asks
"what was it at the end of each month": when a trajectory started, was placed and ended
(and why), how many minutes were registered per trajectory and month, which jobcoach took
part in peer review when, and every satisfaction score with its date. Nothing here is
personal data: ids, dates, numbers and the client NUMBER ("C-0001"), which is the
pseudonym auditors see instead of a name.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from services.kernel.clock import LOCAL
from services.kernel.views import Rows, View, handles
from services.quality.satisfaction.domainmodel import SurveyCampaign, SurveyResponse
from services.quality.training.domainmodel import TrainingPlan
from services.quality.training.peerreview import PeerReviewSession
from services.trajectories.clients import Client
from services.trajectories.domainmodel import Trajectory

TRAJECTORY_COLUMNS = (
    "trajectory_id", "client_id", "client_number", "jobcoach_id", "started_on", "placed_on",
    "closed_on", "end_reason", "handovers",
)


def recorded_day(e: Any) -> str:
    """The Dutch calendar day an event was recorded, for facts without a date of their own."""
    return e.timestamp.astimezone(LOCAL).date().isoformat()


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

    def rated_between(self, first: date, last: date) -> list[dict[str, Any]]:
        """Scored responses between two days (both included), with their form."""
        return self.records(
            ("responded_on", "form_key", "score"),
            "SELECT responded_on, form_key, score FROM {t}renewal_satisfaction"
            " WHERE score IS NOT NULL AND responded_on >= %s AND responded_on <= %s"
            " ORDER BY responded_on, response_id",
            (first.isoformat(), last.isoformat()),
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

    def sessions_per_jobcoach(self, first: date, last: date) -> dict[str, int]:
        """Sessions attended per jobcoach between two days (both included)."""
        return {
            row["jobcoach_id"]: int(row["sessions"])
            for row in self.records(
                ("jobcoach_id", "sessions"),
                "SELECT jobcoach_id, COUNT(*) FROM {t}renewal_peer_review"
                " WHERE held_on >= %s AND held_on <= %s GROUP BY jobcoach_id",
                (first.isoformat(), last.isoformat()),
            )
        }

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


class SurveyCoverageFactsView(View):
    """Who was invited to the satisfaction survey (per trajectory and respondent), who was
    exempted with a reason, and which invitations were answered: the quality context's
    satisfaction view counts these per campaign, the evidence needs them per trajectory.

    Every fact is dated, so a past month-end counts only what was known then: invited on
    (the campaign's clock), replaced on (the day the new link was sent), answered on (the
    response's day) and exempted on (the day the exemption was recorded: the event has no
    date of its own). Named `renewal_survey_dated`: the undated `renewal_survey` it
    replaces could not be caught up again, so `jobtrail db init` builds this one anew."""

    name = "renewal_survey_dated"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}renewal_survey_invites ("
        " invitation_id TEXT PRIMARY KEY, trajectory_id TEXT NOT NULL, respondent TEXT NOT NULL,"
        " invited_on TEXT NOT NULL, replaced_on TEXT, answered_on TEXT)",
        "CREATE TABLE IF NOT EXISTS {t}renewal_survey_exempted ("
        " trajectory_id TEXT NOT NULL, respondent TEXT NOT NULL, exempted_on TEXT NOT NULL,"
        " PRIMARY KEY (trajectory_id, respondent))",
    )

    @handles(SurveyCampaign.Invited)
    def _invited(self, rows: Rows, e: Any) -> None:
        if e.replaces:  # a re-sent link: the old invitation no longer counts for the rate
            rows.execute(
                "UPDATE {t}renewal_survey_invites SET replaced_on = %s"
                " WHERE invitation_id = %s AND replaced_on IS NULL",
                (_day(e.invited_on), e.replaces),
            )
        rows.execute(
            "INSERT INTO {t}renewal_survey_invites VALUES (%s, %s, %s, %s, NULL, NULL)"
            " ON CONFLICT (invitation_id) DO NOTHING",
            (e.invitation_id, str(e.trajectory_id), e.respondent, _day(e.invited_on)),
        )

    @handles(SurveyCampaign.Exempted)
    def _exempted(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}renewal_survey_exempted VALUES (%s, %s, %s)"
            " ON CONFLICT (trajectory_id, respondent) DO NOTHING",
            (str(e.trajectory_id), e.respondent, recorded_day(e)),
        )

    @handles(SurveyResponse.Created)
    def _answered(self, rows: Rows, e: Any) -> None:
        if e.invitation_id:
            rows.execute(
                "UPDATE {t}renewal_survey_invites SET answered_on = %s"
                " WHERE invitation_id = %s AND answered_on IS NULL",
                (_day(e.responded_on), e.invitation_id),
            )

    def invitations(self, respondent: str, known_by: str | None = None) -> list[dict[str, Any]]:
        """Invitations as known at the end of `known_by` (an ISO day; None: now), with
        `replaced` and `answered` as they stood then."""
        keys = ("invitation_id", "trajectory_id", "invited_on", "replaced_on", "answered_on")
        found = self.records(
            keys,
            f"SELECT {', '.join(keys)} FROM {{t}}renewal_survey_invites"
            " WHERE respondent = %s ORDER BY invited_on, invitation_id",
            (respondent,),
        )
        day = known_by or "9999-12-31"
        result = []
        for row in found:
            if row["invited_on"] > day:
                continue
            row["replaced"] = bool(row["replaced_on"]) and row["replaced_on"] <= day
            row["answered"] = bool(row["answered_on"]) and row["answered_on"] <= day
            result.append(row)
        return result

    def exempted(self, respondent: str, known_by: str | None = None) -> set[str]:
        """Trajectories exempted with a reason, as recorded by the end of `known_by`."""
        return {
            row["trajectory_id"]
            for row in self.records(
                ("trajectory_id",),
                "SELECT trajectory_id FROM {t}renewal_survey_exempted"
                " WHERE respondent = %s AND exempted_on <= %s",
                (respondent, known_by or "9999-12-31"),
            )
        }


class TrainingPlanFactsView(View):
    """The items of the organisation's training plans per year (course, audience,
    quarter): the quality context keeps the plan in its aggregate only."""

    name = "renewal_training_plan"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}renewal_training_plans ("
        " plan_id TEXT PRIMARY KEY, year INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}renewal_plan_items ("
        " plan_id TEXT NOT NULL, item_id TEXT NOT NULL, course TEXT NOT NULL,"
        " audience TEXT NOT NULL, quarter INTEGER NOT NULL, PRIMARY KEY (plan_id, item_id))",
    )

    @handles(TrainingPlan.Created)
    def _plan(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}renewal_training_plans VALUES (%s, %s)"
            " ON CONFLICT (plan_id) DO NOTHING",
            (str(e.originator_id), int(e.year)),
        )

    @handles(TrainingPlan.Planned)
    def _planned(self, rows: Rows, e: Any) -> None:
        # Planning an item id again replaces it, as in the aggregate.
        rows.execute(
            "DELETE FROM {t}renewal_plan_items WHERE plan_id = %s AND item_id = %s",
            (str(e.originator_id), e.item_id),
        )
        rows.execute(
            "INSERT INTO {t}renewal_plan_items VALUES (%s, %s, %s, %s, %s)",
            (str(e.originator_id), e.item_id, e.course, json.dumps(list(e.audience)),
             int(e.quarter)),
        )

    def items(self, years: list[int]) -> list[dict[str, Any]]:
        if not years:
            return []
        marks = ", ".join(["%s"] * len(years))
        keys = ("plan_id", "year", "item_id", "course", "audience", "quarter")
        found = self.records(
            keys,
            "SELECT p.plan_id, p.year, i.item_id, i.course, i.audience, i.quarter"
            " FROM {t}renewal_plan_items i JOIN {t}renewal_training_plans p"
            f" ON p.plan_id = i.plan_id WHERE p.year IN ({marks})"
            " ORDER BY p.year, i.quarter, i.item_id",
            [int(y) for y in years],
        )
        for row in found:
            row["audience"], row["year"] = json.loads(row["audience"]), int(row["year"])
            row["quarter"] = int(row["quarter"])
        return found


# Added by the trajectories context (issue 6 durability); looked up so this module loads
# against a trajectories context that does not record follow-ups yet.
_FOLLOW_UP = getattr(Trajectory, "FollowUpRecorded", None)


class FollowUpFactsView(View):
    """Is the client still working 6 and 12 months after the placement? One row per
    trajectory and term: a later follow-up for the same term (a revision) replaces it."""

    name = "renewal_follow_ups"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}renewal_follow_ups ("
        " trajectory_id TEXT NOT NULL, months INTEGER NOT NULL, on_day TEXT NOT NULL,"
        " still_working INTEGER NOT NULL, PRIMARY KEY (trajectory_id, months))",
    )

    @handles(*(c for c in (_FOLLOW_UP,) if c is not None))
    def _follow_up(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "DELETE FROM {t}renewal_follow_ups WHERE trajectory_id = %s AND months = %s",
            (str(e.originator_id), int(e.months)),
        )
        rows.execute(
            "INSERT INTO {t}renewal_follow_ups VALUES (%s, %s, %s, %s)",
            (str(e.originator_id), int(e.months), _day(e.on), int(bool(e.still_working))),
        )

    def follow_ups(self, months: int) -> list[dict[str, Any]]:
        found = self.records(
            ("trajectory_id", "on_day", "still_working"),
            "SELECT trajectory_id, on_day, still_working FROM {t}renewal_follow_ups"
            " WHERE months = %s ORDER BY on_day, trajectory_id",
            (int(months),),
        )
        for row in found:
            row["still_working"] = bool(row["still_working"])
        return found
