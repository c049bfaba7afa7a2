"""Build the project's import graph from its source roots, never importing the project.

grimp finds and parses the modules; we add what a linter needs around its graph: which file
each module is, files that could not be analysed (reported, not fatal), and our import cache.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import itertools
import operator
import os
import re
import stat
import sys
import tokenize
import unicodedata
from collections.abc import Collection, Container, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import grimp

from boundary_lint.codes import IMPORT_ABOVE_TOP, SYNTAX_ERROR, UNANALYSABLE_FILE
from boundary_lint.collector import no_collection
from boundary_lint.escaping import printable
from boundary_lint.graph import adjacency
from boundary_lint.graph.cache import (
    CacheContents,
    CacheData,
    ImportRecord,
    cache_name,
    read_cache,
    worth_rewriting,
    write_cache,
)
from boundary_lint.graph.discovery import (
    FileProblem,
    PackageTree,
    ProjectFiles,
    discover_project,
)
from boundary_lint.graph.grimp_private import FileSystem, FoundPackage, Module, ModuleFile, rust
from boundary_lint.graph.hashes import ContentHashes, Digest, project_hashes
from boundary_lint.graph.packages import SearchPath
from boundary_lint.graph.parser_guard import PROBED_SIZE, ensure_thread_stack, on_large_stack, probe_parser
from boundary_lint.graph.scanner import ScanContext, decode_source, scan_source
from boundary_lint.graph.source import decoding_problem, read_module_file
from boundary_lint.graph.store import CacheStore
from boundary_lint.progress import Progress, no_progress

ensure_thread_stack()  # before grimp's threads start: see parser_guard

# Files are handed to grimp's parallel parser in at most SCAN_STEPS calls (each call hands it
# every module of the project again) of at least SCAN_CHUNK files (to keep its threads busy).
# Chunks bound the memory of its results (50,000 modules in one call: 490 MB, in ten: 280 MB)
# and let the progress shown on a terminal move.
SCAN_CHUNK = 2000
PROBES_AT_ONCE = 2  # child processes parsing large files beside the scan (parser_guard)
SCAN_STEPS = 10
# grimp's scanner is handed every module of the project on each call (~1.5 µs each: 72 ms at
# 50,000 modules, whatever it then parses); Python's parser reads ~9 MB of source a second. Texts
# of fewer characters than this many per module of the project are read by Python's first.
PYTHON_CHARS_PER_MODULE = 12


_GENERATIONS = itertools.count()


@dataclass(frozen=True)
class Derivation:
    """How a graph was made from another by ``with_sources``: the other's generation, and the
    modules whose imports changed (the set of modules did not). A check keeps what those
    changes cannot affect (``rules.reuse``)."""

    parent: int
    changed: frozenset[str]


@dataclass
class ProjectGraph:
    graph: grimp.ImportGraph
    module_files: Mapping[str, Path]
    found_packages: set[FoundPackage] = field(default_factory=set)
    options: tuple[bool, bool] = (False, False)  # include external, exclude TYPE_CHECKING
    problems: list[FileProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    generation: int = field(default_factory=lambda: next(_GENERATIONS))
    derivation: Derivation | None = None

    def path_of(self, module: str) -> Path | None:
        return self.module_files.get(module)

    def import_lines(self, importer: str, imported: str) -> list[int]:
        details = self.graph.get_import_details(importer=importer, imported=imported)
        return sorted({d["line_number"] for d in details})

    def with_source(self, module: str, text: str) -> ProjectGraph:
        """A copy in which ``module``'s imports are those of ``text`` (an unsaved editor buffer,
        say) instead of its file's. Raises grimp's SourceSyntaxError if ``text`` does not parse."""
        return self.with_sources({module: text})

    def with_sources(self, texts: Mapping[str, str], absent: Collection[str] = ()) -> ProjectGraph:
        """A copy in which each module of ``texts`` imports what its text imports, and each
        module of ``absent`` neither imports nor is imported (a file that did not exist yet).
        Raises grimp's SourceSyntaxError if a text does not parse (and changes nothing)."""
        return self._edited(copy.deepcopy(self.graph), texts, absent)

    def edit_sources(self, texts: Mapping[str, str]) -> ProjectGraph:
        """``with_sources(texts)`` without the copy: this graph itself is edited and the graph
        returned shares it, so this one must not be used any more. For a caller that replaces
        its graph with the result on each edit (the language server): at 50,000 modules the
        copy costs ~70 ms, and a copy starts with nothing of what the searches of the last
        check fetched from grimp (``graph.adjacency``, which is told of the edit instead)."""
        return self._edited(self.graph, texts, ())

    def _edited(
        self, graph: grimp.ImportGraph, texts: Mapping[str, str], absent: Collection[str]
    ) -> ProjectGraph:
        """This project with ``graph`` (its own or a copy) changed as ``with_sources`` says;
        nothing is changed before every text is scanned."""
        problems = [p for p in self.problems if p.path not in {self.module_files[m] for m in texts}]
        scanner = _Scanner(self.found_packages, self.options, FileSystem(), self.module_files, problems)
        records = scanner.scan_texts(texts)
        new_modules = {
            imported
            for module in texts
            for imported, *_ in records[module]
            if imported not in self.module_files and not _has_module(graph, imported)
        }
        importers = {*texts, *absent}
        importers.update(i for module in absent for i in graph.find_modules_that_directly_import(module))
        before = {module: graph.find_modules_directly_imported_by(module) for module in importers}
        for module in (*texts, *absent):
            for imported in before[module]:
                graph.remove_import(importer=module, imported=imported)
        for module in absent:
            for importer in graph.find_modules_that_directly_import(module):
                graph.remove_import(importer=importer, imported=module)
        for module in texts:
            _add_imports(graph, module, records[module], self.module_files, scanner.context.roots)
        after = {module: graph.find_modules_directly_imported_by(module) for module in importers}
        adjacency.edited(graph, {m: (before[m], after[m]) for m in importers}, bool(new_modules))
        # Removing a module's importers, or adding a module (a new external one), changes more
        # than the imports of the modules in ``texts``: no derivation to reuse a check by.
        derivation = Derivation(self.generation, frozenset(texts)) if not absent and not new_modules else None
        return dataclasses.replace(
            self, graph=graph, problems=problems, generation=next(_GENERATIONS), derivation=derivation
        )


def _has_module(graph: grimp.ImportGraph, module: str) -> bool:
    """``module in graph.modules`` without building that set (grimp builds it again after
    every change: 16 ms at 50,000 modules)."""
    try:
        graph.is_module_squashed(module)
    except grimp.exceptions.ModuleNotPresent:
        return False
    return True


def _unreadable(path: str) -> str | None:
    """Why a module file cannot be read, or None. grimp's scanner cannot be given a file that
    does not exist or is not a regular file (a FIFO would block it; it panics on others)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return f"cannot read: {error.strerror}"
    if not stat.S_ISREG(mode):
        return "cannot read: not a regular file"
    return None


def build_project_graph(
    root_packages: tuple[str, ...],
    source_roots: SearchPath | tuple[Path, ...],
    *,
    include_external_packages: bool = False,
    exclude_type_checking_imports: bool = False,
    cache: CacheStore | None = None,
    files: ProjectFiles | None = None,
    progress: Progress = no_progress,
    hashes: ContentHashes | None = None,
) -> ProjectGraph:
    """Raises PackageNotFound if a root package is not on the search path. ``files``, if
    given, is what ``discover_project`` found (so the disk is not walked twice). ``progress``
    hears how many of the files to parse are done. ``hashes``: each module file's content hash,
    (``project_hashes``), if its caller has them made; with a cache, they are made here. They
    are waited for before the scan only where cached imports depend on them."""
    file_system = FileSystem()
    files = files or discover_project(root_packages, source_roots)
    found, module_files, stamps = _grimp_packages(files.found), files.module_files, files.stamps
    module_file_of = {mf.module.name: mf for package in found for mf in package.module_files}
    options = (include_external_packages, exclude_type_checking_imports)
    cache_file = None
    cached = CacheContents()
    project = ProjectGraph(grimp.ImportGraph(), module_files, found, options)
    project.problems.extend(files.problems)
    hashing = project_hashes(files, cache) if hashes is None and cache is not None else hashes
    # Why the hash cache was not written is noted here only if the hashes were made here.
    notes = project.notes if hashes is None else None
    if cache is not None:
        key = tuple(sorted(f"{p.name}={p.directory}" for p in found)) + tuple(map(str, options))
        cache_file = cache_name(key)
        cached = read_cache(cache, cache_file, len(module_files))
    contents = _content_hashes(hashing, notes) if cached.imports else {}
    modules = frozenset(module_files)
    stale = _names_resolved_differently(cached.modules, modules) if cached.imports else set()
    imports: CacheData = {}
    to_scan: list[ModuleFile] = []
    for name in files.filenames:
        records = cached.trusted(name, contents.get(name))
        if records is not None and not stale.intersection(r[0] for r in records):
            imports[name] = (contents[name] or "", records)
        else:
            to_scan.append(module_file_of[name])
    if cached.imports and not modules <= cached.modules:
        for name in _may_import_new_modules(imports, modules - cached.modules, files.filenames):
            del imports[name]
            to_scan.append(module_file_of[name])
    readable, large = [], []
    for module_file in to_scan:
        name = module_file.module.name
        # Discovery stat'ed every file: only one without a stamp may be unreadable.
        stamp = stamps[name]
        reason = _unreadable(files.filenames[name]) if stamp is None else None
        if reason is not None:
            project.problems.append(FileProblem(module_files[name], None, reason, UNANALYSABLE_FILE))
        elif stamp is not None and stamp[2] >= PROBED_SIZE:
            large.append(module_file)  # it might crash this process: probed in a child first
        else:
            readable.append(module_file)
    # A few probes at once, started before the scan so that they parse while it runs.
    probes = [(mf, probe_parser(mf.module.name, found)) for mf in large[:PROBES_AT_ONCE]]
    scanned = {}
    scanner = _Scanner(found, options, file_system, module_files, project.problems)
    chunk_size = max(SCAN_CHUNK, -(-len(readable) // SCAN_STEPS))
    for start in range(0, len(readable), chunk_size):
        progress("scanning files", start, len(readable))
        chunk = readable[start : start + chunk_size]
        scanned.update(scanner.scan(chunk))
    verdicts = [(mf, verdict()) for mf, verdict in probes]
    verdicts += [(mf, probe_parser(mf.module.name, found)()) for mf in large[PROBES_AT_ONCE:]]  # one by one
    safe = []
    for module_file, reason in verdicts:
        if reason is None:
            safe.append(module_file)
        else:
            project.problems.append(
                FileProblem(module_files[module_file.module.name], None, reason, UNANALYSABLE_FILE)
            )
    scanned.update(scanner.scan(safe) if safe else {})
    progress("scanning files", len(readable), len(readable))
    if not cached.imports:
        contents = _content_hashes(hashing, notes)
    fresh = {name: (contents.get(name) or "", records) for name, records in scanned.items()}
    imports.update(fresh)
    out_of_date = sum(cached.imports.get(name) != entry for name, entry in fresh.items())
    if (
        cache is not None
        and cache_file is not None
        and (cached.modules != modules or worth_rewriting(out_of_date, len(modules)))
    ):
        # A file with a problem is scanned again next time, so that the problem is reported again.
        flagged = {p.path for p in project.problems}
        kept = {n: e for n, e in imports.items() if module_files[n] not in flagged} if flagged else imports
        failure = write_cache(cache, cache_file, modules, kept)
        if failure:
            project.notes.append(failure)
    with no_collection():  # see _scan_batch
        _assemble(project.graph, found, imports, files.filenames)  # a dict: the fastest membership test
    # Found in the order grimp's parallel scanner happens to meet them: sorted, so that every
    # report on the same files is the same, order included.
    project.problems.sort(key=lambda p: (p.path.as_posix(), p.line or 0, p.code, p.message))
    return project


def _content_hashes(hashing: ContentHashes | None, notes: list[str] | None) -> Mapping[str, Digest | None]:
    """The hashes, once made; why the hash cache was not written goes to ``notes`` if given."""
    if hashing is None:
        return {}
    hashes, failure = hashing.result()
    if failure and notes is not None:
        notes.append(failure)
    return hashes


def _grimp_packages(trees: tuple[PackageTree, ...]) -> set[FoundPackage]:
    """What grimp's scanner needs to know of the packages: every module, to resolve imports."""
    return {
        FoundPackage(
            name=tree.name,
            directory=tree.directory,
            module_files=frozenset(
                ModuleFile(module=Module(name), mtime=0.0) for name, _ in tree.module_files
            ),
            namespace_packages=tree.namespace_packages,
        )
        for tree in trees
    }


def _names_resolved_differently(before: frozenset[str], after: frozenset[str]) -> set[str]:
    """Imports of these names may resolve differently now that modules were added or removed
    (``from a import b`` names ``a.b`` only while a/b.py exists), so files importing them are
    scanned again even if unchanged."""
    changed = set(before ^ after)
    return changed | {name.rpartition(".")[0] for name in changed if "." in name}


def _may_import_new_modules(
    imports: CacheData, added: frozenset[str], filenames: Mapping[str, str]
) -> list[str]:
    """Cached modules whose imports may resolve differently now that ``added`` exist.

    grimp drops an import of a project module that does not exist (``import app.new`` before
    app/new.py is written), so no record says a file imports it. An import of ``X`` resolves to
    ``X`` or to its parent; it can change only if one of them was added, and then the added
    module's last name is a word of the file (absolute or relative, every part of the imported
    name but the leading dots is written out), or the added module is a package above the file
    (``from . import x`` in a package that just gained its ``__init__.py``)."""
    words = {name.rpartition(".")[2] for name in added}
    ascii_words = {word.encode() for word in words if word.isascii()}
    found = []
    for module in imports:
        parts = module.split(".")
        above = (".".join(parts[:end]) for end in range(1, len(parts)))
        if not added.isdisjoint(above) or _mentions(filenames[module], ascii_words, words):
            found.append(module)
    return found


_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_UNICODE_WORD = re.compile(r"\w+")


def _mentions(filename: str, ascii_words: set[bytes], words: set[str]) -> bool:
    """Whether the file holds one of ``words`` as a whole identifier (or cannot be read: then
    it is scanned again, which reports the problem)."""
    try:
        data = read_module_file(filename)
    except OSError:
        return True
    if data.isascii():
        return not ascii_words.isdisjoint(_WORD.findall(data))
    try:  # identifiers may be non-ASCII, and Python reads them NFKC-normalised
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return True
    found = set(_UNICODE_WORD.findall(text)) | set(_UNICODE_WORD.findall(unicodedata.normalize("NFKC", text)))
    return not found.isdisjoint(words) or not found.isdisjoint(
        unicodedata.normalize("NFKC", w) for w in words
    )


class _Scanner:
    """Scans files with grimp's parallel scanner, and copes with what it cannot do.

    grimp stops at the first file with a syntax error: that file is reported and the rest scanned
    again, so one syntax error never hides the other files' imports. It panics (a Rust panic,
    not an Exception) on a relative import above the top-level package, and on a few other
    inputs: the files that may hold such an import are scanned with Python's parser and the
    rest by grimp again, in parallel; a panic after that is narrowed down by halves to the files
    that cause it, each then scanned with Python's parser. grimp's pool of threads cannot be
    used in a process forked after it started (a flake8 worker): there, every file is scanned
    with Python's parser."""

    def __init__(
        self,
        found: set[FoundPackage],
        options: tuple[bool, bool],
        file_system: FileSystem,
        module_files: Mapping[str, Path],
        problems: list[FileProblem],
    ) -> None:
        self.found = found
        self.options = options
        self.file_system = file_system
        self.module_files = module_files
        self.problems = problems
        self.context = _scan_context(found, module_files, options)

    def scan(self, to_scan: list[ModuleFile]) -> dict[str, tuple[ImportRecord, ...]]:
        batch = {mf.module.name: mf for mf in to_scan}
        if not _threads_usable():
            return self._scan_in_python(batch)
        data: dict[str, tuple[ImportRecord, ...]] = {}
        pending, triaged = [batch], False
        while pending:
            batch = pending.pop()
            try:
                data.update(self._scan_in_threads(batch))
            except _ScannerPanic:
                if not triaged:
                    triaged = True
                    suspects = {n: mf for n, mf in batch.items() if self._may_climb_above_top(n)}
                    data.update(self._scan_in_python(suspects))
                    rest = {n: mf for n, mf in batch.items() if n not in suspects}
                    pending.extend([rest] if rest else [])
                elif len(batch) == 1:
                    data.update(self._scan_in_python(batch))
                else:
                    names = list(batch)
                    half = len(names) // 2
                    pending.extend([{n: batch[n] for n in names[:half]}, {n: batch[n] for n in names[half:]}])
        return data

    def scan_texts(self, texts: Mapping[str, str]) -> dict[str, tuple[ImportRecord, ...]]:
        """The imports of modules whose texts are given (not read from their files). Raises
        grimp's SourceSyntaxError for a text that does not parse. Texts small for the project
        are read by Python's parser first (grimp's then reads those it cannot parse: syntax
        newer than this Python's); the two find the same imports (tests/test_scanner.py)."""
        data: dict[str, tuple[ImportRecord, ...]] = {}
        if sum(map(len, texts.values())) < PYTHON_CHARS_PER_MODULE * len(self.module_files):
            for module, text in texts.items():
                with contextlib.suppress(grimp.exceptions.SourceSyntaxError):
                    data[module] = self._text_in_python(module, text)
        rest = {m: t for m, t in texts.items() if m not in data}
        if rest and _threads_usable():
            data.update(self._scan_texts_in_threads(rest))
        for module, text in rest.items():
            if module not in data:
                data[module] = self._text_in_python(module, text)
        return data

    def _text_in_python(self, module: str, text: str) -> tuple[ImportRecord, ...]:
        """Its imports, by Python's parser; a syntax error raised as grimp's SourceSyntaxError."""
        path = self.module_files[module]
        try:
            scanned = scan_source(text, module, path.name == "__init__.py", self.context)
        except SyntaxError as error:
            raise grimp.exceptions.SourceSyntaxError(str(path), error.lineno or 1, error.text or "") from None
        self.problems.extend(
            _climbing_problem(path, line, line_text) for line, line_text in scanned.beyond_top_level
        )
        return scanned.records

    def _scan_texts_in_threads(self, texts: Mapping[str, str]) -> dict[str, tuple[ImportRecord, ...]]:
        """grimp's scanner on the texts its in-memory file system keeps as given. That file
        system dedents a text the way docstrings are cleaned (an indented body after an
        unindented first line becomes a syntax error) and drops leading blank lines (which
        shifts every line number); those texts, and all of them after a panic, are left to
        Python's parser."""
        paths = {module: str(self.module_files[module]) for module in texts}
        file_system = rust.FakeBasicFileSystem(content_map={paths[m]: text for m, text in texts.items()})
        kept = [m for m, text in texts.items() if file_system.read(paths[m]).rstrip() == text.rstrip()]
        if not kept:
            return {}
        try:
            result = _scan_batch(
                tuple(ModuleFile(module=Module(m), mtime=0.0) for m in kept),
                self.found,
                self.options,
                file_system,
            )
        except grimp.exceptions.SourceSyntaxError:
            raise
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001 - a panic: Python's parser reads them instead
            return {}
        return {name: self._without_climbing_imports(name, records) for name, records in result.items()}

    def _scan_in_threads(self, batch: dict[str, ModuleFile]) -> dict[str, tuple[ImportRecord, ...]]:
        """grimp's scanner; each file with a syntax error is reported and left out."""
        remaining = dict(batch)
        while remaining:
            try:
                result = _scan_batch(tuple(remaining.values()), self.found, self.options, self.file_system)
            except grimp.exceptions.SourceSyntaxError as error:
                bad = _module_of_file(error.filename, self.module_files)
                if bad is None or bad not in remaining:
                    raise
                self.problems.append(
                    FileProblem(Path(error.filename), error.lineno, _syntax_error(error.text), SYNTAX_ERROR)
                )
                del remaining[bad]
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as error:  # a panic of grimp's Rust scanner (not an Exception)
                raise _ScannerPanic from error
            else:
                return {
                    name: self._without_climbing_imports(name, records) for name, records in result.items()
                }
        return {}

    def _without_climbing_imports(
        self, name: str, records: tuple[ImportRecord, ...]
    ) -> tuple[ImportRecord, ...]:
        """grimp resolves an import exactly one level above the top-level package to the
        external package "" (with include_external_packages) rather than panicking: reported
        and left out, as the ones it panics on."""
        if not any(r[0] == "" for r in records):
            return records
        for _, line, text, _ in (r for r in records if r[0] == ""):
            self.problems.append(_climbing_problem(self.module_files[name], line, text))
        return tuple(r for r in records if r[0] != "")

    def _may_climb_above_top(self, name: str) -> bool:
        """Whether the file has text like a relative import with more dots than the module
        has packages above it (a cheap test: Python's parser then decides)."""
        depth = name.count(".") + _is_package_file(self.module_files, name)
        try:
            data = read_module_file(self.module_files[name])
        except OSError:
            return True  # let Python's path report it
        return re.search(rb"from(?:[\s\\]*\.){%d}" % (depth + 1), data) is not None

    def _scan_in_python(self, batch: dict[str, ModuleFile]) -> dict[str, tuple[ImportRecord, ...]]:
        data = {}
        for name in sorted(batch):
            path = self.module_files[name]
            try:
                source = decode_source(read_module_file(path))
            except OSError as error:
                self.problems.append(
                    FileProblem(path, None, f"cannot read: {error.strerror}", UNANALYSABLE_FILE)
                )
                continue
            except (SyntaxError, UnicodeDecodeError, LookupError):
                line, message = _undecodable(path) or (
                    None,
                    "cannot analyse: not valid text in its declared encoding",
                )
                self.problems.append(FileProblem(path, line, message, UNANALYSABLE_FILE))
                continue
            try:
                scanned = scan_source(source, name, _is_package_file(self.module_files, name), self.context)
            except SyntaxError as error:
                self.problems.append(FileProblem(path, error.lineno, _syntax_error(error.text), SYNTAX_ERROR))
                continue
            self.problems.extend(
                _climbing_problem(path, line, text) for line, text in scanned.beyond_top_level
            )
            data[name] = scanned.records
        return data


class _ScannerPanic(Exception):
    """grimp's scanner panicked on one of the files it was given."""


def _climbing_problem(path: Path, line: int, text: str) -> FileProblem:
    return FileProblem(
        path,
        line,
        f"relative import above the top-level package: {printable(text)} "
        "(Python raises ImportError; the import is left out of the graph)",
        IMPORT_ABOVE_TOP,
    )


def _is_package_file(module_files: Mapping[str, Path], name: str) -> bool:
    path = module_files.get(name)
    return path is not None and path.name == "__init__.py"


def _scan_context(
    found: set[FoundPackage], module_files: Mapping[str, Path], options: tuple[bool, bool]
) -> ScanContext:
    include_external, exclude_type_checking = options
    return ScanContext(module_files, tuple(p.name for p in found), include_external, exclude_type_checking)


# The process that started grimp's pool of threads; a process forked from it has no threads
# in that pool and would wait on them forever.
_threads_started_in: int | None = None


def _threads_usable() -> bool:
    return _threads_started_in in (None, os.getpid())


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    """A Rust panic prints its message (and, with RUST_BACKTRACE, a backtrace) on file
    descriptor 2 before Python sees the exception; the panic is handled, so the text is noise."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _undecodable(path: Path) -> tuple[int | None, str] | None:
    """Where and why a file cannot be read, or is not text in its declared encoding (UTF-8
    unless a coding comment says otherwise, as for Python itself), or None."""
    try:
        data = read_module_file(path)
    except OSError as error:
        return None, f"cannot read: {error.strerror}"
    problem = decoding_problem(data)
    return (problem[0], f"cannot analyse: {problem[1]}") if problem else None


def _syntax_error(text: str | None) -> str:
    """``syntax error: <the line>``."""
    text = printable((text or "").strip())
    return f"syntax error: {text}" if text else "syntax error"


def _scan_batch(
    module_files: tuple[ModuleFile, ...],
    found: set[FoundPackage],
    options: tuple[bool, bool],
    file_system: FileSystem | rust.FakeBasicFileSystem,
) -> dict[str, tuple[ImportRecord, ...]]:
    global _threads_started_in
    include_external, exclude_type_checking = options
    _threads_started_in = _threads_started_in or os.getpid()
    # Without the cyclic collector: grimp hands back an object per import, and the passes it
    # would make over a heap that grows with the project cost more than they find (none).
    with _stderr_silenced(), no_collection():
        result = on_large_stack(
            lambda: rust.scan_for_imports(
                module_files=module_files,
                found_packages=found,
                include_external_packages=include_external,
                exclude_type_checking_imports=exclude_type_checking,
                file_system=file_system.convert_to_basic()
                if isinstance(file_system, FileSystem)
                else file_system,
            )
        )
        return {module.name: tuple(sorted(map(_record_of, direct))) for module, direct in result.items()}


# A DirectImport as the cache keeps it, (imported, line number, line text, is_lazy), read in C.
_record_of = operator.attrgetter("imported.name", "line_number", "line_contents", "is_lazy")


def _module_of_file(filename: str, module_files: Mapping[str, Path]) -> str | None:
    target = Path(filename)
    return next((m for m, p in module_files.items() if p == target), None)


def _assemble(
    graph: grimp.ImportGraph, found: set[FoundPackage], imports: CacheData, modules: Collection[str]
) -> None:
    for package in found:
        for namespace in package.namespace_packages:
            graph.add_module(namespace)
    roots = tuple(package.name for package in found)
    for module in modules:
        graph.add_module(module)
    for importer, (_, records) in imports.items():
        _add_imports(graph, importer, records, modules, roots)


def _add_imports(
    graph: grimp.ImportGraph,
    importer: str,
    records: tuple[ImportRecord, ...],
    modules: Container[str],
    roots: tuple[str, ...],
) -> None:
    for imported, line_number, line_contents, is_lazy in records:
        if imported not in modules:
            # Outside the project: an external package, kept as one (squashed) node.
            graph.add_module(imported, is_squashed=not _is_internal(imported, roots))
        graph.add_import(
            importer=importer,
            imported=imported,
            line_number=line_number,
            line_contents=line_contents,
            is_lazy=is_lazy,
        )


def _is_internal(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)
