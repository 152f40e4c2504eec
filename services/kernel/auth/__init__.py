"""Authentication and authorisation: passwords, TOTP, roles and scopes, tokens."""
