"""OAuth 2 token endpoint (client credentials only) and the public key set.

authlib's Flask `AuthorizationServer` does the protocol work (RFC 6749 §4.4, error
format of §5.2); the registry authenticates clients against Argon2id hashes and
`TokenAuthority` signs RFC 9068 JWT access tokens. Tokens are stateless: nothing is
stored per token, a revoked client is refused by the resource side on every request.
"""

from __future__ import annotations

from functools import reduce
from typing import Any
from uuid import UUID

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from flask import Blueprint, Response, current_app, jsonify

from services.kernel.auth.roles import ROLE_SCOPES, Role, scopes_for
from services.platform.application import Registry
from services.platform.domainmodel import ApiClient

bp = Blueprint("oauth", __name__)

AUTH_METHODS = ("client_secret_basic", "client_secret_post")
ALL_SCOPES = reduce(frozenset.union, ROLE_SCOPES.values(), frozenset())


class OAuthClient(ClientMixin):
    """authlib's view of an `ApiClient`.

    `query_client` returns one for any id without looking it up: the registry then
    checks id and secret together (spending an Argon2 verification on unknown ids
    too), so the response and its timing do not reveal which client ids exist.
    """

    def __init__(self, registry: Registry, client_id: str) -> None:
        self._registry = registry
        self.client_id = client_id
        self.api_client: ApiClient | None = None  # set once the secret checked out

    # Used by the token generator (services.kernel.auth.tokens.TokenSubject)
    @property
    def organisation_id(self) -> UUID:
        return self._authenticated().organisation_id

    @property
    def role(self) -> str:
        return self._authenticated().role

    @property
    def user_id(self) -> UUID | None:
        return self._authenticated().user_id

    def _authenticated(self) -> ApiClient:
        if self.api_client is None:
            raise RuntimeError("client used before authentication")
        return self.api_client

    # ClientMixin
    def get_client_id(self) -> str:
        return self.client_id

    def check_client_secret(self, client_secret: str) -> bool:
        self.api_client = self._registry.authenticate_client(self.client_id, client_secret)
        return self.api_client is not None

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in AUTH_METHODS

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == ClientCredentialsGrant.GRANT_TYPE

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The role's scopes, or the requested subset of them; None (invalid_scope) if wider."""
        allowed = scopes_for(Role(self.role))
        requested = set(scope.split()) if scope and scope.strip() else allowed
        if not requested <= allowed:
            return None
        return " ".join(sorted(requested))

    # No redirect-based grants are registered.
    def get_default_redirect_uri(self) -> None:
        return None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_response_type(self, response_type: str) -> bool:
        return False


class ClientCredentials(ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(AUTH_METHODS)


def build_server(platform: Any) -> AuthorizationServer:
    server = AuthorizationServer(
        query_client=lambda client_id: OAuthClient(platform.registry, client_id),
        save_token=lambda token, request: None,  # stateless JWTs: nothing to store
    )
    server.scopes_supported = sorted(ALL_SCOPES)  # unknown scope names: invalid_scope
    server.register_grant(ClientCredentials)
    server.register_token_generator("default", platform.tokens.generator)
    return server


def _platform() -> Any:
    return current_app.extensions["jobtrail"]


def _server() -> AuthorizationServer:
    # One server per app (its platform); building twice in a race is harmless.
    server = current_app.extensions.get("jobtrail.oauth")
    if server is None:
        server = current_app.extensions["jobtrail.oauth"] = build_server(_platform())
    return server


@bp.post("/oauth/token")
def token() -> Response:
    """RFC 6749 §4.4: grant_type=client_credentials, optional narrower `scope`."""
    return _server().create_token_response()


@bp.get("/oauth/jwks.json")
def jwks() -> Response:
    response = jsonify(_platform().tokens.jwks())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
