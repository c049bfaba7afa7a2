"""``check --new-since REV``: only the violations a change introduces (what the pre-commit hook
``boundary-lint`` reports, so that old violations never block a commit).

A new violation has a changed file on its chain (docs/ci.md says why), so only those are
candidates. The project as it was at the git revision REV is today's import graph in which the
changed files import what they imported at REV, and the files that did not exist at REV import
nothing and are imported by nothing. The changed files are the named paths' project files (pre-commit
names the staged files), or, without paths, the project files ``git diff REV`` lists and the
untracked ones. Today's contracts are checked on that graph, and a violation is new when today
has more violations of its baseline key (contract, code, chain of modules; no line numbers, so
an edit above an old import does not make it new) than REV had.

REV may be ``A...B``: the merge base of A and B, as ``git diff A...B`` compares. Under
``pre-commit run --from-ref A --to-ref B`` (CI, pre-push hooks), the hook's ``HEAD`` means
``A...B``: the command line reads pre-commit's ``PRE_COMMIT_FROM_REF`` / ``PRE_COMMIT_TO_REF``.

Only git is read, with ``git cat-file --batch`` (one process whatever the number of files);
the project is never checked out or imported.
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from boundary_lint.config import Config, ContractSpec
from boundary_lint.engine import CheckOptions, check_graph
from boundary_lint.errors import UserError
from boundary_lint.filters.baseline import Key, key_of
from boundary_lint.filters.paths import concerns, file_key, narrow
from boundary_lint.graph.source import SourceIndex
from boundary_lint.report import Report

if TYPE_CHECKING:  # grimp is imported only when a change is checked: a warm run needs none of it
    from boundary_lint.graph.builder import ProjectGraph


class ChangeError(UserError):
    """git cannot tell what the revision held (not a repository, no such revision, no git)."""


def only_introduced(
    report: Report,
    config: Config,
    project: ProjectGraph,
    contracts: Sequence[ContractSpec],
    options: CheckOptions,
    revision: str,
    changed: Iterable[Path] | None,
) -> Report:
    """``report`` without the violations that were already there at ``revision``. ``changed``:
    the changed files (real paths), or None to ask git which files changed since it."""
    repository = _toplevel(config.root)
    modules_by_file = {file_key(path): module for module, path in project.module_files.items()}
    if "..." in revision:  # A...B: where B left A (their merge base), as git diff A...B
        revision = _merge_base(repository, revision)
    if not _resolves(repository, revision):
        if revision != "HEAD" or _resolves(repository, "HEAD") or not _is_unborn(repository):
            raise ChangeError(f"--new-since {revision}: not a revision of the git repository at {repository}")
        return report  # the first commit: nothing was there before, every violation is new
    files = set(changed) if changed is not None else _changed_since(repository, revision)
    # A new violation has a changed or added file on its chain (docs/ci.md, affected mode):
    # the others are old, and only the contracts of the candidates are checked as they were.
    candidates = {
        id(v) for c in report.contracts for v in c.violations if v.active and concerns(v, config.root, files)
    }
    wanted = {c.id for c in report.contracts if any(id(v) in candidates for v in c.violations)}
    modules = {modules_by_file[f]: f for f in files if f in modules_by_file}
    old_texts = _texts_at(repository, revision, modules.values())
    texts = {module: text for module, file in modules.items() if (text := old_texts[file]) is not None}
    absent = [module for module, file in modules.items() if old_texts[file] is None]
    known: Counter[Key] = Counter()
    if wanted:
        before = _project_at(project, texts, absent)
        sources = SourceIndex()
        for module, text in texts.items():
            sources.add(project.module_files[module], text)
        old = check_graph(config, before, [c for c in contracts if c.id in wanted], options, sources)
        known.update(key_of(v) for c in old.contracts for v in c.violations if v.active)
    now: Counter[Key] = Counter(key_of(v) for c in report.contracts for v in c.violations if v.active)
    return narrow(
        report,
        lambda v: id(v) in candidates and now[key_of(v)] > known[key_of(v)],
        f"already there at {revision}",
        "run without --new-since to see them",
    )


def _project_at(project: ProjectGraph, texts: Mapping[str, str], absent: Sequence[str]) -> ProjectGraph:
    """The graph with the old texts; one that did not parse then imported nothing then."""
    import grimp

    try:
        return project.with_sources(texts, absent)
    except grimp.exceptions.SourceSyntaxError:
        parsed: dict[str, str] = {}
        for module, text in texts.items():
            try:
                project.with_sources({module: text})
            except grimp.exceptions.SourceSyntaxError:
                text = ""
            parsed[module] = text
        return project.with_sources(parsed, absent)


def _git(repository: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(repository), *args], input=stdin, capture_output=True, check=False, timeout=600
        )
    except FileNotFoundError:
        raise ChangeError("--new-since needs git, which is not installed (or not on PATH)") from None


def _toplevel(directory: Path) -> Path:
    result = _git(directory, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise ChangeError(f"--new-since needs a git repository: {directory} is not in one")
    return Path(os.path.realpath(result.stdout.decode("utf-8", "surrogateescape").strip()))


def _resolves(repository: Path, revision: str) -> bool:
    return _git(repository, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").returncode == 0


def _merge_base(repository: Path, revisions: str) -> str:
    first, _, second = revisions.partition("...")
    result = _git(repository, "merge-base", first or "HEAD", second or "HEAD")
    if result.returncode != 0:
        raise ChangeError(f"--new-since {revisions}: no merge base in the git repository at {repository}")
    return result.stdout.decode().strip()


def _is_unborn(repository: Path) -> bool:
    """A repository without any commit yet (``git init``, before the first commit)."""
    return _git(repository, "rev-list", "-n", "1", "--all").stdout.strip() == b""


def _changed_since(repository: Path, revision: str) -> set[Path]:
    diff = _git(repository, "diff", "--name-only", "--no-renames", "-z", revision, "--")
    untracked = _git(repository, "ls-files", "--others", "--exclude-standard", "-z")
    if diff.returncode != 0:
        raise ChangeError(
            f"--new-since {revision}: git diff failed: {diff.stderr.decode(errors='replace').strip()}"
        )
    names = (diff.stdout + untracked.stdout).split(b"\0")
    return {file_key(repository / os.fsdecode(name)) for name in names if name}


def _texts_at(repository: Path, revision: str, files: Iterable[Path]) -> dict[Path, str | None]:
    """Each file's text at the revision, None where it did not exist (or is outside the
    repository, or was not a file)."""
    inside = [f for f in files if f.is_relative_to(repository) and b"\n" not in os.fsencode(f)]
    texts: dict[Path, str | None] = dict.fromkeys(files)
    if not inside:
        return texts
    request = b"".join(
        revision.encode() + b":" + os.fsencode(f.relative_to(repository).as_posix()) + b"\n" for f in inside
    )
    output = _git(repository, "cat-file", "--batch", stdin=request).stdout
    position = 0
    for file in inside:
        end = output.index(b"\n", position)
        header = output[position:end]
        position = end + 1
        if header.endswith((b" missing", b" ambiguous")):
            continue
        _, kind, size = header.rsplit(b" ", 2)
        if kind == b"blob":
            texts[file] = output[position : position + int(size)].decode("utf-8", "replace")
        position += int(size) + 1  # the content, then a newline (a tree where today is a file: skipped)
    return texts
