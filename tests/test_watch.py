"""``sync watch``: a real subprocess picks up inserts, updates, exclusions and deletions
within seconds, records runs only for cycles with work, and stops cleanly on SIGTERM.
Plus its run entry point, ``sync_watch_cycle`` (unrecorded idle cycles, ``sweep``)."""

from __future__ import annotations

import json
import logging
import math
import re
import signal
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer.chroma_client import chroma_reset
from syncer.models import InvalidRow, SyncRun, SyncRunSource
from syncer.services.notify import CHANNEL, Change
from syncer.services.records import sync_record
from syncer.services.runs import sync_run_execute, sync_watch_cycle
from syncer.services.search import SearchFilters, search_documents
from syncer.services.watch import WatchSummary, _sync_removals, sync_watch
from syncer.sources import KNOWLEDGE as KNOWLEDGE_SOURCE
from syncer.store import collection_names, store_open
from tests.conftest import touch
from tests.processes import (
    ROOT,
    TcpProxy,
    halasync_env,
    log_tail,
    notify_listened,
    process_stop,
    spawn,
    wait_until,
)

KNOWLEDGE = "knowledge_references"
JOURNEYS = "journey_templates"
# Generous: the machine has 2 cores and other test suites may run at the same time.
LATENCY_BOUND_SECONDS = 20.0


def stored(collection: str, record_id: str) -> dict[str, Any] | None:
    """The metadata Chroma holds for ``record_id`` (this process reopens its embedded
    client when another process finished a run: see syncer.chroma_client)."""
    return store_open(collection).metadatas([record_id]).get(record_id)


def searchable(record_id: str, text: str) -> bool:
    """The search (the service the API and ``sync search`` call) returns ``record_id``
    with ``text`` in its document when asked for ``text``: what a user would see."""
    hits = search_documents(
        query=text, sources=[KNOWLEDGE_SOURCE], filters=SearchFilters(), limit=10
    )
    return any(hit["id"] == record_id and text in (hit["document"] or "") for hit in hits)


def reader_reopen() -> None:
    """Reopen this process's embedded Chroma, as a web process started after the first
    sync would have it. (This process opened the collections while they were still
    empty, through ``stored``; Chroma 1.5 then answers its vector queries with "Nothing
    found on disk", on which syncer.store reopens and retries: tested in
    test_staleness.py. Reopening here keeps these timings free of that extra reopen.)"""
    chroma_reset()


def deleted_by_finished_runs() -> int:
    finished = SyncRunSource.objects.filter(run__finished_at__isnull=False)
    return finished.aggregate(deleted=Sum("deleted"))["deleted"] or 0


def runs() -> list[SyncRun]:
    return list(SyncRun.objects.order_by("pk"))


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_watch_subprocess_follows_changes_and_stops_on_sigterm(
    chroma: str, tmp_path: Path, make_knowledge: Any, make_journey: Any
) -> None:
    make_knowledge(id="k1", title={"en": "Breathing when anxious"})
    make_knowledge(id="k2", title={"en": "Gratitude before sleep"})
    make_journey(id="j1")
    stdout, stderr = tmp_path / "watch.out", tmp_path / "watch.err"
    env = halasync_env(CHROMA_PATH=chroma, SYNC_LOG_FILE=str(tmp_path / "sync.log"))
    args = [sys.executable, "manage.py", "sync", "watch", "--json"]
    args += ["--interval", "0.3", "--sweep-every", "1"]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            start_new_session=True,
        )  # fmt: skip

    def until(predicate: Any, what: str, timeout: float = LATENCY_BOUND_SECONDS) -> Any:
        return wait_until(predicate, timeout=timeout, what=what, process=process, log=stderr)

    try:
        # Catch-up: the rows that existed before watch started (includes the model load).
        until(lambda: stored(KNOWLEDGE, "k2") and stored(JOURNEYS, "j1"), "catch-up", 120)
        until(lambda: stdout.read_text().count("\n") >= 1, "the catch-up run's JSON line")
        # This process searches as the web process would; the model loads here, untimed.
        reader_reopen()
        until(lambda: searchable("k2", "Gratitude before sleep"), "catch-up searchable")

        # Idle cycles (several at 0.3 s, a sweep at 1 s) record nothing.
        recorded = len(runs())
        time.sleep(2.5)
        assert len(runs()) == recorded

        # Freshness, poll mode: from the write's commit until a search returns the row.
        make_knowledge(id="k3", title={"en": "Forgiving a friend"})
        started = time.monotonic()
        until(lambda: searchable("k3", "Forgiving a friend"), "insert found by search")
        latency = time.monotonic() - started
        assert latency < LATENCY_BOUND_SECONDS, f"insert→searchable took {latency:.2f}s"

        touch(KnowledgeReference.objects.get(pk="k1"), title={"en": "Breathing, corrected"})
        started = time.monotonic()
        until(lambda: searchable("k1", "Breathing, corrected"), "update found by search")
        update_latency = time.monotonic() - started
        assert update_latency < LATENCY_BOUND_SECONDS, f"update→searchable {update_latency:.2f}s"
        assert stored(KNOWLEDGE, "k1")["title"] == "Breathing, corrected"

        touch(KnowledgeReference.objects.get(pk="k2"), status="REJECTED")
        until(lambda: stored(KNOWLEDGE, "k2") is None, "move to REJECTED")

        JourneyTemplate.objects.filter(pk="j1").delete()
        until(lambda: stored(JOURNEYS, "j1") is None, "hard delete")
        # Chroma shows a deletion a moment before the run that made it is recorded: wait
        # for that record, or it would be counted as an idle cycle's run below.
        until(lambda: deleted_by_finished_runs() == 2, "the deleting run recorded")

        recorded = runs()
        time.sleep(1.5)  # the changes are all in; the following cycles are idle again
        assert len(runs()) == len(recorded)

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log_tail(stderr)
    finally:
        process_stop(process)

    recorded = runs()  # read again: the last one may have been running when listed
    assert all(run.trigger == "watch" and run.mode == "incremental" for run in recorded)
    assert all(run.status == "succeeded" for run in recorded), [r.error for r in recorded]
    # Every recorded run did something; at most one per change plus the catch-up.
    assert 2 <= len(recorded) <= 5
    for run in recorded:
        work = [
            r.upserted + r.metadata_updated + r.deleted + r.errors for r in run.source_results.all()
        ]
        assert sum(work) > 0, run.pk
    # --json: one JSON object per recorded run, nothing else on stdout.
    lines = stdout.read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [run.pk for run in recorded]
    # shown with pytest -s (the benchmark measures freshness properly: python -m bench)
    print(f"poll mode, searchable after: insert {latency:.2f}s, update {update_latency:.2f}s")


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_watch_rejects_a_non_positive_interval(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "sync", "watch", "--interval", "0", "--json"],
        cwd=ROOT,
        env=halasync_env(CHROMA_PATH=str(tmp_path / "c"), SYNC_LOG_FILE=str(tmp_path / "l")),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "must be positive" in json.loads(result.stdout)["error"]


@pytest.mark.usefixtures("chroma")
def test_idle_run_is_not_recorded_and_work_is(make_knowledge: Any) -> None:
    make_knowledge(id="a")
    first = sync_watch_cycle()
    assert first.pk is not None and first.status == "succeeded"
    assert first.source_results.get(source="knowledge").upserted == 1

    idle = sync_watch_cycle()
    assert idle.pk is None and idle.status == "succeeded"
    assert list(SyncRun.objects.values_list("pk", flat=True)) == [first.pk]
    # The default still records every run.
    assert sync_run_execute(mode="incremental", trigger="cli").pk is not None


@pytest.mark.usefixtures("chroma")
def test_an_unrecorded_watermark_is_recorded_once(make_knowledge: Any) -> None:
    row = make_knowledge(id="single")
    sync_record(source="knowledge", record_id="single", trigger="cli")  # keeps no watermark
    moved = sync_watch_cycle()
    result = moved.source_results.get(source="knowledge")
    assert (result.unchanged, result.upserted, result.watermark_after) == (1, 0, row.updated_at)
    assert sync_watch_cycle().pk is None


@pytest.mark.usefixtures("chroma")
def test_sweep_false_leaves_deletions_for_a_later_sweep(make_knowledge: Any) -> None:
    make_knowledge(id="gone")
    sync_run_execute(mode="incremental", trigger="watch")
    KnowledgeReference.objects.filter(pk="gone").delete()

    kept = sync_watch_cycle(sweep=False)
    assert kept.pk is None  # nothing to do without the sweep: not recorded
    assert stored(KNOWLEDGE, "gone") is not None

    swept = sync_watch_cycle()
    assert swept.source_results.get(source="knowledge").deleted == 1
    assert stored(KNOWLEDGE, "gone") is None


@pytest.mark.usefixtures("chroma")
def test_watch_service_sweeps_only_every_sweep_every(make_knowledge: Any) -> None:
    make_knowledge(id="x")
    summary = sync_watch(interval=0.01, sweep_every=3600, max_cycles=4)
    assert summary.cycles == 4 and summary.sweeps == 1
    assert len(summary.runs) == 1 and summary.idle_cycles == 3
    assert SyncRun.objects.get().trigger == "watch"


@pytest.mark.usefixtures("chroma")
def test_an_invalid_row_is_recorded_once_and_never_makes_watch_back_off(
    make_knowledge: Any, make_journey: Any
) -> None:
    make_knowledge(id="k")
    make_journey(id="no_text", goal_keyword="", tags=[], full_json={})

    summary = sync_watch(interval=0.01, sweep_every=3600, max_cycles=4)

    # The catch-up run met the row and recorded it; later cycles read it again (it is in
    # the overlap) and are idle: no partial run, so no backoff, nothing recorded again.
    assert (summary.cycles, len(summary.runs), summary.idle_cycles) == (4, 1, 3)
    assert summary.failed_cycles == 0
    run = SyncRun.objects.get()
    assert run.status == SyncRun.Status.SUCCEEDED
    assert run.source_results.get(source="journeys").invalid == 1
    entry = InvalidRow.objects.get()
    assert (entry.record_id, entry.first_seen_run_id, entry.last_seen_run_id) == (
        "no_text",
        run.pk,
        run.pk,
    )


@pytest.mark.usefixtures("chroma")
def test_watch_service_stops_when_asked(make_knowledge: Any) -> None:
    stop = threading.Event()
    timer = threading.Timer(0.5, stop.set)
    timer.start()
    started = time.monotonic()
    try:
        sync_watch(interval=0.1, stop=stop)
    finally:
        timer.cancel()
    assert time.monotonic() - started < 15


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        sync_watch(interval=2, sweep_every=0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("interval", "sweep_every"),
    [(math.nan, 60), (math.inf, 60), (2, math.nan), (2, math.inf)],
    ids=["interval-nan", "interval-inf", "sweep-nan", "sweep-inf"],
)
def test_seconds_that_are_not_a_finite_number_are_refused(
    interval: float, sweep_every: float
) -> None:
    # argparse's float() takes "nan" and "inf": `sync watch --interval nan` passed the
    # "positive" check (nan <= 0 is false), synced once, then waited forever, exit 0.
    stop = threading.Event()
    stop.set()  # before the fix: one pass of the loop, no error
    with pytest.raises(ValueError, match="positive"):
        sync_watch(interval=interval, sweep_every=sweep_every, stop=stop)


@pytest.mark.django_db(transaction=True)
def test_watch_rides_out_a_chroma_outage_and_logs_it_once(
    chroma_server: Any, make_knowledge: Any, settings: Any, caplog: Any
) -> None:
    settings.SYNC_RETRY_ATTEMPTS, settings.SYNC_RETRY_BACKOFF_SECONDS = 2, 0.05
    make_knowledge(id="before")
    stop = threading.Event()

    def watch() -> None:
        from django.db import connections

        try:
            sync_watch(interval=0.2, sweep_every=1, stop=stop)
        finally:
            connections.close_all()

    thread = threading.Thread(target=watch, daemon=True)
    caplog.set_level(logging.INFO, logger="syncer")
    thread.start()
    try:
        wait_until(
            lambda: SyncRun.objects.filter(status="succeeded").exists(),
            timeout=60,
            what="first sync finished",
        )
        recorded = SyncRun.objects.count()
        chroma_server.kill()
        wait_until(
            lambda: "sync cycle failed" in caplog.text, timeout=60, what="the outage is noticed"
        )
        time.sleep(2)  # several failing cycles
        make_knowledge(id="during")
        # The failing cycles recorded nothing (no run, no failed run).
        assert SyncRun.objects.count() == recorded
        chroma_server.start()
        wait_until(lambda: stored(KNOWLEDGE, "during"), timeout=90, what="sync after restart")
        wait_until(lambda: "recovered after" in caplog.text, timeout=30, what="recovery")
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    failures = [r for r in caplog.records if "sync cycle failed" in r.getMessage()]
    recoveries = [r for r in caplog.records if "recovered after" in r.getMessage()]
    assert len(failures) == 1 and len(recoveries) == 1, caplog.text[-3000:]
    assert not [r for r in caplog.records if "retrying in" in r.getMessage()][1:]
    assert SyncRun.objects.filter(status="succeeded").count() > recorded  # "during"


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_watch_subprocess_rides_out_a_postgresql_outage(
    chroma: str, tmp_path: Path, make_knowledge: Any
) -> None:
    """PostgreSQL unreachable for the watch process (a real network cut: it reaches the
    server through a forwarder that the test stops; the shared server keeps running)."""
    make_knowledge(id="before", title={"en": "Before the outage"})
    db = connection.settings_dict
    stderr = tmp_path / "watch.err"
    with TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)) as proxy:
        env = halasync_env(
            CHROMA_PATH=chroma,
            SYNC_LOG_FILE=str(tmp_path / "sync.log"),
            # A short retry budget: each failing cycle gives up within a second.
            SYNC_RETRY_ATTEMPTS="2",
            SYNC_RETRY_BACKOFF_SECONDS="0.1",
        )
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(
            f"@{db['HOST']}:{db['PORT']}/", f"@127.0.0.1:{proxy.port}/"
        )
        assert f":{proxy.port}/" in env["DATABASE_URL"]
        args = [sys.executable, "manage.py", "sync", "watch", "--interval", "0.3"]
        args += ["--sweep-every", "1"]
        process = spawn(args, env=env, log=stderr)

        def until(predicate: Any, what: str, timeout: float = 120) -> Any:
            return wait_until(predicate, timeout=timeout, what=what, process=process, log=stderr)

        def logged(text: str) -> int:
            return stderr.read_text(errors="replace").count(text)

        try:
            until(lambda: stored(KNOWLEDGE, "before"), "catch-up")
            until(lambda: runs() and runs()[-1].finished_at, "the catch-up run recorded")
            assert proxy.connections > 0  # the subprocess really goes through the proxy
            time.sleep(1)  # idle cycles: the outage begins between runs

            proxy.stop()
            until(lambda: logged("sync cycle failed"), "the outage is noticed", 60)
            time.sleep(4)  # several failing cycles (backing off: 1 s, 2 s, ...)
            touch(KnowledgeReference.objects.get(pk="before"), title={"en": "Changed offline"})
            make_knowledge(id="during", title={"en": "Written during the outage"})
            time.sleep(2)
            assert process.poll() is None, log_tail(stderr)
            assert stored(KNOWLEDGE, "during") is None  # nothing could sync it meanwhile

            proxy.start()
            until(lambda: stored(KNOWLEDGE, "during"), "the insert synced after the outage")
            until(
                lambda: stored(KNOWLEDGE, "before")["title"] == "Changed offline",
                "the update synced after the outage",
            )
            until(lambda: logged("recovered after"), "recovery logged", 30)

            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0, log_tail(stderr)
        finally:
            process_stop(process)
    log = stderr.read_text(errors="replace")
    assert log.count("sync cycle failed") == 1, log[-4000:]
    assert log.count("recovered after") == 1, log[-4000:]
    failed_cycles = int(re.search(r"recovered after \d+s and (\d+) failed", log).group(1))
    assert failed_cycles >= 2, log[-4000:]  # logged once for several failing cycles
    assert "Traceback" not in log, log[-4000:]
    runs_after = SyncRun.objects.filter(trigger="watch", status="succeeded")
    assert runs_after.count() >= 2, [(r.pk, r.status, r.error) for r in runs()]


def drop_notify_triggers() -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (KnowledgeReference, JourneyTemplate):
            cursor.execute(
                f"DROP TRIGGER IF EXISTS halasync_notify ON {quote(model._meta.db_table)}"
            )
        cursor.execute("DROP FUNCTION IF EXISTS halasync_notify_change()")


def test_push_removal_before_the_first_sync_creates_no_collection(
    db: None, chroma: str, caplog: pytest.LogCaptureFixture
) -> None:
    # A DELETE notified before anything was synced: nothing to remove, and the watch
    # process (which holds no lock here) must not create the collection either.
    summary = WatchSummary()
    with caplog.at_level(logging.DEBUG, logger="syncer.services.watch"):
        _sync_removals([Change(KNOWLEDGE_SOURCE, "DELETE", "gone")], None, summary)

    assert summary.runs == []
    assert "knowledge_references" not in collection_names()
    assert "left to the sweep" not in caplog.text  # not an error: there is nothing to do


@pytest.mark.django_db
def test_install_notify_prints_the_sql_without_applying_it() -> None:
    out = StringIO()
    call_command("sync", "install-notify", stdout=out)
    sql = out.getvalue()
    assert 'ON "KnowledgeReference"' in sql and 'ON "JourneyTemplate"' in sql
    assert f"pg_notify('{CHANNEL}'" in sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'halasync_notify'")
        assert cursor.fetchone()[0] == 0


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_push_mode_syncs_changes_without_waiting_for_the_poll(
    chroma: str, tmp_path: Path, make_knowledge: Any
) -> None:
    call_command("sync", "install-notify", "--apply", "--json", stdout=StringIO())
    make_knowledge(id="p1")
    stderr = tmp_path / "watch.err"
    env = halasync_env(CHROMA_PATH=chroma, SYNC_LOG_FILE=str(tmp_path / "sync.log"))
    # Polling every 60 s and sweeping every 10 min: only notifications can be this fast.
    args = [sys.executable, "manage.py", "sync", "watch", "--interval", "60"]
    args += ["--sweep-every", "600"]
    process = spawn(args, env=env, log=stderr)
    try:
        wait_until(lambda: stored(KNOWLEDGE, "p1"), timeout=120, what="catch-up", process=process, log=stderr)  # fmt: skip
        wait_until(notify_listened, timeout=30, what="LISTEN", process=process, log=stderr)
        wait_until(lambda: runs() and runs()[-1].finished_at, timeout=30, what="catch-up recorded", process=process, log=stderr)  # fmt: skip
        reader_reopen()
        assert searchable("p1", "Title")  # loads the model in this process, untimed

        make_knowledge(id="p2", title={"en": "Walking at dawn"})
        started = time.monotonic()
        wait_until(lambda: searchable("p2", "Walking at dawn"), timeout=20, what="pushed insert found by search", process=process, log=stderr)  # fmt: skip
        latency = time.monotonic() - started

        touch(KnowledgeReference.objects.get(pk="p1"), status="REJECTED")
        wait_until(lambda: stored(KNOWLEDGE, "p1") is None, timeout=20, what="pushed exclusion", process=process, log=stderr)  # fmt: skip
        KnowledgeReference.objects.filter(pk="p2").delete()
        wait_until(lambda: stored(KNOWLEDGE, "p2") is None, timeout=20, what="pushed delete", process=process, log=stderr)  # fmt: skip

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log_tail(stderr)
    finally:
        process_stop(process)
        drop_notify_triggers()
    assert latency < 20, f"push mode insert→searchable took {latency:.2f}s"
    print(f"push mode, insert searchable after {latency:.2f}s")  # shown with pytest -s
