"""In a real browser: an external auditor signs in, lands on the audit pages, verifies the
log, browses the trail (pseudonyms only), opens the evidence, downloads a proof and the
evidence pack of the last 12 months, which jobtrail-verify accepts; a manager opens the
renewal dashboard, sees its charts and records a certificate's expiry date."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from projections.runtime import sweep
from services.audit.application import AuditorAccess
from services.kernel import context
from services.kernel.auth.roles import Role
from services.quality.complaints.application import Complaints, default_regulation

pytestmark = pytest.mark.e2e
NAME = "Canary Cliënt-5c2b"


def log_in(page, email, password):
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def _seed(shell):
    platform, org = shell.platform, shell.org
    with context.acting(org.id, f"user:{shell.manager.id}"):
        trajectories = platform.trajectories(org.id)
        client = trajectories.register_client({"name": NAME})
        trajectories.start_trajectory(client.id, "UWV", shell.coach.id)
        complaints = platform.app(Complaints, org.id)
        complaints.adopt_regulation(default_regulation(), date.today() - timedelta(days=400))
        complaints.receive(platform.subject_keys(org.id), complainant_name=NAME,
                           complainant_contact="", summary="Afspraak niet nagekomen",
                           complainant_kind="client", received_on=date.today() - timedelta(days=60))
    auditor = platform.registry.register_user("ada@keurmerk.example", "Ada Auditor", shell.password)
    now = datetime.now(UTC)
    with context.acting(org.id, f"user:{shell.manager.id}"):
        platform.apps.get(AuditorAccess).grant(auditor.id, org.id, "blik-op-werk",
                                               now - timedelta(hours=1), now + timedelta(days=7))
    platform.registry.grant_membership(auditor.id, org.id, Role.AUDITOR)
    sweep(platform)
    return auditor, client


def test_auditor_verifies_browses_and_opens_evidence(page, shell, results_dir, tmp_path):
    auditor, client = _seed(shell)
    log_in(page, auditor.email, shell.password)

    # Signed in, the auditor lands on the audit pages (not on a 404 organisation home).
    expect(page).to_have_url(f"{shell.url}/o/{shell.org.slug}/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit: controle van het auditlog")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link")).to_have_text(["Overzicht", "Audit"])
    expect(page.get_by_text("Blik op Werk Keurmerk").first).to_be_visible()
    page.get_by_role("button", name="Nu controleren").click()
    expect(page.get_by_role("status")).to_contain_text("Controle geslaagd")
    expect(page.locator("#verification-result")).to_contain_text("Geslaagd")

    page.get_by_role("link", name="Auditspoor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Auditspoor")
    table = page.get_by_role("table")
    expect(table).to_contain_text(f"Traject van cliënt {client.number}")
    page.get_by_label("Applicatie").select_option(label="Trajecten")
    page.get_by_label("Soort actor").select_option(label="Medewerker")
    page.get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(r"applicatie=trajectories"))
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows.first).to_contain_text("Trajecten")
    page.screenshot(path=str(results_dir / "audit-trail.png"), full_page=True)
    assert NAME not in page.content() and "Canary" not in page.content()

    page.get_by_role("link", name="Bewijs per eis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bewijs per eis: Blik op Werk Keurmerk")
    expect(page.get_by_role("heading", name=re.compile("Klachtenregeling"))).to_be_visible()
    page.screenshot(path=str(results_dir / "audit-evidence.png"), full_page=True)
    assert "Canary" not in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="inclusiebewijs").first.click()
    proof = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert proof["proof"] is not None and proof["checkpoint"]

    # The evidence pack of the last 12 months (the page's default period), made, downloaded
    # file by file and accepted by the offline verifier with the key shown on the pages.
    start = page.locator('input[name="van"]').first.get_attribute("value")
    assert start == (date.today() - timedelta(days=365)).isoformat()
    page.get_by_role("button", name=re.compile("Bewijsdossier maken")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewijsdossier")
    expect(page.get_by_text("Het dossier is klaar")).to_be_visible()
    folder = tmp_path / "bewijsdossier"
    folder.mkdir()
    names = page.locator('a[href*="/bewijs/export/bestand"]').all_inner_texts()
    assert {"bewijsdossier.pdf", "manifest.txt", "checkpoint.txt"} <= set(names)
    for name in names:
        with page.expect_download() as download:
            page.get_by_role("link", name=name, exact=True).click()
        download.value.save_as(folder / name)
    page.get_by_role("navigation", name="Audit").get_by_role("link", name="Controle").click()
    vkey = page.locator("#vkey").inner_text().strip()
    verified = subprocess.run(
        [sys.executable, "-m", "services.audit.verifier", "--pack", str(folder), "--vkey", vkey],
        capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # The figures that used to say "geen gegevens" are in the PDF, computed: one trajectory
    # started today and still open, one jobcoach without peer review, no training plan.
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(folder / "bewijsdossier.pdf").pages)
    assert "Trajecten gestart: 1" in text and "Trajecten afgebroken: 0" in text
    assert f"0 lopend op {start[8:10]}-{start[5:7]}-{start[:4]} + 1 gestart = 0 beëindigd" in text
    assert "Jobcoaches met intercollegiale toetsing (minstens 4 bijeenkomsten): 0 van 1 (0%)" \
        in text
    assert "Geen opleidingsplan vastgelegd" in text
    assert "% cliënten uitgenodigd voor tevredenheid (incl. afgebroken): 0 van 0" in text
    assert "Gemiddelde tevredenheid (norm 6,5): geen gegevens" in text  # nobody answered yet
    assert "Canary" not in text
    assert shell.errors == []


def test_manager_sees_the_renewal_dashboard_with_charts(page, shell, results_dir):
    _seed(shell)
    officer = shell.platform.registry.register_user("kees@werkpad.example", "Kees Kwaliteit",
                                                    shell.password)
    shell.platform.registry.grant_membership(officer.id, shell.org.id, Role.QUALITY_OFFICER)
    log_in(page, officer.email, shell.password)  # records the expiry date in the form
    page.goto(f"/o/{shell.org.slug}/rapportages/")
    form = page.locator("form.certificate-form")
    form.get_by_label("Keurmerk").select_option(label="Blik op Werk Keurmerk")
    form.get_by_label("Gecertificeerd op").fill((date.today() - timedelta(days=1000)).isoformat())
    form.get_by_label("Verloopt op").fill((date.today() + timedelta(days=60)).isoformat())
    form.get_by_label("Kenmerk (optioneel)").fill("BOW-2024-3")
    form.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Vervaldatum van Blik op Werk Keurmerk vastgelegd")
    expect(page.get_by_text("verloopt over 60 dagen")).to_be_visible()
    page.context.clear_cookies()

    log_in(page, shell.manager.email, shell.password)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link",
                                                                 name="Rapportages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hercertificering en kengetallen")
    chart = page.get_by_role("img", name="Status per eis aan het einde van iedere maand")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 100
    expect(page.get_by_role("img", name="Plaatsingen per maand")).to_be_visible()
    expect(page.get_by_text("Duurzaamheid plaatsing na 6 maanden")).to_be_visible()
    page.screenshot(path=str(results_dir / "renewal-dashboard.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteren als PDF").click()
    assert Path(download.value.path()).read_bytes()[:4] == b"%PDF"
    assert shell.errors == []
