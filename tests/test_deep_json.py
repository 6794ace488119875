"""JSONB that Python cannot decode (nesting thousands of levels deep, a number of thousands
of digits) or that nests too deep to convert: an invalid row with a reason wherever rows
are read (full, incremental, single-record sync, verify, the admin's list and detail),
never a crashed run or page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.utils import quote
from django.db import connection
from django.test import Client
from django.urls import reverse

from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer.models import InvalidRow, SyncRun
from syncer.services.records import sync_record
from syncer.services.runs import sync_run_execute
from syncer.services.verify import sync_verify
from syncer.sources import JOURNEYS, KNOWLEDGE
from syncer.store import store_open
from tests.conftest import touch


def set_raw_json(model: Any, column: str, record_id: str, json_text: str) -> None:
    """Write JSON text the ORM could not load back (the other application can)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s::jsonb WHERE id = %s", [json_text, record_id]
        )


def nested_list(depth: int) -> str:
    return "[" * depth + '"deep"' + "]" * depth


# Beyond what Python's json decodes (about 1,000 levels): psycopg/Django cannot load the row.
UNDECODABLE_DEPTH = 5_000


@pytest.fixture
def hostile_json(make_knowledge: Any, make_journey: Any) -> None:
    make_knowledge(id="k_good")
    make_knowledge(id="k_too_deep_to_load")
    set_raw_json(KnowledgeReference, "title", "k_too_deep_to_load", nested_list(UNDECODABLE_DEPTH))
    make_knowledge(id="k_huge_number")
    set_raw_json(KnowledgeReference, "content", "k_huge_number", "[" + "9" * 5_000 + "]")
    make_journey(id="j_good")
    # Loads (under Python's limit) but nests far beyond what a journey holds.
    make_journey(id="j_deep", full_json={"goal": "Deep", "steps": [], "x": [[[]]]})
    set_raw_json(JourneyTemplate, "full_json", "j_deep", nested_list(900))
    # A JSON-encoded string inside the JSON that nests deeper than Python decodes.
    make_journey(id="j_deep_string", full_json={"goal": nested_list(UNDECODABLE_DEPTH)})


BAD = {"k_too_deep_to_load", "k_huge_number", "j_deep", "j_deep_string"}


def _invalid() -> dict[str, str]:
    return {row.record_id: f"{row.error_type}: {row.reason}" for row in InvalidRow.objects.all()}


@pytest.mark.usefixtures("chroma", "hostile_json")
def test_full_incremental_and_single_syncs_record_hostile_json_as_invalid_rows() -> None:
    run = sync_run_execute(mode="full", trigger="cli")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    invalid = _invalid()
    assert set(invalid) == BAD
    assert "deeper than Python can decode" in invalid["k_too_deep_to_load"]
    assert "cannot decode" in invalid["k_huge_number"]
    assert "nests more than" in invalid["j_deep"] and "levels" in invalid["j_deep"]
    assert "full_json" in invalid["j_deep_string"]
    assert all("Traceback" not in reason and len(reason) < 400 for reason in invalid.values())
    assert set(store_open(KNOWLEDGE.collection_name).metadatas(["k_good"])) == {"k_good"}
    assert set(store_open(JOURNEYS.collection_name).metadatas(["j_good"])) == {"j_good"}

    # Incremental re-reads them (touched) without failing either.
    touch(KnowledgeReference.objects.only("id", "updated_at", "created_at").get(pk="k_good"))
    run = sync_run_execute(mode="incremental", trigger="cli")
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert set(_invalid()) == BAD

    # One record: a clear failure of that record, not a crash.
    outcome = sync_record(source="knowledge", record_id="k_too_deep_to_load", trigger="cli")
    assert outcome.action == "failed"
    assert "deeper than Python can decode" in outcome.error
    outcome = sync_record(source="journeys", record_id="j_deep", trigger="cli")
    assert outcome.action == "failed" and "levels" in outcome.error

    report = sync_verify()
    found = {i for drift in report.sources for i, _ in drift.invalid}
    assert found == BAD
    assert all(not d.missing and not d.stale and not d.orphans for d in report.sources)


@pytest.mark.usefixtures("chroma", "hostile_json")
def test_admin_pages_show_rows_python_cannot_decode(admin_client: Client) -> None:
    sync_run_execute(mode="full", trigger="cli")

    listing = admin_client.get(reverse("admin:knowledge_knowledgereference_changelist"))
    assert listing.status_code == 200
    assert "k_too_deep_to_load" in listing.content.decode()
    for model, record_id in [
        ("knowledge_knowledgereference", "k_too_deep_to_load"),
        ("knowledge_knowledgereference", "k_huge_number"),
        ("journeys_journeytemplate", "j_deep"),
    ]:
        page = admin_client.get(reverse(f"admin:{model}_change", args=[quote(record_id)]))
        assert page.status_code == 200, record_id
        assert "cannot become a document" in page.content.decode(), record_id
    journeys = admin_client.get(reverse("admin:journeys_journeytemplate_changelist"))
    assert journeys.status_code == 200
