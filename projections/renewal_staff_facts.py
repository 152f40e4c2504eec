"""Dated facts about staff for the evidence pack: warm handovers of trajectories between
jobcoaches (continuity), who was responsible for a trajectory on which day, and the
onboarding checklists of new staff.

Like projections/renewal_facts.py: ids, dates and flags only. A handover's note is about
the client and stays sealed in its event; this view keeps only WHETHER there was one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from projections.renewal_facts import recorded_day
from services.kernel.personal_data import is_sealed
from services.kernel.views import Rows, View, handles
from services.quality.training.domainmodel import Onboarding
from services.trajectories.absence import JobcoachAbsences
from services.trajectories.domainmodel import Trajectory

# The rule for a warm-handover note today (services/trajectories/application.py); notes of
# events from before it was sealed are plain text and are held to the same length.
NOTE_MINIMUM = 10


def has_note(note: Any) -> bool:
    if is_sealed(note):  # sealed notes were checked before sealing; erased ones still count
        return True
    return isinstance(note, str) and len(note.strip()) >= NOTE_MINIMUM


class HandoverFactsView(View):
    """Every change of a trajectory's responsible jobcoach, the day it was recorded,
    whether it came with a warm-handover note and, for a bulk handover of an absent
    jobcoach's caseload, the absence it belonged to."""

    name = "renewal_handovers"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}renewal_handovers ("
        " trajectory_id TEXT NOT NULL, version INTEGER NOT NULL, handed_over_on TEXT NOT NULL,"
        " to_jobcoach TEXT NOT NULL, with_note INTEGER NOT NULL, absence_id TEXT,"
        " PRIMARY KEY (trajectory_id, version))",
    )

    @handles(Trajectory.Reassigned)
    def _reassigned(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}renewal_handovers VALUES (%s, %s, %s, %s, %s, NULL)"
            " ON CONFLICT (trajectory_id, version) DO NOTHING",
            (str(e.originator_id), e.originator_version, recorded_day(e), str(e.jobcoach),
             int(has_note(e.handover_note))),
        )

    @handles(JobcoachAbsences.CaseloadHandedOver)
    def _bulk(self, rows: Rows, e: Any) -> None:
        # Recorded after the reassignments it names: mark each trajectory's latest one.
        for trajectory_id in e.trajectory_ids:
            rows.execute(
                "UPDATE {t}renewal_handovers SET absence_id = %s WHERE trajectory_id = %s"
                " AND to_jobcoach = %s AND absence_id IS NULL AND version = (SELECT MAX(version)"
                " FROM {t}renewal_handovers WHERE trajectory_id = %s)",
                (e.absence_id, str(trajectory_id), str(e.to), str(trajectory_id)),
            )

    def handovers(self, first: str, last: str) -> list[dict[str, Any]]:
        """Handovers recorded between two ISO days (both included)."""
        keys = ("trajectory_id", "version", "handed_over_on", "to_jobcoach", "with_note",
                "absence_id")
        found = self.records(
            keys,
            f"SELECT {', '.join(keys)} FROM {{t}}renewal_handovers"
            " WHERE handed_over_on >= %s AND handed_over_on <= %s"
            " ORDER BY handed_over_on, trajectory_id, version",
            (first, last),
        )
        for row in found:
            row["with_note"] = bool(row["with_note"])
        return found


class ResponsibleFactsView(View):
    """Each trajectory's responsible jobcoach from the day it was recorded: the first at
    registration, then every reassignment. A past month-end asks who it was then."""

    name = "renewal_responsible"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}renewal_responsible ("
        " trajectory_id TEXT NOT NULL, version INTEGER NOT NULL, from_on TEXT NOT NULL,"
        " jobcoach_id TEXT NOT NULL, PRIMARY KEY (trajectory_id, version))",
    )

    @handles(Trajectory.Created)
    def _registered(self, rows: Rows, e: Any) -> None:
        self._insert(rows, e, e.responsible_jobcoach)

    @handles(Trajectory.Reassigned)
    def _reassigned(self, rows: Rows, e: Any) -> None:
        self._insert(rows, e, e.jobcoach)

    @staticmethod
    def _insert(rows: Rows, e: Any, jobcoach: Any) -> None:
        rows.execute(
            "INSERT INTO {t}renewal_responsible VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (trajectory_id, version) DO NOTHING",
            (str(e.originator_id), e.originator_version, recorded_day(e), str(jobcoach)),
        )

    def responsible_on(self, day: str) -> dict[str, str]:
        """Trajectory id -> its jobcoach on an ISO day: the latest change recorded by then;
        before its registration was recorded (a back-dated intake), the first jobcoach."""
        found: dict[str, str] = {}
        for row in self.records(
            ("trajectory_id", "from_on", "jobcoach_id"),
            "SELECT trajectory_id, from_on, jobcoach_id FROM {t}renewal_responsible"
            " ORDER BY trajectory_id, version",
        ):
            if row["trajectory_id"] not in found or row["from_on"] <= day:
                found[row["trajectory_id"]] = row["jobcoach_id"]
        return found


class OnboardingFactsView(View):
    """Each new employee's onboarding checklist: started when, due when (the longest term
    of the programme's steps, as copied when it started) and each step done when and
    recorded when."""

    name = "renewal_onboarding"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}renewal_onboardings ("
        " onboarding_id TEXT PRIMARY KEY, employee_id TEXT NOT NULL, started_on TEXT NOT NULL,"
        " due_on TEXT NOT NULL, steps INTEGER NOT NULL, recorded_on TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}renewal_onboarding_steps ("
        " onboarding_id TEXT NOT NULL, step_id TEXT NOT NULL, done_on TEXT NOT NULL,"
        " recorded_on TEXT NOT NULL, PRIMARY KEY (onboarding_id, step_id))",
    )

    @handles(Onboarding.Created)
    def _started(self, rows: Rows, e: Any) -> None:
        term = max(int(s["due_after_days"]) for s in e.steps)
        rows.execute(
            "INSERT INTO {t}renewal_onboardings VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (onboarding_id) DO NOTHING",
            (str(e.originator_id), str(e.employee_id), e.started_on.isoformat(),
             (e.started_on + timedelta(days=term)).isoformat(), len(e.steps), recorded_day(e)),
        )

    @handles(Onboarding.StepCompleted)
    def _done(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}renewal_onboarding_steps VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (onboarding_id, step_id) DO NOTHING",
            (str(e.originator_id), e.step_id, e.on.isoformat(), recorded_day(e)),
        )

    def checklists(self, known_by: str | None = None) -> list[dict[str, Any]]:
        """Every checklist with the days its steps were done; `known_by` (an ISO day)
        leaves out what was recorded after that day."""
        keys = ("onboarding_id", "employee_id", "started_on", "due_on", "steps", "recorded_on")
        found = self.records(
            keys,
            f"SELECT {', '.join(keys)} FROM {{t}}renewal_onboardings"
            " ORDER BY started_on, onboarding_id",
        )
        done: dict[str, list[str]] = {}
        for step in self.records(
            ("onboarding_id", "done_on", "recorded_on"),
            "SELECT onboarding_id, done_on, recorded_on FROM {t}renewal_onboarding_steps",
        ):
            if known_by is None or step["recorded_on"] <= known_by:
                done.setdefault(step["onboarding_id"], []).append(step["done_on"])
        result = []
        for row in found:
            if known_by is not None and row["recorded_on"] > known_by:
                continue
            row["steps"], row["done_on"] = int(row["steps"]), sorted(
                done.get(row["onboarding_id"], []))
            result.append(row)
        return result
