"""Peer-review cases are discussed anonymously: their labels and summaries are checked
against every name in the organisation's client data (clients and their network
contacts, opened with their own subject keys), with the portfolio's name matching.

A refusal says where (case, field, word number) but never which name or whose: telling
a participant that a word is a client's name would itself disclose a client. The names
are compared by the platform and shown to no one, so no read is logged per client.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.kernel.domain import DomainError
from services.kernel.personal_data import ERASED
from services.quality import sources
from services.quality.portfolio.annexes import open_value
from services.quality.portfolio.anonymise import Names
from services.quality.portfolio.model import count_words

FIELDS = (("label", "titel"), ("summary", "samenvatting"))


def organisation_names(platform: Any, org_id: UUID) -> Names:
    names, keys = Names(), platform.subject_keys(org_id)
    for kind, sealed in sources.client_names(platform, org_id):
        value = open_value(keys, sealed)
        if value and value != ERASED:
            names.person(value, "de werknemer" if kind == "client" else "iemand uit het netwerk",
                         kind)
    return names


def problems(names: Names, cases: list[dict[str, Any]]) -> list[str]:
    found = []
    for n, case in enumerate(cases, 1):
        for key, field in FIELDS:
            text = str(case.get(key) or "")
            for start, _ in names.spans(text):
                word = count_words(text[:start]) + 1
                found.append(f"casus {n}, {field}, woord {word}")
    return found


def check(platform: Any, org_id: UUID, cases: list[dict[str, Any]]) -> None:
    """DomainError (422) naming every place where a client's or contact's name stands."""
    where = problems(organisation_names(platform, org_id), cases)
    if where:
        raise DomainError(
            "Een casus wordt anoniem besproken, maar er staat een naam uit de cliëntgegevens"
            " van de organisatie in: %(places)s. Vervang die door een rol, zoals"
            " 'de werknemer' of 'de werkgever'.", places="; ".join(where),
        )
