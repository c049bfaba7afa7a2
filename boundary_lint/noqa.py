"""``# noqa`` handling, matching flake8's own rules."""

from __future__ import annotations

import re
from collections.abc import Iterable

# flake8's pattern (flake8.defaults.NOQA_INLINE_REGEXP).
NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)


def is_suppressed(code: str, lines: Iterable[str]) -> bool:
    """Whether a ``# noqa`` on any of the statement's lines covers ``code``: a bare ``# noqa``
    covers every code; ``# noqa: X,Y`` covers codes equal to or starting with X or Y."""
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
