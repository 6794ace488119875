"""The API as an operator meets it: a real `manage.py runserver` spoken to with plain HTTP
(what curl does), and a real `manage.py qcluster` worker picking up a queued run, or
killed (SIGKILL) while it runs one or right after it took one.

Both subprocesses work on this test's database, which is why the tests commit their data
(transactional_db), and on this test's Chroma directory. The process helpers
(tests/processes.py) start each in its own session and stop it by its PID (process group)
in a finally block.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.utils import timezone
from django_q.models import OrmQ
from rest_framework.test import APIClient

from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer.chroma_client import chroma_reset
from syncer.models import SyncRun, SyncRunSource
from syncer.services import liveness
from syncer.services.verify import sync_verify
from syncer.sources import JOURNEYS, KNOWLEDGE
from syncer.store import store_open
from tests.processes import (
    free_port,
    halasync_env,
    log_tail,
    qcluster,
    running,
    sync_lock_free,
    wait_until,
)

pytestmark = pytest.mark.processes  # every test here starts real processes

AWKWARD_ID = "ref with space?&#=ü"
SOURCE_NAMES = (KNOWLEDGE.name, JOURNEYS.name)


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """Committed data for the subprocesses. The source tables are unmanaged, so the
    transactional flush does not empty them: this fixture does."""
    yield
    KnowledgeReference.objects.all().delete()
    JourneyTemplate.objects.all().delete()


# --- plain HTTP, like curl ----------------------------------------------------------------


class Answer:
    def __init__(self, status: int, headers: Any, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: Any = None,
    raw: bytes | None = None,
    accept: str = "application/json",
) -> Answer:
    headers = {"Accept": accept}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def wait_until_serving(base: str, process: subprocess.Popen, log: Path) -> None:
    def answers() -> bool:
        try:
            http("GET", f"{base}/api/v1/sync/health")
        except OSError:
            return False
        return True

    wait_until(answers, timeout=60, what="runserver", process=process, log=log, interval=0.3)


# --- tests ----------------------------------------------------------------------------------


@pytest.mark.model
def test_an_operator_drives_the_real_server_over_http(
    committed, operator, make_knowledge, make_journey, chroma, tmp_path
):
    make_knowledge(id=AWKWARD_ID, tags=["anxiety"], title={"en": "Calm for an anxious heart"})
    make_knowledge(title={"en": "Saving money every month"})
    make_journey(goal_keyword="sleep better")
    token = operator.auth_token.key
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "runserver.log"
    env = halasync_env(CHROMA_PATH=chroma, SYNC_LOG_FILE=str(tmp_path / "sync.log"))

    # --insecure: serve the docs' static files (Swagger UI from drf-spectacular-sidecar)
    # without DEBUG, as an operator trying it out would.
    runserver = ["runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"]
    with running([sys.executable, "manage.py", *runserver], env=env, log=log) as server:
        wait_until_serving(base, server, log)

        health = http("GET", f"{base}/api/v1/sync/health")
        assert health.status == 200 and health.json()["status"] == "degraded"
        assert chroma not in health.body.decode()

        assert http("GET", f"{base}/api/v1/sync/stats").status == 401

        # The seed's documented call: queue a full sync.
        queued = http(
            "POST", f"{base}/api/v1/sync/run", token=token, body={"force_full_sync": True}
        )
        assert queued.status == 202, queued.body
        run_id = queued.json()["id"]
        assert queued.headers["Location"] == f"{base}/api/v1/sync/runs/{run_id}"
        assert http("GET", queued.headers["Location"], token=token).json()["status"] == "queued"

        # The seed's other documented call.
        stats = http("GET", f"{base}/api/v1/sync/stats", token=token)
        assert stats.status == 200
        assert stats.json()["queued_runs"] == 1
        assert stats.json()["sources"]["knowledge"]["eligible_count"] == 2

        refused = http("POST", f"{base}/api/v1/sync/run", token=token, body={})
        assert refused.status == 409 and refused.json()["run_id"] == run_id

        # No worker here: run one now, inside the request.
        ran = http(
            "POST",
            f"{base}/api/v1/sync/run",
            token=token,
            body={"force_full_sync": True, "wait": True},
        )
        assert ran.status == 200, ran.body
        assert ran.json()["status"] == "succeeded"
        assert ran.json()["counts"]["knowledge"]["upserted"] == 2

        stats = http("GET", f"{base}/api/v1/sync/stats", token=token).json()
        assert stats["sources"]["knowledge"]["chroma_count"] == 2
        assert stats["sources"]["journeys"]["chroma_count"] == 1

        one = http(
            "POST",
            f"{base}/api/v1/sync/knowledge-reference/{quote(AWKWARD_ID, safe='')}",
            token=token,
        )
        assert one.status == 200, one.body
        assert one.json()["id"] == AWKWARD_ID and one.json()["action"] == "unchanged"

        query = urlencode({"q": "I feel anxious", "tag": "anxiety"})
        hits = http("GET", f"{base}/api/v1/search/knowledge-references?{query}", token=token)
        assert [hit["id"] for hit in hits.json()["results"]] == [AWKWARD_ID]

        broken = http("POST", f"{base}/api/v1/sync/run", token=token, raw=b'{"wait": tru')
        assert broken.status == 400 and "JSON parse error" in broken.json()["detail"]
        huge = http("POST", f"{base}/api/v1/sync/run", token=token, raw=b" " * 100_000)
        assert huge.status == 413 and huge.json()["detail"]

        runs = http("GET", f"{base}/api/v1/sync/runs", token=token).json()
        assert [run["mode"] for run in runs["results"]] == ["single", "full", "full"]

        docs = http("GET", f"{base}/api/docs/", accept="text/html")
        assert docs.status == 200 and b"swagger-ui" in docs.body
        asset = http(
            "GET",
            f"{base}/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
            accept="*/*",
        )
        assert asset.status == 200 and len(asset.body) > 100_000
        schema = http("GET", f"{base}/api/schema/?format=json")
        assert "/api/v1/sync/run" in schema.json()["paths"]

    assert server.returncode is not None
    chroma_reset()  # the server wrote this directory: reopen it here
    assert store_open(KNOWLEDGE.collection_name, create=False).count() == 2


@pytest.mark.model
def test_a_real_qcluster_runs_a_queued_run(
    committed, operator, make_knowledge, make_journey, chroma, tmp_path
):
    make_knowledge()
    make_knowledge(status="REJECTED")
    make_journey()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator.auth_token.key}")
    response = client.post("/api/v1/sync/run", {"force_full_sync": True}, format="json")
    assert response.status_code == 202
    run_id = response.json()["id"]
    log = tmp_path / "qcluster.log"

    env = halasync_env(CHROMA_PATH=chroma, SYNC_LOG_FILE=str(tmp_path / "sync.log"))
    with running([sys.executable, "manage.py", "qcluster"], env=env, log=log) as worker:
        deadline = time.monotonic() + 120
        run = SyncRun.objects.get(pk=run_id)
        while run.status in (SyncRun.Status.QUEUED, SyncRun.Status.RUNNING):
            assert worker.poll() is None, f"qcluster exited:\n{log_tail(log)}"
            assert time.monotonic() < deadline, f"run still {run.status}:\n{log_tail(log)}"
            time.sleep(0.5)
            run.refresh_from_db()

    assert run.status == SyncRun.Status.SUCCEEDED, (run.error, log_tail(log))
    body = client.get(f"/api/v1/sync/runs/{run_id}").json()
    assert body["counts"]["knowledge"]["upserted"] == 1
    assert body["counts"]["journeys"]["upserted"] == 1
    assert client.get("/api/v1/sync/stats").json()["queued_runs"] == 0
    chroma_reset()  # the worker wrote this directory: reopen it here
    assert store_open(KNOWLEDGE.collection_name, create=False).count() == 1
    assert store_open(JOURNEYS.collection_name, create=False).count() == 1


# --- a worker that dies -------------------------------------------------------------------


def token_client(operator: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator.auth_token.key}")
    return client


@pytest.mark.model
def test_a_worker_killed_during_a_run_stops_blocking_at_once(
    committed, operator, make_knowledge, chroma, tmp_path
):
    for number in range(200):
        make_knowledge(id=f"k{number:03}")
    client = token_client(operator)
    queued = client.post("/api/v1/sync/run", {"force_full_sync": True}, format="json")
    assert queued.status_code == 202
    run_id = queued.json()["id"]
    log = tmp_path / "qcluster.log"
    env = halasync_env(
        CHROMA_PATH=chroma, SYNC_BATCH_SIZE="4", SYNC_LOG_FILE=str(tmp_path / "sync.log")
    )

    with qcluster(env, log) as worker:
        # Executed by the worker, the run says so: running, with its start.
        wait_until(
            lambda: SyncRun.objects.filter(
                pk=run_id, status="running", started_at__isnull=False
            ).exists(),
            timeout=120,
            what="the worker's run recorded as running",
            process=worker,
            log=log,
        )
        wait_until(
            lambda: SyncRunSource.objects.filter(run_id=run_id, scanned__gte=8).exists(),
            timeout=120,
            what="the worker's run under way",
            process=worker,
            log=log,
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    assert SyncRun.objects.get(pk=run_id).status == SyncRun.Status.RUNNING
    wait_until(lambda: sync_lock_free(list(SOURCE_NAMES)), timeout=10, what="locks released")

    # Health says so at once (public, no credentials), naming the run and nothing else.
    health = APIClient().get("/api/v1/sync/health").json()
    assert health["status"] == "degraded"
    assert health["checks"]["worker"]["abandoned_runs"] == [run_id]
    assert f"run #{run_id} (running) is abandoned" in health["checks"]["worker"]["detail"]
    assert chroma not in json.dumps(health)

    # The next request is not refused: the dead run is closed with the reason.
    again = client.post("/api/v1/sync/run", {}, format="json")
    assert again.status_code == 202, again.json()
    dead = client.get(f"/api/v1/sync/runs/{run_id}").json()
    assert dead["status"] == "failed" and dead["error"].startswith("abandoned: the process")
    assert dead["finished_at"] is not None

    # Nothing is lost: a sync converges (what the killed run wrote is kept).
    chroma_reset()
    finished = client.post(
        "/api/v1/sync/run", {"force_full_sync": False, "wait": True}, format="json"
    )
    assert finished.status_code == 200 and finished.json()["status"] == "succeeded"
    assert sync_verify().clean


def test_a_run_taken_by_a_worker_that_died_before_starting_it_stops_blocking(
    committed, operator, make_knowledge, chroma, tmp_path, monkeypatch
):
    make_knowledge()
    client = token_client(operator)
    log = tmp_path / "qcluster.log"
    env = halasync_env(CHROMA_PATH=chroma, Q_WORKERS="1", SYNC_LOG_FILE=str(tmp_path / "sync.log"))

    with qcluster(env, log) as cluster:
        # Freeze the one worker process: the cluster's pusher still takes a task for it.
        worker_pid = wait_until(
            lambda: re.search(r"ready for work at (\d+)", log.read_text(errors="replace")),
            timeout=60,
            what="the worker process",
            process=cluster,
            log=log,
        ).group(1)
        os.kill(int(worker_pid), signal.SIGSTOP)
        queued = client.post("/api/v1/sync/run", {}, format="json")
        assert queued.status_code == 202
        run_id = queued.json()["id"]
        wait_until(
            lambda: OrmQ.objects.filter(lock__gt=timezone.now()).exists(),
            timeout=60,
            what="the task taken from the broker",
            process=cluster,
            log=log,
        )
        os.killpg(cluster.pid, signal.SIGKILL)  # the whole cluster dies, frozen worker too
        cluster.wait(timeout=10)

    # A worker may still be starting it: for a while the run waits, and blocks.
    assert SyncRun.objects.get(pk=run_id).status == SyncRun.Status.QUEUED
    refused = client.post("/api/v1/sync/run", {}, format="json")
    assert refused.status_code == 409 and refused.json()["run_id"] == run_id

    # Past the bound (10 minutes, shortened here), it is known lost: health says so...
    monkeypatch.setattr(liveness, "QUEUED_TASK_LOST_SECONDS", 0)
    worker = APIClient().get("/api/v1/sync/health").json()["checks"]["worker"]
    assert worker["status"] == "degraded" and worker["abandoned_runs"] == [run_id]
    assert "never started it" in worker["detail"]

    # ...and the next request closes it instead of answering 409.
    again = client.post("/api/v1/sync/run", {}, format="json")
    assert again.status_code == 202, again.json()
    lost = SyncRun.objects.get(pk=run_id)
    assert lost.status == SyncRun.Status.FAILED
    assert lost.error.startswith("abandoned: a worker took it from the queue")
    # The new run's task waits in the broker (no worker): it is not lost, it waits.
    assert liveness.runs_abandoned() == []
    assert client.post("/api/v1/sync/run", {}, format="json").status_code == 409
