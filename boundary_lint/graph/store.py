"""Where caches live, and which cache files may be believed.

A cache directory usually lies inside the checked repository (``.boundary_lint_cache`` next to
the configuration), and a change under review can commit files there, or a symbolic link in
its place. So a cache file is data that cannot be trusted by where it is:

- every file this tool writes carries a MAC (keyed BLAKE2b) over its kind, name and content,
  keyed by a secret of this user on this machine, kept outside any repository
  (``$XDG_CACHE_HOME/boundary-lint/key``, mode 0600). A file whose MAC does not verify was not
  written here: it is ignored, and rebuilt. A repository cannot supply a cache that is read.
- a directory the user names explicitly (``check --cache-dir DIR`` or the environment variable
  ``BOUNDARY_LINT_CACHE_DIR``: not the configuration, which the repository supplies) is also
  read without a MAC (a CI cache restored on a fresh machine, whose key is new), unless it lies
  inside the checkout, where a change under review could have committed it.
- whatever is read is size-bounded and parsed as strictly validated data, never as code, so a
  damaged or hostile file costs a rebuild and nothing more.

Writes go through ``boundary_lint.files``: new files created in the directory, renamed into
place, never through a link; a cache directory that is a symbolic link is neither read nor
written.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import hmac
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from boundary_lint.files import create_new, replace_in_directory

FORMAT = 4
KEY_SIZE = 32
ENVIRONMENT_DIRECTORY = "BOUNDARY_LINT_CACHE_DIR"
GITIGNORE = b"# Created by boundary-lint.\n*\n"
_HEADER_LIMIT = 256  # the first line: magic, format, kind, MAC
_MAGIC = b"boundary-lint-cache"
_NOFOLLOW, _CLOEXEC = getattr(os, "O_NOFOLLOW", 0), getattr(os, "O_CLOEXEC", 0)
_OPEN_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC
# O_NONBLOCK: a FIFO under a cache file's name must not block the reader (it is then rejected).
_OPEN_FILE = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC


def size_limit(modules: int) -> int:
    """The largest cache file read for a project of ``modules`` modules (each file is checked
    before it is read): generous for real data (about 0.5 KB a module at 50,000 modules), and
    what keeps a planted or damaged file from exhausting memory."""
    return 32 * 2**20 + 4096 * modules


@dataclass(frozen=True)
class CacheStore:
    """One cache directory. ``unsigned_ok``: files without a valid MAC are read too (a
    directory the user named explicitly, outside the checkout)."""

    directory: Path
    unsigned_ok: bool = False

    def read(self, name: str, kind: str, limit: int) -> bytes | None:
        """The content of cache file ``name`` if it is one this store may believe, else None."""
        key = user_key()
        if key is None and not self.unsigned_ok:
            return None
        data = self._read_file(name, limit + _HEADER_LIMIT)
        if data is None:
            return None
        header, newline, body = data.partition(b"\n")
        fields = header.split(b" ")
        if not newline or len(header) > _HEADER_LIMIT or len(fields) != 4:
            return None
        magic, version, stored_kind, mac = fields
        if (
            magic != _MAGIC
            or version != str(FORMAT).encode()
            or stored_kind != kind.encode()
            or len(body) > limit
        ):
            return None
        if key is not None and hmac.compare_digest(mac, _mac(key, kind, name, body)):
            return body
        return body if self.unsigned_ok else None

    def write(self, name: str, kind: str, body: bytes) -> str | None:
        """Write cache file ``name``; return why it could not be written, or None."""
        key = user_key()
        mac = _mac(key, kind, name, body) if key is not None else b"-"
        if key is None and not self.unsigned_ok:
            return f"cache not written to {self.directory}: {key_problem()}"
        header = b" ".join((_MAGIC, str(FORMAT).encode(), kind.encode(), mac)) + b"\n"
        try:
            directory = self._open_for_writing()
            try:
                replace_in_directory(directory, name, header + body)
            finally:
                os.close(directory)
        except OSError as error:
            return f"cache not written to {self.directory}: {_reason(error)}"
        return None

    def _read_file(self, name: str, limit: int) -> bytes | None:
        try:
            directory = os.open(self.directory, _OPEN_DIRECTORY)
        except OSError:
            return None
        try:
            descriptor = os.open(name, _OPEN_FILE, dir_fd=directory)
        except OSError:
            return None
        finally:
            os.close(directory)
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
                return None
            with os.fdopen(descriptor, "rb", closefd=False) as handle:
                data = handle.read(limit + 1)
            return data if len(data) <= limit else None
        except OSError:
            return None
        finally:
            os.close(descriptor)

    def _open_for_writing(self) -> int:
        """The directory, opened without following a link at its own name; created (with a
        ``.gitignore``) if missing. Raises OSError."""
        created = False
        try:
            self.directory.mkdir(parents=True)
            created = True
        except FileExistsError:
            pass
        directory = os.open(self.directory, _OPEN_DIRECTORY)
        if created:  # only a directory made here: never a file in a directory chosen by others
            try:
                create_new(directory, ".gitignore", GITIGNORE)
            except OSError:
                os.close(directory)
                raise
        return directory


def _reason(error: OSError) -> str:
    if error.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(error.filename or ""):
        return "it is a symbolic link (not followed)"
    return error.strerror or str(error)


def _mac(key: bytes, kind: str, name: str, body: bytes) -> bytes:
    digest = hashlib.blake2b(key=key, digest_size=32, person=b"boundary-lint")
    digest.update(f"{FORMAT}\0{kind}\0{name}\0".encode())
    digest.update(body)
    return digest.hexdigest().encode()


def key_path() -> Path:
    """``$XDG_CACHE_HOME/boundary-lint/key`` (``~/.cache`` when unset or not absolute, as the
    XDG specification says)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "boundary-lint" / "key"


@functools.lru_cache(maxsize=1)
def _load_key() -> tuple[bytes | None, str]:
    try:
        path = key_path()
        return _read_key(path) or _create_key(path), ""
    except (OSError, RuntimeError, ValueError) as error:
        message = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        where = f"{error.filename}: " if isinstance(error, OSError) and error.filename else ""
        return None, f"no key to authenticate caches ({where}{message})"


def user_key() -> bytes | None:
    """This user's secret for authenticating caches, created on first use; None if it cannot
    be had (then only explicitly named cache directories are used)."""
    return _load_key()[0]


def key_problem() -> str:
    return _load_key()[1]


def _read_key(path: Path) -> bytes | None:
    try:
        descriptor = os.open(path, _OPEN_FILE)
    except FileNotFoundError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_uid != os.geteuid() or status.st_mode & 0o077:
            raise ValueError(f"{path}: not a private regular file of this user (expected mode 0600)")
        key = os.read(descriptor, KEY_SIZE + 1)
    finally:
        os.close(descriptor)
    if len(key) != KEY_SIZE:
        raise ValueError(f"{path}: not a key ({len(key)} bytes, expected {KEY_SIZE})")
    return key


def _create_key(path: Path) -> bytes:
    """A new random key, published atomically: written to a private temporary file, then
    linked to its name (which fails if a concurrent run got there first: its key is used)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory = os.open(path.parent, _OPEN_DIRECTORY)
    try:
        temporary = f".key-{os.getpid()}-{os.urandom(4).hex()}"
        create_new(directory, temporary, os.urandom(KEY_SIZE), mode=0o600)
        try:
            os.link(temporary, path.name, src_dir_fd=directory, dst_dir_fd=directory, follow_symlinks=False)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary, dir_fd=directory)
    finally:
        os.close(directory)
    key = _read_key(path)
    if key is None:
        raise RuntimeError("the key vanished while it was created")
    return key


def checkout_of(root: Path) -> Path:
    """The work tree that holds the project: the nearest directory at or above ``root`` with a
    ``.git`` (a directory, or a file in a linked work tree), else ``root`` itself."""
    for directory in (root, *root.parents):
        if os.path.lexists(directory / ".git"):
            return directory
    return root


def explicit_store(directory: Path, project_root: Path) -> CacheStore:
    """A directory the user named: read without a MAC unless it lies inside the checkout."""
    real = Path(os.path.realpath(directory))
    checkout = Path(os.path.realpath(checkout_of(project_root)))
    return CacheStore(directory, unsigned_ok=not real.is_relative_to(checkout))
