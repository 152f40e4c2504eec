"""Every page a user can reach, per role, on the demo data: breadth-first over the links the
app itself renders (GET only). No 5xx, no link that answers 4xx, `<html lang>` and `<title>`
on every HTML page, a CSRF field in every POST form, and the same page in English too."""

from __future__ import annotations

import re

import pytest

from tests.crawl_support import Page, PageParser, crawl, demo_site, get, in_english, signed_in

ROLES = ("jobcoach", "manager", "quality_officer", "org_admin", "auditor")  # the privacy
# officer is no role of its own: the quality officer holds the privacy scopes.
CAP = 400  # pages per role; the demo needs ~200 for the widest role
# Pages deep in each role's area (regexes): prove the walk got past the home page, and
# that the demo data reaches the pages behind a list (privacy: services/privacy/demo.py).
ID = "[0-9a-f-]{36}"
REACHES = {
    "jobcoach": ("/mijn-ontwikkeling", f"/privacy/clienten/{ID}$"),  # via the client page
    "manager": ("/rapportages/",),
    "quality_officer": ("/privacy/inzagelog", f"/privacy/verzoeken/{ID}$",
                        f"/privacy/datalekken/{ID}$", f"/privacy/verwerkingsregister/{ID}$",
                        f"/privacy/verwijderingen/{ID}$", f"/privacy/verwijderingen/{ID}\\.pdf$"),
    "org_admin": ("/medewerkers",),
    "auditor": ("/audit/spoor",),
}

# Documents for the commissioner (UWV) are Dutch forms whatever the reader's language.
DUTCH_ONLY = re.compile(r"/documenten/\w+\.html$")

# (role, problem regex) → why. Each must still occur (strict), so a fix forces its removal.
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def walks(tmp_path_factory):
    """Every role's walk, always all and in ROLES order: later walks meet what earlier
    ones left (the read log), whichever tests are selected."""
    app, platform, logins = demo_site(tmp_path_factory.mktemp("crawl") / "demo")
    try:
        yield {role: walk(signed_in(app, logins[role])) for role in ROLES}
    finally:
        platform.close()


def walk(client) -> tuple[list[Page], dict[str, tuple[int, str | None]]]:
    """The Dutch walk, then each HTML page again with `?lang=en` (which sticks to the
    session): (status, <html lang> or the exception) per URL."""
    pages = crawl(client, "/", CAP)
    english = {}
    for p in pages:
        if p.html and p.status == 200:
            response, error = get(client, in_english(p.url))
            if response is None:
                english[p.url] = (500, error)
                continue
            lang = re.search(r'<html lang="(\w+)"', response.get_data(as_text=True))
            english[p.url] = (response.status_code, lang and lang[1])
    return pages, english


def problems(pages: list[Page], english: dict[str, tuple[int, str | None]]) -> list[str]:
    found = []
    for p in pages:
        where = f"{p.url} (linked from {p.found_on or 'start'})"
        if p.status >= 400:
            found.append(f"{p.status} {where} {p.error}".rstrip())
        if p.html and p.status == 200 and (not p.lang or not p.title):
            found.append(f"no <html lang> or <title> on {p.url}")
        found += [f"POST form to {a!r} without CSRF field on {p.url}" for a in p.forms_without_csrf]
        status, lang = english.get(p.url, (p.status, "en"))
        if status != p.status:
            found.append(f"English answers {status} (Dutch {p.status}) on {p.url}: {lang}")
        elif lang != "en" and not DUTCH_ONLY.search(p.url):
            found.append(f"English asked, <html lang={lang!r}> on {p.url}")
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_page_renders_in_dutch_and_english(walks, role):
    pages, english = walks[role]
    assert len(pages) < CAP, "cap reached: raise CAP or tighten QUERIES_PER_PATH"
    reached = [p.url for p in pages if p.status == 200]
    missed = [r for r in REACHES[role] if not any(re.search(r, url) for url in reached)]
    assert not missed, missed
    found = problems(pages, english)
    known = {pattern: why for (r, pattern), why in KNOWN_DEFECTS.items() if r == role}
    unknown = [f for f in found if not any(re.search(k, f) for k in known)]
    assert not unknown, "\n".join(unknown)
    fixed = [why for pattern, why in known.items() if not any(re.search(pattern, f) for f in found)]
    assert not fixed, f"fixed? remove from KNOWN_DEFECTS: {fixed}"


def test_the_page_parser_sees_a_post_form_without_csrf_field_and_search_forms():
    parser = PageParser()
    parser.feed('<html lang="nl"><title>t</title><form method="post" action="/a"></form>'
                '<form method="POST" action="/b"><input name="x-csrf_token"></form>'
                '<form action="/zoek"></form><a href="/c">c</a>')
    assert parser.forms_without_csrf == ["/a"] and parser.links == ["/zoek", "/c"]
    assert parser.lang == "nl" and parser.title
