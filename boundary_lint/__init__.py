"""boundary-lint: declarative import-boundary contracts for Python code bases."""

__version__ = "0.1.0"
