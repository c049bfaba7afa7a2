"""Sphinx configuration for boundary-lint's documentation (Markdown pages, read by MyST).

Build: python -m sphinx -W --keep-going -n -b html docs docs/_build/html
Nothing here reaches the network: no intersphinx, no remote images.
"""

from __future__ import annotations

import re
from pathlib import Path

_INIT = Path(__file__).resolve().parent.parent / "boundary_lint" / "__init__.py"
# Read, not imported: the docs build needs no installed package.
_VERSION = re.search(r'__version__ = "([^"]+)"', _INIT.read_text(encoding="utf-8"))
release = version = _VERSION.group(1) if _VERSION else "unknown"

project = "boundary-lint"
author = "the boundary-lint authors"
copyright = "the boundary-lint authors"

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "examples"]

# Links such as [codes](codes.md#bnd101-forbidden-import-direct) resolve to heading anchors,
# so a link to a heading that does not exist fails the build (-W).
myst_heading_anchors = 3
myst_enable_extensions = ["deflist"]

# Code blocks in languages Pygments does not know (or text that does not lex) stay plain,
# rather than warning.
highlight_language = "none"

html_theme = "furo"
html_title = f"boundary-lint {release}"
html_static_path = ["_static"]
