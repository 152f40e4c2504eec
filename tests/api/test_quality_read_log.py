"""Quality pages and API that open a complainant's or client's personal data log the read
in the privacy access log (who, what, why = quality, channel); pages without personal data
(the complaint register) log nothing."""

from datetime import date

from services.kernel import context
from services.privacy.office import PrivacyOffice
from services.quality.complaints.application import Complaints, default_regulation
from tests.api.test_quality_portfolio_api import _body
from tests.integration.test_quality_portfolio import build_case, feedback, self_evaluation
from tests.web_support import signed_in


def _log(platform, org, subject_id):
    return sorted((e["what"], e["why"], e["channel"], e["actor"])
                  for e in PrivacyOffice(platform, org.id).access_log.entries(subject_id))


def test_complaint_api_reads_are_logged(app, platform, orgs, make_token):
    client = app.test_client()
    org = orgs.create()
    officer = orgs.member(org, "quality_officer", "Daan")
    with context.acting(org.id, f"user:{officer.id}"):
        complaints = platform.app(Complaints, org.id)
        complaints.adopt_regulation(default_regulation(), date(2000, 1, 1))
        complaint = complaints.receive(
            platform.subject_keys(org.id), complainant_name="Piet de Klager",
            complainant_contact="", complainant_kind="client",
            summary="Mijn jobcoach kwam niet opdagen.")
    auth = {"Authorization": f"Bearer {make_token(client, org, 'quality_officer', officer.id)}"}
    base = f"/api/v1/orgs/{org.slug}/quality/complaints"

    assert client.get(base, headers=auth).status_code == 200  # the register: no names
    assert _log(platform, org, complaint.subject_id) == []
    assert client.get(f"{base}/{complaint.id}", headers=auth).status_code == 200
    acknowledged = client.post(f"{base}/{complaint.id}/acknowledge", headers=auth, json={})
    assert acknowledged.status_code == 200
    assert client.get(f"{base}/{complaint.id}x", headers=auth).status_code == 404
    actor = _log(platform, org, complaint.subject_id)[0][3]
    assert _log(platform, org, complaint.subject_id) == [
        ("complaint", "quality", "api", actor)] * 2
    web = signed_in(app, officer)
    assert web.get(f"/o/{org.slug}/kwaliteit/klachten").status_code == 200
    assert len(_log(platform, org, complaint.subject_id)) == 2  # register page: no names
    assert web.get(f"/o/{org.slug}/kwaliteit/klachten/{complaint.id}").status_code == 200
    assert ("complaint", "quality", "web", f"user:{officer.id}") in _log(
        platform, org, complaint.subject_id)


def test_portfolio_drafts_log_the_read_of_the_clients_data(app, platform, orgs, make_token):
    client = app.test_client()
    org = orgs.create()
    anna = orgs.member(org, "jobcoach", "Anna Jobcoach")
    with context.acting(org.id, f"user:{anna.id}"):
        trajectory, person = build_case(platform, org, anna)
        self_evaluation(platform, org, anna, trajectory.id)
        feedback(platform, org, anna, trajectory, person, ["werknemer", "werkgever"])
    auth = {"Authorization": f"Bearer {make_token(client, org, 'jobcoach', anna.id)}"}
    url = f"/api/v1/orgs/{org.slug}/quality/me/portfolio"
    assert client.get(url, headers=auth).status_code == 200  # the list opens no client data
    assert _log(platform, org, person.id) == []
    assert client.post(url, headers=auth, json=_body(trajectory.id)).status_code == 200
    refused = client.post(url, headers=auth, json=_body(trajectory.id, "Te kort."))
    assert refused.status_code == 422  # refused, but the client's names were opened
    entries = _log(platform, org, person.id)
    assert [e[:3] for e in entries] == [("portfolio.sources", "quality", "api")] * 2
