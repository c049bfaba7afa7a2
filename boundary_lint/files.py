"""Writing files without following links planted in a checkout: the one place every writer uses.

A checked repository is data its author controls, symbolic links included: a link committed as
``report.json -> ~/.bashrc`` must not make ``--output report.json`` overwrite the link's target.
So a file is never opened for writing by name. The new content goes into a temporary file that
this process creates (``O_EXCL``: never an existing file, never through a link) in the same
directory, which is then renamed over the name: a rename replaces a link itself, never its
target, and readers see the old file or the new one, never half of one.

Only a name that is already a stream (``/dev/stdout``, a pipe, a terminal) is written in place:
there is nothing to replace there, and shells hand such names to ``--output`` on purpose.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

# Opening a file this process creates: never an existing one, never through a link. (Flags a
# platform lacks are 0: O_EXCL alone already refuses to open through a link.)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_TEMPORARY_PREFIX = ".tmp-boundary-lint-"


class WriteError(OSError):
    """A file could not be written; the message names it and says why."""


# What a writer takes: bytes, or text (a report may come in pieces) written as UTF-8.
Content = bytes | str | Sequence[str]

# Text is encoded this many characters at a time: encoding a 44 MB report at once would hold
# its text twice.
_CHUNK = 1 << 20


def _write_all(handle: BinaryIO, content: Content) -> None:
    if isinstance(content, bytes):
        handle.write(content)
        return
    batch: list[str] = []  # small pieces, written together
    size = 0
    for piece in [content] if isinstance(content, str) else content:
        batch.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            text = "".join(batch)
            for start in range(0, len(text), _CHUNK):
                handle.write(text[start : start + _CHUNK].encode("utf-8"))
            batch, size = [], 0
    handle.write("".join(batch).encode("utf-8"))


def write_file(path: Path, content: Content) -> None:
    """Replace ``path`` with a regular file holding ``content`` (text is written as UTF-8, pieces
    one after the other).

    A symbolic link at ``path`` is replaced by the file, its target left alone; an existing
    regular file keeps its permission bits. Raises WriteError."""
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror}") from None
    if existing is not None and _is_stream(path, existing):
        _write_stream(path, content)
        return
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise WriteError(f"{path}: cannot write: it is a directory")
    mode = (
        stat.S_IMODE(existing.st_mode)
        if existing is not None and stat.S_ISREG(existing.st_mode)
        else _default_mode()
    )
    try:
        replace_file(path, content, mode)
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror or error}") from None


def replace_file(path: Path, content: Content, mode: int) -> None:
    """Atomically make ``path`` a regular file holding ``content`` with permissions ``mode``
    (see ``replace_in_directory``). Raises OSError."""
    descriptor = os.open(
        path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        replace_in_directory(descriptor, path.name, content, mode)
    finally:
        os.close(descriptor)


def replace_in_directory(directory: int, name: str, content: Content, mode: int = 0o600) -> None:
    """Atomically make ``name`` in the open directory ``directory`` a regular file holding
    ``content``: written to a temporary file created there, then renamed over ``name`` (which
    replaces a link at ``name``, never its target). Raises OSError."""
    temporary = _create_temporary(directory, mode)
    try:
        descriptor, temporary_name = temporary
        with os.fdopen(descriptor, "wb") as handle:
            _write_all(handle, content)
        os.replace(temporary_name, name, src_dir_fd=directory, dst_dir_fd=directory)
    except BaseException:
        try:
            os.unlink(temporary[1], dir_fd=directory)
        except OSError:
            pass
        raise


def create_new(directory: int, name: str, content: bytes, mode: int = 0o644) -> bool:
    """Create ``name`` in ``directory`` with ``content`` unless something (a link included)
    already has that name: then leave it alone and return False. Raises OSError."""
    try:
        descriptor = os.open(name, _CREATE, mode, dir_fd=directory)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    return True


def _create_temporary(directory: int, mode: int) -> tuple[int, str]:
    for _ in range(100):
        name = _TEMPORARY_PREFIX + os.urandom(8).hex()  # not secrets.token_hex: its import costs 1.5 ms
        try:
            descriptor = os.open(name, _CREATE, 0o600, dir_fd=directory)
        except FileExistsError:
            continue
        os.fchmod(descriptor, mode)  # not through os.open's mode, which the umask would narrow
        return descriptor, name
    raise FileExistsError("no free temporary file name")


def _default_mode() -> int:
    """What ``open(name, "w")`` would give a new file: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _is_stream(path: Path, existing: os.stat_result) -> bool:
    """A name to write in place: a pipe, a terminal or a device named directly, or anything
    under /dev and /proc, where the system's own links live (``/dev/stdout``, ``/dev/fd/63``
    from a shell's process substitution) and a checkout cannot plant any. A link elsewhere (in
    a checkout) is replaced, never followed."""
    if stat.S_ISFIFO(existing.st_mode) or stat.S_ISCHR(existing.st_mode) or stat.S_ISSOCK(existing.st_mode):
        return True
    return Path(os.path.abspath(path)).parts[1:2] in (("dev",), ("proc",))


def _write_stream(path: Path, content: Content) -> None:
    try:
        with open(path, "wb") as handle:  # nothing to create or replace: the stream exists
            _write_all(handle, content)
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror}") from None
