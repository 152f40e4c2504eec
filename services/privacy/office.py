"""The privacy officer's desk: the privacy context's service layer.

Seals what people write about a client with the client's key, takes dates from the
application's injected clock, logs every opening of a client's personal data, and
reads (never writes) the other contexts. API, web pages, CLI and jobs all come here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.kernel.domain import DomainError, NotFoundError
from services.kernel.personal_data import ERASED
from services.kernel.views import catch_up
from services.privacy.application import Privacy
from services.privacy.bsn import is_valid_bsn, normalise
from services.privacy.consent import ConsentDecision, decide, require_consent
from services.privacy.documents import DocumentStore
from services.privacy.requests import DataSubjectRequest
from services.privacy.views import AccessLogView, RegistersView, RequestsView


class PrivacyOffice:
    def __init__(self, platform: Any, org_id: UUID) -> None:
        self.platform = platform
        self.org_id = org_id
        self.app: Privacy = platform.app(Privacy, org_id)
        self.keys = platform.subject_keys(org_id)
        self.documents = DocumentStore(platform.settings.data_dir, org_id, self.keys)

    # Time, sealing, views ------------------------------------------------------------------
    def now(self) -> datetime:
        return self.app.now()

    def today(self) -> date:
        return self.app.today()

    def seal(self, client_id: UUID, text: str | None) -> dict[str, str] | None:
        if text is None or not str(text).strip():
            return None
        return self.keys.seal(client_id, str(text).strip())

    def open(self, sealed: Any) -> str | None:
        return self.keys.open(sealed) if sealed else None

    def view(self, view_class: type, fresh: bool = True) -> Any:
        view = self.platform.view(view_class, self.org_id)
        if fresh:  # the officer acts on what was just recorded, not on a lagging copy
            catch_up(view)
        return view

    @property
    def requests_view(self) -> RequestsView:
        return self.view(RequestsView)

    @property
    def registers(self) -> RegistersView:
        return self.view(RegistersView)

    @property
    def access_log(self) -> AccessLogView:
        return self.view(AccessLogView)

    # Clients of the organisation (read from trajectories) ------------------------------------
    def client_number(self, client_id: UUID) -> str | None:
        try:
            return self.platform.trajectories(self.org_id).client(client_id).number
        except NotFoundError:
            return None

    def client_by_number(self, number: str) -> UUID | None:
        """The client with this client number (numbers are not personal data: not sealed)."""
        from services.trajectories.clients_view import ClientsView

        rows = self.view(ClientsView).records(
            ("client_id",),
            "SELECT client_id FROM {t}trajectory_clients WHERE number = %s",
            ((number or "").strip().upper(),),
        )
        return UUID(rows[0]["client_id"]) if rows else None

    def client_numbers(self) -> dict[str, str]:
        """client id -> client number, for lists that name clients by pseudonym."""
        from services.trajectories.clients_view import ClientsView

        rows = self.view(ClientsView, fresh=False).records(
            ("client_id", "number"), "SELECT client_id, number FROM {t}trajectory_clients"
        )
        return {row["client_id"]: row["number"] for row in rows}

    def client_name(self, client_id: UUID) -> str | None:
        """The client's name, opened (callers log the read); None for an unknown client."""
        try:
            client = self.platform.trajectories(self.org_id).client(client_id)
        except NotFoundError:
            return None
        return self.open(client.contact.get("name"))

    def check_client(self, client_id: UUID) -> None:
        """A client of this organisation: registered in trajectories or known to privacy."""
        if self.client_number(client_id) is None and self.app.client_privacy(client_id) is None:
            raise NotFoundError("Cliënt niet gevonden")

    def client_trajectories(self, client_id: UUID) -> list[dict[str, Any]]:
        """The client's trajectories with whether they are open and when they closed."""
        from services.trajectories.caseload import CaseloadView

        caseload = self.view(CaseloadView)
        rows = caseload.records(
            ("trajectory_id", "closed"),
            "SELECT trajectory_id, closed FROM {t}trajectory_caseload WHERE client_id = %s",
            (str(client_id),),
        )
        trajectories = self.platform.trajectories(self.org_id)
        result = []
        for row in rows:
            trajectory = trajectories.trajectory(UUID(row["trajectory_id"]))
            ending = getattr(trajectory, "ending", None) or {}
            result.append(
                {
                    "trajectory_id": row["trajectory_id"],
                    "open": not trajectory.closed,
                    "closed_on": str(ending.get("on")) if ending.get("on") else None,
                }
            )
        return result

    def is_erased(self, client_id: UUID) -> bool:
        return self.app.erasure(client_id) is not None

    def _check_not_erased(self, client_id: UUID) -> None:
        if self.is_erased(client_id):
            raise DomainError("De gegevens van deze cliënt zijn gewist")

    # Read-access logging ---------------------------------------------------------------------
    def log_access(
        self,
        client_id: UUID,
        what: str,
        why: str,
        channel: str,
        recipient_kind: str | None = None,
        recipient_id: str | None = None,
    ) -> None:
        self.app.log_access(client_id, what, why, channel, recipient_kind, recipient_id)

    # Data-subject requests ----------------------------------------------------------------
    def register_request(
        self,
        client_id: UUID,
        kind: str,
        channel: str,
        received_on: date | None = None,
        requester: str | None = None,
        details: str | None = None,
    ) -> DataSubjectRequest:
        self.check_client(client_id)
        received = received_on or self.today()
        if received > self.today():
            raise DomainError("De ontvangstdatum ligt in de toekomst")
        return self.app.register_request(
            client_id,
            kind,
            received.isoformat(),
            channel,
            self.seal(client_id, requester),
            self.seal(client_id, details),
        )

    def extend_request(
        self, request_id: UUID, reason: str, expected_version: int | None = None
    ) -> DataSubjectRequest:
        if len((reason or "").strip()) < 10:
            raise DomainError("Geef de reden van de verlenging (min. 10 tekens)")
        request = self.app.request(request_id)
        sealed = self.seal(request.client_id, reason)
        today = self.today().isoformat()
        return self.app.on_request(request_id, lambda r: r.extend(sealed, today), expected_version)

    def start_request(self, request_id: UUID, expected_version: int | None = None):
        today = self.today().isoformat()
        return self.app.on_request(request_id, lambda r: r.start(today), expected_version)

    def complete_request(
        self,
        request_id: UUID,
        outcome: str,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> DataSubjectRequest:
        request = self.app.request(request_id)
        sealed = (
            self.seal(request.client_id, note) if not self.is_erased(request.client_id) else None
        )
        today = self.today().isoformat()
        return self.app.on_request(
            request_id, lambda r: r.complete(outcome, today, sealed), expected_version
        )

    def request_detail(self, request_id: UUID, channel: str) -> dict[str, Any]:
        """A request with what the requester wrote opened (and that opening logged)."""
        request = self.app.request(request_id)
        detail = request.summary()
        detail["overdue"] = request.is_overdue(self.today())
        sealed = (
            request.requester,
            request.details,
            request.extension_reason,
            request.outcome_note,
        )
        if any(sealed):
            self.log_access(request.client_id, "privacy.request", "data_subject_request", channel)
        (
            detail["requester"],
            detail["details"],
            detail["extension_reason"],
            detail["outcome_note"],
        ) = (self.open(s) for s in sealed)
        return detail

    def flag_overdue(self) -> list[str]:
        """Record DeadlinePassed on every open request past its deadline (kept in history)."""
        today = self.today()
        flagged = []
        for row in self.requests_view.overdue(today):
            if row["deadline_missed_on"]:
                continue
            self.app.on_request(
                UUID(row["request_id"]), lambda r: r.record_deadline_passed(today.isoformat())
            )
            flagged.append(row["request_id"])
        return flagged

    # Consent, restriction, objection -----------------------------------------------------------
    def give_consent(
        self,
        client_id: UUID,
        purpose: str,
        recipient_kind: str,
        evidence: str,
        recipient_id: str | None = None,
        recipient_name: str | None = None,
        given_on: date | None = None,
    ):
        self.check_client(client_id)
        self._check_not_erased(client_id)
        name = self.seal(client_id, recipient_name)
        on = (given_on or self.today()).isoformat()
        return self.app.on_client(
            client_id,
            lambda c: c.give_consent(purpose, recipient_kind, recipient_id, name, on, evidence),
        )

    def withdraw_consent(
        self, client_id: UUID, purpose: str, recipient_kind: str, recipient_id: str | None = None
    ):
        on = self.today().isoformat()
        return self.app.on_client(
            client_id, lambda c: c.withdraw_consent(purpose, recipient_kind, recipient_id, on)
        )

    def consents(self, client_id: UUID) -> list[dict[str, Any]]:
        record = self.app.client_privacy(client_id)
        if record is None:
            return []
        return [
            {
                **c,
                "recipient_name": self.open(c["recipient_name"]),
                "current": not c["withdrawn_on"],
            }
            for c in record.consents.values()
        ]

    def check_consent(
        self, client_id: UUID, purpose: str, recipient_kind: str, recipient_id: str | None = None
    ) -> ConsentDecision:
        return decide(
            self.app.client_privacy(client_id),
            self.is_erased(client_id),
            purpose,
            recipient_kind,
            recipient_id,
        )

    def share(
        self,
        client_id: UUID,
        what: str,
        purpose: str,
        recipient_kind: str,
        recipient_id: str | None,
        channel: str,
    ) -> ConsentDecision:
        """Sharing with a recipient: refused without consent, else logged as a disclosure."""
        decision = require_consent(
            self.platform, self.org_id, client_id, purpose, recipient_kind, recipient_id
        )
        self.log_access(client_id, what, "disclosure", channel, recipient_kind, recipient_id)
        return decision

    def restrict(self, client_id: UUID, request_id: UUID | None = None):
        on = self.today().isoformat()
        rid = str(request_id) if request_id else None
        return self.app.on_client(client_id, lambda c: c.restrict(on, rid))

    def lift_restriction(self, client_id: UUID):
        on = self.today().isoformat()
        return self.app.on_client(client_id, lambda c: c.lift_restriction(on))

    def uphold_objection(self, client_id: UUID, purpose: str, request_id: UUID | None = None):
        on = self.today().isoformat()
        rid = str(request_id) if request_id else None
        return self.app.on_client(client_id, lambda c: c.uphold_objection(purpose, on, rid))

    def lift_objection(
        self, client_id: UUID, purpose: str, reason: str, lifted_on: date | None = None
    ):
        """Processing for `purpose` is allowed again; the reason is sealed with the client's key."""
        self._check_not_erased(client_id)
        if len((reason or "").strip()) < 10:
            raise DomainError("Geef de reden waarom het bezwaar wordt opgeheven (min. 10 tekens)")
        on = lifted_on or self.today()
        if on > self.today():
            raise DomainError("De datum van opheffen ligt in de toekomst")
        sealed = self.seal(client_id, reason)
        return self.app.on_client(
            client_id, lambda c: c.lift_objection(purpose, sealed, on.isoformat())
        )

    # BSN -------------------------------------------------------------------------------------
    def record_bsn(self, client_id: UUID, bsn: str):
        policy = self.app.policy()
        if not policy.bsn_enabled:
            raise DomainError(
                "Deze organisatie legt geen BSN vast: zet BSN-registratie eerst aan met de"
                " wettelijke grondslag"
            )
        if not is_valid_bsn(bsn):
            raise DomainError("Dit is geen geldig BSN (elfproef)")
        self.check_client(client_id)
        self._check_not_erased(client_id)
        sealed = self.seal(client_id, normalise(bsn))
        return self.app.on_client(client_id, lambda c: c.record_bsn(sealed))

    def remove_bsn(self, client_id: UUID):
        """Remove a recorded BSN (no longer needed, or BSN registration switched off)."""
        self.check_client(client_id)
        return self.app.on_client(client_id, lambda c: c.remove_bsn())

    def reveal_bsn(self, client_id: UUID, channel: str) -> str | None:
        record = self.app.client_privacy(client_id)
        if record is None or record.bsn is None:
            return None
        self.log_access(client_id, "client.bsn", "bsn_required", channel)
        value = self.open(record.bsn)
        return None if value == ERASED else value

    # Policy ----------------------------------------------------------------------------------
    def set_backup_retention(self, days: int):
        return self.app.on_policy(lambda p: p.set_backup_retention(days))

    def set_retention(self, record_type: str, months: int):
        return self.app.on_policy(lambda p: p.set_retention(record_type, months))

    def remove_retention(self, record_type: str):
        return self.app.on_policy(lambda p: p.remove_retention(record_type))

    def enable_bsn(self, legal_basis: str):
        return self.app.on_policy(lambda p: p.enable_bsn(legal_basis))

    def disable_bsn(self):
        return self.app.on_policy(lambda p: p.disable_bsn())
