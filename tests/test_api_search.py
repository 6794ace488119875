"""GET /api/v1/search/knowledge-references and /search/journey-templates: ranking with the
real model (marked `model`), filters with whichever model embeds."""

from __future__ import annotations

import pytest

from syncer.services.runs import sync_run_execute
from syncer.services.search import MAX_LIMIT

KNOWLEDGE_URL = "/api/v1/search/knowledge-references"
JOURNEY_URL = "/api/v1/search/journey-templates"


@pytest.fixture
def synced(make_knowledge, make_journey, chroma):
    make_knowledge(
        id="ref_anxiety",
        category="VERSE",
        title={"en": "Hearts find rest in remembrance", "id": "Hati menjadi tenang"},
        content={"en": "Verily, in the remembrance of God do hearts find rest from anxiety."},
        tags=["anxiety", "peace"],
        languages=["en", "id"],
    )
    make_knowledge(
        id="ref_budget",
        category="STRATEGY",
        title={"en": "Plan a monthly household budget"},
        content={"en": "Write down income and expenses; save a fixed share every month."},
        tags=["money"],
        languages=["en"],
    )
    make_journey(
        id="tpl_sleep",
        goal_keyword="sleep better",
        tags=["sleep"],
        full_json={"goal": {"en": "Fall asleep calmly every night"}, "steps": []},
    )
    make_journey(
        id="tpl_sleep_old",
        goal_keyword="sleep without worry",
        tags=["sleep"],
        is_active=False,
        full_json={"goal": {"en": "Sleep peacefully without worrying"}, "steps": []},
    )
    sync_run_execute(mode="full", trigger="cli")


@pytest.mark.model
def test_knowledge_search_ranks_by_meaning(api, synced):
    response = api.get(KNOWLEDGE_URL, {"q": "my heart is restless and worried"})

    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "my heart is restless and worried"
    assert [hit["id"] for hit in body["results"]] == ["ref_anxiety", "ref_budget"]
    best = body["results"][0]
    assert best["type"] == "knowledge"
    assert 0 <= best["distance"] < body["results"][1]["distance"]
    assert "remembrance" in best["document"]
    assert best["metadata"]["category"] == "VERSE"
    assert best["metadata"]["tags"] == ["anxiety", "peace"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "STRATEGY"}, ["ref_budget"]),
        ({"tag": "anxiety"}, ["ref_anxiety"]),
        ({"language": "id"}, ["ref_anxiety"]),
        ({"status": "DRAFT"}, []),
        # The nearest of both: which one that is depends on meaning.
        pytest.param({"limit": "1"}, ["ref_anxiety"], marks=pytest.mark.model),
        ({"category": "VERSE", "tag": "money"}, []),
    ],
)
def test_knowledge_filters(api, synced, params, expected):
    response = api.get(KNOWLEDGE_URL, {"q": "anxious heart", **params})

    assert response.status_code == 200
    assert [hit["id"] for hit in response.json()["results"]] == expected


def test_journey_search_is_active_only_unless_asked(api, synced):
    active = api.get(JOURNEY_URL, {"q": "cannot sleep at night"}).json()["results"]
    everything = api.get(JOURNEY_URL, {"q": "cannot sleep at night", "active_only": "false"})

    assert [hit["id"] for hit in active] == ["tpl_sleep"]
    assert sorted(hit["id"] for hit in everything.json()["results"]) == [
        "tpl_sleep",
        "tpl_sleep_old",
    ]
    assert all(hit["type"] == "journeys" for hit in everything.json()["results"])
    assert api.get(JOURNEY_URL, {"q": "sleep", "tag": "money"}).json()["results"] == []


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (KNOWLEDGE_URL, {}, "q"),
        (KNOWLEDGE_URL, {"q": ""}, "q"),
        (KNOWLEDGE_URL, {"q": "   "}, "q"),
        (KNOWLEDGE_URL, {"q": "x" * 2001}, "q"),
        (KNOWLEDGE_URL, {"q": "calm", "limit": "0"}, "limit"),
        (KNOWLEDGE_URL, {"q": "calm", "limit": str(MAX_LIMIT + 1)}, "limit"),
        (KNOWLEDGE_URL, {"q": "calm", "limit": "ten"}, "limit"),
        (KNOWLEDGE_URL, {"q": "calm", "tags": "anxiety"}, "tags"),
        (KNOWLEDGE_URL, {"q": "calm", "active_only": "true"}, "active_only"),
        (KNOWLEDGE_URL, {"q": "calm", "tag": ""}, "tag"),
        (KNOWLEDGE_URL, {"q": ["calm", "peace"]}, "q"),
        (JOURNEY_URL, {"q": "calm", "active_only": "yes"}, "active_only"),
        (JOURNEY_URL, {"q": "calm", "category": "VERSE"}, "category"),
    ],
)
def test_bad_search_parameters_are_400(api, chroma, url, params, field):
    response = api.get(url, params)

    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and field in body["detail"]


def test_search_before_any_sync_is_503_without_paths(api, chroma):
    response = api.get(KNOWLEDGE_URL, {"q": "calm"})

    assert response.status_code == 503
    assert "sync full" in response.json()["detail"]
    assert chroma not in response.content.decode()


@pytest.mark.model
def test_search_when_the_model_cannot_be_prepared_is_503_without_paths(
    api, synced, settings, tmp_path
):
    # A cache directory that cannot be created (a file stands where its parent should be).
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.EMBEDDING_CACHE_DIR = blocker / "models"

    response = api.get(KNOWLEDGE_URL, {"q": "calm"})

    assert response.status_code == 503
    assert "prepare_models" in response.json()["detail"]
    assert str(tmp_path) not in response.content.decode()
