"""Unmanaged model over the "KnowledgeReference" table owned by the main application.

Mapped column for column from source_schema.sql. Django never creates, migrates or
writes this table in production; the table name comes from ``KNOWLEDGE_TABLE``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models


class KnowledgeCategory(models.TextChoices):
    VERSE = "VERSE"
    HADITH = "HADITH"
    STRATEGY = "STRATEGY"
    DUA = "DUA"
    STORY = "STORY"


class KnowledgeStatus(models.TextChoices):
    DRAFT = "DRAFT"
    PENDING = "PENDING"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"


class KnowledgeReference(models.Model):
    id = models.TextField(primary_key=True)
    # PostgreSQL enum "KnowledgeCategory"; read and compared as text.
    category = models.CharField(max_length=32, choices=KnowledgeCategory.choices)
    source = models.TextField()
    # Localized JSONB: {"id": "...", "en": "..."}, a plain JSON string, or a JSON-encoded
    # object inside a string.
    title = models.JSONField()
    content = models.JSONField()
    content_ar = models.TextField(db_column="contentAr", null=True, blank=True)
    tags = ArrayField(models.TextField(), default=list, blank=True)
    languages = ArrayField(models.TextField(), default=list, blank=True)
    # PostgreSQL enum "KnowledgeStatus".
    status = models.CharField(max_length=32, choices=KnowledgeStatus.choices)
    searchable_text = models.TextField(null=True, blank=True)
    # TIMESTAMP(3) WITHOUT TIME ZONE holding UTC; read back as naive datetimes.
    created_at = models.DateTimeField(db_column="createdAt")
    updated_at = models.DateTimeField(db_column="updatedAt")

    class Meta:
        managed = False
        db_table = settings.KNOWLEDGE_TABLE
        ordering = ["id"]
        verbose_name = "knowledge reference"

    def __str__(self) -> str:
        return self.id
