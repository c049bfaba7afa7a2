"""Path arguments mean what flake8 and ruff users mean: ``check .`` is the whole project, a
directory every project file under it, a missing path exit 2; a path narrows a report (to the
violations that concern its files) but never shows a broken contract as kept. Through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import (
    SHOP_CONCISE,
    SHOP_TEXT,
    assert_config_error,
    check,
    concise_lines,
    shop_project,
    standalone_toml,
    write,
)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return shop_project(tmp_path / "project")


@pytest.mark.parametrize("paths", [["."], ["shop"], [".", "shop/api"], ["shop/", "README.md"]])
@pytest.mark.parametrize("fmt", ["text", "concise", "json"])
def test_paths_covering_the_project_are_the_whole_project(shop: Path, paths: list[str], fmt: str) -> None:
    whole = check("--format", fmt, cwd=shop)
    named = check("--format", fmt, *paths, cwd=shop)
    assert whole.returncode == named.returncode == 1, named
    assert named.stdout_bytes == whole.stdout_bytes
    assert named.stderr == ""


def test_the_project_directory_by_absolute_path_from_elsewhere(shop: Path) -> None:
    result = check("--config", shop / "pyproject.toml", "--format", "concise", shop, cwd=shop.parent)
    assert (result.returncode, concise_lines(result)) == (1, SHOP_CONCISE), result


def test_a_directory_narrows_to_violations_that_concern_its_files(shop: Path) -> None:
    """shop/db ends both chains of api-no-db; shop-layers' violation (services -> api) does not
    touch it and is left out, not shown as kept."""
    result = check("--format", "concise", "shop/db", cwd=shop)
    assert (result.returncode, concise_lines(result)) == (1, SHOP_CONCISE[:2]), result
    assert result.stderr == (
        "boundary-lint: warning: not shown: 1 violation not concerning the named "
        "files (1 contract broken only by them); run without paths to see them\n"
    )
    text = check("shop/db", cwd=shop)
    assert "api above services above db" not in text.stdout  # neither KEPT nor BROKEN here
    assert "KEPT   util and db are independent" in text.stdout  # truly kept
    assert "note: not shown: 1 violation" in text.stdout


def test_dot_in_a_subdirectory_is_that_subdirectory(shop: Path) -> None:
    result = check("--format", "concise", ".", cwd=shop / "shop" / "services")
    # views.py:3's chain and orders.py's own import pass there; views.py:8 -> db does not.
    assert (result.returncode, concise_lines(result)) == (1, [SHOP_CONCISE[0], SHOP_CONCISE[2]]), result
    util = check("--format", "concise", "util.py", cwd=shop / "shop")
    assert (util.returncode, util.stdout) == (0, ""), util
    assert "3 violations not concerning the named files (2 contracts broken only by them)" in util.stderr


def test_a_path_that_does_not_exist_is_exit_2_naming_it(shop: Path) -> None:
    assert_config_error(check("shop/api/veiws.py", cwd=shop), "shop/api/veiws.py: no such file or directory")
    assert_config_error(check(".", "nowhere", cwd=shop), "nowhere: no such file or directory")


def test_a_directory_without_project_files_is_exit_2(shop: Path) -> None:
    write(shop / "docs" / "conf.py", "import shop.db\n")
    assert_config_error(check("docs", cwd=shop), "docs: holds no module of the project (root packages: shop)")


def test_files_that_are_not_project_files_concern_nothing(shop: Path) -> None:
    """What pre-commit passes when only setup.py is staged: no violation concerns it; the
    contracts broken elsewhere are not listed as kept, and a note says why nothing is shown."""
    write(shop / "setup.py", "import shop.db\n")
    result = check("setup.py", cwd=shop)
    assert result.returncode == 0, result
    assert "BROKEN" not in result.stdout and "api-no-db" not in result.stdout
    assert "note: no named path is a module of the project" in result.stdout


def test_errors_of_the_contracts_are_reported_whatever_the_paths(shop: Path) -> None:
    write(
        shop / "pyproject.toml",
        """
        [tool.boundary_lint]
        root_packages = ["shop"]

        [[tool.boundary_lint.contracts]]
        id = "ghost"
        type = "forbidden"
        source_modules = ["shop.ghost"]
        forbidden_modules = ["shop.db"]
    """,
    )
    result = check("--format", "concise", "shop/util.py", cwd=shop)
    assert result.returncode == 2, result
    assert "shop.ghost" in result.stdout + result.stderr


def test_paths_work_when_the_configuration_lives_in_a_subdirectory(tmp_path: Path) -> None:
    """tools/contracts.toml with source_roots = [".."]: report paths start with ../"""
    project = shop_project(tmp_path / "project", "tools/contracts.toml", standalone_toml(".."))
    result = check(
        "--config", "tools/contracts.toml", "--format", "concise", "shop/api/views.py", cwd=project
    )
    assert result.returncode == 1, result
    assert concise_lines(result) == [f"../{line}" for line in SHOP_CONCISE[:2]]


def test_naming_the_configuration_file_is_the_whole_project(shop: Path) -> None:
    result = check("pyproject.toml", cwd=shop)
    assert (result.returncode, result.stdout) == (1, SHOP_TEXT), result


def test_a_file_named_through_a_symlinked_package_is_the_same_file(tmp_path: Path) -> None:
    """shop -> src/shop (a root package that is a symlink): either spelling names views.py."""
    project = shop_project(tmp_path / "project")
    (project / "src").mkdir()
    (project / "shop").rename(project / "src" / "shop")
    (project / "shop").symlink_to(Path("src") / "shop", target_is_directory=True)
    for spelling in ("shop/api/views.py", "src/shop/api/views.py", "src/shop/api"):
        result = check("--format", "concise", spelling, cwd=project)
        assert (result.returncode, concise_lines(result)) == (
            1,
            SHOP_CONCISE[:2] if "views" in spelling else SHOP_CONCISE,
        ), (spelling, result)
