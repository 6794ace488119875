"""One read-only admin for both source tables, showing each row's state in Chroma.

The tables belong to another application: nothing here writes them. The list's "sync
state" column is computed for the rows of the page with one batched Chroma read
(``services.collections.collection_record_states``); the detail page shows what Chroma
holds for the row and what a sync would write now. Actions call the single-record
services, one call per selected record.
"""

from __future__ import annotations

import difflib
import json
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.db.models import F, Func, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString

from syncer import selectors
from syncer.admin_base import (
    ATTENTION,
    DOWN,
    MUTED,
    OK,
    LookupSafeChangeList,
    ReadOnlySyncAdmin,
    code_spans,
    plain_text,
)
from syncer.admin_rows import READABLE_RANGE, rows_displayable, timestamp_fields
from syncer.chroma_client import ChromaUnavailable, StoreError
from syncer.locks import SyncLocked
from syncer.public_errors import error_public
from syncer.services.collections import collection_record_states
from syncer.services.compare import (
    EXCLUDED,
    IN_SYNC,
    INVALID,
    MISSING,
    ORPHAN,
    STALE,
    RecordState,
)
from syncer.services.records import (
    RecordNotFound,
    RecordOutcome,
    sync_record,
    sync_record_remove,
)
from syncer.sources import Source
from syncer.sources.base import as_utc
from syncer.store import CollectionMissing

logger = logging.getLogger(__name__)

NO_COLLECTION = "no collection"
UNAVAILABLE = "unavailable"
STATE_TONES = {
    IN_SYNC: OK,
    STALE: ATTENTION,
    MISSING: DOWN,
    ORPHAN: DOWN,
    INVALID: DOWN,
    EXCLUDED: MUTED,
    NO_COLLECTION: MUTED,
    UNAVAILABLE: MUTED,
}
STATE_HELP = {
    IN_SYNC: "Chroma holds exactly what a sync would write now.",
    STALE: "In Chroma, but its text or metadata differ from the row: sync it.",
    MISSING: "Belongs in Chroma but is absent: sync it.",
    ORPHAN: "In Chroma although the row is excluded: sync or remove it.",
    EXCLUDED: "Excluded by its status, and correctly absent from Chroma.",
    INVALID: "This row cannot become a document: {problem}. No sync can write it as it is: "
    "fix it in the source application, and the next sync after that change picks it up.",
    NO_COLLECTION: "The Chroma collection does not exist yet: run `manage.py sync full`.",
}
# An action runs in the web request, one record after the other; beyond this many rows an
# operator wants a full or incremental run on the worker instead.
MAX_ACTION_RECORDS = 100
OUTCOME_LABELS = (
    ("upserted", "upserted"),
    ("metadata_updated", "metadata updated"),
    ("unchanged", "unchanged"),
    ("deleted", "deleted"),
    ("failed", "failed"),
)
FAILURES_LISTED = 5
CHOICES_LIMIT = 200


def chroma_states(
    *, source: Source, rows: Sequence[Any]
) -> tuple[dict[str, RecordState | str], str]:
    """The state of each row (a RecordState, or NO_COLLECTION / UNAVAILABLE for all) and a
    message for the operator when Chroma cannot be read."""
    if not rows:
        return {}, ""
    try:
        rows = [_as_the_sync_reads_it(source, row) for row in rows]
        return collection_record_states(source=source, rows=rows), ""
    # The messages name no server or directory (``error_public``): the log has them.
    except CollectionMissing as exc:
        return {str(row.pk): NO_COLLECTION for row in rows}, error_public(str(exc))
    except ChromaUnavailable as exc:  # down or not answering in time: the client logged it
        return {str(row.pk): UNAVAILABLE for row in rows}, f"Chroma cannot be read: {exc}"
    except StoreError as exc:
        logger.warning("cannot read Chroma collection %s: %s", source.collection_name, exc)
        return {str(row.pk): UNAVAILABLE for row in rows}, error_public(str(exc))
    except Exception as exc:
        # A Chroma server that is down must not take the admin down with it: the page
        # still lists the rows, and says why their state is unknown.
        logger.exception("cannot read Chroma collection %s", source.collection_name)
        problem = f"Chroma cannot be read: {exc}"
        return {str(row.pk): UNAVAILABLE for row in rows}, error_public(problem)


def _as_the_sync_reads_it(source: Source, row: Any) -> Any:
    """A row with a timestamp Python cannot hold (``admin_rows``) is what the sync reads
    (an UnreadableRow, whose state is "invalid" with the sync's reason); others as they are."""
    if getattr(row, "unreadable", None):
        return selectors.source_row(source, str(row.pk)) or row
    return row


def _state_name(state: RecordState | str | None) -> str:
    if isinstance(state, RecordState):
        return state.state
    return state or UNAVAILABLE


def state_sentence(state: RecordState | str | None) -> str:
    """What the row's state means and what to do, as a sentence (the reason included for
    a row that cannot become a document)."""
    name = _state_name(state)
    problem = state.problem if isinstance(state, RecordState) else ""
    return STATE_HELP.get(name, "").format(problem=problem.rstrip(".") or "reason unknown")


class SourceChangeList(LookupSafeChangeList):
    """Loads the page's rows whatever their timestamps hold (``admin_rows``) and attaches
    their Chroma state to them, with one Chroma read."""

    def page_rows(self, page: QuerySet) -> list[Any]:
        ids = list(page.values_list("pk", flat=True))
        return rows_displayable(queryset=self.root_queryset, ids=ids)

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        rows = self.result_list
        # The date drill-down reads the filtered queryset: only the dates Python can hold.
        self.queryset = self.queryset.filter(**{f"{self.date_hierarchy}__range": READABLE_RANGE})
        states, problem = chroma_states(source=self.model_admin.source, rows=rows)
        for row in rows:
            row.chroma_state = states.get(str(row.pk))
        # Only on GET: an action's POST builds the list too, before the action changes
        # Chroma, and its warning would show after the redirect as if still true.
        if problem and request.method == "GET":
            messages.warning(request, code_spans(problem))


class ArrayValueFilter(admin.SimpleListFilter):
    """Rows whose TEXT[] column contains the chosen value (choices: the values present)."""

    field_name = ""

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        values = (
            model_admin.model.objects.annotate(value=Func(F(self.field_name), function="unnest"))
            .order_by()
            .values_list("value", flat=True)
            .distinct()[:CHOICES_LIMIT]
        )
        return [(value, value) for value in sorted(v for v in values if v)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(**{f"{self.field_name}__contains": [self.value()]})
        return queryset


class LanguageFilter(ArrayValueFilter):
    title = "language"
    parameter_name = "language"
    field_name = "languages"


class TagFilter(ArrayValueFilter):
    title = "tag"
    parameter_name = "tag"
    field_name = "tags"


class SourceAdmin(ReadOnlySyncAdmin):
    """Read-only admin of a source table; subclasses set ``source`` and the columns."""

    source: Source
    date_hierarchy = "updated_at"
    list_per_page = 50
    actions = ["sync_selected", "remove_selected"]
    chroma_fields = ("sync_state_detail", "chroma_document")  # read once, shared by both

    # -- read-only (ReadOnlySyncAdmin): the table belongs to another application ----------

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return SourceChangeList

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        """The row, loaded whatever its timestamps hold; None (Django then says it does not
        exist) for an id no row can have."""
        if "\x00" in object_id:  # PostgreSQL text cannot hold NUL
            return None
        rows = rows_displayable(queryset=self.get_queryset(request), ids=[object_id])
        return rows[0] if rows else None

    def _row_fields(self) -> list[str]:
        """The model's fields, timestamps replaced by ``timestamp_display`` columns."""
        timestamps = set(timestamp_fields(self.model))
        return [
            f"{field.name}_display" if field.name in timestamps else field.name
            for field in self.model._meta.fields
        ]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[tuple[Any, dict]]:
        # The state first (what an operator comes for), then the row, then the document.
        return [
            ("Sync state", {"fields": ["sync_state_detail"]}),
            (None, {"fields": self._row_fields()}),
            ("In Chroma", {"fields": ["chroma_document"]}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self._row_fields() + list(self.chroma_fields)

    # -- columns ------------------------------------------------------------------------

    @admin.display(description="updated (UTC)", ordering="updated_at")
    def updated(self, obj: Any) -> str:
        # "updatedAt" is TIMESTAMP WITHOUT TIME ZONE holding UTC: say so, convert nothing.
        return _timestamp_text(obj, "updated_at")

    @admin.display(description="created at (UTC)")
    def created_at_display(self, obj: Any) -> str:
        return _timestamp_text(obj, "created_at")

    @admin.display(description="updated at (UTC)")
    def updated_at_display(self, obj: Any) -> str:
        return _timestamp_text(obj, "updated_at")

    @admin.display(description="sync state")
    def sync_state(self, obj: Any) -> str:
        state = getattr(obj, "chroma_state", None)
        name = _state_name(state)
        return format_html(
            '<span class="sync-state tone-{}" data-state="{}" title="{}">{}</span>',
            STATE_TONES.get(name, MUTED),
            name,
            plain_text(state_sentence(state)),
            name,
        )

    # -- detail page --------------------------------------------------------------------

    def _detail_state(self, obj: Any) -> tuple[RecordState | str | None, str]:
        """The row's state, read from Chroma once per page (both fields use it)."""
        if not hasattr(obj, "_chroma_detail"):
            states, problem = chroma_states(source=self.source, rows=[obj])
            obj._chroma_detail = (states.get(str(obj.pk)), problem)
        return obj._chroma_detail

    @admin.display(description="sync state")
    def sync_state_detail(self, obj: Any) -> str:
        state, problem = self._detail_state(obj)
        obj.chroma_state = state
        badge = self.sync_state(obj)
        return format_html(
            '{} <span class="sync-state-sentence">{}</span>',
            badge,
            code_spans(problem or state_sentence(state)),
        )

    @admin.display(description="document")
    def chroma_document(self, obj: Any) -> SafeString:
        state, _ = self._detail_state(obj)
        if not isinstance(state, RecordState):
            return format_html("<p>{}</p>", "Nothing can be read from Chroma for this row.")
        return render_to_string("admin/syncer/chroma_document.html", chroma_document_context(state))

    # -- actions ------------------------------------------------------------------------

    def response_action(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        # The action's queryset filters on the posted ids: one holding NUL made PostgreSQL
        # refuse the query (a 500). No row can have such an id (PostgreSQL text cannot
        # hold NUL): leave it out, as Django leaves out ids that match no row.
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if any("\x00" in record_id for record_id in selected):
            post = request.POST.copy()
            post.setlist(ACTION_CHECKBOX_NAME, [i for i in selected if "\x00" not in i])
            request.POST = post
        return super().response_action(request, queryset)

    @admin.action(description="Sync selected to Chroma", permissions=["run_sync"])
    def sync_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, sync_record, verb="Synced")

    @admin.action(description="Remove selected from Chroma", permissions=["run_sync"])
    def remove_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, sync_record_remove, verb="Removed")

    def _apply(self, request: HttpRequest, queryset: QuerySet, service: Any, *, verb: str) -> None:
        """Call ``service`` for each selected record and report what happened."""
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[: MAX_ACTION_RECORDS + 1])
        if len(ids) > MAX_ACTION_RECORDS:
            self.message_user(
                request,
                f"At most {MAX_ACTION_RECORDS} records at a time from here; for more, use "
                '"Run incremental sync" or "Run full sync" on the sync runs page.',
                messages.ERROR,
            )
            return
        counts: Counter[str] = Counter()
        failures: list[str] = []
        stopped = ""
        for index, record_id in enumerate(ids):
            try:
                # The operator waits for the page: Chroma down stops the action at once.
                outcome: RecordOutcome = service(
                    source=self.source.name,
                    record_id=record_id,
                    trigger="admin",
                    retry_transient=False,
                )
            except RecordNotFound as exc:
                counts["failed"] += 1
                failures.append(f"{record_id}: {exc}")
                continue
            except (SyncLocked, StoreError) as exc:
                stopped = f"{exc} {len(ids) - index} record(s) not processed."
                break
            except Exception as exc:
                logger.exception("admin: %s %r failed", self.source.label, record_id)
                stopped = (
                    f"{type(exc).__name__}: {exc}. {len(ids) - index} record(s) not processed."
                )
                break
            counts[outcome.action] += 1
            if outcome.action == "failed":
                failures.append(f"{record_id}: {outcome.error}")
        summary = ", ".join(f"{counts[key]} {label}" for key, label in OUTCOME_LABELS)
        done = sum(counts.values())
        level = messages.SUCCESS if not failures and not stopped else messages.WARNING
        self.message_user(request, f"{verb} {done} {self.source.label}(s): {summary}.", level)
        if failures:
            listed = "; ".join(failures[:FAILURES_LISTED])
            more = len(failures) - FAILURES_LISTED
            self.message_user(
                request,
                code_spans(f"Failed: {listed}{f'; and {more} more' if more > 0 else ''}"),
                messages.ERROR,
            )
        if stopped:
            self.message_user(
                request,
                format_html("Stopped: {}", code_spans(error_public(stopped))),
                messages.ERROR,
            )


def _timestamp_text(obj: Any, name: str) -> str:
    """A naive-UTC timestamp as stored; PostgreSQL's text of one Python cannot hold."""
    unreadable = getattr(obj, "unreadable", {}).get(name)
    if unreadable is not None:
        return f"{unreadable} (unreadable)"
    value = getattr(obj, name)
    if value is None:  # a NOT NULL column in the source schema, NULL in a drifted table
        return "NULL"
    return as_utc(value).strftime("%Y-%m-%d %H:%M:%S")


def list_text(values: Sequence[Any] | None) -> str:
    """A TEXT[] value for a column; its NULL elements (which the sync skips) left out."""
    return ", ".join(str(value) for value in values or [] if value is not None)


def chroma_document_context(state: RecordState) -> dict[str, Any]:
    """What the detail page shows: the stored text and metadata, and, when they differ,
    what a sync would write now (the text as a diff, metadata key by key)."""
    expected = state.expected
    stored_metadata: Mapping[str, Any] = state.stored_metadata or {}
    expected_metadata: Mapping[str, Any] = expected.metadata if expected else {}
    keys = sorted(set(stored_metadata) | set(expected_metadata))
    metadata_rows = [
        {
            "key": key,
            "stored": _metadata_value(stored_metadata, key),
            "expected": _metadata_value(expected_metadata, key),
            "differs": expected is not None
            and stored_metadata.get(key) != expected_metadata.get(key),
        }
        for key in keys
    ]
    text_differs = expected is not None and state.stored_text != expected.text
    text_diff = ""
    if text_differs and state.stored_text is not None:
        text_diff = "\n".join(
            difflib.unified_diff(
                state.stored_text.splitlines(),
                expected.text.splitlines(),
                fromfile="in Chroma",
                tofile="would be written now",
                lineterm="",
            )
        )
    return {
        "state": state,
        "in_chroma": state.stored_metadata is not None,
        "has_expected": expected is not None,
        "stored_text": state.stored_text,
        "expected_text": expected.text if expected else None,
        "text_differs": text_differs,
        "text_diff": text_diff,
        "metadata_rows": metadata_rows,
        "metadata_differs": any(row["differs"] for row in metadata_rows),
    }


def _metadata_value(metadata: Mapping[str, Any], key: str) -> str:
    if key not in metadata:
        return "—"
    return json.dumps(metadata[key], ensure_ascii=False)
