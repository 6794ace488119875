"""Unmanaged model over the "JourneyTemplate" table owned by the main application.

Mapped column for column from source_schema.sql. Django never creates, migrates or
writes this table in production; the table name comes from ``JOURNEY_TABLE``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models


class JourneyTemplateStatus(models.TextChoices):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class JourneyTemplate(models.Model):
    id = models.TextField(primary_key=True)
    goal_keyword = models.TextField()
    tags = ArrayField(models.TextField(), default=list, blank=True)
    languages = ArrayField(models.TextField(), default=list, blank=True)
    is_active = models.BooleanField(default=True)
    # PostgreSQL enum "JourneyTemplateStatus"; read and compared as text.
    status = models.CharField(max_length=32, choices=JourneyTemplateStatus.choices)
    match_count = models.IntegerField(default=0)
    searchable_text = models.TextField(null=True, blank=True)
    # Free-form JSON written by the main application; any key may be missing.
    full_json = models.JSONField()
    # TIMESTAMP(3) WITHOUT TIME ZONE holding UTC; read back as naive datetimes.
    created_at = models.DateTimeField(db_column="createdAt")
    updated_at = models.DateTimeField(db_column="updatedAt")

    class Meta:
        managed = False
        db_table = settings.JOURNEY_TABLE
        ordering = ["id"]
        verbose_name = "journey template"

    def __str__(self) -> str:
        return self.id
