"""Portfolio API for the jobcoach (scope quality:own, own trajectories only).

GET lists the own trajectories with what each still lacks; POST drafts the portfolio
as JSON with the editable Markdown, or as PDF or Markdown file. A refusal is 422 with
every reason (`reasons`) and, where it applies, the word count. Every draft handed out
is recorded (drafts.py); GET /me/portfolio/drafts lists the jobcoach's own records.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.kernel.auth.access import current_principal, org_api
from services.kernel.domain import NotFoundError
from services.kernel.http import problem
from services.kernel.messages import domain_message
from services.quality import schemas as s
from services.quality.api_common import platform
from services.quality.portfolio import compose, drafts
from services.quality.portfolio.drafts_view import PortfolioDraftsView
from services.quality.portfolio.model import MAX_WORDS, MIN_WORDS
from services.quality.satisfaction.application import Satisfaction

blp = Blueprint("quality_portfolio", __name__, url_prefix="/api/v1/orgs/<org>/quality",
                description="Portfolio Noloc Erkend Jobcoach (concept, geanonimiseerd)")
PRIVATE = {"Cache-Control": "no-store"}


def _own() -> Any:
    principal = current_principal()
    if principal.user_id is None:
        raise NotFoundError("Alleen voor een jobcoach")
    return principal.user_id


def _today(org: Any) -> Any:
    return platform().app(Satisfaction, org.id).today()


def request_of(data: dict[str, Any]) -> compose.Request:
    return compose.Request(
        trajectory_id=data["trajectory_id"], reflection=data.get("reflection") or "",
        learning_goals=[compose.LearningGoal(**goal) for goal in data.get("learning_goals", [])],
    )


def drafted(org: Any, data: dict[str, Any], delivered: str) -> Any:
    """The generated (and recorded) draft, or the refusal as a problem response."""
    user_id = _own()
    name = platform().registry.user(user_id).name
    try:
        portfolio = compose.draft(platform(), org.id, user_id, name, request_of(data),
                                  _today(org), channel="api")
    except compose.PortfolioRefusedError as error:
        refused = error.with_reasons(domain_message)
        return problem(422, domain_message(refused), reasons=refused.reasons,
                       word_count=refused.word_count)
    return drafts.generate(platform(), org.id, user_id, data["trajectory_id"], portfolio,
                           delivered)


def filename(portfolio: Any, extension: str) -> str:
    return f"portfolio-concept-{portfolio.meta[1][1]}.{extension}"


@blp.route("/me/portfolio")
class PortfolioResource(MethodView):
    @org_api("quality:own")
    def get(self, org: Any) -> Any:
        """Mijn trajecten voor het portfolio, met wat per traject nog ontbreekt"""
        rows = compose.overview(platform(), org.id, _own(), _today(org))
        return {
            "limits": {"min_words": MIN_WORDS, "max_words": MAX_WORDS,
                       "max_age_years": compose.MAX_AGE_YEARS},
            "trajectories": [{**row, "trajectory_id": str(row["trajectory_id"]),
                              "missing": [domain_message(m) for m in row["missing"]],
                              "started_on": row["started_on"].isoformat()} for row in rows],
        }, 200, PRIVATE

    @org_api("quality:own")
    @blp.arguments(s.PortfolioIn)
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Maak het concept: inhoudsopgave, woordtelling en bewerkbare tekst (Markdown)"""
        generated = drafted(org, data, "preview")
        if isinstance(generated, Response):
            return generated
        portfolio, record = generated.portfolio, generated.record
        return {
            "trajectory_id": str(data["trajectory_id"]),
            "word_count": portfolio.word_count,
            "limits": {"min_words": MIN_WORDS, "max_words": MAX_WORDS},
            "toc": [section.heading for section in portfolio.toc()],
            "markdown": portfolio.markdown(),
            "draft": {"id": str(record.id), "markdown_sha256": record.markdown_sha256,
                      "pdf_sha256": record.pdf_sha256, "anonymisation": record.anonymisation},
        }, 200, PRIVATE


@blp.route("/me/portfolio/drafts")
class DraftsResource(MethodView):
    @org_api("quality:own")
    def get(self, org: Any) -> Any:
        """Mijn vastgelegde concepten: wanneer, welk traject, woorden, SHA-256, controle"""
        rows = platform().view(PortfolioDraftsView, org.id).drafts_of(str(_own()))
        return {"drafts": [{**row, "anonymised": bool(row["anonymised"])} for row in rows]}, \
            200, PRIVATE


def file_response(generated: drafts.Generated, kind: str) -> Response:
    """The file exactly as recorded (its SHA-256 is in the draft record)."""
    if kind == "pdf":
        body, mimetype, extension = generated.pdf, "application/pdf", "pdf"
    else:
        body, mimetype = generated.markdown, "text/markdown; charset=utf-8"
        extension = "md"
    portfolio = generated.portfolio
    return Response(body, mimetype=mimetype, headers={
        **PRIVATE, "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'attachment; filename="{filename(portfolio, extension)}"',
        "X-Word-Count": str(portfolio.word_count), "X-Draft-Id": str(generated.record.id)})


@blp.route("/me/portfolio/pdf", methods=["POST"])
@org_api("quality:own")
@blp.arguments(s.PortfolioIn)
def portfolio_pdf(data: dict[str, Any], org: Any) -> Any:
    """Het concept als PDF met inhoudsopgave (met paginanummers) en de drie bijlagen"""
    generated = drafted(org, data, "pdf")
    return generated if isinstance(generated, Response) else file_response(generated, "pdf")


@blp.route("/me/portfolio/markdown", methods=["POST"])
@org_api("quality:own")
@blp.arguments(s.PortfolioIn)
def portfolio_markdown(data: dict[str, Any], org: Any) -> Any:
    """Het concept als bewerkbare tekst (Markdown)"""
    generated = drafted(org, data, "markdown")
    return generated if isinstance(generated, Response) else file_response(generated,
                                                                           "markdown")
