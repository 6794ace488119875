"""The knowledge and journey admins: read-only lists with their Chroma sync state, filters,
search, date hierarchy on the naive "updatedAt", the detail page, and both actions."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from syncer import admin_sources
from syncer.locks import sync_lock
from syncer.models import SyncRun
from syncer.services.records import sync_record
from syncer.services.runs import sync_run_execute
from syncer.sources import JOURNEYS, KNOWLEDGE
from syncer.store import CollectionStore, store_open
from tests.conftest import touch

KNOWLEDGE_LIST = "admin:knowledge_knowledgereference_changelist"
JOURNEY_LIST = "admin:journeys_journeytemplate_changelist"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _naive_datetimes_are_errors() -> Iterator[None]:
    """Any "naive datetime while time zone support is active" warning fails the test."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*naive datetime.*", category=RuntimeWarning)
        yield


def _user(*codenames: str) -> User:
    user = User.objects.create_user("viewer", password="pw", is_staff=True)
    for codename in codenames:
        app_label, name = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=name)
        )
    return user


@pytest.fixture
def viewer_client() -> Client:
    """Staff who may look at everything but not run syncs."""
    client = Client()
    client.force_login(
        _user(
            "knowledge.view_knowledgereference",
            "journeys.view_journeytemplate",
            "syncer.view_syncrun",
        )
    )
    return client


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _states(response: Any) -> dict[str, str]:
    """Row id -> sync state, as computed for the page (and rendered in its column)."""
    states = {}
    for row in response.context["cl"].result_list:
        name = admin_sources._state_name(row.chroma_state)
        assert f'data-state="{name}"' in response.content.decode()
        states[row.pk] = name
    return states


def _ids(response: Any) -> set[str]:
    return {row.pk for row in response.context["cl"].result_list}


def _action(client: Client, url_name: str, action: str, ids: list[str]) -> Any:
    return client.post(
        reverse(url_name),
        {"action": action, ACTION_CHECKBOX_NAME: ids, "index": "0"},
        follow=True,
    )


def _in_chroma(source: Any, ids: list[str]) -> set[str]:
    return set(store_open(source.collection_name).metadatas(ids))


def _text_less(make_journey: Any) -> Any:
    """A row that cannot become a document: nothing to embed."""
    return make_journey(goal_keyword=" ", tags=[], full_json={"steps": []})


# --- the list and its sync-state column ---------------------------------------------------


def test_knowledge_list_shows_each_sync_state_with_one_chroma_read(
    admin_client: Client, chroma: str, make_knowledge: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_sync = make_knowledge()
    stale = make_knowledge()
    orphan = make_knowledge()
    sync_run_execute(mode="full", trigger="cli")
    touch(stale, content={"en": "Rewritten content"})
    touch(orphan, status="REJECTED")
    missing = make_knowledge()
    excluded = make_knowledge(status="REJECTED")

    reads = []
    original = CollectionStore.records

    def counting_records(self: CollectionStore, ids: Any) -> Any:
        reads.append(list(ids))
        return original(self, ids)

    monkeypatch.setattr(CollectionStore, "records", counting_records)
    response = admin_client.get(reverse(KNOWLEDGE_LIST))

    assert response.status_code == 200
    assert _states(response) == {
        in_sync.pk: "in sync",
        stale.pk: "stale",
        orphan.pk: "orphan",
        missing.pk: "missing",
        excluded.pk: "excluded",
    }
    assert len(reads) == 1 and len(reads[0]) == 5
    page = response.content.decode()
    # The best title, and the naive UTC "updatedAt" shown as stored.
    shown = in_sync.updated_at.strftime("%Y-%m-%d %H:%M:%S")
    assert f"Title {in_sync.pk.removeprefix('ref_')}" in page and shown in page


def test_list_without_a_collection_says_so(
    admin_client: Client, chroma: str, make_knowledge: Any, make_journey: Any
) -> None:
    row = make_knowledge()
    journey = make_journey()
    response = admin_client.get(reverse(KNOWLEDGE_LIST))
    assert response.status_code == 200
    assert _states(response) == {row.pk: "no collection"}
    assert any("does not exist" in m and "sync full" in m for m in _messages(response))
    # A command in a message is shown as code, never with the terminal's backticks.
    assert any("<code>manage.py sync full</code>" in m for m in _messages(response))
    assert not any("`" in m for m in _messages(response))
    response = admin_client.get(reverse(JOURNEY_LIST))
    assert _states(response) == {journey.pk: "no collection"}


def test_list_when_chroma_cannot_be_reached_still_lists_the_rows(
    admin_client: Client, make_knowledge: Any, settings: Any
) -> None:
    from syncer.chroma_client import chroma_reset

    # Nothing listens on port 9: the real HttpClient fails to connect (once: the store's
    # retries with backoff are tested with the store).
    settings.CHROMA_HOST, settings.CHROMA_PORT = "127.0.0.1", 9
    settings.SYNC_RETRY_ATTEMPTS = 1
    chroma_reset()
    try:
        row = make_knowledge()
        response = admin_client.get(reverse(KNOWLEDGE_LIST))
    finally:
        chroma_reset()
    assert response.status_code == 200
    assert _states(response) == {row.pk: "unavailable"}
    assert any("Chroma cannot be read" in m for m in _messages(response))


def test_knowledge_filters_and_search(
    admin_client: Client, chroma: str, make_knowledge: Any
) -> None:
    verse = make_knowledge(
        category="VERSE", tags=["anxiety", "hope"], languages=["en"], title={"en": "Calm heart"}
    )
    dua = make_knowledge(
        category="DUA",
        status="PENDING",
        tags=["grief"],
        languages=["id", "ar"],
        searchable_text="x",
    )
    url = reverse(KNOWLEDGE_LIST)

    assert _ids(admin_client.get(url, {"category": "VERSE"})) == {verse.pk}
    assert _ids(admin_client.get(url, {"status": "PENDING"})) == {dua.pk}
    assert _ids(admin_client.get(url, {"language": "ar"})) == {dua.pk}
    assert _ids(admin_client.get(url, {"tag": "hope"})) == {verse.pk}
    assert _ids(admin_client.get(url, {"q": "calm HEART"})) == {verse.pk}  # inside title JSON
    assert _ids(admin_client.get(url, {"q": dua.pk})) == {dua.pk}
    page = admin_client.get(url).content.decode()
    # The tag and language filters offer the values present in the table.
    for choice in ("?tag=anxiety", "?tag=grief", "?language=ar", "?language=en"):
        assert choice in page


def test_journey_filters_and_search(admin_client: Client, chroma: str, make_journey: Any) -> None:
    active = make_journey(
        goal_keyword="anxiety", full_json={"goal": {"en": "Calm daily habits"}}, tags=["calm"]
    )
    inactive = make_journey(is_active=False, status="DRAFT", languages=["en"], tags=["sleep"])
    url = reverse(JOURNEY_LIST)

    assert _ids(admin_client.get(url, {"is_active__exact": "0"})) == {inactive.pk}
    assert _ids(admin_client.get(url, {"status": "DRAFT"})) == {inactive.pk}
    assert _ids(admin_client.get(url, {"tag": "calm"})) == {active.pk}
    assert _ids(admin_client.get(url, {"language": "id"})) == {active.pk}
    assert _ids(admin_client.get(url, {"q": "anxiety"})) == {active.pk}  # goal keyword
    assert _ids(admin_client.get(url, {"q": "daily habits"})) == {active.pk}  # goal text
    page = admin_client.get(url).content.decode()
    assert "Calm daily habits" in page  # the goal column


def test_date_hierarchy_on_naive_utc_updated_at(
    admin_client: Client, chroma: str, make_knowledge: Any
) -> None:
    """ "updatedAt" is TIMESTAMP WITHOUT TIME ZONE holding UTC: drilling down by year,
    month and day puts rows in their UTC day, without naive-datetime warnings."""
    late_2025 = make_knowledge(updated_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    early_2026 = make_knowledge(updated_at=datetime(2026, 1, 1, 0, 30, tzinfo=UTC))
    url = reverse(KNOWLEDGE_LIST)

    page = admin_client.get(url)
    assert page.status_code == 200
    assert "updated_at__year=2025" in page.content.decode()
    assert _ids(admin_client.get(url, {"updated_at__year": "2026"})) == {early_2026.pk}
    response = admin_client.get(url, {"updated_at__year": "2025", "updated_at__month": "12"})
    assert _ids(response) == {late_2025.pk}
    assert "updated_at__day=31" in response.content.decode()
    day = {"updated_at__year": "2026", "updated_at__month": "1", "updated_at__day": "1"}
    assert _ids(admin_client.get(url, day)) == {early_2026.pk}
    assert "2025-12-31 23:30:00" in page.content.decode()


def test_bad_query_parameters_are_not_a_server_error(
    admin_client: Client, chroma: str, make_knowledge: Any
) -> None:
    make_knowledge()
    url = reverse(KNOWLEDGE_LIST)
    for params in ({"updated_at__year": "abc"}, {"is_active__exact": "x"}, {"p": "999"}):
        assert admin_client.get(url, params).status_code in (200, 302, 400, 404)


def test_viewer_sees_the_lists_but_not_the_actions(
    viewer_client: Client, chroma: str, make_knowledge: Any, make_journey: Any
) -> None:
    make_knowledge()
    make_journey()
    for url_name in (KNOWLEDGE_LIST, JOURNEY_LIST):
        response = viewer_client.get(reverse(url_name))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Sync selected to Chroma" not in page
        assert "Remove selected from Chroma" not in page


# --- read-only detail page ----------------------------------------------------------------


def test_detail_shows_what_chroma_holds_and_what_a_sync_would_write(
    admin_client: Client, chroma: str, make_knowledge: Any
) -> None:
    row = make_knowledge(content={"en": "Original words"})
    sync_record(source="knowledge", record_id=row.pk, trigger="cli")
    touch(row, content={"en": "Fresh words"}, tags=["test", "new"])
    url = reverse("admin:knowledge_knowledgereference_change", args=[quote(row.pk)])

    response = admin_client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-state="stale"' in page
    assert "Original words" in page  # the text in Chroma
    assert "+Fresh words" in page and "-Original words" in page  # the diff
    assert 'class="chroma-expected-text"' in page
    assert 'class="differs"' in page  # metadata keys that differ (tags, hashes, updated_at)
    assert "&quot;new&quot;" in page
    assert 'name="_save"' not in page  # read-only: no save button


def test_detail_of_an_in_sync_row_shows_its_document_only(
    admin_client: Client, chroma: str, make_journey: Any
) -> None:
    row = make_journey(goal_keyword="gratitude journal")
    sync_record(source="journeys", record_id=row.pk, trigger="cli")
    response = admin_client.get(
        reverse("admin:journeys_journeytemplate_change", args=[quote(row.pk)])
    )
    page = response.content.decode()
    assert 'data-state="in sync"' in page
    assert "gratitude journal" in page
    assert 'class="chroma-text-diff"' not in page and 'class="differs"' not in page


def test_detail_of_an_excluded_row_and_without_collection(
    admin_client: Client, chroma: str, make_knowledge: Any
) -> None:
    row = make_knowledge(status="REJECTED")
    url = reverse("admin:knowledge_knowledgereference_change", args=[quote(row.pk)])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert 'data-state="no collection"' in response.content.decode()
    store_open(KNOWLEDGE.collection_name)  # an empty collection now exists
    page = admin_client.get(url).content.decode()
    assert 'data-state="excluded"' in page
    assert "Chroma holds no document for this row." in page


def test_detail_of_an_invalid_row_says_why_and_what_to_do(
    admin_client: Client, chroma: str, make_journey: Any
) -> None:
    broken = _text_less(make_journey)
    store_open(JOURNEYS.collection_name)  # the collection exists; the row cannot join it
    url = reverse("admin:journeys_journeytemplate_change", args=[quote(broken.pk)])

    page = admin_client.get(url).content.decode()

    assert 'data-state="invalid"' in page
    sentence = page.split('<span class="sync-state-sentence">')[1].split("</span>")[0]
    assert sentence == (
        "This row cannot become a document: DocumentError: the row has no text to embed "
        "(every text field is empty). No sync can write it as it is: fix it in the source "
        "application, and the next sync after that change picks it up."
    )
    # The state comes before the row's fields.
    assert page.index("sync-state-sentence") < page.index("field-goal_keyword")


def test_source_rows_cannot_be_added_changed_or_deleted(
    admin_client: Client, chroma: str, make_knowledge: Any, make_journey: Any
) -> None:
    row = make_knowledge()
    journey = make_journey()
    change = reverse("admin:knowledge_knowledgereference_change", args=[quote(row.pk)])
    assert admin_client.get(reverse("admin:knowledge_knowledgereference_add")).status_code == 403
    assert admin_client.post(change, {"source": "changed"}).status_code == 403
    delete = reverse("admin:knowledge_knowledgereference_delete", args=[quote(row.pk)])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    journey_delete = reverse("admin:journeys_journeytemplate_delete", args=[quote(journey.pk)])
    assert admin_client.post(journey_delete, {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.source == "Test source"
    assert "delete_selected" not in admin_client.get(reverse(KNOWLEDGE_LIST)).content.decode()


def test_awkward_ids_link_from_the_list_to_their_detail(
    admin_client: Client, chroma: str, make_knowledge: Any
) -> None:
    """Ids may hold any printable character but "/"; "_2A" would be unquoted as "*"
    if the admin's links were not quoted."""
    row = make_knowledge(id='ref_2A "odd" ä?#%20 &x')
    page = admin_client.get(reverse(KNOWLEDGE_LIST)).content.decode()
    href = reverse("admin:knowledge_knowledgereference_change", args=[quote(row.pk)])
    assert f'href="{href}"' in page
    response = admin_client.get(href)
    assert response.status_code == 200
    assert 'data-state="no collection"' in response.content.decode()


def test_detail_of_an_unknown_id_redirects_with_a_message(
    admin_client: Client, chroma: str
) -> None:
    response = admin_client.get(
        reverse("admin:knowledge_knowledgereference_change", args=["nope/../x"]), follow=True
    )
    assert response.status_code == 200
    assert any("doesn’t exist" in m for m in _messages(response))


# --- actions ------------------------------------------------------------------------------


def test_sync_selected_reports_each_outcome(
    admin_client: Client, chroma: str, make_journey: Any
) -> None:
    unchanged = make_journey()
    counted = make_journey()
    orphan = make_journey()
    sync_run_execute(mode="full", trigger="cli")
    touch(orphan, status="ARCHIVED")
    touch(counted, match_count=7)  # metadata only: no new embedding
    new = make_journey()
    broken = _text_less(make_journey)
    ids = [unchanged.pk, counted.pk, orphan.pk, new.pk, broken.pk]
    assert _states(admin_client.get(reverse(JOURNEY_LIST)))[broken.pk] == "invalid"

    response = _action(admin_client, JOURNEY_LIST, "sync_selected", ids)

    assert response.status_code == 200
    messages = _messages(response)
    assert (
        "Synced 5 journey template(s): 1 upserted, 1 metadata updated, 1 unchanged, "
        "1 deleted, 1 failed." in messages
    )
    assert any(m.startswith(f"Failed: {broken.pk}: ") and "no text" in m for m in messages)
    assert _in_chroma(JOURNEYS, ids) == {unchanged.pk, counted.pk, new.pk}
    runs = SyncRun.objects.filter(trigger="admin", mode="single")
    assert sorted(runs.values_list("record_id", flat=True)) == sorted(ids)
    assert _states(admin_client.get(reverse(JOURNEY_LIST)))[new.pk] == "in sync"


def test_remove_selected_takes_eligible_rows_out_of_chroma(
    admin_client: Client, chroma: str, make_journey: Any
) -> None:
    kept = make_journey()
    removed = make_journey()
    never_synced = make_journey()
    for row in (kept, removed):
        sync_record(source="journeys", record_id=row.pk, trigger="cli")

    response = _action(admin_client, JOURNEY_LIST, "remove_selected", [removed.pk, never_synced.pk])

    assert (
        "Removed 2 journey template(s): 0 upserted, 0 metadata updated, 1 unchanged, "
        "1 deleted, 0 failed." in _messages(response)
    )
    assert _in_chroma(JOURNEYS, [kept.pk, removed.pk]) == {kept.pk}
    run = SyncRun.objects.get(trigger="admin", record_id=removed.pk)
    assert run.status == "succeeded" and run.source_results.get().deleted == 1
    states = _states(admin_client.get(reverse(JOURNEY_LIST)))
    assert states[removed.pk] == "missing" and states[kept.pk] == "in sync"


def test_actions_need_the_run_sync_permission(
    viewer_client: Client, chroma: str, make_knowledge: Any
) -> None:
    row = make_knowledge()
    for action in ("sync_selected", "remove_selected"):
        response = _action(viewer_client, KNOWLEDGE_LIST, action, [row.pk])
        # Django offers the viewer no action at all, so the POST just shows the list.
        assert response.status_code == 200
        assert not any(m.startswith(("Synced", "Removed")) for m in _messages(response))
    assert not SyncRun.objects.exists()


def test_actions_with_the_run_sync_permission_only(
    chroma: str, make_knowledge: Any, client: Client
) -> None:
    """Not a superuser: view permission on the table plus syncer.run_sync is enough."""
    client.force_login(_user("knowledge.view_knowledgereference", "syncer.run_sync"))
    row = make_knowledge()
    response = _action(client, KNOWLEDGE_LIST, "sync_selected", [row.pk])
    assert any(
        m.startswith("Synced 1 knowledge reference(s): 1 upserted") for m in _messages(response)
    )
    response = _action(client, KNOWLEDGE_LIST, "remove_selected", [row.pk])
    assert any(
        m.startswith("Removed 1 knowledge reference(s): ") and "1 deleted" in m
        for m in _messages(response)
    )
    assert _in_chroma(KNOWLEDGE, [row.pk]) == set()


def test_action_stops_when_another_sync_holds_the_lock(
    admin_client: Client, chroma: str, make_knowledge: Any, settings: Any
) -> None:
    settings.SYNC_LOCK_WAIT_SECONDS = 0
    rows = [make_knowledge(), make_knowledge()]
    with sync_lock(["knowledge"]):  # a real advisory lock, as a running sync holds it
        response = _action(admin_client, KNOWLEDGE_LIST, "sync_selected", [r.pk for r in rows])
    messages = _messages(response)
    assert (
        "Synced 0 knowledge reference(s): 0 upserted, 0 metadata updated, 0 unchanged, 0 deleted, 0 failed."
        in messages
    )
    assert any(
        m.startswith("Stopped: another sync of knowledge is running")
        and "2 record(s) not processed" in m
        for m in messages
    )
    assert not SyncRun.objects.exists()


def test_action_refuses_too_many_records(
    admin_client: Client, chroma: str, make_knowledge: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admin_sources, "MAX_ACTION_RECORDS", 1)
    rows = [make_knowledge(), make_knowledge()]
    response = _action(admin_client, KNOWLEDGE_LIST, "sync_selected", [r.pk for r in rows])
    assert any(m.startswith("At most 1 records at a time") for m in _messages(response))
    assert not SyncRun.objects.exists()
