"""What discovery and file reading do with hostile or odd trees: unreadable directories and
files, packages nested thousands deep, file names that are not UTF-8, files that are not
regular files, directories Python imports as namespace packages inside a package, bytes that
are not text in the declared encoding. Each case gets a clear message naming the file or
directory, whatever can still be checked is checked, and nothing is silently left out.

The real ``boundary-lint`` console script runs in a subprocess. Permissions do not stop root,
so the unreadable cases run it as an unprivileged user when the suite runs as root (and are
skipped, saying why, when that is not possible); their trees live in a directory that user can
reach, not under pytest's private tmp_path.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_support import BOUNDARY_LINT, Result, clean_env, run_cli
from flake8_support import EXPECTED, PYPROJECT_NATIVE, make_project, write

from boundary_lint.commands.runtime import seconds
from boundary_lint.graph.discovery import discover_project
from boundary_lint.graph.source import decoding_problem

NOBODY = 65534  # the conventional unprivileged user and group
CLEAN = sorted(
    EXPECTED, key=lambda line: (line.split(":")[0], int(line.split(":")[1]), int(line.split(":")[2]), line)
)


def concise(cwd: Path, *args: str) -> Result:
    return run_cli("check", "--format", "concise", "--no-cache", *args, cwd=cwd)


def assert_clean_stderr(result: Result) -> None:
    for noise in ("Traceback", "panicked", "internal error", "Exception ignored"):
        assert noise not in result.stderr, result


def sort_concise(lines: list[str]) -> list[str]:
    return sorted(lines, key=lambda line: (line.split(":")[0], int(line.split(":")[1]), line))


# --- running as a user that permissions apply to --------------------------------------------


def _unprivileged(argv: list[str]) -> tuple[list[str], Callable[[], None] | None]:
    """How to run ``argv`` as a user file permissions apply to: this one, or nobody if this is
    root (with setpriv where it is installed, else by dropping privileges after the fork)."""
    if os.geteuid() != 0:
        return argv, None
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *argv], None

    def drop() -> None:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)

    return argv, drop


def run_unprivileged(argv: list[str], cwd: Path) -> Result:
    command, preexec = _unprivileged(argv)
    completed = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        timeout=120,
        env=clean_env(),
        stdin=subprocess.DEVNULL,
        preexec_fn=preexec,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture
def reachable_tmp() -> Iterator[Path]:
    """A temporary directory the unprivileged user can enter; cleaned up whatever the test
    left unreadable."""
    if os.geteuid() == 0:
        try:
            probe = run_unprivileged([BOUNDARY_LINT, "--version"], Path("/"))
        except OSError as error:
            pytest.skip(f"cannot run boundary-lint as uid {NOBODY}: {error}")
        if probe.returncode != 0:
            pytest.skip(f"cannot run boundary-lint as uid {NOBODY}: {probe.stderr.strip()}")
    directory = Path(tempfile.mkdtemp(prefix="boundary-lint-perm-"))
    directory.chmod(0o755)
    try:
        yield directory
    finally:
        for path, dirs, _ in os.walk(directory):
            for name in dirs:
                os.chmod(os.path.join(path, name), 0o755, follow_symlinks=False)
        shutil.rmtree(directory)


@pytest.fixture
def shared_project(reachable_tmp: Path) -> Path:
    project = make_project(reachable_tmp / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    for path, dirs, files in os.walk(reachable_tmp):
        for name in dirs:
            os.chmod(os.path.join(path, name), 0o755)
        for name in files:
            os.chmod(os.path.join(path, name), 0o644)
    return project


def unprivileged_check(project: Path, *args: str) -> Result:
    return run_unprivileged([BOUNDARY_LINT, "check", "--format", "concise", "--no-cache", *args], project)


# --- unreadable directories and files ---------------------------------------------------------


def test_an_unreadable_subdirectory_is_bnd903_and_the_rest_is_checked(shared_project: Path) -> None:
    sub = shared_project / "guest" / "sub"
    write(shared_project, {"guest/sub/__init__.py": "", "guest/sub/hidden.py": "import core.models\n"})
    # Readable, the violation in it is reported (so the test below can fail).
    readable = unprivileged_check(shared_project)
    assert (
        'guest/sub/hidden.py:1:1: BND101 guest.sub.hidden -> core.models (l.1) breaks "The guest never imports the core" (guest-no-core)'
        in readable.stdout
    )
    for mode in (0o000, 0o311):  # neither readable nor searchable; searchable only
        sub.chmod(mode)
        result = unprivileged_check(shared_project)
        assert_clean_stderr(result)
        assert result.returncode == 1, result
        assert result.stdout.splitlines() == sort_concise(
            [
                *CLEAN,
                "guest/sub:1:1: BND903 cannot read directory: Permission denied; the modules under it are not analysed",
            ]
        ), result
        # flake8 checks files, not directories: said once, where contract-level problems are.
        run = run_unprivileged([sys.executable, "-m", "flake8", "-j1", "--select", "BND"], shared_project)
        assert "Traceback" not in run.stderr, run
        assert sort_concise([line.removeprefix("./") for line in run.stdout.splitlines()]) == sort_concise(
            [
                *CLEAN,
                "core/__init__.py:1:1: BND903 guest/sub: cannot read directory: Permission denied; the modules under it "
                "are not analysed",
            ]
        ), run


def test_unreadable_directories_that_cannot_hold_modules_are_not_errors(shared_project: Path) -> None:
    """Python's own byte-code cache and a directory whose name is not an identifier can hold
    no module: not being able to read them hides nothing."""
    for name in ("__pycache__", "static-files"):
        (shared_project / "guest" / name).mkdir()
        (shared_project / "guest" / name / "x.py").write_text("import core.models\n")
        (shared_project / "guest" / name).chmod(0)
    result = unprivileged_check(shared_project)
    assert_clean_stderr(result)
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == CLEAN


def test_an_unreadable_module_file_is_bnd903_in_our_words(shared_project: Path) -> None:
    (shared_project / "guest" / "agent.py").chmod(0)
    result = unprivileged_check(shared_project)
    assert_clean_stderr(result)
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == sort_concise(
        [
            *[line for line in CLEAN if not line.startswith("guest/agent.py")],
            "guest/agent.py:1:1: BND903 cannot read: Permission denied",
        ]
    )


@pytest.mark.parametrize("mode", [0o000, 0o311])  # neither readable nor searchable; searchable only
def test_an_unreadable_root_package_is_one_clear_error(shared_project: Path, mode: int) -> None:
    unreadable = "guest"
    (shared_project / "guest").chmod(mode)
    result = unprivileged_check(shared_project)
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert result.stderr == (
        f"boundary-lint: error: {shared_project}/pyproject.toml, key 'root_packages': root package 'guest' "
        f"cannot be read: {shared_project}/{unreadable}: Permission denied\n"
    ), result
    # flake8 reports the same, as a BND901 on the files it checks, never a traceback.
    run = run_unprivileged([sys.executable, "-m", "flake8", "-j1", "--select", "BND", "core"], shared_project)
    assert "Traceback" not in run.stderr, run
    assert run.stdout.splitlines()[0].removeprefix("./") == (
        f"core/__init__.py:1:1: BND901 {shared_project}/pyproject.toml, key 'root_packages': root package "
        f"'guest' cannot be read: {shared_project}/{unreadable}: Permission denied"
    ), run


# --- trees discovery must survive -------------------------------------------------------------


def _nest(top: Path, depth: int, leaf: str) -> None:
    """``top/a/a/.../a`` ``depth`` deep, a package at every level, ``leaf`` in the deepest;
    made through directory descriptors, so that paths longer than the system allows can be."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("a", dir_fd=fd)
            inner = os.open("a", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
            os.close(os.open("__init__.py", os.O_CREAT | os.O_WRONLY, dir_fd=fd))
        leaf_fd = os.open("leaf.py", os.O_CREAT | os.O_WRONLY, dir_fd=fd)
        os.write(leaf_fd, leaf.encode())
        os.close(leaf_fd)
    finally:
        os.close(fd)


def _remove_nested(top: Path) -> None:
    """Remove what _nest made, a level at a time from the top: shutil.rmtree recurses (and
    stops with RecursionError) and cannot reach paths longer than the system allows."""
    while (top / "a").is_dir():
        (top / "a").rename(top / "level")
        if (top / "level" / "a").is_dir():
            (top / "level" / "a").rename(top / "a")
        shutil.rmtree(top / "level")


def _check_nested_a_thousand_deep(project: Path, leaf: str) -> Result:
    """``check`` with guest/a/a/.../a/leaf.py 1,000 levels deep (``leaf`` its text): exit 1 and
    a clean stderr. The tree is removed here: its paths are too long for pytest's clean-up."""
    _nest(project / "guest", 1000, leaf)
    try:
        result = concise(project)
    finally:
        _remove_nested(project / "guest")
    assert_clean_stderr(result)
    assert result.returncode == 1, result
    return result


def test_packages_nested_a_thousand_deep(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    result = _check_nested_a_thousand_deep(project, "import core.models\n")
    deep = "/".join(["a"] * 1000)
    module = "guest." + ".".join(["a"] * 1000) + ".leaf"
    assert (
        f'guest/{deep}/leaf.py:1:1: BND101 {module} -> core.models (l.1) breaks "The guest never imports the core" (guest-no-core)'
        in result.stdout
    )


def test_paths_longer_than_the_system_allows_are_reported(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    _nest(project / "guest", 2500, "import core.models\n")  # 5,000 characters: beyond PATH_MAX
    try:
        result = concise(project)
        assert_clean_stderr(result)
        assert result.returncode == 1, result
        problems = [line for line in result.stdout.splitlines() if " BND903 " in line]
        assert problems, result
        assert all(
            line.endswith(
                (
                    "cannot read: File name too long",
                    "cannot read directory: File name too long; the modules under it are not analysed",
                )
            )
            for line in problems
        ), problems
        assert any("cannot read directory" in line for line in problems)
        assert [line for line in result.stdout.splitlines() if " BND903 " not in line] == CLEAN
    finally:
        _remove_nested(project / "guest")


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    name = os.fsdecode(b"bad\xff.py")
    (project / "guest" / name).write_text("import core.models\n")
    result = concise(project)
    assert_clean_stderr(result)
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == sort_concise(
        [*CLEAN, "guest:1:1: BND903 cannot analyse bad\\xff.py: its name is not valid UTF-8"]
    )


def test_module_files_that_are_not_regular_files(tmp_path: Path) -> None:
    """A socket, and links to character devices, each named like a module (a link is not
    followed out of the project: a device file is never opened)."""
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    (project / "guest" / "null.py").symlink_to(os.devnull)
    (project / "guest" / "tty.py").symlink_to("/dev/zero")  # reading it would never end
    listener = socket.socket(socket.AF_UNIX)
    cwd = os.getcwd()
    try:
        os.chdir(project / "guest")  # a socket's path is limited to about 100 characters
        listener.bind("sock.py")
    finally:
        os.chdir(cwd)
    try:
        result = concise(project)
    finally:
        listener.close()
    assert_clean_stderr(result)
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == sort_concise(
        [
            *CLEAN,
            f"guest/null.py:1:1: BND903 cannot analyse: a symbolic link to {os.devnull}, outside the project; not read",
            "guest/sock.py:1:1: BND903 cannot read: not a regular file",
            "guest/tty.py:1:1: BND903 cannot analyse: a symbolic link to /dev/zero, outside the project; not read",
        ]
    )


def test_odd_but_valid_module_names_are_analysed(tmp_path: Path) -> None:
    """Names that are not identifiers, keywords, and two names differing only in case are
    modules for grimp (and so for import-linter): they are analysed the same here."""
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    names = ["my mod", "a-b", "class", "Upper", "upper", "ünïcode"]
    for name in names:
        (project / "guest" / f"{name}.py").write_text("import core.models\n")
    result = concise(project)
    assert_clean_stderr(result)
    assert result.returncode == 1, result
    for name in names:
        assert (
            f'guest/{name}.py:1:1: BND101 guest.{name} -> core.models (l.1) breaks "The guest never imports the core" (guest-no-core)'
            in result.stdout
        )


def test_a_module_file_that_vanishes_during_the_run(tmp_path: Path) -> None:
    """Found, then deleted before it is parsed: reported as unreadable, never taken for a file
    without imports."""
    from boundary_lint.graph.builder import build_project_graph

    project = make_project(tmp_path / "project")
    files = discover_project(("core", "guest", "shared"), (project,))
    (project / "guest" / "agent.py").unlink()
    graph = build_project_graph(("core", "guest", "shared"), (project,), files=files)
    assert [(p.path.name, p.code, p.message) for p in graph.problems] == [
        ("agent.py", "BND903", "cannot read: No such file or directory")
    ]


# --- directories without __init__.py inside a package ------------------------------------------

NAMESPACE_CONFIG = """\
[importlinter]
root_package = pkg

[importlinter:contract:api-no-db]
name = The API never reaches the database
type = forbidden
source_modules =
    pkg.api
forbidden_modules =
    pkg.db
"""


def _lint_imports() -> list[str]:
    found = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(found).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    return [found]


def test_a_directory_without_init_inside_a_package_is_skipped_as_import_linter_does_and_said(
    tmp_path: Path,
) -> None:
    """pkg/helpers/ has no __init__.py: Python imports pkg.helpers.util as a namespace package
    module, and so pkg.api reaches pkg.db at run time. grimp (so import-linter) does not look
    inside such a directory, and we keep its verdicts; --verbose names the directory."""
    project = write(
        tmp_path / "project",
        {
            "pkg/__init__.py": "",
            "pkg/api.py": "from pkg.helpers import util\n",
            "pkg/helpers/util.py": "import pkg.db\n",
            "pkg/db/__init__.py": "",
            ".importlinter": NAMESPACE_CONFIG,
        },
    )
    oracle = subprocess.run(
        [*_lint_imports(), "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_env(NO_COLOR="1"),
    )
    assert oracle.returncode == 0, oracle.stdout + oracle.stderr
    assert "The API never reaches the database KEPT" in oracle.stdout
    result = concise(project, "--verbose")
    assert result.returncode == 0, result
    assert result.stdout == ""
    assert (
        "boundary-lint: not analysed: pkg/helpers: 1 Python file in a directory without __init__.py inside "
        "a package (grimp and import-linter skip it too; add an __init__.py to check them)\n"
    ) in result.stderr, result
    assert "not analysed" not in concise(project).stderr  # said when asked for details only
    # With an __init__.py it is a package like any other: the chain is found by both.
    (project / "pkg" / "helpers" / "__init__.py").write_text("")
    assert (
        subprocess.run(
            [*_lint_imports(), "--no-cache"],
            cwd=project,
            capture_output=True,
            timeout=120,
            env=clean_env(NO_COLOR="1"),
        ).returncode
        == 1
    )
    result = concise(project, "--verbose")
    assert result.returncode == 1, result
    assert "not analysed" not in result.stderr


def test_a_stub_only_init_does_not_make_a_package(tmp_path: Path) -> None:
    """__init__.pyi is for type checkers: Python (and grimp) still see a directory without
    __init__.py, named in --verbose like any other."""
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    write(project, {"guest/typed/__init__.pyi": "", "guest/typed/impl.py": "import core.models\n"})
    result = concise(project, "--verbose")
    assert result.stdout.splitlines() == CLEAN
    assert "boundary-lint: not analysed: guest/typed: 1 Python file" in result.stderr


# --- text that is not valid in its encoding -------------------------------------------------


@pytest.mark.parametrize(
    "data,expected",
    [
        (
            b'X = "\xff"\nimport core.models\n',
            "guest/bad.py:1:1: BND903 cannot analyse: not valid utf-8 text (invalid start byte at byte 5)",
        ),
        (
            b'import core.models\nX = "\xff"\n',
            "guest/bad.py:2:1: BND903 cannot analyse: not valid utf-8 text (invalid start byte at byte 24)",
        ),
        (
            b'\xef\xbb\xbfimport core.models\nX = "\xff"\n',
            "guest/bad.py:2:1: BND903 cannot analyse: not valid utf-8 text (invalid start byte at byte 27)",
        ),
        (
            b"# coding: klingon\nimport core.models\n",
            "guest/bad.py:1:1: BND903 cannot analyse: unknown encoding 'klingon' in the coding declaration",
        ),
    ],
)
def test_undecodable_files_are_reported_in_our_words_at_the_bad_line(
    tmp_path: Path, data: bytes, expected: str
) -> None:
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    (project / "guest" / "bad.py").write_bytes(data)
    result = concise(project)
    assert_clean_stderr(result)
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == sort_concise([*CLEAN, expected])


def test_a_declared_encoding_on_line_two_is_respected(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    (project / "guest" / "latin.py").write_bytes(
        b'#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\nX = "\xff"\nimport core.models\n'
    )
    result = concise(project)
    assert result.returncode == 1, result
    assert (
        'guest/latin.py:4:1: BND101 guest.latin -> core.models (l.4) breaks "The guest never imports the core" (guest-no-core)'
        in result.stdout
    )


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"import os\n", None),
        (b"", None),
        (b"\xef\xbb\xbfimport os\n", None),
        (b"# -*- coding: latin-1 -*-\nX = '\xff'\n", None),
        (b"#!/usr/bin/env python\n# coding=cp1252\nX = '\x80'\n", None),
        (b"X = '\xff'\n", (1, "not valid utf-8 text (invalid start byte at byte 5)")),
        (b"# \xff\n", (1, "not valid utf-8 text (invalid start byte at byte 2)")),
        (b"import os\n\n\nX = '\xc3'\n", (4, "not valid utf-8 text (invalid continuation byte at byte 17)")),
        # A declaration on line 2 counts only after a comment or blank line 1, as for Python.
        (
            b"X = 1\n# coding: latin-1\nY = '\xff'\n",
            (3, "not valid utf-8 text (invalid start byte at byte 29)"),
        ),
        (
            b"# coding: ascii\nX = '\xc3\xa9'\n",
            (2, "not valid ascii text (ordinal not in range(128) at byte 21)"),
        ),
        (b"# coding: nope\n", (1, "unknown encoding 'nope' in the coding declaration")),
        (b"\n# coding: nope\n", (2, "unknown encoding 'nope' in the coding declaration")),
        (
            b"\xef\xbb\xbf# coding: latin-1\n",
            (1, "a UTF-8 byte order mark, but a coding declaration for latin-1"),
        ),
        (b"\xef\xbb\xbf# coding: utf8\n", (1, "a UTF-8 byte order mark, but a coding declaration for utf8")),
        (b"\xef\xbb\xbf# coding: UTF_8\n", None),
        (b"\xef\xbb\xbf# coding: utf-8-sig\n", None),
        (
            b"\xef\xbb\xbf# coding: utf-8\nX = '\xff'\n",
            (2, "not valid utf-8 text (invalid start byte at byte 24)"),
        ),
    ],
)
def test_decoding_problem(data: bytes, expected: tuple[int, str] | None) -> None:
    assert decoding_problem(data) == expected
    # Where Python cannot read the file, we say why; what we read, Python reads. (Python 3.11
    # does not check the bytes of a comment, which grimp cannot parse: "# \xff" is reported.)
    try:
        compile(data, "<test>", "exec")
    except SyntaxError:
        assert expected is not None
    else:
        assert expected is None or data.startswith(b"# \xff")


# --- runtime --timeout ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,message",
    [
        ("nan", "must be a positive number of seconds, not 'nan'"),
        ("-1", "must be a positive number of seconds, not '-1'"),
        ("0", "must be a positive number of seconds, not '0'"),
        ("inf", "must be a positive number of seconds, not 'inf'"),
        ("1e400", "must be a positive number of seconds, not '1e400'"),
        ("soon", "not a number of seconds: 'soon'"),
    ],
)
def test_runtime_timeout_must_be_a_positive_number_of_seconds(
    tmp_path: Path, text: str, message: str
) -> None:
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    result = run_cli("runtime", f"--timeout={text}", "guest.agent", cwd=project)
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"boundary-lint runtime: error: argument --timeout: {message}", (
        result
    )


def test_runtime_timeout_accepts_fractions(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    result = run_cli("runtime", "--timeout", "30.5", "guest.clean", cwd=project)
    assert result.returncode == 0, result
    assert seconds("0.25") == 0.25


# --- files that would crash the parser ---------------------------------------------------------


def _chain(levels: int) -> str:
    """An attribute chain ``levels`` deep: valid syntax, nested as deep as it is long."""
    return "import core.models\nX = core" + ".a" * levels + "\n"


def test_a_deeply_nested_file_parsed_alone_does_not_crash_the_checker(tmp_path: Path) -> None:
    """With a warm cache, one new file is parsed alone, on the calling thread: 300,000 levels
    (600 KB) overflowed the main thread's stack (SIGSEGV, no message)."""
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    assert run_cli("check", cwd=project).returncode == 1  # the cache is warm
    (project / "guest" / "deep.py").write_text(_chain(300_000))
    result = run_cli("check", "--format", "concise", cwd=project)
    assert_clean_stderr(result)
    assert result.returncode == 1, result
    assert (
        'guest/deep.py:1:1: BND101 guest.deep -> core.models (l.1) breaks "The guest never imports the core" (guest-no-core)'
        in result.stdout
    )


def test_a_file_that_would_crash_the_parser_is_bnd903(tmp_path: Path) -> None:
    """3,000,000 levels (6 MB) overflow even a 64 MiB stack: such a large file is parsed in a
    child process first, and reported when the child crashes."""
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    (project / "guest" / "deep.py").write_text(_chain(3_000_000))
    result = concise(project)
    assert_clean_stderr(result)
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == sort_concise(
        [
            *CLEAN,
            "guest/deep.py:1:1: BND903 cannot analyse: grimp's parser crashes on it (typically an expression nested "
            "deeper than Python itself can compile)",
        ]
    )


def test_a_chain_too_deep_for_pythons_parser_with_dynamic_imports(tmp_path: Path) -> None:
    """Rules that read syntax trees parse with Python, which gives up (RecursionError) at a few
    thousand levels: the file's imports are still reported, no internal error."""
    project = make_project(
        tmp_path / "project",
        {"pyproject.toml": PYPROJECT_NATIVE.replace("\n\n", "\ndynamic_imports = true\n\n", 1)},
    )
    (project / "guest" / "deep.py").write_text(_chain(5000) + "import core.api\n")
    result = concise(project)
    assert_clean_stderr(result)
    assert result.returncode == 1, result
    assert (
        'guest/deep.py:3:1: BND101 guest.deep -> core.api (l.3) breaks "The guest never imports the core" (guest-no-core)'
        in result.stdout
    )


def test_ensure_thread_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    from boundary_lint.graph.parser_guard import THREAD_STACK, ensure_thread_stack

    for before, after in [
        (None, THREAD_STACK),
        ("1024", THREAD_STACK),
        ("junk", THREAD_STACK),
        (str(THREAD_STACK * 2), THREAD_STACK * 2),
    ]:
        if before is None:
            monkeypatch.delenv("RUST_MIN_STACK", raising=False)
        else:
            monkeypatch.setenv("RUST_MIN_STACK", before)
        ensure_thread_stack()
        assert os.environ["RUST_MIN_STACK"] == str(after)


def test_on_large_stack_returns_and_raises() -> None:
    from boundary_lint.graph.parser_guard import on_large_stack

    assert on_large_stack(lambda: 42) == 42
    with pytest.raises(KeyError):
        on_large_stack(lambda: dict[str, int]()["missing"])


# --- symbolic links out of the project --------------------------------------------------------

SECRET = "hunter2-boundary-lint-test-secret"


def test_symbolic_links_out_of_the_project_are_not_read(tmp_path: Path) -> None:
    """A link planted in a package must not make us read a file elsewhere: a syntax error
    quotes its line, so /proc/self/environ put CI's secrets in the report."""
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    outside = write(
        tmp_path / "outside",
        {
            "secret.py": f"TOKEN = {SECRET!r}\n{SECRET} is not Python\n",
            "pkg/__init__.py": "",
            "pkg/mod.py": "import core.models\n",
        },
    )
    guest = project / "guest"
    (guest / "leak.py").symlink_to(outside / "secret.py")
    (guest / "pkg").symlink_to(outside / "pkg")
    links = [
        "guest/leak.py:1:1: BND903 cannot analyse: a symbolic link to "
        f"{outside}/secret.py, outside the project; not read",
        f"guest/pkg:1:1: BND903 symbolic link to {outside}/pkg, outside the project: not followed, "
        "so the modules under it are not analysed",
    ]
    if Path("/proc/self/environ").is_file():
        (guest / "environ.py").symlink_to("/proc/self/environ")
        links.append(
            "guest/environ.py:1:1: BND903 cannot analyse: a symbolic link to /proc/self/environ, "
            "outside the project; not read"
        )
    env = clean_env(BOUNDARY_LINT_TEST_SECRET=SECRET)
    for fmt in ("concise", "json", "text"):
        completed = subprocess.run(
            [BOUNDARY_LINT, "check", "--no-cache", "--format", fmt],
            cwd=project,
            capture_output=True,
            timeout=120,
            env=env,
        )
        assert completed.returncode == 1, completed
        assert SECRET.encode() not in completed.stdout + completed.stderr, fmt
    result = concise(project)
    assert result.stdout.splitlines() == sort_concise([*CLEAN, *links])
    # The same links, each pointing inside the project, are followed like any other file.
    for name in ("leak.py", "pkg", "environ.py"):
        if (guest / name).is_symlink():
            (guest / name).unlink()
    (guest / "leak.py").symlink_to(project / "shared" / "notify.py")
    (guest / "pkg").symlink_to(Path("..") / "shared")
    result = concise(project)
    assert result.returncode == 1, result
    assert "BND903" not in result.stdout
    assert (
        'guest/leak.py:3:1: BND101 guest.leak -> core.models (l.3) breaks "The guest never imports the core" (guest-no-core)'
        in result.stdout
    )
    assert (
        'guest/pkg/notify.py:3:1: BND101 guest.pkg.notify -> core.models (l.3) breaks "The guest never imports the core" (guest-no-core)'
        in result.stdout
    )


def test_inside_is_a_prefix_test_on_whole_directory_names(tmp_path: Path) -> None:
    from boundary_lint.graph.discovery import Inside

    inside = Inside([tmp_path / "project", tmp_path / "src" / "pkg"])
    root = os.path.realpath(tmp_path)
    assert inside(f"{root}/project")
    assert inside(f"{root}/project/a/b.py")
    assert inside(f"{root}/src/pkg/x.py")
    assert not inside(f"{root}/project2/x.py")  # shares a prefix, not a directory
    assert not inside(f"{root}/src/x.py")
    assert not inside("/etc/passwd")


def test_links_that_double_the_tree_at_every_level_end(tmp_path: Path) -> None:
    """Two links to the next directory at each of 25 levels: 2**25 directories by name, a walk
    that never ended (grimp's neither). Each directory is entered at most MAX_ENTRIES times."""
    from boundary_lint.graph.discovery import MAX_ENTRIES

    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    levels = 25
    for i in range(levels + 1):
        write(project, {f"guest/d{i}/__init__.py": "", f"guest/d{i}/m.py": "import core.models\n"})
    for i in range(levels):
        for name in ("x", "y"):
            (project / "guest" / f"d{i}" / name).symlink_to(Path("..") / f"d{i + 1}")
    result = run_cli("check", "--format", "concise", "--no-cache", cwd=project)
    assert_clean_stderr(result)
    assert result.returncode == 1, result
    capped = [line for line in result.stdout.splitlines() if f"more than {MAX_ENTRIES} times" in line]
    assert capped and all(" BND903 symbolic links lead to " in line for line in capped)
    deepest = project.resolve() / "guest" / f"d{levels}"
    assert any(f"lead to {deepest} more than" in line for line in capped)
    # Every real directory is still analysed under its own name, and the report is the same
    # every time (the walk goes in name order).
    for i in range(levels + 1):
        assert (
            f'guest/d{i}/m.py:1:1: BND101 guest.d{i}.m -> core.models (l.1) breaks "The guest never imports the core" (guest-no-core)'
            in result.stdout
        )
    assert run_cli("check", "--format", "concise", "--no-cache", cwd=project).stdout == result.stdout


def test_a_directory_that_vanishes_during_the_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listed in its parent, gone when it is read: reported, the rest found as before."""
    from boundary_lint.graph import discovery

    project = make_project(tmp_path / "project")
    write(project, {"guest/gone/__init__.py": "", "guest/gone/m.py": "import core.models\n"})
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(path) == "gone":
            raise FileNotFoundError(2, "No such file or directory", path)
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    files = discover_project(("core", "guest", "shared"), (project,))
    assert [(p.path, p.code, p.message) for p in files.problems] == [
        (
            project / "guest" / "gone",
            "BND903",
            "cannot read directory: No such file or directory; the modules under it are not analysed",
        )
    ]
    assert "guest.agent" in files.filenames and not any(
        name.startswith("guest.gone") for name in files.filenames
    )


def test_a_moved_contract_on_a_tree_a_thousand_deep_outside_git(tmp_path: Path) -> None:
    """The moved contract reads every file of the repository (a walk, outside git), which
    recursed: RecursionError on a tree 1,000 deep."""
    moved = '\n[[tool.boundary_lint.contracts]]\nid = "moved"\ntype = "moved"\nmoves = ["shared.util -> shared.tools"]\n'
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE + moved})
    result = _check_nested_a_thousand_deep(project, "from shared import util\n")
    deep = "/".join(["a"] * 1000)
    assert any(
        line.startswith(f"guest/{deep}/leaf.py:1:") and " BND201 " in line
        for line in result.stdout.splitlines()
    )


def test_real_directories_agree_with_realpath(tmp_path: Path) -> None:
    from boundary_lint.graph.repository import _RealDirectories

    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "a" / "l").symlink_to(tmp_path / "x")
    (tmp_path / "a" / "rel").symlink_to(Path("b") / "c")
    (tmp_path / "a" / "rel2").symlink_to(Path("l") / "y")
    (tmp_path / "loop").symlink_to("loop")
    real = _RealDirectories()
    paths: list[Path | str] = [
        tmp_path,
        tmp_path / "a",
        tmp_path / "a/b/c",
        tmp_path / "a/l",
        tmp_path / "a/l/y",
        tmp_path / "a/rel",
        tmp_path / "a/rel/../b",
        f"{tmp_path}/a/",
        tmp_path / "loop",
        tmp_path / "a/rel2",
        f"{tmp_path}/a/./b",
        "/",
    ]
    for path in paths:
        assert real(path) == os.path.realpath(path), path
