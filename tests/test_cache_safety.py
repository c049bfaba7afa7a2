"""Caches and written files against a hostile checkout (docs/security.md): a cache file the
repository supplies is never believed, a damaged one costs a rebuild, writes never follow a
link planted in the checkout, and a cached answer is never stale. Through the real console
script and flake8, in subprocesses with time limits.

The project is tests/flake8_support.py's; its report is ``EXPECTED`` (``CLEAN`` in the CLI's
order). A forged cache claims that guest/agent.py imports nothing and that every contract is
kept: believed, it would hide the violations of guest/agent.py."""

from __future__ import annotations

import dataclasses
import json
import marshal
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from cli_support import BOUNDARY_LINT, Result, clean_env, run_cli
from flake8_support import EXPECTED, PYPROJECT_NATIVE, flake8, make_project, write

from boundary_lint.config import load_config
from boundary_lint.engine import CheckOptions, _report_key, check, discover
from boundary_lint.graph.cache import RACY_NS, CacheData, encode_imports, read_cache
from boundary_lint.graph.hashes import content_fingerprint, hash_bytes
from boundary_lint.graph.store import FORMAT, CacheStore, key_path
from boundary_lint.report import FixedEntry
from boundary_lint.report_cache import ReportCache, encode_report

CLEAN = sorted(
    EXPECTED, key=lambda line: (line.split(":")[0], int(line.split(":")[1]), int(line.split(":")[2]), line)
)
HIDDEN = [line for line in CLEAN if not line.startswith("guest/agent.py:")]  # what a believed forgery leaves
CACHE = ".boundary_lint_cache"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    (root / ".git").mkdir()  # a checkout (only its presence is looked at)
    return root


def concise(cwd: Path, *args: str | os.PathLike[str], env: dict[str, str] | None = None) -> Result:
    return run_cli("check", "--format", "concise", *args, cwd=cwd, env=env)


def lines(result: Result) -> list[str]:
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result
    return result.stdout.splitlines()


def settle() -> None:
    """Let the files age past the caches' racy window, so that cached entries are trusted."""
    time.sleep(RACY_NS / 1e9 + 0.2)


def cache_files(directory: Path) -> dict[str, Path]:
    return {
        p.name.split("-")[0]: p for p in directory.iterdir() if p.name.startswith(("imports-", "report-"))
    }


def unsigned(kind: str, body: bytes) -> bytes:
    """A cache file as an attacker can make one: the right header, but no key for the MAC."""
    return f"boundary-lint-cache {FORMAT} {kind} {'0' * 64}\n".encode() + body


def forge(project: Path, directory: Path, names: dict[str, str]) -> None:
    """Write a cache claiming that guest.agent imports nothing and every contract is kept,
    with the real stamps and fingerprint (more than an attacker could know)."""
    config = load_config(project / "pyproject.toml")
    files = discover(config)
    hashes = {m: hash_bytes(Path(f).read_bytes()) for m, f in files.filenames.items()}
    imports: CacheData = {m: (hashes[m], ()) for m in files.filenames}
    report = check(config, CheckOptions(use_cache=False))
    for contract in report.contracts:
        contract.violations = [v for v in contract.violations if v.importer != "guest.agent"]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / names["imports"]).write_bytes(
        unsigned("imports", encode_imports(frozenset(files.filenames), imports))
    )
    (directory / names["report"]).write_bytes(
        unsigned("report", encode_report(files.fingerprint(), content_fingerprint(files, hashes), report))
    )


def real_names(project: Path, tmp_path: Path) -> dict[str, str]:
    """The names this version gives the project's cache files (from a run elsewhere)."""
    elsewhere = tmp_path / "names"
    concise(project, "--cache-dir", elsewhere)
    names = {kind: path.name for kind, path in cache_files(elsewhere).items()}
    shutil.rmtree(elsewhere)
    assert set(names) == {"imports", "report"}, names
    return names


# --- a cache the repository supplies is never read -------------------------------------------


def test_a_forged_cache_in_the_checkout_hides_nothing(project: Path, tmp_path: Path) -> None:
    names = real_names(project, tmp_path)
    settle()
    # What the forgery would do if believed: a directory the user names outside the checkout
    # is read without a MAC (a CI cache restored on a fresh machine).
    outside = tmp_path / "restored-ci-cache"
    forge(project, outside, names)
    assert lines(concise(project, "--cache-dir", outside)) == HIDDEN
    assert lines(concise(project, env=clean_env(BOUNDARY_LINT_CACHE_DIR=str(outside)))) == HIDDEN
    # Committed into the checkout, it is never believed: in the default directory, in one the
    # configuration names, and even in one named explicitly but inside the checkout.
    forge(project, project / CACHE, names)
    forge(project, project / "committed", names)
    assert lines(concise(project)) == CLEAN
    run = flake8(project, "--select", "BND")
    assert run.bnd == EXPECTED, run
    assert lines(concise(project, "--cache-dir", project / "committed")) == CLEAN
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text().replace(
            "[tool.boundary_lint]\n", '[tool.boundary_lint]\ncache_dir = "committed"\n'
        )
    )
    forge(project, project / "committed", names)
    assert lines(concise(project)) == CLEAN
    run = flake8(project, "--select", "BND")
    assert run.bnd == EXPECTED, run


# --- a damaged or hostile cache file costs a rebuild -----------------------------------------


def _self_containing_tuple() -> bytes:
    """marshal: {"modules": T, "imports": {}, "written_ns": 0} where T is a tuple (flagged for
    back-references) whose one item is T itself. Hashing it crashes the interpreter (SIGSEGV):
    what the marshal-based cache of earlier versions did with it."""

    def name(text: str) -> bytes:
        return b"z" + bytes([len(text)]) + text.encode()

    itself = bytes([ord(")") | 0x80, 1]) + b"r" + bytes(4)
    return (
        b"{"
        + name("modules")
        + itself
        + name("imports")
        + b"{0"
        + name("written_ns")
        + b"i"
        + bytes(4)
        + b"0"
    )


WHOLE_FILE = {  # what replaces a whole cache file
    "self-containing-marshal": _self_containing_tuple(),
    "huge-length-claim": b"[\xff\xff\xff\x7f",  # marshal: a list of 2**31 - 1 items, in 5 bytes
    "marshal-inf": marshal.dumps({"modules": (), "imports": {}, "written_ns": float("inf")}),
    "deep-nesting": b"[" * 200_000,
    "empty": b"",
    "not-utf-8": b"\xff\xfe" * 100,
}


@pytest.mark.parametrize("poison", sorted(WHOLE_FILE))
def test_a_poisoned_cache_file_costs_a_rebuild(project: Path, tmp_path: Path, poison: str) -> None:
    """In the default directory (read only if authenticated) and in one the user names outside
    the checkout (read without a MAC: the content itself must be harmless)."""
    outside = tmp_path / "named"
    for args, directory in (((), project / CACHE), (("--cache-dir", outside), outside)):
        assert lines(concise(project, *args)) == CLEAN
        settle()
        for path in cache_files(directory).values():
            path.write_bytes(WHOLE_FILE[poison])
        assert lines(concise(project, *args)) == CLEAN
        for path in cache_files(directory).values():  # rebuilt and authenticated again
            path.write_bytes(unsigned(path.name.split("-")[0], WHOLE_FILE[poison]))
        assert lines(concise(project, *args)) == CLEAN
    run = flake8(project, "--select", "BND")
    assert run.bnd == EXPECTED, run


def _mutations() -> dict[str, tuple[str, object]]:
    """Each a change to one field of a valid cache (kind, change): what the strict parse
    rejects. A change is a function of the decoded JSON object."""

    def setter(key: str, value: object) -> object:
        return lambda data: data.__setitem__(key, value)

    def first(key: str, value: object) -> object:
        return lambda data: data[key].__setitem__(0, value)

    def violation_field(index: int, value: object) -> object:
        def change(data: dict) -> None:
            contract = next(c for c in data["report"][2] if c[3])
            contract[3][0][index] = value

        return change

    return {
        "written-ns-infinity": ("imports", setter("written_ns", float("inf"))),
        "written-ns-nan": ("imports", setter("written_ns", float("nan"))),
        "written-ns-float": ("imports", setter("written_ns", 1e300)),
        "written-ns-negative": ("imports", setter("written_ns", -1)),
        "written-ns-huge": ("imports", setter("written_ns", 2**70)),
        "hash-a-number": ("imports", first("hashes", 1)),
        "hash-a-bool": ("imports", first("hashes", True)),
        "count-negative": ("imports", first("counts", -1)),
        "index-out-of-range": ("imports", first("imported", 10**6)),
        "lazy-not-a-flag": ("imports", first("lazy", 2)),
        "text-not-a-string": ("imports", first("text", ["x"])),
        "module-not-a-string": ("imports", first("files", 7)),
        "columns-of-different-lengths": ("imports", lambda data: data["line"].append(1)),
        "a-column-missing": ("imports", lambda data: data.pop("names")),
        "not-an-object": ("imports", lambda data: data.clear()),
        "report-line-a-string": ("report", violation_field(6, "4")),
        "report-line-a-bool": ("report", violation_field(6, True)),
        "report-line-infinity": ("report", violation_field(6, float("inf"))),
        "report-field-missing": ("report", lambda data: data["report"][2][0].pop()),
        "report-a-violation-too-many": ("report", lambda data: data["report"][2][0][3].append(["x"] * 12)),
        "report-written-ns-nan": ("report", setter("written_ns", float("nan"))),
        "report-not-a-list": ("report", setter("report", {"kept": True})),
        "report-hop-index-out-of-range": ("report", violation_field(8, [10**6])),
        "report-hop-index-negative": ("report", violation_field(8, [-1])),
        "report-hop-not-an-index": ("report", violation_field(8, [["a", "b", "c", 1, [1]]])),
        "report-hops-missing": ("report", lambda data: data.pop("hops")),
        "report-hop-field-missing": ("report", lambda data: data["hops"][0].pop()),
    }


MUTATIONS = _mutations()


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_an_invalid_field_costs_a_rebuild(project: Path, tmp_path: Path, mutation: str) -> None:
    """A cache file that parses but breaks the schema in one field (read without a MAC, from
    a directory the user names) is a miss: the result is the uncached one, never an error."""
    kind, change = MUTATIONS[mutation]
    named = tmp_path / "named"
    assert lines(concise(project, "--cache-dir", named)) == CLEAN
    settle()
    path = cache_files(named)[kind]
    header, _, body = path.read_bytes().partition(b"\n")
    data = json.loads(body)
    change(data)  # type: ignore[operator]
    path.write_bytes(header + b"\n" + json.dumps(data).encode())
    before = path.read_bytes()
    if kind == "imports":  # else the report, made from the same bytes, answers without it
        cache_files(named)["report"].unlink()
    assert lines(concise(project, "--cache-dir", named)) == CLEAN
    assert path.read_bytes() != before  # rewritten
    # The same file, truncated.
    path.write_bytes(before[: len(before) // 2])
    assert lines(concise(project, "--cache-dir", named)) == CLEAN


def test_the_unmodified_cache_is_believed(project: Path, tmp_path: Path) -> None:
    """The control for the two tests above: an untouched file (header, no MAC) from a
    directory the user names is read, so a rejection there is the schema's doing."""
    named = tmp_path / "named"
    concise(project, "--cache-dir", named)
    settle()
    concise(project, "--cache-dir", named)
    path = cache_files(named)["imports"]
    header, _, body = path.read_bytes().partition(b"\n")
    path.write_bytes(unsigned("imports", body))
    contents = read_cache(CacheStore(named, unsigned_ok=True), path.name, 10)
    assert set(contents.imports) == set(discover(load_config(project / "pyproject.toml")).filenames)
    assert read_cache(CacheStore(named), path.name, 10).imports == {}  # the default: a MAC is required


def test_a_cache_file_too_large_is_not_read(project: Path, tmp_path: Path) -> None:
    """A sparse 64 GB file under a cache file's name: refused by its size, before reading."""
    named = tmp_path / "named"
    concise(project, "--cache-dir", named)
    settle()
    for path in cache_files(named).values():
        with open(path, "r+b") as handle:
            handle.truncate(64 * 2**30)
    started = time.monotonic()
    assert lines(concise(project, "--cache-dir", named)) == CLEAN
    assert time.monotonic() - started < 30


def test_other_files_under_a_cache_file_name(project: Path, tmp_path: Path) -> None:
    """A FIFO (must not block the reader), a directory and a link under the cache files' names."""
    named = tmp_path / "named"
    names = real_names(project, tmp_path)
    named.mkdir()
    os.mkfifo(named / names["imports"])
    (named / names["report"]).mkdir()
    result = concise(project, "--cache-dir", named)
    assert lines(result) == CLEAN
    assert (named / names["imports"]).is_file()  # the FIFO was replaced by a cache file
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    shutil.rmtree(named)
    named.mkdir()
    (named / names["imports"]).symlink_to(victim)
    assert lines(concise(project, "--cache-dir", named)) == CLEAN
    assert victim.read_text() == "keep me\n"
    assert not (named / names["imports"]).is_symlink()


# --- writes never follow a link planted in the checkout --------------------------------------


def test_a_symlinked_cache_directory_is_neither_read_nor_written(project: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious").write_text("keep me\n")
    (project / CACHE).symlink_to(victim, target_is_directory=True)
    result = concise(project)
    assert lines(result) == CLEAN
    assert "symbolic link" in result.stderr, result
    run = flake8(project, "--select", "BND")
    assert run.bnd == EXPECTED, run
    assert sorted(p.name for p in victim.iterdir()) == ["precious"]
    # A forged cache behind the link is not read either.
    names = real_names(project, tmp_path)
    settle()
    forge(project, victim, names)
    assert lines(concise(project)) == CLEAN


def test_links_inside_the_cache_directory_are_replaced_not_followed(project: Path, tmp_path: Path) -> None:
    names = real_names(project, tmp_path)
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    cache = project / CACHE
    cache.mkdir()
    for name in (".gitignore", *names.values()):
        (cache / name).symlink_to(victim)
    assert lines(concise(project)) == CLEAN
    assert lines(concise(project)) == CLEAN
    assert victim.read_text() == "keep me\n"
    assert all(not (cache / name).is_symlink() for name in names.values())
    assert (cache / ".gitignore").is_symlink()  # the directory was not made here: left as it is


def test_output_replaces_a_symlink_instead_of_writing_through_it(project: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    for option in ("--output", "--write-baseline"):
        link = project / f"planted{option}.txt"
        link.symlink_to(victim)
        result = concise(project, option, link.name)
        assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result
        assert victim.read_text() == "keep me\n"
        assert not link.is_symlink() and link.stat().st_size > 0
    assert (project / "planted--output.txt").read_text().splitlines() == CLEAN
    # A regular file keeps its permissions; a stream named by the system is written in place.
    existing = project / "report.txt"
    existing.write_text("old\n")
    existing.chmod(0o640)
    concise(project, "--output", existing.name)
    assert existing.read_text().splitlines() == CLEAN and existing.stat().st_mode & 0o777 == 0o640
    assert lines(concise(project, "--output", "/dev/stdout")) == CLEAN


@pytest.mark.parametrize("where", ["a-directory", "missing/report.txt"])
def test_output_that_cannot_be_written_is_one_message(project: Path, where: str) -> None:
    (project / "a-directory").mkdir()
    result = concise(project, "--output", where)
    assert result.returncode == 2 and result.stdout == "", result
    assert result.stderr.startswith(f"boundary-lint: error: {where}: cannot write: "), result
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1, result


# --- a cached answer is never stale ----------------------------------------------------------

STALE_FORMS = {
    # guest/plan.py's text, then files that appear later (none of them exists at first)
    "from-absolute": ("from core.later import VALUE\n", {"core/later.py": "VALUE = 1\n"}),
    "import-absolute": ("import core.later.deep\n", {"core/later/__init__.py": "", "core/later/deep.py": ""}),
    "from-relative": (
        "from .later import VALUE\n",
        {"guest/later.py": "from core import models\n\nVALUE = 1\n"},
    ),
    # core/ns/ has no __init__.py, so nothing below it is a module until it gets one
    "directory-becomes-package": ("import core.ns.absent\n", {"core/ns/__init__.py": ""}),
}


@pytest.mark.parametrize("form", sorted(STALE_FORMS))
def test_a_module_that_appears_later_is_seen_by_the_cached_check(project: Path, form: str) -> None:
    """An unchanged file imports a project module that does not exist yet (grimp drops such
    an import); when the module appears, the cached check reports what --no-cache reports."""
    text, later = STALE_FORMS[form]
    if form == "directory-becomes-package":
        write(project, {"core/ns/more.py": ""})
    write(project, {"guest/plan.py": text})
    with open(project / "pyproject.toml", "a") as config:  # guest.later is not a source here
        config.write(
            '\n[[tool.boundary_lint.contracts]]\nid = "plan"\ntype = "forbidden"\n'
            'source_modules = ["guest.plan"]\nforbidden_modules = ["core"]\n'
        )
    settle()
    first = concise(project)
    assert lines(first) == lines(concise(project, "--no-cache"))
    write(project, later)
    fresh = lines(concise(project, "--no-cache"))
    assert any(line.startswith("guest/plan.py:1:1: BND10") for line in fresh), fresh
    assert lines(concise(project)) == fresh
    run = flake8(project, "--select", "BND")
    assert sorted(run.bnd) == sorted(fresh), run
    settle()
    assert lines(concise(project)) == fresh  # from the import cache, then from the report cache
    assert lines(concise(project)) == fresh


@pytest.mark.slow
def test_concurrent_runs_agree_with_uncached_runs(project: Path, tmp_path: Path) -> None:
    """Two checks at once on the same cache, repeatedly, with edits in between; the first
    round also races to create the user's key (both must end up using the one key)."""
    env = clean_env(XDG_CACHE_HOME=str(tmp_path / "fresh-xdg"))
    plan = project / "guest" / "plan.py"
    for round_number in range(6):
        plan.write_text("from core import models\n" if round_number % 2 else "from shared import util\n")
        expected = lines(concise(project, "--no-cache"))
        processes = [
            subprocess.Popen(
                [BOUNDARY_LINT, "check", "--format", "concise"],
                cwd=project,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
        for process in processes:
            stdout, stderr = process.communicate(timeout=60)
            assert b"Traceback" not in stderr and b"warning" not in stderr, stderr
            assert stdout.decode().splitlines() == expected, round_number
        if round_number == 2:
            settle()  # later rounds find entries old enough to be trusted
    assert sorted(p.name for p in (project / CACHE).iterdir() if p.name.startswith(".tmp")) == []
    assert sorted(p.name for p in (tmp_path / "fresh-xdg" / "boundary-lint").iterdir()) == ["key"]
    settle()
    concise(project, env=env)
    before = {p.name: p.read_bytes() for p in cache_files(project / CACHE).values()}
    assert lines(concise(project, env=env)) == expected  # answered from the caches the key wrote
    assert {p.name: p.read_bytes() for p in cache_files(project / CACHE).values()} == before


# --- the key --------------------------------------------------------------------------------


def test_the_key_is_private_and_a_key_others_can_read_is_not_used(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "xdg"
    env = clean_env(XDG_CACHE_HOME=str(home))
    assert lines(concise(project, env=env)) == CLEAN
    key = home / "boundary-lint" / "key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32
    assert (home / "boundary-lint").stat().st_mode & 0o077 == 0
    shutil.rmtree(project / CACHE)
    key.chmod(0o644)
    result = concise(project, env=env)
    assert lines(result) == CLEAN
    assert "no key to authenticate caches" in result.stderr and str(key) in result.stderr, result
    assert not (project / CACHE).exists()
    # A directory the user names is still used (its files carry no MAC then).
    assert lines(concise(project, "--cache-dir", tmp_path / "named", env=env)) == CLEAN
    assert cache_files(tmp_path / "named")


def test_the_key_path_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert key_path() == tmp_path / "boundary-lint" / "key"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored, as XDG says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert key_path() == tmp_path / "home" / ".cache" / "boundary-lint" / "key"


def test_the_report_codec_keeps_every_field(project: Path) -> None:
    """A report read back from the cache equals the one computed (every field, every type)."""
    config = load_config(project / "pyproject.toml")
    report = check(config, CheckOptions(use_cache=False))
    report.notes.append("a note")
    report.baseline = "baseline.json"
    report.fixed.append(FixedEntry("c", "BND101", ("a", "b"), "baseline.json", 3))
    report.contracts[0].violations[0] = dataclasses.replace(report.contracts[0].violations[0], baselined=True)
    store = CacheStore(project / "codec", unsigned_ok=True)
    reports = ReportCache(store, _report_key(config, CheckOptions()))
    assert reports.store_report("f" * 40, "c" * 40, report) is None
    assert reports.load("f" * 40, 0, 10) == report
    assert reports.load("0" * 40, 0, 10) is None


def test_equal_hops_read_back_are_one_object(project: Path) -> None:
    """Chains that share an import share its hop when read back, as when they were found (a
    report of 31,000 violations has a few thousand distinct hops)."""
    config = load_config(project / "pyproject.toml")
    report = check(config, CheckOptions(use_cache=False))
    violations = report.contracts[0].violations
    assert violations and violations[0].chain
    # The same hop twice over, as two objects: read back, one.
    copy = dataclasses.replace(
        violations[0], chain=tuple(dataclasses.replace(h) for h in violations[0].chain)
    )
    violations.append(copy)
    store = CacheStore(project / "codec", unsigned_ok=True)
    reports = ReportCache(store, _report_key(config, CheckOptions()))
    assert reports.store_report("f" * 40, "c" * 40, report) is None
    loaded = reports.load("f" * 40, 0, 10)
    assert loaded == report
    first, last = loaded.contracts[0].violations[0], loaded.contracts[0].violations[-1]
    assert all(a is b for a, b in zip(first.chain, last.chain, strict=True))
