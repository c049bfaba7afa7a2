"""Root packages are found where the project's Python would find them, without importing
anything (boundary_lint.graph.packages): the CLI as a subprocess on real trees (src layouts that
keep import-linter's own files, namespace portions in two directories, build configurations, an
editable install in a real virtual environment), with lint-imports as the oracle; then the
search order on its own."""

from __future__ import annotations

import json
import os
import re
import shutil
import site
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from cli_support import Result, clean_env, copy_tree, run_cli, write

from boundary_lint.graph.build_config import read_build_config
from boundary_lint.graph.packages import PackageNotFound, SearchPath


def write_files(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        write(root / name, text)
    return root


def check(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return run_cli("check", "--no-cache", *args, cwd=cwd, env=env)


def verdicts(result: Result) -> dict[str, str]:
    """Contract name -> KEPT / BROKEN, from our JSON report."""
    assert result.returncode in (0, 1), result
    return {c["name"]: "KEPT" if c["kept"] else "BROKEN" for c in json.loads(result.stdout)["contracts"]}


LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"


def lint_imports(cwd: Path, *args: str, python_path: list[Path]) -> tuple[int, dict[str, str]]:
    """lint-imports' exit status and its KEPT / BROKEN per contract name."""
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    command = [found] if found else [sys.executable, "-c", LINT_IMPORTS]
    env = clean_env(PYTHONPATH=os.pathsep.join(map(str, python_path)), COLUMNS="400", NO_COLOR="1")
    done = subprocess.run(
        [*command, "--no-cache", "--no-logo", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    listed = dict(re.findall(r"^(.+?) (KEPT|BROKEN)\b", done.stdout, flags=re.MULTILINE))
    assert listed, done.stdout
    return done.returncode, listed


def located_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("boundary-lint: root package ")]


# --- src layouts that keep import-linter's own configuration --------------------------------

SRC_VERDICTS = {"Layers from the API down": "KEPT", "The API does not reach the database": "BROKEN"}


def test_src_layout_with_tool_importlinter_is_checked_unchanged_from_its_root(tmp_path: Path) -> None:
    project = copy_tree("locate_src", tmp_path / "project")
    before = (project / "pyproject.toml").read_bytes()
    ours = check(project, "--format", "json", "--verbose")
    assert ours.returncode == 1, ours
    assert verdicts(ours) == SRC_VERDICTS
    assert located_lines(ours) == [
        "boundary-lint: root package 'inventory': src/inventory (src/ in the configuration's directory)"
    ]
    assert lint_imports(project, python_path=[project / "src"]) == (1, SRC_VERDICTS)
    assert (project / "pyproject.toml").read_bytes() == before


DOT_IMPORTLINTER = """\
[importlinter]
root_package = inventory

[importlinter:contract:layers]
name = Layers from the API down
type = layers
layers =
    inventory.api
    inventory.services
    inventory.db

[importlinter:contract:api-no-db]
name = The API does not reach the database
type = forbidden
source_modules = inventory.api
forbidden_modules = inventory.db
"""


def test_src_layout_with_dot_importlinter_is_checked_unchanged_from_its_root(tmp_path: Path) -> None:
    project = copy_tree("locate_src", tmp_path / "project")
    pyproject = (project / "pyproject.toml").read_text()
    write(project / "pyproject.toml", pyproject[: pyproject.index("[tool.importlinter]")])
    write(project / ".importlinter", DOT_IMPORTLINTER)
    ours = check(project, "--format", "json")
    assert ours.returncode == 1, ours
    assert verdicts(ours) == SRC_VERDICTS
    assert lint_imports(project, python_path=[project / "src"]) == (1, SRC_VERDICTS)


@pytest.mark.parametrize("form", ["ini", "toml"])
def test_source_roots_in_import_linters_own_sections(tmp_path: Path, form: str) -> None:
    """Our documented extension: import-linter ignores the key, we search only there."""
    project = copy_tree("locate_src", tmp_path / "project")
    (project / "src").rename(project / "code")
    if form == "ini":
        pyproject = (project / "pyproject.toml").read_text()
        write(project / "pyproject.toml", pyproject[: pyproject.index("[tool.importlinter]")])
        write(
            project / ".importlinter",
            DOT_IMPORTLINTER.replace(
                "root_package = inventory\n", "root_package = inventory\nsource_roots = code\n"
            ),
        )
    else:
        text = (project / "pyproject.toml").read_text()
        write(
            project / "pyproject.toml",
            text.replace(
                'root_package = "inventory"\n', 'root_package = "inventory"\nsource_roots = ["code"]\n'
            ),
        )
    ours = check(project, "--format", "json", "--verbose")
    assert verdicts(ours) == SRC_VERDICTS
    assert located_lines(ours) == ["boundary-lint: root package 'inventory': code/inventory (source_roots)"]
    assert lint_imports(project, python_path=[project / "code"]) == (1, SRC_VERDICTS)


# --- namespace packages with portions in two directories ------------------------------------


@pytest.mark.parametrize(
    "config", ["kept_namespace.ini", "broken_namespace.ini", "kept_portion.ini", "broken_portion.ini"]
)
def test_namespace_portions_in_two_directories_as_lint_imports_finds_them(
    tmp_path: Path, config: str
) -> None:
    tree = copy_tree("locate_namespace", tmp_path / "tree")
    locations = [tree / "locationone", tree / "locationtwo"]
    env = clean_env(PYTHONPATH=os.pathsep.join(map(str, locations)))
    ours = check(tree, "--config", config, "--format", "json", "--verbose", env=env)
    status, theirs = lint_imports(tree, "--config", config, python_path=locations)
    assert (ours.returncode, verdicts(ours)) == (status, theirs)
    assert status == (1 if config.startswith("broken") else 0)
    if config.endswith("namespace.ini"):
        assert located_lines(ours) == [
            "boundary-lint: root package 'nsroot': namespace package, portions in "
            "locationone/nsroot (PYTHONPATH), locationtwo/nsroot (PYTHONPATH)"
        ]
    else:
        assert located_lines(ours)[1] == (
            "boundary-lint: root package 'nsroot.foo.alpha.green': locationtwo/nsroot/foo/alpha/green (PYTHONPATH)"
        )


def test_the_projects_own_package_comes_before_an_installed_copy(tmp_path: Path) -> None:
    """An installed copy (here on PYTHONPATH, an old version that breaks the contract) never
    shadows the project's own code, as the project's root first on sys.path ensures for Python."""
    project = copy_tree("locate_src", tmp_path / "project")
    installed = copy_tree("locate_src", tmp_path / "installed") / "src"
    write(installed / "inventory" / "db" / "models.py", "from inventory.api import views\n")
    env = clean_env(PYTHONPATH=str(installed))
    ours = check(project, "--format", "json", "--verbose", env=env)
    assert verdicts(ours) == SRC_VERDICTS  # the copy's db -> api import would break the layers
    assert located_lines(ours) == [
        "boundary-lint: root package 'inventory': src/inventory (src/ in the configuration's directory)"
    ]


def test_not_found_says_where_it_looked_in_order(tmp_path: Path) -> None:
    project = copy_tree("locate_src", tmp_path / "project")
    (project / "src").rename(project / "lib")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = check(project, env=clean_env(PYTHONPATH=str(elsewhere)))
    assert result.returncode == 2, result
    places = result.stderr.split("looked in (in this order): ", 1)[1].rstrip("\n").split("; ")
    assert places[:2] == [". (the configuration's directory)", f"{elsewhere} (PYTHONPATH)"]
    assert places[2:] and all(place.endswith("(sys.path)") for place in places[2:]), places
    assert "Traceback" not in result.stderr


# --- package directories that build configurations declare ----------------------------------

BUILD_CONFIGS: dict[str, tuple[dict[str, str], str, str]] = {
    # name: (files, where the package is, the origin --verbose names)
    "setuptools-package-dir": (
        {"pyproject.toml": '[tool.setuptools]\npackage-dir = {"" = "lib"}\n'},
        "lib/app",
        "pyproject.toml [tool.setuptools] package-dir",
    ),
    "setuptools-package-dir-mapping": (
        {
            "pyproject.toml": '[tool.setuptools]\npackages = ["app"]\npackage-dir = {"app" = "lib/application"}\n'
        },
        "lib/application",
        "pyproject.toml [tool.setuptools] package-dir",
    ),
    "setuptools-find-where": (
        {"pyproject.toml": '[tool.setuptools.packages.find]\nwhere = ["lib"]\n'},
        "lib/app",
        "pyproject.toml [tool.setuptools.packages.find] where",
    ),
    "setup.cfg-package-dir": (
        {"setup.cfg": "[options]\npackages = find:\npackage_dir =\n    =lib\n"},
        "lib/app",
        "setup.cfg [options] package_dir",
    ),
    "setup.cfg-find-where": (
        {"setup.cfg": "[options.packages.find]\nwhere = lib\n"},
        "lib/app",
        "setup.cfg [options.packages.find] where",
    ),
    "pbr-packages-root": (
        {"setup.cfg": "[files]\npackages = app\npackages_root = lib\n"},
        "lib/app",
        "setup.cfg [files] packages_root",
    ),
    "setup.py-package-dir": (
        {
            "setup.py": 'from setuptools import setup, find_packages\n\nsetup(name="app", package_dir={"": "lib"}, '
            'packages=find_packages("lib"))\n'
        },
        "lib/app",
        "setup.py package_dir",
    ),
    "hatch-packages": (
        {"pyproject.toml": '[tool.hatch.build.targets.wheel]\npackages = ["lib/app"]\n'},
        "lib/app",
        "pyproject.toml [tool.hatch.build.targets.wheel] packages",
    ),
    "hatch-sources": (
        {"pyproject.toml": '[tool.hatch.build.targets.wheel.sources]\n"lib" = ""\n'},
        "lib/app",
        "pyproject.toml [tool.hatch.build.targets.wheel] sources",
    ),
    "poetry-from": (
        {"pyproject.toml": '[tool.poetry]\npackages = [{include = "app", from = "lib"}]\n'},
        "lib/app",
        "pyproject.toml [tool.poetry] packages",
    ),
    "pdm-package-dir": (
        {"pyproject.toml": '[tool.pdm.build]\npackage-dir = "lib"\n'},
        "lib/app",
        "pyproject.toml [tool.pdm.build] package-dir",
    ),
    "maturin-python-source": (
        {"pyproject.toml": '[tool.maturin]\npython-source = "lib"\n'},
        "lib/app",
        "pyproject.toml [tool.maturin] python-source",
    ),
}

APP_IMPORTLINTER = """\
[importlinter]
root_package = app

[importlinter:contract:views-no-db]
name = Views do not import the database
type = forbidden
source_modules = app.views
forbidden_modules = app.db
"""


def app_tree(directory: str) -> dict[str, str]:
    return {
        f"{directory}/__init__.py": "",
        f"{directory}/views.py": "from app import db\n",
        f"{directory}/db.py": "",
    }


@pytest.mark.parametrize("case", sorted(BUILD_CONFIGS))
def test_a_package_directory_the_build_configuration_declares(tmp_path: Path, case: str) -> None:
    files, directory, origin = BUILD_CONFIGS[case]
    project = tmp_path / "project"
    write_files(project, {**files, **app_tree(directory), ".importlinter": APP_IMPORTLINTER})
    result = check(project, "--format", "json", "--verbose")
    assert verdicts(result) == {"Views do not import the database": "BROKEN"}
    assert located_lines(result) == [f"boundary-lint: root package 'app': {directory} ({origin})"]


def test_without_a_declaration_an_other_directory_is_not_searched(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write_files(
        project,
        {
            **app_tree("lib/app"),
            ".importlinter": APP_IMPORTLINTER,
            "pyproject.toml": '[project]\nname = "app"\n',
        },
    )
    result = check(project)
    assert result.returncode == 2
    assert (
        "root package 'app' not found; looked in (in this order): . (the configuration's directory); "
        in result.stderr
    )


def test_a_configuration_given_from_elsewhere_finds_the_packages_of_the_working_directory(
    tmp_path: Path,
) -> None:
    """As import-linter's own functional tests run it: the package in the working directory,
    the file in a subdirectory (import-linter puts the working directory on sys.path)."""
    project = tmp_path / "project"
    write_files(project, app_tree("app"))
    write(project / "configs" / "views.ini", APP_IMPORTLINTER)
    ours = check(project, "--config", "configs/views.ini", "--format", "json", "--verbose")
    assert verdicts(ours) == {"Views do not import the database": "BROKEN"}
    assert located_lines(ours) == [
        f"boundary-lint: root package 'app': {project / 'app'} (the working directory)"
    ]
    assert lint_imports(project, "--config", "configs/views.ini", python_path=[]) == (1, verdicts(ours))
    elsewhere = check(tmp_path, "--config", "project/configs/views.ini")
    assert elsewhere.returncode == 2 and "root package 'app' not found" in elsewhere.stderr


# --- an editable install, found through the interpreter's site-packages ---------------------

EDITABLE_PYPROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "app"
version = "1.0"

[tool.setuptools]
packages = ["app"]
# The package's directory is not named after it: setuptools installs an import hook with a
# MAPPING, not a path in a .pth file.
package-dir = {"app" = "code"}
"""


@pytest.fixture
def venv_with_editable_app(tmp_path: Path) -> tuple[Path, Path]:
    """A real virtual environment with a project installed by ``pip install -e``; our own
    installation (and pip, setuptools, import-linter) is reached through a .pth line that adds
    this interpreter's site directory, as a site directory, so that its .pth files run too."""
    started = time.monotonic()
    venv = tmp_path / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site_dir = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    outer = site.getsitepackages()
    write(Path(site_dir) / "_outer.pth", "".join(f"import site; site.addsitedir({p!r})\n" for p in outer))
    project = tmp_path / "app-project"
    write_files(project, {"pyproject.toml": EDITABLE_PYPROJECT, **app_tree("code")})
    installed = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-build-isolation",
            "--no-deps",
            "--no-index",
            "-e",
            str(project),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert list(Path(site_dir).glob("__editable___app_*_finder.py")), os.listdir(site_dir)
    print(f"virtual environment and editable install: {time.monotonic() - started:.1f} s")
    return python, project


def test_an_editable_install_is_found_through_site_packages(
    tmp_path: Path, venv_with_editable_app: tuple[Path, Path]
) -> None:
    python, project = venv_with_editable_app
    elsewhere = tmp_path / "elsewhere"  # the contracts live apart from the code
    write(elsewhere / ".importlinter", APP_IMPORTLINTER)
    env = {k: v for k, v in clean_env().items() if k != "PYTHONPATH"}
    result = run_cli(
        "check",
        "--no-cache",
        "--verbose",
        "--format",
        "json",
        cwd=elsewhere,
        command=[str(python), "-m", "boundary_lint"],
        env=env,
    )
    assert verdicts(result) == {"Views do not import the database": "BROKEN"}
    [line] = located_lines(result)
    assert re.fullmatch(
        rf"boundary-lint: root package 'app': {re.escape(str(project / 'code'))} \(editable install, "
        r"__editable___app_1_0_finder\.py \(run by __editable__\.app-1\.0\.pth\)\)",
        line,
    ), line
    # lint-imports, in the same environment, agrees.
    theirs = subprocess.run(
        [str(python), "-c", LINT_IMPORTS, "--no-cache"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert theirs.returncode == 1 and "Views do not import the database BROKEN" in theirs.stdout, (
        theirs.stdout
    )


# --- the search, on its own -----------------------------------------------------------------


def search(
    root: Path,
    *,
    python_path: Sequence[Path] = (),
    interpreter: Sequence[Path] = (),
    sites: Sequence[Path] = (),
) -> SearchPath:
    return SearchPath.for_project(
        root,
        None,
        environ={"PYTHONPATH": os.pathsep.join(map(str, python_path))},
        interpreter_path=[str(p) for p in interpreter],
        site_directories=[str(p) for p in sites],
        working_directory=root,
    )


def test_the_first_regular_package_wins_over_namespace_portions_before_it(tmp_path: Path) -> None:
    write_files(tmp_path, {"project/pkg/data.txt": "", "one/pkg/__init__.py": "", "two/pkg/__init__.py": ""})
    found = search(tmp_path / "project", python_path=[tmp_path / "one", tmp_path / "two"]).locate("pkg")
    assert (found.directories, found.namespace) == ((tmp_path / "one" / "pkg",), False)


def test_namespace_portions_are_gathered_along_the_whole_path(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"project/ns/a/__init__.py": "", "one/ns/b/__init__.py": "", "site/ns/c/__init__.py": ""}
    )
    found = search(
        tmp_path / "project", python_path=[tmp_path / "one"], interpreter=[tmp_path / "site"]
    ).locate("ns")
    assert found.namespace
    assert [p.origin for p in found.portions] == ["the configuration's directory", "PYTHONPATH", "sys.path"]


def test_a_module_before_any_package_is_an_error(tmp_path: Path) -> None:
    write_files(tmp_path, {"project/pkg.py": "", "one/pkg/__init__.py": ""})
    with pytest.raises(PackageNotFound, match=r"pkg\.py is a single module"):
        search(tmp_path / "project", python_path=[tmp_path / "one"]).locate("pkg")


def test_a_dotted_name_is_looked_for_inside_its_parent_only(tmp_path: Path) -> None:
    """As Python: ``a`` is the regular package in ``one``, so ``a.b`` in ``two`` is not it."""
    write_files(
        tmp_path,
        {"project/x.txt": "", "one/a/__init__.py": "", "two/a/__init__.py": "", "two/a/b/__init__.py": ""},
    )
    with pytest.raises(PackageNotFound):
        search(tmp_path / "project", python_path=[tmp_path / "one", tmp_path / "two"]).locate("a.b")
    write_files(tmp_path, {"one/a/b/__init__.py": ""})
    assert search(tmp_path / "project", python_path=[tmp_path / "one", tmp_path / "two"]).locate(
        "a.b"
    ).directories == (tmp_path / "one" / "a" / "b",)


def test_src_and_the_build_configuration_come_before_pythonpath(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "project/src/pkg/__init__.py": "",
            "project/lib/other/__init__.py": "",
            "project/setup.cfg": "[options.packages.find]\nwhere = lib\n",
            "one/pkg/__init__.py": "",
            "one/other/__init__.py": "",
        },
    )
    path = search(tmp_path / "project", python_path=[tmp_path / "one"])
    assert path.locate("pkg").portions[0].origin == "src/ in the configuration's directory"
    assert path.locate("other").portions[0].origin == "setup.cfg [options.packages.find] where"


def test_a_directory_a_pth_file_adds_says_so(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"site/extra.pth": "# a comment\n../checkout\nimport os\n", "checkout/pkg/__init__.py": ""}
    )
    found = search(
        tmp_path / "project",
        interpreter=[tmp_path / "site", tmp_path / "checkout"],
        sites=[tmp_path / "site"],
    ).locate("pkg")
    assert [(p.directory, p.origin) for p in found.portions] == [
        (tmp_path / "checkout" / "pkg", "sys.path, added by extra.pth")
    ]


SETUPTOOLS_FINDER = """\
from __future__ import annotations
import sys
MAPPING: dict[str, str] = {"mapped": %r}
NAMESPACES: dict[str, list[str]] = {}
def install():
    raise SystemExit("never run")
"""
EDITABLES_HOOK = """\
from editables.redirector import RedirectingFinder as F
F.install()
F.map_module("redirected", %r)
"""


def test_editable_import_hooks_are_read_never_run(tmp_path: Path) -> None:
    code = tmp_path / "code"
    write_files(code, {"mapped_dir/__init__.py": "", "redirected_dir/__init__.py": ""})
    write_files(
        tmp_path / "site",
        {
            "__editable__.mapped-1.0.pth": "import __editable___mapped_1_0_finder; __editable___mapped_1_0_finder.install()\n",
            "__editable___mapped_1_0_finder.py": SETUPTOOLS_FINDER % str(code / "mapped_dir"),
            "_redirected.pth": "import _redirected\n",
            "_redirected.py": EDITABLES_HOOK % str(code / "redirected_dir" / "__init__.py"),
            "broken.pth": "import _broken\n",
            "_broken.py": "MAPPING = {\n",  # not Python: passed over
            "orphan_finder.py": SETUPTOOLS_FINDER % str(code / "orphan"),  # no .pth runs it
        },
    )
    path = search(tmp_path / "project", interpreter=[tmp_path / "site"], sites=[tmp_path / "site"])
    mapped = path.locate("mapped").portions
    assert [(p.directory, p.origin) for p in mapped] == [
        (
            code / "mapped_dir",
            ("editable install, __editable___mapped_1_0_finder.py (run by __editable__.mapped-1.0.pth)"),
        )
    ]
    assert path.locate("redirected").directories == (code / "redirected_dir",)
    with pytest.raises(PackageNotFound):
        path.locate("orphan")


def test_pth_files_outside_site_directories_are_not_read(tmp_path: Path) -> None:
    """Python runs only site directories' .pth files; a directory on PYTHONPATH holding one
    does not make its mapping count."""
    write_files(
        tmp_path,
        {
            "code/mapped_dir/__init__.py": "",
            "plain/__editable__.m.pth": "import __editable___m_finder\n",
            "plain/__editable___m_finder.py": SETUPTOOLS_FINDER % str(tmp_path / "code" / "mapped_dir"),
        },
    )
    with pytest.raises(PackageNotFound):
        search(
            tmp_path / "project", python_path=[tmp_path / "plain"], interpreter=[tmp_path / "plain"]
        ).locate("mapped")


def test_the_interpreters_path_is_not_read_for_a_package_found_in_the_project(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "project/pkg/__init__.py": "",
            "project/pkg/sub/__init__.py": "",
            "project/pyproject.toml": "not read",
        },
    )
    path = search(
        tmp_path / "project", python_path=[tmp_path / "missing"], interpreter=[tmp_path / "missing"]
    )
    path.locate("pkg")
    path.locate("pkg.sub")
    assert [place.origin for place in path._places] == ["the configuration's directory"]


def test_explicit_source_roots_are_the_only_places(tmp_path: Path) -> None:
    write_files(tmp_path, {"project/pkg/__init__.py": "", "roots/x.txt": ""})
    path = SearchPath.for_project(tmp_path / "project", (tmp_path / "roots",))
    with pytest.raises(PackageNotFound, match=r"not found in the source roots \(.*roots\)$"):
        path.locate("pkg")


def test_what_build_configurations_declare() -> None:
    """The names init proposes contracts for, from each configuration that lists them."""
    cases = {
        "setup.cfg": ("[files]\npackages =\n    trove\n", ["trove"]),
        "pyproject.toml": (
            '[tool.hatch.build.targets.wheel]\npackages = ["src/foo", "bar"]\n'
            '[tool.poetry]\npackages = [{include = "baz"}, {include = "q*"}]\n'
            '[tool.flit.module]\nname = "flitted"\n',
            ["foo", "bar", "baz", "flitted"],
        ),
    }
    for name, (text, expected) in cases.items():
        with tempfile.TemporaryDirectory() as directory:
            write(Path(directory) / name, text)
            assert read_build_config(Path(directory)).packages == expected


def test_a_build_configuration_that_cannot_be_read_declares_nothing(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"pyproject.toml": "[tool.setuptools\n", "setup.cfg": "not ini\n", "setup.py": "setup(\n"}
    )
    (tmp_path / "setup.py").write_bytes(b"\xff\xfe")
    declared = read_build_config(tmp_path)
    assert (declared.places, declared.packages) == ([], [])


def test_the_caches_follow_where_the_packages_were_found(tmp_path: Path) -> None:
    """Two copies of a package, chosen by PYTHONPATH: the report and import caches (kept by the
    first run) never answer for the other copy."""
    project = tmp_path / "project"
    write(project / ".importlinter", APP_IMPORTLINTER)
    write_files(tmp_path / "one", app_tree("app"))
    write_files(tmp_path / "two", {**app_tree("app"), "app/views.py": ""})  # keeps the contract
    runs = [
        run_cli("check", "--format", "json", cwd=project, env=clean_env(PYTHONPATH=str(tmp_path / copy)))
        for copy in ("one", "two", "one")
    ]
    assert (project / ".boundary_lint_cache").is_dir()
    assert [verdicts(run) for run in runs] == [
        {"Views do not import the database": v} for v in ("BROKEN", "KEPT", "BROKEN")
    ]
