"""The order of the benchmark's phases: the ones ``Bench`` measures itself and the ones
of their own modules (single, search, freshness, memory), which all work on a ``Bench``.
Kept apart from ``harness`` so that the phase modules import the harness and not the
other way round."""

from __future__ import annotations

from bench import data
from bench.baseline import phase_baseline
from bench.freshness import phase_freshness
from bench.harness import Bench, log
from bench.latency import phase_search, phase_single
from bench.measure import stopwatch
from bench.memory import phase_memory
from bench.seed import seed_collections


def phases_run(bench: Bench) -> None:
    """Seed the scratch database, then run every phase that ``bench.config`` does not skip,
    in order, with the sync instrumented."""
    config = bench.config
    log(f"inserting {config.rows} synthetic rows")
    with stopwatch() as elapsed:
        data.rows_insert(start=0, stop=config.rows)
    eligible = bench.eligible_total()
    bench.results["setup"] = {
        "rows": config.rows,
        "eligible_rows": eligible,
        "journey_rows": data.journey_share(config.rows),
        "insert_seconds": round(elapsed(), 2),
    }
    bench.instrument()
    try:
        bench.model_load()
        if "encode" not in config.skip:
            bench.phase_encode()
        if "cold" not in config.skip:
            bench.phase_cold(eligible)
        else:
            seed_collections(bench, note="cold phase skipped")
        if "encode" not in config.skip and "cold" not in config.skip:
            bench.phase_encode(again=True)
        if "baseline" not in config.skip:
            # Right after the cold sync, on the same rows, before any phase changes them.
            phase_baseline(bench)
        for name, phase in (
            ("warm", lambda: bench.phase_warm(eligible)),
            ("metadata", bench.phase_metadata),
            ("incremental", bench.phase_incremental),
            ("single", lambda: phase_single(bench)),
            ("search", lambda: phase_search(bench)),
            ("process", bench.phase_process),
            ("freshness", lambda: phase_freshness(bench)),
            ("memory", lambda: phase_memory(bench)),
        ):
            if name not in config.skip:
                phase()
    finally:
        bench.timers.restore()
