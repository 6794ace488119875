"""Smoke test of the benchmark harness (bench/): a tiny run, so that it cannot rot.

The real benchmark is not part of the test run; this runs ``python -m bench`` on 20 rows
(its own scratch database and Chroma directory) and checks that every phase did what it
measures and that the scratch database is gone afterwards. The memory phase (two more
model loads in child processes) is left out to keep this short.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from bench.report import render

pytestmark = pytest.mark.processes  # every test here starts real processes

ROOT = Path(__file__).resolve().parent.parent
SEARCH_CALLS = 151  # x 2 API cases (+ a warm-up each): 304 API searches


@pytest.mark.model
@pytest.mark.django_db
def test_bench_runs_every_phase_on_a_tiny_table() -> None:
    command = [
        sys.executable,
        "-m",
        "bench",
        "--rows=20",
        "--repeat=1",
        "--single-calls=3",
        # Over the API's default rate limit (300/minute per user) within the search
        # phase alone: a throttled search (429) once failed the filter check as "no hits".
        f"--search-calls={SEARCH_CALLS}",
        "--freshness-samples=2",
        "--skip=memory,freshness_embedded",
        "--json",
    ]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)

    assert finished.returncode == 0, finished.stderr[-4000:]
    report = json.loads(finished.stdout)  # exactly one JSON object on stdout
    failed = [check for check in report["checks"] if not check["ok"]]
    assert not failed, failed
    results = report["results"]
    eligible = results["setup"]["eligible_rows"]
    assert eligible == 20  # 2% excluded rounds to none of 20
    assert results["encode"]["texts"] == eligible
    assert results["cold_full"]["counts"]["upserted"] == eligible
    assert results["cold_full"]["embedded"] == eligible
    assert results["warm_full"]["counts"]["unchanged"] == eligible
    assert results["warm_full"]["embedded"] == 0
    assert results["metadata_only_full"]["counts"]["metadata_updated"] == 1
    assert results["metadata_only_full"]["embedded"] == 0
    assert results["incremental_in_process"]["text_10"]["counts"]["upserted"] == 10
    assert set(results["incremental_process"]) == {"idle", "metadata_10", "text_10"}
    assert results["single_record"]["changed_text"]["calls"] == 3
    assert results["single_record"]["metadata_changed"]["calls"] == 3
    # Bytes written to disk per call are measured for every single-record case.
    for case in ("unchanged", "metadata_changed", "changed_text", "changed_text_api"):
        written = results["single_record"][case]["disk_kb_per_call"]
        assert isinstance(written, int) and written >= 0, (case, written)
    assert results["search"]["api_filter"]["calls"] == SEARCH_CALLS
    measured = {target["target"] for target in report["targets"]}
    assert "cold full sync / raw encode throughput" in measured
    assert "single-record sync p50 (changed_text)" in measured
    freshness = results["freshness"]
    for mode in ("poll", "push"):
        assert freshness["server"][mode]["found"] == 2, freshness

    # The table printed without --json renders this same report (every phase present).
    table = render(report)
    waiting = f"OMP_WAIT_POLICY={report['settings']['OMP_WAIT_POLICY']}"
    assert any(
        line.split()[:3] == ["torch", "threads", "wait"] and waiting in line
        for line in table.splitlines()
    )
    changed = results["single_record"]["changed_text"]
    assert f"disk {changed['disk_kb_per_call']} KB/call" in table
    assert "targets" in table

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s",
            [report["settings"]["scratch_database"]],
        )
        assert cursor.fetchone()[0] == 0, "the scratch database was not dropped"


@pytest.mark.django_db
def test_bench_seeds_without_the_model_when_the_cold_sync_is_skipped() -> None:
    """Without the cold phase the collections are seeded with stand-in vectors of the
    backend's dimension (a fixed 384 was refused by every backend but MiniLM's)."""
    skipped = "encode,cold,baseline,warm,metadata,incremental,search,process,freshness,"
    command = [
        sys.executable,
        "-m",
        "bench",
        "--rows=20",
        "--repeat=1",
        "--single-calls=2",  # a changed text is embedded and written beside the seeded rows
        f"--skip={skipped}freshness_embedded,memory,memory_server",
        "--json",
    ]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)

    assert finished.returncode == 0, finished.stderr[-4000:]
    report = json.loads(finished.stdout)
    assert [seeded["documents"] for seeded in report["results"]["seeded"]] == [20]
    assert not [check for check in report["checks"] if not check["ok"]]
    assert "skipped:" not in finished.stderr and "dimension" not in finished.stderr
