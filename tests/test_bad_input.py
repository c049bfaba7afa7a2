"""Bad input never crashes boundary-lint and never silently passes (shared/PRODUCT.md, "The
bar"): each case gets an exit code, one clear message and no traceback, and whatever can still
be checked is checked. The real ``boundary-lint`` console script runs in a subprocess, and
flake8 too where the case applies to it.

The project is tests/flake8_support.py's (core / guest / shared, three contracts), whose
report on its own is ``EXPECTED``; each test adds something broken to it.

Tests run as root, so file permissions cannot make a file unreadable: unreadable module files
are made with what permissions do not affect (a dangling symlink, a symlink to itself, a FIFO),
and an unwritable cache directory is a path below a regular file.
"""

from __future__ import annotations

import json
import marshal
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_support import BOUNDARY_LINT, CONCISE_LINE, Result, assert_config_error, clean_env, run_cli
from conftest import TREES
from flake8_support import EXPECTED, PYPROJECT_NATIVE, Run, flake8, make_project, write

from boundary_lint.formatters import FORMATS

# The concise lines of EXPECTED, in the CLI's order (path, line, column, code).
CLEAN = sorted(
    EXPECTED, key=lambda line: (line.split(":")[0], int(line.split(":")[1]), int(line.split(":")[2]), line)
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})


def check(cwd: Path, *args: str | os.PathLike[str]) -> Result:
    return run_cli("check", *args, cwd=cwd)


def concise(cwd: Path, *args: str | os.PathLike[str]) -> Result:
    return check(cwd, "--format", "concise", *args)


def assert_no_noise(result: Result | Run) -> None:
    stderr = result.stderr
    assert "Traceback" not in stderr, result
    assert "Exception ignored" not in stderr, result
    assert "panicked" not in stderr, result


def sort_concise(lines: list[str]) -> list[str]:
    def key(line: str) -> tuple[str, int, int, str]:
        path, row, column, rest = CONCISE_LINE.match(line).groups()  # type: ignore[union-attr]
        return path, int(row), int(column), rest

    return sorted(lines, key=key)


def json_report(cwd: Path, *args: str) -> tuple[int, dict]:
    result = check(cwd, "--format", "json", *args)
    assert_no_noise(result)
    return result.returncode, json.loads(result.stdout)


# --- files that cannot be analysed -----------------------------------------------------------


def test_syntax_errors_are_bnd902_and_every_other_file_is_checked(project: Path) -> None:
    write(
        project,
        {
            "guest/broken.py": "import core.models\n\n\ndef f(:\n    pass\n",
            "shared/broken.py": "import core.api\nclass\n",
        },
    )
    (project / "guest" / "nul.py").write_bytes(b"import core.models\x00\n")
    result = concise(project)
    assert_no_noise(result)
    assert result.returncode == 1, result
    assert result.stderr == ""
    assert result.stdout.splitlines() == sort_concise(
        [
            *CLEAN,
            "guest/broken.py:4:1: BND902 syntax error: def f(:",
            "guest/nul.py:1:1: BND902 syntax error: import core.models\\x00",
            "shared/broken.py:2:1: BND902 syntax error: class",
        ]
    )
    code, data = json_report(project)
    assert code == 1
    assert [(e["code"], e["path"], e["line"]) for e in data["errors"]] == [
        ("BND902", "guest/broken.py", 4),
        ("BND902", "guest/nul.py", 1),
        ("BND902", "shared/broken.py", 2),
    ]
    assert data["summary"]["violations"] == len(EXPECTED)
    # flake8 reports syntax errors itself (E999) and runs no plugin on those files: their BND902
    # go on the first root package's __init__.py, so that --select BND fails as check does.
    # Every boundary violation is still there.
    run = flake8(project, "--select", "BND,E9")
    assert_no_noise(run)
    assert run.bnd == [
        "core/__init__.py:1:1: BND902 guest/broken.py, line 4: syntax error: def f(:",
        "core/__init__.py:1:1: BND902 guest/nul.py, line 1: syntax error: import core.models\\x00",
        "core/__init__.py:1:1: BND902 shared/broken.py, line 2: syntax error: class",
        *EXPECTED,
    ], run
    assert sorted(line.split(":")[0] for line in run.lines if ": E999 " in line) == [
        "guest/broken.py",
        "guest/nul.py",
        "shared/broken.py",
    ]


NOT_UTF8 = b"import core.models\nNAME = '\xff\xfe'\n"


def test_a_file_that_is_not_utf8_is_bnd903_at_the_bad_line(project: Path) -> None:
    (project / "guest" / "latin.py").write_bytes(NOT_UTF8)  # no coding comment, invalid bytes
    result = concise(project)
    assert_no_noise(result)
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == sort_concise(
        [
            *CLEAN,
            "guest/latin.py:2:1: BND903 cannot analyse: not valid utf-8 text (invalid start byte at byte 27)",
        ]
    )
    # With a coding comment the same bytes are valid Latin-1: analysed like any other file.
    (project / "guest" / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\n" + NOT_UTF8)
    result = concise(project)
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == sort_concise(
        [
            *CLEAN,
            'guest/latin.py:2:1: BND101 guest.latin -> core.models (l.2) breaks "The guest never imports the core" (guest-no-core)',
            'guest/latin.py:2:1: BND111 guest.latin -> core.models (l.2) breaks "layers"',
        ]
    )


def test_flake8_and_the_cli_agree_on_a_file_that_is_not_utf8(project: Path) -> None:
    """flake8 decodes such a file as Latin-1 and hands the plugin that text; the plugin must
    report what the CLI reports for it (the file's imports are not in the graph: BND903 only),
    not treat the text as an unsaved buffer with imports of its own."""
    (project / "guest" / "latin.py").write_bytes(NOT_UTF8)
    cli = concise(project).stdout.splitlines()
    run = flake8(project, "--select", "BND")
    assert_no_noise(run)
    assert run.bnd == cli, run


def _unreadable_files(project: Path) -> None:
    guest = project / "guest"
    (guest / "dangling.py").symlink_to("no-such-file.py")
    (guest / "itself.py").symlink_to("itself.py")  # a symlink loop: ELOOP
    os.mkfifo(guest / "fifo.py")  # would block a reader forever
    (guest / "notamodule.py").mkdir()  # a directory named like a module: not a module at all
    (guest / "notamodule.py" / "inner.py").write_text("import core.models\n")


def test_module_files_that_cannot_be_read_are_bnd903(project: Path) -> None:
    _unreadable_files(project)
    result = concise(project)
    assert_no_noise(result)
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == sort_concise(
        [
            *CLEAN,
            "guest/dangling.py:1:1: BND903 cannot read: No such file or directory",
            "guest/fifo.py:1:1: BND903 cannot read: not a regular file",
            "guest/itself.py:1:1: BND903 cannot read: Too many levels of symbolic links",
        ]
    )
    # Cached or not, the same (a file that cannot be read is never cached as having no imports).
    assert concise(project).stdout == result.stdout
    assert concise(project, "--no-cache").stdout == result.stdout


def test_flake8_with_module_files_that_cannot_be_read(project: Path) -> None:
    """flake8 cannot read these files either (E902; it would block on the FIFO itself, hence
    --exclude); the plugin must still report every boundary violation, not crash while
    locating the unreadable files (a path that is a symlink loop cannot be resolved)."""
    _unreadable_files(project)
    run = flake8(project, "--select", "BND,E9", "--exclude", "guest/fifo.py")
    assert_no_noise(run)
    # flake8 runs no plugin on them: their BND903 go on the first root package's __init__.py,
    # so that --select BND fails as check does.
    assert run.bnd == [
        "core/__init__.py:1:1: BND903 guest/dangling.py: cannot read: No such file or directory",
        "core/__init__.py:1:1: BND903 guest/fifo.py: cannot read: not a regular file",
        "core/__init__.py:1:1: BND903 guest/itself.py: cannot read: Too many levels of symbolic links",
        *EXPECTED,
    ], run
    assert sorted(line.split(":")[0] for line in run.lines if ": E902 " in line) == [
        "guest/dangling.py",
        "guest/itself.py",
    ]


def test_a_symlink_loop_inside_a_package_is_reported_and_not_followed(project: Path) -> None:
    write(project, {"guest/sub/__init__.py": "", "guest/sub/deep.py": "import core.models\n"})
    (project / "guest" / "sub" / "back").symlink_to("..")  # guest/sub/back -> guest
    (project / "guest" / "sub" / "up").symlink_to("../..")  # the project root: not a package
    result = concise(project)
    assert_no_noise(result)
    assert result.returncode == 1, result
    root = project.resolve()
    assert result.stdout.splitlines() == sort_concise(
        [
            *CLEAN,
            'guest/sub/deep.py:1:1: BND101 guest.sub.deep -> core.models (l.1) breaks "The guest never imports the core" (guest-no-core)',
            'guest/sub/deep.py:1:1: BND111 guest.sub.deep -> core.models (l.1) breaks "layers"',
            f"guest/sub/back:1:1: BND903 symbolic link loop: points to {root}/guest, a directory that "
            "contains it; not followed, so the modules under it are not analysed",
        ]
    )
    code, data = json_report(project, "--verbose")
    modules = {v["importer"] for c in data["contracts"] for v in c["violations"]}
    assert not any(".back" in m for m in modules)
    run = flake8(project, "--select", "BND")
    assert_no_noise(run)
    # flake8 checks files, not directories: the loop is reported once, where contract-level
    # problems are, naming the directory.
    assert sort_concise(run.bnd) == sort_concise(
        [
            *(line for line in result.stdout.splitlines() if "BND903" not in line),
            f"core/__init__.py:1:1: BND903 guest/sub/back: symbolic link loop: points to {root}/guest, a directory "
            "that contains it; not followed, so the modules under it are not analysed",
        ]
    )


# --- packages that are not what the configuration says ----------------------------------------

EMPTY_CONTRACTS = """
[[tool.boundary_lint.contracts]]
id = "empty-alone"
type = "independence"
modules = ["empty", "guest.nothing", "shared"]

[[tool.boundary_lint.contracts]]
id = "empty-no-core"
type = "forbidden"
source_modules = ["empty", "guest.nothing"]
forbidden_modules = ["core"]
"""


def test_empty_packages_are_checked_like_any_other(project: Path) -> None:
    (project / "empty").mkdir()
    (project / "empty" / "__init__.py").write_bytes(b"")  # zero bytes
    write(project, {"guest/nothing/__init__.py": "", "guest/nothing/hollow/__init__.py": ""})
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text().replace('["core", "guest", "shared"]', '["core", "guest", "shared", "empty"]', 1)
        + EMPTY_CONTRACTS
    )
    result = concise(project)
    assert_no_noise(result)
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == CLEAN
    code, data = json_report(project)
    assert {c["id"]: c["kept"] for c in data["contracts"]}["empty-alone"] is True
    assert {c["id"]: c["kept"] for c in data["contracts"]}["empty-no-core"] is True
    assert flake8(project, "--select", "BND").bnd == EXPECTED


def test_a_root_package_directory_without_any_module_is_a_configuration_error(project: Path) -> None:
    (project / "docs").mkdir()
    (project / "docs" / "index.rst").write_text("Not Python.\n")
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text().replace('["core", "guest", "shared"]', '["core", "guest", "shared", "docs"]', 1)
    )
    assert_config_error(
        check(project),
        f"{config.resolve()}, key 'root_packages': root package 'docs': docs (the configuration's directory) "
        "holds no Python modules",
    )


def test_a_root_package_that_is_a_single_module(project: Path) -> None:
    write(project, {"tool.py": "import core.models\n"})
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text().replace('["core", "guest", "shared"]', '["core", "guest", "shared", "tool"]', 1)
    )
    message = (
        f"{config.resolve()}, key 'root_packages': root package 'tool' not found: tool.py is a single module, "
        "and root packages must be packages"
    )
    assert_config_error(check(project), message)
    assert_config_error(check(project, "--format", "json"), message)
    run = flake8(project, "--select", "BND")
    assert_no_noise(run)
    assert run.bnd and all(f"BND901 {message}" in line for line in run.bnd), run


def test_a_missing_root_package(project: Path) -> None:
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text().replace('["core", "guest", "shared"]', '["core", "guest", "shared", "nowhere"]', 1)
    )
    result = check(project)
    # Where it looked: the project, then the interpreter's path (whatever this machine's is).
    prefix = (
        f"boundary-lint: error: {config.resolve()}, key 'root_packages': root package 'nowhere' not found; "
        "looked in (in this order): . (the configuration's directory); "
    )
    assert result.stderr.startswith(prefix) and result.stderr.endswith(" (sys.path)\n"), result
    message = result.stderr.removeprefix("boundary-lint: error: ").removesuffix("\n")
    assert_config_error(result, message)
    assert_config_error(check(project, "--format", "sarif"), message)
    run = flake8(project, "--select", "BND")
    assert_no_noise(run)
    assert run.bnd and all(f"BND901 {message}" in line for line in run.bnd), run


NAMESPACE_CONFIG = """
root_packages = ["ns"]
source_roots = ["src1", "src2"]

[[contracts]]
id = "api-no-db"
type = "forbidden"
source_modules = ["ns.api"]
forbidden_modules = ["ns.db"]

[[contracts]]
id = "ns-layers"
type = "layers"
layers = ["ns.api", "ns.service", "ns.db"]
"""


def test_a_namespace_root_package_in_several_source_roots(tmp_path: Path) -> None:
    """``ns`` has no __init__.py; its portions lie in two source roots (as in a namespace
    distribution split over several repositories)."""
    project = tmp_path / "project"
    write(
        project,
        {
            "contracts.toml": NAMESPACE_CONFIG,
            "src1/ns/api/__init__.py": "",
            "src1/ns/api/views.py": "from ns.service import orders\n",
            "src2/ns/service/__init__.py": "",
            "src2/ns/service/orders.py": "import ns.db.models\n",
            "src2/ns/db/__init__.py": "",
            "src2/ns/db/models.py": "from ns.api import views\n",
            "setup.cfg": "[flake8]\nboundary-lint-config = contracts.toml\n",
        },
    )
    result = concise(project, "--config", "contracts.toml")
    assert_no_noise(result)
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == [
        'src1/ns/api/views.py:1:1: BND102 ns.api.views -> ns.service.orders (l.1) -> ns.db.models (l.1) breaks "api-no-db"',
        'src2/ns/db/models.py:1:1: BND111 ns.db.models -> ns.api.views (l.1) breaks "ns-layers"',
    ]
    run = flake8(project, "--select", "BND", "src1", "src2")
    assert_no_noise(run)
    assert run.bnd == result.stdout.splitlines(), run


# --- the command line ---------------------------------------------------------------------


def test_an_unknown_contract_id(project: Path) -> None:
    message = (
        f"{(project / 'pyproject.toml').resolve()}: unknown contract id 'nope' "
        "(known: guest-no-core, shared-standalone, layers)"
    )
    for fmt in ("text", "concise", "json"):
        assert_config_error(
            check(project, "--format", fmt, "--contract", "layers", "--contract", "nope"), message
        )


# --- caches ----------------------------------------------------------------------------------


def test_a_cache_directory_that_cannot_be_created(project: Path) -> None:
    """As root, permissions do not stop writes: the cache directory's path runs through a
    regular file instead. The check is complete; the problem is one warning."""
    (project / "afile").write_text("a regular file\n")
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text().replace("root_packages =", 'cache_dir = "afile/cache"\nroot_packages =', 1)
    )
    reason = f"cache not written to {(project / 'afile' / 'cache').resolve()}: Not a directory"
    for _ in range(2):
        result = concise(project)
        assert_no_noise(result)
        assert result.returncode == 1, result
        assert result.stdout.splitlines() == CLEAN
        assert result.stderr == f"boundary-lint: warning: {reason}\n"
    text = check(project)
    assert text.returncode == 1
    assert f"note: {reason}\n" in text.stdout and text.stderr == ""
    # --cache-dir naming an existing regular file
    result = concise(project, "--cache-dir", project / "afile")
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == CLEAN
    assert result.stderr.startswith("boundary-lint: warning: cache not written to ")
    run = flake8(project, "--select", "BND")
    assert_no_noise(run)
    assert run.bnd == EXPECTED, run


class _Planted:
    """A pickle that runs code when loaded (what a change under review could commit as a
    cache file): loading it must not run it."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def _damage(path: Path, how: str, marker: Path) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(os.urandom(len(data)))
    elif how == "other-format":  # the same header, a body that parses but is not what this version writes
        header = data.partition(b"\n")[0]
        path.write_bytes(
            header
            + b"\n"
            + json.dumps({"modules": ["core"], "imports": {"core": 5}, "written_ns": 0}).encode()
        )
    elif (
        how == "planted"
    ):  # what older versions read: a pickle that runs code, a self-containing marshal tuple
        path.write_bytes(
            pickle.dumps(_Planted(marker)) if path.name.startswith("report-") else marshal.dumps(("x",))
        )
    else:  # pragma: no cover
        raise ValueError(how)


@pytest.mark.parametrize("how", ["truncated", "empty", "garbage", "other-format", "planted"])
def test_damaged_cache_files_are_ignored(project: Path, how: str) -> None:
    fresh = concise(project, "--no-cache")
    assert fresh.returncode == 1 and fresh.stdout.splitlines() == CLEAN
    concise(project)  # a cold run writes every cache
    cache = project / ".boundary_lint_cache"
    files = sorted(p for p in cache.iterdir() if p.name != ".gitignore")
    assert sorted(p.name.split("-")[0] for p in files) == ["hashes", "imports", "report"]
    marker = project / "PLANTED-CODE-RAN"
    for path in files:
        _damage(path, how, marker)
    run = flake8(project, "--select", "BND")
    assert_no_noise(run)
    assert run.bnd == EXPECTED, run
    for path in files:
        _damage(path, how, marker)
    for _ in range(2):  # the damaged run rewrites them; the next one reads its own
        result = concise(project)
        assert_no_noise(result)
        assert (result.returncode, result.stdout, result.stderr) == (1, fresh.stdout, ""), result
    assert not marker.exists()


PROCESSES = 6


def _many_modules(project: Path, count: int = 150) -> None:
    """More files, so that concurrent cold runs overlap in their scans and cache writes."""
    files = {
        f"guest/gen/m{i}.py": f"from shared import util\nimport guest.gen.m{(i + 1) % count}\n"
        for i in range(count)
    }
    files["guest/gen/__init__.py"] = ""
    files["guest/gen/m7.py"] = "import core.models\n"
    write(project, files)


def test_several_processes_writing_a_cold_cache_at_once(project: Path) -> None:
    _many_modules(project)
    fresh = check(project, "--format", "json", "--no-cache")
    assert fresh.returncode == 1, fresh
    cache = project / ".boundary_lint_cache"
    for _ in range(3):
        processes = [
            subprocess.Popen(
                [BOUNDARY_LINT, "check", "--format", "json"],
                cwd=project,
                env=clean_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
            )
            for _ in range(PROCESSES)
        ]
        outputs = [(p.communicate(timeout=120), p.returncode) for p in processes]
        for (stdout, stderr), code in outputs:
            assert (code, stdout, stderr) == (1, fresh.stdout_bytes, b""), stderr.decode()
        warm = check(project, "--format", "json")
        assert (warm.returncode, warm.stdout_bytes, warm.stderr) == (1, fresh.stdout_bytes, "")
        leftovers = [p.name for p in cache.iterdir() if p.name.startswith(".tmp-")]
        assert not leftovers
        for path in cache.iterdir():
            if path.name != ".gitignore":
                path.unlink()


def test_flake8_with_four_jobs_on_a_cold_cache(project: Path) -> None:
    _many_modules(project)
    expected = concise(project, "--no-cache").stdout.splitlines()
    assert not (project / ".boundary_lint_cache").exists()
    for _ in range(2):  # cold, then warm
        run = flake8(project, "-j", "4", "--select", "BND")
        assert_no_noise(run)
        assert sort_concise(run.bnd) == expected, run
    assert (project / ".boundary_lint_cache").is_dir()


# --- output ----------------------------------------------------------------------------------


def _big_project(tmp_path: Path, sources: int = 100, targets: int = 100) -> Path:
    """``sources`` modules each importing ``targets`` forbidden modules, one statement a line:
    sources x targets violations."""
    project = tmp_path / "big-project"
    files = {
        "pyproject.toml": textwrap.dedent("""\
            [tool.boundary_lint]
            root_packages = ["big"]

            [[tool.boundary_lint.contracts]]
            id = "src-no-dst"
            type = "forbidden"
            source_modules = ["big.src"]
            forbidden_modules = ["big.dst"]
        """),
        "big/__init__.py": "",
        "big/src/__init__.py": "",
        "big/dst/__init__.py": "",
    }
    for j in range(targets):
        files[f"big/dst/t{j}.py"] = ""
    body = "".join(f"import big.dst.t{j}\n" for j in range(targets))
    for i in range(sources):
        files[f"big/src/m{i}.py"] = body
    write(project, files)
    return project


def test_a_report_of_ten_thousand_violations(tmp_path: Path) -> None:
    project = _big_project(tmp_path)
    result = concise(project)
    assert_no_noise(result)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    expected = sort_concise(
        [
            f'big/src/m{i}.py:{j + 1}:1: BND101 big.src.m{i} -> big.dst.t{j} (l.{j + 1}) breaks "src-no-dst"'
            for i in range(100)
            for j in range(100)
        ]
    )
    assert len(lines) == 10_000
    assert lines == expected
    code, data = json_report(project)
    assert code == 1
    [contract] = data["contracts"]
    assert len(contract["violations"]) == data["summary"]["violations"] == 10_000
    assert {(v["path"], v["line"]) for v in contract["violations"]} == {
        (f"big/src/m{i}.py", j + 1) for i in range(100) for j in range(100)
    }


@pytest.mark.parametrize("fmt", ["concise", "text", "json"])
def test_output_cut_short_by_the_reader(tmp_path: Path, fmt: str) -> None:
    """``boundary-lint check | head -1`` through a real shell pipe: no traceback and no
    "Exception ignored" noise when the reader goes away."""
    project = _big_project(tmp_path)
    full = check(project, "--format", fmt)
    script = f"set -o pipefail; {BOUNDARY_LINT} check --format {fmt} 2>stderr.txt | head -1 > head.txt; echo $? > status.txt"
    subprocess.run(["bash", "-c", script], cwd=project, env=clean_env(), timeout=120, check=True)
    assert (project / "stderr.txt").read_text() == ""
    assert (project / "head.txt").read_text() == full.stdout.splitlines(keepends=True)[0]
    # The exit status is the verdict, as if nothing had been cut (not 120, not a crash's).
    assert full.returncode == 1
    assert (project / "status.txt").read_text().strip() == str(full.returncode)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_a_report_with_every_kind_of_code(tmp_path: Path, fmt: str) -> None:
    """tests/trees/moves reports BND1xx, BND2xx (moved, dynamic imports) and BND9xx codes:
    every output format renders them (the tool failing is exit 2 with "internal error")."""
    tree = tmp_path / "moves"
    shutil.copytree(TREES / "moves", tree)
    write(tree, {"troveguest/broken.py": "def f(:\n"})
    result = check(tree, "--format", fmt)
    assert_no_noise(result)
    assert result.returncode == 1, result
    assert result.stderr == "" and result.stdout, result


def test_python_dash_m_output_cut_short(tmp_path: Path) -> None:
    project = _big_project(tmp_path)
    script = f"{sys.executable} -m boundary_lint check --format concise 2>stderr.txt | head -1 > head.txt"
    subprocess.run(["bash", "-c", script], cwd=project, env=clean_env(), timeout=120, check=True)
    assert (project / "stderr.txt").read_text() == ""
    assert (project / "head.txt").read_text().startswith("big/src/m0.py:1:1: BND101 ")
