"""A survey exemption's reason ("overleden") is the client's data: stored sealed with the
client's key, opened (and the read logged) only where it is shown, [gewist] once the
client is erased. Reasons recorded before sealing stay readable as written."""

from datetime import date
from uuid import UUID, uuid4

import pytest
from eventsourcing.utils import get_topic

from services.kernel import context
from services.kernel.domain import DomainError
from services.kernel.personal_data import ERASED, is_sealed
from services.privacy.erasure import erase_client
from services.privacy.office import PrivacyOffice
from services.quality.satisfaction.application import Satisfaction
from services.quality.satisfaction.domainmodel import SurveyCampaign
from tests.api.api_support import bearer, measuring_2026, officer_coach_and_client
from tests.web_support import signed_in

UWV = {"werknemer": "uwv-beoordeling-werknemer", "werkgever": "uwv-beoordeling-werkgever"}
REASON = "Cliënt is overleden in maart"


def _exempted_events(app, campaign_id):
    topic = get_topic(SurveyCampaign.Exempted)
    return [e for e in app.events.get(campaign_id) if get_topic(type(e)) == topic]


def _reads(platform, org, client_id):
    return [(e["what"], e["channel"])
            for e in PrivacyOffice(platform, org.id).access_log.entries(client_id)]


def test_the_reason_is_sealed_opened_where_shown_and_erased_with_the_client(
        app, platform, orgs, make_token):
    org, officer, coach, eva, evas = officer_coach_and_client(platform, orgs)
    campaign = measuring_2026(platform, org, officer, UWV, {
        "trajectory_id": evas.id, "client_id": eva.id, "jobcoach_id": coach.id,
        "status": "afgebroken", "ended_on": date(2026, 3, 20)})
    satisfaction = platform.app(Satisfaction, org.id)
    api = app.test_client()
    auth = bearer(make_token, api, org, "quality_officer", officer)
    url = f"/api/v1/orgs/{org.slug}/quality/campaigns/{campaign.id}"

    exempted = api.post(f"{url}/exemptions", headers=auth, json={
        "trajectory_id": str(evas.id), "respondent": "werknemer", "reason": REASON})
    assert exempted.status_code == 200, exempted.get_json()
    stored = _exempted_events(satisfaction, campaign.id)[0].reason
    assert is_sealed(stored) and UUID(stored["kid"]) == eva.id
    assert "overleden" not in repr(stored)
    rows = {r["respondent"]: r for r in exempted.get_json()["coverage"]["rows"]}
    assert rows["werknemer"]["reason"] == REASON and rows["werknemer"]["state"] == "vrijgesteld"
    assert _reads(platform, org, eva.id) == [("survey.exemption_reason", "api")]

    # An exemption recorded before reasons were sealed: its plain text stays readable.
    with context.acting(org.id, f"user:{officer.id}"):
        satisfaction.update(campaign.id, SurveyCampaign, lambda c: c._exempted(
            trajectory_id=str(evas.id), respondent="werkgever",
            reason="Werkgever failliet verklaard"))
    web = signed_in(app, officer)
    page = web.get(f"/o/{org.slug}/kwaliteit/tevredenheid/{campaign.id}").get_data(as_text=True)
    assert REASON in page and "Werkgever failliet verklaard" in page
    assert ("survey.exemption_reason", "web") in _reads(platform, org, eva.id)

    with context.acting(org.id, f"user:{officer.id}"):
        erase_client(PrivacyOffice(platform, org.id), eva.id, "art17_1a",
                     open_trajectory_decision=True)
    rows = {r["respondent"]: r for r in api.get(url, headers=auth).get_json()["coverage"]["rows"]}
    assert rows["werknemer"]["reason"] == ERASED and rows["werknemer"]["state"] == "vrijgesteld"
    assert rows["werkgever"]["reason"] == "Werkgever failliet verklaard"
    page = web.get(f"/o/{org.slug}/kwaliteit/tevredenheid/{campaign.id}").get_data(as_text=True)
    assert ERASED in page and "overleden" not in page


def test_a_short_reason_is_refused_and_nothing_recorded(platform, orgs):
    org = orgs.create()
    with context.acting(org.id, "user:officer"):
        satisfaction = platform.app(Satisfaction, org.id)
        campaign = satisfaction.start_campaign(
            "Meting", date(2026, 1, 1), date(2026, 12, 31), UWV)
        trajectory_id = uuid4()
        satisfaction.register_population(campaign.id, [
            {"trajectory_id": trajectory_id, "client_id": uuid4(), "status": "lopend"}], "test")
        with pytest.raises(DomainError, match="Leg uit waarom"):
            satisfaction.exempt(campaign.id, trajectory_id, "werknemer", "  kort     ")
        with pytest.raises(DomainError, match="geen vragenlijst voor opdrachtgever"):
            satisfaction.exempt(campaign.id, trajectory_id, "opdrachtgever", REASON)
        with pytest.raises(DomainError, match="hoort niet bij de populatie"):
            satisfaction.exempt(campaign.id, uuid4(), "werknemer", REASON)
    assert _exempted_events(satisfaction, campaign.id) == []
