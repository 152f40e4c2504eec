"""Known answers for the RFC 9162 Merkle tree, plus agreement with the RFC's own recursion."""

import hashlib
import json
from pathlib import Path

import pytest

from services.audit.merkle import (
    EMPTY_ROOT,
    CompactRange,
    MerkleTree,
    consistency_proof,
    hash_from_hex,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

REPO = Path(__file__).resolve().parents[3]
FIXTURE = REPO / "tests" / "fixtures" / "rfc6962-vectors.json"
SHARED = REPO.parent / "shared" / "testdata" / "rfc6962-vectors.json"
VECTORS = json.loads(FIXTURE.read_text())
LEAVES = [leaf_hash(bytes.fromhex(data)) for data in VECTORS["leaf_inputs_hex"]]


def _hexes(hashes: list[bytes]) -> list[str]:
    return [h.hex() for h in hashes]


def test_fixture_is_the_shared_copy() -> None:
    if not SHARED.exists():
        pytest.skip("no ../shared/testdata next to this clone")
    assert json.loads(SHARED.read_text()) == VECTORS


def test_hash_primitives_are_domain_separated() -> None:
    assert EMPTY_ROOT.hex() == VECTORS["roots_by_tree_size"]["0"] == hashlib.sha256().hexdigest()
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert (
        node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    )


@pytest.mark.parametrize("size", sorted(int(size) for size in VECTORS["roots_by_tree_size"]))
def test_roots(size: int) -> None:
    expected = VECTORS["roots_by_tree_size"][str(size)]
    compact = CompactRange()
    compact.extend(LEAVES[:size])
    assert root(LEAVES[:size]).hex() == expected
    assert MerkleTree(LEAVES).root(size).hex() == expected
    assert MerkleTree(LEAVES[:size]).root().hex() == expected
    assert compact.root().hex() == expected


@pytest.mark.parametrize(
    "vector", VECTORS["inclusion_proofs"], ids=lambda v: f"{v['leaf_index']}-of-{v['tree_size']}"
)
def test_inclusion_proofs(vector: dict) -> None:
    index, size = vector["leaf_index"], vector["tree_size"]
    assert _hexes(inclusion_proof(index, LEAVES[:size])) == vector["proof"]
    proof = [hash_from_hex(h) for h in vector["proof"]]
    assert verify_inclusion(LEAVES[index], index, size, proof, root(LEAVES[:size]))


@pytest.mark.parametrize(
    "vector", VECTORS["consistency_proofs"], ids=lambda v: f"{v['size1']}-to-{v['size2']}"
)
def test_consistency_proofs(vector: dict) -> None:
    size1, size2 = vector["size1"], vector["size2"]
    assert _hexes(consistency_proof(size1, LEAVES[:size2])) == vector["proof"]
    proof = [hash_from_hex(h) for h in vector["proof"]]
    assert verify_consistency(size1, size2, root(LEAVES[:size1]), root(LEAVES[:size2]), proof)


# The RFC 9162 §2.1 definitions written out recursively, as an independent oracle.


def _mth(leaves: list[bytes]) -> bytes:
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def _path(m: int, leaves: list[bytes]) -> list[bytes]:
    if len(leaves) == 1:
        return []
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m < k:
        return _path(m, leaves[:k]) + [_mth(leaves[k:])]
    return _path(m - k, leaves[k:]) + [_mth(leaves[:k])]


def _subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    if m == len(leaves):
        return [] if whole else [_mth(leaves)]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m <= k:
        return _subproof(m, leaves[:k], whole) + [_mth(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [_mth(leaves[:k])]


MANY = [leaf_hash(i.to_bytes(2, "big")) for i in range(70)]
TREE = MerkleTree(MANY)


@pytest.mark.parametrize("size", range(len(MANY) + 1))
def test_agrees_with_the_rfc_recursion(size: int) -> None:
    leaves = MANY[:size]
    assert root(leaves) == TREE.root(size) == _mth(leaves)
    for index in range(size):
        assert TREE.inclusion_proof(index, size) == _path(index, leaves)
    for size1 in range(1, size):
        assert TREE.consistency_proof(size1, size) == _subproof(size1, leaves, True)


def test_edge_case_proofs_are_empty() -> None:
    assert TREE.consistency_proof(0, 10) == []
    assert TREE.consistency_proof(10, 10) == []
    assert TREE.inclusion_proof(0, 1) == []
    assert verify_inclusion(MANY[0], 0, 1, [], MANY[0])
    assert verify_consistency(0, 10, EMPTY_ROOT, TREE.root(10), [])
    assert verify_consistency(10, 10, TREE.root(10), TREE.root(10), [])
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])


@pytest.mark.parametrize(
    "call",
    [
        lambda: TREE.inclusion_proof(5, 5),
        lambda: TREE.inclusion_proof(-1, 5),
        lambda: TREE.inclusion_proof(0, 0),
        lambda: TREE.consistency_proof(6, 5),
        lambda: TREE.consistency_proof(-1, 5),
        lambda: TREE.root(len(MANY) + 1),
        lambda: MerkleTree([b"short"]),
        lambda: root([b"a raw record, not its leaf hash"]),
    ],
)
def test_generators_refuse_impossible_requests(call) -> None:
    with pytest.raises(ValueError):
        call()


def test_compact_range_matches_root_at_every_size() -> None:
    compact = CompactRange()
    for size in range(1, 600):
        compact.append(leaf_hash(size.to_bytes(2, "big")))
        leaves = [leaf_hash(i.to_bytes(2, "big")) for i in range(1, size + 1)]
        assert compact.size == size
        assert compact.root() == root(leaves), size
    assert len(compact.to_state()["hashes"]) == (599).bit_count()


def test_compact_range_state_round_trips_through_json() -> None:
    compact = CompactRange()
    compact.extend(MANY[:45])
    restored = CompactRange.from_state(json.loads(json.dumps(compact.to_state())))
    assert restored.size == 45
    assert restored.root() == compact.root()
    restored.extend(MANY[45:])
    assert restored.root() == root(MANY)


@pytest.mark.parametrize(
    "state",
    [
        {"size": 3, "hashes": [b"\x01".hex() * 32]},  # 3 needs two subtree hashes
        {"size": -1, "hashes": []},
        {"size": True, "hashes": ["00" * 32]},
        {"size": 1, "hashes": ["AB" * 32]},  # hex must be lowercase
        {"size": 1, "hashes": ["00" * 31]},
        {"size": 1, "hashes": [" " + "00" * 32]},
        {"size": 1, "hashes": "00" * 32},
        {"hashes": []},
    ],
)
def test_compact_range_rejects_bad_state(state: dict) -> None:
    with pytest.raises(ValueError):
        CompactRange.from_state(state)


def test_compact_range_rejects_bad_leaf() -> None:
    with pytest.raises(ValueError):
        CompactRange().append(b"\x00" * 31)


@pytest.mark.parametrize("split", [0, 1, 2, 3, 7, 8, 9, 31])
def test_compact_range_extend_equals_append(split: int) -> None:
    """`extend` (the projection's inlined hot path) builds the same state as `append`."""
    from services.audit.merkle import CompactRange, leaf_hash

    leaves = [leaf_hash(bytes([n])) for n in range(40)]
    one, many = CompactRange(), CompactRange()
    for h in leaves:
        one.append(h)
    many.extend(leaves[:split])
    many.extend(leaves[split:])
    assert many.to_state() == one.to_state() and many.root() == one.root()
    with pytest.raises(ValueError):
        many.extend([b"short"])
