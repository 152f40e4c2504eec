"""Sign-in through the organisation's own OpenID Connect provider (authlib's Flask client).

Each organisation may configure one provider (`Registry.configure_oidc`). The issuer
is PINNED per organisation: an ID token counts only when its `iss` equals the
configured issuer exactly, so a token from any other provider, however validly
signed, never signs anyone in. The verified e-mail address must belong to an
existing account that is a member of that organisation; accounts are never created
here. The provider is trusted for the second factor.
"""

from __future__ import annotations

import logging
from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, flash, redirect, url_for

from services.kernel.auth.access import login_session
from services.kernel.domain import NotFoundError
from services.platform.domainmodel import Organisation, User

log = logging.getLogger(__name__)

oidc_bp = Blueprint("oidc", __name__)

SCOPE = "openid email profile"
HTTP_TIMEOUT_SECONDS = 10
FAILED = "Aanmelden via de identiteitsprovider van uw organisatie is niet gelukt."


class OidcLoginError(Exception):
    """The ID token does not identify a member of this organisation; message in Dutch."""


def user_for_id_token(registry: Any, organisation: Organisation, claims: dict[str, Any]) -> User:
    """The member of `organisation` whom these (signature-checked) ID token claims name.

    Pure policy, kept apart from the HTTP flow so it can be tested on its own.
    """
    if not organisation.oidc_issuer or claims.get("iss") != organisation.oidc_issuer:
        raise OidcLoginError("Dit token komt niet van de identiteitsprovider van uw organisatie.")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if organisation.oidc_client_id not in audiences:
        raise OidcLoginError("Dit token is niet voor Jobtrail uitgegeven.")
    email = claims.get("email")
    # Some providers send the boolean as a string; anything else is "not verified".
    if not isinstance(email, str) or claims.get("email_verified") not in (True, "true"):
        raise OidcLoginError("Uw identiteitsprovider gaf geen geverifieerd e-mailadres.")
    try:
        user = registry.user_by_email(email)
    except NotFoundError:
        user = None
    if user is None or user.disabled or user.role_in(organisation.id) is None:
        raise OidcLoginError(f"Er is geen account voor {email} bij {organisation.name}.")
    return user


@oidc_bp.record_once
def _init(state: Any) -> None:
    OAuth(state.app)  # registers itself in app.extensions


def _oauth() -> OAuth:
    return current_app.extensions["authlib.integrations.flask_client"]


def _organisation(slug: str) -> Organisation:
    try:
        organisation = current_app.extensions["jobtrail"].registry.organisation_by_slug(slug)
    except NotFoundError:
        abort(404, "Organisatie niet gevonden")
    if not (organisation.oidc_issuer and organisation.oidc_client_id):
        abort(404, "Deze organisatie meldt niet aan via een identiteitsprovider")
    return organisation


def _client(organisation: Organisation) -> Any:
    """The authlib client of this organisation, registered on first use.

    Re-registered when the organisation's configuration changed since (the cached
    client would otherwise keep talking to the old provider).
    """
    oauth = _oauth()
    name = f"org-{organisation.slug}"
    metadata_url = organisation.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration"
    client = oauth.create_client(name)
    wanted = (organisation.oidc_client_id, organisation.oidc_client_secret, metadata_url)
    if (
        client is None
        or (client.client_id, client.client_secret, client._server_metadata_url) != wanted
    ):
        oauth._clients.pop(name, None)  # authlib caches clients by name; drop the stale one
        client = oauth.register(
            name,
            client_id=organisation.oidc_client_id,
            client_secret=organisation.oidc_client_secret,
            server_metadata_url=metadata_url,
            client_kwargs={
                "scope": SCOPE,
                "code_challenge_method": "S256",  # PKCE on top of the client secret
                "default_timeout": HTTP_TIMEOUT_SECONDS,
            },
        )
    return client


def _check_discovery(client: Any, organisation: Organisation) -> None:
    # OpenID Connect Discovery §4.3: the document's issuer must be the one we asked.
    metadata = client.load_server_metadata()
    if metadata.get("issuer") != organisation.oidc_issuer:
        raise OidcLoginError("De identiteitsprovider noemt een andere issuer dan ingesteld.")
    # authlib allows the algorithms the provider lists; never allow unsigned ID tokens.
    if "none" in (metadata.get("id_token_signing_alg_values_supported") or []):
        raise OidcLoginError("De identiteitsprovider staat ongetekende ID-tokens toe.")


def _failed(message: str = FAILED) -> Any:
    flash(message, "error")
    return redirect(url_for("auth.login"))


@oidc_bp.get("/o/<org>/login/oidc")
def login(org: str) -> Any:
    organisation = _organisation(org)
    client = _client(organisation)
    try:
        _check_discovery(client, organisation)
        callback = url_for("oidc.callback", org=organisation.slug, _external=True)
        return client.authorize_redirect(callback)
    except OidcLoginError as error:
        return _failed(str(error))
    except Exception:  # the provider is unreachable or answers nonsense
        log.warning("OIDC discovery failed for %s", organisation.slug, exc_info=True)
        return _failed("De identiteitsprovider van uw organisatie is niet bereikbaar.")


@oidc_bp.get("/o/<org>/login/oidc/callback")
def callback(org: str) -> Any:
    organisation = _organisation(org)
    client = _client(organisation)
    try:
        _check_discovery(client, organisation)
        # authlib checks the signature (provider's JWKS), exp, nonce, azp and at_hash;
        # iss and aud are checked only when asked: pin both.
        token = client.authorize_access_token(
            claims_options={
                "iss": {"essential": True, "value": organisation.oidc_issuer},
                "aud": {"essential": True, "value": organisation.oidc_client_id},
            }
        )
        claims = token.get("userinfo")
        if not claims:
            raise OidcLoginError("De identiteitsprovider gaf geen ID-token.")
        user = user_for_id_token(current_app.extensions["jobtrail"].registry, organisation, claims)
    except OidcLoginError as error:
        return _failed(str(error))
    except Exception:  # state mismatch, provider error, bad signature, wrong issuer, network
        log.warning("OIDC sign-in refused for %s", organisation.slug, exc_info=True)
        return _failed()
    login_session(user.id, second_factor=True)
    return redirect(f"/o/{organisation.slug}/")
