"""KnowledgeReference rows -> documents of the knowledge_references collection."""

from __future__ import annotations

from typing import Any

from syncer.sources.base import (
    Document,
    as_utc,
    best_text,
    document_build,
    iso_utc,
    join_lines,
    language_key,
    language_parts,
    localized_texts,
    optional_text,
    string_list,
)


def knowledge_to_document(row: Any) -> Document:
    """The Chroma document for one KnowledgeReference row (pure: reads only ``row``)."""
    titles = localized_texts(row.title)
    contents = localized_texts(row.content)
    content_ar = optional_text(row.content_ar)
    tags = string_list(row.tags)
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
        "languages": string_list(row.languages),
        "title": best_text(titles),
        "content_ar": content_ar,
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
        id=row.id, text=text, metadata=metadata, updated_at=as_utc(row.updated_at), parts=parts
    )
