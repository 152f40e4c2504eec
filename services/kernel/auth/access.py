"""Who is asking, and may they: one decorator for API views, one for web pages.

Both resolve the organisation from the URL first and answer 404 (never 403) when
the caller does not belong to it, so another organisation's existence and ids
are never confirmed. Both then enter the acting context that stamps events.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import abort, current_app, g, redirect, request, session, url_for

from services.kernel import context
from services.kernel.auth.roles import SEES_CLIENT_DATA, SEES_WHOLE_ORGANISATION, Role, scopes_for
from services.kernel.domain import NotFoundError
from services.kernel.http import idempotency_key


@dataclass(frozen=True)
class Principal:
    actor: str  # "user:<uuid>" or "client:<uuid>", as stamped on events
    org_id: UUID
    role: Role
    scopes: frozenset[str]
    user_id: UUID | None = None  # None for API clients

    @property
    def sees_whole_organisation(self) -> bool:
        return self.role in SEES_WHOLE_ORGANISATION

    def may(self, scope: str) -> bool:
        return scope in self.scopes


def current_principal() -> Principal:
    return g.principal


def _platform() -> Any:
    return current_app.extensions["jobtrail"]


def _organisation(slug: str) -> Any:
    try:
        return _platform().registry.organisation_by_slug(slug)
    except NotFoundError:
        abort(404, "Organisatie niet gevonden")
    except Exception:  # a malformed slug is simply not found
        abort(404, "Organisatie niet gevonden")


def org_api(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """API views under /api/v1/orgs/<org>/…: bearer token of that organisation with `scope`."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, org: str, **kwargs: Any) -> Any:
            claims = _platform().tokens.authenticate_request(request)  # 401 on any flaw
            organisation = _organisation(org)
            if claims.org_id != organisation.id:
                abort(404, "Organisatie niet gevonden")
            principal = Principal(
                actor=f"client:{claims.client_id}",
                org_id=organisation.id,
                role=claims.role,
                scopes=claims.scopes,
                user_id=claims.user_id,
            )
            if not principal.may(scope):
                abort(403, f"Het token mist de scope '{scope}'")
            g.principal = principal
            g.organisation = organisation
            with context.acting(organisation.id, principal.actor, idempotency_key()):
                return view(*args, org=organisation, **kwargs)

        wrapper.required_scope = scope  # type: ignore[attr-defined]
        return wrapper

    return decorate


# Web sessions -------------------------------------------------------------------------


def login_session(user_id: UUID, *, second_factor: bool) -> None:
    session.clear()
    new_session_id()  # no session fixation
    session["user_id"] = str(user_id)
    session["second_factor"] = second_factor


def new_session_id() -> None:
    """Flask-Session keeps the id through clear(), and its regenerate() skips an empty
    session: mark it, so a planted or old id never carries a login."""
    regenerate = getattr(current_app.session_interface, "regenerate", None)
    if regenerate is not None:
        session["_rotating"] = True
        regenerate(session)
        del session["_rotating"]


def logout_session() -> None:
    session.clear()


def session_user() -> Any | None:
    raw = session.get("user_id")
    if not raw:
        return None
    try:
        user = _platform().registry.user(UUID(raw))
    except NotFoundError:
        return None
    return None if user.disabled else user


def needs_second_factor(user: Any, organisation: Any, role: Role) -> bool:
    return bool(organisation.totp_required and role in SEES_CLIENT_DATA) and not session.get(
        "second_factor"
    )


def org_page(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Web pages under /o/<org>/…: a signed-in member of that organisation with `scope`."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, org: str, **kwargs: Any) -> Any:
            user = session_user()
            if user is None:
                return redirect(url_for("auth.login", next=request.full_path))
            organisation = _organisation(org)
            role = user.role_in(organisation.id)
            if role is None:
                abort(404)
            if needs_second_factor(user, organisation, role):
                target = "auth.totp" if user.totp_secret else "auth.totp_enrol"
                return redirect(url_for(target, next=request.full_path))
            principal = Principal(
                actor=f"user:{user.id}",
                org_id=organisation.id,
                role=role,
                scopes=scopes_for(role),
                user_id=user.id,
            )
            if not principal.may(scope):
                abort(404)
            g.principal, g.organisation, g.user = principal, organisation, user
            with context.acting(organisation.id, principal.actor):
                return view(*args, org=organisation, **kwargs)

        wrapper.required_scope = scope  # type: ignore[attr-defined]
        return wrapper

    return decorate
