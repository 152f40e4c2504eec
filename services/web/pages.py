"""The shell's own pages: start, organisation choice, organisation home, staff."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, current_app, g, redirect, render_template, url_for

from services.kernel.auth.access import org_page, session_user
from services.kernel.auth.roles import Role
from services.kernel.domain import NotFoundError
from services.web import navigation
from services.web.labels import role_label

bp = Blueprint("web", __name__)


def _platform() -> Any:
    return current_app.extensions["jobtrail"]


@bp.get("/")
def index() -> Any:
    if session_user() is None:
        return redirect(url_for("auth.login"))
    return redirect(url_for("web.organisations"))


@bp.get("/favicon.ico")
def favicon() -> Any:
    """Browsers ask for this on every page without a <link rel=icon> (e.g. /api/docs)."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/orgs")
def organisations() -> Any:
    user = session_user()
    if user is None:
        return redirect(url_for("auth.login", next=url_for("web.organisations")))
    choices = []
    for org_id, role in user.memberships.items():
        try:
            org = _platform().registry.organisation(UUID(org_id))
        except (NotFoundError, ValueError):
            continue
        choices.append({"org": org, "role": role_label(role)})
    choices.sort(key=lambda c: c["org"].name.lower())
    if len(choices) == 1:
        return redirect(url_for("web.org_home", org=choices[0]["org"].slug))
    return render_template("orgs.html", choices=choices)


@bp.get("/o/<org>/")
def org_home(org: str) -> Any:
    # An external auditor has no directory:read: their home is the audit page (which
    # re-checks the grant); everyone else gets the organisation home below.
    if _is_auditor_of(org):
        return redirect(url_for("audit_web.overview", org=org))
    return _org_home(org=org)


@org_page("directory:read")
def _org_home(org: Any) -> Any:
    return render_template(
        "org/home.html", role=role_label(g.principal.role), items=navigation.links(g.principal, org)
    )


org_home.required_scope = _org_home.required_scope  # type: ignore[attr-defined]


def _is_auditor_of(slug: str) -> bool:
    user = session_user()
    if user is None:
        return False
    try:
        organisation = _platform().registry.organisation_by_slug(slug)
    except Exception:  # unknown or malformed slug: org_page answers 404
        return False
    return user.role_in(organisation.id) == Role.AUDITOR


@bp.get("/o/<org>/medewerkers")
@org_page("directory:read")
def members(org: Any) -> Any:
    directory = _platform().directory
    rows = [
        {**member, "role_label": role_label(member["role"])}
        for member in directory.members(org.id)
    ]
    former = [
        {**member, "role_label": role_label(member["role"])}
        for member in directory.former_members(org.id)
    ]
    return render_template("org/members.html", members=rows, former=former)


@bp.get("/o/<org>/binnenkort/<page>")
@org_page("directory:read")
def coming_soon(org: Any, page: str) -> Any:
    nav_item = navigation.item(page)
    if nav_item is None or not g.principal.may(nav_item.scope):
        abort(404)
    if navigation.is_built(nav_item):
        return redirect(url_for(nav_item.endpoint, org=org.slug))
    return render_template("org/coming_soon.html", item=nav_item)
