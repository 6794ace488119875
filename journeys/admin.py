"""Journey templates in the admin: read-only, with their sync state in Chroma."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib import admin

from journeys.models import JourneyTemplate
from syncer.admin_sources import LanguageFilter, SourceAdmin, TagFilter, list_text
from syncer.sources import JOURNEYS
from syncer.sources.base import best_text, decode_json_string, localized_texts


@admin.register(JourneyTemplate)
class JourneyTemplateAdmin(SourceAdmin):
    source = JOURNEYS
    list_display = (
        "id",
        "goal_keyword",
        "goal",
        "status",
        "is_active",
        "languages_text",
        "match_count",
        "updated",
        "sync_state",
    )
    list_filter = ("status", "is_active", LanguageFilter, TagFilter)
    search_fields = ("id", "goal_keyword", "full_json__goal", "searchable_text")

    @admin.display(description="goal")
    def goal(self, obj: JourneyTemplate) -> str:
        journey = decode_json_string(obj.full_json)
        if not isinstance(journey, Mapping):
            return "—"
        return best_text(localized_texts(journey.get("goal"))) or "—"

    @admin.display(description="languages")
    def languages_text(self, obj: JourneyTemplate) -> str:
        return list_text(obj.languages)
