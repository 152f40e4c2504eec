"""The organisation's navigation: one list, filtered by what the role may use.

To add a page: build the view (org_page with its scope) and put its endpoint in
the item below. Until an endpoint is registered the link goes to a clearly
marked "binnenkort beschikbaar" page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class NavItem:
    key: str  # stable id: placeholder URL part and `active_page` in templates
    label: Any  # lazy string
    scope: str  # shown only to roles with this scope (services/kernel/auth/roles.py)
    description: Any
    endpoint: str | None = None  # the real page, once it exists


NAV: tuple[NavItem, ...] = (
    NavItem(
        "trajecten",
        _l("Trajecten"),
        "trajectories:read",
        _l("Cliënten en hun trajecten, van intake tot afronding."),
        endpoint="trajectories_web.dashboard",
    ),
    NavItem(
        "kwaliteit",
        _l("Kwaliteit"),
        "quality:read",
        _l("Klachten, tevredenheid, scholing en intercollegiale toetsing."),
        endpoint="quality_web.overview_page",
    ),
    NavItem(
        "ontwikkeling",
        _l("Mijn ontwikkeling"),
        "quality:own",
        _l("Je eigen scholing, registers en zelfevaluatie."),
        endpoint="quality_own.own",
    ),
    NavItem(
        "privacy",
        _l("Privacy"),
        "privacy:read",
        _l("Toestemmingen, verzoeken van betrokkenen, bewaartermijnen en datalekken."),
        endpoint="privacy.dashboard",
    ),
    NavItem(
        "audit",
        _l("Audit"),
        "audit:read",
        _l("Auditlog, toegang voor auditoren en bewijs per keurmerk."),
        endpoint="audit_web.overview",
    ),
    NavItem(
        "rapportages",
        _l("Rapportages"),
        "reports:read",
        _l("Cijfers over plaatsingen, uren, tevredenheid en scholing."),
        endpoint="renewal_web.dashboard",
    ),
    NavItem(
        "medewerkers",
        _l("Medewerkers"),
        "directory:read",
        _l("Wie er in deze organisatie werkt, en in welke rol."),
        endpoint="web.members",
    ),
)


def item(key: str) -> NavItem | None:
    return next((i for i in NAV if i.key == key), None)


def is_built(nav_item: NavItem) -> bool:
    return bool(nav_item.endpoint and nav_item.endpoint in current_app.view_functions)


def links(principal: Any, organisation: Any) -> list[dict[str, Any]]:
    """The items this principal may use, with their URLs, in menu order."""
    result = []
    for nav_item in NAV:
        if not principal.may(nav_item.scope):
            continue
        built = is_built(nav_item)
        url = (
            url_for(nav_item.endpoint, org=organisation.slug)
            if built
            else url_for("web.coming_soon", org=organisation.slug, page=nav_item.key)
        )
        result.append(
            {
                "key": nav_item.key,
                "label": nav_item.label,
                "description": nav_item.description,
                "url": url,
                "soon": not built,
            }
        )
    return result


def active_key() -> str | None:
    """The item of the current page (templates may override with `active_page`)."""
    if request.endpoint == "web.coming_soon":
        return (request.view_args or {}).get("page")
    return next((i.key for i in NAV if i.endpoint and i.endpoint == request.endpoint), None)
