"""Forms for the quality officer: record a training, record a peer-review session (the
complaint procedure's forms are in web_complaints.py).

Plain POST forms with CSRF (Flask-WTF), redirect after success with a message; a
refusal (form or domain) shows the form again with everything typed kept (422).
Routes hang on the quality blueprint of views.py.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from services.kernel.auth.access import org_page
from services.kernel.domain import DomainError
from services.kernel.messages import domain_message
from services.quality.forms import PeerReviewForm, TrainingForm
from services.quality.training import case_names, overview
from services.quality.training.application import MAX_CERTIFICATE_BYTES, MEDIA_TYPES, Development
from services.quality.views import _platform, _render, bp


def _jobcoaches(org: Any) -> list[tuple[str, str]]:
    return [(c["user_id"], c["name"]) for c in overview.jobcoaches(_platform(), org.id)]


# Training -----------------------------------------------------------------------------------
def _certificate(upload: Any) -> tuple[str, bytes] | None:
    """The uploaded certificate, checked before anything is recorded."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    content = upload.read(MAX_CERTIFICATE_BYTES + 1)
    if len(content) > MAX_CERTIFICATE_BYTES:
        raise DomainError(_("Een certificaat mag hoogstens 2 MB zijn."))
    if not any(content.startswith(magic) for magic in MEDIA_TYPES):
        raise DomainError(_("Een certificaat is een PDF-, PNG- of JPEG-bestand."))
    return upload.filename, content


@bp.route("/scholing/nieuw", methods=["GET", "POST"])
@org_page("quality:write")
def new_training(org: Any) -> Any:
    app: Development = _platform().app(Development, org.id)
    form = TrainingForm(jobcoaches=_jobcoaches(org))
    if request.method == "GET":
        form.completed_on.data = app.today()
        form.jobcoach_id.data = request.args.get("jobcoach", "")
    error = None
    if form.validate_on_submit():
        try:
            certificate = _certificate(form.certificate.data)
            record = app.record_training(
                jobcoach_id=UUID(form.jobcoach_id.data), course=form.course.data,
                provider=form.provider.data, category=form.category.data,
                completed_on=form.completed_on.data, hours=form.hours.data,
                ects=form.ects.data or 0.0, pe_points=form.pe_points(),
            )
            if certificate:
                app.attach_certificate(record.id, *certificate)
        except DomainError as refused:
            error = domain_message(refused)
        else:
            flash(_("Scholing vastgelegd: %(course)s.", course=record.course), "success")
            return redirect(url_for("quality_web.training", org=org.slug,
                                    jaar=record.completed_on.year))
    status = 422 if request.method == "POST" else 200
    return _render("quality/training_new.html", form=form, error=error), status


# Peer review --------------------------------------------------------------------------------
@bp.route("/intervisie/nieuw", methods=["GET", "POST"])
@org_page("quality:write")
def new_peer_review(org: Any) -> Any:
    app: Development = _platform().app(Development, org.id)
    form = PeerReviewForm(jobcoaches=_jobcoaches(org))
    if request.method == "GET":
        form.held_on.data = app.today()
    error = None
    if form.validate_on_submit():
        cases = [{"label": c.title.data or "", "summary": c.summary.data or ""}
                 for c in form.cases if c.title.data or c.summary.data]
        actions = [{"description": a.what.data,
                    "owner_id": UUID(a.owner_id.data) if a.owner_id.data else None,
                    "due_on": a.due_on.data} for a in form.actions if a.what.data]
        try:
            case_names.check(_platform(), org.id, cases)
            session = app.record_peer_review(
                held_on=form.held_on.data, topic=form.topic.data,
                facilitator_id=UUID(form.facilitator_id.data), hours=form.hours.data,
                participants=[UUID(p) for p in form.participants.data or []], cases=cases,
                learning_points=(form.learning_points.data or "").splitlines(),
                actions=actions,
            )
        except DomainError as refused:
            error = domain_message(refused)
        else:
            flash(_("Bijeenkomst vastgelegd met %(n)d deelnemers.",
                    n=len(session.participants)), "success")
            return redirect(url_for("quality_web.peer_review", org=org.slug,
                                    jaar=session.held_on.year))
    status = 422 if request.method == "POST" else 200
    return _render("quality/peer_review_new.html", form=form, error=error), status
