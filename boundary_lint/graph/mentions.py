"""Where text names a moved module's old path, in any file: as a dotted path
(``trove.guestagent.api``, ``trove.guestagent.api:API``) or as a file path
(``trove/guestagent/``, ``trove/guestagent/api.py``, ``trove/guestagent/.*``).

A mention starts and ends at identifier boundaries: ``trove.guestagentx``,
``mytrove.guestagent`` and ``x.trove.guestagent`` are not mentions. Files are read as bytes and
decoded keeping every byte that is not a mention (line endings, a byte-order mark, a PEP 263
encoding), so that a rewrite changes the mentions and nothing else.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import tokenize
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass

from boundary_lint.config import Move

DOTTED, FILE_PATH = "dotted", "path"
UTF8_BOM = b"\xef\xbb\xbf"
_NEWLINE = re.compile(r"\r\n|\r|\n")


def find_move(name: str, moves: Sequence[Move]) -> Move | None:
    """The move whose old path is ``name`` or a package of it (the longest such)."""
    matches = [m for m in moves if name == m.old or name.startswith(m.old + ".")]
    return max(matches, key=lambda m: len(m.old), default=None)


def renamed(name: str, move: Move) -> str:
    return move.new + name[len(move.old) :]


@dataclass(frozen=True)
class Mention:
    start: int  # offsets in the text
    end: int
    line: int  # 1-based
    column: int  # 1-based, in characters
    form: str  # DOTTED or FILE_PATH
    name: str  # the dotted path named (for a file path, its parts joined by dots)
    new: str  # the text that replaces it

    @property
    def written(self) -> str:
        return self.name if self.form == DOTTED else self.name.replace(".", "/")


class OldPaths:
    """The old paths of some moves, compiled: a bytes prefilter and the exact search."""

    def __init__(self, moves: Sequence[Move]) -> None:
        self.moves = tuple(moves)
        olds = sorted({m.old for m in moves}, key=len, reverse=True)
        dotted = "|".join(re.escape(o) for o in olds)
        paths = "|".join(re.escape(o.replace(".", "/")) for o in olds)
        identifier = r"[^\W\d]\w*"
        self._search = re.compile(
            rf"(?<![\w.\-])(?:(?P<dotted>(?:{dotted})(?:\.{identifier})*)(?!\w)"
            rf"|(?P<path>(?:{paths})(?:/{identifier})*)(?![\w\-]))"
        )
        self._literals = tuple({o.encode() for o in olds} | {o.replace(".", "/").encode() for o in olds})
        # `from trove import guestagent`, `from ..common import cfg`: Python names a module by
        # its last part too.
        last_parts = sorted({o.rpartition(".")[2] for o in olds})
        self._last_parts = re.compile(
            rb"\b(?:" + b"|".join(re.escape(p.encode()) for p in last_parts) + rb")\b"
        )

    def may_mention(self, data: bytes) -> bool:
        """The fast prefilter: whether ``data`` contains an old path as text at all."""
        return any(literal in data for literal in self._literals)

    def may_refer(self, data: bytes) -> bool:
        """For Python source: could it refer to an old path (by text, or by a last part
        imported from its package or relatively)?"""
        return self.may_mention(data) or self._last_parts.search(data) is not None

    def mentions(self, text: str) -> list[Mention]:
        found = []
        starts: list[int] | None = None
        for match in self._search.finditer(text):
            if starts is None:
                starts = line_starts(text)
            form = DOTTED if match.group("dotted") else FILE_PATH
            written = match.group(0)
            name = written if form == DOTTED else written.replace("/", ".")
            move = find_move(name, self.moves)
            assert move is not None
            new = renamed(name, move)
            if form == DOTTED and _declares(text, match.end(), new):
                continue
            line = bisect.bisect_right(starts, match.start())
            found.append(
                Mention(
                    match.start(),
                    match.end(),
                    line,
                    match.start() - starts[line - 1] + 1,
                    form,
                    name,
                    new if form == DOTTED else new.replace(".", "/"),
                )
            )
        return found

    def rewrite(self, text: str, own_lines: Container[int] = ()) -> tuple[str, int]:
        """``text`` with every mention replaced (but those on ``own_lines``), and how many."""
        mentions = [m for m in self.mentions(text) if m.line not in own_lines]
        if not mentions:
            return text, 0
        parts: list[str] = []
        position = 0
        for mention in mentions:
            parts.extend((text[position : mention.start], mention.new))
            position = mention.end
        parts.append(text[position:])
        return "".join(parts), len(mentions)


_ARROW = re.compile(r"[ \t]*->[ \t]*")


def _declares(text: str, end: int, new: str) -> bool:
    """Whether the mention is the left side of ``old -> new``: the move itself (in the
    ``moves`` of a contract, or in a document that records it), not a stale reference."""
    arrow = _ARROW.match(text, end)
    if arrow is None or not text.startswith(new, arrow.end()):
        return False
    after = arrow.end() + len(new)
    return after == len(text) or not (text[after].isalnum() or text[after] in "_.")


_HEADER = re.compile(r"^[ \t]*\[\[?[ \t]*([^\]\s]+)[ \t]*\]", re.M)
_OUR_SECTIONS = ("tool.boundary_lint", "boundary_lint", "tool.importlinter", "importlinter", "contracts")
_TOP_LEVEL_CONFIGURATION = re.compile(r"\Aroot_packages[ \t]*=|^root_packages[ \t]*=", re.M)
# A baseline file (boundary_lint/baseline.py's FORMAT_KEY) records today's findings, old paths
# included: it is all ours, or writing a baseline would add a finding the baseline lacks.
_BASELINE = re.compile(r'\A\ufeff?\s*\{\s*"boundary_lint_baseline"\s*:')


def configuration_lines(text: str) -> set[int]:
    """The lines of boundary-lint's (or import-linter's) own configuration in a file: the
    ``moves`` of a moved contract, its name and instructions name the old paths on purpose.
    Sections ``[tool.boundary_lint...]``, ``[boundary_lint...]``, ``[importlinter...]``,
    ``[[contracts]]``, the top of a standalone contracts file (``root_packages = ...``), and
    all of a baseline file."""
    if "boundary_lint" not in text and "importlinter" not in text and "root_packages" not in text:
        return set()
    starts = line_starts(text)
    if _BASELINE.match(text):
        return set(range(1, len(starts) + 1))
    headers = [(bisect.bisect_right(starts, m.start()), m.group(1)) for m in _HEADER.finditer(text)]
    first_header = headers[0][0] if headers else len(starts) + 1
    own: set[int] = set()
    top = _TOP_LEVEL_CONFIGURATION.search(text)
    if top is not None and bisect.bisect_right(starts, top.start()) < first_header:
        own.update(range(1, first_header))
    for (line, name), (end, _) in zip(headers, [*headers[1:], (len(starts) + 1, "")]):
        if any(name == ours or name.startswith((ours + ".", ours + ":")) for ours in _OUR_SECTIONS):
            own.update(range(line, end))
    return own


def line_starts(text: str) -> list[int]:
    """Offsets at which each line begins (lines end at \\n, \\r\\n or \\r, as Python counts them)."""
    return [0, *(m.end() for m in _NEWLINE.finditer(text))]


class NotText(Exception):
    """A file that is not text: binary (a NUL byte) or not decodable."""


@dataclass(frozen=True)
class Decoded:
    text: str  # without the byte-order mark; line endings as in the file
    encoding: str
    bom: bool

    def encode(self, text: str) -> bytes:
        return (UTF8_BOM if self.bom else b"") + text.encode(self.encoding)


def decode(data: bytes, python: bool) -> Decoded:
    """The file's text, as Python reads it for a Python file (PEP 263, a UTF-8 byte-order
    mark) and as UTF-8 (with or without the mark) for any other. Raises NotText."""
    if b"\0" in data:
        raise NotText("binary (a NUL byte)")
    bom = data.startswith(UTF8_BOM)
    encoding = "utf-8"
    if python:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as error:
            raise NotText(str(error)) from None
        if encoding == "utf-8-sig":
            encoding = "utf-8"
    body = data[len(UTF8_BOM) :] if bom else data
    try:
        return Decoded(body.decode(encoding), encoding, bom)
    except (UnicodeDecodeError, LookupError) as error:
        raise NotText(f"not {encoding} text ({error})") from None


def python_prose_mentions(text: str, tree: ast.Module, mentions: list[Mention]) -> list[Mention]:
    """The dotted mentions that lie outside code and outside strings that are a dotted path
    (those are imports, attribute chains and strings the syntax tree reports): comments,
    docstrings, messages. File-path mentions are all kept (no syntax names a file)."""
    dotted = [m for m in mentions if m.form == DOTTED]
    if not dotted:
        return mentions
    spans = sorted(_code_spans(tree, {m.line for m in dotted}))
    kept = []
    for mention in mentions:
        if mention.form == DOTTED and _inside(spans, mention.line, _byte_column(text, mention)):
            continue
        kept.append(mention)
    return kept


def _byte_column(text: str, mention: Mention) -> int:
    """The mention's 0-based column in UTF-8 bytes, as the syntax tree counts them."""
    line_start = mention.start - (mention.column - 1)
    before = text[line_start : mention.start]
    return len(before) if before.isascii() else len(before.encode("utf-8"))


def _inside(spans: list[tuple[int, int, int, int]], line: int, column: int) -> bool:
    for first_line, first_column, last_line, last_column in spans:
        if first_line > line:
            break
        if (first_line, first_column) <= (line, column) < (last_line, last_column):
            return True
    return False


def _code_spans(tree: ast.Module, lines: set[int]) -> Iterator[tuple[int, int, int, int]]:
    """Where imports, attribute chains and dotted-path strings lie, on the lines of interest."""
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom, ast.Attribute, ast.Constant)):
            continue
        end_line = node.end_lineno or node.lineno
        if not any(line in lines for line in range(node.lineno, end_line + 1)):
            continue
        if isinstance(node, ast.Constant) and not (
            isinstance(node.value, str) and _is_dotted_string(node.value)
        ):
            continue
        yield node.lineno, node.col_offset, end_line, node.end_col_offset or 0


_DOTTED_STRING = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")


def _is_dotted_string(value: str) -> bool:
    """As graph.references counts a string as naming a module (``a.b.c``, ``a.b:attr``)."""
    text = value.split(":")[0] if value.count(":") == 1 else value
    return _DOTTED_STRING.match(text) is not None
