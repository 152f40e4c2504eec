"""The tenant registry: organisations, users, memberships and API clients."""
