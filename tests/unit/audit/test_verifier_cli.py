"""jobtrail-verify on exports built here: what verifies, what is caught, what it imports."""

import base64
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.audit.checkpoint import sign_checkpoint, vkey
from services.audit.merkle import MerkleTree, leaf_hash
from services.audit.verifier import main

REPO = Path(__file__).resolve().parents[3]
ORIGIN = "jobtrail.test/org/acme"
KEY = Ed25519PrivateKey.generate()
VKEY = vkey(ORIGIN, KEY.public_key())
RECORDS = [f'{{"event": {i}, "ciphertext": "{"x" * (i % 7)}"}}'.encode() for i in range(20)]


def _checkpoint(records: list[bytes], size: int, key: Ed25519PrivateKey = KEY) -> str:
    root = MerkleTree([leaf_hash(r) for r in records]).root(size)
    return sign_checkpoint(ORIGIN, size, root, key, ORIGIN)


def _write_records(folder: Path, records: list[bytes], indices: list[int] | None = None) -> None:
    indices = list(range(len(records))) if indices is None else indices
    lines = [
        json.dumps({"index": i, "record": base64.b64encode(r).decode(), "stored_at": "2025"})
        for i, r in zip(indices, records, strict=True)
    ]
    (folder / "records.jsonl").write_text("".join(line + "\n" for line in lines))


def _export(
    folder: Path, records: list[bytes] = RECORDS, sizes: tuple[int, ...] = (5, 12, 20)
) -> Path:
    """An honest export: the records and checkpoints signed over them."""
    (folder / "checkpoints").mkdir(parents=True)
    _write_records(folder, records)
    for number, size in enumerate(sizes):
        (folder / "checkpoints" / f"{number:04}.txt").write_text(_checkpoint(records, size))
    return folder


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main([*map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_honest_export_verifies(tmp_path, capsys) -> None:
    code, out = _run(capsys, _export(tmp_path), "--vkey", VKEY)
    assert code == 0
    assert out.strip() == "OK: 20 records, 3 checkpoints geverifieerd"


def test_json_output(tmp_path, capsys) -> None:
    code, out = _run(capsys, _export(tmp_path), "--vkey", VKEY, "--json")
    result = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and result["ok"] is True
    (export,) = result["results"]
    assert export["records"] == 20 and export["unsigned_records"] == 0
    assert [c["size"] for c in export["checkpoints"]] == [5, 12, 20]


def test_zip_export_with_a_wrapping_folder(tmp_path, capsys) -> None:
    folder = _export(tmp_path / "export-2025")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(folder.rglob("*")):
            zipped.write(path, path.relative_to(tmp_path).as_posix())
    code, out = _run(capsys, archive, "--vkey", VKEY)
    assert (code, out.strip()) == (0, "OK: 20 records, 3 checkpoints geverifieerd")


def test_vkey_from_a_file(tmp_path, capsys) -> None:
    (tmp_path / "acme.vkey").write_text(VKEY + "\n")
    code, _ = _run(capsys, _export(tmp_path / "e"), "--vkey", f"@{tmp_path / 'acme.vkey'}")
    assert code == 0


def test_records_after_the_last_checkpoint_are_reported_not_failed(tmp_path, capsys) -> None:
    code, out = _run(capsys, _export(tmp_path, sizes=(5, 12)), "--vkey", VKEY)
    assert code == 0
    assert "8 records na het laatste checkpoint" in out


def _tampered(tmp_path: Path, records: list[bytes], indices: list[int] | None = None) -> Path:
    folder = _export(tmp_path)
    _write_records(folder, records, indices)
    return folder


@pytest.mark.parametrize(
    "case",
    [
        "changed record",
        "dropped record, renumbered",
        "dropped record, gap",
        "reordered records",
        "appended record in the middle",
        "truncated export",
    ],
)
def test_tampered_records_fail(tmp_path, capsys, case: str) -> None:
    records = list(RECORDS)
    indices = None
    if case == "changed record":
        records[3] = records[3].replace(b"3", b"4")
    elif case == "dropped record, renumbered":
        del records[7]
    elif case == "dropped record, gap":
        del records[7]
        indices = [i for i in range(20) if i != 7]
    elif case == "reordered records":
        records[8], records[9] = records[9], records[8]
    elif case == "appended record in the middle":
        records.insert(10, b"forged")
    else:
        records = records[:15]
    code, out = _run(capsys, _tampered(tmp_path, records, indices), "--vkey", VKEY)
    assert code == 1
    assert out.startswith("FOUT: ")


def test_forged_checkpoint_fails(tmp_path, capsys) -> None:
    folder = _export(tmp_path)
    forged_records = [*RECORDS[:12], b"rewritten history", *RECORDS[13:]]
    _write_records(folder, forged_records)
    # The attacker re-signs the newest checkpoint with a key of their own, same name.
    (folder / "checkpoints" / "0002.txt").write_text(
        _checkpoint(forged_records, 20, key=Ed25519PrivateKey.generate())
    )
    code, out = _run(capsys, folder, "--vkey", VKEY)
    assert code == 1
    assert "geen handtekening van sleutel" in out


def test_edited_checkpoint_fails(tmp_path, capsys) -> None:
    folder = _export(tmp_path)
    path = folder / "checkpoints" / "0001.txt"
    path.write_text(path.read_text().replace("\n12\n", "\n11\n"))
    code, out = _run(capsys, folder, "--vkey", VKEY)
    assert code == 1 and "ongeldig" in out


def test_crlf_checkpoint_fails_with_a_clear_message(tmp_path, capsys) -> None:
    folder = _export(tmp_path)
    path = folder / "checkpoints" / "0001.txt"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    code, out = _run(capsys, folder, "--vkey", VKEY)
    assert code == 1 and "Windows-regeleinden" in out


def test_fork_against_a_checkpoint_the_auditor_kept(tmp_path, capsys) -> None:
    """The log signed a different history at size 12 last year; now it shows this one."""
    kept = tmp_path / "kept-2024.txt"
    kept.write_text(_checkpoint([*RECORDS[:11], b"the old truth"], 12))
    code, out = _run(capsys, _export(tmp_path / "e"), "--vkey", VKEY, "--checkpoint", kept)
    assert code == 1
    assert "niet consistent" in out and "klopt niet" in out


def test_auditor_kept_checkpoint_that_agrees(tmp_path, capsys) -> None:
    kept = tmp_path / "kept.txt"
    kept.write_text(_checkpoint(RECORDS, 9))
    code, out = _run(capsys, _export(tmp_path / "e"), "--vkey", VKEY, "--checkpoint", kept)
    assert (code, out.strip()) == (0, "OK: 20 records, 4 checkpoints geverifieerd")


def test_export_without_checkpoints_fails(tmp_path, capsys) -> None:
    code, out = _run(capsys, _export(tmp_path, sizes=()), "--vkey", VKEY)
    assert code == 1 and "geen checkpoints" in out


@pytest.mark.parametrize(
    "line",
    [
        "not json",
        "[1, 2]",
        '{"index": 0}',
        '{"index": "0", "record": ""}',
        '{"index": 0, "record": "***"}',
        '{"index": true, "record": ""}',
        "[" * 100_000,
        '{"index": 0, "record": "\\udc80"}',
    ],
)
def test_malformed_records_fail_without_traceback(tmp_path, capsys, line: str) -> None:
    folder = _export(tmp_path)
    (folder / "records.jsonl").write_text(line + "\n", errors="surrogatepass")
    code, out = _run(capsys, folder, "--vkey", VKEY)
    assert code == 1 and "records.jsonl regel 1" in out


def test_records_that_are_not_utf8_fail(tmp_path, capsys) -> None:
    folder = _export(tmp_path)
    (folder / "records.jsonl").write_bytes(b'{"index": 0, "record": "\xff"}\n')
    code, out = _run(capsys, folder, "--vkey", VKEY)
    assert code == 1 and "geen geldige JSON" in out


# -- proofs without records ------------------------------------------------------------------


def _write_json(path: Path, value: dict) -> Path:
    path.write_text(json.dumps(value))
    return path


def _inclusion_proof(index: int = 6, size: int = 12, **changes) -> dict:
    tree = MerkleTree([leaf_hash(r) for r in RECORDS])
    proof = {
        "leaf_index": index,
        "tree_size": size,
        "record": base64.b64encode(RECORDS[index]).decode(),
        "proof": [h.hex() for h in tree.inclusion_proof(index, size)],
        "checkpoint": _checkpoint(RECORDS, size),
    }
    proof.update(changes)
    return {key: value for key, value in proof.items() if value is not None}


def test_inclusion_proof_verifies(tmp_path, capsys) -> None:
    path = _write_json(tmp_path / "p.json", _inclusion_proof())
    code, out = _run(capsys, "--vkey", VKEY, "--inclusion", path)
    assert (code, out.strip()) == (0, "OK: record 6 zit in het log van 12 records")


def test_inclusion_proof_by_leaf_hash(tmp_path, capsys) -> None:
    proof = _inclusion_proof(record=None, leaf_hash=leaf_hash(RECORDS[6]).hex())
    code, _ = _run(capsys, "--vkey", VKEY, "--inclusion", _write_json(tmp_path / "p.json", proof))
    assert code == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"leaf_index": 7},
        {"tree_size": 13},
        {"record": base64.b64encode(b"other").decode()},
        {"leaf_hash": leaf_hash(RECORDS[6]).hex()},  # both record and leaf_hash
        {"record": None},  # neither
        {"proof": []},
        {"proof": ["00" * 32]},
        {"proof": ["zz"]},
        {"proof": "abc"},
        {"leaf_index": "6"},
        {"checkpoint": "not a checkpoint"},
        {"checkpoint": None},
    ],
)
def test_bad_inclusion_proofs_fail(tmp_path, capsys, changes: dict) -> None:
    path = _write_json(tmp_path / "p.json", _inclusion_proof(**changes))
    code, out = _run(capsys, "--vkey", VKEY, "--inclusion", path)
    assert code == 1 and out.startswith("FOUT: ")


def test_inclusion_file_that_is_not_json_fails(tmp_path, capsys) -> None:
    (tmp_path / "p.json").write_text("{")
    code, out = _run(capsys, "--vkey", VKEY, "--inclusion", tmp_path / "p.json")
    assert code == 1 and "geen geldige JSON" in out


def _consistency_proof(size1: int = 5, size2: int = 20) -> dict:
    tree = MerkleTree([leaf_hash(r) for r in RECORDS])
    return {
        "checkpoint1": _checkpoint(RECORDS, size1),
        "checkpoint2": _checkpoint(RECORDS, size2),
        "proof": [h.hex() for h in tree.consistency_proof(size1, size2)],
    }


def test_consistency_proof_verifies(tmp_path, capsys) -> None:
    path = _write_json(tmp_path / "c.json", _consistency_proof())
    code, out = _run(capsys, "--vkey", VKEY, "--consistency", path)
    assert (code, out.strip()) == (0, "OK: log van 20 records is een voortzetting van 5")


def test_consistency_proof_with_swapped_checkpoints_fails(tmp_path, capsys) -> None:
    proof = _consistency_proof()
    proof["checkpoint1"], proof["checkpoint2"] = proof["checkpoint2"], proof["checkpoint1"]
    code, _ = _run(capsys, "--vkey", VKEY, "--consistency", _write_json(tmp_path / "c", proof))
    assert code == 1


def test_consistency_proof_of_a_fork_fails(tmp_path, capsys) -> None:
    proof = _consistency_proof()
    proof["checkpoint1"] = _checkpoint([b"another history", *RECORDS[1:]], 5)
    code, _ = _run(capsys, "--vkey", VKEY, "--consistency", _write_json(tmp_path / "c", proof))
    assert code == 1


def test_export_and_proofs_together_fail_if_one_fails(tmp_path, capsys) -> None:
    good = _write_json(tmp_path / "c.json", _consistency_proof())
    bad = _write_json(tmp_path / "p.json", _inclusion_proof(leaf_index=5))
    code, out = _run(
        capsys, _export(tmp_path / "e"), "--vkey", VKEY, "--consistency", good, "--inclusion", bad
    )
    assert code == 1
    # export, then inclusion, then consistency
    assert [line.split(":")[0] for line in out.strip().splitlines()] == ["OK", "FOUT", "OK"]


# -- usage errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--vkey", VKEY],
        ["export-that-does-not-exist", "--vkey", VKEY],
        ["--vkey", "not-a-vkey", "--inclusion", "x.json"],
        ["--vkey", VKEY.replace("+", "-", 1)],
        ["--vkey", "@missing.vkey", "--inclusion", "x.json"],
        ["--vkey", VKEY, "--inclusion", "missing.json"],
        ["--vkey", VKEY, "--checkpoint", "missing.txt"],
        ["--vkey", VKEY, "--unknown-option"],
    ],
)
def test_usage_errors_exit_2(tmp_path, capsys, monkeypatch, args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = _run(capsys, *args)
    assert code == 2
    assert out.strip()


def test_folder_without_records_is_a_usage_error(tmp_path, capsys) -> None:
    code, out = _run(capsys, tmp_path, "--vkey", VKEY)
    assert code == 2 and "records.jsonl" in out


def test_help_exits_0(capsys) -> None:
    assert main(["--help"]) == 0
    assert "jobtrail-verify" in capsys.readouterr().out


# -- standalone: run as the auditor would ---------------------------------------------------


PLATFORM = {"flask", "werkzeug", "eventsourcing", "psycopg", "jinja2", "redis", "rq", "authlib"}
# Runs the verifier as `python -m` would, then reports what ended up in sys.modules.
RUN_AND_LIST_MODULES = """
import json, runpy, sys
sys.argv = ["jobtrail-verify", *sys.argv[1:]]
try:
    runpy.run_module("services.audit.verifier", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    print(json.dumps({"code": exit.code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_runs_standalone_without_the_platform(tmp_path) -> None:
    export = str(_export(tmp_path))
    baseline = set(
        json.loads(_python("-c", "import json, sys; print(json.dumps(list(sys.modules)))").stdout)
    )
    run = _python("-c", RUN_AND_LIST_MODULES, export, "--vkey", VKEY)
    assert "OK: 20 records, 3 checkpoints geverifieerd" in run.stdout, run.stderr
    report = json.loads(run.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    tops = {name.split(".")[0] for name in set(report["modules"]) - baseline}
    assert "services" in tops and "cryptography" in tops  # the check did see the verifier
    # _cffi_backend and _openssl are cryptography's own compiled bindings
    allowed = set(sys.stdlib_module_names) | {
        "services",
        "cryptography",
        "_cffi_backend",
        "_openssl",
    }
    assert tops - allowed == set(), "the verifier must need only stdlib and cryptography"


def test_the_console_command_does_not_even_try_platform_imports(tmp_path) -> None:
    run = _python(
        "-X", "importtime", "-m", "services.audit.verifier", str(_export(tmp_path)), "--vkey", VKEY
    )
    assert run.returncode == 0, run.stdout + run.stderr
    attempted = {
        line.split("|")[-1].strip().split(".")[0]
        for line in run.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "services" in attempted
    assert not attempted & PLATFORM


def test_tampered_export_fails_as_a_subprocess(tmp_path) -> None:
    folder = _tampered(tmp_path, [*RECORDS[:3], b"changed", *RECORDS[4:]])
    run = _python("-m", "services.audit.verifier", str(folder), "--vkey", VKEY, "--json")
    assert run.returncode == 1
    assert json.loads(run.stdout)["ok"] is False
    assert "Traceback" not in run.stderr
