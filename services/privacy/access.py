"""Read-access logging (NEN 7513 spirit) for every context that opens a client's data.

Call `log_read(...)` right where sealed client data is opened for someone, or put
`@reads_client_data("trajectory.plan")` under `@org_api`/`@org_page` on a view that
takes `client_id` (or set `client_from` to find it). Who and when come from the acting
context and the event; what is a code; why is one of vocabulary.ACCESS_REASONS.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from uuid import UUID

from services.kernel import context


def log_read(
    platform: Any,
    org_id: UUID,
    client_id: UUID,
    what: str,
    why: str = "guidance",
    channel: str = "web",
    recipient_kind: str | None = None,
    recipient_id: str | None = None,
) -> None:
    from services.privacy.application import Privacy

    platform.app(Privacy, org_id).log_access(
        client_id, what, why, channel, recipient_kind, recipient_id
    )


def reads_client_data(
    what: str,
    why: str = "guidance",
    client_from: Callable[[dict[str, Any], Any], UUID | None] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Log a read after the view answered successfully (a refused request read nothing)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from flask import current_app, request

            result = view(*args, **kwargs)
            status = result[1] if isinstance(result, tuple) and len(result) > 1 else 200
            client_id = client_from(kwargs, result) if client_from else kwargs.get("client_id")
            if client_id is not None and isinstance(status, int) and status < 400:
                channel = "api" if request.path.startswith("/api/") else "web"
                log_read(
                    current_app.extensions["jobtrail"],
                    context.current().org_id,
                    UUID(str(client_id)),
                    what,
                    why,
                    channel,
                )
            return result

        return wrapper

    return decorate
