"""The packages a setup.cfg distributes by name: pbr's ``[files] packages`` and setuptools'
``[options] packages``. A module moved out of a listed top-level package (``trove.guestagent
-> troveguest``) is not installed until its new top-level package is listed too: its entry
points then name a module that the installed distribution does not contain.

Read from the text, so that ``fix`` can add the missing name keeping every other byte.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from boundary_lint.config import Move

SETUP_CFG = "setup.cfg"
_SECTIONS = ("files", "options")
_HEADER = re.compile(r"^\[([^\]]*)\][ \t]*$")
_KEY = re.compile(r"^packages[ \t]*[=:][ \t]*(.*)$")
_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class MissingPackage:
    line: int  # of the ``packages`` key, 1-based
    section: str
    package: str  # the new top-level package, not listed
    move: Move
    offset: int  # where the new entry is inserted (the end of the value's last line)
    insertion: str  # what is inserted: a line break, the entries' indentation, the name


def missing_packages(text: str, moves: Sequence[Move]) -> list[MissingPackage]:
    """For each ``packages`` list that names a move's old top-level package but not its new
    one: what is missing, and where it goes."""
    lines = _lines(text)
    found: list[MissingPackage] = []
    section = ""
    index = 0
    while index < len(lines):
        start, body, _ = lines[index]
        header = _HEADER.match(body)
        if header:
            section = header.group(1).strip()
        key = _KEY.match(body) if section in _SECTIONS else None
        if key is None:
            index += 1
            continue
        values = [key.group(1)]
        last = index
        while last + 1 < len(lines) and lines[last + 1][1][:1] in (" ", "\t") and lines[last + 1][1].strip():
            last += 1
            values.append(lines[last][1])
        found.extend(_missing(index + 1, section, values, lines, last, moves))
        index = last + 1
    return found


def _missing(
    line: int,
    section: str,
    values: list[str],
    lines: list[tuple[int, str, str]],
    last: int,
    moves: Sequence[Move],
) -> list[MissingPackage]:
    entries = {entry for value in values for entry in re.split(r"[\s,]+", value) if entry}
    if any(entry.startswith(("find:", "find_namespace:")) for entry in entries):
        return []  # found by setuptools, not listed
    tops = {entry.split(".")[0] for entry in entries}
    last_text = lines[last][1]
    indentation = last_text[: len(last_text) - len(last_text.lstrip(" \t"))] if last + 1 > line else ""
    newline = lines[last][2] or (lines[0][2] if lines and lines[0][2] else "\n")
    start, body, _ = lines[last]
    missing: dict[str, MissingPackage] = {}
    for move in moves:
        old_top, new_top = move.old.split(".")[0], move.new.split(".")[0]
        if old_top == new_top or old_top not in tops or new_top in tops or new_top in missing:
            continue
        missing[new_top] = MissingPackage(
            line, section, new_top, move, start + len(body), f"{newline}{indentation or '    '}{new_top}"
        )
    return list(missing.values())


def _lines(text: str) -> list[tuple[int, str, str]]:
    """(offset, text, line ending) of each line."""
    result: list[tuple[int, str, str]] = []
    position = 0
    for match in _NEWLINE.finditer(text):
        result.append((position, text[position : match.start()], match.group(0)))
        position = match.end()
    if position < len(text):
        result.append((position, text[position:], ""))
    return result


def add_missing_packages(text: str, moves: Sequence[Move]) -> tuple[str, int]:
    """``text`` with every missing new top-level package listed, and how many were added."""
    missing = missing_packages(text, moves)
    insertions: dict[int, str] = {}
    for entry in missing:  # in the order of the moves, also where several go at one place
        insertions[entry.offset] = insertions.get(entry.offset, "") + entry.insertion
    for offset in sorted(insertions, reverse=True):
        text = text[:offset] + insertions[offset] + text[offset:]
    return text, len(missing)
