"""Progress lines for long steps, so a maintainer rebuilding years of pages sees it is alive.

Short steps (fewer than `min_total` items) stay silent; long ones print
`ingest: 1200/6000 页` to stderr at most every `interval` seconds, and a
last line when done. On a terminal the line is rewritten in place.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts items of one step and reports now and then."""

    def __init__(
        self,
        step: str,
        total: int,
        unit: str = "",
        stream: TextIO | None = None,
        interval: float = 2.0,
        min_total: int = 200,
    ):
        self.step = step
        self.total = total
        self.unit = unit
        self.stream = stream or sys.stderr
        self.interval = interval
        self.active = total >= min_total
        self.count = 0
        self._start = self._last = time.monotonic()
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def tick(self, n: int = 1) -> None:
        self.count += n
        if self.active and time.monotonic() - self._last >= self.interval:
            self._print(end="\r" if self._tty else "\n")

    def done(self) -> None:
        if self.active:
            self._print(end="\n")

    def _print(self, end: str) -> None:
        self._last = time.monotonic()
        seconds = self._last - self._start
        line = f"{self.step}: {self.count}/{self.total} {self.unit} ({seconds:.0f}s)"
        self.stream.write(line + end)
        self.stream.flush()
