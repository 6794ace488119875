"""A one-line progress bar for long syncs on a terminal (stderr)."""

from __future__ import annotations

import time
from typing import TextIO

BAR_WIDTH = 30


class ProgressBar:
    """Callable as ``progress(source, done, total)``; redraws at most 10 times a second."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started: dict[str, float] = {}
        self.last_draw = 0.0
        self.current: str | None = None
        self.drawn = False  # the bar is on the terminal's current line

    def __call__(self, source: str, done: int, total: int) -> None:
        now = time.monotonic()
        if source != self.current:
            self.finish()
            self.current = source
            self.started[source] = now
            self.last_draw = 0.0  # always draw the first frame of a source
        if done < total and self.drawn and now - self.last_draw < 0.1:
            return
        self.last_draw = now
        elapsed = max(now - self.started[source], 1e-6)
        fraction = done / total if total else 1.0
        filled = int(BAR_WIDTH * fraction)
        rate = done / elapsed
        eta = _duration((total - done) / rate) if rate > 0 else "--"
        self.stream.write(
            f"\r{source:<10} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{done}/{total} rows  {rate:6.1f} rows/s  ETA {eta}  "
        )
        self.stream.flush()
        self.drawn = True

    def break_line(self) -> None:
        """End the bar's line, so that a log line written next gets a line of its own;
        the next call draws the bar again below it."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False

    def finish(self) -> None:
        if self.current is not None:
            if self.drawn:
                self.stream.write("\n")
                self.stream.flush()
            self.current = None
            self.drawn = False


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s"
