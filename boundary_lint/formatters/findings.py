"""What several formats share: every reported item (violation or error) as one located entry."""

from __future__ import annotations

from dataclasses import dataclass

from boundary_lint.report import Report, Violation


@dataclass(frozen=True)
class Entry:
    path: str
    line: int
    column: int
    code: str
    message: str
    contract: str | None
    violation: Violation | None


def entries(report: Report) -> list[Entry]:
    """Unsuppressed violations and every error, sorted by place then code."""
    found = [
        Entry(v.path, v.line, v.column, v.code, v.message, c.id, v)
        for c in report.contracts
        for v in c.active_violations
    ]
    found.extend(
        Entry(f.path or ".", f.line or 1, 1, f.code, f.message, c.id, None) for c in report.contracts for f in c.findings
    )
    found.extend(
        Entry(e.path or ".", e.line or 1, 1, e.code, e.message, None, None) for e in report.all_errors
    )
    return sorted(found, key=lambda e: (e.path, e.line, e.column, e.code, e.message))


def review_comments(report: Report, *, level_key: bool) -> dict[str, list[dict[str, object]]]:
    """Inline comments keyed by path, as Gerrit's ReviewInput and Zuul's file_comments take
    them: only ``line``, ``message``, ``range`` (and ``level`` for Zuul)."""
    comments: dict[str, list[dict[str, object]]] = {}
    for entry in entries(report):
        comment: dict[str, object] = {
            "line": entry.line,
            "message": f"{entry.code} {entry.message}",
            "range": {
                "start_line": entry.line,
                "start_character": entry.column - 1,
                "end_line": entry.line + 1,
                "end_character": 0,
            },
        }
        if level_key:
            comment["level"] = "error"
        comments.setdefault(entry.path, []).append(comment)
    return comments
