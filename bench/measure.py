"""Timing, statistics, and child processes measured for wall time and peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncer.testing.processes import ROOT, ChromaServer


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def percentile(values: Sequence[float], rank: float) -> float:
    """The ``rank``-th percentile with linear interpolation (numpy's default)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * rank / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / max of a list of durations, in milliseconds."""
    return {
        "calls": len(seconds),
        "p50_ms": round(percentile(seconds, 50) * 1000, 1),
        "p95_ms": round(percentile(seconds, 95) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
    }


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """``with stopwatch() as elapsed: ...``; ``elapsed()`` is the seconds so far / in total."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


class Timers:
    """Cumulative wall time spent in chosen functions during a measurement.

    The functions are wrapped in place (the real function still runs); attributes that do
    not exist are skipped, so a renamed function only drops its line from the breakdown.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.concurrent: set[str] = set()
        self._patches: list[tuple[Any, str, Any]] = []

    def wrap(
        self,
        owner: Any,
        attribute: str,
        label: str,
        *,
        generator: bool = False,
        concurrent: bool = False,
    ) -> None:
        """Time ``owner.attribute`` under ``label``. ``concurrent``: it (also) runs on
        another thread, overlapping the rest; it is reported but not subtracted from
        the total to compute ``other``."""
        original = getattr(owner, attribute, None)
        if original is None:
            return
        seconds = self.seconds
        if concurrent:
            self.concurrent.add(label)

        if generator:

            def timed_generator(*args: Any, **kwargs: Any) -> Iterator[Any]:
                iterator = iter(original(*args, **kwargs))
                while True:
                    start = time.perf_counter()
                    try:
                        item = next(iterator)
                    except StopIteration:
                        seconds[label] += time.perf_counter() - start
                        return
                    seconds[label] += time.perf_counter() - start
                    yield item

            replacement: Any = timed_generator
        else:

            def timed(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    seconds[label] += time.perf_counter() - start

            replacement = timed
        self._patches.append((owner, attribute, original))
        _set(owner, attribute, replacement)

    def reset(self) -> None:
        self.seconds.clear()

    def snapshot(self, total: float) -> dict[str, float]:
        """Seconds per label, plus ``other`` (the rest of ``total`` on the main thread)."""
        parts = {label: round(value, 3) for label, value in sorted(self.seconds.items())}
        serial = sum(v for label, v in self.seconds.items() if label not in self.concurrent)
        parts["other"] = round(max(0.0, total - serial), 3)
        return parts

    def restore(self) -> None:
        while self._patches:
            owner, attribute, original = self._patches.pop()
            _set(owner, attribute, original)


def _set(owner: Any, attribute: str, value: Any) -> None:
    try:
        setattr(owner, attribute, value)
    except AttributeError:  # a frozen dataclass instance (a Source)
        object.__setattr__(owner, attribute, value)


@dataclass
class ChildResult:
    seconds: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_child(argv: Sequence[str], *, env: dict[str, str] | None = None) -> ChildResult:
    """Run a command to its end through ``bench.child``: its wall time and its own peak
    RSS (see bench/child.py for why not ``getrusage(RUSAGE_CHILDREN)`` here)."""
    with (
        tempfile.TemporaryDirectory() as directory,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        report = Path(directory) / "child.json"
        launcher = [sys.executable, "-m", "bench.child", str(report), *argv]
        returncode = subprocess.run(launcher, cwd=ROOT, env=env, stdout=out, stderr=err).returncode
        measured = json.loads(report.read_text()) if report.exists() else {}
        out.seek(0)
        err.seek(0)
        return ChildResult(
            seconds=measured.get("seconds", float("nan")),
            max_rss_mb=measured.get("max_rss_mb", float("nan")),
            returncode=returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def manage_argv(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def disk_written_bytes() -> int:
    """Bytes written to the machine's block devices so far, after flushing what is
    pending (Linux; the whole machine, PostgreSQL included, so measure on a quiet one;
    0 where /sys/block is not there)."""
    import os

    os.sync()
    total = 0
    for stat in Path("/sys/block").glob("*/stat"):
        total += int(stat.read_text().split()[6]) * 512  # sectors written
    return total


def self_max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def chroma_server(path: str, log: str) -> Iterator[ChromaServer]:
    """``chroma run`` on ``path`` and a free local port, stopped (by its pid) on exit."""
    with ChromaServer(Path(path), Path(log), start_timeout=60) as server:
        yield server
