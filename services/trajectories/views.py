"""Dutch web pages: caseload dashboard, clients, trajectory timeline with a form per
step, fast hours entry, documents. Plain forms (POST, redirect, flash): they work
without JavaScript and under the strict CSP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from marshmallow import Schema, ValidationError

from services.kernel.auth.access import org_page
from services.kernel.auth.roles import Role
from services.kernel.domain import DomainError
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
    CloseIn,
    ClosingEvaluationIn,
    ContactIn,
    FundingGrantIn,
    JobFindingIn,
    NetworkContactIn,
    ReassignIn,
    SupportNeedIn,
)
from services.trajectories.workday import WorkdayView

bp = Blueprint("trajectories_web", __name__, template_folder="templates")
LIST_FIELDS = {"participants", "goal_ids"}
LABELS = {f.name: f.label for spec in r.STEPS.values() for f in spec.fields} | {
    "on": "datum", "start": "begintijd", "minutes": "minuten", "justification": "verantwoording",
    "kind": "soort", "mode": "vorm", "summary": "samenvatting", "name": "naam",
    "period_start": "begin periode", "period_end": "einde periode",
    "granted_hours": "toegekende uren", "regime": "urenregime",
    "handover_note": "overdrachtsnotitie",
    "override_reason": "reden boven plafond", "email": "e-mailadres",
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
        fields = ", ".join(sorted(LABELS.get(str(k), str(k)) for k in error.messages))
        raise DomainError(f"Controleer deze velden: {fields}") from None


def _coaches(org: Any) -> list[dict[str, Any]]:
    return [m for m in e.platform().directory.members(org.id) if m["role"] == Role.JOBCOACH]


def _back(org: Any, trajectory_id: UUID, anchor: str = "") -> Any:
    return redirect(url_for("trajectories_web.trajectory", org=org.slug,
                            trajectory_id=trajectory_id) + (f"#{anchor}" if anchor else ""))


def _command(org: Any, trajectory_id: UUID, anchor: str, run: Any, done: str) -> Any:
    """Run a command for the page; refusals are shown, never lost in a 500."""
    e.load_visible(org, trajectory_id)
    try:
        outcome = run()
        flash(done, "success")
        for warning in outcome if isinstance(outcome, list) else []:
            flash(warning, "info")
    except DomainError as error:
        if type(error).__name__ == "NotFoundError":
            raise
        flash(str(error), "error")
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
        flash(str(error), "error")
        return redirect(url_for("trajectories_web.clients", org=org.slug))
    flash(f"Cliënt {client.number} geregistreerd", "success")
    return redirect(url_for("trajectories_web.client", org=org.slug, client_id=client.id))


@bp.get("/o/<org>/clienten/<uuid:client_id>")
@org_page("trajectories:read")
def client(org: Any, client_id: UUID) -> Any:
    from services.trajectories.api_clients import client_out

    app = e.trajectories(org)
    found = app.client(client_id)
    e.client_visible(org, client_id)
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
            flash("Traject gestart", "success")
            return redirect(url_for("trajectories_web.trajectory", org=org.slug,
                                    trajectory_id=t.id))
        else:
            raise DomainError("Onbekende actie")
        flash("Opgeslagen", "success")
    except (DomainError, ValueError) as error:
        flash(str(error), "error")
    return redirect(url_for("trajectories_web.client", org=org.slug, client_id=client_id))


@bp.get("/o/<org>/trajecten/<uuid:trajectory_id>")
@org_page("trajectories:read")
def trajectory(org: Any, trajectory_id: UUID) -> Any:
    t = e.load_visible(org, trajectory_id)
    app = e.trajectories(org)
    names = e.names(org)
    opener = app.opener()
    p = present(t, opener)
    ctx = e.document_context(org, t, opener)
    checks = {kind: documents.check(kind, p, ctx) for kind in documents.KINDS}
    return _page(
        "trajectory", t=p, client_name=ctx.client_name,
        jobcoach_name=names.get(str(t.responsible_jobcoach), "—"),
        events=timeline(list(app.events.get(trajectory_id)), names),
        steps=r.STEPS, today=app.today().isoformat(), coaches=_coaches(org),
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
            raise DomainError("Onbekende stap")
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

    def correction() -> Any:
        return app.correct_activity(
            trajectory_id, f.get("activity_id", ""), int(f.get("minutes") or -1),
            f.get("reason", ""))[1]

    actions = {
        "stap": (step, "Stap vastgelegd", "stappen"),
        "activiteit": (activity, "Activiteit geregistreerd", "uren"),
        "correctie": (correction, "Correctie vastgelegd", "uren"),
        "jobfinding": (lambda: app.record_job_finding(trajectory_id, **_form(JobFindingIn)),
                       "Jobfinding-activiteit vastgelegd", "stappen"),
        "matching": (matching, "Matching vastgelegd", "stappen"),
        "coachingsplan": (plan, "Coachingsplan vastgelegd", "stappen"),
        "evaluatie": (evaluation, "Evaluatie vastgelegd", "stappen"),
        "toekenning": (lambda: app.add_grant(trajectory_id, **_form(FundingGrantIn)),
                       "Toekenning vastgelegd", "uren"),
        "eindevaluatie": (lambda: app.record_closing_evaluation(
            trajectory_id, **_form(ClosingEvaluationIn)), "Eindevaluatie vastgelegd", "stappen"),
        "afsluiten": (lambda: app.close_trajectory(trajectory_id, **_form(CloseIn)),
                      "Traject afgesloten", "stappen"),
        "overdracht": (lambda: _reassign(org, app, trajectory_id), "Traject overgedragen", ""),
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
    t = e.load_visible(org, trajectory_id)
    try:
        doc = e.document(org, t, kind, _date(request.args.get("van"), required=False),
                         _date(request.args.get("tot"), required=False))
    except DomainError as error:
        flash(str(error), "error")
        return _back(org, trajectory_id, "documenten")
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
            flash(f"Afwezigheid geregistreerd; {len(moved)} trajecten overgedragen", "success")
        else:
            flash("Afwezigheid geregistreerd", "success")
    except (DomainError, ValueError) as error:
        flash(str(error), "error")
    return redirect(url_for("trajectories_web.dashboard", org=org.slug))


def _date(value: str | None, *, required: bool = True) -> Any:
    from datetime import date

    if not value:
        if required:
            raise DomainError("Vul een datum in")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(f"Geen geldige datum: {value}") from None
