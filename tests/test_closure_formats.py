"""``boundary-lint closure`` output formats, through the CLI as a subprocess: the rsync filter
run by the real rsync on names holding its wildcard characters, and ``--format requirements``."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cli_support import clean_env, run_cli, write
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
        write(
            root / source_root / package / "__init__.py",
            f"from {package} import mod\n" + "".join(f"import {p}\n" for p in others[:1]),
        )
        write(root / source_root / package / "mod.py", "")
    for decoy in DECOYS:
        write(root / decoy, "")
    roots = ", ".join('"' + r.replace("\\", "\\\\") + '"' for r in WILD_ROOTS.values())
    write(
        root / "boundary-lint.toml",
        f"root_packages = [{', '.join(repr(p) for p in WILD_ROOTS)}]\n"
        f"source_roots = [{roots}]\ncache_dir = false\n".replace("'", '"')
        + CONTRACT,
    )
    return root


def test_rsync_filter_escapes_wildcards_and_rsync_copies_exactly_the_closure(tmp_path: Path) -> None:
    rsync = require_tool("rsync", package="rsync")
    root = wild_project(tmp_path / "project")
    files = run_cli("closure", "--config", "boundary-lint.toml", "pkg1", "--format", "files", cwd=root)
    assert files.returncode == 0, files
    expected = sorted(files.stdout.splitlines())
    assert expected == sorted(
        f"{r}/{p}/{m}" for p, r in WILD_ROOTS.items() for m in ("__init__.py", "mod.py")
    )
    result = run_cli("closure", "--config", "boundary-lint.toml", "pkg1", "--format", "rsync", cwd=root)
    assert result.returncode == 0, result
    assert "+ /src\\[1]/pkg1/mod.py" in result.stdout.splitlines()
    assert "+ /back\\slash/pkg4/mod.py" in result.stdout.splitlines()  # no wildcard: literal
    assert "+ /w\\[x]\\\\y/pkg3/mod.py" in result.stdout.splitlines()  # wildcard: the backslash escaped
    (tmp_path / "filter").write_text(result.stdout)
    target = tmp_path / "deployed"
    subprocess.run(
        [rsync, "-a", f"--filter=. {tmp_path / 'filter'}", f"{root}/", f"{target}/"], check=True, timeout=60
    )
    copied = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert copied == expected


def test_rsync_filter_refuses_a_path_with_a_line_break(tmp_path: Path) -> None:
    write(tmp_path / "src\nx" / "pkg" / "__init__.py", "")
    write(
        tmp_path / "boundary-lint.toml",
        'root_packages = ["pkg"]\nsource_roots = ["src\\nx"]\ncache_dir = false\n' + CONTRACT,
    )
    result = run_cli("closure", "--config", "boundary-lint.toml", "pkg", "--format", "rsync", cwd=tmp_path)
    assert result.returncode == 2, result
    assert result.stdout == "" and "Traceback" not in result.stderr, result
    assert "line break" in result.stderr, result


# --- --format requirements ------------------------------------------------------------------

GUEST_IMPORTS = """
    import yaml
    from oslo_config import cfg
    from dateutil import parser
    import novaclient.client
    import fancyimport
    import helperimport
    import frobnicate_xyz
    import os, json
"""


def requirements_project(root: Path) -> Path:
    """``guest`` imports third-party packages under several kinds of names; ``core`` imports
    alembic, which the guest does not need."""
    write(root / "guest" / "__init__.py", GUEST_IMPORTS)
    write(root / "core" / "__init__.py", "import alembic\nimport guest\n")
    write(root / "boundary-lint.toml", 'root_packages = ["guest", "core"]\ncache_dir = false\n' + CONTRACT)
    # Installed metadata, never imported (there is no fancyimport module anywhere): fancy-dist
    # provides the top-level name fancyimport, helper-dist provides helperimport.
    for dist, top_level in (("fancy_dist", "fancyimport"), ("helper_dist", "helperimport")):
        info = root.parent / "site" / f"{dist}-1.0.dist-info"
        write(info / "METADATA", f"Metadata-Version: 2.1\nName: {dist.replace('_', '-')}\nVersion: 1.0\n")
        write(info / "top_level.txt", f"{top_level}\n")
    return root


def requirements(root: Path, *packages: str) -> tuple[int, str, str]:
    env = clean_env(PYTHONPATH=str(root.parent / "site"))
    result = run_cli(
        "closure", "--config", "boundary-lint.toml", *packages, "--format", "requirements", cwd=root, env=env
    )
    assert "Traceback" not in result.stderr, result
    return result.returncode, result.stdout, result.stderr


UNCOVERED = """\
# imported, not in the project's requirements (installed as):
#   helperimport: helper-dist
# imported, no distribution found (not installed here, no known name):
#   frobnicate_xyz
"""


def test_requirements_txt_lines_kept_as_written(tmp_path: Path) -> None:
    root = requirements_project(tmp_path / "project")
    write(
        root / "requirements.txt",
        """
        # Lower bounds are best effort.
        alembic>=1.8.0
        PyYAML>=5.1 # MIT
        oslo.config>=6.8.0,!=7.0.1  # Apache-2.0
        -r more-requirements.txt
        -c constraints.txt
        --index-url https://example.org/simple
        Fancy.Dist[speed]>=2 ; python_version >= "3.11"  # found through installed metadata only
        https://example.org/unnamed.tar.gz
    """,
    )
    write(
        root / "more-requirements.txt",
        """
        python-dateutil>=2.8;sys_platform!='win32' # BSD
        python_novaclient @ https://example.org/novaclient.tar.gz
        requests>=2
    """,
    )
    status, out, err = requirements(root, "guest")
    assert status == 0
    assert (
        out
        == "\n".join(
            [
                "# boundary-lint closure guest: 5 of the project's 7 requirements",
                "PyYAML>=5.1 # MIT",
                "oslo.config>=6.8.0,!=7.0.1  # Apache-2.0",
                "python-dateutil>=2.8;sys_platform!='win32' # BSD",
                "python_novaclient @ https://example.org/novaclient.tar.gz",
                'Fancy.Dist[speed]>=2 ; python_version >= "3.11"  # found through installed metadata only',
            ]
        )
        + "\n"
        + UNCOVERED
    )
    assert "2 imported package(s) not covered" in err
    # The whole project needs alembic too.
    _, everything, _ = requirements(root, "core")
    assert "alembic>=1.8.0\n" in everything and everything.startswith("# boundary-lint closure core: 6 of")


def test_requirements_from_setup_cfg_install_requires(tmp_path: Path) -> None:
    root = requirements_project(tmp_path / "project")
    write(
        root / "setup.cfg",
        """
        [metadata]
        name = guest

        [options]
        install_requires =
            alembic
            pyyaml
            oslo-config>=6
            python-dateutil
            python-novaclient>=9.1.0; python_version>="3.8"
            fancy_dist
    """,
    )
    status, out, _ = requirements(root, "guest")
    assert status == 0
    assert out.splitlines()[:7] == [
        "# boundary-lint closure guest: 5 of the project's 6 requirements",
        "pyyaml",
        "oslo-config>=6",
        "python-dateutil",
        'python-novaclient>=9.1.0; python_version>="3.8"',
        "fancy_dist",
        "# imported, not in the project's requirements (installed as):",
    ]


def test_requirements_from_pyproject_dependencies(tmp_path: Path) -> None:
    root = requirements_project(tmp_path / "project")
    write(
        root / "pyproject.toml",
        """
        [project]
        name = "guest"
        dependencies = [
            "alembic",
            "PyYAML>=6",
            "oslo.config",
            "python-dateutil",
            "python-novaclient",
            "fancy-dist; os_name == 'posix'",
        ]
    """,
    )
    status, out, _ = requirements(root, "guest")
    assert status == 0
    assert (
        out
        == "\n".join(
            [
                "# boundary-lint closure guest: 5 of the project's 6 requirements",
                "PyYAML>=6",
                "oslo.config",
                "python-dateutil",
                "python-novaclient",
                "fancy-dist; os_name == 'posix'",
            ]
        )
        + "\n"
        + UNCOVERED
    )


def test_requirements_without_any_requirement_file_is_an_error(tmp_path: Path) -> None:
    root = requirements_project(tmp_path / "project")
    status, out, err = requirements(root, "guest")
    assert status == 2 and out == ""
    assert err.startswith("boundary-lint: error: no requirements found (requirements.txt, setup.cfg"), err
