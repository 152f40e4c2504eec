"""What the API and the pages share: who may see which trajectory, client or
jobcoach (404, never 403, for anything out of reach), and document rendering."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from flask import Response, current_app, render_template, request

from services.kernel.auth.access import current_principal
from services.kernel.auth.roles import Role
from services.kernel.domain import DomainError, NotFoundError
from services.kernel.personal_data import ERASED
from services.trajectories import documents, pdf
from services.trajectories.application import Trajectories
from services.trajectories.caseload import CaseloadView
from services.trajectories.domainmodel import Trajectory
from services.trajectories.history import TrajectoryHistory
from services.trajectories.presenter import present

T = TypeVar("T", Trajectory, TrajectoryHistory)


def platform() -> Any:
    return current_app.extensions["jobtrail"]


def log_read(org: Any, client_id: UUID, what: str, channel: str | None = None) -> None:
    """Record that a client's personal data was opened for the current user (read-access
    log of the privacy context); channel api or web from the path unless given."""
    from services.privacy.access import log_read as privacy_log_read

    channel = channel or ("api" if request.path.startswith("/api/") else "web")
    privacy_log_read(platform(), org.id, client_id, what, "guidance", channel)


def log_reads(org: Any, client_ids: list[UUID], what: str) -> None:
    """A page or answer that lists several clients (list, search): one read-access entry
    per client shown, all written in one transaction, so that each client's own access
    log names this view (what a data-subject access request reads)."""
    if not client_ids:
        return
    from services.privacy.application import Privacy
    from services.privacy.subjects import ReadAccess

    channel = "api" if request.path.startswith("/api/") else "web"
    platform().app(Privacy, org.id).save(
        *(ReadAccess(client_id, what, "guidance", channel) for client_id in client_ids)
    )


# A UWV document shares the client's data with the commissioner: the purposes the
# client must have consented to (services/privacy/vocabulary.py), per document.
SHARING = {
    "aanvraag": ("share_profile",),
    "verantwoording": ("share_progress",),
    "vervolgaanvraag": ("share_progress", "share_profile"),
}


def require_sharing(org: Any, trajectory: TrajectoryHistory, kind: str) -> None:
    """Refuse (ConsentRequiredError: 422 naming the consent) before a UWV document is made
    when the client has not consented to sharing it with the trajectory's commissioner."""
    from services.privacy.consent import require_consent

    for purpose in SHARING.get(kind, ()):
        require_consent(platform(), org.id, trajectory.client_id, purpose, "commissioner",
                        trajectory.commissioner)


def sharing_refusals(org: Any, trajectory: TrajectoryHistory) -> dict[str, str]:
    """Per document kind, why it may not be shared now (for the page; no entry: allowed)."""
    from services.privacy.consent import check_consent

    decided: dict[str, Any] = {}
    refusals = {}
    for kind, purposes in SHARING.items():
        for purpose in purposes:
            if purpose not in decided:
                decided[purpose] = check_consent(
                    platform(), org.id, trajectory.client_id, purpose, "commissioner",
                    trajectory.commissioner)
            if not decided[purpose].allowed:
                refusals[kind] = decided[purpose].reason
                break
    return refusals


def trajectories(org: Any) -> Trajectories:
    return platform().trajectories(org.id)


def visible(trajectory: T) -> T:
    """A jobcoach sees the own caseload only; others simply do not exist."""
    principal = current_principal()
    if not principal.sees_whole_organisation and (
        trajectory.responsible_jobcoach != principal.user_id
    ):
        raise NotFoundError("Traject niet gevonden")
    return trajectory


def load_visible(org: Any, trajectory_id: UUID) -> Trajectory:
    return visible(trajectories(org).rules(trajectory_id))


def history_visible(org: Any, trajectory_id: UUID) -> TrajectoryHistory:
    """The full record for reading (one read of the events; no aggregate load)."""
    return visible(trajectories(org).history(trajectory_id))


def guard_trajectory(view: Callable[..., Any]) -> Callable[..., Any]:
    """Before the body is parsed: another organisation's or jobcoach's trajectory is 404.
    A write's command then reuses the aggregate loaded here (one load per request)."""

    @functools.wraps(view)
    def wrapper(*args: Any, org: Any, trajectory_id: UUID, **kwargs: Any) -> Any:
        if request.method == "GET":
            load_visible(org, trajectory_id)
            return view(*args, org=org, trajectory_id=trajectory_id, **kwargs)
        with command_on(org, trajectory_id):
            return view(*args, org=org, trajectory_id=trajectory_id, **kwargs)

    return wrapper


@contextlib.contextmanager
def command_on(org: Any, trajectory_id: UUID) -> Iterator[None]:
    """The access check of a write, whose command then takes the aggregate (and its
    client's key) loaded for the check instead of loading it again."""
    app = trajectories(org)
    trajectory, key = app.load_for_command(trajectory_id)
    visible(trajectory)
    with app.reusing(trajectory, key):
        yield


def client_filter(org: Any) -> Callable[[str], bool]:
    """Whole organisation: every client. A jobcoach: clients of the own (past)
    trajectories, and clients not yet in any trajectory (just registered at intake)."""
    principal = current_principal()
    if principal.sees_whole_organisation:
        return lambda client_id: True
    view = platform().view(CaseloadView, org.id)
    rows = view.records(
        ("client_id", "jobcoach_id"), "SELECT client_id, jobcoach_id FROM {t}trajectory_caseload"
    )
    mine = {r["client_id"] for r in rows if r["jobcoach_id"] == str(principal.user_id)}
    in_any = {r["client_id"] for r in rows}
    return lambda client_id: client_id in mine or client_id not in in_any


def client_visible(org: Any, client_id: UUID) -> None:
    principal = current_principal()
    if principal.sees_whole_organisation:
        return
    view = platform().view(CaseloadView, org.id)
    rows = view.records(
        ("jobcoach_id",), "SELECT jobcoach_id FROM {t}trajectory_caseload WHERE client_id = %s",
        (str(client_id),),
    )
    if rows and str(principal.user_id) not in {r["jobcoach_id"] for r in rows}:
        raise NotFoundError("Cliënt niet gevonden")


def guard_client(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(*args: Any, org: Any, client_id: UUID, **kwargs: Any) -> Any:
        trajectories(org).client(client_id)  # 404 when not of this organisation
        client_visible(org, client_id)
        return view(*args, org=org, client_id=client_id, **kwargs)

    return wrapper


def member_role(org: Any, user_id: UUID) -> Role | None:
    try:
        return platform().registry.user(user_id).role_in(org.id)
    except NotFoundError:
        return None


def check_jobcoach(org: Any, user_id: UUID) -> None:
    if member_role(org, user_id) != Role.JOBCOACH:
        raise DomainError("De verantwoordelijke moet een jobcoach van deze organisatie zijn")


def guard_jobcoach(view: Callable[..., Any]) -> Callable[..., Any]:
    """/jobcoaches/<user_id>/…: a jobcoach only the own; others any jobcoach of the org."""

    @functools.wraps(view)
    def wrapper(*args: Any, org: Any, user_id: UUID, **kwargs: Any) -> Any:
        principal = current_principal()
        if member_role(org, user_id) != Role.JOBCOACH:
            raise NotFoundError("Jobcoach niet gevonden")
        if not principal.sees_whole_organisation and principal.user_id != user_id:
            raise NotFoundError("Jobcoach niet gevonden")
        return view(*args, org=org, user_id=user_id, **kwargs)

    return wrapper


def names(org: Any) -> dict[str, str]:
    return {m["user_id"]: m["name"] for m in platform().directory.members(org.id)}


def presented(org: Any, history: TrajectoryHistory) -> dict[str, Any]:
    return present(history, trajectories(org).opener())


def document_context(org: Any, trajectory: Any, opener: Any) -> documents.Context:
    app = trajectories(org)
    try:
        client = app.client(trajectory.client_id)
        client_name = opener.open(client.contact["name"]) or ERASED
        birth = opener.open(client.contact.get("date_of_birth"))
    except NotFoundError:
        client_name, birth = "—", None
    return documents.Context(
        organisation=org.name,
        jobcoach=names(org).get(str(trajectory.responsible_jobcoach), "—"),
        client_name=client_name,
        client_birth_date=_nl(birth),
    )


def document(
    org: Any, trajectory: TrajectoryHistory, kind: str, first: date | None, last: date | None
) -> documents.Document:
    opener = trajectories(org).opener()
    ctx = document_context(org, trajectory, opener)
    p = present(trajectory, opener)
    if kind in ("verantwoording", "vervolgaanvraag"):  # the rating forms as an annex
        from services.trajectories.ratings import uwv_ratings

        start, _ = documents.period(p, first, last)
        ctx.ratings = uwv_ratings(platform(), org.id, trajectory.id, start)
    return documents.build(kind, p, ctx, first, last)


def document_check(
    org: Any, trajectory: TrajectoryHistory, kind: str, first: date | None, last: date | None
) -> dict[str, Any]:
    opener = trajectories(org).opener()
    ctx = document_context(org, trajectory, opener)
    return documents.check(kind, present(trajectory, opener), ctx, first, last)


def document_response(doc: documents.Document, fmt: str) -> Response:
    if fmt == "html":
        return Response(render_template("trajectories/document.html", doc=doc),
                        mimetype="text/html")
    response = Response(pdf.render(doc), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{doc.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _nl(iso: str | None) -> str | None:
    if not iso or iso == ERASED:
        return iso
    try:
        return date.fromisoformat(iso).strftime("%d-%m-%Y")
    except ValueError:
        return iso
