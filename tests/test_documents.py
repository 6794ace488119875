"""The pure row -> document converters, on every shape the source tables can hold."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer.embeddings.base import HEAD_PART
from syncer.sources import DocumentError, journey_to_document, knowledge_to_document
from syncer.sources.base import (
    MAX_DOCUMENT_CHARS,
    MAX_LIST_CHARS,
    MAX_LIST_ITEMS,
    MAX_METADATA_KEYS,
    document_build,
    localized_texts,
)

NAIVE_UTC = datetime(2026, 3, 4, 5, 6, 7, 891000)  # as read from TIMESTAMP(3) WITHOUT TIME ZONE


def knowledge(**fields: Any) -> KnowledgeReference:
    values: dict[str, Any] = {
        "id": "ref_1",
        "category": "VERSE",
        "source": "Quran 13:28",
        "title": {"id": "Hati tenteram", "en": "Hearts find rest"},
        "content": {"id": "Isi ayat", "en": "Verse content"},
        "content_ar": None,
        "tags": ["peace", "dhikr"],
        "languages": ["id", "en"],
        "status": "VERIFIED",
        "searchable_text": None,
        "created_at": NAIVE_UTC,
        "updated_at": NAIVE_UTC,
    }
    values.update(fields)
    return KnowledgeReference(**values)


def journey(**fields: Any) -> JourneyTemplate:
    values: dict[str, Any] = {
        "id": "tpl_1",
        "goal_keyword": "anxiety",
        "tags": ["calm"],
        "languages": ["id", "en"],
        "is_active": True,
        "status": "PUBLISHED",
        "match_count": 7,
        "searchable_text": None,
        "full_json": {
            "goal": "Manage anxiety",
            "introduction": {"en": "Small steps", "id": "Langkah kecil"},
            "steps": [
                {"day": 1, "title": {"en": "Breathe"}, "description": {"en": "Box breathing"}},
            ],
        },
        "created_at": NAIVE_UTC,
        "updated_at": NAIVE_UTC,
    }
    values.update(fields)
    return JourneyTemplate(**values)


# --- localized values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"id": "Judul", "en": "Title"}, {"en": "Title", "id": "Judul"}),
        ("Peace of Mind", {"": "Peace of Mind"}),
        ('{"en": "Encoded", "id": "Dikodekan"}', {"en": "Encoded", "id": "Dikodekan"}),
        ('"Quoted string"', {"": "Quoted string"}),
        ({"en": None, "id": "Hanya id"}, {"id": "Hanya id"}),
        ({"en": "", "id": "   "}, {}),
        ({"en": 5, "id": {"nested": "x"}, "ar": "عربي"}, {"ar": "عربي"}),
        (None, {}),
        ([], {}),
        (["a", None, "b"], {"": "a\nb"}),
        (42, {"": "42"}),
        (True, {}),
        ("{not json", {"": "{not json"}),
    ],
)
def test_localized_texts_understands_every_shape(value: Any, expected: dict[str, str]) -> None:
    assert localized_texts(value) == expected


def test_localized_texts_orders_english_then_indonesian_then_others() -> None:
    assert list(localized_texts({"ar": "a", "id": "b", "fr": "c", "en": "d"})) == [
        "en",
        "id",
        "ar",
        "fr",
    ]


# --- knowledge references -------------------------------------------------------------


def test_knowledge_document_text_and_metadata() -> None:
    document = knowledge_to_document(
        knowledge(content_ar="أَلَا بِذِكْرِ اللَّهِ", searchable_text="calm heart")
    )
    assert document.id == "ref_1"
    assert document.text.splitlines() == [
        "Hearts find rest",
        "Hati tenteram",
        "Verse content",
        "Isi ayat",
        "أَلَا بِذِكْرِ اللَّهِ",
        "Tags: peace, dhikr",
        "Category: VERSE",
        "Source: Quran 13:28",
        "calm heart",
    ]
    metadata = dict(document.metadata)
    assert metadata.pop("document_hash") and metadata.pop("metadata_hash")
    assert metadata == {
        "type": "knowledge_reference",
        "category": "VERSE",
        "source": "Quran 13:28",
        "status": "VERIFIED",
        "tags": ["peace", "dhikr"],
        "languages": ["id", "en"],
        "title": "Hearts find rest",
        "title_en": "Hearts find rest",
        "title_id": "Hati tenteram",
        "content_ar": "أَلَا بِذِكْرِ اللَّهِ",
        "lookup_keys": ["qs:13:28", "qs:13"],
        "created_at": "2026-03-04T05:06:07.891Z",
        "updated_at": "2026-03-04T05:06:07.891Z",
    }
    assert document.updated_at == NAIVE_UTC.replace(tzinfo=UTC)


def test_knowledge_plain_string_title_has_no_language_keys() -> None:
    document = knowledge_to_document(knowledge(title="Peace of Mind", content="Plain content"))
    assert document.metadata["title"] == "Peace of Mind"
    assert not any(key.startswith("title_") for key in document.metadata)
    assert document.text.startswith("Peace of Mind\nPlain content")


def test_knowledge_json_encoded_title_is_decoded() -> None:
    document = knowledge_to_document(knowledge(title='{"id": "Jurnal", "en": "Journal"}'))
    assert document.metadata["title"] == "Journal"
    assert document.metadata["title_id"] == "Jurnal"
    assert '{"' not in document.text


def test_knowledge_title_falls_back_to_indonesian_then_any_language() -> None:
    assert knowledge_to_document(knowledge(title={"id": "Judul"})).metadata["title"] == "Judul"
    assert knowledge_to_document(knowledge(title={"ar": "عنوان"})).metadata["title"] == "عنوان"


def test_knowledge_nulls_and_empties_are_skipped_never_rendered_as_none() -> None:
    document = knowledge_to_document(
        knowledge(
            title={"en": None, "id": "Judul"},
            content=None,
            tags=[None, "", "calm"],
            languages=[],
            content_ar="  ",
        )
    )
    assert "None" not in document.text
    assert "languages" not in document.metadata  # Chroma rejects empty lists
    assert "content_ar" not in document.metadata
    assert document.metadata["tags"] == ["calm"]


def test_knowledge_junk_language_keys_stay_in_text_but_not_in_metadata_names() -> None:
    document = knowledge_to_document(knowledge(title={"en": "Title", "bad key!": "Junk"}))
    assert "Junk" in document.text
    assert not any("bad" in key for key in document.metadata)


def test_knowledge_long_text_is_truncated_not_rejected() -> None:
    document = knowledge_to_document(knowledge(content={"en": "word " * 300_000}))
    assert len(document.text) == MAX_DOCUMENT_CHARS


# --- what Chroma must never be sent (bench/experiments/chroma_metadata_limits.py) ---------


def tags(count: int, length: int = 6) -> list[str]:
    return [f"{number}".rjust(length, "t") for number in range(count)]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            knowledge(tags=tags(10_000)),
            "tags has 10,000 items; halasync keeps at most 1,000: "
            "shorten the row's tags in the source application",
        ),
        (
            journey(languages=tags(MAX_LIST_ITEMS + 1)),
            "languages has 1,001 items; halasync keeps at most 1,000: "
            "shorten the row's languages in the source application",
        ),
        (
            knowledge(tags=["a" * 60_000, "b" * 40_001]),
            "tags has 100,001 characters in all; halasync keeps at most 100,000: "
            "shorten the row's tags in the source application",
        ),
        (
            knowledge(title={f"en-x{number}": f"Title {number}" for number in range(6_000)}),
            "the row gives 6,012 metadata keys (6,000 of them title_<language>); halasync "
            "keeps at most 1,000: remove languages from the row's title in the source "
            "application",
        ),
    ],
    ids=["10000-tags", "1001-languages", "long-tags", "6000-titles"],
)
def test_metadata_over_chromas_limits_is_a_document_error_saying_what_to_fix(
    row: Any, message: str
) -> None:
    convert = knowledge_to_document if isinstance(row, KnowledgeReference) else journey_to_document
    with pytest.raises(DocumentError) as error:
        convert(row)
    assert str(error.value) == message


def test_metadata_at_the_limits_is_a_document() -> None:
    at_limits = knowledge(
        tags=tags(MAX_LIST_ITEMS, length=MAX_LIST_CHARS // MAX_LIST_ITEMS),
        languages=tags(MAX_LIST_ITEMS),
    )
    document = knowledge_to_document(at_limits)
    assert len(document.metadata["tags"]) == len(document.metadata["languages"]) == 1_000
    assert sum(map(len, document.metadata["tags"])) == MAX_LIST_CHARS
    # Repeats are sent once: 10,000 copies of one tag are one item.
    assert knowledge_to_document(knowledge(tags=["calm"] * 10_000)).metadata["tags"] == ["calm"]
    # Every key counts, hashes included (12 fixed keys, lookup_keys of "Quran 13:28"
    # among them, and one per title language).
    titles = {f"en-x{number}": "T" for number in range(MAX_METADATA_KEYS - 12)}
    assert len(knowledge_to_document(knowledge(title=titles)).metadata) == MAX_METADATA_KEYS
    with pytest.raises(DocumentError, match="1,001 metadata keys"):
        knowledge_to_document(knowledge(title={**titles, "en-last": "T"}))


def test_knowledge_without_any_text_is_a_document_error() -> None:
    row = knowledge(title=None, content=None, tags=[], category="", source="", status="VERIFIED")
    with pytest.raises(DocumentError, match="no text"):
        knowledge_to_document(row)


def test_hashes_separate_text_from_metadata() -> None:
    base = knowledge_to_document(knowledge())
    retagged_status = knowledge_to_document(knowledge(status="PENDING"))
    retitled = knowledge_to_document(knowledge(title={"en": "Another title"}))
    assert retagged_status.document_hash == base.document_hash
    assert retagged_status.metadata_hash != base.metadata_hash
    assert retitled.document_hash != base.document_hash
    assert knowledge_to_document(knowledge()).metadata == base.metadata  # deterministic


@pytest.mark.parametrize(
    "document",
    [
        knowledge_to_document(knowledge(content_ar="ألا بذكر")),
        journey_to_document(journey()),
    ],
    ids=["knowledge", "journey"],
)
def test_hash_recipe_is_stable(document: Any) -> None:
    """The recipe is part of every stored document: changing it would re-embed (text) or
    rewrite (metadata) every document on upgrade. sha256 of the UTF-8 text, a unit
    separator and the parts as sorted-key, non-ASCII JSON (the text alone for a document
    without parts); sha256 of the metadata without its hashes as sorted-key, non-ASCII
    JSON."""
    metadata = {k: v for k, v in document.metadata.items() if not k.endswith("_hash")}
    canonical = json.dumps(metadata, sort_keys=True, ensure_ascii=False)
    assert document.parts  # both converters fill them
    embedded = (
        document.text + "\x1f" + json.dumps(document.parts, sort_keys=True, ensure_ascii=False)
    )
    assert document.document_hash == hashlib.sha256(embedded.encode()).hexdigest()
    assert document.metadata_hash == hashlib.sha256(canonical.encode()).hexdigest()


# --- journey templates ----------------------------------------------------------------


def test_journey_document_text_and_metadata_types() -> None:
    document = journey_to_document(journey(searchable_text="worry, stress"))
    assert document.text.splitlines() == [
        "anxiety",
        "Tags: calm",
        "Manage anxiety",
        "Small steps",
        "Langkah kecil",
        "Breathe",
        "Box breathing",
        "worry, stress",
    ]
    metadata = document.metadata
    assert metadata["type"] == "journey_template"
    assert metadata["is_active"] is True
    assert metadata["match_count"] == 7 and isinstance(metadata["match_count"], int)
    assert metadata["tags"] == ["calm"]
    assert json.loads(metadata["full_json"])["goal"] == "Manage anxiety"
    assert metadata["updated_at"] == "2026-03-04T05:06:07.891Z"


def test_journey_head_part_is_the_goal_keyword_goal_and_introduction() -> None:
    """The head (what the journey is about, every language) is a part of its own, so a
    backend can weigh it against the many steps; steps and searchable_text stay out."""
    document = journey_to_document(journey(searchable_text="worry, stress"))
    assert document.parts[HEAD_PART].splitlines() == [
        "anxiety",
        "Manage anxiety",
        "Small steps",
        "Langkah kecil",
    ]
    assert "Breathe" in document.parts["en"]  # the language sections are unchanged
    without = journey_to_document(journey(full_json={"steps": [{"title": "Breathe"}]}))
    assert without.parts[HEAD_PART] == "anxiety"
    assert HEAD_PART not in knowledge_to_document(knowledge()).parts  # measured: hurt there


def test_journey_inactive_is_false_not_missing() -> None:
    assert journey_to_document(journey(is_active=False)).metadata["is_active"] is False


def test_journey_full_json_encoded_as_a_string_is_decoded() -> None:
    encoded = json.dumps({"goal": {"en": "Sleep better"}, "steps": [{"title": "Screens off"}]})
    document = journey_to_document(journey(full_json=encoded))
    assert "Sleep better" in document.text and "Screens off" in document.text
    assert json.loads(document.metadata["full_json"]) == encoded  # the JSON text as stored


@pytest.mark.parametrize(
    "full_json",
    [
        ["a", "list"],
        12,
        None,
        "just a string",
        {"goal": 5, "introduction": ["x"], "steps": "not a list"},
        {"steps": [None, 3, "text", {"title": 7, "description": None}]},
        {"goal": None, "steps": {"title": "dict instead of list"}},
    ],
)
def test_journey_odd_full_json_still_gives_a_document(full_json: Any) -> None:
    document = journey_to_document(journey(full_json=full_json))
    assert document.text.startswith("anxiety\nTags: calm")
    assert "None" not in document.text
    assert isinstance(document.metadata["full_json"], str)


def test_journey_match_count_change_only_touches_metadata_hash() -> None:
    before = journey_to_document(journey(match_count=1))
    after = journey_to_document(journey(match_count=2))
    assert before.document_hash == after.document_hash
    assert before.metadata_hash != after.metadata_hash


def test_a_lone_surrogate_spelled_in_json_becomes_a_replacement_character() -> None:
    """PostgreSQL cannot store a lone surrogate, but a JSON-encoded string inside a text
    value can spell one ("\\ud800"), and json.loads makes it real. Chroma cannot store it
    (nor the model encode it): it becomes U+FFFD; a surrogate pair is the character it
    spells."""
    document = knowledge_to_document(
        knowledge(title='{"en": "broken \\ud800 title", "id": "pair \\ud83d\\ude00 kept"}')
    )
    assert document.metadata["title_en"] == "broken \ufffd title"
    assert document.metadata["title_id"] == "pair 😀 kept"
    assert "broken \ufffd title" in document.text
    everything = json.dumps([document.text, document.parts, document.metadata], ensure_ascii=False)
    everything.encode("utf-8")  # no lone surrogate left anywhere: strict UTF-8 encodes it
    template = journey_to_document(journey(full_json='{"goal": "Sleep \\udc00"}'))
    assert "Sleep \ufffd" in template.text


def test_parts_are_part_of_the_document_hash_and_no_parts_keep_the_old_hash() -> None:
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    plain = document_build(id="r1", text="Sabar", metadata={"type": "t"}, updated_at=stamp)
    parted = document_build(
        id="r1", text="Sabar", metadata={"type": "t"}, updated_at=stamp, parts={"id": "Sabar"}
    )
    other = document_build(
        id="r1", text="Sabar", metadata={"type": "t"}, updated_at=stamp, parts={"en": "Sabar"}
    )

    assert plain.document_hash == hashlib.sha256(b"Sabar").hexdigest()  # as before parts
    assert len({plain.document_hash, parted.document_hash, other.document_hash}) == 3
    assert parted.parts == {"id": "Sabar"} and plain.parts == {}
    assert parted.metadata_hash == plain.metadata_hash  # parts are embedded, not metadata
