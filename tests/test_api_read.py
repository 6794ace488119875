"""GET endpoints: runs, stats, health; authentication and permissions of every endpoint;
the OpenAPI schema and its docs."""

from __future__ import annotations

import json
import socket
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from syncer.models import SyncRecordError, SyncRun, SyncRunSource
from syncer.services.runs import sync_run_create, sync_run_execute

POST_ENDPOINTS = [
    "/api/v1/sync/run",
    "/api/v1/sync/knowledge-reference/ref_1",
    "/api/v1/sync/journey-template/tpl_1",
]
GET_ENDPOINTS = [
    "/api/v1/sync/stats",
    "/api/v1/sync/runs",
    "/api/v1/sync/runs/1",
    "/api/v1/search/knowledge-references?q=calm",
    "/api/v1/search/journey-templates?q=calm",
]


# --- authentication and permissions -------------------------------------------------------


@pytest.mark.parametrize("url", POST_ENDPOINTS + GET_ENDPOINTS)
def test_no_credentials_is_401(db, url):
    client = APIClient()
    response = client.post(url) if url in POST_ENDPOINTS else client.get(url)

    assert response.status_code == 401
    assert response.json()["detail"] == "Authentication credentials were not provided."
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get("/api/v1/sync/stats").status_code == 401
    assert client.post("/api/v1/sync/run").status_code == 401


def test_signed_in_without_the_permission_reads_but_cannot_run(django_user_model, chroma):
    user = django_user_model.objects.create_user("viewer", password="viewer-password")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    for url in POST_ENDPOINTS:
        response = client.post(url)
        assert response.status_code == 403
        assert "syncer.run_sync" in response.json()["detail"]
    assert client.get("/api/v1/sync/stats").status_code == 200
    assert client.get("/api/v1/sync/runs").status_code == 200
    assert not SyncRun.objects.exists()


def test_superusers_may_run(django_user_model, chroma):
    admin = django_user_model.objects.create_superuser("root", password="root-password")
    client = APIClient()
    client.force_authenticate(admin)

    assert client.post("/api/v1/sync/run").status_code == 202


def test_session_authentication_with_csrf(operator, chroma):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="operator", password="operator-password")

    assert client.get("/api/v1/sync/stats").status_code == 200
    refused = client.post("/api/v1/sync/run")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    client.get("/admin/login/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post("/api/v1/sync/run", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 202


# --- runs -----------------------------------------------------------------------------------


def test_runs_are_paginated_newest_first(api, db):
    runs = [sync_run_create(mode="incremental", trigger="cli") for _ in range(25)]

    first = api.get("/api/v1/sync/runs")
    assert first.status_code == 200
    page = first.json()
    assert page["count"] == 25
    assert [run["id"] for run in page["results"]] == [run.pk for run in reversed(runs)][:20]
    assert page["next"].endswith("/api/v1/sync/runs?page=2")
    assert page["previous"] is None
    assert "record_errors" not in page["results"][0]

    second = api.get("/api/v1/sync/runs?page=2").json()
    assert [run["id"] for run in second["results"]] == [run.pk for run in reversed(runs[:5])]

    small = api.get("/api/v1/sync/runs?page_size=3").json()
    assert len(small["results"]) == 3


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("page=99", 404),
        ("page=0", 400),
        ("page=x", 400),
        ("page_size=0", 400),
        ("page_size=101", 400),
        ("page_size=", 400),
        ("page=1&page=2", 400),
        ("status=queued", 400),
        # DRF's IntegerField takes "1.0", the paginator's int() does not: it answered
        # page=1.0 with a 404 and ignored page_size=1.0 (20 a page), silently.
        ("page=1.0", 400),
        ("page_size=1.0", 400),
        ("page_size=%EF%BC%91", 400),
    ],
)
def test_bad_run_list_parameters(api, db, query, code):
    sync_run_create(mode="full", trigger="cli")

    response = api.get(f"/api/v1/sync/runs?{query}")

    assert response.status_code == code
    assert response.json()["detail"]


def test_run_detail_has_counts_and_record_errors(api, db):
    run = sync_run_create(mode="full", trigger="schedule")
    SyncRunSource.objects.create(run=run, source="knowledge", scanned=3, upserted=2, errors=1)
    SyncRecordError.objects.create(
        run=run, source="knowledge", record_id="bad one", error_type="DocumentError", message="x"
    )

    body = api.get(f"/api/v1/sync/runs/{run.pk}").json()

    assert body["id"] == run.pk and body["trigger"] == "schedule"
    assert body["counts"]["knowledge"]["upserted"] == 2
    assert body["record_errors"] == [
        {
            "source": "knowledge",
            "record_id": "bad one",
            "error_type": "DocumentError",
            "message": "x",
        }
    ]


def test_runs_say_which_sources_completed(api, make_knowledge, make_journey, chroma):
    make_knowledge()
    make_journey()

    def interrupt(source: str, done: int, total: int) -> None:
        if source == "journeys" and done:  # Ctrl-C once journeys wrote its first batch
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync_run_execute(mode="full", trigger="cli", progress=interrupt)
    run = SyncRun.objects.get()

    body = api.get(f"/api/v1/sync/runs/{run.pk}").json()

    assert body["status"] == "failed" and "interrupted" in body["error"]
    assert body["counts"]["knowledge"]["completed"] is True
    assert body["counts"]["journeys"]["completed"] is False
    assert body["counts"]["journeys"]["upserted"] == 1  # it wrote, but did not finish
    listed = api.get("/api/v1/sync/runs").json()["results"]
    assert [item["counts"] for item in listed] == [body["counts"]]


@pytest.mark.parametrize("run_id", ["999999", "99999999999999999999999"])
def test_unknown_run_is_404(api, db, run_id):
    response = api.get(f"/api/v1/sync/runs/{run_id}")

    assert response.status_code == 404
    assert response.json() == {"detail": "No SyncRun matches the given query."}


# --- stats ----------------------------------------------------------------------------------


def _without_ages(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_ages(v) for k, v in value.items() if not k.endswith("age_seconds")}
    if isinstance(value, list):
        return [_without_ages(v) for v in value]
    return value


def test_stats_are_what_the_cli_prints(api, make_knowledge, make_journey, chroma):
    make_knowledge()
    make_journey()
    sync_run_execute(mode="full", trigger="cli")
    sync_run_create(mode="incremental", trigger="api")

    response = api.get("/api/v1/sync/stats")
    out = StringIO()
    call_command("sync", "stats", "--json", stdout=out)

    assert response.status_code == 200
    assert _without_ages(response.json()) == _without_ages(json.loads(out.getvalue()))
    assert response.json()["sources"]["knowledge"]["chroma_count"] == 1
    assert response.json()["queued_runs"] == 1


# --- health ---------------------------------------------------------------------------------


def test_health_ok_after_a_sync(make_knowledge, make_journey, chroma, settings):
    make_knowledge()
    make_journey()
    sync_run_execute(mode="full", trigger="cli")

    response = APIClient().get("/api/v1/sync/health")  # public: no credentials

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok", body
    assert set(body["checks"]) == {"postgres", "chroma", "worker", "last_sync"}
    assert body["checks"]["chroma"]["collections"]["knowledge"]["count"] == 1
    assert body["checks"]["last_sync"]["sources"]["journeys"]["age_seconds"] < 60
    _assert_reveals_nothing(response.content.decode(), chroma, settings)


def test_health_degraded_before_the_first_sync(db, chroma, settings):
    response = APIClient().get("/api/v1/sync/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["postgres"]["status"] == "ok"
    assert body["checks"]["chroma"]["status"] == "degraded"
    assert "sync full" in body["checks"]["chroma"]["detail"]
    assert body["checks"]["last_sync"]["status"] == "degraded"
    assert "never synced" in body["checks"]["last_sync"]["detail"]
    _assert_reveals_nothing(response.content.decode(), chroma, settings)


def test_health_down_when_the_chroma_server_is_unreachable(db, chroma, settings):
    from syncer.chroma_client import chroma_reset

    with socket.socket() as probe:  # a free port: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CHROMA_HOST = "127.0.0.1"
    settings.CHROMA_PORT = port
    chroma_reset()

    response = APIClient().get("/api/v1/sync/health")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["chroma"]["status"] == "down"
    assert body["checks"]["chroma"]["mode"] == "server"
    assert str(port) not in response.content.decode()
    _assert_reveals_nothing(response.content.decode(), chroma, settings)


def test_health_down_when_postgres_is_unreachable(db, chroma, monkeypatch):
    from django.db.backends.postgresql.base import DatabaseWrapper

    # A fake, because the test's own database cannot be taken away under it: the
    # connection fails the way psycopg does when the server is gone.
    def refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise OperationalError('connection to server at "db.internal" failed: password=x')

    with monkeypatch.context() as patch:
        patch.setattr(DatabaseWrapper, "cursor", refuse)
        response = APIClient().get("/api/v1/sync/health")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["postgres"] == {
        "status": "down",
        "detail": "database 'default' unreachable (OperationalError)",
    }
    assert body["checks"]["worker"]["status"] == "unknown"
    assert "db.internal" not in response.content.decode()


def _assert_reveals_nothing(text: str, chroma_path: str, settings: Any) -> None:
    assert chroma_path not in text
    assert "directory" not in text
    assert settings.SECRET_KEY not in text
    assert "postgres://" not in text
    assert settings.DATABASES["default"]["NAME"] not in text


# --- errors, schema and docs ----------------------------------------------------------------


def test_unknown_api_paths_are_json_404(api):
    response = api.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_wrong_method_is_405_with_allow(api, db):
    response = api.get("/api/v1/sync/run")

    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert response.json()["detail"]


def test_schema_describes_every_endpoint_and_body(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert set(paths) == {
        "/api/v1/sync/run",
        "/api/v1/sync/knowledge-reference/{record_id}",
        "/api/v1/sync/journey-template/{record_id}",
        "/api/v1/sync/stats",
        "/api/v1/sync/health",
        "/api/v1/sync/runs",
        "/api/v1/sync/runs/{run_id}",
        "/api/v1/search/knowledge-references",
        "/api/v1/search/journey-templates",
    }
    run = paths["/api/v1/sync/run"]["post"]
    assert run["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RunOptionsRequest"
    }
    assert set(run["responses"]) >= {"200", "202", "400", "401", "403", "409", "413", "415"}
    for path, operations in paths.items():
        for method, operation in operations.items():
            for code, answer in operation["responses"].items():
                assert "application/json" in answer["content"], (path, method, code)
    request_body = schema["components"]["schemas"]["RunOptionsRequest"]
    assert set(request_body["properties"]) == {"force_full_sync", "wait"}
    assert "security" not in paths["/api/v1/sync/health"]["get"]  # public
    assert paths["/api/v1/sync/stats"]["get"]["security"] == [
        {"tokenAuth": []},
        {"cookieAuth": []},
    ]


def test_docs_are_served_without_a_cdn(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/schema/" in html
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
    for asset in ("swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui-dist/swagger-ui.css"):
        assert f"/static/drf_spectacular_sidecar/{asset}" in html


def test_an_unexpected_failure_is_a_json_500_that_reveals_nothing(api, db, monkeypatch, caplog):
    # A fake: a crash inside a service cannot be provoked through valid input (that is
    # what the fuzzing test checks); this shows what a client would get if one happened.
    def crash() -> None:
        raise RuntimeError("cannot open /srv/secret/path with password hunter2")

    monkeypatch.setattr("syncer.api.views.sync_stats", crash)

    response = api.get("/api/v1/sync/stats")

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal error; it was logged on the server."}
    assert "hunter2" in caplog.text  # the operator still finds it in the log


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("get", "/api/v1/sync/stats", "?source=knowledge"),
        ("get", "/api/v1/sync/runs/{run}", "?fields=id"),
        ("post", "/api/v1/sync/knowledge-reference/ref_x", "?wait=false"),
        ("post", "/api/v1/sync/journey-template/tpl_x", "?force=true"),
        ("post", "/api/v1/sync/run", "?force_full_sync=true"),  # queued an incremental
    ],
)
def test_unknown_query_parameters_are_400_on_every_endpoint(api, chroma, method, path, params):
    # docs/reference.md: unknown query parameters are a 400. Runs, stats and the record
    # endpoints ignored them: a client's `?force=true` did nothing, silently.
    run = SyncRun.objects.create(mode="full", trigger="cli", sources=["knowledge"])
    url = path.format(run=run.pk) + params
    name = params[1:].split("=")[0]

    response = getattr(api, method)(url)

    assert response.status_code == 400
    assert response.json()["errors"] == {name: ["Unknown field."]}
    assert SyncRun.objects.count() == 1  # nothing was synced


def test_a_record_sync_takes_no_body_fields(api, chroma, make_knowledge):
    # The record endpoints take no body: {"force": true} was ignored, silently.
    ref = make_knowledge()
    url = f"/api/v1/sync/knowledge-reference/{ref.pk}"

    response = api.post(url, data={"force": True}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"force": ["Unknown field."]}
    assert api.post(url, data={}, format="json").status_code == 200  # an empty object is fine
    assert api.post(url).status_code == 200
