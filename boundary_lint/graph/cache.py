"""An on-disk cache of each module's direct imports, keyed by the file's modification time.

One file per set of graph options. Written atomically (temporary file, then rename), so a
reader sees either the old or the new cache, never a half-written one; anything unreadable
(corrupt, truncated, from another version) is treated as empty.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path

import grimp

from boundary_lint import __version__

# module name -> (mtime, ((imported, line_number, line_contents, is_lazy), ...))
ImportRecord = tuple[str, int, str, bool]
CacheData = dict[str, tuple[float, tuple[ImportRecord, ...]]]

_FORMAT = 1


def cache_file(cache_dir: Path, key_parts: tuple[str, ...]) -> Path:
    """The cache file for one set of inputs; the tool's and grimp's versions are part of the key."""
    versions = (str(_FORMAT), __version__, grimp.__version__, sys.version.split()[0])
    digest = hashlib.blake2b("\0".join(versions + key_parts).encode(), digest_size=16)
    return cache_dir / f"imports-{digest.hexdigest()}.marshal"


def read_cache(path: Path) -> tuple[frozenset[str], CacheData]:
    """The modules that existed when the cache was written, and their imports."""
    try:
        data = marshal.loads(path.read_bytes())
        modules, imports = frozenset(data["modules"]), data["imports"]
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return frozenset(), {}
    return (modules, imports) if isinstance(imports, dict) else (frozenset(), {})


def write_cache(path: Path, modules: frozenset[str], imports: CacheData) -> str | None:
    """Write the cache; return why it could not be written, or None."""
    data = {"modules": tuple(sorted(modules)), "imports": imports}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _mark_cache_dir(path.parent)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".marshal")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                marshal.dump(data, handle)
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
