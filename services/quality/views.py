"""Dutch web pages of the quality context (the read side; forms in web_forms.py,
web_complaints.py, web_portfolio.py and web_survey.py hang on the same blueprints).

Quality officer and manager: complaint register, satisfaction campaigns and report
(server-side SVG), training matrix, peer-review calendar, register readiness; the
quality officer also registers complaints and runs them through the procedure, records
trainings and peer-review sessions. Jobcoach: own training record, readiness, portfolio.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, render_template, request
from markupsafe import Markup

from services.kernel.auth.access import org_page
from services.quality.charts import report_chart
from services.quality.complaints.application import Complaints
from services.quality.complaints.domainmodel import OUTCOMES_NL, STATUS_NL
from services.quality.complaints.register import ComplaintRegisterView
from services.quality.satisfaction.application import Satisfaction
from services.quality.satisfaction.report import SatisfactionView
from services.quality.training import overview
from services.quality.training.view import TrainingView

bp = Blueprint("quality_web", __name__, template_folder="templates",
               url_prefix="/o/<org>/kwaliteit")
own_bp = Blueprint("quality_own", __name__, template_folder="templates",
                   url_prefix="/o/<org>/mijn-ontwikkeling")


def _platform() -> Any:
    return current_app.extensions["jobtrail"]


def _year(default: int) -> int:
    try:
        year = int(request.args.get("jaar", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _render(template: str, **context: Any) -> Any:
    return render_template(template, active_page="kwaliteit", status_nl=STATUS_NL,
                           outcomes_nl=OUTCOMES_NL, **context)


@bp.get("/")
@org_page("quality:read")
def overview_page(org: Any) -> Any:
    today = _platform().app(Complaints, org.id).today()
    register = _platform().view(ComplaintRegisterView, org.id)
    return _render("quality/overview.html", overdue=register.overdue(today),
                   actions=register.overdue_actions(today), today=today)


@bp.get("/klachten")
@org_page("quality:read")
def complaints(org: Any) -> Any:
    today = _platform().app(Complaints, org.id).today()
    register = _platform().view(ComplaintRegisterView, org.id)
    year = _year(today.year)
    late = {row["complaint_id"]: row["late"] for row in register.overdue(today)}
    return _render("quality/complaints.html", rows=register.complaints(year), late=late,
                   year=year, today=today, actions=register.overdue_actions(today))


@bp.get("/tevredenheid")
@org_page("quality:read")
def satisfaction(org: Any) -> Any:
    view = _platform().view(SatisfactionView, org.id)
    year = _year(_platform().app(Satisfaction, org.id).today().year)
    report = view.annual_report(year)
    campaigns = [{**c, "rates": view.response_rates(c["campaign_id"])} for c in view.campaigns()]
    return _render("quality/satisfaction.html", report=report, year=year, campaigns=campaigns,
                   chart=Markup(report_chart(report)))  # noqa: S704 - built and escaped in charts.py


@bp.get("/scholing")
@org_page("quality:read")
def training(org: Any) -> Any:
    year = _year(_platform().app(Complaints, org.id).today().year)
    return _render("quality/training.html", matrix=overview.training_matrix(_platform(), org.id,
                                                                            year), year=year)


@bp.get("/intervisie")
@org_page("quality:read")
def peer_review(org: Any) -> Any:
    year = _year(_platform().app(Complaints, org.id).today().year)
    return _render("quality/peer_review.html", year=year,
                   sessions=_platform().view(TrainingView, org.id).sessions(year),
                   coverage=overview.peer_review_coverage(_platform(), org.id, year))


@bp.get("/registers")
@org_page("quality:read")
def registers(org: Any) -> Any:
    return _render("quality/registers.html", people=overview.readiness_all(_platform(), org.id))


@own_bp.get("/")
@org_page("quality:own")
def own(org: Any) -> Any:
    user_id = g.principal.user_id
    return render_template(
        "quality/own.html",
        readiness=overview.readiness_for(_platform(), org.id, user_id),
        records=_platform().view(TrainingView, org.id).training_records(str(user_id)),
    )


# The pages with forms hang on the blueprints above (importing them here registers them).
from services.quality import (  # noqa: E402, F401
    web_complaints,
    web_forms,
    web_portfolio,
    web_survey,
)
