"""Pages for data-subject requests: list, register, and the workflow of one request
(start, extend with reason, export JSON + PDF for access/portability, restriction,
objection, complete). Refused input is shown again with what was typed."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import Response, abort, redirect, request, url_for
from flask_babel import gettext as _

from services.kernel.auth.access import org_page
from services.kernel.domain import DomainError
from services.privacy import rectification
from services.privacy.export import make_export
from services.privacy.forms import (
    ActionForm,
    CompleteForm,
    ExtendForm,
    PurposeForm,
    RequestForm,
)
from services.privacy.forms_rights import RectifyForm
from services.privacy.labels import label
from services.privacy.pages import OPEN, Actors, bp, done, office, page, refused
from services.privacy.vocabulary import RECTIFIABLE_FIELDS

FORMS = {
    "extend": ExtendForm,
    "complete": CompleteForm,
    "objection": PurposeForm,
    "action": ActionForm,
    "rectify": RectifyForm,
}


@bp.get("/o/<org>/privacy/verzoeken")
@org_page("privacy:read")
def requests(org: Any) -> Any:
    desk = office(org)
    show_all = request.args.get("alle") == "1"
    rows = desk.requests_view.requests(desk.today(), open_only=not show_all)
    return page("requests", rows=rows, numbers=desk.client_numbers(), show_all=show_all)


@bp.route("/o/<org>/privacy/verzoeken/nieuw", methods=["GET", "POST"])
@org_page("privacy:write")
def new_request(org: Any) -> Any:
    desk = office(org)
    form = RequestForm()
    if request.method == "GET":
        form.client_number.data = request.args.get("client", "")[:20]
        form.received_on.data = desk.today()
    error = None
    if form.validate_on_submit():
        client_id = desk.client_by_number(form.client_number.data)
        if client_id is None:
            form.client_number.errors.append(_("Er is geen cliënt met dit nummer."))
        else:
            try:
                created = desk.register_request(
                    client_id,
                    form.kind.data,
                    form.channel.data,
                    form.received_on.data,
                    form.requester.data or None,
                    form.details.data or None,
                )
            except DomainError as err:
                error = refused(err)
            else:
                done(_("Verzoek geregistreerd; uiterlijk afhandelen op %(due)s.",
                       due=created.due_on.strftime("%d-%m-%Y")))
                return redirect(_detail_url(org, created.id))
    status = 422 if request.method == "POST" else 200
    return page("request_new", status, form=form, error=error)


def _detail_url(org: Any, request_id: UUID) -> str:
    return url_for("privacy.request_detail", org=org.slug, request_id=request_id)


def _render(org: Any, request_id: UUID, posted: Any = None, error: str | None = None,
            status: int = 200) -> Any:
    """The request with its workflow; the posted form keeps its input and its errors."""
    desk = office(org)
    detail = desk.request_detail(request_id, "web")
    forms = {name: _form(name, formdata=None) for name in FORMS}
    if posted is not None:
        forms[posted[0]] = posted[1]
    client_id = UUID(str(detail["client_id"]))
    erasure = desk.app.erasure(client_id)
    if detail["kind"] == "rectification" and detail["status"] in OPEN and erasure is None:
        if posted is None or posted[0] != "rectify":
            forms["rectify"] = _rectify_form(desk, request_id)
    else:
        forms["rectify"] = None
    return page(
        "request",
        status,
        r=detail,
        forms=forms,
        error=error,
        posted=posted[0] if posted else None,
        is_open=detail["status"] in OPEN,
        number=desk.client_number(client_id) or "",
        erasure=erasure,
        actors=Actors(desk.platform, desk.org_id),
        days_left=(date.fromisoformat(detail["due_on"]) - desk.today()).days,
    )


def _rectify_form(desk: Any, request_id: UUID) -> RectifyForm | None:
    """Filled in with the client's current contact data: showing it is a logged read."""
    try:
        values, version = rectification.current_contact(desk, request_id, "web")
    except DomainError:
        return None  # no client file to correct: the request is completed with a motivation
    born = values.get("date_of_birth")
    data = {**values, "date_of_birth": date.fromisoformat(born) if born else None,
            "client_version": version}
    return RectifyForm(prefix="rectify-", formdata=None, data=data)


def _form(name: str, **kwargs: Any) -> Any:
    return FORMS[name](prefix=f"{name}-", **kwargs)


@bp.get("/o/<org>/privacy/verzoeken/<uuid:request_id>")
@org_page("privacy:read")
def request_detail(org: Any, request_id: UUID) -> Any:
    return _render(org, request_id)


def _step(org: Any, request_id: UUID, name: str, run: Any, message: str) -> Any:
    """Validate the posted form, run the command; refusals re-render the page (422)."""
    desk = office(org)
    desk.app.request(request_id)  # another organisation's request: 404
    form = _form(name)
    if not form.validate_on_submit():
        return _render(org, request_id, (name, form), None, 422)
    try:
        outcome = run(desk, form)
    except DomainError as err:
        return _render(org, request_id, (name, form), refused(err), 422)
    done(outcome if isinstance(outcome, str) else message)  # a run may say what it did
    return redirect(_detail_url(org, request_id))


@bp.post("/o/<org>/privacy/verzoeken/<uuid:request_id>/in-behandeling")
@org_page("privacy:write")
def start_request(org: Any, request_id: UUID) -> Any:
    return _step(org, request_id, "action", lambda d, f: d.start_request(request_id),
                 _("Het verzoek is in behandeling genomen."))


@bp.post("/o/<org>/privacy/verzoeken/<uuid:request_id>/verlengen")
@org_page("privacy:write")
def extend_request(org: Any, request_id: UUID) -> Any:
    return _step(org, request_id, "extend",
                 lambda d, f: d.extend_request(request_id, f.reason.data),
                 _("De termijn is met twee maanden verlengd. Laat de betrokkene dit weten,"
                   " met de reden."))


@bp.post("/o/<org>/privacy/verzoeken/<uuid:request_id>/export")
@org_page("privacy:write")
def export_request(org: Any, request_id: UUID) -> Any:
    def run(desk: Any, _form: Any) -> None:
        make_export(desk, desk.app.request(request_id).client_id, request_id, "web")

    return _step(org, request_id, "action", run,
                 _("De export is gemaakt (JSON en PDF); download hem hieronder."))


@bp.post("/o/<org>/privacy/verzoeken/<uuid:request_id>/beperken")
@org_page("privacy:write")
def restrict_for_request(org: Any, request_id: UUID) -> Any:
    def run(desk: Any, _form: Any) -> None:
        found = desk.app.request(request_id)
        if found.kind != "restriction":
            raise DomainError(_("Dit hoort bij een verzoek om beperking."))
        desk.restrict(found.client_id, request_id)

    return _step(org, request_id, "action", run, _("De verwerking is beperkt."))


@bp.post("/o/<org>/privacy/verzoeken/<uuid:request_id>/bezwaar")
@org_page("privacy:write")
def object_for_request(org: Any, request_id: UUID) -> Any:
    def run(desk: Any, form: Any) -> None:
        found = desk.app.request(request_id)
        if found.kind != "objection":
            raise DomainError(_("Dit hoort bij een bezwaar."))
        desk.uphold_objection(found.client_id, form.purpose.data, request_id)

    return _step(org, request_id, "objection", run, _("Het bezwaar is gegrond verklaard."))


@bp.post("/o/<org>/privacy/verzoeken/<uuid:request_id>/rectificeren")
@org_page("privacy:write")
def rectify_for_request(org: Any, request_id: UUID) -> Any:
    """Apply the correction to the client's contact data (through trajectories)."""

    def run(desk: Any, form: Any) -> str:
        raw = str(form.client_version.data or "")
        version = int(raw) if raw.isdigit() else None
        _request, fields = rectification.rectify(desk, request_id, form.corrections(), version)
        names = ", ".join(label(RECTIFIABLE_FIELDS, f).lower() for f in fields)
        # Field names only: never the values, not even in a flash message.
        return _("De gegevens van de cliënt zijn verbeterd: %(fields)s. Rond het verzoek"
                 " hieronder af.", fields=names)

    return _step(org, request_id, "rectify", run, "")


@bp.post("/o/<org>/privacy/verzoeken/<uuid:request_id>/afronden")
@org_page("privacy:write")
def complete_request(org: Any, request_id: UUID) -> Any:
    return _step(org, request_id, "complete",
                 lambda d, f: d.complete_request(request_id, f.outcome.data, f.note.data or None),
                 _("Het verzoek is afgehandeld."))


@bp.get("/o/<org>/privacy/verzoeken/<uuid:request_id>/export/<document_id>")
@org_page("privacy:read")
def export_download(org: Any, request_id: UUID, document_id: str) -> Any:
    """A delivered export (JSON or PDF), opened with the client's key; the download is logged."""
    desk = office(org)
    found = desk.app.request(request_id)
    if not document_id.isalnum() or document_id not in {
        e["document_id"] for e in found.exports
    }:
        abort(404)
    opened = desk.documents.open_sealed(found.client_id, document_id)
    if opened is None:  # erased meanwhile
        abort(404)
    meta, content = opened
    desk.log_access(found.client_id, "privacy.export.download", "data_subject_request", "web")
    number = desk.client_number(found.client_id) or "client"
    stem, _dot, suffix = meta["name"].rpartition(".")
    return Response(
        content,
        mimetype=meta["media_type"],
        headers={
            "Content-Disposition": f'attachment; filename="{stem}-{number}.{suffix}"',
            "Cache-Control": "no-store",
        },
    )
