"""Privacy read models. They hold ids, codes and dates only: no personal data, so an
erasure has nothing to scrub here (the inventory test checks the columns)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.kernel.views import Rows, View, handles
from services.privacy.registers import Breach, ProcessingActivity
from services.privacy.requests import DataSubjectRequest
from services.privacy.subjects import ClientErasure, ClientPrivacy, ReadAccess

REQUEST_COLUMNS = (
    "request_id",
    "client_id",
    "kind",
    "channel",
    "status",
    "received_on",
    "due_on",
    "extended",
    "completed_on",
    "outcome",
    "deadline_missed_on",
    "version",
)


class RequestsView(View):
    """Data-subject requests with their deadlines; overdue is computed against `today`."""

    name = "privacy_requests"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}privacy_requests ("
        " request_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, kind TEXT NOT NULL,"
        " channel TEXT NOT NULL, status TEXT NOT NULL, received_on TEXT NOT NULL,"
        " due_on TEXT NOT NULL, extended BOOLEAN NOT NULL, completed_on TEXT,"
        " outcome TEXT, deadline_missed_on TEXT, version INTEGER NOT NULL)",
    )

    def _refresh(self, rows: Rows, e: Any, **changes: Any) -> None:
        sets = "".join(f"{column} = %s, " for column in changes)
        rows.execute(
            f"UPDATE {{t}}privacy_requests SET {sets}version = %s WHERE request_id = %s",
            (*changes.values(), e.originator_version, str(e.originator_id)),
        )

    @handles(DataSubjectRequest.Created)
    def _registered(self, rows: Rows, e: Any) -> None:
        from services.privacy.deadlines import request_due

        rows.execute(
            "INSERT INTO {t}privacy_requests VALUES (%s, %s, %s, %s, 'received', %s, %s,"
            " FALSE, NULL, NULL, NULL, %s) ON CONFLICT (request_id) DO NOTHING",
            (
                str(e.originator_id),
                str(e.client_id),
                e.kind,
                e.channel,
                e.received_on,
                request_due(date.fromisoformat(e.received_on)).isoformat(),
                e.originator_version,
            ),
        )

    @handles(DataSubjectRequest.Extended)
    def _extended(self, rows: Rows, e: Any) -> None:
        from services.privacy.deadlines import request_due

        received = rows.execute(
            "SELECT received_on FROM {t}privacy_requests WHERE request_id = %s",
            (str(e.originator_id),),
        ).fetchone()
        received_on = received["received_on"] if isinstance(received, dict) else received[0]
        due = request_due(date.fromisoformat(received_on), extended=True).isoformat()
        self._refresh(rows, e, extended=True, due_on=due)

    @handles(DataSubjectRequest.Started)
    def _started(self, rows: Rows, e: Any) -> None:
        self._refresh(rows, e, status="in_progress")

    @handles(DataSubjectRequest.ExportDelivered, DataSubjectRequest.Rectified)
    def _exported(self, rows: Rows, e: Any) -> None:
        self._refresh(rows, e)

    @handles(DataSubjectRequest.DeadlinePassed)
    def _missed(self, rows: Rows, e: Any) -> None:
        self._refresh(rows, e, deadline_missed_on=e.on)

    @handles(DataSubjectRequest.Completed)
    def _completed(self, rows: Rows, e: Any) -> None:
        status = "refused" if e.outcome == "refused" else "completed"
        self._refresh(rows, e, status=status, completed_on=e.on, outcome=e.outcome)

    def requests(
        self, today: date, *, open_only: bool = False, client_id: UUID | None = None
    ) -> list[dict[str, Any]]:
        """Every request (open ones first, by deadline) with `overdue` and `late` flags."""
        clauses, params = [], []
        if open_only:
            clauses.append("status IN ('received', 'in_progress')")
        if client_id is not None:
            clauses.append("client_id = %s")
            params.append(str(client_id))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        found = self.records(
            REQUEST_COLUMNS,
            f"SELECT {', '.join(REQUEST_COLUMNS)} FROM {{t}}privacy_requests{where}"
            " ORDER BY due_on, received_on",
            params,
        )
        for row in found:
            is_open = row["status"] in ("received", "in_progress")
            row["extended"] = bool(row["extended"])
            row["overdue"] = is_open and today.isoformat() > row["due_on"]
            row["late"] = bool(row["completed_on"]) and row["completed_on"] > row["due_on"]
            row["days_left"] = (date.fromisoformat(row["due_on"]) - today).days if is_open else None
        found.sort(key=lambda r: (r["status"] not in ("received", "in_progress"), r["due_on"]))
        return found

    def overdue(self, today: date) -> list[dict[str, Any]]:
        return [r for r in self.requests(today, open_only=True) if r["overdue"]]


ACCESS_COLUMNS = (
    "access_id",
    "client_id",
    "actor",
    "what",
    "why",
    "channel",
    "recipient_kind",
    "recipient_id",
    "at",
)


class AccessLogView(View):
    name = "privacy_access_log"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}privacy_access_log ("
        " access_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, actor TEXT NOT NULL,"
        " what TEXT NOT NULL, why TEXT NOT NULL, channel TEXT NOT NULL,"
        " recipient_kind TEXT, recipient_id TEXT, at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS privacy_access_log_client"
        " ON {t}privacy_access_log (client_id, at)",
    )

    @handles(ReadAccess.Created)
    def _accessed(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}privacy_access_log VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (access_id) DO NOTHING",
            (
                str(e.originator_id),
                str(e.client_id),
                e.actor,
                e.what,
                e.why,
                e.channel,
                e.recipient_kind,
                e.recipient_id,
                e.timestamp.isoformat(),
            ),
        )

    def entries(self, client_id: UUID | None = None, limit: int = 500) -> list[dict[str, Any]]:
        where, params = (
            ("", []) if client_id is None else (" WHERE client_id = %s", [str(client_id)])
        )
        return self.records(
            ACCESS_COLUMNS,
            f"SELECT {', '.join(ACCESS_COLUMNS)} FROM {{t}}privacy_access_log{where}"
            f" ORDER BY at DESC LIMIT {int(limit)}",
            params,
        )


BREACH_COLUMNS = (
    "breach_id",
    "title",
    "status",
    "risk",
    "detected_at",
    "report_due",
    "report_required",
    "inform_required",
    "reported_at",
    "informed_at",
    "closed_at",
    "affected_count",
    "version",
)


class RegistersView(View):
    """Breach register, processing register and erasures, for the officer and auditors."""

    name = "privacy_registers"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}privacy_breaches ("
        " breach_id TEXT PRIMARY KEY, title TEXT NOT NULL, status TEXT NOT NULL, risk TEXT,"
        " detected_at TEXT NOT NULL, report_due TEXT NOT NULL, report_required BOOLEAN NOT NULL,"
        " inform_required BOOLEAN NOT NULL, reported_at TEXT, informed_at TEXT, closed_at TEXT,"
        " affected_count INTEGER NOT NULL, version INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}privacy_activities ("
        " activity_id TEXT PRIMARY KEY, name TEXT NOT NULL, entry TEXT NOT NULL,"
        " retired_on TEXT, version INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}privacy_erasures ("
        " client_id TEXT PRIMARY KEY, erasure_id TEXT NOT NULL, pseudonym TEXT NOT NULL,"
        " legal_basis TEXT NOT NULL, actor TEXT NOT NULL, erased_at TEXT NOT NULL,"
        " backup_expires_on TEXT NOT NULL, request_id TEXT)",
        "CREATE TABLE IF NOT EXISTS {t}privacy_subjects ("
        " client_id TEXT PRIMARY KEY, last_activity TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}privacy_client_records ("
        " record_id TEXT PRIMARY KEY, client_id TEXT NOT NULL)",
    )

    def _breach(self, rows: Rows, e: Any, **changes: Any) -> None:
        sets = "".join(f"{column} = %s, " for column in changes)
        rows.execute(
            f"UPDATE {{t}}privacy_breaches SET {sets}version = %s WHERE breach_id = %s",
            (*changes.values(), e.originator_version, str(e.originator_id)),
        )

    @handles(Breach.Created)
    def _detected(self, rows: Rows, e: Any) -> None:
        from services.privacy.deadlines import breach_report_due

        rows.execute(
            "INSERT INTO {t}privacy_breaches VALUES (%s, %s, 'detected', NULL, %s, %s, FALSE,"
            " FALSE, NULL, NULL, NULL, 0, %s) ON CONFLICT (breach_id) DO NOTHING",
            (
                str(e.originator_id),
                e.title,
                e.detected_at.isoformat(),
                breach_report_due(e.detected_at).isoformat(),
                e.originator_version,
            ),
        )

    @handles(Breach.Assessed)
    def _assessed(self, rows: Rows, e: Any) -> None:
        self._breach(
            rows,
            e,
            status="assessed",
            risk=e.risk,
            report_required=e.risk in ("risk", "high"),
            inform_required=e.risk == "high",
            affected_count=e.affected_count,
        )

    @handles(Breach.ReportedToAp)
    def _reported(self, rows: Rows, e: Any) -> None:
        self._breach(rows, e, status="reported", reported_at=e.reported_at.isoformat())

    @handles(Breach.SubjectsInformed)
    def _informed(self, rows: Rows, e: Any) -> None:
        self._breach(rows, e, status="informed", informed_at=e.informed_at.isoformat())

    @handles(Breach.Closed)
    def _closed(self, rows: Rows, e: Any) -> None:
        self._breach(rows, e, status="closed", closed_at=e.closed_at.isoformat())

    @handles(ProcessingActivity.Created, ProcessingActivity.Revised)
    def _activity(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}privacy_activities VALUES (%s, %s, %s, NULL, %s)"
            " ON CONFLICT (activity_id) DO UPDATE SET name = excluded.name,"
            " entry = excluded.entry, version = excluded.version",
            (str(e.originator_id), e.entry["name"], json.dumps(e.entry), e.originator_version),
        )

    @handles(ProcessingActivity.Retired)
    def _retired(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}privacy_activities SET retired_on = %s, version = %s WHERE activity_id = %s",
            (e.on, e.originator_version, str(e.originator_id)),
        )

    @handles(ClientErasure.Created)
    def _erased(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}privacy_erasures VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (client_id) DO NOTHING",
            (
                str(e.client_id),
                str(e.originator_id),
                e.pseudonym,
                e.legal_basis,
                e.actor,
                e.erased_at.isoformat(),
                e.backup_expires_on,
                e.request_id,
            ),
        )

    @handles(
        ClientPrivacy.Created,
        ClientPrivacy.ConsentGiven,
        ClientPrivacy.ConsentWithdrawn,
        ClientPrivacy.ProcessingRestricted,
        ClientPrivacy.RestrictionLifted,
        ClientPrivacy.ObjectionUpheld,
        ClientPrivacy.ObjectionLifted,
        ClientPrivacy.BsnRecorded,
        ClientPrivacy.BsnRemoved,
    )
    def _client_activity(self, rows: Rows, e: Any) -> None:
        if isinstance(e, ClientPrivacy.Created):
            rows.execute(
                "INSERT INTO {t}privacy_client_records VALUES (%s, %s)"
                " ON CONFLICT (record_id) DO NOTHING",
                (str(e.originator_id), str(e.client_id)),
            )
        found = rows.execute(
            "SELECT client_id FROM {t}privacy_client_records WHERE record_id = %s",
            (str(e.originator_id),),
        ).fetchone()
        if found is not None:
            _touch(rows, found["client_id"] if isinstance(found, dict) else found[0], e.timestamp)

    @handles(DataSubjectRequest.Created)
    def _request_activity(self, rows: Rows, e: Any) -> None:
        _touch(rows, str(e.client_id), e.timestamp)

    # Queries
    def breaches(self, now: datetime) -> list[dict[str, Any]]:
        found = self.records(
            BREACH_COLUMNS,
            f"SELECT {', '.join(BREACH_COLUMNS)} FROM {{t}}privacy_breaches"
            " ORDER BY detected_at DESC",
        )
        for row in found:
            row["report_required"] = bool(row["report_required"])
            row["inform_required"] = bool(row["inform_required"])
            awaiting = row["status"] == "detected" or (
                row["report_required"] and not row["reported_at"]
            )
            row["report_overdue"] = (
                awaiting
                and row["status"] != "closed"
                and now > datetime.fromisoformat(row["report_due"])
            )
        return found

    def activities(self, include_retired: bool = False) -> list[dict[str, Any]]:
        where = "" if include_retired else " WHERE retired_on IS NULL"
        rows = self.records(
            ("activity_id", "name", "entry", "retired_on", "version"),
            f"SELECT activity_id, name, entry, retired_on, version FROM {{t}}privacy_activities"
            f"{where} ORDER BY name",
        )
        for row in rows:
            row["entry"] = json.loads(row["entry"])
        return rows

    def erasures(self) -> list[dict[str, Any]]:
        keys = (
            "client_id",
            "erasure_id",
            "pseudonym",
            "legal_basis",
            "actor",
            "erased_at",
            "backup_expires_on",
            "request_id",
        )
        return self.records(
            keys, f"SELECT {', '.join(keys)} FROM {{t}}privacy_erasures ORDER BY erased_at DESC"
        )

    def erased_clients(self) -> set[str]:
        return {row["client_id"] for row in self.erasures()}

    def subjects(self) -> list[dict[str, Any]]:
        return self.records(
            ("client_id", "last_activity"),
            "SELECT client_id, last_activity FROM {t}privacy_subjects",
        )


def _touch(rows: Rows, client_id: str, at: datetime) -> None:
    rows.execute(
        "INSERT INTO {t}privacy_subjects VALUES (%s, %s)"
        " ON CONFLICT (client_id) DO UPDATE SET last_activity = excluded.last_activity",
        (client_id, at.isoformat()),
    )
