"""A campaign's coverage as a person reads it: exemption reasons opened, the read logged.

An exemption's reason is about the client (deceased, ill, moved abroad) and is stored
sealed with the client's key; opening it for a page or an API answer is a read of that
client's data (services.privacy.access).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.kernel.personal_data import SubjectKeys, is_sealed
from services.privacy.access import log_read
from services.quality.satisfaction.domainmodel import SurveyCampaign


def opened_coverage(
    campaign: SurveyCampaign, keys: SubjectKeys
) -> tuple[dict[str, Any], set[UUID]]:
    """The coverage with reasons opened ([gewist] once the client is erased; reasons
    recorded before they were sealed stay as written) and the clients whose reason it shows."""
    coverage = campaign.coverage()
    read: set[UUID] = set()
    for row in coverage["rows"]:
        if is_sealed(row["reason"]):
            read.add(UUID(row["reason"]["kid"]))
            row["reason"] = keys.open(row["reason"])
    return coverage, read


def shown_coverage(platform: Any, org_id: UUID, campaign: SurveyCampaign,
                   channel: str) -> dict[str, Any]:
    """The opened coverage, each client whose reason it shows logged as read."""
    coverage, read = opened_coverage(campaign, platform.subject_keys(org_id))
    for client_id in sorted(read, key=str):
        log_read(platform, org_id, client_id, "survey.exemption_reason", "quality", channel)
    return coverage
