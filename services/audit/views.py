"""Dutch web pages of the audit context, for external auditors and staff with audit:read.

Every page is `@org_page("audit:read")` + `@auditor_checked(...)`: an auditor's grant is
loaded fresh on every request (expired, revoked, other mark → 404) and every page an
auditor opens is journalled, so it lands in the trail like every other event. Clients
appear as pseudonyms (client number), never by name.

Checking the log ("Nu controleren") only reads the organisation's events and records the
outcome: an auditor may start it, like asking for an evidence pack.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from services.audit import browse
from services.audit.access import auditor_checked, is_auditor
from services.audit.evidence import norms
from services.audit.trail import AuditLog
from services.kernel.auth.access import org_page
from services.kernel.domain import NotFoundError

bp = Blueprint("audit_web", __name__, template_folder="templates", url_prefix="/o/<org>/audit")
assets = Blueprint("audit_assets", __name__, static_folder="static",
                   static_url_path="/static/audit")
STATUS_CLASS = {"voldaan": "ok", "risico": "risk", "niet voldaan": "bad",
                "geen gegevens": "none", "info": "info"}


def _platform() -> Any:
    return current_app.extensions["jobtrail"]


def _render(template: str, **context: Any) -> Any:
    grant = g.get("audit_grant")
    mark_name = norms()["marks"][grant.mark]["name"] if grant is not None else ""
    return render_template(template, active_page="audit", grant=grant,
                           grant_mark_name=mark_name, status_class=STATUS_CLASS, **context)


def _may_verify() -> bool:
    return is_auditor() or g.principal.may("audit:write")


@bp.get("/")
@org_page("audit:read")
@auditor_checked("page.overview")
def overview(org: Any) -> Any:
    log = AuditLog(_platform(), org.id)
    log.catch_up()
    size, _ = log.view.head()
    checkpoints = log.view.checkpoints()
    verifications = log.view.verifications(limit=5)
    return _render(
        "audit/overview.html", size=size, checkpoint=checkpoints[-1] if checkpoints else None,
        checkpoints=len(checkpoints), verification=verifications[0] if verifications else None,
        verifications=verifications, vkey=log.vkey(), may_verify=_may_verify(),
        marks=norms()["marks"],
    )


@bp.post("/controle")
@org_page("audit:read")
@auditor_checked("page.verify")
def verify_now(org: Any) -> Any:
    if not _may_verify():
        abort(404)
    log = AuditLog(_platform(), org.id)
    log.catch_up()
    log.checkpoint()  # sign the tail first, so the check covers every event stored now
    result = log.verify()
    if result.ok:
        flash(f"Controle geslaagd: {result.tree_size} gebeurtenissen en {result.checkpoints} "
              "checkpoints kloppen met de opslag.", "success")
    else:
        flash(f"Controle mislukt: {len(result.problems)} probleem/problemen gevonden. "
              "De kwaliteitsfunctionaris is gewaarschuwd.", "error")
    return redirect(url_for("audit_web.overview", org=org.slug))


@bp.get("/checkpoint.txt")
@org_page("audit:read")
@auditor_checked("page.checkpoint")
def latest_checkpoint(org: Any) -> Any:
    checkpoint = AuditLog(_platform(), org.id).view.checkpoint()
    if checkpoint is None:
        abort(404)
    name = f"checkpoint-{int(checkpoint['tree_size']):012d}.txt"
    return Response(checkpoint["note"], mimetype="text/plain",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.get("/spoor")
@org_page("audit:read")
@auditor_checked("page.trail")
def trail(org: Any) -> Any:
    platform = _platform()
    apps = [t.app.name for t in platform.audit_trails(org.id)]
    wanted = browse.TrailFilter.from_args(request.args, apps)
    page = browse.browse(platform, org.id, wanted) if not wanted.problems else None
    next_url = None
    if page and page["next_start"] is not None:
        next_url = url_for("audit_web.trail", org=org.slug, vanaf=page["next_start"],
                           **wanted.query())
    return _render(
        "audit/trail.html", wanted=wanted, page=page, next_url=next_url,
        apps=[(name, browse.APP_LABELS.get(name, name)) for name in apps],
        event_types=browse.event_types(AuditLog(platform, org.id)),
        actor_kinds=browse.ACTOR_KINDS,
    )


@bp.get("/bewijs/inclusie")
@org_page("audit:read")
@auditor_checked("page.inclusion")
def inclusion(org: Any) -> Any:
    """The inclusion proof of one leaf, in jobtrail-verify's --inclusion format."""
    try:
        leaf_index = int(request.args.get("blad", ""))
        tree_size = int(request.args["grootte"]) if request.args.get("grootte") else None
    except ValueError:
        abort(404)
    log = AuditLog(_platform(), org.id)
    latest = log.view.checkpoint()
    if tree_size is None and (latest is None or leaf_index >= int(latest["tree_size"])):
        log.checkpoint()  # the leaf is newer than the last checkpoint: sign the tail
    try:
        proof = log.inclusion(leaf_index, tree_size)
    except (NotFoundError, ValueError):
        abort(404)
    body = json.dumps(proof, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f"attachment; filename=inclusiebewijs-{leaf_index}.json"})


def _period() -> tuple[date, date, list[str]]:
    problems = []
    end, start = date.today(), None
    try:
        if request.args.get("tot"):
            end = date.fromisoformat(request.args["tot"])
        if request.args.get("van"):
            start = date.fromisoformat(request.args["van"])
    except ValueError:
        problems.append("Geef de periode als jjjj-mm-dd")
    start = start or end - timedelta(days=365)
    if start > end:
        problems.append("De meetperiode begint na het einde")
    return start, end, problems


@bp.get("/bewijs")
@org_page("audit:read")
@auditor_checked("page.evidence")
def evidence(org: Any) -> Any:
    from services.audit.evidence import build_pack

    marks = norms()["marks"]
    grant = g.get("audit_grant")
    mark = grant.mark if grant is not None else request.args.get("mark", "blik-op-werk")
    if mark not in marks:
        abort(404)
    start, end, problems = _period()
    pack = None if problems else build_pack(_platform(), org, mark, start, end)
    if pack:
        _label_events(org, pack)
    return _render("audit/evidence.html", pack=pack, mark=mark, marks=marks, start=start,
                   end=end, problems=problems)


def _label_events(org: Any, pack: dict[str, Any]) -> None:
    from projections.renewal_facts import TrajectoryFactsView

    ids = sorted({e["originator_id"] for r in pack["requirements"] for e in r["events"]})
    numbers = _platform().view(TrajectoryFactsView, org.id).pseudonyms(ids)
    for requirement in pack["requirements"]:
        for event in requirement["events"]:
            topic = browse.short_topic(event["topic"])
            aggregate = topic.split(".", 1)[0]
            number = numbers.get(event["originator_id"])
            event["event_type"] = topic
            event["subject"] = (f"{browse.SUBJECTS[aggregate]} {number}"
                                if number and aggregate in browse.SUBJECTS
                                else f"{aggregate} {event['originator_id'][:8]}")


@bp.post("/bewijs/export")
@org_page("audit:read")
@auditor_checked("page.export")
def start_export(org: Any) -> Any:
    grant = g.get("audit_grant")
    mark = grant.mark if grant is not None else request.form.get("mark", "")
    if mark not in norms()["marks"]:
        abort(404)
    start, end, problems = _period_from(request.form)
    if problems:
        abort(422, problems[0])
    export_id = uuid.uuid4().hex
    _platform().jobs.enqueue("services.audit.jobs:export_evidence_pack", org.id, mark,
                             start.isoformat(), end.isoformat(), export_id,
                             job_id=f"evidence-{export_id}")
    return redirect(url_for("audit_web.export_status", org=org.slug, id=export_id))


def _period_from(form: Any) -> tuple[date, date, list[str]]:
    try:
        end = date.fromisoformat(form.get("tot") or date.today().isoformat())
        start = date.fromisoformat(form.get("van") or (end - timedelta(days=365)).isoformat())
    except ValueError:
        return date.today(), date.today(), ["Geef de periode als jjjj-mm-dd"]
    return start, end, ["De meetperiode begint na het einde"] if start > end else []


def _export_id() -> str:
    export_id = request.args.get("id", "")
    if len(export_id) != 32 or any(c not in "0123456789abcdef" for c in export_id):
        abort(404)
    return export_id


@bp.get("/bewijs/export")
@org_page("audit:read")
@auditor_checked("page.export_status")
def export_status(org: Any) -> Any:
    from services.audit.api import _export_status

    status = _export_status(org, _export_id())
    return _render("audit/export.html", status=status)


@bp.get("/bewijs/export/bestand")
@org_page("audit:read")
@auditor_checked("page.export_download")
def export_file(org: Any) -> Any:
    from services.audit.jobs import pack_dir

    folder = pack_dir(_platform(), org.id, _export_id())
    files = {p.name: p for p in folder.glob("*") if not p.name.startswith(".")}
    name = request.args.get("naam", "")
    if not (folder / ".done").exists() or name not in files:
        abort(404)
    return send_file(files[name], as_attachment=True)
