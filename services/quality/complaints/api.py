"""Complaints API: the regulation, the register, and each step of the procedure."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from services.kernel.auth.access import org_api
from services.kernel.http import expected_version
from services.privacy.access import log_read
from services.quality import schemas as s
from services.quality.api_common import platform, with_etag
from services.quality.complaints.application import Complaints, opened
from services.quality.complaints.complainant import client_subject
from services.quality.complaints.register import ComplaintRegisterView

blp = Blueprint("quality_complaints", __name__, url_prefix="/api/v1/orgs/<org>/quality",
                description="Klachtreglement en klachten")


def _app(org: Any) -> Complaints:
    return platform().app(Complaints, org.id)


def _keys(org: Any) -> Any:
    return platform().subject_keys(org.id)


def _out(org: Any, complaint: Any, **extra: Any) -> Any:
    """The complaint with the complainant's data opened: logged as a read of that data."""
    body = {**opened(complaint, _keys(org)), **extra}
    log_read(platform(), org.id, complaint.subject_id, "complaint", "quality", "api")
    return with_etag(body, complaint.version)


@blp.route("/complaint-regulation")
class RegulationResource(MethodView):
    @org_api("quality:read")
    @blp.response(200, s.RegulationOut)
    def get(self, org: Any) -> Any:
        """Het klachtreglement met al zijn versies"""
        regulation = _app(org).regulation()
        return with_etag(regulation, regulation.version)

    @org_api("quality:write")
    @blp.arguments(s.RegulationIn)
    @blp.response(200, s.RegulationOut)
    def put(self, data: dict[str, Any], org: Any) -> Any:
        """Stel een nieuwe versie van het klachtreglement vast (termijnen als configuratie)"""
        in_force_from = data.pop("in_force_from")
        app = _app(org)
        app.adopt_regulation(data, in_force_from)
        regulation = app.regulation()
        return with_etag(regulation, regulation.version)


@blp.route("/complaints")
class ComplaintsResource(MethodView):
    @org_api("quality:read")
    @blp.arguments(s.YearQuery, location="query")
    @blp.response(200, s.RegisterRowOut(many=True))
    def get(self, query: dict[str, Any], org: Any) -> Any:
        """Klachtenregister (per jaar van ontvangst)"""
        return platform().view(ComplaintRegisterView, org.id).complaints(query["year"])

    @org_api("quality:write")
    @blp.arguments(s.ComplaintIn)
    @blp.response(201, s.ComplaintOut)
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Registreer een ontvangen klacht (persoonsgegevens worden verzegeld). Met
        `trajectory_id` en zonder `subject_id` geldt de cliënt van dat traject."""
        # The client's key also when only the trajectory is given: erasure erases it.
        data["subject_id"] = client_subject(platform(), org.id, trajectory_id=data["trajectory_id"],
                                            subject_id=data["subject_id"])
        complaint = _app(org).receive(_keys(org), **data)
        body, _, headers = _out(org, complaint)
        return body, 201, headers


@blp.route("/complaints/overdue")
class OverdueResource(MethodView):
    @org_api("quality:read")
    @blp.response(200, s.OverdueOut)
    def get(self, org: Any) -> Any:
        """Wat vandaag over de termijn is: ontvangstbevestigingen, beslissingen, verbeteracties"""
        today = _app(org).today()
        view = platform().view(ComplaintRegisterView, org.id)
        return {"on": today, "complaints": view.overdue(today),
                "actions": view.overdue_actions(today)}


@blp.route("/complaints/<uuid:complaint_id>")
class ComplaintResource(MethodView):
    @org_api("quality:read")
    @blp.response(200, s.ComplaintOut)
    def get(self, org: Any, complaint_id: UUID) -> Any:
        """Eén klacht met termijnen en verloop (versie als ETag)"""
        return _out(org, _app(org).complaint(complaint_id))


def _step(path: str, schema: Any, doc: str, run: Any) -> None:
    def post(data: dict[str, Any], org: Any, complaint_id: UUID) -> Any:
        result = run(_app(org), _keys(org), complaint_id, data, expected_version())
        if isinstance(result, tuple):
            complaint, action_id = result
            return _out(org, complaint, action_id=action_id)
        return _out(org, result)

    post.__doc__ = doc
    post.__name__ = f"complaint_{path.replace('-', '_').replace('/', '_')}"
    view = blp.response(200, s.ComplaintOut)(post)
    view = blp.arguments(schema)(view)
    view = org_api("quality:write")(view)
    blp.route(f"/complaints/<uuid:complaint_id>/{path}", methods=["POST"])(view)


_step("acknowledge", s.OnIn, "Bevestig de ontvangst",
      lambda a, k, i, d, v: a.acknowledge(i, d["on"], expected_version=v))
_step("hearings", s.HearingIn, "Leg een hoorgesprek of onderzoek vast",
      lambda a, k, i, d, v: a.record_hearing(k, i, d["kind"], d["notes"], d["on"],
                                             expected_version=v))
_step("extend", s.ExtendIn, "Verleng de beslistermijn (volgens het reglement, met reden)",
      lambda a, k, i, d, v: a.extend(k, i, d["reason"], d["on"], expected_version=v))
_step("decide", s.DecisionIn, "Beslis: gegrond, deels gegrond of ongegrond, met motivering",
      lambda a, k, i, d, v: a.decide(k, i, d["outcome"], d["reasons"], d["on"],
                                     expected_version=v))
_step("close", s.OnIn, "Sluit de klacht af",
      lambda a, k, i, d, v: a.close_complaint(i, d["on"], expected_version=v))
_step("escalate", s.EscalationIn, "Leg vast dat de klacht aan de externe instantie is voorgelegd",
      lambda a, k, i, d, v: a.escalate(k, i, d["reason"], d["on"], expected_version=v))
_step("external-ruling", s.RulingIn, "Leg de uitspraak van de externe instantie vast",
      lambda a, k, i, d, v: a.record_external_ruling(k, i, d["outcome"], d["summary"], d["on"],
                                                     expected_version=v))
_step("actions", s.ActionIn, "Voeg een verbeteractie toe (eigenaar en streefdatum)",
      lambda a, k, i, d, v: a.add_action(i, d["description"], d["owner_id"], d["due_on"],
                                         expected_version=v))


@blp.route("/complaints/<uuid:complaint_id>/actions/<action_id>/complete", methods=["POST"])
@org_api("quality:write")
@blp.arguments(s.ActionDoneIn)
@blp.response(200, s.ComplaintOut)
def complete_action(data: dict[str, Any], org: Any, complaint_id: UUID, action_id: str) -> Any:
    """Rond een verbeteractie af"""
    complaint = _app(org).complete_action(complaint_id, action_id, data["result"], data["on"],
                                          expected_version=expected_version())
    return _out(org, complaint)
