"""The one base of every failure that is the user's to fix (a bad configuration, a path that
does not exist, a baseline that does not parse): front ends print ``describe()`` as one line
and exit 2, never a traceback. Anything else that escapes is a bug of ours."""

from __future__ import annotations


class UserError(Exception):
    """A failure described for the user; raise a subclass that says what kind."""

    def describe(self) -> str:
        return str(self)
