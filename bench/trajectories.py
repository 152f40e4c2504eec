"""Trajectory speed: recording contact moments, and opening a long trajectory's page.

Run: ``python bench/trajectories.py [--database-url URL] [--trajectories 1000]
[--events 200] [--page-events 500] [--quick]``. Human-readable lines first; the
LAST line is one JSON object (``contact_moments_per_s``, ``trajectory_page_p50_ms``,
``trajectory_page_p95_ms``, ``machine``). Nothing here asserts a timing.

What is measured:

- contact moments per second: ``Trajectories.record_activity`` (load the aggregate from
  its snapshot, check the rules, seal justification, notes and next step with the
  client's key, save, enqueue the views' catch-up job on Redis: what an API request
  does in production), each on a random one of ``--trajectories`` trajectories of
  ``--events`` events each, in an organisation holding all of them.
- the trajectory page: ``GET /o/<org>/trajecten/<id>`` through the Flask app (test
  client, signed in as the responsible jobcoach) for a trajectory of
  ``--page-events`` events: p50 and p95 over ``--page-requests`` requests after a
  warm-up (``trajectory_page_p50_ms``/``_p95_ms``: a jobcoach coming back to the page,
  as after every form on it; the process has the trajectory's history in memory and
  reads only newer events), and over ``--page-cold-requests`` requests that each
  start without it (``trajectory_page_cold_p50_ms``/``_p95_ms``: the first visit in a
  web process, all events folded again).

Seeding builds the aggregates in memory and saves them ten at a time (one transaction
each), so 200,000 events take a minute or two, not an hour. Then the caseload read model
is caught up, as the worker keeps it in production (jobs are only queued here: no worker
runs): a sealing command reads the client's key through it in the same statement as the
aggregate (services/trajectories/onetrip.py). Nothing is vacuumed, analysed or
checkpointed for the measures: the database does whatever autovacuum and checkpoints it
would do after such a load, as in production.
``--profile`` prints a cProfile of both measures. Everything is dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform as platform_module
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

if __package__ in (None, ""):  # run as a script from a checkout: make `services` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.catalogue import Platform  # noqa: E402
from services.kernel import context, provision  # noqa: E402
from services.kernel.settings import Settings, new_cipher_key  # noqa: E402
from services.kernel.views import catch_up  # noqa: E402
from services.trajectories.caseload import CaseloadView  # noqa: E402
from services.trajectories.domainmodel import Trajectory  # noqa: E402

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
PASSWORD = "bench wachtwoord 123"
TODAY = date.today()


def seeded(app: Any, coach: Any, events: int, today: date) -> Trajectory:
    """A trajectory of `events` events built in memory: all steps, then activities."""
    client_id = uuid4()
    s = app.sealer(client_id).seal
    t = Trajectory(client_id, "UWV", coach, "")
    start = today - timedelta(days=events + 400)
    t.record_step("intake", {
        "held_on": start, "reason": s("Wil werken"), "question": s("Passend werk"),
        "motivation": s("Structuur"), "life_world": s("Zelfstandig"), "network": s("Zus"),
        "phases_agreed": s("Alle fasen"), "expectations": s("Wekelijks"),
        "follow_up": s("Profiel"), "agreed_in_writing": True, "code_of_conduct_discussed": True,
    }, today)
    t.record_step("employee_profile", {
        k: s(f"Tekst {k}") for k in (
            "motivators", "values", "skills", "interests", "wishes", "learning_style", "needs",
            "limitations", "possibilities", "durable_conditions", "trajectory_goals",
            "plan_of_approach")
    } | {"agreed_with": "cliënt", "agreed_on": start}, today)
    t.record_step("workplace_profile", {
        k: s(f"Tekst {k}") for k in (
            "employer_profile", "tasks", "working_conditions", "expected_ksa",
            "guidance_options", "business_use", "support_needed")
    } | {"employer": "Werkgever BV", "checked_with_client": True}, today)
    t.record_matching(s("Analyse"), "match", s("Past"), [], start, today)
    t.record_step("placement", {
        "employer": "Werkgever BV", "contract": "1 jaar", "hours_per_week": 24,
        "start_date": start, "supervisor": s("Werkbegeleider"), "agreements": s("Afspraken"),
    }, today)
    t.record_coaching_plan(
        [{"goal_id": "g1", "description": s("Doel"), "criterion": s("Criterium"),
          "target_date": today + timedelta(days=60), "owner": "cliënt"}],
        s("Actieplan"), s("Netwerk"), [today + timedelta(days=30)], start, today,
    )
    n = 0
    while t.version < events:
        day = start + timedelta(days=1 + n // 3)
        t.record_activity({
            "kind": "contact_moment", "on": day, "start": f"{9 + 2 * (n % 3):02d}:00",
            "minutes": 60, "mode": "face_to_face", "participants": ["client"],
            "goal_ids": ["g1"], "jobcoach": coach, "justification": s(f"Gesprek {n}"),
            "notes": s("Notitie over de voortgang"), "next_step": None,
        }, today)
        n += 1
    return t


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    tmp = tempfile.TemporaryDirectory(prefix="jobtrail-bench-trajectories-")
    run_id = secrets.token_hex(5)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        JOBTRAIL_PLATFORM_SCHEMA=f"platform_bench_{run_id}",
        SECRET_KEY=secrets.token_urlsafe(32),
        JOBTRAIL_CIPHER_KEY=new_cipher_key(),
        JOBTRAIL_DATA_DIR=tmp.name,
        JOBTRAIL_TOKEN_SIGNING_KEY_FILE=str(Path(tmp.name) / "keys" / "token.pem"),
        JOBTRAIL_AUDIT_KEY_DIR=str(Path(tmp.name) / "keys" / "audit"),
        JOBTRAIL_INSECURE_COOKIES="1",
        REDIS_URL="" if args.inline_jobs else args.redis_url,
    )
    settings = Settings.from_env(env)
    platform = Platform(settings)
    org_id = None
    try:
        with context.acting(None, "bench"):
            org = platform.create_organisation("Benchmark", f"bench-{run_id}", "12345678",
                                               totp_required=False)
        org_id = org.id
        user = platform.registry.register_user(f"coach-{run_id}@example.nl", "Bench Coach",
                                               PASSWORD)
        platform.registry.grant_membership(user.id, org.id, "jobcoach")
        app = platform.trajectories(org.id)
        today = app.today()

        # Seed: N trajectories of E events, ten per transaction.
        began = time.perf_counter()
        ids = []
        with context.acting(org.id, "bench"):
            batch: list[Trajectory] = []
            for _ in range(args.trajectories):
                batch.append(seeded(app, user.id, args.events, today))
                if len(batch) == 10:
                    app.save(*batch)
                    ids += [t.id for t in batch]
                    batch = []
            if batch:
                app.save(*batch)
                ids += [t.id for t in batch]
            page_trajectory = seeded(app, user.id, args.page_events, today)
            app.save(page_trajectory)
        seeded_events = app.recorder.max_notification_id() or 0
        print(f"seeded {len(ids)} trajectories, {seeded_events:,} events in"
              f" {time.perf_counter() - began:.1f} s", flush=True)
        if args.inline_jobs:  # the views must be at the head before commands run inline
            for view in platform.views_of(type(app), org.id):
                catch_up(view)
        else:  # what a worker keeps current, and a sealing command reads (onetrip.py)
            began = time.perf_counter()
            catch_up(platform.view(CaseloadView, org.id))
            print(f"caseload read model caught up in {time.perf_counter() - began:.1f} s",
                  flush=True)

        # Contact moments through the application layer.
        rng = random.Random(7)
        days_used: dict[Any, int] = {}
        durations = []
        profiler = _profiler(args.profile)
        with context.acting(org.id, f"user:{user.id}"):
            for i in range(args.warmup + args.commands):
                trajectory_id = rng.choice(ids)
                n = days_used.get(trajectory_id, 0)
                days_used[trajectory_id] = n + 1
                activity = {
                    "kind": "contact_moment", "on": today - timedelta(days=n // 4),
                    "start": f"{13 + n % 4:02d}:00", "minutes": 45, "mode": "online",
                    "participants": ["client"], "goal_ids": ["g1"], "jobcoach": user.id,
                    "justification": "Voortgangsgesprek", "notes": "Loopt goed",
                    "next_step": "Volgende week weer",
                }
                with context.idempotency(f"bench-{i}"):
                    if profiler and i == args.warmup:
                        profiler.enable()
                    t0 = time.perf_counter()
                    app.record_activity(trajectory_id, activity)
                    if i >= args.warmup:
                        durations.append(time.perf_counter() - t0)
        _report(profiler, "record_activity")
        per_s = len(durations) / sum(durations)
        print(f"contact moments: {per_s:,.0f}/s over {len(durations)} commands"
              f" (mean {statistics.mean(durations) * 1000:.1f} ms)", flush=True)

        # The trajectory page through the web app.
        from services.app import create_app

        web = create_app(settings, platform).test_client()
        login = web.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', login)[1]
        web.post("/login", data={"email": user.email, "password": PASSWORD,
                                 "csrf_token": csrf})
        url = f"/o/{org.slug}/trajecten/{page_trajectory.id}"
        times = []
        profiler = _profiler(args.profile)
        for i in range(args.page_warmup + args.page_requests):
            if profiler and i == args.page_warmup:
                profiler.enable()
            t0 = time.perf_counter()
            response = web.get(url)
            elapsed = time.perf_counter() - t0
            assert response.status_code == 200, response.status_code
            if i >= args.page_warmup:
                times.append(elapsed * 1000)
        _report(profiler, "trajectory page")
        p50, p95 = _percentiles(times)
        print(f"trajectory page ({page_trajectory.version} events): p50 {p50:.1f} ms,"
              f" p95 {p95:.1f} ms over {len(times)} requests", flush=True)
        # The same page in a process that has not shown it yet (another web worker, or
        # after a restart): the history is folded from all its events again.
        cold = []
        for _ in range(args.page_cold_requests):
            _forget_histories(app)
            t0 = time.perf_counter()
            response = web.get(url)
            cold.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        cold_p50, cold_p95 = _percentiles(cold)
        print(f"trajectory page, first visit in a process: p50 {cold_p50:.1f} ms,"
              f" p95 {cold_p95:.1f} ms over {len(cold)} requests", flush=True)
        results = {
            "contact_moments_per_s": round(per_s, 1),
            "trajectory_page_p50_ms": round(p50, 1),
            "trajectory_page_p95_ms": round(p95, 1),
            "trajectory_page_cold_p50_ms": round(cold_p50, 1),
            "trajectory_page_cold_p95_ms": round(cold_p95, 1),
            "trajectories": len(ids),
            "events_per_trajectory": args.events,
            "page_events": page_trajectory.version,
            "events_in_organisation": seeded_events,
            "store": "postgres" if settings.is_postgres else "sqlite",
            "jobs": "inline" if args.inline_jobs else "redis",
            "machine": machine(),
        }
        print(json.dumps(results, sort_keys=True))
        return 0
    finally:
        platform.close()
        if settings.is_postgres:
            if org_id is not None:
                provision.drop_schema(settings, org_id)
            provision.drop_schema(settings, None)
        if settings.redis_url:
            import redis

            redis.from_url(settings.redis_url).flushdb()  # the bench's own database
        tmp.cleanup()


def _forget_histories(app: Any) -> None:
    """Empty the process's cache of folded histories (services/trajectories/history.py),
    as in a web process that has not shown this trajectory yet."""
    try:
        from services.trajectories.history import HISTORIES
    except ImportError:  # code from before the cache
        return
    HISTORIES.forget(app.history_scope)


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return (statistics.median(ordered),
            ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)])


def _profiler(enabled: bool) -> Any:
    if not enabled:
        return None
    import cProfile

    return cProfile.Profile()


def _report(profiler: Any, what: str) -> None:
    """The profile's top entries by cumulative time (human lines, before the JSON)."""
    if profiler is None:
        return
    import io
    import pstats

    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)  # where the CPU goes, own time only
    print(f"profile of {what} (cProfile, cumulative, then own time):", flush=True)
    print(out.getvalue(), flush=True)


def machine() -> dict[str, Any]:
    return {
        "node": platform_module.node(),
        "cpus": os.cpu_count(),
        "platform": platform_module.platform(),
        "python": platform_module.python_version(),
        "loadavg_1m": os.getloadavg()[0],
    }


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL,
                        help="a Redis database of the bench's own (flushed afterwards)")
    parser.add_argument("--inline-jobs", action="store_true",
                        help="no Redis: views caught up inline after every command")
    parser.add_argument("--trajectories", type=int, default=1000)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--commands", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--page-events", type=int, default=500)
    parser.add_argument("--page-requests", type=int, default=100)
    parser.add_argument("--page-warmup", type=int, default=5)
    parser.add_argument("--page-cold-requests", type=int, default=30,
                        help="page requests each with the history cache emptied first")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of the commands and of the page requests")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.trajectories, args.events, args.commands, args.warmup = 20, 60, 50, 5
        args.page_events, args.page_requests, args.page_warmup = 120, 10, 2
        args.page_cold_requests = 5
    return args


if __name__ == "__main__":
    sys.exit(main())
