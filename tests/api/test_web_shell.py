"""The web shell around the pages: menu per role, staff list, languages, headers, errors."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from services.kernel.auth.roles import ROLE_LABELS_NL
from tests.conftest import PASSWORD
from tests.web_support import signed_in

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "services" / "translations" / "en" / "LC_MESSAGES"
MENU = ("Trajecten", "Kwaliteit", "Privacy", "Audit", "Rapportages", "Medewerkers")


def menu(html):
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.DOTALL)
    links = re.findall(r"<a [^>]*>(.*?)</a>", nav[0], re.DOTALL) if nav else []
    return [re.sub(r"<[^>]+>", "", a).removesuffix("binnenkort").strip() for a in links]


def test_menu_shows_what_the_role_may_use(app, orgs):
    org = orgs.create()
    expected = {
        "jobcoach": ["Overzicht", "Trajecten", "Mijn ontwikkeling", "Medewerkers"],
        "quality_officer": [
            "Overzicht",
            "Trajecten",
            "Kwaliteit",
            "Privacy",
            "Audit",
            "Rapportages",
            "Medewerkers",
        ],
        "manager": ["Overzicht", "Trajecten", "Kwaliteit", "Audit", "Rapportages", "Medewerkers"],
        "org_admin": ["Overzicht", "Audit", "Rapportages", "Medewerkers"],
    }
    for role, items in expected.items():
        client = signed_in(app, orgs.member(org, role))
        html = client.get(f"/o/{org.slug}/").get_data(as_text=True)
        assert menu(html) == items, role
        assert re.search(r'<a href="/o/[^"]+/"\s+aria-current="page">Overzicht</a>', html)


def test_placeholder_pages_are_marked_and_guarded(app, orgs, monkeypatch):
    from dataclasses import replace

    from services.web import navigation

    # Every menu item has its page by now: take one away to see the placeholder at work.
    unbuilt = tuple(
        replace(i, endpoint=None) if i.key == "rapportages" else i for i in navigation.NAV
    )
    monkeypatch.setattr(navigation, "NAV", unbuilt)
    org = orgs.create()
    coach = signed_in(app, orgs.member(org, "jobcoach"))
    officer = signed_in(app, orgs.member(org, "quality_officer"))

    page = officer.get(f"/o/{org.slug}/binnenkort/rapportages").get_data(as_text=True)

    assert "Binnenkort beschikbaar." in page
    assert re.search(r'aria-current="page">Rapportages', page)
    assert coach.get(f"/o/{org.slug}/binnenkort/rapportages").status_code == 404  # not for a coach
    assert officer.get(f"/o/{org.slug}/binnenkort/geheim").status_code == 404
    # A built page is reached through its own URL, never as a placeholder.
    built = officer.get(f"/o/{org.slug}/binnenkort/medewerkers")
    assert built.headers["Location"] == f"/o/{org.slug}/medewerkers"


def test_staff_page_lists_members_with_their_role(app, orgs):
    org, other = orgs.create(), orgs.create()
    coach = orgs.member(org, "jobcoach", "Anna de Vries")
    orgs.member(org, "quality_officer", "Bram Jansen")
    orgs.member(other, "jobcoach", "Iemand Anders")
    client = signed_in(app, coach)

    html = client.get(f"/o/{org.slug}/medewerkers").get_data(as_text=True)
    rows = re.findall(r'<th scope="row">(.*?)</th>.*?<td>([^<]+)</td>\s*</tr>', html, re.DOTALL)

    assert rows == [("Anna de Vries", "Jobcoach"), ("Bram Jansen", "Kwaliteitsfunctionaris")]
    assert coach.email in html and "Iemand Anders" not in html
    assert re.search(r'aria-current="page">Medewerkers', html)
    english = client.get(f"/o/{org.slug}/medewerkers?lang=en").get_data(as_text=True)
    assert "<h1>Staff</h1>" in english and "Quality officer" in english


def test_organisation_choice(app, orgs, platform):
    first, second = orgs.create("Zuidwerk"), orgs.create("Anderwerk")
    person = orgs.member(first, "jobcoach")
    platform.registry.grant_membership(person.id, second.id, "manager")
    client = signed_in(app, person)

    html = client.get("/orgs").get_data(as_text=True)

    assert "<h1>Organisatie kiezen</h1>" in html
    assert html.index("Anderwerk") < html.index("Zuidwerk")
    assert f'href="/o/{second.slug}/"' in html
    home = client.get(f"/o/{second.slug}/").get_data(as_text=True)
    assert "Organisatie wisselen" in home and "U werkt hier als manager" in home

    lonely = platform.registry.register_user("los@example.nl", "Los", PASSWORD)
    assert "nog niet aan een organisatie" in signed_in(app, lonely).get("/orgs").get_data(
        as_text=True
    )


def test_browser_language_is_used_until_one_is_chosen(app):
    client = app.test_client()

    assert '<html lang="en">' in client.get(
        "/login", headers={"Accept-Language": "en-GB,en;q=0.8"}
    ).get_data(as_text=True)
    assert '<html lang="nl">' in client.get(
        "/login", headers={"Accept-Language": "de-DE,fr;q=0.5"}
    ).get_data(as_text=True)
    assert '<html lang="nl">' in client.get(
        "/login?lang=nl", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert '<html lang="nl">' in client.get("/login?lang=xx").get_data(as_text=True)


def test_html_pages_carry_security_headers(app):
    response = app.test_client().get("/login")

    assert response.headers["Content-Security-Policy"].startswith(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]
    html = response.get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html  # nothing inline
    external = [u for u in re.findall(r'(?:src|href)="([^"]+)"', html) if u[0] not in "/#"]
    assert external == []  # no CDN, nothing off-site


def test_vendored_assets_are_served(app):
    client = app.test_client()
    for path in (
        "/static/vendor/htmx.min.js",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui-standalone-preset.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/jobtrail.css",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.close()


def test_api_docs_allow_only_their_own_inline_script(app):
    response = app.test_client().get("/api/docs")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'src="/static/vendor/swagger-ui/swagger-ui-bundle.js"' in html
    policy = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy)[1]
    inline = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in inline
    }
    assert inline and set(script_src.split()) == {"'self'", *hashes}
    assert "unsafe" not in policy
    assert '"validatorUrl": null' in html  # no badge image from validator.swagger.io


def test_error_pages_are_friendly_and_translated(app):
    client = app.test_client()

    dutch = client.get("/bestaat-niet")
    english = client.get("/bestaat-niet?lang=en")

    assert dutch.status_code == english.status_code == 404
    assert "<h1>Pagina niet gevonden</h1>" in dutch.get_data(as_text=True)
    assert "<h1>Page not found</h1>" in english.get_data(as_text=True)
    assert dutch.mimetype == "text/html"
    api = client.get("/api/v1/bestaat-niet")
    assert api.mimetype == "application/problem+json"  # the API keeps its own errors


# Translations ------------------------------------------------------------------------


def _catalog():
    with open(CATALOG / "messages.po", "rb") as po:
        return read_po(po)


def test_english_catalog_is_complete_and_compiled():
    catalog = _catalog()
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
    with open(CATALOG / "messages.mo", "rb") as mo:
        compiled = {m.id: m.string for m in read_mo(mo) if m.id}
    assert compiled == {m.id: m.string for m in catalog if m.id}, "run pybabel compile"


def test_every_ui_string_is_in_the_catalog():
    """Fails when someone adds a _() and forgets pybabel extract + update (docs/ui.md)."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
    found = {
        (message if isinstance(message, str) else message[0])
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords
        )
    }
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog() if m.id}
    assert sorted(found - known) == []


def test_role_labels_are_translated():
    known = {m.id for m in _catalog() if m.id}
    assert set(ROLE_LABELS_NL.values()) <= known
