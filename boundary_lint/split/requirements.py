"""The project's own requirement lines, and which of them a set of imported top-level names
needs: for ``closure --format requirements`` (the blueprint's simpler guest installation).

Import names are mapped to distributions through the installed packages' metadata where it is
available (``importlib.metadata.packages_distributions()``: the ``top_level.txt`` and ``RECORD``
files of the environment boundary-lint runs in; nothing is imported), else by a documented
fallback: the normalised names equal, ``python-`` + the name, or a small table of well-known
mismatches. Nothing is ever dropped: names that map to no requirement line are returned too."""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# Import names whose distribution's name is not the import name, nor "python-" + it.
KNOWN_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "yaml": ("PyYAML",),
    "dateutil": ("python-dateutil",),
    "jwt": ("PyJWT",),
    "OpenSSL": ("pyOpenSSL",),
    "Crypto": ("pycryptodome", "pycrypto"),
    "MySQLdb": ("mysqlclient",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "bs4": ("beautifulsoup4",),
    "PIL": ("Pillow",),
    "sklearn": ("scikit-learn",),
    "cv2": ("opencv-python", "opencv-python-headless"),
    "dns": ("dnspython",),
    "git": ("GitPython",),
    "zmq": ("pyzmq",),
    "serial": ("pyserial",),
    "usb": ("pyusb",),
    "memcache": ("python-memcached",),
    "attr": ("attrs",),
    "pkg_resources": ("setuptools",),
    "google": ("protobuf",),
    "paste": ("Paste", "PasteDeploy"),
    "magic": ("python-magic",),
    "ldap": ("python-ldap",),
    "Levenshtein": ("python-Levenshtein",),
    "slugify": ("python-slugify",),
    "docx": ("python-docx",),
    "jose": ("python-jose",),
    "multipart": ("python-multipart",),
}

_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_EGG = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^\.{0,2}/")


def normalise(name: str) -> str:
    """A distribution name as packaging compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class RequirementLine:
    name: str  # the distribution, as written
    text: str  # the whole line, specifiers, markers and comment included
    source: str  # the file it comes from (and its key, for setup.cfg / pyproject.toml)


@dataclass
class Needed:
    """What a set of import names needs, out of the project's requirements."""

    lines: list[RequirementLine] = field(default_factory=list)
    # import name -> installed distributions, for names the project does not require itself
    unlisted: dict[str, list[str]] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)  # no distribution found at all


def project_requirements(directories: Iterable[Path]) -> tuple[list[RequirementLine], list[str]]:
    """The requirement lines of ``requirements.txt`` (and the files it includes with ``-r``),
    setup.cfg's ``[options] install_requires`` and pyproject.toml's ``[project] dependencies``
    in each directory, first occurrence of a distribution kept; and problems met reading them."""
    found: dict[str, RequirementLine] = {}
    problems: list[str] = []
    for directory in dict.fromkeys(directories):
        for reader in (_requirements_txt, _setup_cfg, _pyproject):
            try:
                lines = reader(directory)
            except (OSError, UnicodeDecodeError, configparser.Error, tomllib.TOMLDecodeError) as error:
                problems.append(f"{directory}: {error}")
                continue
            for line in lines:
                found.setdefault(normalise(line.name), line)
    return list(found.values()), problems


def _requirements_txt(
    directory: Path, name: str = "requirements.txt", seen: frozenset[Path] = frozenset()
) -> list[RequirementLine]:
    path = directory / name
    if not path.is_file() or path.resolve() in seen:
        return []
    found: list[RequirementLine] = []
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        text = raw.strip()
        if text.startswith(("-r ", "--requirement ", "-r", "--requirement=")):
            included = re.sub(r"^(-r|--requirement)[ =]?", "", text).split("#")[0].strip()
            found.extend(_requirements_txt(path.parent, included, seen | {path.resolve()}))
            continue
        requirement = _requirement(text, path.name)
        if requirement:
            found.append(requirement)
    return found


def _setup_cfg(directory: Path) -> list[RequirementLine]:
    path = directory / "setup.cfg"
    if not path.is_file():
        return []
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(path.read_text(encoding="utf-8-sig"), str(path))
    value = parser.get("options", "install_requires", fallback="")
    found = (
        _requirement(line.strip(), "setup.cfg [options] install_requires") for line in value.splitlines()
    )
    return [r for r in found if r]


def _pyproject(directory: Path) -> list[RequirementLine]:
    path = directory / "pyproject.toml"
    if not path.is_file():
        return []
    dependencies = (
        tomllib.loads(path.read_text(encoding="utf-8-sig")).get("project", {}).get("dependencies", [])
    )
    if not isinstance(dependencies, list):
        return []
    found = (
        _requirement(d, "pyproject.toml [project] dependencies") for d in dependencies if isinstance(d, str)
    )
    return [r for r in found if r]


def _requirement(text: str, source: str) -> RequirementLine | None:
    """A requirement line (None for blanks, comments and options such as ``-c`` or ``-e``
    without an ``#egg=`` name)."""
    if not text or text.startswith("#"):
        return None
    egg = _EGG.search(text)
    if egg:
        return RequirementLine(egg.group(1), text, source)
    if text.startswith("-") or _URL.match(text):  # an option, or a bare URL: no name to map
        return None
    match = _NAME.match(text)
    return RequirementLine(match.group(1), text, source) if match else None


def installed_distributions() -> Mapping[str, list[str]]:
    """Top-level import name -> distributions, from the installed packages' metadata files."""
    from importlib.metadata import packages_distributions

    try:
        return packages_distributions()
    except Exception:  # noqa: BLE001 - broken metadata in some installed package: use the fallback
        return {}


def fallback_candidates(name: str) -> list[str]:
    """Distributions an import name may belong to when no metadata says: itself, ``python-``
    + itself, and the known mismatches."""
    return [name, f"python-{name}", *KNOWN_DISTRIBUTIONS.get(name, ())]


def needed_requirements(
    imports: Iterable[str],
    requirements: list[RequirementLine],
    installed: Mapping[str, list[str]] | Callable[[], Mapping[str, list[str]]],
) -> Needed:
    """The requirement lines that ``imports`` (top-level names) need, in the project's order."""
    by_name = {normalise(r.name): r for r in requirements}
    metadata = installed() if callable(installed) else installed
    chosen: set[str] = set()
    needed = Needed()
    for name in sorted(set(imports)):
        from_metadata = [normalise(d) for d in metadata.get(name, [])]
        listed = [d for d in from_metadata if d in by_name]
        if not listed:
            listed = [d for d in map(normalise, fallback_candidates(name)) if d in by_name]
        if listed:
            chosen.update(listed)
        elif from_metadata:
            needed.unlisted[name] = sorted(dict.fromkeys(metadata[name]))
        else:
            needed.unmapped.append(name)
    needed.lines = [r for r in requirements if normalise(r.name) in chosen]
    return needed


def render(needed: Needed, packages: list[str], total: int) -> str:
    """A requirements file: the lines as the project writes them, then as comments what the
    project's requirements do not cover (so that the file stays valid for pip)."""
    out = [
        f"# boundary-lint closure {' '.join(packages)}: {len(needed.lines)} of the project's {total} requirements"
    ]
    out += [line.text for line in needed.lines]
    if needed.unlisted:
        out.append("# imported, not in the project's requirements (installed as):")
        out += [f"#   {name}: {', '.join(dists)}" for name, dists in sorted(needed.unlisted.items())]
    if needed.unmapped:
        out.append("# imported, no distribution found (not installed here, no known name):")
        out += [f"#   {name}" for name in needed.unmapped]
    return "".join(f"{line}\n" for line in out)
