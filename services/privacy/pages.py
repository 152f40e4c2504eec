"""Dutch (and English) web pages of the privacy context: the officer's dashboard and the
helpers every privacy page shares. The pages themselves are split by subject:
pages_requests.py (data-subject requests), pages_clients.py (per client: consent,
erasure, the jobcoach's overview) and pages_registers.py (breaches, processing register,
retention, access log). Plain forms (POST, redirect, flash) that work without JavaScript.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, current_app, flash, render_template
from flask_babel import gettext as _

from services.kernel.auth.access import org_page
from services.kernel.domain import DomainError, NotFoundError
from services.kernel.messages import domain_message
from services.privacy import vocabulary
from services.privacy.clock import LOCAL
from services.privacy.labels import label
from services.privacy.office import PrivacyOffice

bp = Blueprint(
    "privacy",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/privacy",
)
OPEN = ("received", "in_progress")


def office(org: Any) -> PrivacyOffice:
    return PrivacyOffice(current_app.extensions["jobtrail"], org.id)


def fmt_date(value: Any) -> str:
    """dd-mm-jjjj for a date or an ISO string; empty for nothing."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL).date()
    if not isinstance(value, date):
        value = date.fromisoformat(str(value)[:10])
    return value.strftime("%d-%m-%Y")


def local(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(LOCAL)


def fmt_time(value: Any) -> str:
    """dd-mm-jjjj uu:mm in Dutch local time."""
    moment = local(value)
    return moment.strftime("%d-%m-%Y %H:%M") if moment else ""


def page(template: str, status: int = 200, **context: Any) -> Any:
    context.setdefault("active_page", "privacy")
    body = render_template(
        f"privacy/{template}.html",
        label=label,
        voc=vocabulary,
        fmt_date=fmt_date,
        fmt_time=fmt_time,
        **context,
    )
    return body, status


def refused(error: DomainError) -> str:
    """The message of a domain refusal; not-found is never shown as a refusal but raised."""
    if isinstance(error, NotFoundError):
        raise error
    return domain_message(error)


def done(message: str) -> None:
    flash(message, "success")


class Actors:
    """Names for the actors stamped on events ("user:<id>", "client:<id>", "system…")."""

    def __init__(self, platform: Any, org_id: UUID) -> None:
        self.platform = platform
        self.names = {m["user_id"]: m["name"] for m in platform.directory.members(org_id)}
        self.cache: dict[str, str] = {}

    def __call__(self, actor: str | None) -> str:
        if not actor:
            return ""
        if actor not in self.cache:
            self.cache[actor] = self._name(actor)
        return self.cache[actor]

    def _name(self, actor: str) -> str:
        kind, _sep, raw = actor.partition(":")
        if kind == "user":
            return self.names.get(raw) or self._former(raw)
        if kind == "client":
            try:
                return _("API-koppeling %(name)s", name=self.platform.registry.api_client(raw).name)
            except (NotFoundError, ValueError):
                return _("API-koppeling")
        return _("Jobtrail (automatisch)")

    def _former(self, raw: str) -> str:
        try:
            return self.platform.registry.user(UUID(raw)).name
        except (NotFoundError, ValueError):
            return _("Onbekende medewerker")


# Dashboard ----------------------------------------------------------------------------------
@bp.get("/o/<org>/privacy")
@org_page("privacy:read")
def dashboard(org: Any) -> Any:
    desk = office(org)
    today, now = desk.today(), desk.now()
    requests = desk.requests_view.requests(today)
    numbers = desk.client_numbers()
    return page(
        "dashboard",
        today=today,
        numbers=numbers,
        open_requests=[r for r in requests if r["status"] in OPEN],
        breaches=[b for b in desk.registers.breaches(now) if b["status"] != "closed"],
        erasures=desk.registers.erasures()[:10],
        policy=desk.app.policy(),
        activity_count=len(desk.registers.activities()),
    )


@bp.get("/o/<org>/privacy/verwijderingen/<uuid:erasure_id>.<fmt>")
@org_page("privacy:read")
def certificate(org: Any, erasure_id: UUID, fmt: str) -> Any:
    if fmt not in ("pdf", "json"):
        abort(404)
    content = office(org).documents.certificate(erasure_id, fmt)
    if content is None:
        abort(404)
    return Response(
        content,
        mimetype="application/pdf" if fmt == "pdf" else "application/json",
        headers={
            "Content-Disposition": f'attachment; filename="verklaring-verwijdering.{fmt}"'
        },
    )


# The pages register their routes on `bp` when imported.
from services.privacy import (  # noqa: E402,F401
    pages_bsn,
    pages_clients,
    pages_policy,
    pages_registers,
    pages_requests,
    pages_retention_run,
)
