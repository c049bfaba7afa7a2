"""``# noqa`` handling, matching flake8's own rules, so that both front ends suppress the same."""

from __future__ import annotations

import re
from collections.abc import Iterable

# flake8's patterns (flake8.defaults.NOQA_INLINE_REGEXP and NOQA_FILE).
NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
# A line holding a noqa comment. NOQA begins with that comment's fixed text, which holds no
# line end: it matches in lines joined together only if one of them holds it, so a file
# without such a line needs no tokenizing to find the lines flake8 joins (most files with
# violations in a large tree).
HAS_NOQA = re.compile(r".*# noqa", re.IGNORECASE)
# A line that starts with it (``# flake8: noqa``, ``# flake8: noqa: E501`` alike) makes flake8
# check nothing in the file; the checker then counts every violation in it as suppressed.
FILE_NOQA = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)


def is_suppressed(code: str, lines: Iterable[str]) -> bool:
    """Whether a ``# noqa`` in ``lines`` covers ``code``: a bare ``# noqa`` covers every code;
    ``# noqa: X,Y`` covers codes equal to or starting with X or Y."""
    for line in lines:
        match = NOQA.search(line)
        if match is None:
            continue
        codes = match.group("codes")
        if codes is None:
            return True
        listed = tuple(c for c in re.split(r"[,\s]+", codes.strip()) if c)
        if code.startswith(listed):
            return True
    return False
