"""Clients of an organisation: identity, contact data and support need, all sealed.

The aggregate holds only sealed values for personal data (crypto-shredding): erasing
the client's key leaves the events intact and unreadable. The client number
("C-0001") is a pseudonym for auditors and lists; numbers come from a register
aggregate saved atomically with the new client, so two clients never share one.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import event

from services.kernel.domain import NotFoundError, StampedAggregate
from services.trajectories.rules import require, sealed

REGISTER_NAMESPACE = uuid5(NAMESPACE_URL, "https://jobtrail.nl/client-register")
RELATIONS = {
    "family": "Familie",
    "partner": "Partner",
    "friend": "Vriend(in)",
    "care_provider": "Zorgverlener",
    "company_doctor": "Bedrijfsarts",
    "therapist": "Therapeut",
    "benefits_agency": "Uitkeringsinstantie",
    "other": "Anders",
}
CONTACT_FIELDS = ("name", "email", "phone", "address", "date_of_birth")


class ClientRegister(StampedAggregate):
    """Hands out consecutive client numbers within one organisation."""

    def __init__(self, id: UUID):  # noqa: A002
        self.issued = 0

    @staticmethod
    def id_for(org_id: UUID) -> UUID:
        return uuid5(REGISTER_NAMESPACE, str(org_id))

    @event("NumberIssued")
    def issue(self) -> None:
        self.issued += 1

    @property
    def last_number(self) -> str:
        return f"C-{self.issued:04d}"


class Client(StampedAggregate):
    def __init__(self, id: UUID, number: str, contact: dict[str, Any]):  # noqa: A002
        self.number = number
        self.contact = _contact(contact)
        self.limitations: Any = None
        self.possibilities: Any = None
        self.network: dict[str, dict[str, Any]] = {}

    @event("ContactDataRevised")
    def revise_contact(self, contact: dict[str, Any]) -> None:
        self.contact = _contact(contact)

    @event("SupportNeedDescribed")
    def describe_support_need(self, limitations: Any, possibilities: Any) -> None:
        """Functional limitations and possibilities for work, never diagnoses."""
        self.limitations = sealed(limitations, "Functionele beperkingen")
        self.possibilities = sealed(possibilities, "Mogelijkheden")

    def add_network_contact(
        self, name: Any, relation: str, consent: bool, consent_on: date | None
    ) -> str:
        require(relation in RELATIONS, "Relatie: kies uit %(choices)s",
                choices=", ".join(RELATIONS))
        require(consent_on is not None, "Datum van de (geen) toestemming is verplicht")
        contact_id = uuid4().hex[:12]
        self._contact_added(contact_id, sealed(name, "Naam"), relation, bool(consent), consent_on)
        return contact_id

    @event("NetworkContactAdded")
    def _contact_added(
        self, contact_id: str, name: Any, relation: str, consent: bool, consent_on: date
    ) -> None:
        self.network[contact_id] = {
            "contact_id": contact_id,
            "name": name,
            "relation": relation,
            "consent": consent,
            "consent_on": consent_on,
        }

    def change_consent(self, contact_id: str, consent: bool, on: date) -> None:
        """The client may give or withdraw consent to contact someone at any time."""
        if contact_id not in self.network:
            raise NotFoundError("Netwerkcontact niet gevonden")
        require(self.network[contact_id]["consent"] != consent, "Deze toestemming geldt al")
        self._consent_changed(contact_id, bool(consent), on)

    @event("NetworkConsentChanged")
    def _consent_changed(self, contact_id: str, consent: bool, on: date) -> None:
        contact = self.network[contact_id]
        self.network[contact_id] = {**contact, "consent": consent, "consent_on": on}

    def may_contact(self, contact_id: str) -> bool:
        contact = self.network.get(contact_id)
        return bool(contact and contact["consent"])


def _contact(contact: dict[str, Any]) -> dict[str, Any]:
    unknown = set(contact) - set(CONTACT_FIELDS)
    require(not unknown, "Onbekende velden: %(fields)s", fields=", ".join(sorted(unknown)))
    result = {name: sealed(contact.get(name), name, required=False) for name in CONTACT_FIELDS}
    require(result["name"] is not None, "Naam is verplicht")
    return result
