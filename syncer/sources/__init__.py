"""The registry of sources: each source table and its converter.

Everything that loops over sources (the sync services, CLI choices, API routes) reads
``SOURCES``; adding a third table means adding one entry here and one converter.
"""

from __future__ import annotations

from collections.abc import Iterable

from syncer.sources.base import Document, DocumentError, Source
from syncer.sources.journeys import journey_cited_references, journey_to_document
from syncer.sources.knowledge import knowledge_to_document

KNOWLEDGE = Source(
    name="knowledge",
    label="knowledge reference",
    model_label="knowledge.KnowledgeReference",
    collection_setting="CHROMA_KNOWLEDGE_COLLECTION",
    excluded_statuses=("REJECTED",),
    to_document=knowledge_to_document,
    filter_fields=("category",),
)
JOURNEYS = Source(
    name="journeys",
    label="journey template",
    model_label="journeys.JourneyTemplate",
    collection_setting="CHROMA_JOURNEY_COLLECTION",
    excluded_statuses=("ARCHIVED",),
    to_document=journey_to_document,
    active_field="is_active",
    cites="knowledge",
    cited_ids=journey_cited_references,
)

SOURCES: dict[str, Source] = {source.name: source for source in (KNOWLEDGE, JOURNEYS)}
# Other names an operator may type for a source (`sync search --type journey`); each
# names exactly one source.
SOURCE_ALIASES: dict[str, str] = {"journey": JOURNEYS.name}


def source_get(name: str) -> Source:
    """The source called ``name`` (or one of its aliases)."""
    try:
        return SOURCES[SOURCE_ALIASES.get(name, name)]
    except KeyError:
        raise ValueError(f"unknown source {name!r}; choose one of: {', '.join(SOURCES)}") from None


def source_names(sources: Iterable[str] | None) -> list[str]:
    """The canonical names of ``sources`` (aliases resolved, each once, in order); every
    source when none is given. Raises ValueError for an unknown name."""
    names = list(SOURCES) if not sources else [source_get(name).name for name in sources]
    return list(dict.fromkeys(names))


__all__ = [
    "JOURNEYS",
    "KNOWLEDGE",
    "SOURCES",
    "SOURCE_ALIASES",
    "Document",
    "DocumentError",
    "Source",
    "source_get",
    "source_names",
]
