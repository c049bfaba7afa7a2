"""The single-threaded scanner (graph/scanner.py) against grimp's, import for import, and the
scan's ways around what grimp's scanner cannot do: a relative import above the top-level
package (grimp panics) and a process forked after grimp's threads started (they are gone)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, TREES

from boundary_lint.graph import builder
from boundary_lint.graph.builder import _grimp_packages, _scan_batch, build_project_graph
from boundary_lint.graph.discovery import discover_project
from boundary_lint.graph.scanner import ScanContext, decode_source, scan_source

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_tree import generate  # noqa: E402

# Every form of import grimp's parser knows, and the TYPE_CHECKING corner cases it has.
EDGE_CASES = {
    "edge/__init__.py": "from . import a\nfrom .a import *\nimport edge.b as bee\n",
    "edge/a.py": (
        "import os, sys\n"
        "import os.path\n"
        "from typing import TYPE_CHECKING\n"
        "import typing\n"
        "if TYPE_CHECKING:\n"
        "    from edge import b\n"
        "    if True:\n"
        "        import edge.c\n"
        "    import edge.sub\n"
        "elif x:\n"
        "    import edge.sub.deep\n"
        "else:\n"
        "    from .sub import deep\n"
        "if typing.TYPE_CHECKING: import json\n"
        "if a:\n"
        "    pass\n"
        "elif TYPE_CHECKING:\n"
        "    import edge.b\n"
        "else:\n"
        "    if TYPE_CHECKING:\n"
        "        import edge.c\n"
        "    import collections\n"
        "def f():\n"
        "    import edge.c as c\n"
        "    class K:\n"
        "        from edge.sub import deep as d\n"
        "try:\n"
        "    import ujson\n"
        "except ImportError:\n"
        "    import json\n"
        "else:\n"
        "    from . import b\n"
        "finally:\n"
        "    from .. edge import c\n"
        "with x:\n"
        "    from edge import (\n"
        "        b,\n"
        "        c,  # comment\n"
        "    )\n"
        "match y:\n"
        "    case 1:\n"
        "        import edge.nothing.here\n"
        "from edge import \\\n"
        "    b\n"
        "x = 1; import edge.c\n"
        "\f\n"
        "import edge.sub  \t\n"
        "from google.protobuf import message\n"
        "if TYPE_CHECKING:\n"
        "    if TYPE_CHECKING:\n"
        "        import edge.b\n"
        "    import edge.sub\n"
        "    def g():\n"
        "        import edge.c\n"
        "import edgeless\n"
    ),
    "edge/b.py": "from .sub.deep import thing\nfrom . import c\n",
    "edge/c.py": "\ufeff# coding: utf-8\r\nfrom edge import b\r\nimport edge.a\r\n",
    "edge/sub/__init__.py": "from .. import a\nfrom . import deep\nfrom ..sub import deep\n",
    "edge/sub/deep.py": "from ... import edge\nfrom ..b import x\nfrom . import *\n",
}


def _compare(root: Path, packages: tuple[str, ...]) -> int:
    """Scan every module with both scanners under every option; returns the imports compared."""
    files = discover_project(packages, (root,))
    found = _grimp_packages(files.found)
    module_files = files.module_files
    module_file_of = {mf.module.name: mf for p in found for mf in p.module_files}
    compared = 0
    for include_external in (False, True):
        for exclude_type_checking in (False, True):
            options = (include_external, exclude_type_checking)
            grimps = _scan_batch(tuple(module_file_of.values()), found, options, builder.FileSystem())
            context = ScanContext(
                module_files, tuple(p.name for p in found), include_external, exclude_type_checking
            )
            for module, path in module_files.items():
                text = decode_source(path.read_bytes())
                ours = scan_source(text, module, path.name == "__init__.py", context)
                # One level above the top, grimp names the external package "": the builder
                # reports it, as the scanner does, and leaves it out.
                assert ours.records == tuple(r for r in grimps[module] if r[0]), (module, options)
                climbing = {(line, text) for name, line, text, _ in grimps[module] if not name}
                assert climbing <= set(ours.beyond_top_level), (module, options)
                compared += len(ours.records)
    return compared


def test_the_same_imports_as_grimp_on_the_edge_cases(tmp_path: Path) -> None:
    for name, text in EDGE_CASES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert _compare(tmp_path, ("edge",)) > 100


def test_the_same_imports_as_grimp_on_a_generated_tree(tmp_path: Path) -> None:
    generate(tmp_path / "tree", 600, seed=3, package="bigapp")
    assert _compare(tmp_path / "tree", ("bigapp",)) > 3000


@pytest.mark.parametrize(
    ("tree", "packages"),
    [
        ("trove-split", ("trove", "troveguest", "common")),
        ("cli_shop", ("shop",)),
        ("diff_external", ("app",)),
    ],
)
def test_the_same_imports_as_grimp_on_the_test_trees(tree: str, packages: tuple[str, ...]) -> None:
    root = ROOT / "examples" / tree if tree == "trove-split" else TREES / tree
    if not all((root / p).exists() for p in packages):
        packages = tuple(p.name for p in root.iterdir() if (p / "__init__.py").exists())
    assert _compare(root, packages) > 0


def test_the_same_imports_as_grimp_on_boundary_lint_itself() -> None:
    assert _compare(ROOT, ("boundary_lint",)) > 300


# --- relative imports above the top-level package -----------------------------------------------


def test_relative_imports_above_the_top_are_found_and_left_out() -> None:
    context = ScanContext({"pkg", "pkg.a", "pkg.sub", "pkg.sub.m"}, ("pkg",))
    source = "from . import a\nfrom .. import x\nfrom ... import y\nfrom . . . . import z\nimport pkg.a\n"
    scanned = scan_source(source, "pkg.sub.m", False, context)
    assert scanned.records == (
        ("pkg", 2, "from .. import x", False),  # pkg.x is a name in pkg
        ("pkg.a", 5, "import pkg.a", False),
        ("pkg.sub", 1, "from . import a", False),
    )
    assert scanned.beyond_top_level == [(3, "from ... import y"), (4, "from . . . . import z")]
    # In a package's __init__, one more dot is still inside: ``from .. import`` in pkg/sub/__init__.
    assert scan_source("from .. import a\n", "pkg.sub", True, context).records == (
        ("pkg.a", 1, "from .. import a", False),
    )
    assert scan_source("from ... import a\n", "pkg.sub", True, context).beyond_top_level == [
        (1, "from ... import a")
    ]


def _tree_with_one_climbing_import(root: Path, modules: int) -> Path:
    for number in range(modules):
        (root / "pkg" / f"sub{number % 10}").mkdir(parents=True, exist_ok=True)
        (root / "pkg" / f"sub{number % 10}" / "__init__.py").write_text("")
        (root / "pkg" / f"sub{number % 10}" / f"m{number}.py").write_text(
            f"from . import m{number + 10}\nimport pkg\n"
        )
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "sub3" / "m3.py").write_text(
        "import pkg.sub1.m1\nfrom .... import gone\nfrom . import m13\n"
    )
    return root


def _count_scan_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every batch handed to grimp's scanner, in order."""
    calls: list[int] = []
    real = builder._scan_batch

    def counting(*args, **kwargs):
        calls.append(len(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(builder, "_scan_batch", counting)
    return calls


def test_a_climbing_import_is_reported_and_the_scan_stays_parallel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """grimp panics on the whole batch; the file that may climb is read with Python's parser
    and the rest is given to grimp again in one call: not file by file (which took 13-15 s
    instead of 0.6 s at 10,000 modules)."""
    root = _tree_with_one_climbing_import(tmp_path, 400)
    calls = _count_scan_batches(monkeypatch)
    project = build_project_graph(("pkg",), (root,))
    assert calls == [411, 410], calls  # every module, then all but the suspect
    assert [(p.path.name, p.line, p.code) for p in project.problems] == [("m3.py", 2, "BND906")]
    assert "from .... import gone" in project.problems[0].message
    imported = project.graph.find_modules_directly_imported_by("pkg.sub3.m3")
    assert imported == {"pkg.sub1.m1", "pkg.sub3.m13"}  # the file's other imports are kept


def test_a_panic_the_triage_does_not_foresee_is_narrowed_down_by_halves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree_with_one_climbing_import(tmp_path, 64)
    monkeypatch.setattr(builder._Scanner, "_may_climb_above_top", lambda self, name: False)
    calls = _count_scan_batches(monkeypatch)
    project = build_project_graph(("pkg",), (root,))
    assert [(p.path.name, p.line, p.code) for p in project.problems] == [("m3.py", 2, "BND906")]
    assert len(calls) <= 2 * 8, calls  # about two calls per halving of 75 files
    assert project.graph.find_modules_directly_imported_by("pkg.sub3.m3") == {"pkg.sub1.m1", "pkg.sub3.m13"}


FORKED_SCAN = textwrap.dedent(
    """\
    import os, sys
    from pathlib import Path
    from boundary_lint.graph.builder import build_project_graph

    root = Path(sys.argv[1])
    project = build_project_graph(("pkg",), (root,))  # grimp's threads start in this process
    pid = os.fork()
    if pid == 0:
        # A flake8 -j worker: grimp's pool has no threads here. Scanning must not wait on them.
        again = build_project_graph(("pkg",), (root,))
        edited = again.with_source("pkg.sub1.m1", "import pkg.sub2.m2\\n")
        ok = edited.graph.find_modules_directly_imported_by("pkg.sub1.m1") == {"pkg.sub2.m2"}
        ok = ok and again.graph.count_imports() == project.graph.count_imports()
        os._exit(0 if ok else 3)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))
    """
)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_a_process_forked_after_a_scan_scans_without_grimps_threads(tmp_path: Path) -> None:
    root = _tree_with_one_climbing_import(tmp_path, 50)
    completed = subprocess.run(
        [sys.executable, "-c", FORKED_SCAN, str(root)], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
