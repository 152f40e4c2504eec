"""docs/auth.md lists exactly the scopes each role has (roles.py is the source)."""

import re
from pathlib import Path

from services.kernel.auth.roles import ROLE_SCOPES

DOC = Path(__file__).resolve().parents[3] / "docs" / "auth.md"


def test_scope_table_matches_roles():
    table = {
        match[1]: set(re.findall(r"`([a-z_]+:[a-z]+)`", match[2]))
        for match in re.finditer(r"^\| `([a-z_]+)` \| (.+) \|$", DOC.read_text(), re.MULTILINE)
    }
    assert table == {role.value: set(scopes) for role, scopes in ROLE_SCOPES.items()}
