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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bench import data
from bench.measure import (
    Timers,
    manage_argv,
    median,
    run_child,
    self_max_rss_mb,
    stopwatch,
    summary_ms,
)

PHASES = (
    "encode",
    "cold",
    "warm",
    "metadata",
    "incremental",
    "single",
    "search",
    "process",
    "memory",
)
CHANGED_ROWS = 10
SEARCH_QUERIES = (
    "how to calm my anxious heart",
    "dua when I am grieving a loss",
    "I cannot sleep at night",
    "controlling anger with my family",
    "patience during hardship",
    "gratitude journal every evening",
    "hope after failing an exam",
    "breathing exercise for panic",
    "forgive someone who hurt me",
    "stress at work and money worries",
    "feeling lonely far from home",
    "remembrance of Allah brings peace",
    "motivation to start small daily habits",
    "fear of the future",
    "ketenangan hati saat cemas",
    "doa ketika sedih",
    "sabar menghadapi ujian",
    "regret about the past",
    "healing after a long illness",
    "strength for a mother caring for a child",
)
SEARCH_FILTER = {"category": "VERSE", "tag": "anxiety"}


@dataclass
class Config:
    rows: int = 2_000
    repeat: int = 3
    cold_runs: int = 1
    single_calls: int = 100
    search_calls: int = 100
    memory_factor: int = 10
    memory_cold: bool = False
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


def _log(message: str) -> None:
    print(f"[bench {time.perf_counter() - _STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


def _totals(run_counts: dict[str, dict[str, Any]]) -> dict[str, int]:
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
            _log(f"CHECK FAILED: {name}: {detail}")

    def _instrument(self) -> None:
        """Time the parts of a sync (the real functions still run) for the breakdowns."""
        from syncer import selectors
        from syncer.services import engine, runs
        from syncer.sources import SOURCES
        from syncer.store import CollectionStore

        timers = self.timers
        timers.wrap(selectors, "source_rows", "postgres_read", generator=True)
        timers.wrap(engine, "embed_texts", "embed")
        timers.wrap(CollectionStore, "metadatas", "chroma_read")
        for name in ("add", "upsert", "update_metadatas", "delete"):
            timers.wrap(CollectionStore, name, "chroma_write")
        timers.wrap(engine.SourceSync, "sweep", "sweep")
        timers.wrap(runs, "_save_outcome", "run_bookkeeping")
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
            counts=_totals(run_as_dict(run)["counts"]),
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

    def child_sync(self, *args: str) -> tuple[Any, dict[str, Any]]:
        """``manage.py sync <args> --json`` in a child process: its wall time, peak RSS
        and the run it printed. Our own Chroma client is closed around it: embedded Chroma
        is not process-safe, and a client left open would not see the child's writes."""
        from syncer.store import chroma_reset

        chroma_reset()
        child = run_child(manage_argv("sync", *args, "--json"), env=self._child_env())
        chroma_reset()
        try:
            printed = json.loads(child.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            printed = {}
        if child.returncode != 0:
            _log(f"`sync {' '.join(args)}` exited {child.returncode}: {child.stderr[-2000:]}")
            printed["stderr_tail"] = child.stderr[-500:]
        return child, printed

    # -- phases ----------------------------------------------------------------------------

    def run(self) -> None:
        config = self.config
        _log(f"inserting {config.rows} synthetic rows")
        with stopwatch() as elapsed:
            data.rows_insert(start=0, stop=config.rows)
        eligible = self.eligible_total()
        self.results["setup"] = {
            "rows": config.rows,
            "eligible_rows": eligible,
            "journey_rows": data.journey_share(config.rows),
            "insert_seconds": round(elapsed(), 2),
        }
        self._instrument()
        try:
            self._model_load()
            if "encode" not in config.skip:
                self.phase_encode()
            if "cold" not in config.skip:
                self.phase_cold(eligible)
            else:
                self.seed(note="cold phase skipped")
            if "encode" not in config.skip and "cold" not in config.skip:
                self.phase_encode(again=True)
            for name, phase in (
                ("warm", lambda: self.phase_warm(eligible)),
                ("metadata", self.phase_metadata),
                ("incremental", self.phase_incremental),
                ("single", self.phase_single),
                ("search", self.phase_search),
                ("process", self.phase_process),
                ("memory", self.phase_memory),
            ):
                if name not in config.skip:
                    phase()
        finally:
            self.timers.restore()

    def _model_load(self) -> None:
        from syncer.embeddings import embed_texts

        _log("loading the embedding model")
        with stopwatch() as elapsed:
            embed_texts(["warm up"])
        self.results["model_load_seconds"] = round(elapsed(), 2)

    def _sync_texts(self) -> list[str]:
        """Exactly the texts a cold full sync embeds, in the order it reads them."""
        from django.conf import settings

        from syncer import selectors
        from syncer.sources import SOURCES

        texts: list[str] = []
        for source in SOURCES.values():
            for rows in selectors.source_rows(source, batch_size=settings.SYNC_BATCH_SIZE):
                texts.extend(source.to_document(row).text for row in rows)
        return texts

    def phase_encode(self, *, again: bool = False) -> None:
        """The model's own ``encode`` over the sync's texts: the physical limit."""
        from syncer import embeddings

        texts = self._sync_texts()
        # The loaded SentenceTransformer itself, not embed_texts: no list conversion, no
        # bookkeeping; the same batch size and normalization as the sync.
        model = embeddings._load(embeddings.configured_model())
        _log(f"raw encode of {len(texts)} texts{' (again, after the cold sync)' if again else ''}")
        runs = self.results.setdefault("encode", {"texts": len(texts), "runs": []})["runs"]
        cpu_start = time.process_time()
        with stopwatch() as elapsed:
            model.encode(
                texts,
                batch_size=embeddings.ENCODE_BATCH_SIZE,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
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
        if not again:
            tokens = model.tokenizer(texts[:200], truncation=False)["input_ids"]
            encode["median_tokens_first_200"] = sorted(len(t) for t in tokens)[len(tokens) // 2]
            encode["max_seq_length"] = int(model.max_seq_length)

    def _drop_collections(self) -> None:
        from syncer.sources import SOURCES
        from syncer.store import collection_drop

        for source in SOURCES.values():
            collection_drop(source.collection_name)

    def phase_cold(self, eligible: int) -> None:
        runs: list[SyncMeasure] = []
        for number in range(self.config.cold_runs):
            self._drop_collections()
            _log(f"cold full sync {number + 1}/{self.config.cold_runs} of {eligible} rows")
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
            _log(f"warm full sync {number + 1}/{self.config.repeat}")
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
            _log(f"full sync after a match_count change of {len(changed)} rows ({number + 1})")
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
            _log(f"incremental in-process {name}: {best.seconds:.3f}s")
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
                counts = _totals(printed.get("counts", {}))
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
            _log(f"manage.py sync incremental {name}: {median(seconds):.2f}s")
        self.results["incremental_process"] = results

    def phase_single(self) -> None:
        from django.contrib.auth import get_user_model
        from rest_framework.test import APIClient

        from syncer.services.runs import sync_record
        from syncer.sources import KNOWLEDGE

        calls = self.config.single_calls
        ids = data._spread(data.eligible_ids(KNOWLEDGE.model, KNOWLEDGE.excluded_statuses), calls)

        def measure(label: str, before: Callable[[str], None], call: Callable[[str], str]) -> None:
            _log(f"single-record sync, {label}: {len(ids)} calls")
            seconds: list[float] = []
            actions: dict[str, int] = {}
            call(ids[0])  # first call of its kind pays for imports and caches
            for record_id in ids:
                before(record_id)
                with stopwatch() as elapsed:
                    action = call(record_id)
                seconds.append(elapsed())
                actions[action] = actions.get(action, 0) + 1
            expected = "unchanged" if label == "unchanged" else "upserted"
            self.check(
                f"single record ({label}): every call {expected}",
                actions == {expected: len(ids)},
                actions,
            )
            results[label] = summary_ms(seconds)

        def service(record_id: str) -> str:
            outcome = sync_record(source=KNOWLEDGE.name, record_id=record_id, trigger="cli")
            return outcome.action

        user = get_user_model().objects.create_superuser("bench", "bench@example.invalid", None)
        client = APIClient()
        client.force_authenticate(user)

        def api(record_id: str) -> str:
            response = client.post(f"/api/v1/sync/knowledge-reference/{record_id}")
            return response.json().get("action") if response.status_code == 200 else "error"

        def rewrite(record_id: str) -> None:
            data.content_rewrite(ids=[record_id], clock=self.clock)

        results: dict[str, Any] = {}
        with _test_host():
            measure("unchanged", lambda _: None, service)
            measure("changed_text", rewrite, service)
            measure("changed_text_api", rewrite, api)
        self.results["single_record"] = results

    def phase_search(self) -> None:
        from django.contrib.auth import get_user_model
        from rest_framework.test import APIClient

        from syncer.services.search import SearchFilters, search_documents
        from syncer.sources import KNOWLEDGE

        user = get_user_model().objects.filter(username="bench").first()
        if user is None:
            user = get_user_model().objects.create_user("bench", "bench@example.invalid", None)
        client = APIClient()
        client.force_authenticate(user)
        calls = self.config.search_calls
        queries = [SEARCH_QUERIES[i % len(SEARCH_QUERIES)] for i in range(calls)]

        def api(query: str, filters: dict[str, str]) -> list[dict[str, Any]]:
            response = client.get(
                "/api/v1/search/knowledge-references", {"q": query, "limit": 10, **filters}
            )
            return response.json()["results"] if response.status_code == 200 else []

        def service(query: str, filters: dict[str, str]) -> list[dict[str, Any]]:
            return search_documents(
                query=query, sources=[KNOWLEDGE], filters=SearchFilters(**filters), limit=10
            )

        results: dict[str, Any] = {"filter": SEARCH_FILTER}
        filter_matches = (
            KNOWLEDGE.model.objects.exclude(status__in=KNOWLEDGE.excluded_statuses)
            .filter(category=SEARCH_FILTER["category"], tags__contains=[SEARCH_FILTER["tag"]])
            .exists()
        )
        with _test_host():
            for via, call in (("api", api), ("service", service)):
                for label, filters in (("no_filter", {}), ("filter", SEARCH_FILTER)):
                    call(queries[0], filters)  # warm-up
                    seconds: list[float] = []
                    respected = True
                    found = 0
                    for query in queries:
                        with stopwatch() as elapsed:
                            hits = call(query, filters)
                        seconds.append(elapsed())
                        found += bool(hits)
                        if filters:
                            respected &= all(
                                hit["metadata"].get("category") == filters["category"]
                                and filters["tag"] in hit["metadata"].get("tags", [])
                                for hit in hits
                            )
                    expect_hits = filter_matches if filters else True
                    self.check(
                        f"search {via} {label}: results found, filter respected",
                        (found == len(queries) if expect_hits else found == 0) and respected,
                        {"queries_with_hits": found, "filter_respected": respected},
                    )
                    results[f"{via}_{label}"] = summary_ms(seconds)
                    _log(f"search {via} {label}: {results[f'{via}_{label}']}")
        self.results["search"] = results

    def seed(self, *, note: str) -> dict[str, Any]:
        """Write the documents of every eligible row missing from Chroma WITHOUT the model:
        the real converter output (text, metadata, hashes) with stand-in vectors (a stored
        vector plus noise, or random unit vectors when nothing is stored yet). A full sync
        then finds these rows unchanged, as after a cold sync, at a fraction of its cost."""
        import numpy as np
        from django.conf import settings

        from syncer import selectors
        from syncer.sources import SOURCES
        from syncer.store import store_open

        rng = np.random.default_rng(7)
        added = 0
        with stopwatch() as elapsed:
            for source in SOURCES.values():
                store = store_open(source.collection_name)
                pool = store.collection.get(limit=2_000, include=["embeddings"])["embeddings"]
                pool = np.asarray(pool if pool is not None and len(pool) else [], dtype=np.float32)
                for rows in selectors.source_rows(source, batch_size=settings.SYNC_BATCH_SIZE * 4):
                    stored = store.metadatas([row.pk for row in rows])
                    documents = [source.to_document(row) for row in rows if row.pk not in stored]
                    if not documents:
                        continue
                    if len(pool):
                        base = pool[rng.integers(0, len(pool), len(documents))]
                        vectors = base + rng.normal(0, 0.02, base.shape).astype(np.float32)
                    else:
                        vectors = rng.normal(0, 1, (len(documents), 384)).astype(np.float32)
                    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                    store.add(
                        ids=[d.id for d in documents],
                        embeddings=vectors.tolist(),
                        documents=[d.text for d in documents],
                        metadatas=[d.metadata for d in documents],
                    )
                    added += len(documents)
        seeded = {"documents": added, "seconds": round(elapsed(), 1), "why": note}
        self.results.setdefault("seeded", []).append(seeded)
        _log(f"seeded {added} documents without the model in {seeded['seconds']}s ({note})")
        return seeded

    def phase_memory(self) -> None:
        """Peak RSS of ``manage.py sync full`` at N and at factor x N rows: once with 1% of
        the rows' text changed (the model loads and embeds), once with nothing changed."""
        config = self.config
        results: dict[str, Any] = {}

        def measure(label: str, rows: int) -> None:
            changed = data.content_change(count=max(1, rows // 100), clock=self.clock)
            # Rows not in Chroma yet (only with --memory-cold) are embedded too.
            expected = len(changed) + self.eligible_total() - self.chroma_count()
            expected -= len(changed) - self.chroma_count(changed)
            child, printed = self.child_sync("full")
            counts = _totals(printed.get("counts", {}))
            self.check(
                f"memory {label}: full sync with 1% changed text succeeded",
                child.returncode == 0 and counts.get("upserted") == expected,
                {
                    "returncode": child.returncode,
                    "stderr": printed.get("stderr_tail"),
                    "counts": counts,
                    "expected": expected,
                },
            )
            idle, idle_printed = self.child_sync("full")
            idle_counts = _totals(idle_printed.get("counts", {}))
            self.check(
                f"memory {label}: idle full sync changed nothing",
                idle.returncode == 0 and idle_counts.get("unchanged") == idle_counts.get("scanned"),
                {
                    "returncode": idle.returncode,
                    "stderr": idle_printed.get("stderr_tail"),
                    "counts": idle_counts,
                },
            )
            run_seconds = idle_printed.get("duration_seconds") or 0
            results[label] = {
                "rows": rows,
                "chroma_documents": counts.get("scanned", 0),
                "changed_text_rows": len(changed),
                "changed_max_rss_mb": round(child.max_rss_mb, 1),
                "changed_seconds": round(child.seconds, 1),
                "idle_max_rss_mb": round(idle.max_rss_mb, 1),
                "idle_seconds": round(idle.seconds, 2),
                "idle_run_rows_per_s": round(idle_counts["scanned"] / run_seconds, 1)
                if run_seconds
                else None,
            }
            _log(f"memory {label}: {results[label]}")

        measure("n", config.rows)
        big = config.rows * config.memory_factor
        _log(f"growing the tables to {big} rows")
        with stopwatch() as elapsed:
            data.rows_insert(start=config.rows, stop=big)
        results["grow_insert_seconds"] = round(elapsed(), 1)
        if config.memory_cold:
            results["large_collection"] = "built by the measured full sync itself (cold)"
        else:
            self.seed(note=f"memory phase: documents for rows {config.rows}..{big - 1}")
            results["large_collection"] = "seeded without the model (stand-in vectors)"
        measure("n_x_factor", big)
        results["growth_changed_mb"] = round(
            results["n_x_factor"]["changed_max_rss_mb"] - results["n"]["changed_max_rss_mb"], 1
        )
        results["growth_idle_mb"] = round(
            results["n_x_factor"]["idle_max_rss_mb"] - results["n"]["idle_max_rss_mb"], 1
        )
        results["bench_process_max_rss_mb"] = round(self_max_rss_mb(), 1)
        self.results["memory"] = results


@contextmanager
def _test_host() -> Iterator[None]:
    """Let Django's test client (host "testserver") through ALLOWED_HOSTS."""
    from django.conf import settings
    from django.test import override_settings

    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        yield
