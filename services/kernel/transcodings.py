"""Transcodings every context registers for the values its events carry."""

from __future__ import annotations

from datetime import date

from eventsourcing.persistence import Transcoding


class DateAsISO(Transcoding):
    """A `date` in an event as "YYYY-MM-DD". The name is stored with every encoded date,
    so it must never change (events already written decode by it)."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)
