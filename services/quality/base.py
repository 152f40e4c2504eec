"""Base of the quality applications: dates in events, an injectable clock."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import JSONTranscoder

from services.kernel.settings import Settings
from services.kernel.store import TenantApplication
from services.kernel.transcodings import DateAsISO
from services.quality.clock import Clock, SystemClock, today


class QualityApplication(TenantApplication):
    def __init__(self, settings: Settings, org_id: UUID | None, **kwargs: Any) -> None:
        self.clock: Clock = SystemClock()
        super().__init__(settings, org_id, **kwargs)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def today(self) -> date:
        return today(self.clock)
