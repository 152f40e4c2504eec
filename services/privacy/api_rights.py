"""Privacy API, data-subject rights applied: rectification of the client's contact data
(art. 16), lifting an upheld objection (art. 21), removing a recorded BSN. Routes on
privacy_api.blp."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.kernel.auth.access import org_api
from services.kernel.http import etag_for, expected_version
from services.privacy import rectification
from services.privacy import schemas as s
from services.privacy.api import blp, office


@blp.route("/requests/<uuid:request_id>/rectification", methods=["GET"])
@org_api("privacy:read")
@blp.response(200, s.ContactOut)
def rectification_contact(org: Any, request_id: UUID) -> Any:
    """De huidige contactgegevens van de cliënt bij een rectificatieverzoek (gelogd)"""
    values, version = rectification.current_contact(office(org), request_id, "api")
    return {**values, "client_version": version}, 200, {
        "ETag": etag_for(version),
        "Cache-Control": "no-store",
    }


@blp.route("/requests/<uuid:request_id>/rectification", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.RectificationIn)
@blp.response(200, s.RectificationOut)
def rectify(data: dict[str, Any], org: Any, request_id: UUID) -> Any:
    """Verbeter de contactgegevens van de cliënt (alleen de meegestuurde velden; If-Match:
    versie van de cliënt). Het verzoek legt vast welke velden, wanneer en door wie"""
    desk = office(org)
    _updated, fields = rectification.rectify(desk, request_id, data, expected_version())
    return {"request": desk.request_detail(request_id, "api"), "rectified_fields": fields}


@blp.route("/clients/<uuid:client_id>/objections/lift", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.ObjectionLiftIn)
@blp.response(200, s.ObjectionOut)
def lift_objection(data: dict[str, Any], org: Any, client_id: UUID) -> Any:
    """Hef een gegrond bezwaar op (met reden en datum): verwerken voor dat doel mag weer"""
    desk = office(org)
    desk.check_client(client_id)
    record = desk.lift_objection(client_id, data["purpose"], data["reason"], data["lifted_on"])
    return {"objections": list(record.objections)}


@blp.route("/clients/<uuid:client_id>/bsn", methods=["DELETE"])
@org_api("privacy:write")
@blp.response(204)
def remove_bsn(org: Any, client_id: UUID) -> Any:
    """Verwijder het vastgelegde BSN van de cliënt"""
    office(org).remove_bsn(client_id)
