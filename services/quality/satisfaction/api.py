"""Satisfaction API: forms, campaigns (population, invitations, exemptions), reports,
and the jobcoach's own self-evaluation."""

from __future__ import annotations

import smtplib
from typing import Any
from uuid import UUID

from flask import Response, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from services.kernel.auth.access import current_principal, org_api
from services.kernel.domain import DomainError
from services.kernel.http import problem
from services.quality import schemas as s
from services.quality import sources
from services.quality.api_common import platform, with_etag
from services.quality.charts import report_chart
from services.quality.satisfaction import formdefs, links, mail, selfeval
from services.quality.satisfaction.application import Satisfaction
from services.quality.satisfaction.coverage import shown_coverage
from services.quality.satisfaction.report import SatisfactionView

blp = Blueprint("quality_satisfaction", __name__, url_prefix="/api/v1/orgs/<org>/quality",
                description="Klanttevredenheid: vragenlijsten, metingen, links en rapportage")


def _app(org: Any) -> Satisfaction:
    return platform().app(Satisfaction, org.id)


def _campaign_out(org: Any, campaign: Any) -> Any:
    rates = platform().view(SatisfactionView, org.id).response_rates(str(campaign.id))
    body = {
        "id": campaign.id, "version": campaign.version, "name": campaign.name,
        "period_start": campaign.period_start, "period_end": campaign.period_end,
        "forms": campaign.forms, "link_valid_days": campaign.link_valid_days,
        "closed_on": campaign.closed_on,
        "coverage": shown_coverage(platform(), org.id, campaign, "api"),
        "response_rates": rates,
    }
    return with_etag(body, campaign.version)


@blp.route("/forms")
class FormsResource(MethodView):
    @org_api("quality:read")
    def get(self, org: Any) -> Any:
        """De vragenlijsten (laatste versies): Noloc zelfevaluatie en 360, UWV-beoordeling"""
        return [f.as_dict() for f in formdefs.latest_forms()]


@blp.route("/forms/<key>/<version>")
class FormResource(MethodView):
    @org_api("quality:read")
    def get(self, org: Any, key: str, version: str) -> Any:
        """Eén versie van een vragenlijst"""
        return formdefs.form(key, version).as_dict()


@blp.route("/campaigns")
class CampaignsResource(MethodView):
    @org_api("quality:read")
    def get(self, org: Any) -> Any:
        """Metingen"""
        return platform().view(SatisfactionView, org.id).campaigns()

    @org_api("quality:write")
    @blp.arguments(s.CampaignIn)
    @blp.response(201, s.CampaignOut)
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Start een meting: meetperiode en per respondent een vragenlijst"""
        campaign = _app(org).start_campaign(**data)
        body, _, headers = _campaign_out(org, campaign)
        return body, 201, headers


@blp.route("/campaigns/<uuid:campaign_id>")
class CampaignResource(MethodView):
    @org_api("quality:read")
    @blp.response(200, s.CampaignOut)
    def get(self, org: Any, campaign_id: UUID) -> Any:
        """Eén meting met dekking (wie is uitgenodigd) en respons"""
        return _campaign_out(org, _app(org).campaign(campaign_id))


@blp.route("/campaigns/<uuid:campaign_id>/population", methods=["POST"])
@org_api("quality:write")
@blp.arguments(s.PopulationIn)
@blp.response(200, s.CampaignOut)
def population(data: dict[str, Any], org: Any, campaign_id: UUID) -> Any:
    """Leg de populatie vast: alle trajecten van de meetperiode, ook afgebroken trajecten.
    Uit de trajecten (`from_trajectories`) of als lijst (`entries`)."""
    app = _app(org)
    campaign = app.campaign(campaign_id)
    if data["from_trajectories"]:
        entries = sources.population(platform(), org.id, campaign.period_start,
                                     campaign.period_end, include_running=data["include_running"])
        source = "trajecten"
    else:
        entries, source = data["entries"] or [], "opgegeven lijst"
    if not entries:
        raise DomainError("Geen trajecten gevonden voor deze meetperiode")
    return _campaign_out(org, app.register_population(campaign_id, entries, source))


@blp.route("/campaigns/<uuid:campaign_id>/invitations", methods=["POST"])
@org_api("quality:write")
@blp.arguments(s.InvitationIn)
@blp.response(201, s.InvitationOut)
def invite(data: dict[str, Any], org: Any, campaign_id: UUID) -> Any:
    """Maak een eenmalige link. De link wordt alleen nu getoond; bewaard wordt alleen de hash.
    Een nieuwe link voor dezelfde respondent vervangt de vorige. Met `email` en een
    ingestelde SMTP-server gaat de link per e-mail (202) en wordt hij niet getoond."""
    if data.get("email") and mail.smtp_url(platform()):
        try:
            sent = mail.request_invitation(platform(), org.id, campaign_id,
                                           data["trajectory_id"], data["respondent"],
                                           data["email"], request.url_root)
        except (OSError, smtplib.SMTPException):  # jobs inline: the mail server said no
            response = problem(503, "De mailserver is niet bereikbaar; de uitnodiging is niet"
                                    " verstuurd. Probeer het later opnieuw.")
            response.headers["Retry-After"] = "60"
            return response
        sent = _app(org).email_invitation(sent.id)  # inline: already sent
        return {"email_invitation_id": str(sent.id), "status": sent.status}, 202, \
            {"Cache-Control": "no-store"}
    invitation = links.invite(platform(), org.id, campaign_id, data["trajectory_id"],
                              data["respondent"])
    url = url_for("survey.form", token=invitation.token, _external=True)
    return {"invitation_id": invitation.invitation_id, "url": url,
            "expires_at": invitation.expires_at}, 201, {"Cache-Control": "no-store"}


@blp.route("/campaigns/<uuid:campaign_id>/exemptions", methods=["POST"])
@org_api("quality:write")
@blp.arguments(s.ExemptionIn)
@blp.response(200, s.CampaignOut)
def exempt(data: dict[str, Any], org: Any, campaign_id: UUID) -> Any:
    """Leg vast waarom iemand niet is uitgenodigd (bijvoorbeeld overleden)"""
    return _campaign_out(org, _app(org).exempt(campaign_id, **data))


@blp.route("/campaigns/<uuid:campaign_id>/close", methods=["POST"])
@org_api("quality:write")
@blp.response(200, s.CampaignOut)
def close(org: Any, campaign_id: UUID) -> Any:
    """Sluit de meting"""
    return _campaign_out(org, _app(org).close_campaign(campaign_id))


@blp.route("/satisfaction/<int:year>")
class ReportResource(MethodView):
    @org_api("quality:read")
    def get(self, org: Any, year: int) -> Any:
        """Jaarrapportage klanttevredenheid: aantallen, gemiddelden per onderdeel, UWV-norm 6,5"""
        return platform().view(SatisfactionView, org.id).annual_report(year)


@blp.route("/satisfaction/<int:year>/chart.svg")
class ReportChartResource(MethodView):
    @org_api("quality:read")
    def get(self, org: Any, year: int) -> Any:
        """De jaarrapportage als grafiek (SVG)"""
        report = platform().view(SatisfactionView, org.id).annual_report(year)
        return Response(report_chart(report), mimetype="image/svg+xml")


@blp.route("/me/self-evaluations", methods=["POST"])
@org_api("quality:own")
@blp.arguments(s.SelfEvaluationIn)
@blp.response(201, s.ResponseOut)
def self_evaluation(data: dict[str, Any], org: Any) -> Any:
    """Vul als jobcoach de Noloc-zelfevaluatie in (voor het portfolio), bij een eigen traject"""
    principal = current_principal()
    if principal.user_id is None:
        raise DomainError("Alleen een jobcoach vult een zelfevaluatie in")
    return selfeval.record(platform(), org.id, principal.user_id, data["answers"],
                           data["explanations"], data["comment"], data["trajectory_id"]), 201


@blp.route("/email-invitations/<uuid:invitation_id>")
@org_api("quality:read")
@blp.response(200, s.EmailInvitationOut)
def email_invitation(org: Any, invitation_id: UUID) -> Any:
    """Status van een uitnodiging per e-mail (aangevraagd, verstuurd, niet verstuurd)"""
    return _app(org).email_invitation(invitation_id).as_dict()
