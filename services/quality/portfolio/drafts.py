"""Handing out a portfolio draft: both files generated, their hashes recorded.

Every generation (preview, PDF or Markdown download) renders the Markdown and the PDF
and records a PortfolioDraft with their SHA-256: the PDF is deterministic for a draft
of a given day, so a file the jobcoach downloads can be checked against the record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.quality.portfolio import pdf
from services.quality.portfolio.model import Portfolio
from services.quality.training.portfolio_drafts import PortfolioDraft


@dataclass(frozen=True)
class Generated:
    portfolio: Portfolio
    record: PortfolioDraft
    markdown: bytes
    pdf: bytes


def generate(platform: Any, org_id: UUID, jobcoach_id: UUID, trajectory_id: UUID,
             portfolio: Portfolio, delivered: str) -> Generated:
    from services.quality.training.application import Development

    markdown, document = portfolio.markdown().encode(), pdf.render(portfolio)
    record = platform.app(Development, org_id).record_portfolio_draft(
        jobcoach_id=jobcoach_id, trajectory_id=trajectory_id,
        word_count=portfolio.word_count,
        markdown_sha256=hashlib.sha256(markdown).hexdigest(),
        pdf_sha256=hashlib.sha256(document).hexdigest(),
        names_checked=portfolio.names_checked, delivered=delivered)
    return Generated(portfolio, record, markdown, document)
