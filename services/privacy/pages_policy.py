"""Pages for the processing register (art. 30: view, add, revise, retire), the retention
policy (edit, dry-run report) and the read-access log (filter by client number)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from services.kernel.auth.access import org_page
from services.kernel.domain import DomainError
from services.privacy import retention as retention_run
from services.privacy.forms import (
    ActionForm,
    ActivityForm,
    ClientFilterForm,
    PolicyForm,
    retention_field,
)
from services.privacy.forms_rights import RetentionRunForm
from services.privacy.pages import Actors, bp, done, office, page, refused
from services.privacy.vocabulary import RECORD_TYPES

NO_TRANSFERS = "Geen doorgifte buiten de EER"


# Processing register (art. 30) -------------------------------------------------------------
@bp.get("/o/<org>/privacy/verwerkingsregister")
@org_page("privacy:read")
def activities(org: Any) -> Any:
    show_all = request.args.get("alle") == "1"
    rows = office(org).registers.activities(include_retired=show_all)
    return page("activities", rows=rows, show_all=show_all,
                action=ActionForm(prefix="action-", formdata=None))


@bp.route("/o/<org>/privacy/verwerkingsregister/nieuw", methods=["GET", "POST"])
@org_page("privacy:write")
def new_activity(org: Any) -> Any:
    form = ActivityForm()
    if request.method == "GET":
        form.transfers.data = NO_TRANSFERS
    error = None
    if form.validate_on_submit():
        try:
            office(org).app.register_activity(form.entry())
        except DomainError as err:
            error = refused(err)
        else:
            done(_("Verwerking opgenomen in het register."))
            return redirect(url_for("privacy.activities", org=org.slug))
    status = 422 if request.method == "POST" else 200
    return page("activity", status, form=form, error=error, activity=None)


@bp.get("/o/<org>/privacy/verwerkingsregister/<uuid:activity_id>")
@org_page("privacy:read")
def activity(org: Any, activity_id: UUID) -> Any:
    found = office(org).app.activity(activity_id)
    form = ActivityForm(formdata=None, data={**found.entry, "version": found.version})
    return page("activity", form=form, error=None, activity=found)


@bp.post("/o/<org>/privacy/verwerkingsregister/<uuid:activity_id>")
@org_page("privacy:write")
def revise_activity(org: Any, activity_id: UUID) -> Any:
    """Revise with the version the form was loaded at: a change meanwhile is not overwritten."""
    desk = office(org)
    found = desk.app.activity(activity_id)
    form = ActivityForm()
    error = None
    if form.validate_on_submit():
        version = int(form.version.data) if str(form.version.data or "").isdigit() else None
        try:
            desk.app.on_activity(activity_id, lambda a: a.revise(form.entry()), version)
        except DomainError as err:
            error = refused(err)
        else:
            done(_("Verwerking bijgewerkt."))
            return redirect(url_for("privacy.activities", org=org.slug))
    return page("activity", 422, form=form, error=error, activity=found)


@bp.post("/o/<org>/privacy/verwerkingsregister/<uuid:activity_id>/beeindigen")
@org_page("privacy:write")
def retire_activity(org: Any, activity_id: UUID) -> Any:
    desk = office(org)
    desk.app.activity(activity_id)  # 404 for anything else
    today = desk.today().isoformat()
    try:
        desk.app.on_activity(activity_id, lambda a: a.retire(today))
    except DomainError as err:
        flash(refused(err), "error")
    else:
        done(_("Verwerking beëindigd; zij blijft zichtbaar in de geschiedenis."))
    return redirect(url_for("privacy.activities", org=org.slug))


# Retention --------------------------------------------------------------------------------
def _policy_form(desk: Any, formdata: Any = None) -> PolicyForm:
    policy = desk.app.policy()
    data = {"backup_retention_days": policy.backup_retention_days}
    data |= {retention_field(code): policy.retention.get(code) for code in RECORD_TYPES}
    return PolicyForm(formdata=formdata, data=data)


def report_sections(report: Any) -> list[dict[str, Any]]:
    """The report per record type, for the page."""
    sections = [
        {
            "record_type": "client_file",
            "months": report.rule_months,
            "due": [{"pseudonym": d["pseudonym"], "on": d["last_activity"]} for d in report.due],
            "erased": report.erased,
            "errors": report.errors,
            "kept": report.kept_open_trajectory,
        }
    ]
    complaints = report.complaints or {
        "months": None, "due": [], "erased": [], "errors": [], "kept_client_file": []
    }
    sections.append(
        {
            "record_type": "complaint_file",
            "months": complaints["months"],
            "due": [{"pseudonym": d["pseudonym"], "on": d["closed_on"]} for d in complaints["due"]],
            "erased": complaints["erased"],
            "errors": complaints["errors"],
            "kept": complaints["kept_client_file"],
        }
    )
    return sections


def due_pseudonyms(report: Any) -> list[str]:
    """What a dry run would erase: the officer confirms exactly these."""
    complaints = report.complaints["due"] if report.complaints else []
    return [d["pseudonym"] for d in [*report.due, *complaints]]


def _retention_page(org: Any, form: Any = None, report: Any = None, error: str | None = None,
                    status: int = 200, confirm: Any = None, run_error: str | None = None) -> Any:
    desk = office(org)
    form = form or _policy_form(desk)
    pseudonyms = due_pseudonyms(report) if report is not None and report.dry_run else []
    if report is not None and report.dry_run and confirm is None:
        confirm = RetentionRunForm(prefix="confirm-", formdata=None,
                                   data={"confirmed": ",".join(pseudonyms), "on": report.today})
    return page(
        "retention",
        status,
        form=form,
        run_form=ActionForm(prefix="run-", formdata=None),
        fields=[(code, getattr(form, retention_field(code))) for code in RECORD_TYPES],
        report=report,
        sections=report_sections(report) if report else [],
        error=error,
        policy=desk.app.policy(),
        confirm=confirm,
        confirm_pseudonyms=pseudonyms,
        run_error=run_error,
    )


@bp.get("/o/<org>/privacy/bewaartermijnen")
@org_page("privacy:read")
def retention(org: Any) -> Any:
    return _retention_page(org)


@bp.post("/o/<org>/privacy/bewaartermijnen")
@org_page("privacy:write")
def save_retention(org: Any) -> Any:
    desk = office(org)
    form = _policy_form(desk, request.form)
    if not form.validate_on_submit():
        return _retention_page(org, form, status=422)
    policy = desk.app.policy()
    try:
        if form.backup_retention_days.data != policy.backup_retention_days:
            desk.set_backup_retention(form.backup_retention_days.data)
        for code in RECORD_TYPES:
            months = getattr(form, retention_field(code)).data
            if months is None and code in policy.retention:
                desk.remove_retention(code)
            elif months is not None and months != policy.retention.get(code):
                desk.set_retention(code, months)
    except DomainError as err:
        return _retention_page(org, form, error=refused(err), status=422)
    done(_("Bewaarbeleid opgeslagen. Doe een proefdraai om te zien wat er gewist zou worden."))
    return redirect(url_for("privacy.retention", org=org.slug))


@bp.post("/o/<org>/privacy/bewaartermijnen/proefdraai")
@org_page("privacy:write")
def retention_dry_run(org: Any) -> Any:
    """What the daily job would erase today; nothing is erased."""
    ActionForm(prefix="run-").validate_on_submit()  # CSRF is checked app-wide already
    report = retention_run.run(office(org), dry_run=True)
    return _retention_page(org, report=report)


# Read-access log -------------------------------------------------------------------------
@bp.get("/o/<org>/privacy/inzagelog")
@org_page("privacy:read")
def access_log(org: Any) -> Any:
    desk = office(org)
    form = ClientFilterForm(request.args)
    client_id = None
    if form.nummer.data and form.validate():
        client_id = desk.client_by_number(form.nummer.data)
        if client_id is None:
            form.nummer.errors.append(_("Er is geen cliënt met dit nummer."))
    if form.nummer.errors:
        return page("access_log", 422, form=form, rows=[], numbers={}, actors=None)
    rows = desk.access_log.entries(client_id, limit=500)
    return page("access_log", form=form, rows=rows, numbers=desk.client_numbers(),
                actors=Actors(desk.platform, desk.org_id), client_id=client_id)
