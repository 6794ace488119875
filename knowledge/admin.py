"""Knowledge references in the admin: read-only, with their sync state in Chroma."""

from __future__ import annotations

from django.contrib import admin

from knowledge.models import KnowledgeReference
from syncer.admin_sources import LanguageFilter, SourceAdmin, TagFilter, list_text
from syncer.sources import KNOWLEDGE
from syncer.sources.base import DocumentError, best_text, localized_texts


@admin.register(KnowledgeReference)
class KnowledgeReferenceAdmin(SourceAdmin):
    source = KNOWLEDGE
    # The sync state right after the id: the column an operator looks for stays in view
    # at any width, however long titles are.
    list_display = (
        "id",
        "sync_state",
        "title_text",
        "category",
        "status",
        "languages_text",
        "updated",
    )
    list_filter = ("category", "status", LanguageFilter, TagFilter)
    search_fields = ("id", "title", "searchable_text")

    @admin.display(description="title")
    def title_text(self, obj: KnowledgeReference) -> str:
        try:
            return best_text(localized_texts(obj.title)) or "—"
        except DocumentError as exc:  # JSON too deep to read: the sync's reason, in short
            return f"(unreadable: {str(exc).split(';')[0]})"

    @admin.display(description="languages")
    def languages_text(self, obj: KnowledgeReference) -> str:
        return list_text(obj.languages)
