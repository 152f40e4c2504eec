"""The page crawl's machinery: the demo organisation as `jobtrail demo` builds it (plus an
auditor with a grant), a signed-in test client per role, and a breadth-first walk over
every same-origin link a page renders."""

from __future__ import annotations

import re
import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from services.demo import DEMO_PASSWORD, DEMO_SLUG, STAFF
from tests import web_support

AUDITOR_EMAIL = "ada.auditor@keurmerk.example"
# GET never logs out (logout is a POST form), but a link to it must never be followed.
NEVER_FOLLOW = re.compile(r"^/logout\b")
# Pagination and date navigation render one template many times: a few variants suffice.
QUERIES_PER_PATH = 3


def demo_site(data_dir: Path) -> tuple[Any, Any, dict[str, str]]:
    """(app, platform, role → e-mail): the demo data, exactly as `jobtrail demo` seeds it."""
    from services.app import create_app
    from services.audit.api import grant_auditor
    from services.catalogue import Platform
    from services.demo import seed
    from services.kernel import context
    from services.kernel.settings import embedded_settings

    settings = embedded_settings(data_dir, session_cookie_secure=False, testing=True)
    platform = Platform(settings)
    seed(platform)
    app = create_app(settings, platform)
    # The demo has no auditor: one gets a running grant, the way an officer grants one.
    platform.registry.register_user(AUDITOR_EMAIL, "Ada Auditor", DEMO_PASSWORD)
    org = platform.registry.organisation_by_slug(DEMO_SLUG)
    now = datetime.now(UTC)
    with app.test_request_context(), context.acting(org.id, "user:crawl"):
        grant_auditor(org, AUDITOR_EMAIL, "blik-op-werk", now - timedelta(hours=1),
                      now + timedelta(hours=8))
    logins = {role.value: email for email, _, role in STAFF} | {"auditor": AUDITOR_EMAIL}
    return app, platform, logins


def signed_in(app: Any, email: str) -> Any:
    return web_support.signed_in(app, email, password=DEMO_PASSWORD)


class PageParser(HTMLParser):
    """Links (and GET form actions), <html lang>, <title>, POST forms without CSRF field."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.lang: str | None = None
        self.title = False
        self.forms_without_csrf: list[str] = []
        self._form: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self.title = True
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action", ""), "csrf": False}
        elif tag == "form" and a.get("action"):  # a search form, submitted empty
            self.links.append(a["action"])
        elif tag == "input" and self._form and a.get("name", "").endswith("csrf_token"):
            self._form["csrf"] = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form:
            if not self._form["csrf"]:
                self.forms_without_csrf.append(self._form["action"])
            self._form = None


@dataclass
class Page:
    url: str
    status: int
    html: bool
    found_on: str  # the page that rendered the link ("" for the start page)
    lang: str | None = None
    title: bool = False
    forms_without_csrf: list[str] = field(default_factory=list)
    error: str = ""  # the exception behind a 500


def get(client: Any, url: str) -> tuple[Any, str]:
    """The response, or None and the exception of a 500 (testing mode propagates it)."""
    try:
        return client.get(url), ""
    except Exception as error:  # noqa: BLE001  (any crash is a finding, the walk goes on)
        return None, "".join(traceback.format_exception_only(error)).strip()


def same_origin(href: str, base: str) -> str | None:
    """The path+query of a same-origin link, without fragment and language switch."""
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("http", "https") or parts.netloc not in ("localhost", ""):
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k != "lang"])
    return urlunsplit(("", "", parts.path, query, ""))


def crawl(client: Any, start: str, cap: int) -> list[Page]:
    """Every page reachable from `start` by GET (redirects count as links), at most `cap`."""
    seen, queue, pages = {start}, deque([(start, "")]), []
    variants: Counter[str] = Counter()
    while queue and len(pages) < cap:
        url, found_on = queue.popleft()
        response, error = get(client, url)
        if response is None:
            pages.append(Page(url, 500, False, found_on, error=error))
            continue
        html = response.mimetype == "text/html"
        page = Page(url, response.status_code, html, found_on)
        pages.append(page)
        links = [response.headers["Location"]] if response.status_code in (301, 302, 303) else []
        if html and response.status_code < 300:
            parser = PageParser()
            parser.feed(response.get_data(as_text=True))
            page.lang, page.title = parser.lang, parser.title
            page.forms_without_csrf = parser.forms_without_csrf
            links = parser.links
        for href in links:
            target = same_origin(href, "http://localhost" + url)
            if not target or target in seen or NEVER_FOLLOW.match(target):
                continue
            path = target.split("?")[0]
            if "?" in target and variants[path] >= QUERIES_PER_PATH:
                continue
            variants[path] += "?" in target
            seen.add(target)
            queue.append((target, url))
    return pages


def in_english(url: str) -> str:
    return url + ("&" if "?" in url else "?") + "lang=en"
