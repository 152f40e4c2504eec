"""Signed tree heads: C2SP checkpoints in signed notes, with Ed25519 keys.

Standard library and ``cryptography`` only: the offline verifier imports this module.
Formats: https://c2sp.org/tlog-checkpoint and https://c2sp.org/signed-note. A checkpoint:

    jobtrail.example/org/acme                 origin: the log's identity
    1234                                      tree size, decimal
    4Zd3...base64 root hash...=               RFC 9162 root of the first 1234 records
                                              blank line, then one line per signature:
    — jobtrail.example/org/acme base64(4-byte key ID || 64-byte Ed25519 signature)

The signature covers the note text (the lines above the blank line, with their final
newline). key ID = SHA-256(key name || 0x0A || 0x01 || public key)[:4]. The checkpoint
spec recommends the key name be the origin. Auditors get the public key as a verifier
key string (``vkey``): ``<name>+<hex key ID>+<base64(0x01 || public key)>``.

Private keys are PEM files outside the database, one per organisation
(``load_or_create_signing_key``). Error messages are Dutch: the verifier shows them.
"""

import base64
import contextlib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519_TYPE = b"\x01"  # signature type byte for Ed25519 in signed notes
_SIGNATURE_PREFIX = "\u2014 "  # em dash, space
_MAX_SIGNATURES = 100  # the spec asks verifiers to cap this, accepting at least 16
_MAX_TREE_SIZE = 2**64 - 1  # sizes are uint64 in every tlog implementation
_TREE_SIZE = re.compile(r"0|[1-9][0-9]{0,19}")
_KEY_FILE_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")


class CheckpointError(ValueError):
    """A checkpoint, signed note or verifier key that is malformed or does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()


def key_id(key_name: str, public_key: Ed25519PublicKey) -> bytes:
    """The 4-byte key ID of an Ed25519 key in signed notes."""
    return hashlib.sha256(
        key_name.encode() + b"\n" + ED25519_TYPE + _raw_public(public_key)
    ).digest()[:4]


def vkey(key_name: str, public_key: Ed25519PublicKey) -> str:
    """The verifier key string that auditors keep: ``name+keyid+base64(0x01||key)``."""
    _check_key_name(key_name)
    encoded = base64.b64encode(ED25519_TYPE + _raw_public(public_key)).decode()
    return f"{key_name}+{key_id(key_name, public_key).hex()}+{encoded}"


def parse_vkey(text: str) -> tuple[str, Ed25519PublicKey]:
    """Parse a verifier key string into (key name, public key); the key ID must match."""
    parts = text.strip().split("+", 2)  # the base64 key may itself contain "+"
    if len(parts) != 3:
        raise CheckpointError("verificatiesleutel heeft niet de vorm naam+sleutel-id+sleutel")
    name, hex_id, encoded = parts
    _check_key_name(name)
    if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
        raise CheckpointError("sleutel-id in de verificatiesleutel is geen 8 hex-tekens")
    raw = _b64decode(encoded, "verificatiesleutel")
    if len(raw) != 33 or raw[:1] != ED25519_TYPE:
        raise CheckpointError("verificatiesleutel is geen Ed25519-sleutel")
    try:
        public_key = Ed25519PublicKey.from_public_bytes(raw[1:])
    except ValueError:
        raise CheckpointError("verificatiesleutel is geen geldige Ed25519-sleutel") from None
    if key_id(name, public_key).hex() != hex_id:
        raise CheckpointError("sleutel-id past niet bij naam en sleutel")
    return name, public_key


def checkpoint_body(origin: str, size: int, root: bytes, extensions: tuple[str, ...] = ()) -> str:
    """The note text of a checkpoint (what gets signed)."""
    if not origin or not _is_single_line(origin):
        raise ValueError("origin must be one non-empty line")
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= _MAX_TREE_SIZE:
        raise ValueError(f"tree size must be an integer in 0..2**64-1, got {size!r}")
    if not isinstance(root, bytes) or len(root) != 32:
        raise ValueError("root must be a 32-byte hash")
    if not all(ext and _is_single_line(ext) for ext in extensions):
        raise ValueError("extension lines must be non-empty single lines")
    lines = [origin, str(size), base64.b64encode(root).decode(), *extensions]
    return "".join(line + "\n" for line in lines)


def sign_note(text: str, private_key: Ed25519PrivateKey, key_name: str) -> str:
    """A signed note: the text, a blank line, one Ed25519 signature line."""
    _check_note_text(text)
    _check_key_name(key_name)
    signature = key_id(key_name, private_key.public_key()) + private_key.sign(text.encode())
    return f"{text}\n{_SIGNATURE_PREFIX}{key_name} {base64.b64encode(signature).decode()}\n"


def open_note(note: str, public_key: Ed25519PublicKey, key_name: str) -> str:
    """The text of a signed note, once a signature by (key_name, public_key) verifies.

    As the signed-note spec requires: signatures of other keys (witnesses, a rotated key)
    are ignored, a failing signature of this key rejects the note, and at least one
    signature of this key must verify.
    """
    text, signatures = _split_note(note)
    wanted_id = key_id(key_name, public_key)
    verified = False
    for name, signature in signatures:
        if name != key_name or signature[:4] != wanted_id:
            continue
        try:
            public_key.verify(signature[4:], text.encode())
        except InvalidSignature:
            raise CheckpointError(f"handtekening van {key_name} is ongeldig") from None
        verified = True
    if not verified:
        raise CheckpointError(f"geen handtekening van sleutel {key_name}")
    return text


def sign_checkpoint(
    origin: str,
    size: int,
    root: bytes,
    private_key: Ed25519PrivateKey,
    key_name: str,
    extensions: tuple[str, ...] = (),
) -> str:
    """A checkpoint for (origin, size, root), signed as a note."""
    return sign_note(checkpoint_body(origin, size, root, extensions), private_key, key_name)


def parse_and_verify_checkpoint(
    text: str, public_key: Ed25519PublicKey, key_name: str
) -> Checkpoint:
    """Verify a checkpoint's signature (see ``open_note``), then parse its text."""
    return _parse_body(open_note(text, public_key, key_name))


def load_or_create_signing_key(
    directory: str | os.PathLike[str], org_slug: str
) -> Ed25519PrivateKey:
    """The organisation's checkpoint signing key, created on first use.

    ``<directory>/<org_slug>.ed25519.pem`` (PKCS#8, mode 0600). A new key is written to a
    private temporary file and hard-linked into place, so concurrent first calls agree on
    one key and nobody ever reads a half-written file.
    """
    if not _KEY_FILE_SLUG.fullmatch(org_slug):
        raise ValueError(f"not a safe organisation slug for a file name: {org_slug!r}")
    folder = Path(directory)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{org_slug}.ed25519.pem"
    if not path.exists():
        _create_key_file(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def _create_key_file(path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-key-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process won: all use its key
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """Split a signed note into its text and its (key name, key ID || signature) pairs."""
    _check_note_text(note)
    separator = note.rfind("\n\n")  # signature lines are never empty: the last blank line
    if separator < 0:
        raise CheckpointError("checkpoint heeft geen handtekeningen")
    text, signature_lines = note[: separator + 1], note[separator + 2 : -1].split("\n")
    if len(signature_lines) > _MAX_SIGNATURES:
        raise CheckpointError("checkpoint heeft te veel handtekeningen")
    return text, [_parse_signature_line(line) for line in signature_lines]


def _check_note_text(text: str) -> None:
    if not isinstance(text, str):
        raise CheckpointError("checkpoint moet tekst zijn")
    if any(ord(char) < 0x20 and char != "\n" for char in text):
        raise CheckpointError("checkpoint bevat stuurtekens (bijv. Windows-regeleinden)")
    if not text.endswith("\n"):
        raise CheckpointError("checkpoint eindigt niet op een regeleinde")


def _parse_signature_line(line: str) -> tuple[str, bytes]:
    fields = line.removeprefix(_SIGNATURE_PREFIX).split(" ")
    if not line.startswith(_SIGNATURE_PREFIX) or len(fields) != 2:
        raise CheckpointError(f"ongeldige handtekeningregel: {line[:80]!r}")
    name, encoded = fields
    _check_key_name(name)
    signature = _b64decode(encoded, "handtekening")
    if len(signature) < 5:
        raise CheckpointError("handtekening is te kort")
    return name, signature


def _parse_body(body: str) -> Checkpoint:
    lines = body[:-1].split("\n")
    if len(lines) < 3 or not all(lines):
        raise CheckpointError("checkpoint heeft niet minstens drie niet-lege regels")
    origin, size_text, root_text, *extensions = lines
    if not _TREE_SIZE.fullmatch(size_text) or int(size_text) > _MAX_TREE_SIZE:
        raise CheckpointError(f"ongeldige boomgrootte: {size_text[:40]!r}")
    root = _b64decode(root_text, "root-hash")
    if len(root) != 32:
        raise CheckpointError("root-hash is geen 32 bytes")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))


def _b64decode(text: str, what: str) -> bytes:
    """Strict standard base64: right alphabet and padding, canonical encoding only."""
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        raise CheckpointError(f"{what} is geen geldige base64") from None
    if base64.b64encode(raw).decode() != text:
        raise CheckpointError(f"{what} is geen canonieke base64")
    return raw


def _check_key_name(name: str) -> None:
    if not name or "+" in name or any(char.isspace() for char in name):
        raise CheckpointError(f"ongeldige sleutelnaam: {name[:80]!r}")
    if not _is_single_line(name):
        raise CheckpointError("sleutelnaam bevat stuurtekens")


def _is_single_line(text: str) -> bool:
    return not any(ord(char) < 0x20 for char in text)


def _raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# -- key rotation ---------------------------------------------------------------------------
#
# A rotation is announced by a TRANSITION checkpoint at tree size S, signed by the old and
# the new key, whose extension line names both: ``jobtrail-sleutelwissel <old vkey> <new
# vkey>``. The old key signs checkpoints of sizes 0..S, the new key sizes S and up. From a
# key it trusts, a verifier follows such checkpoints (in either direction: an auditor may
# hold the old or the new key) and then refuses a checkpoint of a size outside the window
# of the key that signed it: a retired key signing after its retirement.

ROTATION = "jobtrail-sleutelwissel"


def rotation_line(old_vkey: str, new_vkey: str) -> str:
    for key in (old_vkey, new_vkey):
        parse_vkey(key)  # both must be well-formed verifier keys
    return f"{ROTATION} {old_vkey} {new_vkey}"


def add_signature(note: str, private_key: Ed25519PrivateKey, key_name: str) -> str:
    """A further signature line under a signed note (the same text, another key)."""
    text, _ = _split_note(note)
    signature = key_id(key_name, private_key.public_key()) + private_key.sign(text.encode())
    return f"{note}{_SIGNATURE_PREFIX}{key_name} {base64.b64encode(signature).decode()}\n"


@dataclass
class KeyWindow:
    """A key and the tree sizes it may sign: from_size..until_size (None: no end)."""

    vkey: str
    name: str
    public_key: Ed25519PublicKey
    from_size: int = 0
    until_size: int | None = None

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def covers(self, size: int) -> bool:
        return self.from_size <= size and (self.until_size is None or size <= self.until_size)


class KeyRing:
    """The keys a verifier accepts, each with its window of tree sizes."""

    def __init__(self, windows: list[KeyWindow]) -> None:
        self.windows = {(w.name, w.id): w for w in windows}

    @classmethod
    def trusting(cls, vkeys: list[str]) -> "KeyRing":
        return cls([KeyWindow(v, *parse_vkey(v)) for v in vkeys])

    def learn(self, notes: list[str]) -> None:
        """Extend the trusted keys along the transition checkpoints among `notes`."""
        transitions = sorted(filter(None, (_transition(n) for n in notes)), key=lambda t: t[0])
        changed = True
        while changed:
            changed = False
            for size, old, new in transitions:
                known_old = self.windows.get((old.name, old.id))
                known_new = self.windows.get((new.name, new.id))
                if known_old is not None and known_new is None:
                    new.from_size = size
                    self.windows[(new.name, new.id)] = new
                    known_old.until_size = _earliest(known_old.until_size, size)
                    changed = True
                elif known_new is not None and known_old is None:
                    old.until_size = size
                    self.windows[(old.name, old.id)] = old
                    known_new.from_size = max(known_new.from_size, size)
                    changed = True

    def verify(self, note: str) -> Checkpoint:
        """The checkpoint, once signed by a known key whose window covers its size."""
        text, signatures = _split_note(note)
        checkpoint = _parse_body(text)
        signers = []
        for name, signature in signatures:
            window = self.windows.get((name, signature[:4]))
            if window is None:
                continue
            try:
                window.public_key.verify(signature[4:], text.encode())
            except InvalidSignature:
                raise CheckpointError(f"handtekening van {name} is ongeldig") from None
            signers.append(window)
        if not signers:
            names = ", ".join(sorted({name for name, _ in self.windows}))
            raise CheckpointError(f"geen handtekening van sleutel {names}")
        if not any(window.covers(checkpoint.size) for window in signers):
            window = signers[0]
            if window.until_size is not None and checkpoint.size > window.until_size:
                raise CheckpointError(
                    f"ondertekend met sleutel {window.id.hex()}, die na boomgrootte "
                    f"{window.until_size} is vervangen (ingetrokken sleutel)"
                )
            raise CheckpointError(
                f"ondertekend met sleutel {window.id.hex()}, die pas vanaf boomgrootte "
                f"{window.from_size} geldt"
            )
        return checkpoint

    def listing(self) -> list[dict[str, object]]:
        return [
            {"vkey": w.vkey, "from_size": w.from_size, "until_size": w.until_size}
            for w in sorted(self.windows.values(), key=lambda w: w.from_size)
        ]


def _transition(note: str) -> tuple[int, KeyWindow, KeyWindow] | None:
    """(size, old, new) of a transition checkpoint signed by both its keys, else None."""
    try:
        text, _ = _split_note(note)
        checkpoint = _parse_body(text)
    except CheckpointError:
        return None
    for line in checkpoint.extensions:
        fields = line.split(" ")
        if len(fields) != 3 or fields[0] != ROTATION:
            continue
        try:
            old, new = (KeyWindow(v, *parse_vkey(v)) for v in fields[1:])
            open_note(note, old.public_key, old.name)
            open_note(note, new.public_key, new.name)
        except CheckpointError:
            return None  # not signed by both: announces nothing
        return checkpoint.size, old, new
    return None


def _earliest(current: int | None, size: int) -> int:
    return size if current is None else min(current, size)
