"""RFC 9162 (RFC 6962) Merkle tree hashing, proofs and their verification.

Standard library only: the offline verifier (``jobtrail-verify``) imports this module.

Hashes are 32-byte ``bytes``. A leaf hash is SHA-256(0x00 || data), an inner node
SHA-256(0x01 || left || right), the empty tree's root SHA-256 of nothing. Proofs are
generated as RFC 9162 §2.1.3.1 (PATH) and §2.1.4.1 (PROOF/SUBPROOF) define them, and
verified exactly as §2.1.3.2 and §2.1.4.2 prescribe.

Proof nodes are opaque hashes, so no verifier can tell a leaf from an inner node: a proof
for (index, size) also passes for another size whose tree has the same path shape (index 0
in sizes 3 and 4, say) *if* given the same root. A signed checkpoint binds a root to its
size, so always take size and root together from one verified checkpoint.
"""

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
_HEX_HASH = re.compile(r"[0-9a-f]{64}")


def leaf_hash(data: bytes) -> bytes:
    """The hash of a leaf: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an inner node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def hash_from_hex(text: str) -> bytes:
    """Parse a lowercase 64-digit hex hash strictly (``bytes.fromhex`` would accept spaces)."""
    if not isinstance(text, str) or not _HEX_HASH.fullmatch(text):
        raise ValueError(f"not a 64-digit lowercase hex hash: {text!r:.80}")
    return bytes.fromhex(text)


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2): where RFC 9162 splits a tree."""
    return 1 << ((n - 1).bit_length() - 1)


def _pair_up(level: list[bytes]) -> list[bytes]:
    """Hash neighbours pairwise; an odd last node has no partner at this level."""
    sha256 = hashlib.sha256
    return [
        sha256(b"\x01" + left + right).digest()
        for left, right in zip(level[0::2], level[1::2], strict=False)
    ]


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over the leaf hashes.

    Pairing bottom-up and promoting an odd last node unchanged builds exactly the RFC's
    tree (split at the largest power of two below n), without recursion.
    """
    if not leaf_hashes:
        return EMPTY_ROOT
    level = list(leaf_hashes)
    if not all(_is_hash(h) for h in level):  # catches raw records passed by mistake
        raise ValueError("leaf hashes must be 32-byte values")
    while len(level) > 1:
        paired = _pair_up(level)
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


class MerkleTree:
    """Every perfect subtree of a list of leaf hashes: proofs for any size up to its length.

    ``levels[h][i]`` is the hash of leaves [i * 2**h, (i + 1) * 2**h); building them costs
    one pass like ``root``, after which each proof takes O(log² n) hashes at most.
    """

    def __init__(self, leaf_hashes: Iterable[bytes]) -> None:
        level = list(leaf_hashes)
        if not all(_is_hash(h) for h in level):
            raise ValueError("leaf hashes must be 32-byte values")
        self._levels = [level]
        while len(level) > 1:
            level = _pair_up(level)
            self._levels.append(level)

    @property
    def size(self) -> int:
        return len(self._levels[0])

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first ``size`` leaves (all of them by default)."""
        size = self._checked_size(size)
        return self._hash(0, size) if size else EMPTY_ROOT

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]), RFC 9162 §2.1.3.1: the sibling nearest the leaf first."""
        size = self._checked_size(size)
        if not (_is_size(index) and index < size):
            raise ValueError(f"leaf index {index!r} is not within tree size {size}")
        proof = []
        start, end = 0, size
        while end - start > 1:
            middle = start + _split(end - start)
            if index < middle:
                proof.append(self._hash(middle, end))
                end = middle
            else:
                proof.append(self._hash(start, middle))
                start = middle
        proof.reverse()
        return proof

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        """PROOF(size1, D[0:size2]), RFC 9162 §2.1.4.1; empty when size1 is 0 or size2."""
        size2 = self._checked_size(size2)
        if not (_is_size(size1) and size1 <= size2):
            raise ValueError(f"size1 {size1!r} is not within 0..{size2}")
        if size1 == 0:
            return []
        proof = []
        start, end, whole = 0, size2, True  # whole: SUBPROOF's b, "the old root is this root"
        while size1 != end:
            middle = start + _split(end - start)
            if size1 <= middle:
                proof.append(self._hash(middle, end))
                end = middle
            else:
                proof.append(self._hash(start, middle))
                start, whole = middle, False
        if not whole:
            proof.append(self._hash(start, end))
        proof.reverse()
        return proof

    def _checked_size(self, size: int | None) -> int:
        if size is None:
            return self.size
        if not (_is_size(size) and size <= self.size):
            raise ValueError(f"tree size {size!r} is not within 0..{self.size}")
        return size

    def _hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a subtree of the RFC recursion (start is aligned)."""
        width = end - start
        if width & (width - 1) == 0:
            height = width.bit_length() - 1
            return self._levels[height][start >> height]
        middle = start + _split(width)
        return node_hash(self._hash(start, middle), self._hash(middle, end))


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """The inclusion proof of leaf ``index`` in the tree of all ``leaf_hashes``."""
    return MerkleTree(leaf_hashes).inclusion_proof(index)


def consistency_proof(m: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """The proof that the tree of the first ``m`` leaves is a prefix of the whole tree."""
    return MerkleTree(leaf_hashes).consistency_proof(m)


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` put ``leaf_hash`` at ``index`` under ``root``?"""
    if not (_is_hash(leaf_hash) and _is_hash(root) and all(_is_hash(p) for p in proof)):
        return False
    if not (_is_size(index) and _is_size(tree_size) and index < tree_size):
        return False
    fn, sn = index, tree_size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree (size1, root1) a prefix of the tree (size2, root2)?

    The RFC covers 0 < size1 < size2. For the edge cases RFC 9162's PROOF yields an empty
    proof, so: size1 == 0 needs an empty proof and the empty root (every tree extends the
    empty tree, so root2 is then only checked for size2 == 0); size1 == size2 needs an
    empty proof and equal roots.
    """
    if not (_is_hash(root1) and _is_hash(root2) and all(_is_hash(c) for c in proof)):
        return False
    if not (_is_size(size1) and _is_size(size2) and size1 <= size2):
        return False
    if size1 == 0:
        return not proof and root1 == EMPTY_ROOT and (size2 > 0 or root2 == EMPTY_ROOT)
    if size1 == size2:
        return not proof and root1 == root2
    if not proof:
        return False
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == root1 and sr == root2


class CompactRange:
    """Incremental Merkle root of the leaves [0, size) in O(log n) memory.

    Keeps one perfect-subtree root per set bit of ``size``, largest (leftmost) first;
    appending a leaf merges it with the trailing subtrees of equal height, like a carry.
    """

    __slots__ = ("_size", "_hashes")

    def __init__(self) -> None:
        self._size = 0
        self._hashes: list[bytes] = []

    @property
    def size(self) -> int:
        return self._size

    def append(self, leaf_hash: bytes) -> None:
        if not _is_hash(leaf_hash):
            raise ValueError("a leaf hash must be a 32-byte value")
        merged, size = leaf_hash, self._size
        while size & 1:
            merged = node_hash(self._hashes.pop(), merged)
            size >>= 1
        self._hashes.append(merged)
        self._size += 1

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """`append` for many leaves, inlined: the projection's hot path (same hashes)."""
        hashes, size, sha256 = self._hashes, self._size, hashlib.sha256
        for merged in leaf_hashes:
            if type(merged) is not bytes or len(merged) != HASH_SIZE:
                raise ValueError("a leaf hash must be a 32-byte value")
            carry = size
            while carry & 1:
                merged = sha256(b"\x01" + hashes.pop() + merged).digest()
                carry >>= 1
            hashes.append(merged)
            size += 1
        self._size = size

    def root(self) -> bytes:
        """MTH of all appended leaves: fold the subtree roots right to left."""
        if not self._hashes:
            return EMPTY_ROOT
        result = self._hashes[-1]
        for h in reversed(self._hashes[:-1]):
            result = node_hash(h, result)
        return result

    def to_state(self) -> dict[str, Any]:
        """A JSON-ready snapshot: ``{"size": n, "hashes": [hex, ...]}``."""
        return {"size": self._size, "hashes": [h.hex() for h in self._hashes]}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> "CompactRange":
        """Restore a snapshot from ``to_state``; raises ValueError if it is not one."""
        size, hex_hashes = state.get("size"), state.get("hashes")
        if not _is_size(size) or not isinstance(hex_hashes, list):
            raise ValueError("state needs an integer 'size' >= 0 and a list 'hashes'")
        if len(hex_hashes) != size.bit_count():
            raise ValueError(f"size {size} needs {size.bit_count()} hashes, got {len(hex_hashes)}")
        restored = cls()
        restored._size = size
        restored._hashes = [hash_from_hex(h) for h in hex_hashes]
        return restored
