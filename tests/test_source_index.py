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
