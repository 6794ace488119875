"""POST /api/v1/sync/knowledge-reference/<id> and /sync/journey-template/<id>."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from syncer.models import SyncRun
from syncer.sources import JOURNEYS, KNOWLEDGE
from syncer.store import store_open
from tests.conftest import touch

KNOWLEDGE_URL = "/api/v1/sync/knowledge-reference/"
JOURNEY_URL = "/api/v1/sync/journey-template/"

# Every printable character but "/" may be part of an id (DESIGN.md); these arrive
# percent-encoded and must reach the service exactly as they are in PostgreSQL.
AWKWARD_IDS = [
    "with space",
    "q?x=1&y=2#fragment",
    "100%25 literal %2F and %",
    "plus+semi;colon,comma:colon@at",
    "ünïcödé-ключ-مفتاح-键",
    "emoji-😀-zero\u200bwidth",
    "quotes-'\"-back\\slash-<tag>",
    "  leading and trailing  ",
    "x" * 300,
]


def url_for(base: str, record_id: str) -> str:
    return base + quote(record_id, safe="")


def test_record_actions_follow_the_row(api, make_knowledge, make_journey, chroma):
    ref = make_knowledge()
    template = make_journey()

    first = api.post(url_for(KNOWLEDGE_URL, ref.id))
    assert first.status_code == 200, first.content
    assert first.json() == {
        "id": ref.id,
        "action": "upserted",
        "run": first.json()["run"],
        "error": None,
    }
    run = SyncRun.objects.get(pk=first.json()["run"])
    assert (run.mode, run.trigger, run.record_id) == ("single", "api", ref.id)

    assert api.post(url_for(KNOWLEDGE_URL, ref.id)).json()["action"] == "unchanged"

    assert api.post(url_for(JOURNEY_URL, template.id)).json()["action"] == "upserted"
    touch(template, match_count=7)
    assert api.post(url_for(JOURNEY_URL, template.id)).json()["action"] == "metadata_updated"
    assert (
        store_open(JOURNEYS.collection_name).metadatas([template.id])[template.id]["match_count"]
        == 7
    )

    touch(ref, status="REJECTED")
    assert api.post(url_for(KNOWLEDGE_URL, ref.id)).json()["action"] == "deleted"
    assert store_open(KNOWLEDGE.collection_name).count() == 0

    template_id = template.id
    template.delete()
    assert api.post(url_for(JOURNEY_URL, template_id)).json()["action"] == "deleted"
    # Gone from both sides now.
    gone = api.post(url_for(JOURNEY_URL, template_id))
    assert gone.status_code == 404
    assert "neither in PostgreSQL nor in Chroma" in gone.json()["detail"]


def test_awkward_ids_round_trip(api, make_knowledge, make_journey, chroma):
    for record_id in AWKWARD_IDS:
        make_knowledge(id=record_id)
        make_journey(id=record_id)

    for base, source in ((KNOWLEDGE_URL, KNOWLEDGE), (JOURNEY_URL, JOURNEYS)):
        for record_id in AWKWARD_IDS:
            response = api.post(url_for(base, record_id))
            assert response.status_code == 200, (record_id, response.content)
            assert response.json()["id"] == record_id
            assert response.json()["action"] == "upserted"
        stored = store_open(source.collection_name).metadatas(AWKWARD_IDS)
        assert sorted(stored) == sorted(AWKWARD_IDS)
    runs = SyncRun.objects.filter(mode="single").values_list("record_id", flat=True)
    assert sorted(runs) == sorted(AWKWARD_IDS * 2)


@pytest.mark.parametrize("record_id", ["nope", "with space?&#", "x" * 300, "ключ", "nul\x00byte"])
def test_unknown_ids_are_404(api, chroma, record_id):
    for base in (KNOWLEDGE_URL, JOURNEY_URL):
        response = api.post(url_for(base, record_id))
        assert response.status_code == 404
        assert response.json()["detail"]
    assert not SyncRun.objects.exists()


@pytest.mark.parametrize("path", ["a%2Fb", "a/b", ""])
def test_a_slash_or_nothing_matches_no_endpoint(api, chroma, path):
    response = api.post(KNOWLEDGE_URL + path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_row_that_cannot_become_a_document_is_422(api, make_journey, chroma):
    # Nothing to embed: no goal keyword, no tags, an empty full_json.
    broken = make_journey(goal_keyword="", tags=[], full_json={}, searchable_text=None)

    response = api.post(url_for(JOURNEY_URL, broken.id))

    assert response.status_code == 422
    body = response.json()
    assert body["id"] == broken.id and body["action"] == "failed"
    assert "no text to embed" in body["error"] and "no text to embed" in body["detail"]
    run = SyncRun.objects.get(pk=body["run"])
    assert run.status == "partial"
    assert run.record_errors.get().record_id == broken.id


def test_409_when_a_sync_holds_the_source(api, make_knowledge, chroma, settings):
    from syncer.locks import sync_lock

    settings.SYNC_LOCK_WAIT_SECONDS = 0.2
    ref = make_knowledge()
    with sync_lock(["knowledge"]):
        response = api.post(url_for(KNOWLEDGE_URL, ref.id))

    assert response.status_code == 409
    assert "another sync of knowledge is running" in response.json()["detail"]
    assert "run_id" in response.json()
