"""Auditor grants per organisation (platform read model), for the admin's overview.

Access checks never use this view: they load the grant aggregate on every request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from services.audit.domainmodel import AuditorGrant
from services.kernel.views import Rows, View, handles

COLUMNS = ("grant_id", "org_id", "auditor_id", "mark", "valid_from", "valid_until", "revoked")


class AuditorGrantsView(View):
    name = "auditor_grants"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}auditor_grants ("
        " grant_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, auditor_id TEXT NOT NULL,"
        " mark TEXT NOT NULL, valid_from TEXT NOT NULL, valid_until TEXT NOT NULL,"
        " revoked BOOLEAN NOT NULL)",
    )

    @handles(AuditorGrant.Created)
    def _granted(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}auditor_grants VALUES (%s, %s, %s, %s, %s, %s, FALSE)"
            " ON CONFLICT (grant_id) DO NOTHING",
            (
                str(e.originator_id),
                str(e.organisation_id),
                str(e.auditor_id),
                e.mark,
                e.valid_from.isoformat(),
                e.valid_until.isoformat(),
            ),
        )

    @handles(AuditorGrant.Renewed)
    def _renewed(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}auditor_grants SET mark = %s, valid_from = %s, valid_until = %s,"
            " revoked = FALSE WHERE grant_id = %s",
            (e.mark, e.valid_from.isoformat(), e.valid_until.isoformat(), str(e.originator_id)),
        )

    @handles(AuditorGrant.Revoked)
    def _revoked(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}auditor_grants SET revoked = TRUE WHERE grant_id = %s",
            (str(e.originator_id),),
        )

    def expired(self, now: datetime) -> list[dict[str, Any]]:
        """Grants whose period ended before `now` and that were not revoked (ISO strings
        of one offset compare in order; grants are stored as given, so compare parsed)."""
        found = self.records(
            COLUMNS,
            f"SELECT {', '.join(COLUMNS)} FROM {{t}}auditor_grants WHERE revoked = FALSE",
        )
        return [g for g in found if datetime.fromisoformat(g["valid_until"]) <= now]

    def of_organisation(self, org_id: UUID) -> list[dict[str, Any]]:
        found = self.records(
            COLUMNS,
            f"SELECT {', '.join(COLUMNS)} FROM {{t}}auditor_grants WHERE org_id = %s"
            " ORDER BY valid_until DESC",
            (str(org_id),),
        )
        for item in found:
            item["revoked"] = bool(item["revoked"])
        return found
