"""The one-machine web + worker topology: one `chroma run` server shared by a CLI process,
the web process (this test process) and a real `manage.py qcluster` worker. The process
helpers live in tests/processes.py; the schedule helpers here are shared with
test_schedules.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_q.models import Schedule

from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer.chroma_client import chroma_reset
from syncer.models import SyncRun
from syncer.services.records import sync_record
from syncer.services.runs import sync_run_enqueue
from syncer.services.schedules import schedule_specs, schedules_ensure
from syncer.store import store_open
from tests.conftest import touch
from tests.processes import ChromaServer, halasync_env, manage_json, qcluster, wait_until

pytestmark = pytest.mark.processes  # every test here starts real processes

FAR_FUTURE = timedelta(days=365)
# The qcluster scheduler looks at due schedules every ~30 s, the first time ~30 s after
# start; a scheduled run may thus take two looks plus the worker's model load.
SCHEDULED_RUN_WAIT = 150.0


def manage(*args: str, env: dict[str, str], timeout: float = 180) -> dict[str, Any]:
    """Run `manage.py <args> --json` in a fresh process; its one JSON object."""
    return manage_json(*args, env=env, timeout=timeout).data


def source_tables_clear() -> None:
    """Source tables are unmanaged, so transactional tests do not flush them: we do."""
    KnowledgeReference.objects.all().delete()
    JourneyTemplate.objects.all().delete()


def schedules_create_idle() -> None:
    """The default schedules, but none due until the test says so."""
    schedules_ensure()
    Schedule.objects.filter(name__in=[spec.name for spec in schedule_specs()]).update(
        next_run=timezone.now() + FAR_FUTURE
    )


def schedule_make_due(mode: str) -> None:
    name = next(spec.name for spec in schedule_specs() if spec.mode == mode)
    updated = Schedule.objects.filter(name=name).update(
        next_run=timezone.now() - timedelta(seconds=1)
    )
    assert updated == 1


def scheduled_run_finished() -> SyncRun | None:
    return SyncRun.objects.filter(
        trigger=SyncRun.Trigger.SCHEDULE, finished_at__isnull=False
    ).first()


# --- the test -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_cli_web_and_worker_share_one_chroma_server(
    tmp_path: Path, settings: Any, make_knowledge, make_journey
) -> None:
    source_tables_clear()
    try:
        make_knowledge(id="k1")
        k2 = make_knowledge(id="k2", title={"en": "Breathing slowly"})
        make_journey(id="j1")
        schedules_create_idle()

        with ChromaServer(tmp_path / "chroma-server", tmp_path / "chroma.log") as server:
            port = server.port
            env = halasync_env(
                CHROMA_HOST="127.0.0.1",
                CHROMA_PORT=str(port),
                CHROMA_PATH=str(tmp_path / "never-used"),
                SYNC_LOG_FILE=str(tmp_path / "sync.log"),
            )
            # Started first: its scheduler's first look comes ~30 s later, while the CLI
            # and the web process do their part.
            with qcluster(env, tmp_path / "qcluster.log") as worker:
                # 1. CLI process: full sync into the server.
                full = manage("sync", "full", env=env)
                assert full["status"] == "succeeded"
                assert full["counts"]["knowledge"]["upserted"] == 2
                assert full["counts"]["journeys"]["upserted"] == 1

                # 2. Web process (this one): sees the CLI's writes, syncs one record.
                settings.CHROMA_HOST = "127.0.0.1"
                settings.CHROMA_PORT = port
                chroma_reset()
                knowledge = store_open("knowledge_references", create=False)
                assert set(knowledge.metadatas(["k1", "k2"])) == {"k1", "k2"}
                make_knowledge(id="k3", title={"en": "Gratitude at night"})
                outcome = sync_record(
                    source="knowledge", record_id="k3", trigger=SyncRun.Trigger.API
                )
                assert outcome.action == "upserted"
                stats = manage("sync", "stats", env=env)  # the CLI sees the web's write
                assert stats["sources"]["knowledge"]["chroma_count"] == 3

                # 3. Worker: a scheduled incremental picks up a change and a deletion.
                touch(k2, title={"en": "Breathing slowly, counting to four"})
                JourneyTemplate.objects.filter(id="j1").delete()
                schedule_make_due(SyncRun.Mode.INCREMENTAL)
                run = wait_until(
                    scheduled_run_finished,
                    timeout=SCHEDULED_RUN_WAIT,
                    what="scheduled incremental run in qcluster",
                    process=worker,
                    log=tmp_path / "qcluster.log",
                    interval=0.5,
                )
                assert run.mode == SyncRun.Mode.INCREMENTAL, run.error
                assert run.status == SyncRun.Status.SUCCEEDED, run.error
                counts = {result.source: result for result in run.source_results.all()}
                # k2 changed; k3, written by the web process, was found unchanged.
                assert counts["knowledge"].upserted == 1
                assert counts["knowledge"].unchanged >= 1
                assert counts["journeys"].deleted == 1

                # The web process sees the worker's writes without reopening anything...
                text, _ = knowledge.records(["k2"])["k2"]
                assert "counting to four" in text
                journeys = store_open("journey_templates", create=False)
                assert journeys.metadatas(["j1"]) == {}
                # ...and so does a new CLI process.
                stats = manage("sync", "stats", env=env)
                assert stats["sources"]["knowledge"]["chroma_count"] == 3
                assert stats["sources"]["journeys"]["chroma_count"] == 0

                # 4. A run queued by the web process (API/admin) is run by the same worker.
                queued = sync_run_enqueue(
                    mode=SyncRun.Mode.FULL, trigger=SyncRun.Trigger.API, sources=None
                )
                assert queued.status == SyncRun.Status.QUEUED
                wait_until(
                    lambda: SyncRun.objects.get(pk=queued.pk).finished_at,
                    timeout=60,
                    what="queued run in qcluster",
                    process=worker,
                    log=tmp_path / "qcluster.log",
                )
                queued.refresh_from_db()
                assert queued.status == SyncRun.Status.SUCCEEDED, queued.error
                assert {r.source: r.unchanged for r in queued.source_results.all()} == {
                    "knowledge": 3,
                    "journeys": 0,
                }
    finally:
        chroma_reset()
        source_tables_clear()
