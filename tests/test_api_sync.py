"""POST /api/v1/sync/run: queued runs on django-q2, "wait", 409, and bad bodies."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_q.models import OrmQ

from syncer.locks import sync_lock
from syncer.models import SyncRun
from syncer.reporting import run_as_dict
from syncer.sources import JOURNEYS, KNOWLEDGE
from syncer.store import store_open

RUN_URL = "/api/v1/sync/run"


def post_json(client: Any, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def rows(make_knowledge: Any, make_journey: Any) -> dict[str, list[Any]]:
    return {
        "knowledge": [make_knowledge(), make_knowledge(), make_knowledge(status="REJECTED")],
        "journeys": [make_journey(), make_journey(is_active=False)],
    }


def test_queued_run_is_executed_by_the_worker(api, rows, chroma, q_sync):
    response = post_json(api, RUN_URL, {})

    assert response.status_code == 202, response.content
    body = response.json()
    run = SyncRun.objects.get(pk=body["id"])
    assert response["Location"] == f"http://testserver/api/v1/sync/runs/{run.pk}"
    assert (run.mode, run.trigger, run.force) == ("incremental", "api", False)
    # The django-q2 task ran inline (q_sync): the run finished and Chroma holds the rows.
    assert run.status == SyncRun.Status.SUCCEEDED
    assert store_open(KNOWLEDGE.collection_name).count() == 2
    assert store_open(JOURNEYS.collection_name).count() == 2
    assert body["id"] == run.pk and body["status"] == "succeeded"


def test_queued_run_waits_visibly_for_a_worker(api, rows, chroma):
    response = post_json(api, RUN_URL, {"force_full_sync": True})

    assert response.status_code == 202
    queued = response.json()
    assert queued["status"] == "queued" and queued["mode"] == "full" and queued["force"] is True
    # On the ORM broker: a django-q2 task that a `qcluster` will pick up.
    assert OrmQ.objects.count() == 1
    assert api.get(response["Location"]).json()["status"] == "queued"
    stats = api.get("/api/v1/sync/stats").json()
    assert stats["queued_runs"] == 1
    assert stats["last_runs"][0]["id"] == queued["id"]

    # A second request does not stack another run behind it.
    again = post_json(api, RUN_URL, {"force_full_sync": False})
    assert again.status_code == 409
    assert again.json()["run_id"] == queued["id"]
    assert "detail" in again.json()
    assert SyncRun.objects.count() == 1

    # Nobody picks it up: health says so once it has waited too long.
    assert api.get("/api/v1/sync/health").json()["checks"]["worker"]["status"] == "ok"
    SyncRun.objects.filter(pk=queued["id"]).update(created_at=timezone.now() - timedelta(hours=1))
    health = api.get("/api/v1/sync/health")
    worker = health.json()["checks"]["worker"]
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    assert worker["status"] == "degraded" and f"#{queued['id']}" in worker["detail"]
    assert worker["oldest_queued_age_seconds"] >= 3600


def test_force_full_sync_false_queues_an_incremental_run(api, rows, chroma):
    response = post_json(api, RUN_URL, {"force_full_sync": False, "wait": False})

    assert response.status_code == 202
    assert (response.json()["mode"], response.json()["force"]) == ("incremental", False)


def test_wait_runs_now_and_answers_the_finished_run(api, rows, chroma):
    response = post_json(api, RUN_URL, {"force_full_sync": True, "wait": True})

    assert response.status_code == 200, response.content
    body = response.json()
    run = SyncRun.objects.get(pk=body["id"])
    assert (run.mode, run.force, run.trigger, run.status) == ("full", True, "api", "succeeded")
    # Same shape as `manage.py sync full --json`.
    assert body == json.loads(json.dumps(run_as_dict(run)))
    assert body["counts"]["knowledge"]["upserted"] == 2
    assert body["counts"]["journeys"]["upserted"] == 2
    assert body["record_errors"] == []

    incremental = post_json(api, RUN_URL, {"wait": True}).json()
    assert incremental["mode"] == "incremental"
    assert incremental["counts"]["knowledge"]["upserted"] == 0


def test_409_while_a_sync_holds_the_lock(api, rows, chroma):
    running = SyncRun.objects.create(
        mode="full", trigger="cli", sources=["knowledge", "journeys"], status="running"
    )
    with sync_lock(["knowledge"]):
        queued = post_json(api, RUN_URL, {})
        waited = post_json(api, RUN_URL, {"wait": True})

    for response in (queued, waited):
        assert response.status_code == 409
        assert response.json()["run_id"] == running.pk
        assert "another sync of knowledge is running" in response.json()["detail"]
    assert SyncRun.objects.exclude(pk=running.pk).filter(status="queued").count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"force_full_sync": "yes"}, "force_full_sync"),
        ({"force_full_sync": 1}, "force_full_sync"),
        ({"force_full_sync": None}, "force_full_sync"),
        ({"wait": "true"}, "wait"),
        ({"force": True}, "force"),
        ({"force_full_sync": True, "source": "knowledge"}, "source"),
        ([True], None),
        ("full", None),
        (42, None),
    ],
)
def test_wrong_types_and_unknown_fields_are_400(api, chroma, body, field):
    response = post_json(api, RUN_URL, body)

    assert response.status_code == 400
    data = response.json()
    assert isinstance(data["detail"], str) and data["detail"]
    if field:
        assert field in data["errors"] and field in data["detail"]
    assert not SyncRun.objects.exists()


@pytest.mark.parametrize(
    ("payload", "content_type", "code"),
    [
        ('{"force_full_sync": tru', "application/json", 400),
        ("{" * 5000, "application/json", 400),
        ("[" * 10000 + "]" * 10000, "application/json", 413),
        (b"\xff\xfe{}", "application/json", 400),
        ('{"wait": false, "padding": "' + "x" * 100_000 + '"}', "application/json", 413),
        ("force_full_sync=true", "application/x-www-form-urlencoded", 415),
        ("force_full_sync=true", "text/plain", 415),
    ],
)
def test_malformed_huge_or_non_json_bodies_are_4xx(api, chroma, payload, content_type, code):
    response = api.post(RUN_URL, data=payload, content_type=content_type)

    assert response.status_code == code
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    assert not SyncRun.objects.exists()


def test_deeply_nested_json_is_400_not_a_crash(api, chroma):
    payload = "[" * 8000 + "]" * 8000  # under the size limit, over Python's recursion limit
    response = api.post(RUN_URL, data=payload, content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_empty_body_means_the_defaults(api, chroma):
    response = api.post(RUN_URL)

    assert response.status_code == 202
    assert response.json()["mode"] == "incremental"


def test_a_chunked_body_the_server_cannot_read_is_411_not_an_empty_body(api, chroma):
    # As under `manage.py runserver`, whose WSGI input is not terminated after the body
    # (gunicorn's is: tests/test_web_server.py reads such a body through gunicorn).
    response = api.post(
        RUN_URL,
        data='{"force_full_sync": true}',
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
    )

    assert response.status_code == 411
    assert "Content-Length" in response.json()["detail"]
    assert not SyncRun.objects.exists()
