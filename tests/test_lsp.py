"""boundary-lint lsp end to end: a small JSON-RPC client over the server's pipes."""

from __future__ import annotations

import contextlib
import json
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

TREES = Path(__file__).parent / "trees"


class Client:
    def __init__(self, cwd: Path, arguments: tuple[str, ...] = ()) -> None:
        command = [sys.executable, "-m", "boundary_lint", "lsp", *arguments]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.last_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while True:
            headers = {}
            while line := self.process.stdout.readline().strip():
                key, _, value = line.partition(b": ")
                headers[key] = value
            if not headers:
                return
            self.messages.put(json.loads(self.process.stdout.read(int(headers[b"Content-Length"]))))

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """Send a request and wait for its response; its result."""
        self.last_id += 1
        number = self.last_id
        self.send({"id": number, "method": method, **({"params": params} if params is not None else {})})
        return self.wait(lambda m: m.get("id") == number and "method" not in m).get("result")

    def wait(self, predicate: Any) -> dict[str, Any]:
        while True:
            message = self.messages.get(timeout=30)
            if predicate(message):
                return message

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        message = self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
        )
        return list(message["params"]["diagnostics"])


@contextlib.contextmanager
def _server(
    root: Path,
    capabilities: dict[str, Any] | None = None,
    *,
    arguments: tuple[str, ...] = (),
    options: dict[str, Any] | None = None,
    cwd: Path | None = None,
) -> Iterator[Client]:
    """A started server (initialize, initialized), killed on the way out whatever happened;
    run in ``cwd`` (default: the workspace root) with command-line ``arguments``, sent
    ``options`` as initializationOptions."""
    client = Client(cwd or root, arguments)
    try:
        params = {
            "rootUri": root.as_uri(),
            "capabilities": capabilities or {},
            "initializationOptions": options,
        }
        client.request("initialize", params)
        client.send({"method": "initialized", "params": {}})
        yield client
    finally:
        client.process.kill()


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _open(client: Client, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    source = path.read_text() if text is None else text
    document = {"uri": uri, "languageId": "python", "version": 1, "text": source}
    client.send({"method": "textDocument/didOpen", "params": {"textDocument": document}})
    return uri


def _change(client: Client, uri: str, version: int, text: str) -> None:
    change = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}
    client.send({"method": "textDocument/didChange", "params": change})


def _hover(client: Client, uri: str, line: int, character: int) -> Any:
    position = {"line": line, "character": character}
    return client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})


def _watched(client: Client, path: Path, kind: int = 2) -> None:
    """workspace/didChangeWatchedFiles (1 created, 2 changed, 3 deleted)."""
    changes = [{"uri": path.as_uri(), "type": kind}]
    client.send({"method": "workspace/didChangeWatchedFiles", "params": {"changes": changes}})


def _shut_down(client: Client) -> None:
    client.request("shutdown")
    client.send({"method": "exit"})
    assert client.process.wait(timeout=30) == 0


def test_diagnostics_appear_and_disappear_and_exit_is_clean(tmp_path: Path) -> None:
    shutil.copytree(TREES / "explain_diamond", tmp_path, dirs_exist_ok=True)
    with _server(tmp_path) as client:
        uri = _open(client, tmp_path / "ex" / "c.py", "import ex.a\n")
        (found,) = client.diagnostics(uri)
        assert found["code"] == "BND101"
        assert found["range"]["start"] == {"line": 0, "character": 0}
        _change(client, uri, 2, "VALUE = 1\n")
        assert client.diagnostics(uri) == []
        _shut_down(client)


@pytest.mark.parametrize(
    "tree",
    [
        "diagram_app",
        "diff_closed",  # imports inside function bodies
        "locate_src",
        "moves",
    ],
)
def test_diagnostics_equal_check_json(tree: str, tmp_path: Path) -> None:
    shutil.copytree(TREES / tree, tmp_path, dirs_exist_ok=True)
    expected = _check_json(tmp_path)
    assert expected, "the tree has violations to compare"
    with _server(tmp_path) as client:
        for path in sorted(expected):
            uri = _open(client, tmp_path / path)
            found = {
                (d.get("code"), d["range"]["start"]["line"] + 1, d["message"])
                for d in client.diagnostics(uri)
            }
            assert found == expected[path], path


LAYERED = {
    "pyproject.toml": (
        '[tool.boundary_lint]\nroot_packages = ["app"]\n\n'
        "[[tool.boundary_lint.contracts]]\n"
        'id = "low-not-high"\n'
        'name = "Low does not import high"\n'
        'type = "forbidden"\n'
        'source_modules = ["app.low"]\n'
        'forbidden_modules = ["app.high"]\n'
    ),
    "app/__init__.py": "",
    "app/low.py": "import app.mid\n",
    "app/mid.py": "VALUE = 1\n",
    "app/high.py": "VALUE = 2\n",
    "app/other.py": "VALUE = 3\n",
}


def test_a_change_on_disk_in_the_middle_of_a_chain_updates_the_open_document(tmp_path: Path) -> None:
    root = _tree(tmp_path, LAYERED)
    capabilities = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
    with _server(root, capabilities) as client:
        registration = client.wait(lambda m: m.get("method") == "client/registerCapability")
        (watch,) = registration["params"]["registrations"]
        assert watch["method"] == "workspace/didChangeWatchedFiles"
        assert {"globPattern": "**/*.py"} in watch["registerOptions"]["watchers"]
        client.send({"id": registration["id"], "result": None})
        low = _open(client, root / "app" / "low.py")
        assert client.diagnostics(low) == []
        (root / "app" / "mid.py").write_text("import app.high\n")
        _watched(client, root / "app" / "mid.py")
        (found,) = client.diagnostics(low)
        assert found["code"] == "BND102" and found["range"]["start"]["line"] == 0
        hops = [r["message"] for r in found["relatedInformation"]]
        assert hops == ["app.low -> app.mid", "app.mid -> app.high"]
        assert found["relatedInformation"][1]["location"]["uri"] == (root / "app" / "mid.py").as_uri()
        assert found["codeDescription"]["href"].endswith("#bnd102")
        (root / "app" / "mid.py").write_text("VALUE = 1\n")
        _watched(client, root / "app" / "mid.py")
        assert client.diagnostics(low) == []
        _shut_down(client)


def _check(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``boundary-lint check --no-cache OPTIONS`` run from ``root``, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "boundary_lint", "check", "--no-cache", *options],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _check_json(root: Path) -> dict[str, set[tuple[str, int, str]]]:
    """``check --format json``'s reported violations, per file: (code, line, message)."""
    run = _check(root, "--format", "json")
    found: dict[str, set[tuple[str, int, str]]] = {}
    for contract in json.loads(run.stdout)["contracts"]:
        for v in contract["violations"]:
            if not v["suppressed"] and not v["baselined"]:
                found.setdefault(v["path"], set()).add((v["code"], v["line"], v["message"]))
    return found


def test_unsaved_edits_in_the_middle_of_a_chain_move_another_documents_diagnostics(tmp_path: Path) -> None:
    """The server edits its graph in place: what the searches of the last check fetched from
    it (the adjacency) must follow each edit. Each edit adds or drops a hop of the chain that
    begins in low.py, open beside mid.py; low.py's diagnostics are check's on the same texts."""
    files = {**LAYERED, "app/other.py": "import app.high\n"}
    root = _tree(tmp_path / "served", files)
    edits = [  # mid.py's text, and the chain shown on low.py's import
        ("import app.high\n", ["app.mid -> app.high"]),
        ("import app.other\n", ["app.mid -> app.other", "app.other -> app.high"]),  # longer now
        ("import app.other\nimport app.high\n", ["app.mid -> app.high"]),  # the nearest again
        ("VALUE = 1\n", None),  # no chain
    ]
    with _server(root) as client:
        low = _open(client, root / "app" / "low.py")
        assert client.diagnostics(low) == []
        mid = _open(client, root / "app" / "mid.py")
        assert client.diagnostics(low) == client.diagnostics(mid) == []  # every open document's
        for version, (text, chain) in enumerate(edits, start=2):
            _change(client, mid, version, text)
            found = client.diagnostics(low)
            client.diagnostics(mid)
            written = _tree(tmp_path / f"edit{version}", {**files, "app/mid.py": text})
            expected = _check_json(written).get("app/low.py", set())
            assert {(d.get("code"), d["range"]["start"]["line"] + 1, d["message"]) for d in found} == expected
            hops = [[r["message"] for r in d["relatedInformation"]] for d in found]
            assert hops == ([["app.low -> app.mid", *chain]] if chain else []), text
        _shut_down(client)


def test_rapid_changes_are_checked_once_and_close_clears(tmp_path: Path) -> None:
    root = _tree(tmp_path, LAYERED)
    with _server(root) as client:
        low = _open(client, root / "app" / "low.py")
        assert client.diagnostics(low) == []
        for version, text in enumerate(["import app.h", "import app.hi", "import app.high\n"], start=2):
            _change(client, low, version, text)
        # Debounced: one publication, for the last text (a check per keystroke would publish
        # for "import app.h" first, with no diagnostics).
        (found,) = client.diagnostics(low)
        assert found["code"] == "BND101"
        hover = _hover(client, low, 0, 3)["contents"]["value"]
        assert "Low does not import high" in hover and "app.low\n-> app.high" in hover
        client.send({"method": "textDocument/didClose", "params": {"textDocument": {"uri": low}}})
        assert client.diagnostics(low) == []
        _shut_down(client)


def test_a_text_that_does_not_parse_is_said_and_the_graph_kept(tmp_path: Path) -> None:
    root = _tree(tmp_path, LAYERED)
    with _server(root) as client:
        low = _open(client, root / "app" / "low.py", "import app.high\n")
        assert [d["code"] for d in client.diagnostics(low)] == ["BND101"]
        _change(client, low, 2, "import app.high\nimport (\n")
        # Said on the document, with the violations of the last text that parsed.
        problem, kept = client.diagnostics(low)
        assert problem["message"].startswith("cannot parse") and "code" not in problem
        assert problem["range"]["start"]["line"] == 1 and kept["code"] == "BND101"
        _change(client, low, 3, "VALUE = 1\n")
        assert client.diagnostics(low) == []
        _shut_down(client)


def test_code_actions_noqa_ignore_imports_and_open_the_contract(tmp_path: Path) -> None:
    root = _tree(tmp_path, LAYERED)
    config = root / "pyproject.toml"
    with _server(root, {"window": {"showDocument": {"support": True}}}) as client:
        low = _open(client, root / "app" / "low.py", "import app.high\n")
        (diagnostic,) = client.diagnostics(low)
        context = {"diagnostics": [diagnostic]}
        params = {"textDocument": {"uri": low}, "range": diagnostic["range"], "context": context}
        noqa, ignore, show = client.request("textDocument/codeAction", params)
        (edit,) = noqa["edit"]["changes"][low]
        assert edit["newText"] == "  # noqa: BND101" and edit["range"]["start"] == {
            "line": 0,
            "character": 15,
        }
        (whole,) = ignore["edit"]["changes"][config.as_uri()]
        assert whole["range"]["start"] == {"line": 0, "character": 0}
        config.write_text(whole["newText"])
        (root / "app" / "low.py").write_text("import app.high\n")
        kept = _check(root, "--format", "concise")
        assert kept.returncode == 0, kept.stdout + kept.stderr
        assert 'ignore_imports = ["app.low -> app.high"]' in config.read_text()
        command = show["command"]
        arguments = {"command": command["command"], "arguments": command["arguments"]}
        client.send({"id": 1000, "method": "workspace/executeCommand", "params": arguments})
        shown = client.wait(lambda m: m.get("method") == "window/showDocument")
        assert shown["params"]["uri"] == config.as_uri()
        assert shown["params"]["selection"]["start"]["line"] == 4  # the id line (5th)
        client.send({"id": shown["id"], "result": {"success": True}})
        # The configuration changed on disk: the contract is kept with its new ignore_imports.
        _watched(client, config)
        assert client.diagnostics(low) == []
        _shut_down(client)


def test_a_broken_configuration_is_a_diagnostic_not_a_dead_server(tmp_path: Path) -> None:
    files = dict(LAYERED)
    files["pyproject.toml"] = LAYERED["pyproject.toml"].replace('type = "forbidden"', 'type = "forbiden"')
    root = _tree(tmp_path, files)
    config = root / "pyproject.toml"
    with _server(root) as client:
        (problem,) = client.diagnostics(config.as_uri())
        assert "forbiden" in problem["message"]
        low = _open(client, root / "app" / "low.py", "import app.high\n")
        assert _hover(client, low, 0, 0) is None  # alive, nothing known
        config.write_text(LAYERED["pyproject.toml"])
        _watched(client, config)
        assert client.diagnostics(config.as_uri()) == []
        (found,) = client.diagnostics(low)
        assert found["code"] == "BND101"
        _shut_down(client)


STRICT = {  # beside LAYERED's pyproject.toml, which discovery finds: only a named one is used
    "strict.toml": (
        'root_packages = ["app"]\n\n'
        "[[contracts]]\n"
        'id = "low-not-mid"\n'
        'name = "Low does not import mid"\n'
        'type = "forbidden"\n'
        'source_modules = ["app.low"]\n'
        'forbidden_modules = ["app.mid"]\n'
    ),
}


def test_discovery_finds_pyproject_when_no_configuration_is_named(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**LAYERED, **STRICT})
    with _server(root) as client:
        low = _open(client, root / "app" / "low.py", "import app.mid\nimport app.high\n")
        (found,) = client.diagnostics(low)
        assert found["data"]["contract"] == "low-not-high"
        _shut_down(client)


@pytest.mark.parametrize("how", ["--config", "initializationOptions"])
def test_a_named_configuration_replaces_discovery(how: str, tmp_path: Path) -> None:
    """--config is relative to the server's working directory (as for ``check``),
    initializationOptions.config to the workspace root: here they differ."""
    root = _tree(tmp_path / "project", {**LAYERED, **STRICT})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    flag = ("--config", "../project/strict.toml") if how == "--config" else ()
    options = {"config": "strict.toml"} if how == "initializationOptions" else None
    with _server(root, cwd=elsewhere, arguments=flag, options=options) as client:
        low = _open(client, root / "app" / "low.py", "import app.mid\nimport app.high\n")
        (found,) = client.diagnostics(low)
        assert found["data"]["contract"] == "low-not-mid"
        assert found["range"]["start"]["line"] == 0
        _shut_down(client)


def test_a_broken_named_configuration_is_a_diagnostic_until_it_is_fixed(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**LAYERED, "strict.toml": "root_packages = [\n"})
    named = root / "strict.toml"
    with _server(root, arguments=("--config", "strict.toml")) as client:
        (problem,) = client.diagnostics(named.as_uri())
        assert "invalid TOML" in problem["message"]
        low = _open(client, root / "app" / "low.py")
        assert _hover(client, low, 0, 0) is None  # alive; not checked by pyproject.toml either
        named.write_text(STRICT["strict.toml"])
        _watched(client, named)  # not a name discovery looks for: known as the named file
        assert client.diagnostics(named.as_uri()) == []
        (found,) = client.diagnostics(low)
        assert found["data"]["contract"] == "low-not-mid"
        _shut_down(client)


def test_a_missing_named_configuration_is_said_on_its_path(tmp_path: Path) -> None:
    root = _tree(tmp_path, LAYERED)
    with _server(root, options={"config": "missing.toml"}) as client:
        (problem,) = client.diagnostics((root / "missing.toml").as_uri())
        assert "not found" in problem["message"]
        _shut_down(client)
