"""Refusals answer in the user's language: Dutch first, English on request."""

import pytest

from tests.api.test_http_conventions import _register


@pytest.fixture
def setup(app, orgs, make_token):
    client = app.test_client()
    org = orgs.create()
    coach = orgs.member(org, "jobcoach", "Anna")
    headers = {"Authorization": f"Bearer {make_token(client, org, 'manager')}"}
    return client, coach, headers, f"/api/v1/orgs/{org.slug}"


@pytest.mark.parametrize(
    ("language", "title", "required"),
    [("nl", "Invoer klopt niet", "Dit veld is verplicht."),
     ("en", "Invalid input", "This field is required.")],
)
def test_validation_errors_follow_accept_language(setup, language, title, required):
    client, _, headers, base = setup
    response = client.post(f"{base}/trajectories", json={"commissioner": "UWV"},
                           headers={**headers, "Accept-Language": language})
    body = response.get_json()
    assert response.status_code == 422 and body["title"] == title
    assert body["errors"]["json"]["client_id"] == [required]


@pytest.mark.parametrize(
    ("language", "message"),
    [("nl", "Kies een van: "), ("en", "Choose one of: ")],
)
def test_parameterised_validation_messages_keep_their_values(setup, language, message):
    client, coach, headers, base = setup
    client_id = _register(client, base, headers)
    trajectory = client.post(f"{base}/trajectories", headers=headers, json={
        "client_id": client_id, "commissioner": "UWV", "responsible_jobcoach": str(coach.id)})
    tid = trajectory.get_json()["id"]
    response = client.post(
        f"{base}/trajectories/{tid}/activities",
        json={"on": "2026-01-05", "minutes": 30, "mode": "telepathy", "justification": "x"},
        headers={**headers, "Accept-Language": language, "If-Match": trajectory.headers["ETag"]},
    )
    assert response.status_code == 422
    messages = [m for ms in response.get_json()["errors"]["json"].values() for m in ms]
    assert any(m.startswith(message) for m in messages), messages


def test_domain_refusals_are_translated(setup):
    client, coach, headers, base = setup
    body = {"client_id": "00000000-0000-0000-0000-000000000001", "commissioner": "UWV",
            "responsible_jobcoach": str(coach.id)}
    dutch = client.post(f"{base}/trajectories", json=body, headers=headers).get_json()
    english = client.post(f"{base}/trajectories", json=body,
                          headers={**headers, "Accept-Language": "en"}).get_json()
    assert dutch["detail"].startswith("Deze cliënt is niet geregistreerd")
    assert english["detail"].startswith("This client is not registered")
    assert english["title"] == "Invalid input"
