"""The demo organisation's quality data: complaints in every state, a year of responses."""

from datetime import date
from uuid import UUID

from services import demo
from services.kernel import context
from services.quality import demo_portfolio
from services.quality.complaints.register import ComplaintRegisterView
from services.quality.portfolio import compose
from services.quality.portfolio.drafts_view import PortfolioDraftsView
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


def test_demo_jobcoach_can_draft_a_portfolio_and_has_one_stored(platform):
    demo.seed(platform)
    org = platform.registry.organisation_by_slug(demo.DEMO_SLUG)
    anna = next(u for u in (platform.registry.user(UUID(m["user_id"]))
                            for m in platform.directory.members(org.id))
                if u.name == "Anna de Vries")
    [stored] = platform.view(PortfolioDraftsView, org.id).drafts_of(str(anna.id))
    assert stored["anonymised"] and 1000 <= stored["word_count"] <= 2500
    assert stored["delivered"] == "pdf" and len(stored["pdf_sha256"]) == 64
    today = date.today()
    [ready] = [r for r in compose.overview(platform, org.id, anna.id, today) if r["ready"]]
    assert str(ready["trajectory_id"]) == stored["trajectory_id"]
    assert all(ready["annexes"].values())  # self-evaluation and both 360 forms
    assert ready["started_on"] > compose.oldest_allowed(today)
    request = demo_portfolio.demo_request(ready["trajectory_id"], today)
    with context.acting(org.id, f"user:{anna.id}"):
        again = compose.draft(platform, org.id, anna.id, anna.name, request, today)
    assert again.word_count == stored["word_count"]
