"""Forms for the quality officer: register a complaint and run it through the procedure
(acknowledge, hear, decide, close), record a training, record a peer-review session.

Plain POST forms with CSRF (Flask-WTF), redirect after success with a message; a
refusal (form or domain) shows the form again with everything typed kept (422).
Routes hang on the quality blueprint of views.py.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from services.kernel.auth.access import org_page
from services.kernel.domain import DomainError
from services.quality.complaints.application import Complaints, opened
from services.quality.complaints.domainmodel import ACKNOWLEDGED, DECIDED, INVESTIGATED, RECEIVED
from services.quality.forms import (
    COMPLAINANT_KINDS,
    HEARING_KINDS,
    OUTCOMES,
    ComplaintForm,
    DecisionForm,
    HearingForm,
    PeerReviewForm,
    StepForm,
    TrainingForm,
)
from services.quality.training import overview
from services.quality.training.application import MAX_CERTIFICATE_BYTES, MEDIA_TYPES, Development
from services.quality.views import _platform, _render, bp

STEPS = {  # url part -> (form, statuses in which it may be taken)
    "ontvangst": (StepForm, (RECEIVED,)),
    "horen": (HearingForm, (ACKNOWLEDGED, INVESTIGATED)),
    "beslissen": (DecisionForm, (INVESTIGATED,)),
    "afsluiten": (StepForm, (DECIDED,)),
}


def _jobcoaches(org: Any) -> list[tuple[str, str]]:
    return [(c["user_id"], c["name"]) for c in overview.jobcoaches(_platform(), org.id)]


def _version(form: Any) -> int | None:
    value = (form.version.data or "").strip()
    return int(value) if value.isdigit() else None


# Complaints ---------------------------------------------------------------------------------
@bp.route("/klachten/nieuw", methods=["GET", "POST"])
@org_page("quality:write")
def new_complaint(org: Any) -> Any:
    app: Complaints = _platform().app(Complaints, org.id)
    form = ComplaintForm(jobcoaches=_jobcoaches(org))
    if request.method == "GET":
        form.received_on.data = app.today()
    error = None
    if form.validate_on_submit():
        try:
            complaint = app.receive(
                _platform().subject_keys(org.id),
                complainant_name=form.complainant_name.data,
                complainant_contact=form.complainant_contact.data or "",
                complainant_kind=form.complainant_kind.data, summary=form.summary.data,
                received_on=form.received_on.data,
                jobcoach_id=UUID(form.jobcoach_id.data) if form.jobcoach_id.data else None,
                trajectory_id=UUID(form.trajectory_id.data) if form.trajectory_id.data
                else None,
            )
        except DomainError as refused:
            error = str(refused)
        else:
            flash(_("Klacht geregistreerd; bevestig de ontvangst uiterlijk %(due)s.",
                    due=complaint.acknowledgement_due.strftime("%d-%m-%Y")), "success")
            return redirect(url_for("quality_web.complaint", org=org.slug,
                                    complaint_id=complaint.id))
    status = 422 if request.method == "POST" else 200
    return _render("quality/complaint_new.html", form=form, error=error), status


def _complaint_page(org: Any, complaint_id: UUID, posted: tuple[str, Any] | None = None,
                    error: str | None = None) -> Any:
    app: Complaints = _platform().app(Complaints, org.id)
    complaint = app.complaint(complaint_id)
    forms = {}
    if g.principal.may("quality:write"):
        for step, (form_class, statuses) in STEPS.items():
            if complaint.status not in statuses:
                continue
            if posted and posted[0] == step:
                forms[step] = posted[1]
                continue
            form = form_class(prefix=step, formdata=None)
            form.version.data = str(complaint.version)
            form.on.data = app.today()
            forms[step] = form
    names = {c[0]: c[1] for c in _jobcoaches(org)}
    page = _render("quality/complaint.html", c=opened(complaint, _platform().subject_keys(org.id)),
                   forms=forms, error=error, error_step=posted[0] if posted else None,
                   kinds=COMPLAINANT_KINDS, hearing_kinds=HEARING_KINDS, outcomes=OUTCOMES,
                   late=complaint.overdue(app.today()), jobcoach=names.get(
                       str(complaint.jobcoach_id)) if complaint.jobcoach_id else None)
    return page, 422 if posted else 200


@bp.get("/klachten/<uuid:complaint_id>")
@org_page("quality:read")
def complaint(org: Any, complaint_id: UUID) -> Any:
    return _complaint_page(org, complaint_id)


@bp.post("/klachten/<uuid:complaint_id>/<step>")
@org_page("quality:write")
def complaint_step(org: Any, complaint_id: UUID, step: str) -> Any:
    if step not in STEPS:
        raise DomainError(_("Onbekende stap"))
    app: Complaints = _platform().app(Complaints, org.id)
    app.complaint(complaint_id)  # 404 before anything else
    form = STEPS[step][0](prefix=step)
    if not form.validate_on_submit():
        return _complaint_page(org, complaint_id, (step, form))
    keys, version, on = _platform().subject_keys(org.id), _version(form), form.on.data
    try:
        if step == "ontvangst":
            app.acknowledge(complaint_id, on, expected_version=version)
            done = _("Ontvangst bevestigd.")
        elif step == "horen":
            app.record_hearing(keys, complaint_id, form.kind.data, form.notes.data, on,
                               expected_version=version)
            done = _("Verslag vastgelegd.")
        elif step == "beslissen":
            app.decide(keys, complaint_id, form.outcome.data, form.reasons.data, on,
                       expected_version=version)
            done = _("Beslissing vastgelegd.")
        else:
            app.close_complaint(complaint_id, on, expected_version=version)
            done = _("Klacht afgesloten.")
    except DomainError as refused:
        if type(refused).__name__ == "NotFoundError":
            raise
        return _complaint_page(org, complaint_id, (step, form), str(refused))
    flash(done, "success")
    return redirect(url_for("quality_web.complaint", org=org.slug, complaint_id=complaint_id))


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
            error = str(refused)
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
            session = app.record_peer_review(
                held_on=form.held_on.data, topic=form.topic.data,
                facilitator_id=UUID(form.facilitator_id.data), hours=form.hours.data,
                participants=[UUID(p) for p in form.participants.data or []], cases=cases,
                learning_points=(form.learning_points.data or "").splitlines(),
                actions=actions,
            )
        except DomainError as refused:
            error = str(refused)
        else:
            flash(_("Bijeenkomst vastgelegd met %(n)d deelnemers.",
                    n=len(session.participants)), "success")
            return redirect(url_for("quality_web.peer_review", org=org.slug,
                                    jaar=session.held_on.year))
    status = 422 if request.method == "POST" else 200
    return _render("quality/peer_review_new.html", form=form, error=error), status
