"""Every API error is JSON with a ``detail``; domain errors map to their HTTP status here.

The views stay thin: they let SyncLocked, RecordNotFound and StoreError propagate and
this handler turns them into 409, 404 and 503. A dependency that cannot be reached
(ChromaUnavailable; PostgreSQL's connection failing, also after the retries) is a 503
whose ``detail`` names the dependency but no host, port or path (those are logged).
Anything unexpected is logged with its traceback and answered with a JSON 500 that
reveals nothing.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import redis.exceptions
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from syncer.api.middleware import is_api_path
from syncer.api.parsers import PayloadTooLarge
from syncer.chroma_client import (
    ChromaBusy,
    ChromaStorageUnusable,
    ChromaUnavailable,
    StoreError,
)
from syncer.embeddings import EmbeddingUnavailable
from syncer.locks import SyncLocked
from syncer.retry import RetriesExhausted, error_line, is_transient_database_error
from syncer.services.records import CollectionLost, RecordNotFound
from syncer.services.runs import TaskQueueUnavailable
from syncer.store import CollectionBroken, CollectionMissing, EmbeddingModelMismatch

logger = logging.getLogger(__name__)
JSON_RENDERER = JSONRenderer()

CHROMA_UNAVAILABLE = (
    "Chroma cannot be reached or did not answer in time; try again later (the server log says why)."
)
CHROMA_BUSY = (
    "Chroma is busy: too many requests of this server are already waiting for it; retry in "
    "a moment. If this happens while Chroma answers promptly, an operator can raise "
    "CHROMA_INTERACTIVE_CONCURRENCY."
)
CHROMA_STORAGE_UNUSABLE = (
    "Chroma's storage cannot be opened on the server; an operator must check CHROMA_PATH "
    "(the server log says why)."
)
TASK_QUEUE_UNAVAILABLE = (
    "The task queue cannot be reached, so run #{run_id} was not queued (it is recorded as "
    'failed); retry later, or send {{"wait": true}} to run the sync now (the server log '
    "says why)."
)
POSTGRES_UNAVAILABLE = "PostgreSQL cannot be reached; try again later (the server log says why)."
CACHE_UNAVAILABLE = (
    "The rate-limit cache cannot be reached (CACHE_URL); try again later (the server log says why)."
)
EMBEDDING_UNAVAILABLE = (
    "The embedding model cannot run on the server; an operator must run "
    "`manage.py prepare_models` (the server log says why)."
)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    # Rendered as JSON whatever the view renders otherwise: the schema (YAML) and its
    # browsable docs (an HTML template, whose context processors read request.user again:
    # with PostgreSQL down that raised while rendering the 503, and answered a 500).
    request = context.get("request")
    if request is not None:
        request.accepted_renderer, request.accepted_media_type = JSON_RENDERER, "application/json"
    return _error_response(exc, context)


def _error_response(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, SyncLocked):
        return Response(
            {"detail": str(exc), "run_id": exc.holder_run_id}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, RecordNotFound):
        return Response({"detail": str(exc)}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, TaskQueueUnavailable):  # the service logged where and why
        return Response(
            {"detail": TASK_QUEUE_UNAVAILABLE.format(run_id=exc.run_id), "run_id": exc.run_id},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    if isinstance(exc, StoreError):
        return Response({"detail": _store_message(exc)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    if isinstance(exc, EmbeddingUnavailable):
        # Its message names the cache directory: logged, not shown.
        logger.error("API request: embedding model unavailable: %s", exc)
        return Response(
            {"detail": EMBEDDING_UNAVAILABLE}, status=status.HTTP_503_SERVICE_UNAVAILABLE
        )
    if _database_unavailable(exc):
        logger.warning("API request: PostgreSQL unavailable: %s", error_line(exc))
        return Response(
            {"detail": POSTGRES_UNAVAILABLE}, status=status.HTTP_503_SERVICE_UNAVAILABLE
        )
    if cache_unavailable(exc):
        logger.warning("API request: the cache is unavailable: %s", error_line(exc))
        return Response({"detail": CACHE_UNAVAILABLE}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    if isinstance(exc, SuspiciousOperation):
        return _suspicious_request(exc)
    if isinstance(exc, ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return Response(
            {"detail": _validation_summary(errors), "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is not None:
        if not isinstance(response.data, dict) or "detail" not in response.data:
            response.data = {"detail": str(response.data)}
        return response
    logger.exception("API request failed: %s", exc)
    return Response(
        {"detail": "Internal error; it was logged on the server."},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def _suspicious_request(exc: SuspiciousOperation) -> Response:
    """Django refuses to read what a client sent (too many parameters, a body past
    DATA_UPLOAD_MAX_MEMORY_SIZE, …) and raises while DRF reads the query string or the
    body: outside DRF Django answers 400; here it was a 500. Its message names settings,
    so the client gets one of its own."""
    logging.getLogger(f"django.security.{type(exc).__name__}").warning("API request: %s", exc)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": PayloadTooLarge.default_detail},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        detail = f"Too many query parameters (at most {limit})."
        return Response({"detail": detail}, status=status.HTTP_400_BAD_REQUEST)
    return Response({"detail": "Bad request."}, status=status.HTTP_400_BAD_REQUEST)


def cache_unavailable(exc: BaseException) -> bool:
    """Django's cache (CACHE_URL=redis://…: the API's rate limits, the admin's sign-in
    limit) could not be reached. Every throttled request asks it first: that was a 500."""
    return isinstance(exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError)


def _database_unavailable(exc: Exception) -> bool:
    """PostgreSQL's connection failed (a retried one raises RetriesExhausted from it)."""
    if isinstance(exc, RetriesExhausted):
        exc = exc.__cause__ or exc
    return is_transient_database_error(exc)


def _store_message(exc: StoreError) -> str:
    # StoreError messages name the Chroma directory; the API does not show paths.
    if isinstance(exc, ChromaBusy):
        return CHROMA_BUSY  # refused without asking Chroma; logged (at most every 10 s)
    if isinstance(exc, ChromaStorageUnusable):
        return CHROMA_STORAGE_UNUSABLE  # the client logged where and why
    if isinstance(exc, ChromaUnavailable):
        return CHROMA_UNAVAILABLE  # the store logged where and why
    if isinstance(exc, CollectionLost):
        return str(exc)  # names the collection and the fix, never where Chroma is
    if isinstance(exc, CollectionMissing):
        return "The Chroma collections have not been built yet: run `manage.py sync full`."
    if isinstance(exc, EmbeddingModelMismatch | CollectionBroken):
        return str(exc)  # names the collection and the fix, never where Chroma is
    return "Chroma cannot be used as configured; see the server log."


def _validation_summary(detail: Any, prefix: str = "") -> str:
    """One readable line out of DRF's nested validation errors."""
    if isinstance(detail, dict):
        parts = []
        for field, errors in detail.items():
            name = "" if field == "non_field_errors" else f"{prefix}{field}"
            parts.append(_validation_summary(errors, f"{name}." if name else ""))
        return "; ".join(parts)
    if isinstance(detail, list):
        messages = [_validation_summary(item, prefix) for item in detail]
        return "; ".join(messages)
    label = prefix.rstrip(".")
    return f"{label}: {detail}" if label else str(detail)


# --- Django-level errors (no view matched, or a crash outside DRF) --------------------


def api_page_not_found(request: HttpRequest, exception: Exception) -> Any:
    if is_api_path(request.path):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def api_bad_request(request: HttpRequest, exception: Exception) -> Any:
    if is_api_path(request.path):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def api_server_error(request: HttpRequest) -> Any:
    # Django calls this while handling the uncaught exception: a PostgreSQL that cannot be
    # reached (the admin reads the session and the user from it before any view runs) is
    # a 503 saying so, not a bare 500. Django logs the exception with its traceback.
    failure = sys.exc_info()[1]
    reason = None
    if isinstance(failure, Exception) and _database_unavailable(failure):
        reason = POSTGRES_UNAVAILABLE
    elif isinstance(failure, Exception) and cache_unavailable(failure):
        reason = CACHE_UNAVAILABLE  # the admin's sign-in limit counts in the cache
    if is_api_path(request.path):
        if reason:
            return JsonResponse({"detail": reason}, status=503)
        return JsonResponse({"detail": "Internal error; it was logged on the server."}, status=500)
    if reason:
        return HttpResponse(
            '<!doctype html><html lang="en"><head><title>Service unavailable (503)</title>'
            f"</head><body><h1>Service unavailable (503)</h1><p>{reason}</p>"
            "</body></html>",
            status=503,
        )
    return defaults.server_error(request)
