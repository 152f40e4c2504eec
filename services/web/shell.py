"""What every page's layout needs: the signed-in user, organisation and menu."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, session

from services.kernel.auth.access import session_user
from services.web import navigation
from services.web.labels import role_label

log = logging.getLogger(__name__)


def init(app: Flask) -> None:
    @app.context_processor
    def _layout() -> dict[str, Any]:
        principal = g.get("principal")
        organisation = g.get("organisation")
        user = g.get("user") or _user_or_none()
        menu = []
        if principal is not None and principal.user_id is not None and organisation is not None:
            menu = navigation.links(principal, organisation)
        return {
            "current_user": user,
            "organisation": organisation,
            "nav_items": menu,
            "nav_active": navigation.active_key(),
            "many_organisations": bool(user and len(user.memberships) > 1),
            "second_factor": bool(session.get("second_factor")),
            "role_label": role_label,
        }


def _user_or_none() -> Any | None:
    """The signed-in user; None (not an error) when even that fails, e.g. on a 500 page."""
    try:
        return session_user()
    except Exception:  # the layout must render whatever broke the request
        log.exception("could not load the signed-in user for the layout")
        return None
