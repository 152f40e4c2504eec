"""Per-client privacy state: consent, restriction, objection, BSN; erasure; read access.

Ids of the per-client aggregates derive from the client id (uuid5), so "the privacy
record of client X" needs no index and a second erasure finds the first.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import event

from services.kernel.domain import DomainError, StampedAggregate
from services.privacy.vocabulary import (
    ACCESS_CHANNELS,
    ACCESS_REASONS,
    CONSENT_EVIDENCE,
    ERASURE_BASES,
    PURPOSES,
    RECIPIENT_KINDS,
)

WHAT = re.compile(r"^[a-z][a-z0-9_.:-]{0,79}$")  # a code, never free text (no PII)
NAMESPACE = uuid5(NAMESPACE_URL, "https://jobtrail.nl/privacy")
Sealed = dict[str, str]


def consent_key(purpose: str, recipient_kind: str, recipient_id: str | None) -> str:
    return f"{purpose}|{recipient_kind}|{recipient_id or '*'}"


class ClientPrivacy(StampedAggregate):
    """What the client agreed to and asked for, per purpose and recipient."""

    def __init__(self, client_id: UUID) -> None:
        self.client_id = client_id
        self.consents: dict[str, dict[str, Any]] = {}
        self.restricted = False
        self.objections: list[str] = []  # purposes the client objected to (upheld)
        self.bsn: Sealed | None = None

    @staticmethod
    def create_id(client_id: UUID) -> UUID:
        return ClientPrivacy.id_for(client_id)

    @staticmethod
    def id_for(client_id: UUID) -> UUID:
        return uuid5(NAMESPACE, f"client-privacy:{client_id}")

    @event("ConsentGiven")
    def give_consent(
        self,
        purpose: str,
        recipient_kind: str,
        recipient_id: str | None,
        recipient_name: Sealed | None,
        given_on: str,
        evidence: str,
    ) -> None:
        check_purpose(purpose, recipient_kind)
        if evidence not in CONSENT_EVIDENCE:
            raise DomainError("Onbekende vastlegging van toestemming: %(value)s", value=evidence)
        self.consents[consent_key(purpose, recipient_kind, recipient_id)] = {
            "purpose": purpose,
            "recipient_kind": recipient_kind,
            "recipient_id": recipient_id,
            "recipient_name": recipient_name,
            "given_on": given_on,
            "evidence": evidence,
            "withdrawn_on": None,
        }

    @event("ConsentWithdrawn")
    def withdraw_consent(
        self, purpose: str, recipient_kind: str, recipient_id: str | None, withdrawn_on: str
    ) -> None:
        current = self.consents.get(consent_key(purpose, recipient_kind, recipient_id))
        if current is None or current["withdrawn_on"] is not None:
            raise DomainError("Er is geen geldende toestemming om in te trekken")
        current["withdrawn_on"] = withdrawn_on

    @event("ProcessingRestricted")
    def restrict(self, on: str, request_id: str | None) -> None:
        if self.restricted:
            raise DomainError("De verwerking is al beperkt")
        self.restricted = True

    @event("RestrictionLifted")
    def lift_restriction(self, on: str) -> None:
        if not self.restricted:
            raise DomainError("De verwerking is niet beperkt")
        self.restricted = False

    @event("ObjectionUpheld")
    def uphold_objection(self, purpose: str, on: str, request_id: str | None) -> None:
        if purpose not in PURPOSES:
            raise DomainError("Onbekend doel: %(purpose)s", purpose=purpose)
        if purpose not in self.objections:
            self.objections.append(purpose)

    @event("ObjectionLifted")
    def lift_objection(self, purpose: str, reason: Sealed, on: str) -> None:
        """Processing for the purpose is allowed again (the client withdrew the objection,
        or compelling legitimate grounds were established, art. 21(1)); the reason is kept."""
        if purpose not in self.objections:
            raise DomainError("Er is geen gegrond bezwaar tegen dit doel om op te heffen")
        if not reason:
            raise DomainError("Geef de reden waarom het bezwaar wordt opgeheven")
        self.objections.remove(purpose)

    @event("BsnRecorded")
    def record_bsn(self, bsn: Sealed) -> None:
        self.bsn = bsn

    @event("BsnRemoved")
    def remove_bsn(self) -> None:
        if self.bsn is None:
            raise DomainError("Er is geen BSN vastgelegd")
        self.bsn = None

    def consent_for(
        self, purpose: str, recipient_kind: str, recipient_id: str | None
    ) -> dict[str, Any] | None:
        """The consent that covers this recipient: the specific one, else the general one."""
        for key in (
            consent_key(purpose, recipient_kind, recipient_id),
            consent_key(purpose, recipient_kind, None),
        ):
            found = self.consents.get(key)
            if found is not None and found["withdrawn_on"] is None:
                return found
        return None


def check_purpose(purpose: str, recipient_kind: str) -> None:
    if purpose not in PURPOSES:
        raise DomainError("Onbekend doel: %(purpose)s", purpose=purpose)
    if recipient_kind not in RECIPIENT_KINDS:
        raise DomainError("Onbekende soort ontvanger: %(kind)s", kind=recipient_kind)


class ClientErasure(StampedAggregate):
    """The PII-free record that a client was erased: who, whom (pseudonym), when, why."""

    def __init__(
        self,
        client_id: UUID,
        pseudonym: str,
        legal_basis: str,
        erased_at: datetime,
        backup_expires_on: str,
        request_id: str | None,
        key_existed: bool,
        open_trajectories: int,
        erased_by: str,
    ) -> None:
        if legal_basis not in ERASURE_BASES:
            raise DomainError("Onbekende grondslag voor wissen: %(basis)s", basis=legal_basis)
        self.client_id = client_id
        self.pseudonym = pseudonym
        self.legal_basis = legal_basis
        self.erased_at = erased_at
        self.backup_expires_on = backup_expires_on
        self.request_id = request_id
        self.key_existed = key_existed
        self.open_trajectories = open_trajectories
        self.erased_by = erased_by  # the acting staff id ("user:<uuid>"), never a name

    @staticmethod
    def create_id(client_id: UUID, *args: Any, **kwargs: Any) -> UUID:
        return ClientErasure.id_for(client_id)

    @staticmethod
    def id_for(client_id: UUID) -> UUID:
        return uuid5(NAMESPACE, f"client-erasure:{client_id}")


class ReadAccess(StampedAggregate):
    """One look at (or export or disclosure of) a client's personal data: one event."""

    @staticmethod
    def create_id() -> UUID:
        return uuid4()  # every look is its own record, also within one idempotent request

    def __init__(
        self,
        client_id: UUID,
        what: str,
        why: str,
        channel: str,
        recipient_kind: str | None = None,
        recipient_id: str | None = None,
    ) -> None:
        if why not in ACCESS_REASONS:
            raise DomainError("Onbekende reden voor inzage: %(why)s", why=why)
        if channel not in ACCESS_CHANNELS:
            raise DomainError("Onbekend kanaal: %(channel)s", channel=channel)
        if not WHAT.match(what):
            raise DomainError("Wat er is ingezien: een code als 'trajectory' of 'client.profile'")
        self.client_id = client_id
        self.what = what
        self.why = why
        self.channel = channel
        self.recipient_kind = recipient_kind
        self.recipient_id = recipient_id
