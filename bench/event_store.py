"""Event-store speed: the platform's application layer against the bare eventsourcing library.

Run: ``python bench/event_store.py [--database-url URL] [--n 1000] [--quick]``
(bench/README.md lists every option and explains every figure).
Human-readable lines first; the LAST line is one JSON object with the figures.
Nothing here asserts a timing (the test suite only runs ``--quick`` as a smoke test).

What is measured (fixed counts, after a warm-up, with time.perf_counter):

- platform saves: ``Trajectories.start_trajectory`` for a registered client, on an
  organisation created with ``Platform.create_organisation``, connected as the app role
  (CREATE_TABLE=n, the append-only RLS tables), inside ``context.acting(org_id,
  "bench", key)`` with a fresh idempotency key per command, the application taken from
  the platform's cache per command and the projections' catch-up job enqueued on Redis
  after the save: what an API request does in production (REDIS_URL set).
- bare saves: a plain ``eventsourcing.application.Application`` with a plain
  ``Aggregate`` of the same shape, the same cipher and compressor, its own schema,
  connected as the database owner, library defaults otherwise.
- breakdown (``--no-breakdown`` skips it): the platform's command without the job
  enqueue, then also without the pool's pre-ping, then also without the client read,
  and with a coalescing Redis ``SET NX`` instead of the enqueue.
- reads, platform and bare side by side: get of a 100-event aggregate without and
  with a snapshot at version 100 (``take_snapshot``), and the notification log read
  in batches of 1000 with ``recorder.select_notifications`` + ``mapper.to_domain_event``;
  then the decrypt rate of both AES ciphers of the library and the bare reads through
  each (they share one stored format).
- when the ratio misses its target (or with ``--profile``): cProfile of the platform's
  saves, in ms per save for the parts that matter.

The machine is shared (tests, other benchmarks): every pair of measures is run in
small alternating blocks (platform, bare, platform, bare, ...), so that a busy
neighbour slows both sides alike and the ratio stays meaningful; the load average
is part of the JSON. Everything created is dropped afterwards (the bench's own
platform schema, the organisation's schema and the bare schema, with
provision.drop_schema; the Redis job keys by id, in a Redis database of its own).
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
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

if __package__ in (None, ""):  # run as a script from a checkout: make `services` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402
from eventsourcing.application import Application  # noqa: E402
from eventsourcing.domain import Aggregate, event  # noqa: E402
from psycopg import sql  # noqa: E402

from services.catalogue import Platform  # noqa: E402
from services.kernel import context, provision, store  # noqa: E402
from services.kernel.settings import Settings, new_cipher_key  # noqa: E402
from services.kernel.store import postgres_params, schema_for  # noqa: E402
from services.trajectories.application import Trajectories  # noqa: E402
from services.trajectories.domainmodel import Trajectory  # noqa: E402

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
# A Redis database of its own: the bench never meets a worker, nor the tests (13, 15).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
TARGET_RATIO = 0.7
LOG_BATCH = 1000
HISTORY = 100  # events of the aggregate that the get measures read
NOTE = "Warme overdracht na het intakegesprek"
CIPHER_TOPICS = ("eventsourcing.cipher:AESCipher", "eventsourcing.cryptography:AESCipher")


# The bare library: an aggregate of the same shape as Trajectory, nothing stamped.
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
    is_snapshotting_enabled = True  # a snapshots table, as Trajectories has


CODEC_SETTINGS = ("CIPHER_TOPIC", "CIPHER_KEY", "COMPRESSOR_TOPIC")


class BareReader(BareApplication):
    """Reads the bare schema without a snapshot store."""

    name = "bare"
    is_snapshotting_enabled = False


def bare_env(settings: Settings, schema: str) -> dict[str, str]:
    """Owner connection, the platform's cipher and compressor, library defaults otherwise."""
    platform_env = store.event_store_env(settings, "bare", None)
    params = postgres_params(settings.database_url)
    return {
        **{name: platform_env[name] for name in CODEC_SETTINGS if name in platform_env},
        "CREATE_TABLE": "y",
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_HOST": params["host"],
        "POSTGRES_PORT": params["port"],
        "POSTGRES_DBNAME": params["dbname"],
        "POSTGRES_USER": params["user"],
        "POSTGRES_PASSWORD": params["password"],
        "POSTGRES_SCHEMA": schema,
    }


@contextmanager
def env_override(**changes: str) -> Iterator[None]:
    """Construct a platform application with a few library settings changed."""
    original = store.event_store_env

    def changed(*args: Any, **kwargs: Any) -> dict[str, str]:
        return {**original(*args, **kwargs), **changes}

    store.event_store_env = changed  # type: ignore[assignment]
    try:
        yield
    finally:
        store.event_store_env = original  # type: ignore[assignment]


# Measuring
def interleaved(
    steps: dict[str, Callable[[], Any]], count: int, block: int, warmup: int
) -> dict[str, float]:
    """Run each step `count` times in alternating blocks; operations per second each."""
    for step in steps.values():
        for _ in range(warmup):
            step()
    elapsed = dict.fromkeys(steps, 0.0)
    done = 0
    while done < count:
        size = min(block, count - done)
        for name, step in steps.items():
            start = time.perf_counter()
            for _ in range(size):
                step()
            elapsed[name] += time.perf_counter() - start
        done += size
    return {name: count / seconds for name, seconds in elapsed.items()}


def show(label: str, value: float, unit: str = "/s") -> None:
    print(f"  {label:<52} {value:>12,.1f} {unit}", flush=True)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = tempfile.TemporaryDirectory(prefix="jobtrail-bench-")
        run_id = secrets.token_hex(5)
        env = dict(os.environ)  # honours JOBTRAIL_APP_DB_ROLE, JOBTRAIL_POOL_SIZE, ...
        env.update(
            DATABASE_URL=args.database_url,
            JOBTRAIL_PLATFORM_SCHEMA=f"platform_bench_{run_id}",  # a registry of its own
            SECRET_KEY=secrets.token_urlsafe(32),
            JOBTRAIL_CIPHER_KEY=new_cipher_key(),
            JOBTRAIL_DATA_DIR=self.tmp.name,
            JOBTRAIL_TOKEN_SIGNING_KEY_FILE=str(Path(self.tmp.name) / "keys" / "token.pem"),
            JOBTRAIL_AUDIT_KEY_DIR=str(Path(self.tmp.name) / "keys" / "audit"),
            REDIS_URL="" if args.inline_jobs else args.redis_url,
        )
        self.settings = Settings.from_env(env)
        # The bare schema is the "platform schema" of a second Settings, so that
        # provision.drop_schema drops it too.
        self.bare_settings = self.settings.with_(platform_schema=f"bench_bare_{run_id}")
        self.platform: Platform | None = None
        self.org_id: UUID | None = None
        self.bare: BareApplication | None = None
        self.extra_apps: list[Application[UUID]] = []
        self.slug = f"bench-{run_id}"
        self.coach = uuid4()
        self.client_id: UUID = uuid4()
        self.client_number = ""
        self.profile_text = ""
        self.kick_key = ""
        self.bare_history_id: UUID | None = None

    # Set-up and clean-up
    def setup(self) -> None:
        if self.settings.redis_url:
            try:
                self.redis().ping()
            except Exception as error:
                raise SystemExit(
                    f"Redis at {self.settings.redis_url} is not reachable ({error});"
                    " pass --redis-url, or --inline-jobs to run the views inline"
                ) from None
        self.platform = Platform(self.settings)
        with context.acting(None, "bench", f"bench-org-{self.slug}"):
            org = self.platform.create_organisation(
                "Benchmark", self.slug, "12345678", totp_required=False
            )
        self.org_id = org.id
        # Trajectories start for a registered client (start_trajectory reads its number).
        with context.acting(self.org_id, "bench", f"bench-client-{self.slug}"):
            client = self.trajectories.register_client(
                {"name": "Bench Cliënt", "email": "bench@example.nl"}
            )
        self.client_id, self.client_number = client.id, client.number
        with provision.connect_owner(self.settings) as conn:
            conn.execute(
                sql.SQL("CREATE SCHEMA {}").format(
                    sql.Identifier(self.bare_settings.platform_schema)
                )
            )
        self.bare = BareApplication(env=bare_env(self.settings, self.bare_settings.platform_schema))

    def redis(self) -> Any:
        import redis

        return redis.from_url(self.settings.redis_url, socket_timeout=2)

    def cleanup(self) -> None:
        for app in [*self.extra_apps, *([self.bare] if self.bare else [])]:
            app.close()
        if self.platform is not None:
            self.platform.close()  # release the pools before dropping the schemas
            if self.org_id is not None:
                provision.drop_schema(self.settings, self.org_id)
            provision.drop_schema(self.settings, None)  # the bench's platform schema
            provision.drop_schema(self.bare_settings, None)
            if self.settings.redis_url:
                self.clean_redis()
        self.tmp.cleanup()

    def clean_redis(self) -> None:
        """Remove what this run queued, and only that (the database may be shared)."""
        from services.kernel.jobs import QUEUE_NAME

        connection = self.redis()
        queue_key = f"rq:queue:{QUEUE_NAME}"
        if self.kick_key:
            connection.delete(self.kick_key)
        own_job = f"catch-up-{self.org_id}-{Trajectories.name}"  # unique to this organisation
        connection.lrem(queue_key, 0, own_job)
        connection.delete(f"rq:job:{own_job}")
        # The registry's job id is shared by every platform: take back our one entry only.
        registry_job = "catch-up-platform-registry"
        connection.lrem(queue_key, 1, registry_job)
        if registry_job.encode() not in connection.lrange(queue_key, 0, -1):
            connection.delete(f"rq:job:{registry_job}")
        if connection.llen(queue_key) == 0:
            connection.delete(queue_key)
            connection.srem("rq:queues", queue_key)

    # Commands
    @property
    def trajectories(self) -> Trajectories:
        assert self.platform is not None and self.org_id is not None
        return self.platform.trajectories(self.org_id)

    def platform_save(self) -> None:
        """What the API's POST of a trajectory does below the HTTP layer."""
        assert self.platform is not None and self.org_id is not None
        with context.acting(self.org_id, "bench", uuid4().hex):
            self.platform.trajectories(self.org_id).start_trajectory(
                self.client_id, "UWV", self.coach
            )

    def bare_save(self) -> None:
        assert self.bare is not None
        self.bare.save(BareTrajectory(self.client_id, "UWV", self.coach))

    def saves(self, results: dict[str, Any]) -> None:
        args = self.args
        steps: dict[str, Callable[[], Any]] = {
            "platform": self.platform_save,
            "bare": self.bare_save,
        }
        if args.breakdown:
            steps.update(self.breakdown_steps())
        print(
            f"Saves of a new aggregate: n={args.n} each, in alternating blocks of {args.block}",
            flush=True,
        )
        rates = interleaved(steps, args.n, args.block, args.warmup)
        rates = {name: round(value, 1) for name, value in rates.items()}
        results["platform_saves_per_s"] = rates.pop("platform")
        results["bare_saves_per_s"] = rates.pop("bare")
        results["save_ratio"] = round(
            results["platform_saves_per_s"] / results["bare_saves_per_s"], 3
        )
        show("platform: Trajectories.start_trajectory", results["platform_saves_per_s"])
        show("bare: Application.save(Aggregate)", results["bare_saves_per_s"])
        for name, value in rates.items():
            results[f"platform_saves_{name}_per_s"] = value
            show(f"platform {name.replace('_', ' ')}", value)
            results[f"save_ratio_{name}"] = round(value / results["bare_saves_per_s"], 3)

    def breakdown_steps(self) -> dict[str, Callable[[], Any]]:
        """The same command on the same organisation, with parts of the platform removed,
        one at a time, to show where the platform's time goes."""
        assert self.platform is not None and self.org_id is not None
        org_id, coach, client_id = self.org_id, self.coach, self.client_id
        # Second and third instances of the organisation's application: no on_recorded
        # hook, so no job enqueue; otherwise the platform's settings (and no pre-ping).
        no_enqueue = Trajectories(self.settings, org_id)
        with env_override(POSTGRES_PRE_PING="n"):
            no_ping = Trajectories(self.settings, org_id)
        self.extra_apps += [no_enqueue, no_ping]

        def start(app: Trajectories) -> Callable[[], None]:
            def save() -> None:
                with context.acting(org_id, "bench", uuid4().hex):
                    app.start_trajectory(client_id, "UWV", coach)

            return save

        def create_only() -> None:  # start_trajectory without reading the client first
            with context.acting(org_id, "bench", uuid4().hex):
                no_ping.create(Trajectory(client_id, "UWV", coach, self.client_number))

        steps = {
            "without_enqueue": start(no_enqueue),
            "without_enqueue_and_pre_ping": start(no_ping),
            "without_enqueue_pre_ping_and_client_read": create_only,
        }
        if self.settings.redis_url:
            # The proposed fix, simulated: one `SET key NX PX` per save instead of an RQ
            # enqueue; the job would delete the key before catching up.
            redis_connection = self.redis()
            self.kick_key = f"jobtrail:bench:kick:{org_id}:{Trajectories.name}"
            save = start(no_enqueue)

            def coalesced() -> None:
                save()
                if redis_connection.set(self.kick_key, b"1", nx=True, px=30_000):
                    pass  # here the platform would enqueue the one catch-up job

            steps["with_coalesced_kick_instead_of_enqueue"] = coalesced
        return steps

    # Reads
    def history(self, app: Application[UUID], make: Callable[[], Any]) -> UUID:
        """An aggregate of HISTORY events, saved with no snapshot."""
        aggregate = make()
        coaches = (uuid4(), self.coach)
        for i in range(HISTORY - 1):
            with context.idempotency(f"bench-history-{i}"):
                aggregate.reassign(coaches[i % 2], NOTE)
        # Trajectories snapshots every 50 events: not while writing this history.
        intervals = app.snapshotting_intervals
        app.snapshotting_intervals = {}  # type: ignore[misc]
        try:
            app.save(aggregate)
        finally:
            app.snapshotting_intervals = intervals  # type: ignore[misc]
        assert app.snapshots is not None
        assert not list(app.snapshots.get(aggregate.id)), "a snapshot was taken"
        assert app.repository.get(aggregate.id).version == HISTORY
        return aggregate.id

    def fill_log(self, app: Application[UUID], make: Callable[[], Any]) -> None:
        """Bring the log to n_log events: 100 aggregates of 10 events per save."""
        head = app.recorder.max_notification_id() or 0
        while head < self.args.n_log:
            batch = []
            for _ in range(max(1, min(100, (self.args.n_log - head) // 10))):
                aggregate = make()
                for k in range(9):
                    aggregate.reassign(uuid4(), f"{NOTE} ({k})")
                batch.append(aggregate)
            app.save(*batch)
            head = app.recorder.max_notification_id() or 0

    @staticmethod
    def read_log(app: Application[UUID]) -> int:
        count, start = 0, 1
        while True:
            notifications = app.recorder.select_notifications(start=start, limit=LOG_BATCH)
            if not notifications:
                return count
            for notification in notifications:
                app.mapper.to_domain_event(notification)
            count += len(notifications)
            start = notifications[-1].id + 1

    def reads(self, results: dict[str, Any]) -> None:
        args = self.args
        platform_app, bare = self.trajectories, self.bare
        assert bare is not None
        with context.acting(self.org_id, "bench"):
            # The platform's own application, without the enqueue of catch-up jobs.
            platform_app.on_recorded = None
            try:
                platform_id = self.history(platform_app, self.new_trajectory)
                self.fill_log(platform_app, self.new_trajectory)
            finally:
                platform_app.on_recorded = self.platform.kick_projections  # type: ignore[union-attr]
            bare_id = self.bare_history_id = self.history(bare, self.new_bare_trajectory)
            self.fill_log(bare, self.new_bare_trajectory)

            print(f"Reads: n={args.n_get} gets each, in alternating blocks", flush=True)
            block = max(1, args.block // 4)
            for suffix in ("", "_snapshot"):
                if suffix:
                    platform_app.take_snapshot(platform_id, version=HISTORY)
                    bare.take_snapshot(bare_id, version=HISTORY)
                rates = interleaved(
                    {
                        "platform": lambda: platform_app.repository.get(platform_id),
                        "bare": lambda: bare.repository.get(bare_id),
                    },
                    args.n_get,
                    block,
                    args.warmup,
                )
                what = "snapshot at version 100" if suffix else "100 events, no snapshot"
                for side, prefix in (("platform", ""), ("bare", "bare_")):
                    results[f"{prefix}get_100_events{suffix}_per_s"] = round(rates[side], 1)
                    show(f"{side}: repository.get, {what}", rates[side])

            counts: dict[str, int] = {}

            def reader(side: str, app: Application[UUID]) -> Callable[[], None]:
                def read() -> None:
                    counts[side] = self.read_log(app)

                return read

            rates = interleaved(
                {"platform": reader("platform", platform_app), "bare": reader("bare", bare)},
                args.log_passes,
                1,
                1,
            )
        for side, prefix in (("platform", ""), ("bare", "bare_")):
            results[f"{prefix}log_read_events_per_s"] = round(rates[side] * counts[side], 1)
            results[f"{prefix}log_events"] = counts[side]
            show(
                f"{side}: log read, {counts[side]:,} events, batches of {LOG_BATCH}",
                results[f"{prefix}log_read_events_per_s"],
                "events/s",
            )

    def ciphers(self, results: dict[str, Any]) -> None:
        """Decrypt rate of the stored states: the platform's cipher and the alternatives.

        `eventsourcing.cryptography:AESCipher` (OpenSSL through the cryptography
        package) writes the same nonce|tag|ciphertext layout as
        `eventsourcing.cipher:AESCipher` (pycryptodome); checked here both ways.
        """
        from eventsourcing.utils import resolve_topic

        app = self.trajectories
        states = [n.state for n in app.recorder.select_notifications(start=1, limit=5000)]
        key = {"CIPHER_KEY": self.settings.cipher_key}
        used = app.env.get("CIPHER_TOPIC") or ""
        rates: dict[str, float] = {}
        for topic in dict.fromkeys([used, *CIPHER_TOPICS]):
            cipher = resolve_topic(topic)(key)
            plaintext = cipher.decrypt(states[0])
            assert app.mapper.cipher is not None
            assert app.mapper.cipher.decrypt(cipher.encrypt(plaintext)) == plaintext
            start = time.perf_counter()
            for state in states:
                cipher.decrypt(state)
            rates[topic] = round(len(states) / (time.perf_counter() - start), 1)
            show(f"decrypt, {topic}{' (in use)' if topic == used else ''}", rates[topic])
        results["cipher_decrypt_per_s"] = rates
        self.faster_cipher(results)

    def faster_cipher(self, results: dict[str, Any]) -> None:
        """The bare history and log read through each cipher (the same stored bytes);
        without a snapshot store, so that the gets fold all 100 events."""
        assert self.bare is not None and self.bare_history_id is not None
        used = self.bare.env.get("CIPHER_TOPIC") or ""
        other = next(topic for topic in CIPHER_TOPICS if topic != used)
        apps = {}
        for name, topic in (("used", used), ("other", other)):
            env = bare_env(self.settings, self.bare_settings.platform_schema)
            env.update(CIPHER_TOPIC=topic, CREATE_TABLE="n")
            apps[name] = BareReader(env=env)
            self.extra_apps.append(apps[name])
        history_id = self.bare_history_id
        for app in apps.values():
            assert app.repository.get(history_id).version == HISTORY  # same bytes, both ways
        gets = interleaved(
            {name: (lambda a=app: a.repository.get(history_id)) for name, app in apps.items()},
            self.args.n_get,
            max(1, self.args.block // 4),
            self.args.warmup,
        )
        counts: dict[str, int] = {}

        def reader(name: str) -> Callable[[], None]:
            def read() -> None:
                counts[name] = self.read_log(apps[name])

            return read

        logs = interleaved({name: reader(name) for name in apps}, self.args.log_passes, 1, 1)
        figures = {"cipher_topic": other}
        for name, suffix in (("other", ""), ("used", "_with_cipher_in_use")):
            figures[f"bare_get_100_events_per_s{suffix}"] = round(gets[name], 1)
            figures[f"bare_log_read_events_per_s{suffix}"] = round(logs[name] * counts[name], 1)
        results["other_cipher"] = figures
        for name, topic in (("used", used), ("other", other)):
            show(f"bare get, 100 events, {topic}", round(gets[name], 1))
            show(f"bare log read, {topic}", round(logs[name] * counts[name], 1), "events/s")

    def new_trajectory(self) -> Trajectory:
        return Trajectory(self.client_id, "UWV", self.coach, self.client_number)

    def new_bare_trajectory(self) -> BareTrajectory:
        return BareTrajectory(self.client_id, "UWV", self.coach)

    # Profile of the platform's save path
    def profile(self, results: dict[str, Any]) -> None:
        n = self.args.n_profile
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        for _ in range(n):
            self.platform_save()
        profiler.disable()
        elapsed = time.perf_counter() - start
        stats = pstats.Stats(profiler)
        # Inclusive time of the parts the platform adds on top of the library's save.
        parts = {
            "job enqueue (Jobs.enqueue: RQ, or inline job)": ("services/kernel/jobs.py", "enqueue"),
            "client read (Trajectories.client)": ("services/trajectories/application.py", "client"),
            "Application.save (incl. the enqueue in notify)": (
                "eventsourcing/application.py",
                "save",
            ),
            "library insert_events (database)": ("eventsourcing/postgres.py", "insert_events"),
            "pool checkout pre-ping (check_connection)": (
                "psycopg_pool/pool.py",
                "check_connection",
            ),
            "mapper.to_stored_event (encode, zlib, AES)": (
                "eventsourcing/persistence.py",
                "to_stored_event",
            ),
            "aggregate construction (Trajectory(...))": ("eventsourcing/domain.py", "_create"),
        }
        found: dict[str, float] = defaultdict(float)
        for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
            for label, (path, name) in parts.items():
                if filename.replace("\\", "/").endswith(path) and function == name:
                    found[label] = max(found[label], row[3])  # cumulative time
        lines = [f"Profile of {n} platform saves (cProfile, {n / elapsed:,.0f}/s under it):"]
        for label in parts:
            ms = 1000 * found.get(label, 0.0) / n
            lines.append(f"  {label:<46} {ms:7.3f} ms/save")
        results["profile_ms_per_save"] = {
            label: round(1000 * found.get(label, 0.0) / n, 3) for label in parts
        }
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(22)
        lines.append("  top by cumulative time:")
        lines += [
            "    " + text[:160]
            for text in out.getvalue().splitlines()
            if text.strip() and ("(" in text or "ncalls" in text)
        ]
        self.profile_text = "\n".join(lines)
        print(self.profile_text, flush=True)

    # The run
    def run(self) -> dict[str, Any]:
        results: dict[str, Any] = {}
        started = time.perf_counter()
        load_before = os.getloadavg()
        try:
            self.setup()
            jobs = "inline" if not self.settings.redis_url else f"on {self.settings.redis_url}"
            print(
                f"Jobtrail event-store bench: organisation schema {schema_for(self.org_id)}"
                f" as {self.settings.app_db_role!r}, bare schema"
                f" {self.bare_settings.platform_schema} as the owner, jobs {jobs}",
                flush=True,
            )
            self.saves(results)
            self.reads(results)
            self.ciphers(results)
            if self.args.profile or results["save_ratio"] < TARGET_RATIO:
                self.profile(results)
        finally:
            self.cleanup()
        args = self.args
        results["save_ratio_target"] = TARGET_RATIO
        results["save_ratio_met"] = results["save_ratio"] >= TARGET_RATIO
        results["n"] = {
            "saves": args.n,
            "block": args.block,
            "warmup": args.warmup,
            "gets": args.n_get,
            "history_events": HISTORY,
            "log_events": args.n_log,
            "log_batch": LOG_BATCH,
            "log_passes": args.log_passes,
            "profile_saves": args.n_profile,
        }
        results["jobs"] = "inline" if not self.settings.redis_url else "redis"
        results["pool_size"] = self.settings.pool_size
        results["machine"] = machine(args.database_url)
        results["machine"]["loadavg_1m_before_after"] = [
            round(load_before[0], 2),
            round(os.getloadavg()[0], 2),
        ]
        results["eventsourcing_version"] = importlib.metadata.version("eventsourcing")
        results["seconds"] = round(time.perf_counter() - started, 1)
        return results


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
    parser = argparse.ArgumentParser(
        description="Event-store speed: platform application layer vs the bare library."
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help=f"owner connection (env DATABASE_URL; default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("JOBTRAIL_BENCH_REDIS_URL") or DEFAULT_REDIS_URL,
        help="Redis for the catch-up jobs the platform enqueues after each save"
        f" (env JOBTRAIL_BENCH_REDIS_URL; default {DEFAULT_REDIS_URL})",
    )
    parser.add_argument(
        "--inline-jobs",
        action="store_true",
        help="no Redis: views catch up inline after each save (the embedded default)",
    )
    parser.add_argument("--n", type=int, default=1000, help="saves per measure (1000)")
    parser.add_argument("--block", type=int, default=100, help="saves per alternating block")
    parser.add_argument("--n-get", type=int, default=300, help="gets per measure (300)")
    parser.add_argument("--n-log", type=int, default=10_000, help="events in each log (10000)")
    parser.add_argument("--log-passes", type=int, default=3, help="full log reads each (3)")
    parser.add_argument("--warmup", type=int, default=50, help="untimed operations first (50)")
    parser.add_argument("--n-profile", type=int, default=300, help="saves under the profiler (300)")
    parser.add_argument(
        "--profile", action="store_true", help="profile the platform saves even when on target"
    )
    parser.add_argument(
        "--no-breakdown",
        dest="breakdown",
        action="store_false",
        help="skip the platform variants without enqueue / pre-ping",
    )
    parser.add_argument("--quick", action="store_true", help="tiny smoke run (a few seconds)")
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.block, args.n_get, args.n_log, args.log_passes = 20, 10, 10, 300, 1
        args.warmup, args.n_profile = 3, 20
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    results = Bench(args).run()
    verdict = "MET" if results["save_ratio_met"] else "NOT MET"
    print(
        f"save_ratio = {results['save_ratio']:.3f} (platform"
        f" {results['platform_saves_per_s']:,.1f}/s / bare {results['bare_saves_per_s']:,.1f}/s):"
        f" target >= {TARGET_RATIO} {verdict}"
    )
    m = results["machine"]
    print(
        f"machine: {m['node']}, {m['cpus']} CPUs, {m['platform']}, Python {m['python']},"
        f" PostgreSQL {m['postgres_server_version']}, eventsourcing"
        f" {results['eventsourcing_version']}, load {m['loadavg_1m_before_after']};"
        f" {results['seconds']} s"
    )
    print(json.dumps(results, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
