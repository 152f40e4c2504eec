"""Pages for the breach register (art. 33/34): register, assess, report to the AP within
72 hours of detection (the deadline is shown), inform the data subjects, close."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from flask import abort, redirect, url_for
from flask_babel import gettext as _

from services.kernel.auth.access import org_page
from services.kernel.domain import DomainError
from services.privacy.clock import LOCAL
from services.privacy.forms import (
    AssessForm,
    BreachForm,
    CloseBreachForm,
    InformForm,
    ReportForm,
)
from services.privacy.pages import bp, done, office, page, refused

SLACK = timedelta(minutes=5)  # clocks of people and servers differ a little


def _aware(value: datetime) -> datetime:
    """A datetime-local value is Dutch local time."""
    return value.replace(tzinfo=LOCAL) if value.tzinfo is None else value


def _not_future(field: Any, now: datetime) -> bool:
    if field.data is not None and _aware(field.data) > now + SLACK:
        field.errors.append(_("Dit tijdstip ligt in de toekomst."))
        return False
    return True


def _now_local(desk: Any) -> datetime:
    return desk.now().astimezone(LOCAL).replace(second=0, microsecond=0, tzinfo=None)


# Breaches --------------------------------------------------------------------------------
def _breaches_page(org: Any, form: Any = None, status: int = 200) -> Any:
    desk = office(org)
    if form is None:
        form = BreachForm(formdata=None)
        form.detected_at.data = _now_local(desk)
    return page("breaches", status, rows=desk.registers.breaches(desk.now()), form=form)


@bp.get("/o/<org>/privacy/datalekken")
@org_page("privacy:read")
def breaches(org: Any) -> Any:
    return _breaches_page(org)


@bp.post("/o/<org>/privacy/datalekken")
@org_page("privacy:write")
def register_breach(org: Any) -> Any:
    desk = office(org)
    form = BreachForm()
    if form.validate_on_submit() and _not_future(form.detected_at, desk.now()):
        breach = desk.app.detect_breach(
            _aware(form.detected_at.data), form.title.data, form.description.data
        )
        done(_("Datalek geregistreerd. Beoordeel het risico: melden bij de AP moet binnen 72"
               " uur na ontdekking."))
        return redirect(url_for("privacy.breach", org=org.slug, breach_id=breach.id))
    return _breaches_page(org, form, 422)


BREACH_STEPS = {
    "beoordelen": AssessForm,
    "melden": ReportForm,
    "informeren": InformForm,
    "sluiten": CloseBreachForm,
}


def _breach_page(org: Any, breach_id: UUID, posted: tuple[str, Any] | None = None,
                 error: str | None = None, status: int = 200) -> Any:
    desk = office(org)
    found = desk.app.breach(breach_id)
    now = desk.now()
    row = next(b for b in desk.registers.breaches(now) if b["breach_id"] == str(breach_id))
    forms = {name: form_class(prefix=f"{name}-", formdata=None)
             for name, form_class in BREACH_STEPS.items()}
    for name in ("melden", "informeren", "sluiten"):
        moment = next(f for f in forms[name] if f.type == "DateTimeLocalField")
        moment.data = _now_local(desk)
    if posted is not None:
        forms[posted[0]] = posted[1]
    else:
        forms["beoordelen"].risk.data = found.risk
        forms["beoordelen"].assessment.data = found.assessment
        forms["beoordelen"].affected_count.data = found.affected_count
        numbers = desk.client_numbers()
        forms["beoordelen"].affected_clients.data = ", ".join(
            numbers.get(c, c) for c in found.affected_clients
        )
    left = found.report_due - now
    return page(
        "breach",
        status,
        b=found,
        row=row,
        forms=forms,
        posted=posted[0] if posted else None,
        error=error,
        hours_left=int(left.total_seconds() // 3600),
        awaiting_report=found.status == "detected"
        or (found.report_required and found.reported_at is None),
    )


@bp.get("/o/<org>/privacy/datalekken/<uuid:breach_id>")
@org_page("privacy:read")
def breach(org: Any, breach_id: UUID) -> Any:
    return _breach_page(org, breach_id)


def _affected(desk: Any, form: Any) -> list[str] | None:
    """Client numbers -> ids; None (with the field's error) when one is unknown."""
    numbers = [n.strip() for n in (form.affected_clients.data or "").split(",") if n.strip()]
    found, unknown = [], []
    for number in numbers:
        client_id = desk.client_by_number(number)
        (found if client_id else unknown).append(str(client_id) if client_id else number)
    if unknown:
        form.affected_clients.errors.append(
            _("Onbekende cliëntnummers: %(numbers)s", numbers=", ".join(unknown))
        )
        return None
    return found


@bp.post("/o/<org>/privacy/datalekken/<uuid:breach_id>/<step>")
@org_page("privacy:write")
def breach_step(org: Any, breach_id: UUID, step: str) -> Any:
    if step not in BREACH_STEPS:
        abort(404)
    desk = office(org)
    desk.app.breach(breach_id)  # another organisation's breach: 404
    form = BREACH_STEPS[step](prefix=f"{step}-")
    if not form.validate_on_submit():
        return _breach_page(org, breach_id, (step, form), None, 422)
    now = desk.now()
    if step == "beoordelen":
        clients = _affected(desk, form)
        if clients is None:
            return _breach_page(org, breach_id, (step, form), None, 422)

        def command(b: Any) -> None:
            b.assess(form.risk.data, form.assessment.data, form.affected_count.data, clients)
    else:
        moment = next(f for f in form if f.type == "DateTimeLocalField")
        if not _not_future(moment, now):
            return _breach_page(org, breach_id, (step, form), None, 422)
        at = _aware(moment.data)
        commands = {
            "melden": lambda b: b.report_to_ap(at, form.reference.data,
                                               (form.late_reason.data or "").strip() or None),
            "informeren": lambda b: b.inform_subjects(at, form.how.data),
            "sluiten": lambda b: b.close(at, form.measures.data),
        }
        command = commands[step]
    try:
        desk.app.on_breach(breach_id, command)
    except DomainError as err:
        return _breach_page(org, breach_id, (step, form), refused(err), 422)
    done({
        "beoordelen": _("Beoordeling vastgelegd."),
        "melden": _("Melding bij de Autoriteit Persoonsgegevens vastgelegd."),
        "informeren": _("Vastgelegd dat de betrokkenen zijn geïnformeerd."),
        "sluiten": _("Datalek gesloten."),
    }[step])
    return redirect(url_for("privacy.breach", org=org.slug, breach_id=breach_id))
