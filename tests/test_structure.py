"""Rules about the code's own shape that our layering contract cannot say."""

from __future__ import annotations

import re

from conftest import ROOT

PACKAGE = ROOT / "boundary_lint"
# grimp's modules outside its public API (grimp/__init__.py): the extension and its layers.
PRIVATE_GRIMP = re.compile(r"\bgrimp(\._\w+|\.adaptors|\.application|\.domain)\b|\bfrom grimp import _")


def test_grimps_private_modules_are_used_in_one_module() -> None:
    users = sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if PRIVATE_GRIMP.search(path.read_text(encoding="utf-8"))
    )
    assert users == ["graph/grimp_private.py"]


def test_the_pattern_sees_each_form_of_private_import() -> None:
    for line in (
        "from grimp import _rustgrimp as rust",
        "from grimp.adaptors.filesystem import FileSystem",
        "import grimp.application.ports.modulefinder",
        "from grimp.domain.valueobjects import Module",
    ):
        assert PRIVATE_GRIMP.search(line), line
    assert not PRIVATE_GRIMP.search("import grimp\nfrom grimp.exceptions import SourceSyntaxError")
