"""SourceIndex keeps only recently used files: evicted files are read again and give the same
answers, and an unsaved buffer (flake8's stdin) is never replaced by the file on disk. Files are
decoded and split into lines as Python reads them."""

from __future__ import annotations

import codecs
import io
import os
import tokenize
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from hypothesis_profiles import profile

from boundary_lint.graph.discovery import relative_path
from boundary_lint.graph.noqa import HAS_NOQA, is_suppressed
from boundary_lint.graph.source import (
    _UNKNOWN_JOINS,
    SourceIndex,
    _File,
    _joined_lines,
    _split,
    _TokenRuns,
    _universal_newlines,
    read_text,
)


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


# Every character str.splitlines breaks at, line ends of every kind, text that is not UTF-8.
line_texts = st.text(alphabet=st.sampled_from("ab #\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028é"), max_size=12)


@profile(default_examples=300)
@given(line_texts)
def test_lines_split_as_python_counts_them(text: str) -> None:
    lines = text.split("\n")
    assert _split(text) == [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def detected_text(data: bytes) -> str:
    """read_text as tokenize.detect_encoding alone would have it read."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeError, LookupError):
        text = data.decode("latin-1")
    return _universal_newlines(text).removeprefix("\ufeff").removeprefix("\xef\xbb\xbf")


source_bytes = st.lists(
    st.sampled_from(
        [b"# -*- coding: latin-1 -*-", b"# coding=utf-8", b"#coding:nonesuch", b"coding", b"x = 1", b"# c"]
        + [b"\n", b"\r\n", b"\r", b"", codecs.BOM_UTF8, "é".encode(), "é".encode("latin-1"), b"\xff"]
    ),
    max_size=6,
).map(b"".join)


@profile(default_examples=500)
@given(source_bytes)
def test_text_decoded_as_tokenize_detects_its_encoding(data: bytes) -> None:
    assert read_text(data) == detected_text(data)


# Lines that make the tokenizer end several lines together (strings across lines, backslash
# continuations), noqa comments, quotes and backslashes in comments and strings, and text that
# does not tokenize (a string left open), in any order.
_FRAGMENTS = (
    "import a\n",
    "import b  # noqa\n",
    "from c import d  # NOQA: BND141\n",
    "# noqa: E501\n",
    'X = """\n',
    '"""\n',
    "Y = '''a\\\n",
    "b''' + 'c'  # noqa\n",
    'z = "a\\\n',
    'b"\n',
    "w = 1 + \\\n",
    "    2\n",
    "s = 'it\\'s'  # it's \"quoted\" \\\n",
    'f = rb"\\\\"  # noqa: BND1\n',
    "t = '#' + \"\\\"\"; u = ''\n",
    "\n",
    'v = """x"""  # noqa\n',
    '    """doc with # noqa and \'\'\' inside"""\n',
    "x = (\n",
    "    1,  # noqa\n",
    ")\n",
    "stray \\ backslash\n",
    "open = 'never closed\n",
)


@profile(default_examples=300)
@given(
    fragments=st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=14),
    data=st.data(),
)
def test_lines_no_noqa_line_can_join_answer_as_the_tokenizer_does(
    fragments: list[str], data: st.DataObject
) -> None:
    """The runs of lines read by one regular expression hold the tokenizer's (whatever order the
    lines are asked in: it tokenizes only as far as asked), so a noqa search in a line that
    no noqa line may join needs no tokenizing and finds the same."""
    lines = "".join(fragments).splitlines(keepends=True)
    order = data.draw(st.permutations(range(1, len(lines) + 1)))
    joins, runs = _joined_lines("".join(lines), len(lines)), _TokenRuns(lines)
    tokenized, filtered = _File(lines, None), _File(lines, None)
    for line in order:
        first, last = runs.run(line)
        if joins is not _UNKNOWN_JOINS:
            assert all(joins[n - 1] for n in range(first, last)), (line, first, last)
        start, end = tokenized.token_run(line)
        exact = "".join(lines[start - 1 : end])
        found = lines[line - 1] if not filtered.may_join(line, HAS_NOQA) else exact
        for code in ("BND141", "E501", "X1"):
            assert is_suppressed(code, [found]) == is_suppressed(code, [exact]), (line, code)


_PARTS = st.sampled_from(["a", "b", "..", "c.py", "ab", "a b"])


@given(st.lists(_PARTS, max_size=5), st.lists(_PARTS, max_size=4))
def test_relative_paths_by_directory_as_relpath_gives_them(path: list[str], root: list[str]) -> None:
    file, base = Path("/", *path), Path("/", *root)
    relative_path.cache_clear()
    try:
        expected = file.relative_to(base).as_posix()
    except ValueError:
        expected = Path(os.path.relpath(file, base)).as_posix()
    assert relative_path(file, base) == expected
