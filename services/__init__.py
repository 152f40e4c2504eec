"""Jobtrail services: one package per bounded context, wired together in services.app."""
