"""Kernel: no domain knowledge. Settings, tenancy context, base events, storage, auth, jobs."""
