"""The quality forms in a real browser, under the strict CSP: the quality officer registers
a complaint, acknowledges it, extends the decision term and adds an improvement action and
marks it done; a jobcoach previews the anonymised portfolio."""

from datetime import date, timedelta

from playwright.sync_api import expect

from services.kernel import context
from services.quality.complaints.application import Complaints, default_regulation
from tests.integration.test_quality_portfolio import (
    REFLECTION,
    build_case,
    feedback,
    goals,
    self_evaluation,
)


def _login(page, email, password):
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_officer_complaint_and_jobcoach_portfolio(browser, shell, orgs, results_dir):
    platform, org = shell.platform, shell.org
    officer = orgs.member(org, "quality_officer", "Daan Kwaliteit")
    with context.acting(org.id, f"user:{officer.id}"):
        platform.app(Complaints, org.id).adopt_regulation(default_regulation())
    with context.acting(org.id, f"user:{shell.coach.id}"):
        trajectory, person = build_case(platform, org, shell.coach)
        self_evaluation(platform, org, shell.coach, trajectory.id)
        feedback(platform, org, shell.coach, trajectory, person, ["werknemer", "werkgever"])

    officer_context = browser.new_context(base_url=shell.url, locale="nl-NL")
    page = officer_context.new_page()
    page.on("console", lambda m: m.type == "error" and shell.errors.append(m.text))
    _login(page, officer.email, shell.password)
    page.goto(f"/o/{org.slug}/kwaliteit/klachten")
    page.get_by_role("link", name="Klacht registreren").click()
    page.get_by_label("Naam van de klager").fill("Piet de Klager")
    page.get_by_label("De klacht", exact=True).fill("kort")
    page.get_by_role("button", name="Klacht registreren").click()
    expect(page.get_by_text("Beschrijf de klacht in 10 tot 10.000 tekens.")).to_be_visible()
    expect(page.get_by_label("Naam van de klager")).to_have_value("Piet de Klager")
    page.get_by_label("De klacht", exact=True).fill("Mijn jobcoach kwam twee keer niet opdagen.")
    page.get_by_role("button", name="Klacht registreren").click()
    expect(page.get_by_text("Kies de cliënt")).to_be_visible()  # sealed with the client's key
    page.get_by_label("Cliëntnummer").fill(person.number)
    page.get_by_role("button", name="Klacht registreren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Klacht van")
    page.get_by_role("button", name="Ontvangst bevestigen").click()
    expect(page.get_by_text("Ontvangst bevestigd.")).to_be_visible()
    expect(page.get_by_role("heading", name="Hoorgesprek of onderzoek vastleggen")).to_be_visible()
    page.get_by_label("Reden van de verlenging (zo gemeld aan de klager)").fill(
        "Werkgever pas na de vakantie bereikbaar")
    page.get_by_role("button", name="Beslistermijn verlengen").click()
    expect(page.get_by_text("Beslistermijn verlengd tot")).to_be_visible()
    page.get_by_label("Verbeteractie", exact=True).fill("Afspraken per sms bevestigen")
    page.get_by_label("Eigenaar").select_option(label="Daan Kwaliteit")
    page.get_by_label("Streefdatum").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Verbeteractie toevoegen").click()
    expect(page.get_by_text("Verbeteractie toegevoegd.")).to_be_visible()
    expect(page.get_by_text("eigenaar: Daan Kwaliteit")).to_be_visible()
    page.get_by_text("Afronden", exact=True).click()
    page.get_by_label("Resultaat").fill("Sms-bevestiging ingevoerd")
    page.get_by_role("button", name="Verbeteractie afronden").click()
    expect(page.get_by_text("Verbeteractie afgerond.")).to_be_visible()
    expect(page.get_by_text("Sms-bevestiging ingevoerd")).to_be_visible()
    page.screenshot(path=str(results_dir / "quality-complaint.png"), full_page=True)
    officer_context.close()

    coach_context = browser.new_context(base_url=shell.url, locale="nl-NL")
    page = coach_context.new_page()
    page.on("console", lambda m: m.type == "error" and shell.errors.append(m.text))
    _login(page, shell.coach.email, shell.password)
    page.goto(f"/o/{org.slug}/mijn-ontwikkeling/")
    page.get_by_role("link", name="Naar het portfolio").click()
    page.get_by_label("Reflectieverslag", exact=True).fill(REFLECTION)
    for n, goal in enumerate(goals()):
        group = page.get_by_role("group", name=f"SMART-leerdoel {n + 1}")
        group.get_by_label("Leerdoel (Goal)").fill(goal.goal)
        group.get_by_label("Aanpak en inzet van je omgeving (Way forward)").fill(
            goal.way_forward)
        group.get_by_label("Meetbaar resultaat").fill(goal.criterion)
        group.get_by_label("Gereed vóór").fill(goal.target_date.isoformat())
    page.get_by_role("button", name="Concept bekijken").click()
    concept = page.get_by_label("Bewerkbare tekst (Markdown)")
    expect(concept).to_contain_text("## Inhoudsopgave")
    assert "Zonneveld" not in concept.input_value()
    page.screenshot(path=str(results_dir / "quality-portfolio.png"), full_page=True)
    coach_context.close()
    # the refused complaint above is answered with 422; chromium logs that
    assert [e for e in shell.errors if "status of 422" not in e] == []
