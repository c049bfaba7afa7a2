"""The catalog of BND codes: every code is a constant here, and nowhere else a literal.

Each has its family (the hundreds digit: 1 contract violations on the import graph, 2 migration
and dynamic-import findings, 9 problems that stopped part of the check), a CamelCase name (SARIF
rule names), a one-line summary, and its entry in docs/codes.md (``DOCS_PAGE#anchor``; a test
checks that every code has one).
"""

from __future__ import annotations

from dataclasses import dataclass

DOCS_PAGE = "codes.md"
FAMILIES = {"1": "contract violation", "2": "migration or dynamic import", "9": "check stopped"}


@dataclass(frozen=True)
class Code:
    code: str
    name: str  # CamelCase, for SARIF rule names
    summary: str

    @property
    def family(self) -> str:
        return FAMILIES[self.code[3]]

    @property
    def anchor(self) -> str:
        """The target of its entry in docs/codes.md (``(bnd101)=`` above the heading)."""
        return self.code.lower()


FORBIDDEN_DIRECT = "BND101"
FORBIDDEN_INDIRECT = "BND102"
LAYER_UPWARD_DIRECT = "BND111"
LAYER_UPWARD_INDIRECT = "BND112"
CLOSED_LAYER_SKIPPED_DIRECT = "BND113"
CLOSED_LAYER_SKIPPED_INDIRECT = "BND114"
UNDECLARED_LAYER = "BND115"
INDEPENDENCE_DIRECT = "BND121"
INDEPENDENCE_INDIRECT = "BND122"
PROTECTED_IMPORTED = "BND131"
SIBLING_CYCLE = "BND141"
CUSTOM_CONTRACT_BROKEN = "BND191"
MOVED_IMPORTED = "BND201"
MOVED_USED = "BND202"
MOVED_NAMED = "BND203"
MOVED_IN_COMMENT = "BND204"
MOVED_IN_FILE = "BND205"
MOVED_FILE_PATH = "BND206"
MOVED_NOT_DISTRIBUTED = "BND207"
DYNAMIC_DIRECT = "BND211"
DYNAMIC_INDIRECT = "BND212"
DEAD_REFERENCE = "BND213"
DEAD_ENTRY_POINT = "BND214"
INTERNAL_ERROR = "BND900"
CONFIG_ERROR = "BND901"
SYNTAX_ERROR = "BND902"
UNANALYSABLE_FILE = "BND903"
UNMATCHED_IGNORE = "BND904"
FIXED_BASELINE_ENTRY = "BND905"
IMPORT_ABOVE_TOP = "BND906"

CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code(FORBIDDEN_DIRECT, "ForbiddenImport", "A source module imports a forbidden module directly."),
        Code(
            FORBIDDEN_INDIRECT,
            "ForbiddenImportIndirect",
            "A source module reaches a forbidden module through a chain of imports.",
        ),
        Code(
            LAYER_UPWARD_DIRECT,
            "LayerImportsHigherLayer",
            "A lower layer (or an independent sibling) imports a higher layer directly.",
        ),
        Code(
            LAYER_UPWARD_INDIRECT,
            "LayerImportsHigherLayerIndirect",
            "A lower layer (or an independent sibling) reaches a higher layer through a chain of imports.",
        ),
        Code(
            CLOSED_LAYER_SKIPPED_DIRECT,
            "ClosedLayerSkipped",
            "A higher layer imports a layer below a closed layer directly.",
        ),
        Code(
            CLOSED_LAYER_SKIPPED_INDIRECT,
            "ClosedLayerSkippedIndirect",
            "A higher layer reaches a layer below a closed layer without passing through it.",
        ),
        Code(
            UNDECLARED_LAYER,
            "UndeclaredLayer",
            "A child of a container is not listed as a layer of an exhaustive contract.",
        ),
        Code(
            INDEPENDENCE_DIRECT, "IndependentModulesImport", "Independent modules import each other directly."
        ),
        Code(
            INDEPENDENCE_INDIRECT,
            "IndependentModulesImportIndirect",
            "Independent modules reach each other through a chain of imports.",
        ),
        Code(
            PROTECTED_IMPORTED,
            "ProtectedModuleImported",
            "A protected module is imported by a module not allowed to.",
        ),
        Code(SIBLING_CYCLE, "SiblingCycle", "An import closes a dependency cycle between sibling packages."),
        Code(
            CUSTOM_CONTRACT_BROKEN,
            "CustomContractBroken",
            "A contract of a custom import-linter contract type is broken (no import line: its own message).",
        ),
        Code(MOVED_IMPORTED, "MovedModuleImported", "An import names a moved module by its old path."),
        Code(MOVED_USED, "MovedModuleUsed", "A dotted name uses a moved module's old path."),
        Code(MOVED_NAMED, "MovedModuleNamed", "A string names a moved module's old path."),
        Code(
            MOVED_IN_COMMENT,
            "MovedModuleInComment",
            "A comment or docstring names a moved module's old dotted path.",
        ),
        Code(
            MOVED_IN_FILE,
            "MovedModuleInFile",
            "A file that is not Python (config, docs, build metadata) names a moved module's old dotted path.",
        ),
        Code(MOVED_FILE_PATH, "MovedModuleFilePath", "A file names a moved module's old file path."),
        Code(
            MOVED_NOT_DISTRIBUTED,
            "MovedPackageNotDistributed",
            "setup.cfg lists the packages to install, and not the top-level package a module moved to.",
        ),
        Code(DYNAMIC_DIRECT, "DynamicImportBreaksContract", "A dynamic import breaks a contract."),
        Code(
            DYNAMIC_INDIRECT,
            "ChainThroughDynamicImport",
            "An import begins a chain that breaks a contract through a dynamic import.",
        ),
        Code(
            DEAD_REFERENCE,
            "DeadReference",
            "A dynamic import or a class path in a string names nothing that exists.",
        ),
        Code(
            DEAD_ENTRY_POINT,
            "DeadEntryPoint",
            "An entry point or paste factory (module:attr in a configuration file) names nothing that exists.",
        ),
        Code(
            INTERNAL_ERROR,
            "InternalError",
            "boundary-lint itself failed: a bug, to report (flake8 shows it instead of a traceback).",
        ),
        Code(
            CONFIG_ERROR,
            "ConfigurationError",
            "The contract could not be checked: a problem with its configuration.",
        ),
        Code(
            SYNTAX_ERROR, "SyntaxError", "A file could not be parsed; its imports are missing from the graph."
        ),
        Code(UNANALYSABLE_FILE, "UnanalysableFile", "A file could not be read or decoded."),
        Code(UNMATCHED_IGNORE, "UnmatchedIgnoreImport", "An ignore_imports entry matched no import."),
        Code(
            FIXED_BASELINE_ENTRY,
            "FixedBaselineEntry",
            "A baseline entry matches no violation any more (an error with --strict-baseline).",
        ),
        Code(
            IMPORT_ABOVE_TOP,
            "ImportAboveTopLevelPackage",
            "A relative import climbs above the top-level package; Python raises ImportError on it.",
        ),
    )
}


def register(code: Code) -> None:
    """Catalogue a code of a contract type registered from outside (a plugin's, a test's)."""
    if code.code in CODES or not (
        len(code.code) == 6 and code.code[:3] == "BND" and code.code[3] in FAMILIES
    ):
        raise ValueError(f"{code.code!r} is already catalogued or not a BND code of a known family")
    CODES[code.code] = code


def catalogued(code: str) -> Code:
    """The catalog's entry; a code missing from it is a bug of ours, and says so."""
    try:
        return CODES[code]
    except KeyError:
        raise LookupError(f"{code} is not in boundary_lint.codes.CODES") from None
