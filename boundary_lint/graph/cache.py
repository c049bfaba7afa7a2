"""An on-disk cache of each module's direct imports, keyed by the file's modification time.

One file per set of graph options. Written atomically (temporary file, then rename), so a
reader sees either the old or the new cache, never a half-written one; anything unreadable
(corrupt, truncated, from another version) is treated as empty.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import marshal
import os
import pickle
import re
import stat
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from boundary_lint import __version__

# A file's stamp: (mtime_ns, ctime_ns, size, inode), as git compares its index with the disk.
# The ctime changes whenever the file does, even if a tool sets the mtime back (cp -p, tar).
Stamp = tuple[int, int, int, int]
ImportRecord = tuple[str, int, str, bool]  # imported, line number, line text, is_lazy
# module name -> (stamp, imports)
CacheData = dict[str, tuple[Stamp, tuple[ImportRecord, ...]]]

# An entry stamped this close to the cache's writing may have changed again within the same
# timestamp tick (coarse file systems): it is scanned again rather than trusted.
RACY_NS = 2_000_000_000

_FORMAT = 2


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
            found = re.search(r"^__version__ = [\"']([^\"']+)", Path(spec.origin).read_text("utf-8"), re.MULTILINE)
        except OSError:
            found = None
        if found:
            return found.group(1)
    from importlib import metadata  # slow to import; only if grimp's __init__ stops naming its version

    return metadata.version("grimp")


def cache_file(cache_dir: Path, key_parts: tuple[str, ...]) -> Path:
    """The cache file for one set of inputs; the tool's and grimp's versions are part of the key."""
    versions = (str(_FORMAT), __version__, grimp_version(), sys.version.split()[0])
    digest = hashlib.blake2b("\0".join(versions + key_parts).encode(), digest_size=16)
    return cache_dir / f"imports-{digest.hexdigest()}.marshal"


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


def read_cache(path: Path) -> CacheContents:
    try:
        data = marshal.loads(path.read_bytes())
        contents = CacheContents(frozenset(data["modules"]), data["imports"], int(data["written_ns"]))
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return CacheContents()
    well_formed = all(isinstance(m, str) for m in contents.modules) and _well_formed(contents.imports)
    return contents if well_formed else CacheContents()


def _well_formed(imports: object) -> bool:
    """Whether ``imports`` has CacheData's shape: a file that unmarshals but holds something
    else (another format under the same name, damage that still parses) is no cache at all."""
    if not isinstance(imports, dict):
        return False
    for module, entry in imports.items():
        if not (isinstance(module, str) and isinstance(entry, tuple) and len(entry) == 2):
            return False
        stamp, records = entry
        if not (isinstance(stamp, tuple) and len(stamp) == 4 and all(type(n) is int for n in stamp)):
            return False
        if not isinstance(records, tuple):
            return False
        for record in records:
            if not (
                isinstance(record, tuple)
                and len(record) == 4
                and isinstance(record[0], str)
                and type(record[1]) is int
                and isinstance(record[2], str)
                and type(record[3]) is bool
            ):
                return False
    return True


def write_cache(path: Path, modules: frozenset[str], imports: CacheData) -> str | None:
    """Write the cache; return why it could not be written, or None."""
    data = {"modules": tuple(sorted(modules)), "imports": imports, "written_ns": time.time_ns()}
    return _write_atomically(path, marshal.dumps(data))


def _write_atomically(path: Path, content: bytes) -> str | None:
    """Write to a temporary file, then rename it over ``path``: readers see the old or the new
    file, never half of one. Returns why it could not be written, or None."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _mark_cache_dir(path.parent)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(content)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        return f"cache not written to {path.parent}: {error.strerror or error}"
    return None


def _mark_cache_dir(directory: Path) -> None:
    gitignore = directory / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("# Created by boundary-lint.\n*\n")


class ReportCache:
    """The last report, kept with the fingerprint of the files it was made from: when nothing
    changed, a run costs little more than finding and statting the files. The key covers the
    configuration's text, the options and every version involved; the fingerprint, every
    module file's stamp."""

    def __init__(self, cache_dir: Path, key_parts: tuple[str, ...]) -> None:
        versions = (str(_FORMAT), __version__, grimp_version(), sys.version)
        digest = hashlib.blake2b("\0".join(versions + key_parts).encode(), digest_size=16)
        self.path = cache_dir / f"report-{digest.hexdigest()}.pickle"

    def load(self, fingerprint: str, newest_change_ns: int) -> Any | None:
        try:
            with open(self.path, "rb") as handle:
                stored = _ReportUnpickler(handle).load()
            if stored["fingerprint"] != fingerprint:
                return None
            # A file changed within a timestamp tick of the report being written may have
            # changed again unseen: recompute.
            if newest_change_ns >= stored["written_ns"] - RACY_NS:
                return None
            return stored["report"]
        except Exception:  # noqa: BLE001 - any unreadable cache (corrupt, truncated, older) is a miss
            return None

    def store(self, fingerprint: str, report: Any) -> str | None:
        data = {"fingerprint": fingerprint, "written_ns": time.time_ns(), "report": report}
        return _write_atomically(self.path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


class _ReportUnpickler(pickle.Unpickler):
    """Unpickles reports and nothing else. The cache file lies in the checked project's tree,
    where a change under review could plant one; a plain ``pickle.load`` of it would run any
    code the pickle names. Only the classes of ``boundary_lint.report`` may be named (a report
    holding any other class is simply a cache miss)."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "boundary_lint.report":
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a report")
