"""Text from the checked repository made safe for each kind of output: one function per concern,
used by every format, message and diagram.

File names, contract names, messages and baseline entries all come from the checked repository,
which may be hostile: a file named ``x\\nREADME:7:1: Approved`` must not become a second output
line that a CI system reads as a review comment, a right-to-left override must not reorder what a
reviewer reads, and a control character must not break an XML parser or restyle a terminal.
docs/output.md lists what each format does with such text."""

from __future__ import annotations

import re

_LOCATION = re.compile(r":(?=\d)")


def printable(text: str) -> str:
    """``text`` with every character that is not printable written as Python's ``repr`` writes
    it (``\\n``, ``\\x1b``, ``\\u202e``, ``\\udcff`` for an undecodable byte of a file name):
    control characters (C0, DEL, C1), line and paragraph separators, bidirectional and other
    invisible format characters, lone surrogates, unassigned code points. What remains is one
    line of visible text, and valid in XML 1.0."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def inert(text: str) -> str:
    """``printable(text)``, and no ``:`` before a digit: what a ``path:line:`` parser (Zuul's
    tox role, an editor's error list) could read as a location, written ``\\x3a``. For text from
    the repository that is not itself the located path of an output line (messages, contract
    names, baseline entries)."""
    if ":" not in text and text.isprintable():  # most text: nothing to do, and reports are long
        return text
    return _LOCATION.sub(r"\\x3a", printable(text))


def line_head(path: str) -> str:
    """``printable(path)``, safe at the start of an output line: a GitHub Actions runner takes
    every log line that begins (after blanks) with ``::`` or ``##[`` as a workflow command, so a
    file named ``::warning file=README.md::...`` would be one; its first character is escaped."""
    text = printable(path)
    start = len(text) - len(text.lstrip())
    if text.startswith(("::", "##["), start):
        return text[:start] + (r"\x3a" if text[start] == ":" else r"\x23") + text[start + 1 :]
    return text


def github_data(text: str) -> str:
    """A workflow command's message: ``printable``, then the Actions toolkit's escaping of
    ``%`` (and of CR and LF, which ``printable`` has already written as ``\\r`` and ``\\n``)."""
    return _actions_escape(printable(text))


def github_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``): as a message, plus ``:``
    and ``,``, which would end the property."""
    return _actions_escape(printable(text)).replace(":", "%3A").replace(",", "%2C")


def _actions_escape(text: str) -> str:
    """As the Actions toolkit escapes command data (``escapeData`` in @actions/core)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def uri_reference(path: str) -> str:
    """A POSIX relative path as a relative URI reference (RFC 3986): every byte outside the
    unreserved set and ``/`` percent-encoded as UTF-8 (``#``, ``%``, ``?``, ``:``, spaces,
    non-ASCII); an undecodable byte of a file name is encoded as itself."""
    from urllib.parse import quote  # here: every command's messages use this module, few need URIs

    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def html_text(text: str) -> str:
    """Text for HTML content or a quoted attribute value: ``printable`` (a right-to-left override
    would reorder the page as it does a terminal), then markup escaped."""
    import html

    return html.escape(printable(text))
