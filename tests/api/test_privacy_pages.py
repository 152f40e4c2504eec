"""The Dutch privacy page for the officer: deadlines, breaches, erasures, registers."""

from datetime import date

from services.kernel import context
from services.privacy.application import Privacy
from services.privacy.clock import FrozenClock
from services.privacy.erasure import erase_client
from services.privacy.office import PrivacyOffice
from tests.web_support import signed_in


def test_officer_sees_overdue_requests_and_erasures_jobcoach_does_not(app, platform, orgs):
    org = orgs.create()
    officer = orgs.member(org, "quality_officer", "Daan")
    coach = orgs.member(org, "jobcoach", "Anna")
    platform.app(Privacy, org.id).clock = FrozenClock(date(2026, 1, 5))
    office = PrivacyOffice(platform, org.id)
    with context.acting(org.id, f"user:{officer.id}"):
        client = platform.trajectories(org.id).register_client({"name": "Geheime Naam"})
        office.register_request(client.id, "access", "email", requester="Geheime Naam")
        gone = platform.trajectories(org.id).register_client({"name": "Weg Naam"})
        erasure = erase_client(office, gone.id, "art17_1b").erasure
    office.app.clock = FrozenClock(date(2026, 2, 20))
    page = signed_in(app, officer).get(f"/o/{org.slug}/privacy")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Inzage (art. 15)" in text and "Termijn verstreken" in text
    assert "C-0002" in text and "Geheime Naam" not in text and "Weg Naam" not in text
    pdf = signed_in(app, officer).get(f"/o/{org.slug}/privacy/verwijderingen/{erasure.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert signed_in(app, coach).get(f"/o/{org.slug}/privacy").status_code == 404
