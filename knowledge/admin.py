"""Knowledge references in the admin: read-only, with their sync state in Chroma."""

from __future__ import annotations

from django.contrib import admin

from knowledge.models import KnowledgeReference
from syncer.admin_sources import LanguageFilter, SourceAdmin, TagFilter, list_text
from syncer.sources import KNOWLEDGE
from syncer.sources.base import best_text, localized_texts


@admin.register(KnowledgeReference)
class KnowledgeReferenceAdmin(SourceAdmin):
    source = KNOWLEDGE
    list_display = (
        "id",
        "title_text",
        "category",
        "status",
        "languages_text",
        "updated",
        "sync_state",
    )
    list_filter = ("category", "status", LanguageFilter, TagFilter)
    search_fields = ("id", "title", "searchable_text")

    @admin.display(description="title")
    def title_text(self, obj: KnowledgeReference) -> str:
        return best_text(localized_texts(obj.title)) or "—"

    @admin.display(description="languages")
    def languages_text(self, obj: KnowledgeReference) -> str:
        return list_text(obj.languages)
