"""The quality officer handles a rectification request (art. 16 AVG) in the browser: sees
the client's current contact data on the request, corrects the e-mail address, and the
client file has the corrected value; the request names the field, not the value."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from services.kernel import context
from services.privacy.office import PrivacyOffice

pytestmark = pytest.mark.e2e


def test_officer_applies_a_rectification_from_the_request(page, shell, orgs):
    officer = orgs.member(shell.org, "quality_officer", "Daan Kwaliteit")
    trajectories = shell.platform.trajectories(shell.org.id)
    with context.acting(shell.org.id, f"user:{officer.id}"):
        client = trajectories.register_client(
            {"name": "Eva Voorbeeld", "email": "eva@verkeerd.example"}
        )
        request = PrivacyOffice(shell.platform, shell.org.id).register_request(
            client.id, "rectification", "letter", details="Mijn e-mailadres klopt niet"
        )

    page.goto("/login")
    page.get_by_label("E-mailadres").fill(officer.email)
    page.get_by_label("Wachtwoord").fill(shell.password)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"/o/{shell.org.slug}/privacy/verzoeken/{request.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verzoek: Rectificatie (art. 16)")

    form = page.locator("#rectificeren")
    expect(form.get_by_label("E-mailadres")).to_have_value("eva@verkeerd.example")
    form.get_by_label("E-mailadres").fill("geen adres")
    form.get_by_role("button", name="Verbetering toepassen").click()
    expect(page.get_by_text("Dit is geen geldig e-mailadres.")).to_be_visible()
    page.locator("#rectificeren").get_by_label("E-mailadres").fill("eva@goed.example")
    page.locator("#rectificeren").get_by_role("button", name="Verbetering toepassen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "De gegevens van de cliënt zijn verbeterd: e-mailadres."
    )
    expect(page.locator("#rectificaties-lijst")).to_contain_text(
        "E-mailadres verbeterd op"
    )
    expect(page.locator("#rectificaties-lijst")).not_to_contain_text("eva@goed.example")

    page.get_by_label("Uitkomst").select_option(label="Uitgevoerd")
    page.get_by_role("button", name="Verzoek afronden").click()
    expect(page.locator("#status")).to_have_text("Afgehandeld")
    opened = trajectories.opener().open(trajectories.client(client.id).contact["email"])
    assert opened == "eva@goed.example"
