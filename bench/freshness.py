"""Freshness: how long after a write is committed a search finds it, with ``sync watch``
running beside the benchmark as an operator runs it.

``manage.py sync watch`` (default ``--interval 2``) runs as a child process on the scratch
database. This process plays the web process: after each write (alternately a new
knowledge reference and a text change of an existing one, each with a phrase of its own)
it asks ``GET /api/v1/search/knowledge-references?q=<phrase>`` every 100 ms until the
row comes back with the new text. Measured: from the write's commit to the end of the
first search that returned it (so one search's latency is included). First in poll mode,
then in push mode after ``sync install-notify --apply`` on the scratch database (the same
watch process: it always LISTENs). Before each write a random pause (0 to the interval)
spreads the writes over the poll cycle instead of locking them to it.

Two topologies: a ``chroma run`` server that both processes use (what docs/operations.md
recommends for watch beside a web process), then embedded Chroma in the scratch directory (phase
``freshness_embedded``), where a reading process notices another process's writes only
through a check at most every STALE_CHECK_SECONDS (syncer/chroma_client.py) and then reopens.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

from bench import data
from bench.harness import Bench, log
from bench.measure import chroma_server, manage_argv, percentile
from syncer.testing.processes import notify_listened, poll_until, running

WATCH_INTERVAL_SECONDS = 2.0  # `sync watch`'s default, as an operator runs it
SEARCH_EVERY_SECONDS = 0.1
SAMPLE_TIMEOUT_SECONDS = 30.0
CATCH_UP_TIMEOUT_SECONDS = 300.0
PROBE_WORDS = (
    "amber anchor apricot avalanche banjo barometer beacon bramble canyon cardamom "
    "carousel cedar chisel cobalt compass coral cricket cypress dandelion driftwood "
    "ember falcon fennel fjord flint garnet glacier gondola granite harbor hazel heron "
    "hickory indigo iris jasmine juniper kayak kestrel lantern lavender lichen magnolia "
    "mandolin maple marble meadow mistral nectar nutmeg oasis obsidian orchid otter "
    "paprika pebble pelican pepper quartz quill raven reef saffron sapphire satchel "
    "sequoia sparrow spruce tamarind thistle thunder topaz tulip tundra turquoise "
    "umbrella velvet violin walnut willow zephyr zinnia"
).split()


class Prober:
    """Writes probe rows as the main application would and times how long until the
    search API returns them with their new text."""

    def __init__(self, bench: Bench) -> None:
        from django.contrib.auth import get_user_model
        from rest_framework.test import APIClient

        from knowledge.models import KnowledgeReference

        self.bench = bench
        self.rng = random.Random(8)
        self.inserted = 0
        self.phrases: set[str] = set()
        user = get_user_model().objects.filter(username="bench").first()
        if user is None:
            user = get_user_model().objects.create_user("bench", "bench@example.invalid", None)
        self.client = APIClient()
        self.client.force_authenticate(user)
        existing = data._spread(data.eligible_ids(KnowledgeReference, ("REJECTED",)), 200)
        self.rng.shuffle(existing)
        self.update_ids = itertools.cycle(existing)  # small tables: a row changes again

    def phrase(self) -> str:
        while True:
            words = self.rng.sample(PROBE_WORDS, 5)
            phrase = " ".join(words).capitalize()
            if phrase not in self.phrases:
                self.phrases.add(phrase)
                return phrase

    def write(self, kind: str) -> tuple[str, str]:
        """Commit one change (``insert`` or ``update``): (record id, its new phrase)."""
        from knowledge.models import KnowledgeReference

        phrase = self.phrase()
        title = {"en": phrase}
        content = {"en": f"{phrase}. A note written to measure how fresh search is."}
        stamp = self.bench.clock.tick()
        if kind == "insert":
            self.inserted += 1
            row = data.knowledge_row(10_000_000 + self.inserted, random.Random(phrase))
            row.update(
                id=f"bench_fresh_{self.inserted:04d}",
                title=title,
                content=content,
                content_ar=None,
                status="VERIFIED",
                updated_at=stamp,
            )
            KnowledgeReference.objects.create(**row)  # autocommit: committed on return
            return row["id"], phrase
        record_id = next(self.update_ids)
        KnowledgeReference.objects.filter(id=record_id).update(
            title=title, content=content, updated_at=stamp
        )
        return record_id, phrase

    def searchable(self, record_id: str, phrase: str) -> bool:
        response = self.client.get(
            "/api/v1/search/knowledge-references", {"q": phrase, "limit": 10}
        )
        if response.status_code != 200:
            return False
        return any(
            hit["id"] == record_id and phrase in (hit["document"] or "")
            for hit in response.json()["results"]
        )

    def sample(
        self, kind: str, watch: subprocess.Popen, timeout: float = SAMPLE_TIMEOUT_SECONDS
    ) -> float | None:
        """Seconds from the commit of one write until a search returns it; None when it
        was not found within ``timeout`` (or the watch process died)."""
        record_id, phrase = self.write(kind)
        committed = time.perf_counter()
        while True:
            asked = time.perf_counter()
            if self.searchable(record_id, phrase):
                return time.perf_counter() - committed
            if asked - committed > timeout or watch.poll() is not None:
                log(f"freshness: {kind} of {record_id} not found by search within {timeout}s")
                return None
            time.sleep(max(0.0, SEARCH_EVERY_SECONDS - (time.perf_counter() - asked)))


@contextmanager
def _watch(env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    """``manage.py sync watch`` with its defaults, yielded once its model is loaded;
    stopped by its pid whatever happens."""
    args = manage_argv("sync", "watch", "--interval", str(WATCH_INTERVAL_SECONDS))
    with running(args, env=env, log=log_path, grace=60) as process:
        poll_until(
            lambda: "watch: syncing every" in log_path.read_text(errors="replace"),
            timeout=CATCH_UP_TIMEOUT_SECONDS,
            what="sync watch",
            process=process,
            log=log_path,
            interval=0.2,
        )
        yield process


def _notify_install() -> None:
    """``sync install-notify --apply`` on the scratch database, as an operator runs it."""
    import logging

    from django.core.management import call_command

    logger = logging.getLogger("syncer")
    level = logger.level  # the command sets it from its verbosity; keep the harness quiet
    try:
        call_command("sync", "install-notify", "--apply", "--json", stdout=StringIO())
    finally:
        logger.setLevel(level)


def _notify_remove() -> None:
    """Drop the triggers again (docs/operations.md's removal statements)."""
    from django.db import connection

    from journeys.models import JourneyTemplate
    from knowledge.models import KnowledgeReference
    from syncer.services.notify import FUNCTION, TRIGGER

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (KnowledgeReference, JourneyTemplate):
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(model._meta.db_table)}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


def _summary(seconds: list[float | None]) -> dict[str, Any]:
    found = [s for s in seconds if s is not None]
    summary: dict[str, Any] = {"samples": len(seconds), "found": len(found)}
    if found:
        summary |= {
            "p50_s": round(percentile(found, 50), 3),
            "p95_s": round(percentile(found, 95), 3),
            "max_s": round(max(found), 3),
            "min_s": round(min(found), 3),
        }
    summary["seconds"] = [None if s is None else round(s, 3) for s in seconds]
    return summary


def _mode(bench: Bench, prober: Prober, watch: subprocess.Popen, label: str) -> dict[str, Any]:
    samples = bench.config.freshness_samples
    log(f"freshness {label}: {samples} writes")
    seconds: list[float | None] = []
    for number in range(samples):
        time.sleep(prober.rng.uniform(0, WATCH_INTERVAL_SECONDS))
        seconds.append(prober.sample("insert" if number % 2 == 0 else "update", watch))
    summary = _summary(seconds)
    summary["loadavg_1m"] = round(os.getloadavg()[0], 2)
    bench.check(
        f"freshness {label}: every write found by search",
        summary["found"] == samples and watch.poll() is None,
        {k: v for k, v in summary.items() if k != "seconds"},
    )
    log(f"freshness {label}: { ({k: v for k, v in summary.items() if k != 'seconds'}) }")
    return summary


def _topology(
    bench: Bench, prober: Prober, *, env: dict[str, str], label: str, log_path: Path
) -> dict[str, Any]:
    """Poll mode, then push mode, against one running watch process."""
    results: dict[str, Any] = {}
    try:
        with _watch(env, log_path) as watch:
            # Catch-up marker (not counted): found once watch has synced what was pending.
            caught_up = prober.sample("insert", watch, timeout=CATCH_UP_TIMEOUT_SECONDS)
            bench.check(f"freshness {label}: watch caught up", caught_up is not None, log_path)
            if caught_up is None:
                return results
            results["catch_up_s"] = round(caught_up, 2)
            results["poll"] = _mode(bench, prober, watch, f"{label} poll")
            _notify_install()
            listening = _wait_for(notify_listened, 30)
            bench.check(f"freshness {label}: watch LISTENs", listening, log_path)
            prober.sample("insert", watch)  # the first notified cycle, not counted
            results["push"] = _mode(bench, prober, watch, f"{label} push")
            watch.send_signal(signal.SIGTERM)
            returncode = watch.wait(timeout=60)
            bench.check(
                f"freshness {label}: watch stops on SIGTERM with exit 0",
                returncode == 0,
                {"returncode": returncode, "log": str(log_path)},
            )
    finally:
        _notify_remove()
    return results


def _wait_for(predicate: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def phase_freshness(bench: Bench) -> None:
    from django.conf import settings
    from django.test import override_settings

    from bench.latency import _test_host
    from syncer.chroma_client import STALE_CHECK_SECONDS, chroma_reset

    directory = Path(settings.SYNC_LOG_FILE).parent
    prober = Prober(bench)
    results: dict[str, Any] = {
        "samples": bench.config.freshness_samples,
        "watch_interval_s": WATCH_INTERVAL_SECONDS,
        "search_every_s": SEARCH_EVERY_SECONDS,
        "measured": "write committed -> end of the first search API call returning the row "
        "with its new text",
    }
    with _test_host():
        chroma_reset()  # the server owns the directory while it runs
        with chroma_server(str(settings.CHROMA_PATH), str(directory / "chroma-server.log")) as s:
            address = {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(s.port)}
            with override_settings(CHROMA_HOST="127.0.0.1", CHROMA_PORT=s.port):
                chroma_reset()
                try:
                    results["server"] = _topology(
                        bench,
                        prober,
                        env={**bench._child_env(), **address},
                        label="chroma server",
                        log_path=directory / "watch-server.log",
                    )
                finally:
                    chroma_reset()
        if "freshness_embedded" not in bench.config.skip:
            results["embedded"] = _topology(
                bench,
                prober,
                env=bench._child_env(),
                label="embedded",
                log_path=directory / "watch-embedded.log",
            )
            results["embedded"]["stale_check_s"] = STALE_CHECK_SECONDS
    bench.results["freshness"] = results
