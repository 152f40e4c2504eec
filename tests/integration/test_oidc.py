"""Sign-in through an organisation's OpenID Connect provider, against a real provider.

The provider below is small but real: it listens on a local HTTPS port (a throw-away
self-signed certificate that `requests` is told to trust), serves discovery, JWKS,
an authorization endpoint and a token endpoint, checks the client secret and PKCE,
and signs ID tokens with its own key. Jobtrail talks to it over the network exactly
as it would to Entra ID or Keycloak. The policy function `user_for_id_token` is
also tested directly.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import ipaddress
import secrets
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet
from werkzeug.serving import make_server

from services.platform.oidc import OidcLoginError, user_for_id_token

CLIENT_ID = "jobtrail-test"
CLIENT_SECRET = "provider-secret-for-tests"


# A tiny OpenID provider ------------------------------------------------------------------

def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    # A unique name: OpenSSL finds a trusted certificate by subject name.
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"test-idp-{secrets.token_hex(4)}")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Provider:
    """An OpenID provider on https://127.0.0.1:<port>. Tests steer it through
    `claims` (merged into the next ID tokens) and `metadata` (merged into discovery)."""

    def __init__(self, directory: Path) -> None:
        self.cert, key_file = _self_signed(directory)
        self.key = ECKey.generate_key("P-256", private=True, parameters={"use": "sig"})
        self.key.ensure_kid()
        self.published = self.key  # what /jwks shows; tests may sign with another key
        self.claims: dict[str, Any] = {}
        self.metadata: dict[str, Any] = {}
        self.email = "nobody@example.nl"
        self._codes: dict[str, dict[str, Any]] = {}
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, key_file)
        self._server = make_server("127.0.0.1", 0, self._app(), threaded=True, ssl_context=context)
        self.issuer = f"https://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> Provider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(5)

    def _app(self) -> Flask:
        app = Flask("provider")

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            return jsonify(
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token",
                    "jwks_uri": f"{self.issuer}/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["ES256"],
                    "code_challenge_methods_supported": ["S256"],
                    **self.metadata,
                }
            )

        @app.get("/jwks")
        def jwks() -> Any:
            return jsonify(KeySet([self.published]).as_dict(private=False))

        @app.get("/authorize")
        def authorize() -> Any:
            args = request.args
            assert args["client_id"] == CLIENT_ID and args["response_type"] == "code"
            assert "openid" in args["scope"].split()
            code = secrets.token_urlsafe(16)
            self._codes[code] = dict(args)
            query = urlencode({"code": code, "state": args["state"]})
            return redirect(f"{args['redirect_uri']}?{query}")

        @app.post("/token")
        def token() -> Any:
            auth = request.authorization
            if not auth or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
                return jsonify(error="invalid_client"), 401
            grant = self._codes.pop(request.form.get("code", ""), None)
            if grant is None or request.form.get("redirect_uri") != grant["redirect_uri"]:
                return jsonify(error="invalid_grant"), 400
            verifier = request.form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            if challenge.rstrip(b"=").decode() != grant.get("code_challenge"):
                return jsonify(error="invalid_grant", error_description="PKCE"), 400
            now = int(time.time())
            claims = {
                "iss": self.issuer,
                "sub": "idp-user-1",
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 300,
                "nonce": grant.get("nonce"),
                "email": self.email,
                "email_verified": True,
                **self.claims,
            }
            id_token = jwt.encode({"alg": "ES256", "kid": self.key.kid}, claims, self.key)
            return jsonify(
                access_token=secrets.token_urlsafe(16), token_type="Bearer", id_token=id_token
            )

        return app


@pytest.fixture
def provider(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    provider = Provider(tmp_path).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(provider.cert))  # trust it, and only here
    yield provider
    provider.stop()


@pytest.fixture
def setup(app: Any, platform: Any, orgs: Any, provider: Provider) -> dict[str, Any]:
    org = orgs.create("OIDC-organisatie")
    platform.registry.configure_oidc(org.id, provider.issuer, CLIENT_ID, CLIENT_SECRET)
    member = orgs.member(org, "jobcoach", "Jet Jobcoach")
    provider.email = member.email
    return {"org": platform.registry.organisation(org.id), "member": member}


def sign_in(client: Any, org: Any, provider: Provider) -> Any:
    """Browser round trip: Jobtrail -> provider /authorize -> Jobtrail callback."""
    start = client.get(f"/o/{org.slug}/login/oidc")
    assert start.status_code == 302, start.get_data(as_text=True)
    location = start.headers["Location"]
    assert location.startswith(f"{provider.issuer}/authorize?")
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"]
    at_provider = requests.get(location, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == f"/o/{org.slug}/login/oidc/callback"
    return client.get(f"{back.path}?{back.query}")


def signed_in_user(client: Any) -> str | None:
    with client.session_transaction() as session:
        return session.get("user_id")


def assert_refused(response: Any, client: Any) -> None:
    """Back to the login page with a Dutch message, and nobody signed in."""
    assert response.status_code == 302, response.get_data(as_text=True)
    assert urlsplit(response.headers["Location"]).path == "/login"
    with client.session_transaction() as session:
        assert "user_id" not in session
        (category, message), *_ = session["_flashes"]
        assert category == "error" and message


# The flow ---------------------------------------------------------------------------------

def test_member_signs_in_with_second_factor_from_the_provider(
    app: Any, setup: dict, provider: Provider
) -> None:
    client = app.test_client()
    response = sign_in(client, setup["org"], provider)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == f"/o/{setup['org'].slug}/"
    with client.session_transaction() as session:
        assert session["user_id"] == str(setup["member"].id)
        assert session["second_factor"] is True


def test_validly_signed_token_from_another_issuer_is_refused(
    app: Any, setup: dict, provider: Provider
) -> None:
    """The pinned issuer: same provider key, same client, but `iss` is someone else."""
    others = (f"{provider.issuer}/tenant-2", "https://login.example.com", f"{provider.issuer}/")
    for issuer in others:
        provider.claims = {"iss": issuer}
        client = app.test_client()
        assert_refused(sign_in(client, setup["org"], provider), client)


def test_discovery_naming_another_issuer_is_refused(
    app: Any, setup: dict, provider: Provider
) -> None:
    provider.metadata = {"issuer": "https://login.example.com"}
    client = app.test_client()
    response = client.get(f"/o/{setup['org'].slug}/login/oidc")
    assert_refused(response, client)


@pytest.mark.parametrize(
    "claims",
    [
        {"email_verified": False},
        {"email_verified": None},
        {"aud": "someone-else"},
        {"nonce": "replayed"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
    ],
    ids=["unverified", "verified-missing", "audience", "nonce", "expired"],
)
def test_bad_id_tokens_are_refused(
    app: Any, setup: dict, provider: Provider, claims: dict
) -> None:
    provider.claims = claims
    client = app.test_client()
    assert_refused(sign_in(client, setup["org"], provider), client)


def test_token_signed_by_another_key_is_refused(
    app: Any, setup: dict, provider: Provider
) -> None:
    published_kid = provider.published.kid
    for kid in (published_kid, "unknown-kid"):  # same kid: bad signature; else: no such key
        provider.key = ECKey.generate_key("P-256", private=True, parameters={"kid": kid})
        client = app.test_client()
        assert_refused(sign_in(client, setup["org"], provider), client)


def test_verified_email_of_a_non_member_is_refused(
    app: Any, orgs: Any, setup: dict, provider: Provider
) -> None:
    elsewhere = orgs.member(orgs.create("Andere organisatie"), "manager")
    provider.email = elsewhere.email
    client = app.test_client()
    assert_refused(sign_in(client, setup["org"], provider), client)
    provider.email = "onbekend@example.nl"
    assert_refused(sign_in(client, setup["org"], provider), client)


def test_callback_with_a_forged_or_missing_state_is_refused(
    app: Any, setup: dict, provider: Provider
) -> None:
    client = app.test_client()
    slug = setup["org"].slug
    client.get(f"/o/{slug}/login/oidc")  # a real flow is pending
    assert_refused(client.get(f"/o/{slug}/login/oidc/callback?code=x&state=forged"), client)
    assert_refused(client.get(f"/o/{slug}/login/oidc/callback"), client)
    assert_refused(client.get(f"/o/{slug}/login/oidc/callback?error=access_denied"), client)


def test_unknown_org_and_org_without_oidc_are_404(app: Any, orgs: Any) -> None:
    client = app.test_client()
    plain = orgs.create("Zonder OIDC")
    for slug in ("bestaat-niet", "NOT a slug", plain.slug):
        assert client.get(f"/o/{slug}/login/oidc").status_code == 404
        assert client.get(f"/o/{slug}/login/oidc/callback?code=x&state=y").status_code == 404


def test_unreachable_provider_is_a_message_not_a_500(
    app: Any, platform: Any, orgs: Any
) -> None:
    org = orgs.create("Onbereikbaar")
    platform.registry.configure_oidc(org.id, "https://127.0.0.1:9", CLIENT_ID, CLIENT_SECRET)
    client = app.test_client()
    assert_refused(client.get(f"/o/{org.slug}/login/oidc"), client)


def test_reconfigured_provider_is_picked_up(
    app: Any,
    platform: Any,
    setup: dict,
    provider: Provider,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """authlib caches a client per name: a changed configuration must replace it."""
    client = app.test_client()
    assert sign_in(client, setup["org"], provider).headers["Location"].endswith("/")
    (tmp_path / "second").mkdir()
    second = Provider(tmp_path / "second").start()
    try:
        bundle = tmp_path / "bundle.pem"  # one CA bundle per process: trust both
        bundle.write_bytes(provider.cert.read_bytes() + second.cert.read_bytes())
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
        platform.registry.configure_oidc(setup["org"].id, second.issuer, CLIENT_ID, CLIENT_SECRET)
        second.email = setup["member"].email
        org = platform.registry.organisation(setup["org"].id)
        client = app.test_client()
        response = sign_in(client, org, second)
        assert response.headers["Location"] == f"/o/{org.slug}/"
    finally:
        second.stop()


# The policy on its own --------------------------------------------------------------------

def _claims(org: Any, email: str, **changes: Any) -> dict[str, Any]:
    return {
        "iss": org.oidc_issuer,
        "aud": org.oidc_client_id,
        "email": email,
        "email_verified": True,
        **changes,
    }


def test_user_for_id_token_policy(platform: Any, orgs: Any) -> None:
    org = orgs.create("Beleid")
    platform.registry.configure_oidc(org.id, "https://idp.example.nl", CLIENT_ID, "s")
    org = platform.registry.organisation(org.id)
    member = orgs.member(org, "manager")
    registry = platform.registry

    assert user_for_id_token(registry, org, _claims(org, member.email)).id == member.id
    assert user_for_id_token(registry, org, _claims(org, member.email.upper())).id == member.id
    assert user_for_id_token(
        registry, org, _claims(org, member.email, aud=["other", CLIENT_ID])
    ).id == member.id

    refused = [
        _claims(org, member.email, iss="https://idp.example.nl/"),
        _claims(org, member.email, iss="https://evil.example"),
        _claims(org, member.email, iss=None),
        _claims(org, member.email, aud="other"),
        _claims(org, member.email, email_verified=False),
        _claims(org, member.email, email_verified="false"),
        {k: v for k, v in _claims(org, member.email).items() if k != "email_verified"},
        _claims(org, None),
        _claims(org, ["a@example.nl"]),
        _claims(org, "onbekend@example.nl"),
        _claims(org, "not an address"),
    ]
    for claims in refused:
        with pytest.raises(OidcLoginError):
            user_for_id_token(registry, org, claims)


def test_user_for_id_token_refuses_disabled_users_and_unconfigured_orgs(
    platform: Any, orgs: Any
) -> None:
    org = orgs.create("Beleid twee")
    member = orgs.member(org, "manager")
    with pytest.raises(OidcLoginError):  # no OIDC configured: nothing matches
        user_for_id_token(platform.registry, org, _claims(org, member.email, iss=None))
    platform.registry.configure_oidc(org.id, "https://idp.example.nl", CLIENT_ID, "s")
    org = platform.registry.organisation(org.id)
    platform.registry.update(member.id, type(member), lambda u: u.disable())
    with pytest.raises(OidcLoginError):
        user_for_id_token(platform.registry, org, _claims(org, member.email))
