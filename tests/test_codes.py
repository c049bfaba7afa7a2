"""One catalog of codes: every BND code is a constant in boundary_lint/codes.py, documented in
docs/codes.md, and every code the checks emit is catalogued."""

import ast
import re

import pytest
from conftest import ROOT

from boundary_lint import codes
from boundary_lint.api import CheckOptions, check, load_config

PACKAGE = ROOT / "boundary_lint"
CODE = re.compile(r"BND\d{3}")


def _string_constants(tree: ast.AST) -> list[ast.Constant]:
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


def test_no_code_is_spelled_outside_the_catalog() -> None:
    spelled = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "codes.py":
            continue
        for node in _string_constants(ast.parse(path.read_text(encoding="utf-8"))):
            assert isinstance(node.value, str)  # as _string_constants keeps them
            if CODE.fullmatch(node.value):
                spelled.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert spelled == []


def test_every_code_is_a_constant_with_a_family_and_a_summary() -> None:
    constants = {
        value
        for name, value in vars(codes).items()
        if name.isupper() and isinstance(value, str) and CODE.fullmatch(value)
    }
    assert constants == set(codes.CODES)
    for code in codes.CODES.values():
        assert (
            code.family in codes.FAMILIES.values() and code.summary.endswith(".") and code.name.isidentifier()
        )


def test_every_code_has_its_entry_in_the_docs_and_the_docs_no_other() -> None:
    page = (ROOT / "docs" / codes.DOCS_PAGE).read_text(encoding="utf-8")
    documented = re.findall(r"^\((bnd\d{3})\)=\n## (BND\d{3}) ", page, re.MULTILINE)
    assert all(anchor == code.lower() for anchor, code in documented)
    assert [code for _, code in documented] == sorted(codes.CODES)
    assert {c.anchor for c in codes.CODES.values()} == {anchor for anchor, _ in documented}


def test_every_emitted_code_is_catalogued() -> None:
    emitted: set[str] = set()
    for config in sorted((ROOT / "tests" / "trees").glob("*/pyproject.toml")):
        report = check(load_config(path=config), CheckOptions(use_cache=False))
        emitted |= {v.code for c in report.contracts for v in c.violations} | {
            e.code for e in report.all_errors
        }
    assert len(emitted) >= 10 and emitted <= set(codes.CODES)


def test_a_code_missing_from_the_catalog_is_named() -> None:
    with pytest.raises(LookupError, match="BND199 is not in boundary_lint.codes.CODES"):
        codes.catalogued("BND199")


def test_registering_a_code_twice_or_of_no_family_is_refused() -> None:
    with pytest.raises(ValueError):
        codes.register(codes.Code(codes.FORBIDDEN_DIRECT, "Again", "Again."))
    with pytest.raises(ValueError):
        codes.register(codes.Code("BND501", "NoFamily", "No family."))
