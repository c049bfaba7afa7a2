"""Locate root packages on disk, from the configured source roots, without importing anything."""

from __future__ import annotations

from pathlib import Path


class PackageNotFound(Exception):
    def __init__(self, package: str, source_roots: tuple[Path, ...], detail: str = "") -> None:
        self.package = package
        roots = ", ".join(str(root) for root in source_roots)
        super().__init__(
            f"root package {package!r} not found in the source roots ({roots}){detail}"
        )


def locate_package(package: str, source_roots: tuple[Path, ...]) -> list[Path]:
    """Directories that make up ``package``: one for a regular package, any number of portions
    for a namespace package (as Python's own path finder would find them)."""
    relative = Path(*package.split("."))
    regular = [root / relative for root in source_roots if (root / relative / "__init__.py").is_file()]
    if regular:
        return regular[:1]
    portions = [root / relative for root in source_roots if (root / relative).is_dir()]
    if portions:
        return portions
    single_file = [root for root in source_roots if (root / relative).with_suffix(".py").is_file()]
    if single_file:
        raise PackageNotFound(
            package, source_roots, ": it is a single module, and root packages must be packages"
        )
    raise PackageNotFound(package, source_roots)
