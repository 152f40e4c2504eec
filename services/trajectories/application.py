"""The Trajectories application: one instance per organisation.

Commands take plain values from the edge, seal the client's free text with the
client's own key (Sealer) and hand sealed values to the aggregates. Every command
is idempotent per key and optimistic per version (TenantApplication.update).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoding

from services.kernel import context
from services.kernel.domain import ConflictError, DomainError, NotFoundError
from services.kernel.personal_data import SubjectKeys
from services.kernel.store import TenantApplication
from services.trajectories import rules
from services.trajectories.absence import JobcoachAbsences
from services.trajectories.clients import CONTACT_FIELDS, Client, ClientRegister
from services.trajectories.domainmodel import Trajectory
from services.trajectories.funding import FundingRegimes
from services.trajectories.sealing import Opener, Sealer

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class Trajectories(TenantApplication):
    name = "trajectories"
    snapshotting_intervals = {Trajectory: 50}  # coaching years grow long histories
    keys: SubjectKeys | None = None  # set by the Platform (services/catalogue.py)
    clock: Callable[[], date] = staticmethod(lambda: datetime.now(AMSTERDAM).date())

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # Sealing -------------------------------------------------------------------------------
    def _keys(self) -> SubjectKeys:
        if self.keys is None:
            raise RuntimeError("Trajectories.keys is not set (use Platform.trajectories)")
        return self.keys

    def sealer(self, subject_id: UUID) -> Sealer:
        return Sealer(self._keys(), subject_id)

    def opener(self) -> Opener:
        return Opener(self._keys())

    def today(self) -> date:
        return self.clock()

    # Clients ---------------------------------------------------------------------------------
    def register_client(self, contact: dict[str, Any]) -> Client:
        """A new client with the next client number; idempotent per key."""
        key = context.current().idempotency_key
        client_id = Client.create_id()
        if key:
            try:
                existing = self.load(client_id, Client)
            except NotFoundError:
                existing = None
            if existing is not None and existing.has_seen(key):
                return existing
        sealer = self.sealer(client_id)
        sealed = {f: sealer.seal(contact.get(f)) for f in CONTACT_FIELDS}
        if sealed["name"] is None:
            raise DomainError("Naam is verplicht")
        register_id = ClientRegister.id_for(self.org_id)  # type: ignore[arg-type]
        for _ in range(8):  # another registration may take the same number: try the next
            try:
                register = self.load(register_id, ClientRegister)
            except NotFoundError:
                register = ClientRegister(id=register_id)
            register.issue()
            client = Client(id=client_id, number=register.last_number, contact=sealed)
            try:
                self.save(register, client)
                return client
            except IntegrityError:
                try:
                    existing = self.load(client_id, Client)
                except NotFoundError:
                    continue
                if existing.has_seen(key):
                    return existing
                raise ConflictError("Deze cliënt bestaat al") from None
        raise ConflictError("Te veel gelijktijdige registraties; probeer het opnieuw")

    def client(self, client_id: UUID) -> Client:
        return self.load(client_id, Client)

    def revise_client_contact(
        self, client_id: UUID, contact: dict[str, Any], *, expected_version: int | None = None
    ) -> Client:
        sealer = self.sealer(client_id)
        sealed = {f: sealer.seal(contact.get(f)) for f in CONTACT_FIELDS}
        return self.update(
            client_id, Client, lambda c: c.revise_contact(sealed), expected_version=expected_version
        )

    def describe_support_need(
        self, client_id: UUID, limitations: str, possibilities: str, *,
        expected_version: int | None = None,
    ) -> Client:
        sealer = self.sealer(client_id)
        lim, pos = sealer.seal(limitations), sealer.seal(possibilities)
        return self.update(
            client_id, Client, lambda c: c.describe_support_need(lim, pos),
            expected_version=expected_version,
        )

    def add_network_contact(
        self, client_id: UUID, name: str, relation: str, consent: bool, consent_on: date, *,
        expected_version: int | None = None,
    ) -> Client:
        sealed_name = self.sealer(client_id).seal(name)
        return self.update(
            client_id, Client,
            lambda c: c.add_network_contact(sealed_name, relation, consent, consent_on),
            expected_version=expected_version,
        )

    def change_consent(
        self, client_id: UUID, contact_id: str, consent: bool, on: date, *,
        expected_version: int | None = None,
    ) -> Client:
        return self.update(
            client_id, Client, lambda c: c.change_consent(contact_id, consent, on),
            expected_version=expected_version,
        )

    # Trajectories ----------------------------------------------------------------------------
    def start_trajectory(
        self, client_id: UUID, commissioner: str, responsible_jobcoach: UUID
    ) -> Trajectory:
        number = self._client_number(client_id)
        return self.create(Trajectory(client_id, commissioner, responsible_jobcoach, number))

    def _client_number(self, client_id: UUID) -> str:
        """Client numbers never change once issued, so one read per client suffices."""
        numbers: dict[UUID, str] = self.__dict__.setdefault("_client_numbers", {})
        if client_id not in numbers:
            try:
                numbers[client_id] = self.client(client_id).number
            except NotFoundError:
                return ""  # registered clients are not yet enforced at the start
        return numbers[client_id]

    def trajectory(self, trajectory_id: UUID) -> Trajectory:
        return self.load(trajectory_id, Trajectory)

    def reassign(
        self, trajectory_id: UUID, jobcoach: UUID, handover_note: str, *,
        expected_version: int | None = None,
    ) -> Trajectory:
        return self.update(
            trajectory_id, Trajectory, lambda t: t.reassign(jobcoach, handover_note),
            expected_version=expected_version,
        )

    def _change(
        self, trajectory_id: UUID, command: Callable[[Trajectory, Sealer, date], Any],
        expected_version: int | None,
    ) -> tuple[Trajectory, Any]:
        """Run a command with a sealer for the trajectory's client; returns its result too."""
        today = self.today()
        outcome: list[Any] = [None]

        def run(trajectory: Trajectory) -> None:  # sealed with the key of ITS client
            outcome[0] = command(trajectory, self.sealer(trajectory.client_id), today)

        trajectory = self.update(trajectory_id, Trajectory, run, expected_version=expected_version)
        return trajectory, outcome[0]

    def record_step(
        self, trajectory_id: UUID, step: str, data: dict[str, Any], *,
        expected_version: int | None = None,
    ) -> Trajectory:
        spec = rules.STEPS.get(step)
        if spec is None:
            raise NotFoundError(f"Onbekende stap: {step}")

        def command(t: Trajectory, s: Sealer, today: date) -> None:
            sealed = {k: (s.seal(v) if k in spec.text_fields else v) for k, v in data.items()}
            t.record_step(step, sealed, today)

        return self._change(trajectory_id, command, expected_version)[0]

    def record_job_finding(
        self, trajectory_id: UUID, kind: str, employer: str, on: date, note: str | None, *,
        expected_version: int | None = None,
    ) -> Trajectory:
        return self._change(
            trajectory_id,
            lambda t, s, today: t.record_job_finding(kind, employer, on, s.seal(note), today),
            expected_version,
        )[0]

    def record_matching(
        self, trajectory_id: UUID, analysis: str, decision: str, reasons: str,
        job_carving: list[dict[str, Any]], decided_on: date, *,
        expected_version: int | None = None,
    ) -> Trajectory:
        def command(t: Trajectory, s: Sealer, today: date) -> None:
            carving = [{**a, "agreement": s.seal(a.get("agreement"))} for a in job_carving]
            t.record_matching(
                s.seal(analysis), decision, s.seal(reasons), carving, decided_on, today
            )

        return self._change(trajectory_id, command, expected_version)[0]

    def record_coaching_plan(
        self, trajectory_id: UUID, goals: list[dict[str, Any]], action_plan: str,
        network_roles: str, evaluation_moments: list[date], agreed_on: date, *,
        expected_version: int | None = None,
    ) -> Trajectory:
        def command(t: Trajectory, s: Sealer, today: date) -> None:
            sealed_goals = [
                {**g, "description": s.seal(g.get("description")),
                 "criterion": s.seal(g.get("criterion"))}
                for g in goals
            ]
            t.record_coaching_plan(
                sealed_goals, s.seal(action_plan), s.seal(network_roles),
                evaluation_moments, agreed_on, today,
            )

        return self._change(trajectory_id, command, expected_version)[0]

    def record_evaluation(
        self, trajectory_id: UUID, on: date, results: list[dict[str, Any]], summary: str | None,
        *, expected_version: int | None = None,
    ) -> Trajectory:
        def command(t: Trajectory, s: Sealer, today: date) -> None:
            sealed = [{**x, "reason": s.seal(x.get("reason"))} for x in results]
            t.record_evaluation(on, sealed, s.seal(summary), today)

        return self._change(trajectory_id, command, expected_version)[0]

    # Hours -------------------------------------------------------------------------------------
    def record_activity(
        self, trajectory_id: UUID, activity: dict[str, Any], *,
        expected_version: int | None = None,
    ) -> tuple[Trajectory, list[str]]:
        """Returns the trajectory and any warnings about the grant's cap."""

        def command(t: Trajectory, s: Sealer, today: date) -> list[str]:
            sealed = {
                **activity,
                "justification": s.seal(activity.get("justification")),
                "notes": s.seal(activity.get("notes")),
                "next_step": s.seal(activity.get("next_step")),
            }
            return t.record_activity(sealed, today)

        trajectory, warnings = self._change(trajectory_id, command, expected_version)
        return trajectory, warnings or []

    def correct_activity(
        self, trajectory_id: UUID, activity_id: str, minutes: int, reason: str,
        override_reason: str | None = None, *, expected_version: int | None = None,
    ) -> tuple[Trajectory, list[str]]:
        trajectory, warnings = self._change(
            trajectory_id,
            lambda t, s, today: t.correct_activity(activity_id, minutes, reason, override_reason),
            expected_version,
        )
        return trajectory, warnings or []

    # Funding -----------------------------------------------------------------------------------
    def regimes(self) -> FundingRegimes:
        regimes_id = FundingRegimes.id_for(self.org_id)  # type: ignore[arg-type]
        try:
            return self.load(regimes_id, FundingRegimes)
        except NotFoundError:
            return FundingRegimes(id=regimes_id)

    def set_regime(
        self, commissioner: str, name: str, percentage: float, valid_from: date,
        valid_to: date | None = None,
    ) -> FundingRegimes:
        regimes = self.regimes()
        if regimes.has_seen(context.current().idempotency_key):
            return regimes
        regimes.set_regime(commissioner, name, percentage, valid_from, valid_to)
        try:
            self.save(regimes)
        except IntegrityError:
            raise ConflictError("De regimes zijn tegelijk gewijzigd; probeer het opnieuw") from None
        return regimes

    def add_grant(
        self, trajectory_id: UUID, commissioner: str, period_start: date, period_end: date,
        granted_hours: float, regime: str, reference: str = "", *,
        expected_version: int | None = None,
    ) -> tuple[Trajectory, str]:
        """A grant copies the percentage of the regime in force at its start."""
        in_force = self.regimes().in_force(commissioner, regime, period_start)
        if in_force is None:
            raise DomainError(
                f"Geen urenregime '{regime}' voor {commissioner} op {rules.nl_date(period_start)};"
                " stel het eerst in"
            )
        return self._change(
            trajectory_id,
            lambda t, s, today: t.add_grant(
                commissioner, period_start, period_end, granted_hours, in_force["name"],
                in_force["percentage"], reference,
            ),
            expected_version,
        )

    # Closing ----------------------------------------------------------------------------------
    def record_closing_evaluation(
        self, trajectory_id: UUID, party: str, on: date, summary: str, *,
        expected_version: int | None = None,
    ) -> Trajectory:
        return self._change(
            trajectory_id,
            lambda t, s, today: t.record_closing_evaluation(party, on, s.seal(summary), today),
            expected_version,
        )[0]

    def close_trajectory(
        self, trajectory_id: UUID, reason: str, aftercare_offered: bool, aftercare: str | None,
        on: date, *, expected_version: int | None = None,
    ) -> Trajectory:
        return self._change(
            trajectory_id,
            lambda t, s, today: t.close(reason, aftercare_offered, s.seal(aftercare), on, today),
            expected_version,
        )[0]

    # Continuity -------------------------------------------------------------------------------
    def absences(self, jobcoach: UUID) -> JobcoachAbsences:
        absences_id = JobcoachAbsences.id_for(self.org_id, jobcoach)  # type: ignore[arg-type]
        try:
            return self.load(absences_id, JobcoachAbsences)
        except NotFoundError:
            return JobcoachAbsences(id=absences_id, jobcoach=jobcoach)

    def register_absence(
        self, jobcoach: UUID, kind: str, first_day: date, last_day: date | None, note: str = ""
    ) -> tuple[JobcoachAbsences, str]:
        absences = self.absences(jobcoach)
        if absences.has_seen(context.current().idempotency_key):
            return absences, absences.absences[-1]["absence_id"]
        absence_id = absences.register(kind, first_day, last_day, note)
        try:
            self.save(absences)
        except IntegrityError:
            raise ConflictError("Tegelijk gewijzigd; probeer het opnieuw") from None
        return absences, absence_id

    def hand_over_caseload(
        self, trajectory_ids: list[UUID], to: UUID, handover_note: str,
        absent_jobcoach: UUID | None = None, absence_id: str | None = None,
    ) -> list[Trajectory]:
        """Bulk warm handover: each trajectory its own event (and its own derived key)."""
        key = context.current().idempotency_key
        done = []
        for trajectory_id in map(lambda i: UUID(str(i)), trajectory_ids):
            sub_key = f"{key}:{trajectory_id}" if key else None
            with context.idempotency(sub_key):
                trajectory = self.trajectory(trajectory_id)
                if trajectory.responsible_jobcoach == to and not trajectory.has_seen(sub_key):
                    continue
                done.append(self.reassign(trajectory_id, to, handover_note))
        if absent_jobcoach is not None and absence_id is not None and done:
            absences = self.absences(absent_jobcoach)
            if not absences.has_seen(key):
                absences.record_handover(absence_id, to, [str(t.id) for t in done])
                self.save(absences)
        return done
