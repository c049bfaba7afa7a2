"""Time from a didChange adding (then removing) an illegal import to publishDiagnostics.

    python benchmarks/lsp_latency.py ROOT MODULE_FILE IMPORT_LINE [--rounds N]

ROOT holds a configuration (.boundary-lint.toml / pyproject.toml) found as the CLI finds it;
prints the median latency of each kind of change and the server's RSS (from /proc).
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("file", type=Path)
    parser.add_argument("line")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    root = args.root.resolve()
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

    def published() -> list[Any]:
        while (message := receive()).get("method") != "textDocument/publishDiagnostics":
            pass
        return list(message["params"]["diagnostics"])

    started = time.perf_counter()
    send({"id": 1, "method": "initialize", "params": {"rootUri": root.as_uri(), "capabilities": {}}})
    receive()
    send({"method": "initialized", "params": {}})
    path = root / args.file
    uri, text = path.as_uri(), path.read_text()
    send(
        {
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 0, "text": text}},
        }
    )
    published()
    print(f"startup + first diagnostics: {time.perf_counter() - started:.2f} s")
    timings: dict[str, list[float]] = {"add": [], "remove": []}
    for round_ in range(args.rounds):
        for kind, new in (("add", args.line + "\n" + text), ("remove", text)):
            change = {
                "textDocument": {"uri": uri, "version": 2 * round_ + (kind == "remove") + 1},
                "contentChanges": [{"text": new}],
            }
            before = time.perf_counter()
            send({"method": "textDocument/didChange", "params": change})
            count = len(published())
            timings[kind].append(time.perf_counter() - before)
    for kind, values in timings.items():
        print(
            f"{kind}: median {statistics.median(values) * 1000:.0f} ms over {len(values)} (last: {count} diagnostics)"
        )
    rss = next(
        line
        for line in Path(f"/proc/{server.pid}/status").read_text().splitlines()
        if line.startswith("VmRSS")
    )
    print(f"server {rss}")
    server.kill()


if __name__ == "__main__":
    main()
