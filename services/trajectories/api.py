"""Trajectories API: start, read, hand over. A jobcoach sees only the own caseload."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from services.kernel.auth.access import current_principal, org_api
from services.kernel.auth.roles import Role
from services.kernel.domain import DomainError, NotFoundError
from services.kernel.http import etag_for, expected_version
from services.trajectories.caseload import CaseloadView
from services.trajectories.domainmodel import Trajectory
from services.trajectories.schemas import (
    CaseloadItemOut,
    ReassignIn,
    TrajectoryIn,
    TrajectoryOut,
)

blp = Blueprint(
    "trajectories",
    __name__,
    url_prefix="/api/v1/orgs/<org>/trajectories",
    description="Trajecten (begeleidingstrajecten)",
)


def _platform() -> Any:
    return current_app.extensions["jobtrail"]


def _visible(trajectory: Trajectory) -> Trajectory:
    """A jobcoach's token sees the own caseload only; others simply do not exist."""
    principal = current_principal()
    if not principal.sees_whole_organisation and (
        trajectory.responsible_jobcoach != principal.user_id
    ):
        raise NotFoundError("Traject niet gevonden")
    return trajectory


def _check_jobcoach(org: Any, user_id: UUID) -> None:
    try:
        role = _platform().registry.user(user_id).role_in(org.id)
    except NotFoundError:
        role = None
    if role != Role.JOBCOACH:
        raise DomainError("De verantwoordelijke moet een jobcoach van deze organisatie zijn")


def _with_etag(trajectory: Trajectory) -> tuple[Trajectory, int, dict[str, str]]:
    return trajectory, 200, {"ETag": etag_for(trajectory.version)}


@blp.route("")
class TrajectoriesResource(MethodView):
    @org_api("trajectories:read")
    @blp.response(200, CaseloadItemOut(many=True))
    def get(self, org: Any) -> Any:
        """Open trajecten (een jobcoach: de eigen caseload)"""
        principal = current_principal()
        view = _platform().view(CaseloadView, org.id)
        return view.open_trajectories(
            None if principal.sees_whole_organisation else principal.user_id
        )

    @org_api("trajectories:write")
    @blp.arguments(TrajectoryIn)
    @blp.response(201, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Start een traject"""
        _check_jobcoach(org, data["responsible_jobcoach"])
        trajectory = _platform().trajectories(org.id).start_trajectory(**data)
        return trajectory, 201, {"ETag": etag_for(trajectory.version)}


@blp.route("/<uuid:trajectory_id>")
class TrajectoryResource(MethodView):
    @org_api("trajectories:read")
    @blp.response(200, TrajectoryOut)
    def get(self, org: Any, trajectory_id: UUID) -> Any:
        """Eén traject, met de versie als ETag"""
        return _with_etag(_visible(_platform().trajectories(org.id).trajectory(trajectory_id)))


@blp.route("/<uuid:trajectory_id>/reassign")
class ReassignResource(MethodView):
    @org_api("trajectories:write")
    @blp.arguments(ReassignIn)
    @blp.response(200, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Draag het traject warm over aan een andere jobcoach (If-Match: versie)"""
        app = _platform().trajectories(org.id)
        _visible(app.trajectory(trajectory_id))
        _check_jobcoach(org, data["jobcoach"])
        trajectory = app.reassign(
            trajectory_id,
            data["jobcoach"],
            data["handover_note"],
            expected_version=expected_version(),
        )
        return _with_etag(trajectory)
