"""OAuth 2 client credentials at /oauth/token and RFC 9068 bearer tokens on the API.

Everything here runs the real app, registry and signing key; tokens that should be
refused are forged with joserfc (or by hand, where joserfc refuses to make them).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import stat
import time
import uuid
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

from services.kernel.auth.roles import scopes_for
from services.kernel.auth.tokens import AUDIENCE, TokenAuthority
from services.platform.domainmodel import ApiClient

PROBLEM_JSON = "application/problem+json"


# Helpers -------------------------------------------------------------------------------

def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(value: Any) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode())


def segments(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return (
        json.loads(base64.urlsafe_b64decode(pad(header))),
        json.loads(base64.urlsafe_b64decode(pad(payload))),
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def members_url(org: Any) -> str:
    return f"/api/v1/orgs/{org.slug}/members"


def assert_401(response: Any) -> None:
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["detail"]


def fetch(client: Any, api_client: Any, secret: str, **form: str) -> Any:
    return client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", **form},
        auth=(str(api_client.id), secret),
    )


def revoke(platform: Any, client_id: uuid.UUID) -> None:
    platform.registry.update(client_id, ApiClient, lambda c: c.revoke())


@pytest.fixture
def org(orgs: Any) -> Any:
    return orgs.create()


@pytest.fixture
def manager_client(platform: Any, org: Any) -> tuple[Any, str]:
    return platform.registry.register_api_client(org.id, "manager", "HR-koppeling")


@pytest.fixture
def good_claims(app: Any, platform: Any, org: Any, manager_client: Any) -> dict[str, Any]:
    """The claims of a real token, as a base for forgeries."""
    api_client, secret = manager_client
    token = fetch(app.test_client(), api_client, secret).get_json()["access_token"]
    return segments(token)[1]


def sign(platform: Any, claims: dict[str, Any], **header: Any) -> str:
    """Signed with the real key, so only the claims or header can be at fault."""
    return jwt.encode(
        {"alg": "ES256", "typ": "at+jwt", **header}, claims, KeySet([platform.tokens.key])
    )


# The happy path ----------------------------------------------------------------------

def test_client_credentials_basic_gives_rfc9068_token(
    app: Any, platform: Any, org: Any, manager_client: Any
) -> None:
    api_client, secret = manager_client
    client = app.test_client()
    response = fetch(client, api_client, secret)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == platform.settings.token_ttl_seconds
    assert set(body["scope"].split()) == scopes_for("manager")

    header, claims = segments(body["access_token"])
    assert header["typ"] == "at+jwt"
    assert header["alg"] == "ES256"
    assert header["kid"] == platform.tokens.key.kid
    assert claims["iss"] == platform.settings.token_issuer
    assert claims["aud"] == AUDIENCE
    assert claims["sub"] == claims["client_id"] == str(api_client.id)
    assert claims["org"] == str(org.id)
    assert claims["role"] == "manager"
    assert "uid" not in claims  # not bound to a person
    assert claims["exp"] - claims["iat"] == platform.settings.token_ttl_seconds
    assert claims["jti"]

    response = client.get(members_url(org), headers=bearer(body["access_token"]))
    assert response.status_code == 200, response.get_data(as_text=True)


def test_client_secret_post_and_the_published_jwks_verify(
    app: Any, platform: Any, org: Any, manager_client: Any
) -> None:
    api_client, secret = manager_client
    client = app.test_client()
    response = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": str(api_client.id),
            "client_secret": secret,
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    token = response.get_json()["access_token"]

    # A client can check our tokens with nothing but the public JWKS.
    jwks = client.get("/oauth/jwks.json").get_json()
    assert all("d" not in key for key in jwks["keys"])
    decoded = jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["ES256"])
    assert decoded.claims["client_id"] == str(api_client.id)
    assert client.get(members_url(org), headers=bearer(token)).status_code == 200


def test_jobcoach_token_carries_the_user_and_sees_own_caseload(
    app: Any, orgs: Any, org: Any, make_token: Any
) -> None:
    coach = orgs.member(org, "jobcoach")
    client = app.test_client()
    token = make_token(client, org, "jobcoach", coach.id)
    assert segments(token)[1]["uid"] == str(coach.id)

    registered = client.post(f"/api/v1/orgs/{org.slug}/clients", json={"name": "Jan"},
                             headers=bearer(token))
    assert registered.status_code == 201, registered.get_data(as_text=True)
    response = client.post(
        f"/api/v1/orgs/{org.slug}/trajectories",
        json={
            "client_id": registered.get_json()["id"],
            "commissioner": "UWV",
            "responsible_jobcoach": str(coach.id),
        },
        headers=bearer(token),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    trajectory_id = response.get_json()["id"]
    # Visible only because the principal carries the jobcoach's user id.
    response = client.get(
        f"/api/v1/orgs/{org.slug}/trajectories/{trajectory_id}", headers=bearer(token)
    )
    assert response.status_code == 200, response.get_data(as_text=True)


# /oauth/token refusals -------------------------------------------------------------------

def test_wrong_secret_unknown_client_and_no_credentials_are_401_invalid_client(
    app: Any, manager_client: Any
) -> None:
    api_client, _ = manager_client
    client = app.test_client()
    for auth in ((str(api_client.id), "wrong"), (str(uuid.uuid4()), "x"), ("garbage", "x")):
        response = client.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, auth=auth
        )
        assert response.status_code == 401
        assert response.get_json()["error"] == "invalid_client"
    response = client.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"


def test_revoked_client_gets_no_token(app: Any, platform: Any, manager_client: Any) -> None:
    api_client, secret = manager_client
    revoke(platform, api_client.id)
    response = fetch(app.test_client(), api_client, secret)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"


@pytest.mark.parametrize("scope", ["quality:write", "directory:read quality:write", "foo:bar"])
def test_scope_outside_the_role_is_invalid_scope(
    app: Any, manager_client: Any, scope: str
) -> None:
    api_client, secret = manager_client
    response = fetch(app.test_client(), api_client, secret, scope=scope)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_scope"


def test_other_grant_types_are_refused(app: Any, manager_client: Any) -> None:
    api_client, secret = manager_client
    response = app.test_client().post(
        "/oauth/token", data={"grant_type": "password"}, auth=(str(api_client.id), secret)
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "unsupported_grant_type"


# Authorisation outcomes (403 / 404) --------------------------------------------------------

def test_narrowed_scope_is_403_on_a_write(
    app: Any, platform: Any, orgs: Any, org: Any
) -> None:
    coach = orgs.member(org, "jobcoach")
    api_client, secret = platform.registry.register_api_client(
        org.id, "jobcoach", "alleen lezen", coach.id
    )
    client = app.test_client()
    response = fetch(client, api_client, secret, scope="directory:read")
    assert response.status_code == 200
    token = response.get_json()["access_token"]
    assert segments(token)[1]["scope"] == "directory:read"
    assert client.get(members_url(org), headers=bearer(token)).status_code == 200

    response = client.post(
        f"/api/v1/orgs/{org.slug}/trajectories",
        json={
            "client_id": str(uuid.uuid4()),
            "commissioner": "UWV",
            "responsible_jobcoach": str(coach.id),
        },
        headers=bearer(token),
    )
    assert response.status_code == 403
    assert response.mimetype == PROBLEM_JSON


def test_token_of_org_a_on_org_b_is_404(
    app: Any, orgs: Any, org: Any, make_token: Any
) -> None:
    other = orgs.create("Andere organisatie")
    client = app.test_client()
    token = make_token(client, org, "manager")
    response = client.get(members_url(other), headers=bearer(token))
    assert response.status_code == 404
    assert response.mimetype == PROBLEM_JSON


# Every flaw is 401 problem+json ------------------------------------------------------------

def test_expired_token(app: Any, platform: Any, org: Any, good_claims: dict) -> None:
    past = int(time.time()) - 7200
    token = sign(platform, {**good_claims, "iat": past, "exp": past + 3600})
    response = app.test_client().get(members_url(org), headers=bearer(token))
    assert_401(response)
    assert "verlopen" in response.get_json()["detail"]


@pytest.mark.parametrize(
    "change",
    [
        {"iss": "https://evil.example"},
        {"aud": "another-api"},
        {"aud": ["another-api"]},
        {"nbf": int(time.time()) + 600},
        {"iat": int(time.time()) + 600, "exp": int(time.time()) + 1200},
        {"exp": int(time.time()) + 10 * 86400},  # longer than we ever issue
        {"role": "quality_officer"},  # not the client's role
        {"org": str(uuid.uuid4())},
        {"scope": "quality:write"},  # wider than the role
        {"sub": str(uuid.uuid4())},
        {"exp": "tomorrow"},
        {"scope": ["directory:read"]},
    ],
    ids=lambda change: ",".join(f"{k}={v}" for k, v in change.items())[:40],
)
def test_wrong_claims_signed_with_our_key(
    app: Any, platform: Any, org: Any, good_claims: dict, change: dict
) -> None:
    token = sign(platform, {**good_claims, **change})
    assert_401(app.test_client().get(members_url(org), headers=bearer(token)))


@pytest.mark.parametrize("missing", ["iss", "aud", "exp", "iat", "client_id", "org", "role"])
def test_missing_claims(
    app: Any, platform: Any, org: Any, good_claims: dict, missing: str
) -> None:
    claims = {k: v for k, v in good_claims.items() if k != missing}
    assert_401(app.test_client().get(members_url(org), headers=bearer(sign(platform, claims))))


@pytest.mark.parametrize("typ", [None, "JWT", "at+JWT-no"])
def test_typ_must_be_at_jwt(
    app: Any, platform: Any, org: Any, good_claims: dict, typ: str | None
) -> None:
    header = {"alg": "ES256", **({"typ": typ} if typ else {})}
    token = jwt.encode(header, good_claims, platform.tokens.key)
    assert_401(app.test_client().get(members_url(org), headers=bearer(token)))


def test_signed_by_another_key(app: Any, org: Any, good_claims: dict) -> None:
    other = ECKey.generate_key("P-256", private=True)
    token = jwt.encode({"alg": "ES256", "typ": "at+jwt"}, good_claims, other)
    assert_401(app.test_client().get(members_url(org), headers=bearer(token)))


def test_alg_none(app: Any, org: Any, good_claims: dict) -> None:
    for signature in ("", "AAAA"):
        token = f"{b64json({'alg': 'none', 'typ': 'at+jwt'})}.{b64json(good_claims)}.{signature}"
        assert_401(app.test_client().get(members_url(org), headers=bearer(token)))


def test_hmac_with_our_public_key_as_secret(
    app: Any, platform: Any, org: Any, good_claims: dict
) -> None:
    """The classic algorithm confusion: HS256 keyed with the published public key."""
    signing_input = f"{b64json({'alg': 'HS256', 'typ': 'at+jwt'})}.{b64json(good_claims)}"
    for secret in (
        platform.tokens.key.as_pem(private=False),
        json.dumps(platform.tokens.jwks()).encode(),
    ):
        mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        token = f"{signing_input}.{b64(mac)}"
        assert_401(app.test_client().get(members_url(org), headers=bearer(token)))


def test_tampered_payload_keeps_old_signature(
    app: Any, platform: Any, org: Any, manager_client: Any
) -> None:
    api_client, secret = manager_client
    client = app.test_client()
    token = fetch(client, api_client, secret).get_json()["access_token"]
    header, payload, signature = token.split(".")
    claims = segments(token)[1]
    for change in ({"role": "quality_officer"}, {"exp": claims["exp"] + 3600}):
        forged = f"{header}.{b64json({**claims, **change})}.{signature}"
        assert_401(client.get(members_url(org), headers=bearer(forged)))
    assert client.get(members_url(org), headers=bearer(token)).status_code == 200


GARBAGE = [
    "",
    "x",
    "not-a-token",
    "a.b",
    "a.b.c",
    "a.b.c.d",
    "....",
    "%%%.###.!!!",
    "é.ü.ß",
    f"{b64json({'alg': 'ES256'})}.{b64json([1, 2, 3])}.AAAA",  # payload not an object
    f"{b64json({'alg': 'ES256'})}.{b64json(None)}.AAAA",
    f"{b64json([1])}.{b64json({})}.AAAA",  # header not an object
    f"{b64(b'not json')}.{b64(b'not json')}.AAAA",
    f"{b64json({'alg': 'ES256', 'kid': 5})}.{b64json({})}.AAAA",
    f"{b64json({'alg': 'ES256', 'crit': ['x'], 'x': 1})}.{b64json({})}.AAAA",
    f"{b64json({'alg': 'RS256'})}.{b64json({})}.{b64(os.urandom(256))}",
    "eyJ" + "A" * 5000 + ".e30.AAAA",
    "a." + "b" * 200_000 + ".c",  # huge
]


@pytest.mark.parametrize("token", GARBAGE, ids=lambda t: t[:20] or "empty")
def test_garbage_tokens(app: Any, org: Any, token: str) -> None:
    assert_401(app.test_client().get(members_url(org), headers=bearer(token)))


def test_random_bytes_never_500(app: Any, org: Any) -> None:
    client = app.test_client()
    for _ in range(50):
        raw = os.urandom(64)
        for token in (b64(raw), ".".join(b64(raw[i : i + 20]) for i in (0, 20, 40))):
            assert_401(client.get(members_url(org), headers=bearer(token)))


@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "abc"]
)
def test_missing_header_and_wrong_scheme(app: Any, org: Any, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    assert_401(app.test_client().get(members_url(org), headers=headers))


def test_revoked_client_token_stops_working(
    app: Any, platform: Any, org: Any, manager_client: Any
) -> None:
    api_client, secret = manager_client
    client = app.test_client()
    token = fetch(client, api_client, secret).get_json()["access_token"]
    assert client.get(members_url(org), headers=bearer(token)).status_code == 200
    revoke(platform, api_client.id)
    response = client.get(members_url(org), headers=bearer(token))
    assert_401(response)
    assert "ingetrokken" in response.get_json()["detail"]


def test_unknown_client_signed_with_our_key(
    app: Any, platform: Any, org: Any, good_claims: dict
) -> None:
    stranger = str(uuid.uuid4())
    token = sign(platform, {**good_claims, "client_id": stranger, "sub": stranger})
    assert_401(app.test_client().get(members_url(org), headers=bearer(token)))


def test_jobcoach_token_stops_when_the_person_leaves(
    app: Any, platform: Any, orgs: Any, org: Any, make_token: Any
) -> None:
    coach = orgs.member(org, "jobcoach")
    client = app.test_client()
    token = make_token(client, org, "jobcoach", coach.id)
    assert client.get(members_url(org), headers=bearer(token)).status_code == 200
    platform.registry.update(coach.id, type(coach), lambda u: u.revoke_membership(org.id))
    assert_401(client.get(members_url(org), headers=bearer(token)))


# The key ---------------------------------------------------------------------------------

def test_signing_key_is_created_private_and_reused(platform: Any, tmp_path: Any) -> None:
    settings = platform.settings.with_(token_signing_key_file=str(tmp_path / "k" / "t.pem"))
    first = TokenAuthority(settings, lambda: platform.registry)
    kid = first.key.kid
    path = tmp_path / "k" / "t.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert TokenAuthority(settings, lambda: platform.registry).key.kid == kid
    assert first.jwks()["keys"][0]["kid"] == kid
    assert list(path.parent.iterdir()) == [path]  # no temporary files left behind


# PostgreSQL ------------------------------------------------------------------------------

@pytest.mark.postgres
def test_token_flow_on_postgres(pg_app: Any, pg_platform: Any, pg_orgs: Any) -> None:
    org = pg_orgs.create()
    api_client, secret = pg_platform.registry.register_api_client(org.id, "org_admin", "IdM")
    client = pg_app.test_client()
    token = fetch(client, api_client, secret).get_json()["access_token"]
    assert client.get(members_url(org), headers=bearer(token)).status_code == 200
    revoke(pg_platform, api_client.id)
    assert_401(client.get(members_url(org), headers=bearer(token)))
