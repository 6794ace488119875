"""Sync history: one SyncRun per run, whatever triggered it, with per-source counts,
watermarks and the records that failed; and the source rows that cannot become documents."""

from __future__ import annotations

import hashlib

from django.contrib.postgres.fields import ArrayField
from django.db import models


class SyncRun(models.Model):
    class Mode(models.TextChoices):
        FULL = "full"
        INCREMENTAL = "incremental"
        SINGLE = "single"
        REPAIR = "repair"  # `sync verify --repair`: fixes exactly the drift verify found

    class Trigger(models.TextChoices):
        CLI = "cli"
        API = "api"
        ADMIN = "admin"
        SCHEDULE = "schedule"
        WATCH = "watch"

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        PARTIAL = "partial"
        FAILED = "failed"

    mode = models.CharField(max_length=16, choices=Mode.choices)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    sources = ArrayField(models.CharField(max_length=32))
    force = models.BooleanField(default=False)
    rebuild = models.BooleanField(default=False)
    record_id = models.TextField(blank=True, default="", help_text="For single-record runs.")
    error = models.TextField(blank=True, default="", help_text="Why the run failed.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("run_sync", "Can run syncs and change Chroma")]
        indexes = [
            models.Index(fields=["status", "-finished_at"]),
            # The overview's charts aggregate the runs finished in the last 24 h / 7 d / 30 d.
            models.Index(fields=["finished_at"], name="syncrun_finished_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.mode} {self.status}"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class SyncRunSource(models.Model):
    """What one run did to one source: counts and the watermark it reached."""

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="source_results")
    source = models.CharField(max_length=32)
    scanned = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(
        null=True, blank=True, help_text="Rows to scan, counted when the source started."
    )
    upserted = models.PositiveIntegerField(default=0)
    metadata_updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(
        default=0, help_text="Rows that cannot become a document (see InvalidRow); not errors."
    )
    completed = models.BooleanField(
        default=False,
        help_text="The source ran to its end in this run (its watermark counts), whatever "
        "became of the run's other sources.",
    )
    watermark_before = models.DateTimeField(null=True, blank=True)
    watermark_after = models.DateTimeField(
        null=True, blank=True, help_text='Largest "updatedAt" synced; incremental runs start here.'
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "source"], name="syncrunsource_unique")
        ]
        ordering = ["source"]

    def __str__(self) -> str:
        return f"{self.source} of run #{self.run_id}"


class SyncRecordError(models.Model):
    """A record that could not be synced; the run skipped it and went on."""

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="record_errors")
    source = models.CharField(max_length=32)
    record_id = models.TextField()
    error_type = models.CharField(max_length=128)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.source} {self.record_id}: {self.error_type}"


def record_key(record_id: str) -> str:
    """``InvalidRow.record_key`` of an id (any length, lone surrogates included)."""
    return hashlib.sha256(record_id.encode("utf-8", "surrogatepass")).hexdigest()


class InvalidRow(models.Model):
    """A source row that cannot become a document (bad data: no text, an unreadable
    timestamp...). Syncs treat it as excluded until it changes: it does not make a run
    partial nor hold the watermark back. Kept while the row stays eligible and invalid;
    removed once it converts, is excluded or deleted."""

    source = models.CharField(max_length=32)
    record_id = models.TextField()
    # The unique key: a btree index entry holds at most ~2,700 bytes, so a unique index
    # on record_id itself refused a long id (and with it the whole run).
    record_key = models.CharField(
        max_length=64, editable=False, help_text="sha256 of record_id (hex), unique per source."
    )
    error_type = models.CharField(max_length=128)
    reason = models.TextField()
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text='The row\'s "updatedAt" when last seen (None: unreadable).'
    )
    first_seen_run = models.ForeignKey(
        SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_seen_run = models.ForeignKey(
        SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "record_key"], name="invalidrow_key_unique")
        ]
        ordering = ["source", "record_id"]

    def __str__(self) -> str:
        return f"{self.source} {self.record_id}: {self.error_type}"
