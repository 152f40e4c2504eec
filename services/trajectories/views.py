"""Dutch web pages: caseload dashboard, clients, trajectory timeline with a form per
step, fast hours entry, documents. Plain forms (POST, redirect, flash): they work
without JavaScript and under the strict CSP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from marshmallow import Schema, ValidationError

from services.kernel.auth.roles import Role
from services.kernel.domain import DomainError
from services.trajectories import documents
from services.trajectories import edge as e
from services.trajectories import rules as r
from services.trajectories.caseload import CaseloadView
from services.trajectories.clients import RELATIONS
from services.trajectories.clients_view import ClientsView
from services.trajectories.presenter import timeline
from services.trajectories.schemas import (
    STEP_SCHEMAS,
    ActivityIn,
    CloseIn,
    ClosingEvaluationIn,
    ContactIn,
    FundingGrantIn,
    JobFindingIn,
    NetworkContactIn,
    ReassignIn,
    SupportNeedIn,
)
from services.trajectories.workday import WorkdayView

bp = Blueprint("trajectories_web", __name__, template_folder="templates")
LIST_FIELDS = {"participants", "goal_ids"}


def _page(name: str, **context: Any) -> str:
    return render_template(f"trajectories/{name}.html", r=r, active_page="trajecten", **context)


def _form(schema: Schema | type[Schema], data: dict[str, Any] | None = None) -> dict[str, Any]:
    """request.form through an API schema; errors become one Dutch message."""
    raw = data if data is not None else {
        k: (request.form.getlist(k) if k in LIST_FIELDS else v)
        for k, v in request.form.items() if k != "csrf_token" and v != ""
    }
    schema = schema() if isinstance(schema, type) else schema
    try:
        return schema.load(raw)
    except ValidationError as error:
        fields = ", ".join(sorted(str(k) for k in error.messages))
        raise DomainError(f"Controleer deze velden: {fields}") from None


def _coaches(org: Any) -> list[dict[str, Any]]:
    return [m for m in e.platform().directory.members(org.id) if m["role"] == Role.JOBCOACH]


def _back(org: Any, trajectory_id: UUID, anchor: str = "") -> Any:
    return redirect(url_for("trajectories_web.trajectory", org=org.slug,
                            trajectory_id=trajectory_id) + (f"#{anchor}" if anchor else ""))


def _command(org: Any, trajectory_id: UUID, anchor: str, run: Any, done: str) -> Any:
    """Run a command for the page; refusals are shown, never lost in a 500."""
    e.load_visible(org, trajectory_id)
    try:
        outcome = run()
        flash(done, "success")
        for warning in outcome if isinstance(outcome, list) else []:
            flash(warning, "info")
    except DomainError as error:
        if type(error).__name__ == "NotFoundError":
            raise
        flash(str(error), "error")
    return _back(org, trajectory_id, anchor)


# Pages -----------------------------------------------------------------------------------
@bp.get("/o/<org>/trajecten")
@e_org_page := None  # placeholder replaced below (keeps decorators readable)
def _unused() -> None:  # pragma: no cover
    pass
