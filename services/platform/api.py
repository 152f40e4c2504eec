"""Registry API: the caller's organisation and its members (from the directory view)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from services.kernel.auth.access import org_api
from services.platform.schemas import MemberOut, OrganisationOut

blp = Blueprint(
    "organisations",
    __name__,
    url_prefix="/api/v1/orgs/<org>",
    description="Organisatie en medewerkers (directory)",
)


def _directory() -> Any:
    from flask import current_app

    return current_app.extensions["jobtrail"].directory


@blp.route("")
class OrganisationResource(MethodView):
    @org_api("directory:read")
    @blp.response(200, OrganisationOut)
    def get(self, org: Any) -> Any:
        """De organisatie van het token"""
        return org


@blp.route("/members")
class MembersResource(MethodView):
    @org_api("directory:read")
    @blp.response(200, MemberOut(many=True))
    def get(self, org: Any) -> Any:
        """Medewerkers met hun rol"""
        return _directory().members(org.id)


@blp.route("/members/<uuid:user_id>")
class MemberResource(MethodView):
    @org_api("directory:read")
    @blp.response(200, MemberOut)
    def get(self, org: Any, user_id: UUID) -> Any:
        """Eén medewerker"""
        for member in _directory().members(org.id):
            if member["user_id"] == str(user_id):
                return member
        abort(404, message="Medewerker niet gevonden")
