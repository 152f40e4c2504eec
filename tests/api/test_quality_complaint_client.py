"""A complaint registered by the web form for a client is sealed with that client's key
(picked by client number, or through the trajectory it concerns), so erasing the client
through the privacy context erases the complaint's personal data too."""

from datetime import date
from uuid import UUID, uuid4

from eventsourcing.utils import get_topic

from services.kernel import context
from services.kernel.personal_data import ERASED
from services.privacy.erasure import erase_client
from services.privacy.office import PrivacyOffice
from services.quality.complaints.application import Complaints, default_regulation, opened
from services.quality.complaints.domainmodel import Complaint
from tests.api.api_support import officer_coach_and_client
from tests.web_support import CSRF, signed_in

TODAY = date.today()


def _organisation(platform, orgs):
    org, officer, coach, eva, evas = officer_coach_and_client(platform, orgs)
    with context.acting(org.id, f"user:{officer.id}"):
        platform.app(Complaints, org.id).adopt_regulation(default_regulation(), date(2000, 1, 1))
        trajectories = platform.trajectories(org.id)
        piet = trajectories.register_client({"name": "Piet Ander"})
        piets = trajectories.start_trajectory(piet.id, "UWV", coach.id)
    return org, officer, eva, evas, piets


def _complaint(platform, org, response):
    assert response.status_code == 302, response.get_data(as_text=True)
    complaint_id = UUID(response.headers["Location"].rsplit("/", 1)[1])
    return platform.app(Complaints, org.id).complaint(complaint_id)


def test_the_web_form_seals_with_the_clients_key_and_erasure_erases_it(app, platform, orgs):
    org, officer, eva, evas_trajectory, piets_trajectory = _organisation(platform, orgs)
    web = signed_in(app, officer)
    url = f"/o/{org.slug}/kwaliteit/klachten/nieuw"
    page = web.get(url).get_data(as_text=True)
    assert f'<option value="{eva.number}">' in page and "Eva Voorbeeld" not in page
    form = {"csrf_token": CSRF.search(page)[1], "complainant_name": "Eva Voorbeeld",
            "complainant_contact": "eva@example.nl", "complainant_kind": "client",
            "summary": "Mijn jobcoach kwam twee keer niet opdagen.",
            "received_on": TODAY.isoformat(), "jobcoach_id": ""}

    no_client = web.post(url, data=form)  # a client's complaint without the client: refused
    html = no_client.get_data(as_text=True)
    assert no_client.status_code == 422 and "Kies de cliënt" in html
    assert 'value="Eva Voorbeeld"' in html  # everything typed is kept
    english = web.post(f"{url}?lang=en", data=form).get_data(as_text=True)
    assert "Choose the client: fill in the client number" in english
    assert "Client number (when the complainant is a client" in english
    unknown = web.post(f"{url}?lang=nl", data={**form, "client_number": "C-9999"})  # back to Dutch
    assert unknown.status_code == 422 and "C-9999" in unknown.get_data(as_text=True)
    stray = web.post(url, data={**form, "trajectory_id": str(uuid4())})
    assert stray.status_code == 422 and "traject bestaat niet" in stray.get_data(as_text=True)
    mixed = web.post(url, data={**form, "client_number": eva.number,
                                "trajectory_id": str(piets_trajectory.id)})
    assert mixed.status_code == 422 and "andere cliënt" in mixed.get_data(as_text=True)

    by_number = _complaint(platform, org, web.post(url, data={
        **form, "client_number": eva.number.lower()}))
    by_trajectory = _complaint(platform, org, web.post(url, data={
        **form, "complainant_kind": "werkgever", "complainant_name": "Werkgever B.V.",
        "trajectory_id": str(evas_trajectory.id)}))
    other = _complaint(platform, org, web.post(url, data={
        **form, "complainant_kind": "anders", "complainant_name": "Buurman Jansen"}))
    assert by_number.subject_id == eva.id and by_trajectory.subject_id == eva.id
    assert by_trajectory.trajectory_id == evas_trajectory.id
    assert other.subject_id != eva.id  # no client involved: a subject of its own

    with context.acting(org.id, f"user:{officer.id}"):
        erase_client(PrivacyOffice(platform, org.id), eva.id, "art17_1a",
                     open_trajectory_decision=True)
    keys = platform.subject_keys(org.id)
    for complaint in (by_number, by_trajectory):
        shown = opened(platform.app(Complaints, org.id).complaint(complaint.id), keys)
        assert shown["complainant_name"] == ERASED and shown["summary"] == ERASED
        assert shown["complainant_contact"] == ERASED
        page = web.get(f"/o/{org.slug}/kwaliteit/klachten/{complaint.id}")
        assert page.status_code == 200 and ERASED in page.get_data(as_text=True)
        assert "eva@example.nl" not in page.get_data(as_text=True)
    assert opened(platform.app(Complaints, org.id).complaint(other.id),
                  keys)["complainant_name"] == "Buurman Jansen"


def test_the_api_refuses_a_subject_id_that_is_not_a_client_here(app, platform, orgs, make_token):
    org, officer, eva, _evas, _piets = _organisation(platform, orgs)
    other_org, other_officer, stranger, _, _ = _organisation(platform, orgs)
    api = app.test_client()
    auth = {"Authorization": f"Bearer {make_token(api, org, 'quality_officer', officer.id)}"}
    url = f"/api/v1/orgs/{org.slug}/quality/complaints"
    body = {"complainant_name": "Eva Voorbeeld", "complainant_kind": "client",
            "summary": "Mijn jobcoach kwam twee keer niet opdagen."}

    for wrong in (uuid4(), stranger.id, officer.id):  # nobody, another org's client, staff
        refused = api.post(url, headers=auth, json={**body, "subject_id": str(wrong)})
        assert refused.status_code == 422, refused.get_json()
        assert refused.content_type == "application/problem+json"
        assert refused.get_json()["detail"] == (
            f"subject_id {wrong} is geen cliënt van deze organisatie; laat het weg als de"
            " klager geen cliënt is")

    accepted = api.post(url, headers=auth, json={**body, "subject_id": str(eva.id)})
    assert accepted.status_code == 201, accepted.get_json()
    assert platform.app(Complaints, org.id).complaint(
        UUID(accepted.get_json()["id"])).subject_id == eva.id
    anonymous = api.post(url, headers=auth, json={**body, "complainant_kind": "anders"})
    assert anonymous.status_code == 201  # absent: a subject of its own
    created = platform.app(Complaints, org.id).recorder.select_notifications(
        start=1, limit=100, topics=[get_topic(Complaint.Created)])
    assert len(created) == 2  # nothing was recorded for the refused ones
