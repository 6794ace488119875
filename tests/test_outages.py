"""How every entry point answers when a dependency is down or hung: the Chroma server
down (nothing listens on its port) or frozen (a real `chroma run` stopped with SIGSTOP,
resumed with SIGCONT in a finally), PostgreSQL refusing connections (the test database's
ALLOW_CONNECTIONS) or frozen (behind a TCP forwarder that stops forwarding).

The API answers 503 with a JSON ``detail`` that names no host or port, the CLI exits 1
with one line (one JSON object with ``--json``), admin pages render with "unavailable",
health answers within its deadline. A frozen server is resumed after a bounded time
even when the code under test waits for it without a timeout, so such code fails these
tests instead of hanging them.
"""

from __future__ import annotations

import json
import logging
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from syncer.api.exceptions import CHROMA_UNAVAILABLE, POSTGRES_UNAVAILABLE
from syncer.chroma_client import chroma_reset
from syncer.models import SyncRun
from syncer.services.health import HEALTH_DEADLINE_SECONDS
from syncer.services.runs import sync_run_execute
from syncer.store import store_open
from tests.conftest import sync_json
from tests.processes import (
    ChromaServer,
    TcpProxy,
    free_port,
    halasync_env,
    manage_json,
    running,
    sync_lock_free,
    wait_until,
)
from tests.test_failures import admin_connection

# A frozen server is resumed after this long whatever happens (see the module docstring).
FROZEN_AT_MOST = 45.0


@pytest.fixture
def chroma_down(settings: Any) -> Any:
    """Settings pointing at a Chroma server that is down: nothing listens on its port."""
    settings.CHROMA_HOST, settings.CHROMA_PORT = "127.0.0.1", free_port()
    chroma_reset()
    yield settings.CHROMA_PORT
    chroma_reset()


@pytest.fixture
def syncer_log(caplog: pytest.LogCaptureFixture) -> Any:
    """The "syncer" logger does not propagate: hand caplog its records."""
    logger = logging.getLogger("syncer")
    logger.addHandler(caplog.handler)
    with caplog.at_level(logging.INFO, logger="syncer"):
        yield caplog
    logger.removeHandler(caplog.handler)


def assert_names_no_address(body: str, port: int) -> None:
    assert str(port) not in body
    assert "127.0.0.1" not in body and "localhost" not in body


# --- Chroma server down: the API ------------------------------------------------------------


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/api/v1/search/knowledge-references?q=calm"),
        ("get", "/api/v1/search/journey-templates?q=calm"),
        ("get", "/api/v1/sync/stats"),
        ("post", "/api/v1/sync/knowledge-reference/ref_1"),
        ("post", "/api/v1/sync/journey-template/tpl_1"),
    ],
)
def test_api_answers_503_at_once_when_chroma_is_down(
    api, make_knowledge, make_journey, chroma_down, syncer_log, method, url
):
    make_knowledge(id="ref_1")
    make_journey(id="tpl_1")

    response = getattr(api, method)(url)

    assert response.status_code == 503, response.content
    assert response.json() == {"detail": CHROMA_UNAVAILABLE}
    assert_names_no_address(response.content.decode(), chroma_down)
    # Tried once: a client waiting for the answer does not wait out the retry budget.
    assert not [m for m in syncer_log.messages if "retrying in" in m]
    # The log keeps where and why, for the operator.
    assert any(f"127.0.0.1:{chroma_down}" in m for m in syncer_log.messages)


def test_api_sync_run_with_wait_fails_the_run_at_once_when_chroma_is_down(
    api, make_knowledge, chroma_down, syncer_log
):
    make_knowledge()

    response = api.post("/api/v1/sync/run", {"wait": True}, format="json")

    assert response.status_code == 200  # a finished run, even a failed one (docs/reference.md)
    run = response.json()
    assert run["status"] == "failed"
    assert "ChromaUnavailable: the Chroma server cannot be reached" in run["error"]
    assert_names_no_address(response.content.decode(), chroma_down)
    assert not [m for m in syncer_log.messages if "retrying in" in m]


# --- Chroma server down: the command line ---------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["stats"],
        ["search", "calm"],
        ["search", "calm", "--type", "journey"],
        ["ref", "ref_1"],
        ["template", "tpl_1"],
        ["full"],
        ["incremental", "--source", "journeys"],
        ["verify"],
    ],
    ids=lambda args: "-".join(args),
)
def test_every_subcommand_exits_1_with_one_json_object_when_chroma_is_down(
    args, make_knowledge, make_journey, chroma_down, settings
):
    settings.SYNC_RETRY_ATTEMPTS, settings.SYNC_RETRY_BACKOFF_SECONDS = 2, 0.05
    make_knowledge(id="ref_1")
    make_journey(id="tpl_1")

    code, answer, message = sync_json(*args)

    assert code == 1
    reason = answer["error"]
    assert "the Chroma server cannot be reached" in reason
    assert "\n" not in message and "the Chroma server cannot be reached" in message


def test_stats_json_shows_postgresql_side_and_exits_1_when_chroma_is_down(
    make_knowledge, chroma_down
):
    make_knowledge()
    out = StringIO()

    with pytest.raises(CommandError) as error:
        call_command("sync", "stats", "--json", stdout=out)

    assert error.value.returncode == 1
    stats = json.loads(out.getvalue())
    assert stats["chroma_reachable"] is False
    assert stats["error"].startswith("the Chroma server cannot be reached")
    knowledge = stats["sources"]["knowledge"]
    assert knowledge["eligible_count"] == 1 and knowledge["chroma_count"] is None
    assert knowledge["chroma_error"] == stats["error"]


@pytest.mark.processes
def test_stats_json_in_a_real_process_prints_no_traceback(db, tmp_path: Path) -> None:
    # The reported failure: a traceback on stderr and nothing on stdout.
    env = halasync_env(
        CHROMA_HOST="127.0.0.1",
        CHROMA_PORT=str(free_port()),
        SYNC_LOG_FILE=str(tmp_path / "sync.log"),
    )
    result = manage_json("sync", "stats", env=env, returncode=1, timeout=120)  # one line
    assert result.data["error"].startswith("the Chroma server cannot be reached")
    assert "Traceback" not in result.stderr


# --- Chroma server down: the admin ----------------------------------------------------------


def test_admin_overview_renders_with_chroma_unavailable(admin_client, make_knowledge, chroma_down):
    make_knowledge()

    response = admin_client.get(reverse("admin:syncer_syncrun_overview"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-health="down"' in page
    assert page.count(">unavailable</span>") == 2  # both collections
    assert "the Chroma server cannot be reached" in page
    assert 'class="eligible-count">1<' in page  # the PostgreSQL side is still shown


# --- Chroma server frozen -------------------------------------------------------------------


def test_sync_ref_in_a_new_process_gives_up_on_a_frozen_server(
    db, chroma_server: ChromaServer, tmp_path: Path
) -> None:
    # A new process: even the client's construction (three requests) must time out.
    env = halasync_env(
        CHROMA_HOST="127.0.0.1",
        CHROMA_PORT=str(chroma_server.port),
        CHROMA_TIMEOUT_SECONDS="1",
        SYNC_RETRY_ATTEMPTS="2",
        SYNC_RETRY_BACKOFF_SECONDS="0.1",
        SYNC_LOG_FILE=str(tmp_path / "sync.log"),
    )
    with chroma_server.frozen(at_most=FROZEN_AT_MOST):
        result = manage_json(
            "sync", "ref", "ref_1", env=env, returncode=1, timeout=FROZEN_AT_MOST + 60
        )
    error = result.data["error"]
    assert error.startswith("the Chroma server did not answer within 1s"), error
    assert "gave up after 2 attempt(s)" in error  # a timeout is retried like a refusal


def test_incremental_sync_against_a_frozen_server_fails_and_releases_its_locks(
    chroma_server: ChromaServer, make_knowledge, settings
) -> None:
    settings.CHROMA_TIMEOUT_SECONDS = 1
    settings.SYNC_RETRY_ATTEMPTS, settings.SYNC_RETRY_BACKOFF_SECONDS = 2, 0.1
    make_knowledge()
    chroma_reset()
    store_open("knowledge_references")  # a long-running process: its client is open

    with chroma_server.frozen(at_most=FROZEN_AT_MOST):
        run = sync_run_execute(mode="incremental", trigger="cli")
        assert sync_lock_free(["knowledge", "journeys"])  # while the server is still frozen

    assert run.status == SyncRun.Status.FAILED
    assert "the Chroma server did not answer within 1s" in run.error
    assert "gave up after 2 attempt(s)" in run.error


def test_search_api_and_admin_pages_answer_while_the_server_is_frozen(
    api, admin_client, chroma_server: ChromaServer, make_knowledge, settings
) -> None:
    settings.CHROMA_TIMEOUT_SECONDS = 1
    row = make_knowledge()
    chroma_reset()
    store_open("knowledge_references")

    with chroma_server.frozen(at_most=FROZEN_AT_MOST):
        search = api.get("/api/v1/search/knowledge-references?q=calm")
        listing = admin_client.get(reverse("admin:knowledge_knowledgereference_changelist"))
        overview = admin_client.get(reverse("admin:syncer_syncrun_overview"))

    assert search.status_code == 503 and search.json() == {"detail": CHROMA_UNAVAILABLE}
    assert listing.status_code == 200
    assert [r.chroma_state for r in listing.context["cl"].result_list] == ["unavailable"]
    assert 'data-state="unavailable"' in listing.content.decode()
    messages = [str(m) for m in get_messages(listing.wsgi_request)]
    assert any("Chroma cannot be read: the Chroma server did not answer" in m for m in messages)
    assert row.pk in listing.content.decode()
    assert overview.status_code == 200
    assert 'data-health="down"' in overview.content.decode()


def test_health_answers_within_its_deadline_while_chroma_is_frozen(
    db, chroma_server: ChromaServer, settings
) -> None:
    # Only the deadline can answer in time: the request timeout is far longer.
    settings.CHROMA_TIMEOUT_SECONDS = 60
    chroma_reset()
    store_open("knowledge_references")

    with chroma_server.frozen(at_most=FROZEN_AT_MOST):
        response = APIClient().get("/api/v1/sync/health")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["chroma"] == {
        "status": "down",
        "detail": f"Chroma did not answer within {HEALTH_DEADLINE_SECONDS:g}s",
        "mode": "server",
    }
    assert checks["postgres"]["status"] == "ok"
    # Resumed: the check that was left waiting finishes and health recovers.
    wait_until(
        lambda: (
            APIClient().get("/api/v1/sync/health").json()["checks"]["chroma"]["status"] != "down"
        ),
        timeout=60,
        what="health after the server resumed",
    )


# --- PostgreSQL frozen ----------------------------------------------------------------------


def get(url: str, *, timeout: float) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.processes
def test_health_answers_within_its_deadline_while_postgresql_is_frozen(
    transactional_db, tmp_path: Path
) -> None:
    db = connection.settings_dict
    log = tmp_path / "runserver.log"
    port = free_port()
    with TcpProxy(db["HOST"], int(db["PORT"])) as proxy:
        env = halasync_env(
            DATABASE_URL=f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}",
            CHROMA_PATH=str(tmp_path / "chroma"),
            SYNC_LOG_FILE=str(tmp_path / "sync.log"),
        )
        args = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
        with running(args, env=env, log=log) as server:
            url = f"http://127.0.0.1:{port}/api/v1/sync/health"

            def answers() -> bool:
                try:
                    return get(url, timeout=10)[1]["checks"]["postgres"]["status"] == "ok"
                except OSError:
                    return False

            wait_until(answers, timeout=60, what="runserver", process=server, log=log)
            with proxy.frozen():
                # Far less than any PostgreSQL timeout (there is none): only the deadline.
                status, body = get(url, timeout=20)
                again, _ = get(url, timeout=20)  # the hung check is joined, not repeated

    assert status == 503, body
    assert body["checks"]["postgres"] == {
        "status": "down",
        "detail": f"PostgreSQL did not answer within {HEALTH_DEADLINE_SECONDS:g}s",
    }
    assert body["checks"]["worker"]["status"] == "unknown"
    assert again == 503
    assert db["NAME"] not in json.dumps(body)


# --- PostgreSQL down: the API ---------------------------------------------------------------


@contextmanager
def postgresql_refusing_connections() -> Iterator[str]:
    """halasync's database refuses new connections (its open ones are ended) for the
    block; yields its name."""
    name = connection.settings_dict["NAME"]
    with admin_connection() as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
    try:
        yield name
    finally:
        with admin_connection() as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        for alias in connections:
            connections[alias].close()


@pytest.mark.django_db(transaction=True)
def test_admin_pages_answer_503_saying_why_when_postgresql_refuses_connections(
    django_user_model: Any,
) -> None:
    """Every admin page reads the session and the user from PostgreSQL: with it down they
    answered Django's bare "Server Error (500)". A 503 that says what is wrong."""
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-12345678")
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(user)
    anonymous = Client(raise_request_exception=False)
    login = anonymous.get(reverse("admin:login"))  # the CSRF cookie, while it works
    token = login.cookies["csrftoken"].value

    with postgresql_refusing_connections() as name:
        answers = {
            "overview": signed_in.get(reverse("admin:syncer_syncrun_overview")),
            "index": signed_in.get(reverse("admin:index")),
            "runs": signed_in.get(reverse("admin:syncer_syncrun_changelist")),
            "sign-in": anonymous.post(
                reverse("admin:login"),
                {"username": "boss", "password": "pw-12345678", "csrfmiddlewaretoken": token},
            ),
        }

    for page, response in answers.items():
        assert response.status_code == 503, (page, response.status_code)
        body = response.content.decode()
        assert "PostgreSQL cannot be reached" in body, (page, body)
        assert name not in body and "5432" not in body


@pytest.mark.django_db(transaction=True)
def test_api_answers_503_when_postgresql_refuses_connections(api) -> None:
    with postgresql_refusing_connections() as name:
        # The token is looked up in PostgreSQL by every endpoint (the schema and its
        # browsable docs too, whose HTML renderer once re-read the user while rendering
        # the 503 and answered a 500).
        answers = {
            path: api.get(path)
            for path in (
                "/api/v1/sync/runs",
                "/api/v1/sync/runs/1",
                "/api/v1/sync/stats",
                "/api/v1/search/knowledge-references?q=calm",
                "/api/schema/",
                "/api/docs/",
            )
        }
        answers["POST sync/run"] = api.post("/api/v1/sync/run", {}, format="json")
        answers["POST record"] = api.post("/api/v1/sync/journey-template/tpl_1")

    for path, response in answers.items():
        assert response.status_code == 503, (path, response.content)
        assert response["Content-Type"] == "application/json", (path, response["Content-Type"])
        assert response.json() == {"detail": POSTGRES_UNAVAILABLE}, path
        assert name not in response.content.decode()


def test_searches_stop_asking_a_frozen_server_after_it_timed_out(
    api, chroma_server: ChromaServer, make_knowledge, settings, syncer_log
) -> None:
    """Each search against a frozen server held a web thread for CHROMA_TIMEOUT_SECONDS,
    and concurrent ones left none for health. After one timed out, the next ones answer
    503 without asking the server (CHROMA_BREAKER_SECONDS); syncs still try it."""
    settings.CHROMA_TIMEOUT_SECONDS = 1
    settings.CHROMA_BREAKER_SECONDS = 600
    make_knowledge()
    chroma_reset()
    store_open("knowledge_references")

    with chroma_server.frozen(at_most=FROZEN_AT_MOST):
        first = api.get("/api/v1/search/knowledge-references?q=calm")
        asked = [r for r in syncer_log.records if r.name == "syncer.chroma_client"]
        later = [api.get("/api/v1/search/knowledge-references?q=calm") for _ in range(3)]
        health = api.get("/api/v1/sync/health")
        asked_again = [r for r in syncer_log.records if r.name == "syncer.chroma_client"]

    assert first.status_code == 503 and first.json() == {"detail": CHROMA_UNAVAILABLE}
    assert all(r.status_code == 503 and r.json() == first.json() for r in later)
    # The client logs each request that timed out: the later ones did not ask the server.
    assert len(asked) == 1 and "did not answer within 1s" in asked[0].getMessage()
    assert len(asked_again) == 1
    assert health.status_code == 503 and health.json()["checks"]["chroma"]["status"] == "down"
    # A sync is not held back by it: the server answers again, the run succeeds.
    run = sync_run_execute(mode="full", trigger="cli")
    assert run.status == SyncRun.Status.SUCCEEDED, run.error


@pytest.fixture
def cache_unreachable(settings: Any) -> None:
    """CACHE_URL=redis://… (documented, to count the rate limits across web processes)
    with nothing listening there."""
    import socket

    with socket.socket() as probe:  # a free port: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/1",
        }
    }
    return port


@pytest.mark.django_db
def test_api_answers_503_when_the_rate_limit_cache_cannot_be_reached(
    api: Any, cache_unreachable: int
) -> None:
    # Every throttled endpoint asked the cache first and answered a 500.
    for path in ("/api/v1/sync/stats", "/api/v1/sync/runs", "/api/schema/"):
        response = api.get(path)
        assert response.status_code == 503, (path, response.status_code)
        detail = response.json()["detail"]
        assert "cache cannot be reached" in detail
        assert str(cache_unreachable) not in detail and "127.0.0.1" not in detail
    # Health asks no cache (never rate-limited).
    assert APIClient().get("/api/v1/sync/health").status_code in (200, 503)


@pytest.mark.django_db
def test_admin_sign_in_answers_503_when_the_cache_cannot_be_reached(
    django_user_model: Any, cache_unreachable: int
) -> None:
    # Failed sign-ins are counted in the cache: sign-in answered a bare 500.
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-12345678")
    anonymous = Client(raise_request_exception=False)

    response = anonymous.post(
        reverse("admin:login"), {"username": "boss", "password": "pw-12345678"}
    )

    assert response.status_code == 503
    body = response.content.decode()
    assert "cache cannot be reached" in body and str(cache_unreachable) not in body
