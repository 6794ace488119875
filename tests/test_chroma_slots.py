"""The cap on interactive Chroma requests per process (``syncer.chroma_slots``): searches
that pile up on a frozen Chroma server hold at most CHROMA_INTERACTIVE_CONCURRENCY web
threads per process, the others are refused at once with a 503, and health keeps
answering. Against a real `chroma run` (frozen with SIGSTOP) and the real gunicorn
configuration, spoken to by concurrent clients."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from syncer import chroma_slots
from syncer.api.exceptions import CHROMA_BUSY, CHROMA_UNAVAILABLE
from syncer.chroma_client import chroma_reset
from syncer.models import SyncRun
from syncer.services.runs import sync_run_execute
from tests.processes import (
    ChromaServer,
    free_port,
    gunicorn,
    halasync_env,
    wait_until,
)

# A frozen server is resumed after this long whatever happens (tests/test_outages.py).
FROZEN_AT_MOST = 90.0


def _get(url: str, *, token: str | None = None, timeout: float) -> tuple[int, Any]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.django_db(transaction=True)
def test_health_answers_while_searches_pile_up_on_a_frozen_server(
    operator: Any, chroma_server: ChromaServer, tmp_path: Path
) -> None:
    """Each search waits for the frozen server as long as CHROMA_TIMEOUT_SECONDS (far
    longer than this test: only the cap can free the threads), and the breaker is off.
    Without the cap, 16 searches held all 2 x 8 gunicorn threads and health got none."""
    cap, workers, threads = 4, 2, 8
    env = halasync_env(
        CHROMA_HOST="127.0.0.1",
        CHROMA_PORT=str(chroma_server.port),
        CHROMA_TIMEOUT_SECONDS="600",
        CHROMA_BREAKER_SECONDS="0",
        CHROMA_INTERACTIVE_CONCURRENCY=str(cap),
        SYNC_LOG_FILE=str(tmp_path / "sync.log"),
    )
    token = operator.auth_token.key
    searches = workers * threads + 8
    answers: list[tuple[int, Any]] = []
    lock = threading.Lock()

    with gunicorn(env, tmp_path / "gunicorn.log", "--workers", str(workers)) as base:
        url = f"{base}/api/v1/search/knowledge-references?q={quote('calm')}"

        def search() -> None:
            answer = _get(url, token=token, timeout=FROZEN_AT_MOST + 60)
            with lock:
                answers.append(answer)

        clients = [threading.Thread(target=search, daemon=True) for _ in range(searches)]
        with chroma_server.frozen(at_most=FROZEN_AT_MOST):
            for client in clients:
                client.start()
            # The searches that found every slot held answer at once; at most `cap` per
            # worker still wait for the server.
            wait_until(
                lambda: len(answers) >= searches - workers * cap,
                timeout=60,
                what="searches beyond the cap refused",
            )
            health = [_get(f"{base}/api/v1/sync/health", timeout=20) for _ in range(3)]
            with lock:
                refused = list(answers)
        for client in clients:
            client.join(timeout=FROZEN_AT_MOST + 60)

    assert len(refused) >= searches - workers * cap
    assert {status for status, _ in refused} == {503}, refused
    assert all(body == {"detail": CHROMA_BUSY} for _, body in refused), refused
    for status, body in health:
        assert status == 503, body
        assert body["checks"]["chroma"]["status"] == "down"
        assert body["checks"]["postgres"]["status"] == "ok"
    # The searches that held a slot got the server's answer once it resumed (no
    # collection was ever built: 503 saying so).
    assert len(answers) == searches
    held = answers[len(refused) :]
    assert held and all(body["detail"] not in (CHROMA_BUSY, CHROMA_UNAVAILABLE) for _, body in held)


def test_a_request_that_finds_every_slot_held_is_refused_syncs_and_health_are_not(
    api: Any, chroma_server: ChromaServer, make_knowledge: Any, settings: Any
) -> None:
    settings.CHROMA_INTERACTIVE_CONCURRENCY = 2
    make_knowledge(id="k1")
    assert sync_run_execute(mode="full", trigger="cli").status == SyncRun.Status.SUCCEEDED
    make_knowledge(id="k2")
    url = "/api/v1/search/knowledge-references?q=calm"

    # Both slots held, as two searches waiting for a frozen server hold them.
    with chroma_slots.interactive_slot(), chroma_slots.interactive_slot():
        refused = api.get(url)
        stats = api.get("/api/v1/sync/stats")
        record = api.post("/api/v1/sync/knowledge-reference/k2")
        health = api.get("/api/v1/sync/health")
        run = sync_run_execute(mode="incremental", trigger="cli")

    assert refused.status_code == 503 and refused.json() == {"detail": CHROMA_BUSY}
    # Every endpoint words it the same: busy, retry, the setting (not "cannot be reached").
    assert stats.status_code == 503 and stats.json() == {"detail": CHROMA_BUSY}
    assert record.status_code == 503 and record.json() == {"detail": CHROMA_BUSY}
    checks = health.json()["checks"]
    assert checks["chroma"]["status"] == "ok", checks["chroma"]
    assert checks["chroma"]["collections"]["knowledge"]["count"] == 1
    assert run.status == SyncRun.Status.SUCCEEDED, run.error  # syncs take no slot
    assert run.source_results.get(source="knowledge").upserted == 1
    # Released: the slots serve requests again.
    answer = api.get(url)
    assert answer.status_code == 200, answer.content
    assert {hit["id"] for hit in answer.json()["results"]} == {"k1", "k2"}


def test_a_slot_is_released_when_its_request_fails(api: Any, settings: Any, db: None) -> None:
    settings.CHROMA_HOST, settings.CHROMA_PORT = "127.0.0.1", free_port()  # nothing listens
    settings.CHROMA_INTERACTIVE_CONCURRENCY = 1
    chroma_reset()
    try:
        answers = [api.get("/api/v1/search/knowledge-references?q=calm") for _ in range(3)]
    finally:
        chroma_reset()
    assert [a.json() for a in answers] == [{"detail": CHROMA_UNAVAILABLE}] * 3


def test_busy_slots_are_worded_as_busy_with_what_to_do(
    api: Any,
    admin_client: Any,
    chroma_server: ChromaServer,
    make_knowledge: Any,
    settings: Any,
) -> None:
    """Slots full is not Chroma down: the API and the CLI say it is busy, to retry, and
    which setting raises the cap; stats' JSON says the same in its error."""
    settings.CHROMA_INTERACTIVE_CONCURRENCY = 1
    make_knowledge(id="k1")
    assert sync_run_execute(mode="full", trigger="cli").status == SyncRun.Status.SUCCEEDED
    for wording in (CHROMA_BUSY, str(chroma_slots.SlotsTaken(1))):
        assert wording.startswith("Chroma is busy")
        assert "retry" in wording and "CHROMA_INTERACTIVE_CONCURRENCY" in wording
        assert "cannot be reached" not in wording

    out = StringIO()
    with chroma_slots.interactive_slot():
        overview = admin_client.get(reverse("admin:syncer_syncrun_overview"))
        with pytest.raises(CommandError) as stats_error:
            call_command("sync", "stats", "--json", stdout=out, stderr=StringIO())
        with pytest.raises(CommandError) as search_error:
            call_command("sync", "search", "calm", stdout=StringIO(), stderr=StringIO())
        answers = [
            api.get("/api/v1/sync/stats"),
            api.get("/api/v1/search/knowledge-references?q=calm"),
            api.get("/api/v1/search/journey-templates?q=calm"),
            api.post("/api/v1/sync/knowledge-reference/k1"),
            api.post("/api/v1/sync/journey-template/j1"),
        ]

    busy = str(chroma_slots.SlotsTaken(1))
    assert stats_error.value.returncode == 1 and str(stats_error.value) == busy
    assert json.loads(out.getvalue())["error"] == busy
    assert search_error.value.returncode == 1 and str(search_error.value) == busy
    assert [(a.status_code, a.json()) for a in answers] == [(503, {"detail": CHROMA_BUSY})] * 5
    # The overview says so too, as something to look at, not Chroma down (health, which
    # takes no slot, says ok meanwhile).
    page = overview.content.decode()
    assert overview.context["health"]["status"] == "attention"
    assert "Chroma is busy" in page and "CHROMA_INTERACTIVE_CONCURRENCY" in page
