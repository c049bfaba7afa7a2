"""The package's own __init__: it re-exports the entry point."""

from cyc.top.entry import main

__all__ = ["main"]
