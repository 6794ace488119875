"""KnowledgeReference rows -> documents of the knowledge_references collection."""

from __future__ import annotations

from typing import Any

from syncer.lookup import LOOKUP_KEYS, knowledge_lookup_keys
from syncer.sources.base import (
    MAX_LIST_ITEMS_TOTAL,
    Document,
    best_text,
    document_build,
    iso_utc,
    join_lines,
    json_depth_check,
    language_key,
    language_parts,
    localized_texts,
    optional_text,
    row_updated_at,
    string_list,
)


def knowledge_to_document(row: Any) -> Document:
    """The Chroma document for one KnowledgeReference row (pure: reads only ``row``)."""
    json_depth_check(row.title, "title")
    json_depth_check(row.content, "content")
    titles = localized_texts(row.title, "title")
    contents = localized_texts(row.content, "content")
    content_ar = optional_text(row.content_ar)
    tags = string_list(row.tags)
    languages = string_list(row.languages)
    category = optional_text(row.category)
    source = optional_text(row.source)

    text = join_lines(
        [
            *titles.values(),
            *contents.values(),
            content_ar,
            f"Tags: {', '.join(tags)}" if tags else None,
            f"Category: {category}" if category else None,
            f"Source: {source}" if source else None,
            optional_text(row.searchable_text),
        ]
    )
    metadata: dict[str, Any] = {
        "type": "knowledge_reference",
        "category": category,
        "source": source,
        "status": optional_text(row.status),
        "tags": tags,
        "languages": languages,
        "title": best_text(titles),
        "content_ar": content_ar,
        # Quran and hadith references the row is known by (exact look-ups in search).
        LOOKUP_KEYS: knowledge_lookup_keys(
            source=source,
            titles=titles.values(),
            searchable_text=optional_text(row.searchable_text),
            room=MAX_LIST_ITEMS_TOTAL - len(tags or ()) - len(languages or ()),
        ),
        "created_at": iso_utc(row.created_at),
        "updated_at": iso_utc(row.updated_at),
    }
    for language, title in titles.items():
        key = language_key(language)
        if key:
            metadata[f"title_{key}"] = title
    # One section per language (title and content; contentAr with Arabic), for backends
    # that embed each language on its own.
    parts = language_parts(titles, contents, {"ar": content_ar} if content_ar else {})
    return document_build(
        id=row.id,
        text=text,
        metadata=metadata,
        updated_at=row_updated_at(row.updated_at),
        parts=parts,
    )
