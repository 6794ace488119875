"""The admins under hostile rows and query strings: every list and detail page of the
source tables renders (a value Python cannot hold is shown as such), and a bad query
parameter, there or on the run history, is answered the way Django's admin answers an
invalid lookup (a redirect to ``?e=1``) or is ignored, never with a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.utils import quote
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer import admin_sources
from syncer.models import SyncRun
from syncer.sources import JOURNEYS, KNOWLEDGE
from syncer.store import store_open

KNOWLEDGE_LIST = "admin:knowledge_knowledgereference_changelist"
JOURNEY_LIST = "admin:journeys_journeytemplate_changelist"
RUN_LIST = "admin:syncer_syncrun_changelist"

pytestmark = pytest.mark.django_db

UNREADABLE_KNOWLEDGE = {
    # id: ("createdAt", "updatedAt") as PostgreSQL holds them
    "k_updated_infinity": ("2026-01-01", "infinity"),
    "k_updated_year_12000": ("2026-01-01", "12000-01-01 08:00"),
    "k_created_minus_infinity": ("-infinity", "2026-01-02"),
    "k_created_bc": ("0044-03-15 BC", "2026-01-03"),
}


def raw_row(model: Any, record_id: str, *, created_at: str, updated_at: str) -> None:
    """A row with timestamps Python cannot hold (the ORM could not write them either)."""
    table = connection.ops.quote_name(model._meta.db_table)
    if model is KnowledgeReference:
        columns = "id, category, source, title, content"
        values = "%s, 'VERSE', 's', '{\"en\": \"Unreadable title\"}', '\"c\"'"
    else:
        columns = "id, goal_keyword, full_json"
        values = "%s, 'unreadable goal', '{\"goal\": \"g\"}'"
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ({columns}, "createdAt", "updatedAt") '
            f"VALUES ({values}, %s::timestamp(3), %s::timestamp(3))",
            [record_id, created_at, updated_at],
        )


@pytest.fixture
def hostile(make_knowledge: Any, make_journey: Any) -> None:
    for record_id, (created_at, updated_at) in UNREADABLE_KNOWLEDGE.items():
        raw_row(KnowledgeReference, record_id, created_at=created_at, updated_at=updated_at)
    raw_row(JourneyTemplate, "j_updated_infinity", created_at="2026-01-01", updated_at="infinity")
    make_knowledge(id="k_readable")
    make_knowledge(id="k_null_elements", tags=["calm", None], languages=["en", None])
    make_journey(id="j_readable")
    make_journey(id="j_list_json", full_json=[1, None], tags=[None], languages=[None])


@pytest.fixture
def collections(chroma: str) -> None:
    """Empty collections: a row's state is then "missing", or "invalid" when it cannot
    become a document."""
    store_open(KNOWLEDGE.collection_name)
    store_open(JOURNEYS.collection_name)


def _states(response: Any) -> dict[str, str]:
    return {
        row.pk: admin_sources._state_name(row.chroma_state)
        for row in response.context["cl"].result_list
    }


@pytest.mark.usefixtures("collections", "hostile")
def test_lists_show_rows_whose_timestamps_python_cannot_hold(admin_client: Client) -> None:
    response = admin_client.get(reverse(KNOWLEDGE_LIST))

    assert response.status_code == 200
    states = _states(response)
    assert {record_id: states[record_id] for record_id in UNREADABLE_KNOWLEDGE} == dict.fromkeys(
        UNREADABLE_KNOWLEDGE, "invalid"
    )
    assert states["k_readable"] == states["k_null_elements"] == "missing"
    page = response.content.decode()
    # The stored value, said to be unreadable, where the timestamp would be.
    assert "infinity (unreadable)" in page and "12000-01-01 08:00:00 (unreadable)" in page
    assert "2026-01-03 00:00:00" in page  # k_created_bc's "updatedAt" is readable
    assert "timestamp too large" in page  # the reason, on the state's badge

    response = admin_client.get(reverse(JOURNEY_LIST))
    assert response.status_code == 200
    assert _states(response) == {
        "j_updated_infinity": "invalid",
        "j_readable": "missing",
        "j_list_json": "missing",
    }


@pytest.mark.usefixtures("collections", "hostile")
def test_the_date_hierarchy_leaves_out_dates_python_cannot_hold(admin_client: Client) -> None:
    page = admin_client.get(reverse(KNOWLEDGE_LIST)).content.decode()
    # Every readable "updatedAt" is in 2026: the drill-down starts at its months.
    assert "updated_at__year=2026" in page and "updated_at__month=1" in page
    response = admin_client.get(reverse(KNOWLEDGE_LIST), {"updated_at__year": "2026"})
    assert response.status_code == 200
    assert "k_updated_infinity" not in _states(response)


@pytest.mark.parametrize(
    ("url_name", "record_id", "shown"),
    [
        ("admin:knowledge_knowledgereference_change", "k_updated_infinity", "infinity"),
        ("admin:knowledge_knowledgereference_change", "k_updated_year_12000", "12000-01-01"),
        ("admin:knowledge_knowledgereference_change", "k_created_minus_infinity", "-infinity"),
        ("admin:knowledge_knowledgereference_change", "k_created_bc", "0044-03-15 00:00:00 BC"),
        ("admin:journeys_journeytemplate_change", "j_updated_infinity", "infinity"),
        ("admin:knowledge_knowledgereference_history", "k_updated_infinity", "k_updated_infinity"),
    ],
)
@pytest.mark.usefixtures("collections", "hostile")
def test_detail_pages_of_unreadable_rows_render(
    admin_client: Client, url_name: str, record_id: str, shown: str
) -> None:
    response = admin_client.get(reverse(url_name, args=[quote(record_id)]))

    assert response.status_code == 200
    page = response.content.decode()
    assert shown in page
    if url_name.endswith("_change"):
        assert 'data-state="invalid"' in page and "cannot be read from PostgreSQL" in page


@pytest.mark.usefixtures("collections")
def test_lists_show_rows_with_null_list_elements(
    admin_client: Client, make_knowledge: Any, make_journey: Any
) -> None:
    make_knowledge(id="k_null_elements", tags=["calm", None], languages=["en", None, "id"])
    make_journey(id="j_null_elements", tags=[None], languages=[None])

    response = admin_client.get(reverse(KNOWLEDGE_LIST))
    assert response.status_code == 200
    assert '<td class="field-languages_text">en, id</td>' in response.content.decode()
    assert admin_client.get(reverse(JOURNEY_LIST)).status_code == 200


@pytest.mark.usefixtures("collections", "hostile")
def test_an_id_with_a_nul_character_is_not_found(admin_client: Client) -> None:
    # PostgreSQL text cannot hold NUL: no row has such an id.
    response = admin_client.get(
        reverse("admin:knowledge_knowledgereference_change", args=["k\x00x"]), follow=True
    )
    assert response.status_code == 200 and response.redirect_chain
    assert any("doesn’t exist" in str(m) for m in get_messages(response.wsgi_request))


INVALID_LOOKUPS = [
    (KNOWLEDGE_LIST, {"status__exact": "BOGUS"}),
    (KNOWLEDGE_LIST, {"status": "BOGUS"}),
    (KNOWLEDGE_LIST, {"category__in": "VERSE,NOPE"}),
    (KNOWLEDGE_LIST, {"id__regex": "(a"}),
    (KNOWLEDGE_LIST, {"title__en__iregex": "["}),
    (KNOWLEDGE_LIST, {"tag": "\x00"}),
    (KNOWLEDGE_LIST, {"language": "e\x00n"}),
    (KNOWLEDGE_LIST, {"q": "calm\x00"}),
    (KNOWLEDGE_LIST, {"id__unaccent": "x"}),  # the extension is not installed
    (KNOWLEDGE_LIST, {"id__trigram_similar": "x"}),  # nor is pg_trgm
    (KNOWLEDGE_LIST, {"updated_at__year": "12000"}),
    (
        KNOWLEDGE_LIST,
        {"updated_at__year": "9999", "updated_at__month": "12", "updated_at__day": "31"},
    ),
    (JOURNEY_LIST, {"status__exact": "BOGUS"}),
    (JOURNEY_LIST, {"match_count__gt": "99999999999"}),
    (JOURNEY_LIST, {"full_json__goal__regex": "(a"}),
    (JOURNEY_LIST, {"tag": "\x00"}),
    (RUN_LIST, {"error__regex": "(a"}),
    (RUN_LIST, {"record_id": "\x00"}),
    (RUN_LIST, {"sources__contains": "knowledge"}),
    (RUN_LIST, {"created_at__year": "9999", "created_at__month": "12"}),
]


@pytest.mark.parametrize(("url_name", "params"), INVALID_LOOKUPS)
@pytest.mark.usefixtures("collections")
def test_bad_query_parameters_are_invalid_lookups_not_a_500(
    admin_client: Client, make_knowledge: Any, make_journey: Any, url_name: str, params: dict
) -> None:
    make_knowledge()
    make_journey()
    SyncRun.objects.create(mode="full", trigger="cli", sources=["knowledge"])
    response = admin_client.get(reverse(url_name), params)

    # Django's admin answers a lookup it cannot apply with a redirect to "?e=1", which
    # shows the unfiltered list; a lookup that is merely empty lists nothing.
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert response["Location"] == reverse(url_name) + "?e=1"
        response = admin_client.get(reverse(url_name), {"e": "1"})
        assert response.status_code == 200 and len(response.context["cl"].result_list) == 1


@pytest.mark.parametrize("url_name", [KNOWLEDGE_LIST, JOURNEY_LIST])
@pytest.mark.parametrize("action", ["sync_selected", "remove_selected"])
@pytest.mark.usefixtures("collections")
def test_an_action_on_an_id_with_a_nul_character_is_not_a_500(
    admin_client: Client, make_knowledge: Any, make_journey: Any, url_name: str, action: str
) -> None:
    # The actions' queryset filters on the posted ids; PostgreSQL refused the NUL
    # (DataError) and the page was a 500. No row can have such an id: it is left out.
    row = make_knowledge() if url_name == KNOWLEDGE_LIST else make_journey()
    post = {"action": action, "index": "0"}

    alone = admin_client.post(
        reverse(url_name), {**post, "_selected_action": ["k\x00x"]}, follow=True
    )
    assert alone.status_code == 200
    assert any("Items must be selected" in str(m) for m in get_messages(alone.wsgi_request))
    assert not SyncRun.objects.exists()

    mixed = admin_client.post(
        reverse(url_name), {**post, "_selected_action": ["k\x00x", row.pk]}, follow=True
    )
    assert mixed.status_code == 200
    assert list(SyncRun.objects.values_list("record_id", flat=True)) == [row.pk]
