"""A survey invitation to be sent by e-mail: the address sealed, the link made by the job.

The address is the respondent's personal data: it arrives sealed with the client's
subject key (so erasing the client erases it) and stays sealed here. The single-use
link is made only when the e-mail is sent, inside the job, so its token is never
stored and never travels in a job's arguments.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from services.kernel.domain import DomainError, StampedAggregate
from services.kernel.personal_data import Sealed

REQUESTED, SENT, NOT_SENT = "requested", "sent", "not_sent"
REASONS = ("erased",)  # why an e-mail was not sent (a code: never the address)


class EmailInvitation(StampedAggregate):
    def __init__(self, campaign_id: UUID, trajectory_id: UUID, respondent: str,
                 address: Sealed, link_base: str) -> None:
        self.campaign_id = campaign_id
        self.trajectory_id = trajectory_id
        self.respondent = respondent
        self.address = address
        self.link_base = link_base  # where the public survey page is reached
        self.status = REQUESTED
        self.invitation_id: str | None = None
        self.reason: str | None = None

    @classmethod
    def request(cls, campaign_id: UUID, trajectory_id: UUID, respondent: str, address: Sealed,
                link_base: str) -> EmailInvitation:
        if not link_base.startswith(("https://", "http://")):
            raise DomainError("Het adres van de vragenlijstpagina ontbreekt")
        return cls(campaign_id, trajectory_id, respondent, address, link_base)

    def _requested(self) -> None:
        if self.status != REQUESTED:
            raise DomainError("Deze e-mailuitnodiging is al afgehandeld")

    def mark_sent(self, invitation_id: str) -> None:
        self._requested()
        self._sent(invitation_id=invitation_id)

    @event("Sent")
    def _sent(self, invitation_id: str) -> None:
        self.invitation_id = invitation_id
        self.status = SENT

    def mark_not_sent(self, reason: str) -> None:
        self._requested()
        if reason not in REASONS:
            raise DomainError("Reden moet een van %(choices)s zijn", choices=", ".join(REASONS))
        self._not_sent(reason=reason)

    @event("NotSent")
    def _not_sent(self, reason: str) -> None:
        self.reason = reason
        self.status = NOT_SENT

    def as_dict(self) -> dict[str, Any]:
        return {"id": str(self.id), "status": self.status, "invitation_id": self.invitation_id,
                "reason": self.reason}
