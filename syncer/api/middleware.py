"""Every error answered under ``/api/`` is JSON with a ``detail``, in every mode.

DRF's views already answer JSON, and ``handler404``/``handler500`` do for the rest when
DEBUG is off. With DJANGO_DEBUG=true Django bypasses those handlers and answers its HTML
debug pages (an unknown path, an id holding ``%2F`` that no route matches, a crash
outside DRF). This middleware replaces any non-JSON error response under ``/api/`` with
the JSON a client expects; the debug details stay in the server's log.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse

API_ROOT = "/api"


def is_api_path(path: str) -> bool:
    """``/api`` itself or anything below it (``/api/…``), not ``/apix``."""
    return path == API_ROOT or path.startswith(API_ROOT + "/")


DETAILS = {
    400: "Bad request.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    500: "Internal error; it was logged on the server.",
}
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_path(request.path) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        return api_error_response(response)


def api_error_response(response: HttpResponse) -> JsonResponse:
    """The JSON twin of an error response: same status, a generic ``detail`` (the
    original body may be a debug page full of settings and paths)."""
    status = response.status_code
    try:
        phrase = f"{HTTPStatus(status).phrase}."
    except ValueError:
        phrase = "Error."
    replacement = JsonResponse({"detail": DETAILS.get(status, phrase)}, status=status)
    for header in KEPT_HEADERS:
        if header in response:
            replacement[header] = response[header]
    return replacement
