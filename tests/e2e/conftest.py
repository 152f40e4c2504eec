"""Browser tests: Playwright driving Debian's chromium against the real app.

No `playwright install`: the browser is the distribution's /usr/bin/chromium
(`apt-get install -y chromium`; CI does the same). When it is missing these
tests FAIL with that instruction, they never skip. The app runs for real on a
free localhost port (werkzeug in a thread) on the embedded SQLite store.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from services.app import create_app

CHROMIUM = os.environ.get("JOBTRAIL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"  # gitignored


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium ontbreekt ({CHROMIUM}). Installeer het met `apt-get install -y chromium`"
            " (of zet JOBTRAIL_CHROMIUM); de e2e-tests gebruiken geen `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class Shell:
    """The running app, with one organisation and who works there."""

    url: str
    platform: Any
    org: Any
    coach: Any
    manager: Any
    secure_org: Any  # totp_required=True
    secure_coach: Any
    password: str
    errors: list[str] = field(default_factory=list)  # console errors, CSP violations


@pytest.fixture
def shell(platform: Any, orgs: Any) -> Iterator[Shell]:
    from tests.conftest import PASSWORD

    org = orgs.create("Werkpad Jobcoaching")
    coach = orgs.member(org, "jobcoach", "Anna de Vries")
    manager = orgs.member(org, "manager", "Bram Jansen")
    secure_org = orgs.create("Zorgvuldig Werk", totp_required=True)
    secure_coach = orgs.member(secure_org, "jobcoach", "Chris Bakker")

    app = create_app(platform.settings, platform)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield Shell(
            f"http://127.0.0.1:{server.server_port}",
            platform,
            org,
            coach,
            manager,
            secure_org,
            secure_coach,
            PASSWORD,
        )
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def page(browser: Any, shell: Shell) -> Iterator[Any]:
    context = browser.new_context(base_url=shell.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda m: m.type == "error" and shell.errors.append(m.text))
    page.on("pageerror", lambda e: shell.errors.append(str(e)))
    yield page
    context.close()


@pytest.fixture
def results_dir() -> Path:
    RESULTS.mkdir(exist_ok=True)
    return RESULTS
