"""Peak memory of whole ``manage.py sync full`` processes at N and at factor x N rows.

Each size is measured three times: 1% of the rows' text changed (a nightly run: the model
loads and embeds a few texts per batch), one whole batch of changed text (the embedding
peak of a cold or ``--force`` sync), and nothing changed. With embedded Chroma (the default topology) the sync
process also holds Chroma's vector index, which grows with the collection; so each size
is measured again against a ``chroma run`` server on the same directory (phase
``memory_server``), where the index lives in the server process. A ``manage.py sync
stats`` process (it opens both collections and counts them, and syncs nothing) is
measured at each size too: with embedded Chroma its growth is what Chroma's index alone
adds to any halasync process.
"""

from __future__ import annotations

import os
from typing import Any

from bench import data
from bench.harness import Bench, log, run_totals
from bench.measure import chroma_server, self_max_rss_mb, stopwatch
from bench.seed import seed_collections


def _full_sync(bench: Bench, env: dict[str, str] | None, check: str, expected: int) -> tuple:
    """One ``manage.py sync full`` child: (child result, counts, the run it printed);
    checks what it upserted."""
    child, printed = bench.child_sync("full", env=env)
    counts = run_totals(printed.get("counts", {}))
    bench.check(
        check,
        child.returncode == 0 and counts.get("upserted") == expected,
        {
            "returncode": child.returncode,
            "stderr": printed.get("stderr_tail"),
            "counts": counts,
            "expected_upserted": expected,
        },
    )
    return child, counts, printed


def _expected_upserts(bench: Bench, changed: list[str]) -> int:
    # Rows not in Chroma yet (only with --memory-cold) are embedded too.
    return bench.eligible_total() - bench.chroma_count() + bench.chroma_count(changed)


def _measure(bench: Bench, rows: int, *, env: dict[str, str] | None, label: str) -> dict:
    """Three full syncs: 1% of the rows' text changed (spread out, a nightly run); one whole
    read batch of changed text (the embedding peak of a cold or --force sync); nothing."""
    from django.conf import settings

    changed = data.content_change(count=max(1, rows // 100), clock=bench.clock)
    spread, _, _ = _full_sync(
        bench, env, f"memory {label}: 1% changed text", _expected_upserts(bench, changed)
    )
    batch_rows = data.content_change_first(count=settings.SYNC_BATCH_SIZE, clock=bench.clock)
    batch, _, _ = _full_sync(
        bench, env, f"memory {label}: one batch of changed text", len(batch_rows)
    )
    idle, idle_counts, idle_run = _full_sync(bench, env, f"memory {label}: nothing changed", 0)
    stats, printed = bench.child_sync("stats", env=env)
    bench.check(
        f"memory {label}: sync stats counted the collections",
        stats.returncode == 0 and "sources" in printed,
        {"returncode": stats.returncode, "stderr": printed.get("stderr_tail")},
    )
    run_seconds = idle_run.get("duration_seconds") or 0
    bench.check(
        f"memory {label}: idle full sync found every row unchanged",
        idle_counts.get("unchanged") == idle_counts.get("scanned"),
        idle_counts,
    )
    return {
        "rows": rows,
        "chroma_documents": idle_counts.get("scanned", 0),
        "changed_text_rows": len(changed),
        "changed_max_rss_mb": round(spread.max_rss_mb, 1),
        "changed_seconds": round(spread.seconds, 1),
        "batch_text_rows": len(batch_rows),
        "batch_max_rss_mb": round(batch.max_rss_mb, 1),
        "batch_seconds": round(batch.seconds, 1),
        "idle_max_rss_mb": round(idle.max_rss_mb, 1),
        "idle_seconds": round(idle.seconds, 2),
        "idle_run_rows_per_s": round(idle_counts.get("scanned", 0) / run_seconds, 1)
        if run_seconds
        else None,
        "stats_max_rss_mb": round(stats.max_rss_mb, 1),
    }


def _measure_with_server(bench: Bench, rows: int, label: str) -> dict:
    from django.conf import settings

    from syncer.chroma_client import chroma_reset

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
        for kind in ("changed", "batch", "idle", "stats"):
            growth = large[f"{kind}_max_rss_mb"] - small[f"{kind}_max_rss_mb"]
            results[f"growth_{kind}{suffix}_mb"] = round(growth, 1)
        if suffix:
            growth = large["server_max_rss_mb"] - small["server_max_rss_mb"]
            results["growth_server_process_mb"] = round(growth, 1)
    results["bench_process_max_rss_mb"] = round(self_max_rss_mb(), 1)
    bench.results["memory"] = results
