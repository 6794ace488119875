"""Request validation and the documented shape of every response body.

Responses are built by the services and ``syncer.reporting.run_as_dict`` (the same dicts
``manage.py sync … --json`` prints), so the API and the CLI cannot drift apart; the
response serializers here describe those dicts for the OpenAPI schema, and the fuzzing
test checks that real responses conform to it.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from rest_framework import serializers
from rest_framework.fields import empty

from syncer.models import SyncRun
from syncer.reporting import run_as_dict
from syncer.services.search import MAX_LIMIT
from syncer.services.stats import RECORD_ERRORS_PER_RUN

MAX_QUERY_LENGTH = 2000
MAX_FILTER_LENGTH = 200
DEFAULT_SEARCH_LIMIT = 10
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

# A query must contain something to embed. Python's and JSON Schema's (ECMA) notions of
# whitespace differ (\x1c-\x1f, \x85, \ufeff), so "blank" is spelled out as one explicit
# class, the same for the validator and the published pattern: every character either
# engine counts as whitespace.
WHITESPACE = (
    r"\t\n\u000b\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a"
    r"\u2028\u2029\u202f\u205f\u3000\ufeff"
)
NOT_BLANK = RegexValidator(
    rf"^[^\u0000]*[^\u0000{WHITESPACE}][^\u0000]*$",
    message="The query must not be blank or contain NUL characters.",
)
# DRF refuses NUL characters in every CharField; the schema says so with this pattern.
NO_NUL = RegexValidator(r"^[^\u0000]*$", message="NUL characters are not allowed.")


class StrictFieldsMixin:
    """Reject fields (body keys or query parameters) the endpoint does not know."""

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))  # type: ignore[attr-defined]
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
            if hasattr(data, "getlist"):
                # A query string: DRF would take the last of repeated parameters and
                # quietly ignore empty optional ones ("?tag="); both are mistakes.
                repeated = [name for name in data if len(data.getlist(name)) > 1]
                if repeated:
                    raise serializers.ValidationError(
                        {name: ["Give this parameter once."] for name in repeated}
                    )
                blank = [name for name in data if data[name] == ""]
                if blank:
                    raise serializers.ValidationError(
                        {name: ["This field may not be blank."] for name in blank}
                    )
        return super().to_internal_value(data)  # type: ignore[misc]


class NoParametersSerializer(StrictFieldsMixin, serializers.Serializer):
    """For endpoints that take no query parameters (or no body fields): any is unknown."""


class StrictBooleanField(serializers.BooleanField):
    """A JSON ``true``/``false`` only (DRF's BooleanField also takes "yes", 1, "on"…)."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if isinstance(data, bool):
            return data
        self.fail("invalid")


class QueryBooleanField(serializers.BooleanField):
    """``true`` or ``false`` in a query string."""

    default_error_messages = {"invalid": "Must be true or false."}
    default_empty_html = empty  # absent means the default, not false

    def to_internal_value(self, data: Any) -> bool:
        if data in ("true", "false"):
            return data == "true"
        self.fail("invalid")


# --- errors ------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        required=False, help_text="Messages by field name (when fields were at fault)."
    )


class SyncLockedSerializer(ErrorSerializer):
    run_id = serializers.IntegerField(
        allow_null=True, help_text="The run that is running or queued, when known."
    )


# --- runs --------------------------------------------------------------------------------


class SourceCountsSerializer(serializers.Serializer):
    scanned = serializers.IntegerField()
    upserted = serializers.IntegerField()
    metadata_updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    deleted = serializers.IntegerField()
    errors = serializers.IntegerField()
    invalid = serializers.IntegerField(
        help_text="Rows that cannot become documents: kept out of Chroma, not errors."
    )
    watermark_before = serializers.DateTimeField(allow_null=True)
    watermark_after = serializers.DateTimeField(allow_null=True)
    completed = serializers.BooleanField(
        help_text="The source ran to its end in this run: its watermark counts for the next "
        "incremental, and the run can be its last successful sync. False while it runs, and "
        "when it failed or the run was interrupted, whatever its other sources did."
    )


class RecordErrorSerializer(serializers.Serializer):
    source = serializers.CharField()
    record_id = serializers.CharField()
    error_type = serializers.CharField()
    message = serializers.CharField()


class RunSerializer(serializers.Serializer):
    """A run as ``run_as_dict`` (``manage.py sync … --json``) renders it."""

    id = serializers.IntegerField()
    mode = serializers.ChoiceField(choices=SyncRun.Mode.choices)
    trigger = serializers.ChoiceField(choices=SyncRun.Trigger.choices)
    status = serializers.ChoiceField(choices=SyncRun.Status.choices)
    sources = serializers.ListField(child=serializers.CharField())
    force = serializers.BooleanField()
    rebuild = serializers.BooleanField()
    record_id = serializers.CharField(allow_null=True)
    error = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    duration_seconds = serializers.FloatField(allow_null=True)
    counts = serializers.DictField(
        child=SourceCountsSerializer(), help_text="Per source: what the run did."
    )

    def to_representation(self, instance: SyncRun) -> dict[str, Any]:
        return run_as_dict(instance, with_errors=False)


class RunDetailSerializer(RunSerializer):
    record_errors = RecordErrorSerializer(
        many=True, help_text="The records the run skipped (the first 100)."
    )

    def to_representation(self, instance: SyncRun) -> dict[str, Any]:
        return run_as_dict(instance)


class LastRunSerializer(RunSerializer):
    record_errors = RecordErrorSerializer(
        many=True,
        help_text=f"The first {RECORD_ERRORS_PER_RUN} records the run skipped "
        "(`counts.*.errors` says how many in all).",
    )


class RunOptionsSerializer(StrictFieldsMixin, serializers.Serializer):
    force_full_sync = StrictBooleanField(
        required=False,
        default=False,
        help_text="true: a full sync that re-embeds everything (`sync full --force`); "
        "false: an incremental sync (`sync incremental`).",
    )
    wait = StrictBooleanField(
        required=False,
        default=False,
        help_text="true: run now, inside this request, and answer with the finished run; "
        "false: queue it for the worker and answer at once.",
    )


class RecordSyncSerializer(serializers.Serializer):
    id = serializers.CharField()
    action = serializers.ChoiceField(
        choices=["upserted", "metadata_updated", "unchanged", "deleted", "failed"]
    )
    run = serializers.IntegerField(help_text="The single-record run that was recorded.")
    error = serializers.CharField(allow_null=True, help_text="Why the record was not synced.")


class RecordSyncFailedSerializer(RecordSyncSerializer):
    detail = serializers.CharField()


# --- stats and health -------------------------------------------------------------------


class LastSuccessfulRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    mode = serializers.CharField()
    finished_at = serializers.DateTimeField()
    age_seconds = serializers.FloatField()


class InvalidRowSerializer(serializers.Serializer):
    id = serializers.CharField()
    error = serializers.CharField(help_text="Why the row cannot become a document.")
    updated_at = serializers.DateTimeField(allow_null=True, help_text='The row\'s "updatedAt".')
    first_seen_run = serializers.IntegerField(allow_null=True)
    last_seen_run = serializers.IntegerField(allow_null=True)
    first_seen_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()


class InvalidRowsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    rows = InvalidRowSerializer(many=True, help_text="The first 20, by id.")


class SourceStatsSerializer(serializers.Serializer):
    collection = serializers.CharField()
    chroma_count = serializers.IntegerField(allow_null=True)
    chroma_error = serializers.CharField(allow_null=True)
    eligible_count = serializers.IntegerField()
    pending_changes = serializers.IntegerField(
        help_text="Eligible rows written after the watermark (not those in the future)."
    )
    future_rows = serializers.IntegerField(
        help_text='Eligible rows whose "updatedAt" is after the source database\'s clock: '
        "synced by every run, never moving the watermark."
    )
    invalid_rows = InvalidRowsSerializer(
        help_text="Rows that cannot become documents; fix them at their source."
    )
    watermark = serializers.DateTimeField(allow_null=True)
    last_successful_run = LastSuccessfulRunSerializer(allow_null=True)
    last_full_reconcile = LastSuccessfulRunSerializer(
        allow_null=True,
        help_text="The last `sync full` or `sync verify --repair` that completed for this "
        "source: the only runs that catch rows incremental syncs miss.",
    )


class StatsSerializer(serializers.Serializer):
    """As ``manage.py sync stats --json``."""

    chroma = serializers.CharField(help_text="Where Chroma is (directory or server).")
    chroma_reachable = serializers.BooleanField(
        help_text="False when the Chroma server cannot be reached or does not answer in time "
        "(the API then answers 503; `chroma_error` of each source says why)."
    )
    sources = serializers.DictField(child=SourceStatsSerializer())
    queued_runs = serializers.IntegerField()
    oldest_queued_age_seconds = serializers.FloatField(allow_null=True)
    running_runs = serializers.ListField(child=serializers.IntegerField())
    last_runs = LastRunSerializer(
        many=True, help_text="Queued and running runs first, then by finish, newest first."
    )


class HealthCheckSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "degraded", "down", "unknown"])
    detail = serializers.CharField()


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "degraded", "down"])
    checks = serializers.DictField(
        child=HealthCheckSerializer(),
        help_text="postgres, chroma, worker and last_sync; each may carry more numbers.",
    )


# --- search ------------------------------------------------------------------------------


class SearchQuerySerializer(StrictFieldsMixin, serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        trim_whitespace=False,
        validators=[NOT_BLANK],
        help_text="What to look for, in any language.",
    )
    # Filters are compared exactly as given (no trimming): they are metadata values.
    status = serializers.CharField(
        required=False, max_length=MAX_FILTER_LENGTH, trim_whitespace=False, validators=[NO_NUL]
    )
    tag = serializers.CharField(
        required=False, max_length=MAX_FILTER_LENGTH, trim_whitespace=False, validators=[NO_NUL]
    )
    language = serializers.CharField(
        required=False,
        max_length=MAX_FILTER_LENGTH,
        trim_whitespace=False,
        validators=[NO_NUL],
        help_text="e.g. en",
    )
    limit = serializers.IntegerField(
        required=False, default=DEFAULT_SEARCH_LIMIT, min_value=1, max_value=MAX_LIMIT
    )


class QueryIntegerField(serializers.IntegerField):
    """ASCII digits only. DRF's IntegerField also takes "1.0", which the paginator (``int()``
    on the raw parameter) refuses: page=1.0 was a 404 and page_size=1.0 was ignored,
    silently. Non-ASCII digits are refused too: plain digits only."""

    def to_internal_value(self, data: Any) -> int:
        if not (isinstance(data, str) and data.isascii() and data.isdigit()):
            self.fail("invalid")
        return super().to_internal_value(data)


class RunListQuerySerializer(StrictFieldsMixin, serializers.Serializer):
    page = QueryIntegerField(required=False, min_value=1, help_text="From 1.")
    page_size = QueryIntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, help_text="Runs per page."
    )


class KnowledgeSearchQuerySerializer(SearchQuerySerializer):
    category = serializers.CharField(
        required=False,
        max_length=MAX_FILTER_LENGTH,
        trim_whitespace=False,
        validators=[NO_NUL],
        help_text="e.g. VERSE",
    )


class JourneySearchQuerySerializer(SearchQuerySerializer):
    active_only = QueryBooleanField(
        required=False, default=True, help_text="false: include inactive templates too"
    )


class SearchHitSerializer(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.CharField(help_text="The source: knowledge or journeys.")
    match = serializers.ChoiceField(
        choices=["exact", "semantic"],
        help_text="exact: the query names this row (a Quran or hadith reference, a du'a's "
        "Arabic words, the goal keyword); these come first. semantic: found by meaning.",
    )
    distance = serializers.FloatField(help_text="Cosine distance; smaller is nearer.")
    document = serializers.CharField(allow_null=True, help_text="The embedded text.")
    metadata = serializers.DictField(help_text="The document's Chroma metadata.")


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = SearchHitSerializer(many=True)
