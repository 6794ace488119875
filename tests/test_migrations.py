"""Migrations: every model change has one, and history recorded before a data migration
keeps its meaning after it."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("syncer", "0004_invalid_rows")]
AFTER = [("syncer", "0006_invalidrow_record_key")]
WATERMARK = datetime(2026, 5, 1, tzinfo=UTC)


def _migrate(targets: list[tuple[str, str]]) -> object:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_every_model_change_has_its_migration(db: None) -> None:
    """`makemigrations --check` (bin/test ran it in a process of its own before pytest)."""
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(
            f"models changed without a migration: run manage.py makemigrations\n{out.getvalue()}"
        )


@pytest.mark.django_db(transaction=True)
def test_completion_and_invalid_row_keys_are_filled_in_from_history() -> None:
    old = _migrate(BEFORE)
    try:
        SyncRun = old.get_model("syncer", "SyncRun")
        SyncRunSource = old.get_model("syncer", "SyncRunSource")
        InvalidRow = old.get_model("syncer", "InvalidRow")

        def run(status: str, error: str = "", **watermarks: datetime | None) -> int:
            made = SyncRun.objects.create(
                mode="incremental", trigger="cli", status=status, error=error,
                sources=list(watermarks), finished_at=WATERMARK,
            )  # fmt: skip
            for source, watermark in watermarks.items():
                SyncRunSource.objects.create(run=made, source=source, watermark_after=watermark)
            return made.pk

        succeeded = run("succeeded", knowledge=WATERMARK, journeys=None)
        one_failed = run(
            "failed", "journeys: RetriesExhausted: gave up", knowledge=WATERMARK, journeys=None
        )
        interrupted = run("failed", "interrupted", knowledge=None, journeys=None)
        InvalidRow.objects.create(
            source="journeys", record_id="j_no_text", error_type="DocumentError",
            reason="no text", first_seen_at=WATERMARK, last_seen_at=WATERMARK,
        )  # fmt: skip
    finally:
        new = _migrate(AFTER)

    SyncRunSource = new.get_model("syncer", "SyncRunSource")
    completed = {
        (result.run_id, result.source): result.completed for result in SyncRunSource.objects.all()
    }
    assert completed == {
        (succeeded, "knowledge"): True,
        (succeeded, "journeys"): True,  # an empty table: no watermark, but it completed
        (one_failed, "knowledge"): True,
        (one_failed, "journeys"): False,
        (interrupted, "knowledge"): False,
        (interrupted, "journeys"): False,
    }
    row = new.get_model("syncer", "InvalidRow").objects.get()
    assert row.record_key == hashlib.sha256(b"j_no_text").hexdigest()
