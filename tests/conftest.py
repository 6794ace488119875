"""Shared fixtures: the source tables in the test database, a fresh embedded Chroma per
test (or a `chroma run` server), the test embedder, and factories for source rows.

Markers (``bin/test --fast`` leaves both out; the full suite, the CI gate, runs all):

- ``model``: the test's behaviour depends on real embeddings (search quality, the real
  model's loading and memory, the vectors other programs read). It embeds with the
  configured model, as production does.
- ``processes``: the test starts real subprocesses (`chroma run`, `manage.py` children,
  gunicorn, qcluster, Chromium). Tests that use ``chroma_server`` (or the server half of
  ``any_chroma``) are marked automatically.

In the fast run (``bin/test --fast``, which sets ``HALASYNC_TEST_EMBEDDER=hashing-test``)
every test not marked ``model`` embeds with that declared test embedder (the
``hashing-test`` backend: deterministic vectors from the text's words, no model to load):
their assertions about syncing, hashing, counting, filtering, locking and failing do not
depend on what the vectors mean, so they hold with it exactly as with the real model. The
full suite, without the variable, embeds with the configured model everywhere.
Subprocesses started through ``tests.processes.halasync_env`` embed with the same model as
the test that starts them.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer import embeddings
from syncer.chroma_client import chroma_reset
from syncer.demo.schema import source_tables_create
from syncer.locks import lock_sessions_close
from syncer.sources.base import as_utc
from tests.browser import Browser
from tests.processes import ChromaServer

# The declared test embedder of the fast run (an EMBEDDING_MODEL backend meant for tests
# only), or None: every test embeds with the configured model.
TEST_EMBEDDER = os.environ.get("HALASYNC_TEST_EMBEDDER") or None
# Fixtures that start a real subprocess: a test using one is marked `processes`.
PROCESS_FIXTURES = {"chroma_server", "browser", "static_root"}

BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)
_ids = itertools.count(1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``processes`` on every test that starts a server through a fixture (the server half
    of ``any_chroma`` included), so that the fast run cannot pick one up by mistake."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        server_half = callspec is not None and callspec.params.get("any_chroma") == "server"
        if fixtures & PROCESS_FIXTURES or server_half:
            item.add_marker(pytest.mark.processes)


@pytest.fixture(autouse=True)
def _subprocesses_only_when_marked(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test that starts a subprocess without the ``processes`` marker fails, saying so:
    the fast run must never start one, and the marker cannot fall behind the tests."""
    if request.node.get_closest_marker("processes") is not None:
        return

    def refuse(self: subprocess.Popen, args: Any, *more: Any, **options: Any) -> None:
        pytest.fail(f"this test starts a subprocess ({args!r}): mark it `processes`")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)


@pytest.fixture(autouse=True)
def _test_embedder(request: pytest.FixtureRequest, settings: Any) -> None:
    """In the fast run, tests not marked ``model`` embed with the declared test embedder."""
    if TEST_EMBEDDER and request.node.get_closest_marker("model") is None:
        settings.EMBEDDING_MODEL = TEST_EMBEDDER
        # Tests without the `chroma` fixture share one directory: not the full run's, whose
        # collections were built by another model.
        settings.CHROMA_PATH = f"{settings.CHROMA_PATH}-{TEST_EMBEDDER}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database also gets the two source tables, from the copied DDL. The lock
    sessions this process kept are closed before the database is dropped."""
    with django_db_blocker.unblock():
        source_tables_create(connection)
    yield
    lock_sessions_close()


@pytest.fixture(autouse=True)
def _empty_source_tables_after_committing_tests(
    request: pytest.FixtureRequest, django_db_blocker: Any
) -> Iterator[None]:
    """Django flushes only its managed tables after a transactional test; the unmanaged
    source tables are emptied here so that committed rows never leak into later tests."""
    yield
    marker = request.node.get_closest_marker("django_db")
    committing = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if committing:
        quote = connection.ops.quote_name
        tables = ", ".join(quote(m._meta.db_table) for m in (KnowledgeReference, JourneyTemplate))
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables}")


@pytest.fixture
def chroma(tmp_path: Any, settings: Any) -> Iterator[str]:
    """A fresh embedded Chroma directory for this test."""
    path = tmp_path / "chroma"
    settings.CHROMA_PATH = str(path)
    settings.CHROMA_HOST = None
    chroma_reset()
    yield str(path)
    chroma_reset()


@pytest.fixture
def chroma_server(tmp_path: Path, settings: Any) -> Iterator[ChromaServer]:
    """A running `chroma run` server that this process's settings point at."""
    from syncer.chroma_client import chroma_reset

    server = ChromaServer(tmp_path / "chroma-server", tmp_path / "chroma-server.log")
    server.start()
    settings.CHROMA_HOST, settings.CHROMA_PORT = "127.0.0.1", server.port
    chroma_reset()
    try:
        yield server
    finally:
        server.stop()
        chroma_reset()


@pytest.fixture(params=["embedded", "server"])
def any_chroma(request: pytest.FixtureRequest) -> Callable[[], None]:
    """The test runs twice: on embedded Chroma (``chroma``) and on a `chroma run` server
    (``chroma_server``). Returns how to reopen it: a new client, or a restarted server."""
    from syncer.chroma_client import chroma_reset

    if request.param == "embedded":
        request.getfixturevalue("chroma")
        return chroma_reset
    server: ChromaServer = request.getfixturevalue("chroma_server")

    def restart() -> None:
        server.stop()
        server.start()
        chroma_reset()

    return restart


@pytest.fixture
def embedded_count() -> Callable[[], int]:
    """How many texts the model has embedded in this process since the test began."""
    start = embeddings.stats.texts
    return lambda: embeddings.stats.texts - start


def _stamp(minutes: float) -> datetime:
    return BASE_TIME + timedelta(minutes=minutes)


@pytest.fixture
def make_knowledge(db: None) -> Callable[..., KnowledgeReference]:
    def make(**fields: Any) -> KnowledgeReference:
        number = next(_ids)
        values: dict[str, Any] = {
            "id": f"ref_{number}",
            "category": "STRATEGY",
            "source": "Test source",
            "title": {"en": f"Title {number}", "id": f"Judul {number}"},
            "content": {"en": f"Content {number}", "id": f"Isi {number}"},
            "tags": ["test"],
            "languages": ["id", "en"],
            "status": "VERIFIED",
            "created_at": _stamp(0),
            "updated_at": _stamp(number),
        }
        values.update(fields)
        return KnowledgeReference.objects.create(**values)

    return make


@pytest.fixture
def make_journey(db: None) -> Callable[..., JourneyTemplate]:
    def make(**fields: Any) -> JourneyTemplate:
        number = next(_ids)
        values: dict[str, Any] = {
            "id": f"tpl_{number}",
            "goal_keyword": f"goal {number}",
            "tags": ["test"],
            "languages": ["id", "en"],
            "is_active": True,
            "status": "PUBLISHED",
            "match_count": 0,
            "full_json": {"goal": f"Goal {number}", "steps": []},
            "created_at": _stamp(0),
            "updated_at": _stamp(number),
        }
        values.update(fields)
        return JourneyTemplate.objects.create(**values)

    return make


@pytest.fixture
def chroma_refuses(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``chroma_refuses(*ids)``: from then on Chroma refuses every write (add, upsert,
    update) of a batch holding one of those ids (``chroma_refuses()``: none again), with a TypeError as its bindings raise for
    a value they cannot hold. A record-level write failure (a record error, unlike a row
    that cannot become a document: an invalid row). Injected: halasync turns every row
    into values Chroma stores (a lone surrogate spelled in a JSON string was the last real
    one, and is now replaced), so no row can cause it."""
    from chromadb.api.models.Collection import Collection

    refused: set[str] = set()
    for name in ("add", "upsert", "update"):
        real = getattr(Collection, name)

        def write(self: Any, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            ids = kwargs.get("ids", args[0] if args else [])
            if refused.intersection([ids] if isinstance(ids, str) else ids):
                raise TypeError("argument 'metadatas': 'str' object cannot be converted")
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Collection, name, write)

    def refuse(*ids: str) -> None:
        refused.clear()
        refused.update(ids)

    return refuse


def sync_json(*args: str) -> tuple[int, dict[str, Any], str]:
    """``manage.py sync *args --json`` in this process: its exit status, the one JSON
    object it printed on stdout (asserted to be exactly one line), and the CommandError's
    message ("" when it succeeded)."""
    out = StringIO()
    try:
        call_command("sync", *args, "--json", stdout=out, stderr=StringIO())
        code, message = 0, ""
    except CommandError as error:
        code, message = error.returncode, str(error)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1, out.getvalue()
    return code, json.loads(lines[0]), message


def touch(row: Any, **changes: Any) -> Any:
    """Change a source row the way the main application does: fields and "updatedAt"."""
    # Rows read back from TIMESTAMP WITHOUT TIME ZONE are naive UTC; save them aware.
    row.created_at, row.updated_at = as_utc(row.created_at), as_utc(row.updated_at)
    for name, value in changes.items():
        setattr(row, name, value)
    if "updated_at" not in changes:
        row.updated_at = row.updated_at + timedelta(hours=1)
    row.save()
    return row


# --- REST API (tests/test_api_*.py) -----------------------------------------------------


@pytest.fixture
def operator(django_user_model: Any) -> Any:
    """A user with the syncer.run_sync permission and a DRF token."""
    from django.contrib.auth.models import Permission
    from rest_framework.authtoken.models import Token

    user = django_user_model.objects.create_user("operator", password="operator-password")
    user.user_permissions.add(
        Permission.objects.get(codename="run_sync", content_type__app_label="syncer")
    )
    Token.objects.create(user=user)
    return user


@pytest.fixture
def api(operator: Any) -> Any:
    """An APIClient authenticated as ``operator`` with its token."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator.auth_token.key}")
    return client


@pytest.fixture
def q_sync(monkeypatch: Any) -> None:
    """Run django-q2 tasks inline, in the calling thread and transaction.

    django_q.conf.Conf copies Q_CLUSTER once, when it is first imported, so overriding
    ``settings.Q_CLUSTER["sync"]`` in a test changes nothing. ``Conf.SYNC`` is what
    ``async_task`` reads, and also what makes django-q2 keep (not close) the test's
    database connection while it runs the task.
    """
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


# --- a real browser (tests/test_admin_*browser.py) ---------------------------------------


@pytest.fixture
def browser(tmp_path: Any) -> Iterator[Browser]:
    """Headless Chromium, closed (by its PID) whatever the test does."""
    chromium = Browser(tmp_path / "chromium-profile", tmp_path / "chromium.log")
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """`collectstatic` as bin/quickstart runs it, into a directory of this test session
    (DJANGO_STATIC_ROOT of the web servers the tests start)."""
    import subprocess
    import sys

    from tests.processes import ROOT, halasync_env

    root = tmp_path_factory.mktemp("static")
    env = halasync_env(DJANGO_STATIC_ROOT=str(root), DJANGO_DEBUG="false")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    assert (root / "admin" / "css" / "base.css").exists()
    return root
