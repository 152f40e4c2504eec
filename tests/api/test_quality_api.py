"""The quality API over HTTP: complaint procedure, survey links, training, readiness, peer
review; bad input gets a 4xx problem with a Dutch reason; other organisations see 404."""

import io
from datetime import date
from uuid import UUID, uuid4

import pytest

from services.kernel import context
from services.quality.clock import FixedClock
from services.quality.complaints.application import Complaints, default_regulation
from services.quality.satisfaction import formdefs
from services.quality.satisfaction.application import Satisfaction, SurveyLinks
from services.quality.training.application import Development

MONDAY = date(2026, 3, 2)


@pytest.fixture
def api(app, platform, orgs, make_token):
    client = app.test_client()
    org, other = orgs.create(), orgs.create()
    anna = orgs.member(org, "jobcoach", "Anna")
    bram = orgs.member(org, "jobcoach", "Bram")
    clock = FixedClock(MONDAY)
    for app_class in (Complaints, Satisfaction, Development):
        platform.app(app_class, org.id).clock = clock
    platform.apps.get(SurveyLinks).clock = clock
    officer = {"Authorization": f"Bearer {make_token(client, org, 'quality_officer')}"}
    outsider = {"Authorization": f"Bearer {make_token(client, other, 'quality_officer')}"}
    as_anna = {"Authorization": f"Bearer {make_token(client, org, 'jobcoach', anna.id)}"}
    return client, org, anna, bram, officer, outsider, as_anna, clock


def platform_of(client):
    return client.application.extensions["jobtrail"]


def _problem(response, status, text):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert text in response.get_json()["detail"], response.get_json()


def test_complaint_procedure_over_http(api):
    client, org, anna, _, officer, outsider, _, clock = api
    base = f"/api/v1/orgs/{org.slug}/quality"
    _problem(client.post(f"{base}/complaints", headers=officer, json={
        "complainant_name": "Piet", "complainant_kind": "client",
        "summary": "De jobcoach kwam niet opdagen"}), 404, "nog geen klachtreglement")
    regulation = client.put(f"{base}/complaint-regulation", headers=officer,
                            json={**default_regulation(), "in_force_from": "2026-01-01"})
    assert regulation.status_code == 200 and regulation.get_json()["versions"][0]["version"] == 1
    bad_term = {**default_regulation(), "decision": {"amount": 6, "unit": "maanden"}}
    _problem(client.put(f"{base}/complaint-regulation", headers=officer, json=bad_term),
             422, "eenheid")

    piet = {"complainant_name": "Piet de Klager", "complainant_contact": "06-1234",
            "complainant_kind": "client", "summary": "De jobcoach kwam drie keer niet opdagen",
            "jobcoach_id": str(anna.id)}
    _problem(client.post(f"{base}/complaints", headers=officer, json={
        **piet, "trajectory_id": str(uuid4())}), 422, "traject bestaat niet")
    with context.acting(org.id, "user:officer"):
        trajectories = platform_of(client).trajectories(org.id)
        person = trajectories.register_client({"name": "Piet de Klager"})
        trajectory = trajectories.start_trajectory(person.id, "UWV", anna.id)
    created = client.post(f"{base}/complaints", headers=officer, json={
        **piet, "trajectory_id": str(trajectory.id)})
    assert created.status_code == 201 and created.headers["ETag"] == '"1"'
    complaint = created.get_json()
    stored = platform_of(client).app(Complaints, org.id).complaint(UUID(complaint["id"]))
    assert stored.subject_id == person.id  # the trajectory's client: erasure erases it
    assert complaint["acknowledgement_due"] == "2026-03-09"
    url = f"{base}/complaints/{complaint['id']}"

    _problem(client.post(f"{url}/decide", headers=officer, json={
        "outcome": "upheld", "reasons": "Klager heeft gelijk gekregen"}),
        422, "pas worden beslist na de ontvangstbevestiging")
    _problem(client.post(f"{url}/decide", headers=officer, json={
        "outcome": "misschien", "reasons": "Klager heeft gelijk gekregen"}), 422, "")
    assert client.post(f"{url}/acknowledge", headers={**officer, "If-Match": '"1"'},
                       json={}).headers["ETag"] == '"2"'
    _problem(client.post(f"{url}/acknowledge", headers={**officer, "If-Match": '"1"'}, json={}),
             412, "versie is 2")
    client.post(f"{url}/hearings", headers=officer,
                json={"kind": "hoorgesprek", "notes": "Gesprek met klager gevoerd"})
    decided = client.post(f"{url}/decide", headers=officer, json={
        "outcome": "partly_upheld", "reasons": "Twee van de drie afspraken gemist"})
    assert decided.get_json()["decision"]["reasons"] == "Twee van de drie afspraken gemist"
    action = client.post(f"{url}/actions", headers=officer, json={
        "description": "Afspraken per sms bevestigen", "owner_id": str(anna.id),
        "due_on": "2026-03-20"}).get_json()
    closed = client.post(f"{url}/close", headers=officer, json={}).get_json()
    assert closed["status"] == "closed"

    clock.set(date(2026, 3, 21))
    overdue = client.get(f"{base}/complaints/overdue", headers=officer).get_json()
    assert [a["action_id"] for a in overdue["actions"]] == [action["action_id"]]
    done = client.post(f"{url}/actions/{action['action_id']}/complete", headers=officer,
                       json={"result": "Sms-bevestiging draait"})
    assert done.status_code == 200
    register = client.get(f"{base}/complaints?year=2026", headers=officer).get_json()
    assert [(r["status"], r["outcome"]) for r in register] == [("closed", "partly_upheld")]

    other = f"/api/v1/orgs/{org.slug}/quality/complaints/{complaint['id']}"
    assert client.get(other, headers=outsider).status_code == 404
    their_base = f"/api/v1/orgs/{api[1].slug}/quality"
    assert client.get(f"{their_base}/complaints", headers=outsider).status_code == 404


def test_survey_link_lifecycle_over_http(api, platform):
    client, org, anna, _, officer, outsider, _, clock = api
    base = f"/api/v1/orgs/{org.slug}/quality"
    campaign = client.post(f"{base}/campaigns", headers=officer, json={
        "name": "Meting 2026", "period_start": "2026-01-01", "period_end": "2026-12-31",
        "forms": {"werknemer": "noloc-360-werknemer"}, "link_valid_days": 7}).get_json()
    trajectory = str(uuid4())
    population = client.post(f"{base}/campaigns/{campaign['id']}/population", headers=officer,
                             json={"entries": [{"trajectory_id": trajectory,
                                                "client_id": str(uuid4()),
                                                "status": "afgebroken",
                                                "ended_on": "2026-02-01"}]})
    assert population.get_json()["coverage"]["broken_off"] == 1
    invited = client.post(f"{base}/campaigns/{campaign['id']}/invitations", headers=officer,
                          json={"trajectory_id": trajectory, "respondent": "werknemer"})
    assert invited.status_code == 201 and invited.headers["Cache-Control"] == "no-store"
    url = invited.get_json()["url"]
    path = "/s/" + url.rsplit("/s/", 1)[1]

    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    assert "De jobcoach weet wat ik kan / mijn sterke kanten zijn" in html
    assert org.name not in html and "Anna" not in html and org.slug not in html
    form = formdefs.form("noloc-360-werknemer")
    answers = {i.id: 3 for i in form.items}
    _problem(client.post(path, json={"answers": {**answers, "intake-1": 7}}),
             422, "moet 1, 2, 3, 4 of n.v.t. zijn")
    posted = client.post(path, data={f"a-{k}": v for k, v in answers.items()} | {
        "a-intake-1": "n.v.t."})
    assert posted.status_code == 200 and "Hartelijk dank" in posted.get_data(as_text=True)
    _problem(client.post(path, json={"answers": answers}), 410, "al ingevuld")
    assert client.get(path).status_code == 410

    detail = client.get(f"{base}/campaigns/{campaign['id']}", headers=officer).get_json()
    assert detail["response_rates"]["rate"] == 1.0 and detail["coverage"]["complete"]
    report = client.get(f"{base}/satisfaction/2026", headers=officer).get_json()
    assert report["forms"][0]["sections"][0]["items"][0]["not_applicable"] == 1
    chart = client.get(f"{base}/satisfaction/2026/chart.svg", headers=officer)
    assert chart.mimetype == "image/svg+xml" and b"<svg" in chart.data

    second = client.post(f"{base}/campaigns/{campaign['id']}/invitations", headers=officer,
                         json={"trajectory_id": trajectory, "respondent": "werknemer"}).get_json()
    second_path = "/s/" + second["url"].rsplit("/s/", 1)[1]
    clock.advance(days=7)
    _problem(client.post(second_path, json={"answers": answers}), 410, "verlopen")
    assert client.get("/s/" + "A" * 43).status_code == 404
    assert client.get(f"/api/v1/orgs/{org.slug}/quality/campaigns/{campaign['id']}",
                      headers=outsider).status_code == 404


def test_training_readiness_and_peer_review_over_http(api):
    client, org, anna, bram, officer, outsider, as_anna, _ = api
    base = f"/api/v1/orgs/{org.slug}/quality"
    record = {"jobcoach_id": str(anna.id), "course": "Post-hbo Jobcoach", "provider": "Capabel",
              "category": "opleiding", "completed_on": "2026-02-01", "hours": -4}
    refused = client.post(f"{base}/training-records", headers=officer, json=record)
    assert refused.status_code == 422
    assert "Het aantal uren kan niet negatief zijn" in str(refused.get_json()["errors"])
    created = client.post(f"{base}/training-records", headers=officer,
                          json={**record, "hours": 120, "ects": 4, "pe_points": {"nvs": 40}})
    assert created.status_code == 201
    record_id = created.get_json()["id"]
    upload = client.put(f"{base}/training-records/{record_id}/certificate", headers=officer,
                        data={"file": (io.BytesIO(b"%PDF-1.4 certificaat"), "cert.pdf")},
                        content_type="multipart/form-data")
    assert upload.status_code == 200 and upload.get_json()["certificate"]["sha256"]
    download = client.get(f"{base}/training-records/{record_id}/certificate", headers=officer)
    assert download.data == b"%PDF-1.4 certificaat"
    assert client.post(f"{base}/training-records", headers=officer,
                       json={**record, "hours": 1, "jobcoach_id": str(uuid4())}).status_code == 404

    client.post(f"{base}/register-files/{anna.id}/education", headers=officer,
                json={"level": "hbo", "name": "Toegepaste Psychologie",
                      "completed_on": "2015-07-01"})
    readiness = client.post(f"{base}/register-files/{anna.id}/diplomas", headers=officer,
                            json={"kind": "accredited", "name": "Capabel", "year": 2020})
    noloc = {r["register"]: r for r in readiness.get_json()["registers"]}["noloc"]
    assert noloc["hours"]["need"] == 600
    _problem(client.post(f"{base}/register-files/{anna.id}/registrations", headers=officer,
                         json={"register": "noloc", "registered_on": "2026-01-01",
                               "expires_on": "2025-01-01"}), 422, "na de registratiedatum")
    mine = client.get(f"{base}/me/readiness", headers=as_anna)
    assert mine.status_code == 200 and mine.get_json()["jobcoach_id"] == str(anna.id)
    assert [r["course"] for r in client.get(f"{base}/me/training-records",
                                            headers=as_anna).get_json()] == ["Post-hbo Jobcoach"]
    assert client.get(f"{base}/readiness", headers=as_anna).status_code == 403

    session = {"held_on": "2026-02-20", "topic": "Grenzen stellen", "facilitator_id": str(anna.id),
               "hours": 2, "participants": [str(anna.id), str(bram.id)],
               "cases": [{"label": "Casus A", "summary": "Werknemer met wisselende inzet"}],
               "learning_points": ["Eerder de werkgever betrekken"],
               "actions": [{"description": "Checklist maken", "owner_id": str(bram.id),
                            "due_on": "2026-04-01"}]}
    assert client.post(f"{base}/peer-reviews", headers=officer, json=session).status_code == 201
    _problem(client.post(f"{base}/peer-reviews", headers=officer,
                         json={**session, "participants": [str(anna.id)]}), 422, "twee")
    coverage = client.get(f"{base}/peer-review-coverage/2026", headers=officer).get_json()
    assert coverage["covered"] == 2
    calendar = client.get(f"{base}/peer-reviews?year=2026", headers=officer).get_json()
    assert [s["topic"] for s in calendar] == ["Grenzen stellen"]
    assert client.get(f"{base}/readiness/{anna.id}", headers=outsider).status_code == 404
    plan = client.post(f"{base}/training-plans/2026", headers=officer, json={
        "course": "MI", "provider": "NSPOH", "audience": ["jobcoach"], "quarter": 2,
        "hours": 16})
    assert plan.status_code == 201
