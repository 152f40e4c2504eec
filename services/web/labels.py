"""Translated labels for values that come from the domain (roles)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from services.kernel.auth.roles import ROLE_LABELS_NL, Role

# roles.py holds the Dutch labels; listing them here marks them for extraction
# (pybabel extract), so the English catalog has them. A test keeps both in step.
_MARKED_FOR_TRANSLATION = (
    _l("Jobcoach"),
    _l("Manager"),
    _l("Kwaliteitsfunctionaris"),
    _l("Beheerder organisatie"),
    _l("Auditor (extern)"),
)


def role_label(role: str | Role | None) -> str:
    try:
        return gettext(ROLE_LABELS_NL[Role(role)])
    except (KeyError, ValueError):
        return str(role or "")
