"""The report cache: the last report, kept with two fingerprints of the files it was made
from. When no file's stamp changed, a run costs little more than finding and statting the
files; when stamps changed but no file's bytes did (a fresh clone, a restored CI cache), little
more than hashing them. The key covers the configuration's text, the options and every version
involved. It lies above the engine's graph: the graph package knows nothing of reports.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import operator
import time
import types
import typing
from collections.abc import Callable
from typing import Any

from boundary_lint.collector import no_collection
from boundary_lint.graph.cache import INT64, RACY_NS, Invalid, decode_json, digest
from boundary_lint.graph.store import CacheStore, size_limit
from boundary_lint.report import Hop, Report


class ReportCache:
    def __init__(self, store: CacheStore, key_parts: tuple[str, ...]) -> None:
        self.store = store
        self.name = f"report-{digest(key_parts, full_python_version=True)}.json"
        self._stored: dict[str, Any] | None = None

    def load(self, fingerprint: str, newest_change_ns: int, modules: int) -> Report | None:
        """The report if no file's stamp changed since it was written (``fingerprint``)."""
        body = self.store.read(self.name, "report", size_limit(modules))
        stored = decode_json(body) if body is not None else None
        del body  # not held while the report is built: 23 MB for 31,000 violations
        if (
            type(stored) is not dict
            or set(stored) != {"fingerprint", "content", "written_ns", "report", "hops"}
            or type(stored["written_ns"]) is not int
            or type(stored["content"]) not in (str, type(None))
        ):
            return None
        self._stored = stored
        if stored["fingerprint"] != fingerprint:
            return None
        # A file changed within a timestamp tick of the report being written may have
        # changed again unseen: recompute.
        if newest_change_ns >= stored["written_ns"] - RACY_NS:
            return None
        return self._decode(stored)

    def may_match_by_content(self) -> bool:
        """Whether ``load`` read a report that ``load_by_content`` might return."""
        return self._stored is not None and self._stored["content"] is not None

    def load_by_content(self, content: str | None) -> Report | None:
        """The report read by ``load`` if every file's bytes are those it was made from
        (``content``: their hashes' fingerprint; None when the report depends on more)."""
        stored = self._stored
        if content is None or stored is None or stored["content"] != content:
            return None
        return self._decode(stored)

    def store_report(self, fingerprint: str, content: str | None, report: Report) -> str | None:
        return self.store.write(self.name, "report", encode_report(fingerprint, content, report))

    @staticmethod
    def _decode(stored: dict[str, Any]) -> Report | None:
        try:
            with no_collection():
                _HOPS[:] = map(_hop_fields, _list(stored["hops"]))
                report = _decoder(Report)(stored["report"])
        except Invalid:
            return None
        finally:
            _HOPS.clear()
        return typing.cast(Report, report)


def encode_report(fingerprint: str, content: str | None, report: Report) -> bytes:
    """The report as JSON, each distinct hop once in ``hops`` and named by its index where a
    chain has it: 31,000 violations' chains hold about 90,000 hops, a few thousand distinct."""
    hops: dict[Hop, int] = {}
    table: list[tuple[Any, ...]] = []

    def fields(value: object) -> object:
        if type(value) is not Hop:
            return _fields(value)
        index = hops.get(value)
        if index is None:
            index = hops[value] = len(table)
            table.append(_fields(value))
        return index

    # ``hops`` comes after ``report``: the encoder, which walks the dictionary in order, has
    # filled the table by the time it reaches it.
    data = {
        "fingerprint": fingerprint,
        "content": content,
        "written_ns": time.time_ns(),
        "report": report,
        "hops": table,
    }
    # The C encoder walks the lists and tuples itself and asks ``fields`` only for the
    # dataclasses: building the nested lists in Python first took 0.9 s for 31,000 violations.
    return json.dumps(data, separators=(",", ":"), default=fields).encode()


# --- the report as JSON: each dataclass a list of its fields, in order ---------------------


def _fields(value: object) -> tuple[Any, ...]:
    """A dataclass's fields, in order (the JSON encoder then encodes them)."""
    getter = _GETTERS.get(type(value))
    if getter is None:
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            raise TypeError(f"not JSON serialisable: {type(value).__name__}")
        getter = _GETTERS[type(value)] = _getter(_field_names(type(value)))
    return getter(value)


_GETTERS: dict[type, Callable[[object], tuple[Any, ...]]] = {}


def _getter(names: tuple[str, ...]) -> Callable[[object], tuple[Any, ...]]:
    if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
        return lambda value: (getattr(value, names[0]),)
    if not names:
        return lambda value: ()
    return operator.attrgetter(*names)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


# The hops of the report being decoded (its ``hops`` table), each one object however many
# chains have it, as the engine made them.
_HOPS: list[Hop] = []


def _hop_at(index: object) -> Hop:
    if type(index) is not int or not 0 <= index < len(_HOPS):
        raise Invalid("not an index into the hops")
    return _HOPS[index]


def _hop_fields(value: object) -> Hop:
    return typing.cast(Hop, _dataclass_decoder(Hop)(value))


@functools.cache
def _decoder(annotation: Any) -> Callable[[object], Any]:
    """A function that checks a decoded JSON value against ``annotation`` (the report's own
    field types) and builds it; raises Invalid."""
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
        return _hop_at if annotation is Hop else _dataclass_decoder(annotation)
    raise TypeError(f"no cache decoder for {annotation!r}")  # pragma: no cover - a new field type


@functools.cache
def _dataclass_decoder(cls: type) -> Callable[[object], Any]:
    """A dataclass from the list of its fields."""
    hints = typing.get_type_hints(cls)
    fields = [_decoder(hints[name]) for name in _field_names(cls)]
    return lambda value: cls(*[d(v) for d, v in zip(fields, _list(value, len(fields)))])


def _scalar(kind: type) -> Callable[[object], Any]:
    def check(value: object) -> object:
        if type(value) is not kind or (kind is int and not -INT64 <= value < INT64):  # type: ignore[operator]
            raise Invalid(f"expected {kind.__name__}")
        return value

    return check


def _list(value: object, length: int | None = None) -> list[Any]:
    if type(value) is not list or (length is not None and len(value) != length):
        raise Invalid("expected a list" if length is None else f"expected a list of {length}")
    return value


def _first_that_fits(choices: list[Callable[[object], Any]], value: object) -> Any:
    for choice in choices:
        try:
            return choice(value)
        except Invalid:
            continue
    raise Invalid("no type fits")
