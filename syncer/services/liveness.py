"""Runs whose process is gone, recognised from PostgreSQL within minutes, not at Q_TIMEOUT.

* A ``running`` run holds the advisory locks of its sources for its whole life
  (``syncer.locks``; it is marked running only once it holds them, and finished before it
  lets go). A ``running`` run whose sources' locks are held by nobody is dead: its
  process was killed, or its machine went away (the locks died with the session). That
  is read from ``pg_locks``, without taking the locks. (While another sync holds one of
  them, the run is left alone: that sync closes it anyway when it starts.)
* A ``queued`` run waits for a django-q2 worker. While its task is still in the broker's
  queue (the database broker: not taken; Redis: still in the list), it waits, however
  long no worker runs. Once a worker has taken the task, it starts the run within
  moments; a run still queued ``QUEUED_TASK_LOST_SECONDS`` after it was queued, whose task
  is no longer waiting, while no sync holds its sources, was taken by a worker that died
  before starting it (the database broker would hand the task out again only after
  Q_TIMEOUT + 10 minutes, Redis never), or its task was deleted.

``runs_abandoned`` reports such runs (health); ``runs_abandoned_close`` marks them failed
("abandoned: …") where they would block, before a run is queued (API, admin buttons).
A run that starts anyway after being marked clears the mark (``bookkeeping.run_recorded``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from syncer.locks import lock_key
from syncer.models import SyncRun
from syncer.retry import database_retry

logger = logging.getLogger(__name__)

# A worker starts a task it took within moments (it takes one only when it is free, or
# while the one it runs holds the sync lock). Ten minutes leave room for a machine under
# load, and match the age at which health calls a queued run stale (QUEUED_STALE_SECONDS):
# from then on health says either "is a worker running?" or that the run was lost.
QUEUED_TASK_LOST_SECONDS = 600

ABANDONED_RUNNING = (
    "abandoned: the process running it ended without finishing it (nobody holds the sync "
    "lock of {sources}: it was killed, or its machine went away)"
)
ABANDONED_QUEUED = (
    "abandoned: a worker took it from the queue but never started it (queued {age:.0f}s "
    "ago; the worker died?). Queue the sync again"
)


@dataclass(frozen=True)
class AbandonedRun:
    run: SyncRun
    reason: str


def held_locks(sources: Iterable[str]) -> set[str]:
    """Those of ``sources`` whose sync lock some session holds now (read from pg_locks:
    the lock is not taken)."""
    wanted = {lock_key(name): name for name in set(sources)}
    if not wanted:
        return set()

    def read() -> list[tuple[int, int]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT classid::bigint, objid::bigint FROM pg_locks "
                "WHERE locktype = 'advisory' AND objsubid = 1 AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            return cursor.fetchall()

    held: set[str] = set()
    for high, low in database_retry(read, what="reading the sync locks"):
        key = (high << 32) | low  # a bigint key is split into two 32-bit halves
        if key >= 1 << 63:
            key -= 1 << 64
        if key in wanted:
            held.add(wanted[key])
    return held


def runs_abandoned(sources: Iterable[str] | None = None) -> list[AbandonedRun]:
    """Full and incremental (and other running) runs of ``sources`` (all when None)
    whose process is gone, with the reason; reads only."""
    runs = SyncRun.objects.filter(status__in=[SyncRun.Status.RUNNING, SyncRun.Status.QUEUED])
    if sources is not None:
        runs = runs.filter(sources__overlap=list(sources))
    candidates = database_retry(lambda: list(runs.order_by("pk")), what="reading unfinished runs")
    if not candidates:
        return []
    held = held_locks(name for run in candidates for name in run.sources)
    now = timezone.now()
    found: list[AbandonedRun] = []
    waiting: set[str] | None = None
    for run in candidates:
        if held.intersection(run.sources):
            continue  # a sync of its sources runs: alive, or closed by that sync
        if run.status == SyncRun.Status.RUNNING:
            found.append(
                AbandonedRun(run, ABANDONED_RUNNING.format(sources=", ".join(run.sources)))
            )
            continue
        age = (now - run.created_at).total_seconds()
        if age < QUEUED_TASK_LOST_SECONDS:
            continue
        if waiting is None:
            waiting = _tasks_waiting()
        if waiting is not None and _task_name(run.pk) not in waiting:
            found.append(AbandonedRun(run, ABANDONED_QUEUED.format(age=age)))
    return found


def runs_abandoned_close(sources: Iterable[str] | None = None) -> list[int]:
    """Mark the abandoned runs of ``sources`` failed with the reason; their ids.

    Each update applies only while the run is still in the state it was judged in, so a
    run that finished, or started, meanwhile is left alone.
    """
    closed: list[int] = []
    for abandoned in runs_abandoned(sources):
        run = abandoned.run
        updated = database_retry(
            lambda run=run, reason=abandoned.reason: SyncRun.objects.filter(
                pk=run.pk, status=run.status, started_at=run.started_at
            ).update(status=SyncRun.Status.FAILED, error=reason[:4000], finished_at=timezone.now()),
            what=f"closing abandoned run #{run.pk}",
        )
        if updated:
            closed.append(run.pk)
            logger.warning("run #%s (%s) marked failed: %s", run.pk, run.status, abandoned.reason)
    return closed


def _task_name(run_id: int) -> str:
    """The django-q2 task name ``runs.sync_run_enqueue`` gives a queued run."""
    return f"sync-run-{run_id}"


def _tasks_waiting() -> set[str] | None:
    """Names of the tasks still waiting in the django-q2 broker's queue (not taken by a
    worker), or None when the broker cannot be inspected (then nothing is judged lost)."""
    try:
        from django_q.brokers import get_broker
        from django_q.brokers.orm import ORM
        from django_q.conf import Conf
        from django_q.models import OrmQ
        from django_q.signing import SignedPackage

        broker = get_broker()
        if isinstance(broker, ORM):
            # A task taken by a worker is locked until Q_TIMEOUT + 10 min from then.
            payloads = list(
                OrmQ.objects.using(Conf.ORM)
                .filter(key=broker.list_key, lock__lte=timezone.now())
                .values_list("payload", flat=True)
            )
        elif hasattr(broker.connection, "lrange"):  # Redis: a taken task leaves the list
            payloads = broker.connection.lrange(broker.list_key, 0, -1)
        else:
            return None
    except Exception as exc:  # the broker is down: judge nothing lost
        logger.warning("cannot read the django-q2 queue: %s: %s", type(exc).__name__, exc)
        return None
    names: set[str] = set()
    for payload in payloads:
        try:
            names.add(str(SignedPackage.loads(payload).get("name")))
        except Exception:  # not ours, or signed with another key
            continue
    return names
