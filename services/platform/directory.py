"""Directory read model: organisations and who works there in which role, and since and
until when (`directory_tenures`: one row per role period of a membership).

Dates: a membership is held from `joined_on` up to, not including, `left_on`. Memberships
granted before they were dated have no start: "since before records" (NULL). An ending
without a date (older events, a disabled account) is dated the day it was recorded.
After upgrading from an undated directory, rebuild it once so history fills the tenures:
`jobtrail projections rebuild --org platform --view directory`.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.kernel.clock import LOCAL
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
        # since/until: this role period; joined_on: the start of the whole membership
        "CREATE TABLE IF NOT EXISTS {t}directory_tenures ("
        " org_id TEXT NOT NULL, user_id TEXT NOT NULL, version INTEGER NOT NULL,"
        " role TEXT NOT NULL, joined_on TEXT, since TEXT, until TEXT,"
        " PRIMARY KEY (org_id, user_id, version))",
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
        # A disabled account works nowhere any more (there is no way back).
        rows.execute(
            "UPDATE {t}directory_tenures SET until = %s WHERE user_id = %s AND until IS NULL",
            (recorded_day(e), str(e.originator_id)),
        )

    @handles(User.MembershipGranted)
    def _member_granted(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}directory_members VALUES (%s, %s, %s)"
            " ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role",
            (str(e.organisation_id), str(e.originator_id), str(e.role)),
        )
        org_id, user_id = str(e.organisation_id), str(e.originator_id)
        current = rows.execute(
            "SELECT role, joined_on FROM {t}directory_tenures"
            " WHERE org_id = %s AND user_id = %s AND until IS NULL",
            (org_id, user_id),
        ).fetchone()
        earlier = rows.execute(
            "SELECT COUNT(*) FROM {t}directory_tenures WHERE org_id = %s AND user_id = %s",
            (org_id, user_id),
        ).fetchone()
        day = _day(getattr(e, "on", _UNDATED), e, undated_is_unknown=not _first(earlier))
        if current is not None:
            role, joined_on = tuple(current.values()) if isinstance(current, dict) else current
            if role == str(e.role):
                return  # granted again in the same role: nothing changes
            day = day or recorded_day(e)  # a change of role is dated even in old events
            rows.execute(
                "UPDATE {t}directory_tenures SET until = %s"
                " WHERE org_id = %s AND user_id = %s AND until IS NULL",
                (day, org_id, user_id),
            )
        else:
            joined_on = day
        rows.execute(
            "INSERT INTO {t}directory_tenures VALUES (%s, %s, %s, %s, %s, %s, NULL)"
            " ON CONFLICT (org_id, user_id, version) DO NOTHING",
            (org_id, user_id, e.originator_version, str(e.role), joined_on, day),
        )

    @handles(User.MembershipRevoked)
    def _member_revoked(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "DELETE FROM {t}directory_members WHERE org_id = %s AND user_id = %s",
            (str(e.organisation_id), str(e.originator_id)),
        )
        rows.execute(
            "UPDATE {t}directory_tenures SET until = %s"
            " WHERE org_id = %s AND user_id = %s AND until IS NULL",
            (_day(getattr(e, "on", _UNDATED), e), str(e.organisation_id), str(e.originator_id)),
        )

    # Queries
    def organisations(self) -> list[dict[str, Any]]:
        keys = ("org_id", "slug", "name", "kvk_number", "registered_at")
        return self.records(
            keys, f"SELECT {', '.join(keys)} FROM {{t}}directory_orgs ORDER BY name"
        )

    def members(self, org_id: UUID, on: date | None = None) -> list[dict[str, Any]]:
        """Who works here now, or on a given day (a past month-end), in which role and
        since when (`joined_on`; None: since before records)."""
        if on is None:
            return self.records(
                ("user_id", "email", "name", "role", "joined_on"),
                "SELECT u.user_id, u.email, u.name, m.role, t.joined_on"
                " FROM {t}directory_members m"
                " JOIN {t}directory_users u ON u.user_id = m.user_id"
                " LEFT JOIN {t}directory_tenures t ON t.org_id = m.org_id"
                " AND t.user_id = m.user_id AND t.until IS NULL"
                " WHERE m.org_id = %s AND NOT u.disabled ORDER BY u.name",
                (str(org_id),),
            )
        day = on.isoformat()
        return self.records(
            ("user_id", "email", "name", "role", "joined_on"),
            "SELECT u.user_id, u.email, u.name, t.role, t.joined_on FROM {t}directory_tenures t"
            " JOIN {t}directory_users u ON u.user_id = t.user_id"
            " WHERE t.org_id = %s AND (t.since IS NULL OR t.since <= %s)"
            " AND (t.until IS NULL OR t.until > %s) ORDER BY u.name, u.user_id",
            (str(org_id), day, day),
        )

    def tenures(self, org_id: UUID) -> list[dict[str, Any]]:
        """Every role period of every membership, past ones included: `since`/`until`
        of the role (None: before records / still), `joined_on` of the membership."""
        keys = ("user_id", "name", "role", "joined_on", "since", "until")
        return self.records(
            keys,
            "SELECT t.user_id, u.name, t.role, t.joined_on, t.since, t.until"
            " FROM {t}directory_tenures t JOIN {t}directory_users u ON u.user_id = t.user_id"
            " WHERE t.org_id = %s ORDER BY u.name, t.user_id, t.version",
            (str(org_id),),
        )

    def former_members(self, org_id: UUID) -> list[dict[str, Any]]:
        """People who worked here and no longer do: since and until when."""
        current = {m["user_id"] for m in self.members(org_id)}
        found: dict[str, dict[str, Any]] = {}
        for row in self.tenures(org_id):
            if row["user_id"] in current or row["until"] is None:
                continue
            last = found.setdefault(row["user_id"], {**row, "left_on": row["until"]})
            if row["until"] >= last["left_on"]:  # the latest membership counts
                last.update(role=row["role"], joined_on=row["joined_on"], left_on=row["until"])
        return sorted(found.values(), key=lambda r: (r["name"], r["user_id"]))


_UNDATED = object()  # an event from before memberships were dated


def _day(on: Any, e: Any, *, undated_is_unknown: bool = False) -> str | None:
    """The ISO day of a membership event. Old grants of a first membership: unknown."""
    if on is _UNDATED and undated_is_unknown:
        return None
    if on is None or on is _UNDATED:
        return recorded_day(e)
    return on.isoformat()


def recorded_day(e: Any) -> str:
    return e.timestamp.astimezone(LOCAL).date().isoformat()


def _first(row: Any) -> Any:
    return next(iter(row.values())) if isinstance(row, dict) else row[0]
