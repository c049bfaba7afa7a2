"""A language server over stdio on the public API: the project's graph is built once and
held; each open document's unsaved text replaces its module's imports in it (``edit_sources``),
as does a module file changed on disk, and the contracts are checked again on the held graph.
What the checks read of files (lines, ``noqa`` comments) is kept between checks too."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from boundary_lint import api
from boundary_lint.lsp import actions

SOURCE = "boundary-lint"
SHOW_CONTRACT = "boundary-lint.showContract"
# A change waits this long for the next keystroke before the check runs: typing a line costs
# one check, not one per character.
DEBOUNCE_SECONDS = 0.05
_DOCS = Path(__file__).resolve().parents[2] / "docs" / "codes.md"  # in a checkout, not a wheel


class BoundaryServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("boundary-lint", "1")
        self.root = Path.cwd()
        self.config: Any = None
        # The configuration file named by --config or initializationOptions.config; None:
        # found from the workspace root as the CLI finds it from its working directory.
        self.config_path: Path | None = None
        self.graph: Any = None
        self.modules: dict[Path, str] = {}  # resolved module file -> module
        self.sources = api.SourceIndex()
        self.memo = api.CheckMemo()  # what the last check found, for the next
        self.violations: dict[str, list[api.Violation]] = {}
        # A document whose text does not parse: said with its diagnostics (of its last text
        # that parsed) until it parses again.
        self.unparsable: dict[str, lsp.Diagnostic] = {}
        self.contract_names: dict[str, str] = {}
        self.docs_url: str | None = None  # initializationOptions.docsUrl: the built docs' base

    def load(self) -> None:
        """The configuration as the CLI finds it (``config_path`` as its --config), and its
        graph; an error is a diagnostic on the configuration file (the server goes on, and
        loads again when the file changes)."""
        self.config = self.graph = None
        self.modules = {}
        self.sources = api.SourceIndex()
        self.memo = api.CheckMemo()
        try:
            self.config = api.find_config(self.root, self.config_path)
            if self.config is not None and self.config.contracts:  # no contracts: no cost
                self.graph = api.load_graph(self.config)
        except api.ConfigError as error:
            self.config = self.graph = None
            if error.path is not None:
                self.publish(error.path.as_uri(), [_note(error.describe())])
            return
        if self.config is not None:
            self.publish(self.config.path.as_uri(), [])
        if self.graph is not None:
            self.modules = {Path(f).resolve(): str(m) for m, f in self.graph.module_files.items()}
            for document in self.open_documents():
                self.sources.add(Path(document.path), document.source)
            texts = {m: d.source for d in self.open_documents() if (m := self.module_of(d.uri))}
            self.rescan(texts)

    def open_documents(self) -> list[Any]:
        return list(self.workspace.text_documents.values())

    def module_of(self, uri: str) -> str | None:
        return self.modules.get(_path(uri).resolve())

    def rescan(self, texts: dict[str, str]) -> None:
        """Put each module's text into the held graph; a text that does not parse leaves the
        module's imports as they were and says so on its document."""
        uris = {m: Path(self.graph.module_files[m]).as_uri() for m in texts}
        for module in texts:
            self.unparsable.pop(uris[module], None)
        try:
            # In place: the held graph is replaced by the result (a copy would cost more than
            # the rest of the edit on a large project).
            self.graph = self.graph.edit_sources(texts)
            return
        except api.SourceSyntaxError:
            pass  # which text: each alone, below
        for module, text in texts.items():
            try:
                self.graph = self.graph.edit_sources({module: text})
            except api.SourceSyntaxError as error:
                line = max((getattr(error, "lineno", None) or 1) - 1, 0)
                self.unparsable[uris[module]] = _note(f"cannot parse: {getattr(error, 'text', error)}", line)

    def recheck(self) -> None:
        """Check the held graph and publish the diagnostics of every open document."""
        if self.graph is None or self.config is None:
            return
        documents = self.open_documents()
        report = api.check_graph(self.config, self.graph, sources=self.sources, memo=self.memo)
        self.contract_names = {c.id: c.name for c in report.contracts}
        for document in documents:
            relative = api.report_path(self.config, Path(document.path))
            found = list(api.violations(report, relative))
            self.violations[document.uri] = found
            unparsable = [self.unparsable[document.uri]] if document.uri in self.unparsable else []
            self.publish(document.uri, unparsable + [self.diagnostic(v) for v in found])

    def document_changed(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        self.sources.add(Path(document.path), document.source)
        module = self.module_of(uri)
        if module is not None:
            self.rescan({module: document.source})
            self.recheck()

    def document_closed(self, uri: str) -> None:
        """Its module imports what its file on disk imports again; its diagnostics go."""
        path = _path(uri)
        self.sources.forget(path)
        self.violations.pop(uri, None)
        self.publish(uri, [])
        module = self.module_of(uri)
        if module is not None:
            self.rescan({module: _disk_text(path)})
            self.recheck()

    def files_changed(self, changes: Sequence[lsp.FileEvent]) -> None:
        """Files changed on disk: the configuration or a module added or deleted means a new
        graph; a module file changed means its new imports (unless it is open: its buffer wins)."""
        paths = [_path(change.uri) for change in changes]
        config_paths = {c.resolve() for c in (self.config and self.config.path, self.config_path) if c}
        added_or_deleted = any(
            c.type != lsp.FileChangeType.Changed and _path(c.uri).suffix == ".py" for c in changes
        )
        if added_or_deleted or any(p.resolve() in config_paths or _is_config(p) for p in paths):
            self.load()
            self.recheck()
            return
        open_paths = {Path(d.path).resolve() for d in self.open_documents()}
        texts = {}
        for path in (p for p in paths if p.resolve() not in open_paths):
            self.sources.forget(path)
            if (module := self.modules.get(path.resolve())) is not None:
                texts[module] = _disk_text(path)
        if texts:
            self.rescan(texts)
            self.recheck()

    def diagnostic(self, violation: api.Violation) -> lsp.Diagnostic:
        line = max(violation.line - 1, 0)
        root = self.config.root
        related = [
            lsp.DiagnosticRelatedInformation(location=_location(root / hop.path, hop.line), message=hop_text)
            for hop in violation.chain
            if hop.path and (hop_text := f"{hop.importer} -> {hop.imported}")
        ]
        href = self.code_href(violation.code)
        return lsp.Diagnostic(
            range=lsp.Range(lsp.Position(line, max(violation.column - 1, 0)), lsp.Position(line + 1, 0)),
            message=violation.message,
            code=violation.code,
            code_description=lsp.CodeDescription(href=href) if href else None,
            source=SOURCE,
            severity=lsp.DiagnosticSeverity.Error,
            related_information=related or None,
            data={
                "contract": violation.contract,
                "importer": violation.importer,
                "imported": _first_hop(violation),
            },
        )

    def code_href(self, code: str) -> str | None:
        """The code's entry in the documentation: the built site given by the client, else the
        documentation source of the checkout the server runs from."""
        if self.docs_url:
            return f"{self.docs_url.rstrip('/')}/codes.html#{code.lower()}"
        return f"{_DOCS.as_uri()}#{code.lower()}" if _DOCS.is_file() else None

    def publish(self, uri: str, diagnostics: list[lsp.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))


def _first_hop(violation: api.Violation) -> str:
    """What the flagged statement imports: the chain's first hop (an indirect violation's
    statement imports the next module of the chain, not the forbidden one)."""
    return violation.chain[0].imported if violation.chain else violation.imported


def _path(uri: str) -> Path:
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(uri).path))


def _disk_text(path: Path) -> str:
    try:
        return api.read_source(path)
    except OSError:
        return ""


def _is_config(path: Path) -> bool:
    return path.name in {"pyproject.toml", "setup.cfg", "tox.ini", ".importlinter", ".flake8"}


def _location(path: Path, line: int) -> lsp.Location:
    position = lsp.Position(max(line - 1, 0), 0)
    return lsp.Location(uri=path.as_uri(), range=lsp.Range(position, position))


def _note(message: str, line: int = 0) -> lsp.Diagnostic:
    position = lsp.Position(line, 0)
    return lsp.Diagnostic(
        range=lsp.Range(position, position),
        message=message,
        source=SOURCE,
        severity=lsp.DiagnosticSeverity.Error,
    )


server = BoundaryServer()


@server.feature(lsp.INITIALIZE)
def _initialize(ls: BoundaryServer, params: lsp.InitializeParams) -> None:
    if params.root_uri:
        ls.root = _path(params.root_uri)
    elif params.root_path:
        ls.root = Path(params.root_path)
    options = params.initialization_options
    if isinstance(options, dict) and isinstance(options.get("docsUrl"), str):
        ls.docs_url = options["docsUrl"]
    if isinstance(options, dict) and isinstance(options.get("config"), str):
        ls.config_path = ls.root / options["config"]  # relative to the workspace root


@server.feature(lsp.INITIALIZED)
def _initialized(ls: BoundaryServer, params: lsp.InitializedParams) -> None:
    ls.load()
    watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
    if watched and watched.dynamic_registration:
        patterns = [
            "**/*.py",
            "**/pyproject.toml",
            "**/setup.cfg",
            "**/tox.ini",
            "**/.importlinter",
            "**/*.toml",
        ]
        options = lsp.DidChangeWatchedFilesRegistrationOptions(
            watchers=[lsp.FileSystemWatcher(glob_pattern=p) for p in patterns]
        )
        registration = lsp.Registration(
            id="boundary-lint-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
        )
        ls.client_register_capability(lsp.RegistrationParams(registrations=[registration]))


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def _opened(ls: BoundaryServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.document_changed(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
async def _changed(ls: BoundaryServer, params: lsp.DidChangeTextDocumentParams) -> None:
    await asyncio.sleep(DEBOUNCE_SECONDS)
    document = ls.workspace.get_text_document(params.text_document.uri)
    if document.version == params.text_document.version:  # else a later change checks
        ls.document_changed(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def _saved(ls: BoundaryServer, params: lsp.DidSaveTextDocumentParams) -> None:
    ls.document_changed(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def _closed(ls: BoundaryServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.document_closed(params.text_document.uri)


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def _files_changed(ls: BoundaryServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    ls.files_changed(params.changes)


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def _hover(ls: BoundaryServer, params: lsp.HoverParams) -> lsp.Hover | None:
    line = params.position.line + 1
    found = [v for v in ls.violations.get(params.text_document.uri, []) if v.line == line]
    if not found:
        return None
    text = "\n\n".join(actions.hover_text(v, ls.contract_names.get(v.contract, v.contract)) for v in found)
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
)
def _actions(ls: BoundaryServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    document = ls.workspace.get_text_document(params.text_document.uri)
    config = ls.config
    found = []
    for diagnostic in params.context.diagnostics:
        if diagnostic.source != SOURCE or not diagnostic.code:
            continue
        found.append(actions.noqa_action(document, diagnostic))
        if config is not None and isinstance(diagnostic.data, dict):
            config_text = _config_text(ls, config.path)
            found.extend(actions.contract_actions(config.path, config_text, diagnostic, SHOW_CONTRACT))
    return found


def _config_text(ls: BoundaryServer, path: Path) -> str | None:
    """The configuration file as the editor holds it (unsaved changes included), else on disk."""
    document = ls.workspace.text_documents.get(path.as_uri())
    if document is not None:
        return str(document.source)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


@server.command(SHOW_CONTRACT)
def _show_contract(ls: BoundaryServer, uri: str, line: int) -> None:
    position = lsp.Position(max(line - 1, 0), 0)
    ls.window_show_document(
        lsp.ShowDocumentParams(uri=uri, take_focus=True, selection=lsp.Range(position, position))
    )


def serve(config_path: Path | None = None) -> None:
    """Serve over stdio; ``config_path`` (absolute) is the configuration file to use."""
    server.config_path = config_path
    server.start_io()
