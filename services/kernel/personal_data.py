"""Personal data sealed with a key per data subject (crypto-shredding).

Events never hold a client's personal data in the clear: they hold a sealed value
`{"kid": <subject id>, "n": <nonce>, "c": <ciphertext>}` made with that subject's
own AES-256-GCM key. The keys live in a small table next to the organisation's
events (wrapped with the platform's cipher key). Erasing a subject deletes its key:
every sealed value in events, snapshots and anything copied from them becomes
unreadable at once, while the events themselves (and the audit log's hashes over
their stored bytes) stay exactly as they were.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.postgres import PostgresDatastore

from services.kernel.domain import N_, ConflictError

ERASED = "[gewist]"  # what readers see where erased personal data used to be

Sealed = Mapping[str, str]


def is_sealed(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) == {"kid", "n", "c"}


class SubjectErasedError(ConflictError):
    """Personal data about an erased subject may not be stored readable again."""


class SubjectKeys:
    """Key store of one organisation, on the same datastore as its events."""

    TABLE = "subject_keys"

    def __init__(self, datastore: Any, wrapping_key: bytes) -> None:
        self.datastore = datastore
        self.postgres = isinstance(datastore, PostgresDatastore)
        self.prefix = f'"{datastore.schema}".' if self.postgres else ""
        self._wrap = AESGCM(wrapping_key)

    def _sql(self, statement: str) -> str:
        statement = statement.replace("{t}", self.prefix)
        return statement if self.postgres else statement.replace("%s", "?")

    @contextmanager
    def _cursor(self) -> Any:
        with self.datastore.transaction(commit=True) as cursor:
            yield cursor

    def create_table(self) -> None:
        with self._cursor() as cursor:
            cursor.execute(
                self._sql(
                    "CREATE TABLE IF NOT EXISTS {t}subject_keys ("
                    " subject_id TEXT PRIMARY KEY, wrapped TEXT NOT NULL)"
                )
            )
            # Tombstones: a fresh key for an erased subject would make new data about
            # them readable again, so shredding remembers whom it erased (ids only).
            cursor.execute(
                self._sql(
                    "CREATE TABLE IF NOT EXISTS {t}erased_subjects (subject_id TEXT PRIMARY KEY)"
                )
            )

    def _key(self, subject_id: UUID, *, create: bool) -> bytes | None:
        select = self._sql("SELECT wrapped FROM {t}subject_keys WHERE subject_id = %s")
        with self._cursor() as cursor:
            cursor.execute(select, (str(subject_id),))
            row = cursor.fetchone()
            if row is None and create:
                cursor.execute(
                    self._sql("SELECT 1 FROM {t}erased_subjects WHERE subject_id = %s"),
                    (str(subject_id),),
                )
                if cursor.fetchone() is not None:
                    raise SubjectErasedError(N_(
                        "Deze cliënt is gewist: er worden geen persoonsgegevens meer over"
                        " opgeslagen"
                    ))
                # ON CONFLICT: a concurrent writer may have created it; read back the winner
                cursor.execute(
                    self._sql("INSERT INTO {t}subject_keys VALUES (%s, %s) ON CONFLICT DO NOTHING"),
                    (str(subject_id), self._wrap_key(subject_id, AESGCM.generate_key(256))),
                )
                cursor.execute(select, (str(subject_id),))
                row = cursor.fetchone()
        if row is None:
            return None
        wrapped = row["wrapped"] if isinstance(row, Mapping) else row[0]
        return self._unwrap_key(subject_id, wrapped)

    def _wrap_key(self, subject_id: UUID, key: bytes) -> str:
        nonce = os.urandom(12)
        return _b64(nonce + self._wrap.encrypt(nonce, key, str(subject_id).encode()))

    def _unwrap_key(self, subject_id: UUID, wrapped: str) -> bytes:
        raw = base64.b64decode(wrapped)
        return self._wrap.decrypt(raw[:12], raw[12:], str(subject_id).encode())

    def seal(self, subject_id: UUID, value: str) -> dict[str, str]:
        key = self._key(subject_id, create=True)
        assert key is not None
        nonce = os.urandom(12)
        ciphertext = AESGCM(key).encrypt(nonce, value.encode(), str(subject_id).encode())
        return {"kid": str(subject_id), "n": _b64(nonce), "c": _b64(ciphertext)}

    def open(self, sealed: Sealed | None) -> str | None:
        """The plain value, ERASED when the subject's key is gone, None for None."""
        if sealed is None:
            return None
        subject_id = UUID(sealed["kid"])
        key = self._key(subject_id, create=False)
        if key is None:
            return ERASED
        plain = AESGCM(key).decrypt(
            base64.b64decode(sealed["n"]), base64.b64decode(sealed["c"]), str(subject_id).encode()
        )
        return plain.decode()

    def open_all(self, values: Iterable[Sealed | None]) -> list[str | None]:
        return [self.open(value) for value in values]

    def shred(self, subject_id: UUID) -> bool:
        """Destroy the subject's key. True if a key existed; erasing twice is harmless."""
        with self._cursor() as cursor:
            if not self.postgres:  # overwrite the freed pages, not just unlink the row
                cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute(
                self._sql("SELECT 1 FROM {t}subject_keys WHERE subject_id = %s"),
                (str(subject_id),),
            )
            existed = cursor.fetchone() is not None
            cursor.execute(
                self._sql("DELETE FROM {t}subject_keys WHERE subject_id = %s"),
                (str(subject_id),),
            )
            cursor.execute(
                self._sql("INSERT INTO {t}erased_subjects VALUES (%s) ON CONFLICT DO NOTHING"),
                (str(subject_id),),
            )
        return existed

    def remember_erased(self, subject_ids: Iterable[UUID]) -> int:
        """Tombstones for subjects erased elsewhere on record (e.g. before this table
        existed); their keys are left as they are. Returns how many were new."""
        wanted = {str(subject_id) for subject_id in subject_ids}
        with self._cursor() as cursor:
            cursor.execute(self._sql("SELECT subject_id FROM {t}erased_subjects"))
            known = {row["subject_id"] if isinstance(row, Mapping) else row[0]
                     for row in cursor.fetchall()}
            for subject_id in sorted(wanted - known):
                cursor.execute(
                    self._sql("INSERT INTO {t}erased_subjects VALUES (%s) ON CONFLICT DO NOTHING"),
                    (subject_id,),
                )
        return len(wanted - known)

    def erased(self, subject_id: UUID) -> bool:
        """The subject was erased: no key may be made for them again."""
        with self._cursor() as cursor:
            cursor.execute(
                self._sql("SELECT 1 FROM {t}erased_subjects WHERE subject_id = %s"),
                (str(subject_id),),
            )
            return cursor.fetchone() is not None

    def exists(self, subject_id: UUID) -> bool:
        return self._key(subject_id, create=False) is not None


def wrapping_key(cipher_key_b64: str) -> bytes:
    """A key of its own for wrapping subject keys, derived from the platform's cipher key."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"jobtrail subject keys"
    ).derive(base64.b64decode(cipher_key_b64))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
