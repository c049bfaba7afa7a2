"""The import cache (each module's direct imports, keyed by its file's stamp) and the report
cache (the last report, keyed by every file's stamp), as files in a ``CacheStore``.

Both are JSON, parsed with every field's type and range checked: a file that is not exactly
what this version writes is a miss (the cache is rebuilt), never an error. Where they live,
which files are believed, and how they are written: ``boundary_lint.graph.store``.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import importlib.util
import itertools
import json
import os
import re
import stat
import sys
import time
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from boundary_lint import __version__
from boundary_lint.graph.store import FORMAT, CacheStore, size_limit
from boundary_lint.report import Report

# A file's stamp: (mtime_ns, ctime_ns, size, inode), as git compares its index with the disk.
# The ctime changes whenever the file does, even if a tool sets the mtime back (cp -p, tar).
Stamp = tuple[int, int, int, int]
ImportRecord = tuple[str, int, str, bool]  # imported, line number, line text, is_lazy
# module name -> (stamp, imports)
CacheData = dict[str, tuple[Stamp, tuple[ImportRecord, ...]]]

# An entry stamped this close to the cache's writing may have changed again within the same
# timestamp tick (coarse file systems): it is scanned again rather than trusted.
RACY_NS = 2_000_000_000

_INT64 = 2**63


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


def _digest(key_parts: tuple[str, ...], full_python_version: bool = False) -> str:
    """The tool's, grimp's and Python's versions are part of every cache file's name."""
    python = sys.version if full_python_version else sys.version.split()[0]
    versions = (str(FORMAT), __version__, grimp_version(), python)
    return hashlib.blake2b("\0".join(versions + key_parts).encode(), digest_size=16).hexdigest()


def cache_name(key_parts: tuple[str, ...]) -> str:
    """The import cache file's name for one set of graph inputs."""
    return f"imports-{_digest(key_parts)}.json"


@dataclass
class CacheContents:
    modules: frozenset[str] = frozenset()  # the modules that existed when it was written
    imports: CacheData = field(default_factory=dict)
    written_ns: int = 0

    def trusted(self, module: str, stamp: Stamp | None) -> tuple[ImportRecord, ...] | None:
        """The cached imports of ``module`` if its file is provably unchanged."""
        entry = self.imports.get(module)
        if entry is None or stamp is None or entry[0] != stamp:
            return None
        if max(stamp[0], stamp[1]) >= self.written_ns - RACY_NS:
            return None
        return entry[1]


class _Invalid(ValueError):
    """Not a cache file this version writes."""


def _reject(value: str) -> object:
    raise _Invalid(f"not allowed in a cache: {value}")


# No floats anywhere (so no NaN, Infinity or 1e999); integers over 4,300 digits are refused by
# Python itself (ValueError). Nesting deeper than the interpreter allows is a RecursionError.
_DECODER = json.JSONDecoder(parse_float=_reject, parse_constant=_reject)


@contextmanager
def _no_collection(keep: bool = False) -> Iterator[None]:
    """Without the cyclic collector: the objects made are acyclic, and its passes over hundreds
    of thousands of new tuples cost more than making them. ``keep``: what was made is kept
    for the rest of the run, so the collector is told never to look at it again (``freeze``:
    objects are still freed when no longer referenced), instead of scanning it once more when
    it comes back on (0.12 s of CPU at 50,000 modules)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if enabled:
            gc.enable()


def _decode_json(body: bytes) -> Any:
    try:
        with _no_collection():
            return _DECODER.decode(body.decode("utf-8"))
    except (ValueError, RecursionError, MemoryError):  # _Invalid and UnicodeDecodeError are ValueErrors
        return None


def _ints(values: object, low: int = -_INT64, high: int = _INT64) -> list[int]:
    """``values`` if it is a list of integers in [low, high) (checked at C speed)."""
    if type(values) is not list or not set(map(type, values)) <= {int}:
        raise _Invalid("not a list of integers")
    if values and (min(values) < low or max(values) >= high):
        raise _Invalid("integer out of range")
    return values


def _strs(values: object) -> list[str]:
    if type(values) is not list or not set(map(type, values)) <= {str}:
        raise _Invalid("not a list of strings")
    return values


def read_cache(store: CacheStore, name: str, modules: int) -> CacheContents:
    """The import cache, or an empty one if the file is missing, not believed or invalid."""
    body = store.read(name, "imports", size_limit(modules))
    if body is None:
        return CacheContents()
    try:
        with _no_collection(keep=True):
            data = _decode_json(body)
            return _import_cache(data) if data is not None else CacheContents()
    except _Invalid:
        return CacheContents()


def _import_cache(data: object) -> CacheContents:
    """The columns written by ``write_cache``, each checked: types, ranges and lengths."""
    if type(data) is not dict:
        raise _Invalid("not an object")
    try:
        modules, files, names, texts = (_strs(data[k]) for k in ("modules", "files", "names", "text"))
        (written_ns,) = _ints([data["written_ns"]], 0)
        stamps, counts = _ints(data["stamps"]), _ints(data["counts"], 0)
        imported, lines, lazy = (
            _ints(data["imported"], 0, len(names)),
            _ints(data["line"], 0),
            _ints(data["lazy"], 0, 2),
        )
    except KeyError:
        raise _Invalid("a column is missing") from None
    records = len(imported)
    if (
        len(stamps) != 4 * len(files)
        or len(counts) != len(files)
        or sum(counts) != records
        or not len(lines) == len(lazy) == len(texts) == records
        or len(set(files)) != len(files)
    ):
        raise _Invalid("columns of different lengths")
    flags = (False, True)
    rows = list(zip(map(names.__getitem__, imported), lines, texts, map(flags.__getitem__, lazy)))
    stamp_values = iter(stamps)
    imports: CacheData = {}
    start = 0
    for module, count, stamp in zip(
        files, counts, zip(stamp_values, stamp_values, stamp_values, stamp_values)
    ):
        imports[module] = (stamp, tuple(rows[start : start + count]))
        start += count
    return CacheContents(frozenset(modules), imports, written_ns)


def write_cache(store: CacheStore, name: str, modules: frozenset[str], imports: CacheData) -> str | None:
    """Write the import cache; return why it could not be written, or None."""
    with _no_collection():  # the columns made to encode it are freed right after
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
        "stamps": list(itertools.chain.from_iterable(entry[0] for entry in entries)),
        "counts": [len(entry[1]) for entry in entries],
        "names": list(index),
        "imported": list(map(index.__getitem__, imported)),
        "line": lines,
        "lazy": list(map(int, lazy)),
        "text": texts,
    }
    return json.dumps(data, separators=(",", ":")).encode()


class ReportCache:
    """The last report, kept with the fingerprint of the files it was made from: when nothing
    changed, a run costs little more than finding and statting the files. The key covers the
    configuration's text, the options and every version involved; the fingerprint, every
    module file's stamp."""

    def __init__(self, store: CacheStore, key_parts: tuple[str, ...]) -> None:
        self.store = store
        self.name = f"report-{_digest(key_parts, full_python_version=True)}.json"

    def load(self, fingerprint: str, newest_change_ns: int, modules: int) -> Report | None:
        body = self.store.read(self.name, "report", size_limit(modules))
        stored = _decode_json(body) if body is not None else None
        if type(stored) is not dict or set(stored) != {"fingerprint", "written_ns", "report"}:
            return None
        if stored["fingerprint"] != fingerprint or type(stored["written_ns"]) is not int:
            return None
        # A file changed within a timestamp tick of the report being written may have
        # changed again unseen: recompute.
        if newest_change_ns >= stored["written_ns"] - RACY_NS:
            return None
        try:
            with _no_collection():
                report = _decoder(Report)(stored["report"])
        except _Invalid:
            return None
        return typing.cast(Report, report)

    def store_report(self, fingerprint: str, report: Report) -> str | None:
        return self.store.write(self.name, "report", encode_report(fingerprint, report))


def encode_report(fingerprint: str, report: Report) -> bytes:
    data = {"fingerprint": fingerprint, "written_ns": time.time_ns(), "report": _encode(report)}
    return json.dumps(data, separators=(",", ":")).encode()


# --- the report as JSON: each dataclass a list of its fields, in order ---------------------


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_encode(getattr(value, name)) for name in _field_names(type(value))]
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


@functools.cache
def _decoder(annotation: Any) -> Callable[[object], Any]:
    """A function that checks a decoded JSON value against ``annotation`` (the report's own
    field types) and builds it; raises _Invalid."""
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation in (str, int, bool):
        return _scalar(annotation)
    if annotation is type(None):
        return _scalar(type(None))
    if origin in (typing.Union, types.UnionType):
        choices = [_decoder(a) for a in arguments]
        return lambda value: _first_that_fits(choices, value)
    if origin in (list, tuple):
        if origin is tuple and not (len(arguments) == 2 and arguments[1] is Ellipsis):
            items = [_decoder(a) for a in arguments]
            return lambda value: tuple(d(v) for d, v in zip(items, _list(value, len(items))))
        item = _decoder(arguments[0])
        build = list if origin is list else tuple
        return lambda value: build(map(item, _list(value)))
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        cls: Callable[..., Any] = annotation
        hints = typing.get_type_hints(annotation)
        fields = [_decoder(hints[name]) for name in _field_names(annotation)]
        return lambda value: cls(*[d(v) for d, v in zip(fields, _list(value, len(fields)))])
    raise TypeError(f"no cache decoder for {annotation!r}")  # pragma: no cover - a new field type


def _scalar(kind: type) -> Callable[[object], Any]:
    def check(value: object) -> object:
        if type(value) is not kind or (kind is int and not -_INT64 <= value < _INT64):  # type: ignore[operator]
            raise _Invalid(f"expected {kind.__name__}")
        return value

    return check


def _list(value: object, length: int | None = None) -> list[Any]:
    if type(value) is not list or (length is not None and len(value) != length):
        raise _Invalid("expected a list" if length is None else f"expected a list of {length}")
    return value


def _first_that_fits(choices: list[Callable[[object], Any]], value: object) -> Any:
    for choice in choices:
        try:
            return choice(value)
        except _Invalid:
            continue
    raise _Invalid("no type fits")
