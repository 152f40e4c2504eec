"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify

from services.kernel.views import lag

bp = Blueprint("health", __name__)

MAX_READY_LAG = 10_000  # events; beyond this the read side is too stale to serve


@bp.get("/healthz")
def healthz() -> Any:
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Any:
    platform = current_app.extensions["jobtrail"]
    checks: dict[str, Any] = {}
    ready = True
    try:
        platform.registry.recorder.max_notification_id()
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"fout: {type(error).__name__}"
        ready = False
    if platform.settings.redis_url:
        try:
            platform.jobs.queue.connection.ping()
            checks["redis"] = "ok"
        except Exception as error:
            checks["redis"] = f"fout: {type(error).__name__}"
            ready = False
    else:
        checks["redis"] = "niet geconfigureerd (jobs draaien inline)"
    if checks["database"] == "ok":
        lags = {
            f"{org_id or 'platform'}/{view.name}": lag(view)
            for org_id, view in platform.all_views()
        }
        checks["projection_lag"] = {"max": max(lags.values(), default=0), "per_view": lags}
        ready = ready and checks["projection_lag"]["max"] <= MAX_READY_LAG
    return jsonify(ready=ready, checks=checks), 200 if ready else 503
