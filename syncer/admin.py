"""Sync history in the admin (read-only), the buttons that queue a run on the worker, and
the overview page linked from the admin index."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from syncer.admin_base import ReadOnlySyncAdmin
from syncer.locks import SyncLocked
from syncer.models import SyncRecordError, SyncRun, SyncRunSource
from syncer.services.health import LAST_SYNC_MAX_AGE_SECONDS, QUEUED_STALE_SECONDS
from syncer.services.runs import sync_run_enqueue
from syncer.services.stats import sync_stats

logger = logging.getLogger(__name__)

# The index shows a link to the sync overview above the application list.
admin.site.index_template = "admin/syncer/index.html"

STATUS_COLOURS = {
    SyncRun.Status.QUEUED: "#757575",
    SyncRun.Status.RUNNING: "#1565c0",
    SyncRun.Status.SUCCEEDED: "#2e7d32",
    SyncRun.Status.PARTIAL: "#ef6c00",
    SyncRun.Status.FAILED: "#c62828",
}
ENQUEUE_MODES = (SyncRun.Mode.INCREMENTAL, SyncRun.Mode.FULL)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SyncRunSourceInline(ReadOnlyInline):
    model = SyncRunSource
    verbose_name = "source"
    verbose_name_plural = "counts and watermarks per source"
    fields = (
        "source",
        "scanned",
        "upserted",
        "metadata_updated",
        "unchanged",
        "deleted",
        "errors",
        "watermark_before",
        "watermark_after",
    )
    readonly_fields = fields


class SyncRecordErrorInline(ReadOnlyInline):
    model = SyncRecordError
    verbose_name = "record error"
    verbose_name_plural = "records skipped with errors"
    fields = ("source", "record_id", "error_type", "message")
    readonly_fields = fields


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlySyncAdmin):
    list_display = (
        "run",
        "mode",
        "trigger",
        "status_badge",
        "sources_text",
        "record_id",
        "started",
        "duration",
        "counts",
    )
    list_display_links = ("run",)
    list_filter = ("status", "mode", "trigger")
    search_fields = ("record_id", "error")
    date_hierarchy = "created_at"
    inlines = (SyncRunSourceInline, SyncRecordErrorInline)
    fields = (
        "mode",
        "trigger",
        "status",
        "sources",
        "force",
        "rebuild",
        "record_id",
        "error",
        "created_at",
        "started_at",
        "finished_at",
        "duration",
    )
    readonly_fields = fields

    # -- read-only history (ReadOnlySyncAdmin) ------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[SyncRun]:
        return super().get_queryset(request).prefetch_related("source_results")

    # -- columns ------------------------------------------------------------------------

    @admin.display(description="run", ordering="id")
    def run(self, obj: SyncRun) -> str:
        return f"#{obj.pk}"

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: SyncRun) -> str:
        return format_html(
            '<span class="run-status" title="{}" style="color:{};font-weight:bold">{}</span>',
            obj.error,
            STATUS_COLOURS.get(obj.status, "#757575"),
            obj.status,
        )

    @admin.display(description="sources")
    def sources_text(self, obj: SyncRun) -> str:
        return ", ".join(obj.sources)

    @admin.display(description="started (UTC)", ordering="started_at")
    def started(self, obj: SyncRun) -> str:
        return _utc_text(obj.started_at)

    @admin.display(description="duration")
    def duration(self, obj: SyncRun) -> str:
        seconds = obj.duration_seconds
        return "—" if seconds is None else f"{seconds:.1f} s"

    @admin.display(description="counts per source")
    def counts(self, obj: SyncRun) -> str:
        results = list(obj.source_results.all())
        if not results:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            "<strong>{}</strong> {} scanned · {} upserted · {} metadata · {} unchanged · "
            "{} deleted · {} errors{}",
            (
                (
                    r.source,
                    r.scanned,
                    r.upserted,
                    r.metadata_updated,
                    r.unchanged,
                    r.deleted,
                    r.errors,
                    f" · watermark {_utc_text(r.watermark_after)}" if r.watermark_after else "",
                )
                for r in results
            ),
        )

    # -- buttons and overview -----------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        custom = [
            path(
                "run/<str:mode>/",
                self.admin_site.admin_view(self.run_enqueue_view),
                name=f"{prefix}_enqueue",
            ),
            path(
                "overview/",
                self.admin_site.admin_view(self.overview_view),
                name=f"{prefix}_overview",
            ),
        ]
        return custom + super().get_urls()

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "can_run_sync": self.has_run_sync_permission(request),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def run_enqueue_view(self, request: HttpRequest, mode: str) -> HttpResponse:
        """Queue a full or incremental run of every source on the worker (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_run_sync_permission(request):
            raise PermissionDenied
        changelist = reverse("admin:syncer_syncrun_changelist")
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = changelist
        if mode not in ENQUEUE_MODES:
            self.message_user(
                request, f"Unknown sync mode {mode!r}: choose incremental or full.", messages.ERROR
            )
            return HttpResponseRedirect(next_url or changelist)
        try:
            run = sync_run_enqueue(mode=mode, trigger=SyncRun.Trigger.ADMIN)
        except SyncLocked as exc:
            self.message_user(request, f"Not started (conflict): {exc}", messages.ERROR)
            return HttpResponseRedirect(next_url or changelist)
        self.message_user(
            request,
            format_html(
                'Queued {} sync <a href="{}">run #{}</a>; the worker (manage.py qcluster) runs it.',
                mode,
                reverse("admin:syncer_syncrun_change", args=[run.pk]),
                run.pk,
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(next_url or changelist)

    def overview_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            stats: dict[str, Any] | None = sync_stats()
            stats_error = ""
        except Exception as exc:
            # The page must say what is wrong (Chroma server down...) rather than fail.
            logger.exception("sync overview: cannot compute the stats")
            stats, stats_error = None, f"{type(exc).__name__}: {exc}"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Sync overview",
            "stats": stats,
            "stats_error": stats_error,
            "health": overview_health(stats) if stats else None,
            "sources": overview_sources(stats) if stats else [],
            "last_runs": overview_last_runs(stats) if stats else [],
            "oldest_queued_age": age_text(stats["oldest_queued_age_seconds"]) if stats else "",
            "can_run_sync": self.has_run_sync_permission(request),
        }
        return TemplateResponse(request, "admin/syncer/overview.html", context)


def overview_health(stats: dict[str, Any]) -> dict[str, Any]:
    """A verdict and the reasons for it, read off ``sync_stats()`` (nothing recomputed).

    Its limits for a stale queue and a stale last sync are those of the health endpoint
    (``syncer.services.health``), so that the two never disagree about them.
    """
    findings: list[str] = []
    status = "ok"
    for name, source in stats["sources"].items():
        if source["chroma_error"]:
            status = "down"
            findings.append(f"{name}: {source['chroma_error']}")
            continue
        last = source["last_successful_run"]
        if last is None:
            findings.append(f"{name}: no full or incremental sync has succeeded yet.")
        elif last["age_seconds"] > LAST_SYNC_MAX_AGE_SECONDS:
            findings.append(
                f"{name}: the last successful sync finished {age_text(last['age_seconds'])} "
                "ago; are the schedules running?"
            )
        if source["chroma_count"] != source["eligible_count"]:
            findings.append(
                f"{name}: Chroma holds {source['chroma_count']} document(s) but "
                f"{source['eligible_count']} row(s) are eligible; run a full sync."
            )
        if source["pending_changes"]:
            findings.append(
                f"{name}: {source['pending_changes']} change(s) since the watermark wait "
                "for the next incremental sync."
            )
    oldest = stats["oldest_queued_age_seconds"]
    if oldest is not None and oldest > QUEUED_STALE_SECONDS:
        findings.append(
            f"a run has been queued for {age_text(oldest)}: is the worker "
            "(manage.py qcluster) running?"
        )
    if findings and status == "ok":
        status = "attention"
    return {"status": status, "findings": findings}


def _utc_text(value: datetime | None) -> str:
    return "—" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def overview_sources(stats: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per source for the overview table, ages made readable."""
    rows = []
    for name, source in stats["sources"].items():
        last = source["last_successful_run"]
        rows.append(
            {
                "name": name,
                **source,
                "difference": None
                if source["chroma_count"] is None
                else source["chroma_count"] - source["eligible_count"],
                "last_run_age": age_text(last["age_seconds"]) if last else "",
                "watermark_text": _iso_text(source["watermark"]),
            }
        )
    return rows


def overview_last_runs(stats: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**run, "finished_text": _iso_text(run["finished_at"])} for run in stats["last_runs"]]


def _iso_text(value: str | None) -> str:
    parsed = parse_datetime(value) if value else None
    return _utc_text(parsed) if parsed else "—"


def age_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 86400} days"
