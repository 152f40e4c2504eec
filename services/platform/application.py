"""The registry application: commands on organisations, users and API clients."""

from __future__ import annotations

import secrets
from datetime import date
from uuid import UUID

from eventsourcing.persistence import JSONTranscoder

from services.kernel.auth.passwords import MIN_PASSWORD_LENGTH, hash_secret, verify_secret
from services.kernel.auth.roles import Role
from services.kernel.clock import Clock, SystemClock, today
from services.kernel.domain import DomainError, NotFoundError
from services.kernel.store import TenantApplication
from services.kernel.transcodings import DateAsISO
from services.platform.domainmodel import (
    ApiClient,
    Organisation,
    User,
    org_id_for,
    user_id_for,
)


class Registry(TenantApplication):
    """Platform-wide: lives in the `platform` schema, not in an organisation's."""

    name = "registry"
    clock: Clock = SystemClock()  # dates memberships granted or ended without a day

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # Organisations
    def register_organisation(
        self, name: str, slug: str, kvk_number: str, *, totp_required: bool = True
    ) -> Organisation:
        return self.create(Organisation(name, slug, kvk_number, totp_required))

    def organisation(self, org_id: UUID) -> Organisation:
        return self.load(org_id, Organisation)

    def organisation_by_slug(self, slug: str) -> Organisation:
        return self.load(org_id_for(slug), Organisation)

    def set_totp_required(self, org_id: UUID, required: bool) -> Organisation:
        return self.update(org_id, Organisation, lambda o: o.set_totp_required(required))

    def configure_oidc(
        self, org_id: UUID, issuer: str, client_id: str, client_secret: str
    ) -> Organisation:
        return self.update(
            org_id, Organisation, lambda o: o.configure_oidc(issuer, client_id, client_secret)
        )

    # Users
    def register_user(self, email: str, name: str, password: str) -> User:
        check_password(password)
        return self.create(User(email, name, hash_secret(password)))

    def user(self, user_id: UUID) -> User:
        return self.load(user_id, User)

    def user_by_email(self, email: str) -> User:
        return self.load(user_id_for(email), User)

    def authenticate(self, email: str, password: str) -> User | None:
        try:
            user = self.user_by_email(email)
        except NotFoundError:
            verify_secret(None, password)
            return None
        if user.disabled or not verify_secret(user.password_hash, password):
            return None
        return user

    def change_password(self, user_id: UUID, password: str) -> User:
        check_password(password)
        hashed = hash_secret(password)
        return self.update(user_id, User, lambda u: u.change_password(hashed))

    def reset_totp(self, user_id: UUID) -> User:
        """An administrator's remedy for a lost authenticator: enrol again at next login."""
        return self.update(user_id, User, lambda u: u.reset_totp())

    def enrol_totp(self, user_id: UUID, secret: str) -> User:
        return self.update(user_id, User, lambda u: u.enrol_totp(secret))

    def grant_membership(
        self, user_id: UUID, org_id: UUID, role: Role, on: date | None = None
    ) -> User:
        """`on`: the day the membership (or the new role) starts; today when not given."""
        self.organisation(org_id)  # must exist
        day = on or today(self.clock)
        return self.update(user_id, User, lambda u: u.grant_membership(org_id, Role(role), day))

    def end_membership(self, user_id: UUID, org_id: UUID, on: date | None = None) -> User:
        """`on`: the first day the user no longer works here; today when not given."""
        day = on or today(self.clock)
        return self.update(user_id, User, lambda u: u.revoke_membership(org_id, day))

    # API clients
    def register_api_client(
        self, org_id: UUID, role: Role, name: str, user_id: UUID | None = None
    ) -> tuple[ApiClient, str]:
        """Returns the client and its secret; only the hash is stored."""
        self.organisation(org_id)
        if user_id is not None and self.user(user_id).role_in(org_id) != Role(role):
            raise DomainError("De gebruiker heeft deze rol niet in deze organisatie")
        secret = secrets.token_urlsafe(32)
        client = ApiClient(org_id, Role(role), name, hash_secret(secret), user_id)
        return self.create(client), secret

    def revoke_api_client(self, client_id: str) -> ApiClient:
        """Tokens of a revoked client are refused at once (checked on every request)."""
        return self.update(self.api_client(client_id).id, ApiClient, lambda c: c.revoke())

    def api_client(self, client_id: str) -> ApiClient:
        try:
            return self.load(UUID(client_id), ApiClient)
        except ValueError:
            raise NotFoundError("API-client niet gevonden") from None

    def authenticate_client(self, client_id: str, secret: str) -> ApiClient | None:
        try:
            client = self.api_client(client_id)
        except NotFoundError:
            verify_secret(None, secret)
            return None
        if client.revoked or not verify_secret(client.secret_hash, secret):
            return None
        return client


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            "Wachtwoord moet minstens %(length)s tekens hebben", length=MIN_PASSWORD_LENGTH
        )
