"""An organisation's audit log as the auditor sees it: checkpoints, proofs, export and
the server-side verification (the scheduled tamper check).

The leaves and checkpoints come from projections/audit_log.py; the record bytes always
come from the events tables themselves, so whatever was changed there directly shows
up as a record that no longer matches its signed leaf.
"""

from __future__ import annotations

import base64
import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from services.audit import record
from services.audit.checkpoint import CheckpointError
from services.audit.merkle import MerkleTree, leaf_hash
from services.kernel.domain import NotFoundError

log = logging.getLogger(__name__)
READ_BATCH = 5000


@dataclass
class Verification:
    ok: bool
    tree_size: int
    checkpoints: int
    problems: list[str]


class AuditLog:
    """One organisation's audit log."""

    def __init__(self, platform: Any, org_id: UUID) -> None:
        self.platform = platform
        self.org_id = org_id
        self.trails = platform.audit_trails(org_id)
        self.view = self.trails[0]  # every trail view reads the same tables

    # Writing ----------------------------------------------------------------------------
    def catch_up(self) -> int:
        return sum(trail.catch_up() for trail in self.trails)

    def checkpoint(self) -> dict[str, Any] | None:
        """Catch up, then sign the head if it moved: the latest checkpoint."""
        self.catch_up()
        return self.view.sign_checkpoint()

    def vkey(self) -> str:
        return self.view.signer().vkey()

    # Proofs -----------------------------------------------------------------------------
    def _checkpoint(self, tree_size: int | None) -> dict[str, Any]:
        checkpoint = self.view.checkpoint(tree_size)
        if checkpoint is None:
            if tree_size:
                raise NotFoundError("Geen checkpoint van deze omvang")
            raise NotFoundError("Nog geen checkpoint")
        return checkpoint

    def inclusion(self, leaf_index: int, tree_size: int | None = None) -> dict[str, Any]:
        """Proof that leaf `leaf_index` is in a checkpoint (the latest by default), in the
        offline verifier's --inclusion format, plus what the leaf is."""
        checkpoint = self._checkpoint(tree_size)
        size = int(checkpoint["tree_size"])
        leaf = self.view.leaf(leaf_index)
        if leaf is None or leaf_index >= size:
            raise NotFoundError("Deze gebeurtenis zit (nog) niet in het checkpoint")
        tree = MerkleTree(self.view.leaf_hashes(size))
        return {
            "leaf_index": leaf_index,
            "tree_size": size,
            "leaf_hash": leaf["leaf_hash"],
            "proof": [node.hex() for node in tree.inclusion_proof(leaf_index, size)],
            "checkpoint": checkpoint["note"],
            "event": _public_leaf(leaf),
        }

    def inclusion_of_event(
        self, app: str, notification_id: int, tree_size: int | None = None
    ) -> dict[str, Any]:
        leaf = self.view.leaf_of(app, notification_id)
        if leaf is None:
            raise NotFoundError("Deze gebeurtenis staat (nog) niet in het auditlog")
        return self.inclusion(int(leaf["leaf_index"]), tree_size)

    def consistency(self, size1: int, size2: int | None = None) -> dict[str, Any]:
        """Proof that checkpoint size1 is a prefix of checkpoint size2 (default: latest)."""
        old, new = self._checkpoint(size1), self._checkpoint(size2)
        if int(old["tree_size"]) > int(new["tree_size"]):
            old, new = new, old
        tree = MerkleTree(self.view.leaf_hashes(int(new["tree_size"])))
        proof = tree.consistency_proof(int(old["tree_size"]), int(new["tree_size"]))
        return {
            "checkpoint1": old["note"],
            "checkpoint2": new["note"],
            "proof": [node.hex() for node in proof],
        }

    # Records from the events tables ---------------------------------------------------------
    def _applications(self) -> dict[str, Any]:
        return {trail.app.name: trail.app for trail in self.trails}

    def stored_events(self, app: Any) -> Iterator[Any]:
        start = 1
        while True:
            batch = app.recorder.select_notifications(start=start, limit=READ_BATCH)
            yield from batch
            if len(batch) < READ_BATCH:
                return
            start = batch[-1].id + 1

    def _stored_records(self) -> dict[tuple[str, int], bytes]:
        records = {}
        for name, app in self._applications().items():
            for n in self.stored_events(app):
                records[(name, n.id)] = record.encode(
                    name, n.id, n.originator_id, n.originator_version, n.topic, n.state
                )
        return records

    def export(self, out: Path) -> dict[str, Any]:
        """Write the offline verifier's export format (records.jsonl, checkpoints/)."""
        self.checkpoint()
        out.mkdir(parents=True, exist_ok=True)
        (out / "checkpoints").mkdir(exist_ok=True)
        stored = self._stored_records()
        count = 0
        with (out / "records.jsonl").open("w", encoding="utf-8") as lines:
            for index, app, notification_id, _ in self.view.all_leaves():
                data = stored.get((app, int(notification_id)))
                entry: dict[str, Any] = {
                    "index": int(index),
                    "record": base64.b64encode(data or b"").decode(),
                }
                if data is None:  # deleted from the store: the verifier will say so
                    entry.update(app=app, notification_id=int(notification_id), missing=True)
                else:
                    entry.update(record.decode(data).metadata())
                lines.write(json.dumps(entry, ensure_ascii=False) + "\n")
                count += 1
        # The log's public keys with the tree sizes and times each was valid for: after a
        # key rotation the auditor's verifier follows the transition checkpoint itself.
        keys = self.view.signer().keys()
        (out / "keys.json").write_text(json.dumps({"keys": keys}, indent=1), encoding="utf-8")
        checkpoints = self.view.checkpoints()
        for checkpoint in checkpoints:
            name = f"checkpoint-{int(checkpoint['tree_size']):012d}.txt"
            (out / "checkpoints" / name).write_text(checkpoint["note"], encoding="utf-8")
        return {"records": count, "checkpoints": len(checkpoints)}

    # Server-side verification -------------------------------------------------------------
    def verify(self, *, alert: bool = True) -> Verification:
        """Recompute every leaf from the events tables and check it against the leaf table
        and every signed checkpoint; also find events that never became a leaf although
        the log has passed them (inserted directly). Records the outcome; on failure
        journals an integrity alert, which the quality officer sees."""
        problems: list[str] = []
        stored = self._stored_records()
        hashes = []
        for position, (index, app, notification_id, stored_hash) in enumerate(
            self.view.all_leaves()
        ):
            where = f"blad {position} ({app} #{notification_id})"
            if int(index) != position:
                problems.append(f"{where}: bladnummer {index} waar {position} verwacht werd")
            data = stored.pop((app, int(notification_id)), None)
            if data is None:
                problems.append(f"{where}: de gebeurtenis ontbreekt in de opslag (verwijderd)")
            elif leaf_hash(data) != stored_hash:
                problems.append(f"{where}: de opgeslagen gebeurtenis is gewijzigd")
            hashes.append(stored_hash)
        positions = {trail.app.name: trail.position() for trail in self.trails}
        for app, notification_id in sorted(stored):
            if notification_id <= positions.get(app, 0):
                problems.append(
                    f"{app} #{notification_id}: gebeurtenis staat niet in het auditlog "
                    "(buiten de applicatie toegevoegd)"
                )
        tree = MerkleTree(hashes)
        problems += self._checkpoint_problems(tree)
        size, compact = self.view.head()
        if size != tree.size or compact.root() != tree.root():
            problems.append("de boomkop komt niet overeen met de bladeren")
        result = Verification(not problems, tree.size, len(self.view.checkpoints()), problems)
        self.view.record_verification(str(uuid.uuid4()), result.ok, tree.size, problems)
        if problems:
            log.error("audit log of %s: %d integrity problems", self.org_id, len(problems))
            if alert:
                from services.audit.application import AuditJournal

                self.platform.app(AuditJournal, self.org_id).record(
                    "integrity.alert", problems=len(problems), first=problems[0]
                )
        return result

    def _checkpoint_problems(self, tree: MerkleTree) -> list[str]:
        problems = []
        keys = self.view.signer().ring()  # every key of the log, each for its tree sizes
        for checkpoint in self.view.checkpoints():
            size = int(checkpoint["tree_size"])
            try:
                signed = keys.verify(checkpoint["note"])
            except CheckpointError as error:
                problems.append(f"checkpoint {size}: {error}")
                continue
            if signed.size != size or signed.root.hex() != checkpoint["root"]:
                problems.append(f"checkpoint {size}: tabel en ondertekende tekst verschillen")
            if size > tree.size:
                problems.append(f"checkpoint {size}: het log heeft maar {tree.size} bladeren")
            elif tree.root(size) != signed.root:
                problems.append(
                    f"checkpoint {size}: root klopt niet (gebeurtenissen gewijzigd, "
                    "verwijderd of verwisseld)"
                )
        return problems


def _public_leaf(leaf: dict[str, Any]) -> dict[str, Any]:
    return {
        key: leaf[key]
        for key in ("app", "notification_id", "originator_id", "originator_version", "topic")
    }
