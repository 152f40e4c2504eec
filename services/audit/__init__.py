"""Audit: tamper-evident log (Merkle tree, signed checkpoints), auditor grants, evidence packs."""
