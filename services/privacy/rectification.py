"""Rectification (art. 16 AVG) applied, not only tracked: the officer corrects the
client's contact data through trajectories' own command (revise_client_contact), and
the request records which fields were corrected, when and by whom (names, no values).

The correction and its record are two commands in two applications: the contact is
revised first (a conflict there leaves nothing half-done), then the request records it.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.kernel import context
from services.kernel.domain import DomainError, NotFoundError
from services.kernel.store import PreconditionFailedError
from services.privacy.requests import DataSubjectRequest
from services.privacy.vocabulary import RECTIFIABLE_FIELDS


def _rectification_request(office: Any, request_id: UUID) -> DataSubjectRequest:
    request = office.app.request(request_id)
    if request.kind != "rectification":
        raise DomainError("Rectificeren hoort bij een verzoek om rectificatie")
    if not request.is_open:
        raise DomainError("Dit verzoek is al afgehandeld")
    if office.is_erased(request.client_id):
        raise DomainError("De gegevens van deze cliënt zijn gewist")
    return request


def _client(office: Any, client_id: UUID) -> Any:
    """The client's record in trajectories, where the contact data lives."""
    try:
        return office.platform.trajectories(office.org_id).client(client_id)
    except NotFoundError:  # known to privacy only (no client file): nothing to correct here
        raise DomainError("Deze cliënt heeft geen dossier met contactgegevens") from None


def _opened(office: Any, client: Any) -> dict[str, str | None]:
    return {name: office.open(client.contact.get(name)) for name in RECTIFIABLE_FIELDS}


def current_contact(office: Any, request_id: UUID, channel: str) -> tuple[dict[str, Any], int]:
    """The client's contact data as it is now, and the client's version (for If-Match).
    Opening it is logged: the officer sees the client's personal data."""
    request = _rectification_request(office, request_id)
    client = _client(office, request.client_id)
    office.log_access(request.client_id, "client.contact", "data_subject_request", channel)
    return _opened(office, client), client.version


def _clean(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if name == "date_of_birth":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise DomainError("Geboortedatum: gebruik jjjj-mm-dd") from None
    return text


def rectify(
    office: Any,
    request_id: UUID,
    corrections: dict[str, Any],
    client_version: int | None = None,
    expected_version: int | None = None,
) -> tuple[DataSubjectRequest, list[str]]:
    """Apply `corrections` (field -> new value; None or empty clears a field) to the
    client's contact data and record the corrected field names on the request."""
    request = office.app.request(request_id)
    if request.has_seen(context.current().idempotency_key):  # a retried command: done already
        return request, list(request.rectifications[-1]["fields"]) if request.rectifications else []
    request = _rectification_request(office, request_id)
    if expected_version is not None and request.version != expected_version:
        raise PreconditionFailedError(
            "Dit verzoek is intussen gewijzigd: de huidige versie is %(current)s,"
            " niet %(expected)s. Laad opnieuw en probeer het nog eens.",
            current=request.version, expected=expected_version,
        )
    unknown = sorted(set(corrections) - set(RECTIFIABLE_FIELDS))
    if unknown:
        raise DomainError("Onbekende velden: %(fields)s", fields=", ".join(unknown))
    trajectories = office.platform.trajectories(office.org_id)
    client = _client(office, request.client_id)
    current = _opened(office, client)
    revised = {**current, **{k: _clean(k, v) for k, v in corrections.items()}}
    changed = [name for name in RECTIFIABLE_FIELDS if revised[name] != current[name]]
    if not changed:
        raise DomainError("Er is niets gewijzigd: vul de verbeterde gegevens in")
    if not revised["name"]:
        raise DomainError("Naam is verplicht")
    trajectories.revise_client_contact(
        request.client_id, revised, expected_version=client_version
    )
    today, by = office.today().isoformat(), context.current().actor
    updated = office.app.on_request(
        request_id, lambda r: r.record_rectification(changed, today, by), expected_version
    )
    return updated, changed
