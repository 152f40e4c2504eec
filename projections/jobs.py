"""RQ jobs of the projections runtime. Arguments are ids only."""

from __future__ import annotations

from typing import Any

from projections.runtime import catch_up_view
from services.kernel import context


def catch_up_app(platform: Any, app_name: str) -> int:
    """Bring every view of one application of the acting organisation up to date."""
    from services.catalogue import VIEWS

    org_id = context.current().org_id
    app_class = next(a for a in VIEWS if a.name == app_name)
    return sum(catch_up_view(view) for view in platform.views_of(app_class, org_id))
