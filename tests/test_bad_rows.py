"""Bad rows: every malformed value the real tables can hold either syncs correctly or is a
record error with a readable message, while the rest of the run succeeds."""

from __future__ import annotations

import hashlib
import io
import json
import logging
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer.embeddings import embed_query
from syncer.models import InvalidRow, SyncRun
from syncer.services.records import sync_record
from syncer.services.runs import sync_run_execute
from syncer.services.verify import sync_verify
from syncer.sources.base import MAX_DOCUMENT_CHARS, MAX_METADATA_CHARS
from syncer.store import store_open
from tests.conftest import touch
from tests.processes import ChromaServer

ODD_IDS = [
    "with spaces",
    "q?x=1&y=2",
    "hash#fragment",
    "amp&ersand",
    "x" * 300,
    "😀 emoji id",
    "عربي-معرف",
    "zero\u200bwidth\u200dids",
    " ",
]
ZERO_WIDTH = "zero\u200bwidth\u200d joiner\u200e\u200f marks\ufeff"


def stored(collection: str) -> dict[str, tuple[str, dict[str, Any]]]:
    result = store_open(collection).collection.get(include=["documents", "metadatas"])
    return {
        doc_id: (text, metadata)
        for doc_id, text, metadata in zip(
            result["ids"], result["documents"], result["metadatas"], strict=True
        )
    }


def raw_knowledge(record_id: str, *, created_at: str, updated_at: str) -> None:
    """A row with timestamps Python cannot hold (the ORM could not write them either)."""
    table = connection.ops.quote_name(KnowledgeReference._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} (id, category, source, title, content, "createdAt", '
            f"\"updatedAt\") VALUES (%s, 'VERSE', 's', '{{\"en\": \"t\"}}', '\"c\"', "
            f"%s::timestamp(3), %s::timestamp(3))",
            [record_id, created_at, updated_at],
        )


def set_json_null(model: Any, column: str, record_id: str) -> None:
    """JSONB 'null' (not SQL NULL, which the NOT NULL columns refuse)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = 'null'::jsonb WHERE id = %s", [record_id])


@pytest.fixture
def bad_rows(make_knowledge: Any, make_journey: Any) -> None:
    make_knowledge(id="k_plain_strings", title="Peace of Mind", content="Plain string content")
    make_knowledge(
        id="k_encoded",
        title='{"en": "Encoded title", "id": "Judul tersandi"}',
        content='"a JSON string inside a JSON string"',
    )
    make_knowledge(
        id="k_nulls", title={"en": None, "id": "Hanya bahasa Indonesia"}, content={"en": None}
    )
    make_knowledge(
        id="k_wrong_types",
        title=42,
        content=["list", 1, None, {"x": 1}, True],
        tags=["calm", None, "", "calm"],
        languages=[],
        source="",
    )
    make_knowledge(id="k_json_null")
    set_json_null(KnowledgeReference, "title", "k_json_null")
    make_knowledge(
        id="k_huge",
        content={"en": "word " * 200_000},
        content_ar="ع" * 1_000_000,
        searchable_text="s" * 1_000_000,
    )
    make_knowledge(
        id="k_emoji_rtl",
        title={"en": "Calm 😌🕊️", "ar": "سلام القلب", "he": "שלום"},
        content={"en": ZERO_WIDTH},
    )
    for record_id in ODD_IDS:
        make_knowledge(id=record_id)
    make_knowledge(id="")  # TEXT NOT NULL holds the empty string
    raw_knowledge("k_year_1", created_at="0001-01-01", updated_at="2026-01-02")
    raw_knowledge("k_updated_infinity", created_at="2026-01-01", updated_at="infinity")
    raw_knowledge("k_created_year_10000", created_at="10000-01-01", updated_at="2026-01-02")

    make_journey(id="j_encoded", full_json='{"goal": "Encoded goal", "steps": []}')
    make_journey(id="j_plain_string", full_json="just a string")
    make_journey(id="j_number", full_json=42)
    make_journey(id="j_list", full_json=["a", 1, None])
    make_journey(id="j_json_null")
    set_json_null(JourneyTemplate, "full_json", "j_json_null")
    make_journey(
        id="j_odd_steps",
        full_json={
            "goal": {"en": None, "id": "Tujuan"},
            "introduction": ["line one", 2],
            "steps": [None, 1, "x", {"title": 5, "description": {"en": "Breathe out slowly"}}],
        },
    )
    make_journey(
        id="j_huge",
        full_json={"goal": "Big", "steps": [{"description": {"en": "d" * 1_000_000}}]},
    )
    make_journey(id="j_extreme_counts", match_count=2_147_483_647, is_active=False)
    make_journey(id="j_negative_count", match_count=-5, goal_keyword="دعاء 🤲")
    make_journey(id="j_no_text", goal_keyword="", tags=[], full_json={}, searchable_text=None)


UNSYNCABLE = {
    ("knowledge", ""): "DocumentError: the row has an empty id",
    ("knowledge", "k_updated_infinity"): (
        "ValueError: the row cannot be read from PostgreSQL: timestamp too large"
    ),
    ("knowledge", "k_created_year_10000"): (
        "ValueError: the row cannot be read from PostgreSQL: timestamp too large"
    ),
    ("journeys", "j_no_text"): "DocumentError: the row has no text to embed",
}


@pytest.mark.usefixtures("chroma", "bad_rows")
def test_every_malformed_value_syncs_or_is_a_readable_invalid_row() -> None:
    run = sync_run_execute(mode="full", trigger="cli")

    # Rows that cannot become documents are listed apart, not failures of the run.
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert not run.record_errors.exists()
    assert {result.source: result.invalid for result in run.source_results.all()} == {
        "knowledge": 3,
        "journeys": 1,
    }
    errors = {
        (row.source, row.record_id): f"{row.error_type}: {row.reason}"
        for row in InvalidRow.objects.all()
    }
    assert set(errors) == set(UNSYNCABLE)
    for key, start in UNSYNCABLE.items():
        assert errors[key].startswith(start), errors[key]
        assert "Traceback" not in errors[key] and len(errors[key]) < 300

    knowledge = stored("knowledge_references")
    journeys = stored("journey_templates")
    unsynced = {record_id for _, record_id in UNSYNCABLE}
    assert set(knowledge) == set(KnowledgeReference.objects.values_list("pk", flat=True)) - unsynced
    assert set(journeys) == set(JourneyTemplate.objects.values_list("pk", flat=True)) - unsynced
    for record_id in ODD_IDS:  # ids round-trip exactly, one by one too
        assert store_open("knowledge_references").metadatas([record_id]).keys() == {record_id}

    assert knowledge["k_plain_strings"][0].startswith("Peace of Mind\nPlain string content")
    assert knowledge["k_encoded"][1]["title_en"] == "Encoded title"
    assert knowledge["k_nulls"][1]["title"] == "Hanya bahasa Indonesia"
    assert "None" not in knowledge["k_nulls"][0]
    assert knowledge["k_wrong_types"][1]["tags"] == ["calm"]
    assert "languages" not in knowledge["k_wrong_types"][1]
    assert "source" not in knowledge["k_wrong_types"][1]
    assert "title" not in knowledge["k_json_null"][1]
    text, metadata = knowledge["k_huge"]
    assert len(text) == MAX_DOCUMENT_CHARS
    assert len(metadata["content_ar"]) == MAX_METADATA_CHARS
    text, metadata = knowledge["k_emoji_rtl"]
    assert metadata["title"] == "Calm 😌🕊️" and metadata["title_ar"] == "سلام القلب"
    assert metadata["title_he"] == "שלום" and ZERO_WIDTH in text
    assert knowledge["k_year_1"][1]["created_at"] == "0001-01-01T00:00:00.000Z"

    assert "Encoded goal" in journeys["j_encoded"][0]
    assert journeys["j_json_null"][1]["full_json"] == "null"
    assert "Breathe out slowly" in journeys["j_odd_steps"][0]
    assert "None" not in journeys["j_odd_steps"][0]
    assert len(journeys["j_huge"][1]["full_json"]) == MAX_METADATA_CHARS
    assert journeys["j_extreme_counts"][1]["match_count"] == 2_147_483_647
    assert journeys["j_extreme_counts"][1]["is_active"] is False
    assert journeys["j_negative_count"][1]["goal_keyword"] == "دعاء 🤲"

    # What was written is exactly what the rows give (cut values included): verify finds
    # only the rows that cannot be synced.
    report = sync_verify()
    drift = {source.source: source for source in report.sources}
    assert {(name, i) for name, d in drift.items() for i, _ in d.invalid} == set(UNSYNCABLE)
    assert all(not d.missing and not d.stale and not d.orphans for d in drift.values())


@pytest.mark.usefixtures("chroma")
def test_lone_surrogates_spelled_in_json_strings_sync_and_never_hold_the_watermark(
    make_knowledge: Any, make_journey: Any
) -> None:
    """PostgreSQL stores no lone surrogate, but a JSON-encoded string inside a value can
    spell one ("\\ud800"), and decoding it makes it real. Chroma refuses to store such a
    text or metadata value: the row was a record error at every run, each run ended
    partial and incremental runs kept re-reading from the row before it."""
    first = make_knowledge(id="k_before")
    make_knowledge(
        id="k_surrogates",
        title='{"en": "Calm \\ud800 heart", "id": "Hati \\udfff tenang"}',
        content='"Breathe \\ud83d slowly"',  # a high surrogate with no low one after it
    )
    make_journey(
        id="j_surrogates",
        full_json='{"goal": "Sleep \\udc00 well", "steps": [{"title": "Rest \\ud800"}]}',
    )
    last = make_knowledge(id="k_after")

    run = sync_run_execute(mode="incremental", trigger="cli")

    assert run.status == SyncRun.Status.SUCCEEDED, (run.error, list(run.record_errors.all()))
    assert not InvalidRow.objects.exists()
    knowledge = stored("knowledge_references")
    assert set(knowledge) == {"k_before", "k_surrogates", "k_after"}
    text, metadata = knowledge["k_surrogates"]
    assert (
        metadata["title_en"] == "Calm \ufffd heart" and metadata["title_id"] == "Hati \ufffd tenang"
    )
    assert "Breathe \ufffd slowly" in text
    assert "Sleep \ufffd well" in stored("journey_templates")["j_surrogates"][0]
    watermark = run.source_results.get(source="knowledge").watermark_after
    assert watermark is not None and watermark >= last.updated_at > first.updated_at
    again = sync_run_execute(mode="incremental", trigger="cli")
    assert again.status == SyncRun.Status.SUCCEEDED
    assert again.source_results.get(source="knowledge").upserted == 0
    assert sync_verify().clean


@pytest.mark.usefixtures("chroma")
def test_a_stray_document_whose_id_holds_nul_is_swept_not_a_failed_run(make_knowledge) -> None:
    """Chroma takes any id; PostgreSQL text holds no NUL, and binding one in the sweep's
    look-up failed it: every incremental and full sync of the source failed, and verify
    raised. Such a document (written by another program) has no row: an orphan."""
    make_knowledge(id="k1")
    sync_run_execute(mode="full", trigger="cli")
    vector = embed_query("stray")
    store = store_open("knowledge_references")
    store.collection.add(
        ids=["stray\x00id", "stray"], embeddings=[vector, vector], documents=["x", "y"]
    )
    drift = {d.source: d for d in sync_verify().sources}["knowledge"]
    assert sorted(drift.orphans) == ["stray", "stray\x00id"]

    run = sync_run_execute(mode="incremental", trigger="cli")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.source_results.get(source="knowledge").deleted == 2
    assert set(stored("knowledge_references")) == {"k1"}
    assert sync_verify().clean


@pytest.mark.usefixtures("chroma", "bad_rows")
def test_one_unreadable_record_is_a_clear_error_through_the_cli() -> None:
    outcome = sync_record(source="knowledge", record_id="k_updated_infinity", trigger="cli")
    assert outcome.action == "failed"
    assert outcome.error.startswith("the row cannot be read from PostgreSQL: timestamp too large")

    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("sync", "ref", "k_created_year_10000", "--json", stdout=out)
    assert error.value.returncode == 1
    body = json.loads(out.getvalue())
    assert body["action"] == "failed" and "cannot be read from PostgreSQL" in body["error"]


@pytest.mark.django_db
def test_a_batch_too_large_for_the_chroma_server_is_split(
    chroma_server: ChromaServer, make_knowledge: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # About 500 KB of metadata each (title, title_<lang> and content_ar at the cap): 100
    # of them are over the server's request limit (~40 MB) in one batch.
    count = 100
    for number in range(count):
        make_knowledge(
            id=f"k_big_{number:03}",
            title={"en": "e" * 200_000, "id": "i" * 200_000},
            content_ar="ا" * 200_000,
        )

    syncer_logger = logging.getLogger("syncer")  # does not propagate to caplog
    syncer_logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="syncer"):
            run = sync_run_execute(mode="full", trigger="cli", sources=["knowledge"])
    finally:
        syncer_logger.removeHandler(caplog.handler)

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert any(f"refused a add of {count} documents as too large" in m for m in caplog.messages)
    assert run.source_results.get().upserted == count
    assert store_open("knowledge_references").count() == count


@pytest.mark.django_db
def test_ids_over_the_servers_body_limit_are_split_in_every_bulk_call(
    chroma_server: ChromaServer, make_knowledge: Any
) -> None:
    """A Chroma 1.5 server refuses a request body over 40 MiB (HTTP 413). For add, upsert
    and update its client raises from the httpx error; for get and delete by ids it raises
    a bare ChromaError ("Failed to buffer the request body: length limit exceeded") that
    says nothing of 413: reads and deletes went unsplit and failed the run. Here every
    bulk call carries ~45 MB of ids (PostgreSQL's primary key holds a compressible id of
    220,000 characters)."""
    ids = [f"k_long_{number:03}_" + "a" * 220_000 for number in range(200)]
    for number, record_id in enumerate(ids):
        make_knowledge(id=record_id, title={"en": f"Long id number {number}"})
    store = store_open("knowledge_references")

    def full_sync(**expected: int) -> None:
        run = sync_run_execute(mode="full", trigger="cli", sources=["knowledge"])
        assert run.status == SyncRun.Status.SUCCEEDED, run.error
        counts = run.source_results.get()
        assert {name: getattr(counts, name) for name in expected} == expected

    full_sync(upserted=200)  # read ahead (get), add, read back (get)
    assert store.count() == 200
    KnowledgeReference.objects.update(status="PENDING")  # metadata only: update
    full_sync(metadata_updated=200)
    for row in KnowledgeReference.objects.all():
        touch(row, content={"en": f"New content of {row.title['en']}"})
    full_sync(upserted=200)  # a changed text: upsert
    assert {m["status"] for m in store.metadatas(ids).values()} == {"PENDING"}
    assert sync_verify(sources=["knowledge"]).clean  # records (get) of every id
    KnowledgeReference.objects.all().delete()
    full_sync(deleted=200)  # the sweep deletes them by id
    assert store.count() == 0 and sync_verify(sources=["knowledge"]).clean


# --- rows that would break a Chroma collection (bench/experiments/chroma_metadata_limits.py) --

OVER_CHROMAS_LIMITS = {
    ("knowledge", "k_10000_tags"): "DocumentError: tags has 10,000 items; halasync keeps at "
    "most 1,000: shorten the row's tags in the source application",
    ("knowledge", "k_6000_titles"): "DocumentError: the row gives 6,011 metadata keys",
    ("knowledge", "k_long_tags"): "DocumentError: tags has 120,000 characters in all",
    ("journeys", "j_10000_tags"): "DocumentError: tags has 10,000 items",
}


@pytest.mark.django_db
def test_rows_over_chromas_limits_are_refused_and_the_collections_stay_healthy(
    any_chroma: Any, make_knowledge: Any, make_journey: Any
) -> None:
    """Chroma accepted a row with 10,000 tags, then failed every later write to the
    collection, and every read after a restart: such rows must never be sent."""
    make_knowledge(id="k_10000_tags", tags=[f"tag{number}" for number in range(10_000)])
    make_knowledge(id="k_6000_titles", title={f"en-x{n}": f"Title {n}" for n in range(6_000)})
    make_knowledge(id="k_long_tags", tags=["a" * 60_000, "b" * 60_000])
    make_journey(id="j_10000_tags", tags=[f"tag{number}" for number in range(10_000)])
    for number in range(3):
        make_knowledge(id=f"k_ok_{number}", title={"en": f"Calm heart number {number}"})
        make_journey(id=f"j_ok_{number}")

    run = sync_run_execute(mode="full", trigger="cli")

    assert run.status != SyncRun.Status.FAILED and not run.error, run.error
    knowledge, journeys = store_open("knowledge_references"), store_open("journey_templates")
    assert set(stored("knowledge_references")) == {"k_ok_0", "k_ok_1", "k_ok_2"}
    assert set(stored("journey_templates")) == {"j_ok_0", "j_ok_1", "j_ok_2"}
    drift = {d.source: d for d in sync_verify().sources}  # says why each row is refused
    reasons = {(name, i): why for name, d in drift.items() for i, why in d.invalid}
    assert set(reasons) == set(OVER_CHROMAS_LIMITS)
    for key, start in OVER_CHROMAS_LIMITS.items():
        assert reasons[key].startswith(start), reasons[key]

    # The collections take writes and answer reads, before and after reopening.
    changed = KnowledgeReference.objects.get(pk="k_ok_0")
    touch(changed, title={"en": "A changed title"})
    make_knowledge(id="k_ok_new", title={"en": "Written after the hostile rows"})
    make_journey(id="j_ok_new")
    run = sync_run_execute(mode="incremental", trigger="cli")
    assert run.status != SyncRun.Status.FAILED and not run.error, run.error
    for _ in range(2):
        assert knowledge.count() == 4 and journeys.count() == 4
        assert knowledge.records(["k_ok_0"])["k_ok_0"][1]["title"] == "A changed title"
        vector = embed_query("Written after the hostile rows")
        assert knowledge.query(embedding=vector, where=None, limit=1)[0]["id"] == "k_ok_new"
        assert len(journeys.query(embedding=vector, where=None, limit=4)) == 4
        any_chroma()  # reopen
        knowledge, journeys = store_open("knowledge_references"), store_open("journey_templates")

    # Once the rows are fixed at their source, they sync, and verify is clean.
    for row in KnowledgeReference.objects.filter(pk__in=["k_10000_tags", "k_long_tags"]):
        touch(row, tags=["calm", "patience"])
    touch(KnowledgeReference.objects.get(pk="k_6000_titles"), title={"en": "One title"})
    touch(JourneyTemplate.objects.get(pk="j_10000_tags"), tags=["calm"])
    run = sync_run_execute(mode="incremental", trigger="cli")
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert sync_verify().clean


@pytest.mark.usefixtures("chroma")
def test_an_invalid_row_with_an_id_longer_than_a_btree_entry_is_recorded(make_journey) -> None:
    """PostgreSQL refuses a btree entry over 2,704 bytes (54000). The source's primary key
    holds an id of 2,688 bytes; a unique index on (source, id) did not, and recording such
    an invalid row failed the run."""
    # As long as the source's own index allows, in characters that do not compress
    # (PostgreSQL compresses index entries).
    long_id = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(42))[:2_688]
    make_journey(id=long_id, goal_keyword="", tags=[], full_json={}, searchable_text=None)
    make_journey(id="j_fine")

    run = sync_run_execute(mode="full", trigger="cli", sources=["journeys"])

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert list(InvalidRow.objects.values_list("record_id", flat=True)) == [long_id]
    again = sync_run_execute(mode="full", trigger="cli", sources=["journeys"])
    assert again.status == SyncRun.Status.SUCCEEDED, again.error
    assert InvalidRow.objects.count() == 1
    JourneyTemplate.objects.filter(pk=long_id).delete()
    sync_run_execute(mode="full", trigger="cli", sources=["journeys"])
    assert not InvalidRow.objects.exists()


@pytest.mark.usefixtures("chroma")
def test_a_row_whose_metadata_totals_too_much_is_an_invalid_row(make_knowledge) -> None:
    """Each value under its own cap, all of them together megabytes: the Chroma server
    refused such a record (HTTP 413) at every run; it is an invalid row saying what to fix."""
    languages = [f"x{chr(97 + n)}" for n in range(15)]  # xa, xb, ...
    make_knowledge(id="k_many_long_titles", title=dict.fromkeys(languages, "t" * 100_000))
    make_knowledge(id="k_fine")

    run = sync_run_execute(mode="full", trigger="cli", sources=["knowledge"])

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    row = InvalidRow.objects.get()
    assert row.record_id == "k_many_long_titles"
    assert row.reason.startswith("the row's metadata totals 1,600,")
    assert "(largest: title 100,000, title_xa 100,000" in row.reason
    assert "shorten those values or remove languages" in row.reason
    assert set(stored("knowledge_references")) == {"k_fine"}


@pytest.mark.usefixtures("chroma")
def test_a_read_refused_as_too_large_is_asked_for_in_halves(make_knowledge, monkeypatch) -> None:
    """A Chroma server refuses a request over its body limit (413) for reads too (many
    long ids). Injected: an embedded collection cannot answer 413."""
    import httpx

    for number in range(8):
        make_knowledge(id=f"k_read_{number}")
    sync_run_execute(mode="full", trigger="cli", sources=["knowledge"])
    store = store_open("knowledge_references")
    real_get = store.collection.get
    sizes: list[int] = []

    def get(*, ids: list[str], **kwargs: Any) -> Any:
        sizes.append(len(ids))
        if len(ids) > 2:
            request = httpx.Request("POST", "http://chroma.invalid/get")
            response = httpx.Response(413, request=request)
            try:
                raise httpx.HTTPStatusError("413", request=request, response=response)
            except httpx.HTTPStatusError as exc:
                raise Exception("Payload Too Large") from exc
        return real_get(ids=ids, **kwargs)

    monkeypatch.setattr(store.collection, "get", get)
    ids = [f"k_read_{number}" for number in range(8)]
    assert set(store.metadatas(ids)) == set(ids)
    assert set(store.records(ids)) == set(ids)
    assert sizes[:7] == [8, 4, 2, 2, 4, 2, 2]
