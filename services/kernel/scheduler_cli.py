"""`jobtrail scheduler …`: scheduled work (services/kernel/scheduler.py)."""

from __future__ import annotations

import json
from typing import Any

import click

from services.kernel import scheduler as schedule


def _platform() -> Any:
    from services.cli import _platform as platform

    return platform()


@click.group("scheduler")
def scheduler() -> None:
    """Geplande taken: dagelijkse controle, maandelijkse momentopname, privacy, auditors."""


@scheduler.command("start")
def start() -> None:
    """Run the scheduler (one per installation): with REDIS_URL rq's cron scheduler
    enqueues the jobs for the workers; without it, the jobs run here, inline."""
    from services.cli import friendly

    @friendly
    def go() -> None:
        platform = _platform()
        if platform.jobs.inline:
            click.echo("Geen REDIS_URL: geplande taken draaien in dit proces")
            schedule.run_inline_forever(platform)
            return
        schedule.cron_scheduler(platform).start()

    go()


@scheduler.command("list")
def list_entries() -> None:
    """The entries, their times and whether this period already ran."""
    from services.cli import friendly
    from services.kernel.clock import SystemClock

    @friendly
    def go() -> None:
        platform = _platform()
        ledger = schedule.ledger_for(platform)
        now = SystemClock().now()
        for entry in schedule.SCHEDULE:
            period = entry.period_of(now)
            state = ledger.state(f"{entry.name}:{period}") or "nog niet"
            click.echo(
                f"{entry.name:16} {entry.cron:12} volgende"
                f" {entry.next_run(now):%Y-%m-%d %H:%M}  {period}: {state}"
                f"  ({entry.description})"
            )
        platform.close()

    go()


@scheduler.command("run")
@click.argument("name", type=click.Choice([entry.name for entry in schedule.SCHEDULE]))
def run(name: str) -> None:
    """Run one entry now, for the current period (skipped if this period already ran)."""
    from services.cli import friendly

    @friendly
    def go() -> None:
        platform = _platform()
        click.echo(json.dumps(schedule.run_scheduled(platform, name), default=str))
        platform.close()

    go()
