"""``sync schedule`` and the scheduled-sync task: idempotent schedules by name, other
schedules untouched, a refused run logged once, and a due schedule run by a real worker
(`manage.py qcluster`) on the Redis broker."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
import redis
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django_q.models import Schedule

from syncer.locks import sync_lock
from syncer.models import SyncRun
from syncer.services.schedules import SCHEDULE_TASK, schedules_ensure
from syncer.store import store_open
from syncer.tasks import sync_scheduled
from tests.processes import halasync_env, qcluster, wait_until
from tests.test_topology import (
    SCHEDULED_RUN_WAIT,
    schedule_make_due,
    scheduled_run_finished,
    source_tables_clear,
)

INCREMENTAL = "halasync incremental sync"
FULL = "halasync full sync"
# A database of the machine's Redis that nothing else here uses.
TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


def schedule_json() -> dict[str, Any]:
    out = io.StringIO()
    call_command("sync", "schedule", "--json", stdout=out, stderr=io.StringIO())
    assert out.getvalue().count("\n") == 1  # exactly one JSON object on stdout
    return {item["name"]: item for item in json.loads(out.getvalue())["schedules"]}


def snapshot() -> dict[int, dict[str, Any]]:
    return {s.pk: model_to_dict(s) | {"next_run": s.next_run} for s in Schedule.objects.all()}


@pytest.fixture
def unrelated_schedule(db: None) -> Schedule:
    return Schedule.objects.create(
        name="someone else's report",
        func="math.floor",
        args="1.5",
        schedule_type=Schedule.DAILY,
    )


def test_schedule_creates_the_two_defaults(unrelated_schedule: Schedule) -> None:
    result = schedule_json()

    assert {name: item["action"] for name, item in result.items()} == {
        INCREMENTAL: "created",
        FULL: "created",
    }
    incremental = Schedule.objects.get(name=INCREMENTAL)
    full = Schedule.objects.get(name=FULL)
    for schedule, mode, cron in (
        (incremental, "incremental", "0 */6 * * *"),
        (full, "full", "0 2 * * *"),
    ):
        assert schedule.func == SCHEDULE_TASK == "syncer.tasks.sync_scheduled"
        assert schedule.args == repr((mode,))
        assert schedule.schedule_type == Schedule.CRON and schedule.cron == cron
        assert schedule.repeats == -1
        assert result[schedule.name]["next_run"] == schedule.next_run.isoformat()
    assert full.next_run.hour == 2 and full.next_run.minute == 0
    assert incremental.next_run.hour % 6 == 0 and incremental.next_run.minute == 0
    assert Schedule.objects.count() == 3


def test_schedule_twice_changes_nothing(unrelated_schedule: Schedule) -> None:
    schedule_json()
    before = snapshot()

    again = schedule_json()

    assert {item["action"] for item in again.values()} == {"unchanged"}
    assert snapshot() == before  # next runs included; the unrelated one as it was


def test_schedule_follows_the_settings_and_repairs_ours_only(
    unrelated_schedule: Schedule, settings: Any
) -> None:
    schedule_json()
    # An operator edited ours in the admin, paused it, and copied it by mistake.
    Schedule.objects.filter(name=INCREMENTAL).update(func="math.floor", repeats=0)
    Schedule.objects.create(name=INCREMENTAL, func=SCHEDULE_TASK, schedule_type=Schedule.HOURLY)
    unrelated_before = model_to_dict(Schedule.objects.get(pk=unrelated_schedule.pk))
    settings.SYNC_FULL_CRON = "30 3 * * 1"

    result = schedule_json()

    assert result[INCREMENTAL]["action"] == "updated"
    assert result[FULL]["action"] == "updated"
    incremental = Schedule.objects.get(name=INCREMENTAL)  # one left: the copy is gone
    assert incremental.func == SCHEDULE_TASK
    assert incremental.repeats == 0  # the pause is the operator's: kept
    full = Schedule.objects.get(name=FULL)
    assert full.cron == "30 3 * * 1"
    assert (full.next_run.weekday(), full.next_run.hour, full.next_run.minute) == (0, 3, 30)
    assert model_to_dict(Schedule.objects.get(pk=unrelated_schedule.pk)) == unrelated_before
    assert Schedule.objects.count() == 3


@pytest.mark.parametrize("cron", ["every day", "0 2 * *", "61 * * * *", ""])
def test_invalid_cron_exits_2_and_changes_nothing(
    unrelated_schedule: Schedule, settings: Any, cron: str
) -> None:
    settings.SYNC_INCREMENTAL_CRON = cron
    out = io.StringIO()
    with pytest.raises(CommandError, match="SYNC_INCREMENTAL_CRON") as error:
        call_command("sync", "schedule", "--json", stdout=out, stderr=io.StringIO())
    assert error.value.returncode == 2
    assert "SYNC_INCREMENTAL_CRON" in json.loads(out.getvalue())["error"]
    assert list(Schedule.objects.values_list("name", flat=True)) == [unrelated_schedule.name]


def test_schedule_human_output(db: None) -> None:
    out = io.StringIO()
    call_command("sync", "schedule", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert f"created   {INCREMENTAL!r}: 0 */6 * * *" in text
    assert f"created   {FULL!r}: 0 2 * * *" in text
    assert "manage.py qcluster" in text


@pytest.mark.usefixtures("chroma")
def test_scheduled_task_runs_the_sync_with_trigger_schedule(make_knowledge) -> None:
    make_knowledge(id="k1")

    outcome = sync_scheduled("incremental")

    run = SyncRun.objects.get()
    assert outcome == f"run #{run.pk} succeeded"
    assert (run.mode, run.trigger, run.status) == ("incremental", "schedule", "succeeded")
    assert store_open("knowledge_references").metadatas(["k1"])


@pytest.mark.usefixtures("chroma")
def test_refused_scheduled_run_is_logged_once_not_raised(
    make_knowledge, caplog: pytest.LogCaptureFixture
) -> None:
    make_knowledge(id="k1")
    syncer_logger = logging.getLogger("syncer")  # does not propagate to caplog's root handler
    syncer_logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.WARNING, logger="syncer"), sync_lock(["knowledge"]):
            outcome = sync_scheduled("full")
    finally:
        syncer_logger.removeHandler(caplog.handler)

    assert outcome.startswith("refused: another sync of knowledge is running")
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 1 and refusals[0].levelno == logging.WARNING
    assert not SyncRun.objects.exists()  # nothing ran, nothing half-written


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_due_schedule_runs_in_a_real_qcluster_on_redis(tmp_path: Path, make_knowledge) -> None:
    client = redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(
            f"Redis is not reachable at {TEST_REDIS_URL}: start it "
            "(redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '')"
        )
    client.delete("django_q:halasync:q")  # whatever an interrupted earlier run left queued
    source_tables_clear()
    try:
        make_knowledge(id="k1")
        schedules_ensure()
        schedule_make_due(SyncRun.Mode.INCREMENTAL)
        log = tmp_path / "qcluster.log"
        env = halasync_env(
            REDIS_URL=TEST_REDIS_URL,
            CHROMA_PATH=str(tmp_path / "chroma"),
            SYNC_LOG_FILE=str(tmp_path / "sync.log"),
        )

        with qcluster(env, log) as worker:
            # The Redis broker, not the database, carries this cluster (its status key).
            assert wait_until(
                lambda: client.keys("django_q:halasync:cluster:*"),
                timeout=10,
                what="cluster status in Redis",
                process=worker,
                log=log,
            )
            run = wait_until(
                scheduled_run_finished,
                timeout=SCHEDULED_RUN_WAIT,
                what="scheduled run",
                process=worker,
                log=log,
                interval=0.5,
            )

        assert (run.mode, run.trigger, run.status) == ("incremental", "schedule", "succeeded")
        assert run.source_results.get(source="knowledge").upserted == 1
        # Rescheduled from its cron expression. The scheduler saves the schedule when its
        # transaction commits, which can be after the task it queued has already finished.
        schedule = wait_until(
            lambda: Schedule.objects.filter(name=INCREMENTAL, next_run__gt=run.started_at).first(),
            timeout=30,
            what="schedule moved to its next cron time",
            log=log,
        )
        assert schedule.task  # the django-q task it spawned
    finally:
        source_tables_clear()
