"""What several formats share: every reported item (violation or error) as one located entry."""

from __future__ import annotations

from dataclasses import dataclass

from boundary_lint.codes import FIXED_BASELINE_ENTRY
from boundary_lint.escaping import inert, line_head, printable
from boundary_lint.report import FixedEntry, Report, Violation

# Gerrit refuses a whole review when one comment is longer than change.commentSizeLimit (16 KB
# by default); a message this long is a hostile or minified line, not a chain anyone will read.
MESSAGE_LIMIT = 4000


@dataclass(frozen=True)
class Entry:
    path: str | None  # None: an error about no file in particular
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
        Entry(f.path or None, f.line or 1, 1, f.code, f.message, c.id, None)
        for c in report.contracts
        for f in c.findings
    )
    found.extend(
        Entry(e.path or None, e.line or 1, 1, e.code, e.message, None, None) for e in report.all_errors
    )
    return sorted(found, key=lambda e: (e.path or "", e.line, e.column, e.code, e.message))


def fixed_notes(report: Report) -> list[FixedEntry]:
    """Fixed baseline entries that are not already reported as errors (they are, with
    ``--strict-baseline``): for the formats that have a level below error."""
    if any(e.code == FIXED_BASELINE_ENTRY for e in report.errors):
        return []
    return list(report.fixed)


def shortened(message: str) -> str:
    """At most MESSAGE_LIMIT characters, saying how many were left out."""
    if len(message) <= MESSAGE_LIMIT:
        return message
    return f"{message[:MESSAGE_LIMIT]}... ({len(message) - MESSAGE_LIMIT} more characters)"


def review_comments(report: Report, *, level_key: bool) -> dict[str, list[dict[str, object]]]:
    """Inline comments keyed by path, as Gerrit's ReviewInput and Zuul's file_comments take
    them: only ``line``, ``message``, ``range`` (and ``level`` for Zuul). The path is the file's
    own (JSON escapes it), so that the comment lands on it; errors about no file have no place
    here (the vote and the summary carry them)."""
    comments: dict[str, list[dict[str, object]]] = {}
    for entry in entries(report):
        if entry.path is None:
            continue
        comment: dict[str, object] = {
            "line": entry.line,
            "message": printable(shortened(f"{entry.code} {entry.message}")),
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


def summary_line(report: Report) -> str:
    s = report.summary()
    kept = s["contracts"] - s["broken"]
    errors = len(report.all_errors)
    known = f", {s['baselined']} in baseline" if s["baselined"] else ""
    fixed = f"; {len(report.fixed)} baseline entries fixed" if report.fixed else ""
    return (
        f"{plural(s['contracts'], 'contract')}: {kept} kept, {s['broken']} broken; "
        f"{plural(s['violations'], 'violation')} ({s['suppressed']} suppressed{known}); "
        f"{plural(errors, 'error')}{fixed}"
    )


def plural(number: int, noun: str, nouns: str | None = None) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {nouns or noun + 's'}"


NO_FILE = "."  # where an error about no file in particular is reported


def line(e: Entry) -> str:
    return f"{line_head(e.path or NO_FILE)}:{e.line}:{e.column}: {e.code} {inert(shortened(e.message))}"
