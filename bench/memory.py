"""Peak memory of whole ``manage.py sync full`` processes at N and at factor x N rows.

Each size is measured twice: once with 1% of the rows' text changed (the model loads and
embeds), once with nothing changed. With embedded Chroma (the default topology) the sync
process also holds Chroma's vector index, which grows with the collection; so each size
is measured again against a ``chroma run`` server on the same directory (phase
``memory_server``), where the index lives in the server process.
"""

from __future__ import annotations

import os
from typing import Any

from bench import data
from bench.harness import Bench, log, run_totals
from bench.measure import chroma_server, self_max_rss_mb, stopwatch
from bench.seed import seed_collections


def _measure(bench: Bench, rows: int, *, env: dict[str, str] | None, label: str) -> dict:
    changed = data.content_change(count=max(1, rows // 100), clock=bench.clock)
    # Rows not in Chroma yet (only with --memory-cold) are embedded too.
    expected = bench.eligible_total() - bench.chroma_count() + bench.chroma_count(changed)
    child, printed = bench.child_sync("full", env=env)
    counts = run_totals(printed.get("counts", {}))
    bench.check(
        f"memory {label}: full sync with 1% changed text succeeded",
        child.returncode == 0 and counts.get("upserted") == expected,
        {
            "returncode": child.returncode,
            "stderr": printed.get("stderr_tail"),
            "counts": counts,
            "expected": expected,
        },
    )
    idle, idle_printed = bench.child_sync("full", env=env)
    idle_counts = run_totals(idle_printed.get("counts", {}))
    bench.check(
        f"memory {label}: idle full sync changed nothing",
        idle.returncode == 0 and idle_counts.get("unchanged") == idle_counts.get("scanned"),
        {
            "returncode": idle.returncode,
            "stderr": idle_printed.get("stderr_tail"),
            "counts": idle_counts,
        },
    )
    run_seconds = idle_printed.get("duration_seconds") or 0
    return {
        "rows": rows,
        "chroma_documents": idle_counts.get("scanned", 0),
        "changed_text_rows": len(changed),
        "changed_max_rss_mb": round(child.max_rss_mb, 1),
        "changed_seconds": round(child.seconds, 1),
        "idle_max_rss_mb": round(idle.max_rss_mb, 1),
        "idle_seconds": round(idle.seconds, 2),
        "idle_run_rows_per_s": round(idle_counts.get("scanned", 0) / run_seconds, 1)
        if run_seconds
        else None,
    }


def _measure_with_server(bench: Bench, rows: int, label: str) -> dict:
    from django.conf import settings

    from syncer.store import chroma_reset

    chroma_reset()  # the server owns the directory while it runs
    log_file = os.path.join(os.path.dirname(settings.SYNC_LOG_FILE), "chroma-server.log")
    with chroma_server(str(settings.CHROMA_PATH), log_file) as server:
        env = {**os.environ, "CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(server.port)}
        measured = _measure(bench, rows, env=env, label=label)
        measured["server_max_rss_mb"] = round(server.peak_rss_mb(), 1)
    chroma_reset()
    return measured


def phase_memory(bench: Bench) -> None:
    config = bench.config
    with_server = "memory_server" not in config.skip
    results: dict[str, Any] = {}

    def measure(key: str, rows: int) -> None:
        results[key] = _measure(bench, rows, env=None, label=key)
        log(f"memory {key} (embedded Chroma): {results[key]}")
        if with_server:
            results[f"{key}_server"] = _measure_with_server(bench, rows, f"{key} (server)")
            log(f"memory {key} (Chroma server): {results[f'{key}_server']}")

    measure("n", config.rows)
    big = config.rows * config.memory_factor
    log(f"growing the tables to {big} rows")
    with stopwatch() as elapsed:
        data.rows_insert(start=config.rows, stop=big)
    results["grow_insert_seconds"] = round(elapsed(), 1)
    if config.memory_cold:
        results["large_collection"] = "built by the measured full sync itself (cold)"
    else:
        seed_collections(bench, note=f"memory phase: documents for rows {config.rows}..{big - 1}")
        results["large_collection"] = "seeded without the model (stand-in vectors)"
    measure("n_x_factor", big)
    for suffix in ("", "_server") if with_server else ("",):
        small, large = results[f"n{suffix}"], results[f"n_x_factor{suffix}"]
        for kind in ("changed", "idle"):
            growth = large[f"{kind}_max_rss_mb"] - small[f"{kind}_max_rss_mb"]
            results[f"growth_{kind}{suffix}_mb"] = round(growth, 1)
        if suffix:
            growth = large["server_max_rss_mb"] - small["server_max_rss_mb"]
            results["growth_server_process_mb"] = round(growth, 1)
    results["bench_process_max_rss_mb"] = round(self_max_rss_mb(), 1)
    bench.results["memory"] = results
