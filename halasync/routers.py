"""Send the two source models to the "source" database when one is configured."""

from __future__ import annotations

from typing import Any

from django.conf import settings

SOURCE_APPS = frozenset({"knowledge", "journeys"})


def source_alias() -> str:
    """The database alias that holds the source tables."""
    return "source" if "source" in settings.DATABASES else "default"


class SourceTablesRouter:
    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return source_alias() if model._meta.app_label in SOURCE_APPS else None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return source_alias() if model._meta.app_label in SOURCE_APPS else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The source database belongs to another application: never migrate anything there.
        if db == "source":
            return False
        return None
