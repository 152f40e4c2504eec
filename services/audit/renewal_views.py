"""The renewal dashboard for management (scope reports:read), with CSV and PDF exports."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup
from marshmallow import ValidationError

from services.audit import renewal, renewal_export
from services.audit.application import AuditJournal
from services.audit.domainmodel import MARKS
from services.audit.evidence import norms
from services.audit.schemas import CertificateFormIn
from services.audit.views import STATUS_CLASS
from services.kernel.auth.access import org_page
from services.kernel.domain import DomainError
from services.kernel.messages import domain_message

DUTCH_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})")
bp = Blueprint("renewal_web", __name__, template_folder="templates",
               url_prefix="/o/<org>/rapportages")


def _data(org: Any) -> dict[str, Any]:
    return renewal.dashboard(current_app.extensions["jobtrail"], org, date.today())


@bp.get("/")
@org_page("reports:read")
def dashboard(org: Any) -> Any:
    return _dashboard(org)


def _dashboard(org: Any, form: dict[str, str] | None = None,
               errors: dict[str, list[str]] | None = None, status: int = 200) -> Any:
    data = _data(org)
    # Built and escaped in services/web/charts.py.
    status_chart = Markup(renewal.status_chart(data))  # noqa: S704
    kpi_charts = [
        (kpi, Markup(renewal.kpi_chart(kpi, data["months"])))  # noqa: S704
        for kpi in data["kpis"]
    ]
    hours_chart = Markup(renewal.hours_chart(data["hours"])) if data["hours"] else None  # noqa: S704
    return render_template(
        "audit/renewal.html", active_page="rapportages", data=data, status_chart=status_chart,
        kpi_charts=kpi_charts, hours_chart=hours_chart, status_class=STATUS_CLASS,
        marks=[(mark, norms()["marks"][mark]["name"]) for mark in MARKS],
        form=form or {}, errors=errors or {},
    ), status


def _iso(value: str) -> str:
    """A browser without a date picker sends what was typed: 31-12-2026 as well."""
    day = DUTCH_DATE.fullmatch(value)
    return f"{day[3]}-{day[2]}-{day[1]}" if day else value


@bp.post("/keurmerken")
@org_page("audit:write")
def set_certificate(org: Any) -> Any:
    """The web form of PUT …/audit/certificates/<mark>: same schema rules, same command."""
    typed = {k: v.strip() for k, v in request.form.items() if k != "csrf_token"}
    try:
        data = CertificateFormIn().load({k: _iso(v) for k, v in typed.items() if v})
    except ValidationError as error:
        return _dashboard(org, typed, {
            k: [str(m) for m in (v if isinstance(v, list | tuple) else [v])]
            for k, v in error.normalized_messages().items()
        }, 422)
    try:
        current_app.extensions["jobtrail"].app(AuditJournal, org.id).set_certificate(**data)
    except DomainError as error:  # e.g. longer than six years
        return _dashboard(org, typed, {"_schema": [domain_message(error)]}, 422)
    name = norms()["marks"][data["mark"]]["name"]
    flash(_("Vervaldatum van %(mark)s vastgelegd: %(day)s.", mark=name,
            day=data["expires_on"].strftime("%d-%m-%Y")), "success")
    return redirect(url_for("renewal_web.dashboard", org=org.slug) + "#keurmerken", 303)


def _attachment(body: bytes | str, mimetype: str, org: Any, extension: str) -> Response:
    name = f"hercertificering-{org.slug}-{date.today().isoformat()}.{extension}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.get("/export.csv")
@org_page("reports:read")
def export_csv(org: Any) -> Any:
    text = "\ufeff" + renewal_export.to_csv(org, _data(org))  # BOM: Excel reads UTF-8
    return _attachment(text, "text/csv", org, "csv")


@bp.get("/export.pdf")
@org_page("reports:read")
def export_pdf(org: Any) -> Any:
    return _attachment(renewal_export.to_pdf(org, _data(org)), "application/pdf", org, "pdf")
