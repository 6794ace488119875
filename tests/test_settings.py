"""halasync/settings.py as the environment sets it: the production environment docs/operations.md
documents passes `manage.py check --deploy`, the defaults keep plain http working, and a
malformed value is refused with a message that names it."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from tests.processes import ROOT

PRODUCTION_BLOCK = "# production .env behind an HTTPS reverse proxy"


def documented_production_env() -> dict[str, str]:
    """The variables of docs/operations.md's production block (its secret placeholder filled in)."""
    readme = (ROOT / "docs" / "operations.md").read_text()
    block = re.search(r"```ini\n(" + re.escape(PRODUCTION_BLOCK) + r".*?)```", readme, re.S)
    assert block, "docs/operations.md has no production settings block"
    variables = {}
    for line in block.group(1).splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            variables[name] = secrets.token_urlsafe(50) if value.startswith("<") else value
    return variables


def run_django(args: list[str], variables: dict[str, str]) -> subprocess.CompletedProcess:
    """``args`` under halasync.settings with ``variables`` and no other DJANGO_* setting
    from the environment running the tests."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env.update(variables, DJANGO_SETTINGS_MODULE="halasync.settings")
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.processes
def test_the_documented_production_environment_passes_check_deploy() -> None:
    variables = documented_production_env()
    assert variables["DJANGO_SECURE_SSL_REDIRECT"] == "true"

    checked = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], variables)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout


@pytest.mark.processes
def test_without_them_check_deploy_names_what_is_missing() -> None:
    variables = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_DEBUG": "false"}

    checked = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], variables)

    assert checked.returncode != 0
    for warning in ("W004", "W008", "W012", "W016"):
        assert f"security.{warning}" in checked.stderr


SHOW_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps("
    "[s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
    "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.CSRF_TRUSTED_ORIGINS]))"
)


@pytest.mark.processes
def test_production_variables_reach_the_settings() -> None:
    shown = run_django(["-c", SHOW_SETTINGS], documented_production_env())

    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == [
        ["HTTP_X_FORWARDED_PROTO", "https"],
        True,
        31536000,
        True,
        True,
        ["https://halasync.example.org"],
    ]


@pytest.mark.processes
def test_a_malformed_proxy_header_is_refused_by_name() -> None:
    variables = {**documented_production_env(), "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_PROTO"}

    shown = run_django(["-c", SHOW_SETTINGS], variables)

    assert shown.returncode != 0
    assert "DJANGO_SECURE_PROXY_SSL_HEADER='HTTP_X_PROTO' is not a header name" in shown.stderr


@pytest.mark.django_db
def test_by_default_plain_http_works(admin_user: Any) -> None:
    client = Client()
    page = client.get("/admin/login/")
    assert page.status_code == 200
    assert not page.cookies["csrftoken"]["secure"]
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_https_redirect_spares_health_and_trusts_the_proxy_header(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()

    redirected = client.get("/admin/login/")
    assert redirected.status_code == 301
    assert redirected["Location"] == "https://testserver/admin/login/"
    assert client.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    # Monitors probe health over plain http.
    assert client.get("/api/v1/sync/health").status_code in (200, 503)


SHOW_LIMITS = (
    "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps("
    "[s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'], s.REST_FRAMEWORK['NUM_PROXIES'], "
    "s.CACHES['default']['BACKEND'], s.ADMIN_LOGIN_MAX_FAILURES, s.ADMIN_LOGIN_WINDOW_SECONDS]))"
)


@pytest.mark.processes
def test_rate_limits_come_from_the_environment() -> None:
    defaults = run_django(["-c", SHOW_LIMITS], {"DJANGO_DEBUG": "true"})
    assert defaults.returncode == 0, defaults.stderr
    assert json.loads(defaults.stdout) == [
        {"anon": "60/minute", "user": "300/minute"},
        0,
        "django.core.cache.backends.locmem.LocMemCache",
        10,
        900,
    ]

    variables = {
        "DJANGO_DEBUG": "true",
        "API_THROTTLE_USER_RATE": "20/second",
        "API_THROTTLE_ANON_RATE": "off",
        "WEB_PROXY_COUNT": "1",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "ADMIN_LOGIN_MAX_FAILURES": "5",
        "ADMIN_LOGIN_WINDOW_SECONDS": "3600",
    }
    shown = run_django(["-c", SHOW_LIMITS], variables)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == [
        {"anon": None, "user": "20/second"},
        1,
        "django.core.cache.backends.redis.RedisCache",
        5,
        3600,
    ]


@pytest.mark.processes
def test_a_malformed_rate_is_refused_by_name() -> None:
    shown = run_django(
        ["-c", SHOW_LIMITS], {"DJANGO_DEBUG": "true", "API_THROTTLE_USER_RATE": "fast"}
    )

    assert shown.returncode != 0
    assert "API_THROTTLE_USER_RATE='fast' is not a rate" in shown.stderr


@pytest.mark.processes
def test_the_suite_keeps_its_database_broker_whatever_redis_url_says() -> None:
    """A developer's REDIS_URL (shell or .env) sent the suite's queued runs to Redis, and
    five tests looking for them in the database failed; halasync itself honours it."""
    show = "from django.conf import settings; print('redis' in settings.Q_CLUSTER)"
    redis = {
        "REDIS_URL": "redis://127.0.0.1:6379/7",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    }
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    for module, child, expected in (
        ("halasync.test_settings", {}, "False"),
        # A process a test starts (tests/processes.py) keeps the REDIS_URL it was given.
        ("halasync.test_settings", {"HALASYNC_TEST_CHILD": "1"}, "True"),
        ("halasync.settings", {}, "True"),
    ):
        shown = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {show}"],
            cwd=ROOT,
            env={**env, **redis, **child, "DJANGO_SETTINGS_MODULE": module},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.strip() == expected, module
