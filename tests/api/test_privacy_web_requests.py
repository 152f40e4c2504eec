"""Privacy pages, data-subject requests: register, extend, export (JSON + PDF), complete;
refused input is shown with what was typed; other organisations and jobcoaches get 404."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from pypdf import PdfReader

from services.privacy.office import PrivacyOffice
from tests.api.privacy_web_support import other_organisation, privacy_desk


@pytest.fixture
def desk(app, platform, orgs):
    return privacy_desk(app, platform, orgs)


def _register(desk, **fields):
    values = {"client_number": "C-0001", "kind": "access", "channel": "email",
              "received_on": "2026-01-05"} | fields
    return desk.officer_web.post(f"{desk.base}/verzoeken/nieuw", **values)


def test_an_access_request_from_registration_to_export_and_completion(desk):
    web = desk.officer_web
    created = _register(desk, requester="Eva Voorbeeld", details="Graag alles wat u heeft")
    assert created.status_code == 302
    detail = created.headers["Location"]
    page = web.text(detail)
    assert "Verzoek geregistreerd; uiterlijk afhandelen op 05-02-2026." in page
    assert "Graag alles wat u heeft" in page and "nog 31 dagen" in page

    assert web.post(f"{detail}/in-behandeling", "action-").status_code == 302
    extended = web.post(f"{detail}/verlengen", "extend-", reason="Veel dossiers op te zoeken")
    assert extended.status_code == 302
    page = web.text(detail)
    assert "05-04-2026" in page and "verlengd met twee maanden" in page
    assert "Veel dossiers op te zoeken" in page

    assert web.post(f"{detail}/export", "action-").status_code == 302
    links = re.findall(r'href="([^"]+/export/[0-9a-f]+)"', web.text(detail))
    downloads = {link: web.get(link) for link in links}
    assert len(downloads) == 2
    by_type = {r.mimetype: r for r in downloads.values()}
    exported = json.loads(by_type["application/json"].data)
    assert exported["betrokkene"]["clientnummer"] == "C-0001"
    assert "inzage-C-0001.pdf" in by_type["application/pdf"].headers["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(by_type["application/pdf"].data))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Eva Voorbeeld" in text and "Inzage in persoonsgegevens" in text

    assert web.post(f"{detail}/afronden", "complete-", outcome="done").status_code == 302
    page = web.text(detail)
    assert 'id="status">Afgehandeld<' in page and "Verzoek afronden" not in page
    log = PrivacyOffice(desk.platform, desk.org.id).access_log.entries(desk.mine.id)
    assert {"privacy.export", "privacy.export.download", "privacy.request"} <= {
        e["what"] for e in log
    }


def test_registering_refuses_unknown_clients_and_future_dates_keeping_the_input(desk):
    unknown = _register(desk, client_number="C-9999", details="Mijn dossier graag")
    html = unknown.get_data(as_text=True)
    assert unknown.status_code == 422
    assert "Er is geen cliënt met dit nummer." in html
    assert 'value="C-9999"' in html and "Mijn dossier graag" in html
    assert re.search(r'<input [^>]*aria-invalid="true"[^>]*id="client_number"', html)
    assert '<p class="field-error" id="client_number-error">' in html

    future = _register(desk, received_on="2026-02-01", requester="Voogd Jansen")
    html = future.get_data(as_text=True)
    assert future.status_code == 422
    assert "De ontvangstdatum ligt in de toekomst" in html and 'value="Voogd Jansen"' in html

    missing = _register(desk, client_number="")
    assert missing.status_code == 422 and "Vul het cliëntnummer in." in missing.get_data(
        as_text=True
    )
    assert PrivacyOffice(desk.platform, desk.org.id).requests_view.requests(date(2026, 1, 5)) == []


def test_workflow_refusals_are_shown_on_the_request_page(desk):
    web = desk.officer_web
    detail = _register(desk).headers["Location"]

    short = web.post(f"{detail}/verlengen", "extend-", reason="Druk")
    assert short.status_code == 422
    assert "Gebruik 10 tot 2000 tekens." in short.get_data(as_text=True)
    assert "Druk</textarea>" in short.get_data(as_text=True)

    no_export = web.post(f"{detail}/afronden", "complete-", outcome="done")
    assert no_export.status_code == 422
    assert "Maak eerst de export voor de betrokkene" in no_export.get_data(as_text=True)

    no_reason = web.post(f"{detail}/afronden", "complete-", outcome="refused")
    assert "Een (gedeeltelijke) afwijzing vraagt een motivering." in no_reason.get_data(
        as_text=True
    )

    desk.clock.set(date(2026, 2, 10))  # past the first month: too late to extend
    late = web.post(f"{detail}/verlengen", "extend-", reason="Toch meer tijd nodig dan gedacht")
    html = late.get_data(as_text=True)
    assert late.status_code == 422
    assert "Verlengen kan alleen binnen de eerste maand na ontvangst" in html
    assert "Toch meer tijd nodig dan gedacht" in html
    assert "De termijn is verstreken op 05-02-2026" in html
    listed = web.text(f"{desk.base}/verzoeken")
    assert 'class="overdue"' in listed and "Termijn verstreken (5 dagen)" in listed


def test_restriction_and_objection_requests_are_handled_on_their_page(desk):
    web = desk.officer_web
    restriction = _register(desk, kind="restriction").headers["Location"]
    assert web.post(f"{restriction}/beperken", "action-").status_code == 302
    objection = _register(desk, kind="objection").headers["Location"]
    upheld = web.post(f"{objection}/bezwaar", "objection-", purpose="contact_network")
    assert upheld.status_code == 302

    office = PrivacyOffice(desk.platform, desk.org.id)
    assert office.check_consent(desk.mine.id, "share_progress", "employer").code == "restricted"
    assert office.app.client_privacy(desk.mine.id).objections == ["contact_network"]
    wrong = web.post(f"{objection}/beperken", "action-")
    assert wrong.status_code == 422
    assert "Dit hoort bij een verzoek om beperking." in wrong.get_data(as_text=True)


def test_another_organisations_request_is_not_found(desk, platform, orgs):
    other, ids = other_organisation(platform, orgs)
    web = desk.officer_web
    for base in (desk.base, f"/o/{other.slug}/privacy"):
        request = f"{base}/verzoeken/{ids['request_id']}"
        assert web.get(request).status_code == 404
        assert web.get(f"{request}/export/{ids['document_id']}").status_code == 404
        for step, prefix in (("in-behandeling", "action-"), ("verlengen", "extend-"),
                             ("export", "action-"), ("afronden", "complete-"),
                             ("beperken", "action-"), ("bezwaar", "objection-")):
            response = web.post(f"{request}/{step}", prefix, reason="Tien tekens of meer",
                                outcome="done", purpose="share_progress")
            assert response.status_code == 404, step
    refused = web.post(f"/o/{other.slug}/privacy/verzoeken/nieuw", client_number="C-0001",
                       kind="access", channel="email", received_on="2026-01-05")
    assert refused.status_code == 404


def test_jobcoaches_do_not_reach_the_request_pages(desk):
    detail = _register(desk).headers["Location"]
    coach = desk.browser(desk.coach)
    for url in (f"{desk.base}/verzoeken", f"{desk.base}/verzoeken/nieuw", detail):
        assert coach.get(url).status_code == 404, url
    assert coach.post(f"{detail}/afronden", "complete-", outcome="done").status_code == 404
