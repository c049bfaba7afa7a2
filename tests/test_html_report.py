"""``check --format html``: a self-contained page, rendered by a real headless browser (Debian's
chromium): the screenshot is a page with red on it, and the rendered DOM lists every violation
of the report, hop by hop, as the JSON output of the same check has them."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from cli_support import copy_tree, run_cli, shop_project
from system_tools import require_tool

WIDTH, HEIGHT = 1280, 2000


def chromium() -> str:
    return require_tool("chromium", "chromium-browser", package="chromium")


def run_browser(page: Path, profile: Path, *arguments: str) -> bytes:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--user-data-dir={profile}",
        "--hide-scrollbars",
        *arguments,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced PNG: the format
    chromium writes. Checks the signature and every chunk's CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, header = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        position += 12 + length
    width, height, depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0) and color_type in (2, 6), (depth, color_type, interlace)
    channels = 3 if color_type == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                near = min(
                    (abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner)
                )
                line[i] = (line[i] + near[2]) & 255
        rows.append(bytes(line) if channels == 3 else bytes(b for j, b in enumerate(line) if j % 4 != 3))
        previous = line
    return width, height, rows


class ViolationRows(HTMLParser):
    """Each ``tr.violation`` of the page as (code, where, [chain items]), by their visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str, list[str]]] = []
        self._cells: list[str] | None = None
        self._items: list[str] = []
        self._text: list[str] | None = None
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "tr" and "violation" in classes:
            self._cells, self._items = [], []
        elif self._cells is not None and tag == "td":
            self._text = []
        elif self._cells is not None and tag == "li":
            self._item = []
        elif self._text is not None and tag == "span" and "tag" in classes:
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._cells is None:
            return
        if tag == "li" and self._item is not None:
            self._items.append(" ".join("".join(self._item).split()))
            self._item = None
        elif tag == "td" and self._text is not None:
            self._cells.append(" ".join("".join(self._text).split()))
            self._text = None
        elif tag == "tr":
            self.rows.append((self._cells[0], self._cells[1], self._items))
            self._cells = None

    def handle_data(self, data: str) -> None:
        for sink in (self._text, self._item):
            if sink is not None:
                sink.append(data)


def expected_rows(report: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """The rows in the page's order: each contract's violations under their root causes (the
    JSON's ``root_causes``, in order), then those on no import, then the suppressed or baselined."""
    rows = []
    for contract in report["contracts"]:
        violations = contract["violations"]
        active = [not v["suppressed"] and not v["baselined"] for v in violations]
        order = [i for cause in contract["root_causes"] for i in cause["violations"]]
        order += [i for i, v in enumerate(violations) if active[i] and not v["chain"]]
        order += [i for i in range(len(violations)) if not active[i]]
        assert sorted(order) == list(range(len(violations))), "every violation once"
        for v in (violations[i] for i in order):
            code = (
                v["code"]
                + (" noqa" if v["suppressed"] else "")
                + (" baseline" if v["baselined"] and not v["suppressed"] else "")
            )
            hops = [
                f"{h['importer']} \u2192 {h['imported']} {h['path']}:"
                + (str(h["line"]) if number == 0 else ", ".join(map(str, h["lines"])))
                for number, h in enumerate(v["chain"])
            ]
            rows.append((code, f"{v['path']}:{v['line']}:{v['column']}", hops))
    return rows


def html_and_json(project: Path, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    page = tmp_path / "report.html"
    result = run_cli("check", "--format", "html", "--output", page, cwd=project)
    assert result.returncode == 1 and result.stdout == "", result
    report = json.loads(run_cli("check", "--format", "json", cwd=project).stdout)
    return page, report


@pytest.fixture
def app(tmp_path: Path) -> Path:
    return copy_tree("diagram_app", tmp_path / "app")


def test_the_page_needs_nothing_from_outside(app: Path, tmp_path: Path) -> None:
    page, report = html_and_json(app, tmp_path)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<style>" in text
    assert text.count("<svg") == 5  # one diagram per contract
    assert not re.search(r"<script|<link|<img|@import|@font-face|src=|//", text.replace("</", "")), (
        "external reference"
    )
    assert set(re.findall(r'href="([^"]*)"', text)) == {f"#contract-{n}" for n in range(5)}
    references = set(re.findall(r"url\(#([^)]*)\)", text))
    ids = re.findall(r'id="([^"]+)"', text)
    assert references and references <= set(ids) and len(ids) == len(set(ids))  # arrow heads, per diagram
    assert report["summary"]["violations"] == 12


def test_the_browser_renders_the_report_with_every_violation(app: Path, tmp_path: Path) -> None:
    page, report = html_and_json(app, tmp_path)
    shot = tmp_path / "report.png"
    run_browser(page, tmp_path / "profile", f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}")
    width, height, rows = decode_png(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    pixels = [row[i : i + 3] for row in rows[::4] for i in range(0, len(row), 12)]
    assert len(set(pixels)) > 50, "a blank page"
    dark = sum(1 for p in pixels if max(p) < 100)
    red = sum(1 for p in pixels if p[0] > 150 and p[1] < 90 and p[2] < 90)
    assert dark > 500 and red > 100, (dark, red)

    dom = run_browser(page, tmp_path / "profile", "--dump-dom").decode("utf-8")
    parser = ViolationRows()
    parser.feed(dom)
    assert parser.rows == expected_rows(report)
    assert len(parser.rows) == 12


def test_suppressed_violations_are_listed_and_marked(tmp_path: Path) -> None:
    """The shop tree has a violation suppressed by noqa: the page lists it, marked, and the
    rendered DOM still matches the JSON report row for row."""
    project = shop_project(tmp_path / "shop")
    page, report = html_and_json(project, tmp_path)
    dom = run_browser(page, tmp_path / "profile", "--dump-dom").decode("utf-8")
    parser = ViolationRows()
    parser.feed(dom)
    assert parser.rows == expected_rows(report)
    assert (
        "BND101 noqa",
        "shop/api/views.py:4:1",
        ["shop.api.views \u2192 shop.db.session shop/api/views.py:4"],
    ) in parser.rows


def test_names_are_escaped(tmp_path: Path) -> None:
    project = shop_project(tmp_path / "shop")
    config = (
        (project / "pyproject.toml")
        .read_text()
        .replace('name = "The API never touches the database"', 'name = "API <b>never</b> & \\"db\\""')
    )
    (project / "pyproject.toml").write_text(config)
    page, _ = html_and_json(project, tmp_path)
    text = page.read_text(encoding="utf-8")
    assert "<b>never" not in text and "API &lt;b&gt;never&lt;/b&gt; &amp; &quot;db&quot;" in text
