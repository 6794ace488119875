"""Rate limits: DRF throttles on the API (429 JSON with Retry-After; health never limited)
and the limit on failed admin sign-ins (a clear refusal page), counted in Django's cache."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """The counts live in the (per-process) cache: every test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def low_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    # DRF's throttles read their rates once, when imported (from API_THROTTLE_*_RATE).
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "2/minute"}
    )


def _token_client(user: Any) -> APIClient:
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.mark.usefixtures("low_rates", "chroma")
def test_a_user_beyond_the_api_rate_gets_429_json(api: APIClient, django_user_model: Any) -> None:
    for _ in range(3):
        assert api.get("/api/v1/sync/runs").status_code == 200

    refused = api.get("/api/v1/sync/runs")

    assert refused.status_code == 429
    assert "throttled" in refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= 60
    assert api.post("/api/v1/sync/run", {}, format="json").status_code == 429
    # Counted per user: another one is not affected.
    other = _token_client(django_user_model.objects.create_user("other", password="pw-other"))
    assert other.get("/api/v1/sync/runs").status_code == 200


@pytest.mark.usefixtures("low_rates", "chroma")
def test_health_is_never_limited_but_the_other_public_endpoints_are() -> None:
    client = APIClient()
    for _ in range(6):
        assert client.get("/api/v1/sync/health").status_code in (200, 503)

    answers = [client.get("/api/schema/").status_code for _ in range(3)]

    assert answers == [200, 200, 429]


# --- admin sign-in -------------------------------------------------------------------------


def _sign_in(client: Client, username: str, password: str, **extra: str) -> Any:
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra
    )


@pytest.fixture
def limit(settings: Any) -> int:
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    return 3


def test_failed_sign_ins_beyond_the_limit_are_refused_even_with_the_password(
    admin_user: Any, limit: int
) -> None:
    client = Client()
    for _ in range(limit):
        failed = _sign_in(client, "admin", "wrong")
        assert (
            failed.status_code == 200 and "correct username and password" in failed.content.decode()
        )

    refused = _sign_in(client, "admin", "password")

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many failed sign-ins" in page and "Try again in" in page
    assert 0 < int(refused["Retry-After"]) <= 900
    assert client.get("/admin/").status_code == 302  # not signed in


def test_the_limit_counts_per_address_and_per_username(admin_user: Any, limit: int) -> None:
    client = Client()
    for _ in range(limit):
        _sign_in(client, "someone", "wrong", REMOTE_ADDR="192.0.2.1")

    # The address is refused, whatever the username.
    assert _sign_in(client, "admin", "password", REMOTE_ADDR="192.0.2.1").status_code == 429
    # "someone" is refused from anywhere.
    assert _sign_in(client, "someone", "wrong", REMOTE_ADDR="192.0.2.2").status_code == 429
    # Another address and username: signed in.
    assert _sign_in(client, "admin", "password", REMOTE_ADDR="192.0.2.3").status_code == 302


def test_a_successful_sign_in_is_not_a_failure(admin_user: Any, limit: int) -> None:
    for _ in range(limit + 2):
        assert _sign_in(Client(), "admin", "password").status_code == 302


def test_behind_a_proxy_the_address_comes_from_x_forwarded_for(
    admin_user: Any, limit: int, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = Client()
    for _ in range(limit):
        _sign_in(client, "a", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.7")

    # The proxy's own address (REMOTE_ADDR) is shared by every client: not what counts.
    assert (
        _sign_in(client, "admin", "password", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code
        == 302
    )
    assert _sign_in(client, "b", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
