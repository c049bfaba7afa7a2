"""boundary-lint lsp end to end: a small JSON-RPC client over the server's pipes."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

TREES = Path(__file__).parent / "trees"


class Client:
    def __init__(self, root: Path) -> None:
        command = [sys.executable, "-m", "boundary_lint", "lsp"]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=root)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
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


def test_diagnostics_appear_and_disappear_and_exit_is_clean(tmp_path: Path) -> None:
    shutil.copytree(TREES / "explain_diamond", tmp_path, dirs_exist_ok=True)
    source = tmp_path / "ex" / "c.py"
    client = Client(tmp_path)
    try:
        client.send(
            {"id": 1, "method": "initialize", "params": {"rootUri": tmp_path.as_uri(), "capabilities": {}}}
        )
        client.wait(lambda m: m.get("id") == 1)
        client.send({"method": "initialized", "params": {}})
        uri = source.as_uri()
        document = {"uri": uri, "languageId": "python", "version": 1, "text": "import ex.a\n"}
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": document}})
        (found,) = client.diagnostics(uri)
        assert found["code"] == "BND101"
        assert found["range"]["start"] == {"line": 0, "character": 0}
        change = {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "VALUE = 1\n"}]}
        client.send({"method": "textDocument/didChange", "params": change})
        assert client.diagnostics(uri) == []
        client.send({"id": 2, "method": "shutdown"})
        client.wait(lambda m: m.get("id") == 2)
        client.send({"method": "exit"})
        assert client.process.wait(timeout=30) == 0
    finally:
        client.process.kill()


def _start(root: Path) -> Client:
    client = Client(root)
    client.send({"id": 1, "method": "initialize", "params": {"rootUri": root.as_uri(), "capabilities": {}}})
    client.wait(lambda m: m.get("id") == 1)
    client.send({"method": "initialized", "params": {}})
    return client


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
    run = subprocess.run(
        [sys.executable, "-m", "boundary_lint", "check", "--format", "json", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    expected: dict[str, set[tuple[str, int, str]]] = {}
    for contract in json.loads(run.stdout)["contracts"]:
        for v in contract["violations"]:
            if not v["suppressed"] and not v["baselined"]:
                expected.setdefault(v["path"], set()).add((v["code"], v["line"], v["message"]))
    assert expected, "the tree has violations to compare"
    client = _start(tmp_path)
    try:
        for path in sorted(expected):
            uri = (tmp_path / path).as_uri()
            text = (tmp_path / path).read_text()
            document = {"uri": uri, "languageId": "python", "version": 1, "text": text}
            client.send({"method": "textDocument/didOpen", "params": {"textDocument": document}})
            found = {
                (d.get("code"), d["range"]["start"]["line"] + 1, d["message"])
                for d in client.diagnostics(uri)
            }
            assert found == expected[path], path
    finally:
        client.process.kill()
