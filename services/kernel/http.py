"""HTTP conventions shared by every blueprint: RFC 9457 problem details, ETags,
idempotency keys. Only the edge (api/views) imports this module."""

from __future__ import annotations

from typing import Any

from flask import Response, json, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, default_exceptions

from services.kernel.domain import ConflictError, DomainError, NotFoundError
from services.kernel.messages import N_, domain_message, translate, translate_errors
from services.kernel.store import PreconditionFailedError

PROBLEM_JSON = "application/problem+json"

TITLES = {  # Dutch msgids; the problem answers in the request's language
    400: N_("Ongeldig verzoek"),
    401: N_("Niet aangemeld"),
    403: N_("Geen toegang"),
    404: N_("Niet gevonden"),
    405: N_("Methode niet toegestaan"),
    409: N_("Conflict"),
    412: N_("Versie komt niet overeen"),
    413: N_("Verzoek te groot"),
    415: N_("Mediatype niet ondersteund"),
    422: N_("Invoer klopt niet"),
    428: N_("If-Match ontbreekt"),
    429: N_("Te veel verzoeken"),
    500: N_("Interne fout"),
}


def problem(status: int, detail: str | None = None, **extra: Any) -> Response:
    body = {
        "type": "about:blank",
        "title": translate(TITLES.get(status, N_("Fout"))),
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
            extra["errors"] = translate_errors(data["messages"])
        detail = data.get("message") or (error.description if error.code != 500 else None)
        detail = translate(detail) if isinstance(detail, str) else detail
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
        message = domain_message(error)
        if request.path.startswith(("/api/", "/oauth/")):
            return problem(status, message)
        return html_page(default_exceptions[status](description=message))

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
