"""A language server over stdio on the public API: the project's graph is built once and
held; each open document's unsaved text replaces its module's imports in it (``with_sources``)
and the contracts are checked again on the held graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from boundary_lint import api

SOURCE = "boundary-lint"


class BoundaryServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("boundary-lint", "1")
        self.config: Any = None
        self.graph: Any = None
        self.violations: dict[str, list[api.Violation]] = {}

    def load(self, root: Path) -> None:
        """The configuration as the CLI finds it; an error is a diagnostic on its file."""
        try:
            self.config = api.find_config(root)
            self.graph = api.load_graph(self.config) if self.config and self.config.contracts else None
        except api.ConfigError as error:
            self.config = self.graph = None
            if error.path is not None:
                self.publish(error.path.as_uri(), [_config_diagnostic(error.describe())])

    def module_of(self, path: Path) -> str | None:
        if self.graph is None:
            return None
        for module, file in self.graph.module_files.items():
            if Path(file).resolve() == path.resolve():
                return str(module)
        return None

    def recheck(self, uri: str) -> None:
        """Rescan one document's text into the held graph, then publish every open document."""
        path = Path(uri.removeprefix("file://"))
        module = self.module_of(path)
        if module is None or self.config is None:
            return
        text = self.workspace.get_text_document(uri).source
        try:
            self.graph = self.graph.with_sources({module: text})
        except Exception as error:  # a syntax error: say so on the document, keep the graph
            self.publish(uri, [_config_diagnostic(f"cannot parse: {error}")])
            return
        texts = {Path(d.path): d.source for d in self.workspace.text_documents.values()}
        report = api.check_graph(self.config, self.graph, texts=texts)
        for doc_uri, document in self.workspace.text_documents.items():
            relative = api.report_path(self.config, Path(document.path))
            found = list(api.violations(report, relative))
            self.violations[doc_uri] = found
            self.publish(doc_uri, [_diagnostic(v, self.config.root) for v in found])

    def publish(self, uri: str, diagnostics: list[lsp.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))


def _config_diagnostic(message: str) -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)), message=message, source=SOURCE
    )


def _diagnostic(violation: api.Violation, root: Path) -> lsp.Diagnostic:
    line = max(violation.line - 1, 0)
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(
                uri=(root / hop.path).as_uri(),
                range=lsp.Range(lsp.Position(max(hop.line - 1, 0), 0), lsp.Position(max(hop.line - 1, 0), 0)),
            ),
            message=f"{hop.importer} -> {hop.imported}",
        )
        for hop in violation.chain
        if hop.path
    ]
    return lsp.Diagnostic(
        range=lsp.Range(lsp.Position(line, max(violation.column - 1, 0)), lsp.Position(line + 1, 0)),
        message=violation.message,
        code=violation.code,
        source=SOURCE,
        severity=lsp.DiagnosticSeverity.Error,
        related_information=related or None,
        data={"contract": violation.contract},
    )


server = BoundaryServer()


@server.feature(lsp.INITIALIZED)
def _initialized(ls: BoundaryServer, params: lsp.InitializedParams) -> None:
    ls.load(Path(ls.workspace.root_path or Path.cwd()))


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def _opened(ls: BoundaryServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.recheck(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def _changed(ls: BoundaryServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.recheck(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def _saved(ls: BoundaryServer, params: lsp.DidSaveTextDocumentParams) -> None:
    ls.recheck(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def _hover(ls: BoundaryServer, params: lsp.HoverParams) -> lsp.Hover | None:
    line = params.position.line + 1
    found = [v for v in ls.violations.get(params.text_document.uri, []) if v.line == line]
    if not found:
        return None
    text = "\n\n".join(
        f"**{v.code}** ({v.contract}): " + " -> ".join([v.chain[0].importer, *(h.imported for h in v.chain)])
        for v in found
        if v.chain
    )
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION)
def _actions(ls: BoundaryServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    """``# noqa: BNDxxx`` at the end of the flagged import's line."""
    document = ls.workspace.get_text_document(params.text_document.uri)
    actions = []
    for diagnostic in params.context.diagnostics:
        if diagnostic.source != SOURCE or not diagnostic.code:
            continue
        line = diagnostic.range.start.line
        end = len(document.lines[line].rstrip("\r\n")) if line < len(document.lines) else 0
        edit = lsp.TextEdit(
            range=lsp.Range(lsp.Position(line, end), lsp.Position(line, end)),
            new_text=f"  # noqa: {diagnostic.code}",
        )
        actions.append(
            lsp.CodeAction(
                title=f"Add # noqa: {diagnostic.code}",
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=lsp.WorkspaceEdit(changes={params.text_document.uri: [edit]}),
            )
        )
    return actions


def serve() -> None:
    server.start_io()
