"""Directory read model: organisations and who works there in which role."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.kernel.views import Rows, View, handles
from services.platform.domainmodel import Organisation, User


class DirectoryView(View):
    name = "directory"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}directory_orgs ("
        " org_id TEXT PRIMARY KEY, slug TEXT NOT NULL, name TEXT NOT NULL,"
        " kvk_number TEXT NOT NULL, registered_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}directory_users ("
        " user_id TEXT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL,"
        " disabled BOOLEAN NOT NULL DEFAULT FALSE)",
        "CREATE TABLE IF NOT EXISTS {t}directory_members ("
        " org_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,"
        " PRIMARY KEY (org_id, user_id))",
    )

    @handles(Organisation.Created)
    def _org_registered(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}directory_orgs VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (org_id) DO NOTHING",
            (str(e.originator_id), e.slug, e.name, e.kvk_number, e.timestamp.isoformat()),
        )

    @handles(Organisation.Renamed)
    def _org_renamed(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}directory_orgs SET name = %s WHERE org_id = %s",
            (e.name, str(e.originator_id)),
        )

    @handles(User.Created)
    def _user_registered(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}directory_users VALUES (%s, %s, %s, FALSE)"
            " ON CONFLICT (user_id) DO NOTHING",
            (str(e.originator_id), e.email.strip().lower(), e.name),
        )

    @handles(User.Disabled)
    def _user_disabled(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}directory_users SET disabled = TRUE WHERE user_id = %s",
            (str(e.originator_id),),
        )

    @handles(User.MembershipGranted)
    def _member_granted(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}directory_members VALUES (%s, %s, %s)"
            " ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role",
            (str(e.organisation_id), str(e.originator_id), str(e.role)),
        )

    @handles(User.MembershipRevoked)
    def _member_revoked(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "DELETE FROM {t}directory_members WHERE org_id = %s AND user_id = %s",
            (str(e.organisation_id), str(e.originator_id)),
        )

    # Queries
    def organisations(self) -> list[dict[str, Any]]:
        keys = ("org_id", "slug", "name", "kvk_number", "registered_at")
        return self.records(
            keys, f"SELECT {', '.join(keys)} FROM {{t}}directory_orgs ORDER BY name"
        )

    def members(self, org_id: UUID) -> list[dict[str, Any]]:
        return self.records(
            ("user_id", "email", "name", "role"),
            "SELECT u.user_id, u.email, u.name, m.role FROM {t}directory_members m"
            " JOIN {t}directory_users u ON u.user_id = m.user_id"
            " WHERE m.org_id = %s AND NOT u.disabled ORDER BY u.name",
            (str(org_id),),
        )
