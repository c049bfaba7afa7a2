"""Build the project's import graph from its source roots, never importing the project.

grimp finds and parses the modules; we add what a linter needs around its graph: which file
each module is, files that could not be analysed (reported, not fatal), and our import cache.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import operator
import os
import re
import stat
import tokenize
import unicodedata
from collections.abc import Collection, Container, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import grimp
from grimp import _rustgrimp as rust  # type: ignore[attr-defined]
from grimp.adaptors.filesystem import FileSystem
from grimp.application.ports.modulefinder import FoundPackage, ModuleFile
from grimp.domain.valueobjects import Module

from boundary_lint.graph.cache import CacheContents, CacheData, ImportRecord, Stamp, cache_name, read_cache, write_cache
from boundary_lint.graph.store import CacheStore

_NO_STAMP: Stamp = (0, 0, 0, 0)  # a file that vanished while we looked: never trusted later
from boundary_lint.graph.discovery import FileProblem, PackageTree, ProjectFiles, discover_project, relative_path
from boundary_lint.graph.packages import SearchPath
from boundary_lint.graph.parser_guard import PROBED_SIZE, crashes_parser, ensure_thread_stack, on_large_stack
from boundary_lint.graph.source import decoding_problem
from boundary_lint.progress import Progress, no_progress
from boundary_lint.report import Hop

ensure_thread_stack()  # before grimp's threads start: see parser_guard

# Files are handed to grimp's parallel parser in at most SCAN_STEPS calls (each call hands it
# every module of the project again) of at least SCAN_CHUNK files (to keep its threads busy).
# Chunks bound the memory of its results (50,000 modules in one call: 490 MB, in ten: 280 MB)
# and let the progress shown on a terminal move.
SCAN_CHUNK = 2000
SCAN_STEPS = 10


@dataclass
class ProjectGraph:
    graph: grimp.ImportGraph
    module_files: Mapping[str, Path]
    found_packages: set[FoundPackage] = field(default_factory=set)
    options: tuple[bool, bool] = (False, False)  # include external, exclude TYPE_CHECKING
    problems: list[FileProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _modules_by_path: dict[Path, str] = field(default_factory=dict, init=False, repr=False)

    def path_of(self, module: str) -> Path | None:
        return self.module_files.get(module)

    def module_of(self, path: Path) -> str | None:
        if not self._modules_by_path:
            self._modules_by_path = {p: m for m, p in self.module_files.items()}
        return self._modules_by_path.get(path)

    def hop(self, importer: str, imported: str, root: Path) -> Hop:
        """The direct import as a report shows it: the importer's file and every line."""
        lines = tuple(self.import_lines(importer, imported))
        path = self.path_of(importer)
        return Hop(importer, imported, relative_path(path, root) if path else "", lines[0] if lines else 0, lines)

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
        Raises grimp's SourceSyntaxError if a text does not parse."""
        include_external, exclude_type_checking = self.options
        paths = {module: str(self.module_files[module]) for module in texts}
        scanned = rust.scan_for_imports(
            module_files=tuple(ModuleFile(module=Module(module), mtime=0.0) for module in texts),
            found_packages=self.found_packages,
            include_external_packages=include_external,
            exclude_type_checking_imports=exclude_type_checking,
            file_system=rust.FakeBasicFileSystem(content_map={paths[m]: text for m, text in texts.items()}),
        )
        graph = copy.deepcopy(self.graph)
        for module in (*texts, *absent):
            for imported in graph.find_modules_directly_imported_by(module):
                graph.remove_import(importer=module, imported=imported)
        for module in absent:
            for importer in graph.find_modules_that_directly_import(module):
                graph.remove_import(importer=importer, imported=module)
        roots = tuple(p.name for p in self.found_packages)
        for module in texts:
            records = tuple((d.imported.name, d.line_number, d.line_contents, d.is_lazy) for d in scanned[Module(module)])
            _add_imports(graph, module, records, self.module_files, roots)
        return dataclasses.replace(self, graph=graph)


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
) -> ProjectGraph:
    """Raises PackageNotFound if a root package is not on the search path. ``files``, if
    given, is what ``discover_project`` found (so the disk is not walked twice). ``progress``
    hears how many of the files to parse are done."""
    file_system = FileSystem()
    files = files or discover_project(root_packages, source_roots)
    found, module_files, stamps = _grimp_packages(files.found), files.module_files, files.stamps
    module_file_of = {mf.module.name: mf for package in found for mf in package.module_files}
    options = (include_external_packages, exclude_type_checking_imports)
    cache_file = None
    cached = CacheContents()
    if cache is not None:
        key = tuple(sorted(f"{p.name}={p.directory}" for p in found)) + tuple(map(str, options))
        cache_file = cache_name(key)
        cached = read_cache(cache, cache_file, len(module_files))
    modules = frozenset(module_files)
    stale = _names_resolved_differently(cached.modules, modules) if cached.imports else set()
    imports: CacheData = {}
    to_scan: list[ModuleFile] = []
    for name in files.filenames:
        records = cached.trusted(name, stamps[name])
        if records is not None and not stale.intersection(r[0] for r in records):
            imports[name] = (stamps[name] or _NO_STAMP, records)
        else:
            to_scan.append(module_file_of[name])
    if cached.imports and not modules <= cached.modules:
        for name in _may_import_new_modules(imports, modules - cached.modules, files.filenames):
            del imports[name]
            to_scan.append(module_file_of[name])
    project = ProjectGraph(grimp.ImportGraph(), module_files, found, options)
    project.problems.extend(files.problems)
    readable = []
    for module_file in to_scan:
        name = module_file.module.name
        # Discovery stat'ed every file: only one without a stamp may be unreadable.
        stamp = stamps[name]
        reason = _unreadable(files.filenames[name]) if stamp is None else None
        if reason is None and stamp is not None and stamp[2] >= PROBED_SIZE:
            reason = crashes_parser(name, found)  # a large file might crash this process
        if reason is None:
            readable.append(module_file)
        else:
            project.problems.append(FileProblem(module_files[module_file.module.name], None, reason, "BND903"))
    to_scan = readable
    scanned = {}
    chunk_size = max(SCAN_CHUNK, -(-len(to_scan) // SCAN_STEPS))
    for start in range(0, len(to_scan), chunk_size):
        progress("scanning files", start, len(to_scan))
        chunk = to_scan[start : start + chunk_size]
        for name, records in _scan(chunk, found, options, file_system, module_files, project.problems).items():
            scanned[name] = (stamps[name] or _NO_STAMP, records)
    progress("scanning files", len(to_scan), len(to_scan))
    imports.update(scanned)
    changed = any(cached.imports.get(name) != entry for name, entry in scanned.items())
    if cache is not None and cache_file is not None and (changed or cached.modules != modules):
        failure = write_cache(cache, cache_file, modules, imports)
        if failure:
            project.notes.append(failure)
    _assemble(project.graph, found, imports, files.filenames)  # a dict: the fastest membership test
    # Found in the order grimp's parallel scanner happens to meet them: sorted, so that every
    # report on the same files is the same, order included.
    project.problems.sort(key=lambda p: (p.path.as_posix(), p.line or 0, p.code, p.message))
    return project


def _grimp_packages(trees: tuple[PackageTree, ...]) -> set[FoundPackage]:
    """What grimp's scanner needs to know of the packages: every module, to resolve imports."""
    return {
        FoundPackage(
            name=tree.name,
            directory=tree.directory,
            module_files=frozenset(ModuleFile(module=Module(name), mtime=0.0) for name, _ in tree.module_files),
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


def _may_import_new_modules(imports: CacheData, added: frozenset[str], filenames: Mapping[str, str]) -> list[str]:
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
        with open(filename, "rb") as handle:
            data = handle.read()
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
    return not found.isdisjoint(words) or not found.isdisjoint(unicodedata.normalize("NFKC", w) for w in words)


def _scan(
    to_scan: list[ModuleFile],
    found: set[FoundPackage],
    options: tuple[bool, bool],
    file_system: FileSystem,
    module_files: Mapping[str, Path],
    problems: list[FileProblem],
) -> dict[str, tuple[ImportRecord, ...]]:
    """Scan files with grimp's parser. grimp stops at the first bad file; we report that file
    and scan the rest again, so one syntax error never hides the other files' imports."""
    remaining = {mf.module.name: mf for mf in to_scan}
    while remaining:
        try:
            result = _scan_batch(tuple(remaining.values()), found, options, file_system)
        except grimp.exceptions.SourceSyntaxError as error:
            bad = _module_of_file(error.filename, module_files)
            if bad is None or bad not in remaining:
                raise
            problems.append(FileProblem(Path(error.filename), error.lineno, _syntax_error(error), "BND902"))
            del remaining[bad]
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # also a panic of grimp's Rust scanner (not an Exception)
            return _scan_one_by_one(remaining, found, options, file_system, module_files, problems)
        else:
            return result
    return {}


def _scan_one_by_one(
    remaining: dict[str, ModuleFile],
    found: set[FoundPackage],
    options: tuple[bool, bool],
    file_system: FileSystem,
    module_files: Mapping[str, Path],
    problems: list[FileProblem],
) -> dict[str, tuple[ImportRecord, ...]]:
    """Slow path for errors grimp does not attribute to a file: find the culprits one by one."""
    data: dict[str, tuple[ImportRecord, ...]] = {}
    for name, module_file in remaining.items():
        try:
            result = _scan_batch((module_file,), found, options, file_system)
        except grimp.exceptions.SourceSyntaxError as error:
            problems.append(FileProblem(module_files[name], error.lineno, _syntax_error(error), "BND902"))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # noqa: BLE001 - any failure to read one file is reported
            line, message = _undecodable(module_files[name]) or (None, f"cannot analyse: {error}")
            problems.append(FileProblem(module_files[name], line, message, "BND903"))
        else:
            data[name] = result[name]
    return data


def _undecodable(path: Path) -> tuple[int | None, str] | None:
    """Where and why a file cannot be read, or is not text in its declared encoding (UTF-8
    unless a coding comment says otherwise, as for Python itself), or None."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, f"cannot read: {error.strerror}"
    problem = decoding_problem(data)
    return (problem[0], f"cannot analyse: {problem[1]}") if problem else None


def _syntax_error(error: grimp.exceptions.SourceSyntaxError) -> str:
    """``syntax error: <the line>``, control characters (a NUL byte, say) escaped so that the
    message stays one printable line."""
    text = (error.text or "").strip()
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return f"syntax error: {text}" if text else "syntax error"


def _scan_batch(
    module_files: tuple[ModuleFile, ...],
    found: set[FoundPackage],
    options: tuple[bool, bool],
    file_system: FileSystem,
) -> dict[str, tuple[ImportRecord, ...]]:
    include_external, exclude_type_checking = options
    result = on_large_stack(lambda: rust.scan_for_imports(
        module_files=module_files,
        found_packages=found,
        include_external_packages=include_external,
        exclude_type_checking_imports=exclude_type_checking,
        file_system=file_system.convert_to_basic(),
    ))
    return {module.name: tuple(sorted(map(_record_of, direct))) for module, direct in result.items()}


# A DirectImport as the cache keeps it, (imported, line number, line text, is_lazy), read in C.
_record_of = operator.attrgetter("imported.name", "line_number", "line_contents", "is_lazy")


def _module_of_file(filename: str, module_files: Mapping[str, Path]) -> str | None:
    target = Path(filename)
    return next((m for m, p in module_files.items() if p == target), None)


def _assemble(graph: grimp.ImportGraph, found: set[FoundPackage], imports: CacheData, modules: Collection[str]) -> None:
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
