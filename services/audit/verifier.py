"""jobtrail-verify: offline check of an organisation's audit log export.

Imports only the standard library, ``cryptography`` and ``services.audit.merkle`` and
``services.audit.checkpoint``, so an auditor can run it without the platform.

Export format (a directory, or a .zip of one; the .zip may wrap it in one top folder)::

    records.jsonl         one JSON object per stored event record, in log order:
                          {"index": 0, "record": "<base64 of the exact stored bytes>", ...}
                          "index" counts from 0 without gaps; other keys are metadata that
                          the hash ignores.
    checkpoints/*.txt     signed checkpoints (c2sp.org/tlog-checkpoint), one per file.

Leaf i of the log's RFC 9162 Merkle tree is SHA-256(0x00 || bytes of record i).

Jobtrail's records (``services.audit.record``): one per stored event of any of the
organisation's applications, the canonical encoding ``b"JTR1"`` || u16-length-prefixed
application name || u64 notification id || u16-prefixed originator id || u64 originator
version || u16-prefixed topic || u32-prefixed state, where state is the event's bytes
exactly as the event store holds them (compressed, then encrypted; so erasing a person's
key never changes a record). Integers are big-endian. The metadata keys of each line
(``app``, ``notification_id``, ``originator_id``, ``originator_version``, ``topic``)
repeat those fields for reading; the hash covers the record, and so them. Leaf order
is the order in which the log appended the events (per application in notification
order, applications interleaved as they were caught up), fixed once appended.

The verifier key comes from the auditor, never from the export (``--vkey``, the
``name+keyid+base64key`` string or ``@file`` holding it). Checkpoints the auditor kept
from earlier visits can be added with ``--checkpoint FILE`` (repeatable).

Key rotation (``jobtrail audit rotate-key``): a transition checkpoint at size S is signed
by the old and the new key and names both in an extension line
``jobtrail-sleutelwissel <old vkey> <new vkey>``. Starting from the auditor's key (old or
new), the verifier follows such checkpoints among those at hand (the export's, the
proof's, ``--checkpoint`` files) and accepts the old key for sizes up to S and the new key
from S on; a checkpoint a retired key signed after S fails ("ingetrokken sleutel"). The
export's ``keys.json`` lists the keys and their validity for reading; it is not trusted.

Checks on an export: every checkpoint is signed by that key and all share one origin;
each checkpoint's root equals the root of its first N records; and every checkpoint is
consistent with the newest checkpoint the records match, by consistency proofs recomputed
from the records, so a checkpoint kept from an earlier visit exposes a rewritten history
as a fork. Records after the last checkpoint are reported, not failed: nothing signs
them yet.

Without records::

    --inclusion proof.json    {"leaf_index": i, "tree_size": n,
                               "leaf_hash": "<hex>" or "record": "<base64>",
                               "proof": ["<hex>", ...], "checkpoint": "<checkpoint text>"}
    --consistency proof.json  {"checkpoint1": "<text>", "checkpoint2": "<text>",
                               "proof": ["<hex>", ...]}

Hashes in proof files are 64 lowercase hex digits.

An evidence pack (``--pack DIR``): ``manifest.txt`` is a signed note by the same key,
``jobtrail-bewijsdossier/v1`` / origin / ``checkpoint <size> <base64 root>`` / one
``sha256 <hex> <file>`` line per file. Checked: the signature, every file's hash, no
unlisted files, ``checkpoint.txt`` (when present) signed and equal to the manifest's
line, and every inclusion proof in ``bewijsdossier.json`` against that root. A pack's
``keys.json`` carries the transition checkpoints of key rotations; they are followed like
an export's, so a pack signed after a rotation verifies with the old key too.

Output is Dutch ("OK: ..." / "FOUT: ..."); ``--json`` prints one JSON object instead:
``{"ok": bool, "results": [{"check", "ok", "messages": [...], ...details}]}``.
Exit codes: 0 everything verifies, 1 something does not verify (including malformed
export content), 2 usage errors (arguments, missing files, an invalid verifier key).
"""

import argparse
import base64
import hashlib
import json
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from services.audit.checkpoint import Checkpoint, CheckpointError, KeyRing, open_note
from services.audit.merkle import MerkleTree, hash_from_hex, leaf_hash, verify_consistency
from services.audit.merkle import verify_inclusion as _verify_inclusion_proof

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The verifier cannot run as asked (exit code 2)."""


class ContentError(Exception):
    """Input that was read but is malformed: a verification failure (exit code 1)."""


@dataclass(frozen=True)
class VerifierKey:
    """The auditor's key, extended across key rotations by the transition checkpoints
    among the checkpoints at hand (services/audit/checkpoint.py `KeyRing`): each key is
    accepted only for the tree sizes it was valid for."""

    ring: KeyRing
    kept: tuple[str, ...] = ()  # checkpoints the auditor brought (--checkpoint)

    def learn(self, texts: Iterable[str]) -> None:
        self.ring.learn([*self.kept, *texts])

    def verify(self, text: str, label: str) -> Checkpoint:
        try:
            return self.ring.verify(text)
        except CheckpointError as exc:
            raise ContentError(f"{label}: {exc}") from None

    def open_note(self, note: str) -> str:
        """A signed note (a pack's manifest) by any of the known keys."""
        for window in self.ring.windows.values():
            try:
                return open_note(note, window.public_key, window.name)
            except CheckpointError:
                continue
        raise CheckpointError("geen geldige handtekening van een bekende sleutel")


@dataclass(frozen=True)
class Outcome:
    """What one verification found, in Dutch, plus details for ``--json``."""

    problems: list[str]  # empty when everything verified
    summary: str = ""  # what verified, said only when there are no problems
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    results: list[dict[str, Any]] = field(default_factory=list)

    def add(self, check: str, outcome: Outcome) -> None:
        messages = outcome.problems or [outcome.summary]
        ok = not outcome.problems
        self.results.append({"check": check, "ok": ok, "messages": messages, **outcome.details})

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(result["ok"] for result in self.results)


@dataclass
class Export:
    leaves: list[bytes]
    checkpoints: dict[str, str]  # label -> checkpoint text


def main(argv: list[str] | None = None) -> int:
    """Console entry point (``jobtrail-verify``); returns the exit code."""
    parser = _argument_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message; keep main() returning
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        report = _run(args)
    except UsageError as exc:
        if args.json:
            print(json.dumps({"ok": False, "usage_error": str(exc)}, ensure_ascii=False))
        print(f"FOUT: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps({"ok": report.ok, "results": report.results}, ensure_ascii=False))
    else:
        for result in report.results:
            for message in result["messages"]:
                print(("OK: " if result["ok"] else "FOUT: ") + message)
    return EXIT_OK if report.ok else EXIT_FAILED


def _argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jobtrail-verify",
        description="Controleer een export van het Jobtrail-auditlog, offline.",
    )
    parser.add_argument("export", nargs="?", help="exportmap of .zip met records.jsonl")
    parser.add_argument(
        "--vkey", required=True, help="verificatiesleutel (naam+id+sleutel) of @bestand"
    )
    parser.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        metavar="BESTAND",
        help="extra checkpoint die u zelf bewaarde (mag vaker); ook een overgangscheckpoint"
        " van een sleutelwissel, als u de oude of nieuwe sleutel niet uit de export kent",
    )
    parser.add_argument("--inclusion", metavar="BESTAND", help="inclusiebewijs (JSON)")
    parser.add_argument("--consistency", metavar="BESTAND", help="consistentiebewijs (JSON)")
    parser.add_argument("--pack", metavar="MAP", help="bewijsdossier met manifest.txt")
    parser.add_argument("--json", action="store_true", help="uitvoer als JSON")
    return parser


def _run(args: argparse.Namespace) -> Report:
    """Verify what was asked; UsageError for what cannot be read at all."""
    if not (args.export or args.inclusion or args.consistency or args.pack):
        raise UsageError("geef een export, --inclusion, --consistency of --pack op")
    extra = {path: _read_text_file(path) for path in args.checkpoint}
    key = _load_vkey(args.vkey, tuple(extra.values()))
    inclusion = _read_text_file(args.inclusion) if args.inclusion else None
    consistency = _read_text_file(args.consistency) if args.consistency else None

    report = Report()
    if args.export:
        _check(report, "export", lambda: _verify_export(args.export, extra, key))
    if inclusion is not None:
        _check(report, "inclusion", lambda: _verify_inclusion(inclusion, key))
    if consistency is not None:
        _check(report, "consistency", lambda: _verify_consistency(consistency, key))
    if args.pack:
        if not Path(args.pack).is_dir():
            raise UsageError(f"{args.pack} is geen map")
        _check(report, "pack", lambda: _verify_pack(Path(args.pack), key))
    return report


def _check(report: Report, check: str, verify: Callable[[], Outcome]) -> None:
    """Run one verification; malformed content (ContentError) is a failure too."""
    try:
        outcome = verify()
    except ContentError as exc:
        outcome = Outcome([str(exc)])
    report.add(check, outcome)


def _load_vkey(value: str, kept: tuple[str, ...] = ()) -> VerifierKey:
    text = _read_text_file(value[1:]) if value.startswith("@") else value
    try:
        ring = KeyRing.trusting([text.strip()])
    except CheckpointError as exc:
        raise UsageError(str(exc)) from None
    return VerifierKey(ring, kept)


def _read_text_file(path: str) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        raise UsageError(f"kan {path} niet lezen: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is geen UTF-8-tekst") from None


# -- export -------------------------------------------------------------------------------


def _verify_export(location: str, extra: dict[str, str], key: VerifierKey) -> Outcome:
    export = _read_export(Path(location))
    tree = MerkleTree(export.leaves)
    texts = {**export.checkpoints, **extra}
    key.learn(texts.values())  # key rotations: transition checkpoints signed by both keys
    checkpoints = {label: key.verify(text, label) for label, text in texts.items()}
    if not checkpoints:
        raise ContentError("geen checkpoints gevonden: niets om tegen te verifiëren")
    problems = _origin_problems(checkpoints) + _root_problems(checkpoints, tree)
    problems += _fork_problems(checkpoints, tree)
    largest = max(checkpoint.size for checkpoint in checkpoints.values())
    details = {
        "records": tree.size,
        "checkpoints": [
            {"file": label, "origin": c.origin, "size": c.size, "root": c.root.hex()}
            for label, c in sorted(checkpoints.items(), key=lambda item: item[1].size)
        ],
        "unsigned_records": max(tree.size - largest, 0),
        "keys": key.ring.listing(),
    }
    summary = f"{tree.size} records, {len(checkpoints)} checkpoints geverifieerd"
    if tree.size > largest:
        summary += f" (let op: {tree.size - largest} records na het laatste checkpoint)"
    return Outcome(problems, summary, details)


def _origin_problems(checkpoints: dict[str, Checkpoint]) -> list[str]:
    origins = sorted({checkpoint.origin for checkpoint in checkpoints.values()})
    if len(origins) > 1:
        return [f"checkpoints van verschillende logs: {', '.join(origins)}"]
    return []


def _root_problems(checkpoints: dict[str, Checkpoint], tree: MerkleTree) -> list[str]:
    problems = []
    for label, checkpoint in sorted(checkpoints.items()):
        if checkpoint.size > tree.size:
            problems.append(
                f"{label} ondertekent {checkpoint.size} records, de export bevat er "
                f"{tree.size}: records ontbreken"
            )
        elif tree.root(checkpoint.size) != checkpoint.root:
            problems.append(
                f"{label}: root van de eerste {checkpoint.size} records klopt niet "
                "(records gewijzigd, verwijderd, toegevoegd of verwisseld)"
            )
    return problems


def _fork_problems(checkpoints: dict[str, Checkpoint], tree: MerkleTree) -> list[str]:
    """Check every checkpoint against the newest one the records match, by proof.

    Records that match the newest checkpoint make the proofs from them authoritative:
    a proof that fails then shows the log signed two different histories (a fork), which
    an auditor-kept checkpoint reveals even when the export itself is self-consistent.
    Without such a checkpoint the records explain nothing; the root check reports them.
    """
    matching = [
        (checkpoint.size, label)
        for label, checkpoint in checkpoints.items()
        if checkpoint.size <= tree.size and tree.root(checkpoint.size) == checkpoint.root
    ]
    if not matching:
        return []
    newest_label = max(matching)[1]
    newest = checkpoints[newest_label]
    problems = []
    for label, old in sorted(checkpoints.items(), key=lambda item: (item[1].size, item[0])):
        if old.size > newest.size:
            continue  # a larger checkpoint than the records back: reported as missing records
        proof = tree.consistency_proof(old.size, newest.size)
        if not verify_consistency(old.size, newest.size, old.root, newest.root, proof):
            problems.append(
                f"{label} is niet consistent met {newest_label}: "
                "het log heeft twee verschillende geschiedenissen ondertekend"
            )
    return problems


def _read_export(location: Path) -> Export:
    try:
        if location.is_dir():
            return _read_export_directory(location)
        if location.is_file() and zipfile.is_zipfile(location):
            return _read_export_zip(location)
    except OSError as exc:
        raise UsageError(f"kan {location} niet lezen: {exc.strerror or exc}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise ContentError(f"{location} is een beschadigd zip-bestand") from None
    raise UsageError(f"{location} is geen exportmap of .zip-bestand")


def _read_export_directory(folder: Path) -> Export:
    records = folder / "records.jsonl"
    if not records.is_file():
        raise UsageError(f"{records} ontbreekt")
    with records.open("rb") as lines:
        leaves = _leaf_hashes(lines)
    checkpoints = {
        f"checkpoints/{path.name}": _decode(path.read_bytes(), f"checkpoints/{path.name}")
        for path in sorted(folder.glob("checkpoints/*.txt"))
    }
    return Export(leaves, checkpoints)


def _read_export_zip(archive: Path) -> Export:
    with zipfile.ZipFile(archive) as zipped:
        names = [PurePosixPath(name) for name in zipped.namelist()]
        top = _zip_top_folder(names)
        records = top / "records.jsonl"
        if records not in names:
            raise UsageError(f"{archive} bevat geen records.jsonl")
        with zipped.open(str(records)) as lines:
            leaves = _leaf_hashes(lines)
        checkpoints = {
            f"checkpoints/{name.name}": _decode(zipped.read(str(name)), name.name)
            for name in sorted(names)
            if name.parent == top / "checkpoints" and name.suffix == ".txt"
        }
    return Export(leaves, checkpoints)


def _zip_top_folder(names: list[PurePosixPath]) -> PurePosixPath:
    """'' when records.jsonl is at the root, else the one folder that wraps the export."""
    if PurePosixPath("records.jsonl") in names:
        return PurePosixPath()
    tops = {name.parts[0] for name in names if len(name.parts) > 1}
    return PurePosixPath(tops.pop()) if len(tops) == 1 else PurePosixPath()


def _leaf_hashes(lines: Iterable[bytes]) -> list[bytes]:
    """Leaf hashes of records.jsonl; any malformed or out-of-order line fails the export."""
    leaves = []
    for position, line in enumerate(lines):
        where = f"records.jsonl regel {position + 1}"
        entry = _json(line, where)
        if not isinstance(entry, dict) or not isinstance(entry.get("record"), str):
            raise ContentError(f'{where}: verwacht een object met "record" (base64)')
        if not _is_int(entry.get("index")) or entry["index"] != position:
            raise ContentError(
                f"{where}: index {entry.get('index')!r} waar {position} verwacht werd "
                "(record ontbreekt of volgorde gewijzigd)"
            )
        leaves.append(leaf_hash(_base64(entry["record"], where)))
    return leaves


# -- proofs without records ------------------------------------------------------------------


def _verify_inclusion(text: str, key: VerifierKey) -> Outcome:
    proof_file = _json_object(text, "inclusiebewijs")
    key.learn([proof_file["checkpoint"]] if isinstance(proof_file.get("checkpoint"), str) else [])
    checkpoint = key.verify(_field(proof_file, "checkpoint", str), "checkpoint")
    index, size = _field(proof_file, "leaf_index", int), _field(proof_file, "tree_size", int)
    if ("leaf_hash" in proof_file) == ("record" in proof_file):
        raise ContentError('inclusiebewijs: geef precies één van "leaf_hash" en "record"')
    if "record" in proof_file:
        leaf = leaf_hash(_base64(_field(proof_file, "record", str), "record"))
    else:
        leaf = _hex(_field(proof_file, "leaf_hash", str), "leaf_hash")
    proof = _hex_list(_field(proof_file, "proof", list), "proof")
    details = {"leaf_index": index, "tree_size": size, "origin": checkpoint.origin}
    if size != checkpoint.size:
        problem = f"tree_size {size} is niet die van het checkpoint ({checkpoint.size})"
    elif not _verify_inclusion_proof(leaf, index, size, proof, checkpoint.root):
        problem = f"inclusiebewijs voor record {index} klopt niet"
    else:
        return Outcome([], f"record {index} zit in het log van {size} records", details)
    return Outcome([problem], details=details)


def _verify_consistency(text: str, key: VerifierKey) -> Outcome:
    proof_file = _json_object(text, "consistentiebewijs")
    key.learn([proof_file[k] for k in ("checkpoint1", "checkpoint2")
               if isinstance(proof_file.get(k), str)])
    old = key.verify(_field(proof_file, "checkpoint1", str), "checkpoint1")
    new = key.verify(_field(proof_file, "checkpoint2", str), "checkpoint2")
    proof = _hex_list(_field(proof_file, "proof", list), "proof")
    details = {"size1": old.size, "size2": new.size, "origin": new.origin}
    if old.origin != new.origin:
        problem = f"checkpoints van verschillende logs: {old.origin}, {new.origin}"
    elif not verify_consistency(old.size, new.size, old.root, new.root, proof):
        problem = f"log van {new.size} records is geen voortzetting van {old.size}"
    else:
        summary = f"log van {new.size} records is een voortzetting van {old.size}"
        return Outcome([], summary, details)
    return Outcome([problem], details=details)


# -- evidence packs ------------------------------------------------------------------------


def _verify_pack(folder: Path, key: VerifierKey) -> Outcome:
    manifest_path = folder / "manifest.txt"
    if not manifest_path.is_file():
        raise ContentError("manifest.txt ontbreekt")
    note = _decode(manifest_path.read_bytes(), "manifest.txt")
    if (folder / "checkpoint.txt").is_file():
        key.learn([_decode((folder / "checkpoint.txt").read_bytes(), "checkpoint.txt")])
    if (folder / "keys.json").is_file():  # only transitions signed by both keys count
        keys = _json((folder / "keys.json").read_bytes(), "keys.json")
        transitions = keys.get("transitions") if isinstance(keys, dict) else None
        key.learn([t for t in transitions if isinstance(t, str)] if isinstance(transitions, list)
                  else [])
    try:
        text = key.open_note(note)
    except CheckpointError as exc:
        raise ContentError(f"manifest.txt: {exc}") from None
    lines = text[:-1].split("\n")
    if len(lines) < 3 or lines[0] != "jobtrail-bewijsdossier/v1":
        raise ContentError("manifest.txt heeft niet het formaat jobtrail-bewijsdossier/v1")
    fields = lines[2].split(" ")
    if len(fields) != 3 or fields[0] != "checkpoint" or not fields[1].isdigit():
        raise ContentError("manifest.txt: regel 3 is geen checkpointregel")
    size, root = int(fields[1]), _base64(fields[2], "manifest.txt checkpoint")
    problems: list[str] = []
    listed = set()
    for line in lines[3:]:
        parts = line.split(" ", 2)
        if len(parts) != 3 or parts[0] != "sha256" or "/" in parts[2] or "\\" in parts[2]:
            raise ContentError(f"manifest.txt: ongeldige regel {line[:80]!r}")
        listed.add(parts[2])
        path = folder / parts[2]
        if not path.is_file():
            problems.append(f"{parts[2]} ontbreekt")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != parts[1]:
            problems.append(f"{parts[2]} is gewijzigd (hash klopt niet)")
    extra = sorted(
        p.name for p in folder.iterdir()
        if p.name not in listed | {"manifest.txt", "checkpoint.txt"} and not p.name.startswith(".")
    )
    problems += [f"{name} staat niet in het manifest" for name in extra]
    if (folder / "checkpoint.txt").is_file():
        checkpoint = key.verify(_decode((folder / "checkpoint.txt").read_bytes(), "checkpoint.txt"),
                                "checkpoint.txt")
        if (checkpoint.size, checkpoint.root) != (size, root):
            problems.append("checkpoint.txt en manifest.txt noemen een ander checkpoint")
    proofs = 0
    if "bewijsdossier.json" in listed and (folder / "bewijsdossier.json").is_file():
        pack = _json((folder / "bewijsdossier.json").read_bytes(), "bewijsdossier.json")
        for requirement in pack.get("requirements", []) if isinstance(pack, dict) else []:
            for event in requirement.get("events", []):
                leaf = _hex(event.get("leaf_hash", ""), "leaf_hash")
                proof = _hex_list(event.get("proof", []), "proof")
                index = event.get("leaf_index")
                valid = _is_int(index) and _verify_inclusion_proof(leaf, index, size, proof, root)
                if not valid:
                    problems.append(f"inclusiebewijs van blad {index} klopt niet")
                proofs += 1
    summary = (f"bewijsdossier: {len(listed)} bestanden en {proofs} inclusiebewijzen "
               f"geverifieerd tegen checkpoint {size}")
    return Outcome(problems, summary, {"files": sorted(listed), "proofs": proofs, "size": size})


# -- strict parsing of untrusted input -----------------------------------------------------


def _json(text: str | bytes, where: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise ContentError(f"{where}: geen geldige JSON") from None


def _json_object(text: str, where: str) -> dict[str, Any]:
    value = _json(text, where)
    if not isinstance(value, dict):
        raise ContentError(f"{where}: verwacht een JSON-object")
    return value


def _field(mapping: dict[str, Any], name: str, kind: type) -> Any:
    value = mapping.get(name)
    if not (_is_int(value) if kind is int else isinstance(value, kind)):
        raise ContentError(f'veld "{name}" ontbreekt of heeft het verkeerde type')
    return value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _base64(text: str, where: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise ContentError(f"{where}: geen geldige base64") from None


def _hex(text: str, where: str) -> bytes:
    try:
        return hash_from_hex(text)
    except ValueError:
        raise ContentError(f"{where}: geen hash van 64 hex-tekens") from None


def _hex_list(values: list[Any], where: str) -> list[bytes]:
    return [_hex(value, f"{where}[{position}]") for position, value in enumerate(values)]


def _decode(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError(f"{label} is geen UTF-8-tekst") from None


if __name__ == "__main__":
    sys.exit(main())
