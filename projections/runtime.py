"""Run, rebuild and inspect every view of every organisation.

`run` is also the sweeper: whatever a lost or failed catch-up job left behind
(Redis down, worker killed) is found here by its lag and brought up to date.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.kernel import context
from services.kernel.view_generations import rebuild_generation
from services.kernel.views import View, catch_up, lag

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ViewStatus:
    org: str
    view: str
    position: int
    head: int

    @property
    def lag(self) -> int:
        return max(0, self.head - self.position)


def _org_label(platform: Any, org_id: UUID | None) -> str:
    return "platform" if org_id is None else platform.registry.organisation(org_id).slug


def selected(
    platform: Any, org_slug: str | None = None, view_name: str | None = None
) -> Iterator[tuple[UUID | None, View]]:
    for org_id, view in platform.all_views():
        if org_slug and _org_label(platform, org_id) != org_slug:
            continue
        if view_name and view.name != view_name:
            continue
        yield org_id, view


def status(platform: Any) -> list[ViewStatus]:
    return [
        ViewStatus(
            _org_label(platform, org_id),
            view.name,
            view.position(),
            view.app.recorder.max_notification_id() or 0,
        )
        for org_id, view in platform.all_views()
    ]


def sweep(platform: Any) -> int:
    """One pass over all views: catch up every view that lags. Returns events applied."""
    applied = 0
    for org_id, view in platform.all_views():
        try:
            if lag(view):
                with context.acting(org_id, "system:projections"):
                    applied += catch_up_view(view)
        except Exception:  # one broken view must not stop the others
            log.exception("catching up %s/%s failed", org_id or "platform", view.name)
    return applied


def run_forever(platform: Any, interval: float = 1.0, stop: Callable[[], bool] = lambda: False):
    while not stop():
        try:
            applied = sweep(platform)
        except Exception:  # e.g. the database is briefly away: keep sweeping
            log.exception("projection sweep failed")
            applied = 0
        if applied == 0:
            time.sleep(interval)


def rebuild(views: View | Sequence[View], progress: Callable[[int], None] | None = None) -> int:
    """Replay the log into a new generation of the view and swap it in at once; the live
    view keeps serving meanwhile (services/kernel/view_generations.py). `views` are the
    view of every application feeding the same tables (audit_actors: one per application).
    Refuses the audit log: it is append-only evidence, never rebuilt."""
    group = [views] if isinstance(views, View) else list(views)
    return rebuild_generation(group, progress=progress)


def rebuild_groups(
    platform: Any, org_slug: str | None = None, view_name: str | None = None
) -> list[tuple[str, list[View]]]:
    """The selected views, those sharing tables (same organisation and name) together."""
    groups: dict[tuple[UUID | None, str], list[View]] = {}
    for org_id, view in selected(platform, org_slug, view_name):
        groups.setdefault((org_id, view.name), []).append(view)
    return [(f"{_org_label(platform, org)}/{name}", group) for (org, name), group in groups.items()]


def catch_up_view(view: View, progress: Callable[[int], None] | None = None) -> int:
    """A view's own catch-up when it has one (the audit log reads the events table
    directly, projections/audit_log.py), else the generic batched one."""
    own = getattr(view, "catch_up", None)
    return own(progress=progress) if own is not None else catch_up(view, progress=progress)
