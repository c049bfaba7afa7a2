"""boundary-lint's own layering contract is kept, and would catch a break."""

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def check(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "boundary_lint", "check", "--config", str(config), "--format", "concise"],
        capture_output=True,
        text=True,
        check=False,
    )


def test_own_contract_is_kept() -> None:
    result = check(ROOT / "contracts" / "boundary-lint.toml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_own_contract_catches_a_layer_break(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "boundary_lint", tmp_path / "boundary_lint")
    (tmp_path / "contracts").mkdir()
    shutil.copy(ROOT / "contracts" / "boundary-lint.toml", tmp_path / "contracts")
    report = tmp_path / "boundary_lint" / "report.py"
    report.write_text(report.read_text() + "\nfrom boundary_lint import engine\n")
    result = check(tmp_path / "contracts" / "boundary-lint.toml")
    assert result.returncode == 1
    assert any(
        line.startswith("../boundary_lint/report.py:") and "BND111" in line
        for line in result.stdout.splitlines()
    )
