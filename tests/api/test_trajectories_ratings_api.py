"""The UWV rating forms in the accountability report's annex: read from the quality
context's read model when present (scores per item, mean against 6.5), 'niet ontvangen'
when absent. PDF text extracted."""

from datetime import date, timedelta
from uuid import UUID

from services.kernel import context
from services.quality.satisfaction import formdefs, links
from services.quality.satisfaction.application import Satisfaction
from tests.api import test_trajectories_api as walk
from tests.api.test_trajectories_api import ok, pdf_text
from tests.api.test_trajectories_log_signoff_api import _coached

world = walk.world
UWV = {"werknemer": "uwv-beoordeling-werknemer", "werkgever": "uwv-beoordeling-werkgever"}


def _rated(platform, org, trajectory, grade):
    """A campaign inviting this trajectory's employee, who answers every item with `grade`."""
    app = platform.app(Satisfaction, org.id)
    today = date.today()
    with context.acting(org.id, "user:officer"):
        campaign = app.start_campaign("Klanttevredenheid", today - timedelta(days=200),
                                      today + timedelta(days=30), UWV, link_valid_days=14)
        app.register_population(campaign.id, [{
            "trajectory_id": UUID(trajectory["id"]), "client_id": UUID(trajectory["client_id"]),
            "jobcoach_id": UUID(trajectory["responsible_jobcoach"]), "status": "lopend",
            "ended_on": None}], "trajectories")
        token = links.invite(platform, org.id, campaign.id, UUID(trajectory["id"]),
                             "werknemer").token
    form = formdefs.form(UWV["werknemer"])
    links.answer(platform, token, {item.id: grade for item in form.items})
    return form


def test_accountability_report_annexes_the_rating_forms(world, platform):
    http, org, anna, bram, as_anna, as_bram, manager, base = world
    url, _ = _coached(http, base, anna, as_anna, platform, org)
    report_url = f"{url}/documents/verantwoording?format=pdf"

    text = pdf_text(http.get(report_url, headers=as_anna).data)
    assert "Beoordelingsformulier werknemer: niet ontvangen" in text
    assert "Beoordelingsformulier werkgever: niet ontvangen" in text

    form = _rated(platform, org, ok(http.get(url, headers=as_anna)), 8)
    text = pdf_text(http.get(report_url, headers=as_anna).data)
    assert "Beoordelingsformulier werkgever: niet ontvangen" in text
    assert "Beoordelingsformulier werknemer: ontvangen op" in text
    assert "gemiddeld cijfer 8,0 (norm 6,5: voldoet)" in text
    assert f"Bijlage: {form.title}" in text
    for item in form.items:
        assert item.text in text, item.text
    html = http.get(report_url.replace("pdf", "html"), headers=as_anna).get_data(as_text=True)
    assert "Beoordelingsformulier werknemer: ontvangen op" in html

    # Another trajectory's forms never show up here.
    other_url, _ = _coached(http, base, anna, as_anna, platform, org)
    other = pdf_text(http.get(f"{other_url}/documents/verantwoording?format=pdf",
                              headers=as_anna).data)
    assert "Beoordelingsformulier werknemer: niet ontvangen" in other


def test_a_score_below_the_norm_is_named(world, platform):
    http, org, anna, bram, as_anna, as_bram, manager, base = world
    url, _ = _coached(http, base, anna, as_anna, platform, org)
    _rated(platform, org, ok(http.get(url, headers=as_anna)), 5)
    text = pdf_text(http.get(f"{url}/documents/verantwoording?format=pdf", headers=as_anna).data)
    assert "gemiddeld cijfer 5,0 (norm 6,5: voldoet niet)" in text
