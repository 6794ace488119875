"""JourneyTemplate rows -> documents of the journey_templates collection."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from syncer.embeddings.base import HEAD_PART
from syncer.lookup import LOOKUP_KEYS, journey_lookup_keys
from syncer.sources.base import (
    MAX_LIST_ITEMS_TOTAL,
    Document,
    DocumentError,
    decode_json_string,
    document_build,
    iso_utc,
    join_lines,
    json_depth_check,
    language_parts,
    localized_texts,
    optional_text,
    row_updated_at,
    string_list,
)


def journey_to_document(row: Any) -> Document:
    """The Chroma document for one JourneyTemplate row (pure: reads only ``row``)."""
    json_depth_check(row.full_json, "full_json")
    goal_keyword = optional_text(row.goal_keyword)
    tags = string_list(row.tags)
    languages = string_list(row.languages)
    text = join_lines(
        [
            goal_keyword,
            f"Tags: {', '.join(tags)}" if tags else None,
            *_full_json_texts(row.full_json),
            optional_text(row.searchable_text),
        ]
    )
    metadata: dict[str, Any] = {
        "type": "journey_template",
        "goal_keyword": goal_keyword,
        "tags": tags,
        "languages": languages,
        "is_active": bool(row.is_active),
        "status": optional_text(row.status),
        "match_count": int(row.match_count or 0),
        "full_json": json.dumps(row.full_json, ensure_ascii=False),
        # The goal keyword as a query names it (exact look-ups in search).
        LOOKUP_KEYS: journey_lookup_keys(
            goal_keyword=goal_keyword,
            room=MAX_LIST_ITEMS_TOTAL - len(tags or ()) - len(languages or ()),
        ),
        "created_at": iso_utc(row.created_at),
        "updated_at": iso_utc(row.updated_at),
    }
    # One section per language (goal, introduction, steps), for backends that embed each
    # language on its own, and the head (goal keyword, goal, introduction in every
    # language), which USE weighs as much as the whole text: a journey's many steps
    # otherwise outweigh its subject (issue 15, docs/embeddings.md).
    sections = list(_full_json_sections(row.full_json))
    parts = language_parts(*sections)
    head = join_lines([goal_keyword, *(t for section in sections[:2] for t in section.values())])
    if head:
        parts[HEAD_PART] = head
    return document_build(
        id=row.id,
        text=text,
        metadata=metadata,
        updated_at=row_updated_at(row.updated_at),
        parts=parts,
    )


# Cited knowledge references read from one journey's steps (a bound on a hostile row).
MAX_CITED_REFERENCES = 100


def journey_cited_references(metadata: Mapping[str, Any]) -> list[str]:
    """The knowledge reference ids a journey's steps cite (each step's
    ``knowledge_reference_ids``), read from its Chroma metadata (``full_json`` as stored);
    [] where full_json is not shaped that way. Search ranks a journey with them."""
    try:
        journey = decode_json_string(metadata.get("full_json"))
        steps = decode_json_string(journey.get("steps")) if isinstance(journey, Mapping) else None
    except DocumentError:
        return []
    cited: list[str] = []
    for step in steps if isinstance(steps, list) else []:
        step = decode_json_string(step) if isinstance(step, str) else step
        ids = step.get("knowledge_reference_ids") if isinstance(step, Mapping) else None
        ids = [ids] if isinstance(ids, str) else ids
        if isinstance(ids, list):
            cited.extend(i for i in ids if isinstance(i, str) and i)
        if len(cited) >= MAX_CITED_REFERENCES:
            break
    return list(dict.fromkeys(cited))[:MAX_CITED_REFERENCES]


def _full_json_texts(full_json: Any) -> Iterator[str]:
    """Goal, introduction, then each step's title and description, in every language."""
    for section in _full_json_sections(full_json):
        yield from section.values()


def _full_json_sections(full_json: Any) -> Iterator[dict[str, str]]:
    """Goal, introduction, then each step's title and description, each by language.

    full_json is free-form: it may be a JSON-encoded string, a list, a number, or have
    keys of the wrong type; whatever is not text where text is expected is skipped.
    """
    journey = decode_json_string(full_json, "full_json")
    if not isinstance(journey, Mapping):
        return
    yield localized_texts(journey.get("goal"), "full_json")
    yield localized_texts(journey.get("introduction"), "full_json")
    steps = decode_json_string(journey.get("steps"), "full_json")
    if not isinstance(steps, list):
        return
    for step in steps:
        step = decode_json_string(step, "full_json")
        if not isinstance(step, Mapping):
            continue
        yield localized_texts(step.get("title"), "full_json")
        yield localized_texts(step.get("description"), "full_json")
