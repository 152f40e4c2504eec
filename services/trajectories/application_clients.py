"""The Trajectories application's commands on clients (a mixin, to keep modules small):
registration with the next client number, contact data, support need, network and
consent. Personal data is sealed with the client's own key before it is stored."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from services.kernel import context
from services.kernel.domain import ConflictError, DomainError, NotFoundError
from services.trajectories.clients import CONTACT_FIELDS, Client, ClientRegister


class ClientCommands:
    """Mixed into Trajectories (application.py), which provides load, save, update,
    sealer and org_id."""

    load: Any
    save: Any
    update: Any
    sealer: Any
    org_id: UUID | None

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
