"""Every honest proof verifies; every mutation of one is rejected.

The oracle for "honest": the roots are the true roots for the sizes claimed, and the proof
is exactly what the generator gives for that statement. A mutated statement that happens
to be true with the same proof (an empty proof stays valid from size 0) counts as honest.
"""

import random
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.audit.merkle import MerkleTree, leaf_hash, verify_consistency, verify_inclusion

LEAVES = [leaf_hash(i.to_bytes(4, "big")) for i in range(3000)]
TREE = MerkleTree(LEAVES)
SIZES = [*range(1, 34), 63, 64, 65, 100, 127, 128, 129, 1000, 2047, 2048, 2049]
OTHER = leaf_hash(b"not in the log")
BITS = [0, 1, 7, 8, 100, 128, 200, 255]  # across bytes and both ends


def _root(size: int) -> bytes:
    return TREE.root(size)


def _indices(size: int) -> list[int]:
    if size <= 40:
        return list(range(size))
    return sorted(
        {0, 1, size // 2, size - 2, size - 1, *random.Random(size).sample(range(size), 6)}
    )


def _flip(node: bytes, bit: int) -> bytes:
    flipped = bytearray(node)
    flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped)


def _proof_mutations(proof: list[bytes], bits: list[int]) -> Iterator[tuple[str, list[bytes]]]:
    for position, node in enumerate(proof):
        for bit in bits:
            yield (
                f"flip node {position} bit {bit}",
                [*proof[:position], _flip(node, bit), *proof[position + 1 :]],
            )
        yield f"drop node {position}", proof[:position] + proof[position + 1 :]
        yield f"duplicate node {position}", [*proof[: position + 1], node, *proof[position + 1 :]]
        yield f"insert before {position}", [*proof[:position], OTHER, *proof[position:]]
        yield f"shorten node {position}", [*proof[:position], node[:-1], *proof[position + 1 :]]
    for i in range(len(proof)):
        for j in range(i + 1, len(proof)):
            if proof[i] != proof[j]:
                swapped = list(proof)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                yield f"swap {i} and {j}", swapped
    yield "append", [*proof, OTHER]
    yield "prepend", [OTHER, *proof]
    if len(proof) > 1:
        yield "reverse", proof[::-1]
    if proof:
        yield "empty", []


def _inclusion_is_honest(leaf: bytes, index: int, size: int, proof: list[bytes]) -> bool:
    return (
        0 <= index < size <= TREE.size
        and leaf == LEAVES[index]
        and proof == TREE.inclusion_proof(index, size)
    )


def _consistency_is_honest(size1: int, size2: int, proof: list[bytes]) -> bool:
    return 0 <= size1 <= size2 <= TREE.size and proof == TREE.consistency_proof(size1, size2)


@pytest.mark.parametrize("size", SIZES)
def test_inclusion_proof_mutations_are_rejected(size: int) -> None:
    root = _root(size)
    for index in _indices(size):
        leaf, proof = LEAVES[index], TREE.inclusion_proof(index, size)
        assert verify_inclusion(leaf, index, size, proof, root)
        bits = range(256) if size in (7, 8, 9) else BITS
        for what, mutated in _proof_mutations(proof, list(bits)):
            assert not verify_inclusion(leaf, index, size, mutated, root), (size, index, what)
        for other in {*_indices(size), index - 1, index + 1, size, size + 1, -1} - {index}:
            assert not verify_inclusion(leaf, other, size, proof, root), (size, index, other)
        for other_size in (size - 1, size + 1, 2 * size):
            if 0 <= other_size <= TREE.size:
                claim = (leaf, index, other_size, proof)
                assert verify_inclusion(*claim, _root(other_size)) == _inclusion_is_honest(*claim)
        for bit in BITS:
            assert not verify_inclusion(leaf, index, size, proof, _flip(root, bit))
            assert not verify_inclusion(_flip(leaf, bit), index, size, proof, root)
        assert not verify_inclusion(OTHER, index, size, proof, root)
        if size > 1:  # a one-leaf tree's root is its leaf
            assert not verify_inclusion(leaf, index, size, proof, leaf)


@pytest.mark.parametrize("size2", SIZES)
def test_consistency_proof_mutations_are_rejected(size2: int) -> None:
    root2 = _root(size2)
    for size1 in [0, *_indices(size2), size2]:
        root1, proof = _root(size1), TREE.consistency_proof(size1, size2)
        assert verify_consistency(size1, size2, root1, root2, proof)
        bits = range(256) if size2 in (7, 8, 9) else BITS
        for what, mutated in _proof_mutations(proof, list(bits)):
            assert not verify_consistency(size1, size2, root1, root2, mutated), (size1, what)
        for a, b in [
            (size1 - 1, size2),
            (size1 + 1, size2),
            (size1, size2 - 1),
            (size1, size2 + 1),
        ]:
            if 0 <= a <= TREE.size and 0 <= b <= TREE.size:
                expected = _consistency_is_honest(a, b, proof)
                assert verify_consistency(a, b, _root(a), _root(b), proof) == expected, (a, b)
        for bit in BITS:
            assert not verify_consistency(size1, size2, _flip(root1, bit), root2, proof)
            if size1:  # every tree extends the empty tree: nothing there binds root2
                assert not verify_consistency(size1, size2, root1, _flip(root2, bit), proof)
        if size1 != size2:
            assert not verify_consistency(size2, size1, root2, root1, proof)
            assert not verify_consistency(size1, size2, root2, root1, proof)


def test_a_fork_is_not_consistent() -> None:
    forked = MerkleTree([*LEAVES[:10], OTHER, *LEAVES[11:20]])
    proof = forked.consistency_proof(12, 20)
    assert verify_consistency(12, 20, forked.root(12), forked.root(20), proof)
    assert not verify_consistency(12, 20, TREE.root(12), forked.root(20), proof)
    assert not verify_consistency(12, 20, TREE.root(12), TREE.root(20), proof)


def test_non_bytes_and_non_int_inputs_are_rejected_not_raised() -> None:
    proof = TREE.inclusion_proof(3, 10)
    root = TREE.root(10)
    assert not verify_inclusion(LEAVES[3].hex(), 3, 10, proof, root)  # type: ignore[arg-type]
    assert not verify_inclusion(LEAVES[3], 3.0, 10, proof, root)  # type: ignore[arg-type]
    assert not verify_inclusion(LEAVES[3], True, 10, proof, root)
    assert not verify_inclusion(LEAVES[3], 3, 10, [p.hex() for p in proof], root)  # type: ignore[misc]
    assert not verify_consistency(3, 10, TREE.root(3), root, [None])  # type: ignore[list-item]


def test_known_limit_same_root_with_a_size_of_the_same_shape() -> None:
    """Proof nodes are opaque, so index 0 of size 3 and of size 4 look alike to the
    verifier given one root. Sizes and roots must come together from a signed checkpoint;
    with the true root for the claimed size, the same proof is rejected."""
    proof = TREE.inclusion_proof(0, 3)
    assert verify_inclusion(LEAVES[0], 0, 4, proof, TREE.root(3))
    assert not verify_inclusion(LEAVES[0], 0, 4, proof, TREE.root(4))


mutation = st.sampled_from(["flip", "drop", "insert", "swap", "append", "truncate"])


def _mutate(proof: list[bytes], kind: str, data: st.DataObject) -> list[bytes] | None:
    """One random mutation, or None when the proof is too short for this kind."""
    if kind == "append":
        return [*proof, data.draw(st.binary(min_size=32, max_size=32))]
    if not proof:
        return None
    position = data.draw(st.integers(0, len(proof) - 1))
    if kind == "flip":
        return [
            *proof[:position],
            _flip(proof[position], data.draw(st.integers(0, 255))),
            *proof[position + 1 :],
        ]
    if kind == "drop":
        return proof[:position] + proof[position + 1 :]
    if kind == "insert":
        return [
            *proof[:position],
            data.draw(st.binary(min_size=32, max_size=32)),
            *proof[position:],
        ]
    if kind == "truncate":
        return proof[:position]
    other = data.draw(st.integers(0, len(proof) - 1))  # kind == "swap"
    if proof[other] == proof[position]:
        return None
    swapped = list(proof)
    swapped[position], swapped[other] = swapped[other], swapped[position]
    return swapped


@settings(max_examples=300, deadline=None, database=None)
@given(size=st.integers(1, TREE.size), kind=mutation, data=st.data())
def test_random_inclusion_mutations_are_rejected(size: int, kind: str, data) -> None:
    index = data.draw(st.integers(0, size - 1))
    proof = TREE.inclusion_proof(index, size)
    assert verify_inclusion(LEAVES[index], index, size, proof, TREE.root(size))
    mutated = _mutate(proof, kind, data)
    if mutated is not None:
        assert not verify_inclusion(LEAVES[index], index, size, mutated, TREE.root(size))


@settings(max_examples=300, deadline=None, database=None)
@given(size2=st.integers(1, TREE.size), kind=mutation, data=st.data())
def test_random_consistency_mutations_are_rejected(size2: int, kind: str, data) -> None:
    size1 = data.draw(st.integers(1, size2))
    roots = TREE.root(size1), TREE.root(size2)
    proof = TREE.consistency_proof(size1, size2)
    assert verify_consistency(size1, size2, *roots, proof)
    mutated = _mutate(proof, kind, data)
    if mutated is not None:
        assert not verify_consistency(size1, size2, *roots, mutated)
