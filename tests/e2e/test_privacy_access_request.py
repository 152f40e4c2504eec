"""The quality officer handles an access request (art. 15 AVG) end to end in the browser:
registers it, takes it in hand, extends the deadline with a reason, makes the export,
downloads the Dutch PDF with everything held about the client, and completes it."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from services.kernel import context

pytestmark = pytest.mark.e2e


def saved(page, text):
    expect(page.get_by_role("status").first).to_contain_text(text)


def test_officer_handles_an_access_request_and_downloads_the_pdf(page, shell, orgs,
                                                                  results_dir):
    officer = orgs.member(shell.org, "quality_officer", "Daan Kwaliteit")
    trajectories = shell.platform.trajectories(shell.org.id)
    with context.acting(shell.org.id, f"user:{shell.coach.id}"):
        client = trajectories.register_client(
            {"name": "Eva Voorbeeld", "email": "eva@voorbeeld.nl"}
        )
        trajectories.start_trajectory(client.id, "UWV", shell.coach.id)

    page.goto("/login")
    page.get_by_label("E-mailadres").fill(officer.email)
    page.get_by_label("Wachtwoord").fill(shell.password)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy (AVG)")

    # Register: a wrong client number is refused with the message, the input stays.
    page.get_by_role("link", name="Verzoek registreren").first.click()
    page.get_by_label("Cliëntnummer").fill("C-0404")
    page.get_by_label("Soort verzoek").select_option(label="Inzage (art. 15)")
    page.get_by_label("Ontvangen via").select_option(label="E-mail")
    page.get_by_label("Wat vraagt de betrokkene?").fill("Graag een kopie van mijn dossier")
    page.get_by_role("button", name="Verzoek registreren").click()
    expect(page.get_by_text("Er is geen cliënt met dit nummer.")).to_be_visible()
    expect(page.get_by_label("Wat vraagt de betrokkene?")).to_have_value(
        "Graag een kopie van mijn dossier"
    )
    page.get_by_label("Cliëntnummer").fill("C-0001")
    page.get_by_role("button", name="Verzoek registreren").click()
    saved(page, "Verzoek geregistreerd")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verzoek: Inzage (art. 15)")
    expect(page.locator("#termijn")).to_contain_text("nog ")

    page.get_by_role("button", name="In behandeling nemen").click()
    saved(page, "in behandeling genomen")
    expect(page.locator("#status")).to_have_text("In behandeling")

    page.get_by_label("Reden van de verlenging").fill("Veel stukken op te vragen")
    page.get_by_role("button", name="Termijn verlengen").click()
    saved(page, "met twee maanden verlengd")
    expect(page.locator("#termijn")).to_contain_text("verlengd met twee maanden")

    # Completing before the export is refused with the reason.
    page.get_by_role("button", name="Verzoek afronden").click()
    expect(page.get_by_role("alert")).to_contain_text("Maak eerst de export voor de betrokkene")

    page.get_by_role("button", name="Export maken (JSON en PDF)").click()
    saved(page, "De export is gemaakt")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download de PDF").click()
    assert download.value.suggested_filename == "inzage-C-0001.pdf"
    data = download.value.path().read_bytes()
    (results_dir / "privacy-inzage.pdf").write_bytes(data)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Inzage in persoonsgegevens" in text
    assert "Eva Voorbeeld" in text and "eva@voorbeeld.nl" in text
    assert "Daan Kwaliteit" in text  # who looked: the access log is part of the export

    page.get_by_label("Uitkomst").select_option(label="Uitgevoerd")
    page.get_by_role("button", name="Verzoek afronden").click()
    saved(page, "Het verzoek is afgehandeld.")
    expect(page.locator("#status")).to_have_text("Afgehandeld")
    page.screenshot(path=str(results_dir / "privacy-request.png"), full_page=True)

    # The download itself is in the client's access log.
    page.get_by_role("link", name="C-0001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy van cliënt C-0001")
    expect(page.locator("#inzage ~ .table-wrap")).to_contain_text("privacy.export.download")
    expect(page.get_by_role("link", name=re.compile("Verzoek registreren"))).to_be_visible()
    # Refused forms answer 422 on purpose (chromium logs that); nothing else may show up.
    assert [e for e in shell.errors if "status of 422" not in e] == []
