"""Each module file's content hash (BLAKE2b of its bytes), kept in a cache file by its stamp.

A fresh clone gives every file a new stamp (mtime, ctime, inode) though few bytes changed: the
import cache and the report cache are keyed by these hashes, so that what was parsed from the
same bytes is reused. Hashing needs a read of each file whose stamp changed; this file keeps the
hash of every other one, so a run after one edit reads one file. Its entries follow the import
cache's rules: a stamp written within the racy window is hashed again.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
from collections.abc import Iterable, Mapping

from boundary_lint.collector import no_collection
from boundary_lint.graph.cache import (
    RACY_NS,
    Invalid,
    Stamp,
    decode_json,
    digest,
    ints,
    strs,
    worth_rewriting,
)
from boundary_lint.graph.discovery import ProjectFiles
from boundary_lint.graph.source import read_module_file
from boundary_lint.graph.store import CacheStore, size_limit

Digest = str
_DIGEST_SIZE = 16


def hash_bytes(data: bytes) -> Digest:
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).hexdigest()


def _hash_file(filename: str) -> Digest | None:
    try:
        return hash_bytes(read_module_file(filename))
    except OSError:
        return None


def hash_files(filenames: list[str]) -> list[Digest | None]:
    """Each file's content hash, None where it cannot be read (it is then scanned, and its
    problem reported, as without a cache). In one thread: modules are small, so each costs
    a few system calls and little hashing, and threads handing the GIL to each other at
    every call made it three times slower (1.5 s against 0.5 s for 50,000 files)."""
    return [_hash_file(name) for name in filenames]


def hash_cache_name(directories: Iterable[str]) -> str:
    return f"hashes-{digest(tuple(sorted(directories)))}.json"


class ContentHashes:
    """Every module's content hash (None: unreadable), and why the hash cache could not be
    written (or None). Hashes whose file's stamp is the one cached (and not racy) are reused;
    the others are computed in a thread from construction until ``result`` is first called.
    A run with nothing cached parses meanwhile: reading a file and hashing its bytes release
    the GIL, as grimp's scanner does (20-40 ms of a cold run at 8,000-10,000 modules, where
    grimp leaves a core idle: benchmarks/README.md). The cache files are read and written
    only in the caller's thread."""

    def __init__(
        self,
        filenames: Mapping[str, str],
        stamps: Mapping[str, Stamp | None],
        store: CacheStore,
        name: str,
    ) -> None:
        self._filenames, self._stamps, self._store, self._name = filenames, stamps, store, name
        self._cached, written_ns = _read(store, name, len(filenames))
        self._hashes: dict[str, Digest | None] = {}
        self._to_hash: list[str] = []
        limit = written_ns - RACY_NS
        for module, filename in filenames.items():
            stamp = stamps[module]
            entry = self._cached.get(filename)
            if (
                stamp is not None
                and entry is not None
                and entry[0] == stamp
                and max(stamp[0], stamp[1]) < limit
            ):
                self._hashes[module] = entry[1]
            else:
                self._to_hash.append(module)
        self._done: tuple[dict[str, Digest | None], str | None] | None = None
        self._computed: list[Digest | None] = []
        self._failed: BaseException | None = None
        self._thread: threading.Thread | None = None
        if self._to_hash:
            self._thread = threading.Thread(target=self._compute, name="boundary-lint hashes", daemon=True)
            self._thread.start()

    def _compute(self) -> None:
        try:
            self._computed = hash_files([self._filenames[m] for m in self._to_hash])
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            self._failed = error

    def result(self) -> tuple[dict[str, Digest | None], str | None]:
        if self._done is None:
            if self._thread is not None:
                self._thread.join()
                if self._failed is not None:
                    raise self._failed
            self._hashes.update(zip(self._to_hash, self._computed))
            self._done = self._hashes, self._write_cache_file()
        return self._done

    def _write_cache_file(self) -> str | None:
        """Why the hash cache could not be written, or None (also when it is left as it is)."""
        hashes, stamps, filenames = self._hashes, self._stamps, self._filenames
        # Every file already has an entry (the same files: as many, and each one found): a few
        # out of date are hashed again next run rather than the whole file rewritten now.
        same_files = len(self._cached) == len(filenames) and all(
            filenames[m] in self._cached for m in self._to_hash
        )
        if same_files and not worth_rewriting(len(self._to_hash), len(filenames)):
            return None
        kept = {
            filenames[m]: (stamp, found)
            for m, found in hashes.items()
            if found is not None and (stamp := stamps[m]) is not None
        }
        return self._store.write(self._name, "hashes", _encode(kept))


def _encode(entries: dict[str, tuple[Stamp, Digest]]) -> bytes:
    data = {
        "written_ns": time.time_ns(),
        "files": list(entries),
        "stamps": list(itertools.chain.from_iterable(stamp for stamp, _ in entries.values())),
        "hashes": [found for _, found in entries.values()],
    }
    return json.dumps(data, separators=(",", ":")).encode()


def _read(store: CacheStore, name: str, modules: int) -> tuple[dict[str, tuple[Stamp, Digest]], int]:
    """The cached hashes by file name, and when they were written; empty if missing or invalid."""
    body = store.read(name, "hashes", size_limit(modules))
    if body is None:
        return {}, 0
    with no_collection():
        data = decode_json(body)
        try:
            return _entries(data)
        except Invalid:
            return {}, 0


def _entries(data: object) -> tuple[dict[str, tuple[Stamp, Digest]], int]:
    if type(data) is not dict:
        raise Invalid("not an object")
    try:
        files, found = strs(data["files"]), strs(data["hashes"])
        stamps = ints(data["stamps"])
        (written_ns,) = ints([data["written_ns"]], 0)
    except KeyError:
        raise Invalid("a column is missing") from None
    if len(stamps) != 4 * len(files) or len(found) != len(files) or len(set(files)) != len(files):
        raise Invalid("columns of different lengths")
    if any(len(h) != 2 * _DIGEST_SIZE for h in found):
        raise Invalid("not a hash")
    values = iter(stamps)
    return dict(zip(files, zip(zip(values, values, values, values), found))), written_ns


def project_hashes(files: ProjectFiles, store: CacheStore) -> ContentHashes:
    """``ContentHashes`` of the project's module files, with the hash cache of its packages."""
    name = hash_cache_name(f"{tree.name}={tree.directory}" for tree in files.found)
    return ContentHashes(files.filenames, files.stamps, store, name)


def content_fingerprint(files: ProjectFiles, hashes: Mapping[str, Digest | None]) -> str:
    """Changes whenever a module is added, removed, renamed or its file's bytes change (as
    ``ProjectFiles.fingerprint`` does with stamps)."""
    return files.digest_with(lambda modules: "\0".join([hashes.get(m) or "-" for m in modules]).encode())
