"""Request-level protections that apply before any view runs.

``ChunkedBodyMiddleware``: Django reads a request body only up to its Content-Length. A
body sent with ``Transfer-Encoding: chunked`` has none, so Django read it as empty: a
``POST /api/v1/sync/run`` with ``{"force_full_sync": true, "wait": true}`` queued a
plain incremental run, silently. Here such a body is read (bounded) and handed on with
its length, or refused with a clear answer when the server cannot give it.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse

from syncer.api.middleware import is_api_path
from syncer.api.parsers import MAX_BODY_BYTES

# Django's own default for DATA_UPLOAD_MAX_MEMORY_SIZE, used when that is None (no
# limit): a chunked body is read into memory here, so it always gets one.
FORM_BODY_FALLBACK_BYTES = 2_621_440


def _refusal(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    if is_api_path(request.path):
        return JsonResponse({"detail": detail}, status=status)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


def _body_limit(request: HttpRequest) -> int:
    if is_api_path(request.path):
        return MAX_BODY_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or FORM_BODY_FALLBACK_BYTES


class ChunkedBodyMiddleware:
    """Read a chunked request body, at most the path's limit, or refuse it.

    - The WSGI server decodes the chunks and ends the input stream with the body
      (``wsgi.input_terminated``, which gunicorn sets): the body is read here, up to the
      limit (16 KiB under ``/api/``, DATA_UPLOAD_MAX_MEMORY_SIZE elsewhere), and passed
      on with its Content-Length; over the limit: 413.
    - The chunks cannot be decoded (a malformed or truncated body): 400.
    - The server gives no terminated stream (``manage.py runserver``): reading would
      block or return the raw chunks, so 411, "send a Content-Length".

    API paths answer JSON ``{"detail": …}``, others plain text.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_TRANSFER_ENCODING" not in request.META:
            return self.get_response(request)
        if not request.META.get("wsgi.input_terminated"):
            return _refusal(
                request,
                411,
                "This server cannot read a chunked request body: send the body with a "
                "Content-Length header.",
            )
        limit = _body_limit(request)
        try:
            body = request.META["wsgi.input"].read(limit + 1)
        except Exception:
            # The server's chunk decoder raises its own errors (gunicorn: InvalidChunkSize,
            # ChunkMissingTerminator, NoMoreData): whatever it is, the body is unusable.
            return _refusal(request, 400, "The chunked request body is malformed or incomplete.")
        if len(body) > limit:
            return _refusal(request, 413, f"Request body too large (at most {limit} bytes).")
        # Django built the request's stream from the missing Content-Length (0 bytes):
        # replace it with the body just read, and say how long it is.
        request.META["CONTENT_LENGTH"] = str(len(body))
        request._stream = LimitedStream(io.BytesIO(body), len(body))
        return self.get_response(request)
