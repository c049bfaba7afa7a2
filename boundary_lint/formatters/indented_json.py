"""``json.dumps(value, indent=2)``, byte for byte, at a fraction of its cost on large reports.

With ``indent`` set, the standard library gives up its C encoder for a Python one that yields
every bracket, separator and indentation as a piece of its own: 3.5 million pieces, 1 s and
180 MB for the 31,000 violations of "no Home Assistant integration imports another". Here a
dict is one %-template per key order and depth (a report's dicts have a few shapes), filled
with its values, each scalar spelled by the C function the standard library calls; a container
met again at the same depth (a hop that many chains share) is encoded once. A value can also
be ``Encoded``: a writer that spells itself (the report's violations, without a dict each).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from json.encoder import encode_basestring_ascii
from typing import Any

INDENT = "  "


# Containers this shallow are written piece by piece into one list, joined once at the end:
# joining each into a string of its own would copy a large report's text once per level
# (47 MB four times over for the report with 31,000 violations). Deeper ones (a violation, a
# hop) are each one string.
PIECEWISE_DEPTH = 4


def dumps(value: Any) -> str:
    return "".join(dumps_pieces(value))


def dumps_pieces(value: Any) -> list[str]:
    """``dumps(value)`` in pieces, to be written one after the other."""
    pieces: list[str] = []
    _Encoder().write(value, "\n", 0, pieces)
    return pieces


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _null(value: None) -> str:
    return "null"


# By exact type: a subclass (and a float) is spelled by json.dumps itself.
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring_ascii,
    int: int.__repr__,
    bool: _bool,
    type(None): _null,
}


def scalar(value: Any) -> str:
    """A JSON scalar (str, int, bool, None, float) as ``json.dumps`` spells it."""
    spell = _SCALARS.get(type(value))
    return spell(value) if spell is not None else json.dumps(value)


@functools.lru_cache(maxsize=256)  # a report's dicts have a few shapes
def dict_template(keys: tuple[str, ...], newline: str) -> str:
    """A dict with these keys, as %-template of its values' texts; ``newline`` begins its
    closing line."""
    inner = newline + INDENT
    # json.dumps turns other keys into strings; a report's keys are strings already.
    lines = [f"{encode_basestring_ascii(key).replace('%', '%%')}: %s" for key in keys]
    return f"{{{inner}{(',' + inner).join(lines)}{newline}}}"


def list_text(items: list[str], newline: str) -> str:
    """A list of already spelled items (each at ``newline`` + INDENT)."""
    if not items:
        return "[]"
    inner = newline + INDENT
    return f"[{inner}{(',' + inner).join(items)}{newline}]"


class Encoded:
    """A value that spells itself: ``write(newline, pieces)`` appends its text, whose later
    lines begin with ``newline``, to ``pieces``."""

    def __init__(self, write: Callable[[str, list[str]], None]) -> None:
        self.write = write


class _Encoder:
    def __init__(self) -> None:
        # id of a container met more than once -> (its indentation, its text). Only from its
        # second time: keeping every container's text would hold the report's text once per
        # depth. The value tree holds every container while it is encoded: no id is reused.
        self._seen: set[int] = set()
        self._done: dict[int, tuple[str, str]] = {}

    def write(self, value: Any, newline: str, depth: int, pieces: list[str]) -> None:
        """Append ``value``'s text to ``pieces`` (as ``encode``, shallow containers piecewise)."""
        kind = type(value)
        if kind is Encoded:
            value.write(newline, pieces)
            return
        if (
            depth >= PIECEWISE_DEPTH
            or not value
            or (kind is not dict and kind is not list and kind is not tuple)
        ):
            pieces.append(self.encode(value, newline))
            return
        inner = newline + INDENT
        pieces.append("{" if kind is dict else "[")
        items = value.items() if kind is dict else enumerate(value)
        for number, (key, item) in enumerate(items):
            pieces.append(("," + inner) if number else inner)
            if kind is dict:
                pieces.append(f"{encode_basestring_ascii(key)}: ")
            self.write(item, inner, depth + 1, pieces)
        pieces.append(newline + ("}" if kind is dict else "]"))

    def encode(self, value: Any, newline: str) -> str:
        """``value`` whose first line is already indented; ``newline`` begins its later lines."""
        kind = type(value)
        scalar = _SCALARS.get(kind)
        if scalar is not None:
            return scalar(value)
        if kind is Encoded:
            pieces: list[str] = []
            value.write(newline, pieces)
            return "".join(pieces)
        if kind is not dict and kind is not list and kind is not tuple:
            return json.dumps(value)
        if not value:
            return "{}" if kind is dict else "[]"
        known = self._done.get(id(value))
        if known is not None and known[0] == newline:
            return known[1]
        again = id(value) in self._seen
        self._seen.add(id(value))
        inner = newline + INDENT
        scalars, encode = _SCALARS, self.encode
        items = (
            [s(v) if (s := scalars.get(type(v))) else encode(v, inner) for v in value.values()]
            if kind is dict
            else [s(v) if (s := scalars.get(type(v))) else encode(v, inner) for v in value]
        )
        if kind is dict:
            text = dict_template(tuple(value), newline) % tuple(items)
        else:
            text = f"[{inner}{(',' + inner).join(items)}{newline}]"
        if again:
            self._done[id(value)] = (newline, text)
        return text
