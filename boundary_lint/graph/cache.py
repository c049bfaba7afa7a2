"""The import cache (each module's direct imports, keyed by its file's content hash), as a
file in a ``CacheStore``, and the helpers every cache file shares (names, checked JSON).

Cache files are JSON, parsed with every field's type and range checked: a file that is not
exactly what this version writes is a miss (the cache is rebuilt), never an error. Where they
live, which files are believed, and how they are written: ``boundary_lint.graph.store``. The
content hashes themselves: ``boundary_lint.graph.hashes``; the report cache, above the engine:
``boundary_lint.report_cache``.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import itertools
import json
import os
import re
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from boundary_lint import __version__
from boundary_lint.collector import no_collection
from boundary_lint.graph.store import FORMAT, CacheStore, size_limit

# A file's stamp: (mtime_ns, ctime_ns, size, inode), as git compares its index with the disk.
# The ctime changes whenever the file does, even if a tool sets the mtime back (cp -p, tar).
Stamp = tuple[int, int, int, int]
ImportRecord = tuple[str, int, str, bool]  # imported, line number, line text, is_lazy
# module name -> (its file's content hash, imports)
CacheData = dict[str, tuple[str, tuple[ImportRecord, ...]]]

# An entry stamped this close to the cache's writing may have changed again within the same
# timestamp tick (coarse file systems): it is scanned again rather than trusted.
RACY_NS = 2_000_000_000

INT64 = 2**63

# How many of a cache file's entries may be out of date before it is written again, per
# thousand: see ``worth_rewriting``.
STALE_PER_THOUSAND = 1


def stamp_of(path: str | os.PathLike[str]) -> Stamp | None:
    """None if the file cannot be stat'ed or is not a regular file: neither can be parsed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino


@functools.lru_cache(maxsize=1)
def grimp_version() -> str:
    """grimp's version, read from its package without importing it: a run answered from the
    report cache never needs grimp, and importing it would cost more than the rest of the run."""
    spec = importlib.util.find_spec("grimp")
    if spec is not None and spec.origin:
        try:
            found = re.search(
                r"^__version__ = [\"']([^\"']+)", Path(spec.origin).read_text("utf-8"), re.MULTILINE
            )
        except OSError:
            found = None
        if found:
            return found.group(1)
    from importlib import metadata  # slow to import; only if grimp's __init__ stops naming its version

    return metadata.version("grimp")


def digest(key_parts: tuple[str, ...], full_python_version: bool = False) -> str:
    """The tool's, grimp's and Python's versions are part of every cache file's name."""
    python = sys.version if full_python_version else sys.version.split()[0]
    versions = (str(FORMAT), __version__, grimp_version(), python)
    return hashlib.blake2b("\0".join(versions + key_parts).encode(), digest_size=16).hexdigest()


def cache_name(key_parts: tuple[str, ...]) -> str:
    """The import cache file's name for one set of graph inputs."""
    return f"imports-{digest(key_parts)}.json"


def worth_rewriting(stale: int, entries: int) -> bool:
    """Whether a cache file, ``stale`` of whose ``entries`` are out of date, is written again.
    Its entries are trusted by content, so a stale one misses and is made again next run (one
    file read, or one file parsed), while rewriting the whole file for one edited module costs
    0.2-0.4 s at 50,000 modules. Stale entries accumulate over runs until they pass the limit."""
    return stale * 1000 > entries * STALE_PER_THOUSAND


@dataclass
class CacheContents:
    modules: frozenset[str] = frozenset()  # the modules that existed when it was written
    imports: CacheData = field(default_factory=dict)
    written_ns: int = 0

    def trusted(self, module: str, content: str | None) -> tuple[ImportRecord, ...] | None:
        """The cached imports of ``module`` if its file's bytes are those they were parsed from."""
        entry = self.imports.get(module)
        if entry is None or content is None or entry[0] != content:
            return None
        return entry[1]


class Invalid(ValueError):
    """Not a cache file this version writes."""


def _reject(value: str) -> object:
    raise Invalid(f"not allowed in a cache: {value}")


# No floats anywhere (so no NaN, Infinity or 1e999); integers over 4,300 digits are refused by
# Python itself (ValueError). Nesting deeper than the interpreter allows is a RecursionError.
_DECODER = json.JSONDecoder(parse_float=_reject, parse_constant=_reject)


def decode_json(body: bytes) -> Any:
    try:
        with no_collection():
            return _DECODER.decode(body.decode("utf-8"))
    except (ValueError, RecursionError, MemoryError):  # Invalid and UnicodeDecodeError are ValueErrors
        return None


def ints(values: object, low: int = -INT64, high: int = INT64) -> list[int]:
    """``values`` if it is a list of integers in [low, high) (checked at C speed)."""
    if type(values) is not list or not set(map(type, values)) <= {int}:
        raise Invalid("not a list of integers")
    if values and (min(values) < low or max(values) >= high):
        raise Invalid("integer out of range")
    return values


def strs(values: object) -> list[str]:
    if type(values) is not list or not set(map(type, values)) <= {str}:
        raise Invalid("not a list of strings")
    return values


def read_cache(store: CacheStore, name: str, modules: int) -> CacheContents:
    """The import cache, or an empty one if the file is missing, not believed or invalid."""
    body = store.read(name, "imports", size_limit(modules))
    if body is None:
        return CacheContents()
    try:
        with no_collection(keep=True):
            data = decode_json(body)
            return _import_cache(data) if data is not None else CacheContents()
    except Invalid:
        return CacheContents()


def _import_cache(data: object) -> CacheContents:
    """The columns written by ``write_cache``, each checked: types, ranges and lengths."""
    if type(data) is not dict:
        raise Invalid("not an object")
    try:
        modules, files, names, texts = (strs(data[k]) for k in ("modules", "files", "names", "text"))
        (written_ns,) = ints([data["written_ns"]], 0)
        contents, counts = strs(data["hashes"]), ints(data["counts"], 0)
        imported, lines, lazy = (
            ints(data["imported"], 0, len(names)),
            ints(data["line"], 0),
            ints(data["lazy"], 0, 2),
        )
    except KeyError:
        raise Invalid("a column is missing") from None
    records = len(imported)
    if (
        len(contents) != len(files)
        or len(counts) != len(files)
        or sum(counts) != records
        or not len(lines) == len(lazy) == len(texts) == records
        or len(set(files)) != len(files)
    ):
        raise Invalid("columns of different lengths")
    flags = (False, True)
    rows = list(zip(map(names.__getitem__, imported), lines, texts, map(flags.__getitem__, lazy)))
    imports: CacheData = {}
    start = 0
    for module, count, content in zip(files, counts, contents):
        imports[module] = (content, tuple(rows[start : start + count]))
        start += count
    return CacheContents(frozenset(modules), imports, written_ns)


def write_cache(store: CacheStore, name: str, modules: frozenset[str], imports: CacheData) -> str | None:
    """Write the import cache; return why it could not be written, or None."""
    with no_collection():  # the columns made to encode it are freed right after
        body = encode_imports(modules, imports)
    return store.write(name, "imports", body)


def encode_imports(modules: frozenset[str], imports: CacheData) -> bytes:
    """The import cache's content, as columns (every record's imported name, line, ...):
    decoding and checking a column is a few calls into C, where one small list per record
    would be a Python loop."""
    files = list(imports)
    entries = list(imports.values())
    records = list(itertools.chain.from_iterable(entry[1] for entry in entries))
    imported, lines, texts, lazy = zip(*records) if records else ((), (), (), ())
    index = {name: number for number, name in enumerate(dict.fromkeys(imported))}
    data = {
        "modules": sorted(modules),
        "written_ns": time.time_ns(),
        "files": files,
        "hashes": [entry[0] for entry in entries],
        "counts": [len(entry[1]) for entry in entries],
        "names": list(index),
        "imported": list(map(index.__getitem__, imported)),
        "line": lines,
        "lazy": list(map(int, lazy)),
        "text": texts,
    }
    return json.dumps(data, separators=(",", ":")).encode()
