"""Time from a didChange adding (then removing) an illegal import to publishDiagnostics, and
the server's memory over the edits.

    python benchmarks/lsp_latency.py ROOT MODULE_FILE IMPORT_LINE [--rounds N]
    python benchmarks/lsp_latency.py GENERATED_ROOT [--rounds N]

ROOT holds a configuration (boundary-lint.toml / pyproject.toml ...) found as the CLI finds it.
A tree made by ``benchmarks/generate_tree.py`` needs no file or line: the file its
tree-info.json names (a domain module) gets an upward import of the interface layer.

Each round is two edits (add, remove). Prints the median latency of each kind and the server's
resident memory (VmRSS from /proc) after startup and after every tenth edit: a server that keeps
what it no longer needs grows with each edit.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def edit_of(root: Path) -> tuple[Path, str]:
    """The file and illegal import line of a generated tree."""
    info = json.loads((root / "tree-info.json").read_text())
    return Path(info["edit"]["path"]), f"import {info['package']}.interface  # added by lsp_latency.py"


def rss_mib(pid: int, key: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(key)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("file", type=Path, nargs="?")
    parser.add_argument("line", nargs="?")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--config", help="passed to the server as initializationOptions.config")
    args = parser.parse_args()
    root = args.root.resolve()
    file, import_line = (args.file, args.line) if args.file else edit_of(root)
    server = subprocess.Popen(
        [sys.executable, "-m", "boundary_lint", "lsp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=root,
    )

    def send(message: dict[str, Any]) -> None:
        assert server.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def receive() -> dict[str, Any]:
        assert server.stdout is not None
        headers = {}
        while line := server.stdout.readline().strip():
            key, _, value = line.partition(b": ")
            headers[key] = value
        return dict(json.loads(server.stdout.read(int(headers[b"Content-Length"]))))

    def published(uri: str) -> list[Any]:
        """The next diagnostics of ``uri`` (the configuration file's come first, on startup)."""
        while True:
            message = receive()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                return list(message["params"]["diagnostics"])

    started = time.perf_counter()
    options = {"config": args.config} if args.config else None
    send(
        {
            "id": 1,
            "method": "initialize",
            "params": {"rootUri": root.as_uri(), "capabilities": {}, "initializationOptions": options},
        }
    )
    receive()
    send({"method": "initialized", "params": {}})
    path = root / file
    uri, text = path.as_uri(), path.read_text()
    send(
        {
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 0, "text": text}},
        }
    )
    baseline = len(published(uri))
    print(f"startup + first diagnostics: {time.perf_counter() - started:.2f} s ({baseline} diagnostics)")
    print(f"RSS after startup: {rss_mib(server.pid):.0f} MiB")
    timings: dict[str, list[float]] = {"add": [], "remove": []}
    counts: dict[str, set[int]] = {"add": set(), "remove": set()}
    edits = 0
    for round_ in range(args.rounds):
        for kind, new in (("add", import_line + "\n" + text), ("remove", text)):
            change = {
                "textDocument": {"uri": uri, "version": 2 * round_ + (kind == "remove") + 1},
                "contentChanges": [{"text": new}],
            }
            before = time.perf_counter()
            send({"method": "textDocument/didChange", "params": change})
            counts[kind].add(len(published(uri)))
            timings[kind].append(time.perf_counter() - before)
            edits += 1
            if edits % 10 == 0:
                print(f"RSS after {edits} edits: {rss_mib(server.pid):.0f} MiB")
    for kind, values in timings.items():
        print(
            f"{kind}: median {statistics.median(values) * 1000:.0f} ms, "
            f"min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f} over {len(values)} "
            f"(diagnostics: {sorted(counts[kind])})"
        )
    print(f"peak RSS: {rss_mib(server.pid, 'VmHWM'):.0f} MiB")
    server.kill()
    server.wait()


if __name__ == "__main__":
    main()
