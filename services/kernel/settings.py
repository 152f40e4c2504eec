"""One frozen Settings object, read once from the environment (never at import time)."""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_DATA_DIR = "var"


class SettingsError(ValueError):
    """A setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    # Storage: postgresql://… or sqlite:///path/to/dir (the embedded default).
    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR}/data"
    data_dir: str = DEFAULT_DATA_DIR  # sessions, keys and generated files (not events)
    # Role the app connects as on PostgreSQL; provisioning (orgs create) uses database_url.
    platform_schema: str = "platform"  # registry and other platform-wide tables
    app_db_role: str = "jobtrail_app"
    app_db_password: str = ""
    redis_url: str | None = None  # unset: jobs run inline
    secret_key: str = ""
    cipher_key: str = ""  # AES key (base64) for event state at rest
    token_issuer: str = "https://jobtrail.local"
    token_ttl_seconds: int = 3600
    token_signing_key_file: str = f"{DEFAULT_DATA_DIR}/keys/token-signing.pem"
    audit_key_dir: str = f"{DEFAULT_DATA_DIR}/keys/audit"
    pool_size: int = 2
    session_cookie_secure: bool = True
    login_max_attempts: int = 5
    login_window_seconds: int = 300
    default_locale: str = "nl"
    proxy_hops: int = 0  # reverse proxies in front (X-Forwarded-* trusted from that many)
    smtp_url: str | None = None  # smtp(s)://… for survey e-mails; unset: links shown once
    testing: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_dir(self) -> Path:
        if self.is_postgres:
            raise SettingsError("sqlite_dir asked of a PostgreSQL configuration")
        return Path(self.database_url.removeprefix("sqlite:///"))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        database_url = env.get("DATABASE_URL") or cls.database_url
        if not database_url.startswith(("postgresql://", "postgres://", "sqlite:///")):
            raise SettingsError(
                "DATABASE_URL must start with postgresql:// or sqlite:/// "
                f"(got {database_url.split(':', 1)[0]}://…)"
            )
        settings = cls(
            database_url=database_url,
            data_dir=env.get("JOBTRAIL_DATA_DIR", cls.data_dir),
            platform_schema=env.get("JOBTRAIL_PLATFORM_SCHEMA", cls.platform_schema),
            app_db_role=env.get("JOBTRAIL_APP_DB_ROLE", cls.app_db_role),
            app_db_password=env.get("JOBTRAIL_APP_DB_PASSWORD", ""),
            redis_url=env.get("REDIS_URL") or None,
            secret_key=env.get("SECRET_KEY", ""),
            cipher_key=env.get("JOBTRAIL_CIPHER_KEY", ""),
            token_issuer=env.get("JOBTRAIL_TOKEN_ISSUER", cls.token_issuer),
            token_ttl_seconds=int(env.get("JOBTRAIL_TOKEN_TTL_SECONDS", cls.token_ttl_seconds)),
            token_signing_key_file=env.get(
                "JOBTRAIL_TOKEN_SIGNING_KEY_FILE", cls.token_signing_key_file
            ),
            audit_key_dir=env.get("JOBTRAIL_AUDIT_KEY_DIR", cls.audit_key_dir),
            pool_size=int(env.get("JOBTRAIL_POOL_SIZE", cls.pool_size)),
            session_cookie_secure=env.get("JOBTRAIL_INSECURE_COOKIES", "") != "1",
            default_locale=env.get("JOBTRAIL_LOCALE", cls.default_locale),
            proxy_hops=int(env.get("JOBTRAIL_PROXY_HOPS", cls.proxy_hops)),
            smtp_url=env.get("JOBTRAIL_SMTP_URL") or None,
        )
        return settings.checked()

    def checked(self) -> Settings:
        if not self.secret_key or not self.cipher_key:
            raise SettingsError(
                "SECRET_KEY and JOBTRAIL_CIPHER_KEY must be set "
                "(see deploy/jobtrail.env.example; `jobtrail keys` prints fresh ones)"
            )
        if len(base64.b64decode(self.cipher_key)) not in (16, 24, 32):
            raise SettingsError("JOBTRAIL_CIPHER_KEY must be base64 of 16, 24 or 32 bytes")
        return self

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)


def new_cipher_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def embedded_settings(data_dir: Path, **changes: object) -> Settings:
    """Settings for a self-contained store in data_dir (demo, unit-free tests)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    secrets_file = data_dir / "secrets.env"
    if not secrets_file.exists():
        secrets_file.write_text(
            f"SECRET_KEY={secrets.token_urlsafe(32)}\nJOBTRAIL_CIPHER_KEY={new_cipher_key()}\n"
        )
        secrets_file.chmod(0o600)
    values = dict(line.split("=", 1) for line in secrets_file.read_text().split())
    return (
        Settings(
            database_url=f"sqlite:///{data_dir / 'data'}",
            data_dir=str(data_dir),
            secret_key=values["SECRET_KEY"],
            cipher_key=values["JOBTRAIL_CIPHER_KEY"],
            token_signing_key_file=str(data_dir / "keys" / "token-signing.pem"),
            audit_key_dir=str(data_dir / "keys" / "audit"),
        )
        .with_(**changes)
        .checked()
    )
