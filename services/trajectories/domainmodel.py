"""The trajectory aggregate: one client's path from intake to closing.

Public command methods check the rules (with an explicit `today`, so replays never
depend on the clock) and then call a private `@event` method that only mutates.
Every revision of a step is a new event; nothing is overwritten. Free text about
the client arrives sealed with the client's own key (services.kernel.personal_data).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from services.kernel.domain import DomainError, NotFoundError, StampedAggregate
from services.trajectories import funding
from services.trajectories import rules as r
from services.trajectories.rules import require

Data = dict[str, Any]


class Trajectory(StampedAggregate):
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
        self.handovers: list[dict[str, str]] = []
        self.closed = False
        self.steps: dict[str, list[Data]] = {}  # step -> revisions, newest last
        self.job_finding: list[Data] = []
        self.goals: dict[str, Data] = {}
        self.evaluations: list[Data] = []
        self.evaluation_moments: list[date] = []
        self.activities: dict[str, Data] = {}
        self.grants: dict[str, Data] = {}
        self.closing_evaluations: dict[str, Data] = {}
        self.ending: Data | None = None

    # Reading ---------------------------------------------------------------------------
    def current(self, step: str) -> Data | None:
        revisions = self.steps.get(step)
        return revisions[-1] if revisions else None

    @property
    def phase(self) -> str:
        if self.closed:
            return "closed"
        if self.current("final_report"):
            return "closing"
        if self.evaluations or self.__dict__.get("coaching_started"):
            return "coaching"
        for step in ("coaching_plan", "placement", "matching", "workplace_profile"):
            if self.current(step):
                return step
        if self.job_finding:
            return "job_finding"
        if self.current("employee_profile"):
            return "employee_profile"
        return "intake"

    @property
    def matched(self) -> bool:
        matching = self.current("matching")
        return bool(matching and matching["decision"] == "match")

    @property
    def hours_per_week(self) -> float | None:
        placement = self.current("placement")
        return placement["hours_per_week"] if placement else None

    def live_activities(self) -> list[Data]:
        return [a for a in self.activities.values() if a["minutes"] > 0]

    def _check_open(self) -> None:
        require(not self.closed, "Dit traject is afgesloten; er kan niets meer worden vastgelegd")

    # Continuity --------------------------------------------------------------------------
    @event("Reassigned")
    def reassign(self, jobcoach: UUID, handover_note: str) -> None:
        """A change of jobcoach is a warm handover: never without a note."""
        if self.closed:
            raise DomainError("Een afgesloten traject kan niet worden overgedragen")
        if jobcoach == self.responsible_jobcoach:
            raise DomainError("Deze jobcoach is al verantwoordelijk voor het traject")
        if len(handover_note.strip()) < 10:
            raise DomainError("Een warme overdracht vraagt een overdrachtsnotitie (min. 10 tekens)")
        self.handovers.append(
            {"from": str(self.responsible_jobcoach), "to": str(jobcoach), "note": handover_note}
        )
        self.responsible_jobcoach = jobcoach

    # Steps with a fixed set of data --------------------------------------------------------
    def record_step(self, step: str, data: Data, today: date) -> None:
        """Intake, employee profile, workplace profile, placement or final report."""
        self._check_open()
        spec = r.STEPS.get(step)
        require(spec is not None, f"Onbekende stap: {step}")
        assert spec is not None
        if spec.requires == "matching":
            require(self.matched, "Geen plaatsing zonder een match: leg eerst een match vast")
        elif spec.requires:
            require(
                self.current(spec.requires) is not None,
                f"{spec.label} vraagt eerst: {r.STEPS[spec.requires].label}",
            )
        clean = _checked(spec, data, today)
        {
            "intake": self._intake,
            "employee_profile": self._employee_profile,
            "workplace_profile": self._workplace_profile,
            "placement": self._placement,
            "final_report": self._final_report,
        }[step](clean)

    @event("IntakeRecorded")
    def _intake(self, data: Data) -> None:
        self.steps.setdefault("intake", []).append(data)

    @event("EmployeeProfileRecorded")
    def _employee_profile(self, data: Data) -> None:
        self.steps.setdefault("employee_profile", []).append(data)

    @event("WorkplaceProfileRecorded")
    def _workplace_profile(self, data: Data) -> None:
        self.steps.setdefault("workplace_profile", []).append(data)

    @event("PlacementRecorded")
    def _placement(self, data: Data) -> None:
        self.steps.setdefault("placement", []).append(data)

    @event("FinalReportRecorded")
    def _final_report(self, data: Data) -> None:
        self.steps.setdefault("final_report", []).append(data)

    # Job finding ---------------------------------------------------------------------------
    def record_job_finding(
        self, kind: str, employer: str, on: date, note: Any, today: date
    ) -> None:
        self._check_open()
        require(
            self.current("employee_profile") is not None,
            "Jobfinding vraagt eerst een werknemersprofiel",
        )
        r.one_of(kind, r.JOB_FINDING_KINDS, "Soort jobfinding-activiteit")
        require(bool(employer.strip()), "Werkgever is verplicht")
        r.not_future(on, today, "Datum")
        self._job_finding(kind, employer.strip(), on, r.sealed(note, "Toelichting", required=False))

    @event("JobFindingRecorded")
    def _job_finding(self, kind: str, employer: str, on: date, note: Any) -> None:
        self.job_finding.append({"kind": kind, "employer": employer, "on": on, "note": note})

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
            self.current("workplace_profile") is not None,
            "Matching vraagt eerst een werkplekprofiel en taakanalyse",
        )
        r.one_of(decision, r.MATCH_DECISIONS, "Besluit")
        r.not_future(decided_on, today, "Datum besluit")
        carving = []
        for n, agreement in enumerate(job_carving, 1):
            require(
                bool(str(agreement.get("owner") or "").strip()),
                f"Jobcarving-afspraak {n}: wie is eigenaar?",
            )
            require(
                isinstance(agreement.get("due"), date), f"Jobcarving-afspraak {n}: vóór wanneer?"
            )
            carving.append(
                {
                    "agreement": r.sealed(agreement.get("agreement"), f"Jobcarving-afspraak {n}"),
                    "owner": str(agreement["owner"]).strip(),
                    "due": agreement["due"],
                }
            )
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
        self.steps.setdefault("matching", []).append(data)

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
        require(self.current("placement") is not None, "Een coachingsplan vraagt een plaatsing")
        require(bool(goals), "Een coachingsplan heeft minstens één SMART-doel")
        r.not_future(agreed_on, today, "Datum coachingsplan")
        require(bool(evaluation_moments), "Plan minstens één evaluatiemoment")
        clean_goals = []
        for n, goal in enumerate(goals, 1):
            require(goal.get("description") is not None, f"Doel {n}: omschrijving ontbreekt")
            require(
                goal.get("criterion") is not None,
                f"Doel {n}: een SMART-doel vraagt een meetbaar criterium",
            )
            require(
                isinstance(goal.get("target_date"), date),
                f"Doel {n}: een SMART-doel vraagt een streefdatum",
            )
            require(bool(str(goal.get("owner") or "").strip()), f"Doel {n}: wie is eigenaar?")
            goal_id = goal.get("goal_id") or uuid4().hex[:12]
            clean_goals.append(
                {
                    "goal_id": goal_id,
                    "description": r.sealed(goal["description"], f"Doel {n}"),
                    "criterion": r.sealed(goal["criterion"], f"Doel {n}: criterium"),
                    "target_date": goal["target_date"],
                    "owner": str(goal["owner"]).strip(),
                }
            )
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
        self.steps.setdefault("coaching_plan", []).append(data)
        for goal in data["goals"]:
            previous = self.goals.get(goal["goal_id"], {})
            self.goals[goal["goal_id"]] = {
                **goal,
                "status": previous.get("status", "open"),
                "history": previous.get("history", []),
            }
        self.evaluation_moments = list(data["evaluation_moments"])

    def record_evaluation(self, on: date, results: list[Data], summary: Any, today: date) -> None:
        """A progress evaluation marks goals reached, not reached, or adjusted with a reason."""
        self._check_open()
        require(self.current("coaching_plan") is not None, "Evalueren vraagt een coachingsplan")
        r.not_future(on, today, "Datum evaluatie")
        require(bool(results), "Beoordeel minstens één doel")
        clean = []
        for result in results:
            goal = self.goals.get(str(result.get("goal_id")))
            require(goal is not None, f"Onbekend doel: {result.get('goal_id')}")
            status = r.one_of(str(result.get("status")), r.GOAL_RESULTS, "Resultaat")
            if status != "reached":
                require(
                    result.get("reason") is not None,
                    f"{r.GOAL_RESULTS[status]}: geef de reden",
                )
            new_date = result.get("new_target_date")
            if status == "adjusted":
                require(
                    isinstance(new_date, date) and new_date > on,
                    "Een bijgesteld doel vraagt een nieuwe streefdatum na de evaluatie",
                )
            clean.append(
                {
                    "goal_id": str(result["goal_id"]),
                    "status": status,
                    "reason": r.sealed(result.get("reason"), "Reden", required=False),
                    "new_target_date": new_date if status == "adjusted" else None,
                }
            )
        self._evaluated(on, clean, r.sealed(summary, "Samenvatting", required=False))

    @event("ProgressEvaluated")
    def _evaluated(self, on: date, results: list[Data], summary: Any) -> None:
        self.evaluations.append({"on": on, "results": results, "summary": summary})
        for result in results:
            goal = self.goals[result["goal_id"]]
            goal["status"] = "open" if result["status"] == "adjusted" else result["status"]
            goal["history"] = [*goal.get("history", []), {"on": on, "status": result["status"]}]
            if result["new_target_date"]:
                goal["target_date"] = result["new_target_date"]

    # Hours ------------------------------------------------------------------------------------
    def record_activity(self, activity: Data, today: date) -> list[str]:
        """Register minutes with a justification and the goals served; returns warnings.

        Refused: closed trajectory, future date, non-positive or implausible minutes,
        overlap with another activity of this trajectory, or going past a grant's cap
        without an explicit override with a reason.
        """
        self._check_open()
        kind = r.one_of(activity["kind"], r.ACTIVITY_KINDS, "Soort activiteit")
        on = r.not_future(activity["on"], today, "Datum activiteit")
        minutes = int(activity["minutes"])
        require(0 < minutes <= r.MAX_ACTIVITY_MINUTES, "Minuten: tussen 1 en 720")
        start = r.minute_of_day(activity["start"])
        require(start + minutes <= 24 * 60, "Een activiteit loopt niet over middernacht")
        r.one_of(activity["mode"], r.MODES, "Vorm")
        participants = list(activity.get("participants") or [])
        for participant in participants:
            r.one_of(participant, r.PARTICIPANTS, "Deelnemer")
        goal_ids = [str(g) for g in activity.get("goal_ids") or []]
        for goal_id in goal_ids:
            require(goal_id in self.goals, f"Onbekend doel: {goal_id}")
        if self.goals:
            require(bool(goal_ids), "Geef aan welk doel deze activiteit dient")
        self._check_overlap(None, activity["jobcoach"], on, start, minutes)
        override = activity.get("override_reason")
        grant, warnings, over = self._check_cap(None, on, minutes, override)
        self._activity(
            {
                "activity_id": activity.get("activity_id") or uuid4().hex,
                "kind": kind,
                "on": on,
                "start": start,
                "minutes": minutes,
                "mode": activity["mode"],
                "participants": participants,
                "goal_ids": goal_ids,
                "jobcoach": str(activity["jobcoach"]),
                "grant_id": grant,
                "override_reason": override if over else None,
                "justification": r.sealed(activity.get("justification"), "Verantwoording"),
                "notes": r.sealed(activity.get("notes"), "Notities", required=False),
                "next_step": r.sealed(activity.get("next_step"), "Vervolgstap", required=False),
            }
        )
        return warnings

    @event("ActivityRecorded")
    def _activity(self, data: Data) -> None:
        self.activities[data["activity_id"]] = {**data, "corrections": []}
        if self.current("coaching_plan"):  # the first contact under the plan starts coaching
            self.coaching_started = True

    def correct_activity(
        self, activity_id: str, minutes: int, reason: str, override_reason: str | None = None
    ) -> list[str]:
        """A correction is a new event; 0 minutes withdraws the activity."""
        self._check_open()
        activity = self.activities.get(activity_id)
        if activity is None:
            raise NotFoundError("Activiteit niet gevonden")
        require(0 <= minutes <= r.MAX_ACTIVITY_MINUTES, "Minuten: tussen 0 en 720")
        require(len((reason or "").strip()) >= 5, "Geef de reden van de correctie")
        require(minutes != activity["minutes"], "Het aantal minuten is niet veranderd")
        warnings: list[str] = []
        if minutes:
            self._check_overlap(
                activity_id, activity["jobcoach"], activity["on"], activity["start"], minutes
            )
            _, warnings, over = self._check_cap(
                activity_id, activity["on"], minutes, override_reason or activity["override_reason"]
            )
            override_reason = override_reason if over else None
        self._corrected(activity_id, minutes, reason.strip(), override_reason)
        return warnings

    @event("ActivityCorrected")
    def _corrected(
        self, activity_id: str, minutes: int, reason: str, override_reason: str | None
    ) -> None:
        activity = self.activities[activity_id]
        activity["corrections"].append(
            {"from": activity["minutes"], "to": minutes, "reason": reason}
        )
        activity["minutes"] = minutes
        if override_reason:
            activity["override_reason"] = override_reason

    def _check_overlap(
        self, skip: str | None, jobcoach: Any, on: date, start: int, minutes: int
    ) -> None:
        for other in self.live_activities():
            if other["activity_id"] == skip or other["on"] != on:
                continue
            if other["jobcoach"] != str(jobcoach):
                continue
            if start < other["start"] + other["minutes"] and other["start"] < start + minutes:
                end = other["start"] + other["minutes"]
                raise DomainError(
                    f"Overlapt met een andere activiteit van {r.clock(other['start'])}"
                    f" tot {r.clock(end)} op {r.nl_date(on)}"
                )

    def _check_cap(
        self, skip: str | None, on: date, minutes: int, override_reason: str | None
    ) -> tuple[str | None, list[str], bool]:
        """(grant charged, warnings, beyond the cap with an override)"""
        grant = funding.grant_for(self.grants.values(), on)
        if grant is None:
            return None, [], False
        used = sum(
            a["minutes"]
            for a in self.live_activities()
            if a["grant_id"] == grant["grant_id"] and a["activity_id"] != skip
        )
        cap = funding.cap_minutes(grant, self.hours_per_week)
        after = used + minutes
        label = funding.grant_label(grant)
        if after > cap:
            if not override_reason or len(override_reason.strip()) < 10:
                raise DomainError(
                    f"Hiermee gaat u over het plafond van {label}: {after / 60:.1f} van"
                    f" {cap / 60:.1f} uur. Registreer alleen met een expliciete reden"
                    " (override, min. 10 tekens)."
                )
            warning = f"Boven het plafond van {label} met reden: {override_reason}"
            return grant["grant_id"], [warning], True
        if after >= r.WARN_AT_SHARE * cap:
            return grant["grant_id"], [
                f"Let op: {after / cap:.0%} van het plafond van {label} is gebruikt"
                f" ({after / 60:.1f} van {cap / 60:.1f} uur)"
            ], False
        return grant["grant_id"], [], False

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
                f"Deze periode overlapt met {funding.grant_label(other)}",
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

    # Closing ------------------------------------------------------------------------------------
    def record_closing_evaluation(self, party: str, on: date, summary: Any, today: date) -> None:
        self._check_open()
        r.one_of(party, r.CLOSING_PARTIES, "Partij")
        r.not_future(on, today, "Datum evaluatie")
        self._closing_evaluation(party, on, r.sealed(summary, "Samenvatting evaluatie"))

    @event("ClosingEvaluationRecorded")
    def _closing_evaluation(self, party: str, on: date, summary: Any) -> None:
        self.closing_evaluations[party] = {"party": party, "on": on, "summary": summary}

    def close(
        self, reason: str, aftercare_offered: bool, aftercare: Any, on: date, today: date
    ) -> None:
        self._check_open()
        r.one_of(reason, r.END_REASONS, "Reden van beëindiging")
        require(
            self.current("final_report") is not None,
            "Afsluiten vraagt eerst een eindverslag",
        )
        r.not_future(on, today, "Datum afsluiting")
        if reason == "placed_durably":
            require(
                self.current("placement") is not None, "Duurzaam geplaatst vraagt een plaatsing"
            )
            missing = [
                label for party, label in r.CLOSING_PARTIES.items()
                if party not in self.closing_evaluations
            ]
            require(not missing, f"Evalueer eerst met: {', '.join(missing).lower()}")
        if aftercare_offered:
            require(aftercare is not None, "Beschrijf de aangeboden nazorg")
        self._closed(
            reason, bool(aftercare_offered), r.sealed(aftercare, "Nazorg", required=False), on
        )

    @event("Closed")
    def _closed(self, reason: str, aftercare_offered: bool, aftercare: Any, on: date) -> None:
        self.closed = True
        self.ending = {
            "reason": reason, "aftercare_offered": aftercare_offered, "aftercare": aftercare,
            "on": on,
        }


def _checked(spec: r.Step, data: Data, today: date) -> Data:
    clean: Data = {}
    unknown = set(data) - {f.name for f in spec.fields}
    require(not unknown, f"Onbekende velden: {', '.join(sorted(unknown))}")
    for field in spec.fields:
        value = data.get(field.name)
        if value in (None, "") and field.kind != "true":
            require(not field.required, f"{spec.label}: {field.label} ontbreekt")
            clean[field.name] = False if field.kind == "bool" else None
            continue
        if field.kind == "text":
            clean[field.name] = r.sealed(value, field.label)
        elif field.kind == "plain":
            require(isinstance(value, str) and len(value) <= 200, f"{field.label}: te lang")
            clean[field.name] = value.strip()
        elif field.kind in ("date", "past_date"):
            require(isinstance(value, date), f"{field.label}: geen geldige datum")
            if field.kind == "past_date":
                r.not_future(value, today, field.label)
            clean[field.name] = value
        elif field.kind == "true":
            require(value is True, f"{spec.label}: {field.label.lower()} is een voorwaarde")
            clean[field.name] = True
        elif field.kind == "bool":
            clean[field.name] = bool(value)
        elif field.kind == "hours":
            require(
                isinstance(value, int | float) and 0 < value <= 60,
                f"{field.label}: tussen 0 en 60",
            )
            clean[field.name] = float(value)
    return clean
