"""The complaint procedure by form: register a complaint, then every step the regulation
knows (acknowledge, hear, extend the decision term, decide, close, escalate to the external
body, its ruling, improvement actions with owner and due date, and marking them done).

Plain POST forms with CSRF (Flask-WTF), redirect after success with a message; a refusal
(form or domain) shows the page again with everything typed kept (422). The page shows
only the steps the procedure allows now; the domain has the last word. Opening the page
opens the complainant's sealed data, so every rendering is logged as a read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from services.kernel.auth.access import org_page
from services.kernel.domain import DomainError, NotFoundError
from services.kernel.messages import domain_message
from services.privacy.access import log_read
from services.quality import sources
from services.quality.complaints.application import Complaints, opened
from services.quality.complaints.complainant import client_subject
from services.quality.complaints.domainmodel import (
    ACKNOWLEDGED,
    DECIDED,
    INVESTIGATED,
    RECEIVED,
    Complaint,
)
from services.quality.forms import (
    COMPLAINANT_KINDS,
    HEARING_KINDS,
    OUTCOMES,
    ActionDoneForm,
    ActionForm,
    ComplaintForm,
    DecisionForm,
    EscalationForm,
    ExtensionForm,
    HearingForm,
    RulingForm,
    StepForm,
)
from services.quality.training import overview
from services.quality.views import _platform, _render, bp

STEPS: dict[str, type] = {  # url part -> form, in the order of the page
    "ontvangst": StepForm,
    "horen": HearingForm,
    "verlengen": ExtensionForm,
    "beslissen": DecisionForm,
    "afsluiten": StepForm,
    "extern": EscalationForm,
    "uitspraak": RulingForm,
    "actie": ActionForm,
}
DONE = "afronden-"  # prefix of the form that marks one improvement action done


def open_steps(complaint: Complaint, today: date) -> list[str]:
    """The steps the procedure allows now (the domain still checks every one)."""
    status, allowed = complaint.status, []
    if status == RECEIVED:
        allowed.append("ontvangst")
    if status in (ACKNOWLEDGED, INVESTIGATED):
        allowed.append("horen")
        if len(complaint.extensions) < complaint.terms.max_extensions:
            allowed.append("verlengen")
    if status == INVESTIGATED:
        allowed.append("beslissen")
    if status == DECIDED:
        allowed.append("afsluiten")
    if complaint.escalation is None and (complaint.decision is not None
                                         or today > complaint.decision_due):
        allowed.append("extern")
    if complaint.escalation is not None and complaint.escalation["ruling"] is None:
        allowed.append("uitspraak")
    if status != RECEIVED:
        allowed.append("actie")
    return allowed


def nl_date(value: Any) -> str:
    """A date (or ISO date text, as events keep them) as 26-11-2026."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime("%d-%m-%Y") if day else ""


def staff(org: Any) -> list[tuple[str, str]]:
    return [(m["user_id"], m["name"]) for m in _platform().directory.members(org.id)]


def _version(form: Any) -> int | None:
    value = (form.version.data or "").strip()
    return int(value) if value.isdigit() else None


def _blank(form_class: type, prefix: str, complaint: Complaint, today: date, org: Any) -> Any:
    extra = {"staff": staff(org)} if form_class is ActionForm else {}
    form = form_class(prefix=prefix, formdata=None, **extra)
    form.version.data = str(complaint.version)
    if hasattr(form, "on"):
        form.on.data = today
    return form


# Registering --------------------------------------------------------------------------------
@bp.route("/klachten/nieuw", methods=["GET", "POST"])
@org_page("quality:write")
def new_complaint(org: Any) -> Any:
    app: Complaints = _platform().app(Complaints, org.id)
    form = ComplaintForm(jobcoaches=[(c["user_id"], c["name"])
                                     for c in overview.jobcoaches(_platform(), org.id)])
    if request.method == "GET":
        form.received_on.data = app.today()
    error = None
    if form.validate_on_submit():
        trajectory_id = UUID(form.trajectory_id.data) if form.trajectory_id.data else None
        try:
            # The client's key, as over the API: erasing the client erases this complaint.
            client_id = client_subject(_platform(), org.id,
                                       client_number=form.client_number.data,
                                       trajectory_id=trajectory_id)
            if client_id is None and form.complainant_kind.data == "client":
                raise DomainError(_("Kies de cliënt: vul het cliëntnummer in of het traject"
                                    " waar de klacht over gaat."))
            complaint = app.receive(
                _platform().subject_keys(org.id),
                complainant_name=form.complainant_name.data,
                complainant_contact=form.complainant_contact.data or "",
                complainant_kind=form.complainant_kind.data, summary=form.summary.data,
                received_on=form.received_on.data,
                jobcoach_id=UUID(form.jobcoach_id.data) if form.jobcoach_id.data else None,
                trajectory_id=trajectory_id, subject_id=client_id,
            )
        except DomainError as refused:
            error = domain_message(refused)
        else:
            flash(_("Klacht geregistreerd; bevestig de ontvangst uiterlijk %(due)s.",
                    due=complaint.acknowledgement_due.strftime("%d-%m-%Y")), "success")
            return redirect(url_for("quality_web.complaint", org=org.slug,
                                    complaint_id=complaint.id))
    status = 422 if request.method == "POST" else 200
    return _render("quality/complaint_new.html", form=form, error=error,
                   client_numbers=sorted(sources.client_numbers(_platform(), org.id).values())
                   ), status


# The complaint and its steps ----------------------------------------------------------------
def _complaint_page(org: Any, complaint_id: UUID, posted: tuple[str, Any] | None = None,
                    error: str | None = None) -> Any:
    app: Complaints = _platform().app(Complaints, org.id)
    complaint = app.complaint(complaint_id)
    today = app.today()
    forms: dict[str, Any] = {}
    if g.principal.may("quality:write"):
        for step in open_steps(complaint, today):
            forms[step] = _blank(STEPS[step], step, complaint, today, org)
        for action in complaint.actions.values():
            if action["done_on"] is None:
                step = DONE + action["id"]
                forms[step] = _blank(ActionDoneForm, step, complaint, today, org)
        if posted:
            forms[posted[0]] = posted[1]
    people = dict(staff(org))
    shown = opened(complaint, _platform().subject_keys(org.id))
    # The complainant's name, contact and texts are on the page: a read of their data.
    log_read(_platform(), org.id, complaint.subject_id, "complaint", "quality", "web")
    page = _render(
        "quality/complaint.html", c=shown, forms=forms, error=error,
        error_step=posted[0] if posted else None, kinds=COMPLAINANT_KINDS,
        hearing_kinds=HEARING_KINDS, outcomes=OUTCOMES, people=people, done_prefix=DONE,
        late=complaint.overdue(today), max_extensions=complaint.terms.max_extensions,
        external_body=complaint.terms.external_body, nl_date=nl_date,
        jobcoach=people.get(str(complaint.jobcoach_id)) if complaint.jobcoach_id else None)
    return page, 422 if posted else 200


@bp.get("/klachten/<uuid:complaint_id>")
@org_page("quality:read")
def complaint(org: Any, complaint_id: UUID) -> Any:
    return _complaint_page(org, complaint_id)


def _ran(step: str, form: Any) -> Callable[[Complaints, Any, UUID, int | None], str]:
    """The command behind a step, with the message shown after it."""
    on = getattr(form, "on", None) and form.on.data

    def run(app: Complaints, keys: Any, i: UUID, v: int | None) -> str:
        if step == "ontvangst":
            app.acknowledge(i, on, expected_version=v)
            return _("Ontvangst bevestigd.")
        if step == "horen":
            app.record_hearing(keys, i, form.kind.data, form.notes.data, on, expected_version=v)
            return _("Verslag vastgelegd.")
        if step == "verlengen":
            until = app.extend(keys, i, form.reason.data, on, expected_version=v).decision_due
            return _("Beslistermijn verlengd tot %(until)s.", until=until.strftime("%d-%m-%Y"))
        if step == "beslissen":
            app.decide(keys, i, form.outcome.data, form.reasons.data, on, expected_version=v)
            return _("Beslissing vastgelegd.")
        if step == "afsluiten":
            app.close_complaint(i, on, expected_version=v)
            return _("Klacht afgesloten.")
        if step == "extern":
            app.escalate(keys, i, form.reason.data, on, expected_version=v)
            return _("Vastgelegd dat de klacht extern is voorgelegd.")
        if step == "uitspraak":
            app.record_external_ruling(keys, i, form.outcome.data, form.summary.data, on,
                                       expected_version=v)
            return _("Uitspraak van de externe instantie vastgelegd.")
        if step == "actie":
            app.add_action(i, form.description.data, UUID(form.owner_id.data),
                           form.due_on.data, expected_version=v)
            return _("Verbeteractie toegevoegd.")
        app.complete_action(i, step.removeprefix(DONE), form.result.data, on,
                            expected_version=v)
        return _("Verbeteractie afgerond.")

    return run


@bp.post("/klachten/<uuid:complaint_id>/<step>")
@org_page("quality:write")
def complaint_step(org: Any, complaint_id: UUID, step: str) -> Any:
    app: Complaints = _platform().app(Complaints, org.id)
    found = app.complaint(complaint_id)  # 404 before anything else
    if step.startswith(DONE):
        if step.removeprefix(DONE) not in found.actions:
            raise NotFoundError(_("Onbekende verbeteractie"))
        form = ActionDoneForm(prefix=step)
    elif step in STEPS:
        extra = {"staff": staff(org)} if STEPS[step] is ActionForm else {}
        form = STEPS[step](prefix=step, **extra)
    else:
        raise NotFoundError(_("Onbekende stap"))
    if not form.validate_on_submit():
        return _complaint_page(org, complaint_id, (step, form))
    try:
        done = _ran(step, form)(app, _platform().subject_keys(org.id), complaint_id,
                                _version(form))
    except NotFoundError:
        raise
    except DomainError as refused:
        return _complaint_page(org, complaint_id, (step, form), domain_message(refused))
    flash(done, "success")
    return redirect(url_for("quality_web.complaint", org=org.slug, complaint_id=complaint_id)
                    + f"#{'acties' if step.startswith(DONE) or step == 'actie' else 'verloop'}")
