"""A jobcoach takes a client from intake to closing in the browser, in Dutch, and
downloads the accountability report with the data that was entered."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from uuid import UUID

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from services.kernel import context
from services.privacy.office import PrivacyOffice
from services.trajectories import medical

pytestmark = pytest.mark.e2e
TODAY = date.today()


def d(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def step_form(page, name):
    return page.locator("form", has=page.locator(f"input[name=step][value={name}]"))


def action_form(page, action):
    return page.locator(f"form[action$='/{action}']")


def fill(form, **values):
    for name, value in values.items():
        field = form.locator(f"[name='{name}']").first
        if value is True:
            field.check()
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(str(value))
    form.locator("button[type=submit]").click()


def unfold(page, summary):
    """Open a step's <details> unless the page opened it already (the next step is)."""
    details = page.locator("details", has=page.locator("summary", has_text=summary)).first
    if details.get_attribute("open") is None:
        details.locator("summary").first.click()


def saved(page, text):
    expect(page.get_by_role("status")).to_contain_text(text)


def test_intake_to_closing_and_the_accountability_report(page, shell, results_dir):
    with context.acting(shell.org.id, "test"):
        shell.platform.trajectories(shell.org.id).set_regime(
            "UWV", "standaard", 10, date(2020, 1, 1))
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(shell.coach.email)
    page.get_by_label("Wachtwoord").fill(shell.password)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"/o/{shell.org.slug}/clienten")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cliënten")

    fill(page.locator("form[method=post]").last, name="Jan Jansen", date_of_birth="1990-02-03")
    saved(page, "Cliënt C-0001 geregistreerd")
    fill(action_form(page, "traject"), commissioner="UWV")
    saved(page, "Traject gestart")
    expect(page.locator("#fase")).to_have_text("Intake")

    fill(step_form(page, "intake"), held_on=d(60), reason="Wil weer aan het werk",
         question="Passend werk vinden", motivation="Structuur en collega's",
         life_world="Woont zelfstandig", network="Zus steunt", phases_agreed="Alle fasen",
         expectations="Wekelijks contact", follow_up="Profiel volgende week",
         agreed_in_writing=True, code_of_conduct_discussed=True)
    saved(page, "Stap vastgelegd")
    fill(step_form(page, "employee_profile"), motivators="Samenwerken", values="Eerlijkheid",
         skills="Nauwkeurig", interests="Techniek", wishes="Vaste tijden",
         learning_style="Voordoen", needs="Duidelijke instructies",
         limitations="Kan slecht tegen drukte", possibilities="Routinewerk",
         durable_conditions="Vaste werkplek", trajectory_goals="Duurzaam 24 uur werken",
         plan_of_approach="Stapsgewijs", agreed_with="cliënt en UWV", agreed_on=d(55))
    saved(page, "Stap vastgelegd")
    fill(step_form(page, "workplace_profile"), employer="Fietsfabriek Noord",
         employer_profile="Productiebedrijf", tasks="Wielen monteren",
         working_conditions="Rustige hal", expected_ksa="Precisie",
         guidance_options="Vaste werkbegeleider", business_use="Ontlast monteurs",
         support_needed="Inwerken", checked_with_client=True)
    saved(page, "Stap vastgelegd")
    expect(page.locator("#fase")).to_have_text("Werkplekprofiel en taakanalyse")

    unfold(page, "Matching")
    fill(action_form(page, "matching"), analysis="Taken passen bij het profiel",
         decision="match", reasons="Rustige werkplek", decided_on=d(50),
         **{"carving-0-agreement": "Eigen werkbank", "carving-0-owner": "werkgever",
            "carving-0-due": d(40)})
    saved(page, "Matching vastgelegd")
    fill(step_form(page, "placement"), employer="Fietsfabriek Noord",
         contract="Arbeidsovereenkomst 1 jaar", hours_per_week="24", start_date=d(45),
         supervisor="Piet de Werkbegeleider", agreements="Opbouw naar 24 uur")
    saved(page, "Stap vastgelegd")
    unfold(page, "Coachingsplan")
    fill(action_form(page, "coachingsplan"), **{
        "goal-0-description": "Zelfstandig wielen monteren",
        "goal-0-criterion": "10 wielen per dag zonder hulp",
        "goal-0-target_date": d(-60), "goal-0-owner": "cliënt",
        "action_plan": "Wekelijks gesprek", "network_roles": "Zus helpt plannen",
        "evaluation_moments": d(-30), "agreed_on": d(40)})
    saved(page, "Coachingsplan vastgelegd")

    unfold(page, "Toekenning toevoegen")
    fill(action_form(page, "toekenning"), period_start=d(40), period_end=d(-140),
         granted_hours="40")
    saved(page, "Toekenning vastgelegd")
    fill(action_form(page, "activiteit"), on=d(1), start="09:00", minutes="90",
         goal_ids=True, justification="Werkplekbezoek en instructie werkbegeleider",
         notes="Gaat goed")
    saved(page, "Activiteit geregistreerd")
    expect(page.locator("#fase")).to_have_text("Coaching on the job")
    unfold(page, "Voortgangsevaluatie")
    form = action_form(page, "evaluatie")
    form.locator("select[name^=status-]").select_option("reached")
    fill(form, on=d(0), summary="Doel behaald, werkbegeleider neemt over")
    saved(page, "Evaluatie vastgelegd")

    unfold(page, "Eindverslag")
    fill(step_form(page, "final_report"), written_on=d(0),
         placement_process="Geplaatst via jobfinding", coaching_report="Wekelijkse coaching",
         results="Doel behaald", support_handover="Werkbegeleider neemt over")
    saved(page, "Stap vastgelegd")
    for party in ("client", "employer", "commissioner"):
        unfold(page, "Eindevaluaties")
        fill(action_form(page, "eindevaluatie"), party=party, on=d(0),
             summary="Tevreden over het verloop")
        saved(page, "Eindevaluatie vastgelegd")
    unfold(page, "Eindevaluaties")
    fill(action_form(page, "afsluiten"), reason="placed_durably", aftercare_offered=True,
         aftercare="Drie maanden nazorg", on=d(0))
    saved(page, "Traject afgesloten")
    expect(page.locator("#fase")).to_have_text("Afgesloten")
    expect(page.locator("#tijdlijn")).to_contain_text("Traject afgesloten")
    page.screenshot(path=str(results_dir / "trajectory-closed.png"), full_page=True)

    # Sharing the report with UWV needs the client's consent (the privacy context).
    report = page.locator("#documenten li", has_text="Verantwoordingsrapportage")
    expect(report).to_contain_text("niet te delen met de opdrachtgever: Geen toestemming")
    trajectory_id = UUID(page.url.split("/trajecten/")[1].split("#")[0].split("?")[0])
    client_id = shell.platform.trajectories(shell.org.id).trajectory(trajectory_id).client_id
    with context.acting(shell.org.id, "test"):
        PrivacyOffice(shell.platform, shell.org.id).give_consent(
            client_id, "share_progress", "commissioner", "signed", recipient_id="UWV")
    page.reload()
    link = report.get_by_role("link", name="PDF downloaden")
    with page.expect_download() as download:
        link.click()
    data = download.value.path().read_bytes()
    text = " ".join(" ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    for needle in ("Verantwoordingsrapportage jobcoaching", "Jan Jansen", "C-0001",
                   "Resultaten per doel", "Zelfstandig wielen monteren", "Behaald",
                   "Fietsfabriek Noord", "Ondertekening"):
        assert needle in text, needle
    assert re.search(r"Totaal geregistreerd in de periode 1,5 uur", text)
    assert medical.find(text) == []
    assert shell.errors == []
