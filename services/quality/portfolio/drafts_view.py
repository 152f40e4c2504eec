"""Portfolio drafts per jobcoach (from PortfolioDraft events): the jobcoach's own list."""

from __future__ import annotations

from typing import Any

from services.kernel.views import Rows, View, handles
from services.quality.training.portfolio_drafts import PortfolioDraft

COLUMNS = ("draft_id", "jobcoach_id", "trajectory_id", "drafted_at", "word_count",
           "delivered", "markdown_sha256", "pdf_sha256", "anonymised", "names_checked")


class PortfolioDraftsView(View):
    name = "portfolio_drafts"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}portfolio_drafts ("
        " draft_id TEXT PRIMARY KEY, jobcoach_id TEXT NOT NULL, trajectory_id TEXT NOT NULL,"
        " drafted_at TEXT NOT NULL, word_count INTEGER NOT NULL, delivered TEXT NOT NULL,"
        " markdown_sha256 TEXT NOT NULL, pdf_sha256 TEXT NOT NULL, anonymised INTEGER NOT NULL,"
        " names_checked INTEGER NOT NULL)",
    )

    @handles(PortfolioDraft.Created)
    def _generated(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}portfolio_drafts VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (draft_id) DO NOTHING",
            (str(e.originator_id), str(e.jobcoach_id), str(e.trajectory_id),
             e.timestamp.isoformat(), e.word_count, e.delivered, e.markdown_sha256,
             e.pdf_sha256, 1 if e.anonymisation.get("passed") else 0,
             int(e.anonymisation.get("names_checked", 0))),
        )

    def drafts_of(self, jobcoach_id: str, limit: int = 50) -> list[dict[str, Any]]:
        return self.records(
            COLUMNS,
            f"SELECT {', '.join(COLUMNS)} FROM {{t}}portfolio_drafts WHERE jobcoach_id = %s"
            f" ORDER BY drafted_at DESC, draft_id LIMIT {int(limit)}",
            (jobcoach_id,),
        )
