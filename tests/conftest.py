"""Shared fixtures. PostgreSQL and Redis tests use the real servers and FAIL (never
skip) when those are missing: set JOBTRAIL_TEST_DATABASE_URL / JOBTRAIL_TEST_REDIS_URL
to point elsewhere than the defaults below."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from services.catalogue import Platform
from services.kernel import provision
from services.kernel.settings import Settings, embedded_settings, new_cipher_key

PG_URL = os.environ.get("JOBTRAIL_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("JOBTRAIL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "correct horse battery"

# Argon2id stays Argon2id, with the library's cheapest profile: hashing dominated test time.
from argon2.profiles import CHEAPEST  # noqa: E402

from services.kernel.auth import passwords  # noqa: E402

passwords.use_parameters(CHEAPEST)


def _require_postgres() -> None:
    import psycopg

    try:
        psycopg.connect(PG_URL, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is required for this test at {PG_URL}: {error}", pytrace=False)


def _require_redis() -> Any:
    import redis

    connection = redis.from_url(REDIS_URL, socket_timeout=3)
    try:
        connection.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is required for this test at {REDIS_URL}: {error}", pytrace=False)
    return connection


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    return embedded_settings(tmp_path / "jobtrail", testing=True, session_cookie_secure=False)


@pytest.fixture
def pg_settings(tmp_path: Path) -> Settings:
    _require_postgres()
    return Settings(
        database_url=PG_URL,
        platform_schema=f"platform_t{secrets.token_hex(6)}",  # each test its own registry
        data_dir=str(tmp_path / "var"),
        secret_key=secrets.token_urlsafe(16),
        cipher_key=new_cipher_key(),
        token_signing_key_file=str(tmp_path / "keys" / "token.pem"),
        audit_key_dir=str(tmp_path / "keys" / "audit"),
        testing=True,
        session_cookie_secure=False,
    )


@pytest.fixture
def redis_connection() -> Iterator[Any]:
    connection = _require_redis()
    connection.flushdb()
    yield connection
    connection.flushdb()


@pytest.fixture(params=["sqlite", "postgres"])
def any_settings(request: pytest.FixtureRequest) -> Settings:
    """The same scenario on the embedded store and on PostgreSQL."""
    name = "sqlite_settings" if request.param == "sqlite" else "pg_settings"
    return request.getfixturevalue(name)


class Orgs:
    """Creates organisations with unique slugs and drops their schemas afterwards."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.created: list[Any] = []

    def create(self, name: str = "Testorganisatie", *, totp_required: bool = False) -> Any:
        slug = f"t-{secrets.token_hex(5)}"
        org = self.platform.create_organisation(name, slug, "12345678", totp_required=totp_required)
        self.created.append(org)
        return org

    def member(self, org: Any, role: str, name: str = "Medewerker") -> Any:
        email = f"{role}-{secrets.token_hex(4)}@example.nl"
        user = self.platform.registry.register_user(email, name, PASSWORD)
        return self.platform.registry.grant_membership(user.id, org.id, role)

    def cleanup(self) -> None:
        if self.platform.settings.is_postgres:
            for org in self.created:
                provision.drop_schema(self.platform.settings, org.id)


def _platform_fixture(settings: Settings) -> Iterator[Platform]:
    platform = Platform(settings)
    platform.provision_platform()
    yield platform
    platform.close()
    if settings.is_postgres:
        provision.drop_schema(settings, None)  # this test's own platform schema


@pytest.fixture
def platform(sqlite_settings: Settings) -> Iterator[Platform]:
    yield from _platform_fixture(sqlite_settings)


@pytest.fixture
def pg_platform(pg_settings: Settings) -> Iterator[Platform]:
    yield from _platform_fixture(pg_settings)


@pytest.fixture
def any_platform(any_settings: Settings) -> Iterator[Platform]:
    yield from _platform_fixture(any_settings)


def _orgs_fixture(platform: Platform) -> Iterator[Orgs]:
    orgs = Orgs(platform)
    yield orgs
    platform.close()  # release pools before dropping schemas
    orgs.cleanup()


@pytest.fixture
def orgs(platform: Platform) -> Iterator[Orgs]:
    yield from _orgs_fixture(platform)


@pytest.fixture
def pg_orgs(pg_platform: Platform) -> Iterator[Orgs]:
    yield from _orgs_fixture(pg_platform)


@pytest.fixture
def any_orgs(any_platform: Platform) -> Iterator[Orgs]:
    yield from _orgs_fixture(any_platform)


def _app(platform: Platform) -> Any:
    from services.app import create_app

    app = create_app(platform.settings, platform)
    return app


@pytest.fixture
def app(platform: Platform) -> Any:
    return _app(platform)


@pytest.fixture
def pg_app(pg_platform: Platform) -> Any:
    return _app(pg_platform)


@pytest.fixture
def make_token(platform: Platform) -> Callable[..., str]:
    return _token_maker(platform)


@pytest.fixture
def pg_make_token(pg_platform: Platform) -> Callable[..., str]:
    return _token_maker(pg_platform)


def _token_maker(platform: Platform) -> Callable[..., str]:
    """Registers an API client and fetches a token through POST /oauth/token."""

    def make(client: Any, org: Any, role: str, user_id: Any = None) -> str:
        api_client, secret = platform.registry.register_api_client(
            org.id, role, f"test {role}", user_id
        )
        response = client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(str(api_client.id), secret),
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()["access_token"]

    return make
