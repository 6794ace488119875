"""Journey templates in the admin: read-only, with their sync state in Chroma."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib import admin

from journeys.models import JourneyTemplate
from syncer.admin_sources import LanguageFilter, SourceAdmin, TagFilter, list_text
from syncer.sources import JOURNEYS
from syncer.sources.base import (
    DocumentError,
    best_text,
    decode_json_string,
    localized_texts,
)


@admin.register(JourneyTemplate)
class JourneyTemplateAdmin(SourceAdmin):
    source = JOURNEYS
    # The sync state right after the id, as for knowledge references.
    list_display = (
        "id",
        "sync_state",
        "goal_keyword",
        "goal",
        "status",
        "is_active",
        "languages_text",
        "match_count",
        "updated",
    )
    list_filter = ("status", "is_active", LanguageFilter, TagFilter)
    search_fields = ("id", "goal_keyword", "full_json__goal", "searchable_text")

    @admin.display(description="goal")
    def goal(self, obj: JourneyTemplate) -> str:
        try:
            journey = decode_json_string(obj.full_json)
            if not isinstance(journey, Mapping):
                return "—"
            return best_text(localized_texts(journey.get("goal"))) or "—"
        except DocumentError as exc:  # JSON too deep to read: the sync's reason, in short
            return f"(unreadable: {str(exc).split(';')[0]})"

    @admin.display(description="languages")
    def languages_text(self, obj: JourneyTemplate) -> str:
        return list_text(obj.languages)
