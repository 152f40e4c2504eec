"""Privacy pages per client: consent given and withdrawn, restriction, erasure with the
explicit decision and its certificate, and the jobcoach's read-only overview (own
clients only)."""

from __future__ import annotations

import re

import pytest

from services.privacy.office import PrivacyOffice
from tests.api.privacy_web_support import other_organisation, privacy_desk


@pytest.fixture
def desk(app, platform, orgs):
    return privacy_desk(app, platform, orgs)


def _consent(desk, client_id, **fields):
    values = {"purpose": "share_progress", "recipient_kind": "employer", "evidence": "signed",
              "given_on": "2026-01-05", "recipient_name": "Bakkerij De Korst"} | fields
    return desk.officer_web.post(
        f"{desk.base}/clienten/{client_id}/toestemming", "consent-", **values
    )


def test_consent_is_given_and_withdrawn_per_purpose_and_recipient(desk):
    client_page = f"{desk.base}/clienten/{desk.mine.id}"
    assert _consent(desk, desk.mine.id).status_code == 302
    assert _consent(desk, desk.mine.id, purpose="contact_network",
                    recipient_kind="network_contact", recipient_name="").status_code == 302
    page = desk.officer_web.text(client_page)
    assert "Toestemming vastgelegd." in page and "Eva Voorbeeld" in page
    assert "Werkgever: Bakkerij De Korst" in page and "Netwerkcontact (elke)" in page
    office = PrivacyOffice(desk.platform, desk.org.id)
    assert office.check_consent(desk.mine.id, "share_progress", "employer").allowed

    withdrawn = desk.officer_web.post(f"{client_page}/toestemming/intrekken", "withdraw-",
                                      purpose="share_progress", recipient_kind="employer",
                                      recipient_id="")
    assert withdrawn.status_code == 302
    page = desk.officer_web.text(client_page)
    assert "ingetrokken op 05-01-2026" in page
    assert office.check_consent(desk.mine.id, "share_progress", "employer").code == "withdrawn"

    again = desk.officer_web.post(f"{client_page}/toestemming/intrekken", "withdraw-",
                                  purpose="share_progress", recipient_kind="employer")
    assert "Er is geen geldende toestemming om in te trekken" in desk.officer_web.text(
        again.headers["Location"]
    )


def test_refused_consent_shows_why_and_keeps_the_input(desk):
    future = _consent(desk, desk.mine.id, given_on="2026-03-01", recipient_id="KVK-123")
    html = future.get_data(as_text=True)
    assert future.status_code == 422
    assert "De datum van de toestemming ligt in de toekomst." in html
    assert 'value="Bakkerij De Korst"' in html and 'value="KVK-123"' in html
    unknown = _consent(desk, desk.mine.id, purpose="sell_data", given_on="")
    html = unknown.get_data(as_text=True)
    assert unknown.status_code == 422
    assert "Vul de datum van de toestemming in." in html
    assert PrivacyOffice(desk.platform, desk.org.id).consents(desk.mine.id) == []


def test_restriction_is_switched_on_and_off(desk):
    client_page = f"{desk.base}/clienten/{desk.mine.id}"
    assert desk.officer_web.post(f"{client_page}/beperking", "action-").status_code == 302
    assert "art. 18 AVG): niets delen" in desk.officer_web.text(client_page)
    twice = desk.officer_web.post(f"{client_page}/beperking", "action-")
    assert "De verwerking is al beperkt" in desk.officer_web.text(twice.headers["Location"])
    assert desk.officer_web.post(f"{client_page}/beperking/opheffen", "action-").status_code == 302
    assert "niets delen" not in desk.officer_web.text(client_page)


def test_erasing_with_an_open_trajectory_asks_for_the_decision_then_shows_the_certificate(desk):
    web = desk.officer_web
    erase = f"{desk.base}/clienten/{desk.mine.id}/wissen"
    assert "1 lopend(e) traject(en)" in web.text(erase)

    unconfirmed = web.post(erase, legal_basis="art17_1b", request_id="")
    assert unconfirmed.status_code == 422
    assert "Bevestig dat u de gegevens definitief wilt wissen." in unconfirmed.get_data(
        as_text=True
    )
    undecided = web.post(erase, legal_basis="art17_1b", request_id="", confirm="y")
    html = undecided.get_data(as_text=True)
    assert undecided.status_code == 422
    assert "Deze cliënt heeft een lopend traject." in html
    assert '<option selected value="art17_1b">' in html  # the choice is kept
    office = PrivacyOffice(desk.platform, desk.org.id)
    assert not office.is_erased(desk.mine.id)

    erased = web.post(erase, legal_basis="art17_1b", request_id="", confirm="y",
                      open_trajectory_decision="y")
    assert erased.status_code == 302
    certificate = web.text(erased.headers["Location"])
    assert "Verklaring van verwijdering" in certificate and "C-0001" in certificate
    assert "Eva Voorbeeld" not in certificate
    assert "09-02-2026" in certificate  # 35 days of backups after 05-01-2026
    assert "Daan Kwaliteit" in certificate  # who erased, by name on the page only
    pdf = re.search(r'href="([^"]+\.pdf)"', certificate)[1]
    assert web.get(pdf).data.startswith(b"%PDF")
    client_page = web.text(f"{desk.base}/clienten/{desk.mine.id}")
    assert "zijn gewist op 05-01-2026" in client_page and "Eva Voorbeeld" not in client_page
    assert web.get(erase).headers["Location"].endswith(erased.headers["Location"])
    assert office.is_erased(desk.mine.id)


def test_erasure_request_is_completed_by_erasing(desk):
    web = desk.officer_web
    registered = web.post(f"{desk.base}/verzoeken/nieuw", client_number="C-0002",
                          kind="erasure", channel="letter", received_on="2026-01-05")
    request_id = registered.headers["Location"].rsplit("/", 1)[1]
    erase = f"{desk.base}/clienten/{desk.theirs.id}/wissen"
    form = web.text(f"{erase}?verzoek={request_id}")
    assert f'<option selected value="{request_id}">' in form
    erased = web.post(erase, legal_basis="art17_1a", request_id=request_id, confirm="y",
                      open_trajectory_decision="y")
    assert erased.status_code == 302
    detail = web.text(registered.headers["Location"])
    assert 'id="status">Afgehandeld<' in detail


def test_the_jobcoach_reads_the_own_clients_privacy_only(desk):
    _consent(desk, desk.mine.id)
    desk.officer_web.post(f"{desk.base}/verzoeken/nieuw", client_number="C-0001",
                          kind="rectification", channel="email", received_on="2026-01-05")
    desk.officer_web.text(f"{desk.base}/clienten/{desk.mine.id}")  # a read, logged
    coach = desk.browser(desk.coach)
    mine = coach.text(f"{desk.base}/clienten/{desk.mine.id}")
    assert "Alleen-lezen overzicht" in mine
    assert "Voortgang en rapportages delen" in mine and "Bakkerij De Korst" in mine
    assert "Rectificatie (art. 16)" in mine
    assert "Daan Kwaliteit" in mine and "Anna de Vries" in mine  # who read the data
    assert "Toestemming vastleggen" not in mine and "Intrekken" not in mine
    assert "Cliënt wissen" not in mine
    entries = PrivacyOffice(desk.platform, desk.org.id).access_log.entries(desk.mine.id)
    assert {"actor": f"user:{desk.coach.id}", "why": "guidance"} in [
        {"actor": e["actor"], "why": e["why"]} for e in entries
    ]

    assert coach.get(f"{desk.base}/clienten/{desk.theirs.id}").status_code == 404
    assert coach.get(f"{desk.base}/clienten/{desk.theirs.id}?lang=en").status_code == 404
    for url, prefix in ((f"/clienten/{desk.mine.id}/toestemming", "consent-"),
                        (f"/clienten/{desk.mine.id}/beperking", "action-"),
                        (f"/clienten/{desk.mine.id}/wissen", "")):
        assert coach.post(f"{desk.base}{url}", prefix, purpose="share_progress").status_code == 404
    assert coach.get(f"{desk.base}/clienten/{desk.mine.id}/wissen").status_code == 404
    english = coach.text(f"{desk.base}/clienten/{desk.mine.id}?lang=en")
    assert "Read-only overview" in english and "Share progress and reports" in english


def test_another_organisations_client_is_not_found(desk, platform, orgs):
    other, ids = other_organisation(platform, orgs)
    web = desk.officer_web
    for base in (desk.base, f"/o/{other.slug}/privacy"):
        client = f"{base}/clienten/{ids['client_id']}"
        assert web.get(client).status_code == 404
        assert web.get(f"{client}/wissen").status_code == 404
        assert web.get(f"{base}/verwijderingen/{ids['erasure_id']}").status_code == 404
        assert web.get(f"{base}/verwijderingen/{ids['erasure_id']}.pdf").status_code == 404
        for url, prefix in (("/toestemming", "consent-"), ("/toestemming/intrekken", "withdraw-"),
                            ("/beperking", "action-"), ("/beperking/opheffen", "action-"),
                            ("/wissen", "")):
            response = web.post(f"{client}{url}", prefix, purpose="share_progress",
                                recipient_kind="employer", evidence="signed",
                                given_on="2026-01-05", legal_basis="art17_1a", confirm="y",
                                open_trajectory_decision="y", request_id="")
            assert response.status_code == 404, url
    assert web.get(f"{desk.base}/clienten?nummer=C-0001").status_code == 302
    other_number = web.get(f"/o/{other.slug}/privacy/clienten?nummer=C-0001")
    assert other_number.status_code == 404
    assert not PrivacyOffice(platform, other.id).is_erased(ids["client_id"])
