"""The campaign page: who must be invited, who is, and the quality officer's forms to
record the measurement period's trajectories, invite a respondent and exempt one.

An invitation is a single-use link. Without a mail server the link is shown once, on
the page that answers the form (never in a flash message: that travels in the session
cookie), with `Cache-Control: no-store`. With `JOBTRAIL_SMTP_URL` an address may be
given instead: it is sealed with the client's key and the link goes by e-mail, as over
the API. Rows name the client by client number (a pseudonym), never by name.
"""

from __future__ import annotations

import smtplib
from datetime import date
from typing import Any
from uuid import UUID

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.kernel.auth.access import org_page
from services.kernel.domain import DomainError
from services.kernel.messages import domain_message
from services.quality import sources
from services.quality.forms import (
    RESPONDENT_LABELS,
    PopulationForm,
    SurveyExemptForm,
    SurveyInviteForm,
)
from services.quality.satisfaction import links, mail
from services.quality.satisfaction.application import Satisfaction
from services.quality.satisfaction.coverage import shown_coverage
from services.quality.satisfaction.report import SatisfactionView
from services.quality.views import _platform, _render, bp

STATES = {"uitgenodigd": _l("uitgenodigd"), "vrijgesteld": _l("vrijgesteld"),
          "ontbreekt": _l("ontbreekt")}
STATUSES = {"lopend": _l("lopend"), "afgerond": _l("afgerond"), "afgebroken": _l("afgebroken")}


def _rows(org: Any, found: Any, coverage: dict[str, Any]) -> list[dict[str, Any]]:
    """The coverage rows with the client number and the date of the latest link."""
    numbers = sources.client_numbers(_platform(), org.id)
    latest: dict[tuple[str, str], str] = {}
    for invitation in found.invitations.values():
        key = (invitation["trajectory_id"], invitation["respondent"])
        latest[key] = max(latest.get(key, ""), invitation["invited_on"])  # ISO dates sort
    shown = {key: date.fromisoformat(on).strftime("%d-%m-%Y") for key, on in latest.items()}
    rows = []
    for row in coverage["rows"]:
        client_id = found.population[row["trajectory_id"]]["client_id"]
        rows.append({**row, "client": numbers.get(client_id) or row["trajectory_id"][:8],
                     "invited_on": shown.get((row["trajectory_id"], row["respondent"]))})
    return sorted(rows, key=lambda r: (r["client"], r["trajectory_id"], r["respondent"]))


def _page(org: Any, campaign_id: UUID, *, issued: dict[str, Any] | None = None,
          posted: tuple[str, Any] | None = None, error: str | None = None,
          status: int = 200) -> Any:
    found = _platform().app(Satisfaction, org.id).campaign(campaign_id)
    rates = _platform().view(SatisfactionView, org.id).response_rates(str(campaign_id))
    writable = g.principal.may("quality:write") and found.closed_on is None
    coverage = shown_coverage(_platform(), org.id, found, "web")  # reasons opened: a read
    rows = _rows(org, found, coverage)
    if posted and not any((r["trajectory_id"], r["respondent"]) == (
            posted[1].trajectory_id.data, posted[1].respondent.data) for r in rows):
        posted = None  # not a row of this table: the message goes above it
    page = _render(
        "quality/campaign.html", campaign=found, coverage=coverage,
        rows=rows, rates=rates, writable=writable, issued=issued, error=error,
        posted_action=posted[0] if posted else None, posted=posted[1] if posted else None,
        population_form=PopulationForm(formdata=None), invite_form=SurveyInviteForm(formdata=None),
        exempt_form=SurveyExemptForm(formdata=None), smtp=bool(mail.smtp_url(_platform())),
        states=STATES, statuses=STATUSES, respondents=RESPONDENT_LABELS)
    headers = {"Cache-Control": "no-store"} if issued else {}
    return page, status, headers


def _back(org: Any, campaign_id: UUID) -> Any:
    return redirect(url_for("quality_web.campaign", org=org.slug, campaign_id=campaign_id))


def _refused(form: Any) -> str:
    return " ".join(message for errors in form.errors.values() for message in errors)


@bp.get("/tevredenheid/<uuid:campaign_id>")
@org_page("quality:read")
def campaign(org: Any, campaign_id: UUID) -> Any:
    return _page(org, campaign_id)


@bp.post("/tevredenheid/<uuid:campaign_id>/populatie")
@org_page("quality:write")
def population(org: Any, campaign_id: UUID) -> Any:
    app: Satisfaction = _platform().app(Satisfaction, org.id)
    found = app.campaign(campaign_id)  # 404 before anything else
    form = PopulationForm()
    if not form.validate_on_submit():
        return _page(org, campaign_id, error=_refused(form), status=422)
    entries = sources.population(_platform(), org.id, found.period_start, found.period_end,
                                 include_running=bool(form.include_running.data))
    try:
        if not entries:
            raise DomainError(_("Geen trajecten gevonden voor deze meetperiode."))
        recorded = app.register_population(campaign_id, entries, "trajecten")
    except DomainError as refused:
        return _page(org, campaign_id, error=domain_message(refused), status=422)
    flash(_("%(n)d trajecten van de meetperiode vastgelegd.", n=len(recorded.population)),
          "success")
    return _back(org, campaign_id)


@bp.post("/tevredenheid/<uuid:campaign_id>/uitnodigen")
@org_page("quality:write")
def invite(org: Any, campaign_id: UUID) -> Any:
    found = _platform().app(Satisfaction, org.id).campaign(campaign_id)
    form = SurveyInviteForm()
    if not form.validate_on_submit():
        return _page(org, campaign_id, posted=("invite", form), error=_refused(form), status=422)
    trajectory_id, respondent = UUID(form.trajectory_id.data), form.respondent.data
    try:
        if form.email.data and mail.smtp_url(_platform()):
            return _send(org, campaign_id, form, trajectory_id, respondent)
        if form.email.data:  # the field is only shown with a mail server; never drop it silently
            raise DomainError(_("Er is geen mailserver ingesteld: laat het e-mailadres leeg."))
        made = links.invite(_platform(), org.id, campaign_id, trajectory_id, respondent)
    except DomainError as refused:
        return _page(org, campaign_id, posted=("invite", form), error=domain_message(refused),
                     status=422)
    client_id = found.population[str(trajectory_id)]["client_id"]
    issued = {"url": url_for("survey.form", token=made.token, _external=True),
              "expires_at": made.expires_at, "respondent": respondent,
              "client": sources.client_numbers(_platform(), org.id).get(client_id)}
    return _page(org, campaign_id, issued=issued)


def _send(org: Any, campaign_id: UUID, form: Any, trajectory_id: UUID, respondent: str) -> Any:
    """By e-mail: the address sealed with the client's key, the link made by the job."""
    try:
        requested = mail.request_invitation(_platform(), org.id, campaign_id, trajectory_id,
                                            respondent, form.email.data, request.url_root)
    except (OSError, smtplib.SMTPException):  # jobs inline: the mail server said no
        page, _status, headers = _page(
            org, campaign_id, posted=("invite", form), status=503,
            error=_("De mailserver is niet bereikbaar; de uitnodiging is niet verstuurd."
                    " Probeer het later opnieuw."))
        return page, 503, {**headers, "Retry-After": "60"}
    status = _platform().app(Satisfaction, org.id).email_invitation(requested.id).status
    flash(_("Uitnodiging per e-mail verstuurd.") if status == "sent"
          else _("Uitnodiging per e-mail klaargezet; zij wordt zo verstuurd."), "success")
    return _back(org, campaign_id)


@bp.post("/tevredenheid/<uuid:campaign_id>/vrijstellen")
@org_page("quality:write")
def exempt(org: Any, campaign_id: UUID) -> Any:
    app: Satisfaction = _platform().app(Satisfaction, org.id)
    app.campaign(campaign_id)  # 404 before anything else
    form = SurveyExemptForm()
    if not form.validate_on_submit():
        return _page(org, campaign_id, posted=("exempt", form), error=_refused(form), status=422)
    try:
        app.exempt(campaign_id, UUID(form.trajectory_id.data), form.respondent.data,
                   form.reason.data)
    except DomainError as refused:
        return _page(org, campaign_id, posted=("exempt", form), error=domain_message(refused),
                     status=422)
    flash(_("Vrijstelling vastgelegd."), "success")
    return _back(org, campaign_id)
