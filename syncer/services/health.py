"""Is halasync able to do its job? PostgreSQL, Chroma, the worker and sync freshness.

Public information (the API serves it without authentication): check results name
dependencies and error types only, never hosts, paths, user names or exception
messages, which can carry any of those.

It answers within HEALTH_DEADLINE_SECONDS whatever the dependencies do: the PostgreSQL
checks and the Chroma check run concurrently on threads of their own
(``syncer.bounded``), and a dependency that has not answered by then is reported
``down`` (a load balancer asking every few seconds must not hang on a frozen server).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.utils import timezone

from halasync.routers import source_alias
from syncer import chroma_slots, selectors
from syncer.bounded import BoundedCall, TooSlow
from syncer.chroma_client import chroma_kind
from syncer.services.collections import collection_count
from syncer.services.liveness import runs_abandoned
from syncer.sources import SOURCES
from syncer.store import CollectionMissing, EmbeddingModelMismatch, collection_broken

logger = logging.getLogger(__name__)

OK = "ok"
DEGRADED = "degraded"
DOWN = "down"
UNKNOWN = "unknown"  # could not be checked because something it depends on is down

# A run still queued after this long means no worker is taking runs (or it is stuck).
QUEUED_STALE_SECONDS = 600
# With the default schedules (incremental every 6 h, full daily) a source not synced for
# two days has missed several runs in a row.
LAST_SYNC_MAX_AGE_SECONDS = 2 * 24 * 3600
# The checks' share of the 2 s within which health answers (the rest: the request).
HEALTH_DEADLINE_SECONDS = 1.5


def queue_stalled(oldest_queued_age_seconds: float | None) -> bool:
    """Whether the oldest queued run has waited too long: no worker is taking runs."""
    return oldest_queued_age_seconds is not None and (
        oldest_queued_age_seconds > QUEUED_STALE_SECONDS
    )


def last_sync_too_old(age_seconds: float | None) -> bool:
    """Whether a source's last successful sync is too old (never synced: judged apart)."""
    return age_seconds is not None and age_seconds > LAST_SYNC_MAX_AGE_SECONDS


@dataclass(frozen=True)
class HealthCheck:
    """One check: its ``status`` (ok, degraded, down or unknown), a ``detail`` for a
    person, and the facts it is judged on (``facts``: e.g. the Chroma ``mode`` and
    ``collections``, the worker's ``queued_runs``); each check has its own."""

    status: str
    detail: str
    facts: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "detail": self.detail, **self.facts}


@dataclass(frozen=True)
class SyncHealth:
    """What ``sync_health`` found: the verdict and the checks it is drawn from (postgres,
    chroma, worker, last_sync). ``as_dict()`` is the answer of ``GET sync/health``:
    ``{"status": "ok"|"degraded"|"down", "checks": {name: {"status", "detail", ...}}}``."""

    status: str
    checks: dict[str, HealthCheck]

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "checks": {name: check.as_dict() for name, check in self.checks.items()},
        }


def sync_health() -> SyncHealth:
    """Is halasync able to do its job?

    ``down``: PostgreSQL or Chroma cannot be used (nothing can sync or search);
    ``degraded``: it works but needs attention (a collection missing, runs waiting for a
    worker, a run whose process died, a source not synced recently).
    """
    deadline = time.monotonic() + HEALTH_DEADLINE_SECONDS
    database = BoundedCall("health-postgres", _database_checks, share_databases=True)
    chroma = BoundedCall("health-chroma", _check_chroma)
    # Apart from PostgreSQL's checks: a frozen Redis (REDIS_URL) held them past the
    # deadline, and health said "PostgreSQL did not answer".
    broker = BoundedCall("health-broker", _clusters_seen)
    try:
        database_checks = database.result(deadline=deadline)
    except TooSlow:
        database_checks = _database_down(_late("PostgreSQL", database))
    except Exception as exc:  # the connection broke between two checks
        database_checks = _database_down(_failure("PostgreSQL failed", exc))
    try:
        chroma_check = chroma.result(deadline=deadline)
    except TooSlow:
        chroma_check = HealthCheck(DOWN, _late("Chroma", chroma), {"mode": _chroma_mode()})
    checks: dict[str, HealthCheck] = {
        "postgres": database_checks["postgres"],
        "chroma": chroma_check,
        "worker": _with_broker(database_checks["worker"], broker, deadline),
        "last_sync": database_checks["last_sync"],
    }
    statuses = {check.status for check in checks.values()}
    status = DOWN if DOWN in statuses else DEGRADED if DEGRADED in statuses else OK
    return SyncHealth(status=status, checks=checks)


def _with_broker(worker: HealthCheck, broker: BoundedCall, deadline: float) -> HealthCheck:
    """The worker check with what django-q2's broker says: the clusters it sees, and
    ``degraded`` when it cannot be asked (no worker can take a queued run or fire a
    schedule through it meanwhile)."""
    if worker.status == UNKNOWN:
        return worker
    problem = ""
    clusters: int | None = None
    try:
        clusters = broker.result(deadline=deadline)
    except TooSlow:
        problem = _late("django-q2's broker", broker)
    except Exception as exc:
        problem = _failure("django-q2's broker cannot be reached", exc)
    facts = {"clusters": clusters, **{k: v for k, v in worker.facts.items() if k != "clusters"}}
    if problem and worker.status == OK:
        detail = (
            f"{problem}: queued runs and schedules wait until it answers "
            '(`POST sync/run` with "wait": true and `manage.py sync` run now)'
        )
        return HealthCheck(DEGRADED, detail, facts)
    return HealthCheck(worker.status, worker.detail, facts)


def _database_checks() -> dict[str, HealthCheck]:
    checks = {"postgres": _check_postgres()}
    if checks["postgres"].status != OK:
        checks["worker"] = _unknown("PostgreSQL is down")
        checks["last_sync"] = _unknown("PostgreSQL is down")
        return checks
    ages = selectors.sync_ages(SOURCES.values(), now=timezone.now())
    checks["worker"] = _check_worker(ages)
    checks["last_sync"] = _check_last_sync(ages)
    return checks


def _database_down(detail: str) -> dict[str, HealthCheck]:
    return {
        "postgres": HealthCheck(DOWN, detail),
        "worker": _unknown("PostgreSQL is down"),
        "last_sync": _unknown("PostgreSQL is down"),
    }


def _late(dependency: str, call: BoundedCall) -> str:
    logger.warning("health: %s has not answered for %.1fs", dependency, call.age)
    return f"{dependency} did not answer within {HEALTH_DEADLINE_SECONDS:g}s"


def _unknown(reason: str) -> HealthCheck:
    return HealthCheck(UNKNOWN, f"not checked: {reason}")


def _failure(what: str, exc: BaseException) -> str:
    # The exception message is logged, not returned: it may name hosts, users or paths.
    logger.warning("health: %s: %s: %s", what, type(exc).__name__, exc)
    return f"{what} ({type(exc).__name__})"


def _check_postgres() -> HealthCheck:
    aliases = ["default"]
    if source_alias() != "default":
        aliases.append(source_alias())
    for alias in aliases:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as exc:
            return HealthCheck(DOWN, _failure(f"database {alias!r} unreachable", exc))
    for source in SOURCES.values():
        try:
            source.model.objects.only("pk").first()
        except Exception as exc:
            return HealthCheck(DOWN, _failure(f"the {source.label} table cannot be read", exc))
    return HealthCheck(OK, "reachable", {"databases": aliases})


def _check_chroma() -> HealthCheck:
    # Takes none of the slots searches wait for: at most one check runs per process
    # (``BoundedCall``), and health must answer while searches hold them all.
    with chroma_slots.uncounted():
        return _check_collections()


def _check_collections() -> HealthCheck:
    collections: dict[str, Any] = {}
    status = OK
    problems: list[str] = []
    for source in SOURCES.values():
        try:
            count = collection_count(source=source)
        except CollectionMissing:
            status = DEGRADED
            problems.append(f"{source.name}: collection missing, run `manage.py sync full`")
            collections[source.name] = {"collection": source.collection_name, "count": None}
            continue
        except EmbeddingModelMismatch:
            status = DEGRADED
            problems.append(
                f"{source.name}: built with another embedding model, "
                "run `manage.py sync full --rebuild`"
            )
            collections[source.name] = {"collection": source.collection_name, "count": None}
            continue
        except Exception as exc:
            if collection_broken(exc):  # this collection fails; Chroma answers
                status = DEGRADED
                problems.append(
                    _failure(
                        f"{source.name}: collection cannot be read, run "
                        "`manage.py sync full --rebuild`",
                        exc,
                    )
                )
                collections[source.name] = {
                    "collection": source.collection_name,
                    "count": None,
                    "broken": True,
                }
                continue
            return HealthCheck(DOWN, _failure("Chroma unreachable", exc), {"mode": _chroma_mode()})
        collections[source.name] = {"collection": source.collection_name, "count": count}
    return HealthCheck(
        status,
        "; ".join(problems) or "reachable",
        {"mode": _chroma_mode(), "collections": collections},
    )


def _chroma_mode() -> str:
    return chroma_kind()


def _check_worker(ages: selectors.SyncAges) -> HealthCheck:
    oldest, oldest_age = ages.oldest_queued, ages.oldest_queued_age_seconds
    abandoned = runs_abandoned()
    facts: dict[str, Any] = {
        "clusters": None,  # from the broker, asked apart (``_with_broker``)
        "queued_runs": ages.queued_runs,
        "oldest_queued_age_seconds": oldest_age,
        "abandoned_runs": [item.run.pk for item in abandoned],
    }
    if abandoned:
        # Reported, not closed (health only reads): queuing a run or the next sync of
        # those sources marks them failed.
        detail = "; ".join(
            f"run #{item.run.pk} ({item.run.status}) is {item.reason}" for item in abandoned
        )
        return HealthCheck(DEGRADED, detail, facts)
    if oldest is not None and queue_stalled(oldest_age):
        detail = (
            f"run #{oldest.pk} has been queued for {oldest_age:.0f}s: "
            "is a worker (`manage.py qcluster`) running?"
        )
        return HealthCheck(DEGRADED, detail, facts)
    if ages.queued_runs:
        return HealthCheck(OK, f"{ages.queued_runs} run(s) waiting for a worker", facts)
    return HealthCheck(OK, "no run waiting", facts)


def _clusters_seen() -> int:
    """django-q2 clusters whose heartbeat this process can see, through the broker
    (raises when it cannot be asked).

    Heartbeats live in Django's cache: with the default per-process cache another
    process's cluster is invisible, so 0 is not proof that no worker runs; the queued
    runs' age is the check that counts.
    """
    from django_q.status import Stat

    return len(Stat.get_all())


def _check_last_sync(ages: selectors.SyncAges) -> HealthCheck:
    """Age of each source's last successful run, judged per source; the rows that cannot
    become documents are counted here too (data to fix at the source: reported, not
    degrading)."""
    sources: dict[str, Any] = {}
    problems: list[str] = []
    notes: list[str] = []
    for source in SOURCES.values():
        invalid = selectors.invalid_rows(source).count()
        last = ages.last_successful[source.name]
        if invalid:
            notes.append(
                f"{source.name}: {invalid} row(s) cannot become documents "
                "(`manage.py sync stats` lists them)"
            )
        if last is None:
            sources[source.name] = {"run_id": None, "age_seconds": None, "invalid_rows": invalid}
            problems.append(f"{source.name}: never synced")
            continue
        age = ages.last_successful_age_seconds[source.name]
        sources[source.name] = {"run_id": last.pk, "age_seconds": age, "invalid_rows": invalid}
        if last_sync_too_old(age):
            problems.append(f"{source.name}: last successful sync {age:.0f}s ago")
    return HealthCheck(
        DEGRADED if problems else OK,
        "; ".join(problems + notes) or "recent",
        {"max_age_seconds": LAST_SYNC_MAX_AGE_SECONDS, "sources": sources},
    )
