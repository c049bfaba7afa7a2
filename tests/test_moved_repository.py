"""The moved contract and ``fix`` over the whole repository: every Python file (scripts,
migrations, directories that are not packages, top-level directories outside the root
packages), comments and docstrings, every text file (setup.cfg, pyproject.toml, tox.ini, paste
.ini, .conf samples, docs, YAML, JSON, templates), dotted and file-path forms; and ``fix``
keeping every other byte (CRLF, BOM, PEP 263 latin-1), never writing through a symbolic link.
All through the CLI (and flake8) as subprocesses, on trees written here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_support import run_cli

from boundary_lint.graph.cache import RACY_NS

CONFIG = """\
[tool.boundary_lint]
root_packages = ["trove", "troveguest"]
cache_dir = false

[[tool.boundary_lint.contracts]]
id = "moved"
name = "trove.guestagent is now troveguest"
type = "moved"
moves = ["trove.guestagent -> troveguest"]
exclude = ["releasenotes/**"]
"""

# path -> (content, the lines `check --format concise` gives for it, as "line:col: CODE")
FILES: dict[str, tuple[str, list[str]]] = {
    "trove/__init__.py": ("", []),
    "trove/taskmanager/__init__.py": ("", []),
    "trove/taskmanager/api.py": (
        '"""Calls the guest: see trove.guestagent.api.API."""\n'
        "from trove.guestagent import api  # the guest agent's API lives in trove/guestagent/api.py\n",
        ["1:25: BND204", "2:30: BND201", "2:68: BND206"],
    ),
    "troveguest/__init__.py": ("", []),
    "troveguest/api.py": ("class API:\n    pass\n", []),
    # a migration directory without __init__.py, inside a root package
    "trove/db/migrations/versions/001_initial.py": ("import trove.guestagent.api\n", ["1:8: BND201"]),
    # a directory whose name is not a package name
    "trove/tests/domain-name-service/test_driver.py": (
        "from trove.guestagent.api import API\n",
        ["1:34: BND201"],
    ),
    # a top-level directory outside the root packages, and a script
    "backup/main.py": ("X = 'trove.guestagent.api:API'\n", ["1:5: BND203"]),
    "tools/start-guest": ("#!/bin/sh\nexec python -m trove.guestagent.api\n", ["2:16: BND205"]),
    "setup.cfg": (
        "[files]\npackages =\n    trove\n\n[entry_points]\ntrove.guestagent.module.drivers =\n"
        "    ping = trove.guestagent.module.drivers.ping_driver:PingDriver\n",
        ["2:1: BND207", "6:1: BND205", "7:12: BND205"],
    ),
    "setup.py": (
        "import setuptools\nsetuptools.setup(entry_points={'x': ['a = trove.guestagent.api:main']})\n",
        ["2:43: BND204"],
    ),
    "tox.ini": ("[testenv]\ncommands = coverage run -a trove/guestagent/\n", ["2:28: BND206"]),
    "etc/trove/api-paste.ini": (
        "[app:guest]\npaste.app_factory = trove.guestagent.api:app_factory\n",
        ["2:21: BND205"],
    ),
    "etc/trove/trove-guestagent.conf.sample": ("# driver = trove.guestagent.api\n", ["1:12: BND205"]),
    "doc/source/index.rst": (
        ":mod:`trove.guestagent.api` and ``trove/guestagent/``\n",
        ["1:7: BND205", "1:35: BND206"],
    ),
    "README.md": ("See `trove.guestagent`.\n", ["1:6: BND205"]),
    "notes.txt": ("trove.guestagent.api\n", ["1:1: BND205"]),
    "zuul.d/jobs.yaml": ("- job:\n    files:\n      - ^trove/guestagent/.*$\n", ["3:10: BND206"]),
    "api-ref/sample.json": ('{"manager": "trove.guestagent.datastore.Manager"}\n', ["1:14: BND205"]),
    "templates/guest.conf.j2": ("{{ module }} = trove.guestagent.api\n", ["1:16: BND205"]),
    # not references: other names that only look alike
    "other.txt": (
        "trove.guestagentx mytrove.guestagent x.trove.guestagent my-trove/guestagent trove/guestagents\n",
        [],
    ),
    # release notes are history: excluded by the contract
    "releasenotes/notes/moved.yaml": ("fixes:\n  - trove.guestagent was moved\n", []),
}


def expected_lines() -> list[str]:
    lines = [f"{path}:{where}" for path, (_, found) in FILES.items() for where in found]
    return sorted(lines)


def write_tree(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(CONFIG)
    for path, (content, _) in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(content)
    return root


def concise(root: Path, *args: str) -> list[str]:
    result = run_cli("check", "--format", "concise", *args, cwd=root)
    assert result.returncode in (0, 1), result
    return result.stdout.splitlines()


def located(lines: list[str]) -> list[str]:
    """``path:line:col: CODE`` of each concise line."""
    return sorted(":".join(line.split(":")[:3]) + ": " + line.split(": ")[1].split()[0] for line in lines)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "project")


def test_every_file_kind_and_form_is_reported_where_it_is(tree: Path) -> None:
    assert located(concise(tree)) == expected_lines()


def test_messages_name_the_file_the_old_path_and_the_new(tree: Path) -> None:
    lines = concise(tree)
    assert (
        "setup.cfg:7:12: BND205 setup.cfg names trove.guestagent.module.drivers.ping_driver "
        '(now troveguest.module.drivers.ping_driver) breaks "trove.guestagent is now troveguest" (moved)'
    ) in lines
    assert (
        'tox.ini:2:28: BND206 tox.ini names the file path trove/guestagent (now troveguest) breaks "trove.guestagent is now troveguest" (moved)'
    ) in lines
    assert (
        "trove/taskmanager/api.py:1:25: BND204 trove.taskmanager.api names trove.guestagent.api.API "
        'in a comment or docstring (now troveguest.api.API) breaks "trove.guestagent is now troveguest" (moved)'
    ) in lines


def test_json_gives_path_line_and_column_for_every_finding(tree: Path) -> None:
    result = run_cli("check", "--format", "json", cwd=tree)
    violations = json.loads(result.stdout)["contracts"][0]["violations"]
    assert (
        sorted(f"{v['path']}:{v['line']}:{v['column']}: {v['code']}" for v in violations) == expected_lines()
    )
    entry = next(v for v in violations if v["path"] == "etc/trove/api-paste.ini")
    assert entry["importer"] == "etc/trove/api-paste.ini" and entry["imported"] == "trove.guestagent.api"


def test_fix_rewrites_every_file_and_leaves_the_rest(tree: Path) -> None:
    result = run_cli("fix", cwd=tree)
    assert result.returncode == 0, result
    assert concise(tree) == []
    text = {path: (tree / path).read_text() for path in FILES}
    assert text["setup.cfg"] == (
        "[files]\npackages =\n    trove\n    troveguest\n\n[entry_points]\ntroveguest.module.drivers =\n"
        "    ping = troveguest.module.drivers.ping_driver:PingDriver\n"
    )
    assert text["zuul.d/jobs.yaml"] == "- job:\n    files:\n      - ^troveguest/.*$\n"
    assert text["etc/trove/api-paste.ini"] == "[app:guest]\npaste.app_factory = troveguest.api:app_factory\n"
    assert text["trove/taskmanager/api.py"] == (
        '"""Calls the guest: see troveguest.api.API."""\n'
        "from troveguest import api  # the guest agent's API lives in troveguest/api.py\n"
    )
    assert text["doc/source/index.rst"] == ":mod:`troveguest.api` and ``troveguest/``\n"
    assert text["other.txt"] == FILES["other.txt"][0]
    assert text["releasenotes/notes/moved.yaml"] == FILES["releasenotes/notes/moved.yaml"][0]
    assert 'moves = ["trove.guestagent -> troveguest"]' in (tree / "pyproject.toml").read_text()
    changed = sorted(line.split(":")[0] for line in result.stderr.splitlines() if ": rewrote " in line)
    assert changed == sorted({p for p, (_, found) in FILES.items() if found})
    again = run_cli("fix", cwd=tree)
    assert again.returncode == 0 and "0 files changed" in again.stderr


def test_include_narrows_and_exclude_removes(tree: Path) -> None:
    config = tree / "pyproject.toml"
    config.write_text(
        CONFIG.replace(
            'exclude = ["releasenotes/**"]', 'include = ["*.ini", "doc/**"]\nexclude = ["tox.ini"]'
        )
    )
    assert located(concise(tree)) == [
        "doc/source/index.rst:1:35: BND206",
        "doc/source/index.rst:1:7: BND205",
        "etc/trove/api-paste.ini:2:21: BND205",
    ]
    assert run_cli("fix", cwd=tree).returncode == 0
    assert "trove/guestagent" in (tree / "tox.ini").read_text()
    assert "troveguest.api" in (tree / "etc/trove/api-paste.ini").read_text()


def test_binary_files_are_skipped_and_fix_verbose_says_so(tree: Path) -> None:
    (tree / "logo.png").write_bytes(b"\x89PNG\0\0trove.guestagent\0")
    (tree / "latin1.txt").write_bytes("caf\xe9 trove.guestagent\n".encode("latin-1"))
    assert located(concise(tree)) == expected_lines()
    result = run_cli("fix", "--verbose", cwd=tree)
    assert result.returncode == 0, result
    assert "skipped logo.png: binary (a NUL byte)" in result.stderr
    assert "skipped latin1.txt: not utf-8 text" in result.stderr
    assert (tree / "logo.png").read_bytes() == b"\x89PNG\0\0trove.guestagent\0"


# --- byte preservation ---------------------------------------------------------------------


def byte_tree(tmp_path: Path, files: dict[str, bytes]) -> Path:
    root = tmp_path / "bytes"
    for path, content in {
        "trove/__init__.py": b"",
        "troveguest/__init__.py": b"",
        "troveguest/api.py": b"",
        **files,
    }.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(content)
    (root / "pyproject.toml").write_text(CONFIG)
    return root


def test_fix_keeps_crlf_line_endings_and_the_diff_shows_no_line_ending_change(tmp_path: Path) -> None:
    python = b"import trove.guestagent.api\r\n\r\nX = trove.guestagent.api\r\n"
    ini = b"[app:guest]\r\npaste.app_factory = trove.guestagent.api:factory\r\nother = 1\r\n"
    root = byte_tree(tmp_path, {"trove/a.py": python, "etc/api-paste.ini": ini})
    diff = run_cli("fix", "--diff", cwd=root)
    assert diff.returncode == 1, diff
    assert b"\n-import trove.guestagent.api\r\n+import troveguest.api\r\n" in diff.stdout_bytes
    assert (
        b"\n-paste.app_factory = trove.guestagent.api:factory\r\n+paste.app_factory = troveguest.api:factory\r\n"
        in diff.stdout_bytes
    )
    assert b"\n other = 1\r\n" in diff.stdout_bytes
    assert (root / "trove/a.py").read_bytes() == python  # --diff writes nothing
    # the diff applies as a patch and gives exactly what fix writes
    if shutil.which("patch"):
        copy = tmp_path / "patched"
        shutil.copytree(root, copy)
        subprocess.run(
            ["patch", "-p1", "--binary", "-s"], cwd=copy, input=diff.stdout_bytes, check=True, timeout=60
        )
    assert run_cli("fix", cwd=root).returncode == 0
    assert (root / "trove/a.py").read_bytes() == python.replace(b"trove.guestagent", b"troveguest")
    assert (root / "etc/api-paste.ini").read_bytes() == ini.replace(b"trove.guestagent", b"troveguest")
    if shutil.which("patch"):
        assert (copy / "trove/a.py").read_bytes() == (root / "trove/a.py").read_bytes()
        assert (copy / "etc/api-paste.ini").read_bytes() == (root / "etc/api-paste.ini").read_bytes()


def test_fix_keeps_a_utf8_byte_order_mark(tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    root = byte_tree(
        tmp_path,
        {
            "trove/b.py": bom + b"# \xc3\xa9\nimport trove.guestagent.api\n",
            "doc/b.rst": bom + b"trove.guestagent\n",
        },
    )
    assert located(concise(root)) == ["doc/b.rst:1:1: BND205", "trove/b.py:2:8: BND201"]
    diff = run_cli("fix", "--diff", cwd=root)
    assert bom not in diff.stdout_bytes.split(b"\n@@")[0]  # the mark is not a change
    assert run_cli("fix", cwd=root).returncode == 0
    assert (root / "trove/b.py").read_bytes() == bom + b"# \xc3\xa9\nimport troveguest.api\n"
    assert (root / "doc/b.rst").read_bytes() == bom + b"troveguest\n"


def test_fix_keeps_a_latin1_python_file_in_latin1(tmp_path: Path) -> None:
    source = "# -*- coding: latin-1 -*-\n# caf\xe9\nimport trove.guestagent.api  # d\xe9j\xe0\n".encode(
        "latin-1"
    )
    root = byte_tree(tmp_path, {"trove/c.py": source})
    assert located(concise(root)) == ["trove/c.py:3:8: BND201"]
    diff = run_cli("fix", "--diff", cwd=root)
    assert (
        "+import troveguest.api  # d\xe9j\xe0\n".encode("latin-1") in diff.stdout_bytes
    )  # the file's own bytes
    assert run_cli("fix", cwd=root).returncode == 0
    assert (root / "trove/c.py").read_bytes() == source.replace(b"trove.guestagent", b"troveguest")


def test_fix_keeps_the_file_mode(tmp_path: Path) -> None:
    root = byte_tree(tmp_path, {"tools/run.py": b"#!/usr/bin/env python\nimport trove.guestagent.api\n"})
    (root / "tools/run.py").chmod(0o755)
    assert run_cli("fix", cwd=root).returncode == 0
    assert (root / "tools/run.py").stat().st_mode & 0o777 == 0o755
    assert (root / "tools/run.py").read_bytes() == b"#!/usr/bin/env python\nimport troveguest.api\n"


def test_symlinks_out_of_the_project_are_neither_read_nor_written(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.py").write_text("import trove.guestagent.api\n")
    (outside / "victim.txt").write_text("trove.guestagent\n")
    root = byte_tree(tmp_path, {})
    (root / "linked.py").symlink_to(outside / "victim.py")
    (root / "trove" / "linked.txt").symlink_to(outside / "victim.txt")
    (root / "docs").symlink_to(outside, target_is_directory=True)
    assert concise(root) == []
    result = run_cli("fix", "--verbose", cwd=root)
    assert result.returncode == 0, result
    assert "0 files changed" in result.stderr
    assert "skipped linked.py: a symbolic link, not followed" in result.stderr
    assert (outside / "victim.py").read_text() == "import trove.guestagent.api\n"
    assert (outside / "victim.txt").read_text() == "trove.guestagent\n"


def test_git_repositories_cover_tracked_files_only(tmp_path: Path) -> None:
    if not shutil.which("git"):
        pytest.skip("git is not installed (Debian package git)")
    root = write_tree(tmp_path / "repo")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True, timeout=60)
    subprocess.run([*git, "add", "."], cwd=root, check=True, timeout=60)
    subprocess.run([*git, "commit", "-qm", "tree"], cwd=root, check=True, timeout=60)
    (root / "untracked.txt").write_text("trove.guestagent\n")
    assert located(concise(root)) == expected_lines()
    assert run_cli("fix", cwd=root).returncode == 0
    assert (root / "untracked.txt").read_text() == "trove.guestagent\n"


def test_without_git_virtualenvs_and_build_output_are_left_out(tree: Path) -> None:
    for directory in ("venv-py", "build", "dist", ".tox/py3", "x.egg-info", "node_modules/y", "__pycache__"):
        (tree / directory).mkdir(parents=True, exist_ok=True)
        (tree / directory / "m.py").write_text("import trove.guestagent\n")
    (tree / "venv-py" / "pyvenv.cfg").write_text("home = /usr\n")
    assert located(concise(tree)) == expected_lines()


def test_the_report_cache_sees_a_change_in_a_text_file(tree: Path) -> None:
    config = tree / "pyproject.toml"
    config.write_text(config.read_text().replace("cache_dir = false\n", ""))
    assert located(concise(tree)) == expected_lines()
    (tree / "notes.txt").write_text("nothing here\n")
    assert "notes.txt:1:1: BND205" not in located(concise(tree))


def test_flake8_reports_scripts_outside_the_root_packages(tree: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "BND2", "backup", "trove/taskmanager"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    lines = sorted(
        ":".join(line.split(":")[:3]) + ": " + line.split(": ")[1].split()[0]
        for line in result.stdout.splitlines()
    )
    assert lines == sorted(
        f"{path}:{where}"
        for path, (_, found) in FILES.items()
        if path.startswith(("backup/", "trove/taskmanager/"))
        for where in found
    )


def test_imports_that_do_not_spell_the_old_path_are_rewritten_in_scripts_too(tmp_path: Path) -> None:
    root = byte_tree(
        tmp_path, {"tools/guest.py": b"from trove import guestagent  # the package\r\nguestagent.api\r\n"}
    )
    assert located(concise(root)) == ["tools/guest.py:1:19: BND201"]
    result = run_cli("fix", "--verbose", cwd=root)
    assert result.returncode == 0, result
    assert "1 parsed with libcst" in result.stderr
    assert (
        root / "tools/guest.py"
    ).read_bytes() == b"import troveguest as guestagent  # the package\r\nguestagent.api\r\n"


def test_python_that_does_not_parse_is_rewritten_as_text_unless_its_imports_must_be_read(
    tmp_path: Path,
) -> None:
    root = byte_tree(
        tmp_path,
        {
            "tools/py2.py": b"print 'trove.guestagent.api'\n",  # Python 2: the text is all there is
            "trove/broken.py": b"from . import guestagent\ndef (:\n",  # must be read to be rewritten
        },
    )
    result = run_cli("fix", cwd=root)
    assert result.returncode == 2, result
    assert "trove/broken.py: not fixed: does not parse" in result.stderr
    assert (root / "tools/py2.py").read_bytes() == b"print 'troveguest.api'\n"
    assert (root / "trove/broken.py").read_bytes() == b"from . import guestagent\ndef (:\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # pbr's list, one name on the key's line, CRLF: the new package goes on a line of its own
        (
            b"[files]\r\npackages = trove\r\n[x]\r\n",
            b"[files]\r\npackages = trove\r\n    troveguest\r\n    common\r\n[x]\r\n",
        ),
        # setuptools' list, indented entries, no newline at the end
        (
            b"[options]\npackages =\n  trove\n  trove.db",
            b"[options]\npackages =\n  trove\n  trove.db\n  troveguest\n  common",
        ),
        # already listed, or found by setuptools: nothing to add
        (b"[files]\npackages =\n    trove\n    troveguest\n    common\n", None),
        (b"[options]\npackages = find:\n", None),
        # a list that does not name the old package's top level
        (b"[files]\npackages = other\n", None),
    ],
)
def test_fix_lists_the_new_top_level_packages_in_setup_cfg(
    tmp_path: Path, before: bytes, after: bytes | None
) -> None:
    root = byte_tree(tmp_path, {"setup.cfg": before, "common/__init__.py": b""})
    config = root / "pyproject.toml"
    config.write_text(
        CONFIG.replace(
            '["trove.guestagent -> troveguest"]',
            '["trove.guestagent -> troveguest", "trove.common -> common"]',
        ).replace('["trove", "troveguest"]', '["trove", "troveguest", "common"]')
    )
    found = [line for line in located(concise(root)) if line.startswith("setup.cfg")]
    assert found == ([] if after is None else ["setup.cfg:2:1: BND207", "setup.cfg:2:1: BND207"])
    assert run_cli("fix", cwd=root).returncode == 0
    assert (root / "setup.cfg").read_bytes() == (after or before)
    assert concise(root) == []


def test_fix_keeps_what_a_noqa_keeps_from_check(tmp_path: Path) -> None:
    shim = (
        b"# A compatibility shim: the old path on purpose.\n"
        b"OLD = 'trove.guestagent.api'  # noqa: BND203\n"
        b"NEW = 'trove.guestagent.api'\n"
        b"from trove.guestagent import api  # noqa\n"
    )  # for flake8's F401: still rewritten
    root = byte_tree(tmp_path, {"trove/shim.py": shim})
    assert located(concise(root)) == ["trove/shim.py:3:7: BND203"]
    assert run_cli("fix", cwd=root).returncode == 0
    assert (root / "trove/shim.py").read_bytes() == shim.replace(
        b"NEW = 'trove.guestagent.api'", b"NEW = 'troveguest.api'"
    ).replace(b"from trove.guestagent import api", b"from troveguest import api")
    assert concise(root) == []


@pytest.mark.parametrize(
    ("moves", "extra", "message"),
    [
        ('["trove.a -> trove.a.b"]', "", "the new path lies inside the old path 'trove.a'"),
        ('["trove.a -> trove.b", "trove.b -> c"]', "", "the new path lies inside the old path 'trove.b'"),
        ('["trove.a -> c"]', 'exclude = ["../x"]', "'../x': patterns are relative to the project root"),
        ('["trove.a -> c"]', 'include = ["/etc/**"]', "'/etc/**': patterns are relative to the project root"),
    ],
)
def test_moves_that_fix_could_not_finish_are_configuration_errors(
    tmp_path: Path, moves: str, extra: str, message: str
) -> None:
    root = byte_tree(tmp_path, {})
    (root / "pyproject.toml").write_text(
        CONFIG.replace('moves = ["trove.guestagent -> troveguest"]', f"moves = {moves}\n{extra}").replace(
            'exclude = ["releasenotes/**"]\n', ""
        )
    )
    for command in ("check", "fix"):
        result = run_cli(command, cwd=root)
        assert result.returncode == 2, result
        assert (
            message in result.stderr
            and "pyproject.toml" in result.stderr
            and "Traceback" not in result.stderr
        )


def test_the_report_cache_answers_again_when_its_directory_is_in_the_walk(tree: Path) -> None:
    config = tree / "pyproject.toml"
    config.write_text(config.read_text().replace("cache_dir = false\n", 'cache_dir = "lint-cache"\n'))
    time.sleep(RACY_NS / 1e9 + 0.1)  # files changed within the racy window are never trusted
    first = run_cli("check", "--format", "json", "--verbose", cwd=tree)
    cached = sorted((tree / "lint-cache").rglob("report-*"))
    assert cached, first
    stamp = cached[0].stat().st_mtime_ns
    second = run_cli("check", "--format", "json", cwd=tree)
    assert second.stdout == first.stdout
    assert cached[0].stat().st_mtime_ns == stamp  # answered from the cache, not rewritten


def test_fix_paths_name_files_and_directories(tree: Path) -> None:
    result = run_cli("fix", "setup.cfg", "zuul.d", cwd=tree)
    assert result.returncode == 0, result
    assert sorted(line.split(":")[0] for line in result.stderr.splitlines() if ": rewrote " in line) == [
        "setup.cfg",
        "zuul.d/jobs.yaml",
    ]
    assert (tree / "tox.ini").read_text() == FILES["tox.ini"][0]  # not named: left alone
    missing = run_cli("fix", "no-such-file.txt", cwd=tree)
    assert missing.returncode == 2 and "no-such-file.txt: no such file or directory" in missing.stderr
