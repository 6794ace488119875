"""``python -m bench [--rows N] [--json] …``: run the benchmark on a scratch database.

Exit status 0 when every sanity check passed (targets may still be missed: they are
reported, not enforced), 1 when a check failed, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import PHASES, Bench, Config


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark halasync's syncs and search on a scratch database.",
    )
    parser.add_argument("--rows", type=int, default=2_000, help="source rows (default 2000)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each short measurement (median)"
    )
    parser.add_argument("--cold-runs", type=int, default=1, help="cold full syncs (median)")
    parser.add_argument("--single-calls", type=int, default=100)
    parser.add_argument("--search-calls", type=int, default=100)
    parser.add_argument(
        "--memory-factor", type=int, default=10, help="memory at N and at FACTORxN rows"
    )
    parser.add_argument(
        "--memory-cold",
        action="store_true",
        help="let the measured full sync embed the extra rows itself (slow) instead of "
        "seeding them without the model",
    )
    parser.add_argument(
        "--freshness-samples",
        type=int,
        default=20,
        help="writes timed until search finds them, per watch mode and topology (default 20)",
    )
    parser.add_argument(
        "--skip",
        default="",
        help=f"comma-separated phases to skip: {','.join(PHASES)}. Without 'cold', the "
        "collections are seeded without the model; freshness_embedded and memory_server "
        "are parts of freshness and memory",
    )
    parser.add_argument(
        "--database-url",
        help="PostgreSQL server to create the scratch database on (default: DATABASE_URL)",
    )
    parser.add_argument("--output", type=Path, help="also write the JSON report to this file")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and files")
    args = parser.parse_args(argv)
    args.skip = frozenset(name.strip() for name in args.skip.split(",") if name.strip())
    if unknown := args.skip - set(PHASES):
        parser.error(f"unknown phase(s) in --skip: {', '.join(sorted(unknown))}")
    if args.rows < 20:
        parser.error("--rows must be at least 20")
    counts = (args.repeat, args.cold_runs, args.single_calls, args.search_calls)
    if min(*counts, args.freshness_samples) < 1:
        parser.error("counts must be at least 1")
    if args.memory_factor < 2:
        parser.error("--memory-factor must be at least 2")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    from bench.phases import phases_run
    from bench.report import render, targets
    from bench.scratch import scratch_environment

    config = Config(
        rows=args.rows,
        repeat=args.repeat,
        cold_runs=args.cold_runs,
        single_calls=args.single_calls,
        search_calls=args.search_calls,
        memory_factor=args.memory_factor,
        memory_cold=args.memory_cold,
        freshness_samples=args.freshness_samples,
        skip=args.skip,
    )
    loadavg_start = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    with scratch_environment(server_url=args.database_url, keep=args.keep) as scratch:
        import logging

        from django.conf import settings

        from syncer import embeddings

        # The sync logs every run at INFO; keep the harness output readable.
        logging.getLogger("syncer").setLevel(logging.WARNING)
        bench = Bench(config)
        phases_run(bench)
        report = {
            "rows": args.rows,
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                # Only when the torch runtime ran in this process (the default needs none).
                "torch_threads": (
                    sys.modules["torch"].get_num_threads() if "torch" in sys.modules else None
                ),
                "python": platform.python_version(),
                "loadavg_start": loadavg_start,
                "loadavg_end": round(os.getloadavg()[0], 2),
            },
            "settings": {
                "SYNC_BATCH_SIZE": settings.SYNC_BATCH_SIZE,
                "ENCODE_BATCH_SIZE": embeddings.ENCODE_BATCH_SIZE,
                "EMBEDDING_MODEL": settings.EMBEDDING_MODEL,
                # How torch's OpenMP threads wait (docs/reference.md, Configuration): single-text
                # latency depends on it.
                "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY"),
                "GOMP_SPINCOUNT": os.environ.get("GOMP_SPINCOUNT"),
                "scratch_database": scratch.database_name,
            },
            "config": {
                "repeat": config.repeat,
                "cold_runs": config.cold_runs,
                "memory_factor": config.memory_factor,
                "memory_cold": config.memory_cold,
                "freshness_samples": config.freshness_samples,
                "skip": sorted(config.skip),
            },
            "results": bench.results,
            "checks": bench.checks,
        }
    report["targets"] = targets(report["results"], args.rows)
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(report, indent=None if args.json else 2, default=str)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n")
    if args.json:
        print(text)
    else:
        print(render(report))
    return 0 if all(check["ok"] for check in report["checks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
