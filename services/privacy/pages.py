"""Dutch web pages for the privacy/quality officer (read-only overview; actions via the API
for now)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, current_app, render_template

from services.kernel.auth.access import org_page
from services.privacy.office import PrivacyOffice
from services.privacy.vocabulary import (
    BREACH_RISKS,
    BREACH_STATUSES,
    ERASURE_BASES,
    REQUEST_KINDS,
    REQUEST_STATUSES,
)

bp = Blueprint("privacy", __name__, template_folder="templates")


def _office(org: Any) -> PrivacyOffice:
    return PrivacyOffice(current_app.extensions["jobtrail"], org.id)


@bp.get("/o/<org>/privacy")
@org_page("privacy:read")
def dashboard(org: Any) -> Any:
    desk = _office(org)
    today, now = desk.today(), desk.now()
    requests = desk.requests_view.requests(today)
    return render_template(
        "privacy/dashboard.html",
        active_page="privacy",
        today=today,
        open_requests=[r for r in requests if r["status"] in ("received", "in_progress")],
        done_requests=[r for r in requests if r["status"] not in ("received", "in_progress")][:20],
        breaches=desk.registers.breaches(now),
        erasures=desk.registers.erasures(),
        activities=desk.registers.activities(),
        policy=desk.app.policy(),
        labels={
            "kind": REQUEST_KINDS,
            "status": REQUEST_STATUSES,
            "risk": BREACH_RISKS,
            "breach": BREACH_STATUSES,
            "basis": ERASURE_BASES,
        },
    )


@bp.get("/o/<org>/privacy/verwijderingen/<uuid:erasure_id>.pdf")
@org_page("privacy:read")
def certificate(org: Any, erasure_id: UUID) -> Any:
    content = _office(org).documents.certificate(erasure_id, "pdf")
    if content is None:
        abort(404)
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="verklaring-verwijdering.pdf"'},
    )
