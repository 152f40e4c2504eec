"""The demo organisation's quality data: complaints in every state, a year of responses."""

from datetime import date

from services import demo
from services.quality.complaints.register import ComplaintRegisterView
from services.quality.satisfaction.report import SatisfactionView
from services.quality.training import overview


def test_demo_has_quality_data_in_every_state(platform):
    demo.seed(platform)
    org = platform.registry.organisation_by_slug(demo.DEMO_SLUG)
    register = platform.view(ComplaintRegisterView, org.id)
    rows = register.complaints()
    assert {r["status"] for r in rows} == {
        "received", "acknowledged", "investigated", "decided", "closed"}
    assert any(r["escalated_on"] for r in rows)
    assert register.overdue(date.today())  # one complaint waits too long for acknowledgement
    report = platform.view(SatisfactionView, org.id).annual_report(date.today().year - 1)
    assert report["responses"] >= 10
    assert all(f["meets_threshold"] for f in report["forms"])
    readiness = {r["name"]: r for r in overview.readiness_all(platform, org.id)}
    noloc = {r["register"]: r for r in readiness["Anna de Vries"]["registers"]}["noloc"]
    assert noloc["status"] == "verloopt binnenkort" and noloc["reminder"]
    coverage = overview.peer_review_coverage(platform, org.id, date.today().year)
    assert coverage["covered"] == 2
    demo.seed(platform)  # a second run changes nothing
    assert len(register.complaints()) == len(rows)
