"""Hostile rows and dead dependencies found by a later adversarial pass (issue 14's
"trust" helper): values the source tables can hold that made a whole source fail, a page
answer 500, or a valid row an invalid one; an embedded Chroma directory that cannot be
opened."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.utils import quote
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from knowledge.models import KnowledgeReference
from syncer.api.exceptions import CHROMA_STORAGE_UNUSABLE, TASK_QUEUE_UNAVAILABLE
from syncer.chroma_client import chroma_reset
from syncer.models import InvalidRow, SyncRun
from syncer.services.records import sync_record
from syncer.services.runs import sync_run_execute
from syncer.services.verify import sync_verify
from syncer.store import store_open
from tests.conftest import sync_json, touch
from tests.processes import free_port


def null_updated_at(record_id: str) -> None:
    """A NULL "updatedAt": the source schema says NOT NULL, but a table that drifted from it
    (or another application's migration) can hold one."""
    table = connection.ops.quote_name(KnowledgeReference._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE {table} ALTER COLUMN "updatedAt" DROP NOT NULL')
        cursor.execute(f'UPDATE {table} SET "updatedAt" = NULL WHERE id = %s', [record_id])


@pytest.mark.usefixtures("chroma")
def test_a_null_updated_at_is_an_invalid_row_not_a_failed_source(
    make_knowledge: Any, admin_client: Client, api: Any
) -> None:
    make_knowledge(id="k_good")
    make_knowledge(id="k_null_updated_at")
    null_updated_at("k_null_updated_at")

    # Before: "knowledge: AttributeError: 'NoneType' object has no attribute 'tzinfo'" at
    # every full sync, a traceback from verify, 500 from the admin list and the API.
    run = sync_run_execute(mode="full", trigger="cli")
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert set(store_open("knowledge_references").metadatas(["k_good"])) == {"k_good"}
    invalid = InvalidRow.objects.get(record_id="k_null_updated_at")
    assert invalid.error_type == "DocumentError"
    assert '"updatedAt" (NULL)' in invalid.reason and "source application" in invalid.reason

    drift = {source.source: source for source in sync_verify().sources}["knowledge"]
    assert [record_id for record_id, _ in drift.invalid] == ["k_null_updated_at"]

    assert (
        sync_record(source="knowledge", record_id="k_null_updated_at", trigger="cli").action
        == "failed"
    )
    answer = api.post("/api/v1/sync/knowledge-reference/k_null_updated_at")
    assert answer.status_code == 422, answer.content
    assert "updatedAt" in answer.json()["error"]

    listing = admin_client.get(reverse("admin:knowledge_knowledgereference_changelist"))
    assert listing.status_code == 200
    page = admin_client.get(
        reverse("admin:knowledge_knowledgereference_change", args=[quote("k_null_updated_at")])
    )
    assert page.status_code == 200


@pytest.mark.usefixtures("chroma")
def test_a_long_goal_keyword_or_full_lists_keep_a_journey_valid(make_journey: Any) -> None:
    # A goal keyword of 66,000 characters (a TEXT column): its metadata value is cut at
    # MAX_METADATA_CHARS like any other, but its two lookup keys (written apart and
    # joined) were whole: 120,000 characters, over a list's bound, so the row became an
    # invalid row blamed on "the row's lookup_keys", which no source table has.
    make_journey(id="j_long_keyword", goal_keyword="calm words " * 6_000)
    # Tags and languages at the bound for all lists of a row together (2,000 items):
    # the goal keyword's keys pushed it over.
    make_journey(
        id="j_full_lists",
        tags=[f"tag {number}" for number in range(1_000)],
        languages=[f"l{number}" for number in range(1_000)],
    )

    run = sync_run_execute(mode="full", trigger="cli")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert not InvalidRow.objects.exists(), list(InvalidRow.objects.values("record_id", "reason"))
    stored = store_open("journey_templates").metadatas(["j_long_keyword", "j_full_lists"])
    assert set(stored) == {"j_long_keyword", "j_full_lists"}
    assert all(len(key) <= 2_100 for key in stored["j_long_keyword"]["lookup_keys"])


@pytest.fixture
def chroma_unusable(tmp_path: Path, settings: Any) -> Any:
    """CHROMA_PATH under a regular file: embedded Chroma cannot create its directory (as
    with a missing mount, a directory this user cannot write, or a full disk)."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.CHROMA_HOST = ""
    settings.CHROMA_PATH = str(blocker / "chroma")
    chroma_reset()
    yield
    chroma_reset()


@pytest.mark.usefixtures("chroma_unusable")
@pytest.mark.parametrize(
    "args",
    [("search", "calm"), ("verify",), ("ref", "ref_1"), ("stats",), ("incremental",)],
    ids=lambda args: args[0],
)
def test_an_unusable_chroma_path_is_one_clear_line_from_every_subcommand(
    args: tuple[str, ...], make_knowledge: Any
) -> None:
    make_knowledge(id="ref_1")

    # Before: search, verify and ref ended in a traceback of Chroma's bare InternalError
    # ("Not a directory (os error 20)"), nothing on stdout; stats said Chroma was
    # reachable, its collections broken, and to rebuild them, and exited 0.
    code, answer, _ = sync_json(*args)

    assert code == 1
    reason = (
        answer["error"] if "error" in answer else answer["sources"]["knowledge"]["chroma_error"]
    )
    if args[0] == "incremental":
        assert answer["status"] == "failed"
    assert "embedded Chroma cannot be opened" in reason and "CHROMA_PATH" in reason, reason
    assert "rebuild" not in reason
    if args[0] == "stats":
        assert answer["chroma_reachable"] is False


@pytest.mark.usefixtures("chroma_unusable")
def test_the_api_and_health_answer_503_when_chroma_path_is_unusable(
    api: Any, make_knowledge: Any, tmp_path: Path
) -> None:
    make_knowledge(id="ref_1")
    for method, url in [
        ("get", "/api/v1/search/knowledge-references?q=calm"),
        ("get", "/api/v1/sync/stats"),
        ("post", "/api/v1/sync/knowledge-reference/ref_1"),
    ]:
        response = getattr(api, method)(url)
        assert response.status_code == 503, (url, response.status_code, response.content)
        assert response.json() == {"detail": CHROMA_STORAGE_UNUSABLE}
        assert str(tmp_path) not in response.content.decode()

    health = api.get("/api/v1/sync/health")
    assert health.status_code == 503
    assert health.json()["checks"]["chroma"]["status"] == "down"


@pytest.mark.usefixtures("chroma")
def test_verify_says_invalid_rows_are_fixed_at_their_source_not_by_repair(
    make_journey: Any,
) -> None:
    make_journey(id="j_good")
    make_journey(id="j_no_text", goal_keyword="", tags=[], full_json={}, searchable_text=None)
    sync_run_execute(mode="full", trigger="cli")

    # Before: "drift found: run `manage.py sync verify --repair` to fix it", and the repair
    # then ended "partial: some records could not be written (see record_errors)".
    with pytest.raises(CommandError) as error:
        call_command("sync", "verify", stdout=StringIO(), stderr=StringIO())
    assert error.value.returncode == 1
    assert "--repair" not in str(error.value)
    assert "1 invalid row(s)" in str(error.value) and "fix them at their source" in str(error.value)

    with pytest.raises(CommandError) as error:
        call_command("sync", "verify", "--repair", stdout=StringIO(), stderr=StringIO())
    assert "everything else was repaired; 1 invalid row(s)" in str(error.value)
    assert "could not be written" not in str(error.value)

    # Drift a repair fixes, beside the invalid row: both are said.
    store_open("journey_templates").delete(["j_good"])
    with pytest.raises(CommandError) as error:
        call_command("sync", "verify", stdout=StringIO(), stderr=StringIO())
    assert str(error.value).startswith("drift found: run `manage.py sync verify --repair`")
    assert "1 invalid row(s)" in str(error.value)


@pytest.fixture
def redis_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """django-q2's broker is Redis (REDIS_URL) and nothing listens there. django-q2 reads
    its configuration once, at import (``Conf``), so the test changes ``Conf`` itself."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", f"redis://127.0.0.1:{free_port()}/7")


@pytest.mark.usefixtures("chroma", "redis_down")
def test_a_broker_that_is_down_fails_the_run_it_could_not_queue(
    api: Any, admin_client: Client, make_knowledge: Any
) -> None:
    make_knowledge()

    # Before: a 500, and the run left "queued" with no task: every later POST sync/run
    # and admin button was refused (409 "already queued, waiting for a worker").
    response = api.post("/api/v1/sync/run", {}, format="json")

    assert response.status_code == 503, response.content
    body = response.json()
    run = SyncRun.objects.get(pk=body["run_id"])
    assert body["detail"] == TASK_QUEUE_UNAVAILABLE.format(run_id=run.pk)
    assert run.status == SyncRun.Status.FAILED and run.finished_at is not None
    assert "task queue cannot be reached" in run.error and "127.0.0.1" not in run.error

    again = api.post("/api/v1/sync/run", {}, format="json")
    assert again.status_code == 503, again.content  # not 409: nothing is left queued

    page = admin_client.post(
        reverse("admin:syncer_syncrun_enqueue", args=["incremental"]), follow=True
    )
    assert page.status_code == 200
    shown = [str(message) for message in page.context["messages"]]
    assert any("task queue cannot be reached" in message for message in shown), shown
    assert not SyncRun.objects.filter(status=SyncRun.Status.QUEUED).exists()

    ran = api.post("/api/v1/sync/run", {"wait": True}, format="json")
    assert ran.status_code == 200 and ran.json()["status"] == "succeeded"


def test_notify_triggers_never_fail_the_applications_write_of_a_long_id(
    make_knowledge: Any,
) -> None:
    from syncer.services.notify import _changes, notify_sql
    from syncer.services.watch import WatchSummary, _sync_removals

    with connection.cursor() as cursor:  # in the test's transaction: rolled back after it
        cursor.execute(notify_sql())

    # Before: "ERROR: payload string too long" from pg_notify, failing the INSERT, UPDATE
    # or DELETE of the main application itself. A primary key holds ids this long when
    # they compress; control characters are escaped to 6 bytes each in the JSON.
    long_ids = ["z" * 20_000, "\x01" * 1_500]
    for record_id in long_ids:
        row = make_knowledge(id=record_id)
        touch(row, status="REJECTED")
        row.delete()
    make_knowledge(id="short")  # still notified with its id

    table = KnowledgeReference._meta.db_table
    changes = list(
        _changes(
            iter(
                [
                    json.dumps({"table": table, "op": "DELETE", "id": None}),
                    json.dumps({"table": table, "op": "DELETE", "id": "short"}),
                ]
            )
        )
    )
    assert [change.record_id for change in changes] == [None, "short"]
    summary = WatchSummary()
    _sync_removals(changes[:1], None, summary)  # left to the sweep, nothing fails
    assert summary.runs == []


@pytest.mark.usefixtures("chroma", "redis_down")
def test_health_says_the_broker_is_down(api: Any, make_knowledge: Any) -> None:
    make_knowledge()
    sync_run_execute(mode="full", trigger="cli")

    answer = api.get("/api/v1/sync/health").json()

    # Before: "ok" (the worker check swallowed the error), while no queued run or
    # schedule could reach a worker.
    assert answer["status"] == "degraded"
    worker = answer["checks"]["worker"]
    assert worker["status"] == "degraded", worker
    assert worker["detail"].startswith("django-q2's broker cannot be reached (ConnectionError)")
    assert answer["checks"]["postgres"]["status"] == "ok"


@pytest.mark.usefixtures("chroma")
def test_health_blames_a_frozen_broker_not_postgresql(
    api: Any, make_knowledge: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket
    import time

    from django_q.conf import Conf

    from syncer.services.health import HEALTH_DEADLINE_SECONDS

    make_knowledge()
    sync_run_execute(mode="full", trigger="cli")
    # A Redis that accepts connections and never answers (as one stopped with SIGSTOP):
    # the kernel completes the handshake of a socket that listens and never accepts.
    frozen = socket.socket()
    frozen.bind(("127.0.0.1", 0))
    frozen.listen(16)
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(
        Conf, "REDIS", f"redis://127.0.0.1:{frozen.getsockname()[1]}/7?socket_timeout=10"
    )
    try:
        started = time.monotonic()
        answer = api.get("/api/v1/sync/health").json()
        took = time.monotonic() - started
    finally:
        frozen.close()

    # Before: "down", "PostgreSQL did not answer within 1.5s" (the broker was asked inside
    # PostgreSQL's checks, and held them past the deadline).
    assert took < HEALTH_DEADLINE_SECONDS + 1.0
    assert answer["checks"]["postgres"]["status"] == "ok", answer
    worker = answer["checks"]["worker"]
    assert worker["status"] == "degraded", worker
    assert worker["detail"].startswith("django-q2's broker did not answer within")


@pytest.mark.usefixtures("chroma")
def test_a_nearly_full_disk_ends_the_sync_with_a_reason_instead_of_a_hang(
    make_knowledge: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """Embedded Chroma whose disk filled mid-write stopped answering and the sync waited
    for good, holding its lock (3,000 rows on a 3 MB tmpfs). Below CHROMA_MIN_FREE_MB
    nothing is written: the run fails saying why, reads go on, and once there is room the
    next run syncs everything. (The free space is faked: filling a real disk in a test
    would hang it.)"""
    import shutil

    make_knowledge(id="ref_1")
    real = shutil.disk_usage
    tight = 10 * 1024 * 1024

    def nearly_full(path: Any) -> Any:
        usage = real(path)
        return type(usage)(usage.total, usage.total - tight, tight)

    monkeypatch.setattr("syncer.store.shutil.disk_usage", nearly_full)
    code, answer, _ = sync_json("full")
    assert code == 1
    assert "CHROMA_MIN_FREE_MB=50" in json.dumps(answer) and "10 MB free" in json.dumps(answer)
    assert SyncRun.objects.latest("pk").status == SyncRun.Status.FAILED
    assert store_open("knowledge_references", create=False).count() == 0

    settings.CHROMA_MIN_FREE_MB = 0  # the check off: writes go on
    assert sync_json("full")[0] == 0
    assert store_open("knowledge_references", create=False).count() == 1

    settings.CHROMA_MIN_FREE_MB = 50
    code, _, _ = sync_json("search", "calm", "--source", "knowledge")
    assert code == 0  # reading needs no room
    monkeypatch.setattr("syncer.store.shutil.disk_usage", real)
    make_knowledge(id="ref_2")
    assert sync_json("incremental")[0] == 0
    assert store_open("knowledge_references", create=False).count() == 2
