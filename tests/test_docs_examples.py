"""The outputs shown in docs/contracts.md are what the tool prints today: every ```console block
there that runs ``boundary-lint check`` is run again on docs/examples/shop/ and compared."""

from __future__ import annotations

import re
import shlex
import shutil
import tomllib
from pathlib import Path

import pytest
from cli_support import run_cli

DOCS = Path(__file__).resolve().parent.parent / "docs"
EXAMPLES = DOCS / "examples" / "shop"
CONSOLE_BLOCK = re.compile(r"```console\n\$ (boundary-lint check [^\n]*)\n(.*?)```", re.DOTALL)


def documented_runs() -> list[tuple[str, str]]:
    return CONSOLE_BLOCK.findall((DOCS / "contracts.md").read_text(encoding="utf-8"))


def test_every_contract_type_has_a_documented_run() -> None:
    configs = {
        shlex.split(command)[shlex.split(command).index("--config") + 1] for command, _ in documented_runs()
    }
    assert configs == {p.name for p in EXAMPLES.glob("*.toml")}


@pytest.mark.parametrize(
    "command, shown", documented_runs(), ids=lambda v: v if v.startswith("boundary") else ""
)
def test_documented_output_is_the_real_output(tmp_path: Path, command: str, shown: str) -> None:
    tree = tmp_path / "shop"
    shutil.copytree(EXAMPLES, tree)
    result = run_cli(*shlex.split(command)[1:], cwd=tree)
    assert result.returncode in (0, 1), result
    assert result.stdout.rstrip("\n") == shown.rstrip("\n")


def test_the_architecture_drawing_is_our_contract_today(tmp_path: Path) -> None:
    """docs/architecture.md shows docs/architecture.dot: what ``graph`` draws of our own layers
    contract now (docs/contributing.md says how to redraw it)."""
    root = DOCS.parent
    result = run_cli(
        "graph",
        "--config",
        "contracts/boundary-lint.toml",
        "--contract",
        "layers",
        "--output",
        tmp_path / "now.dot",
        cwd=root,
    )
    assert result.returncode == 0, result
    assert (tmp_path / "now.dot").read_text() == (DOCS / "architecture.dot").read_text()
    svg = (DOCS / "_static" / "architecture.svg").read_text()
    layers = tomllib.loads((root / "contracts" / "boundary-lint.toml").read_text())["contracts"][0]["layers"]
    for name in (n.strip() for line in layers for n in line.split("|")):
        assert f">{name}</text>" in svg, f"{name} is not in the drawing: redraw it"
