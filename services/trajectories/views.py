"""Dutch web pages: caseload dashboard, clients, trajectory timeline with a form per
step, fast hours entry, documents. Plain forms (POST, redirect, flash): they work
without JavaScript and under the strict CSP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError

from services.kernel.auth.access import org_page
from services.kernel.auth.roles import Role
from services.kernel.domain import DomainError
from services.kernel.messages import domain_message
from services.trajectories import documents
from services.trajectories import edge as e
from services.trajectories import rules as r
from services.trajectories.caseload import CaseloadView
from services.trajectories.clients import RELATIONS
from services.trajectories.clients_view import ClientsView
from services.trajectories.presenter import present, timeline
from services.trajectories.schemas import (
    STEP_SCHEMAS,
    ActivityIn,
    AftercareIn,
    CloseIn,
    ClosingEvaluationIn,
    ContactIn,
    FollowUpIn,
    FundingGrantIn,
    JobFindingIn,
    LogSignatureIn,
    NetworkContactIn,
    ReassignIn,
    SupportNeedIn,
)
from services.trajectories.workday import DAY_LIMIT_MINUTES, WorkdayView

bp = Blueprint("trajectories_web", __name__, template_folder="templates")
ACTIVITIES_SHOWN, TIMELINE_SHOWN = 100, 200  # the page's tables; documents hold them all
LIST_FIELDS = {"participants", "goal_ids"}
LABELS: dict[str, Any] = {f.name: f.label for spec in r.STEPS.values() for f in spec.fields} | {
    "on": _l("datum"), "start": _l("begintijd"), "minutes": _l("minuten"),
    "justification": _l("verantwoording"), "kind": _l("soort"), "mode": _l("vorm"),
    "summary": _l("samenvatting"), "name": _l("naam"), "period_start": _l("begin periode"),
    "period_end": _l("einde periode"), "granted_hours": _l("toegekende uren"),
    "regime": _l("urenregime"), "handover_note": _l("overdrachtsnotitie"),
    "override_reason": _l("reden boven plafond"), "email": _l("e-mailadres"),
    "signer_name": _l("naam ondertekenaar"), "role": _l("rol"), "method": _l("wijze"),
    "grant_id": _l("toekenning"), "months": _l("termijn"), "still_working": _l("werkt nog"),
    "note": _l("toelichting"),
}


def _page(name: str, **context: Any) -> str:
    return render_template(f"trajectories/{name}.html", r=r, active_page="trajecten", **context)


def _form(schema: Schema | type[Schema], data: dict[str, Any] | None = None) -> dict[str, Any]:
    """request.form through an API schema; errors become one Dutch message."""
    raw = data if data is not None else {
        k: (request.form.getlist(k) if k in LIST_FIELDS else v)
        for k, v in request.form.items() if k != "csrf_token" and v != ""
    }
    schema = schema() if isinstance(schema, type) else schema
    try:
        return schema.load(raw)
    except ValidationError as error:
        fields = ", ".join(sorted(_(str(LABELS.get(str(k), str(k)))) for k in error.messages))
        raise DomainError(_("Controleer deze velden: %(fields)s", fields=fields)) from None


def _coaches(org: Any) -> list[dict[str, Any]]:
    return [m for m in e.platform().directory.members(org.id) if m["role"] == Role.JOBCOACH]


def _back(org: Any, trajectory_id: UUID, anchor: str = "") -> Any:
    return redirect(url_for("trajectories_web.trajectory", org=org.slug,
                            trajectory_id=trajectory_id) + (f"#{anchor}" if anchor else ""))


def _command(org: Any, trajectory_id: UUID, anchor: str, run: Any, done: str) -> Any:
    """Run a command for the page; refusals are shown, never lost in a 500."""
    with e.command_on(org, trajectory_id):  # one load serves the check and the command
        return _run(org, trajectory_id, anchor, run, done)


def _run(org: Any, trajectory_id: UUID, anchor: str, run: Any, done: str) -> Any:
    try:
        outcome = run()
        flash(done, "success")
        for warning in outcome if isinstance(outcome, list) else []:  # hours.Notice
            flash(domain_message(warning), "info")
    except DomainError as error:
        if type(error).__name__ == "NotFoundError":
            raise
        flash(domain_message(error), "error")
    return _back(org, trajectory_id, anchor)


# Pages -----------------------------------------------------------------------------------
@bp.get("/o/<org>/trajecten")
@org_page("trajectories:read")
def dashboard(org: Any) -> Any:
    """Caseload and deadlines; managers see every jobcoach, a jobcoach the own."""
    principal = g.principal
    app = e.trajectories(org)
    today = app.today()
    coach = None if principal.sees_whole_organisation else principal.user_id
    names = e.names(org)
    caseload = e.platform().view(CaseloadView, org.id)
    rows = caseload.caseload(coach, today)
    for row in rows:
        row["jobcoach_name"] = names.get(row["jobcoach_id"], "—")
    days = e.platform().view(WorkdayView, org.id).implausible_days(
        coach, today - timedelta(days=30), today
    )
    for day in days:
        day["jobcoach_name"] = names.get(day["jobcoach_id"], "—")
        day["reasons"] = _day_reasons(day)
    absent = caseload.absent_on(today)
    return _page(
        "dashboard", rows=rows, days=days, today=today.isoformat(),
        absent=[names.get(a, a) for a in absent], coaches=_coaches(org),
        whole=principal.sees_whole_organisation,
    )


@bp.get("/o/<org>/clienten")
@org_page("trajectories:read")
def clients(org: Any) -> Any:
    q = request.args.get("q", "")[:100]
    allowed = e.client_filter(org)
    rows = [c for c in e.platform().view(ClientsView, org.id).clients(
        e.trajectories(org).opener(), q) if allowed(c["client_id"])]
    # Names are shown: one read per client listed, in one transaction (edge.log_reads).
    e.log_reads(org, [UUID(row["client_id"]) for row in rows],
                "client.search" if q.strip() else "client.list")
    return _page("clients", clients=rows, q=q)


@bp.post("/o/<org>/clienten")
@org_page("trajectories:write")
def register_client(org: Any) -> Any:
    try:
        data = _form(ContactIn)
        birth = data.get("date_of_birth")
        client = e.trajectories(org).register_client(
            {**data, "date_of_birth": birth.isoformat() if birth else None})
    except DomainError as error:
        flash(domain_message(error), "error")
        return redirect(url_for("trajectories_web.clients", org=org.slug))
    flash(_("Cliënt %(number)s geregistreerd", number=client.number), "success")
    return redirect(url_for("trajectories_web.client", org=org.slug, client_id=client.id))


@bp.get("/o/<org>/clienten/<uuid:client_id>")
@org_page("trajectories:read")
def client(org: Any, client_id: UUID) -> Any:
    from services.trajectories.api_clients import client_out

    app = e.trajectories(org)
    found = app.client(client_id)
    e.client_visible(org, client_id)
    e.log_read(org, client_id, "client.profile")
    rows = [r_ for r_ in e.platform().view(CaseloadView, org.id).records(
        ("trajectory_id", "commissioner", "closed", "started_at"),
        "SELECT trajectory_id, commissioner, closed, started_at FROM {t}trajectory_caseload"
        " WHERE client_id = %s ORDER BY started_at", (str(client_id),))]
    return _page("client", client=client_out(org, found), trajectories=rows,
                 coaches=_coaches(org), relations=RELATIONS, today=app.today().isoformat())


@bp.post("/o/<org>/clienten/<uuid:client_id>/<action>")
@org_page("trajectories:write")
def client_action(org: Any, client_id: UUID, action: str) -> Any:
    app = e.trajectories(org)
    app.client(client_id)
    e.client_visible(org, client_id)
    try:
        if action == "ondersteuning":
            data = _form(SupportNeedIn)
            app.describe_support_need(client_id, data["limitations"], data["possibilities"])
        elif action == "netwerk":
            app.add_network_contact(client_id, **_form(NetworkContactIn))
        elif action == "traject":
            coach = UUID(request.form.get("jobcoach") or str(g.principal.user_id))
            if not g.principal.sees_whole_organisation:
                coach = g.principal.user_id
            e.check_jobcoach(org, coach)
            commissioner = request.form.get("commissioner", "").strip()
            t = app.start_trajectory(client_id, commissioner, coach)
            flash(_("Traject gestart"), "success")
            return redirect(url_for("trajectories_web.trajectory", org=org.slug,
                                    trajectory_id=t.id))
        else:
            raise DomainError(_("Onbekende actie"))
        flash(_("Opgeslagen"), "success")
    except (DomainError, ValueError) as error:
        flash(domain_message(error), "error")
    return redirect(url_for("trajectories_web.client", org=org.slug, client_id=client_id))


@bp.get("/o/<org>/trajecten/<uuid:trajectory_id>")
@org_page("trajectories:read")
def trajectory(org: Any, trajectory_id: UUID) -> Any:
    h = e.history_visible(org, trajectory_id)  # one read of the events serves it all
    e.log_read(org, h.client_id, "trajectory")
    app = e.trajectories(org)
    members = e.platform().directory.members(org.id)
    names = {m["user_id"]: m["name"] for m in members}
    opener = app.opener()
    p = present(h, opener)
    ctx = e.document_context(org, h, opener)
    checks = {kind: documents.check(kind, p, ctx) for kind in documents.KINDS}
    for kind, reason in e.sharing_refusals(org, h).items():  # no download without consent
        checks[kind]["consent"] = domain_message(reason)
    translate = _translator()  # what the page shows of the Dutch vocabulary, translated
    for check in checks.values():
        check["missing"] = [translate(part) for part in check["missing"]]
    for a in p["activities"][:ACTIVITIES_SHOWN]:
        a["kind_label"], a["mode_label"] = translate(a["kind_label"]), translate(a["mode_label"])
    return _page(
        "trajectory", t=p, client_name=ctx.client_name,
        jobcoach_name=names.get(str(h.responsible_jobcoach), "—"),
        events=timeline(h.entries[-TIMELINE_SHOWN:], names, translate),
        steps=r.STEPS, today=app.today().isoformat(),
        coaches=[m for m in members if m["role"] == Role.JOBCOACH],
        checks=checks, kinds=documents.KINDS, names=names,
    )


@bp.post("/o/<org>/trajecten/<uuid:trajectory_id>/<action>")
@org_page("trajectories:write")
def trajectory_action(org: Any, trajectory_id: UUID, action: str) -> Any:
    app = e.trajectories(org)
    f = request.form

    def step() -> Any:
        name = f.get("step", "")
        if name not in STEP_SCHEMAS:
            raise DomainError(_("Onbekende stap"))
        return app.record_step(trajectory_id, name, _form(STEP_SCHEMAS[name], {
            k: v for k, v in f.items() if k not in ("csrf_token", "step") and v != ""}))

    def activity() -> Any:
        data = _form(ActivityIn)
        coach = g.principal.user_id
        if g.principal.sees_whole_organisation and data.get("jobcoach"):
            coach = data["jobcoach"]
        data["jobcoach"] = coach
        return app.record_activity(trajectory_id, data)[1]

    def matching() -> Any:
        carving = [
            {"agreement": f.get(f"carving-{i}-agreement"), "owner": f.get(f"carving-{i}-owner"),
             "due": _date(f.get(f"carving-{i}-due"))}
            for i in range(3) if f.get(f"carving-{i}-agreement")
        ]
        return app.record_matching(
            trajectory_id, f.get("analysis", ""), f.get("decision", ""), f.get("reasons", ""),
            carving, _date(f.get("decided_on")))

    def plan() -> Any:
        goals = [
            {"goal_id": f.get(f"goal-{i}-id") or None,
             "description": f.get(f"goal-{i}-description"),
             "criterion": f.get(f"goal-{i}-criterion") or None,
             "target_date": _date(f.get(f"goal-{i}-target_date")),
             "owner": f.get(f"goal-{i}-owner", "")}
            for i in range(5) if f.get(f"goal-{i}-description")
        ]
        moments = [_date(x.strip()) for x in f.get("evaluation_moments", "").split(",")
                   if x.strip()]
        return app.record_coaching_plan(
            trajectory_id, goals, f.get("action_plan", ""), f.get("network_roles", ""),
            moments, _date(f.get("agreed_on")))

    def evaluation() -> Any:
        results = []
        for goal_id in f.getlist("goal_id"):
            status = f.get(f"status-{goal_id}")
            if status:
                results.append({
                    "goal_id": goal_id, "status": status,
                    "reason": f.get(f"reason-{goal_id}") or None,
                    "new_target_date": _date(f.get(f"new_date-{goal_id}"), required=False)})
        return app.record_evaluation(trajectory_id, _date(f.get("on")), results,
                                     f.get("summary") or None)

    def aftercare() -> Any:
        data = _form(AftercareIn)
        coach = g.principal.user_id
        if g.principal.sees_whole_organisation and data.get("jobcoach"):
            coach = data["jobcoach"]
        data["jobcoach"] = coach
        return app.record_aftercare(trajectory_id, data)

    def follow_up() -> Any:
        data = {k: v for k, v in f.items() if k != "csrf_token" and v != ""}
        data.setdefault("still_working", "false")  # an unticked box is not sent
        return app.record_follow_up(trajectory_id, **_form(FollowUpIn, data))

    def correction() -> Any:
        return app.correct_activity(
            trajectory_id, f.get("activity_id", ""), int(f.get("minutes") or -1),
            f.get("reason", ""))[1]

    actions = {
        "stap": (step, _("Stap vastgelegd"), "stappen"),
        "activiteit": (activity, _("Activiteit geregistreerd"), "uren"),
        "correctie": (correction, _("Correctie vastgelegd"), "uren"),
        "nazorg": (aftercare, _("Nazorgcontact geregistreerd"), "uren"),
        "jobfinding": (lambda: app.record_job_finding(trajectory_id, **_form(JobFindingIn)),
                       _("Jobfinding-activiteit vastgelegd"), "stappen"),
        "matching": (matching, _("Matching vastgelegd"), "stappen"),
        "coachingsplan": (plan, _("Coachingsplan vastgelegd"), "stappen"),
        "evaluatie": (evaluation, _("Evaluatie vastgelegd"), "stappen"),
        "toekenning": (lambda: app.add_grant(trajectory_id, **_form(FundingGrantIn)),
                       _("Toekenning vastgelegd"), "uren"),
        "eindevaluatie": (lambda: app.record_closing_evaluation(
            trajectory_id, **_form(ClosingEvaluationIn)), _("Eindevaluatie vastgelegd"),
            "stappen"),
        "ondertekening": (lambda: app.sign_log(trajectory_id, **_form(LogSignatureIn)),
                          _("Ondertekening vastgelegd"), "ondertekening"),
        "follow-up": (follow_up, _("Follow-up vastgelegd"), "follow-up"),
        "afsluiten": (lambda: app.close_trajectory(trajectory_id, **_form(CloseIn)),
                      _("Traject afgesloten"), "stappen"),
        "overdracht": (lambda: _reassign(org, app, trajectory_id), _("Traject overgedragen"),
                       ""),
    }
    if action not in actions:
        from flask import abort

        abort(404)
    run, done, anchor = actions[action]
    return _command(org, trajectory_id, anchor, run, done)


def _reassign(org: Any, app: Any, trajectory_id: UUID) -> Any:
    data = _form(ReassignIn)
    e.check_jobcoach(org, data["jobcoach"])
    return app.reassign(trajectory_id, data["jobcoach"], data["handover_note"])


@bp.get("/o/<org>/trajecten/<uuid:trajectory_id>/documenten/<kind>.<fmt>")
@org_page("trajectories:read")
def document(org: Any, trajectory_id: UUID, kind: str, fmt: str) -> Any:
    if kind not in documents.KINDS or fmt not in ("pdf", "html"):
        from flask import abort

        abort(404)
    h = e.history_visible(org, trajectory_id)
    try:
        e.require_sharing(org, h, kind)
        doc = e.document(org, h, kind, _date(request.args.get("van"), required=False),
                         _date(request.args.get("tot"), required=False))
    except DomainError as error:
        flash(domain_message(error), "error")
        return _back(org, trajectory_id, "documenten")
    e.log_read(org, h.client_id, f"trajectory.document.{kind}", "export" if fmt == "pdf" else None)
    return e.document_response(doc, fmt)


@bp.post("/o/<org>/jobcoaches/<uuid:user_id>/afwezigheid")
@org_page("trajectories:write")
def absence(org: Any, user_id: UUID) -> Any:
    """Register an absence and hand the open caseload over in one go."""
    if not g.principal.sees_whole_organisation and g.principal.user_id != user_id:
        from flask import abort

        abort(404)
    app = e.trajectories(org)
    f = request.form
    try:
        e.check_jobcoach(org, user_id)
        _, absence_id = app.register_absence(
            user_id, f.get("kind", ""), _date(f.get("first_day")),
            _date(f.get("last_day"), required=False), f.get("note", ""))
        if f.get("to"):
            to = UUID(f["to"])
            e.check_jobcoach(org, to)
            ids = [row["trajectory_id"] for row in
                   e.platform().view(CaseloadView, org.id).open_trajectories(user_id)]
            moved = app.hand_over_caseload(ids, to, f.get("handover_note", ""), user_id,
                                           absence_id)
            flash(_("Afwezigheid geregistreerd; %(count)s trajecten overgedragen",
                    count=len(moved)), "success")
        else:
            flash(_("Afwezigheid geregistreerd"), "success")
    except (DomainError, ValueError) as error:
        flash(domain_message(error), "error")
    return redirect(url_for("trajectories_web.dashboard", org=org.slug))


def _translator() -> Any:
    """gettext for the many labels of one page: each text looked up once (Flask-Babel's
    gettext finds the catalog again on every call: ~10 µs, times hundreds of rows)."""
    translations = get_translations()
    found: dict[str, str] = {}

    def translate(text: str, **values: Any) -> str:
        if text not in found:
            found[text] = translations.gettext(text)
        return found[text] % values if values else found[text]

    return translate


def _day_reasons(day: dict[str, Any]) -> list[str]:
    """Why a day is implausible, in the page's language (WorkdayView says it in Dutch)."""
    reasons = []
    if day["minutes"] > DAY_LIMIT_MINUTES:
        reasons.append(_("meer dan %(hours)s uur op één dag", hours=DAY_LIMIT_MINUTES // 60))
    if day["overlaps"]:
        reasons.append(_("%(count)s overlappende activiteit(en)", count=len(day["overlaps"])))
    return reasons


def _date(value: str | None, *, required: bool = True) -> Any:
    from datetime import date

    if not value:
        if required:
            raise DomainError(_("Vul een datum in"))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(_("Geen geldige datum: %(value)s", value=value)) from None
