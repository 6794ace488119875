"""A limit on failed admin sign-ins, per client address and per username.

Django's admin login has none of its own: a password could be guessed as fast as the
server answers. Failed sign-ins are counted in Django's cache (CACHES, from CACHE_URL) in
windows of ADMIN_LOGIN_WINDOW_SECONDS; once an address or a username has
ADMIN_LOGIN_MAX_FAILURES in the current window, sign-in from that address or for that
username is refused (429, with a page that says so and when to try again) without
checking the password, until the window ends. A successful sign-in does not reset the
counts: otherwise knowing one password would allow unlimited guesses at the others.

The client address is the one DRF's throttles use (WEB_PROXY_COUNT proxies trusted in
X-Forwarded-For), so the admin and the API agree on who a client is.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)


def _keys(*, address: str, username: str, window: int) -> list[str]:
    def key(kind: str, value: str) -> str:
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"halasync:admin-login-failures:{kind}:{digest}:{window}"

    return [key("address", address), key("username", username)]


def _window() -> tuple[int, float]:
    """The current window's number and the seconds until it ends."""
    length = max(1, settings.ADMIN_LOGIN_WINDOW_SECONDS)
    now = time.time()
    return int(now // length), length - now % length


def login_refused_for(*, address: str, username: str) -> float | None:
    """Seconds until sign-in is allowed again from ``address`` for ``username``, or None
    when neither has reached ADMIN_LOGIN_MAX_FAILURES in the current window."""
    window, remaining = _window()
    counts = cache.get_many(_keys(address=address, username=username, window=window))
    if any(count >= settings.ADMIN_LOGIN_MAX_FAILURES for count in counts.values()):
        return remaining
    return None


def login_failure_record(*, address: str, username: str) -> None:
    """Count a failed sign-in against ``address`` and ``username``."""
    window, remaining = _window()
    for key in _keys(address=address, username=username, window=window):
        # add() then incr(): atomic in Redis and within a process's memory cache.
        cache.add(key, 0, timeout=math.ceil(remaining) + 1)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr(): the window just ended
            pass


class AdminLoginLimitMiddleware:
    """Refuse admin sign-in attempts beyond the limit; count the ones that fail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or request.path != reverse("admin:login"):
            return self.get_response(request)
        address = BaseThrottle().get_ident(request) or "unknown"
        username = request.POST.get("username", "")
        wait = login_refused_for(address=address, username=username)
        if wait is not None:
            logger.warning("admin sign-in refused: too many failures (%s, %r)", address, username)
            return _refusal(request, wait)
        response = self.get_response(request)
        # The login view answers a failed attempt by showing its form again (200); a
        # successful one redirects.
        if response.status_code == 200:
            login_failure_record(address=address, username=username)
        return response


def _refusal(request: HttpRequest, wait: float) -> HttpResponse:
    minutes = max(1, math.ceil(wait / 60))
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in refused",
        "minutes": minutes,
        "max_failures": settings.ADMIN_LOGIN_MAX_FAILURES,
        "window_minutes": max(1, math.ceil(settings.ADMIN_LOGIN_WINDOW_SECONDS / 60)),
    }
    response = render(request, "admin/syncer/login_refused.html", context, status=429)
    response["Retry-After"] = str(math.ceil(wait))
    return response
