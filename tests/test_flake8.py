"""The flake8 plugin, run for real: ``python -m flake8`` in a subprocess, on a small project with
real configuration files (see flake8_support.py for the project and what it must report).

Nothing here needs more than flake8, boundary-lint and its runtime dependencies, so this file
also runs in a virtualenv with OpenStack's ``hacking`` and the flake8 it pins.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from flake8_support import (
    AGENT_101,
    AGENT_111,
    DECOY_EXPECTED,
    DECOY_PYPROJECT,
    EXPECTED,
    INI_IMPORTLINTER,
    INI_NATIVE,
    LAZY_101,
    LAZY_111,
    MODULES,
    NOTIFY_101,
    NOTIFY_111,
    PROJECT,
    PYPROJECT_IMPORTLINTER,
    PYPROJECT_NATIVE,
    PYTHON,
    START_METHOD_WRAPPER,
    WORKER_102,
    Run,
    boundary_lint,
    env,
    flake8,
    flake8_with_start_method,
    make_project,
    standalone_toml,
    write,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "trove-split"
AGENT_WITH_NOQA = PROJECT["guest/agent.py"].replace(
    "from core import models\n", "from core import models  # noqa: BND101\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project, its contracts discovered from pyproject.toml [tool.boundary_lint]."""
    return make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})


def without(*lines: str) -> list[str]:
    return [line for line in EXPECTED if line not in lines]


# --- where the configuration comes from ----------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "text"),
    [
        ("pyproject.toml", PYPROJECT_NATIVE),
        ("setup.cfg", INI_NATIVE),
        ("tox.ini", INI_NATIVE),
        (".importlinter", INI_IMPORTLINTER),
        ("setup.cfg", INI_IMPORTLINTER),
        ("pyproject.toml", PYPROJECT_IMPORTLINTER),
    ],
    ids=[
        "pyproject-native",
        "setup.cfg-native",
        "tox.ini-native",
        ".importlinter",
        "setup.cfg-importlinter",
        "pyproject-importlinter",
    ],
)
def test_configuration_is_discovered_without_a_pointer(tmp_path: Path, filename: str, text: str) -> None:
    root = make_project(tmp_path / "project", {filename: text})
    result = flake8(root, "--select", "BND", ".")
    assert result.lines == EXPECTED, result
    assert result.returncode == 1
    assert (root / ".boundary_lint_cache").is_dir()  # the default cache_dir, next to the config


def test_the_decoy_configuration_reports_something_else(tmp_path: Path) -> None:
    """The pointer tests below keep this pyproject.toml next to the pointer, so their output
    shows that the pointer, not discovery, was followed."""
    root = make_project(tmp_path / "project", {"pyproject.toml": DECOY_PYPROJECT})
    result = flake8(root, "--select", "BND", ".")
    assert result.lines == DECOY_EXPECTED, result


@pytest.mark.parametrize("flake8_file", ["setup.cfg", "tox.ini", ".flake8"])
def test_pointer_in_the_flake8_section(tmp_path: Path, flake8_file: str) -> None:
    root = make_project(
        tmp_path / "project",
        {
            "ci/boundaries.toml": standalone_toml(".."),  # not discoverable: only a pointer finds it
            "pyproject.toml": DECOY_PYPROJECT,
            flake8_file: "[flake8]\nboundary-lint-config = ci/boundaries.toml\n",
        },
    )
    result = flake8(root, "--select", "BND", ".")
    assert result.lines == EXPECTED, result
    assert (root / "ci" / ".boundary_lint_cache").is_dir()
    assert not (root / ".boundary_lint_cache").exists()


def test_pointer_on_the_command_line(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "project",
        {"ci/boundaries.toml": standalone_toml(".."), "pyproject.toml": DECOY_PYPROJECT},
    )
    result = flake8(root, "--select", "BND", "--boundary-lint-config", "ci/boundaries.toml", ".")
    assert result.lines == EXPECTED, result


def test_pointer_is_relative_to_the_flake8_config_when_run_from_a_subdirectory(tmp_path: Path) -> None:
    """An editor may run flake8 in the file's directory; flake8 still finds setup.cfg upwards,
    and the pointer is resolved from setup.cfg's directory, as flake8 does for its own paths."""
    root = make_project(
        tmp_path / "project",
        {
            "ci/boundaries.toml": standalone_toml(".."),
            "pyproject.toml": DECOY_PYPROJECT,
            "setup.cfg": "[flake8]\nboundary-lint-config = ci/boundaries.toml\n",
        },
    )
    result = flake8(root / "guest", "--select", "BND", ".")
    expected = [line.removeprefix("guest/") for line in EXPECTED if line.startswith("guest/")]
    assert result.lines == expected, result


def test_discovery_walks_up_from_a_subdirectory(project: Path) -> None:
    result = flake8(project / "guest", "--select", "BND", "agent.py")
    assert result.lines == [AGENT_101.removeprefix("guest/"), AGENT_111.removeprefix("guest/")], result


def test_contract_level_problem_is_reported_once_on_the_first_root_package(tmp_path: Path) -> None:
    broken = PYPROJECT_NATIVE.replace('forbidden_modules = ["core"]', 'forbidden_modules = ["core.gone"]')
    root = make_project(tmp_path / "project", {"pyproject.toml": broken})
    result = flake8(root, "--select", "BND", ".")
    config = (root / "pyproject.toml").resolve()
    assert result.lines == [
        f"core/__init__.py:1:1: BND901 {config}, contract 'guest-no-core', key 'forbidden_modules': "
        "module 'core.gone' does not exist",
        AGENT_111,
        LAZY_111,
        NOTIFY_101,
        NOTIFY_111,
    ], result


def test_configuration_that_cannot_be_loaded_is_reported_on_every_file(tmp_path: Path) -> None:
    broken = PYPROJECT_NATIVE.replace('type = "layers"\n', 'type = "layers"\ncolour = "blue"\n')
    root = make_project(tmp_path / "project", {"pyproject.toml": broken})
    cli = boundary_lint(root, "check")
    assert cli.returncode == 2, cli
    prefix = "boundary-lint: error: "
    assert cli.stderr.startswith(prefix) and "'colour': unknown key" in cli.stderr, cli
    message = cli.stderr.strip().removeprefix(prefix)
    result = flake8(root, "--select", "BND", "guest", "shared/util.py")
    files = sorted(["shared/util.py", *(name for name in PROJECT if name.startswith("guest/"))])
    assert result.lines == [f"{name}:1:1: BND901 {message}" for name in files], result


# --- no configuration: silent, and cheap ------------------------------------------------------


def _no_config_above(directory: Path) -> None:
    for parent in (directory, *directory.parents):
        for name in ("pyproject.toml", "setup.cfg", "tox.ini", ".importlinter"):
            assert not (parent / name).exists(), f"{parent / name} would be discovered; test needs none"


def test_no_configuration_anywhere_means_no_output(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    _no_config_above(root)
    result = flake8(root, "--select", "BND", ".")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), result
    assert not (root / ".boundary_lint_cache").exists()


NO_GRIMP_SCRIPT = textwrap.dedent(
    """\
    import argparse
    import ast
    import json
    import sys

    from boundary_lint.flake8_plugin import BoundaryChecker

    # What a project without contracts must never pay for: the graph library, the contract
    # model, and parsing a pyproject.toml that does not name our section.
    HEAVY = ("grimp", "boundary_lint.config.model", "tomllib")

    def loaded():
        return [name for name in HEAVY if name in sys.modules]

    report = {"after_import": loaded()}
    BoundaryChecker.parse_options(argparse.Namespace(boundary_lint_config=None))
    report["after_parse_options"] = loaded()
    source = open("guest/agent.py", encoding="utf-8").read()
    checker = BoundaryChecker(ast.parse(source), "guest/agent.py", source.splitlines(True))
    report["results"] = [list(map(str, r[:3])) for r in checker.run()]
    report["after_run"] = loaded()

    # flake8's own start-up: load every plugin, parse the options, call parse_options.
    from flake8.options.parse_args import parse_args

    parse_args(["--select", "BND", "guest/agent.py"])
    report["after_flake8_parse_args"] = [name for name in ("grimp", "boundary_lint.config.model") if name in sys.modules]
    print(json.dumps(report))
    """
)


def test_no_configuration_never_imports_grimp(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    _no_config_above(root)
    (root / "pyproject.toml").write_text('[project]\nname = "guest"\n\n[tool.black]\nline-length = 99\n')
    (root / "tox.ini").write_text("[flake8]\nmax-line-length = 99\n")
    completed = subprocess.run(
        [PYTHON, "-c", NO_GRIMP_SCRIPT], cwd=root, capture_output=True, text=True, timeout=60, env=env()
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == {
        "after_import": [],
        "after_parse_options": [],
        "results": [],
        "after_run": [],
        "after_flake8_parse_args": [],
    }


# --- parallel runs ----------------------------------------------------------------------------


def test_jobs_1_and_2_give_identical_output(project: Path) -> None:
    cold_parallel = flake8(project, "-j2", "--select", "BND", ".")
    serial = flake8(project, "-j1", "--select", "BND", ".")
    warm_parallel = flake8(project, "-j2", "--select", "BND", ".")
    assert cold_parallel.lines == EXPECTED, cold_parallel
    assert serial.stdout == cold_parallel.stdout == warm_parallel.stdout
    assert serial.returncode == cold_parallel.returncode == warm_parallel.returncode == 1


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_start_method(tmp_path: Path, project: Path, method: str) -> None:
    """Workers that do not inherit the parent's memory redo the project work from the cache the
    parent wrote; the output is the same and the cache is left whole."""
    wrapper = tmp_path / "flake8_start_method.py"
    wrapper.write_text(START_METHOD_WRAPPER)
    serial = flake8(project, "-j1", "--select", "BND", ".")
    shutil.rmtree(project / ".boundary_lint_cache")

    cold = flake8_with_start_method(project, wrapper, method, "-j2", "--select", "BND", ".")
    assert (cold.returncode, cold.stdout, cold.stderr) == (1, serial.stdout, ""), cold
    cache = _assert_valid_cache(project / ".boundary_lint_cache")
    written = cache.stat().st_mtime_ns

    warm = flake8_with_start_method(project, wrapper, method, "-j2", "--select", "BND", ".")
    assert (warm.returncode, warm.stdout, warm.stderr) == (1, serial.stdout, ""), warm
    assert _assert_valid_cache(project / ".boundary_lint_cache") == cache
    assert cache.stat().st_mtime_ns == written  # warm: read by every process, rewritten by none


def _assert_valid_cache(directory: Path) -> Path:
    from boundary_lint.graph.cache import read_cache
    from boundary_lint.graph.hashes import hash_bytes
    from boundary_lint.graph.store import CacheStore

    names = sorted(p.name for p in directory.iterdir())
    caches = [name for name in names if name.startswith("imports-") and name.endswith(".json")]
    reports = [name for name in names if name.startswith("report-") and name.endswith(".json")]
    hashes = [name for name in names if name.startswith("hashes-") and name.endswith(".json")]
    # no temporary files left
    assert names == [".gitignore", *hashes, *caches, *reports] and len(caches) == len(hashes) == 1, names
    assert len(reports) <= 1, names
    contents = read_cache(CacheStore(directory), caches[0], len(MODULES))
    assert contents.modules == MODULES
    assert set(contents.imports) == MODULES
    project = directory.parent
    for module, (content, _) in contents.imports.items():
        relative = module.replace(".", "/")
        path = (
            project / f"{relative}.py"
            if (project / f"{relative}.py").exists()
            else project / relative / "__init__.py"
        )
        assert content == hash_bytes(path.read_bytes()), module
    return directory / caches[0]


# --- noqa, select, per-file-ignores -----------------------------------------------------------


def test_bare_noqa_suppresses_every_code_on_the_line(project: Path) -> None:
    write(
        project,
        {
            "guest/agent.py": PROJECT["guest/agent.py"].replace(
                "from core import models\n", "from core import models  # noqa\n"
            )
        },
    )
    result = flake8(project, "--select", "BND", ".")
    assert result.lines == without(AGENT_101, AGENT_111), result


def test_noqa_with_a_code_suppresses_that_code_only(project: Path) -> None:
    write(
        project,
        {
            "guest/agent.py": AGENT_WITH_NOQA,
            "guest/worker.py": PROJECT["guest/worker.py"].replace(
                "from shared import notify\n", "from shared import notify  # noqa: BND102\n"
            ),
            "shared/notify.py": PROJECT["shared/notify.py"].replace(
                "import core.models\n", "import core.models  # noqa: E501\n"
            ),
        },
    )
    result = flake8(project, "--select", "BND", ".")
    assert result.lines == without(AGENT_101, WORKER_102), result


def test_disable_noqa_reports_suppressed_lines(project: Path) -> None:
    write(
        project,
        {
            "guest/agent.py": PROJECT["guest/agent.py"].replace(
                "from core import models\n", "from core import models  # noqa\n"
            )
        },
    )
    result = flake8(project, "--select", "BND", "--disable-noqa", ".")
    assert result.lines == EXPECTED, result


MULTILINE_AGENT = (
    '"""Agent."""\n'
    "\n"
    "from shared import util\n"
    "from core import (\n"
    "    models,  # noqa: BND101\n"
    ")\n"
    "\n"
    "\n"
    "def run():\n"
    "    return models.VALUE, util.VALUE\n"
)


def test_noqa_on_a_continuation_line_of_a_multiline_import(project: Path) -> None:
    """Reported at the statement's first line, suppressed by a noqa on any of its lines, as the
    CLI does (flake8 alone would only look at the reported line)."""
    write(project, {"guest/agent.py": MULTILINE_AGENT})
    result = flake8(project, "--select", "BND", ".")
    assert result.lines == without(AGENT_101), result
    assert flake8(project, "--select", "BND", "--disable-noqa", ".").lines == EXPECTED
    cli = boundary_lint(project, "check", "--format", "concise")
    assert cli.lines == result.lines, cli


def test_extend_select_with_a_hacking_style_select(project: Path) -> None:
    write(project, {"tox.ini": "[flake8]\nselect = E,W,F\n"})
    plain = flake8(project, ".")
    assert (plain.returncode, plain.stdout) == (0, ""), plain
    extended = flake8(project, "--extend-select", "BND", ".")
    assert extended.lines == EXPECTED, extended

    write(project, {"tox.ini": "[flake8]\nselect = E,W,F\nextend-select = BND\n"})
    configured = flake8(project, ".")
    assert configured.lines == EXPECTED, configured


def test_per_file_ignores(project: Path) -> None:
    write(project, {"tox.ini": "[flake8]\nper-file-ignores =\n    guest/agent.py:BND101\n    shared/*:BND\n"})
    result = flake8(project, "--select", "BND", ".")
    assert result.lines == without(AGENT_101, NOTIFY_101, NOTIFY_111), result


# --- unsaved buffers on stdin -----------------------------------------------------------------


def test_stdin_buffer_adds_violations_not_on_disk(project: Path) -> None:
    assert flake8(project, "--select", "BND", "guest/clean.py").lines == []
    typed = "from shared import util\nfrom shared import notify\nfrom core import api\n\nVALUE = util.VALUE\n"
    result = flake8(project, "--select", "BND", "--stdin-display-name", "guest/clean.py", "-", stdin=typed)
    assert result.lines == [
        "guest/clean.py:2:1: BND102 guest.clean -> shared.notify (l.2) -> core.models (l.3)"
        ' breaks "The guest never imports the core" (guest-no-core)',
        'guest/clean.py:3:1: BND101 guest.clean -> core.api (l.3) breaks "The guest never imports the core" (guest-no-core)',
        'guest/clean.py:3:1: BND111 guest.clean -> core.api (l.3) breaks "layers"',
    ], result
    # the file on disk is untouched, and so is what the other files report
    assert flake8(project, "--select", "BND", ".").lines == EXPECTED


def test_stdin_buffer_removes_violations_that_are_on_disk(project: Path) -> None:
    on_disk = PROJECT["guest/agent.py"]
    same = flake8(project, "--select", "BND", "--stdin-display-name", "guest/agent.py", "-", stdin=on_disk)
    assert same.lines == [AGENT_101, AGENT_111], same
    typed = on_disk.replace("from core import models\n", "").replace("models.VALUE, ", "")
    result = flake8(project, "--select", "BND", "--stdin-display-name", "guest/agent.py", "-", stdin=typed)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), result


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # grimp's in-memory file system drops leading blank lines: the line must still be 3
        ("\n\nfrom core import api\n", "guest/clean.py:3:1"),
        # ... and dedents an indented body after an unindented first line (a syntax error then)
        ("def late():\n    from core import api\n", "guest/clean.py:2:5"),
        ("if True:\n    from core import api\n", "guest/clean.py:2:5"),
    ],
)
def test_stdin_buffer_keeps_lines_and_indentation_as_typed(project: Path, typed: str, expected: str) -> None:
    result = flake8(project, "--select", "BND101", "--stdin-display-name", "guest/clean.py", "-", stdin=typed)
    assert [line.split(" ")[0] for line in result.lines] == [expected + ":"], result


def test_stdin_buffer_honours_noqa_as_typed(project: Path) -> None:
    result = flake8(
        project, "--select", "BND", "--stdin-display-name", "guest/agent.py", "-", stdin=AGENT_WITH_NOQA
    )
    assert result.lines == [AGENT_111], result
    result = flake8(
        project, "--select", "BND", "--stdin-display-name", "guest/agent.py", "-", stdin=MULTILINE_AGENT
    )
    assert result.lines == [AGENT_111], result


def test_stdin_with_a_pointer_to_a_config_outside_the_packages(tmp_path: Path) -> None:
    """Report paths start with ../ when the config lives below the project (the repo's
    contracts/*.toml style); the buffer must still be matched to its file."""
    root = make_project(
        tmp_path / "project",
        {
            "ci/boundaries.toml": standalone_toml(".."),
            "setup.cfg": "[flake8]\nboundary-lint-config = ci/boundaries.toml\n",
        },
    )
    typed = PROJECT["guest/clean.py"] + "from core import api\n"
    result = flake8(root, "--select", "BND", "--stdin-display-name", "guest/clean.py", "-", stdin=typed)
    assert result.lines == [
        'guest/clean.py:4:1: BND101 guest.clean -> core.api (l.4) breaks "The guest never imports the core" (guest-no-core)',
        'guest/clean.py:4:1: BND111 guest.clean -> core.api (l.4) breaks "layers"',
    ], result


# --- never stale ------------------------------------------------------------------------------


def _edit(path: Path, text: str, mtime_ns: int | None = None) -> None:
    """Write ``text``; then set the modification time to ``mtime_ns`` (default: one second
    after the previous one, as a later save would, whatever the file system's granularity)."""
    before = path.stat() if path.exists() else None
    path.write_text(text, encoding="utf-8")
    if mtime_ns is None:
        mtime_ns = before.st_mtime_ns + 1_000_000_000 if before else path.stat().st_mtime_ns
    os.utime(path, ns=(mtime_ns, mtime_ns))


CLEAN_101 = 'guest/clean.py:4:1: BND101 guest.clean -> core.api (l.4) breaks "The guest never imports the core" (guest-no-core)'
CLEAN_111 = 'guest/clean.py:4:1: BND111 guest.clean -> core.api (l.4) breaks "layers"'


def test_files_changed_between_runs_are_seen_as_they_are_now(project: Path) -> None:
    assert flake8(project, "--select", "BND", ".").lines == EXPECTED  # the cache is now warm

    _edit(project / "guest/clean.py", PROJECT["guest/clean.py"] + "from core import api\n")
    result = flake8(project, "--select", "BND", ".")
    assert result.lines == [
        AGENT_101,
        AGENT_111,
        CLEAN_101,
        CLEAN_111,
        LAZY_101,
        LAZY_111,
        WORKER_102,
        NOTIFY_101,
        NOTIFY_111,
    ], result

    _edit(
        project / "guest/agent.py",
        PROJECT["guest/agent.py"].replace("from core import models\n", "").replace("models.VALUE, ", ""),
    )
    _edit(project / "shared/notify.py", '"""Notifications."""\n\n\ndef send():\n    return 1\n')
    result = flake8(project, "--select", "BND", ".")
    assert result.lines == [CLEAN_101, CLEAN_111, LAZY_101, LAZY_111], result  # worker's chain is gone too

    _edit(project / "guest/extra.py", "from core import models\n\nVALUE = models.VALUE\n")
    result = flake8(project, "-j2", "--select", "BND", ".")
    assert result.lines == [
        CLEAN_101,
        CLEAN_111,
        'guest/extra.py:1:1: BND101 guest.extra -> core.models (l.1) breaks "The guest never imports the core" (guest-no-core)',
        'guest/extra.py:1:1: BND111 guest.extra -> core.models (l.1) breaks "layers"',
        LAZY_101,
        LAZY_111,
    ], result

    (project / "guest/extra.py").unlink()
    result = flake8(project, "--select", "BND", ".")
    assert result.lines == [CLEAN_101, CLEAN_111, LAZY_101, LAZY_111], result


def test_a_file_rewritten_within_the_same_mtime_is_not_stale(project: Path) -> None:
    """A save that leaves the modification time as it was: a file system with 1- or 2-second
    timestamps (ext4 with 128-byte inodes, HFS+, FAT, some network mounts) and a second save in
    the same second, or a tool that keeps mtimes (cp -p, rsync -t, tar)."""
    assert flake8(project, "--select", "BND", ".").lines == EXPECTED  # the cache is now warm
    clean = project / "guest/clean.py"
    _edit(clean, PROJECT["guest/clean.py"] + "from core import api\n", mtime_ns=clean.stat().st_mtime_ns)
    result = flake8(project, "--select", "BND", "guest/clean.py")
    assert result.lines == [CLEAN_101, CLEAN_111], result


# --- the two front ends agree -----------------------------------------------------------------


def test_flake8_lines_equal_boundary_lint_concise_lines(project: Path) -> None:
    write(
        project,
        {
            "guest/agent.py": MULTILINE_AGENT,
            "shared/notify.py": PROJECT["shared/notify.py"].replace(
                "import core.models\n", "import core.models  # noqa: BND111\n"
            ),
        },
    )
    result = flake8(project, "--select", "BND", ".")
    cli = boundary_lint(project, "check", "--format", "concise")
    assert cli.returncode == result.returncode == 1, cli
    assert result.lines == cli.lines, f"{result}\n{cli}"
    assert result.lines == without(AGENT_101, NOTIFY_111)


def test_flake8_lines_equal_boundary_lint_concise_lines_on_the_example(tmp_path: Path) -> None:
    example = tmp_path / "trove-split"
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns(".boundary_lint_cache", "__pycache__"))
    result = flake8(example, "--select", "BND", ".")
    cli = boundary_lint(example, "check", "--format", "concise")
    assert result.lines == cli.lines, f"{result}\n{cli}"
    assert len(result.lines) == 10 and all(": BND1" in line for line in result.lines), result
    assert result.stdout.startswith("./common/notification.py:3:1: BND101 ")


# --- robustness: never a hang, never a traceback, the same lines as the CLI --------------------

NO_CACHE_PYPROJECT = PYPROJECT_NATIVE.replace(
    'root_packages = ["core", "guest", "shared"]\n',
    'root_packages = ["core", "guest", "shared"]\ncache_dir = false\n',
)


def _agree(root: Path, *flake8_args: str) -> Run:
    """flake8 and ``check --format concise`` on the same tree: the same lines, the same exit."""
    result = flake8(root, "--select", "BND", *flake8_args, ".", timeout=60)
    cli = boundary_lint(root, "check", "--format", "concise")
    assert result.lines == cli.lines, f"{result}\n{cli}"
    assert result.returncode == cli.returncode, f"{result}\n{cli}"
    assert result.stderr == "", result
    return result


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_crlf_and_bom_files_are_the_files_on_disk(tmp_path: Path, jobs: str) -> None:
    """flake8's text of a CRLF file or one with a byte order mark never equals the bytes on
    disk: the plugin took them for unsaved buffers and, in a -j worker, scanned them with
    grimp's threads, which do not exist after a fork (a hang, deterministic without a cache)."""
    root = make_project(tmp_path / "project", {"pyproject.toml": NO_CACHE_PYPROJECT})
    agent = root / "guest/agent.py"
    agent.write_bytes(agent.read_bytes().replace(b"\n", b"\r\n"))
    notify = root / "shared/notify.py"
    notify.write_bytes(b"\xef\xbb\xbf" + notify.read_bytes())
    worker = root / "guest/worker.py"
    worker.write_bytes(b"\xef\xbb\xbf" + worker.read_bytes().replace(b"\n", b"\r"))
    result = _agree(root, jobs)
    assert result.lines == EXPECTED, result


def test_a_crlf_buffer_on_stdin_is_the_file_on_disk(project: Path) -> None:
    crlf = PROJECT["guest/agent.py"].replace("\n", "\r\n").encode("utf-8")
    result = flake8(
        project, "--select", "BND", "--stdin-display-name", "guest/agent.py", "-", stdin=crlf, timeout=60
    )
    assert result.lines == [AGENT_101, AGENT_111], result


RELATIVE_ABOVE_THE_TOP = "guest/climb.py:2:1: BND906 relative import above the top-level package: from ... import x (Python raises ImportError; the import is left out of the graph)"


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_a_relative_import_above_the_top_level_package(tmp_path: Path, jobs: str) -> None:
    """grimp's scanner panics on it: Rust panic text on stderr, in flake8 a PanicException
    traceback, and every file scanned again one by one. Now: one BND906, nothing on stderr."""
    root = make_project(tmp_path / "project", {"pyproject.toml": NO_CACHE_PYPROJECT})
    write(root, {"guest/climb.py": "from core import models\nfrom ... import x\n"})
    result = _agree(root, jobs)
    assert RELATIVE_ABOVE_THE_TOP in result.lines, result
    assert (
        'guest/climb.py:1:1: BND101 guest.climb -> core.models (l.1) breaks "The guest never imports the core" (guest-no-core)'
        in result.lines
    )
    assert result.returncode == 1


def test_a_relative_import_above_the_top_in_an_unsaved_buffer(project: Path) -> None:
    typed = PROJECT["guest/clean.py"] + "from .... import x\n"
    result = flake8(
        project, "--select", "BND", "--stdin-display-name", "guest/clean.py", "-", stdin=typed, timeout=60
    )
    assert result.lines == [
        "guest/clean.py:4:1: BND906 relative import above the top-level package: from .... import x "
        "(Python raises ImportError; the import is left out of the graph)"
    ], result


def test_a_symlinked_root_package(tmp_path: Path) -> None:
    """``guest -> src/guest``: flake8's file names and the module map must mean the same files,
    whichever of the two names flake8 is given."""
    root = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    (root / "src").mkdir()
    (root / "guest").rename(root / "src" / "guest")
    (root / "guest").symlink_to(Path("src") / "guest")
    cli = boundary_lint(root, "check", "--format", "concise")
    assert cli.lines == EXPECTED, cli
    # flake8 does not follow the symlink when it walks "." (os.walk's rule); it meets the same
    # files under their real names, and reports them under those.
    walked = flake8(root, "--select", "BND", ".", timeout=60)
    assert walked.lines == sorted(line.replace("guest/", "src/guest/", 1) for line in cli.lines), walked
    through_the_link = flake8(root, "--select", "BND", "guest/agent.py", timeout=60)
    assert through_the_link.lines == [AGENT_101, AGENT_111], through_the_link


def test_noqa_as_flake8_decides_it(tmp_path: Path) -> None:
    """A line that closes a multi-line string with ``# noqa`` in it is covered by that noqa in
    flake8 (it searches the string's lines too); a ``# flake8: noqa`` file is not checked by
    flake8 at all. The CLI suppresses the same, and --disable-noqa reports them in both."""
    root = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    write(
        root,
        {
            "guest/agent.py": 'X = """\n# noqa: BND101\n"""; from core import models\n',
            "guest/lazy.py": "# flake8: noqa\n" + PROJECT["guest/lazy.py"],
        },
    )
    assert _agree(root).lines == [
        'guest/agent.py:3:6: BND111 guest.agent -> core.models (l.3) breaks "layers"',
        WORKER_102,
        NOTIFY_101,
        NOTIFY_111,
    ]
    result = flake8(root, "--select", "BND", "--disable-noqa", ".", timeout=60)
    cli = boundary_lint(root, "check", "--format", "concise", "--disable-noqa")
    assert result.lines == cli.lines and len(result.lines) == 7, f"{result}\n{cli}"


def test_a_file_that_does_not_parse_fails_flake8_select_bnd(tmp_path: Path) -> None:
    """flake8 runs no plugin on a file it cannot parse (it says E999, hidden by --select BND),
    so the file's BND902 is shown where project-level problems are, naming the file."""
    root = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    write(root, {"guest/broken.py": "import core.models\ndef (:\n"})
    cli = boundary_lint(root, "check", "--format", "concise")
    assert "guest/broken.py:2:1: BND902 syntax error: def (:" in cli.lines and cli.returncode == 1, cli
    result = flake8(root, "--select", "BND", ".", timeout=60)
    assert result.returncode == 1, result
    assert result.lines == [
        "core/__init__.py:1:1: BND902 guest/broken.py, line 2: syntax error: def (:",
        *EXPECTED,
    ], result


def test_contract_errors_with_a_namespace_package_first(tmp_path: Path) -> None:
    """The first root package has no __init__.py: the contract-level error goes on the first
    file of it, not on an __init__.py flake8 never checks (it exited 0 where the CLI exits 2)."""
    broken = PYPROJECT_NATIVE.replace('forbidden_modules = ["core"]', 'forbidden_modules = ["core.gone"]')
    root = make_project(tmp_path / "project", {"pyproject.toml": broken})
    (root / "core/__init__.py").unlink()
    cli = boundary_lint(root, "check", "--format", "concise")
    assert cli.returncode == 2, cli
    result = flake8(root, "--select", "BND", ".", timeout=60)
    config = (root / "pyproject.toml").resolve()
    assert result.lines[0] == (
        f"core/api.py:1:1: BND901 {config}, contract 'guest-no-core', key 'forbidden_modules': "
        "module 'core.gone' does not exist"
    ), result
    assert result.returncode == 1


FAILING_CHECK = """\
import boundary_lint.engine

def fail(*args, **kwargs):
    raise {error}

boundary_lint.engine.check = fail
"""


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            "PermissionError(13, 'Permission denied', '/p/guest')",
            "BND903 [Errno 13] Permission denied: '/p/guest'",
        ),
        (
            "KeyError('guest')",
            "BND900 internal error: KeyError: 'guest' (set BOUNDARY_LINT_DEBUG=1 for the "
            "traceback, and please report it)",
        ),
    ],
    ids=["unreadable", "bug"],
)
def test_a_failure_is_one_error_per_file_never_a_traceback(tmp_path: Path, error: str, expected: str) -> None:
    root = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(FAILING_CHECK.format(error=error))
    result = flake8(
        root, "--select", "BND", "guest/agent.py", "shared/util.py", extra_env={"PYTHONPATH": str(hooks)}
    )
    assert result.lines == [f"guest/agent.py:1:1: {expected}", f"shared/util.py:1:1: {expected}"], result
    assert "Traceback" not in result.stderr, result


def test_files_outside_the_project_deleted_files_and_stdin_without_a_name(
    tmp_path: Path, project: Path
) -> None:
    outside = tmp_path / "elsewhere.py"
    outside.write_text("import core.models\n")
    result = flake8(project, "--select", "BND", str(outside), "missing.py", "guest/agent.py", timeout=60)
    assert result.bnd == [AGENT_101, AGENT_111], result
    assert "Traceback" not in result.stderr, result
    unnamed = flake8(project, "--select", "BND", "-", stdin=PROJECT["guest/agent.py"], timeout=60)
    assert (unnamed.returncode, unnamed.stdout) == (0, ""), unnamed


@pytest.mark.slow
def test_a_huge_unsaved_buffer(project: Path) -> None:
    typed = PROJECT["guest/clean.py"] + "from core import api\n" + "VALUE = 1\n" * 200_000
    result = flake8(
        project, "--select", "BND", "--stdin-display-name", "guest/clean.py", "-", stdin=typed, timeout=90
    )
    assert result.lines == [CLEAN_101, CLEAN_111], result
