"""Projections runtime (catch-up, rebuild, status, sweeper) and cross-context read models."""
