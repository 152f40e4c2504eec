"""Complaint register: every complaint with its terms, and what is overdue on a given day."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.kernel.views import Rows, View, handles
from services.quality.complaints.domainmodel import RECEIVED, Complaint
from services.quality.complaints.regulation import Regulation

COLUMNS = (
    "complaint_id", "received_on", "complainant_kind", "status", "acknowledgement_due",
    "acknowledged_on", "decision_due", "decided_on", "outcome", "closed_on", "escalated_on",
    "external_body", "trajectory_id", "jobcoach_id", "regulation_version", "extensions",
    "version",
)
ACTION_COLUMNS = ("complaint_id", "action_id", "description", "owner_id", "due_on", "done_on")


class ComplaintRegisterView(View):
    name = "complaint_register"
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}complaint_register ("
        " complaint_id TEXT PRIMARY KEY, received_on TEXT NOT NULL,"
        " complainant_kind TEXT NOT NULL, status TEXT NOT NULL,"
        " acknowledgement_due TEXT NOT NULL, acknowledged_on TEXT, decision_due TEXT NOT NULL,"
        " decided_on TEXT, outcome TEXT, closed_on TEXT, escalated_on TEXT, external_body TEXT,"
        " trajectory_id TEXT, jobcoach_id TEXT, regulation_version INTEGER NOT NULL,"
        " extensions INTEGER NOT NULL, version INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {t}complaint_actions ("
        " complaint_id TEXT NOT NULL, action_id TEXT NOT NULL, description TEXT NOT NULL,"
        " owner_id TEXT NOT NULL, due_on TEXT NOT NULL, done_on TEXT,"
        " PRIMARY KEY (complaint_id, action_id))",
    )

    @handles(Complaint.Created)
    def _received(self, rows: Rows, e: Any) -> None:
        terms = Regulation.from_dict(e.regulation)
        rows.execute(
            "INSERT INTO {t}complaint_register VALUES"
            " (%s, %s, %s, %s, %s, NULL, %s, NULL, NULL, NULL, NULL, NULL, %s, %s, %s, 0, %s)"
            " ON CONFLICT (complaint_id) DO NOTHING",
            (
                str(e.originator_id), e.received_on.isoformat(), e.complainant_kind, RECEIVED,
                terms.acknowledgement.after(e.received_on).isoformat(),
                terms.decision.after(e.received_on).isoformat(),
                str(e.trajectory_id) if e.trajectory_id else None,
                str(e.jobcoach_id) if e.jobcoach_id else None,
                terms.version, e.originator_version,
            ),
        )

    def _set(self, rows: Rows, e: Any, assignments: str, params: tuple[Any, ...]) -> None:
        rows.execute(
            f"UPDATE {{t}}complaint_register SET {assignments}, version = %s"
            " WHERE complaint_id = %s",
            (*params, e.originator_version, str(e.originator_id)),
        )

    @handles(Complaint.Acknowledged)
    def _acknowledged(self, rows: Rows, e: Any) -> None:
        self._set(rows, e, "status = %s, acknowledged_on = %s", ("acknowledged", e.on.isoformat()))

    @handles(Complaint.Heard)
    def _heard(self, rows: Rows, e: Any) -> None:
        self._set(rows, e, "status = %s", ("investigated",))

    @handles(Complaint.Extended)
    def _extended(self, rows: Rows, e: Any) -> None:
        self._set(rows, e, "decision_due = %s, extensions = extensions + 1", (e.until,))

    @handles(Complaint.Decided)
    def _decided(self, rows: Rows, e: Any) -> None:
        self._set(
            rows, e, "status = %s, decided_on = %s, outcome = %s",
            ("decided", e.on.isoformat(), e.outcome),
        )

    @handles(Complaint.Closed)
    def _closed(self, rows: Rows, e: Any) -> None:
        self._set(rows, e, "status = %s, closed_on = %s", ("closed", e.on.isoformat()))

    @handles(Complaint.Escalated)
    def _escalated(self, rows: Rows, e: Any) -> None:
        self._set(rows, e, "escalated_on = %s, external_body = %s", (e.on.isoformat(), e.body))

    @handles(Complaint.ExternalRulingRecorded)
    def _ruled(self, rows: Rows, e: Any) -> None:
        self._set(rows, e, "status = status", ())

    @handles(Complaint.ImprovementActionAdded)
    def _action_added(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "INSERT INTO {t}complaint_actions VALUES (%s, %s, %s, %s, %s, NULL)"
            " ON CONFLICT (complaint_id, action_id) DO NOTHING",
            (str(e.originator_id), e.action_id, e.description, str(e.owner_id), e.due_on),
        )
        self._set(rows, e, "status = status", ())

    @handles(Complaint.ImprovementActionCompleted)
    def _action_completed(self, rows: Rows, e: Any) -> None:
        rows.execute(
            "UPDATE {t}complaint_actions SET done_on = %s WHERE complaint_id = %s"
            " AND action_id = %s",
            (e.on.isoformat(), str(e.originator_id), e.action_id),
        )
        self._set(rows, e, "status = status", ())

    # Queries ---------------------------------------------------------------------------
    def complaints(self, year: int | None = None) -> list[dict[str, Any]]:
        statement = f"SELECT {', '.join(COLUMNS)} FROM {{t}}complaint_register"
        params: tuple[Any, ...] = ()
        if year is not None:
            statement += " WHERE received_on >= %s AND received_on <= %s"
            params = (f"{year}-01-01", f"{year}-12-31")
        return self.records(COLUMNS, statement + " ORDER BY received_on, complaint_id", params)

    def overdue(self, today: date) -> list[dict[str, Any]]:
        """Open complaints past a term, each with what is late (for the quality officer)."""
        day = today.isoformat()
        rows = self.records(
            COLUMNS,
            f"SELECT {', '.join(COLUMNS)} FROM {{t}}complaint_register WHERE status <> 'closed'"
            " AND ((acknowledged_on IS NULL AND acknowledgement_due < %s)"
            " OR (decided_on IS NULL AND decision_due < %s))"
            " ORDER BY received_on, complaint_id",
            (day, day),
        )
        for row in rows:
            row["late"] = [
                what for what, missing, due in (
                    ("ontvangstbevestiging", row["acknowledged_on"], row["acknowledgement_due"]),
                    ("beslissing", row["decided_on"], row["decision_due"]),
                ) if missing is None and due < day
            ]
        return rows

    def overdue_actions(self, today: date) -> list[dict[str, Any]]:
        return self.records(
            ACTION_COLUMNS,
            f"SELECT {', '.join(ACTION_COLUMNS)} FROM {{t}}complaint_actions"
            " WHERE done_on IS NULL AND due_on < %s ORDER BY due_on, complaint_id",
            (today.isoformat(),),
        )

    def actions(self, complaint_id: str | None = None) -> list[dict[str, Any]]:
        statement = f"SELECT {', '.join(ACTION_COLUMNS)} FROM {{t}}complaint_actions"
        params: tuple[Any, ...] = ()
        if complaint_id:
            statement += " WHERE complaint_id = %s"
            params = (complaint_id,)
        return self.records(ACTION_COLUMNS, statement + " ORDER BY due_on", params)
