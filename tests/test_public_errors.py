"""Run errors as signed-in users see them: the reason, without the database server, its
port, the database or role name, paths or URLs; the full message stays in the log."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.contrib.admin.utils import quote
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from syncer.models import SyncRun
from syncer.public_errors import error_public
from tests.processes import free_port, halasync_env, manage_json


def _connection_error(dsn: str) -> str:
    """The message psycopg gives for ``dsn``, for real."""
    with pytest.raises(psycopg.OperationalError) as failure:
        psycopg.connect(dsn, connect_timeout=5)
    return str(failure.value)


def _server() -> tuple[str, str]:
    settings = connection.settings_dict
    return settings["HOST"] or "127.0.0.1", str(settings["PORT"] or 5432)


@pytest.mark.django_db
def test_psycopg_connection_errors_lose_their_infrastructure_details() -> None:
    host, port = _server()
    closed_port = str(free_port())
    messages = {
        _connection_error(f"postgresql://postgres@{host}:{closed_port}/x"): [host, closed_port],
        _connection_error(f"postgresql://postgres@{host}:{port}/halasync_secret_db"): [
            host,
            port,
            "halasync_secret_db",
        ],
        _connection_error(f"postgresql://secret_role@{host}:{port}/postgres"): [
            host,
            port,
            "secret_role",
        ],
        _connection_error("postgresql:///x?host=/tmp/secret-socket-dir"): [
            "/tmp/secret-socket-dir"
        ],
    }
    for message, details in messages.items():
        public = error_public(message)
        for detail in details:
            assert detail in message and detail not in public, (message, public)
        assert "failed" in public  # what happened is kept


@pytest.mark.parametrize(
    ("message", "hidden", "kept"),
    [
        (
            'connection to server at "db.internal" (10.0.3.7), port 6432 failed: Connection refused',
            ["db.internal", "10.0.3.7", "6432"],
            "Connection refused",
        ),
        (
            'connection to server at "localhost" (::1), port 5432 failed: timeout expired',
            ["localhost", "::1", "5432"],
            "timeout expired",
        ),
        (
            "failed to resolve host 'pg.example': [Errno -2] Name or service not known",
            ["pg.example"],
            "Name or service",
        ),
        (
            'no pg_hba.conf entry for host "10.1.2.3", user "bob", database "app"',
            ["10.1.2.3", "bob", 'app"'],
            "pg_hba.conf",
        ),
        (
            "collection 'k' does not exist in server chroma.internal:8000; run sync full",
            ["chroma.internal"],
            "run sync full",
        ),
        (
            "collection 'k' does not exist in directory /srv/halasync/chroma; run sync full",
            ["/srv/halasync"],
            "run sync full",
        ),
        (
            "Server error '503' for url 'http://user:pw@10.0.0.9:8000/api/v2/x'",
            ["user:pw", "10.0.0.9"],
            "Server error '503'",
        ),
        (
            "ValueError: timestamp too large (after year 10K): '12000-01-01 08:00:00'",
            [],
            "'12000-01-01 08:00:00'",
        ),
        (
            "gave up after 6 attempt(s) over 15.3s: ConnectError: [Errno 111] Connection refused",
            [],
            "over 15.3s",
        ),
    ],
)
def test_other_messages(message: str, hidden: list[str], kept: str) -> None:
    public = error_public(message)
    for detail in hidden:
        assert detail not in public, public
    assert kept in public
    if not hidden:
        assert public == message


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_a_failed_run_shows_the_reason_without_the_database_server(
    admin_client: Any, chroma: str, tmp_path: Path
) -> None:
    host, port = _server()
    log = tmp_path / "sync.log"
    env = halasync_env(
        CHROMA_PATH=chroma,
        SYNC_LOG_FILE=str(log),
        # The source tables' database does not exist: psycopg names server, port and database.
        SOURCE_DATABASE_URL=f"postgres://postgres@{host}:{port}/halasync_secret_source_db",
        SYNC_RETRY_ATTEMPTS="2",
        SYNC_RETRY_BACKOFF_SECONDS="0.01",
    )
    printed = manage_json("sync", "incremental", env=env, returncode=1, timeout=120).data

    assert printed["status"] == "failed"
    assert "does not exist" in printed["error"] and "gave up after 2 attempt(s)" in printed["error"]
    run = SyncRun.objects.get(pk=printed["id"])
    api = admin_client.get(f"/api/v1/sync/runs/{run.pk}").json()
    page = admin_client.get(reverse("admin:syncer_syncrun_change", args=[quote(run.pk)]))
    for shown in (printed["error"], run.error, api["error"], page.content.decode()):
        for detail in (f'"{host}"', f"port {port}", "halasync_secret_source_db"):
            assert detail not in shown
    # The log keeps the whole message for the operator.
    assert f'"{host}", port {port}' in log.read_text()
    assert "halasync_secret_source_db" in log.read_text()


@pytest.mark.django_db
def test_the_admin_says_a_collection_is_missing_without_naming_the_directory(
    admin_client: Any, chroma: str, make_knowledge: Any
) -> None:
    from django.contrib.messages import get_messages

    make_knowledge()
    response = admin_client.get(reverse("admin:knowledge_knowledgereference_changelist"))

    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("does not exist" in text and "sync full" in text for text in shown), shown
    assert not any(chroma in text for text in shown), shown


@pytest.mark.django_db
def test_stats_name_the_kind_of_chroma_never_its_directory(
    chroma: str, make_knowledge: Any, api: Any
) -> None:
    make_knowledge()  # no collection yet: its error names where it looked, in the log only
    from syncer.services.stats import sync_stats

    stats = sync_stats()
    assert stats.chroma == "embedded"
    assert "does not exist" in stats.sources["knowledge"].chroma_error
    for shown in (json.dumps(stats.as_dict()), json.dumps(api.get("/api/v1/sync/stats").json())):
        assert chroma not in shown
    out = io.StringIO()
    call_command("sync", "stats", "--json", stdout=out)
    assert chroma not in out.getvalue()


@pytest.mark.django_db
def test_a_source_failure_saved_while_the_run_goes_on_is_redacted() -> None:
    """The line of a failed source is saved at once (the overview shows it while the next
    source runs): redacted like the final error."""
    from django.db import OperationalError

    from syncer.models import SyncRun
    from syncer.services.bookkeeping import SourcesFailed, each_source

    run = SyncRun.objects.create(mode="full", trigger="cli", sources=["knowledge", "journeys"])
    seen_mid_run: list[str] = []

    def sync(source: Any) -> None:
        if source.name == "knowledge":
            raise OperationalError(
                'connection to server at "10.0.3.7", port 5432 failed: FATAL: database '
                '"halasync_secret_source_db" does not exist'
            )
        seen_mid_run.append(SyncRun.objects.get(pk=run.pk).error)

    with pytest.raises(SourcesFailed):
        each_source(run, sync)
    assert seen_mid_run and "does not exist" in seen_mid_run[0]
    for detail in ("10.0.3.7", "5432", "halasync_secret_source_db"):
        assert detail not in seen_mid_run[0]
