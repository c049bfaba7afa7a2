"""Helpers for tests/test_cli.py: run the real ``boundary-lint`` console script in a subprocess
on a copy of a tree under tests/trees/, with configuration files written per test."""

from __future__ import annotations

import contextlib
import io
import os
import pty
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

TREES = Path(__file__).parent / "trees"

# The console script installed next to this interpreter (``pip install -e``), else on PATH.
_SCRIPT = Path(sys.executable).with_name("boundary-lint")
BOUNDARY_LINT = str(_SCRIPT) if _SCRIPT.is_file() else shutil.which("boundary-lint") or "boundary-lint"

CONCISE_LINE = re.compile(r"^(.*):(\d+):(\d+): (.*)$")
BND_CODE = re.compile(r"^BND\d{3}$")
ANSI = re.compile(r"\x1b\[")


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout_bytes: bytes
    stderr_bytes: bytes

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8")

    @property
    def stderr(self) -> str:
        return self.stderr_bytes.decode("utf-8")

    def __str__(self) -> str:  # shown by pytest when an assertion fails
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(extra)
    return env


def run_cli(
    *args: str | os.PathLike[str],
    cwd: Path,
    command: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    """Run ``boundary-lint ARGS`` in ``cwd`` with stdout and stderr as pipes (never a TTY)."""
    argv = (command or [BOUNDARY_LINT]) + [str(a) for a in args]
    completed = subprocess.run(
        argv, cwd=cwd, capture_output=True, timeout=60, env=env or clean_env(), stdin=subprocess.DEVNULL
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def run_on_tty(
    args: list[str], cwd: Path, env: dict[str, str], tty: Literal["stdout", "stderr"] = "stdout"
) -> tuple[int, str, str]:
    """Run ``boundary-lint ARGS`` with one stream (``tty``: "stdout" or "stderr") on a
    pseudo-terminal and the other on a pipe; return the exit code, what the terminal got and
    what the pipe got."""
    leader, follower = pty.openpty()
    stdout = follower if tty == "stdout" else subprocess.PIPE
    stderr = follower if tty == "stderr" else subprocess.PIPE
    try:
        process = subprocess.Popen(
            [BOUNDARY_LINT, *args], cwd=cwd, stdin=subprocess.DEVNULL, env=env, stdout=stdout, stderr=stderr
        )
    finally:
        os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    out, err = process.communicate(timeout=60)
    piped = (err if tty == "stdout" else out).decode("utf-8")
    return process.returncode, b"".join(chunks).decode("utf-8").replace("\r\n", "\n"), piped


def check(*args: str | os.PathLike[str], cwd: Path) -> Result:
    """``boundary-lint check ARGS`` in ``cwd``, in this process (``cli.main``): what the console
    script runs, without starting an interpreter per test. What only a real process shows (exit
    status through a pipe, a terminal, signals) is tested with ``run_cli``."""
    return run_main("check", *args, cwd=cwd)


def run_main(*args: str | os.PathLike[str], cwd: Path) -> Result:
    from boundary_lint.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    # As a subprocess's pipes are: UTF-8 (the tests' locale), "\n" line ends, never a TTY.
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", newline="\n", write_through=True)
    stderr = io.TextIOWrapper(
        err, encoding="utf-8", errors="backslashreplace", newline="\n", write_through=True
    )
    with contextlib.chdir(cwd), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            status = main([str(a) for a in args])
        except SystemExit as exit:  # argparse's usage errors
            status = exit.code if isinstance(exit.code, int) else 2
    stdout.flush()
    stderr.flush()
    return Result(status, out.getvalue(), err.getvalue())


def copy_tree(name: str, destination: Path) -> Path:
    """Copy tests/trees/NAME's contents into ``destination`` (created); return it."""
    shutil.copytree(TREES / name, destination, dirs_exist_ok=True)
    return destination


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def concise_lines(result: Result) -> list[str]:
    return result.stdout.splitlines()


def assert_config_error(result: Result, expected_message: str) -> None:
    """Exit 2, nothing on stdout, exactly one line on stderr: the expected message, and no
    traceback."""
    assert result.returncode == 2, result
    assert result.stdout == "", result
    assert "Traceback" not in result.stderr, result
    assert result.stderr == f"boundary-lint: error: {expected_message}\n", result


# --- the cli_shop tree and its usual three contracts, in every configuration source -----------

SHOP_CONCISE = [
    'shop/api/views.py:3:1: BND102 shop.api.views -> shop.services.orders (l.3) -> shop.db.models (l.1) breaks "The API never touches the database" (api-no-db)',
    'shop/api/views.py:8:5: BND101 shop.api.views -> shop.db.models (l.8) breaks "The API never touches the database" (api-no-db)',
    'shop/services/orders.py:2:1: BND111 shop.services.orders -> shop.api.schemas (l.2) breaks "api above services above db" (shop-layers)',
]
# The import on views.py line 4 carries "# noqa: BND101".
SHOP_SUPPRESSED = 'shop/api/views.py:4:1: BND101 shop.api.views -> shop.db.session (l.4) breaks "The API never touches the database" (api-no-db)'

SHOP_TEXT = """\
BROKEN The API never touches the database [api-no-db, forbidden]
  shop/api/views.py:3:1: BND102 shop.api.views imports, through a chain, shop.db.models
      shop.api.views -> shop.services.orders  shop/api/views.py:3
      shop.services.orders -> shop.db.models  shop/services/orders.py:1
  shop/api/views.py:8:5: BND101 shop.api.views imports shop.db.models
      shop.api.views -> shop.db.models  shop/api/views.py:8
  (1 suppressed by noqa)

BROKEN api above services above db [shop-layers, layers]
  shop/services/orders.py:2:1: BND111 shop.services.orders imports shop.api.schemas
      shop.services.orders -> shop.api.schemas  shop/services/orders.py:2

KEPT   util and db are independent [util-alone, independence]

3 contracts: 1 kept, 2 broken; 3 violations (1 suppressed); 0 errors
"""

_TOML_CONTRACTS = """
    [[{table}contracts]]
    id = "api-no-db"
    name = "The API never touches the database"
    type = "forbidden"
    source_modules = ["shop.api"]
    forbidden_modules = ["shop.db"]

    [[{table}contracts]]
    id = "shop-layers"
    name = "api above services above db"
    type = "layers"
    layers = ["shop.api", "shop.services", "shop.db"]

    [[{table}contracts]]
    id = "util-alone"
    name = "util and db are independent"
    type = "independence"
    modules = ["shop.util", "shop.db"]
"""

PYPROJECT_NATIVE = """
    [project]
    name = "shop"

    [tool.boundary_lint]
    root_packages = ["shop"]
""" + _TOML_CONTRACTS.format(table="tool.boundary_lint.")


def standalone_toml(source_root: str = ".") -> str:
    """The same keys at the top level of a file of its own (given with --config)."""
    head = f"""
    root_packages = ["shop"]
    source_roots = ["{source_root}"]
"""
    return head + _TOML_CONTRACTS.format(table="")


PYPROJECT_IMPORTLINTER = """
    [tool.importlinter]
    root_package = "shop"
""" + _TOML_CONTRACTS.format(table="tool.importlinter.")

# Native INI: lists as multi-line values or on one comma-separated line.
INI_NATIVE = """
    [metadata]
    name = shop

    [boundary_lint]
    root_packages = shop
    include_external_packages = false

    [boundary_lint:contract:api-no-db]
    name = The API never touches the database
    type = forbidden
    source_modules = shop.api
    forbidden_modules =
        shop.db

    [boundary_lint:contract:shop-layers]
    name = api above services above db
    type = layers
    layers =
        shop.api
        shop.services
        shop.db

    [boundary_lint:contract:util-alone]
    name = util and db are independent
    type = independence
    modules = shop.util, shop.db
"""

# import-linter's own INI, as import-linter documents it (also in setup.cfg).
INI_IMPORTLINTER = """
    [importlinter]
    root_package = shop

    [importlinter:contract:api-no-db]
    name = The API never touches the database
    type = forbidden
    source_modules =
        shop.api
    forbidden_modules =
        shop.db

    [importlinter:contract:shop-layers]
    name = api above services above db
    type = layers
    layers =
        shop.api
        shop.services
        shop.db

    [importlinter:contract:util-alone]
    name = util and db are independent
    type = independence
    modules =
        shop.util
        shop.db
"""

# A native configuration of one contract only: to see which source discovery picked.
PYPROJECT_ONE_CONTRACT = """
    [tool.boundary_lint]
    root_packages = ["shop"]

    [[tool.boundary_lint.contracts]]
    id = "shop-layers"
    name = "api above services above db"
    type = "layers"
    layers = ["shop.api", "shop.services", "shop.db"]
"""
INI_NATIVE_ONE_CONTRACT = """
    [boundary_lint]
    root_packages = shop

    [boundary_lint:contract:shop-layers]
    name = api above services above db
    type = layers
    layers = shop.api, shop.services, shop.db
"""


def shop_project(
    directory: Path, config_name: str = "pyproject.toml", config: str = PYPROJECT_NATIVE
) -> Path:
    """The cli_shop tree in ``directory`` with one configuration file; returns ``directory``."""
    copy_tree("cli_shop", directory)
    write(directory / config_name, config)
    return directory
