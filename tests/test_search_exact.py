"""Exact look-ups through the real search service, API and CLI, with real Chroma and the
configured model: a query naming a row the way users write it gets that row first."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from syncer.services.runs import sync_run_execute
from syncer.services.search import SearchFilters, search_documents
from syncer.sources import JOURNEYS, KNOWLEDGE
from tests.conftest import touch

pytestmark = pytest.mark.usefixtures("chroma")


@pytest.fixture
def library(chroma, make_knowledge, make_journey) -> dict[str, object]:
    rows = {
        "patience": make_knowledge(
            id="v_patience",
            category="VERSE",
            source="QS. Al-Baqarah 2:153",
            title={"id": "Mohon pertolongan dengan sabar dan salat", "en": "Seek help"},
            content={"en": "O you who believe, seek help through patience and prayer."},
            content_ar="يَا أَيُّهَا الَّذِينَ آمَنُوا اسْتَعِينُوا بِالصَّبْرِ وَالصَّلَاةِ",
            tags=["patience"],
        ),
        # Near misses: the same surah, the next verses, the neighbouring hadith number.
        "trial": make_knowledge(
            id="v_trial",
            category="VERSE",
            source="QS. Al-Baqarah 2:155",
            title={"en": "We will test you with fear and hunger"},
            content={"en": "Give good tidings to the patient, tested with loss."},
            tags=["patience"],
        ),
        "ease": make_knowledge(
            id="v_ease",
            category="VERSE",
            source="QS. Al-Insyirah 94:5-6",
            title={"en": "With hardship comes ease"},
            content={"en": "Indeed, with hardship comes ease."},
            content_ar="فَإِنَّ مَعَ الْعُسْرِ يُسْرًا إِنَّ مَعَ الْعُسْرِ يُسْرًا",
        ),
        "anger": make_knowledge(
            id="h_anger",
            category="HADITH",
            source="HR. Bukhari no. 6116",
            title={"en": "Do not become angry"},
            content={"en": "A man asked for advice; he said three times: do not be angry."},
            tags=["anger"],
        ),
        "strength": make_knowledge(
            id="h_strength",
            category="HADITH",
            source="HR. Bukhari no. 6114",
            title={"en": "The strong one controls himself when angry"},
            content={"en": "Strength is not in wrestling but in self-control in anger."},
            tags=["anger"],
        ),
        "ease_brother": make_knowledge(
            id="h_relief",
            category="HADITH",
            source="Sahih Muslim 2699",
            title={"en": "Whoever relieves a believer's distress"},
            content={"en": "Allah relieves the distress of whoever relieves another's."},
        ),
        "leaving": make_knowledge(
            id="d_leaving",
            category="DUA",
            source="HR. Tirmidzi no. 3426",
            title={"id": "Doa keluar rumah", "en": "Leaving the house"},
            content={"en": "Said when stepping out of the door."},
            content_ar="بِسْمِ اللَّهِ تَوَكَّلْتُ عَلَى اللَّهِ، لَا حَوْلَ وَلَا قُوَّةَ إِلَّا بِاللَّهِ",
        ),
        "distress": make_knowledge(
            id="d_distress",
            category="DUA",
            source="HR. Abu Dawud no. 1525",
            title={"en": "Dua in distress"},
            content={"en": "Allah, Allah is my Lord; I associate nothing with Him."},
            content_ar="اللَّهُ اللَّهُ رَبِّي لَا أُشْرِكُ بِهِ شَيْئًا",
        ),
        "sleep": make_knowledge(
            id="s_sleep",
            category="STRATEGY",
            source="Sleep hygiene",
            title={"en": "Wind down before bed"},
            content={"en": "Screens away an hour before bed; the same bedtime each night."},
            tags=["sleep"],
        ),
        "detox": make_journey(
            id="j_detox",
            goal_keyword="Digital Detox",
            full_json={"goal": {"en": "Less scrolling, more presence"}, "steps": []},
        ),
        "sleep_journey": make_journey(
            id="j_sleep",
            goal_keyword="sleep",
            full_json={"goal": {"en": "Calm nights without a phone in bed"}, "steps": []},
        ),
        "detox_old": make_journey(
            id="j_detox_old",
            goal_keyword="screen fast",
            is_active=False,
            full_json={"goal": {"en": "Old version of the detox journey"}, "steps": []},
        ),
    }
    sync_run_execute(mode="full", trigger="cli")
    return rows


def search(query: str, *, sources=(KNOWLEDGE,), limit: int = 5, **filters) -> list[dict]:
    return search_documents(
        query=query, sources=list(sources), filters=SearchFilters(**filters), limit=limit
    )


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("QS. 2:153", "v_patience"),
        ("QS 2:153", "v_patience"),
        ("Q.S. Al-Baqarah: 153", "v_patience"),
        ("2:153", "v_patience"),
        ("Al-Baqarah 153", "v_patience"),
        ("surah al baqarah ayat 153", "v_patience"),
        ("البقرة ١٥٣", "v_patience"),
        ("[البقرة: 155]", "v_trial"),
        ("QS 94:6", "v_ease"),
        ("Alam Nasyrah 5", "v_ease"),
        ("HR. Bukhari 6116", "h_anger"),
        ("Bukhari no. 6114", "h_strength"),
        ("bukhari 6116", "h_anger"),
        ("صحيح البخاري ٦١١٦", "h_anger"),
        ("HR Muslim no. 2699", "h_relief"),
        ("Abu Daud 1525", "d_distress"),
        # A du'a's first words, typed bare, with other letter forms, or vocalised.
        ("بسم الله توكلت على الله", "d_leaving"),
        ("بِسْمِ اللهِ تَوَكَّلتُ عَلي اللّٰه", "d_leaving"),
        ("اللَّهُ اللَّهُ رَبِّي", "d_distress"),
        ("لا حول ولا قوة إلا بالله", "d_leaving"),
        # Copied from a PDF (presentation forms) or with invisible marks (RLM, ZWJ).
        ("ﺑﺴﻢ ﺍﻟﻠﻪ ﺗﻮﻛﻠﺖ ﻋﻠﻰ ﺍﻟﻠﻪ", "d_leaving"),
        ("\u200fلا حول ولا قو\u200dة\u200f", "d_leaving"),
        ("ﺍﻟﺒﻘﺮﺓ ١٥٣", "v_patience"),
    ],
)
def test_a_named_reference_comes_first(query: str, expected: str) -> None:
    hits = search(query)
    assert hits[0]["id"] == expected, [hit["id"] for hit in hits]
    assert hits[0]["match"] == "exact"
    # Exact hits are the named rows only; the rest of the list is the semantic ranking.
    assert [hit["id"] for hit in hits if hit["match"] == "exact"] == [expected]
    assert len({hit["id"] for hit in hits}) == len(hits)


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize("query", ["digital detox", "Digital-Detox", "DIGITAL DETOX "])
def test_a_journeys_goal_keyword_comes_first(query: str) -> None:
    hits = search(query, sources=[JOURNEYS], active_only=True)
    assert [hit["id"] for hit in hits][:1] == ["j_detox"]
    assert hits[0]["match"] == "exact"


@pytest.mark.usefixtures("library")
def test_a_goal_keyword_matches_written_apart_or_joined(make_journey) -> None:
    """Indonesian doubles words (``was-was``), English hyphenates (``self-care``): the
    row's keyword and the query may write it either way, apart or joined."""
    make_journey(
        id="j_waswas",
        goal_keyword="waswas",
        full_json={"goal": {"id": "Tenang dari keraguan saat bersuci"}, "steps": []},
    )
    make_journey(
        id="j_selfcare",
        goal_keyword="self-care",
        full_json={"goal": {"en": "Small kindnesses to yourself"}, "steps": []},
    )
    sync_run_execute(mode="full", trigger="cli")
    for query, expected in [
        ("was-was", "j_waswas"),
        ("Was Was", "j_waswas"),
        ("selfcare", "j_selfcare"),
        ("Self Care", "j_selfcare"),
    ]:
        hits = search(query, sources=[JOURNEYS])
        assert (hits[0]["id"], hits[0]["match"]) == (expected, "exact"), (query, hits)


@pytest.mark.usefixtures("library")
def test_a_reference_query_across_both_sources_puts_the_named_row_first() -> None:
    hits = search("QS 2:155", sources=[KNOWLEDGE, JOURNEYS], limit=20)
    assert hits[0]["id"] == "v_trial" and hits[0]["type"] == "knowledge"
    # Then every other row of both collections, once, by distance.
    assert len(hits) == 12 and {hit["type"] for hit in hits[1:]} == {"knowledge", "journeys"}
    distances = [hit["distance"] for hit in hits[1:]]
    assert distances == sorted(distances)


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize(
    "query", ["how do I stop losing my temper", "I can't sleep at night", "sabar"]
)
def test_a_query_that_names_nothing_is_ranked_by_meaning_alone(query: str) -> None:
    hits = search(query, sources=[KNOWLEDGE, JOURNEYS], limit=10)
    assert {hit["match"] for hit in hits} == {"semantic"}
    distances = [hit["distance"] for hit in hits]
    assert distances == sorted(distances)


@pytest.mark.usefixtures("library")
def test_filters_apply_to_exact_hits() -> None:
    assert search("QS 2:153", category="VERSE")[0]["id"] == "v_patience"
    assert "v_patience" not in [hit["id"] for hit in search("QS 2:153", category="HADITH")]
    assert "v_patience" not in [hit["id"] for hit in search("QS 2:153", tag="anger")]
    assert search("Bukhari 6116", tag="anger")[0]["id"] == "h_anger"
    assert "d_leaving" not in [hit["id"] for hit in search("بسم الله توكلت", category="VERSE")]
    # An inactive template named by its keyword stays out unless inactive ones are asked for.
    active = search("screen fast", sources=[JOURNEYS], active_only=True)
    assert "j_detox_old" not in [hit["id"] for hit in active]
    everything = search("screen fast", sources=[JOURNEYS])
    assert everything[0]["id"] == "j_detox_old" and everything[0]["match"] == "exact"


def test_lookup_keys_follow_the_row_through_syncs(library) -> None:
    assert search("QS 2:153")[0]["id"] == "v_patience"
    touch(library["patience"], source="QS. Al-Baqarah 2:45")
    sync_run_execute(mode="incremental", trigger="cli")
    assert search("QS 2:45")[0]["id"] == "v_patience"
    assert "v_patience" not in [h["id"] for h in search("QS 2:153") if h["match"] == "exact"]
    library["anger"].delete()
    sync_run_execute(mode="incremental", trigger="cli")
    assert "h_anger" not in [hit["id"] for hit in search("HR. Bukhari 6116")]


@pytest.mark.usefixtures("library")
def test_the_api_puts_the_named_row_first(api) -> None:
    response = api.get("/api/v1/search/knowledge-references", {"q": "Q.S. Al-Baqarah: 155"})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert (first["id"], first["match"]) == ("v_trial", "exact")
    response = api.get("/api/v1/search/journey-templates", {"q": "digital detox"})
    assert response.json()["results"][0]["id"] == "j_detox"


@pytest.mark.usefixtures("library")
def test_the_cli_puts_the_named_row_first() -> None:
    out = io.StringIO()
    call_command(
        "sync", "search", "hadits bukhari no 6114", "--type", "knowledge", "--json", stdout=out
    )
    first = json.loads(out.getvalue())["results"][0]
    assert (first["id"], first["match"]) == ("h_strength", "exact")
    out = io.StringIO()
    call_command("sync", "search", "يا أيها الذين آمنوا استعينوا بالصبر", stdout=out)
    first = out.getvalue().splitlines()[0]
    assert first.split()[3] == "v_patience" and first.endswith("(exact match)")
