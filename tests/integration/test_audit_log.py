"""The audit log: every stored event of every application as a leaf, signed checkpoints,
proofs, the export verified offline by jobtrail-verify, erasure, and the tamper drill."""

import base64
import json
import os
import shutil
import subprocess
import sys
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql

from services.audit import record
from services.audit.application import AuditJournal
from services.audit.merkle import MerkleTree, leaf_hash, verify_consistency, verify_inclusion
from services.audit.trail import AuditLog
from services.kernel import context
from services.kernel.store import schema_for


def _env(settings):
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "JOBTRAIL_CIPHER_KEY": settings.cipher_key,
        "JOBTRAIL_DATA_DIR": settings.data_dir,
        "JOBTRAIL_PLATFORM_SCHEMA": settings.platform_schema,
        "JOBTRAIL_AUDIT_KEY_DIR": settings.audit_key_dir,
        "REDIS_URL": "",
    }


def _activity(platform, orgs, org, trajectories=3):
    coach = orgs.member(org, "jobcoach")
    with context.acting(org.id, f"user:{coach.id}"):
        app = platform.trajectories(org.id)
        for n in range(trajectories):
            client = app.register_client({"name": f"Cliënt {n}"})
            app.start_trajectory(client.id, "UWV", coach.id)
        platform.app(AuditJournal, org.id).record("test.note", note="iets")
    return coach


def _stored_count(log):
    return sum(len(list(log.stored_events(trail.app))) for trail in log.trails)


def _verify_cli(export_dir, vkey, *extra):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "services.audit.verifier",
            str(export_dir),
            "--vkey",
            vkey,
            "--json",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_event_of_every_application_is_a_leaf(any_platform, any_orgs):
    org = any_orgs.create()
    _activity(any_platform, any_orgs, org)
    log = AuditLog(any_platform, org.id)
    log.catch_up()
    leaves = log.view.leaves(limit=1000)
    assert len(leaves) == _stored_count(log) >= 4
    assert {leaf["app"] for leaf in leaves} == {"trajectories", "audit_journal"}
    assert [leaf["leaf_index"] for leaf in leaves] == list(range(len(leaves)))
    # each leaf is the canonical record of the event as stored (state still encrypted)
    apps = {trail.app.name: trail.app for trail in log.trails}
    for leaf in leaves:
        (stored,) = apps[leaf["app"]].recorder.select_notifications(
            start=leaf["notification_id"], limit=1
        )
        data = record.encode(
            leaf["app"],
            stored.id,
            stored.originator_id,
            stored.originator_version,
            stored.topic,
            stored.state,
        )
        assert leaf_hash(data).hex() == leaf["leaf_hash"]
        assert record.decode(data).state == stored.state
    size, compact = log.view.head()
    assert size == len(leaves)
    assert compact.root() == MerkleTree(log.view.leaf_hashes()).root()
    before = [leaf["leaf_hash"] for leaf in leaves]
    log.catch_up()  # exactly once: nothing appended twice
    from projections.runtime import rebuild
    from services.kernel.view_generations import RebuildRefusedError

    with pytest.raises(RebuildRefusedError):  # append-only evidence is never rebuilt
        rebuild(log.view)
    assert [leaf["leaf_hash"] for leaf in log.view.leaves(limit=1000)] == before


def test_checkpoints_and_proofs(any_platform, any_orgs):
    org = any_orgs.create()
    _activity(any_platform, any_orgs, org, trajectories=2)
    log = AuditLog(any_platform, org.id)
    first = log.checkpoint()
    assert log.checkpoint() == first  # nothing new: no new checkpoint
    _activity(any_platform, any_orgs, org, trajectories=5)
    second = log.checkpoint()
    assert second["tree_size"] > first["tree_size"]
    signed = log.view.signer().open(second["note"])
    assert signed.size == second["tree_size"]

    proof = log.inclusion(1)
    assert verify_inclusion(
        bytes.fromhex(proof["leaf_hash"]),
        1,
        proof["tree_size"],
        [bytes.fromhex(p) for p in proof["proof"]],
        signed.root,
    )
    by_event = log.inclusion_of_event(proof["event"]["app"], proof["event"]["notification_id"])
    assert by_event["leaf_index"] == 1
    consistency = log.consistency(first["tree_size"], second["tree_size"])
    assert verify_consistency(
        first["tree_size"],
        second["tree_size"],
        bytes.fromhex(first["root"]),
        bytes.fromhex(second["root"]),
        [bytes.fromhex(p) for p in consistency["proof"]],
    )


def test_automatic_checkpoint_every_interval(any_platform, any_orgs, monkeypatch):
    from projections.audit_log import AuditTrailView

    monkeypatch.setattr(AuditTrailView, "checkpoint_interval", 3)
    org = any_orgs.create()
    _activity(any_platform, any_orgs, org, trajectories=4)
    log = AuditLog(any_platform, org.id)
    log.catch_up()
    assert log.view.checkpoints(), "a checkpoint is signed once 3 leaves were added"


def test_export_verifies_offline_and_tampering_fails(any_platform, any_orgs, tmp_path):
    org = any_orgs.create()
    _activity(any_platform, any_orgs, org)
    settings = any_platform.settings
    export_dir = tmp_path / "export"
    exported = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli",
            "audit",
            "export",
            "--org",
            org.slug,
            "--out",
            str(export_dir),
        ],
        env=_env(settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert exported.returncode == 0, exported.stderr
    vkey = AuditLog(any_platform, org.id).vkey()
    assert vkey in exported.stdout
    ok = _verify_cli(export_dir, vkey)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["results"][0]["records"] >= 4

    # 1. a changed record in the auditor's copy of the export
    copy = tmp_path / "copy"
    shutil.copytree(export_dir, copy)
    lines = (copy / "records.jsonl").read_text().splitlines()
    entry = json.loads(lines[1])
    raw = bytearray(base64.b64decode(entry["record"]))
    raw[-1] ^= 1
    entry["record"] = base64.b64encode(bytes(raw)).decode()
    lines[1] = json.dumps(entry)
    (copy / "records.jsonl").write_text("\n".join(lines) + "\n")
    assert _verify_cli(copy, vkey).returncode == 1

    # 2. a stored event changed in the database, then exported again
    _tamper_update(any_platform, org)
    again = tmp_path / "again"
    AuditLog(any_platform, org.id).export(again)
    failed = _verify_cli(
        again, vkey, "--checkpoint", str(next((export_dir / "checkpoints").iterdir()))
    )
    assert failed.returncode == 1, failed.stdout
    assert "klopt niet" in failed.stdout


def _tamper_update(platform, org):
    """Flip a byte of the second trajectory event's stored state, behind the app's back."""
    settings = platform.settings
    if settings.is_postgres:
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            table = sql.Identifier(schema_for(org.id), "trajectories_events")
            conn.execute(
                sql.SQL(
                    "UPDATE {} SET state = overlay(state placing '\\x00'::bytea from 5)"
                    " WHERE notification_id = 2"
                ).format(table)
            )
    else:
        import sqlite3

        path = settings.sqlite_dir / schema_for(org.id) / "trajectories.sqlite"
        with sqlite3.connect(path) as conn:
            (state,) = conn.execute("SELECT state FROM stored_events WHERE rowid = 2").fetchone()
            changed = bytes([state[0] ^ 1]) + state[1:]
            conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 2", (changed,))


def test_erasure_destroys_a_key_and_the_log_still_verifies(any_platform, any_orgs, tmp_path):
    from services.kernel.personal_data import ERASED

    org = any_orgs.create()
    subject = uuid4()
    keys = any_platform.subject_keys(org.id)
    sealed = keys.seal(subject, "Anna Canary-7f3a")
    with context.acting(org.id, "user:test"):  # an event carrying sealed personal data
        any_platform.app(AuditJournal, org.id).record("test.sealed", value=json.dumps(sealed))
    _activity(any_platform, any_orgs, org)
    log = AuditLog(any_platform, org.id)
    before = log.checkpoint()
    assert keys.shred(subject) is True
    assert keys.open(sealed) == ERASED
    _activity(any_platform, any_orgs, org, trajectories=1)
    after = log.checkpoint()
    result = log.verify()
    assert result.ok, result.problems
    export_dir = tmp_path / "export"
    log.export(export_dir)
    assert "Canary" not in (export_dir / "records.jsonl").read_text()
    verified = _verify_cli(export_dir, log.vkey())
    assert verified.returncode == 0, verified.stdout
    assert after["tree_size"] > before["tree_size"]


# Tamper drill on PostgreSQL: each kind of direct mutation is detected, every time -------


def _owner(platform):
    return psycopg.connect(platform.settings.database_url, autocommit=True)


def _update(conn, table):
    conn.execute(
        sql.SQL("UPDATE {} SET state = state || '\\x00'::bytea WHERE notification_id = 2").format(
            table
        )
    )


def _delete(conn, table):
    conn.execute(sql.SQL("DELETE FROM {} WHERE notification_id = 3").format(table))


def _reorder(conn, table):
    for old, new in ((2, -2), (3, 2), (-2, 3)):  # swap positions 2 and 3 (unique index)
        conn.execute(
            sql.SQL("UPDATE {} SET notification_id = %s WHERE notification_id = %s").format(table),
            (new, old),
        )


def _insert(conn, table):
    """A forged copy of event 1 under a new aggregate, put into a gap the log has passed
    (a failed write leaves a gap in the bigserial sequence; here we make one)."""
    conn.execute(
        sql.SQL(
            "INSERT INTO {0} (originator_id, originator_version, topic, state, notification_id)"
            " SELECT %s, 1, topic, state, 100 FROM {0} WHERE notification_id = 1"
        ).format(table),
        (uuid4(),),
    )


@pytest.mark.parametrize("mutation", [_update, _delete, _reorder, _insert])
def test_tamper_drill_on_postgres(pg_platform, pg_orgs, tmp_path, mutation):
    tampered, untouched = pg_orgs.create(), pg_orgs.create()
    for org in (tampered, untouched):
        _activity(pg_platform, pg_orgs, org, trajectories=4)
    logs = {org.id: AuditLog(pg_platform, org.id) for org in (tampered, untouched)}
    for log in logs.values():
        log.checkpoint()
    if mutation is _insert:  # the log must have passed the gap: move the sequence on
        with _owner(pg_platform) as conn:
            seq = f"{schema_for(tampered.id)}.trajectories_events_notification_id_seq"
            conn.execute("SELECT setval(%s, 200)", (seq,))
        _activity(pg_platform, pg_orgs, tampered, trajectories=1)
        logs[tampered.id].checkpoint()
    export_before = tmp_path / "before"
    logs[tampered.id].export(export_before)

    table = sql.Identifier(schema_for(tampered.id), "trajectories_events")
    with _owner(pg_platform) as conn:
        mutation(conn, table)

    result = logs[tampered.id].verify()
    assert not result.ok and result.problems
    # the quality officer is alerted through the journal (and the verification table)
    assert logs[tampered.id].view.verifications()[0]["ok"] is False
    journal = pg_platform.app(AuditJournal, tampered.id)
    topics = [n.topic for n in journal.recorder.select_notifications(start=1, limit=100)]
    assert any("AuditEntry.Recorded" in t for t in topics)

    clean = logs[untouched.id].verify()  # zero false alarms on an untouched organisation
    assert clean.ok, clean.problems

    if mutation is not _insert:  # the offline verifier sees it too, from a fresh export
        export_after = tmp_path / "after"
        logs[tampered.id].export(export_after)
        checkpoint = next((export_before / "checkpoints").iterdir())
        verdict = _verify_cli(
            export_after, logs[tampered.id].vkey(), "--checkpoint", str(checkpoint)
        )
        assert verdict.returncode == 1, verdict.stdout
