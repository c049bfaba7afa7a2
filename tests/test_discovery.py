"""Our file discovery finds exactly the modules grimp's ModuleFinder finds (so that both tools
check the same modules), on a tree holding every case the finder treats specially."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from grimp.adaptors.filesystem import FileSystem
from grimp.adaptors.modulefinder import ModuleFinder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boundary_lint.graph.discovery import FileProblem, discover_project, find_package_tree, relative_path

FILES = [
    "pkg/__init__.py",
    "pkg/a.py",
    "pkg/sub/__init__.py",
    "pkg/sub/deep.py",
    "pkg/sub/orphan_dir/lost.py",  # below a package, no __init__.py: not entered
    "pkg/sub/orphan_dir/inner/__init__.py",
    "pkg/not-an-identifier/__init__.py",  # skipped directory
    "pkg/not-an-identifier/x.py",
    "pkg/.hidden.py",  # hidden file
    "pkg/some.module.py",  # too many dots
    "pkg/data.txt",
    "pkg/same/__init__.py",  # a package and a module of the same name
    "pkg/same.py",
    "ns/portion/__init__.py",  # namespace package holding a regular package
    "ns/portion/m.py",
    "ns/portionx/z.py",  # grimp's prefix test counts this as inside "portion"
    "ns/nested/deeper/__init__.py",
    "ns/nested/deeper/q.py",
    "ns/empty_dir/readme.txt",  # no Python below: not a namespace package
]


def make_tree(root: Path) -> None:
    for relative in FILES:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("import os\n")
    (root / "pkg" / "linked").symlink_to(root / "pkg" / "sub", target_is_directory=True)


def grimp_finds(package: str, directory: Path) -> tuple[set[str], set[str]]:
    found = ModuleFinder().find_package(
        package_name=package, package_directory=str(directory), file_system=FileSystem()
    )
    return {m.module.name for m in found.module_files}, set(found.namespace_packages)


@pytest.mark.parametrize("package", ["pkg", "ns"])
def test_same_modules_and_namespaces_as_grimp(tmp_path: Path, package: str) -> None:
    make_tree(tmp_path)
    ours = find_package_tree(package, str(tmp_path / package), [])
    theirs_modules, theirs_namespaces = grimp_finds(package, tmp_path / package)
    assert {name for name, _ in ours.module_files} == theirs_modules
    assert set(ours.namespace_packages) == theirs_namespaces
    # the cases above are really exercised: some found, some not
    names = {name for name, _ in ours.module_files}
    if package == "pkg":
        assert {"pkg.a", "pkg.sub.deep", "pkg.linked.deep", "pkg.same"} <= names
        assert not names & {"pkg.sub.orphan_dir.lost", "pkg.some.module", "pkg..hidden"}
    else:
        assert "ns.portion.m" in names and "ns.portionx.z" not in names
        assert theirs_namespaces == {"ns", "ns.nested"}


def test_module_file_names_and_stamps(tmp_path: Path) -> None:
    make_tree(tmp_path)
    files = discover_project(("pkg",), (tmp_path,))
    assert files.filenames["pkg.sub.deep"] == os.path.join(str(tmp_path), "pkg", "sub", "deep.py")
    assert files.filenames["pkg.same"].endswith(os.path.join("same", "__init__.py"))  # the package wins
    stamp = files.stamps["pkg.a"]
    assert stamp is not None and stamp[2] == len("import os\n")


def test_a_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / "pkg" / "sub" / "loop").symlink_to(tmp_path / "pkg", target_is_directory=True)
    files = discover_project(("pkg",), (tmp_path,))
    assert [p.path.name for p in files.problems] == ["loop", "loop"]  # under sub/ and under linked/
    assert all(isinstance(p, FileProblem) and p.code == "BND903" for p in files.problems)
    assert not any(".loop." in name for name in files.filenames)


def test_fingerprint_follows_every_change(tmp_path: Path) -> None:
    make_tree(tmp_path)
    before = discover_project(("pkg",), (tmp_path,)).fingerprint()
    assert discover_project(("pkg",), (tmp_path,)).fingerprint() == before
    (tmp_path / "pkg" / "a.py").write_text("import sys, os\n")
    edited = discover_project(("pkg",), (tmp_path,)).fingerprint()
    assert edited != before
    (tmp_path / "pkg" / "a.py").rename(tmp_path / "pkg" / "b.py")
    assert discover_project(("pkg",), (tmp_path,)).fingerprint() not in (before, edited)


class _SortedWalk(FileSystem):
    """grimp's file system, walking directories in name order as ours does (grimp's order is
    the directory's, so a sibling's prefix test can go either way there)."""

    def walk(self, directory_name: str) -> Iterator[tuple[str, list[str], list[str]]]:
        for dirpath, dirs, files in super().walk(directory_name):
            dirs.sort()
            yield dirpath, dirs, files


# Names that share prefixes (grimp's prefix test), identifiers or not, at up to three levels.
_NAMES = st.sampled_from(["p", "pk", "pkg", "pkg2", "pkgx", "q", "not-id"])
_TREES = st.lists(
    st.tuples(st.lists(_NAMES, min_size=0, max_size=3), st.booleans(), st.booleans()), max_size=12
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=_TREES)
def test_random_trees_find_what_grimp_finds(tmp_path_factory: pytest.TempPathFactory, layout: list) -> None:
    """Directories with and without __init__.py whose names are prefixes of their siblings':
    the walk's shortcut for grimp's prefix test finds what grimp's ModuleFinder finds when it
    walks in the same order."""
    root = tmp_path_factory.mktemp("tree")
    package = root / "top"
    package.mkdir()
    for parts, has_init, has_module in layout:
        directory = package.joinpath(*parts)
        directory.mkdir(parents=True, exist_ok=True)
        if has_init:
            (directory / "__init__.py").write_text("")
        if has_module:
            (directory / "m.py").write_text("")
    ours = find_package_tree("top", str(package), [])
    theirs = ModuleFinder().find_package(
        package_name="top", package_directory=str(package), file_system=_SortedWalk()
    )
    theirs_modules = {m.module.name for m in theirs.module_files}
    theirs_namespaces = set(theirs.namespace_packages)
    assert {name for name, _ in ours.module_files} == theirs_modules
    assert set(ours.namespace_packages) == theirs_namespaces


# Texts that look alike and are not under one another ("a" and "ab"), "..", "/" and "//".
path_texts = st.lists(st.sampled_from(["a", "ab", "b", "..", ".", ""]), max_size=4).map("/".join)


@given(st.sampled_from(["/", "//", ""]), path_texts, path_texts)
def test_relative_paths_as_pathlib_gives_them(start: str, root: str, path: str) -> None:
    root_path, full = Path(start + root), Path(start + root + "/" + path)
    for candidate in (full, Path(start + path), root_path):
        try:
            expected = candidate.relative_to(root_path).as_posix()
        except ValueError:
            expected = Path(os.path.relpath(candidate, root_path)).as_posix()
        assert relative_path(candidate, root_path) == expected
