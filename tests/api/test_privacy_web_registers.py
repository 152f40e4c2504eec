"""Privacy pages for the registers: breaches with the 72-hour deadline, the processing
register, the retention policy with its dry run, and the read-access log."""

from __future__ import annotations

import re
from datetime import date, datetime
from uuid import UUID

import pytest

from services.kernel import context
from services.privacy.clock import LOCAL
from services.privacy.office import PrivacyOffice
from tests.api.privacy_web_support import other_organisation, privacy_desk

PRIVACY_PAGE = re.compile(r"^/o/<org>/privacy")


@pytest.fixture
def desk(app, platform, orgs):
    return privacy_desk(app, platform, orgs)


def _breach(desk, **fields):
    values = {"title": "Laptop in de trein", "description": "Onversleutelde laptop kwijt",
              "detected_at": "2026-01-05T09:00"} | fields
    return desk.officer_web.post(f"{desk.base}/datalekken", **values)


def test_a_breach_from_detection_to_closing_with_the_deadline_shown(desk):
    web = desk.officer_web
    breach = _breach(desk).headers["Location"]
    page = web.text(breach)
    assert "uiterlijk 08-01-2026 09:00: nog 69 uur" in page  # the clock says 05-01 12:00

    assessed = web.post(f"{breach}/beoordelen", "beoordelen-", risk="high",
                        assessment="Dossiers van twee cliënten", affected_count="2",
                        affected_clients="C-0001, c-0002")
    assert assessed.status_code == 302
    page = web.text(breach)
    assert "C-0001, C-0002" in page and "Melding bij de Autoriteit Persoonsgegevens" in page

    reported = web.post(f"{breach}/melden", "melden-", reported_at="2026-01-05T11:30",
                        reference="AP-2026-001")
    assert reported.status_code == 302
    informed = web.post(f"{breach}/informeren", "informeren-", informed_at="2026-01-05T11:45",
                        how="Brief aan beide cliënten")
    assert informed.status_code == 302
    closed = web.post(f"{breach}/sluiten", "sluiten-", closed_at="2026-01-05T11:50",
                      measures="Laptops voortaan versleuteld")
    assert closed.status_code == 302
    page = web.text(breach)
    assert 'id="status">Gesloten<' in page and "AP-2026-001" in page
    assert "Volgende stap" not in page
    listed = web.text(f"{desk.base}/datalekken")
    assert "gemeld 05-01-2026 11:30" in listed


def test_breach_refusals_keep_the_input(desk):
    web = desk.officer_web
    future = _breach(desk, detected_at="2026-01-06T09:00", title="Mail verkeerd verstuurd")
    html = future.get_data(as_text=True)
    assert future.status_code == 422
    assert "Dit tijdstip ligt in de toekomst." in html and 'value="Mail verkeerd verstuurd"' in html
    assert "Geef het datalek een korte titel." in _breach(desk, title="").get_data(as_text=True)

    breach = _breach(desk, detected_at="2026-01-01T08:00").headers["Location"]
    unknown = web.post(f"{breach}/beoordelen", "beoordelen-", risk="risk", assessment="Ernstig",
                       affected_count="1", affected_clients="C-0001, C-0404")
    html = unknown.get_data(as_text=True)
    assert unknown.status_code == 422
    assert "Onbekende cliëntnummers: C-0404" in html and 'value="C-0001, C-0404"' in html
    web.post(f"{breach}/beoordelen", "beoordelen-", risk="risk", assessment="Ernstig",
             affected_count="1")
    listed = web.text(f"{desk.base}/datalekken")
    assert 'class="overdue"' in listed and "meldtermijn verstreken" in listed
    late = web.post(f"{breach}/melden", "melden-", reported_at="2026-01-05T10:00",
                    reference="AP-9")
    html = late.get_data(as_text=True)
    assert late.status_code == 422
    assert "Later dan 72 uur gemeld: geef de reden van de vertraging" in html
    assert 'value="AP-9"' in html
    assert "De meldtermijn van 72 uur is verstreken op 04-01-2026 08:00" in html
    with_reason = web.post(f"{breach}/melden", "melden-", reported_at="2026-01-05T10:00",
                           reference="AP-9", late_reason="Pas na het weekend ontdekt hoe ernstig")
    assert with_reason.status_code == 302
    informing = web.post(f"{breach}/informeren", "informeren-", informed_at="2026-01-05T10:00",
                         how="Per brief")
    assert "niet vereist" in informing.get_data(as_text=True)


def test_the_processing_register_is_kept_in_the_product(desk):
    web = desk.officer_web
    fields = {"name": "Re-integratiebegeleiding", "purposes": "Begeleiding naar werk",
              "legal_basis": "Overeenkomst (art. 6 lid 1b)", "data_subjects": "Cliënten",
              "data_categories": "NAW, beperkingen", "special_categories": "y"}
    missing = web.post(f"{desk.base}/verwerkingsregister/nieuw", **(fields | {"purposes": ""}))
    html = missing.get_data(as_text=True)
    assert missing.status_code == 422
    assert "Dit is verplicht in het verwerkingsregister." in html
    assert 'value="Re-integratiebegeleiding"' in html

    assert web.post(f"{desk.base}/verwerkingsregister/nieuw", **fields).status_code == 302
    listed = web.text(f"{desk.base}/verwerkingsregister")
    assert "Begeleiding naar werk" in listed and "inclusief bijzondere persoonsgegevens" in listed
    edit = re.search(r'href="(/o/[^"]+/verwerkingsregister/[0-9a-f-]{36})"', listed)[1]
    form = web.text(edit)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form)[1]
    revised = web.post(edit, **(fields | {"processors": "Hostingbedrijf BV", "version": version}))
    assert revised.status_code == 302
    stale = web.post(edit, **(fields | {"processors": "Iemand anders", "version": version}))
    html = stale.get_data(as_text=True)
    assert stale.status_code == 422 and "Dit is intussen gewijzigd" in html
    assert "Iemand anders" in html
    assert "Hostingbedrijf BV" in web.text(f"{desk.base}/verwerkingsregister")

    assert web.post(f"{edit}/beeindigen", "action-").status_code == 302
    assert "Het verwerkingsregister is nog leeg." in web.text(f"{desk.base}/verwerkingsregister")
    assert "beëindigd op 05-01-2026" in web.text(f"{desk.base}/verwerkingsregister?alle=1")


def test_retention_policy_and_dry_run(desk, platform):
    web = desk.officer_web
    bad = web.post(f"{desk.base}/bewaartermijnen", months_client_file="0",
                   backup_retention_days="40")
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Kies 1 tot 1200 maanden." in html and 'value="40"' in html

    saved = web.post(f"{desk.base}/bewaartermijnen", months_client_file="24",
                     months_complaint_file="60", backup_retention_days="40")
    assert saved.status_code == 302
    office = PrivacyOffice(platform, desk.org.id)
    assert office.app.policy().retention == {"client_file": 24, "complaint_file": 60}
    assert office.app.policy().backup_retention_days == 40

    with context.acting(desk.org.id, f"user:{desk.officer.id}"):
        platform.trajectories(desk.org.id).register_client({"name": "Oud Dossier"})
    desk.clock.set(date(2031, 2, 1))  # registered "today" by the system clock
    report = web.post(f"{desk.base}/bewaartermijnen/proefdraai", "run-")
    html = report.get_data(as_text=True)
    assert report.status_code == 200
    assert "Proefdraai van 01-02-2031" in html and "zou wissen: 1" in html and "C-0003" in html
    assert "Bewaard wegens lopend traject: C-0001, C-0002" in html
    assert "Klachtdossier (na het sluiten van de klacht)" in html
    assert "Bewaartermijn 60 maanden; zou wissen: 0." in html
    assert office.registers.erasures() == []  # a dry run erases nothing

    cleared = web.post(f"{desk.base}/bewaartermijnen", months_client_file="",
                       months_complaint_file="60", backup_retention_days="40")
    assert cleared.status_code == 302
    assert office.app.policy().retention == {"complaint_file": 60}  # left as it was


def test_the_access_log_filters_by_client(desk):
    web = desk.officer_web
    web.text(f"{desk.base}/clienten/{desk.mine.id}")
    web.text(f"{desk.base}/clienten/{desk.theirs.id}")
    everything = web.text(f"{desk.base}/inzagelog")
    assert "C-0001" in everything and "C-0002" in everything and "Daan Kwaliteit" in everything
    filtered = web.text(f"{desk.base}/inzagelog?nummer=C-0002")
    rows = re.findall(r">(C-000\d)</a></td>", filtered)
    assert rows == ["C-0002"]
    unknown = web.get(f"{desk.base}/inzagelog?nummer=C-0404")
    assert unknown.status_code == 422
    assert "Er is geen cliënt met dit nummer." in unknown.get_data(as_text=True)


def test_another_organisations_registers_are_not_found(desk, platform, orgs):
    other, ids = other_organisation(platform, orgs)
    web = desk.officer_web
    for base in (desk.base, f"/o/{other.slug}/privacy"):
        breach = f"{base}/datalekken/{ids['breach_id']}"
        activity = f"{base}/verwerkingsregister/{ids['activity_id']}"
        assert web.get(breach).status_code == 404
        assert web.get(activity).status_code == 404
        for step in ("beoordelen", "melden", "informeren", "sluiten"):
            assert web.post(f"{breach}/{step}", f"{step}-", risk="none", assessment="Geen",
                            affected_count="0").status_code == 404
        assert web.post(activity, name="Overschreven", purposes="x", legal_basis="y",
                        data_subjects="z", data_categories="w").status_code == 404
        assert web.post(f"{activity}/beeindigen", "action-").status_code == 404
    for url in ("", "/datalekken", "/verwerkingsregister", "/bewaartermijnen", "/inzagelog"):
        assert web.get(f"/o/{other.slug}/privacy{url}").status_code == 404
    assert web.post(f"/o/{other.slug}/privacy/bewaartermijnen", months_client_file="1",
                    backup_retention_days="1").status_code == 404
    assert PrivacyOffice(platform, other.id).app.policy().retention == {}


def test_jobcoaches_reach_no_officer_page(desk, app):
    """Every privacy page is the officer's, except the client overview (own clients)."""
    coach = desk.browser(desk.coach)
    values = {"client_id": desk.mine.id, "fmt": "pdf", "step": "beoordelen",
              "document_id": "abc"}
    checked = 0
    for rule in app.url_map.iter_rules():
        if not PRIVACY_PAGE.match(rule.rule) or rule.endpoint == "privacy.client":
            continue
        url = rule.build({"org": desk.org.slug, **{
            arg: values.get(arg, "00000000-0000-4000-8000-000000000000")
            for arg in rule.arguments if arg != "org"}}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = coach.client.open(url, method=method, data={"csrf_token": coach.csrf})
            assert response.status_code == 404, (method, rule.rule)
            checked += 1
    assert checked >= 30
    assert coach.get(f"{desk.base}/clienten/{desk.mine.id}").status_code == 200


def test_breach_times_are_dutch_local_time(desk):
    breach = _breach(desk, detected_at="2026-01-05T09:00").headers["Location"]
    found = PrivacyOffice(desk.platform, desk.org.id).app.breach(UUID(breach.rsplit("/", 1)[1]))
    assert found.detected_at == datetime(2026, 1, 5, 9, 0, tzinfo=LOCAL)


def test_forms_without_the_csrf_token_are_refused(desk):
    response = desk.officer_web.client.post(
        f"{desk.base}/datalekken",
        data={"title": "Zonder token", "description": "Mag niet",
              "detected_at": "2026-01-05T09:00"},
    )
    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.get_data(as_text=True)
    assert PrivacyOffice(desk.platform, desk.org.id).registers.breaches(datetime.now(LOCAL)) == []
