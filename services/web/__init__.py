"""Server-rendered web pages (Jinja + vendored htmx), Dutch first, English second.

`register_web` wires languages, security headers, the login throttle, the layout
context and the blueprints; `error_page` renders every HTML error (app.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, make_response, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from services.kernel.settings import Settings
from services.web.throttle import LoginThrottle


@dataclass
class WebState:
    throttle: LoginThrottle


def register_web(app: Flask, settings: Settings) -> None:
    from services.web import auth, i18n, pages, security, shell

    i18n.init(app, settings)
    security.init(app)
    shell.init(app)
    app.extensions["jobtrail_web"] = WebState(throttle=LoginThrottle(settings))
    app.register_blueprint(auth.bp)
    app.register_blueprint(pages.bp)


ERROR_TITLES = {
    400: _l("Dit verzoek klopt niet"),
    403: _l("Geen toegang"),
    404: _l("Pagina niet gevonden"),
    405: _l("Dit kan hier niet"),
    413: _l("Te groot"),
    429: _l("Te veel pogingen"),
    500: _l("Er ging iets mis"),
}
ERROR_TEXTS = {
    400: _l("Het verzoek kon niet worden verwerkt. Ververs de pagina en probeer het opnieuw."),
    403: _l("U heeft geen toegang tot deze pagina."),
    404: _l(
        "Deze pagina bestaat niet, of u heeft er geen toegang toe. "
        "Controleer het adres of ga terug naar de startpagina."
    ),
    405: _l("Deze actie is op deze pagina niet mogelijk."),
    413: _l("Het bestand of formulier is te groot om te verwerken."),
    429: _l("U heeft het te vaak geprobeerd. Wacht even en probeer het dan opnieuw."),
    500: _l(
        "Er ging aan onze kant iets mis. Probeer het later opnieuw; blijft het misgaan, "
        "neem dan contact op met de beheerder van uw organisatie."
    ),
}
# Only these codes show the specific reason given in code; a 404 never does, so a
# missing organisation and someone else's organisation look exactly alike.
SHOWS_DETAIL = frozenset({400, 409, 413, 422, 429})


def error_page(error: Any) -> Any:
    code = getattr(error, "code", None) or 500
    detail = None
    if isinstance(error, CSRFError):
        detail = _l("Het formulier is verlopen. Ververs de pagina en probeer het opnieuw.")
    elif (
        code in SHOWS_DETAIL
        and isinstance(error, HTTPException)
        and error.description != type(error).description
    ):
        detail = error.description
    group = code if code in ERROR_TITLES else (500 if code >= 500 else 400)
    try:
        body = render_template(
            "error.html",
            code=code,
            title=ERROR_TITLES[group],
            text=ERROR_TEXTS.get(group),
            detail=detail,
        )
    except Exception:  # the error page itself must never fail
        body = f"<!doctype html><title>Fout {code}</title><h1>Fout {code}</h1>"
    response = make_response(body, code)
    if isinstance(error, HTTPException):
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
    return response
