"""Training policy, registers and readiness per jobcoach, peer review."""
