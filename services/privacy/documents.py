"""Generated documents (access exports, erasure certificates) in the data directory.

A document about a client is stored SEALED with that client's key, so shredding the
key makes every copy on disk (and in file backups) unreadable; erasure also deletes
the files. Certificates are PII-free by construction and stored in the clear.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
from pathlib import Path
from uuid import UUID, uuid4

from services.kernel.personal_data import ERASED, SubjectKeys


class DocumentStore:
    def __init__(self, data_dir: str, org_id: UUID, keys: SubjectKeys) -> None:
        self.root = Path(data_dir) / "documents" / org_id.hex
        self.keys = keys

    def _subject_dir(self, subject_id: UUID) -> Path:
        return self.root / "subjects" / str(subject_id)

    def save_sealed(self, subject_id: UUID, name: str, content: bytes, media_type: str) -> dict:
        document_id = uuid4().hex
        sealed = self.keys.seal(subject_id, base64.b64encode(content).decode())
        meta = {
            "document_id": document_id,
            "name": name,
            "media_type": media_type,
            "sha256": hashlib.sha256(content).hexdigest(),
            "subject_id": str(subject_id),
        }
        self._write(
            self._subject_dir(subject_id) / f"{document_id}.json", {**meta, "sealed": sealed}
        )
        return meta

    def open_sealed(self, subject_id: UUID, document_id: str) -> tuple[dict, bytes] | None:
        path = self._subject_dir(subject_id) / f"{_safe(document_id)}.json"
        if not path.exists():
            return None
        stored = json.loads(path.read_text())
        plain = self.keys.open(stored.pop("sealed"))
        if plain is None or plain == ERASED:
            return None
        return stored, base64.b64decode(plain)

    def delete_subject(self, subject_id: UUID) -> int:
        directory = self._subject_dir(subject_id)
        count = len(list(directory.glob("*.json"))) if directory.exists() else 0
        shutil.rmtree(directory, ignore_errors=True)
        return count

    def save_certificate(self, erasure_id: UUID, pdf: bytes, data: bytes) -> None:
        directory = self.root / "certificates"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{erasure_id}.pdf").write_bytes(pdf)
        (directory / f"{erasure_id}.json").write_bytes(data)

    def certificate(self, erasure_id: UUID, suffix: str) -> bytes | None:
        path = self.root / "certificates" / f"{erasure_id}.{suffix}"
        return path.read_bytes() if path.exists() else None

    def _write(self, path: Path, data: dict) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        os.replace(tmp, path)


def _safe(document_id: str) -> str:
    if not document_id.isalnum():
        raise ValueError("document id")
    return document_id
