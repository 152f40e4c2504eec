"""Merkle tree speed: root of 100,000 leaves, proofs generated and verified per second.

Run: ``python bench/merkle.py``. The last line is one JSON object with the figures.
"""

import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script from a checkout: make `services` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.audit.merkle import (  # noqa: E402
    CompactRange,
    MerkleTree,
    leaf_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

LEAVES = 100_000
PROOFS = 20_000


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of a few runs: the least disturbed by the rest of the machine."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def per_second(count: int, work: Callable[[], object]) -> float:
    return count / best_of(3, work)


def main() -> None:
    records = [i.to_bytes(8, "big") * 32 for i in range(LEAVES)]  # 256-byte records
    leaves = [leaf_hash(record) for record in records]
    tree = MerkleTree(leaves)
    top = tree.root()
    step = LEAVES // PROOFS
    indices = range(0, LEAVES, step)
    proofs = [tree.inclusion_proof(i) for i in indices]
    sizes = range(1, LEAVES, step)
    consistency = [tree.consistency_proof(size) for size in sizes]
    roots = [tree.root(size) for size in sizes]

    def append_all() -> None:
        CompactRange().extend(leaves)

    def verify_all_inclusion() -> None:
        assert all(
            verify_inclusion(leaves[i], i, LEAVES, p, top)
            for i, p in zip(indices, proofs, strict=True)
        )

    def verify_all_consistency() -> None:
        assert all(
            verify_consistency(size, LEAVES, r, top, p)
            for size, r, p in zip(sizes, roots, consistency, strict=True)
        )

    figures = {
        "leaves": LEAVES,
        "leaf_hashes_seconds": round(best_of(3, lambda: [leaf_hash(r) for r in records]), 4),
        "root_seconds": round(best_of(5, lambda: root(leaves)), 4),
        "compact_range_append_all_seconds": round(best_of(3, append_all), 4),
        "tree_build_seconds": round(best_of(3, lambda: MerkleTree(leaves)), 4),
        "inclusion_proofs_generated_per_second": round(
            per_second(PROOFS, lambda: [tree.inclusion_proof(i) for i in indices])
        ),
        "inclusion_proofs_verified_per_second": round(per_second(PROOFS, verify_all_inclusion)),
        "consistency_proofs_generated_per_second": round(
            per_second(PROOFS, lambda: [tree.consistency_proof(size) for size in sizes])
        ),
        "consistency_proofs_verified_per_second": round(per_second(PROOFS, verify_all_consistency)),
        "machine": {
            "node": platform.node(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
        },
    }
    for name, value in figures.items():
        if name != "machine":
            print(f"{name:42} {value:>12,}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
