"""Auditor access: re-checked on EVERY request, and journalled.

Put `@auditor_checked("<action>")` directly under `@org_api(...)`/`@org_page(...)`. For
an auditor the grant aggregate is loaded fresh: no grant, outside its period, revoked,
or for another quality mark than asked → 404, exactly like another organisation's
page; a grant whose period is over also ends the auditor's membership there and then
(services/audit/expiry.py). Every request an auditor makes is recorded as an event in
the organisation's audit journal, so it lands in the audit log. Staff pass through unchanged.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from flask import abort, current_app, g, request

from services.audit.application import AuditJournal, AuditorAccess
from services.audit.expiry import end_if_expired
from services.kernel.auth.access import current_principal
from services.kernel.auth.roles import Role


def _platform() -> Any:
    return current_app.extensions["jobtrail"]


def is_auditor() -> bool:
    return current_principal().role == Role.AUDITOR


def auditor_checked(action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, org: Any, **kwargs: Any) -> Any:
            g.audit_grant = None
            if is_auditor():
                principal = current_principal()
                now = datetime.now(UTC)
                found = (
                    _platform().apps.get(AuditorAccess).grant_of(principal.user_id, org.id)
                    if principal.user_id
                    else None
                )
                if found is not None and found.valid_until <= now:
                    end_if_expired(_platform(), found, now)  # lazily, besides the daily job
                grant = found if found is not None and found.allows(now) else None
                if grant is None:
                    abort(404)
                asked = kwargs.get("mark") or request.args.get("mark")
                if asked and asked != grant.mark:
                    abort(404)
                g.audit_grant = grant
                _platform().app(AuditJournal, org.id).record(
                    f"auditor.{action}",
                    grant=grant.id,
                    mark=grant.mark,
                    method=request.method,
                    path=request.path,
                )
            return view(*args, org=org, **kwargs)

        return wrapper

    return decorate


def pseudonym(org_id: UUID, subject_id: object, secret: str) -> str:
    """A stable, unlinkable-across-organisations pseudonym for a client id."""
    digest = hmac.new(
        secret.encode(), f"{org_id}:{subject_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"cliënt-{digest[:10]}"
