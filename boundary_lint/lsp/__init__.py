"""The language server (``boundary-lint lsp``): diagnostics for open documents from their unsaved text."""
