"""Every /api/ error is JSON, with DJANGO_DEBUG=true too (where Django answers its HTML
debug pages instead of handler404/handler500)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import HttpResponse, HttpResponseServerError
from django.test import RequestFactory

from syncer.api.middleware import ApiJsonErrorsMiddleware

KNOWLEDGE_URL = "/api/v1/sync/knowledge-reference/"


@pytest.fixture(params=[True, False], ids=["debug", "no-debug"])
def debug(request: pytest.FixtureRequest, settings: Any) -> bool:
    settings.DEBUG = request.param
    return request.param


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/nothing-here"),
        ("get", "/api/nothing-here"),
        ("get", "/api"),  # the API's root without its slash
        ("get", "/api/v1"),
        ("post", KNOWLEDGE_URL + "a%2Fb"),
        ("post", KNOWLEDGE_URL + "a/b"),
        ("get", "/api/v1/sync/runs/not-a-number"),
    ],
)
def test_unknown_api_paths_are_json_404_in_every_mode(
    api: Any, debug: bool, method: str, path: str
) -> None:
    response = getattr(api, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_bad_host_is_json_400_in_every_mode(client: Any, debug: bool, db: None) -> None:
    response = client.get("/api/v1/sync/health", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request."}


def test_pages_outside_the_api_keep_their_html(client: Any, debug: bool, db: None) -> None:
    response = client.get("/admin/nothing-here/")

    assert response.status_code in (302, 404)  # the admin sends strangers to log in
    for path in ("/nothing-here", "/apix", "/api-docs"):  # not under /api
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")


def test_a_debug_error_page_becomes_json_without_its_details() -> None:
    # A crash outside DRF cannot be staged through a real view: the middleware is given
    # the HTML page Django's DEBUG handler would answer.
    debug_page = HttpResponseServerError(
        "<html>Traceback … DATABASES = postgres://secret@db:5432/halasync</html>"
    )
    debug_page["Retry-After"] = "5"
    middleware = ApiJsonErrorsMiddleware(lambda request: debug_page)

    response = middleware(RequestFactory().get("/api/v1/sync/stats"))

    assert response.status_code == 500
    assert json.loads(response.content) == {
        "detail": "Internal error; it was logged on the server."
    }
    assert response["Retry-After"] == "5"
    assert b"postgres://" not in response.content
    other = ApiJsonErrorsMiddleware(lambda request: HttpResponse(status=418))
    assert json.loads(other(RequestFactory().get("/api/v1/x")).content) == {
        "detail": "I'm a Teapot."
    }
    assert other(RequestFactory().get("/admin/x")).status_code == 418


TOO_MANY_PARAMETERS = "&".join(f"p{i}=1" for i in range(1001))  # DATA_UPLOAD_MAX_NUMBER_FIELDS


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sync/health",  # public: a monitor must never see a 500 from a bad request
        "/api/v1/sync/stats",
        "/api/v1/sync/runs",
        "/api/v1/search/knowledge-references",
        "/api/schema/",
        "/api/docs/",
    ],
)
def test_too_many_query_parameters_are_400_not_500(api: Any, debug: bool, path: str) -> None:
    # Django refuses to parse them (TooManyFieldsSent); DRF reads the query string while
    # negotiating the renderer, before any view code, and its handler answered a 500.
    response = api.get(f"{path}?q=a&{TOO_MANY_PARAMETERS}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Too many query parameters (at most 1000)."}


def test_a_body_over_djangos_memory_limit_is_413_not_500(api: Any, debug: bool, db: None) -> None:
    # Bodies over 16 KiB are refused by the parser, but DRF reads the whole body through
    # Django first: past DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) Django raised
    # RequestDataTooBig there, and the API answered a 500.
    body = '{"wait": false, "padding": "' + "x" * 3_000_000 + '"}'

    response = api.post("/api/v1/sync/run", data=body, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Request body too large (at most 16384 bytes)."}
