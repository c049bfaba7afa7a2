"""Edits to a configuration file's text that keep the rest of it as written (comments, order,
layout): the language server's "ignore this import" action.

The edit is made on the text and then checked by reading the result back: an edit that would
not give the contract the new ``ignore_imports`` entry (a layout this module does not know, a
contract numbered by its position rather than given an id) is never offered."""

from __future__ import annotations

import re
from pathlib import Path

from boundary_lint.config.errors import ConfigError
from boundary_lint.config.sources import RawConfig, contract_line_in, read_ini, read_toml

_HEADER = re.compile(r"^\s*\[")
_INI_IGNORE = re.compile(r"^ignore_imports\s*[=:]")
_TOML_IGNORE = re.compile(r"^\s*ignore_imports\s*=\s*\[")
_CONTINUATION = re.compile(r"^[ \t]+\S")


def with_ignored_import(path: Path, text: str, contract_id: str, entry: str) -> str | None:
    """``text`` of the configuration file ``path`` with ``entry`` ("importer -> imported")
    added to the contract's ``ignore_imports``, or None if that cannot be done safely."""
    line = contract_line_in(text, contract_id)
    if line is None:
        return None
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    is_toml = path.suffix == ".toml"
    edited = (_toml_edit if is_toml else _ini_edit)(lines, line - 1, entry)
    if edited is None:
        return None
    new_text = "".join(edited)
    return new_text if entry in _ignored_imports(path, new_text, contract_id, is_toml) else None


def _ini_edit(lines: list[str], section: int, entry: str) -> list[str] | None:
    """Below the section header at ``section``: after the key's last value line, or a new key
    after the section's last line that is not blank."""
    end = next((i for i in range(section + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
    key = next((i for i in range(section + 1, end) if _INI_IGNORE.match(lines[i])), None)
    if key is not None:
        last = key
        while last + 1 < end and _CONTINUATION.match(lines[last + 1]):
            last += 1
        return [*lines[: last + 1], f"    {entry}\n", *lines[last + 1 :]]
    last = max((i for i in range(section, end) if lines[i].strip()), default=section)
    return [*lines[: last + 1], f"ignore_imports =\n    {entry}\n", *lines[last + 1 :]]


def _toml_edit(lines: list[str], id_line: int, entry: str) -> list[str] | None:
    """In the table holding ``id = ...`` at ``id_line``: into its ``ignore_imports`` array (on
    one line or several), or a new key below the id."""
    start = next((i for i in range(id_line, -1, -1) if _HEADER.match(lines[i])), 0)
    end = next((i for i in range(id_line + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
    quoted = _toml_string(entry)
    key = next((i for i in range(start, end) if _TOML_IGNORE.match(lines[i])), None)
    if key is None:
        return [*lines[: id_line + 1], f"ignore_imports = [{quoted}]\n", *lines[id_line + 1 :]]
    code = lines[key].split("#", 1)[0].rstrip()
    if code.endswith("]"):  # one line: ignore_imports = ["a -> b"]
        inside = code[code.index("[") + 1 : -1].strip().rstrip(",")
        new = code[: code.index("[") + 1] + (f"{inside}, {quoted}" if inside else quoted) + "]\n"
        return [*lines[:key], new, *lines[key + 1 :]]
    close = next((i for i in range(key + 1, end) if lines[i].split("#", 1)[0].strip().startswith("]")), None)
    if close is None:
        return None
    lines = list(lines)
    previous = lines[close - 1].split("#", 1)[0].rstrip()
    if close - 1 > key and previous.strip() and not previous.endswith(","):  # the last item
        lines[close - 1] = _with_comma(lines[close - 1].rstrip("\n")) + "\n"
    return [*lines[:close], f"    {quoted},\n", *lines[close:]]


def _with_comma(line: str) -> str:
    code, hash_, comment = line.partition("#")
    return code.rstrip() + "," + (f"  {hash_}{comment}" if hash_ else "")


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ignored_imports(path: Path, text: str, contract_id: str, is_toml: bool) -> list[str]:
    """The contract's ``ignore_imports`` as the configuration reader reads ``text``."""
    try:
        raw: RawConfig | None = read_toml(path, text) if is_toml else read_ini(path, text)
    except ConfigError:
        return []
    for contract in raw.contracts if raw else []:
        if contract.get("id") == contract_id:
            value = contract.get("ignore_imports", [])
            return [value] if isinstance(value, str) else [str(v) for v in value]
    return []
