"""The canary test of issue 5: plant unique values, erase the client, then find them
nowhere: not in a full pg_dump, not in any Redis key, not in the log file, not in any
generated document, not in the raw SQLite files, and not even with all platform keys
in hand. Event counts unchanged, the audit log still verifies."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest

from services.audit.trail import AuditLog
from services.catalogue import Platform
from services.kernel import context
from services.privacy.erasure import DecisionRequiredError, erase_client
from services.privacy.export import make_export
from tests.conftest import PG_URL, REDIS_URL, Orgs
from tests.integration.test_privacy_scenario import (
    hits,
    plant,
    readable_with_platform_keys,
    stored_events,
)


@pytest.fixture
def queued_platform(any_settings, redis_connection, tmp_path):
    """A platform whose jobs go through the real Redis, and a log file to scan."""
    platform = Platform(any_settings.with_(redis_url=REDIS_URL))
    platform.provision_platform()
    orgs = Orgs(platform)
    log_file = tmp_path / "jobtrail.log"
    handler = logging.FileHandler(log_file)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield platform, orgs, log_file
    root.removeHandler(handler)
    root.setLevel(previous)
    handler.close()
    platform.close()
    orgs.cleanup()
    if any_settings.is_postgres:
        from services.kernel import provision

        provision.drop_schema(any_settings, None)


def _redis_dump(connection) -> bytes:
    chunks = []
    for key in connection.scan_iter(count=1000):
        chunks.append(key)
        kind = connection.type(key).decode()
        if kind == "string":
            chunks.append(connection.get(key) or b"")
        elif kind == "hash":
            chunks += [b for pair in connection.hgetall(key).items() for b in pair]
        elif kind == "list":
            chunks += connection.lrange(key, 0, -1)
        elif kind == "set":
            chunks += list(connection.smembers(key))
        elif kind == "zset":
            chunks += [m for m, _ in connection.zrange(key, 0, -1, withscores=True)]
        elif kind == "stream":
            chunks += [repr(e).encode() for e in connection.xrange(key)]
    return b"\n".join(chunks)


def _files(root: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def test_erased_canaries_are_found_nowhere(queued_platform, redis_connection):
    platform, orgs, log_file = queued_platform
    planted = plant(platform, orgs)
    org, canaries, office = planted.org, planted.canaries, planted.office

    # Positive controls: the scans see what they are looking for.
    readable = readable_with_platform_keys(platform, org.id)
    assert all(value in readable for value in canaries.values())
    with context.acting(org.id, f"user:{planted.officer.id}"):
        _, as_json, as_pdf, _ = make_export(office, planted.client_id, None, "api")
    assert "name" in hits(as_json, canaries) and "name" in hits(as_pdf, canaries)
    assert "bsn" not in hits(as_json + as_pdf, canaries)  # never in exports
    jobs = platform.jobs.queue.get_jobs()
    assert jobs, "commands should have queued catch-up jobs"
    assert all(hits(repr((j.args, j.kwargs)).encode(), canaries) == [] for j in jobs)

    # A job that names the client (as a colleague's job might): erasure must purge it.
    stray = platform.jobs.queue.enqueue(
        "services.kernel.jobs:run", "x:y", str(org.id), "system", str(planted.client_id)
    )

    audit = AuditLog(platform, org.id)
    assert audit.checkpoint() is not None
    before = stored_events(platform, org.id)

    with context.acting(org.id, f"user:{planted.officer.id}"):
        with pytest.raises(DecisionRequiredError, match="lopend"):
            erase_client(office, planted.client_id, "art17_1a")
        outcome = erase_client(
            office,
            planted.client_id,
            "art17_1a",
            open_trajectory_decision=True,
            request_id=planted.request_id,
        )
        again = erase_client(office, planted.client_id, "art17_1a")  # harmless twice
    assert not outcome.repeated and again.repeated
    assert outcome.documents_deleted == 4  # two exports, JSON + PDF each
    assert outcome.jobs_purged >= 1 and not redis_connection.exists(f"rq:job:{stray.id}")
    assert not platform.subject_keys(org.id).exists(planted.client_id)
    assert platform.app(type(office.app), org.id).request(planted.request_id).status == "completed"

    # History intact: every stored record still there, byte for byte; only appended since.
    after = stored_events(platform, org.id)
    assert set(before) <= set(after)  # not one record removed or changed
    appended = [topic for (_, _, topic, _) in set(after) - set(before)]
    assert appended and all(".privacy." in t or ".audit." in t for t in appended), appended
    assert audit.verify(alert=False).ok

    # Nowhere readable any more.
    assert [
        v for v in canaries.values() if v in readable_with_platform_keys(platform, org.id)
    ] == []
    assert hits(_redis_dump(redis_connection), canaries) == []
    assert hits(log_file.read_bytes(), canaries) == []
    assert hits(_files(Path(platform.settings.data_dir)), canaries) == []  # documents, SQLite
    if platform.settings.is_postgres:
        _compact_keys(platform, org.id)  # queued in Redis; run here as the worker would
        dump = _pg_dump()
        assert org.id.hex.encode() in dump  # the dump holds this organisation's schema
        assert hits(dump, canaries) == []

    certificate = outcome.certificate_json + outcome.certificate_pdf
    assert hits(certificate, canaries) == []
    assert b"laatste_backup_met_sleutel_verloopt_op" in outcome.certificate_json


def _compact_keys(platform, org_id) -> None:
    from services.kernel.jobs import execute

    execute(platform, "services.privacy.jobs:compact_subject_keys", str(org_id), "system")


def _pg_dump(attempts: int = 3) -> bytes:
    """A full dump of the database. Other test runs on the same server create and drop
    their schemas meanwhile, and pg_dump fails on a table dropped under it: try again."""
    for attempt in range(attempts):
        done = subprocess.run(["pg_dump", PG_URL], capture_output=True, timeout=300)
        if done.returncode == 0:
            return done.stdout
        if attempt == attempts - 1:
            raise AssertionError(f"pg_dump failed: {done.stderr.decode(errors='replace')}")
    raise AssertionError("unreachable")
