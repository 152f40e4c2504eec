"""Who acted, per stored event: the actor kind behind every leaf of the audit log, for the
auditor's trail browser (filter "soort actor").

The actor is inside the event's state, which is stored encrypted; reading it costs a
decryption per event. That is why it is a read model of its own, beside the audit log
(projections/audit_log.py), and never in the log's hot path. Unlike the log it is
rebuildable: it only says what the stored events themselves say (and the leaf hash
covers those bytes). One subclass per application, like the audit trail views.

Kinds: medewerker (a signed-in user), auditor (an external auditor's journalled
action), koppeling (an API client), respondent (a survey link), systeem (jobs, CLI).
The actor id is kept as stamped ("user:<uuid>", …): staff and API ids, never a client.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking

from services.kernel.views import View

ACTOR_KINDS = {
    "medewerker": "Medewerker",
    "auditor": "Auditor",
    "koppeling": "API-koppeling",
    "respondent": "Respondent (enquêtelink)",
    "systeem": "Systeem",
}
JOURNAL_ENTRY = "AuditEntry.Recorded"


def actor_kind(actor: str, topic: str = "", entry_kind: str = "") -> str:
    """The kind of an actor string as stamped on events (services/kernel/context.py)."""
    if topic.endswith(JOURNAL_ENTRY) and entry_kind.startswith("auditor."):
        return "auditor"  # the auditor's own requests, journalled (services/audit/access.py)
    prefix = actor.split(":", 1)[0]
    return {"user": "medewerker", "client": "koppeling", "survey-link": "respondent"}.get(
        prefix, "systeem"
    )


class AuditActorsView(View):
    name = "audit_actors"  # shared by every application's subclass, like the audit log
    raw = True
    tables = (
        "CREATE TABLE IF NOT EXISTS {t}audit_actors ("
        " app TEXT NOT NULL, notification_id BIGINT NOT NULL, actor_kind TEXT NOT NULL,"
        " actor TEXT NOT NULL, occurred_at TEXT NOT NULL, PRIMARY KEY (app, notification_id))",
    )

    def apply_batch(self, events: Sequence[Any], tracking: Tracking) -> bool:
        values = [self._row(notification) for notification in events]
        try:
            with self.datastore.transaction(commit=True) as cursor:
                if values:
                    statement = (
                        "INSERT INTO {t}audit_actors VALUES (%s, %s, %s, %s, %s)"
                        " ON CONFLICT (app, notification_id) DO NOTHING"
                    ).replace("{t}", self.prefix)
                    if not self.postgres:
                        statement = statement.replace("%s", "?")
                    cursor.executemany(statement, values)
                self.tracking._insert_tracking(cursor, tracking)  # noqa: SLF001
        except IntegrityError:
            return False
        return True

    def _row(self, notification: Any) -> tuple[Any, ...]:
        actor, entry_kind, occurred_at = "", "", ""
        try:
            state = self._state(notification.state)
            actor = str(state.get("actor") or "")
            entry_kind = str(state.get("kind") or "")
            stamp = state.get("timestamp")
            occurred_at = stamp.isoformat() if hasattr(stamp, "isoformat") else str(stamp or "")
        except Exception:  # an unreadable state is the verifier's business, not the browser's
            actor = "onleesbaar"
        return (
            self.app.name,
            notification.id,
            actor_kind(actor, notification.topic, entry_kind),
            actor,
            occurred_at,
        )

    def _state(self, stored: bytes) -> dict[str, Any]:
        mapper = self.app.mapper
        if mapper.cipher:
            stored = mapper.cipher.decrypt(stored)
        if mapper.compressor:
            stored = mapper.compressor.decompress(stored)
        return mapper.transcoder.decode(stored)

    # Queries ---------------------------------------------------------------------------
    def of(self, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], dict[str, str]]:
        """Actor kind, actor and time for (app, notification id) pairs."""
        wanted = list(dict.fromkeys((app, int(n)) for app, n in keys))
        found: dict[tuple[str, int], dict[str, str]] = {}
        for app in {app for app, _ in wanted}:
            ids = [n for a, n in wanted if a == app]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                for row in self.records(
                    ("notification_id", "actor_kind", "actor", "occurred_at"),
                    "SELECT notification_id, actor_kind, actor, occurred_at FROM"
                    f" {{t}}audit_actors WHERE app = %s AND notification_id IN ({marks})",
                    (app, *chunk),
                ):
                    found[(app, int(row.pop("notification_id")))] = row
        return found


def for_apps(app_classes: Iterable[type]) -> dict[type, type[AuditActorsView]]:
    """One AuditActorsView subclass per application class (views map to one app each)."""
    return {
        app_class: type(f"AuditActors{app_class.__name__}", (AuditActorsView,), {})
        for app_class in app_classes
    }

