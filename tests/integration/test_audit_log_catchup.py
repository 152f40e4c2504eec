"""The audit log's fast catch-up (projections/audit_log.py): the leaf hash PostgreSQL
computes equals the Python encoding, both catch-up paths build the same verifiable log,
and a log written with hex leaf hashes (before 2026-11) is migrated to bytes."""

from uuid import uuid4

import pytest

from projections.audit_log import LEAF_HASH_SQL, hash_bytes, leaf_prefix
from services.audit import record
from services.audit.merkle import MerkleTree
from services.audit.trail import AuditLog
from services.kernel import context, provision
from services.kernel.views import catch_up


def _activity(platform, orgs, org, trajectories=3):
    """Events whose catch-up jobs do nothing (inline on SQLite they would run the generic
    path at once), so that the path under test is the one that appends them."""
    coach = orgs.member(org, "jobcoach")
    with pytest.MonkeyPatch.context() as patch, context.acting(org.id, f"user:{coach.id}"):
        patch.setattr("projections.jobs.catch_up_app", lambda platform, app_name: 0)
        app = platform.trajectories(org.id)
        for n in range(trajectories):
            app.start_trajectory(app.register_client({"name": f"Cliënt {n}"}).id, "UWV",
                                 coach.id)


@pytest.mark.parametrize(
    "row",
    [
        (1, uuid4(), 1, "services.x:Event.Happened", b"\x00\x01ciphertext"),
        (2**40 + 7, uuid4(), 2**33, "services.ë:Gebeurtenis.Geüpdatet", b""),  # UTF-8, empty
        (9, uuid4(), 65_537, "t" * 300, bytes(range(256)) * 40),  # lengths past one byte
    ],
)
def test_postgres_leaf_hash_equals_the_python_encoding(pg_platform, row):
    with provision.connect_owner(pg_platform.settings) as conn:
        found = conn.execute(
            f"SELECT {LEAF_HASH_SQL} FROM (VALUES (%(n)s::bigint, %(o)s::uuid, %(v)s::bigint,"
            " %(t)s::text, %(s)s::bytea)) AS e(notification_id, originator_id,"
            " originator_version, topic, state)",
            {"prefix": leaf_prefix("trajectories"), "n": row[0], "o": row[1], "v": row[2],
             "t": row[3], "s": row[4]},
        ).fetchone()[0]
    expected = record.leaf_hashes("trajectories", [(row[0], str(row[1]), *row[2:])])[0]
    assert bytes(found) == expected


def test_generic_and_fast_catch_up_build_one_verifiable_log(any_platform, any_orgs):
    org = any_orgs.create()
    _activity(any_platform, any_orgs, org)
    log = AuditLog(any_platform, org.id)
    trail = next(t for t in log.trails if t.app.name == "trajectories")
    assert catch_up(trail) > 0  # the generic path (RQ catch-up jobs): Notifications
    generic = trail.head()[0]
    _activity(any_platform, any_orgs, org, trajectories=2)
    assert trail.catch_up() > 0  # the fast path: straight from the events table
    assert trail.head()[0] > generic
    result = log.verify()
    assert result.ok, result.problems
    leaves = log.view.all_leaves()
    assert all(isinstance(digest, bytes) and len(digest) == 32 for *_, digest in leaves)


def test_fast_catch_up_batches_and_checkpoints(any_platform, any_orgs, monkeypatch):
    org = any_orgs.create()
    _activity(any_platform, any_orgs, org, trajectories=6)
    log = AuditLog(any_platform, org.id)
    trail = next(t for t in log.trails if t.app.name == "trajectories")
    monkeypatch.setattr(type(trail), "batch_size", 2)
    monkeypatch.setattr(type(trail), "checkpoint_interval", 3)
    done = []
    applied = trail.catch_up(progress=done.append)
    assert applied == trail.head()[0] >= 12 and len(done) >= 6
    assert trail.position() == trail.app.recorder.max_notification_id()
    sizes = [int(c["tree_size"]) for c in trail.checkpoints()]
    assert sizes and all(b - a >= 3 for a, b in zip([0, *sizes], sizes, strict=False))
    assert trail.catch_up() == 0  # nothing new: nothing appended twice
    assert log.verify().ok


def test_hex_leaf_hashes_are_migrated_to_bytes(any_platform, any_orgs):
    org = any_orgs.create()
    _activity(any_platform, any_orgs, org)
    log = AuditLog(any_platform, org.id)
    log.checkpoint()
    view = log.view
    hashes = view.leaf_hashes()
    _as_hex(any_platform, view)  # what a log written before 2026-11 holds
    assert view.leaf_hashes() == hashes  # readers take both forms meanwhile
    any_platform.provision_organisation(org.id)  # provisioning migrates
    stored = [row[0] if not isinstance(row, dict) else row["leaf_hash"]
              for row in view.query("SELECT leaf_hash FROM {t}audit_leaves")]
    assert all(isinstance(v, bytes | memoryview) and len(bytes(v)) == 32 for v in stored)
    assert [hash_bytes(v) for v in view.leaf_hashes()] == hashes
    assert MerkleTree(hashes).root() == view.head()[1].root()
    _activity(any_platform, any_orgs, org, trajectories=1)
    assert log.checkpoint()["tree_size"] > len(hashes)
    assert log.verify().ok


def _as_hex(platform, view) -> None:
    """Turn the leaf table back into the old format: hex TEXT (as the owner)."""
    if view.postgres:
        with provision.connect_owner(platform.settings) as conn:
            conn.execute(f"ALTER TABLE {view.prefix}audit_leaves ALTER COLUMN leaf_hash"
                         " TYPE TEXT USING encode(leaf_hash, 'hex')")
        return
    with view.rows() as rows:
        rows.execute("UPDATE audit_leaves SET leaf_hash = hex(leaf_hash)")
        rows.execute("UPDATE audit_leaves SET leaf_hash = lower(leaf_hash)")
