from __future__ import annotations

from pathlib import Path

from boundary_lint.errors import UserError


class ConfigError(UserError):
    """A configuration problem, described for the user: which file, which contract, which key."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        contract: str | None = None,
        key: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.contract = contract
        self.key = key
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.path is not None:
            where.append(str(self.path))
        if self.contract is not None:
            where.append(f"contract {self.contract!r}")
        if self.key is not None:
            where.append(f"key {self.key!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message
