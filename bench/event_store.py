"""Event-store benchmark: the platform's application layer against the bare library.

    .venv/bin/python bench/event_store.py [--n 1000] [--quick] [--profile]

Prints human-readable lines, then ONE JSON object as the last line. Figures only:
nothing here asserts a timing (tests run `--quick` as a smoke test).

What is measured (each for a fixed count, after a warm-up, with time.perf_counter):

- platform saves: `Trajectories.start_trajectory` on an organisation created with
  `Platform.create_organisation`, connected as the app role (CREATE_TABLE=n, RLS
  append-only tables), inside `context.acting(org_id, "bench", key)` with a fresh
  idempotency key per command, the application taken from the platform's cache per
  command, and the catch-up job enqueued on Redis after the save: what an API
  request does in production (REDIS_URL set).
- bare saves: a plain `eventsourcing.application.Application` and a plain
  `Aggregate` of the same shape, same cipher and compressor, own schema, as the
  database owner, library defaults otherwise.
- gets of a 100-event aggregate, without and with a snapshot at version 100, and
  reading the notification log in batches of 1000 mapped to domain events, on the
  platform's application (headline keys) and on the bare one (`bare_…` keys).

The saves are run in alternating rounds (platform, bare, platform, bare, …) and the
median round is reported, so that a noisy neighbour on the machine hits both sides.
Everything created is dropped afterwards (schemas with provision.drop_schema, the
Redis job keys by id); the organisation's registration stays in the platform
registry, as it does for the test suite's organisations.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.metadata
import io
import json
import os
import platform as platform_module
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg  # noqa: E402
from eventsourcing.application import Application  # noqa: E402
from eventsourcing.domain import Aggregate, event  # noqa: E402
from psycopg import sql  # noqa: E402

from services.catalogue import Platform  # noqa: E402
from services.kernel import context, provision  # noqa: E402
from services.kernel.settings import Settings, new_cipher_key  # noqa: E402
from services.kernel.store import postgres_params, schema_for  # noqa: E402
from services.trajectories.application import Trajectories  # noqa: E402
from services.trajectories.domainmodel import Trajectory  # noqa: E402

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
# A Redis database of its own, so the bench never meets a worker or the tests (db 15).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
TARGET_RATIO = 0.7
LOG_BATCH = 1000
HISTORY = 100  # events in the aggregate that the get measures read


# The bare library: an aggregate of the same shape as Trajectory, without stamping.
class BareTrajectory(Aggregate):
    def __init__(self, client_id: UUID, commissioner: str, responsible_jobcoach: UUID):
        self.client_id = client_id
        self.commissioner = commissioner
        self.responsible_jobcoach = responsible_jobcoach
        self.handovers: list[dict[str, str]] = []
        self.closed = False

    @event("Reassigned")
    def reassign(self, jobcoach: UUID, handover_note: str) -> None:
        self.handovers.append(
            {"from": str(self.responsible_jobcoach), "to": str(jobcoach), "note": handover_note}
        )
        self.responsible_jobcoach = jobcoach


class BareApplication(Application[UUID]):
    name = "bare"
    is_snapshotting_enabled = True  # a snapshots table, as Trajectories has; no intervals


def bare_env(settings: Settings, schema: str) -> dict[str, str]:
    params = postgres_params(settings.database_url)
    return {
        "CIPHER_TOPIC": "eventsourcing.cipher:AESCipher",
        "CIPHER_KEY": settings.cipher_key,
        "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
        "CREATE_TABLE": "y",
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_HOST": params["host"],
        "POSTGRES_PORT": params["port"],
        "POSTGRES_DBNAME": params["dbname"],
        "POSTGRES_USER": params["user"],
        "POSTGRES_PASSWORD": params["password"],
        "POSTGRES_SCHEMA": schema,
    }


# Measuring
def rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else float("inf")


def timed(count: int, step: Callable[[int], Any]) -> float:
    """Run step(i) for i in range(count); returns operations per second."""
    start = time.perf_counter()
    for i in range(count):
        step(i)
    return rate(count, time.perf_counter() - start)


def line(label: str, value: float, unit: str, extra: str = "") -> None:
    print(f"  {label:<44} {value:>12,.1f} {unit}{extra}", flush=True)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = tempfile.TemporaryDirectory(prefix="jobtrail-bench-")
        env = dict(os.environ)
        env.update(
            DATABASE_URL=args.database_url,
            SECRET_KEY=secrets.token_urlsafe(32),
            JOBTRAIL_CIPHER_KEY=new_cipher_key(),
            JOBTRAIL_DATA_DIR=self.tmp.name,
            JOBTRAIL_TOKEN_SIGNING_KEY_FILE=str(Path(self.tmp.name) / "keys" / "token.pem"),
            JOBTRAIL_AUDIT_KEY_DIR=str(Path(self.tmp.name) / "keys" / "audit"),
            REDIS_URL="" if args.inline_jobs else args.redis_url,
        )
        self.settings = Settings.from_env(env)
        self.platform: Platform | None = None
        self.org_id: UUID | None = None
        self.bare: BareApplication | None = None
        self.bare_id = uuid4()  # a schema name of provision's shape, so drop_schema drops it
        self.job_ids: set[str] = set()
        self.coach = uuid4()

    # Set-up and clean-up
    def setup(self) -> None:
        if self.settings.redis_url:
            self.platform_redis().ping()
        self.platform = Platform(self.settings)
        slug = f"bench-{secrets.token_hex(5)}"
        with context.acting(None, "bench", f"bench-org-{slug}"):
            for attempt in range(3):  # provisioning races with a concurrent test run
                try:
                    org = self.platform.create_organisation(
                        "Benchmark", slug, "12345678", totp_required=False
                    )
                    break
                except psycopg.errors.InternalError:
                    if attempt == 2:
                        raise
                    time.sleep(0.5)
        self.org_id = org.id
        self.job_ids.update(
            {f"catch-up-{self.org_id}-{Trajectories.name}", "catch-up-platform-registry"}
        )
        with provision.connect_owner(self.settings) as conn:
            conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                    sql.Identifier(schema_for(self.bare_id))
                )
            )
        self.bare = BareApplication(env=bare_env(self.settings, schema_for(self.bare_id)))

    def platform_redis(self) -> Any:
        import redis

        return redis.from_url(self.settings.redis_url, socket_timeout=2)

    def cleanup(self) -> None:
        if self.bare is not None:
            self.bare.close()
        if self.platform is not None:
            self.platform.close()  # release the pools before dropping the schemas
        for org_id in (self.org_id, self.bare_id):
            if org_id is not None:
                provision.drop_schema(self.settings, org_id)
        if self.settings.redis_url and self.platform is not None:
            from services.kernel.jobs import QUEUE_NAME

            connection = self.platform_redis()
            queue_key = f"rq:queue:{QUEUE_NAME}"
            for job_id in self.job_ids:
                connection.lrem(queue_key, 0, job_id)
                connection.delete(f"rq:job:{job_id}")
            if connection.llen(queue_key) == 0:
                connection.delete(queue_key)
                connection.srem("rq:queues", queue_key)
        self.tmp.cleanup()

    @property
    def trajectories(self) -> Trajectories:
        assert self.platform is not None and self.org_id is not None
        return self.platform.trajectories(self.org_id)

    # Saves
    def platform_save(self, i: int) -> None:
        assert self.platform is not None and self.org_id is not None
        with context.acting(self.org_id, "bench", uuid4().hex):
            self.platform.trajectories(self.org_id).start_trajectory(uuid4(), "UWV", self.coach)

    def bare_save(self, i: int) -> None:
        assert self.bare is not None
        self.bare.save(BareTrajectory(uuid4(), "UWV", self.coach))

    def saves(self, results: dict[str, Any]) -> None:
        n, rounds = self.args.n, self.args.rounds
        print(f"Saves of a new aggregate: {rounds} alternating rounds of n={n}", flush=True)
        timed(self.args.warmup, self.platform_save)
        timed(self.args.warmup, self.bare_save)
        platform_rates, bare_rates = [], []
        for round_no in range(1, rounds + 1):
            platform_rates.append(timed(n, self.platform_save))
            bare_rates.append(timed(n, self.bare_save))
            print(
                f"  round {round_no}: platform {platform_rates[-1]:,.1f}/s,"
                f" bare {bare_rates[-1]:,.1f}/s",
                flush=True,
            )
        results["platform_saves_per_s"] = statistics.median(platform_rates)
        results["bare_saves_per_s"] = statistics.median(bare_rates)
        results["save_ratio"] = round(
            results["platform_saves_per_s"] / results["bare_saves_per_s"], 3
        )
        results["platform_saves_rounds"] = platform_rates
        results["bare_saves_rounds"] = bare_rates
        line("platform saves (median)", results["platform_saves_per_s"], "/s")
        line("bare saves (median)", results["bare_saves_per_s"], "/s")

        # Where the difference goes: the same platform command without the job enqueue.
        app = self.trajectories
        app.on_recorded = None
        try:
            timed(self.args.warmup, self.platform_save)
            no_kick = statistics.median(
                [timed(n, self.platform_save) for _ in range(max(1, rounds // 2))]
            )
        finally:
            app.on_recorded = self.platform.kick_projections  # type: ignore[union-attr]
        results["platform_saves_without_enqueue_per_s"] = no_kick
        line("platform saves without the job enqueue", no_kick, "/s")

    # Reads
    def history(self, app: Application[UUID], make: Callable[[], Aggregate]) -> UUID:
        """An aggregate of HISTORY events, saved without any snapshot."""
        aggregate: Any = make()
        coaches = (uuid4(), self.coach)
        for i in range(HISTORY - 1):
            with context.idempotency(f"bench-history-{i}"):
                aggregate.reassign(coaches[i % 2], "Warme overdracht na het intakegesprek")
        app.save(aggregate)
        return aggregate.id

    def reads(self, results: dict[str, Any], prefix: str, app: Application[UUID], make) -> None:
        n_get = self.args.n_get
        label = "platform" if not prefix else "bare"
        # Trajectories snapshots every 50 events: switch that off while writing the
        # history, so the first measure really folds 100 events.
        intervals = app.snapshotting_intervals
        app.snapshotting_intervals = {}  # type: ignore[misc]
        try:
            aggregate_id = self.history(app, make)
        finally:
            app.snapshotting_intervals = intervals  # type: ignore[misc]
        assert not list(app.snapshots.get(aggregate_id)), "unexpected snapshot"  # type: ignore[union-attr]
        assert app.repository.get(aggregate_id).version == HISTORY

        def get(i: int) -> None:
            app.repository.get(aggregate_id)

        timed(self.args.warmup, get)
        results[f"{prefix}get_100_events_per_s"] = timed(n_get, get)
        line(
            f"{label}: get, 100 events, no snapshot", results[f"{prefix}get_100_events_per_s"], "/s"
        )

        app.take_snapshot(aggregate_id, version=HISTORY)
        timed(self.args.warmup, get)
        results[f"{prefix}get_100_events_snapshot_per_s"] = timed(n_get, get)
        line(
            f"{label}: get, snapshot at version 100",
            results[f"{prefix}get_100_events_snapshot_per_s"],
            "/s",
        )

        # Fill the log up to n_log events (one save per 1000 events, no job enqueue).
        head = app.recorder.max_notification_id() or 0
        on_recorded = getattr(app, "on_recorded", None)
        if on_recorded is not None:
            app.on_recorded = None  # type: ignore[attr-defined]
        try:
            while head < self.args.n_log:
                batch = []
                for _ in range(min(100, (self.args.n_log - head + 9) // 10)):
                    aggregate: Any = make()
                    for k in range(9):
                        aggregate.reassign(uuid4(), f"Overdrachtsnotitie nummer {k}")
                    batch.append(aggregate)
                app.save(*batch)
                head = app.recorder.max_notification_id() or 0
        finally:
            if on_recorded is not None:
                app.on_recorded = on_recorded  # type: ignore[attr-defined]

        def read_log() -> int:
            count, start = 0, 1
            while True:
                notifications = app.recorder.select_notifications(start=start, limit=LOG_BATCH)
                if not notifications:
                    return count
                for notification in notifications:
                    app.mapper.to_domain_event(notification)
                count += len(notifications)
                start = notifications[-1].id + 1

        read_log()  # warm-up
        passes = []
        for _ in range(self.args.rounds):
            start = time.perf_counter()
            count = read_log()
            passes.append(rate(count, time.perf_counter() - start))
        results[f"{prefix}log_read_events_per_s"] = statistics.median(passes)
        results[f"{prefix}log_events"] = count
        line(
            f"{label}: log read ({count:,} events, batches of {LOG_BATCH})",
            results[f"{prefix}log_read_events_per_s"],
            "events/s",
        )

    # Profile of the platform save path
    def profile(self, results: dict[str, Any]) -> None:
        n = self.args.n_profile
        print(f"Profile of {n} platform saves (cProfile):", flush=True)
        profiler = cProfile.Profile()
        profiler.enable()
        start = time.perf_counter()
        for i in range(n):
            self.platform_save(i)
        elapsed = time.perf_counter() - start
        profiler.disable()
        stats = pstats.Stats(profiler)
        # Self time per layer: where the platform spends its time beyond the library.
        layers: dict[str, float] = defaultdict(float)
        for (filename, _, function), (_, _, self_time, _, _) in stats.stats.items():  # type: ignore[attr-defined]
            layers[layer_of(filename, function)] += self_time
        total = sum(layers.values()) or 1.0
        print(f"  {n} saves in {elapsed:.2f} s ({rate(n, elapsed):,.1f}/s under the profiler)")
        print("  self time per layer:")
        shares = {}
        for name, seconds in sorted(layers.items(), key=lambda kv: -kv[1]):
            share = 100 * seconds / total
            shares[name] = round(share, 1)
            if share >= 1:
                print(f"    {name:<46} {share:5.1f} %  ({1000 * seconds / n:.3f} ms/save)")
        results["profile_self_time_percent"] = shares
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print("  top cumulative:")
        for text in out.getvalue().splitlines():
            if text.strip() and not text.startswith(("   Ordered", "         ")):
                print("    " + text[:150])

    # The run
    def run(self) -> dict[str, Any]:
        results: dict[str, Any] = {}
        started = time.perf_counter()
        try:
            self.setup()
            print(
                f"Jobtrail event-store bench: org schema {schema_for(self.org_id)} as role"
                f" {self.settings.app_db_role!r}; bare schema {schema_for(self.bare_id)} as owner;"
                f" jobs {'inline' if not self.settings.redis_url else 'on ' + self.settings.redis_url}",
                flush=True,
            )
            self.saves(results)
            print("Reads:", flush=True)
            with context.acting(self.org_id, "bench"):
                self.reads(results, "", self.trajectories, self._trajectory)
            assert self.bare is not None
            self.reads(results, "bare_", self.bare, self._bare_trajectory)
            if self.args.profile or results["save_ratio"] < TARGET_RATIO:
                self.profile(results)
        finally:
            self.cleanup()
        results["save_ratio_target"] = TARGET_RATIO
        results["save_ratio_met"] = results.get("save_ratio", 0) >= TARGET_RATIO
        results["n"] = {
            "saves": self.args.n,
            "rounds": self.args.rounds,
            "warmup": self.args.warmup,
            "gets": self.args.n_get,
            "log_events": self.args.n_log,
            "log_batch": LOG_BATCH,
            "history": HISTORY,
        }
        results["jobs"] = "inline" if not self.settings.redis_url else "redis"
        results["pool_size"] = self.settings.pool_size
        results["machine"] = machine(self.settings.database_url)
        results["eventsourcing_version"] = importlib.metadata.version("eventsourcing")
        results["seconds"] = round(time.perf_counter() - started, 1)
        return results

    def _trajectory(self) -> Trajectory:
        return Trajectory(uuid4(), "UWV", self.coach)

    def _bare_trajectory(self) -> BareTrajectory:
        return BareTrajectory(uuid4(), "UWV", self.coach)


def layer_of(filename: str, function: str) -> str:
    path = filename.replace("\\", "/")
    for marker, name in (
        ("/rq/", "rq (job enqueue)"),
        ("/redis/", "redis client (job enqueue)"),
        ("/eventsourcing/cipher", "eventsourcing cipher (AES)"),
        ("/eventsourcing/compressor", "eventsourcing compressor (zlib)"),
        ("/eventsourcing/", "eventsourcing library"),
        ("/psycopg_pool/", "psycopg_pool"),
        ("/psycopg/", "psycopg"),
        ("/psycopg_binary/", "psycopg"),
        ("/Crypto/", "pycryptodome (AES)"),
        ("/cryptography/", "cryptography"),
        ("/services/", "jobtrail services"),
        ("/bench/", "bench loop"),
    ):
        if marker in path:
            return name
    if path == "~":  # built-ins: name them by what they are
        if "socket" in function or "recv" in function or "send" in function:
            return "socket I/O (built-in)"
        if "select" in function or "poll" in function or "wait" in function:
            return "waiting on the server (built-in)"
        if "zlib" in function or "compress" in function:
            return "eventsourcing compressor (zlib)"
        return "other built-ins"
    if "/lib/python3" in path and "site-packages" not in path:
        return "python stdlib (" + Path(path).stem + ")"
    return "other: " + Path(path).parent.name


def machine(database_url: str) -> dict[str, Any]:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return {
        "node": platform_module.node(),
        "cpus": os.cpu_count(),
        "platform": platform_module.platform(),
        "python": platform_module.python_version(),
        "postgres_server_version": row[0] if row else None,
    }


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("JOBTRAIL_BENCH_REDIS_URL") or DEFAULT_REDIS_URL,
        help="Redis for the catch-up jobs the platform enqueues after each save"
        f" (default {DEFAULT_REDIS_URL}; env JOBTRAIL_BENCH_REDIS_URL)",
    )
    parser.add_argument(
        "--inline-jobs",
        action="store_true",
        help="no Redis: projections catch up inline after each save (the embedded default)",
    )
    parser.add_argument("--n", type=int, default=1000, help="saves per round (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating save rounds")
    parser.add_argument("--n-get", type=int, default=300, help="gets per read measure")
    parser.add_argument("--n-log", type=int, default=20_000, help="events in the log to read")
    parser.add_argument("--warmup", type=int, default=50, help="untimed operations first")
    parser.add_argument("--n-profile", type=int, default=500, help="saves under the profiler")
    parser.add_argument(
        "--profile", action="store_true", help="profile the platform saves even if on target"
    )
    parser.add_argument("--quick", action="store_true", help="tiny smoke run (seconds)")
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.rounds, args.n_get, args.n_log = 20, 1, 10, 500
        args.warmup, args.n_profile = 5, 20
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    results = Bench(args).run()
    met = results["save_ratio_met"]
    print(
        f"save_ratio = {results['save_ratio']:.3f} (platform {results['platform_saves_per_s']:,.1f}/s"
        f" / bare {results['bare_saves_per_s']:,.1f}/s): target >= {TARGET_RATIO}"
        f" {'MET' if met else 'NOT MET'}"
    )
    m = results["machine"]
    print(
        f"machine: {m['node']}, {m['cpus']} cpus, {m['platform']}, Python {m['python']},"
        f" PostgreSQL {m['postgres_server_version']}, eventsourcing"
        f" {results['eventsourcing_version']}; {results['seconds']} s"
    )
    print(json.dumps(results, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
