"""``/api/v1/`` views: translate the request, call one service, translate the result.

Domain errors (SyncLocked, RecordNotFound, StoreError) propagate to
``syncer.api.exceptions.api_exception_handler``, which maps them to 409, 404 and 503.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from syncer.api import serializers as api
from syncer.api.permissions import CanRunSync
from syncer.models import SyncRun
from syncer.reporting import run_as_dict
from syncer.services.health import DOWN, sync_health
from syncer.services.records import RecordNotFound, sync_record
from syncer.services.runs import sync_run_enqueue, sync_run_execute
from syncer.services.search import SearchFilters, search_documents
from syncer.services.stats import sync_stats
from syncer.sources import JOURNEYS, KNOWLEDGE, Source

# --- documented error answers -------------------------------------------------------------

ERROR_400 = OpenApiResponse(api.ValidationErrorSerializer, description="Invalid input.")
ERROR_401 = OpenApiResponse(api.ErrorSerializer, description="No or invalid credentials.")
ERROR_403 = OpenApiResponse(api.ErrorSerializer, description="Not allowed.")
ERROR_404 = OpenApiResponse(api.ErrorSerializer, description="Not found.")
ERROR_409 = OpenApiResponse(api.SyncLockedSerializer, description="Another sync is running.")
ERROR_413 = OpenApiResponse(api.ErrorSerializer, description="Request body too large.")
ERROR_415 = OpenApiResponse(api.ErrorSerializer, description="The body is not JSON.")
ERROR_429 = OpenApiResponse(
    api.ErrorSerializer,
    description="Too many requests (API_THROTTLE_*_RATE); `Retry-After` says when to retry.",
)
ERROR_503 = OpenApiResponse(
    api.ErrorSerializer, description="Chroma or PostgreSQL cannot be reached or used."
)
# 401 without (valid) credentials; 403 without the permission, or when session
# authentication fails its CSRF check; 429 beyond the rate limit.
# 503 from any endpoint when PostgreSQL cannot be reached.
READ_ERRORS = {401: ERROR_401, 403: ERROR_403, 429: ERROR_429, 503: ERROR_503}
WRITE_ERRORS = {
    400: ERROR_400,
    401: ERROR_401,
    403: ERROR_403,
    413: ERROR_413,
    415: ERROR_415,
    429: ERROR_429,
    503: ERROR_503,
}


def _no_parameters(data: Any) -> None:
    """400 for any query parameter (or body field) of an endpoint that takes none: ignored,
    a client's ``?force=true`` would do nothing, silently."""
    api.NoParametersSerializer(data=data).is_valid(raise_exception=True)


def _record_id_parameter(label: str) -> OpenApiParameter:
    return OpenApiParameter(
        "record_id",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        description=f"The {label}'s id: any printable characters but '/', URL-encoded.",
        pattern="^[^/]+$",
    )


# --- sync --------------------------------------------------------------------------------


class SyncRunView(APIView):
    permission_classes = [CanRunSync]

    @extend_schema(
        operation_id="sync_run",
        summary="Queue a sync (or run it now with wait)",
        request=api.RunOptionsSerializer,
        responses={
            202: OpenApiResponse(
                api.RunDetailSerializer,
                description="Queued for the worker; `Location` is the run's URL.",
            ),
            200: OpenApiResponse(api.RunDetailSerializer, description="Ran (`wait`): finished."),
            409: ERROR_409,
            503: ERROR_503,
            **WRITE_ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        _no_parameters(request.query_params)  # the options go in the body
        body = api.RunOptionsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        full = body.validated_data["force_full_sync"]
        options: dict[str, Any] = {
            "mode": SyncRun.Mode.FULL if full else SyncRun.Mode.INCREMENTAL,
            "trigger": SyncRun.Trigger.API,
            "force": full,
        }
        if body.validated_data["wait"]:
            # The client waits: a Chroma server that is down fails the run now.
            run = sync_run_execute(**options, retry_transient=False)
            return Response(run_as_dict(run), status=status.HTTP_200_OK)
        run = sync_run_enqueue(**options)
        location = request.build_absolute_uri(reverse("api:sync-run-detail", args=[run.pk]))
        return Response(
            run_as_dict(run), status=status.HTTP_202_ACCEPTED, headers={"Location": location}
        )


class RecordSyncView(APIView):
    """Sync one record: upsert it, or delete it from Chroma when it is gone or excluded."""

    permission_classes = [CanRunSync]
    source: Source

    def post(self, request: Request, record_id: str) -> Response:
        _no_parameters(request.query_params)
        _no_parameters(request.data or {})  # no body, or an empty object
        if "\x00" in record_id:
            # PostgreSQL text cannot hold NUL, so no row (and no document) has this id.
            raise RecordNotFound(f"{self.source.label} {record_id!r} does not exist")
        # The client waits: Chroma unreachable is a 503 now, not after the retries.
        outcome = sync_record(
            source=self.source.name,
            record_id=record_id,
            trigger=SyncRun.Trigger.API,
            retry_transient=False,
        )
        data = outcome.as_dict()
        if outcome.error:
            return Response(
                {"detail": f"{record_id!r} was not synced: {outcome.error}", **data},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return Response(data)


def _record_schema(label: str) -> Any:
    return extend_schema(
        operation_id=f"sync_{label.replace(' ', '_')}",
        summary=f"Sync one {label}",
        request=None,
        parameters=[_record_id_parameter(label)],
        responses={
            200: api.RecordSyncSerializer,
            400: ERROR_400,
            413: ERROR_413,
            415: ERROR_415,
            404: OpenApiResponse(
                api.ErrorSerializer, description="Neither in PostgreSQL nor in Chroma."
            ),
            409: ERROR_409,
            422: OpenApiResponse(
                api.RecordSyncFailedSerializer,
                description="The row cannot be turned into a document; `error` says why.",
            ),
            503: ERROR_503,
            **READ_ERRORS,
        },
    )


@extend_schema_view(post=_record_schema(KNOWLEDGE.label))
class KnowledgeRecordSyncView(RecordSyncView):
    source = KNOWLEDGE


@extend_schema_view(post=_record_schema(JOURNEYS.label))
class JourneyRecordSyncView(RecordSyncView):
    source = JOURNEYS


class SyncStatsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="sync_stats",
        summary="Counts on both sides, pending changes, last runs (as `sync stats --json`)",
        responses={200: api.StatsSerializer, 400: ERROR_400, 503: ERROR_503, **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        _no_parameters(request.query_params)
        stats = sync_stats()
        if stats.chroma_unavailable is not None:
            raise stats.chroma_unavailable  # 503, worded as for every endpoint
        return Response(stats.as_dict())


class SyncHealthView(APIView):
    # Public, and independent of the database for authentication: it must answer even
    # when PostgreSQL is down. Never rate-limited: monitors and load balancers poll it.
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes: list[Any] = []

    @extend_schema(
        operation_id="sync_health",
        summary="Health of PostgreSQL, Chroma, the worker and sync freshness",
        auth=[],
        responses={
            200: OpenApiResponse(api.HealthSerializer, description="ok or degraded"),
            503: OpenApiResponse(api.HealthSerializer, description="down"),
        },
    )
    def get(self, request: Request) -> Response:
        health = sync_health()
        code = status.HTTP_503_SERVICE_UNAVAILABLE if health.status == DOWN else 200
        return Response(health.as_dict(), status=code)


class RunPagination(PageNumberPagination):
    page_size = api.DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = api.MAX_PAGE_SIZE


class RunListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = api.RunSerializer
    pagination_class = RunPagination
    queryset = SyncRun.objects.prefetch_related("source_results").order_by("-created_at", "-id")

    @extend_schema(
        operation_id="sync_runs_list",
        summary="Run history, newest first",
        parameters=[api.RunListQuerySerializer],
        responses={
            200: api.RunSerializer(many=True),
            400: ERROR_400,
            404: ERROR_404,
            **READ_ERRORS,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The paginator silently ignores a bad page_size: check the parameters first.
        api.RunListQuerySerializer(data=request.query_params).is_valid(raise_exception=True)
        return super().get(request, *args, **kwargs)


class RunDetailView(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = api.RunDetailSerializer
    queryset = SyncRun.objects.prefetch_related("source_results", "record_errors")
    lookup_url_kwarg = "run_id"

    @extend_schema(
        operation_id="sync_runs_retrieve",
        summary="One run with its counts and record errors",
        responses={200: api.RunDetailSerializer, 400: ERROR_400, 404: ERROR_404, **READ_ERRORS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _no_parameters(request.query_params)
        return super().get(request, *args, **kwargs)


# --- search ------------------------------------------------------------------------------


class SearchView(APIView):
    permission_classes = [IsAuthenticated]
    query_serializer: type[api.SearchQuerySerializer]
    source: Source

    def get(self, request: Request) -> Response:
        params = self.query_serializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        options = dict(params.validated_data)
        query, limit = options.pop("q"), options.pop("limit")
        hits = search_documents(
            query=query, sources=[self.source], filters=SearchFilters(**options), limit=limit
        )
        return Response({"query": query, "results": hits})


def _search_schema(label: str, query_serializer: type) -> Any:
    return extend_schema(
        operation_id=f"search_{label.replace(' ', '_')}s",
        summary=f"Semantic search over {label}s",
        parameters=[query_serializer],
        responses={
            200: api.SearchResultsSerializer,
            400: ERROR_400,
            503: ERROR_503,
            **READ_ERRORS,
        },
    )


@extend_schema_view(get=_search_schema(KNOWLEDGE.label, api.KnowledgeSearchQuerySerializer))
class KnowledgeSearchView(SearchView):
    query_serializer = api.KnowledgeSearchQuerySerializer
    source = KNOWLEDGE


@extend_schema_view(get=_search_schema(JOURNEYS.label, api.JourneySearchQuerySerializer))
class JourneySearchView(SearchView):
    query_serializer = api.JourneySearchQuerySerializer
    source = JOURNEYS
