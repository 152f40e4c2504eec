"""The public survey page /s/<token>: no account, phone first, nothing but its own form.

No organisation, name or jobcoach is shown; an unknown and a guessed token look alike
(404); a used, replaced or expired link says so (410); too many requests or unknown
tokens from one address are answered 429 with Retry-After (throttle.py). The token in the URL is the
only secret, so the form needs no CSRF token (a forger would need the token itself).

The page around the form follows the language (?lang=, the browser); the form's own
text is the versioned Dutch original and is never translated.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.kernel.domain import DomainError, NotFoundError
from services.kernel.http import problem
from services.kernel.messages import domain_message
from services.quality.satisfaction import links
from services.quality.satisfaction.throttle import throttle

bp = Blueprint("survey", __name__, template_folder="../templates")
# Why a link cannot be used, as the domain says it (Dutch), for the respondent's language.
GONE = {
    "Deze vragenlijst is al ingevuld. Bedankt voor uw medewerking!":
        _l("Deze vragenlijst is al ingevuld. Bedankt voor uw medewerking!"),
    "Deze vragenlijst is al ingevuld": _l("Deze vragenlijst is al ingevuld."),
    "Deze link is vervangen door een nieuwe link.":
        _l("Deze link is vervangen door een nieuwe link."),
    "Deze link is verlopen. Vraag zo nodig een nieuwe link aan.":
        _l("Deze link is verlopen. Vraag zo nodig een nieuwe link aan."),
}


def _platform() -> Any:
    return current_app.extensions["jobtrail"]


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _private(response: Any) -> Any:
    response.headers["Referrer-Policy"] = "no-referrer"  # the token never leaves in a Referer
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response


def _gone(status: int, message: str) -> Any:
    message = str(GONE.get(message, message))
    if _wants_json():
        return _private(problem(status, message))
    return _private(current_app.make_response(
        (render_template("quality/survey_closed.html", message=message), status)))


def _too_many(retry_after: int) -> Any:
    minutes = max(1, -(-retry_after // 60))
    message = _("Te veel verzoeken vanaf dit adres. Probeer het over %(minutes)s minuten"
                " opnieuw.", minutes=minutes)
    if _wants_json():
        response = problem(429, message)
    else:
        response = current_app.make_response(
            (render_template("quality/survey_closed.html", message=message), 429))
    response.headers["Retry-After"] = str(retry_after)
    return _private(response)


@bp.route("/s/<token>", methods=["GET", "POST"])
def form(token: str) -> Any:
    platform = _platform()
    ip = request.remote_addr or "unknown"
    verdict = throttle().request(ip)
    if not verdict.allowed:
        return _too_many(verdict.retry_after)
    try:
        _link, survey = links.open_link(platform, token)  # not "_": that is gettext
    except NotFoundError:
        throttle().missed(ip)
        return _gone(404, _("Deze link bestaat niet. Controleer of u de hele link heeft"
                            " gebruikt."))
    except links.LinkGoneError as gone:
        return _gone(410, domain_message(gone))
    if request.method == "GET":
        if _wants_json():
            return _private(jsonify(survey.as_dict()))
        return _private(current_app.make_response(_page(survey)))
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _private(problem(400, "Stuur de antwoorden als JSON-object"))
        answers, texts, comment = body.get("answers"), body.get("explanations"), body.get("comment")
    else:
        answers = {i.id: request.form.get(f"a-{i.id}", "") for i in survey.items}
        texts = {i.id: request.form.get(f"t-{i.id}", "") for i in survey.items if i.explanation}
        comment = request.form.get("comment") or None
    if comment is not None and not isinstance(comment, str):
        return _private(problem(422, "De toelichting moet tekst zijn"))
    if not request.is_json:  # say which questions are still open, in the page's language
        missing = [i.id for i in survey.items if not str(answers.get(i.id) or "").strip()]
        if missing:
            numbers = ", ".join(str(n) for n, i in enumerate(survey.items, 1) if i.id in missing)
            page = _page(survey, answers, texts, comment,
                         _("Beantwoord vraag %(numbers)s.", numbers=numbers), missing)
            return _private(current_app.make_response((page, 422)))
    try:
        links.answer(platform, token, answers, texts, comment)
    except links.LinkGoneError as gone:
        return _gone(410, domain_message(gone))
    except DomainError as refused:
        if _wants_json():
            return _private(problem(422, domain_message(refused)))
        page = _page(survey, answers, texts, comment, domain_message(refused))
        return _private(current_app.make_response((page, 422)))
    if _wants_json():
        return _private(current_app.make_response(({"status": "ontvangen"}, 201)))
    return _private(current_app.make_response(
        render_template("quality/survey_closed.html", thanks=True,
                        message=_("Hartelijk dank! Uw antwoorden zijn ontvangen."))))


def _page(survey: Any, answers: Any = None, texts: Any = None, comment: str | None = None,
          error: str | None = None, missing: list[str] | None = None) -> str:
    return render_template("quality/survey.html", form=survey, answers=answers or {},
                           texts=texts or {}, comment=comment, error=error,
                           missing=set(missing or ()))
