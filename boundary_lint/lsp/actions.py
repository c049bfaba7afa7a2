"""The language server's code actions and hover text, from a diagnostic it published."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from boundary_lint import api


def noqa_action(document: Any, diagnostic: lsp.Diagnostic) -> lsp.CodeAction:
    """``# noqa: BNDxxx`` at the end of the flagged import's line."""
    line = diagnostic.range.start.line
    end = len(document.lines[line].rstrip("\r\n")) if line < len(document.lines) else 0
    position = lsp.Position(line, end)
    edit = lsp.TextEdit(range=lsp.Range(position, position), new_text=f"  # noqa: {diagnostic.code}")
    return lsp.CodeAction(
        title=f"Add # noqa: {diagnostic.code}",
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=lsp.WorkspaceEdit(changes={document.uri: [edit]}),
    )


def contract_actions(
    config_path: Path, config_text: str | None, diagnostic: lsp.Diagnostic, show_command: str
) -> list[lsp.CodeAction]:
    """Add the flagged import to the contract's ``ignore_imports`` (a whole-file edit of the
    configuration, offered only when it reads back as intended), and open the contract."""
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    contract, importer, imported = data.get("contract"), data.get("importer"), data.get("imported")
    if not (isinstance(contract, str) and config_text is not None):
        return []
    found = []
    entry = f"{importer} -> {imported}"
    edited = api.with_ignored_import(config_path, config_text, contract, entry)
    if edited is not None:
        whole = lsp.Range(lsp.Position(0, 0), _end(config_text))
        found.append(
            lsp.CodeAction(
                title=f"Ignore {entry} in contract {contract} (ignore_imports)",
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=lsp.WorkspaceEdit(
                    changes={config_path.as_uri(): [lsp.TextEdit(range=whole, new_text=edited)]}
                ),
            )
        )
    line = api.contract_line(config_text, contract)
    if line is not None:
        command = lsp.Command(
            title=f"Open contract {contract}", command=show_command, arguments=[config_path.as_uri(), line]
        )
        found.append(
            lsp.CodeAction(title=f"Open contract {contract}", kind=lsp.CodeActionKind.Empty, command=command)
        )
    return found


def _end(text: str) -> lsp.Position:
    """Where the text ends, in the UTF-16 code units LSP positions count by default."""
    lines = text.split("\n")
    return lsp.Position(len(lines) - 1, len(lines[-1].encode("utf-16-le")) // 2)


def hover_text(violation: api.Violation, contract_name: str) -> str:
    """The code, the contract's name, and the whole chain one hop a line."""
    hops = (
        [violation.chain[0].importer, *(hop.imported for hop in violation.chain)] if violation.chain else []
    )
    chain = "```\n" + "\n-> ".join(hops) + "\n```" if hops else ""
    return f"**{violation.code}** {contract_name} (`{violation.contract}`)\n\n{chain}".rstrip()
