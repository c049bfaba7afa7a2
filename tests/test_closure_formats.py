"""``boundary-lint closure`` output formats, through the CLI as a subprocess: the rsync filter
run by the real rsync on names holding its wildcard characters, and ``--format requirements``."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cli_support import run_cli, write
from system_tools import require_tool

# closure needs no contract, but a configuration needs one.
CONTRACT = '\n[[contracts]]\nid = "refs"\ntype = "references"\n'

# Source roots whose names hold rsync's wildcard characters (and a backslash, which is an
# escape only in a pattern with wildcards), next to decoys that the unescaped patterns match.
WILD_ROOTS = {"pkg1": "src[1]", "pkg2": "st*r/q?", "pkg3": "w[x]\\y", "pkg4": "back\\slash"}
DECOYS = ["src1/pkg1/__init__.py", "stXr/qZ/pkg2/__init__.py", "w[x]\\y/stray.py", "wx\\y/pkg3/__init__.py"]


def wild_project(root: Path) -> Path:
    for package, source_root in WILD_ROOTS.items():
        others = [p for p in WILD_ROOTS if p > package]
        write(root / source_root / package / "__init__.py", f"from {package} import mod\n" + "".join(
            f"import {p}\n" for p in others[:1]))
        write(root / source_root / package / "mod.py", "")
    for decoy in DECOYS:
        write(root / decoy, "")
    roots = ", ".join('"' + r.replace("\\", "\\\\") + '"' for r in WILD_ROOTS.values())
    write(root / "boundary-lint.toml", f"root_packages = [{', '.join(repr(p) for p in WILD_ROOTS)}]\n"
          f"source_roots = [{roots}]\ncache_dir = false\n".replace("'", '"') + CONTRACT)
    return root


def test_rsync_filter_escapes_wildcards_and_rsync_copies_exactly_the_closure(tmp_path: Path) -> None:
    rsync = require_tool("rsync", package="rsync")
    root = wild_project(tmp_path / "project")
    files = run_cli("closure", "--config", "boundary-lint.toml", "pkg1", "--format", "files", cwd=root)
    assert files.returncode == 0, files
    expected = sorted(files.stdout.splitlines())
    assert expected == sorted(f"{r}/{p}/{m}" for p, r in WILD_ROOTS.items() for m in ("__init__.py", "mod.py"))
    result = run_cli("closure", "--config", "boundary-lint.toml", "pkg1", "--format", "rsync", cwd=root)
    assert result.returncode == 0, result
    assert "+ /src\\[1]/pkg1/mod.py" in result.stdout.splitlines()
    assert "+ /back\\slash/pkg4/mod.py" in result.stdout.splitlines()  # no wildcard: literal
    assert "+ /w\\[x]\\\\y/pkg3/mod.py" in result.stdout.splitlines()  # wildcard: the backslash escaped
    (tmp_path / "filter").write_text(result.stdout)
    target = tmp_path / "deployed"
    subprocess.run([rsync, "-a", f"--filter=. {tmp_path / 'filter'}", f"{root}/", f"{target}/"],
                   check=True, timeout=60)
    copied = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert copied == expected


def test_rsync_filter_refuses_a_path_with_a_line_break(tmp_path: Path) -> None:
    write(tmp_path / "src\nx" / "pkg" / "__init__.py", "")
    write(tmp_path / "boundary-lint.toml", 'root_packages = ["pkg"]\nsource_roots = ["src\\nx"]\ncache_dir = false\n' + CONTRACT)
    result = run_cli("closure", "--config", "boundary-lint.toml", "pkg", "--format", "rsync", cwd=tmp_path)
    assert result.returncode == 2, result
    assert result.stdout == "" and "Traceback" not in result.stderr, result
    assert "line break" in result.stderr, result
