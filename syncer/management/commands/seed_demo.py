"""Create the two source tables with a sample of rows, only when they do not exist.

For the quickstart and local experiments. It never touches existing tables: if either
table is already there (say, the real application's), it does nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connections, transaction
from django.utils import timezone

from halasync.routers import source_alias
from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer.demo.sample_data import JOURNEY_ROWS, KNOWLEDGE_ROWS
from syncer.demo.schema import source_tables_create, source_tables_exist


class Command(BaseCommand):
    help = "Create the source tables with sample rows (only if the tables do not exist)."

    def handle(self, *args: Any, **options: Any) -> None:
        alias = source_alias()
        connection = connections[alias]
        if any(source_tables_exist(connection).values()):
            self.stdout.write("Source tables already exist: left untouched, no sample data added.")
            return
        with transaction.atomic(using=alias):
            source_tables_create(connection)
            now = timezone.now()
            KnowledgeReference.objects.using(alias).bulk_create(
                KnowledgeReference(
                    **{
                        "languages": ["id", "en"],
                        "searchable_text": None,
                        "content_ar": None,
                        **row,
                    },
                    created_at=now - timedelta(days=30),
                    updated_at=now - timedelta(minutes=len(KNOWLEDGE_ROWS) - index),
                )
                for index, row in enumerate(KNOWLEDGE_ROWS)
            )
            JourneyTemplate.objects.using(alias).bulk_create(
                JourneyTemplate(
                    **{"languages": ["id", "en"], "searchable_text": None, **row},
                    created_at=now - timedelta(days=30),
                    updated_at=now - timedelta(minutes=len(JOURNEY_ROWS) - index),
                )
                for index, row in enumerate(JOURNEY_ROWS)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the source tables with {len(KNOWLEDGE_ROWS)} knowledge references "
                f"and {len(JOURNEY_ROWS)} journey templates."
            )
        )
