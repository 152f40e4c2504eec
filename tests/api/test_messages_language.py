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


@pytest.mark.parametrize(
    ("language", "warning"),
    [("nl", "Let op: 83% van het plafond van "), ("en", "Note: 83% of the cap of ")],
)
def test_cap_warnings_are_translated_with_their_values(setup, language, warning):
    client, coach, headers, base = setup
    tid = client.post(f"{base}/trajectories", headers=headers, json={
        "client_id": _register(client, base, headers), "commissioner": "UWV",
        "responsible_jobcoach": str(coach.id)}).get_json()["id"]
    url = f"{base}/trajectories/{tid}"
    assert client.post(f"{base}/funding-regimes", headers=headers, json={
        "commissioner": "UWV", "name": "standaard", "percentage": 10,
        "valid_from": "2020-01-01"}).status_code == 200
    assert client.post(f"{url}/grants", headers=headers, json={
        "commissioner": "UWV", "period_start": "2025-01-01", "period_end": "2025-12-31",
        "granted_hours": 12, "regime": "standaard"}).status_code == 201
    response = client.post(f"{url}/activities", headers={**headers, "Accept-Language": language},
                           json={"kind": "contact_moment", "on": "2025-03-03", "start": "08:00",
                                 "minutes": 600, "mode": "face_to_face",
                                 "participants": ["client"], "jobcoach": str(coach.id),
                                 "justification": "Werkplekbezoek en instructie"})
    assert response.status_code == 201, response.get_json()
    assert [w[:len(warning)] for w in response.get_json()["warnings"]] == [warning]
    assert "(10.0 " in response.get_json()["warnings"][0]
