"""Whose subject key seals a complaint: the client's, when a client is involved.

A complaint by a client, or about a client's trajectory, is sealed with that client's
key, so erasing the client erases the complaint's personal data as well. Only when no
client is involved does the complaint get a subject of its own (a random id).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.kernel.domain import DomainError
from services.quality import sources


def client_subject(platform: Any, org_id: UUID, *, client_number: str | None = None,
                   trajectory_id: UUID | None = None,
                   subject_id: UUID | None = None) -> UUID | None:
    """The client by number, by the trajectory the complaint concerns, or as given;
    refused when they do not exist here or point at different clients."""
    found: set[UUID] = set()
    if subject_id:  # a stray id would get a key of its own, which erasing no client erases
        if not sources.is_client(platform, org_id, subject_id):
            raise DomainError("subject_id %(subject_id)s is geen cliënt van deze organisatie;"
                              " laat het weg als de klager geen cliënt is",
                              subject_id=str(subject_id))
        found.add(subject_id)
    if client_number:
        client = sources.client_by_number(platform, org_id, client_number)
        if client is None:
            raise DomainError("Er is geen cliënt met cliëntnummer %(number)s",
                              number=client_number.strip())
        found.add(client)
    if trajectory_id:
        client = sources.client_of(platform, org_id, trajectory_id)
        if client is None:
            raise DomainError("Dit traject bestaat niet in deze organisatie")
        found.add(client)
    if len(found) > 1:
        raise DomainError("Het traject hoort bij een andere cliënt dan het cliëntnummer")
    return found.pop() if found else None
