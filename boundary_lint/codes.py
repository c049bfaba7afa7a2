"""The catalog of BND codes: one entry per code (docs/codes.md explains each with an example)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    name: str  # CamelCase, for SARIF rule names
    summary: str


CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("BND101", "ForbiddenImport", "A source module imports a forbidden module directly."),
        Code("BND102", "ForbiddenImportIndirect", "A source module reaches a forbidden module through a chain of imports."),
        Code("BND111", "LayerImportsHigherLayer", "A lower layer (or an independent sibling) imports a higher layer directly."),
        Code("BND112", "LayerImportsHigherLayerIndirect", "A lower layer (or an independent sibling) reaches a higher layer through a chain of imports."),
        Code("BND113", "ClosedLayerSkipped", "A higher layer imports a layer below a closed layer directly."),
        Code("BND114", "ClosedLayerSkippedIndirect", "A higher layer reaches a layer below a closed layer without passing through it."),
        Code("BND115", "UndeclaredLayer", "A child of a container is not listed as a layer of an exhaustive contract."),
        Code("BND121", "IndependentModulesImport", "Independent modules import each other directly."),
        Code("BND122", "IndependentModulesImportIndirect", "Independent modules reach each other through a chain of imports."),
        Code("BND131", "ProtectedModuleImported", "A protected module is imported by a module not allowed to."),
        Code("BND141", "SiblingCycle", "An import closes a dependency cycle between sibling packages."),
        Code("BND191", "CustomContractBroken", "A contract of a custom import-linter contract type is broken (no import line: its own message)."),
        Code("BND201", "MovedModuleImported", "An import names a moved module by its old path."),
        Code("BND202", "MovedModuleUsed", "A dotted name uses a moved module's old path."),
        Code("BND203", "MovedModuleNamed", "A string names a moved module's old path."),
        Code("BND204", "MovedModuleInComment", "A comment or docstring names a moved module's old dotted path."),
        Code("BND205", "MovedModuleInFile", "A file that is not Python (config, docs, build metadata) names a moved module's old dotted path."),
        Code("BND206", "MovedModuleFilePath", "A file names a moved module's old file path."),
        Code("BND207", "MovedPackageNotDistributed", "setup.cfg lists the packages to install, and not the top-level package a module moved to."),
        Code("BND211", "DynamicImportBreaksContract", "A dynamic import breaks a contract."),
        Code("BND212", "ChainThroughDynamicImport", "An import begins a chain that breaks a contract through a dynamic import."),
        Code("BND213", "DeadReference", "A dynamic import or a class path in a string names nothing that exists."),
        Code("BND214", "DeadEntryPoint", "An entry point or paste factory (module:attr in a configuration file) names nothing that exists."),
        Code("BND900", "InternalError", "boundary-lint itself failed: a bug, to report (flake8 shows it instead of a traceback)."),
        Code("BND901", "ConfigurationError", "The contract could not be checked: a problem with its configuration."),
        Code("BND902", "SyntaxError", "A file could not be parsed; its imports are missing from the graph."),
        Code("BND903", "UnanalysableFile", "A file could not be read or decoded."),
        Code("BND904", "UnmatchedIgnoreImport", "An ignore_imports entry matched no import."),
        Code("BND905", "FixedBaselineEntry", "A baseline entry matches no violation any more (an error with --strict-baseline)."),
        Code("BND906", "ImportAboveTopLevelPackage", "A relative import climbs above the top-level package; Python raises ImportError on it."),
    )
}


FIXED_BASELINE_ENTRY = "BND905"


def is_error_family(code: str) -> bool:
    """BND9xx: something stopped part of the check."""
    return code.startswith("BND9")
