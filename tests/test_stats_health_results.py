"""``sync_stats`` and ``sync_health`` return typed results; ``as_dict()`` is the one JSON
rendering, and the API and the command serve exactly its shape (other programs read it)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from syncer.services.health import HealthCheck, SyncHealth, sync_health
from syncer.services.runs import sync_run_execute
from syncer.services.stats import RunSummary, SourceStats, SyncStats, sync_stats

STATS_KEYS = {
    "chroma",
    "chroma_reachable",
    "sources",
    "queued_runs",
    "oldest_queued_age_seconds",
    "running_runs",
    "last_runs",
}
SOURCE_KEYS = {
    "collection",
    "chroma_count",
    "chroma_error",
    "eligible_count",
    "pending_changes",
    "future_rows",
    "invalid_rows",
    "watermark",
    "last_successful_run",
    "last_full_reconcile",
}
RUN_SUMMARY_KEYS = {"id", "mode", "finished_at", "age_seconds"}
INVALID_ROW_KEYS = {
    "id",
    "error",
    "updated_at",
    "first_seen_run",
    "last_seen_run",
    "first_seen_at",
    "last_seen_at",
}
HEALTH_CHECK_KEYS = {
    "postgres": {"status", "detail", "databases"},
    "chroma": {"status", "detail", "mode", "collections"},
    "worker": {
        "status",
        "detail",
        "clusters",
        "queued_runs",
        "oldest_queued_age_seconds",
        "abandoned_runs",
    },
    "last_sync": {"status", "detail", "max_age_seconds", "sources"},
}


def shape(value: Any) -> Any:
    """The keys of every mapping in ``value``, nested; lists by their items."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return None


def assert_stats_shape(data: dict[str, Any]) -> None:
    assert set(data) == STATS_KEYS
    assert set(data["sources"]) == {"knowledge", "journeys"}
    for source in data["sources"].values():
        assert set(source) == SOURCE_KEYS
        assert set(source["last_successful_run"]) == RUN_SUMMARY_KEYS
        assert set(source["last_full_reconcile"]) == RUN_SUMMARY_KEYS
    (invalid,) = data["sources"]["journeys"]["invalid_rows"]["rows"]
    assert set(invalid) == INVALID_ROW_KEYS


@pytest.mark.usefixtures("chroma")
def test_stats_are_typed_and_the_api_and_command_serve_their_as_dict(
    api: Any, make_knowledge: Any, make_journey: Any
) -> None:
    make_knowledge(id="k")
    make_journey(id="no_text", goal_keyword="", tags=[], full_json={})  # an invalid row
    run = sync_run_execute(mode="full", trigger="cli")

    stats = sync_stats()

    assert isinstance(stats, SyncStats)
    knowledge = stats.sources["knowledge"]
    assert isinstance(knowledge, SourceStats)
    assert (knowledge.chroma_count, knowledge.eligible_count) == (1, 1)
    assert isinstance(knowledge.last_successful_run, RunSummary)
    assert knowledge.last_successful_run.id == run.pk
    assert stats.sources["journeys"].invalid_rows.count == 1
    assert stats.chroma_unreachable_error is None
    rendered = stats.as_dict()
    assert_stats_shape(rendered)
    assert rendered["sources"]["knowledge"]["watermark"] == knowledge.watermark.isoformat()
    assert json.loads(json.dumps(rendered)) == rendered  # plain JSON, nothing to convert

    out = io.StringIO()
    call_command("sync", "stats", "--json", stdout=out)
    from_command = json.loads(out.getvalue())
    from_api = api.get("/api/v1/sync/stats").json()
    assert_stats_shape(from_command)
    assert_stats_shape(from_api)
    assert shape(from_command) == shape(from_api) == shape(rendered)


@pytest.mark.usefixtures("chroma")
def test_health_is_typed_and_the_api_serves_its_as_dict(api: Any, make_knowledge: Any) -> None:
    make_knowledge()
    sync_run_execute(mode="full", trigger="cli")

    health = sync_health()

    assert isinstance(health, SyncHealth)
    assert set(health.checks) == set(HEALTH_CHECK_KEYS)
    assert all(isinstance(check, HealthCheck) for check in health.checks.values())
    assert health.status == "ok", health
    assert health.checks["chroma"].facts["collections"]["knowledge"]["count"] == 1
    rendered = health.as_dict()
    assert rendered["status"] == health.status
    for name, keys in HEALTH_CHECK_KEYS.items():
        assert set(rendered["checks"][name]) == keys
        assert rendered["checks"][name]["status"] == health.checks[name].status

    response = api.get("/api/v1/sync/health")
    assert response.status_code == 200
    assert shape(response.json()) == shape(rendered)
