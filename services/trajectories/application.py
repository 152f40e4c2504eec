"""The Trajectories application: one instance per organisation.

Commands take plain values from the edge, seal the client's free text with the
client's own key (Sealer) and hand sealed values to the aggregates. Every command
is idempotent per key and optimistic per version (TenantApplication.update).
Commands load the slim aggregate (`rules`); reading a trajectory (`trajectory`) folds
its events into the full record (history.py), which pages, API and documents open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    JSONTranscoder,
    OperationalError,
)

from services.kernel import context
from services.kernel.domain import ConflictError, DomainError, NotFoundError, StampedAggregate
from services.kernel.personal_data import SubjectKeys
from services.kernel.store import TenantApplication
from services.kernel.transcodings import DateAsISO
from services.trajectories import onetrip, rules
from services.trajectories.absence import JobcoachAbsences
from services.trajectories.application_clients import ClientCommands
from services.trajectories.domainmodel import Trajectory
from services.trajectories.funding import FundingRegimes
from services.trajectories.history import HISTORIES, TrajectoryHistory
from services.trajectories.sealing import Opener, Sealer

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
A = TypeVar("A", bound=StampedAggregate)
# Set while a trajectory command runs: the load puts the client's key in it (onetrip.py),
# the command's Sealer takes it from there. Never outlives the command.
_SEALING_KEYS: ContextVar[dict[UUID, bytes] | None] = ContextVar("sealing_keys", default=None)
# Set by `reusing` while a request runs a command: the trajectory its access check just
# loaded (with its client's key), taken once by the command's load instead of a second
# load. A save that then conflicts reloads afresh, as it always did.
_PRELOADED: ContextVar[tuple[UUID, Any, bytes | None] | None] = ContextVar(
    "preloaded", default=None)


class Trajectories(ClientCommands, TenantApplication):
    name = "trajectories"
    # Coaching years grow long histories. Each event after the snapshot adds ~25-50 µs
    # to every load (decode and replay) and a snapshot of the slim aggregate is cheap to
    # take, so every 20 events: ~0.5 ms less per command than every 50 (measured).
    snapshotting_intervals = {Trajectory: 20}
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

    def load(self, aggregate_id: UUID, kind: type[A]) -> A:
        """On PostgreSQL: latest snapshot and newer events in one round trip
        (services/trajectories/onetrip.py); on SQLite the generic way."""
        sealing = _SEALING_KEYS.get()  # a command that seals: its client's key as well
        preloaded = _PRELOADED.get()
        if preloaded is not None and preloaded[0] == aggregate_id and isinstance(
                preloaded[1], kind):
            _PRELOADED.set(None)  # once
            if sealing is not None and preloaded[2] is not None:
                sealing[preloaded[1].client_id] = preloaded[2]
            return preloaded[1]  # type: ignore[no-any-return]
        if not self.settings.is_postgres:
            return super().load(aggregate_id, kind)
        try:
            aggregate, key = onetrip.latest(
                self, aggregate_id, self.keys if sealing is not None else None
            )
        except (InterfaceError, OperationalError):  # the generic path retries these
            return super().load(aggregate_id, kind)
        if not isinstance(aggregate, kind):
            raise NotFoundError("%(kind)s niet gevonden", kind=kind.__name__)
        if key is not None and sealing is not None:
            sealing[aggregate.client_id] = key  # type: ignore[attr-defined]
        return aggregate

    def load_for_command(self, trajectory_id: UUID) -> tuple[Trajectory, bytes | None]:
        """The trajectory and its client's key, as a sealing command loads them."""
        keys: dict[UUID, bytes] = {}
        token = _SEALING_KEYS.set(keys)
        try:
            trajectory = self.load(trajectory_id, Trajectory)
        finally:
            _SEALING_KEYS.reset(token)
        return trajectory, keys.get(trajectory.client_id)

    @contextmanager
    def reusing(self, trajectory: Trajectory, key: bytes | None) -> Iterator[None]:
        """Within: the next load of this trajectory takes `trajectory` (loaded a moment
        ago by the request's access check) instead of reading it again."""
        token = _PRELOADED.set((trajectory.id, trajectory, key))
        try:
            yield
        finally:
            _PRELOADED.reset(token)

    def close(self) -> None:
        view = self.__dict__.pop("_caseload", None)
        if view is not None:
            view.close()
        super().close()

    # Trajectories ----------------------------------------------------------------------------
    def start_trajectory(
        self, client_id: UUID, commissioner: str, responsible_jobcoach: UUID
    ) -> Trajectory:
        number = self._client_number(client_id)
        return self.create(Trajectory(client_id, commissioner, responsible_jobcoach, number))

    def _client_number(self, client_id: UUID) -> str:
        """A trajectory is for a client registered in this organisation (the Client
        aggregate holds the personal data and its key). Client numbers never change once
        issued, so one read per client suffices."""
        numbers: dict[UUID, str] = self.__dict__.setdefault("_client_numbers", {})
        if client_id not in numbers:
            try:
                numbers[client_id] = self.client(client_id).number
            except NotFoundError:
                raise DomainError(
                    "Deze cliënt is niet geregistreerd bij deze organisatie: registreer de"
                    " cliënt eerst (Cliënten, Nieuwe cliënt) en start dan het traject"
                ) from None
        return numbers[client_id]

    def trajectory(self, trajectory_id: UUID) -> TrajectoryHistory:
        """The trajectory as recorded: every step, text (sealed), activity and handover,
        folded from its events (cached; a visit reads only newer events). Shared between
        requests: read it, never change it. Commands and checks use `rules(id)`."""
        return HISTORIES.get(self.history_scope, self.events, trajectory_id)

    @property
    def history_scope(self) -> tuple[str, Any]:
        """The key of this store's histories in the process-wide cache."""
        return (self.env.get("POSTGRES_SCHEMA") or self.env.get("SQLITE_DBNAME", ""),
                self.org_id)

    history = trajectory

    def rules(self, trajectory_id: UUID) -> Trajectory:
        """The aggregate: only what the rules need (cheap to load; no texts)."""
        return self.load(trajectory_id, Trajectory)

    def trajectories_of(self, client_id: UUID) -> list[dict[str, Any]]:
        """The client's trajectories, oldest first: open or closed, and when they closed
        (for the privacy context: retention and erasure)."""
        from services.kernel.views import catch_up
        from services.trajectories.caseload import CaseloadView

        view = self.__dict__.get("_caseload")
        if view is None:
            view = self.__dict__["_caseload"] = CaseloadView(self)
        catch_up(view)  # so that a trajectory started a moment ago is not missed
        rows = view.records(
            ("trajectory_id", "started_at"),
            "SELECT trajectory_id, started_at FROM {t}trajectory_caseload WHERE client_id = %s"
            " ORDER BY started_at",
            (str(client_id),),
        )
        result = []
        for row in rows:
            trajectory = self.rules(UUID(row["trajectory_id"]))
            ending = trajectory.ending or {}
            result.append({
                "trajectory_id": trajectory.id,
                "started_on": trajectory.created_on.date(),
                "open": not trajectory.closed,
                "closed_on": ending.get("on"),
                "end_reason": ending.get("reason"),
            })
        return result

    def reassign(
        self, trajectory_id: UUID, jobcoach: UUID, handover_note: str, *,
        expected_version: int | None = None,
    ) -> Trajectory:
        """A warm handover; the note is about the client, so it is sealed with its key."""
        if len((handover_note or "").strip()) < 10:
            raise DomainError("Een warme overdracht vraagt een overdrachtsnotitie (min. 10 tekens)")
        return self._change(
            trajectory_id, lambda t, s, today: t.reassign(jobcoach, s.seal(handover_note)),
            expected_version,
        )[0]

    def _change(
        self, trajectory_id: UUID, command: Callable[[Trajectory, Sealer, date], Any],
        expected_version: int | None, *, seals: bool = True,
    ) -> tuple[Trajectory, Any]:
        """Run a command with a sealer for the trajectory's client; returns its result too.
        `seals=False`: the command writes no text, so the key is not read with the load."""
        today = self.today()
        outcome: list[Any] = [None]
        keys: dict[UUID, bytes] = {}  # filled by the load: no second trip for the key

        def run(trajectory: Trajectory) -> None:  # sealed with the key of ITS client
            sealer = Sealer(self._keys(), trajectory.client_id, keys.get(trajectory.client_id))
            outcome[0] = command(trajectory, sealer, today)

        token = _SEALING_KEYS.set(keys if seals else None)
        try:
            trajectory = self.update(
                trajectory_id, Trajectory, run, expected_version=expected_version
            )
        finally:
            _SEALING_KEYS.reset(token)
        return trajectory, outcome[0]

    def record_step(
        self, trajectory_id: UUID, step: str, data: dict[str, Any], *,
        expected_version: int | None = None,
    ) -> Trajectory:
        spec = rules.STEPS.get(step)
        if spec is None:
            raise NotFoundError("Onbekende stap: %(step)s", step=step)

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

    def record_aftercare(
        self, trajectory_id: UUID, contact: dict[str, Any], *,
        expected_version: int | None = None,
    ) -> Trajectory:
        """A contact moment of the aftercare offered at closing."""

        def command(t: Trajectory, s: Sealer, today: date) -> None:
            t.record_aftercare({
                **contact,
                "justification": s.seal(contact.get("justification")),
                "notes": s.seal(contact.get("notes")),
                "next_step": s.seal(contact.get("next_step")),
            }, today)

        return self._change(trajectory_id, command, expected_version)[0]

    def correct_activity(
        self, trajectory_id: UUID, activity_id: str, minutes: int, reason: str,
        override_reason: str | None = None, *, expected_version: int | None = None,
    ) -> tuple[Trajectory, list[str]]:
        trajectory, warnings = self._change(
            trajectory_id,
            lambda t, s, today: t.correct_activity(activity_id, minutes, reason, override_reason),
            expected_version, seals=False,
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
                "Geen urenregime '%(regime)s' voor %(commissioner)s op %(on)s; stel het eerst in",
                regime=regime, commissioner=commissioner, on=rules.nl_date(period_start),
            )
        return self._change(
            trajectory_id,
            lambda t, s, today: t.add_grant(
                commissioner, period_start, period_end, granted_hours, in_force["name"],
                in_force["percentage"], reference,
            ),
            expected_version, seals=False,
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

    def record_follow_up(
        self, trajectory_id: UUID, months: int, on: date, still_working: bool,
        hours_per_week: float | None = None, note: str | None = None, *,
        expected_version: int | None = None,
    ) -> Trajectory:
        """Is the client still at work 6 or 12 months after placement? (also after closing)"""
        return self._change(
            trajectory_id,
            lambda t, s, today: t.record_follow_up(
                months, on, still_working, hours_per_week, s.seal(note), today
            ),
            expected_version,
        )[0]

    def sign_log(
        self, trajectory_id: UUID, grant_id: str, role: str, signer_name: str, on: date,
        method: str, *, expected_version: int | None = None,
    ) -> Trajectory:
        """A signature of a grant period's log; the signer's name is personal data in the
        client's file, so it is sealed with the client's key."""
        return self._change(
            trajectory_id,
            lambda t, s, today: t.sign_log(grant_id, role, s.seal(signer_name), on, method,
                                           today),
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
                trajectory = self.rules(trajectory_id)
                if trajectory.responsible_jobcoach == to and not trajectory.has_seen(sub_key):
                    continue
                done.append(self.reassign(trajectory_id, to, handover_note))
        if absent_jobcoach is not None and absence_id is not None and done:
            absences = self.absences(absent_jobcoach)
            if not absences.has_seen(key):
                absences.record_handover(absence_id, to, [str(t.id) for t in done])
                self.save(absences)
        return done
