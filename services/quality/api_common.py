"""Helpers shared by the quality API modules."""

from __future__ import annotations

from typing import Any

from flask import current_app

from services.kernel.http import etag_for


def platform() -> Any:
    return current_app.extensions["jobtrail"]


def with_etag(body: Any, version: int, status: int = 200) -> tuple[Any, int, dict[str, str]]:
    return body, status, {"ETag": etag_for(version)}
