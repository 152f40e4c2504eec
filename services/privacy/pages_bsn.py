"""BSN on the officer's pages: switching BSN registration on (with its legal basis) or off,
and recording a client's BSN. A BSN only ever travels in a POST body: it is never put
back into a page after a refusal, nor into a URL, a redirect or a flash message; the
pages say "vastgelegd", never the number."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import redirect, url_for
from flask_babel import gettext as _

from services.kernel.auth.access import org_page
from services.kernel.domain import DomainError
from services.privacy.bsn import normalise
from services.privacy.forms import ActionForm
from services.privacy.forms_rights import BsnForm, BsnPolicyForm
from services.privacy.pages import bp, done, office, page, refused


def bsn_section(desk: Any, client_id: UUID, record: Any, form: Any = None) -> dict[str, Any]:
    """What the client page shows about the BSN: switched on?, recorded? (never the number)."""
    form = form or BsnForm(prefix="bsn-", formdata=None)
    form.bsn.data = ""  # a refused BSN is not shown again
    form.bsn.raw_data = []
    return {
        "enabled": desk.app.policy().bsn_enabled,
        "recorded": bool(record is not None and record.bsn),
        "form": form,
    }


def _bsn_page(org: Any, form: Any = None, error: str | None = None, status: int = 200) -> Any:
    policy = office(org).app.policy()
    form = form or BsnPolicyForm(prefix="policy-", formdata=None)
    return page("bsn", status, policy=policy, form=form, error=error,
                action=ActionForm(prefix="action-", formdata=None))


@bp.get("/o/<org>/privacy/bsn")
@org_page("privacy:read")
def bsn_policy(org: Any) -> Any:
    return _bsn_page(org)


@bp.post("/o/<org>/privacy/bsn")
@org_page("privacy:write")
def enable_bsn(org: Any) -> Any:
    form = BsnPolicyForm(prefix="policy-")
    if not form.validate_on_submit():
        return _bsn_page(org, form, status=422)
    try:
        office(org).enable_bsn(form.legal_basis.data.strip())
    except DomainError as err:
        return _bsn_page(org, form, refused(err), 422)
    done(_("BSN-registratie staat aan, met de vastgelegde grondslag."))
    return redirect(url_for("privacy.bsn_policy", org=org.slug))


@bp.post("/o/<org>/privacy/bsn/uit")
@org_page("privacy:write")
def disable_bsn(org: Any) -> Any:
    ActionForm(prefix="action-").validate_on_submit()  # CSRF is checked app-wide already
    try:
        office(org).disable_bsn()
    except DomainError as err:
        return _bsn_page(org, error=refused(err), status=422)
    done(_("BSN-registratie staat uit: er kan geen BSN meer worden vastgelegd."))
    return redirect(url_for("privacy.bsn_policy", org=org.slug))


@bp.post("/o/<org>/privacy/clienten/<uuid:client_id>/bsn")
@org_page("privacy:write")
def record_bsn(org: Any, client_id: UUID) -> Any:
    from services.privacy.pages_clients import _client_page

    desk = office(org)
    desk.check_client(client_id)
    form = BsnForm(prefix="bsn-")
    if not form.validate_on_submit():
        return _client_page(org, client_id, status=422, bsn=form)
    try:
        desk.record_bsn(client_id, normalise(form.bsn.data))
    except DomainError as err:
        form.bsn.errors = [refused(err)]
        return _client_page(org, client_id, status=422, bsn=form)
    done(_("Het BSN is vastgelegd (versleuteld met de sleutel van de cliënt)."))
    return redirect(url_for("privacy.client", org=org.slug, client_id=client_id))


@bp.post("/o/<org>/privacy/clienten/<uuid:client_id>/bsn/verwijderen")
@org_page("privacy:write")
def remove_bsn(org: Any, client_id: UUID) -> Any:
    from flask import flash

    ActionForm(prefix="action-").validate_on_submit()  # CSRF is checked app-wide already
    try:
        office(org).remove_bsn(client_id)
    except DomainError as err:
        flash(refused(err), "error")
    else:
        done(_("Het BSN is verwijderd."))
    return redirect(url_for("privacy.client", org=org.slug, client_id=client_id))
