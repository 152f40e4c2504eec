"""Pages per client: the privacy overview (the officer manages consent and restriction
here; a jobcoach reads it for the own clients only), erasure with the explicit decision
when a trajectory is open, and the erasure certificate."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from services.kernel.auth.access import org_page
from services.kernel.domain import DomainError
from services.kernel.personal_data import ERASED
from services.privacy.erasure import DecisionRequiredError, erase_client
from services.privacy.forms import (
    ActionForm,
    ClientFilterForm,
    ConsentForm,
    ErasureForm,
    WithdrawForm,
)
from services.privacy.forms_rights import LiftObjectionForm
from services.privacy.labels import label
from services.privacy.pages import OPEN, Actors, bp, done, fmt_date, office, page, refused
from services.privacy.pages_bsn import bsn_section
from services.privacy.vocabulary import REQUEST_KINDS


def _visible(org: Any, desk: Any, client_id: UUID) -> None:
    """404 for a client of another organisation, and for a jobcoach on someone else's
    client (the trajectories rule: the own caseload, plus clients not yet in a trajectory)."""
    desk.check_client(client_id)
    if not g.principal.sees_whole_organisation:
        from services.trajectories.edge import client_visible

        client_visible(org, client_id)


@bp.get("/o/<org>/privacy/clienten")
@org_page("privacy:read")
def find_client(org: Any) -> Any:
    form = ClientFilterForm(request.args)
    if form.nummer.data and form.validate():
        client_id = office(org).client_by_number(form.nummer.data)
        if client_id is not None:
            return redirect(url_for("privacy.client", org=org.slug, client_id=client_id))
        form.nummer.errors.append(_("Er is geen cliënt met dit nummer."))
    status = 422 if form.nummer.errors else 200
    return page("find_client", status, form=form)


def _client_page(org: Any, client_id: UUID, consent: Any = None, error: str | None = None,
                 status: int = 200, lift: Any = None, lift_error: str | None = None,
                 bsn: Any = None) -> Any:
    desk = office(org)
    manages = g.principal.may("privacy:read")
    erasure = desk.app.erasure(client_id)
    name = None
    if erasure is None:
        why = "data_subject_request" if manages else "guidance"
        desk.log_access(client_id, "privacy.client_overview", why, "web")
        name = desk.client_name(client_id)
    record = desk.app.client_privacy(client_id)
    today = desk.today()
    if consent is None:
        consent = ConsentForm(prefix="consent-", formdata=None)
        consent.given_on.data = today
    requests = desk.requests_view.requests(today, client_id=client_id)
    return page(
        "client",
        status,
        active_page="privacy" if manages else "trajecten",
        client_id=client_id,
        number=desk.client_number(client_id) or "",
        name=None if name == ERASED else name,
        erasure=erasure,
        manages=manages,
        writes=g.principal.may("privacy:write"),
        consents=sorted(
            desk.consents(client_id), key=lambda c: (not c["current"], c["purpose"])
        ),
        restricted=bool(record and record.restricted),
        objections=list(record.objections) if record else [],
        requests=requests if manages else [r for r in requests if r["status"] in OPEN],
        accesses=desk.access_log.entries(client_id, limit=200),
        actors=Actors(desk.platform, desk.org_id),
        consent=consent,
        withdraw=WithdrawForm(prefix="withdraw-", formdata=None),
        action=ActionForm(prefix="action-", formdata=None),
        error=error,
        lift=lift or LiftObjectionForm(prefix="lift-", formdata=None),
        lift_error=lift_error,
        bsn=bsn_section(desk, client_id, record, bsn),
    )


@bp.get("/o/<org>/privacy/clienten/<uuid:client_id>")
@org_page("trajectories:read")
def client(org: Any, client_id: UUID) -> Any:
    _visible(org, office(org), client_id)
    return _client_page(org, client_id)


def _back(org: Any, client_id: UUID) -> Any:
    return redirect(url_for("privacy.client", org=org.slug, client_id=client_id))


@bp.post("/o/<org>/privacy/clienten/<uuid:client_id>/toestemming")
@org_page("privacy:write")
def give_consent(org: Any, client_id: UUID) -> Any:
    desk = office(org)
    desk.check_client(client_id)
    form = ConsentForm(prefix="consent-")
    if not form.validate_on_submit():
        return _client_page(org, client_id, form, None, 422)
    if form.given_on.data > desk.today():
        form.given_on.errors.append(_("De datum van de toestemming ligt in de toekomst."))
        return _client_page(org, client_id, form, None, 422)
    try:
        desk.give_consent(
            client_id,
            form.purpose.data,
            form.recipient_kind.data,
            form.evidence.data,
            form.recipient_id.data or None,
            form.recipient_name.data or None,
            form.given_on.data,
        )
    except DomainError as err:
        return _client_page(org, client_id, form, refused(err), 422)
    done(_("Toestemming vastgelegd."))
    return _back(org, client_id)


@bp.post("/o/<org>/privacy/clienten/<uuid:client_id>/toestemming/intrekken")
@org_page("privacy:write")
def withdraw_consent(org: Any, client_id: UUID) -> Any:
    desk = office(org)
    desk.check_client(client_id)
    form = WithdrawForm(prefix="withdraw-")
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Deze toestemming bestaat niet."))
        desk.withdraw_consent(
            client_id, form.purpose.data, form.recipient_kind.data, form.recipient_id.data or None
        )
    except DomainError as err:
        flash(refused(err), "error")
    else:
        done(_("De toestemming is ingetrokken; er wordt niets meer gedeeld op grond daarvan."))
    return _back(org, client_id)


def _restriction(org: Any, client_id: UUID, on: bool) -> Any:
    desk = office(org)
    desk.check_client(client_id)
    try:
        if on:
            desk.restrict(client_id)
        else:
            desk.lift_restriction(client_id)
    except DomainError as err:
        flash(refused(err), "error")
    else:
        done(_("De verwerking is beperkt: delen wordt geweigerd tot opheffing.")
             if on else _("De beperking van de verwerking is opgeheven."))
    return _back(org, client_id)


@bp.post("/o/<org>/privacy/clienten/<uuid:client_id>/beperking")
@org_page("privacy:write")
def restrict(org: Any, client_id: UUID) -> Any:
    return _restriction(org, client_id, True)


@bp.post("/o/<org>/privacy/clienten/<uuid:client_id>/beperking/opheffen")
@org_page("privacy:write")
def lift_restriction(org: Any, client_id: UUID) -> Any:
    return _restriction(org, client_id, False)


@bp.post("/o/<org>/privacy/clienten/<uuid:client_id>/bezwaar/opheffen")
@org_page("privacy:write")
def lift_objection(org: Any, client_id: UUID) -> Any:
    """Processing for the purpose is allowed again; the reason is kept (sealed)."""
    desk = office(org)
    desk.check_client(client_id)
    form = LiftObjectionForm(prefix="lift-")
    if not form.validate_on_submit():
        return _client_page(org, client_id, status=422, lift=form)
    try:
        desk.lift_objection(client_id, form.purpose.data, form.reason.data)
    except DomainError as err:
        return _client_page(org, client_id, status=422, lift=form, lift_error=refused(err))
    done(_("Het bezwaar is opgeheven: voor dit doel mag weer worden verwerkt en, met"
           " toestemming, gedeeld."))
    return _back(org, client_id)


# Erasure ---------------------------------------------------------------------------------
def _erasure_requests(desk: Any, client_id: UUID) -> list[tuple[str, str]]:
    rows = desk.requests_view.requests(desk.today(), open_only=True, client_id=client_id)
    return [
        (
            r["request_id"],
            _("%(kind)s, ontvangen %(on)s", kind=label(REQUEST_KINDS, r["kind"]),
              on=fmt_date(r["received_on"])),
        )
        for r in rows
        if r["kind"] == "erasure"
    ]


@bp.route("/o/<org>/privacy/clienten/<uuid:client_id>/wissen", methods=["GET", "POST"])
@org_page("privacy:write")
def erase(org: Any, client_id: UUID) -> Any:
    desk = office(org)
    desk.check_client(client_id)
    existing = desk.app.erasure(client_id)
    if existing is not None:
        return redirect(url_for("privacy.erasure", org=org.slug, erasure_id=existing.id))
    form = ErasureForm(requests=_erasure_requests(desk, client_id))
    if request.method == "GET":
        asked = request.args.get("verzoek", "")
        if asked in {value for value, _text in form.request_id.choices}:
            form.request_id.data = asked
            form.legal_basis.data = "art17_1a"
    open_count = sum(t["open"] for t in desk.client_trajectories(client_id))
    error = None
    if form.validate_on_submit():
        try:
            outcome = erase_client(
                desk,
                client_id,
                form.legal_basis.data,
                open_trajectory_decision=bool(form.open_trajectory_decision.data),
                request_id=UUID(form.request_id.data) if form.request_id.data else None,
            )
        except DecisionRequiredError:
            form.open_trajectory_decision.errors.append(
                _("Deze cliënt heeft een lopend traject. Sluit het traject eerst af, of besluit"
                  " hier uitdrukkelijk dat u toch wist.")
            )
        except DomainError as err:
            error = refused(err)
        else:
            done(_("De gegevens van de cliënt zijn gewist. Hieronder staat de verklaring."))
            return redirect(url_for("privacy.erasure", org=org.slug,
                                    erasure_id=outcome.erasure.id))
    name = desk.client_name(client_id)
    desk.log_access(client_id, "privacy.erasure_form", "data_subject_request", "web")
    status = 422 if request.method == "POST" else 200
    return page("erase", status, form=form, error=error, client_id=client_id, name=name,
                number=desk.client_number(client_id) or "", open_count=open_count)


@bp.get("/o/<org>/privacy/verwijderingen/<uuid:erasure_id>")
@org_page("privacy:read")
def erasure(org: Any, erasure_id: UUID) -> Any:
    content = office(org).documents.certificate(erasure_id, "json")  # PII-free by design
    if content is None:
        abort(404)
    desk = office(org)
    return page("erasure", certificate=json.loads(content), erasure_id=erasure_id,
                actors=Actors(desk.platform, desk.org_id))
