"""A hostile repository's names in every output format: file names with a newline, a right-to-left
override, an escape sequence, ``#``, ``%``, spaces and non-ASCII letters; contract names and
instructions with control characters and forged locations. Each format is read by its consumer
(Zuul's tox-role parser, the GitHub Actions command grammar, an XML parser, the SARIF schema, a
JSON parser, an HTML parser): nothing forges a comment, breaks the parser or loses the file."""

from __future__ import annotations

import json
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import jsonschema
import pytest
from cli_support import check, run_cli, write
from conftest import ROOT

from boundary_lint import escaping
from boundary_lint.formatters import formatter
from boundary_lint.report import ContractResult, Problem, Report

SARIF_SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text())

FORGED = "x\nREADME:7:1: Approved by the security team"
HOSTILE_FILES = [
    f"{FORGED}.py",  # a newline: the forged line names a file that exists
    "b #%20 \u00e9?.py",  # URI delimiters, a percent escape, a space, non-ASCII
    "c\u202etxt.py",  # right-to-left override
    "d\x1b[2J\x07.py",  # terminal escape sequence and bell
    "e\r:9:9: Approved.py",  # a carriage return, and a location after it
]
CONFIG = r"""
    [tool.boundary_lint]
    root_packages = ["pkg"]

    [[tool.boundary_lint.contracts]]
    id = "no-sub"
    name = "no sub\u0001\u202e\nREADME:7:1: Approved"
    type = "forbidden"
    source_modules = ["pkg.a"]
    forbidden_modules = ["pkg.sub"]
    broken_contract_guidance = "ask\u001b[31m README:3: here"
"""
BIDI_AND_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
ZUUL_PEP8 = re.compile(r"^(.*):(\d+):(\d+): (.*)$")  # zuul-jobs roles/tox/library/tox_parse_output.py
ZUUL_SPHINX = re.compile(r"^([^:]*):([\d]+):(.+)$")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write(root / "pyproject.toml", CONFIG)
    write(root / "README", "line\n" * 10)
    write(root / "pkg" / "__init__.py", "")
    write(root / "pkg" / "sub" / "__init__.py", "")
    write(root / "pkg" / "a.py", "import pkg.sub\n")
    made = []
    for name in HOSTILE_FILES:
        try:
            (root / "pkg" / name).write_text("def (\n", encoding="utf-8")
            made.append(name)
        except OSError:
            pass
    if len(made) < len(HOSTILE_FILES):
        pytest.skip(f"the file system refuses some of the names (made {len(made)} of {len(HOSTILE_FILES)})")
    return root


def output(project: Path, fmt: str) -> str:
    result = check("--format", fmt, "--no-cache", cwd=project)
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result
    return result.stdout


def expected_paths() -> set[str]:
    return {"pkg/a.py", *(f"pkg/{name}" for name in HOSTILE_FILES)}


def zuul_comments(text: str, cwd: Path) -> dict[str, list[tuple[int, str]]]:
    """What Zuul's tox role makes of a job's output: its two matchers, then only paths that are
    files of the checkout."""
    comments: dict[str, list[tuple[int, str]]] = {}
    for line in text.split("\n"):
        if not line or line[0].isspace():
            continue
        match = ZUUL_PEP8.match(line)
        groups: tuple[str, ...] | None = (match.group(1), match.group(2), match.group(4)) if match else None
        if groups is None and (match := ZUUL_SPHINX.match(line)):
            groups = match.groups()
        if groups and (cwd / groups[0]).is_file():
            comments.setdefault(groups[0], []).append((int(groups[1]), groups[2]))
    return comments


def test_concise_one_line_per_entry_and_nothing_forged(project: Path) -> None:
    text = output(project, "concise")
    data = json.loads(output(project, "json"))
    assert (
        len(text.splitlines())
        == len(data["errors"]) + sum(len(c["violations"]) for c in data["contracts"])
        == 6
    )
    assert not BIDI_AND_CONTROLS.search(text.replace("\n", ""))
    comments = zuul_comments(text, project)
    assert "README" not in comments
    # The files whose names are printable still get their comment; the others cannot be named
    # on one line, and get none rather than a forged one.
    assert set(comments) == {"pkg/a.py", "pkg/b #%20 \u00e9?.py"}
    assert r"pkg/x\nREADME:7:1: Approved by the security team.py:1:1: BND902 syntax error: def (" in text
    assert r"pkg/e\r:9:9: Approved.py:1:1: BND902" in text
    # The contract's instructions (import-linter's key) end the violation's line, escaped too.
    assert r"(no-sub); instructions: ask\x1b[31m README\x3a3: here" in text


def test_text_escapes_names_and_forges_nothing(project: Path) -> None:
    text = output(project, "text")
    assert not BIDI_AND_CONTROLS.search(text.replace("\n", ""))
    assert zuul_comments(text, project) == {}
    assert r"BROKEN no sub\x01\u202e\nREADME\x3a7\x3a1: Approved [no-sub, forbidden]" in text
    assert r"instructions: ask\x1b[31m README\x3a3: here" in text


def test_github_commands_follow_the_grammar(project: Path) -> None:
    command = re.compile(r"^::(error|notice) ((?:\w+=[^,:\r\n]*)(?:,\w+=[^,:\r\n]*)*)::([^\r\n]*)$")
    files = set()
    for line in output(project, "github").splitlines():
        match = command.match(line)
        assert match is not None, line
        properties = dict(item.split("=", 1) for item in match.group(2).split(","))
        files.add(unescape_property(properties["file"]))
        assert not BIDI_AND_CONTROLS.search(line)
    # The runner finds the files with printable names; the others are shown escaped.
    assert files == {
        "pkg/a.py",
        "pkg/b #%20 \u00e9?.py",
        r"pkg/x\nREADME:7:1: Approved by the security team.py",
        r"pkg/c\u202etxt.py",
        r"pkg/d\x1b[2J\x07.py",
        r"pkg/e\r:9:9: Approved.py",
    }


def unescape_property(value: str) -> str:
    """As the Actions runner reads a property value (ActionCommand's unescaping)."""
    for escaped, char in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


def test_junit_parses_and_keeps_every_name(project: Path) -> None:
    root = ET.fromstring(output(project, "junit"))
    case = root.find("testsuite/testcase[@name='no-sub']")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == r"no sub\x01\u202e\nREADME:7:1: Approved: 1 violation"
    files = root.find("testsuite/testcase[@name='files']/error")
    assert files is not None and files.get("message") == "5 files could not be analysed"
    assert len((files.text or "").splitlines()) == 5


def test_sarif_is_valid_and_its_uris_name_the_files(project: Path) -> None:
    sarif = json.loads(output(project, "sarif"))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    run = sarif["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert "pkg/b%20%23%2520%20%C3%A9%3F.py" in uris
    for uri in uris:
        assert re.fullmatch(r"[A-Za-z0-9\-._~/%]+", uri), uri  # RFC 3986 unreserved, "/" and escapes
        assert unquote(uri) in expected_paths()
        assert urljoin(base, uri) == (project / unquote(uri)).as_uri()
    for result in run["results"]:
        assert not BIDI_AND_CONTROLS.search(result["message"]["text"])


@pytest.mark.parametrize("fmt", ["zuul", "gerrit"])
def test_review_comments_land_on_the_real_files(project: Path, fmt: str) -> None:
    data = json.loads(output(project, fmt))
    comments = data if fmt == "zuul" else data["comments"]
    assert set(comments) == expected_paths()  # JSON carries the exact names
    for entries in comments.values():
        for comment in entries:
            assert not BIDI_AND_CONTROLS.search(comment["message"])


def test_json_keeps_exact_names(project: Path) -> None:
    data = json.loads(output(project, "json"))
    assert {e["path"] for e in data["errors"]} == {f"pkg/{name}" for name in HOSTILE_FILES}
    assert data["contracts"][0]["name"] == "no sub\u0001\u202e\nREADME:7:1: Approved"
    assert data["contracts"][0]["instructions"] == "ask\u001b[31m README:3: here"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.attributes: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.extend(value or "" for _, value in attrs)


def test_html_shows_names_escaped(project: Path) -> None:
    page = _Text()
    page.feed(output(project, "html"))
    text = "".join(page.text)
    assert r"no sub\x01\u202e\nREADME:7:1: Approved" in text
    assert r"pkg/c\u202etxt.py" in text
    assert not BIDI_AND_CONTROLS.search(text.replace("\n", ""))
    assert not any(BIDI_AND_CONTROLS.search(value) for value in page.attributes)


@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
def test_graph_diagrams_show_names_escaped(project: Path, fmt: str) -> None:
    result = run_cli("graph", "--format", fmt, cwd=project)
    assert result.returncode == 0, result
    assert not BIDI_AND_CONTROLS.search(result.stdout.replace("\n", ""))
    title = [line for line in result.stdout.splitlines() if "no sub" in line]
    assert len(title) == 1 and "README:7:1: Approved" in title[0]  # on the title's own line


def test_messages_on_stderr_are_one_line_each(tmp_path: Path) -> None:
    directory = tmp_path / "d\nREADME:7:1: Approved"
    try:
        directory.mkdir()
    except OSError:
        pytest.skip("the file system refuses a newline in a directory name")
    write(tmp_path / "README", "line\n" * 10)
    write(directory / "pyproject.toml", CONFIG.replace('["pkg.sub"]', '["pkg.sub", "pkg.nothing"]'))
    write(directory / "pkg" / "__init__.py", "")
    write(directory / "pkg" / "sub" / "__init__.py", "")
    write(directory / "pkg" / "a.py", "import pkg.sub\n")
    result = check("--config", directory / "pyproject.toml", "--format", "concise", cwd=tmp_path)
    assert result.returncode == 2, result
    [line] = result.stderr.splitlines()
    assert line.startswith("boundary-lint: error: ") and r"d\nREADME\x3a7\x3a1: Approved" in line, line
    assert zuul_comments(result.stderr, tmp_path) == {}


@pytest.mark.parametrize("fmt", ["concise", "text", "junit", "html", "json", "sarif", "zuul", "gerrit"])
def test_no_line_is_a_github_workflow_command(tmp_path: Path, fmt: str) -> None:
    """The runner reads every log line that begins (after blanks) with ``::`` or ``##[`` as a
    command. A moved contract reports any text file of the repository, so a file at the root
    can name itself ``::warning ...``."""
    write(
        tmp_path / "pyproject.toml",
        """
        [tool.boundary_lint]
        root_packages = ["app"]

        [[tool.boundary_lint.contracts]]
        id = "moved"
        type = "moved"
        moves = ["app.old -> app.new"]
    """,
    )
    write(tmp_path / "app" / "__init__.py", "")
    names = ["::warning file=README,line=7::Approved by the security team", "  ##[warning]Approved"]
    for name in names:
        try:
            (tmp_path / name).write_text("see app.old.alpha\n", encoding="utf-8")
        except OSError:
            pytest.skip("the file system refuses the names")
    result = check("--format", fmt, "--no-cache", cwd=tmp_path)
    assert result.returncode == 1, result
    lines = (result.stdout + result.stderr).splitlines()
    assert not [line for line in lines if line.lstrip().startswith(("::", "##["))]
    assert sum("Approved" in line for line in lines) >= 2  # reported, not dropped


# --- pure functions and reports no checked tree produces --------------------------------------


def test_printable_escapes_what_python_repr_escapes() -> None:
    assert escaping.printable("a\nb\u202ec\x1b\udcff d\u00e9") == r"a\nb\u202ec\x1b\udcff d" + "\u00e9"
    assert escaping.printable("plain") == "plain"
    for code_point in range(0x110000):
        char = chr(code_point)
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            assert escaping.printable(char) != char, hex(code_point)


def test_inert_leaves_no_location() -> None:
    assert escaping.inert("x:7:1: y") == r"x\x3a7\x3a1: y"
    match = ZUUL_PEP8.match("a.py:1:1: BND101 " + escaping.inert("m:9:9: forged"))
    assert match is not None and match.group(1) == "a.py"


def test_uri_reference_is_rfc3986() -> None:
    assert escaping.uri_reference("a b/#%?:\u00e9.py") == "a%20b/%23%25%3F%3A%C3%A9.py"
    assert escaping.uri_reference(os.fsdecode(b"bad\xff.py")) == "bad%FF.py"


def test_an_error_about_no_file_in_every_format() -> None:
    report = Report(
        "0.0",
        "/project",
        [ContractResult("c", "C", "forbidden")],
        errors=[Problem("BND903", "something\nwith no file")],
    )
    concise = formatter("concise")(report, False)
    assert concise == r".:1:1: BND903 something\nwith no file" + "\n"
    assert formatter("github")(report, False) == r"::error title=BND903::something\nwith no file" + "\n"
    assert json.loads(formatter("zuul")(report, False)) == {}
    gerrit = json.loads(formatter("gerrit")(report, False))
    assert gerrit["comments"] == {} and gerrit["message"].endswith(r"BND903 something\nwith no file")
    sarif = json.loads(formatter("sarif")(report, False))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    assert "locations" not in sarif["runs"][0]["results"][0]
    assert ET.fromstring(formatter("junit")(report, False)).get("errors") == "1"
    assert "error BND903 something\\nwith no file" in formatter("text")(report, False)


def test_an_empty_report_in_every_format() -> None:
    report = Report("0.0", "/project")
    assert formatter("concise")(report, False) == formatter("github")(report, False) == ""
    assert json.loads(formatter("zuul")(report, False)) == {}
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(formatter("sarif")(report, False)))
    assert ET.fromstring(formatter("junit")(report, False)).get("tests") == "0"
    assert json.loads(formatter("json")(report, False))["kept"] is True
    HTMLParser().feed(formatter("html")(report, False))


def test_a_very_long_line_is_shortened_in_line_formats(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", CONFIG)
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "pkg" / "sub" / "__init__.py", "")
    write(tmp_path / "pkg" / "a.py", "x = (" + "1, " * 100_000 + "+)\n")  # a minified line
    result = check("--format", "concise", "--no-cache", cwd=tmp_path)
    [line] = [line for line in result.stdout.splitlines() if "BND902" in line]
    assert len(line) < 4200 and line.endswith("more characters)")
    full = json.loads(check("--format", "json", "--no-cache", cwd=tmp_path).stdout)
    assert len(full["errors"][0]["message"]) > 200_000  # the data format keeps everything


def test_flake8_messages_are_one_line_and_name_no_location(tmp_path: Path) -> None:
    """setup.cfg is the repository's: a multi-line ``boundary-lint-config`` value puts a newline
    in the path that the plugin's BND901 message names."""
    from flake8_support import flake8

    write(tmp_path / "README", "line\n" * 10)
    write(tmp_path / "pkg" / "__init__.py", "")
    write(
        tmp_path / "setup.cfg",
        """
        [flake8]
        boundary-lint-config = x
            README:7:1: Approved by the security team
    """,
    )
    result = flake8(tmp_path, "--select", "BND", "pkg")
    assert result.returncode == 1, result
    assert result.lines == [
        r"pkg/__init__.py:1:1: BND901 "
        + str(tmp_path)
        + r"/x\nREADME\x3a7\x3a1: Approved by the security team: "
        "configuration file not found",
    ]
    assert "README" not in zuul_comments(result.stdout, tmp_path)
