"""The benchmark phases. Each records its numbers in ``results`` and its sanity checks
(did the sync do what the phase expects?) in ``checks``.

Everything runs against the scratch database and Chroma directory set up by
``bench.scratch`` and goes through the same services the CLI, API and worker call.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench import data
from bench.measure import (
    Timers,
    manage_argv,
    median,
    run_child,
    stopwatch,
)

PHASES = (
    "encode",
    "cold",
    "baseline",
    "warm",
    "metadata",
    "incremental",
    "single",
    "search",
    "process",
    "freshness",
    "freshness_embedded",
    "memory",
    "memory_server",
)
CHANGED_ROWS = 10


@dataclass
class Config:
    rows: int = 2_000
    repeat: int = 3
    cold_runs: int = 1
    single_calls: int = 100
    search_calls: int = 100
    memory_factor: int = 10
    memory_cold: bool = False
    freshness_samples: int = 20
    skip: frozenset[str] = frozenset()


@dataclass
class SyncMeasure:
    seconds: float
    counts: dict[str, int]
    embedded: int
    status: str
    breakdown: dict[str, float] = field(default_factory=dict)
    cpu_seconds: float = 0.0

    @property
    def scanned(self) -> int:
        return self.counts.get("scanned", 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "status": self.status,
            "counts": self.counts,
            "embedded": self.embedded,
            "breakdown_seconds": self.breakdown,
        }


_STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[bench {time.perf_counter() - _STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


def run_totals(run_counts: dict[str, dict[str, Any]]) -> dict[str, int]:
    keys = ("scanned", "upserted", "metadata_updated", "unchanged", "deleted", "errors")
    return {key: sum(int(counts.get(key, 0)) for counts in run_counts.values()) for key in keys}


class Bench:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.results: dict[str, Any] = {}
        self.checks: list[dict[str, Any]] = []
        self.clock = data.AppClock()
        self.timers = Timers()

    # -- helpers ---------------------------------------------------------------------------

    def check(self, name: str, ok: bool, detail: Any = "") -> None:
        self.checks.append({"name": name, "ok": bool(ok), "detail": str(detail)})
        if not ok:
            log(f"CHECK FAILED: {name}: {detail}")

    def instrument(self) -> None:
        """Time the parts of a sync (the real functions still run) for the breakdowns."""
        from syncer import selectors
        from syncer.services import engine, runs
        from syncer.sources import SOURCES
        from syncer.store import CollectionStore

        timers = self.timers
        timers.wrap(selectors, "source_rows", "postgres_read", generator=True)
        timers.wrap(engine, "embed_documents", "embed")
        # The stored hashes are read on the read-ahead thread, overlapping conversion:
        # what the sync pays is the main thread's wait for them.
        timers.wrap(CollectionStore, "metadatas", "chroma_read_ahead", concurrent=True)
        timers.wrap(engine.PendingBatch, "stored_metadatas", "chroma_read_wait")
        for name in ("add", "upsert", "update_metadatas", "delete"):
            timers.wrap(CollectionStore, name, "chroma_write")
        timers.wrap(engine.SourceSync, "sweep", "sweep")
        timers.wrap(runs, "save_outcome", "run_bookkeeping")  # as the sync loop calls it
        for source in SOURCES.values():
            timers.wrap(source, "to_document", "convert_and_hash")

    def sync(self, mode: str) -> SyncMeasure:
        """One in-process run through ``sync_run_execute``, timed and broken down."""
        from syncer import embeddings
        from syncer.models import SyncRun
        from syncer.reporting import run_as_dict
        from syncer.services.runs import sync_run_execute

        embedded_before = embeddings.stats.texts
        self.timers.reset()
        cpu_start = time.process_time()
        with stopwatch() as elapsed:
            run = sync_run_execute(mode=mode, trigger=SyncRun.Trigger.CLI)
        cpu = time.process_time() - cpu_start
        seconds = elapsed()
        return SyncMeasure(
            seconds=seconds,
            counts=run_totals(run_as_dict(run)["counts"]),
            embedded=embeddings.stats.texts - embedded_before,
            status=str(run.status),
            breakdown=self.timers.snapshot(seconds),
            cpu_seconds=cpu,
        )

    def eligible_total(self) -> int:
        from syncer import selectors
        from syncer.sources import SOURCES

        return sum(selectors.source_eligible_count(source) for source in SOURCES.values())

    def chroma_count(self, ids: list[str] | None = None) -> int:
        """Documents in Chroma (of ``ids`` only, when given)."""
        from syncer.sources import SOURCES
        from syncer.store import store_open

        stores = [store_open(source.collection_name) for source in SOURCES.values()]
        if ids is None:
            return sum(store.count() for store in stores)
        return sum(len(store.metadatas(ids)) for store in stores)

    def _child_env(self) -> dict[str, str]:
        return dict(os.environ)

    def child_sync(
        self, *args: str, env: dict[str, str] | None = None
    ) -> tuple[Any, dict[str, Any]]:
        """``manage.py sync <args> --json`` in a child process: its wall time, peak RSS
        and the run it printed. Our own Chroma client is closed around it: embedded Chroma
        is not process-safe, and a client left open would not see the child's writes."""
        from syncer.chroma_client import chroma_reset

        chroma_reset()
        child = run_child(manage_argv("sync", *args, "--json"), env=env or self._child_env())
        chroma_reset()
        try:
            printed = json.loads(child.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            printed = {}
        if child.returncode != 0:
            log(f"`sync {' '.join(args)}` exited {child.returncode}: {child.stderr[-2000:]}")
            printed["stderr_tail"] = child.stderr[-500:]
        return child, printed

    # -- phases ----------------------------------------------------------------------------

    def model_load(self) -> None:
        from syncer.embeddings import embedding_backend

        log("loading the embedding model")
        with stopwatch() as elapsed:
            embedding_backend().load()
        self.results["model_load_seconds"] = round(elapsed(), 2)

    def _sync_documents(self) -> list[Any]:
        """Exactly the documents a cold full sync embeds, in the order it reads them."""
        from django.conf import settings

        from syncer import selectors
        from syncer.sources import SOURCES

        documents: list[Any] = []
        for source in SOURCES.values():
            for rows in selectors.source_rows(source, batch_size=settings.SYNC_BATCH_SIZE):
                documents.extend(source.to_document(row) for row in rows)
        return documents

    def phase_encode(self, *, again: bool = False) -> None:
        """The backend's own encode over the sync's documents: the physical limit."""
        from syncer.embeddings import embedding_backend

        documents = self._sync_documents()
        texts = [d.text for d in documents]
        parts = [d.parts for d in documents]
        # The loaded backend itself, not embed_documents: no list conversion, no
        # bookkeeping; the same batches and normalization as the sync.
        backend = embedding_backend()
        log(f"raw encode of {len(texts)} texts{' (again, after the cold sync)' if again else ''}")
        runs = self.results.setdefault("encode", {"texts": len(texts), "runs": []})["runs"]
        cpu_start = time.process_time()
        with stopwatch() as elapsed:
            backend.embed_documents(texts, parts)
        seconds = elapsed()
        runs.append(
            {
                "seconds": round(seconds, 2),
                "cpu_seconds": round(time.process_time() - cpu_start, 2),
                "docs_per_s": round(len(texts) / seconds, 2),
                "loadavg_1m": round(os.getloadavg()[0], 2),
            }
        )
        encode = self.results["encode"]
        encode["docs_per_s"] = round(median([r["docs_per_s"] for r in runs]), 2)
        encode["cpu_seconds_per_doc"] = round(
            median([r["cpu_seconds"] for r in runs]) / len(texts), 5
        )
        characters = sorted(len(text) for text in texts)
        encode["median_text_chars"] = characters[len(characters) // 2]
        encode["backend"] = backend.describe()

    def _drop_collections(self) -> None:
        from syncer.sources import SOURCES
        from syncer.store import collection_drop

        for source in SOURCES.values():
            collection_drop(source.collection_name)

    def phase_cold(self, eligible: int) -> None:
        runs: list[SyncMeasure] = []
        for number in range(self.config.cold_runs):
            self._drop_collections()
            log(f"cold full sync {number + 1}/{self.config.cold_runs} of {eligible} rows")
            measure = self.sync("full")
            runs.append(measure)
            self.check(
                "cold full: every eligible row embedded and added",
                measure.status == "succeeded"
                and measure.counts["upserted"] == eligible
                and measure.embedded == eligible,
                measure.as_dict(),
            )
        best = sorted(runs, key=lambda m: m.seconds)[len(runs) // 2]
        self.results["cold_full"] = {
            **best.as_dict(),
            "rows_per_s": round(best.scanned / best.seconds, 2),
            "runs_seconds": [round(m.seconds, 2) for m in runs],
            "loadavg_1m": round(os.getloadavg()[0], 2),
        }

    def phase_warm(self, eligible: int) -> None:
        runs: list[SyncMeasure] = []
        for number in range(self.config.repeat):
            log(f"warm full sync {number + 1}/{self.config.repeat}")
            measure = self.sync("full")
            runs.append(measure)
            self.check(
                "warm full: nothing embedded, nothing written",
                measure.status == "succeeded"
                and measure.counts["unchanged"] == eligible
                and measure.embedded == 0
                and measure.breakdown.get("chroma_write", 0) == 0,
                measure.as_dict(),
            )
        best = sorted(runs, key=lambda m: m.seconds)[len(runs) // 2]
        self.results["warm_full"] = {
            **best.as_dict(),
            "rows_per_s": round(best.scanned / best.seconds, 1),
            "runs_seconds": [round(m.seconds, 3) for m in runs],
        }

    def phase_metadata(self) -> None:
        count = max(1, self.config.rows // 100)
        runs: list[SyncMeasure] = []
        for number in range(self.config.repeat):
            changed = data.match_count_change(count=count, clock=self.clock)
            log(f"full sync after a match_count change of {len(changed)} rows ({number + 1})")
            measure = self.sync("full")
            runs.append(measure)
            self.check(
                "metadata-only change: metadata updated, no embedding",
                measure.status == "succeeded"
                and measure.counts["metadata_updated"] == len(changed)
                and measure.counts["upserted"] == 0
                and measure.embedded == 0,
                measure.as_dict(),
            )
        best = sorted(runs, key=lambda m: m.seconds)[len(runs) // 2]
        self.results["metadata_only_full"] = {
            **best.as_dict(),
            "changed_rows": count,
            "runs_seconds": [round(m.seconds, 3) for m in runs],
        }

    def _incremental_variants(self) -> dict[str, tuple[Callable[[], list[str]], str, int]]:
        """name -> (make the change, the counter that must equal the change, embedded)."""
        return {
            "idle": (lambda: [], "upserted", 0),
            f"metadata_{CHANGED_ROWS}": (
                lambda: data.match_count_change(count=CHANGED_ROWS, clock=self.clock),
                "metadata_updated",
                0,
            ),
            f"text_{CHANGED_ROWS}": (
                lambda: data.content_change(count=CHANGED_ROWS, clock=self.clock),
                "upserted",
                CHANGED_ROWS,
            ),
        }

    def phase_incremental(self) -> None:
        results: dict[str, Any] = {}
        for name, (change, counter, embedded) in self._incremental_variants().items():
            runs: list[SyncMeasure] = []
            for _ in range(self.config.repeat):
                changed = change()
                measure = self.sync("incremental")
                runs.append(measure)
                self.check(
                    f"incremental in-process ({name}): exactly the changed rows written",
                    measure.status == "succeeded"
                    and measure.counts[counter] == len(changed)
                    and measure.embedded == embedded,
                    measure.as_dict(),
                )
            best = sorted(runs, key=lambda m: m.seconds)[len(runs) // 2]
            results[name] = {**best.as_dict(), "runs_seconds": [round(m.seconds, 3) for m in runs]}
            log(f"incremental in-process {name}: {best.seconds:.3f}s")
        self.results["incremental_in_process"] = results

    def phase_process(self) -> None:
        """``manage.py sync incremental`` as cron runs it: the whole process, start to exit."""
        results: dict[str, Any] = {}
        for name, (change, counter, _) in self._incremental_variants().items():
            seconds: list[float] = []
            rss: list[float] = []
            for _ in range(self.config.repeat):
                changed = change()
                child, printed = self.child_sync("incremental")
                seconds.append(child.seconds)
                rss.append(child.max_rss_mb)
                counts = run_totals(printed.get("counts", {}))
                self.check(
                    f"manage.py sync incremental ({name}): exit 0, changed rows written",
                    child.returncode == 0 and counts.get(counter) == len(changed),
                    {
                        "returncode": child.returncode,
                        "stderr": printed.get("stderr_tail"),
                        "counts": counts,
                    },
                )
            results[name] = {
                "seconds": round(median(seconds), 2),
                "runs_seconds": [round(s, 2) for s in seconds],
                "max_rss_mb": round(max(rss), 1),
            }
            log(f"manage.py sync incremental {name}: {median(seconds):.2f}s")
        self.results["incremental_process"] = results
