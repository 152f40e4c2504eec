"""Tenant registry aggregates. Ids derive from natural keys (uuid5), which makes
slugs, e-mail addresses and client ids unique without a separate index."""

from __future__ import annotations

import re
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from services.kernel.auth.roles import Role
from services.kernel.domain import DomainError, StampedAggregate

NAMESPACE = uuid5(NAMESPACE_URL, "https://jobtrail.nl/registry")
SLUG = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
KVK = re.compile(r"^\d{8}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def org_id_for(slug: str) -> UUID:
    return uuid5(NAMESPACE, f"org:{slug}")


def user_id_for(email: str) -> UUID:
    return uuid5(NAMESPACE, f"user:{email.strip().lower()}")


class Organisation(StampedAggregate):
    def __init__(self, name: str, slug: str, kvk_number: str, totp_required: bool = True):
        check_org_fields(name, slug, kvk_number)
        self.name = name
        self.slug = slug
        self.kvk_number = kvk_number
        self.totp_required = totp_required
        self.oidc_issuer: str | None = None
        self.oidc_client_id: str | None = None
        self.oidc_client_secret: str | None = None

    @staticmethod
    def create_id(name: str, slug: str, kvk_number: str, totp_required: bool = True) -> UUID:
        return org_id_for(slug)

    @event("Renamed")
    def rename(self, name: str) -> None:
        check_org_fields(name, self.slug, self.kvk_number)
        self.name = name

    @event("TotpPolicyChanged")
    def set_totp_required(self, totp_required: bool) -> None:
        self.totp_required = totp_required

    @event("OidcConfigured")
    def configure_oidc(self, issuer: str, client_id: str, client_secret: str) -> None:
        if not issuer.startswith("https://"):
            raise DomainError("De OIDC-issuer moet een https-adres zijn")
        self.oidc_issuer = issuer  # kept exactly: the ID token's iss must equal it
        self.oidc_client_id = client_id
        self.oidc_client_secret = client_secret


def check_org_fields(name: str, slug: str, kvk_number: str) -> None:
    if not name.strip():
        raise DomainError("Naam van de organisatie is verplicht")
    if not SLUG.match(slug):
        raise DomainError(
            "Slug: 2-40 tekens, kleine letters, cijfers en '-', beginnend met een letter"
        )
    if not KVK.match(kvk_number):
        raise DomainError("KvK-nummer bestaat uit precies 8 cijfers")


class User(StampedAggregate):
    def __init__(self, email: str, name: str, password_hash: str):
        if not EMAIL.match(email):
            raise DomainError("Ongeldig e-mailadres")
        self.email = email.strip().lower()
        self.name = name
        self.password_hash = password_hash
        self.totp_secret: str | None = None
        self.memberships: dict[str, str] = {}  # org id (str) -> role
        self.disabled = False

    @staticmethod
    def create_id(email: str, name: str, password_hash: str) -> UUID:
        return user_id_for(email)

    @event("PasswordChanged")
    def change_password(self, password_hash: str) -> None:
        self.password_hash = password_hash

    @event("TotpEnrolled")
    def enrol_totp(self, totp_secret: str) -> None:
        self.totp_secret = totp_secret

    @event("TotpReset")
    def reset_totp(self) -> None:
        self.totp_secret = None

    # `on`: the day the membership (or the new role) started or the membership ended.
    # Events from before memberships were dated have no `on` (None when replayed); the
    # directory reads a start without a date as "since before records".
    @event("MembershipGranted")
    def grant_membership(self, organisation_id: UUID, role: Role, on: date | None = None) -> None:
        if str(organisation_id) not in self.memberships and on is not None:
            self._joined()[str(organisation_id)] = on.isoformat()
        self.memberships[str(organisation_id)] = Role(role).value

    @event("MembershipRevoked")
    def revoke_membership(self, organisation_id: UUID, on: date | None = None) -> None:
        if str(organisation_id) not in self.memberships:
            raise DomainError("Gebruiker is geen lid van deze organisatie")
        joined = self._joined().pop(str(organisation_id), None)
        if on is not None and joined is not None and on.isoformat() < joined:
            raise DomainError("Een lidmaatschap kan niet eindigen vóór het begon")
        del self.memberships[str(organisation_id)]

    def _joined(self) -> dict[str, str]:
        """Org id -> ISO day the current membership began (absent: before records). Kept
        via __dict__ so users stored before memberships were dated load unchanged."""
        return self.__dict__.setdefault("joined_on", {})

    @event("Disabled")
    def disable(self) -> None:
        self.disabled = True

    def role_in(self, organisation_id: UUID) -> Role | None:
        role = self.memberships.get(str(organisation_id))
        return Role(role) if role and not self.disabled else None


class ApiClient(StampedAggregate):
    """An organisation-scoped API client for the OAuth 2 client-credentials grant."""

    def __init__(
        self,
        organisation_id: UUID,
        role: Role,
        name: str,
        secret_hash: str,
        user_id: UUID | None = None,
    ):
        if Role(role) == Role.JOBCOACH and user_id is None:
            # A jobcoach sees an own caseload, so a jobcoach client acts for one jobcoach.
            raise DomainError("Een API-client met rol jobcoach hoort bij een gebruiker")
        self.organisation_id = organisation_id
        self.role = Role(role).value
        self.name = name
        self.secret_hash = secret_hash
        self.user_id = user_id
        self.revoked = False

    @event("Revoked")
    def revoke(self) -> None:
        self.revoked = True
