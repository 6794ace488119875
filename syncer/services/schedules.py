"""The default django-q2 schedules: an incremental and a full sync on cron expressions.

``schedules_ensure`` creates or updates them by name, idempotently: a schedule that
already matches is not saved (its next run stays as it is), a pause set in the admin
(repeats 0) is kept, and schedules with other names are never touched, whoever created
them. The worker (``manage.py qcluster``) runs
them through ``syncer.tasks.sync_scheduled``, which calls the same service as the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django_q.models import Schedule

from syncer.locks import lock_key
from syncer.models import SyncRun

SCHEDULE_TASK = "syncer.tasks.sync_scheduled"


class ScheduleConfigError(ValueError):
    """A configured cron expression is not valid; the message names the variable."""


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    mode: str
    cron: str
    setting: str

    @property
    def args(self) -> str:
        # Stored as a Python literal: django-q2 evaluates it with ast.literal_eval.
        return repr((self.mode,))


@dataclass(frozen=True)
class ScheduleOutcome:
    name: str
    mode: str
    cron: str
    func: str
    action: str  # "created", "updated" or "unchanged"
    next_run: datetime | None
    schedule_id: int

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.schedule_id,
            "name": self.name,
            "mode": self.mode,
            "cron": self.cron,
            "func": self.func,
            "action": self.action,
            "next_run": self.next_run.isoformat() if self.next_run else None,
        }


def schedule_specs() -> list[ScheduleSpec]:
    """The default schedules, from SYNC_INCREMENTAL_CRON and SYNC_FULL_CRON."""
    return [
        ScheduleSpec(
            name="halasync incremental sync",
            mode=SyncRun.Mode.INCREMENTAL.value,
            cron=str(settings.SYNC_INCREMENTAL_CRON).strip(),
            setting="SYNC_INCREMENTAL_CRON",
        ),
        ScheduleSpec(
            name="halasync full sync",
            mode=SyncRun.Mode.FULL.value,
            cron=str(settings.SYNC_FULL_CRON).strip(),
            setting="SYNC_FULL_CRON",
        ),
    ]


def schedules_ensure() -> list[ScheduleOutcome]:
    """Create or update the default schedules by name; return what happened to each.

    Raises ScheduleConfigError (changing nothing) when a cron expression is invalid.
    """
    specs = schedule_specs()
    for spec in specs:
        _cron_validate(spec)
    with transaction.atomic():
        # Two `sync schedule` at once must not both create: serialize them.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key("schedules")])
        return [_schedule_ensure(spec) for spec in specs]


def _cron_validate(spec: ScheduleSpec) -> None:
    from croniter import croniter

    if not spec.cron or not croniter.is_valid(spec.cron) or len(spec.cron.split()) != 5:
        raise ScheduleConfigError(
            f"{spec.setting}={spec.cron!r} is not a cron expression of five fields "
            "(minute hour day-of-month month day-of-week), e.g. '0 */6 * * *'"
        )


def _schedule_ensure(spec: ScheduleSpec) -> ScheduleOutcome:
    desired = {
        "func": SCHEDULE_TASK,
        "args": spec.args,
        "kwargs": None,
        "hook": None,
        "schedule_type": Schedule.CRON,
        "cron": spec.cron,
        "cluster": None,
    }
    existing = list(Schedule.objects.select_for_update().filter(name=spec.name).order_by("pk"))
    if not existing:
        schedule = Schedule(name=spec.name, repeats=-1, **desired)
        schedule.save()  # computes next_run from the cron expression
        action = "created"
    else:
        schedule, duplicates = existing[0], existing[1:]
        # Same name, so ours: a copy made in the admin would run every sync twice.
        for duplicate in duplicates:
            duplicate.delete()
        changed = [field for field, value in desired.items() if getattr(schedule, field) != value]
        # A schedule without a next run (or whose timing changed) would never run as set.
        retime = schedule.next_run is None or bool({"cron", "schedule_type"} & set(changed))
        if changed or retime:
            for field in changed:
                setattr(schedule, field, desired[field])
            if retime:
                schedule.next_run = schedule.calculate_next_run()
            schedule.save()
        action = "updated" if changed or retime or duplicates else "unchanged"
    return ScheduleOutcome(
        name=spec.name,
        mode=spec.mode,
        cron=spec.cron,
        func=SCHEDULE_TASK,
        action=action,
        next_run=schedule.next_run,
        schedule_id=schedule.pk,
    )
