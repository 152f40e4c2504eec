"""Read models: rows and the tracking record written in ONE transaction.

A View lives next to the events it projects (same PostgreSQL schema or SQLite
file) and reuses the application's datastore, so it needs no pool of its own.
Events are applied in batches: many events, one tracking record, one commit
(ARCHITECTURE.md decision 8), so a rebuild runs near the log's read rate.
Exactly-once: a batch applies only on the position it was read from (`BatchTracking`,
checked under a lock in the batch's transaction), and the library's single-row tracking
insert refuses to move the position backwards, so a second runner's overlapping batch,
or one read before a rebuild swapped in a new generation (view_generations.py), rolls
back whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from services.kernel.store import TenantApplication

Handler = Callable[[Any, "Rows", Any], None]


class Rows:
    """A cursor in the view's transaction that speaks one SQL dialect for both stores:
    write `%s` placeholders and `{t}` before every table name."""

    def __init__(self, cursor: Any, prefix: str, postgres: bool) -> None:
        self._cursor = cursor
        self._prefix = prefix
        self._postgres = postgres

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Rows:
        statement = statement.replace("{t}", self._prefix)
        if not self._postgres:
            statement = statement.replace("%s", "?")
        self._cursor.execute(statement, tuple(params))
        return self

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall())

    def fetchone(self) -> Any:
        return self._cursor.fetchone()


@dataclass(frozen=True)
class BatchTracking(Tracking):
    """The position after a batch, and the position the batch was read from."""

    after: int = 0


def handles(*event_classes: type) -> Callable[[Handler], Handler]:
    def mark(method: Handler) -> Handler:
        method.__handles__ = event_classes  # type: ignore[attr-defined]
        return method

    return mark


class View:
    """Base of every read model. Subclasses give `name`, `tables` (DDL with `{t}`)
    and methods decorated with @handles(EventClass) taking (rows, event)."""

    name: ClassVar[str]
    tables: ClassVar[Sequence[str]] = ()
    # True: apply_batch gets the stored Notifications (every topic), not domain events
    raw: ClassVar[bool] = False
    # Notifications per batch (one transaction each) when catching up
    batch_size: ClassVar[int] = 1000
    _handlers: ClassVar[dict[type, Handler]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = {}
        for klass in reversed(cls.__mro__):
            for attr in vars(klass).values():
                for event_class in getattr(attr, "__handles__", ()):
                    cls._handlers[event_class] = attr

    def __init__(self, app: TenantApplication) -> None:
        self.app = app
        app_datastore = app.recorder.datastore  # type: ignore[attr-defined]
        self.postgres = isinstance(app_datastore, PostgresDatastore)
        self.tracking: TrackingRecorder
        if self.postgres:
            # Same schema and pool as the events; tracking table named after the view.
            self.datastore = app_datastore
            self.tracking = PostgresTrackingRecorder(
                app_datastore, tracking_table_name=f"{self.name}_tracking"
            )
            self.prefix = f'"{app_datastore.schema}".'
            self.tracking_table = f"{self.name}_tracking"
        else:
            # The library's SQLite tracking table is always called "tracking", so each
            # view gets a file of its own next to the application's.
            events_file = Path(app.env.get("SQLITE_DBNAME") or "")
            self.datastore = SQLiteDatastore(
                str(events_file.with_name(f"view_{self.name}.sqlite")), lock_timeout=10
            )
            self.tracking = SQLiteTrackingRecorder(self.datastore)
            self.prefix = ""
            self.tracking_table = "tracking"

    @property
    def topics(self) -> tuple[str, ...]:
        from eventsourcing.utils import get_topic

        return tuple(get_topic(cls) for cls in self._handlers)

    def create_tables(self) -> None:
        """Provisioning only: creates the tracking table and the view's tables."""
        self.tracking.create_table()
        with self.rows() as rows:
            for statement in self.tables:
                rows.execute(statement)

    @contextmanager
    def rows(self) -> Iterator[Rows]:
        with self.datastore.transaction(commit=True) as cursor:
            yield Rows(cursor, self.prefix, self.postgres)

    def apply_batch(self, events: Sequence[Any], tracking: Tracking) -> bool:
        """Apply events and record the position atomically; False if another runner won."""
        try:
            with self.datastore.transaction(commit=True) as cursor:
                rows = Rows(cursor, self.prefix, self.postgres)
                if isinstance(tracking, BatchTracking) and self._locked_position(rows) != (
                    tracking.after
                ):
                    return False  # another runner, or a rebuild's swap, moved it meanwhile
                for domain_event in events:
                    handler = self._handlers.get(type(domain_event))
                    if handler is not None:
                        handler(self, rows, domain_event)
                self.tracking._insert_tracking(cursor, tracking)  # noqa: SLF001
        except IntegrityError:
            return False
        return True

    def position(self) -> int:
        return self.tracking.max_tracking_id(self.app.name) or 0

    def _locked_position(self, rows: Rows) -> int:
        """The position, locked until the batch commits. PostgreSQL: FOR UPDATE (a rebuild's
        swap locks the tracking table first, so they queue in one order). SQLite: a no-op
        write first takes the file's write lock, so the read is current, not a snapshot."""
        if not self.postgres:
            rows.execute(
                f"UPDATE {{t}}{self.tracking_table} SET notification_id = notification_id"
                " WHERE application_name = %s",
                (self.app.name,),
            )
        row = rows.execute(
            f"SELECT notification_id FROM {{t}}{self.tracking_table}"
            " WHERE application_name = %s" + (" FOR UPDATE" if self.postgres else ""),
            (self.app.name,),
        ).fetchone()
        if row is None:
            return 0
        return int(row["notification_id"] if isinstance(row, dict) else row[0])

    def clear(self) -> None:
        """Empty the view's tables and forget the position, in one transaction (tests and
        the sweeper's drills; `jobtrail projections rebuild` swaps in a new generation)."""
        with self.rows() as rows:
            for table in self.table_names():
                rows.execute(f"DELETE FROM {{t}}{table}")
            rows.execute(
                f"DELETE FROM {{t}}{self.tracking_table} WHERE application_name = %s",
                (self.app.name,),
            )

    def table_names(self) -> list[str]:
        return [s.split("{t}", 1)[1].split()[0].strip("(") for s in self.tables if "TABLE" in s]

    def close(self) -> None:
        if not self.postgres:
            self.datastore.close()

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.rows() as rows:
            return rows.execute(statement, params).fetchall()

    def records(
        self, keys: Sequence[str], statement: str, params: Sequence[Any] = ()
    ) -> list[dict[str, Any]]:
        """Rows as dicts; PostgreSQL rows arrive as dicts, SQLite rows as tuples."""
        return [
            dict(zip(keys, row.values() if isinstance(row, dict) else row, strict=True))
            for row in self.query(statement, params)
        ]


def catch_up(
    view: View, batch_size: int | None = None, progress: Callable[[int], None] | None = None
) -> int:
    """Apply every new event to the view; returns how many notifications were applied.

    The head is read first and selection stops there, so the position can be moved
    to the head even when the last events are of no interest to this view, without
    skipping an event committed meanwhile (the library commits ids in order).
    """
    app = view.app
    topics = view.topics
    batch_size = batch_size or view.batch_size
    head = app.recorder.max_notification_id() or 0
    start = view.position() + 1
    applied = 0
    while start <= head:
        notifications = app.recorder.select_notifications(
            start=start, limit=batch_size, stop=head, topics=topics
        )
        last = notifications[-1].id if notifications else head
        events = (
            notifications if view.raw else [app.mapper.to_domain_event(n) for n in notifications]
        )
        if view.apply_batch(events, BatchTracking(app.name, last, after=start - 1)):
            applied += len(notifications)
            if progress:
                progress(last - start + 1)
        start = view.position() + 1  # also right when another runner got there first
    return applied


def lag(view: View) -> int:
    head = view.app.recorder.max_notification_id() or 0
    return max(0, head - view.position())
