"""C2SP checkpoints and signed notes: interop vectors, round trips and rejections."""

import base64
import hashlib
import stat
import string
import threading

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.audit.checkpoint import (
    Checkpoint,
    CheckpointError,
    checkpoint_body,
    key_id,
    load_or_create_signing_key,
    open_note,
    parse_and_verify_checkpoint,
    parse_vkey,
    sign_checkpoint,
    sign_note,
    vkey,
)

# The golang.org/x/mod/sumdb/note test vectors: an independent implementation of the
# signed-note format, so these pin the key ID, vkey and signature line byte for byte.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
# From transparency-dev/formats' note tests: its base64 key contains a '+'.
PLUS_VKEY = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqf"
    "qdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTG"
    "wnWLox33WWd1RvMc+QQ=\n"
)

ORIGIN = "jobtrail.test/org/acme"
KEY = Ed25519PrivateKey.generate()
ROOT = hashlib.sha256(b"some root").digest()


def _go_private_key() -> Ed25519PrivateKey:
    seed = base64.b64decode(GO_SKEY.split("+", 4)[4])  # the base64 itself holds a '+'
    return Ed25519PrivateKey.from_private_bytes(seed[1:])


def _verify(text: str, key: Ed25519PrivateKey = KEY, name: str = ORIGIN) -> Checkpoint:
    return parse_and_verify_checkpoint(text, key.public_key(), name)


def _signed(origin: str = ORIGIN, size: int = 42, root: bytes = ROOT) -> str:
    return sign_checkpoint(origin, size, root, KEY, ORIGIN)


def test_go_vectors_sign_byte_for_byte() -> None:
    key = _go_private_key()
    assert vkey("PeterNeumann", key.public_key()) == GO_VKEY
    assert sign_note(GO_TEXT, key, "PeterNeumann") == GO_TEXT + "\n" + PETER_SIG


def test_go_vectors_open_with_either_key_ignoring_the_other() -> None:
    note = GO_TEXT + "\n" + PETER_SIG + ENOCH_SIG
    for verifier_key in (GO_VKEY, ENOCH_VKEY):
        name, public_key = parse_vkey(verifier_key)
        assert open_note(note, public_key, name) == GO_TEXT


def test_round_trip() -> None:
    text = _signed()
    origin, size, root_line, blank, signature_line, end = text.split("\n")
    assert (origin, size, blank, end) == (ORIGIN, "42", "", "")
    assert root_line == base64.b64encode(ROOT).decode()
    assert signature_line.startswith(f"\u2014 {ORIGIN} ")
    signature = base64.b64decode(signature_line.split(" ")[2])
    assert len(signature) == 68
    assert signature[:4] == key_id(ORIGIN, KEY.public_key())
    assert _verify(text) == Checkpoint(ORIGIN, 42, ROOT)


def test_key_id_is_the_signed_note_recipe() -> None:
    raw = base64.b64decode(vkey(ORIGIN, KEY.public_key()).split("+", 2)[2])
    expected = hashlib.sha256(ORIGIN.encode() + b"\n" + raw).digest()[:4]  # raw = 0x01 || key
    assert key_id(ORIGIN, KEY.public_key()) == expected


def test_round_trip_with_extensions_and_empty_tree() -> None:
    empty = hashlib.sha256(b"").digest()
    text = sign_checkpoint(ORIGIN, 0, empty, KEY, ORIGIN, extensions=("ext one", "two"))
    assert _verify(text) == Checkpoint(ORIGIN, 0, empty, ("ext one", "two"))


def test_largest_tree_size() -> None:
    assert _verify(_signed(size=2**64 - 1)).size == 2**64 - 1
    with pytest.raises(ValueError):
        _signed(size=2**64)


def _resigned_body(text: str, old: str, new: str) -> str:
    """Edit the body but keep the original signature line."""
    body, signature = text.split("\n\n")
    return body.replace(old, new, 1) + "\n\n" + signature


def test_tampered_body_size_and_root_are_rejected() -> None:
    text = _signed()
    root_b64 = base64.b64encode(ROOT).decode()
    other_root = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    for old, new in [(ORIGIN, ORIGIN + "x"), ("\n42\n", "\n43\n"), (root_b64, other_root)]:
        with pytest.raises(CheckpointError, match="ongeldig"):
            _verify(_resigned_body(text, old, new))


def test_flipped_signature_bits_are_rejected() -> None:
    text = _signed()
    body, line = text.split("\n\n")
    prefix, encoded = line.rstrip("\n").rsplit(" ", 1)
    signature = base64.b64decode(encoded)
    for position in range(4, len(signature)):  # the first 4 bytes select the key
        flipped = bytearray(signature)
        flipped[position] ^= 0x10
        tampered = f"{body}\n\n{prefix} {base64.b64encode(bytes(flipped)).decode()}\n"
        with pytest.raises(CheckpointError):
            _verify(tampered)


def test_other_key_or_other_name_is_rejected() -> None:
    text = _signed()
    with pytest.raises(CheckpointError, match="geen handtekening"):
        _verify(text, key=Ed25519PrivateKey.generate())
    with pytest.raises(CheckpointError, match="geen handtekening"):
        _verify(text, name="jobtrail.test/org/other")
    forged = sign_checkpoint(ORIGIN, 42, ROOT, Ed25519PrivateKey.generate(), ORIGIN)
    with pytest.raises(CheckpointError, match="geen handtekening"):
        _verify(forged)


def _signature_lines(note: str) -> str:
    return note.split("\n\n")[1]


def test_extra_signatures_of_unknown_keys_are_ignored() -> None:
    text = _signed()
    body = text.split("\n\n")[0] + "\n"
    witness = sign_note(body, Ed25519PrivateKey.generate(), "witness.test")
    assert _verify(text + _signature_lines(witness)).size == 42


def test_a_failing_signature_of_the_known_key_rejects_the_note() -> None:
    text = _signed()
    other_body = _signature_lines(sign_checkpoint(ORIGIN, 43, ROOT, KEY, ORIGIN))
    with pytest.raises(CheckpointError, match="ongeldig"):
        _verify(text + other_body)


def _good_body_lines() -> list[str]:
    return [ORIGIN, "42", base64.b64encode(ROOT).decode()]


@pytest.mark.parametrize(
    "lines",
    [
        [ORIGIN, "042", base64.b64encode(ROOT).decode()],
        [ORIGIN, "-1", base64.b64encode(ROOT).decode()],
        [ORIGIN, "+42", base64.b64encode(ROOT).decode()],
        [ORIGIN, "4 2", base64.b64encode(ROOT).decode()],
        [ORIGIN, "18446744073709551616", base64.b64encode(ROOT).decode()],
        [ORIGIN, "42", base64.b64encode(ROOT[:31]).decode()],
        [ORIGIN, "42", base64.b64encode(ROOT).decode().rstrip("=")],
        [ORIGIN, "42", base64.urlsafe_b64encode(b"\xff" * 32).decode()],
        [ORIGIN, "42", ROOT.hex()],
        [ORIGIN, "42"],
        ["", "42", base64.b64encode(ROOT).decode()],
        [*_good_body_lines(), ""],
    ],
)
def test_malformed_bodies_are_rejected_even_when_signed(lines: list[str]) -> None:
    note = sign_note("\n".join(lines) + "\n", KEY, ORIGIN)
    with pytest.raises(CheckpointError):
        _verify(note)


def test_non_canonical_base64_root_is_rejected() -> None:
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/"
    canonical = base64.b64encode(ROOT).decode()
    # 32 bytes leave 2 unused (zero) bits in the last character before '='; set one.
    loose = canonical[:-2] + alphabet[alphabet.index(canonical[-2]) | 1] + "="
    assert base64.b64decode(loose) == ROOT and loose != canonical
    note = sign_note(f"{ORIGIN}\n42\n{loose}\n", KEY, ORIGIN)
    with pytest.raises(CheckpointError, match="canoniek"):
        _verify(note)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.rstrip("\n"),
        lambda t: t.replace("\n\n", "\n"),
        lambda t: t + "\n",
        lambda t: t.replace("\u2014 ", "- "),
        lambda t: t.replace("\u2014 ", "\u2014  "),
        lambda t: t.replace(f"\u2014 {ORIGIN} ", f"\u2014 {ORIGIN}+x "),
        lambda t: t[:-2] + "\n",
        lambda t: t.replace("42", "42\t"),
        lambda t: t + f"\u2014 {ORIGIN} AAAA\n",
        lambda t: t + f"\u2014 other.test {base64.b64encode(b'1234').decode()}\n",
        lambda t: t + "".join(f"\u2014 w{i}.test {'A' * 92}\n" for i in range(100)),
        lambda t: t.split("\n\n")[0] + "\n",
        lambda t: b"" + t.encode(),
    ],
)
def test_malformed_notes_are_rejected(mangle) -> None:
    with pytest.raises(CheckpointError):
        _verify(mangle(_signed()))


def test_sixteen_witness_signatures_are_accepted() -> None:
    witnesses = "".join(f"\u2014 w{i}.test {'A' * 92}\n" for i in range(16))
    assert _verify(_signed() + witnesses).size == 42


@pytest.mark.parametrize(
    "args",
    [
        ("", 1, ROOT),
        ("a\nb", 1, ROOT),
        (ORIGIN, -1, ROOT),
        (ORIGIN, True, ROOT),
        (ORIGIN, 1, ROOT[:31]),
        (ORIGIN, 1, ROOT.hex()),
    ],
)
def test_signing_refuses_bad_checkpoints(args: tuple) -> None:
    with pytest.raises(ValueError):
        checkpoint_body(*args)


@pytest.mark.parametrize("name", ["", "a b", "a+b", "a\u00a0b", "tab\there"])
def test_signing_refuses_bad_key_names(name: str) -> None:
    with pytest.raises(ValueError):
        sign_checkpoint(ORIGIN, 1, ROOT, KEY, name)


def test_vkey_round_trip() -> None:
    text = vkey(ORIGIN, KEY.public_key())
    name, hex_id, encoded = text.split("+", 2)
    assert name == ORIGIN
    assert bytes.fromhex(hex_id) == key_id(ORIGIN, KEY.public_key())
    assert base64.b64decode(encoded)[0] == 1
    parsed_name, public_key = parse_vkey(text + "\n")
    assert parsed_name == ORIGIN
    assert vkey(parsed_name, public_key) == text


def test_vkey_whose_base64_contains_a_plus() -> None:
    name, public_key = parse_vkey(PLUS_VKEY)
    assert name == "TEST"
    assert vkey(name, public_key) == PLUS_VKEY


@pytest.mark.parametrize("text", [GO_VKEY, PLUS_VKEY])
def test_every_mangled_vkey_is_rejected(text: str) -> None:
    mangled = {text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)}
    mangled |= {text[:i] + chr(ord(text[i]) + 1) + text[i + 1 :] for i in range(len(text))}
    mangled.discard(text)
    for candidate in sorted(mangled):
        with pytest.raises(CheckpointError):
            parse_vkey(candidate)


def test_vkey_with_other_algorithm_or_key_id_is_rejected() -> None:
    raw = base64.b64decode(GO_VKEY.split("+")[2])
    ecdsa_typed = base64.b64encode(b"\x02" + raw[1:]).decode()
    with pytest.raises(CheckpointError, match="Ed25519"):
        parse_vkey(f"PeterNeumann+c74f20a3+{ecdsa_typed}")
    with pytest.raises(CheckpointError, match="sleutel-id"):
        parse_vkey(GO_VKEY.replace("c74f20a3", "c74f20a4"))
    with pytest.raises(CheckpointError, match="sleutel-id"):
        parse_vkey(GO_VKEY.replace("c74f20a3", "C74F20A3"))


def test_signing_key_is_created_once_with_private_permissions(tmp_path) -> None:
    folder = tmp_path / "keys" / "audit"
    key = load_or_create_signing_key(folder, "acme")
    path = folder / "acme.ed25519.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    again = load_or_create_signing_key(str(folder), "acme")
    assert vkey("n", again.public_key()) == vkey("n", key.public_key())
    assert [p.name for p in folder.iterdir()] == ["acme.ed25519.pem"]  # no temporary left


def test_concurrent_first_use_agrees_on_one_key(tmp_path) -> None:
    keys: list[str] = []
    barrier = threading.Barrier(8)

    def create() -> None:
        barrier.wait()
        keys.append(vkey("n", load_or_create_signing_key(tmp_path, "race").public_key()))

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["race.ed25519.pem"]


@pytest.mark.parametrize("slug", ["", "../etc", "Acme", "a/b", ".hidden", "a" * 64])
def test_signing_key_refuses_unsafe_slugs(tmp_path, slug: str) -> None:
    with pytest.raises(ValueError):
        load_or_create_signing_key(tmp_path, slug)


def test_signing_key_file_of_another_type_is_refused(tmp_path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (tmp_path / "acme.ed25519.pem").write_bytes(pem)
    with pytest.raises(ValueError, match="Ed25519"):
        load_or_create_signing_key(tmp_path, "acme")
