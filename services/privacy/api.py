"""Privacy API: data-subject requests, exports, erasure, consent, BSN and the access log.

Registers (breaches, processing activities, policy, retention) are in api_registers.py.
A BSN travels in request bodies only: URLs holding one are refused (bsn_guard).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, abort, current_app, request
from flask_smorest import Blueprint

from services.kernel.auth.access import org_api
from services.kernel.http import etag_for, expected_version, problem
from services.kernel.messages import domain_message
from services.privacy import schemas as s
from services.privacy.bsn import is_valid_bsn
from services.privacy.erasure import DecisionRequiredError, erase_client
from services.privacy.export import make_export
from services.privacy.office import PrivacyOffice

blp = Blueprint(
    "privacy_api",
    __name__,
    url_prefix="/api/v1/orgs/<org>/privacy",
    description="Privacy (AVG): verzoeken van betrokkenen, wissen, toestemming, inzagelog",
)


def office(org: Any) -> PrivacyOffice:
    return PrivacyOffice(current_app.extensions["jobtrail"], org.id)


def _tagged(body: Any, version: int, status: int = 200) -> Any:
    return body, status, {"ETag": etag_for(version)}


@blp.before_app_request
def bsn_guard() -> Any:
    """A BSN never goes into a URL (they end up in logs, proxies and browser history)."""
    if not request.path.startswith(("/api/", "/o/")):
        return None
    # Whole path segments and query values only: ids and slugs contain digit runs too.
    values = [*request.path.split("/"), *request.args.values()]
    if any(is_valid_bsn(value) for value in values if value and len(value) <= 12):
        return problem(400, "Een BSN hoort niet in een URL; stuur het in de body van een POST/PUT")
    return None


# Data-subject requests ----------------------------------------------------------------------
@blp.route("/requests", methods=["GET"])
@org_api("privacy:read")
@blp.arguments(s.RequestQuery, location="query")
@blp.response(200, s.RequestOut(many=True))
def list_requests(query: dict[str, Any], org: Any) -> Any:
    """Verzoeken van betrokkenen, open eerst op termijn; verlopen termijnen gemarkeerd"""
    desk = office(org)
    return desk.requests_view.requests(desk.today(), open_only=query["open"])


@blp.route("/requests", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.RequestIn)
@blp.response(201, s.RequestDetailOut)
def register_request(data: dict[str, Any], org: Any) -> Any:
    """Registreer een verzoek (termijn: één maand na ontvangst)"""
    desk = office(org)
    created = desk.register_request(**data)
    return _tagged(desk.request_detail(created.id, "api"), created.version, 201)


@blp.route("/requests/<uuid:request_id>", methods=["GET"])
@org_api("privacy:read")
@blp.response(200, s.RequestDetailOut)
def get_request(org: Any, request_id: UUID) -> Any:
    """Eén verzoek, met wat de verzoeker schreef (deze inzage wordt gelogd)"""
    detail = office(org).request_detail(request_id, "api")
    return _tagged(detail, detail["version"])


def _request_command(org: Any, request_id: UUID, command: Any) -> Any:
    desk = office(org)
    command(desk)
    detail = desk.request_detail(request_id, "api")
    return _tagged(detail, detail["version"])


@blp.route("/requests/<uuid:request_id>/extend", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.ReasonIn)
@blp.response(200, s.RequestDetailOut)
def extend_request(data: dict[str, Any], org: Any, request_id: UUID) -> Any:
    """Verleng de termijn met twee maanden (eenmalig, binnen de eerste maand, met reden)"""
    return _request_command(
        org, request_id, lambda d: d.extend_request(request_id, data["reason"], expected_version())
    )


@blp.route("/requests/<uuid:request_id>/start", methods=["POST"])
@org_api("privacy:write")
@blp.response(200, s.RequestDetailOut)
def start_request(org: Any, request_id: UUID) -> Any:
    """Neem het verzoek in behandeling"""
    return _request_command(
        org, request_id, lambda d: d.start_request(request_id, expected_version())
    )


@blp.route("/requests/<uuid:request_id>/complete", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.CompleteIn)
@blp.response(200, s.RequestDetailOut)
def complete_request(data: dict[str, Any], org: Any, request_id: UUID) -> Any:
    """Rond het verzoek af (uitgevoerd, gedeeltelijk of afgewezen met motivering)"""
    return _request_command(
        org,
        request_id,
        lambda d: d.complete_request(request_id, data["outcome"], data["note"], expected_version()),
    )


@blp.route("/requests/<uuid:request_id>/export", methods=["POST"])
@org_api("privacy:write")
@blp.response(201)
def export_for_request(org: Any, request_id: UUID) -> Any:
    """Maak de inzage-export (JSON + PDF) bij een inzage- of overdraagbaarheidsverzoek"""
    desk = office(org)
    client_id = desk.app.request(request_id).client_id
    export, _, _, documents = make_export(desk, client_id, request_id, "api")
    return {"export": export, "documents": documents}, 201


# Per client --------------------------------------------------------------------------------
@blp.route("/clients/<uuid:client_id>/export", methods=["POST"])
@org_api("privacy:write")
@blp.response(201)
def export_client(org: Any, client_id: UUID) -> Any:
    """Alles wat over de cliënt is vastgelegd, als JSON (de PDF staat bij de documenten)"""
    export, _, _, documents = make_export(office(org), client_id, None, "api")
    return {"export": export, "documents": documents}, 201


@blp.route("/clients/<uuid:client_id>/documents/<document_id>", methods=["GET"])
@org_api("privacy:read")
def client_document(org: Any, client_id: UUID, document_id: str) -> Any:
    """Een gemaakte export (PDF of JSON); weg na wissen"""
    desk = office(org)
    desk.check_client(client_id)
    if not document_id.isalnum():
        abort(404)
    found = desk.documents.open_sealed(client_id, document_id)
    if found is None:
        abort(404, "Document niet gevonden")
    meta, content = found
    desk.log_access(client_id, "privacy.export.download", "data_subject_request", "api")
    return Response(
        content,
        mimetype=meta["media_type"],
        headers={
            "Content-Disposition": f'attachment; filename="{meta["name"]}"',
            "Cache-Control": "no-store",
        },
    )


@blp.route("/clients/<uuid:client_id>/erasure", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.ErasureIn)
@blp.response(201)
def erase(data: dict[str, Any], org: Any, client_id: UUID) -> Any:
    """Wis de cliënt (crypto-shredding) en geef de verklaring van verwijdering"""
    try:
        outcome = erase_client(
            office(org),
            client_id,
            data["legal_basis"],
            open_trajectory_decision=data["open_trajectory_decision"],
            request_id=data["request_id"],
        )
    except DecisionRequiredError as error:
        return problem(422, domain_message(error), decision_required=True)
    import json

    body = json.loads(outcome.certificate_json)
    return {**body, "herhaald": outcome.repeated}, 200 if outcome.repeated else 201


@blp.route("/clients/<uuid:client_id>/consents", methods=["GET"])
@org_api("privacy:read")
@blp.response(200, s.ConsentOut(many=True))
def list_consents(org: Any, client_id: UUID) -> Any:
    """Toestemmingen van de cliënt per doel en ontvanger (inzage wordt gelogd)"""
    desk = office(org)
    desk.check_client(client_id)
    consents = desk.consents(client_id)
    if any(c["recipient_name"] for c in consents):
        desk.log_access(client_id, "privacy.consents", "data_subject_request", "api")
    return consents


@blp.route("/clients/<uuid:client_id>/consents", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.GivenConsentIn)
@blp.response(201, s.ConsentOut(many=True))
def give_consent(data: dict[str, Any], org: Any, client_id: UUID) -> Any:
    """Leg een gegeven toestemming vast"""
    desk = office(org)
    desk.give_consent(client_id, **data)
    return desk.consents(client_id), 201


@blp.route("/clients/<uuid:client_id>/consents/withdraw", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.ConsentRefIn)
@blp.response(200, s.ConsentOut(many=True))
def withdraw_consent(data: dict[str, Any], org: Any, client_id: UUID) -> Any:
    """Leg vast dat de cliënt een toestemming intrekt"""
    desk = office(org)
    desk.check_client(client_id)
    desk.withdraw_consent(client_id, **data)
    return desk.consents(client_id)


@blp.route("/clients/<uuid:client_id>/consent-check", methods=["GET"])
@org_api("trajectories:read")
@blp.arguments(s.ConsentRefIn, location="query")
@blp.response(200, s.DecisionOut)
def consent_check(query: dict[str, Any], org: Any, client_id: UUID) -> Any:
    """Mag dit gedeeld of getoond worden aan deze ontvanger? Met de reden"""
    desk = office(org)
    desk.check_client(client_id)
    return desk.check_consent(client_id, **query)


@blp.route("/clients/<uuid:client_id>/disclosures", methods=["POST"])
@org_api("trajectories:write")
@blp.arguments(s.DisclosureIn)
@blp.response(201, s.DecisionOut)
def disclose(data: dict[str, Any], org: Any, client_id: UUID) -> Any:
    """Deel gegevens met een ontvanger: geweigerd (422, met reden) zonder toestemming"""
    desk = office(org)
    desk.check_client(client_id)
    return desk.share(
        client_id,
        data["what"],
        data["purpose"],
        data["recipient_kind"],
        data["recipient_id"],
        data["channel"],
    ), 201


@blp.route("/clients/<uuid:client_id>/restriction", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.RestrictionIn)
@blp.response(204)
def restrict(data: dict[str, Any], org: Any, client_id: UUID) -> Any:
    """Beperk de verwerking (art. 18): delen wordt geweigerd tot opheffing"""
    desk = office(org)
    desk.check_client(client_id)
    desk.restrict(client_id, data["request_id"])


@blp.route("/clients/<uuid:client_id>/restriction", methods=["DELETE"])
@org_api("privacy:write")
@blp.response(204)
def lift_restriction(org: Any, client_id: UUID) -> Any:
    """Hef de beperking van de verwerking op"""
    desk = office(org)
    desk.check_client(client_id)
    desk.lift_restriction(client_id)


@blp.route("/clients/<uuid:client_id>/objections", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.ObjectionIn)
@blp.response(204)
def object_(data: dict[str, Any], org: Any, client_id: UUID) -> Any:
    """Leg een gegrond bezwaar tegen een doel vast (art. 21)"""
    desk = office(org)
    desk.check_client(client_id)
    desk.uphold_objection(client_id, data["purpose"], data["request_id"])


@blp.route("/clients/<uuid:client_id>/bsn", methods=["PUT"])
@org_api("privacy:write")
@blp.arguments(s.BsnIn)
@blp.response(204)
def put_bsn(data: dict[str, Any], org: Any, client_id: UUID) -> Any:
    """Leg het BSN vast (alleen als de organisatie dat met grondslag heeft aangezet)"""
    office(org).record_bsn(client_id, data["bsn"])


@blp.route("/clients/<uuid:client_id>/bsn", methods=["GET"])
@org_api("privacy:read")
@blp.response(200, s.BsnOut)
def get_bsn(org: Any, client_id: UUID) -> Any:
    """Het BSN (deze inzage wordt gelogd)"""
    desk = office(org)
    desk.check_client(client_id)
    response = {"bsn": desk.reveal_bsn(client_id, "api")}
    return response, 200, {"Cache-Control": "no-store"}


@blp.route("/clients/<uuid:client_id>/access-log", methods=["GET"])
@org_api("privacy:read")
@blp.response(200, s.AccessOut(many=True))
def client_access_log(org: Any, client_id: UUID) -> Any:
    """Wie de gegevens van de cliënt inzag, exporteerde of ontving (NEN 7513)"""
    desk = office(org)
    desk.check_client(client_id)
    return desk.access_log.entries(client_id)


@blp.route("/access-log", methods=["GET"])
@org_api("privacy:read")
@blp.response(200, s.AccessOut(many=True))
def access_log(org: Any) -> Any:
    """Het inzagelog van de hele organisatie (nieuwste eerst)"""
    return office(org).access_log.entries()
