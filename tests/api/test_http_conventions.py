"""Problem details, validation, ETag/If-Match, idempotency keys and the OpenAPI document."""

from uuid import uuid4

import pytest
from openapi_spec_validator import validate


@pytest.fixture
def setup(app, platform, orgs, make_token):
    client = app.test_client()
    org = orgs.create()
    anna = orgs.member(org, "jobcoach", "Anna")
    bram = orgs.member(org, "jobcoach", "Bram")
    token = make_token(client, org, "manager")
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/orgs/{org.slug}"
    return client, org, anna, bram, headers, base


def _register(client, base, headers):
    """A trajectory is for a registered client of the organisation."""
    return client.post(f"{base}/clients", json={"name": "Jan"}, headers=headers).get_json()["id"]


def _start(client, base, headers, coach, client_id=None, **extra):
    body = {"client_id": client_id or _register(client, base, headers), "commissioner": "UWV",
            "responsible_jobcoach": str(coach.id)}
    return client.post(f"{base}/trajectories", json=body, headers={**headers, **extra})


def test_openapi_document_is_valid_openapi_3(app):
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert any(path.startswith("/api/v1/orgs/{org}") for path in spec["paths"])


def test_docs_are_served_without_a_cdn(app):
    client = app.test_client()
    page = client.get("/api/docs").get_data(as_text=True)
    assert "swagger-ui-bundle.js" in page and "//cdn" not in page and "unpkg" not in page
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"client_id": "not-a-uuid", "commissioner": "UWV", "responsible_jobcoach": str(uuid4())},
        {"client_id": str(uuid4()), "commissioner": "", "responsible_jobcoach": str(uuid4())},
        {"client_id": str(uuid4()), "commissioner": "x" * 201, "responsible_jobcoach": "1"},
        [1, 2, 3],
        "just a string",
    ],
)
def test_malformed_input_gets_problem_json_never_500(setup, body):
    client, _, _, _, headers, base = setup
    response = client.post(f"{base}/trajectories", json=body, headers=headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 422 and problem["title"]


def test_broken_json_and_wrong_media_type(setup):
    client, _, _, _, headers, base = setup
    for data, content_type in (("{not json", "application/json"), ("a=b", "text/plain")):
        response = client.post(
            f"{base}/trajectories", data=data, headers={**headers, "Content-Type": content_type}
        )
        assert 400 <= response.status_code < 500, response.status_code
        assert response.mimetype == "application/problem+json"


def test_domain_refusal_is_422_with_the_reason(setup):
    client, _, anna, _, headers, base = setup
    response = _start(client, base, headers, anna)
    trajectory = response.get_json()
    refused = client.post(
        f"{base}/trajectories/{trajectory['id']}/reassign",
        json={"jobcoach": str(anna.id), "handover_note": "Aan dezelfde jobcoach overdragen"},
        headers=headers,
    )
    assert refused.status_code == 422
    assert "al verantwoordelijk" in refused.get_json()["detail"]
    unknown_coach = _start(client, base, headers, type("U", (), {"id": uuid4()}))
    assert unknown_coach.status_code == 422


def test_etag_and_if_match(setup):
    client, _, anna, bram, headers, base = setup
    created = _start(client, base, headers, anna)
    assert created.status_code == 201 and created.headers["ETag"] == '"1"'
    url = f"{base}/trajectories/{created.get_json()['id']}"
    assert client.get(url, headers=headers).headers["ETag"] == '"1"'
    handover = {"jobcoach": str(bram.id), "handover_note": "Anna gaat met verlof, Bram neemt over"}
    ok = client.post(f"{url}/reassign", json=handover, headers={**headers, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'
    back = {"jobcoach": str(anna.id), "handover_note": "Anna is terug van verlof en neemt over"}
    stale = client.post(f"{url}/reassign", json=back, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.mimetype == "application/problem+json"
    bad = client.post(f"{url}/reassign", json=back, headers={**headers, "If-Match": "abc"})
    assert bad.status_code == 412


def test_idempotency_key_makes_a_resent_post_land_once(setup, platform):
    client, org, anna, _, headers, base = setup
    jan = _register(client, base, headers)
    first = _start(client, base, headers, anna, jan, **{"Idempotency-Key": "intake-42"})
    again = _start(client, base, headers, anna, jan, **{"Idempotency-Key": "intake-42"})
    assert first.status_code == 201 and again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    listing = client.get(f"{base}/trajectories", headers=headers).get_json()
    assert len(listing) == 1


def test_unknown_routes_and_methods_are_problems(setup):
    client, _, _, _, headers, base = setup
    missing = client.get(f"{base}/nothing-here", headers=headers)
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    wrong = client.delete(f"{base}/trajectories", headers=headers)
    assert wrong.status_code == 405 and wrong.mimetype == "application/problem+json"


def test_jobcoach_token_sees_only_own_caseload(app, platform, orgs, make_token):
    client = app.test_client()
    org = orgs.create()
    anna, bram = orgs.member(org, "jobcoach"), orgs.member(org, "jobcoach")
    officer = {"Authorization": f"Bearer {make_token(client, org, 'manager')}"}
    as_anna = {"Authorization": f"Bearer {make_token(client, org, 'jobcoach', anna.id)}"}
    base = f"/api/v1/orgs/{org.slug}"
    mine = _start(client, base, officer, anna).get_json()
    theirs = _start(client, base, officer, bram).get_json()
    listing = client.get(f"{base}/trajectories", headers=as_anna).get_json()
    assert [row["trajectory_id"] for row in listing] == [mine["id"]]
    assert client.get(f"{base}/trajectories/{mine['id']}", headers=as_anna).status_code == 200
    assert client.get(f"{base}/trajectories/{theirs['id']}", headers=as_anna).status_code == 404
