"""`jobtrail audit rotate-key` on the platform: a new key per organisation outside the
database, the old public key kept with its validity, the rotation in the trail, the
transition checkpoint signed by both keys, exports that carry the keys, and the offline
verifier passing across the rotation and failing on a retired key's late signature."""

import json
import os
import subprocess
import sys

from cryptography.hazmat.primitives import serialization

from services.audit.application import AuditJournal
from services.audit.checkpoint import ROTATION, sign_checkpoint
from services.audit.rotation import rotate_key
from services.audit.signing import history_path, key_path
from services.audit.trail import AuditLog
from services.kernel import context


def _activity(platform, orgs, org, count=2):
    coach = orgs.member(org, "jobcoach")
    with context.acting(org.id, f"user:{coach.id}"):
        app = platform.trajectories(org.id)
        for n in range(count):
            app.start_trajectory(app.register_client({"name": f"Cliënt {n}"}).id, "UWV",
                                 coach.id)


def _verify(folder, vkey):
    return subprocess.run(
        [sys.executable, "-m", "services.audit.verifier", str(folder), "--vkey", vkey, "--json"],
        capture_output=True, text=True, timeout=120, env={**os.environ},
    )


def test_rotation_across_the_log_its_export_and_the_verifier(any_platform, any_orgs, tmp_path):
    platform, org = any_platform, any_orgs.create()
    _activity(platform, any_orgs, org)
    log = AuditLog(platform, org.id)
    first = log.checkpoint()
    old_vkey = log.vkey()
    old_private = serialization.load_pem_private_key(
        key_path(platform.settings, org.id).read_bytes(), password=None)

    done = rotate_key(platform, org.id)
    assert done["old_vkey"] == old_vkey and done["new_vkey"] == log.vkey() != old_vkey
    transition = log.view.checkpoint(done["tree_size"])
    assert done["tree_size"] > first["tree_size"]
    signature_lines = transition["note"].split("\n\n", 1)[1].strip().split("\n")
    assert len(signature_lines) == 2  # old and new key
    assert f"{ROTATION} {old_vkey} {done['new_vkey']}" in transition["note"]
    # the rotation is in the trail
    journal = platform.app(AuditJournal, org.id)
    kinds = [journal.mapper.to_domain_event(n).kind
             for n in journal.recorder.select_notifications(start=1, limit=100)
             if n.topic.endswith("AuditEntry.Recorded")]
    assert kinds.count("key.rotated") == 1
    # keys stay outside the database: the new key file, the history with the old PUBLIC key
    folder = key_path(platform.settings, org.id).parent
    assert not list(folder.glob(f"{org.id.hex}-next*"))
    history = json.loads(history_path(platform.settings, org.id).read_text())["keys"]
    assert [(k["vkey"], k["from_size"], k["until_size"]) for k in history] == [
        (old_vkey, 0, done["tree_size"])]
    assert "PRIVATE" not in history_path(platform.settings, org.id).read_text()

    _activity(platform, any_orgs, org, count=1)
    latest = log.checkpoint()
    assert latest["tree_size"] > done["tree_size"]
    assert log.verify().ok  # server side: each checkpoint by the key of its size

    export = tmp_path / "export"
    log.export(export)
    keys = json.loads((export / "keys.json").read_text())["keys"]
    assert [(k["vkey"], k["from_size"], k["until_size"]) for k in keys] == [
        (old_vkey, 0, done["tree_size"]), (done["new_vkey"], done["tree_size"], None)]
    for vkey in (old_vkey, done["new_vkey"]):  # whichever key the auditor holds
        result = _verify(export, vkey)
        assert result.returncode == 0, result.stdout + result.stderr

    # the retired key signs on after its retirement (a stolen old key): refused everywhere
    size, compact = log.view.head()
    late = sign_checkpoint(log.view.signer().origin, size, compact.root(), old_private,
                           log.view.signer().origin)
    (export / "checkpoints" / "late.txt").write_text(late)
    result = _verify(export, old_vkey)
    assert result.returncode == 1 and "ingetrokken sleutel" in result.stdout
    _activity(platform, any_orgs, org, count=1)
    log.catch_up()
    with log.view.head_locked() as (rows, compact):
        forged = sign_checkpoint(log.view.signer().origin, compact.size, compact.root(),
                                 old_private, log.view.signer().origin)
        log.view.store_checkpoint(rows, compact, forged)
    result = log.verify(alert=False)
    assert not result.ok and any("ingetrokken sleutel" in p for p in result.problems)
