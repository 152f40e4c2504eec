"""Languages: Dutch first, English second.

The locale is `?lang=` (remembered in the session), else the browser's
Accept-Language (nl, en), else the configured default (nl).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, request, session
from flask_babel import Babel, get_locale

from services.kernel.settings import Settings

LOCALES = ("nl", "en")
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}  # each in its own language
SESSION_KEY = "lang"


def init(app: Flask, settings: Settings) -> None:
    default = settings.default_locale if settings.default_locale in LOCALES else LOCALES[0]
    app.config.setdefault("BABEL_DEFAULT_LOCALE", default)
    Babel(app, locale_selector=select_locale)
    app.before_request(_remember_requested_language)
    app.jinja_env.globals.update(
        current_locale=lambda: str(get_locale() or default),
        language_links=language_links,
    )


NOT_PAGES = ("/api/", "/oauth/", "/static/")  # no session (cookie) for these


def _remember_requested_language() -> None:
    lang = request.args.get("lang")
    if request.path.startswith(NOT_PAGES) or lang not in LOCALES:
        return
    if session.get(SESSION_KEY) != lang:
        session[SESSION_KEY] = lang


def select_locale() -> str | None:
    lang = request.args.get("lang")
    if lang in LOCALES:
        return lang
    remembered = session.get(SESSION_KEY)
    if remembered in LOCALES:
        return remembered
    return request.accept_languages.best_match(LOCALES)  # None: BABEL_DEFAULT_LOCALE


def keep_language(saved: dict[str, Any]) -> None:
    """Put the language back after the session was cleared (login, logout)."""
    if saved.get(SESSION_KEY) in LOCALES:
        session[SESSION_KEY] = saved[SESSION_KEY]


def language_links() -> list[dict[str, Any]]:
    """The current page in each language, for the switcher in the header."""
    active = str(get_locale())
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    links = []
    for code in LOCALES:
        query = urlencode([*args, ("lang", code)])
        links.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "url": f"{request.path}?{query}",
                "active": code == active,
            }
        )
    return links
