"""Progress of long work (scanning a large tree, checking many contracts), shown on a terminal.

The engine reports progress through a plain callable, ``progress(phase, done, total)``, and
knows nothing of terminals; the command line decides whether to show it (``TerminalProgress``)
and where. Nothing is shown for work that ends before ``delay`` seconds: a small tree's check
prints no flicker.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[str, int, int], None]

DELAY_VARIABLE = "BOUNDARY_LINT_PROGRESS_DELAY"
DEFAULT_DELAY = 0.5  # seconds of work before the first progress line appears
REFRESH = 0.1  # at most this often after that


def no_progress(phase: str, done: int, total: int) -> None:
    """The progress callable when nobody is watching."""


class TerminalProgress:
    """One line on a terminal, rewritten in place, cleared by ``close``."""

    def __init__(self, stream: TextIO, delay: float | None = None) -> None:
        self.stream = stream
        self.delay = _delay_from_environment() if delay is None else delay
        self.started = time.monotonic()
        self.last_shown = 0.0
        self.shown = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < self.delay or (now - self.last_shown < REFRESH and done < total):
            return
        self.last_shown = now
        percent = f" ({100 * done // total}%)" if total else ""
        self.stream.write(f"\r\x1b[Kboundary-lint: {phase} {done:,}/{total:,}{percent}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _delay_from_environment() -> float:
    try:
        return max(0.0, float(os.environ.get(DELAY_VARIABLE, DEFAULT_DELAY)))
    except ValueError:
        return DEFAULT_DELAY
