"""``module:attr`` object references in configuration files: the entry points a build
configuration declares (setup.cfg, pyproject.toml), paste.deploy factories, and values of the
same shape in other INI-style files. Nothing imports these until run time (an installed console
script, stevedore, the API service reading its paste pipeline), so nothing else notices when the
module or attribute they name is moved or deleted.

Read as text, line by line, so that each reference has its line and column; never imported."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

# Build configurations: always read for entry points, also from where the packages live.
BUILD_FILES = ("setup.cfg", "pyproject.toml")
# INI-style files scanned for paste factories and other module:attr values: ``*.ini``,
# ``*.cfg``, ``*.conf``, and those names with a suffix for a variant or a template after them
# (``api-paste.ini.test``, ``trove.conf.sample``).
INI_SUFFIXES = frozenset({"ini", "cfg", "conf"})
VARIANT_SUFFIXES = frozenset(
    {
        "sample",
        "test",
        "example",
        "dist",
        "default",
        "local",
        "in",
        "j2",
        "jinja",
        "jinja2",
        "tmpl",
        "template",
        "tpl",
    }
)

_NAME = r"[A-Za-z_]\w*"
_DOTTED = rf"{_NAME}(?:\.{_NAME})*"
# An object reference as importlib.metadata reads it: ``module:attr.attr`` with optional extras.
_REFERENCE = re.compile(rf"(?P<module>{_DOTTED})(?::\s*(?P<attr>{_DOTTED}))?(?:\s*\[[^\]]*\])?\s*")
# paste.deploy's keys whose value is an object reference, and ``use = call:module:attr``.
_PASTE_KEYS = re.compile(r"paste\.(app|filter|filter_app|composite|server)_factory|paste\.server_runner")
_SECTION = re.compile(r"\[\s*(?P<name>[^\]]+?)\s*\]\s*(?:[#;].*)?")
_TOML_KEY_VALUE = re.compile(
    r"""(?P<key>"[^"]*"|'[^']*'|[\w.-]+)\s*=\s*(?P<quote>["'])(?P<value>[^"']*)(?P=quote)\s*(?:#.*)?"""
)

# setup.cfg's entry-point sections (pbr's and setuptools'), and pyproject's tables.
_CFG_ENTRY_SECTIONS = {"entry_points", "options.entry_points"}
_TOML_ENTRY_TABLES = re.compile(
    r"project\.(scripts|gui-scripts)|project\.entry-points\..+|tool\.poetry\.(scripts|plugins\..+)"
)


@dataclass(frozen=True)
class ObjectReference:
    """``module:attr`` (or a bare ``module``) named in a configuration file."""

    path: Path
    line: int  # 1-based
    column: int  # 1-based, of the module name
    module: str
    attr: str  # "" for a reference to a module itself
    where: str  # what declares it: "console_scripts entry point trove-api =", "use = call:", ...

    @property
    def text(self) -> str:
        return f"{self.module}:{self.attr}" if self.attr else self.module

    @property
    def written(self) -> str:
        """As the file declares it, give or take spaces: ``paste.app_factory = a.b:c``."""
        return f"{self.where}{'' if self.where.endswith(':') else ' '}{self.text}"


def configuration_files(root: Path, build_directories: Iterable[Path]) -> list[Path]:
    """The files to read: the INI-style files among the project's files (as the ``moved``
    contract lists them: tracked by git, else a walk; symbolic links never followed),
    pyproject.toml at the root, and the build configurations next to the packages' source
    roots (which can lie outside the root)."""
    from boundary_lint.graph.repository import list_repository

    found: dict[Path, None] = {}
    for directory in [root, *build_directories]:
        for name in BUILD_FILES:
            candidate = directory / name
            if candidate.is_file():
                found[candidate] = None
    for relative in list_repository(root).paths:
        if is_ini_file(relative.rpartition("/")[2]):
            found[root / relative] = None
    return list(found)


def is_ini_file(name: str) -> bool:
    parts = name.lower().split(".")
    if name.startswith(".") or len(parts) < 2:
        return False
    return parts[-1] in INI_SUFFIXES or (
        len(parts) > 2 and parts[-2] in INI_SUFFIXES and parts[-1] in VARIANT_SUFFIXES
    )


def build_directories(root_packages: Iterable[str], module_files: Mapping[str, Path]) -> list[Path]:
    """Where a project's build configuration can be: the directory holding each root package
    (a module of the project names its file), and its parent when that is a ``src`` layout."""
    directories: dict[Path, None] = {}
    for package in root_packages:
        path = module_files.get(package)
        if path is None:
            continue  # a namespace package: the project root is read anyway
        directory = path.parent.parent if path.name == "__init__.py" else path.parent
        directories[directory] = None
        if directory.name == "src":
            directories[directory.parent] = None
    return list(directories)


def read_references(path: Path, text: str) -> list[ObjectReference]:
    """The object references a file declares: entry points in a build configuration, paste
    factories and other ``dotted.module:attr`` values in INI-style files."""
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        return list(_toml_references(path, text))
    return list(_ini_references(path, text))


def _ini_references(path: Path, text: str) -> Iterator[ObjectReference]:
    section = ""
    key = ""  # the key whose (possibly continued) value a line belongs to
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        indented = line[0].isspace()
        header = _SECTION.fullmatch(stripped) if not indented else None
        if header:
            section, key = header.group("name"), ""
            continue
        offset = len(line) - len(line.lstrip())
        if not indented:
            # ``key = value`` or ``key: value``, split at the first delimiter (as configparser).
            delimiter = min(
                (i for i in (stripped.find("="), stripped.find(":")) if i >= 0), default=len(stripped)
            )
            key, value = stripped[:delimiter].strip(), stripped[delimiter + 1 :]
            value_start = offset + len(stripped) - len(value.lstrip())
            value, in_continuation = value.strip(), False
        else:
            value, value_start, in_continuation = stripped, offset, True
        if section in _CFG_ENTRY_SECTIONS and path.name == "setup.cfg":
            # ``group =`` then one ``name = module:attr`` per continuation line.
            if in_continuation and "=" in value:
                name, _, target = value.partition("=")
                start = value_start + len(value) - len(target.lstrip())
                found = _reference(path, number, start, target.strip(), f"{key} entry point {name.strip()} =")
                if found:
                    yield found
            continue
        if in_continuation and not key:
            continue
        where = f"{key} ="
        if key == "use" and value.startswith("call:"):
            value, value_start = value[len("call:") :], value_start + len("call:")
            where = "use = call:"
        elif not _PASTE_KEYS.fullmatch(key):
            # Any other value counts only in the unambiguous shape ``dotted.module:attr`` (so
            # ``trove:trove`` owners, ``10:30`` times and URLs are not taken for references).
            match = _REFERENCE.fullmatch(value)
            if not match or "." not in match.group("module") or not match.group("attr") or "[" in value:
                continue
        found = _reference(path, number, value_start, value, where)
        if found:
            yield found


def _toml_references(path: Path, text: str) -> Iterator[ObjectReference]:
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            header = _SECTION.fullmatch(stripped)
            table = _unquote_dotted(header.group("name")) if header and not stripped.startswith("[[") else ""
            continue
        if not _TOML_ENTRY_TABLES.fullmatch(table):
            continue
        match = _TOML_KEY_VALUE.fullmatch(stripped)
        if not match:
            continue
        start = len(line) - len(line.lstrip()) + match.start("value")
        name = match.group("key").strip("\"'")
        found = _reference(path, number, start, match.group("value"), f"{_group(table)} entry point {name} =")
        if found:
            yield found


def _unquote_dotted(name: str) -> str:
    """``project.entry-points."a.b"`` -> ``project.entry-points.a.b`` (for matching the table)."""
    return re.sub(r"\s*\.\s*", ".", name).replace('"', "").replace("'", "")


def _group(table: str) -> str:
    for prefix in ("project.entry-points.", "tool.poetry.plugins."):
        if table.startswith(prefix):
            return table[len(prefix) :]
    return "console_scripts" if table in ("project.scripts", "tool.poetry.scripts") else "gui_scripts"


def _reference(path: Path, line: int, start: int, value: str, where: str) -> ObjectReference | None:
    match = _REFERENCE.fullmatch(value)
    if not match:
        return None
    return ObjectReference(path, line, start + 1, match.group("module"), match.group("attr") or "", where)
