"""The house style is checked with the pinned ruff of the test environment."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from repo_paths import ROOT

RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which(
    "ruff"
)


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
@pytest.mark.parametrize(
    "args", [["check", "--no-fix"], ["format", "--check"]], ids=["lint", "format"]
)
def test_ruff(args):
    result = subprocess.run(
        [RUFF, *args, "."], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
