"""SourceIndex keeps only recently used files: evicted files are read again and give the same
answers, and an unsaved buffer (flake8's stdin) is never replaced by the file on disk."""

from __future__ import annotations

from pathlib import Path

from boundary_lint.graph.source import SourceIndex


def test_files_read_again_after_eviction_answer_the_same(tmp_path: Path) -> None:
    paths = []
    for number in range(SourceIndex.KEPT_FILES * 2):
        path = tmp_path / f"m{number}.py"
        path.write_text(f"x = 1; import os\nfrom a import (\n    b{number},\n)\n")
        paths.append(path)
    index = SourceIndex()
    first = [index.statement(p, 2) for p in paths]
    assert first[0].lines == ("from a import (", "    b0,", ")") and first[0].column == 1
    assert index.statement(paths[0], 1).column == 8  # found by parsing: not at the line's start
    assert [index.statement(p, 2) for p in paths] == first  # the early ones were evicted and read again
    assert len(index._recent) == SourceIndex.KEPT_FILES


def test_a_buffer_is_never_evicted(tmp_path: Path) -> None:
    buffer = tmp_path / "edited.py"
    buffer.write_text("import on_disk\n")
    index = SourceIndex()
    index.add(buffer, "\n\nimport in_the_editor\n")
    for number in range(SourceIndex.KEPT_FILES + 5):
        other = tmp_path / f"o{number}.py"
        other.write_text("import os\n")
        index.statement(other, 1)
    assert index.line_text(buffer, 3) == "import in_the_editor"


def test_token_lines_as_flake8_joins_them(tmp_path: Path) -> None:
    """A line in a multi-line string or a backslash continuation gives the whole run (the file is
    tokenised only as far as asked, which must not change the runs); a file that does not
    tokenize before the line gives the line alone."""
    path = tmp_path / "m.py"
    path.write_text('import a; X = """\n# noqa\n"""\nimport b\nY = 1 + \\\n    2\n')
    index = SourceIndex()
    assert index.token_line(path, 5) == "Y = 1 + \\\n    2\n"  # asked first: read that far
    assert index.token_line(path, 1) == 'import a; X = """\n# noqa\n"""\n'
    assert index.token_line(path, 4) == "import b\n"
    assert index.token_line(path, 6) == "Y = 1 + \\\n    2\n"
    broken = tmp_path / "broken.py"
    broken.write_text('X = """\nnever closed\nimport c\n')
    assert index.token_line(broken, 3) == "import c\n"
