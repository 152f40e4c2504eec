"""A record of every portfolio draft Jobtrail generated: evidence without the draft itself.

Who (the stamped actor and the jobcoach), when (the event's timestamp), which case (the
trajectory id), the word count, the SHA-256 of the Markdown and of the PDF exactly as
generated, and the anonymisation check's result (passed, and how many names and contact
values were checked). No text of the portfolio and no name: a hash says which file was
handed out without keeping what it says.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from services.kernel.domain import DomainError, StampedAggregate

SHA256 = re.compile(r"[0-9a-f]{64}")
DELIVERED = ("preview", "pdf", "markdown")  # what the jobcoach asked for


class PortfolioDraft(StampedAggregate):
    def __init__(self, jobcoach_id: UUID, trajectory_id: UUID, word_count: int,
                 markdown_sha256: str, pdf_sha256: str, anonymisation: dict[str, Any],
                 delivered: str) -> None:
        self.jobcoach_id = jobcoach_id
        self.trajectory_id = trajectory_id
        self.word_count = word_count
        self.markdown_sha256 = markdown_sha256
        self.pdf_sha256 = pdf_sha256
        self.anonymisation = anonymisation
        self.delivered = delivered

    @classmethod
    def generated(cls, jobcoach_id: UUID, trajectory_id: UUID, word_count: int,
                  markdown_sha256: str, pdf_sha256: str, names_checked: int,
                  delivered: str) -> PortfolioDraft:
        if delivered not in DELIVERED:
            raise DomainError("Soort concept moet een van %(choices)s zijn",
                              choices=", ".join(DELIVERED))
        if not (SHA256.fullmatch(markdown_sha256) and SHA256.fullmatch(pdf_sha256)):
            raise DomainError("Een concept wordt vastgelegd met de SHA-256 van tekst en PDF")
        if word_count < 0 or names_checked < 0:
            raise DomainError("Woorden en gecontroleerde namen kunnen niet negatief zijn")
        # Only a draft that passed the check is ever generated; the result says on what.
        return cls(jobcoach_id, trajectory_id, word_count, markdown_sha256, pdf_sha256,
                   {"passed": True, "names_checked": names_checked}, delivered)
