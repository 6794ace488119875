"""SOURCE_DATABASE_URL and the demo seed: the source tables may live in another database,
and the seed never touches tables that exist."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from halasync.routers import SourceTablesRouter, source_alias
from knowledge.models import KnowledgeReference
from syncer.demo.sample_data import JOURNEY_ROWS, KNOWLEDGE_ROWS
from syncer.models import SyncRun
from tests.processes import ROOT, halasync_env, manage_json


def test_router_sends_source_models_to_the_source_alias(monkeypatch) -> None:
    from django.conf import settings

    router = SourceTablesRouter()
    assert router.db_for_read(KnowledgeReference) == "default"
    # Only the router's view of the configuration changes; no connection is opened.
    monkeypatch.setitem(settings.DATABASES, "source", settings.DATABASES["default"])
    assert source_alias() == "source"
    assert router.db_for_read(KnowledgeReference) == "source"
    assert router.db_for_write(SyncRun) is None
    assert router.allow_migrate("source", "syncer") is False


def test_seed_never_touches_existing_tables(make_knowledge) -> None:
    make_knowledge(id="real_row")
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "already exist" in out.getvalue()
    assert list(KnowledgeReference.objects.values_list("id", flat=True)) == ["real_row"]


@pytest.fixture
def source_database() -> str:
    """A separate, empty PostgreSQL database for the source tables."""
    db = connection.settings_dict
    name = f"{db['NAME']}_source"
    admin = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_sync_reads_the_source_database(source_database: str, tmp_path: Path) -> None:
    env = halasync_env(SOURCE_DATABASE_URL=source_database, CHROMA_PATH=str(tmp_path / "chroma"))

    seeded = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert seeded.returncode == 0, seeded.stderr
    assert "Created the source tables" in seeded.stdout
    run = manage_json("sync", "full", env=env, timeout=300).data
    eligible_knowledge = sum(row["status"] != "REJECTED" for row in KNOWLEDGE_ROWS)
    eligible_journeys = sum(row["status"] != "ARCHIVED" for row in JOURNEY_ROWS)
    assert run["counts"]["knowledge"]["upserted"] == eligible_knowledge
    assert run["counts"]["journeys"]["upserted"] == eligible_journeys
    # The run is recorded in halasync's own database; the source tables are not in it
    # beyond the empty test copies.
    assert SyncRun.objects.get(pk=run["id"]).status == "succeeded"
    assert not KnowledgeReference.objects.using("default").exists()
