"""API access tokens: RFC 9068 JWTs signed with our own ES256 key, checked with authlib.

`TokenAuthority` owns the signing key. It hands the token endpoint an authlib
`JWTBearerTokenGenerator` and checks bearer tokens with authlib's `ResourceProtector`
and a `JWTBearerTokenValidator` that trusts our key and our one algorithm only.
Scope checks (403) belong to the caller (`access.org_api`); this module only
answers "who is this?" or 401.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.integrations.flask_oauth2.requests import FlaskJsonRequest
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import MissingAuthorizationError, UnsupportedTokenTypeError
from authlib.oauth2.rfc6750 import InvalidTokenError
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator, JWTBearerTokenValidator
from authlib.oauth2.rfc9068.claims import JWTAccessTokenClaims
from eventsourcing.persistence import ConnectionPoolClosedError, PersistenceError
from flask import Request, abort
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import ECKey, KeySet
from werkzeug.exceptions import HTTPException

from services.kernel.auth.roles import Role, scopes_for
from services.kernel.domain import NotFoundError
from services.kernel.settings import Settings

log = logging.getLogger(__name__)

AUDIENCE = "jobtrail-api"
# ES256 (P-256): every JWT library our customers' systems use can verify it; EdDSA is
# deprecated by RFC 9864 and its successor alg "Ed25519" is not yet widely supported.
ALGORITHM = "ES256"
CURVE = "P-256"
LEEWAY_SECONDS = 30  # clock skew between us and the client is irrelevant: we issue and check
MAX_TOKEN_LENGTH = 4096  # ours are ~700 bytes; refuse giants before parsing anything

MESSAGES = {
    "missing": "Authorization-header met een Bearer-token ontbreekt",
    "scheme": "Gebruik 'Authorization: Bearer <token>'",
    "invalid": "Het toegangstoken is ongeldig",
    "expired": "Het toegangstoken is verlopen; vraag een nieuw token aan bij /oauth/token",
    "client": "De API-client van dit token bestaat niet meer of is ingetrokken",
    "unavailable": "De aanmeldcontrole is tijdelijk niet beschikbaar; probeer het zo opnieuw",
}


@dataclass(frozen=True)
class TokenClaims:
    client_id: str
    org_id: UUID
    role: Role
    scopes: frozenset[str]
    user_id: UUID | None


class TokenSubject(Protocol):
    """What the generator needs of an OAuth client (see services.platform.oauth)."""

    organisation_id: UUID
    role: str
    user_id: UUID | None

    def get_client_id(self) -> str: ...


class _Refused(InvalidTokenError):
    """invalid_token with one of our Dutch messages as its description."""

    def __init__(self, reason: str) -> None:
        super().__init__(description=MESSAGES[reason])


# Key ------------------------------------------------------------------------------------


def load_or_create_key(path: Path) -> ECKey:
    """The private signing key from PEM; created (0600) when missing.

    Creation is race-free across processes: the key is written to a temporary file and
    hard-linked into place, so when several workers start at once exactly one key wins
    and the others read it.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = ECKey.generate_key(CURVE, private=True).as_pem(private=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".token-key-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):  # another process was first: use its key
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    key = ECKey.import_key(path.read_bytes(), parameters={"use": "sig", "alg": ALGORITHM})
    if not key.is_private or key.as_dict().get("crv") != CURVE:
        raise ValueError(f"{path} must hold a private EC {CURVE} key (PEM)")
    key.ensure_kid()  # RFC 7638 thumbprint: lets clients pick the key after a rotation
    return key


# authlib subclasses ------------------------------------------------------------------


class AccessTokenGenerator(JWTBearerTokenGenerator):
    """RFC 9068 access tokens with our audience and the organisation, role and user."""

    def __init__(self, key: ECKey, issuer: str, ttl_seconds: int) -> None:
        super().__init__(issuer=issuer, alg=ALGORITHM, expires_generator=ttl_seconds)
        self._signing_keys = KeySet([key])  # a KeySet makes joserfc put the kid in the header

    def get_jwks(self) -> KeySet:
        return self._signing_keys

    def get_audiences(self, client: Any, user: Any, scope: str) -> str:
        return AUDIENCE

    def get_extra_claims(
        self, client: TokenSubject, grant_type: str, user: Any, scope: str
    ) -> dict[str, Any]:
        claims: dict[str, Any] = {"org": str(client.organisation_id), "role": client.role}
        if client.user_id is not None:
            claims["uid"] = str(client.user_id)
        return claims


class AccessTokenValidator(JWTBearerTokenValidator):
    """Checks signature (our key, our alg), typ, iss, aud, exp/nbf/iat and the client."""

    def __init__(
        self, key: ECKey, issuer: str, ttl_seconds: int, registry_getter: Callable[[], Any]
    ) -> None:
        super().__init__(issuer=issuer, resource_server=AUDIENCE, realm="jobtrail")
        self._public_key = ECKey.import_key(key.as_dict(private=False))
        self._ttl = ttl_seconds
        self._registry = registry_getter

    def get_jwks(self) -> ECKey:
        return self._public_key

    def authenticate_token(self, token_string: str) -> JWTAccessTokenClaims:
        if len(token_string) > MAX_TOKEN_LENGTH or token_string.count(".") != 2:
            raise _Refused("invalid")
        try:
            # One key, one algorithm: "none", HS256-with-our-public-key and friends fail here.
            token = jwt.decode(token_string, key=self._public_key, algorithms=[ALGORITHM])
        except JoseError as error:
            raise _Refused("invalid") from error
        options: dict[str, Any] = {
            "iss": {"essential": True, "validate": self.validate_iss},
            "aud": {"essential": True, "value": AUDIENCE},
        }
        for name in ("exp", "iat", "sub", "client_id", "jti", "scope", "org", "role"):
            options[name] = {"essential": True}
        return JWTAccessTokenClaims(token.claims, token.header, options)

    def validate_token(
        self, token: JWTAccessTokenClaims, scopes: Any, request: Any, **kwargs: Any
    ) -> None:
        if str(token.header.get("typ", "")).lower() not in ("at+jwt", "application/at+jwt"):
            raise _Refused("invalid")  # RFC 9068 §4: typ is required, not merely allowed
        try:
            token.validate(leeway=LEEWAY_SECONDS)
        except ExpiredTokenError as error:
            raise _Refused("expired") from error
        except JoseError as error:
            raise _Refused("invalid") from error
        # We never issue longer-lived tokens; anything else is not one of ours.
        if token["exp"] - token["iat"] > self._ttl + LEEWAY_SECONDS:
            raise _Refused("invalid")
        if token["sub"] != token["client_id"]:
            raise _Refused("invalid")
        self._check_client(token)

    def _check_client(self, token: JWTAccessTokenClaims) -> None:
        """The client must still exist, unrevoked, with the organisation and role signed."""
        try:
            client = self._registry().api_client(str(token["client_id"]))
        except NotFoundError:
            raise _Refused("client") from None
        uid = token.get("uid")
        if (
            client.revoked
            or str(client.organisation_id) != token["org"]
            or client.role != token["role"]
            or (str(client.user_id) if client.user_id else None) != uid
        ):
            raise _Refused("client")
        if client.user_id is not None and not self._user_still_has_role(client):
            raise _Refused("client")

    def _user_still_has_role(self, client: Any) -> bool:
        """A jobcoach client acts for one person: it stops when that person leaves."""
        try:
            user = self._registry().user(client.user_id)
        except NotFoundError:
            return False
        return user.role_in(client.organisation_id) == Role(client.role)


# The authority ----------------------------------------------------------------------------


class TokenAuthority:
    def __init__(self, settings: Settings, registry_getter: Callable[[], Any]) -> None:
        self.settings = settings
        self.issuer = settings.token_issuer
        self.ttl_seconds = settings.token_ttl_seconds
        self._registry_getter = registry_getter
        self._lock = threading.Lock()
        self._key: ECKey | None = None
        self._protector: ResourceProtector | None = None
        self._generator: AccessTokenGenerator | None = None

    # Loaded on first use, so building a Platform (CLI, workers) writes no key file.
    @property
    def key(self) -> ECKey:
        with self._lock:
            if self._key is None:
                self._key = load_or_create_key(Path(self.settings.token_signing_key_file))
            return self._key

    @property
    def generator(self) -> AccessTokenGenerator:
        if self._generator is None:
            self._generator = AccessTokenGenerator(self.key, self.issuer, self.ttl_seconds)
        return self._generator

    @property
    def protector(self) -> ResourceProtector:
        if self._protector is None:
            protector = ResourceProtector()
            protector.register_token_validator(
                AccessTokenValidator(self.key, self.issuer, self.ttl_seconds, self._registry_getter)
            )
            self._protector = protector
        return self._protector

    def jwks(self) -> dict[str, Any]:
        """The public key set for /oauth/jwks.json."""
        return KeySet([self.key]).as_dict(private=False)

    def authenticate_request(self, flask_request: Request) -> TokenClaims:
        """The verified claims of the request's bearer token, or abort(401)."""
        try:
            token = self.protector.validate_request(None, FlaskJsonRequest(flask_request))
            return _claims(token)
        except HTTPException:
            raise
        except MissingAuthorizationError:
            abort(401, MESSAGES["missing"])
        except UnsupportedTokenTypeError:
            abort(401, MESSAGES["scheme"])
        except OAuth2Error as error:
            abort(401, error.description if isinstance(error, _Refused) else MESSAGES["invalid"])
        except Exception as error:
            if _is_infrastructure(error):
                log.exception("token check could not reach the registry")
                abort(503, MESSAGES["unavailable"])
            log.info("refused malformed bearer token: %s", type(error).__name__)
            abort(401, MESSAGES["invalid"])


def _claims(token: JWTAccessTokenClaims) -> TokenClaims:
    scope = token["scope"]
    if not isinstance(scope, str):
        raise _Refused("invalid")
    scopes = frozenset(scope.split())
    role = Role(token["role"])
    if not scopes <= scopes_for(role):
        raise _Refused("invalid")  # a signed token never widens its role; refuse if it does
    uid = token.get("uid")
    return TokenClaims(
        client_id=str(token["client_id"]),
        org_id=UUID(str(token["org"])),
        role=role,
        scopes=scopes,
        user_id=UUID(str(uid)) if uid is not None else None,
    )


def _is_infrastructure(error: Exception) -> bool:
    """A database or network failure is our fault, not the token's: 503, not 401."""
    return isinstance(error, PersistenceError | ConnectionPoolClosedError | OSError)
