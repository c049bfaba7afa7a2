"""Entry points and paste factories (``module:attr`` in configuration files) are checked by
``references`` contracts: BND214 at the reference, through the CLI as a subprocess."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from cli_support import check, clean_env, run_cli, write
from system_tools import require_tool

CONTRACT = """
    [[contracts]]
    id = "refs"
    type = "references"
"""


def project(root: Path, *, cache: bool = False, contract: str = CONTRACT) -> Path:
    """A package ``pkg`` with a module defining a few names, and a references contract."""
    write(root / "pkg" / "__init__.py", "")
    write(
        root / "pkg" / "cli.py",
        """
        import os
        from os import path as ospath

        def main():
            pass

        class App:
            @classmethod
            def factory(cls, global_conf):
                return cls()

        if os.name == "posix":
            def posix_main():
                pass

        VERSION = "1"
    """,
    )
    write(root / "pkg" / "plugins" / "__init__.py", "from pkg.plugins.base import *\n")
    write(root / "pkg" / "plugins" / "base.py", "class Base:\n    pass\n")
    write(root / "pkg" / "plugins" / "ping.py", "class Ping:\n    pass\n")
    cache_line = "" if cache else "cache_dir = false\n"
    write(root / "boundary-lint.toml", f'root_packages = ["pkg"]\n{cache_line}' + contract)
    return root


def concise(root: Path) -> list[str]:
    result = check("--config", "boundary-lint.toml", "--format", "concise", cwd=root)
    assert result.returncode in (0, 1), result
    assert (result.returncode == 1) == bool(result.stdout), result
    return [line.removesuffix(' breaks "refs"') for line in result.stdout.splitlines()]


def test_setup_cfg_entry_points_pbr_and_setuptools_sections(tmp_path: Path) -> None:
    root = project(tmp_path)
    write(
        root / "setup.cfg",
        """
        [metadata]
        name = pkg

        [entry_points]
        console_scripts =
            good = pkg.cli:main
            nested = pkg.cli:App.factory
            conditional = pkg.cli:posix_main
            imported = pkg.cli:ospath
            assigned = pkg.cli:VERSION
            with-extras = pkg.cli:main [cli]
            no-module = pkg.gone:main
            no-attr = pkg.cli:mian
            other-distribution = other.cli:main
        pkg.drivers =
            submodule = pkg.plugins:ping
            star = pkg.plugins:Base
            module-only = pkg.plugins.ping
            module-only-gone = pkg.plugins.pong

        [options.entry_points]
        gui_scripts =
            gui = pkg.cli:gui_main
    """,
    )
    assert concise(root) == [
        "setup.cfg:12:17: BND214 console_scripts entry point no-module = pkg.gone:main names nothing that exists "
        "(no module pkg.gone; the nearest module is pkg)",
        "setup.cfg:13:15: BND214 console_scripts entry point no-attr = pkg.cli:mian names nothing that exists "
        "(pkg.cli defines no mian)",
        "setup.cfg:19:24: BND214 pkg.drivers entry point module-only-gone = pkg.plugins.pong names nothing that "
        "exists (no module pkg.plugins.pong; the nearest module is pkg.plugins)",
        "setup.cfg:23:11: BND214 gui_scripts entry point gui = pkg.cli:gui_main names nothing that exists "
        "(pkg.cli defines no gui_main)",
    ]


def test_pyproject_entry_point_tables(tmp_path: Path) -> None:
    root = project(tmp_path)
    write(
        root / "pyproject.toml",
        """
        [project]
        name = "pkg"
        dependencies = ["other:thing"]  # not an entry point

        [project.scripts]
        good = "pkg.cli:main"
        bad = "pkg.cli:nope"   # a comment
        quiet = "pkg.cli:hush"  # noqa: BND214

        [project.gui-scripts]
        "gui app" = 'pkg.gui:main'

        [project.entry-points."pkg.drivers"]
        ping = "pkg.plugins.ping:Ping"
        pong = "pkg.plugins.pong:Pong"

        [tool.poetry.scripts]
        poetry-tool = "pkg.cli:poetry_main"

        [tool.other]
        value = "pkg.cli:not_an_entry_point"
    """,
    )
    assert concise(root) == [
        "pyproject.toml:7:8: BND214 console_scripts entry point bad = pkg.cli:nope names nothing that exists "
        "(pkg.cli defines no nope)",
        "pyproject.toml:11:14: BND214 gui_scripts entry point gui app = pkg.gui:main names nothing that exists "
        "(no module pkg.gui; the nearest module is pkg)",
        "pyproject.toml:15:9: BND214 pkg.drivers entry point pong = pkg.plugins.pong:Pong names nothing that exists "
        "(no module pkg.plugins.pong; the nearest module is pkg.plugins)",
        "pyproject.toml:18:16: BND214 console_scripts entry point poetry-tool = pkg.cli:poetry_main names nothing "
        "that exists (pkg.cli defines no poetry_main)",
    ]
    result = check("--config", "boundary-lint.toml", "--format", "json", cwd=root)
    [quiet] = [
        v for c in json.loads(result.stdout)["contracts"] for v in c["violations"] if "hush" in v["message"]
    ]
    assert quiet["suppressed"] and json.loads(result.stdout)["summary"]["suppressed"] == 1


def test_paste_factories_and_module_attr_values_in_config_files(tmp_path: Path) -> None:
    root = project(tmp_path)
    write(
        root / "etc" / "pkg" / "api-paste.ini",
        """
        [composite:pkg]
        use = call:pkg.cli:urlmap
        /: versions
        /v1.0: api

        [app:versions]
        paste.app_factory = pkg.cli:App.factory

        [filter:auth]
        paste.filter_factory = pkg.auth:Middleware.factory

        [filter:external]
        paste.filter_factory = keystonemiddleware.auth_token:filter_factory

        [filter:egg]
        use = egg:oslo.middleware#http_proxy_to_wsgi

        [app:api]
        paste.app_factory = pkg:app_factory
        # paste.app_factory = pkg.commented:out
    """,
    )
    write(
        root / "etc" / "pkg" / "api-paste.ini.test", "[app:api]\npaste.app_factory = pkg.cli:test_factory\n"
    )
    write(
        root / "etc" / "pkg" / "notes.ini.txt", "[app:api]\npaste.app_factory = pkg.cli:not_a_config_file\n"
    )
    write(
        root / "etc" / "pkg" / "pkg.conf.sample",
        """
        [DEFAULT]
        # Not references: times, owners, ports, URLs, paths, words.
        backup_window = 10:30
        owner = pkg:pkg
        bind = localhost:8080
        endpoint = http://pkg.example.org:5000/v3
        endpoint_path = pkg.cli:main/extra
        driver = pkg.drivers:Missing and more
        note = see pkg.cli:main
        # A value that is exactly dotted.module:attr is one.
        strategy = pkg.cli:InnoBackup
        strategy_ok = pkg.cli:App
    """,
    )
    assert concise(root) == [
        "etc/pkg/api-paste.ini:2:12: BND214 use = call:pkg.cli:urlmap names nothing that exists "
        "(pkg.cli defines no urlmap)",
        "etc/pkg/api-paste.ini:10:24: BND214 paste.filter_factory = pkg.auth:Middleware.factory names nothing that "
        "exists (no module pkg.auth; the nearest module is pkg)",
        "etc/pkg/api-paste.ini:19:21: BND214 paste.app_factory = pkg:app_factory names nothing that exists "
        "(pkg defines no app_factory)",
        "etc/pkg/api-paste.ini.test:2:21: BND214 paste.app_factory = pkg.cli:test_factory names nothing that exists "
        "(pkg.cli defines no test_factory)",
        "etc/pkg/pkg.conf.sample:11:12: BND214 strategy = pkg.cli:InnoBackup names nothing that exists "
        "(pkg.cli defines no InnoBackup)",
    ]


def test_a_moved_module_leaves_no_dangling_entry_point(tmp_path: Path) -> None:
    """As after ``git mv pkg/plugins pkgplugins`` with setup.cfg left as it was."""
    root = project(tmp_path)
    write(
        root / "setup.cfg",
        """
        [entry_points]
        pkg.drivers =
            ping = pkg.plugins.ping:Ping
    """,
    )
    assert concise(root) == []
    (root / "pkg" / "plugins").rename(root / "pkgplugins")
    config = root / "boundary-lint.toml"
    config.write_text(config.read_text().replace('["pkg"]', '["pkg", "pkgplugins"]'))
    write(root / "pkgplugins" / "__init__.py", "from pkgplugins.base import *\n")
    assert concise(root) == [
        "setup.cfg:3:12: BND214 pkg.drivers entry point ping = pkg.plugins.ping:Ping names nothing that exists "
        "(no module pkg.plugins.ping; the nearest module is pkg)",
    ]
    setup = root / "setup.cfg"
    setup.write_text(setup.read_text().replace("pkg.plugins.ping:Ping", "pkgplugins.ping:Ping"))
    assert concise(root) == []
    setup.write_text(setup.read_text().replace("pkgplugins.ping:Ping", "pkgplugins.ping:Pong"))
    assert concise(root) == [
        "setup.cfg:3:12: BND214 pkg.drivers entry point ping = pkgplugins.ping:Pong names nothing that exists "
        "(pkgplugins.ping defines no Pong)",
    ]


def test_the_report_cache_sees_a_change_to_an_entry_point_alone(tmp_path: Path) -> None:
    root = project(tmp_path, cache=True)
    write(root / "setup.cfg", "[entry_points]\nconsole_scripts =\n    x = pkg.cli:main\n")
    # Files changed within a timestamp tick of a cached report are never trusted: wait, so
    # that the second run would take the cached report if setup.cfg were not part of its key.
    time.sleep(2.5)
    assert concise(root) == []
    assert list((root / ".boundary_lint_cache").glob("report-*")), "the report was not cached"
    write(root / "setup.cfg", "[entry_points]\nconsole_scripts =\n    x = pkg.cli:mane\n")
    assert [line.split(": ")[0] for line in concise(root)] == ["setup.cfg:3:9"]


def test_entry_points_can_be_turned_off(tmp_path: Path) -> None:
    root = project(tmp_path, contract=CONTRACT + "    entry_points = false\n")
    write(root / "setup.cfg", "[entry_points]\nconsole_scripts =\n    x = pkg.gone:main\n")
    assert concise(root) == []
    config = root / "boundary-lint.toml"
    config.write_text(config.read_text().replace("entry_points = false", 'entry_points = "no"'))
    result = check("--config", "boundary-lint.toml", cwd=root)
    assert result.returncode == 2 and "entry_points" in result.stderr and "Traceback" not in result.stderr, (
        result
    )


def test_build_configuration_of_a_src_layout_is_read_from_above_src(tmp_path: Path) -> None:
    """The contracts in a directory of their own, the packages under src/: setup.cfg lies
    outside the project root but next to the packages' source directory."""
    write(tmp_path / "src" / "pkg" / "__init__.py", "def main():\n    pass\n")
    write(
        tmp_path / "setup.cfg",
        "[options.entry_points]\nconsole_scripts =\n    x = pkg:main\n    y = pkg:run\n",
    )
    write(
        tmp_path / "contracts" / "refs.toml",
        'root_packages = ["pkg"]\nsource_roots = ["../src"]\ncache_dir = false\n' + CONTRACT,
    )
    result = check("--config", "contracts/refs.toml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result
    [violation] = json.loads(result.stdout)["contracts"][0]["violations"]
    assert (violation["code"], violation["path"], violation["line"], violation["column"]) == (
        "BND214",
        "../setup.cfg",
        4,
        9,
    )
    assert violation["importer"] == "../setup.cfg" and violation["imported"] == "pkg:run"


def test_virtualenvs_hidden_and_build_directories_are_not_read(tmp_path: Path) -> None:
    root = project(tmp_path)
    stale = "[app:x]\npaste.app_factory = pkg.gone:factory\n"
    for directory in ("venv-custom", ".tox/py3", "build/lib", "pkg.egg-info", "node_modules/x"):
        write(root / directory / "paste.ini", stale)
    write(root / "venv-custom" / "pyvenv.cfg", "home = /usr/bin\n")
    assert concise(root) == []
    write(root / "etc" / "paste.ini", stale)
    assert [line.split(": ")[0] for line in concise(root)] == ["etc/paste.ini:2:21"]


def test_in_a_git_work_tree_the_tracked_files_are_read(tmp_path: Path) -> None:
    git = require_tool("git", package="git")
    root = project(tmp_path)
    write(root / "etc" / "tracked.ini", "[app:x]\npaste.app_factory = pkg.gone:factory\n")
    write(root / "etc" / "untracked.ini", "[app:x]\npaste.app_factory = pkg.gone:factory\n")
    env = clean_env(GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    for command in (["init", "-q"], ["add", "pkg", "etc/tracked.ini", "boundary-lint.toml"]):
        subprocess.run([git, *command], cwd=root, check=True, timeout=60, env=env)
    assert [line.split(": ")[0] for line in concise(root)] == ["etc/tracked.ini:2:21"]


def test_a_module_that_does_not_parse_is_reported_as_such_not_as_missing_names(tmp_path: Path) -> None:
    root = project(tmp_path)
    write(root / "pkg" / "broken.py", "def main(:\n")
    write(root / "setup.cfg", "[entry_points]\nconsole_scripts =\n    x = pkg.broken:main\n")
    result = check("--config", "boundary-lint.toml", "--format", "concise", cwd=root)
    assert result.returncode == 1, result
    assert "BND902" in result.stdout and "BND214" not in result.stdout, result


@pytest.mark.parametrize("name", ["setup.cfg", "api-paste.ini"])
def test_unreadable_bytes_do_not_stop_the_check(tmp_path: Path, name: str) -> None:
    root = project(tmp_path)
    (root / name).write_bytes(b"\xef\xbb\xbf[entry_points]\nconsole_scripts =\n    x\xff = pkg.cli:nope\n")
    result = run_cli("check", "--config", "boundary-lint.toml", "--format", "concise", cwd=root)
    assert "Traceback" not in result.stderr, result
    if name == "setup.cfg":  # the BOM is not part of the section name; a bad byte in a name is harmless
        assert result.stdout.startswith("setup.cfg:3:10: BND214"), result
