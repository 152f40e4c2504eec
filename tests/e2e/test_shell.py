"""The UI shell in a real browser: login, menu, staff, language, logout, TOTP enrolment."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def log_in(page, email, password):
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_jobcoach_logs_in_and_finds_the_way(page, shell, results_dir):
    log_in(page, shell.coach.email, shell.password)

    # One organisation: straight to its home, in Dutch.
    expect(page).to_have_url(f"{shell.url}/o/{shell.org.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkpad Jobcoaching")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link")).to_have_text(
        ["Overzicht", "Trajecten", "Mijn ontwikkeling", "Medewerkers"]
    )
    expect(menu.get_by_role("link", name="Overzicht")).to_have_attribute("aria-current", "page")
    page.screenshot(path=str(results_dir / "org-home.png"), full_page=True)

    menu.get_by_role("link", name="Medewerkers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medewerkers")
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Anna de Vries")
    expect(rows.nth(0)).to_contain_text("Jobcoach")
    expect(rows.nth(1)).to_contain_text("Bram Jansen")
    expect(rows.nth(1)).to_contain_text("Manager")
    expect(menu.get_by_role("link", name="Medewerkers")).to_have_attribute("aria-current", "page")

    page.get_by_role("navigation", name="Taal").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff")
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Trajectories")
    expect(rows.nth(0)).to_contain_text("Job coach")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_contain_text("You have logged out.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.goto(f"/o/{shell.org.slug}/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    assert shell.errors == []


def test_jobcoach_enrols_totp_and_gets_in(page, shell, results_dir):
    log_in(page, shell.secure_coach.email, shell.password)

    expect(page).to_have_url(re.compile(r"/account/totp\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    expect(page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.screenshot(path=str(results_dir / "totp-enrol.png"), full_page=True)
    page.get_by_label("Code uit uw authenticator-app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bevestigen").click()

    expect(page).to_have_url(f"{shell.url}/o/{shell.secure_org.slug}/")
    expect(page.get_by_role("status")).to_contain_text("Tweestapsverificatie is ingesteld.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zorgvuldig Werk")
    assert shell.platform.registry.user(shell.secure_coach.id).totp_secret == secret
    assert shell.errors == []


def test_skip_link_is_the_first_stop_for_the_keyboard(page, shell):
    log_in(page, shell.coach.email, shell.password)
    expect(page).to_have_url(f"{shell.url}/o/{shell.org.slug}/")
    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_shell_fits_a_phone(browser, shell, results_dir):
    context = browser.new_context(
        base_url=shell.url,
        locale="nl-NL",
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    try:
        log_in(page, shell.manager.email, shell.password)
        page.goto(f"/o/{shell.org.slug}/medewerkers")
        expect(page.get_by_role("heading", level=1)).to_have_text("Medewerkers")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        page.screenshot(path=str(results_dir / "staff-phone.png"), full_page=True)
    finally:
        context.close()


def test_api_docs_work_under_the_content_security_policy(page, shell):
    page.goto("/api/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Jobtrail")
    expect(page.locator(".opblock").first).to_be_visible()
    assert shell.errors == []  # a CSP violation would show up here
