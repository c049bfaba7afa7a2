"""benchmarks/compare_with_importlinter.py, run as a script on a broken tree: it reads
import-linter 2.16's reports of every chain-reporting type (an independence contract's chains
are routes, not lists of links) and wildcard source modules, and finds each chain among ours."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import write

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "compare_with_importlinter.py"

CONFIG = """\
[importlinter]
root_package = app

[importlinter:contract:forbidden]
name = plugins never import the core
type = forbidden
source_modules = app.plugins.*
forbidden_modules = app.core

[importlinter:contract:independence]
name = plugins are independent
type = independence
modules = app.plugins.*

[importlinter:contract:layers]
name = core above plugins
type = layers
layers =
    app.core
    app.plugins
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for module in ("__init__", "core/__init__", "core/models", "plugins/__init__", "shared"):
        write(tmp_path / "app" / f"{module}.py", "")
    write(tmp_path / "app" / "shared.py", "import app.core.models\nimport app.plugins.two\n")
    write(tmp_path / "app" / "plugins" / "one" / "__init__.py", "from app import shared\n")
    write(tmp_path / "app" / "plugins" / "two" / "__init__.py", "")
    write(tmp_path / "app" / "plugins" / "two" / "api.py", "import app.core\nfrom .. import one\n")
    write(tmp_path / ".importlinter", CONFIG)
    return tmp_path


def test_every_chain_of_every_type_is_found(tree: Path) -> None:
    config = str(tree / ".importlinter")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(tree), config, config],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tree,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("plugins never import the core", "plugins are independent", "core above plugins"):
        section = result.stdout.split(f"\n{name}:\n", 1)[1]
        assert section.startswith("  import-linter: broken, "), result.stdout
        assert "same verdict: True; import-linter chains not found by us: 0" in section.split("\n")[2]
