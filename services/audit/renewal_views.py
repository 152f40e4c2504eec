"""The renewal dashboard for management (scope reports:read), with CSV and PDF exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, render_template
from markupsafe import Markup

from services.audit import renewal, renewal_export
from services.audit.views import STATUS_CLASS
from services.kernel.auth.access import org_page

bp = Blueprint("renewal_web", __name__, template_folder="templates",
               url_prefix="/o/<org>/rapportages")


def _data(org: Any) -> dict[str, Any]:
    return renewal.dashboard(current_app.extensions["jobtrail"], org, date.today())


@bp.get("/")
@org_page("reports:read")
def dashboard(org: Any) -> Any:
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
    )


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
