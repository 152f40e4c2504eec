"""The quality officer makes a single-use link on the campaign page; the client fills in
the survey through it on a narrow (phone) screen."""

from datetime import date
from uuid import uuid4

from playwright.sync_api import expect

from services.kernel import context
from services.quality.satisfaction.application import Satisfaction
from services.quality.satisfaction.report import SatisfactionView


def test_client_answers_the_360_form_on_a_phone(browser, shell, orgs, results_dir):
    platform, org = shell.platform, shell.org
    officer = orgs.member(org, "quality_officer", "Daan Kwaliteit")
    with context.acting(org.id, "user:officer"):
        app = platform.app(Satisfaction, org.id)
        today = date.today()
        campaign = app.start_campaign("Meting", date(today.year, 1, 1),
                                      date(today.year, 12, 31),
                                      {"werknemer": "noloc-360-werknemer"})
        trajectory = uuid4()
        app.register_population(campaign.id, [{
            "trajectory_id": trajectory, "client_id": uuid4(), "jobcoach_id": shell.coach.id,
            "status": "afgebroken", "ended_on": today}], "test")

    desk = browser.new_context(base_url=shell.url, locale="nl-NL")
    page = desk.new_page()
    page.on("console", lambda m: m.type == "error" and shell.errors.append(m.text))
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(officer.email)
    page.get_by_label("Wachtwoord").fill(shell.password)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"/o/{org.slug}/kwaliteit/tevredenheid/{campaign.id}")
    expect(page.get_by_text("1 uitnodiging(en) ontbreken.")).to_be_visible()
    page.get_by_role("button", name="Uitnodigen: werknemer (de cliënt)").click()
    expect(page.get_by_role("status", name="Eenmalige link")).to_contain_text("één keer getoond")
    url = page.get_by_label("Link", exact=True).input_value()
    page.screenshot(path=str(results_dir / "quality-campaign-link.png"), full_page=True)
    page.goto(f"/o/{org.slug}/kwaliteit/tevredenheid/{campaign.id}")  # shown once: not again
    expect(page.get_by_label("Link", exact=True)).to_have_count(0)
    expect(page.get_by_text("Iedereen is uitgenodigd of met reden vrijgesteld.")).to_be_visible()
    desk.close()
    token = url.rsplit("/s/", 1)[1]

    phone = browser.new_context(base_url=shell.url, locale="nl-NL",
                                viewport={"width": 360, "height": 740}, is_mobile=True,
                                has_touch=True)
    page = phone.new_page()
    page.on("console", lambda m: m.type == "error" and shell.errors.append(m.text))
    page.goto(f"/s/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "360 graden feedback jobcoach door werknemer")
    assert "Werkpad" not in page.content() and "Anna" not in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the form scrolls sideways on a phone ({width}px)"

    items = page.locator("fieldset.choices")
    assert items.count() == 11
    page.get_by_role("button", name="Versturen").click()  # nothing chosen: told what is missing
    expect(page.get_by_role("alert")).to_contain_text("Beantwoord vraag 1")
    for index in range(items.count()):
        group = items.nth(index)
        group.get_by_label("n.v.t." if index == 2 else "4").check()
    page.screenshot(path=str(results_dir / "quality-survey-phone.png"), full_page=True)
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt")

    page.goto(f"/s/{token}")  # the link is used up
    expect(page.get_by_text("al ingevuld")).to_be_visible()
    phone.close()
    # the refusals above are answered as pages with 422/410; chromium logs those
    assert [e for e in shell.errors if "status of 422" not in e and "status of 410" not in e] == []
    rates = platform.view(SatisfactionView, org.id).response_rates(str(campaign.id))
    assert rates["responses"] == 1
