"""The engine: configuration in, report out. Knows nothing of front ends or output formats."""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import importlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boundary_lint import __version__
from boundary_lint.codes import (
    CONFIG_ERROR,
    CUSTOM_CONTRACT_BROKEN,
    DYNAMIC_DIRECT,
    DYNAMIC_INDIRECT,
    UNMATCHED_IGNORE,
)
from boundary_lint.collector import no_collection
from boundary_lint.config import (
    Config,
    ConfigError,
    ContractSpec,
    CustomContractSpec,
    MovedSpec,
    ReferencesSpec,
)
from boundary_lint.config.registry import contract_type_of
from boundary_lint.graph.cache import stamp_of
from boundary_lint.graph.discovery import ProjectFiles, discover_project, relative_path
from boundary_lint.graph.noqa import FILE_NOQA, HAS_NOQA, is_suppressed
from boundary_lint.graph.packages import LocatedPackage, PackageNotFound, SearchPath
from boundary_lint.graph.store import ENVIRONMENT_DIRECTORY, CacheStore, explicit_store
from boundary_lint.progress import Progress, no_progress
from boundary_lint.report import REPORT_SHAPE, ContractResult, Diagram, Hop, Problem, Report, Violation
from boundary_lint.report_cache import ReportCache

# The graph, the rules and grimp are imported only when a check has to run: a run answered
# from the report cache needs none of them, and importing them is most of such a run's cost.
if TYPE_CHECKING:
    from boundary_lint.graph.builder import ProjectGraph
    from boundary_lint.graph.dynamic import DynamicImports
    from boundary_lint.graph.hashes import ContentHashes
    from boundary_lint.graph.references import ReferenceIndex
    from boundary_lint.graph.source import SourceIndex
    from boundary_lint.rules.common import Finding, RuleContext, RuleOutcome
    from boundary_lint.rules.reuse import CheckMemo


@dataclass(frozen=True)
class CheckOptions:
    contract_ids: Sequence[str] = ()
    use_cache: bool = True
    cache_dir: Path | None = None  # named by the user (--cache-dir): overrides the configuration's
    disable_noqa: bool = False
    progress: Progress = no_progress  # told of long work (parsing files, checking contracts)


def select_contracts(config: Config, contract_ids: Sequence[str]) -> list[ContractSpec]:
    unknown = [c for c in contract_ids if config.contract(c) is None]
    if unknown:
        known = ", ".join(c.id for c in config.contracts)
        raise ConfigError(f"unknown contract id {unknown[0]!r} (known: {known})", path=config.path)
    wanted = set(contract_ids)
    return [c for c in config.contracts if not wanted or c.id in wanted]


def cache_store(config: Config, options: CheckOptions) -> CacheStore | None:
    """The cache directory: one the user names (``--cache-dir``, else the environment
    variable) over the configuration's. Only the user's own choice may be read without
    authentication: the configuration comes with the checked repository."""
    if not options.use_cache:
        return None
    named = options.cache_dir or os.environ.get(ENVIRONMENT_DIRECTORY)
    if named:
        return explicit_store(Path(named).absolute(), config.root)
    return CacheStore(config.cache_dir) if config.cache_dir else None


def search_path(config: Config) -> SearchPath:
    """Where the root packages are looked for: the configured source roots, else where Python
    would find them. Every command and front end finds the packages through this."""
    return SearchPath.for_project(config.root, config.source_roots)


def locate(config: Config) -> list[LocatedPackage]:
    """Where each root package is (raises ConfigError naming where it was looked for)."""
    search = search_path(config)
    try:
        return [search.locate(package) for package in config.root_packages]
    except PackageNotFound as error:
        raise ConfigError(str(error), path=config.path, key="root_packages") from None


def discover(config: Config) -> ProjectFiles:
    try:
        return discover_project(config.root_packages, search_path(config))
    except PackageNotFound as error:
        raise ConfigError(str(error), path=config.path, key="root_packages") from None


def load_graph(
    config: Config,
    options: CheckOptions,
    files: ProjectFiles | None = None,
    hashes: ContentHashes | None = None,
) -> ProjectGraph:
    from boundary_lint.graph.builder import build_project_graph

    return build_project_graph(
        config.root_packages,
        search_path(config),
        include_external_packages=config.include_external_packages,
        exclude_type_checking_imports=config.exclude_type_checking_imports,
        cache=cache_store(config, options),
        files=files or discover(config),
        progress=options.progress,
        hashes=hashes,
    )


def load_checked_graph(config: Config, options: CheckOptions = CheckOptions()) -> ProjectGraph:
    """The graph the contracts are checked on: with the dynamic and string imports that the
    configuration turns on."""
    project = load_graph(config, options)
    if config.dynamic_imports or config.string_imports:
        from boundary_lint.graph.dynamic import with_dynamic_imports
        from boundary_lint.graph.references import ReferenceIndex
        from boundary_lint.graph.source import SourceIndex

        index = ReferenceIndex(project.module_files, SourceIndex())
        project, _ = with_dynamic_imports(project, index, strings=config.string_imports)
    return project


def check(
    config: Config, options: CheckOptions = CheckOptions(), files: ProjectFiles | None = None
) -> Report:
    """Raises ConfigError for problems that prevent any check. When nothing changed since the
    last run with the same configuration and options, the last report is returned."""
    contracts = select_contracts(config, options.contract_ids)
    files = files or discover(config)
    store = cache_store(config, options)
    # A custom contract type's class can change without any checked file changing.
    reports = (
        ReportCache(store, _report_key(config, options)) if store and not _has_custom(contracts) else None
    )
    if reports is None or store is None:
        return check_graph(config, load_graph(config, options, files), contracts, options)
    fingerprint, newest_change_ns = files.fingerprint(), files.newest_change_ns()
    others = [(str(p), stamp_of(p)) for p in files_read_besides_modules(config, contracts, files)]
    if others:  # a report depends on these too (an entry point in setup.cfg, say)
        fingerprint += hashlib.blake2b(repr(others).encode(), digest_size=20).hexdigest()
        newest_change_ns = max([newest_change_ns, *(max(s[0], s[1]) for _, s in others if s)])
    moved = any(isinstance(c, MovedSpec) for c in contracts)
    if moved:  # they read every file
        from boundary_lint.graph.repository import list_repository

        repository = list_repository(config.root, [store.directory])
        fingerprint += repository.fingerprint()
        newest_change_ns = max(newest_change_ns, repository.newest_change_ns())
    cached = reports.load(fingerprint, newest_change_ns, len(files.filenames))
    if cached is not None:
        return cached
    # Stamps changed (an edit, or a fresh clone): the files' bytes may not have.
    from boundary_lint.graph.hashes import project_hashes

    hashing = project_hashes(files, store)
    content = None  # the repository's other files are fingerprinted by their stamps only
    if reports.may_match_by_content() and not moved:
        hashes, failure = hashing.result()
        content = _content_fingerprint(files, hashes, others)
        cached = reports.load_by_content(content)
        if cached is not None:
            if failure is None:  # next time, the stamps answer
                reports.store_report(fingerprint, content, cached)
            return cached
    # Where no report could be found by content (a cold run), the hashes are made while the
    # files are parsed.
    report = check_graph(config, load_graph(config, options, files, hashing), contracts, options)
    hashes, failure = hashing.result()
    if content is None and not moved:
        content = _content_fingerprint(files, hashes, others)
    if failure and failure not in report.notes:  # one unwritable directory, one note
        report.notes.append(failure)
    if not report.notes:  # notes say the cache could not be written
        failure = reports.store_report(fingerprint, content, report)
        if failure:
            report.notes.append(failure)
    return report


def _content_fingerprint(
    files: ProjectFiles, hashes: Mapping[str, str | None], others: Sequence[tuple[str, object]]
) -> str:
    """Changes whenever a module's or another read file's bytes change."""
    from boundary_lint.graph.hashes import content_fingerprint, hash_files

    content = content_fingerprint(files, hashes)
    if others:
        content += repr(
            [(path, digest) for (path, _), digest in zip(others, hash_files([p for p, _ in others]))]
        )
    return content


def _has_custom(contracts: Sequence[ContractSpec]) -> bool:
    return any(isinstance(spec, CustomContractSpec) for spec in contracts)


def files_read_besides_modules(
    config: Config, contracts: Sequence[ContractSpec], files: ProjectFiles
) -> list[Path]:
    """Files other than the modules that the contracts read: configuration files for the
    entry points of ``references`` contracts."""
    if not any(isinstance(c, ReferencesSpec) and c.entry_points for c in contracts):
        return []
    from boundary_lint.graph.entry_points import build_directories, configuration_files

    return configuration_files(config.root, build_directories(config.root_packages, files.module_files))


def _report_key(config: Config, options: CheckOptions) -> tuple[str, ...]:
    try:
        config_text = config.path.read_bytes().hex()
    except OSError:
        config_text = repr(config)
    return (
        str(config.path),
        config_text,
        repr(config),
        repr(sorted(options.contract_ids)),
        str(options.disable_noqa),
        REPORT_SHAPE,
    )


def check_graph(
    config: Config,
    project: ProjectGraph,
    contracts: Sequence[ContractSpec],
    options: CheckOptions,
    sources: SourceIndex | None = None,
    memo: CheckMemo | None = None,
) -> Report:
    """``memo``: kept between checks of graphs derived from each other (see rules.reuse)."""
    from boundary_lint.graph.dynamic import DynamicImports, with_dynamic_imports
    from boundary_lint.graph.references import ReferenceIndex
    from boundary_lint.graph.source import SourceIndex
    from boundary_lint.rules.common import ContractError

    report = Report(
        tool_version=__version__,
        root=str(config.root),
        modules=len(project.module_files),
        imports=project.graph.count_imports(),
    )
    report.notes.extend(project.notes)
    for problem in project.problems:
        report.errors.append(
            Problem(problem.code, problem.message, relative_path(problem.path, config.root), problem.line)
        )
    sources = sources or SourceIndex()
    index = ReferenceIndex(project.module_files, sources)
    dynamic_project, dynamic = None, DynamicImports()
    if config.dynamic_imports or config.string_imports:
        dynamic_project, dynamic = with_dynamic_imports(project, index, strings=config.string_imports)
    # Dynamic imports are found in the texts, not the changed modules alone: no reuse with them.
    reuse = memo if dynamic_project is None else None
    if reuse is not None:
        reuse.begin(project)
    hops = _Hops(config.root)
    for number, spec in enumerate(contracts):
        options.progress("checking contracts", number, len(contracts))
        result = ContractResult(spec.id, spec.name, _type_label(spec), instructions=spec.instructions)
        try:
            run = functools.partial(_run_rule, spec, project, config, index)
            outcome = reuse.outcome(spec, run) if reuse is not None else run()
            if dynamic_project is not None and not contract_type_of(spec).reads_sources:
                outcome.findings.extend(
                    _dynamic_only(outcome, _run_rule(spec, dynamic_project, config, index))
                )
        except ContractError as error:
            message = ConfigError(error.message, path=config.path, contract=spec.id, key=error.key).describe()
            result.errors.append(Problem(CONFIG_ERROR, message, relative_path(config.path, config.root)))
        else:
            result.diagram = _outline(spec, project)
            result.warnings.extend(outcome.warnings)
            result.findings.extend(_contract_level(spec, outcome.broken, config))
            for message in outcome.errors:
                result.errors.append(
                    Problem(
                        UNMATCHED_IGNORE,
                        f"{message} (contract {spec.id!r})",
                        relative_path(config.path, config.root),
                    )
                )
            # One violation per finding: a rule may find the same chain twice (overlapping
            # protected modules, say), and each statement is reported once per contract.
            root, dynamic_findings = config.root, outcome.dynamic_findings
            with no_collection():  # tens of thousands of violations, no cycles among them
                for finding in dict.fromkeys(outcome.findings):
                    graph_of = (
                        dynamic_project if dynamic_findings and finding in dynamic_findings else project
                    )
                    assert graph_of is not None
                    result.violations.extend(
                        _violations(finding, spec, graph_of, root, sources, options, dynamic, hops)
                    )
                result.violations.sort(key=Violation.sort_key)
        report.contracts.append(result)
    options.progress("checking contracts", len(contracts), len(contracts))
    return report


def _type_label(spec: ContractSpec) -> str:
    """The type as the configuration names it (a custom type by its own name)."""
    return spec.custom_type if isinstance(spec, CustomContractSpec) else spec.type_name


def _contract_level(spec: ContractSpec, broken: list[str], config: Config) -> list[Problem]:
    """Reported where the configuration defines the contract (its review comment lands there)."""
    from boundary_lint.config.sources import contract_line

    if not broken:
        return []
    path = relative_path(config.path, config.root)
    line = contract_line(config.path, spec.id)
    return [
        Problem(
            CUSTOM_CONTRACT_BROKEN,
            f"contract {spec.id!r} (type {_type_label(spec)}) is broken: {message}",
            path,
            line,
        )
        for message in broken
    ]


def _rule(spec: ContractSpec) -> Callable[[Any, RuleContext], RuleOutcome]:
    """The check of the spec's contract type, from the rule module the registry names."""
    check: Callable[[Any, RuleContext], RuleOutcome] = importlib.import_module(
        contract_type_of(spec).rules
    ).check
    return check


def _outline(spec: ContractSpec, project: ProjectGraph) -> Diagram:
    """The contract's members for diagrams, from its rule module; empty if its modules cannot
    be resolved (the check has already reported why)."""
    from boundary_lint.rules.common import ContractError

    try:
        diagram: Diagram = importlib.import_module(contract_type_of(spec).rules).outline(spec, project.graph)
    except ContractError:
        return Diagram()
    return diagram


def _dynamic_only(static: RuleOutcome, with_dynamic: RuleOutcome) -> list[Finding]:
    """Findings that exist only with dynamic imports in the graph: a statement that begins an
    illegal chain statically keeps its static chain and code."""
    static_hops = {f.chain[:2] for f in static.findings}
    extra = [f for f in with_dynamic.findings if f.chain[:2] not in static_hops]
    static.dynamic_findings.update(extra)
    return extra


def _run_rule(
    spec: ContractSpec, project: ProjectGraph, config: Config, index: ReferenceIndex
) -> RuleOutcome:
    from boundary_lint.rules.common import RuleContext, RuleOutcome, remove_ignored_imports

    graph = project.graph
    ignored = RuleOutcome()
    if spec.ignore_imports and not contract_type_of(spec).reads_sources:
        graph = copy.deepcopy(graph)
        ignored = remove_ignored_imports(graph, spec)
    context = RuleContext(graph, config.root_packages, config.include_external_packages, index, config.root)
    outcome = _rule(spec)(spec, context)
    outcome.errors[:0] = ignored.errors
    outcome.warnings[:0] = ignored.warnings
    return outcome


class _Hops:
    """Each direct import as a report shows it, made once per graph and shared by every chain
    through it: 31,000 violations of one contract share a few thousand later hops. So are the
    hops after the first of each chain, with their text in the message, and each module's
    file as reports show it."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._known: dict[tuple[int, str, str], Hop] = {}
        self._tails: dict[tuple[int, tuple[str, ...]], tuple[tuple[Hop, ...], str]] = {}
        self._paths: dict[tuple[int, str], str] = {}

    def of(self, project: ProjectGraph, importer: str, imported: str) -> Hop:
        key = (project.generation, importer, imported)
        found = self._known.get(key)
        if found is None:
            from boundary_lint.rules.common import hop_at

            found = self._known[key] = hop_at(project, importer, imported, self.path(project, importer))
        return found

    def tail(self, project: ProjectGraph, chain: tuple[str, ...]) -> tuple[tuple[Hop, ...], str]:
        """The hops of ``chain`` after its first (``chain[1:]``), and their part of the message."""
        key = (project.generation, chain[1:])
        found = self._tails.get(key)
        if found is None:
            later = tuple(self.of(project, a, b) for a, b in zip(chain[1:], chain[2:]))
            found = self._tails[key] = later, _tail_text(later)
        return found

    def path(self, project: ProjectGraph, module: str) -> str:
        """The module's file relative to the root ("" when it has none)."""
        key = (project.generation, module)
        found = self._paths.get(key)
        if found is None:
            path = project.path_of(module)
            found = self._paths[key] = relative_path(path, self._root) if path else ""
        return found


def _violations(
    finding: Finding,
    spec: ContractSpec,
    project: ProjectGraph,
    root: Path,
    sources: SourceIndex,
    options: CheckOptions,
    dynamic: DynamicImports,
    hops: _Hops,
) -> list[Violation]:
    chain = finding.chain
    if finding.line:  # a place in a source file (a moved path, a dead reference)
        return [_located_violation(finding, spec, project, root, sources, options)]
    if len(chain) == 1:  # a module, not an import (exhaustive layers)
        path = project.path_of(chain[0])
        message = f'{chain[0]} {finding.detail} in "{spec.id}"'
        return [
            Violation(
                finding.code,
                spec.id,
                message,
                chain[0],
                chain[0],
                relative_path(path, root) if path else "",
                1,
                1,
                (),
            )
        ]
    later_hops, tail_text = hops.tail(project, chain)
    first_path = project.path_of(chain[0])
    imported_path = hops.path(project, chain[-1])
    import_hop = hops.of(project, chain[0], chain[1])
    violations = []
    for line in import_hop.lines:
        first = import_hop if line == import_hop.line else dataclasses.replace(import_hop, line=line)
        chain_hops = (first, *later_hops)
        code, detail = _dynamic_code(finding, chain_hops, dynamic)
        suppressed = first_path is not None and _suppressed(
            code, first_path, line, sources, options, import_statement=True
        )
        violations.append(
            Violation(
                code=code,
                contract=spec.id,
                message=_breaks(_chain_text(first, tail_text), spec, detail),
                importer=chain[0],
                imported=chain[-1],
                path=first.path,
                line=line,
                column=sources.column(first_path, line) if first_path else 1,
                chain=chain_hops,
                imported_path=imported_path,
                suppressed=suppressed,
                detail=detail,
            )
        )
    return violations


def _located_violation(
    finding: Finding,
    spec: ContractSpec,
    project: ProjectGraph,
    root: Path,
    sources: SourceIndex,
    options: CheckOptions,
) -> Violation:
    module = finding.chain[0]
    path = finding.path or project.path_of(module)
    suppressed = path is not None and _suppressed(finding.code, path, finding.line, sources, options)
    return Violation(
        code=finding.code,
        contract=spec.id,
        message=_breaks(finding.detail, spec),
        importer=module,
        imported=finding.name,
        path=relative_path(path, root) if path else "",
        line=finding.line,
        column=finding.column,
        chain=(),
        suppressed=suppressed,
    )


def _suppressed(
    code: str,
    path: Path,
    line: int,
    sources: SourceIndex,
    options: CheckOptions,
    import_statement: bool = False,
) -> bool:
    """As flake8 decides it, and a little more: ``# noqa`` in the text flake8 searches for the
    reported line (the line, or every line of a multi-line string token that ends on it), on
    any line of the import statement (flake8 alone reads only the first), or ``# flake8:
    noqa`` in the file (flake8 then checks nothing in it)."""
    if options.disable_noqa or not sources.holds(path, "noqa"):  # both patterns need it
        return False
    if sources.any_line_matches(path, FILE_NOQA):
        return True
    if not sources.any_line_matches(path, HAS_NOQA):  # most files: no need to tokenize them
        return False
    lines = [
        sources.token_line(path, line, HAS_NOQA),
        *(sources.statement(path, line).lines if import_statement else ()),
    ]
    return is_suppressed(code, lines)


def _dynamic_code(finding: Finding, hops: tuple[Hop, ...], dynamic: DynamicImports) -> tuple[str, str]:
    """A chain that exists only through a dynamic import gets a BND21x code of its own."""
    if not dynamic.lines:
        return finding.code, finding.detail
    first = hops[0]
    if dynamic.is_dynamic(first.importer, first.imported, first.line):
        code = DYNAMIC_DIRECT
    elif any(dynamic.only_dynamic(h.importer, h.imported, h.lines) for h in hops[1:]):
        code = DYNAMIC_INDIRECT
    else:
        return finding.code, finding.detail
    note = f"through a dynamic import (contract code {finding.code})"
    return code, f"{finding.detail}; {note}" if finding.detail else note


# A longer chain is shortened in the one-line message (the first hops, how many are left out,
# the last hop); the report's ``chain`` keeps every hop, and text and HTML draw them all.
MESSAGE_HOPS = 4


def describe_chain(hops: Sequence[Hop], spec: ContractSpec, detail: str = "") -> str:
    """``a -> b (l.2) -> c (l.3, 7) breaks "name" (id)``: each hop's line numbers in its importer.
    A chain of more than MESSAGE_HOPS hops shows its first two and its last."""
    return _breaks(_chain_text(hops[0], _tail_text(hops[1:])), spec, detail)


def _chain_text(first: Hop, tail_text: str) -> str:
    """The chain in the message: its first hop (the reported line), then ``_tail_text``."""
    head = f"{first.importer} -> {first.imported} (l.{first.line})"
    return f"{head} -> {tail_text}" if tail_text else head


def _tail_text(later: Sequence[Hop]) -> str:
    """The hops after the first in the message (chains of more than MESSAGE_HOPS shortened)."""
    if len(later) < MESSAGE_HOPS:
        return " -> ".join(_hop_text(hop) for hop in later)
    return " -> ".join(
        [_hop_text(later[0]), f"[{len(later) - 2} more]", later[-1].importer, _hop_text(later[-1])]
    )


def _hop_text(hop: Hop) -> str:
    return f"{hop.imported} (l.{', '.join(map(str, hop.lines))})"


def contract_label(spec: ContractSpec) -> str:
    """``"name" (id)``, or ``"id"`` for a contract without a name of its own."""
    return f'"{spec.name}" ({spec.id})' if spec.name != spec.id else f'"{spec.id}"'


def _breaks(what: str, spec: ContractSpec, detail: str = "") -> str:
    """The one-line message every one-line format shows: what, the contract, why, what to do."""
    text = f"{what} breaks {contract_label(spec)}"
    if detail:
        text += f": {detail}"
    if spec.instructions:
        text += f"; instructions: {' '.join(spec.instructions.split())}"
    return text
