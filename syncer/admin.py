"""Sync history in the admin (read-only), the buttons that queue a run on the worker,
and the overview page (shaped by ``syncer.admin_overview``) linked from the admin index."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString

from syncer.admin_base import (
    MUTED,
    STATUS_TONES,
    ReadOnlySyncAdmin,
    code_spans,
    plain_text,
)
from syncer.admin_overview import overview_context, progress_payload
from syncer.locks import SyncLocked
from syncer.models import SyncRecordError, SyncRun, SyncRunSource
from syncer.reporting import time_text
from syncer.services.runs import TaskQueueUnavailable, sync_run_enqueue

# The index shows a link to the sync overview above the application list.
admin.site.index_template = "admin/syncer/index.html"

ENQUEUE_MODES = (SyncRun.Mode.INCREMENTAL, SyncRun.Mode.FULL)
# The counts shown in the run list when not zero (scanned always): name, label, meaning.
COUNT_BADGES = (
    ("upserted", "upserted", "embedded and written: a new row or changed text"),
    ("metadata_updated", "metadata", "metadata updated without embedding"),
    ("deleted", "deleted", "removed from Chroma"),
    ("errors", "error", "records skipped with errors (listed on the run's page)"),
    (
        "invalid",
        "invalid",
        "rows that cannot become documents, kept out of Chroma (the overview lists them)",
    ),
)
RECORD_ID_SHOWN = 40


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
        "total",
        "upserted",
        "metadata_updated",
        "unchanged",
        "deleted",
        "errors",
        "invalid",
        "watermark_before",
        "watermark_after",
        "completed",
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
    # Mode and trigger share a column, and so do start and duration (the second below the
    # first, smaller), so that the counts keep room at 1366 pixels; every field still has
    # its filter or sort.
    list_display = ("run", "what", "status_badge", "started", "counts")
    list_display_links = ("run",)
    # Newest first, as the model orders runs; without the model's "-id" here the run
    # column is not drawn as sorted (its sort widgets take the width the counts need).
    ordering = ("-created_at",)
    list_filter = ("status", "mode", "trigger")
    search_fields = ("record_id", "error")
    date_hierarchy = "created_at"
    inlines = (SyncRunSourceInline, SyncRecordErrorInline)
    fields = (
        "mode",
        "trigger",
        "status_badge",
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

    @admin.display(description="mode", ordering="mode")
    def what(self, obj: SyncRun) -> str:
        """The mode (for a single-record run with its record, long ids cut, whole on
        hover) and, below it, what triggered the run."""
        record = ""
        if obj.record_id:
            shown = obj.record_id
            if len(shown) > RECORD_ID_SHOWN:
                shown = shown[: RECORD_ID_SHOWN - 1] + "…"
            record = format_html(
                ' <span class="record-id" title="{}">{}</span>', obj.record_id, shown
            )
        return format_html(
            '{}{}<div class="run-trigger">{}</div>', obj.mode, record, obj.get_trigger_display()
        )

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: SyncRun) -> str:
        return status_badge(obj.status, title=obj.error)

    @admin.display(description="started (UTC)", ordering="started_at")
    def started(self, obj: SyncRun) -> str:
        """Date and time on two lines (a narrow column leaves the counts room), the
        duration below."""
        date, _, time = time_text(obj.started_at).partition(" ")
        return format_html(
            '{}<br>{}<div class="run-duration">{}</div>', date, time, self.duration(obj)
        )

    @admin.display(description="duration")
    def duration(self, obj: SyncRun) -> str:
        seconds = obj.duration_seconds
        return "—" if seconds is None else f"{seconds:.1f} s"

    @admin.display(description="counts per source")
    def counts(self, obj: SyncRun) -> str:
        """One line per source: rows scanned (of the total, while running), then only the
        counts that are not zero, as small labelled badges that wrap as the width needs."""
        results = list(obj.source_results.all())
        if not results:
            return format_html(
                '<span class="run-counts-none">{}: nothing yet</span>', ", ".join(obj.sources)
            )
        return format_html_join("", "{}", ((source_counts(result),) for result in results))

    # -- buttons, overview and its progress feed -----------------------------------------

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
            path(
                "overview/progress/",
                self.admin_site.admin_view(self.progress_view),
                name=f"{prefix}_progress",
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
            self.message_user(
                request,
                format_html("Not started (conflict): {}", code_spans(str(exc))),
                messages.ERROR,
            )
            return HttpResponseRedirect(next_url or changelist)
        except TaskQueueUnavailable as exc:
            self.message_user(
                request, format_html("Not started: {}", code_spans(str(exc))), messages.ERROR
            )
            return HttpResponseRedirect(next_url or changelist)
        self.message_user(
            request,
            format_html(
                'Queued {} sync <a href="{}">run #{}</a>; the worker '
                "(<code>manage.py qcluster</code>) runs it.",
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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Sync overview",
            "can_run_sync": self.has_run_sync_permission(request),
            **overview_context(window_name=request.GET.get("window", ""), now=timezone.now()),
        }
        return TemplateResponse(request, "admin/syncer/overview.html", context)

    def progress_view(self, request: HttpRequest) -> HttpResponse:
        """The overview's live progress, polled by its script: queued and running runs
        with rows done / total per source, and the runs that finished last."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return JsonResponse(progress_payload())


def status_badge(status: str, *, title: str = "") -> SafeString:
    """A run status in its tone's colour, as on every halasync page."""
    return format_html(
        '<span class="run-status tone-{}" data-status="{}" title="{}">{}</span>',
        STATUS_TONES.get(status, MUTED),
        status,
        plain_text(title),
        status,
    )


def source_counts(result: SyncRunSource) -> SafeString:
    scanned = f"{result.scanned}"
    if result.total is not None and result.run.finished_at is None:
        scanned = f"{result.scanned} / {result.total}"
    badges = format_html_join(
        " ",
        '<span class="count count-{}" title="{}">{} {}</span>',
        (
            (name, meaning, value, label if value == 1 or label != "error" else "errors")
            for name, label, meaning in COUNT_BADGES
            if (value := getattr(result, name))
        ),
    )
    watermark = f"watermark {time_text(result.watermark_after)}" if result.watermark_after else ""
    name_class = "source-name"
    if result.run.finished_at is not None and not result.completed:
        # Marked on the name (a badge made rows too tall at 1366 pixels); the title says it.
        name_class += " source-incomplete"
        watermark = "; ".join(
            filter(
                None,
                [
                    "not completed: this source did not run to its end, its watermark and "
                    "last successful sync stay those of its last completed run",
                    watermark,
                ],
            )
        )
    return format_html(
        '<div class="source-counts"><span class="{}" title="{}">{}</span> '
        '<span class="source-badges"><span class="count count-scanned" title="rows read">'
        "{} scanned</span> {}</span></div>",
        name_class,
        watermark,
        result.source,
        scanned,
        badges,
    )
