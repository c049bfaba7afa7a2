"""Keep grimp's parser from taking the whole process down on a hostile file.

grimp parses with ruff's parser. A long chain of operators, attribute accesses, subscripts or
calls (``a.a.a...``, ``1+1+...``) nests the syntax tree as deep as the chain is long, and walking
that tree overflows the stack of the thread doing it: the process dies of SIGSEGV without a word.
Measured: with a warm cache, one new 600 KB file of ``.a`` (300,000 levels) kills ``boundary-lint
check`` (a single file is parsed on the calling thread, with the main thread's 8 MiB stack); on
grimp's pool of threads (Rust's default 2 MiB stacks), 50,000 levels do. Python itself cannot
compile such a file (it stops at a few thousand levels), so it is never code that runs; but one
pushed into a repository must not crash the checker. Two guards:

- grimp is called on a thread of ours with a 64 MiB stack, and its pool's threads get stacks of
  at least 64 MiB (``RUST_MIN_STACK``, read when the pool starts). A level costs at least two
  bytes of source, so a file under 1 MiB has fewer than 525,000 levels; measured with 64 MiB
  stacks: 1,000,000 pass, 1,500,000 crash.
- A file of 1 MiB or more is parsed by grimp in a child process first; if the child crashes, the
  file is reported (BND903) and never handed to grimp in this process. Such files are rare
  (generated code, Nova's 1.5 MB libvirt driver test), and the child costs a fifth of a second
  or more each: it parses while this process scans the other files, and the file is scanned
  here after it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Collection
from typing import TypeVar

from boundary_lint.graph.grimp_private import FoundPackage

THREAD_STACK = 64 * 1024 * 1024
PROBED_SIZE = 1024 * 1024  # bytes; smaller files cannot nest deeply enough to crash
PROBE_TIMEOUT = 300  # seconds: far more than grimp needs for the largest files measured (12 MB: 4 s)

T = TypeVar("T")


def ensure_thread_stack() -> None:
    """Raise RUST_MIN_STACK to THREAD_STACK unless it is already at least that; effective only
    before grimp first scans in this process (its thread pool reads it once)."""
    try:
        current = int(os.environ.get("RUST_MIN_STACK", "0"))
    except ValueError:
        current = 0
    if current < THREAD_STACK:
        os.environ["RUST_MIN_STACK"] = str(THREAD_STACK)


def on_large_stack(function: Callable[[], T]) -> T:
    """``function()``, run on a thread with a THREAD_STACK stack (grimp parses a single file on
    the calling thread); its exception, if any, raised here."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(function())
        except BaseException as error:  # noqa: BLE001 - handed to the caller, whatever it is
            failure.append(error)

    previous = threading.stack_size(THREAD_STACK)
    try:
        thread = threading.Thread(target=target, name="boundary-lint-parser", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


# Runs in the child: scan one module with grimp as the parent would, on a stack of the same
# size. A Python exception (a syntax error, say) is the parent's business; only a crash counts.
_CHILD = r"""
import sys
from boundary_lint.graph.grimp_private import FileSystem, FoundPackage, Module, ModuleFile, rust
from boundary_lint.graph.parser_guard import on_large_stack

package, directory, module = sys.argv[1:4]
module_file = ModuleFile(module=Module(module), mtime=0.0)
found = FoundPackage(name=package, directory=directory, module_files=frozenset({module_file}),
                     namespace_packages=frozenset())
try:
    on_large_stack(lambda: rust.scan_for_imports(
        module_files=(module_file,), found_packages={found}, include_external_packages=False,
        exclude_type_checking_imports=False, file_system=FileSystem().convert_to_basic()))
except BaseException:
    pass
"""


def probe_parser(module: str, found: Collection[FoundPackage]) -> Callable[[], str | None]:
    """Start grimp's parser on ``module``'s file in a child process; the function returned
    waits for it and says why grimp cannot parse the file without crashing, or None if it can.
    Started before the other files are scanned, the child parses while this process does."""
    package = next((p for p in found if module == p.name or module.startswith(p.name + ".")), None)
    if package is None:
        return lambda: None
    ensure_thread_stack()  # the child's threads get the stacks this process's threads have
    try:
        child = subprocess.Popen(
            # -P: the working directory (the checked repository) is not on sys.path, so nothing
            # in it can pass for grimp or boundary_lint in the child.
            [sys.executable, "-P", "-c", _CHILD, package.name, package.directory, module],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError as error:
        failed = f"cannot analyse: could not start a process to parse it safely ({error.strerror})"
        return lambda: failed
    deadline = time.monotonic() + PROBE_TIMEOUT

    def verdict() -> str | None:
        try:
            code = child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            return f"cannot analyse: grimp's parser did not finish within {PROBE_TIMEOUT} s"
        if code < 0:
            return (
                "cannot analyse: grimp's parser crashes on it (typically an expression nested "
                "deeper than Python itself can compile)"
            )
        return None

    return verdict
