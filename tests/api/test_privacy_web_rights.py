"""Privacy pages, rights applied: the officer corrects a client's contact data on the
rectification request's page (the read is logged, the request names the fields only),
and lifts an upheld objection on the client page."""

from __future__ import annotations

import re

import pytest

from services.kernel import context
from services.privacy.office import PrivacyOffice
from tests.api.privacy_web_support import privacy_desk


@pytest.fixture
def desk(app, platform, orgs):
    return privacy_desk(app, platform, orgs)


def _rectification(desk):
    office = PrivacyOffice(desk.platform, desk.org.id)
    with context.acting(desk.org.id, f"user:{desk.officer.id}"):
        desk.platform.trajectories(desk.org.id).revise_client_contact(
            desk.mine.id, {"name": "Eva Voorbeeld", "email": "eva@oud.example"}
        )
        request = office.register_request(desk.mine.id, "rectification", "email")
    return office, f"{desk.base}/verzoeken/{request.id}"


def test_the_officer_applies_a_rectification_from_the_request_page(desk):
    office, url = _rectification(desk)
    web = desk.officer_web
    def contact_reads():
        return [e for e in office.access_log.entries(desk.mine.id) if e["what"] == "client.contact"]

    reads = len(contact_reads())
    page = web.text(url)
    assert 'value="eva@oud.example"' in page and 'value="Eva Voorbeeld"' in page
    after = contact_reads()
    assert len(after) == reads + 1 and after[0]["why"] == "data_subject_request"
    version = re.search(r'name="rectify-client_version"[^>]*value="(\d+)"', page)[1]

    bad = web.post(f"{url}/rectificeren", "rectify-", name="Eva Voorbeeld", email="geen-adres",
                   phone="06-12345678", client_version=version)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Dit is geen geldig e-mailadres." in html
    assert 'value="06-12345678"' in html  # what was typed is kept

    fixed = web.post(f"{url}/rectificeren", "rectify-", name="Eva de Voorbeeld",
                     email="eva@nieuw.example", phone="", address="", date_of_birth="",
                     client_version=version)
    assert fixed.status_code == 302 and fixed.headers["Location"].endswith(url)
    page = web.text(url)
    assert "De gegevens van de cliënt zijn verbeterd: naam, e-mailadres." in page
    assert "eva@nieuw.example" in page  # the form now shows the corrected values
    listed = re.search(r'<ul id="rectificaties-lijst">(.*?)</ul>', page, re.S)[1]
    assert "Naam, E-mailadres verbeterd op 05-01-2026 door Daan Kwaliteit" in listed
    contact = desk.platform.trajectories(desk.org.id).client(desk.mine.id).contact
    opened = {k: office.open(v) for k, v in contact.items()}
    assert opened["name"] == "Eva de Voorbeeld" and opened["email"] == "eva@nieuw.example"

    stale = web.post(f"{url}/rectificeren", "rectify-", name="Eva X", email="",
                     client_version=version)
    assert stale.status_code == 422 and "intussen gewijzigd" in stale.get_data(as_text=True)
    assert web.post(f"{url}/afronden", "complete-", outcome="done").status_code == 302
    page = web.text(url)
    assert 'id="rectificeren"' not in page and "Verbeterde gegevens" in page


def test_a_jobcoach_cannot_reach_the_rectification(desk):
    _office, url = _rectification(desk)
    coach = desk.browser(desk.coach)
    assert coach.get(url).status_code == 404
    assert coach.post(f"{url}/rectificeren", "rectify-", name="X Y").status_code == 404


def test_the_officer_lifts_an_upheld_objection_with_a_reason(desk):
    office = PrivacyOffice(desk.platform, desk.org.id)
    with context.acting(desk.org.id, f"user:{desk.officer.id}"):
        office.uphold_objection(desk.mine.id, "share_progress")
    url = f"{desk.base}/clienten/{desk.mine.id}"
    web = desk.officer_web
    page = web.text(url)
    assert "Gegrond bezwaar tegen:" in page and "Bezwaar opheffen" in page

    short = web.post(f"{url}/bezwaar/opheffen", "lift-", purpose="share_progress", reason="kort")
    assert short.status_code == 422 and "Gebruik 10 tot 2000 tekens." in short.get_data(
        as_text=True)
    lifted = web.post(f"{url}/bezwaar/opheffen", "lift-", purpose="share_progress",
                      reason="Cliënt trekt het bezwaar in, brief van 5 januari")
    assert lifted.status_code == 302
    page = web.text(url)
    assert "Het bezwaar is opgeheven" in page and "Gegrond bezwaar tegen:" not in page
    assert office.check_consent(desk.mine.id, "share_progress", "employer").code == "no_consent"
    again = web.post(f"{url}/bezwaar/opheffen", "lift-", purpose="share_progress",
                     reason="Nog een keer opheffen gaat niet")
    assert again.status_code == 422 and "geen gegrond bezwaar" in again.get_data(as_text=True)
    coach = desk.browser(desk.coach)
    assert coach.post(f"{url}/bezwaar/opheffen", "lift-", purpose="share_progress",
                      reason="Een jobcoach mag dit niet").status_code == 404


def test_the_new_privacy_pages_in_english(desk):
    _office, url = _rectification(desk)
    web = desk.officer_web
    page = web.text(f"{url}?lang=en")
    assert "Correct the data" in page and ">E-mail address</label>" in page
    bsn = web.text(f"{desk.base}/bsn?lang=en")
    assert "Switch BSN registration on" in bsn and "Off" in bsn
    short = web.post(f"{desk.base}/bsn", "policy-", legal_basis="kort")
    assert "Use 10 to 500 characters." in short.get_data(as_text=True)
