"""The trajectory aggregate: one client's path from intake to closing.

Public command methods check the rules (with an explicit `today`, so replays never
depend on the clock) and then call a private `@event` method that only mutates.
Every revision of a step is a new event; nothing is overwritten. Free text about
the client arrives sealed with the client's own key (services.kernel.personal_data).

The aggregate keeps only what its rules need (step revisions, goal ids and statuses,
each activity's day, time range, minutes, jobcoach and grant, the grants): loading a
long trajectory then costs little, and snapshots hold no client text. The texts stay
in the events; pages, API and documents read them from the event history
(services.trajectories.history).

Event classes live here only (their topics, stored with every event, name this module);
the checks they need are pure functions in step_data.py (fixed-field steps),
smart_plan.py (matching, coaching plan, evaluations), hours.py (activities, overlap,
cap, log extent) and phases.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from services.kernel.domain import DomainError, NotFoundError, StampedAggregate
from services.kernel.personal_data import is_sealed
from services.trajectories import funding, hours, smart_plan, step_data
from services.trajectories import rules as r
from services.trajectories.hours import (  # noqa: F401 - the compact layout, re-exported
    AFTERCARE,
    COACH,
    GRANT,
    MINUTES,
    ON,
    OVERRIDE,
    START,
)
from services.trajectories.phases import phase_of
from services.trajectories.rules import require

Data = dict[str, Any]


class Trajectory(StampedAggregate):
    # v2: state reduced to what the rules need; v1 snapshots are upcast (upcast_v1_v2).
    class_version = 2
    # Start of the current placement. A class default rather than an upcast: snapshots
    # taken before it was kept simply do not know it (the follow-up then skips the check).
    placed_on: date | None = None

    def __init__(
        self,
        client_id: UUID,
        commissioner: str,
        responsible_jobcoach: UUID,
        client_number: str = "",
    ):
        if not commissioner.strip():
            raise DomainError("Opdrachtgever is verplicht")
        self.client_id = client_id
        self.client_number = client_number
        self.commissioner = commissioner
        self.responsible_jobcoach = responsible_jobcoach
        self.closed = False
        self.ending: Data | None = None  # reason, aftercare_offered, on (no text)
        self.revisions: dict[str, int] = {}  # step -> number of revisions
        self.matched = False
        self.hours_per_week: float | None = None
        self.job_findings = 0
        self.goals: dict[str, str] = {}  # goal id -> open | reached | not_reached
        self.evaluations = 0
        self.coaching_started = False
        self.activities: dict[str, list[Any]] = {}  # id -> compact activity (ON, START, …)
        self.grants: dict[str, Data] = {}
        self.closing_parties: list[str] = []

    @staticmethod
    def upcast_v1_v2(state: Data) -> None:
        """A v1 snapshot held every step, activity and goal with its sealed texts."""
        steps = state.pop("steps", {})
        state["revisions"] = {step: len(revisions) for step, revisions in steps.items()}
        matching = steps.get("matching")
        state["matched"] = bool(matching and matching[-1]["decision"] == "match")
        placement = steps.get("placement")
        state["hours_per_week"] = placement[-1]["hours_per_week"] if placement else None
        if placement:
            state["placed_on"] = placement[-1]["start_date"]
        state["job_findings"] = len(state.pop("job_finding", []))
        state["goals"] = {k: g["status"] for k, g in state.get("goals", {}).items()}
        state["evaluations"] = len(state.pop("evaluations", []))
        state.pop("evaluation_moments", None)
        state.pop("handovers", None)
        state["coaching_started"] = bool(state.get("coaching_started"))
        state["activities"] = {
            k: [a["on"].toordinal(), a["start"], a["minutes"], a["jobcoach"], a["grant_id"],
                a.get("override_reason"), False]
            for k, a in state.get("activities", {}).items()
        }
        state["closing_parties"] = list(state.pop("closing_evaluations", {}))
        ending = state.get("ending")
        if ending:
            state["ending"] = {k: ending[k] for k in ("reason", "aftercare_offered", "on")}

    # Reading ---------------------------------------------------------------------------
    def has(self, step: str) -> bool:
        return step in self.revisions

    @property
    def phase(self) -> str:
        return phase_of(
            self.closed, self.revisions, bool(self.job_findings),
            bool(self.evaluations or self.coaching_started),
        )

    def live_minutes(self, grant_id: str, skip: str | None = None) -> int:
        return hours.live_minutes(self.activities, grant_id, skip)

    def _check_open(self) -> None:
        require(not self.closed, "Dit traject is afgesloten; er kan niets meer worden vastgelegd")

    # Continuity --------------------------------------------------------------------------
    def reassign(self, jobcoach: UUID, handover_note: Any) -> None:
        """A change of jobcoach is a warm handover: never without a note, which is about
        the client and so arrives sealed (the application checks its length first)."""
        if self.closed:
            raise DomainError("Een afgesloten traject kan niet worden overgedragen")
        if jobcoach == self.responsible_jobcoach:
            raise DomainError("Deze jobcoach is al verantwoordelijk voor het traject")
        require(
            is_sealed(handover_note),
            "Een warme overdracht vraagt een overdrachtsnotitie (versleuteld opgeslagen)",
        )
        self._reassigned(jobcoach, dict(handover_note))

    @event("Reassigned")
    def _reassigned(self, jobcoach: UUID, handover_note: Any) -> None:
        # v1 events carry the note as plain text; readers open both shapes (history.py).
        self.responsible_jobcoach = jobcoach

    # Steps with a fixed set of data --------------------------------------------------------
    def record_step(self, step: str, data: Data, today: date) -> None:
        """Intake, employee profile, workplace profile, placement or final report."""
        self._check_open()
        spec = r.STEPS.get(step)
        require(spec is not None, "Onbekende stap: %(step)s", step=step)
        assert spec is not None
        if spec.requires == "matching":
            require(self.matched, "Geen plaatsing zonder een match: leg eerst een match vast")
        elif spec.requires:
            require(
                self.has(spec.requires),
                "%(step)s vraagt eerst: %(requires)s",
                step=spec.label, requires=r.STEPS[spec.requires].label,
            )
        clean = step_data.checked(spec, data, today)
        {
            "intake": self._intake,
            "employee_profile": self._employee_profile,
            "workplace_profile": self._workplace_profile,
            "placement": self._placement,
            "final_report": self._final_report,
        }[step](clean)

    def _revised(self, step: str) -> None:
        self.revisions[step] = self.revisions.get(step, 0) + 1

    @event("IntakeRecorded")
    def _intake(self, data: Data) -> None:
        self._revised("intake")

    @event("EmployeeProfileRecorded")
    def _employee_profile(self, data: Data) -> None:
        self._revised("employee_profile")

    @event("WorkplaceProfileRecorded")
    def _workplace_profile(self, data: Data) -> None:
        self._revised("workplace_profile")

    @event("PlacementRecorded")
    def _placement(self, data: Data) -> None:
        self._revised("placement")
        self.hours_per_week = data["hours_per_week"]
        self.placed_on = data["start_date"]

    # Follow-up after placement ------------------------------------------------------------
    def record_follow_up(
        self, months: int, on: date, still_working: bool, hours_per_week: float | None,
        note: Any, today: date,
    ) -> None:
        """Is the client still at work 6 or 12 months after the placement? Asked after
        closing as well (aftercare), so no open-trajectory check; a second follow-up for
        the same months is a revision (a new event)."""
        require(
            self.has("placement"),
            "Een follow-up na 6 of 12 maanden volgt op een plaatsing: leg eerst de plaatsing vast",
        )
        require(months in r.FOLLOW_UP_MONTHS, "Follow-up: kies 6 of 12 maanden na de plaatsing")
        r.not_future(on, today, "Datum follow-up")
        if self.placed_on is not None:
            require(
                on >= self.placed_on,
                "Datum follow-up ligt vóór de start van de plaatsing (%(placed_on)s)",
                placed_on=r.nl_date(self.placed_on),
            )
        require(isinstance(still_working, bool), "Geef aan of de cliënt nog werkt")
        if hours_per_week is not None:
            require(
                isinstance(hours_per_week, int | float) and 0 < hours_per_week <= 60,
                "Uren per week: tussen 0 en 60",
            )
            require(still_working, "Werkt de cliënt niet meer? Laat de uren per week dan leeg")
        self._follow_up(
            months, on, still_working,
            None if hours_per_week is None else float(hours_per_week),
            r.sealed(note, "Toelichting follow-up", required=False),
        )

    @event("FollowUpRecorded")
    def _follow_up(
        self, months: int, on: date, still_working: bool, hours_per_week: float | None,
        note: Any,
    ) -> None:
        pass  # nothing the rules need: pages and reports read it from the history

    @event("FinalReportRecorded")
    def _final_report(self, data: Data) -> None:
        self._revised("final_report")

    # Job finding ---------------------------------------------------------------------------
    def record_job_finding(
        self, kind: str, employer: str, on: date, note: Any, today: date
    ) -> None:
        self._check_open()
        require(self.has("employee_profile"), "Jobfinding vraagt eerst een werknemersprofiel")
        r.one_of(kind, r.JOB_FINDING_KINDS, "Soort jobfinding-activiteit")
        require(bool(employer.strip()), "Werkgever is verplicht")
        r.not_future(on, today, "Datum")
        self._job_finding(kind, employer.strip(), on, r.sealed(note, "Toelichting", required=False))

    @event("JobFindingRecorded")
    def _job_finding(self, kind: str, employer: str, on: date, note: Any) -> None:
        self.job_findings += 1

    # Matching -------------------------------------------------------------------------------
    def record_matching(
        self,
        analysis: Any,
        decision: str,
        reasons: Any,
        job_carving: list[Data],
        decided_on: date,
        today: date,
    ) -> None:
        """A reasoned match or no-match; job carving agreements each with owner and date."""
        self._check_open()
        require(
            self.has("workplace_profile"),
            "Matching vraagt eerst een werkplekprofiel en taakanalyse",
        )
        r.one_of(decision, r.MATCH_DECISIONS, "Besluit")
        r.not_future(decided_on, today, "Datum besluit")
        carving = smart_plan.checked_carving(job_carving)
        self._matching(
            {
                "analysis": r.sealed(analysis, "Kansen- en knelpuntenanalyse"),
                "decision": decision,
                "reasons": r.sealed(reasons, "Onderbouwing van het besluit"),
                "job_carving": carving,
                "decided_on": decided_on,
            }
        )

    @event("MatchingRecorded")
    def _matching(self, data: Data) -> None:
        self._revised("matching")
        self.matched = data["decision"] == "match"

    # Coaching plan ----------------------------------------------------------------------------
    def record_coaching_plan(
        self,
        goals: list[Data],
        action_plan: Any,
        network_roles: Any,
        evaluation_moments: list[date],
        agreed_on: date,
        today: date,
    ) -> None:
        """SMART goals: each needs a measurable criterion, a target date and an owner."""
        self._check_open()
        require(self.has("placement"), "Een coachingsplan vraagt een plaatsing")
        require(bool(goals), "Een coachingsplan heeft minstens één SMART-doel")
        r.not_future(agreed_on, today, "Datum coachingsplan")
        require(bool(evaluation_moments), "Plan minstens één evaluatiemoment")
        clean_goals = smart_plan.checked_goals(goals)
        self._coaching_plan(
            {
                "goals": clean_goals,
                "action_plan": r.sealed(action_plan, "Actieplan"),
                "network_roles": r.sealed(network_roles, "Rol van het netwerk"),
                "evaluation_moments": sorted(evaluation_moments),
                "agreed_on": agreed_on,
            }
        )

    @event("CoachingPlanRecorded")
    def _coaching_plan(self, data: Data) -> None:
        self._revised("coaching_plan")
        for goal in data["goals"]:  # a revised plan keeps the status of a known goal
            self.goals.setdefault(goal["goal_id"], "open")

    def record_evaluation(self, on: date, results: list[Data], summary: Any, today: date) -> None:
        """A progress evaluation marks goals reached, not reached, or adjusted with a reason."""
        self._check_open()
        require(self.has("coaching_plan"), "Evalueren vraagt een coachingsplan")
        r.not_future(on, today, "Datum evaluatie")
        clean = smart_plan.checked_results(results, self.goals, on)
        self._evaluated(on, clean, r.sealed(summary, "Samenvatting", required=False))

    @event("ProgressEvaluated")
    def _evaluated(self, on: date, results: list[Data], summary: Any) -> None:
        self.evaluations += 1
        for result in results:
            status = result["status"]
            self.goals[result["goal_id"]] = "open" if status == "adjusted" else status

    # Hours ------------------------------------------------------------------------------------
    def record_activity(self, activity: Data, today: date) -> list[str]:
        """Register minutes with a justification and the goals served; returns warnings.

        Refused: closed trajectory, future date, non-positive or implausible minutes,
        overlap with another activity of this trajectory, or going past a grant's cap
        without an explicit override with a reason.
        """
        self._check_open()
        kind = r.one_of(activity["kind"], r.ACTIVITY_KINDS, "Soort activiteit")
        data = self._checked_activity(activity, today)
        goal_ids = [str(g) for g in activity.get("goal_ids") or []]
        for goal_id in goal_ids:
            require(goal_id in self.goals, "Onbekend doel: %(goal)s", goal=goal_id)
        if self.goals:
            require(bool(goal_ids), "Geef aan welk doel deze activiteit dient")
        override = activity.get("override_reason")
        grant, warnings, over = self._check_cap(None, data["on"], data["minutes"], override)
        self._activity({
            **data, "kind": kind, "goal_ids": goal_ids, "grant_id": grant,
            "override_reason": override if over else None,
        })
        return warnings

    def record_aftercare(self, contact: Data, today: date) -> None:
        """A contact moment of the aftercare offered at closing: after the closing date,
        charged to no grant, in the day totals like any other activity."""
        require(self.closed, "Nazorg volgt op de afsluiting: sluit het traject eerst af")
        ending = self.ending or {}
        require(
            bool(ending.get("aftercare_offered")), "Bij de afsluiting is geen nazorg aangeboden"
        )
        data = self._checked_activity(contact, today)
        require(
            data["on"] >= ending["on"],
            "Nazorg volgt op de afsluiting van %(closed_on)s: kies een latere datum",
            closed_on=r.nl_date(ending["on"]),
        )
        self._activity({
            **data, "kind": r.AFTERCARE, "goal_ids": [], "grant_id": None,
            "override_reason": None,
        })

    def _checked_activity(self, activity: Data, today: date) -> Data:
        """hours.checked_activity, and no overlap with another activity of the same
        jobcoach in this trajectory."""
        data = hours.checked_activity(activity, today)
        self._check_overlap(
            None, data["jobcoach"], data["on"].toordinal(), data["start"], data["minutes"]
        )
        return data

    @event("ActivityRecorded")
    def _activity(self, data: Data) -> None:
        self.activities[data["activity_id"]] = hours.compact(data)
        if self.has("coaching_plan"):  # the first contact under the plan starts coaching
            self.coaching_started = True

    def correct_activity(
        self, activity_id: str, minutes: int, reason: str, override_reason: str | None = None
    ) -> list[str]:
        """A correction is a new event; 0 minutes withdraws the activity. After closing,
        only aftercare contacts can still be corrected."""
        activity = self.activities.get(activity_id)
        if activity is None:
            raise NotFoundError("Activiteit niet gevonden")
        if not activity[AFTERCARE]:
            self._check_open()
        require(0 <= minutes <= r.MAX_ACTIVITY_MINUTES, "Minuten: tussen 0 en 720")
        require(len((reason or "").strip()) >= 5, "Geef de reden van de correctie")
        require(minutes != activity[MINUTES], "Het aantal minuten is niet veranderd")
        warnings: list[str] = []
        if minutes:
            self._check_overlap(
                activity_id, activity[COACH], activity[ON], activity[START], minutes
            )
        if minutes and not activity[AFTERCARE]:  # aftercare is charged to no grant
            _, warnings, over = self._check_cap(
                activity_id, date.fromordinal(activity[ON]), minutes,
                override_reason or activity[OVERRIDE],
            )
            override_reason = override_reason if over else None
        if activity[AFTERCARE]:
            override_reason = None
        self._corrected(activity_id, minutes, reason.strip(), override_reason)
        return warnings

    @event("ActivityCorrected")
    def _corrected(
        self, activity_id: str, minutes: int, reason: str, override_reason: str | None
    ) -> None:
        activity = self.activities[activity_id]
        activity[MINUTES] = minutes
        if override_reason:
            activity[OVERRIDE] = override_reason

    def _check_overlap(
        self, skip: str | None, jobcoach: str, day: int, start: int, minutes: int
    ) -> None:
        hours.check_overlap(self.activities, skip, jobcoach, day, start, minutes)

    def _check_cap(
        self, skip: str | None, on: date, minutes: int, override_reason: str | None
    ) -> tuple[str | None, list[str], bool]:
        """(grant charged, warnings, beyond the cap with an override)"""
        return hours.check_cap(
            self.grants, self.activities, self.hours_per_week, skip, on, minutes,
            override_reason,
        )

    # Funding ------------------------------------------------------------------------------------
    def add_grant(
        self,
        commissioner: str,
        period_start: date,
        period_end: date,
        granted_hours: float,
        regime: str,
        percentage: float,
        reference: str = "",
    ) -> str:
        self._check_open()
        require(bool(commissioner.strip()), "Opdrachtgever is verplicht")
        require(period_end > period_start, "De periode moet eindigen na de start")
        require(0 < granted_hours <= 2000, "Toegekende uren: tussen 0 en 2000")
        require(0 < percentage <= 100, "Percentage van het regime: tussen 0 en 100")
        for other in self.grants.values():
            require(
                period_end < other["period_start"] or period_start > other["period_end"],
                "Deze periode overlapt met %(grant)s", grant=funding.grant_label(other),
            )
        grant_id = uuid4().hex[:12]
        self._granted(
            {
                "grant_id": grant_id,
                "commissioner": commissioner.strip(),
                "period_start": period_start,
                "period_end": period_end,
                "granted_hours": float(granted_hours),
                "regime": regime,
                "percentage": float(percentage),
                "reference": reference.strip(),
            }
        )
        return grant_id

    @event("GrantAdded")
    def _granted(self, data: Data) -> None:
        self.grants[data["grant_id"]] = data

    # The signed log ------------------------------------------------------------------------
    def log_extent(self, grant_id: str) -> tuple[int, int]:
        return hours.log_extent(self.activities, grant_id)

    def sign_log(
        self, grant_id: str, role: str, signer_name: Any, on: date, method: str, today: date
    ) -> None:
        """The client, and the employer or workplace supervisor, sign the log of a grant
        period. The signature records how many activities and minutes it covers, so a
        later change to the period's log shows as unsigned again. Also after closing:
        the last period is often signed at the end."""
        grant = self.grants.get(grant_id)
        if grant is None:
            raise NotFoundError("Toekenning niet gevonden")
        r.one_of(role, r.LOG_SIGNERS, "Rol van de ondertekenaar")
        r.one_of(method, r.SIGNING_METHODS, "Wijze van ondertekenen")
        r.not_future(on, today, "Datum ondertekening")
        require(
            on >= grant["period_start"],
            "Datum ondertekening ligt vóór het begin van %(grant)s",
            grant=funding.grant_label(grant),
        )
        name = r.sealed(signer_name, "Naam van de ondertekenaar")
        activities, minutes = self.log_extent(grant_id)
        require(
            activities > 0,
            "Het logboek van %(grant)s heeft nog geen activiteiten",
            grant=funding.grant_label(grant),
        )
        self._log_signed(grant_id, role, name, on, method, activities, minutes)

    @event("LogSigned")
    def _log_signed(
        self, grant_id: str, role: str, signer_name: Any, on: date, method: str,
        activities: int, minutes: int,
    ) -> None:
        pass  # nothing the rules need: documents read the signatures from the history

    # Closing ------------------------------------------------------------------------------------
    def record_closing_evaluation(self, party: str, on: date, summary: Any, today: date) -> None:
        self._check_open()
        r.one_of(party, r.CLOSING_PARTIES, "Partij")
        r.not_future(on, today, "Datum evaluatie")
        self._closing_evaluation(party, on, r.sealed(summary, "Samenvatting evaluatie"))

    @event("ClosingEvaluationRecorded")
    def _closing_evaluation(self, party: str, on: date, summary: Any) -> None:
        if party not in self.closing_parties:
            self.closing_parties.append(party)

    def close(
        self, reason: str, aftercare_offered: bool, aftercare: Any, on: date, today: date
    ) -> None:
        self._check_open()
        r.one_of(reason, r.END_REASONS, "Reden van beëindiging")
        require(self.has("final_report"), "Afsluiten vraagt eerst een eindverslag")
        r.not_future(on, today, "Datum afsluiting")
        if reason == "placed_durably":
            require(self.has("placement"), "Duurzaam geplaatst vraagt een plaatsing")
            missing = [
                label for party, label in r.CLOSING_PARTIES.items()
                if party not in self.closing_parties
            ]
            require(not missing, "Evalueer eerst met: %(parties)s",
                    parties=", ".join(missing).lower())
        if aftercare_offered:
            require(aftercare is not None, "Beschrijf de aangeboden nazorg")
        self._closed(
            reason, bool(aftercare_offered), r.sealed(aftercare, "Nazorg", required=False), on
        )

    @event("Closed")
    def _closed(self, reason: str, aftercare_offered: bool, aftercare: Any, on: date) -> None:
        self.closed = True
        self.ending = {"reason": reason, "aftercare_offered": aftercare_offered, "on": on}

