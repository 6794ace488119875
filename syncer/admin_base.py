"""What every halasync admin shares: history and source tables are read-only, changing
Chroma needs the ``syncer.run_sync`` permission, and no query string makes a list 500."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db import DataError, ProgrammingError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest


class LookupSafeChangeList(ChangeList):
    """A list for which a query parameter PostgreSQL refuses for its column (a value
    outside an enum, a broken regular expression, a NUL character, text for an array), a
    lookup it has no function for (``?id__unaccent=x`` without the extension) or a date
    drill-down past 9999-12-31 is an invalid lookup, answered as Django answers those (a
    redirect to the unfiltered list with ``?e=1``), not a 500.

    Django validates a lookup when it builds the query; PostgreSQL only when it runs it,
    so the page is loaded here (``page_rows``), inside a savepoint.
    """

    free_lookups = False  # lookups from the address that no list filter checked

    def get_filters(self, request: HttpRequest) -> Any:
        try:
            filters = super().get_filters(request)
        except (ValueError, OverflowError) as exc:  # the day after 9999-12-31
            raise IncorrectLookupParameters(exc) from exc
        self.free_lookups = bool(filters[2])
        return filters

    def get_results(self, request: HttpRequest) -> None:
        try:
            # A savepoint: the refused query must not end a surrounding transaction.
            with transaction.atomic(using=self.queryset.db):
                super().get_results(request)
                self.result_list = self.page_rows(self.result_list)
        except DataError as exc:
            raise IncorrectLookupParameters(exc) from exc
        except ProgrammingError as exc:
            # Without lookups from the address the query is halasync's own: a missing
            # table is a server error (500, logged), not the visitor's mistake.
            if not self.free_lookups:
                raise
            raise IncorrectLookupParameters(exc) from exc

    def page_rows(self, page: QuerySet) -> list[Any]:
        """The rows of the page, loaded."""
        return list(page)


class ReadOnlySyncAdmin(admin.ModelAdmin):
    """No add, change or delete; actions and buttons gated by ``syncer.run_sync``."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return LookupSafeChangeList

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_run_sync_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("syncer.run_sync")
