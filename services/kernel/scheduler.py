"""Scheduled work: each entry of SCHEDULE runs once per period (its day or its month).

With Redis, rq's own scheduler (rq 3.0 `rq.cron.CronScheduler`, cron strings through
croniter) enqueues `scheduled_job(<name>)` on Jobtrail's queue at the entry's times, and
the workers run it. Without Redis (the embedded default) `jobtrail scheduler start`
runs the same entries inline, in its own process, at the same times.

Coalesced per period: whatever enqueues an entry (two schedulers, a restart, a manual
`jobtrail scheduler run`), its work runs at most once per period. The period (Dutch
calendar day or month) is claimed in a ledger before the work starts (a Redis key, or a
file in the data directory without Redis), marked done after it, and released again
when the work fails, so that a later run can retry it. Job arguments are the entry's
name only: no personal data.
"""

from __future__ import annotations

import fcntl
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from croniter import croniter

from services.kernel import context
from services.kernel.clock import LOCAL, Clock, SystemClock

log = logging.getLogger(__name__)

LEDGER_PREFIX = "jobtrail:scheduled"
RUNNING_TTL = 6 * 3600  # a claim whose worker died expires, so the period can run again
DONE_TTL = 400 * 24 * 3600  # longer than any period


@dataclass(frozen=True)
class Entry:
    name: str
    cron: str  # minute hour day month weekday, Dutch time (Europe/Amsterdam)
    period: str  # "day" or "month": the work runs once per such period
    function: str  # "module:function", called with the platform
    description: str

    def period_of(self, now: datetime) -> str:
        local = now.astimezone(LOCAL)
        return local.strftime("%Y-%m-%d" if self.period == "day" else "%Y-%m")

    def next_run(self, after: datetime) -> datetime:
        return croniter(self.cron, after.astimezone(LOCAL)).get_next(datetime)


SCHEDULE: tuple[Entry, ...] = (
    Entry("auditor-grants", "5 0 * * *", "day", "services.audit.jobs:end_expired_grants",
          "verlopen auditortoegang beëindigen"),
    Entry("audit-verify", "15 2 * * *", "day", "services.kernel.scheduler:audit_verify",
          "auditlog van elke organisatie controleren (meldt fouten aan de kwaliteitsmedewerker)"),
    Entry("audit-snapshot", "30 2 1 * *", "month", "services.kernel.scheduler:audit_snapshot",
          "status per eis van het afgelopen maandeinde vastleggen"),
    Entry("privacy-daily", "0 3 * * *", "day", "services.kernel.scheduler:privacy_daily",
          "privacy: verlopen termijnen en bewaarbeleid"),
)
ENTRIES = {entry.name: entry for entry in SCHEDULE}


# The work ---------------------------------------------------------------------------------
def _organisations(platform: Any) -> list[UUID]:
    from services.kernel.views import catch_up

    catch_up(platform.directory)  # an organisation created a moment ago counts too
    return [UUID(org["org_id"]) for org in platform.directory.organisations()]


def audit_verify(platform: Any) -> dict[str, int]:
    from services.audit.jobs import verify_all

    return {"failed": verify_all(platform)}


def audit_snapshot(platform: Any) -> dict[str, int]:
    from datetime import date

    from services.audit import snapshots

    return _each_organisation(
        platform, "system:audit-snapshot",
        lambda org_id: snapshots.take(platform, org_id, date.today()),
    )


def privacy_daily(platform: Any) -> dict[str, int]:
    from services.privacy.jobs import daily

    return _each_organisation(platform, "system:privacy-daily", lambda _: daily(platform))


def _each_organisation(platform: Any, actor: str, work: Callable[[UUID], Any]) -> dict[str, int]:
    """Run `work` per organisation, each in its own acting context. One organisation's
    failure does not stop the others; it fails the run afterwards, so that the period is
    released and retried (both works are idempotent: done organisations do no harm)."""
    done, failed = 0, 0
    for org_id in _organisations(platform):
        try:
            with context.acting(org_id, actor):
                work(org_id)
            done += 1
        except Exception:
            log.exception("%s failed for organisation %s", actor, org_id)
            failed += 1
    if failed:
        raise RuntimeError(f"{actor}: {failed} organisaties mislukt, {done} gelukt")
    return {"organisations": done}


# The ledger -------------------------------------------------------------------------------
class RedisLedger:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def claim(self, key: str) -> bool:
        return bool(self.connection.set(f"{LEDGER_PREFIX}:{key}", "running", nx=True,
                                        ex=RUNNING_TTL))

    def done(self, key: str) -> None:
        self.connection.set(f"{LEDGER_PREFIX}:{key}", "done", ex=DONE_TTL)

    def release(self, key: str) -> None:
        self.connection.delete(f"{LEDGER_PREFIX}:{key}")

    def state(self, key: str) -> str | None:
        value = self.connection.get(f"{LEDGER_PREFIX}:{key}")
        return value.decode() if isinstance(value, bytes) else value


class FileLedger:
    """Without Redis: a JSON file in the data directory, under an exclusive file lock."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _change(self, change: Callable[[dict[str, str]], bool]) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            text = handle.read()
            states: dict[str, str] = json.loads(text) if text.strip() else {}
            changed = change(states)
            if changed:
                handle.seek(0)
                handle.truncate()
                handle.write(json.dumps(states, indent=1, sort_keys=True))
            return changed

    def claim(self, key: str) -> bool:
        def take(states: dict[str, str]) -> bool:
            if key in states:
                return False
            states[key] = "running"
            return True

        return self._change(take)

    def done(self, key: str) -> None:
        self._change(lambda states: bool(states.update({key: "done"})) or True)

    def release(self, key: str) -> None:
        self._change(lambda states: states.pop(key, None) is not None)

    def state(self, key: str) -> str | None:
        if not self.path.exists():
            return None
        text = self.path.read_text(encoding="utf-8")
        return (json.loads(text) if text.strip() else {}).get(key)


def ledger_for(platform: Any) -> RedisLedger | FileLedger:
    if platform.jobs.inline:
        return FileLedger(Path(platform.settings.data_dir) / "scheduler" / "ledger.json")
    return RedisLedger(platform.jobs.queue.connection)


# Running ----------------------------------------------------------------------------------
def run_scheduled(platform: Any, name: str, clock: Clock | None = None) -> dict[str, Any]:
    """Run one entry's work for the current period, unless that period already ran (or
    is running). Returns what happened, for the job's result and the CLI."""
    entry = ENTRIES[name]
    period = entry.period_of((clock or SystemClock()).now())
    key = f"{name}:{period}"
    ledger = ledger_for(platform)
    if not ledger.claim(key):
        log.info("scheduled %s for %s already done or running: coalesced", name, period)
        return {"entry": name, "period": period, "ran": False}
    module_name, _, function = entry.function.partition(":")
    work = getattr(__import__(module_name, fromlist=[function]), function)
    try:
        with context.acting(None, f"system:scheduler:{name}"):
            outcome = work(platform)
    except Exception:
        ledger.release(key)  # a later run of this period may retry
        raise
    ledger.done(key)
    log.info("scheduled %s for %s done: %s", name, period, outcome)
    return {"entry": name, "period": period, "ran": True, "outcome": outcome}


def scheduled_job(name: str) -> dict[str, Any]:
    """What rq's scheduler enqueues (the worker's platform, the entry's name only)."""
    from services.kernel.jobs import worker_platform

    return run_scheduled(worker_platform(), name)


def cron_scheduler(platform: Any, name: str = "") -> Any:
    """rq's CronScheduler with every entry registered on Jobtrail's queue."""
    from rq.cron import CronScheduler

    from services.kernel.jobs import QUEUE_NAME

    scheduler = CronScheduler(connection=platform.jobs.queue.connection, name=name)
    for entry in SCHEDULE:
        scheduler.register(
            scheduled_job, QUEUE_NAME, args=(entry.name,), cron=entry.cron, name=entry.name,
            job_timeout=RUNNING_TTL, result_ttl=7 * 24 * 3600, failure_ttl=30 * 24 * 3600,
        )
    return scheduler


def run_inline_forever(
    platform: Any,
    clock: Clock | None = None,
    stop: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """No Redis: run each entry in this process at its next cron time."""
    clock = clock or SystemClock()
    due = {entry.name: entry.next_run(clock.now()) for entry in SCHEDULE}
    while not stop():
        now = clock.now()
        for entry in SCHEDULE:
            if due[entry.name] <= now:
                try:
                    run_scheduled(platform, entry.name, clock)
                except Exception:  # logged; the next period tries again
                    log.exception("scheduled %s failed", entry.name)
                due[entry.name] = entry.next_run(now)
        wait = min(due.values()) - clock.now()
        sleep(max(1.0, min(60.0, wait.total_seconds())))
