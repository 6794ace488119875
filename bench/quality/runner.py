"""Run the quality benchmark: one scratch database, one child process per configuration.

The evaluation set's rows are inserted once into the scratch source tables; each
configuration then runs in its own process (``bench.quality.config_run``) with its settings
overrides in the environment and its own Chroma directory, so configurations never share a
model, a client or a collection. The scratch database and every directory are removed at
the end, whatever happens (unless ``keep``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.quality.configs import config_overrides, overridden_settings
from bench.quality.evalset import SOURCES, EvalSet
from bench.quality.metrics import SEARCH_LIMIT, metrics_compute, targets_evaluate
from bench.quality.overlap import MAX_SHARED_SHARE, MIN_SHARED_WORDS, query_overlaps

ROOT = Path(__file__).resolve().parents[2]
# Source rows are stamped a minute apart from here (the sync reads them in any order).
ROWS_STAMPED_FROM = datetime(2026, 1, 1, tzinfo=UTC)
# Settings reported for every configuration besides the ones some configuration overrides.
ALWAYS_REPORTED = ("EMBEDDING_MODEL",)
# Per-query detail in the report: the first ids returned.
TOP_REPORTED = 5


def _log(message: str) -> None:
    print(f"[bench.quality] {message}", file=sys.stderr, flush=True)


def quality_run(
    *, evalset: EvalSet, config_names: list[str], server_url: str | None, keep: bool
) -> dict[str, Any]:
    """Evaluate each named configuration on ``evalset``; the report as a dict."""
    from bench.scratch import scratch_environment

    started = time.perf_counter()
    overlaps = query_overlaps(evalset)
    flagged = [finding for finding in overlaps if finding.flagged]
    report: dict[str, Any] = {
        "dataset": evalset.summary(),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "loadavg_start": round(os.getloadavg()[0], 2)},
        "overlap": {
            "rule": f"flagged when more than {MAX_SHARED_SHARE:.0%} of a paraphrase query's "
            f"content words (and at least {MIN_SHARED_WORDS}) appear in one relevant row",
            "flagged": [finding.as_dict() for finding in flagged],
            "highest": [
                finding.as_dict()
                for finding in sorted(overlaps, key=lambda f: -f.share)[:5]
                if not finding.flagged
            ],
        },
        "configs": {},
        "checks": [
            {
                "name": "no paraphrase query copies its target's words",
                "ok": not flagged,
                "detail": "; ".join(f"{f.query_id}: {', '.join(f.shared)}" for f in flagged),
            }
        ],
    }
    with scratch_environment(
        server_url=server_url, keep=keep, prefix="halasync_quality"
    ) as scratch:
        _rows_insert(evalset)
        directory = Path(scratch.chroma_path).parent
        report["scratch_database"] = scratch.database_name
        for name in config_names:
            report["configs"][name] = _config_report(name, evalset, directory, report["checks"])
    report["machine"]["loadavg_end"] = round(os.getloadavg()[0], 2)
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    return report


def _rows_insert(evalset: EvalSet) -> None:
    """The set's rows into the scratch source tables, stamped as the application would."""
    from django.db import transaction

    from halasync.routers import source_alias
    from journeys.models import JourneyTemplate
    from knowledge.models import KnowledgeReference

    alias = source_alias()
    number = 0

    def stamped(row: dict[str, Any]) -> dict[str, Any]:
        nonlocal number
        number += 1
        updated = ROWS_STAMPED_FROM + timedelta(minutes=number)
        return {**row, "created_at": ROWS_STAMPED_FROM, "updated_at": updated}

    with transaction.atomic(using=alias):
        KnowledgeReference.objects.using(alias).bulk_create(
            KnowledgeReference(**stamped(row)) for row in evalset.knowledge_rows
        )
        JourneyTemplate.objects.using(alias).bulk_create(
            JourneyTemplate(**stamped(row)) for row in evalset.journey_rows
        )
    _log(
        f"inserted {len(evalset.knowledge_rows)} knowledge references and "
        f"{len(evalset.journey_rows)} journey templates ({evalset.name})"
    )


def _job(name: str, evalset: EvalSet) -> dict[str, Any]:
    """What the child process is asked to do (see ``config_run.config_evaluate``)."""
    return {
        "config": name,
        "overrides": config_overrides(name),
        "reported_settings": sorted({*ALWAYS_REPORTED, *overridden_settings()}),
        "eligible_ids": {source: sorted(evalset.eligible_ids(source)) for source in SOURCES},
        "queries": [
            {"id": query.id, "text": query.text, "source": query.source}
            for query in evalset.queries
        ],
        "limit": SEARCH_LIMIT,
    }


def _config_report(
    name: str, evalset: EvalSet, directory: Path, checks: list[dict[str, Any]]
) -> dict[str, Any]:
    overrides = config_overrides(name)
    job_path = directory / f"job-{name}.json"
    job_path.write_text(json.dumps(_job(name, evalset), ensure_ascii=False))
    # Settings another configuration overrides are removed, so that each configuration
    # differs from the others only by what it says.
    env = {key: value for key, value in os.environ.items() if key not in overridden_settings()}
    env.update(overrides)
    env["CHROMA_PATH"] = str(directory / f"chroma-{name}")
    described = ", ".join(f"{key}={value}" for key, value in overrides.items()) or "no overrides"
    _log(f"config {name} ({described}): sync and {len(evalset.queries)} searches")
    began = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-m", "bench.quality.config_run", str(job_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    try:
        result = json.loads(child.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        checks.append(
            {
                "name": f"{name}: the configuration ran",
                "ok": False,
                "detail": f"exit {child.returncode}: {child.stderr.strip()[-2000:]}",
            }
        )
        _log(f"config {name} FAILED (exit {child.returncode}):\n{child.stderr[-4000:]}")
        return {"overrides": overrides, "failed": True}
    for check in result["checks"]:
        checks.append({**check, "name": f"{name}: {check['name']}"})
    ranked = result["ranked"]
    if set(ranked) != {query.id for query in evalset.queries}:
        _log(f"config {name}: not evaluated (a check failed before the searches)")
        return {"overrides": overrides, "settings": result["settings"], "failed": True}
    metrics = metrics_compute(evalset.queries, ranked)
    ranks = metrics.pop("ranks")
    _log(f"config {name} done in {time.perf_counter() - began:.1f}s")
    return {
        "overrides": overrides,
        "settings": result["settings"],
        "sync": result["sync"],
        "search": result["search"],
        "metrics": metrics,
        "targets": targets_evaluate(metrics),
        "queries": [
            {
                "id": query.id,
                "text": query.text,
                "rank": ranks[query.id],
                "relevant": list(query.relevant),
                "top": ranked[query.id][:TOP_REPORTED],
            }
            for query in evalset.queries
        ],
    }
