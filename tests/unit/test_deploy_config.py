"""deploy/ stays in step with the code: every setting in the env template, valid compose."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_check_passes():
    result = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "check.py")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
