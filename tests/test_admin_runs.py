"""Sync history in the admin, the "Run … sync" buttons, the overview page and the index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ

from syncer import admin_overview
from syncer.locks import sync_lock
from syncer.models import SyncRecordError, SyncRun, SyncRunSource
from syncer.services.runs import sync_run_create, sync_run_execute
from syncer.services.stats import sync_stats

RUNS = "admin:syncer_syncrun_changelist"
OVERVIEW = "admin:syncer_syncrun_overview"

pytestmark = pytest.mark.django_db


def _enqueue_url(mode: str) -> str:
    return reverse("admin:syncer_syncrun_enqueue", args=[mode])


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _login(client: Client, *codenames: str) -> Client:
    user = User.objects.create_user("operator", password="pw", is_staff=True)
    for codename in codenames:
        app_label, name = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=name)
        )
    client.force_login(user)
    return client


def _run(**fields: Any) -> SyncRun:
    """A finished run as the services record it, with counts and a record error."""
    start = timezone.now() - timedelta(minutes=5)
    values = {
        "mode": "incremental",
        "trigger": "schedule",
        "status": "partial",
        "sources": ["knowledge", "journeys"],
        "started_at": start,
        "finished_at": start + timedelta(seconds=12.5),
    }
    values.update(fields)
    run = SyncRun.objects.create(**values)
    SyncRunSource.objects.create(
        run=run,
        source="knowledge",
        scanned=7,
        upserted=3,
        metadata_updated=1,
        unchanged=2,
        deleted=4,
        errors=1,
        watermark_before=datetime(2026, 1, 1, tzinfo=UTC),
        watermark_after=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        completed=True,  # a partial run's sources ran to their end
    )
    SyncRecordError.objects.create(
        run=run,
        source="knowledge",
        record_id="ref_broken",
        error_type="DocumentError",
        message="the row has no text to embed",
    )
    return run


# --- history ------------------------------------------------------------------------------


def test_run_list_shows_counts_and_filters(admin_client: Client) -> None:
    partial = _run()
    failed = _run(mode="full", trigger="cli", status="failed", error="boom")
    single = _run(mode="single", trigger="admin", status="succeeded", record_id="ref_9")
    url = reverse(RUNS)

    response = admin_client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    # One compact line per source: scanned, then the counts that are not zero as badges.
    assert (
        '<span class="source-name" title="watermark 2026-01-02 03:04:05">knowledge</span>' in page
    )
    for badge in (
        '<span class="count count-scanned" title="rows read">7 scanned</span>',
        '<span class="count count-upserted" title="embedded and written: a new row or '
        'changed text">3 upserted</span>',
        '<span class="count count-metadata_updated" title="metadata updated without '
        'embedding">1 metadata</span>',
        '<span class="count count-deleted" title="removed from Chroma">4 deleted</span>',
        '<span class="count count-errors" title="records skipped with errors (listed on the '
        'run&#x27;s page)">1 error</span>',
    ):
        assert badge in page
    assert "unchanged" not in page.split('id="result_list"')[1]  # the run's page has it
    assert "12.5 s" in page
    assert (
        'single <span class="record-id" title="ref_9">ref_9</span>'
        '<div class="run-trigger">Admin</div>' in page
    )
    assert f"#{partial.pk}" in page

    def ids(params: dict[str, str]) -> set[int]:
        return {run.pk for run in admin_client.get(url, params).context["cl"].result_list}

    assert ids({"status__exact": "failed"}) == {failed.pk}
    assert ids({"mode__exact": "single"}) == {single.pk}
    assert ids({"trigger__exact": "schedule"}) == {partial.pk}
    assert ids({"q": "ref_9"}) == {single.pk}
    today = timezone.now()
    assert ids({"created_at__year": str(today.year)}) == {partial.pk, failed.pk, single.pk}


def test_run_page_shows_counts_watermarks_and_record_errors_read_only(
    admin_client: Client,
) -> None:
    run = _run()
    response = admin_client.get(reverse("admin:syncer_syncrun_change", args=[run.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "counts and watermarks per source" in page.lower()
    assert "2026-01-02 03:04:05" in page  # watermark_after, to the second
    assert "ref_broken" in page and "the row has no text to embed" in page
    assert "DocumentError" in page
    assert 'name="_save"' not in page
    assert admin_client.get(reverse("admin:syncer_syncrun_add")).status_code == 403
    delete = reverse("admin:syncer_syncrun_delete", args=[run.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert SyncRun.objects.filter(pk=run.pk).exists()


def test_run_pages_say_which_sources_completed(admin_client: Client) -> None:
    run = _run(status="failed", error="interrupted")
    SyncRunSource.objects.filter(run=run).update(completed=False)  # cut short
    SyncRunSource.objects.create(run=run, source="journeys", scanned=2, completed=True)
    running = _run(status="running", finished_at=None)
    SyncRunSource.objects.filter(run=running).update(completed=False)  # not yet: unmarked

    listing = admin_client.get(reverse(RUNS)).content.decode()
    page = admin_client.get(reverse("admin:syncer_syncrun_change", args=[run.pk]))

    def sources_shown(run: SyncRun) -> dict[str, str]:
        row = listing.split(f">#{run.pk}<", 1)[1].split("</tr>", 1)[0]
        lines = row.split('<div class="source-counts">')[1:]
        return {line.split("</span>", 1)[0].rsplit(">", 1)[1]: line for line in lines}

    shown = sources_shown(run)
    assert shown["knowledge"].startswith('<span class="source-name source-incomplete" title="not')
    assert "not completed" not in shown["journeys"] and "incomplete" not in shown["journeys"]
    assert "incomplete" not in "".join(sources_shown(running).values())
    assert page.status_code == 200
    inline = page.content.decode().lower().split("counts and watermarks per source", 1)[1]
    assert '<th class="column-completed">completed' in inline
    shown_results = page.context["inline_admin_formsets"][0].formset.queryset
    assert {result.source: result.completed for result in shown_results} == {
        "knowledge": False,
        "journeys": True,
    }


def test_runs_need_the_view_permission(client: Client) -> None:
    _login(client, "knowledge.view_knowledgereference")
    assert client.get(reverse(RUNS)).status_code == 403
    assert client.get(reverse(OVERVIEW)).status_code == 403


# --- buttons ------------------------------------------------------------------------------


def test_buttons_are_shown_only_with_the_run_sync_permission(
    admin_client: Client, client: Client
) -> None:
    page = admin_client.get(reverse(RUNS)).content.decode()
    assert "Run incremental sync" in page and "Run full sync" in page
    _login(client, "syncer.view_syncrun")
    page = client.get(reverse(RUNS)).content.decode()
    assert "Run incremental sync" not in page and "Run full sync" not in page


@pytest.mark.parametrize("mode", ["incremental", "full"])
def test_button_queues_a_run_for_the_worker(admin_client: Client, mode: str) -> None:
    response = admin_client.post(_enqueue_url(mode), follow=True)

    run = SyncRun.objects.get()
    assert (run.mode, run.trigger, run.status) == (mode, "admin", "queued")
    assert run.sources == ["knowledge", "journeys"]
    # On the django-q2 ORM broker, waiting for `manage.py qcluster`.
    assert OrmQ.objects.filter(key="halasync").count() == 1
    assert OrmQ.objects.get().task["args"] == (run.pk,)
    assert response.redirect_chain[-1][0] == reverse(RUNS)
    assert any(f"Queued {mode} sync" in m and f"run #{run.pk}" in m for m in _messages(response))


def test_button_run_executes_on_the_worker(
    admin_client: Client, chroma: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # django-q2 reads Q_CLUSTER into Conf when it is imported, so settings overrides come
    # too late; Conf.SYNC is read again on every async_task, and True makes it run the
    # task in this process exactly as a worker would (same package, worker and monitor
    # code), which keeps the test free of a qcluster process and its start-up time.
    monkeypatch.setattr(Conf, "SYNC", True)

    admin_client.post(_enqueue_url("incremental"), {"next": reverse(OVERVIEW)})

    run = SyncRun.objects.get()
    assert (run.trigger, run.status) == ("admin", "succeeded")
    assert set(run.source_results.values_list("source", flat=True)) == {"knowledge", "journeys"}


def test_button_refused_while_a_sync_runs(admin_client: Client) -> None:
    with sync_lock(["journeys"]):  # the real advisory lock a running sync holds
        response = admin_client.post(_enqueue_url("full"), follow=True)
    assert not SyncRun.objects.exists()
    assert any(
        m.startswith("Not started (conflict): another sync of journeys is running")
        for m in _messages(response)
    )


def test_button_refused_while_a_run_is_queued(admin_client: Client) -> None:
    queued = sync_run_create(mode="incremental", trigger="schedule")
    response = admin_client.post(_enqueue_url("incremental"), follow=True)
    assert list(SyncRun.objects.values_list("pk", flat=True)) == [queued.pk]
    (message,) = _messages(response)
    assert message.startswith("Not started (conflict): a sync of knowledge, journeys is already")
    assert f"queued (run #{queued.pk}), waiting for a worker" in message
    assert "<code>manage.py qcluster</code>" in message and "`" not in message
    assert "is running" not in message  # nothing runs yet: it waits for a worker


def test_button_checks_method_permission_and_mode(admin_client: Client, client: Client) -> None:
    assert admin_client.get(_enqueue_url("full")).status_code == 405
    response = admin_client.post(_enqueue_url("everything"), follow=True)
    assert "Unknown sync mode 'everything': choose incremental or full." in _messages(response)
    # An outside "next" is ignored.
    response = admin_client.post(_enqueue_url("bogus"), {"next": "https://example.com/"})
    assert response["Location"] == reverse(RUNS)
    _login(client, "syncer.view_syncrun")
    assert client.post(_enqueue_url("full")).status_code == 403
    assert not SyncRun.objects.exists()
    anonymous = Client()
    response = anonymous.post(_enqueue_url("full"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- overview and index -------------------------------------------------------------------


def test_overview_shows_counts_pending_last_run_and_health(
    admin_client: Client, chroma: str, make_knowledge: Any, make_journey: Any
) -> None:
    make_knowledge()
    make_journey()
    run = sync_run_execute(mode="full", trigger="cli")

    response = admin_client.get(reverse(OVERVIEW))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-health="ok"' in page
    stats = sync_stats()
    for name, source in stats.sources.items():
        assert f'data-source="{name}"' in page
        assert f'<td class="chroma-count">{source.chroma_count}</td>' in page
    assert f"#{run.pk}</a>\n          full, 0 s ago" in page
    assert "Run incremental sync" in page
    watermark = stats.as_dict()["sources"]["knowledge"]["watermark"]  # ISO, shown plainly in UTC
    assert f'<td class="watermark">{watermark[:10]} {watermark[11:19]}</td>' in page

    make_knowledge(updated_at=timezone.now())  # written after the watermark
    page = admin_client.get(reverse(OVERVIEW)).content.decode()
    assert 'data-health="attention"' in page
    assert (
        "knowledge: 1 change since the watermark is waiting for the next incremental sync." in page
    )
    assert "knowledge: Chroma holds 1 document but 2 rows are eligible." in page
    assert (
        "knowledge: 1 row missing from Chroma: run a full sync "
        "(<code>manage.py sync full</code>, or the button above)." in page
    )


def test_overview_before_any_sync_says_what_to_do(admin_client: Client, chroma: str) -> None:
    page = admin_client.get(reverse(OVERVIEW)).content.decode()
    assert 'data-health="down"' in page
    assert "does not exist" in page and "sync full" in page
    assert "No runs yet." in page


def test_overview_flags_a_queue_nobody_takes(admin_client: Client, chroma: str) -> None:
    queued = sync_run_create(mode="incremental", trigger="schedule")
    SyncRun.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(hours=1))
    page = admin_client.get(reverse(OVERVIEW)).content.decode()
    assert (
        "a run has been queued for 1 h: is the worker (<code>manage.py qcluster</code>) running?"
        in page
    )


def test_overview_and_health_endpoint_share_their_time_limits(
    admin_client: Client, chroma: str
) -> None:
    # A run queued for 6 minutes is not yet a missing worker for either; a last
    # successful sync three days old is stale for both.
    run = sync_run_execute(mode="full", trigger="cli")
    SyncRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - timedelta(days=3))
    queued = sync_run_create(mode="incremental", trigger="schedule")
    SyncRun.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(minutes=6))

    page = admin_client.get(reverse(OVERVIEW)).content.decode()
    health = admin_client.get("/api/v1/sync/health").json()

    assert 'data-health="attention"' in page
    assert (
        "knowledge: the last successful sync finished 3 d ago; are the schedules running?" in page
    )
    assert health["checks"]["last_sync"]["status"] == "degraded"
    assert "is the worker" not in page
    assert health["checks"]["worker"]["status"] == "ok"


def test_overview_when_the_stats_cannot_be_read(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> dict[str, Any]:
        # Injected failure: a Chroma server that answers garbage cannot be staged here.
        raise ConnectionError("Chroma server went away")

    monkeypatch.setattr(admin_overview, "sync_stats", broken)
    response = admin_client.get(reverse(OVERVIEW))
    assert response.status_code == 200
    assert "ConnectionError: Chroma server went away" in response.content.decode()


def test_index_links_the_overview_and_lists_django_q(admin_client: Client) -> None:
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse(OVERVIEW)}"' in page
    assert "Django Q" in page
    for name in ("schedule", "success", "failure", "ormq"):
        assert admin_client.get(reverse(f"admin:django_q_{name}_changelist")).status_code == 200
