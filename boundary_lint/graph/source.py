"""Source files as text and syntax trees, read and parsed when needed.

grimp gives the line an import starts on; flake8 wants a column, and ``# noqa`` may sit on any
line of a statement that spans several. Both front ends use these functions, so they agree.
Rules that look at more than imports (moved modules, dynamic imports) read the trees here."""

from __future__ import annotations

import ast
import codecs
import errno
import functools
import io
import os
import re
import stat
import tokenize
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

# PEP 263, as Python's tokenizer reads it: a coding declaration is a comment on line 1, or on
# line 2 when line 1 is blank or a comment; the encoding name is ASCII.
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII)
_BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:[#\r\n]|$)")


def read_module_file(filename: str | os.PathLike[str]) -> bytes:
    """The file's bytes; OSError if it cannot be read or is not a regular file. Opened
    without blocking, so that a FIFO named like a module (or a file swapped for one after it
    was listed) is refused rather than waited on forever. Read with ``os.read`` sized by
    ``fstat``: a buffered file object costs more than the read itself for a small module,
    and a cold run reads every module."""
    fd = os.open(filename, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        size = os.fstat(fd)
        if not stat.S_ISREG(size.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(filename))
        data = os.read(fd, size.st_size + 1)
        if len(data) == size.st_size:
            return data  # the common case: the whole file in one read
        parts = [data]  # it changed since fstat, or the read was short: read on to its end
        while chunk := os.read(fd, 1 << 20):
            parts.append(chunk)
        return b"".join(parts)
    finally:
        os.close(fd)


def decoding_problem(data: bytes) -> tuple[int, str] | None:
    """Where (1-based line) and why ``data`` is not Python source text as Python decodes it
    (UTF-8 unless a coding declaration names another encoding), or None if it decodes."""
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    encoding, declared_on = "utf-8", 0
    for number, line in enumerate(body.split(b"\n", 2)[:2], 1):
        match = _CODING.match(line)
        if match:
            encoding, declared_on = match.group(1).decode("ascii"), number
            break
        if not _BLANK_OR_COMMENT.match(line):
            break
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return declared_on, f"unknown encoding {encoding!r} in the coding declaration"
    if bom and not _declared_as_utf8(encoding):
        return declared_on, f"a UTF-8 byte order mark, but a coding declaration for {encoding}"
    try:
        body.decode(name)
    except UnicodeDecodeError as error:
        offset = error.start + (len(data) - len(body))
        return data[:offset].count(
            b"\n"
        ) + 1, f"not valid {error.encoding} text ({error.reason} at byte {offset})"
    return None


def _declared_as_utf8(encoding: str) -> bool:
    """Whether Python's tokenizer takes the declared name for UTF-8 (a byte order mark allows
    no other): it compares the first 12 characters, lower case, ``_`` read as ``-``, with
    ``utf-8`` and ``utf-8-...`` only (so ``utf8`` is refused, ``UTF_8`` and ``utf-8-sig`` not)."""
    name = encoding[:12].lower().replace("_", "-")
    return name == "utf-8" or name.startswith("utf-8-")


@dataclass(frozen=True)
class Statement:
    column: int  # 1-based
    lines: tuple[str, ...]  # the statement's physical lines


def import_statements(tree: ast.AST) -> dict[int, tuple[int, int]]:
    """line -> (0-based column, end line) of the first import statement starting on each line."""
    found: dict[int, tuple[int, int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            known = found.get(node.lineno)
            if known is None or node.col_offset < known[0]:
                found[node.lineno] = (node.col_offset, node.end_lineno or node.lineno)
    return found


def read_text(data: bytes) -> str:
    """A file's text as flake8 reads it (so that both front ends see the same lines): in its
    declared encoding, else Latin-1; universal newlines; no byte order mark."""
    try:
        encoding = _encoding(data)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeError, LookupError):
        text = data.decode("latin-1")
    return _universal_newlines(text).removeprefix("\ufeff").removeprefix("\xef\xbb\xbf")


def _encoding(data: bytes) -> str:
    """As ``tokenize.detect_encoding`` finds it (SyntaxError where it raises one), without
    asking it when there is nothing to find: no byte order mark, and no ``coding`` on the two
    lines a declaration may be on (then it is UTF-8, or a SyntaxError if the first line is not
    UTF-8, which decoding the text as UTF-8 then finds too)."""
    first_end = data.find(b"\n")
    second_end = data.find(b"\n", first_end + 1) if first_end >= 0 else -1
    head = data if second_end < 0 else data[:second_end]
    if data.startswith(codecs.BOM_UTF8) or b"coding" in head:
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    return "utf-8"


@dataclass
class _File:
    lines: list[str]  # with their line ends, as flake8 has them
    source: str | bytes | None  # parsed only when needed: parsing is what costs
    _tree: ast.Module | None = None
    _parsed: bool = False
    _statements: dict[int, tuple[int, int]] | None = None
    _token_runs: _TokenRuns | None = None
    _joins: bytearray | None = None
    _text: str | None = None  # the lines joined, when known
    _holds: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def of_text(cls, text: str, source: str | bytes) -> _File:
        return cls(_split(text), source, _text=text)

    @property
    def text(self) -> str:
        """The lines joined (kept, once made)."""
        if self._text is None:
            self._text = "".join(self.lines)
        return self._text

    def holds(self, word: str) -> bool:
        """Whether the text holds ``word`` (lower case) in any case."""
        found = self._holds.get(word)
        if found is None:
            found = self._holds[word] = word in self.text.lower()
        return found

    def token_run(self, line: int) -> tuple[int, int]:
        if self._token_runs is None:
            self._token_runs = _TokenRuns(self.lines)
        return self._token_runs.run(line)

    def may_join(self, line: int, pattern: re.Pattern[str]) -> bool:
        """Whether the tokenizer may end ``line`` together with a line that ``pattern``
        matches at its start (``line`` itself included, unless it stands alone), as
        ``_joined_lines`` over-approximates the lines it ends together."""
        if self._joins is None:
            self._joins = _joined_lines(self.text, len(self.lines))
        joins = self._joins
        if joins is _UNKNOWN_JOINS:
            return True
        first = last = line
        while first > 1 and joins[first - 2]:
            first -= 1
        while last < len(joins) and joins[last - 1]:
            last += 1
        return first < last and any(pattern.match(text) for text in self.lines[first - 1 : last])

    @property
    def tree(self) -> ast.Module | None:
        if not self._parsed:
            self._parsed = True
            self._tree = _parse(self.source) if self.source is not None else None
        return self._tree

    @property
    def statements(self) -> dict[int, tuple[int, int]]:
        if self._statements is None:
            self._statements = import_statements(self.tree) if self.tree else {}
        return self._statements


class _TokenRuns:
    """line -> (first, last) physical line of the run of lines the tokenizer ends with the same
    NL or NEWLINE token: a line that opens or closes a multi-line string, backslash
    continuations. flake8 searches that whole run for ``# noqa`` (its _noqa_line_mapping).
    Tokenised only as far as asked: the imports reported are near the top, and tokenising a
    whole file cost more than anything else a check with many violations did. A file that
    does not tokenize gives every line alone, as flake8 has it; one that parses (any file with
    imports to report) tokenizes to its end, so stopping early loses nothing."""

    def __init__(self, lines: list[str]) -> None:
        self._tokens = tokenize.generate_tokens(io.StringIO("".join(lines)).readline)
        self._found: dict[int, tuple[int, int]] = {}  # lines alone in their run left out
        self._done = 0  # the last line of the last run ended
        self._none = len(lines) + 2, -1
        self._first, self._last = self._none

    def run(self, line: int) -> tuple[int, int]:
        while self._done < line and self._next():
            pass
        return self._found.get(line, (line, line))

    def _next(self) -> bool:
        """Read one token; False at the end or if the file does not tokenize."""
        try:
            token = next(self._tokens)
        except StopIteration:
            return False
        except (tokenize.TokenError, SyntaxError):
            self._found.clear()
            self._done = self._none[0]
            return False
        if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
            return True
        first, last = min(self._first, token.start[0]), max(self._last, token.end[0])
        self._first, self._last = first, last
        if token.type in (tokenize.NL, tokenize.NEWLINE):
            if last > first:
                self._found.update(dict.fromkeys(range(first, last + 1), (first, last)))
            self._done = last
            self._first, self._last = self._none
        return True


# The text that can make the tokenizer end several lines together, read left to right: a
# comment (it ends at its line's end), a string (a triple-quoted one across lines; escapes as
# the tokenizer reads them, raw or not; a prefix is letters, read as code), a backslash
# continuation. Anything else left with a quote or a backslash (a string left open, a stray
# backslash) is not Python the tokenizer reads as this does: ``_UNKNOWN_JOINS``. What none
# of them can begin with is skipped in one step, and the end of the text ends the last match
# (without it, the search would fail at every position of a tail with none of them).
_JOINING = re.compile(
    r"""[^#"'\\]*+(?P<token>"""
    r"#[^\n]*+"
    r'|"""(?:[^"\\]++|\\.|"(?!""))*+"""'
    r"|'''(?:[^'\\]++|\\.|'(?!''))*+'''"
    r'|"(?:[^"\\\n]++|\\.)*+"'
    r"|'(?:[^'\\\n]++|\\.)*+'"
    r"|\\\n"
    r"""|(?P<stray>["'\\])|\Z)""",
    re.DOTALL,
)
_UNKNOWN_JOINS = bytearray()


def _joined_lines(text: str, lines: int) -> bytearray:
    """For each of the ``lines`` lines of ``text``, 1 if the tokenizer may end it together with
    the next (a string or a backslash continuation holds its line end): an over-approximation
    of ``_TokenRuns``, read with one regular expression instead of the tokenizer (which costs
    30 times more), so that a line joined with no line that matters needs no tokenizing.
    ``_UNKNOWN_JOINS`` when the text is not read as the tokenizer reads it."""
    joins = bytearray(lines)
    line = position = 0  # the (0-based) line that ``position`` is on
    for match in _JOINING.finditer(text):
        if match.group("stray") is not None:
            return _UNKNOWN_JOINS
        start, end = match.span("token")
        newlines = text.count("\n", start, end)
        if newlines:
            line += text.count("\n", position, start)
            joins[line : line + newlines] = b"\1" * newlines
            line, position = line + newlines, end
    return joins


def _universal_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _split(text: str) -> list[str]:
    """Lines as Python counts them, each with its line end (``text`` has universal newlines):
    ``str.splitlines`` also breaks at a form feed and a few other characters, which would
    shift every later line number."""
    if text.isascii() and not any(c in text for c in _ASCII_BREAKS):  # most files: no other break
        return text.splitlines(keepends=True)
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


# Where str.splitlines breaks an ASCII text besides "\n".
_ASCII_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")


def _parse(source: str | bytes) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # nested too deep for Python too
        return None


_IMPORT_STARTS = ("import ", "from ")


def _import_column(text: str) -> int | None:
    """The 0-based column of an import statement that begins the line ``text``, else None."""
    stripped = text.lstrip()
    return len(text) - len(stripped) if stripped.startswith(_IMPORT_STARTS) else None


def _simple_statement(lines: list[str], line: int) -> tuple[int, int] | None:
    """(column, end line) of an import statement that begins its line, read from the text;
    None when the line does not begin with ``import``/``from`` (``x = 1; import y``), for which
    the file is parsed. Follows brackets and backslashes, as an import spans lines only so."""
    column = _import_column(lines[line - 1])
    if column is None:
        return None
    depth, end = 0, line
    while True:
        code = lines[end - 1].split("#", 1)[0]
        depth += code.count("(") - code.count(")")
        if (depth <= 0 and not code.rstrip().endswith("\\")) or end >= len(lines):
            return column, end
        end += 1


class SourceIndex:
    """Reads and parses files lazily, once each while they are in use: the most recently used
    files are kept (reports go file by file), the others read again if asked for. Keeping
    every file would hold a large tree's whole text and lines: 120 MB for the 31,000 violations
    of "no Home Assistant integration imports another"."""

    KEPT_FILES = 64

    def __init__(self) -> None:
        self._buffers: dict[Path, _File] = {}  # unsaved editor buffers: never read from disk
        self._recent: OrderedDict[Path, _File] = OrderedDict()
        self._matches: dict[tuple[Path, re.Pattern[str]], bool] = {}  # small: kept for every file
        # The file last asked for, found by identity: a report asks for the same file many
        # times in a row, and hashing a Path each time is most of the cost of a lookup.
        self._last_file: tuple[Path, _File] | None = None

    def add(self, path: Path, text: str) -> None:
        """Use ``text`` for ``path`` instead of the file (an unsaved editor buffer)."""
        self.forget(path)
        self._buffers[path] = _File.of_text(_universal_newlines(text), text)

    def forget(self, path: Path) -> None:
        """Drop what is known of ``path`` (its buffer, or the file as last read): an index kept
        between checks (the language server's) is told when a file changes or is closed."""
        self._last_file = None
        self._buffers.pop(path, None)
        self._recent.pop(path, None)
        for key in [k for k in self._matches if k[0] == path]:
            del self._matches[key]

    def buffer(self, path: Path) -> str | None:
        """The unsaved editor buffer given for ``path``, if any."""
        loaded = self._buffers.get(path)
        return loaded.source if loaded is not None and isinstance(loaded.source, str) else None

    def _load(self, path: Path) -> _File:
        last = self._last_file
        if last is not None and last[0] is path:
            return last[1]
        loaded = self._load_anew(path)
        self._last_file = (path, loaded)
        return loaded

    def _load_anew(self, path: Path) -> _File:
        loaded = self._buffers.get(path) or self._recent.get(path)
        if loaded is not None:
            if path in self._recent:
                self._recent.move_to_end(path)
            return loaded
        try:
            source = read_module_file(path)
        except OSError:
            loaded = _File([], None)
        else:
            loaded = _File.of_text(read_text(source), source)
        self._recent[path] = loaded
        if len(self._recent) > self.KEPT_FILES:
            self._recent.popitem(last=False)
        return loaded

    def tree(self, path: Path) -> ast.Module | None:
        """The file's syntax tree, or None if it cannot be read or parsed."""
        return self._load(path).tree

    def statement(self, path: Path, line: int) -> Statement:
        loaded = self._load(path)
        found = _simple_statement(loaded.lines, line) if 0 < line <= len(loaded.lines) else None
        if found is None:
            found = loaded.statements.get(line)
        column, end = found if found else (None, line)
        text = (
            tuple(t.rstrip("\n") for t in loaded.lines[line - 1 : end])
            if 0 < line <= len(loaded.lines)
            else ()
        )
        if column is None:  # not found by the parser: fall back to the indentation
            first = text[0] if text else ""
            column = len(first) - len(first.lstrip())
        return Statement(column + 1, text)

    def column(self, path: Path, line: int) -> int:
        """``statement(path, line).column``, without the statement's lines when its first line
        shows where it begins (a report asks for the column of every violation, and for the
        lines only in files with a ``# noqa``)."""
        lines = self._load(path).lines
        column = _import_column(lines[line - 1]) if 0 < line <= len(lines) else None
        return column + 1 if column is not None else self.statement(path, line).column

    def line_text(self, path: Path, line: int) -> str:
        lines = self._load(path).lines
        return lines[line - 1].rstrip("\n") if 0 < line <= len(lines) else ""

    def token_line(self, path: Path, line: int, searched: re.Pattern[str] | None = None) -> str:
        """The physical lines the tokenizer ends together with ``line``, joined: what flake8
        searches for ``# noqa`` when it reports an error on that line. ``searched``: what the
        caller looks for in them (a pattern matching at a line's start); when no line the
        tokenizer may end with ``line`` holds it, ``line`` alone is returned, without
        tokenizing (the same answer to that search)."""
        loaded = self._load(path)
        if searched is not None and 0 < line <= len(loaded.lines) and not loaded.may_join(line, searched):
            return loaded.lines[line - 1]
        first, last = loaded.token_run(line)
        return "".join(loaded.lines[first - 1 : last]) if 0 < line <= len(loaded.lines) else ""

    def holds(self, path: Path, word: str) -> bool:
        """Whether the file's text holds ``word`` (lower case) in any case: a test cheaper than
        a case-insensitive pattern that needs the word, answered once per file (while it is
        kept)."""
        return self._load(path).holds(word)

    def any_line_matches(self, path: Path, pattern: re.Pattern[str]) -> bool:
        """Whether ``pattern`` matches at the start of one of the file's lines."""
        key = (path, pattern)
        if key not in self._matches:
            lines = self._load(path).lines
            # A match in a line is one in the joined text at that line's start: where the
            # joined text has none (most files), no line has one, found without a loop.
            self._matches[key] = _at_line_start(pattern).search("".join(lines)) is not None and any(
                pattern.match(line) for line in lines
            )
        return self._matches[key]


@functools.cache
def _at_line_start(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Matches in a text wherever ``pattern`` matches at the start of one of its lines, and
    maybe elsewhere. ``.*X`` is searched as ``X`` (anchored, the regex engine would try every
    position of every line again)."""
    if pattern.pattern.startswith(".*"):
        return re.compile(pattern.pattern[2:], pattern.flags)
    return re.compile(f"^(?:{pattern.pattern})", pattern.flags | re.MULTILINE)
