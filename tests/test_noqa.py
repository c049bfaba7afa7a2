from pathlib import Path

import pytest

from boundary_lint.graph.noqa import is_suppressed


@pytest.mark.parametrize(
    ("lines", "code", "expected"),
    [
        (["import trove  # noqa"], "BND101", True),
        (["import trove  # NOQA"], "BND101", True),
        (["import trove  # noqa: BND101"], "BND101", True),
        (["import trove  # noqa:BND101,E501"], "BND101", True),
        (["import trove  # noqa: BND1"], "BND102", True),  # flake8 matches code prefixes
        (["import trove  # noqa: BND102"], "BND101", False),
        (["import trove  # noqa: E501"], "BND101", False),
        (["import trove"], "BND101", False),
        (["from trove import (", "    api,  # noqa: BND101", ")"], "BND101", True),
    ],
)
def test_noqa_follows_flake8(lines: list[str], code: str, expected: bool) -> None:
    assert is_suppressed(code, lines) is expected


def test_only_files_that_mention_noqa_are_tokenised(tmp_path: Path) -> None:
    """A file without "noqa" (in any case) suppresses nothing, so the check skips tokenising it;
    a file whose ``# NOQA`` only the tokenizer ties to the import (it sits inside a string that
    opens on the import's line) is still suppressed."""
    from boundary_lint import api

    (tmp_path / "boundary.toml").write_text(
        'root_packages = ["app"]\nsource_roots = ["."]\n'
        '[[contracts]]\nid = "no-db"\nname = "no db"\ntype = "forbidden"\n'
        'source_modules = ["app.ui"]\nforbidden_modules = ["app.db"]\n'
    )
    package = tmp_path / "app"
    (package / "ui").mkdir(parents=True)
    for name in ("__init__.py", "db.py", "ui/__init__.py"):
        (package / name).write_text("")
    hidden = package / "ui" / "hidden.py"
    hidden.write_text('import app.db; HELP = """\n# NOQA\n"""\n')
    plain = package / "ui" / "plain.py"
    plain.write_text("import app.db\n")
    config = api.load_config(path=tmp_path / "boundary.toml")
    options = api.CheckOptions(use_cache=False)
    sources = api.SourceIndex()
    report = api.check_graph(config, api.load_graph(config, options), options, sources=sources)
    found = {v.path: v.suppressed for contract in report.contracts for v in contract.violations}
    assert found == {"app/ui/hidden.py": True, "app/ui/plain.py": False}
    assert sources._recent[hidden]._token_runs is not None  # read by tokenizing
    assert sources._recent[plain]._token_runs is None  # never tokenised
