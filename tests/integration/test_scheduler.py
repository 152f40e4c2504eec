"""Scheduled work (services/kernel/scheduler.py): rq 3's cron scheduler enqueues each
entry with its name only, a real worker runs it, and every entry runs once per period
however often it is enqueued; without Redis the same entries run inline."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from services.audit import snapshots
from services.audit.trail import AuditLog
from services.catalogue import Platform
from services.kernel import context, provision, scheduler
from services.kernel.clock import LOCAL, FixedClock


def _env(settings, redis_url):
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": settings.secret_key,
        "JOBTRAIL_CIPHER_KEY": settings.cipher_key,
        "JOBTRAIL_DATA_DIR": settings.data_dir,
        "JOBTRAIL_PLATFORM_SCHEMA": settings.platform_schema,
        "JOBTRAIL_AUDIT_KEY_DIR": settings.audit_key_dir,
    }


def _activity(platform, org):
    coach = platform.registry.register_user(f"{uuid4().hex[:8]}@x.nl", "C", "wachtwoord-123")
    platform.registry.grant_membership(coach.id, org.id, "jobcoach")
    with context.acting(org.id, f"user:{coach.id}"):
        app = platform.trajectories(org.id)
        app.start_trajectory(app.register_client({"name": "Cliënt"}).id, "UWV", coach.id)


@pytest.fixture
def queued_platform(pg_settings, redis_connection):
    from tests.conftest import REDIS_URL as url

    platform = Platform(pg_settings.with_(redis_url=url))
    platform.provision_platform()
    org = platform.create_organisation("Planning", f"s-{uuid4().hex[:8]}", "12345678")
    yield platform, org, url, redis_connection
    platform.close()
    provision.drop_schema(pg_settings, org.id)
    provision.drop_schema(pg_settings, None)


def test_rq_cron_enqueues_every_entry_and_a_real_worker_runs_each_once(queued_platform):
    platform, org, url, redis = queued_platform
    _activity(platform, org)
    platform.jobs.queue.empty()  # only the scheduled jobs, not the catch-ups
    cron = scheduler.cron_scheduler(platform, name="test")
    assert {job.name for job in cron.get_jobs()} == set(scheduler.ENTRIES)
    for job in cron.get_jobs():  # due now: what the scheduler's loop does at the cron time
        job.next_enqueue_time = datetime.now(UTC) - timedelta(seconds=1)
    assert len(cron.enqueue_jobs()) == len(scheduler.SCHEDULE)
    for job in cron.get_jobs():  # a second scheduler (or a restart) enqueues them again
        job.next_enqueue_time = datetime.now(UTC) - timedelta(seconds=1)
    cron.enqueue_jobs()
    queued = platform.jobs.queue.get_jobs()
    assert len(queued) == 2 * len(scheduler.SCHEDULE)
    for job in queued:  # the entry's name only: never personal data in a job
        assert job.func_name == "services.kernel.scheduler.scheduled_job"
        assert len(job.args) == 1 and job.args[0] in scheduler.ENTRIES and not job.kwargs
    for job in cron.get_jobs():  # and the next run is the entry's next cron time
        assert job.next_enqueue_time > datetime.now(UTC)

    result = subprocess.run(
        [sys.executable, "-m", "services.cli", "worker", "--burst"],
        env=_env(platform.settings, url), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    from rq.job import Job

    outcomes = [Job.fetch(job.id, connection=redis).return_value() for job in queued]
    for name in scheduler.ENTRIES:  # coalesced: of the two jobs per entry, one did the work
        ran = [o["ran"] for o in outcomes if o["entry"] == name]
        assert sorted(ran) == [False, True], name
    now = datetime.now(UTC)
    ledger = scheduler.ledger_for(platform)
    for entry in scheduler.SCHEDULE:
        assert ledger.state(f"{entry.name}:{entry.period_of(now)}") == "done"
    log = AuditLog(platform, org.id)
    assert [v["ok"] for v in log.view.verifications()] == [True]  # verified once, clean
    month_end = date.today().replace(day=1) - timedelta(days=1)
    assert snapshots.stored(platform, org.id)[month_end.isoformat()]["source"] == snapshots.TAKEN


def test_inline_scheduler_runs_each_entry_at_its_time_once_per_period(platform, orgs):
    org = orgs.create()
    _activity(platform, org)
    assert platform.jobs.inline
    clock = FixedClock(datetime(2026, 11, 30, 23, 0, tzinfo=LOCAL))
    ran: list[tuple[str, str]] = []
    real = scheduler.run_scheduled

    def recording(platform_, name, clock_=None):
        outcome = real(platform_, name, clock_)
        ran.append((name, outcome["period"]) if outcome["ran"] else (name, "coalesced"))
        return outcome

    def sleep(seconds):
        clock.advance(seconds=seconds)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scheduler, "run_scheduled", recording)
        scheduler.run_inline_forever(
            platform, clock, stop=lambda: clock.now() > datetime(2026, 12, 2, 4, tzinfo=LOCAL),
            sleep=sleep,
        )
    assert ran == [
        ("auditor-grants", "2026-12-01"), ("audit-verify", "2026-12-01"),
        ("audit-snapshot", "2026-12"), ("privacy-daily", "2026-12-01"),
        ("auditor-grants", "2026-12-02"), ("audit-verify", "2026-12-02"),
        ("privacy-daily", "2026-12-02"),
    ]
    # a manual run in the same period is coalesced; the ledger is a file in the data dir
    again = scheduler.run_scheduled(platform, "audit-snapshot", clock)
    assert again == {"entry": "audit-snapshot", "period": "2026-12", "ran": False}
    assert (platform.settings.data_dir and
            scheduler.ledger_for(platform).state("audit-snapshot:2026-12") == "done")


def test_a_failed_run_releases_its_period_for_a_retry(platform, monkeypatch):
    clock = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    calls = []

    def flaky(platform_):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database even weg")
        return {"ok": 1}

    monkeypatch.setattr("services.audit.jobs.end_expired_grants", flaky)
    with pytest.raises(RuntimeError):
        scheduler.run_scheduled(platform, "auditor-grants", clock)
    assert scheduler.ledger_for(platform).state("auditor-grants:2026-11-26") is None
    assert scheduler.run_scheduled(platform, "auditor-grants", clock)["ran"] is True
    assert scheduler.run_scheduled(platform, "auditor-grants", clock)["ran"] is False
    clock.advance(days=1)
    assert scheduler.run_scheduled(platform, "auditor-grants", clock)["period"] == "2026-11-27"
    assert len(calls) == 3
