"""The admin's sync overview: advice that works for rows that cannot become documents,
the run charts' data for each window, and the live-progress feed its script polls."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from syncer.models import SyncRun, SyncRunSource
from syncer.services.runs import sync_run_execute

OVERVIEW = "admin:syncer_syncrun_overview"
PROGRESS = "admin:syncer_syncrun_progress"

pytestmark = pytest.mark.django_db


def _findings(page: str) -> str:
    return page.split('<ul class="findings">')[1].split("</ul>")[0]


def test_a_row_that_cannot_become_a_document_gets_advice_that_works(
    admin_client: Client, chroma: str, make_journey: Any
) -> None:
    # Nothing to embed: no sync, full or not, can put this row into Chroma.
    broken = make_journey(id="tpl broken/1", goal_keyword="", tags=[], full_json={})
    run = sync_run_execute(mode="full", trigger="cli", sources=["journeys"])
    assert run.status == "succeeded"  # an invalid row is kept out, not an error

    page = admin_client.get(reverse(OVERVIEW)).content.decode()

    findings = _findings(page)
    assert "journeys: Chroma holds 0 documents but 1 row is eligible." in findings
    assert (
        'journeys: 1 row cannot become a document (listed under "Rows that cannot become '
        'documents"): fix it in the source application; the next sync after that change '
        "picks it up." in findings.replace("&quot;", '"')
    )
    assert "journeys: 1 row missing" not in findings  # a full sync would not help
    assert "`" not in findings
    invalid = page.split('id="overview-invalid"')[1].split("</table>")[0]
    row_url = reverse("admin:journeys_journeytemplate_change", args=[quote(broken.pk)])
    assert f'<a href="{row_url}">{broken.pk}</a>' in invalid
    assert "DocumentError: the row has no text to embed" in invalid
    assert f'href="{reverse("admin:syncer_syncrun_change", args=[run.pk])}"' in invalid
    assert admin_client.get(row_url).status_code == 200


def test_a_document_without_its_row_is_told_to_run_a_full_sync(
    admin_client: Client, chroma: str, make_journey: Any
) -> None:
    gone = make_journey()
    sync_run_execute(mode="full", trigger="cli", sources=["journeys"])
    gone.delete()  # deleted by the other application; the sweep has not run yet

    findings = _findings(admin_client.get(reverse(OVERVIEW)).content.decode())

    assert "journeys: Chroma holds 1 document but 0 rows are eligible." in findings
    assert (
        "journeys: 1 document in Chroma without an eligible row: a full sync "
        "(<code>manage.py sync full</code>, or the button above) deletes it." in findings
    )


@pytest.mark.parametrize("window", ["24h", "7d", "30d", "bogus"])
def test_the_charts_data_for_each_window(admin_client: Client, chroma: str, window: str) -> None:
    now = timezone.now()
    run = SyncRun.objects.create(
        mode="incremental",
        trigger="schedule",
        status="succeeded",
        sources=["knowledge"],
        started_at=now - timedelta(minutes=10, seconds=4),
        finished_at=now - timedelta(minutes=10),
    )
    SyncRunSource.objects.create(run=run, source="knowledge", scanned=5, upserted=5)

    response = admin_client.get(reverse(OVERVIEW), {"window": window})

    assert response.status_code == 200
    page = response.content.decode()
    data = json.loads(
        page.split('id="overview-activity" type="application/json">')[1].split("<")[0]
    )
    buckets = {"24h": 24, "7d": 28, "30d": 30, "bogus": 28}[window]  # bogus: the default, 7d
    assert len(data["labels"]) == buckets
    assert sum(data["upserted"]) == 5 and sum(data["succeeded"]) == 1
    assert max(p for p in data["p50"] if p is not None) == pytest.approx(4)
    for canvas in ("chart-durations", "chart-documents", "chart-runs"):
        assert f'<canvas id="{canvas}"' in page
    assert '<tr data-mode="incremental">' in page and "4.0 s" in page
    assert "/static/syncer/vendor/chartjs/chart.umd.min.js" in page  # no CDN


def test_progress_feed_has_rows_done_and_total(admin_client: Client) -> None:
    queued = SyncRun.objects.create(mode="full", trigger="admin", sources=["knowledge"])
    running = SyncRun.objects.create(
        mode="incremental",
        trigger="schedule",
        status="running",
        sources=["knowledge", "journeys"],
        started_at=timezone.now(),
    )
    SyncRunSource.objects.create(run=running, source="knowledge", scanned=10, total=40)
    SyncRunSource.objects.create(run=running, source="journeys", scanned=0, total=0)

    payload = admin_client.get(reverse(PROGRESS)).json()

    assert [run["id"] for run in payload["runs"]] == [queued.pk, running.pk]
    assert payload["runs"][0]["status"] == "queued"
    assert payload["runs"][0]["sources"] == [
        {"source": "knowledge", "done": 0, "total": None, "percent": None, "text": "not started"}
    ]
    assert payload["runs"][1]["sources"] == [
        {"source": "knowledge", "done": 10, "total": 40, "percent": 25, "text": "10 / 40 rows"},
        {"source": "journeys", "done": 0, "total": 0, "percent": None, "text": "0 / 0 rows"},
    ]
    assert payload["runs"][1]["url"] == reverse("admin:syncer_syncrun_change", args=[running.pk])
    assert payload["finished"] == []

    SyncRun.objects.filter(pk=running.pk).update(status="succeeded", finished_at=timezone.now())
    payload = admin_client.get(reverse(PROGRESS)).json()
    assert [run["id"] for run in payload["runs"]] == [queued.pk]
    assert [(run["id"], run["status"]) for run in payload["finished"]] == [
        (running.pk, "succeeded")
    ]


def test_progress_feed_needs_the_view_permission(client: Client) -> None:
    response = client.get(reverse(PROGRESS))
    assert response.status_code == 302 and "/login/" in response["Location"]
    user = User.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(reverse(PROGRESS)).status_code == 403
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="syncer", codename="view_syncrun")
    )
    assert client.get(reverse(PROGRESS)).status_code == 200


def test_run_list_queries_do_not_grow_with_the_runs(
    admin_client: Client, django_assert_max_num_queries: Any
) -> None:
    def runs(count: int) -> None:
        for _ in range(count):
            run = SyncRun.objects.create(
                mode="full",
                trigger="cli",
                status="running",
                sources=["knowledge", "journeys"],
                started_at=timezone.now(),
            )
            for source in ("knowledge", "journeys"):
                SyncRunSource.objects.create(run=run, source=source, scanned=1, total=9)

    runs(2)
    url = reverse("admin:syncer_syncrun_changelist")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert "1 / 9 scanned" in admin_client.get(url).content.decode()
    runs(20)
    with django_assert_max_num_queries(len(few)):
        admin_client.get(url)
