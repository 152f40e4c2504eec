"""HTTP conventions shared by every blueprint: RFC 9457 problem details, ETags,
idempotency keys. Only the edge (api/views) imports this module."""

from __future__ import annotations

from typing import Any

from flask import Response, json, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, default_exceptions

from services.kernel.domain import ConflictError, DomainError, NotFoundError
from services.kernel.store import PreconditionFailedError

PROBLEM_JSON = "application/problem+json"

TITLES_NL = {
    400: "Ongeldig verzoek",
    401: "Niet aangemeld",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    409: "Conflict",
    412: "Versie komt niet overeen",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    422: "Invoer klopt niet",
    428: "If-Match ontbreekt",
    429: "Te veel verzoeken",
    500: "Interne fout",
}


def problem(status: int, detail: str | None = None, **extra: Any) -> Response:
    body = {
        "type": "about:blank",
        "title": TITLES_NL.get(status, "Fout"),
        "status": status,
        **({"detail": detail} if detail else {}),
        **extra,
    }
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)


class ProblemApi(Api):
    """flask-smorest's Api, answering every HTTP error as problem+json."""

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        data = getattr(error, "data", None) or {}
        extra: dict[str, Any] = {}
        if "messages" in data:  # webargs validation errors, per location
            extra["errors"] = data["messages"]
        detail = data.get("message") or (error.description if error.code != 500 else None)
        response = problem(error.code or 500, detail, **extra)
        for name, value in (data.get("headers") or {}).items():
            response.headers[name] = value
        if error.code == 401:
            response.headers.setdefault("WWW-Authenticate", 'Bearer realm="jobtrail"')
        return response


DOMAIN_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (NotFoundError, 404),
    (PreconditionFailedError, 412),  # before ConflictError: it is one
    (ConflictError, 409),
    (DomainError, 422),
)


def register_domain_errors(app: Any, html_page: Any) -> None:
    """Domain refusals: problem+json on the API, the friendly error page elsewhere."""

    def handle(error: DomainError) -> Any:
        status = next(code for kind, code in DOMAIN_STATUS if isinstance(error, kind))
        if request.path.startswith(("/api/", "/oauth/")):
            return problem(status, str(error))
        return html_page(default_exceptions[status](description=str(error)))

    app.register_error_handler(DomainError, handle)


def etag_for(version: int) -> str:
    return f'"{version}"'


def expected_version() -> int | None:
    """The aggregate version named by If-Match, if the client sent one."""
    header = request.headers.get("If-Match")
    if not header:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise PreconditionFailedError('If-Match moet een versie zijn zoals "3"')
    return int(value)


def idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (1 <= len(key) <= 200 and key.isprintable()):
        raise DomainError("Idempotency-Key: 1-200 afdrukbare tekens")
    return key
