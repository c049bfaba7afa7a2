"""Helpers for tests/test_flake8.py: a small three-package project written into a temporary
directory, its contracts in every configuration format, and flake8 run for real in a subprocess.

Only flake8, boundary-lint and its runtime dependencies are used, so the tests also run in a
virtualenv holding nothing but OpenStack's ``hacking`` (which pins flake8) and boundary-lint.

The project is Trove's split in miniature:

    core/     may import guest and shared
    guest/    may import shared, never core
    shared/   imports neither
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

PYTHON = sys.executable

PROJECT: dict[str, str] = {
    "core/__init__.py": '"""Core services."""\n',
    "core/models.py": "from shared import util\n\nVALUE = util.VALUE\n",
    "core/api.py": '"""The core API calls the guest (allowed)."""\n\nfrom guest import agent\n\nRUN = agent.run\n',
    "guest/__init__.py": '"""The guest agent."""\n',
    "guest/agent.py": (
        '"""Agent."""\n'
        "\n"
        "from shared import util\n"
        "from core import models\n"
        "\n"
        "\n"
        "def run():\n"
        "    return models.VALUE, util.VALUE\n"
    ),
    "guest/worker.py": ("from shared import notify\n\n\ndef work():\n    return notify.send()\n"),
    "guest/lazy.py": ("def late():\n    import core.models\n\n    return core.models.VALUE\n"),
    "guest/clean.py": "from shared import util\n\nVALUE = util.VALUE\n",
    "shared/__init__.py": '"""Shared code."""\n',
    "shared/util.py": "VALUE = 1\n",
    "shared/notify.py": (
        '"""Notifications."""\n\nimport core.models\n\n\ndef send():\n    return core.models.VALUE\n'
    ),
}

MODULES = frozenset(path[: -len(".py")].replace("/", ".").removesuffix(".__init__") for path in PROJECT)

AGENT_101 = 'guest/agent.py:4:1: BND101 guest.agent -> core.models (l.4) breaks "The guest never imports the core" (guest-no-core)'
AGENT_111 = 'guest/agent.py:4:1: BND111 guest.agent -> core.models (l.4) breaks "layers"'
LAZY_101 = 'guest/lazy.py:2:5: BND101 guest.lazy -> core.models (l.2) breaks "The guest never imports the core" (guest-no-core)'
LAZY_111 = 'guest/lazy.py:2:5: BND111 guest.lazy -> core.models (l.2) breaks "layers"'
WORKER_102 = (
    "guest/worker.py:1:1: BND102 guest.worker -> shared.notify (l.1) -> core.models (l.3)"
    ' breaks "The guest never imports the core" (guest-no-core)'
)
NOTIFY_101 = 'shared/notify.py:3:1: BND101 shared.notify -> core.models (l.3) breaks "shared-standalone"'
NOTIFY_111 = 'shared/notify.py:3:1: BND111 shared.notify -> core.models (l.3) breaks "layers"'

# What every configuration of the three contracts reports on PROJECT, in flake8's order
# (file name, then line and column, then the order the plugin yields them).
EXPECTED = [AGENT_101, AGENT_111, LAZY_101, LAZY_111, WORKER_102, NOTIFY_101, NOTIFY_111]

# -- the same three contracts in every format ------------------------------------------------

_TOML_CONTRACTS = """\
[[{table}]]
id = "guest-no-core"
name = "The guest never imports the core"
type = "forbidden"
source_modules = ["guest"]
forbidden_modules = ["core"]

[[{table}]]
id = "shared-standalone"
type = "forbidden"
source_modules = ["shared"]
forbidden_modules = ["core", "guest"]

[[{table}]]
id = "layers"
type = "layers"
layers = ["core", "guest", "shared"]
"""

PYPROJECT_NATIVE = (
    '[tool.boundary_lint]\nroot_packages = ["core", "guest", "shared"]\n\n'
    + _TOML_CONTRACTS.format(table="tool.boundary_lint.contracts")
)

PYPROJECT_IMPORTLINTER = (
    '[tool.importlinter]\nroot_packages = ["core", "guest", "shared"]\n\n'
    + _TOML_CONTRACTS.format(table="tool.importlinter.contracts")
)


def standalone_toml(source_root: str = ".") -> str:
    """A contracts file of its own (what ``boundary-lint-config`` usually points at)."""
    return (
        f'root_packages = ["core", "guest", "shared"]\nsource_roots = ["{source_root}"]\n\n'
        + _TOML_CONTRACTS.format(table="contracts")
    )


_INI_CONTRACTS = """\
[{prefix}:contract:guest-no-core]
name = The guest never imports the core
type = forbidden
source_modules = guest
forbidden_modules = core

[{prefix}:contract:shared-standalone]
type = forbidden
source_modules = shared
forbidden_modules =
    core
    guest

[{prefix}:contract:layers]
type = layers
layers =
    core
    guest
    shared
"""

INI_NATIVE = "[boundary_lint]\nroot_packages =\n    core\n    guest\n    shared\n\n" + _INI_CONTRACTS.format(
    prefix="boundary_lint"
)

INI_IMPORTLINTER = (
    "[importlinter]\nroot_packages =\n    core\n    guest\n    shared\n\n"
    + _INI_CONTRACTS.format(prefix="importlinter")
)

# A configuration that reports something else, to show which one was read.
DECOY_PYPROJECT = """\
[tool.boundary_lint]
root_packages = ["core", "guest", "shared"]

[[tool.boundary_lint.contracts]]
id = "decoy"
type = "forbidden"
source_modules = ["core"]
forbidden_modules = ["guest"]
"""
DECOY_EXPECTED = ['core/api.py:3:1: BND101 core.api -> guest.agent (l.3) breaks "decoy"']


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def make_project(root: Path, config: dict[str, str] | None = None) -> Path:
    """PROJECT under ``root`` plus the given configuration files."""
    root.mkdir(parents=True, exist_ok=True)
    write(root, PROJECT)
    write(root, config or {})
    return root


# -- running flake8 ------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        """Every reported line, with flake8's leading ``./`` removed."""
        return [line.removeprefix("./") for line in self.stdout.splitlines() if line.strip()]

    @property
    def bnd(self) -> list[str]:
        """The boundary-lint lines only (hacking's or pycodestyle's codes left out)."""
        return [line for line in self.lines if ": BND" in line]

    def __str__(self) -> str:  # shown by pytest when an assertion fails
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


def env() -> dict[str, str]:
    environment = dict(os.environ)
    environment.pop("PYTHONPATH", None)  # run against what is installed, as users do
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    return environment


def run(
    argv: list[str],
    cwd: Path,
    stdin: str | bytes | None = None,
    timeout: float = 120,
    extra_env: dict[str, str] | None = None,
) -> Run:
    """A hang fails the test (subprocess.TimeoutExpired) rather than blocking the run; the
    process runs in a session of its own, so that its -j workers are killed with it."""
    with subprocess.Popen(
        argv,
        cwd=cwd,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**env(), **(extra_env or {})},
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(
                stdin.encode("utf-8") if isinstance(stdin, str) else stdin, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return Run(process.returncode, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"))


def flake8(
    cwd: Path,
    *args: str,
    stdin: str | bytes | None = None,
    timeout: float = 120,
    extra_env: dict[str, str] | None = None,
) -> Run:
    """``python -m flake8 ARGS`` in ``cwd``; the serial run unless ARGS say ``-jN``."""
    if not any(a.startswith(("-j", "--jobs")) for a in args):
        args = ("-j1", *args)
    return run([PYTHON, "-m", "flake8", *args], cwd, stdin, timeout, extra_env)


# flake8 run with a given multiprocessing start method; spawned workers must import this
# file as __mp_main__ without running flake8 again, hence the guard.
START_METHOD_WRAPPER = """\
import multiprocessing
import sys

from flake8.main.cli import main

if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[1])
    sys.exit(main(sys.argv[2:]))
"""


def flake8_with_start_method(cwd: Path, wrapper: Path, method: str, *args: str) -> Run:
    return run([PYTHON, str(wrapper), method, *args], cwd)


def boundary_lint(cwd: Path, *args: str, extra_env: dict[str, str] | None = None) -> Run:
    return run([PYTHON, "-m", "boundary_lint", *args], cwd, extra_env=extra_env)
