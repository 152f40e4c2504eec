"""The real retention run from the officer's page, after a dry run: the officer confirms
exactly the files the dry run showed, on the day it was made. With Redis it runs as an
RQ job whose progress the status page shows; on the embedded default (no Redis) it runs
inline and the page shows what it erased. Pseudonyms only, on pages and in the job."""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import abort, current_app, redirect, request, url_for
from flask_babel import gettext as _

from services.kernel.auth.access import org_page
from services.privacy import retention
from services.privacy.forms_rights import RetentionRunForm
from services.privacy.pages import bp, office, page
from services.privacy.pages_policy import _retention_page, report_sections

RUN_ID = re.compile(r"^[0-9a-f]{32}$")
JOB = "services.privacy.jobs:retention_run"


def _job_id(run_id: str) -> str:
    return f"retention-{run_id}"


@bp.post("/o/<org>/privacy/bewaartermijnen/uitvoeren")
@org_page("privacy:write")
def retention_run_now(org: Any) -> Any:
    desk = office(org)
    form = RetentionRunForm(prefix="confirm-")
    today = desk.today().isoformat()
    if not form.validate_on_submit():
        dry = retention.run(desk, dry_run=True)  # a fresh dry run to confirm
        return _retention_page(org, report=dry, status=422, confirm=_fresh(dry, form))
    confirmed = [p for p in (form.confirmed.data or "").split(",") if p]
    refusal = None
    if form.on.data != today:
        refusal = _("De proefdraai is van een andere dag. Controleer de nieuwe proefdraai en"
                    " bevestig opnieuw.")
    elif not confirmed:
        refusal = _("Er is niets te wissen.")
    if refusal:
        dry = retention.run(desk, dry_run=True)
        return _retention_page(org, report=dry, status=422, run_error=refusal)
    jobs = current_app.extensions["jobtrail"].jobs
    if jobs.inline:  # the embedded default: run it now and show what was erased
        report = retention.run(desk, only=set(confirmed))
        return _retention_page(org, report=report)
    run_id = uuid.uuid4().hex
    queued = jobs.enqueue(JOB, org.id, "", today, ",".join(confirmed), job_id=_job_id(run_id))
    if queued is None:
        dry = retention.run(desk, dry_run=True)
        return _retention_page(org, report=dry, status=503, run_error=_(
            "De achtergrondtaak kon niet worden gestart; er is niets gewist. Probeer het later"
            " opnieuw."))
    return redirect(url_for("privacy.retention_run_status", org=org.slug, id=run_id))


def _fresh(dry: Any, posted: RetentionRunForm) -> RetentionRunForm:
    """The confirmation of a new dry run, keeping the errors of the refused one."""
    from services.privacy.pages_policy import due_pseudonyms

    form = RetentionRunForm(prefix="confirm-", formdata=None,
                            data={"confirmed": ",".join(due_pseudonyms(dry)), "on": dry.today})
    form.confirm.errors = list(posted.confirm.errors)
    return form


@bp.get("/o/<org>/privacy/bewaartermijnen/uitvoering")
@org_page("privacy:read")
def retention_run_status(org: Any) -> Any:
    """Progress of a queued run, then what it erased."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    run_id = request.args.get("id", "")
    jobs = current_app.extensions["jobtrail"].jobs
    if not RUN_ID.match(run_id) or jobs.inline:
        abort(404)
    try:
        job = Job.fetch(_job_id(run_id), connection=jobs.queue.connection)
    except NoSuchJobError:
        abort(404)
    if job.func_name != "services.kernel.jobs.run" or tuple(job.args[:2]) != (JOB, str(org.id)):
        abort(404)  # another organisation's run, or not a retention run at all
    found = job.get_status()
    status = str(getattr(found, "value", found))  # an enum in rq 2+: "finished", not its repr
    report = None
    if status == "finished":
        report = retention.RetentionReport.from_dict(job.return_value())
    waiting = status in ("queued", "started", "deferred", "scheduled")
    body, code = page(
        "retention_run",
        job_status=status,
        progress=job.meta.get("progress") or {},
        report=report,
        sections=report_sections(report) if report else [],
    )
    return body, code, ({"Refresh": "2"} if waiting else {})  # the page follows the job
