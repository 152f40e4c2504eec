"""Clients API: register, read (opened for those who may), search, support need,
network contacts with consent. Personal data is sealed before it is stored."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from services.kernel.auth.access import org_api
from services.kernel.http import etag_for, expected_version
from services.trajectories import edge as e
from services.trajectories.clients_view import ClientsView
from services.trajectories.schemas import (
    ClientListItemOut,
    ClientOut,
    ClientQueryIn,
    ConsentIn,
    ContactIn,
    NetworkContactIn,
    SupportNeedIn,
)

blp = Blueprint(
    "trajectory_clients",
    __name__,
    url_prefix="/api/v1/orgs/<org>/clients",
    description="Cliënten: identiteit en contact (versleuteld per cliënt), ondersteuningsbehoefte,"
    " netwerk met toestemming",
)


def client_out(org: Any, client: Any) -> dict[str, Any]:
    opener = e.trajectories(org).opener()
    contact = {k: opener.open(v) for k, v in client.contact.items()}
    return {
        "id": client.id,
        "version": client.version,
        "number": client.number,
        **contact,
        "limitations": opener.open(client.limitations),
        "possibilities": opener.open(client.possibilities),
        "network": [
            {**c, "name": opener.open(c["name"])} for c in client.network.values()
        ],
    }


def _answer(org: Any, client: Any, status: int = 200) -> Any:
    """The whole client, opened: every answer with it (reads and writes) is a logged read."""
    answer = client_out(org, client)
    e.log_read(org, client.id, "client.profile")
    return answer, status, {"ETag": etag_for(client.version)}


def _contact(data: dict[str, Any]) -> dict[str, Any]:
    birth = data.get("date_of_birth")
    return {**data, "date_of_birth": birth.isoformat() if birth else None}


@blp.route("")
class ClientsResource(MethodView):
    @org_api("trajectories:read")
    @blp.arguments(ClientQueryIn, location="query")
    @blp.response(200, ClientListItemOut(many=True))
    def get(self, query: dict[str, Any], org: Any) -> Any:
        """Cliënten, te zoeken op naam of cliëntnummer (een jobcoach: de eigen)"""
        view = e.platform().view(ClientsView, org.id)
        allowed = e.client_filter(org)
        rows = [row for row in view.clients(e.trajectories(org).opener(), query["q"])
                if allowed(row["client_id"])]
        # Names are answered: one read per client listed, in one transaction.
        e.log_reads(org, [UUID(row["client_id"]) for row in rows],
                    "client.search" if query["q"].strip() else "client.list")
        return rows

    @org_api("trajectories:write")
    @blp.arguments(ContactIn)
    @blp.response(201, ClientOut)
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Registreer een cliënt (krijgt een cliëntnummer, bv. C-0001)"""
        return _answer(org, e.trajectories(org).register_client(_contact(data)), 201)


@blp.route("/<uuid:client_id>")
class ClientResource(MethodView):
    @org_api("trajectories:read")
    @e.guard_client
    @blp.response(200, ClientOut)
    def get(self, org: Any, client_id: UUID) -> Any:
        """Eén cliënt; na wissing staat er '[gewist]' (het inzien wordt gelogd)"""
        return _answer(org, e.trajectories(org).client(client_id))


@blp.route("/<uuid:client_id>/contact")
class ContactResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_client
    @blp.arguments(ContactIn)
    @blp.response(200, ClientOut)
    def put(self, data: dict[str, Any], org: Any, client_id: UUID) -> Any:
        """Identiteit en contactgegevens herzien (If-Match)"""
        return _answer(org, e.trajectories(org).revise_client_contact(
            client_id, _contact(data), expected_version=expected_version()))


@blp.route("/<uuid:client_id>/support-need")
class SupportNeedResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_client
    @blp.arguments(SupportNeedIn)
    @blp.response(200, ClientOut)
    def put(self, data: dict[str, Any], org: Any, client_id: UUID) -> Any:
        """Ondersteuningsbehoefte: functionele beperkingen en mogelijkheden, geen diagnoses"""
        return _answer(org, e.trajectories(org).describe_support_need(
            client_id, data["limitations"], data["possibilities"],
            expected_version=expected_version()))


@blp.route("/<uuid:client_id>/network")
class NetworkResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_client
    @blp.arguments(NetworkContactIn)
    @blp.response(201, ClientOut)
    def post(self, data: dict[str, Any], org: Any, client_id: UUID) -> Any:
        """Netwerkcontact met de toestemming van de cliënt om contact op te nemen"""
        return _answer(org, e.trajectories(org).add_network_contact(
            client_id, expected_version=expected_version(), **data), 201)


@blp.route("/<uuid:client_id>/network/consent")
class ConsentResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_client
    @blp.arguments(ConsentIn)
    @blp.response(200, ClientOut)
    def post(self, data: dict[str, Any], org: Any, client_id: UUID) -> Any:
        """Toestemming voor een netwerkcontact geven of intrekken"""
        return _answer(org, e.trajectories(org).change_consent(
            client_id, data["contact_id"], data["consent"], data["on"],
            expected_version=expected_version()))
