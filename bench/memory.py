"""Peak memory of whole ``manage.py sync full`` processes at N and at factor x N rows."""

from __future__ import annotations

from typing import Any

from bench import data
from bench.harness import Bench, log, run_totals
from bench.measure import self_max_rss_mb, stopwatch
from bench.seed import seed_collections


def phase_memory(bench: Bench) -> None:
    """Peak RSS of ``manage.py sync full`` at N and at factor x N rows: once with 1% of
    the rows' text changed (the model loads and embeds), once with nothing changed."""
    config = bench.config
    results: dict[str, Any] = {}

    def measure(label: str, rows: int) -> None:
        changed = data.content_change(count=max(1, rows // 100), clock=bench.clock)
        # Rows not in Chroma yet (only with --memory-cold) are embedded too.
        expected = len(changed) + bench.eligible_total() - bench.chroma_count()
        expected -= len(changed) - bench.chroma_count(changed)
        child, printed = bench.child_sync("full")
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
        idle, idle_printed = bench.child_sync("full")
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
        log(f"memory {label}: {results[label]}")

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
    results["growth_changed_mb"] = round(
        results["n_x_factor"]["changed_max_rss_mb"] - results["n"]["changed_max_rss_mb"], 1
    )
    results["growth_idle_mb"] = round(
        results["n_x_factor"]["idle_max_rss_mb"] - results["n"]["idle_max_rss_mb"], 1
    )
    results["bench_process_max_rss_mb"] = round(self_max_rss_mb(), 1)
    bench.results["memory"] = results
