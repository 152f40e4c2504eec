"""Survey invitations from the campaign page: record the measurement period's trajectories,
invite a respondent (the single-use link shown once, no-store), exempt one with a reason,
see who is invited; refusals keep the input; English works; only the quality officer acts."""

import re
from datetime import date

from services.kernel import context
from services.quality.satisfaction.application import Satisfaction
from tests.api.api_support import officer_coach_and_client
from tests.web_support import CSRF, signed_in

LINK = re.compile(r'value="(https?://[^"]+/s/([A-Za-z0-9_-]{40,}))"')
TODAY = date.today()


def campaign_with_a_client(platform, orgs):
    org, officer, coach, eva, trajectory = officer_coach_and_client(platform, orgs)
    with context.acting(org.id, f"user:{officer.id}"):
        campaign = platform.app(Satisfaction, org.id).start_campaign(
            "Meting dit jaar", date(TODAY.year, 1, 1), date(TODAY.year, 12, 31),
            {"werknemer": "uwv-beoordeling-werknemer", "werkgever": "uwv-beoordeling-werkgever"})
    return org, officer, coach, eva, trajectory, campaign


def test_invite_and_exempt_from_the_campaign_page(app, platform, orgs):
    org, officer, coach, eva, trajectory, campaign = campaign_with_a_client(platform, orgs)
    web = signed_in(app, officer)
    url = f"/o/{org.slug}/kwaliteit/tevredenheid/{campaign.id}"
    page = web.get(url).get_data(as_text=True)
    assert "Nog geen trajecten vastgelegd" in page and "E-mailadres" not in page  # no SMTP
    token = CSRF.search(page)[1]

    nothing = web.post(f"{url}/populatie", data={"csrf_token": token})  # running: not by default
    assert nothing.status_code == 422 and "Geen trajecten gevonden" in nothing.get_data(
        as_text=True)
    recorded = web.post(f"{url}/populatie", data={"csrf_token": token, "include_running": "y"})
    assert recorded.status_code == 302
    page = web.get(url).get_data(as_text=True)
    assert "1 trajecten van de meetperiode vastgelegd." in page
    assert f"<th scope=\"row\">{eva.number}</th>" in page and "Eva Voorbeeld" not in page
    assert page.count(">ontbreekt<") == 2 and "2 uitnodiging(en) ontbreken." in page

    row = {"csrf_token": token, "trajectory_id": str(trajectory.id), "respondent": "werknemer"}
    invited = web.post(f"{url}/uitnodigen", data=row)
    html = invited.get_data(as_text=True)
    assert invited.status_code == 200 and invited.headers["Cache-Control"] == "no-store"
    link, survey_token = LINK.search(html).groups()
    assert "maar één keer getoond" in html and f"van {eva.number}" in html
    assert web.get(f"/s/{survey_token}").status_code == 200  # the link works
    page = web.get(url).get_data(as_text=True)
    assert survey_token not in page and "/s/" not in page  # shown once, never again
    assert f"uitgenodigd (laatste link {TODAY:%d-%m-%Y})" in page and ">Nieuwe link<" in page
    again = LINK.search(web.post(f"{url}/uitnodigen", data=row).get_data(as_text=True))[2]
    assert again != survey_token and web.get(f"/s/{survey_token}").status_code == 410  # replaced
    assert "2 links" in web.get(url).get_data(as_text=True)

    with_email = web.post(f"{url}/uitnodigen", data={**row, "email": "eva@example.nl"})
    assert with_email.status_code == 422 and "geen mailserver" in with_email.get_data(
        as_text=True)
    unknown = web.post(f"{url}/uitnodigen", data={**row, "respondent": "buurman"})
    assert unknown.status_code == 422 and "Onbekende respondent." in unknown.get_data(
        as_text=True)
    no_form = web.post(f"{url}/uitnodigen", data={**row, "respondent": "opdrachtgever"})
    assert no_form.status_code == 422 and "geen vragenlijst" in no_form.get_data(as_text=True)

    exempt = {"csrf_token": token, "trajectory_id": str(trajectory.id), "respondent": "werkgever"}
    short = web.post(f"{url}/vrijstellen", data={**exempt, "reason": "kort"})
    html = short.get_data(as_text=True)
    assert short.status_code == 422 and "Geef de reden in 10 tot 500 tekens." in html
    assert ">kort</textarea>" in html and "<details open>" in html  # the input is kept
    assert web.post(f"{url}/vrijstellen", data={
        **exempt, "reason": "Werkgever failliet, geen contactpersoon meer"}).status_code == 302
    page = web.get(url).get_data(as_text=True)
    assert "Vrijstelling vastgelegd." in page and ">vrijgesteld<" in page
    assert "Werkgever failliet, geen contactpersoon meer" in page
    assert "Iedereen is uitgenodigd of met reden vrijgesteld." in page

    english = web.get(f"{url}?lang=en").get_data(as_text=True)
    assert "Coverage: has everyone been invited?" in english and ">exempted<" in english
    assert "Employee (the client)" in english and "Everyone has been invited" in english


def test_who_may_invite(app, platform, orgs):
    org, officer, coach, eva, trajectory, campaign = campaign_with_a_client(platform, orgs)
    manager = orgs.member(org, "manager", "Mia Manager")
    url = f"/o/{org.slug}/kwaliteit/tevredenheid/{campaign.id}"
    web = signed_in(app, manager)
    page = web.get(url).get_data(as_text=True)
    assert "Dekking" in page and "/uitnodigen" not in page and "/populatie" not in page
    row = {"csrf_token": CSRF.search(page)[1], "trajectory_id": str(trajectory.id),
           "respondent": "werknemer"}
    assert web.post(f"{url}/uitnodigen", data=row).status_code in (403, 404)
    assert signed_in(app, coach).get(url).status_code == 404
    with context.acting(org.id, f"user:{officer.id}"):
        platform.app(Satisfaction, org.id).close_campaign(campaign.id)
    closed = signed_in(app, officer).get(url).get_data(as_text=True)
    assert "Afgesloten op" in closed and "/uitnodigen" not in closed  # a closed campaign: no forms
