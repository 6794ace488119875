"""Routes under ``/api/v1/`` (DESIGN.md, "REST API"). No trailing slashes: the paths
are part of the contract as written there."""

from __future__ import annotations

from django.urls import path

from syncer.api import views

app_name = "api"

urlpatterns = [
    path("sync/run", views.SyncRunView.as_view(), name="sync-run"),
    # <str:…> matches anything but "/"; Django has already percent-decoded it.
    path(
        "sync/knowledge-reference/<str:record_id>",
        views.KnowledgeRecordSyncView.as_view(),
        name="sync-knowledge-reference",
    ),
    path(
        "sync/journey-template/<str:record_id>",
        views.JourneyRecordSyncView.as_view(),
        name="sync-journey-template",
    ),
    path("sync/stats", views.SyncStatsView.as_view(), name="sync-stats"),
    path("sync/health", views.SyncHealthView.as_view(), name="sync-health"),
    path("sync/runs", views.RunListView.as_view(), name="sync-run-list"),
    path("sync/runs/<int:run_id>", views.RunDetailView.as_view(), name="sync-run-detail"),
    path(
        "search/knowledge-references",
        views.KnowledgeSearchView.as_view(),
        name="search-knowledge-references",
    ),
    path(
        "search/journey-templates",
        views.JourneySearchView.as_view(),
        name="search-journey-templates",
    ),
]
