"""The ``baseline`` phase: the same cold full sync, on the same rows, with the torch
all-MiniLM-L6-v2 that halasync used before issue 18 (``EMBEDDING_MODEL=all-MiniLM-L6-v2
EMBEDDING_RUNTIME=torch``), so that the default backend's cold docs/s is compared with it
in one run (issue 18's target: at least 2x).

The baseline runs in a child process (``python -m bench.baseline``): the embedding
settings are read once, at start-up, and a process must not hold two runtimes' threads.
The child syncs into its own Chroma directory (the benchmark's collections are left as
they are) and, like the ``cold`` phase, loads the model before the timed sync: the ratio
compares syncing, not start-up (the ``process`` phase measures start-up).
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from bench.harness import Bench, log, run_totals
from bench.measure import run_child

BASELINE_ENVIRONMENT = {"EMBEDDING_MODEL": "all-MiniLM-L6-v2", "EMBEDDING_RUNTIME": "torch"}


def phase_baseline(bench: Bench) -> None:
    from django.conf import settings

    from syncer.store import chroma_reset

    env = {
        **os.environ,
        **BASELINE_ENVIRONMENT,
        "CHROMA_PATH": f"{settings.CHROMA_PATH}-baseline",
    }
    log("baseline: cold full sync with torch all-MiniLM-L6-v2 in a child process")
    chroma_reset()
    child = run_child([sys.executable, "-m", "bench.baseline"], env=env)
    chroma_reset()
    try:
        measured = json.loads(child.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        measured = {}
    if measured.get("unavailable"):
        # The torch set is optional (requirements-torch.txt): say so, fail nothing.
        bench.results["baseline"] = {"skipped": measured["unavailable"]}
        log(f"baseline skipped: {measured['unavailable']}")
        return
    eligible = bench.eligible_total()
    counts = measured.get("counts", {})
    bench.check(
        "baseline cold full: every eligible row embedded by torch MiniLM",
        child.returncode == 0
        and measured.get("status") == "succeeded"
        and counts.get("upserted") == eligible
        and measured.get("embedded") == eligible,
        {"returncode": child.returncode, "measured": measured, "stderr": child.stderr[-1000:]},
    )
    if child.returncode != 0 or not measured.get("seconds"):
        return
    rows_per_s = counts["scanned"] / measured["seconds"]
    result: dict[str, Any] = {
        **measured,
        "rows_per_s": round(rows_per_s, 2),
        "process_seconds": round(child.seconds, 2),
        "max_rss_mb": round(child.max_rss_mb, 1),
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }
    cold = bench.results.get("cold_full")
    if cold:
        result["default_over_baseline"] = round(cold["rows_per_s"] / rows_per_s, 3)
        # The same rows' CPU time (all threads of each process): on a machine that other
        # work shares, wall-time ratios swing with the load; this one much less.
        if cold.get("cpu_seconds") and measured.get("cpu_seconds"):
            result["default_over_baseline_cpu"] = round(
                measured["cpu_seconds"] / cold["cpu_seconds"], 3
            )
    bench.results["baseline"] = result
    log(f"baseline: {rows_per_s:.1f} rows/s" + (f", default {cold['rows_per_s']}" if cold else ""))


def main() -> int:
    """In the child: set up Django from the inherited environment, load the model, time
    one full sync, print one JSON line."""
    import django

    django.setup()
    import logging

    from syncer import embeddings
    from syncer.models import SyncRun
    from syncer.reporting import run_as_dict
    from syncer.services.runs import sync_run_execute

    logging.getLogger("syncer").setLevel(logging.WARNING)
    backend = embeddings.embedding_backend()
    started = time.perf_counter()
    try:
        backend.load()
    except embeddings.EmbeddingUnavailable as exc:
        print(json.dumps({"unavailable": str(exc)}))
        return 0
    load_seconds = time.perf_counter() - started
    embedded_before = embeddings.stats.texts
    cpu_start = time.process_time()
    started = time.perf_counter()
    run = sync_run_execute(mode="full", trigger=SyncRun.Trigger.CLI)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "backend": backend.describe(),
                "model_load_seconds": round(load_seconds, 2),
                "seconds": round(seconds, 3),
                "cpu_seconds": round(time.process_time() - cpu_start, 3),
                "status": str(run.status),
                "counts": run_totals(run_as_dict(run)["counts"]),
                "embedded": embeddings.stats.texts - embedded_before,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
