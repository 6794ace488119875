"""A scratch PostgreSQL database and Chroma directory for one benchmark run.

The database (``halasync_bench_<pid>``, or another prefix) is created on the server named
by DATABASE_URL and dropped at the end, whatever happens; so is the Chroma directory. Django is pointed
at both through the environment before ``django.setup()``, so that the settings module
stays the one place that reads configuration, and child processes (``manage.py sync …``)
inherit the same configuration.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/halasync"


@dataclass(frozen=True)
class Scratch:
    database_url: str
    database_name: str
    chroma_path: str
    log_file: str


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin_execute(server_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(server_url, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


@contextmanager
def scratch_environment(
    *, server_url: str | None = None, keep: bool = False, prefix: str = "halasync_bench"
) -> Iterator[Scratch]:
    """Create the scratch database and directory, configure Django for them, clean up.

    ``prefix`` names both (``<prefix>_<pid>``): the quality benchmark uses its own."""
    server_url = server_url or os.environ.get("DATABASE_URL") or DEFAULT_SERVER_URL
    name = f"{prefix}_{os.getpid()}"
    directory = tempfile.mkdtemp(prefix=f"{prefix}_")
    scratch = Scratch(
        database_url=_with_database(server_url, name),
        database_name=name,
        chroma_path=os.path.join(directory, "chroma"),
        log_file=os.path.join(directory, "sync.log"),
    )
    _admin_execute(server_url, f'DROP DATABASE IF EXISTS "{name}"')
    _admin_execute(server_url, f'CREATE DATABASE "{name}"')
    try:
        _configure(scratch)
        yield scratch
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not be set up yet; nothing to close then
            pass
        if not keep:
            _admin_execute(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(directory, ignore_errors=True)


def _configure(scratch: Scratch) -> None:
    overrides = {
        "DJANGO_SETTINGS_MODULE": "halasync.settings",
        "DATABASE_URL": scratch.database_url,
        "SOURCE_DATABASE_URL": scratch.database_url,
        "CHROMA_PATH": scratch.chroma_path,
        "CHROMA_HOST": "",
        "SYNC_LOG_FILE": scratch.log_file,
        # DEBUG keeps every SQL query in memory: it would distort time and memory.
        "DJANGO_DEBUG": "false",
        # The benchmark calls the API faster than the default per-user rate limit (its
        # single-record and search phases make ~300 calls within a minute, freshness polls
        # search every 100 ms): a throttled call (429) is not what it measures.
        "API_THROTTLE_USER_RATE": "off",
        "API_THROTTLE_ANON_RATE": "off",
    }
    os.environ.update(overrides)
    # A throw-away key for the scratch project when none is configured (as the test
    # settings do); nothing here is served.
    os.environ.setdefault("DJANGO_SECRET_KEY", "halasync-bench-scratch-key-not-a-secret")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from syncer.demo.schema import source_tables_create

    call_command("migrate", verbosity=0, interactive=False)
    source_tables_create(connection)
