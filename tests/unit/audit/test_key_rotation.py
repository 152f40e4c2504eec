"""Checkpoint key rotation offline: the verifier follows a transition checkpoint signed
by both keys (from the old key or from the new one) and refuses a checkpoint that a
retired key signed after its retirement."""

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.audit.checkpoint import (
    CheckpointError,
    KeyRing,
    add_signature,
    rotation_line,
    sign_checkpoint,
    vkey,
)
from services.audit.merkle import MerkleTree, leaf_hash
from services.audit.verifier import main

ORIGIN = "jobtrail.test/audit/acme"
OLD, NEW = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
OLD_VKEY, NEW_VKEY = vkey(ORIGIN, OLD.public_key()), vkey(ORIGIN, NEW.public_key())
RECORDS = [f"record {i}".encode() for i in range(30)]
TREE = MerkleTree([leaf_hash(r) for r in RECORDS])


def _signed(size, key, extensions=()):
    return sign_checkpoint(ORIGIN, size, TREE.root(size), key, ORIGIN, extensions)


def _transition(size=10, second=NEW):
    note = _signed(size, OLD, (rotation_line(OLD_VKEY, NEW_VKEY),))
    return add_signature(note, second, ORIGIN)


BEFORE, AFTER = _signed(5, OLD), _signed(20, NEW)
RETIRED_AFTER = _signed(25, OLD)  # the old key, used after the transition at 10


@pytest.mark.parametrize("trusted", [OLD_VKEY, NEW_VKEY])
def test_the_chain_is_followed_from_either_key(trusted):
    ring = KeyRing.trusting([trusted])
    ring.learn([BEFORE, _transition(), AFTER])
    assert [ring.verify(n).size for n in (BEFORE, _transition(), AFTER)] == [5, 10, 20]
    assert [(k["from_size"], k["until_size"]) for k in ring.listing()] == [(0, 10), (10, None)]
    with pytest.raises(CheckpointError, match="ingetrokken"):
        ring.verify(RETIRED_AFTER)


def test_without_the_transition_the_other_key_is_unknown():
    ring = KeyRing.trusting([OLD_VKEY])
    ring.learn([BEFORE, AFTER])
    with pytest.raises(CheckpointError, match="geen handtekening van sleutel"):
        ring.verify(AFTER)
    assert ring.verify(RETIRED_AFTER).size == 25  # nothing retired the old key (yet)


def test_a_transition_not_signed_by_both_keys_announces_nothing():
    stranger = Ed25519PrivateKey.generate()
    ring = KeyRing.trusting([OLD_VKEY])
    ring.learn([_transition(second=stranger)])  # claims NEW, signed by someone else
    with pytest.raises(CheckpointError):
        ring.verify(AFTER)
    assert ring.verify(RETIRED_AFTER).size == 25


def test_a_new_key_cannot_sign_before_its_window():
    ring = KeyRing.trusting([OLD_VKEY])
    ring.learn([_transition()])
    with pytest.raises(CheckpointError, match="pas vanaf boomgrootte 10"):
        ring.verify(_signed(7, NEW))


def _export(folder: Path, notes: dict[str, str]) -> Path:
    (folder / "checkpoints").mkdir(parents=True)
    (folder / "records.jsonl").write_text("".join(
        json.dumps({"index": i, "record": base64.b64encode(r).decode()}) + "\n"
        for i, r in enumerate(RECORDS)
    ))
    for name, note in notes.items():
        (folder / "checkpoints" / name).write_text(note)
    return folder


@pytest.mark.parametrize("trusted", [OLD_VKEY, NEW_VKEY])
def test_verifier_cli_across_a_rotation(tmp_path, capsys, trusted):
    honest = {"a.txt": BEFORE, "b.txt": _transition(), "c.txt": AFTER}
    assert main([str(_export(tmp_path / "ok", honest)), "--vkey", trusted, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [k["vkey"] for k in report["results"][0]["keys"]] == [OLD_VKEY, NEW_VKEY]
    forged = _export(tmp_path / "bad", {**honest, "d.txt": RETIRED_AFTER})
    assert main([str(forged), "--vkey", trusted]) == 1
    assert "ingetrokken sleutel" in capsys.readouterr().out


def test_an_auditor_with_the_old_key_brings_the_transition_for_a_proof(tmp_path, capsys):
    proof = {"leaf_index": 3, "tree_size": 20, "record": base64.b64encode(RECORDS[3]).decode(),
             "proof": [h.hex() for h in TREE.inclusion_proof(3, 20)], "checkpoint": AFTER}
    (tmp_path / "proof.json").write_text(json.dumps(proof))
    (tmp_path / "transition.txt").write_text(_transition())
    assert main(["--inclusion", str(tmp_path / "proof.json"), "--vkey", OLD_VKEY]) == 1
    assert main(["--inclusion", str(tmp_path / "proof.json"), "--vkey", OLD_VKEY,
                 "--checkpoint", str(tmp_path / "transition.txt")]) == 0
    capsys.readouterr()
