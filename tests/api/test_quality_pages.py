"""The Dutch quality pages: what the quality officer and the jobcoach see, and who may."""

from datetime import date
from uuid import uuid4

from services.kernel import context
from services.quality.complaints.application import Complaints, default_regulation
from services.quality.satisfaction import formdefs, links
from services.quality.satisfaction.application import Satisfaction
from services.quality.training.application import Development
from tests.web_support import signed_in


def test_quality_officer_pages_and_jobcoach_own_page(app, platform, orgs):
    org = orgs.create()
    officer = orgs.member(org, "quality_officer", "Daan")
    anna = orgs.member(org, "jobcoach", "Anna")
    today = date.today()
    with context.acting(org.id, f"user:{officer.id}"):
        complaints = platform.app(Complaints, org.id)
        complaints.adopt_regulation(default_regulation(), date(2000, 1, 1))
        complaints.receive(platform.subject_keys(org.id), complainant_name="Piet de Klager",
                           complainant_contact="", complainant_kind="client",
                           summary="Jobcoach kwam niet opdagen", received_on=today)
        satisfaction = platform.app(Satisfaction, org.id)
        campaign = satisfaction.start_campaign(
            "Meting dit jaar", date(today.year, 1, 1), date(today.year, 12, 31),
            {"werknemer": "uwv-beoordeling-werknemer"})
        trajectory = uuid4()
        satisfaction.register_population(campaign.id, [{
            "trajectory_id": trajectory, "client_id": uuid4(), "status": "lopend"}], "test")
        token = links.invite(platform, org.id, campaign.id, trajectory, "werknemer").token
        form = formdefs.form("uwv-beoordeling-werknemer")
        links.answer(platform, token, {i.id: 8 for i in form.items})
        platform.app(Development, org.id).record_training(
            jobcoach_id=anna.id, course="Post-hbo Jobcoach", provider="Capabel",
            category="opleiding", completed_on=today, hours=120)

    client = signed_in(app, officer)
    base = f"/o/{org.slug}/kwaliteit"
    pages = {
        "/": "Kwaliteit", "/klachten": "Klachtenregister", "/tevredenheid": "Jaarrapportage",
        f"/tevredenheid/{campaign.id}": "Dekking", "/scholing": "Scholingsmatrix",
        "/intervisie": "Intercollegiale toetsing", "/registers": "Registergereedheid",
    }
    for path, heading in pages.items():
        response = client.get(base + path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, (path, html[:500])
        assert heading in html and 'lang="nl"' in html
    report = client.get(base + "/tevredenheid").get_data(as_text=True)
    assert "<svg" in report and "norm 6.5" in report and "voldoet aan" in report
    assert "Piet" not in client.get(base + "/klachten").get_data(as_text=True)  # register: no PII

    coach = signed_in(app, anna)
    assert coach.get(base + "/klachten").status_code == 404  # no quality:read for a jobcoach
    own = coach.get(f"/o/{org.slug}/mijn-ontwikkeling/").get_data(as_text=True)
    assert "Post-hbo Jobcoach" in own and "Noloc Register Jobcoach" in own
