"""The Privacy application: one instance per organisation; the command API of the
privacy aggregates. Values arrive sealed and dates arrive as arguments: sealing and
the clock belong to the edge (services/privacy/office.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from services.kernel.domain import NotFoundError
from services.kernel.settings import Settings
from services.kernel.store import TenantApplication
from services.privacy.clock import Clock, SystemClock, today
from services.privacy.registers import Breach, PrivacyPolicy, ProcessingActivity
from services.privacy.requests import DataSubjectRequest, Sealed
from services.privacy.subjects import ClientErasure, ClientPrivacy, ReadAccess


class Privacy(TenantApplication):
    name = "privacy"
    snapshotting_intervals = {ClientPrivacy: 50}

    def __init__(self, settings: Settings, org_id: UUID | None, **kwargs: Any) -> None:
        self.clock: Clock = SystemClock()  # tests put a FrozenClock here
        super().__init__(settings, org_id, **kwargs)

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return today(self.clock)

    # Data-subject requests ------------------------------------------------------------
    def register_request(
        self,
        client_id: UUID,
        kind: str,
        received_on: str,
        channel: str,
        requester: Sealed | None = None,
        details: Sealed | None = None,
    ) -> DataSubjectRequest:
        return self.create(
            DataSubjectRequest(client_id, kind, received_on, channel, requester, details)
        )

    def request(self, request_id: UUID) -> DataSubjectRequest:
        return self.load(request_id, DataSubjectRequest)

    def on_request(
        self,
        request_id: UUID,
        command: Callable[[DataSubjectRequest], Any],
        expected_version: int | None = None,
    ) -> DataSubjectRequest:
        return self.update(
            request_id, DataSubjectRequest, command, expected_version=expected_version
        )

    # Per client -------------------------------------------------------------------------
    def client_privacy(self, client_id: UUID) -> ClientPrivacy | None:
        try:
            return self.load(ClientPrivacy.id_for(client_id), ClientPrivacy)
        except NotFoundError:
            return None

    def on_client(
        self,
        client_id: UUID,
        command: Callable[[ClientPrivacy], Any],
        expected_version: int | None = None,
    ) -> ClientPrivacy:
        """Run a command on the client's privacy record, creating the record on first use."""
        if self.client_privacy(client_id) is None:
            record = ClientPrivacy(client_id)
            command(record)
            try:
                self.save(record)
                return record
            except IntegrityError:
                pass  # created meanwhile, or our own creation landed: update() sorts it out
        return self.update(
            ClientPrivacy.id_for(client_id),
            ClientPrivacy,
            command,
            expected_version=expected_version,
        )

    def erasure(self, client_id: UUID) -> ClientErasure | None:
        try:
            return self.load(ClientErasure.id_for(client_id), ClientErasure)
        except NotFoundError:
            return None

    def record_erasure(self, erasure: ClientErasure) -> ClientErasure:
        existing = self.erasure(erasure.client_id)
        if existing is not None:
            return existing  # erasing twice is harmless: the first record stands
        try:
            self.save(erasure)
        except IntegrityError:
            return self.load(erasure.id, ClientErasure)
        return erasure

    def log_access(
        self,
        client_id: UUID,
        what: str,
        why: str,
        channel: str,
        recipient_kind: str | None = None,
        recipient_id: str | None = None,
    ) -> ReadAccess:
        access = ReadAccess(client_id, what, why, channel, recipient_kind, recipient_id)
        self.save(access)
        return access

    # Registers --------------------------------------------------------------------------
    def detect_breach(self, detected_at: datetime, title: str, description: str) -> Breach:
        return self.create(Breach(detected_at, title, description))

    def breach(self, breach_id: UUID) -> Breach:
        return self.load(breach_id, Breach)

    def on_breach(
        self, breach_id: UUID, command: Callable[[Breach], Any], expected_version: int | None = None
    ) -> Breach:
        return self.update(breach_id, Breach, command, expected_version=expected_version)

    def register_activity(self, entry: dict[str, Any]) -> ProcessingActivity:
        return self.create(ProcessingActivity(entry))

    def activity(self, activity_id: UUID) -> ProcessingActivity:
        return self.load(activity_id, ProcessingActivity)

    def on_activity(
        self,
        activity_id: UUID,
        command: Callable[[ProcessingActivity], Any],
        expected_version: int | None = None,
    ) -> ProcessingActivity:
        return self.update(
            activity_id, ProcessingActivity, command, expected_version=expected_version
        )

    def policy(self) -> PrivacyPolicy:
        try:
            return self.load(PrivacyPolicy.ID, PrivacyPolicy)
        except NotFoundError:
            return PrivacyPolicy()  # defaults, not yet saved

    def on_policy(self, command: Callable[[PrivacyPolicy], Any]) -> PrivacyPolicy:
        try:
            self.load(PrivacyPolicy.ID, PrivacyPolicy)
        except NotFoundError:
            policy = PrivacyPolicy()
            command(policy)
            try:
                self.save(policy)
                return policy
            except IntegrityError:
                pass  # created meanwhile: apply the command to the stored one
        return self.update(PrivacyPolicy.ID, PrivacyPolicy, command)
