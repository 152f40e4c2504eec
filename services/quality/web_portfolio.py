"""The jobcoach's portfolio pages under "Mijn ontwikkeling".

- Portfolio: choose an own trajectory, write the reflection and three SMART learning
  goals, then preview the anonymised draft (editable Markdown and word count) or
  download it as PDF or Markdown. The text is not stored: the page posts the jobcoach's
  text each time, and a refusal shows every reason with the text kept. Every draft
  handed out is recorded without its text (drafts.py) and listed on the page.
- Zelfevaluatie: the Noloc self-evaluation (annex 1), for one of the own trajectories.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from services.kernel.auth.access import org_page
from services.kernel.domain import DomainError
from services.kernel.messages import domain_message
from services.quality.forms import PortfolioForm, SelfEvaluationForm
from services.quality.portfolio import compose, drafts
from services.quality.portfolio.api import file_response
from services.quality.portfolio.drafts_view import PortfolioDraftsView
from services.quality.portfolio.model import MAX_WORDS, MIN_WORDS
from services.quality.satisfaction import formdefs, selfeval
from services.quality.satisfaction.application import Satisfaction
from services.quality.views import _platform, own_bp, render_template


def _label(row: dict[str, Any]) -> str:
    started = row["started_on"].strftime("%m-%Y")
    label = _("%(number)s, %(commissioner)s, gestart %(started)s",
              number=row["client_number"] or _("traject"), commissioner=row["commissioner"],
              started=started)
    return label if row["ready"] else label + " " + _("(nog niet compleet)")


@own_bp.route("/portfolio", methods=["GET", "POST"])
@org_page("quality:own")
def portfolio(org: Any) -> Any:
    user_id = g.principal.user_id
    today = _platform().app(Satisfaction, org.id).today()
    rows = [{**row, "missing": [domain_message(m) for m in row["missing"]]}
            for row in compose.overview(_platform(), org.id, user_id, today)]
    form = PortfolioForm(trajectories=[(str(r["trajectory_id"]), _label(r)) for r in rows])
    if request.method == "GET" and rows:
        ready = [r for r in rows if r["ready"]]
        form.trajectory_id.data = str((ready or rows)[0]["trajectory_id"])
    draft = refused = None
    status = 200
    if form.validate_on_submit():
        goals = [compose.LearningGoal(
            goal=g_.goal.data or "", reality=g_.reality.data or "", options=g_.options.data or "",
            way_forward=g_.way_forward.data or "", criterion=g_.criterion.data or "",
            target_date=g_.target_date.data) for g_ in form.learning_goals
            if any(f.data for f in g_)]
        wanted = compose.Request(UUID(form.trajectory_id.data), form.reflection.data or "",
                                 goals)
        name = _platform().registry.user(user_id).name
        try:
            draft = compose.draft(_platform(), org.id, user_id, name, wanted, today)
        except compose.PortfolioRefusedError as error:
            refused, status = error.with_reasons(domain_message), 422
        else:
            action = request.form.get("action")
            delivered = action if action in ("pdf", "markdown") else "preview"
            generated = drafts.generate(_platform(), org.id, user_id, wanted.trajectory_id,
                                        draft, delivered)
            if delivered != "preview":
                return file_response(generated, delivered)
    elif request.method == "POST":
        status = 422
    labels = {str(r["trajectory_id"]): _label(r) for r in rows}
    stored = _platform().view(PortfolioDraftsView, org.id).drafts_of(str(user_id))
    return render_template(
        "quality/portfolio.html", active_page="ontwikkeling", form=form, rows=rows,
        draft=draft, refused=refused, limits=(MIN_WORDS, MAX_WORDS),
        max_age=compose.MAX_AGE_YEARS, drafts=stored, labels=labels,
    ), status


@own_bp.route("/zelfevaluatie", methods=["GET", "POST"])
@org_page("quality:own")
def self_evaluation(org: Any) -> Any:
    user_id = g.principal.user_id
    today = _platform().app(Satisfaction, org.id).today()
    rows = compose.overview(_platform(), org.id, user_id, today)
    form = SelfEvaluationForm(trajectories=[(str(r["trajectory_id"]), _label(r)) for r in rows])
    survey = formdefs.form(selfeval.FORM_KEY)
    if request.method == "GET":
        form.trajectory_id.data = request.args.get("traject", "")
    answers = {i.id: request.form.get(f"a-{i.id}", "") for i in survey.items}
    texts = {i.id: request.form.get(f"t-{i.id}", "") for i in survey.items if i.explanation}
    error, missing, status = None, [], 200
    if form.validate_on_submit():
        missing = [i.id for i in survey.items if not answers[i.id].strip()]
        if missing:
            numbers = ", ".join(str(n) for n, i in enumerate(survey.items, 1) if i.id in missing)
            error = _("Beantwoord vraag %(numbers)s.", numbers=numbers)
        else:
            chosen = form.trajectory_id.data
            try:
                selfeval.record(_platform(), org.id, user_id, answers, texts, None,
                                UUID(chosen) if chosen else None)
            except DomainError as refused:
                error = domain_message(refused)
            else:
                flash(_("Zelfevaluatie opgeslagen."), "success")
                return redirect(url_for("quality_own.portfolio", org=org.slug))
    if request.method == "POST":
        status = 422
        if form.csrf_token.errors:
            error = _("Het formulier is verlopen; probeer het opnieuw.")
    return render_template(
        "quality/self_evaluation.html", active_page="ontwikkeling", form=form, survey=survey,
        answers=answers if request.method == "POST" else {}, texts=texts, error=error,
        missing=set(missing),
    ), status
